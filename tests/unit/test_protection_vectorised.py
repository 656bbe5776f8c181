"""The vectorised statistical secret gives the answers of the plain rule: small cases computed
by hand, and a random territory compared with a plain reference (one dict per cell, passes
over every relation, one candidate cell at a time) kept here."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from eit_plugin.core import confidentiality as conf
from eit_plugin.core import protection
from eit_plugin.core.protection_cells import (
    GRID_SIZES_M,
    HEAT_CLASSES,
    HEAT_UNKNOWN,
    Cells,
    Rule,
    _zone_commune_cells,
    figure_columns,
    flow_cells,
    safe_positions,
)
from eit_plugin.core.protection_geometry import Grid


# Plain reference ------------------------------------------------------------------------------
def _ref_contributions(cells: pd.DataFrame, key_col: str) -> dict:
    out: dict = {}
    for (key, column, siret), q in cells.groupby([key_col, "column", "siret"], sort=True)["quantity"].sum().items():
        out.setdefault((key, column), {})[siret] = float(q)
    return out


def _ref_merge(parts) -> dict:
    out: dict = {}
    for part in parts:
        for k, v in part.items():
            out[k] = out.get(k, 0.0) + abs(float(v))
    return out


def _close(a, b) -> bool:
    return abs(a - b) <= max(0.01, 1e-6 * max(abs(a), abs(b)))


class RefCells:
    """One dict per cell; secondary suppression by passes over every relation."""

    def __init__(self, rule):
        self.rule, self.contrib, self.value, self.published, self.reason = rule, {}, {}, {}, {}
        self.relations, self.columns = [], {}

    def add(self, key, contributions, value=None, known=True):
        if key not in self.contrib:
            self.columns.setdefault(key[:2], []).append(key[2])
        self.contrib[key], self.value[key] = contributions, value
        self.published[key], self.reason[key] = (
            self.rule.check(contributions, value) if known else (False, conf.REASON_UNKNOWN))

    def relate(self, total, parts):
        parts = [p for p in parts if p in self.contrib]
        if total in self.contrib and parts:
            self.relations.append((total, parts))

    def residual_unsafe(self, total, parts):
        hidden = [p for p in parts if not self.published[p] and self.contrib[p]]
        return bool(hidden) and not self.rule.check(_ref_merge(self.contrib[p] for p in hidden))[0]

    def secondary(self) -> int:
        n, changed = 0, True
        while changed:
            changed = False
            for total, parts in self.relations:
                if not self.published[total] or not self.residual_unsafe(total, parts):
                    continue
                cands = sorted((p for p in parts if self.published[p] and self.contrib[p]),
                               key=lambda p: (sum(self.contrib[p].values()), str(p)))
                key = cands[0] if cands else total
                self.published[key], self.reason[key] = False, conf.REASON_SECONDARY
                n, changed = n + 1, True
        return n


def ref_zone_commune_cells(reg, zones, communes, flows):
    fc = flow_cells(flows)
    zone_ids = [str(v) for v in zones["zone_id"]]
    insee_of = dict(zip(zone_ids, [str(v) for v in zones["insee"]]))
    fc = fc[fc["zone_id"].isin(set(zone_ids))]
    by_zone = _ref_contributions(fc, "zone_id")
    zfig = [c for c in figure_columns(zones) if "_balance_" not in c]
    for zid, row in zip(zone_ids, zones[zfig].itertuples(index=False, name=None)):
        for col, value in zip(zfig, row):
            contrib = by_zone.get((zid, col), {})
            reg.add(("zones", zid, col), contrib, float(value), known=_close(sum(contrib.values()), float(value)))
    for (zid, col), contrib in by_zone.items():
        if col.startswith(("waste_res:", "waste_ch:")):
            reg.add(("zones", zid, col), contrib, sum(contrib.values()))
    classes = [c for c, *_ in HEAT_CLASSES] + [HEAT_UNKNOWN]
    for zid in zone_ids:
        reg.relate(("zones", zid, "heat_supply_mwh"), [("zones", zid, c) for c in classes])
        for prefix in ("waste_res:", "waste_ch:"):
            reg.relate(("zones", zid, "waste_supply_t"),
                       [("zones", zid, c) for c in reg.columns.get(("zones", zid), []) if c.startswith(prefix)])
    by_commune = _ref_contributions(fc.assign(insee=fc["zone_id"].map(insee_of)), "insee")
    cfig = [c for c in figure_columns(communes) if "_balance_" not in c]
    epci_of = dict(zip(communes["code"], communes["epci_siren"]))
    zones_of, communes_of = {}, {}
    for zid, insee in insee_of.items():
        zones_of.setdefault(insee, []).append(zid)
    for level, code in zip(communes["level"], communes["code"]):
        if level == "commune":
            communes_of.setdefault(epci_of[code], []).append(code)
    relations = []
    for level, code, row in zip(communes["level"], communes["code"], communes[cfig].itertuples(index=False, name=None)):
        for col, value in zip(cfig, row):
            if level == "epci":
                contrib = _ref_merge(by_commune.get((c, col), {}) for c in communes_of.get(code, []))
                parts = [("communes", ("commune", c), col) for c in communes_of.get(code, [])]
            else:
                contrib = by_commune.get((code, col), {})
                parts = [("zones", z, col) for z in zones_of.get(code, [])]
            reg.add(("communes", (level, code), col), contrib, float(value),
                    known=_close(sum(contrib.values()), float(value)))
            relations.append((("communes", (level, code), col), parts))
        relations.append((("communes", (level, code), "heat_supply_mwh"), [("communes", (level, code), c) for c in classes]))
    for total, parts in relations:
        reg.relate(total, parts)


def ref_safe(tree, points, k, clearance=50.0, gap=10.0):
    pts = np.round(np.asarray(points, dtype=float).reshape(-1, 2), 1)
    nearest = tree.query(pts)[0]
    around = tree.query_ball_point(pts, clearance, return_length=True)
    return (nearest >= gap) & ((around == 0) | (around >= k))


def ref_anchor(xy, tree, cell, k=3, clearance=50.0):
    size = GRID_SIZES_M[cell[0]]
    x0, y0, x1, y1 = cell[1] * size, cell[2] * size, (cell[1] + 1) * size, (cell[2] + 1) * size
    steps = (np.arange(Grid.SUBGRID) + 0.5) / Grid.SUBGRID
    gx, gy = np.meshgrid(x0 + steps * (x1 - x0), y0 + steps * (y1 - y0))
    centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
    cand = [centre[None, :], np.column_stack([gx.ravel(), gy.ravel()])]
    inside = xy[(xy[:, 0] >= x0) & (xy[:, 0] < x1) & (xy[:, 1] >= y0) & (xy[:, 1] < y1)]
    if len(inside) >= k:
        cand.append(inside.mean(axis=0)[None, :])
    cand = np.round(np.vstack(cand), 1)
    ok = np.flatnonzero(ref_safe(tree, cand, k, clearance))
    if not len(ok):
        return None
    empty = tree.query(cand[ok])[0] >= clearance
    d = np.hypot(cand[ok, 0] - centre[0], cand[ok, 1] - centre[1])
    best = ok[np.lexsort((d, ~empty))[0]]
    return float(cand[best, 0]), float(cand[best, 1])


def ref_cell(xy, tree, x, y, k=3):
    for level, size in enumerate(GRID_SIZES_M):
        i, j = int(math.floor(x / size)), int(math.floor(y / size))
        n = int(((np.floor(xy[:, 0] / size) == i) & (np.floor(xy[:, 1] / size) == j)).sum())
        if n >= k and ref_anchor(xy, tree, (level, i, j), k) is not None:
            return (level, i, j)
    size = GRID_SIZES_M[-1]
    return (len(GRID_SIZES_M) - 1, int(math.floor(x / size)), int(math.floor(y / size)))


# Small territories ----------------------------------------------------------------------------
def _territory(flow_rows, zone_insee, commune_epci):
    """Zones and communes whose figures are the sums of the flows (coverage known)."""
    flows = pd.DataFrame(flow_rows, columns=["siret", "zone_id", "family", "direction", "resource", "quantity",
                                             "temperature_c", "ewc_code"])
    fc = flow_cells(flows)
    columns = ["heat_supply_mwh", "waste_supply_t", *(c for c, *_ in HEAT_CLASSES), HEAT_UNKNOWN]
    by = fc.groupby(["zone_id", "column"])["quantity"].sum()
    zones = pd.DataFrame({"zone_id": list(zone_insee), "insee": list(zone_insee.values())})
    for c in columns:
        zones[c] = [float(by.get((z, c), 0.0)) for z in zones["zone_id"]]
    fc["insee"] = fc["zone_id"].map(zone_insee)
    byc = fc.groupby(["insee", "column"])["quantity"].sum()
    epci = fc.assign(epci=fc["insee"].map(commune_epci)).groupby(["epci", "column"])["quantity"].sum()
    rows = [("commune", c, e, *[float(byc.get((c, col), 0.0)) for col in columns]) for c, e in commune_epci.items()]
    rows += [("epci", e, e, *[float(epci.get((e, col), 0.0)) for col in columns]) for e in sorted(set(commune_epci.values()))]
    communes = pd.DataFrame(rows, columns=["level", "code", "epci_siren", *columns])
    return flows, zones, communes


def _registers(flows, zones, communes):
    new, ref = Cells(Rule()), RefCells(Rule())
    _zone_commune_cells(new, zones, communes, flows)
    ref_zone_commune_cells(ref, zones, communes, flows)
    return new, ref


def test_a_figure_of_two_firms_is_withheld_and_one_firm_at_86_percent_too():
    flows, zones, communes = _territory(
        [("S1", "Z1", "heat", "supply", "waste_heat", 100.0, 50.0, ""),
         ("S2", "Z1", "heat", "supply", "waste_heat", 100.0, 50.0, ""),
         ("S3", "Z2", "waste", "supply", "wood_waste", 86.0, np.nan, "03 01 05"),
         ("S4", "Z2", "waste", "supply", "wood_waste", 7.0, np.nan, "03 01 05"),
         ("S5", "Z2", "waste", "supply", "wood_waste", 7.0, np.nan, "03 01 05")],
        {"Z1": "73001", "Z2": "73002"}, {"73001": "200000001", "73002": "200000001"})
    cells, _ = _registers(flows, zones, communes)
    assert not cells.published[("zones", "Z1", "heat_supply_mwh")]
    assert cells.reason[("zones", "Z1", "heat_supply_mwh")] == conf.REASON_FEW.format(3, 2)
    assert not cells.published[("zones", "Z2", "waste_supply_t")]
    assert cells.reason[("zones", "Z2", "waste_supply_t")] == conf.REASON_DOMINANT.format(86, 85)
    assert cells.contrib[("zones", "Z2", "waste_supply_t")] == {"S3": 86.0, "S4": 7.0, "S5": 7.0}


def test_a_zone_recomputable_from_its_commune_total_is_protected_by_withholding_its_neighbour():
    # commune 73001 = Z1 (3 firms, published) + Z2 (2 firms, withheld): Z2 = commune - Z1
    rows = [("S{}".format(i), "Z1", "heat", "supply", "waste_heat", 100.0 + i, 50.0, "") for i in range(3)]
    rows += [("T{}".format(i), "Z2", "heat", "supply", "waste_heat", 200.0 + i, 50.0, "") for i in range(2)]
    flows, zones, communes = _territory(rows, {"Z1": "73001", "Z2": "73001"}, {"73001": "200000001"})
    cells, ref = _registers(flows, zones, communes)
    assert cells.published[("zones", "Z1", "heat_supply_mwh")]
    assert cells.published[("communes", ("commune", "73001"), "heat_supply_mwh")]
    n = cells.secondary()
    assert n == ref.secondary() >= 1
    assert not cells.published[("zones", "Z1", "heat_supply_mwh")]
    assert cells.reason[("zones", "Z1", "heat_supply_mwh")] == conf.REASON_SECONDARY
    assert cells.published[("communes", ("commune", "73001"), "heat_supply_mwh")]
    assert cells.published == ref.published


def test_on_a_random_territory_the_cells_and_the_secondary_suppression_are_the_reference_ones():
    rng = np.random.default_rng(7)
    zone_insee = {"Z{}".format(i): "7300{}".format(i % 4) for i in range(12)}
    commune_epci = {"7300{}".format(i): "20000000{}".format(i % 2) for i in range(4)}
    rows = []
    for n in range(160):
        family, resource = [("heat", "waste_heat"), ("waste", "wood_waste"), ("waste", "metal_scrap")][n % 3]
        rows.append(("S{:03d}".format(rng.integers(60)), "Z{}".format(rng.integers(12)), family, "supply", resource,
                     float(rng.choice([1.0, 5.0, 40.0, 900.0]) * rng.random()), float(rng.choice([30.0, 70.0, 95.0])),
                     "{:02d} 01 01".format(rng.integers(1, 4)) if family == "waste" else ""))
    flows, zones, communes = _territory(rows, zone_insee, commune_epci)
    cells, ref = _registers(flows, zones, communes)
    assert cells.published == ref.published and cells.reason == ref.reason
    assert cells.relations == ref.relations and cells.columns == ref.columns
    assert {k: cells.contrib[k] for k in cells.contrib} == ref.contrib
    assert cells.secondary() == ref.secondary() > 0
    assert cells.published == ref.published and cells.reason == ref.reason


def test_a_point_next_to_a_lone_establishment_is_not_safe_and_a_drawn_cell_avoids_it():
    # three firms together, one alone in the next cell, right at its centre
    xy = np.array([[100.0, 100.0], [110.0, 130.0], [140.0, 110.0], [375.0, 125.0]])
    tree = cKDTree(xy)
    points = [[375.0, 130.0], [375.0, 160.0], [117.0, 115.0], [600.0, 600.0]]
    expected = [False, False, True, True]  # 5 m; 35 m of a lone firm; 3 firms within 50 m; nothing
    assert safe_positions(tree, points, 3).tolist() == expected == ref_safe(tree, points, 3).tolist()
    grid = Grid(xy)
    anchor = grid.anchor((0, 1, 0))  # the lone firm's 250 m cell: its centre (375, 125) is the firm
    assert anchor is not None and anchor != (375.0, 125.0)
    assert math.hypot(anchor[0] - 375.0, anchor[1] - 125.0) > 50.0
    assert anchor == ref_anchor(xy, tree, (0, 1, 0))


def test_grid_cells_and_anchors_are_the_reference_ones():
    rng = np.random.default_rng(3)
    xy = np.vstack([rng.normal(1000.0, 120.0, (60, 2)), rng.uniform(0.0, 4000.0, (40, 2))]).round(1)
    tree = cKDTree(np.unique(xy, axis=0))
    grid = Grid(xy)
    queries = np.vstack([xy[:30], rng.uniform(0.0, 4000.0, (20, 2))])
    cells = grid.cells(queries)
    assert cells == [ref_cell(xy, tree, x, y) for x, y in queries]
    assert [grid.anchor(c) for c in cells] == [ref_anchor(xy, tree, c) for c in cells]


def test_the_public_zone_table_hides_what_the_cells_withhold_and_recomputes_balances():
    flows, zones, communes = _territory(
        [("S1", "Z1", "heat", "supply", "waste_heat", 100.0, 50.0, ""),
         ("S2", "Z1", "heat", "supply", "waste_heat", 120.0, 50.0, ""),
         ("S3", "Z1", "heat", "supply", "waste_heat", 130.0, 50.0, ""),
         ("S4", "Z2", "heat", "supply", "waste_heat", 90.0, 50.0, "")],
        {"Z1": "73001", "Z2": "73002"}, {"73001": "200000001", "73002": "200000001"})
    zones["heat_demand_mwh"] = [0.0, 0.0]
    zones["heat_balance_mwh"] = zones["heat_supply_mwh"] - zones["heat_demand_mwh"]
    out = protection.protect({"zones": zones}, flows, None).tables["zones"]
    z1, z2 = out.iloc[0], out.iloc[1]
    assert z1["heat_supply_mwh"] == 350.0 and z1["heat_balance_mwh"] == 350.0
    assert pd.isna(z2["heat_supply_mwh"]) and pd.isna(z2["heat_balance_mwh"])
    assert "heat_supply_mwh" in z2["secret_fields"].split(", ") and "heat_balance_mwh" in z2["secret_fields"]


def test_the_audit_reading_the_register_protect_built_finds_what_it_finds_building_its_own():
    rng = np.random.default_rng(11)
    zone_insee = {"Z{}".format(i): "7300{}".format(i % 3) for i in range(9)}
    rows = []
    for n in range(120):
        family, resource = [("heat", "waste_heat"), ("waste", "wood_waste")][n % 2]
        rows.append(("S{:03d}".format(rng.integers(40)), "Z{}".format(rng.integers(9)), family, "supply", resource,
                     float(rng.choice([1.0, 40.0, 900.0]) * rng.random()), 70.0,
                     "03 01 05" if family == "waste" else ""))
    flows, zones, communes = _territory(rows, zone_insee, {"7300{}".format(i): "200000001" for i in range(3)})
    sirets = sorted(set(flows["siret"]))
    clusters = pd.DataFrame({"cluster_id": ["C1", "C2"], "kind": ["pooling", "pooling"],
                             "members": [",".join(sirets[:5]), ",".join(sirets[5:7])],
                             "resources": ["wood_waste", "wood_waste"], "total_quantity": [1.0, 2.0]})
    tables = {"zones": zones, "communes": communes, "clusters": clusters}
    result = protection.protect(tables, flows, None)
    marks = dict(result.cells.published)
    leaky = {k: v.copy() for k, v in result.tables.items()}
    leaky["zones"]["heat_supply_mwh"] = zones["heat_supply_mwh"]  # every zone figure, withheld ones too
    leaky["clusters"]["total_quantity"] = clusters["total_quantity"]
    for public in (result.tables, leaky):
        own = protection.audit(public, tables, flows, None)
        shared = protection.audit(public, tables, flows, None, cells=result.cells)
        assert (shared.published, shared.suppressed, shared.violations) == (own.published, own.suppressed, own.violations)
    assert own.violations and own.published > 0 and own.suppressed > 0
    assert any(v.startswith("clusters C2") for v in own.violations)
    assert result.cells.published == marks  # the auditor marks its own copy


def test_the_register_on_arrays_reads_back_as_the_plain_one_when_cells_are_registered_again():
    rule = Rule()
    cells, ref = Cells(rule), RefCells(rule)
    few = {"A": 5.0, "B": 4.0}
    many = {"A": 5.0, "B": 4.0, "C": 3.0}
    for reg in (cells, ref):
        reg.add(("clusters", "C1", "total_quantity"), few, None)
        reg.add(("clusters", "C2", "total_quantity"), many, 12.0, known=False)
    # a block registering C1 again (now with three firms) and a new cell, then C2 again alone
    cells.add_block([("clusters", "C3", "total_quantity"), ("clusters", "C1", "total_quantity")],
                    [0, 0, 0, 1, 1, 1], ["A", "B", "C", "A", "B", "C"], [1.0, 1.0, 19.0, 5.0, 4.0, 3.0],
                    [21.0, None], [True, True])
    ref.add(("clusters", "C3", "total_quantity"), {"A": 1.0, "B": 1.0, "C": 19.0}, 21.0)
    ref.add(("clusters", "C1", "total_quantity"), many, None)
    for reg in (cells, ref):
        reg.add(("clusters", "C2", "total_quantity"), {"D": 1.0}, 1.0)
    assert list(cells.contrib) == list(ref.contrib)
    assert {k: cells.contrib[k] for k in cells.contrib} == ref.contrib
    assert cells.value == ref.value and cells.published == ref.published and cells.reason == ref.reason
    assert cells.columns == ref.columns
    assert cells.published[("clusters", "C1", "total_quantity")] and not cells.published[("clusters", "C3", "total_quantity")]
    assert cells.counts() == (1, 2)
    assert cells.published_of([("clusters", "C1", "total_quantity"), ("clusters", "C9", "x")]).tolist() == [True, False]
    copy = cells.audit_copy()
    copy.mark({("clusters", "C3", "total_quantity"): True})
    assert [copy.published[k] for k in copy.contrib] == [False, False, True]
    assert cells.published == ref.published  # the copy's marks are its own
