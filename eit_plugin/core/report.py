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
from . import ledger

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

KIND_LABELS = ledger.KIND_LABELS

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


def build_context(tables: dict, maps: list, parameters: dict, provenance: dict, public: bool,
                  language: str = "fr", territory: str = "", notes=(), summary=None) -> dict:
    """Everything the template needs, from the output tables.

    ``tables``: DataFrames ``zones``, ``synergies``, ``clusters``, ``recommendations`` and
    optionally ``flows`` (counts and ratio sources only); ``maps``: list of dicts
    ``{"title", "src", "caption"}``; ``summary``: the run's summary table (``core.ledger``),
    the only source of the synthesis figures (computed from ``tables`` when absent).
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

    if summary is None:
        counts = {"establishments": 0 if establishments is None else len(establishments),
                  "flows": 0 if flows is None else len(flows),
                  "zones": 0 if zones is None else len(zones),
                  "recommendations": 0 if recommendations is None else len(recommendations)}
        summary = ledger.headline(synergies, clusters, flows, counts, public=False)
    figures = ledger.figures(summary)
    synthesis = synthesis_rows(summary, language)
    return {
        "language": language,
        "public": public,
        "territory": territory,
        "notes": list(notes),
        "figures": figures,
        "synthesis": synthesis,
        "synergy_kinds": kind_rows(summary, language),
        "any_suppressed_impact": any(row["value"] == SUPPRESSED[language] for row in synthesis),
        "potential_counts": {POTENTIAL_LABELS[language].get(k, k): v for k, v in sorted(potential_counts.items())},
        "top_zones": _records(zones, ["zone_id", "libelle", "insee", "typezone", "eit_potential", "mixity_index", "heat_supply_mwh", "heat_demand_mwh", "eit_potential_reason"], limit=15, sort="eit_score" if zones is not None and "eit_score" in zones.columns else "heat_supply_mwh"),
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


SUPPRESSED = {"fr": "n.d.*", "en": "n/a*"}


def _shown(value, language) -> str:
    if value is None:
        return SUPPRESSED[language]
    return format_number(value, 0 if abs(value) >= 10 or float(value).is_integer() else 1, language)


def synthesis_rows(summary, language: str = "fr") -> list:
    """The summary table's headline rows (counts and impacts, not the per-kind detail), as
    ``{"indicator", "label", "value", "unit"}`` ready to print."""
    out = []
    for record in summary.to_dict("records"):
        if ":" in record["indicator"]:
            continue
        value = None if record["value"] is None or (isinstance(record["value"], float) and math.isnan(record["value"])) \
            else float(record["value"])
        out.append({"indicator": record["indicator"],
                    "label": record["label_fr"] if language == "fr" else record["label_en"],
                    "value": _shown(value, language), "unit": ledger.unit_label(record["unit"], language)})
    return out


def kind_rows(summary, language: str = "fr") -> list:
    """One row per synergy kind and unit: count, quantity (in that unit) and CO₂."""
    figures = ledger.figures(summary)
    units = dict(zip(summary["indicator"], summary["unit"]))
    rows = []
    for key in summary["indicator"]:
        if not key.startswith("count:"):
            continue
        _, kind, unit = key.split(":", 2)
        rows.append({
            "kind": ledger.KIND_LABELS[language].get(kind, kind),
            "n": _shown(figures.get(key), language),
            "quantity": _shown(figures.get("quantity:{}:{}".format(kind, unit)), language),
            "unit": ledger.unit_label(units.get("quantity:{}:{}".format(kind, unit), ""), language),
            "co2": _shown(figures.get("co2:{}:{}".format(kind, unit)), language),
        })
    return rows
