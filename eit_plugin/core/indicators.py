"""Zone indicators: activity, flows per family, housing heat demand, mixity and EIT potential.

Plain tables in, plain tables out (no QGIS). The QGIS layer (``qgis_io.zones``) assigns each
flow to a zone (``zone_id``, ``n_zones``) and finds neighbouring zones; this module does the
arithmetic:

- ``compute_zone_indicators(zones, flows, adjacency, rules, ...)`` → one row per zone;
- ``aggregate_communes(zone_table, est, epci)`` → one row per commune and per EPCI;
- ``load_housing_assumptions(path)`` → the documented density / heat-per-dwelling table.

Definitions (also in the algorithm's help):

- ``mixity_index = ½·B + ½·D`` with ``B = 2·min(L, E) / (L + E)`` the housing/activity
  balance (L dwellings, E estimated jobs, or establishments when jobs are unknown; 1 when
  balanced, 0 when the zone is single-use) and ``D = −Σ pᵢ ln pᵢ / ln S`` the Shannon
  evenness of the zone's establishments over NAF sections (S = number of sections present
  in the whole territory, at least 2). NULL when the zone has neither dwellings nor jobs.
- ``eit_potential``: for each compatibility rule (supply resource → demand resource, with its
  temperature conditions), a *match* exists when the zone holds both the supply and the
  demand (internal) or holds one of them while an adjacent zone (touching or within the
  neighbour distance) holds the other (neighbouring). Score = 2 × internal + neighbouring
  matches (distinct resource pairs): ``high`` when ≥ 4 with at least one internal match,
  ``medium`` when ≥ 2, ``low`` when 1, ``none`` when 0. Housing heat demand counts as a
  ``space_heating`` demand.

Cost: O(F + Z·R + A·R) for F flows, Z zones, A adjacent pairs and R rules (pandas merges).
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from ..i18n import tr
from . import formatting
from . import units as units_mod
from .housing import (  # noqa: F401 - zone_function, label_function, read_census are used through indicators.*
    DESTDOMI_FUNCTION,
    calibrate_housing,
    label_function,
    read_census,
    typezone_class,
    zone_communes,
    zone_function,
)
from .zone_matches import matches as _matches

FAMILY_UNITS = {"heat": ("MWh", "mwh"), "energy": ("MWh", "mwh"), "water": ("m3", "m3"),
                "waste": ("t", "t"), "material": ("t", "t")}
FAMILIES = tuple(FAMILY_UNITS)
HEAT_CLASSES = (("lt60", -math.inf, 60.0), ("60_90", 60.0, 90.0), ("ge90", 90.0, math.inf))
POTENTIAL_FR = {"high": "élevé", "medium": "moyen", "low": "faible", "none": "nul"}
HOUSING_RESOURCE = "space_heating"

# NAF rév. 2 division → section (INSEE).
_SECTION_RANGES = (("A", 1, 3), ("B", 5, 9), ("C", 10, 33), ("D", 35, 35), ("E", 36, 39), ("F", 41, 43),
                   ("G", 45, 47), ("H", 49, 53), ("I", 55, 56), ("J", 58, 63), ("K", 64, 66), ("L", 68, 68),
                   ("M", 69, 75), ("N", 77, 82), ("O", 84, 84), ("P", 85, 85), ("Q", 86, 88), ("R", 90, 93),
                   ("S", 94, 96), ("T", 97, 98), ("U", 99, 99))
_DIVISION_SECTION = {d: s for s, lo, hi in _SECTION_RANGES for d in range(lo, hi + 1)}

def naf_section(code) -> str | None:
    """``'10.51C'`` → ``'C'`` (None when the code has no valid division)."""
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return None
    digits = "".join(ch for ch in str(code)[:3] if ch.isdigit())[:2]
    if len(digits) < 2:
        return None
    return _DIVISION_SECTION.get(int(digits))


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


# Reference tables ----------------------------------------------------------------------------
def _reference_dir() -> Path:
    from ..paths import REFERENCE_DIR

    return REFERENCE_DIR


def load_housing_assumptions(path=None) -> pd.DataFrame:
    """``parameter, zone_class, period, value, unit, source, rationale`` (shipped CSV by default)."""
    path = Path(path) if path else _reference_dir() / "housing_assumptions.csv"
    table = pd.read_csv(path, dtype={"parameter": str, "zone_class": str, "period": str, "unit": str})
    missing = [c for c in ("parameter", "zone_class", "period", "value", "source") if c not in table.columns]
    if missing:
        from .errors import EitInputError

        raise EitInputError(tr("Housing assumptions file {} lacks the columns {}.").format(path, ", ".join(missing)))
    return table


def _assumption(table: pd.DataFrame, parameter: str, zone_class: str = "any", period: str = "any") -> float:
    lookup = _assumption_lookup(table)
    for zc in (zone_class, "any"):
        for pe in (period, "any"):
            if (parameter, zc, pe) in lookup:
                return lookup[(parameter, zc, pe)]
    return 0.0


def _assumption_lookup(table: pd.DataFrame) -> dict:
    """``{(parameter, zone_class, period): value}``, first row wins (cached on the frame)."""
    cached = table.attrs.get("_lookup")
    if cached is None:
        cached = {}
        for p, zc, pe, v in zip(table["parameter"], table["zone_class"], table["period"], table["value"]):
            cached.setdefault((str(p), str(zc), str(pe)), float(v))
        table.attrs["_lookup"] = cached
    return cached


def load_rules(path=None) -> pd.DataFrame:
    """Compatibility rules: ``core.reference.load_compatibility`` when present, else the CSV."""
    try:
        from .reference import load_compatibility
    except ImportError:
        load_compatibility = None
    if load_compatibility is not None:
        return load_compatibility(path)
    return pd.read_csv(Path(path) if path else _reference_dir() / "compatibility.csv")


def _resource_labels() -> dict:
    try:
        from .reference import load_taxonomy

        taxonomy = load_taxonomy()
    except Exception:  # noqa: BLE001 - labels are cosmetic: fall back to the codes
        try:
            taxonomy = pd.read_csv(_reference_dir() / "taxonomy.csv")
        except Exception:  # noqa: BLE001
            return {}
    if "code" not in taxonomy.columns or "label_fr" not in taxonomy.columns:
        return {}
    return {c: lbl[:1].lower() + lbl[1:] if isinstance(lbl, str) and lbl else c
            for c, lbl in zip(taxonomy["code"], taxonomy["label_fr"])}


def fmt_fr(value: float) -> str:
    """``12345.6`` → ``'12 346'`` (French thousands separator)."""
    small = value is not None and not (isinstance(value, float) and math.isnan(value)) and abs(value) < 10
    return formatting.number(value, 1 if small else 0, "fr", missing="?")


# Flow preparation ----------------------------------------------------------------------------
def prepare_flows(flows: pd.DataFrame, feedback=None) -> pd.DataFrame:
    """Flows with ``qty`` in the family's canonical unit; rows that cannot be converted or
    whose family is unknown are dropped with one warning per kind of problem."""
    frame = flows.copy(deep=False)  # columns are replaced, never written in place
    for col in ("zone_id", "siret", "naf", "direction", "resource", "family", "unit", "ewc_code"):
        if col not in frame.columns:
            frame[col] = None
    for col in ("quantity", "temperature_c"):
        if col not in frame.columns:
            frame[col] = np.nan
    if "n_zones" not in frame.columns:
        frame["n_zones"] = np.where(frame["zone_id"].isna(), 0, 1)
    frame["family"] = _by_unique(frame["family"], lambda v: None if _blank(v) else str(v).strip().lower())
    frame["direction"] = _by_unique(frame["direction"], lambda v: None if _blank(v) else str(v).strip().lower())
    known = frame["family"].isin(FAMILIES) & frame["direction"].isin(("supply", "demand"))
    if (~known).any() and feedback is not None:
        feedback.warning(tr("{} flows have an unknown family or direction and are left out of the zone totals.").format(int((~known).sum())))
    frame = frame[known].set_axis(pd.RangeIndex(int(known.sum())), copy=False)  # reset_index without a copy
    canon = frame["family"].map({f: u[0] for f, u in FAMILY_UNITS.items()})
    # Convert each distinct (unit, canonical unit) pair once, then map by code.
    unit_key = frame["unit"].astype(object).where(frame["unit"].notna(), "").astype(str)
    codes, uniques = pd.factorize(unit_key + "\x1f" + canon.astype(str))
    pairs = pd.Series(uniques).str.split("\x1f", n=1, expand=True) if len(uniques) else pd.DataFrame({0: [], 1: []})
    pair_factor, _problem = units_mod.factors(pairs[0], pairs[1])
    factor = np.asarray(pair_factor, dtype=float)[codes] if len(codes) else np.zeros(0)
    bad = np.isnan(factor)
    if bad.any() and feedback is not None:
        feedback.warning(tr("{} flows have a unit that cannot be converted to their family's unit and are left out of the zone totals.").format(int(bad.sum())))
    frame["qty"] = pd.to_numeric(frame["quantity"], errors="coerce").to_numpy(dtype=float) * factor
    frame["temperature_c"] = pd.to_numeric(frame["temperature_c"], errors="coerce")
    frame = frame[~bad & frame["qty"].notna()].pipe(lambda f: f.set_axis(pd.RangeIndex(len(f)), copy=False))
    return frame


def _by_unique(series: pd.Series, fn) -> pd.Series:
    """``fn`` applied once per distinct value (fast on millions of rows with few codes)."""
    codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    mapped = np.array([fn(u) for u in uniques] + [fn(None)], dtype=object)
    return pd.Series(mapped[codes], index=series.index, dtype=object)


def zone_establishments(flows: pd.DataFrame, establishments: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per establishment: ``siret``, ``zone_id``, ``section``, ``jobs`` (NaN unknown).

    From ``establishments`` (needs ``siret``, ``naf``, ``zone_id``, optional
    ``headcount_est``) when given, else from the flows' distinct SIRETs (jobs from a
    ``headcount_est`` column when the flows carry one)."""
    if establishments is not None and len(establishments.columns):
        src = establishments.copy(deep=False)
    else:
        src = flows.copy(deep=False)
    for col in ("siret", "naf", "zone_id"):
        if col not in src.columns:
            src[col] = None
    jobs = pd.to_numeric(src["headcount_est"], errors="coerce") if "headcount_est" in src.columns else pd.Series(np.nan, index=src.index)
    est = pd.DataFrame({"siret": src["siret"], "zone_id": src["zone_id"], "naf": src["naf"], "jobs": jobs})
    est = est[est["siret"].notna()].sort_values(["siret", "zone_id"], na_position="last", kind="mergesort")
    est = est.drop_duplicates("siret", keep="first").reset_index(drop=True)
    codes = est["naf"].astype(object).where(est["naf"].notna(), None)
    unique = {c: naf_section(c) for c in pd.unique(codes)}
    est["section"] = [unique[c] for c in codes]
    return est


# Indicators ----------------------------------------------------------------------------------
def _housing(zones: pd.DataFrame, housing: pd.DataFrame | None, table: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"zone_id": zones["zone_id"]})
    future = zones["is_future"].to_numpy(dtype=bool)
    func = zones["zone_function"].to_numpy(dtype=object)
    area_ha = pd.to_numeric(zones["area_m2"], errors="coerce").fillna(0.0).to_numpy() / 10_000.0
    # Only urban (U) and to-be-urbanised (AU) zones are estimated from a density: A and N zones
    # (Ah/Nh hamlets included) hold scattered buildings whose count a density cannot give; their
    # dwellings come from a HOUSING layer only.
    urban = zones["typezone_class"].isin(["U", "AU"]).to_numpy()
    density = np.array([_assumption(table, "dwellings_per_ha", f, "future" if fu else "existing")
                        if f in ("habitat", "mixte") and u else 0.0 for f, fu, u in zip(func, future, urban)])
    mwh_per_dw = np.array([_assumption(table, "heat_mwh_per_dwelling", "any", "future" if fu else "existing") for fu in future])
    est_dw = density * area_ha
    est_heat = est_dw * mwh_per_dw
    source = np.where(density > 0, "density_assumption",
                      np.where(np.isin(func, ["inconnu"]) & ~zones["typezone_class"].isin(["A", "N"]).to_numpy(),
                               "unknown_destination", "none")).astype(object)
    if housing is None:
        out["housing_dwellings"] = est_dw
        out["housing_heat_demand_mwh"] = est_heat
        out["housing_source"] = source
        return out
    floor = _assumption(table, "floor_m2_per_dwelling")
    h = housing.copy()
    for col in ("dwellings", "heated_area_m2"):
        h[col] = pd.to_numeric(h[col], errors="coerce") if col in h.columns else np.nan
    h = h[h["zone_id"].notna()]
    # Dwellings in a future (AU) zone are planned ones: new-build heat figures.
    fut = h["zone_id"].map(dict(zip(zones["zone_id"], zones["is_future"]))).fillna(False).to_numpy(dtype=bool)
    kwh = np.where(fut, _assumption(table, "heat_kwh_per_m2", "any", "future"), _assumption(table, "heat_kwh_per_m2", "any", "existing"))
    mwh = np.where(fut, _assumption(table, "heat_mwh_per_dwelling", "any", "future"),
                   _assumption(table, "heat_mwh_per_dwelling", "any", "existing"))
    dw = h["dwellings"].where(h["dwellings"].notna(), h["heated_area_m2"] / floor if floor > 0 else np.nan)
    heat = np.where(h["heated_area_m2"].notna(), h["heated_area_m2"].to_numpy() * kwh / 1000.0, h["dwellings"].to_numpy() * mwh)
    per_zone = pd.DataFrame({"zone_id": h["zone_id"], "dw": dw.fillna(0.0), "heat": np.nan_to_num(heat)}).groupby("zone_id").sum()
    layer_dw = out["zone_id"].map(per_zone["dw"])
    layer_heat = out["zone_id"].map(per_zone["heat"])
    has_layer = layer_dw.notna().to_numpy()
    # Existing zones: the HOUSING layer is the truth (0 where it has nothing). Future (AU)
    # zones with no dwelling in the layer yet: the density assumption (future demand).
    use_estimate = future & ~has_layer
    out["housing_dwellings"] = np.where(use_estimate, est_dw, layer_dw.fillna(0.0))
    out["housing_heat_demand_mwh"] = np.where(use_estimate, est_heat, layer_heat.fillna(0.0))
    out["housing_source"] = np.where(use_estimate & (density > 0), "density_assumption",
                                     np.where(has_layer, "housing_layer", "none")).astype(object)
    return out


def _mixity(dwellings, activity, sections_by_zone: dict, zone_ids, s_ref: int):
    balance = np.where(dwellings + activity > 0, 2.0 * np.minimum(dwellings, activity) / np.maximum(dwellings + activity, 1e-12), 0.0)
    evenness = np.zeros(len(zone_ids))
    log_s = math.log(max(s_ref, 2))
    for i, z in enumerate(zone_ids):
        counts = sections_by_zone.get(z)
        if counts is None or len(counts) < 2:
            continue
        p = np.asarray(counts, dtype=float) / float(np.sum(counts))
        evenness[i] = float(-(p * np.log(p)).sum() / log_s)
    evenness = np.clip(evenness, 0.0, 1.0)
    mixity = np.where(dwellings + activity > 0, 0.5 * balance + 0.5 * evenness, np.nan)
    return balance, evenness, mixity


ROLE_FR = {"S": " (besoin voisin)", "D": " (ressource voisine)", None: ""}


def _zone_reason(potential, internal, neighbour, n_supply, n_demand, n_neighbours, labels, has_housing) -> str:
    """French sentence; ``internal``/``neighbour``: lists of (supply, demand, matched, unit, role)."""
    def item(row):
        s_res, d_res, matched, unit, role = row
        return "{} → {}{} : {} {}/an".format(labels.get(s_res, s_res), labels.get(d_res, d_res), ROLE_FR.get(role, ""),
                                              fmt_fr(matched), unit)

    if potential == "none":
        if n_supply + n_demand == 0 and not has_housing:
            return "Potentiel nul : aucun flux d'activité ni logement recensé dans la zone."
        return ("Potentiel nul : aucune correspondance ressource/besoin compatible dans la zone ni avec ses {} zone(s) "
                "voisine(s) ({} flux de ressources, {} flux de besoins dans la zone).").format(n_neighbours, n_supply, n_demand)
    parts = []
    if internal:
        parts.append("{} appariement(s) interne(s) ({})".format(len(internal), " ; ".join(item(r) for r in internal[:3])))
    if neighbour:
        parts.append("{} avec les zones voisines ({})".format(len(neighbour), " ; ".join(item(r) for r in neighbour[:3])))
    return "Potentiel {} : {}.".format(POTENTIAL_FR[potential], " et ".join(parts))


def _rows_by_zone(frame: pd.DataFrame) -> dict:
    out: dict = {}
    roles = frame["role"] if "role" in frame.columns else [None] * len(frame)
    for zid, s_res, d_res, matched, unit, role in zip(frame["zone_id"], frame["supply_resource"], frame["demand_resource"],
                                                      frame["matched"], frame["unit"], roles):
        out.setdefault(zid, []).append((s_res, d_res, matched, unit, role))
    return out


def compute_zone_indicators(zones: pd.DataFrame, flows: pd.DataFrame, adjacency: pd.DataFrame | None = None,
                            rules: pd.DataFrame | None = None, establishments: pd.DataFrame | None = None,
                            housing: pd.DataFrame | None = None, assumptions: pd.DataFrame | None = None,
                            unzoned_nearest: pd.Series | None = None, feedback=None,
                            est: pd.DataFrame | None = None, census: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per zone (same order as ``zones``) with every indicator of ``ZONE_FIELDS``.

    ``zones``: ``zone_id``, ``typezone``, ``area_m2`` (+ optional ``destdomi``, ``formdomi``,
    ``destoui``). ``flows``: the flow table with ``zone_id`` (None outside every zone) and
    optional ``n_zones`` (how many zones contain the flow). ``adjacency``: ``zone_a, zone_b``
    pairs of neighbouring zones. ``rules``: compatibility rules (``load_rules()`` when None).
    ``establishments``: optional ``siret, naf, headcount_est, zone_id``. ``housing``:
    optional ``zone_id, dwellings, heated_area_m2`` per housing feature. ``unzoned_nearest``:
    for flows outside every zone, the nearest zone's id (index aligned with ``flows``).
    ``est``: the result of ``zone_establishments(flows, establishments)`` when the caller
    already has it (computed here otherwise). ``census``: optional ``insee, dwellings`` per
    commune (``read_census``): the density estimate of existing zones is scaled to it
    (``calibrate_housing``).
    """
    table = assumptions if assumptions is not None else load_housing_assumptions()
    rules = load_rules() if rules is None else rules
    z = pd.DataFrame({"zone_id": zones["zone_id"].astype(str).to_numpy()})
    for col in ("typezone", "destdomi", "formdomi", "destoui", "libelong"):
        z[col] = zones[col].to_numpy() if col in zones.columns else None
    z["area_m2"] = pd.to_numeric(zones["area_m2"], errors="coerce").fillna(0.0).to_numpy() if "area_m2" in zones.columns else 0.0
    z["typezone_class"] = [typezone_class(t) for t in z["typezone"]]
    z["is_future"] = z["typezone_class"] == "AU"
    z["zone_function"] = [zone_function(a, b, c, t, lab) for a, b, c, t, lab in
                         zip(z["destdomi"], z["formdomi"], z["destoui"], z["typezone"], z["libelong"])]
    z["area_ha"] = z["area_m2"] / 10_000.0
    ids = z["zone_id"]

    raw = flows.copy(deep=False)  # read only: no second copy of a million flows
    if "zone_id" not in raw.columns:
        raw["zone_id"] = None
    if unzoned_nearest is not None:
        near = pd.Series(unzoned_nearest, index=raw.index)
        near = near[raw["zone_id"].isna()]
        z["n_flows_unzoned"] = ids.map(near.value_counts()).fillna(0).astype(int).to_numpy()
    else:
        z["n_flows_unzoned"] = 0
    f = prepare_flows(raw, feedback)
    zf = f[f["zone_id"].notna()]
    z["n_flows"] = ids.map(zf.groupby("zone_id").size()).fillna(0).astype(int)
    multi = zf[pd.to_numeric(zf["n_zones"], errors="coerce").fillna(1) >= 2]
    z["n_flows_multi"] = ids.map(multi.groupby("zone_id").size()).fillna(0).astype(int)

    est = zone_establishments(raw, establishments) if est is None else est
    zest = est[est["zone_id"].notna()]
    z["n_establishments"] = ids.map(zest.groupby("zone_id").size()).fillna(0).astype(int)
    jobs = zest.groupby("zone_id")["jobs"].sum(min_count=1)
    z["jobs_est"] = ids.map(jobs).astype(float)
    z["naf_sections"] = ids.map(zest.dropna(subset=["section"]).groupby("zone_id")["section"].nunique()).fillna(0).astype(int)

    # Per family supply / demand / balance.
    sums = zf.groupby(["zone_id", "family", "direction"])["qty"].sum()
    for fam, (_canon, suffix) in FAMILY_UNITS.items():
        for direction in ("supply", "demand"):
            key = "{}_{}_{}".format(fam, direction, suffix)
            try:
                series = sums.xs((fam, direction), level=("family", "direction"))
            except KeyError:
                series = pd.Series(dtype=float)
            z[key] = ids.map(series).fillna(0.0).astype(float)
        z["{}_balance_{}".format(fam, suffix)] = z["{}_supply_{}".format(fam, suffix)] - z["{}_demand_{}".format(fam, suffix)]
    heat_s = zf[(zf["family"] == "heat") & (zf["direction"] == "supply")]
    t = heat_s["temperature_c"]
    for name, lo, hi in HEAT_CLASSES:
        sel = heat_s[(t >= lo) & (t < hi)]
        z["heat_supply_{}_mwh".format(name)] = ids.map(sel.groupby("zone_id")["qty"].sum()).fillna(0.0)
    z["heat_supply_temp_unknown_mwh"] = ids.map(heat_s[t.isna()].groupby("zone_id")["qty"].sum()).fillna(0.0)
    waste = zf[(zf["family"] == "waste") & (zf["direction"] == "supply")]
    z["waste_by_resource"] = ids.map(_breakdown(waste, waste["resource"]))
    chapters = pd.Series(["".join(ch for ch in str(c) if ch.isdigit())[:2] if not _blank(c) else "?" for c in waste["ewc_code"]],
                         index=waste.index, dtype=object)
    z["waste_by_chapter"] = ids.map(_breakdown(waste, chapters))

    # Housing and mixity.
    hz = _housing(z, housing, table)
    if census is not None:
        z["insee"] = zone_communes(zones)
        hz = calibrate_housing(hz, z, census)
    z["housing_dwellings"] = hz["housing_dwellings"].to_numpy(dtype=float)
    z["housing_heat_demand_mwh"] = hz["housing_heat_demand_mwh"].to_numpy(dtype=float)
    z["housing_source"] = hz["housing_source"].to_numpy()
    activity = np.where(z["jobs_est"].notna(), z["jobs_est"].fillna(0.0), z["n_establishments"]).astype(float)
    sections = _section_counts(zest)
    s_ref = int(est["section"].dropna().nunique())
    b, e, m = _mixity(z["housing_dwellings"].to_numpy(), activity, sections, list(ids), s_ref)
    z["activity_balance"], z["naf_evenness"], z["mixity_index"] = b, e, m

    # EIT potential.
    labels = _resource_labels()
    z = _potential(z, zf, rules, adjacency, labels)
    return z


def _section_counts(est: pd.DataFrame, key: str = "zone_id") -> dict:
    """``{zone: array of establishment counts per NAF section (sorted by section)}``."""
    counts = est.dropna(subset=["section"]).groupby([key, "section"]).size().sort_index()
    out: dict = {}
    for (zid, _section), n in zip(counts.index, counts.to_numpy()):
        out.setdefault(zid, []).append(n)
    return {k: np.asarray(v) for k, v in out.items()}


def _breakdown(frame: pd.DataFrame, keys: pd.Series) -> pd.Series:
    """``"key: qty; key: qty"`` per zone, largest first."""
    if frame.empty:
        return pd.Series(dtype=object)
    tmp = pd.DataFrame({"zone_id": frame["zone_id"].to_numpy(), "key": keys.to_numpy(), "qty": frame["qty"].to_numpy()})
    grouped = tmp.groupby(["zone_id", "key"])["qty"].sum().reset_index()
    grouped = grouped.sort_values(["zone_id", "qty", "key"], ascending=[True, False, True])
    texts: dict = {}
    for zid, k, q in zip(grouped["zone_id"], grouped["key"], grouped["qty"]):
        texts.setdefault(zid, []).append("{}: {}".format(k, fmt_fr(q)))
    return pd.Series({zid: "; ".join(parts) for zid, parts in texts.items()}, dtype=object)


def _potential(z: pd.DataFrame, zf: pd.DataFrame, rules: pd.DataFrame, adjacency, labels) -> pd.DataFrame:
    zf = zf[["zone_id", "direction", "resource", "family", "qty", "temperature_c"]]  # not the flows' other columns
    s = zf[zf["direction"] == "supply"].groupby(["zone_id", "resource"]).agg(qty=("qty", "sum"), tmax=("temperature_c", "max")).reset_index()
    d = zf[zf["direction"] == "demand"].groupby(["zone_id", "resource"]).agg(qty=("qty", "sum"), tmin=("temperature_c", "min")).reset_index()
    dfam = zf[zf["direction"] == "demand"].groupby("resource")["family"].first()
    housing = z.loc[z["housing_heat_demand_mwh"] > 0, ["zone_id", "housing_heat_demand_mwh"]]
    if len(housing):
        hd = pd.DataFrame({"zone_id": housing["zone_id"], "resource": HOUSING_RESOURCE,
                           "qty": housing["housing_heat_demand_mwh"], "tmin": np.nan})
        d = pd.concat([d, hd]).groupby(["zone_id", "resource"]).agg(qty=("qty", "sum"), tmin=("tmin", "min")).reset_index()
    m = _matches(s, d, rules, adjacency)
    fam = m["demand_resource"].map(dfam).fillna("heat")
    m["unit"] = [FAMILY_UNITS.get(f, ("", ""))[0] for f in fam]
    # Per zone: internal pairs (the zone is both sides), neighbour pairs (the zone is one side).
    internal = m[m["internal"].astype(bool)].copy()
    internal["zone_id"] = internal["zone_s"]
    nb = m[~m["internal"].astype(bool)]
    nb_rows = pd.concat([nb.assign(zone_id=nb["zone_s"], role="S"), nb.assign(zone_id=nb["zone_d"], role="D")], ignore_index=True)
    # One neighbour match per (zone, role, resource pair): the largest matched quantity.
    nb_rows = nb_rows.sort_values(["zone_id", "role", "supply_resource", "demand_resource", "matched"], ascending=[True, True, True, True, False])
    nb_rows = nb_rows.drop_duplicates(["zone_id", "role", "supply_resource", "demand_resource"])
    internal = internal.sort_values(["zone_id", "priority", "matched", "supply_resource", "demand_resource"], ascending=[True, True, False, True, True])
    nb_rows = nb_rows.sort_values(["zone_id", "priority", "matched", "supply_resource", "demand_resource"], ascending=[True, True, False, True, True])
    n_int = z["zone_id"].map(internal.groupby("zone_id").size()).fillna(0).astype(int)
    n_nb = z["zone_id"].map(nb_rows.groupby("zone_id").size()).fillna(0).astype(int)
    score = 2 * n_int + n_nb
    potential = np.where((score >= 4) & (n_int >= 1), "high", np.where(score >= 2, "medium", np.where(score >= 1, "low", "none")))
    z["n_internal_matches"] = n_int.to_numpy()
    z["n_neighbour_matches"] = n_nb.to_numpy()
    z["eit_potential"] = potential
    n_sup = z["zone_id"].map(zf[zf["direction"] == "supply"].groupby("zone_id").size()).fillna(0).astype(int)
    n_dem = z["zone_id"].map(zf[zf["direction"] == "demand"].groupby("zone_id").size()).fillna(0).astype(int)
    if adjacency is not None and len(adjacency):
        deg = pd.concat([adjacency["zone_a"], adjacency["zone_b"]]).value_counts()
        n_neigh = z["zone_id"].map(deg).fillna(0).astype(int)
    else:
        n_neigh = pd.Series(0, index=z.index)
    int_groups = _rows_by_zone(internal)
    nb_groups = _rows_by_zone(nb_rows)
    z["eit_potential_reason"] = [
        _zone_reason(pot, int_groups.get(zid, []), nb_groups.get(zid, []), ns, nd, nn, labels, hh > 0)
        for zid, pot, ns, nd, nn, hh in zip(z["zone_id"], potential, n_sup, n_dem, n_neigh, z["housing_heat_demand_mwh"])
    ]
    return z


# Commune / EPCI aggregate ----------------------------------------------------------------
SUM_COLUMNS = ("area_ha", "n_flows", "n_flows_multi", "n_flows_unzoned", "n_establishments", "housing_dwellings",
               "housing_heat_demand_mwh", "heat_supply_lt60_mwh", "heat_supply_60_90_mwh", "heat_supply_ge90_mwh",
               "heat_supply_temp_unknown_mwh")


def load_epci(path=None) -> pd.DataFrame | None:
    """``insee, commune, epci_siren, epci_name`` from ``communes_epci.csv``; None when absent."""
    path = Path(path) if path else _reference_dir() / "communes_epci.csv"
    if not path.exists():
        return None
    table = pd.read_csv(path, dtype=str)
    if "insee" not in table.columns:
        return None
    for col in ("commune", "epci_siren", "epci_name"):
        if col not in table.columns:
            table[col] = None
    return table[["insee", "commune", "epci_siren", "epci_name"]].drop_duplicates("insee")


def aggregate_communes(zone_table: pd.DataFrame, est: pd.DataFrame, epci: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rows per commune (``level = 'commune'``, ``code`` = INSEE) and per EPCI (``level =
    'epci'``, ``code`` = SIREN) from the zone indicators (``zone_id``, ``insee`` + indicator
    columns) and the establishments table of ``zone_establishments``. Zones without INSEE
    are grouped under code ``''``; EPCI rows only when ``epci`` is given.
    Columns: ``level, code, name, epci_siren, epci_name, n_zones`` + sums + ``naf_sections``,
    ``mixity_index``, ``n_zones_high``, ``n_zones_medium``, ``n_zones_low``, ``zone_ids``."""
    zt = zone_table.copy()
    zt["insee"] = [str(v).strip() if not _blank(v) else "" for v in zt.get("insee", pd.Series("", index=zt.index))]
    flow_cols = ["{}_{}_{}".format(fam, d, suffix) for fam, (_c, suffix) in FAMILY_UNITS.items()
                 for d in ("supply", "demand", "balance")]
    insee_of_zone = dict(zip(zt["zone_id"], zt["insee"]))
    e = est[est["zone_id"].notna()].copy()
    e["insee"] = e["zone_id"].map(insee_of_zone)
    levels = [("commune", "insee")]
    if epci is not None:
        names = epci.set_index("insee")
        zt["commune"] = zt["insee"].map(names["commune"])
        zt["epci_siren"] = zt["insee"].map(names["epci_siren"])
        zt["epci_name"] = zt["insee"].map(names["epci_name"])
        e["epci_siren"] = e["insee"].map(names["epci_siren"])
        levels.append(("epci", "epci_siren"))
    else:
        zt["commune"] = None
        zt["epci_siren"] = None
        zt["epci_name"] = None
    s_ref = int(est["section"].dropna().nunique())
    sum_cols = [c for c in (*SUM_COLUMNS, *flow_cols) if c in zt.columns]
    for col in sum_cols:
        zt[col] = pd.to_numeric(zt[col], errors="coerce")
    rows = []
    for level, key in levels:
        groups = zt[zt[key].notna()] if level == "epci" else zt
        sums = groups.groupby(key, sort=True)[sum_cols].sum()
        sections = _section_counts(e, key) if key in e.columns else {}
        for code, g in groups.groupby(key, sort=True):
            row = {"level": level, "code": code, "n_zones": len(g)}
            if level == "commune":
                row["name"] = g["commune"].iloc[0] if g["commune"].notna().any() else None
                row["epci_siren"] = g["epci_siren"].iloc[0]
                row["epci_name"] = g["epci_name"].iloc[0]
            else:
                row["name"] = g["epci_name"].iloc[0]
                row["epci_siren"] = code
                row["epci_name"] = g["epci_name"].iloc[0]
            row.update({col: float(v) for col, v in sums.loc[code].items()})
            row["jobs_est"] = float(g["jobs_est"].sum(min_count=1)) if "jobs_est" in g.columns and g["jobs_est"].notna().any() else np.nan
            sec = sections.get(code, np.zeros(0))
            row["naf_sections"] = int(len(sec))
            activity = row["jobs_est"] if not math.isnan(row["jobs_est"]) else float(row.get("n_establishments", 0.0))
            _b, _e, mix = _mixity(np.array([row.get("housing_dwellings", 0.0)]), np.array([activity]), {code: sec}, [code], s_ref)
            row["mixity_index"] = float(mix[0])
            for cls in ("high", "medium", "low"):
                row["n_zones_{}".format(cls)] = int((g["eit_potential"] == cls).sum()) if "eit_potential" in g.columns else 0
            row["zone_ids"] = ";".join(sorted(g["zone_id"].astype(str)))
            rows.append(row)
    return pd.DataFrame(rows)
