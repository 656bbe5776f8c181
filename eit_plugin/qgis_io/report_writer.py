"""Write the report (HTML + PDF) from the result GeoPackage: tables, maps, provenance."""
from __future__ import annotations

import base64
import os
import tempfile
from pathlib import Path

from qgis.core import QgsRectangle, QgsVectorLayer
from qgis.PyQt.QtGui import QImage

from ..core import report as core_report
from ..i18n import tr
from . import layers as layer_io
from .maps import render_map
from .pdf import html_to_pdf

MAX_CLUSTER_MAPS = 4
OVERVIEW_SYNERGIES = 60


def _open(gpkg: str, name: str):
    layer = QgsVectorLayer("{}|layername={}".format(gpkg, name), name, "ogr")
    return layer if layer.isValid() else None


def _frame(layer):
    if layer is None:
        return None
    frame = layer_io.read_geometries(layer)
    return frame.drop(columns=["geometry"], errors="ignore")


def _label_by(layer, field: str) -> None:
    """Short labels for report maps (the layer's own style may label with long texts)."""
    from qgis.core import QgsPalLayerSettings, QgsTextFormat, QgsVectorLayerSimpleLabeling
    from qgis.PyQt.QtGui import QColor, QFont

    settings = QgsPalLayerSettings()
    settings.fieldName = field
    text = QgsTextFormat()
    text.setFont(QFont("DejaVu Sans"))
    text.setSize(8)
    text.setColor(QColor("#3b1f5b"))
    buffer = text.buffer()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    text.setBuffer(buffer)
    settings.setFormat(text)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def _maps(gpkg: str, written: list, folder: str, language: str) -> list:
    fr = language == "fr"
    zones = _open(gpkg, "zones") if "zones" in written else None
    if zones is not None:
        from .gpkg import apply_qml, style_path

        qml = style_path("zones_eit_potential")
        if qml is not None:
            apply_qml(zones, qml)
    communes = _open(gpkg, "communes") if "communes" in written else None
    synergies = _open(gpkg, "synergies") if "synergies" in written else None
    if synergies is not None and "score" in synergies.fields().names():
        # The overview shows the strongest links only; the tables list the others.
        synergies.setSubsetString(
            '"synergy_id" IN (SELECT "synergy_id" FROM "synergies" ORDER BY "score" DESC, "synergy_id" LIMIT {})'.format(
                OVERVIEW_SYNERGIES))
    clusters = _open(gpkg, "clusters") if "clusters" in written else None
    pooling = None
    if clusters is not None:
        _label_by(clusters, "cluster_id")
        pooling = _open(gpkg, "clusters")
        if "kind" in pooling.fields().names():
            pooling.setSubsetString(""""kind" = 'pooling'""")
        _label_by(pooling, "cluster_id")
    maps = []
    if zones is not None:
        png = render_map([synergies, pooling, communes, zones], zones.extent(), os.path.join(folder, "map_overview.png"))
        maps.append({
            "title": "Vue d'ensemble : potentiel EIT des zones, principales synergies, groupements de mutualisation" if fr
            else "Overview: EIT potential of zones, main synergies, pooling clusters",
            "src": "map_overview.png", "path": png,
            "caption": ("Zones du PLU colorées selon leur potentiel EIT ; flèches : les {} synergies au meilleur score "
                        "(fournisseur → receveur) ; contours : groupements de mutualisation." if fr else
                        "PLU zones coloured by EIT potential; arrows: the {} best-scored synergies (supplier → receiver); "
                        "outlines: pooling clusters.").format(OVERVIEW_SYNERGIES),
        })
    if clusters is not None:
        names = clusters.fields().names()
        features = sorted(
            clusters.getFeatures(),
            key=lambda f: (0 if ("kind" in names and f["kind"] == "pooling") else 1,
                           -(f["n_members"] or 0) if "n_members" in names else 0, str(f["cluster_id"])))
        for feature in features[:MAX_CLUSTER_MAPS]:
            cluster_id = str(feature["cluster_id"])
            extent = QgsRectangle(feature.geometry().boundingBox())
            extent.grow(max(300.0, 0.15 * max(extent.width(), extent.height())))
            # This cluster alone over the zones: the overview already shows the others.
            single = _open(gpkg, "clusters")
            single.setSubsetString(""""cluster_id" = '{}'""".format(cluster_id.replace("'", "''")))
            _label_by(single, "cluster_id")
            name = "map_{}.png".format(cluster_id.replace("/", "_"))
            png = render_map([single, communes, zones], extent, os.path.join(folder, name), width=1200)
            label = feature["action_fr" if fr and "action_fr" in names else "action"] if "action" in names else feature["resources"]
            maps.append({
                "title": "{} {} — {}".format("Groupement" if fr else "Cluster", cluster_id, label),
                "src": name, "path": png,
                "caption": "{} : {}".format("Ressources" if fr else "Resources", feature["resources"]) if "resources" in names else "",
            })
    for item in maps:
        # Fit an A4 page (about 510 x 700 pt inside the margins) whatever the aspect ratio.
        image = QImage(item["path"])
        ratio = image.height() / image.width() if image.width() else 1.0
        item["width"] = int(min(500, 600 / ratio))
    return maps


def write_report(gpkg: str, written: list, report_path: str, record: dict, public: bool, language: str,
                 parameters: dict, feedback=None, facts=None) -> str:
    """Write ``report_path`` (HTML, images embedded) and the PDF beside it; return the PDF path."""
    tables = {name: _frame(_open(gpkg, name)) for name in written}
    Path(report_path).parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="eit_report_") as folder:
        maps = _maps(gpkg, written, folder, language)
        notes = [parameters["NOTE"]] if parameters.get("NOTE") else []
        context = core_report.build_context(tables, maps, parameters, record, public, language,
                                            territory=parameters.get("TERRITORY", "") or "", notes=notes,
                                            summary=facts)
        # PDF: images as document resources; HTML: embedded so the file travels alone.
        pdf_path = str(Path(report_path).with_suffix(".pdf"))
        html_to_pdf(core_report.render_html(context), pdf_path, {m["src"]: m["path"] for m in maps})
        for item in maps:
            data = base64.b64encode(Path(item["path"]).read_bytes()).decode("ascii")
            item["src"] = "data:image/png;base64," + data
        Path(report_path).write_text(core_report.render_html(context), encoding="utf-8")
    if feedback is not None:
        feedback.pushInfo(tr("Report written: {} ({} maps) and {}").format(report_path, len(maps), pdf_path))
    return pdf_path
