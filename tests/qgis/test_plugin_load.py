"""The plugin loads in QGIS, registers its provider once, and unloads cleanly."""
from __future__ import annotations

from qgis.core import QgsApplication

import eit_plugin
from eit_plugin.about import version


def test_metadata_is_the_version_source():
    assert version() == "0.1.0" or version().count(".") == 2


def test_initgui_adds_menu_toolbar_and_provider_and_unload_removes_them(recording_iface, qgis_processing):
    registry = QgsApplication.processingRegistry()
    already = registry.providerById("eit")
    if already is not None:  # another test's provider: start from a QGIS without it
        registry.removeProvider(already)
    plugin = eit_plugin.classFactory(recording_iface)
    plugin.initGui()
    plugin.initProcessing()  # QGIS may call it again: must not register twice
    assert registry.providerById("eit") is not None
    assert [p.id() for p in registry.providers()].count("eit") == 1
    assert recording_iface.menu_actions.get("&EIT")
    assert len(recording_iface.toolbar_actions) == 1
    plugin.unload()
    assert registry.providerById("eit") is None
    assert recording_iface.menu_actions == {}
    assert recording_iface.toolbar_actions == []
    assert recording_iface.docks == []


def test_provider_names(eit_provider):
    assert eit_provider.id() == "eit"
    assert eit_provider.name() == "Écologie industrielle et territoriale (EIT)"
