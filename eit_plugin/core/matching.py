"""Synergy detection: which supply can serve which demand, how much, how far, for what benefit.

The method, step by step (every constant below is documented where it is defined):

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
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

from ..i18n import tr
from . import reach
from . import synergy_checks as checks
from .errors import EitInputError
from .feedback import NULL_FEEDBACK
from .network import STATUS_DISCONNECTED, STATUS_OK
from .reach import knn_pairs as _knn_pairs  # noqa: F401 - the default pair finder (tests, PostGIS search)

FAMILIES = ("heat", "energy", "water", "waste", "material")

# --- Documented constants ----------------------------------------------------------------------
# Circuity of road travel: road distance / straight distance. Ballou, Rahardja & Sakai (2002),
# "Selected country circuity factors for road travel distance estimation", Transportation
# Research Part A 36(9): 1.2-1.4 for European countries. 1.3 is used for trucks and pipes.
DETOUR_FACTOR = 1.3

# Default demand temperatures (°C) when a flow has none (assumption: usual design values).
DEFAULT_DEMAND_TEMP_C = {
    "space_heating": 60.0,  # radiators of existing buildings, heat-network secondary side
    "domestic_hot_water": 60.0,  # legionella rule: stored hot water at 55-60 °C
    "process_heat": 90.0,  # hot water/low-pressure steam processes (washing, pasteurising)
    "low_temp_heat": 35.0,  # pools, fish farms, greenhouses, low-temperature drying
    "cooling": 7.0,  # chilled water (the absorption rule's min_supply_temp_c applies)
}
# A waste-heat supply without a temperature is assumed to be low grade (ADEME 2017: most waste
# heat below 100 °C is at 30-90 °C); the pair's confidence is lowered (TEMP_UNKNOWN_FACTOR).
DEFAULT_SUPPLY_TEMP_C = 50.0
DEFAULT_TEMP_MARGIN_K = 10.0

# Heat pumps. Real industrial heat pumps reach 40-60 % of the Carnot COP (Arpagaus et al. 2018,
# "High temperature heat pumps: market overview, state of the art…", Energy 152); 5 K approach
# at each exchanger. Minimum seasonal COP 2.5: Commission Decision 2013/114/EU (heat pumps
# count as renewable under Directive 2009/28/EC, now 2018/2001 Annex VII, above SPF 2.5).
# Sink up to 120 °C: commercially available high-temperature heat pumps (Arpagaus et al. 2018).
HP_CARNOT_EFFICIENCY = 0.5
HP_APPROACH_K = 5.0
HP_MIN_COP = 2.5
HP_MAX_COP = 8.0
HP_MAX_SINK_C = 120.0

# New pipes (heat, gas, water): investment per metre of trench and its annuity. Heat: 500 EUR/m
# for a dedicated inter-site link of small diameter (assumption: urban district-heating mains
# cost 1,000-2,000 EUR/m but carry far more heat; a site-to-site pipe of DN 50-150 costs a few
# hundred EUR/m). With the annuity below and heat at 50 EUR/MWh a link breaks even around
# 0.6 MWh per metre and year, under the 1.5 MWh/m/yr linear heat density ADEME's Fonds Chaleur
# asks of subsidised heat networks (substations and pumping come on top). Gas and water:
# assumption (smaller trenches). Wastes and materials go by truck: no fixed cost.
PIPE_COST_EUR_PER_M = {"heat": 500.0, "energy": 400.0, "water": 300.0, "waste": 0.0, "material": 0.0}
# Annuity of 1 EUR over 30 years at 4 %: 0.04 / (1 - 1.04 ** -30) = 0.058 (assumption: a
# pipe's service life and a usual discount rate for public infrastructure).
ANNUITY_FACTOR = 0.04 / (1.0 - 1.04 ** -30)

# Families carried by truck (transport CO2 counted per t.km) and by pipe.
TRUCKED = ("waste", "material")

# Seasons. Waste heat of continuous processes is available all year: its share in the heating
# season (October-April) is 7/12. A demand's share in that season: space heating 0.9 (about
# 90 % of the annual heating degree-days of a French Alpine town fall between October and
# April, Météo-France DJU base 18 °C - assumption from that climate data), hot water 0.6 and
# pools/low-temperature uses 0.6 (a little more in winter), process heat 7/12 (flat), cooling
# 0.2 (mostly summer) - assumptions. The allocation then cannot give a heat source's summer
# heat to space heating: a UVE's summer heat goes to laundries, pools, processes.
FLAT_SUPPLY_WINTER_SHARE = 7.0 / 12.0
DEMAND_WINTER_SHARE = {"space_heating": 0.9, "domestic_hot_water": 0.6, "low_temp_heat": 0.6,
                       "process_heat": 7.0 / 12.0, "cooling": 0.2}

# Confidence and score weights (documented in ``_confidence`` and ``_score``).
TEMP_UNKNOWN_FACTOR = 0.8
HEAT_PUMP_FACTOR = 0.85
FALLBACK_DISTANCE_FACTOR = 0.8
DISTANCE_CONFIDENCE_LOSS = 0.3
SCORE_WEIGHTS = {"size": 0.35, "margin": 0.25, "proximity": 0.2, "confidence": 0.2}
HOUSING_CONFIDENCE = {"existing": 0.6, "future": 0.5}
HOUSING_TEMPERATURE_C = 60.0

# Labels of heat demands in reasons (French, English).
HEAT_USE_LABELS = {
    "space_heating": ("chauffage", "space heating"),
    "domestic_hot_water": ("eau chaude sanitaire", "domestic hot water"),
    "process_heat": ("chaleur de procédé", "process heat"),
    "low_temp_heat": ("chaleur basse température", "low-temperature heat"),
    "cooling": ("froid par absorption", "absorption cooling"),
}

NBSP = "\u00a0"
LP_METHOD = "highs"  # scipy.optimize.linprog method (HiGHS chooses simplex or interior point)


@dataclass
class MatchingParams:
    """Parameters of the method; defaults are the documented values above."""

    temp_margin_k: float | None = None  # overrides every rule's margin when given
    heat_pump: bool = False  # allow heat pumps where a rule permits them
    hp_carnot_efficiency: float = HP_CARNOT_EFFICIENCY
    hp_min_cop: float = HP_MIN_COP
    hp_max_sink_c: float = HP_MAX_SINK_C
    detour_factor: float = DETOUR_FACTOR
    max_distance_m: float | None = None  # global override of the taxonomy radius
    family_max_distance_m: dict = field(default_factory=dict)  # {"heat": 2000, ...} (wins over global)
    min_quantity: float = 0.0  # flows and synergies below this (canonical unit / yr) are ignored
    exclude_same_company: bool = True  # same SIREN (first 9 digits of the SIRET)
    max_candidates: int = 15  # nearest partners kept per flow and rule (each side)
    max_alternatives: int = 3  # alternatives kept per supply and demand resource
    priority_weight: float = 0.5  # weight of a rule = priority_weight ** (priority - 1)
    pipe_cost_eur_per_m: dict = field(default_factory=lambda: dict(PIPE_COST_EUR_PER_M))
    annuity_factor: float = ANNUITY_FACTOR
    heat_network_route_max_m: float = math.inf  # longest route along an existing heat network
    road_families: tuple = TRUCKED  # families whose distances follow a road network (trucks)


@dataclass
class MatchResult:
    synergies: pd.DataFrame
    alternatives: pd.DataFrame
    stats: dict
    messages: list


# --- Formatting (French) --------------------------------------------------------------------
def _round_sig(value: float, digits: int = 2) -> float:
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - int(math.floor(math.log10(abs(value)))))


def fr_number(value, decimals: int = 0) -> str:
    """``1234.5`` → ``"1 234,5"`` (non-breaking space for thousands, decimal comma)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "?"
    text = "{:,.{}f}".format(float(value), decimals)
    return text.replace(",", NBSP).replace(".", ",")


def en_number(value, decimals: int = 0) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "?"
    return "{:,.{}f}".format(float(value), decimals)


def _nice(value: float) -> tuple:
    """(rounded value, decimals): two significant digits, no decimals from 100 up."""
    v = _round_sig(float(value), 2)
    if abs(v) >= 100 or v == int(v):
        return v, 0
    return v, max(0, 1 - int(math.floor(math.log10(abs(v)))))


def fmt_quantity(value: float, unit: str, lang: str = "fr") -> str:
    """Quantity per year, rounded to 2 significant digits: ``1,2 GWh/an``, ``850 MWh/an``,
    ``12 000 t/an``, ``3 400 m³/an``."""
    num = fr_number if lang == "fr" else en_number
    per = "/an" if lang == "fr" else "/yr"
    if unit == "MWh" and abs(value) >= 1000:
        v, d = _nice(value / 1000.0)
        return "{} GWh{}".format(num(v, d), per).replace(" GWh", NBSP + "GWh")
    v, d = _nice(value)
    shown = {"m3": "m³"}.get(unit, unit)
    return "{}{}{}{}".format(num(v, d), NBSP, shown, per)


def fmt_distance(metres: float, lang: str = "fr") -> str:
    """``850 m`` (rounded to 10 m) or ``3,2 km`` (one decimal below 10 km)."""
    num = fr_number if lang == "fr" else en_number
    if not math.isfinite(metres):
        return "?"
    if metres < 1000:
        return "{}{}m".format(num(math.floor(metres / 10.0 + 0.5) * 10.0, 0), NBSP)
    km = metres / 1000.0
    return "{}{}km".format(num(km, 1 if km < 10 else 0), NBSP)


def fmt_temp(celsius: float, lang: str = "fr") -> str:
    num = fr_number if lang == "fr" else en_number
    return "{}{}°C".format(num(round(celsius), 0), NBSP)


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


def _num(value, default=np.nan) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return default
    return v if math.isfinite(v) else default


def _is_true(value) -> bool:
    if value is None:
        return False
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return bool(value) and not (isinstance(value, float) and math.isnan(value))
    return str(value).strip().lower() in ("1", "true", "t", "yes", "y", "oui", "vrai")


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
    label_col = lower.get("libelle")
    insee_col = lower.get("insee")
    names = []
    for _, row in z.iterrows():
        label = str(row[label_col]).strip() if label_col and pd.notna(row[label_col]) and str(row[label_col]).strip() else ""
        where = str(row[insee_col]).strip() if insee_col and pd.notna(row[insee_col]) else ""
        if label and where:
            names.append("logements de la zone {} ({})".format(label, where))
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


def _prepare_flows(flows: pd.DataFrame, taxonomy_map: dict, params: MatchingParams, stats: dict) -> pd.DataFrame:
    """Normalise the flows table; drop (and count) the rows the method cannot use."""
    f = flows.copy()
    for col in ("flow_id", "siret", "name", "direction", "resource", "family", "unit", "zone_id"):
        if col not in f.columns:
            f[col] = None
    for col in ("quantity", "temperature_c", "confidence", "x", "y"):
        f[col] = pd.to_numeric(f[col], errors="coerce") if col in f.columns else np.nan
    if "is_future" not in f.columns:
        f["is_future"] = False
    if "is_housing" not in f.columns:
        f["is_housing"] = False
    f["is_future"] = f["is_future"].map(_is_true)
    f["is_housing"] = f["is_housing"].map(_is_true)
    f["radius_m"] = (pd.to_numeric(f["radius_m"], errors="coerce") if "radius_m" in f.columns
                     else pd.Series(0.0, index=f.index)).fillna(0.0).clip(lower=0.0)
    f["direction"] = f["direction"].astype(str).str.strip().str.lower()
    f["resource"] = f["resource"].astype(str).str.strip()
    n0 = len(f)
    bad_dir = ~f["direction"].isin(["supply", "demand"])
    unknown = ~f["resource"].isin(list(taxonomy_map))
    no_qty = ~(f["quantity"] > 0)
    no_pos = ~(np.isfinite(f["x"]) & np.isfinite(f["y"]))
    stats["skipped_bad_direction"] = int(bad_dir.sum())
    stats["skipped_unknown_resource"] = int((unknown & ~bad_dir).sum())
    stats["skipped_no_quantity"] = int((no_qty & ~unknown & ~bad_dir).sum())
    stats["skipped_no_position"] = int((no_pos & ~no_qty & ~unknown & ~bad_dir).sum())
    stats["unknown_resources"] = sorted(set(f.loc[unknown & ~bad_dir, "resource"]))[:20]
    f = f[~(bad_dir | unknown | no_qty | no_pos)].copy()
    below = f["quantity"] < params.min_quantity
    stats["skipped_below_min_quantity"] = int(below.sum())
    f = f[~below].copy()
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


def _column(table: dict, column: str, number: bool = False) -> dict:
    """``{code: value}`` of one taxonomy column (numbers: NaN/None → 0), for ``Series.map``."""
    if number:
        return {code: _num(row.get(column), 0.0) for code, row in table.items()}
    return {code: row.get(column) for code, row in table.items()}


def heat_pump_cop(supply_c, demand_c, carnot_efficiency: float = HP_CARNOT_EFFICIENCY):
    """COP of a heat pump lifting a source at ``supply_c`` to a sink at ``demand_c`` (°C):
    ``carnot_efficiency × T_cond / (T_cond − T_evap)``, T_cond = demand + 5 K, T_evap =
    supply − 5 K, in kelvin; capped at 8."""
    t_cond = np.asarray(demand_c, dtype=float) + HP_APPROACH_K + 273.15
    t_evap = np.asarray(supply_c, dtype=float) - HP_APPROACH_K + 273.15
    lift = np.maximum(t_cond - t_evap, 1.0)
    return np.minimum(carnot_efficiency * t_cond / lift, HP_MAX_COP)


# --- Allocation ------------------------------------------------------------------------------------
def allocate(s_idx, d_idx, eff, upper, gain, cap_s, cap_d, feedback=None, max_lp_size: int = 100_000,
             winter_edge=None, winter_supply=None) -> np.ndarray:
    """Maximise ``Σ gain_e · x_e`` subject to ``Σ_e∈s x_e ≤ cap_s`` (supply units),
    ``Σ_e∈d eff_e · x_e ≤ cap_d`` (demand units), ``0 ≤ x_e ≤ upper_e``, and, for supplies with
    a finite ``winter_supply`` share w (flat heat sources), the two seasons:
    ``Σ σ_e x_e ≤ w · cap_s`` and ``Σ (1 − σ_e) x_e ≤ (1 − w) · cap_s`` with σ_e =
    ``winter_edge`` (share of the demand's heat needed in the heating season).

    Edges are split into connected components of the supply-demand graph; a component of
    one edge is solved in closed form, the others by ``linprog`` (HiGHS), several small
    components per call (up to ``max_lp_size`` edges). Returns ``x``.
    """
    s_idx = np.asarray(s_idx, dtype=np.int64)
    d_idx = np.asarray(d_idx, dtype=np.int64)
    n = len(s_idx)
    x = np.zeros(n)
    if n == 0:
        return x
    eff = np.asarray(eff, dtype=float)
    upper = np.asarray(upper, dtype=float)
    gain = np.asarray(gain, dtype=float)
    cap_s = np.asarray(cap_s, dtype=float)
    cap_d = np.asarray(cap_d, dtype=float)
    sigma = np.full(n, np.nan) if winter_edge is None else np.asarray(winter_edge, dtype=float)
    w_sup = np.full(len(cap_s), np.nan) if winter_supply is None else np.asarray(winter_supply, dtype=float)
    ns = int(s_idx.max()) + 1
    nd = int(d_idx.max()) + 1
    g = sparse.coo_matrix((np.ones(n), (s_idx, ns + d_idx)), shape=(ns + nd, ns + nd))
    _, label = connected_components(g, directed=False)
    comp = label[s_idx]
    comp_size = np.bincount(comp)
    single = comp_size[comp] == 1
    e = np.flatnonzero(single)
    x[e] = np.minimum(upper[e], np.minimum(cap_s[s_idx[e]], cap_d[d_idx[e]] / eff[e]))
    x[e] = np.minimum(x[e], seasonal_cap(cap_s[s_idx[e]], w_sup[s_idx[e]], sigma[e]))
    # Components too large for an LP in reasonable time (only in territories of ~100k
    # establishments and more): greedy, best gain per unit first, same constraints.
    giant = ~single & (comp_size[comp] > max_lp_size)
    if giant.any():
        e = np.flatnonzero(giant)
        x[e] = _greedy(s_idx[e], d_idx[e], eff[e], upper[e], gain[e], cap_s.copy(), cap_d.copy(), sigma[e], w_sup)
        if feedback is not None:
            feedback.info(tr("{} candidate pairs in very large connected groups were allocated greedily (best "
                             "benefit first) instead of by linear programming.").format(len(e)))
    multi = np.flatnonzero(~single & ~giant)
    if not len(multi):
        return x
    order = multi[np.argsort(comp[multi], kind="stable")]
    comps_sorted = comp[order]
    starts = np.flatnonzero(np.r_[True, comps_sorted[1:] != comps_sorted[:-1]])
    ends = np.r_[starts[1:], len(order)]
    pos = 0
    while pos < len(starts):
        # a batch of whole components up to max_lp_size edges (at least one component)
        end = pos + 1
        while end < len(starts) and ends[end] - starts[pos] <= max_lp_size:
            end += 1
        edges = order[starts[pos]:ends[end - 1]]
        if feedback is not None:
            feedback.check_cancelled()
        x[edges] = _solve_lp(s_idx[edges], d_idx[edges], eff[edges], upper[edges], gain[edges], cap_s, cap_d,
                             sigma[edges], w_sup)
        pos = end
    return x


def seasonal_cap(cap_s, w, sigma) -> np.ndarray:
    """Largest annual quantity one demand of winter share ``sigma`` can take from a flat source
    of winter share ``w`` (inf where either is unknown)."""
    cap_s = np.asarray(cap_s, dtype=float)
    w = np.asarray(w, dtype=float)
    sigma = np.asarray(sigma, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        winter = np.where(sigma > 0, w * cap_s / sigma, np.inf)
        summer = np.where(sigma < 1, (1 - w) * cap_s / (1 - sigma), np.inf)
    cap = np.minimum(winter, summer)
    return np.where(np.isfinite(w) & np.isfinite(sigma), cap, np.inf)


def _solve_lp(s, d, eff, upper, gain, cap_s, cap_d, sigma, w_sup) -> np.ndarray:
    m = len(s)
    us, s_local = np.unique(s, return_inverse=True)
    ud, d_local = np.unique(d, return_inverse=True)
    cols = np.arange(m)
    blocks = [sparse.csr_matrix((np.ones(m), (s_local, cols)), shape=(len(us), m)),
              sparse.csr_matrix((eff, (d_local, cols)), shape=(len(ud), m))]
    rhs = [cap_s[us], cap_d[ud]]
    seasonal = np.isfinite(sigma) & np.isfinite(w_sup[s])
    if seasonal.any():
        e = np.flatnonzero(seasonal)
        rows, row_of = np.unique(s_local[e], return_inverse=True)
        w = w_sup[us[rows]]
        for coef, share in ((sigma[e], w), (1.0 - sigma[e], 1.0 - w)):
            blocks.append(sparse.csr_matrix((coef, (row_of, e)), shape=(len(rows), m)))
            rhs.append(share * cap_s[us[rows]])
    a = sparse.vstack(blocks).tocsr()
    b = np.concatenate(rhs)
    res = linprog(-gain, A_ub=a, b_ub=b, bounds=np.column_stack([np.zeros(m), upper]), method=LP_METHOD)
    if res.status != 0 or res.x is None:  # pragma: no cover - HiGHS solves these bounded LPs
        return _greedy(s_local, d_local, eff, upper, gain, cap_s[us].copy(), cap_d[ud].copy(), sigma, w_sup[us])  # noqa: E501
    x = np.clip(res.x, 0.0, upper)
    x[x < 1e-9 * np.maximum(upper, 1.0)] = 0.0
    return x


def _greedy(s, d, eff, upper, gain, cap_s, cap_d, sigma, w_sup) -> np.ndarray:
    """Best gain first under the same constraints as the LP (supply, demand, seasons). Used
    for very large components and as a fallback. Plain Python lists: ~1 µs per pair."""
    order = np.lexsort((np.arange(len(s)), -np.asarray(gain)))
    s_l, d_l = np.asarray(s)[order].tolist(), np.asarray(d)[order].tolist()
    eff_l, up_l = np.asarray(eff)[order].tolist(), np.asarray(upper)[order].tolist()
    sg_l = np.nan_to_num(np.asarray(sigma, dtype=float)[order], nan=-1.0).tolist()
    cs, cd = np.asarray(cap_s, dtype=float).tolist(), np.asarray(cap_d, dtype=float).tolist()
    w = np.asarray(w_sup, dtype=float)
    ok_w = np.isfinite(w)
    winter = np.where(ok_w, np.where(ok_w, w, 0) * np.asarray(cap_s), np.inf).tolist()
    summer = np.where(ok_w, (1 - np.where(ok_w, w, 0)) * np.asarray(cap_s), np.inf).tolist()
    out = [0.0] * len(s_l)
    for k in range(len(s_l)):
        a, b, e, sg = s_l[k], d_l[k], eff_l[k], sg_l[k]
        q = min(up_l[k], cs[a], cd[b] / e)
        if sg >= 0.0:
            if sg > 0.0:
                q = min(q, winter[a] / sg)
            if sg < 1.0:
                q = min(q, summer[a] / (1.0 - sg))
        if q <= 0.0:
            continue
        out[k] = q
        cs[a] -= q
        cd[b] -= q * e
        if sg >= 0.0:
            winter[a] -= sg * q
            summer[a] -= (1.0 - sg) * q
    x = np.zeros(len(s_l))
    x[order] = out
    return x


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
    if housing is not None and len(housing):
        flows = pd.concat([flows, housing], ignore_index=True, sort=False)
    stats["housing_demands"] = 0 if housing is None else len(housing)
    f = _prepare_flows(flows, tax, params, stats)
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
    s_flow = cand["s"].to_numpy()
    d_flow = cand["d"].to_numpy()
    s_codes, s_local = np.unique(s_flow, return_inverse=True)
    d_codes, d_local = np.unique(d_flow, return_inverse=True)
    qty = f["quantity"].to_numpy()
    eff_total = cand["eff_total"].to_numpy()
    q_max = cand["q_max"].to_numpy()
    gain = (cand["benefit_unit"] * cand["weight"]).to_numpy()
    unit_net = (cand["value_unit"] - cand["transport_unit"]).to_numpy()
    fixed = cand["fixed_eur"].to_numpy()
    sigma = cand["winter_share"].to_numpy(dtype=float)
    w_supply = np.where(f["family"].to_numpy()[s_codes] == "heat", FLAT_SUPPLY_WINTER_SHARE, np.nan)
    # The pipe annuity is spread over the largest quantity a pair could exchange; a pair the LP
    # fills only partly may not pay for its pipe: ban it and solve again (a few rounds).
    banned = np.zeros(len(cand), dtype=bool)
    ns = len(s_codes)
    graph = sparse.coo_matrix((np.ones(len(cand)), (s_local, ns + d_local)), shape=(ns + len(d_codes),) * 2)
    comp = connected_components(graph, directed=False)[1][s_local]
    x = np.zeros(len(cand))
    redo = np.ones(len(cand), dtype=bool)  # round 1: everything; then only the components that changed
    for _round in range(4):
        active = np.flatnonzero(redo & ~banned)
        x[redo] = 0.0
        x[active] = allocate(s_local[active], d_local[active], eff_total[active], q_max[active], gain[active],
                             qty[s_codes], qty[d_codes], feedback=feedback, winter_edge=sigma[active],
                             winter_supply=w_supply)
        bad = (x > 0) & ((x * unit_net - fixed <= 0) | (x < params.min_quantity))
        if not bad.any():
            break
        banned |= bad
        redo = np.isin(comp, np.unique(comp[bad]))
    stats["allocation_rounds"] = _round + 1
    cand["x"] = x
    cand["banned"] = banned
    timings["allocation_s"] = time.perf_counter() - t3
    feedback.set_progress(80)

    t4 = time.perf_counter()
    cand = checks.hierarchy_flags(cand, compatibility)
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


def _economics(cand, f, tax, factors, params, stats) -> pd.DataFrame:
    """Per supply unit: value, transport, heat pump, pipe annuity; keep positive benefits."""
    qty = f["quantity"].to_numpy(dtype=float)
    eff = cand["efficiency"].astype(float).to_numpy()
    cop = cand["cop"].to_numpy(dtype=float)
    hp = cand["heat_pump_used"].to_numpy(dtype=bool)
    # heat pump: demand receives COP/(COP-1) per unit recovered, electricity 1/(COP-1)
    boost = np.where(hp, cop / np.maximum(cop - 1.0, 1e-9), 1.0)
    eff_total = eff * boost
    elec_per_unit = np.where(hp, eff / np.maximum(cop - 1.0, 1e-9), 0.0)
    v_d = reach.mapped(cand["demand_resource"], _column(tax, "value_eur_per_unit", True)).astype(float)
    v_s = reach.mapped(cand["supply_resource"], _column(tax, "value_eur_per_unit", True)).astype(float)
    fam = cand["family"].to_numpy()
    t_s = reach.mapped(cand["supply_resource"], _column(tax, "transport_eur_per_unit_km", True)).astype(float)
    # Avoided disposal cost counts for wastes only: for heat, energy and water supplies the value
    # is the resource displaced on the demand side (counting both would count it twice).
    value_unit = eff_total * v_d + np.where(fam == "waste", v_s, 0.0) - elec_per_unit * factors["electricity_price_eur"]
    # Along an existing heat network the heat is the network's to carry: only the new connections
    # cost (the brief's "connection to an existing heat network counts only the distance to it").
    carried = np.where(cand["distance_kind"].to_numpy() == "heat_network", cand["build_m"].to_numpy(),
                       cand["route_m"].to_numpy())
    transport_unit = t_s * carried / 1000.0
    pipe = pd.Series(fam).map(params.pipe_cost_eur_per_m).fillna(0.0).to_numpy(dtype=float) * params.annuity_factor
    fixed = pipe * cand["build_m"].to_numpy()
    q_s = qty[cand["s"].to_numpy()]
    q_d = qty[cand["d"].to_numpy()]
    heat_pair = (fam == "heat") & (cand["family_demand"].to_numpy() == "heat")
    sigma = np.where(heat_pair, reach.mapped(cand["demand_resource"], DEMAND_WINTER_SHARE).astype(float), np.nan)
    w_sup = np.where(heat_pair, FLAT_SUPPLY_WINTER_SHARE, np.nan)
    q_max = np.minimum(np.minimum(q_s, q_d / eff_total), seasonal_cap(q_s, w_sup, sigma))
    benefit = value_unit - transport_unit - fixed / np.maximum(q_max, 1e-9)
    weight = params.priority_weight ** (cand["priority"].astype(float).fillna(1.0).to_numpy() - 1.0)
    cand = cand.assign(eff_total=eff_total, elec_per_unit=elec_per_unit, winter_share=sigma, value_unit=value_unit,
                       transport_unit=transport_unit, fixed_eur=fixed, q_max=q_max, benefit_unit=benefit,
                       weight=weight)
    ok = (benefit > 0) & (q_max > 0)
    stats["not_profitable"] = int((~ok).sum())
    return cand[ok].reset_index(drop=True)


# --- Outputs --------------------------------------------------------------------------------------------
def _output_columns() -> list:
    from .fields import SYNERGY_FIELDS, names

    return [*names(SYNERGY_FIELDS), "x1", "y1", "x2", "y2"]


def _empty_result() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in _output_columns()})


def _confidence(conf_s, conf_d, route, radius, kind, hp_used, temp_assumed) -> np.ndarray:
    """Confidence 0-1 = √(conf_supply × conf_demand) × (1 − 0.3 × route / longest route allowed)
    × 0.8 if the distance is a straight-line fallback × 0.85 if a heat pump is needed
    × 0.8 if the supply temperature was assumed."""
    c = np.sqrt(np.clip(conf_s, 0, 1) * np.clip(conf_d, 0, 1))
    c = c * (1.0 - DISTANCE_CONFIDENCE_LOSS * np.clip(route / np.maximum(radius, 1.0), 0.0, 1.0))
    c = c * np.where(kind == "straight_fallback", FALLBACK_DISTANCE_FACTOR, 1.0)
    c = c * np.where(hp_used, HEAT_PUMP_FACTOR, 1.0)
    c = c * np.where(temp_assumed, TEMP_UNKNOWN_FACTOR, 1.0)
    return np.clip(c, 0.0, 1.0)


def _score(net_eur, value_eur, build, radius, confidence) -> np.ndarray:
    """Score 0-1 = 0.35 size + 0.25 margin + 0.2 proximity + 0.2 confidence, with size =
    log10(1 + net benefit EUR/yr) / 6 (1 MEUR/yr → 1), margin = net benefit / gross value,
    proximity = 1 − length to build / longest route allowed (search radius × detour factor)."""
    size = np.clip(np.log10(1.0 + np.maximum(net_eur, 0.0)) / 6.0, 0.0, 1.0)
    margin = np.clip(net_eur / np.maximum(value_eur, 1e-9), 0.0, 1.0)
    proximity = 1.0 - np.clip(build / np.maximum(radius, 1.0), 0.0, 1.0)
    w = SCORE_WEIGHTS
    return np.round(w["size"] * size + w["margin"] * margin + w["proximity"] * proximity
                    + w["confidence"] * confidence, 4)


_TO_FR = str.maketrans({",": NBSP, ".": ","})


def _nice_array(values: np.ndarray) -> tuple:
    """Two significant digits, vectorised: (rounded values, decimals per value)."""
    v = np.asarray(values, dtype=float)
    mag = np.floor(np.log10(np.where(np.abs(v) > 0, np.abs(v), 1.0)))
    scale = 10.0 ** (mag - 1)
    r = np.round(v / scale) * scale
    dec = np.where((np.abs(r) >= 100) | (r == np.round(r)), 0, np.maximum(0, 1 - mag)).astype(int)
    return r, dec


def _fmt_numbers(values, decimals, lang: str) -> list:
    out = []
    for v, d in zip(values, decimals):
        if not math.isfinite(v):
            out.append("?")
            continue
        text = "{:,.{}f}".format(v, int(d))
        out.append(text.translate(_TO_FR) if lang == "fr" else text)
    return out


def fmt_quantities(values, units, lang: str = "fr") -> list:
    """Vectorised ``fmt_quantity``."""
    v = np.asarray(values, dtype=float)
    units = np.asarray(units, dtype=object)
    giga = (units == "MWh") & (np.abs(v) >= 1000)
    r, dec = _nice_array(np.where(giga, v / 1000.0, v))
    nums = _fmt_numbers(r, dec, lang)
    per = "/an" if lang == "fr" else "/yr"
    shown = np.where(giga, "GWh", np.where(units == "m3", "m³", units))
    return ["{}{}{}{}".format(n, NBSP, u, per) for n, u in zip(nums, shown)]


def fmt_distances(metres, lang: str = "fr") -> list:
    """Vectorised ``fmt_distance``."""
    m_ = np.asarray(metres, dtype=float)
    small = m_ < 1000
    value = np.where(small, np.floor(m_ / 10.0 + 0.5) * 10.0, m_ / 1000.0)
    dec = np.where(small | (value >= 10), 0, 1)
    nums = _fmt_numbers(value, dec, lang)
    return ["{}{}{}".format(n, NBSP, "m" if sm else "km") for n, sm in zip(nums, small)]


def _route_phrases(kind, route, build, detour: float, lang: str) -> list:
    dist = fmt_distances(route, lang)
    shown = np.flatnonzero(np.asarray(kind, dtype=object) == "heat_network")  # connection shown there only
    conn = dict(zip(shown, fmt_distances(np.asarray(build, dtype=float)[shown], lang)))
    if lang == "fr":
        d = fr_number(detour, 1)
        templates = {"heat_network": "à {} par le réseau de chaleur existant ({} de raccordement à créer)",
                     "network": "à {} par la voirie",
                     "straight_fallback": "à {} (vol d'oiseau × " + d + " : réseau non relié)",
                     "straight": "à {} (vol d'oiseau × " + d + ")"}
    else:
        d = en_number(detour, 1)
        templates = {"heat_network": "{} away through the existing heat network ({} of new connection)",
                     "network": "{} away by road",
                     "straight_fallback": "{} away (straight line x " + d + ": network not connected)",
                     "straight": "{} away (straight line x " + d + ")"}
    return [templates.get(k, templates["straight"]).format(a, conn.get(i, "")) for i, (k, a) in enumerate(zip(kind, dist))]


def _cap_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _de(name: str) -> str:
    """'de' + name with French contraction: "des logements…", "d'Aciérie…", "de Laiterie…"."""
    if name.startswith("logements"):
        return "des " + name
    if name[:1] in "AEIOUYÂÉÈÊÎÔaeiouyâéèêîô":
        return "d'" + name
    return "de " + name


def _article(name: str) -> str:
    return "les " + name if name.startswith("logements") else name


def reasons(out: pd.DataFrame, tax: dict, detour: float, lang: str = "fr") -> list:
    """One sentence per synergy a planner can read, e.g. (French) "Chaleur fatale à 85 °C de
    Fromagerie X (1,2 GWh/an) → chauffage à 60 °C des logements de la zone 1AUh à 850 m par le
    réseau de chaleur existant (120 m de raccordement à créer)". ``out`` holds the synergy
    columns (``resource_supply``, ``quantity``, ``distance_kind``, ``route_length_m``...)."""
    n = len(out)
    if n == 0:
        return []
    fr = lang == "fr"
    q = fmt_quantities(out["quantity"].to_numpy(dtype=float), out["unit"].to_numpy(dtype=object), lang)
    route = _route_phrases(out["distance_kind"].to_numpy(dtype=object), out["route_length_m"].to_numpy(dtype=float),
                           out["distance_m"].to_numpy(dtype=float), detour, lang)
    ts, td, cop, elec = ([""] * n for _ in range(4))
    heat = np.flatnonzero(out["family"].to_numpy(dtype=object) == "heat")  # only format what is shown
    hp = np.flatnonzero(out["heat_pump_used"].to_numpy(dtype=bool))
    for target, column, rows in ((ts, "supply_temperature_c", heat), (td, "demand_temperature_c", heat)):
        for i, text in zip(rows, _fmt_numbers(np.round(out[column].to_numpy(dtype=float)[rows]), np.zeros(len(rows)),
                                              lang)):
            target[i] = text
    for i, text in zip(hp, _fmt_numbers(out["cop"].to_numpy(dtype=float)[hp], np.ones(len(hp)), lang)):
        cop[i] = text
    for i, text in zip(hp, fmt_quantities(out["hp_electricity_mwh"].to_numpy(dtype=float)[hp],
                                          np.full(len(hp), "MWh", dtype=object), lang)):
        elec[i] = text
    label_col = "label_fr" if fr else "label_en"
    labels = {code: (row.get(label_col) or row.get("label_fr") or code) for code, row in tax.items()}
    texts = []
    cols = zip(out["resource_supply"], out["resource_demand"], out["family"], out["supplier_name"],
               out["receiver_name"], out["heat_pump_used"], out["is_future"], q, route, ts, td, cop, elec)
    for rs, rd, fam, sup, rec, hp, fut, qq, rr, t1, t2, c, e in cols:
        s_label = _cap_first(labels.get(rs, rs))
        if fr:
            if fam == "heat" and rd in HEAT_USE_LABELS:
                text = "{} à {}{}°C {} ({}) → {} à {}{}°C {} {}".format(
                    s_label, t1, NBSP, _de(sup), qq, HEAT_USE_LABELS[rd][0], t2, NBSP, _de(rec), rr)
                if hp:
                    text += " via une pompe à chaleur (COP {} ; {} d'électricité)".format(c, e)
            else:
                d_label = labels.get(rd, rd)
                text = "{} {} ({}) → {} pour {} {}".format(
                    s_label, _de(sup), qq, d_label[:1].lower() + d_label[1:], _article(rec), rr)
            if fut:
                text += " — zone à urbaniser (projet futur)"
        else:
            rec_en = rec.replace("logements de la zone", "housing of zone")
            if fam == "heat" and rd in HEAT_USE_LABELS:
                text = "{} at {}{}°C from {} ({}) → {} at {}{}°C for {}, {}".format(
                    s_label, t1, NBSP, sup, qq, HEAT_USE_LABELS[rd][1], t2, NBSP, rec_en, rr)
                if hp:
                    text += " via a heat pump (COP {}; {} of electricity)".format(c, e)
            else:
                d_label = labels.get(rd, rd)
                text = "{} from {} ({}) → {} for {}, {}".format(
                    s_label, sup, qq, d_label[:1].lower() + d_label[1:], rec_en, rr)
            if fut:
                text += " — zone to be urbanised (future project)"
        texts.append(text)
    return texts


NOTES = {
    "too_small": "Part de la ressource encore disponible trop faible pour payer le raccordement, ou sous le minimum.",
    "supply_taken": "Ressource déjà entièrement attribuée à une autre synergie plus intéressante.",
    "winter_taken": "Chaleur de la saison de chauffe déjà attribuée à une autre synergie plus intéressante (le reste "
                    "est de la chaleur d'été, sans usage pour ce besoin).",
    "demand_covered": "Besoin déjà couvert par une autre synergie plus intéressante.",
    "less_good": "Moins intéressante que les synergies retenues pour ces flux.",
}


def _finish(cand, f, tax, factors, params, stats):
    """Build the synergy and alternative tables (impacts, confidence, score, reason, rank)."""
    s, d = cand["s"].to_numpy(), cand["d"].to_numpy()
    x = cand["x"].to_numpy()
    qty = f["quantity"].to_numpy(dtype=float)
    eff_total = cand["eff_total"].to_numpy()
    fixed = cand["fixed_eur"].to_numpy()
    unit_net = cand["value_unit"].to_numpy() - cand["transport_unit"].to_numpy()
    # actual figures at the allocated quantity (alternatives: at the largest possible quantity)
    allocated = x > 0
    banned = cand["banned"].to_numpy(dtype=bool)
    q_out = np.where(allocated, x, cand["q_max"].to_numpy())
    net = q_out * unit_net - fixed
    viable = allocated & (net > 0) & (q_out >= params.min_quantity)
    stats["dropped_after_allocation"] = int((allocated & ~viable).sum())
    rem_s, rem_d = qty.copy(), qty.copy()
    np.subtract.at(rem_s, s[viable], x[viable])
    np.subtract.at(rem_d, d[viable], x[viable] * eff_total[viable])
    sigma = cand["winter_share"].to_numpy(dtype=float)
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
        w = (cand["benefit_unit"] * cand["weight"]).to_numpy()[alt_idx]
        use = (use_all := pd.factorize(cand["demand_resource"])[0])[alt_idx]
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
    keep = np.concatenate([np.flatnonzero(viable), alt_idx])
    frame = _impact_frame(cand.iloc[keep].reset_index(drop=True), f, tax, factors, params, q_out[keep], net[keep])
    frame["status"] = np.where(viable[keep], "allocated", "alternative")
    frame["note"] = note_text[note_code[keep]]
    syn = _rank_and_ids(frame[frame["status"] == "allocated"].copy(), "SYN")
    stats.update(checks.counts(syn))
    alt = _rank_and_ids(frame[frame["status"] == "alternative"].copy(), "ALT")
    cols = _output_columns()
    return syn[cols].reset_index(drop=True), alt[cols].reset_index(drop=True)


def _rank_and_ids(frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
    frame = frame.sort_values(["score", "net_benefit_eur", "supply_flow_id", "demand_flow_id"],
                              ascending=[False, False, True, True], kind="mergesort").reset_index(drop=True)
    frame["rank"] = np.arange(1, len(frame) + 1)
    width = max(4, len(str(len(frame))))
    frame["synergy_id"] = ["{}-{:0{}d}".format(prefix, i, width) for i in frame["rank"]]
    return frame


def _impact_frame(cand, f, tax, factors, params, q, net) -> pd.DataFrame:
    s, d = cand["s"].to_numpy(), cand["d"].to_numpy()
    fam = cand["family"].to_numpy()
    fam_d = cand["family_demand"].to_numpy()
    eff_total = cand["eff_total"].to_numpy()
    delivered = q * eff_total
    route = cand["route_m"].to_numpy()
    build = cand["build_m"].to_numpy()
    hp = cand["heat_pump_used"].to_numpy(dtype=bool)
    elec = q * cand["elec_per_unit"].to_numpy()
    co2_d = cand["demand_resource"].map(_column(tax, "co2_kg_per_unit_substituted", True)).to_numpy(dtype=float)
    truck_kg = np.where(np.isin(fam, TRUCKED), q * route / 1000.0 * factors["truck_co2_kg_per_tkm"], 0.0)
    co2 = (delivered * co2_d - truck_kg - elec * factors["electricity_co2_kg"]) / 1000.0
    rd = cand["demand_resource"].to_numpy(dtype=object)
    combustion = (fam_d == "heat") & (rd != "cooling")
    value_eur = q * cand["value_unit"].to_numpy()
    transport_eur = q * cand["transport_unit"].to_numpy() + cand["fixed_eur"].to_numpy()
    conf_s, conf_d = (f["confidence"].to_numpy(dtype=float)[i] for i in (s, d))
    reach = cand["reach_m"].to_numpy(dtype=float)
    kind_dist = cand["distance_kind"].to_numpy(dtype=object)
    temp_assumed = f["temp_assumed"].to_numpy(dtype=bool)[s] & (fam == "heat")
    is_housing = f["is_housing"].to_numpy(dtype=bool)[d]
    same_point, better, factor = checks.pair_flags(cand, f, s, d, is_housing)
    confidence = np.round(_confidence(conf_s, conf_d, route, reach, kind_dist, hp, temp_assumed) * factor, 3)
    score = _score(net, value_eur, build, reach, confidence)
    kind = np.where(is_housing & (fam_d == "heat"), "housing_heat", cand["kind"].to_numpy(dtype=object))
    xy = f[["x", "y"]].to_numpy(dtype=float)
    zone = f["zone_id"].to_numpy(dtype=object)
    temps = f["temperature_c"].to_numpy(dtype=float)
    labels = f["label"].to_numpy(dtype=object)
    units = f["unit"].to_numpy(dtype=object)
    out = pd.DataFrame({
        "kind": kind,
        "supply_flow_id": f["flow_id"].to_numpy(dtype=object)[s],
        "demand_flow_id": f["flow_id"].to_numpy(dtype=object)[d],
        "supplier_siret": f["siret"].to_numpy(dtype=object)[s],
        "receiver_siret": f["siret"].to_numpy(dtype=object)[d],
        "receiver_zone": zone[d],
        "resource_supply": cand["supply_resource"].to_numpy(dtype=object),
        "resource_demand": rd,
        "quantity": np.round(q, 3),
        "unit": units[s],
        "distance_m": np.round(build, 1),
        "distance_kind": kind_dist,
        "score": score,
        "co2_avoided_t": np.round(co2, 3),
        "family": fam,
        "confidence": confidence,
        "is_future": f["is_future"].to_numpy(dtype=bool)[d],
        "supplier_name": labels[s],
        "receiver_name": labels[d],
        "supplier_zone": zone[s],
        "quantity_demand": np.round(delivered, 3),
        "unit_demand": units[d],
        "supply_temperature_c": np.where(fam == "heat", temps[s], np.nan),
        "demand_temperature_c": np.where(fam_d == "heat", temps[d], np.nan),
        "route_length_m": np.round(route, 1),
        "straight_m": np.round(cand["straight_m"].to_numpy(), 1),
        "efficiency": np.round(eff_total, 4),
        "heat_pump_used": hp,
        "cop": np.round(cand["cop"].to_numpy(dtype=float), 2),
        "hp_electricity_mwh": np.round(elec, 3),
        "mwh_recovered": np.round(np.where(units[s] == "MWh", q, 0.0), 3),
        "tonnes_diverted": np.round(np.where(fam == "waste", q, 0.0), 3),
        "pm10_avoided_kg": np.round(np.where(combustion, delivered * factors["heat"]["pm10_g"] / 1000.0, 0.0), 3),
        "nox_avoided_kg": np.round(np.where(combustion, delivered * factors["heat"]["nox_g"] / 1000.0, 0.0), 3),
        "value_eur": np.round(value_eur, 0),
        "transport_cost_eur": np.round(transport_eur, 0),
        "net_benefit_eur": np.round(net, 0),
        "priority": cand["priority"].to_numpy(),
        "x1": xy[s, 0], "y1": xy[s, 1], "x2": xy[d, 0], "y2": xy[d, 1],
    })
    out["reason"] = reasons(out, tax, params.detour_factor, "fr")
    out["reason_en"] = reasons(out, tax, params.detour_factor, "en")
    checks.warn(out, same_point, better, tax)
    return out
