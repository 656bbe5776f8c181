"""Geometry and graph helpers of the mutualisation clusters: convex and buffered hulls,
the weighted geometric median (Weiszfeld), the neighbour graph (Delaunay edges, or KD-tree
candidates checked along a network) and the cutting of over-wide components.

See ``core.clustering`` for the method."""
from __future__ import annotations

import math

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.spatial import ConvexHull, Delaunay, cKDTree

from .feedback import NULL_FEEDBACK

DEFAULT_BUFFER_M = 50.0

# Geometry helpers ---------------------------------------------------------------------------
def convex_hull(xy: np.ndarray) -> np.ndarray:
    """Convex hull (Andrew's monotone chain), counter-clockwise, without repeating the first
    vertex; degenerate inputs give 1 or 2 points. O(n log n)."""
    pts = np.unique(np.asarray(xy, dtype=float).reshape(-1, 2), axis=0)
    if len(pts) <= 2:
        return pts
    if len(pts) > 8:
        try:
            centre = pts.mean(axis=0)
            return pts[ConvexHull(pts - centre).vertices]  # counter-clockwise in 2-D
        except Exception:  # noqa: BLE001 - flat input (collinear): the chain below handles it
            pass

    def half(points):
        chain = []
        for p in points:
            while len(chain) >= 2:
                (ax, ay), (bx, by) = chain[-2], chain[-1]
                if (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax) <= 0:
                    chain.pop()
                else:
                    break
            chain.append((p[0], p[1]))
        return chain

    lower = half(pts)
    upper = half(pts[::-1])
    hull = np.array(lower[:-1] + upper[:-1])
    return hull if len(hull) else pts[:1]


def _hull_vertices(pts: np.ndarray) -> np.ndarray:
    """Vertices of the convex hull, counter-clockwise (monotone chain for small sets, Qhull
    for large ones); 1 or 2 points for coincident or collinear input."""
    if len(pts) <= 64:
        return convex_hull(pts)
    centre = pts.mean(axis=0)
    try:
        return pts[ConvexHull(pts - centre).vertices]
    except Exception:  # noqa: BLE001 - flat input: collinear points
        return convex_hull(pts)


def _minkowski(hull: np.ndarray, disc: np.ndarray) -> np.ndarray:
    """Minkowski sum of two convex polygons given counter-clockwise (edge merge by angle)."""
    def from_bottom(poly):
        k = int(np.lexsort((poly[:, 0], poly[:, 1]))[0])
        return np.roll(poly, -k, axis=0)

    if len(hull) == 1:
        return hull[0] + disc
    p, q = from_bottom(hull), from_bottom(disc)
    edges = np.concatenate([np.roll(p, -1, axis=0) - p, np.roll(q, -1, axis=0) - q])
    angle = np.mod(np.arctan2(edges[:, 1], edges[:, 0]), 2 * math.pi)
    order = np.argsort(angle, kind="stable")
    ring = (p[0] + q[0]) + np.concatenate([[[0.0, 0.0]], np.cumsum(edges[order], axis=0)[:-1]])
    return ring


def buffered_hull(xy: np.ndarray, buffer_m: float = DEFAULT_BUFFER_M, segments: int = 16) -> np.ndarray:
    """The convex hull of the points grown by ``buffer_m`` (Minkowski sum with a
    ``segments``-gon): a disc for one member, a stadium for two. Closed ring (n+1, 2),
    counter-clockwise."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    hull = _hull_vertices(xy)
    if buffer_m > 0:
        angles = np.arange(segments) * 2 * math.pi / segments
        disc = buffer_m * np.column_stack([np.cos(angles), np.sin(angles)])
        if len(hull) == 2:  # a segment: its two directions are its "edges"
            hull = hull if hull[0][1] < hull[1][1] or (hull[0][1] == hull[1][1] and hull[0][0] < hull[1][0]) else hull[::-1]
        hull = _minkowski(hull, disc)
    if len(hull) < 3:  # buffer 0 on 1-2 points: a tiny triangle keeps a valid polygon
        c = hull.mean(axis=0)
        hull = np.array([c + (-0.5, -0.5), c + (0.5, -0.5), c + (0.0, 0.5)])
    return np.vstack([hull, hull[:1]])


def ring_wkt(ring: np.ndarray) -> str:
    return "POLYGON(({}))".format(", ".join("{:.2f} {:.2f}".format(x, y) for x, y in ring))


def weiszfeld(xy: np.ndarray, weights: np.ndarray, tol_m: float = 0.5, max_iter: int = 200):
    """Weighted geometric median (minimises Σ wᵢ‖p − xᵢ‖). Returns ``(x, y)``."""
    xy = np.asarray(xy, dtype=float)
    w = np.asarray(weights, dtype=float)
    w = np.where(np.isfinite(w) & (w > 0), w, 0.0)
    if w.sum() <= 0:
        w = np.ones(len(xy))
    p = (xy * w[:, None]).sum(axis=0) / w.sum()
    for _ in range(max_iter):
        d = np.hypot(xy[:, 0] - p[0], xy[:, 1] - p[1])
        at = d < 1e-9
        if at.any():
            # On a data point: it is optimal when the pull of the others does not exceed its weight.
            k = int(np.flatnonzero(at)[0])
            others = ~at
            if not others.any():
                return float(p[0]), float(p[1])
            pull = ((xy[others] - p) * (w[others] / d[others])[:, None]).sum(axis=0)
            if np.hypot(*pull) <= w[at].sum():
                return float(xy[k, 0]), float(xy[k, 1])
            d = np.where(at, 1e-9, d)
        inv = w / d
        new = (xy * inv[:, None]).sum(axis=0) / inv.sum()
        if np.hypot(*(new - p)) < tol_m:
            p = new
            break
        p = new
    # Weiszfeld only approaches an optimal data point: test the nearest one exactly.
    d = np.hypot(xy[:, 0] - p[0], xy[:, 1] - p[1])
    k = int(np.argmin(d))
    same = np.hypot(xy[:, 0] - xy[k, 0], xy[:, 1] - xy[k, 1]) < 1e-9
    if (~same).any():
        dk = np.hypot(xy[~same, 0] - xy[k, 0], xy[~same, 1] - xy[k, 1])
        pull = ((xy[~same] - xy[k]) * (w[~same] / dk)[:, None]).sum(axis=0)
        if np.hypot(*pull) <= w[same].sum():
            return float(xy[k, 0]), float(xy[k, 1])
    return float(p[0]), float(p[1])


# Neighbour graph ----------------------------------------------------------------------------
def _delaunay_edges(pts: np.ndarray) -> np.ndarray:
    """Edges of the Delaunay triangulation of distinct points (collinear: consecutive)."""
    m = len(pts)
    if m < 2:
        return np.zeros((0, 2), dtype=np.int64)
    if m == 2:
        return np.array([[0, 1]], dtype=np.int64)
    centred = pts - pts.mean(axis=0)
    try:
        tri = Delaunay(centred)
    except Exception:  # noqa: BLE001 - Qhull raises on flat input: the points are collinear
        axis = np.linalg.svd(centred, full_matrices=False)[2][0]
        order = np.argsort(centred @ axis, kind="stable")
        return np.column_stack([order[:-1], order[1:]]).astype(np.int64)
    s = tri.simplices
    edges = np.concatenate([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]])
    if len(tri.coplanar):  # points Qhull left out (nearly coincident): tie to their vertex
        edges = np.concatenate([edges, tri.coplanar[:, [0, 2]]])
    edges = np.sort(edges, axis=1)
    return np.unique(edges, axis=0).astype(np.int64)


def _unique_points(xy: np.ndarray):
    """Distinct positions: ``(uniq, rep, dup_edges)`` with ``uniq`` sorted by (x, y) (as
    ``np.unique(axis=0)``), ``rep[u]`` the first row at position ``u`` and ``dup_edges``
    tying every other row to it. One stable lexsort: O(n log n)."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    n = len(xy)
    order = np.lexsort((xy[:, 1], xy[:, 0]))  # stable: equal rows keep their row order
    ordered = xy[order]
    new = np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)] if n else np.zeros(0, dtype=bool)
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    uniq = ordered[new]
    rep = order[new].astype(np.int64)  # first row of each run = lowest row number
    dup = np.flatnonzero(rep[inverse] != np.arange(n))
    return uniq, rep, np.column_stack([rep[inverse[dup]], dup]).astype(np.int64)


def network_candidates(xy: np.ndarray, distance_m: float) -> np.ndarray:
    """Row pairs (i < j by position rank) at distinct positions within ``distance_m`` in a
    straight line: the only pairs that can be within it along a network."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    if len(xy) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    uniq, rep, _ = _unique_points(xy)
    e = cKDTree(uniq).query_pairs(distance_m, output_type="ndarray").astype(np.int64)
    if not len(e):
        return np.zeros((0, 2), dtype=np.int64)
    e = e[np.argsort(e[:, 0] * len(uniq) + e[:, 1])]  # = lexsort by (i, j): keys are unique
    return rep[e].reshape(-1, 2)


def neighbour_edges(xy: np.ndarray, distance_m: float, network=None, feedback=NULL_FEEDBACK, pair_length=None):
    """Edges ``(k, 2)`` of a graph whose connected components are those of "within
    ``distance_m``" (straight, or along ``network``), with their lengths.

    Straight: Delaunay edges ≤ d plus exact duplicates (fewer than 3n edges). Network: KD-tree
    candidate pairs, kept when the network distance is ≤ d (``pair_length(row_pairs)``, when
    given, supplies network lengths computed in one batch for several groups)."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    n = len(xy)
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0)
    uniq, rep, dup_edges = _unique_points(xy)
    if network is None:
        e = _delaunay_edges(uniq)
        length = np.hypot(*(uniq[e[:, 0]] - uniq[e[:, 1]]).T) if len(e) else np.zeros(0)
        keep = length <= distance_m
        e, length = rep[e[keep]].reshape(-1, 2), length[keep]
    else:
        e = network_candidates(xy, distance_m)
        if len(e):
            if pair_length is not None:
                length = np.asarray(pair_length(e), dtype=float)
            else:
                length = np.asarray(network.distances(xy, xy, e, cutoff_m=distance_m), dtype=float)
            keep = np.isfinite(length) & (length <= distance_m)
            e, length = e[keep], length[keep]
        else:
            length = np.zeros(0)
    edges = np.concatenate([e.reshape(-1, 2), dup_edges]).astype(np.int64)
    lengths = np.concatenate([length, np.zeros(len(dup_edges))])
    return edges, lengths


class _BatchedNetworkLengths:
    """Network lengths of the candidate pairs of every group, computed in one call (sources
    shared between groups are then routed once)."""

    def __init__(self, network, site_xy: np.ndarray, distance_m: float):
        self.network, self.site_xy, self.distance_m = network, site_xy, distance_m
        self.pending = []
        self.keys = self.lengths = None

    def add(self, global_pairs: np.ndarray) -> None:
        self.pending.append(np.sort(global_pairs, axis=1))

    def solve(self, feedback=NULL_FEEDBACK) -> None:
        m = len(self.site_xy)
        if self.pending:
            # Unique rows through one int64 key per pair (same order as np.unique(axis=0), 7x faster).
            allp = np.concatenate(self.pending).astype(np.int64)
            keys = np.unique(allp[:, 0] * m + allp[:, 1])
            pairs = np.column_stack([keys // m, keys % m])
        else:
            pairs = np.zeros((0, 2), dtype=np.int64)
        lengths = (np.asarray(self.network.distances(self.site_xy, self.site_xy, pairs, cutoff_m=self.distance_m,
                                                     feedback=feedback), dtype=float)
                   if len(pairs) else np.zeros(0))
        self.keys = pairs[:, 0] * len(self.site_xy) + pairs[:, 1]
        self.lengths = lengths

    def get(self, global_pairs: np.ndarray) -> np.ndarray:
        g = np.sort(global_pairs, axis=1)
        keys = g[:, 0] * len(self.site_xy) + g[:, 1]
        pos = np.clip(np.searchsorted(self.keys, keys), 0, max(len(self.keys) - 1, 0))
        found = len(self.keys) > 0
        return np.where(found & (self.keys[pos] == keys) if found else False, self.lengths[pos] if found else np.nan, np.nan)


def _components(n: int, edges: np.ndarray) -> np.ndarray:
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    graph = sparse.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n)) if len(edges) else sparse.coo_matrix((n, n))
    return connected_components(graph, directed=False)[1].astype(np.int64)


def split_components(xy: np.ndarray, edges: np.ndarray, max_span_m: float, feedback=NULL_FEEDBACK) -> list:
    """Connected components of ``edges``; a component whose bounding box is wider (or
    taller) than ``max_span_m`` is cut at the median of its longer side and each half is
    split again into its own connected parts, until every part fits. Returns index arrays,
    each sorted. O((n + e) log n)."""
    n = len(xy)
    labels = _components(n, edges)
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.r_[True, labels[order][1:] != labels[order][:-1], True])
    edge_label = labels[edges[:, 0]] if len(edges) else np.zeros(0, dtype=np.int64)
    edge_order = np.argsort(edge_label, kind="stable")
    edge_bounds = np.searchsorted(edge_label[edge_order], np.arange(labels.max() + 2 if n else 1))
    stack, done = [], []
    for c in range(len(bounds) - 1):
        idx = order[bounds[c]:bounds[c + 1]]
        lab = labels[idx[0]]
        stack.append((idx, edges[edge_order[edge_bounds[lab]:edge_bounds[lab + 1]]]))
    steps = 0
    while stack:
        idx, sub_edges = stack.pop()
        steps += 1
        if steps % 1000 == 0:
            feedback.check_cancelled()
        pts = xy[idx]
        ext = pts.max(axis=0) - pts.min(axis=0)
        if len(idx) < 2 or not math.isfinite(max_span_m) or max(ext) <= max_span_m:
            done.append(np.sort(idx))
            continue
        # Work in local indices (0..len(idx)-1) so that each cut costs O(part), not O(n).
        local = np.sort(idx)
        pts = xy[local]
        axis = int(ext[1] > ext[0])
        ranked = np.lexsort((np.arange(len(local)), pts[:, axis]))
        left = np.zeros(len(local), dtype=bool)
        left[ranked[:len(local) // 2]] = True
        le = np.searchsorted(local, sub_edges) if len(sub_edges) else np.zeros((0, 2), dtype=np.int64)
        same = left[le[:, 0]] == left[le[:, 1]] if len(le) else np.zeros(0, dtype=bool)
        le = le[same]
        sub_labels = _components(len(local), le)
        # halves never share a label: an edge across the cut was removed
        order_l = np.argsort(sub_labels, kind="stable")
        cuts = np.flatnonzero(np.r_[True, sub_labels[order_l][1:] != sub_labels[order_l][:-1], True])
        edge_lab = sub_labels[le[:, 0]] if len(le) else np.zeros(0, dtype=np.int64)
        e_order = np.argsort(edge_lab, kind="stable")
        e_bounds = np.searchsorted(edge_lab[e_order], np.arange(sub_labels.max() + 2))
        for c in range(len(cuts) - 1):
            part = order_l[cuts[c]:cuts[c + 1]]
            lab = sub_labels[part[0]]
            stack.append((local[part], local[le[e_order[e_bounds[lab]:e_bounds[lab + 1]]]]))
    done.sort(key=lambda a: int(a[0]))
    return done
