"""The register of the statistical secret's cells (``core.protection_cells``): each figure
with who contributes to it, whether it passes the rule, the relations total = Σ parts, and
the secondary suppression over all relations at once.

Contributions are kept as columns (cell, establishment, quantity) registered a block at a
time; ``Cells.contrib[key]`` gives one cell's ``{siret: quantity}`` built on demand."""
from __future__ import annotations

import copy
import heapq
import math
from collections.abc import Mapping

import numpy as np

from . import confidentiality as conf


class _Contributions(Mapping):
    """``{cell key: {siret: quantity}}`` stored as blocks of columns; a cell's dict is built
    when asked for (O(contributors of that cell))."""

    def __init__(self):
        self._where: dict = {}  # key -> dict, or (block, start, stop)
        self._blocks: list = []  # (keys, starts, stops, sirets, quantities), rows grouped by cell

    def add_block(self, keys, starts, stops, sirets, quantities) -> None:
        b = len(self._blocks)
        starts, stops = np.asarray(starts, dtype=np.int64), np.asarray(stops, dtype=np.int64)
        self._blocks.append((list(keys), starts, stops, np.asarray(sirets, dtype=object),
                             np.asarray(quantities, dtype=float)))
        self._where.update(zip(keys, zip([b] * len(keys), starts.tolist(), stops.tolist())))

    _has_dicts = False

    def __setitem__(self, key, contributions: dict) -> None:
        self._where[key] = contributions
        self._has_dicts = True

    def __getitem__(self, key) -> dict:
        w = self._where[key]
        if isinstance(w, dict):
            return w
        b, start, stop = w
        sirets, q = self._blocks[b][3:]
        return dict(zip(sirets[start:stop].tolist(), q[start:stop].tolist()))

    def size(self, key) -> int:
        w = self._where[key]
        return len(w) if isinstance(w, dict) else w[2] - w[1]

    def __contains__(self, key) -> bool:
        return key in self._where

    def __iter__(self):
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def rows(self, ids: dict):
        """``(cell id, siret, quantity)`` arrays of every registered contribution, cell ids
        from ``ids`` (key -> id). O(contributions)."""
        cells, sirets, qs = [], [], []
        for b, (keys, starts, stops, block_sirets, block_q) in enumerate(self._blocks):
            # a key registered again later is counted once, from where it now lives
            live = np.fromiter((isinstance(self._where[k], tuple) and self._where[k][0] == b for k in keys),
                               dtype=bool, count=len(keys))
            cid = np.fromiter((ids[k] for k in keys), dtype=np.int64, count=len(keys))[live]
            start, stop = starts[live], stops[live]
            lengths = stop - start
            rows = np.repeat(start - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
            cells.append(np.repeat(cid, lengths))
            sirets.append(block_sirets[rows])
            qs.append(block_q[rows])
        for key, w in self._where.items() if self._has_dicts else ():
            if isinstance(w, dict):
                cells.append(np.full(len(w), ids[key], dtype=np.int64))
                sirets.append(np.array(list(w.keys()), dtype=object))
                qs.append(np.array(list(w.values()), dtype=float))
        if not cells:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object), np.zeros(0)
        return np.concatenate(cells), np.concatenate(sirets), np.concatenate(qs)


def _merge(parts) -> dict:
    out: dict = {}
    for part in parts:
        for k, v in part.items():
            out[k] = out.get(k, 0.0) + abs(float(v))
    return out


def rule_arrays(rule, row_cell: np.ndarray, quantities: np.ndarray, n_cells: int, totals: np.ndarray):
    """``(ok, n, share)`` per cell of ``Rule.check`` at once: ``row_cell`` the cell of each
    contribution (rows of a cell in the order of its dict), ``totals`` the figure of each
    cell (NaN: none given). O(contributions + cells)."""
    a = np.abs(np.asarray(quantities, dtype=float))
    nz = a > 0  # NaN compares False: ignored as in Rule.check
    cells = np.asarray(row_cell, dtype=np.int64)[nz]
    a = a[nz]
    n = np.bincount(cells, minlength=n_cells)
    s = np.bincount(cells, weights=a, minlength=n_cells)  # sequential, as Python's sum
    mx = np.zeros(n_cells)
    np.maximum.at(mx, cells, a)
    totals = np.asarray(totals, dtype=float)
    given = ~np.isnan(totals) & (totals != 0)
    den = np.where(given, np.abs(np.where(given, totals, 0.0)), s)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(den > 0, mx / np.where(den > 0, den, 1.0), 1.0)
    ok = (n == 0) | ((n >= rule.min_contributors) & ~(share > rule.max_share + 1e-12))
    return ok, n, share


def _reasons(rule, ok, n, share) -> list:
    out = [""] * len(ok)
    for i in np.flatnonzero(~ok).tolist():
        if n[i] < rule.min_contributors:
            out[i] = conf.REASON_FEW.format(rule.min_contributors, int(n[i]))
        else:
            out[i] = conf.REASON_DOMINANT.format(int(math.floor(min(float(share[i]), 1.0) * 100)),
                                                 int(round(rule.max_share * 100)))
    return out


class Cells:
    """Figures (cells) with their contributions, relations total = Σ parts, and the
    primary + secondary suppression over all relations at once."""

    def __init__(self, rule):
        self.rule = rule
        self.contrib = _Contributions()
        self.value: dict = {}
        self.published: dict = {}
        self.reason: dict = {}
        self.relations: list = []
        self.columns: dict = {}  # (kind, key) -> figure names registered

    def audit_copy(self) -> Cells:
        """The same cells, contributions, values and relations (shared, read only) with their
        own published / withheld marks, for the auditor to overwrite. O(cells)."""
        other = copy.copy(self)
        other.published, other.reason = dict(self.published), dict(self.reason)
        return other

    def add(self, key, contributions: dict, value=None, known: bool = True):
        if key not in self.contrib:
            self.columns.setdefault(key[:2], []).append(key[2])
        self.contrib[key] = contributions
        self.value[key] = value
        if not known:
            self.published[key], self.reason[key] = False, conf.REASON_UNKNOWN
        else:
            self.published[key], self.reason[key] = self.rule.check(contributions, value)

    def add_block(self, keys: list, row_cell, sirets, quantities, values: list, known) -> None:
        """Register many cells at once (as ``add`` each, in order): ``keys`` distinct; the
        contribution rows (``row_cell`` index into ``keys``, ascending; a cell's rows in the
        order of its dict). O(cells + contributions)."""
        m = len(keys)
        row_cell = np.asarray(row_cell, dtype=np.int64)
        starts = np.searchsorted(row_cell, np.arange(m), side="left")
        stops = np.searchsorted(row_cell, np.arange(m), side="right")
        totals = np.array([np.nan if v is None else v for v in values], dtype=float)
        ok, n, share = rule_arrays(self.rule, row_cell, quantities, m, totals)
        known = np.asarray(known, dtype=bool)
        reasons = _reasons(self.rule, ok | ~known, n, share)
        for i in np.flatnonzero(~known).tolist():
            reasons[i] = conf.REASON_UNKNOWN
        where = self.contrib._where
        for key in keys:
            if key not in where:
                self.columns.setdefault(key[:2], []).append(key[2])
        self.contrib.add_block(keys, starts, stops, sirets, quantities)
        self.value.update(zip(keys, values))
        self.published.update(zip(keys, (ok & known).tolist()))
        self.reason.update(zip(keys, reasons))

    def relate(self, total, parts) -> None:
        where = self.contrib._where  # the plain dict: no Mapping method call per part
        parts = [p for p in parts if p in where]
        if total in where and parts:
            self.relations.append((total, parts))

    def withhold(self, key, reason) -> None:
        if self.published.get(key):
            self.published[key] = False
            self.reason[key] = reason

    def residual_unsafe(self, total, parts):
        """The withheld parts of a published total, together, fail the rule?"""
        hidden = [p for p in parts if not self.published[p] and self.contrib.size(p)]
        if not hidden:
            return False
        merged = _merge(self.contrib[p] for p in hidden)
        return not self.rule.check(merged)[0]

    def secondary(self) -> int:
        """Withhold more cells until no published total lets a withheld part be recomputed.

        The same fixed point, in the same order, as passes over every relation in turn
        (withholding, for the first unsafe relation met, its smallest published part): the
        relations are screened at once with arrays (O(contributions of withheld parts)), then
        only those screened out and those touching a cell withheld since are re-checked one by
        one, in relation order. O(contributions + relations + withheld × relations per cell)."""
        if not self.relations:
            return 0
        keys = list(self.contrib)
        ids = {k: i for i, k in enumerate(keys)}
        rel_total = np.array([ids[t] for t, _ in self.relations], dtype=np.int64)
        rel_len = np.array([len(p) for _, p in self.relations], dtype=np.int64)
        pair_rel = np.repeat(np.arange(len(self.relations)), rel_len)
        pair_part = np.array([ids[p] for _, parts in self.relations for p in parts], dtype=np.int64)
        # cell id -> relations it is the total or a part of (sorted by cell)
        t_cell = np.concatenate([rel_total, pair_part])
        t_order = np.argsort(t_cell, kind="stable")
        t_cell, t_rel = t_cell[t_order], np.concatenate([np.arange(len(self.relations)), pair_rel])[t_order]

        def touching(c):
            return t_rel[np.searchsorted(t_cell, c, side="left"):np.searchsorted(t_cell, c, side="right")].tolist()
        todo = sorted(set(self._screen(keys, ids, rel_total, pair_rel, pair_part).tolist()))
        n = 0
        while todo:
            heap, queued, later = list(todo), set(todo), set()
            heapq.heapify(heap)
            while heap:
                r = heapq.heappop(heap)
                total, parts = self.relations[r]
                if not self.published[total] or not self.residual_unsafe(total, parts):
                    continue
                candidates = sorted((p for p in parts if self.published[p] and self.contrib.size(p)),
                                    key=lambda p: (sum(self.contrib[p].values()), str(p)))
                cell = candidates[0] if candidates else total
                self.withhold(cell, conf.REASON_SECONDARY)
                n += 1
                for other in touching(ids[cell]):
                    if other > r and other not in queued:  # still ahead in this pass
                        heapq.heappush(heap, other)
                        queued.add(other)
                    elif other <= r:  # met again in the next pass
                        later.add(other)
            todo = sorted(later)
        return n

    def _screen(self, keys, ids, rel_total, pair_rel, pair_part) -> np.ndarray:
        """Relations that may be unsafe now: published total, withheld parts that together have
        fewer than k contributors or one close to the share limit (a margin against rounding:
        each is re-checked exactly). O(contributions of the withheld parts)."""
        published = np.fromiter((self.published[k] for k in keys), dtype=bool, count=len(keys))
        cell, sirets, q = self.contrib.rows(ids)
        sizes = np.bincount(cell, minlength=len(keys))
        hidden = ~published[pair_part] & (sizes[pair_part] > 0) & published[rel_total[pair_rel]]
        pr, pp = pair_rel[hidden], pair_part[hidden]
        if not len(pr):
            return np.zeros(0, dtype=np.int64)
        order = np.argsort(cell, kind="stable")
        cell, sirets, q = cell[order], sirets[order], np.abs(q[order])
        start = np.searchsorted(cell, pp, side="left")
        lengths = sizes[pp]
        rows = np.repeat(start - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
        rel = np.repeat(pr, lengths)
        siret_code = np.unique(sirets[rows].astype(str), return_inverse=True)[1]
        code = rel * (int(siret_code.max()) + 1) + siret_code
        _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
        merged = np.bincount(inverse, weights=q[rows])  # each establishment's part of the withheld parts
        group_rel = rel[first]
        positive = merged > 0
        nrel = len(self.relations)
        cnt = np.bincount(group_rel[positive], minlength=nrel)
        tot = np.bincount(group_rel[positive], weights=merged[positive], minlength=nrel)
        mx = np.zeros(nrel)
        np.maximum.at(mx, group_rel[positive], merged[positive])
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(tot > 0, mx / np.where(tot > 0, tot, 1.0), 1.0)
        has = np.zeros(nrel, dtype=bool)
        has[pr] = True
        maybe = has & (cnt > 0) & ((cnt < self.rule.min_contributors) | (share > self.rule.max_share - 1e-9))
        return np.flatnonzero(maybe)
