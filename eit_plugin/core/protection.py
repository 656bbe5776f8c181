"""The public version of a run: every table, text and geometry meant for a public document,
built from the internal frames, and the auditor that re-checks what was written.

Signature (pure pandas; no QGIS)::

    result = protect(tables, flows, establishments)
    result.tables     # {"zones", "communes", "synergies", "clusters", "summary"} → public frames
    result.audit      # Audit: published / suppressed / generalised counts
    audit(public_tables, flows, establishments, texts=...)  # → Audit with .violations

``tables``: the internal frames of the run (any subset), column names case-insensitive:

- ``zones``: the zone indicators (``zone_id``, ``insee``, the ``*_mwh``/``*_m3``/``*_t``
  figures, ``waste_by_resource``…) plus ``x``, ``y``: a point inside each zone (for
  housing ends of synergies). Other columns (geometry…) pass through untouched.
- ``communes``: rows ``level`` (``commune``/``epci``), ``code``, ``epci_siren`` + figures.
- ``synergies``, ``clusters``: the detection outputs (SIRETs, names, members…).
- ``summary``: rows ``indicator, value`` (counts and headline impacts).

``flows``: ``siret, family, direction, resource, quantity, temperature_c, ewc_code,
zone_id`` (the zone the flow lies in, assigned by the caller). ``establishments``:
``siret, name, x, y`` (EPSG:2154).

The rule (``core.confidentiality``): a figure is published when it covers at least 3
establishments and none above 85 % of it. On top of that primary rule:

- linked tables: zone → commune → EPCI totals, heat by temperature class → heat supply,
  waste by resource / by EWC chapter → waste supply, cluster figures → headline totals are
  *relations* (a published total = the sum of its parts). For every published total, the
  parts that are withheld, taken together, must themselves pass the rule; otherwise the
  smallest published part is withheld too (secondary suppression, as τ-ARGUS does with
  hierarchical tables), repeated until every relation is safe. A balance is published only
  when both the supply and the demand are.
- texts are composed here from the figures that passed (never from internal texts).
- geometry: an establishment is represented by the centre of a square cell of a grid
  (250 m, 500 m, 1 km … as INSEE's gridded data) that holds at least 3 establishments;
  the point drawn is moved inside the cell until it is at least ``clearance_m`` from every
  establishment. Synergies are lines between such points; clusters are rectangles covering
  their members' cells, widened until no corner is near an establishment.

Per-synergy figures (quantity, value, CO2 …) are one- or two-firm figures: never published.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import confidentiality as conf

FAMILY_UNITS = {"heat": "mwh", "energy": "mwh", "water": "m3", "waste": "t", "material": "t"}
HEAT_CLASSES = (("heat_supply_lt60_mwh", None, 60.0), ("heat_supply_60_90_mwh", 60.0, 90.0),
                ("heat_supply_ge90_mwh", 90.0, None))
HEAT_UNKNOWN = "heat_supply_temp_unknown_mwh"
CLEARANCE_M = 50.0
GRID_SIZES_M = (250.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0, 16000.0, 32000.0, 64000.0, 128000.0)

SECRET_TEXT = "n.d. (secret statistique)"
OTHERS_TEXT = "autres : n.d. (secret statistique)"

# Synergy columns that are firm figures or point at a firm: emptied in public outputs.
SYNERGY_WITHHELD = (
    "supply_flow_id", "demand_flow_id", "supplier_siret", "receiver_siret", "supplier_name", "receiver_name",
    "quantity", "quantity_demand", "distance_m", "score", "co2_avoided_t", "supply_temperature_c",
    "demand_temperature_c", "route_length_m", "straight_m", "cop", "hp_electricity_mwh", "mwh_recovered",
    "tonnes_diverted", "pm10_avoided_kg", "nox_avoided_kg", "value_eur", "transport_cost_eur", "net_benefit_eur",
    "note", "x1", "y1", "x2", "y2",
)
CLUSTER_WITHHELD = ("members", "member_names", "siret", "site_x", "site_y", "median_x", "median_y",
                    "site_mean_distance_m", "span_m", "hull_wkt", "min_siret")
CLUSTER_FIGURES = ("total_quantity", "cost_saving_eur", "co2_avoided_t", "land_need_m2")
SYNERGY_IMPACTS = ("mwh_recovered", "tonnes_diverted", "co2_avoided_t", "pm10_avoided_kg", "nox_avoided_kg")


def _lower(frame: pd.DataFrame) -> dict:
    return {str(c).lower(): c for c in frame.columns}


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _num(series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce")


def figure_columns(frame: pd.DataFrame) -> list:
    """The firm-figure columns of a zone/commune table (housing figures are not firm data)."""
    return [c for c in frame.columns if str(c).lower().endswith(("_mwh", "_m3", "_t"))
            and not str(c).lower().startswith("housing_")]


# Rule -----------------------------------------------------------------------------------------
@dataclass
class Rule:
    min_contributors: int = conf.MIN_CONTRIBUTORS
    max_share: float = conf.MAX_SHARE

    def check(self, contributions: dict, total: float | None = None):
        """``(ok, reason)`` for a figure. ``contributions``: establishment → its part (a
        two-firm figure is credited to both firms); ``total``: the figure (default: the sum)."""
        values = {k: abs(float(v)) for k, v in contributions.items() if v == v and abs(float(v)) > 0}
        if not values:
            return True, ""  # nothing from any firm: an empty cell (0) reveals nothing
        if len(values) < self.min_contributors:
            return False, conf.REASON_FEW.format(self.min_contributors, len(values))
        denominator = abs(float(total)) if total is not None and total == total and total else sum(values.values())
        share = max(values.values()) / denominator if denominator > 0 else 1.0
        if share > self.max_share + 1e-12:
            return False, conf.REASON_DOMINANT.format(int(math.floor(min(share, 1.0) * 100)),
                                                      int(round(self.max_share * 100)))
        return True, ""


def _merge(parts) -> dict:
    out: dict = {}
    for part in parts:
        for k, v in part.items():
            out[k] = out.get(k, 0.0) + abs(float(v))
    return out


class Cells:
    """Figures (cells) with their contributions, relations total = Σ parts, and the
    primary + secondary suppression over all relations at once."""

    def __init__(self, rule: Rule):
        self.rule = rule
        self.contrib: dict = {}
        self.value: dict = {}
        self.published: dict = {}
        self.reason: dict = {}
        self.relations: list = []
        self.columns: dict = {}  # (kind, key) -> figure names registered

    def add(self, key, contributions: dict, value=None, known: bool = True):
        if key not in self.contrib:
            self.columns.setdefault(key[:2], []).append(key[2])
        self.contrib[key] = contributions
        self.value[key] = value
        if not known:
            self.published[key], self.reason[key] = False, conf.REASON_UNKNOWN
        else:
            self.published[key], self.reason[key] = self.rule.check(contributions, value)

    def relate(self, total, parts) -> None:
        parts = [p for p in parts if p in self.contrib]
        if total in self.contrib and parts:
            self.relations.append((total, parts))

    def withhold(self, key, reason) -> None:
        if self.published.get(key):
            self.published[key] = False
            self.reason[key] = reason

    def residual_unsafe(self, total, parts):
        """The withheld parts of a published total, together, fail the rule?"""
        hidden = [p for p in parts if not self.published[p] and self.contrib[p]]
        if not hidden:
            return False
        merged = _merge(self.contrib[p] for p in hidden)
        return not self.rule.check(merged)[0]

    def secondary(self) -> int:
        """Withhold more cells until no published total lets a withheld part be recomputed."""
        n = 0
        changed = True
        while changed:
            changed = False
            for total, parts in self.relations:
                if not self.published[total] or not self.residual_unsafe(total, parts):
                    continue
                candidates = sorted((p for p in parts if self.published[p] and self.contrib[p]),
                                    key=lambda p: (sum(self.contrib[p].values()), str(p)))
                self.withhold(candidates[0] if candidates else total, conf.REASON_SECONDARY)
                n += 1
                changed = True
        return n


# Contributions from flows ---------------------------------------------------------------------
def flow_cells(flows: pd.DataFrame) -> pd.DataFrame:
    """One row per (flow, figure column it adds to): ``siret, zone_id, column, quantity``.
    Columns: ``{family}_{direction}_{unit}``, the heat classes, ``waste_res:{resource}`` and
    ``waste_ch:{chapter}`` (the parts behind ``waste_by_resource`` / ``waste_by_chapter``)."""
    cols = ["siret", "zone_id", "column", "quantity"]
    if flows is None or flows.empty:
        return pd.DataFrame(columns=cols)
    lower = _lower(flows)
    f = pd.DataFrame({
        "siret": [_text(v) for v in flows[lower["siret"]]],
        "zone_id": [_text(v) for v in flows[lower["zone_id"]]] if "zone_id" in lower else "",
        "family": [_text(v) for v in flows[lower["family"]]],
        "direction": [_text(v) for v in flows[lower["direction"]]],
        "resource": [_text(v) for v in flows[lower["resource"]]] if "resource" in lower else "",
        "quantity": _num(flows[lower["quantity"]]).fillna(0.0).to_numpy(),
        "temperature_c": _num(flows[lower["temperature_c"]]).to_numpy() if "temperature_c" in lower else np.nan,
        "ewc_code": [_text(v) for v in flows[lower["ewc_code"]]] if "ewc_code" in lower else "",
    })
    f = f[f["siret"] != ""]
    parts = []
    base = f.assign(column=[
        "{}_{}_{}".format(fam, d, FAMILY_UNITS.get(fam, "t")) for fam, d in zip(f["family"], f["direction"])])
    parts.append(base[cols])
    heat = f[(f["family"] == "heat") & (f["direction"] == "supply")]
    t = heat["temperature_c"]
    for column, low, high in HEAT_CLASSES:
        mask = t.notna()
        if low is not None:
            mask &= t >= low
        if high is not None:
            mask &= t < high
        parts.append(heat[mask].assign(column=column)[cols])
    parts.append(heat[t.isna()].assign(column=HEAT_UNKNOWN)[cols])
    waste = f[(f["family"] == "waste") & (f["direction"] == "supply")]
    parts.append(waste.assign(column=["waste_res:" + r for r in waste["resource"]])[cols])
    chapters = ["".join(ch for ch in c if ch.isdigit())[:2] or "?" for c in waste["ewc_code"]]
    parts.append(waste.assign(column=["waste_ch:" + c for c in chapters])[cols])
    return pd.concat(parts, ignore_index=True)


def _contributions(cells: pd.DataFrame, key_col: str) -> dict:
    """``{(key, column): {siret: quantity}}``."""
    out: dict = {}
    if cells.empty:
        return out
    grouped = cells.groupby([key_col, "column", "siret"], sort=True)["quantity"].sum()
    for (key, column, siret), q in grouped.items():
        out.setdefault((key, column), {})[siret] = float(q)
    return out


def _close(a, b) -> bool:
    a, b = float(a), float(b)
    return abs(a - b) <= max(0.01, 1e-6 * max(abs(a), abs(b)))


# Territorial figures (zones, communes) ---------------------------------------------------------
def _zone_commune_cells(cells_reg: Cells, zones, communes, flows):
    """Register the figure cells of zones and communes and their relations."""
    fc = flow_cells(flows)
    zl = _lower(zones)
    zid_col, insee_col = zl.get("zone_id"), zl.get("insee")
    zone_ids = [_text(v) for v in zones[zid_col]]
    insee_of = dict(zip(zone_ids, [_text(v) for v in zones[insee_col]] if insee_col else [""] * len(zones)))
    fc = fc[fc["zone_id"].isin(set(zone_ids))]
    by_zone = _contributions(fc, "zone_id")
    fc = fc.assign(insee=fc["zone_id"].map(insee_of))
    by_commune = _contributions(fc, "insee")
    zfig = figure_columns(zones)
    part_columns = sorted({c for (_, c) in by_zone if c.startswith(("waste_res:", "waste_ch:"))})
    for zid, row in zip(zone_ids, zones[zfig].itertuples(index=False, name=None)):
        for col, value in zip(zfig, row):
            name = str(col).lower()
            if "_balance_" in name:
                continue
            contrib = by_zone.get((zid, name), {})
            v = 0.0 if value != value or value is None else float(value)
            cells_reg.add(("zones", zid, name), contrib, v, known=_close(sum(contrib.values()), v))
    for (zid, col), contrib in by_zone.items():
        if col.startswith(("waste_res:", "waste_ch:")):
            cells_reg.add(("zones", zid, col), contrib, sum(contrib.values()))
    for zid in zone_ids:
        classes = [("zones", zid, c) for c, *_ in HEAT_CLASSES] + [("zones", zid, HEAT_UNKNOWN)]
        cells_reg.relate(("zones", zid, "heat_supply_mwh"), classes)
        for prefix in ("waste_res:", "waste_ch:"):
            cells_reg.relate(("zones", zid, "waste_supply_t"),
                             [("zones", zid, c) for c in part_columns if c.startswith(prefix)])
    if communes is None or communes.empty:
        return
    cl = _lower(communes)
    cfig = [c for c in figure_columns(communes) if "_balance_" not in str(c).lower()]
    levels = [_text(v) or "commune" for v in communes[cl["level"]]] if "level" in cl else ["commune"] * len(communes)
    codes = [_text(v) for v in communes[cl.get("code", cl.get("insee"))]]
    epci_of = dict(zip(codes, [_text(v) for v in communes[cl["epci_siren"]]])) if "epci_siren" in cl else {}
    zones_of_commune: dict = {}
    for zid, insee in insee_of.items():
        zones_of_commune.setdefault(insee, []).append(zid)
    communes_of_epci: dict = {}
    for level, code in zip(levels, codes):
        if level == "commune" and epci_of.get(code):
            communes_of_epci.setdefault(epci_of[code], []).append(code)
    for level, code, row in zip(levels, codes, communes[cfig].itertuples(index=False, name=None)):
        for col, value in zip(cfig, row):
            name = str(col).lower()
            if level == "epci":
                contrib = _merge(by_commune.get((c, name), {}) for c in communes_of_epci.get(code, []))
            else:
                contrib = by_commune.get((code, name), {})
            v = 0.0 if value != value or value is None else float(value)
            cells_reg.add(("communes", (level, code), name), contrib, v, known=_close(sum(contrib.values()), v))
            if level == "commune":
                cells_reg.relate(("communes", (level, code), name),
                                 [("zones", z, name) for z in zones_of_commune.get(code, [])])
            else:
                cells_reg.relate(("communes", (level, code), name),
                                 [("communes", ("commune", c), name) for c in communes_of_epci.get(code, [])])
        if level in ("commune", "epci"):
            cells_reg.relate(("communes", (level, code), "heat_supply_mwh"),
                             [("communes", (level, code), c) for c, *_ in HEAT_CLASSES]
                             + [("communes", (level, code), HEAT_UNKNOWN.lower())])


def _fmt_fr(value: float) -> str:
    text = "{:,.1f}".format(float(value)).replace(",", "\u00a0").replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def _balance_columns(frame: pd.DataFrame) -> dict:
    """``{balance column: (supply column, demand column)}`` (actual column names)."""
    lower = _lower(frame)
    out = {}
    for family, unit in FAMILY_UNITS.items():
        b = lower.get("{}_balance_{}".format(family, unit))
        s = lower.get("{}_supply_{}".format(family, unit))
        d = lower.get("{}_demand_{}".format(family, unit))
        if b is not None:
            out[b] = (s, d)
    return out


def _public_territorial(frame: pd.DataFrame, kind: str, keys: list, cells_reg: Cells) -> pd.DataFrame:
    out = frame.copy()
    secret = []
    balances = _balance_columns(out)
    figs = [c for c in figure_columns(out) if c not in balances]
    for i, key in zip(out.index, keys):
        withheld = []
        for col in figs:
            ck = (kind, key, str(col).lower())
            if ck in cells_reg.published and not cells_reg.published[ck]:
                out.at[i, col] = np.nan
                withheld.append(str(col))
            elif ck not in cells_reg.published:
                out.at[i, col] = np.nan
                withheld.append(str(col))
        for b, (s, d) in balances.items():
            if s is None or d is None or pd.isna(out.at[i, s]) or pd.isna(out.at[i, d]):
                out.at[i, b] = np.nan
                withheld.append(str(b))
            else:
                out.at[i, b] = float(out.at[i, s]) - float(out.at[i, d])
        secret.append(", ".join(sorted(withheld)))
    out["secret_fields"] = secret
    return out


def _parts_text(cells_reg: Cells, zid: str, prefix: str) -> str | None:
    """``"key: qty; key: qty"`` (largest first) from the published parts, plus a note when
    some parts are withheld; None when the zone has no such flow."""
    keys = [("zones", zid, c) for c in cells_reg.columns.get(("zones", zid), []) if str(c).startswith(prefix)]
    if not keys:
        return None
    shown = sorted(((cells_reg.value[k], k[2][len(prefix):]) for k in keys if cells_reg.published[k]),
                   key=lambda t: (-t[0], t[1]))
    items = ["{}: {}".format(name, _fmt_fr(v)) for v, name in shown]
    if len(shown) < len(keys):
        items.append(OTHERS_TEXT)
    return "; ".join(items)


POTENTIAL_FR = {"high": "élevé", "medium": "moyen", "low": "faible", "none": "nul"}


def _zone_reason(row: dict, lower: dict) -> str:
    """The EIT-potential reason, from counts only (the quantities behind the matches are
    firm figures: they are in the zone's published columns when they pass the rule)."""
    pot = _text(row.get(lower.get("eit_potential"))) or "none"
    n_int = int(_num(pd.Series([row.get(lower.get("n_internal_matches"))])).fillna(0).iloc[0])
    n_nb = int(_num(pd.Series([row.get(lower.get("n_neighbour_matches"))])).fillna(0).iloc[0])
    if pot == "none":
        return "Potentiel nul : aucune correspondance ressource/besoin compatible dans la zone ni avec ses voisines."
    parts = []
    if n_int:
        parts.append("{} appariement(s) interne(s)".format(n_int))
    if n_nb:
        parts.append("{} avec les zones voisines".format(n_nb))
    return "Potentiel {} : {} (quantités : voir les colonnes publiées de la zone).".format(
        POTENTIAL_FR.get(pot, pot), " et ".join(parts) or "correspondances ressource/besoin")


# Geometry ------------------------------------------------------------------------------------
class Grid:
    """INSEE-style generalisation: the smallest aligned square cell (250 m, 500 m, 1 km …)
    around a point that holds at least ``k`` establishments, drawn by a point of the cell at
    least ``clearance_m`` from every establishment."""

    def __init__(self, xy: np.ndarray, k: int = conf.MIN_CONTRIBUTORS, clearance_m: float = CLEARANCE_M,
                 avoid: np.ndarray | None = None):
        from scipy.spatial import cKDTree

        self.xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        self.xy = self.xy[np.isfinite(self.xy).all(axis=1)]
        self.k = k
        self.clearance = clearance_m
        # points drawn keep away from every known establishment position, including those the
        # import left out (closed…): the public geolocation file lists them all
        others = np.zeros((0, 2)) if avoid is None else np.asarray(avoid, dtype=float).reshape(-1, 2)
        keep = np.vstack([self.xy, others[np.isfinite(others).all(axis=1)]])
        self.tree = cKDTree(keep) if len(keep) else None
        self.counts = []
        for size in GRID_SIZES_M:
            keys = np.floor(self.xy / size).astype(np.int64)
            uniq, n = np.unique(keys, axis=0, return_counts=True) if len(keys) else (np.zeros((0, 2)), [])
            self.counts.append({(int(a), int(b)): int(c) for (a, b), c in zip(uniq, n)})
        self._anchor: dict = {}

    def cell(self, x: float, y: float):
        """``(level, i, j)`` of the public cell of a point."""
        for level, size in enumerate(GRID_SIZES_M):
            key = (int(math.floor(x / size)), int(math.floor(y / size)))
            if self.counts[level].get(key, 0) >= self.k and self.anchor((level, *key)) is not None:
                return (level, *key)
        size = GRID_SIZES_M[-1]
        return (len(GRID_SIZES_M) - 1, int(math.floor(x / size)), int(math.floor(y / size)))

    def bounds(self, cell):
        size = GRID_SIZES_M[cell[0]]
        return cell[1] * size, cell[2] * size, (cell[1] + 1) * size, (cell[2] + 1) * size

    def clear(self, points: np.ndarray) -> np.ndarray:
        """Distance from each point to the nearest establishment."""
        if self.tree is None:
            return np.full(len(points), np.inf)
        return self.tree.query(np.asarray(points, dtype=float).reshape(-1, 2))[0]

    def anchor(self, cell):
        """The point drawn for a cell: the centre, or the candidate of a 9 × 9 sub-grid the
        farthest from any establishment; None when none is ``clearance_m`` away."""
        if cell in self._anchor:
            return self._anchor[cell]
        x0, y0, x1, y1 = self.bounds(cell)
        steps = (np.arange(9) + 0.5) / 9.0
        gx, gy = np.meshgrid(x0 + steps * (x1 - x0), y0 + steps * (y1 - y0))
        cand = np.column_stack([gx.ravel(), gy.ravel()])
        centre = np.array([[(x0 + x1) / 2, (y0 + y1) / 2]])
        cand = np.vstack([centre, cand])
        dist = self.clear(cand)
        ok = np.flatnonzero(dist >= self.clearance)
        if len(ok) == 0:
            point = None
        else:
            # nearest to the centre among the clear ones: a stable, readable position
            d_centre = np.hypot(cand[ok, 0] - centre[0, 0], cand[ok, 1] - centre[0, 1])
            best = ok[int(np.argmin(d_centre))]
            point = (float(cand[best, 0]), float(cand[best, 1]))
        self._anchor[cell] = point
        return point

    def point(self, x: float, y: float):
        if x is None or y is None or not (np.isfinite(x) and np.isfinite(y)):
            return None
        return self.anchor(self.cell(x, y))

    def area(self, cells) -> str:
        """WKT rectangle covering ``cells``, widened until no corner is near an establishment."""
        boxes = np.array([self.bounds(c) for c in cells], dtype=float)
        x0, y0 = boxes[:, 0].min(), boxes[:, 1].min()
        x1, y1 = boxes[:, 2].max(), boxes[:, 3].max()
        # each corner moves outward (the rectangle stays inside) to the nearest clear position
        steps = np.arange(0.0, 2000.0 + 1e-9, 25.0)
        ga, gb = np.meshgrid(steps, steps)
        offsets = np.column_stack([ga.ravel(), gb.ravel()])
        offsets = offsets[np.argsort(offsets.sum(axis=1), kind="stable")]
        corners = []
        for (cx, cy), (sx, sy) in (((x0, y0), (-1, -1)), ((x1, y0), (1, -1)), ((x1, y1), (1, 1)), ((x0, y1), (-1, 1))):
            cand = np.column_stack([cx + sx * offsets[:, 0], cy + sy * offsets[:, 1]])
            clear = np.flatnonzero(self.clear(cand) >= self.clearance)
            corners.append(cand[clear[0]] if len(clear) else cand[-1])
        corners = np.array(corners)
        ring = list(corners) + [corners[0]]
        return "POLYGON(({}))".format(", ".join("{:.1f} {:.1f}".format(a, b) for a, b in ring))


def _line_wkt(a, b) -> str:
    return "LINESTRING({:.1f} {:.1f}, {:.1f} {:.1f})".format(a[0], a[1], b[0], b[1])


def _resource_labels() -> dict:
    return conf._resource_labels()


def _zone_labels(zones: pd.DataFrame) -> dict:
    zl = _lower(zones)
    out = {}
    for row in zones.to_dict("records"):
        zid = _text(row.get(zl.get("zone_id")))
        lab = _text(row.get(zl.get("libelle"))) or zid
        insee = _text(row.get(zl.get("insee")))
        out[zid] = "{} ({})".format(lab, insee) if insee else lab
    return out


def _public_synergies(syn: pd.DataFrame, zones, est_xy: dict, zone_xy: dict, grid: Grid, labels: dict):
    out = syn.copy()
    sl = _lower(out)
    zlab = _zone_labels(zones) if zones is not None else {}
    geoms, reasons, reasons_en = [], [], []
    for row in out.to_dict("records"):
        def get(name, row=row):
            return row.get(sl.get(name))
        sup = est_xy.get(_text(get("supplier_siret")))
        rec_siret = _text(get("receiver_siret"))
        rec = est_xy.get(rec_siret) if rec_siret else zone_xy.get(_text(get("receiver_zone")))
        a = grid.point(*sup) if sup else None
        b = grid.point(*rec) if rec else None
        geoms.append(_line_wkt(a, b) if a and b else None)
        what = labels.get(_text(get("resource_supply")), _text(get("resource_supply"))) or "une ressource"
        need = labels.get(_text(get("resource_demand")), _text(get("resource_demand"))) or "un besoin"
        sz, rz = _text(get("supplier_zone")), _text(get("receiver_zone"))
        where_s = " dans la zone {}".format(zlab.get(sz, sz)) if sz else ""
        if rec_siret:
            target = "un établissement" + (" de la zone {}".format(zlab.get(rz, rz)) if rz else "")
        else:
            target = "les logements de la zone {}".format(zlab.get(rz, rz)) if rz else "un besoin voisin"
        reasons.append("« {} » disponible{} → « {} » pour {} ; quantités couvertes par le secret statistique "
                       "(une ou deux entreprises).".format(what, where_s, need, target))
        reasons_en.append("{} available{} → {} ({}); quantities withheld (statistical secret: one or two firms)."
                          .format(_text(get("resource_supply")), " in zone " + zlab.get(sz, sz) if sz else "",
                                  _text(get("resource_demand")),
                                  ("housing of zone " + zlab.get(rz, rz)) if not rec_siret and rz else "an establishment"))
    for col in SYNERGY_WITHHELD:
        if col in sl:
            out[sl[col]] = None if out[sl[col]].dtype == object else np.nan
    out[sl.get("reason", "reason")] = reasons
    out[sl.get("reason_en", "reason_en")] = reasons_en
    out["geometry_wkt"] = geoms
    out["suppression_reason"] = conf.REASON_FEW.format(conf.MIN_CONTRIBUTORS, "1 ou 2")
    return out


def _split(value) -> list:
    return [m for m in re.split(r"[,;|\s]+", _text(value)) if m]


def _cluster_contributions(clusters: pd.DataFrame, flows: pd.DataFrame, synergies: pd.DataFrame | None):
    """``{cluster_id: {figure: (contributions {siret: part}, total)}}``. Pooling figures
    (quantity, and the savings, CO2 and land derived from it) are split by the members'
    quantities of the cluster's resources; exchange figures by the synergies between members,
    each credited to both of its firms (``total``: the figure itself, for the 85 % share)."""
    cl = _lower(clusters)
    per = {}
    if flows is not None and not flows.empty:
        fl = _lower(flows)
        f = pd.DataFrame({"siret": [_text(v) for v in flows[fl["siret"]]],
                          "resource": [_text(v) for v in flows[fl["resource"]]],
                          "quantity": _num(flows[fl["quantity"]]).fillna(0.0).abs().to_numpy()})
        per = f.groupby(["siret", "resource"])["quantity"].sum().to_dict()
    by_end: dict = {}
    syn_rows = []
    if synergies is not None and len(synergies):
        sl = _lower(synergies)
        q = _num(synergies[sl["quantity"]]).fillna(0).abs().to_numpy() if "quantity" in sl else np.zeros(len(synergies))
        c = _num(synergies[sl["co2_avoided_t"]]).fillna(0).abs().to_numpy() if "co2_avoided_t" in sl else np.zeros(len(synergies))
        sup = [_text(v) for v in synergies[sl["supplier_siret"]]] if "supplier_siret" in sl else [""] * len(synergies)
        rec = [_text(v) for v in synergies[sl["receiver_siret"]]] if "receiver_siret" in sl else [""] * len(synergies)
        for i, (a, b) in enumerate(zip(sup, rec)):
            ends = [e for e in (a, b) if e]
            syn_rows.append((ends, q[i], c[i]))
            for e in ends:
                by_end.setdefault(e, []).append(i)
    out = {}
    for row in clusters.to_dict("records"):
        cid = _text(row.get(cl.get("cluster_id")))
        members = [m for m in _split(row.get(cl.get("members"))) if not m.startswith("zone:")]
        resources = _split(row.get(cl.get("resources")))
        if _text(row.get(cl.get("kind"))) == "exchange":
            member_set = set(members)
            inside = sorted({i for m in members for i in by_end.get(m, []) if set(syn_rows[i][0]) <= member_set})
            q, co2 = {}, {}
            for i in inside:
                ends, qi, ci = syn_rows[i]
                for e in ends:  # a two-firm figure belongs to both firms
                    q[e] = q.get(e, 0.0) + qi
                    co2[e] = co2.get(e, 0.0) + ci
            tq = float(sum(syn_rows[i][1] for i in inside))
            tc = float(sum(syn_rows[i][2] for i in inside))
            out[cid] = {"total_quantity": (q, tq), "co2_avoided_t": (co2, tc), "cost_saving_eur": (q, tq),
                        "land_need_m2": (q, tq)}
        else:
            q = {m: sum(per.get((m, r), 0.0) for r in resources) for m in members}
            out[cid] = {f: (q, None) for f in CLUSTER_FIGURES}
    return out


def _public_clusters(clusters, flows, synergies, est_xy, grid: Grid, cells_reg: Cells, labels: dict, zlab: dict):
    out = clusters.copy()
    cl = _lower(out)
    contributions = _cluster_contributions(clusters, flows, synergies)
    geoms, site_reason, secret = [], [], []
    for row in out.to_dict("records"):
        cid = _text(row.get(cl.get("cluster_id")))
        members = [m for m in _split(row.get(cl.get("members"))) if not m.startswith("zone:")]
        cells = [grid.cell(*est_xy[m]) for m in members if m in est_xy]
        geoms.append(grid.area(cells) if cells else None)
        withheld = []
        for fig in CLUSTER_FIGURES:
            if fig not in cl:
                continue
            value = _num(pd.Series([row.get(cl[fig])])).iloc[0]
            contrib, total = contributions.get(cid, {}).get(fig, ({}, None))
            cells_reg.add(("clusters", cid, fig), contrib, total, known=bool(members))
            if not cells_reg.published[("clusters", cid, fig)] or pd.isna(value):
                withheld.append(fig)
        secret.append(withheld)
        site_zone = _text(row.get(cl.get("site_zone")))
        site_reason.append("Site proposé dans la zone {}.".format(zlab.get(site_zone, site_zone)) if site_zone else "")
    out["geometry_wkt"] = geoms
    out["site_reason"] = site_reason
    out["_withheld"] = secret
    return out


def _finish_clusters(out: pd.DataFrame, cells_reg: Cells) -> pd.DataFrame:
    cl = _lower(out)
    secret, quantities = [], []
    for i, row in zip(out.index, out.to_dict("records")):
        cid = _text(row.get(cl.get("cluster_id")))
        withheld = []
        for fig in CLUSTER_FIGURES:
            key = ("clusters", cid, fig)
            if fig in cl and key in cells_reg.published and not cells_reg.published[key]:
                out.at[i, cl[fig]] = np.nan
                withheld.append(fig)
        published_q = ("total_quantity" in cl and ("clusters", cid, "total_quantity") in cells_reg.published
                       and cells_reg.published[("clusters", cid, "total_quantity")])
        unit = _text(row.get(cl.get("unit")))
        if published_q and not pd.isna(row.get(cl["total_quantity"])):
            quantities.append("{} {}".format(_fmt_fr(float(row[cl["total_quantity"]])), unit).strip())
        else:
            quantities.append(SECRET_TEXT)
        secret.append(", ".join(withheld))
    for col in CLUSTER_WITHHELD:
        if col in cl:
            out[cl[col]] = None if out[cl[col]].dtype == object else np.nan
    if "quantities" in cl:
        out[cl["quantities"]] = quantities
    out["secret_fields"] = secret
    return out.drop(columns=["_withheld"])


def _summary_cells(summary: pd.DataFrame, synergies, clusters, cells_reg: Cells):
    """Headline impacts: each covers the establishments of the synergies (both ends) or
    clusters behind it; cluster figures are parts of the CO2 total."""
    if summary is None or summary.empty:
        return
    values = dict(zip(summary["indicator"].astype(str), summary["value"]))
    syn_contrib = {k: {} for k in SYNERGY_IMPACTS}
    if synergies is not None and len(synergies):
        sl = _lower(synergies)
        for row in synergies.to_dict("records"):
            ends = [s for s in (_text(row.get(sl.get("supplier_siret"))), _text(row.get(sl.get("receiver_siret")))) if s]
            if not ends:
                ends = [_text(row.get(sl.get("synergy_id")))]
            for k in SYNERGY_IMPACTS:
                v = _num(pd.Series([row.get(sl.get(k))])).fillna(0).iloc[0] if k in sl else 0.0
                for e in ends:
                    syn_contrib[k][e] = syn_contrib[k].get(e, 0.0) + abs(float(v))
    for k in SYNERGY_IMPACTS:
        if k in values:
            v = _num(pd.Series([values[k]])).iloc[0]
            if k == "co2_avoided_t":
                continue
            cells_reg.add(("summary", k, "value"), syn_contrib[k], None if pd.isna(v) else float(v))
    if "co2_avoided_t" in values:
        parts = [("summary", "co2_synergies", "value")]
        cells_reg.add(parts[0], syn_contrib["co2_avoided_t"])
        total = dict(syn_contrib["co2_avoided_t"])
        if clusters is not None and len(clusters):
            cids = [_text(v) for v in clusters[_lower(clusters)["cluster_id"]]]
            for cid in cids:
                key = ("clusters", cid, "co2_avoided_t")
                if key in cells_reg.contrib:
                    parts.append(key)
                    total = _merge([total, cells_reg.contrib[key]])
        v = _num(pd.Series([values["co2_avoided_t"]])).iloc[0]
        cells_reg.add(("summary", "co2_avoided_t", "value"), total, None if pd.isna(v) else float(v))
        cells_reg.relate(("summary", "co2_avoided_t", "value"), parts)


def _public_summary(summary: pd.DataFrame, cells_reg: Cells) -> pd.DataFrame:
    out = summary.copy()
    vals = []
    for ind, v in zip(out["indicator"].astype(str), out["value"]):
        key = ("summary", ind, "value")
        vals.append("n.d." if key in cells_reg.published and not cells_reg.published[key] else v)
    out["value"] = vals
    return out


# Entry point -----------------------------------------------------------------------------------
@dataclass
class Audit:
    """Counts of a public output and the violations found (empty = the output may be used)."""

    published: int = 0
    suppressed: int = 0
    secondary: int = 0
    generalised: int = 0
    texts_checked: int = 0
    violations: list = field(default_factory=list)
    flagged: list = field(default_factory=list)  # figures in texts to check by hand (not proven leaks)

    @property
    def ok(self) -> bool:
        return not self.violations

    def rows(self, prefix: str = "audit") -> list:
        return [("{}.figures_published".format(prefix), str(self.published)),
                ("{}.figures_suppressed".format(prefix), str(self.suppressed)),
                ("{}.figures_secondary".format(prefix), str(self.secondary)),
                ("{}.geometries_generalised".format(prefix), str(self.generalised)),
                ("{}.texts_checked".format(prefix), str(self.texts_checked)),
                ("{}.text_figures_to_check".format(prefix), str(len(self.flagged))),
                ("{}.violations".format(prefix), str(len(self.violations)))]

    def message(self) -> str:
        return ("Statistical-secret audit: {} figures published, {} suppressed ({} secondary), {} geometries "
                "generalised, {} texts checked, {} violation(s).").format(
            self.published, self.suppressed, self.secondary, self.generalised, self.texts_checked, len(self.violations))


@dataclass
class Protected:
    tables: dict
    audit: Audit
    cells: Cells


def _xy(frame) -> np.ndarray:
    if frame is None or frame.empty:
        return np.zeros((0, 2))
    lower = _lower(frame)
    xy = np.column_stack([_num(frame[lower["x"]]), _num(frame[lower["y"]])]).astype(float)
    return xy[np.isfinite(xy).all(axis=1)]


def _est_xy(establishments) -> dict:
    if establishments is None or establishments.empty:
        return {}
    el = _lower(establishments)
    return {_text(s): (float(x), float(y)) for s, x, y in zip(establishments[el["siret"]], establishments[el["x"]],
                                                              establishments[el["y"]]) if x == x and y == y}


def protect(tables: dict, flows: pd.DataFrame | None, establishments: pd.DataFrame | None,
            rule: Rule | None = None, clearance_m: float = CLEARANCE_M, avoid: pd.DataFrame | None = None) -> Protected:
    """The public tables of a run (see the module docstring). ``avoid``: ``x, y`` of other
    establishment positions the drawn points must keep away from (rows the import skipped)."""
    rule = rule or Rule()
    cells_reg = Cells(rule)
    est_xy = _est_xy(establishments)
    grid = Grid(np.array(list(est_xy.values())) if est_xy else np.zeros((0, 2)), rule.min_contributors, clearance_m,
                _xy(avoid))
    labels = _resource_labels()
    zones, communes = tables.get("zones"), tables.get("communes")
    synergies, clusters, summary = tables.get("synergies"), tables.get("clusters"), tables.get("summary")
    if flows is None:
        flows = pd.DataFrame(columns=["siret", "zone_id", "family", "direction", "resource", "quantity"])
    if zones is not None:
        _zone_commune_cells(cells_reg, zones, communes, flows)
    zlab = _zone_labels(zones) if zones is not None else {}
    pre_clusters = None
    if clusters is not None:
        pre_clusters = _public_clusters(clusters, flows, synergies, est_xy, grid, cells_reg, labels, zlab)
    _summary_cells(summary, synergies, clusters, cells_reg)
    n_secondary = cells_reg.secondary()

    out = {}
    if zones is not None:
        zl = _lower(zones)
        zids = [_text(v) for v in zones[zl["zone_id"]]]
        z = _public_territorial(zones, "zones", zids, cells_reg)
        for text, prefix in (("waste_by_resource", "waste_res:"), ("waste_by_chapter", "waste_ch:")):
            if text in zl:
                z[zl[text]] = [_parts_text(cells_reg, zid, prefix) for zid in zids]
        if "eit_potential_reason" in zl:
            z[zl["eit_potential_reason"]] = [_zone_reason(r, zl) for r in zones.to_dict("records")]
        out["zones"] = z
    if communes is not None:
        cl = _lower(communes)
        levels = [_text(v) or "commune" for v in communes[cl["level"]]] if "level" in cl else ["commune"] * len(communes)
        codes = [_text(v) for v in communes[cl.get("code", cl.get("insee"))]]
        out["communes"] = _public_territorial(communes, "communes", list(zip(levels, codes)), cells_reg)
    zone_xy = {}
    if zones is not None and "x" in _lower(zones):
        zl = _lower(zones)
        zone_xy = {_text(z_): (float(x), float(y)) for z_, x, y in zip(zones[zl["zone_id"]], zones[zl["x"]], zones[zl["y"]])
                   if x == x and y == y}
    generalised = 0
    if synergies is not None:
        out["synergies"] = _public_synergies(synergies, zones, est_xy, zone_xy, grid, labels)
        generalised += int(out["synergies"]["geometry_wkt"].notna().sum())
    if pre_clusters is not None:
        out["clusters"] = _finish_clusters(pre_clusters, cells_reg)
        generalised += int(out["clusters"]["geometry_wkt"].notna().sum())
    if summary is not None:
        out["summary"] = _public_summary(summary, cells_reg)
    published = sum(1 for k, v in cells_reg.published.items() if v and cells_reg.contrib.get(k))
    suppressed = sum(1 for v in cells_reg.published.values() if not v)
    audit = Audit(published=published, suppressed=suppressed, secondary=n_secondary, generalised=generalised)
    return Protected(out, audit, cells_reg)


# Auditor ----------------------------------------------------------------------------------------
SIRET_RE = re.compile(r"(?<!\d)\d{3}[ \u00a0\u202f]?\d{3}[ \u00a0\u202f]?\d{3}[ \u00a0\u202f]?\d{5}(?!\d)")
SIREN_RE = re.compile(r"(?<!\d)\d{3}[ \u00a0\u202f]?\d{3}[ \u00a0\u202f]?\d{3}(?!\d)")
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
    reg = Cells(rule)
    zones, communes = internal.get("zones"), internal.get("communes")
    if zones is not None:
        _zone_commune_cells(reg, zones, communes, flows)
    if internal.get("clusters") is not None:
        contributions = _cluster_contributions(internal["clusters"], flows, internal.get("synergies"))
        for cid, figs in contributions.items():
            for fig, (contrib, total) in figs.items():
                reg.add(("clusters", cid, fig), contrib, total)
    _summary_cells(internal.get("summary"), internal.get("synergies"), internal.get("clusters"), reg)
    # what the public output actually shows
    shown: dict = {}

    def mark(kind, keys, frame):
        if frame is None:
            return
        lower = _lower(frame)
        for key, row in zip(keys, frame.to_dict("records")):
            for col in list(lower):
                ck = (kind, key, col)
                if ck in reg.contrib:
                    v = row.get(lower[col])
                    shown[ck] = v is not None and not (isinstance(v, float) and math.isnan(v))

    pz, pc = public.get("zones"), public.get("communes")
    if pz is not None:
        zl = _lower(pz)
        zids = [_text(v) for v in pz[zl["zone_id"]]]
        mark("zones", zids, pz)
        for text_col, prefix in (("waste_by_resource", "waste_res:"), ("waste_by_chapter", "waste_ch:")):
            if text_col not in zl:
                continue
            for zid, text in zip(zids, pz[zl[text_col]]):
                keys = [("zones", zid, c) for c in reg.columns.get(("zones", zid), []) if str(c).startswith(prefix)]
                listed = {item.split(":")[0].strip() for item in _text(text).split(";") if ":" in item}
                for k in keys:
                    shown[k] = k[2][len(prefix):] in listed
        for b, (s, d) in _balance_columns(pz).items():
            bad = pz[b].notna() & (pz[s].isna() | pz[d].isna()) if s is not None and d is not None else pz[b].notna()
            for zid in np.array(zids)[bad.to_numpy()]:
                result.violations.append("zone {}: balance {} published while supply or demand is withheld".format(zid, b))
    if pc is not None:
        cl = _lower(pc)
        levels = [_text(v) or "commune" for v in pc[cl["level"]]] if "level" in cl else ["commune"] * len(pc)
        codes = [_text(v) for v in pc[cl.get("code", cl.get("insee"))]]
        mark("communes", list(zip(levels, codes)), pc)
    if public.get("clusters") is not None:
        pcl = public["clusters"]
        mark("clusters", [_text(v) for v in pcl[_lower(pcl)["cluster_id"]]], pcl)
    if public.get("summary") is not None:
        ps = public["summary"]
        for ind, v in zip(ps["indicator"].astype(str), ps["value"]):
            if ("summary", ind, "value") in reg.contrib:
                shown[("summary", ind, "value")] = _text(v) not in ("", "n.d.", "None", "nan")
    for key in reg.contrib:
        reg.published[key] = shown.get(key, False)
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

    # geometry
    est_xy = _est_xy(establishments)
    points = np.vstack([np.array(list(est_xy.values())).reshape(-1, 2), _xy(avoid)])
    if len(points):
        from scipy.spatial import cKDTree

        tree = cKDTree(points)
        for name in ("synergies", "clusters", "recommendations"):
            frame = public.get(name)
            if frame is None or "geometry_wkt" not in frame.columns:
                continue
            pts = _wkt_points(frame["geometry_wkt"])
            result.generalised += int(frame["geometry_wkt"].notna().sum())
            if len(pts):
                near = tree.query(pts)[0] < clearance_m
                if near.any():
                    result.violations.append("{}: {} vertex(es) within {:.0f} m of an establishment".format(
                        name, int(near.sum()), clearance_m))

    # texts: identifiers, names, firm figures
    sirens = set()
    names = set()
    if establishments is not None and len(establishments):
        el = _lower(establishments)
        sirens = {_text(s)[:9] for s in establishments[el["siret"]] if len(_text(s)) >= 9}
        if "name" in el:
            names = {_text(n) for n in establishments[el["name"]] if len(_text(n)) >= 6}
    public_codes = set()
    if pc is not None:
        cl = _lower(pc)
        for col in ("code", "epci_siren"):
            if col in cl:
                public_codes.update(_text(v) for v in pc[cl[col]])
    name_re = re.compile(r"(?i)(?<!\w)(?:{})(?!\w)".format("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))) \
        if names else None
    secret_values = np.array(sorted(_secret_values(flows, internal)))
    allowed = np.array(sorted(_published_values(public)))

    def check_text(where, text, strict=True):
        text = _text(text)
        if not text:
            return
        result.texts_checked += 1
        if SIRET_RE.search(text):
            result.violations.append("{}: a SIRET-like number ({})".format(where, SIRET_RE.search(text).group(0)[:3] + "…"))
        for m in SIREN_RE.finditer(text):
            digits = re.sub(r"\D", "", m.group(0))
            if digits in sirens and digits not in public_codes:
                result.violations.append("{}: the SIREN of an establishment of the run".format(where))
                break
        if name_re is not None:
            hit = name_re.search(text)
            if hit:
                result.violations.append("{}: the name of an establishment of the run".format(where))
        for m in NUMBER_UNIT_RE.finditer(text):
            try:
                candidates = _parse_number(m.group(1), m.group(2), m.group(3))
            except ValueError:
                continue
            half = 0.5 * 10 ** -(len(m.group(3)) if m.group(3) else 0)
            if not any(v >= 10 and _within(secret_values, v, half) for v in candidates):
                continue
            if any(_within(allowed, v, half) for v in candidates):
                continue
            message = "{}: the figure {} {} matches one firm's or one synergy's and no published figure".format(
                where, m.group(0).split()[0], m.group(4))
            # texts composed here must only quote published figures; other texts (recommendations,
            # report) quote aggregates this auditor does not rebuild: flagged for a reader to check
            (result.violations if strict else result.flagged).append(message)

    for name, frame in sorted(public.items()):
        if frame is None:
            continue
        for col in frame.columns:
            if frame[col].dtype == object and str(col) != "geometry_wkt":
                for i, v in zip(frame.index, frame[col]):
                    if isinstance(v, str):
                        check_text("{}[{}].{}".format(name, i, col), v, strict=name in COMPOSED_HERE)
    for i, text in enumerate(texts):
        check_text("text {}".format(i + 1), text, strict=False)
    for i, line in enumerate(log_lines):
        check_text("log line {}".format(i + 1), line)
    # one message per problem kind and place is enough; keep them stable and short
    result.violations = list(dict.fromkeys(result.violations))
    result.flagged = list(dict.fromkeys(result.flagged))
    return result
