"""How far a supply may travel, and the candidate pairs within that reach.

The search radius of a supply is its resource's ``max_distance_m`` (``taxonomy.csv``), grown
with the supply's yearly quantity where the resource says so: ``radius = clip(
distance_per_unit_m × quantity, max_distance_m, max_distance_cap_m)``. Heat from a large source
pays for a longer pipe than heat from a small one (the pipe's annuity grows with its length,
the heat's value with the quantity), and bulk by-products of large plants travel by rail or
barge over distances trucks would not cover. A radius given by the user (global or per
family) is taken as is.

Candidate pairs per rule: a KD-tree of the demands queried with the supplies (and the
reverse), within the largest radius of the group, then each pair kept only within its own
supply's radius. Cost O((S + D) · k · log(S + D)).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

DEFAULT_RADIUS_M = 5000.0


def _num(value, default=np.nan) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return default
    return default if math.isnan(out) else out


def radius(resource: str, family: str, taxonomy_map: dict, params) -> float:
    """Base search radius of a supply resource (user override per family, then global, then taxonomy)."""
    fam = params.family_max_distance_m or {}
    if fam.get(family):
        return float(fam[family])
    if params.max_distance_m:
        return float(params.max_distance_m)
    d = _num(taxonomy_map.get(resource, {}).get("max_distance_m"))
    return d if d > 0 else DEFAULT_RADIUS_M


def supply_radii(resource: str, family: str, quantities: np.ndarray, taxonomy_map: dict, params) -> np.ndarray:
    """Search radius of each supply of ``resource`` given its yearly quantity (see the module)."""
    base = radius(resource, family, taxonomy_map, params)
    q = np.asarray(quantities, dtype=float)
    if (params.family_max_distance_m or {}).get(family) or params.max_distance_m:
        return np.full(len(q), base)
    row = taxonomy_map.get(resource, {})
    per_unit = _num(row.get("distance_per_unit_m"), 0.0)
    cap = _num(row.get("max_distance_cap_m"), 0.0)
    if per_unit <= 0 or cap <= base:
        return np.full(len(q), base)
    return np.clip(per_unit * np.nan_to_num(q), base, cap)


def knn_pairs(sxy: np.ndarray, dxy: np.ndarray, radius_m: float, k: int) -> np.ndarray:
    """Union of (each supply's k nearest demands within radius) and (each demand's k nearest
    supplies within radius): ``(n, 2)`` int array of (supply pos, demand pos), unique, sorted."""
    if not len(sxy) or not len(dxy) or radius_m <= 0:
        return np.zeros((0, 2), dtype=np.int64)
    out = []
    for a_xy, b_xy, flip in ((sxy, dxy, False), (dxy, sxy, True)):
        kk = min(k, len(b_xy))
        dist, idx = cKDTree(b_xy).query(a_xy, k=kk, distance_upper_bound=radius_m)
        idx = idx.reshape(len(a_xy), -1)
        ok = idx < len(b_xy)
        rows = np.nonzero(ok)[0]
        cols = idx[ok]
        pair = np.column_stack([cols, rows]) if flip else np.column_stack([rows, cols])
        out.append(pair.astype(np.int64))
    return unique_pairs(np.concatenate(out), len(dxy))


def unique_pairs(pairs: np.ndarray, n_second: int) -> np.ndarray:
    """``np.unique(pairs, axis=0)`` for non-negative int pairs whose second column is below
    ``n_second``, on one int64 key per pair (the row-wise unique compares bytes and was most
    of the candidate search's time). O(n log n); sorted by (first, second)."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if not len(pairs):
        return pairs
    key = np.unique(pairs[:, 0] * (int(n_second) + 1) + pairs[:, 1])
    return np.column_stack([key // (int(n_second) + 1), key % (int(n_second) + 1)])


def heat_network_pairs(s_comp, s_acc, d_comp, d_acc, radius_m, k) -> np.ndarray:
    """Pairs whose ends attach to the same part of an existing heat network, each connection
    within ``radius_m``: per part, each supply with its k demands closest to the network and
    each demand with its k supplies closest to the network."""
    s_ok = np.flatnonzero(s_acc <= radius_m)
    d_ok = np.flatnonzero(d_acc <= radius_m)
    if not len(s_ok) or not len(d_ok):
        return np.zeros((0, 2), dtype=np.int64)
    out = []
    d_by_comp = pd.DataFrame({"pos": d_ok, "comp": d_comp[d_ok], "acc": d_acc[d_ok]}).sort_values(["comp", "acc", "pos"])
    s_by_comp = pd.DataFrame({"pos": s_ok, "comp": s_comp[s_ok], "acc": s_acc[s_ok]}).sort_values(["comp", "acc", "pos"])
    d_groups = {c: g["pos"].to_numpy() for c, g in d_by_comp.groupby("comp", sort=True)}
    for comp, g in s_by_comp.groupby("comp", sort=True):
        dem = d_groups.get(comp)
        if dem is None:
            continue
        sup = g["pos"].to_numpy()
        # every supply x the k demands nearest the network, and the k supplies x every demand
        out.append(np.array(np.meshgrid(sup, dem[:k], indexing="ij")).reshape(2, -1).T)
        out.append(np.array(np.meshgrid(sup[:k], dem, indexing="ij")).reshape(2, -1).T)
    if not out:
        return np.zeros((0, 2), dtype=np.int64)
    return unique_pairs(np.concatenate(out), len(d_comp))


def group_pairs(s_g, d_g, xy, radii, spread_of, k, hn=None, finder=None) -> tuple:
    """Pairs of one rule group within each supply's own radius → ``(pairs, pair_radius)``.

    ``radii``: radius of every flow position (supplies'); ``spread_of``: zone radii (distances
    to a housing zone run to its edge); ``hn``: ``(comp, access)`` of the existing heat network
    or None; ``finder``: a function like :func:`knn_pairs` (e.g. the search inside PostGIS), the
    KD-tree when None."""
    spread = float(spread_of[s_g].max() + spread_of[d_g].max())
    r_s = radii[s_g]
    pairs = (finder or knn_pairs)(xy[s_g], xy[d_g], float(r_s.max()) + spread, k)
    if hn is not None:
        comp, acc = hn
        hp = heat_network_pairs(comp[s_g], acc[s_g], comp[d_g], acc[d_g], float(r_s.max()), k)
        if len(hp):
            pairs = unique_pairs(np.concatenate([pairs, hp]), len(d_g))
    if not len(pairs):
        return pairs, np.zeros(0)
    s_pos, d_pos = s_g[pairs[:, 0]], d_g[pairs[:, 1]]
    straight = np.hypot(xy[s_pos, 0] - xy[d_pos, 0], xy[s_pos, 1] - xy[d_pos, 1]) - spread_of[s_pos] - spread_of[d_pos]
    within = straight <= r_s[pairs[:, 0]]
    if hn is not None:  # along an existing heat network only the connections count (checked later)
        within |= (hn[0][s_pos] == hn[0][d_pos]) & (hn[1][s_pos] <= r_s[pairs[:, 0]]) & (hn[1][d_pos] <= r_s[pairs[:, 0]])
    pairs = pairs[within]
    return pairs, r_s[pairs[:, 0]]


def mapped(column: pd.Series, mapping) -> np.ndarray:
    """``column.map(mapping).to_numpy()`` computed once per distinct value: the candidate pairs
    repeat a few resource codes millions of times."""
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    return pd.Series(uniques).map(mapping).to_numpy()[codes]
