"""Numbers, quantities, distances and the reasons of synergies in French and English
(``core.matching``)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import formatting
from .synergy_params import HEAT_USE_LABELS, NBSP


# --- Formatting (French) --------------------------------------------------------------------
def fr_number(value, decimals: int = 0) -> str:
    """``1234.5`` → ``"1 234,5"`` (non-breaking space for thousands, decimal comma)."""
    return formatting.number(value, decimals, "fr", missing="?", thousands=NBSP)


def en_number(value, decimals: int = 0) -> str:
    return formatting.number(value, decimals, "en", missing="?")


def _nice(value: float) -> tuple:
    """(rounded value, decimals): two significant digits, no decimals from 100 up."""
    v = formatting.significant(float(value), 2)
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


def _nice_array(values: np.ndarray) -> tuple:
    """Two significant digits, vectorised: (rounded values, decimals per value)."""
    v = np.asarray(values, dtype=float)
    mag = np.floor(np.log10(np.where(np.abs(v) > 0, np.abs(v), 1.0)))
    scale = 10.0 ** (mag - 1)
    r = np.round(v / scale) * scale
    dec = np.where((np.abs(r) >= 100) | (r == np.round(r)), 0, np.maximum(0, 1 - mag)).astype(int)
    return r, dec


def _fmt_numbers(values, decimals, lang: str) -> list:
    number = fr_number if lang == "fr" else en_number
    return [number(v, int(d)) for v, d in zip(values, decimals)]


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
