"""Layers ⇄ frames for the public GeoPackage: read the internal step outputs, write the
frames ``core.protection`` returns, read the written GeoPackage back for the auditor.

No decision is taken here: what is published, withheld or generalised is decided in
``core.protection``.
"""
from __future__ import annotations

import pandas as pd
from qgis.core import QgsFields, QgsGeometry, QgsVectorLayer, QgsWkbTypes

from ..core import catalogue
from . import layers as layer_io

FLOW_COLUMNS = ("siret", "naf", "direction", "resource", "family", "quantity", "temperature_c", "ewc_code")
ESTABLISHMENT_COLUMNS = ("siret", "name", "naf")


def _frame(layer) -> pd.DataFrame | None:
    return None if layer is None else layer_io.read_geometries(layer)


def read_internal(outputs: dict, context) -> dict:
    """``{zones, communes, synergies, clusters, recommendations, flows, establishments}``
    frames of a run's step outputs. Zones get ``x, y`` (a point inside each zone); flows get
    the ``zone_id`` they lie in."""
    from .zones import read_zones

    def layer(step, output=catalogue.OUTPUT):
        return layer_io.open_vector(outputs.get(step, {}).get(output), context)

    tables = {}
    zones_layer = layer("zones")
    tables["zones"] = _frame(zones_layer)
    tables["communes"] = _frame(layer("zones", catalogue.OUTPUT_COMMUNES))
    tables["synergies"] = _frame(layer("synergies"))
    tables["clusters"] = _frame(layer("clusters"))
    tables["recommendations"] = _frame(layer("recommendations"))
    flows_layer = layer("flows")
    flows = None
    if flows_layer is not None:
        mapping = layer_io.field_map(flows_layer.fields(), {c: [] for c in FLOW_COLUMNS}, flows_layer.name())
        flows = layer_io.read_points(flows_layer, context, mapping=mapping)
    est_layer = layer("establishments")
    establishments = None
    if est_layer is not None:
        mapping = layer_io.field_map(est_layer.fields(), {c: [] for c in ESTABLISHMENT_COLUMNS}, est_layer.name())
        establishments = layer_io.read_points(est_layer, context, mapping=mapping)
    elif flows is not None:
        establishments = flows.drop_duplicates("siret")[["siret", "x", "y"]].assign(name=None)
    if zones_layer is not None:
        zone_layer = read_zones(zones_layer, context)
        if tables["zones"] is not None:
            xs, ys = layer_io.representative_xy(tables["zones"]["geometry"])
            tables["zones"]["x"], tables["zones"]["y"] = xs, ys
        if flows is not None:
            ids, _ = zone_layer.assign(flows["x"].to_numpy(), flows["y"].to_numpy())
            flows["zone_id"] = [z if z is not None else "" for z in ids]
    tables["flows"] = flows
    tables["establishments"] = establishments
    return tables


SKIP = ("fid", "geometry", "geometry_wkt", "x", "y")


def _public_wkb(frame: pd.DataFrame, wkb_type):
    """The geometry type a public frame is written with: lines or polygons drawn by the
    protection (``geometry_wkt``), else the internal layer's."""
    if "geometry_wkt" not in frame.columns:
        return wkb_type
    kinds = {w.split("(")[0].strip().upper() for w in frame["geometry_wkt"].tolist() if isinstance(w, str)}
    return (QgsWkbTypes.Type.LineString if kinds == {"LINESTRING"} else
            QgsWkbTypes.Type.Polygon if kinds == {"POLYGON"} else wkb_type)


def write_frame(frame: pd.DataFrame, fields, wkb_type, gpkg_path: str, name: str, feedback=None) -> None:
    """Write a public frame into the GeoPackage straight through ``frames.write_gpkg`` (no
    memory layer): the internal layer's ``fields`` the frame still has, then its new columns
    as text; geometry from ``geometry_wkt`` when present, else the ``geometry`` column.
    Column-wise, O(rows × columns)."""
    from . import frames

    kept = QgsFields()
    for i in range(fields.count()):
        if fields.at(i).name() in frame.columns and fields.at(i).name() not in SKIP:
            kept.append(fields.at(i))
    extra = [c for c in frame.columns if c not in fields.names() and c not in SKIP and not str(c).startswith("_")]
    out = frame[[*kept.names(), *extra]].copy()
    if "geometry_wkt" in frame.columns:
        out["geometry"] = [QgsGeometry.fromWkt(w) if isinstance(w, str) else None for w in frame["geometry_wkt"].tolist()]
    elif "geometry" in frame.columns and wkb_type != QgsWkbTypes.Type.NoGeometry:
        out["geometry"] = frame["geometry"].tolist()
    else:
        out["geometry"] = [None] * len(frame)
    frames.write_gpkg(out, kept, _public_wkb(frame, wkb_type), gpkg_path, name, feedback=feedback)


def read_back(gpkg_path: str, names) -> dict:
    """The written public layers as frames (geometry as ``geometry_wkt``), for the auditor."""
    out = {}
    for name in names:
        layer = QgsVectorLayer("{}|layername={}".format(gpkg_path, name), name, "ogr")
        if not layer.isValid():
            continue
        frame = layer_io.read_geometries(layer)
        frame["geometry_wkt"] = [g.asWkt(1) if g is not None and not g.isNull() else None for g in frame["geometry"]]
        out[name] = frame.drop(columns=["geometry"])
    return out


class RedactingFeedback:
    """Wraps a Processing feedback for a public run: every message loses its SIRET/SIREN
    numbers before it reaches the log, and is kept for the auditor."""

    def __new__(cls, parent):
        from qgis.core import QgsProcessingFeedback

        from ..core.protection import redact

        class _Feedback(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.lines = []
                self.progressChanged.connect(parent.setProgress)
                parent.canceled.connect(self.cancel)

            def _pass(self, method, text, *args):
                clean = redact(text)
                self.lines.append(clean)
                getattr(parent, method)(clean, *args)

            def pushInfo(self, text):  # noqa: N802
                self._pass("pushInfo", text)

            def pushWarning(self, text):  # noqa: N802
                self._pass("pushWarning", text)

            def reportError(self, text, fatalError=False):  # noqa: N802 - QGIS API names
                self._pass("reportError", text, fatalError)

            def pushDebugInfo(self, text):  # noqa: N802
                self._pass("pushDebugInfo", text)

            def pushConsoleInfo(self, text):  # noqa: N802
                self._pass("pushConsoleInfo", text)

            def pushCommandInfo(self, text):  # noqa: N802
                self._pass("pushCommandInfo", text)

            def setProgressText(self, text):  # noqa: N802
                self._pass("setProgressText", text)

        return _Feedback()
