"""A layer of SIRENE points gives the same establishments as the SIRENE import: closed ones
(state F, any case or spacing) are left out, unknown states kept."""
from __future__ import annotations

import pandas as pd

from eit_plugin.core.closed import drop_closed


def test_closed_establishments_are_left_out():
    frame = pd.DataFrame({"siret": ["1", "2", "3", "4", "5"], "state": ["A", "F", " f ", None, ""]})
    kept, dropped = drop_closed(frame)
    assert dropped == 2
    assert kept["siret"].tolist() == ["1", "4", "5"]
    assert "state" not in kept.columns


def test_a_layer_without_state_is_unchanged():
    frame = pd.DataFrame({"siret": ["1"]})
    kept, dropped = drop_closed(frame)
    assert dropped == 0 and kept is frame
