"""Closed establishments (SIRENE ``etatAdministratifEtablissement = F``) in a points layer.

The SIRENE import skips them; a layer of SIRENE points given instead (the sample's
``establishments_sirene``, an extract loaded in QGIS) must give the same analysis.
"""
from __future__ import annotations

#: Accepted spellings of the administrative state in an establishments LAYER (SIRENE points).
STATE_FIELDS = ("etatAdministratifEtablissement", "etat")


def drop_closed(frame, column: str = "state"):
    """``(active rows, number dropped)``: rows whose state is ``F`` (closed) removed, as the
    SIRENE import does, so that a layer of SIRENE points gives the same analysis as the files."""
    if column not in getattr(frame, "columns", ()):
        return frame, 0
    closed = frame[column].astype("string").str.strip().str.upper().eq("F").fillna(False).to_numpy(dtype=bool)
    kept = frame[~closed].drop(columns=[column])
    return kept, int(closed.sum())
