"""Shared test set-up: repository paths and the versions header."""
from __future__ import annotations

import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pytest_report_header(config):
    lines = ["python {} ({})".format(platform.python_version(), sys.executable)]
    try:
        from osgeo import gdal
        from qgis.core import Qgis
        from qgis.PyQt.QtCore import PYQT_VERSION_STR, QT_VERSION_STR

        lines.append(
            "QGIS {} | Qt {} | PyQt {} | GDAL {}".format(
                Qgis.QGIS_VERSION, QT_VERSION_STR, PYQT_VERSION_STR, gdal.__version__
            )
        )
    except ImportError:
        lines.append("QGIS not importable (unit tests of core only)")
    return lines
