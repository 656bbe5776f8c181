"""Every output layer has a default style that loads in QGIS 3.22 and shows what it should."""
from __future__ import annotations

import pytest
from qgis.core import QgsArrowSymbolLayer, QgsSymbolLayer, QgsVectorLayer

from eit_plugin.gui.results import OUTPUT_LAYERS
from eit_plugin.paths import STYLES_DIR

GEOMETRY = {
    "establishments": "Point", "flows": "Point", "zones": "MultiPolygon", "zones_eit_potential": "MultiPolygon",
    "communes": "MultiPolygon", "synergies": "LineString", "synergy_alternatives": "LineString",
    "clusters": "MultiPolygon", "recommendations": "Point",
}
FAMILIES = {"heat", "energy", "water", "waste", "material"}


def styled(name: str, fields: str = "") -> QgsVectorLayer:
    layer = QgsVectorLayer("{}?crs=EPSG:2154{}".format(GEOMETRY[name], fields), name, "memory")
    message, ok = layer.loadNamedStyle(str(STYLES_DIR / "{}.qml".format(name)))
    assert ok, message
    return layer


@pytest.mark.parametrize("name", sorted(set(OUTPUT_LAYERS) | {"zones_eit_potential"}))
def test_every_output_has_a_loadable_style(qgis_app, name):
    assert (STYLES_DIR / "{}.qml".format(name)).exists()
    text = (STYLES_DIR / "{}.qml".format(name)).read_text(encoding="utf-8")
    # Symbology and labels only: loading never overwrites the GeoPackage's (French) aliases.
    assert 'styleCategories="Symbology|Labeling"' in text
    layer = styled(name)
    assert layer.renderer() is not None


def test_flows_and_synergies_are_coloured_by_family(qgis_app):
    for name in ("flows", "synergies"):
        layer = styled(name)
        renderer = layer.renderer()
        categories = renderer.categories()
        assert renderer.classAttribute() == "family"
        assert FAMILIES <= {c.value() for c in categories}
        colours = {c.value(): c.symbol().color().name() for c in categories}
        assert colours["heat"] != colours["water"]


def test_synergies_are_arrows_whose_width_follows_the_quantity(qgis_app):
    layer = styled("synergies", "&field=family:string&field=quantity:double")
    categories = layer.renderer().categories()
    symbol = categories[0].symbol()
    arrow = symbol.symbolLayer(0)
    assert isinstance(arrow, QgsArrowSymbolLayer)
    assert arrow.headType() == QgsArrowSymbolLayer.HeadSingle  # supplier → receiver
    width = arrow.dataDefinedProperties().property(QgsSymbolLayer.PropertyArrowWidth)
    assert width.isActive() and "quantity" in width.expressionString()
    shown = arrow.dataDefinedProperties().property(QgsSymbolLayer.PropertyLayerEnabled)
    assert shown.isActive() and "@map_scale" in shown.expressionString() and "'heat'" in shown.expressionString()


def test_zones_in_cnig_colours_and_thematic_potential(qgis_app):
    layer = styled("zones")
    categories = layer.renderer().categories()
    colours = {c.value(): c.symbol().color().name() for c in categories}
    assert colours["A"] == "#ffff00" and colours["N"] == "#56aa02" and colours["U"] == "#e60000"
    assert "TYPEZONE" in layer.renderer().classAttribute()
    thematic = styled("zones_eit_potential")
    assert thematic.renderer().classAttribute() == "eit_potential"
    assert {c.value() for c in thematic.renderer().categories()} >= {"high", "medium", "low", "none"}


def test_clusters_are_outlined_and_labelled(qgis_app):
    layer = styled("clusters")
    assert layer.labelsEnabled()
    assert "cluster_id" in layer.labeling().settings().fieldName
    categories = layer.renderer().categories()
    symbol = categories[0].symbol()
    assert symbol.color().alphaF() < 0.2  # hull outlined, barely filled
    assert symbol.symbolLayer(0).strokeWidth() >= 0.5


def test_zone_colours_are_drawn_whatever_the_case_of_typezone(qgis_app):
    """Rendered, not just declared: an A zone is painted yellow whether the CNIG field is
    TYPEZONE or typezone."""
    from qgis.core import QgsFeature, QgsGeometry, QgsMapRendererSequentialJob, QgsMapSettings
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    for field in ("TYPEZONE", "typezone"):
        layer = styled("zones", "&field={}:string&field=LIBELLE:string".format(field))
        feature = QgsFeature(layer.fields())
        feature.setAttributes(["A", ""])
        feature.setGeometry(QgsGeometry.fromWkt("MULTIPOLYGON(((0 0, 100 0, 100 100, 0 100, 0 0)))"))
        layer.dataProvider().addFeatures([feature])
        layer.updateExtents()
        settings = QgsMapSettings()
        settings.setLayers([layer])
        settings.setDestinationCrs(layer.crs())
        settings.setExtent(layer.extent().buffered(10))
        settings.setOutputSize(QSize(60, 60))
        settings.setBackgroundColor(QColor("#ffffff"))
        job = QgsMapRendererSequentialJob(settings)
        job.start()
        job.waitForFinished()
        pixel = QColor(job.renderedImage().pixel(30, 30))
        assert (pixel.red(), pixel.green()) == (255, 255) and pixel.blue() < 200, (field, pixel.name())
