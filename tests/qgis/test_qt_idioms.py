"""No PyQt5-only idiom in the plugin, so that it keeps working with the Qt6 builds of QGIS:
enums fully qualified (``Qt.AlignmentFlag.AlignLeft``, not ``Qt.AlignLeft``), ``exec()``
not ``exec_()``, Qt through ``qgis.PyQt`` (never ``PyQt5`` directly)."""
from __future__ import annotations

import re
from pathlib import Path

PLUGIN = Path(__file__).resolve().parents[2] / "eit_plugin"
# Name.Member not preceded by a dot (so a scoped Name.Enum.Member is not read as Enum.Member)
# and followed by neither a dot nor a call.
ATTRIBUTE = re.compile(r"(?<![\w.])([A-Z]\w*)\.([A-Za-z_]\w*)\b(?!\s*\.)(?!\s*\()")
PYQT5 = re.compile(r"^\s*(from|import)\s+PyQt5\b")


def _modules():
    import qgis.core
    import qgis.gui
    from qgis.PyQt import QtCore, QtGui, QtTest, QtWidgets

    return (qgis.core, qgis.gui, QtCore, QtGui, QtWidgets, QtTest)


def unscoped_enums(source: str) -> list:
    """``(line, "Owner.Member", "Owner.Enum.Member")`` for each enum value reached without
    its enum's name."""
    modules = _modules()
    found = []
    for number, line in enumerate(source.splitlines(), 1):
        for match in ATTRIBUTE.finditer(line.split("#")[0]):
            owner = next((getattr(m, match.group(1)) for m in modules if hasattr(m, match.group(1))), None)
            if not isinstance(owner, type):
                continue
            value = getattr(owner, match.group(2), None)
            kind = type(value)
            if isinstance(value, int) and kind not in (int, bool):
                found.append((number, match.group(0), _scoped(kind, match.group(2), value)))
    return found


def _scoped(kind, name: str, value) -> str:
    """``Enum.Member`` spelling of an enum value (an enum moved to ``Qgis`` keeps the value
    under another name: ``QgsGeometry.ValidatorGeos`` is ``Qgis.GeometryValidationEngine.Geos``)."""
    outer = kind.__qualname__.split(".")[0]
    container = None
    for module in _modules():
        container = getattr(module, outer, None) or container
    enum = container
    for part in kind.__qualname__.split(".")[1:]:
        enum = getattr(enum, part, None)
    if enum is not None and getattr(enum, name, None) != value:
        name = next((n for n in dir(enum) if not n.startswith("_") and getattr(enum, n) == value), name)
    return "{}.{}".format(kind.__qualname__, name)


def test_the_check_sees_an_unscoped_enum_and_accepts_a_scoped_one(qgis_app):
    source = ("label.setAlignment(Qt.AlignLeft)\n"
              "label.setAlignment(Qt.AlignmentFlag.AlignLeft)\n"
              "bar.pushMessage('x', level=Qgis.Warning)\n"
              "version = Qgis.QGIS_VERSION\n"
              "geom.validateGeometry(QgsGeometry.ValidatorGeos)\n")
    assert unscoped_enums(source) == [(1, "Qt.AlignLeft", "Qt.AlignmentFlag.AlignLeft"),
                                      (3, "Qgis.Warning", "Qgis.MessageLevel.Warning"),
                                      (5, "QgsGeometry.ValidatorGeos", "Qgis.GeometryValidationEngine.Geos")]


def test_no_pyqt5_only_idiom_in_the_plugin(qgis_app):
    problems = []
    for path in sorted(PLUGIN.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(PLUGIN.parent)
        for number, found, scoped in unscoped_enums(source):
            problems.append("{}:{}: {} → {}".format(name, number, found, scoped))
        for number, line in enumerate(source.splitlines(), 1):
            if "exec_(" in line.split("#")[0]:
                problems.append("{}:{}: exec_( → exec(".format(name, number))
            if PYQT5.match(line):
                problems.append("{}:{}: import Qt through qgis.PyQt".format(name, number))
    assert not problems, "\n".join(problems)
