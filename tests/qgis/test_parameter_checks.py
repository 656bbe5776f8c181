"""Parameters checked by the plugin before any work, with a message that says what is wrong,
the allowed range and why; inputs unchanged (hashed)."""
from __future__ import annotations

import os

import pytest
from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsPointXY, QgsVectorFileWriter, QgsVectorLayer
from qgis.PyQt.QtCore import QVariant

from tests.qgis.test_outputs_safety import ZONES, establishments, refused, run, sha, write, zones


@pytest.fixture
def flows(eit_provider, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    result = run("eit:estimateflows", {"INPUT": establishments(folder / "est.gpkg"),
                                       "OUTPUT": str(folder / "flows.gpkg")})
    return result["OUTPUT"]


def test_a_unit_in_a_number_field_is_refused_not_read_as_zero(flows, tmp_path):
    before = sha(flows.split("|")[0])
    message = refused("eit:detectsynergies", {"FLOWS": flows, "MAX_DISTANCE_M": "500 m",
                                              "OUTPUT": str(tmp_path / "s.gpkg")})
    assert "MAX_DISTANCE_M" in message and "'500 m' is not a number" in message, message
    assert not (tmp_path / "s.gpkg").exists()
    assert sha(flows.split("|")[0]) == before


@pytest.mark.parametrize("name,value,expected", [
    ("DISTANCE_M", "-5", "at least 1"),
    ("MIN_MEMBERS", "1", "at least 2 (a pooling cluster needs at least 2 members"),
    ("MIN_MEMBERS", "2.5", "whole number"),
])
def test_out_of_range_values_say_the_range_and_why(flows, tmp_path, name, value, expected):
    message = refused("eit:detectclusters", {"FLOWS": flows, name: value, "OUTPUT": str(tmp_path / "c.gpkg")})
    assert name in message and expected in message, message
    assert "Incorrect parameter value" not in message


def test_negative_distance_in_synergies(flows, tmp_path):
    message = refused("eit:detectsynergies", {"FLOWS": flows, "MAX_DISTANCE_M": -100,
                                              "OUTPUT": str(tmp_path / "s.gpkg")})
    assert "cannot be negative" in message, message


def test_a_point_layer_given_as_network_is_named(flows, tmp_path):
    message = refused("eit:detectsynergies", {"FLOWS": flows, "NETWORK": flows, "OUTPUT": str(tmp_path / "s.gpkg")})
    assert "NETWORK" in message and "point layer" in message and "line" in message, message
    assert "bug" not in message


def test_layer_name_typo_lists_the_layers_of_the_file(flows, tmp_path):
    package = tmp_path / "plu.gpkg"
    zones(package)
    message = refused("eit:zoneoverlay", {"ZONES": "{}|layername=zone_urab".format(package), "FLOWS": flows,
                                          "OUTPUT": str(tmp_path / "z.gpkg")})
    assert "no layer 'zone_urab'" in message and "zone_urba" in message, message


def test_empty_zone_layer_is_refused(flows, tmp_path):
    empty = QgsVectorLayer("MultiPolygon?crs=EPSG:2154&field=TYPEZONE:string", "zone_urba", "memory")
    path = write(empty, tmp_path / "empty.gpkg", "zone_urba")
    message = refused("eit:zoneoverlay", {"ZONES": path, "FLOWS": flows, "OUTPUT": str(tmp_path / "z.gpkg")})
    assert "ZONES" in message and "no feature" in message, message


def _degree_zones(tmp_path, crs):
    layer = QgsVectorLayer("Polygon?crs={}".format(crs) if crs else "Polygon", "zone_urba", "memory")
    layer.dataProvider().addAttributes([QgsField(n, QVariant.String) for n in ("LIBELLE", "TYPEZONE")])
    layer.updateFields()
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["UX", "U"])
    feature.setGeometry(QgsGeometry.fromWkt("POLYGON((5.9 45.5,5.95 45.5,5.95 45.55,5.9 45.55,5.9 45.5))"))
    layer.dataProvider().addFeature(feature)
    path = tmp_path / "zones.shp"
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "ESRI Shapefile"
    QgsVectorFileWriter.writeAsVectorFormatV3(layer, str(path), layer.transformContext(), options)
    if not crs and os.path.exists(tmp_path / "zones.prj"):
        os.remove(tmp_path / "zones.prj")
    return str(path)


def test_zones_in_degrees_without_crs_are_refused(flows, tmp_path):
    path = _degree_zones(tmp_path, None)
    before = sha(path)
    message = refused("eit:zoneoverlay", {"ZONES": path, "FLOWS": flows, "OUTPUT": str(tmp_path / "z.gpkg")})
    assert "ZONES" in message and "has no CRS" in message and "degrees" in message, message
    assert sha(path) == before


def test_zones_in_degrees_declared_as_lambert93_are_refused(flows, tmp_path):
    path = _degree_zones(tmp_path, "EPSG:2154")
    before = sha(path)
    message = refused("eit:zoneoverlay", {"ZONES": path, "FLOWS": flows, "OUTPUT": str(tmp_path / "z.gpkg")})
    assert "ZONES" in message and "EPSG:2154" in message and "degrees" in message, message
    assert "Set the layer's CRS" in message, message
    assert sha(path) == before
    assert not (tmp_path / "z.gpkg").exists()


def test_flows_far_from_every_zone_give_a_warning_and_a_count(flows, tmp_path):
    import processing
    from qgis.core import QgsProcessingContext

    from tests.qgis.test_alg_import_establishments import RecordingFeedback

    far = QgsVectorLayer("MultiPolygon?crs=EPSG:2154&field=LIBELLE:string&field=TYPEZONE:string", "zone_urba", "memory")
    feature = QgsFeature(far.fields())
    feature.setAttributes(["UX", "U"])
    feature.setGeometry(QgsGeometry.fromWkt("POLYGON((400000 400000,401000 400000,401000 401000,400000 400000))"))
    far.dataProvider().addFeature(feature)
    path = write(far, tmp_path / "far.gpkg", "zone_urba")
    feedback = RecordingFeedback()
    result = processing.run("eit:zoneoverlay", {"ZONES": path, "FLOWS": flows, "OUTPUT": str(tmp_path / "z.gpkg")},
                            context=QgsProcessingContext(), feedback=feedback)
    assert result["N_FLOWS_ZONED"] == 0 and result["N_FLOWS_UNZONED"] == result["N_FLOWS"] > 0
    warnings = " ".join(feedback.errors)
    assert "100 %" in warnings and "km" in warnings, warnings
    layer = QgsVectorLayer(result["OUTPUT"], "z", "ogr")
    assert sum(f["n_flows_unzoned"] for f in layer.getFeatures()) == result["N_FLOWS"]
    assert len(ZONES) == 4
    assert QgsPointXY(0, 0) is not None
