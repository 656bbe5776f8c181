"""Synergy detection: which supply can serve which demand, how much, how far, for what benefit.

The method, step by step (every constant is documented where it is defined, in ``core.synergy_params``):

1. **Flows.** Supply and demand flows (``FLOW_FIELDS`` + ``x``, ``y``) in canonical units per
   year. Rows with no quantity (NULL, zero, negative), an unknown resource, a direction that
   is neither ``supply`` nor ``demand``, or no position are skipped and counted. Housing heat
   demand of residential zones (``housing_flows``) becomes ``space_heating`` demands with
   ``receiver_zone`` = the zone and no SIRET; zones to be urbanised (AU) are ``is_future``.
2. **Candidates**, per compatibility rule (``compatibility.csv``: supply resource → demand
   resource, efficiency, temperature conditions, heat pump allowed, priority): a KD-tree of
   the rule's demands is queried with its supplies (and the reverse), keeping for each flow
   its ``max_candidates`` nearest partners within the search radius (the supply resource's
   ``max_distance_m``, a straight-line search radius, overridden per family or globally). Heat rules are run per demand temperature so that the
   nearest partners are temperature-compatible. Cost O((S + D) · k · log(S + D)) per rule
   for S supplies, D demands and k = ``max_candidates``; no all-pairs loop.
3. **Heat rules.** Direct use when ``T_supply >= T_demand + margin`` (margin: the rule's
   ``min_temp_margin_k``, else ``temp_margin_k`` = 10 K; the ``temp_margin_k`` parameter
   overrides the rule when given) and ``T_supply >= min_supply_temp_c`` (85 °C for absorption
   cooling). Otherwise, when the rule allows it and ``heat_pump`` is on, a heat pump lifts the
   source: COP = ``hp_carnot_efficiency`` (0.5) × T_cond / (T_cond − T_evap) with
   T_cond = T_demand + 5 K and T_evap = T_supply − 5 K (kelvin); kept when COP ≥ 2.5 and
   T_cond ≤ 120 °C. The demand then receives ``COP / (COP − 1)`` MWh per MWh of recovered heat
   and the pump needs ``1 / (COP − 1)`` MWh of electricity per MWh recovered (reported).
4. **Distances.** Straight line × ``detour_factor`` (1.3) by default. With a road network,
   for what trucks carry (wastes and materials; pipes keep straight × detour, a road graph
   being too coarse for short pipe links): along it (``core.network``: access + shortest path + access, at most radius × detour); pairs
   whose ends attach to disconnected parts of the network fall back to straight × detour
   with ``distance_kind = straight_fallback``; pairs connected but too far along the network
   are dropped. With an existing heat network (heat family only): when both ends attach to
   the same connected part, only the connections to build count
   (``distance_kind = heat_network``; the route along the network is ``route_length_m``).
5. **Economics** per supply unit: value = efficiency × value of the demand resource displaced
   (+ avoided disposal cost of the supply for wastes), − transport cost per unit·km × route
   (× connection length only along an existing heat network),
   − heat-pump electricity, − the annuity of a new pipe (heat, energy gas, water:
   ``PIPE_COST_EUR_PER_M`` × ``ANNUITY_FACTOR`` × length to build), spread over the largest
   quantity the pair could exchange. Pairs with no positive benefit are dropped.
6. **Allocation.** A supply cannot be promised twice and a demand cannot be over-served:
   maximise Σ weight × benefit × quantity with linear programming (``scipy.optimize.linprog``,
   HiGHS) over each connected component of the candidate graph (one-edge components solved
   in closed form; components of more than 100k pairs, which only appear in territories of
   ~100k establishments, greedily: best weighted unit benefit first, same constraints). Heat sources are flat over the year and space heating is seasonal: a
   source's heating-season and summer heat are two capacities (``DEMAND_WINTER_SHARE``), so
   summer heat goes to year-round uses (processes, pools, hot water). ``weight = priority_weight ** (priority − 1)`` encodes the waste hierarchy
   (material reuse before energy recovery). Allocated pairs are the synergies; the others
   (best ``max_alternatives`` per supply and demand resource) are alternatives with the reason
   they were not kept.
7. **Impacts, confidence, score, reason** (see ``_impacts``, ``_confidence``, ``_score``,
   ``reason_fr``).

Everything is deterministic: flows are sorted by ``flow_id``, rules by their key, pairs by
(supply, demand), ids assigned after sorting by rank.
"""
from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from ..i18n import tr
from . import synergy_checks as checks
from .allocation import (  # noqa: F401  (re-exported: the public names of core.matching)
    allocate,
    seasonal_cap,
)
from .errors import EitInputError
from .feedback import NULL_FEEDBACK
from .reach import knn_pairs as _knn_pairs  # noqa: F401 - the default pair finder (tests, PostGIS search)
from .reach import mapped
from .synergy_candidates import (  # noqa: F401  (re-exported: the public names of core.matching)
    DISTANCE_KINDS,
    Pairs,
    _candidates,
)
from .synergy_economics import (  # noqa: F401  (re-exported: the public names of core.matching)
    _economics,
    _impact_frame,
    heat_pump_cop,
)
from .synergy_params import (  # noqa: F401  (re-exported: the public names of core.matching)
    ANNUITY_FACTOR,
    DEFAULT_DEMAND_TEMP_C,
    DEFAULT_SUPPLY_TEMP_C,
    DEFAULT_TEMP_MARGIN_K,
    DEMAND_WINTER_SHARE,
    DETOUR_FACTOR,
    DISTANCE_CONFIDENCE_LOSS,
    FALLBACK_DISTANCE_FACTOR,
    FAMILIES,
    FLAT_SUPPLY_WINTER_SHARE,
    HEAT_PUMP_FACTOR,
    HEAT_USE_LABELS,
    HOUSING_CONFIDENCE,
    HOUSING_TEMPERATURE_C,
    HP_APPROACH_K,
    HP_CARNOT_EFFICIENCY,
    HP_MAX_COP,
    HP_MAX_SINK_C,
    HP_MIN_COP,
    LP_METHOD,
    MAX_CANDIDATES,
    NBSP,
    PIPE_COST_EUR_PER_M,
    SCORE_WEIGHTS,
    TEMP_UNKNOWN_FACTOR,
    TRUCKED,
    MatchingParams,
    MatchResult,
    _column,
    _is_true,
    _num,
)
from .synergy_texts import (  # noqa: F401  (re-exported: the public names of core.matching)
    NOTES,
    en_number,
    fmt_distance,
    fmt_distances,
    fmt_quantities,
    fmt_quantity,
    fmt_temp,
    fr_number,
    reasons,
)


# --- Reference defaults -------------------------------------------------------------------------
def _default_tables(taxonomy, compatibility, emission_factors):
    if taxonomy is None or compatibility is None or emission_factors is None:
        from . import reference

        if taxonomy is None:
            taxonomy = reference.load_taxonomy()
        if compatibility is None:
            compatibility = reference.load_compatibility()
        if emission_factors is None:
            try:
                emission_factors = reference.load_emission_factors()
            except (EitInputError, OSError, FileNotFoundError):
                emission_factors = pd.DataFrame(columns=["code", "unit", "co2_kg", "pm10_g", "nox_g"])
    return taxonomy, compatibility, emission_factors


def _is_future_typezone(value) -> bool:
    text = str(value or "").strip().upper()
    return text.startswith("AU") or (len(text) > 1 and text[0].isdigit() and text[1:].startswith("AU"))


def housing_flows(zones: pd.DataFrame, temperature_c: float = HOUSING_TEMPERATURE_C) -> pd.DataFrame:
    """Housing heat demand of zones → ``space_heating`` demand flows.

    ``zones``: ``zone_id``, ``x``, ``y`` (a point on the zone's surface), a heat demand column
    (``housing_heat_demand_mwh``, else ``heat_demand_housing_mwh``), optional ``is_future``,
    ``typezone``, ``libelle``, ``insee``. Zones with no positive demand give no flow. Future
    zones (``is_future`` true, or TYPEZONE ``AUc``/``AUs``/``1AU``…) are flagged.
    """
    columns = ["flow_id", "siret", "name", "naf", "direction", "resource", "family", "quantity", "unit",
               "temperature_c", "ewc_code", "origin", "confidence", "ratio_source", "x", "y", "zone_id",
               "is_future", "is_housing", "radius_m"]
    if zones is None or not len(zones):
        return pd.DataFrame(columns=columns)
    lower = {c.lower(): c for c in zones.columns}
    demand_col = next((lower[c] for c in ("housing_heat_demand_mwh", "heat_demand_housing_mwh") if c in lower), None)
    if demand_col is None or "zone_id" not in lower:
        return pd.DataFrame(columns=columns)
    z = zones.rename(columns={demand_col: "_q", lower["zone_id"]: "zone_id"})
    q = pd.to_numeric(z["_q"], errors="coerce")
    z = z.assign(_q=q)[q > 0].copy()
    if z.empty:
        return pd.DataFrame(columns=columns)
    future_col = lower.get("is_future")
    type_col = lower.get("typezone")
    fut = z[future_col].map(_is_true) if future_col else pd.Series(False, index=z.index)
    if type_col:
        fut = fut | z[type_col].map(_is_future_typezone)
    from .recommendation_texts import commune_name  # the commune by name, its code when none is known

    label_col = lower.get("libelle")
    insee_col = lower.get("insee")
    names = []
    for _, row in z.iterrows():
        label = str(row[label_col]).strip() if label_col and pd.notna(row[label_col]) and str(row[label_col]).strip() else ""
        where = str(row[insee_col]).strip() if insee_col and pd.notna(row[insee_col]) else ""
        if label and where:
            names.append("logements de la zone {} ({})".format(label, commune_name(where)))
        elif label:
            names.append("logements de la zone {}".format(label))
        else:
            names.append("logements de la zone {}".format(row["zone_id"]))
    out = pd.DataFrame({
        "flow_id": ["zone:{}:D:space_heating".format(zid) for zid in z["zone_id"]],
        "siret": None,
        "name": names,
        "naf": None,
        "direction": "demand",
        "resource": "space_heating",
        "family": "heat",
        "quantity": z["_q"].astype(float).to_numpy(),
        "unit": "MWh",
        "temperature_c": float(temperature_c),
        "ewc_code": None,
        "origin": "estimated",
        "confidence": np.where(fut.to_numpy(), HOUSING_CONFIDENCE["future"], HOUSING_CONFIDENCE["existing"]),
        "ratio_source": "housing heat demand of the zone (eit:zoneoverlay)",
        "x": pd.to_numeric(z[lower.get("x", "x")], errors="coerce").to_numpy() if "x" in lower else np.nan,
        "y": pd.to_numeric(z[lower.get("y", "y")], errors="coerce").to_numpy() if "y" in lower else np.nan,
        "zone_id": z["zone_id"].astype(str).to_numpy(),
        "is_future": fut.to_numpy(dtype=bool),
        "is_housing": True,
        # housing is spread over the zone: distances are taken to its edge, approximated by the
        # radius of a disc of the same area (documented in _distances)
        "radius_m": np.sqrt(pd.to_numeric(z[lower["area_m2"]], errors="coerce").fillna(0.0).to_numpy() / math.pi)
        if "area_m2" in lower else 0.0,
    })
    return out[columns].sort_values("flow_id", kind="mergesort").reset_index(drop=True)


def _flags(column: pd.Series) -> pd.Series:
    """``column.map(_is_true)``, computed once per distinct value (O(n))."""
    if column.dtype == bool:
        return column
    return pd.Series(mapped(column, _is_true).astype(bool), index=column.index)


def _unusable(frame: pd.DataFrame, taxonomy_map: dict, params: MatchingParams) -> dict:
    """Masks of the rows the method cannot use (no positive quantity, unknown resource, no
    position, bad direction, below the minimum quantity) and the cleaned resource codes. O(n),
    codes cleaned once per distinct value."""
    def col(name):
        return frame[name] if name in frame.columns else pd.Series(None, index=frame.index, dtype=object)

    direction = mapped(col("direction"), lambda v: str(v).strip().lower())
    resource = mapped(col("resource"), lambda v: str(v).strip())
    qty = pd.to_numeric(col("quantity"), errors="coerce").to_numpy(dtype=float)
    x = pd.to_numeric(col("x"), errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(col("y"), errors="coerce").to_numpy(dtype=float)
    bad_dir = ~np.isin(direction, ["supply", "demand"])
    unknown = ~np.isin(resource, list(taxonomy_map)) & ~bad_dir
    no_qty = ~(qty > 0) & ~unknown & ~bad_dir
    no_pos = ~(np.isfinite(x) & np.isfinite(y)) & ~no_qty & ~unknown & ~bad_dir
    bad = bad_dir | unknown | no_qty | no_pos
    return {"bad_direction": bad_dir, "unknown_resource": unknown, "no_quantity": no_qty, "no_position": no_pos,
            "below_min_quantity": ~bad & (qty < params.min_quantity), "resource": resource}


def _prepare_flows(parts: list, taxonomy_map: dict, params: MatchingParams, stats: dict) -> pd.DataFrame:
    """Normalise the flows tables (``parts``: the flows, the housing demands); drop (and count)
    the rows the method cannot use. The unusable rows go first, so that the normalisation only
    copies the flows that are kept (most of a large territory's flows are below the minimum
    quantity). O(n log n) for the sort by flow id."""
    n0 = sum(len(p) for p in parts)
    kept, unknown_codes = [], set()
    for key in ("bad_direction", "unknown_resource", "no_quantity", "no_position", "below_min_quantity"):
        stats["skipped_" + key] = 0
    for part in parts:
        masks = _unusable(part, taxonomy_map, params)
        drop = np.zeros(len(part), dtype=bool)
        for key in ("bad_direction", "unknown_resource", "no_quantity", "no_position", "below_min_quantity"):
            stats["skipped_" + key] += int(masks[key].sum())
            drop |= masks[key]
        unknown_codes |= set(masks["resource"][masks["unknown_resource"]])
        kept.append(part[~drop])
    stats["unknown_resources"] = sorted(unknown_codes)[:20]
    f = pd.concat(kept, ignore_index=True, sort=False) if len(kept) > 1 else kept[0].reset_index(drop=True)
    for col in ("flow_id", "siret", "name", "direction", "resource", "family", "unit", "zone_id"):
        if col not in f.columns:
            f[col] = None
    for col in ("quantity", "temperature_c", "confidence", "x", "y"):
        f[col] = pd.to_numeric(f[col], errors="coerce") if col in f.columns else np.nan
    if "is_future" not in f.columns:
        f["is_future"] = False
    if "is_housing" not in f.columns:
        f["is_housing"] = False
    f["is_future"] = _flags(f["is_future"])
    f["is_housing"] = _flags(f["is_housing"])
    f["radius_m"] = (pd.to_numeric(f["radius_m"], errors="coerce") if "radius_m" in f.columns
                     else pd.Series(0.0, index=f.index)).fillna(0.0).clip(lower=0.0)
    # a few distinct codes repeated over every flow: cleaned once per distinct value
    f["direction"] = mapped(f["direction"], lambda v: str(v).strip().lower())
    f["resource"] = mapped(f["resource"], lambda v: str(v).strip())
    f["family"] = f["resource"].map(_column(taxonomy_map, "family"))
    f["unit"] = f["resource"].map(_column(taxonomy_map, "unit"))
    conf = f["confidence"].where(np.isfinite(f["confidence"]), 0.5)
    f["confidence"] = conf.clip(0.0, 1.0)
    # flow ids: keep given ones, build the documented one where missing
    missing_id = f["flow_id"].isna() | (f["flow_id"].astype(str).str.strip() == "")
    f.loc[missing_id, "flow_id"] = [
        "{}:{}:{}".format(s, "S" if d == "supply" else "D", r)
        for s, d, r in zip(f.loc[missing_id, "siret"], f.loc[missing_id, "direction"], f.loc[missing_id, "resource"])
    ]
    f["flow_id"] = f["flow_id"].astype(str)
    siret = f["siret"].map(lambda s: "" if s is None or (isinstance(s, float) and math.isnan(s)) else str(s).strip())
    f["siret"] = siret.where(siret != "", None)
    f["siren"] = siret.str.replace(r"\D", "", regex=True).str[:9]
    f["siren"] = f["siren"].where(f["siren"].str.len() == 9, None)
    # display name
    name = f["name"].map(lambda s: "" if s is None or (isinstance(s, float) and math.isnan(s)) else str(s).strip())
    fallback = ["l'établissement {}".format(s) if s else "un établissement" for s in f["siret"]]
    f["label"] = np.where(name != "", name, fallback)
    # temperatures
    heat = f["family"] == "heat"
    t = f["temperature_c"].copy()
    f["temp_assumed"] = False
    dem_default = f["resource"].map(DEFAULT_DEMAND_TEMP_C)
    fill_d = heat & (f["direction"] == "demand") & ~np.isfinite(t)
    t[fill_d] = dem_default[fill_d].fillna(60.0)
    fill_s = heat & (f["direction"] == "supply") & ~np.isfinite(t)
    t[fill_s] = DEFAULT_SUPPLY_TEMP_C
    f.loc[fill_s, "temp_assumed"] = True
    f["temperature_c"] = t
    stats["supply_temperature_assumed"] = int(fill_s.sum())
    f = f.sort_values(["flow_id"], kind="mergesort")
    dup = f["flow_id"].duplicated(keep="first")
    stats["skipped_duplicate_flow_id"] = int(dup.sum())
    f = f[~dup].reset_index(drop=True)
    stats["flows_used"] = len(f)
    stats["flows_skipped"] = n0 - len(f)
    return f


# --- Main entry point ---------------------------------------------------------------------------------
def detect_synergies(flows: pd.DataFrame, zones: pd.DataFrame | None = None, params: MatchingParams | None = None,
                     taxonomy: pd.DataFrame | None = None, compatibility: pd.DataFrame | None = None,
                     emission_factors: pd.DataFrame | None = None, road_network=None, heat_network=None,
                     feedback=None) -> MatchResult:
    """Detect and allocate synergies. See the module docstring for the method.

    ``flows``: FLOW_FIELDS + ``x``, ``y`` (+ optional ``zone_id``); ``zones``: housing zones
    for ``housing_flows`` (``zone_id``, ``x``, ``y``, ``housing_heat_demand_mwh``,
    ``is_future``…) or None; ``road_network`` / ``heat_network``: ``core.network.LineNetwork``
    or None. Reference tables default to the shipped files. Returns a ``MatchResult`` whose
    ``synergies`` and ``alternatives`` carry ``SYNERGY_FIELDS`` + ``x1, y1, x2, y2``.
    """
    feedback = feedback or NULL_FEEDBACK
    params = params or MatchingParams()
    t0 = time.perf_counter()
    timings = {}
    taxonomy, compatibility, emission_factors = _default_tables(taxonomy, compatibility, emission_factors)
    tax = {row["code"]: row for row in taxonomy.to_dict("records")}
    factors = checks.emission_lookup(emission_factors, tax)
    stats: dict = {}
    messages: list = []

    flows = flows if flows is not None else pd.DataFrame()
    housing = housing_flows(zones) if zones is not None else None
    parts = [flows, housing] if housing is not None and len(housing) else [flows]
    stats["housing_demands"] = 0 if housing is None else len(housing)
    f = _prepare_flows(parts, tax, params, stats)
    del parts, housing
    stats["supplies"] = int((f["direction"] == "supply").sum())
    stats["demands"] = int((f["direction"] == "demand").sum())
    skipped = stats["flows_skipped"]
    if skipped:
        messages.append(tr("{n} flows skipped: {q} without a positive quantity, {u} with an unknown resource, "
                           "{p} without a position, {d} with a direction other than supply/demand, {m} below the "
                           "minimum quantity, {dup} duplicate flow ids.").format(
            n=skipped, q=stats["skipped_no_quantity"], u=stats["skipped_unknown_resource"],
            p=stats["skipped_no_position"], d=stats["skipped_bad_direction"],
            m=stats["skipped_below_min_quantity"], dup=stats["skipped_duplicate_flow_id"]))
    if stats["unknown_resources"]:
        messages.append(tr("Unknown resource codes (not in taxonomy.csv): {}.").format(", ".join(stats["unknown_resources"])))
    timings["prepare_s"] = time.perf_counter() - t0
    empty = _empty_result()
    if stats["supplies"] == 0 or stats["demands"] == 0:
        messages.append(tr("No synergy possible: the flows hold {s} supplies and {d} demands (both are needed).").format(
            s=stats["supplies"], d=stats["demands"]))
        stats["timings"] = timings
        return MatchResult(empty, empty.copy(), stats, messages)

    t1 = time.perf_counter()
    cand = _candidates(f, compatibility, tax, params, road_network, heat_network, stats, feedback)
    timings["candidates_s"] = time.perf_counter() - t1
    feedback.set_progress(50)
    stats["candidates"] = len(cand)
    if cand.empty:
        messages.append(tr("No compatible supply and demand within reach: no synergy found."))
        stats["timings"] = timings
        return MatchResult(empty, empty.copy(), stats, messages)

    t2 = time.perf_counter()
    cand = _economics(cand, f, tax, factors, params, stats)
    timings["economics_s"] = time.perf_counter() - t2
    if cand.empty:
        messages.append(tr("Compatible pairs were found but none has a positive net benefit (value of the "
                           "resource displaced minus transport): no synergy."))
        stats["timings"] = timings
        return MatchResult(empty, empty.copy(), stats, messages)

    t3 = time.perf_counter()
    cand["x"], cand["banned"], stats["allocation_rounds"] = _allocate(cand, f, params, feedback)
    timings["allocation_s"] = time.perf_counter() - t3
    feedback.set_progress(80)

    t4 = time.perf_counter()
    checks.hierarchy_flags(cand, compatibility)
    synergies, alternatives = _finish(cand, f, tax, factors, params, stats)
    timings["outputs_s"] = time.perf_counter() - t4
    timings["total_s"] = time.perf_counter() - t0
    stats["timings"] = timings
    stats["synergies"] = len(synergies)
    stats["alternatives"] = len(alternatives)
    messages.append(tr("{n} synergies allocated out of {c} candidate pairs ({a} alternatives kept).").format(
        n=len(synergies), c=stats["candidates"], a=len(alternatives)))
    messages += checks.messages(stats)
    if stats.get("straight_fallback"):
        messages.append(tr("{} pairs attach to disconnected parts of the network: their distance is the straight "
                           "line x detour factor (distance_kind = straight_fallback).").format(stats["straight_fallback"]))
    feedback.set_progress(100)
    return MatchResult(synergies, alternatives, stats, messages)


def _allocate(cand, f, params, feedback) -> tuple:
    """Allocation of the candidate pairs (step 6) → ``(x, banned, rounds)``.

    The pipe annuity is spread over the largest quantity a pair could exchange; a pair the LP
    fills only partly may not pay for its pipe: it is banned and its connected group solved
    again (a few rounds). The greedy allocation of very large groups skips such pairs as it
    goes, so those groups are solved once. O(P log P) plus the LPs of the groups."""
    s_flow, d_flow = cand["s"], cand["d"]
    s_codes, s_local = np.unique(s_flow, return_inverse=True)
    d_codes, d_local = np.unique(d_flow, return_inverse=True)
    qty = f["quantity"].to_numpy()
    eff_total, q_max = cand["eff_total"], cand["q_max"]
    gain = cand["benefit_unit"] * cand["weight"]
    unit_net = cand["value_unit"] - cand["transport_unit"]
    fixed = cand["fixed_eur"]
    sigma = cand["winter_share"].astype(float)
    w_supply = np.where(f["family"].to_numpy()[s_codes] == "heat", FLAT_SUPPLY_WINTER_SHARE, np.nan)
    banned = np.zeros(len(cand), dtype=bool)
    ns = len(s_codes)
    graph = sparse.coo_matrix((np.ones(len(cand)), (s_local, ns + d_local)), shape=(ns + len(d_codes),) * 2)
    comp = connected_components(graph, directed=False)[1][s_local]
    del graph
    x = np.zeros(len(cand))
    redo = np.ones(len(cand), dtype=bool)  # round 1: everything; then only the components that changed
    for _round in range(4):
        active = np.flatnonzero(redo & ~banned)
        x[redo] = 0.0
        x[active] = allocate(s_local[active], d_local[active], eff_total[active], q_max[active], gain[active],
                             qty[s_codes], qty[d_codes], feedback=feedback, winter_edge=sigma[active],
                             winter_supply=w_supply, viable=(unit_net[active], fixed[active], params.min_quantity))
        bad = (x > 0) & ((x * unit_net - fixed <= 0) | (x < params.min_quantity))
        if not bad.any():
            break
        banned |= bad
        redo = np.isin(comp, np.unique(comp[bad]))
    return x, banned, _round + 1


# --- Outputs --------------------------------------------------------------------------------------------
def _output_columns() -> list:
    from .fields import SYNERGY_FIELDS, names

    return [*names(SYNERGY_FIELDS), "x1", "y1", "x2", "y2"]


def _empty_result() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in _output_columns()})


def _finish(cand, f, tax, factors, params, stats):
    """Build the synergy and alternative tables (impacts, confidence, score, reason, rank).
    Empties ``cand`` (its arrays are freed before the output rows are built). O(P log P) in
    the pairs for the choice of alternatives, then O(rows) for the outputs."""
    s, d = cand["s"], cand["d"]
    x = cand["x"]
    qty = f["quantity"].to_numpy(dtype=float)
    eff_total = cand["eff_total"]
    fixed = cand["fixed_eur"]
    unit_net = cand["value_unit"] - cand["transport_unit"]
    # actual figures at the allocated quantity (alternatives: at the largest possible quantity)
    allocated = x > 0
    banned = cand["banned"].astype(bool)
    q_out = np.where(allocated, x, cand["q_max"])
    net = q_out * unit_net - fixed
    viable = allocated & (net > 0) & (q_out >= params.min_quantity)
    stats["dropped_after_allocation"] = int((allocated & ~viable).sum())
    rem_s, rem_d = qty.copy(), qty.copy()
    np.subtract.at(rem_s, s[viable], x[viable])
    np.subtract.at(rem_d, d[viable], x[viable] * eff_total[viable])
    sigma = cand["winter_share"].astype(float)
    seasonal = np.isfinite(sigma)
    rem_w = np.where(f["family"].to_numpy() == "heat", FLAT_SUPPLY_WINTER_SHARE * qty, np.inf)
    np.subtract.at(rem_w, s[viable & seasonal], (sigma * x)[viable & seasonal])
    winter_full = seasonal & (sigma > FLAT_SUPPLY_WINTER_SHARE) & (rem_w[s] <= 1e-6 * qty[s])
    note_code = np.select([viable, allocated | banned, rem_s[s] <= 1e-6 * qty[s], rem_d[d] <= 1e-6 * qty[d],
                           winter_full], [0, 1, 2, 4, 3], 5).astype(np.int8)  # codes: texts of all pairs cost GBs
    note_text = np.array(["", *NOTES.values()], dtype=object)  # in NOTES' order
    # alternatives: the best few per supply and use (demand resource), by weighted unit benefit
    flow_id = f["flow_id"].to_numpy(dtype=object)
    alt_idx = np.flatnonzero(~viable)
    if len(alt_idx) and params.max_alternatives > 0:
        w = (cand["benefit_unit"] * cand["weight"])[alt_idx]
        use = (use_all := pd.factorize(cand.rules["demand_resource"])[0][cand["rule"]])[alt_idx]
        id_rank = np.argsort(np.argsort(flow_id, kind="stable"))  # unique ids: their ranks sort as they do
        order = alt_idx[np.lexsort((id_rank[d[alt_idx]], -w, use, id_rank[s[alt_idx]]))]
        grp = s[order] * (int(use.max()) + 1) + use_all[order]
        first = np.r_[True, grp[1:] != grp[:-1]]
        starts = np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
        alt_idx = np.sort(order[(np.arange(len(order)) - starts) < int(params.max_alternatives)])
    else:
        alt_idx = np.zeros(0, dtype=np.int64)
    if "is_future" in f.columns:
        # Future (AU) zones are what a planner is testing: every candidate serving one is kept
        # as an alternative, whatever the cap, so a project shows the heat it could receive.
        future = np.array([_is_true(v) for v in f["is_future"].to_numpy(dtype=object)], dtype=bool)
        alt_idx = np.union1d(alt_idx, np.flatnonzero(~viable & future[d])).astype(np.int64)
    parts = []
    for idx, status in ((np.flatnonzero(viable), "allocated"), (alt_idx, "alternative")):
        parts.append((cand.take(idx), q_out[idx], net[idx], note_text[note_code[idx]], status))
    cand.columns.clear()  # the pairs are no longer needed: their memory goes before the texts are built
    del s, d, x, q_out, net, note_code, viable, allocated, banned, sigma, seasonal, winter_full, eff_total, fixed, unit_net
    out = []
    while parts:
        rows, q, net_rows, note, status = parts.pop(0)
        out.append(_output_rows(rows, f, tax, factors, params, q, net_rows, note, status))
        del rows, q, net_rows, note
    stats.update(checks.counts(out[0]))
    return out[0], out[1]


def _output_rows(rows, f, tax, factors, params, q, net, note, status) -> pd.DataFrame:
    """One output table (synergies or alternatives), ranked. Only this function holds the frame,
    so that each step's copy replaces the previous one instead of adding to it. O(n log n)."""
    frame = _impact_frame(_pair_frame(rows), f, tax, factors, params, q, net)
    rows.columns.clear()
    frame["status"] = status
    frame["note"] = note
    frame = _rank_and_ids(frame, "SYN" if status == "allocated" else "ALT")
    return frame[_output_columns()]


def _pair_frame(cand) -> pd.DataFrame:
    """The output rows' pairs as a frame, their rule's texts looked up (O(rows))."""
    frame = pd.DataFrame(cand.columns)
    for column in ("supply_resource", "demand_resource", "kind", "priority", "family", "family_demand"):
        frame[column] = cand.rule_values(column)
    frame["distance_kind"] = np.array(DISTANCE_KINDS, dtype=object)[cand["distance_kind"]]
    frame["better_outlet"] = np.where(cand["downcycled"], cand.rule_values("better_outlet"), "")
    return frame


def _rank_and_ids(frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
    frame = frame.sort_values(["score", "net_benefit_eur", "supply_flow_id", "demand_flow_id"],
                              ascending=[False, False, True, True], kind="mergesort", ignore_index=True)
    frame["rank"] = np.arange(1, len(frame) + 1)
    width = max(4, len(str(len(frame))))
    frame["synergy_id"] = ["{}-{:0{}d}".format(prefix, i, width) for i in frame["rank"]]
    return frame

