"""eit:fullanalysis — the whole method in one run: one GeoPackage + the report."""
from __future__ import annotations

import os
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsProcessingMultiStepFeedback,
    QgsProcessingOutputFile,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
    QgsProcessingUtils,
)

from .. import about
from ..core import catalogue
from ..core import provenance as prov
from ..core.errors import EitCancelled, EitInputError
from ..i18n import tr
from ..qgis_io import report_writer
from ..qgis_io.public import RedactingFeedback
from .base import EitAlgorithm
from .parameters import max_synergy_distance, min_members, optional_file, pooling_distance, public_document, source

LANGUAGES = ("fr", "en")


class FullAnalysis(EitAlgorithm):
    ALG_ID = "fullanalysis"
    DISPLAY_NAME = "Full analysis (import → report)"
    GROUP = "0. Full analysis"
    GROUP_ID = "full"
    HELP = (
        "Runs the whole EIT method in one go and writes one GeoPackage plus the report "
        "(HTML, and PDF beside it): SIRENE import (or an existing establishments layer) → "
        "flow estimation (declared flows win) → overlay on PLU zones → synergies → pooling "
        "clusters → planning-document recommendations → report with maps.\n\n"
        "Every layer is stored with its default style and its provenance (plugin and QGIS "
        "versions, parameters, SHA-256 of the input files, date); the same inputs give the "
        "same ids and figures.\n\n"
        "PUBLIC (default): the statistical secret is applied to every output (each figure "
        "covers at least 3 establishments, none above 85 %); establishments and flows are "
        "left out of the GeoPackage. Internal mode keeps everything and marks it confidential.\n\n"
        "Example: qgis_process.bin run eit:fullanalysis -- SIRENE_FILE=StockEtablissement.csv "
        "GEOLOCATION=geoloc.csv ZONES=zone_urba.gpkg OUTPUT_GPKG=out/eit.gpkg REPORT=out/rapport.html\n\n"
        "PostgreSQL/PostGIS: every input may be a layer of a PostGIS connection. OUTPUT_DB (a saved "
        "connection, ideally with an authentication configuration) and OUTPUT_SCHEMA write the whole result "
        "into that schema as well (same tables as the GeoPackage, styles in layer_styles, provenance, "
        "summary, French comments), switched in only when complete; an existing result is replaced only with "
        "REPLACE. Public and internal results never share a schema.\n\n"
        "LAYOUT_TEMPLATE: a print layout (.qpt) for the report's maps, e.g. the plugin's "
        "resources/templates/map_layout.qpt restyled with your charter and logo in the layout designer "
        "(keep the item ids map, title, legend, scalebar, north, logo, caption).\n\n"
        "Complexity: the sum of the steps', O(n log n) in establishments."
    )

    def initAlgorithm(self, config=None):  # noqa: N802
        csv_files = tr("CSV files (*.csv *.txt)")
        self.add_parameters(
            optional_file(catalogue.SIRENE_FILE, tr("SIRENE establishments file (StockEtablissement CSV)"), csv_files),
            optional_file(catalogue.GEOLOCATION, tr("SIRENE geolocation file (siret;x;y;epsg…)"), csv_files),
            source(catalogue.ESTABLISHMENTS_INPUT, tr("Or: existing establishments layer")),
            source(catalogue.AREA_INPUT),
            optional_file(catalogue.DECLARED, tr("Declared flows (company surveys: CSV or XLSX)")),
            optional_file(catalogue.REGISTERS,
                          tr("Registers: one year of Géorisques IREP files (zip, or a file of the folder)")),
            optional_file(catalogue.RATIOS, tr("Flow ratios overriding the shipped table (CSV)"), tr("CSV files (*.csv)")),
            source(catalogue.ZONES_INPUT), source(catalogue.HOUSING_INPUT),
            optional_file(catalogue.CENSUS, tr("Census dwellings per commune (optional CSV: insee, dwellings)"),
                          tr("CSV files (*.csv)")),
            source(catalogue.NETWORK_INPUT, tr("Road network (lines) for trucked wastes and materials")),
            source(catalogue.HEAT_NETWORK_INPUT,
                   tr("Existing heat network (lines): connecting to it counts only the distance to it")),
            max_synergy_distance(), pooling_distance(), min_members())
        self.addParameter(public_document())
        self.addParameter(QgsProcessingParameterEnum(
            catalogue.LANGUAGE, tr("Report language"), options=["Français", "English"], defaultValue=0))
        self.addParameter(QgsProcessingParameterString(
            catalogue.TERRITORY, tr("Territory name (report title)"), defaultValue="", optional=True))
        self.addParameter(QgsProcessingParameterString(
            catalogue.NOTE, tr("Note printed at the top of the report (e.g. data vintage)"), defaultValue="", optional=True))
        self.addParameter(QgsProcessingParameterFile(
            catalogue.LAYOUT_TEMPLATE, tr("Print layout of the report's maps (.qpt; default: the plugin's)"),
            behavior=QgsProcessingParameterFile.Behavior.File, fileFilter=tr("QGIS layout templates (*.qpt)"),
            optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            catalogue.OUTPUT_GPKG, tr("Result GeoPackage"), tr("GeoPackage (*.gpkg)")))
        self.addParameter(QgsProcessingParameterFileDestination(
            catalogue.REPORT, tr("Report (HTML; the PDF is written beside it)"), tr("HTML files (*.html)")))
        self._add_database_parameters()
        self.addOutput(QgsProcessingOutputFile("REPORT_PDF", tr("Report (PDF)")))
        self.add_counts((catalogue.N_SYNERGIES, tr("Synergies")), (catalogue.N_CLUSTERS, tr("Pooling clusters")),
                        (catalogue.N_RECOMMENDATIONS, tr("Recommendations")))

    def _add_database_parameters(self):
        from qgis.core import QgsProcessingParameterDatabaseSchema, QgsProcessingParameterProviderConnection

        self.addParameter(QgsProcessingParameterProviderConnection(
            "OUTPUT_DB", tr("Also write the result into this PostgreSQL connection"), "postgres", optional=True))
        self.addParameter(QgsProcessingParameterDatabaseSchema(
            "OUTPUT_SCHEMA", tr("Schema of the result (a schema of its own)"), "OUTPUT_DB", optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            "REPLACE", tr("Replace the EIT result already in that schema"), defaultValue=False))
        self.addOutput(QgsProcessingOutputString("OUTPUT_PG", tr("PostgreSQL schema written")))

    def execute(self, parameters, context, feedback):
        from ..qgis_io import postgis
        from . import chain

        sirene = self.parameterAsFile(parameters, catalogue.SIRENE_FILE, context)
        establishments = parameters.get(catalogue.ESTABLISHMENTS)
        if not sirene and not establishments:
            raise EitInputError(tr(
                "Give either a SIRENE file (SIRENE_FILE, with GEOLOCATION when the coordinates are in "
                "the separate geolocation file) or an existing establishments layer (ESTABLISHMENTS)."))
        gpkg = self.parameterAsFileOutput(parameters, catalogue.OUTPUT_GPKG, context)
        report = self.parameterAsFileOutput(parameters, catalogue.REPORT, context)
        if not gpkg.lower().endswith(".gpkg"):
            gpkg += ".gpkg"
        public = self.parameterAsBool(parameters, catalogue.PUBLIC, context)
        language = LANGUAGES[self.parameterAsEnum(parameters, catalogue.LANGUAGE, context)]
        database = self.parameterAsConnectionName(parameters, "OUTPUT_DB", context)
        schema = self.parameterAsSchema(parameters, "OUTPUT_SCHEMA", context) if database else ""
        replace = self.parameterAsBool(parameters, "REPLACE", context)
        if database:
            # Checked before any work: a run never ends on an unusable database.
            if not schema:
                raise EitInputError(tr("OUTPUT_DB is given without OUTPUT_SCHEMA: name the schema of the result."))
            postgis.check_target(database, schema, replace, public)
        # Passwords in data source URIs never reach the provenance or the report.
        shown = prov.redact({k: v for k, v in parameters.items() if k not in (catalogue.OUTPUT_GPKG, catalogue.REPORT)})

        record = prov.build(
            about.version(), Qgis.QGIS_VERSION,
            shown,
            prov.input_hashes({k: self._source_path(parameters.get(k), context) for k in
                               (catalogue.SIRENE_FILE, catalogue.GEOLOCATION, catalogue.ESTABLISHMENTS, catalogue.AREA,
                                catalogue.DECLARED, catalogue.REGISTERS, catalogue.RATIOS, catalogue.ZONES,
                                catalogue.HOUSING, catalogue.CENSUS, catalogue.NETWORK, catalogue.HEAT_NETWORK)}),
        )
        report_parameters = dict(sorted(shown.items()))
        state = {}
        if public:
            # a public document names input files, never local folders; the log loses SIRETs
            record = prov.public(record)
            report_parameters = {k: prov.public_value(v) for k, v in report_parameters.items()}
            feedback = RedactingFeedback(feedback)
            state["avoid"] = self._geolocated(parameters, context)
        steps = QgsProcessingMultiStepFeedback(len(chain.STEPS) + 2, feedback)
        # Inputs read once, the method's steps run on frames in memory, each layer written once.
        tables = chain.analyse(parameters, context, steps, public)
        if feedback.isCanceled():
            raise EitCancelled("cancelled")
        steps.setCurrentStep(len(chain.STEPS))
        os.makedirs(os.path.dirname(os.path.abspath(gpkg)), exist_ok=True)
        part = os.path.join(os.path.dirname(os.path.abspath(gpkg)), ".{}.part.gpkg".format(Path(gpkg).stem))
        if os.path.exists(part):
            os.remove(part)
        # Written under a temporary name, renamed when complete: a failed or cancelled run
        # never leaves a GeoPackage that looks finished.
        facts = chain.tables_summary(tables, public)
        written = chain.write_tables(tables, part, record, public, feedback, facts, state)
        del tables
        os.replace(part, gpkg)
        steps.setCurrentStep(len(chain.STEPS) + 1)
        pdf = report_writer.write_report(gpkg, written, report, record, public, language, report_parameters,
                                         steps, facts,
                                         self.parameterAsFile(parameters, catalogue.LAYOUT_TEMPLATE, context) or None)
        if public:
            chain.audit_report(state, report_writer.report_texts(report, pdf), feedback)
        # Last: the database result is switched in only once everything else succeeded.
        if database:
            text = prov.as_text(record) if public else "CONFIDENTIEL — usage interne de l'équipe EIT.\n" + prov.as_text(record)
            pg = postgis.write_result(gpkg, written + ["provenance", "summary"], database, schema, replace, public,
                                      text, {k: v[0] for k, v in chain.TITLES.items()}, feedback)
            feedback.pushInfo(tr("Result written into the schema {} of {}").format(pg["schema"], pg["place"]))
        counts = chain.counts(gpkg, written)
        feedback.pushInfo(tr("Outputs (EPSG:2154): {} and {}").format(gpkg, report))
        return {
            catalogue.OUTPUT_GPKG: gpkg,
            catalogue.REPORT: report,
            "REPORT_PDF": pdf,
            "OUTPUT_PG": schema if database else "",
            catalogue.N_SYNERGIES: counts.get("synergies", 0),
            catalogue.N_CLUSTERS: counts.get("clusters", 0),
            catalogue.N_RECOMMENDATIONS: counts.get("recommendations", 0),
        }

    def _geolocated(self, parameters, context):
        """Every position of the geolocation file (``x, y`` float columns), including
        establishments the import leaves out: public geometry keeps away from all of them. O(n)."""
        import numpy as np
        import pandas as pd

        from ..core import sirene

        path = self.parameterAsFile(parameters, catalogue.GEOLOCATION, context)
        if not path:
            return None
        positions = sirene.load_geolocation(path)
        # Two float arrays, not a million tuples; rejected rows (text markers) have no position.
        xy = np.fromiter((c for v in positions.values() if not isinstance(v, str) for c in v[:2]), dtype=float)
        del positions
        return pd.DataFrame({"x": xy[0::2], "y": xy[1::2]})

    @staticmethod
    def _source_path(value, context):
        """The file behind a parameter value (path, layer id or layer), for hashing."""
        if value in (None, ""):
            return None
        if isinstance(value, str) and os.path.isfile(value.split("|")[0]):
            return value
        layer = QgsProcessingUtils.mapLayerFromString(str(value), context) if isinstance(value, str) else None
        if layer is None and hasattr(value, "source"):
            layer = value
        if layer is not None:
            path = layer.source().split("|")[0]
            return path if os.path.isfile(path) else None
        return None
