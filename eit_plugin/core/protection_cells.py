"""The cells of the statistical secret: who contributes to each figure of a public table,
the relations between figures (a total and its parts), primary and secondary suppression,
and the zone / commune tables. Used by ``core.protection`` (see its docstring)."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import confidentiality as conf
from .protection_registry import Cells, _merge  # noqa: F401 - the register, used by the step's modules

FAMILY_UNITS = {"heat": "mwh", "energy": "mwh", "water": "m3", "waste": "t", "material": "t"}
HEAT_CLASSES = (("heat_supply_lt60_mwh", None, 60.0), ("heat_supply_60_90_mwh", 60.0, 90.0),
                ("heat_supply_ge90_mwh", 90.0, None))
HEAT_UNKNOWN = "heat_supply_temp_unknown_mwh"
CLEARANCE_M = 50.0
# a drawn vertex is never this close to one establishment, even inside a group of >= 3
MIN_GAP_M = 10.0
GRID_SIZES_M = (250.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0, 16000.0, 32000.0, 64000.0, 128000.0)



def safe_positions(tree, points, k: int, clearance_m: float = CLEARANCE_M, gap_m: float = MIN_GAP_M) -> np.ndarray:
    """Whether each point may be drawn: within ``clearance_m`` there are no establishments or
    at least ``k`` (the point designates a group, not a firm), and none within ``gap_m``.
    Points are judged as written (0.1 m), so the auditor reading them back agrees.
    O(n log m) for n points and m establishments (see ``safety``)."""
    return safety(tree, points, k, clearance_m, gap_m)[0]


def safety(tree, points, k: int, clearance_m: float = CLEARANCE_M, gap_m: float = MIN_GAP_M):
    """``(safe, nearest)`` of each point: ``safe_positions`` and the distance to the nearest
    establishment (inf beyond ``clearance_m`` + 1 m). One batched nearest-neighbour query
    bounded at the clearance, then one batched count of the neighbours within ``clearance_m``
    for the points that need it (nearest between ``gap_m`` and ``clearance_m``)."""
    pts = np.round(np.asarray(points, dtype=float).reshape(-1, 2), 1)
    if tree is None or not len(pts):
        return np.ones(len(pts), dtype=bool), np.full(len(pts), np.inf)
    nearest = tree.query(pts, distance_upper_bound=clearance_m + 1.0)[0]
    ok = nearest >= gap_m
    # a point whose nearest establishment is farther than clearance_m has none within it (the
    # ball count compares the same squared distances): only the others are counted
    ask = ok & (nearest <= clearance_m)
    if ask.any():
        around = tree.query_ball_point(pts[ask], clearance_m, return_length=True)
        ok[ask] = (around == 0) | (around >= k)
    return ok, nearest


SECRET_TEXT = "n.d. (secret statistique)"
OTHERS_TEXT = "autres : n.d. (secret statistique)"

# Synergy columns that are firm figures or point at a firm: emptied in public outputs.
SYNERGY_WITHHELD = (
    "supply_flow_id", "demand_flow_id", "supplier_siret", "receiver_siret", "supplier_name", "receiver_name",
    "quantity", "quantity_demand", "distance_m", "score", "co2_avoided_t", "supply_temperature_c",
    "demand_temperature_c", "route_length_m", "straight_m", "cop", "hp_electricity_mwh", "mwh_recovered",
    "tonnes_diverted", "pm10_avoided_kg", "nox_avoided_kg", "value_eur", "transport_cost_eur", "net_benefit_eur",
    "note", "x1", "y1", "x2", "y2",
)
CLUSTER_WITHHELD = ("members", "member_names", "siret", "site_x", "site_y", "median_x", "median_y",
                    "site_mean_distance_m", "span_m", "hull_wkt", "min_siret")
CLUSTER_FIGURES = ("total_quantity", "cost_saving_eur", "co2_avoided_t", "land_need_m2")
SYNERGY_IMPACTS = ("mwh_recovered", "tonnes_diverted", "co2_avoided_t", "pm10_avoided_kg", "nox_avoided_kg")


def _lower(frame: pd.DataFrame) -> dict:
    return {str(c).lower(): c for c in frame.columns}


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _num(series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce")


def figure_columns(frame: pd.DataFrame) -> list:
    """The firm-figure columns of a zone/commune table (housing figures are not firm data)."""
    return [c for c in frame.columns if str(c).lower().endswith(("_mwh", "_m3", "_t"))
            and not str(c).lower().startswith("housing_")]


# Rule -----------------------------------------------------------------------------------------
@dataclass
class Rule:
    min_contributors: int = conf.MIN_CONTRIBUTORS
    max_share: float = conf.MAX_SHARE

    def check(self, contributions: dict, total: float | None = None):
        """``(ok, reason)`` for a figure. ``contributions``: establishment → its part (a
        two-firm figure is credited to both firms); ``total``: the figure (default: the sum)."""
        values = {k: abs(float(v)) for k, v in contributions.items() if v == v and abs(float(v)) > 0}
        if not values:
            return True, ""  # nothing from any firm: an empty cell (0) reveals nothing
        if len(values) < self.min_contributors:
            return False, conf.REASON_FEW.format(self.min_contributors, len(values))
        denominator = abs(float(total)) if total is not None and total == total and total else sum(values.values())
        share = max(values.values()) / denominator if denominator > 0 else 1.0
        if share > self.max_share + 1e-12:
            return False, conf.REASON_DOMINANT.format(int(math.floor(min(share, 1.0) * 100)),
                                                      int(round(self.max_share * 100)))
        return True, ""


# Contributions from flows ---------------------------------------------------------------------
def _texts(series) -> np.ndarray:
    """``_text`` of every value, computed once per distinct value. O(n)."""
    codes, uniques = pd.factorize(pd.Series(series, copy=False), use_na_sentinel=True)
    table = np.array([_text(v) for v in uniques] + [""], dtype=object)
    return table[codes]  # code -1 (None, NaN) is the last entry: ""


def _labels(label, *columns) -> np.ndarray:
    """``label(*values)`` of each row, built once per distinct combination of values (one
    text object shared by the rows, not one per row). O(n log n) in rows."""
    if not len(columns[0]):
        return np.zeros(0, dtype=object)
    codes, uniques = zip(*(pd.factorize(c.to_numpy(dtype=object)) for c in columns))
    shape = [len(u) for u in uniques]
    distinct, inverse = np.unique(np.ravel_multi_index(codes, shape), return_inverse=True)
    combos = zip(*(i.tolist() for i in np.unravel_index(distinct, shape)))
    table = np.empty(len(distinct), dtype=object)
    table[:] = [label(*(u[i] for u, i in zip(uniques, combo))) for combo in combos]
    return table[inverse]


def flow_cells(flows: pd.DataFrame) -> pd.DataFrame:
    """One row per (flow, figure column it adds to): ``siret, zone_id, column, quantity``.
    Columns: ``{family}_{direction}_{unit}``, the heat classes, ``waste_res:{resource}`` and
    ``waste_ch:{chapter}`` (the parts behind ``waste_by_resource`` / ``waste_by_chapter``).
    Vectorised, O(flows)."""
    cols = ["siret", "zone_id", "column", "quantity"]
    if flows is None or flows.empty:
        return pd.DataFrame(columns=cols)
    lower = _lower(flows)
    f = pd.DataFrame({
        "siret": _texts(flows[lower["siret"]]),
        "zone_id": _texts(flows[lower["zone_id"]]) if "zone_id" in lower else "",
        "family": _texts(flows[lower["family"]]),
        "direction": _texts(flows[lower["direction"]]),
        "resource": _texts(flows[lower["resource"]]) if "resource" in lower else "",
        "quantity": _num(flows[lower["quantity"]]).fillna(0.0).to_numpy(),
        "temperature_c": _num(flows[lower["temperature_c"]]).to_numpy() if "temperature_c" in lower else np.nan,
        "ewc_code": _texts(flows[lower["ewc_code"]]) if "ewc_code" in lower else "",
    })
    f = f[f["siret"] != ""]
    parts = []
    base = f.assign(column=_labels(lambda fam, d: "{}_{}_{}".format(fam, d, FAMILY_UNITS.get(fam, "t")),
                                   f["family"], f["direction"]))
    parts.append(base[cols])
    heat = f[(f["family"] == "heat") & (f["direction"] == "supply")]
    t = heat["temperature_c"]
    for column, low, high in HEAT_CLASSES:
        mask = t.notna()
        if low is not None:
            mask &= t >= low
        if high is not None:
            mask &= t < high
        parts.append(heat[mask].assign(column=column)[cols])
    parts.append(heat[t.isna()].assign(column=HEAT_UNKNOWN)[cols])
    waste = f[(f["family"] == "waste") & (f["direction"] == "supply")]
    parts.append(waste.assign(column=_labels(lambda r: "waste_res:" + r, waste["resource"]))[cols])
    codes, uniques = pd.factorize(waste["ewc_code"])
    chapters = np.array(["waste_ch:" + ("".join(ch for ch in c if ch.isdigit())[:2] or "?") for c in uniques],
                        dtype=object)
    parts.append(waste.assign(column=chapters[codes] if len(codes) else [])[cols])
    return pd.concat(parts, ignore_index=True)


def _contribution_rows(cells: pd.DataFrame, key) -> pd.DataFrame:
    """``key, column, siret, quantity``: each establishment's part of each (key, column),
    sorted by key, column, siret. ``key``: a column name of ``cells`` or a Series aligned
    with it. O(n log n) in rows."""
    if cells.empty:
        return pd.DataFrame({"key": [], "column": [], "siret": [], "quantity": []})
    by = [cells[key] if isinstance(key, str) else key, cells["column"], cells["siret"]]
    grouped = cells["quantity"].groupby(by, sort=True).sum()
    index = grouped.index
    return pd.DataFrame({"key": index.get_level_values(0), "column": index.get_level_values(1),
                         "siret": index.get_level_values(2), "quantity": grouped.to_numpy()})


def _contributions(cells: pd.DataFrame, key_col: str) -> dict:
    """``{(key, column): {siret: quantity}}`` (small tables; the registers use ``_contribution_rows``)."""
    out: dict = {}
    rows = _contribution_rows(cells, key_col)
    for key, column, siret, q in zip(rows["key"], rows["column"], rows["siret"], rows["quantity"].tolist()):
        out.setdefault((key, column), {})[siret] = float(q)
    return out


def _close(a, b) -> bool:
    a, b = float(a), float(b)
    return abs(a - b) <= max(0.01, 1e-6 * max(abs(a), abs(b)))


def _close_arrays(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.abs(a - b) <= np.maximum(0.01, 1e-6 * np.maximum(np.abs(a), np.abs(b)))


# Territorial figures (zones, communes) ---------------------------------------------------------
def _zone_commune_cells(cells_reg: Cells, zones, communes, flows):
    """Register the figure cells of zones and communes and their relations.
    O(flows log flows + zones × figures + communes × figures)."""
    fc = flow_cells(flows)
    zl = _lower(zones)
    zone_ids = _texts(zones[zl["zone_id"]]).tolist()
    insee_col = zl.get("insee")
    insee_of = dict(zip(zone_ids, _texts(zones[insee_col]).tolist() if insee_col else [""] * len(zones)))
    fc = fc[fc["zone_id"].isin(set(zone_ids))]
    _zone_cells(cells_reg, zones, zone_ids, _contribution_rows(fc, "zone_id"))
    if communes is not None and not communes.empty:
        by_commune = _contribution_rows(fc, fc["zone_id"].map(insee_of).rename("insee"))  # no copy of fc
        _commune_cells(cells_reg, communes, insee_of, by_commune)


def _value(value) -> float:
    return 0.0 if value is None or value != value else float(value)


def _values(frame: pd.DataFrame) -> np.ndarray:
    """``_value`` of every cell of a table of figures (rows × columns)."""
    if not len(frame.columns):
        return np.zeros((len(frame), 0))
    return np.column_stack([_num(frame[c]).to_numpy(dtype=float) for c in frame.columns]) \
        if len(frame) else np.zeros((0, len(frame.columns)))


def _register(cells_reg: Cells, keys: list, cell_of_row: np.ndarray, rows: pd.DataFrame, values, known=None):
    """Register ``keys`` with the contribution ``rows`` (``cell_of_row``: index into ``keys``,
    -1 for rows of no cell); ``known`` None: checked against the figures as ``_close``."""
    keep = cell_of_row >= 0
    cell = cell_of_row[keep]
    order = np.argsort(cell, kind="stable")  # a cell's rows keep their siret order
    cell = cell[order]
    sirets = rows["siret"].to_numpy(dtype=object)[keep][order]
    q = rows["quantity"].to_numpy(dtype=float)[keep][order]
    values = np.nan_to_num(np.asarray(values, dtype=float), nan=0.0) if known is None else values
    if known is None:
        sums = np.bincount(cell, weights=q, minlength=len(keys))  # sequential, as Python's sum
        known = _close_arrays(sums, values)
        values = values.tolist()
    cells_reg.add_block(keys, cell, sirets, q, values, known)


def _zone_cells(cells_reg: Cells, zones, zone_ids, rows: pd.DataFrame) -> None:
    """Zone figures (checked against the flows they sum: a mismatch means unknown coverage),
    the parts behind the waste texts, and the relations heat classes → heat supply, parts →
    waste supply. ``rows``: ``_contribution_rows`` by zone. O(zones × figures + rows)."""
    zfig = [c for c in figure_columns(zones) if "_balance_" not in str(c).lower()]
    names = [str(c).lower() for c in zfig]
    # one cell per zone id (a repeated id: its last row's figures, as registered again)
    last = pd.Series(np.arange(len(zone_ids)), index=pd.Index(zone_ids, dtype=object)).groupby(level=0, sort=False).last()
    uzones = last.index.tolist()
    values = _values(zones[zfig])[last.to_numpy()] if len(zfig) else np.zeros((len(uzones), 0))
    keys = [("zones", z, c) for z in uzones for c in names]
    zpos = pd.Index(uzones, dtype=object).get_indexer(rows["key"].to_numpy(dtype=object))
    cpos = pd.Index(names, dtype=object).get_indexer(rows["column"].to_numpy(dtype=object)) if names \
        else np.full(len(rows), -1)
    fig_row = (zpos >= 0) & (cpos >= 0)
    _register(cells_reg, keys, np.where(fig_row, zpos * max(len(names), 1) + cpos, -1), rows, values.ravel())
    column = rows["column"].astype(str)
    is_part = (column.str.startswith("waste_res:") | column.str.startswith("waste_ch:")).to_numpy()
    part_rows = rows[is_part]
    if len(part_rows):
        pk = list(zip(part_rows["key"].tolist(), part_rows["column"].tolist()))
        first = np.r_[True, [a != b for a, b in zip(pk[1:], pk[:-1])]]
        cell = np.cumsum(first) - 1
        part_keys = [("zones", z, c) for (z, c), f in zip(pk, first) if f]
        sums = np.bincount(cell, weights=part_rows["quantity"].to_numpy(dtype=float))
        _register(cells_reg, part_keys, cell, part_rows, sums.tolist(), np.ones(len(part_keys), dtype=bool))
    classes = [c for c, *_ in HEAT_CLASSES] + [HEAT_UNKNOWN]
    for zid in zone_ids:
        cells_reg.relate(("zones", zid, "heat_supply_mwh"), [("zones", zid, c) for c in classes])
        parts = cells_reg.columns.get(("zones", zid), [])
        for prefix in ("waste_res:", "waste_ch:"):
            cells_reg.relate(("zones", zid, "waste_supply_t"), [("zones", zid, c) for c in parts if c.startswith(prefix)])


def _commune_cells(cells_reg: Cells, communes, insee_of: dict, by_commune: pd.DataFrame) -> None:
    """Commune and EPCI figures, and the relations zones → commune → EPCI, classes → heat.
    O(communes × figures + rows)."""
    cl = _lower(communes)
    cfig = [c for c in figure_columns(communes) if "_balance_" not in str(c).lower()]
    names = [str(c).lower() for c in cfig]
    levels = [v or "commune" for v in _texts(communes[cl["level"]])] if "level" in cl else ["commune"] * len(communes)
    codes = _texts(communes[cl.get("code", cl.get("insee"))]).tolist()
    epci_of = dict(zip(codes, _texts(communes[cl["epci_siren"]]).tolist())) if "epci_siren" in cl else {}
    zones_of: dict = {}
    for zid, insee in insee_of.items():
        zones_of.setdefault(insee, []).append(zid)
    communes_of: dict = {}
    for level, code in zip(levels, codes):
        if level == "commune" and epci_of.get(code):
            communes_of.setdefault(epci_of[code], []).append(code)
    values = _values(communes[cfig])
    row_of = {}  # (level, code) -> its last row (a repeated row is registered again)
    for i, key in enumerate(zip(levels, codes)):
        row_of[key] = i
    ukeys = list(row_of)
    keys = [("communes", key, name) for key in ukeys for name in names]
    vals = values[list(row_of.values())].ravel() if len(names) else np.zeros(0)
    rows = _commune_rows(ukeys, names, communes_of, by_commune)
    _register(cells_reg, keys, rows["cell"].to_numpy(dtype=np.int64), rows, vals)
    _commune_relations(cells_reg, levels, codes, names, zones_of, communes_of)


def _commune_rows(ukeys: list, names: list, communes_of: dict, by_commune: pd.DataFrame) -> pd.DataFrame:
    """``cell, siret, quantity`` of the commune table's cells (cell = row × len(names) + column):
    a commune its own flows, an EPCI the abs parts of its communes per establishment (summed
    in the communes' order, as ``_merge``). O(rows log rows)."""
    targets = [(i, key[1], 0) for i, key in enumerate(ukeys) if key[0] != "epci"]
    targets += [(i, c, j) for i, key in enumerate(ukeys) if key[0] == "epci" for j, c in enumerate(communes_of.get(key[1], []))]
    t = pd.DataFrame(targets, columns=["row", "key", "order"])
    t = t.merge(by_commune, on="key", how="inner") if len(by_commune) and len(t) else \
        t.assign(column=[], siret=[], quantity=[]).iloc[:0]
    col = pd.Index(names, dtype=object).get_indexer(t["column"].to_numpy(dtype=object)) if names else np.full(len(t), -1)
    t = t[col >= 0].assign(cell=t["row"].to_numpy()[col >= 0] * max(len(names), 1) + col[col >= 0])
    is_epci = np.array([key[0] == "epci" for key in ukeys] + [False], dtype=bool)[t["row"].to_numpy(dtype=np.int64)]
    own = t[~is_epci].sort_values(["cell", "siret"], kind="stable")
    epci = t[is_epci].sort_values(["cell", "order"], kind="stable")
    if len(epci):
        codes_, uniq = pd.factorize(pd.MultiIndex.from_arrays([epci["cell"].to_numpy(), epci["siret"].to_numpy(dtype=object)]),
                                    sort=True)
        merged = np.bincount(codes_, weights=np.abs(epci["quantity"].to_numpy(dtype=float)))  # in commune order, as _merge
        epci = pd.DataFrame({"cell": uniq.get_level_values(0).to_numpy(dtype=np.int64),
                             "siret": uniq.get_level_values(1).to_numpy(dtype=object), "quantity": merged})
    return pd.concat([own[["cell", "siret", "quantity"]], epci[["cell", "siret", "quantity"]]], ignore_index=True)


def _commune_relations(cells_reg: Cells, levels, codes, names, zones_of: dict, communes_of: dict) -> None:
    """Zones → commune, communes → EPCI, heat classes → heat supply; related once every cell
    exists (EPCI rows may come before their communes)."""
    classes = [c for c, *_ in HEAT_CLASSES] + [HEAT_UNKNOWN]
    relations = []
    for level, code in zip(levels, codes):
        key = (level, code)
        for name in names:
            if level == "epci":
                parts = [("communes", ("commune", c), name) for c in communes_of.get(code, [])]
            else:
                parts = [("zones", z, name) for z in zones_of.get(code, [])]
            relations.append((("communes", key, name), parts))
        relations.append((("communes", key, "heat_supply_mwh"), [("communes", key, c) for c in classes]))
    for total, parts in relations:
        cells_reg.relate(total, parts)


def _fmt_fr(value: float) -> str:
    text = "{:,.1f}".format(float(value)).replace(",", "\u00a0").replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def _balance_columns(frame: pd.DataFrame) -> dict:
    """``{balance column: (supply column, demand column)}`` (actual column names)."""
    lower = _lower(frame)
    out = {}
    for family, unit in FAMILY_UNITS.items():
        b = lower.get("{}_balance_{}".format(family, unit))
        s = lower.get("{}_supply_{}".format(family, unit))
        d = lower.get("{}_demand_{}".format(family, unit))
        if b is not None:
            out[b] = (s, d)
    return out


def _public_territorial(frame: pd.DataFrame, kind: str, keys: list, cells_reg: Cells) -> pd.DataFrame:
    """``frame`` with its withheld figures emptied, balances recomputed from what is shown and
    ``secret_fields``. Column-wise, O(rows × figures)."""
    out = frame.copy()
    balances = _balance_columns(out)
    figs = [c for c in figure_columns(out) if c not in balances]
    withheld = {}
    for col in figs:
        name = str(col).lower()
        shown = cells_reg.published_of([(kind, key, name) for key in keys])
        if not shown.all():
            out[col] = out[col].where(shown, np.nan)
        withheld[str(col)] = ~shown
    for b, (s, d) in balances.items():
        if s is None or d is None:
            valid = np.zeros(len(out), dtype=bool)
        else:
            valid = (out[s].notna() & out[d].notna()).to_numpy()
        if s is not None and d is not None and valid.any():
            diff = out[s].where(valid).astype(float) - out[d].where(valid).astype(float)
            out[b] = diff.where(valid, np.nan)
        else:
            out[b] = np.nan
        withheld[str(b)] = withheld.get(str(b), np.zeros(len(out), dtype=bool)) | ~valid
    names = sorted(withheld)
    matrix = np.column_stack([withheld[n] for n in names]) if names else np.zeros((len(out), 0), dtype=bool)
    out["secret_fields"] = [", ".join(n for n, w in zip(names, row) if w) for row in matrix.tolist()]
    return out


def _parts_texts(cells_reg: Cells, zids: list, prefix: str) -> list:
    """For each zone, ``"key: qty; key: qty"`` (largest first) from the published parts, plus
    a note when some parts are withheld; None when the zone has no such flow.
    O(zones + parts log parts)."""
    columns, value, published = cells_reg.columns, cells_reg.value, cells_reg.published
    texts = {}
    for zid in dict.fromkeys(zids):
        keys = [("zones", zid, c) for c in columns.get(("zones", zid), ()) if c.startswith(prefix)]
        if not keys:
            continue
        shown = sorted(((value[k], k[2][len(prefix):]) for k in keys if published[k]), key=lambda t: (-t[0], t[1]))
        items = ["{}: {}".format(name, _fmt_fr(v)) for v, name in shown]
        if len(shown) < len(keys):
            items.append(OTHERS_TEXT)
        texts[zid] = "; ".join(items)
    return [texts.get(zid) for zid in zids]


POTENTIAL_FR = {"high": "élevé", "medium": "moyen", "low": "faible", "none": "nul"}


def _zone_reasons(zones: pd.DataFrame, lower: dict) -> list:
    """The EIT-potential reason of each zone, from counts only (the quantities behind the
    matches are firm figures: they are in the zone's published columns when they pass the
    rule). O(zones)."""
    n = len(zones)

    def column(name):
        return zones[lower[name]] if name in lower else pd.Series([None] * n, index=zones.index, dtype=object)

    pots = [p or "none" for p in _texts(column("eit_potential"))]
    n_int = _num(column("n_internal_matches")).fillna(0).to_numpy(dtype=float).astype(np.int64).tolist()
    n_nb = _num(column("n_neighbour_matches")).fillna(0).to_numpy(dtype=float).astype(np.int64).tolist()
    return [_reason_text(p, a, b) for p, a, b in zip(pots, n_int, n_nb)]


def _reason_text(pot: str, n_int: int, n_nb: int) -> str:
    if pot == "none":
        return "Potentiel nul : aucune correspondance ressource/besoin compatible dans la zone ni avec ses voisines."
    parts = []
    if n_int:
        parts.append("{} appariement(s) interne(s)".format(n_int))
    if n_nb:
        parts.append("{} avec les zones voisines".format(n_nb))
    return "Potentiel {} : {} (quantités : voir les colonnes publiées de la zone).".format(
        POTENTIAL_FR.get(pot, pot), " et ".join(parts) or "correspondances ressource/besoin")
