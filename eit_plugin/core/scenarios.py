"""Zoning scenarios: what a zoning alternative does to industrial ecology.

Plain tables in, plain tables out (no QGIS). The algorithm ``eit:comparescenarios`` runs the
method (overlay → synergies → clusters) on the current zones and on each scenario, then calls:

- ``planned_establishments(zones)`` / ``planned_flows(zones)``: planned activities of scenario
  zones (field ``activites_prevues``, e.g. ``"52.10B:80; 25.62B:30"`` = NAF sub-class: jobs)
  become establishments and flows through the shipped estimation ratios (``core.estimation``).
- ``housing_points(zones, existing=None)``: existing and planned dwellings of the zones
  (``nb_logements``, ``nb_logements_prevus``, or a HOUSING layer for existing ones) as housing
  points for ``eit:zoneoverlay``, which applies the new-build heat figure in AU zones.
- ``load_zone_rules`` / ``rule_columns`` / ``compatibility_conflicts``: the readable rules of
  ``resources/rules/zone_compatibility.csv`` (which activities may sit next to housing, nuisance
  buffers of classified installations) applied to planned activities and planned dwellings.
- ``scenario_indicators`` / ``compare_items`` / ``comparison_table`` / ``zone_changes`` /
  ``explain``: per-scenario indicators, synergies and clusters gained or lost (matched by a stable
  key — supplier, receiver, resources — never by generated ids), the zones whose indicators change,
  and a sentence per scenario explaining the figures.
- ``zone_changes``, ``explain``, ``section_context`` and ``render_section(context)`` (the HTML section
  of the report, ``templates/scenarios.html.j2``) are in ``core.scenario_report``.
"""
from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..paths import RULES_DIR
from . import formatting, ledger, reference
from .errors import EitInputError
from .fields import DWELLING_SPELLINGS, PLANNED_DWELLING_SPELLINGS

PLANNED_ACTIVITY_SPELLINGS = ("activites_prevues", "activités_prévues", "planned_activities", "act_prevues")
PLANNED_PREFIX = "prevu_"
RULE_LEVELS = ("subclass", "class", "group", "division", "section")
VERDICTS = ("allowed", "conditional", "forbidden")

# (key, French label, English label, unit, +1 when more is better / -1 when less is better / 0 neutral)
INDICATORS = (
    ("n_synergies", "Synergies retenues", "Synergies allocated", "", 1),
    ("n_housing_heat", "Synergies chaleur → logements", "Heat-to-housing synergies", "", 1),
    ("mwh_recovered", "Énergie qui pourrait être récupérée (toutes synergies)", "Energy that could be recovered (all synergies)", "MWh/an", 1),
    ("mwh_housing", "Chaleur récupérée livrée aux logements", "Recovered heat delivered to housing", "MWh/an", 1),
    ("combustion_avoided_mwh", "Combustion évitée (chaleur substituée)", "Combustion avoided (heat displaced)", "MWh/an", 1),
    ("tonnes_diverted", "Déchets qui pourraient être valorisés au lieu d'être éliminés", "Waste that could be recovered instead of disposed of", "t/an", 1),
    ("co2_avoided_t", "CO₂ qui pourrait être évité (synergies et mutualisation, comptés une fois)", "CO₂ that could be avoided (synergies and pooling, counted once)", "t/an", 1),
    ("pm10_avoided_kg", "PM10 évitées", "PM10 avoided", "kg/an", 1),
    ("nox_avoided_kg", "NOx évités", "NOx avoided", "kg/an", 1),
    ("n_clusters", "Groupements de mutualisation", "Pooling clusters", "", 1),
    ("truck_km_avoided", "Km-camion évités (mutualisation)", "Truck-km avoided (pooling)", "km/an", 1),
    ("land_shared_m2", "Foncier des équipements partagés", "Land for shared facilities", "m²", 0),
    ("housing_dwellings", "Logements (existants + prévus)", "Dwellings (existing + planned)", "", 0),
    ("housing_heat_demand_mwh", "Besoin de chaleur des logements", "Housing heat demand", "MWh/an", 0),
    ("jobs_est", "Emplois estimés", "Estimated jobs", "", 0),
    ("mixity_mean", "Indice de mixité moyen (pondéré par la surface)", "Mean mixity index (area-weighted)", "0-1", 1),
    ("n_zones_high", "Zones à potentiel EIT élevé", "Zones with high EIT potential", "", 1),
    ("n_conflicts", "Conflits de voisinage avec l'habitat", "Conflicts with housing", "", -1),
)
INDICATOR_KEYS = tuple(i[0] for i in INDICATORS)

# Zone indicators compared zone by zone; ``extensive`` ones are summed over the current zones a
# redrawn zone covers (weighted by the share of each current zone's area), the others averaged.
ZONE_TOLERANCE_ABS = 0.5
ZONE_TOLERANCE_REL = 0.005


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (isinstance(value, str) and not value.strip())


def _column(frame: pd.DataFrame, spellings) -> str | None:
    lower = {str(c).lower(): c for c in frame.columns}
    return next((lower[s] for s in spellings if s in lower), None)


def _num(value, default=0.0) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return default if math.isnan(number) else number


# Planned activities ---------------------------------------------------------------------------
def parse_planned_activities(text, where: str = "") -> list:
    """``"52.10B:80; 25.62B:30"`` → ``[("52.10B", 80.0), ("25.62B", 30.0)]``.

    Items separated by ``;`` or ``|``; NAF sub-class (or class/group/division) and jobs separated by
    ``:`` or ``=``. A code without jobs, a negative or unreadable number of jobs, or a code that is
    not NAF rév. 2 raises ``EitInputError`` naming ``where`` (the zone) and the item.
    """
    if _blank(text):
        return []
    items = []
    for raw in re.split(r"[;|]", str(text)):
        item = raw.strip()
        if not item:
            continue
        parts = re.split(r"\s*[:=]\s*", item)
        if len(parts) != 2:
            raise EitInputError(
                "Activités prévues de la zone {}: « {} » n'est pas de la forme NAF:emplois (ex. 52.10B:80). "
                "/ Planned activities of zone {}: '{}' is not NAF:jobs (e.g. 52.10B:80).".format(where, item, where, item))
        code = reference.normalise_naf(parts[0])
        try:
            jobs = float(parts[1].replace(",", ".").replace("\u202f", "").replace(" ", ""))
        except ValueError:
            jobs = float("nan")
        if not code:
            raise EitInputError(
                "Activités prévues de la zone {}: « {} » n'est pas un code NAF rév. 2 (ex. 52.10B). "
                "/ Planned activities of zone {}: '{}' is not a NAF rev. 2 code (e.g. 52.10B).".format(
                    where, parts[0], where, parts[0]))
        if not (jobs >= 0) or math.isinf(jobs):
            raise EitInputError(
                "Activités prévues de la zone {}: nombre d'emplois « {} » illisible ou négatif pour {}. "
                "/ Planned activities of zone {}: unreadable or negative jobs '{}' for {}.".format(
                    where, parts[1], code, where, parts[1], code))
        items.append((code, jobs))
    return items


def _letters(text: str, n: int = 10) -> str:
    """A digit-free deterministic code (so that no SIREN can be read in a planned 'SIRET')."""
    digest = hashlib.sha1(text.encode("utf-8")).digest()
    return "".join(chr(ord("a") + b % 26) for b in digest[:n])


def zone_label(row) -> str:
    label = "" if _blank(row.get("libelle")) else str(row.get("libelle")).strip()
    insee = "" if _blank(row.get("insee")) else str(row.get("insee")).strip()
    if label and insee:
        return "{} ({})".format(label, insee)
    return label or insee or str(row.get("zone_id", ""))


def planned_establishments(zones: pd.DataFrame) -> pd.DataFrame:
    """Planned activities of the zones → establishments ``siret, name, naf, headcount_est, x, y, zone_id``.

    ``zones``: ``zone_id``, ``libelle``, ``insee``, ``x``, ``y`` (a point inside the zone) and the
    planned-activities column (``activites_prevues``…). The pseudo-SIRET (``prevu_`` + letters) is
    derived from the commune, zone label and NAF code, so the same planned activity keeps the same
    key in every scenario.
    """
    columns = ["siret", "name", "naf", "headcount_est", "x", "y", "zone_id", "zone_label"]
    col = _column(zones, PLANNED_ACTIVITY_SPELLINGS)
    if col is None or zones.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for row in zones.sort_values("zone_id", kind="mergesort").to_dict("records"):
        label = zone_label(row)
        for n, (code, jobs) in enumerate(parse_planned_activities(row.get(col), label)):
            key = "{}|{}|{}|{}".format(row.get("insee") or "", row.get("libelle") or "", code, n)
            rows.append({
                "siret": PLANNED_PREFIX + _letters(key),
                "name": "Activité prévue {} ({} emplois), zone {}".format(code, _fmt(jobs), label),
                "naf": code, "headcount_est": jobs, "x": _num(row.get("x"), np.nan), "y": _num(row.get("y"), np.nan),
                "zone_id": row["zone_id"], "zone_label": label,
            })
    return pd.DataFrame(rows, columns=columns)


def planned_flows(establishments: pd.DataFrame, ratios: pd.DataFrame | None = None) -> pd.DataFrame:
    """Estimated flows of planned establishments (same ratios as eit:estimateflows), with
    ``headcount_est``; ``ratio_source`` says the flow comes from a planned activity."""
    from .estimation import estimate_flows

    if establishments is None or establishments.empty:
        return pd.DataFrame()
    flows, _report = estimate_flows(establishments[["siret", "name", "naf", "headcount_est", "x", "y"]], ratios=ratios)
    if flows.empty:
        return flows
    flows = flows.copy()
    flows["ratio_source"] = "activité prévue du scénario — " + flows["ratio_source"].astype(str)
    flows["headcount_est"] = flows["siret"].map(dict(zip(establishments["siret"], establishments["headcount_est"])))
    return flows.reset_index(drop=True)


# Housing ---------------------------------------------------------------------------------------
def housing_points(zones: pd.DataFrame, assumptions: pd.DataFrame | None = None,
                   existing: pd.DataFrame | None = None) -> pd.DataFrame:
    """Housing points ``x, y, dwellings, heated_area_m2, status, zone_id`` for eit:zoneoverlay.

    Existing dwellings: the ``existing`` points (a HOUSING layer: ``x, y, dwellings`` and/or
    ``heated_area_m2``, planned ones already removed) when given, else the zones' ``nb_logements``
    field at a point inside each zone. Planned dwellings: the zones' ``nb_logements_prevus`` at a
    point inside the zone. Points carry dwellings only (no floor area) for the zones' figures: the
    overlay applies the new-build heat figure of ``housing_assumptions.csv`` (4 MWh/yr per
    dwelling as shipped, RE2020) to dwellings in AU zones and the existing-stock one (12 MWh/yr)
    elsewhere. ``assumptions`` is kept for callers that pass it; not used.
    """
    planned_col = _column(zones, PLANNED_DWELLING_SPELLINGS)
    existing_col = _column(zones, DWELLING_SPELLINGS)
    rows = []
    if existing is not None:
        for r in existing.to_dict("records"):
            dw = _num(r.get("dwellings"), np.nan)
            area = _num(r.get("heated_area_m2"), np.nan)
            if (math.isnan(dw) or dw <= 0) and (math.isnan(area) or area <= 0):
                continue
            rows.append({"x": r.get("x"), "y": r.get("y"), "dwellings": dw, "heated_area_m2": area,
                         "status": "existant", "zone_id": r.get("zone_id")})
    for r in zones.sort_values("zone_id", kind="mergesort").to_dict("records"):
        if existing is None and existing_col is not None:
            dw = _num(r.get(existing_col))
            if dw > 0:
                rows.append({"x": r.get("x"), "y": r.get("y"), "dwellings": dw, "heated_area_m2": np.nan,
                             "status": "existant", "zone_id": r["zone_id"]})
        if planned_col is not None:
            dw = _num(r.get(planned_col))
            if dw < 0:
                raise EitInputError(
                    "Zone {}: nombre de logements prévus négatif ({}). / Zone {}: negative planned dwellings ({}).".format(
                        zone_label(r), dw, zone_label(r), dw))
            if dw > 0:
                rows.append({"x": r.get("x"), "y": r.get("y"), "dwellings": dw, "heated_area_m2": np.nan,
                             "status": "projet", "zone_id": r["zone_id"]})
    return pd.DataFrame(rows, columns=["x", "y", "dwellings", "heated_area_m2", "status", "zone_id"])


def has_housing_fields(zones: pd.DataFrame) -> bool:
    return _column(zones, PLANNED_DWELLING_SPELLINGS) is not None or _column(zones, DWELLING_SPELLINGS) is not None


# Zone compatibility rules -----------------------------------------------------------------------
_RULES_CACHE: dict = {}


def default_rules_path() -> Path:
    return RULES_DIR / "zone_compatibility.csv"


def load_zone_rules(path=None) -> pd.DataFrame:
    """``zone_compatibility.csv`` → ``code, level, next_to_housing, buffer_m, label_fr, label_en,
    source, rationale`` (codes normalised: NAF section letter or NAF code). Validated: a bad row
    raises ``EitInputError`` naming the line."""
    path = Path(path) if path else default_rules_path()
    key = str(path)
    if key in _RULES_CACHE:
        return _RULES_CACHE[key].copy()
    if not path.is_file():
        raise EitInputError("Fichier de règles introuvable : {} / Rules file not found: {}".format(path, path))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    needed = ["code", "level", "next_to_housing", "buffer_m", "source", "rationale"]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise EitInputError("{}: colonnes manquantes {} / missing columns {}".format(path.name, missing, missing))
    for col in ("label_fr", "label_en"):
        if col not in frame.columns:
            frame[col] = ""
    codes, buffers = [], []
    for i, row in enumerate(frame.to_dict("records"), start=2):
        level = row["level"].strip().lower()
        code = row["code"].strip().upper() if level == "section" else reference.normalise_naf(row["code"])
        if level not in RULE_LEVELS or not code or (level == "section" and not re.fullmatch(r"[A-U]", code)) or (
                level != "section" and reference.naf_level(code) != level):
            raise EitInputError("{} ligne {} : code « {} » / niveau « {} » incohérents. / line {}: code '{}' and level "
                                "'{}' do not match.".format(path.name, i, row["code"], row["level"], i, row["code"],
                                                            row["level"]))
        verdict = row["next_to_housing"].strip().lower()
        if verdict not in VERDICTS:
            raise EitInputError("{} ligne {} : next_to_housing doit valoir allowed, conditional ou forbidden (lu « {} »). "
                                "/ line {}: next_to_housing must be allowed, conditional or forbidden.".format(
                                    path.name, i, row["next_to_housing"], i))
        try:
            buffer = float(row["buffer_m"] or 0)
        except ValueError:
            buffer = -1
        if buffer < 0:
            raise EitInputError("{} ligne {} : buffer_m « {} » n'est pas une distance en mètres. / line {}: buffer_m "
                                "is not a distance in metres.".format(path.name, i, row["buffer_m"], i))
        if not row["source"].strip() or not row["rationale"].strip():
            raise EitInputError("{} ligne {} : source (ou « assumption ») et rationale sont obligatoires. / line {}: "
                                "source (or 'assumption') and rationale are required.".format(path.name, i, i))
        codes.append(code)
        buffers.append(buffer)
    frame["code"] = codes
    frame["level"] = frame["level"].str.strip().str.lower()
    frame["next_to_housing"] = frame["next_to_housing"].str.strip().str.lower()
    frame["buffer_m"] = buffers
    if frame["code"].duplicated().any():
        dup = frame.loc[frame["code"].duplicated(), "code"].tolist()
        raise EitInputError("{} : codes en double {} / duplicate codes {}".format(path.name, dup, dup))
    _RULES_CACHE[key] = frame
    return frame.copy()


def _rule_keys(naf) -> list:
    keys = reference.naf_keys(naf)
    section = None
    if keys:
        try:
            from .indicators import naf_section

            section = naf_section(keys[0])
        except Exception:  # pragma: no cover - defensive
            section = None
    return keys + ([section] if section else [])


def rule_columns(nafs, rules: pd.DataFrame) -> pd.DataFrame:
    """Most specific rule for each NAF code: ``naf, rule_code, next_to_housing, buffer_m,
    label_fr, label_en`` (``allowed``, 0 m when no rule applies)."""
    by_code = {r["code"]: r for r in rules.to_dict("records")}
    out = []
    for naf in nafs:
        rule = next((by_code[k] for k in _rule_keys(naf) if k in by_code), None)
        if rule is None:
            out.append({"naf": naf, "rule_code": None, "next_to_housing": "allowed", "buffer_m": 0.0,
                        "label_fr": "", "label_en": ""})
        else:
            out.append({"naf": naf, "rule_code": rule["code"], "next_to_housing": rule["next_to_housing"],
                        "buffer_m": float(rule["buffer_m"]), "label_fr": rule["label_fr"], "label_en": rule["label_en"]})
    return pd.DataFrame(out, columns=["naf", "rule_code", "next_to_housing", "buffer_m", "label_fr", "label_en"])


def _activity_conflicts(planned: pd.DataFrame, zinfo: dict, rules: pd.DataFrame) -> list:
    """Planned activities ruled forbidden or conditional next to housing, in zones with dwellings."""
    rows = []
    rc = rule_columns(planned["naf"].tolist(), rules)
    for p, r in zip(planned.to_dict("records"), rc.to_dict("records")):
        z = zinfo.get(p["zone_id"], {})
        dwellings = _num(z.get("housing_dwellings"))
        if dwellings <= 0 or r["next_to_housing"] == "allowed":
            continue
        label = zone_label(z) if z else str(p["zone_id"])
        forbidden = r["next_to_housing"] == "forbidden"
        rows.append({
            "zone_id": p["zone_id"], "kind": "activity_next_to_housing",
            "severity": "conflict" if forbidden else "warning", "naf": p["naf"], "who": p["name"],
            "rule_code": r["rule_code"], "buffer_m": r["buffer_m"], "distance_m": 0.0,
            "text_fr": "Zone {} : l'activité prévue {} ({}) est {} à côté de {} logements (règle {}).".format(
                label, p["naf"], r["label_fr"] or p["naf"],
                "à exclure" if forbidden else "à encadrer (bruit, livraisons)", _fmt(dwellings), r["rule_code"]),
            "text_en": "Zone {}: the planned activity {} ({}) is {} next to {} dwellings (rule {}).".format(
                label, p["naf"], r["label_en"] or p["naf"],
                "not compatible" if forbidden else "acceptable under conditions (noise, deliveries)",
                _fmt(dwellings), r["rule_code"]),
        })
    return rows


def _buffer_conflicts(near: pd.DataFrame, own: set, zinfo: dict, rules: pd.DataFrame) -> list:
    """Planned dwellings closer to a nearby installation than its buffer (``own``: the planned
    activities of the zone itself, judged by :func:`_activity_conflicts`)."""
    rows = []
    rc = rule_columns(near["naf"].tolist(), rules)
    for n, r in zip(near.to_dict("records"), rc.to_dict("records")):
        if (n["zone_id"], n.get("siret")) in own:
            continue
        z = zinfo.get(n["zone_id"], {})
        if _num(z.get("planned_dwellings")) <= 0 or r["buffer_m"] <= 0:
            continue
        if _num(n["distance_m"], np.inf) >= r["buffer_m"]:
            continue
        label = zone_label(z) if z else str(n["zone_id"])
        rows.append({
            "zone_id": n["zone_id"], "kind": "dwellings_in_buffer",
            "severity": "conflict" if r["next_to_housing"] == "forbidden" else "warning", "naf": n["naf"],
            "who": n["name"], "rule_code": r["rule_code"], "buffer_m": r["buffer_m"],
            "distance_m": round(float(n["distance_m"]), 1),
            "text_fr": "Zone {} : {} logements prévus à {} m de {} ({}), en deçà de la distance de {} m (règle {}).".format(
                label, _fmt(_num(z.get("planned_dwellings"))), _fmt(n["distance_m"]), n["name"] or n["naf"],
                r["label_fr"] or n["naf"], _fmt(r["buffer_m"]), r["rule_code"]),
            "text_en": "Zone {}: {} planned dwellings {} m from {} ({}), within its {} m buffer (rule {}).".format(
                label, _fmt(_num(z.get("planned_dwellings"))), _fmt(n["distance_m"]), n["name"] or n["naf"],
                r["label_en"] or n["naf"], _fmt(r["buffer_m"]), r["rule_code"]),
        })
    return rows


def compatibility_conflicts(planned: pd.DataFrame, zones: pd.DataFrame, near: pd.DataFrame | None,
                            rules: pd.DataFrame) -> pd.DataFrame:
    """Planned activities and planned dwellings checked against the zone rules.

    ``planned``: planned establishments (``planned_establishments``). ``zones``: ``zone_id``,
    ``libelle``, ``insee``, ``housing_dwellings`` (existing + planned, from the overlay) and
    ``planned_dwellings``. ``near``: installations near zones with planned dwellings,
    ``zone_id, siret, name, naf, distance_m`` (computed by the caller from the geometries).

    Returns ``zone_id, kind, severity, naf, who, rule_code, buffer_m, distance_m, text_fr, text_en``:
    kind ``activity_next_to_housing`` (a planned activity ruled ``forbidden`` — severity
    ``conflict`` — or ``conditional`` — ``warning`` — in a zone with dwellings) or
    ``dwellings_in_buffer`` (planned dwellings closer to an installation than its buffer).
    """
    cols = ["zone_id", "kind", "severity", "naf", "who", "rule_code", "buffer_m", "distance_m", "text_fr", "text_en"]
    rows = []
    zinfo = {r["zone_id"]: r for r in zones.to_dict("records")}
    has_planned = planned is not None and len(planned)
    if has_planned:
        rows += _activity_conflicts(planned, zinfo, rules)
    # a planned activity inside the zone is already judged above (activity_next_to_housing)
    own = set(zip(planned["zone_id"], planned["siret"])) if has_planned else set()
    if near is not None and len(near):
        rows += _buffer_conflicts(near, own, zinfo, rules)
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["zone_id", "kind", "naf", "who"], kind="mergesort").reset_index(drop=True)


# Indicators and comparison ----------------------------------------------------------------------
def _sum(frame, column) -> float:
    if frame is None or not len(frame) or column not in frame.columns:
        return 0.0
    return float(pd.to_numeric(frame[column], errors="coerce").fillna(0.0).sum())


def scenario_indicators(zones: pd.DataFrame, synergies: pd.DataFrame | None, clusters: pd.DataFrame | None,
                        conflicts: pd.DataFrame | None = None) -> dict:
    """The scenario's figures (``INDICATORS`` keys) from the overlay zones, synergies and clusters."""
    syn = synergies if synergies is not None else pd.DataFrame()
    clu = clusters if clusters is not None else pd.DataFrame()
    out = {k: 0.0 for k in INDICATOR_KEYS}
    out["n_synergies"] = float(len(syn))
    if len(syn):
        kind = syn["kind"].astype(str) if "kind" in syn.columns else pd.Series("", index=syn.index)
        housing = kind == "housing_heat"
        out["n_housing_heat"] = float(housing.sum())
        out["mwh_housing"] = _sum(syn[housing], "mwh_recovered")
        if "family" in syn.columns and "resource_demand" in syn.columns:
            heat = (syn["family"].astype(str) == "heat") & (syn["resource_demand"].astype(str) != "cooling")
            col = "quantity_demand" if "quantity_demand" in syn.columns else "quantity"
            out["combustion_avoided_mwh"] = _sum(syn[heat], col)
    # The impacts come from the same ledger as the report's synthesis: each counted once.
    impacts = ledger.figures(ledger.summary(ledger.build(syn if len(syn) else None, clu if len(clu) else None)))
    for key in ("mwh_recovered", "tonnes_diverted", "pm10_avoided_kg", "nox_avoided_kg", "co2_avoided_t",
                "truck_km_avoided"):
        out[key] = impacts.get(key) or 0.0
    out["land_shared_m2"] = impacts.get("land_need_m2") or 0.0
    out["n_clusters"] = float(len(clu))
    out["housing_dwellings"] = _sum(zones, "housing_dwellings")
    out["housing_heat_demand_mwh"] = _sum(zones, "housing_heat_demand_mwh")
    out["jobs_est"] = _sum(zones, "jobs_est")
    if zones is not None and len(zones) and "mixity_index" in zones.columns:
        mix = pd.to_numeric(zones["mixity_index"], errors="coerce")
        area = pd.to_numeric(zones["area_ha"], errors="coerce").fillna(0.0) if "area_ha" in zones.columns else pd.Series(1.0, index=zones.index)
        ok = mix.notna() & (area > 0)
        out["mixity_mean"] = float((mix[ok] * area[ok]).sum() / area[ok].sum()) if ok.any() else float("nan")
    if zones is not None and len(zones) and "eit_potential" in zones.columns:
        out["n_zones_high"] = float((zones["eit_potential"].astype(str) == "high").sum())
    if conflicts is not None and len(conflicts):
        out["n_conflicts"] = float((conflicts["severity"] == "conflict").sum())
    return out


def synergy_key(row, zone_alias: dict | None = None) -> str:
    """Stable key of a synergy: supplier | receiver | supplied resource | demand covered.

    Supplier and receiver are their SIRET (planned activities: their ``prevu_`` key), never the
    generated synergy ids. A housing receiver (no SIRET) is its zone: in a scenario,
    ``zone_alias`` maps the zones whose geometry is identical to a current zone to that zone's
    id, so the same place keeps the same key; a redrawn zone gets a key of its own
    (``zone-new:<label>:<id>``)."""
    def who(siret, name):
        return str(siret).strip() if not _blank(siret) else str(name or "").strip()

    receiver = row.get("receiver_siret")
    if _blank(receiver) and not _blank(row.get("receiver_zone")):
        zone = str(row.get("receiver_zone"))
        if zone_alias is None:
            receiver = "zone:" + zone
        elif zone in zone_alias:
            receiver = "zone:" + str(zone_alias[zone])
        else:
            receiver = "zone-new:{}:{}".format(row.get("receiver_name") or "", zone)
    else:
        receiver = who(receiver, row.get("receiver_name"))
    return "{}|{}|{}|{}".format(who(row.get("supplier_siret"), row.get("supplier_name")), receiver,
                                row.get("resource_supply") or "", row.get("resource_demand") or "")


def cluster_key(row) -> str:
    """Stable key of a cluster: kind | resources | direction | sorted members."""
    members = sorted(m.strip() for m in re.split(r"[;,\s]+", str(row.get("members") or "")) if m.strip())
    return "{}|{}|{}|{}".format(row.get("kind") or "", row.get("resources") or "", row.get("direction") or "",
                                " ".join(members))


def _keyed(frame: pd.DataFrame | None, key_fn, value_col: str, label_fn) -> pd.DataFrame:
    if frame is None or not len(frame):
        return pd.DataFrame(columns=["key", "value", "label", "kind"])
    records = frame.to_dict("records")
    tab = pd.DataFrame({
        "key": [key_fn(r) for r in records],
        "value": [_num(r.get(value_col)) for r in records],
        "label": [label_fn(r) for r in records],
        "kind": [r.get("kind") for r in records],
    })
    return tab.groupby("key", sort=True).agg(value=("value", "sum"), label=("label", "first"), kind=("kind", "first")).reset_index()


def _synergy_label(r) -> str:
    return "{} → {} ({} → {})".format(r.get("supplier_name") or r.get("supplier_siret") or "?",
                                      r.get("receiver_name") or r.get("receiver_siret") or r.get("receiver_zone") or "?",
                                      r.get("resource_supply") or "", r.get("resource_demand") or "")


def _cluster_label(r) -> str:
    return "{} {} — {} membres".format(r.get("kind") or "", r.get("resources") or "", int(_num(r.get("n_members"))))


def compare_items(current: pd.DataFrame | None, scenario: pd.DataFrame | None, what: str = "synergy",
                  tolerance: float = 0.01, zone_alias: dict | None = None) -> pd.DataFrame:
    """Synergies (``what="synergy"``, value = ``quantity``) or clusters (``"cluster"``, value =
    ``total_quantity``) matched by stable key → ``key, status, label, kind, value_current,
    value_scenario, difference`` with status ``gained``, ``lost``, ``changed`` (same key, quantity
    differs by more than ``tolerance`` relative) or ``kept``. ``zone_alias``: scenario zone id →
    current zone id for zones of identical geometry (see ``synergy_key``)."""
    if what == "synergy":
        a = _keyed(current, synergy_key, "quantity", _synergy_label)
        b = _keyed(scenario, lambda r: synergy_key(r, zone_alias or {}), "quantity", _synergy_label)
    else:
        a = _keyed(current, cluster_key, "total_quantity", _cluster_label)
        b = _keyed(scenario, cluster_key, "total_quantity", _cluster_label)
    m = a.merge(b, on="key", how="outer", suffixes=("_current", "_scenario"), indicator=True)
    m["label"] = m["label_scenario"].where(m["label_scenario"].notna(), m["label_current"])
    m["kind"] = m["kind_scenario"].where(m["kind_scenario"].notna(), m["kind_current"])
    m["value_current"] = m["value_current"].fillna(0.0)
    m["value_scenario"] = m["value_scenario"].fillna(0.0)
    m["difference"] = m["value_scenario"] - m["value_current"]
    rel = (m["difference"].abs() / m[["value_current", "value_scenario"]].abs().max(axis=1).clip(lower=1e-9))
    m["status"] = np.where(m["_merge"] == "left_only", "lost", np.where(
        m["_merge"] == "right_only", "gained", np.where(rel > tolerance, "changed", "kept")))
    out = m[["key", "status", "label", "kind", "value_current", "value_scenario", "difference"]]
    return out.sort_values(["status", "key"], kind="mergesort").reset_index(drop=True)


def comparison_table(indicators: dict) -> pd.DataFrame:
    """``{scenario name: indicators}`` (the first is the current zoning) → one row per scenario ×
    indicator: ``scenario, indicator, label_fr, label_en, unit, value, current_value,
    difference, difference_pct, better`` (``better``: 1 the scenario improves on the current
    zoning, -1 worse, 0 equal or neutral)."""
    names = list(indicators)
    if not names:
        return pd.DataFrame()
    current = indicators[names[0]]
    rows = []
    for name in names:
        for key, fr, en, unit, sense in INDICATORS:
            value = _num(indicators[name].get(key), np.nan)
            ref = _num(current.get(key), np.nan)
            diff = value - ref if not (math.isnan(value) or math.isnan(ref)) else np.nan
            pct = diff / abs(ref) * 100.0 if not math.isnan(diff) and abs(ref) > 1e-9 else np.nan
            better = 0
            if not math.isnan(diff) and abs(diff) > 1e-9 and sense:
                better = int(np.sign(diff) * sense)
            rows.append({"scenario": name, "indicator": key, "label_fr": fr, "label_en": en, "unit": unit,
                         "value": round(value, 3) if not math.isnan(value) else np.nan, "current_value": ref,
                         "difference": round(diff, 3) if not math.isnan(diff) else np.nan,
                         "difference_pct": round(pct, 1) if not math.isnan(pct) else np.nan, "better": better})
    return pd.DataFrame(rows)


PROJECT_INDICATORS = (
    ("project_zones", "Zones redessinées ou rezonées par le scénario", "Zones redrawn or rezoned by the scenario", "",
     None, 0),
    ("project_dwellings", "Logements dans ces zones", "Dwellings in these zones", "", "housing_dwellings", 0),
    ("project_jobs", "Emplois estimés dans ces zones", "Estimated jobs in these zones", "", "jobs_est", 0),
    ("project_mwh_received", "Chaleur récupérée reçue par ces zones", "Recovered heat received by these zones",
     "MWh/an", "mwh_received", 1),
    ("project_combustion_avoided_mwh", "Combustion évitée dans ces zones (chaleur livrée)",
     "Combustion avoided in these zones (heat delivered)", "MWh/an", "heat_delivered_mwh", 1),
    ("project_pm10_avoided_kg", "PM10 évitées dans ces zones", "PM10 avoided in these zones", "kg/an", "pm10_avoided_kg", 1),
    ("project_nox_avoided_kg", "NOx évités dans ces zones", "NOx avoided in these zones", "kg/an", "nox_avoided_kg", 1),
)


def project_rows(name: str, changes: pd.DataFrame) -> pd.DataFrame:
    """Rows of the comparison table for the zones the scenario redraws or rezones (``change_kind``
    ``new_zone`` or ``zoning``), compared with what the current zones held at the same place:
    the project-level reading, free of the reallocations elsewhere in the territory."""
    z = changes[changes["change_kind"].isin(["new_zone", "zoning"])] if len(changes) else changes
    rows = []
    for key, fr, en, unit, col, sense in PROJECT_INDICATORS:
        if col is None:
            value, ref = float(len(z)), np.nan
        else:
            value = float(pd.to_numeric(z[col + "_scenario"], errors="coerce").fillna(0).sum()) if len(z) else 0.0
            ref = float(pd.to_numeric(z[col + "_current"], errors="coerce").fillna(0).sum()) if len(z) else 0.0
        diff = value - ref if not math.isnan(ref) else np.nan
        pct = diff / abs(ref) * 100.0 if not math.isnan(diff) and abs(ref) > 1e-9 else np.nan
        better = int(np.sign(diff) * sense) if sense and not math.isnan(diff) and abs(diff) > 1e-9 else 0
        rows.append({"scenario": name, "indicator": key, "label_fr": fr, "label_en": en, "unit": unit,
                     "value": round(value, 3), "current_value": ref,
                     "difference": round(diff, 3) if not math.isnan(diff) else np.nan,
                     "difference_pct": round(pct, 1) if not math.isnan(pct) else np.nan, "better": better})
    return pd.DataFrame(rows)


# Numbers ------------------------------------------------------------------------------------------
def _fmt(value, decimals: int = 0, lang: str = "fr") -> str:
    return formatting.number(_num(value, np.nan), decimals, lang)
