"""The zip a user installs loads in qgis_process from a clean profile."""
from __future__ import annotations

import zipfile

from tools.qgisproc import QgisProcess


def test_zip_has_one_plugin_folder_with_metadata_resources_and_translations(package_zip):
    names = zipfile.ZipFile(package_zip).namelist()
    assert all(name.startswith("eit_plugin/") for name in names)
    assert "eit_plugin/metadata.txt" in names
    assert "eit_plugin/__init__.py" in names
    assert "eit_plugin/resources/icons/eit.svg" in names
    assert "eit_plugin/i18n/eit_fr.qm" in names
    assert "eit_plugin/LICENSE" in names
    assert not any("__pycache__" in name for name in names)


def test_zip_ships_the_gpl_licence(package_zip):
    text = zipfile.ZipFile(package_zip).read("eit_plugin/LICENSE").decode("utf-8")
    assert "either version 2" in text and "any later version" in text
    assert "GNU GENERAL PUBLIC LICENSE" in text and "TERMS AND CONDITIONS" in text


def test_qgis_process_lists_the_provider_from_a_fresh_profile(package_zip, tmp_path):
    qgis = QgisProcess(tmp_path / "profile")
    qgis.install(package_zip)
    plugins = qgis.call(["plugins"]).stdout
    assert "* eit_plugin" in plugins, plugins
    listing = qgis.call(["list"]).stdout
    assert "Écologie industrielle et territoriale (EIT)" in listing, listing[-2000:]
