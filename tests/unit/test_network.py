"""core.network: distances along a line network (roads or heat network)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.sparse.csgraph import dijkstra

from eit_plugin.core.network import STATUS_BEYOND_CUTOFF, STATUS_DISCONNECTED, STATUS_OK, LineNetwork


def L_network():
    # an L: (0,0) → (1000,0) → (1000,1000), plus a separate line far away
    return LineNetwork.from_polylines([
        np.array([[0.0, 0.0], [1000.0, 0.0]]),
        np.array([[1000.0, 0.4], [1000.0, 1000.0]]),  # 0.4 m off: snapped onto the corner
        np.array([[5000.0, 0.0], [6000.0, 0.0]]),
    ])


def test_distance_is_access_plus_path_plus_access():
    net = L_network()
    d = net.distances(np.array([[0.0, 10.0]]), np.array([[1010.0, 1000.0]]), [[0, 0]], cutoff_m=5000)
    # 10 m access + 2000 m along the L + 10 m access
    assert d[0] == pytest.approx(2020.0, abs=0.5)
    assert net.n_components == 2


def test_unreachable_pairs_are_nan_with_a_status():
    net = L_network()
    src = np.array([[0.0, 0.0]])
    tgt = np.array([[1000.0, 1000.0], [5500.0, 0.0]])
    d, status = net.distances(src, tgt, [[0, 0], [0, 1]], cutoff_m=1500, return_status=True)
    assert math.isnan(d[0]) and status[0] == STATUS_BEYOND_CUTOFF  # connected, but 2 km > 1.5 km
    assert math.isnan(d[1]) and status[1] == STATUS_DISCONNECTED
    d, status = net.distances(src, tgt, [[0, 0]], return_status=True)  # no cutoff
    assert status[0] == STATUS_OK and d[0] == pytest.approx(2000.0, abs=0.5)


def test_small_gap_is_bridged_large_gap_is_not():
    a = np.array([[0.0, 0.0], [1000.0, 0.0]])
    near = LineNetwork.from_polylines([a, np.array([[1005.0, 0.0], [2000.0, 0.0]])], snap_m=1.0)
    far = LineNetwork.from_polylines([a, np.array([[1050.0, 0.0], [2000.0, 0.0]])], snap_m=1.0)
    assert near.n_components == 1 and near.n_bridges >= 1
    assert near.distances([[0.0, 0.0]], [[2000.0, 0.0]], [[0, 0]], 5000)[0] == pytest.approx(2000.0)
    assert far.n_components == 2
    assert math.isnan(far.distances([[0.0, 0.0]], [[2000.0, 0.0]], [[0, 0]], 5000)[0])


def test_long_segments_are_densified_so_sites_snap_close_to_the_line():
    net = LineNetwork.from_polylines([np.array([[0.0, 0.0], [10000.0, 0.0]])], densify_m=50.0)
    access = net.access_distance(np.array([[5020.0, 30.0]]))
    assert access[0] == pytest.approx(math.hypot(20.0, 30.0), abs=1e-6)  # a node every 50 m


def test_bounded_local_dijkstra_equals_global_shortest_paths():
    rng = np.random.default_rng(0)
    lines = [np.array([[0.0, y], [3000.0, y]]) for y in range(0, 3001, 250)]
    lines += [np.array([[x, 0.0], [x, 3000.0]]) for x in range(0, 3001, 250)]
    lines += [rng.uniform(0, 3000, size=(4, 2)) for _ in range(20)]  # diagonal shortcuts
    net = LineNetwork.from_polylines(lines, densify_m=100.0)
    src = rng.uniform(0, 3000, size=(40, 2))
    tgt = rng.uniform(0, 3000, size=(60, 2))
    pairs = np.array([(i, j) for i in range(40) for j in range(60)])
    cutoff = 2500.0
    d = net.distances(src, tgt, pairs, cutoff_m=cutoff)
    # reference: full Dijkstra from every source node, no cutoff
    sn, sa = net.nearest_node(src)
    tn, ta = net.nearest_node(tgt)
    full = dijkstra(net.graph, directed=False, indices=sn)
    ref = full[pairs[:, 0], tn[pairs[:, 1]]] + sa[pairs[:, 0]] + ta[pairs[:, 1]]
    within = ref <= cutoff
    assert within.sum() > 50 and (~within).sum() > 50
    np.testing.assert_allclose(d[within], ref[within], rtol=1e-9)
    assert np.isnan(d[~within]).all()


def test_empty_network_and_component_of():
    empty = LineNetwork.from_polylines([np.array([[0.0, 0.0]])])
    assert empty.is_empty()
    assert np.isnan(empty.distances([[0.0, 0.0]], [[1.0, 1.0]], [[0, 0]], 100)).all()
    comp, acc = L_network().component_of(np.array([[0.0, 5.0], [5500.0, 3.0]]))
    assert comp[0] != comp[1]
    np.testing.assert_allclose(acc, [5.0, 3.0])
