"""The EIT method as one in-memory pipeline of frames.

Each step is a function of the previous steps' frames; the Processing algorithms of the
toolbox call the *same* functions after reading their inputs from layers, and
``eit:fullanalysis`` calls :func:`run` after reading every input once. Nothing here touches
QGIS: the spatial helpers are passed in (``zone_index``: any object with ``frame``,
``assign(xs, ys)``, ``nearest_zone(xs, ys)`` and ``adjacency(distance_m, feedback)``, as
``qgis_io.zones.ZoneLayer``; networks are ``core.network.LineNetwork``).

Frames passed between the steps (positions ``x``, ``y`` in EPSG:2154):

- establishments: ``ESTABLISHMENT_FIELDS`` names (at least ``siret``, ``naf`` and a
  headcount) + ``x``, ``y``;
- flows: ``FLOW_FIELDS`` + ``x``, ``y``; after the overlay also ``zone_id``;
- zones: the zone index's frame (CNIG columns, geometry) and the indicator table aligned
  with it (``OverlayResult.table``);
- synergies / alternatives: ``SYNERGY_FIELDS`` + ``x1, y1, x2, y2`` and extensions;
- clusters: ``CLUSTER_FIELDS`` + ``hull_wkt``, ``site_x``, ``site_y``…;
- recommendations: ``RECOMMENDATION_FIELDS``.

Each step receives only the columns it reads (a column selection, not a copy of the whole
frame kept around), so what a step sees in the pipeline is what it sees when its algorithm
reads the previous step's layer.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .feedback import NULL_FEEDBACK
from .fields import FLOW_FIELDS, SYNERGY_FIELDS

FLOW_COLUMNS = tuple(f.name for f in FLOW_FIELDS)
# What each reading step takes of the flows (the fields its algorithm reads from the layer).
OVERLAY_FLOW_COLUMNS = ("siret", "naf", "direction", "resource", "family", "quantity", "unit", "temperature_c",
                        "ewc_code")
# Columns of the synergies the clustering reads (eit:detectclusters reads these from the layer).
CLUSTER_SYNERGY_COLUMNS = ("synergy_id", "kind", "supplier_siret", "receiver_siret", "receiver_zone",
                           "resource_supply", "resource_demand", "quantity", "unit", "co2_avoided_t")
# The zone columns the synergy detection reads (housing heat demands of the zones).
SYNERGY_ZONE_COLUMNS = ("zone_id", "typezone", "libelle", "insee", "housing_heat_demand_mwh", "is_future")
# Codes with few distinct values: categoricals take a few bytes a row instead of a pointer
# to a Python string each (a million flows carry ~15 such columns).
CATEGORICAL_FLOW_COLUMNS = ("direction", "resource", "family", "unit", "origin", "ratio_source", "ewc_code", "naf")


def columns(frame: pd.DataFrame, wanted) -> pd.DataFrame:
    """``frame`` restricted to the ``wanted`` columns it has (in ``wanted`` order)."""
    return frame[[c for c in wanted if c in frame.columns]]


def as_objects(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns back to plain object columns (for steps that compare or join on
    string values and must see exactly what a layer read gives)."""
    cats = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    if not cats:
        return frame
    out = frame.copy(deep=False)
    for c in cats:
        out[c] = out[c].astype(object).where(out[c].notna(), None)
    return out


# Steps ----------------------------------------------------------------------------------------
def estimate_flows(establishments: pd.DataFrame, declared=None, ratios=None, feedback=None, ratio_label="ratios.csv",
                   declared_label="", registers=None, registers_label=""):
    """establishments (+ declared flows, registers) → (flows, report): ``core.estimation.build_flows``."""
    from . import estimation

    return estimation.build_flows(establishments, declared=declared, ratios=ratios, feedback=feedback,
                                  ratio_label=ratio_label, declared_label=declared_label, registers=registers,
                                  registers_label=registers_label)


@dataclass
class OverlayResult:
    """What the overlay of flows on zones gives: the zone indicator table (aligned with the
    zone index's frame), the flows' zones, the commune/EPCI totals and the counts."""

    table: pd.DataFrame
    flow_zone: np.ndarray                 # zone_id of each flow (None outside every zone)
    flow_n_zones: np.ndarray
    est: pd.DataFrame                     # establishments per zone (indicators.zone_establishments)
    communes: pd.DataFrame | None = None  # indicators.aggregate_communes
    merged: pd.DataFrame | None = None    # table + insee (for the commune geometry)
    counts: dict = field(default_factory=dict)


def overlay(zone_index, flows: pd.DataFrame, establishments: pd.DataFrame | None = None,
            housing: pd.DataFrame | None = None, distance_m: float = 50.0, rules=None, assumptions=None,
            communes: bool = True, epci="shipped", census=None, feedback=None) -> OverlayResult:
    """Flows (and establishments, housing with ``zone_id``) on zones → zone indicators.

    ``flows``: the overlay columns (``OVERLAY_FLOW_COLUMNS`` + ``headcount_est`` when
    present) and ``x``, ``y``. ``establishments``: ``siret``, ``naf``, ``headcount_est``,
    ``x``, ``y`` (optional). ``housing``: with ``zone_id`` already (its geometry is QGIS's).
    ``epci``: a table, ``None`` (communes only) or ``"shipped"`` (the shipped table).
    ``census``: dwellings per commune (``indicators.read_census``) scaling the housing estimate."""
    from . import indicators

    feedback = feedback or NULL_FEEDBACK
    flows = as_objects(flows).copy(deep=False)
    xs = flows["x"].to_numpy(dtype=float)
    ys = flows["y"].to_numpy(dtype=float)
    zone_ids, n_in = zone_index.assign(xs, ys)
    flows["zone_id"] = zone_ids
    flows["n_zones"] = n_in
    unzoned = flows["zone_id"].isna().to_numpy()
    nearest = pd.Series([None] * len(flows), index=flows.index, dtype=object)
    if unzoned.any():
        sel = unzoned & ~np.isnan(xs)
        nearest[sel] = zone_index.nearest_zone(xs[sel], ys[sel])
    counts = {"flows": len(flows), "unzoned": int(unzoned.sum()), "multi": int((np.asarray(n_in) >= 2).sum()),
              "no_geometry": int(np.isnan(xs).sum())}
    feedback.check_cancelled()
    if establishments is not None:
        establishments = as_objects(establishments).copy(deep=False)
        ez, _ = zone_index.assign(establishments["x"].to_numpy(dtype=float), establishments["y"].to_numpy(dtype=float))
        establishments["zone_id"] = ez
        if "naf" not in establishments.columns:
            establishments["naf"] = None
    adjacency = zone_index.adjacency(distance_m, feedback)
    rules = indicators.load_rules(None) if rules is None else rules
    assumptions = indicators.load_housing_assumptions(None) if assumptions is None else assumptions
    est = indicators.zone_establishments(flows, establishments)
    table = indicators.compute_zone_indicators(
        zone_index.frame, flows, adjacency, rules=rules, establishments=establishments, housing=housing,
        assumptions=assumptions, unzoned_nearest=nearest, feedback=feedback, est=est, census=census)
    result = OverlayResult(table=table, flow_zone=flows["zone_id"].to_numpy(dtype=object), flow_n_zones=np.asarray(n_in),
                           est=est, counts=counts)
    if communes:
        merged = table.copy()
        merged["insee"] = zone_index.frame["insee"].to_numpy()
        epci_table = indicators.load_epci() if isinstance(epci, str) and epci == "shipped" else epci
        result.counts["epci"] = epci_table is not None
        result.merged = merged
        result.communes = indicators.aggregate_communes(merged, est, epci_table)
    return result


def housing_zones(zone_frame: pd.DataFrame) -> pd.DataFrame | None:
    """The zones the synergy detection treats as heat demands: the zones table (``zone_id``,
    ``typezone``, ``libelle``, ``insee``, ``housing_heat_demand_mwh``, ``is_future``, ``x``,
    ``y``, ``area_m2``) when some zone has a housing heat demand, else ``None``."""
    if zone_frame is None or "housing_heat_demand_mwh" not in zone_frame.columns:
        return None
    if not (pd.to_numeric(zone_frame["housing_heat_demand_mwh"], errors="coerce") > 0).any():
        return None
    return zone_frame


def synergies(flows: pd.DataFrame, zones: pd.DataFrame | None, params=None, taxonomy=None, compatibility=None,
              emission_factors=None, road_network=None, heat_network=None, feedback=None):
    """flows (+ housing zones, networks) → ``core.matching`` result (synergies, alternatives)."""
    from . import matching

    return matching.detect_synergies(
        as_objects(flows), zones, params, taxonomy=taxonomy, compatibility=compatibility,
        emission_factors=emission_factors, road_network=road_network, heat_network=heat_network, feedback=feedback)


def clusters(flows: pd.DataFrame, synergies_frame: pd.DataFrame | None = None, distance_m: float = 500.0,
             min_members: int = 3, min_quantity_factor: float = 1.0, actions=None, rules=None, zones=None,
             network=None, feedback=None) -> pd.DataFrame:
    """flows (+ synergies, zones, road network) → pooling and exchange clusters."""
    from . import clustering

    return clustering.detect_clusters(
        as_objects(flows), synergies_frame, distance_m=distance_m, min_members=min_members,
        min_quantity_factor=min_quantity_factor, actions=actions, rules=rules, zones=zones, network=network,
        feedback=feedback or NULL_FEEDBACK)


def recommendations(zones: pd.DataFrame, synergies_frame, clusters_frame, flows=None, public=True, rules=None,
                    feedback=None) -> pd.DataFrame:
    """zones, synergies, clusters (+ flows with ``zone_id``) → recommendations."""
    from . import recommendations as recs

    return recs.recommend(zones, synergies_frame, clusters_frame, rules=rules, public=public,
                          flows=None if flows is None else as_objects(flows), feedback=feedback)


def synergy_ends(frame: pd.DataFrame) -> pd.DataFrame:
    """The synergies as eit:detectclusters reads them: ``CLUSTER_SYNERGY_COLUMNS`` and the
    line's end points ``x1, y1, x2, y2``."""
    return columns(frame, (*CLUSTER_SYNERGY_COLUMNS, "x1", "y1", "x2", "y2")).copy()


def compact_flows(flows: pd.DataFrame) -> pd.DataFrame:
    """Flows with their low-cardinality codes as categoricals (in place of object columns)."""
    for c in CATEGORICAL_FLOW_COLUMNS:
        if c in flows.columns and flows[c].dtype == object:
            flows[c] = flows[c].astype("category")
    return flows


SYNERGY_COLUMNS = tuple(f.name for f in SYNERGY_FIELDS)
