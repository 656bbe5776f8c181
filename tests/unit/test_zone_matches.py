"""Zone-level matches on integer codes give exactly the rows, values and order of the
plain merge on texts (kept here as the reference): the EIT potential sorts are not stable."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eit_plugin.core import indicators as ind
from eit_plugin.core.zone_matches import matches

# The previous implementation, merging the texts and every rule column.

def _reference_temperature_ok(pairs: pd.DataFrame) -> np.ndarray:
    """Vectorised heat conditions of the rules on zone-level pairs: a heat pump makes any
    temperature usable; else the supply must reach ``min_supply_temp_c`` or the demand
    temperature + ``min_temp_margin_k``. Unknown temperatures do not exclude a match."""
    n = len(pairs)
    hp = pd.to_numeric(pairs.get("heat_pump", pd.Series(0, index=pairs.index)), errors="coerce").fillna(0).to_numpy() > 0
    tmax = pairs["tmax"].to_numpy(dtype=float)
    tmin = pairs["tmin"].to_numpy(dtype=float)
    min_supply = pd.to_numeric(pairs.get("min_supply_temp_c", pd.Series(np.nan, index=pairs.index)), errors="coerce").to_numpy(dtype=float)
    margin = pd.to_numeric(pairs.get("min_temp_margin_k", pd.Series(np.nan, index=pairs.index)), errors="coerce").to_numpy(dtype=float)
    ok = np.ones(n, dtype=bool)
    with np.errstate(invalid="ignore"):
        need_supply = ~np.isnan(min_supply)
        ok &= ~need_supply | np.isnan(tmax) | (tmax >= min_supply)
        need_margin = ~np.isnan(margin) & ~hp
        ok &= ~need_margin | np.isnan(tmax) | np.isnan(tmin) | (tmax >= tmin + margin)
    return ok


def _reference_matches(supply: pd.DataFrame, demand: pd.DataFrame, rules: pd.DataFrame, adjacency: pd.DataFrame) -> pd.DataFrame:
    """Zone-level matches: columns ``zone_s, zone_d, supply_resource, demand_resource,
    matched, unit, internal`` (rules narrowed to the columns used: each row repeats per zone pair)."""
    cols = ["zone_s", "zone_d", "supply_resource", "demand_resource", "matched", "internal", "priority"]
    if supply.empty or demand.empty or rules is None or rules.empty:
        return pd.DataFrame(columns=cols)
    r = rules[[c for c in ("supply_resource", "demand_resource", "efficiency", "priority", "heat_pump",
                           "min_supply_temp_c", "min_temp_margin_k") if c in rules.columns]].copy()
    r["efficiency"] = pd.to_numeric(r.get("efficiency", 1.0), errors="coerce").fillna(1.0)
    r["priority"] = r["priority"] if "priority" in r.columns else 1
    s = supply.rename(columns={"zone_id": "zone_s", "resource": "supply_resource", "qty": "s_qty"})
    d = demand.rename(columns={"zone_id": "zone_d", "resource": "demand_resource", "qty": "d_qty"})
    sr = s.merge(r, on="supply_resource", how="inner")
    # Internal pairs, then neighbour pairs (both directions of each adjacency).
    pairs = [sr.assign(zone_d=sr["zone_s"]).merge(d, on=["zone_d", "demand_resource"], how="inner").assign(internal=True)]
    if adjacency is not None and len(adjacency):
        adj = pd.concat([adjacency[["zone_a", "zone_b"]].rename(columns={"zone_a": "zone_s", "zone_b": "zone_d"}),
                         adjacency[["zone_a", "zone_b"]].rename(columns={"zone_b": "zone_s", "zone_a": "zone_d"})])
        adj = adj[adj["zone_s"] != adj["zone_d"]].drop_duplicates()
        nb = sr.merge(adj, on="zone_s", how="inner").merge(d, on=["zone_d", "demand_resource"], how="inner")
        pairs.append(nb.assign(internal=False))
    allp = pd.concat(pairs, ignore_index=True)
    if allp.empty:
        return pd.DataFrame(columns=cols)
    allp = allp[_reference_temperature_ok(allp)]
    allp = allp.assign(matched=np.minimum(allp["s_qty"] * allp["efficiency"], allp["d_qty"]))
    allp = allp[allp["matched"] > 0]
    return allp[cols].reset_index(drop=True)


def _random_case(seed: int):
    rng = np.random.default_rng(seed)
    rules = ind.load_rules()
    zones = ["Z{}".format(i) for i in rng.permutation(15)]

    def side(n, temp, column):
        resources = sorted(set(rules[column].dropna())) + ["unknown"]
        frame = pd.DataFrame({"zone_id": rng.choice(zones, n), "resource": rng.choice(resources, n),
                              "qty": np.round(rng.exponential(50.0, n), 1) * (rng.random(n) > 0.1),
                              temp: np.where(rng.random(n) < 0.3, np.nan, rng.integers(20, 200, n).astype(float))})
        return frame.drop_duplicates(["zone_id", "resource"]).reset_index(drop=True)

    adjacency = pd.DataFrame({"zone_a": rng.choice(zones, 30), "zone_b": rng.choice(zones, 30)})  # repeats, self pairs
    return side(400, "tmax", "supply_resource"), side(400, "tmin", "demand_resource"), rules, adjacency


@pytest.mark.parametrize("seed", range(6))
def test_integer_coded_matches_equal_the_text_merge(seed):
    supply, demand, rules, adjacency = _random_case(seed)
    expected = _reference_matches(supply, demand, rules, adjacency)
    got = matches(supply, demand, rules, adjacency)
    assert len(expected) > 100  # internal and neighbour matches both present
    assert expected["internal"].any() and not expected["internal"].all()
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_matches_without_adjacency_or_with_heat_pump_rules_only():
    supply, demand, rules, _ = _random_case(7)
    pd.testing.assert_frame_equal(matches(supply, demand, rules, None), _reference_matches(supply, demand, rules, None),
                                  check_exact=True)
    hp = rules.assign(heat_pump=[True, None] * (len(rules) // 2) + [True] * (len(rules) % 2))
    adjacency = pd.DataFrame({"zone_a": ["Z1", "Z2"], "zone_b": ["Z2", "Z3"]})
    pd.testing.assert_frame_equal(matches(supply, demand, hp, adjacency), _reference_matches(supply, demand, hp, adjacency),
                                  check_exact=True)
    assert matches(supply.iloc[:0], demand, rules, adjacency).empty


def test_matches_filtered_to_nothing_keep_the_column_types():
    supply, demand, rules, adjacency = _random_case(3)
    supply = supply.assign(qty=0.0)  # candidates exist, none has a quantity
    got, expected = matches(supply, demand, rules, adjacency), _reference_matches(supply, demand, rules, adjacency)
    assert got.empty
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
