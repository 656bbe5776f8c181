"""Checks on synergies that the allocation alone does not make, and the emission factors.

- Waste hierarchy: a pair using an outlet two steps or more below the best one of its waste,
  because no better outlet was found within reach, is named as such (reason, confidence).
- Same position: two establishments at the same point may be one site or one group.
- ``emission_lookup``: the factors the impacts need, from ``emission_factors.csv``.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..i18n import tr
from .synergy_params import _num

# Two establishments at the same point (same address, or a street-level geocode) may be one site
# or one group: the exchange may be internal. Confidence × 0.7 and a warning in the reason
# (assumption: about a third of such pairs are not inter-firm exchanges).
SAME_POINT_M = 1.0
SAME_POINT_FACTOR = 0.7
# A rule two steps or more below the best outlet of its waste (e.g. glass crushed into aggregates
# instead of remelted as cullet) used because no better outlet was found within reach: confidence
# × 0.8 and the reason names the better outlet to look for first (waste hierarchy, Directive
# 2008/98/EC art. 4; the factor is an assumption).
DOWNCYCLING_STEPS = 2
DOWNCYCLING_FACTOR = 0.8

# Fallback factors when emission_factors.csv has no usable row (a user's partial file): orders of
# magnitude only (assumption); the shipped file carries the sourced figures and their conversion.
FALLBACK_HEAT_FACTORS = {"co2_kg": 252.0, "pm10_g": 4.8, "nox_g": 204.0}
# Heavy truck, order of magnitude per t.km (assumption, see truck_tkm in the shipped file).
FALLBACK_TRUCK_CO2_KG_PER_TKM = 0.09
# French electricity mix, order of magnitude (see electricity_fr) and an industrial price (assumption).
FALLBACK_ELECTRICITY = {"co2_kg": 55.0, "price_eur": 150.0}


def emission_lookup(emission_factors: pd.DataFrame | None, taxonomy_map: dict) -> dict:
    """The factors the impacts need, from ``emission_factors.csv`` where a row matches, else the
    documented fallbacks. Returns ``{"heat": {co2_kg, pm10_g, nox_g} per MWh of heat displaced,
    "truck_co2_kg_per_tkm", "electricity_co2_kg", "electricity_price_eur", "sources": [...]}``."""
    out = {"heat": dict(FALLBACK_HEAT_FACTORS), "truck_co2_kg_per_tkm": FALLBACK_TRUCK_CO2_KG_PER_TKM,
           "electricity_co2_kg": FALLBACK_ELECTRICITY["co2_kg"],
           "electricity_price_eur": FALLBACK_ELECTRICITY["price_eur"], "sources": []}
    elec = taxonomy_map.get("electricity")
    if elec is not None:
        if _num(elec.get("co2_kg_per_unit_substituted")) > 0:
            out["electricity_co2_kg"] = _num(elec.get("co2_kg_per_unit_substituted"))
        if _num(elec.get("value_eur_per_unit")) > 0:
            out["electricity_price_eur"] = _num(elec.get("value_eur_per_unit"))
    if emission_factors is None or not len(emission_factors) or "code" not in emission_factors:
        return out
    ef = emission_factors.copy()
    ef["code_l"] = ef["code"].astype(str).str.lower()
    units = ef["unit"].astype(str).str.lower().str.replace(" ", "", regex=False) if "unit" in ef else ""

    def pick(mask):
        rows = ef[mask]
        return None if rows.empty else rows.iloc[0]

    is_mwh = units.str.contains("mwh") if isinstance(units, pd.Series) else False
    heat_row = None
    for exact in ("heat_default", "heat_natural_gas", "natural_gas_heat", "natural_gas_boiler", "gas_boiler_heat",
                  "heat_gas_boiler", "substituted_heat", "natural_gas"):
        heat_row = pick(ef["code_l"] == exact)
        if heat_row is not None:
            break
    if heat_row is None:
        heat_row = pick(ef["code_l"].str.contains("gas") & ef["code_l"].str.contains("heat|boiler|chaud") & is_mwh)
    if heat_row is not None:
        for col in ("co2_kg", "pm10_g", "nox_g"):
            v = _num(heat_row.get(col))
            if math.isfinite(v):
                out["heat"][col] = v
        out["sources"].append(str(heat_row["code"]))
    truck_row = pick(ef["code_l"] == "truck_tkm")
    if truck_row is None:
        truck_row = pick(ef["code_l"].str.contains("truck|lorry|camion|road_freight|hgv") &
                         (units.str.contains("t.km|tkm|t-km", regex=True) if isinstance(units, pd.Series) else True))
    if truck_row is not None and math.isfinite(_num(truck_row.get("co2_kg"))):
        out["truck_co2_kg_per_tkm"] = _num(truck_row.get("co2_kg"))
        out["sources"].append(str(truck_row["code"]))
    elec_row = pick(ef["code_l"].str.contains("electric") & is_mwh)
    if elec_row is not None and math.isfinite(_num(elec_row.get("co2_kg"))):
        out["electricity_co2_kg"] = _num(elec_row.get("co2_kg"))
        out["sources"].append(str(elec_row["code"]))
    return out


def hierarchy_flags(cand, compatibility: pd.DataFrame) -> None:
    """Marks the candidate pairs (``synergy_candidates.Pairs``, in place) using an outlet
    ``DOWNCYCLING_STEPS`` or more below the best rules of their supply resource while the supply
    has no candidate under a better rule (none within reach, or none profitable):
    ``downcycled`` per pair, and per rule ``better_outlet``, the demand resources of the best
    rules. O(P) in the pairs."""
    rules = compatibility.assign(priority=pd.to_numeric(compatibility.get("priority", 1), errors="coerce").fillna(1))
    best = rules.groupby("supply_resource")["priority"].min()
    best_demands = (rules[rules["priority"] == rules["supply_resource"].map(best)]
                    .groupby("supply_resource")["demand_resource"].agg(lambda v: " ".join(sorted(set(v)))))
    table = cand.rules
    table["better_outlet"] = table["supply_resource"].map(best_demands).fillna("")
    prio = cand.rule_values("_priority").astype(float)
    prio = np.where(np.isnan(prio), 1.0, prio)
    found = pd.Series(prio).groupby(cand["s"]).transform("min").to_numpy()  # best rule the supply has a pair under
    low = prio >= table["supply_resource"].map(best).astype(float).to_numpy()[cand["rule"]] + DOWNCYCLING_STEPS
    cand["downcycled"] = low & (found >= prio)


def pair_flags(cand: pd.DataFrame, f: pd.DataFrame, s, d, is_housing) -> tuple:
    """``(same_point, better_outlet, confidence_factor)`` per candidate pair."""
    siret = f["siret"].to_numpy(dtype=object)
    same_point = (cand["straight_m"].to_numpy(dtype=float) < SAME_POINT_M) & ~is_housing & \
        pd.notna(siret[s]) & pd.notna(siret[d])
    better = (cand["better_outlet"].to_numpy(dtype=object) if "better_outlet" in cand
              else np.full(len(cand), "", dtype=object))
    factor = np.where(same_point, SAME_POINT_FACTOR, 1.0) * np.where(better != "", DOWNCYCLING_FACTOR, 1.0)
    return same_point, better, factor


SAME_POINT_FR = "même position que le fournisseur"
DOWNCYCLING_FR = "débouché bas dans la hiérarchie des déchets"


def warn(out: pd.DataFrame, same_point, better, tax: dict) -> None:
    """Append the same-point and downcycling warnings to the reasons (in place)."""
    fr, en = out["reason"].to_numpy(dtype=object), out["reason_en"].to_numpy(dtype=object)
    for i in np.flatnonzero(same_point):
        fr[i] += (" — {} (même adresse ou géocodage à la rue) : vérifier qu'il ne s'agit pas d'un seul site ou "
                  "d'un même groupe (échange interne)").format(SAME_POINT_FR)
        en[i] += (" — same position as the supplier (same address or street-level geocode): check that this is "
                  "not one site or one group (internal exchange)")
    for i in np.flatnonzero(better != ""):
        codes = str(better[i]).split()
        lab_fr = ", ".join(str(tax.get(c, {}).get("label_fr") or c).lower() for c in codes)
        lab_en = ", ".join(str(tax.get(c, {}).get("label_en") or c).lower() for c in codes)
        fr[i] += (" — {} : aucun débouché « {} » trouvé à portée ; le chercher d'abord, hors du territoire au "
                  "besoin").format(DOWNCYCLING_FR, lab_fr)
        en[i] += (" — outlet low in the waste hierarchy: no « {} » outlet found within reach; look for one "
                  "first, outside the territory if need be").format(lab_en)
    out["reason"] = fr
    out["reason_en"] = en


def counts(synergies: pd.DataFrame) -> dict:
    reason = synergies["reason"].astype(str)
    return {"same_point_synergies": int(reason.str.contains(SAME_POINT_FR, regex=False).sum()),
            "downcycling_synergies": int(reason.str.contains(DOWNCYCLING_FR, regex=False).sum())}


def messages(stats: dict) -> list:
    messages = []
    if stats.get("same_point_synergies"):
        messages.append(tr("{} synergies link two establishments at the same position (same address or street-level "
                           "geocode): their reason asks to check that they are not one site or group.").format(
            stats["same_point_synergies"]))
    if stats.get("downcycling_synergies"):
        messages.append(tr("{} synergies use an outlet low in the waste hierarchy because no better one was found "
                           "within reach: their reason names the outlet to look for first.").format(
            stats["downcycling_synergies"]))
    return messages
