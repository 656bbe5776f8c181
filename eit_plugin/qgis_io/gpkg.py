"""One GeoPackage holding every output layer, each with its default style and provenance.

The layers open styled in QGIS (styles stored in the GeoPackage's ``layer_styles`` table as
the default style) and carry their provenance in their metadata; a ``provenance`` table
repeats it for any GIS.
"""
from __future__ import annotations

import os

from qgis.core import (
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsLayerMetadata,
    QgsProviderRegistry,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..core.errors import EitInputError
from ..i18n import tr
from .styles import apply_qml, style_path


def write_layer(layer: QgsVectorLayer, gpkg_path: str, layer_name: str) -> str:
    """Copy ``layer`` into ``gpkg_path`` as ``layer_name`` (file created if absent)."""
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = layer_name
    options.fileEncoding = "UTF-8"
    options.actionOnExistingFile = (
        QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteLayer
        if os.path.exists(gpkg_path)
        else QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteFile
    )
    error, message, _, _ = QgsVectorFileWriter.writeAsVectorFormatV3(
        layer, gpkg_path, QgsCoordinateTransformContext(), options
    )
    if error != QgsVectorFileWriter.WriterError.NoError:
        raise EitInputError(tr("Could not write layer '{}' into {}: {}").format(layer_name, gpkg_path, message))
    return "{}|layername={}".format(gpkg_path, layer_name)


def write_table(rows: list, gpkg_path: str, layer_name: str, columns=("key", "value")) -> str:
    """A geometry-less table of strings (e.g. provenance)."""
    fields = QgsFields()
    for column in columns:
        fields.append(QgsField(column, QVariant.Type.String))
    layer = QgsVectorLayer("None", layer_name, "memory")
    layer.dataProvider().addAttributes(fields.toList())
    layer.updateFields()
    features = []
    for row in rows:
        feature = QgsFeature(layer.fields())
        feature.setAttributes([str(v) for v in row])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return write_layer(layer, gpkg_path, layer_name)


def open_layer(gpkg_path: str, layer_name: str) -> QgsVectorLayer:
    layer = QgsVectorLayer("{}|layername={}".format(gpkg_path, layer_name), layer_name, "ogr")
    if not layer.isValid():
        raise EitInputError(tr("Layer '{}' could not be opened in {}.").format(layer_name, gpkg_path))
    return layer


def finish_layer(gpkg_path: str, layer_name: str, provenance_text: str, title: str, style_name: str | None = None) -> QgsVectorLayer:
    """Store the default style and the metadata (title, provenance) of a written layer."""
    layer = open_layer(gpkg_path, layer_name)
    qml = style_path(style_name or layer_name)
    if qml is not None:
        apply_qml(layer, qml)
        # useAsDefault=True: QGIS applies it whenever the layer is opened.
        layer.saveStyleToDatabase(layer_name, tr("EIT default style"), True, "")
    metadata = QgsLayerMetadata()
    metadata.setIdentifier(layer_name)
    metadata.setTitle(title)
    metadata.setAbstract(provenance_text)
    metadata.setKeywords({"EIT": ["écologie industrielle", "industrial ecology", layer_name]})
    layer.setMetadata(metadata)
    QgsProviderRegistry.instance().saveLayerMetadata("ogr", layer.source(), metadata)
    return layer


def geometry_kind(layer) -> str:
    return QgsWkbTypes.displayString(layer.wkbType())
