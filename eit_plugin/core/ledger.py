"""The impact ledger: every avoided quantity counted once, with where it comes from.

Why a ledger: a headline figure summed from several output layers counts twice whatever two
layers share (an exchange cluster's CO₂ is the CO₂ of the synergies it groups). Here each
impact is one row, and every figure published anywhere is a sum of rows of this table.

``build(synergies, clusters)`` → the **impacts** frame, one row per impact:

============  ==========================================================================
source_kind   ``synergy`` | ``pooling`` (a pooling cluster's action) | ``exchange`` (an
              exchange cluster: shown, never counted) | ``pooling_overlap`` (the part of a
              pooling saving a synergy already makes: shown, never counted)
source_id     synergy_id or cluster_id
kind          synergy kind (``substitution``, ``heat_recovery``, ``housing_heat``,
              ``cascade``) or the pooling action (``shared_collection`` …)
indicator     one of ``IMPACTS`` (``co2_avoided_t``, ``mwh_recovered``, …)
value         float, in the indicator's unit (one unit per indicator: never summed across)
counted       False for rows that restate impacts counted elsewhere
status        ``potential`` (default) or ``existing`` (a synergy declared as running, column
              ``existing`` true on the synergy)
contributor   whose data the figure rests on (supplier SIRET, or the cluster id for pooling
              savings): what the statistical secret checks
============  ==========================================================================

``summary(impacts, counts, public)`` → the **summary** table, THE one source of every headline
figure (report synthesis, GeoPackage ``summary`` table, the dock, ``make demo``'s printout,
the scenario comparison). Columns:

``indicator``  stable key (``co2_avoided_t``, ``count_synergies``, ``quantity:cascade:t`` …)
``value``      float, or ``None`` when withheld by the statistical secret (written "n.d.")
``unit``       ``t CO₂/an``, ``MWh/an``, ``t/an``, ``m³/an``, ``kg/an``, ``km/an``, ``m²``, or ""
``label_fr`` / ``label_en``  how the figure is named to a reader: a potential ("pourrait
               être évité") unless the rows are declared existing

Rules: a total is the sum of its parts' rows (``co2_avoided_t`` = ``co2_synergies_t`` +
``co2_pooling_t``); in public mode a figure is published only when its contributors pass the
secret (>= 3, none above 85 %), and when exactly one part of a published total is withheld,
the smallest other part is withheld too so that it cannot be deduced by difference.
``summary_rows`` / ``summary_from_rows`` turn the table into string rows for the
GeoPackage and back.
"""
from __future__ import annotations

import math

import pandas as pd

from . import confidentiality

# indicator → (unit FR, unit EN, potential label FR, potential label EN, existing FR, existing EN)
IMPACTS = {
    "co2_avoided_t": ("t CO₂/an", "t CO₂/yr",
                      "Émissions de CO₂ qui pourraient être évitées", "CO₂ emissions that could be avoided",
                      "Émissions de CO₂ déjà évitées (déclarées)", "CO₂ emissions already avoided (declared)"),
    "mwh_recovered": ("MWh/an", "MWh/yr",
                      "Énergie qui pourrait être récupérée", "Energy that could be recovered",
                      "Énergie déjà récupérée (déclarée)", "Energy already recovered (declared)"),
    "tonnes_diverted": ("t/an", "t/yr",
                        "Déchets qui pourraient être valorisés au lieu d'être éliminés",
                        "Waste that could be recovered instead of disposed of",
                        "Déchets déjà valorisés (déclarés)", "Waste already recovered (declared)"),
    "water_reused_m3": ("m³/an", "m³/yr",
                        "Eau qui pourrait être réutilisée", "Water that could be reused",
                        "Eau déjà réutilisée (déclarée)", "Water already reused (declared)"),
    "pm10_avoided_kg": ("kg/an", "kg/yr",
                        "Particules PM10 qui pourraient être évitées", "PM10 that could be avoided",
                        "Particules PM10 déjà évitées (déclarées)", "PM10 already avoided (declared)"),
    "nox_avoided_kg": ("kg/an", "kg/yr",
                       "Oxydes d'azote (NOx) qui pourraient être évités", "NOx that could be avoided",
                       "Oxydes d'azote (NOx) déjà évités (déclarés)", "NOx already avoided (declared)"),
    "truck_km_avoided": ("km/an", "km/yr",
                         "Trajets de camion qui pourraient être évités", "Truck-km that could be avoided",
                         "Trajets de camion déjà évités (déclarés)", "Truck-km already avoided (declared)"),
    "cost_saving_eur": ("€/an", "EUR/yr",
                        "Économies possibles des entreprises mutualisées", "Possible savings of pooling firms",
                        "Économies déjà réalisées (déclarées)", "Savings already made (declared)"),
    "land_need_m2": ("m²", "m²",
                     "Foncier à prévoir pour les équipements partagés", "Land to plan for shared facilities",
                     "Foncier des équipements partagés existants", "Land of existing shared facilities"),
}
# Figures derived from distances and member counts only (no firm's data): never withheld.
NOT_CONFIDENTIAL = {"truck_km_avoided", "land_need_m2"}

COUNT_LABELS = {
    "count_establishments": ("Établissements analysés", "Establishments analysed"),
    "count_flows": ("Flux estimés ou déclarés (ressources et besoins)", "Flows estimated or declared (supplies and demands)"),
    "count_flows_declared": ("dont flux déclarés par les entreprises", "of which flows declared by firms"),
    "count_zones": ("Zones des documents d'urbanisme", "Planning zones"),
    "count_synergies": ("Synergies possibles retenues", "Possible synergies retained"),
    "count_clusters": ("Groupements (mutualisation et échanges)", "Clusters (pooling and exchange)"),
    "count_pooling_clusters": ("Groupements de mutualisation", "Pooling clusters"),
    "count_exchange_clusters": ("Groupements d'échange (synergies regroupées)", "Exchange clusters (grouped synergies)"),
    "count_recommendations": ("Recommandations", "Recommendations"),
}

KIND_LABELS = {
    "fr": {"substitution": "substitution de matière ou d'énergie", "heat_recovery": "récupération de chaleur entre entreprises",
           "housing_heat": "chaleur pour les logements",
           "cascade": "valorisation organique (biodéchets et coproduits vers amendement, alimentation animale ou méthanisation)",
           "pooling": "mutualisation", "exchange": "échanges"},
    "en": {"substitution": "material or energy substitution", "heat_recovery": "heat recovery between firms",
           "housing_heat": "heat for housing",
           "cascade": "organic recovery (food waste and by-products to soil improver, animal feed or anaerobic digestion)",
           "pooling": "pooling", "exchange": "exchange"},
}
SHORT_KIND_LABELS = {
    "fr": {"substitution": "substitution", "heat_recovery": "chaleur entre entreprises",
           "housing_heat": "chaleur pour les logements", "cascade": "valorisation organique"},
    "en": {"substitution": "substitution", "heat_recovery": "heat between firms",
           "housing_heat": "heat for housing", "cascade": "organic recovery"},
}
# A substitution's unit says what is substituted: two rows must not read the same label.
SUBSTITUTION_BY_UNIT = {"m3": ("substitution d'eau", "water substitution"),
                        "t": ("substitution de matières", "material substitution"),
                        "MWh": ("substitution d'énergie", "energy substitution")}
UNIT_LABELS = {"t": ("t/an", "t/yr"), "MWh": ("MWh/an", "MWh/yr"), "m3": ("m³/an", "m³/yr")}
UNIT_SHORT = {"t": ("tonnes", "tonnes"), "MWh": ("MWh", "MWh"), "m3": ("m³", "m³")}

IMPACT_COLUMNS = ("source_kind", "source_id", "kind", "indicator", "value", "counted", "status", "contributor")
SUMMARY_COLUMNS = ("indicator", "value", "unit", "label_fr", "label_en")
WITHHELD = "n.d."


def _numbers(frame, column) -> pd.Series:
    if frame is None or column not in getattr(frame, "columns", []):
        return pd.Series(0.0, index=getattr(frame, "index", None), dtype="float64")
    return pd.to_numeric(frame[column], errors="coerce").fillna(0.0)


def _text(frame, column, default="") -> pd.Series:
    if frame is None or column not in getattr(frame, "columns", []):
        return pd.Series(default, index=getattr(frame, "index", None), dtype=object)
    return frame[column].astype(object).where(frame[column].notna(), default).astype(str)


def _existing(frame) -> pd.Series:
    if frame is None or "existing" not in getattr(frame, "columns", []):
        return pd.Series(False, index=getattr(frame, "index", None))
    values = frame["existing"].astype(str).str.strip().str.lower()
    return values.isin(("1", "true", "yes", "oui", "vrai"))


def _rows(frame, source_kind, ids, kinds, contributors, status, indicators, counted=True) -> list:
    parts = []
    for indicator, values in indicators.items():
        keep = values != 0
        if not keep.any():
            continue
        parts.append(pd.DataFrame({
            "source_kind": source_kind, "source_id": ids[keep].to_numpy(), "kind": kinds[keep].to_numpy(),
            "indicator": indicator, "value": values[keep].round(6).to_numpy(), "counted": counted,
            "status": status[keep].to_numpy(), "contributor": contributors[keep].to_numpy(),
        }))
    return parts


def _pooling_overlap(pooled: pd.DataFrame, synergies, actions=None) -> pd.Series:
    """CO₂ of a pooled facility that a synergy already removes (t/yr per cluster).

    A shared boiler saves a share of the fuel its members burn (``co2_kg_per_unit`` of the
    pooling action, per MWh of demand); where a synergy already covers a member's demand
    with recovered heat, that fuel is not burnt at all: the saving on that part is not
    counted a second time."""
    out = pd.Series(0.0, index=pooled.index)
    needed = {"members", "resources", "group", "total_quantity"}
    if synergies is None or not len(synergies) or not needed <= set(pooled.columns) \
            or "receiver_siret" not in synergies.columns:
        return out
    if actions is None:
        from .clustering import load_pooling_actions

        actions = load_pooling_actions()
    per_unit = dict(zip(actions["group"].astype(str), pd.to_numeric(actions["co2_kg_per_unit"], errors="coerce")))
    s = synergies
    covered = _numbers(s, "quantity_demand" if "quantity_demand" in s.columns else "quantity")
    by_receiver = pd.DataFrame({"siret": _text(s, "receiver_siret"), "resource": _text(s, "resource_demand"),
                                "q": covered})
    by_receiver = by_receiver[by_receiver["siret"] != ""].groupby(["siret", "resource"])["q"].sum()
    if by_receiver.empty:
        return out
    lookup = by_receiver.to_dict()
    for index, group, members, resources, total in zip(pooled.index, pooled["group"].astype(str),
                                                       pooled["members"].astype(str), pooled["resources"].astype(str),
                                                       pd.to_numeric(pooled["total_quantity"], errors="coerce")):
        factor = per_unit.get(group, 0.0)
        if not factor or not math.isfinite(factor) or not total or not math.isfinite(total):
            continue
        res = [r.strip() for r in resources.split(",") if r.strip()]
        q = sum(lookup.get((m.strip(), r), 0.0) for m in members.split(",") for r in res)
        out[index] = round(min(q, total) * factor / 1000.0, 6)
    return out


def build(synergies: pd.DataFrame | None, clusters: pd.DataFrame | None, actions=None) -> pd.DataFrame:
    """The impacts frame (``IMPACT_COLUMNS``) from the internal synergies and clusters.

    Synergies count their CO₂, energy, diverted waste, reused water, PM10 and NOx; pooling
    clusters count their truck-km, CO₂ of the avoided trips and shared equipment, savings and
    land; exchange clusters restate the CO₂ of their synergies with ``counted`` False, and so
    does the share of a shared boiler's saving on demand a synergy already covers
    (``pooling_overlap``, deducted from the pooling row). ``actions``: the pooling actions
    table (default: the shipped one)."""
    parts = []
    if synergies is not None and len(synergies):
        s = synergies
        ids = _text(s, "synergy_id")
        unit = _text(s, "unit")
        contributor = _text(s, "supplier_siret")
        if "supplier_siret" not in s.columns:
            contributor = _text(s, "supply_flow_id")
        status = pd.Series("potential", index=s.index, dtype=object).where(~_existing(s), "existing")
        water = _numbers(s, "quantity").where(unit == "m3", 0.0)
        parts += _rows(s, "synergy", ids, _text(s, "kind"), contributor, status, {
            "co2_avoided_t": _numbers(s, "co2_avoided_t"),
            "mwh_recovered": _numbers(s, "mwh_recovered"),
            "tonnes_diverted": _numbers(s, "tonnes_diverted"),
            "water_reused_m3": water,
            "pm10_avoided_kg": _numbers(s, "pm10_avoided_kg"),
            "nox_avoided_kg": _numbers(s, "nox_avoided_kg"),
        })
    if clusters is not None and len(clusters):
        c = clusters
        kind = _text(c, "kind")
        ids = _text(c, "cluster_id")
        status = pd.Series("potential", index=c.index, dtype=object).where(~_existing(c), "existing")
        pooling = kind == "pooling"
        pc = c[pooling]
        if len(pc):
            overlap = _pooling_overlap(pc, synergies, actions)
            if (overlap != 0).any():
                parts += _rows(pc, "pooling_overlap", ids[pooling], _text(pc, "action"), ids[pooling],
                               status[pooling], {"co2_avoided_t": overlap}, counted=False)
            parts += _rows(pc, "pooling", ids[pooling], _text(pc, "action"), ids[pooling], status[pooling], {
                "co2_avoided_t": _numbers(pc, "co2_avoided_t") - overlap,
                "truck_km_avoided": _numbers(pc, "truck_km_avoided"),
                "cost_saving_eur": _numbers(pc, "cost_saving_eur"),
                "land_need_m2": _numbers(pc, "land_need_m2"),
            })
        exchange = kind == "exchange"
        ec = c[exchange]
        if len(ec):
            parts += _rows(ec, "exchange", ids[exchange], kind[exchange], ids[exchange], status[exchange],
                           {"co2_avoided_t": _numbers(ec, "co2_avoided_t")}, counted=False)
    if not parts:
        return empty_impacts()
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values(["indicator", "source_kind", "source_id"], kind="mergesort").reset_index(drop=True)
    return out[list(IMPACT_COLUMNS)]


def empty_impacts() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in IMPACT_COLUMNS})


def _publishable(rows: pd.DataFrame, indicator: str) -> bool:
    if indicator in NOT_CONFIDENTIAL or rows.empty:
        return True
    values = rows.groupby(rows["contributor"].astype(str))["value"].sum()
    if float(values.abs().sum()) == 0.0:
        return True
    return confidentiality.check_cell(values)[0]


def _kind_quantities(synergies) -> list:
    """(kind, unit, quantity, contributor series) per synergy kind and unit: quantities are
    shown per unit, never summed across tonnes, MWh and m³."""
    out = []
    if synergies is None or not len(synergies) or "kind" not in synergies.columns:
        return out
    s = synergies.assign(_q=_numbers(synergies, "quantity"), _u=_text(synergies, "unit"),
                         _k=_text(synergies, "kind"), _c=_text(synergies, "supplier_siret"))
    for (kind, unit), rows in s.groupby(["_k", "_u"], sort=True):
        if not unit:
            continue
        out.append((kind, unit, rows))
    return out


class _Table:
    """Rows of the summary table being built, with the totals whose parts the secret checks."""

    def __init__(self, public: bool):
        self.public = public
        self.rows = []
        self.groups = []  # (total indicator, [part indicators]) for the secondary suppression

    def add(self, indicator, value, unit_fr, label_fr, label_en, publishable=True):
        self.rows.append({"indicator": indicator, "value": (None if (self.public and not publishable) else value),
                          "unit": unit_fr, "label_fr": label_fr, "label_en": label_en})


def _sum_rows(rows) -> float:
    return round(float(rows["value"].sum()), 3) if len(rows) else 0.0


def _co2_rows(table: _Table, these, suffix, unit, label_fr, label_en) -> None:
    parts = []
    for source, key, sfr, sen in (("synergy", "synergies", "par les synergies", "by synergies"),
                                  ("pooling", "pooling", "par la mutualisation", "by pooling")):
        part = these[these["source_kind"] == source] if len(these) else these
        parts.append(("co2_{}_t{}".format(key, suffix), _sum_rows(part), _publishable(part, "co2_avoided_t"), sfr, sen))
    table.add("co2_avoided_t" + suffix, round(sum(p[1] for p in parts), 3), unit, label_fr, label_en,
              _publishable(these, "co2_avoided_t"))
    for key, value, ok, sfr, sen in parts:
        table.add(key, value, unit, "dont {}".format(sfr), "of which {}".format(sen), ok)
    table.groups.append(("co2_avoided_t" + suffix, [p[0] for p in parts]))


def _impact_rows(table: _Table, impacts) -> None:
    """One row per impact indicator and status (potential, then existing when declared)."""
    counted = impacts[impacts["counted"].astype(bool)] if len(impacts) else impacts
    statuses = ["potential"] + (["existing"] if len(counted) and (counted["status"] == "existing").any() else [])
    for status in statuses:
        suffix = "" if status == "potential" else "_existing"
        rows_status = counted[counted["status"] == status] if len(counted) else counted
        for indicator, (ufr, _uen, pfr, pen, efr, een) in IMPACTS.items():
            label_fr, label_en = (pfr, pen) if status == "potential" else (efr, een)
            these = rows_status[rows_status["indicator"] == indicator] if len(rows_status) else rows_status
            if indicator == "co2_avoided_t":
                _co2_rows(table, these, suffix, ufr, label_fr, label_en)
            else:
                table.add(indicator + suffix, _sum_rows(these), ufr, label_fr, label_en, _publishable(these, indicator))


def _shown_rows(table: _Table, impacts) -> None:
    """Figures shown for reading, never added: exchange clusters and pooling overlaps."""
    if not len(impacts):
        return
    overlap = impacts[impacts["source_kind"] == "pooling_overlap"]
    if len(overlap):
        table.add("co2_pooling_overlap_t", _sum_rows(overlap), "t CO₂/an",
                  "CO₂ des chaufferies partagées sur des besoins déjà couverts par une synergie (non compté)",
                  "CO₂ of shared boilers on demand already covered by a synergy (not counted)",
                  _publishable(overlap, "co2_avoided_t"))
    shown = impacts[impacts["source_kind"] == "exchange"]
    if len(shown):
        table.add("co2_in_exchange_clusters_t", _sum_rows(shown), "t CO₂/an",
                  "dont CO₂ des synergies regroupées en groupements d'échange (déjà compté ci-dessus, non additionné)",
                  "of which CO₂ of synergies grouped in exchange clusters (already counted above, not added)",
                  _publishable(shown, "co2_avoided_t"))


def _cell_ok(values: pd.Series, by: pd.Series) -> bool:
    grouped = values.groupby(by).sum()
    return float(grouped.abs().sum()) == 0.0 or confidentiality.check_cell(grouped)[0]


def _kind_rows(table: _Table, synergies) -> None:
    """Count, quantity (in its own unit) and CO₂ of each synergy kind."""
    co2_parts = []
    for kind, unit, rows in _kind_quantities(synergies):
        ufr, _uen = UNIT_LABELS.get(unit, ("{}/an".format(unit), "{}/yr".format(unit)))
        short_fr, short_en = UNIT_SHORT.get(unit, (unit, unit))
        lfr, len_ = kind_label(kind, unit, "fr", short=True), kind_label(kind, unit, "en", short=True)
        table.add("count:{}:{}".format(kind, unit), float(len(rows)), "",
                  "Synergies possibles : {} (flux en {})".format(lfr, short_fr),
                  "Possible synergies: {} (flows in {})".format(len_, short_en))
        table.add("quantity:{}:{}".format(kind, unit), round(float(rows["_q"].sum()), 3), ufr,
                  "Quantité qui pourrait être échangée : {}".format(lfr), "Quantity that could be exchanged: {}".format(len_),
                  _cell_ok(rows["_q"], rows["_c"]))
        co2 = _numbers(rows, "co2_avoided_t")
        table.add("co2:{}:{}".format(kind, unit), round(float(co2.sum()), 3), "t CO₂/an",
                  "CO₂ qui pourrait être évité : {} (flux en {})".format(lfr, short_fr),
                  "CO₂ that could be avoided: {} (flows in {})".format(len_, short_en), _cell_ok(co2, rows["_c"]))
        co2_parts.append("co2:{}:{}".format(kind, unit))
    if co2_parts:
        table.groups.append(("co2_synergies_t", co2_parts))


def kind_label(kind: str, unit: str, language: str = "fr", short: bool = False) -> str:
    """The label of a synergy kind in one unit (a substitution of water, of materials…)."""
    if kind == "substitution" and unit in SUBSTITUTION_BY_UNIT:
        return SUBSTITUTION_BY_UNIT[unit][0 if language == "fr" else 1]
    labels = SHORT_KIND_LABELS if short else KIND_LABELS
    return labels[language if language in labels else "en"].get(kind, kind)


def summary(impacts: pd.DataFrame, counts: dict | None = None, public: bool = False,
            synergies: pd.DataFrame | None = None, context: dict | None = None) -> pd.DataFrame:
    """The summary table (``SUMMARY_COLUMNS``) from the impacts frame.

    ``counts``: ``{"establishments": n, …}`` (written as ``count_<name>``); ``synergies``:
    the internal synergies, for the count and quantity of each kind per unit; ``context``:
    extra figures with their contributors, ``{indicator: (value, contributors Series,
    unit_fr, unit_en, label_fr, label_en)}`` (e.g. the waste produced on the territory, which
    puts the diverted tonnage in proportion)."""
    impacts = impacts if impacts is not None else empty_impacts()
    table = _Table(public)
    for name, value in (counts or {}).items():
        fr, en = COUNT_LABELS.get("count_" + name, (name, name))
        table.add("count_" + name, float(value), "", fr, en)
    _impact_rows(table, impacts)
    _shown_rows(table, impacts)
    _kind_rows(table, synergies)
    for indicator, (value, contributors, ufr, _uen, lfr, len_) in (context or {}).items():
        ok = contributors is None or confidentiality.check_cell(contributors)[0]
        table.add(indicator, round(float(value), 3), ufr, lfr, len_, ok)
    frame = pd.DataFrame(table.rows, columns=list(SUMMARY_COLUMNS))
    if public:
        _secondary(frame, table.groups)
    return frame


def _secondary(table: pd.DataFrame, groups) -> None:
    """A published total with exactly one withheld part would reveal it by difference:
    withhold the smallest other published part (or the total when there is none)."""
    index = {k: i for i, k in enumerate(table["indicator"])}
    for total, parts in groups:
        if total not in index or table.at[index[total], "value"] is None:
            continue
        present = [p for p in parts if p in index]
        withheld = [p for p in present if table.at[index[p], "value"] is None]
        if len(withheld) != 1:
            continue
        others = [p for p in present if table.at[index[p], "value"] is not None]
        if others:
            smallest = min(others, key=lambda p: (abs(table.at[index[p], "value"]), p))
            table.at[index[smallest], "value"] = None
        else:
            table.at[index[total], "value"] = None


def figures(table: pd.DataFrame) -> dict:
    """``{indicator: value}`` (``None`` = withheld) from a summary table."""
    if table is None or not len(table):
        return {}
    return {str(k): (None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v))
            for k, v in zip(table["indicator"], table["value"])}


def summary_rows(table: pd.DataFrame) -> list:
    """String rows (``SUMMARY_COLUMNS``) for the GeoPackage's ``summary`` table; a withheld
    value is written ``n.d.``; numbers with a dot and at most 3 decimals (machine-readable)."""
    out = []
    for record in table.to_dict("records"):
        value = record["value"]
        withheld = value is None or (isinstance(value, float) and math.isnan(value))
        text = WITHHELD if withheld else repr(round(float(value), 3))
        out.append((record["indicator"], text, record["unit"], record["label_fr"], record["label_en"]))
    return out


def summary_from_rows(rows) -> pd.DataFrame:
    """Back from the GeoPackage rows (``indicator, value[, unit, label_fr, label_en]``)."""
    records = []
    for row in rows:
        row = list(row) + [""] * (5 - len(row))
        indicator, text, unit, label_fr, label_en = row[:5]
        try:
            value = float(text)
        except (TypeError, ValueError):
            value = None
        records.append({"indicator": str(indicator), "value": value, "unit": unit or "",
                        "label_fr": label_fr or "", "label_en": label_en or ""})
    return pd.DataFrame(records, columns=list(SUMMARY_COLUMNS))


def unit_label(unit: str, language: str = "fr") -> str:
    """The reader's unit of a summary row (the table stores the French one)."""
    if language == "fr":
        return unit
    for ufr, uen, *_ in IMPACTS.values():
        if ufr == unit:
            return uen
    for ufr, uen in UNIT_LABELS.values():
        if ufr == unit:
            return uen
    return unit.replace("/an", "/yr")


def waste_context(flows: pd.DataFrame | None) -> dict:
    """The waste produced on the territory (t/yr, estimated or declared): it puts the tonnage
    that could be diverted in proportion (``context`` of ``summary``)."""
    if flows is None or not len(flows) or not {"direction", "family", "quantity"} <= set(flows.columns):
        return {}
    waste = flows[(flows["direction"].astype(str) == "supply") & (flows["family"].astype(str) == "waste")]
    if "unit" in waste.columns:
        waste = waste[waste["unit"].astype(str) == "t"]
    if not len(waste):
        return {}
    quantity = _numbers(waste, "quantity")
    who = _text(waste, "siret") if "siret" in waste.columns else _text(waste, "flow_id")
    return {"waste_produced_t": (float(quantity.sum()), quantity.groupby(who).sum(), "t/an", "t/yr",
                                 "Déchets produits sur le territoire (estimés ou déclarés)",
                                 "Waste produced on the territory (estimated or declared)")}


def headline(synergies, clusters, flows=None, counts: dict | None = None, public: bool = False) -> pd.DataFrame:
    """The summary table of a run, from its internal (unprotected) tables: ledger, counts,
    each synergy kind per unit, and the waste produced for proportion."""
    synergy_count = 0 if synergies is None else len(synergies)
    kinds = _text(clusters, "kind") if clusters is not None and len(clusters) else pd.Series(dtype=object)
    full_counts = dict(counts or {})
    full_counts.setdefault("synergies", synergy_count)
    full_counts.setdefault("clusters", int(len(kinds)))
    full_counts["pooling_clusters"] = int((kinds == "pooling").sum())
    full_counts["exchange_clusters"] = int((kinds == "exchange").sum())
    if flows is not None and "origin" in flows.columns:
        full_counts["flows_declared"] = int((flows["origin"].astype(str) == "declared").sum())
    order = ["establishments", "flows", "flows_declared", "zones", "synergies", "clusters", "pooling_clusters",
             "exchange_clusters", "recommendations"]
    full_counts = {k: full_counts[k] for k in sorted(full_counts, key=lambda k: (order.index(k) if k in order else 99, k))}
    return summary(build(synergies, clusters), full_counts, public, synergies, waste_context(flows))
