"""Layer ⇄ table conversion, CRS handling and case-insensitive field mapping, in one place.

Core works on pandas DataFrames with ``x``/``y`` columns (points) in a projected CRS in
metres. This module reads any QGIS feature source into such a table (reprojecting on the
fly; the input layer is never modified) and writes tables back to Processing sinks with the
schemas of ``eit_plugin.core.fields`` (English names, French/English aliases).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..core.errors import EitCancelled, EitInputError
from ..core.fields import match_names
from ..i18n import tr

WORKING_CRS_AUTHID = "EPSG:2154"

_QVARIANT = {"str": QVariant.Type.String, "int": QVariant.Type.LongLong, "float": QVariant.Type.Double, "bool": QVariant.Type.Bool}


def working_crs() -> QgsCoordinateReferenceSystem:
    """The CRS every computation uses: Lambert-93, metres."""
    return QgsCoordinateReferenceSystem(WORKING_CRS_AUTHID)


def transform_context(context=None):
    return context.transformContext() if context is not None else QgsProject.instance().transformContext()


def to_working_crs(source_crs, context=None):
    """A transform from ``source_crs`` to the working CRS (``None`` when identical)."""
    if not source_crs.isValid() or source_crs == working_crs():
        return None
    return QgsCoordinateTransform(source_crs, working_crs(), transform_context(context))


# Field mapping -------------------------------------------------------------------------------
def field_map(layer_fields, wanted, layer_name: str, required=()) -> dict:
    """Map canonical names to the layer's own field names, case-insensitively.

    ``wanted`` maps each canonical name to its accepted spellings (e.g. ``{"typezone":
    ["TYPEZONE", "type_zone"]}``). Missing ``required`` names raise an ``EitInputError``
    naming the field, the layer and the fields it does have.
    """
    names = [f.name() for f in layer_fields]
    found, missing = match_names(names, {c: [c, *spellings] for c, spellings in wanted.items()}, required)
    mapping = {canonical: names[index] for canonical, index in found.items()}
    if missing:
        raise EitInputError(
            tr("Layer '{layer}' has no field {fields} (matched case-insensitively). "
               "Its fields are: {present}. Rename the field or pick the right layer.").format(
                layer=layer_name,
                fields=", ".join("'{}'".format(m) for m in missing),
                present=", ".join(names) or tr("(none)"),
            )
        )
    return mapping


def clean_value(value):
    """QGIS NULL / QVariant → None; everything else unchanged."""
    if value is None:
        return None
    if isinstance(value, QVariant):
        return None if value.isNull() else value.value()
    return value


# Reading -------------------------------------------------------------------------------------
def _iterator_plan(source, context, mapping) -> tuple:
    """For the feature iterator: the transform to the working CRS, ``{canonical: field
    index}`` (every field when ``mapping`` is empty) and an empty list per column."""
    fields = source.fields()
    mapping = mapping or {f.name(): f.name() for f in fields}
    indexes = {canonical: fields.indexFromName(name) for canonical, name in mapping.items()}
    return to_working_crs(source.sourceCrs(), context), indexes, {canonical: [] for canonical in mapping}


def read_points(source, context=None, mapping=None, feedback=None, layer_name="") -> pd.DataFrame:
    """Point features → DataFrame with the mapped attributes, ``fid``, ``x``, ``y`` (working CRS).

    Multipoints use their first point; features without geometry get NaN coordinates so the
    caller can count and report them. A whole GeoPackage layer is read column-wise
    (``columnar``), any other source through the feature iterator: O(n) either way.
    """
    from . import columnar

    frame = columnar.read_points(source, context, mapping, feedback)
    if frame is not None:
        return frame
    transform, indexes, columns = _iterator_plan(source, context, mapping)
    fids, xs, ys = [], [], []
    total = source.featureCount() or 0
    # Only the mapped attributes are fetched (much faster on wide layers).
    request = QgsFeatureRequest().setSubsetOfAttributes(sorted(i for i in indexes.values() if i >= 0))
    for n, feature in enumerate(source.getFeatures(request)):
        if feedback is not None and n % 5000 == 0:
            feedback.check_cancelled()
            if total:
                feedback.set_progress(100.0 * n / total)
        attrs = feature.attributes()
        for canonical, index in indexes.items():
            columns[canonical].append(clean_value(attrs[index]))
        fids.append(feature.id())
        geom = feature.geometry()
        if geom is None or geom.isNull() or geom.isEmpty():
            xs.append(math.nan)
            ys.append(math.nan)
            continue
        if transform is not None:
            geom = QgsGeometry(geom)
            geom.transform(transform)
        point = geom.asPoint() if not geom.isMultipart() else geom.asMultiPoint()[0]
        xs.append(point.x())
        ys.append(point.y())
    frame = pd.DataFrame(columns)
    frame["fid"] = fids
    frame["x"] = pd.array(xs, dtype="float64")
    frame["y"] = pd.array(ys, dtype="float64")
    return frame


def read_geometries(source, context=None, mapping=None, feedback=None) -> pd.DataFrame:
    """Any features → DataFrame with the mapped attributes, ``fid`` and ``geometry``
    (``QgsGeometry`` in the working CRS, copied: the source is never modified). A whole
    GeoPackage layer's attributes are read column-wise (``columnar``). O(n)."""
    from . import columnar

    frame = columnar.read_geometries(source, context, mapping, feedback)
    if frame is not None:
        return frame
    transform, indexes, columns = _iterator_plan(source, context, mapping)
    fids, geoms = [], []
    for n, feature in enumerate(source.getFeatures(QgsFeatureRequest())):
        if feedback is not None and n % 2000 == 0:
            feedback.check_cancelled()
        attrs = feature.attributes()
        for canonical, index in indexes.items():
            columns[canonical].append(clean_value(attrs[index]))
        fids.append(feature.id())
        geom = QgsGeometry(feature.geometry())
        if transform is not None and not geom.isNull():
            geom.transform(transform)
        geoms.append(geom)
    frame = pd.DataFrame(columns)
    frame["fid"] = fids
    frame["geometry"] = geoms
    return frame


# Writing -------------------------------------------------------------------------------------
def qgs_fields(schema, extra=()) -> QgsFields:
    """QgsFields for a schema from ``core.fields`` (aliases in the user's language)."""
    from ..plugin_locale import is_french

    french = is_french()
    fields = QgsFields()
    for spec in (*schema, *extra):
        field = QgsField(spec.name, _QVARIANT[spec.type])
        field.setAlias(spec.alias_fr if french else spec.alias_en)
        fields.append(field)
    return fields


def python_value(value, type_):
    """``value`` as the Python value a QGIS attribute of schema type ``type_`` takes (None
    for missing, NaN or NA)."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if type_ == "int":
        return int(value)
    if type_ == "float":
        return float(value)
    if type_ == "bool":
        return bool(value)
    return str(value)


def column_values(frame: pd.DataFrame, name: str, type_: str) -> list:
    """One column as Python values for ``QgsFeature.setAttributes``: the values of
    ``python_value`` (None for missing/NaN/NA), converted column-wise (fast on big frames)."""
    if name not in frame.columns:
        return [None] * len(frame)
    values = frame[name].to_numpy(dtype=object)
    missing = pd.isna(values).tolist()
    convert = {"int": int, "float": float, "bool": bool}.get(type_, str)
    return [None if m or v is None else convert(v) for v, m in zip(values.tolist(), missing)]


def write_frame(sink, frame: pd.DataFrame, fields: QgsFields, schema_types: dict, geometry="xy", feedback=None) -> int:
    """Write a DataFrame to a sink. ``geometry``: ``"xy"`` (points from x/y), ``"geometry"``
    (a column of QgsGeometry), ``"line"`` (columns x1, y1, x2, y2) or ``None``."""
    names = [f.name() for f in fields]
    written = 0
    n_rows = len(frame)
    # Values are converted column by column (vectorised NaN test), then zipped into rows:
    # a row-wise to_dict + per-cell pd.isna cost most of the time of big outputs.
    columns = [column_values(frame, name, schema_types.get(name, "str")) for name in names]
    rows = zip(*columns) if columns else iter([()] * n_rows)
    if geometry == "xy":
        xs = pd.to_numeric(frame["x"], errors="coerce").to_numpy(dtype=float) if "x" in frame.columns else np.full(n_rows, np.nan)
        ys = pd.to_numeric(frame["y"], errors="coerce").to_numpy(dtype=float) if "y" in frame.columns else np.full(n_rows, np.nan)
        ok = (~(np.isnan(xs) | np.isnan(ys))).tolist()
        xs, ys = xs.tolist(), ys.tolist()
    elif geometry == "line":
        x1, y1, x2, y2 = (frame[c].astype(float).tolist() for c in ("x1", "y1", "x2", "y2"))
    elif geometry == "geometry":
        geoms = frame["geometry"].tolist() if "geometry" in frame.columns else [None] * n_rows
    for n, attrs in enumerate(rows):
        if feedback is not None and n % 5000 == 0:
            if feedback.is_cancelled():
                raise EitCancelled("cancelled")
            if n_rows:
                feedback.set_progress(100.0 * n / n_rows)
        feature = QgsFeature(fields)
        feature.setAttributes(list(attrs))
        if geometry == "xy":
            if ok[n]:
                feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(xs[n], ys[n])))
        elif geometry == "line":
            feature.setGeometry(QgsGeometry.fromPolylineXY([QgsPointXY(x1[n], y1[n]), QgsPointXY(x2[n], y2[n])]))
        elif geometry == "geometry":
            geom = geoms[n]
            if geom is not None:
                feature.setGeometry(geom)
        if not sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert):
            raise EitInputError(tr("Could not write feature {} to the output: {}").format(n + 1, getattr(sink, "lastError", lambda: "")()))
        written += 1
    return written


def schema_types(schema, extra=()) -> dict:
    return {f.name: f.type for f in (*schema, *extra)}


def wkb(kind: str):
    return {
        "point": QgsWkbTypes.Type.Point,
        "line": QgsWkbTypes.Type.LineString,
        "polygon": QgsWkbTypes.Type.MultiPolygon,
        "none": QgsWkbTypes.Type.NoGeometry,
    }[kind]


def open_vector(value, context=None):
    """A vector layer from a parameter value: a layer, a file path (``path|layername=x``) or
    a project layer id/name. File paths are opened directly, not through the context's
    temporary layer store, so that a work folder can be deleted once its files are read."""
    import os

    from qgis.core import QgsProcessingUtils, QgsVectorLayer

    if value in (None, ""):
        return None
    if isinstance(value, QgsVectorLayer):
        return value
    text = str(value)
    if os.path.isfile(text.split("|")[0]):
        layer = QgsVectorLayer(text, os.path.basename(text.split("|")[0]), "ogr")
        return layer if layer.isValid() else None
    layer = QgsProcessingUtils.mapLayerFromString(text, context) if context is not None else None
    return layer if isinstance(layer, QgsVectorLayer) else None


def representative_xy(geometries):
    """One position per geometry: the point itself for single points, else a point on the
    surface (inside the polygon); NaN for a missing or empty geometry. Returns (xs, ys)."""
    from qgis.core import QgsWkbTypes

    xs, ys = [], []
    for geom in geometries:
        if geom is None or geom.isNull() or geom.isEmpty():
            xs.append(math.nan)
            ys.append(math.nan)
            continue
        single_point = geom.type() == QgsWkbTypes.GeometryType.PointGeometry and not geom.isMultipart()
        point = geom.asPoint() if single_point else geom.pointOnSurface().asPoint()
        xs.append(point.x())
        ys.append(point.y())
    return xs, ys
