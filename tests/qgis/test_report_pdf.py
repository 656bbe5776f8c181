"""The report's PDF and tables: the table of contents gives each heading's real page, the
HTML is rendered once, and the tables the report reads are the layers' attributes."""
from __future__ import annotations

import shutil
import subprocess

import pandas.testing as pdt
import pytest

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")


def _html(pages, sections: int, rows: int, front_end: str = "") -> str:
    toc = "".join('<tr><td>Part {n}</td><td>{p}</td></tr>'.format(n=n, p=pages.get("part-{}".format(n), ""))
                  for n in range(1, sections + 1))
    body = "".join('<h2 style="page-break-before: always"><a name="part-{n}"></a>Part {n} heading</h2>'
                   '<table>{rows}</table>'.format(n=n, rows="".join("<tr><td>row {} of part {}</td></tr>".format(r, n)
                                                                    for r in range(rows * n)))
                   for n in range(1, sections + 1))
    return "<html><body><h1>Report</h1><table>{}</table>{}{}</body></html>".format(toc, front_end, body)


@pytest.mark.parametrize("front", [True, False], ids=["front matter laid out again", "pages written in place"])
def test_contents_give_the_page_of_each_heading_and_the_html_is_rendered_once(qgis_app, tmp_path, front):
    from eit_plugin.qgis_io.pdf import FRONT_END, html_to_pdf

    calls = []

    def html(pages):
        calls.append(pages)
        return _html(pages, 6, 70, FRONT_END if front else "")

    pdf = html_to_pdf(html, str(tmp_path / "r.pdf"), footer="Report")
    assert len(calls) == 1
    pages = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout.split("\f")
    contents = {line.split()[1]: int(line.split()[2]) for line in pages[0].splitlines()
                if line.strip().startswith("Part ") and len(line.split()) == 3}
    assert sorted(contents) == [str(n) for n in range(1, 7)]
    for n, page in contents.items():
        assert "Part {} heading".format(n) in pages[page - 1]
        assert "Part {} heading".format(n) not in "".join(pages[:page - 1])
    # parts grow longer: later parts start further than one page apart
    assert contents["6"] - contents["5"] > 1
    assert "\ue000" not in "".join(pages)


def test_report_tables_are_the_layers_attributes(qgis_app, tmp_path):
    from qgis.core import (
        QgsCoordinateTransformContext,
        QgsFeature,
        QgsField,
        QgsGeometry,
        QgsPointXY,
        QgsVectorFileWriter,
        QgsVectorLayer,
    )
    from qgis.PyQt.QtCore import QVariant

    from eit_plugin.qgis_io import layers as layer_io
    from eit_plugin.qgis_io import report_writer

    memory = QgsVectorLayer("Point?crs=EPSG:2154", "things", "memory")
    memory.dataProvider().addAttributes([QgsField("n", QVariant.Int), QgsField("q", QVariant.Double),
                                         QgsField("s", QVariant.String), QgsField("b", QVariant.Bool)])
    memory.updateFields()
    features = []
    for i, values in enumerate([(1, 2.5, "a", True), (None, None, None, None), (3, -1.0, "c", False)]):
        feature = QgsFeature(memory.fields())
        feature.setAttributes(list(values))
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(900000 + i, 6500000)))
        features.append(feature)
    memory.dataProvider().addFeatures(features)
    gpkg = str(tmp_path / "out.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName, options.layerName = "GPKG", "things"
    QgsVectorFileWriter.writeAsVectorFormatV3(memory, gpkg, QgsCoordinateTransformContext(), options)

    read = report_writer._frame(gpkg, "things")
    reference = layer_io.read_geometries(report_writer._open(gpkg, "things")).drop(columns=["geometry"])
    pdt.assert_frame_equal(read, reference)
    assert read["b"].tolist()[0] is True and read["s"].tolist()[1] is None
    assert report_writer._frame(gpkg, "absent") is None


def test_a_heading_at_the_foot_of_a_page_is_listed_on_the_page_it_is_printed_on(qgis_app, tmp_path):
    from eit_plugin.qgis_io.pdf import FRONT_END, html_to_pdf

    # headings without page breaks after tables of 7 rows: some fall where a page ends, and the
    # pagination moves their first line to the next page
    def html(pages):
        toc = "".join('<tr><td>Part {n}</td><td>{p}</td></tr>'.format(n=n, p=pages.get("part-{}".format(n), ""))
                      for n in range(1, 41))
        body = "".join('<h3><a name="part-{n}"></a>Part {n} heading</h3><table border="1">{rows}</table>'.format(
            n=n, rows="".join("<tr><td>row {} of part {}</td></tr>".format(r, n) for r in range(7)))
            for n in range(1, 41))
        return "<html><body><table>{}</table>{}<h1>Body</h1>{}</body></html>".format(toc, FRONT_END, body)

    pdf = html_to_pdf(html, str(tmp_path / "r.pdf"), footer="Report")
    pages = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout.split("\f")
    contents = {}
    for text in pages[:2]:
        contents.update({line.split()[1]: int(line.split()[2]) for line in text.splitlines()
                         if line.strip().startswith("Part ") and len(line.split()) == 3 and line.split()[2].isdigit()})
    assert len(contents) == 40
    for n, page in contents.items():
        assert "Part {} heading".format(n) in pages[page - 1], n
