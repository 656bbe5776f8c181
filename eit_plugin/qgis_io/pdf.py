"""HTML report → PDF with Qt's rich-text engine (no web engine needed on any platform)."""
from __future__ import annotations

from qgis.PyQt.QtCore import QMarginsF, QSizeF, QUrl
from qgis.PyQt.QtGui import QImage, QPageLayout, QPageSize, QTextDocument
from qgis.PyQt.QtPrintSupport import QPrinter


def html_to_pdf(html: str, pdf_path: str, images: dict | None = None) -> str:
    """Print ``html`` to an A4 PDF. ``images`` maps the ``src`` used in the HTML to PNG paths,
    registered as document resources (Qt's engine does not read data: URIs)."""
    document = QTextDocument()
    for src, png in (images or {}).items():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(src), QImage(str(png)))
    document.setHtml(html)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(pdf_path))
    printer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                    QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    )
    document.setPageSize(QSizeF(printer.pageRect(QPrinter.Unit.Point).size()))
    document.print_(printer)
    return str(pdf_path)
