"""Shared base for the EIT algorithms: naming, translation, help, errors, feedback."""
from __future__ import annotations

from qgis.core import QgsProcessingAlgorithm, QgsProcessingException, QgsProcessingFeedback, QgsProcessingOutputNumber
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon

from ..core.errors import EitCancelled, EitError
from ..core.feedback import Feedback
from ..deps import missing_dependencies, missing_message
from ..i18n import tr
from ..paths import ICONS_DIR
from ..qgis_io import checks
from ..qgis_io import outputs as outputs_io


class QgisFeedback(Feedback):
    """Core feedback forwarded to a ``QgsProcessingFeedback``."""

    def __init__(self, feedback: QgsProcessingFeedback | None, start: float = 0.0, span: float = 100.0):
        super().__init__()
        self.qgs = feedback
        self.start = start
        self.span = span

    def info(self, message: str) -> None:
        super().info(message)
        if self.qgs is not None:
            self.qgs.pushInfo(message)

    def warning(self, message: str) -> None:
        super().warning(message)
        if self.qgs is not None:
            self.qgs.reportError(message, fatalError=False)

    def set_progress(self, percent: float) -> None:
        super().set_progress(percent)
        if self.qgs is not None:
            self.qgs.setProgress(self.start + self.span * max(0.0, min(100.0, percent)) / 100.0)

    def is_cancelled(self) -> bool:
        return bool(self.qgs is not None and self.qgs.isCanceled())

    def sub(self, start: float, end: float) -> QgisFeedback:
        """A feedback for one step of a multi-step run, mapping 0-100 to [start, end]."""
        child = QgisFeedback(self.qgs, self.start + self.span * start / 100.0, self.span * (end - start) / 100.0)
        child.infos = self.infos
        child.warnings = self.warnings
        return child


class _FinalPaths(QgsProcessingFeedback):
    """The run's feedback, with the staged output paths in messages shown as the final ones
    (the user never sees the work folder the outputs are written in)."""

    @classmethod
    def wrap(cls, feedback, replacements):
        if feedback is None or not replacements:
            return feedback
        return cls(feedback, replacements)

    def __init__(self, parent, replacements):
        super().__init__()
        self.parent = parent
        self.replacements = list(replacements)
        # Direct connections, as QgsProcessingMultiStepFeedback does: the run is in a worker
        # thread without an event loop, the cancel button in the main thread.
        self.progressChanged.connect(parent.setProgress, Qt.ConnectionType.DirectConnection)
        parent.canceled.connect(self.cancel, Qt.ConnectionType.DirectConnection)
        if parent.isCanceled():
            self.cancel()

    def _fix(self, text):
        text = str(text)
        for old, new in self.replacements:
            text = text.replace(old, new)
        return text

    def pushInfo(self, info):  # noqa: N802
        self.parent.pushInfo(self._fix(info))

    def pushCommandInfo(self, info):  # noqa: N802
        self.parent.pushCommandInfo(self._fix(info))

    def pushDebugInfo(self, info):  # noqa: N802
        self.parent.pushDebugInfo(self._fix(info))

    def pushConsoleInfo(self, info):  # noqa: N802
        self.parent.pushConsoleInfo(self._fix(info))

    def pushWarning(self, warning):  # noqa: N802
        self.parent.pushWarning(self._fix(warning))

    def reportError(self, error, fatalError=False):  # noqa: N802
        self.parent.reportError(self._fix(error), fatalError)

    def setProgressText(self, text):  # noqa: N802
        self.parent.setProgressText(self._fix(text))


class _GdalMessages:
    """GDAL's own error text (e.g. "unable to open database file" from a connection QGIS retries
    on its own) is kept out of a run that succeeds; if the run fails it goes to the debug log,
    next to the plugin's message, for whoever reads the technical details."""

    def __init__(self, feedback):
        self.feedback = feedback
        self.messages = []
        self.pushed = False

    def _collect(self, _class, number, message):
        if len(self.messages) < 200:
            self.messages.append("GDAL {}: {}".format(number, message))

    def __enter__(self):
        try:
            from osgeo import gdal
        except ImportError:
            return self
        gdal.PushErrorHandler(self._collect)
        self.pushed = True
        return self

    def __exit__(self, exc_type, exc, tb):
        if self.pushed:
            from osgeo import gdal

            gdal.PopErrorHandler()
        if exc_type is not None and self.feedback is not None:
            for message in self.messages:
                self.feedback.pushDebugInfo(message)
        return False


class EitAlgorithm(QgsProcessingAlgorithm):
    """Base class. Subclasses define ``ALG_ID``, ``DISPLAY_NAME``, ``GROUP``, ``GROUP_ID``,
    ``HELP`` (English source strings, translated through ``tr``), ``initAlgorithm`` and
    ``execute(parameters, context, feedback)`` returning the result dict.

    ``processAlgorithm`` checks dependencies, calls ``execute`` and turns the method's own
    errors into ``QgsProcessingException`` (message to the user, no traceback).

    The hook is not called ``run``: that would shadow ``QgsProcessingAlgorithm.run``, which
    ``processing.run`` and child-algorithm calls use.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "run" in cls.__dict__:
            raise TypeError("{}: implement execute(parameters, context, feedback), not run() "
                            "(run shadows QgsProcessingAlgorithm.run)".format(cls.__name__))

    ALG_ID = ""
    DISPLAY_NAME = ""
    GROUP = ""
    GROUP_ID = ""
    HELP = ""

    def tr(self, text: str) -> str:
        return tr(text)

    def createInstance(self):  # noqa: N802
        return type(self)()

    def name(self) -> str:
        return self.ALG_ID

    def displayName(self) -> str:  # noqa: N802
        return tr(self.DISPLAY_NAME)

    def group(self) -> str:
        return tr(self.GROUP)

    def groupId(self) -> str:  # noqa: N802
        return self.GROUP_ID

    def shortHelpString(self) -> str:  # noqa: N802
        return tr(self.HELP)

    def icon(self):
        return QIcon(str(ICONS_DIR / "eit.svg"))

    def add_parameters(self, *parameters) -> None:
        """``addParameter`` for each of ``parameters``, in order."""
        for parameter in parameters:
            self.addParameter(parameter)

    def add_counts(self, *counts) -> None:
        """A number output for each ``(name, description already translated)``."""
        for name, description in counts:
            self.addOutput(QgsProcessingOutputNumber(name, description))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        missing = missing_dependencies()
        if missing:
            raise QgsProcessingException(missing_message(missing))
        try:
            # Before any work: an output that is an input is refused, output folders are
            # checked; outputs are written aside and moved in only if the run succeeds.
            outputs_io.check_not_inputs(self, parameters, context)
            problem, warnings = self.plugin_checks(parameters, context)
            if problem:
                raise QgsProcessingException(problem)
            for warning in warnings:
                feedback.reportError(warning, fatalError=False)
            with _GdalMessages(feedback), \
                    outputs_io.atomic_outputs(self, parameters, context) as (staged, state):
                results = self.execute(staged, context, _FinalPaths.wrap(feedback, state["replacements"]))
            return outputs_io.final_results(results, state, context)
        except EitCancelled:
            # Raising (not returning) makes Processing discard the outputs: a cancelled
            # run never leaves a half-written layer presented as complete.
            raise QgsProcessingException(tr("Cancelled by the user: no output was written.")) from None
        except EitError as err:
            raise QgsProcessingException(str(err)) from None
        except QgsProcessingException:
            raise
        except Exception as err:  # noqa: BLE001 - a bug must still reach the user as a message
            import traceback

            feedback.pushDebugInfo(traceback.format_exc())
            raise QgsProcessingException(tr(
                "Unexpected error in {alg}: {error}. This is a bug of the EIT plugin, not of your data: "
                "please report it with the log (the technical details are in the debug log)."
            ).format(alg=self.name(), error=repr(err))) from None

    def checkParameterValues(self, parameters, context):  # noqa: N802
        """The plugin's checks first (their messages say the allowed range and why, where
        QGIS would say only "Incorrect parameter value"), then QGIS's own."""
        try:
            outputs_io.check_not_inputs(self, parameters, context)
            problem, _warnings = self.plugin_checks(parameters, context)
        except EitError as err:
            return False, str(err)
        if problem:
            return False, problem
        return super().checkParameterValues(parameters, context)

    def plugin_checks(self, parameters, context) -> tuple:
        """``(refusal or None, warnings)``: numbers (units, ranges), vector inputs (geometry
        type, empty, layer name, CRS), then the algorithm's own :meth:`check_parameters`."""
        problem = checks.check_numbers(self, parameters) or checks.check_files(self, parameters)
        if problem:
            return problem, []
        problem, warnings = checks.check_sources(self, parameters, context)
        if problem:
            return problem, warnings
        return self.check_parameters(parameters, context), warnings

    def parameterAsSource(self, parameters, name, context):  # noqa: N802
        """QGIS's feature source, marked with the whole GeoPackage layer behind it, if any,
        so that ``qgis_io.layers`` reads it column-wise (``qgis_io.columnar``)."""
        from ..qgis_io import columnar

        source = super().parameterAsSource(parameters, name, context)
        if source is not None:
            columnar.mark_source(source, parameters.get(name), context)
        return source

    def check_parameters(self, parameters, context):
        """A message when a parameter value is not acceptable, else ``None``."""
        return None

    def execute(self, parameters, context, feedback):  # pragma: no cover - abstract
        raise NotImplementedError
