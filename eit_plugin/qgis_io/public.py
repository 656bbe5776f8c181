"""Layers ⇄ frames for the public GeoPackage: read the internal step outputs, write the
frames ``core.protection`` returns, read the written GeoPackage back for the auditor.

No decision is taken here: what is published, withheld or generalised is decided in
``core.protection``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsVectorLayer, QgsWkbTypes
from qgis.PyQt.QtCore import QVariant

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

    def layer(step, output="OUTPUT"):
        return layer_io.open_vector(outputs.get(step, {}).get(output), context)

    tables = {}
    zones_layer = layer("zones")
    tables["zones"] = _frame(zones_layer)
    tables["communes"] = _frame(layer("zones", "OUTPUT_COMMUNES"))
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


def frame_to_layer(frame: pd.DataFrame, template: QgsVectorLayer, name: str) -> QgsVectorLayer:
    """A memory layer with ``template``'s fields (plus the frame's new columns as text) and the
    frame's rows; geometry from ``geometry_wkt`` when present, else the ``geometry`` column."""
    from_wkt = "geometry_wkt" in frame.columns
    if from_wkt:
        kinds = {str(w).split("(")[0].strip().upper() for w in frame["geometry_wkt"] if isinstance(w, str)}
        wkb = "LineString" if kinds == {"LINESTRING"} else "Polygon" if kinds == {"POLYGON"} else \
            QgsWkbTypes.displayString(template.wkbType())
    else:
        wkb = QgsWkbTypes.displayString(template.wkbType()) if template.isSpatial() else "None"
    layer = QgsVectorLayer("{}?crs=EPSG:2154".format(wkb), name, "memory")
    provider = layer.dataProvider()
    fields = template.fields()
    skip = {"fid", "geometry", "geometry_wkt", "x", "y"}
    kept = [fields.at(i) for i in range(fields.count()) if fields.at(i).name() in frame.columns
            and fields.at(i).name() not in skip]
    extra = [c for c in frame.columns if c not in fields.names() and c not in skip and not str(c).startswith("_")]
    provider.addAttributes(kept + [QgsField(c, QVariant.Type.String) for c in extra])
    layer.updateFields()
    names = layer.fields().names()
    features = []
    for row in frame.to_dict("records"):
        feature = QgsFeature(layer.fields())
        values = []
        for column in names:
            value = row.get(column)
            if isinstance(value, float) and np.isnan(value):
                value = None
            elif value is not None and column in extra:
                value = str(value)
            values.append(value)
        feature.setAttributes(values)
        if from_wkt:
            wkt = row.get("geometry_wkt")
            if isinstance(wkt, str):
                feature.setGeometry(QgsGeometry.fromWkt(wkt))
        elif row.get("geometry") is not None:
            feature.setGeometry(row["geometry"])
        features.append(feature)
    provider.addFeatures(features)
    return layer


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
