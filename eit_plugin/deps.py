"""Third-party modules the plugin needs beyond QGIS itself, checked at load.

numpy and pandas ship with the usual QGIS installers (OSGeo4W, macOS bundle, Debian
python3-qgis recommends); networkx and scipy do not always. The plugin must still load
without them and say clearly what to install.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

from .i18n import tr


@dataclass(frozen=True)
class Dependency:
    module: str
    debian_package: str
    pip_name: str


REQUIRED = (
    Dependency("numpy", "python3-numpy", "numpy"),
    Dependency("pandas", "python3-pandas", "pandas"),
    Dependency("networkx", "python3-networkx", "networkx"),
    Dependency("scipy", "python3-scipy", "scipy"),
)


def missing_dependencies(required=REQUIRED) -> list:
    """The dependencies that cannot be imported, in declaration order."""
    missing = []
    for dep in required:
        try:
            importlib.import_module(dep.module)
        except ImportError:
            missing.append(dep)
    return missing


def missing_message(missing) -> str:
    """One message naming what is missing and how to install it on each platform."""
    if not missing:
        return ""
    names = ", ".join(dep.module for dep in missing)
    debian = " ".join(dep.debian_package for dep in missing)
    pip_names = " ".join(dep.pip_name for dep in missing)
    return tr(
        "The EIT plugin needs the Python module(s) {names}, which this QGIS cannot import. "
        "Windows: open the OSGeo4W Shell and run \"python -m pip install {pip}\". "
        "Debian/Ubuntu: \"sudo apt install {debian}\". macOS: in the QGIS Python console "
        "run \"import pip; pip.main(['install', '{pip}'])\". Then restart QGIS."
    ).format(names=names, pip=pip_names, debian=debian)
