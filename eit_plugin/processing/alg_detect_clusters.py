"""eit:detectclusters — pooling clusters (who can share a collection round, a platform, a
boiler...) and exchange clusters (communities of the synergy graph), with a suggested site
for each shared facility.

Reads the parameters, turns layers into tables (``qgis_io``), calls
``core.clustering.detect_clusters`` and writes the polygons (and optionally the sites).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from qgis.core import (
    QgsGeometry,
    QgsPointXY,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)

from ..core import catalogue, clustering, pipeline
from ..core.errors import EitInputError
from ..core.fields import CLUSTER_FIELDS, F
from ..i18n import tr
from ..qgis_io.layers import field_map, qgs_fields, read_geometries, schema_types, wkb, working_crs
from .base import EitAlgorithm, QgisFeedback
from .inputs import read_flows, read_network
from .parameters import sink, source

SITE_FIELDS = (
    F("cluster_id", "str", "Identifiant du groupement", "Cluster id"),
    F("action_fr", "str", "Action de mutualisation", "Pooling action (French)"),
    F("facility", "str", "Équipement partagé", "Shared facility"),
    F("land_need_m2", "float", "Foncier nécessaire (m²)", "Land needed (m²)"),
    F("site_zone", "str", "Zone du site proposé", "Suggested site zone"),
    F("site_kind", "str", "Origine du site proposé", "Suggested site origin"),
    F("site_mean_distance_m", "float", "Distance moyenne pondérée au site (m)", "Weighted mean distance to site (m)"),
    F("site_reason", "str", "Justification du site", "Site reason"),
)

SYNERGY_COLUMNS = ("synergy_id", "kind", "supplier_siret", "receiver_siret", "receiver_zone", "resource_supply",
                   "resource_demand", "quantity", "unit", "co2_avoided_t")


class _ZoneSites:
    """``ZoneLayer`` plus ``nearest_point(zone_id, x, y)`` (GEOS) for the site search."""

    def __init__(self, layer):
        self.layer = layer
        self.frame = layer.frame
        self.bbox = getattr(layer, "bbox", None)

    def assign(self, xs, ys):
        return self.layer.assign(xs, ys)

    def point_on_surface(self, zone_id):
        return self.layer.point_on_surface(zone_id)

    def nearest_point(self, zone_id, x, y):
        geom = self.layer.geometry(zone_id)
        if geom is None or geom.isNull() or geom.isEmpty():
            return (math.nan, math.nan)
        point = geom.nearestPoint(QgsGeometry.fromPointXY(QgsPointXY(x, y))).asPoint()
        return (point.x(), point.y())


def _endpoints(geom):
    if geom is None or geom.isNull() or geom.isEmpty():
        return (math.nan, math.nan, math.nan, math.nan)
    if geom.isMultipart():
        parts = geom.asMultiPolyline()
        if not parts:
            return (math.nan,) * 4
        first, last = parts[0][0], parts[-1][-1]
    else:
        line = geom.asPolyline()
        if not line:
            return (math.nan,) * 4
        first, last = line[0], line[-1]
    return (first.x(), first.y(), last.x(), last.y())


class DetectClustersAlgorithm(EitAlgorithm):
    ALG_ID = "detectclusters"
    DISPLAY_NAME = "Detect pooling clusters"
    GROUP = "3. Synergies and pooling"
    GROUP_ID = "synergies"
    HELP = (
        "Finds mutualisation clusters and suggests where a shared facility should go.\n\n"
        "Pooling clusters: for each resource group of the pooling actions table (e.g. cardboard and "
        "plastic film share one collection round; space heating, hot water and low-temperature heat "
        "share one boiler house), establishments with the same supply (or the same demand) within "
        "DISTANCE_M of each other, step by step (straight line, or along NETWORK when given). A "
        "group wider than the action's maximum span (a collection round, a heat loop) is cut in "
        "halves until it fits. A cluster needs MIN_MEMBERS establishments and the group's minimum "
        "annual quantity (in the actions table, multiplied by MIN_QUANTITY_FACTOR).\n"
        "Exchange clusters (when SYNERGIES is given, output of eit:detectsynergies): communities of "
        "the synergy graph (Louvain, fixed seed) with their internal flows summed per unit.\n\n"
        "Each cluster: polygon (convex hull of the members buffered by 50 m), members (SIRET), PLU "
        "zones touched, resources, total quantity, pooling action, land need, savings estimate "
        "(truck-km, EUR, t CO2, with its assumptions in savings_basis) and a suggested site: the "
        "quantity-weighted geometric median, or the nearest admissible point (a member, or the point "
        "of an allowed zone nearest to the median) when ZONES is given and the median's zone does not "
        "allow the facility (rules in resources/rules/facility_zones.csv: TYPEZONE, DESTDOMI, FORMDOMI, "
        "DESTOUI/DESTNON, LIBELLE; a forbid rule wins). site_reason says why, including when no zone "
        "allows it. Ids: P-<group>-<n> by decreasing total quantity, E-<n> by decreasing size: the same "
        "inputs give the same clusters. ACTIONS and FACILITY_RULES override the shipped tables. Output "
        "in EPSG:2154.\n\n"
        "Example: qgis_process.bin run eit:detectclusters -- FLOWS=flows.gpkg SYNERGIES=synergies.gpkg "
        "ZONES=zones.gpkg DISTANCE_M=500 MIN_MEMBERS=3 OUTPUT=clusters.gpkg SITES=sites.gpkg\n\n"
        "Complexity: O(n log n) for n flows (Delaunay neighbour graph: fewer than 3n edges, no pair "
        "loop; its components equal those of 'every pair within DISTANCE_M'); with NETWORK, "
        "O(n log n + k) KD-tree candidate pairs k, each checked by a bounded Dijkstra; sites: O(c log z) "
        "per cluster of c members among z zones; exchange communities: O(s log s) for s synergies."
    )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_parameters(
            source(catalogue.FLOWS_INPUT), source(catalogue.SYNERGIES_INPUT),
            source(catalogue.ZONES_INPUT, tr("PLU zones (CNIG zone_urba or eit:zoneoverlay output)"), optional=True),
            source(catalogue.NETWORK_INPUT, tr("Network for distances (roads)")))
        self.addParameter(QgsProcessingParameterNumber(
            catalogue.DISTANCE_M, tr("Maximum distance between neighbouring members (m)"),
            QgsProcessingParameterNumber.Type.Double, defaultValue=catalogue.POOLING_DISTANCE_M, minValue=1))
        self.addParameter(QgsProcessingParameterNumber(
            catalogue.MIN_MEMBERS, tr("Minimum members of a cluster"), QgsProcessingParameterNumber.Type.Integer,
            defaultValue=3, minValue=2))
        self.addParameter(QgsProcessingParameterNumber(
            catalogue.MIN_QUANTITY_FACTOR, tr("Factor on the minimum quantity of each pooling action (0 = no minimum)"),
            QgsProcessingParameterNumber.Type.Double, defaultValue=1.0, minValue=0))
        self.addParameter(QgsProcessingParameterFile(
            "ACTIONS", tr("Pooling actions table (CSV, overrides the shipped one)"), optional=True,
            fileFilter=tr("CSV (*.csv *.CSV);;All files (*)")))
        self.addParameter(QgsProcessingParameterFile(
            "FACILITY_RULES", tr("Facility zone rules (CSV, overrides the shipped one)"), optional=True,
            fileFilter=tr("CSV (*.csv *.CSV);;All files (*)")))
        self.add_parameters(
            sink(catalogue.OUTPUT, tr("Clusters"), "polygon"),
            sink(catalogue.SITES, tr("Suggested sites of shared facilities"), "point", optional=True, create=False))
        self.add_counts((catalogue.N_CLUSTERS, tr("Clusters")), ("N_POOLING", tr("Pooling clusters")),
                        ("N_EXCHANGE", tr("Exchange clusters")))

    # Reading --------------------------------------------------------------------------------
    def _flows(self, source, context, fb) -> pd.DataFrame:
        frame = read_flows(source, context, fb, ("siret", "direction", "resource", "quantity", "unit"),
                           extras=("zone_id",), layer_name=tr("flows"))
        if frame.empty:
            raise EitInputError(tr("The flows layer is empty: run eit:estimateflows first."))
        return frame

    def _synergies(self, source, context, fb) -> pd.DataFrame:
        wanted = {name: [] for name in SYNERGY_COLUMNS}
        mapping = field_map(source.fields(), wanted, tr("synergies"),
                            required=("supplier_siret", "quantity", "unit"))
        frame = read_geometries(source, context, mapping, fb)
        ends = np.array([_endpoints(g) for g in frame["geometry"]], dtype=float).reshape(-1, 4)
        for k, col in enumerate(("x1", "y1", "x2", "y2")):
            frame[col] = ends[:, k]
        return frame.drop(columns=["geometry"])

    def execute(self, parameters, context, feedback):
        fb = QgisFeedback(feedback)
        flows_src = self.parameterAsSource(parameters, catalogue.FLOWS, context)
        if flows_src is None:
            raise EitInputError(tr("FLOWS is required: the flows layer produced by eit:estimateflows."))
        distance = self.parameterAsDouble(parameters, catalogue.DISTANCE_M, context)
        min_members = self.parameterAsInt(parameters, catalogue.MIN_MEMBERS, context)
        factor = self.parameterAsDouble(parameters, catalogue.MIN_QUANTITY_FACTOR, context)
        actions = clustering.load_pooling_actions(self.parameterAsFile(parameters, "ACTIONS", context) or None)
        rules = clustering.load_facility_rules(self.parameterAsFile(parameters, "FACILITY_RULES", context) or None)

        flows = self._flows(flows_src, context, fb.sub(0, 20))
        fb.info(tr("{} flows read.").format(len(flows)))
        synergies = None
        syn_src = self.parameterAsSource(parameters, catalogue.SYNERGIES, context)
        if syn_src is not None:
            synergies = self._synergies(syn_src, context, fb.sub(20, 25))
            fb.info(tr("{} synergies read.").format(len(synergies)))
        zones = None
        zones_src = self.parameterAsSource(parameters, catalogue.ZONES, context)
        if zones_src is not None:
            from ..qgis_io.zones import read_zones

            zones = _ZoneSites(read_zones(zones_src, context, fb.sub(25, 35), tr("zones")))
            fb.info(tr("{} zones read.").format(len(zones.frame)))
        network = None
        net_src = self.parameterAsSource(parameters, catalogue.NETWORK, context)
        if net_src is not None:
            network, _frame = read_network(net_src, context, fb.sub(35, 40))
            fb.info(tr("Network: {} nodes, {:.1f} km; distances between members are measured along it.").format(
                network.n_nodes, network.total_length_m / 1000.0))
        fb.check_cancelled()

        clusters = pipeline.clusters(
            flows, synergies, distance_m=distance, min_members=min_members, min_quantity_factor=factor,
            actions=actions, rules=rules, zones=zones, network=network, feedback=fb.sub(40, 90))

        fields = qgs_fields(CLUSTER_FIELDS)
        sink, dest = self.parameterAsSink(parameters, catalogue.OUTPUT, context, fields, wkb("polygon"), working_crs())
        if sink is None:
            raise EitInputError(tr("Could not create the OUTPUT layer: check the destination path."))
        geoms = []
        for w in clusters["hull_wkt"]:
            g = QgsGeometry.fromWkt(w) if isinstance(w, str) and w else QgsGeometry()
            if not g.isNull():
                g.convertToMultiType()
            geoms.append(g)
        out = clusters.assign(geometry=geoms)
        from ..qgis_io.layers import write_frame

        write_frame(sink, out, fields, schema_types(CLUSTER_FIELDS), geometry="geometry", feedback=fb.sub(90, 97))
        results = {catalogue.OUTPUT: dest}

        site_sink_fields = qgs_fields(SITE_FIELDS)
        site_sink, site_dest = self.parameterAsSink(parameters, catalogue.SITES, context, site_sink_fields,
                                                    QgsWkbTypes.Type.Point, working_crs())
        if site_sink is not None:
            sites = clusters[pd.to_numeric(clusters["site_x"], errors="coerce").notna()].copy()
            sites["x"] = sites["site_x"].astype(float)
            sites["y"] = sites["site_y"].astype(float)
            write_frame(site_sink, sites, site_sink_fields, schema_types(SITE_FIELDS), geometry="xy")
            results[catalogue.SITES] = site_dest

        n_pool = int((clusters["kind"] == "pooling").sum())
        n_exch = int((clusters["kind"] == "exchange").sum())
        for action, count in clusters.loc[clusters["kind"] == "pooling", "action"].value_counts().sort_index().items():
            fb.info(tr("{}: {} cluster(s).").format(action, int(count)))
        no_site = clusters[(clusters["kind"] == "pooling") & (clusters["facility"] != "none")
                           & pd.to_numeric(clusters["site_x"], errors="coerce").isna()]
        if len(no_site):
            fb.warning(tr("{} cluster(s) have no admissible site for their facility (see site_reason): {}.").format(
                len(no_site), ", ".join(no_site["cluster_id"].head(10))))
        fb.info(tr("{} pooling and {} exchange clusters written (EPSG:2154).").format(n_pool, n_exch))
        results.update({catalogue.N_CLUSTERS: n_pool + n_exch, "N_POOLING": n_pool, "N_EXCHANGE": n_exch})
        return results
