"""Candidate pairs and their distances (steps 2-4 of ``core.matching``)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import reach
from .network import STATUS_DISCONNECTED, STATUS_OK
from .synergy_economics import heat_pump_cop
from .synergy_params import DEFAULT_TEMP_MARGIN_K, HP_APPROACH_K, _column, _is_true, _num


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


def _candidates(f, compatibility, tax, params, road_network, heat_network, stats, feedback) -> pd.DataFrame:
    """Candidate pairs for every rule with their distances (see steps 2-4)."""
    sup = f[f["direction"] == "supply"]
    dem = f[f["direction"] == "demand"]
    xy = f[["x", "y"]].to_numpy(dtype=float)
    temp = f["temperature_c"].to_numpy(dtype=float)
    rules = compatibility.copy()
    for col, default in (("min_temp_margin_k", np.nan), ("min_supply_temp_c", np.nan), ("heat_pump", False),
                         ("priority", 1), ("efficiency", 1.0), ("kind", "substitution")):
        if col not in rules.columns:
            rules[col] = default
    rules = rules.sort_values(["supply_resource", "demand_resource"], kind="mergesort").reset_index(drop=True)
    sup_by_res = {r: g.index.to_numpy() for r, g in sup.groupby("resource", sort=True)}
    dem_by_res = {r: g.index.to_numpy() for r, g in dem.groupby("resource", sort=True)}
    hn = None
    if heat_network is not None and not heat_network.is_empty():
        hn_comp, hn_acc = heat_network.component_of(xy)
        hn = (hn_comp, np.maximum(hn_acc - f["radius_m"].to_numpy(dtype=float), 0.0))  # from a zone's edge
    qty = f["quantity"].to_numpy(dtype=float)
    spread_of = f["radius_m"].to_numpy(dtype=float)
    pieces = []
    stats["temperature_rejected"] = 0
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
        is_heat = family == "heat" and tax[rule["demand_resource"]]["family"] == "heat"
        hp_ok = bool(params.heat_pump and _is_true(rule["heat_pump"]))
        groups = _temperature_groups(s_all, d_all, temp, rule, params) if is_heat and not hp_ok else [(s_all, d_all)]
        for s_g, d_g in groups:
            pairs, pair_radius = reach.group_pairs(s_g, d_g, xy, radii, spread_of, params.max_candidates,
                                                   hn if is_heat else None, getattr(params, "pair_finder", None))
            if len(pairs):
                pieces.append(pd.DataFrame({"s": s_g[pairs[:, 0]], "d": d_g[pairs[:, 1]], "rule": r_i,
                                            "radius": pair_radius}))
    if not pieces:
        return pd.DataFrame(columns=["s", "d"])
    cand = pd.concat(pieces, ignore_index=True)
    # Exclusions: same establishment always; same company (SIREN) when asked.
    siret_code = pd.factorize(f["siret"])[0]  # -1 for no SIRET (housing)
    siren_code = pd.factorize(f["siren"])[0]
    cs, cd = cand["s"].to_numpy(), cand["d"].to_numpy()
    same_site = (siret_code[cs] >= 0) & (siret_code[cs] == siret_code[cd])
    same_co = np.zeros(len(cand), dtype=bool)
    if params.exclude_same_company:
        same_co = (siren_code[cs] >= 0) & (siren_code[cs] == siren_code[cd]) & ~same_site
    stats["excluded_same_site"] = int(same_site.sum())
    stats["excluded_same_company"] = int(same_co.sum())
    cand = cand[~(same_site | same_co)].reset_index(drop=True)
    if cand.empty:
        return cand
    rule_tab = rules.reset_index().rename(columns={"index": "rule"})
    cand = cand.merge(rule_tab[["rule", "supply_resource", "demand_resource", "kind", "efficiency", "min_temp_margin_k",
                                "min_supply_temp_c", "heat_pump", "priority"]], on="rule", how="left")
    # Temperatures, heat pumps
    ts = temp[cand["s"]]
    td = temp[cand["d"]]
    fam_s = reach.mapped(cand["supply_resource"], _column(tax, "family"))
    fam_d = reach.mapped(cand["demand_resource"], _column(tax, "family"))
    is_heat = (fam_s == "heat") & (fam_d == "heat")
    margin = (np.full(len(cand), params.temp_margin_k, dtype=float) if params.temp_margin_k is not None
              else cand["min_temp_margin_k"].astype(float).fillna(DEFAULT_TEMP_MARGIN_K).to_numpy())
    min_sup = cand["min_supply_temp_c"].astype(float).fillna(-np.inf).to_numpy()
    direct = ~is_heat | ((ts >= td + margin) & (ts >= min_sup))
    hp_allowed = is_heat & ~direct & bool(params.heat_pump) & reach.mapped(cand["heat_pump"], _is_true) & np.isfinite(ts)
    cop = np.full(len(cand), np.nan)
    cop[hp_allowed] = heat_pump_cop(ts[hp_allowed], td[hp_allowed], params.hp_carnot_efficiency)
    hp_ok = hp_allowed & (cop >= params.hp_min_cop) & (td + HP_APPROACH_K <= params.hp_max_sink_c)
    keep = direct | hp_ok
    stats["temperature_rejected"] += int((~keep).sum())
    cand = cand[keep].reset_index(drop=True)
    cand["heat_pump_used"] = hp_ok[keep] & ~direct[keep]
    cand["cop"] = np.where(cand["heat_pump_used"], cop[keep], np.nan)
    cand["family"] = fam_s[keep]
    cand["family_demand"] = fam_d[keep]
    if cand.empty:
        return cand
    # Dedupe (s, d) across rules: keep the preferred rule (priority, then efficiency).
    cand = cand.sort_values(["s", "d", "priority", "efficiency"], ascending=[True, True, True, False], kind="mergesort")
    cand = cand.drop_duplicates(["s", "d"], keep="first").reset_index(drop=True)
    return _distances(cand, f, xy, params, road_network, heat_network, stats, feedback)


def _distances(cand, f, xy, params, road_network, heat_network, stats, feedback) -> pd.DataFrame:
    s, d = cand["s"].to_numpy(), cand["d"].to_numpy()
    # Distances to a housing zone are taken to its edge: centre distance minus the radius of a disc
    # of the zone's area (0 inside); establishments are points (radius 0).
    rad = f["radius_m"].to_numpy(dtype=float)
    spread = rad[s] + rad[d]
    straight = np.maximum(np.hypot(xy[s, 0] - xy[d, 0], xy[s, 1] - xy[d, 1]) - spread, 0.0)
    radius = cand["radius"].to_numpy(dtype=float)
    reach = radius * params.detour_factor  # longest route a straight search radius allows
    route = straight * params.detour_factor
    build = route.copy()
    kind = np.full(len(cand), "straight", dtype=object)
    keep = straight <= radius
    on_roads = np.isin(cand["family"].to_numpy(), list(params.road_families))
    if road_network is not None and not road_network.is_empty() and on_roads.any():
        net_d = np.full(len(cand), np.nan)
        status = np.full(len(cand), STATUS_DISCONNECTED, dtype=np.int8)
        for r in np.unique(reach[on_roads]):
            sel = np.flatnonzero((reach == r) & on_roads)
            dd, st = road_network.distances(xy[s[sel]], xy[d[sel]], np.column_stack([np.arange(len(sel))] * 2),
                                            cutoff_m=r, return_status=True, feedback=feedback)
            net_d[sel], status[sel] = dd, st
        ok = on_roads & (status == STATUS_OK)
        fallback = on_roads & (status == STATUS_DISCONNECTED)
        net_d = np.maximum(net_d - spread, straight)  # from a zone's edge, never below the straight line
        route = np.where(ok, net_d, route)
        build = route.copy()
        kind = np.where(ok, "network", np.where(fallback, "straight_fallback", kind)).astype(object)
        keep = np.where(on_roads, (ok & (route <= reach)) | (fallback & (straight <= radius)), keep)
        stats["network_beyond_radius"] = int((on_roads & ~ok & ~fallback).sum())
    if heat_network is not None and not heat_network.is_empty():
        heat = (cand["family"].to_numpy() == "heat") & (cand["family_demand"].to_numpy() == "heat")
        if heat.any():
            hs = np.flatnonzero(heat)
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
            if len(idx):
                along = heat_network.distances(xy[s[idx]], xy[d[idx]], np.column_stack([np.arange(len(idx))] * 2),
                                               cutoff_m=params.heat_network_route_max_m, feedback=feedback)
                reached = np.isfinite(along)
                idx = idx[reached]
                build[idx] = conn[better][reached]
                route[idx] = along[reached] - raw_access[better][reached] + conn[better][reached]
                kind[idx] = "heat_network"
                keep[idx] = True
    stats["beyond_distance"] = int((~keep).sum())
    stats["straight_fallback"] = int(((kind == "straight_fallback") & keep).sum())
    cand = cand.assign(straight_m=straight, route_m=route, build_m=build, distance_kind=kind, reach_m=reach)
    return cand[keep].reset_index(drop=True)
