"""Where the plugin's files are, both in a source checkout and in the installed zip.

In the repository, ``metadata.txt``, ``resources/`` and ``i18n/`` sit beside the
``eit_plugin/`` package (the layout the users asked for); ``make package`` copies them
inside the package folder. Look inside first, then beside.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _locate(name: str) -> Path:
    inside = PACKAGE_DIR / name
    if inside.exists():
        return inside
    return PACKAGE_DIR.parent / name


METADATA_FILE = _locate("metadata.txt")
RESOURCES_DIR = _locate("resources")
I18N_DIR = _locate("i18n")
REFERENCE_DIR = RESOURCES_DIR / "reference"
RULES_DIR = RESOURCES_DIR / "rules"
STYLES_DIR = RESOURCES_DIR / "styles"
ICONS_DIR = RESOURCES_DIR / "icons"
SAMPLE_DIR = RESOURCES_DIR / "sample"
TEMPLATES_DIR = RESOURCES_DIR / "templates"
