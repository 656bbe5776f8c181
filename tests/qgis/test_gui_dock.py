"""The EIT dock: opens/closes, recognises the project's layers, runs in the background,
loads styled results in one group, cancels cleanly, reports errors like Processing."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from eit_gui_helpers import FakeFullAnalysis, FakeProvider, memory_layer, result_layers, write_result_gpkg
from qgis.core import (
    Qgis,
    QgsApplication,
    QgsArrowSymbolLayer,
    QgsProject,
    QgsRuleBasedRenderer,
)

import eit_plugin
from eit_plugin.core.errors import EitInputError
from eit_plugin.gui import results as eit_results
from eit_plugin.gui.detect import detect
from eit_plugin.gui.explain import explain, title
from eit_plugin.gui.runner import EitRunError, build_parameters, default_output_paths, run_full_analysis
from eit_plugin.settings import EitSettings

FAKE = "eittest:fakefull"
SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"


@pytest.fixture(scope="module")
def fake_provider(qgis_app, qgis_processing):
    registry = QgsApplication.processingRegistry()
    provider = FakeProvider()
    registry.addProvider(provider)
    yield provider
    registry.removeProvider(provider)


@pytest.fixture(autouse=True)
def private_settings(tmp_path, monkeypatch, qgis_app):
    """The dock saves its settings: into a file of the test, never the shared profile."""
    from qgis.core import QgsSettings
    from qgis.PyQt.QtCore import QSettings

    from eit_plugin import settings as eit_settings

    path = str(tmp_path / "settings.ini")
    monkeypatch.setattr(eit_settings, "_qgs_settings", lambda: QgsSettings(path, QSettings.IniFormat))


@pytest.fixture
def project(qgis_new_project):
    project = QgsProject.instance()
    yield project
    project.removeAllMapLayers()
    project.layerTreeRoot().removeAllChildren()


def input_layers(project):
    zones = memory_layer("MultiPolygon", "zone_urba", {"IDURBA": "str", "LIBELLE": "str", "TYPEZONE": "str"}, [
        ("MULTIPOLYGON(((925000 6500000, 926000 6500000, 926000 6501000, 925000 6500000)))",
         {"IDURBA": "73065", "LIBELLE": "UX", "TYPEZONE": "U"})])
    sirene = memory_layer("Point", "etablissements", {"siret": "str", "activitePrincipaleEtablissement": "str"}, [
        ("POINT(925300 6500300)", {"siret": "12345678900011", "activitePrincipaleEtablissement": "10.51C"})])
    roads = memory_layer("LineString", "réseau routier", {"nom": "str"}, [
        ("LINESTRING(925000 6500000, 926000 6501000)", {"nom": "D1006"})])
    other_polygons = memory_layer("MultiPolygon", "bâtiments", {"hauteur": "float"}, [])
    project.addMapLayers([other_polygons, zones, sirene, roads])
    return zones, sirene, roads


def wait_for(dock, timeout=30.0):
    """Process events until the dock's run finishes; return (ok, message)."""
    outcome = []
    dock.analysis_finished.connect(lambda ok, message: outcome.append((ok, message)))
    end = time.time() + timeout
    while not outcome and time.time() < end:
        QgsApplication.processEvents()
        time.sleep(0.01)
    assert outcome, "the analysis task did not finish in {} s".format(timeout)
    return outcome[0]


def make_dock(qgis_iface, tmp_path):
    from eit_plugin.gui.dock import EitDock

    dock = EitDock(qgis_iface, None)
    dock.fileOutputFolder.setFilePath(str(tmp_path / "out"))
    return dock


# Opening and closing ------------------------------------------------------------------------
def test_dock_opens_from_the_plugin_and_unload_removes_it(recording_iface, project):
    plugin = eit_plugin.classFactory(recording_iface)
    plugin.show_dock()  # what the menu entry / toolbar button does
    plugin.show_dock()  # a second click shows the same dock
    assert len(recording_iface.docks) == 1
    dock = recording_iface.docks[0]
    assert dock.windowTitle() in ("Industrial ecology (EIT)", "Écologie industrielle (EIT)")
    assert dock.grpData.title().startswith("1.")
    assert dock.btnRun.isEnabled() and not dock.btnCancel.isEnabled()
    plugin.unload()
    assert recording_iface.docks == []
    assert plugin.dock is None


# Step 1: recognising layers ------------------------------------------------------------------
def test_detect_roles_from_fields():
    found = detect([
        ("a", "bâtiments", "polygon", ["hauteur"]),
        ("b", "zone_urba", "polygon", ["IDURBA", "LIBELLE", "TYPEZONE", "DESTDOMI"]),
        ("c", "StockEtablissement", "point", ["siret", "activitePrincipaleEtablissement"]),
        ("d", "flux", "point", ["flow_id", "siret", "direction", "resource", "quantity"]),
        ("e", "limites", "line", ["id"]),
        ("f", "réseau de chaleur", "line", ["id"]),
        ("g", "logements", "point", ["nb_logts"]),
        ("h", "roads", "line", ["id"]),
        ("i", "communes", "polygon", ["insee", "nom"]),
    ])
    # Never the territory filter (AREA): restricting the data is the user's decision.
    assert found == {"zones": "b", "establishments": "c", "flows": "d", "network": "h", "heat_network": "f",
                     "housing": "g"}


def test_dock_preselects_the_project_layers(qgis_iface, project, tmp_path):
    zones, sirene, roads = input_layers(project)
    dock = make_dock(qgis_iface, tmp_path)
    dock.detect_layers(use_saved=False)
    assert dock.cboZones.currentLayer() == zones
    assert dock.cboEstablishments.currentLayer() == sirene
    assert dock.cboNetwork.currentLayer() == roads
    assert dock.cboHousing.currentLayer() is None
    params = build_parameters(dock.current_inputs(), dock.read_settings_from_widgets(), "o.gpkg", "r.html")
    assert params["ZONES"] == zones.id() and params["ESTABLISHMENTS"] == sirene.id()
    assert "HOUSING" not in params and "SIRENE_FILE" not in params
    dock.shutdown()


def test_parameters_follow_the_settings():
    s = EitSettings(cluster_distance_m=250.0, max_distance_m=0.0, min_members=4, public=False, language="en")
    params = build_parameters({"ZONES": "zones_id", "SIRENE_FILE": "s.csv", "GEOLOCATION": ""}, s, "o.gpkg", "r.html")
    assert params == {"ZONES": "zones_id", "SIRENE_FILE": "s.csv", "CLUSTER_DISTANCE_M": 250.0, "MIN_MEMBERS": 4,
                      "PUBLIC": False, "LANGUAGE": 1, "OUTPUT_GPKG": "o.gpkg", "REPORT": "r.html"}
    s.max_distance_m = 3000
    assert build_parameters({}, s, "o", "r")["MAX_DISTANCE_M"] == 3000.0
    gpkg, report = default_output_paths("/tmp/x")
    assert gpkg.startswith("/tmp/x/eit_") and gpkg.endswith(".gpkg") and report.endswith(".html")


# Step 4: loading results ---------------------------------------------------------------------
def test_loader_adds_styled_layers_in_one_group(project, tmp_path):
    gpkg = write_result_gpkg(tmp_path / "r.gpkg")
    group, layers = eit_results.load_results(gpkg, "EIT — test")
    assert project.layerTreeRoot().children()[0] is group
    assert group.name() == "EIT — test"
    order = [node.layer().customProperty("eit/kind") for node in group.findLayers()]
    assert order == ["synergies", "clusters", "recommendations", "zones"]
    synergies = layers["synergies"]
    renderer = synergies.renderer()
    assert isinstance(renderer, QgsRuleBasedRenderer)
    heat = next(r for r in renderer.rootRule().descendants() if r.filterExpression() == "\"family\" = 'heat'")
    assert isinstance(heat.symbol().symbolLayer(0), QgsArrowSymbolLayer)
    assert heat.symbol().symbolLayer(0).subSymbol().color().name() == "#d7301f"
    zones = layers["zones"]
    assert zones.renderer().classAttribute() == "eit_potential"
    # The CNIG zone-type style is offered too, the EIT potential one current.
    styles = zones.styleManager().styles()
    assert len(styles) == 2
    cnig = [s for s in styles if s != zones.styleManager().currentStyle()][0]
    zones.styleManager().setCurrentStyle(cnig)
    assert zones.renderer().classAttribute() == "TYPEZONE"
    assert {c.value() for c in zones.renderer().categories()} >= {"U", "AUc", "AUs", "A", "N"}
    assert layers["clusters"].labelsEnabled()
    assert synergies.displayExpression() == '"synergy_id"'
    # A second run: a new group on top, the first one kept and folded.
    second, _layers = eit_results.load_results(gpkg, "EIT — test 2")
    assert project.layerTreeRoot().children()[:2] == [second, group]
    assert second.isExpanded() and not group.isExpanded()


def test_style_stored_in_the_geopackage_wins(project, tmp_path):
    gpkg = write_result_gpkg(tmp_path / "r.gpkg")
    layer = eit_results.QgsVectorLayer("{}|layername=clusters".format(gpkg), "c", "ogr")
    from qgis.core import QgsFillSymbol, QgsSingleSymbolRenderer

    layer.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple({"color": "#123456"})))
    layer.saveStyleToDatabase("clusters", "custom", True, "")
    zones = eit_results.QgsVectorLayer("{}|layername=zones".format(gpkg), "z", "ogr")
    zones.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple({"color": "#654321"})))
    zones.saveStyleToDatabase("zones", "custom", True, "")
    _group, layers = eit_results.load_results(gpkg)
    assert isinstance(layers["clusters"].renderer(), QgsSingleSymbolRenderer)
    assert layers["clusters"].renderer().symbol().color().name() == "#123456"
    assert isinstance(layers["synergies"].renderer(), QgsRuleBasedRenderer)
    # The CNIG zone-type style is still offered beside the stored one, and is really the
    # CNIG one (a GeoPackage's stored style must not replace it).
    manager = layers["zones"].styleManager()
    assert layers["zones"].renderer().symbol().color().name() == "#654321"
    cnig = [s for s in manager.styles() if s != manager.currentStyle()][0]
    manager.setCurrentStyle(cnig)
    assert layers["zones"].renderer().classAttribute() == "TYPEZONE"


def test_loader_is_all_or_nothing(project, tmp_path):
    with pytest.raises(EitInputError, match="does not exist"):
        eit_results.load_results(tmp_path / "missing.gpkg")
    empty = tmp_path / "other.gpkg"
    write_result_gpkg(empty, {"something": memory_layer("Point", "x", {"a": "str"}, [])})
    with pytest.raises(EitInputError, match="none of the EIT output layers"):
        eit_results.load_results(empty)
    assert project.mapLayers() == {}
    assert project.layerTreeRoot().children() == []


def test_summary_is_read_from_the_summary_table(tmp_path):
    """The figures are the GeoPackage's (those of the report, with its labels and rounding),
    never recomputed from the layers; withheld ones stay withheld."""
    import sqlite3

    from eit_plugin.gui.explain import fmt
    from eit_plugin.gui.summary import figure_lines, summary_html

    gpkg = write_result_gpkg(tmp_path / "r.gpkg")
    summary = eit_results.summarize(result_layers(), {"N_RECOMMENDATIONS": 1}, gpkg)
    assert summary["counts"] == {"zones": 2, "synergies": 2, "clusters": 1, "recommendations": 1}
    assert summary["figures"] == []  # no summary table: nothing computed instead
    assert [row["synergy_id"] for row in summary["top_synergies"]] == ["S0001", "S0002"]
    with sqlite3.connect(str(gpkg)) as db:
        db.execute("CREATE TABLE summary (fid INTEGER PRIMARY KEY, indicator TEXT, value TEXT, unit TEXT, "
                   "label_fr TEXT, label_en TEXT)")
        db.executemany("INSERT INTO summary (indicator, value, unit, label_fr, label_en) VALUES (?, ?, ?, ?, ?)", [
            ("count_establishments", "3241", "", "", ""), ("count_zones", "3519", "", "", ""),
            ("count_synergies", "686", "", "", ""),
            ("mwh_recovered", "74237.189", "MWh/an", "Chaleur récupérée", "Heat recovered"),
            ("co2_avoided_t", "n.d.", "t CO₂/an", "CO₂ évité", "CO₂ avoided"),
            ("tonnes_diverted", "2.5", "t/an", "Déchets valorisés", "Waste recovered"),
            ("count:substitution:t", "479", "", "Substitutions", "Substitutions")])
    summary = eit_results.summarize(result_layers(), {}, gpkg)
    assert summary["counts"]["synergies"] == 686 and summary["counts"]["establishments"] == 3241
    text = summary_html(summary, french=True)
    assert "686" in text and "3\u202f241" in text
    assert "Chaleur récupérée" in text and "74\u00a0237\u00a0MWh/an" in text  # never broken across lines
    assert "CO₂ évité" in text and "n.d." in text
    assert "Déchets valorisés" in text and "2,5\u00a0t/an" in text  # the French way
    assert "Substitutions" not in text  # per-kind detail is the report's table
    assert figure_lines(summary["figures"], french=True)[0] == "Chaleur récupérée : 74\u00a0237\u00a0MWh/an"
    assert figure_lines(summary["figures"], french=False)[2] == "Waste recovered: 2.5\u00a0t/yr"
    # Scores in the lists: « 0,96 » in French, 0.96 in English.
    assert fmt(0.96, 2, True) == "0,96" and fmt(0.96, 2, False) == "0.96"


def test_explanations_give_the_reason_and_the_evidence():
    syn = explain("synergies", {"synergy_id": "S1", "reason": "Chaleur fatale à 85 °C", "quantity": 1200.0,
                                "unit": "MWh", "distance_m": 780.4})
    assert "Chaleur fatale à 85 °C" in syn and "780" in syn and "1\u202f200" in syn
    rec = explain("recommendations", {"rec_id": "R1", "text_fr": "Prévoir un emplacement réservé",
                                      "text_en": "Reserve a site", "evidence": "4 établissements", "suppressed": True},
                  french=True)
    assert "Prévoir un emplacement réservé" in rec and "4 établissements" in rec and "85" in rec
    assert "Reserve a site" in explain("recommendations", {"text_fr": "x", "text_en": "Reserve a site"}, french=False)
    # one recommendation per place and purpose: listed by both, its instruments one per line
    item = {"document": "PLU", "scope_label": "UE n° 2, Chambéry", "purpose_label": "équipement partagé",
            "scope_label_en": "UE no. 2, Chambéry", "purpose_label_en": "shared facility",
            "text_fr": "Autoriser.\nLocaliser.", "text_en": "Allow.\nLocate."}
    assert title("recommendations", item, french=False).endswith("UE no. 2, Chambéry — shared facility")
    assert "Allow.<br>Locate." in explain("recommendations", item, french=False)
    # Codes are shown as planners read them: taxonomy labels, not snake_case codes.
    assert title("synergies", {"resource_supply": "waste_heat", "resource_demand": "process_heat", "quantity": 1200.0,
                               "unit": "MWh", "distance_m": 780.0}, french=True) == (
        "Chaleur fatale → Chaleur de procédé : 1\u202f200 MWh, 780 m")
    # Public mode: the quantity is withheld (NULL), the line still reads well.
    assert title("synergies", {"resource_supply": "waste_heat", "resource_demand": "process_heat", "quantity": None,
                               "unit": "MWh", "distance_m": 240.0}) == "Chaleur fatale → Chaleur de procédé : 240 m"
    assert "Waste heat" in title("synergies", {"resource_supply": "waste_heat"}, french=False)
    # Public mode without distance either: the zones (PLU labels) tell the links apart.
    assert title("synergies", {"resource_supply": "waste_heat", "resource_demand": "space_heating",
                               "supplier_zone": "73065_PLU_20191218:UXb:1",
                               "receiver_zone": "73065_PLU_20191218:UA:14"}) == (
        "Chaleur fatale → Chauffage des locaux : UXb → UA")


def test_explain_tool_explains_the_clicked_feature(qgis_iface, project, tmp_path):
    from qgis.core import QgsPointXY
    from qgis.gui import QgsMapMouseEvent
    from qgis.PyQt.QtCore import QEvent, QPoint, Qt

    gpkg = write_result_gpkg(tmp_path / "r.gpkg")
    dock = make_dock(qgis_iface, tmp_path)
    dock.load_output(str(gpkg))
    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(dock.result_layers["synergies"].crs())
    canvas.setExtent(dock.result_layers["zones"].extent())
    canvas.refresh()
    dock.btnExplain.setChecked(True)
    assert canvas.mapTool() is dock.map_tool
    # A click on the middle of the heat synergy line.
    point = canvas.getCoordinateTransform().transform(QgsPointXY(925500, 6500450))
    event = QgsMapMouseEvent(canvas, QEvent.MouseButtonRelease, QPoint(int(point.x()), int(point.y())),
                             Qt.LeftButton, Qt.LeftButton, Qt.NoModifier)
    dock.map_tool.canvasReleaseEvent(event)
    assert "780 m d'un besoin" in dock.txtExplanation.toPlainText()
    dock.btnExplain.setChecked(False)
    assert canvas.mapTool() is not dock.map_tool
    dock.shutdown()


# Step 3: the run path ------------------------------------------------------------------------
def test_run_path_without_gui_returns_the_outputs(fake_provider, project, tmp_path):
    zones, sirene, _roads = input_layers(project)
    params = build_parameters({"ZONES": zones, "ESTABLISHMENTS": sirene}, EitSettings(),
                              str(tmp_path / "r.gpkg"), str(tmp_path / "r.html"))
    results = run_full_analysis(params, alg_id=FAKE)
    assert results["OUTPUT_GPKG"] == str(tmp_path / "r.gpkg") and results["N_SYNERGIES"] == 2
    group, layers = eit_results.load_results(results["OUTPUT_GPKG"])
    assert set(layers) == {"zones", "synergies", "clusters", "recommendations"}


def test_run_path_reports_processing_errors(fake_provider, project, tmp_path):
    broken = memory_layer("MultiPolygon", "broken", {"x": "str"}, [])
    project.addMapLayer(broken)
    params = {"ZONES": broken.id(), "OUTPUT_GPKG": str(tmp_path / "r.gpkg"), "REPORT": str(tmp_path / "r.html")}
    with pytest.raises(EitRunError, match="no field 'TYPEZONE'"):
        run_full_analysis(params, alg_id=FAKE)
    with pytest.raises(EitRunError, match="not available"):
        run_full_analysis(params, alg_id="eit:doesnotexist")


def test_dock_runs_in_background_and_loads_the_group(fake_provider, qgis_iface, project, tmp_path):
    input_layers(project)
    dock = make_dock(qgis_iface, tmp_path)
    dock.detect_layers(use_saved=False)
    task = dock.run_analysis(alg_id=FAKE)
    assert task is not None and not dock.btnRun.isEnabled() and dock.btnCancel.isEnabled()
    ok, message = wait_for(dock)
    assert ok, message
    group = project.layerTreeRoot().children()[0]
    assert group.name().startswith("EIT — ")
    assert {layer.layer().customProperty("eit/kind") for layer in group.findLayers()} == {
        "zones", "synergies", "clusters", "recommendations"}
    assert dock.btnReport.isEnabled() and dock.btnRun.isEnabled()
    assert "2 synergies" in dock.lblSummary.text()
    assert dock.treeSynergies.topLevelItemCount() == 2
    dock.treeSynergies.setCurrentItem(dock.treeSynergies.topLevelItem(0))
    assert "780 m d'un besoin" in dock.txtExplanation.toPlainText()
    synergies = dock.result_layers["synergies"]
    assert len(synergies.selectedFeatureIds()) == 1
    extent = qgis_iface.mapCanvas().extent()
    assert extent.contains(synergies.getFeature(synergies.selectedFeatureIds()[0]).geometry().boundingBox())
    dock.treeRecommendations.setCurrentItem(dock.treeRecommendations.topLevelItem(0))
    assert "1 200 MWh/an de chaleur fatale" in dock.txtExplanation.toPlainText()
    # A recommendation has no geometry: the zone it is about is selected and shown (its
    # synergies and clusters can span the territory: the zone decides the view).
    zones = dock.result_layers["zones"]
    assert [f["zone_id"] for f in zones.selectedFeatures()] == ["z1"]
    assert synergies.selectedFeatureCount() == 0
    assert qgis_iface.mapCanvas().extent().contains(zones.selectedFeatures()[0].geometry().boundingBox())
    # Without a zone among its ids, its synergies are shown.
    assert dock.zoom_to_ids(["S0002"]) == 1
    assert [f["synergy_id"] for f in synergies.selectedFeatures()] == ["S0002"]
    dock.shutdown()


def test_cancel_leaves_no_layer_and_no_file(fake_provider, qgis_iface, project, tmp_path):
    input_layers(project)
    before = set(project.mapLayers())
    dock = make_dock(qgis_iface, tmp_path)
    dock.detect_layers(use_saved=False)
    FakeFullAnalysis.delay_s = 20.0
    try:
        task = dock.run_analysis(alg_id=FAKE)
        end = time.time() + 5
        while task.progress() <= 0 and time.time() < end:  # the algorithm is running
            QgsApplication.processEvents()
            time.sleep(0.01)
        assert task.progress() > 0
        started = time.time()
        dock.cancel_analysis()
        ok, _message = wait_for(dock, timeout=10)
        assert time.time() - started < 5
    finally:
        FakeFullAnalysis.delay_s = 0.0
    assert not ok
    assert set(project.mapLayers()) == before
    assert not any(node.name().startswith("EIT") for node in project.layerTreeRoot().children())
    assert list((tmp_path / "out").glob("eit_*")) == []
    assert dock.btnRun.isEnabled() and not dock.btnCancel.isEnabled()
    assert "cancelled" in dock.lblStatus.text().lower() or "annul" in dock.lblStatus.text().lower()
    dock.shutdown()


def test_errors_reach_the_message_bar_with_the_processing_text(fake_provider, qgis_iface, project, tmp_path):
    broken = memory_layer("MultiPolygon", "broken", {"x": "str"}, [])
    sirene = memory_layer("Point", "etab", {"siret": "str", "naf": "str"}, [])
    project.addMapLayers([broken, sirene])
    dock = make_dock(qgis_iface, tmp_path)
    dock.cboZones.setLayer(broken)
    dock.cboEstablishments.setLayer(sirene)
    qgis_iface.messageBar().clear_messages()
    dock.run_analysis(alg_id=FAKE)
    ok, message = wait_for(dock)
    assert not ok and "no field 'TYPEZONE'" in message
    assert any("no field 'TYPEZONE'" in m for m in qgis_iface.messageBar().get_messages(Qgis.Critical))
    assert project.layerTreeRoot().findGroups() == []
    dock.shutdown()


def test_missing_input_is_said_before_running(fake_provider, qgis_iface, project, tmp_path):
    dock = make_dock(qgis_iface, tmp_path)
    qgis_iface.messageBar().clear_messages()
    assert dock.run_analysis(alg_id=FAKE) is None
    assert any("zone_urba" in m for m in qgis_iface.messageBar().get_messages(Qgis.Warning))
    dock.shutdown()


# The real thing, once eit:fullanalysis and the sample exist ----------------------------------
@pytest.mark.slow
def test_full_analysis_on_the_sample_gives_styled_layers(recording_iface, qgis_processing, project, tmp_path):
    registry = QgsApplication.processingRegistry()
    plugin = None
    if registry.providerById("eit") is None:
        plugin = eit_plugin.classFactory(recording_iface)
        plugin.initProcessing()
    try:
        if registry.algorithmById("eit:fullanalysis") is None:
            pytest.skip("eit:fullanalysis is not registered yet")
        if not (SAMPLE / "metropole_savoie_sample.gpkg").exists():
            pytest.skip("the sample (resources/sample) is not built yet")
        sample = str(SAMPLE / "metropole_savoie_sample.gpkg")
        inputs = {"SIRENE_FILE": str(SAMPLE / "StockEtablissement_sample.csv"),
                  "GEOLOCATION": str(SAMPLE / "GeolocalisationEtablissement_sample.csv"),
                  "ZONES": sample + "|layername=zone_urba", "NETWORK": sample + "|layername=roads",
                  "HEAT_NETWORK": sample + "|layername=heat_network",
                  "HOUSING": sample + "|layername=housing"}
        params = build_parameters(inputs, EitSettings(public=True), str(tmp_path / "eit.gpkg"),
                                  str(tmp_path / "eit.html"))
        results = run_full_analysis(params)
        group, layers = eit_results.load_results(results["OUTPUT_GPKG"])
        assert {"zones", "synergies", "clusters", "recommendations"} <= set(layers)
        assert "flows" not in layers and "establishments" not in layers  # public mode
        assert layers["synergies"].featureCount() == results["N_SYNERGIES"] > 0
        assert layers["synergies"].renderer().type() == "RuleRenderer"
        assert layers["zones"].renderer().classAttribute() == "eit_potential"
        assert Path(results["REPORT"]).exists()
    finally:
        if plugin is not None:
            plugin.unload()
