"""Write the default styles of the EIT outputs: ``python -m tools.build_styles``.

The QML files under ``resources/styles/`` are built here with PyQGIS (QGIS 3.22) so that
they stay valid and reviewable as code: colours, widths and labels in one place. Run it
again after a change and commit the QML it writes.

Colours: families heat (red), energy (amber), water (blue), waste (brown), material (green);
PLU zones in the CNIG colours (U red, AUc orange, AUs light orange, A yellow, N green).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FAMILY_COLOURS = {
    "heat": ("#d7301f", "Chaleur", "Heat"),
    "energy": ("#f0a30a", "Énergie", "Energy"),
    "water": ("#2b8cbe", "Eau", "Water"),
    "waste": ("#8c5a2b", "Déchets", "Waste"),
    "material": ("#33a02c", "Matières", "Materials"),
}
# CNIG zone types (TYPEZONE) - the usual colours of the Géoportail de l'urbanisme.
CNIG_COLOURS = {
    "U": ("#e60000", "U : zone urbaine"),
    "AUc": ("#ff7f00", "AUc : à urbaniser (ouverte)"),
    "AUs": ("#ffbf7f", "AUs : à urbaniser (stricte)"),
    "A": ("#ffff00", "A : agricole"),
    "N": ("#56aa02", "N : naturelle et forestière"),
}
POTENTIAL_COLOURS = {
    "high": ("#006d2c", "Potentiel EIT élevé"),
    "medium": ("#41ab5d", "Potentiel EIT moyen"),
    "low": ("#c7e9c0", "Potentiel EIT faible"),
    "none": ("#f0f0f0", "Pas de potentiel identifié"),
}
# Plain field names: QGIS matches them case-insensitively (QgsFields.lookupField), so "TYPEZONE"
# also finds "typezone"; attribute(@feature, ...) would not fetch the field from the provider.
TYPEZONE_EXPRESSION = "TYPEZONE"
LIBELLE_EXPRESSION = "\"LIBELLE\""
SYNERGY_SHOWN_EXPRESSION = ("@map_scale <= 100000 OR \"family\" IN ('heat', 'energy', 'water') "
                            "OR coalesce(\"score\", 0) >= 0.8")
CLUSTER_COLOURS = {
    "pooling": ("#6a3d9a", "Mutualisation"),
    "exchange": ("#e6550d", "Échange"),
}


def _app():
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    return app


def _memory_layer(geometry: str, fields: dict):
    from qgis.core import QgsField, QgsVectorLayer
    from qgis.PyQt.QtCore import QVariant

    layer = QgsVectorLayer("{}?crs=EPSG:2154".format(geometry), "style", "memory")
    types = {"str": QVariant.String, "float": QVariant.Double, "int": QVariant.LongLong, "bool": QVariant.Bool}
    layer.dataProvider().addAttributes([QgsField(name, types[kind]) for name, kind in fields.items()])
    layer.updateFields()
    return layer


def _labels(layer, expression: str, size: float = 8.0, colour: str = "#222222", placement=None,
            scale_max: float = 0.0, buffer: bool = True):
    from qgis.core import (
        QgsPalLayerSettings,
        QgsTextBufferSettings,
        QgsTextFormat,
        QgsVectorLayerSimpleLabeling,
    )
    from qgis.PyQt.QtGui import QColor, QFont

    settings = QgsPalLayerSettings()
    settings.fieldName = expression
    settings.isExpression = True
    if placement is not None:
        settings.placement = placement
    text = QgsTextFormat()
    font = QFont("Sans Serif")
    font.setBold(True)
    text.setFont(font)
    text.setSize(size)
    text.setColor(QColor(colour))
    if buffer:
        buf = QgsTextBufferSettings()
        buf.setEnabled(True)
        buf.setSize(0.8)
        buf.setColor(QColor("#ffffff"))
        text.setBuffer(buf)
    settings.setFormat(text)
    if scale_max:
        settings.scaleVisibility = True
        settings.minimumScale = scale_max  # "minimum" scale = most zoomed-out denominator
        settings.maximumScale = 0
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def _fill(colour: str, opacity: float, outline: str, width: float = 0.26, style: str = "solid"):
    from qgis.core import QgsFillSymbol
    from qgis.PyQt.QtGui import QColor

    fill = QColor(colour)
    fill.setAlphaF(opacity)
    return QgsFillSymbol.createSimple({
        "color": "{},{},{},{}".format(fill.red(), fill.green(), fill.blue(), fill.alpha()),
        "outline_color": outline,
        "outline_width": str(width),
        "outline_style": style,
        "style": "solid" if opacity > 0 else "no",
    })


def _categorized(field: str, categories):
    from qgis.core import QgsCategorizedSymbolRenderer, QgsRendererCategory

    return QgsCategorizedSymbolRenderer(field, [QgsRendererCategory(v, s, label) for v, s, label in categories])


def style_establishments(layer):
    from qgis.core import QgsMarkerSymbol, QgsSingleSymbolRenderer

    symbol = QgsMarkerSymbol.createSimple({"name": "circle", "color": "#4d4d4d", "size": "1.6",
                                           "outline_color": "#ffffff", "outline_width": "0.2"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    _labels(layer, "\"name\"", size=7, scale_max=10000)


def style_flows(layer):
    from qgis.core import QgsMarkerSymbol, QgsProperty, QgsSymbolLayer

    categories = []
    for family, (colour, label_fr, _label_en) in FAMILY_COLOURS.items():
        symbol = QgsMarkerSymbol.createSimple({"name": "circle", "color": colour, "size": "2.4",
                                               "outline_color": "#ffffff", "outline_width": "0.3"})
        # Supplies as triangles (something is offered), demands as circles.
        symbol.symbolLayer(0).setDataDefinedProperty(
            QgsSymbolLayer.PropertyName,
            QgsProperty.fromExpression("if(\"direction\" = 'supply', 'triangle', 'circle')"),
        )
        categories.append((family, symbol, label_fr))
    other = QgsMarkerSymbol.createSimple({"name": "circle", "color": "#999999", "size": "2"})
    categories.append(("", other, "Autre"))
    layer.setRenderer(_categorized("family", categories))


def style_zones(layer):
    categories = []
    for typezone, (colour, label) in CNIG_COLOURS.items():
        categories.append((typezone, _fill(colour, 0.45, "#8c8c8c", 0.1), label))
    categories.append(("", _fill("#cccccc", 0.3, "#8c8c8c", 0.1), "Autre type de zone"))
    # The CNIG field is TYPEZONE, kept as read: its case may vary.
    layer.setRenderer(_categorized(TYPEZONE_EXPRESSION, categories))
    _labels(layer, LIBELLE_EXPRESSION, size=7.5, colour="#333333", scale_max=25000)


def style_zones_potential(layer):
    categories = []
    for potential, (colour, label) in POTENTIAL_COLOURS.items():
        opacity = 0.15 if potential == "none" else 0.75
        categories.append((potential, _fill(colour, opacity, "#8c8c8c", 0.1), label))
    layer.setRenderer(_categorized("eit_potential", categories))
    _labels(layer, LIBELLE_EXPRESSION, size=7.5, colour="#1b1b1b", scale_max=25000)


def style_communes(layer):
    """Communes (dashed) and EPCI (solid, thicker) outlines from the overlay's ``level`` field."""
    categories = [
        ("commune", _fill("#000000", 0.0, "#505050", 0.5, "dash"), "Commune"),
        ("epci", _fill("#000000", 0.0, "#252525", 1.2), "EPCI"),
        ("", _fill("#000000", 0.0, "#505050", 0.5, "dash"), "Autre"),
    ]
    layer.setRenderer(_categorized("level", categories))
    _labels(layer, "if(\"level\" = 'epci', upper(coalesce(\"name\", \"code\")), coalesce(\"name\", \"code\"))",
            size=9, colour="#404040")


def _arrow(colour: str, dashed: bool = False):
    from qgis.core import QgsArrowSymbolLayer, QgsFillSymbol, QgsLineSymbol, QgsProperty, QgsSymbolLayer

    arrow = QgsArrowSymbolLayer()
    arrow.setIsCurved(False)
    arrow.setIsRepeated(False)
    arrow.setArrowType(QgsArrowSymbolLayer.ArrowPlain)
    arrow.setHeadType(QgsArrowSymbolLayer.HeadSingle)
    arrow.setArrowWidth(0.5)
    arrow.setArrowStartWidth(0.5)
    arrow.setHeadLength(2.2)
    arrow.setHeadThickness(1.3)
    fill = QgsFillSymbol.createSimple({"color": colour, "outline_color": "#ffffff", "outline_width": "0.1",
                                       "outline_style": "dash" if dashed else "solid"})
    if dashed:
        fill.setOpacity(0.6)
    arrow.setSubSymbol(fill)
    if not dashed:
        # Width by quantity, relative within the family (units differ between families).
        # (Public outputs withhold the quantity: then every arrow has the base width.)
        width = ("0.4 + 1.8 * scale_linear(ln(1 + coalesce(\"quantity\", 0)), 0, "
                 "ln(1 + coalesce(maximum(\"quantity\", group_by:=\"family\"), 1)), 0, 1)")
        arrow.setDataDefinedProperty(QgsSymbolLayer.PropertyArrowWidth, QgsProperty.fromExpression(width))
        arrow.setDataDefinedProperty(QgsSymbolLayer.PropertyArrowStartWidth, QgsProperty.fromExpression(width))
        # Territory scale (beyond 1:100 000): every heat, energy and water synergy, but only the
        # best-scored waste and material ones (hundreds of long arrows otherwise hide the map).
        arrow.setDataDefinedProperty(QgsSymbolLayer.PropertyLayerEnabled, QgsProperty.fromExpression(
            SYNERGY_SHOWN_EXPRESSION))
    symbol = QgsLineSymbol()
    symbol.changeSymbolLayer(0, arrow)
    symbol.setOpacity(0.85)
    return symbol


def style_synergies(layer):
    categories = [(family, _arrow(colour), label_fr) for family, (colour, label_fr, _en) in FAMILY_COLOURS.items()]
    categories.append(("", _arrow("#7f7f7f"), "Autre"))
    renderer = _categorized("family", categories)
    # Best synergies drawn last, on top of the others.
    from qgis.core import QgsFeatureRequest

    renderer.setOrderBy(QgsFeatureRequest.OrderBy([QgsFeatureRequest.OrderByClause("score", True)]))
    renderer.setOrderByEnabled(True)
    layer.setRenderer(renderer)


def style_synergy_alternatives(layer):
    from qgis.core import QgsLineSymbol, QgsSingleSymbolRenderer

    symbol = QgsLineSymbol.createSimple({"line_color": "#7f7f7f", "line_width": "0.35", "line_style": "dash"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))


def style_clusters(layer):
    from qgis.core import QgsPalLayerSettings

    categories = []
    for kind, (colour, label) in CLUSTER_COLOURS.items():
        # Exchange clusters link distant sites (km-wide hulls): thinner and dashed.
        width, style = (0.8, "solid") if kind == "pooling" else (0.5, "dash")
        categories.append((kind, _fill(colour, 0.08 if kind == "pooling" else 0.03, colour, width, style), label))
    categories.append(("", _fill("#6a3d9a", 0.08, "#6a3d9a", 0.8), "Autre"))
    layer.setRenderer(_categorized("kind", categories))
    # Id and size; the resources only when short (exchange clusters list dozens), from 1:100 000.
    _labels(layer, "\"cluster_id\" || ' (' || \"n_members\" || ')' || "
                   "if(length(coalesce(\"resources\", '')) <= 40, '\\n' || coalesce(\"resources\", ''), '')",
            size=8, colour="#3f007d", placement=QgsPalLayerSettings.Horizontal, scale_max=100000)


def style_recommendations(layer):
    from qgis.core import QgsCategorizedSymbolRenderer, QgsMarkerSymbol, QgsRendererCategory

    categories = []
    for priority, colour, label in ((1, "#b2182b", "Priorité 1 (haute)"), (2, "#ef8a62", "Priorité 2"),
                                    (3, "#fddbc7", "Priorité 3")):
        symbol = QgsMarkerSymbol.createSimple({"name": "star", "color": colour, "size": "4",
                                               "outline_color": "#3f3f3f", "outline_width": "0.2"})
        categories.append(QgsRendererCategory(priority, symbol, label))
    layer.setRenderer(QgsCategorizedSymbolRenderer("priority", categories))


# name → (geometry, fields needed by the style, styling function)
STYLES = {
    "establishments": ("Point", {"siret": "str", "name": "str"}, style_establishments),
    "flows": ("Point", {"flow_id": "str", "direction": "str", "family": "str", "quantity": "float"}, style_flows),
    "zones": ("MultiPolygon", {"LIBELLE": "str", "TYPEZONE": "str", "eit_potential": "str"}, style_zones),
    "zones_eit_potential": ("MultiPolygon", {"LIBELLE": "str", "TYPEZONE": "str", "eit_potential": "str"},
                            style_zones_potential),
    "communes": ("MultiPolygon", {"level": "str", "code": "str", "name": "str"}, style_communes),
    "synergies": ("LineString", {"synergy_id": "str", "family": "str", "quantity": "float"}, style_synergies),
    "synergy_alternatives": ("LineString", {"synergy_id": "str", "family": "str", "quantity": "float"},
                             style_synergy_alternatives),
    "clusters": ("MultiPolygon", {"cluster_id": "str", "kind": "str", "n_members": "int", "resources": "str"},
                 style_clusters),
    "recommendations": ("Point", {"rec_id": "str", "priority": "int"}, style_recommendations),
}


def build(out_dir: Path, names=None) -> list:
    written = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, (geometry, fields, function) in STYLES.items():
        if names and name not in names:
            continue
        layer = _memory_layer(geometry, fields)
        function(layer)
        path = out_dir / "{}.qml".format(name)
        # Symbology and labels only: the GeoPackage's field aliases (French) stay as written.
        from qgis.core import QgsMapLayer

        categories = QgsMapLayer.StyleCategories(QgsMapLayer.Symbology | QgsMapLayer.Labeling)
        message, ok = layer.saveNamedStyle(str(path), categories)
        if not ok:
            raise RuntimeError("{}: {}".format(path, message))
        written.append(path)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "styles")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args(argv)
    app = _app()  # noqa: F841 - keeps QGIS alive while styles are written
    for path in build(args.out, args.names):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    sys.exit(main())
