"""The pooling neighbour graph along a line network (``core.network.LineNetwork``) without
enumerating the pairs of establishments.

Along the network, the distance of two sites is ``access(i) + path(node(i), node(j)) +
access(j)`` (``LineNetwork.distances``); a pair is a neighbour when that distance and the
straight distance are both ≤ d (the straight test is how the candidates were found). In a
dense territory every node has many sites, and the pairs within d grow with the square of
the density. The components, though, only need, for each pair of nodes ``(u, v)`` within d
along the network, the sites of ``u`` that reach the site of ``v`` with the least access (the
network distance grows with the access, so a site that reaches any site of ``v`` reaches that
one): a prefix of ``u``'s sites sorted by access. Chaining each node's longest such prefix and
tying its first site to the first site of ``v`` gives the same components with fewer edges
than sites plus node pairs. The straight test is implied by the triangle inequality, except
within ``δ`` of d where ``δ`` is how much the path between the two nodes is shorter than their
straight distance (snapped vertices): the few pairs in that band are tested one by one.
Rounding: the same result as testing all pairs unless a distance falls within 1e-6 m of d.

Cost per subset of s sites: O(s log s + p + b) for p node pairs within d and b pairs in the
band; node-to-node paths are computed once for all groups (bounded Dijkstra from each node a
site attaches to, on the sub-graph within reach, as ``LineNetwork`` does).
"""
from __future__ import annotations

import math

import numpy as np
from scipy.sparse.csgraph import dijkstra

from .feedback import NULL_FEEDBACK

_MARGIN_M = 1e-6  # rounding margin of the band (coordinates ~1e6 m: float error ~1e-9 m)
_MAX_DENSE_CELLS = 20_000_000  # floats per Dijkstra batch, as in core.network


def supports(network) -> bool:
    """Whether ``network`` exposes the node graph this module needs (``LineNetwork``)."""
    return all(hasattr(network, a) for a in ("nearest_node", "graph", "nodes_xy", "_tree"))


class NetworkNeighbours:
    """Sites attached to the network, and the directed node→node path lengths within d
    between the nodes they attach to (computed once, shared by every group)."""

    def __init__(self, network, site_xy: np.ndarray, distance_m: float, feedback=NULL_FEEDBACK):
        self.d = float(distance_m)
        self.xy = np.asarray(site_xy, dtype=float).reshape(-1, 2)
        node, acc = network.nearest_node(self.xy)
        self.node = np.asarray(node, dtype=np.int64)
        self.acc = np.asarray(acc, dtype=float)
        # a site further than d from the network has no neighbour along it (access alone > d)
        self.active = np.isfinite(self.acc) & (self.acc <= self.d) & (self.node >= 0)
        self.nodes_xy = np.asarray(network.nodes_xy, dtype=float).reshape(-1, 2)
        self._paths(network, np.unique(self.node[self.active]), feedback)

    def _paths(self, network, nodes: np.ndarray, feedback) -> None:
        """CSR table ``src → (dst, length)`` of the paths ≤ d between ``nodes``: bounded
        Dijkstra from each node on the sub-graph within reach of its cell of side d."""
        n_nodes = len(self.nodes_xy)
        wanted = np.zeros(n_nodes, dtype=bool)
        wanted[nodes] = True
        src_parts, dst_parts, len_parts = [], [], []
        nodes = nodes if len(nodes) else np.zeros(0, dtype=np.int64)
        cell = max(self.d, 1.0)
        keys = np.floor(self.nodes_xy[nodes] / cell).astype(np.int64)
        key = keys[:, 0] * 1_000_003 + keys[:, 1]
        order = np.argsort(key, kind="stable")
        starts = np.flatnonzero(np.r_[True, key[order][1:] != key[order][:-1]]) if len(order) else order
        for c_start, c_end in zip(starts, np.r_[starts[1:], len(order)]):
            feedback.check_cancelled()
            sources = nodes[order[c_start:c_end]]
            pts = self.nodes_xy[sources]
            centre = (pts.min(axis=0) + pts.max(axis=0)) / 2.0
            radius = float(np.hypot(*(pts.max(axis=0) - centre))) + self.d + 1e-6
            local = np.sort(np.asarray(network._tree.query_ball_point(centre, radius), dtype=np.int64))
            sub = network.graph[local][:, local]
            targets = np.flatnonzero(wanted[local])
            batch = max(1, _MAX_DENSE_CELLS // max(len(local), 1))
            for b in range(0, len(sources), batch):
                chunk = sources[b:b + batch]
                dist = np.atleast_2d(dijkstra(sub, directed=False, indices=np.searchsorted(local, chunk), limit=self.d))
                rows, cols = np.nonzero(np.isfinite(dist[:, targets]))
                src_parts.append(chunk[rows])
                dst_parts.append(local[targets[cols]])
                len_parts.append(dist[rows, targets[cols]])
        src = np.concatenate(src_parts) if src_parts else np.zeros(0, dtype=np.int64)
        dst = np.concatenate(dst_parts) if dst_parts else np.zeros(0, dtype=np.int64)
        length = np.concatenate(len_parts) if len_parts else np.zeros(0)
        order = np.lexsort((dst, src))
        self.dst, self.length = dst[order], length[order]
        self.keys = src[order] * n_nodes + self.dst  # sorted: (src, dst)
        self.indptr = np.searchsorted(src[order], np.arange(n_nodes + 1))

    def path(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Path length u → v (inf when beyond d), for aligned node arrays. O(k log T)."""
        out = np.full(len(u), np.inf)
        if not len(u) or not len(self.keys):
            return out
        key = np.asarray(u, dtype=np.int64) * len(self.nodes_xy) + v
        pos = np.clip(np.searchsorted(self.keys, key), 0, len(self.keys) - 1)
        found = self.keys[pos] == key
        out[found] = self.length[pos[found]]
        return out

    def holds(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Whether sites ``i`` and ``j`` (global indices, distinct positions) are neighbours:
        the test of ``LineNetwork.distances`` (path from the lower index) and the straight test."""
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        access = self.acc[lo] + self.acc[hi]
        total = self.path(self.node[lo], self.node[hi]) + access
        dx, dy = self.xy[lo, 0] - self.xy[hi, 0], self.xy[lo, 1] - self.xy[hi, 1]
        return (access <= self.d) & np.isfinite(total) & (total <= self.d) & (dx * dx + dy * dy <= self.d * self.d)

    def edges(self, sites: np.ndarray) -> np.ndarray:
        """Pairs of positions in ``sites`` (global indices of sites at distinct positions)
        whose graph has the components of "neighbours along the network" among ``sites``.
        O(s log s + p + b) for s sites, p node pairs within d, b pairs in the band."""
        sites = np.asarray(sites, dtype=np.int64)
        pos = np.flatnonzero(self.active[sites])
        if len(pos) < 2:
            return np.zeros((0, 2), dtype=np.int64)
        g = sites[pos]
        # sites sorted by (node, access, index): each node's first site has the least access
        order = np.lexsort((g, self.acc[g], self.node[g]))
        g, pos = g[order], pos[order]
        node = self.node[g]
        starts = np.flatnonzero(np.r_[True, node[1:] != node[:-1]])
        counts = np.diff(np.r_[starts, len(g)])
        nodes = node[starts]
        a, b = self._node_pairs(nodes)
        u, v = nodes[a], nodes[b]
        path = np.minimum(self.path(u, v), self.path(v, u))
        gap = np.hypot(*(self.nodes_xy[u] - self.nodes_xy[v]).T) - path
        band = gap > _MARGIN_M  # the path is shorter than the straight line (snapped vertices)
        width = np.where(band, gap + 2 * _MARGIN_M, 0.0)
        acc = self.acc[g]
        span = 2.0 * self.d + 10.0  # one sorted key per site: node rank, then access (≤ d)
        key = np.repeat(np.arange(len(starts)), counts) * span + acc
        parts = [self._stars(key, span, starts, counts, a, b, self.d - path - width, acc)]
        if band.any():
            # from just below the stars' budget (overlap absorbs rounding) to just above d
            band_pairs = self._band(key, span, starts, counts, a[band], b[band], self.d - path[band] + _MARGIN_M,
                                    width[band] + 2 * _MARGIN_M, acc)
            parts.append(band_pairs[self.holds(g[band_pairs[:, 0]], g[band_pairs[:, 1]])])
        pairs = np.concatenate(parts)
        if not len(pairs):
            return np.zeros((0, 2), dtype=np.int64)
        pairs = np.sort(pos[pairs], axis=1)
        key = np.unique(pairs[:, 0] * len(sites) + pairs[:, 1])  # each edge once
        return np.column_stack([key // len(sites), key % len(sites)])

    def rows_graph(self, xy: np.ndarray, gidx: np.ndarray):
        """``edges_of(rows)`` for ``split_parts``: the graph of one group's rows (positions
        ``xy``, global site indices ``gidx``) as ``neighbour_edges`` builds it along a
        network: rows at distinct positions linked as above, every other row tied to the
        first row at its position."""
        from .cluster_geometry import _unique_points

        n = len(xy)
        _, rep, dup = _unique_points(np.asarray(xy, dtype=float).reshape(-1, 2))
        is_rep = np.zeros(n, dtype=bool)
        is_rep[rep] = True
        gidx = np.asarray(gidx, dtype=np.int64)

        def edges_of(rows):
            reps = rows[is_rep[rows]]
            inside = np.zeros(n, dtype=bool)
            inside[rows] = True
            pairs = np.concatenate([reps[self.edges(gidx[reps])].reshape(-1, 2),
                                    dup[inside[dup[:, 0]] & inside[dup[:, 1]]]])
            return np.searchsorted(rows, pairs)  # rows are sorted

        return edges_of

    def _node_pairs(self, nodes: np.ndarray) -> tuple:
        """Ranks ``(a, b)``, a ≤ b, of the pairs of ``nodes`` (sorted) linked by a path ≤ d
        in either direction, each node with itself included."""
        counts = self.indptr[nodes + 1] - self.indptr[nodes]
        src_rank = np.repeat(np.arange(len(nodes)), counts)
        idx = _ranges(self.indptr[nodes], counts)
        dst = self.dst[idx]
        at = np.clip(np.searchsorted(nodes, dst), 0, len(nodes) - 1)
        ok = nodes[at] == dst
        lo, hi = np.minimum(src_rank[ok], at[ok]), np.maximum(src_rank[ok], at[ok])
        m = len(nodes)
        key = np.union1d(lo.astype(np.int64) * m + hi, np.arange(m, dtype=np.int64) * (m + 1))
        return key // m, key % m

    @staticmethod
    def _stars(key, span, starts, counts, a, b, budget, acc) -> np.ndarray:
        """For each node pair, the sites of one node whose access leaves room for the least
        access of the other (``budget`` = d − path − band width) all reach that site: they
        form a prefix of the node's sites sorted by access. Component-equivalent edges: each
        node's longest such prefix chained, its first site tied to the other node's first."""
        src = np.concatenate([a, b[a != b]])
        dst = np.concatenate([b, a[a != b]])
        bud = np.concatenate([budget, budget[a != b]])
        limit = bud - acc[starts[dst]]
        k = np.searchsorted(key, src * span + limit, side="right") - starts[src]
        k = np.clip(np.where(limit >= 0, k, 0), 0, counts[src])
        longest = np.zeros(len(starts), dtype=np.int64)
        np.maximum.at(longest, src, k)
        n_chain = np.maximum(longest - 1, 0)
        first = _ranges(starts, n_chain)
        chain = np.column_stack([first, first + 1])
        tie = (k >= 1) & (src != dst)
        links = np.column_stack([starts[src[tie]], starts[dst[tie]]])
        return np.concatenate([chain, links]).astype(np.int64)

    @staticmethod
    def _band(key, span, starts, counts, a, b, top, width, acc) -> np.ndarray:
        """The pairs of sites of nodes ``a`` × ``b`` whose access sum lies in
        ``(top − width, top]``: those the stars may not stand for, tested one by one."""
        parts = []
        for x, y in ((a, b), (b, a)):
            n_x = counts[x]
            i = _ranges(starts[x], n_x)
            pair = np.repeat(np.arange(len(x)), n_x)
            seg = y[pair]
            lo = np.searchsorted(key, seg * span + (top[pair] - width[pair] - acc[i]), side="left")
            hi = np.searchsorted(key, seg * span + (top[pair] - acc[i]), side="right")
            lo = np.maximum(lo, starts[seg])
            hi = np.minimum(hi, starts[seg] + counts[seg])
            n = np.maximum(hi - lo, 0)
            parts.append(np.column_stack([np.repeat(i, n), _ranges(lo, n)]))
        pairs = np.concatenate(parts)
        return pairs[pairs[:, 0] != pairs[:, 1]]


def _ranges(first: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(first[k], first[k] + n[k])`` (vectorised)."""
    n = np.asarray(n, dtype=np.int64)
    total = int(n.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    return np.repeat(np.asarray(first, dtype=np.int64) - np.cumsum(np.r_[0, n[:-1]]), n) + np.arange(total)


def split_parts(xy: np.ndarray, edges_of, max_span_m: float, feedback=NULL_FEEDBACK, min_size: int = 1) -> list:
    """``cluster_geometry.split_components`` for a graph given by ``edges_of(rows)`` (the
    component-equivalent edges among ``rows``, sorted row numbers, as positions in ``rows``):
    each half of a cut gets its own edges. Parts of fewer than ``min_size`` rows are left out
    (cutting them cannot make them bigger). Returns index arrays, each sorted. Components that
    fit are settled in one vectorised pass; only too-wide ones are cut: O(n log n) rows' worth
    of ``edges_of`` calls."""
    from .cluster_geometry import _components

    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    done, stack = [], []
    finite = math.isfinite(max_span_m)

    def push_components(rows):
        if not len(rows):
            return
        labels = _components(len(rows), edges_of(rows))
        order = np.argsort(labels, kind="stable")  # rows stay sorted within a component
        starts = np.flatnonzero(np.r_[True, labels[order][1:] != labels[order][:-1]])
        sizes = np.diff(np.r_[starts, len(rows)])
        pts = xy[rows[order]]
        ext = np.maximum(np.maximum.reduceat(pts[:, 0], starts) - np.minimum.reduceat(pts[:, 0], starts),
                         np.maximum.reduceat(pts[:, 1], starts) - np.minimum.reduceat(pts[:, 1], starts))
        fits = (sizes < 2) | (ext <= max_span_m) if finite else np.ones(len(starts), dtype=bool)
        for c in np.flatnonzero(sizes >= min_size):
            (done if fits[c] else stack).append(rows[order[starts[c]:starts[c] + sizes[c]]])

    push_components(np.arange(len(xy)))
    steps = 0
    while stack:
        idx = stack.pop()
        steps += 1
        if steps % 1000 == 0:
            feedback.check_cancelled()
        ext = xy[idx].max(axis=0) - xy[idx].min(axis=0)
        axis = int(ext[1] > ext[0])
        ranked = np.lexsort((np.arange(len(idx)), xy[idx][:, axis]))
        left = np.zeros(len(idx), dtype=bool)
        left[ranked[:len(idx) // 2]] = True
        push_components(idx[left])
        push_components(idx[~left])
    done.sort(key=lambda a: int(a[0]))
    return done
