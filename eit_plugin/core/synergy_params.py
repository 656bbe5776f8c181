"""Constants, parameters and result of the synergy detection (``core.matching``), each
constant documented where it is defined."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

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

# Nearest partners kept per flow and compatibility rule (see ``core.reach.knn_pairs``): each
# supply keeps its MAX_CANDIDATES nearest demands of the rule within its reach, each demand its
# MAX_CANDIDATES nearest supplies, and the two lists are joined. The candidate pairs, and with them
# the time and memory of the whole step, then grow linearly with the number of flows (at most
# 2 × MAX_CANDIDATES pairs per flow and rule) instead of with the square of the density. 15: on
# the shipped sample the allocated benefit stays within 0.05 % of the unbounded search; on the
# 100k-establishment bench territory 40 would add 2 % for twice the pairs (docs/adr/0017).
MAX_CANDIDATES = 15

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
    max_candidates: int = MAX_CANDIDATES  # nearest partners kept per flow and rule (each side)
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


def _column(table: dict, column: str, number: bool = False) -> dict:
    """``{code: value}`` of one taxonomy column (numbers: NaN/None → 0), for ``Series.map``."""
    if number:
        return {code: _num(row.get(column), 0.0) for code, row in table.items()}
    return {code: row.get(column) for code, row in table.items()}
