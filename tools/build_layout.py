"""Write resources/templates/map_layout.qpt: the print layout of the report's maps.

Run once with QGIS's Python (``python3 -m tools.build_layout``); the .qpt is committed. A
metropole restyles it in QGIS's layout designer (fonts, colours, its logo) and gives it to
eit:fullanalysis as LAYOUT_TEMPLATE. Items are found by id: ``map``, ``title``, ``legend``,
``scalebar``, ``north``, ``logo``, ``caption`` — keep these ids when restyling.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "resources" / "templates" / "map_layout.qpt"


def build(path: Path = TEMPLATE) -> Path:
    from qgis.core import (
        QgsLayout,
        QgsLayoutItemLabel,
        QgsLayoutItemLegend,
        QgsLayoutItemMap,
        QgsLayoutItemPicture,
        QgsLayoutItemScaleBar,
        QgsLayoutPoint,
        QgsLayoutSize,
        QgsLegendStyle,
        QgsProject,
        QgsReadWriteContext,
        QgsUnitTypes,
    )
    from qgis.PyQt.QtGui import QColor, QFont
    from qgis.PyQt.QtXml import QDomDocument

    mm = QgsUnitTypes.LayoutUnit.LayoutMillimeters
    project = QgsProject()
    layout = QgsLayout(project)
    layout.initializeDefaults()
    page = layout.pageCollection().page(0)
    page.setPageSize(QgsLayoutSize(180, 245, mm))

    title = QgsLayoutItemLabel(layout)
    title.setId("title")
    title.setText("Titre")
    title.setFont(QFont("DejaVu Sans", 12, QFont.Weight.Bold))
    title.setFontColor(QColor("#3b4a1f"))
    layout.addLayoutItem(title)
    title.attemptMove(QgsLayoutPoint(5, 3, mm))
    title.attemptResize(QgsLayoutSize(150, 9, mm))

    logo = QgsLayoutItemPicture(layout)
    logo.setId("logo")
    layout.addLayoutItem(logo)
    logo.attemptMove(QgsLayoutPoint(157, 2, mm))
    logo.attemptResize(QgsLayoutSize(20, 11, mm))

    item = QgsLayoutItemMap(layout)
    item.setId("map")
    item.setFrameEnabled(True)
    layout.addLayoutItem(item)
    item.attemptMove(QgsLayoutPoint(5, 14, mm))
    item.attemptResize(QgsLayoutSize(170, 160, mm))

    north = QgsLayoutItemPicture(layout)
    north.setId("north")
    north.setPicturePath("north_arrow.svg")
    layout.addLayoutItem(north)
    north.attemptMove(QgsLayoutPoint(163, 16, mm))
    north.attemptResize(QgsLayoutSize(10, 15, mm))
    north.setLinkedMap(item)

    scalebar = QgsLayoutItemScaleBar(layout)
    scalebar.setId("scalebar")
    scalebar.setStyle("Single Box")
    scalebar.setLinkedMap(item)
    scalebar.setUnits(QgsUnitTypes.DistanceUnit.DistanceKilometers)
    scalebar.setUnitLabel("km")
    scalebar.setNumberOfSegments(2)
    scalebar.setNumberOfSegmentsLeft(0)
    scalebar.setSegmentSizeMode(1)  # fit segment width
    scalebar.setMinimumBarWidth(25)
    scalebar.setMaximumBarWidth(50)
    scalebar.setHeight(2)
    layout.addLayoutItem(scalebar)
    scalebar.attemptMove(QgsLayoutPoint(8, 164, mm))

    legend = QgsLayoutItemLegend(layout)
    legend.setId("legend")
    legend.setTitle("Légende")
    legend.setLinkedMap(item)
    legend.setColumnCount(2)
    legend.setSymbolWidth(6)
    legend.setSymbolHeight(3.5)
    legend.setWrapString("~")
    for style in (QgsLegendStyle.Style.Title, QgsLegendStyle.Style.Group, QgsLegendStyle.Style.Subgroup,
                  QgsLegendStyle.Style.SymbolLabel):
        font = legend.styleFont(style)
        font.setPointSizeF(11 if style == QgsLegendStyle.Style.Title else 8)
        legend.setStyleFont(style, font)
    layout.addLayoutItem(legend)
    legend.attemptMove(QgsLayoutPoint(5, 176, mm))
    legend.attemptResize(QgsLayoutSize(170, 59, mm))
    legend.setResizeToContents(False)

    caption = QgsLayoutItemLabel(layout)
    caption.setId("caption")
    caption.setText("Sources")
    caption.setFont(QFont("DejaVu Sans", 7))
    caption.setFontColor(QColor("#555555"))
    layout.addLayoutItem(caption)
    caption.attemptMove(QgsLayoutPoint(5, 236, mm))
    caption.attemptResize(QgsLayoutSize(170, 9, mm))

    document = QDomDocument()
    layout.saveAsTemplate(str(path), QgsReadWriteContext())
    del document
    return path


def main() -> int:
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    print(build())
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
