"""Where a shared facility may go: facility rules on planning zones and the suggested site
of a cluster (weighted geometric median, then the admissible candidate of least weighted
distance). See ``core.clustering`` for the method."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from .cluster_geometry import weiszfeld

NO_FACILITY = "none"

FACILITY_LABELS = {
    "collection_point": ("aire de collecte mutualisée", "shared collection area"),
    "sorting_platform": ("plateforme de tri/transit", "sorting/transfer platform"),
    "heat_plant": ("chaufferie ou centrale mutualisée", "shared boiler/energy plant"),
    "water_treatment": ("unité de traitement des eaux", "water treatment unit"),
    "storage": ("stockage commun", "shared storage"),
}
MEMBER_CANDIDATES = 64  # members nearest to the median tried as sites


# Facility rules on zones --------------------------------------------------------------------
def _tokens(value: str) -> set:
    out, cur = set(), []
    for ch in value:
        if ch.isalnum():
            cur.append(ch)
        elif cur:
            out.add("".join(cur))
            cur = []
    if cur:
        out.add("".join(cur))
    return out


def _column_text(column: pd.Series) -> tuple:
    """``(codes, texts)``: each zone's code into the distinct upper-case texts of ``column``
    (missing = empty text, the last entry)."""
    codes, uniq = pd.factorize(column)  # missing values: code -1
    return codes, pd.Series(list(uniq) + [None], dtype=object).fillna("").astype(str).str.strip().str.upper()


def _rule_mask(column: pd.Series, match: str, value: str, prepared=None) -> np.ndarray:
    """Zones whose ``column`` matches the rule; each distinct text is tested once
    (a zone layer repeats a few dozen labels): O(n + u·t) for u distinct texts.
    ``prepared``: ``_column_text(column)`` when already computed."""
    codes, text = prepared if prepared is not None else _column_text(column)
    value = value.strip().upper()
    if match == "equals":
        hit = (text == value).to_numpy()
    elif match == "prefix":
        hit = text.str.startswith(value).to_numpy()
    else:
        hit = np.array([value in _tokens(t) for t in text], dtype=bool)
    return hit[codes]  # code -1 (missing) takes the last entry, the empty text


def _zone_label(row) -> str:
    parts = []
    for col, name in (("libelle", "LIBELLE"), ("typezone", "TYPEZONE"), ("destdomi", "DESTDOMI"), ("formdomi", "FORMDOMI")):
        val = row.get(col)
        if val is not None and not (isinstance(val, float) and math.isnan(val)) and str(val).strip():
            parts.append("{} {}".format(name, str(val).strip()))
    return "zone {} ({})".format(row.get("zone_id"), ", ".join(parts)) if parts else "zone {}".format(row.get("zone_id"))


class _Reasons:
    """The reason of each zone (French), written when asked for: a site search reads the
    reasons of a few zones, not of every zone of the territory."""

    def __init__(self, zone_frame: pd.DataFrame, allow_rule: np.ndarray, forbid_rule: np.ndarray):
        self.columns = {c: zone_frame[c].to_numpy(dtype=object) for c in
                        ("zone_id", "libelle", "typezone", "destdomi", "formdomi") if c in zone_frame.columns}
        self.allow_rule, self.forbid_rule = allow_rule, forbid_rule

    def __len__(self) -> int:
        return len(self.allow_rule)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        i = range(len(self))[i]  # negative indexes, IndexError beyond the end
        label = _zone_label({c: v[i] for c, v in self.columns.items()})
        if self.forbid_rule[i]:
            return "{} : interdit par la règle {}".format(label, self.forbid_rule[i])
        if self.allow_rule[i]:
            return "{} : autorisé par la règle {}".format(label, self.allow_rule[i])
        return "{} : aucune règle ne l'autorise".format(label)

    def __iter__(self):
        return (self[i] for i in range(len(self)))


def facility_admissibility(zone_frame: pd.DataFrame, facility: str, rules: pd.DataFrame, texts=None):
    """For each zone: ``(allowed bool array, reasons)`` for ``facility``; ``reasons[i]``
    is the reason of zone ``i`` (a sequence written on demand).

    A zone is allowed when an ``allow`` rule for the facility (or ``*``) matches and no
    ``forbid`` rule does; the reason names the deciding rule (French, for planners).
    O(rules × zones) vectorised, each distinct zone text matched once; ``texts`` (a dict)
    keeps each column's distinct texts between calls."""
    n = len(zone_frame)
    texts = {} if texts is None else texts
    allow_rule = np.full(n, "", dtype=object)
    forbid_rule = np.full(n, "", dtype=object)
    for row in rules.itertuples(index=False):
        targets = row.facility.split()
        if "*" not in targets and facility not in targets:
            continue
        if row.field not in texts:
            column = zone_frame[row.field] if row.field in zone_frame.columns else pd.Series([None] * n)
            texts[row.field] = _column_text(column.reset_index(drop=True))
        mask = _rule_mask(None, row.match, row.value, texts[row.field])
        text = "{} ({})".format(row.rule_id, row.label_fr)
        slot = allow_rule if row.decision == "allow" else forbid_rule
        slot[mask & (slot == "")] = text
    allowed = (allow_rule != "") & (forbid_rule == "")
    return allowed, _Reasons(zone_frame, allow_rule, forbid_rule)


# Zones ----------------------------------------------------------------------------------------
class _ZoneCandidates:
    """Zone lookups for site search: admissibility per facility (cached) and the zones
    whose bounding box lies within a radius of a point (KD-tree on box centres)."""

    def __init__(self, zones, rules: pd.DataFrame):
        self.zones = zones
        self.frame = zones.frame.reset_index(drop=True)
        self.ids = self.frame["zone_id"].astype(str).to_numpy()
        self.index = {z: i for i, z in enumerate(self.ids)}
        self.rules = rules
        self._admissible = {}
        self._texts = {}  # zone column -> its distinct texts, shared by the facilities
        bbox = getattr(zones, "bbox", None)
        if bbox is None:
            pts = np.array([zones.point_on_surface(z) for z in self.ids], dtype=float).reshape(-1, 2)
            bbox = np.column_stack([pts, pts])
        self.bbox = np.asarray(bbox, dtype=float).reshape(-1, 4)
        valid = np.isfinite(self.bbox).all(axis=1)
        centre = (self.bbox[:, :2] + self.bbox[:, 2:]) / 2.0
        half = np.hypot(self.bbox[:, 2] - self.bbox[:, 0], self.bbox[:, 3] - self.bbox[:, 1]) / 2.0
        self.valid_idx = np.flatnonzero(valid)
        # Two KD-trees on box centres: most zones (reach = 95th percentile of half-diagonals)
        # and the few large ones (A, N zones; reach = the largest half-diagonal).
        limit = float(np.quantile(half[valid], 0.95)) if valid.any() else 0.0
        self.reach = limit
        self.big = self.valid_idx[half[self.valid_idx] > limit]
        self.big_reach = float(half[self.big].max()) if len(self.big) else 0.0
        self.big_tree = cKDTree(centre[self.big]) if len(self.big) else None
        small = self.valid_idx[half[self.valid_idx] <= limit]
        self.small = small
        self.tree = cKDTree(centre[small]) if len(small) else None

    def admissible(self, facility: str):
        if facility not in self._admissible:
            self._admissible[facility] = facility_admissibility(self.frame, facility, self.rules, self._texts)
        return self._admissible[facility]

    def near(self, x: float, y: float, radius: float) -> np.ndarray:
        found = []
        if self.tree is not None:
            found.extend(self.small[self.tree.query_ball_point((x, y), radius + self.reach)])
        if self.big_tree is not None:
            found.extend(self.big[self.big_tree.query_ball_point((x, y), radius + self.big_reach)])
        if not found:
            return np.zeros(0, dtype=np.int64)
        idx = np.unique(np.asarray(found, dtype=np.int64))
        b = self.bbox[idx]
        dx = np.maximum(np.maximum(b[:, 0] - x, 0), x - b[:, 2])
        dy = np.maximum(np.maximum(b[:, 1] - y, 0), y - b[:, 3])
        return idx[np.hypot(dx, dy) <= radius]

    def point_in(self, zone_index: int, x: float, y: float):
        """The point of the zone nearest to (x, y), or its point on surface."""
        zid = self.ids[zone_index]
        nearest = getattr(self.zones, "nearest_point", None)
        if nearest is not None:
            return nearest(zid, x, y)
        return self.zones.point_on_surface(zid)


def _join(values) -> str:
    return ", ".join(sorted({str(v) for v in values if v is not None and str(v) not in ("", "nan", "None")}))


def _site_candidates(xy, mx, my, allowed, zone_cands, member_zones, search_m):
    """Candidate sites: the median, the members nearest to it, the allowed zones near the cluster."""
    cand_xy, cand_zone, cand_kind = [], [], []
    # 1. the median itself
    zid = zone_cands.zones.assign(np.array([mx]), np.array([my]))[0][0]
    cand_xy.append((mx, my))
    cand_zone.append(zid)
    cand_kind.append("median")
    # 2. members nearest to the median
    if len(xy) > MEMBER_CANDIDATES:
        near_members = np.sort(np.argsort(np.hypot(xy[:, 0] - mx, xy[:, 1] - my), kind="stable")[:MEMBER_CANDIDATES])
    else:
        near_members = np.arange(len(xy))
    for i in near_members:
        cand_xy.append(tuple(xy[i]))
        cand_zone.append(member_zones[i] if member_zones is not None else None)
        cand_kind.append("member")
    if member_zones is None:
        zs = zone_cands.zones.assign(np.array([c[0] for c in cand_xy[1:]]), np.array([c[1] for c in cand_xy[1:]]))[0]
        cand_zone[1:] = zs
    # 3. allowed zones near the cluster: their point nearest to the median
    radius = float(np.hypot(xy[:, 0] - mx, xy[:, 1] - my).max()) + search_m
    near_zones = zone_cands.near(mx, my, radius)
    for zi in near_zones:
        if allowed[zi]:
            px, py = zone_cands.point_in(int(zi), mx, my)
            if math.isfinite(px) and math.isfinite(py):
                cand_xy.append((px, py))
                cand_zone.append(zone_cands.ids[zi])
                cand_kind.append("zone")
    return cand_xy, cand_zone, cand_kind, radius


def _no_site_reason(cand_zone, member_zones, zone_cands, reasons, label_fr, radius) -> str:
    """Why no candidate is admissible (French): the zones of the members and of the median."""
    seen = []
    for z in [cand_zone[0], *(member_zones if member_zones is not None else cand_zone[1:])]:
        if z is not None and str(z) in zone_cands.index:
            r = reasons[zone_cands.index[str(z)]]
            if r not in seen:
                seen.append(r)
    outside = sum(1 for z in cand_zone if z is None)
    why = "Aucune zone autorisant l'équipement « {} » à moins de {:.0f} m du point médian.".format(label_fr, radius)
    if seen:
        why += " Zones des membres et du point médian : " + " ; ".join(seen[:6]) + ("…" if len(seen) > 6 else "") + "."
    if outside:
        why += " {} position(s) candidate(s) hors de toute zone.".format(outside)
    why += " Ajuster le règlement (destinations autorisées) ou réserver un emplacement (ER) dans une zone d'activités voisine."
    return why


def _site_reason(b, cand_zone, cand_kind, ok, costs, best_cost, reasons, zone_cands) -> str:
    """Why the chosen site (French): its kind, its zone's rule, the cost over the optimum."""
    zone_reason = reasons[zone_cands.index[str(cand_zone[b])]]
    kind_fr = {"median": "point médian pondéré (optimum)", "member": "position d'un membre",
               "zone": "point de la zone autorisée le plus proche du point médian"}[cand_kind[b]]
    text = "Site : {} ; {}.".format(kind_fr, zone_reason)
    if cand_kind[b] != "median":
        mz = cand_zone[0]
        if mz is None:
            text += " Le point médian est hors de toute zone."
        elif not ok[0]:
            text += " Le point médian est exclu ({}).".format(reasons[zone_cands.index[str(mz)]])
        extra = costs[b] - best_cost
        if extra > 0.5:
            text += " Distance moyenne aux membres +{:.0f} m par rapport à l'optimum.".format(extra)
    return text


def suggest_site(xy, weights, facility: str, zone_cands: _ZoneCandidates | None, member_zones=None,
                 search_m: float = 500.0) -> dict:
    """Suggested site of the shared facility for members at ``xy`` weighted by ``weights``.

    Returns ``site_x, site_y, site_zone, site_kind`` (``median``/``member``/``zone``),
    ``site_mean_distance_m`` (quantity-weighted mean distance to the members), ``median_x``,
    ``median_y`` and ``site_reason`` (French)."""
    xy = np.asarray(xy, dtype=float)
    w = np.asarray(weights, dtype=float)
    w = np.where(np.isfinite(w) & (w > 0), w, 0.0)
    if w.sum() <= 0:
        w = np.ones(len(xy))
    mx, my = weiszfeld(xy, w)

    def cost(c):
        c = np.asarray(c, dtype=float).reshape(-1, 2)
        d = np.hypot(xy[None, :, 0] - c[:, None, 0], xy[None, :, 1] - c[:, None, 1])
        return (d * w[None, :]).sum(axis=1) / w.sum()

    out = {"median_x": mx, "median_y": my, "site_x": math.nan, "site_y": math.nan, "site_zone": None,
           "site_kind": None, "site_mean_distance_m": math.nan, "site_reason": ""}
    label_fr = FACILITY_LABELS.get(facility, (facility, facility))[0]
    if facility == NO_FACILITY:
        out["site_reason"] = "Action sans équipement à implanter (achat groupé) : pas de site."
        return out
    if zone_cands is None:
        out.update(site_x=mx, site_y=my, site_kind="median", site_mean_distance_m=float(cost((mx, my))[0]),
                   site_reason="Point médian pondéré par les quantités ; aucune couche de zonage fournie : "
                               "l'admissibilité de l'équipement « {} » n'a pas été vérifiée.".format(label_fr))
        return out
    allowed, reasons = zone_cands.admissible(facility)
    cand_xy, cand_zone, cand_kind, radius = _site_candidates(xy, mx, my, allowed, zone_cands, member_zones, search_m)
    ok = np.array([z is not None and str(z) in zone_cands.index and bool(allowed[zone_cands.index[str(z)]])
                   for z in cand_zone], dtype=bool)
    costs = cost(np.array(cand_xy))
    best_cost = float(costs.min())
    if not ok.any():
        out["site_reason"] = _no_site_reason(cand_zone, member_zones, zone_cands, reasons, label_fr, radius)
        return out
    masked = np.where(ok, costs, np.inf)
    order = np.lexsort((np.arange(len(masked)), masked))
    b = int(order[0])
    out.update(site_x=float(cand_xy[b][0]), site_y=float(cand_xy[b][1]), site_zone=str(cand_zone[b]),
               site_kind=cand_kind[b], site_mean_distance_m=float(costs[b]))
    out["site_reason"] = _site_reason(b, cand_zone, cand_kind, ok, costs, best_cost, reasons, zone_cands)
    return out
