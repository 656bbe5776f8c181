"""The dock's summary of a result: the GeoPackage's ``summary`` table (the figures the
report prints) and the best synergies, as short HTML in the user's language."""
from __future__ import annotations

import html

from ..i18n import tr
from .explain import fmt, title


def figure_labels() -> dict:
    """indicator → (label, unit) of the summary table's figures, in the user's language."""
    return {
        "mwh_recovered": (tr("Heat recovered"), tr("MWh/yr")),
        "co2_avoided_t": (tr("CO₂ avoided"), tr("t/yr")),
        "tonnes_diverted": (tr("Waste diverted from disposal"), tr("t/yr")),
        "pm10_avoided_kg": (tr("PM10 avoided"), tr("kg/yr")),
        "nox_avoided_kg": (tr("NOx avoided"), tr("kg/yr")),
        "truck_km_avoided": (tr("Truck kilometres avoided by pooling"), tr("km/yr")),
        "land_m2": (tr("Land for shared facilities"), tr("m²")),
    }


def figure_line(row: dict, french: bool) -> str:
    """One summary row as « label : value unit », the number the French way in French."""
    indicator = str(row.get("indicator"))
    known = figure_labels().get(indicator)
    label = row.get("label_fr" if french else "label_en") or row.get("label") or (known[0] if known else indicator)
    unit = row.get("unit") or (known[1] if known else "")
    value = row.get("value")
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = None
    if number is None:
        text = tr("n.d. (statistical secret)") if str(value).strip().lower() in ("n.d.", "nd", "none", "") else str(value)
    else:
        text = fmt(number, 0 if abs(number) >= 100 else 1 if abs(number) >= 1 else 2, french)
        if unit:
            text = "{} {}".format(text, unit)
    return tr("{}: {}").format(label, text)


def summary_html(summary: dict, french: bool, public: bool = False) -> str:
    counts = summary["counts"]
    lines = ["<b>{}</b>".format(html.escape(tr("{} synergies, {} clusters, {} recommendations").format(
        fmt(counts.get("synergies", 0), 0, french), fmt(counts.get("clusters", 0), 0, french),
        fmt(counts.get("recommendations", 0), 0, french))))]
    if counts.get("establishments") and counts.get("zones"):
        lines.append(html.escape(tr("{} establishments analysed in {} PLU zones").format(
            fmt(counts["establishments"], 0, french), fmt(counts["zones"], 0, french))))
    for row in summary.get("figures", []):
        lines.append(html.escape(figure_line(row, french)))
    if summary["top_synergies"]:
        lines.append("<b>{}</b>".format(html.escape(tr("Best synergies:"))))
        items = []
        for row in summary["top_synergies"][:3]:
            items.append("<li>{} — <i>{}</i></li>".format(html.escape(title("synergies", row, french)),
                                                          html.escape(str(row.get("reason") or ""))))
        lines.append("<ol style='margin-left:-20px'>{}</ol>".format("".join(items)))
    if public:
        lines.append("<i>{}</i>".format(html.escape(tr(
            "Public mode: figures covered by the statistical secret are withheld (n.d.)."))))
    return "<br/>".join(lines)


def number(value, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default
