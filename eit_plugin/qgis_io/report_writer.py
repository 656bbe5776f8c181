"""Write the report (HTML + PDF) from the result GeoPackage: tables, maps, provenance."""
from __future__ import annotations

import base64
import os
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import pandas as pd
from qgis.core import QgsFeatureRequest, QgsRectangle, QgsVectorLayer
from qgis.PyQt.QtCore import QVariant
from qgis.PyQt.QtGui import QImage

from ..core import catalogue
from ..core import report as core_report
from ..i18n import tr
from .maps import render_layout
from .pdf import html_to_pdf

MAX_CLUSTER_MAPS = 3
OVERVIEW_SYNERGIES = 60


def _open(gpkg: str, name: str):
    layer = QgsVectorLayer("{}|layername={}".format(gpkg, name), name, "ogr")
    return layer if layer.isValid() else None


def _selection(layer, gpkg: str, name: str, sql: str):
    """The rows of ``layer`` that ``sql`` (a WHERE / ORDER BY / LIMIT tail on the table) picks,
    copied into a memory layer with the layer's style. Not a subset string: one on a
    GeoPackage layer while another layer of the file is open makes GDAL log "unable to open
    database file" errors. O(rows read by the query + rows picked)."""
    if layer is None:
        return None
    uri = "file:{}?mode=ro".format(Path(gpkg).resolve().as_posix())
    with closing(sqlite3.connect(uri, uri=True)) as db:
        key = [row[1] for row in db.execute('PRAGMA table_info("{}")'.format(name.replace('"', '""'))) if row[5]]
        fids = [row[0] for row in db.execute('SELECT "{}" FROM "{}" {}'.format(
            (key or ["fid"])[0], name.replace('"', '""'), sql))]
    picked = layer.materialize(QgsFeatureRequest().setFilterFids(fids))
    picked.setRenderer(layer.renderer().clone())
    return picked


def _frame(gpkg: str, name: str):
    """The attributes of the result GeoPackage's layer ``name`` as QGIS reads them (``fid``
    included, booleans as bool), without geometries: the report prints tables. Read with one
    SQL query (a GeoPackage is SQLite): O(features), in C rather than feature by feature."""
    layer = _open(gpkg, name)
    if layer is None:
        return None
    with closing(sqlite3.connect("file:{}?mode=ro".format(Path(gpkg).resolve().as_posix()), uri=True)) as db:
        geometry = {row[0] for row in db.execute(
            "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (name,))}
        columns = [row[1] for row in db.execute('PRAGMA table_info("{}")'.format(name.replace('"', '""')))
                   if row[1] not in geometry]
        frame = pd.read_sql_query('SELECT {} FROM "{}"'.format(
            ", ".join('"{}"'.format(c.replace('"', '""')) for c in columns), name.replace('"', '""')), db)
    for field in layer.fields():
        if field.type() == QVariant.Type.Bool and field.name() in frame.columns:
            frame[field.name()] = frame[field.name()].map({1: True, 0: False})
    frame = frame[[c for c in layer.fields().names() if c in frame.columns]]
    if "fid" not in frame.columns:
        frame["fid"] = [f.id() for f in layer.getFeatures(QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
                                                          .setNoAttributes())]
    return frame


def _named(layer, name: str):
    if layer is not None:
        layer.setName(name)
    return layer


def _no_labels(layer):
    if layer is not None:
        layer.setLabelsEnabled(False)
    return layer


def _obstacle(layer):
    """No labels of its own, but the communes' names keep off its arrows and outlines."""
    if layer is not None:
        from qgis.core import QgsPalLayerSettings, QgsVectorLayerSimpleLabeling

        settings = QgsPalLayerSettings()
        settings.isExpression, settings.fieldName = True, "''"
        settings.drawLabels = False
        settings.obstacleSettings().setIsObstacle(True)
        settings.obstacleSettings().setFactor(1.0)
        layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
        layer.setLabelsEnabled(True)
    return layer


def _outline(layer, colour: str, fill_alpha: int = 40):
    """A see-through area: the zones underneath stay readable."""
    from qgis.core import QgsFillSymbol, QgsSingleSymbolRenderer

    symbol = QgsFillSymbol.createSimple({"color": "{},{}".format(_rgb(colour), fill_alpha),
                                         "outline_color": "{},255".format(_rgb(colour)), "outline_width": "0.8"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    return layer


def _rgb(colour: str) -> str:
    colour = colour.lstrip("#")
    return ",".join(str(int(colour[i:i + 2], 16)) for i in (0, 2, 4))


def _site_layer(x: float, y: float, name: str):
    """The suggested site of a shared facility, as a point of its own."""
    from qgis.core import QgsFeature, QgsGeometry, QgsMarkerSymbol, QgsPointXY, QgsSingleSymbolRenderer

    layer = QgsVectorLayer("Point?crs=EPSG:2154", name, "memory")
    feature = QgsFeature()
    feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
    layer.dataProvider().addFeatures([feature])
    symbol = QgsMarkerSymbol.createSimple({"name": "star", "color": "215,25,28,255", "outline_color": "white",
                                           "size": "5"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    return layer


def _distinct(extent, chosen, overlap: float = 0.5) -> bool:
    """False when ``extent`` mostly covers an extent already mapped (two maps of one place)."""
    for other in chosen:
        inter = extent.intersect(other)
        if not inter.isEmpty() and inter.area() > overlap * min(extent.area(), other.area()):
            return False
    return True


def _zones_layers(gpkg: str, written: list, fr: bool):
    """The zones (styled by potential), communes, best synergies and pooling outlines."""
    zones = _open(gpkg, "zones") if "zones" in written else None
    if zones is not None:
        from .gpkg import apply_qml, style_path

        qml = style_path("zones_eit_potential")
        if qml is not None:
            apply_qml(zones, qml)
        _named(_no_labels(zones), "Zones : potentiel d'écologie industrielle" if fr else "Zones: industrial-ecology potential")
    communes = _named(_open(gpkg, "communes"), "Communes" if fr else "Municipalities") if "communes" in written else None
    synergies = _open(gpkg, "synergies") if "synergies" in written else None
    if synergies is not None and "score" in synergies.fields().names():
        # The overview shows the strongest links only; the annex lists them all.
        synergies = _selection(synergies, gpkg, "synergies",
                               'ORDER BY "score" DESC, "synergy_id" LIMIT {}'.format(OVERVIEW_SYNERGIES))
        _named(_obstacle(synergies), "Synergies possibles ({} meilleures)".format(OVERVIEW_SYNERGIES) if fr
               else "Possible synergies ({} best)".format(OVERVIEW_SYNERGIES))
    pooling = None
    if "clusters" in written:
        pooling = _open(gpkg, "clusters")
        if pooling is not None and "kind" in pooling.fields().names():
            pooling = _selection(pooling, gpkg, "clusters", """WHERE "kind" = 'pooling'""")
        _named(_outline(_obstacle(pooling), "#6a3d9a", 0), "Groupements de mutualisation" if fr else "Pooling clusters")
    return zones, communes, synergies, pooling


def _mapped_clusters(clusters, insee_of: dict):
    """Pooling clusters with a facility, largest first, one map per distinct place."""
    names = clusters.fields().names()
    features = [f for f in clusters.getFeatures()
                if ("kind" not in names or f["kind"] == "pooling")
                and ("facility" not in names or f["facility"] not in ("none", None))]
    features.sort(key=lambda f: (-(f["n_members"] or 0) if "n_members" in names else 0, str(f["cluster_id"])))
    chosen = []
    for feature in features:
        if len(chosen) >= MAX_CLUSTER_MAPS:
            break
        extent = QgsRectangle(feature.geometry().boundingBox())
        extent.grow(max(300.0, 0.3 * max(extent.width(), extent.height())))
        if _distinct(extent, [e for _f, e in chosen]):
            chosen.append((feature, extent))
    return chosen


def _cluster_map(gpkg, feature, extent, names, insee_of, communes, zones, folder, number, fr, template):
    from ..core.recommendations import commune_name

    cluster_id = str(feature["cluster_id"])
    single = _selection(_open(gpkg, "clusters"), gpkg, "clusters",
                        """WHERE "cluster_id" = '{}'""".format(cluster_id.replace("'", "''")))
    _named(_outline(_no_labels(single), "#d7191c", 45), "Aire des membres du groupement" if fr
           else "Area of the cluster's members")
    site = None
    if "site_x" in names and feature["site_x"] not in (None, "") and feature["site_y"] not in (None, ""):
        site = _site_layer(float(feature["site_x"]), float(feature["site_y"]),
                           "Site proposé pour l'équipement partagé" if fr else "Suggested site of the shared facility")
    action = feature["action_fr" if fr else "action_en"] if "action_fr" in names else feature["resources"]
    where = commune_name(insee_of.get(str(feature["site_zone"]), "")) if "site_zone" in names and feature["site_zone"] else ""
    title = "{} — {} {}{}".format(action, feature["n_members"], "établissements" if fr else "establishments",
                                  (", " + where) if where else "")
    name = "map_cluster_{}.png".format(number)
    png = render_layout([site, single, communes, zones], extent, os.path.join(folder, name), title,
                        _caption_source(fr), template, legend_title="Légende" if fr else "Legend",
                        legend_layers=[site, single, communes, zones], legend_labels=None if fr else LEGEND_EN)
    return {"title": title, "src": name, "path": png,
            "caption": ("Aire rouge : enveloppe des établissements membres ; étoile : site proposé, dans une zone qui "
                        "autorise l'équipement ; dessous : les zones et leur potentiel." if fr else
                        "Red area: envelope of the member establishments; star: suggested site, in a zone that allows "
                        "the facility; underneath: the zones and their potential.")}


# The English legend of the styles' French classes (resources/styles: synergies, clusters,
# communes, zones_eit_potential).
LEGEND_EN = {
    "Les 50 synergies les mieux classées : à toutes les échelles": "The 50 best-ranked synergies: at every scale",
    "Rangs 51 à 200 : à partir du 1:100 000": "Ranks 51 to 200: from 1:100,000",
    "Au-delà du rang 200 : à partir du 1:25 000": "Beyond rank 200: from 1:25,000",
    "Chaleur": "Heat", "Énergie": "Energy", "Eau": "Water", "Déchets": "Waste", "Matières": "Materials",
    "Autre": "Other", "Commune": "Municipality", "EPCI": "EPCI (group of municipalities)",
    "Potentiel EIT élevé": "High industrial-ecology potential", "Potentiel EIT moyen": "Medium industrial-ecology potential",
    "Potentiel EIT faible": "Low industrial-ecology potential", "Pas de potentiel identifié": "No potential found",
    "Potentiel non calculé": "Potential not computed",
}


def _caption_source(fr: bool) -> str:
    return ("Sources : zones des PLU (standard CNIG), SIRENE, analyse EIT ; fond : aucun." if fr else
            "Sources: PLU zones (CNIG standard), SIRENE, EIT analysis; no background map.")


def _insee_of(zones) -> dict:
    """``{zone_id: insee}`` from the zones' table (read once for the report): O(zones)."""
    if zones is None:
        return {}
    columns = {c.lower(): c for c in zones.columns}
    if "zone_id" not in columns or "insee" not in columns:
        return {}
    insee = zones[columns["insee"]]
    return dict(zip(zones[columns["zone_id"]].astype(str), insee.where(insee.notna(), "").astype(str)))


def _maps(gpkg: str, written: list, folder: str, language: str, template=None, zone_table=None) -> list:
    fr = language == "fr"
    zones, communes, synergies, pooling = _zones_layers(gpkg, written, fr)
    maps = []
    if zones is not None:
        title = ("Vue d'ensemble : potentiel des zones, principales synergies, groupements de mutualisation" if fr
                 else "Overview: potential of zones, main synergies, pooling clusters")
        png = render_layout([synergies, pooling, communes, zones], zones.extent(), os.path.join(folder, "map_overview.png"),
                            title, _caption_source(fr), template, legend_title="Légende" if fr else "Legend",
                            legend_layers=[synergies, pooling, communes, zones],
                            legend_labels=None if fr else LEGEND_EN)
        maps.append({"title": title, "src": "map_overview.png", "path": png,
                     "caption": ("Flèches : les {} synergies au meilleur score (fournisseur → receveur) ; contours violets : "
                                 "groupements de mutualisation." if fr else
                                 "Arrows: the {} best-scored synergies (supplier → receiver); purple outlines: pooling "
                                 "clusters.").format(OVERVIEW_SYNERGIES)})
    clusters = _open(gpkg, "clusters") if "clusters" in written else None
    if clusters is not None:
        insee_of = _insee_of(zone_table)
        names = clusters.fields().names()
        for number, (feature, extent) in enumerate(_mapped_clusters(clusters, insee_of), start=1):
            maps.append(_cluster_map(gpkg, feature, extent, names, insee_of, communes, zones, folder, number, fr, template))
    for item in maps:
        # Fit an A4 page (about 680 x 980 px of the document inside the margins).
        image = QImage(item["path"])
        ratio = image.height() / image.width() if image.width() else 1.0
        item["width"] = int(min(680, 850 / ratio))
    return maps


def write_report(gpkg: str, written: list, report_path: str, record: dict, public: bool, language: str,
                 parameters: dict, feedback=None, facts=None, layout_template=None) -> str:
    """Write ``report_path`` (HTML, images embedded) and the PDF beside it; return the PDF path.

    O(n log n) in the rows of the result layers (read once, sorted once for the annexes); the
    HTML and PDF are bounded by the annex limits (``core.report.ANNEX_ROWS``) and grow with the
    recommendations only; the HTML is rendered twice (PDF with page numbers, then the file with
    its images embedded) and the PDF laid out once."""
    tables = {name: _frame(gpkg, name) for name in written}
    Path(report_path).parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="eit_report_") as folder:
        maps = _maps(gpkg, written, folder, language, layout_template or parameters.get(catalogue.LAYOUT_TEMPLATE) or None,
                     tables.get("zones"))
        notes = [parameters[catalogue.NOTE]] if parameters.get(catalogue.NOTE) else []
        context = core_report.build_context(tables, maps, parameters, record, public, language,
                                            territory=parameters.get(catalogue.TERRITORY, "") or "", notes=notes,
                                            summary=facts)
        # PDF: images as document resources; HTML: embedded so the file travels alone.
        pdf_path = str(Path(report_path).with_suffix(".pdf"))

        def html(pages):
            return core_report.render_html(dict(context, toc=pages))

        html_to_pdf(html, pdf_path, {m["src"]: m["path"] for m in maps}, title=context["title"],
                    creator="EIT Savoie {} (QGIS {})".format(record.get("plugin_version", ""), record.get("qgis_version", "")),
                    footer=context["title"])
        for item in maps:
            data = base64.b64encode(Path(item["path"]).read_bytes()).decode("ascii")
            item["src"] = "data:image/png;base64," + data
        Path(report_path).write_text(core_report.render_html(context), encoding="utf-8")
    if feedback is not None:
        feedback.pushInfo(tr("Report written: {} ({} maps) and {}").format(report_path, len(maps), pdf_path))
    return pdf_path


def report_texts(html_path: str, pdf_path: str | None) -> list:
    """The visible text of the written report: the HTML without tags and images, and the
    PDF's text when ``pdftotext`` (poppler-utils) is installed."""
    import html
    import re
    import shutil
    import subprocess

    texts = []
    raw = Path(html_path).read_text(encoding="utf-8")
    raw = re.sub(r"data:image/[^\"']+", "", raw)
    texts.append(html.unescape(re.sub(r"<[^>]+>", " ", raw)))
    if pdf_path and os.path.exists(pdf_path) and shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-layout", pdf_path, "-"], capture_output=True, text=True, timeout=300)
        if done.returncode == 0:
            texts.append(done.stdout)
    return texts
