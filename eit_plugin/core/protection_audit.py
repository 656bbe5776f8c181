"""The auditor of a public output: every published figure's coverage, derivable
differences, geometry near establishment positions, identifiers, names and firm figures in
texts (``core.protection.audit``)."""
from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from .protection import Audit, _est_xy, _xy
from .protection_cells import (
    CLEARANCE_M,
    MIN_GAP_M,
    Cells,
    Rule,
    _balance_columns,
    _lower,
    _num,
    _text,
    _zone_commune_cells,
    safe_positions,
)
from .protection_geometry import _cluster_contributions

# Auditor ----------------------------------------------------------------------------------------
# digits standing alone (a run of digits inside a SHA-256 or an id is not a SIRET)
SIRET_RE = re.compile(r"(?<![0-9A-Za-z])\d{3}[ \u00a0\u202f]?\d{3}[ \u00a0\u202f]?\d{3}[ \u00a0\u202f]?\d{5}(?![0-9A-Za-z])")
SIREN_RE = re.compile(r"(?<![0-9A-Za-z])\d{3}[ \u00a0\u202f]?\d{3}[ \u00a0\u202f]?\d{3}(?![0-9A-Za-z])")
COORD_RE = re.compile(r"(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)")
NUMBER_UNIT_RE = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:([.,])(\d+))?\s*"
    r"(t|tonnes?|MWh|m3|m³|kg|€|EUR|t CO2|tCO2)(?![\w])(?!/(?!an\b|yr\b))")  # "40 €/t" is a rate, not a figure


def redact(text: str, names=()) -> str:
    """A log line without SIRET/SIREN numbers (and the given names)."""
    text = SIRET_RE.sub("[SIRET]", str(text))
    text = SIREN_RE.sub("[SIREN]", text)
    for name in names:
        if name and len(name) >= 4:
            text = re.sub(r"(?i)(?<!\w){}(?!\w)".format(re.escape(name)), "[établissement]", text)
    return text


def _wkt_points(values) -> np.ndarray:
    pts = []
    for wkt in values:
        if wkt is None or (isinstance(wkt, float) and math.isnan(wkt)):
            continue
        pts.extend((float(a), float(b)) for a, b in COORD_RE.findall(str(wkt)))
    return np.array(pts, dtype=float).reshape(-1, 2)


def _parse_number(integer: str, sep: str | None, decimals: str | None) -> set:
    """The values a written number may stand for ("10,620" is 10.62 in French, 10620 in English)."""
    digits = re.sub(r"[ \u00a0\u202f]", "", integer)
    if sep and decimals:
        values = {float("{}.{}".format(digits, decimals))}
        if len(decimals) == 3:
            values.add(float(digits + decimals))
        return values
    return {float(digits)}


def _secret_values(flows, internal: dict) -> dict:
    """Firm-level figures an attacker would look for in public texts: each establishment's
    quantity per resource and per family, and each synergy's figures (rounded)."""
    values = set()
    if flows is not None and len(flows):
        fl = _lower(flows)
        q = _num(flows[fl["quantity"]]).abs()
        f = pd.DataFrame({"siret": flows[fl["siret"]].astype(str), "resource": flows[fl["resource"]].astype(str),
                          "family": flows[fl["family"]].astype(str), "q": q})
        f = f[f["siret"].str.len() > 0]
        values.update(f.groupby(["siret", "resource"])["q"].sum().tolist())
        values.update(f.groupby(["siret", "family"])["q"].sum().tolist())
    syn = internal.get("synergies")
    if syn is not None and len(syn):
        sl = _lower(syn)
        for col in ("quantity", "quantity_demand", "co2_avoided_t", "mwh_recovered", "tonnes_diverted",
                    "value_eur", "net_benefit_eur", "transport_cost_eur", "pm10_avoided_kg", "nox_avoided_kg"):
            if col in sl:
                values.update(_num(syn[sl[col]]).abs().dropna().tolist())
    return {v for v in values if v >= 10}


def _published_values(public: dict) -> set:
    """Every number a public table shows (read back from a file, numbers may be text)."""
    out = set()
    for frame in public.values():
        if frame is None:
            continue
        for col in frame.columns:
            if str(col) == "geometry_wkt":
                continue
            if frame[col].dtype == bool:
                continue
            out.update(_num(frame[col]).astype("float64").abs().dropna().tolist())
    return out


_REFERENCE_VALUES: set = set()


def _reference_values() -> set:
    """Every number of the shipped reference and rule tables (thresholds, ratios, factors):
    a text quoting one of them quotes a public assumption, not a firm's figure."""
    if not _REFERENCE_VALUES:
        from ..paths import REFERENCE_DIR, RULES_DIR

        for folder in (REFERENCE_DIR, RULES_DIR):
            for path in sorted(folder.glob("*.csv")):
                text = path.read_text(encoding="utf-8", errors="replace")
                _REFERENCE_VALUES.update(float(x) for x in re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w])", text))
        _REFERENCE_VALUES.add(-1.0)  # never empty once loaded
    return _REFERENCE_VALUES


COMPOSED_HERE = ("zones", "communes", "synergies", "clusters", "summary")


def _within(sorted_values: np.ndarray, value: float, half: float) -> bool:
    """Some value of the sorted array lies within ``value ± half`` (a rounded figure)."""
    if not len(sorted_values):
        return False
    i = int(np.searchsorted(sorted_values, value - half - 1e-9))
    return i < len(sorted_values) and sorted_values[i] <= value + half + 1e-9


def audit(public: dict, internal: dict, flows: pd.DataFrame | None, establishments: pd.DataFrame | None,
          texts=(), log_lines=(), rule: Rule | None = None, clearance_m: float = CLEARANCE_M,
          avoid: pd.DataFrame | None = None) -> Audit:
    """Re-check a public output (as read back from what was written) against the internal
    run: every published figure's coverage, every derivable difference, geometry near an
    establishment, identifiers, names and firm figures in every text. ``texts``: other public
    texts (report HTML, PDF text); ``log_lines``: the messages of the run."""
    rule = rule or Rule()
    result = Audit()
    if flows is None:
        flows = pd.DataFrame(columns=["siret", "zone_id", "family", "direction", "resource", "quantity"])
    reg = _internal_cells(internal, flows, rule)
    shown = _shown(public, reg, result)
    _check_figures(reg, shown, rule, result)
    _check_geometry(public, establishments, avoid, clearance_m, result, rule.min_contributors)
    texts_check = _TextCheck(public, internal, flows, establishments, result)
    for name, frame in sorted(public.items()):
        if frame is None:
            continue
        for col in frame.columns:
            if frame[col].dtype == object and str(col) != "geometry_wkt":
                for i, v in zip(frame.index, frame[col]):
                    if isinstance(v, str):
                        texts_check("{}[{}].{}".format(name, i, col), v, strict=name in COMPOSED_HERE)
    for i, text in enumerate(texts):
        texts_check("text {}".format(i + 1), text, strict=False)
    for i, line in enumerate(log_lines):
        texts_check("log line {}".format(i + 1), line)
    # one message per problem and place is enough
    result.violations = list(dict.fromkeys(result.violations))
    result.flagged = list(dict.fromkeys(result.flagged))
    return result


def _internal_cells(internal: dict, flows, rule: Rule) -> Cells:
    """Every figure a public table may show, with who is behind it, from the internal run."""
    reg = Cells(rule)
    if internal.get("zones") is not None:
        _zone_commune_cells(reg, internal["zones"], internal.get("communes"), flows)
    if internal.get("clusters") is not None:
        contributions = _cluster_contributions(internal["clusters"], flows, internal.get("synergies"))
        for cid, figs in contributions.items():
            for fig, (contrib, total) in figs.items():
                reg.add(("clusters", cid, fig), contrib, total)
    return reg


def _mark(shown: dict, reg: Cells, kind: str, keys, frame) -> None:
    lower = _lower(frame)
    for key, row in zip(keys, frame.to_dict("records")):
        for col in reg.columns.get((kind, key), []):
            if col in lower:
                v = row.get(lower[col])
                shown[(kind, key, col)] = v is not None and not (isinstance(v, float) and math.isnan(v))


def _shown_parts(shown: dict, reg: Cells, zids, frame) -> None:
    """Parts of a total listed in a zone's text (``waste_by_resource``…)."""
    zl = _lower(frame)
    for text_col, prefix in (("waste_by_resource", "waste_res:"), ("waste_by_chapter", "waste_ch:")):
        if text_col not in zl:
            continue
        for zid, text in zip(zids, frame[zl[text_col]]):
            listed = {item.split(":")[0].strip() for item in _text(text).split(";") if ":" in item}
            for c in reg.columns.get(("zones", zid), []):
                if str(c).startswith(prefix):
                    shown[("zones", zid, c)] = c[len(prefix):] in listed


def _shown(public: dict, reg: Cells, result: Audit) -> dict:
    """``{cell: shown?}`` for every registered figure, from what the public tables contain."""
    shown: dict = {}
    pz, pc = public.get("zones"), public.get("communes")
    if pz is not None:
        zids = [_text(v) for v in pz[_lower(pz)["zone_id"]]]
        _mark(shown, reg, "zones", zids, pz)
        _shown_parts(shown, reg, zids, pz)
        for b, (s, d) in _balance_columns(pz).items():
            bad = pz[b].notna() & (pz[s].isna() | pz[d].isna()) if s is not None and d is not None else pz[b].notna()
            for zid in np.array(zids)[bad.to_numpy()]:
                result.violations.append("zone {}: balance {} published while supply or demand is withheld".format(zid, b))
    if pc is not None:
        cl = _lower(pc)
        levels = [_text(v) or "commune" for v in pc[cl["level"]]] if "level" in cl else ["commune"] * len(pc)
        codes = [_text(v) for v in pc[cl.get("code", cl.get("insee"))]]
        _mark(shown, reg, "communes", list(zip(levels, codes)), pc)
    if public.get("clusters") is not None:
        pcl = public["clusters"]
        _mark(shown, reg, "clusters", [_text(v) for v in pcl[_lower(pcl)["cluster_id"]]], pcl)
    for key in reg.contrib:
        reg.published[key] = shown.get(key, False)
    return shown


def _check_figures(reg: Cells, shown: dict, rule: Rule, result: Audit) -> None:
    """Each shown figure passes the rule; no published total gives a withheld part by difference."""
    for key, is_shown in shown.items():
        if not is_shown:
            result.suppressed += 1
            continue
        ok, reason = rule.check(reg.contrib[key], reg.value.get(key))
        if reg.contrib[key]:
            result.published += 1
        if not ok:
            result.violations.append("{} {} {}: published but {}".format(key[0], key[1], key[2], reason))
    for total, parts in reg.relations:
        if reg.published.get(total) and reg.residual_unsafe(total, parts):
            hidden = [p[2] if p[1] == total[1] else p[1] for p in parts if not reg.published[p] and reg.contrib[p]]
            result.violations.append("{} {} {}: the withheld part(s) {} can be recomputed by difference".format(
                total[0], total[1], total[2], ", ".join(map(str, hidden[:5]))))


def _check_geometry(public: dict, establishments, avoid, clearance_m: float, result: Audit,
                    k: int = 3) -> None:
    """Every vertex of a drawn geometry designates a group, not a firm: within ``clearance_m``
    no establishment position or at least ``k``, and none within ``MIN_GAP_M``."""
    est_xy = _est_xy(establishments)
    points = np.vstack([np.array(list(est_xy.values())).reshape(-1, 2), _xy(avoid)])
    if not len(points):
        return
    from scipy.spatial import cKDTree

    tree = cKDTree(np.unique(np.round(points, 1), axis=0))  # one position listed twice is one establishment
    for name in ("synergies", "clusters", "recommendations"):
        frame = public.get(name)
        if frame is None or "geometry_wkt" not in frame.columns:
            continue
        pts = _wkt_points(frame["geometry_wkt"])
        result.generalised += int(frame["geometry_wkt"].notna().sum())
        if len(pts):
            bad = ~safe_positions(tree, pts, k, clearance_m)
            if bad.any():
                result.violations.append(
                    "{}: {} vertex(es) single out an establishment (1 or 2 within {:.0f} m, or one within {:.0f} m)"
                    .format(name, int(bad.sum()), clearance_m, MIN_GAP_M))


class _TextCheck:
    """SIRETs, SIRENs and names of the run's establishments, and firm figures, in a text."""

    def __init__(self, public, internal, flows, establishments, result: Audit):
        self.result = result
        self.sirens, names = set(), set()
        if establishments is not None and len(establishments):
            el = _lower(establishments)
            self.sirens = {_text(s)[:9] for s in establishments[el["siret"]] if len(_text(s)) >= 9}
            if "name" in el:
                names = {_text(n) for n in establishments[el["name"]] if len(_text(n)) >= 6}
        # the EPCI's own SIREN is a public code, not a firm's
        self.public_codes = set()
        pc = public.get("communes")
        if pc is not None:
            cl = _lower(pc)
            for col in ("code", "epci_siren"):
                if col in cl:
                    self.public_codes.update(_text(v) for v in pc[cl[col]])
        # a name of several words in any case; a one-word name ("SYNERGIE", a real temp agency)
        # only as registered, or every "synergie" of the report would be taken for it
        several = "|".join(re.escape(n) for n in sorted((n for n in names if " " in n), key=len, reverse=True))
        single = "|".join(re.escape(n) for n in sorted((n for n in names if " " not in n), key=len, reverse=True))
        pattern = "|".join(p for p in ("(?i:{})".format(several) if several else "", single) if p)
        self.name_re = re.compile(r"(?<!\w)(?:{})(?!\w)".format(pattern)) if pattern else None
        self.secret_values = np.array(sorted(_secret_values(flows, internal)))
        self.allowed = np.array(sorted(_published_values(public) | _reference_values()))

    def __call__(self, where: str, text, strict: bool = True) -> None:
        text = _text(text)
        if not text:
            return
        self.result.texts_checked += 1
        violations = self.result.violations
        found = SIRET_RE.search(text)
        if found:
            violations.append("{}: a SIRET-like number ({}…)".format(where, found.group(0)[:3]))
        if any(re.sub(r"\D", "", m.group(0)) in self.sirens - self.public_codes for m in SIREN_RE.finditer(text)):
            violations.append("{}: the SIREN of an establishment of the run".format(where))
        if self.name_re is not None and self.name_re.search(text):
            violations.append("{}: the name of an establishment of the run".format(where))
        for m in NUMBER_UNIT_RE.finditer(text):
            if self._firm_figure(m):
                message = "{}: the figure {} {} matches one firm's or one synergy's and no published figure".format(
                    where, m.group(0).split()[0], m.group(4))
                # texts composed by the protection must only quote published figures; other texts
                # (recommendations, report) quote aggregates not rebuilt here: flagged for a reader
                (violations if strict else self.result.flagged).append(message)

    def _firm_figure(self, m) -> bool:
        try:
            candidates = _parse_number(m.group(1), m.group(2), m.group(3))
        except ValueError:
            return False
        half = 0.5 * 10 ** -(len(m.group(3)) if m.group(3) else 0)
        if not any(v >= 10 and _within(self.secret_values, v, half) for v in candidates):
            return False
        return not any(_within(self.allowed, v, half) for v in candidates)
