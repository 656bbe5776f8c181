"""HTML report → PDF with Qt's rich-text engine (no web engine needed on any platform).

Pages are painted one by one so that each gets a footer (title, page n / N); headings
carrying an anchor (``<a name="…">``) are located on their page. The HTML is rendered once,
with placeholders for the pages in its table of contents, and laid out once; the front
matter (up to ``FRONT_END``) is then laid out again on its own with the pages written in and
printed in place of the first pages (without a front end, the pages are written into the
document in place). The PDF carries a title and creator.

Cost: O(document) to parse and lay out, O(blocks) to find the anchors, O(pages) to print.
"""
from __future__ import annotations

import math

from qgis.PyQt.QtCore import QMarginsF, QPointF, QRectF, QRegularExpression, QSizeF, Qt, QUrl
from qgis.PyQt.QtGui import QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextCursor, QTextDocument

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


def _block_page(layout, block, height: float) -> int:
    """1-based page of a block's first line: a block that starts at the foot of a page has its
    top there but its first line moved to the next page by the pagination."""
    top = layout.blockBoundingRect(block).top()
    lines = block.layout()
    if lines is not None and lines.lineCount():
        top = max(top, lines.position().y() + lines.lineAt(0).y())
    return int(top // height) + 1


def anchor_pages(document: QTextDocument) -> dict:
    """``{anchor: page}`` (1-based) of every named anchor of a paginated document, the first
    occurrence of a name winning. One walk over the blocks in order: O(blocks + fragments);
    the document is laid out by the first position asked for, once."""
    height = document.pageSize().height()
    layout = document.documentLayout()
    pages = {}
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid():
                names = [name for name in fragment.charFormat().anchorNames() if name not in pages]
                if names:
                    pages.update((name, _block_page(layout, block, height)) for name in names)
            it += 1
        block = block.next()
    return pages


class _Placeholders(dict):
    """The ``pages`` handed to the HTML function on its one rendering: every page asked for
    (``pages.get(anchor, default)``) is a placeholder, replaced by the page once laid out."""

    def get(self, key, default=None):
        if key not in self:
            self[key] = "\ue000{}\ue001".format(len(self))
        return dict.__getitem__(self, key)


PLACEHOLDER = QRegularExpression("\ue000(\\d+)\ue001")


def _spots(document: QTextDocument, placeholders: dict) -> list:
    """``[[start, length, anchor]]`` of every placeholder in the document, in order: one scan, O(text)."""
    anchors = {placeholder: anchor for anchor, placeholder in placeholders.items()}
    spots, found = [], document.find(PLACEHOLDER, 0)
    while not found.isNull():
        anchor = anchors.get(found.selectedText())
        if anchor is not None:
            spots.append([found.selectionStart(), found.selectionEnd() - found.selectionStart(), anchor])
        found = document.find(PLACEHOLDER, found.selectionEnd())
    return spots


def _fill_pages(document: QTextDocument, spots: list, pages: dict) -> None:
    """Write each anchor's page over its spot (a placeholder or a page written before), in
    one edit: Qt lays out again only the lines changed. O(spots); ``spots`` follow the text
    and are updated to the new text."""
    edit = QTextCursor(document)
    edit.beginEditBlock()
    lengths = []
    for start, length, anchor in reversed(spots):  # from the end: the starts before a spot do not move
        cursor = QTextCursor(document)
        cursor.setPosition(start)
        cursor.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(str(pages.get(anchor, "")))
        lengths.append(cursor.position() - start)
    edit.endEditBlock()
    shift = 0
    for spot, length in zip(spots, reversed(lengths)):
        spot[0] += shift
        shift += length - spot[1]
        spot[1] = length


# Where the front matter (title, contents, summary) ends, in the HTML; what follows starts on a new page.
FRONT_END = "<!--pdf:front-end-->"


def _page_count(document: QTextDocument) -> int:
    return max(1, int(math.ceil(document.size().height() / document.pageSize().height())))


def _front(text: str, placeholders: dict, pages: dict, images: dict, size: QSizeF):
    """The front matter (up to ``FRONT_END``) laid out on its own with the pages written in,
    and its page count; None when it would not replace the document's first pages exactly
    (another page count, an anchor moved, or the rest not starting on the next page)."""
    cut = text.find(FRONT_END)
    if cut < 0:
        return None
    head = text[:cut]
    before = _document(head + "</body></html>", images, size)
    for anchor, placeholder in placeholders.items():
        head = head.replace(placeholder, str(pages.get(anchor, "")))
    front = _document(head + "</body></html>", images, size)
    count = _page_count(front)
    front_pages = anchor_pages(before)
    rest = [page for anchor, page in pages.items() if anchor not in front_pages]
    if count != _page_count(before) or anchor_pages(front) != front_pages or (rest and min(rest) != count + 1):
        return None
    return front, count


def _lay_out(html, images: dict, size: QSizeF) -> list:
    """``[(document, first page, pages)]`` to print in turn. For ``html(pages)``, rendered
    once with placeholders and laid out once: the front matter with the contents' pages is
    laid out again on its own (a few pages), or, without a front, the pages are written in
    place (filled again, at most twice, if the numbers moved an anchor to another page)."""
    if not callable(html):
        document = _document(html, images, size)
        return [(document, 0, _page_count(document))]
    placeholders = _Placeholders()
    text = html(placeholders)
    document = _document(text, images, size)
    pages = anchor_pages(document)
    front = _front(text, placeholders, pages, images, size) if placeholders else None
    if front is not None:
        front_document, count = front
        return [(front_document, 0, count), (document, count, _page_count(document) - count)]
    spots = _spots(document, placeholders)
    for _attempt in range(3):
        _fill_pages(document, spots, pages)
        again = anchor_pages(document)
        if again == pages:
            break
        pages = again
    return [(document, 0, _page_count(document))]


def html_to_pdf(html, pdf_path: str, images: dict | None = None, title: str = "", creator: str = "",
                footer: str = "") -> str:
    """Print ``html`` to an A4 PDF with page numbers. ``html``: a string, or a function
    ``pages -> str`` taking ``{anchor: page}`` (called once, with placeholders for the pages
    it asks for by ``pages.get(anchor, default)``, filled in once the document is laid out).
    ``images`` maps the ``src`` used in the HTML to PNG paths, registered as document
    resources (Qt's engine does not read data: URIs). O(document) to lay out, O(pages) to print."""
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
    parts = _lay_out(html, images, size)
    count = sum(n for _document_, _first, n in parts)
    scale = writer.width() / size.width()
    painter = QPainter(writer)
    footer_font = QFont("DejaVu Sans")
    footer_font.setPointSizeF(7.5)
    page = 0
    for document, first, pages in parts:
        for index in range(first, first + pages):
            if page:
                writer.newPage()
            painter.save()
            painter.scale(scale, scale)
            painter.translate(0, -index * size.height())
            document.drawContents(painter, QRectF(0, index * size.height(), size.width(), size.height()))
            painter.restore()
            painter.save()
            painter.setFont(footer_font)
            painter.setPen(Qt.GlobalColor.darkGray)
            y = writer.height() + (FOOTER_MM * 0.6) * writer.resolution() / 25.4
            text = "{} — {} / {}".format(footer, page + 1, count) if footer else "{} / {}".format(page + 1, count)
            painter.drawText(QPointF(0, y), text)
            painter.restore()
            page += 1
    painter.end()
    return str(pdf_path)
