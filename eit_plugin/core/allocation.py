"""Allocation of supplies to demands (step 6 of ``core.matching``): linear programming per
connected component of the candidate graph, greedy beyond ``max_lp_size``."""
from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

from ..i18n import tr
from .synergy_params import LP_METHOD

GREEDY_CHUNK = 1 << 18  # edges converted to Python lists at a time by _greedy (memory, not results)


# --- Allocation ------------------------------------------------------------------------------------
def allocate(s_idx, d_idx, eff, upper, gain, cap_s, cap_d, feedback=None, max_lp_size: int = 100_000,
             winter_edge=None, winter_supply=None, viable=None) -> np.ndarray:
    """Maximise ``Σ gain_e · x_e`` subject to ``Σ_e∈s x_e ≤ cap_s`` (supply units),
    ``Σ_e∈d eff_e · x_e ≤ cap_d`` (demand units), ``0 ≤ x_e ≤ upper_e``, and, for supplies with
    a finite ``winter_supply`` share w (flat heat sources), the two seasons:
    ``Σ σ_e x_e ≤ w · cap_s`` and ``Σ (1 − σ_e) x_e ≤ (1 − w) · cap_s`` with σ_e =
    ``winter_edge`` (share of the demand's heat needed in the heating season).

    Edges are split into connected components of the supply-demand graph; a component of
    one edge is solved in closed form, the others by ``linprog`` (HiGHS), several small
    components per call (up to ``max_lp_size`` edges). Components of more than ``max_lp_size``
    edges are allocated greedily (:func:`_greedy`, O(E log E)); ``viable`` = ``(unit_net, fixed,
    min_quantity)`` lets the greedy skip an edge whose quantity would not pay its fixed cost
    (``x · unit_net − fixed ≤ 0``) or would stay below ``min_quantity``. Returns ``x``.
    """
    s_idx = np.asarray(s_idx, dtype=np.int64)
    d_idx = np.asarray(d_idx, dtype=np.int64)
    n = len(s_idx)
    x = np.zeros(n)
    if n == 0:
        return x
    eff = np.asarray(eff, dtype=float)
    upper = np.asarray(upper, dtype=float)
    gain = np.asarray(gain, dtype=float)
    cap_s = np.asarray(cap_s, dtype=float)
    cap_d = np.asarray(cap_d, dtype=float)
    sigma = np.full(n, np.nan) if winter_edge is None else np.asarray(winter_edge, dtype=float)
    w_sup = np.full(len(cap_s), np.nan) if winter_supply is None else np.asarray(winter_supply, dtype=float)
    ns = int(s_idx.max()) + 1
    nd = int(d_idx.max()) + 1
    g = sparse.coo_matrix((np.ones(n), (s_idx, ns + d_idx)), shape=(ns + nd, ns + nd))
    _, label = connected_components(g, directed=False)
    comp = label[s_idx]
    comp_size = np.bincount(comp)
    single = comp_size[comp] == 1
    e = np.flatnonzero(single)
    x[e] = np.minimum(upper[e], np.minimum(cap_s[s_idx[e]], cap_d[d_idx[e]] / eff[e]))
    x[e] = np.minimum(x[e], seasonal_cap(cap_s[s_idx[e]], w_sup[s_idx[e]], sigma[e]))
    # Components too large for an LP in reasonable time (only in territories of ~100k
    # establishments and more): greedy, best gain per unit first, same constraints.
    giant = ~single & (comp_size[comp] > max_lp_size)
    if giant.any():
        e = np.flatnonzero(giant)
        worth = None if viable is None else (np.asarray(viable[0], dtype=float)[e],
                                             np.asarray(viable[1], dtype=float)[e], float(viable[2]))
        x[e] = _greedy(s_idx[e], d_idx[e], eff[e], upper[e], gain[e], cap_s.copy(), cap_d.copy(), sigma[e], w_sup,
                       worth)
        if feedback is not None:
            feedback.info(tr("{} candidate pairs in very large connected groups were allocated greedily (best "
                             "benefit first) instead of by linear programming.").format(len(e)))
    multi = np.flatnonzero(~single & ~giant)
    if not len(multi):
        return x
    order = multi[np.argsort(comp[multi], kind="stable")]
    comps_sorted = comp[order]
    starts = np.flatnonzero(np.r_[True, comps_sorted[1:] != comps_sorted[:-1]])
    ends = np.r_[starts[1:], len(order)]
    pos = 0
    while pos < len(starts):
        # a batch of whole components up to max_lp_size edges (at least one component)
        end = pos + 1
        while end < len(starts) and ends[end] - starts[pos] <= max_lp_size:
            end += 1
        edges = order[starts[pos]:ends[end - 1]]
        if feedback is not None:
            feedback.check_cancelled()
        x[edges] = _solve_lp(s_idx[edges], d_idx[edges], eff[edges], upper[edges], gain[edges], cap_s, cap_d,
                             sigma[edges], w_sup)
        pos = end
    return x


def seasonal_cap(cap_s, w, sigma) -> np.ndarray:
    """Largest annual quantity one demand of winter share ``sigma`` can take from a flat source
    of winter share ``w`` (inf where either is unknown)."""
    cap_s = np.asarray(cap_s, dtype=float)
    w = np.asarray(w, dtype=float)
    sigma = np.asarray(sigma, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        winter = np.where(sigma > 0, w * cap_s / sigma, np.inf)
        summer = np.where(sigma < 1, (1 - w) * cap_s / (1 - sigma), np.inf)
    cap = np.minimum(winter, summer)
    return np.where(np.isfinite(w) & np.isfinite(sigma), cap, np.inf)


def _solve_lp(s, d, eff, upper, gain, cap_s, cap_d, sigma, w_sup) -> np.ndarray:
    m = len(s)
    us, s_local = np.unique(s, return_inverse=True)
    ud, d_local = np.unique(d, return_inverse=True)
    cols = np.arange(m)
    blocks = [sparse.csr_matrix((np.ones(m), (s_local, cols)), shape=(len(us), m)),
              sparse.csr_matrix((eff, (d_local, cols)), shape=(len(ud), m))]
    rhs = [cap_s[us], cap_d[ud]]
    seasonal = np.isfinite(sigma) & np.isfinite(w_sup[s])
    if seasonal.any():
        e = np.flatnonzero(seasonal)
        rows, row_of = np.unique(s_local[e], return_inverse=True)
        w = w_sup[us[rows]]
        for coef, share in ((sigma[e], w), (1.0 - sigma[e], 1.0 - w)):
            blocks.append(sparse.csr_matrix((coef, (row_of, e)), shape=(len(rows), m)))
            rhs.append(share * cap_s[us[rows]])
    a = sparse.vstack(blocks).tocsr()
    b = np.concatenate(rhs)
    res = linprog(-gain, A_ub=a, b_ub=b, bounds=np.column_stack([np.zeros(m), upper]), method=LP_METHOD)
    if res.status != 0 or res.x is None:  # pragma: no cover - HiGHS solves these bounded LPs
        return _greedy(s_local, d_local, eff, upper, gain, cap_s[us].copy(), cap_d[ud].copy(), sigma, w_sup[us])  # noqa: E501
    x = np.clip(res.x, 0.0, upper)
    x[x < 1e-9 * np.maximum(upper, 1.0)] = 0.0
    return x


def _greedy(s, d, eff, upper, gain, cap_s, cap_d, sigma, w_sup, viable=None) -> np.ndarray:
    """Best gain first under the same constraints as the LP (supply, demand, seasons). Used
    for very large components and as a fallback. ``viable`` = ``(unit_net, fixed, min_q)``:
    an edge is skipped (its capacity left to the next ones) when the quantity it can still
    get would not pay its fixed cost or stays below ``min_q``, so one pass gives what rounds
    of banning and solving again would. O(E log E) for the sort, then one O(E) pass in plain
    Python lists (~1 µs per edge), taken ``GREEDY_CHUNK`` edges at a time so that the lists
    of a group of millions of edges never exist at once."""
    n = len(s)
    order = np.lexsort((np.arange(n), -np.asarray(gain)))
    s, d = np.asarray(s), np.asarray(d)
    eff, upper = np.asarray(eff, dtype=float), np.asarray(upper, dtype=float)
    sig = np.nan_to_num(np.asarray(sigma, dtype=float), nan=-1.0)
    cs, cd = np.asarray(cap_s, dtype=float).tolist(), np.asarray(cap_d, dtype=float).tolist()
    w = np.asarray(w_sup, dtype=float)
    ok_w = np.isfinite(w)
    winter = np.where(ok_w, np.where(ok_w, w, 0) * np.asarray(cap_s), np.inf).tolist()
    summer = np.where(ok_w, (1 - np.where(ok_w, w, 0)) * np.asarray(cap_s), np.inf).tolist()
    if viable is None:
        net, fix, min_q = np.full(n, np.inf), np.zeros(n), -np.inf
    else:
        net, fix, min_q = np.asarray(viable[0], dtype=float), np.asarray(viable[1], dtype=float), viable[2]
    x = np.zeros(n)
    for start in range(0, n, GREEDY_CHUNK):
        idx = order[start:start + GREEDY_CHUNK]
        out = []
        for a, b, e, up, sg, nt, fx in zip(s[idx].tolist(), d[idx].tolist(), eff[idx].tolist(), upper[idx].tolist(),
                                           sig[idx].tolist(), net[idx].tolist(), fix[idx].tolist()):
            q = min(up, cs[a], cd[b] / e)
            if sg >= 0.0:
                if sg > 0.0:
                    q = min(q, winter[a] / sg)
                if sg < 1.0:
                    q = min(q, summer[a] / (1.0 - sg))
            if q <= 0.0 or q < min_q or q * nt - fx <= 0.0:
                out.append(0.0)
                continue
            out.append(q)
            cs[a] -= q
            cd[b] -= q * e
            if sg >= 0.0:
                winter[a] -= sg * q
                summer[a] -= (1.0 - sg) * q
        x[idx] = out
    return x
