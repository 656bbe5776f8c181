"""Candidate pairs and their distances (steps 2-4 of ``core.matching``).

The pairs are kept as parallel numpy arrays (:class:`Pairs`): flow positions, the rule as an
integer code into the rule table, numbers, and the distance kind as an ``int8`` code. Texts
(resources, families, kinds) are looked up from the rule table only for the output rows: at a
million establishments there are tens of millions of pairs and a pandas frame of them, copied
at every filter, is what cost the memory.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import reach
from .network import STATUS_DISCONNECTED, STATUS_OK
from .synergy_economics import heat_pump_cop
from .synergy_params import DEFAULT_TEMP_MARGIN_K, HP_APPROACH_K, _column, _is_true, _num

# distance_kind codes of the pairs (texts in the outputs)
DISTANCE_KINDS = ("straight", "network", "straight_fallback", "heat_network")
STRAIGHT, NETWORK, FALLBACK, HEAT_NETWORK = range(4)


class Pairs:
    """Candidate pairs: one numpy array per column, all of the same length, and the rule table
    (``rules``: one row per compatibility rule, with ``family`` and ``family_demand``) that the
    ``rule`` column indexes. ``take`` filters every column at once (O(pairs))."""

    def __init__(self, rules: pd.DataFrame, **columns):
        self.rules = rules
        self.columns = dict(columns)

    def __len__(self) -> int:
        return len(self.columns["s"]) if "s" in self.columns else 0

    @property
    def empty(self) -> bool:
        return len(self) == 0

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def __setitem__(self, name: str, values) -> None:
        self.columns[name] = np.asarray(values)

    def __contains__(self, name: str) -> bool:
        return name in self.columns

    def take(self, index) -> Pairs:
        """The pairs at ``index`` (a boolean mask or positions), every column."""
        return Pairs(self.rules, **{k: v[index] for k, v in self.columns.items()})

    def rule_values(self, column: str) -> np.ndarray:
        """``column`` of the rule table for every pair (O(pairs), no per-pair look-up)."""
        return self.rules[column].to_numpy()[self.columns["rule"]]


def _temperature_groups(s_all, d_all, temp, rule, params) -> list:
    """Heat rules without heat pump: one pass per demand temperature with the supplies hot enough."""
    margin = params.temp_margin_k if params.temp_margin_k is not None else _num(rule["min_temp_margin_k"], DEFAULT_TEMP_MARGIN_K)
    min_sup_t = _num(rule["min_supply_temp_c"], -math.inf)
    d_temp = temp[d_all]
    keys = d_temp if len(np.unique(d_temp)) <= 30 else np.ceil(d_temp / 5.0) * 5.0
    groups = []
    for t_key in np.unique(keys):
        d_g = d_all[keys == t_key]
        s_g = s_all[temp[s_all] >= max(float(temp[d_g].max()) + margin, min_sup_t)]
        if len(s_g):
            groups.append((s_g, d_g))
    return groups


def _rule_table(compatibility: pd.DataFrame, tax: dict, params) -> pd.DataFrame:
    """The rules sorted by key, defaults filled, with the numbers the pairs need per rule."""
    rules = compatibility.copy()
    for col, default in (("min_temp_margin_k", np.nan), ("min_supply_temp_c", np.nan), ("heat_pump", False),
                         ("priority", 1), ("efficiency", 1.0), ("kind", "substitution")):
        if col not in rules.columns:
            rules[col] = default
    rules = rules.sort_values(["supply_resource", "demand_resource"], kind="mergesort").reset_index(drop=True)
    rules["family"] = rules["supply_resource"].map(_column(tax, "family"))
    rules["family_demand"] = rules["demand_resource"].map(_column(tax, "family"))
    rules["_heat"] = (rules["family"] == "heat") & (rules["family_demand"] == "heat")
    rules["_margin"] = (float(params.temp_margin_k) if params.temp_margin_k is not None
                        else pd.to_numeric(rules["min_temp_margin_k"], errors="coerce").fillna(DEFAULT_TEMP_MARGIN_K))
    rules["_min_supply"] = pd.to_numeric(rules["min_supply_temp_c"], errors="coerce").fillna(-np.inf)
    rules["_hp"] = rules["heat_pump"].map(_is_true).astype(bool)
    rules["_priority"] = pd.to_numeric(rules["priority"], errors="coerce")
    rules["_efficiency"] = pd.to_numeric(rules["efficiency"], errors="coerce")
    return rules


def _search(f, rules, tax, params, heat_network, feedback) -> tuple:
    """KD-tree search per rule (and per demand temperature for heat) → ``(s, d, rule, radius)``
    arrays. O(R · (S + D) · k · log(S + D)) for R rules, k = ``max_candidates``."""
    sup = f[f["direction"] == "supply"]
    dem = f[f["direction"] == "demand"]
    xy = f[["x", "y"]].to_numpy(dtype=float)
    temp = f["temperature_c"].to_numpy(dtype=float)
    sup_by_res = {r: g.index.to_numpy() for r, g in sup.groupby("resource", sort=True)}
    dem_by_res = {r: g.index.to_numpy() for r, g in dem.groupby("resource", sort=True)}
    hn = None
    if heat_network is not None and not heat_network.is_empty():
        hn_comp, hn_acc = heat_network.component_of(xy)
        hn = (hn_comp, np.maximum(hn_acc - f["radius_m"].to_numpy(dtype=float), 0.0))  # from a zone's edge
    qty = f["quantity"].to_numpy(dtype=float)
    spread_of = f["radius_m"].to_numpy(dtype=float)
    pieces = []
    n_rules = max(len(rules), 1)
    for r_i, rule in enumerate(rules.to_dict("records")):
        feedback.check_cancelled()
        feedback.set_progress(5 + 35 * r_i / n_rules)
        s_all = sup_by_res.get(rule["supply_resource"])
        d_all = dem_by_res.get(rule["demand_resource"])
        if s_all is None or d_all is None:
            continue
        family = tax[rule["supply_resource"]]["family"]
        radii = np.zeros(len(f))
        radii[s_all] = reach.supply_radii(rule["supply_resource"], family, qty[s_all], tax, params)
        is_heat = bool(rule["_heat"])
        hp_ok = bool(params.heat_pump and rule["_hp"])
        groups = _temperature_groups(s_all, d_all, temp, rule, params) if is_heat and not hp_ok else [(s_all, d_all)]
        for s_g, d_g in groups:
            pairs, pair_radius = reach.group_pairs(s_g, d_g, xy, radii, spread_of, params.max_candidates,
                                                   hn if is_heat else None, getattr(params, "pair_finder", None))
            if len(pairs):
                pieces.append((s_g[pairs[:, 0]], d_g[pairs[:, 1]], np.full(len(pairs), r_i, dtype=np.int32),
                               pair_radius))
    if not pieces:
        return tuple(np.zeros(0, dtype=t) for t in (np.int64, np.int64, np.int32, float))
    return tuple(np.concatenate([p[i] for p in pieces]) for i in range(4))


def _candidates(f, compatibility, tax, params, road_network, heat_network, stats, feedback) -> Pairs:
    """Candidate pairs for every rule with their distances (see steps 2-4). O(P log P) in the
    P pairs found (at most 2 · k per flow and rule) after the search."""
    rules = _rule_table(compatibility, tax, params)
    s, d, rule, radius = _search(f, rules, tax, params, heat_network, feedback)
    stats["temperature_rejected"] = 0
    # Exclusions: same establishment always; same company (SIREN) when asked.
    siret_code = pd.factorize(f["siret"])[0]  # -1 for no SIRET (housing)
    siren_code = pd.factorize(f["siren"])[0]
    same_site = (siret_code[s] >= 0) & (siret_code[s] == siret_code[d])
    same_co = np.zeros(len(s), dtype=bool)
    if params.exclude_same_company:
        same_co = (siren_code[s] >= 0) & (siren_code[s] == siren_code[d]) & ~same_site
    stats["excluded_same_site"] = int(same_site.sum())
    stats["excluded_same_company"] = int(same_co.sum())
    keep = ~(same_site | same_co)
    cand = Pairs(rules, s=s[keep], d=d[keep], rule=rule[keep], radius=radius[keep])
    del s, d, rule, radius, same_site, same_co, keep
    if cand.empty:
        return cand
    cand = _heat_rules(cand, f["temperature_c"].to_numpy(dtype=float), params, stats)
    if cand.empty:
        return cand
    cand = _dedupe(cand)  # the pairs before dedupe are freed here, not kept during the distances
    return _distances(cand, f, params, road_network, heat_network, stats, feedback)


def _heat_rules(cand: Pairs, temp, params, stats) -> Pairs:
    """Temperatures and heat pumps (step 3): drops the heat pairs too cold for their use. O(P);
    a function of its own so that its temporary arrays are freed before the distances."""
    ts, td = temp[cand["s"]], temp[cand["d"]]
    is_heat = cand.rule_values("_heat").astype(bool)
    direct = ~is_heat | ((ts >= td + cand.rule_values("_margin")) & (ts >= cand.rule_values("_min_supply")))
    hp_allowed = is_heat & ~direct & bool(params.heat_pump) & cand.rule_values("_hp").astype(bool) & np.isfinite(ts)
    cop = np.full(len(cand), np.nan)
    cop[hp_allowed] = heat_pump_cop(ts[hp_allowed], td[hp_allowed], params.hp_carnot_efficiency)
    hp_ok = hp_allowed & (cop >= params.hp_min_cop) & (td + HP_APPROACH_K <= params.hp_max_sink_c)
    keep = direct | hp_ok
    stats["temperature_rejected"] += int((~keep).sum())
    cand["heat_pump_used"] = hp_ok & ~direct
    cand["cop"] = np.where(cand["heat_pump_used"], cop, np.nan)
    return cand.take(keep)


def _dedupe(cand: Pairs) -> Pairs:
    """One pair per (supply, demand) across rules: the preferred rule (priority, then
    efficiency). O(P log P)."""
    order = np.lexsort((-cand.rule_values("_efficiency"), cand.rule_values("_priority"), cand["d"], cand["s"]))
    s_o, d_o = cand["s"][order], cand["d"][order]
    first = np.r_[True, (s_o[1:] != s_o[:-1]) | (d_o[1:] != d_o[:-1])]
    return cand.take(order[first])


def _road_distances(cand, xy, s, d, spread, straight, reach_m, road_network, road_families, feedback) -> tuple:
    """Along the road network for what trucks carry → ``(on_roads, ok, fallback, distance)``."""
    on_roads = np.isin(cand.rule_values("family"), list(road_families))
    net_d = np.full(len(cand), np.nan)
    status = np.full(len(cand), STATUS_DISCONNECTED, dtype=np.int8)
    for r in np.unique(reach_m[on_roads]):
        sel = np.flatnonzero((reach_m == r) & on_roads)
        dd, st = road_network.distances(xy[s[sel]], xy[d[sel]], np.column_stack([np.arange(len(sel))] * 2),
                                        cutoff_m=r, return_status=True, feedback=feedback)
        net_d[sel], status[sel] = dd, st
    ok = on_roads & (status == STATUS_OK)
    fallback = on_roads & (status == STATUS_DISCONNECTED)
    net_d = np.maximum(net_d - spread, straight)  # from a zone's edge, never below the straight line
    return on_roads, ok, fallback, net_d


def _distances(cand: Pairs, f, params, road_network, heat_network, stats, feedback) -> Pairs:
    """Straight, road and heat-network distances of the pairs; drops those out of reach. O(P)
    plus the network searches."""
    xy = f[["x", "y"]].to_numpy(dtype=float)
    s, d = cand["s"], cand["d"]
    # Distances to a housing zone are taken to its edge: centre distance minus the radius of a disc
    # of the zone's area (0 inside); establishments are points (radius 0).
    rad = f["radius_m"].to_numpy(dtype=float)
    spread = rad[s] + rad[d]
    straight = np.maximum(np.hypot(xy[s, 0] - xy[d, 0], xy[s, 1] - xy[d, 1]) - spread, 0.0)
    radius = cand["radius"]
    reach_m = radius * params.detour_factor  # longest route a straight search radius allows
    route = straight * params.detour_factor
    kind = np.full(len(cand), STRAIGHT, dtype=np.int8)
    keep = straight <= radius
    if road_network is not None and not road_network.is_empty():
        on_roads, ok, fallback, net_d = _road_distances(cand, xy, s, d, spread, straight, reach_m, road_network,
                                                        params.road_families, feedback)
        if on_roads.any():
            route = np.where(ok, net_d, route)
            kind = np.where(ok, NETWORK, np.where(fallback, FALLBACK, kind)).astype(np.int8)
            keep = np.where(on_roads, (ok & (route <= reach_m)) | (fallback & (straight <= radius)), keep)
            stats["network_beyond_radius"] = int((on_roads & ~ok & ~fallback).sum())
    build = route.copy()
    if heat_network is not None and not heat_network.is_empty():
        heat = cand.rule_values("_heat").astype(bool)
        if heat.any():
            _heat_network_routes(np.flatnonzero(heat), xy, s, d, rad, radius, params, heat_network, feedback,
                                 route, build, kind, keep)
    stats["beyond_distance"] = int((~keep).sum())
    stats["straight_fallback"] = int(((kind == FALLBACK) & keep).sum())
    cand["straight_m"], cand["route_m"], cand["build_m"] = straight, route, build
    cand["distance_kind"], cand["reach_m"] = kind, reach_m
    del cand.columns["radius"]  # reach_m carries it on
    return cand.take(keep)


def _heat_network_routes(hs, xy, s, d, rad, radius, params, heat_network, feedback, route, build, kind, keep):
    """Pairs of heat ``hs`` whose ends attach to one part of an existing heat network: only the
    connections to build count when that needs less new pipe (updates the arrays in place)."""
    comp_s, acc_s = heat_network.component_of(xy[s[hs]])
    comp_d, acc_d = heat_network.component_of(xy[d[hs]])
    raw_access = acc_s + acc_d
    acc_s = np.maximum(acc_s - rad[s[hs]], 0.0)  # a zone crossed by the network: no connection
    acc_d = np.maximum(acc_d - rad[d[hs]], 0.0)
    conn = (acc_s + acc_d) * params.detour_factor  # new connections follow streets too
    usable = (comp_s == comp_d) & (acc_s <= radius[hs]) & (acc_d <= radius[hs])
    # Use the existing network when it needs less new pipe than a direct link.
    better = usable & (~keep[hs] | (conn <= build[hs]))
    idx = hs[better]
    if not len(idx):
        return
    along = heat_network.distances(xy[s[idx]], xy[d[idx]], np.column_stack([np.arange(len(idx))] * 2),
                                   cutoff_m=params.heat_network_route_max_m, feedback=feedback)
    reached = np.isfinite(along)
    idx = idx[reached]
    build[idx] = conn[better][reached]
    route[idx] = along[reached] - raw_access[better][reached] + conn[better][reached]
    kind[idx] = HEAT_NETWORK
    keep[idx] = True
