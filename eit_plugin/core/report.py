"""The report a GIS officer hands to elected officials, planners and firms.

Builds a context from the analysis tables (already protected by the statistical secret in
public mode) and renders ``resources/templates/report.html.j2`` with jinja2. The same HTML
feeds the PDF (Qt's rich-text engine, see ``eit_plugin.qgis_io.pdf``), so the template only
uses what both understand: headings, paragraphs, tables, images, page breaks.

Texts are data in two languages (``LABELS``), not tr(): a French user may want the English
report for a European partner and vice versa.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from ..paths import TEMPLATES_DIR

DOCUMENT_LABELS = {
    "fr": {
        "PLU_reglement": "PLU — règlement",
        "PLU_OAP": "PLU — orientations d'aménagement et de programmation (OAP)",
        "PLU_emplacement_reserve": "PLU — emplacements réservés",
        "SCoT_DOO": "SCoT — document d'orientation et d'objectifs (DOO)",
        "charte_ZAE": "Charte de parc d'activités",
    },
    "en": {
        "PLU_reglement": "Local plan (PLU) — zoning regulations",
        "PLU_OAP": "Local plan (PLU) — development guidelines (OAP)",
        "PLU_emplacement_reserve": "Local plan (PLU) — reserved sites",
        "SCoT_DOO": "Regional plan (SCoT) — guidelines and objectives (DOO)",
        "charte_ZAE": "Business-park charter",
    },
}

KIND_LABELS = {
    "fr": {"substitution": "substitution de matière", "heat_recovery": "récupération de chaleur",
           "housing_heat": "chaleur pour les logements", "cascade": "cascade thermique",
           "pooling": "mutualisation", "exchange": "échanges"},
    "en": {"substitution": "material substitution", "heat_recovery": "heat recovery",
           "housing_heat": "heat for housing", "cascade": "heat cascade",
           "pooling": "pooling", "exchange": "exchange"},
}

POTENTIAL_LABELS = {
    "fr": {"high": "élevé", "medium": "moyen", "low": "faible", "none": "nul"},
    "en": {"high": "high", "medium": "medium", "low": "low", "none": "none"},
}


def format_number(value, decimals: int = 0, language: str = "fr") -> str:
    """French: ``1 234,5`` (narrow no-break space, decimal comma); English: ``1,234.5``."""
    if value is None:
        return "–"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "–"
    text = "{:,.{}f}".format(number, decimals)
    if language == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def _sum(frame, column) -> float:
    if frame is None or column not in getattr(frame, "columns", []):
        return 0.0
    return float(pd.to_numeric(frame[column], errors="coerce").fillna(0).sum())


def _records(frame, columns, limit=None, sort=None, ascending=False):
    """Rows as dicts with exactly ``columns`` (matched case-insensitively: CNIG layers keep
    their producer's case; absent columns give None)."""
    if frame is None or len(frame) == 0:
        return []
    data = frame.rename(columns={c: c.lower() for c in frame.columns})
    data = data.loc[:, ~data.columns.duplicated()]
    if sort and sort in data.columns:
        data = data.sort_values([sort], ascending=ascending, kind="mergesort", na_position="last")
    if limit:
        data = data.head(limit)
    rows = []
    for record in data.to_dict("records"):
        rows.append({c: (None if _missing(record.get(c)) else record.get(c)) for c in columns})
    return rows


def _missing(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def headline_impacts(synergies, clusters, public: bool = False) -> dict:
    """The figures the summary and ``make demo`` print, from the internal (unprotected) tables.

    In public mode each synergy figure is a total over suppliers: it is published only if
    it passes the statistical secret (>= 3 suppliers, none above 85 %), else ``None``
    (shown as "n.d."). Cluster savings derive from distances, not from firms' data.
    """
    from . import confidentiality

    impacts = _raw_impacts(synergies, clusters)
    if public and synergies is not None and len(synergies):
        contributor = synergies.get("supplier_siret")
        if contributor is None:
            contributor = synergies.get("supply_flow_id", pd.Series(range(len(synergies)), index=synergies.index))
        contributor = contributor.fillna("").astype(str)
        for key in ("mwh_recovered", "tonnes_diverted", "pm10_avoided_kg", "nox_avoided_kg"):
            if key in synergies.columns and impacts[key]:
                values = pd.to_numeric(synergies[key], errors="coerce").fillna(0).groupby(contributor).sum()
                if not confidentiality.check_cell(values)[0]:
                    impacts[key] = None
        if "co2_avoided_t" in synergies.columns:
            values = pd.to_numeric(synergies["co2_avoided_t"], errors="coerce").fillna(0).groupby(contributor).sum()
            if len(values) and not confidentiality.check_cell(values)[0]:
                impacts["co2_avoided_t"] = None
    return impacts


def _raw_impacts(synergies, clusters) -> dict:
    return {
        "mwh_recovered": _sum(synergies, "mwh_recovered"),
        "tonnes_diverted": _sum(synergies, "tonnes_diverted"),
        "co2_avoided_t": _sum(synergies, "co2_avoided_t") + _sum(clusters, "co2_avoided_t"),
        "pm10_avoided_kg": _sum(synergies, "pm10_avoided_kg"),
        "nox_avoided_kg": _sum(synergies, "nox_avoided_kg"),
        "truck_km_avoided": _sum(clusters, "truck_km_avoided"),
        "land_m2": _sum(clusters, "land_m2"),
    }


def build_context(tables: dict, maps: list, parameters: dict, provenance: dict, public: bool,
                  language: str = "fr", territory: str = "", notes=(), impacts=None, counts=None) -> dict:
    """Everything the template needs, from the output tables.

    ``tables``: DataFrames ``zones``, ``synergies``, ``clusters``, ``recommendations`` and
    optionally ``flows`` (counts and ratio sources only); ``maps``: list of dicts
    ``{"title", "src", "caption"}``.
    """
    zones = tables.get("zones")
    synergies = tables.get("synergies")
    clusters = tables.get("clusters")
    recommendations = tables.get("recommendations")
    flows = tables.get("flows")
    establishments = tables.get("establishments")

    groups = []
    if recommendations is not None and len(recommendations):
        order = list(DOCUMENT_LABELS["fr"])
        docs = sorted(recommendations["document"].dropna().unique(), key=lambda d: (order.index(d) if d in order else 99, d))
        for doc in docs:
            rows = recommendations[recommendations["document"] == doc]
            groups.append({
                "document": DOCUMENT_LABELS[language].get(doc, doc),
                "items": _records(rows, ["rec_id", "priority", "theme", "scope_id", "text_fr", "text_en", "evidence", "suppressed"], sort="priority", ascending=True),
            })

    sources = []
    if flows is not None and "ratio_source" in getattr(flows, "columns", []):
        by_source = flows.groupby(flows["ratio_source"].fillna("").astype(str)).size().sort_values(ascending=False, kind="mergesort")
        sources = [{"source": s or "—", "n_flows": int(n)} for s, n in by_source.items()]

    potential_counts = {}
    if zones is not None and "eit_potential" in getattr(zones, "columns", []):
        potential_counts = {k: int(v) for k, v in zones["eit_potential"].fillna("none").value_counts().items()}

    kind_counts = []
    if synergies is not None and len(synergies) and "kind" in synergies.columns:
        for kind, rows in synergies.groupby("kind", sort=True):
            kind_counts.append({"kind": KIND_LABELS[language].get(kind, kind), "n": len(rows),
                                "quantity": format_number(_sum(rows, "quantity"), 0, language)})

    if impacts is None:
        impacts = headline_impacts(synergies, clusters)
    default_counts = {
        "establishments": 0 if establishments is None else len(establishments),
        "flows": 0 if flows is None else len(flows),
        "zones": 0 if zones is None else len(zones),
        "synergies": 0 if synergies is None else len(synergies),
        "clusters": 0 if clusters is None else len(clusters),
        "recommendations": 0 if recommendations is None else len(recommendations),
    }
    default_counts.update(counts or {})
    suppressed = "n.d.*" if language == "fr" else "n/a*"
    return {
        "language": language,
        "public": public,
        "territory": territory,
        "notes": list(notes),
        "counts": default_counts,
        "impacts": {k: (suppressed if v is None else format_number(v, 0 if abs(v) >= 10 else 1, language))
                    for k, v in impacts.items()},
        "any_suppressed_impact": any(v is None for v in impacts.values()),
        "potential_counts": {POTENTIAL_LABELS[language].get(k, k): v for k, v in sorted(potential_counts.items())},
        "top_zones": _records(zones, ["zone_id", "libelle", "insee", "typezone", "eit_potential", "mixity_index", "heat_supply_mwh", "heat_demand_mwh", "eit_potential_reason"], limit=15, sort="eit_score" if zones is not None and "eit_score" in zones.columns else "heat_supply_mwh"),
        "synergy_kinds": kind_counts,
        "top_synergies": _records(synergies, ["synergy_id", "kind", "reason", "quantity", "unit", "distance_m", "distance_kind", "co2_avoided_t", "score"], limit=25, sort="score"),
        "clusters": _records(clusters, ["cluster_id", "kind", "resources", "n_members", "total_quantity", "unit", "action", "site_zone", "site_reason", "truck_km_avoided", "co2_avoided_t"], limit=30, sort="total_quantity"),
        "recommendation_groups": groups,
        "maps": list(maps),
        "parameters": sorted((str(k), str(v)) for k, v in parameters.items()),
        "provenance": provenance,
        "sources": sources,
        "fmt": lambda v, d=0: format_number(v, d, language),
        "potential_label": lambda v: POTENTIAL_LABELS[language].get(v, v),
        "kind_label": lambda v: KIND_LABELS[language].get(v, v),
    }


def render_html(context: dict, template_path: Path | None = None) -> str:
    """Render the report template (jinja2, autoescaped)."""
    import jinja2

    template_path = Path(template_path or TEMPLATES_DIR / "report.html.j2")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_path.parent)),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template(template_path.name).render(**context)
