"""The cells of the statistical secret: who contributes to each figure of a public table,
the relations between figures (a total and its parts), primary and secondary suppression,
and the zone / commune tables. Used by ``core.protection`` (see its docstring)."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import confidentiality as conf

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
    Points are judged as written (0.1 m), so the auditor reading them back agrees."""
    pts = np.round(np.asarray(points, dtype=float).reshape(-1, 2), 1)
    if tree is None or not len(pts):
        return np.ones(len(pts), dtype=bool)
    nearest = tree.query(pts)[0]
    around = tree.query_ball_point(pts, clearance_m, return_length=True)
    return (nearest >= gap_m) & ((around == 0) | (around >= k))


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


def _merge(parts) -> dict:
    out: dict = {}
    for part in parts:
        for k, v in part.items():
            out[k] = out.get(k, 0.0) + abs(float(v))
    return out


class Cells:
    """Figures (cells) with their contributions, relations total = Σ parts, and the
    primary + secondary suppression over all relations at once."""

    def __init__(self, rule: Rule):
        self.rule = rule
        self.contrib: dict = {}
        self.value: dict = {}
        self.published: dict = {}
        self.reason: dict = {}
        self.relations: list = []
        self.columns: dict = {}  # (kind, key) -> figure names registered

    def add(self, key, contributions: dict, value=None, known: bool = True):
        if key not in self.contrib:
            self.columns.setdefault(key[:2], []).append(key[2])
        self.contrib[key] = contributions
        self.value[key] = value
        if not known:
            self.published[key], self.reason[key] = False, conf.REASON_UNKNOWN
        else:
            self.published[key], self.reason[key] = self.rule.check(contributions, value)

    def relate(self, total, parts) -> None:
        parts = [p for p in parts if p in self.contrib]
        if total in self.contrib and parts:
            self.relations.append((total, parts))

    def withhold(self, key, reason) -> None:
        if self.published.get(key):
            self.published[key] = False
            self.reason[key] = reason

    def residual_unsafe(self, total, parts):
        """The withheld parts of a published total, together, fail the rule?"""
        hidden = [p for p in parts if not self.published[p] and self.contrib[p]]
        if not hidden:
            return False
        merged = _merge(self.contrib[p] for p in hidden)
        return not self.rule.check(merged)[0]

    def secondary(self) -> int:
        """Withhold more cells until no published total lets a withheld part be recomputed."""
        n = 0
        changed = True
        while changed:
            changed = False
            for total, parts in self.relations:
                if not self.published[total] or not self.residual_unsafe(total, parts):
                    continue
                candidates = sorted((p for p in parts if self.published[p] and self.contrib[p]),
                                    key=lambda p: (sum(self.contrib[p].values()), str(p)))
                self.withhold(candidates[0] if candidates else total, conf.REASON_SECONDARY)
                n += 1
                changed = True
        return n


# Contributions from flows ---------------------------------------------------------------------
def flow_cells(flows: pd.DataFrame) -> pd.DataFrame:
    """One row per (flow, figure column it adds to): ``siret, zone_id, column, quantity``.
    Columns: ``{family}_{direction}_{unit}``, the heat classes, ``waste_res:{resource}`` and
    ``waste_ch:{chapter}`` (the parts behind ``waste_by_resource`` / ``waste_by_chapter``)."""
    cols = ["siret", "zone_id", "column", "quantity"]
    if flows is None or flows.empty:
        return pd.DataFrame(columns=cols)
    lower = _lower(flows)
    f = pd.DataFrame({
        "siret": [_text(v) for v in flows[lower["siret"]]],
        "zone_id": [_text(v) for v in flows[lower["zone_id"]]] if "zone_id" in lower else "",
        "family": [_text(v) for v in flows[lower["family"]]],
        "direction": [_text(v) for v in flows[lower["direction"]]],
        "resource": [_text(v) for v in flows[lower["resource"]]] if "resource" in lower else "",
        "quantity": _num(flows[lower["quantity"]]).fillna(0.0).to_numpy(),
        "temperature_c": _num(flows[lower["temperature_c"]]).to_numpy() if "temperature_c" in lower else np.nan,
        "ewc_code": [_text(v) for v in flows[lower["ewc_code"]]] if "ewc_code" in lower else "",
    })
    f = f[f["siret"] != ""]
    parts = []
    base = f.assign(column=[
        "{}_{}_{}".format(fam, d, FAMILY_UNITS.get(fam, "t")) for fam, d in zip(f["family"], f["direction"])])
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
    parts.append(waste.assign(column=["waste_res:" + r for r in waste["resource"]])[cols])
    chapters = ["".join(ch for ch in c if ch.isdigit())[:2] or "?" for c in waste["ewc_code"]]
    parts.append(waste.assign(column=["waste_ch:" + c for c in chapters])[cols])
    return pd.concat(parts, ignore_index=True)


def _contributions(cells: pd.DataFrame, key_col: str) -> dict:
    """``{(key, column): {siret: quantity}}``."""
    out: dict = {}
    if cells.empty:
        return out
    grouped = cells.groupby([key_col, "column", "siret"], sort=True)["quantity"].sum()
    for (key, column, siret), q in grouped.items():
        out.setdefault((key, column), {})[siret] = float(q)
    return out


def _close(a, b) -> bool:
    a, b = float(a), float(b)
    return abs(a - b) <= max(0.01, 1e-6 * max(abs(a), abs(b)))


# Territorial figures (zones, communes) ---------------------------------------------------------
def _zone_commune_cells(cells_reg: Cells, zones, communes, flows):
    """Register the figure cells of zones and communes and their relations."""
    fc = flow_cells(flows)
    zl = _lower(zones)
    zone_ids = [_text(v) for v in zones[zl["zone_id"]]]
    insee_col = zl.get("insee")
    insee_of = dict(zip(zone_ids, [_text(v) for v in zones[insee_col]] if insee_col else [""] * len(zones)))
    fc = fc[fc["zone_id"].isin(set(zone_ids))]
    _zone_cells(cells_reg, zones, zone_ids, _contributions(fc, "zone_id"))
    if communes is not None and not communes.empty:
        by_commune = _contributions(fc.assign(insee=fc["zone_id"].map(insee_of)), "insee")
        _commune_cells(cells_reg, communes, insee_of, by_commune)


def _value(value) -> float:
    return 0.0 if value is None or value != value else float(value)


def _zone_cells(cells_reg: Cells, zones, zone_ids, by_zone: dict) -> None:
    """Zone figures (checked against the flows they sum: a mismatch means unknown coverage),
    the parts behind the waste texts, and the relations heat classes → heat supply, parts →
    waste supply."""
    zfig = [c for c in figure_columns(zones) if "_balance_" not in str(c).lower()]
    for zid, row in zip(zone_ids, zones[zfig].itertuples(index=False, name=None)):
        for col, value in zip(zfig, row):
            contrib = by_zone.get((zid, str(col).lower()), {})
            cells_reg.add(("zones", zid, str(col).lower()), contrib, _value(value),
                          known=_close(sum(contrib.values()), _value(value)))
    for (zid, col), contrib in by_zone.items():
        if col.startswith(("waste_res:", "waste_ch:")):
            cells_reg.add(("zones", zid, col), contrib, sum(contrib.values()))
    classes = [c for c, *_ in HEAT_CLASSES] + [HEAT_UNKNOWN]
    for zid in zone_ids:
        cells_reg.relate(("zones", zid, "heat_supply_mwh"), [("zones", zid, c) for c in classes])
        parts = cells_reg.columns.get(("zones", zid), [])
        for prefix in ("waste_res:", "waste_ch:"):
            cells_reg.relate(("zones", zid, "waste_supply_t"), [("zones", zid, c) for c in parts if c.startswith(prefix)])


def _commune_cells(cells_reg: Cells, communes, insee_of: dict, by_commune: dict) -> None:
    """Commune and EPCI figures, and the relations zones → commune → EPCI, classes → heat."""
    cl = _lower(communes)
    cfig = [c for c in figure_columns(communes) if "_balance_" not in str(c).lower()]
    levels = [_text(v) or "commune" for v in communes[cl["level"]]] if "level" in cl else ["commune"] * len(communes)
    codes = [_text(v) for v in communes[cl.get("code", cl.get("insee"))]]
    epci_of = dict(zip(codes, [_text(v) for v in communes[cl["epci_siren"]]])) if "epci_siren" in cl else {}
    zones_of: dict = {}
    for zid, insee in insee_of.items():
        zones_of.setdefault(insee, []).append(zid)
    communes_of: dict = {}
    for level, code in zip(levels, codes):
        if level == "commune" and epci_of.get(code):
            communes_of.setdefault(epci_of[code], []).append(code)
    classes = [c for c, *_ in HEAT_CLASSES] + [HEAT_UNKNOWN]
    relations = []  # related once every cell exists (EPCI rows may come before their communes)
    for level, code, row in zip(levels, codes, communes[cfig].itertuples(index=False, name=None)):
        key = (level, code)
        for col, value in zip(cfig, row):
            name = str(col).lower()
            if level == "epci":
                contrib = _merge(by_commune.get((c, name), {}) for c in communes_of.get(code, []))
                parts = [("communes", ("commune", c), name) for c in communes_of.get(code, [])]
            else:
                contrib = by_commune.get((code, name), {})
                parts = [("zones", z, name) for z in zones_of.get(code, [])]
            cells_reg.add(("communes", key, name), contrib, _value(value),
                          known=_close(sum(contrib.values()), _value(value)))
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
    out = frame.copy()
    secret = []
    balances = _balance_columns(out)
    figs = [c for c in figure_columns(out) if c not in balances]
    for i, key in zip(out.index, keys):
        withheld = []
        for col in figs:
            ck = (kind, key, str(col).lower())
            if ck in cells_reg.published and not cells_reg.published[ck]:
                out.at[i, col] = np.nan
                withheld.append(str(col))
            elif ck not in cells_reg.published:
                out.at[i, col] = np.nan
                withheld.append(str(col))
        for b, (s, d) in balances.items():
            if s is None or d is None or pd.isna(out.at[i, s]) or pd.isna(out.at[i, d]):
                out.at[i, b] = np.nan
                withheld.append(str(b))
            else:
                out.at[i, b] = float(out.at[i, s]) - float(out.at[i, d])
        secret.append(", ".join(sorted(withheld)))
    out["secret_fields"] = secret
    return out


def _parts_text(cells_reg: Cells, zid: str, prefix: str) -> str | None:
    """``"key: qty; key: qty"`` (largest first) from the published parts, plus a note when
    some parts are withheld; None when the zone has no such flow."""
    keys = [("zones", zid, c) for c in cells_reg.columns.get(("zones", zid), []) if str(c).startswith(prefix)]
    if not keys:
        return None
    shown = sorted(((cells_reg.value[k], k[2][len(prefix):]) for k in keys if cells_reg.published[k]),
                   key=lambda t: (-t[0], t[1]))
    items = ["{}: {}".format(name, _fmt_fr(v)) for v, name in shown]
    if len(shown) < len(keys):
        items.append(OTHERS_TEXT)
    return "; ".join(items)


POTENTIAL_FR = {"high": "élevé", "medium": "moyen", "low": "faible", "none": "nul"}


def _zone_reason(row: dict, lower: dict) -> str:
    """The EIT-potential reason, from counts only (the quantities behind the matches are
    firm figures: they are in the zone's published columns when they pass the rule)."""
    pot = _text(row.get(lower.get("eit_potential"))) or "none"
    n_int = int(_num(pd.Series([row.get(lower.get("n_internal_matches"))])).fillna(0).iloc[0])
    n_nb = int(_num(pd.Series([row.get(lower.get("n_neighbour_matches"))])).fillna(0).iloc[0])
    if pot == "none":
        return "Potentiel nul : aucune correspondance ressource/besoin compatible dans la zone ni avec ses voisines."
    parts = []
    if n_int:
        parts.append("{} appariement(s) interne(s)".format(n_int))
    if n_nb:
        parts.append("{} avec les zones voisines".format(n_nb))
    return "Potentiel {} : {} (quantités : voir les colonnes publiées de la zone).".format(
        POTENTIAL_FR.get(pot, pot), " et ".join(parts) or "correspondances ressource/besoin")
