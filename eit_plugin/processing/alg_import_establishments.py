"""eit:importestablishments — SIRENE establishments (CSV, joined CSV or point layer) → points.

Reads parameters, builds the QGIS pieces core needs (a per-EPSG reprojection to Lambert-93
and the AREA test with prepared geometries and a spatial index), streams
``core.sirene.iter_establishments`` into the output sink, and writes the summary of what was
skipped (``SKIPPED`` table and the log).
"""
from __future__ import annotations

import os

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsVectorLayer,
    QgsWkbTypes,
)

from ..core import catalogue, sirene
from ..core.errors import EitInputError
from ..core.fields import ESTABLISHMENT_FIELDS
from ..i18n import tr
from ..plugin_locale import is_french
from ..qgis_io.establishments import AreaFilter, layer_rows, make_transformer
from ..qgis_io.layers import qgs_fields, working_crs
from .base import EitAlgorithm, QgisFeedback
from .parameters import sink

CSV_SUFFIXES = (".csv", ".txt", ".zip")


class ImportEstablishmentsAlgorithm(EitAlgorithm):
    ALG_ID = "importestablishments"
    DISPLAY_NAME = "Import SIRENE establishments"
    GROUP = "1. Flow inventory"
    GROUP_ID = "inventory"
    HELP = (
        "Builds the establishments layer (points, EPSG:2154) from INSEE SIRENE data.\n\n"
        "INPUT: the StockEtablissement CSV as INSEE publishes it (comma-separated; ';' also read; "
        "UTF-8, UTF-8 with BOM or Windows-1252; the .zip as downloaded is read directly), or one CSV "
        "already joined with coordinates (columns x, y, epsg, optionally qualite_xy), or a point file "
        "(.gpkg, .shp, .geojson). INPUT_LAYER: instead of INPUT, a point layer of the project. "
        "Columns are matched case-insensitively; siret, activitePrincipaleEtablissement (or naf) and "
        "trancheEffectifsEtablissement (or headcount_band) are required.\n"
        "GEOLOCATION (optional): the SIRENE geolocation file (siret;x;y;qualite_xy;epsg;…); each row "
        "is reprojected from its own epsg. Otherwise the file's x/y/epsg columns, then its "
        "coordonneeLambert* columns (EPSG inferred from the commune: 2154 in mainland France) are used.\n"
        "AREA (optional): polygons of the territory; only establishments inside are kept. "
        "ACTIVE_ONLY (default yes): closed establishments (etat F) are skipped.\n\n"
        "Output fields: siret, name (denominationUsuelleEtablissement, else enseigne1Etablissement, else "
        "denominationUniteLegale when joined), naf (NN.NNL), naf_label, headcount_band, headcount_est "
        "(band midpoint; NN = 0), insee_commune, geocode_quality (qualite_xy).\n"
        "SKIPPED: one row per reason (closed, [ND] hidden values, no or bad coordinates, unknown EPSG, "
        "outside AREA, invalid SIRET — Luhn key, La Poste rule —, bad NAF, duplicate SIRET, and notes on "
        "kept rows) with counts and example line numbers; the same summary is in the log. A row is "
        "counted once, under the first reason in that order. Input files are never modified.\n\n"
        "Example: qgis_process.bin run eit:importestablishments -- INPUT=StockEtablissement_utf8.zip "
        "GEOLOCATION=GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.csv "
        "AREA=communes_savoie.gpkg OUTPUT=establishments.gpkg SKIPPED=skipped.csv\n\n"
        "Complexity: one streamed pass over each file, O(n) rows, with O(log p) per point for the AREA "
        "test (p polygons). Memory grows with the rows kept only (the geolocation rows inside AREA are "
        "held for the join): for the national file, give AREA."
    )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            catalogue.INPUT, tr("SIRENE establishments file (StockEtablissement CSV/ZIP, joined CSV, or point file)"),
            optional=True,
            fileFilter=tr("SIRENE CSV (*.csv *.CSV *.txt *.zip);;Point layers (*.gpkg *.shp *.geojson);;All files (*)")))
        self.addParameter(QgsProcessingParameterFeatureSource(
            "INPUT_LAYER", tr("Or: existing point layer of establishments"),
            [QgsProcessing.SourceType.TypeVectorPoint], optional=True))
        self.addParameter(QgsProcessingParameterFile(
            catalogue.GEOLOCATION, tr("SIRENE geolocation file (siret;x;y;qualite_xy;epsg…)"), optional=True,
            fileFilter=tr("CSV (*.csv *.CSV *.txt *.zip);;All files (*)")))
        self.addParameter(QgsProcessingParameterFeatureSource(
            catalogue.AREA, tr("Study area (keep establishments inside these polygons)"),
            [QgsProcessing.SourceType.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            catalogue.ACTIVE_ONLY, tr("Active establishments only"), defaultValue=True))
        self.add_parameters(
            sink(catalogue.OUTPUT, tr("Establishments"), "point"),
            sink(catalogue.SKIPPED, tr("Rows skipped, by reason"), "vector", optional=True))
        self.add_counts(("N_ESTABLISHMENTS", tr("Establishments kept")), ("N_SKIPPED", tr("Rows skipped")))

    def execute(self, parameters, context, feedback):
        fb = QgisFeedback(feedback)
        path = self.parameterAsFile(parameters, catalogue.INPUT, context)
        layer_given = parameters.get("INPUT_LAYER") not in (None, "")
        if path and layer_given:
            raise EitInputError(tr("Give either INPUT (a file) or INPUT_LAYER (a layer), not both."))
        if not path and not layer_given:
            raise EitInputError(tr(
                "No input: give INPUT (the SIRENE StockEtablissement CSV, a joined CSV or a point file) "
                "or INPUT_LAYER (a point layer)."))
        geolocation = self.parameterAsFile(parameters, catalogue.GEOLOCATION, context) or None
        active_only = self.parameterAsBool(parameters, catalogue.ACTIVE_ONLY, context)

        keep = None
        if parameters.get(catalogue.AREA) not in (None, ""):
            area = self.parameterAsSource(parameters, catalogue.AREA, context)
            if area is None:
                raise EitInputError(tr("The study area (AREA) could not be opened: check the layer or path."))
            keep = AreaFilter(area, context, fb)
            fb.info(tr("Study area: {} polygons.").format(keep.n_polygons))
            if keep.repaired:
                fb.warning(tr("{} invalid polygons of the study area were repaired (makeValid).").format(keep.repaired))

        stock = self._stock_rows(path, parameters, context)
        labels = sirene.naf_label_map()
        if labels is None:
            fb.warning(tr("The NAF labels table is not available: naf_label is left empty and NAF codes "
                          "are checked for their format only."))

        fields = qgs_fields(ESTABLISHMENT_FIELDS)
        sink, dest_id = self.parameterAsSink(parameters, catalogue.OUTPUT, context, fields, QgsWkbTypes.Type.Point,
                                             working_crs())
        if sink is None:
            raise EitInputError(tr("The output OUTPUT could not be created: check its path."))
        types = {f.name: f.type for f in ESTABLISHMENT_FIELDS}
        names = [f.name for f in ESTABLISHMENT_FIELDS]
        report = sirene.ImportReport()
        for record in sirene.iter_establishments(
            stock, geolocation=geolocation, transformer=make_transformer(context), keep=keep,
            active_only=active_only, naf_labels=labels, report=report, feedback=fb,
        ):
            feature = QgsFeature(fields)
            feature.setAttributes([_value(record[n], types[n]) for n in names])
            feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(record["x"], record["y"])))
            if not sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert):
                raise EitInputError(tr("Could not write establishment {} to the output.").format(record["siret"]))

        skipped_id = self._write_skipped(parameters, context, report)
        french = is_french()
        for line in report.summary_lines(french):
            fb.info(line)
        for message in report.quote_problems:
            fb.warning(message)
        for key in sirene.WARN_CATEGORIES:
            if report.count(key):
                category = sirene.CATEGORY_BY_KEY[key]
                fb.warning(tr("{label}: {count} rows (line (SIRET): {examples}).").format(
                    label=category.label_fr if french else category.label_en, count=report.count(key),
                    examples=", ".join(report.examples.get(key, []))))
        if report.rows_kept == 0:
            if keep is not None:
                fb.warning(tr("No establishment was kept: see the reasons above (is AREA on the right territory?)."))
            else:
                fb.warning(tr("No establishment was kept: see the reasons above."))
        fb.info(tr("Output written in EPSG:2154 (Lambert-93)."))
        return {catalogue.OUTPUT: dest_id, catalogue.SKIPPED: skipped_id, "N_ESTABLISHMENTS": report.rows_kept,
                "N_SKIPPED": report.skipped()}

    def _stock_rows(self, path, parameters, context):
        if path:
            file_path = path.split("|")[0]  # "file.gpkg|layername=..." names one layer of a file
            if not os.path.isfile(file_path):
                raise EitInputError(tr("File not found: '{}'. Check the path.").format(file_path))
            if file_path.lower().endswith(CSV_SUFFIXES):
                return sirene.CsvRows(file_path)
            if file_path.lower().endswith((".xlsx", ".xls", ".ods")):
                raise EitInputError(tr(
                    "'{}' is a spreadsheet: save it as CSV (File > Save as > CSV UTF-8, comma or semicolon "
                    "separated) and give the .csv file. SIRENE columns are read by name.").format(
                        os.path.basename(file_path)))
            name = os.path.basename(file_path)
            layer = QgsVectorLayer(path, name, "ogr")
            if not layer.isValid():
                raise EitInputError(tr(
                    "'{}' is neither a CSV file nor a layer QGIS can open: give the StockEtablissement "
                    "CSV or a point layer.").format(name))
            if layer.geometryType() != QgsWkbTypes.GeometryType.PointGeometry:
                raise EitInputError(tr(
                    "'{}' is not a point layer ({}): give establishments as points, or the SIRENE CSV file.").format(
                        name, QgsWkbTypes.displayString(layer.wkbType())))
            return layer_rows(layer, context, name)
        source = self.parameterAsSource(parameters, "INPUT_LAYER", context)
        if source is None:
            raise EitInputError(tr("The layer INPUT_LAYER could not be opened: check the layer or path."))
        return layer_rows(source, context)

    def _write_skipped(self, parameters, context, report):
        fields = qgs_fields(sirene.SKIPPED_FIELDS)
        sink, dest_id = self.parameterAsSink(parameters, catalogue.SKIPPED, context, fields, QgsWkbTypes.Type.NoGeometry,
                                             QgsCoordinateReferenceSystem())
        if sink is None:  # not asked for: the same summary is in the log
            return None
        types = {f.name: f.type for f in sirene.SKIPPED_FIELDS}
        for row in report.rows():
            feature = QgsFeature(fields)
            feature.setAttributes([_value(row[f.name()], types[f.name()]) for f in fields])
            sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
        return dest_id


def _value(value, type_):
    if value is None:
        return None
    if type_ == "float":
        return float(value)
    if type_ == "int":
        return int(value)
    return None if value == "" else str(value)
