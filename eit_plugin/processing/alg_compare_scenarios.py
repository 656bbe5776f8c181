"""eit:comparescenarios — what a zoning alternative does to industrial ecology.

Runs the method (overlay → synergies → clusters, the shared ``chain``) on the current zones and
on each scenario zone layer, with the scenario's planned activities and dwellings, and compares
(``core.scenarios``): a table scenario × indicator, the synergies and clusters gained or lost,
a map of the zones whose indicators change, and an HTML section for the report.
"""
from __future__ import annotations

import os
import tempfile

import numpy as np
import pandas as pd
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingMultiStepFeedback,
    QgsProcessingOutputFile,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
    QgsVectorLayer,
    QgsWkbTypes,
)

from ..core import catalogue, reference
from ..core import indicators as core_indicators
from ..core import scenario_report as scr
from ..core import scenarios as sc
from ..core.errors import EitCancelled, EitInputError
from ..core.fields import (
    COMPARISON_FIELDS,
    DWELLING_SPELLINGS,
    FLOW_FIELDS,
    HEATED_AREA_SPELLINGS,
    ITEM_FIELDS,
    PLANNED_DWELLING_SPELLINGS,
    ZONE_CHANGE_FIELDS,
    F,
)
from ..i18n import tr
from ..qgis_io.frames import write_gpkg
from ..qgis_io.layers import (
    field_map,
    python_value,
    qgs_fields,
    read_geometries,
    read_points,
    representative_xy,
    schema_types,
    working_crs,
    write_frame,
)
from ..qgis_io.scenario_geometry import near_installations, zone_overlaps
from ..qgis_io.zones import read_zones
from .base import EitAlgorithm, QgisFeedback
from .inputs import read_flows
from .parameters import max_synergy_distance, min_members, pooling_distance, sink, source

LANGUAGES = ("fr", "en")
CHAIN_KEYS = ("zones", "synergies", "clusters")
PLANNED_STATUS_WORDS = ("projet", "prevu", "prévu", "planned", "future", "futur")



class CompareScenariosAlgorithm(EitAlgorithm):
    ALG_ID = "comparescenarios"
    DISPLAY_NAME = "Compare zoning scenarios"
    GROUP = "4. Planning documents"
    GROUP_ID = "planning"
    HELP = (
        "Tests a zoning alternative before it is fixed: runs the method (overlay on zones → synergies → "
        "pooling clusters, the same steps as eit:fullanalysis) on the current zones and on each scenario, "
        "and compares them.\n\n"
        "SCENARIOS: one or more zone layers with the CNIG zone_urba schema of ZONES. A scenario may change "
        "TYPEZONE/DESTDOMI, split or redraw zones, add AU zones. Planned dwellings: field nb_logements_prevus "
        "(new-build heat need of housing_assumptions.csv, 4 MWh/yr per dwelling as shipped); existing ones: "
        "the HOUSING layer (its points with a status projet/prévu are left out: the zones' planned dwellings "
        "replace them), else the zones' nb_logements field, else the overlay's density assumptions. Planned "
        "activities: field activites_prevues, 'NAF:jobs' items separated by ';' (e.g. '52.10B:80; 25.62B:30'), "
        "turned into flows by the estimation ratios (RATIOS overrides them) at a point inside the zone. The "
        "same rules apply to the current zones.\n\n"
        "FLOWS: the output of eit:estimateflows (ESTABLISHMENTS, optional, gives the jobs and NAF diversity "
        "of the mixity index). The other parameters are those of eit:fullanalysis.\n\n"
        "Compatibility with housing (resources/rules/zone_compatibility.csv, RULES overrides it): a planned "
        "activity ruled 'forbidden' (conflict) or 'conditional' (warning) in a zone with dwellings, and "
        "planned dwellings closer to an establishment than its nuisance buffer, are listed and counted, "
        "never dropped silently.\n\n"
        "Outputs: OUTPUT, one row per scenario × indicator (value, current value, difference): synergies, "
        "heat-to-housing synergies, MWh recovered (all and for housing), combustion avoided, tonnes diverted, "
        "CO2, PM10, NOx, pooling clusters, truck-km avoided, land for shared facilities, dwellings, jobs, "
        "mean mixity, zones with high EIT potential, conflicts. OUTPUT_ITEMS: the synergies and clusters "
        "gained, lost or changed, matched by supplier → receiver and resources (never by generated ids). "
        "OUTPUT_ZONES: the scenario zones whose zoning or indicators change, with current and scenario "
        "values. REPORT: an HTML section (resources/templates/scenarios.html.j2).\n\n"
        "PUBLIC (default no): for a public document, the statistical secret of eit:fullanalysis: a territorial "
        "figure (and its difference between scenarios) is given only when the establishments behind it — and "
        "those whose synergies change — are at least 3 with none above 85 %; changed synergies and clusters "
        "without SIRETs, names or quantities; per-zone firm figures withheld; the run fails if a name or SIRET "
        "of an establishment is found in any output or log line.\n\n"
        "Example: qgis_process.bin run eit:comparescenarios -- ZONES=sample.gpkg|layername=zone_urba "
        "SCENARIOS=scenarios.gpkg|layername=scenario_A SCENARIOS=scenarios.gpkg|layername=scenario_B "
        "FLOWS=flows.gpkg NETWORK=sample.gpkg|layername=heat_network OUTPUT=comparison.csv "
        "OUTPUT_ZONES=changes.gpkg REPORT=scenarios.html\n\n"
        "Complexity: (1 + number of scenarios) runs of the chain (each O(n log n) in flows), plus "
        "O(Z log Z) to match the zones of each scenario with the current ones (spatial index)."
    )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(source(catalogue.ZONES_INPUT, tr("Current PLU zones (CNIG zone_urba)")))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            "SCENARIOS", tr("Scenario zone layers (same schema)"), QgsProcessing.SourceType.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterString(
            "SCENARIO_NAMES", tr("Scenario names, separated by ';' (default: the layer names)"), optional=True))
        self.add_parameters(
            source(catalogue.FLOWS_INPUT), source(catalogue.ESTABLISHMENTS_INPUT), source(catalogue.HOUSING_INPUT),
            source(catalogue.NETWORK_INPUT), max_synergy_distance(), pooling_distance(), min_members())
        self.addParameter(QgsProcessingParameterFile(
            catalogue.RATIOS, tr("Flow ratios overriding the shipped table (CSV)"), optional=True, fileFilter="CSV (*.csv)"))
        self.addParameter(QgsProcessingParameterFile(
            catalogue.RULES, tr("Zone compatibility rules overriding the shipped file (CSV)"), optional=True,
            fileFilter="CSV (*.csv)"))
        self.addParameter(QgsProcessingParameterEnum(
            catalogue.LANGUAGE, tr("Report language"), options=["Français", "English"], defaultValue=0))
        self.addParameter(QgsProcessingParameterBoolean(
            catalogue.PUBLIC, tr("Public document: apply the statistical secret"), defaultValue=False))
        self.add_parameters(
            sink(catalogue.OUTPUT, tr("Comparison (scenario × indicator)"), "vector"),
            sink("OUTPUT_ITEMS", tr("Synergies and clusters gained or lost"), "vector", optional=True),
            sink("OUTPUT_ZONES", tr("Zones whose indicators change"), "polygon", optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            catalogue.REPORT, tr("Report section (HTML)"), tr("HTML files (*.html)"), optional=True))
        self.add_counts(("N_SCENARIOS", tr("Scenarios compared")), ("N_ZONES_CHANGED", tr("Zones whose indicators change")))
        self.addOutput(QgsProcessingOutputFile("REPORT_FILE", tr("Report section (HTML)")))

    # -------------------------------------------------------------------------------------------
    def execute(self, parameters, context, feedback):
        from . import chain

        feedback = self._public_feedback(parameters, context, feedback)
        fb = QgisFeedback(feedback)
        zones_src = self.parameterAsSource(parameters, catalogue.ZONES, context)
        if zones_src is None:
            raise EitInputError(tr("ZONES: the zone layer could not be opened."))
        scenario_layers = self.parameterAsLayerList(parameters, "SCENARIOS", context)
        if not scenario_layers:
            raise EitInputError(tr("SCENARIOS: give at least one scenario zone layer."))
        flows_src = self.parameterAsSource(parameters, catalogue.FLOWS, context)
        if flows_src is None:
            raise EitInputError(tr("FLOWS: the flow layer could not be opened (use the output of eit:estimateflows)."))
        est_src = self.parameterAsSource(parameters, catalogue.ESTABLISHMENTS, context)
        housing_src = self.parameterAsSource(parameters, catalogue.HOUSING, context)
        language = LANGUAGES[self.parameterAsEnum(parameters, catalogue.LANGUAGE, context)]
        ratios_path = self.parameterAsFile(parameters, catalogue.RATIOS, context) or None
        rules = sc.load_zone_rules(self.parameterAsFile(parameters, catalogue.RULES, context) or None)
        ratios = reference.load_ratios(ratios_path)
        assumptions = core_indicators.load_housing_assumptions(None)

        names = self._names(parameters, context, scenario_layers, language)
        fb.info(tr("Reading the flows…"))
        flows = self._read_flows(flows_src, context, fb)
        establishments = self._read_establishments(est_src, context, fb) if est_src is not None else None
        base_housing = self._read_housing(housing_src, context, fb) if housing_src is not None else None

        sources = [(names[0], zones_src)] + [(names[i + 1], layer) for i, layer in enumerate(scenario_layers)]
        steps = QgsProcessingMultiStepFeedback(len(sources) * len(chain.STEPS) + 1, feedback)
        results = {}
        with tempfile.TemporaryDirectory(prefix="eit_scen_") as workdir:
            for n, (name, source) in enumerate(sources):
                fb.info(tr("Scenario {} of {}: {}").format(n + 1, len(sources), name))
                results[name] = self._run_one(name, source, n, flows, establishments, base_housing, ratios, rules,
                                              assumptions, parameters, context, steps, workdir, chain)
                column = "text_fr" if self._french() else "text_en"
                known = set(results[names[0]]["conflicts"][column]) if n else set()
                for text in results[name]["conflicts"][column]:
                    if text not in known:
                        fb.warning(text)
                if feedback.isCanceled():
                    raise EitCancelled("cancelled")
            steps.setCurrentStep(len(sources) * len(chain.STEPS))
            fb.info(tr("Comparing the scenarios with the current zoning…"))
            table = sc.comparison_table({name: r["indicators"] for name, r in results.items()})
            current = results[names[0]]
            items, zone_tables, explanations, conflicts = {}, {}, {}, {}
            for name in names[1:]:
                r = results[name]
                overlaps = zone_overlaps(current["layer"].frame, r["layer"].frame, fb)
                same = overlaps[overlaps["identical"].astype(bool)]
                alias = dict(zip(same["scenario_zone"].astype(str), same["current_zone"].astype(str)))
                syn = sc.compare_items(current["synergies"], r["synergies"], "synergy", zone_alias=alias)
                clu = sc.compare_items(current["clusters"], r["clusters"], "cluster")
                items[name] = (syn, clu)
                zone_tables[name] = scr.zone_changes(current["zones"], r["zones"], overlaps, r["conflicts"],
                                                    current["conflicts"])
                conflicts[name] = r["conflicts"]
            table = pd.concat([table] + [sc.project_rows(name, zone_tables[name]) for name in names[1:]],
                              ignore_index=True)
            table, items, zone_tables = self._protect(table, items, zone_tables, results, names, fb)
            for name in names[1:]:
                explanations[name] = scr.explain(name, table, *items[name], language)
                fb.info(explanations[name])
            out = {"N_SCENARIOS": len(names) - 1}
            out[catalogue.OUTPUT] = self._write_table(parameters, catalogue.OUTPUT, context, table, COMPARISON_FIELDS)
            if parameters.get("OUTPUT_ITEMS") is not None:
                rows = []
                for name, (syn, clu) in items.items():
                    for what, frame in (("synergy", syn), ("cluster", clu)):
                        changed = frame[frame["status"] != "kept"].copy()
                        changed["scenario"] = name
                        changed["item"] = what
                        rows.append(changed)
                frame = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
                out["OUTPUT_ITEMS"] = self._write_table(parameters, "OUTPUT_ITEMS", context, frame, ITEM_FIELDS)
            out["OUTPUT_ZONES"], out["N_ZONES_CHANGED"] = self._write_zones(parameters, context, results, zone_tables)
            report = self.parameterAsFileOutput(parameters, catalogue.REPORT, context)
            if report:
                ctx = scr.section_context(table, explanations, items, zone_tables, language, conflicts)
                html = scr.render_section(ctx)
                os.makedirs(os.path.dirname(os.path.abspath(report)), exist_ok=True)
                with open(report, "w", encoding="utf-8") as handle:
                    handle.write("<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>"
                                 "<body>\n{}\n</body></html>\n".format(
                                     language, "Scénarios de zonage" if language == "fr" else "Zoning scenarios", html))
                out[catalogue.REPORT] = report
                out["REPORT_FILE"] = report
            self._audit(table, items, zone_tables, flows, establishments, out.get(catalogue.REPORT), feedback, fb)
        fb.info(tr("Outputs written in EPSG:2154."))
        return out

    def _public_feedback(self, parameters, context, feedback):
        """Public mode: remembered for the steps, and the log loses SIRET numbers."""
        self._public = self.parameterAsBool(parameters, catalogue.PUBLIC, context)
        if not self._public:
            return feedback
        from ..qgis_io.public import RedactingFeedback

        return RedactingFeedback(feedback)

    def _protect(self, table, items, zone_tables, results, names, fb):
        """The statistical secret on every output of the comparison (``core.protection_scenarios``);
        internal mode: unchanged."""
        if not self._public:
            return table, items, zone_tables
        from ..core import protection_scenarios as ps
        from ..core.confidentiality import _resource_labels

        table, n = ps.protect_table(table, {name: r["synergies"] for name, r in results.items()}, names[0])
        labels = _resource_labels()
        items = {name: (ps.protect_items(syn, labels), ps.protect_items(clu, labels)) for name, (syn, clu) in items.items()}
        public_zones = {}
        for name, zt in zone_tables.items():
            zt = ps.protect_zones(zt)
            scen = results[name]["zones"].set_index("zone_id")
            texts = [scr._zone_summary(scen.loc[r["zone_id"]] if r["zone_id"] in scen.index else {}, r, r["change_kind"])
                     for r in zt.to_dict("records")]  # composed again from the public figures
            zt["summary_fr"] = [t[0] for t in texts]
            zt["summary_en"] = [t[1] for t in texts]
            public_zones[name] = zt
        fb.info(tr("Public mode: {} figures of the comparison withheld (statistical secret); changed synergies and "
                   "clusters without names, SIRETs or quantities.").format(n))
        return table, items, public_zones

    def _audit(self, table, items, zone_tables, flows, establishments, report, feedback, fb):
        """Names, SIRETs and SIRENs of the run's establishments in any public text fail the run."""
        if not self._public:
            return
        from ..core import protection
        from ..processing.chain import fail_on_violations

        people = establishments if establishments is not None else flows
        people = people.drop_duplicates("siret") if people is not None and "siret" in people.columns else people
        frames = {"comparison": table, "zones": pd.concat(list(zone_tables.values()), ignore_index=True)
                  if zone_tables else None}
        for name, (syn, clu) in items.items():
            frames["items_{}_synergies".format(name)] = syn
            frames["items_{}_clusters".format(name)] = clu
        texts = []
        if report:
            with open(report, encoding="utf-8") as handle:
                texts.append(handle.read())
        result = protection.audit(frames, {}, flows, people, texts=texts, log_lines=getattr(feedback, "lines", []))
        fb.info(tr("Statistical-secret audit: {} texts checked, {} violation(s).").format(
            result.texts_checked, len(result.violations)))
        fail_on_violations(result)

    # -------------------------------------------------------------------------------------------
    def _names(self, parameters, context, layers, language):
        given = self.parameterAsString(parameters, "SCENARIO_NAMES", context) or ""
        custom = [t.strip() for t in given.split(";") if t.strip()]
        if custom and len(custom) not in (len(layers), len(layers) + 1):
            raise EitInputError(tr("SCENARIO_NAMES: {} names for {} scenario layers; give one name per scenario "
                                   "(optionally the current zoning's first), separated by ';'.").format(
                len(custom), len(layers)))
        current = "actuel" if language == "fr" else "current"
        if len(custom) == len(layers) + 1:
            current, custom = custom[0], custom[1:]
        names = [current] + (custom or [_layer_name(layer, i) for i, layer in enumerate(layers)])
        seen = {}
        unique = []
        for name in names:
            seen[name] = seen.get(name, 0) + 1
            unique.append(name if seen[name] == 1 else "{}_{}".format(name, seen[name]))
        return unique

    def _read_flows(self, source, context, fb):
        frame = read_flows(source, context, fb.sub(0, 5), ("flow_id", "direction", "resource", "family", "quantity"),
                           extras=("headcount_est",))
        for f in FLOW_FIELDS:
            if f.name not in frame.columns:
                frame[f.name] = None
        return frame.drop(columns=["fid"], errors="ignore")

    def _read_establishments(self, source, context, fb):
        mapping = field_map(source.fields(), {"siret": [], "name": ["nom"], "naf": ["activiteprincipaleetablissement"],
                                              "headcount_est": ["effectif"]},
                            source.sourceName(), required=("siret", "naf"))
        frame = read_points(source, context, mapping, fb.sub(5, 8), source.sourceName())
        for col in ("name", "headcount_est"):
            if col not in frame.columns:
                frame[col] = None
        return frame[["siret", "name", "naf", "headcount_est", "x", "y"]]

    def _read_housing(self, source, context, fb):

        mapping = field_map(source.fields(), {"dwellings": DWELLING_SPELLINGS, "heated_area_m2": HEATED_AREA_SPELLINGS,
                                              "status": ["statut", "etat"]}, source.sourceName())
        if "dwellings" not in mapping and "heated_area_m2" not in mapping:
            raise EitInputError(tr("HOUSING layer '{}' has no field with a number of dwellings ({}) or a heated floor "
                                   "area.").format(source.sourceName(), ", ".join(DWELLING_SPELLINGS)))
        frame = read_geometries(source, context, mapping, fb)
        xs, ys = representative_xy(frame["geometry"])
        frame["x"], frame["y"] = xs, ys
        if "status" in frame.columns:
            planned = frame["status"].astype(str).str.lower().str.strip().isin(PLANNED_STATUS_WORDS)
            if planned.any():
                fb.info(tr("HOUSING: {} planned dwellings ({} features with a status projet/prévu) left out: the "
                           "zones' planned dwellings (nb_logements_prevus) replace them.").format(
                    int(pd.to_numeric(frame.loc[planned, "dwellings"], errors="coerce").fillna(0).sum())
                    if "dwellings" in frame.columns else 0, int(planned.sum())))
            frame = frame[~planned]
        for col in ("dwellings", "heated_area_m2"):
            if col not in frame.columns:
                frame[col] = np.nan
        return frame[["x", "y", "dwellings", "heated_area_m2"]].reset_index(drop=True)

    # -------------------------------------------------------------------------------------------
    def _run_one(self, name, source, n, flows, establishments, base_housing, ratios, rules, assumptions,
                 parameters, context, steps, workdir, chain):
        fb = QgisFeedback(steps)
        folder = os.path.join(workdir, "s{}".format(n))
        os.makedirs(folder)
        layer = read_zones(source, context, fb.sub(0, 10), layer_name=name)
        if len(layer.frame) == 0:
            raise EitInputError(tr("Scenario '{}': the zone layer has no feature.").format(name))
        frame = layer.frame.copy()
        pts = [layer.point_on_surface(z) for z in frame["zone_id"]]
        frame["x"] = [p[0] for p in pts]
        frame["y"] = [p[1] for p in pts]
        planned = sc.planned_establishments(frame)
        pflows = sc.planned_flows(planned, ratios)
        if len(planned):
            fb.info(tr("Scenario {}: {} planned activities ({} jobs) → {} estimated flows.").format(
                name, len(planned), int(planned["headcount_est"].sum()), len(pflows)))
        merged = pd.concat([flows, pflows], ignore_index=True) if len(pflows) else flows
        if "headcount_est" not in merged.columns:
            merged["headcount_est"] = np.nan
        flows_path = self._save_points(merged, os.path.join(folder, "flows.gpkg"), FLOW_FIELDS,
                                       (F("headcount_est", "float", "Effectif estimé", "Estimated headcount"),))
        params = {k: parameters.get(k) for k in (catalogue.NETWORK, catalogue.MAX_DISTANCE_M,
                                                 catalogue.CLUSTER_DISTANCE_M, catalogue.MIN_MEMBERS)}
        params.update({catalogue.ZONES: source if isinstance(source, QgsVectorLayer) else parameters[catalogue.ZONES],
                       catalogue.FLOWS: flows_path, catalogue.HOUSING: None, catalogue.ESTABLISHMENTS: None})
        if establishments is not None:
            est = pd.concat([establishments, planned[["siret", "name", "naf", "headcount_est", "x", "y"]]],
                            ignore_index=True) if len(planned) else establishments
            params[catalogue.ESTABLISHMENTS] = self._save_points(est, os.path.join(folder, "establishments.gpkg"), (
                F("siret", "str", "SIRET"), F("name", "str", "Nom"), F("naf", "str", "NAF"),
                F("headcount_est", "float", "Effectif estimé")))
        housing = None
        if base_housing is not None or sc.has_housing_fields(frame):
            if base_housing is None and sc._column(frame, DWELLING_SPELLINGS) is None:
                fb.warning(tr("Scenario {}: planned dwellings are read from the zones but existing ones are unknown "
                              "(no HOUSING layer, no nb_logements field): existing housing counts 0.").format(name))
            housing = sc.housing_points(frame, assumptions, base_housing)
            params[catalogue.HOUSING] = self._save_points(housing, os.path.join(folder, "housing.gpkg"), (
                F("dwellings", "float", "Logements"), F("heated_area_m2", "float", "Surface chauffée équivalente"),
                F("status", "str", "Statut")))
        outputs = chain.run_chain({k: v for k, v in params.items() if v is not None}, context, steps, folder,
                                  public=False, keys=CHAIN_KEYS)
        zones = self._frame(outputs["zones"][catalogue.OUTPUT])
        synergies = self._frame(outputs["synergies"][catalogue.OUTPUT])
        clusters = self._frame(outputs["clusters"][catalogue.OUTPUT])
        zones = zones.merge(frame[["zone_id", *[c for c in ("typezone", "destdomi", "libelle", "insee") if c in frame.columns
                                                and c not in zones.columns]]], on="zone_id", how="left")
        pcol = sc._column(frame, PLANNED_DWELLING_SPELLINGS)
        acol = sc._column(frame, sc.PLANNED_ACTIVITY_SPELLINGS)
        zones["planned_dwellings"] = zones["zone_id"].map(dict(zip(frame["zone_id"], frame[pcol]))) if pcol else 0
        zones["planned_activities"] = zones["zone_id"].map(dict(zip(frame["zone_id"], frame[acol]))) if acol else ""
        totals = scr.zone_synergy_totals(zones, synergies)
        for col in totals.columns:
            zones[col] = totals[col].to_numpy()
        near = self._public_names(near_installations(layer, zones, merged, rules))
        conflicts = sc.compatibility_conflicts(planned, zones, near, rules)
        ind = sc.scenario_indicators(zones, synergies, clusters, conflicts)
        self._tell(fb, name, ind)
        return {"layer": layer, "zones": zones, "synergies": synergies, "clusters": clusters, "conflicts": conflicts,
                "indicators": ind}

    def _public_names(self, near):
        """Public mode: an establishment near a planned zone is described by its activity, not named."""
        if not getattr(self, "_public", False):
            return near
        from ..core.confidentiality import public_label

        return near.assign(name=[public_label(n) for n in near["naf"]])

    def _tell(self, fb, name, ind):
        if getattr(self, "_public", False):  # territorial totals are checked later, not logged
            fb.info(tr("Scenario {}: {} synergies, {} clusters.").format(
                name, int(ind["n_synergies"]), int(ind["n_clusters"])))
            return
        fb.info(tr("Scenario {}: {} synergies ({} MWh/yr recovered, {} MWh/yr for housing), {} clusters.").format(
            name, int(ind["n_synergies"]), round(ind["mwh_recovered"]), round(ind["mwh_housing"]),
            int(ind["n_clusters"])))

    @staticmethod
    def _french():
        try:
            from ..plugin_locale import is_french

            return is_french()
        except Exception:  # pragma: no cover - defensive
            return True

    @staticmethod
    def _frame(path):
        if path in (None, ""):
            return pd.DataFrame()
        layer = path if isinstance(path, QgsVectorLayer) else QgsVectorLayer(str(path), "t", "ogr")
        if not layer.isValid():
            return pd.DataFrame()
        return read_geometries(layer).drop(columns=["geometry", "fid"], errors="ignore")

    @staticmethod
    def _save_points(frame, path, schema, extra=()):
        """A work GeoPackage of points (x, y) for a step of the chain (``qgis_io.frames``)."""
        write_gpkg(frame, qgs_fields(schema, extra), QgsWkbTypes.Type.Point, path, os.path.splitext(
            os.path.basename(path))[0], geometry="xy", schema=tuple(schema) + tuple(extra))
        return path

    # -------------------------------------------------------------------------------------------
    def _write_table(self, parameters, name, context, frame, schema):
        fields = qgs_fields(schema)
        sink, dest = self.parameterAsSink(parameters, name, context, fields, QgsWkbTypes.Type.NoGeometry, working_crs())
        if sink is None:
            raise EitInputError(tr("{}: the output could not be created.").format(name))
        if len(frame):
            write_frame(sink, frame, fields, schema_types(schema), geometry=None)
        return dest

    def _write_zones(self, parameters, context, results, zone_tables):
        fields = qgs_fields(ZONE_CHANGE_FIELDS)
        sink, dest = self.parameterAsSink(parameters, "OUTPUT_ZONES", context, fields, QgsWkbTypes.Type.MultiPolygon,
                                          working_crs())
        if sink is None:  # not asked for: the count is still returned
            return None, sum(len(table) for table in zone_tables.values())
        types = schema_types(ZONE_CHANGE_FIELDS)
        names = [f.name for f in ZONE_CHANGE_FIELDS]
        count = 0
        for scen, table in zone_tables.items():
            frame = results[scen]["layer"].frame.set_index("zone_id")
            for row in table.to_dict("records"):
                z = frame.loc[row["zone_id"]]
                row = dict(row, scenario=scen, libelle=z.get("libelle"), typezone=z.get("typezone"),
                           destdomi=z.get("destdomi"), insee=z.get("insee"))
                feature = QgsFeature(fields)
                feature.setAttributes([python_value(row.get(n), types[n]) for n in names])
                geom = QgsGeometry(z["geometry"])
                geom.convertToMultiType()
                feature.setGeometry(geom)
                sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
                count += 1
        return dest, count


def _layer_name(layer, i: int) -> str:
    """The GeoPackage layer name when the source names one (``file.gpkg|layername=x``), else
    the layer's name."""
    for part in layer.source().split("|")[1:]:
        if part.lower().startswith("layername="):
            return part.split("=", 1)[1]
    return layer.name() or "scenario_{}".format(i + 1)



