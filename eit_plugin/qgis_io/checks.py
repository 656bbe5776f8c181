"""Checks of parameter values every algorithm gets (called by ``EitAlgorithm``), before any
work: numbers given with a unit or out of range (with the allowed range and why), a layer of
the wrong geometry type, an empty mandatory layer, a ``|layername=`` that is not in the file,
a layer without CRS or whose coordinates do not fit its CRS (degrees declared as metres).

Each check returns a message for the user, or ``None``.
"""
from __future__ import annotations

import math
import os

from qgis.core import (
    QgsProcessing,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingUtils,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
    QgsWkbTypes,
)

from ..core import catalogue, formatting
from ..i18n import tr
from .outputs import _static_text, file_of

# Why a bound exists, by parameter name: said with the allowed range.
REASONS = {
    catalogue.MIN_MEMBERS: "a pooling cluster needs at least 2 members; 1 would be a single establishment",
    catalogue.DISTANCE_M: "a pooling distance is a positive length in metres",
    catalogue.CLUSTER_DISTANCE_M: "a pooling distance is a positive length in metres",
    catalogue.MAX_DISTANCE_M: "a distance in metres cannot be negative (0 keeps each resource's own distance)",
    catalogue.NEIGHBOUR_DISTANCE: "a distance in metres cannot be negative",
    catalogue.DETOUR_FACTOR: "a road path is never shorter than the straight line (factor 1)",
}

_GEOMETRY_OF_TYPE = {
    QgsProcessing.SourceType.TypeVectorPoint: QgsWkbTypes.GeometryType.PointGeometry,
    QgsProcessing.SourceType.TypeVectorLine: QgsWkbTypes.GeometryType.LineGeometry,
    QgsProcessing.SourceType.TypeVectorPolygon: QgsWkbTypes.GeometryType.PolygonGeometry,
}
_TYPE_WORDS = {
    QgsWkbTypes.GeometryType.PointGeometry: "point", QgsWkbTypes.GeometryType.LineGeometry: "line", QgsWkbTypes.GeometryType.PolygonGeometry: "polygon",
    QgsWkbTypes.GeometryType.NullGeometry: "table without geometry", QgsWkbTypes.GeometryType.UnknownGeometry: "unknown geometry",
}
# Lambert-93's area of use, generously rounded: a layer without CRS inside it is taken as Lambert-93.
_L93 = QgsRectangle(-400_000.0, 6_000_000.0, 1_400_000.0, 7_300_000.0)


def _number_text(value) -> str | None:
    text = _static_text(value) if value is not None else None
    return None if text is None else text.strip()


def check_numbers(algorithm, parameters) -> str | None:
    for definition in algorithm.parameterDefinitions():
        if not isinstance(definition, QgsProcessingParameterNumber):
            continue
        name = definition.name()
        value = parameters.get(name)
        text = _number_text(value)
        if text in (None, ""):
            continue
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return tr("{name} = '{value}' is not a number: give the number alone (e.g. 500), in the unit the "
                      "parameter names ({label}).").format(name=name, value=text, label=definition.description())
        if not math.isfinite(number):
            return tr("{name} = '{value}' is not a finite number.").format(name=name, value=text)
        if definition.dataType() == QgsProcessingParameterNumber.Type.Integer and not number.is_integer():
            return tr("{name} = {value}: a whole number is expected.").format(name=name, value=text)
        low, high = definition.minimum(), definition.maximum()
        if number < low or number > high:
            allowed = tr("at least {}").format(formatting.plain(low)) if high >= 1e300 else tr("between {} and {}").format(
                formatting.plain(low), formatting.plain(high))
            why = REASONS.get(name)
            return (tr("{name} = {value} is out of range: it must be {allowed} ({why}).") if why else
                    tr("{name} = {value} is out of range: it must be {allowed}.")).format(
                name=name, value=text, allowed=allowed, why=tr(why) if why else "")
    return None


def _layer_names(path: str) -> list:
    try:
        from osgeo import gdal, ogr

        gdal.PushErrorHandler("CPLQuietErrorHandler")
        try:
            dataset = ogr.Open(path)
        finally:
            gdal.PopErrorHandler()
        if dataset is None:
            return []
        return [dataset.GetLayerByIndex(i).GetName() for i in range(dataset.GetLayerCount())]
    except ImportError:
        return []


def _open(value, context):
    if isinstance(value, QgsVectorLayer):
        return value
    text = _static_text(value)
    if not text:
        return None
    path = file_of(text)
    if path and os.path.exists(path):
        layer = QgsVectorLayer(text, os.path.basename(path), "ogr")
        return layer if layer.isValid() else None
    layer = QgsProcessingUtils.mapLayerFromString(text, context) if context is not None else None
    return layer if isinstance(layer, QgsVectorLayer) else None


def check_sources(algorithm, parameters, context) -> tuple:
    """``(message or None, warnings)`` for the vector inputs."""
    warnings = []
    for definition in algorithm.parameterDefinitions():
        if not isinstance(definition, QgsProcessingParameterFeatureSource):
            continue
        value = parameters.get(definition.name())
        if value in (None, ""):
            continue
        problem, warning = _source_problem(definition, value, context)
        if problem:
            return problem, warnings
        if warning:
            warnings.append(warning)
    return None, warnings


def _missing_file_or_layer(name, value, context):
    text = _static_text(value) or ""
    path = file_of(text)
    if isinstance(value, QgsVectorLayer) or not path:
        return None
    if not os.path.exists(path):
        if context is None or QgsProcessingUtils.mapLayerFromString(text, context) is None:
            return tr("{name}: file not found: '{path}'. Check the path.").format(name=name, path=path)
        return None
    if "|layername=" in text.lower():
        wanted = text[text.lower().index("|layername=") + len("|layername="):].split("|")[0]
        names = _layer_names(path)
        if names and wanted not in names:
            return tr("{name}: '{path}' has no layer '{layer}'. Its layers are: {names}.").format(
                name=name, path=path, layer=wanted, names=", ".join(names))
    return None


def _source_problem(definition, value, context) -> tuple:
    name = definition.name()
    problem = _missing_file_or_layer(name, value, context)
    if problem:
        return problem, None
    layer = _open(value, context)
    if layer is None:
        path = file_of(_static_text(value) or "")
        if path and os.path.exists(path):
            return tr("{name}: '{path}' is not a layer QGIS can open (a spreadsheet? save it as CSV, or "
                      "give a GeoPackage/shapefile).").format(name=name, path=path), None
        return None, None
    kinds = [_GEOMETRY_OF_TYPE[t] for t in definition.dataTypes() if t in _GEOMETRY_OF_TYPE]
    geometry = layer.geometryType()
    if kinds and geometry not in kinds:
        return tr("{name}: '{layer}' is a {found} layer; {name} needs {wanted} geometries: {what}.").format(
            name=name, layer=layer.name(), found=tr(_TYPE_WORDS.get(geometry, "?")),
            wanted=" / ".join(tr(_TYPE_WORDS[k]) for k in kinds), what=definition.description()), None
    optional = bool(definition.flags() & QgsProcessingParameterDefinition.Flag.FlagOptional)
    if not optional and layer.featureCount() == 0:
        return tr("{name}: the layer '{layer}' has no feature (empty layer or a filter that keeps nothing).").format(
            name=name, layer=layer.name()), None
    return crs_problem(name, layer)


def crs_problem(name: str, layer) -> tuple:
    """``(refusal or None, warning or None)`` for a layer whose coordinates do not fit its CRS."""
    if layer.geometryType() in (QgsWkbTypes.GeometryType.NullGeometry, QgsWkbTypes.GeometryType.UnknownGeometry) or layer.featureCount() == 0:
        return None, None
    extent = layer.extent()
    if extent.isNull() or extent.isEmpty() and extent.width() == 0 and extent.xMinimum() == 0:
        return None, None
    degrees = (-180.0 <= extent.xMinimum() and extent.xMaximum() <= 180.0
               and -90.0 <= extent.yMinimum() and extent.yMaximum() <= 90.0)
    crs = layer.crs()
    box = "{:.6g}, {:.6g} – {:.6g}, {:.6g}".format(extent.xMinimum(), extent.yMinimum(), extent.xMaximum(),
                                                    extent.yMaximum())
    if not crs.isValid():
        if degrees:
            return tr("{name}: '{layer}' has no CRS (a shapefile without its .prj?) and its coordinates look like "
                      "degrees ({box}). Set its CRS (e.g. EPSG:4326) in the layer properties or add the .prj, "
                      "and run again.").format(name=name, layer=layer.name(), box=box), None
        if _L93.contains(extent):
            return None, tr("{name}: '{layer}' has no CRS; its coordinates fit Lambert-93 and are taken as "
                            "EPSG:2154.").format(name=name, layer=layer.name())
        return tr("{name}: '{layer}' has no CRS and its coordinates ({box}) are neither degrees nor Lambert-93. "
                  "Set its CRS in the layer properties and run again.").format(
            name=name, layer=layer.name(), box=box), None
    if not crs.isGeographic() and degrees and max(abs(extent.xMaximum()), abs(extent.yMaximum())) > 0:
        # Refused: a projected CRS of France has no place within 180 m of its origin, so such a
        # layer holds longitudes/latitudes under a wrong CRS and nothing would match.
        return tr("{name}: '{layer}' declares {crs} (metres) but its coordinates are degrees ({box}). Set the "
                  "layer's CRS to the one its coordinates are in (e.g. EPSG:4326: layer properties > Source > "
                  "Assigned coordinate reference system, or the .prj) and run again.").format(
            name=name, layer=layer.name(), crs=crs.authid(), box=box), None
    if crs.isGeographic() and not degrees:
        return tr("{name}: '{layer}' declares {crs} (degrees) but its coordinates are not degrees ({box}). "
                  "Set the right CRS (e.g. EPSG:2154) and run again.").format(
            name=name, layer=layer.name(), crs=crs.authid(), box=box), None
    return None, None


def check_files(algorithm, parameters) -> str | None:
    """File parameters: a missing file, a file of the wrong kind (QGIS alone says only
    "Incorrect parameter value"), a print layout template that cannot be loaded or has no map."""
    for definition in algorithm.parameterDefinitions():
        if not isinstance(definition, QgsProcessingParameterFile):
            continue
        name = definition.name()
        text = _static_text(parameters.get(name)) if parameters.get(name) is not None else None
        if not text or not text.strip():
            continue
        path = text.strip()
        if not os.path.exists(path):
            return tr("{name}: file not found: '{path}'. Check the path.").format(name=name, path=path)
        wanted = _extensions(definition)
        if wanted and os.path.isfile(path) and not path.lower().endswith(tuple("." + e for e in wanted)):
            hint = tr(" (in the layout designer: Layout > Save as Template)") if "qpt" in wanted else ""
            return tr("{name}: '{path}' is not a {ext} file: give a {ext} file{hint}.").format(
                name=name, path=path, ext=" / ".join("." + e for e in wanted), hint=hint)
        if wanted == ["qpt"]:
            from .maps import load_layout

            try:
                load_layout(QgsProject(), path)
            except Exception as err:  # noqa: BLE001 - any failure to load is the user's file: say it
                return tr("{name}: {why}").format(name=name, why=str(err))
    return None


def _extensions(definition) -> list:
    """The extensions a file parameter accepts (its extension, or the patterns of its filter);
    empty when any file is accepted ("All files")."""
    if definition.extension():
        return [definition.extension().lower().lstrip(".")]
    text = definition.fileFilter() or ""
    if not text or "*)" in text.replace(" ", "") or "(*)" in text:
        return []
    import re

    return sorted({e.lower() for e in re.findall(r"\*\.([A-Za-z0-9]+)", text)})
