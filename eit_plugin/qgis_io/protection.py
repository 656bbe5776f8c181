"""The statistical secret applied to the layers of a public GeoPackage.

``eit:fullanalysis`` in public mode writes zones, communes, synergies, clusters and
recommendations. Each figure that sums firms' flows goes through ``core.confidentiality``:

- zones and communes: every per-family total (and balance, and heat by temperature class)
  is a cell over the establishments of the zone; cells failing the 3-establishment or 85 %
  rule are blanked (NULL), with secondary suppression within each commune and EPCI, and
  ``secret_fields`` lists what was blanked. Housing figures are not firm data: kept.
- synergies: ``anonymise_synergies`` (no SIRET, no name, no quantity: a synergy is a one- or
  two-firm figure).
- clusters: members' SIRETs removed; the total quantity (and the savings derived from it)
  blanked when the members' contributions fail the rule.

The per-establishment tables (establishments, flows, alternatives) never enter a public
GeoPackage (see ``chain.INTERNAL_ONLY``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from qgis.core import QgsFeature, QgsField, QgsVectorLayer
from qgis.PyQt.QtCore import QVariant

from ..core import confidentiality as conf
from ..core.recommendations import prepare_zones
from . import layers as layer_io

FAMILY_UNITS = {"heat": "mwh", "energy": "mwh", "water": "m3", "waste": "t", "material": "t"}
HEAT_CLASSES = ((None, 60.0, "heat_supply_lt60_mwh"), (60.0, 90.0, "heat_supply_60_90_mwh"),
                (90.0, None, "heat_supply_ge90_mwh"))
# Text fields that quote the zone's firm figures: blanked when any figure of the zone is.
FIGURE_TEXTS = ("waste_by_resource", "waste_by_chapter")
SECRET_NOTE = ("Chiffres d'entreprises masqués (secret statistique : moins de 3 établissements ou un "
               "établissement au-delà de 85 %) : {}")


FLOW_COLUMNS = ("siret", "naf", "direction", "resource", "family", "quantity", "temperature_c")


def flows_frame(outputs: dict, context) -> pd.DataFrame | None:
    """The internal flows table (only the columns the secret needs), read once per run."""
    value = outputs.get("flows", {}).get("OUTPUT")
    layer = _as_layer(value, context)
    if layer is None:
        return None
    mapping = layer_io.field_map(layer.fields(), {c: [] for c in FLOW_COLUMNS}, layer.name())
    return layer_io.read_points(layer, mapping=mapping)


def _as_layer(value, context):
    return layer_io.open_vector(value, context)


def flow_cells(flows: pd.DataFrame) -> pd.DataFrame:
    """One row per flow and zone column it adds to (``column``), with ``siret`` and ``quantity``."""
    if flows is None or flows.empty:
        return pd.DataFrame(columns=["siret", "column", "quantity", "x", "y"])
    base = flows[flows["siret"].notna() & (flows["siret"].astype(str) != "")].copy()
    base["quantity"] = pd.to_numeric(base["quantity"], errors="coerce").fillna(0.0)
    base["column"] = [
        "{}_{}_{}".format(f, d, FAMILY_UNITS.get(f, "t")) for f, d in zip(base["family"], base["direction"])
    ]
    parts = [base[["siret", "column", "quantity", "x", "y"]]]
    heat = base[(base["family"] == "heat") & (base["direction"] == "supply")]
    temperature = pd.to_numeric(heat.get("temperature_c"), errors="coerce")
    for low, high, column in HEAT_CLASSES:
        mask = pd.Series(True, index=heat.index)
        if low is not None:
            mask &= temperature >= low
        if high is not None:
            mask &= temperature < high
        part = heat[mask.fillna(False)][["siret", "quantity", "x", "y"]].copy()
        part["column"] = column
        parts.append(part)
    unknown = heat[temperature.isna()][["siret", "quantity", "x", "y"]].copy()
    unknown["column"] = "heat_supply_temp_unknown_mwh"
    parts.append(unknown)
    return pd.concat(parts, ignore_index=True)


def suppressed_cells(cells: pd.DataFrame, key: str, hierarchy: list) -> set:
    """``{(key value, column)}`` of the cells the secret blanks (primary and secondary)."""
    if cells.empty:
        return set()
    table = conf.protect_table(cells, ["quantity"], [key, "column"], "siret", hierarchy)
    finest = table[(table["level"] == 0) & table["quantity_suppressed"].astype(bool)]
    return {(str(k), str(c)) for k, c in zip(finest["key"], finest["column"])}


def _blank(out: pd.DataFrame, index, columns: set, lower: dict) -> list:
    """Blank the suppressed ``columns`` of one row (plus the balances they would reveal:
    a balance and a published supply give the demand); return the blanked field names."""
    columns = set(columns)
    for family, unit in FAMILY_UNITS.items():
        if {"{}_supply_{}".format(family, unit), "{}_demand_{}".format(family, unit)} & columns:
            columns.add("{}_balance_{}".format(family, unit))
    present = sorted(lower[c] for c in columns if c in lower)
    for column in present:
        out.at[index, column] = np.nan
    return present


def protect_zone_frame(zones: pd.DataFrame, flows: pd.DataFrame | None, zone_layer=None) -> pd.DataFrame:
    """Blank the zone figures the secret forbids. ``zone_layer`` assigns flows to zones."""
    out = zones.copy()
    lower = {c.lower(): c for c in out.columns}
    figure_cols = [lower[c] for c in lower if c.endswith(("_mwh", "_m3", "_t")) and not c.startswith("housing_")]
    if flows is None or zone_layer is None:
        # Without the micro-data no cell can be checked: nothing is published.
        for column in figure_cols:
            out[column] = np.nan
        out["secret_fields"] = ", ".join(sorted(figure_cols))
        return out
    cells = flow_cells(flows)
    zone_ids, _ = zone_layer.assign(cells["x"].to_numpy(), cells["y"].to_numpy())
    cells["zone_id"] = [str(z) if z is not None else "" for z in zone_ids]
    cells = cells[cells["zone_id"] != ""]
    hierarchy_frame = prepare_zones(out)[["zone_id", "park", "commune_group", "epci"]]
    cells = cells.merge(hierarchy_frame, on="zone_id", how="inner")
    blanked = suppressed_cells(cells, "zone_id", ["park", "commune_group", "epci"])
    by_zone: dict = {}
    for zone_id, column in blanked:
        by_zone.setdefault(zone_id, set()).add(column)
    zid_col = lower.get("zone_id", "zone_id")
    secret = []
    for index, zone_id in zip(out.index, out[zid_col].astype(str)):
        present = _blank(out, index, by_zone.get(zone_id, set()), lower)
        if present:
            for text in FIGURE_TEXTS:
                if text in lower:
                    out.at[index, lower[text]] = None
            if "eit_potential_reason" in lower:
                out.at[index, lower["eit_potential_reason"]] = SECRET_NOTE.format(", ".join(present))
        secret.append(", ".join(present))
    out["secret_fields"] = secret
    return out


def protect_cluster_frame(clusters: pd.DataFrame, flows: pd.DataFrame | None) -> pd.DataFrame:
    out = clusters.copy()
    publishable, reasons = [], []
    # {(siret, resource): quantity}, built once: a cluster only looks up its own members.
    quantities = None
    if flows is not None and not flows.empty:
        table = flows.assign(quantity=pd.to_numeric(flows["quantity"], errors="coerce").fillna(0.0),
                             siret=flows["siret"].astype(str))
        quantities = table.groupby(["siret", "resource"])["quantity"].sum().to_dict()
    for row in out.to_dict("records"):
        members = [m.strip() for m in str(row.get("members") or "").replace(";", ",").split(",") if m.strip()]
        resources = sorted({r.strip() for r in str(row.get("resources") or "").replace(";", ",").split(",") if r.strip()})
        if quantities is None:
            ok, reason = conf.check_cell(None)
        else:
            contributions = {m: sum(quantities.get((m, r), 0.0) for r in resources) for m in members}
            ok, reason = conf.check_cell(contributions)
        publishable.append(ok)
        reasons.append(reason)
    mask = ~pd.Series(publishable, index=out.index, dtype=bool)
    for column in ("total_quantity", "cost_saving_eur", "co2_avoided_t"):
        if column in out.columns:
            out.loc[mask, column] = np.nan
    for column in ("members", "member_names", "siret"):
        if column in out.columns:
            out[column] = None
    out["secret_reason"] = reasons
    return out


def _frame_to_layer(frame: pd.DataFrame, template: QgsVectorLayer, name: str) -> QgsVectorLayer:
    """A memory copy of ``template`` with ``frame``'s values (same feature order) and the
    new text fields the protection added."""
    from qgis.core import QgsWkbTypes

    uri = "{}?crs={}".format(QgsWkbTypes.displayString(template.wkbType()) if template.isSpatial() else "None",
                             template.crs().authid())
    layer = QgsVectorLayer(uri, name, "memory")
    provider = layer.dataProvider()
    fields = template.fields()
    extra = [c for c in frame.columns if c not in fields.names() and c not in ("fid", "geometry")]
    provider.addAttributes([fields.at(i) for i in range(fields.count())] + [QgsField(c, QVariant.String) for c in extra])
    layer.updateFields()
    names = layer.fields().names()
    features = []
    for row in frame.to_dict("records"):
        feature = QgsFeature(layer.fields())
        values = []
        for column in names:
            value = row.get(column)
            if isinstance(value, float) and np.isnan(value):
                value = None
            elif value is not None and column in extra:
                value = str(value)
            values.append(value)
        feature.setAttributes(values)
        if row.get("geometry") is not None:
            feature.setGeometry(row["geometry"])
        features.append(feature)
    provider.addFeatures(features)
    return layer


def protect_layer(name: str, layer: QgsVectorLayer, outputs: dict, context, flows=None) -> QgsVectorLayer:
    """A protected copy of an output layer for a public GeoPackage (input untouched).
    ``flows``: the internal flows table (``flows_frame``), read once by the caller."""
    if name not in ("zones", "communes", "synergies", "clusters"):
        return layer
    frame = layer_io.read_geometries(layer)
    if name == "zones":
        from .zones import read_zones

        zone_layer = read_zones(layer, context)
        protected = protect_zone_frame(frame, flows, zone_layer)
    elif name == "communes":
        protected = protect_commune_frame(frame, flows, context, outputs)
    elif name == "synergies":
        naf = {} if flows is None else dict(zip(flows["siret"].astype(str), flows["naf"]))
        protected = conf.anonymise_synergies(frame, naf)
    else:
        protected = protect_cluster_frame(frame, flows)
    return _frame_to_layer(protected, layer, name)


def protect_commune_frame(communes: pd.DataFrame, flows, context, outputs) -> pd.DataFrame:
    """Commune figures: cells over the commune's establishments, secondary suppression per EPCI."""
    out = communes.copy()
    lower = {c.lower(): c for c in out.columns}
    figure_cols = [lower[c] for c in lower if c.endswith(("_mwh", "_m3", "_t")) and not c.startswith("housing_")]
    key = lower.get("insee")
    if flows is None or key is None or "naf" not in flows.columns:
        for column in figure_cols:
            out[column] = np.nan
        out["secret_fields"] = ", ".join(sorted(figure_cols))
        return out
    zones_value = outputs.get("zones", {}).get("OUTPUT")
    zone_layer_q = _as_layer(zones_value, context)
    from .zones import read_zones

    zone_layer = read_zones(zone_layer_q, context)
    cells = flow_cells(flows)
    zone_ids, _ = zone_layer.assign(cells["x"].to_numpy(), cells["y"].to_numpy())
    insee_by_zone = dict(zip(zone_layer.frame["zone_id"].astype(str), zone_layer.frame["insee"].astype(str)))
    cells["insee"] = [insee_by_zone.get(str(z), "") if z is not None else "" for z in zone_ids]
    cells = cells[cells["insee"] != ""]
    epci_col = lower.get("epci_siren") or lower.get("epci")
    epci = dict(zip(out[key].astype(str), out[epci_col].astype(str))) if epci_col else {}
    cells["epci"] = [epci.get(i, "EPCI") for i in cells["insee"]]
    blanked = suppressed_cells(cells, "insee", ["epci"])
    secret = []
    for index, insee in zip(out.index, out[key].astype(str)):
        present = _blank(out, index, {c for k, c in blanked if k == insee}, lower)
        secret.append(", ".join(present))
    out["secret_fields"] = secret
    return out
