"""Economics, confidence, score and impacts of candidate pairs (steps 5 and 7 of
``core.matching``)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import synergy_checks as checks
from .allocation import seasonal_cap
from .synergy_params import (
    DEMAND_WINTER_SHARE,
    DISTANCE_CONFIDENCE_LOSS,
    FALLBACK_DISTANCE_FACTOR,
    FLAT_SUPPLY_WINTER_SHARE,
    HEAT_PUMP_FACTOR,
    HP_APPROACH_K,
    HP_CARNOT_EFFICIENCY,
    HP_MAX_COP,
    SCORE_WEIGHTS,
    TEMP_UNKNOWN_FACTOR,
    TRUCKED,
    _column,
)
from .synergy_texts import reasons

HEAT_NETWORK_KIND = 3  # synergy_candidates.HEAT_NETWORK (that module imports this one)


def heat_pump_cop(supply_c, demand_c, carnot_efficiency: float = HP_CARNOT_EFFICIENCY):
    """COP of a heat pump lifting a source at ``supply_c`` to a sink at ``demand_c`` (°C):
    ``carnot_efficiency × T_cond / (T_cond − T_evap)``, T_cond = demand + 5 K, T_evap =
    supply − 5 K, in kelvin; capped at 8."""
    t_cond = np.asarray(demand_c, dtype=float) + HP_APPROACH_K + 273.15
    t_evap = np.asarray(supply_c, dtype=float) - HP_APPROACH_K + 273.15
    lift = np.maximum(t_cond - t_evap, 1.0)
    return np.minimum(carnot_efficiency * t_cond / lift, HP_MAX_COP)


def _rule_numbers(rules, tax, params) -> dict:
    """Per rule (``Pairs.rules``): the taxonomy numbers the economics need."""
    fam = rules["family"].to_numpy(dtype=object)
    heat_pair = rules["_heat"].to_numpy(dtype=bool)
    return {
        "v_d": rules["demand_resource"].map(_column(tax, "value_eur_per_unit", True)).to_numpy(dtype=float),
        "v_s": rules["supply_resource"].map(_column(tax, "value_eur_per_unit", True)).to_numpy(dtype=float),
        "t_s": rules["supply_resource"].map(_column(tax, "transport_eur_per_unit_km", True)).to_numpy(dtype=float),
        "waste": fam == "waste",
        "pipe": pd.Series(fam).map(params.pipe_cost_eur_per_m).fillna(0.0).to_numpy(dtype=float) * params.annuity_factor,
        "sigma": np.where(heat_pair, rules["demand_resource"].map(DEMAND_WINTER_SHARE).to_numpy(dtype=float), np.nan),
        "weight": params.priority_weight ** (rules["_priority"].fillna(1.0).to_numpy(dtype=float) - 1.0),
    }


def _economics(cand, f, tax, factors, params, stats):
    """Per supply unit: value, transport, heat pump, pipe annuity; keep positive benefits.
    O(P) in the candidate pairs (``synergy_candidates.Pairs``; taxonomy looked up per rule)."""
    qty = f["quantity"].to_numpy(dtype=float)
    rule = cand["rule"]
    per_rule = _rule_numbers(cand.rules, tax, params)
    eff = cand.rule_values("_efficiency").astype(float)
    cop = cand["cop"].astype(float)
    hp = cand["heat_pump_used"].astype(bool)
    # heat pump: demand receives COP/(COP-1) per unit recovered, electricity 1/(COP-1)
    boost = np.where(hp, cop / np.maximum(cop - 1.0, 1e-9), 1.0)
    eff_total = eff * boost
    elec_per_unit = np.where(hp, eff / np.maximum(cop - 1.0, 1e-9), 0.0)
    # Avoided disposal cost counts for wastes only: for heat, energy and water supplies the value
    # is the resource displaced on the demand side (counting both would count it twice).
    value_unit = (eff_total * per_rule["v_d"][rule] + np.where(per_rule["waste"][rule], per_rule["v_s"][rule], 0.0)
                  - elec_per_unit * factors["electricity_price_eur"])
    # Along an existing heat network the heat is the network's to carry: only the new connections
    # cost (the brief's "connection to an existing heat network counts only the distance to it").
    carried = np.where(cand["distance_kind"] == HEAT_NETWORK_KIND, cand["build_m"], cand["route_m"])
    transport_unit = per_rule["t_s"][rule] * carried / 1000.0
    fixed = per_rule["pipe"][rule] * cand["build_m"]
    q_s = qty[cand["s"]]
    q_d = qty[cand["d"]]
    sigma = per_rule["sigma"][rule]
    w_sup = np.where(np.isfinite(sigma), FLAT_SUPPLY_WINTER_SHARE, np.nan)
    q_max = np.minimum(np.minimum(q_s, q_d / eff_total), seasonal_cap(q_s, w_sup, sigma))
    benefit = value_unit - transport_unit - fixed / np.maximum(q_max, 1e-9)
    for name, values in (("eff_total", eff_total), ("elec_per_unit", elec_per_unit), ("winter_share", sigma),
                         ("value_unit", value_unit), ("transport_unit", transport_unit), ("fixed_eur", fixed),
                         ("q_max", q_max), ("benefit_unit", benefit), ("weight", per_rule["weight"][rule])):
        cand[name] = values
    ok = (benefit > 0) & (q_max > 0)
    stats["not_profitable"] = int((~ok).sum())
    return cand.take(ok)


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
