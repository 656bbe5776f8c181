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


def _shown_value(v: np.ndarray, decimals: int) -> np.ndarray:
    """A value printing like ``v`` with ``decimals`` decimals, shared by the values that print
    alike: ``v`` rounded to its decimals, unless ``v`` is within floating-point error of a
    half-way point (or not finite), where ``v`` itself is kept for the exact formatting to decide."""
    scale = 10.0 ** max(0, decimals)
    s = v * scale
    k = np.round(s)
    with np.errstate(invalid="ignore"):
        clear = np.isfinite(s) & (np.abs(np.abs(s - k) - 0.5) > 1e-9 * np.maximum(1.0, np.abs(s)))
    return np.where(clear, k / scale, v)


def _fmt_numbers(values, decimals, lang: str) -> np.ndarray:
    """``fr_number`` / ``en_number`` of each value with its decimals, as an object array.
    Each distinct (value, decimals) pair is formatted once: O(n log n) in values, plus one
    Python formatting per distinct pair (synergies repeat the same rounded figures)."""
    number = fr_number if lang == "fr" else en_number
    v = np.asarray(values, dtype=float)
    dec = np.asarray(decimals, dtype=float).astype(int)  # int() of each, as before: truncation
    out = np.empty(len(v), dtype=object)
    for d in np.unique(dec):
        rows = np.flatnonzero(dec == d)
        uniq, inverse = np.unique(_shown_value(v[rows], int(d)), return_inverse=True)
        texts = np.empty(len(uniq), dtype=object)
        texts[:] = [number(x, int(d)) for x in uniq]
        out[rows] = texts[inverse]
    return out


def _per_value(values, function) -> np.ndarray:
    """``function`` applied once per distinct value of ``values``, as an object array: O(n)
    hashing plus one call per distinct value."""
    codes, uniq = pd.factorize(pd.Series(np.asarray(values, dtype=object), dtype=object), use_na_sentinel=False)
    mapped = np.empty(len(uniq), dtype=object)
    mapped[:] = [function(u) for u in uniq]
    return mapped[codes]


def _fill(template: str, *columns) -> np.ndarray:
    """``template.format(*row)`` for every row of the columns, as an object array: one C-level
    ``str.format`` per row through ``map``, O(n) in rows. Surplus columns are ignored, as
    ``str.format`` does."""
    text = np.empty(len(columns[0]), dtype=object)
    text[:] = list(map(template.format, *columns))
    return text


def _quantities(values, units, lang: str) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    units = np.asarray(units, dtype=object)
    giga = (units == "MWh") & (np.abs(v) >= 1000)
    r, dec = _nice_array(np.where(giga, v / 1000.0, v))
    per = "/an" if lang == "fr" else "/yr"
    shown = _per_value(np.where(giga, "GWh", np.where(units == "m3", "m³", units)), str)
    return _fmt_numbers(r, dec, lang) + NBSP + shown + per


def fmt_quantities(values, units, lang: str = "fr") -> list:
    """Vectorised ``fmt_quantity``: O(n log n) in values."""
    return _quantities(values, units, lang).tolist()


def _distances(metres, lang: str) -> np.ndarray:
    m_ = np.asarray(metres, dtype=float)
    small = m_ < 1000
    value = np.where(small, np.floor(m_ / 10.0 + 0.5) * 10.0, m_ / 1000.0)
    dec = np.where(small | (value >= 10), 0, 1)
    unit = np.where(small, NBSP + "m", NBSP + "km").astype(object)
    return _fmt_numbers(value, dec, lang) + unit


def fmt_distances(metres, lang: str = "fr") -> list:
    """Vectorised ``fmt_distance``: O(n log n) in distances."""
    return _distances(metres, lang).tolist()


def _route_phrases(kind, route, build, detour: float, lang: str) -> np.ndarray:
    kind = np.asarray(kind, dtype=object)
    dist = _distances(route, lang)
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
    phrases = _fill(templates["straight"], dist)  # unknown kinds read as straight lines
    for k in ("network", "straight_fallback"):
        rows = np.flatnonzero(kind == k)
        phrases[rows] = _fill(templates[k], dist[rows])
    shown = np.flatnonzero(kind == "heat_network")  # connection shown there only
    phrases[shown] = _fill(templates["heat_network"], dist[shown],
                           _distances(np.asarray(build, dtype=float)[shown], lang))
    return phrases


def _cap_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _low_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _de(name: str) -> str:
    """'de' + name with French contraction: "des logements…", "d'Aciérie…", "de Laiterie…"."""
    if name.startswith("logements"):
        return "des " + name
    if name[:1] in "AEIOUYÂÉÈÊÎÔaeiouyâéèêîô":
        return "d'" + name
    return "de " + name


def _article(name: str) -> str:
    return "les " + name if name.startswith("logements") else name


_SENTENCES = {  # (heat use with temperatures, other resources, heat pump clause, future zone clause)
    "fr": ("{} à {}" + NBSP + "°C {} ({}) → {} à {}" + NBSP + "°C {} {}",
           "{} {} ({}) → {} pour {} {}",
           " via une pompe à chaleur (COP {} ; {} d'électricité)",
           " — zone à urbaniser (projet futur)"),
    "en": ("{} at {}" + NBSP + "°C from {} ({}) → {} at {}" + NBSP + "°C for {}, {}",
           "{} from {} ({}) → {} for {}, {}",
           " via a heat pump (COP {}; {} of electricity)",
           " — zone to be urbanised (future project)"),
}


def reasons(out: pd.DataFrame, tax: dict, detour: float, lang: str = "fr") -> list:
    """One sentence per synergy a planner can read, e.g. (French) "Chaleur fatale à 85 °C de
    Fromagerie X (1,2 GWh/an) → chauffage à 60 °C des logements de la zone 1AUh à 850 m par le
    réseau de chaleur existant (120 m de raccordement à créer)". ``out`` holds the synergy
    columns (``resource_supply``, ``quantity``, ``distance_kind``, ``route_length_m``...).
    Built column-wise: O(n log n) in synergies, with one Python call per distinct number,
    name or resource rather than per synergy."""
    n = len(out)
    if n == 0:
        return []
    fr = lang == "fr"
    q = _quantities(out["quantity"].to_numpy(dtype=float), out["unit"].to_numpy(dtype=object), lang)
    route = _route_phrases(out["distance_kind"].to_numpy(dtype=object), out["route_length_m"].to_numpy(dtype=float),
                           out["distance_m"].to_numpy(dtype=float), detour, lang)
    label_col = "label_fr" if fr else "label_en"
    labels = {code: (row.get(label_col) or row.get("label_fr") or code) for code, row in tax.items()}
    rs = out["resource_supply"].to_numpy(dtype=object)
    rd = out["resource_demand"].to_numpy(dtype=object)
    sup = out["supplier_name"].to_numpy(dtype=object)
    rec = out["receiver_name"].to_numpy(dtype=object)
    hp = out["heat_pump_used"].to_numpy(dtype=bool)
    fut = out["is_future"].to_numpy(dtype=bool)
    s_label = _per_value(rs, lambda code: _cap_first(labels.get(code, code)))
    heat_use = _per_value(rd, lambda code: code in HEAT_USE_LABELS).astype(bool)
    heat = (out["family"].to_numpy(dtype=object) == "heat") & heat_use
    if fr:
        supplier, receiver = _per_value(sup, _de), _per_value(rec, _de)
        other_receiver = _per_value(rec, _article)
    else:
        supplier = sup
        receiver = other_receiver = _per_value(rec, lambda name: name.replace("logements de la zone", "housing of zone"))
    heat_sentence, other_sentence, pump_clause, future_clause = _SENTENCES["fr" if fr else "en"]
    texts = np.empty(n, dtype=object)
    rows = np.flatnonzero(~heat)
    texts[rows] = _fill(other_sentence, s_label[rows], supplier[rows], q[rows],
                        _per_value(rd[rows], lambda code: _low_first(labels.get(code, code))),
                        other_receiver[rows], route[rows])
    rows = np.flatnonzero(heat)
    use = _per_value(rd[rows], lambda code: HEAT_USE_LABELS[code][0 if fr else 1])
    temps = [_fmt_numbers(np.round(out[c].to_numpy(dtype=float)[rows]), np.zeros(len(rows)), lang)
             for c in ("supply_temperature_c", "demand_temperature_c")]
    texts[rows] = _fill(heat_sentence, s_label[rows], temps[0], supplier[rows], q[rows], use, temps[1],
                        receiver[rows], route[rows])
    rows = np.flatnonzero(heat & hp)  # the heat pump is named for heat uses only
    texts[rows] = texts[rows] + _fill(pump_clause, _fmt_numbers(out["cop"].to_numpy(dtype=float)[rows],
                                                                np.ones(len(rows)), lang),
                                      _quantities(out["hp_electricity_mwh"].to_numpy(dtype=float)[rows],
                                                  np.full(len(rows), "MWh", dtype=object), lang))
    texts[fut] = texts[fut] + future_clause
    return texts.tolist()


NOTES = {
    "too_small": "Part de la ressource encore disponible trop faible pour payer le raccordement, ou sous le minimum.",
    "supply_taken": "Ressource déjà entièrement attribuée à une autre synergie plus intéressante.",
    "winter_taken": "Chaleur de la saison de chauffe déjà attribuée à une autre synergie plus intéressante (le reste "
                    "est de la chaleur d'été, sans usage pour ce besoin).",
    "demand_covered": "Besoin déjà couvert par une autre synergie plus intéressante.",
    "less_good": "Moins intéressante que les synergies retenues pour ces flux.",
}
