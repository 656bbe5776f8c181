"""HTML report → PDF with Qt's rich-text engine (no web engine needed on any platform).

Pages are painted one by one so that each gets a footer (title, page n / N); headings
carrying an anchor (``<a name="…">``) are located on their page, and the HTML is rendered a
second time with those pages in its table of contents. The PDF carries a title and creator.
"""
from __future__ import annotations

import math

from qgis.PyQt.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from qgis.PyQt.QtGui import QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

FOOTER_MM = 8.0
DOCUMENT_DPI = 96.0
MARGINS_MM = (15.0, 15.0, 15.0, 15.0 + FOOTER_MM)  # left, top, right, bottom


def _document(html: str, images: dict, size: QSizeF) -> QTextDocument:
    document = QTextDocument()
    for src, png in (images or {}).items():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(src), QImage(str(png)))
    document.setHtml(html)
    document.setPageSize(size)
    return document


def anchor_pages(document: QTextDocument) -> dict:
    """``{anchor: page}`` (1-based) of every named anchor of a paginated document."""
    height = document.pageSize().height()
    layout = document.documentLayout()
    pages = {}
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid():
                for name in fragment.charFormat().anchorNames():
                    top = layout.blockBoundingRect(block).top()
                    pages.setdefault(name, int(top // height) + 1)
            it += 1
        block = block.next()
    return pages


def html_to_pdf(html, pdf_path: str, images: dict | None = None, title: str = "", creator: str = "",
                footer: str = "") -> str:
    """Print ``html`` to an A4 PDF with page numbers. ``html``: a string, or a function
    ``pages -> str`` taking ``{anchor: page}`` (called twice: the table of contents is
    filled in on the second pass). ``images`` maps the ``src`` used in the HTML to PNG paths,
    registered as document resources (Qt's engine does not read data: URIs)."""
    render = html if callable(html) else (lambda _pages: html)
    writer = QPdfWriter(str(pdf_path))
    writer.setResolution(300)
    writer.setTitle(title)
    writer.setCreator(creator)
    left, top, right, bottom = MARGINS_MM
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(left, top, right, bottom), QPageLayout.Unit.Millimeter))
    # The document is laid out in its own pixels (96 per inch, how it turns font points into
    # pixels), so that 10 pt text prints as 10 pt on A4, and scaled to the writer's pixels.
    paint_points = writer.pageLayout().paintRect(QPageLayout.Unit.Point)
    size = QSizeF(paint_points.width() * DOCUMENT_DPI / 72.0, paint_points.height() * DOCUMENT_DPI / 72.0)
    document = _document(render({}), images, size)
    pages = anchor_pages(document)
    if callable(html):
        document = _document(render(pages), images, size)
    count = max(1, int(math.ceil(document.size().height() / size.height())))
    scale = writer.width() / size.width()
    painter = QPainter(writer)
    footer_font = QFont("DejaVu Sans")
    footer_font.setPointSizeF(7.5)
    for page in range(count):
        if page:
            writer.newPage()
        painter.save()
        painter.scale(scale, scale)
        painter.translate(0, -page * size.height())
        document.drawContents(painter, QRectF(0, page * size.height(), size.width(), size.height()))
        painter.restore()
        painter.save()
        painter.setFont(footer_font)
        painter.setPen(Qt.GlobalColor.darkGray)
        y = writer.height() + (FOOTER_MM * 0.6) * writer.resolution() / 25.4
        text = "{} — {} / {}".format(footer, page + 1, count) if footer else "{} / {}".format(page + 1, count)
        painter.drawText(QPointF(0, y), text)
        painter.restore()
    painter.end()
    return str(pdf_path)
