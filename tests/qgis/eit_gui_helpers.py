"""Shared by the GUI tests: a hand-built result GeoPackage and a stand-in for
``eit:fullanalysis`` (same parameters, writes that GeoPackage, honours cancel, can fail)."""
from __future__ import annotations

import time
from pathlib import Path

from qgis.core import (
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingProvider,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

TYPES = {"str": QVariant.String, "float": QVariant.Double, "int": QVariant.LongLong, "bool": QVariant.Bool}


def memory_layer(geometry: str, name: str, fields: dict, rows: list) -> QgsVectorLayer:
    """rows: (wkt or None, {field: value})."""
    layer = QgsVectorLayer("{}?crs=EPSG:2154".format(geometry), name, "memory")
    layer.dataProvider().addAttributes([QgsField(n, TYPES[t]) for n, t in fields.items()])
    layer.updateFields()
    features = []
    for wkt, values in rows:
        feature = QgsFeature(layer.fields())
        feature.setAttributes([values.get(n) for n in fields])
        if wkt:
            feature.setGeometry(QgsGeometry.fromWkt(wkt))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def result_layers() -> dict:
    """The outputs of a tiny analysis around Chambéry (Lambert-93)."""
    zones = memory_layer("MultiPolygon", "zones", {
        "IDURBA": "str", "LIBELLE": "str", "TYPEZONE": "str", "zone_id": "str", "n_establishments": "int",
        "eit_potential": "str", "eit_potential_reason": "str"}, [
        ("MULTIPOLYGON(((925000 6500000, 926000 6500000, 926000 6501000, 925000 6501000, 925000 6500000)))",
         {"IDURBA": "73065_PLU", "LIBELLE": "UX", "TYPEZONE": "U", "zone_id": "z1", "n_establishments": 12,
          "eit_potential": "high", "eit_potential_reason": "Chaleur fatale disponible et besoins voisins."}),
        ("MULTIPOLYGON(((926000 6500000, 927000 6500000, 927000 6501000, 926000 6501000, 926000 6500000)))",
         {"IDURBA": "73065_PLU", "LIBELLE": "1AUe", "TYPEZONE": "AUc", "zone_id": "z2", "n_establishments": 0,
          "eit_potential": "none", "eit_potential_reason": ""}),
    ])
    synergies = memory_layer("LineString", "synergies", {
        "synergy_id": "str", "kind": "str", "family": "str", "resource_supply": "str", "resource_demand": "str",
        "quantity": "float", "unit": "str", "distance_m": "float", "score": "float", "co2_avoided_t": "float",
        "reason": "str"}, [
        ("LINESTRING(925200 6500200, 925800 6500700)",
         {"synergy_id": "S0001", "kind": "heat_recovery", "family": "heat", "resource_supply": "waste_heat",
          "resource_demand": "process_heat", "quantity": 1200.0, "unit": "MWh", "distance_m": 781.0, "score": 0.91,
          "co2_avoided_t": 270.0, "reason": "Chaleur fatale à 85 °C à 780 m d'un besoin de process à 60 °C."}),
        ("LINESTRING(925300 6500300, 926500 6500500)",
         {"synergy_id": "S0002", "kind": "substitution", "family": "waste", "resource_supply": "wood_waste",
          "resource_demand": "solid_biomass_fuel", "quantity": 300.0, "unit": "t", "distance_m": 1217.0,
          "score": 0.55, "co2_avoided_t": 40.0, "reason": "Déchets de bois valorisables en chaufferie voisine."}),
    ])
    clusters = memory_layer("MultiPolygon", "clusters", {
        "cluster_id": "str", "kind": "str", "resources": "str", "n_members": "int", "members": "str",
        "total_quantity": "float", "unit": "str"}, [
        ("MULTIPOLYGON(((925100 6500100, 925600 6500100, 925600 6500600, 925100 6500100)))",
         {"cluster_id": "C001", "kind": "pooling", "resources": "paper_cardboard", "n_members": 4,
          "members": "a;b;c;d", "total_quantity": 80.0, "unit": "t"}),
    ])
    recommendations = memory_layer("None", "recommendations", {
        "rec_id": "str", "document": "str", "scope_id": "str", "theme": "str", "priority": "int",
        "text_fr": "str", "text_en": "str", "evidence": "str", "suppressed": "bool", "related_ids": "str"}, [
        (None, {"rec_id": "R001", "document": "PLU_OAP", "scope_id": "z1", "theme": "heat", "priority": 1,
                "text_fr": "Prévoir un réseau de chaleur dans l'OAP de la zone UX.",
                "text_en": "Plan a heat network in the OAP of zone UX.",
                "evidence": "1 200 MWh/an de chaleur fatale", "suppressed": False, "related_ids": "z1,S0001"}),
    ])
    return {"zones": zones, "synergies": synergies, "clusters": clusters, "recommendations": recommendations}


def write_result_gpkg(path: Path, layers: dict | None = None) -> Path:
    layers = layers or result_layers()
    for n, (name, layer) in enumerate(layers.items()):
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        options.layerName = name
        options.actionOnExistingFile = (QgsVectorFileWriter.CreateOrOverwriteFile if n == 0
                                        else QgsVectorFileWriter.CreateOrOverwriteLayer)
        error, message, _, _ = QgsVectorFileWriter.writeAsVectorFormatV3(
            layer, str(path), QgsCoordinateTransformContext(), options)
        assert error == QgsVectorFileWriter.NoError, message
    return path


class FakeFullAnalysis(QgsProcessingAlgorithm):
    """``eit:fullanalysis``'s parameters; writes the hand-built GeoPackage and a report.
    ``DELAY_S`` > 0 (or the class attribute ``delay_s``) makes it wait, checking cancel;
    ZONES named 'broken' makes it fail."""

    delay_s = 0.0
    last_parameters: dict = {}  # what the last run received, for the tests

    def name(self):
        return "fakefull"

    def displayName(self):  # noqa: N802
        return "Fake full analysis"

    def createInstance(self):  # noqa: N802
        return FakeFullAnalysis()

    def initAlgorithm(self, config=None):  # noqa: N802
        for name in ("SIRENE_FILE", "GEOLOCATION", "DECLARED", "RATIOS"):
            self.addParameter(QgsProcessingParameterFile(name, name, optional=True))
        for name in ("ESTABLISHMENTS", "AREA", "HOUSING", "NETWORK"):
            self.addParameter(QgsProcessingParameterFeatureSource(name, name, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource("ZONES", "ZONES"))
        self.addParameter(QgsProcessingParameterFeatureSource("HEAT_NETWORK", "HEAT_NETWORK", optional=True))
        self.addParameter(QgsProcessingParameterNumber("MAX_DISTANCE_M", "m", QgsProcessingParameterNumber.Double,
                                                       optional=True))
        self.addParameter(QgsProcessingParameterNumber("CLUSTER_DISTANCE_M", "d", QgsProcessingParameterNumber.Double,
                                                       defaultValue=500))
        self.addParameter(QgsProcessingParameterNumber("MIN_MEMBERS", "n", defaultValue=3))
        self.addParameter(QgsProcessingParameterBoolean("PUBLIC", "p", defaultValue=True))
        self.addParameter(QgsProcessingParameterEnum("LANGUAGE", "l", options=["fr", "en"], defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber("DELAY_S", "delay", QgsProcessingParameterNumber.Double,
                                                       defaultValue=0, optional=True))
        self.addParameter(QgsProcessingParameterFileDestination("OUTPUT_GPKG", "gpkg", "GeoPackage (*.gpkg)"))
        self.addParameter(QgsProcessingParameterFileDestination("REPORT", "report", "HTML (*.html)"))
        self.addOutput(QgsProcessingOutputNumber("N_SYNERGIES", "n"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        FakeFullAnalysis.last_parameters = dict(parameters)
        zones = self.parameterAsSource(parameters, "ZONES", context)
        if zones is None or zones.sourceName() == "broken":
            raise QgsProcessingException("Layer 'broken' has no field 'TYPEZONE': pick the CNIG zone_urba layer.")
        delay = self.parameterAsDouble(parameters, "DELAY_S", context) or FakeFullAnalysis.delay_s
        start = time.time()
        while time.time() - start < delay:
            if feedback.isCanceled():
                return {}
            feedback.setProgress(100.0 * (time.time() - start) / delay)
            time.sleep(0.02)
        gpkg = self.parameterAsFileOutput(parameters, "OUTPUT_GPKG", context)
        report = self.parameterAsFileOutput(parameters, "REPORT", context)
        write_result_gpkg(Path(gpkg))
        Path(report).write_text("<html><body>EIT</body></html>", encoding="utf-8")
        feedback.pushInfo("done")
        return {"OUTPUT_GPKG": gpkg, "REPORT": report, "N_SYNERGIES": 2}


class FakeProvider(QgsProcessingProvider):
    def id(self):  # noqa: A003
        return "eittest"

    def name(self):
        return "EIT tests"

    def loadAlgorithms(self):  # noqa: N802
        self.addAlgorithm(FakeFullAnalysis())
