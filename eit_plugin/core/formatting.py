"""Numbers and units for people, in French and English — one place for every text the
plugin writes (reasons, evidence, report, method document).

French: thousands separated by a narrow no-break space (U+202F), decimal comma
(``12 345,6``); English: ``12,345.6``. Quantities are rounded to significant figures: an
estimate shown as ``12 346 t`` claims a precision it does not have.
"""
from __future__ import annotations

import math

THIN = "\u202f"   # narrow no-break space: French thousands separator and before a unit
NBSP = "\u00a0"   # no-break space
MISSING = "–"

# Canonical unit codes (core.units) → how they are written in a text.
UNIT_LABELS = {
    "m3": "m³",
    "m2": "m²",
    "co2": "CO₂",
    "t co2": "t CO₂",
    "kg co2": "kg CO₂",
    "tco2": "t CO₂",
    "t_co2": "t CO₂",
}
_PER_YEAR = {"fr": "/an", "en": "/yr"}


def _finite(value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def significant(value: float, digits: int = 2) -> float:
    """``12345.6`` → ``12000.0`` (2 significant figures); 0, NaN and inf unchanged."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - int(math.floor(math.log10(abs(value)))))


def significant_decimals(value: float, digits: int = 2) -> int:
    """Decimals needed to show ``value`` (already rounded) to ``digits`` significant figures."""
    if value == 0 or not math.isfinite(value):
        return 0
    return max(0, digits - 1 - int(math.floor(math.log10(abs(value)))))


def number(value, decimals: int = 0, language: str = "fr", missing: str = MISSING,
           strip_zeros: bool = False, thousands: str = THIN) -> str:
    """``1234.5`` → ``1 234,5`` (fr) / ``1,234.5`` (en) with ``decimals`` decimals.

    ``strip_zeros`` drops trailing zeros of the decimals (``2,50`` → ``2,5``, ``3,0`` → ``3``).
    ``thousands``: the French thousands separator (the synergy reasons use the no-break space
    ``NBSP``). None, NaN, inf and non-numbers give ``missing``."""
    num = _finite(value)
    if num is None:
        return missing
    text = "{:,.{}f}".format(num, max(0, int(decimals)))
    if strip_zeros and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "-0.0") or (text.startswith("-") and float(text.replace(",", "")) == 0):
        text = text[1:]
    if language == "fr":
        text = text.replace(",", thousands).replace(".", ",")
    return text


def rounded(value, digits: int = 2, language: str = "fr", missing: str = MISSING) -> str:
    """``value`` rounded to ``digits`` significant figures: ``12345`` → ``12 000``,
    ``0.0456`` → ``0,046``, ``3.0`` → ``3``."""
    num = _finite(value)
    if num is None:
        return missing
    r = significant(num, digits)
    return number(r, significant_decimals(r, digits), language, missing, strip_zeros=True)


def plain(value, missing: str = MISSING) -> str:
    """The shortest faithful form, language-neutral, for messages quoting what the user
    typed: ``-40``, ``12.5``, ``1e+10``."""
    num = _finite(value)
    return missing if num is None else "{:g}".format(num)


def unit_label(unit: str) -> str:
    """``m3`` → ``m³``, ``t co2`` → ``t CO₂``; other units unchanged."""
    if unit is None:
        return ""
    return UNIT_LABELS.get(str(unit).strip().lower(), str(unit))


def quantity(value, unit: str, language: str = "fr", per_year: bool = True, digits: int = 2,
             missing: str = MISSING) -> str:
    """A quantity with its unit, rounded to ``digits`` significant figures: ``1,2 GWh/an``,
    ``850 MWh/an``, ``12 000 t/an``, ``3 400 m³/an`` (MWh from 1 000 up shown in GWh)."""
    num = _finite(value)
    if num is None:
        return missing
    shown = unit_label(unit)
    if unit == "MWh" and abs(num) >= 1000:
        num, shown = num / 1000.0, "GWh"
    per = _PER_YEAR.get(language, "/yr") if per_year else ""
    return "{}{}{}{}".format(rounded(num, digits, language, missing), THIN, shown, per)


def distance(metres, language: str = "fr", missing: str = MISSING) -> str:
    """``850 m`` (rounded to 10 m) below 1 km, ``3,2 km`` below 10 km, ``15 km`` above."""
    num = _finite(metres)
    if num is None:
        return missing
    if num < 1000:
        return "{}{}m".format(number(math.floor(num / 10.0 + 0.5) * 10.0, 0, language), THIN)
    km = num / 1000.0
    return "{}{}km".format(number(km, 1 if km < 10 else 0, language), THIN)


def temperature(celsius, language: str = "fr", missing: str = MISSING) -> str:
    """``85 °C`` (whole degrees)."""
    num = _finite(celsius)
    if num is None:
        return missing
    return "{}{}°C".format(number(round(num), 0, language), THIN)


def co2(tonnes, language: str = "fr", per_year: bool = True, digits: int = 2, missing: str = MISSING) -> str:
    """``1 200 t CO₂/an``."""
    return quantity(tonnes, "t co2", language, per_year, digits, missing)


def percent(share, decimals: int = 0, language: str = "fr", missing: str = MISSING) -> str:
    """A share in 0–1 → ``85 %`` (fr, narrow no-break space) / ``85%`` (en)."""
    num = _finite(share)
    if num is None:
        return missing
    sep = THIN if language == "fr" else ""
    return "{}{}%".format(number(num * 100.0, decimals, language), sep)
