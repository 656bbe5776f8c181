"""Explanations of the plugin's features, for the dock's lists and the "Explain" map tool.

``explain(kind, attributes, french)`` turns one feature's attributes (a dict, field name →
value) into short HTML: the reason / evidence first, then the figures behind it. Unknown
fields are ignored and missing ones skipped, so it works on every version of the outputs.
"""
from __future__ import annotations

import html
import math

from ..core import formatting
from ..i18n import tr


def _is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if hasattr(value, "isNull") and value.isNull():
        return True
    return str(value) in ("", "NULL")


def fmt(value, digits: int = 0, french: bool | None = None) -> str:
    """A number the way the user's language writes it (French: « 1 200 », « 0,96 »; English:
    « 1,200 », « 0.96 »); anything else as text."""
    if _is_missing(value):
        return ""
    if isinstance(value, bool):
        return tr("yes") if value else tr("no")
    if isinstance(value, (int, float)):
        if french is None:
            from ..plugin_locale import is_french

            french = is_french()
        return formatting.number(value, digits if abs(float(value)) < 1e6 else 0, "fr" if french else "en")
    return str(value)


def _resource_labels() -> dict:
    """code → (label_fr, label_en) from the shipped taxonomy (empty if it cannot be read)."""
    global _RESOURCES
    if _RESOURCES is None:
        try:
            from ..core.reference import load_taxonomy

            table = load_taxonomy()
            _RESOURCES = {row.code: (row.label_fr, row.label_en) for row in table.itertuples()}
        except Exception:  # noqa: BLE001 - labels are a nicety: fall back to the codes
            _RESOURCES = {}
    return _RESOURCES


_RESOURCES = None


def value_labels() -> dict:
    """Readable names of the coded values planners see (translated interface strings)."""
    return {
        "kind": {"heat_recovery": tr("waste heat recovery"), "substitution": tr("substitution (by-product as input)"),
                 "housing_heat": tr("heat for housing"), "cascade": tr("cascade"),
                 "pooling": tr("pooling"), "exchange": tr("exchange")},
        "document": {"PLU_reglement": tr("PLU regulations (règlement)"), "PLU_OAP": tr("PLU OAP"),
                     "PLU_emplacement_reserve": tr("PLU reserved site (emplacement réservé)"),
                     "SCoT_DOO": tr("SCoT DOO"), "charte_ZAE": tr("business-park charter")},
        "eit_potential": {"high": tr("high"), "medium": tr("medium"), "low": tr("low"), "none": tr("none")},
        "direction": {"supply": tr("supply (available)"), "demand": tr("demand (need)")},
        "origin": {"declared": tr("declared (survey)"), "estimated": tr("estimated (NAF ratios)")},
        "distance_kind": {"straight": tr("straight line"), "network": tr("along the network"),
                          "straight_fallback": tr("straight line (network not connected)")},
    }


def label(field: str, value, french: bool = True) -> str:
    """A coded value as a planner reads it: resource codes by their taxonomy label, kinds,
    documents and classes by their translated names; anything else unchanged."""
    if _is_missing(value):
        return ""
    if field in ("resource", "resource_supply", "resource_demand", "resources"):
        names = _resource_labels()
        parts = [p.strip() for p in str(value).replace(",", ";").split(";") if p.strip()]
        return ", ".join(names.get(p, (p, p))[0 if french else 1] for p in parts)
    return value_labels().get(field, {}).get(str(value), fmt(value))


def _rows(attributes: dict, specs, french: bool = True) -> str:
    cells = []
    for name, label_text, digits in specs:
        value = attributes.get(name)
        if _is_missing(value):
            continue
        shown = label(name, value, french) if isinstance(value, str) else fmt(value, digits, french)
        cells.append("<tr><td><i>{}</i></td><td>{}</td></tr>".format(html.escape(label_text), html.escape(shown)))
    return "<table cellspacing='2'>{}</table>".format("".join(cells)) if cells else ""


def _para(text) -> str:
    return "" if _is_missing(text) else "<p>{}</p>".format(html.escape(str(text)))


def title(kind: str, attributes: dict, french: bool = True) -> str:
    """One line naming the feature, for list items."""
    a = attributes
    if kind == "synergies" or kind == "synergy_alternatives":
        text = "{} → {}".format(label("resource_supply", a.get("resource_supply"), french),
                                label("resource_demand", a.get("resource_demand"), french))
        figures = []
        if not _is_missing(a.get("quantity")):
            figures.append("{} {}".format(fmt(a.get("quantity"), 0, french), fmt(a.get("unit"))))
        if not _is_missing(a.get("distance_m")):
            figures.append("{} m".format(fmt(a.get("distance_m"), 0, french)))
        places = [_zone_label(a.get("supplier_zone")), _zone_label(a.get("receiver_zone"))]
        if not figures and all(places):  # public: figures withheld, the zones tell links apart
            figures.append("{} → {}".format(*places))
        return ("{} : {}" if french else "{}: {}").format(text, ", ".join(figures)) if figures else text
    if kind == "clusters":
        return "{} ({} {})".format(label("resources", a.get("resources"), french), fmt(a.get("n_members"), 0, french), tr("members"))
    if kind == "recommendations":
        text = a.get("text_fr") if french else a.get("text_en")
        place = a.get("scope_label") if french else a.get("scope_label_en")
        if not _is_missing(place):  # one row per place and purpose: name both, not the first instrument's text
            text = "{} — {}".format(place, a.get("purpose_label") if french else a.get("purpose_label_en"))
        return "[{}] {}".format(label("document", a.get("document")), fmt(text if not _is_missing(text) else a.get("theme")))
    if kind == "zones":
        return "{} ({})".format(fmt(a.get("LIBELLE", a.get("libelle"))), label("eit_potential", a.get("eit_potential")))
    return fmt(a.get("name") or a.get("flow_id") or a.get("siret"))


def _zone_label(zone_id) -> str:
    """The PLU label of a zone id ``IDURBA:LIBELLE:n`` (``UXb``), else the id itself."""
    if _is_missing(zone_id):
        return ""
    parts = str(zone_id).split(":")
    return parts[1] if len(parts) == 3 and parts[1] else str(zone_id)


def _lang(attributes: dict, field_fr: str, field_en: str, french: bool):
    """The text in the user's language when both are there, else whichever exists."""
    first, second = (field_fr, field_en) if french else (field_en, field_fr)
    value = attributes.get(first)
    return value if not _is_missing(value) else attributes.get(second)


def _secret(attributes: dict, field: str) -> str:
    value = attributes.get(field)
    if _is_missing(value):
        return ""
    text = str(value)
    if text.lower().startswith(("secret statistique", "statistical secret")):
        return "<p><i>{}</i></p>".format(html.escape(text[0].upper() + text[1:]))
    return "<p><i>{} {}</i></p>".format(html.escape(tr("Statistical secret:")), html.escape(text))


def explain(kind: str, attributes: dict, french: bool = True) -> str:
    """HTML explanation of one feature of output layer ``kind``."""
    a = attributes
    if kind in ("synergies", "synergy_alternatives"):
        head = tr("Synergy {}").format(fmt(a.get("synergy_id")))
        if kind == "synergy_alternatives":
            head = tr("Alternative synergy {}").format(fmt(a.get("synergy_id")))
        body = _para(_lang(a, "reason", "reason_en", french)) + _secret(a, "suppression_reason") + _rows(a, (
            ("kind", tr("Kind"), 0),
            ("supplier_name", tr("Supplier"), 0),
            ("supplier_siret", tr("Supplier (SIRET)"), 0),
            ("receiver_name", tr("Receiver"), 0),
            ("receiver_siret", tr("Receiver (SIRET)"), 0),
            ("receiver_zone", tr("Receiving zone"), 0),
            ("resource_supply", tr("Resource supplied"), 0),
            ("resource_demand", tr("Need covered"), 0),
            ("quantity", tr("Quantity per year"), 0),
            ("unit", tr("Unit"), 0),
            ("distance_m", tr("Distance (m)"), 0),
            ("distance_kind", tr("Distance measured"), 0),
            ("score", tr("Score"), 2),
            ("confidence", tr("Confidence (0-1)"), 2),
            ("co2_avoided_t", tr("CO2 avoided (t/yr)"), 1),
            ("mwh_recovered", tr("Heat recovered (MWh/yr)"), 0),
            ("tonnes_diverted", tr("Waste diverted (t/yr)"), 0),
        ), french)
    elif kind == "clusters":
        head = tr("Cluster {}").format(fmt(a.get("cluster_id")))
        action = _lang(a, "action_fr", "action_en", french)
        body = (_para(action if not _is_missing(action) else a.get("action")) + _para(a.get("site_reason"))
                + _secret(a, "secret_reason") + _rows(a, (
            ("kind", tr("Kind"), 0),
            ("resources", tr("Resources"), 0),
            ("n_members", tr("Members"), 0),
            ("total_quantity", tr("Total quantity per year"), 0),
            ("unit", tr("Unit"), 0),
            ("zone_ids", tr("PLU zones"), 0),
            ("truck_km_avoided", tr("Truck km avoided per year"), 0),
            ("cost_saving_eur", tr("Saving (EUR/yr)"), 0),
            ("co2_avoided_t", tr("CO2 avoided (t/yr)"), 1),
        ), french))
    elif kind == "recommendations":
        head = tr("Recommendation {}").format(fmt(a.get("rec_id")))
        text = a.get("text_fr") if french else a.get("text_en")
        suppressed = a.get("suppressed")
        body = _para(text if not _is_missing(text) else a.get("text_fr")).replace("\n", "<br>")  # a line per instrument
        evidence = _lang(a, "evidence", "evidence_en", french)
        if not _is_missing(evidence):
            body += "<p><b>{}</b> {}</p>".format(html.escape(tr("Evidence:")), html.escape(str(evidence)))
        body += _rows(a, (
            ("document", tr("Planning document"), 0),
            ("scope_label", tr("Applies to"), 0),
            ("theme", tr("Theme"), 0),
            ("priority", tr("Priority (1 = high)"), 0),
            ("instrument", tr("Instrument"), 0),
            ("sources", tr("Sources"), 0),
        ), french)
        if not _is_missing(suppressed) and str(suppressed).lower() in ("true", "1"):
            body += _secret(a, "suppression_reason") or "<p><i>{}</i></p>".format(html.escape(tr(
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
        ), french)
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
        ), french)
    else:
        head = fmt(a.get("name") or a.get("siret") or kind)
        body = _rows(a, tuple((name, name, 2 if isinstance(value, float) else 0) for name, value in sorted(a.items())
                              if name not in ("fid",)), french)
    return "<h3>{}</h3>{}".format(html.escape(head), body or "<p>{}</p>".format(html.escape(tr("No details."))))
