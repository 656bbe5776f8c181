"""Declared flows (company surveys): validation row by row and replacement of the estimates.

Valid rows replace the estimate for the same SIRET × direction × resource with
``origin=declared`` and ``confidence=1`` (:func:`apply_declared`); bad rows are rejected with
their line number and reason, unknown SIRETs reported.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..i18n import tr
from . import formatting, reference
from . import units as units_mod
from .errors import EitInputError
from .fields import FLOW_FIELDS, names

FLOW_COLUMNS = [*names(FLOW_FIELDS), "x", "y"]
DIRECTION_LETTER = {"supply": "S", "demand": "D"}
ORIGIN_DECLARED = "declared"

# A declared quantity above this (canonical unit per year) is beyond what any single site
# in the world handles: 1 Gt (world steel output is about 2 Gt a year, the largest mines
# move a few hundred Mt), 1,000 TWh (France's whole final energy use is about 1,600 TWh),
# 10 km3 of water (a large river's yearly flow). Such figures are unit or typing errors.
ABSURD_QUANTITY = {"t": 1e9, "MWh": 1e9, "m3": 1e10}

# Column spellings accepted in survey files (compared without case, accents, spaces, dashes).
DECLARED_ALIASES = {
    "siret": ("siret", "n_siret", "numero_siret", "num_siret", "no_siret", "siret_etablissement"),
    "direction": ("direction", "sens", "type_flux", "sens_flux", "ressource_besoin", "offre_besoin", "nature"),
    "resource": ("resource", "ressource", "resource_code", "code_ressource", "code_resource", "flux",
                 "type_ressource"),
    "quantity": ("quantity", "quantite", "qty", "quantite_annuelle", "quantity_per_year", "tonnage", "volume",
                 "quantite_an"),
    "unit": ("unit", "unite", "units", "unites"),
    "temperature_c": ("temperature_c", "temperature", "temp", "temp_c", "temperature_degc", "t_c", "t_degc"),
    "ewc_code": ("ewc_code", "ewc", "code_dechet", "code_ced", "ced", "low", "low_code", "code_nomenclature",
                 "code_dechets", "nomenclature_dechet"),
    "comment": ("comment", "commentaire", "commentaires", "remarque", "remarques", "note", "notes", "observation"),
}
DECLARED_REQUIRED = ("siret", "direction", "resource", "quantity")


@dataclass
class DeclaredReport:
    """Outcome of reading a declared-flows table."""

    label: str = ""
    n_rows: int = 0
    n_used: int = 0
    n_replaced: int = 0
    n_added: int = 0
    rejected: list = field(default_factory=list)  # (line, message)
    n_duplicates: int = 0
    unknown_sirets: list = field(default_factory=list)
    unknown_lines: list = field(default_factory=list)  # (line, siret) of the rows skipped for an unknown SIRET
    n_unknown_siret_rows: int = 0
    notes: list = field(default_factory=list)  # (line, message) kept rows with a remark

    @property
    def n_rejected(self) -> int:
        return len(self.rejected)

    def lines(self) -> list:
        out = [tr("Declared flows ({label}): {rows} rows, {used} used ({replaced} replace an estimate, {added} "
                  "added), {rejected} rejected, {unknown} for SIRETs not among the establishments.").format(
            label=self.label or "-", rows=self.n_rows, used=self.n_used, replaced=self.n_replaced,
            added=self.n_added, rejected=self.n_rejected, unknown=self.n_unknown_siret_rows)]
        for _line, message in self.rejected:
            out.append(message)
        for _line, message in self.notes:
            out.append(message)
        if self.unknown_lines:
            # the line number lets a user find the row even when the log hides the SIRET (public mode)
            shown = [tr("line {line} ({siret})").format(line=line, siret=siret) for line, siret in self.unknown_lines[:10]]
            more = len(self.unknown_lines) - len(shown)
            out.append(tr("Declared rows skipped because their SIRET is not among the establishments (they cannot "
                          "be placed on the map): {sirets}{more}. Check the SIRET or add the establishment.").format(
                sirets=", ".join(shown), more=tr(" and {} more").format(more) if more > 0 else ""))
        return out


# --------------------------------------------------------------------------------------------
# Declared flows
# --------------------------------------------------------------------------------------------
def _key(text) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower().strip()
    text = re.sub(r"[\s\-/().°]+", "_", text)
    return text.strip("_")


def map_declared_columns(columns, label: str = "") -> dict:
    """``{canonical: column as in the file}`` for a survey table; ``EitInputError`` if a required one lacks."""
    present = {_key(c): c for c in columns}
    mapping = {}
    for canonical, aliases in DECLARED_ALIASES.items():
        for alias in aliases:
            if alias in present:
                mapping[canonical] = present[alias]
                break
    missing = [c for c in DECLARED_REQUIRED if c not in mapping]
    if missing:
        raise EitInputError(tr("Declared flows '{label}': missing column(s) {missing}. Expected: siret, direction "
                               "(supply/demand or ressource/besoin), resource, quantity, unit, optional "
                               "temperature_c, ewc_code, comment. Columns found: {present}.").format(
            label=label, missing=", ".join(missing), present=", ".join(map(str, columns))))
    return mapping


def _parse_number(value):
    """``"1 234,5"`` / ``"1234.5"`` / ``1234.5`` → float; ``None`` if blank; ``nan`` if not a number."""
    if value is None:
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return None if (isinstance(value, float) and np.isnan(value)) else float(value)
    text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not text:
        return None
    if "," in text and "." in text:
        text = text.replace(",", "") if text.rfind(".") > text.rfind(",") else text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return float("nan")


class _Rejected(Exception):
    """A survey row refused; the message tells the user what to fix on that line."""


def _blank(value) -> bool:
    """Empty cell as pandas gives it (None or NaN)."""
    return value is None or (isinstance(value, float) and np.isnan(value))


def _declared_siret(siret, line: int) -> str:
    """The 14-digit SIRET; spreadsheets turn it into a float and drop its leading zeros."""
    siret_text = "" if _blank(siret) else str(siret)
    if isinstance(siret, (float, np.floating)) and not np.isnan(siret) and float(siret).is_integer():
        siret_text = str(int(siret)).zfill(14)
    siret_text = re.sub(r"[\s\u00a0.]", "", siret_text)
    if not re.fullmatch(r"\d{14}", siret_text):
        raise _Rejected(tr("Line {line}: SIRET '{value}' must be 14 digits.").format(line=line, value=siret_text or ""))
    return siret_text


def _declared_direction(direction, line: int) -> str:
    norm_dir = reference.normalise_direction(direction)
    if not norm_dir:
        raise _Rejected(tr("Line {line}: direction '{value}' must be 'supply' or 'demand' (French: 'ressource' or "
                           "'besoin').").format(line=line, value="" if direction is None else direction))
    return norm_dir


def _declared_resource(resource, norm_dir: str, codes: dict, line: int) -> tuple:
    """``(code, taxonomy entry)``; a near miss is suggested, a code of the wrong role refused."""
    code = "" if _blank(resource) else str(resource).strip()
    code_key = code.lower().replace(" ", "_").replace("-", "_")
    if code_key not in codes:
        close = difflib.get_close_matches(code_key, list(codes), n=1, cutoff=0.6)
        hint = tr(" (did you mean '{}'?)").format(close[0]) if close else ""
        raise _Rejected(tr("Line {line}: unknown resource '{value}'{hint}. Use a code of taxonomy.csv (e.g. "
                           "waste_heat, wood_waste, process_heat).").format(line=line, value=code, hint=hint))
    info = codes[code_key]
    if info["role"] not in (norm_dir, "both"):
        raise _Rejected(tr("Line {line}: resource '{code}' can only be a {role}, not a {direction}. Declare what is "
                           "needed with a demand code (e.g. solid_biomass_fuel, animal_feed) or what is given with a "
                           "supply code.").format(line=line, code=code_key, role=info["role"], direction=norm_dir))
    return code_key, info


def _declared_number(quantity, line: int) -> float:
    """A strictly positive quantity: the direction, not the sign, says who gives and who takes."""
    number = _parse_number(quantity)
    if number is None:
        raise _Rejected(tr("Line {line}: the quantity is missing.").format(line=line))
    if np.isnan(number):
        raise _Rejected(tr("Line {line}: quantity '{value}' is not a number.").format(line=line, value=quantity))
    if number < 0:
        raise _Rejected(tr("Line {line}: quantity {value} is negative: give the yearly quantity as a positive number "
                           "and the direction as supply or demand.").format(line=line, value=formatting.plain(number)))
    if number == 0:
        raise _Rejected(tr("Line {line}: quantity is zero: leave the row out when there is no flow.").format(line=line))
    return number


def _declared_quantity(quantity, unit, canonical: str, line: int, report: DeclaredReport) -> float:
    """The yearly quantity in the taxonomy's unit; a value beyond any real site is a unit mistake."""
    number = _declared_number(quantity, line)
    unit_text = "" if _blank(unit) else str(unit).strip()
    if unit_text:
        try:
            factor = units_mod.convert_factor(unit_text, canonical, tr("Line {}").format(line))
        except EitInputError as err:
            raise _Rejected(str(err)) from err
    else:
        factor = 1.0
        report.notes.append((line, tr("Line {line}: no unit given: the quantity is taken in {unit}.").format(
            line=line, unit=canonical)))
    value = number * factor
    cap = ABSURD_QUANTITY[canonical]
    if value > cap:
        raise _Rejected(tr("Line {line}: {value} {unit} a year is implausible for one establishment (more than {cap} "
                           "{canonical}, beyond any single site in the world): check the quantity and the unit.").format(
            line=line, value=formatting.plain(number), unit=unit_text or canonical, cap="{:.0e}".format(cap),
            canonical=canonical))
    return value


def _declared_temperature(temp, family: str, line: int):
    """°C or None; checked on every row (a typo is a typo) but only kept for heat."""
    temperature = _parse_number(temp)
    if temperature is not None and np.isnan(temperature):
        raise _Rejected(tr("Line {line}: temperature '{value}' is not a number (°C).").format(line=line, value=temp))
    if temperature is not None and not (-50 <= temperature <= 1600):
        raise _Rejected(tr("Line {line}: temperature {value} °C is out of range (-50 to 1600 °C).").format(
            line=line, value=formatting.plain(temperature)))
    return temperature if family == "heat" else None


def _declared_ewc(ewc_code, ewc_flags, ewc_subchapters, line: int, report: DeclaredReport) -> str:
    """The List-of-Waste code as "02 05 01" (with * when hazardous), or "".

    A doubtful code never rejects the flow: the flow is worth more than its code, so it is kept
    and the doubt goes to the notes.
    """
    raw_ewc = "" if _blank(ewc_code) else str(ewc_code)
    if not raw_ewc.strip():
        return ""
    norm, star = reference.normalise_ewc(raw_ewc)
    if not norm or len(norm) != 6:
        report.notes.append((line, tr("Line {line}: List-of-Waste code '{value}' is malformed (expected e.g. "
                                      "02 05 01): the flow is kept without a code.").format(
            line=line, value=raw_ewc.strip())))
        return ""
    if ewc_subchapters is not None and norm[:4] not in ewc_subchapters:
        report.notes.append((line, tr("Line {line}: '{value}' is not in the List of Waste: the flow is kept "
                                      "without a code.").format(line=line, value=raw_ewc.strip())))
        return ""
    if ewc_flags is not None and norm not in ewc_flags:
        # well-formed, in a known sub-chapter, but not among the shipped entries: keep it as written
        ewc_text = reference.format_ewc(norm, star)
        report.notes.append((line, tr("Line {line}: List-of-Waste code '{value}' is not in the shipped partial "
                                      "list: check it. The code is kept as written.").format(
            line=line, value=ewc_text)))
        return ewc_text
    hazardous = bool(ewc_flags[norm]) if ewc_flags is not None else star
    return reference.format_ewc(norm, hazardous)


def _ewc_reference(ewc):
    """``(hazardous flag by code, known sub-chapters)``, both None when no list can be read."""
    if ewc is None:
        try:
            ewc = reference.load_ewc()
        except EitInputError:
            return None, None
    ewc_flags = dict(zip(ewc["code"], ewc["hazardous"]))
    # sub-chapters known to the list (the shipped list is partial: every chapter and sub-chapter, but
    # only part of the 6-digit entries)
    ewc_subchapters = {str(c)[:4] for c in ewc["code"] if len(str(c)) >= 4}
    return ewc_flags, ewc_subchapters


def parse_declared(frame: pd.DataFrame, taxonomy: pd.DataFrame | None = None, ewc: pd.DataFrame | None = None,
                   label: str = "", report: DeclaredReport | None = None) -> tuple:
    """Validate a survey table → ``(declared, report)``.

    ``declared`` has ``siret, direction, resource, family, quantity, unit (canonical),
    temperature_c, ewc_code ("02 05 01"), comment, line`` — one row per SIRET × direction ×
    resource (the first; later duplicates are rejected). Rejected rows are listed in
    ``report.rejected`` as ``(line, message)`` with line = the file line (header = 1).
    """
    taxonomy = reference.load_taxonomy() if taxonomy is None else taxonomy
    report = report or DeclaredReport(label=label)
    report.label = label
    ewc_flags, ewc_subchapters = _ewc_reference(ewc)
    codes = taxonomy.set_index("code")[["family", "role", "unit"]].to_dict("index")
    frame = frame.reset_index(drop=True)
    report.n_rows = len(frame)
    if frame.empty:
        raise EitInputError(tr("Declared flows '{}': the table has no rows.").format(label))
    mapping = map_declared_columns(frame.columns, label)

    def col(name):
        return frame[mapping[name]] if name in mapping else pd.Series([None] * len(frame))

    rows, seen = [], {}
    for i, (siret, direction, resource, quantity, unit, temp, ewc_code, comment) in enumerate(zip(
            col("siret"), col("direction"), col("resource"), col("quantity"), col("unit"), col("temperature_c"),
            col("ewc_code"), col("comment"))):
        line = i + 2
        # checks run in the order of the columns a user fills in, and the first failure is the one reported
        try:
            siret_text = _declared_siret(siret, line)
            norm_dir = _declared_direction(direction, line)
            code_key, info = _declared_resource(resource, norm_dir, codes, line)
            value = _declared_quantity(quantity, unit, info["unit"], line, report)
            temperature = _declared_temperature(temp, info["family"], line)
            key = (siret_text, norm_dir, code_key)
            if key in seen:
                report.n_duplicates += 1
                raise _Rejected(tr("Line {line}: duplicate of line {first} (same SIRET, direction and resource): "
                                   "ignored. Merge the two rows into one if both are real.").format(
                    line=line, first=seen[key]))
        except _Rejected as rejected:
            report.rejected.append((line, str(rejected)))
            continue
        seen[key] = line
        rows.append({
            "siret": siret_text, "direction": norm_dir, "resource": code_key, "family": info["family"],
            "quantity": value, "unit": info["unit"],
            "temperature_c": np.nan if temperature is None else temperature,
            "ewc_code": _declared_ewc(ewc_code, ewc_flags, ewc_subchapters, line, report),
            "comment": "" if _blank(comment) else str(comment).strip(), "line": line,
        })
    declared = pd.DataFrame(rows, columns=["siret", "direction", "resource", "family", "quantity", "unit",
                                           "temperature_c", "ewc_code", "comment", "line"])
    if declared.empty and report.n_rows:
        first = "; ".join(message for _line, message in report.rejected[:3])
        raise EitInputError(tr("Declared flows '{label}': no usable row ({n} rejected). First problems: {first}").format(
            label=label, n=report.n_rejected, first=first))
    return declared, report


def apply_declared(flows: pd.DataFrame, declared: pd.DataFrame, establishments: pd.DataFrame,
                   report: DeclaredReport) -> pd.DataFrame:
    """Declared rows replace estimated flows with the same SIRET × direction × resource.

    ``establishments`` must have ``siret, name, naf, x, y`` (as prepared). Declared rows whose
    SIRET is not among them are skipped and listed in the report. A heat flow declared without
    temperature takes the temperature of the estimate it replaces, when there is one.
    O(n log n) in flows (the final sort by ``flow_id``); memory: the input and one copy of it.
    """
    places = establishments.drop_duplicates("siret").set_index("siret")[["name", "naf", "x", "y"]]
    known = declared["siret"].isin(places.index)
    report.unknown_sirets = sorted(declared.loc[~known, "siret"].unique().tolist())
    report.unknown_lines = [(int(line), siret) for line, siret in
                            declared.loc[~known, ["line", "siret"]].sort_values("line").itertuples(index=False)]
    report.n_unknown_siret_rows = int((~known).sum())
    declared = declared[known].copy()
    declared = declared.join(places, on="siret")
    declared["flow_id"] = declared["siret"] + ":" + declared["direction"].map(DIRECTION_LETTER) + ":" + declared["resource"]
    replaced = flows["flow_id"].isin(declared["flow_id"])
    report.n_replaced = int(declared["flow_id"].isin(flows["flow_id"]).sum())
    report.n_added = len(declared) - report.n_replaced
    report.n_used = len(declared)
    # temperature from the estimate when the survey gives none
    estimated_temp = pd.Series(flows["temperature_c"].to_numpy(), index=flows["flow_id"].to_numpy())  # no frame copy
    missing_temp = (declared["family"] == "heat") & declared["temperature_c"].isna()
    if missing_temp.any():
        fill = declared.loc[missing_temp, "flow_id"].map(estimated_temp)
        declared.loc[missing_temp, "temperature_c"] = fill
        for line, fid, temp in zip(declared.loc[missing_temp, "line"], declared.loc[missing_temp, "flow_id"], fill):
            if pd.isna(temp):
                report.notes.append((int(line), tr("Line {line}: heat flow {flow} declared without temperature_c and "
                                                   "no estimate to take it from: its temperature stays unknown.").format(
                    line=int(line), flow=fid)))
    declared["origin"] = ORIGIN_DECLARED
    declared["confidence"] = 1.0
    declared["ratio_source"] = [
        "{} ({}, {}){}".format(tr("declared"), report.label or "-", tr("line {}").format(int(n)),
                               " — {}".format(c[:120]) if c else "")
        for n, c in zip(declared["line"], declared["comment"])]
    if list(flows.columns) != list(FLOW_COLUMNS):
        combined = pd.concat([flows[~replaced], declared[FLOW_COLUMNS]], ignore_index=True)
        combined = combined.sort_values("flow_id", kind="mergesort")
        combined.index = pd.RangeIndex(len(combined))
        return combined
    # Built column by column in flow_id order (stable sort, as the concatenated table would be
    # sorted): one copy of the flows alive at a time besides the input, not three.
    kept = np.flatnonzero(~replaced.to_numpy())
    ids = pd.concat([flows["flow_id"].take(kept), declared["flow_id"]], ignore_index=True)
    order = pd.DataFrame({"flow_id": ids}).sort_values("flow_id", kind="mergesort").index.to_numpy()
    del ids
    combined = pd.DataFrame(index=pd.RangeIndex(len(order)))
    for col in FLOW_COLUMNS:
        combined[col] = pd.concat([flows[col].take(kept), declared[col]], ignore_index=True).take(order).reset_index(drop=True)
    return combined


