"""Bounded candidate search (core.reach.knn_pairs) against a brute-force reference, and the
greedy allocation of very large groups skipping pairs that would not pay their fixed cost."""
from __future__ import annotations

import numpy as np
import pytest

from eit_plugin.core import matching as m
from eit_plugin.core.reach import knn_pairs
from eit_plugin.core.synergy_params import MAX_CANDIDATES, MatchingParams


def _points(seed, n_s=40, n_d=55, side=1000.0):
    rng = np.random.default_rng(seed)
    return rng.uniform(0, side, (n_s, 2)), rng.uniform(0, side, (n_d, 2))


def _brute_distances(sxy, dxy):
    return np.hypot(sxy[:, None, 0] - dxy[None, :, 0], sxy[:, None, 1] - dxy[None, :, 1])


def _as_set(pairs):
    return {(int(a), int(b)) for a, b in pairs}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_k_nearest_search_gives_every_pair_within_reach_when_k_is_large(seed):
    sxy, dxy = _points(seed)
    radius = 250.0
    dist = _brute_distances(sxy, dxy)
    reference = {(i, j) for i in range(len(sxy)) for j in range(len(dxy)) if dist[i, j] <= radius}
    assert len(reference) > 50  # the case has many pairs
    pairs = knn_pairs(sxy, dxy, radius, k=len(sxy) + len(dxy))
    assert _as_set(pairs) == reference
    assert len(pairs) == len(reference)  # no pair twice


@pytest.mark.parametrize("k", [1, 3, 5])
def test_with_small_k_each_flow_keeps_its_k_nearest_partners_within_reach(k):
    sxy, dxy = _points(7)
    radius = 300.0
    dist = _brute_distances(sxy, dxy)
    expected = set()
    for i in range(len(sxy)):  # each supply: its k nearest demands within reach
        near = [j for j in np.argsort(dist[i]) if dist[i, j] <= radius][:k]
        expected |= {(i, int(j)) for j in near}
    for j in range(len(dxy)):  # each demand: its k nearest supplies within reach
        near = [i for i in np.argsort(dist[:, j]) if dist[i, j] <= radius][:k]
        expected |= {(int(i), j) for i in near}
    pairs = knn_pairs(sxy, dxy, radius, k=k)
    assert _as_set(pairs) == expected
    # bounded: at most k per supply plus k per demand
    assert len(pairs) <= k * (len(sxy) + len(dxy))
    within = dist <= radius
    assert len(pairs) < within.sum()  # and fewer than all pairs within reach: the bound cuts


def test_the_default_bound_is_the_named_constant():
    assert MatchingParams().max_candidates == MAX_CANDIDATES


def test_greedy_skips_a_pair_that_cannot_pay_its_pipe_and_gives_the_supply_to_the_next():
    # one supply of 10 units, two demands; pair 0 has the best unit gain but a pipe of 100 EUR/yr
    # that 10 units at 5 EUR cannot pay; pair 1 (no pipe) should get the supply.
    s, d = np.array([0, 0]), np.array([0, 1])
    eff, upper = np.ones(2), np.full(2, 1e9)
    gain = np.array([5.0, 1.0])
    cap_s, cap_d = np.array([10.0]), np.array([10.0, 10.0])
    unit_net, fixed = np.array([5.0, 1.0]), np.array([100.0, 0.0])
    plain = m.allocate(s, d, eff, upper, gain, cap_s, cap_d, max_lp_size=1)
    assert list(plain) == [10.0, 0.0]  # without the check the supply goes to the pair that loses money
    x = m.allocate(s, d, eff, upper, gain, cap_s, cap_d, max_lp_size=1, viable=(unit_net, fixed, 0.0))
    assert list(x) == [0.0, 10.0]
    # below the minimum quantity: skipped too
    x = m.allocate(s, d, eff, upper, gain, cap_s, cap_d, max_lp_size=1, viable=(unit_net, np.zeros(2), 20.0))
    assert list(x) == [0.0, 0.0]


def test_greedy_taken_in_chunks_gives_the_same_allocation(monkeypatch):
    from eit_plugin.core import allocation

    rng = np.random.default_rng(5)
    n = 300
    s, d = rng.integers(0, 20, n), rng.integers(0, 30, n)
    args = (s, d, rng.uniform(0.5, 1.0, n), np.full(n, 1e9), rng.uniform(0, 10, n), rng.uniform(10, 100, 20),
            rng.uniform(10, 100, 30))
    kw = {"max_lp_size": 1, "viable": (rng.uniform(0, 5, n), rng.uniform(0, 50, n), 1.0)}
    whole = m.allocate(*args, **kw)
    monkeypatch.setattr(allocation, "GREEDY_CHUNK", 7)
    np.testing.assert_array_equal(m.allocate(*args, **kw), whole)
    assert (whole > 0).sum() > 10  # the case allocates something
