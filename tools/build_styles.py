"""Write the default styles of the EIT outputs: ``python -m tools.build_styles``.

The QML files under ``resources/styles/`` are built here with PyQGIS (QGIS 3.22) so that
they stay valid and reviewable as code: colours, widths and labels in one place. Run it
again after a change and commit the QML it writes.

Colours: families heat (red), energy (amber), water (blue), waste (brown), material (green);
PLU zones by EIT potential (greens) by default, the CNIG colours (U red, AUc orange, AUs light
orange, A yellow, N green) as a second style. Styles are for reading: at the territory scale
only the strongest synergies are drawn (scale-dependent rules), clusters are light outlines,
labels appear when zoomed in. Legend texts come from ``eit_plugin.gui.legend`` (French in the
files; the dock shows them in the QGIS language).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eit_plugin.gui.legend import fr  # noqa: E402 - after the path set-up

FAMILY_COLOURS = {
    "heat": ("#d7301f", fr("family:heat"), "Heat"),
    "energy": ("#f0a30a", fr("family:energy"), "Energy"),
    "water": ("#2b8cbe", fr("family:water"), "Water"),
    "waste": ("#8c5a2b", fr("family:waste"), "Waste"),
    "material": ("#33a02c", fr("family:material"), "Materials"),
}
# CNIG zone types (TYPEZONE) - the usual colours of the Géoportail de l'urbanisme.
CNIG_COLOURS = {
    "U": ("#e60000", fr("cnig:U")),
    "AUc": ("#ff7f00", fr("cnig:AUc")),
    "AUs": ("#ffbf7f", fr("cnig:AUs")),
    "A": ("#ffff00", fr("cnig:A")),
    "N": ("#56aa02", fr("cnig:N")),
}
POTENTIAL_COLOURS = {
    "high": ("#006d2c", fr("potential:high")),
    "medium": ("#41ab5d", fr("potential:medium")),
    "low": ("#c7e9c0", fr("potential:low")),
    "none": ("#f0f0f0", fr("potential:none")),
}
# Synergy bands by rank (1 = best; the public output withholds the score but keeps the rank;
# without a rank, the score stands in): (legend key, filter, most zoomed-out scale denominator
# shown (0 = all), opacity). The territory view holds a readable number of links whatever the
# territory's size: the 50 best; then the next 150 from 1:100 000; the rest from 1:25 000. Below
# the territory scale a weaker link is drawn only when no longer than the view is wide (a line
# crossing the whole view from far away says nothing at that scale).
RANK = ("coalesce(\"rank\", if(coalesce(\"score\", 0) >= 0.75, 1, "
        "if(coalesce(\"score\", 0) >= 0.7, 51, 201)))")
FITS_VIEW = "$length <= coalesce(@map_extent_width, $length)"
SYNERGY_BANDS = (
    ("band:strong", "{} <= 50".format(RANK), 0, 0.95),
    ("band:medium", "{0} > 50 AND {0} <= 200 AND {1}".format(RANK, FITS_VIEW), 100000, 0.8),
    ("band:weak", "{} > 200 AND {}".format(RANK, FITS_VIEW), 25000, 0.6),
)
FRENCH = "left(coalesce(@qgis_locale, 'fr'), 2) = 'fr'"
# Plain field names: QGIS matches them case-insensitively (QgsFields.lookupField), so "TYPEZONE"
# also finds "typezone"; attribute(@feature, ...) would not fetch the field from the provider.
TYPEZONE_EXPRESSION = "TYPEZONE"
LIBELLE_EXPRESSION = "\"LIBELLE\""
CLUSTER_COLOURS = {
    "pooling": ("#6a3d9a", fr("cluster:pooling")),
    "exchange": ("#e6550d", fr("cluster:exchange")),
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
            scale_max: float = 0.0, buffer: bool = True, wrap: int = 0):
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
    if wrap:
        settings.autoWrapLength = wrap
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
    categories.append(("", other, fr("other")))
    layer.setRenderer(_categorized("family", categories))


def style_zones_cnig(layer):
    categories = []
    for typezone, (colour, label) in CNIG_COLOURS.items():
        categories.append((typezone, _fill(colour, 0.45, "#8c8c8c", 0.1), label))
    categories.append(("", _fill("#cccccc", 0.3, "#8c8c8c", 0.1), fr("cnig:other")))
    # The CNIG field is TYPEZONE, kept as read: its case may vary.
    layer.setRenderer(_categorized(TYPEZONE_EXPRESSION, categories))
    _labels(layer, LIBELLE_EXPRESSION, size=7.5, colour="#333333", scale_max=25000)


def style_zones_potential(layer):
    """The plugin's key indicator. Zones without potential are left unfilled and unlined:
    thousands of zone outlines would grey the whole territory."""
    categories = []
    for potential, (colour, label) in POTENTIAL_COLOURS.items():
        if potential == "none":
            symbol = _fill(colour, 0.0, "#d9d9d9", 0.05)
        else:
            symbol = _fill(colour, 0.7, "#ffffff", 0.1)
        categories.append((potential, symbol, label))
    categories.append(("", _fill("#bdbdbd", 0.2, "#d9d9d9", 0.05), fr("potential:other")))
    layer.setRenderer(_categorized("eit_potential", categories))
    _labels(layer, LIBELLE_EXPRESSION, size=7.5, colour="#1b1b1b", scale_max=25000)


# The default zone style is the EIT potential.
style_zones = style_zones_potential


def style_communes(layer):
    """Communes (dashed) and EPCI (solid, thicker) outlines from the overlay's ``level`` field."""
    categories = [
        ("commune", _fill("#000000", 0.0, "#505050", 0.5, "dash"), fr("communes:commune")),
        ("epci", _fill("#000000", 0.0, "#252525", 1.2), fr("communes:epci")),
        ("", _fill("#000000", 0.0, "#505050", 0.5, "dash"), fr("other")),
    ]
    layer.setRenderer(_categorized("level", categories))
    _labels(layer, "if(\"level\" = 'epci', upper(coalesce(\"name\", \"code\")), coalesce(\"name\", \"code\"))",
            size=9, colour="#404040")


def _arrow(colour: str, dashed: bool = False, opacity: float = 0.85):
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
    symbol = QgsLineSymbol()
    symbol.changeSymbolLayer(0, arrow)
    symbol.setOpacity(opacity)
    return symbol


def style_synergies(layer):
    """Rules by score band (what shows at which scale), then by family (colour): at the
    territory scale only the strongest synergies; weaker ones appear as one zooms in."""
    from qgis.core import QgsFeatureRequest, QgsRuleBasedRenderer

    root = QgsRuleBasedRenderer.Rule(None)
    for key, expression, scale, opacity in SYNERGY_BANDS:
        band = QgsRuleBasedRenderer.Rule(None, 0, scale, expression, fr(key))
        for family, (colour, label_fr, _en) in FAMILY_COLOURS.items():
            band.appendChild(QgsRuleBasedRenderer.Rule(
                _arrow(colour, opacity=opacity), 0, 0, "\"family\" = '{}'".format(family), label_fr))
        other = QgsRuleBasedRenderer.Rule(_arrow("#7f7f7f", opacity=opacity), 0, 0, "", fr("other"))
        other.setIsElse(True)
        band.appendChild(other)
        root.appendChild(band)
    renderer = QgsRuleBasedRenderer(root)
    # Best synergies drawn last, on top of the others.
    # Best synergies drawn last, on top of the others.
    renderer.setOrderBy(QgsFeatureRequest.OrderBy([QgsFeatureRequest.OrderByClause(RANK, False)]))
    renderer.setOrderByEnabled(True)
    layer.setRenderer(renderer)


def style_synergy_alternatives(layer):
    from qgis.core import QgsLineSymbol, QgsSingleSymbolRenderer

    symbol = QgsLineSymbol.createSimple({"line_color": "#7f7f7f", "line_width": "0.35", "line_style": "dash"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))


def _resource_names_expression(field: str, french: bool) -> str:
    """``field`` (resource codes, comma-separated) with the taxonomy's labels instead of the codes."""
    from eit_plugin.core.reference import load_taxonomy

    table = load_taxonomy()
    pairs = []
    for row in sorted(table.itertuples(), key=lambda r: r.code):
        text = (row.label_fr if french else row.label_en).replace("'", "''")
        pairs.append("'{}', '{}'".format(row.code, text))
    return "replace(coalesce(\"{}\", ''), map({}))".format(field, ", ".join(pairs))


def style_clusters(layer):
    """Light outlines: pooling clusters (a few hundred metres: dots at the territory scale)
    from 1:150 000; exchange networks (tens of km across) from 1:100 000, dashed. Labels of pooling clusters in
    the QGIS language (the French or English action, never codes), from 1:10 000: at the
    scale of a town, dozens of long labels would hide the map."""
    from qgis.core import QgsPalLayerSettings, QgsRuleBasedRenderer

    root = QgsRuleBasedRenderer.Rule(None)
    pooling_colour, pooling_label = CLUSTER_COLOURS["pooling"]
    exchange_colour, exchange_label = CLUSTER_COLOURS["exchange"]
    root.appendChild(QgsRuleBasedRenderer.Rule(
        _fill(exchange_colour, 0.0, exchange_colour, 0.3, "dash"), 0, 100000, "\"kind\" = 'exchange'", exchange_label))
    # Not an ELSE rule: that one would also catch the exchange networks out of their scale.
    root.appendChild(QgsRuleBasedRenderer.Rule(_fill(pooling_colour, 0.06, pooling_colour, 0.4), 0, 150000,
                                               "coalesce(\"kind\", '') <> 'exchange'", pooling_label))
    layer.setRenderer(QgsRuleBasedRenderer(root))
    french = ("coalesce(\"action_fr\", if(\"kind\" = 'exchange', 'Réseau d''échanges', 'Mutualisation') || ' : ' || {})"
              " || ' (' || \"n_members\" || ' membres)'").format(_resource_names_expression("resources", True))
    english = ("coalesce(\"action_en\", if(\"kind\" = 'exchange', 'Exchange network', 'Pooling') || ': ' || {})"
               " || ' (' || \"n_members\" || ' members)'").format(_resource_names_expression("resources", False))
    _labels(layer, "if(\"kind\" = 'exchange', NULL, if({}, {}, {}))".format(FRENCH, french, english), size=8,
            colour="#3f007d", placement=QgsPalLayerSettings.Horizontal, scale_max=10000, wrap=28)


def style_recommendations(layer):
    from qgis.core import QgsCategorizedSymbolRenderer, QgsMarkerSymbol, QgsRendererCategory

    categories = []
    for priority, colour, label in ((1, "#b2182b", fr("priority:1")), (2, "#ef8a62", fr("priority:2")),
                                    (3, "#fddbc7", fr("priority:3"))):
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
    "zones_cnig": ("MultiPolygon", {"LIBELLE": "str", "TYPEZONE": "str", "eit_potential": "str"}, style_zones_cnig),
    "communes": ("MultiPolygon", {"level": "str", "code": "str", "name": "str"}, style_communes),
    "synergies": ("LineString", {"synergy_id": "str", "family": "str", "quantity": "float", "score": "float",
                                 "rank": "int"},
                  style_synergies),
    "synergy_alternatives": ("LineString", {"synergy_id": "str", "family": "str", "quantity": "float"},
                             style_synergy_alternatives),
    "clusters": ("MultiPolygon", {"cluster_id": "str", "kind": "str", "n_members": "int", "resources": "str",
                                  "action_fr": "str", "action_en": "str"}, style_clusters),
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
