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

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..i18n import tr
from . import reference
from .declared import (  # noqa: F401 - re-exported: callers and tests use estimation.*
    ABSURD_QUANTITY,
    DECLARED_ALIASES,
    DIRECTION_LETTER,
    FLOW_COLUMNS,
    ORIGIN_DECLARED,
    DeclaredReport,
    _parse_number,
    apply_declared,
    map_declared_columns,
    parse_declared,
)
from .errors import EitInputError
from .feedback import NULL_FEEDBACK
from .profiles import choose_profiles, load_profiles, settle_profiles  # noqa: F401 - re-exported

ORIGIN_ESTIMATED = "estimated"



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
    profiles = load_profiles() if profiles is None else profiles
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
    # int32 codes and row numbers: the pair table is the largest of the step.
    pairs = pd.DataFrame({"code": codes.astype(np.int32), "e": np.arange(len(valid), dtype=np.int32)}).merge(
        pd.DataFrame({"code": ratio_codes.astype(np.int32), "r": np.arange(len(resolved), dtype=np.int32)}),
        on="code", how="inner", sort=False)
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


def build_flows(establishments: pd.DataFrame, declared: pd.DataFrame | None = None, ratios: pd.DataFrame | None = None,
                taxonomy: pd.DataFrame | None = None, feedback=None, ratio_label: str = "ratios.csv",
                declared_label: str = "", registers: dict | None = None, registers_label: str = "") -> tuple:
    """The whole step: settle activity profiles from the evidence, estimate, apply registered
    flows (``core.registers``: they replace the estimates of their family), then declared flows
    (they replace anything for the same SIRET × direction × resource): declared beats
    registered beats estimated. ``registers``: the output of ``registers.read_registers``.
    Returns ``(flows, EstimationReport)``."""
    from . import registers as registers_mod

    feedback = feedback or NULL_FEEDBACK
    report = EstimationReport()
    ratios = reference.load_ratios() if ratios is None else ratios
    declared_report = declared_rows = registered = None
    if declared is not None:
        declared_rows, declared_report = parse_declared(declared, taxonomy=taxonomy, label=declared_label)
    prepared = prepare_establishments(establishments, EstimationReport())
    facts, combustion = [], {}
    if registers is not None:
        registered, combustion, reg_report = registers_mod.registered_flows(
            registers, prepared, taxonomy, registers_mod.RegisterReport(label=registers_label))
        facts.append(registered.loc[registered["quantity"].notna(), ["siret", "direction", "resource"]])
    if declared_rows is not None:
        facts.append(declared_rows[["siret", "direction", "resource"]])
    evidence = settle_profiles(prepared, load_profiles(), ratios, pd.concat(facts) if facts else None, combustion)
    feedback.set_progress(10)
    flows, report = estimate_flows(establishments, ratios=ratios, feedback=feedback, ratio_label=ratio_label,
                                   report=report, evidence=evidence)
    feedback.set_progress(70)
    if registered is not None:
        flows = registers_mod.apply_registered(flows, registered, reg_report)
        report.registered = reg_report
    if declared_rows is not None:
        flows = apply_declared(flows, declared_rows, prepared, declared_report)
        report.declared = declared_report
    if registered is not None or declared_rows is not None:
        report.n_with_flows = flows["siret"].nunique()
    feedback.set_progress(80)
    return flows, report
