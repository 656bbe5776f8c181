"""Distances along a line network (roads, or an existing district heating network).

The graph is built once from polylines (vertices closer than ``snap_m`` merged, long
segments densified so that a site snaps close to the line, dangling ends bridged to the
nearest node within ``bridge_m`` so that small digitising gaps do not cut the network).
A site is attached to the nearest node; its *access distance* is the straight distance to
that node. The distance between two sites is::

    access(source) + shortest path(source node, target node) + access(target)

Shortest paths are bounded multi-source Dijkstra runs (``scipy.sparse.csgraph.dijkstra``
with ``limit``) on a local sub-graph: a path no longer than ``cutoff_m`` cannot leave the
disc of radius ``cutoff_m`` around its source (edge weights are Euclidean lengths), so the
sources are grouped by grid cells of side ``cutoff_m`` and each group only sees the nodes
within ``cutoff_m`` of its cell. Cost: about ``n_sources x nodes within cutoff`` per run,
independent of the total network size; memory bounded by batching.

Unreachable pairs (different connected components, or further than ``cutoff_m`` along the
network) are ``nan``; ``distances(..., return_status=True)`` tells which (``STATUS_*``).
"""
from __future__ import annotations

import math

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

STATUS_OK = 0
STATUS_BEYOND_CUTOFF = 1  # same connected component, but the path is longer than the cutoff
STATUS_DISCONNECTED = 2  # the two sites attach to different connected components

_MAX_DENSE_CELLS = 20_000_000  # floats per Dijkstra batch (160 MB)


class LineNetwork:
    """An undirected graph of line vertices with Euclidean edge lengths (metres)."""

    def __init__(self, nodes_xy: np.ndarray, graph: sparse.csr_matrix, n_bridges: int = 0):
        self.nodes_xy = np.asarray(nodes_xy, dtype=float).reshape(-1, 2)
        self.graph = graph.tocsr()
        self.n_bridges = int(n_bridges)
        if len(self.nodes_xy):
            self.n_components, self.component = connected_components(self.graph, directed=False)
            self._tree = cKDTree(self.nodes_xy)
        else:
            self.n_components, self.component = 0, np.zeros(0, dtype=int)
            self._tree = None

    # Construction ---------------------------------------------------------------------------
    @classmethod
    def from_polylines(cls, polylines, snap_m: float = 1.0, densify_m: float | None = 50.0,
                       bridge_m: float | None = None) -> LineNetwork:
        """Build the network from a list of ``(n, 2)`` vertex arrays (one per line part).

        ``snap_m``: vertices closer than this become one node. ``densify_m``: segments longer
        than this get intermediate vertices (a site snaps at most ``densify_m / 2`` from where
        it would project on the line); ``None`` keeps the vertices as they are.
        ``bridge_m`` (default ``10 * snap_m``): a dead end closer than this to another line
        is joined to it by a straight edge of that length (digitising gaps, T-junctions
        without a shared vertex).
        """
        snap_m = max(float(snap_m or 0.0), 0.0)
        bridge_m = 10.0 * snap_m if bridge_m is None else float(bridge_m)
        parts = []
        for line in polylines:
            arr = np.asarray(line, dtype=float).reshape(-1, 2)
            arr = arr[np.isfinite(arr).all(axis=1)]
            if len(arr) >= 2:
                parts.append(arr)
        if not parts:
            return cls(np.zeros((0, 2)), sparse.csr_matrix((0, 0)))
        vertices = np.concatenate(parts)
        part_id = np.repeat(np.arange(len(parts)), [len(p) for p in parts])
        if densify_m:
            vertices, part_id = _densify(vertices, part_id, float(densify_m))
        # Consecutive vertices of one part are joined.
        seg_a = np.flatnonzero(part_id[1:] == part_id[:-1])
        seg_b = seg_a + 1

        # Merge vertices within snap_m (union of close pairs) into nodes.
        node_of_vertex = _merge_close(vertices, snap_m)
        n_nodes = int(node_of_vertex.max()) + 1
        # Node position: mean of its vertices.
        nodes_xy = np.zeros((n_nodes, 2))
        np.add.at(nodes_xy, node_of_vertex, vertices)
        counts = np.bincount(node_of_vertex, minlength=n_nodes).astype(float)
        nodes_xy /= counts[:, None]

        a = node_of_vertex[seg_a]
        b = node_of_vertex[seg_b]
        w = np.hypot(*(vertices[seg_a] - vertices[seg_b]).T)
        keep = a != b
        a, b, w = a[keep], b[keep], w[keep]

        n_bridges = 0
        if bridge_m > 0 and len(a):
            a, b, w, n_bridges = _bridge_dead_ends(nodes_xy, a, b, w, bridge_m)
        graph = _symmetric_min_graph(n_nodes, a, b, w)
        return cls(nodes_xy, graph, n_bridges)

    # Queries --------------------------------------------------------------------------------
    @property
    def n_nodes(self) -> int:
        return len(self.nodes_xy)

    @property
    def n_edges(self) -> int:
        return int(self.graph.nnz // 2)

    @property
    def total_length_m(self) -> float:
        return float(self.graph.sum() / 2.0)

    def is_empty(self) -> bool:
        return self.n_nodes == 0

    def nearest_node(self, xy) -> tuple:
        """``(node index array, access distance array)`` for points ``(n, 2)``."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        if self._tree is None:
            return np.full(len(xy), -1), np.full(len(xy), np.nan)
        dist, node = self._tree.query(xy)
        return node.astype(np.int64), dist

    def access_distance(self, xy) -> np.ndarray:
        """Straight distance from each point ``(n, 2)`` to the nearest network node (m)."""
        return self.nearest_node(xy)[1]

    def component_of(self, xy) -> tuple:
        """``(component label array, access distance array)`` for points ``(n, 2)``."""
        node, dist = self.nearest_node(xy)
        if self._tree is None:
            return node, dist
        return self.component[node], dist

    def distances(self, source_xy, target_xy, pairs, cutoff_m: float = math.inf,
                  return_status: bool = False, feedback=None):
        """Network distance (access + path + access, metres) for each ``(i, j)`` in ``pairs``
        (indexes into ``source_xy`` and ``target_xy``); ``nan`` when unreachable within
        ``cutoff_m``. With ``return_status``, also a status array (``STATUS_*``)."""
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        k = len(pairs)
        out = np.full(k, np.nan)
        status = np.full(k, STATUS_DISCONNECTED, dtype=np.int8)
        if k == 0 or self.is_empty():
            return (out, status) if return_status else out
        s_node, s_acc = self.nearest_node(source_xy)
        t_node, t_acc = self.nearest_node(target_xy)
        sn = s_node[pairs[:, 0]]
        tn = t_node[pairs[:, 1]]
        access = s_acc[pairs[:, 0]] + t_acc[pairs[:, 1]]
        cutoff = float(cutoff_m) if cutoff_m is not None and np.isfinite(cutoff_m) else math.inf
        same = self.component[sn] == self.component[tn]
        status[same] = STATUS_BEYOND_CUTOFF
        budget = cutoff - access
        todo = np.flatnonzero(same & (budget >= 0))
        if len(todo):
            path = self._path_lengths(sn[todo], tn[todo], cutoff, feedback)
            total = path + access[todo]
            ok = np.isfinite(total) & (total <= cutoff)
            out[todo[ok]] = total[ok]
            status[todo[ok]] = STATUS_OK
        return (out, status) if return_status else out

    # Internals ------------------------------------------------------------------------------
    def _path_lengths(self, src_nodes, dst_nodes, cutoff, feedback=None) -> np.ndarray:
        """Shortest path lengths node→node for aligned arrays; inf beyond ``cutoff``."""
        result = np.full(len(src_nodes), np.inf)
        order = np.argsort(src_nodes, kind="stable")
        uniq_src, first = np.unique(src_nodes[order], return_index=True)
        bounds = np.append(first, len(order))
        # Group the sources by grid cells of side ~cutoff (whole graph if no cutoff).
        if math.isfinite(cutoff):
            cell = max(cutoff, 1.0)
            cxy = np.floor(self.nodes_xy[uniq_src] / cell).astype(np.int64)
            cell_key = cxy[:, 0] * 1_000_003 + cxy[:, 1]
        else:
            cell_key = np.zeros(len(uniq_src), dtype=np.int64)
        cell_order = np.argsort(cell_key, kind="stable")
        keys_sorted = cell_key[cell_order]
        cell_starts = np.flatnonzero(np.r_[True, keys_sorted[1:] != keys_sorted[:-1]])
        cell_ends = np.r_[cell_starts[1:], len(cell_order)]
        for c_start, c_end in zip(cell_starts, cell_ends):
            if feedback is not None:
                feedback.check_cancelled()
            members = cell_order[c_start:c_end]  # indexes into uniq_src
            if math.isfinite(cutoff):
                pts = self.nodes_xy[uniq_src[members]]
                centre = (pts.min(axis=0) + pts.max(axis=0)) / 2.0
                radius = float(np.hypot(*(pts.max(axis=0) - centre))) + cutoff + 1e-6
                local = np.sort(np.asarray(self._tree.query_ball_point(centre, radius), dtype=np.int64))
                sub = self.graph[local][:, local]
            else:
                local = np.arange(self.n_nodes)
                sub = self.graph
            n_local = len(local)
            batch = max(1, _MAX_DENSE_CELLS // max(n_local, 1))
            for b_start in range(0, len(members), batch):
                chunk = members[b_start:b_start + batch]
                src_local = np.searchsorted(local, uniq_src[chunk])
                dist = dijkstra(sub, directed=False, indices=src_local, limit=cutoff)
                dist = np.atleast_2d(dist)
                for row, u in enumerate(chunk):
                    idx = order[bounds[u]:bounds[u + 1]]
                    targets = dst_nodes[idx]
                    pos = np.searchsorted(local, targets)
                    pos_clipped = np.minimum(pos, n_local - 1)
                    inside = local[pos_clipped] == targets
                    vals = np.full(len(idx), np.inf)
                    vals[inside] = dist[row, pos_clipped[inside]]
                    result[idx] = vals
        return result


def _densify(vertices: np.ndarray, part_id: np.ndarray, step: float) -> tuple:
    """Insert vertices so that no segment is longer than ``step`` (vectorised)."""
    seg_vec = np.zeros_like(vertices)
    n_emit = np.ones(len(vertices), dtype=np.int64)
    starts = np.flatnonzero(part_id[1:] == part_id[:-1])
    seg = vertices[starts + 1] - vertices[starts]
    seg_len = np.hypot(seg[:, 0], seg[:, 1])
    n_sub = np.maximum(1, np.ceil(seg_len / step).astype(np.int64))
    if n_sub.max() == 1:
        return vertices, part_id
    seg_vec[starts] = seg
    n_emit[starts] = n_sub
    total = int(n_emit.sum())
    first = np.cumsum(n_emit) - n_emit
    k = np.arange(total) - np.repeat(first, n_emit)
    t = (k / np.repeat(n_emit, n_emit))[:, None]
    new_vertices = np.repeat(vertices, n_emit, axis=0) + t * np.repeat(seg_vec, n_emit, axis=0)
    return new_vertices, np.repeat(part_id, n_emit)


def _merge_close(vertices: np.ndarray, snap_m: float) -> np.ndarray:
    """Label vertices so that vertices within ``snap_m`` (transitively) share a label;
    labels are 0..n-1 in order of first appearance (deterministic)."""
    n = len(vertices)
    if snap_m > 0:
        pairs = cKDTree(vertices).query_pairs(snap_m, output_type="ndarray")
    else:
        pairs = np.zeros((0, 2), dtype=np.int64)
    # Exact duplicates are merged even with snap_m == 0.
    if snap_m <= 0:
        _, inverse = np.unique(vertices, axis=0, return_inverse=True)
        labels = inverse.ravel()
    else:
        adj = sparse.coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
        _, labels = connected_components(adj, directed=False)
    # Renumber by first appearance.
    _, first = np.unique(labels, return_index=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[labels]


def _bridge_dead_ends(nodes_xy, a, b, w, bridge_m):
    degree = np.bincount(np.concatenate([a, b]), minlength=len(nodes_xy))
    dead = np.flatnonzero(degree == 1)
    if not len(dead) or len(nodes_xy) < 2:
        return a, b, w, 0
    graph = _symmetric_min_graph(len(nodes_xy), a, b, w)
    k = min(len(nodes_xy), 4)
    dist, idx = cKDTree(nodes_xy).query(nodes_xy[dead], k=k, distance_upper_bound=bridge_m)
    dist = dist.reshape(len(dead), -1)
    idx = idx.reshape(len(dead), -1)
    chosen_v = np.full(len(dead), -1, dtype=np.int64)
    chosen_d = np.full(len(dead), np.inf)
    for col in range(idx.shape[1]):  # k <= 4 columns: vectorised over dead ends
        v = idx[:, col]
        d = dist[:, col]
        ok = (chosen_v < 0) & np.isfinite(d) & (v != dead) & (v < len(nodes_xy))
        if not ok.any():
            continue
        rows = np.flatnonzero(ok)
        linked = np.asarray(graph[dead[rows], v[rows]]).ravel() != 0
        rows = rows[~linked]
        chosen_v[rows] = v[rows]
        chosen_d[rows] = d[rows]
    sel = chosen_v >= 0
    if not sel.any():
        return a, b, w, 0
    return (np.concatenate([a, dead[sel]]), np.concatenate([b, chosen_v[sel]]),
            np.concatenate([w, chosen_d[sel]]), int(sel.sum()))


def _symmetric_min_graph(n, a, b, w) -> sparse.csr_matrix:
    lo = np.minimum(a, b)
    hi = np.maximum(a, b)
    order = np.lexsort((w, hi, lo))
    lo, hi, w = lo[order], hi[order], w[order]
    keep = np.r_[True, (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])]
    lo, hi, w = lo[keep], hi[keep], np.maximum(w[keep], 1e-9)
    rows = np.concatenate([lo, hi])
    cols = np.concatenate([hi, lo])
    vals = np.concatenate([w, w])
    return sparse.csr_matrix((vals, (rows, cols)), shape=(n, n))
