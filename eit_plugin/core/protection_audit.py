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
    _text,
    _zone_commune_cells,
    safe_positions,
)
from .protection_geometry import _cluster_contributions
from .protection_registry import _reasons, rule_arrays
from .protection_texts import SIREN_RE, SIRET_RE, TextCheck, TextIndex

# Auditor ----------------------------------------------------------------------------------------
COORD_RE = re.compile(r"(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)")


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


COMPOSED_HERE = ("zones", "communes", "synergies", "clusters", "summary")


def audit(public: dict, internal: dict, flows: pd.DataFrame | None, establishments: pd.DataFrame | None,
          texts=(), log_lines=(), rule: Rule | None = None, clearance_m: float = CLEARANCE_M,
          avoid: pd.DataFrame | None = None, cells: Cells | None = None, index: TextIndex | None = None) -> Audit:
    """Re-check a public output (as read back from what was written) against the internal
    run: every published figure's coverage, every derivable difference, geometry near an
    establishment, identifiers, names and firm figures in every text. ``texts``: other public
    texts (report HTML, PDF text); ``log_lines``: the messages of the run. ``cells``: the
    register ``protect`` built from these same internal tables and flows (``Protected.cells``),
    read instead of building it again; its own published / withheld marks are left as they are.
    ``index``: the ``TextIndex`` of these same internal tables, flows and establishments (one
    per run, shared by the audits of its tables and report), built here when not given."""
    rule = rule or Rule()
    result = Audit()
    if flows is None:
        flows = pd.DataFrame(columns=["siret", "zone_id", "family", "direction", "resource", "quantity"])
    if public:  # without a table (the report's texts alone) there is no figure or geometry to check
        reg = _internal_cells(internal, flows, rule) if cells is None else cells.audit_copy()
        shown = _shown(public, reg, result)
        _check_figures(reg, shown, rule, result)
        _check_geometry(public, establishments, avoid, clearance_m, result, rule.min_contributors)
    texts_check = TextCheck(public, internal, flows, establishments, result, index)
    for name, frame in sorted(public.items()):
        if frame is None:
            continue
        for col in frame.columns:
            if frame[col].dtype == object and str(col) != "geometry_wkt":
                texts_check.column(name, col, frame[col], strict=name in COMPOSED_HERE)
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


def _present(series: pd.Series) -> np.ndarray:
    """Each value is given (not None, not a float NaN), column-wise: a NumPy float column at
    once, an integer or boolean one is always given, others value by value. O(rows)."""
    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        return ~np.isnan(series.to_numpy())
    if isinstance(dtype, np.dtype) and dtype.kind in "iub":
        return np.ones(len(series), dtype=bool)
    return np.fromiter((v is not None and not (isinstance(v, (float, np.floating)) and math.isnan(v)) for v in series.tolist()),
                       dtype=bool, count=len(series))


def _mark(shown: dict, reg: Cells, kind: str, keys, frame) -> None:
    """``shown[cell]``: the public row of the cell's key gives its figure. The given values
    are found column by column (``_present``), each column read once: O(rows × columns
    registered + cells)."""
    lower = _lower(frame)
    present: dict = {}
    for i, key in enumerate(keys):
        for col in reg.columns.get((kind, key), []):
            if col in lower:
                given = present.get(col)
                if given is None:
                    given = present[col] = _present(frame[lower[col]])
                shown[(kind, key, col)] = bool(given[i])


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
    reg.mark(shown)
    return shown


def _check_figures(reg: Cells, shown: dict, rule: Rule, result: Audit) -> None:
    """Each shown figure passes the rule; no published total gives a withheld part by difference.

    The rule is checked on every cell at once from the register's arrays (``rule_arrays``,
    as ``Rule.check`` on each cell's contributions): O(contributions + cells), then
    O(shown) to list the failures in the order of ``shown``; the relations screened at once
    (``_maybe_unsafe``), only those screened in checked one by one, in relation order."""
    keys = list(shown)
    is_shown = np.fromiter(shown.values(), dtype=bool, count=len(keys))
    result.suppressed += int((~is_shown).sum())
    row_of = reg._row
    rows = np.fromiter((row_of[k] for k in keys), dtype=np.int64, count=len(keys))
    n_cells = len(reg._keys)
    cell, _sirets, quantities = reg.contrib.rows()
    totals = np.where(reg._none.a[:n_cells], np.nan, reg._val.a[:n_cells])
    ok, n, share = rule_arrays(rule, cell, quantities, n_cells, totals)
    sizes = reg.contrib.sizes()[:n_cells]
    result.published += int((is_shown & (sizes[rows] > 0)).sum())
    failed = np.flatnonzero(is_shown & ~ok[rows])
    reasons = _reasons(rule, ok[rows[failed]], n[rows[failed]], share[rows[failed]])
    for i, reason in zip(failed.tolist(), reasons):
        key = keys[i]
        result.violations.append("{} {} {}: published but {}".format(key[0], key[1], key[2], reason))
    for r in _maybe_unsafe(reg).tolist():
        total, parts = reg.relations[r]
        if reg.published.get(total) and reg.residual_unsafe(total, parts):
            hidden = [p[2] if p[1] == total[1] else p[1] for p in parts if not reg.published[p] and reg.contrib[p]]
            result.violations.append("{} {} {}: the withheld part(s) {} can be recomputed by difference".format(
                total[0], total[1], total[2], ", ".join(map(str, hidden[:5]))))


def _maybe_unsafe(reg: Cells) -> np.ndarray:
    """The relations (ascending) whose withheld parts may be recomputed from their published
    total, screened at once with arrays as the secondary suppression does (a superset: each
    is re-checked exactly). O(parts of relations + contributions of the withheld parts)."""
    if not reg.relations:
        return np.zeros(0, dtype=np.int64)
    ids = reg._row
    rel_total = np.array([ids[t] for t, _ in reg.relations], dtype=np.int64)
    rel_len = np.array([len(p) for _, p in reg.relations], dtype=np.int64)
    pair_rel = np.repeat(np.arange(len(reg.relations)), rel_len)
    pair_part = np.array([ids[p] for _, parts in reg.relations for p in parts], dtype=np.int64)
    return np.unique(reg._screen(reg._keys, rel_total, pair_rel, pair_part))


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
