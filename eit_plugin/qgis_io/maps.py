"""Maps for the report, rendered by QGIS itself from the styled output layers."""
from __future__ import annotations

from qgis.core import (
    QgsMapRendererCustomPainterJob,
    QgsMapSettings,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtGui import QColor, QImage, QPainter


def render_map(layers: list, extent: QgsRectangle, png_path: str, width: int = 1400, height: int | None = None,
               crs=None, margin: float = 0.05, max_height: int = 1600) -> str:
    """Render ``layers`` (top first) over ``extent`` into a PNG; return its path.

    ``height`` defaults to the extent's aspect ratio (capped at ``max_height``), so that a
    tall territory is not drawn as a thin strip in the middle of a wide image."""
    settings = QgsMapSettings()
    settings.setLayers([layer for layer in layers if layer is not None and layer.isValid()])
    if crs is not None:
        settings.setDestinationCrs(crs)
    grown = QgsRectangle(extent)
    if grown.width() == 0 or grown.height() == 0:
        grown.grow(500)
    else:
        grown.grow(max(grown.width(), grown.height()) * margin)
    if height is None:
        ratio = grown.height() / grown.width() if grown.width() > 0 else 1.0
        height = int(min(max_height, max(400, width * ratio)))
    settings.setExtent(grown)
    settings.setOutputSize(QSize(width, height))
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setOutputDpi(150)
    image = QImage(QSize(width, height), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    job = QgsMapRendererCustomPainterJob(settings, painter)
    job.renderSynchronously()
    painter.end()
    image.save(str(png_path), "PNG")
    return str(png_path)
