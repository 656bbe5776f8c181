"""ZoneLayer.assign called many times with a few points (the cluster site search does so once
per cluster) gives the answers of one call with every point, and builds its zone grid once."""
from __future__ import annotations

import numpy as np
from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

from eit_plugin.qgis_io.zones import read_zones


def test_small_batches_answer_like_one_batch_and_reuse_the_grid(qgis_app):
    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:2154&field=IDURBA:string&field=LIBELLE:string"
                           "&field=TYPEZONE:string&field=INSEE:string", "zone_urba", "memory")
    for i in range(30):  # a 6 x 5 grid of 100 m squares, one hole in the middle
        x, y = 100 * (i % 6), 100 * (i // 6)
        if i == 14:
            continue
        feature = QgsFeature(layer.fields())
        feature.setAttributes(["73065_PLU", "U{}".format(i), "U", "73065"])
        feature.setGeometry(QgsGeometry.fromWkt("POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(
            x, y, x + 100, y + 100)))
        layer.dataProvider().addFeature(feature)
    zones = read_zones(layer)
    rng = np.random.default_rng(3)
    xs, ys = rng.uniform(-50, 650, 300), rng.uniform(-50, 550, 300)
    xs[7] = np.nan
    all_ids, all_n = zones.assign(xs, ys)
    grid = zones._zone_grid()
    pieces = [zones.assign(xs[i:i + 2], ys[i:i + 2]) for i in range(0, 300, 2)]
    assert [z for ids, _ in pieces for z in ids] == all_ids
    assert np.array_equal(np.concatenate([n for _, n in pieces]), all_n)
    assert zones._zone_grid() is grid  # built once, not per call
    # sanity: outside the squares and in the hole → no zone; inside → exactly one
    ids, n = zones.assign(np.array([250.0, 650.0, 10.0]), np.array([250.0, 50.0, 10.0]))
    assert ids[0] is None and ids[1] is None and ids[2] is not None and n[2] == 1
