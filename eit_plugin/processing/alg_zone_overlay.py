"""eit:zoneoverlay — flows on PLU zones (CNIG zone_urba) → zone indicators + commune/EPCI aggregate.

Reads the parameters, reads the zones (``qgis_io.zones``: repair, reprojection, zone ids),
assigns flows / establishments / housing to zones (vectorised point-in-polygon), finds the
neighbouring zones, calls ``core.indicators`` and writes the two outputs.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from qgis.core import (
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingParameterDistance,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsWkbTypes,
)

from ..core import catalogue, closed, indicators, pipeline
from ..core import housing as housing_core
from ..core.errors import EitInputError
from ..core.fields import DWELLING_SPELLINGS, HEATED_AREA_SPELLINGS, ZONE_COMMUNE_FIELDS, ZONE_FIELDS
from ..core.tables import read_table
from ..i18n import tr
from ..qgis_io.frames import write_rows
from ..qgis_io.layers import (
    field_map,
    python_value,
    qgs_fields,
    read_geometries,
    read_points,
    representative_xy,
    schema_types,
    working_crs,
)
from ..qgis_io.styles import apply_output_style
from ..qgis_io.zones import read_zones, without_slivers
from .base import EitAlgorithm, QgisFeedback
from .inputs import read_flows
from .parameters import sink, source

# The flow fields the indicators use (the others are not read: faster on large layers).
NEEDED_FLOW_FIELDS = ("siret", "naf", "direction", "resource", "family", "quantity", "unit", "temperature_c", "ewc_code")


class ZoneOverlayAlgorithm(EitAlgorithm):
    ALG_ID = "zoneoverlay"
    DISPLAY_NAME = "Overlay flows on PLU zones"
    GROUP = "2. Territorial analysis"
    GROUP_ID = "territory"
    HELP = (
        "Puts the flows on the zones of the PLU (CNIG zone_urba) and computes, zone by zone, what "
        "is there, what is missing and how mixed the zone is.\n\n"
        "ZONES: zone_urba polygons from any source (GeoPackage, Shapefile, PostGIS), CNIG 2017 "
        "(DESTDOMI) or 2024 (FORMDOMI, DESTOUI…) fields, matched case-insensitively; TYPEZONE required. "
        "Invalid geometries are repaired (make valid) with a warning naming the zone; a zone that "
        "cannot be repaired stops the run. FLOWS: the output of eit:estimateflows. ESTABLISHMENTS "
        "(optional): the output of eit:importestablishments, for estimated jobs (headcount_est) and "
        "NAF diversity; without it establishments are the distinct SIRETs of the flows and jobs are "
        "NULL unless the flows carry headcount_est. HOUSING (optional): dwelling points or "
        "residential polygons (counted at a point inside) with a number of dwellings and/or a heated "
        "floor area (fields detected by name, or chosen). Without HOUSING, housing in U/AU zones whose "
        "destination is housing or mixed is estimated from the zone area and the documented densities "
        "of resources/reference/housing_assumptions.csv (HOUSING_ASSUMPTIONS overrides it); AU zones "
        "are flagged is_future and use the new-build figures. The destination is read from DESTDOMI, "
        "FORMDOMI or DESTOUI, else from the long label (LIBELONG « à vocation d'habitat »). A and N "
        "zones (hamlets Ah/Nh included) get dwellings from HOUSING only. CENSUS (optional CSV: "
        "commune code insee/CODGEO and dwellings/logements/P21_LOG) scales the estimate of each "
        "commune's existing zones to its census dwelling count.\n\n"
        "A flow belongs to the zone containing it; a flow on a shared boundary (within 1 mm) or where "
        "zones overlap goes to the first zone by zone_id and is counted in n_flows_multi; flows in no "
        "zone are counted on their nearest zone (n_flows_unzoned) and reported, never dropped "
        "silently.\n\n"
        "Indicators: n_establishments, jobs_est, naf_sections; supply, demand and balance per family "
        "(heat and energy MWh, water m3, waste and material t); heat supply by temperature "
        "(< 60, 60-90, >= 90 °C, unknown); waste by type and List-of-Waste chapter; housing dwellings "
        "and heat demand; mixity_index = 1/2 x B + 1/2 x D, with B = 2 min(L, E)/(L + E) the "
        "housing/jobs balance (L dwellings, E jobs, or establishments when jobs are unknown; 1 = "
        "balanced) and D = -sum(p_i ln p_i)/ln S the Shannon evenness of the zone's establishments over "
        "NAF sections (S = sections present in the territory); NULL for an empty zone. eit_potential: "
        "a match is a compatibility rule (resources/reference/compatibility.csv or RULES; temperature "
        "conditions applied) whose supply and demand are both in the zone (internal) or one in the zone "
        "and one in a neighbouring zone (touching or within NEIGHBOUR_DISTANCE, default 50 m); score = "
        "2 x internal + neighbouring matches: high >= 4 with an internal match, medium >= 2, low 1, "
        "none 0; eit_potential_reason says which matches, with figures. Housing heat counts as a "
        "space_heating demand.\n\n"
        "OUTPUT: the zones with their CNIG fields and the indicators (EPSG:2154). OUTPUT_COMMUNES: "
        "one polygon per commune (INSEE) and per EPCI (from resources/reference/communes_epci.csv when "
        "present) with the totals, for SCoT-level reading. Input layers are never modified.\n\n"
        "Example: qgis_process.bin run eit:zoneoverlay -- ZONES=zone_urba.gpkg FLOWS=flows.gpkg "
        "ESTABLISHMENTS=establishments.gpkg OUTPUT=zones.gpkg OUTPUT_COMMUNES=communes.gpkg\n\n"
        "Complexity: O(P k + Z E) for P points, k candidate zones per point (uniform grid on the zone "
        "boxes) and Z zones of E edges (edges bucketed in horizontal bands, vectorised), plus "
        "O(Z log Z) for the neighbours (spatial index) and O(F + Z R) for the indicators."
    )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_parameters(
            source(catalogue.ZONES_INPUT), source(catalogue.FLOWS_INPUT), source(catalogue.ESTABLISHMENTS_INPUT),
            source(catalogue.HOUSING_INPUT, tr("Housing (optional: dwelling points or residential polygons)"),
                   geometry="point_polygon"))
        self.addParameter(QgsProcessingParameterField(
            "HOUSING_DWELLINGS_FIELD", tr("Housing field: number of dwellings"), parentLayerParameterName=catalogue.HOUSING,
            type=QgsProcessingParameterField.DataType.Numeric, optional=True))
        self.addParameter(QgsProcessingParameterField(
            "HOUSING_AREA_FIELD", tr("Housing field: heated floor area (m²)"), parentLayerParameterName=catalogue.HOUSING,
            type=QgsProcessingParameterField.DataType.Numeric, optional=True))
        self.addParameter(QgsProcessingParameterDistance(
            catalogue.NEIGHBOUR_DISTANCE, tr("Neighbouring zones: within this distance"), 50.0, catalogue.ZONES, minValue=0.0))
        self.addParameter(QgsProcessingParameterFile(
            catalogue.RULES, tr("Compatibility rules (optional CSV, overrides the shipped one)"), optional=True,
            fileFilter="CSV (*.csv)"))
        self.addParameter(QgsProcessingParameterFile(
            "HOUSING_ASSUMPTIONS", tr("Housing assumptions (optional CSV, overrides the shipped one)"), optional=True,
            fileFilter="CSV (*.csv)"))
        self.addParameter(QgsProcessingParameterFile(
            catalogue.CENSUS, tr("Census dwellings per commune (optional CSV: insee, dwellings)"), optional=True,
            fileFilter="CSV (*.csv *.txt)"))
        self.add_parameters(
            sink(catalogue.OUTPUT, tr("Zones with EIT indicators"), "polygon"),
            sink(catalogue.OUTPUT_COMMUNES, tr("Commune and EPCI totals"), "polygon", optional=True))
        for name, label in (("N_ZONES", "Zones"), (catalogue.N_FLOWS, "Flows read"), ("N_FLOWS_ZONED", "Flows in a zone"),
                            ("N_FLOWS_UNZONED", "Flows outside every zone"), ("N_FLOWS_MULTI", "Flows in several zones"),
                            ("N_ZONES_REPAIRED", "Zone geometries repaired")):
            self.add_counts((name, tr(label)))

    # ---------------------------------------------------------------------------------------
    def execute(self, parameters, context, feedback):
        fb = QgisFeedback(feedback)
        zones_src = self.parameterAsSource(parameters, catalogue.ZONES, context)
        flows_src = self.parameterAsSource(parameters, catalogue.FLOWS, context)
        if zones_src is None:
            raise EitInputError(tr("ZONES: the zone layer could not be opened."))
        if flows_src is None:
            raise EitInputError(tr("FLOWS: the flow layer could not be opened."))
        est_src = self.parameterAsSource(parameters, catalogue.ESTABLISHMENTS, context)
        housing_src = self.parameterAsSource(parameters, catalogue.HOUSING, context)
        distance = self.parameterAsDouble(parameters, catalogue.NEIGHBOUR_DISTANCE, context)
        rules_path = self.parameterAsFile(parameters, catalogue.RULES, context) or None
        assumptions_path = self.parameterAsFile(parameters, "HOUSING_ASSUMPTIONS", context) or None

        fb.info(tr("Reading the zones…"))
        layer = read_zones(zones_src, context, fb.sub(0, 15), layer_name=zones_src.sourceName())
        n_zones = len(layer.frame)
        if n_zones == 0:
            raise EitInputError(tr("The zone layer '{}' has no feature.").format(zones_src.sourceName()))
        fb.info(tr("{} zones read (computation and outputs in EPSG:2154).").format(n_zones))
        census = self._census(parameters, context, layer, fb)

        fb.info(tr("Reading the flows…"))
        flows = read_flows(flows_src, context, fb.sub(15, 35), ("direction", "resource", "family", "quantity"),
                           extras=("headcount_est",), only=NEEDED_FLOW_FIELDS)
        fb.set_progress(45)
        fb.check_cancelled()

        establishments = None
        if est_src is not None:
            emap = field_map(est_src.fields(), {"siret": [], "naf": ["activiteprincipaleetablissement"],
                                                "headcount_est": ["effectif"], "state": list(closed.STATE_FIELDS)},
                             est_src.sourceName(), required=("siret",))
            establishments = read_points(est_src, context, emap, fb.sub(45, 55), est_src.sourceName())
            establishments, _closed = closed.drop_closed(establishments)

        housing = None
        if housing_src is not None:
            dw_field = self.parameterAsString(parameters, "HOUSING_DWELLINGS_FIELD", context) or None
            area_field = self.parameterAsString(parameters, "HOUSING_AREA_FIELD", context) or None
            housing = read_housing(housing_src, context, layer, fb, dw_field, area_field)

        fb.info(tr("Finding neighbouring zones (touching or within {} m)…").format(distance))
        result = pipeline.overlay(
            layer, flows, establishments, housing, distance_m=distance, rules=indicators.load_rules(rules_path),
            assumptions=indicators.load_housing_assumptions(assumptions_path), census=census,
            communes=parameters.get(catalogue.OUTPUT_COMMUNES) is not None, feedback=fb)
        report_overlay(result, housing is not None, fb, layer, flows)
        table = result.table
        n_flows, n_unzoned, n_multi = result.counts["flows"], result.counts["unzoned"], result.counts["multi"]
        fb.set_progress(75)

        zone_out = self._write_zones(parameters, context, layer, table, fb)
        _style_on_load(context, zone_out, "zones")
        results = {catalogue.OUTPUT: zone_out, "N_ZONES": n_zones, catalogue.N_FLOWS: n_flows,
                   "N_FLOWS_ZONED": n_flows - n_unzoned,
                   "N_FLOWS_UNZONED": n_unzoned, "N_FLOWS_MULTI": n_multi,
                   "N_ZONES_REPAIRED": len(layer.repaired)}
        fb.set_progress(85)
        if result.communes is not None:
            results[catalogue.OUTPUT_COMMUNES] = self._write_communes(parameters, context, layer, result.merged,
                                                              result.communes, fb)
            _style_on_load(context, results[catalogue.OUTPUT_COMMUNES], "communes")
        fb.set_progress(100)
        return results

    # ---------------------------------------------------------------------------------------
    def _write_zones(self, parameters, context, layer, table, fb):
        fields, dropped = zone_fields(layer)
        if dropped:
            fb.info(tr("Input fields replaced by the computed indicators: {}.").format(", ".join(dropped)))
        sink, dest = self.parameterAsSink(parameters, catalogue.OUTPUT, context, fields, QgsWkbTypes.Type.MultiPolygon,
                                          working_crs())
        if sink is None:
            raise EitInputError(tr("OUTPUT: the output layer could not be created."))
        write_rows(sink, fields, zone_output(layer, table, fields), fb)
        return dest

    def _census(self, parameters, context, layer, fb):
        path = self.parameterAsFile(parameters, catalogue.CENSUS, context) or None
        if not path:
            return None
        table = read_table(path)
        census = indicators.read_census(table, path)
        for message in housing_core.census_problems(table, census, housing_core.zone_communes(layer.frame), path):
            fb.warning(message)
        return census

    def _write_communes(self, parameters, context, layer, merged, agg, fb):
        fields = qgs_fields(ZONE_COMMUNE_FIELDS)
        sink, dest = self.parameterAsSink(parameters, catalogue.OUTPUT_COMMUNES, context, fields,
                                          QgsWkbTypes.Type.MultiPolygon, working_crs())
        if sink is None:
            return None
        write_rows(sink, fields, commune_output(layer, merged, agg, fb), fb)
        return dest


#: Above this share of flows outside every zone, the run warns that the zone figures miss them.
UNZONED_WARNING_PERCENT = 5.0


# Shared with eit:fullanalysis (processing.chain): the same reading and the same output rows.
def read_housing(source, context, layer, fb, dw_field=None, area_field=None) -> pd.DataFrame:
    """Housing features → ``dwellings``/``heated_area_m2`` and the ``zone_id`` of a point
    inside each feature."""
    wanted = {"dwellings": [dw_field] if dw_field else DWELLING_SPELLINGS,
              "heated_area_m2": [area_field] if area_field else HEATED_AREA_SPELLINGS}
    mapping = field_map(source.fields(), wanted, source.sourceName())
    if not mapping:
        raise EitInputError(tr(
            "HOUSING layer '{layer}' has no field with a number of dwellings ({dw}) or a heated floor area ({area}). "
            "Choose the fields in HOUSING_DWELLINGS_FIELD / HOUSING_AREA_FIELD.").format(
            layer=source.sourceName(), dw=", ".join(DWELLING_SPELLINGS), area=", ".join(HEATED_AREA_SPELLINGS)))
    fb.info(tr("Housing fields used: {}.").format(", ".join("{} = {}".format(k, v) for k, v in sorted(mapping.items()))))
    frame = read_geometries(source, context, mapping, fb)
    xs, ys = representative_xy(frame["geometry"])
    ids, _ = layer.assign(np.array(xs), np.array(ys))
    frame["zone_id"] = ids
    outside = int(sum(1 for i in ids if i is None))
    if outside:
        fb.warning(tr("{} housing features lie outside every zone and are not counted.").format(outside))
    return frame.drop(columns=["geometry"])


def report_overlay(result, housing_given: bool, fb, layer=None, flows=None) -> None:
    """The log of an overlay: flows in/out of the zones (how far the outside ones are, given
    the zone ``layer`` and the ``flows``' x, y), unknown destinations, potentials."""
    counts = result.counts
    n_flows, n_unzoned, n_multi = counts["flows"], counts["unzoned"], counts["multi"]
    if counts["no_geometry"]:
        fb.warning(tr("{} flows have no geometry: they are counted as outside every zone.").format(counts["no_geometry"]))
    fb.info(tr("{} flows: {} in a zone, {} outside every zone, {} in several zones "
               "(shared boundary or overlapping zones: counted once, in the first zone by zone_id).").format(
        n_flows, n_flows - n_unzoned, n_unzoned, n_multi))
    if n_unzoned:
        fb.warning(tr("{} flows lie outside every zone: they are left out of the zone totals and counted on "
                      "their nearest zone (field n_flows_unzoned).").format(n_unzoned))
        share = 100.0 * n_unzoned / max(n_flows, 1)
        if share > UNZONED_WARNING_PERCENT and layer is not None:
            unzoned = pd.isna(pd.Series(result.flow_zone)).to_numpy()
            far_km = layer.distance_to_zones(flows["x"].to_numpy()[unzoned], flows["y"].to_numpy()[unzoned]) / 1000.0
            fb.warning(tr("{share:.0f} % of the flows are outside every zone (median distance to the nearest "
                          "zone {km:.1f} km): the zone figures leave them out. Check that ZONES and FLOWS cover "
                          "the same territory (and the CRS of both).").format(share=share, km=far_km))
    table = result.table
    n_unknown = int((table["housing_source"] == "unknown_destination").sum())
    if n_unknown and not housing_given:
        fb.warning(tr("{} urban zones have no coded destination (DESTDOMI/FORMDOMI/DESTOUI): no housing is "
                      "estimated there. Give a HOUSING layer to count their dwellings.").format(n_unknown))
    if "housing_source" in table.columns and (table["housing_source"] == "census_calibrated").any():
        fb.info(tr("Housing of {} zones scaled to the census dwelling count of their commune.").format(
            int((table["housing_source"] == "census_calibrated").sum())))
    potentials = table["eit_potential"].value_counts()
    fb.info(tr("EIT potential: {} high, {} medium, {} low, {} none.").format(
        int(potentials.get("high", 0)), int(potentials.get("medium", 0)), int(potentials.get("low", 0)),
        int(potentials.get("none", 0))))
    if result.communes is not None and not counts.get("epci", True):
        fb.warning(tr("resources/reference/communes_epci.csv not found: communes only, no EPCI totals."))


def zone_fields(layer):
    """Fields of the zones output: the input's own fields (but ``fid`` and those replaced by
    an indicator), then the indicators. Returns (QgsFields, names of replaced input fields)."""
    added = {f.name.lower() for f in ZONE_FIELDS}
    originals = [f for f in layer.source_fields if f.name().lower() not in added and f.name().lower() != "fid"]
    dropped = [f.name() for f in layer.source_fields if f.name().lower() in added]
    fields = QgsFields()
    for f in originals:
        fields.append(QgsField(f))
    for f in qgs_fields(ZONE_FIELDS):
        fields.append(f)
    return fields, dropped


def zone_output(layer, table, fields) -> pd.DataFrame:
    """The zones output as a frame: one column per output field (Python values, NULL as
    None) and ``geometry`` (2D MultiPolygon whatever the input)."""
    types = schema_types(ZONE_FIELDS)
    frame = layer.frame
    out = {}
    for name in fields.names():
        if name in types:
            out[name] = _column_values(table[name], types[name])
        else:
            out[name] = [None if _is_nan(v) else v for v in frame[name].tolist()]
    geoms = [_flat_multi(QgsGeometry(geom)) if geom is not None else None for geom in frame["geometry"]]
    result = pd.DataFrame(out, columns=fields.names())
    result["geometry"] = geoms
    return result


def _flat_multi(geom):
    """``geom`` (changed in place) as a 2D multi-geometry, or None when it is null."""
    if geom.isNull():
        return None
    geom.get().dropZValue()
    geom.get().dropMValue()
    geom.convertToMultiType()
    return geom


def commune_output(layer, merged, agg, fb) -> pd.DataFrame:
    """Commune and EPCI totals with their polygons (union of their zones)."""
    types = schema_types(ZONE_COMMUNE_FIELDS)
    names = [f.name for f in ZONE_COMMUNE_FIELDS]
    geoms = dict(zip(layer.frame["zone_id"], layer.frame["geometry"]))
    commune_geom = {}
    rows, shapes = [], []
    for row in agg.to_dict("records"):
        fb.check_cancelled()
        rows.append([python_value(row.get(n), types[n]) for n in names])
        if row["level"] == "commune":
            parts = [geoms[z] for z in row["zone_ids"].split(";") if z in geoms and not geoms[z].isNull()]
            geom = QgsGeometry.unaryUnion(parts) if parts else QgsGeometry()
            commune_geom[row["code"]] = geom
        else:
            codes = merged.loc[merged["insee"].isin(agg.loc[(agg["level"] == "commune") & (agg["epci_siren"] == row["code"]), "code"]), "insee"]
            parts = [commune_geom[c] for c in sorted(set(codes)) if c in commune_geom and not commune_geom[c].isNull()]
            geom = QgsGeometry.unaryUnion(parts) if parts else QgsGeometry()
        shapes.append(_flat_multi(without_slivers(geom)))
    result = pd.DataFrame(rows, columns=names)
    result["geometry"] = shapes
    return result


class _StylePostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Styles the output (``qgis_io.styles``, as the dock does) when Processing loads it into
    the project."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802
        if layer is not None:
            apply_output_style(layer, self.name)


_POST_PROCESSORS = []  # Processing keeps no reference: keep them alive here.


def _style_on_load(context, dest, name) -> None:
    if not dest or not context.willLoadLayerOnCompletion(dest):
        return
    processor = _StylePostProcessor(name)
    _POST_PROCESSORS.append(processor)
    context.layerToLoadOnCompletionDetails(dest).setPostProcessor(processor)


def _column_values(series, type_) -> list:
    """A column as Python values of the field type, NaN/None → NULL (one pass per column)."""
    if type_ == "float":
        return [None if v is None or v != v else float(v) for v in series.tolist()]
    return [python_value(v, type_) for v in series.tolist()]


def _is_nan(value) -> bool:
    return isinstance(value, float) and value != value
