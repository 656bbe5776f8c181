"""eit:importestablishments through Processing: real reprojection of per-row EPSG, the AREA
test with a spatial index, the SKIPPED table, layer input and the error messages."""
from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)

DATA = Path(__file__).resolve().parents[1] / "data"
STOCK = str(DATA / "sirene_stock_small.csv")
GEOLOC = str(DATA / "sirene_geoloc_small.csv")
AREA = str(DATA / "sirene_area_small.geojson")  # WGS84: reprojected on reading
CP1252 = str(DATA / "sirene_stock_cp1252.csv")


class RecordingFeedback(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.infos, self.errors = [], []

    def pushInfo(self, info):
        self.infos.append(info)

    def reportError(self, error, fatalError=False):
        self.errors.append(error)


def processing_run(params, context=None, feedback=None):
    """``processing.run('eit:importestablishments', ...)``. While base.EitAlgorithm.run shadows
    QgsProcessingAlgorithm.run (reported to the lead: processing.run then calls the
    subclass's run with the wrong arguments), go through the C++ run as qgis_process does."""
    import processing
    from qgis.core import QgsApplication, QgsProcessingAlgorithm

    alg = QgsApplication.processingRegistry().createAlgorithmById("eit:importestablishments")
    if type(alg).run is QgsProcessingAlgorithm.run:
        return processing.run("eit:importestablishments", params, context=context, feedback=feedback)
    context = context or QgsProcessingContext()
    results, ok = QgsProcessingAlgorithm.run(alg, params, context, feedback or QgsProcessingFeedback(), {}, False)
    assert ok
    return results


def run(params, feedback=None):
    params = {"OUTPUT": "memory:", "SKIPPED": "memory:", **params}
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    results = processing_run(params, context=context, feedback=feedback)
    out = context.getMapLayer(results["OUTPUT"]) if isinstance(results["OUTPUT"], str) else results["OUTPUT"]
    skipped = context.getMapLayer(results["SKIPPED"]) if isinstance(results["SKIPPED"], str) else results["SKIPPED"]
    context.takeResultLayer(out.id())
    context.takeResultLayer(skipped.id())
    return results, out, skipped


def features(layer):
    return {f["siret"]: f for f in layer.getFeatures()}


def skipped_counts(layer):
    return {f["category"]: f["count"] for f in layer.getFeatures()}


def run_error(params):
    """The message the user sees when the algorithm refuses its input."""
    from qgis.core import QgsProcessingException

    feedback = RecordingFeedback()
    with pytest.raises(QgsProcessingException) as err:
        processing_run({"OUTPUT": "memory:", "SKIPPED": "memory:", **params}, feedback=feedback)
    return " ".join(feedback.errors + [str(err.value)])


def test_geolocated_import_with_area(eit_provider):
    feedback = RecordingFeedback()
    results, out, skipped = run({"INPUT": STOCK, "GEOLOCATION": GEOLOC, "AREA": AREA}, feedback)
    assert out.crs().authid() == "EPSG:2154"
    assert [f.name() for f in out.fields()] == ["siret", "name", "naf", "naf_label", "headcount_band",
                                                "headcount_est", "insee_commune", "geocode_quality"]
    rows = features(out)
    assert sorted(rows) == sorted(["12345678900015", "23456789000012", "56789012000015", "35600000049837",
                                   "13579135000014", "24680246000013", "36925814000010", "48151623000010"])
    assert results["N_ESTABLISHMENTS"] == 8
    # Per-row EPSG: 27572 (NTF Lambert II étendu), 4326 and 3857 rows land on their Lambert-93 spot.
    for siret, expected in (("12345678900015", (925000.0, 6504000.0)), ("56789012000015", (926250.0, 6505500.0)),
                            ("24680246000013", (926250.0, 6505500.0))):
        point = rows[siret].geometry().asPoint()
        assert math.hypot(point.x() - expected[0], point.y() - expected[1]) < 1.0, siret
    dairy = rows["12345678900015"]
    assert dairy["name"] == "Laiterie de Chambéry" and dairy["naf"] == "10.51C"
    assert dairy["headcount_band"] == "12" and dairy["headcount_est"] == 34.5
    assert dairy["geocode_quality"] == "12" and dairy["insee_commune"] == "73065"
    assert dairy["naf_label"] == "Fabrication de fromage"
    counts = skipped_counts(skipped)
    assert counts == {
        "malformed_row": 1, "closed": 1, "nd_value": 1, "bad_coordinates": 1, "outside_area": 1,
        "invalid_siret": 1, "bad_naf": 2, "duplicate_siret": 1,
        "unknown_naf": 1, "headcount_unknown": 1, "bad_headcount_band": 1, "nd_kept": 1, "coordinates_from_stock": 4,
        "geo_unknown_epsg": 1, "geo_nd": 1, "geo_outside_area": 1, "geo_duplicate": 1, "geo_unmatched": 1,
    }
    assert results["N_SKIPPED"] == 9
    log = "\n".join(feedback.infos)
    assert "rows skipped: 9" in log or "lignes écartées : 9" in log
    assert "78901234000012" in log  # the outside-AREA example is named
    assert "EPSG:2154" in log


def test_stock_coordinates_without_area_or_geolocation(eit_provider):
    _, out, skipped = run({"INPUT": STOCK, "ACTIVE_ONLY": False})
    rows = features(out)
    assert len(rows) == 9  # the closed one is kept, the one outside the square too
    assert "34567890000019" in rows and "78901234000012" in rows
    assert rows["12345678900015"].geometry().asPoint() == QgsPointXY(925100.0, 6504100.0)
    assert "closed" not in skipped_counts(skipped)


def test_windows_1252_semicolon_file(eit_provider):
    _, out, _ = run({"INPUT": CP1252})
    names = sorted(f["name"] for f in out.getFeatures())
    assert names == ["Chaudronnerie ; Métallerie", "Fromagerie « Beaufortain » — Hauteluce", "Scierie Dupré & Fils"]


def test_point_layer_input_in_another_crs(eit_provider):
    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=SIRET:string&field=naf:string&field=headcount_band:integer"
                           "&field=x:double", "firms", "memory")
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["12345678900015", "1051C", 3, 1.0])  # band stored as a number, a stray x field
    feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(5.903557742, 45.611582424)))
    empty = QgsFeature(layer.fields())
    empty.setAttributes(["23456789000012", "10.51C", 3, 2.0])
    layer.dataProvider().addFeatures([feature, empty])
    QgsProject.instance().addMapLayer(layer)
    try:
        _, out, skipped = run({"INPUT_LAYER": layer.id(), "AREA": AREA})
        assert layer.featureCount() == 2  # input untouched
        assert [f["SIRET"] for f in layer.getFeatures()] == ["12345678900015", "23456789000012"]
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
    rows = features(out)
    assert list(rows) == ["12345678900015"]
    point = rows["12345678900015"].geometry().asPoint()
    assert math.hypot(point.x() - 926250.0, point.y() - 6505500.0) < 1.0
    assert rows["12345678900015"]["naf"] == "10.51C" and rows["12345678900015"]["headcount_band"] == "03"
    assert skipped_counts(skipped)["no_coordinates"] == 1


def test_area_filter_uses_every_polygon_and_holes(eit_provider):
    from eit_plugin.qgis_io.establishments import AreaFilter

    layer = QgsVectorLayer("Polygon?crs=EPSG:2154", "area", "memory")
    a = QgsFeature()
    a.setGeometry(QgsGeometry.fromWkt("POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (4 4, 6 4, 6 6, 4 6, 4 4))"))
    b = QgsFeature()
    b.setGeometry(QgsGeometry.fromWkt("POLYGON((100 100, 110 100, 110 110, 100 110, 100 100))"))
    layer.dataProvider().addFeatures([a, b])
    keep = AreaFilter(layer)
    assert keep(1, 1) and keep(105, 105) and keep(10, 5)  # inside either polygon, or on an edge
    assert not keep(5, 5)  # in the hole
    assert not keep(50, 50)  # between the polygons, inside the overall extent
    assert not keep(-1, 5)


def test_missing_column_is_named_with_the_columns_found(eit_provider, tmp_path):
    path = tmp_path / "no_band.csv"
    path.write_text("siret,activitePrincipaleEtablissement,x,y,epsg\n12345678900015,10.51C,925000,6504000,2154\n",
                    encoding="utf-8")
    message = run_error({"INPUT": str(path)})
    assert "'trancheEffectifsEtablissement'" in message
    assert "siret, activitePrincipaleEtablissement, x, y, epsg" in message


def test_no_input_is_explained(eit_provider):
    message = run_error({})
    assert "INPUT" in message and "INPUT_LAYER" in message


def test_input_files_are_not_modified(eit_provider, tmp_path):
    stock = tmp_path / "stock.csv"
    shutil.copy(STOCK, stock)
    before = stock.read_bytes()
    run({"INPUT": str(stock), "AREA": AREA})
    assert stock.read_bytes() == before


def test_crs_of_the_output_is_lambert93_whatever_the_area_crs(eit_provider):
    assert QgsCoordinateReferenceSystem("EPSG:4326").isValid()
    _, out, _ = run({"INPUT": STOCK, "AREA": AREA})
    assert out.crs().authid() == "EPSG:2154"
    assert out.featureCount() == 7
