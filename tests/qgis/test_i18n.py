"""The French interface: the .qm loads and translates; the .ts is complete and consistent."""
from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

from eit_plugin import plugin as plugin_module
from eit_plugin.i18n import tr

TS = Path(__file__).resolve().parents[2] / "i18n" / "eit_fr.ts"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def messages():
    root = ET.parse(TS).getroot()
    for context in root.iter("context"):
        for message in context.iter("message"):
            yield context.findtext("name"), message.findtext("source"), message.find("translation")


@pytest.fixture
def french_qm(tmp_path, qgis_app):
    if shutil.which("lrelease") is None:
        pytest.skip("lrelease (qttools5-dev-tools) is not installed")
    folder = tmp_path / "i18n"
    folder.mkdir()
    subprocess.run(["lrelease", "-silent", str(TS), "-qm", str(folder / "eit_fr.qm")], check=True)
    return folder


def test_french_translation_loads(french_qm, monkeypatch):
    monkeypatch.setattr(plugin_module, "I18N_DIR", french_qm)
    assert tr("Industrial ecology (EIT)") == "Industrial ecology (EIT)"
    translator = plugin_module.install_translator("fr")
    assert translator is not None
    try:
        assert tr("Industrial ecology (EIT)") == "Écologie industrielle (EIT)"
        assert tr("Analysis cancelled: no layer was added.") == "Analyse annulée : aucune couche n'a été ajoutée."
        assert tr("Cancelled by the user: no output was written.").startswith("Annulé")
    finally:
        QCoreApplication.removeTranslator(translator)
    assert plugin_module.install_translator("xx") is None


def test_the_dock_appears_in_french(french_qm, monkeypatch, qgis_iface, tmp_path):
    from qgis.core import QgsSettings
    from qgis.PyQt.QtCore import QSettings

    from eit_plugin import settings as eit_settings

    monkeypatch.setattr(eit_settings, "_qgs_settings", lambda: QgsSettings(str(tmp_path / "s.ini"), QSettings.IniFormat))
    monkeypatch.setattr(plugin_module, "I18N_DIR", french_qm)
    translator = plugin_module.install_translator("fr")
    try:
        from eit_plugin.gui.dock import EitDock

        dock = EitDock(qgis_iface, None)
        assert dock.windowTitle() == "Écologie industrielle (EIT)"
        assert dock.btnRun.text() == "Lancer l'analyse"  # from the .ui, its own context
        assert dock.grpData.title() == "1. Données"
        dock.shutdown()
    finally:
        QCoreApplication.removeTranslator(translator)


def test_every_string_is_translated():
    missing = [source for _context, source, translation in messages()
               if translation is None or translation.get("type") == "unfinished" or not (translation.text or "").strip()]
    assert missing == [], "{} untranslated strings in {}, e.g. {}".format(len(missing), TS.name, missing[:5])


def test_translations_keep_the_placeholders():
    wrong = []
    for _context, source, translation in messages():
        if translation is None or not translation.text:
            continue
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation.text)):
            wrong.append((source, translation.text))
    assert wrong == []


def test_qm_is_loadable_by_qt(french_qm):
    translator = QTranslator()
    assert translator.load(str(french_qm / "eit_fr.qm"))
    assert translator.translate("EIT", "Industrial ecology (EIT)") == "Écologie industrielle (EIT)"
