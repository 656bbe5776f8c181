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
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..paths import TEMPLATES_DIR
from . import formatting, ledger, recommendation_sections
from . import recommendations as recommendations_core
from . import synthesis as synthesis_text

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
    """French: ``1 234,5`` (narrow no-break space, decimal comma); English: ``1,234.5``; a
    text that is not a number is shown as it is."""
    if isinstance(value, str) and formatting._finite(value) is None:
        return value
    return formatting.number(value, decimals, language)


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

    The annex tables hold at most ``ANNEX_ROWS`` rows each (the complete lists are the
    GeoPackage's layers), so the context is O(n log n) in the rows of a table (one sort) and
    the rendered report is bounded in size whatever the territory.
    """
    tables = {k: _lowered(v) for k, v in tables.items()}
    zones = tables.get("zones")
    synergies = tables.get("synergies")
    clusters = tables.get("clusters")
    recommendations = tables.get("recommendations")
    flows = tables.get("flows")

    insee_of = {}
    if zones is not None and "zone_id" in zones.columns:
        insee = zones["insee"] if "insee" in zones.columns else pd.Series(None, index=zones.index, dtype=object)
        insee_of = dict(zip(zones["zone_id"].astype(str), insee))

    def commune_of_zone(zone_id):
        key = str(zone_id)
        if key not in insee_of:
            return ""
        code = insee_of[key]
        return recommendations_core.commune_name(str(code if not _missing(code) and code else ""))

    sections = recommendation_sections.build(recommendations, language)

    sources = []
    if flows is not None and "ratio_source" in getattr(flows, "columns", []):
        by_source = flows.groupby(flows["ratio_source"].fillna("").astype(str)).size().sort_values(ascending=False, kind="mergesort")
        sources = [{"source": s or "—", "n_flows": int(n)} for s, n in by_source.items()]

    potential_counts = {}
    if zones is not None and "eit_potential" in getattr(zones, "columns", []):
        potential_counts = {k: int(v) for k, v in zones["eit_potential"].fillna("none").value_counts().items()}

    if summary is None:
        summary = _summary_of(tables)
    figures = ledger.figures(summary)
    synthesis = synthesis_rows(summary, language)
    labels = resource_labels(language)
    totals = annex_totals(zones, synergies, clusters)
    fr = language == "fr"
    title = "{}{}".format("Écologie industrielle et territoriale" if fr else "Industrial and territorial ecology",
                          " — " + territory if territory else "")
    return {
        "title": title,
        "toc": {},
        "contents": contents(maps, sections, language, cut=totals),
        "language": language,
        "public": public,
        "territory": territory,
        "notes": list(notes),
        "figures": figures,
        "synthesis": synthesis,
        "key_figures": [row for row in synthesis if row["indicator"] in KEY_FIGURES],
        "synthesis_sections": synthesis_text.build(summary, tables, sections, territory, public, language,
                                                   recommendations_core.commune_name,
                                                   recommendations_core.zone_reference, commune_of_zone),
        "synergy_kinds": kind_rows(summary, language),
        "any_suppressed_impact": any(row["value"] == SUPPRESSED[language] for row in synthesis),
        "potential_counts": {POTENTIAL_LABELS[language].get(k, k): v for k, v in sorted(potential_counts.items())},
        "top_zones": zone_rows(zones, language),
        "synergy_table": synergy_rows(synergies, language, labels=labels),
        "synergy_figures": _any_figure(synergies),
        "clusters": cluster_rows(clusters, commune_of_zone, language, labels=labels),
        "annex_totals": totals,
        "recommendation_sections": sections,
        "rule_sources": rule_sources(recommendations, language),
        "maps": list(maps),
        "parameters": sorted((str(k), str(v)) for k, v in parameters.items()),
        "provenance": provenance,
        "sources": sources,
        "fmt": lambda v, d=0: format_number(v, d, language),
        "potential_label": lambda v: POTENTIAL_LABELS[language].get(v, v),
        "kind_label": lambda v: KIND_LABELS[language].get(v, v),
    }


def _summary_of(tables: dict):
    """The summary table of tables given without one (internal figures, nothing withheld)."""
    def n(name):
        return 0 if tables.get(name) is None else len(tables[name])

    counts = {name: n(name) for name in ("establishments", "flows", "zones", "recommendations")}
    return ledger.headline(tables.get("synergies"), tables.get("clusters"), tables.get("flows"), counts, public=False)


def contents(maps, sections, language: str, cut=()) -> list:
    """The table of contents: ``{"title", "anchor", "level"}`` (pages filled in by the PDF);
    ``cut``: the layers whose annex table shows only its first rows."""
    fr = language == "fr"
    out = [{"title": "1. Synthèse" if fr else "1. Summary", "anchor": "synthese", "level": 1}]
    if maps:
        out.append({"title": "2. Cartes" if fr else "2. Maps", "anchor": "cartes", "level": 1})
    out.append({"title": "3. Recommandations par document et par commune" if fr else
                "3. Recommendations by document and commune", "anchor": "recommandations", "level": 1})
    plu = [(n, s) for n, s in enumerate(sections, start=1) if s["family"] == "PLU"]
    if plu:
        # Local plans on one line each page: "Aix-les-Bains 8 · Barby 10 · …" (a PLUi by its title).
        out.append({"title": "Plans locaux d'urbanisme" if fr else "Local plans", "anchor": "", "level": 2,
                    "inline": [{"title": s["communes"][0]["name"] if s.get("single") and s["communes"][0]["name"]
                                else s["title"], "anchor": "doc-{}".format(n)} for n, s in plu]})
    out += [{"title": s["title"], "anchor": "doc-{}".format(n), "level": 2}
            for n, s in enumerate(sections, start=1) if s["family"] != "PLU"]
    out.append({"title": "Annexes", "anchor": "annexes", "level": 1})
    annexes = (("A", "Tableau de synthèse complet", "Full summary table"),
               ("B", "Zones à potentiel élevé ou moyen", "Zones with a high or medium potential"),
               ("C", "Groupements", "Clusters"),
               ("D", "Les synergies possibles au meilleur score", "The best-scored possible synergies") if "synergies" in cut
               else ("D", "Toutes les synergies possibles", "All possible synergies"),
               ("E", "Méthode, paramètres et sources", "Method, parameters and sources"),
               ("F", "Traçabilité", "Provenance"),
               ("G", "Règles de recommandation et leurs sources", "Recommendation rules and their sources"))
    out += [{"title": "{}. {}".format(k, f if fr else e), "anchor": "annexe-{}".format(k.lower()), "level": 2}
            for k, f, e in annexes]
    return out


def render_html(context: dict, template_path: Path | None = None) -> str:
    """Render the report template (jinja2, autoescaped): O(size of the report)."""
    template_path = Path(template_path or TEMPLATES_DIR / "report.html.j2")
    return _environment(str(template_path.parent)).get_template(template_path.name).render(**context)


@lru_cache(maxsize=4)
def _environment(folder: str):
    """One jinja2 environment per template folder: it compiles a template once and recompiles
    it when the file changes (jinja2's auto_reload)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


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
            "kind": ledger.kind_label(kind, unit, language),
            "n": _shown(figures.get(key), language),
            "quantity": _shown(figures.get("quantity:{}:{}".format(kind, unit)), language),
            "unit": ledger.unit_label(units.get("quantity:{}:{}".format(kind, unit), ""), language),
            "co2": _shown(figures.get("co2:{}:{}".format(kind, unit)), language),
        })
    return rows


# The synthesis' key figures (the full summary table is in the annex).
KEY_FIGURES = ("co2_avoided_t", "co2_synergies_t", "co2_pooling_t", "mwh_recovered", "tonnes_diverted",
               "water_reused_m3", "truck_km_avoided", "land_need_m2", "count_synergies", "count_pooling_clusters")


def _lowered(frame):
    if frame is None or not hasattr(frame, "columns"):
        return frame
    out = frame.rename(columns={c: c.lower() for c in frame.columns})
    return out.loc[:, ~out.columns.duplicated()]


def resource_labels(language: str) -> dict:
    """``{resource code: label}`` of the taxonomy in ``language``, read once per report
    (empty when the taxonomy cannot be read: the codes are shown instead)."""
    from . import reference

    try:
        taxonomy = reference.load_taxonomy()
    except Exception:  # noqa: BLE001 - a label is a nicety, the code is shown instead
        return {}
    return dict(zip(taxonomy["code"], taxonomy["label_fr" if language == "fr" else "label_en"]))


def _resource_label(code, labels: dict) -> str:
    """``"a, b"`` → ``"label a, label b"`` (unknown codes as they are)."""
    return ", ".join(labels.get(c.strip(), c.strip()) for c in str(code or "").split(",") if c.strip())


def _labelled(codes, labels: dict) -> list:
    """Labels of a column of (comma-separated) codes, each distinct value labelled once:
    O(rows + distinct values)."""
    if codes is None:
        return []
    values = list(codes)
    known = {value: _resource_label(value, labels) for value in set(values) if not _missing(value)}
    return [known.get(value, "") if not _missing(value) else "" for value in values]


# Annex tables list at most this many rows, the most useful first (ADR 0018): a planner reads a
# few pages, not thousands; the complete lists are the GeoPackage's layers of the same name.
ANNEX_ROWS = {"zones": 40, "synergies": 1000, "clusters": 250}


def _potential_zones(zones):
    """Zones with a high or medium potential (those annex B lists)."""
    return zones[zones["eit_potential"].astype(str).isin(("high", "medium"))]


def annex_totals(zones, synergies, clusters) -> dict:
    """``{layer: (rows shown, rows in all)}`` of each annex table cut at ``ANNEX_ROWS``: the
    report says how many rows it shows out of how many, and which layer has them all."""
    totals = {}
    if zones is not None and len(zones) and "eit_potential" in zones.columns:
        totals["zones"] = len(_potential_zones(zones))
    for name, frame in (("synergies", synergies), ("clusters", clusters)):
        if frame is not None:
            totals[name] = len(frame)
    return {name: (ANNEX_ROWS[name], n) for name, n in totals.items() if n > ANNEX_ROWS[name]}


def _any_figure(synergies) -> bool:
    """True when some synergy shows its quantity or CO₂ (internal report): O(rows)."""
    if synergies is None or not len(synergies):
        return False
    return any(column in synergies.columns and bool(synergies[column].notna().any())
               for column in ("quantity", "co2_avoided_t"))


def zone_rows(zones, language: str, limit: int = ANNEX_ROWS["zones"]) -> list:
    """Zones with a high or medium potential, best first (high before medium, then by
    mixity): the first ``limit``, never padded with 'none' zones. O(n log n) in zones."""
    if zones is None or not len(zones) or "eit_potential" not in zones.columns:
        return []
    rank = {"high": 0, "medium": 1}
    z = _potential_zones(zones).copy()
    z["_rank"] = z["eit_potential"].map(rank)
    z["_mix"] = _numeric(z, "mixity_index").fillna(0)
    z = z.sort_values(["_rank", "_mix", "zone_id"], ascending=[True, False, True], kind="mergesort").head(limit)
    return [{"zone": recommendations_core.zone_reference(r, language), "typezone": r.get("typezone") or "",
             "potential": POTENTIAL_LABELS[language].get(r["eit_potential"], r["eit_potential"]),
             "mixity": r["_mix"], "reason": readable_reason(r.get("eit_potential_reason") or "", language)}
            for r in z.to_dict("records")]


def readable_reason(text: str, language: str) -> str:
    """Field names listed by the statistical secret ('heat_supply_mwh, …') as their labels."""
    from .fields import ZONE_FIELDS

    if " : " not in text or "secret statistique" not in text:
        return text
    labels = {f.name: (f.alias_fr if language == "fr" else f.alias_en) for f in ZONE_FIELDS}
    head, _, names = text.rpartition(" : ")
    return "{} : {}".format(head, ", ".join(labels.get(n.strip(), n.strip()) for n in names.split(",")))


def synergy_rows(synergies, language: str, limit: int = ANNEX_ROWS["synergies"], labels=None) -> list:
    """The ``limit`` best synergies (score, then id), one line each: kind, from → to
    (labels), distance, quantity, CO₂, confidence. O(n + limit log limit) in synergies (the
    best picked, then sorted: ``synthesis.best_first``), the rows formatted O(limit)."""
    if synergies is None or not len(synergies):
        return []
    labels = resource_labels(language) if labels is None else labels
    s = synthesis_text.best_first(synergies, "score", "synergy_id", limit or len(synergies))
    records = s.to_dict("records")
    supplies = _labelled(s["resource_supply"] if "resource_supply" in s.columns else [None] * len(s), labels)
    demands = _labelled(s["resource_demand"] if "resource_demand" in s.columns else [None] * len(s), labels)
    unit_index = 0 if language == "fr" else 1
    rows = []
    for r, supply, demand in zip(records, supplies, demands):
        quantity = r.get("quantity")
        rows.append({
            "kind": ledger.SHORT_KIND_LABELS[language].get(r.get("kind"), r.get("kind")),
            "from": supply,
            "to": demand,
            "distance": format_number(r.get("distance_m"), 0, language),
            "quantity": "{} {}".format(format_number(quantity, 0, language),
                                       ledger.UNIT_SHORT.get(r.get("unit"), (r.get("unit"),) * 2)[unit_index])
            if not _missing(quantity) else SUPPRESSED[language],
            "co2": format_number(r.get("co2_avoided_t"), 1, language) if not _missing(r.get("co2_avoided_t")) else SUPPRESSED[language],
            "confidence": format_number(r.get("confidence"), 2, language),
        })
    return rows


def cluster_rows(clusters, commune_of_zone, language: str, limit: int = ANNEX_ROWS["clusters"], labels=None) -> list:
    """The first ``limit`` clusters (pooling before exchange, then the largest first): kind,
    action, resources, members, site, land, truck-km, CO₂. O(n log n) in clusters."""
    if clusters is None or not len(clusters):
        return []
    labels = resource_labels(language) if labels is None else labels
    c = clusters.assign(_n=_numeric(clusters, "n_members").fillna(0))
    c = c.sort_values(["kind", "_n", "cluster_id"], ascending=[False, False, True], kind="mergesort")
    if limit:
        c = c.head(limit)
    resources = _labelled(c["resources"] if "resources" in c.columns else [None] * len(c), labels)
    rows = []
    for r, resource in zip(c.to_dict("records"), resources):
        pooling = r.get("kind") == "pooling"
        rows.append({
            "kind": KIND_LABELS[language].get(r.get("kind"), r.get("kind")),
            "action": (r.get("action_fr") if language == "fr" else r.get("action_en")) or "",
            "resources": resource,
            "members": format_number(r.get("_n"), 0, language),
            "site": commune_of_zone(r.get("site_zone")) if pooling else "",
            "land": format_number(r.get("land_need_m2"), 0, language) if pooling else "",
            "truck_km": format_number(r.get("truck_km_avoided"), 0, language) if pooling else "",
            "co2": (format_number(r.get("co2_avoided_t"), 1, language) if not _missing(r.get("co2_avoided_t"))
                    else SUPPRESSED[language]),
        })
    return rows


def _numeric(frame, column):
    """A numeric column (NaN where absent or not a number)."""
    if frame is None or column not in frame.columns:
        return pd.Series(float("nan"), index=getattr(frame, "index", None), dtype="float64")
    return pd.to_numeric(frame[column], errors="coerce")


def rule_sources(recommendations, language: str = "fr") -> list:
    """Each instrument used once, with the legal text or publication it rests on."""
    if recommendations is None or not len(recommendations) or "instrument" not in recommendations.columns:
        return []
    pairs = {(tool["label"], tool["source"]) for item in recommendations.to_dict("records")
             for tool in recommendation_sections.instruments(item, language)}
    return [{"instrument": i, "source": s} for i, s in sorted(pairs)]
