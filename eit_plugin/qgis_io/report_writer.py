"""Write the report (HTML + PDF) from the result GeoPackage: tables, maps, provenance."""
from __future__ import annotations

import base64
import os
import tempfile
from pathlib import Path

from qgis.core import QgsRectangle, QgsVectorLayer

from ..core import report as core_report
from ..i18n import tr
from . import layers as layer_io
from .maps import render_map
from .pdf import html_to_pdf

MAX_CLUSTER_MAPS = 4


def _open(gpkg: str, name: str):
    layer = QgsVectorLayer("{}|layername={}".format(gpkg, name), name, "ogr")
    return layer if layer.isValid() else None


def _frame(layer):
    if layer is None:
        return None
    frame = layer_io.read_geometries(layer)
    return frame.drop(columns=["geometry"], errors="ignore")


def _maps(gpkg: str, written: list, folder: str, language: str) -> list:
    fr = language == "fr"
    zones = _open(gpkg, "zones") if "zones" in written else None
    if zones is not None:
        from .gpkg import style_path

        qml = style_path("zones_eit_potential")
        if qml is not None:
            zones.loadNamedStyle(str(qml))
    synergies = _open(gpkg, "synergies") if "synergies" in written else None
    clusters = _open(gpkg, "clusters") if "clusters" in written else None
    stack = [synergies, clusters, zones]
    maps = []
    if zones is not None:
        png = render_map(stack, zones.extent(), os.path.join(folder, "map_overview.png"))
        maps.append({
            "title": "Vue d'ensemble : potentiel EIT des zones, synergies et groupements" if fr
            else "Overview: EIT potential of zones, synergies and clusters",
            "src": "map_overview.png", "path": png,
            "caption": "Zones du PLU colorées selon leur potentiel EIT ; flèches : synergies (fournisseur → receveur) ; contours : groupements de mutualisation." if fr
            else "PLU zones coloured by EIT potential; arrows: synergies (supplier → receiver); outlines: pooling clusters.",
        })
    if clusters is not None:
        features = sorted(clusters.getFeatures(), key=lambda f: (-(f["total_quantity"] or 0) if "total_quantity" in f.fields().names() else 0, str(f["cluster_id"])))
        for feature in features[:MAX_CLUSTER_MAPS]:
            extent = QgsRectangle(feature.geometry().boundingBox())
            extent.grow(max(300.0, 0.3 * max(extent.width(), extent.height())))
            name = "map_{}.png".format(str(feature["cluster_id"]).replace("/", "_"))
            png = render_map(stack, extent, os.path.join(folder, name), width=1200, height=850)
            label = feature["action"] if "action" in feature.fields().names() and feature["action"] else feature["resources"]
            maps.append({
                "title": "{} {} — {}".format("Groupement" if fr else "Cluster", feature["cluster_id"], label),
                "src": name, "path": png, "caption": "",
            })
    return maps


def write_report(gpkg: str, written: list, report_path: str, record: dict, public: bool, language: str,
                 parameters: dict, feedback=None) -> str:
    """Write ``report_path`` (HTML, images embedded) and the PDF beside it; return the PDF path."""
    tables = {name: _frame(_open(gpkg, name)) for name in written}
    Path(report_path).parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="eit_report_") as folder:
        maps = _maps(gpkg, written, folder, language)
        notes = [parameters["NOTE"]] if parameters.get("NOTE") else []
        context = core_report.build_context(tables, maps, parameters, record, public, language,
                                            territory=parameters.get("TERRITORY", "") or "", notes=notes)
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
