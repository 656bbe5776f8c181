"""Geometry of a zoning scenario against the current zones: which zones overlap and by how
much, and which establishments stand within their buffer distance of planned dwellings
(``eit:comparescenarios``)."""
from __future__ import annotations

import numpy as np
import pandas as pd
from qgis.core import QgsGeometry, QgsPointXY, QgsSpatialIndex

from ..core import scenarios


def near_installations(layer, zones, flows, rules) -> pd.DataFrame:
    """Establishments (existing and planned) closer to a zone with planned dwellings than
    the largest buffer: ``zone_id, siret, name, naf, distance_m`` (exact polygon distance).
    O(z log e + p) for z zones, e establishments and p candidates found by the KD-tree."""
    from scipy.spatial import cKDTree

    cols = ["zone_id", "siret", "name", "naf", "distance_m"]
    target = zones[pd.to_numeric(zones["planned_dwellings"], errors="coerce").fillna(0) > 0]
    if target.empty or flows.empty:
        return pd.DataFrame(columns=cols)
    est = flows[flows["siret"].notna() & flows["x"].notna()].drop_duplicates("siret")[["siret", "name", "naf", "x", "y"]]
    rc = scenarios.rule_columns(est["naf"].tolist(), rules)
    est = est.assign(buffer_m=rc["buffer_m"].to_numpy())
    est = est[est["buffer_m"] > 0].reset_index(drop=True)
    if est.empty:
        return pd.DataFrame(columns=cols)
    tree = cKDTree(est[["x", "y"]].to_numpy(dtype=float))
    max_buffer = float(est["buffer_m"].max())
    rows = []
    for zid in target["zone_id"]:
        geom = layer.geometry(zid)
        box = geom.boundingBox()
        cx, cy = box.center().x(), box.center().y()
        radius = 0.5 * float(np.hypot(box.width(), box.height())) + max_buffer
        for i in sorted(tree.query_ball_point([cx, cy], radius)):
            e = est.iloc[i]
            d = geom.distance(QgsGeometry.fromPointXY(QgsPointXY(float(e["x"]), float(e["y"]))))
            if d < e["buffer_m"]:
                rows.append({"zone_id": zid, "siret": e["siret"], "name": e["name"], "naf": e["naf"], "distance_m": d})
    return pd.DataFrame(rows, columns=cols)


def zone_overlaps(current: pd.DataFrame, scenario: pd.DataFrame, fb) -> pd.DataFrame:
    """``scenario_zone, current_zone, share, identical`` for every pair of zones that overlap.
    O(Z log Z) with a spatial index, plus one intersection per overlapping pair."""
    index = QgsSpatialIndex()
    geoms = list(current["geometry"])
    ids = list(current["zone_id"])
    areas = [g.area() if g is not None and not g.isNull() else 0.0 for g in geoms]
    for i, g in enumerate(geoms):
        if g is not None and not g.isNull():
            index.addFeature(i, g.boundingBox())
    rows = []
    for n, (zid, geom) in enumerate(zip(scenario["zone_id"], scenario["geometry"])):
        if n % 500 == 0:
            fb.check_cancelled()
        if geom is None or geom.isNull():
            continue
        engine = None
        for i in sorted(index.intersects(geom.boundingBox())):
            other = geoms[i]
            if abs(other.area() - geom.area()) < 1e-3 and other.boundingBox() == geom.boundingBox() and other.equals(geom):
                rows.append((zid, ids[i], 1.0, True))
                continue
            if engine is None:
                engine = QgsGeometry.createGeometryEngine(geom.constGet())
                engine.prepareGeometry()
            if not engine.intersects(other.constGet()):
                continue
            inter = geom.intersection(other)
            share = inter.area() / areas[i] if areas[i] > 0 else 0.0
            if share > 1e-6:
                rows.append((zid, ids[i], share, False))
    return pd.DataFrame(rows, columns=["scenario_zone", "current_zone", "share", "identical"])
