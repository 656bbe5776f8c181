"""Load an analysis GeoPackage into the project: one layer group, styled layers, all or nothing.

:func:`load_results` opens each output layer the GeoPackage holds (``establishments``,
``flows``, ``zones``…), applies its style (the default style stored in the GeoPackage when
there is one, else ``resources/styles/<layer>.qml``; zones are shown by EIT potential and
also get the CNIG zone-type style as a second named style; legends in the QGIS language),
and only then adds them all to the project
under a group "EIT — <date>". If any layer cannot be opened, nothing is added.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from qgis.core import QgsProject, QgsVectorLayer

from ..core import catalogue
from ..core.errors import EitInputError
from ..i18n import tr
from ..plugin_locale import is_french
from ..qgis_io import styles
from .legend import translate_legend

# Top of the legend first: lines over polygons, points over zones.
OUTPUT_LAYERS = catalogue.legend_order()
HIDDEN_BY_DEFAULT = tuple(layer.name for layer in catalogue.OUTPUT_LAYERS if not layer.visible)
KIND_PROPERTY = "eit/kind"  # custom property naming the output a layer shows
DISPLAY_FIELDS = {layer.name: layer.display_field for layer in catalogue.OUTPUT_LAYERS}


def layer_titles() -> dict:
    """Legend titles of the output layers (``core.catalogue``), in the user's language."""
    return {layer.name: tr(layer.legend) for layer in catalogue.OUTPUT_LAYERS}


def group_name(when: _dt.datetime | None = None) -> str:
    when = when or _dt.datetime.now()
    return "EIT — {}".format(when.strftime("%Y-%m-%d %H:%M"))


def gpkg_layer_names(path: str | Path) -> list:
    """Table names inside a GeoPackage (its ``gpkg_contents``), in file order."""
    import sqlite3

    try:
        with sqlite3.connect("file:{}?mode=ro".format(Path(path).as_posix()), uri=True) as connection:
            rows = connection.execute("SELECT table_name FROM gpkg_contents ORDER BY rowid").fetchall()
    except sqlite3.Error as err:
        raise EitInputError(tr("{} is not a readable GeoPackage: {}").format(path, err)) from None
    return [row[0] for row in rows]


def has_stored_default_style(layer: QgsVectorLayer) -> bool:
    """True when the GeoPackage holds a default style for this layer (``layer_styles``)."""
    try:
        count, _ids, _names, _descriptions, _error = layer.listStylesInDatabase()
    except Exception:  # noqa: BLE001 - provider without style storage
        return False
    if not count:
        return False
    _text, loaded = layer.loadDefaultStyle()
    return bool(loaded)


def apply_style(layer: QgsVectorLayer, name: str, styles_dir: Path | None = None) -> str:
    """Style ``layer`` (output layer ``name``); return where the style came from."""
    french = is_french()
    origin = "none"
    if has_stored_default_style(layer):
        origin = "geopackage"
    else:
        qml = styles.style_path(name, styles_dir)
        if qml is not None:
            origin = "qml" if styles.apply_qml(layer, qml) else "none"
    translate_legend(layer, french)
    styles.add_alternative_style(layer, name, styles_dir, on_load=lambda lyr: translate_legend(lyr, french))
    return origin


def open_layers(gpkg: str | Path, styles_dir: Path | None = None) -> dict:
    """name → styled QgsVectorLayer for every output layer in the GeoPackage (not added)."""
    gpkg = Path(gpkg)
    if not gpkg.exists():
        raise EitInputError(tr("The result file {} does not exist.").format(gpkg))
    present = gpkg_layer_names(gpkg)
    titles = layer_titles()
    layers = {}
    for name in OUTPUT_LAYERS:
        if name not in present:
            continue
        layer = QgsVectorLayer("{}|layername={}".format(gpkg.as_posix(), name), titles[name], "ogr")
        if not layer.isValid():
            raise EitInputError(tr("Layer '{}' of {} cannot be opened.").format(name, gpkg))
        apply_style(layer, name, styles_dir)
        layer.setCustomProperty(KIND_PROPERTY, name)
        display = DISPLAY_FIELDS.get(name)
        if display and layer.fields().indexFromName(display) >= 0:
            layer.setDisplayExpression('"{}"'.format(display))  # names features in Identify, status bar
        layers[name] = layer
    if not layers:
        raise EitInputError(tr("{} contains none of the EIT output layers.").format(gpkg))
    return layers


def load_results(gpkg: str | Path, name: str | None = None, project: QgsProject | None = None,
                 styles_dir: Path | None = None):
    """Add the GeoPackage's output layers to ``project`` under a new top group.

    Returns ``(group, layers)`` with ``layers`` name → layer. All or nothing: when a layer
    cannot be opened, an ``EitInputError`` is raised and the project is left unchanged.
    """
    project = project or QgsProject.instance()
    layers = open_layers(gpkg, styles_dir)
    root = project.layerTreeRoot()
    for previous in root.children():  # earlier runs stay, folded, below the new one
        if previous.customProperty(KIND_PROPERTY) == "group":
            previous.setExpanded(False)
    group = root.insertGroup(0, name or group_name())
    group.setCustomProperty(KIND_PROPERTY, "group")
    try:
        project.addMapLayers(list(layers.values()), False)
        for layer_name in OUTPUT_LAYERS:
            layer = layers.get(layer_name)
            if layer is None:
                continue
            node = group.addLayer(layer)
            if layer_name in HIDDEN_BY_DEFAULT:
                node.setItemVisibilityChecked(False)
            if layer_name in ("establishments", "synergy_alternatives"):
                node.setExpanded(False)
    except Exception:
        remove_results(group, project)
        raise
    return group, layers


def remove_results(group, project: QgsProject | None = None) -> None:
    """Remove a result group and its layers from the project."""
    project = project or QgsProject.instance()
    ids = [layer.layerId() for layer in group.findLayers()]
    parent = group.parent()
    if parent is not None:
        parent.removeChildNode(group)
    project.removeMapLayers(ids)


def visible_output_layers() -> list:
    """Every visible project layer showing an EIT output (ours or loaded by hand), in legend
    order: the one drawn on top is explained first."""
    layers = []
    for node in QgsProject.instance().layerTreeRoot().findLayers():
        layer = node.layer()
        if node.isVisible() and isinstance(layer, QgsVectorLayer) and layer_kind(layer) is not None:
            layers.append(layer)
    return layers


def layer_kind(layer) -> str | None:
    """Which EIT output a project layer shows (``synergies``…), or None."""
    if layer is None or not hasattr(layer, "customProperty"):
        return None
    kind = layer.customProperty(KIND_PROPERTY, None)
    if kind in OUTPUT_LAYERS:
        return kind
    source = layer.source() if hasattr(layer, "source") else ""
    if "layername=" in source:
        name = source.split("layername=", 1)[1].split("|", 1)[0]
        if name in OUTPUT_LAYERS:
            return name
    return None


SUMMARY_TABLE = "summary"


def read_summary(gpkg: str | Path) -> list:
    """The rows of the GeoPackage's ``summary`` table (the figures the report prints), in
    table order, as dicts: ``indicator`` and ``value`` (text as stored: a number, or
    ``n.d.`` when the statistical secret withholds it) plus whatever other columns the table
    has (``unit``, ``label_fr``, ``label_en``…). Empty when the file has no such table."""
    import sqlite3

    try:
        with sqlite3.connect("file:{}?mode=ro".format(Path(gpkg).as_posix()), uri=True) as connection:
            columns = [row[1] for row in connection.execute("PRAGMA table_info({})".format(SUMMARY_TABLE))]
            if "indicator" not in columns or "value" not in columns:
                return []
            order = " ORDER BY fid" if "fid" in columns else ""
            rows = connection.execute("SELECT * FROM {}{}".format(SUMMARY_TABLE, order)).fetchall()
    except sqlite3.Error:
        return []
    return [{name: value for name, value in zip(columns, row) if name != "fid"} for row in rows]


def summarize(layers: dict, results: dict | None = None, gpkg: str | Path | None = None, top: int = 5) -> dict:
    """What the dock's summary shows for a loaded result: nothing computed here.

    Returns ``{"counts": {name: n}, "figures": [summary rows other than counts],
    "top_synergies": [attribute dicts, best score first]}``. Counts and figures come from
    the GeoPackage's ``summary`` table (``count_<name>`` rows); without that table, counts
    are the layers' feature counts and there are no figures.
    """
    results = results or {}
    rows = read_summary(gpkg) if gpkg else []
    counts = {name: layer.featureCount() for name, layer in layers.items()}
    for key, name in ((catalogue.N_SYNERGIES, "synergies"), (catalogue.N_CLUSTERS, "clusters"),
                      (catalogue.N_RECOMMENDATIONS, "recommendations")):
        if name not in counts and results.get(key) is not None:
            counts[name] = int(results[key])
    figures = []
    for row in rows:
        indicator = str(row.get("indicator") or "")
        if indicator.startswith("count_"):
            try:
                counts[indicator[len("count_"):]] = int(float(row.get("value")))
            except (TypeError, ValueError):
                pass
        elif indicator:
            figures.append(row)
    best = []
    synergies = layers.get("synergies")
    if synergies is not None:
        names = synergies.fields().names()
        rows = [dict(zip(names, feature.attributes())) for feature in synergies.getFeatures()]

        def score(row):
            try:
                return -float(row.get("score"))
            except (TypeError, ValueError):
                return 0.0

        rows.sort(key=lambda row: (score(row), str(row.get("synergy_id"))))
        best = rows[:top]
    return {"counts": counts, "figures": figures, "top_synergies": best}
