"""Quick timing: EIT point → zone overlay vs QGIS ``native:joinattributesbylocation``.

Not a test. Generates a synthetic territory (Voronoi zones with densified edges, sharing
their boundaries like PLU zones) and random points (flows), writes both to GeoPackages,
then times on the same data in the same process:

- ``native``: ``native:joinattributesbylocation`` (points INPUT, zones JOIN, intersects,
  one-to-one first match) to a memory layer;
- ``eit-join``: what the overlay does for the join: read the points (``read_points``), read
  the zones (``read_zones``: validity check, zone ids) and ``ZoneLayer.assign``;
- ``eit:zoneoverlay``: the whole algorithm (join + indicators + adjacency + both outputs),
  when the provider is importable.

Usage (system Python, which has qgis)::

    QT_QPA_PLATFORM=offscreen PYTHONPATH=$PWD:/usr/share/qgis/python/plugins \\
        /usr/bin/python3 bench/overlay_vs_native.py --points 100000 --zones 3000
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, "/usr/share/qgis/python/plugins")


def make_zones(n_zones: int, size: float, densify: int, seed: int = 1):
    from scipy.spatial import Voronoi

    rng = np.random.default_rng(seed)
    x0, y0 = 900_000.0, 6_500_000.0
    seeds = rng.uniform(0, size, size=(n_zones, 2))
    mirrored = [seeds, seeds * [-1, 1], seeds * [1, -1], [2 * size, 0] + seeds * [-1, 1], [0, 2 * size] + seeds * [1, -1]]
    vor = Voronoi(np.vstack(mirrored))
    polygons = []
    for i in range(n_zones):
        region = vor.regions[vor.point_region[i]]
        ring = vor.vertices[region]
        ring = np.clip(ring, 0, size)
        polygons.append(ring + [x0, y0])
    return polygons, (x0, y0, size), densify


def write_layers(folder: Path, n_points: int, n_zones: int, densify: int, seed: int = 2):
    from qgis.core import (
        QgsCoordinateTransformContext,
        QgsFeature,
        QgsField,
        QgsFields,
        QgsGeometry,
        QgsPointXY,
        QgsVectorFileWriter,
        QgsVectorLayer,
        QgsWkbTypes,
    )
    from qgis.PyQt.QtCore import QVariant

    size = 20_000.0
    polygons, (x0, y0, size), densify = make_zones(n_zones, size, densify)
    types = ["U", "AUc", "A", "N", "U", "U"]
    zfields = QgsFields()
    for name in ("IDURBA", "LIBELLE", "TYPEZONE", "DESTDOMI", "INSEE"):
        zfields.append(QgsField(name, QVariant.String))
    zpath = folder / "zones.gpkg"
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    from qgis.core import QgsCoordinateReferenceSystem

    crs = QgsCoordinateReferenceSystem("EPSG:2154")
    writer = QgsVectorFileWriter.create(str(zpath), zfields, QgsWkbTypes.MultiPolygon, crs, QgsCoordinateTransformContext(), options)
    for i, ring in enumerate(polygons):
        geom = QgsGeometry.fromPolygonXY([[QgsPointXY(x, y) for x, y in np.vstack([ring, ring[:1]])]])
        if densify:
            geom = geom.densifyByCount(densify)
        geom.convertToMultiType()
        f = QgsFeature(zfields)
        f.setAttributes(["73000_PLU", "Z{}".format(i), types[i % len(types)], "02" if i % 3 else "01", "73{:03d}".format(i % 40)])
        f.setGeometry(geom)
        writer.addFeature(f)
    del writer
    rng = np.random.default_rng(seed)
    pts = rng.uniform(-0.02 * size, 1.02 * size, size=(n_points, 2)) + [x0, y0]
    pfields = QgsFields()
    for name, kind in (("flow_id", QVariant.String), ("siret", QVariant.String), ("naf", QVariant.String),
                       ("direction", QVariant.String), ("resource", QVariant.String), ("family", QVariant.String),
                       ("quantity", QVariant.Double), ("unit", QVariant.String), ("temperature_c", QVariant.Double)):
        pfields.append(QgsField(name, kind))
    ppath = folder / "flows.gpkg"
    writer = QgsVectorFileWriter.create(str(ppath), pfields, QgsWkbTypes.Point, crs, QgsCoordinateTransformContext(), options)
    resources = [("supply", "waste_heat", "heat", "MWh", 80.0), ("demand", "space_heating", "heat", "MWh", None),
                 ("supply", "wood_waste", "waste", "t", None), ("demand", "wood_raw_material", "material", "t", None)]
    for i, (x, y) in enumerate(pts):
        d, r, fam, unit, temp = resources[i % 4]
        f = QgsFeature(pfields)
        siret = "{:014d}".format(i // 2)
        f.setAttributes(["{}:{}:{}".format(siret, d[0].upper(), r), siret, "25.11Z", d, r, fam, float(1 + i % 50), unit, temp])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(x), float(y))))
        writer.addFeature(f)
    del writer
    return QgsVectorLayer(str(zpath), "zones", "ogr"), QgsVectorLayer(str(ppath), "flows", "ogr")


def timed(label, fn, repeat=1):
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    print("{:<22s} {:8.2f} s".format(label, best), flush=True)
    return best, result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--zones", type=int, default=3000)
    parser.add_argument("--densify", type=int, default=8, help="extra vertices per zone edge")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="cProfile the eit:zoneoverlay run")
    args = parser.parse_args(argv)

    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    import processing
    from processing.core.Processing import Processing

    Processing.initialize()
    from eit_plugin.core.feedback import Feedback
    from eit_plugin.qgis_io.layers import read_points
    from eit_plugin.qgis_io.zones import read_zones

    with tempfile.TemporaryDirectory() as tmp:
        zones, flows = write_layers(Path(tmp), args.points, args.zones, args.densify)
        print("{} points, {} zones ({} vertices)".format(
            flows.featureCount(), zones.featureCount(),
            sum(f.geometry().constGet().nCoordinates() for f in zones.getFeatures())), flush=True)

        def native():
            out = processing.run("native:joinattributesbylocation", {
                "INPUT": flows, "JOIN": zones, "PREDICATE": [0], "METHOD": 1,
                "DISCARD_NONMATCHING": False, "OUTPUT": "memory:"})
            return out["OUTPUT"]

        steps = {}

        def eit_join():
            t0 = time.perf_counter()
            pts = read_points(flows, mapping={"flow_id": "flow_id"}, feedback=Feedback())
            t1 = time.perf_counter()
            layer = read_zones(zones, feedback=Feedback())
            t2 = time.perf_counter()
            ids, n_in = layer.assign(pts["x"].to_numpy(), pts["y"].to_numpy())
            t3 = time.perf_counter()
            steps.update(read_points=t1 - t0, read_zones=t2 - t1, assign=t3 - t2)
            return sum(1 for i in ids if i is not None), int((n_in >= 2).sum())

        t_native, joined = timed("native join", native, args.repeat)
        n_native = sum(1 for f in joined.getFeatures() if f["LIBELLE"] not in (None, "") and f["LIBELLE"] == f["LIBELLE"])
        t_eit, (n_zoned, n_multi) = timed("eit read+assign", eit_join, args.repeat)
        print("  of which: " + ", ".join("{} {:.2f} s".format(k, v) for k, v in steps.items()))
        print("points in a zone: native {}, eit {} (eit: {} in several zones)".format(n_native, n_zoned, n_multi))
        print("ratio eit/native: {:.2f}".format(t_eit / t_native))
        try:
            from qgis.core import QgsProcessingAlgorithm, QgsProcessingContext, QgsProcessingFeedback

            from eit_plugin.processing.alg_zone_overlay import ZoneOverlayAlgorithm

            def overlay():
                # The C++ run, as qgis_process does.
                alg = ZoneOverlayAlgorithm().create()
                out, ok = QgsProcessingAlgorithm.run(
                    alg, {"ZONES": zones, "FLOWS": flows, "OUTPUT": "memory:", "OUTPUT_COMMUNES": "memory:"},
                    QgsProcessingContext(), QgsProcessingFeedback(), {}, False)
                return out["N_FLOWS_ZONED"]

            if args.profile:
                import cProfile
                import pstats

                cProfile.runctx("overlay()", globals(), {"overlay": overlay}, "/tmp/overlay.prof")
                pstats.Stats("/tmp/overlay.prof").sort_stats("cumulative").print_stats(30)
            t_full, _ = timed("eit:zoneoverlay", overlay, args.repeat)
            print("ratio eit:zoneoverlay/native: {:.2f}".format(t_full / t_native))
        except ImportError as err:
            print("eit:zoneoverlay not available: {}".format(err))


if __name__ == "__main__":
    main()
