"""The dock's summary of a result: the GeoPackage's ``summary`` table (the figures the
report prints) and the best synergies, as short HTML in the user's language."""
from __future__ import annotations

import html

from ..i18n import tr
from .explain import fmt


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


def figure_rows(figures: list, french: bool) -> list:
    """The summary table's headline rows as ``(indicator, label, "value unit")``, with the
    report's own labels, units and rounding (``core.report.synthesis_rows``): the dock and the
    report say the same. Per-kind detail rows (``kind:…``) are the report's tables."""
    from ..core import ledger
    from ..core import report as core_report

    language = "fr" if french else "en"
    rows = [(r.get("indicator"), r.get("value"), r.get("unit"), r.get("label_fr"), r.get("label_en")) for r in figures]
    known = figure_labels()
    out = []
    for row in core_report.synthesis_rows(ledger.summary_from_rows(rows), language):
        label, unit = known.get(row["indicator"], (row["indicator"], ""))
        value = row["value"]
        if value in (ledger.WITHHELD, core_report.SUPPRESSED.get(language)):
            value = tr("n.d. (statistical secret)")
        else:
            value = "{}\u00a0{}".format(value, row["unit"] or unit).strip()
        # A narrow no-break space is a break opportunity for Qt's rich text: a plain one is not.
        out.append((row["indicator"], row["label"] or label, value.replace("\u202f", "\u00a0")))
    return out


def figure_lines(figures: list, french: bool) -> list:
    """Every headline row as « label : value unit » (the summary's tooltip)."""
    return [("{} : {}" if french else "{}: {}").format(label, value) for _i, label, value in figure_rows(figures, french)]


def _headline(indicator: str, value: str) -> bool:
    """The impacts themselves (not their parts, overlaps or context), when not zero."""
    from ..core import ledger

    main = indicator in getattr(ledger, "IMPACTS", {}) or indicator in figure_labels()
    return main and value.split("\u00a0")[0].split(" ")[0] not in ("0", "0,0", "0.0")


def summary_html(summary: dict, french: bool, public: bool = False) -> str:
    """Counts, then the report's headline impacts as a compact table (the details are in the
    report and in the tooltip): the lists below stay in view on a small screen."""
    counts = summary["counts"]
    lines = ["<b>{}</b>".format(html.escape(tr("{} synergies, {} clusters, {} recommendations").format(
        fmt(counts.get("synergies", 0), 0, french), fmt(counts.get("clusters", 0), 0, french),
        fmt(counts.get("recommendations", 0), 0, french))))]
    if counts.get("establishments") and counts.get("zones"):
        lines.append(html.escape(tr("{} establishments analysed in {} PLU zones").format(
            fmt(counts["establishments"], 0, french), fmt(counts["zones"], 0, french))))
    cells = ["<tr><td>{}</td><td align='right' style='white-space:nowrap'>&nbsp;{}</td></tr>".format(
        html.escape(label), html.escape(value))
        for indicator, label, value in figure_rows(summary.get("figures", []), french) if _headline(indicator, value)]
    text = "<br/>".join(lines)
    if cells:
        text += "<table cellspacing='0' cellpadding='1'>{}</table>".format("".join(cells))
    if public:
        text += "<i>{}</i>".format(html.escape(tr(
            "Public mode: figures covered by the statistical secret are withheld (n.d.).")))
    return text


def summary_tooltip(summary: dict, french: bool) -> str:
    lines = figure_lines(summary.get("figures", []), french)
    return "<p>{}</p>".format("<br/>".join(html.escape(line) for line in lines)) if lines else ""


def number(value, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default
