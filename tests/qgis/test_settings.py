"""User settings persist in QgsSettings and come back on restart; bad values never break."""
from __future__ import annotations

import pytest
from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QSettings

from eit_plugin import settings as eit_settings
from eit_plugin.settings import EitSettings


@pytest.fixture
def store(tmp_path, qgis_app):
    return QgsSettings(str(tmp_path / "QGIS3.ini"), QSettings.IniFormat)


def test_defaults_when_nothing_saved(store):
    s = eit_settings.load(store)
    assert s == EitSettings()
    assert (s.cluster_distance_m, s.min_members, s.public, s.max_distance_m) == (500.0, 3, True, 0.0)


def test_round_trip(store, tmp_path):
    saved = EitSettings(cluster_distance_m=750.0, max_distance_m=2500.0, min_members=5, public=False,
                        language="en", last_output_folder=str(tmp_path / "sorties"),
                        sirene_file="/data/StockEtablissement_73.csv", geolocation_file="/data/geo.csv",
                        last_layers={"zones": "zone_urba_abc", "network": "routes_123"})
    saved.save(store)
    # A new QgsSettings object on the same file: what QGIS sees after a restart.
    reread = eit_settings.load(QgsSettings(str(tmp_path / "QGIS3.ini"), QSettings.IniFormat))
    assert reread == saved
    assert reread.report_language() == "en"


def test_bad_values_fall_back_to_defaults(store):
    store.setValue("eit_plugin/cluster_distance_m", "beaucoup")
    store.setValue("eit_plugin/min_members", -2)
    store.setValue("eit_plugin/language", "de")
    store.setValue("eit_plugin/last_layers", "{not json")
    store.setValue("eit_plugin/public", "false")
    s = eit_settings.load(store)
    assert (s.cluster_distance_m, s.min_members, s.language, s.last_layers) == (500.0, 3, "", {})
    assert s.public is False


def test_reset_forgets(store):
    EitSettings(min_members=9).save(store)
    eit_settings.reset(store)
    assert eit_settings.load(store).min_members == 3


def test_dock_restores_and_saves_its_widgets(qgis_iface, qgis_new_project, tmp_path, monkeypatch):
    from eit_plugin.gui import dock as dock_module

    path = str(tmp_path / "QGIS3.ini")
    monkeypatch.setattr(eit_settings, "_qgs_settings", lambda: QgsSettings(path, QSettings.IniFormat))
    EitSettings(cluster_distance_m=800.0, min_members=4, public=False, language="fr",
                last_output_folder=str(tmp_path / "out")).save()
    dock = dock_module.EitDock(qgis_iface, None)
    assert dock.spinClusterDistance.value() == 800.0
    assert dock.spinMinMembers.value() == 4
    assert dock.cboMode.currentData() is False
    assert dock.cboLanguage.currentData() == "fr"
    assert dock.fileOutputFolder.filePath() == str(tmp_path / "out")
    dock.spinMaxDistance.setValue(1500.0)
    dock.cboMode.setCurrentIndex(0)
    dock.shutdown()  # what unloading the plugin / quitting QGIS does
    again = eit_settings.load()
    assert (again.max_distance_m, again.public, again.cluster_distance_m) == (1500.0, True, 800.0)
