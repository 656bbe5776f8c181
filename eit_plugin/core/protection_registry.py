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


class _Grow:
    """A numpy column that grows by blocks (capacity doubled: amortised O(1) per row)."""

    def __init__(self, dtype, fill=0):
        self.data, self.n, self.fill = np.full(16, fill, dtype=dtype), 0, fill

    def reserve(self, n: int) -> None:
        if n > len(self.data):
            grown = np.full(max(n, 2 * len(self.data)), self.fill, dtype=self.data.dtype)
            grown[:self.n] = self.data[:self.n]
            self.data = grown
        self.n = max(self.n, n)

    @property
    def a(self) -> np.ndarray:
        return self.data[:self.n]


class _CellView(Mapping):
    """A mapping keyed by the register's cells, in their order: ``cells`` is the register."""

    def __contains__(self, key) -> bool:
        return key in self._cells._row

    def __iter__(self):
        return iter(self._cells._keys)

    def __len__(self) -> int:
        return len(self._cells._keys)


class _Contributions(_CellView):
    """``{cell key: {siret: quantity}}`` stored as blocks of columns; a cell's dict is built
    when asked for (O(contributors of that cell)). Per cell (row of the register): its block
    and its slice there (block -1: a dict registered alone, in ``_dicts``)."""

    def __init__(self, cells):
        self._cells = cells
        self._blocks: list = []  # (rows, sirets, quantities), rows grouped by cell
        self._blk, self._start, self._stop = _Grow(np.int32, -1), _Grow(np.int64), _Grow(np.int64)
        self._dicts: dict = {}  # row -> dict (cells registered one by one)

    def _grow(self, n: int) -> None:
        for col in (self._blk, self._start, self._stop):
            col.reserve(n)

    def add_block(self, rows, starts, stops, sirets, quantities) -> None:
        rows = np.asarray(rows, dtype=np.int64)
        self._grow(int(rows.max()) + 1 if len(rows) else 0)
        self._blk.data[rows] = len(self._blocks)
        self._start.data[rows], self._stop.data[rows] = starts, stops
        for r in self._dicts.keys() & set(rows.tolist()) if self._dicts else ():
            del self._dicts[r]
        self._blocks.append((rows, np.asarray(sirets, dtype=object), np.asarray(quantities, dtype=float)))

    def set(self, row: int, contributions: dict) -> None:
        self._grow(row + 1)
        self._blk.data[row] = -1
        self._dicts[row] = contributions

    def _get(self, row: int) -> dict:
        b = int(self._blk.data[row])
        if b < 0:
            return self._dicts[row]
        start, stop = int(self._start.data[row]), int(self._stop.data[row])
        sirets, q = self._blocks[b][1:]
        return dict(zip(sirets[start:stop].tolist(), q[start:stop].tolist()))

    def __getitem__(self, key) -> dict:
        return self._get(self._cells._row[key])

    def size(self, key) -> int:
        return self._size(self._cells._row[key])

    def _size(self, row: int) -> int:
        if self._blk.data[row] < 0:
            return len(self._dicts[row])
        return int(self._stop.data[row] - self._start.data[row])

    def sizes(self) -> np.ndarray:
        """Contributors of every cell, by row. O(cells)."""
        self._grow(len(self._cells._keys))
        out = self._stop.a - self._start.a
        for r, d in self._dicts.items():
            out[r] = len(d)
        return out

    def rows(self):
        """``(cell row, siret, quantity)`` arrays of every registered contribution. O(contributions)."""
        cells, sirets, qs = [], [], []
        blk, start_all, stop_all = self._blk.a, self._start.a, self._stop.a
        for b, (rows, block_sirets, block_q) in enumerate(self._blocks):
            rows = rows[blk[rows] == b]  # a cell registered again later is counted once, from where it now lives
            start, stop = start_all[rows], stop_all[rows]
            lengths = stop - start
            idx = np.repeat(start - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
            cells.append(np.repeat(rows, lengths))
            sirets.append(block_sirets[idx])
            qs.append(block_q[idx])
        for r, d in self._dicts.items():
            cells.append(np.full(len(d), r, dtype=np.int64))
            sirets.append(np.array(list(d.keys()), dtype=object))
            qs.append(np.array(list(d.values()), dtype=float))
        if not cells:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object), np.zeros(0)
        return np.concatenate(cells), np.concatenate(sirets), np.concatenate(qs)


class _Column(_CellView):
    """``{cell key: value}`` read from one column of the register (a view, no per-cell dict)."""

    def __init__(self, cells, name: str):
        self._cells, self._name = cells, name

    def __getitem__(self, key):
        return self._cells._get(self._name, self._cells._row[key])

    def __setitem__(self, key, value) -> None:
        self._cells._put(self._name, self._cells._row[key], value)

    def values(self):
        return self._cells._list(self._name)

    def items(self):
        return zip(self._cells._keys, self._cells._list(self._name))


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
    """The reason of each withheld cell ("" when it passes): one text object per distinct
    reason (a few dozen), shared by the cells."""
    out = [""] * len(ok)
    texts: dict = {}
    for i in np.flatnonzero(~ok).tolist():
        if n[i] < rule.min_contributors:
            args = (conf.REASON_FEW, rule.min_contributors, int(n[i]))
        else:
            args = (conf.REASON_DOMINANT, int(math.floor(min(float(share[i]), 1.0) * 100)), int(round(rule.max_share * 100)))
        text = texts.get(args)
        if text is None:
            text = texts[args] = args[0].format(*args[1:])
        out[i] = text
    return out


class Cells:
    """Figures (cells) with their contributions, relations total = Σ parts, and the
    primary + secondary suppression over all relations at once.

    Stored by row (one per cell, in the order first registered): one dict key -> row, and
    columns (published, value, contributions' slices) as numpy arrays; ``published``,
    ``value``, ``reason`` and ``contrib`` read them as mappings keyed by cell."""

    def __init__(self, rule):
        self.rule = rule
        self._row: dict = {}  # cell key -> row
        self._keys: list = []  # row -> cell key
        self._pub = _Grow(bool, False)
        self._val = _Grow(float, np.nan)
        self._none = _Grow(bool, True)  # value given as None
        self._reason: list = []  # row -> text ("" when published)
        self.contrib = _Contributions(self)
        self.value = _Column(self, "value")
        self.published = _Column(self, "published")
        self.reason = _Column(self, "reason")
        self.relations: list = []
        self.columns: dict = {}  # (kind, key) -> figure names registered

    # columns, by row
    def _get(self, name: str, row: int):
        if name == "published":
            return bool(self._pub.data[row])
        if name == "reason":
            return self._reason[row]
        return None if self._none.data[row] else float(self._val.data[row])

    def _put(self, name: str, row: int, value) -> None:
        if name == "published":
            self._pub.data[row] = bool(value)
        elif name == "reason":
            self._reason[row] = value
        else:
            self._none.data[row] = value is None
            self._val.data[row] = np.nan if value is None else float(value)

    def _list(self, name: str) -> list:
        if name == "published":
            return self._pub.a.tolist()
        if name == "reason":
            return list(self._reason)
        return [None if none else v for none, v in zip(self._none.a.tolist(), self._val.a.tolist())]

    def _rows(self, keys) -> np.ndarray:
        """The rows of ``keys``, new cells appended (their figure names listed in ``columns``)."""
        out = np.empty(len(keys), dtype=np.int64)
        row_of, n0 = self._row, len(self._keys)
        for i, key in enumerate(keys):
            r = row_of.get(key)
            if r is None:
                r = row_of[key] = len(self._keys)
                self._keys.append(key)
                self.columns.setdefault(key[:2], []).append(key[2])
            out[i] = r
        n = len(self._keys)
        for col in (self._pub, self._val, self._none):
            col.reserve(n)
        self._reason.extend([""] * (n - n0))
        return out

    def published_of(self, keys) -> np.ndarray:
        """Published mark of each of ``keys`` (False for a key not registered). O(len(keys))."""
        row = self._row
        idx = np.fromiter((row.get(k, -1) for k in keys), dtype=np.int64, count=len(keys))
        return np.where(idx >= 0, self._pub.a[idx], False)

    def mark(self, shown: dict) -> None:
        """Published = ``shown[cell]`` for the cells listed, False for every other. O(len(shown))."""
        self._pub.a[:] = False
        row = self._row
        for key, is_shown in shown.items():
            self._pub.data[row[key]] = bool(is_shown)

    def counts(self) -> tuple:
        """``(published with contributors, withheld)`` cells. O(cells)."""
        pub = self._pub.a
        return int((pub & (self.contrib.sizes() > 0)).sum()), int((~pub).sum())

    def audit_copy(self) -> Cells:
        """The same cells, contributions, values and relations (shared, read only) with their
        own published / withheld marks, for the auditor to overwrite. O(cells)."""
        other = copy.copy(self)
        other._pub = copy.copy(self._pub)
        other._pub.data = self._pub.data.copy()
        other._reason = list(self._reason)
        other.published, other.reason = _Column(other, "published"), _Column(other, "reason")
        return other

    def add(self, key, contributions: dict, value=None, known: bool = True):
        row = int(self._rows([key])[0])
        self.contrib.set(row, contributions)
        self._put("value", row, value)
        if not known:
            ok, reason = False, conf.REASON_UNKNOWN
        else:
            ok, reason = self.rule.check(contributions, value)
        self._pub.data[row], self._reason[row] = ok, reason

    def add_block(self, keys: list, row_cell, sirets, quantities, values: list, known) -> None:
        """Register many cells at once (as ``add`` each, in order): ``keys`` distinct; the
        contribution rows (``row_cell`` index into ``keys``, ascending; a cell's rows in the
        order of its dict). O(cells + contributions)."""
        m = len(keys)
        row_cell = np.asarray(row_cell, dtype=np.int64)
        starts = np.searchsorted(row_cell, np.arange(m), side="left")
        stops = np.searchsorted(row_cell, np.arange(m), side="right")
        none = np.array([v is None for v in values], dtype=bool)
        totals = np.array([np.nan if v is None else v for v in values], dtype=float)
        ok, n, share = rule_arrays(self.rule, row_cell, quantities, m, totals)
        known = np.asarray(known, dtype=bool)
        reasons = _reasons(self.rule, ok | ~known, n, share)
        for i in np.flatnonzero(~known).tolist():
            reasons[i] = conf.REASON_UNKNOWN
        rows = self._rows(keys)
        self.contrib.add_block(rows, starts, stops, sirets, quantities)
        self._val.data[rows], self._none.data[rows] = totals, none
        self._pub.data[rows] = ok & known
        for r, reason in zip(rows.tolist(), reasons):
            self._reason[r] = reason

    def relate(self, total, parts) -> None:
        where, keys = self._row, self._keys  # the plain dict: no Mapping method call per part
        # the registered key objects, not the caller's equal copies: one tuple per cell in memory
        parts = [keys[where[p]] for p in parts if p in where]
        if total in where and parts:
            self.relations.append((keys[where[total]], parts))

    def withhold(self, key, reason) -> None:
        row = self._row.get(key)
        if row is not None and self._pub.data[row]:
            self._pub.data[row] = False
            self._reason[row] = reason

    def residual_unsafe(self, total, parts):
        """The withheld parts of a published total, together, fail the rule?"""
        rows = [self._row[p] for p in parts]
        hidden = [r for r in rows if not self._pub.data[r] and self.contrib._size(r)]
        if not hidden:
            return False
        merged = _merge(self.contrib._get(r) for r in hidden)
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
        keys, ids = self._keys, self._row
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
        todo = sorted(set(self._screen(keys, rel_total, pair_rel, pair_part).tolist()))
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

    def _screen(self, keys, rel_total, pair_rel, pair_part) -> np.ndarray:
        """Relations that may be unsafe now: published total, withheld parts that together have
        fewer than k contributors or one close to the share limit (a margin against rounding:
        each is re-checked exactly). O(contributions of the withheld parts)."""
        published = self._pub.a
        cell, sirets, q = self.contrib.rows()
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
