"""The method's chain, for eit:fullanalysis (in memory) and the scenario comparison.

``analyse`` reads every input once, runs ``core.pipeline``'s steps on frames (the very
functions the toolbox algorithms call after reading their layers), and returns the output
tables; ``write_tables`` protects them (public mode: ``core.protection``, then the audit of the
written file) and writes each layer once into one
GeoPackage with styles and provenance. ``run_chain`` runs the provider's algorithms one
after the other through a work folder (eit:comparescenarios).
"""
from __future__ import annotations

import os

import numpy as np
import pandas as pd
from qgis.core import QgsApplication, QgsProcessingFeedback, QgsVectorLayer

from ..core import catalogue, closed, clustering
from ..core import provenance as prov
from ..core.errors import EitCancelled, EitInputError
from ..i18n import tr
from ..qgis_io import frames
from ..qgis_io import gpkg as gpkg_io

# (key, algorithm id, human title) in run order.
STEPS = (
    ("establishments", "eit:importestablishments", "Import of SIRENE establishments"),
    ("flows", "eit:estimateflows", "Flow estimation"),
    ("zones", "eit:zoneoverlay", "Overlay on PLU zones"),
    ("synergies", "eit:detectsynergies", "Synergy detection"),
    ("clusters", "eit:detectclusters", "Pooling clusters"),
    ("recommendations", "eit:recommendations", "Recommendations"),
)

# GeoPackage layer → (step key, output name of that step); order = order in the GeoPackage.
LAYERS = tuple((layer.name, layer.step, layer.output) for layer in catalogue.OUTPUT_LAYERS)

# Never in a public GeoPackage: one row per establishment (confidential flows, or the
# per-firm detail behind every figure).
INTERNAL_ONLY = catalogue.internal_only()

TITLES = {layer.name: (layer.title_fr, layer.title_en) for layer in catalogue.OUTPUT_LAYERS}


def _run(alg_id: str, params: dict, context, feedback) -> dict:
    algorithm = QgsApplication.processingRegistry().createAlgorithmById(alg_id)
    if algorithm is None:
        raise EitInputError(tr("Algorithm {} is not available: is the EIT plugin fully installed?").format(alg_id))
    child = QgsProcessingFeedback() if feedback is None else feedback
    results, ok = algorithm.run(params, context, child)
    if feedback is not None and feedback.isCanceled():
        raise EitCancelled("cancelled")
    if not ok:
        raise EitInputError(tr("Step {} failed; see the log above for the reason.").format(alg_id))
    return results


def step_parameters(key: str, parameters: dict, outputs: dict, workdir: str, public: bool) -> dict:
    """Parameters of each step, from the full-analysis parameters and earlier outputs."""
    def dest(name):
        return os.path.join(workdir, "{}.gpkg".format(name))

    def given(name):
        value = parameters.get(name)
        return None if value in (None, "") else value

    c = catalogue

    def result(step):
        return outputs[step][c.OUTPUT]

    if key == "establishments":
        return {c.INPUT: given(c.SIRENE_FILE), c.GEOLOCATION: given(c.GEOLOCATION), c.AREA: given(c.AREA),
                c.ACTIVE_ONLY: True, c.OUTPUT: dest("establishments"), c.SKIPPED: dest("skipped")}
    if key == "flows":
        return {c.INPUT: result("establishments"), c.DECLARED: given(c.DECLARED),
                c.RATIOS: given(c.RATIOS), c.REGISTERS: given(c.REGISTERS), c.OUTPUT: dest("flows")}
    if key == "zones":
        return {c.ZONES: parameters[c.ZONES], c.FLOWS: result("flows"),
                c.ESTABLISHMENTS: result("establishments"), c.HOUSING: given(c.HOUSING), c.CENSUS: given(c.CENSUS),
                c.OUTPUT: dest("zones"), c.OUTPUT_COMMUNES: dest("communes")}
    if key == "synergies":
        return {c.FLOWS: result("flows"), c.ZONES: result("zones"),
                c.NETWORK: given(c.NETWORK), c.HEAT_NETWORK: given(c.HEAT_NETWORK),
                c.MAX_DISTANCE_M: parameters.get(c.MAX_DISTANCE_M) or 0,
                c.OUTPUT: dest("synergies"), c.ALTERNATIVES: dest("synergy_alternatives")}
    if key == "clusters":
        return {c.FLOWS: result("flows"), c.SYNERGIES: result("synergies"),
                c.ZONES: result("zones"), c.NETWORK: given(c.NETWORK),
                c.DISTANCE_M: parameters.get(c.CLUSTER_DISTANCE_M, c.POOLING_DISTANCE_M),
                c.MIN_MEMBERS: parameters.get(c.MIN_MEMBERS, c.MIN_CLUSTER_MEMBERS),
                c.OUTPUT: dest("clusters")}
    if key == "recommendations":
        return {c.ZONES: result("zones"), c.SYNERGIES: result("synergies"),
                c.CLUSTERS: result("clusters"), c.FLOWS: result("flows"),
                c.PUBLIC: public, c.OUTPUT: dest("recommendations")}
    raise KeyError(key)


def run_chain(parameters: dict, context, feedback, workdir: str, public: bool, keys=None) -> dict:
    """Run every step; return ``{step key: results}``. ``feedback`` is multi-step.

    ``keys``: run only these steps (e.g. without "recommendations"); an existing flows layer in
    ``parameters["FLOWS"]`` replaces the import and estimation steps (eit:comparescenarios)."""
    outputs = {}
    for index, (key, alg_id, title) in enumerate(STEPS):
        feedback.setCurrentStep(index)
        if key == "establishments" and parameters.get(catalogue.ESTABLISHMENTS) not in (None, "") \
                and not parameters.get(catalogue.SIRENE_FILE):
            outputs[key] = {catalogue.OUTPUT: parameters[catalogue.ESTABLISHMENTS]}
            feedback.pushInfo(tr("Step {}: existing establishments layer used.").format(index + 1))
            continue
        if key in ("establishments", "flows") and parameters.get(catalogue.FLOWS) not in (None, ""):
            given = parameters[catalogue.FLOWS] if key == "flows" else parameters.get(catalogue.ESTABLISHMENTS)
            outputs[key] = {catalogue.OUTPUT: given}
            continue
        if keys is not None and key not in keys:
            continue
        feedback.pushInfo(tr("Step {} of {}: {}").format(index + 1, len(STEPS), tr(title)))
        params = {k: v for k, v in step_parameters(key, parameters, outputs, workdir, public).items() if v is not None}
        outputs[key] = _run(alg_id, params, context, feedback)
    return outputs


def _layer(value, context):
    from ..qgis_io.layers import open_vector

    return open_vector(value, context)


def fail_on_violations(report) -> None:
    if report.violations:
        raise EitInputError(tr("The public output failed the statistical-secret audit ({} violation(s)); it is not "
                               "complete and must not be published. First ones: {}").format(
            len(report.violations), " | ".join(report.violations[:5])))


def audit_report(state: dict, texts, feedback) -> None:
    """Audit the public report's texts (HTML, PDF text) against the internal run."""
    from ..core import protection

    if not state:
        return
    report = protection.audit({}, state["internal"], state["flows"], state["establishments"], texts=texts,
                              index=state.get("text_index"))
    feedback.pushInfo(tr("Report audit: {} texts checked, {} violation(s).").format(
        report.texts_checked, len(report.violations)))
    fail_on_violations(report)


def counts(gpkg_path: str, written: list) -> dict:
    result = {}
    for name in written:
        layer = QgsVectorLayer("{}|layername={}".format(gpkg_path, name), name, "ogr")
        result[name] = int(layer.featureCount()) if layer.isValid() else 0
    return result


# In memory ------------------------------------------------------------------------------------
class Tables:
    """The outputs of one in-memory run: per GeoPackage layer, a frame of output columns
    (Python values of the field types, as written) with ``geometry``, its QgsFields and
    geometry type; plus the internal tables protection needs."""

    def __init__(self):
        self.layers = {}          # name → (frame, QgsFields, wkb type) or a QgsVectorLayer to copy
        self.flows = None         # internal flows: FLOW_FIELDS, x, y, zone_id
        self.zone_layer = None    # qgis_io.zones.ZoneLayer of the input zones
        self.establishments = None  # siret, name, naf, x, y (the protection keeps public points away)
        self.counts = {}


def _given(parameters, name):
    value = parameters.get(name)
    return None if value in (None, "") else value


def _algorithm(alg_id):
    algorithm = QgsApplication.processingRegistry().createAlgorithmById(alg_id)
    if algorithm is None:
        raise EitInputError(tr("Algorithm {} is not available: is the EIT plugin fully installed?").format(alg_id))
    return algorithm


def _source(parameters, name, context):
    from qgis.core import QgsProcessingUtils

    value = _given(parameters, name)
    if value is None:
        return None
    if isinstance(value, QgsVectorLayer):
        return value
    layer = _layer(value, context) or QgsProcessingUtils.mapLayerFromString(str(value), context)
    if layer is None:
        raise EitInputError(tr("{}: the layer '{}' could not be opened: check the layer or path.").format(name, value))
    return layer


def read_establishments(parameters, context, fb):
    """(establishments frame, QgsVectorLayer given as input or None, import report or None).

    From the SIRENE file: the rows ``eit:importestablishments`` keeps, with its columns; from
    an existing layer: its fields matched as ``eit:estimateflows`` matches them."""
    from ..core import sirene
    from ..core.fields import ESTABLISHMENT_FIELDS
    from ..qgis_io.establishments import AreaFilter, make_transformer
    from ..qgis_io.layers import field_map, read_points
    from .alg_estimate_flows import ESTABLISHMENT_SPELLINGS
    from .alg_import_establishments import ImportEstablishmentsAlgorithm, _value

    path = _given(parameters, catalogue.SIRENE_FILE)
    if path is None:
        source = _source(parameters, catalogue.ESTABLISHMENTS, context)
        name = source.name() or catalogue.ESTABLISHMENTS
        mapping = field_map(source.fields(), ESTABLISHMENT_SPELLINGS, name, required=("siret", "naf"))
        frame, n_closed = closed.drop_closed(read_points(source, context, mapping, fb, name))
        if n_closed:
            fb.info(tr("{} closed establishments (state F) left out, as the SIRENE import does.").format(n_closed))
        return frame, source, None
    keep = None
    area = _source(parameters, catalogue.AREA, context)
    if area is not None:
        keep = AreaFilter(area, context, fb)
        fb.info(tr("Study area: {} polygons.").format(keep.n_polygons))
    stock = ImportEstablishmentsAlgorithm()._stock_rows(path, {}, context)
    report = sirene.ImportReport()
    names = [f.name for f in ESTABLISHMENT_FIELDS]
    types = {f.name: f.type for f in ESTABLISHMENT_FIELDS}
    cols = {n: [] for n in names}
    xs, ys = [], []
    for record in sirene.iter_establishments(
        stock, geolocation=_given(parameters, catalogue.GEOLOCATION), transformer=make_transformer(context), keep=keep,
        active_only=True, naf_labels=sirene.naf_label_map(), report=report, feedback=fb,
    ):
        for n in names:
            cols[n].append(_value(record[n], types[n]))
        xs.append(float(record["x"]))
        ys.append(float(record["y"]))
    frame = frames.like_layer(pd.DataFrame(cols, columns=names), ESTABLISHMENT_FIELDS)
    frame["x"] = np.array(xs, dtype=float)
    frame["y"] = np.array(ys, dtype=float)
    for line in report.summary_lines(False):
        fb.info(line)
    if report.rows_kept == 0:
        fb.warning(tr("No establishment was kept: see the reasons above (is AREA on the right territory?)."))
    return frame, None, report


def _estimate(parameters, establishments, fb):
    """The flows of the establishments (eit:estimateflows' reading of them, then its step)."""
    from ..core import pipeline, reference, registers, sirene
    from ..qgis_io.registers import to_lambert93
    from .alg_estimate_flows import read_declared

    ratios_path = _given(parameters, catalogue.RATIOS)
    declared_path = _given(parameters, catalogue.DECLARED)
    est = pipeline.columns(establishments, ("siret", "name", "naf", "headcount_band", "headcount_est", "x", "y")).copy()
    est["siret"] = est["siret"].map(sirene.normalise_siret)
    est = est[est["siret"].notna()]
    if est.empty:
        raise EitInputError(tr("No establishment with a SIRET: nothing to estimate."))
    registers_path = _given(parameters, catalogue.REGISTERS)
    regs = registers.read_registers(registers_path) if registers_path else None
    flows, report = pipeline.estimate_flows(
        est, declared=read_declared(declared_path) if declared_path else None,
        ratios=reference.load_ratios(ratios_path), feedback=fb,
        ratio_label=os.path.basename(ratios_path) if ratios_path else "ratios.csv",
        declared_label=os.path.basename(declared_path) if declared_path else "", registers=regs,
        registers_label=os.path.basename(registers_path) if registers_path else "")
    if regs is not None:
        registers.check_positions(to_lambert93(regs["sites"]), est, report.registered)
    del est, regs
    lines = report.lines()
    for line in lines[:2]:
        fb.info(line)
    for line in lines[2:]:
        fb.warning(line)
    return flows


def _networks(parameters, context, fb):
    """(road network for the clusters, road network and heat network for the synergies):
    NETWORK read once (a heat network when it looks like one), HEAT_NETWORK."""
    from .alg_detect_synergies import looks_like_heat_network
    from .inputs import read_network

    road_network = heat_network = None
    network_src = _source(parameters, catalogue.NETWORK, context)
    network = None
    if network_src is not None:
        network, frame = read_network(network_src, context, fb)
        if looks_like_heat_network(network_src.name(), frame):
            heat_network = network
        else:
            road_network = network
        del frame
    heat_src = _source(parameters, catalogue.HEAT_NETWORK, context)
    if heat_src is not None:
        heat_network, _frame = read_network(heat_src, context, fb, required=False)
    return network, road_network, heat_network


def analyse(parameters: dict, context, feedback, public: bool) -> Tables:
    """The whole method in memory; ``feedback`` is a multi-step feedback (``STEPS``)."""
    from ..core import indicators, pipeline
    from ..core.fields import (
        CLUSTER_FIELDS,
        ESTABLISHMENT_FIELDS,
        FLOW_FIELDS,
        RECOMMENDATION_FIELDS,
        SYNERGY_FIELDS,
        ZONE_COMMUNE_FIELDS,
    )
    from ..core.tables import read_table
    from ..qgis_io.layers import qgs_fields, wkb
    from ..qgis_io.zones import read_zones
    from .alg_detect_clusters import _ZoneSites
    from .alg_detect_synergies import ZONE_SPELLINGS, zone_positions
    from .alg_zone_overlay import commune_output, read_housing, report_overlay, zone_fields, zone_output
    from .base import QgisFeedback

    tables = Tables()

    def step(index):
        feedback.setCurrentStep(index)
        if feedback.isCanceled():
            raise EitCancelled("cancelled")
        feedback.pushInfo(tr("Step {} of {}: {}").format(index + 1, len(STEPS), tr(STEPS[index][2])))
        return QgisFeedback(feedback)

    # 1. establishments
    fb = step(0)
    establishments, est_layer, _report = read_establishments(parameters, context, fb)
    tables.counts["establishments"] = len(establishments)
    if public:
        tables.establishments = pipeline.columns(establishments, ("siret", "name", "naf")).assign(
            fid=np.arange(1, len(establishments) + 1), x=establishments["x"].to_numpy(), y=establishments["y"].to_numpy())
    if est_layer is not None:
        tables.layers["establishments"] = est_layer
    else:
        tables.layers["establishments"] = (establishments, qgs_fields(ESTABLISHMENT_FIELDS), wkb("point"), "xy",
                                           ESTABLISHMENT_FIELDS)
    # What eit:zoneoverlay reads of the establishments.
    est_overlay = pipeline.columns(establishments, ("siret", "naf", "headcount_est", "x", "y"))

    # 2. flows
    fb = step(1)
    estimated = _estimate(parameters, establishments, fb)
    # The layer's values, then x, y added as columns: no concat copy of a million flows.
    flows = frames.like_layer(estimated, FLOW_FIELDS)
    for axis in ("x", "y"):
        flows[axis] = pd.to_numeric(estimated[axis], errors="coerce").to_numpy(dtype=float)
    del estimated
    tables.counts["flows"] = len(flows)
    if not public:
        tables.layers["flows"] = (flows, qgs_fields(FLOW_FIELDS), wkb("point"), "xy", FLOW_FIELDS)
    if est_layer is None and public:
        del tables.layers["establishments"]
    del establishments  # later steps read est_overlay and tables.establishments only

    # 3. zones
    fb = step(2)
    zones_src = _source(parameters, catalogue.ZONES, context)
    zone_layer = read_zones(zones_src, context, fb, layer_name=zones_src.name())
    if len(zone_layer.frame) == 0:
        raise EitInputError(tr("The zone layer '{}' has no feature.").format(zones_src.name()))
    tables.zone_layer = zone_layer
    housing_src = _source(parameters, catalogue.HOUSING, context)
    housing = read_housing(housing_src, context, zone_layer, fb) if housing_src is not None else None
    overlay_flows = pipeline.columns(flows, (*pipeline.OVERLAY_FLOW_COLUMNS, "x", "y"))
    census_path = _given(parameters, catalogue.CENSUS)
    census = indicators.read_census(read_table(census_path), census_path) if census_path else None
    result = pipeline.overlay(zone_layer, overlay_flows, est_overlay, housing, distance_m=50.0, census=census,
                              feedback=fb)
    report_overlay(result, housing_src is not None, fb, zone_layer, overlay_flows)
    del overlay_flows, est_overlay, housing
    flows["zone_id"] = result.flow_zone
    fields, _dropped = zone_fields(zone_layer)
    zones_out = zone_output(zone_layer, result.table, fields)
    tables.layers["zones"] = (zones_out, fields, wkb("polygon"), "geometry", None)
    tables.counts["zones"] = len(zones_out)
    communes = commune_output(zone_layer, result.merged, result.communes, fb)
    tables.layers["communes"] = (communes, qgs_fields(ZONE_COMMUNE_FIELDS), wkb("polygon"), "geometry", None)
    del result

    # 4. synergies
    fb = step(3)
    synergy_alg = _algorithm("eit:detectsynergies")
    syn_params = {catalogue.MAX_DISTANCE_M: parameters.get(catalogue.MAX_DISTANCE_M) or 0}
    taxonomy, compatibility, emission_factors = synergy_alg.references(syn_params, context, fb)
    lower = {c.lower(): c for c in zones_out.columns}
    zone_frame = pd.DataFrame({k: zones_out[lower[k]] for k in ZONE_SPELLINGS if k in lower})
    zone_frame["x"], zone_frame["y"], zone_frame["area_m2"] = zone_positions(zones_out["geometry"])
    network, road_network, heat_network = _networks(parameters, context, fb)
    found = pipeline.synergies(
        pipeline.columns(flows, (*pipeline.FLOW_COLUMNS, "x", "y", "zone_id")), pipeline.housing_zones(zone_frame),
        synergy_alg.matching_params(syn_params, context), taxonomy=taxonomy, compatibility=compatibility,
        emission_factors=emission_factors, road_network=road_network, heat_network=heat_network, feedback=fb)
    for message in found.messages:
        fb.info(message)
    synergies_out = frames.output_frame(found.synergies, SYNERGY_FIELDS, frames.line_geometries(found.synergies))
    tables.layers["synergies"] = (synergies_out, qgs_fields(SYNERGY_FIELDS), wkb("line"), "geometry", None)
    if not public:
        tables.layers["synergy_alternatives"] = (
            frames.output_frame(found.alternatives, SYNERGY_FIELDS, frames.line_geometries(found.alternatives)),
            qgs_fields(SYNERGY_FIELDS), wkb("line"), "geometry", None)
    synergy_ends = pipeline.synergy_ends(found.synergies)
    del found, zone_frame

    # 5. clusters
    fb = step(4)
    cluster_alg = _algorithm("eit:detectclusters")
    cl_params = {catalogue.DISTANCE_M: parameters.get(catalogue.CLUSTER_DISTANCE_M, catalogue.POOLING_DISTANCE_M),
                 catalogue.MIN_MEMBERS: parameters.get(catalogue.MIN_MEMBERS, catalogue.MIN_CLUSTER_MEMBERS)}
    clusters = pipeline.clusters(
        pipeline.columns(flows, (*pipeline.FLOW_COLUMNS, "x", "y")), synergy_ends,
        distance_m=cluster_alg.parameterAsDouble(cl_params, catalogue.DISTANCE_M, context),
        min_members=cluster_alg.parameterAsInt(cl_params, catalogue.MIN_MEMBERS, context),
        min_quantity_factor=cluster_alg.parameterAsDouble(cl_params, catalogue.MIN_QUANTITY_FACTOR, context),
        actions=clustering.load_pooling_actions(None), rules=clustering.load_facility_rules(None),
        zones=_ZoneSites(zone_layer), network=network, feedback=fb)
    del synergy_ends, network, road_network, heat_network
    clusters_out = frames.output_frame(clusters, CLUSTER_FIELDS, frames.wkt_geometries(clusters["hull_wkt"]))
    del clusters
    tables.layers["clusters"] = (clusters_out, qgs_fields(CLUSTER_FIELDS), wkb("polygon"), "geometry", None)

    # 6. recommendations
    fb = step(5)
    recommendations = pipeline.recommendations(
        zones_out.drop(columns=["geometry"]), synergies_out.drop(columns=["geometry"]),
        clusters_out.drop(columns=["geometry"]), flows=flows, public=public, feedback=fb)
    if public:
        from .alg_recommendations import RecommendationsAlgorithm

        RecommendationsAlgorithm._audit(recommendations, flows, feedback, fb)
    tables.layers["recommendations"] = (recommendations, qgs_fields(RECOMMENDATION_FIELDS), wkb("none"), None,
                                        RECOMMENDATION_FIELDS)
    tables.counts["recommendations"] = len(recommendations)
    tables.flows = flows
    return tables


def tables_summary(tables: Tables, public: bool):
    """The run's summary table (``core.ledger``) from the internal (unprotected) tables; in
    public mode each figure is checked against the statistical secret (``None`` = withheld)."""
    from ..core import ledger

    counts = {k: tables.counts.get(k, 0) for k in ("establishments", "flows", "zones", "recommendations")}
    synergies = tables.layers["synergies"][0].drop(columns=["geometry"])
    clusters = tables.layers["clusters"][0].drop(columns=["geometry"])
    counts["synergies"] = len(synergies)
    counts["clusters"] = len(clusters)
    return ledger.headline(synergies, clusters, tables.flows, counts, public)


def _internal(tables: Tables) -> dict:
    """The internal tables as the protection and its auditor read them (what
    ``qgis_io.public.read_internal`` reads from step outputs): output rows with ``fid`` and
    ``geometry``; zones with a point inside each (``x``, ``y``); flows with their ``zone_id``
    ("" outside every zone); establishments ``siret``, ``name``, ``naf``, ``x``, ``y``."""
    from qgis.core import QgsGeometry

    from ..qgis_io import public as public_io
    from ..qgis_io.layers import representative_xy

    out = {}
    for name in ("zones", "communes", "synergies", "clusters", "recommendations"):
        entry = tables.layers.get(name)
        if entry is None:
            out[name] = None
            continue
        frame = entry[0]
        if entry[4] is not None:  # a table of core values: the rows a layer read gives back
            from ..core.fields import RECOMMENDATION_FIELDS

            frame = frames.output_frame(frame, RECOMMENDATION_FIELDS, [QgsGeometry() for _ in range(len(frame))])
        frame = frame.copy(deep=False)
        frame.insert(len(frame.columns) - 1, "fid", np.arange(1, len(frame) + 1))
        out[name] = frame
    if out["zones"] is not None:
        out["zones"]["x"], out["zones"]["y"] = representative_xy(out["zones"]["geometry"])
    flows = tables.flows
    out["flows"] = None if flows is None else pd.concat(
        [pipeline_columns(flows, (*public_io.FLOW_COLUMNS, "x", "y")),
         flows["zone_id"].where(flows["zone_id"].notna(), "").rename("zone_id")], axis=1)
    out["establishments"] = tables.establishments
    return out


def pipeline_columns(frame, wanted):
    from ..core import pipeline

    return pipeline.columns(frame, wanted)


def _write_public(tables: Tables, gpkg_path: str, record: dict, feedback, facts, state) -> list:
    """The public GeoPackage: ``core.protection`` decides every published figure, text and
    geometry from the internal tables; the written file is read back and audited; a
    violation fails the run."""
    from ..core import ledger, protection
    from ..core.protection_texts import TextIndex
    from ..qgis_io import public as public_io
    from .base import QgisFeedback

    internal = _internal(tables)
    flows, establishments = internal.pop("flows"), internal.pop("establishments")
    avoid = (state or {}).get("avoid")
    result = protection.protect({k: v for k, v in internal.items() if k != "recommendations"}, flows, establishments,
                                avoid=avoid)
    text = prov.as_text(record)
    written = []
    for name, _step, _output in LAYERS:
        entry = tables.layers.get(name)
        if name in INTERNAL_ONLY or entry is None:
            continue
        if name in result.tables:
            public_io.write_frame(result.tables[name], entry[1], entry[2], gpkg_path, name, QgisFeedback(feedback))
        else:
            frame, fields, wkb_type, geometry, schema = entry
            frames.write_gpkg(frame, fields, wkb_type, gpkg_path, name, geometry, schema, QgisFeedback(feedback))
        fr, en = TITLES[name]
        gpkg_io.finish_layer(gpkg_path, name, text, "{} / {}".format(fr, en))
        written.append(name)
    summary_rows = []
    if facts is not None:
        # headline figures: protected by the ledger (its own parts and secondary suppression)
        summary_rows = ledger.summary_rows(facts)
        gpkg_io.write_table(summary_rows, gpkg_path, "summary", columns=ledger.SUMMARY_COLUMNS)
    back = public_io.read_back(gpkg_path, written)
    if summary_rows:
        back["summary"] = pd.DataFrame(summary_rows, columns=list(ledger.SUMMARY_COLUMNS))
    log_lines = list(getattr(feedback, "lines", []))
    # what the text check looks for in the run, built once for this audit and the report's
    index = TextIndex(internal, flows, establishments)
    report = protection.audit(back, internal, flows, establishments, log_lines=log_lines, avoid=avoid,
                              cells=result.cells, index=index)
    report.secondary, report.generalised = result.audit.secondary, max(report.generalised, result.audit.generalised)
    gpkg_io.write_table(prov.as_rows(record) + report.rows(), gpkg_path, "provenance")
    feedback.pushInfo(tr("Statistical-secret audit: {} figures published, {} withheld ({} by secondary suppression), "
                         "{} geometries generalised, {} texts checked, {} violation(s).").format(
        report.published, report.suppressed, report.secondary, report.generalised, report.texts_checked,
        len(report.violations)))
    if state is not None:
        state.update({"internal": internal, "flows": flows, "establishments": establishments, "audit": report,
                      "public": back, "text_index": index})
    fail_on_violations(report)
    return written


def write_tables(tables: Tables, gpkg_path: str, record: dict, public: bool, feedback=None, facts=None,
                 state=None) -> list:
    """Write every output layer once (public mode: the tables ``core.protection`` builds,
    then the audit of the written file); return the names written. ``state``: as for
    ``package``."""
    from .base import QgisFeedback

    if public:
        return _write_public(tables, gpkg_path, record, feedback, facts, state)
    written = []
    text = "CONFIDENTIEL — usage interne de l'équipe EIT.\n" + prov.as_text(record)
    for name, _step, _output in LAYERS:
        entry = tables.layers.get(name)
        if entry is None:
            continue
        if isinstance(entry, QgsVectorLayer):
            gpkg_io.write_layer(entry, gpkg_path, name)
        else:
            frame, fields, wkb_type, geometry, schema = entry
            frames.write_gpkg(frame, fields, wkb_type, gpkg_path, name, geometry, schema,
                              QgisFeedback(feedback) if feedback is not None else None)
        fr, en = TITLES[name]
        gpkg_io.finish_layer(gpkg_path, name, text, "{} / {}".format(fr, en))
        written.append(name)
    gpkg_io.write_table(prov.as_rows(record), gpkg_path, "provenance")
    if facts is not None:
        from ..core import ledger

        gpkg_io.write_table(ledger.summary_rows(facts), gpkg_path, "summary", columns=ledger.SUMMARY_COLUMNS)
    return written
