"""Processing parameters shared by several algorithms, built from ``core.catalogue`` so that
their names, defaults and descriptions are written once."""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDistance,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
)

from ..core import catalogue
from ..i18n import tr


def pooling_distance() -> QgsProcessingParameterDistance:
    spec = catalogue.POOLING_DISTANCE
    return QgsProcessingParameterDistance(spec.name, tr(spec.description), defaultValue=spec.default,
                                          minValue=spec.minimum)


def min_members() -> QgsProcessingParameterNumber:
    spec = catalogue.CLUSTER_MEMBERS
    return QgsProcessingParameterNumber(spec.name, tr(spec.description), QgsProcessingParameterNumber.Type.Integer,
                                        defaultValue=spec.default, minValue=spec.minimum)


def max_synergy_distance() -> QgsProcessingParameterNumber:
    spec = catalogue.MAX_SYNERGY_DISTANCE
    return QgsProcessingParameterNumber(spec.name, tr(spec.description), QgsProcessingParameterNumber.Type.Double,
                                        defaultValue=spec.default, minValue=spec.minimum, optional=True)


def public_document() -> QgsProcessingParameterBoolean:
    spec = catalogue.PUBLIC_DOCUMENT
    return QgsProcessingParameterBoolean(spec.name, tr(spec.description), defaultValue=spec.default)


_GEOMETRIES = {
    "point": [QgsProcessing.SourceType.TypeVectorPoint],
    "line": [QgsProcessing.SourceType.TypeVectorLine],
    "polygon": [QgsProcessing.SourceType.TypeVectorPolygon],
    "point_polygon": [QgsProcessing.SourceType.TypeVectorPoint, QgsProcessing.SourceType.TypeVectorPolygon],
    "any": [QgsProcessing.SourceType.TypeVectorAnyGeometry],
    "vector": [QgsProcessing.SourceType.TypeVector],
}


def source(spec: catalogue.InputLayer, description: str | None = None, optional: bool | None = None,
           geometry: str | None = None) -> QgsProcessingParameterFeatureSource:
    """The input layer ``spec`` of the catalogue; ``description`` (already translated),
    ``optional`` and ``geometry`` replace the catalogue's where an algorithm needs its own."""
    return QgsProcessingParameterFeatureSource(
        spec.name, description if description is not None else tr(spec.description),
        _GEOMETRIES[geometry or spec.geometry], optional=spec.optional if optional is None else optional)


def optional_file(name: str, description: str, file_filter: str = "") -> QgsProcessingParameterFile:
    """An optional file input (``description`` and ``file_filter`` already translated)."""
    return QgsProcessingParameterFile(name, description, behavior=QgsProcessingParameterFile.Behavior.File,
                                      fileFilter=file_filter, optional=True)


def sink(name: str, description: str, geometry: str, optional: bool = False,
         create: bool = True) -> QgsProcessingParameterFeatureSink:
    """A vector destination (``description`` already translated; ``geometry`` as for
    :func:`source`, ``vector`` for a table); ``create``: written unless the user unticks it."""
    return QgsProcessingParameterFeatureSink(name, description, _GEOMETRIES[geometry][0], optional=optional,
                                             createByDefault=create)
