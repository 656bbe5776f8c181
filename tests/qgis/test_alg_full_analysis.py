"""eit:fullanalysis on a small hand-built territory: one GeoPackage, styled layers, provenance,
the statistical secret in public mode, and the same ids and figures on a second run."""
from __future__ import annotations

import sqlite3

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

# name, siret, naf, band, x, y — a waste-to-energy plant beside a housing zone, a dairy near a
# pig farm, four offices and shops in one business park.
ESTABLISHMENTS = [
    ("UVE test", "90000000100017", "38.21Z", "12", 1000, 1000),
    ("Fromagerie test", "90000035700013", "10.51C", "21", 3000, 1200),
    ("Porcherie test", "90000042300013", "01.46Z", "02", 3400, 1300),
    ("Bureau A", "11111111100018", "70.22Z", "12", 1200, 2600),
    ("Bureau B", "22222222200019", "69.20Z", "12", 1300, 2700),
    ("Commerce C", "33333333300010", "47.11F", "21", 1400, 2650),
    ("Commerce D", "44444444400011", "47.19B", "12", 1250, 2800),
]

# LIBELLE, TYPEZONE, DESTDOMI, dwellings, polygon corners (xmin, ymin, xmax, ymax)
ZONES = [
    ("UXa", "U", "02", 0, (500, 500, 1500, 1500)),
    ("UB", "U", "01", 800, (1500, 500, 2500, 1500)),
    ("UXp", "U", "02", 0, (1000, 2400, 1700, 3000)),
    ("A", "A", "07", 0, (2500, 500, 4000, 2000)),
    ("1AU", "AUc", "03", 0, (1500, 1500, 2500, 2400)),
]


def _write(layer, path, name):
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = name
    QgsVectorFileWriter.writeAsVectorFormatV3(layer, str(path), QgsProcessingContext().transformContext(), options)
    return "{}|layername={}".format(path, name)


@pytest.fixture(scope="module")
def territory(tmp_path_factory):
    folder = tmp_path_factory.mktemp("territory")
    points = QgsVectorLayer("Point?crs=EPSG:2154", "establishments", "memory")
    points.dataProvider().addAttributes([QgsField(n, QVariant.String) for n in (
        "siret", "name", "naf", "headcount_band", "insee_commune")])
    points.updateFields()
    for name, siret, naf, band, x, y in ESTABLISHMENTS:
        feature = QgsFeature(points.fields())
        feature.setAttributes([siret, name, naf, band, "73065"])
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        points.dataProvider().addFeature(feature)
    zones = QgsVectorLayer("MultiPolygon?crs=EPSG:2154", "zone_urba", "memory")
    zones.dataProvider().addAttributes([QgsField("IDURBA", QVariant.String), QgsField("LIBELLE", QVariant.String),
                                        QgsField("TYPEZONE", QVariant.String), QgsField("DESTDOMI", QVariant.String),
                                        QgsField("INSEE", QVariant.String), QgsField("nb_logements", QVariant.Int)])
    zones.updateFields()
    for label, typezone, dest, dwellings, (x0, y0, x1, y1) in ZONES:
        feature = QgsFeature(zones.fields())
        feature.setAttributes(["73065_PLU_20200101", label, typezone, dest, "73065", dwellings])
        feature.setGeometry(QgsGeometry.fromWkt("POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(x0, y0, x1, y1)))
        zones.dataProvider().addFeature(feature)
    assert zones.crs() == QgsCoordinateReferenceSystem("EPSG:2154")
    return {"ESTABLISHMENTS": _write(points, folder / "inputs.gpkg", "establishments"),
            "ZONES": _write(zones, folder / "zones.gpkg", "zone_urba")}


def _run(eit_provider, territory, folder, public):
    import processing

    params = dict(territory)
    params.update({"PUBLIC": public, "OUTPUT_GPKG": str(folder / "eit.gpkg"), "REPORT": str(folder / "rapport.html")})
    return processing.run("eit:fullanalysis", params, context=QgsProcessingContext(), feedback=QgsProcessingFeedback())


def _rows(gpkg, sql):
    with sqlite3.connect(str(gpkg)) as db:
        return db.execute(sql).fetchall()


@pytest.fixture(scope="module")
def internal_runs(eit_provider_module, territory, tmp_path_factory):
    first = _run(eit_provider_module, territory, tmp_path_factory.mktemp("run1"), public=False)
    second = _run(eit_provider_module, territory, tmp_path_factory.mktemp("run2"), public=False)
    return first, second


@pytest.fixture(scope="module")
def eit_provider_module(eit_plugin_instance):
    from qgis.core import QgsApplication

    if QgsApplication.processingRegistry().providerById("eit") is None:
        eit_plugin_instance.provider = None
        eit_plugin_instance.initProcessing()
    return QgsApplication.processingRegistry().providerById("eit")


def test_one_geopackage_with_styled_layers_provenance_and_both_reports(internal_runs):
    result, _ = internal_runs
    gpkg = result["OUTPUT_GPKG"]
    tables = {row[0] for row in _rows(gpkg, "SELECT table_name FROM gpkg_contents")}
    assert {"zones", "synergies", "clusters", "recommendations", "establishments", "flows", "provenance", "summary"} <= tables
    styled = {row[0] for row in _rows(gpkg, "SELECT f_table_name FROM layer_styles WHERE useAsDefault")}
    assert {"zones", "synergies", "clusters"} <= styled
    keys = dict(_rows(gpkg, "SELECT key, value FROM provenance"))
    assert keys["plugin_version"] and keys["qgis_version"].startswith("3.")
    assert "input_sha256.ZONES" in keys
    html = open(result["REPORT"], encoding="utf-8").read()
    assert "CONFIDENTIEL" in html
    assert open(result["REPORT_PDF"], "rb").read(4) == b"%PDF"


def test_waste_heat_reaches_the_housing_zone_and_same_inputs_give_same_outputs(internal_runs):
    first, second = internal_runs
    sql = ("SELECT synergy_id, kind, supplier_siret, receiver_siret, receiver_zone, resource_supply, "
           "round(quantity, 6) FROM synergies ORDER BY synergy_id")
    synergies = _rows(first["OUTPUT_GPKG"], sql)
    assert synergies == _rows(second["OUTPUT_GPKG"], sql)
    uve = [s for s in synergies if s[2] == "90000000100017" and s[5] == "waste_heat"]
    assert uve, synergies
    assert any(s[1] == "housing_heat" for s in uve)
    rec_sql = "SELECT rec_id, document, text_fr FROM recommendations ORDER BY rec_id"
    assert _rows(first["OUTPUT_GPKG"], rec_sql) == _rows(second["OUTPUT_GPKG"], rec_sql)
    run_key = "SELECT value FROM provenance WHERE key = 'run_key'"
    assert _rows(first["OUTPUT_GPKG"], run_key) == _rows(second["OUTPUT_GPKG"], run_key)


def test_public_geopackage_has_no_siret_no_flows_and_marks_the_secret(eit_provider_module, territory, tmp_path):
    result = _run(eit_provider_module, territory, tmp_path, public=True)
    gpkg = result["OUTPUT_GPKG"]
    tables = {row[0] for row in _rows(gpkg, "SELECT table_name FROM gpkg_contents")}
    assert not {"establishments", "flows", "synergy_alternatives"} & tables
    assert _rows(gpkg, "SELECT COUNT(*) FROM synergies WHERE supplier_siret IS NOT NULL OR quantity IS NOT NULL") == [(0,)]
    # The plant is the only heat supplier of its zone: its figure is withheld.
    assert _rows(gpkg, "SELECT heat_supply_mwh, secret_fields FROM zones WHERE LIBELLE = 'UXa'")[0][0] is None
    html = open(result["REPORT"], encoding="utf-8").read()
    assert "Version publique" in html and "90000000100017" not in html and "UVE test" not in html


def test_report_demo_and_geopackage_show_the_same_figures_counted_once(internal_runs):
    import re
    from html import unescape

    from eit_plugin.core import ledger, report
    from tools import demo

    result, _ = internal_runs
    gpkg = result["OUTPUT_GPKG"]
    table = ledger.summary_from_rows(_rows(gpkg, "SELECT indicator, value, unit, label_fr, label_en FROM summary"))
    figures = ledger.figures(table)
    synergy_co2 = _rows(gpkg, "SELECT COALESCE(SUM(co2_avoided_t), 0) FROM synergies")[0][0]
    pooling_co2 = _rows(gpkg, "SELECT COALESCE(SUM(co2_avoided_t), 0) FROM clusters WHERE kind = 'pooling'")[0][0]
    # The headline counts synergies and pooling once; exchange clusters are not added again
    # (a pooling saving a synergy already makes is deducted: at most the pooled total).
    assert figures["co2_synergies_t"] == pytest.approx(synergy_co2, abs=0.01)
    assert figures["co2_avoided_t"] == pytest.approx(figures["co2_synergies_t"] + figures["co2_pooling_t"], abs=0.01)
    assert figures["co2_pooling_t"] <= pooling_co2 + 0.01
    land = _rows(gpkg, "SELECT COALESCE(SUM(land_need_m2), 0) FROM clusters WHERE kind = 'pooling'")[0][0]
    assert figures["land_need_m2"] == pytest.approx(land)
    html = open(result["REPORT"], encoding="utf-8").read()
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    printout = demo.summary(gpkg, result)
    for row in report.synthesis_rows(table, "fr"):
        # Every synthesis figure of the report is the summary table's, and make demo prints it.
        assert re.search(re.escape(row["label"]) + r"\s+" + re.escape(row["value"]), text), row
        assert "{}: {}".format(row["label"], row["value"]) in printout, row


def test_public_output_attacked_with_the_geolocation_and_the_names(eit_provider_module, territory, tmp_path):
    """As an outsider with the public GeoPackage, the report and the establishments' positions
    and names: no geometry vertex within 50 m of an establishment, no SIRET, SIREN or name in
    any table, the HTML or the PDF text, no local folder in the provenance, audit counts stored."""
    import re
    import shutil
    import subprocess

    result = _run(eit_provider_module, territory, tmp_path, public=True)
    gpkg = result["OUTPUT_GPKG"]
    layer_points = []
    for name in ("synergies", "clusters"):
        layer = QgsVectorLayer("{}|layername={}".format(gpkg, name), name, "ogr")
        for feature in layer.getFeatures():
            for vertex in feature.geometry().vertices():
                layer_points.append((vertex.x(), vertex.y()))
    assert layer_points, "public synergies and clusters are drawn"
    for x, y in layer_points:
        nearest = min(((x - ex) ** 2 + (y - ey) ** 2) ** 0.5 for *_, ex, ey in ESTABLISHMENTS)
        assert nearest >= 50.0, (x, y)
    texts = []
    with sqlite3.connect(gpkg) as db:
        for (table,) in db.execute("SELECT table_name FROM gpkg_contents"):
            texts += [" ".join(map(str, row)) for row in db.execute('SELECT * FROM "{}"'.format(table))]
        texts += [str(row) for row in db.execute("SELECT * FROM gpkg_metadata")]
    texts.append(open(result["REPORT"], encoding="utf-8").read())
    if shutil.which("pdftotext"):
        texts.append(subprocess.run(["pdftotext", result["REPORT_PDF"], "-"], capture_output=True, text=True).stdout)
    text = "\n".join(texts)
    for name, siret, *_ in ESTABLISHMENTS:
        assert siret not in text and siret[:9] not in text and name not in text, name
    provenance = dict(_rows(gpkg, "SELECT key, value FROM provenance"))
    assert not any(str(tmp_path) in v or "/" in v for k, v in provenance.items() if k.startswith("parameters."))
    assert provenance["audit.violations"] == "0" and int(provenance["audit.figures_suppressed"]) > 0
    assert int(provenance["audit.geometries_generalised"]) == len(_rows(gpkg, "SELECT fid FROM synergies")) + len(
        _rows(gpkg, "SELECT fid FROM clusters WHERE geom IS NOT NULL"))
    assert re.search(r"maille", open(result["REPORT"], encoding="utf-8").read())


def test_report_prints_the_recommendations_layer_row_by_row(internal_runs):
    """The GeoPackage layer holds the report's recommendations: one row per place and purpose."""
    import re
    from html import unescape

    result, _ = internal_runs
    gpkg = result["OUTPUT_GPKG"]
    rows = _rows(gpkg, "SELECT document || scope_id, purpose, scope_label, instrument, text_fr FROM recommendations")
    assert rows and len({(r[0], r[1]) for r in rows}) == len(rows)
    html = unescape(open(result["REPORT"], encoding="utf-8").read())
    assert html.count('<p class="item">') == len(rows)
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    for _place, _purpose, label, instruments, text in rows:
        assert label in html
        for tool, line in zip(instruments.split("\n"), text.split("\n")):
            assert re.sub(r"\s+", " ", "{} : {}".format(tool, line)) in shown
