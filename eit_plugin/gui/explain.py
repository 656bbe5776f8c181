"""Explanations of the plugin's features, for the dock's lists and the "Explain" map tool.

``explain(kind, attributes, french)`` turns one feature's attributes (a dict, field name →
value) into short HTML: the reason / evidence first, then the figures behind it. Unknown
fields are ignored and missing ones skipped, so it works on every version of the outputs.
"""
from __future__ import annotations

import html
import math

from ..i18n import tr


def _is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if hasattr(value, "isNull") and value.isNull():
        return True
    return str(value) in ("", "NULL")


def fmt(value, digits: int = 0) -> str:
    """A number with thin thousands separators (French typography), else the text."""
    if _is_missing(value):
        return ""
    if isinstance(value, bool):
        return tr("yes") if value else tr("no")
    if isinstance(value, (int, float)):
        text = "{:,.{}f}".format(float(value), digits if abs(float(value)) < 1e6 else 0)
        return text.replace(",", "\u202f")
    return str(value)


def _rows(attributes: dict, specs) -> str:
    cells = []
    for name, label, digits in specs:
        value = attributes.get(name)
        if _is_missing(value):
            continue
        cells.append("<tr><td><i>{}</i></td><td>{}</td></tr>".format(html.escape(label), html.escape(fmt(value, digits))))
    return "<table cellspacing='2'>{}</table>".format("".join(cells)) if cells else ""


def _para(text) -> str:
    return "" if _is_missing(text) else "<p>{}</p>".format(html.escape(str(text)))


def title(kind: str, attributes: dict, french: bool = True) -> str:
    """One line naming the feature, for list items."""
    a = attributes
    if kind == "synergies" or kind == "synergy_alternatives":
        return "{} → {} : {} {}".format(
            fmt(a.get("resource_supply")), fmt(a.get("resource_demand")), fmt(a.get("quantity")), fmt(a.get("unit")))
    if kind == "clusters":
        return "{} ({} {})".format(fmt(a.get("resources")), fmt(a.get("n_members")), tr("members"))
    if kind == "recommendations":
        text = a.get("text_fr") if french else a.get("text_en")
        return "[{}] {}".format(fmt(a.get("document")), fmt(text if not _is_missing(text) else a.get("theme")))
    if kind == "zones":
        return "{} ({})".format(fmt(a.get("LIBELLE", a.get("libelle"))), fmt(a.get("eit_potential")))
    return fmt(a.get("name") or a.get("flow_id") or a.get("siret"))


def explain(kind: str, attributes: dict, french: bool = True) -> str:
    """HTML explanation of one feature of output layer ``kind``."""
    a = attributes
    if kind in ("synergies", "synergy_alternatives"):
        head = tr("Synergy {}").format(fmt(a.get("synergy_id")))
        if kind == "synergy_alternatives":
            head = tr("Alternative synergy {}").format(fmt(a.get("synergy_id")))
        body = _para(a.get("reason")) + _rows(a, (
            ("kind", tr("Kind"), 0),
            ("supplier_siret", tr("Supplier (SIRET)"), 0),
            ("receiver_siret", tr("Receiver (SIRET)"), 0),
            ("receiver_zone", tr("Receiving zone"), 0),
            ("quantity", tr("Quantity per year"), 0),
            ("unit", tr("Unit"), 0),
            ("distance_m", tr("Distance (m)"), 0),
            ("distance_kind", tr("Distance measured"), 0),
            ("score", tr("Score"), 2),
            ("confidence", tr("Confidence (0-1)"), 2),
            ("co2_avoided_t", tr("CO2 avoided (t/yr)"), 1),
            ("mwh_recovered", tr("Heat recovered (MWh/yr)"), 0),
            ("tonnes_diverted", tr("Waste diverted (t/yr)"), 0),
        ))
    elif kind == "clusters":
        head = tr("Cluster {}").format(fmt(a.get("cluster_id")))
        body = _para(a.get("action")) + _para(a.get("site_reason")) + _rows(a, (
            ("kind", tr("Kind"), 0),
            ("resources", tr("Resources"), 0),
            ("n_members", tr("Members"), 0),
            ("total_quantity", tr("Total quantity per year"), 0),
            ("unit", tr("Unit"), 0),
            ("zone_ids", tr("PLU zones"), 0),
            ("truck_km_avoided", tr("Truck km avoided per year"), 0),
            ("cost_saving_eur", tr("Saving (EUR/yr)"), 0),
            ("co2_avoided_t", tr("CO2 avoided (t/yr)"), 1),
        ))
    elif kind == "recommendations":
        head = tr("Recommendation {}").format(fmt(a.get("rec_id")))
        text = a.get("text_fr") if french else a.get("text_en")
        suppressed = a.get("suppressed")
        body = _para(text if not _is_missing(text) else a.get("text_fr"))
        if not _is_missing(a.get("evidence")):
            body += "<p><b>{}</b> {}</p>".format(html.escape(tr("Evidence:")), html.escape(str(a.get("evidence"))))
        body += _rows(a, (
            ("document", tr("Planning document"), 0),
            ("scope_id", tr("Applies to"), 0),
            ("theme", tr("Theme"), 0),
            ("priority", tr("Priority (1 = high)"), 0),
            ("instrument", tr("Instrument"), 0),
        ))
        if not _is_missing(suppressed) and str(suppressed).lower() in ("true", "1"):
            body += "<p><i>{}</i></p>".format(html.escape(tr(
                "Figures withheld: statistical secret (fewer than 3 establishments or one above 85 %).")))
    elif kind == "zones":
        head = tr("PLU zone {}").format(fmt(a.get("LIBELLE", a.get("libelle", a.get("zone_id")))))
        body = _para(a.get("eit_potential_reason")) + _rows(a, (
            ("TYPEZONE", tr("Zone type"), 0),
            ("eit_potential", tr("EIT potential"), 0),
            ("n_establishments", tr("Establishments"), 0),
            ("jobs_est", tr("Estimated jobs"), 0),
            ("heat_supply_mwh", tr("Heat supply (MWh/yr)"), 0),
            ("heat_demand_mwh", tr("Heat demand (MWh/yr)"), 0),
            ("waste_supply_t", tr("Waste supply (t/yr)"), 0),
            ("mixity_index", tr("Mixity index (0-1)"), 2),
        ))
    elif kind == "flows":
        head = tr("Flow {}").format(fmt(a.get("flow_id")))
        body = _rows(a, (
            ("name", tr("Establishment"), 0),
            ("direction", tr("Direction"), 0),
            ("resource", tr("Resource"), 0),
            ("quantity", tr("Quantity per year"), 0),
            ("unit", tr("Unit"), 0),
            ("temperature_c", tr("Temperature (°C)"), 0),
            ("origin", tr("Origin"), 0),
            ("confidence", tr("Confidence (0-1)"), 2),
            ("ratio_source", tr("Source of the ratio"), 0),
        ))
    else:
        head = fmt(a.get("name") or a.get("siret") or kind)
        body = _rows(a, tuple((name, name, 2 if isinstance(value, float) else 0) for name, value in sorted(a.items())
                              if name not in ("fid",)))
    return "<h3>{}</h3>{}".format(html.escape(head), body or "<p>{}</p>".format(html.escape(tr("No details."))))
