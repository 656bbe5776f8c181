"""qgis_io.zones: reading CNIG zone_urba layers, repair, zone ids and point → zone assignment."""
from __future__ import annotations

import numpy as np
import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsProject,
    QgsVectorLayer,
)

from eit_plugin.core.errors import EitInputError
from eit_plugin.core.feedback import Feedback
from eit_plugin.qgis_io.zones import read_zones


def zone_layer(rows, fields="IDURBA:string&field=libelle:string&field=TypeZone:string&field=INSEE:string", crs="EPSG:2154"):
    layer = QgsVectorLayer("MultiPolygon?crs={}&field={}".format(crs, fields), "zone_urba", "memory")
    provider = layer.dataProvider()
    for wkt, *attrs in rows:
        feature = QgsFeature(layer.fields())
        feature.setAttributes(list(attrs))
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        assert provider.addFeature(feature)
    return layer


SQUARE_A = "POLYGON((0 0,100 0,100 100,0 100,0 0))"
SQUARE_B = "POLYGON((100 0,200 0,200 100,100 100,100 0))"
OVERLAP_C = "POLYGON((150 50,250 50,250 150,150 150,150 50))"
HOLED_D = "POLYGON((500 0,600 0,600 100,500 100,500 0),(520 20,580 20,580 80,520 80,520 20))"


@pytest.fixture
def zones(qgis_app):
    return read_zones(zone_layer([
        (SQUARE_B, "73065_PLU", "Ub", "U", "73065"),
        (SQUARE_A, "73065_PLU", "Ua", "U", "73065"),
        (OVERLAP_C, "73065_PLU", "AUc", "AUc", "73065"),
        (HOLED_D, "73065_PLU", "N", None, "73065"),
    ]), feedback=Feedback())


def test_zone_ids_are_deterministic_and_sorted(zones):
    assert list(zones.frame["zone_id"]) == ["73065_PLU:AUc:1", "73065_PLU:N:1", "73065_PLU:Ua:1", "73065_PLU:Ub:1"]
    # Canonical lower-case columns next to the original names; NULL TYPEZONE kept as NULL.
    assert list(zones.frame["typezone"]) == ["AUc", None, "U", "U"]
    assert list(zones.frame["TypeZone"].isna()) == [False, True, False, False]
    assert zones.frame["destdomi"].isna().all()
    assert list(zones.frame["area_m2"]) == [10_000.0, 6_400.0, 10_000.0, 10_000.0]


def test_assignment_boundary_overlap_outside_and_hole(zones):
    xs = [50, 100, 175, 1000, 550, 510, 120]
    ys = [50, 50, 75, 1000, 50, 50, 30]
    ids, n = zones.assign(xs, ys)
    assert ids == [
        "73065_PLU:Ua:1",   # inside A
        "73065_PLU:Ua:1",   # on the A/B shared boundary: first zone by zone_id
        "73065_PLU:AUc:1",  # where B and C overlap: first zone by zone_id
        None,               # outside every zone
        None,               # in the hole of D
        "73065_PLU:N:1",    # in D's ring
        "73065_PLU:Ub:1",
    ]
    assert list(n) == [1, 2, 2, 0, 0, 1, 1]


def test_assignment_agrees_with_geos_on_random_points(zones):
    rng = np.random.default_rng(7)
    pts = rng.uniform(-20, 620, size=(3000, 2))
    ids, n = zones.assign(pts[:, 0], pts[:, 1])
    frame = zones.frame
    for (x, y), zid, count in zip(pts, ids, n):
        point = QgsGeometry.fromWkt("POINT({} {})".format(x, y))
        hits = [z for z, g in zip(frame["zone_id"], frame["geometry"]) if g.intersects(point)]
        assert count == len(hits)
        assert zid == (hits[0] if hits else None)


def test_adjacency_touching_overlapping_and_distance(zones):
    touching = zones.adjacency(0.0)
    assert list(zip(touching["zone_a"], touching["zone_b"])) == [("73065_PLU:AUc:1", "73065_PLU:Ub:1"),
                                                                ("73065_PLU:Ua:1", "73065_PLU:Ub:1")]
    near = zones.adjacency(260.0)
    row = near[(near["zone_a"] == "73065_PLU:AUc:1") & (near["zone_b"] == "73065_PLU:N:1")]
    assert float(row["distance_m"].iloc[0]) == pytest.approx(250.0)


def test_nearest_zone_and_point_on_surface(zones):
    assert zones.nearest_zone([610, 260], [50, 150]) == ["73065_PLU:N:1", "73065_PLU:AUc:1"]
    x, y = zones.point_on_surface("73065_PLU:N:1")
    assert zones.assign([x], [y])[0] == ["73065_PLU:N:1"]


def test_invalid_geometry_repaired_with_warning_naming_the_zone(qgis_app):
    layer = zone_layer([("POLYGON((300 0,400 100,400 0,300 100,300 0))", "73008_PLU", "Nbow", "N", "73008")])
    fb = Feedback()
    zones = read_zones(layer, feedback=fb)
    assert fb.warnings == ["Zone Nbow / 73008 (fid 1) had an invalid geometry (segments 0 and 2 of line 0 intersect at "
                           "350, 50); it was repaired (make valid), area 0 m² → 5000 m²."]
    assert zones.repaired == ["Nbow / 73008 (fid 1)"]
    assert zones.frame["area_m2"].iloc[0] == pytest.approx(5000.0)
    assert zones.assign([320, 350], [50, 90])[0] == ["73008_PLU:Nbow:1", None]
    # The input layer is untouched.
    assert not next(layer.getFeatures()).geometry().isGeosValid()


def test_unrepairable_geometry_stops_with_the_zone_name(qgis_app):
    layer = zone_layer([("POLYGON((0 0,10 0,20 0,0 0))", "73008_PLU", "Flat", "U", "73008")])
    with pytest.raises(EitInputError, match=r"Zone Flat / 73008 \(fid 1\) has an invalid geometry .* could not be repaired"):
        read_zones(layer)


def test_v2024_fields_idzone_and_reprojection(qgis_app):
    fields = "IDZONE:string&field=LIBELLE:string&field=TYPEZONE:string&field=FORMDOMI:string&field=DESTOUI:string"
    wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
    to_wgs = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:2154"), wgs84, QgsProject.instance())
    geom = QgsGeometry.fromWkt("POLYGON((925000 6500000,926000 6500000,926000 6501000,925000 6501000,925000 6500000))")
    geom.transform(to_wgs)
    layer = zone_layer([(geom.asWkt(12), "Z-42", "Ux", "U", "0201", "51;52")], fields=fields, crs="EPSG:4326")
    fb = Feedback()
    zones = read_zones(layer, feedback=fb)
    row = zones.frame.iloc[0]
    assert row["zone_id"] == "Z-42"
    assert (row["formdomi"], row["destoui"], row["destdomi"]) == ("0201", "51;52", None)
    assert row["area_m2"] == pytest.approx(1_000_000.0, rel=1e-3)
    assert zones.assign([925500], [6500500])[0] == ["Z-42"]
    assert any("reprojected from EPSG:4326" in m for m in fb.infos)


def test_missing_typezone_is_a_clear_error(qgis_app):
    layer = zone_layer([(SQUARE_A, "x", "Ua")], fields="IDURBA:string&field=LIBELLE:string")
    with pytest.raises(EitInputError, match="has no field TYPEZONE"):
        read_zones(layer, layer_name="zone_urba")


def test_zones_with_z_values_and_curves_are_read_in_2d(qgis_app):
    layer = QgsVectorLayer("MultiPolygonZ?crs=EPSG:2154&field=TYPEZONE:string&field=LIBELLE:string", "z", "memory")
    for wkt, libelle in (("MULTIPOLYGON Z(((0 0 5,100 0 5,100 100 7,0 100 5,0 0 5)))", "U1"),
                         ("CURVEPOLYGON(CIRCULARSTRING(200 0,250 50,200 100,150 50,200 0))", "U2")):
        feature = QgsFeature(layer.fields())
        feature.setAttributes(["U", libelle])
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        layer.dataProvider().addFeature(feature)
    zones = read_zones(layer)
    ids, n = zones.assign([50, 200, 120], [50, 50, 50])
    assert ids == [":U1:1", ":U2:1", None] and list(n) == [1, 1, 0]
    assert zones.frame["area_m2"].iloc[1] == pytest.approx(3.14159 * 50 * 50, rel=1e-2)
