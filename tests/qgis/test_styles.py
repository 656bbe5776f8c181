"""Every output layer has a default style that loads in QGIS 3.22 and shows what it should."""
from __future__ import annotations

import pytest
from qgis.core import QgsArrowSymbolLayer, QgsSymbolLayer, QgsVectorLayer

from eit_plugin.gui.results import OUTPUT_LAYERS
from eit_plugin.paths import STYLES_DIR

GEOMETRY = {
    "establishments": "Point", "flows": "Point", "zones": "MultiPolygon", "zones_eit_potential": "MultiPolygon",
    "zones_cnig": "MultiPolygon",
    "communes": "MultiPolygon", "synergies": "LineString", "synergy_alternatives": "LineString",
    "clusters": "MultiPolygon", "recommendations": "Point",
}
FAMILIES = {"heat", "energy", "water", "waste", "material"}


def styled(name: str, fields: str = "") -> QgsVectorLayer:
    layer = QgsVectorLayer("{}?crs=EPSG:2154{}".format(GEOMETRY[name], fields), name, "memory")
    message, ok = layer.loadNamedStyle(str(STYLES_DIR / "{}.qml".format(name)))
    assert ok, message
    return layer


@pytest.mark.parametrize("name", sorted(set(OUTPUT_LAYERS) | {"zones_eit_potential", "zones_cnig"}))
def test_every_output_has_a_loadable_style(qgis_app, name):
    assert (STYLES_DIR / "{}.qml".format(name)).exists()
    text = (STYLES_DIR / "{}.qml".format(name)).read_text(encoding="utf-8")
    # Symbology and labels only: loading never overwrites the GeoPackage's (French) aliases.
    assert 'styleCategories="Symbology|Labeling"' in text
    layer = styled(name)
    assert layer.renderer() is not None


def test_flows_and_synergies_are_coloured_by_family(qgis_app):
    flows_layer, synergies_layer = styled("flows"), styled("synergies")
    flows = flows_layer.renderer()
    assert flows.classAttribute() == "family" and FAMILIES <= {c.value() for c in flows.categories()}
    synergies = synergies_layer.renderer()
    colours = {}
    for rule in synergies.rootRule().descendants():
        if rule.filterExpression().startswith('"family"') and rule.symbol() is not None:
            colours[rule.filterExpression().split("'")[1]] = rule.symbol().symbolLayer(0).subSymbol().color().name()
    assert FAMILIES <= set(colours) and colours["heat"] != colours["water"]


def _visible(layer, scale: float, attributes: dict, length_m: float = 1000.0) -> bool:
    """Would the layer's renderer draw a feature with ``attributes`` (a line or polygon
    ``length_m`` wide) on a 1000-pixel-wide map at about 1:``scale``?"""
    from qgis.core import (
        QgsExpressionContextUtils,
        QgsFeature,
        QgsGeometry,
        QgsMapSettings,
        QgsRectangle,
        QgsRenderContext,
    )
    from qgis.PyQt.QtCore import QSize

    settings = QgsMapSettings()
    settings.setDestinationCrs(layer.crs())
    settings.setOutputSize(QSize(1000, 800))
    settings.setOutputDpi(96)
    width = scale * 1000 * 0.0254 / 96
    settings.setExtent(QgsRectangle(0, 0, width, width * 0.8))
    context = QgsRenderContext.fromMapSettings(settings)
    context.expressionContext().appendScope(QgsExpressionContextUtils.mapSettingsScope(settings))
    feature = QgsFeature(layer.fields())
    for name, value in attributes.items():
        feature[name] = value
    if layer.geometryType() == 1:
        feature.setGeometry(QgsGeometry.fromWkt("LINESTRING(0 0, {} 0)".format(length_m)))
    else:
        feature.setGeometry(QgsGeometry.fromWkt("POLYGON((0 0, {0} 0, {0} {0}, 0 0))".format(length_m)))
    renderer = layer.renderer().clone()
    renderer.startRender(context, layer.fields())
    try:
        return bool(renderer.symbolsForFeature(feature, context))
    finally:
        renderer.stopRender(context)


def test_synergies_read_at_every_scale(qgis_app):
    """The territory view shows only the best-ranked synergies (the public output keeps the
    rank, not the score); weaker ones appear as one zooms in; arrows point from supplier to
    receiver, their width follows the quantity."""
    layer = styled("synergies", "&field=family:string&field=quantity:double&field=score:double&field=rank:integer")
    strong, medium, weak = ({"family": "waste", "rank": r, "score": None} for r in (10, 120, 500))
    assert _visible(layer, 250000, strong)
    assert not _visible(layer, 250000, medium) and not _visible(layer, 250000, weak)
    assert _visible(layer, 50000, medium) and not _visible(layer, 50000, weak)
    assert _visible(layer, 10000, weak)
    # Below the territory scale a weaker link is drawn when its ends could fit in the view.
    assert not _visible(layer, 10000, weak, length_m=40000) and _visible(layer, 250000, strong, length_m=40000)
    assert _visible(layer, 250000, {"family": "unknown", "rank": 1})  # any family has a colour
    # An output without rank: the score stands in.
    assert _visible(layer, 250000, {"family": "heat", "score": 0.8}) and not _visible(layer, 250000, {"score": 0.72})
    arrow = next(r for r in layer.renderer().rootRule().descendants() if r.symbol() is not None).symbol().symbolLayer(0)
    assert isinstance(arrow, QgsArrowSymbolLayer)
    assert arrow.headType() == QgsArrowSymbolLayer.HeadType.HeadSingle  # supplier → receiver
    width = arrow.dataDefinedProperties().property(QgsSymbolLayer.Property.PropertyArrowWidth)
    assert width.isActive() and "quantity" in width.expressionString()


def test_zones_by_eit_potential_and_cnig_colours_as_second_style(qgis_app):
    layer = styled("zones")
    assert layer.renderer().classAttribute() == "eit_potential"
    assert {c.value() for c in layer.renderer().categories()} >= {"high", "medium", "low", "none"}
    cnig = styled("zones_cnig")
    colours = {c.value(): c.symbol().color().name() for c in cnig.renderer().categories()}
    assert colours["A"] == "#ffff00" and colours["N"] == "#56aa02" and colours["U"] == "#e60000"
    assert "TYPEZONE" in cnig.renderer().classAttribute()
    # The report's overview map uses this file.
    thematic = styled("zones_eit_potential")
    assert thematic.renderer().classAttribute() == "eit_potential"


def test_clusters_are_light_outlines_labelled_in_french(qgis_app):
    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextScope, QgsFeature

    layer = styled("clusters", "&field=kind:string&field=n_members:integer&field=resources:string"
                               "&field=action_fr:string&field=action_en:string")
    assert layer.labelsEnabled()
    for rule in layer.renderer().rootRule().descendants():
        symbol = rule.symbol()
        assert symbol.color().alphaF() <= 0.1 and symbol.symbolLayer(0).strokeWidth() <= 0.5
    # Exchange networks span the territory: not drawn at its scale.
    assert not _visible(layer, 250000, {"kind": "exchange"}) and _visible(layer, 50000, {"kind": "exchange"})
    assert _visible(layer, 100000, {"kind": "pooling"}) and not _visible(layer, 250000, {"kind": "pooling"})
    expression = QgsExpression(layer.labeling().settings().fieldName)
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["pooling", 5, "paper_cardboard, wood_waste", None, None])
    context = QgsExpressionContext()
    scope = QgsExpressionContextScope()
    scope.setVariable("qgis_locale", "fr_FR")
    context.appendScope(scope)
    context.setFeature(feature)
    text = expression.evaluate(context)
    assert not expression.hasEvalError(), expression.evalErrorString()
    assert "paper_cardboard" not in text and "5 membres" in text and "Mutualisation" in text
    scope.setVariable("qgis_locale", "en_GB")
    assert "5 members" in expression.evaluate(context)


def test_zone_colours_are_drawn_whatever_the_case_of_typezone(qgis_app):
    """Rendered, not just declared: an A zone is painted yellow whether the CNIG field is
    TYPEZONE or typezone."""
    from qgis.core import QgsFeature, QgsGeometry, QgsMapRendererSequentialJob, QgsMapSettings
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    for field in ("TYPEZONE", "typezone"):
        layer = styled("zones_cnig", "&field={}:string&field=LIBELLE:string".format(field))
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


def test_one_styling_path_gives_the_catalogue_style_and_the_zones_second_style(qgis_app):
    """What the GeoPackage stores, the dock loads and Processing shows come from one function."""
    from eit_plugin.core import catalogue
    from eit_plugin.qgis_io.styles import apply_output_style, style_path

    for layer in catalogue.OUTPUT_LAYERS:
        assert style_path(layer.name) == STYLES_DIR / "{}.qml".format(layer.style)
    zones = QgsVectorLayer("MultiPolygon?crs=EPSG:2154", "zones", "memory")
    assert apply_output_style(zones, "zones")
    manager = zones.styleManager()
    assert len(manager.styles()) == 2
    assert zones.renderer().classAttribute() == "eit_potential"
    other = [s for s in manager.styles() if s != manager.currentStyle()][0]
    manager.setCurrentStyle(other)
    assert "TYPEZONE" in zones.renderer().classAttribute()
    flows = QgsVectorLayer("Point?crs=EPSG:2154", "flows", "memory")
    assert apply_output_style(flows, "flows")
    assert len(flows.styleManager().styles()) == 1
