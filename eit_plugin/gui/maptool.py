"""The "Explain a feature" map tool, and the geometry kinds the layer detection uses."""
from __future__ import annotations

from qgis.core import QgsWkbTypes
from qgis.gui import QgsHighlight, QgsMapToolIdentify
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtGui import QColor

_GEOMETRY = {
    QgsWkbTypes.GeometryType.PointGeometry: "point",
    QgsWkbTypes.GeometryType.LineGeometry: "line",
    QgsWkbTypes.GeometryType.PolygonGeometry: "polygon",
}


def geometry_kind(layer) -> str:
    return _GEOMETRY.get(layer.geometryType(), "none")


class ExplainMapTool(QgsMapToolIdentify):
    """Click a feature of an EIT output layer: the dock explains it."""

    explained = pyqtSignal(object, object)  # layer, feature

    def __init__(self, canvas, layers_callback):
        super().__init__(canvas)
        self.layers_callback = layers_callback

    def canvasReleaseEvent(self, event):  # noqa: N802 - QGIS API
        layers = self.layers_callback()
        if not layers:
            return
        found = self.identify(event.x(), event.y(), layers, QgsMapToolIdentify.IdentifyMode.TopDownStopAtFirst)
        if found:
            self.explained.emit(found[0].mLayer, found[0].mFeature)


def highlight(canvas, layer, feature, previous=None):
    """A wide magenta halo on ``feature`` (the one chosen in the dock's lists), replacing
    ``previous``; ``canvas`` None only removes ``previous``. Returns the new item."""
    if previous is not None:
        try:
            previous.hide()
            scene = previous.scene()
            if scene is not None:
                scene.removeItem(previous)
        except RuntimeError:  # the canvas is gone
            pass
    if canvas is None or feature is None or not feature.hasGeometry():
        return None
    item = QgsHighlight(canvas, feature.geometry(), layer)
    item.setColor(QColor(200, 0, 160, 200))
    item.setFillColor(QColor(200, 0, 160, 40))
    item.setWidth(5)
    item.show()
    return item
