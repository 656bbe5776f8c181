"""Public geometry and the public synergy and cluster tables (``core.protection``).

Establishments are drawn as INSEE's gridded data does: a square cell (250 m, 500 m, 1 km …)
holding at least 3 establishments; the point drawn keeps ``CLEARANCE_M`` away from every
known establishment position."""
from __future__ import annotations

import functools
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
    _texts,
    safe_positions,
    safety,
)


def _code(keys: np.ndarray) -> np.ndarray:
    """One int64 per cell ``(i, j)``, ordered as the pairs."""
    keys = np.asarray(keys, dtype=np.int64).reshape(-1, 2)
    return ((keys[:, 0] + (1 << 31)) << 32) | (keys[:, 1] + (1 << 31))


def _unique_rows(points: np.ndarray) -> np.ndarray:
    """``np.unique(points, axis=0)`` through a lexsort (faster on many rows)."""
    if not len(points):
        return points
    order = np.lexsort((points[:, 1], points[:, 0]))
    p = points[order]
    new = np.r_[True, (p[1:] != p[:-1]).any(axis=1)]
    return p[new]


@functools.lru_cache(maxsize=1)
def _corner_offsets() -> np.ndarray:
    """Moves of a rectangle's corner outward, 25 m steps up to 2 km, nearest first."""
    steps = np.arange(0.0, 2000.0 + 1e-9, 25.0)
    ga, gb = np.meshgrid(steps, steps)
    offsets = np.column_stack([ga.ravel(), gb.ravel()])
    return offsets[np.argsort(offsets.sum(axis=1), kind="stable")]


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
        keep = _unique_rows(np.round(keep, 1))
        self.tree = cKDTree(keep) if len(keep) else None
        self._levels: dict = {}
        self._anchor: dict = {}

    def _level(self, level: int):
        """``(cell codes, counts, starts, positions)`` of a grid level: the establishments
        sorted by cell (stable), each cell's count and first row. O(m log m), once per level."""
        if level not in self._levels:
            size = GRID_SIZES_M[level]
            code = _code(np.floor(self.xy / size).astype(np.int64))
            order = np.argsort(code, kind="stable")  # a cell keeps the establishments' order
            codes, starts, counts = np.unique(code[order], return_index=True, return_counts=True)
            self._levels[level] = (codes, counts, starts, self.xy[order])
        return self._levels[level]

    def _count(self, level: int, code: np.ndarray) -> np.ndarray:
        """Establishments in each cell (``_code``) of a level."""
        codes, counts, _, _ = self._level(level)
        if not len(codes):
            return np.zeros(len(code), dtype=np.int64)
        at = np.minimum(np.searchsorted(codes, code), len(codes) - 1)
        return np.where(codes[at] == code, counts[at], 0)

    def _inside(self, cell) -> np.ndarray:
        """The establishments in a cell, in their order (a slice of the positions sorted by cell)."""
        codes, counts, starts, xy = self._level(cell[0])
        code = _code(np.array([cell[1:]], dtype=np.int64))[0]
        at = int(np.searchsorted(codes, code))
        if at >= len(codes) or codes[at] != code:
            return xy[:0]
        return xy[starts[at]:starts[at] + counts[at]]

    def cell(self, x: float, y: float):
        """``(level, i, j)`` of the public cell of a point: the smallest one holding at least
        ``k`` establishments with a safe point to draw."""
        return self.cells(np.array([[x, y]], dtype=float))[0]

    def cells(self, xy: np.ndarray) -> list:
        """``cell`` of many points at once: per level, the anchors of every cell still needed
        are found in one batch. O(n log n + cells × candidates × log m)."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        out = [None] * len(xy)
        todo = np.arange(len(xy))
        for level, size in enumerate(GRID_SIZES_M):
            if not len(todo):
                break
            keys = np.floor(xy[todo] / size).astype(np.int64)
            code = _code(keys)
            uniq, first, inverse = np.unique(code, return_index=True, return_inverse=True)
            dense = self._count(level, uniq) >= self.k
            cells = [(level, int(i), int(j)) for i, j in keys[first].tolist()]
            self.anchors([c for c, d in zip(cells, dense.tolist()) if d])
            good = np.array([d and self._anchor[c] is not None for c, d in zip(cells, dense.tolist())], dtype=bool)
            hit = good[inverse.ravel()]
            for p, u in zip(todo[hit].tolist(), inverse.ravel()[hit].tolist()):
                out[p] = cells[u]
            todo = todo[~hit]
        size = GRID_SIZES_M[-1]
        for p in todo.tolist():
            out[p] = (len(GRID_SIZES_M) - 1, int(math.floor(xy[p, 0] / size)), int(math.floor(xy[p, 1] / size)))
        return out

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
        self.anchors([cell])
        return self._anchor[cell]

    def _candidates(self, cells: list):
        """The candidates of ``anchor`` for many cells: ``(points, owner, rank, centre)`` with
        ``rank`` the candidate's place in its cell (centre, sub-grid row by row, centroid)."""
        bounds = np.array([self.bounds(c) for c in cells], dtype=float).reshape(-1, 4)
        x0, y0, x1, y1 = bounds.T
        steps = (np.arange(self.SUBGRID) + 0.5) / self.SUBGRID
        xs = x0[:, None] + steps[None, :] * (x1 - x0)[:, None]
        ys = y0[:, None] + steps[None, :] * (y1 - y0)[:, None]
        m, g = len(cells), self.SUBGRID
        centre = np.column_stack([(x0 + x1) / 2, (y0 + y1) / 2])
        grid = np.stack([np.broadcast_to(xs[:, None, :], (m, g, g)), np.broadcast_to(ys[:, :, None], (m, g, g))],
                        axis=-1).reshape(m, g * g, 2)
        pts = np.concatenate([centre[:, None, :], grid], axis=1).reshape(-1, 2)
        owner = np.repeat(np.arange(m), g * g + 1)
        rank = np.tile(np.arange(g * g + 1), m)
        means, mean_owner = [], []
        for n, cell in enumerate(cells):
            inside = self._inside(cell)
            if len(inside) >= self.k:
                means.append(inside.mean(axis=0))
                mean_owner.append(n)
        if means:
            pts = np.vstack([pts, np.array(means)])
            owner = np.concatenate([owner, mean_owner])
            rank = np.concatenate([rank, np.full(len(means), g * g + 1)])
        return np.round(pts, 1), owner, rank, centre[owner]

    FIRST_TRY = 32  # candidates nearest the centre checked first; the rest only when none is clear

    def anchors(self, cells) -> None:
        """``anchor`` of many cells at once: the candidates nearest each centre are checked in
        one batch, the others (one more batch) only for cells where none of those is clear.
        O(cells × candidates × log m)."""
        cells = [c for c in dict.fromkeys(cells) if c not in self._anchor]
        if not cells:
            return
        cand, owner, rank, centres = self._candidates(cells)
        d_centre = np.hypot(cand[:, 0] - centres[:, 0], cand[:, 1] - centres[:, 1])
        order = np.lexsort((rank, d_centre, owner))  # per cell, nearest the centre first
        start = np.searchsorted(owner[order], np.arange(len(cells)))
        place = np.arange(len(order)) - start[owner[order]]
        ok = np.zeros(len(cand), dtype=bool)
        nearest = np.zeros(len(cand))
        tried = order[place < self.FIRST_TRY]
        ok[tried], nearest[tried] = safety(self.tree, cand[tried], self.k, self.clearance)
        clear = ok & (nearest >= self.clearance)
        found = np.zeros(len(cells), dtype=bool)
        found[owner[tried][clear[tried]]] = True
        rest = order[(place >= self.FIRST_TRY) & ~found[owner[order]]]
        if len(rest):
            ok[rest], nearest[rest] = safety(self.tree, cand[rest], self.k, self.clearance)
        checked = np.zeros(len(cand), dtype=bool)
        checked[tried] = True
        checked[rest] = True
        ok &= checked
        clear = ok & (nearest >= self.clearance)
        # per cell, clear points first, then nearest the centre, then the first candidate: a
        # stable, readable position
        best = np.lexsort((rank, d_centre, ~clear, ~ok, owner))
        first = best[np.r_[True, owner[best][1:] != owner[best][:-1]]]
        for i in first.tolist():
            self._anchor[cells[owner[i]]] = (float(cand[i, 0]), float(cand[i, 1])) if ok[i] else None

    def point(self, x: float, y: float):
        if x is None or y is None or not (np.isfinite(x) and np.isfinite(y)):
            return None
        return self.anchor(self.cell(x, y))

    def points(self, xy: np.ndarray) -> list:
        """``point`` of many positions at once (None for a missing one). O(n log n)."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        good = np.isfinite(xy).all(axis=1)
        out = [None] * len(xy)
        cells = self.cells(xy[good])
        self.anchors(cells)
        for p, c in zip(np.flatnonzero(good).tolist(), cells):
            out[p] = self._anchor[c]
        return out

    def area(self, cells) -> str | None:
        """WKT rectangle covering ``cells``, each corner moved outward to the nearest safe
        position; None when a corner has none within 2 km. The candidates of a corner are
        checked in order, by growing batches, up to the first safe one: O(tried × log m)."""
        boxes = np.array([self.bounds(c) for c in cells], dtype=float)
        x0, y0 = boxes[:, 0].min(), boxes[:, 1].min()
        x1, y1 = boxes[:, 2].max(), boxes[:, 3].max()
        # each corner moves outward (the rectangle stays inside) to the nearest safe position
        offsets = _corner_offsets()
        corners = []
        for (cx, cy), (sx, sy) in (((x0, y0), (-1, -1)), ((x1, y0), (1, -1)), ((x1, y1), (1, 1)), ((x0, y1), (-1, 1))):
            found, start, batch = None, 0, 64
            while found is None and start < len(offsets):
                chunk = offsets[start:start + batch]
                cand = np.round(np.column_stack([cx + sx * chunk[:, 0], cy + sy * chunk[:, 1]]), 1)
                safe = np.flatnonzero(self.safe(cand))
                if len(safe):
                    found = cand[safe[0]]
                start, batch = start + batch, batch * 4
            if found is None:
                return None
            corners.append(found)
        corners = np.array(corners)
        ring = list(corners) + [corners[0]]
        return "POLYGON(({}))".format(", ".join("{:.1f} {:.1f}".format(a, b) for a, b in ring))


def _line_wkt(a, b) -> str:
    return "LINESTRING({:.1f} {:.1f}, {:.1f} {:.1f})".format(a[0], a[1], b[0], b[1])


def _resource_labels(language: str = "fr") -> dict:
    return conf._resource_labels(language)


def _column_texts(frame: pd.DataFrame, lower: dict, name: str) -> list:
    """``_text`` of a column's values ("" for each row when the column is absent). O(rows)."""
    return _texts(frame[lower[name]]).tolist() if name in lower else [""] * len(frame)


def _zone_labels(zones: pd.DataFrame) -> dict:
    """``{zone_id: "label (commune)"}``, the commune by its name (its INSEE code when no name
    is known), as in the internal reasons. O(zones)."""
    from .recommendation_texts import commune_name

    zl = _lower(zones)
    out = {}
    for zid, lab, insee in zip(*(_column_texts(zones, zl, n) for n in ("zone_id", "libelle", "insee"))):
        lab = lab or zid
        out[zid] = "{} ({})".format(lab, commune_name(insee)) if insee else lab
    return out


def _public_synergies(syn: pd.DataFrame, zones, est_xy: dict, zone_xy: dict, grid: Grid, labels: dict):
    out = syn.copy()
    sl = _lower(out)
    zlab = _zone_labels(zones) if zones is not None else {}
    labels_en = _resource_labels("en")
    geoms, reasons, reasons_en = [], [], []
    get = {n: _column_texts(out, sl, n) for n in ("supplier_siret", "receiver_siret", "receiver_zone", "supplier_zone",
                                                  "resource_supply", "resource_demand")}
    ends = []  # the positions drawn, both ends of every synergy at once
    for sup_siret, rec_siret, rz in zip(get["supplier_siret"], get["receiver_siret"], get["receiver_zone"]):
        ends.append(est_xy.get(sup_siret) or (np.nan, np.nan))
        ends.append((est_xy.get(rec_siret) if rec_siret else zone_xy.get(rz)) or (np.nan, np.nan))
    drawn = grid.points(np.array(ends, dtype=float).reshape(-1, 2))
    for i, (res_s, res_d, sz, rz, rec_siret) in enumerate(zip(get["resource_supply"], get["resource_demand"],
                                                              get["supplier_zone"], get["receiver_zone"],
                                                              get["receiver_siret"])):
        a, b = drawn[2 * i], drawn[2 * i + 1]
        geoms.append(_line_wkt(a, b) if a and b else None)
        what = labels.get(res_s, res_s) or "une ressource"
        need = labels.get(res_d, res_d) or "un besoin"
        where_s = " dans la zone {}".format(zlab.get(sz, sz)) if sz else ""
        if rec_siret:
            target = "un établissement" + (" de la zone {}".format(zlab.get(rz, rz)) if rz else "")
        else:
            target = "les logements de la zone {}".format(zlab.get(rz, rz)) if rz else "un besoin voisin"
        reasons.append("« {} » disponible{} → « {} » pour {} ; quantités couvertes par le secret statistique "
                       "(une ou deux entreprises).".format(what, where_s, need, target))
        # the same sentence in English, with the taxonomy's English labels (a report in English quotes it)
        if rec_siret:
            target_en = "an establishment" + (" of zone {}".format(zlab.get(rz, rz)) if rz else "")
        else:
            target_en = "the housing of zone {}".format(zlab.get(rz, rz)) if rz else "a nearby need"
        reasons_en.append("“{}” available{} → “{}” for {}; quantities withheld (statistical secret: one or two "
                          "firms).".format(labels_en.get(res_s, res_s) or "a resource",
                                           " in zone {}".format(zlab.get(sz, sz)) if sz else "",
                                           labels_en.get(res_d, res_d) or "a need", target_en))
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
    f = pd.DataFrame({"siret": _texts(flows[fl["siret"]]),
                      "resource": _texts(flows[fl["resource"]]),
                      "quantity": _num(flows[fl["quantity"]]).fillna(0.0).abs().to_numpy()})
    grouped = f.groupby(["siret", "resource"])["quantity"].sum()
    index = grouped.index
    return dict(zip(zip(index.get_level_values(0).tolist(), index.get_level_values(1).tolist()), grouped.tolist()))


def _synergy_ends(synergies):
    """``[(establishments, quantity, co2)]`` per synergy and ``{siret: [synergy index]}``."""
    rows, by_end = [], {}
    if synergies is None or not len(synergies):
        return rows, by_end
    sl = _lower(synergies)

    def column(name):
        return _num(synergies[sl[name]]).fillna(0).abs().to_numpy() if name in sl else np.zeros(len(synergies))

    def ids(name):
        return _column_texts(synergies, sl, name)

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
    rows = out.to_dict("records")
    members_of = [[m for m in _split(row.get(cl.get("members"))) if not m.startswith("zone:")] for row in rows]
    placed = [m for members in members_of for m in members if m in est_xy]
    cell_of = dict(zip(placed, grid.cells(np.array([est_xy[m] for m in placed], dtype=float).reshape(-1, 2))))
    for row, members in zip(rows, members_of):
        cid = _text(row.get(cl.get("cluster_id")))
        cells = [cell_of[m] for m in members if m in est_xy]
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
