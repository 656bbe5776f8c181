"""eit:detectsynergies — supply ↔ demand matching and allocation (core.matching).

Reads the flows (eit:estimateflows), the optional zones (eit:zoneoverlay: housing heat
demand and zone of each flow), housing and network layers, calls
``core.matching.detect_synergies`` and writes two line layers (supplier → receiver): the
allocated synergies and the alternatives that were not kept.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from qgis.core import (
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)

from ..core import catalogue, matching, pipeline
from ..core.errors import EitInputError
from ..core.fields import DWELLING_SPELLINGS, HOUSING_HEAT_SPELLINGS, SYNERGY_FIELDS
from ..i18n import tr
from ..qgis_io.layers import field_map, qgs_fields, read_geometries, schema_types, wkb, working_crs
from .base import EitAlgorithm, QgisFeedback
from .inputs import read_flows, read_network
from .parameters import sink, source

NETWORK_KINDS = ("auto", "roads", "heat_network")
FAMILY_PARAMS = (("heat", "MAX_DISTANCE_HEAT_M"), ("energy", "MAX_DISTANCE_ENERGY_M"),
                 ("water", "MAX_DISTANCE_WATER_M"), ("waste", "MAX_DISTANCE_WASTE_M"),
                 ("material", "MAX_DISTANCE_MATERIAL_M"))
# Words that mark a line layer as an existing district heating network (layer name, field
# names or the values of a text field): "réseau de chaleur", "RCU", "heat network"...
HEAT_NETWORK_WORDS = ("chaleur", "rcu", "heat", "chauffage urbain", "district heating", "dhn", "thermique")
ZONE_SPELLINGS = {
    "zone_id": [],
    "typezone": ["type_zone", "typ_zone"],
    "libelle": ["lib_zone", "nom_zone"],
    "insee": ["code_insee", "insee_com"],
    "housing_heat_demand_mwh": ["heat_demand_housing_mwh"],
    "is_future": [],
}


def zone_positions(geometries):
    """(xs, ys, areas): a point inside each polygon (point on surface) and its area; NaN and
    0 for a missing geometry."""
    xs, ys, areas = [], [], []
    for geom in geometries:
        if geom is None or geom.isNull() or geom.isEmpty():
            xs.append(math.nan)
            ys.append(math.nan)
            areas.append(0.0)
            continue
        point = geom.pointOnSurface().asPoint()
        xs.append(point.x())
        ys.append(point.y())
        areas.append(geom.area())
    return xs, ys, areas


def looks_like_heat_network(layer_name: str, frame: pd.DataFrame) -> bool:
    """True when the layer name, a field name or a text value names a heat network."""
    texts = [str(layer_name or "").lower(), *[str(c).lower() for c in frame.columns if c != "geometry"]]
    for column in frame.columns:
        if column in ("geometry", "fid"):
            continue
        values = frame[column].dropna()
        if len(values) and values.map(lambda v: isinstance(v, str)).all():
            texts.extend(str(v).lower() for v in values.unique()[:50])
    return any(word in text for text in texts for word in HEAT_NETWORK_WORDS)


class DetectSynergiesAlgorithm(EitAlgorithm):
    ALG_ID = "detectsynergies"
    DISPLAY_NAME = "Detect synergies"
    GROUP = "3. Synergies and pooling"
    GROUP_ID = "synergies"
    HELP = (
        "Which establishment's supply (waste heat, wastes, by-products, water, gases) can serve whose "
        "demand, how much, at what distance, with what benefit, and why.\n\n"
        "Candidates: for each supply → demand rule of compatibility.csv, the compatible demands within "
        "the supply resource's maximum distance (taxonomy.csv; MAX_DISTANCE_M and the per-family "
        "parameters override it), found with KD-trees. Heat: direct use when the supply is at least the "
        "rule's margin (TEMP_MARGIN_K overrides it) above the demand temperature, and above 85 °C for "
        "absorption cooling; with HEAT_PUMP, colder sources are lifted by a heat pump (COP = 0.5 × "
        "Carnot, at least 2.5; its electricity is reported). Housing heat demand of the ZONES (output "
        "of eit:zoneoverlay) is a demand like any other; future AU zones are flagged.\n\n"
        "Distances: straight line × 1.3 by default; along NETWORK (roads) for what trucks carry (wastes "
        "and materials; pipes keep the straight line × 1.3). When NETWORK is an "
        "existing district heating network (NETWORK_KIND, or 'auto': the layer's name, fields or values "
        "mention chaleur/heat/RCU), heat exchanges between sites attached to the same network only "
        "pay for the connections (distance_kind = heat_network). Pairs attached to disconnected parts "
        "of a road network fall back to the straight line × 1.3 (distance_kind = straight_fallback).\n\n"
        "Allocation: a supply is never promised twice and a demand never over-served; the net benefit "
        "(value of the resource displaced + avoided disposal − transport − new pipe annuity) is "
        "maximised by linear programming per connected group of candidates, material reuse preferred "
        "to energy recovery (rule priority). Each synergy has its quantity, distance, score (0-1), "
        "confidence, CO2 avoided net of transport, waste diverted, MWh recovered, PM10/NOx avoided and a "
        "French sentence saying why. Candidates not kept go to ALTERNATIVES with the reason.\n\n"
        "Example: FLOWS = flows of eit:estimateflows, ZONES = output of eit:zoneoverlay, NETWORK = "
        "the heat network lines.\n\n"
        "SEARCH_IN_DATABASE (advanced): when FLOWS is a PostGIS table, the nearest-partner search runs in "
        "that database (ST_DWithin and the <-> operator on GiST indexes); same pairs, same synergies.\n\n"
        "Complexity: O((S + D) · k · log n) per rule for S supplies, D demands, k = MAX_CANDIDATES; "
        "network distances cost one bounded Dijkstra per supply site over the network within the "
        "search radius; allocation is a sparse LP per connected group (near-linear in candidate pairs "
        "in practice)."
    )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_parameters(
            source(catalogue.FLOWS_INPUT, tr("Flows (eit:estimateflows)")),
            source(catalogue.ZONES_INPUT, tr("Zones with housing heat demand (eit:zoneoverlay)"), optional=True),
            source(catalogue.NETWORK_INPUT, tr("Network (roads or existing heat network)")))
        self.addParameter(QgsProcessingParameterEnum(
            "NETWORK_KIND", tr("Kind of network"),
            options=[tr("Automatic (heat network if its name or fields say so)"), tr("Roads"),
                     tr("Existing heat network")], defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            catalogue.MAX_DISTANCE_M, tr("Maximum distance for every resource (m, 0 = taxonomy values)"),
            QgsProcessingParameterNumber.Type.Double, defaultValue=0, minValue=0, optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            "MIN_QUANTITY", tr("Minimum quantity of a flow and of a synergy (unit of the resource per year)"),
            QgsProcessingParameterNumber.Type.Double, defaultValue=10.0, minValue=0))
        self.addParameter(QgsProcessingParameterBoolean(
            "EXCLUDE_SAME_COMPANY", tr("Exclude exchanges within one company (same SIREN)"), defaultValue=True))
        self.addParameter(QgsProcessingParameterBoolean(
            "HEAT_PUMP", tr("Allow heat pumps for sources colder than the demand"), defaultValue=False))
        advanced = [
            source(catalogue.HOUSING_INPUT, tr("Housing (points or polygons with a heat demand or dwellings field), "
                                               "used when ZONES carry no housing demand"), geometry="point_polygon"),
            source(catalogue.HEAT_NETWORK_INPUT),
            QgsProcessingParameterNumber(
                "TEMP_MARGIN_K", tr("Temperature margin for direct heat use (K, empty = each rule's value)"),
                QgsProcessingParameterNumber.Type.Double, defaultValue=None, minValue=0, optional=True),
            QgsProcessingParameterNumber(
                catalogue.DETOUR_FACTOR, tr("Detour factor applied to straight-line distances"),
                QgsProcessingParameterNumber.Type.Double, defaultValue=matching.DETOUR_FACTOR, minValue=1.0),
            QgsProcessingParameterNumber(
                "MAX_CANDIDATES", tr("Nearest partners examined per flow and rule"),
                QgsProcessingParameterNumber.Type.Integer, defaultValue=matching.MAX_CANDIDATES, minValue=1),
            QgsProcessingParameterNumber(
                "MAX_ALTERNATIVES", tr("Alternatives kept per supply"),
                QgsProcessingParameterNumber.Type.Integer, defaultValue=3, minValue=0),
            QgsProcessingParameterBoolean(
                "SEARCH_IN_DATABASE", tr("Candidate search inside PostGIS (FLOWS from a PostGIS connection)"),
                defaultValue=False),
        ]
        for family, name in FAMILY_PARAMS:
            advanced.append(QgsProcessingParameterNumber(
                name, tr("Maximum distance for {} (m, 0 = taxonomy values)").format(family),
                QgsProcessingParameterNumber.Type.Double, defaultValue=0, minValue=0, optional=True))
        for name, label in (("TAXONOMY", tr("Resource taxonomy CSV (instead of the shipped one)")),
                            ("COMPATIBILITY", tr("Compatibility rules CSV (instead of the shipped one)")),
                            ("EMISSION_FACTORS", tr("Emission factors CSV (instead of the shipped one)"))):
            advanced.append(QgsProcessingParameterFile(name, label, extension="csv", optional=True))
        for param in advanced:
            param.setFlags(param.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
            self.addParameter(param)
        self.add_parameters(
            sink(catalogue.OUTPUT, tr("Synergies"), "line"),
            sink(catalogue.ALTERNATIVES, tr("Alternative synergies (not allocated)"), "line", optional=True))
        self.add_counts((catalogue.N_SYNERGIES, tr("Synergies")), ("N_ALTERNATIVES", tr("Alternatives")),
                        ("CO2_AVOIDED_T", tr("CO2 avoided (t/yr)")))

    # Reading --------------------------------------------------------------------------------
    def _flows(self, source, context, fb) -> pd.DataFrame:
        return read_flows(source, context, fb, ("direction", "resource", "quantity"), extras=("zone_id",),
                          layer_name=tr("flows"))

    def _zones(self, source, context, fb):
        """Zones frame (zone_id, typezone, libelle, insee, housing demand, is_future, x, y) and a
        ZoneLayer for point → zone assignment."""
        from ..qgis_io.zones import ZoneLayer, read_zones

        present = {f.name().lower() for f in source.fields()}
        if "zone_id" not in present:
            layer = read_zones(source, context, fb, tr("zones"))
            frame = layer.frame.copy()
        else:
            mapping = field_map(source.fields(), ZONE_SPELLINGS, tr("zones"), required=("zone_id",))
            frame = read_geometries(source, context, mapping, fb)
            frame["zone_id"] = frame["zone_id"].astype(str)
            frame = frame.sort_values("zone_id", kind="mergesort").drop_duplicates("zone_id").reset_index(drop=True)
            layer = ZoneLayer(frame, list(mapping))
        frame["x"], frame["y"], frame["area_m2"] = zone_positions(frame["geometry"])
        return frame.drop(columns=["geometry"]), layer

    def _housing(self, source, context, fb) -> pd.DataFrame:
        names = {f.name().lower(): f.name() for f in source.fields()}
        heat = next((names[n] for n in HOUSING_HEAT_SPELLINGS if n in names), None)
        dwell = next((names[n] for n in DWELLING_SPELLINGS if n in names), None)
        if heat is None and dwell is None:
            raise EitInputError(tr(
                "HOUSING has neither a heat demand field ({}) nor a dwellings field ({}): add one of them.").format(
                ", ".join(HOUSING_HEAT_SPELLINGS), ", ".join(DWELLING_SPELLINGS)))
        mapping = {k: v for k, v in (("heat", heat), ("dwellings", dwell)) if v is not None}
        frame = read_geometries(source, context, mapping, fb)
        per_dwelling = 12.0  # MWh/dwelling/yr: housing_assumptions.csv, existing stock
        try:
            from ..core.reference import shipped
            from ..core.tables import read_table

            table = read_table(shipped("housing_assumptions"))
            row = table[(table["parameter"] == "heat_mwh_per_dwelling") & (table["period"] == "existing")]
            if len(row):
                per_dwelling = float(row.iloc[0]["value"])
        except Exception:  # noqa: BLE001 - the documented default stays
            pass
        q = pd.to_numeric(frame.get("heat"), errors="coerce") if heat else pd.Series(np.nan, index=frame.index)
        if dwell:
            q = q.fillna(pd.to_numeric(frame["dwellings"], errors="coerce") * per_dwelling)
        xs, ys, areas = [], [], []
        for geom in frame["geometry"]:
            point = geom.pointOnSurface().asPoint() if geom is not None and not geom.isNull() else None
            xs.append(point.x() if point else math.nan)
            ys.append(point.y() if point else math.nan)
            areas.append(geom.area() if point else 0.0)
        return pd.DataFrame({"zone_id": ["housing:{}".format(fid) for fid in frame["fid"]], "area_m2": areas,
                             "housing_heat_demand_mwh": q.to_numpy(), "x": xs, "y": ys, "is_future": False,
                             "libelle": ["{}".format(fid) for fid in frame["fid"]]})

    def _network(self, source, parameters, context, fb):
        network, frame = read_network(source, context, fb)
        layer = self.parameterAsVectorLayer(parameters, catalogue.NETWORK, context)
        name = layer.name() if layer is not None else str(parameters.get(catalogue.NETWORK, ""))
        return network, frame, name

    # Settings (also used by eit:fullanalysis, with the defaults of the parameters) ----------
    def references(self, parameters, context, fb):
        """(taxonomy, compatibility, emission factors or None) from the parameters."""
        from ..core import reference

        taxonomy = reference.load_taxonomy(self.parameterAsFile(parameters, "TAXONOMY", context) or None)
        compat_path = self.parameterAsFile(parameters, "COMPATIBILITY", context) or None
        tax_path = self.parameterAsFile(parameters, "TAXONOMY", context) or None
        compatibility = reference.load_compatibility(compat_path, tax_path)
        ef_path = self.parameterAsFile(parameters, "EMISSION_FACTORS", context) or None
        try:
            emission_factors = reference.load_emission_factors(ef_path)
        except (EitInputError, OSError):
            if ef_path:
                raise
            emission_factors = None
            fb.warning(tr("No emission factors file: documented default factors are used for heat, trucks and "
                          "electricity."))
        return taxonomy, compatibility, emission_factors

    def matching_params(self, parameters, context):
        family_max = {}
        for family, name in FAMILY_PARAMS:
            value = parameters.get(name)
            if value not in (None, "") and self.parameterAsDouble(parameters, name, context) > 0:
                family_max[family] = self.parameterAsDouble(parameters, name, context)
        margin = parameters.get("TEMP_MARGIN_K")
        params = matching.MatchingParams(
            temp_margin_k=None if margin in (None, "") else self.parameterAsDouble(parameters, "TEMP_MARGIN_K", context),
            heat_pump=self.parameterAsBoolean(parameters, "HEAT_PUMP", context),
            detour_factor=self.parameterAsDouble(parameters, catalogue.DETOUR_FACTOR, context) or matching.DETOUR_FACTOR,
            max_distance_m=self.parameterAsDouble(parameters, catalogue.MAX_DISTANCE_M, context) or None,
            family_max_distance_m=family_max,
            min_quantity=self.parameterAsDouble(parameters, "MIN_QUANTITY", context),
            exclude_same_company=self.parameterAsBoolean(parameters, "EXCLUDE_SAME_COMPANY", context),
            max_candidates=self.parameterAsInt(parameters, "MAX_CANDIDATES", context) or matching.MAX_CANDIDATES,
            max_alternatives=self.parameterAsInt(parameters, "MAX_ALTERNATIVES", context),
        )
        return params

    # Run ------------------------------------------------------------------------------------
    @staticmethod
    def _use_search(params, finder):
        """The candidate search of ``core.matching`` (``pair_finder``, the KD-tree when absent)."""
        if finder is not None:
            params.pair_finder = finder

    @staticmethod
    def _report_search(finder, fb):
        if finder is not None:
            fb.info(tr("Candidate search in PostGIS: {} queries, {:.1f} s.").format(finder.queries, finder.seconds))

    def _database_finder(self, parameters, context):
        """The PostGIS candidate search when asked (the FLOWS layer's own database), else None."""
        if not self.parameterAsBoolean(parameters, "SEARCH_IN_DATABASE", context):
            return None
        from ..qgis_io.postgis_search import SqlPairFinder

        layer = self.parameterAsVectorLayer(parameters, catalogue.FLOWS, context)
        if layer is None or layer.providerType() != "postgres":
            raise EitInputError(tr("SEARCH_IN_DATABASE needs FLOWS from a PostGIS connection; this FLOWS layer is "
                                   "not in a database: leave the option off."))
        return SqlPairFinder(layer.source())

    def execute(self, parameters, context, feedback):
        fb = QgisFeedback(feedback)
        flows_src = self.parameterAsSource(parameters, catalogue.FLOWS, context)
        if flows_src is None:
            raise EitInputError(tr("FLOWS is required: the flows layer produced by eit:estimateflows."))
        finder = self._database_finder(parameters, context)
        taxonomy, compatibility, emission_factors = self.references(parameters, context, fb)
        flows = self._flows(flows_src, context, fb.sub(0, 15))
        fb.info(tr("{} flows read.").format(len(flows)))
        zones = None
        zones_src = self.parameterAsSource(parameters, catalogue.ZONES, context)
        if zones_src is not None:
            zones, zone_layer = self._zones(zones_src, context, fb.sub(15, 25))
            if "zone_id" not in flows.columns or flows["zone_id"].isna().all():
                ids, _ = zone_layer.assign(flows["x"].to_numpy(dtype=float), flows["y"].to_numpy(dtype=float))
                flows["zone_id"] = ids
            has_housing = "housing_heat_demand_mwh" in zones.columns and \
                (pd.to_numeric(zones["housing_heat_demand_mwh"], errors="coerce") > 0).any()
            fb.info(tr("{} zones read; {} with a housing heat demand.").format(
                len(zones), int((pd.to_numeric(zones.get("housing_heat_demand_mwh", pd.Series(dtype=float)),
                                               errors="coerce") > 0).sum()) if has_housing else 0))
            if not has_housing:
                zones = None
        housing_src = self.parameterAsSource(parameters, catalogue.HOUSING, context)
        if housing_src is not None:
            if zones is None:
                zones = self._housing(housing_src, context, fb.sub(25, 28))
                fb.info(tr("{} housing features read as heat demands.").format(len(zones)))
            else:
                fb.info(tr("HOUSING ignored: the zones already carry the housing heat demand (eit:zoneoverlay "
                           "counted it)."))

        road_network = heat_network = None
        net_src = self.parameterAsSource(parameters, catalogue.NETWORK, context)
        if net_src is not None:
            network, frame, name = self._network(net_src, parameters, context, fb.sub(28, 32))
            kind = NETWORK_KINDS[self.parameterAsEnum(parameters, "NETWORK_KIND", context)]
            if kind == "auto":
                kind = "heat_network" if looks_like_heat_network(name, frame) else "roads"
            if kind == "heat_network":
                heat_network = network
                fb.info(tr("NETWORK read as an existing heat network: {} nodes, {:.1f} km, {} connected parts. Heat "
                           "exchanges between sites attached to it only pay for their connections.").format(
                    network.n_nodes, network.total_length_m / 1000.0, network.n_components))
            else:
                road_network = network
                fb.info(tr("NETWORK read as roads: {} nodes, {:.1f} km, {} connected parts ({} small gaps bridged). "
                           "Distances are measured along it.").format(
                    network.n_nodes, network.total_length_m / 1000.0, network.n_components, network.n_bridges))
        hn_src = self.parameterAsSource(parameters, catalogue.HEAT_NETWORK, context)
        if hn_src is not None:
            heat_network, _frame = read_network(hn_src, context, fb, required=False)
            fb.info(tr("Existing heat network: {} nodes, {:.1f} km.").format(
                heat_network.n_nodes, heat_network.total_length_m / 1000.0))

        params = self.matching_params(parameters, context)
        self._use_search(params, finder)
        fb.check_cancelled()
        result = pipeline.synergies(
            flows, zones, params, taxonomy=taxonomy, compatibility=compatibility, emission_factors=emission_factors,
            road_network=road_network, heat_network=heat_network, feedback=fb.sub(32, 90))
        for message in result.messages:
            fb.info(message)
        self._report_search(finder, fb)

        fields = qgs_fields(SYNERGY_FIELDS)
        types = schema_types(SYNERGY_FIELDS)
        sink, dest = self.parameterAsSink(parameters, catalogue.OUTPUT, context, fields, wkb("line"), working_crs())
        if sink is None:
            raise EitInputError(tr("Could not create the OUTPUT layer: check the destination path."))
        from ..qgis_io.layers import write_frame

        write_frame(sink, result.synergies, fields, types, geometry="line", feedback=fb.sub(90, 96))
        results = {catalogue.OUTPUT: dest, catalogue.N_SYNERGIES: len(result.synergies),
                   "N_ALTERNATIVES": len(result.alternatives),
                   "CO2_AVOIDED_T": float(pd.to_numeric(result.synergies["co2_avoided_t"], errors="coerce").sum())
                   if len(result.synergies) else 0.0}
        alt_sink, alt_dest = self.parameterAsSink(parameters, catalogue.ALTERNATIVES, context, fields,
                                                  QgsWkbTypes.Type.LineString, working_crs())
        if alt_sink is not None:
            write_frame(alt_sink, result.alternatives, fields, types, geometry="line", feedback=fb.sub(96, 100))
            results[catalogue.ALTERNATIVES] = alt_dest
        fb.info(tr("Outputs in EPSG:2154. {} synergies, {:.0f} t CO2 avoided per year.").format(
            len(result.synergies), results["CO2_AVOIDED_T"]))
        return results
