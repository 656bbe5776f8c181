"""eit:recommendations — zones, synergies and clusters → planning-document recommendations.

Reads the layers, calls ``core.recommendations.recommend`` (rules engine + statistical secret
from ``core.confidentiality``) and writes one table row per recommendation.
"""
from __future__ import annotations

import pandas as pd
from qgis.core import QgsProcessingParameterFile

from ..core import catalogue, pipeline
from ..core import recommendations as recs
from ..core.confidentiality import CONFIDENTIAL_MARK
from ..core.errors import EitInputError
from ..core.fields import RECOMMENDATION_FIELDS
from ..i18n import tr
from ..qgis_io.layers import qgs_fields, read_geometries, read_points, schema_types, wkb, working_crs, write_frame
from .base import EitAlgorithm, QgisFeedback
from .parameters import public_document, sink, source


def _frame(source, context, feedback):
    frame = read_geometries(source, context, feedback=feedback)
    return frame.drop(columns=["geometry"])


def _assign_zones(flows, zones_full, zid_col) -> list:
    """zone_id of each flow point: the first zone in zone_id order containing it, by the
    zone overlay's own point → zone assignment (``qgis_io.zones.ZoneLayer``): O(n k) for k
    candidate zones per point."""
    from ..qgis_io.zones import ZoneLayer

    frame = pd.DataFrame({"zone_id": [str(z) for z in zones_full[zid_col]], "geometry": list(zones_full["geometry"])})
    frame = frame.sort_values("zone_id", kind="mergesort").drop_duplicates("zone_id", keep="last")
    zone_ids, _n = ZoneLayer(frame, []).assign(flows["x"].to_numpy(dtype=float), flows["y"].to_numpy(dtype=float))
    return zone_ids


class RecommendationsAlgorithm(EitAlgorithm):
    ALG_ID = "recommendations"
    DISPLAY_NAME = "Planning-document recommendations"
    GROUP = "4. Planning documents"
    GROUP_ID = "planning"
    HELP = (
        "Turns the zone overlay, the synergies and the clusters into recommendations for planning "
        "documents: PLU regulation (destinations allowing mixity where firms can heat dwellings, shared "
        "facilities in business zones), OAP (heat-network corridor towards a housing area, location of a "
        "shared facility), reserved sites (land for a facility or a corridor), SCoT DOO (priority business "
        "parks, future housing linked to recovered heat, air quality, land use) and business-park charters "
        "(pooled collection, shared utilities and services).\n\n"
        "Each row has a priority (1 = high), a French and an English text, the evidence (figures and "
        "sources) and the ids of the zones, synergies or clusters concerned. The rules are in a CSV file a "
        "planner can edit (resources/rules/recommendations.csv; RULES to use your own copy).\n\n"
        "PUBLIC (default yes) applies the statistical secret: a figure covering fewer than 3 establishments, "
        "or where one establishment is above 85 %, is shown as n.d.* with the reason and the total at the "
        "next level (business park, commune, EPCI); secondary suppression prevents recovering it by "
        "subtraction; no SIRET or company name is written. Give FLOWS so that cluster and park totals can be "
        "checked (otherwise they are withheld). PUBLIC = no keeps every figure and marks the output "
        "'CONFIDENTIEL — usage interne'.\n\n"
        "Example: qgis_process run eit:recommendations -- ZONES=zones.gpkg SYNERGIES=synergies.gpkg "
        "CLUSTERS=clusters.gpkg FLOWS=flows.gpkg PUBLIC=true OUTPUT=recommendations.csv\n\n"
        "Complexity: O(z + s log s + c + f log z) for z zones, s synergies, c clusters, f flows."
    )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_parameters(
            source(catalogue.ZONES_INPUT, tr("PLU zones with indicators (output of eit:zoneoverlay)")),
            source(catalogue.SYNERGIES_INPUT, geometry="vector"), source(catalogue.CLUSTERS_INPUT),
            source(catalogue.FLOWS_INPUT, tr("Flows (output of eit:estimateflows), to check the statistical secret "
                                             "on totals"), optional=True))
        self.addParameter(public_document())
        self.addParameter(QgsProcessingParameterFile(
            catalogue.RULES, tr("Rules file (CSV; default: the shipped rules)"), extension="csv", optional=True))
        self.addParameter(sink(catalogue.OUTPUT, tr("Recommendations"), "vector"))
        self.add_counts((catalogue.N_RECOMMENDATIONS, tr("Number of recommendations")))

    def execute(self, parameters, context, feedback):
        public = self.parameterAsBoolean(parameters, catalogue.PUBLIC, context)
        if public:
            from ..qgis_io.public import RedactingFeedback

            feedback = RedactingFeedback(feedback)  # no SIRET in the log of a public run
        fb = QgisFeedback(feedback)
        zones_src = self.parameterAsSource(parameters, catalogue.ZONES, context)
        if zones_src is None:
            raise EitInputError(tr("ZONES is required: give the output of eit:zoneoverlay."))
        zones_full = read_geometries(zones_src, context, feedback=fb)
        if not any(c.lower() == "zone_id" for c in zones_full.columns):
            raise EitInputError(tr("Layer ZONES has no field 'zone_id': give the output of eit:zoneoverlay, "
                                   "not the raw zone_urba layer."))
        zid_col = next(c for c in zones_full.columns if c.lower() == "zone_id")
        zones = zones_full.drop(columns=["geometry"])

        def optional(name):
            src = self.parameterAsSource(parameters, name, context)
            return (src, _frame(src, context, fb)) if src is not None else (None, None)

        _, synergies = optional(catalogue.SYNERGIES)
        _, clusters = optional(catalogue.CLUSTERS)
        flows_src = self.parameterAsSource(parameters, catalogue.FLOWS, context)
        flows = None
        if flows_src is not None:
            flows = read_points(flows_src, context, feedback=fb)
            if not any(c.lower() == "zone_id" for c in flows.columns):
                fb.check_cancelled()
                flows["zone_id"] = _assign_zones(flows, zones_full, zid_col)
        elif public and clusters is not None and len(clusters):
            fb.info(tr("No FLOWS given: cluster and business-park totals cannot be checked against the 85 % "
                       "rule and are withheld in public mode."))
        rules_path = self.parameterAsFile(parameters, catalogue.RULES, context) or None
        fb.info(tr("Rules: {}").format(rules_path or str(recs.DEFAULT_RULES)))
        table = pipeline.recommendations(zones, synergies, clusters, flows=flows, public=public, rules=rules_path,
                                         feedback=fb.sub(10, 90))
        if public:
            self._audit(table, flows, feedback, fb)
        fields = qgs_fields(RECOMMENDATION_FIELDS)
        sink, dest = self.parameterAsSink(parameters, catalogue.OUTPUT, context, fields, wkb("none"), working_crs())
        if sink is None:
            raise EitInputError(tr("Cannot create the OUTPUT table."))
        write_frame(sink, table, fields, schema_types(RECOMMENDATION_FIELDS), geometry=None, feedback=fb)
        counts = table.groupby("document").size().to_dict() if len(table) else {}
        fb.info(tr("{} recommendations written ({}).").format(
            len(table), ", ".join("{}: {}".format(k, v) for k, v in sorted(counts.items())) or "-"))
        if public:
            n_supp = int(table["suppressed"].sum()) if len(table) else 0
            fb.info(tr("Public mode: statistical secret applied; {} recommendation(s) show withheld figures (n.d.*).")
                    .format(n_supp))
        else:
            fb.warning(tr("Internal mode: figures are not protected. Every row is marked '{}'.").format(CONFIDENTIAL_MARK))
        return {catalogue.OUTPUT: dest, catalogue.N_RECOMMENDATIONS: len(table)}

    @staticmethod
    def _audit(table, flows, feedback, fb):
        """A public table names no establishment of the flows (SIRET, SIREN, name); figures
        that match one firm's are counted for a reader to check."""
        from ..core import protection
        from .chain import fail_on_violations

        people = flows.drop_duplicates("siret") if flows is not None and "siret" in flows.columns else None
        result = protection.audit({"recommendations": table}, {}, flows, people,
                                  log_lines=getattr(feedback, "lines", []))
        fb.info(tr("Statistical-secret audit: {} texts checked, {} violation(s), {} figure(s) to check by hand.")
                .format(result.texts_checked, len(result.violations), len(result.flagged)))
        fail_on_violations(result)
