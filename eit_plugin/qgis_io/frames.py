"""Frames ⇄ output layers without a memory layer in between (eit:fullanalysis writes each
output once, straight from the in-memory tables)."""
from __future__ import annotations

import os

import pandas as pd
from qgis.core import (
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsVectorFileWriter,
)
from qgis.PyQt.QtCore import QVariant

from ..core.errors import EitInputError
from ..i18n import tr
from .layers import column_values, schema_types, working_crs, write_frame


def _is_nan(value) -> bool:
    return isinstance(value, float) and value != value


def like_layer(frame, schema) -> pd.DataFrame:
    """``frame``'s schema columns as a layer read gives them back: text columns hold str or
    None, numbers float (NaN for NULL). Vectorised: no Python value per cell; O(n · c) time,
    one copy of the schema columns (plus one column's temporaries) in memory."""
    out = {}
    for spec in schema:
        if spec.name not in frame.columns:
            continue
        column = frame[spec.name]
        if spec.type == "float":
            out[spec.name] = pd.to_numeric(column, errors="coerce").astype(float)
        elif spec.type == "str":
            column = column.astype(object)
            missing = column.isna()
            if pd.api.types.infer_dtype(column[~missing], skipna=True) not in ("string", "empty"):
                column = column.map(lambda v: str(v) if v is not None else None)
            out[spec.name] = column.where(~missing & (column != ""), None)
        else:
            out[spec.name] = column
    return pd.DataFrame(out, index=frame.index)


def output_frame(frame, schema, geometry=None) -> pd.DataFrame:
    """The rows a sink receives for ``schema`` (``layers.column_values``), + ``geometry``."""
    out = pd.DataFrame({f.name: column_values(frame, f.name, f.type) for f in schema}, columns=[f.name for f in schema])
    out["geometry"] = geometry if geometry is not None else [None] * len(out)
    return out


def line_geometries(frame):
    """Straight lines from the columns ``x1, y1, x2, y2``."""
    return [QgsGeometry.fromPolylineXY([QgsPointXY(a, b), QgsPointXY(c, d)])
            for a, b, c, d in zip(*(frame[k].astype(float).tolist() for k in ("x1", "y1", "x2", "y2")))]


def wkt_geometries(values):
    """Multi-geometries from WKT texts (None for an empty or missing one)."""
    geoms = []
    for w in values:
        g = QgsGeometry.fromWkt(w) if isinstance(w, str) and w else QgsGeometry()
        if not g.isNull():
            g.convertToMultiType()
            geoms.append(g)
        else:
            geoms.append(None)
    return geoms


def write_gpkg(frame, fields, wkb_type, gpkg_path: str, name: str, geometry=None, schema=None, feedback=None) -> None:
    """One layer of a GeoPackage (created if absent) straight from a frame, through a file
    writer (no memory layer in between). ``schema`` given: ``frame`` is a table of core
    values converted as ``layers.write_frame`` converts them (``geometry``: "xy", "line",
    "geometry" or None); else ``frame`` holds the output rows already (Python values of the
    field types) and a ``geometry`` column, and its columns missing from ``fields`` (added by
    the protection) are written as text."""
    if schema is None:
        # Output rows (Python values): the protection may have added text columns.
        extra = [c for c in frame.columns if c not in fields.names() and c not in ("fid", "geometry")]
        if extra:
            fields = QgsFields(fields)
            for column in extra:
                fields.append(QgsField(column, QVariant.Type.String))
            frame = frame.copy()
            for column in extra:
                frame[column] = [None if v is None or (isinstance(v, float) and v != v) else str(v) for v in frame[column]]
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = name
    options.fileEncoding = "UTF-8"
    options.actionOnExistingFile = (QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteLayer
                                    if os.path.exists(gpkg_path) else QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteFile)
    writer = QgsVectorFileWriter.create(gpkg_path, fields, wkb_type, working_crs(), QgsCoordinateTransformContext(), options)
    if writer is None or writer.hasError() != QgsVectorFileWriter.WriterError.NoError:
        raise EitInputError(tr("Could not write layer '{}' into {}: {}").format(
            name, gpkg_path, writer.errorMessage() if writer is not None else ""))
    try:
        if schema is None:
            write_rows(writer, fields, frame, feedback)
        else:
            write_frame(writer, frame, fields, schema_types(schema), geometry=geometry, feedback=feedback)
    finally:
        del writer


def write_rows(sink, fields, frame: pd.DataFrame, feedback=None) -> int:
    """Write a frame of output columns (values already of the field types) + ``geometry``."""
    names = fields.names()
    columns = [frame[n].tolist() if n in frame.columns else [None] * len(frame) for n in names]
    for i, geom in enumerate(frame["geometry"].tolist()):
        if feedback is not None and i % 500 == 0:
            feedback.check_cancelled()
        feature = QgsFeature(fields)
        feature.setAttributes([None if _is_nan(col[i]) else col[i] for col in columns])
        if geom is not None:
            feature.setGeometry(geom)
        sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
    return len(frame)
