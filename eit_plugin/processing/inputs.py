"""Reading the input layers several algorithms share, so that the accepted field spellings
and the required fields of a flows layer are written once."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.errors import EitInputError
from ..core.fields import FLOW_FIELDS
from ..i18n import tr
from ..qgis_io.layers import field_map, read_geometries, read_points

# Columns a flows layer may carry besides FLOW_FIELDS, with their other spellings.
FLOW_EXTRAS = {"zone_id": [], "headcount_est": ["effectif", "headcount"]}


def read_flows(source, context, feedback, required, extras=(), only=None, layer_name=None) -> pd.DataFrame:
    """Points of a flows layer (output of eit:estimateflows) as a frame with the FLOW_FIELDS
    names present in the layer (``only``: just these), plus ``extras`` (names of
    ``FLOW_EXTRAS``) and x, y. A missing ``required`` field raises ``EitInputError`` naming
    the layer (``layer_name``, by default its source name). O(n) in flows."""
    wanted = {f.name: [] for f in FLOW_FIELDS if only is None or f.name in only}
    for name in extras:
        wanted[name] = list(FLOW_EXTRAS[name])
    label = layer_name if layer_name is not None else source.sourceName()
    mapping = field_map(source.fields(), wanted, label, required=tuple(required))
    return read_points(source, context, mapping, feedback, label)


def polylines(frame: pd.DataFrame) -> list:
    """QgsGeometry lines → list of (n, 2) vertex arrays (multi-lines split into parts)."""
    lines = []
    for geom in frame["geometry"]:
        if geom is None or geom.isNull() or geom.isEmpty():
            continue
        parts = geom.asMultiPolyline() if geom.isMultipart() else [geom.asPolyline()]
        for part in parts:
            if len(part) >= 2:
                lines.append(np.array([(p.x(), p.y()) for p in part], dtype=float))
    return lines


def read_network(source, context, feedback, required: bool = True) -> tuple:
    """``(LineNetwork, frame of the lines)`` of a line layer (ends within 1 m snapped).
    ``required``: a layer without a usable line raises ``EitInputError``. O(V log V) in vertices."""
    from ..core.network import LineNetwork

    frame = read_geometries(source, context, None, feedback)
    network = LineNetwork.from_polylines(polylines(frame), snap_m=1.0)
    if required and network.is_empty():
        raise EitInputError(tr("The network layer has no line with at least two vertices: choose a line layer "
                               "of roads or of the heat network."))
    return network, frame
