"""The shipped reference data (``resources/reference/*.csv``): loading, validation, lookups.

Every loader takes ``path=None`` (the shipped file) or a user's file that replaces it,
validates it (columns, codes, numbers, a ``source`` on every row and a ``rationale`` when the
source is ``assumption``) and returns a pandas DataFrame with typed columns. Results are
cached per file (path + modification time) and returned as copies: callers may modify them.

Errors name the file, the line (1 = header) and the column, and say how to fix it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..i18n import tr
from ..paths import REFERENCE_DIR
from . import units as units_mod
from .errors import EitInputError
from .tables import read_table

FAMILIES = ("heat", "energy", "water", "waste", "material")
FAMILY_UNITS = {"heat": "MWh", "energy": "MWh", "water": "m3", "waste": "t", "material": "t"}
ROLES = ("supply", "demand", "both")
DIRECTIONS = ("supply", "demand")
KINDS = ("substitution", "heat_recovery", "housing_heat", "cascade")

# direction spellings accepted in user files (surveys are often in French)
DIRECTION_ALIASES = {
    "supply": "supply", "s": "supply", "ressource": "supply", "ressources": "supply", "offre": "supply",
    "fourniture": "supply", "sortie": "supply", "output": "supply", "source": "supply",
    "demand": "demand", "d": "demand", "besoin": "demand", "besoins": "demand", "demande": "demand",
    "entree": "demand", "entrée": "demand", "input": "demand", "need": "demand",
}

TAXONOMY_COLUMNS = ("code", "family", "role", "label_fr", "label_en", "unit", "ewc_codes", "max_distance_m",
                    "value_eur_per_unit", "transport_eur_per_unit_km", "co2_kg_per_unit_substituted",
                    "source", "rationale")
COMPATIBILITY_COLUMNS = ("supply_resource", "demand_resource", "kind", "efficiency", "min_temp_margin_k",
                         "min_supply_temp_c", "heat_pump", "priority", "conditions", "source", "rationale")
RATIO_COLUMNS = ("naf", "direction", "resource", "quantity_per_employee", "quantity_fixed", "unit",
                 "temperature_c", "ewc_code", "confidence", "source", "rationale")
NAF_COLUMNS = ("naf", "label_fr", "section", "division", "division_label", "source")
EWC_COLUMNS = ("code", "label_fr", "chapter", "level", "hazardous", "source")
EMISSION_COLUMNS = ("code", "unit", "co2_kg", "pm10_g", "nox_g", "source", "rationale")

# columns a user file may omit (filled with the default)
_OPTIONAL = {
    "taxonomy": {"role": None, "ewc_codes": "", "label_en": None, "distance_per_unit_m": np.nan,
                 "max_distance_cap_m": np.nan},
    "compatibility": {"min_temp_margin_k": np.nan, "min_supply_temp_c": np.nan, "heat_pump": 0, "priority": 1,
                      "conditions": ""},
    "ratios": {"quantity_fixed": 0.0, "quantity_per_employee": 0.0, "temperature_c": np.nan, "ewc_code": "",
               "unit": "", "profile": ""},
    "naf": {"section": None, "division": None, "division_label": "", "source": "INSEE NAF rév. 2"},
    "ewc": {"level": None, "chapter": None, "source": "Decision 2000/532/EC"},
    "emission": {"pm10_g": np.nan, "nox_g": np.nan, "source_url": ""},
}

NAF_SUBCLASS = re.compile(r"^\d{2}\.\d{2}[A-Z]$")
NAF_CLASS = re.compile(r"^\d{2}\.\d{2}$")
NAF_GROUP = re.compile(r"^\d{2}\.\d$")
NAF_DIVISION = re.compile(r"^\d{2}$")


# Generic helpers ------------------------------------------------------------------------------
def shipped(name: str) -> Path:
    """Path of a shipped reference file, e.g. ``shipped("ratios")``."""
    return REFERENCE_DIR / "{}.csv".format(name)


def _resolve(path, name: str) -> Path:
    if path is None or str(path).strip() == "":
        return shipped(name)
    return Path(path)


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


def _line(index) -> int:
    """File line of a DataFrame row (line 1 is the header)."""
    return int(index) + 2


def _fail(path: Path, message: str):
    raise EitInputError(tr("Reference file '{file}': {message}").format(file=path.name, message=message))


def _prepare(frame: pd.DataFrame, path: Path, columns, optional: dict) -> pd.DataFrame:
    frame = frame.rename(columns={c: c.strip().lower() for c in frame.columns})
    missing = [c for c in columns if c not in frame.columns and c not in optional]
    if missing:
        _fail(path, tr("missing column(s) {missing}. Expected columns: {expected}.").format(
            missing=", ".join(missing), expected=", ".join(columns)))
    for column, default in optional.items():
        if column not in frame.columns:
            frame[column] = default
    if frame.empty:
        _fail(path, tr("no rows. Add at least one row under the header."))
    return frame


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].fillna("").astype(str).str.strip()


def _numbers(frame: pd.DataFrame, column: str, path: Path, required=True, minimum=None, maximum=None) -> pd.Series:
    raw = frame[column]
    text = raw.where(raw.isna(), raw.astype(str).str.strip().str.replace(",", ".", regex=False))
    text = text.replace("", np.nan)
    values = pd.to_numeric(text, errors="coerce")
    bad = text.notna() & values.isna()
    if bad.any():
        i = bad.idxmax()
        _fail(path, tr("line {line}, column '{column}': '{value}' is not a number.").format(
            line=_line(i), column=column, value=raw[i]))
    if required and values.isna().any():
        i = values.isna().idxmax()
        _fail(path, tr("line {line}, column '{column}': a number is required.").format(line=_line(i), column=column))
    if minimum is not None and (values < minimum).any():
        i = (values < minimum).idxmax()
        _fail(path, tr("line {line}, column '{column}': {value} is below the minimum {minimum}.").format(
            line=_line(i), column=column, value=values[i], minimum=minimum))
    if maximum is not None and (values > maximum).any():
        i = (values > maximum).idxmax()
        _fail(path, tr("line {line}, column '{column}': {value} is above the maximum {maximum}.").format(
            line=_line(i), column=column, value=values[i], maximum=maximum))
    return values.astype(float)


def _check_sources(frame: pd.DataFrame, path: Path, need_rationale=True) -> None:
    source = _text(frame, "source")
    if (source == "").any():
        i = (source == "").idxmax()
        _fail(path, tr("line {line}: column 'source' is empty. Give the publication and year, or the word "
                       "'assumption' with a rationale.").format(line=_line(i)))
    if need_rationale and "rationale" in frame.columns:
        rationale = _text(frame, "rationale")
        bad = (source.str.lower() == "assumption") & (rationale == "")
        if bad.any():
            i = bad.idxmax()
            _fail(path, tr("line {line}: an 'assumption' needs a one-line 'rationale'.").format(line=_line(i)))


def _check_unique(frame: pd.DataFrame, columns, path: Path) -> None:
    dup = frame.duplicated(list(columns), keep="first")
    if dup.any():
        i = dup.idxmax()
        _fail(path, tr("line {line}: duplicate entry for {key}. Keep one row per {columns}.").format(
            line=_line(i), key=" / ".join(str(frame.at[i, c]) for c in columns if str(frame.at[i, c]) != ""),
            columns=" × ".join(columns)))


def _cached(loader):
    """Cache a loader per (resolved path, mtime); hand out copies."""

    @lru_cache(maxsize=32)
    def cached(path_str: str, mtime: int, extra):
        return loader(Path(path_str), extra)

    def load(path=None, name=None, extra=None):
        resolved = _resolve(path, name)
        if not resolved.is_file():
            raise EitInputError(tr("Reference file not found: '{}'. Check the path.").format(resolved))
        return cached(str(resolved.resolve()), _mtime(resolved), extra).copy()

    load.cache_clear = cached.cache_clear
    return load


# Codes ------------------------------------------------------------------------------------------
def normalise_naf(code) -> str:
    """``1051c``/``10.51C``/``10 51 C`` → ``10.51C``; ``1051`` → ``10.51``; ``105`` → ``10.5``.

    Returns ``""`` for anything that does not look like a NAF code at one of the four levels.
    """
    if code is None or (isinstance(code, float) and np.isnan(code)):
        return ""
    text = re.sub(r"[\s.]", "", str(code)).upper()
    m = re.fullmatch(r"(\d{2})(\d{0,2})([A-Z]?)", text)
    if not m:
        return ""
    div, rest, letter = m.groups()
    if letter and len(rest) != 2:
        return ""
    if not rest:
        return div
    return "{}.{}{}".format(div, rest, letter)


def naf_level(code: str) -> str:
    """``subclass``, ``class``, ``group``, ``division`` or ``""`` for a normalised NAF code."""
    if NAF_SUBCLASS.match(code):
        return "subclass"
    if NAF_CLASS.match(code):
        return "class"
    if NAF_GROUP.match(code):
        return "group"
    if NAF_DIVISION.match(code):
        return "division"
    return ""


def naf_keys(code) -> list:
    """Lookup keys from the most to the least specific: ``10.51C`` → ``[10.51C, 10.51, 10.5, 10]``."""
    naf = normalise_naf(code)
    if not naf:
        return []
    keys = [naf]
    if len(naf) == 6:
        naf = naf[:5]
        keys.append(naf)
    if len(naf) == 5:
        naf = naf[:4]
        keys.append(naf)
    if len(naf) == 4:
        keys.append(naf[:2])
    return keys


def normalise_ewc(code) -> tuple:
    """A List-of-Waste code as written → ``(code, hazardous_mark)``.

    ``"02 05 01"``, ``"020501"``, ``"02.05.01"``, ``"02 05 01*"`` → ``("020501", False/True)``.
    Chapters (``"02"``) and sub-chapters (``"0205"``) are accepted too. Returns
    ``("", False)`` for blanks and ``(None, False)`` for anything malformed.
    """
    if code is None or (isinstance(code, float) and np.isnan(code)):
        return "", False
    text = str(code).strip()
    if not text:
        return "", False
    hazardous = "*" in text
    digits = re.sub(r"[\s.\-*]", "", text)
    if not re.fullmatch(r"\d{2}|\d{4}|\d{6}", digits):
        return None, False
    if text.replace(" ", "").rstrip("*").count("*"):
        return None, False
    return digits, hazardous


def format_ewc(code: str, hazardous: bool = False) -> str:
    """``"020501"`` → ``"02 05 01"`` (with ``*`` when hazardous), as printed in the List of Waste."""
    if not code:
        return ""
    text = " ".join(code[i:i + 2] for i in range(0, len(code), 2))
    return text + ("*" if hazardous else "")


def normalise_direction(value) -> str:
    """``supply``/``demand`` from English or French spellings; ``""`` when unknown."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return DIRECTION_ALIASES.get(str(value).strip().lower(), "")


# Taxonomy -------------------------------------------------------------------------------------
def _load_taxonomy(path: Path, _extra) -> pd.DataFrame:
    frame = _prepare(read_table(path), path, TAXONOMY_COLUMNS, _OPTIONAL["taxonomy"])
    frame["code"] = _text(frame, "code")
    bad = ~frame["code"].str.fullmatch(r"[a-z][a-z0-9_]*")
    if bad.any():
        i = bad.idxmax()
        _fail(path, tr("line {line}: resource code '{code}' must be lower-case letters, digits and '_'.").format(
            line=_line(i), code=frame.at[i, "code"]))
    _check_unique(frame, ["code"], path)
    frame["family"] = _text(frame, "family").str.lower()
    bad = ~frame["family"].isin(FAMILIES)
    if bad.any():
        i = bad.idxmax()
        _fail(path, tr("line {line}: family '{family}' is not one of {families}.").format(
            line=_line(i), family=frame.at[i, "family"], families=", ".join(FAMILIES)))
    frame["unit"] = _text(frame, "unit")
    expected = frame["family"].map(FAMILY_UNITS)
    bad = frame["unit"] != expected
    if bad.any():
        i = bad.idxmax()
        _fail(path, tr("line {line}: resource '{code}' of family '{family}' must be counted in {unit}, not '{given}'.").format(
            line=_line(i), code=frame.at[i, "code"], family=frame.at[i, "family"], unit=expected[i],
            given=frame.at[i, "unit"]))
    role = _text(frame, "role").str.lower()
    frame["role"] = role.where(role != "", "both")
    bad = ~frame["role"].isin(ROLES)
    if bad.any():
        i = bad.idxmax()
        _fail(path, tr("line {line}: role '{role}' is not one of {roles}.").format(
            line=_line(i), role=frame.at[i, "role"], roles=", ".join(ROLES)))
    frame["label_fr"] = _text(frame, "label_fr")
    label_en = _text(frame, "label_en")
    frame["label_en"] = label_en.where(label_en != "", frame["label_fr"])
    frame["ewc_codes"] = _text(frame, "ewc_codes")
    for i, codes in frame["ewc_codes"].items():
        for code in codes.split():
            norm, _ = normalise_ewc(code)
            if not norm:
                _fail(path, tr("line {line}: List-of-Waste code '{code}' in 'ewc_codes' is malformed "
                               "(expected 6 digits such as 020501, space-separated).").format(line=_line(i), code=code))
    frame["max_distance_m"] = _numbers(frame, "max_distance_m", path, minimum=0)
    # the radius may grow with the supply's yearly quantity (core.reach)
    frame["distance_per_unit_m"] = _numbers(frame, "distance_per_unit_m", path, required=False, minimum=0).fillna(0.0)
    frame["max_distance_cap_m"] = _numbers(frame, "max_distance_cap_m", path, required=False, minimum=0).fillna(0.0)
    frame["value_eur_per_unit"] = _numbers(frame, "value_eur_per_unit", path, required=False).fillna(0.0)
    frame["transport_eur_per_unit_km"] = _numbers(frame, "transport_eur_per_unit_km", path, required=False, minimum=0).fillna(0.0)
    frame["co2_kg_per_unit_substituted"] = _numbers(frame, "co2_kg_per_unit_substituted", path, required=False).fillna(0.0)
    frame["source"] = _text(frame, "source")
    frame["rationale"] = _text(frame, "rationale")
    _check_sources(frame, path)
    return frame.reset_index(drop=True)


_taxonomy_loader = _cached(_load_taxonomy)


def load_taxonomy(path=None) -> pd.DataFrame:
    """Resources: ``code, family, role, label_fr, label_en, unit, ewc_codes, max_distance_m,
    value_eur_per_unit, transport_eur_per_unit_km, co2_kg_per_unit_substituted, source, rationale``."""
    return _taxonomy_loader(path, "taxonomy")


def resource_table(taxonomy: pd.DataFrame | None = None) -> dict:
    """``{code: {family, role, unit, max_distance_m, ...}}`` for quick lookups."""
    taxonomy = load_taxonomy() if taxonomy is None else taxonomy
    return taxonomy.set_index("code").to_dict("index")


def _taxonomy_key(taxonomy_path) -> tuple:
    resolved = _resolve(taxonomy_path, "taxonomy")
    return (str(resolved), _mtime(resolved))


def _codes(taxonomy) -> dict:
    return {row["code"]: row for row in taxonomy[["code", "family", "role", "unit"]].to_dict("records")}


# Compatibility --------------------------------------------------------------------------------
def _load_compatibility(path: Path, taxonomy_key) -> pd.DataFrame:
    taxonomy = load_taxonomy(taxonomy_key[0])
    codes = _codes(taxonomy)
    frame = _prepare(read_table(path), path, COMPATIBILITY_COLUMNS, _OPTIONAL["compatibility"])
    for column, allowed_roles, what in (("supply_resource", ("supply", "both"), tr("a supply")),
                                        ("demand_resource", ("demand", "both"), tr("a demand"))):
        frame[column] = _text(frame, column)
        for i, code in frame[column].items():
            if code not in codes:
                _fail(path, tr("line {line}, column '{column}': unknown resource '{code}'. Add it to taxonomy.csv "
                               "first.").format(line=_line(i), column=column, code=code))
            if codes[code]["role"] not in allowed_roles:
                _fail(path, tr("line {line}, column '{column}': '{code}' is not {what} in taxonomy.csv (role "
                               "'{role}').").format(line=_line(i), column=column, code=code, what=what,
                                                    role=codes[code]["role"]))
    _check_unique(frame, ["supply_resource", "demand_resource"], path)
    frame["kind"] = _text(frame, "kind").str.lower()
    bad = ~frame["kind"].isin(KINDS)
    if bad.any():
        i = bad.idxmax()
        _fail(path, tr("line {line}: kind '{kind}' is not one of {kinds}.").format(
            line=_line(i), kind=frame.at[i, "kind"], kinds=", ".join(KINDS)))
    frame["efficiency"] = _numbers(frame, "efficiency", path, minimum=0)
    if (frame["efficiency"] <= 0).any():
        i = (frame["efficiency"] <= 0).idxmax()
        _fail(path, tr("line {line}: efficiency must be above 0.").format(line=_line(i)))
    frame["min_temp_margin_k"] = _numbers(frame, "min_temp_margin_k", path, required=False)
    frame["min_supply_temp_c"] = _numbers(frame, "min_supply_temp_c", path, required=False)
    frame["heat_pump"] = _numbers(frame, "heat_pump", path, required=False, minimum=0, maximum=1).fillna(0).astype(bool)
    frame["priority"] = _numbers(frame, "priority", path, required=False, minimum=1).fillna(1).astype(int)
    frame["conditions"] = _text(frame, "conditions")
    frame["source"] = _text(frame, "source")
    frame["rationale"] = _text(frame, "rationale")
    _check_sources(frame, path)
    frame["family_supply"] = frame["supply_resource"].map(lambda c: codes[c]["family"])
    frame["family_demand"] = frame["demand_resource"].map(lambda c: codes[c]["family"])
    frame["unit_supply"] = frame["supply_resource"].map(lambda c: codes[c]["unit"])
    frame["unit_demand"] = frame["demand_resource"].map(lambda c: codes[c]["unit"])
    return frame.sort_values(["supply_resource", "priority", "demand_resource"]).reset_index(drop=True)


_compatibility_loader = _cached(_load_compatibility)


def load_compatibility(path=None, taxonomy_path=None) -> pd.DataFrame:
    """Supply → demand rules: ``supply_resource, demand_resource, kind, efficiency (demand units
    per supply unit), min_temp_margin_k, min_supply_temp_c, heat_pump (bool), priority (1 =
    preferred use), conditions, source, rationale`` + ``family_supply, family_demand,
    unit_supply, unit_demand``. Sorted by supply, priority, demand."""
    return _compatibility_loader(path, "compatibility", _taxonomy_key(taxonomy_path))


# Ratios -----------------------------------------------------------------------------------------
def _load_ratios(path: Path, taxonomy_key) -> pd.DataFrame:
    taxonomy = load_taxonomy(taxonomy_key[0])
    codes = _codes(taxonomy)
    frame = _prepare(read_table(path), path, RATIO_COLUMNS, _OPTIONAL["ratios"])
    raw_naf = frame["naf"]
    frame["naf"] = raw_naf.map(normalise_naf)
    bad = frame["naf"] == ""
    if bad.any():
        i = bad.idxmax()
        _fail(path, tr("line {line}: NAF code '{code}' is not a NAF rév. 2 sub-class (10.51C), class (10.51), "
                       "group (10.5) or division (10).").format(line=_line(i), code=raw_naf[i]))
    raw_direction = frame["direction"]
    frame["direction"] = raw_direction.map(normalise_direction)
    bad = frame["direction"] == ""
    if bad.any():
        i = bad.idxmax()
        _fail(path, tr("line {line}: direction '{value}' must be 'supply' or 'demand' ('ressource'/'besoin').").format(
            line=_line(i), value=raw_direction[i]))
    frame["resource"] = _text(frame, "resource")
    for i, (code, direction) in enumerate(zip(frame["resource"], frame["direction"])):
        if code not in codes:
            _fail(path, tr("line {line}: unknown resource '{code}'. Use a code of taxonomy.csv.").format(
                line=_line(frame.index[i]), code=code))
        if codes[code]["role"] not in (direction, "both"):
            _fail(path, tr("line {line}: resource '{code}' cannot be a {direction} (its role in taxonomy.csv is "
                           "'{role}').").format(line=_line(frame.index[i]), code=code, direction=direction,
                                                role=codes[code]["role"]))
    frame["profile"] = _text(frame, "profile").str.lower()
    _check_unique(frame, ["naf", "profile", "direction", "resource"], path)
    per_employee = _numbers(frame, "quantity_per_employee", path, required=False, minimum=0).fillna(0.0)
    fixed = _numbers(frame, "quantity_fixed", path, required=False, minimum=0).fillna(0.0)
    # Both zero is allowed: the row cancels a flow inherited from a less specific NAF level
    # (e.g. craft bakeries 10.71C have no process heat although division 10 has).
    canonical = frame["resource"].map(lambda c: codes[c]["unit"])
    factor, problem = units_mod.factors(frame["unit"], canonical)
    for pos, issue in enumerate(problem):
        if issue is not None:
            i = frame.index[pos]
            _fail(path, tr("line {line}: unit '{unit}' cannot be used for '{code}', counted in {canonical}. "
                           "Use one of: {accepted}.").format(
                line=_line(i), unit=frame.at[i, "unit"], code=frame.at[i, "resource"], canonical=canonical[i],
                accepted=", ".join(units_mod.accepted_units(canonical[i]))))
    frame["quantity_per_employee"] = per_employee * factor
    frame["quantity_fixed"] = fixed * factor
    frame["unit"] = canonical
    frame["family"] = frame["resource"].map(lambda c: codes[c]["family"])
    frame["temperature_c"] = _numbers(frame, "temperature_c", path, required=False, minimum=-50, maximum=1600)
    cancels = (per_employee <= 0) & (fixed <= 0)
    missing_temp = (frame["family"] == "heat") & frame["temperature_c"].isna() & ~cancels
    if missing_temp.any():
        i = missing_temp.idxmax()
        _fail(path, tr("line {line}: heat flow '{code}' needs a temperature_c (°C).").format(
            line=_line(i), code=frame.at[i, "resource"]))
    ewc = []
    for i, value in frame["ewc_code"].items():
        code, hazardous = normalise_ewc(value)
        if code is None:
            _fail(path, tr("line {line}: List-of-Waste code '{code}' is malformed (expected e.g. 02 05 01 or 020501).").format(
                line=_line(i), code=value))
        ewc.append(format_ewc(code, hazardous))
    frame["ewc_code"] = ewc
    frame["confidence"] = _numbers(frame, "confidence", path, minimum=0, maximum=1)
    frame["source"] = _text(frame, "source")
    frame["rationale"] = _text(frame, "rationale")
    _check_sources(frame, path)
    frame["level"] = frame["naf"].map(naf_level)
    frame["cancels"] = cancels
    columns = [*RATIO_COLUMNS, "profile", "family", "level", "cancels"]
    return frame[columns].sort_values(["naf", "profile", "direction", "resource"]).reset_index(drop=True)


_ratios_loader = _cached(_load_ratios)


def load_ratios(path=None, taxonomy_path=None) -> pd.DataFrame:
    """NAF → typical flows, quantities converted to the resource's canonical unit:
    ``naf`` (normalised, any level), ``direction``, ``resource``, ``quantity_per_employee``,
    ``quantity_fixed``, ``unit`` (canonical), ``temperature_c``, ``ewc_code`` (``"02 05 01"``
    form), ``confidence``, ``source``, ``rationale``, ``family``, ``level`` and ``cancels``
    (both quantities zero: the row removes a flow inherited from a less specific level).

    Lookup (``core.estimation``): for each direction × resource, the most specific level
    present for the establishment's NAF code wins (sub-class, then class, group, division);
    resources defined only at a less specific level are inherited."""
    return _ratios_loader(path, "ratios", _taxonomy_key(taxonomy_path))


# NAF labels -------------------------------------------------------------------------------------
def _load_naf_labels(path: Path, _extra) -> pd.DataFrame:
    frame = _prepare(read_table(path), path, NAF_COLUMNS, _OPTIONAL["naf"])
    raw = frame["naf"]
    frame["naf"] = raw.map(normalise_naf)
    bad = frame["naf"] == ""
    if bad.any():
        i = bad.idxmax()
        _fail(path, tr("line {line}: NAF code '{code}' is malformed.").format(line=_line(i), code=raw[i]))
    _check_unique(frame, ["naf"], path)
    frame["label_fr"] = _text(frame, "label_fr")
    frame["division"] = frame["naf"].str[:2]
    frame["section"] = _text(frame, "section").str.upper()
    frame["division_label"] = _text(frame, "division_label")
    frame["source"] = _text(frame, "source")
    _check_sources(frame, path, need_rationale=False)
    return frame[list(NAF_COLUMNS)].sort_values("naf").reset_index(drop=True)


_naf_loader = _cached(_load_naf_labels)


def load_naf_labels(path=None) -> pd.DataFrame:
    """NAF rév. 2 sub-classes: ``naf`` (``10.51C``), ``label_fr``, ``section``, ``division``,
    ``division_label``, ``source``."""
    return _naf_loader(path, "naf_labels")


def naf_label_map(path=None) -> dict:
    """``{naf: label_fr}``."""
    frame = load_naf_labels(path)
    return dict(zip(frame["naf"], frame["label_fr"]))


# List of Waste ----------------------------------------------------------------------------------
def _load_ewc(path: Path, _extra) -> pd.DataFrame:
    frame = _prepare(read_table(path), path, EWC_COLUMNS, _OPTIONAL["ewc"])
    codes, flags = [], []
    for i, value in frame["code"].items():
        code, star = normalise_ewc(value)
        if not code:
            _fail(path, tr("line {line}: List-of-Waste code '{code}' is malformed.").format(line=_line(i), code=value))
        codes.append(code)
        flags.append(star)
    frame["code"] = codes
    _check_unique(frame, ["code"], path)
    hazardous = _numbers(frame, "hazardous", path, required=False, minimum=0, maximum=1).fillna(0).astype(bool)
    frame["hazardous"] = hazardous | pd.Series(flags, index=frame.index)
    frame["chapter"] = frame["code"].str[:2]
    frame["level"] = frame["code"].str.len().map({2: "chapter", 4: "subchapter", 6: "entry"})
    frame["label_fr"] = _text(frame, "label_fr")
    frame["source"] = _text(frame, "source")
    _check_sources(frame, path, need_rationale=False)
    return frame[list(EWC_COLUMNS)].sort_values("code").reset_index(drop=True)


_ewc_loader = _cached(_load_ewc)


def load_ewc(path=None) -> pd.DataFrame:
    """List of Waste: ``code`` (``020501``, ``0205``, ``02``), ``label_fr``, ``chapter``,
    ``level`` (chapter/subchapter/entry), ``hazardous`` (bool), ``source``."""
    return _ewc_loader(path, "ewc")


# Emission factors -------------------------------------------------------------------------------
def _load_emission_factors(path: Path, _extra) -> pd.DataFrame:
    frame = _prepare(read_table(path), path, EMISSION_COLUMNS, _OPTIONAL["emission"])
    frame["code"] = _text(frame, "code")
    _check_unique(frame, ["code"], path)
    frame["unit"] = _text(frame, "unit")
    frame["co2_kg"] = _numbers(frame, "co2_kg", path, minimum=0)
    frame["pm10_g"] = _numbers(frame, "pm10_g", path, required=False, minimum=0)
    frame["nox_g"] = _numbers(frame, "nox_g", path, required=False, minimum=0)
    frame["source"] = _text(frame, "source")
    frame["rationale"] = _text(frame, "rationale")
    frame["source_url"] = _text(frame, "source_url")
    _check_sources(frame, path)
    _check_cited(frame, path)
    return frame.reset_index(drop=True)


def _check_cited(frame: pd.DataFrame, path: Path) -> None:
    """A published factor must say where it comes from and how it was turned into this row's unit: its
    source names a year, and its rationale (the conversion: efficiency, unit change) is not empty."""
    source = _text(frame, "source")
    cited = source.str.lower() != "assumption"
    no_year = cited & ~source.str.contains(r"(?:19|20)\d\d", regex=True)
    if no_year.any():
        i = no_year.idxmax()
        _fail(path, tr("line {line}: the source '{source}' names no year. Give the publication and its year, "
                       "or write 'assumption'.").format(line=_line(i), source=source[i]))
    no_rationale = cited & (_text(frame, "rationale") == "")
    if no_rationale.any():
        i = no_rationale.idxmax()
        _fail(path, tr("line {line}: a sourced factor needs a 'rationale' saying how the published figure "
                       "gives this value (unit, efficiency).").format(line=_line(i)))


_emission_loader = _cached(_load_emission_factors)


def load_emission_factors(path=None) -> pd.DataFrame:
    """``code, unit, co2_kg, pm10_g, nox_g, source, rationale`` (per MWh of heat from a fuel, per t.km…)."""
    return _emission_loader(path, "emission_factors")


def clear_caches() -> None:
    for loader in (_taxonomy_loader, _compatibility_loader, _ratios_loader, _naf_loader, _ewc_loader,
                   _emission_loader):
        loader.cache_clear()
