"""The auditor's figure check reads the register's arrays at once and finds what the plain
rule finds cell by cell: the same violations in the same order, the same counts."""
from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd

from eit_plugin.core.protection import Audit
from eit_plugin.core.protection_audit import _check_figures, _mark
from eit_plugin.core.protection_cells import Cells, Rule


def _plain_check_figures(reg: Cells, shown: dict, rule: Rule, result: Audit) -> None:
    """The reference: ``Rule.check`` on each shown cell's contributions, one at a time."""
    for key, is_shown in shown.items():
        if not is_shown:
            result.suppressed += 1
            continue
        ok, reason = rule.check(reg.contrib[key], reg.value.get(key))
        if reg.contrib[key]:
            result.published += 1
        if not ok:
            result.violations.append("{} {} {}: published but {}".format(key[0], key[1], key[2], reason))
    for total, parts in reg.relations:
        if reg.published.get(total) and reg.residual_unsafe(total, parts):
            hidden = [p[2] if p[1] == total[1] else p[1] for p in parts if not reg.published[p] and reg.contrib[p]]
            result.violations.append("{} {} {}: the withheld part(s) {} can be recomputed by difference".format(
                total[0], total[1], total[2], ", ".join(map(str, hidden[:5]))))


def _register(seed: int) -> tuple:
    rng = random.Random(seed)
    rule = Rule()
    reg = Cells(rule)
    firms = ["{:014d}".format(i) for i in range(12)]
    keys = []
    # cells one by one (dicts), some with a given figure, some empty, one NaN part
    for i in range(40):
        key = ("zones", "Z{}".format(i % 9), "fig{}".format(i))
        contrib = {f: rng.choice([0.0, 1.0, 5.0, 50.0, 400.0, float("nan")]) for f in rng.sample(firms, rng.randint(0, 5))}
        value = rng.choice([None, None, 100.0, 0.0, float("nan")])
        reg.add(key, contrib, value)
        keys.append(key)
    # a block of cells (arrays), one registered again over a dict cell
    block = [("communes", ("commune", "7300{}".format(i)), "q_t") for i in range(6)] + [keys[3]]
    row_cell, sirets, quantities = [], [], []
    for c in range(len(block)):
        for f in rng.sample(firms, rng.randint(1, 6)):
            row_cell.append(c)
            sirets.append(f)
            quantities.append(rng.choice([2.0, 30.0, 900.0]))
    reg.add_block(block, row_cell, sirets, quantities, [None] * len(block), [True] * len(block))
    reg.relate(block[0], keys[:4])
    reg.relate(keys[5], keys[6:9])
    shown = {k: rng.random() < 0.7 for k in keys + block[:-1]}
    reg.mark(shown)
    return reg, shown, rule


def test_the_figure_check_on_arrays_is_the_plain_rule_cell_by_cell():
    for seed in range(25):
        reg, shown, rule = _register(seed)
        got, want = Audit(), Audit()
        _check_figures(reg, shown, rule, got)
        _plain_check_figures(reg, shown, rule, want)
        assert got.violations == want.violations
        assert (got.published, got.suppressed) == (want.published, want.suppressed)


def test_a_published_figure_of_two_firms_is_a_violation_and_a_withheld_one_is_counted():
    rule = Rule()
    reg = Cells(rule)
    reg.add(("zones", "Z1", "heat_mwh"), {"A": 10.0, "B": 20.0})
    reg.add(("zones", "Z2", "heat_mwh"), {"A": 10.0, "B": 20.0, "C": 30.0})
    reg.add(("zones", "Z3", "heat_mwh"), {"A": 1.0})
    shown = {("zones", "Z1", "heat_mwh"): True, ("zones", "Z2", "heat_mwh"): True, ("zones", "Z3", "heat_mwh"): False}
    reg.mark(shown)
    result = Audit()
    _check_figures(reg, shown, rule, result)
    assert len(result.violations) == 1 and result.violations[0].startswith("zones Z1 heat_mwh: published but")
    assert (result.published, result.suppressed) == (2, 1)


def _plain_mark(shown: dict, reg: Cells, kind: str, keys, frame) -> None:
    """The reference: one record per public row."""
    lower = {str(c).lower(): c for c in frame.columns}
    for key, row in zip(keys, frame.to_dict("records")):
        for col in reg.columns.get((kind, key), []):
            if col in lower:
                v = row.get(lower[col])
                shown[(kind, key, col)] = v is not None and not (isinstance(v, float) and math.isnan(v))


def test_a_figure_is_shown_where_its_public_row_gives_a_value_as_record_by_record():
    reg = Cells(Rule())
    zids = ["Z1", "Z2", "Z3", "Z4"]
    for z in zids:
        for col in ("heat_mwh", "waste_t", "water_m3", "label_t", "count_t", "when_t", "gone_t"):
            reg.add(("zones", z, col), {"A": 1.0, "B": 1.0, "C": 1.0})
    frame = pd.DataFrame({
        "zone_id": zids,
        "HEAT_MWH": [1.5, np.nan, 0.0, None],  # float column, upper case as read back
        "waste_t": pd.Series(["12", None, np.nan, np.float32("nan")], dtype=object),  # text read back
        "water_m3": pd.array([1, None, 3, 4], dtype="Int64"),  # pd.NA is not None: a value
        "label_t": ["n.d.", "", "x", "y"],
        "count_t": [1, 2, 3, 4],
        "when_t": pd.to_datetime(["2024-01-01", None, "2024-01-03", None]),
    })
    got, want = {}, {}
    _mark(got, reg, "zones", zids, frame)
    _plain_mark(want, reg, "zones", zids, frame)
    assert got == want
    assert [type(v) for v in got.values()] == [bool] * len(got)
    assert got[("zones", "Z2", "heat_mwh")] is False and got[("zones", "Z1", "heat_mwh")] is True
    assert ("zones", "Z1", "gone_t") not in got  # a figure the table has no column for is not marked
