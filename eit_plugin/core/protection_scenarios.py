"""The statistical secret applied to a zoning-scenario comparison (``eit:comparescenarios``
with ``PUBLIC=true``), with the rule of ``core.protection``.

- scenario × indicator table: a territorial figure that sums firms' synergies (energy
  recovered, combustion, waste diverted, PM10, NOx, CO2) is published for a scenario only when
  its contributors pass the rule, and its difference with the current zoning only when the
  establishments whose synergies change pass it too (otherwise the difference of two published
  totals would give one firm's change). A synergy's figure counts for both of its firms;
  planned activities and dwellings are hypotheses anyone can recompute: not contributors.
  The ``project_*`` heat figures of the redrawn zones are withheld.
- gained / lost synergies and clusters: no key (SIRETs), a label composed from the resources
  and zones, no quantity (one or two firms).
- zones whose indicators change: the firm figures per zone are withheld (housing, jobs,
  mixity and potential are kept).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .protection_cells import Rule, _lower, _num, _text

FIRM_INDICATORS = {
    "mwh_recovered": "mwh_recovered", "mwh_housing": "mwh_recovered", "combustion_avoided_mwh": "quantity_demand",
    "tonnes_diverted": "tonnes_diverted", "pm10_avoided_kg": "pm10_avoided_kg", "nox_avoided_kg": "nox_avoided_kg",
    "co2_avoided_t": "co2_avoided_t",
}
PROJECT_WITHHELD = ("project_mwh_received", "project_combustion_avoided_mwh", "project_pm10_avoided_kg",
                    "project_nox_avoided_kg")
ZONE_FIRM_PREFIXES = ("heat_demand_mwh", "heat_supply_mwh", "mwh_received", "heat_delivered_mwh", "pm10_avoided_kg",
                      "nox_avoided_kg", "co2_avoided_t")


def _is_planned(siret: str) -> bool:
    return not siret or siret.startswith(("prevu", "zone:"))


def synergy_contributions(synergies: pd.DataFrame | None, column: str, housing_only: bool = False) -> dict:
    """``{establishment: part}`` of a synergy figure (both ends of each synergy; planned
    activities and housing are not firms)."""
    out: dict = {}
    if synergies is None or not len(synergies):
        return out
    sl = _lower(synergies)
    source = column if column in sl else ("quantity" if column == "quantity_demand" and "quantity" in sl else None)
    if source is None:
        return out
    values = _num(synergies[sl[source]]).fillna(0.0).abs().to_numpy()
    kinds = [_text(v) for v in synergies[sl["kind"]]] if "kind" in sl else [""] * len(synergies)
    sup = [_text(v) for v in synergies[sl["supplier_siret"]]] if "supplier_siret" in sl else [""] * len(synergies)
    rec = [_text(v) for v in synergies[sl["receiver_siret"]]] if "receiver_siret" in sl else [""] * len(synergies)
    for v, kind, a, b in zip(values, kinds, sup, rec):
        if housing_only and kind != "housing_heat":
            continue
        for e in (a, b):
            if not _is_planned(e):
                out[e] = out.get(e, 0.0) + float(v)
    return out


def protect_table(table: pd.DataFrame, synergies: dict, current: str, rule: Rule | None = None):
    """The comparison table with the withheld figures set to NaN; returns ``(table, n_withheld)``.
    ``synergies``: ``{scenario name: internal synergies}``; ``current``: the current zoning's name."""
    rule = rule or Rule()
    out = table.copy()
    withheld = 0
    contrib = {name: {ind: synergy_contributions(syn, col, housing_only=(ind == "mwh_housing"))
                      for ind, col in FIRM_INDICATORS.items()} for name, syn in synergies.items()}
    for i, row in zip(out.index, out.to_dict("records")):
        ind, name = str(row.get("indicator")), str(row.get("scenario"))
        if ind in PROJECT_WITHHELD:
            for col in ("value", "current_value", "difference", "difference_pct"):
                if col in out.columns:
                    out.at[i, col] = np.nan
            withheld += 1
            continue
        if ind not in FIRM_INDICATORS or name not in contrib:
            continue
        mine, base = contrib[name][ind], contrib.get(current, {}).get(ind, {})
        changed = {k: abs(mine.get(k, 0.0) - base.get(k, 0.0)) for k in set(mine) | set(base)}
        value_ok = rule.check(mine)[0]
        current_ok = rule.check(base)[0]
        diff_ok = value_ok and current_ok and rule.check({k: v for k, v in changed.items() if v > 1e-9})[0]
        for col, ok in (("value", value_ok), ("current_value", current_ok), ("difference", diff_ok),
                        ("difference_pct", diff_ok)):
            if col in out.columns and not ok:
                out.at[i, col] = np.nan
                withheld += 1
        if "better" in out.columns and not diff_ok:
            out.at[i, "better"] = 0  # no direction shown for a withheld difference
    return out, withheld


def protect_items(items: pd.DataFrame, labels: dict | None = None) -> pd.DataFrame:
    """Gained / lost synergies and clusters without keys, names or quantities."""
    out = items.copy()
    if not len(out):
        return out
    labels = labels or {}
    il = _lower(out)
    composed = []
    for row in out.to_dict("records"):
        what = _text(row.get(il.get("item")))
        kind = _text(row.get(il.get("kind")))
        text = _text(row.get(il.get("label")))
        # the label ends with "(resource → resource)" for synergies: the only part kept
        tail = text[text.rfind("(") + 1:text.rfind(")")] if "(" in text and text.endswith(")") else ""
        if tail and "→" in tail:
            a, b = (p.strip() for p in tail.split("→", 1))
            composed.append("{} → {}".format(labels.get(a, a), labels.get(b, b)))
        else:
            composed.append("{} ({})".format("groupement" if what == "cluster" else "synergie", kind or "?"))
    for col in ("key",):
        if col in il:
            out[il[col]] = ""
    if "label" in il:
        out[il["label"]] = composed
    for col in ("value_current", "value_scenario", "difference"):
        if col in il:
            out[il[col]] = np.nan
    return out


def protect_zones(zones: pd.DataFrame) -> pd.DataFrame:
    """Zones whose indicators change: per-zone firm figures withheld."""
    out = zones.copy()
    for col in out.columns:
        if str(col).lower().startswith(ZONE_FIRM_PREFIXES):
            out[col] = np.nan
    return out
