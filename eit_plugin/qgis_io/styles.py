"""Styling an output layer, one way for every path that shows one: the GeoPackage written by
the chain (stored as its default style), the dock loading results, and Processing loading an
algorithm's output into the project.

The style of output layer ``name`` is ``resources/styles/<style>.qml`` with ``style`` from
``core.catalogue`` (``OutputLayer.style``); a layer with an ``alternative_style`` (the zones:
CNIG zone types) gets it as a second named style, the default one staying current.
"""
from __future__ import annotations

from pathlib import Path

from ..core import catalogue
from ..i18n import tr
from ..paths import STYLES_DIR


def style_path(name: str, styles_dir: Path | None = None) -> Path | None:
    """The .qml of output layer ``name`` (or of the style ``name`` when no output layer has
    that name), None when the file does not exist."""
    try:
        style = catalogue.output_layer(name).style
    except KeyError:
        style = name
    path = Path(styles_dir or STYLES_DIR) / "{}.qml".format(style)
    return path if path.exists() else None


def apply_qml_text(layer, text: str) -> bool:
    """Apply a style given as QML text (a .qml file's content, or a style stored in a
    GeoPackage) to ``layer``; False when the text is not a style."""
    from qgis.PyQt.QtXml import QDomDocument

    document = QDomDocument()
    if not document.setContent(text):
        return False
    ok, _message = layer.importNamedStyle(document)
    return bool(ok)


def apply_qml(layer, path) -> bool:
    """Apply a .qml file to ``layer``. Not ``loadNamedStyle``: for a GeoPackage layer with a
    stored default style, that call silently loads the stored style instead of the file."""
    ok = apply_qml_text(layer, Path(path).read_text(encoding="utf-8"))
    if ok:
        layer.triggerRepaint()
    return ok


def add_alternative_style(layer, name: str, styles_dir: Path | None = None, on_load=None) -> bool:
    """Offer the catalogue's alternative style of output layer ``name`` beside the current one
    (Layer > Styles), which stays current. ``on_load(layer)`` runs after the alternative is
    loaded (e.g. to translate its legend). False when the layer has none or its file is missing."""
    try:
        alternative = catalogue.output_layer(name).alternative_style
    except KeyError:
        return False
    qml = style_path(alternative, styles_dir) if alternative else None
    if qml is None:
        return False
    manager = layer.styleManager()
    default_name = tr("EIT potential")
    alternative_name = tr("CNIG zone types")
    current = manager.currentStyle()
    if current != default_name and default_name not in manager.styles():
        manager.renameStyle(current, default_name)
    if alternative_name in manager.styles():
        return True
    manager.addStyle(alternative_name, manager.style(default_name))
    manager.setCurrentStyle(alternative_name)
    ok = apply_qml(layer, qml)
    if on_load is not None:
        on_load(layer)
    manager.setCurrentStyle(default_name)
    return bool(ok)


def apply_output_style(layer, name: str, styles_dir: Path | None = None) -> bool:
    """The catalogue's style of output layer ``name`` applied to ``layer`` (False when its
    .qml is missing or unreadable), and its alternative style offered beside it."""
    qml = style_path(name, styles_dir)
    ok = qml is not None and apply_qml(layer, qml)
    add_alternative_style(layer, name, styles_dir)
    return ok
