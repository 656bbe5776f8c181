"""QGIS fixtures: the real plugin loaded through classFactory, with its provider registered."""
from __future__ import annotations

import subprocess

import pytest

from tests.conftest import ROOT


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
def eit_plugin_instance(qgis_app, qgis_processing, qgis_iface):
    """The plugin loaded as QGIS loads it (classFactory), for the whole session."""
    import eit_plugin

    plugin = eit_plugin.classFactory(RecordingIface(qgis_iface))
    yield plugin
    plugin.unload()


@pytest.fixture
def eit_provider(eit_plugin_instance):
    """The registered ``eit`` provider (registered again if a test unloaded it)."""
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("eit")
    if provider is None:
        eit_plugin_instance.provider = None
        eit_plugin_instance.initProcessing()
        provider = registry.providerById("eit")
    assert provider is not None
    return provider


@pytest.fixture(scope="session")
def package_zip(tmp_path_factory):
    """The zip a user installs, built by ``make package`` from this checkout."""
    out = tmp_path_factory.mktemp("dist") / "eit_plugin.zip"
    subprocess.run(["make", "-s", "package", "PACKAGE_ZIP={}".format(out)], cwd=ROOT, check=True)
    return out


@pytest.fixture(scope="session")
def installed_qgis_process(package_zip, tmp_path_factory):
    """qgis_process.bin with the packaged plugin installed in a fresh profile."""
    from tools.qgisproc import QgisProcess

    qgis = QgisProcess(tmp_path_factory.mktemp("profile"))
    qgis.install(package_zip)
    return qgis


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL + PostGIS server of its own for the session (tests/qgis/pg_harness.py)."""
    from tests.qgis import pg_harness

    if pg_harness.find_bin_dir() is None:
        pytest.skip("PostgreSQL/PostGIS binaries absent: install postgresql and postgresql-15-postgis-3 (make test does)")
    server = pg_harness.start_server()
    yield server
    pg_harness.stop_server(server)
