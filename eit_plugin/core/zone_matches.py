"""Zone-level resource matches of the EIT potential (``indicators.compute_zone_indicators``).

The supply × rules × neighbouring-zones product is the largest intermediate of the zone
indicators (tens of millions of rows for a million establishments). It is built on integer
codes: zone ids and resources are factorized to int32 once, the merges carry only int32 keys
and row numbers into the supply, demand and rule tables, and the quantities, temperatures and
text values are taken back for the rows that survive the temperature and quantity filters.
The merges run on the same keys in the same order as on the texts (codes follow the order of
first appearance), so the rows come out in the same order: later sorts are not stable.

Cost: O(S·R + P) time for S supply rows, R rules and P candidate pairs; memory about 20 bytes
per candidate pair (was about 90 with the texts and rule columns carried along).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = ["zone_s", "zone_d", "supply_resource", "demand_resource", "matched", "internal", "priority"]
_RULE_NUMBERS = ("heat_pump", "min_supply_temp_c", "min_temp_margin_k")


def temperature_ok(pairs: pd.DataFrame) -> np.ndarray:
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


def _codes(values: list) -> tuple[list, pd.Index]:
    """One int32 code per value of every series in ``values`` (NaN is a value, as in a
    merge), codes in order of first appearance."""
    joined = pd.concat([pd.Series(v).reset_index(drop=True) for v in values], ignore_index=True)
    codes, uniques = pd.factorize(joined, use_na_sentinel=False)
    codes = codes.astype(np.int32)
    out, start = [], 0
    for v in values:
        out.append(codes[start:start + len(v)])
        start += len(v)
    return out, uniques


def matches(supply: pd.DataFrame, demand: pd.DataFrame, rules: pd.DataFrame, adjacency: pd.DataFrame) -> pd.DataFrame:
    """Zone-level matches: columns ``zone_s, zone_d, supply_resource, demand_resource,
    matched, internal, priority``; internal pairs first, then neighbour pairs (both directions
    of each adjacency). ``supply``: ``zone_id, resource, qty, tmax``; ``demand``: ``zone_id,
    resource, qty, tmin``. O(S·R + P) for P candidate (supply, rule, zone) pairs."""
    if supply.empty or demand.empty or rules is None or rules.empty:
        return pd.DataFrame(columns=COLUMNS)
    r = rules[[c for c in ("supply_resource", "demand_resource", "efficiency", "priority") + _RULE_NUMBERS
               if c in rules.columns]].reset_index(drop=True)
    efficiency = pd.to_numeric(r.get("efficiency", 1.0), errors="coerce").fillna(1.0).to_numpy()
    priority = r["priority"] if "priority" in r.columns else pd.Series(1, index=r.index)
    has_adj = adjacency is not None and len(adjacency)
    zone_values = [supply["zone_id"], demand["zone_id"]] + ([adjacency["zone_a"], adjacency["zone_b"]] if has_adj else [])
    zc, zones = _codes(zone_values)
    (s_res, r_sres, r_dres, d_res), _ = _codes([supply["resource"], r["supply_resource"], r["demand_resource"], demand["resource"]])
    s = pd.DataFrame({"zone_s": zc[0], "sres": s_res, "srow": np.arange(len(supply), dtype=np.int32)})
    d = pd.DataFrame({"zone_d": zc[1], "dres": d_res, "drow": np.arange(len(demand), dtype=np.int32)})
    rk = pd.DataFrame({"sres": r_sres, "dres": r_dres, "rule": np.arange(len(r), dtype=np.int32)})
    sr = s.merge(rk, on="sres", how="inner")[["zone_s", "srow", "dres", "rule"]]
    pairs = [sr.assign(zone_d=sr["zone_s"]).merge(d, on=["zone_d", "dres"], how="inner").assign(internal=True)]
    if has_adj:
        a, b = zc[2], zc[3]
        adj = pd.DataFrame({"zone_s": np.concatenate([a, b]), "zone_d": np.concatenate([b, a])})
        adj = adj[adj["zone_s"] != adj["zone_d"]].drop_duplicates()
        nb = sr.merge(adj, on="zone_s", how="inner")
        del sr
        pairs.append(nb.merge(d, on=["zone_d", "dres"], how="inner").assign(internal=False))
        del nb
    allp = pd.concat(pairs, ignore_index=True)
    del pairs
    if allp.empty:
        return pd.DataFrame(columns=COLUMNS)
    srow, drow, rule = allp["srow"].to_numpy(), allp["drow"].to_numpy(), allp["rule"].to_numpy()
    cond = pd.DataFrame({"tmax": supply["tmax"].to_numpy(dtype=float)[srow], "tmin": demand["tmin"].to_numpy(dtype=float)[drow]})
    for c in _RULE_NUMBERS:
        if c in r.columns:  # converted on the few rules, taken per pair (same values as converting per pair)
            cond[c] = pd.to_numeric(r[c], errors="coerce").to_numpy(dtype=float)[rule]
    matched = np.minimum(supply["qty"].to_numpy()[srow] * efficiency[rule], demand["qty"].to_numpy()[drow])
    keep = np.flatnonzero(temperature_ok(cond) & (matched > 0))
    del cond
    srow, rule = srow[keep], rule[keep]
    return pd.DataFrame({
        "zone_s": zones.take(allp["zone_s"].to_numpy()[keep]),
        "zone_d": zones.take(allp["zone_d"].to_numpy()[keep]),
        "supply_resource": supply["resource"].take(srow).reset_index(drop=True),
        "demand_resource": r["demand_resource"].take(rule).reset_index(drop=True),
        "matched": matched[keep],
        "internal": allp["internal"].to_numpy()[keep],
        "priority": priority.take(rule).reset_index(drop=True),
    })
