"""Texts of the recommendations: numbers, templates filled in, plurals, places and zones
named for a planner, footnotes of the statistical secret. Split from ``core.recommendations``."""
from __future__ import annotations

import re
import string

import numpy as np
import pandas as pd

from ..paths import REFERENCE_DIR
from . import confidentiality as conf
from . import formatting
from .recommendation_rules import _LEVEL_EN, _LEVEL_FR, _missing

# Number formatting ---------------------------------------------------------------------------
NBSP = formatting.THIN  # the thousands separator of French texts (narrow no-break space)


def format_number(value, language: str = "fr", decimals: int | None = None) -> str:
    """``1234.5`` → ``1 234,5`` (French) or ``1,234.5`` (English), by ``core.formatting``;
    ``n.d.`` when missing, yes/no for a flag.

    Default precision: 1 decimal below 10 000, none above; a trailing ``,0`` is dropped."""
    if isinstance(value, (bool, np.bool_)):
        return ("oui" if value else "non") if language == "fr" else ("yes" if value else "no")
    if decimals is None:
        number = formatting._finite(value)
        decimals = 0 if number is not None and abs(number) >= 10000 else 1
    return formatting.number(value, decimals, language, missing="n.d.", strip_zeros=True)


def _render(template: str, record: dict, language: str, hidden: set) -> str:
    out = []
    for literal, name, _spec, _conv in string.Formatter().parse(template or ""):
        out.append(literal)
        if name is None:
            continue
        if name in hidden:
            out.append("n.d.*")
            continue
        value = record.get(name)
        if name.startswith("eit_potential") and value in _POTENTIAL:
            value = _POTENTIAL[value][0 if language == "fr" else 1]
        if isinstance(value, (bool, np.bool_)) or isinstance(value, (int, float, np.integer, np.floating)):
            if (name.endswith("_m") or name.endswith("_m2")) and not _missing(value) and abs(value) >= 100:
                value = round(float(value), -1)  # distances and areas: to 10 m / 10 m²
            out.append(format_number(value, language))
        elif _missing(value):
            out.append("n.d.")
        else:
            out.append(str(value))
    text = re.sub(r"\s*\(\s*\)", "", "".join(out))  # "()" left by an empty field
    return resolve_plurals(re.sub(r"[ ]{2,}", " ", text))


_POTENTIAL = {"high": ("élevé", "high"), "medium": ("moyen", "medium"), "low": ("faible", "low"), "none": ("nul", "none")}


_FIELD_LABELS_FR = {
    "mwh_recovered": "chaleur récupérable", "co2_avoided_t": "CO₂ évité", "pm10_avoided_kg": "PM10 évitées",
    "nox_avoided_kg": "NOx évités", "total_quantity": "quantité du groupement", "truck_km_avoided": "km de camion évités",
    "land_m2": "emprise foncière", "land_m2_total": "emprise foncière totale", "heat_supply_mwh": "chaleur fatale disponible",
    "waste_supply_t": "déchets produits", "collection_quantity_t": "déchets à collecter en commun",
    "collection_truck_km": "km de camion évités", "utility_co2_t": "CO₂ évité", "exchange_co2_t": "CO₂ évité",
}
_FIELD_LABELS_EN = {
    "mwh_recovered": "recoverable heat", "co2_avoided_t": "CO₂ avoided", "pm10_avoided_kg": "PM10 avoided",
    "nox_avoided_kg": "NOx avoided", "total_quantity": "cluster quantity", "truck_km_avoided": "truck-km avoided",
    "land_m2": "land take", "land_m2_total": "total land take", "heat_supply_mwh": "waste heat available",
    "waste_supply_t": "waste produced", "collection_quantity_t": "waste for pooled collection",
    "collection_truck_km": "truck-km avoided", "utility_co2_t": "CO₂ avoided", "exchange_co2_t": "CO₂ avoided",
}
_REASON_EN = {
    conf.REASON_SECONDARY: "secondary suppression (would be recoverable by subtraction)",
    conf.REASON_UNKNOWN: "split by establishment unknown, 85 % rule not checkable",
}


def _commune_names() -> dict:
    try:
        table = pd.read_csv(REFERENCE_DIR / "communes_epci.csv", dtype=str, keep_default_na=False)
        return dict(zip(table["insee"], table["commune"]))
    except (OSError, KeyError, pd.errors.ParserError):
        return {}


_COMMUNES = {}


def _place(level, key, language) -> str:
    """'de la commune Chambéry (73065)', 'des communes A (…) et B (…)', 'du territoire'…"""
    if not _COMMUNES:
        _COMMUNES.update(_commune_names() or {"": ""})
    if level in ("commune", "commune_group"):
        codes = str(key).split("+")
        names = ["{} ({})".format(_COMMUNES[c], c) if c in _COMMUNES else c for c in codes]
        if language == "fr":
            return ("de la commune " if len(names) == 1 else "des communes ") + " et ".join(names)
        return ("commune " if len(names) == 1 else "communes ") + " and ".join(names)
    if level in ("territory", "unit_scope"):
        return "du territoire d'étude" if language == "fr" else "study area"
    if language == "fr":
        return "{} {}".format(_LEVEL_FR.get(level, level), key)
    return "{} {}".format(_LEVEL_EN.get(level, level), key)


def _footnote(field, cell, language) -> str:
    unit = cell.get("unit", "")
    if language == "fr":
        text = "* {} : {}".format(_FIELD_LABELS_FR.get(field, field), cell["reason"])
        if cell["fb_level"] is not None and not _missing(cell["fb_value"]):
            text += " ; à l'échelle {} : {} {}".format(
                _place(cell["fb_level"], cell["fb_key"], "fr"), format_number(cell["fb_value"], "fr"), unit).rstrip()
        return text
    reason = _REASON_EN.get(cell["reason"])
    if reason is None:
        reason = "statistical secret (fewer than 3 establishments or one above 85 %)"
    text = "* {}: {}".format(_FIELD_LABELS_EN.get(field, field), reason)
    if cell["fb_level"] is not None and not _missing(cell["fb_value"]):
        text += "; {} total: {} {}".format(_place(cell["fb_level"], cell["fb_key"], "en"),
                                          format_number(cell["fb_value"], "en"), unit).rstrip()
    return text


def commune_name(insee: str) -> str:
    """The commune's name (resources/reference/communes_epci.csv), else its INSEE code."""
    if not _COMMUNES:
        _COMMUNES.update(_commune_names() or {"": ""})
    return _COMMUNES.get(str(insee), str(insee))


def commune_list(codes) -> str:
    """'Aix-les-Bains, Chambéry': the names of the communes of a set of INSEE codes."""
    return ", ".join(sorted({commune_name(x) for x in codes}))


def zone_reference(zone: dict, language: str = "fr") -> str:
    """How a planner finds a zone without ambiguity, even in a PLUi with many zones of the
    same label: 'UB n° 46, Aix-les-Bains (73008_PLU_20210923)' — label, rank of the zone
    among the document's zones of that label (the ``zone_id`` suffix), commune, document id."""
    zid = str(zone.get("zone_id") or "")
    label = zone.get("libelle") or zid
    parts = zid.split(":")
    number = parts[-1] if len(parts) >= 3 and parts[-1].isdigit() else ""
    document = zone.get("idurba") or (parts[0] if len(parts) >= 3 else "")
    text = "{} {} {}".format(label, "n°" if language == "fr" else "no.", number) if number else label
    if zone.get("insee"):
        text += ", {}".format(commune_name(zone["insee"]))
    return "{} ({})".format(text, document) if document else text


_PLURAL = re.compile(r"(?P<word>[A-Za-zÀ-ÿ'’-]+)\((?P<suffix>s|es|ies|x)\)")
_NUMBER = re.compile(r"\d[\d\u202f\u00a0 ]*(?:[.,]\d+)?")


def resolve_plurals(text: str) -> str:
    """'1 établissement(s) fournisseur(s)' → '1 établissement fournisseur'; '3 synergy(ies)'
    → '3 synergies': the number is known, so is the plural (the nearest number before)."""
    out, last = [], 0
    for match in _PLURAL.finditer(text):
        before = text[last:match.start()]
        numbers = _NUMBER.findall(text[:match.start()])
        value = 2.0
        if numbers:
            try:
                value = float(numbers[-1].replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", "."))
            except ValueError:
                value = 2.0
        word, suffix = match.group("word"), match.group("suffix")
        plural = value >= 2
        if suffix == "ies":
            word = word[:-1] + "ies" if plural and word.endswith("y") else word
        elif plural:
            word += suffix
        out.append(before + word)
        last = match.end()
    out.append(text[last:])
    return "".join(out)


