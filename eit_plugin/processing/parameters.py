"""Processing parameters shared by several algorithms, built from ``core.catalogue`` so that
their names, defaults and descriptions are written once."""
from __future__ import annotations

from qgis.core import QgsProcessingParameterBoolean, QgsProcessingParameterDistance, QgsProcessingParameterNumber

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
