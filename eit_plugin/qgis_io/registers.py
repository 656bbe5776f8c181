"""Register coordinates (Géorisques IREP: a ``code_epsg`` per row, often Lambert II étendu in
early years, WGS84 lately) → EPSG:2154, through QGIS's own transformations."""
from __future__ import annotations

import numpy as np
import pandas as pd
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject


def to_lambert93(sites: pd.DataFrame) -> pd.DataFrame:
    """``sites`` (``x_reg, y_reg, epsg``) with ``x``, ``y`` in EPSG:2154 (NaN when the row has no
    usable coordinates or an unknown EPSG code)."""
    out = sites.copy()
    out["x"] = np.nan
    out["y"] = np.nan
    target = QgsCoordinateReferenceSystem("EPSG:2154")
    codes = out["epsg"].fillna("").astype(str).str.extract(r"(\d{4,5})")[0]
    for code in sorted(codes.dropna().unique()):
        source = QgsCoordinateReferenceSystem("EPSG:{}".format(code))
        if not source.isValid():
            continue
        transform = QgsCoordinateTransform(source, target, QgsProject.instance())
        sel = (codes == code) & out["x_reg"].notna() & out["y_reg"].notna()
        for i, (x, y) in zip(out.index[sel], zip(out.loc[sel, "x_reg"], out.loc[sel, "y_reg"])):
            try:
                point = transform.transform(QgsPointXY(float(x), float(y)))
            except Exception:  # noqa: BLE001 - a point outside the CRS's area: left unknown
                continue
            out.at[i, "x"], out.at[i, "y"] = point.x(), point.y()
    return out
