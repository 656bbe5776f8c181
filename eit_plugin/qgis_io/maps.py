"""Maps for the report, made the QGIS way: a print layout loaded from a ``.qpt`` template
(``resources/templates/map_layout.qpt`` by default: title, map, legend, scale bar, north
arrow, logo, caption) filled with the styled output layers and exported to PNG.

A metropole restyles the template in QGIS's layout designer (its charter, its logo) and
passes it as a parameter; items are found by id (``map``, ``title``, ``legend``,
``scalebar``, ``north``, ``logo``, ``caption``), any of them may be deleted except ``map``.
Relative picture paths in the template are read beside the template.
"""
from __future__ import annotations

import os
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsMapLayerLegendUtils,
    QgsMapRendererCustomPainterJob,
    QgsMapSettings,
    QgsPrintLayout,
    QgsProject,
    QgsReadWriteContext,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtGui import QColor, QImage, QPainter
from qgis.PyQt.QtWidgets import QStyleOptionGraphicsItem
from qgis.PyQt.QtXml import QDomDocument

from ..core.errors import EitInputError
from ..paths import TEMPLATES_DIR

DEFAULT_LAYOUT = TEMPLATES_DIR / "map_layout.qpt"


def load_layout(project: QgsProject, template=None) -> QgsPrintLayout:
    """A print layout from a ``.qpt`` file (the shipped one when ``template`` is empty)."""
    path = Path(template) if template else DEFAULT_LAYOUT
    document = QDomDocument()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise EitInputError("Cannot read the map layout template {}: {}".format(path, err)) from None
    if not document.setContent(text):
        raise EitInputError("The map layout template {} is not a QGIS .qpt file (XML).".format(path))
    layout = QgsPrintLayout(project)
    _items, ok = layout.loadFromTemplate(document, QgsReadWriteContext())
    if not ok or not isinstance(layout.itemById("map"), QgsLayoutItemMap):
        raise EitInputError("The map layout template {} has no map item with the id 'map': give the map "
                            "item that id in the layout designer.".format(path))
    for item in layout.items():
        if isinstance(item, QgsLayoutItemPicture) and item.picturePath() and not os.path.isabs(item.picturePath()):
            beside = path.parent / item.picturePath()
            if beside.exists():
                item.setPicturePath(str(beside))
    return layout


def fit_extent(extent: QgsRectangle, width: float, height: float, margin: float = 0.05) -> QgsRectangle:
    """``extent`` grown by ``margin`` and widened to the map item's aspect ratio, centred (a
    template's empty extent would make the layout's own zoom undefined)."""
    grown = QgsRectangle(extent)
    grown.grow(max(grown.width(), grown.height(), 200.0) * margin)
    ratio = width / height if height > 0 else 1.0
    w, h = grown.width(), grown.height()
    if w / h > ratio:
        h = w / ratio
    else:
        w = h * ratio
    cx, cy = grown.center().x(), grown.center().y()
    return QgsRectangle(cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0)


def render_layout(layers: list, extent: QgsRectangle, png_path: str, title: str, caption: str = "",
                  template=None, legend_layers: list | None = None, dpi: int = 150, legend_title=None,
                  legend_labels: dict | None = None) -> str:
    """Fill the layout with ``layers`` (top first) over ``extent`` and export it to a PNG.
    ``legend_labels``: ``{style label: label shown}`` (the styles' classes are in French)."""
    layers = [layer for layer in layers if layer is not None and layer.isValid()]
    project = QgsProject()
    crs = QgsCoordinateReferenceSystem("EPSG:2154")  # outputs are written in Lambert-93
    project.setCrs(crs)
    for layer in layers:
        project.addMapLayer(layer, False)
    layout = load_layout(project, template)
    item = layout.itemById("map")
    item.setCrs(crs)
    item.setLayers(layers)
    item.setKeepLayerSet(True)
    item.setExtent(fit_extent(extent, item.rect().width(), item.rect().height()))
    for key, text in (("title", title), ("caption", caption)):
        label = layout.itemById(key)
        if isinstance(label, QgsLayoutItemLabel):
            label.setText(text)
    legend = layout.itemById("legend")
    if isinstance(legend, QgsLayoutItemLegend):
        legend.setAutoUpdateModel(False)
        if legend_title is not None:
            legend.setTitle(legend_title)
        root = legend.model().rootGroup()
        root.clear()
        for layer in legend_layers if legend_layers is not None else layers:
            if layer is not None and layer.isValid():
                _relabel(legend.model(), root.addLayer(layer), legend_labels or {})
        _fit_legend(layout, legend)
    try:
        # The page rendered and saved by Qt: exportToImage would also georeference the PNG
        # through GDAL, which cannot update a PNG and logs an error for every map.
        image = QgsLayoutExporter(layout).renderPageToImage(0, QSize(), dpi)
        saved = not image.isNull() and image.save(str(png_path), "PNG")
    finally:
        # The project only lends the layers to the layout: the caller keeps them (a layer is
        # drawn on several maps) and the project must not delete them with itself.
        for layer in layers:
            project.takeMapLayer(layer)
    if not saved:
        raise EitInputError("The map {} could not be exported to {}.".format(title, png_path))
    return str(png_path)


def _relabel(model, node, labels: dict) -> None:
    """Show the legend entries of ``node`` with the labels of ``labels`` (others unchanged)."""
    changed = False
    for index, entry in enumerate(model.layerOriginalLegendNodes(node)):
        text = entry.data(Qt.ItemDataRole.DisplayRole)
        if text in labels:
            QgsMapLayerLegendUtils.setLegendNodeUserLabel(node, index, labels[text])
            changed = True
    if changed:
        model.refreshLayerLegend(node)


def _fit_legend(layout, legend, max_columns: int = 4) -> None:
    """Size the legend to its entries, with more columns (a layer's entries may then split)
    while it runs off the page: an entry below the page edge is not printed."""
    page = layout.pageCollection().page(0)
    bottom = page.pos().y() + page.rect().height() if page is not None else None
    legend.setResizeToContents(True)  # else the box keeps the template's size, entries spill out
    # Only what the map draws (a rule of another scale, an empty category would crowd it out).
    legend.setLegendFilterByMapEnabled(True)
    # The legend measures itself only once painted (it needs the output's scale first).
    image = QImage(QSize(8, 8), QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    legend.paint(painter, QStyleOptionGraphicsItem(), None)
    painter.end()
    legend.adjustBoxSize()
    legend.refresh()
    right = page.pos().x() + page.rect().width() if page is not None else None
    while bottom is not None and legend.columnCount() < max_columns and legend.sceneBoundingRect().bottom() > bottom:
        legend.setColumnCount(legend.columnCount() + 1)
        legend.setSplitLayer(True)
        legend.adjustBoxSize()
        legend.refresh()
        if legend.sceneBoundingRect().right() > right:
            legend.setColumnCount(legend.columnCount() - 1)
            legend.adjustBoxSize()
            legend.refresh()
            break


def render_map(layers: list, extent: QgsRectangle, png_path: str, width: int = 1400, height: int | None = None,
               crs=None, margin: float = 0.05, max_height: int = 1600) -> str:
    """Render ``layers`` (top first) over ``extent`` into a bare PNG (no layout); return its path."""
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
