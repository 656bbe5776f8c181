"""eit:estimateflows — establishments (+ declared flows) → flow points.

Reads the establishments layer and the optional survey (CSV through ``core.tables``, XLSX/ODS
through OGR), calls ``core.estimation.build_flows`` and writes one point per flow at its
establishment, with the schema ``core.fields.FLOW_FIELDS``.
"""
from __future__ import annotations

import os

import pandas as pd
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessing,
    QgsProcessingParameterFeatureSource,
    QgsWkbTypes,
)

from ..core import catalogue, closed, pipeline, reference, registers, sirene
from ..core.errors import EitInputError
from ..core.fields import FLOW_FIELDS
from ..core.tables import SPREADSHEET_SUFFIXES, read_table
from ..i18n import tr
from ..qgis_io.layers import field_map, qgs_fields, read_points, schema_types, write_frame
from ..qgis_io.registers import to_lambert93
from .base import EitAlgorithm, QgisFeedback
from .parameters import optional_file, sink

ESTABLISHMENT_SPELLINGS = {
    "siret": ["siret"],
    "name": ["denominationUsuelleEtablissement", "enseigne1Etablissement", "nom", "raison_sociale"],
    "naf": ["activitePrincipaleEtablissement", "naf_code", "code_naf", "ape", "code_ape"],
    "headcount_band": ["trancheEffectifsEtablissement", "tranche_effectifs"],
    "headcount_est": ["effectif", "headcount"],
    "state": list(closed.STATE_FIELDS),
}


def read_spreadsheet(path: str) -> pd.DataFrame:
    """First sheet of an XLSX/ODS/XLS file → DataFrame of strings (header = first row).

    Read with GDAL/OGR (QGIS's own library): pandas has no spreadsheet engine here. Integers
    stored as numbers (SIRET) come back without a decimal part.
    """
    from osgeo import gdal, ogr

    gdal.UseExceptions()
    try:
        dataset = gdal.OpenEx(path, gdal.OF_VECTOR, open_options=["HEADERS=FORCE", "FIELD_TYPES=STRING"])
    except RuntimeError as err:
        raise EitInputError(tr("The spreadsheet '{}' could not be read: {}").format(os.path.basename(path), err)) from None
    if dataset is None or dataset.GetLayerCount() == 0:
        raise EitInputError(tr("The spreadsheet '{}' has no sheet QGIS can read.").format(os.path.basename(path)))
    layer = dataset.GetLayer(0)
    definition = layer.GetLayerDefn()
    columns = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
    rows = []
    for feature in layer:
        values = []
        for i in range(len(columns)):
            if not feature.IsFieldSetAndNotNull(i):
                values.append(float("nan"))
                continue
            value = feature.GetField(i)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            text = str(value).strip()
            values.append(text if text else float("nan"))
        rows.append(values)
    del ogr
    return pd.DataFrame(rows, columns=columns, dtype=object)


def read_declared(path: str) -> pd.DataFrame:
    """A survey table (CSV or spreadsheet) → DataFrame of strings."""
    if not os.path.isfile(path):
        raise EitInputError(tr("Declared flows file not found: '{}'. Check the path.").format(path))
    if path.lower().endswith(SPREADSHEET_SUFFIXES):
        return read_spreadsheet(path)
    return read_table(path)


class EstimateFlowsAlgorithm(EitAlgorithm):
    ALG_ID = "estimateflows"
    DISPLAY_NAME = "Estimate flows"
    GROUP = "1. Flow inventory"
    GROUP_ID = "inventory"
    HELP = (
        "Estimates the yearly supply (wastes, waste heat, by-products, water) and demand (heat, fuels, "
        "materials) flows of every establishment, and replaces the estimates by surveyed figures where "
        "companies declared them.\n\n"
        "INPUT: establishments (points), e.g. the output of 'Import SIRENE establishments'; fields siret "
        "and naf (or activitePrincipaleEtablissement) are required, headcount_est or headcount_band "
        "(trancheEffectifsEtablissement) give the headcount; names matched case-insensitively.\n"
        "Estimate = quantity_per_employee × estimated headcount + quantity_fixed, from the ratio table "
        "(resources/reference/ratios.csv, or RATIOS: a CSV with the same columns that replaces it). For "
        "each resource the most specific NAF level present wins (sub-class 10.51C, class 10.51, group 10.5, "
        "division 10). Most ratios are expert assumptions: every flow carries its confidence (0-1) and "
        "ratio_source. Establishments without any ratio get no flow; they are counted by NAF division in "
        "the log.\n"
        "DECLARED (optional): company survey, CSV (',' or ';', UTF-8 or Windows-1252) or XLSX, columns "
        "siret, direction (supply/demand, or ressource/besoin), resource (a taxonomy code such as "
        "waste_heat, wood_waste), quantity, unit (t, kg, MWh, kWh, GJ, m3, l…), optional temperature_c, "
        "ewc_code (02 05 01, 020501 or 02 05 01*), comment. Each valid row replaces the estimate for the "
        "same siret × direction × resource (origin = declared, confidence = 1). Rows with a bad SIRET, "
        "direction, resource, unit or a negative, zero or implausible quantity are rejected and listed "
        "with their line number; duplicates and SIRETs absent from INPUT are reported.\n\n"
        "Output: one point per flow at its establishment (EPSG:2154): flow_id (siret:S|D:resource), siret, "
        "name, naf, direction, resource, family, quantity (per year, canonical unit: t, MWh or m3), unit, "
        "temperature_c (heat), ewc_code, origin, confidence, ratio_source.\n\n"
        "REGISTERS (optional): one year of the Géorisques IREP declarations as published (the zip, or any "
        "file of the unzipped folder): etablissements.csv matched to INPUT by SIRET; waste production by "
        "List-of-Waste code, water withdrawals and CO2 emissions. They become registered flows (origin = "
        "registered) that replace the estimates of the site in the same family; '< seuil' quantities stay "
        "unknown. Declared beats registered beats estimated. A NAF code covering different plants "
        "(resources/reference/profiles.csv) takes the profile the declared or registered data point to.\n\n"
        "Example: qgis_process.bin run eit:estimateflows -- INPUT=establishments.gpkg "
        "DECLARED=enquete_flux.xlsx OUTPUT=flows.gpkg\n\n"
        "Complexity: O(n) in establishments (ratios resolved once per distinct NAF code, then one table "
        "join); a million establishments take seconds plus the time to write the layer."
    )

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_parameters(
            QgsProcessingParameterFeatureSource(catalogue.INPUT, tr("Establishments"),
                                                [QgsProcessing.SourceType.TypeVectorPoint]),
            optional_file(catalogue.DECLARED, tr("Declared flows (company surveys: CSV or XLSX)"),
                          tr("Tables (*.csv *.CSV *.txt *.xlsx *.ods *.xls);;All files (*)")),
            optional_file(catalogue.REGISTERS,
                          tr("Registers: one year of Géorisques IREP files (zip, or a file of the folder)"),
                          tr("IREP data (*.zip *.csv);;All files (*)")),
            optional_file(catalogue.RATIOS, tr("Flow ratios overriding the shipped table (CSV)"),
                          tr("CSV files (*.csv *.CSV *.txt);;All files (*)")))
        self.addParameter(sink(catalogue.OUTPUT, tr("Flows"), "point"))
        self.add_counts(
            (catalogue.N_FLOWS, tr("Flows written")), ("N_ESTABLISHMENTS_WITH_FLOWS", tr("Establishments with flows")),
            ("N_NO_RATIO", tr("Establishments without ratio")), ("N_DECLARED_USED", tr("Declared rows used")),
            ("N_DECLARED_REJECTED", tr("Declared rows rejected")), ("N_REGISTERED_USED", tr("Registered flows used")))

    def execute(self, parameters, context, feedback):
        fb = QgisFeedback(feedback)
        source = self.parameterAsSource(parameters, catalogue.INPUT, context)
        if source is None:
            raise EitInputError(tr("The establishments layer (INPUT) could not be opened: check the layer or path."))
        name = source.sourceName() or catalogue.INPUT
        mapping = field_map(source.fields(), ESTABLISHMENT_SPELLINGS, name, required=("siret", "naf"))
        if "headcount_est" not in mapping and "headcount_band" not in mapping:
            raise EitInputError(tr(
                "Layer '{}' has neither 'headcount_est' nor 'headcount_band' (trancheEffectifsEtablissement): "
                "the estimate needs a headcount. Use the output of 'Import SIRENE establishments'.").format(name))

        ratios_path = self.parameterAsFile(parameters, catalogue.RATIOS, context) or None
        ratios = reference.load_ratios(ratios_path)
        ratio_label = os.path.basename(ratios_path) if ratios_path else "ratios.csv"
        if ratios_path:
            fb.info(tr("Ratios read from '{}' ({} rows) instead of the shipped table.").format(ratio_label, len(ratios)))

        declared_path = self.parameterAsFile(parameters, catalogue.DECLARED, context) or None
        declared = read_declared(declared_path) if declared_path else None

        fb_read = fb.sub(0, 40)
        frame = read_points(source, context, mapping, fb_read, name)
        frame, n_closed = closed.drop_closed(frame)
        if n_closed:
            fb.info(tr("{} closed establishments (state F) left out, as the SIRENE import does.").format(n_closed))
        frame["siret"] = frame["siret"].map(sirene.normalise_siret)
        if frame["siret"].isna().any():
            fb.warning(tr("{} establishments without SIRET were ignored.").format(int(frame["siret"].isna().sum())))
            frame = frame[frame["siret"].notna()]
        if frame.empty:
            raise EitInputError(tr("The establishments layer '{}' has no feature with a SIRET.").format(name))
        no_geometry = int((frame["x"].isna() | frame["y"].isna()).sum())
        if no_geometry:
            fb.warning(tr("{} establishments have no geometry: their flows are written without a position.").format(
                no_geometry))

        registers_path = self.parameterAsFile(parameters, catalogue.REGISTERS, context) or None
        regs = registers.read_registers(registers_path) if registers_path else None
        flows, report = pipeline.estimate_flows(
            frame, declared=declared, ratios=ratios, feedback=fb.sub(40, 60), ratio_label=ratio_label,
            declared_label=os.path.basename(declared_path) if declared_path else "", registers=regs,
            registers_label=os.path.basename(registers_path) if registers_path else "")
        if regs is not None:
            registers.check_positions(to_lambert93(regs["sites"]), frame, report.registered)
        lines = report.lines()
        for line in lines[:2]:
            fb.info(line)
        for line in lines[2:]:
            fb.warning(line)

        fields = qgs_fields(FLOW_FIELDS)
        sink, dest_id = self.parameterAsSink(parameters, catalogue.OUTPUT, context, fields, QgsWkbTypes.Type.Point,
                                             QgsCoordinateReferenceSystem("EPSG:2154"))
        if sink is None:
            raise EitInputError(tr("The output OUTPUT could not be created: check its path."))
        written = write_frame(sink, flows, fields, schema_types(FLOW_FIELDS), geometry="xy", feedback=fb.sub(60, 100))
        fb.info(tr("{} flows written in EPSG:2154 (Lambert-93).").format(written))
        declared_report = report.declared
        return {
            catalogue.OUTPUT: dest_id,
            catalogue.N_FLOWS: written,
            "N_ESTABLISHMENTS_WITH_FLOWS": report.n_with_flows,
            "N_NO_RATIO": report.n_no_ratio,
            "N_DECLARED_USED": declared_report.n_used if declared_report else 0,
            "N_DECLARED_REJECTED": declared_report.n_rejected if declared_report else 0,
            "N_REGISTERED_USED": report.registered.n_used if report.registered is not None else 0,
        }
