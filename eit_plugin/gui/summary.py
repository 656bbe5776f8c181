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


def figure_lines(figures: list, french: bool) -> list:
    """The summary table's headline rows as « label : value unit », with the report's own
    labels, units and rounding (``core.report.synthesis_rows``): the dock and the report say
    the same. Per-kind detail rows (``kind:…``) are the report's tables, not the summary."""
    from ..core import ledger
    from ..core import report as core_report

    language = "fr" if french else "en"
    rows = [(r.get("indicator"), r.get("value"), r.get("unit"), r.get("label_fr"), r.get("label_en")) for r in figures]
    known = figure_labels()
    lines = []
    for row in core_report.synthesis_rows(ledger.summary_from_rows(rows), language):
        label, unit = known.get(row["indicator"], (row["indicator"], ""))
        value = row["value"]
        if value in (ledger.WITHHELD, core_report.SUPPRESSED.get(language)):
            value = tr("n.d. (statistical secret)")
        else:
            value = "{} {}".format(value, row["unit"] or unit).strip()
        lines.append(("{} : {}" if french else "{}: {}").format(row["label"] or label, value))
    return lines


def summary_html(summary: dict, french: bool, public: bool = False) -> str:
    counts = summary["counts"]
    lines = ["<b>{}</b>".format(html.escape(tr("{} synergies, {} clusters, {} recommendations").format(
        fmt(counts.get("synergies", 0), 0, french), fmt(counts.get("clusters", 0), 0, french),
        fmt(counts.get("recommendations", 0), 0, french))))]
    if counts.get("establishments") and counts.get("zones"):
        lines.append(html.escape(tr("{} establishments analysed in {} PLU zones").format(
            fmt(counts["establishments"], 0, french), fmt(counts["zones"], 0, french))))
    lines += [html.escape(line) for line in figure_lines(summary.get("figures", []), french)]
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
