"""Translation helper shared by core, Processing and GUI.

``tr(text)`` returns the translation of ``text`` in the user's QGIS locale; format the
result, never the source: ``tr("{} zones read").format(n)``. Outside QGIS (unit tests of
core), it returns the source text unchanged.

All strings use one translation context, ``EIT``, so that ``make i18n`` (pylupdate5) and
the runtime agree wherever ``tr`` is called from (module function, class, core).
"""
from __future__ import annotations

CONTEXT = "EIT"

try:  # QtCore is not a GUI module: core may use it when present.
    from qgis.PyQt.QtCore import QCoreApplication

    def tr(text: str) -> str:
        return QCoreApplication.translate(CONTEXT, text)

except ImportError:  # pragma: no cover - exercised by unit tests without QGIS

    def tr(text: str) -> str:
        return text
