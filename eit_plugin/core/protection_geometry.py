"""Public geometry and the public synergy and cluster tables (``core.protection``).

Establishments are drawn as INSEE's gridded data does: a square cell (250 m, 500 m, 1 km …)
holding at least 3 establishments; the point drawn keeps ``CLEARANCE_M`` away from every
known establishment position."""
from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from . import confidentiality as conf
from .protection_cells import (
    CLEARANCE_M,
    CLUSTER_FIGURES,
    CLUSTER_WITHHELD,
    GRID_SIZES_M,
    SECRET_TEXT,
    SYNERGY_WITHHELD,
    Cells,
    _fmt_fr,
    _lower,
    _num,
    _text,
    safe_positions,
)


class Grid:
    """INSEE-style generalisation: the smallest aligned square cell (250 m, 500 m, 1 km …)
    around a point that holds at least ``k`` establishments, drawn by a point of the cell that
    does not single out an establishment (``safe_positions``: within ``clearance_m`` none or
    at least ``k`` establishments, none within ``MIN_GAP_M``)."""

    SUBGRID = 17  # candidates per side of a cell (about 15 m apart in a 250 m cell)

    def __init__(self, xy: np.ndarray, k: int = conf.MIN_CONTRIBUTORS, clearance_m: float = CLEARANCE_M,
                 avoid: np.ndarray | None = None):
        from scipy.spatial import cKDTree

        self.xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        self.xy = self.xy[np.isfinite(self.xy).all(axis=1)]
        self.k = k
        self.clearance = clearance_m
        # points drawn are judged against every known establishment position, including those
        # the import left out (closed…): the public geolocation file lists them all. One
        # position listed twice (stock and geolocation file) is one establishment, not two.
        others = np.zeros((0, 2)) if avoid is None else np.asarray(avoid, dtype=float).reshape(-1, 2)
        keep = np.vstack([self.xy, others[np.isfinite(others).all(axis=1)]])
        keep = np.unique(np.round(keep, 1), axis=0) if len(keep) else keep
        self.tree = cKDTree(keep) if len(keep) else None
        self.counts = []
        for size in GRID_SIZES_M:
            keys = np.floor(self.xy / size).astype(np.int64)
            uniq, n = np.unique(keys, axis=0, return_counts=True) if len(keys) else (np.zeros((0, 2)), [])
            self.counts.append({(int(a), int(b)): int(c) for (a, b), c in zip(uniq, n)})
        self._anchor: dict = {}

    def cell(self, x: float, y: float):
        """``(level, i, j)`` of the public cell of a point: the smallest one holding at least
        ``k`` establishments with a safe point to draw."""
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

    def safe(self, points: np.ndarray) -> np.ndarray:
        return safe_positions(self.tree, points, self.k, self.clearance)

    def anchor(self, cell):
        """The point drawn for a cell: of the centre, a sub-grid of the cell searched outward
        from the centre and the centroid of the cell's establishments, the safe candidate
        nearest the centre, one clear of every establishment preferred; None when none is safe."""
        if cell in self._anchor:
            return self._anchor[cell]
        x0, y0, x1, y1 = self.bounds(cell)
        steps = (np.arange(self.SUBGRID) + 0.5) / self.SUBGRID
        gx, gy = np.meshgrid(x0 + steps * (x1 - x0), y0 + steps * (y1 - y0))
        centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
        cand = [centre[None, :], np.column_stack([gx.ravel(), gy.ravel()])]
        inside = self.xy[(self.xy[:, 0] >= x0) & (self.xy[:, 0] < x1) & (self.xy[:, 1] >= y0) & (self.xy[:, 1] < y1)]
        if len(inside) >= self.k:
            cand.append(inside.mean(axis=0)[None, :])
        cand = np.round(np.vstack(cand), 1)
        ok = np.flatnonzero(self.safe(cand))
        if len(ok) == 0:
            point = None
        else:
            empty = self.clear(cand[ok]) >= self.clearance
            d_centre = np.hypot(cand[ok, 0] - centre[0], cand[ok, 1] - centre[1])
            # clear points first, then nearest the centre: a stable, readable position
            best = ok[np.lexsort((d_centre, ~empty))[0]]
            point = (float(cand[best, 0]), float(cand[best, 1]))
        self._anchor[cell] = point
        return point

    def point(self, x: float, y: float):
        if x is None or y is None or not (np.isfinite(x) and np.isfinite(y)):
            return None
        return self.anchor(self.cell(x, y))

    def area(self, cells) -> str | None:
        """WKT rectangle covering ``cells``, each corner moved outward to the nearest safe
        position; None when a corner has none within 2 km."""
        boxes = np.array([self.bounds(c) for c in cells], dtype=float)
        x0, y0 = boxes[:, 0].min(), boxes[:, 1].min()
        x1, y1 = boxes[:, 2].max(), boxes[:, 3].max()
        # each corner moves outward (the rectangle stays inside) to the nearest safe position
        steps = np.arange(0.0, 2000.0 + 1e-9, 25.0)
        ga, gb = np.meshgrid(steps, steps)
        offsets = np.column_stack([ga.ravel(), gb.ravel()])
        offsets = offsets[np.argsort(offsets.sum(axis=1), kind="stable")]
        corners = []
        for (cx, cy), (sx, sy) in (((x0, y0), (-1, -1)), ((x1, y0), (1, -1)), ((x1, y1), (1, 1)), ((x0, y1), (-1, 1))):
            cand = np.round(np.column_stack([cx + sx * offsets[:, 0], cy + sy * offsets[:, 1]]), 1)
            safe = np.flatnonzero(self.safe(cand))
            if not len(safe):
                return None
            corners.append(cand[safe[0]])
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
    per = _quantities(flows)
    syn_rows, by_end = _synergy_ends(synergies)
    out = {}
    for row in clusters.to_dict("records"):
        cid = _text(row.get(cl.get("cluster_id")))
        members = [m for m in _split(row.get(cl.get("members"))) if not m.startswith("zone:")]
        if _text(row.get(cl.get("kind"))) == "exchange":
            out[cid] = _exchange_parts(members, syn_rows, by_end)
        else:
            resources = _split(row.get(cl.get("resources")))
            q = {m: sum(per.get((m, r), 0.0) for r in resources) for m in members}
            out[cid] = {f: (q, None) for f in CLUSTER_FIGURES}
    return out


def _quantities(flows) -> dict:
    """``{(siret, resource): quantity}``."""
    if flows is None or flows.empty:
        return {}
    fl = _lower(flows)
    f = pd.DataFrame({"siret": [_text(v) for v in flows[fl["siret"]]],
                      "resource": [_text(v) for v in flows[fl["resource"]]],
                      "quantity": _num(flows[fl["quantity"]]).fillna(0.0).abs().to_numpy()})
    return f.groupby(["siret", "resource"])["quantity"].sum().to_dict()


def _synergy_ends(synergies):
    """``[(establishments, quantity, co2)]`` per synergy and ``{siret: [synergy index]}``."""
    rows, by_end = [], {}
    if synergies is None or not len(synergies):
        return rows, by_end
    sl = _lower(synergies)

    def column(name):
        return _num(synergies[sl[name]]).fillna(0).abs().to_numpy() if name in sl else np.zeros(len(synergies))

    def ids(name):
        return [_text(v) for v in synergies[sl[name]]] if name in sl else [""] * len(synergies)

    q, c = column("quantity"), column("co2_avoided_t")
    for i, (a, b) in enumerate(zip(ids("supplier_siret"), ids("receiver_siret"))):
        ends = [e for e in (a, b) if e]
        rows.append((ends, q[i], c[i]))
        for e in ends:
            by_end.setdefault(e, []).append(i)
    return rows, by_end


def _exchange_parts(members, syn_rows, by_end) -> dict:
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
    return {"total_quantity": (q, tq), "co2_avoided_t": (co2, tc), "cost_saving_eur": (q, tq), "land_need_m2": (q, tq)}


def _public_clusters(clusters, flows, synergies, est_xy, grid: Grid, cells_reg: Cells, zlab: dict):
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
