"""The dock driven as a user drives it, in a 1366×768 main window: mouse clicks on every
button, typing in the fields, selection in the lists, and a full analysis of the sample
started by a click on « Run the analysis » (« Lancer l'analyse »)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from eit_gui_helpers import FakeFullAnalysis, FakeProvider, memory_layer, write_result_gpkg
from qgis.core import NULL, QgsApplication, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QPoint, Qt
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QRadioButton, QWidget

import eit_plugin
from eit_plugin.gui import results as eit_results
from eit_plugin.i18n import tr
from eit_plugin.plugin_locale import is_french

FAKE = "eittest:fakefull"
SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"
SAMPLE_GPKG = SAMPLE / "metropole_savoie_sample.gpkg"
LEFT = Qt.MouseButton.LeftButton
SCREEN = (1366, 768)


class WindowIface:
    """pytest-qgis's iface, but the dock really goes into the main window (as in QGIS),
    shown at the size of a 1366×768 screen."""

    def __init__(self, iface):
        self._iface = iface
        self.docks: list = []

    def __getattr__(self, name):
        return getattr(self._iface, name)

    def addPluginToMenu(self, menu, action):  # noqa: N802 - QGIS API
        pass

    def removePluginMenu(self, menu, action):  # noqa: N802 - QGIS API
        pass

    def addToolBarIcon(self, action):  # noqa: N802 - QGIS API
        pass

    def removeToolBarIcon(self, action):  # noqa: N802 - QGIS API
        pass

    def addDockWidget(self, area, dock):  # noqa: N802 - QGIS API
        self.docks.append(dock)
        self._iface.mainWindow().addDockWidget(area, dock)

    def removeDockWidget(self, dock):  # noqa: N802 - QGIS API
        self.docks.remove(dock)
        self._iface.mainWindow().removeDockWidget(dock)


@pytest.fixture(autouse=True)
def slot_errors(monkeypatch):
    """An exception in a Qt slot (a click's handler) fails the test with its traceback
    instead of aborting the interpreter (PyQt's default without an excepthook)."""
    import sys
    import traceback

    errors = []
    monkeypatch.setattr(sys, "excepthook", lambda *info: errors.append("".join(traceback.format_exception(*info))))
    yield errors
    assert not errors, "\n".join(errors)


@pytest.fixture(autouse=True)
def private_settings(tmp_path, monkeypatch, qgis_app):
    """The dock saves its settings: into a file of the test, never the shared profile."""
    from qgis.core import QgsSettings
    from qgis.PyQt.QtCore import QSettings

    from eit_plugin import settings as eit_settings

    path = str(tmp_path / "settings.ini")
    monkeypatch.setattr(eit_settings, "_qgs_settings", lambda: QgsSettings(path, QSettings.Format.IniFormat))


@pytest.fixture
def project(qgis_new_project):
    project = QgsProject.instance()
    yield project
    project.removeAllMapLayers()
    project.layerTreeRoot().removeAllChildren()


@pytest.fixture
def fake_provider(qgis_app, qgis_processing):
    registry = QgsApplication.processingRegistry()
    provider = FakeProvider()
    registry.addProvider(provider)
    yield provider
    registry.removeProvider(provider)


@pytest.fixture
def dock(qgis_iface, eit_plugin_instance, project):
    """The plugin's dock opened as the toolbar button opens it, in a 1366×768 window."""
    iface = WindowIface(qgis_iface)
    window = qgis_iface.mainWindow()
    if window.centralWidget() is None:
        window.setCentralWidget(qgis_iface.mapCanvas())
    window.resize(*SCREEN)
    window.show()
    plugin = eit_plugin.classFactory(iface)
    plugin.show_dock()
    dock = iface.docks[0]
    QgsApplication.processEvents()
    yield dock
    plugin.unload()
    window.hide()


def click(widget, pos: QPoint | None = None):
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    if pos is None and isinstance(widget, QRadioButton):
        pos = QPoint(8, widget.height() // 2)  # on the round button, not in the empty row
    if pos is None:
        QTest.mouseClick(widget, LEFT)
    else:
        QTest.mouseClick(widget, LEFT, Qt.KeyboardModifier.NoModifier, pos)
    QgsApplication.processEvents()


def scroll_to(dock, widget):
    dock.scrollArea.ensureWidgetVisible(widget)
    QgsApplication.processEvents()


def type_into(dock, widget, text: str):
    """Select the field's text and type over it, then Enter (a spin box or a line edit)."""
    scroll_to(dock, widget)
    # A spin box passes the keys to its own editor; a file widget has a public line edit.
    editor = widget if isinstance(widget, QAbstractSpinBox) else widget.lineEdit()
    editor.setFocus()
    QTest.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QgsApplication.processEvents()


def click_item(dock, tree, row: int = 0):
    scroll_to(dock, tree)
    item = tree.topLevelItem(row)
    rect = tree.visualItemRect(item)
    click(tree.viewport(), rect.center())
    return item


def click_tab(dock, tabs, index: int):
    scroll_to(dock, tabs)
    click(tabs.tabBar(), tabs.tabBar().tabRect(index).center())
    assert tabs.currentIndex() == index


def wait_for(dock, timeout=30.0):
    """Process events until the dock's run finishes; return (ok, message)."""
    outcome = []
    dock.analysis_finished.connect(lambda ok, message: outcome.append((ok, message)))
    end = time.time() + timeout
    while not outcome and time.time() < end:
        QgsApplication.processEvents()
        time.sleep(0.01)
    assert outcome, "the analysis did not finish in {} s".format(timeout)
    return outcome[0]


def small_inputs(project):
    zones = memory_layer("MultiPolygon", "zone_urba", {"IDURBA": "str", "LIBELLE": "str", "TYPEZONE": "str"}, [
        ("MULTIPOLYGON(((925000 6500000, 926000 6500000, 926000 6501000, 925000 6500000)))",
         {"IDURBA": "73065", "LIBELLE": "UX", "TYPEZONE": "U"})])
    sirene = memory_layer("Point", "etablissements", {"siret": "str", "activitePrincipaleEtablissement": "str"}, [
        ("POINT(925300 6500300)", {"siret": "12345678900011", "activitePrincipaleEtablissement": "10.51C"})])
    roads = memory_layer("LineString", "réseau routier", {"nom": "str"}, [
        ("LINESTRING(925000 6500000, 926000 6501000)", {"nom": "D1006"})])
    project.addMapLayers([zones, sirene, roads])
    return zones, sirene, roads


# Every button, field and list, by mouse and keyboard --------------------------------------------
def test_every_control_works_by_mouse_and_keyboard(fake_provider, dock, project, tmp_path, monkeypatch):
    zones, sirene, roads = small_inputs(project)
    dock.alg_id = FAKE
    dock.cboZones.setLayer(None)
    click(dock.btnDetect)
    assert dock.cboZones.currentLayer() == zones and dock.cboNetwork.currentLayer() == roads

    # Establishments from files, then back to the layer: the widgets follow the choice.
    scroll_to(dock, dock.radEstFile)
    click(dock.radEstFile)
    assert dock.fileSirene.isEnabled() and not dock.cboEstablishments.isEnabled()
    scroll_to(dock, dock.radEstLayer)
    click(dock.radEstLayer)
    assert dock.cboEstablishments.isEnabled() and not dock.fileSirene.isEnabled()

    type_into(dock, dock.spinClusterDistance, "250")
    type_into(dock, dock.spinMaxDistance, "3000")
    type_into(dock, dock.spinMinMembers, "4")
    out = tmp_path / "resultats"  # QTest.keyClicks types ASCII only
    type_into(dock, dock.fileOutputFolder, str(out))
    scroll_to(dock, dock.cboMode)
    dock.cboMode.setFocus()
    QTest.keyClick(dock.cboMode, Qt.Key.Key_Down)  # "Internal work"
    assert dock.cboMode.currentData() is False

    click(dock.btnRun)
    assert dock.btnCancel.isEnabled() and not dock.btnRun.isEnabled()
    ok, message = wait_for(dock)
    assert ok, message
    params = FakeFullAnalysis.last_parameters
    assert params["CLUSTER_DISTANCE_M"] == 250 and params["MAX_DISTANCE_M"] == 3000 and params["MIN_MEMBERS"] == 4
    assert params["PUBLIC"] is False and params["ZONES"] == zones.id() and params["ESTABLISHMENTS"] == sirene.id()
    assert Path(params["OUTPUT_GPKG"]).parent == out and Path(params["OUTPUT_GPKG"]).exists()
    group = project.layerTreeRoot().children()[0]
    assert group.name().startswith("EIT — ")

    # The lists: a click on a synergy explains it and selects it on the map.
    item = click_item(dock, dock.treeSynergies)
    assert dock.treeSynergies.currentItem() is item
    assert "780 m d'un besoin" in dock.txtExplanation.toPlainText()
    assert dock.result_layers["synergies"].selectedFeatureCount() == 1
    halo = dock.highlight  # stands out among the other links, until another choice
    assert halo is not None and halo.isVisible()
    click_tab(dock, dock.tabResults, 1)
    click_item(dock, dock.treeClusters)
    assert "C001" in dock.txtExplanation.toPlainText()
    assert dock.highlight is not halo and halo.scene() is None
    click_tab(dock, dock.tabResults, 2)
    click_item(dock, dock.treeRecommendations)
    assert [f["zone_id"] for f in dock.result_layers["zones"].selectedFeatures()] == ["z1"]

    # Explain a feature: on, then off.
    scroll_to(dock, dock.btnExplain)
    click(dock.btnExplain)
    assert dock.iface.mapCanvas().mapTool() is dock.map_tool
    click(dock.btnExplain)
    assert dock.iface.mapCanvas().mapTool() is not dock.map_tool

    # The report opens in the browser; earlier results load from a file.
    opened = []
    from eit_plugin.gui import dock as dock_module

    monkeypatch.setattr(dock_module.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    scroll_to(dock, dock.btnReport)
    click(dock.btnReport)
    assert opened == [params["REPORT"]]
    other = write_result_gpkg(tmp_path / "earlier.gpkg")
    monkeypatch.setattr(dock_module.QFileDialog, "getOpenFileName", lambda *args: (str(other), "GeoPackage"))
    click(dock.btnLoad)
    assert Path(dock.gpkg_path) == other
    assert len([n for n in project.layerTreeRoot().children() if n.name().startswith("EIT")]) == 2

    # Cancel by a click while it runs.
    FakeFullAnalysis.delay_s = 20.0
    try:
        click(dock.btnRun)
        task = dock.task
        end = time.time() + 5
        while task.progress() <= 0 and time.time() < end:
            QgsApplication.processEvents()
            time.sleep(0.01)
        click(dock.btnCancel)
        ok, _message = wait_for(dock, timeout=10)
    finally:
        FakeFullAnalysis.delay_s = 0.0
    assert not ok and dock.btnRun.isEnabled()


def test_every_input_has_a_tooltip(dock):
    """Every field, choice, button and list of the dock (named in dock.ui) says what it is for."""
    prefixes = ("cbo", "file", "spin", "rad", "btn", "tree")
    inputs = [w for w in dock.findChildren(QWidget) if w.objectName().startswith(prefixes)]
    assert len(inputs) >= 20
    assert all(isinstance(w, (QAbstractButton, QComboBox, QAbstractSpinBox, QWidget)) for w in inputs)
    missing = sorted(w.objectName() for w in inputs if not w.toolTip().strip())
    assert missing == []
    assert dock.fileSirene.lineEdit().toolTip() == dock.fileSirene.toolTip()


def test_the_dock_fits_a_1366x768_screen(dock, fake_provider, project, tmp_path):
    """Run is always on screen; after a run the lists are in view; tab titles are whole."""
    window = dock.iface.mainWindow()
    assert window.height() <= SCREEN[1] and dock.height() <= SCREEN[1]
    # The run button is outside the scrolled part: on screen whatever is expanded.
    assert not dock.scrollArea.isAncestorOf(dock.btnRun)
    top_left = dock.btnRun.mapTo(dock, QPoint(0, 0))
    assert 0 <= top_left.y() and top_left.y() + dock.btnRun.height() <= dock.height()
    small_inputs(project)
    dock.alg_id = FAKE
    click(dock.btnDetect)
    dock.fileOutputFolder.setFilePath(str(tmp_path / "out"))
    click(dock.btnRun)
    ok, message = wait_for(dock)
    assert ok, message
    QgsApplication.processEvents()
    viewport = dock.scrollArea.viewport()
    tree_top = dock.treeSynergies.mapTo(viewport, QPoint(0, 0)).y()
    assert 0 <= tree_top < viewport.height() - 40, "the result list is below the fold"
    # Nothing cut on the right: the widest row (result buttons, tab bar) fits the viewport.
    for widget in (dock.btnLoad, dock.tabResults):
        assert widget.mapTo(viewport, QPoint(widget.width(), 0)).x() <= viewport.width(), widget.objectName()
    bar = dock.tabResults.tabBar()
    for index in range(bar.count()):
        text = bar.tabText(index)
        assert bar.tabRect(index).width() >= bar.fontMetrics().horizontalAdvance(text), text
        assert bar.tabRect(index).right() <= bar.width()


# The real analysis of the sample, started by a click -----------------------------------------
def add_sample_layers(project) -> dict:
    """The sample GeoPackage's layers added as a user adds them (Layer > Add > GeoPackage)."""
    layers = {}
    for name in ("zone_urba", "communes", "housing", "heat_network", "roads", "establishments_sirene"):
        layer = QgsVectorLayer("{}|layername={}".format(SAMPLE_GPKG, name), name, "ogr")
        assert layer.isValid(), name
        layers[name] = layer
    project.addMapLayers(list(layers.values()))
    return layers


@pytest.fixture(scope="module")
def reference_counts(installed_qgis_process, tmp_path_factory):
    """What a qgis_process user gets from the SIRENE files of the sample (same other inputs,
    the dock's defaults)."""
    out = tmp_path_factory.mktemp("cli")
    gpkg = str(SAMPLE_GPKG)
    result = installed_qgis_process.run("eit:fullanalysis", {
        "SIRENE_FILE": str(SAMPLE / "StockEtablissement_sample.csv"),
        "GEOLOCATION": str(SAMPLE / "GeolocalisationEtablissement_sample.csv"),
        "ZONES": gpkg + "|layername=zone_urba", "HOUSING": gpkg + "|layername=housing",
        "NETWORK": gpkg + "|layername=roads", "HEAT_NETWORK": gpkg + "|layername=heat_network",
        "CLUSTER_DISTANCE_M": 500, "MIN_MEMBERS": 3, "PUBLIC": True,
        "OUTPUT_GPKG": str(out / "cli.gpkg"), "REPORT": str(out / "cli.html")})
    counts = {row["indicator"]: row["value"] for row in eit_results.read_summary(out / "cli.gpkg")}
    return result["results"], counts


@pytest.mark.slow
def test_a_click_on_run_analyses_the_sample_as_qgis_process_does(dock, eit_provider, project, tmp_path,
                                                                  reference_counts):
    if not SAMPLE_GPKG.exists():
        pytest.skip("the sample is not built")
    layers = add_sample_layers(project)
    click(dock.btnDetect)
    # The sample's SIRENE points (with their closed establishments) are what the dock picks.
    assert dock.cboEstablishments.currentLayer() == layers["establishments_sirene"]
    assert dock.cboZones.currentLayer() == layers["zone_urba"]
    assert dock.cboHeatNetwork.currentLayer() == layers["heat_network"]
    type_into(dock, dock.fileOutputFolder, str(tmp_path / "eit"))
    assert dock.cboMode.currentData() is True  # public document by default
    click(dock.btnRun)
    ok, message = wait_for(dock, timeout=240)
    assert ok, message

    group = project.layerTreeRoot().children()[0]
    assert group.name().startswith("EIT — ")
    kinds = {node.layer().customProperty("eit/kind") for node in group.findLayers()}
    assert {"zones", "synergies", "clusters", "recommendations", "communes"} <= kinds
    # The result zones (by EIT potential) replace the input zones on the map.
    assert not project.layerTreeRoot().findLayer(layers["zone_urba"].id()).itemVisibilityChecked()
    synergies = dock.result_layers["synergies"]
    assert synergies.featureCount() > 100
    assert synergies.renderer().type() == "RuleRenderer"
    assert dock.result_layers["zones"].renderer().classAttribute() == "eit_potential"
    assert dock.treeSynergies.topLevelItemCount() == synergies.featureCount()
    assert dock.btnReport.isEnabled()

    # Same results as the command line on the SIRENE files: closed establishments are left
    # out of the points layer as the import leaves them out of the files.
    cli, cli_summary = reference_counts
    summary = {row["indicator"]: row["value"] for row in eit_results.read_summary(dock.gpkg_path)}
    closed = sum(1 for f in layers["establishments_sirene"].getFeatures() if str(f["etat"]).upper() == "F")
    assert closed > 0
    assert int(float(summary["count_establishments"])) == layers["establishments_sirene"].featureCount() - closed
    assert synergies.featureCount() == int(cli["N_SYNERGIES"]) == int(float(summary["count_synergies"]))
    assert dock.result_layers["clusters"].featureCount() == int(cli["N_CLUSTERS"])
    assert summary["mwh_recovered"] == cli_summary["mwh_recovered"]

    # The summary reads the GeoPackage's summary table, as the report does, in the user's
    # language: heat, CO2 and tonnes (or "n.d." when the secret withholds them).
    text = dock.lblSummary.text()
    rows = {row["indicator"]: row for row in eit_results.read_summary(dock.gpkg_path)}
    column = "label_fr" if is_french() else "label_en"
    for indicator in ("mwh_recovered", "co2_avoided_t", "tonnes_diverted"):
        assert rows[indicator][column] and rows[indicator][column] in text, indicator
    # The report's synthesis rows, all of them in the tooltip, nothing of the dock's own.
    tooltip = dock.lblSummary.toolTip()
    shown = [row[column] for i, row in rows.items() if ":" not in i and not i.startswith("count_")]
    assert all(label in tooltip for label in shown) and tooltip.count("<br/>") == len(shown) - 1

    # Best first: public outputs withhold the score but keep the rank, which the list shows.
    scores = [f["score"] for f in synergies.getFeatures() if f["score"] not in (None, NULL)]
    if not scores:
        assert dock.treeSynergies.headerItem().text(1) == tr("Rank")
        assert dock.treeSynergies.topLevelItem(0).text(1) == "1"
    # A click on the best synergy: explained, selected, zoomed to.
    click_item(dock, dock.treeSynergies)
    assert synergies.selectedFeatureCount() == 1
    assert dock.txtExplanation.toPlainText().strip()
