"""The report's overview map as a reader sees it: every drawn layer has its legend entry, the
legend stays on the page, and writing the maps from a GeoPackage logs no GDAL error."""
from __future__ import annotations

import pytest


def _layer(uri: str, name: str, rows: list):
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    layer = QgsVectorLayer(uri, name, "memory")
    features = []
    for wkt, values in rows:
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        feature.setAttributes(values)
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def _square(x: float, y: float, side: float) -> str:
    return "POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(x, y, x + side, y + side)


@pytest.fixture
def result_gpkg(qgis_app, tmp_path):
    """A small result GeoPackage: zones, communes, synergies and pooling/exchange clusters."""
    from eit_plugin.qgis_io.gpkg import finish_layer, write_layer

    gpkg = str(tmp_path / "eit.gpkg")
    crs = "crs=EPSG:2154"
    zones = _layer("Polygon?{}&field=zone_id:string&field=insee:string&field=eit_potential:string".format(crs), "zones",
                   [(_square(900000 + 400 * i, 6500000, 350), ["Z{}".format(i), "73065" if i < 3 else "73008", "high"])
                    for i in range(6)])
    communes = _layer("Polygon?{}&field=level:string&field=code:string&field=name:string".format(crs), "communes",
                      [(_square(900000, 6499900, 1200), ["commune", "73065", "Chambéry"]),
                       (_square(901200, 6499900, 1200), ["commune", "73008", "Aix-les-Bains"]),
                       (_square(900000, 6499900, 2400), ["epci", "200069110", "Grand Chambéry"])])
    synergies = _layer("LineString?{}&field=synergy_id:string&field=score:double".format(crs), "synergies",
                       [("LINESTRING({} 6500100, {} 6500200)".format(900100 + 30 * i, 901500 - 20 * i),
                         ["S{:03d}".format(i), float(i)]) for i in range(80)])
    clusters = _layer("Polygon?{}&field=cluster_id:string&field=kind:string&field=n_members:integer"
                      "&field=facility:string&field=action_fr:string&field=action_en:string".format(crs), "clusters",
                      [(_square(900050 + 300 * i, 6500050, 200), ["P-{}".format(i), "pooling" if i % 2 else "exchange",
                                                                  3 + i, "boiler", "Chaufferie", "Boiler"])
                       for i in range(6)])
    for layer, name in ((zones, "zones"), (communes, "communes"), (synergies, "synergies"), (clusters, "clusters")):
        write_layer(layer, gpkg, name)
    finish_layer(gpkg, "communes", "test", "Communes")  # its shipped style, stored as the run stores it
    return gpkg


def _spy_layouts(monkeypatch):
    """What each map's layout holds when it is exported: drawn layers, legend entries, the
    legend's box and the page's."""
    from qgis.PyQt.QtCore import Qt

    from eit_plugin.qgis_io import maps

    layouts = []
    real = maps.QgsLayoutExporter

    class Exporter(real):
        def __init__(self, layout):
            super().__init__(layout)
            legend, page = layout.itemById("legend"), layout.pageCollection().page(0)
            nodes = legend.model().rootGroup().findLayers()
            layouts.append({"drawn": list(layout.itemById("map").layers()),
                            "legend": {node.name() for node in nodes},
                            "labels": [entry.data(Qt.ItemDataRole.DisplayRole) for node in nodes
                                       for entry in legend.model().layerLegendNodes(node)],
                            "box": legend.sceneBoundingRect(), "page": page.sceneBoundingRect()})

    monkeypatch.setattr(maps, "QgsLayoutExporter", Exporter)
    return layouts


@pytest.mark.parametrize("language", ["fr", "en"])
def test_overview_legend_names_every_drawn_layer_and_stays_on_the_page(result_gpkg, tmp_path, monkeypatch, language):
    from eit_plugin.qgis_io import report_writer

    layouts = _spy_layouts(monkeypatch)
    maps = report_writer._maps(result_gpkg, ["zones", "communes", "synergies", "clusters"], str(tmp_path), language)
    assert maps and maps[0]["src"] == "map_overview.png"
    overview = layouts[0]
    layers = {layer.name(): layer for layer in overview["drawn"]}
    assert overview["legend"] == set(layers)
    pooling = "Groupements de mutualisation" if language == "fr" else "Pooling clusters"
    assert pooling in layers and ("Communes" if language == "fr" else "Municipalities") in layers
    # The styles' classes read in the report's language.
    assert ("Commune" in overview["labels"]) == (language == "fr")
    assert ("Municipality" in overview["labels"]) == (language == "en")
    assert overview["page"].contains(overview["box"])
    # The map shows the strongest links only, and the pooling clusters only.
    synergies = next(layer for name, layer in layers.items() if "ynerg" in name)
    assert synergies.featureCount() == report_writer.OVERVIEW_SYNERGIES
    assert min(f["score"] for f in synergies.getFeatures()) == 80 - report_writer.OVERVIEW_SYNERGIES
    assert {f["kind"] for f in layers[pooling].getFeatures()} == {"pooling"}


def test_writing_the_maps_from_a_geopackage_logs_no_gdal_error(result_gpkg, tmp_path):
    from osgeo import gdal
    from qgis.core import Qgis, QgsApplication

    from eit_plugin.qgis_io import report_writer

    errors = []
    log = QgsApplication.messageLog()

    def logged(message, tag, level):
        if level in (Qgis.MessageLevel.Critical, Qgis.MessageLevel.Warning):
            errors.append((tag, message))

    log.messageReceived.connect(logged)
    gdal.PushErrorHandler(lambda cls, number, message: errors.append(("GDAL", message)) if cls >= gdal.CE_Failure else None)
    try:
        # Tables read first as write_report does, then every layer of the file opened for the maps.
        tables = {name: report_writer._frame(result_gpkg, name) for name in ("zones", "communes", "synergies", "clusters")}
        maps = report_writer._maps(result_gpkg, list(tables), str(tmp_path), "fr", zone_table=tables["zones"])
    finally:
        gdal.PopErrorHandler()
        log.messageReceived.disconnect(logged)
    assert maps
    assert errors == []


def test_commune_and_epci_names_are_ranked_and_keep_off_the_arrows(result_gpkg, tmp_path, monkeypatch):
    from qgis.core import QgsExpressionContext, QgsExpressionContextScope, QgsPalLayerSettings, QgsVectorLayer

    from eit_plugin.qgis_io import report_writer
    from eit_plugin.qgis_io.gpkg import apply_qml, style_path

    communes = QgsVectorLayer(result_gpkg + "|layername=communes", "communes", "ogr")
    assert apply_qml(communes, style_path("communes"))
    settings = communes.labeling().settings()
    assert communes.labelsEnabled() and not settings.displayAll  # a name that does not fit is left out
    assert settings.labelPerPart is False  # an EPCI of several parts is named once
    ranked = {}
    for feature in communes.getFeatures():
        context = QgsExpressionContext()
        scope = QgsExpressionContextScope()
        scope.setFeature(feature)
        context.appendScope(scope)
        properties = settings.dataDefinedProperties()
        ranked[feature["level"]] = (properties.valueAsDouble(QgsPalLayerSettings.Priority, context)[0],
                                    properties.valueAsDouble(QgsPalLayerSettings.Size, context)[0])
    # EPCI names win a place first and read larger than the communes'.
    assert ranked["epci"][0] > ranked["commune"][0] and ranked["epci"][1] > ranked["commune"][1]

    layouts = _spy_layouts(monkeypatch)
    report_writer._maps(result_gpkg, ["zones", "communes", "synergies", "clusters"], str(tmp_path), "fr")
    for layer in layouts[0]["drawn"]:
        if layer.name().startswith(("Synergies", "Groupements")):
            obstacle = layer.labeling().settings()
            assert layer.labelsEnabled() and not obstacle.drawLabels and obstacle.obstacleSettings().isObstacle()
