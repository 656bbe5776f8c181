"""The QGIS desktop plugin: menu, toolbar, Processing provider, translation, dependency check."""
from __future__ import annotations

from qgis.core import Qgis, QgsApplication, QgsMessageLog
from qgis.PyQt.QtCore import QCoreApplication, Qt, QTranslator
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from .deps import missing_dependencies, missing_message
from .i18n import tr
from .paths import I18N_DIR, ICONS_DIR
from .plugin_locale import locale_code

MENU = "&EIT"
LOG_TAG = "EIT"


def install_translator(locale: str | None = None):
    """Load i18n/eit_<locale>.qm into the application; return the translator or None."""
    locale = locale or locale_code()
    qm_file = I18N_DIR / "eit_{}.qm".format(locale)
    if not qm_file.exists():
        return None
    translator = QTranslator()
    if translator.load(str(qm_file)):
        QCoreApplication.installTranslator(translator)
        return translator
    return None


class EitPlugin:
    """Adds the EIT menu and toolbar entries and the ``eit`` Processing provider."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.actions: list = []
        self.dock = None
        self.translator = install_translator()
        self.missing = missing_dependencies()

    # Processing ---------------------------------------------------------------
    def initProcessing(self):  # noqa: N802 (QGIS API name)
        """Register the provider once, even if QGIS calls this twice."""
        if self.provider is not None:
            return
        from .processing.provider import EitProvider

        registry = QgsApplication.processingRegistry()
        if registry.providerById("eit") is not None:  # another instance already registered it
            return

        self.provider = EitProvider()
        registry.addProvider(self.provider)

    # GUI ----------------------------------------------------------------------
    def initGui(self):  # noqa: N802 (QGIS API name)
        self.initProcessing()
        icon = QIcon(str(ICONS_DIR / "eit.svg"))
        action = QAction(icon, tr("Industrial ecology (EIT)…"), self.iface.mainWindow())
        action.setObjectName("eitShowDock")
        action.setToolTip(tr("Open the industrial and territorial ecology panel"))
        action.triggered.connect(self.show_dock)
        self.iface.addPluginToMenu(MENU, action)
        self.iface.addToolBarIcon(action)
        self.actions.append(action)
        if self.missing:
            message = missing_message(self.missing)
            QgsMessageLog.logMessage(message, LOG_TAG, Qgis.MessageLevel.Critical)
            self.iface.messageBar().pushMessage("EIT", message, level=Qgis.MessageLevel.Critical, duration=0)

    def show_dock(self):
        """Show the guided EIT panel (created on first use)."""
        from .gui.dock import EitDock

        if self.dock is None:
            self.dock = EitDock(self.iface, self.iface.mainWindow())
            self.iface.addDockWidget(
                Qt.DockWidgetArea.RightDockWidgetArea,
                self.dock,
            )
        self.dock.show()
        self.dock.raise_()

    def unload(self):
        for action in self.actions:
            self.iface.removePluginMenu(MENU, action)
            self.iface.removeToolBarIcon(action)
            action.deleteLater()
        self.actions = []
        if self.dock is not None:
            self.dock.shutdown()
            self.iface.removeDockWidget(self.dock)
            self.dock.close()
            self.dock.deleteLater()
            self.dock = None
        if self.provider is not None:
            registry = QgsApplication.processingRegistry()
            # Only our own instance: a test or a reload may have replaced it already.
            if registry.providerById("eit") is self.provider:
                registry.removeProvider(self.provider)
            self.provider = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None
