"""Flows of every establishment: NAF × headcount → typical flows; declared flows override.

Estimation (vectorised, a few seconds for a million establishments):

1. each establishment's NAF code is normalised (``1051C`` → ``10.51C``);
2. for each distinct NAF code, the ratio rows of ``ratios.csv`` are resolved per
   direction × resource from the most specific level present (sub-class, then class, group,
   division); a row with both quantities zero cancels an inherited flow;
3. quantity = ``quantity_per_employee × headcount_est + quantity_fixed`` in the resource's
   canonical unit per year; flows of zero quantity are not written;
4. establishments whose NAF code has no ratio at any level get no flow and are counted (by
   NAF division) in the report, never dropped silently.

Declared flows (company surveys) are validated row by row (:func:`parse_declared`): bad rows
are rejected with their line number and reason, unknown SIRETs are reported; valid rows
replace the estimate for the same SIRET × direction × resource with ``origin=declared`` and
``confidence=1`` (:func:`apply_declared`). :func:`build_flows` does all of it.
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
from .feedback import NULL_FEEDBACK
from .fields import FLOW_FIELDS, names

FLOW_COLUMNS = [*names(FLOW_FIELDS), "x", "y"]
DIRECTION_LETTER = {"supply": "S", "demand": "D"}
ORIGIN_ESTIMATED = "estimated"
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

# How much more likely a profile becomes when the site's known headcount reaches the profile's
# minimum (a 1,500-worker steelworks is more likely integrated than the national mix of sites).
SIZE_EVIDENCE = 3.0


# --------------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------------
@dataclass
class EstimationReport:
    """What happened, for the feedback and the algorithm's outputs."""

    n_establishments: int = 0
    n_with_flows: int = 0
    n_no_ratio: int = 0
    no_ratio_by_division: dict = field(default_factory=dict)
    n_invalid_naf: int = 0
    invalid_naf_examples: list = field(default_factory=list)
    n_zero_headcount: int = 0
    n_unknown_headcount: int = 0
    n_duplicate_sirets: int = 0
    n_estimated_flows: int = 0
    profiles: dict = field(default_factory=dict)  # basis (settled/name/prior) -> establishments
    declared: DeclaredReport | None = None
    registered: object = None  # core.registers.RegisterReport when registers were read

    def lines(self) -> list:
        """Translated summary lines (French in a French QGIS)."""
        out = [tr("{n} establishments read; {w} have at least one flow.").format(
            n=self.n_establishments, w=self.n_with_flows)]
        out.append(tr("{n} flows estimated from the ratio table.").format(n=self.n_estimated_flows))
        if self.n_no_ratio:
            by_div = ", ".join("{} ({})".format(div, count) for div, count in sorted(
                self.no_ratio_by_division.items(), key=lambda kv: (-kv[1], kv[0])))
            out.append(tr("{n} establishments have no ratio for their NAF code and got no estimated flow; "
                          "by NAF division: {divisions}. Add rows to a ratio file (RATIOS) or declare "
                          "their flows to cover them.").format(n=self.n_no_ratio, divisions=by_div))
        if self.n_invalid_naf:
            out.append(tr("{n} establishments have a missing, malformed or unknown NAF code (not in NAF rév. 2, "
                          "e.g. {examples}) and got no estimated flow.").format(n=self.n_invalid_naf,
                                                       examples=", ".join(self.invalid_naf_examples) or "-"))
        if self.n_zero_headcount:
            out.append(tr("{n} establishments have no employee (band 00) and a ratio expressed per employee "
                          "only: no flow estimated for them.").format(n=self.n_zero_headcount))
        if self.n_unknown_headcount:
            out.append(tr("{n} establishments have an unknown headcount (band NN): only the fixed part of "
                          "the ratios was estimated for them.").format(n=self.n_unknown_headcount))
        if self.n_duplicate_sirets:
            out.append(tr("{n} establishments appear more than once (same SIRET): only the first was used.").format(
                n=self.n_duplicate_sirets))
        if self.profiles:
            out.append(tr("{n} establishments have a NAF code that covers different kinds of plants: profile settled "
                          "by declared or registered data for {s}, read from the name for {m}, most likely one "
                          "assumed for {p} (their confidence is lowered; see ratio_source).").format(
                n=sum(self.profiles.values()), s=self.profiles.get("settled", 0), m=self.profiles.get("name", 0),
                p=self.profiles.get("prior", 0)))
        if self.registered is not None:
            out.extend(self.registered.lines())
        if self.declared is not None:
            out.extend(self.declared.lines())
        return out



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
        if self.unknown_sirets:
            shown = self.unknown_sirets[:10]
            more = len(self.unknown_sirets) - len(shown)
            out.append(tr("Declared rows skipped because their SIRET is not among the establishments (they cannot "
                          "be placed on the map): {sirets}{more}. Check the SIRET or add the establishment.").format(
                sirets=", ".join(shown), more=tr(" and {} more").format(more) if more > 0 else ""))
        return out


# --------------------------------------------------------------------------------------------
# Establishments
# --------------------------------------------------------------------------------------------
def _headcount_from_band(bands: pd.Series) -> tuple:
    """``(estimate, known)`` arrays from INSEE headcount bands (via ``core.sirene``)."""
    try:
        from .sirene import headcount_estimate, headcount_known, normalise_band
    except ImportError:  # pragma: no cover - sirene is part of core
        return pd.Series(np.nan, index=bands.index), pd.Series(False, index=bands.index)
    uniques = bands.drop_duplicates().tolist()
    est, known = {}, {}
    for band in uniques:
        norm = normalise_band(band)
        if norm is None:
            est[band], known[band] = np.nan, False
        else:
            est[band], known[band] = float(headcount_estimate(norm)), bool(headcount_known(norm))
    return bands.map(est).astype(float), bands.map(known).astype(bool)


def prepare_establishments(establishments: pd.DataFrame, report: EstimationReport) -> pd.DataFrame:
    """Columns ``siret, name, naf, naf_norm, headcount, headcount_known, x, y``; one row per SIRET."""
    frame = establishments
    cols = {c.lower(): c for c in frame.columns}
    if "siret" not in cols or "naf" not in cols:
        missing = [c for c in ("siret", "naf") if c not in cols]
        raise EitInputError(tr("The establishments table has no column {missing}; its columns are: {present}. "
                               "Use the output of 'Import SIRENE establishments'.").format(
            missing=", ".join("'{}'".format(m) for m in missing), present=", ".join(map(str, frame.columns))))
    out = pd.DataFrame({
        "siret": np.char.strip(frame[cols["siret"]].to_numpy().astype(str)).astype(object),
        "name": frame[cols["name"]] if "name" in cols else None,
        "naf": frame[cols["naf"]],
        "x": pd.to_numeric(frame[cols["x"]], errors="coerce") if "x" in cols else np.nan,
        "y": pd.to_numeric(frame[cols["y"]], errors="coerce") if "y" in cols else np.nan,
    })
    out = out.reset_index(drop=True)
    report.n_establishments = len(out)
    dup = out["siret"].duplicated(keep="first")
    report.n_duplicate_sirets = int(dup.sum())
    out = out[~dup].reset_index(drop=True)

    # headcount: headcount_est when given, else from the band
    head = pd.Series(np.nan, index=out.index)
    known = pd.Series(False, index=out.index)
    if "headcount_est" in cols:
        given = pd.to_numeric(frame[cols["headcount_est"]], errors="coerce").reset_index(drop=True)[~dup.values]
        head = given.reset_index(drop=True)
        known = head.notna()
    if "headcount_band" in cols:
        bands = frame[cols["headcount_band"]].reset_index(drop=True)[~dup.values].reset_index(drop=True)
        band_est, band_known = _headcount_from_band(bands)
        fill = head.isna()
        head = head.where(~fill, band_est)
        # A band of NN means "unknown" even when a 0 estimate was written beside it.
        unknown_band = bands.map({b: b is None or pd.isna(b) or str(b).strip().upper() in ("NN", "")
                                  for b in bands.drop_duplicates().tolist()}).astype(bool)
        known = (known & ~unknown_band) | (fill & band_known)
    report.n_unknown_headcount = int((~known).sum())
    out["headcount"] = head.fillna(0.0).clip(lower=0.0)
    out["headcount_known"] = known.values

    # NAF: normalise each distinct code once
    naf_text = out["naf"].where(out["naf"].notna(), "")
    uniques = pd.unique(naf_text.astype(str))
    mapping = {code: reference.normalise_naf(code) for code in uniques}
    try:  # a well-formed sub-class that NAF rév. 2 does not have (00.00Z, 99.99Z) is unknown
        subclasses = set(reference.load_naf_labels()["naf"])
    except EitInputError:  # pragma: no cover - shipped file
        subclasses = None
    if subclasses:
        mapping = {code: ("" if reference.naf_level(norm) == "subclass" and norm not in subclasses else norm)
                   for code, norm in mapping.items()}
    out["naf_norm"] = naf_text.astype(str).map(mapping)
    bad = out["naf_norm"] == ""
    report.n_invalid_naf = int(bad.sum())
    report.invalid_naf_examples = sorted({str(v).strip() for v in out.loc[bad, "naf"].head(50)
                                          if v is not None and not pd.isna(v) and str(v).strip()})[:5]
    # NAF written in the output as normalised when valid, else as given
    out["naf"] = out["naf_norm"].where(~bad, naf_text.astype(str))
    return out


# --------------------------------------------------------------------------------------------
# Ratio resolution
# --------------------------------------------------------------------------------------------
def resolve_ratios(naf_codes, ratios: pd.DataFrame) -> pd.DataFrame:
    """Ratio rows applying to each NAF code (per direction × resource, most specific level wins).

    ``naf_codes`` are NAF codes, or ``code#profile`` keys: then the rows of that profile
    apply too and, at the same NAF level, win over the rows common to every profile; rows of
    other profiles are ignored. Returns one row per key (``naf_norm``) × direction × resource
    with the ratio columns and ``ratio_key`` (the NAF code of the row used).
    """
    rows = []
    for item in sorted(set(naf_codes)):
        code, _, profile = str(item).partition("#")
        for rank, key in enumerate(reference.naf_keys(code)):
            rows.append((item, key, rank, profile))
    keys = pd.DataFrame(rows, columns=["naf_norm", "ratio_key", "rank", "chosen_profile"])
    if keys.empty:
        return pd.DataFrame(columns=["naf_norm", "ratio_key", "rank", *ratios.columns])
    if "profile" not in ratios.columns:
        ratios = ratios.assign(profile="")
    candidates = keys.merge(ratios, left_on="ratio_key", right_on="naf", how="inner")
    candidates = candidates[(candidates["profile"] == "") | (candidates["profile"] == candidates["chosen_profile"])]
    candidates = candidates.assign(common=candidates["profile"] == "")
    candidates = candidates.sort_values(["naf_norm", "direction", "resource", "rank", "common"], kind="mergesort")
    best = candidates.drop_duplicates(["naf_norm", "direction", "resource"], keep="first")
    return best.drop(columns=["chosen_profile", "common"]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Activity profiles
# --------------------------------------------------------------------------------------------
def _fold_name(text) -> str:
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").upper()
    return " " + re.sub(r"[^A-Z0-9]+", " ", text).strip() + " "


def choose_profiles(est: pd.DataFrame, profiles: pd.DataFrame | None, evidence: dict | None = None) -> pd.DataFrame:
    """The likely profile of each establishment whose NAF code covers different plants.

    ``est``: prepared establishments (``siret, name, naf_norm, headcount, headcount_known``).
    Candidates: the profiles of the most specific NAF level present in ``profiles``, minus
    those whose ``min_headcount`` exceeds a known headcount. The choice, in order:
    ``evidence[siret]`` (a profile settled by declared or registered data: share 1); a
    profile whose name keywords appear in the establishment's name (share at least 0.8);
    the highest weight = prior × ``SIZE_EVIDENCE`` when a known headcount reaches the
    profile's ``min_headcount`` (else × 1). ``profile_share`` = the chosen profile's prior over the candidates'
    priors: the confidence of the profile's own rows is multiplied by it. Returns ``siret,
    profile, profile_share, profile_basis`` (``settled``/``name``/``prior``) and
    ``profile_alternatives`` (the other candidates with their shares, as text).
    """
    evidence = evidence or {}
    cols = ["siret", "profile", "profile_share", "profile_basis", "profile_alternatives"]
    if profiles is None or profiles.empty or est.empty:
        return pd.DataFrame(columns=cols)
    keys = set(profiles["naf"])
    by_key = {k: g.sort_values(["prior", "profile"], ascending=[False, True]).to_dict("records")
              for k, g in profiles.groupby("naf", sort=True)}
    level_of = {code: next((k for k in reference.naf_keys(code) if k in keys), None)
                for code in est["naf_norm"].unique()}
    names = est["name"] if "name" in est.columns else pd.Series([None] * len(est), index=est.index)
    rows = []
    for siret, name, code, head, known in zip(est["siret"], names, est["naf_norm"], est["headcount"],
                                               est["headcount_known"]):
        key = level_of.get(code)
        if key is None:
            continue
        every = by_key[key]
        cands = [p for p in every if not known or head >= p["min_headcount"]] or every[-1:]
        # A known headcount reaching a profile's minimum is evidence for that (large-plant) profile.
        weight = {p["profile"]: p["prior"] * (SIZE_EVIDENCE if known and 0 < p["min_headcount"] <= head else 1.0)
                  for p in cands}
        cands = sorted(cands, key=lambda p: (-weight[p["profile"]], p["profile"]))
        total = sum(weight.values()) or 1.0
        chosen, basis, share = None, "prior", 0.0
        settled = evidence.get(siret)
        if settled is not None and any(p["profile"] == settled for p in every):
            chosen = next(p for p in every if p["profile"] == settled)
            basis, share = "settled", 1.0
        if chosen is None:
            folded = _fold_name(name)
            for p in cands:
                words = [w.strip() for w in p["name_keywords"].split("|") if w.strip()]
                if folded.strip() and any(" " + w in folded for w in words):
                    chosen, basis, share = p, "name", max(0.8, weight[p["profile"]] / total)
                    break
        if chosen is None:
            chosen = cands[0]
            share = weight[chosen["profile"]] / total
        others = [p for p in cands if p["profile"] != chosen["profile"]]
        alt = ", ".join("{} {:.0f} %".format(p["profile"], 100 * weight[p["profile"]] / total) for p in others)
        rows.append((siret, chosen["profile"], float(min(share, 1.0)), basis, alt))
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------------------------
# Estimation
# --------------------------------------------------------------------------------------------
def estimate_flows(establishments: pd.DataFrame, ratios: pd.DataFrame | None = None, feedback=None,
                   ratio_label: str = "ratios.csv", report: EstimationReport | None = None,
                   profiles: pd.DataFrame | None = None, evidence: dict | None = None) -> tuple:
    """Estimated flows of every establishment → ``(flows, report)``.

    ``establishments``: ``siret``, ``naf``, ``headcount_est`` and/or ``headcount_band``,
    optional ``name``, ``x``, ``y``. ``ratios``: ``core.reference.load_ratios()`` output
    (shipped table when None). ``profiles``: ``core.reference.load_profiles()`` (shipped
    when None; an empty frame turns profiles off); ``evidence``: ``{siret: profile}``
    settled by declared or registered data (see :func:`choose_profiles`). ``flows`` has
    ``FLOW_COLUMNS``, sorted by ``flow_id``.
    """
    feedback = feedback or NULL_FEEDBACK
    report = report or EstimationReport()
    ratios = reference.load_ratios() if ratios is None else ratios
    est = prepare_establishments(establishments, report)
    feedback.check_cancelled()
    valid = est[est["naf_norm"] != ""].copy()
    profiles = reference.load_profiles() if profiles is None else profiles
    chosen = choose_profiles(valid, profiles, evidence).set_index("siret")
    valid["profile"] = valid["siret"].map(chosen["profile"]).fillna("")
    valid["profile_share"] = valid["siret"].map(chosen["profile_share"]).fillna(1.0).astype(float)
    valid["profile_note"] = [
        "" if not prof else " — {} {} ({}, {:.0f} %{})".format(
            tr("profile"), prof, basis, 100 * share, "; " + tr("alternatives: {}").format(alt) if alt else "")
        for prof, basis, share, alt in zip(valid["profile"], valid["siret"].map(chosen["profile_basis"]).fillna(""),
                                           valid["profile_share"],
                                           valid["siret"].map(chosen["profile_alternatives"]).fillna(""))]
    report.profiles = chosen["profile_basis"].value_counts().to_dict() if len(chosen) else {}
    valid["naf_key"] = np.where(valid["profile"] != "", valid["naf_norm"] + "#" + valid["profile"], valid["naf_norm"])
    resolved = resolve_ratios(valid["naf_key"].unique(), ratios)
    # An establishment is covered when its NAF code has rows at some level, even if they all
    # cancel (e.g. waste collectors, whose flows are counted at the producers).
    ratio_keys = set(ratios["naf"])
    has_any = {code for code in valid["naf_norm"].unique() if any(k in ratio_keys for k in reference.naf_keys(code))}
    no_ratio = valid[~valid["naf_norm"].isin(has_any)]
    report.n_no_ratio = int(len(no_ratio))
    report.no_ratio_by_division = no_ratio["naf_norm"].str[:2].value_counts().sort_index().to_dict()

    resolved = resolved[~resolved["cancels"]] if "cancels" in resolved else resolved
    feedback.check_cancelled()
    if valid.empty or resolved.empty:
        return pd.DataFrame(columns=FLOW_COLUMNS), report
    # Per-ratio strings built once (a few hundred rows), not per flow.
    resolved = resolved.assign(
        suffix=":" + resolved["direction"].map(DIRECTION_LETTER) + ":" + resolved["resource"],
        ratio_source="{}:".format(ratio_label) + resolved["ratio_key"]
        + np.where(resolved["profile"] != "", "[" + resolved["profile"] + "]", "") + " — " + resolved["source"])
    resolved = resolved.sort_values("suffix", kind="mergesort")
    resolved = resolved.reset_index(drop=True)
    # Establishments in SIRET order, so that integer ranks give the flow_id order. Work on
    # integer indexes (establishment e × ratio row r) and numpy arrays: no wide DataFrame
    # merge or take on millions of rows.
    sirets = valid["siret"].to_numpy(dtype=object)
    order = np.argsort(sirets.astype(str), kind="stable")
    valid = valid.iloc[order]
    codes, uniques = pd.factorize(valid["naf_key"])
    ratio_codes = pd.Index(uniques).get_indexer(resolved["naf_norm"])
    pairs = pd.DataFrame({"code": codes, "e": np.arange(len(valid))}).merge(
        pd.DataFrame({"code": ratio_codes, "r": np.arange(len(resolved))}), on="code", how="inner", sort=False)
    e = pairs["e"].to_numpy()
    r = pairs["r"].to_numpy()
    quantity = (resolved["quantity_per_employee"].to_numpy()[r] * valid["headcount"].to_numpy()[e]
                + resolved["quantity_fixed"].to_numpy()[r])
    positive = quantity > 0
    known = valid["headcount_known"].to_numpy()[e]
    report.n_zero_headcount = int(np.setdiff1d(e[known], e[positive]).size)
    feedback.check_cancelled()
    e, r, quantity = e[positive], r[positive], quantity[positive]
    order = np.lexsort((r, e))
    e, r, quantity = e[order], r[order], quantity[order]

    def est_col(name):
        return valid[name].to_numpy(dtype=object if valid[name].dtype == object else None)[e]

    def ratio_col(name):
        return resolved[name].to_numpy()[r]

    siret = est_col("siret")
    profile_row = (resolved["profile"].to_numpy(dtype=object)[r] != "") if "profile" in resolved else np.zeros(len(r), bool)
    flows = pd.DataFrame({
        "flow_id": siret + resolved["suffix"].to_numpy(dtype=object)[r],
        "siret": siret,
        "name": est_col("name"),
        "naf": est_col("naf"),
        "direction": ratio_col("direction"),
        "resource": ratio_col("resource"),
        "family": ratio_col("family"),
        "quantity": quantity,
        "unit": ratio_col("unit"),
        "temperature_c": resolved["temperature_c"].to_numpy(dtype=float)[r],
        "ewc_code": ratio_col("ewc_code"),
        "origin": ORIGIN_ESTIMATED,
        "confidence": resolved["confidence"].to_numpy(dtype=float)[r]
        * np.where(profile_row, valid["profile_share"].to_numpy(dtype=float)[e], 1.0),
        "ratio_source": ratio_col("ratio_source") + np.where(
            valid["profile"].to_numpy(dtype=object)[e] != "", valid["profile_note"].to_numpy(dtype=object)[e], ""),
        "x": valid["x"].to_numpy(dtype=float)[e],
        "y": valid["y"].to_numpy(dtype=float)[e],
    }, columns=FLOW_COLUMNS, copy=False)
    report.n_estimated_flows = len(flows)
    report.n_with_flows = int(np.unique(e).size)
    return flows, report


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
    if ewc is None:
        try:
            ewc = reference.load_ewc()
        except EitInputError:
            ewc = None
    ewc_flags = dict(zip(ewc["code"], ewc["hazardous"])) if ewc is not None else None
    # sub-chapters known to the list (the shipped list is partial: every chapter and sub-chapter, but
    # only part of the 6-digit entries)
    ewc_subchapters = {str(c)[:4] for c in ewc["code"] if len(str(c)) >= 4} if ewc is not None else None
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

        def reject(message, line=line):
            report.rejected.append((line, message))

        # SIRET
        siret_text = "" if siret is None or (isinstance(siret, float) and np.isnan(siret)) else str(siret)
        if isinstance(siret, (float, np.floating)) and not np.isnan(siret) and float(siret).is_integer():
            siret_text = str(int(siret)).zfill(14)
        siret_text = re.sub(r"[\s\u00a0.]", "", siret_text)
        if not re.fullmatch(r"\d{14}", siret_text):
            reject(tr("Line {line}: SIRET '{value}' must be 14 digits.").format(line=line, value=siret_text or ""))
            continue
        # direction
        norm_dir = reference.normalise_direction(direction)
        if not norm_dir:
            reject(tr("Line {line}: direction '{value}' must be 'supply' or 'demand' (French: 'ressource' or "
                      "'besoin').").format(line=line, value="" if direction is None else direction))
            continue
        # resource
        code = "" if resource is None or (isinstance(resource, float) and np.isnan(resource)) else str(resource).strip()
        code_key = code.lower().replace(" ", "_").replace("-", "_")
        if code_key not in codes:
            close = difflib.get_close_matches(code_key, list(codes), n=1, cutoff=0.6)
            hint = tr(" (did you mean '{}'?)").format(close[0]) if close else ""
            reject(tr("Line {line}: unknown resource '{value}'{hint}. Use a code of taxonomy.csv (e.g. waste_heat, "
                      "wood_waste, process_heat).").format(line=line, value=code, hint=hint))
            continue
        info = codes[code_key]
        if info["role"] not in (norm_dir, "both"):
            reject(tr("Line {line}: resource '{code}' can only be a {role}, not a {direction}. Declare what is "
                      "needed with a demand code (e.g. solid_biomass_fuel, animal_feed) or what is given with a "
                      "supply code.").format(line=line, code=code_key, role=info["role"], direction=norm_dir))
            continue
        # quantity and unit
        number = _parse_number(quantity)
        if number is None:
            reject(tr("Line {line}: the quantity is missing.").format(line=line))
            continue
        if np.isnan(number):
            reject(tr("Line {line}: quantity '{value}' is not a number.").format(line=line, value=quantity))
            continue
        if number < 0:
            reject(tr("Line {line}: quantity {value} is negative: give the yearly quantity as a positive number "
                      "and the direction as supply or demand.").format(line=line, value=formatting.plain(number)))
            continue
        if number == 0:
            reject(tr("Line {line}: quantity is zero: leave the row out when there is no flow.").format(line=line))
            continue
        canonical = info["unit"]
        unit_text = "" if unit is None or (isinstance(unit, float) and np.isnan(unit)) else str(unit).strip()
        if unit_text:
            try:
                factor = units_mod.convert_factor(unit_text, canonical, tr("Line {}").format(line))
            except EitInputError as err:
                reject(str(err))
                continue
        else:
            factor = 1.0
            report.notes.append((line, tr("Line {line}: no unit given: the quantity is taken in {unit}.").format(
                line=line, unit=canonical)))
        value = number * factor
        cap = ABSURD_QUANTITY[canonical]
        if value > cap:
            reject(tr("Line {line}: {value} {unit} a year is implausible for one establishment (more than {cap} "
                      "{canonical}, beyond any single site in the world): check the quantity and the unit.").format(
                line=line, value=formatting.plain(number), unit=unit_text or canonical, cap="{:.0e}".format(cap),
                canonical=canonical))
            continue
        # temperature
        temperature = _parse_number(temp)
        if temperature is not None and np.isnan(temperature):
            reject(tr("Line {line}: temperature '{value}' is not a number (°C).").format(line=line, value=temp))
            continue
        if temperature is not None and not (-50 <= temperature <= 1600):
            reject(tr("Line {line}: temperature {value} °C is out of range (-50 to 1600 °C).").format(
                line=line, value=formatting.plain(temperature)))
            continue
        if info["family"] != "heat":
            temperature = None
        key = (siret_text, norm_dir, code_key)
        if key in seen:
            report.n_duplicates += 1
            reject(tr("Line {line}: duplicate of line {first} (same SIRET, direction and resource): ignored. Merge "
                      "the two rows into one if both are real.").format(line=line, first=seen[key]))
            continue
        seen[key] = line
        # List-of-Waste code
        ewc_text = ""
        raw_ewc = "" if ewc_code is None or (isinstance(ewc_code, float) and np.isnan(ewc_code)) else str(ewc_code)
        if raw_ewc.strip():
            norm, star = reference.normalise_ewc(raw_ewc)
            if not norm or len(norm) != 6:
                report.notes.append((line, tr("Line {line}: List-of-Waste code '{value}' is malformed (expected e.g. "
                                              "02 05 01): the flow is kept without a code.").format(
                    line=line, value=raw_ewc.strip())))
            elif ewc_subchapters is not None and norm[:4] not in ewc_subchapters:
                report.notes.append((line, tr("Line {line}: '{value}' is not in the List of Waste: the flow is kept "
                                              "without a code.").format(line=line, value=raw_ewc.strip())))
            elif ewc_flags is not None and norm not in ewc_flags:
                # well-formed, in a known sub-chapter, but not among the shipped entries: keep it as written
                ewc_text = reference.format_ewc(norm, star)
                report.notes.append((line, tr("Line {line}: List-of-Waste code '{value}' is not in the shipped partial "
                                              "list: check it. The code is kept as written.").format(
                    line=line, value=ewc_text)))
            else:
                hazardous = bool(ewc_flags[norm]) if ewc_flags is not None else star
                ewc_text = reference.format_ewc(norm, hazardous)
        rows.append({
            "siret": siret_text, "direction": norm_dir, "resource": code_key, "family": info["family"],
            "quantity": value, "unit": canonical, "temperature_c": np.nan if temperature is None else temperature,
            "ewc_code": ewc_text, "comment": "" if comment is None or (isinstance(comment, float) and np.isnan(comment))
            else str(comment).strip(), "line": line,
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
    """
    places = establishments.drop_duplicates("siret").set_index("siret")[["name", "naf", "x", "y"]]
    known = declared["siret"].isin(places.index)
    report.unknown_sirets = sorted(declared.loc[~known, "siret"].unique().tolist())
    report.n_unknown_siret_rows = int((~known).sum())
    declared = declared[known].copy()
    declared = declared.join(places, on="siret")
    declared["flow_id"] = declared["siret"] + ":" + declared["direction"].map(DIRECTION_LETTER) + ":" + declared["resource"]
    replaced = flows["flow_id"].isin(declared["flow_id"])
    report.n_replaced = int(declared["flow_id"].isin(flows["flow_id"]).sum())
    report.n_added = len(declared) - report.n_replaced
    report.n_used = len(declared)
    # temperature from the estimate when the survey gives none
    estimated_temp = flows.set_index("flow_id")["temperature_c"]
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
    combined = pd.concat([flows[~replaced], declared[FLOW_COLUMNS]], ignore_index=True)
    return combined.sort_values("flow_id", kind="mergesort").reset_index(drop=True)


def build_flows(establishments: pd.DataFrame, declared: pd.DataFrame | None = None, ratios: pd.DataFrame | None = None,
                taxonomy: pd.DataFrame | None = None, feedback=None, ratio_label: str = "ratios.csv",
                declared_label: str = "") -> tuple:
    """The whole step: estimate, then apply declared flows. Returns ``(flows, EstimationReport)``."""
    feedback = feedback or NULL_FEEDBACK
    report = EstimationReport()
    declared_report = None
    declared_rows = None
    if declared is not None:
        declared_rows, declared_report = parse_declared(declared, taxonomy=taxonomy, label=declared_label)
    feedback.set_progress(10)
    flows, report = estimate_flows(establishments, ratios=ratios, feedback=feedback, ratio_label=ratio_label,
                                   report=report)
    feedback.set_progress(70)
    if declared_rows is not None:
        prepared = prepare_establishments(establishments, EstimationReport())
        flows = apply_declared(flows, declared_rows, prepared, declared_report)
        report.declared = declared_report
        report.n_with_flows = flows["siret"].nunique()
    feedback.set_progress(80)
    return flows, report
