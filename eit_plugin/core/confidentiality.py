"""Statistical secret for public outputs: 3 establishments, 85 % dominance, secondary suppression.

Company flow figures are commercially confidential; planning documents are public. A figure
(a "cell": a sum over establishments) may be published only if

* it covers at least ``MIN_CONTRIBUTORS`` (3) distinct establishments, and
* no single establishment contributes more than ``MAX_SHARE`` (85 %) of it

(the usual rules of French business statistics: "règle des 3" and "règle des 85 %").
A cell that fails is *primary*-suppressed and replaced by the total of the next level of a
hierarchy (zone → business park → commune → EPCI) where that total is publishable. When a
group (the cells under one published parent) has exactly one suppressed cell, the smallest
published cell of the group is suppressed too (*secondary* suppression), otherwise the
suppressed value would be the parent's total minus the published cells.

Public outputs also lose company names and SIRETs: ``anonymise_synergies`` drops them and
rewrites reasons with generic labels ("une entreprise agroalimentaire") from the NAF code.

With ``PUBLIC=false`` nothing is suppressed and outputs carry ``CONFIDENTIAL_MARK``.

Limits (documented for the reader of the note): secondary suppression protects each
hierarchy separately; it does not search for every combination of several published tables
(linked tables), which dedicated tools (tau-Argus) do.
"""
from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from . import formatting

MIN_CONTRIBUTORS = 3
MAX_SHARE = 0.85
CONFIDENTIAL_MARK = "CONFIDENTIEL — usage interne"
CONFIDENTIAL_MARK_EN = "CONFIDENTIAL — internal use only"
PUBLIC_MARK = "Diffusable (secret statistique appliqué)"
PUBLIC_MARK_EN = "Public (statistical secret applied)"

REASON_FEW = "secret statistique : moins de {} établissements ({})"
REASON_DOMINANT = "secret statistique : un établissement représente {} % du total (plus de {} %)"
REASON_SECONDARY = "secret statistique secondaire : valeur retirée pour qu'une autre ne puisse pas être déduite par différence"
REASON_UNKNOWN = "secret statistique : répartition par établissement inconnue, la règle des 85 % ne peut pas être vérifiée"
REASON_EMPTY = "aucune donnée"


def _as_contributions(contributions) -> pd.Series:
    """Contributions → Series contributor → total (absolute values, several rows summed)."""
    if contributions is None:
        return pd.Series(dtype="float64")
    if isinstance(contributions, pd.Series):
        series = contributions
    elif isinstance(contributions, dict):
        series = pd.Series(contributions, dtype="float64")
    else:  # list of values, one per distinct contributor
        series = pd.Series(list(contributions), dtype="float64")
    series = pd.to_numeric(series, errors="coerce").dropna().abs()
    if not series.index.is_unique:
        series = series.groupby(level=0).sum()
    return series


def check_cell(contributions, min_contributors: int = MIN_CONTRIBUTORS, max_share: float = MAX_SHARE):
    """Whether a figure may be published.

    ``contributions``: a dict or Series contributor → value (several entries per contributor
    are summed), or a list of values, one per distinct establishment. ``None`` means the
    split is unknown (the 85 % rule cannot be checked): not publishable.

    Returns ``(publishable, reason)``; ``reason`` is a French sentence, empty when publishable.
    """
    if contributions is None:
        return False, REASON_UNKNOWN
    values = _as_contributions(contributions)
    values = values[values > 0]
    n = int(len(values))
    if n == 0:
        return False, REASON_EMPTY
    if n < min_contributors:
        return False, REASON_FEW.format(min_contributors, n)
    total = float(values.sum())
    share = float(values.max()) / total if total > 0 else 1.0
    if share > max_share:
        return False, REASON_DOMINANT.format(int(math.floor(share * 100)), int(round(max_share * 100)))
    return True, ""


# Tables with a hierarchy ---------------------------------------------------------------------
def protect_table(
    df: pd.DataFrame,
    value_cols,
    group_cols,
    contributor_col: str,
    hierarchy=(),
    min_contributors: int = MIN_CONTRIBUTORS,
    max_share: float = MAX_SHARE,
) -> pd.DataFrame:
    """Apply the statistical secret to a table built from micro-data.

    ``df``: one row per contribution (an establishment's figure in a cell; several rows per
    establishment and cell are summed). ``group_cols``: the columns identifying the finest
    cell; the first is the level that the hierarchy coarsens (e.g. ``zone_id``), the others
    are categories kept at every level (e.g. ``family``). ``hierarchy``: coarser level
    columns, fine → coarse (e.g. ``["park", "insee", "epci"]``); each fine key belongs to one
    parent (the first in sorted order if the data says otherwise).

    Returns one row per cell and level: ``level`` (0 = finest), ``level_name`` (the column),
    ``key``, ``parent_key`` (None at the top), the categories, ``n_contributors``, and for each
    value column ``v``: ``v`` (NaN when suppressed), ``v_total`` (the true value: never
    publish it), ``v_suppressed``, ``v_reason``, and ``v_fallback_level``, ``v_fallback_key``,
    ``v_fallback_value``: the nearest publishable ancestor, which is what a public output
    shows instead ("agrégé au niveau supérieur"). Also ``suppressed`` / ``reason`` (any value).
    """
    value_cols = list(value_cols)
    group_cols = list(group_cols)
    hierarchy = list(hierarchy)
    base, cats = group_cols[0], group_cols[1:]
    levels = [base, *hierarchy]
    missing = [c for c in [*levels, *cats, contributor_col, *value_cols] if c not in df.columns]
    if missing:
        raise KeyError("protect_table: missing columns {}".format(", ".join(missing)))
    data = df[[*levels, *cats, contributor_col, *value_cols]].copy()
    for col in [*levels, *cats, contributor_col]:
        data[col] = data[col].astype(str)
    for col in value_cols:
        data[col] = pd.to_numeric(data[col], errors="coerce")

    # parent of each key at each level (first in sorted order when ambiguous)
    parents = []
    for k in range(len(levels) - 1):
        pairs = data[[levels[k], levels[k + 1]]].drop_duplicates().sort_values([levels[k], levels[k + 1]])
        parents.append(dict(pairs.groupby(levels[k])[levels[k + 1]].first()))

    # map every fine key to its key at each coarser level, so that micro-data roll up
    data["_k0"] = data[base]
    for k in range(1, len(levels)):
        data["_k{}".format(k)] = data["_k{}".format(k - 1)].map(parents[k - 1])

    frames = []
    for k, name in enumerate(levels):
        key_col = "_k{}".format(k)
        cell_cols = [key_col, *cats]
        # one value per contributor and cell, then per cell: contributors, total, largest share
        per = data.groupby([*cell_cols, contributor_col], sort=True)[value_cols].sum(min_count=1)
        cells = per.groupby(level=list(range(len(cell_cols))), sort=True)
        frame = pd.DataFrame({"n_contributors": cells.size()})
        for col in value_cols:
            v = per[col]
            a = v.abs()
            frame[col + "_total"] = cells[col].sum(min_count=1)
            n_known = cells[col].count()
            n_pos = (a > 0).groupby(level=list(range(len(cell_cols)))).sum()
            share = a.groupby(level=list(range(len(cell_cols)))).max() / a.groupby(level=list(range(len(cell_cols)))).sum()
            few = (n_pos > 0) & (n_pos < min_contributors)
            dominant = (n_pos >= min_contributors) & (share > max_share)
            frame[col + "_suppressed"] = (few | dominant) & (n_known > 0)
            reasons = np.where(few, [REASON_FEW.format(min_contributors, int(n)) for n in n_pos],
                               np.where(dominant, [REASON_DOMINANT.format(int(math.floor(x * 100)) if x == x else 100,
                                                                          int(round(max_share * 100))) for x in share], ""))
            frame[col + "_reason"] = reasons
        frame = frame.reset_index()
        frame = frame.rename(columns={key_col: "key"})
        frame.insert(0, "level_name", name)
        frame.insert(0, "level", k)
        frame["parent_key"] = frame["key"].map(parents[k]) if k < len(parents) else None
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if table.empty:
        return table

    for col in value_cols:
        _secondary_suppression(table, col, cats, len(levels))
        table[col] = np.where(table[col + "_suppressed"], np.nan, table[col + "_total"])
        _fallbacks(table, col, cats, levels)
    supp_cols = [c + "_suppressed" for c in value_cols]
    table["suppressed"] = table[supp_cols].any(axis=1)
    # the reason of the first suppressed value column (columns, not a record per cell)
    reason = np.full(len(table), "", dtype=object)
    for c in reversed(value_cols):
        reason = np.where(table[c + "_suppressed"].to_numpy(dtype=bool), table[c + "_reason"].to_numpy(dtype=object),
                          reason)
    table["reason"] = reason
    return table


def _secondary_suppression(table: pd.DataFrame, col: str, cats: list, n_levels: int) -> None:
    """Within each group of siblings whose parent is published, never leave exactly one
    suppressed cell: suppress the smallest published sibling too (repeat until stable).
    Reads and writes the columns as arrays: O(cells log cells)."""
    supp, total, reason = col + "_suppressed", col + "_total", col + "_reason"
    supp_a = table[supp].to_numpy(dtype=bool).copy()
    total_a = table[total].to_numpy(dtype=float)
    reason_a = table[reason].to_numpy(dtype=object).copy()
    level_a = table["level"].to_numpy()
    key_a, parent_a = table["key"].to_numpy(dtype=object), table["parent_key"].to_numpy(dtype=object)
    cat_a = [table[c].to_numpy(dtype=object) for c in cats]
    for k in range(n_levels - 1):
        parent_published = {(key_a[i], *[a[i] for a in cat_a]): not supp_a[i] for i in np.flatnonzero(level_a == k + 1)}
        groups = {}
        for i in np.flatnonzero(level_a == k):
            groups.setdefault((parent_a[i], *[a[i] for a in cat_a]), []).append(i)
        for gkey in sorted(groups, key=str):
            if not parent_published.get(gkey, False):
                continue  # the parent total is not published: nothing to subtract from
            idx = groups[gkey]
            if sum(bool(supp_a[i]) for i in idx) != 1 or len(idx) < 2:
                continue
            candidates = sorted((i for i in idx if not supp_a[i] and not np.isnan(total_a[i])),
                                key=lambda i: (abs(total_a[i]), str(key_a[i])))
            if candidates:
                supp_a[candidates[0]] = True
                reason_a[candidates[0]] = REASON_SECONDARY
    table[supp] = supp_a
    table[reason] = reason_a
    # a top-level total next to a single suppressed cell is covered by the loop above; the
    # top level itself has no published parent.


def _fallbacks(table: pd.DataFrame, col: str, cats: list, levels: list) -> None:
    """For each cell, the nearest publishable ancestor (itself when published). Walks the
    column arrays (at most one step per level): O(cells × levels)."""
    supp_a = table[col + "_suppressed"].to_numpy(dtype=bool)
    value_a = table[col].to_numpy()
    level_a = table["level"].to_numpy()
    key_a, parent_a = table["key"].to_numpy(dtype=object), table["parent_key"].to_numpy(dtype=object)
    cat_a = [table[c].to_numpy(dtype=object) for c in cats]
    lookup = {(int(level_a[i]), key_a[i], *[a[i] for a in cat_a]): i for i in range(len(table))}
    fb_level, fb_key, fb_value = [], [], []
    for i in range(len(table)):
        level, cur = int(level_a[i]), i
        while cur is not None and supp_a[cur]:
            if parent_a[cur] is None or level + 1 >= len(levels):
                cur = None
                break
            level = level + 1
            cur = lookup.get((level, parent_a[cur], *[a[i] for a in cat_a]))
        if cur is None:
            fb_level.append(None)
            fb_key.append(None)
            fb_value.append(float("nan"))
        else:
            fb_level.append(levels[int(level_a[cur])])
            fb_key.append(key_a[cur])
            fb_value.append(float(value_a[cur]))
    table[col + "_fallback_level"] = fb_level
    table[col + "_fallback_key"] = fb_key
    table[col + "_fallback_value"] = fb_value


# Names and SIRETs out of public outputs ------------------------------------------------------
_DIVISION_LABELS = [  # (first division, last division, French, English)
    (1, 3, "une exploitation agricole ou forestière", "a farm or forestry business"),
    (5, 9, "une entreprise extractive", "a mining or quarrying company"),
    (10, 12, "une entreprise agroalimentaire", "a food-processing company"),
    (13, 15, "une entreprise du textile ou de l'habillement", "a textile or clothing company"),
    (16, 16, "une entreprise du travail du bois", "a wood-processing company"),
    (17, 18, "une entreprise du papier ou de l'imprimerie", "a paper or printing company"),
    (19, 22, "une entreprise de la chimie ou de la plasturgie", "a chemicals or plastics company"),
    (23, 23, "une entreprise de matériaux minéraux (verre, béton, ciment…)", "a mineral-products company"),
    (24, 25, "une entreprise de la métallurgie", "a metalworking company"),
    (26, 30, "une entreprise de fabrication d'équipements", "an equipment manufacturer"),
    (31, 33, "une entreprise industrielle", "a manufacturing company"),
    (35, 35, "un producteur d'énergie", "an energy producer"),
    (36, 39, "une entreprise de l'eau, de l'assainissement ou des déchets", "a water, sewage or waste company"),
    (41, 43, "une entreprise du bâtiment et des travaux publics", "a construction company"),
    (45, 47, "une entreprise du commerce", "a retail or wholesale company"),
    (49, 53, "une entreprise de transport ou de logistique", "a transport or logistics company"),
    (55, 56, "un établissement d'hébergement ou de restauration", "a hotel or restaurant"),
    (58, 63, "une entreprise de l'information et de la communication", "an information and communication company"),
    (64, 68, "une entreprise de services financiers ou immobiliers", "a financial or real-estate company"),
    (69, 82, "une entreprise de services", "a business-services company"),
    (84, 84, "une administration", "a public administration"),
    (85, 85, "un établissement d'enseignement", "an education establishment"),
    (86, 88, "un établissement de santé ou d'action sociale", "a health or social-care establishment"),
    (90, 93, "un établissement culturel, sportif ou de loisirs", "a cultural, sports or leisure establishment"),
    (94, 99, "un établissement de services", "a services establishment"),
]


def public_label(naf, language: str = "fr") -> str:
    """A generic, non-identifying description of an establishment from its NAF code
    (``10.51C`` → "une entreprise agroalimentaire")."""
    fallback = "une entreprise" if language == "fr" else "a company"
    if naf is None or (isinstance(naf, float) and math.isnan(naf)):
        return fallback
    match = re.match(r"\s*(\d{2})", str(naf))
    if not match:
        return fallback
    division = int(match.group(1))
    for first, last, fr, en in _DIVISION_LABELS:
        if first <= division <= last:
            return fr if language == "fr" else en
    return fallback


def _resource_labels(language: str = "fr") -> dict:
    """Taxonomy code → lower-case label in ``language`` ("chaleur fatale", "waste heat"), empty when unreadable."""
    from ..paths import REFERENCE_DIR

    try:
        table = pd.read_csv(REFERENCE_DIR / "taxonomy.csv", dtype=str, keep_default_na=False)
        column = "label_en" if language == "en" else "label_fr"
        return {c: (lab[:1].lower() + lab[1:]) for c, lab in zip(table["code"], table[column])}
    except (OSError, KeyError, pd.errors.ParserError):
        return {}


_IDENTIFYING = ("supplier_siret", "receiver_siret", "supply_flow_id", "demand_flow_id", "supplier_name",
                "receiver_name", "name", "members", "siret")


def anonymise_synergies(df: pd.DataFrame, naf_by_siret=None) -> pd.DataFrame:
    """A public copy of a synergy table: SIRETs, names and flow ids (which embed the SIRET)
    blanked; the exchanged quantity and its derived figures suppressed (a synergy is a
    one- or two-firm figure: it never passes the 3-establishment rule); ``reason`` rewritten
    generically from the NAF codes (``naf_by_siret``: mapping SIRET → NAF, optional).

    Adds ``suppressed`` (True) and ``suppression_reason``. The input is not modified.
    """
    out = df.copy()
    naf_by_siret = naf_by_siret or {}
    labels = _resource_labels()
    suppliers = out["supplier_siret"] if "supplier_siret" in out.columns else pd.Series([None] * len(out), index=out.index)
    receivers = out["receiver_siret"] if "receiver_siret" in out.columns else pd.Series([None] * len(out), index=out.index)
    reasons = []
    for sup, rec, row in zip(suppliers, receivers, out.to_dict("records")):
        who = public_label(naf_by_siret.get(str(sup)) if sup is not None else None)
        if row.get("receiver_zone") and (rec is None or (isinstance(rec, float) and math.isnan(rec)) or rec == ""):
            target = "les logements de la zone {}".format(row.get("receiver_zone"))
        else:
            target = public_label(naf_by_siret.get(str(rec)) if rec is not None else None)
        what = labels.get(row.get("resource_supply"), row.get("resource_supply")) or "une ressource"
        need = labels.get(row.get("resource_demand"), row.get("resource_demand")) or "un besoin"
        dist = row.get("distance_m")
        dist_txt = "" if dist is None or pd.isna(dist) else ", à environ {} m".format(
            formatting.number(round(float(dist), -1), 0, "fr", thousands=formatting.NBSP))
        reasons.append("{} dispose de « {} » ; receveur : {} (besoin « {} »){}.".format(
            who[0].upper() + who[1:], what, target, need, dist_txt))
    if "reason" in out.columns or len(out):
        out["reason"] = reasons
    for col in _IDENTIFYING:
        if col in out.columns:
            out[col] = None
    for col in ("quantity", "co2_avoided_t", "mwh_recovered", "tonnes_diverted", "pm10_avoided_kg",
                "nox_avoided_kg", "hp_electricity_mwh", "cost_saving_eur"):
        if col in out.columns:
            out[col] = np.nan
    out["suppressed"] = True
    out["suppression_reason"] = REASON_FEW.format(MIN_CONTRIBUTORS, "1 ou 2")
    return out


def mark(df: pd.DataFrame, public: bool) -> pd.DataFrame:
    """Add the ``diffusion`` column: public mark, or ``CONFIDENTIAL_MARK`` for internal runs."""
    out = df.copy()
    out["diffusion"] = PUBLIC_MARK if public else CONFIDENTIAL_MARK
    return out
