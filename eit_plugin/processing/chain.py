"""The method's chain of algorithms, shared by eit:fullanalysis and the scenario comparison.

Each step runs one of the provider's algorithms (the very ones of the toolbox and of the
``.model3``), writing into a work folder; ``package`` then copies the results into one
GeoPackage with styles and provenance; in public mode ``core.protection`` builds every
published table and the written file is audited.
"""
from __future__ import annotations

import os

from qgis.core import QgsApplication, QgsFeatureRequest, QgsProcessingFeedback, QgsVectorLayer

from ..core import catalogue, closed
from ..core import provenance as prov
from ..core.errors import EitCancelled, EitInputError
from ..i18n import tr
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

    if key == "establishments":
        return {"INPUT": given("SIRENE_FILE"), "GEOLOCATION": given("GEOLOCATION"), "AREA": given("AREA"),
                "ACTIVE_ONLY": True, "OUTPUT": dest("establishments"), "SKIPPED": dest("skipped")}
    if key == "flows":
        return {"INPUT": outputs["establishments"]["OUTPUT"], "DECLARED": given("DECLARED"),
                "RATIOS": given("RATIOS"), "REGISTERS": given("REGISTERS"), "OUTPUT": dest("flows")}
    if key == "zones":
        return {"ZONES": parameters["ZONES"], "FLOWS": outputs["flows"]["OUTPUT"],
                "ESTABLISHMENTS": outputs["establishments"]["OUTPUT"], "HOUSING": given("HOUSING"), "CENSUS": given("CENSUS"),
                "OUTPUT": dest("zones"), "OUTPUT_COMMUNES": dest("communes")}
    if key == "synergies":
        return {"FLOWS": outputs["flows"]["OUTPUT"], "ZONES": outputs["zones"]["OUTPUT"],
                "NETWORK": given("NETWORK"), "HEAT_NETWORK": given("HEAT_NETWORK"),
                "MAX_DISTANCE_M": parameters.get("MAX_DISTANCE_M") or 0,
                "OUTPUT": dest("synergies"), "ALTERNATIVES": dest("synergy_alternatives")}
    if key == "clusters":
        return {"FLOWS": outputs["flows"]["OUTPUT"], "SYNERGIES": outputs["synergies"]["OUTPUT"],
                "ZONES": outputs["zones"]["OUTPUT"], "NETWORK": given("NETWORK"),
                "DISTANCE_M": parameters.get(catalogue.CLUSTER_DISTANCE_M, catalogue.POOLING_DISTANCE_M),
                "MIN_MEMBERS": parameters.get(catalogue.MIN_MEMBERS, catalogue.MIN_CLUSTER_MEMBERS),
                "OUTPUT": dest("clusters")}
    if key == "recommendations":
        return {"ZONES": outputs["zones"]["OUTPUT"], "SYNERGIES": outputs["synergies"]["OUTPUT"],
                "CLUSTERS": outputs["clusters"]["OUTPUT"], "FLOWS": outputs["flows"]["OUTPUT"],
                "PUBLIC": public, "OUTPUT": dest("recommendations")}
    raise KeyError(key)


def run_chain(parameters: dict, context, feedback, workdir: str, public: bool, keys=None) -> dict:
    """Run every step; return ``{step key: results}``. ``feedback`` is multi-step.

    ``keys``: run only these steps (e.g. without "recommendations"); an existing flows layer in
    ``parameters["FLOWS"]`` replaces the import and estimation steps (eit:comparescenarios)."""
    outputs = {}
    for index, (key, alg_id, title) in enumerate(STEPS):
        feedback.setCurrentStep(index)
        if key == "establishments" and parameters.get("ESTABLISHMENTS") not in (None, "") and not parameters.get("SIRENE_FILE"):
            outputs[key] = {"OUTPUT": parameters["ESTABLISHMENTS"]}
            feedback.pushInfo(tr("Step {}: existing establishments layer used.").format(index + 1))
            continue
        if key in ("establishments", "flows") and parameters.get("FLOWS") not in (None, ""):
            outputs[key] = {"OUTPUT": parameters["FLOWS"] if key == "flows" else parameters.get("ESTABLISHMENTS")}
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


def summary(outputs: dict, context, public: bool):
    """The run's summary table (``core.ledger``) from the internal (unprotected) step outputs;
    in public mode each figure is checked against the statistical secret (``None`` = withheld)."""
    from ..core import ledger
    from ..qgis_io import layers as layer_io

    def frame(step, output="OUTPUT"):
        layer = _layer(outputs.get(step, {}).get(output), context)
        if layer is None:
            return None
        table = layer_io.read_geometries(layer).drop(columns=["geometry"], errors="ignore")
        table.columns = [c.lower() for c in table.columns]
        return table

    counts = {}
    for step in ("establishments", "flows", "zones", "recommendations"):
        layer = _layer(outputs.get(step, {}).get("OUTPUT"), context)
        counts[step] = int(layer.featureCount()) if layer is not None else 0
        state = [f for f in closed.STATE_FIELDS if layer is not None and layer.fields().lookupField(f) >= 0]
        if step == "establishments" and state:  # a SIRENE points layer: its closed rows were left out
            request = QgsFeatureRequest().setFilterExpression("upper(trim(\"{}\")) = 'F'".format(
                layer.fields().at(layer.fields().lookupField(state[0])).name()))
            counts[step] -= sum(1 for _f in layer.getFeatures(request.setFlags(QgsFeatureRequest.Flag.NoGeometry)))
    synergies, clusters = frame("synergies"), frame("clusters")
    counts["synergies"] = 0 if synergies is None else len(synergies)
    counts["clusters"] = 0 if clusters is None else len(clusters)
    return ledger.headline(synergies, clusters, frame("flows"), counts, public)


def package(outputs: dict, gpkg_path: str, record: dict, public: bool, context, feedback, facts=None,
            state=None) -> list:
    """Copy the step outputs into one GeoPackage; return the layer names written.

    ``facts``: the table of ``summary`` (the ledger's, protected there in public mode), stored
    as the ``summary`` table. ``state``: a dict that receives what the report's audit needs and
    gives ``avoid`` (other establishment positions public geometry keeps away from)."""
    if public:
        return _package_public(outputs, gpkg_path, record, context, feedback, facts, state)
    written = []
    text = "CONFIDENTIEL — usage interne de l'équipe EIT.\n" + prov.as_text(record)
    for name, step, output in LAYERS:
        value = outputs.get(step, {}).get(output)
        layer = _layer(value, context) if value not in (None, "") else None
        if layer is None:
            continue
        gpkg_io.write_layer(layer, gpkg_path, name)
        fr, en = TITLES[name]
        gpkg_io.finish_layer(gpkg_path, name, text, "{} / {}".format(fr, en))
        written.append(name)
    gpkg_io.write_table(prov.as_rows(record), gpkg_path, "provenance")
    if facts is not None:
        from ..core import ledger

        gpkg_io.write_table(ledger.summary_rows(facts), gpkg_path, "summary", columns=ledger.SUMMARY_COLUMNS)
    return written


def _package_public(outputs, gpkg_path, record, context, feedback, facts, state) -> list:
    """The public GeoPackage: ``core.protection`` decides every published figure, text and
    geometry; the written file is read back and audited; a violation fails the run."""
    import pandas as pd

    from ..core import ledger, protection
    from ..qgis_io import public as public_io

    internal = public_io.read_internal(outputs, context)
    flows, establishments = internal.pop("flows"), internal.pop("establishments")
    avoid = (state or {}).get("avoid")
    result = protection.protect({k: v for k, v in internal.items() if k != "recommendations"}, flows, establishments,
                                avoid=avoid)
    text = prov.as_text(record)
    written = []
    for name, step, output in LAYERS:
        if name in INTERNAL_ONLY:
            continue
        layer = _layer(outputs.get(step, {}).get(output), context)
        if layer is None:
            continue
        if name in result.tables:
            layer = public_io.frame_to_layer(result.tables[name], layer, name)
        gpkg_io.write_layer(layer, gpkg_path, name)
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
    report = protection.audit(back, internal, flows, establishments, log_lines=log_lines, avoid=avoid)
    report.secondary, report.generalised = result.audit.secondary, max(report.generalised, result.audit.generalised)
    gpkg_io.write_table(prov.as_rows(record) + report.rows(), gpkg_path, "provenance")
    feedback.pushInfo(tr("Statistical-secret audit: {} figures published, {} withheld ({} by secondary suppression), "
                         "{} geometries generalised, {} texts checked, {} violation(s).").format(
        report.published, report.suppressed, report.secondary, report.generalised, report.texts_checked,
        len(report.violations)))
    if state is not None:
        state.update({"internal": internal, "flows": flows, "establishments": establishments, "audit": report,
                      "public": back})
    fail_on_violations(report)
    return written


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
    report = protection.audit({}, state["internal"], state["flows"], state["establishments"], texts=texts)
    feedback.pushInfo(tr("Report audit: {} texts checked, {} violation(s).").format(
        report.texts_checked, len(report.violations)))
    fail_on_violations(report)


def counts(gpkg_path: str, written: list) -> dict:
    result = {}
    for name in written:
        layer = QgsVectorLayer("{}|layername={}".format(gpkg_path, name), name, "ogr")
        result[name] = int(layer.featureCount()) if layer.isValid() else 0
    return result
