"""The column-wise synergy reasons give, byte for byte, the sentences of a plain per-row
reference (the former implementation), in French and English, on every branch: heat use with
temperatures, heat pump, other resources, future zones, every route kind, repeated values."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eit_plugin.core import synergy_texts as st
from eit_plugin.core.synergy_params import HEAT_USE_LABELS, NBSP


# --- Plain per-row reference: the former implementation, one Python formatting per number and
# one str.format per sentence. ---------------------------------------------------------------
def _fmt_numbers_ref(values, decimals, lang: str) -> list:
    number = st.fr_number if lang == "fr" else st.en_number
    return [number(v, int(d)) for v, d in zip(values, decimals)]


def fmt_quantities_ref(values, units, lang: str = "fr") -> list:
    v = np.asarray(values, dtype=float)
    units = np.asarray(units, dtype=object)
    giga = (units == "MWh") & (np.abs(v) >= 1000)
    r, dec = st._nice_array(np.where(giga, v / 1000.0, v))
    nums = _fmt_numbers_ref(r, dec, lang)
    per = "/an" if lang == "fr" else "/yr"
    shown = np.where(giga, "GWh", np.where(units == "m3", "m³", units))
    return ["{}{}{}{}".format(n, NBSP, u, per) for n, u in zip(nums, shown)]


def fmt_distances_ref(metres, lang: str = "fr") -> list:
    m_ = np.asarray(metres, dtype=float)
    small = m_ < 1000
    value = np.where(small, np.floor(m_ / 10.0 + 0.5) * 10.0, m_ / 1000.0)
    dec = np.where(small | (value >= 10), 0, 1)
    nums = _fmt_numbers_ref(value, dec, lang)
    return ["{}{}{}".format(n, NBSP, "m" if sm else "km") for n, sm in zip(nums, small)]


def _route_phrases_ref(kind, route, build, detour: float, lang: str) -> list:
    dist = fmt_distances_ref(route, lang)
    shown = np.flatnonzero(np.asarray(kind, dtype=object) == "heat_network")  # connection shown there only
    conn = dict(zip(shown, fmt_distances_ref(np.asarray(build, dtype=float)[shown], lang)))
    if lang == "fr":
        d = st.fr_number(detour, 1)
        templates = {"heat_network": "à {} par le réseau de chaleur existant ({} de raccordement à créer)",
                     "network": "à {} par la voirie",
                     "straight_fallback": "à {} (vol d'oiseau × " + d + " : réseau non relié)",
                     "straight": "à {} (vol d'oiseau × " + d + ")"}
    else:
        d = st.en_number(detour, 1)
        templates = {"heat_network": "{} away through the existing heat network ({} of new connection)",
                     "network": "{} away by road",
                     "straight_fallback": "{} away (straight line x " + d + ": network not connected)",
                     "straight": "{} away (straight line x " + d + ")"}
    return [templates.get(k, templates["straight"]).format(a, conn.get(i, "")) for i, (k, a) in enumerate(zip(kind, dist))]


def reasons_ref(out: pd.DataFrame, tax: dict, detour: float, lang: str = "fr") -> list:
    n = len(out)
    if n == 0:
        return []
    fr = lang == "fr"
    q = fmt_quantities_ref(out["quantity"].to_numpy(dtype=float), out["unit"].to_numpy(dtype=object), lang)
    route = _route_phrases_ref(out["distance_kind"].to_numpy(dtype=object), out["route_length_m"].to_numpy(dtype=float),
                           out["distance_m"].to_numpy(dtype=float), detour, lang)
    ts, td, cop, elec = ([""] * n for _ in range(4))
    heat = np.flatnonzero(out["family"].to_numpy(dtype=object) == "heat")  # only format what is shown
    hp = np.flatnonzero(out["heat_pump_used"].to_numpy(dtype=bool))
    for target, column, rows in ((ts, "supply_temperature_c", heat), (td, "demand_temperature_c", heat)):
        for i, text in zip(rows, _fmt_numbers_ref(np.round(out[column].to_numpy(dtype=float)[rows]), np.zeros(len(rows)),
                                              lang)):
            target[i] = text
    for i, text in zip(hp, _fmt_numbers_ref(out["cop"].to_numpy(dtype=float)[hp], np.ones(len(hp)), lang)):
        cop[i] = text
    for i, text in zip(hp, fmt_quantities_ref(out["hp_electricity_mwh"].to_numpy(dtype=float)[hp],
                                          np.full(len(hp), "MWh", dtype=object), lang)):
        elec[i] = text
    label_col = "label_fr" if fr else "label_en"
    labels = {code: (row.get(label_col) or row.get("label_fr") or code) for code, row in tax.items()}
    texts = []
    cols = zip(out["resource_supply"], out["resource_demand"], out["family"], out["supplier_name"],
               out["receiver_name"], out["heat_pump_used"], out["is_future"], q, route, ts, td, cop, elec)
    for rs, rd, fam, sup, rec, hp, fut, qq, rr, t1, t2, c, e in cols:
        s_label = st._cap_first(labels.get(rs, rs))
        if fr:
            if fam == "heat" and rd in HEAT_USE_LABELS:
                text = "{} à {}{}°C {} ({}) → {} à {}{}°C {} {}".format(
                    s_label, t1, NBSP, st._de(sup), qq, HEAT_USE_LABELS[rd][0], t2, NBSP, st._de(rec), rr)
                if hp:
                    text += " via une pompe à chaleur (COP {} ; {} d'électricité)".format(c, e)
            else:
                d_label = labels.get(rd, rd)
                text = "{} {} ({}) → {} pour {} {}".format(
                    s_label, st._de(sup), qq, d_label[:1].lower() + d_label[1:], st._article(rec), rr)
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


def _synergies(n=240, seed=3):
    rng = np.random.default_rng(seed)
    pick = lambda values: rng.choice(np.array(values, dtype=object), n)  # noqa: E731
    family = pick(["heat", "heat", "material", "water"])
    return pd.DataFrame({
        "resource_supply": pick(["waste_heat", "wood_waste", "process_water", "unknown_code"]),
        "resource_demand": np.where(family == "heat", pick(list(HEAT_USE_LABELS) + ["heat_other"]),
                                    pick(["Wood_input", "water_input", "other"])),
        "family": family,
        "supplier_name": pick(["Aciérie Alpine", "Fromagerie du Lac", "logements de la zone 1AUh", "Éts Martin"]),
        "receiver_name": pick(["logements de la zone 1AUh", "Imprimerie Dupont", "Usine Oméga"]),
        "heat_pump_used": rng.random(n) < 0.4,
        "is_future": rng.random(n) < 0.3,
        # repeated rounded figures, big and small, negative zero and a missing value
        "quantity": np.concatenate([rng.choice([0.0, -0.0, 8.46, 1234.0, 250_000.0, 3400.0, float("nan")], n // 2),
                                    rng.lognormal(6, 3, n - n // 2)]),
        "unit": pick(["MWh", "t", "m3", "kg"]),
        "distance_kind": pick(["heat_network", "network", "straight_fallback", "straight", "other_kind"]),
        "route_length_m": np.concatenate([rng.choice([0.0, 995.0, 999.9, 1000.0, 9950.0, 9999.0, float("nan")], n // 2),
                                          rng.uniform(0, 40_000, n - n // 2)]),
        "distance_m": rng.choice([4.0, 120.0, 1040.0, 15_000.0], n),
        "supply_temperature_c": rng.choice([85.0, 60.5, 59.5, 120.0], n),
        "demand_temperature_c": rng.choice([60.0, 45.0, -0.4], n),
        "cop": rng.choice([3.04, 3.05, 2.96, float("nan")], n),
        "hp_electricity_mwh": rng.choice([12.0, 1500.0, 999.6], n),
    })


TAX = {"waste_heat": {"label_fr": "chaleur fatale", "label_en": "waste heat"},
       "wood_waste": {"label_fr": "déchets de bois", "label_en": ""},
       "process_water": {"label_fr": "", "label_en": ""},
       "Wood_input": {"label_fr": "Bois d'entrée", "label_en": "Input wood"}}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_reasons_match_per_row_reference(lang):
    out = _synergies()
    assert st.reasons(out, TAX, 1.3, lang) == reasons_ref(out, TAX, 1.3, lang)
    assert st.reasons(out.iloc[:0], TAX, 1.3, lang) == []


def test_vectorised_formatters_match_reference():
    values = [0.0, -0.0, -0.04, 8.46, 1234.0, 1234.0, 999.6, float("nan"), 250_000.0]
    units = ["t", "MWh", "t", "t", "MWh", "t", "MWh", "m3", "m3"]
    for lang in ("fr", "en"):
        assert st.fmt_quantities(values, units, lang) == fmt_quantities_ref(values, units, lang)
        metres = [4.0, 995.0, 999.9, 1000.0, 9950.0, 12_345.0, 1000.0, float("nan"), -3.0]
        assert st.fmt_distances(metres, lang) == fmt_distances_ref(metres, lang)


def test_numbers_formatted_per_shown_value_match_one_by_one():
    rng = np.random.default_rng(11)
    ties = [0.05, 0.15, 0.25, 0.35, 0.45, 2.5, 3.5, 1234.5, 1000.05, 9.95, 9.949999999, 9.950000001, -0.04, -0.05,
            -2.5, 0.0, -0.0, 1e15 + 0.5, 123456789.25, float("nan"), float("inf"), -float("inf")]
    values = np.concatenate([ties, rng.uniform(-1e4, 1e4, 2000), np.round(rng.uniform(0, 100, 2000), 2),
                             rng.lognormal(0, 6, 2000)])
    for lang in ("fr", "en"):
        number = st.fr_number if lang == "fr" else st.en_number
        for d in (0, 1, 2):
            decimals = np.full(len(values), d)
            assert st._fmt_numbers(values, decimals, lang).tolist() == [number(v, d) for v in values]
        mixed = rng.integers(0, 3, len(values))
        assert st._fmt_numbers(values, mixed, lang).tolist() == [number(v, int(d)) for v, d in zip(values, mixed)]
