"""The pooling graph along a line network, built without listing the pairs of sites, finds
the same clusters as testing every pair (``LineNetwork.distances``), span cuts included."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eit_plugin.core import cluster_geometry as cg
from eit_plugin.core import cluster_network as cn
from eit_plugin.core import clustering as cl
from eit_plugin.core.network import LineNetwork


def _territory(rng, near_lines: bool):
    lines = [np.cumsum(rng.uniform(-300, 300, (int(rng.integers(2, 8)), 2)), axis=0) + rng.uniform(0, 3000, 2)
             for _ in range(int(rng.integers(3, 12)))]
    network = LineNetwork.from_polylines(lines, snap_m=float(rng.choice([1.0, 20.0])))
    n = int(rng.integers(5, 300))
    if near_lines:  # many sites per node: the case the stars are for
        vertices = np.concatenate(lines)
        xy = vertices[rng.integers(0, len(vertices), n)] + rng.normal(0, 60, (n, 2))
    else:
        xy = rng.uniform(0, 3000, (n, 2))
    xy = xy.round(0)
    xy[: n // 10] = xy[n // 10: 2 * (n // 10)]  # establishments at the same address
    return network, xy


def _reference_parts(xy, d, network, span):
    """Every candidate pair tested along the network, then the cuts on the induced edges."""
    edges, _ = cg.neighbour_edges(xy, d, network)
    return cg.split_components(xy, edges, span)


@pytest.mark.parametrize("near_lines", [False, True])
def test_same_parts_as_testing_every_pair(near_lines):
    rng = np.random.default_rng(11 if near_lines else 5)
    for _ in range(25):
        network, xy = _territory(rng, near_lines)
        d = float(rng.uniform(100, 600))
        span = float(rng.uniform(200, 2000))
        graph = cn.NetworkNeighbours(network, xy, d)
        mine = cn.split_parts(xy, graph.rows_graph(xy, np.arange(len(xy))), span)
        ref = _reference_parts(xy, d, network, span)
        assert [list(p) for p in mine] == [list(p) for p in ref]


def test_stars_stand_for_many_pairs():
    # 200 sites on a 400 m road, all within 500 m of each other: 19 900 pairs, a few hundred edges
    road = LineNetwork.from_polylines([np.array([[0.0, 0.0], [400.0, 0.0]])])
    rng = np.random.default_rng(2)
    xy = np.column_stack([rng.uniform(0, 400, 200), rng.uniform(-40, 40, 200)]).round(1)
    graph = cn.NetworkNeighbours(road, xy, 500.0)
    edges = graph.edges(np.arange(len(xy)))
    assert len(edges) < 3 * len(xy)
    assert graph.holds(edges[:, 0], edges[:, 1]).sum() >= len(edges) - len(xy)  # ties between true neighbours
    assert len(set(cg._components(len(xy), edges))) == 1


def test_site_beyond_d_from_the_network_has_no_neighbour_along_it():
    road = LineNetwork.from_polylines([np.array([[0.0, 0.0], [1000.0, 0.0]])])
    xy = np.array([[0.0, 10.0], [100.0, 10.0], [100.0, 700.0]])
    graph = cn.NetworkNeighbours(road, xy, 500.0)
    assert list(graph.active) == [True, True, False]
    assert {tuple(e) for e in graph.edges(np.arange(3)).tolist()} == {(0, 1)}


def test_pooling_clusters_along_a_line_network_match_the_pairwise_reference(monkeypatch):
    rng = np.random.default_rng(4)
    network, xy = _territory(rng, near_lines=True)
    rows = [{"siret": "{:014d}".format(i), "direction": "supply", "resource": "paper_cardboard", "family": "waste",
             "quantity": 10.0, "unit": "t", "x": x, "y": y} for i, (x, y) in enumerate(xy)]
    frame = pd.DataFrame(rows)
    fast = cl.pooling_clusters(frame, distance_m=400, network=network)
    monkeypatch.setattr(cl, "supports_nodes", lambda network: False)  # the pairwise path
    slow = cl.pooling_clusters(frame, distance_m=400, network=network)
    assert len(fast) > 0
    pd.testing.assert_frame_equal(fast, slow)


def test_snapped_shortcut_does_not_join_sites_further_apart_than_d_in_a_straight_line():
    # two lines whose ends snap into one node at (500, 12.5): the path from (450, 0) to it is
    # 50 m, 1.5 m shorter than the straight line, so these two sites are 99.5 m apart along the
    # network but 100.75 m apart in a straight line: not neighbours at 100 m
    net = LineNetwork.from_polylines([np.array([[0.0, 0.0], [500.0, 0.0]]), np.array([[500.0, 25.0], [500.0, 1000.0]])],
                                     snap_m=30.0)
    xy = np.array([[440.0, 0.0], [538.3, 22.1]])
    assert net.distances(xy, xy, np.array([[0, 1]]), cutoff_m=100.0)[0] == pytest.approx(99.48, abs=0.01)
    assert len(cg.neighbour_edges(xy, 100.0, net)[0]) == 0
    assert len(cn.NetworkNeighbours(net, xy, 100.0).edges(np.arange(2))) == 0
    assert len(cn.NetworkNeighbours(net, xy, 101.0).edges(np.arange(2))) == 1


def test_unique_points_match_numpy_unique_rows():
    rng = np.random.default_rng(8)
    for _ in range(50):
        xy = rng.integers(0, 15, (int(rng.integers(1, 200)), 2)).astype(float)
        uniq, rep, dup = cg._unique_points(xy)
        ref_uniq, inverse = np.unique(xy, axis=0, return_inverse=True)
        inverse = inverse.ravel()
        assert np.array_equal(uniq, ref_uniq)
        assert list(rep) == [int(np.flatnonzero(inverse == u)[0]) for u in range(len(ref_uniq))]
        assert sorted(map(tuple, dup.tolist())) == sorted((int(rep[inverse[i]]), i) for i in range(len(xy))
                                                           if rep[inverse[i]] != i)
