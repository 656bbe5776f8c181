"""Units as people write them → the canonical unit of a resource (``t``, ``MWh``, ``m3``).

Every flow is stored in its resource's canonical unit per year (``taxonomy.csv``). Surveys
and ratio files use whatever the author typed: ``tonnes``, ``kg``, ``kWh``, ``GJ``, ``m³``,
``litres``… ``to_canonical`` converts, and refuses units of another dimension (tonnes for a
heat flow) with a message that says which units are accepted.
"""
from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from ..i18n import tr
from .errors import EitInputError

CANONICAL_UNITS = ("t", "MWh", "m3")

# variant (normalised: lower case, no accents, no spaces, no "/an" suffix) → (canonical, factor)
_VARIANTS = {
    # mass → t
    "t": ("t", 1.0), "tonne": ("t", 1.0), "tonnes": ("t", 1.0), "ton": ("t", 1.0), "tons": ("t", 1.0),
    "tonnemetrique": ("t", 1.0), "tm": ("t", 1.0),
    "kt": ("t", 1e3), "kilotonne": ("t", 1e3), "kilotonnes": ("t", 1e3),
    "kg": ("t", 1e-3), "kgs": ("t", 1e-3), "kilo": ("t", 1e-3), "kilos": ("t", 1e-3), "kilogramme": ("t", 1e-3),
    "kilogrammes": ("t", 1e-3), "kilogram": ("t", 1e-3), "kilograms": ("t", 1e-3),
    "g": ("t", 1e-6), "gramme": ("t", 1e-6), "grammes": ("t", 1e-6),
    "q": ("t", 0.1), "quintal": ("t", 0.1), "quintaux": ("t", 0.1),
    # energy → MWh
    "mwh": ("MWh", 1.0), "kwh": ("MWh", 1e-3), "wh": ("MWh", 1e-6), "gwh": ("MWh", 1e3), "twh": ("MWh", 1e6),
    "mwhth": ("MWh", 1.0), "kwhth": ("MWh", 1e-3), "gwhth": ("MWh", 1e3),
    "mwhpci": ("MWh", 1.0), "kwhpci": ("MWh", 1e-3), "gwhpci": ("MWh", 1e3),
    "mwhe": ("MWh", 1.0), "kwhe": ("MWh", 1e-3), "mwhel": ("MWh", 1.0), "kwhel": ("MWh", 1e-3),
    "gj": ("MWh", 1.0 / 3.6), "mj": ("MWh", 1.0 / 3600.0), "tj": ("MWh", 1000.0 / 3.6), "kj": ("MWh", 1.0 / 3.6e6),
    "tep": ("MWh", 11.63), "toe": ("MWh", 11.63), "ktep": ("MWh", 11630.0), "ktoe": ("MWh", 11630.0),
    "th": ("MWh", 1.163e-3), "thermie": ("MWh", 1.163e-3), "thermies": ("MWh", 1.163e-3),
    # volume → m3
    "m3": ("m3", 1.0), "m^3": ("m3", 1.0), "metrecube": ("m3", 1.0), "metrescubes": ("m3", 1.0),
    "cubicmetre": ("m3", 1.0), "cubicmeter": ("m3", 1.0), "cubicmetres": ("m3", 1.0), "cubicmeters": ("m3", 1.0),
    "l": ("m3", 1e-3), "litre": ("m3", 1e-3), "litres": ("m3", 1e-3), "liter": ("m3", 1e-3), "liters": ("m3", 1e-3),
    "hl": ("m3", 0.1), "hectolitre": ("m3", 0.1), "hectolitres": ("m3", 0.1),
    "km3": ("m3", 1e9), "dam3": ("m3", 1e3), "dm3": ("m3", 1e-3),
    "milliersdem3": ("m3", 1e3),
}

_DIMENSION = {"t": "mass", "MWh": "energy", "m3": "volume"}

_SUFFIX = re.compile(r"(/an|/a|/yr|/year|/y|paran|peryear|/annee)$")


def _dimension_text(canonical: str) -> str:
    if canonical == "t":
        return tr("mass")
    if canonical == "MWh":
        return tr("energy")
    return tr("volume")


def _normalise(unit) -> str:
    text = str(unit).replace("\u00b3", "3").replace("\u00b2", "2")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.strip().lower().replace(" ", "").replace(".", "").replace("_", "")
    return _SUFFIX.sub("", text)


def parse_unit(unit) -> tuple:
    """``(canonical_unit, factor)`` for a unit as typed, or ``(None, None)`` when unknown.

    ``quantity_in_canonical = quantity * factor``. ``Mt`` is refused as ambiguous
    (megatonne or "metric ton").
    """
    if unit is None or (isinstance(unit, float) and np.isnan(unit)):
        return None, None
    key = _normalise(unit)
    if key in _VARIANTS:
        return _VARIANTS[key]
    return None, None


def accepted_units(canonical: str) -> list:
    """Readable list of the spellings accepted for a canonical unit (for error messages)."""
    common = {
        "t": ["t", "tonnes", "kg", "kt"],
        "MWh": ["MWh", "kWh", "GWh", "GJ", "MJ", "tep"],
        "m3": ["m3", "m³", "l", "hl"],
    }
    return common.get(canonical, [canonical])


def convert_factor(unit, canonical: str, what: str = "") -> float:
    """Factor converting ``unit`` to ``canonical``; ``EitInputError`` when impossible.

    ``what`` names the value in the message (e.g. "row 4, resource 'waste_heat'").
    """
    found, factor = parse_unit(unit)
    prefix = "{}: ".format(what) if what else ""
    if found is None:
        raise EitInputError(
            prefix + tr("unknown unit '{unit}'. Use one of: {accepted}.").format(
                unit=unit, accepted=", ".join(accepted_units(canonical)))
        )
    if found != canonical:
        raise EitInputError(
            prefix + tr("unit '{unit}' is a {dim} but this resource is counted in {canonical} ({cdim}). "
                        "Use one of: {accepted}.").format(
                unit=unit, dim=_dimension_text(found), canonical=canonical, cdim=_dimension_text(canonical),
                accepted=", ".join(accepted_units(canonical)))
        )
    return factor


def to_canonical(quantity: float, unit, canonical: str, what: str = "") -> float:
    """``quantity`` in ``unit`` → the same quantity in ``canonical``."""
    return float(quantity) * convert_factor(unit, canonical, what)


def factors(units: pd.Series, canonicals: pd.Series) -> tuple:
    """Vectorised: factors for each row (NaN where impossible) and a reason per bad row.

    Returns ``(factor: float ndarray, problem: object ndarray)`` where ``problem`` is
    ``None`` for convertible rows, ``"unknown"`` for unknown units, ``"dimension"`` when the
    unit is of another dimension than the canonical one. Blank units count as canonical.
    """
    units = units.reset_index(drop=True)
    canonicals = canonicals.reset_index(drop=True)
    out = np.full(len(units), np.nan)
    problem = np.full(len(units), None, dtype=object)
    cache: dict = {}
    for i, (unit, canonical) in enumerate(zip(units.tolist(), canonicals.tolist())):
        if unit is None or (isinstance(unit, float) and np.isnan(unit)) or str(unit).strip() == "":
            out[i] = 1.0
            continue
        key = (unit, canonical)
        if key not in cache:
            found, factor = parse_unit(unit)
            if found is None:
                cache[key] = (np.nan, "unknown")
            elif found != canonical:
                cache[key] = (np.nan, "dimension")
            else:
                cache[key] = (factor, None)
        out[i], problem[i] = cache[key]
    return out, problem


def dimension(canonical: str) -> str:
    """``mass``/``energy``/``volume`` (English, translate at display)."""
    return _DIMENSION.get(canonical, canonical)
