"""The user's language, from the QGIS settings (outside QGIS: English)."""
from __future__ import annotations


def locale_code() -> str:
    try:
        from qgis.PyQt.QtCore import QLocale, QSettings
    except ImportError:
        return "en"
    settings = QSettings()
    override = settings.value("locale/overrideFlag", False, type=bool)
    locale = settings.value("locale/userLocale", "", type=str) if override else ""
    if not locale:
        locale = settings.value("locale/globalLocale", "", type=str) or QLocale().name()
    return (locale or "en")[0:2].lower()


def is_french() -> bool:
    return locale_code() == "fr"
