"""The reference tables of the mutualisation clusters: pooling actions per resource group
(``resources/reference/pooling_actions.csv``) and the zone rules of shared facilities
(``resources/rules/facility_zones.csv``), read, checked and cached. Split from
``core.clustering`` (which re-exports these names)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..i18n import tr
from ..paths import REFERENCE_DIR, RULES_DIR
from .errors import EitInputError

ACTIONS_FILE = REFERENCE_DIR / "pooling_actions.csv"
FACILITY_RULES_FILE = RULES_DIR / "facility_zones.csv"

ACTION_COLUMNS = ("group", "direction", "resources", "action", "facility", "label_fr", "label_en",
                  "land_m2", "min_total_quantity", "max_span_m", "max_member_quantity", "truck_km_per_member_yr",
                  "eur_per_unit", "co2_kg_per_truck_km", "co2_kg_per_unit", "source", "rationale")
ACTION_NUMBERS = ACTION_COLUMNS[7:15]  # land_m2 … co2_kg_per_unit
RULE_COLUMNS = ("rule_id", "facility", "field", "match", "value", "decision", "label_fr", "source", "rationale")
RULE_FIELDS = ("typezone", "destdomi", "formdomi", "libelle", "libelong", "destoui", "destcdt", "destnon", "idurba", "insee")
RULE_MATCHES = ("equals", "prefix", "token")


# Reference tables ---------------------------------------------------------------------------
def _read_csv(path: Path, columns, what: str) -> pd.DataFrame:
    try:
        from .tables import read_table
        frame = read_table(path)
    except ImportError:  # pragma: no cover - tables.py is part of core
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise EitInputError(
            tr("The {what} file '{path}' has no column {cols}. Expected columns: {expected}.").format(
                what=what, path=path, cols=", ".join(missing), expected=", ".join(columns))
        )
    frame = frame.fillna("")
    for col in frame.columns:
        frame[col] = frame[col].astype(str).str.strip()
    return frame


def _check_source(frame: pd.DataFrame, path, what: str, key: str) -> None:
    for n, row in enumerate(frame.itertuples(index=False), start=2):
        if not row.source or not row.rationale:
            raise EitInputError(
                tr("Line {n} ({key}) of the {what} file '{path}' has no source or rationale: "
                   "give a publication and year, or the word 'assumption', and one line of rationale.").format(
                    n=n, key=getattr(row, key), what=what, path=path)
            )


@lru_cache(maxsize=8)
def _load_actions_cached(path: str) -> pd.DataFrame:
    frame = _read_csv(Path(path), ACTION_COLUMNS, tr("pooling actions"))
    _check_source(frame, path, tr("pooling actions"), "group")
    for n, row in enumerate(frame.itertuples(index=False), start=2):
        if row.direction not in ("supply", "demand"):
            raise EitInputError(
                tr("Line {n} (group {g}) of '{path}': direction must be 'supply' or 'demand', not '{v}'.").format(
                    n=n, g=row.group, path=path, v=row.direction))
        if not row.resources:
            raise EitInputError(tr("Line {n} (group {g}) of '{path}' lists no resource.").format(n=n, g=row.group, path=path))
    if frame["group"].duplicated().any():
        dup = sorted(frame.loc[frame["group"].duplicated(), "group"].unique())
        raise EitInputError(tr("Pooling actions file '{}': group names must be unique ({} repeated).").format(path, ", ".join(dup)))
    for col in ACTION_NUMBERS:
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = values.isna() | (values < 0)
        if bad.any():
            n = int(np.flatnonzero(bad.to_numpy())[0])
            raise EitInputError(
                tr("Line {n} (group {g}) of '{path}': '{col}' must be a number ≥ 0, not '{v}'.").format(
                    n=n + 2, g=frame["group"].iat[n], path=path, col=col, v=frame[col].iat[n]))
        frame[col] = values.astype(float)
    return frame


def load_pooling_actions(path=None) -> pd.DataFrame:
    """The pooling actions per resource group (``resources/reference/pooling_actions.csv`` or
    a user file with the same columns), numbers as floats. Cached."""
    return _load_actions_cached(str(Path(path) if path else ACTIONS_FILE)).copy()


@lru_cache(maxsize=8)
def _load_rules_cached(path: str) -> pd.DataFrame:
    frame = _read_csv(Path(path), RULE_COLUMNS, tr("facility zone rules"))
    _check_source(frame, path, tr("facility zone rules"), "rule_id")
    frame["field"] = frame["field"].str.lower()
    frame["match"] = frame["match"].str.lower()
    frame["decision"] = frame["decision"].str.lower()
    for n, row in enumerate(frame.itertuples(index=False), start=2):
        problem = None
        if row.field not in RULE_FIELDS:
            problem = tr("field must be one of {}").format(", ".join(RULE_FIELDS))
        elif row.match not in RULE_MATCHES:
            problem = tr("match must be one of {}").format(", ".join(RULE_MATCHES))
        elif row.decision not in ("allow", "forbid"):
            problem = tr("decision must be 'allow' or 'forbid'")
        elif not row.value:
            problem = tr("value is empty")
        if problem:
            raise EitInputError(tr("Line {n} (rule {r}) of the facility zone rules '{path}': {problem}.").format(
                n=n, r=row.rule_id, path=path, problem=problem))
    return frame


def load_facility_rules(path=None) -> pd.DataFrame:
    """Which zones allow which shared facility (``resources/rules/facility_zones.csv`` or a
    user file). Columns ``rule_id, facility, field, match, value, decision, label_fr``..."""
    return _load_rules_cached(str(Path(path) if path else FACILITY_RULES_FILE)).copy()


def group_of_resources(actions: pd.DataFrame, pairs) -> dict:
    """``{(direction, resource): (group name, action row index)}`` for the given pairs.

    A resource listed explicitly belongs to that row's group; otherwise a ``family:<f>`` row
    of the same direction makes it a group of its own, named after the resource."""
    explicit, fallback = {}, {}
    for idx, row in actions.iterrows():
        for token in row["resources"].split():
            if token.startswith("family:"):
                fallback[(row["direction"], token.split(":", 1)[1])] = idx
            else:
                explicit[(row["direction"], token)] = idx
    result = {}
    for direction, resource, family in pairs:
        if (direction, resource) in explicit:
            idx = explicit[(direction, resource)]
            result[(direction, resource)] = (actions.at[idx, "group"], idx)
        elif (direction, family) in fallback:
            result[(direction, resource)] = (resource, fallback[(direction, family)])
    return result
