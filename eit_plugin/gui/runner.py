"""The dock's run path, without any widget: parameters → ``eit:fullanalysis`` → results.

:func:`run_full_analysis` is what the background task (:class:`AnalysisTask`) calls, and
what the tests call directly, so that the GUI runs exactly the Processing algorithm a
``qgis_process`` user runs, with the same error texts.
"""
from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsMessageLog,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsTask,
)
from qgis.PyQt.QtCore import pyqtSignal

from ..core import catalogue
from ..i18n import tr

ALG_ID = "eit:fullanalysis"
LOG_TAG = "EIT"


class EitRunError(Exception):
    """The analysis failed; the message is the one Processing reported."""


class RecordingFeedback(QgsProcessingFeedback):
    """Processing feedback that keeps the error messages, for the message bar, and
    re-emits the step texts (``message``, queued to the GUI thread)."""

    message = pyqtSignal(str)

    def __init__(self):
        super().__init__()
        self.errors: list = []
        self.infos: list = []

    def reportError(self, error, fatalError=False):  # noqa: N802, N803 - QGIS API
        self.errors.append(error)
        super().reportError(error, fatalError)

    def pushInfo(self, info):  # noqa: N802 - QGIS API
        self.infos.append(info)
        super().pushInfo(info)
        self.message.emit(info)

    def setProgressText(self, text):  # noqa: N802 - QGIS API
        super().setProgressText(text)
        self.message.emit(text)


def algorithm_available(alg_id: str = ALG_ID) -> bool:
    return QgsApplication.processingRegistry().algorithmById(alg_id) is not None


def default_output_paths(folder: str | os.PathLike, when: _dt.datetime | None = None) -> tuple:
    """(GeoPackage, HTML report) paths for a new run in ``folder``, named by date and time."""
    when = when or _dt.datetime.now()
    stem = "eit_{}".format(when.strftime("%Y%m%d_%H%M%S"))
    folder = Path(folder)
    return str(folder / "{}.gpkg".format(stem)), str(folder / "{}.html".format(stem))


def build_parameters(inputs: dict, settings, output_gpkg: str, report: str) -> dict:
    """``eit:fullanalysis`` parameters from the dock's choices.

    ``inputs``: role → layer (QgsMapLayer), layer id or file path, or None/"" when not
    given; roles are the algorithm's parameter names (``ZONES``, ``ESTABLISHMENTS``,
    ``SIRENE_FILE``, ``GEOLOCATION``, ``HOUSING``, ``NETWORK``, ``AREA``, ``DECLARED``,
    ``RATIOS``). ``settings``: an :class:`eit_plugin.settings.EitSettings`.
    """
    params = {}
    for name, value in inputs.items():
        if value is None or value == "":
            continue
        if hasattr(value, "id") and callable(value.id):
            value = value.id()
        params[name] = value
    params[catalogue.CLUSTER_DISTANCE_M] = float(settings.cluster_distance_m)
    params[catalogue.MIN_MEMBERS] = int(settings.min_members)
    if settings.max_distance_m and settings.max_distance_m > 0:
        params[catalogue.MAX_DISTANCE_M] = float(settings.max_distance_m)
    params[catalogue.PUBLIC] = bool(settings.public)
    params[catalogue.LANGUAGE] = 0 if settings.report_language() == "fr" else 1
    params[catalogue.OUTPUT_GPKG] = output_gpkg
    params[catalogue.REPORT] = report
    return params


def remove_partial_outputs(gpkg: str = "", report: str = "") -> None:
    """A failed or cancelled run leaves no file that looks like a result."""
    stem = os.path.splitext(report)[0] if report else ""
    for path in (gpkg, gpkg + ".part", gpkg + "-journal", report, stem + ".pdf" if stem else ""):
        try:
            if path and os.path.exists(path):
                os.remove(path)
        except OSError:
            pass


def check_inputs(params: dict) -> str | None:
    """A message saying what is missing before a run, or None when it can start."""
    if not params.get(catalogue.ZONES):
        return tr("Choose the PLU zones layer (CNIG zone_urba) in step 1.")
    if not params.get(catalogue.ESTABLISHMENTS) and not params.get(catalogue.SIRENE_FILE):
        return tr("Choose an establishments layer or a SIRENE file in step 1.")
    return None


def run_full_analysis(params: dict, feedback: QgsProcessingFeedback | None = None, context=None,
                      alg_id: str = ALG_ID) -> dict:
    """Run ``alg_id`` (default ``eit:fullanalysis``) and return its results dict.

    Raises :class:`EitRunError` with Processing's own message when the algorithm is missing,
    refuses its parameters or fails; a cancelled run raises it too (``feedback.isCanceled()``
    tells which).
    """
    feedback = feedback if feedback is not None else RecordingFeedback()
    registry = QgsApplication.processingRegistry()
    alg = registry.createAlgorithmById(alg_id)
    if alg is None:
        raise EitRunError(
            tr("The Processing algorithm {} is not available: check that the EIT plugin is enabled "
               "in Plugins > Manage and Install Plugins.").format(alg_id)
        )
    if context is None:
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
    ok, message = alg.checkParameterValues(params, context)
    if not ok:
        raise EitRunError(message)
    # QgsProcessingAlgorithm.run (prepare → process → post-process, QgsProcessingException
    # reported to the feedback) named explicitly, so that no Python ``run`` of a subclass can
    # shadow it.
    results, ok = QgsProcessingAlgorithm.run(alg, params, context, feedback)
    if feedback.isCanceled():
        raise EitRunError(tr("Cancelled by the user: no output was written."))
    if not ok:
        errors = getattr(feedback, "errors", [])
        raise EitRunError(errors[-1] if errors else tr("The analysis failed; see the Processing log."))
    return dict(results or {})


class AnalysisTask(QgsTask):
    """``run_full_analysis`` in the background: progress, cancel, QGIS stays responsive.

    Emits ``finished_with(ok, results, message)`` in the main thread when done (``results``
    empty and ``message`` the error text when it failed or was cancelled).
    """

    finished_with = pyqtSignal(bool, dict, str)

    def __init__(self, params: dict, description: str = "", alg_id: str = ALG_ID):
        super().__init__(description or tr("Industrial ecology analysis"), QgsTask.Flag.CanCancel)
        self.params = dict(params)
        self.alg_id = alg_id
        self.feedback = RecordingFeedback()
        self.feedback.progressChanged.connect(self.setProgress)
        self.context = QgsProcessingContext()
        self.context.setProject(QgsProject.instance())
        self.results: dict = {}
        self.message = ""

    def cancel(self):
        self.feedback.cancel()
        super().cancel()

    def run(self) -> bool:  # worker thread
        try:
            self.results = run_full_analysis(self.params, self.feedback, self.context, self.alg_id)
            return True
        except EitRunError as err:
            self.message = str(err)
        except Exception as err:  # noqa: BLE001 - never let a worker exception reach QGIS
            self.message = tr("Unexpected error during the analysis: {}").format(err)
        return False

    def finished(self, result: bool):  # main thread
        if not result and not self.message:
            self.message = tr("Cancelled by the user: no output was written.")
        if not result:
            level = Qgis.MessageLevel.Info if self.feedback.isCanceled() else Qgis.MessageLevel.Critical
            QgsMessageLog.logMessage(self.message, LOG_TAG, level)
        self.finished_with.emit(bool(result), self.results if result else {}, self.message)
