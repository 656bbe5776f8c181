"""The ``eit`` Processing provider: lists its algorithms explicitly."""
from __future__ import annotations

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..about import version
from ..paths import ICONS_DIR


def algorithm_classes() -> list:
    """Every algorithm the provider offers, in toolbox order."""
    # Imported here so that a missing optional module only affects the provider load.
    from .alg_compare_scenarios import CompareScenariosAlgorithm
    from .alg_detect_clusters import DetectClustersAlgorithm
    from .alg_detect_synergies import DetectSynergiesAlgorithm
    from .alg_estimate_flows import EstimateFlowsAlgorithm
    from .alg_full_analysis import FullAnalysis
    from .alg_import_establishments import ImportEstablishmentsAlgorithm
    from .alg_recommendations import RecommendationsAlgorithm
    from .alg_zone_overlay import ZoneOverlayAlgorithm

    classes = [
        ImportEstablishmentsAlgorithm,
        EstimateFlowsAlgorithm,
        ZoneOverlayAlgorithm,
        DetectSynergiesAlgorithm,
        DetectClustersAlgorithm,
        RecommendationsAlgorithm,
        FullAnalysis,
        CompareScenariosAlgorithm,
    ]
    return classes


class EitProvider(QgsProcessingProvider):
    def id(self) -> str:  # noqa: A003 - QGIS API name
        return "eit"

    def name(self) -> str:
        return "Écologie industrielle et territoriale (EIT)"

    def longName(self) -> str:  # noqa: N802
        return "{} {}".format(self.name(), version())

    def icon(self):
        return QIcon(str(ICONS_DIR / "eit.svg"))

    def versionInfo(self) -> str:  # noqa: N802
        return version()

    def loadAlgorithms(self):  # noqa: N802
        for cls in algorithm_classes():
            self.addAlgorithm(cls())
