"""Scenario comparison, second part: zone-by-zone changes, the sentence explaining each
scenario and the report's section. Split from ``core.scenarios`` (planned activities and
dwellings, zone rules, indicators)."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from ..paths import TEMPLATES_DIR
from .fields import ZONE_COMPARED
from .scenarios import (
    INDICATORS,
    PROJECT_INDICATORS,
    ZONE_TOLERANCE_ABS,
    ZONE_TOLERANCE_REL,
    _blank,
    _fmt,
    _num,
    zone_label,
)


def zone_synergy_totals(zones: pd.DataFrame, synergies: pd.DataFrame | None) -> pd.DataFrame:
    """Per zone (indexed like ``zones``), what its receivers get from the synergies
    (``receiver_zone``): ``mwh_received`` (recovered energy, supply side), ``heat_delivered_mwh``
    (heat delivered to heat demands other than cooling = combustion avoided),
    ``pm10_avoided_kg``, ``nox_avoided_kg``."""
    cols = ["mwh_received", "heat_delivered_mwh", "pm10_avoided_kg", "nox_avoided_kg"]
    out = pd.DataFrame(0.0, index=zones.index, columns=cols)
    if synergies is None or not len(synergies) or "receiver_zone" not in synergies.columns:
        return out
    s = synergies
    key = s["receiver_zone"].astype(str)
    heat = (s["family"].astype(str) == "heat") & (s["resource_demand"].astype(str) != "cooling") \
        if "family" in s.columns and "resource_demand" in s.columns else pd.Series(False, index=s.index)
    qd = "quantity_demand" if "quantity_demand" in s.columns else "quantity"
    values = {
        "mwh_received": pd.to_numeric(s.get("mwh_recovered"), errors="coerce"),
        "heat_delivered_mwh": pd.to_numeric(s[qd], errors="coerce").where(heat, 0.0),
        "pm10_avoided_kg": pd.to_numeric(s.get("pm10_avoided_kg"), errors="coerce"),
        "nox_avoided_kg": pd.to_numeric(s.get("nox_avoided_kg"), errors="coerce"),
    }
    ids = zones["zone_id"].astype(str)
    for col, series in values.items():
        if series is None:
            continue
        per = series.fillna(0.0).groupby(key).sum()
        out[col] = ids.map(per).fillna(0.0).to_numpy()
    return out


def _by_zone(conflicts: pd.DataFrame | None) -> dict:
    """``{zone id: its conflicts}`` (zone ids as text, as in the overlaps)."""
    if conflicts is None or not len(conflicts):
        return {}
    return {zid: g for zid, g in conflicts.groupby(conflicts["zone_id"].astype(str))}


def _identical_current(overlap: pd.DataFrame | None, cur: pd.DataFrame):
    """The current zone with exactly the same geometry as a scenario zone, or None (redrawn)."""
    if overlap is None or not len(overlap):
        return None
    ident = overlap[overlap["identical"].astype(bool)]
    if not len(ident):
        return None
    first = ident["current_zone"].iloc[0]
    return cur.loc[first] if first in cur.index else None


def _same_zoning(identical, z: dict) -> bool:
    """Same PLU type, destination, label and planned programme: a reshuffle of indicators only."""
    return all(str(_txt(identical.get(c))) == str(_txt(z.get(c)))
               for c in ("typezone", "destdomi", "libelle", "planned_dwellings", "planned_activities"))


def _covered_value(weights: pd.DataFrame, cur: pd.DataFrame, col: str, extensive: bool) -> float:
    """What the current zones under a redrawn zone held: quantities summed in proportion to the
    share of each current zone covered, intensive figures (the mixity index) averaged."""
    vals, ws = [], []
    for cz, share in zip(weights["current_zone"], weights["share"]):
        if cz in cur.index:
            v = _num(cur.loc[cz].get(col), np.nan)
            if not math.isnan(v):
                vals.append(v)
                ws.append(float(share))
    if not vals:
        return 0.0 if extensive else np.nan
    if extensive:
        return float(np.dot(vals, ws))
    return float(np.dot(vals, ws) / sum(ws)) if sum(ws) > 0 else np.nan


def _indicator_moved(col: str, a: float, b: float, diff: float) -> bool:
    """A difference worth reporting: beyond both tolerances, or any appearance, disappearance or
    visible move of the mixity index (a 0-1 ratio the tolerances are too coarse for)."""
    if abs(diff) > ZONE_TOLERANCE_ABS and abs(diff) > ZONE_TOLERANCE_REL * max(abs(_num(a)), abs(_num(b)), 1e-9):
        return True
    if col != "mixity_index":
        return False
    if math.isnan(a) != math.isnan(b):
        return True
    return not math.isnan(a) and abs(diff) > 0.01


def _compare_indicators(row: dict, z: dict) -> bool:
    """Fill ``{col}_scenario`` and ``{col}_diff`` of ``row``; True when an indicator moved."""
    changed_ind = False
    for col, _ext in ZONE_COMPARED:
        a = row[col + "_current"]
        b = _num(z.get(col), np.nan)
        row[col + "_scenario"] = b
        diff = (0.0 if math.isnan(b) else b) - (0.0 if math.isnan(a) else a)
        row[col + "_diff"] = round(diff, 3) if not (math.isnan(a) and math.isnan(b)) else np.nan
        if _indicator_moved(col, a, b, diff):
            changed_ind = True
    return changed_ind


def zone_changes(current: pd.DataFrame, scenario: pd.DataFrame, overlaps: pd.DataFrame,
                 conflicts: pd.DataFrame | None = None, current_conflicts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Scenario zones whose zoning or indicators differ from the current zones at the same place.

    ``current`` / ``scenario``: overlay zones (``zone_id``, ``typezone``, ``destdomi``, ``libelle``,
    ``insee``, the ``ZONE_COMPARED`` columns — the synergy ones from ``zone_synergy_totals`` —,
    ``eit_potential``, optional ``planned_dwellings`` and ``planned_activities``). ``overlaps``:
    ``scenario_zone, current_zone, share, identical`` — ``share`` = area of the intersection ÷
    area of the current zone, ``identical`` = same geometry. A scenario zone identical to a current
    zone is compared with it; a redrawn one with the sum of the current zones it covers, weighted by
    ``share`` (averages for the mixity index). Returns one row per changed scenario zone:
    ``zone_id, change_kind`` (``new_zone``, ``zoning``, ``indicators``), ``{col}_current``,
    ``{col}_scenario``, ``{col}_diff``, ``eit_potential_current/_scenario``, ``n_conflicts``,
    ``conflicts``, ``summary_fr``, ``summary_en``.
    """
    cur = current.set_index(current["zone_id"].astype(str))
    rows = []
    ov = overlaps.copy()
    ov["scenario_zone"] = ov["scenario_zone"].astype(str)
    ov["current_zone"] = ov["current_zone"].astype(str)
    groups = {k: g for k, g in ov.groupby("scenario_zone", sort=False)}
    conf_by_zone = _by_zone(conflicts)
    cur_conf = {zid: set(g["text_fr"]) for zid, g in _by_zone(current_conflicts).items()}
    for z in scenario.to_dict("records"):
        zid = str(z["zone_id"])
        g = groups.get(zid)
        identical = _identical_current(g, cur)
        row = {"zone_id": zid}
        if identical is not None:
            kind = None if _same_zoning(identical, z) else "zoning"
            for col, _ext in ZONE_COMPARED:
                row[col + "_current"] = _num(identical.get(col), np.nan)
            row["eit_potential_current"] = identical.get("eit_potential")
        else:
            kind = "new_zone"
            weights = g if g is not None else pd.DataFrame(columns=["current_zone", "share"])
            for col, extensive in ZONE_COMPARED:
                row[col + "_current"] = _covered_value(weights, cur, col, extensive)
            row["eit_potential_current"] = None
        changed_ind = _compare_indicators(row, z)
        row["eit_potential_scenario"] = z.get("eit_potential")
        if identical is not None and str(row["eit_potential_current"]) != str(row["eit_potential_scenario"]):
            changed_ind = True
        g_conf = conf_by_zone.get(zid)
        row["n_conflicts"] = int(len(g_conf)) if g_conf is not None else 0
        row["conflicts"] = " | ".join(g_conf["text_fr"]) if g_conf is not None else ""
        same_conflicts = identical is not None and (
            set(g_conf["text_fr"]) if g_conf is not None else set()) == cur_conf.get(str(identical["zone_id"]), set())
        if kind is None and (changed_ind or (row["n_conflicts"] and not same_conflicts)):
            kind = "indicators"
        if kind is None:
            continue
        row["change_kind"] = kind
        row["summary_fr"], row["summary_en"] = _zone_summary(z, row, kind)
        rows.append(row)
    cols = ["zone_id", "change_kind"] + [c + s for c, _ in ZONE_COMPARED for s in ("_current", "_scenario", "_diff")] + [
        "eit_potential_current", "eit_potential_scenario", "n_conflicts", "conflicts", "summary_fr", "summary_en"]
    return pd.DataFrame(rows, columns=cols)


def _txt(value):
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _zone_summary(z, row, kind) -> tuple:
    label = zone_label(z)
    what_fr = {"new_zone": "zone nouvelle ou redessinée", "zoning": "zonage modifié", "indicators": "indicateurs modifiés"}[kind]
    what_en = {"new_zone": "new or redrawn zone", "zoning": "zoning changed", "indicators": "indicators changed"}[kind]
    parts_fr, parts_en = [], []
    names = {"housing_dwellings": ("logements", "dwellings", ""), "mwh_received": ("chaleur récupérée reçue", "recovered heat received", " MWh/an"),
             "jobs_est": ("emplois", "jobs", ""), "housing_heat_demand_mwh": ("besoin de chaleur des logements", "housing heat demand", " MWh/an")}
    for col, (fr, en, unit) in names.items():
        d = row.get(col + "_diff")
        if d is not None and not (isinstance(d, float) and math.isnan(d)) and abs(d) > ZONE_TOLERANCE_ABS:
            parts_fr.append("{} {}{}".format(fr, _signed(d), unit))
            parts_en.append("{} {}{}".format(en, _signed(d, "en"), unit))
    if row["n_conflicts"]:
        parts_fr.append("{} point(s) de vigilance habitat/activités".format(row["n_conflicts"]))
        parts_en.append("{} housing/activity issue(s)".format(row["n_conflicts"]))
    return ("Zone {} ({}) : {}.".format(label, what_fr, ", ".join(parts_fr) or "pas de changement chiffré"),
            "Zone {} ({}): {}.".format(label, what_en, ", ".join(parts_en) or "no figure changes"))


# Texts -------------------------------------------------------------------------------------------
def _signed(value, lang: str = "fr", decimals: int = 0) -> str:
    number = _num(value, np.nan)  # NaN: withheld by the statistical secret (public comparison)
    sign = "+" if number > 0 else ("−" if number < 0 else "±")
    return sign + _fmt(abs(number), decimals, lang) if number == number else "n.d."


def explain(name: str, table: pd.DataFrame, synergy_diff: pd.DataFrame, cluster_diff: pd.DataFrame,
            lang: str = "fr") -> str:
    """One or two sentences giving the scenario's main differences with the current zoning."""
    t = table[table["scenario"] == name].set_index("indicator")

    def d(key):  # a figure withheld by the statistical secret (NaN) is written "n.d.", never 0
        return _num(t.loc[key, "difference"], np.nan) if key in t.index else 0.0

    gained = int((synergy_diff["status"] == "gained").sum()) if len(synergy_diff) else 0
    lost = int((synergy_diff["status"] == "lost").sum()) if len(synergy_diff) else 0
    cg = int((cluster_diff["status"] == "gained").sum()) if len(cluster_diff) else 0
    cl = int((cluster_diff["status"] == "lost").sum()) if len(cluster_diff) else 0

    def v(key):
        return _num(t.loc[key, "value"], np.nan) if key in t.index else 0.0

    project = ""
    if "project_zones" in t.index and v("project_zones") > 0:
        if lang == "fr":
            project = ("Dans les {} zone(s) redessinée(s) ou rezonée(s) : {} logements ({}), {} emplois ({}), chaleur "
                       "récupérée reçue {} MWh/an ({}), soit {} MWh/an de chaleur livrée sans combustion ({}), "
                       "{} kg de PM10 ({}) et {} kg de NOx ({}) évités par an. ").format(
                int(v("project_zones")), _fmt(v("project_dwellings")), _signed(d("project_dwellings")),
                _fmt(v("project_jobs")), _signed(d("project_jobs")), _fmt(v("project_mwh_received")),
                _signed(d("project_mwh_received")), _fmt(v("project_combustion_avoided_mwh")),
                _signed(d("project_combustion_avoided_mwh")), _fmt(v("project_pm10_avoided_kg"), 1),
                _signed(d("project_pm10_avoided_kg"), decimals=1), _fmt(v("project_nox_avoided_kg")),
                _signed(d("project_nox_avoided_kg")))
        else:
            project = ("In the {} zone(s) redrawn or rezoned: {} dwellings ({}), {} jobs ({}), recovered heat received "
                       "{} MWh/yr ({}), i.e. {} MWh/yr of heat delivered without combustion ({}), {} kg PM10 ({}) and "
                       "{} kg NOx ({}) avoided per year. ").format(
                int(v("project_zones")), _fmt(v("project_dwellings"), 0, "en"), _signed(d("project_dwellings"), "en"),
                _fmt(v("project_jobs"), 0, "en"), _signed(d("project_jobs"), "en"),
                _fmt(v("project_mwh_received"), 0, "en"), _signed(d("project_mwh_received"), "en"),
                _fmt(v("project_combustion_avoided_mwh"), 0, "en"), _signed(d("project_combustion_avoided_mwh"), "en"),
                _fmt(v("project_pm10_avoided_kg"), 1, "en"), _signed(d("project_pm10_avoided_kg"), "en", 1),
                _fmt(v("project_nox_avoided_kg"), 0, "en"), _signed(d("project_nox_avoided_kg"), "en"))
    if lang == "fr":
        text = project + ("Scénario {} par rapport au zonage actuel : {} logements, chaleur récupérée livrée aux logements {} MWh/an "
                "(énergie récupérée au total {} MWh/an), soit {} MWh/an de combustion {} et {} kg de PM10, {} kg de NOx, "
                "{} t de CO2 évités par an ; {} synergie(s) gagnée(s), {} perdue(s) ; {} groupement(s) de mutualisation "
                "gagné(s), {} perdu(s) ; {} t/an de déchets détournés ; {} km-camion évités ; foncier des équipements "
                "partagés {} m².").format(
            name, _signed(d("housing_dwellings")), _signed(d("mwh_housing")), _signed(d("mwh_recovered")),
            _fmt(abs(d("combustion_avoided_mwh"))), "évitée en plus" if d("combustion_avoided_mwh") >= 0 else "évitée en moins",
            _signed(d("pm10_avoided_kg"), decimals=1), _signed(d("nox_avoided_kg")), _signed(d("co2_avoided_t")),
            gained, lost, cg, cl, _signed(d("tonnes_diverted")), _signed(d("truck_km_avoided")), _signed(d("land_shared_m2")))
        if d("n_conflicts"):
            text += " Conflits de voisinage habitat/activités : {}.".format(_signed(d("n_conflicts")))
        return text
    text = project + ("Scenario {} compared with the current zoning: {} dwellings, recovered heat delivered to housing {} MWh/yr "
            "(energy recovered in all {} MWh/yr), i.e. {} MWh/yr {} combustion avoided and {} kg PM10, {} kg NOx, {} t CO2 "
            "avoided per year; {} synergy(ies) gained, {} lost; {} pooling cluster(s) gained, {} lost; {} t/yr waste "
            "diverted; {} truck-km avoided; land for shared facilities {} m².").format(
        name, _signed(d("housing_dwellings"), "en"), _signed(d("mwh_housing"), "en"), _signed(d("mwh_recovered"), "en"),
        _fmt(abs(d("combustion_avoided_mwh")), 0, "en"), "more" if d("combustion_avoided_mwh") >= 0 else "less",
        _signed(d("pm10_avoided_kg"), "en", 1), _signed(d("nox_avoided_kg"), "en"), _signed(d("co2_avoided_t"), "en"),
        gained, lost, cg, cl, _signed(d("tonnes_diverted"), "en"), _signed(d("truck_km_avoided"), "en"),
        _signed(d("land_shared_m2"), "en"))
    if d("n_conflicts"):
        text += " Housing/activity conflicts: {}.".format(_signed(d("n_conflicts"), "en"))
    return text


# Report section ----------------------------------------------------------------------------------
def _indicator_row(table: pd.DataFrame, names: list, key: str, fr: str, en: str, unit: str, lang: str) -> dict:
    """One line of the comparison table: the value of each scenario and its difference to the
    first (the current state, whose difference cell stays blank)."""
    sub = table[table["indicator"] == key].set_index("scenario")
    cells = []
    for n in names:
        v = sub.loc[n, "value"] if n in sub.index else np.nan
        dv = sub.loc[n, "difference"] if n in sub.index else np.nan
        better = int(sub.loc[n, "better"]) if n in sub.index else 0
        dec = 2 if unit == "0-1" else (1 if key.startswith("pm10") else 0)
        blank = n == names[0] or math.isnan(_num(dv, np.nan))
        cells.append({"value": _fmt(v, dec, lang), "difference": "" if blank else _signed(dv, lang, dec),
                      "better": better})
    return {"label": fr if lang == "fr" else en, "unit": unit if lang == "fr" else unit.replace("/an", "/yr"),
            "cells": cells}


def _changed_items(frame: pd.DataFrame) -> list:
    """Synergies or clusters a scenario gains, loses or changes (unchanged ones are not reported)."""
    return [r for r in frame.to_dict("records") if r["status"] in ("gained", "lost", "changed")] if len(frame) else []


def _scenario_section(n: str, explanations: dict, items: dict, zc, conf, lang: str) -> dict:
    """The section of one scenario: what changes in synergies, clusters and zones, and the
    conflicts of the zones it changes (``zc``: its zone_changes table; ``conf``: its conflicts)."""
    syn, clu = items.get(n, (pd.DataFrame(), pd.DataFrame()))
    changes = _changed_items(syn) + _changed_items(clu)
    return {
        "name": n, "explanation": explanations.get(n, ""),
        "changes": [{"status": _status(r["status"], lang), "label": r["label"], "kind": r.get("kind") or "",
                     "current": _fmt(r["value_current"], 0, lang), "scenario": _fmt(r["value_scenario"], 0, lang),
                     "difference": _signed(r["difference"], lang)} for r in changes],
        "zones": [] if zc is None else [{"text": r["summary_fr"] if lang == "fr" else r["summary_en"]}
                                        for r in zc.to_dict("records")],
        "conflicts": [] if conf is None or not len(conf) else [
            {"severity": r["severity"], "text": r["text_fr"] if lang == "fr" else r["text_en"]}
            for r in conf.to_dict("records")
            if zc is None or str(r["zone_id"]) in set(zc["zone_id"].astype(str))],
    }


def section_context(table: pd.DataFrame, explanations: dict, items: dict, zones: dict, language: str = "fr",
                    conflicts: dict | None = None) -> dict:
    """Context of ``scenarios.html.j2``. ``explanations``: {scenario: sentence}; ``items``:
    {scenario: (synergy diff, cluster diff)}; ``zones``: {scenario: zone_changes table};
    ``conflicts``: {scenario: conflicts table}."""
    lang = "fr" if language == "fr" else "en"
    names = list(dict.fromkeys(table["scenario"])) if len(table) else []
    keys = list(INDICATORS) + [(k, fr, en, unit, s) for k, fr, en, unit, _c, s in PROJECT_INDICATORS
                               if k in set(table["indicator"])]
    rows = [_indicator_row(table, names, key, fr, en, unit, lang) for key, fr, en, unit, _sense in keys]
    scen = [_scenario_section(n, explanations, items, zones.get(n), (conflicts or {}).get(n), lang)
            for n in names[1:]]
    return {"lang": lang, "names": names, "rows": rows, "scenarios": scen,
            "current_name": names[0] if names else ""}


def _status(status, lang):
    fr = {"gained": "gagnée", "lost": "perdue", "changed": "modifiée", "kept": "inchangée"}
    en = {"gained": "gained", "lost": "lost", "changed": "changed", "kept": "kept"}
    return (fr if lang == "fr" else en).get(status, status)


def template_path() -> Path:
    return TEMPLATES_DIR / "scenarios.html.j2"


def render_section(context: dict, path: Path | None = None) -> str:
    """The comparison section (an HTML fragment: ``<section>…</section>``) rendered with jinja2."""
    import jinja2

    path = Path(path) if path else template_path()
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(path.parent)), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    return env.get_template(path.name).render(**context)
