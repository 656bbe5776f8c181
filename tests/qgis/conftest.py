"""QGIS fixtures: the real plugin loaded through classFactory, with its provider registered."""
from __future__ import annotations

import pytest


class RecordingIface:
    """Wraps pytest-qgis's iface and records what the plugin adds and removes, so that
    tests can check that ``unload`` leaves nothing behind."""

    def __init__(self, iface):
        self._iface = iface
        self.menu_actions: dict = {}
        self.toolbar_actions: list = []
        self.docks: list = []

    def __getattr__(self, name):
        return getattr(self._iface, name)

    def addPluginToMenu(self, menu, action):
        self.menu_actions.setdefault(menu, []).append(action)

    def removePluginMenu(self, menu, action):
        self.menu_actions.get(menu, []).remove(action)
        if not self.menu_actions.get(menu):
            self.menu_actions.pop(menu, None)

    def addToolBarIcon(self, action):
        self.toolbar_actions.append(action)

    def removeToolBarIcon(self, action):
        self.toolbar_actions.remove(action)

    def addDockWidget(self, area, dock):
        self.docks.append(dock)

    def removeDockWidget(self, dock):
        self.docks.remove(dock)


@pytest.fixture
def recording_iface(qgis_iface):
    return RecordingIface(qgis_iface)


@pytest.fixture(scope="session")
def eit_provider(qgis_app, qgis_processing, qgis_iface):
    """The plugin loaded as QGIS loads it, its ``eit`` provider registered for the session."""
    from qgis.core import QgsApplication

    import eit_plugin

    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("eit")
    if existing is not None:
        yield existing
        return
    plugin = eit_plugin.classFactory(RecordingIface(qgis_iface))
    plugin.initProcessing()
    provider = registry.providerById("eit")
    assert provider is not None
    yield provider
    plugin.unload()
