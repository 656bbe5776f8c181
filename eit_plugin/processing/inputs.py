"""Reading the input layers several algorithms share, so that the accepted field spellings
and the required fields of a flows layer are written once."""
from __future__ import annotations

import pandas as pd

from ..core.fields import FLOW_FIELDS
from ..qgis_io.layers import field_map, read_points

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
