"""The shipped sample opens in QGIS as a user would open it: valid layers in EPSG:2154, the
default styles stored in the GeoPackage applied, the "synthetic" warning in the abstract."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GPKG = ROOT / "resources" / "sample" / "metropole_savoie_sample.gpkg"
LAYERS = ["zone_urba", "communes", "housing", "heat_network", "roads", "establishments_sirene"]


def _layer(name):
    from qgis.core import QgsVectorLayer

    return QgsVectorLayer("{}|layername={}".format(GPKG, name), name, "ogr")


@pytest.mark.parametrize("name", LAYERS)
def test_sample_layer_opens_valid_styled_and_labelled_synthetic(qgis_app, name):
    layer = _layer(name)
    assert layer.isValid()
    assert layer.featureCount() > 0
    assert layer.crs().authid() == "EPSG:2154"
    assert "SYNTH" in layer.metadata().abstract()
    # the default style comes from the GeoPackage's layer_styles table, not QGIS's default
    expected = {"zone_urba": "categorizedSymbol", "housing": "categorizedSymbol", "roads": "categorizedSymbol",
                "establishments_sirene": "categorizedSymbol", "communes": "singleSymbol",
                "heat_network": "singleSymbol"}[name]
    assert layer.renderer().type() == expected


def test_zone_urba_is_styled_by_cnig_typezone(qgis_app):
    layer = _layer("zone_urba")
    renderer = layer.renderer()
    assert renderer.classAttribute() == "TYPEZONE"
    colours = {c.value(): c.symbol().color().name() for c in renderer.categories()}
    assert colours == {"U": "#e60000", "AUc": "#ff7f00", "AUs": "#ffbf7f", "A": "#ffff00", "N": "#56aa02"}
    values = set(layer.uniqueValues(layer.fields().indexOf("TYPEZONE")))
    assert values == set(colours)  # every zone gets a colour


def test_zone_urba_qml_in_resources_matches_the_embedded_style(qgis_app, tmp_path):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer("{}|layername=zone_urba".format(GPKG), "z", "ogr")
    message, ok = layer.loadNamedStyle(str(ROOT / "resources" / "styles" / "zone_urba.qml"))
    assert ok, message
    assert layer.renderer().classAttribute() == "TYPEZONE"
    assert layer.labelsEnabled()


def test_sample_heat_network_reaches_housing_and_the_bissy_project(qgis_app):
    """The analysis's key fact in geometry: the 1AUm Bissy-Érier project (future housing) is
    crossed by the existing heat network."""
    from qgis.core import QgsFeatureRequest, QgsGeometry

    zones = _layer("zone_urba")
    req = QgsFeatureRequest().setFilterExpression("\"LIBELLE\" = '1AUm'")
    project = [f for f in zones.getFeatures(req)]
    assert len(project) == 1 and project[0]["TYPEZONE"] == "AUc"
    network = QgsGeometry.unaryUnion([f.geometry() for f in _layer("heat_network").getFeatures()])
    assert network.intersects(project[0].geometry())
