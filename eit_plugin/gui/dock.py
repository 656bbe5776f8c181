"""The dock "Industrial ecology (EIT)": the method step by step, run in the background.

1. Data: the project's layers are recognised by their fields (SIRENE points, CNIG zone_urba,
   flows, network lines, housing); any layer or SIRENE file can be chosen instead.
2. Parameters: pooling distance, maximum synergy distance, minimum cluster size, public or
   internal use, report language, output folder (all remembered in the QGIS settings).
3. Run: ``eit:fullanalysis`` as a background task (progress, Cancel; QGIS stays usable).
4. Results: the GeoPackage's layers in a group "EIT — <date>", styled; a summary; lists of
   synergies, clusters and recommendations that zoom to the feature and explain it; the
   report. "Explain a feature" explains any feature of the EIT layers clicked on the map.
"""
from __future__ import annotations

import html
import os
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateTransform,
    QgsExpression,
    QgsFeatureRequest,
    QgsMapLayerProxyModel,
    QgsMessageLog,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.gui import QgsDockWidget, QgsFileWidget
from qgis.PyQt import uic
from qgis.PyQt.QtCore import QTimer, QUrl, pyqtSignal
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import QFileDialog, QHeaderView, QTreeWidgetItem

from .. import settings as eit_settings
from ..core import catalogue
from ..core.errors import EitError
from ..i18n import tr
from ..plugin_locale import is_french
from . import results as eit_results
from . import runner as eit_runner
from .detect import detect
from .explain import explain, fmt, title
from .maptool import ExplainMapTool, geometry_kind, highlight
from .runner import ALG_ID, AnalysisTask, algorithm_available, build_parameters, check_inputs, default_output_paths
from .summary import number as _number
from .summary import summary_html, summary_tooltip
from .tooltips import tooltips

FORM_CLASS, _ = uic.loadUiType(str(Path(__file__).with_name("dock.ui")))
# Output layer → its id field (recommendations point at them through scope_id / related_ids).
ID_FIELDS = {"zones": "zone_id", "clusters": "cluster_id", "synergies": "synergy_id", "communes": "code"}
LOG_TAG = "EIT"
ITEM_ROLE = 256  # Qt.ItemDataRole.UserRole
MAX_LISTED = 5000  # rows per list (best first); the layers hold them all

class EitDock(QgsDockWidget, FORM_CLASS):
    """The guided EIT panel. ``iface``: the QGIS interface."""

    analysis_finished = pyqtSignal(bool, str)  # ok, message (for tests and scripts)

    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.setupUi(self)
        self.setObjectName("EitDock")
        self.setWindowTitle(tr("Industrial ecology (EIT)"))
        self.iface = iface
        self.settings = eit_settings.load()
        self.task = None
        self.pending_outputs: tuple = ()
        self.results: dict = {}
        self.result_group = None
        self.result_layers: dict = {}
        self.report_path = ""
        self.run_public = None  # public mode of the run whose results are shown (None: unknown)
        self.map_tool = None
        self.highlight = None
        self.alg_id = ALG_ID
        self.gpkg_path = ""
        self._setup_widgets()
        self._restore_settings()
        self.detect_layers(use_saved=True)
        self._connect()

    # Set-up -----------------------------------------------------------------------------
    def _setup_widgets(self):
        self.cboZones.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        self.cboEstablishments.setFilters(QgsMapLayerProxyModel.Filter.PointLayer)
        self.cboHousing.setFilters(QgsMapLayerProxyModel.Filter.PointLayer | QgsMapLayerProxyModel.Filter.PolygonLayer)
        self.cboNetwork.setFilters(QgsMapLayerProxyModel.Filter.LineLayer)
        self.cboHeatNetwork.setFilters(QgsMapLayerProxyModel.Filter.LineLayer)
        self.cboArea.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        for combo in self._combos().values():
            combo.setAllowEmptyLayer(True)  # chosen by detection or by the user, never by chance
        csv_filter = tr("CSV files (*.csv *.txt);;All files (*)")
        self.fileSirene.setFilter(csv_filter)
        self.fileGeolocation.setFilter(csv_filter)
        self.fileDeclared.setFilter(tr("Tables (*.csv *.txt *.xlsx);;All files (*)"))
        self.fileOutputFolder.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.cboMode.clear()
        self.cboMode.addItem(tr("Public document (statistical secret applied)"), True)
        self.cboMode.addItem(tr("Internal work (all figures, confidential)"), False)
        self.cboLanguage.clear()
        self.cboLanguage.addItem(tr("Language of QGIS"), "")
        self.cboLanguage.addItem("Français", "fr")
        self.cboLanguage.addItem("English", "en")
        headers = {
            self.treeSynergies: [tr("Synergy"), tr("Score")],
            self.treeClusters: [tr("Cluster"), tr("Members")],
            self.treeRecommendations: [tr("Recommendation"), tr("Priority")],
        }
        for tree, labels in headers.items():
            tree.setColumnCount(len(labels))
            tree.setHeaderLabels(labels)
            tree.setRootIsDecorated(False)
            tree.setAlternatingRowColors(True)
            header = tree.header()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._set_tooltips()
        self._update_source_mode()

    def _set_tooltips(self):
        """Every input says what it is for and what it expects."""
        for name, text in tooltips().items():
            text = "<p>{}</p>".format(html.escape(text))  # rich text: Qt wraps it
            widget = getattr(self, name)
            widget.setToolTip(text)
            if isinstance(widget, QgsFileWidget):  # where the pointer rests too
                widget.lineEdit().setToolTip(text)

    def _connect(self):
        # clicked(bool) / toggled(bool) carry the check state: the lambdas drop it, so that it
        # never lands in a slot's first parameter (run_analysis(alg_id) got False).
        self.radEstLayer.toggled.connect(lambda _checked: self._update_source_mode())
        self.radEstFile.toggled.connect(lambda _checked: self._update_source_mode())
        self.btnDetect.clicked.connect(lambda _checked=False: self.detect_layers(use_saved=False, overwrite=True))
        self.btnRun.clicked.connect(lambda _checked=False: self.run_analysis())
        self.btnCancel.clicked.connect(lambda _checked=False: self.cancel_analysis())
        self.btnReport.clicked.connect(lambda _checked=False: self.open_report())
        self.btnLoad.clicked.connect(lambda _checked=False: self.choose_and_load())
        self.btnExplain.toggled.connect(lambda checked: self._toggle_explain_tool(bool(checked)))
        for tree, kind in ((self.treeSynergies, "synergies"), (self.treeClusters, "clusters"),
                           (self.treeRecommendations, "recommendations")):
            tree.currentItemChanged.connect(lambda item, _prev, kind=kind: self._item_selected(kind, item))
        QgsProject.instance().layersAdded.connect(self._on_layers_added)

    def _update_source_mode(self, *_args):
        from_file = self.radEstFile.isChecked()
        self.cboEstablishments.setEnabled(not from_file)
        self.fileSirene.setEnabled(from_file)
        self.fileGeolocation.setEnabled(from_file)

    # Settings ---------------------------------------------------------------------------
    def _restore_settings(self):
        s = self.settings
        self.spinClusterDistance.setValue(s.cluster_distance_m)
        self.spinClusterDistance.setClearValue(eit_settings.EitSettings.cluster_distance_m)
        self.spinMaxDistance.setValue(s.max_distance_m)
        self.spinMaxDistance.setClearValue(0.0)
        self.spinMinMembers.setValue(s.min_members)
        self.spinMinMembers.setClearValue(3)
        self.cboMode.setCurrentIndex(0 if s.public else 1)
        self.cboLanguage.setCurrentIndex(max(0, self.cboLanguage.findData(s.language)))
        self.fileOutputFolder.setFilePath(s.last_output_folder or self.default_output_folder())
        self.fileSirene.setFilePath(s.sirene_file)
        self.fileGeolocation.setFilePath(s.geolocation_file)
        self.fileDeclared.setFilePath(s.last_layers.get("declared_file", ""))
        if s.sirene_file and not s.last_layers.get("establishments"):
            self.radEstFile.setChecked(True)

    @staticmethod
    def default_output_folder() -> str:
        return str(Path.home() / "EIT")

    def read_settings_from_widgets(self) -> eit_settings.EitSettings:
        s = self.settings
        s.cluster_distance_m = float(self.spinClusterDistance.value())
        s.max_distance_m = float(self.spinMaxDistance.value())
        s.min_members = int(self.spinMinMembers.value())
        s.public = bool(self.cboMode.currentData())
        s.language = self.cboLanguage.currentData() or ""
        s.last_output_folder = self.fileOutputFolder.filePath()
        s.sirene_file = self.fileSirene.filePath() if self.radEstFile.isChecked() else ""
        s.geolocation_file = self.fileGeolocation.filePath() if self.radEstFile.isChecked() else ""
        layers = {}
        for role, combo in self._combos().items():
            if combo.currentLayer() is not None and combo.isEnabled():
                layers[role] = combo.currentLayer().id()
        if self.fileDeclared.filePath():
            layers["declared_file"] = self.fileDeclared.filePath()
        s.last_layers = layers
        return s

    def save_settings(self):
        self.read_settings_from_widgets().save()

    # Step 1: layers ---------------------------------------------------------------------
    def _combos(self) -> dict:
        return {
            "zones": self.cboZones,
            "establishments": self.cboEstablishments,
            "housing": self.cboHousing,
            "network": self.cboNetwork,
            "heat_network": self.cboHeatNetwork,
            "area": self.cboArea,
        }

    def detect_layers(self, use_saved: bool = True, overwrite: bool = True) -> dict:
        """Pre-select the project's layers by their fields; return role → layer id chosen."""
        project = QgsProject.instance()
        candidates = []
        for layer in project.layerTreeRoot().layerOrder() or list(project.mapLayers().values()):
            if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
                continue
            if eit_results.layer_kind(layer) is not None:
                continue  # our own outputs are not inputs
            candidates.append((layer.id(), layer.name(), geometry_kind(layer), layer.fields().names()))
        found = detect(candidates)
        if use_saved:
            for role, layer_id in self.settings.last_layers.items():
                if role in self._combos() and project.mapLayer(layer_id) is not None:
                    found[role] = layer_id
        chosen = {}
        for role, combo in self._combos().items():
            layer_id = found.get(role)
            if layer_id is None:
                if overwrite and combo.allowEmptyLayer():
                    combo.setLayer(None)
                continue
            if not overwrite and combo.currentLayer() is not None:
                continue
            combo.setLayer(project.mapLayer(layer_id))
            chosen[role] = layer_id
        if "establishments" in chosen and not self.fileSirene.filePath():
            self.radEstLayer.setChecked(True)
        flows_id = found.get("flows")
        if flows_id and not self.fileDeclared.filePath():
            source = project.mapLayer(flows_id).source().split("|")[0]
            if source.lower().endswith((".csv", ".txt", ".xlsx")) and os.path.isfile(source):
                self.fileDeclared.setFilePath(source)
                chosen["declared_file"] = source
        return chosen

    def _on_layers_added(self, layers):
        outputs = [layer for layer in layers if eit_results.layer_kind(layer) is not None]
        if outputs:  # our results are never offered as inputs
            for combo in self._combos().values():
                combo.setExceptedLayerList(combo.exceptedLayerList() + outputs)
        if self.task is not None:
            return
        if len(outputs) < len(layers):
            self.detect_layers(use_saved=False, overwrite=False)

    def current_inputs(self) -> dict:
        """The algorithm's input parameters from the widgets (role → layer or path)."""
        inputs = {
            catalogue.ZONES: self.cboZones.currentLayer(),
            catalogue.HOUSING: self.cboHousing.currentLayer(),
            catalogue.NETWORK: self.cboNetwork.currentLayer(),
            catalogue.HEAT_NETWORK: self.cboHeatNetwork.currentLayer(),
            catalogue.AREA: self.cboArea.currentLayer(),
            catalogue.DECLARED: self.fileDeclared.filePath(),
        }
        if self.radEstFile.isChecked():
            inputs[catalogue.SIRENE_FILE] = self.fileSirene.filePath()
            inputs[catalogue.GEOLOCATION] = self.fileGeolocation.filePath()
        else:
            inputs[catalogue.ESTABLISHMENTS] = self.cboEstablishments.currentLayer()
        return inputs

    # Step 3: run --------------------------------------------------------------------------
    def run_analysis(self, alg_id: str | None = None):
        """Start the analysis in the background; return the task (None if it did not start).
        ``alg_id``: the Processing algorithm, ``self.alg_id`` (``eit:fullanalysis``) by default."""
        if self.task is not None:
            return None
        alg_id = alg_id or self.alg_id
        if not algorithm_available(alg_id):
            self.show_error(tr("The Processing algorithm {} is not available: check that the EIT plugin is enabled "
                               "in Plugins > Manage and Install Plugins.").format(alg_id))
            return None
        settings = self.read_settings_from_widgets()
        folder = settings.last_output_folder or self.default_output_folder()
        try:
            Path(folder).mkdir(parents=True, exist_ok=True)
        except OSError as err:
            self.show_error(tr("Cannot create the output folder {}: {}").format(folder, err))
            return None
        gpkg, report = default_output_paths(folder)
        params = build_parameters(self.current_inputs(), settings, gpkg, report)
        problem = check_inputs(params)
        if problem:
            self.show_error(problem, Qgis.MessageLevel.Warning)
            return None
        settings.save()
        self.pending_outputs = (gpkg, report)
        self.run_public = bool(settings.public)
        self.task = AnalysisTask(params, tr("Industrial ecology analysis"), alg_id)
        self.task.progressChanged.connect(self._on_progress)
        self.task.feedback.message.connect(self._on_message)
        self.task.finished_with.connect(self._on_finished)
        self._set_running(True)
        QgsApplication.taskManager().addTask(self.task)
        return self.task

    def cancel_analysis(self):
        if self.task is not None:
            self.lblStatus.setText(tr("Cancelling…"))
            try:
                self.task.cancel()
            except RuntimeError:  # the task has just ended: its result is on its way
                pass

    def _set_running(self, running: bool):
        self.btnRun.setEnabled(not running)
        self.btnCancel.setEnabled(running)
        self.grpData.setEnabled(not running)
        self.grpParameters.setEnabled(not running)
        self.btnLoad.setEnabled(not running)
        if running:
            self.progressBar.setValue(0)
            self.lblStatus.setText(tr("Analysis running in the background; QGIS stays usable."))

    def _on_progress(self, value):
        self.progressBar.setValue(int(value))

    def _on_message(self, text):
        if self.task is not None and text:
            self.lblStatus.setText(text)

    def _on_finished(self, ok: bool, results: dict, message: str):
        task = self.task
        self.task = None
        self._set_running(False)
        cancelled = task is not None and task.feedback.isCanceled()
        if not ok:
            eit_runner.remove_partial_outputs(*self.pending_outputs)
            self.pending_outputs = ()
            if cancelled:
                text = tr("Analysis cancelled: no layer was added.")
                self.lblStatus.setText(text)
                self.iface.messageBar().pushMessage("EIT", text, level=Qgis.MessageLevel.Info, duration=5)
            else:
                self.lblStatus.setText(tr("The analysis failed: {}").format(message))
                self.show_error(message, log=False)  # the task logged it already
            self.progressBar.setValue(0)
            self.analysis_finished.emit(False, message)
            return
        self.progressBar.setValue(100)
        try:
            self.load_output(results.get(catalogue.OUTPUT_GPKG) or self.pending_outputs[0], results)
        except EitError as err:
            self.show_error(str(err))
            self.analysis_finished.emit(False, str(err))
            return
        # Steps 1-2 folded away: the results are what the user looks at now.
        self.grpData.setCollapsed(True)
        self.grpParameters.setCollapsed(True)
        self._hide_input_zones()
        # Once the folded groups are laid out: the summary and the lists at the top.
        QTimer.singleShot(0, lambda: self.scrollArea.verticalScrollBar().setValue(self.grpResults.y()))
        self.report_path = results.get(catalogue.REPORT) or ""
        self.btnReport.setEnabled(bool(self.report_path) and os.path.exists(self.report_path))
        text = tr("Analysis finished: results in {}").format(results.get(catalogue.OUTPUT_GPKG, ""))
        self.lblStatus.setText(text)
        self.iface.messageBar().pushMessage("EIT", text, level=Qgis.MessageLevel.Success, duration=8)
        self.analysis_finished.emit(True, "")

    # Step 4: results ----------------------------------------------------------------------
    def load_output(self, gpkg: str, results: dict | None = None):
        """Load a result GeoPackage (group + styles), fill the summary and the lists."""
        group, layers = eit_results.load_results(gpkg)
        self.result_group = group
        self.result_layers = layers
        self.gpkg_path = str(gpkg)
        self.results = dict(results or {})
        self.pending_outputs = ()
        self.fill_results()
        extent_layer = layers.get("zones") or next(iter(layers.values()))
        canvas = self.iface.mapCanvas()
        if canvas is not None and extent_layer is not None and not extent_layer.extent().isEmpty():
            self._zoom_to(extent_layer, extent_layer.extent(), buffer_ratio=0.05)
        return group, layers

    def choose_and_load(self):
        path, _filter = QFileDialog.getOpenFileName(
            self, tr("Load EIT results"), self.fileOutputFolder.filePath(), tr("GeoPackage (*.gpkg)"))
        if not path:
            return
        self.run_public = None
        try:
            self.load_output(path)
        except EitError as err:
            self.show_error(str(err))
            return
        report = os.path.splitext(path)[0] + ".html"
        self.report_path = report if os.path.exists(report) else ""
        self.btnReport.setEnabled(bool(self.report_path))

    def fill_results(self):
        french = is_french()
        summary = eit_results.summarize(self.result_layers, self.results, self.gpkg_path)
        self.lblSummary.setText(summary_html(summary, french, bool(self.run_public)))
        self.lblSummary.setToolTip(summary_tooltip(summary, french))
        self.txtExplanation.clear()
        for tree, kind in ((self.treeSynergies, "synergies"), (self.treeClusters, "clusters"),
                           (self.treeRecommendations, "recommendations")):
            tree.clear()
            layer = self.result_layers.get(kind)
            if layer is None:
                continue
            names = layer.fields().names()
            rows = [(feature.id(), dict(zip(names, feature.attributes()))) for feature in layer.getFeatures()]
            if kind == "synergies":  # best first: by rank (kept in public outputs), else score
                rows.sort(key=lambda r: (_number(r[1].get("rank"), 1e9), -_number(r[1].get("score")),
                                         str(r[1].get("synergy_id"))))
                second = "score" if any(_number(r[1].get("score"), -1) >= 0 for r in rows) else "rank"
                tree.setHeaderLabels([tr("Synergy"), tr("Score") if second == "score" else tr("Rank")])
            elif kind == "clusters":
                rows.sort(key=lambda r: (-_number(r[1].get("n_members")), str(r[1].get("cluster_id"))))
                second = "n_members"
            else:
                rows.sort(key=lambda r: (_number(r[1].get("priority"), 99), str(r[1].get("rec_id"))))
                second = "priority"
            for fid, attributes in rows[:MAX_LISTED]:
                item = QTreeWidgetItem([title(kind, attributes, french),
                                        fmt(attributes.get(second), 2 if second == "score" else 0, french)])
                item.setToolTip(0, str(attributes.get("reason") or attributes.get("evidence") or ""))
                item.setData(0, ITEM_ROLE, fid)
                tree.addTopLevelItem(item)
        counts = summary["counts"]
        # Counts in the summary and the tabs' tooltips: titles stay whole in a narrow dock.
        self.tabResults.setTabToolTip(0, tr("Synergies ({})").format(counts.get("synergies", 0)))
        self.tabResults.setTabToolTip(1, tr("Clusters ({})").format(counts.get("clusters", 0)))
        self.tabResults.setTabToolTip(2, tr("Recommendations ({})").format(counts.get("recommendations", 0)))

    def _hide_input_zones(self):
        """The result zones (by EIT potential) replace the input zones on the map."""
        layer = self.cboZones.currentLayer()
        node = QgsProject.instance().layerTreeRoot().findLayer(layer.id()) if layer is not None else None
        if node is not None:
            node.setItemVisibilityChecked(False)

    def _item_selected(self, kind: str, item):
        if item is None:
            return
        layer = self.result_layers.get(kind)
        if layer is None:
            return
        fid = item.data(0, ITEM_ROLE)
        feature = next(layer.getFeatures(QgsFeatureRequest(int(fid))), None)
        if feature is None:
            return
        self.show_explanation(layer, feature, kind)
        if feature.hasGeometry():
            self.zoom_to_feature(layer, feature)
        elif kind == "recommendations":
            ids = [str(feature[name]) for name in ("scope_id",) if layer.fields().indexFromName(name) >= 0]
            if layer.fields().indexFromName("related_ids") >= 0 and feature["related_ids"]:
                ids += [part.strip() for part in str(feature["related_ids"]).split(",") if part.strip()]
            self.zoom_to_ids(ids)

    def zoom_to_ids(self, ids) -> int:
        """Select and zoom to what a recommendation is about: its zones (or communes) when it
        names some, else its clusters and synergies; return how many features were selected."""
        ids = sorted({str(i) for i in ids if i not in (None, "")})
        if not ids:
            return 0
        quoted = ",".join(QgsExpression.quotedString(i) for i in ids)
        found = {}
        for kind, field in ID_FIELDS.items():
            layer = self.result_layers.get(kind)
            if layer is None or layer.fields().indexFromName(field) < 0:
                continue
            request = QgsFeatureRequest().setFilterExpression('"{}" IN ({})'.format(field, quoted))
            features = [f for f in layer.getFeatures(request)]
            if features:
                found[kind] = (layer, features)
        places = {k: v for k, v in found.items() if k in ("zones", "communes")} or found
        box, box_layer, selected = None, None, 0
        for kind, (layer, _features) in found.items():
            if kind not in places and layer.selectedFeatureCount():
                layer.removeSelection()
        for layer, features in places.values():
            layer.selectByIds([f.id() for f in features])
            selected += len(features)
            for feature in features:
                if not feature.hasGeometry():
                    continue
                extent = feature.geometry().boundingBox()
                if box is None:
                    box = QgsRectangle(extent)
                else:
                    box.combineExtentWith(extent)
                box_layer = layer
        if box is not None:
            self._zoom_to(box_layer, box, buffer_ratio=0.2, minimum=500.0)
        return selected

    def show_explanation(self, layer, feature, kind: str | None = None):
        kind = kind or eit_results.layer_kind(layer) or ""
        attributes = dict(zip(layer.fields().names(), feature.attributes()))
        self.txtExplanation.setHtml(explain(kind, attributes, is_french()))

    def zoom_to_feature(self, layer, feature):
        box = feature.geometry().boundingBox()
        self._zoom_to(layer, box, buffer_ratio=0.3, minimum=300.0)
        canvas = self.iface.mapCanvas()
        layer.selectByIds([feature.id()])
        if canvas is not None and hasattr(canvas, "flashFeatureIds"):
            canvas.flashFeatureIds(layer, [feature.id()])
            # A thin yellow selection is lost among the other links: a wide halo stays on it.
            self.highlight = highlight(canvas, layer, feature, self.highlight)

    def _zoom_to(self, layer, box, buffer_ratio=0.1, minimum=0.0):
        canvas = self.iface.mapCanvas()
        if canvas is None:
            return
        crs = canvas.mapSettings().destinationCrs()
        if crs.isValid() and layer.crs().isValid() and crs != layer.crs():
            box = QgsCoordinateTransform(layer.crs(), crs, QgsProject.instance()).transformBoundingBox(box)
        grow = max(box.width(), box.height()) * buffer_ratio
        if minimum and max(box.width(), box.height()) < minimum:
            grow = max(grow, minimum / 2.0)
        box.grow(grow)
        canvas.setExtent(box)
        canvas.refresh()

    def open_report(self):
        if self.report_path and os.path.exists(self.report_path):
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.report_path))
        else:
            self.show_error(tr("The report {} does not exist.").format(self.report_path), Qgis.MessageLevel.Warning)

    # Explain tool -----------------------------------------------------------------------
    def _toggle_explain_tool(self, checked: bool):
        try:
            self._set_explain_tool(checked)
        except RuntimeError:  # the canvas is gone (QGIS closing)
            self.map_tool = None

    def _set_explain_tool(self, checked: bool):
        canvas = self.iface.mapCanvas()
        if canvas is None:
            return
        if checked:
            if self.map_tool is None:
                self.map_tool = ExplainMapTool(canvas, eit_results.visible_output_layers)
                self.map_tool.explained.connect(self.show_explanation)
                self.map_tool.deactivated.connect(lambda: self.btnExplain.setChecked(False))
            canvas.setMapTool(self.map_tool)
        elif self.map_tool is not None and canvas.mapTool() is self.map_tool:
            canvas.unsetMapTool(self.map_tool)

    # Messages ---------------------------------------------------------------------------
    def show_error(self, message: str, level=Qgis.MessageLevel.Critical, log: bool = True):
        """The message bar and the QGIS log, with the text Processing gives."""
        self.iface.messageBar().pushMessage("EIT", message, level=level, duration=0 if level == Qgis.MessageLevel.Critical else 8)
        if log:
            QgsMessageLog.logMessage(message, LOG_TAG, level)

    # Life cycle -------------------------------------------------------------------------
    def shutdown(self):
        """Called when the plugin unloads: stop the run, release the map tool, save settings."""
        if self.task is not None:
            try:
                self.task.cancel()
            except RuntimeError:
                pass
        try:
            QgsProject.instance().layersAdded.disconnect(self._on_layers_added)
        except TypeError:
            pass
        try:
            canvas = self.iface.mapCanvas()
            if self.map_tool is not None and canvas is not None and canvas.mapTool() is self.map_tool:
                canvas.unsetMapTool(self.map_tool)
        except RuntimeError:  # the canvas is gone (QGIS closing)
            pass
        self.map_tool = None
        self.highlight = highlight(None, None, None, self.highlight)
        self.save_settings()

    def showEvent(self, event):  # noqa: N802 - Qt API
        super().showEvent(event)
        # Never narrower than the content (measured once polished): nothing hidden on the right.
        scrollbar = self.scrollArea.verticalScrollBar().sizeHint().width()
        self.scrollArea.setMinimumWidth(self.scrollContents.minimumSizeHint().width() + scrollbar + 2)

    def closeEvent(self, event):  # noqa: N802 - Qt API
        self.save_settings()
        super().closeEvent(event)
