"""Build resources/models/eit_methode_complete.model3: the method's chain as a Processing model.

The model chains the same algorithms as ``eit:fullanalysis`` (import → estimation →
overlay → synergies → clusters → recommendations), so that a GIS officer can open it in the
Graphical Modeler, see the method, change a step or a parameter, and run it. It gives the
same layers and figures as the full analysis (tests/qgis/test_model.py checks it); the
report and the single GeoPackage are what ``eit:fullanalysis`` adds on top.

Run with the plugin's provider registered (QGIS Python):
    python -m tools.build_model
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "resources" / "models" / "eit_methode_complete.model3"


def build():
    from qgis.core import (
        QgsApplication,
        QgsProcessing,
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterBoolean,
        QgsProcessingParameterFeatureSource,
        QgsProcessingParameterFile,
        QgsProcessingParameterNumber,
    )
    from qgis.PyQt.QtCore import QPointF

    from eit_plugin.core import catalogue

    model = QgsProcessingModelAlgorithm(
        "EIT — méthode complète (import → recommandations)", "Écologie industrielle et territoriale (EIT)", "eit_methode_complete")
    model.setHelpContent({
        "ALG_DESC": "La méthode EIT pas à pas : import SIRENE, estimation des flux (les flux déclarés priment), "
                    "superposition aux zones du PLU, synergies, groupements de mutualisation, recommandations. "
                    "Mêmes algorithmes et mêmes résultats que eit:fullanalysis (qui écrit en plus le GeoPackage unique et le rapport).",
    })

    def parameter(definition, x, y):
        holder = QgsProcessingModelParameter(definition.name())
        holder.setPosition(QPointF(x, y))
        model.addModelParameter(definition, holder)

    file_behavior = QgsProcessingParameterFile.Behavior.File
    parameter(QgsProcessingParameterFile("SIRENE_FILE", "Fichier SIRENE (StockEtablissement)", file_behavior), 120, 60)
    parameter(QgsProcessingParameterFile("GEOLOCATION", "Fichier de géolocalisation SIRENE", file_behavior, optional=True), 120, 130)
    parameter(QgsProcessingParameterFile("DECLARED", "Flux déclarés (enquêtes)", file_behavior, optional=True), 120, 200)
    parameter(QgsProcessingParameterFeatureSource("ZONES", "Zones du PLU (CNIG zone_urba)",
                                                  [QgsProcessing.SourceType.TypeVectorPolygon]), 120, 270)
    parameter(QgsProcessingParameterFeatureSource("HOUSING", "Logements", [QgsProcessing.SourceType.TypeVectorAnyGeometry],
                                                  optional=True), 120, 340)
    parameter(QgsProcessingParameterFeatureSource("NETWORK", "Réseau routier (déchets et matières)",
                                                  [QgsProcessing.SourceType.TypeVectorLine], optional=True), 120, 410)
    parameter(QgsProcessingParameterFeatureSource("HEAT_NETWORK", "Réseau de chaleur existant",
                                                  [QgsProcessing.SourceType.TypeVectorLine], optional=True), 120, 445)
    parameter(QgsProcessingParameterNumber("CLUSTER_DISTANCE_M", "Distance de mutualisation (m)",
                                           QgsProcessingParameterNumber.Type.Double, catalogue.POOLING_DISTANCE_M,
                                           minValue=1), 120, 480)
    parameter(QgsProcessingParameterNumber("MIN_MEMBERS", "Nombre minimal de membres",
                                           QgsProcessingParameterNumber.Type.Integer, catalogue.MIN_CLUSTER_MEMBERS,
                                           minValue=2), 120, 550)
    parameter(QgsProcessingParameterBoolean("PUBLIC", "Document public : secret statistique", True), 120, 620)

    def model_param(name):
        return [QgsProcessingModelChildParameterSource.fromModelParameter(name)]

    def child_output(child_id, output):
        return [QgsProcessingModelChildParameterSource.fromChildOutput(child_id, output)]

    def value(v):
        return [QgsProcessingModelChildParameterSource.fromStaticValue(v)]

    def child(child_id, alg_id, description, x, y, sources, outputs=()):
        step = QgsProcessingModelChildAlgorithm(alg_id)
        step.setChildId(child_id)
        step.setDescription(description)
        step.setPosition(QPointF(x, y))
        for name, source in sources.items():
            step.addParameterSources(name, source)
        model_outputs = {}
        for output_name, label in outputs:
            out = QgsProcessingModelOutput(label, label)
            out.setChildId(child_id)
            out.setChildOutputName(output_name)
            out.setPosition(QPointF(x + 200, y + 40))
            model_outputs[label] = out
        step.setModelOutputs(model_outputs)
        # Every other mandatory parameter takes the algorithm's own default, written out so
        # that the model shows it and a user can change it in the modeler.
        algorithm = QgsApplication.processingRegistry().algorithmById(alg_id)
        for definition in algorithm.parameterDefinitions():
            if definition.name() in sources or definition.isDestination():
                continue
            if not (definition.flags() & definition.Flag.FlagOptional) and definition.defaultValue() is not None:
                step.addParameterSources(definition.name(), value(definition.defaultValue()))
        model.addChildAlgorithm(step)

    child("import", "eit:importestablishments", "1. Import des établissements SIRENE", 450, 80,
          {"INPUT": model_param("SIRENE_FILE"), "GEOLOCATION": model_param("GEOLOCATION"), "ACTIVE_ONLY": value(True)},
          [("OUTPUT", "etablissements")])
    child("estimate", "eit:estimateflows", "2. Estimation des flux", 450, 180,
          {"INPUT": child_output("import", "OUTPUT"), "DECLARED": model_param("DECLARED")},
          [("OUTPUT", "flux")])
    child("overlay", "eit:zoneoverlay", "3. Superposition aux zones du PLU", 450, 280,
          {"ZONES": model_param("ZONES"), "FLOWS": child_output("estimate", "OUTPUT"),
           "ESTABLISHMENTS": child_output("import", "OUTPUT"), "HOUSING": model_param("HOUSING")},
          [("OUTPUT", "zones"), ("OUTPUT_COMMUNES", "communes")])
    child("synergies", "eit:detectsynergies", "4. Synergies", 450, 380,
          {"FLOWS": child_output("estimate", "OUTPUT"), "ZONES": child_output("overlay", "OUTPUT"),
           "NETWORK": model_param("NETWORK"), "HEAT_NETWORK": model_param("HEAT_NETWORK")},
          [("OUTPUT", "synergies"), ("ALTERNATIVES", "synergies_alternatives")])
    child("clusters", "eit:detectclusters", "5. Groupements de mutualisation", 450, 480,
          {"FLOWS": child_output("estimate", "OUTPUT"), "SYNERGIES": child_output("synergies", "OUTPUT"),
           "ZONES": child_output("overlay", "OUTPUT"), "NETWORK": model_param("NETWORK"),
           "DISTANCE_M": model_param("CLUSTER_DISTANCE_M"), "MIN_MEMBERS": model_param("MIN_MEMBERS")},
          [("OUTPUT", "groupements")])
    child("recommendations", "eit:recommendations", "6. Recommandations", 450, 580,
          {"ZONES": child_output("overlay", "OUTPUT"), "SYNERGIES": child_output("synergies", "OUTPUT"),
           "CLUSTERS": child_output("clusters", "OUTPUT"), "FLOWS": child_output("estimate", "OUTPUT"),
           "PUBLIC": model_param("PUBLIC")},
          [("OUTPUT", "recommandations")])
    return model


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()
    import eit_plugin

    class _NoIface:
        def __getattr__(self, name):
            return lambda *args, **kwargs: None

    plugin = eit_plugin.classFactory(_NoIface())
    plugin.initProcessing()
    model = build()
    errors = []
    for child_id in model.childAlgorithms():
        ok, messages = model.validateChildAlgorithm(child_id)
        if not ok:
            errors.extend(messages)
    if errors:
        print("model invalid:\n" + "\n".join(errors))
        return 1
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    if not model.toFile(str(OUTPUT)):
        print("could not write {}".format(OUTPUT))
        return 1
    print("model written: {}".format(OUTPUT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
