"""eit:zoneoverlay on broken zones and census tables: NULL geometries, a repeated IDZONE, census
rows that cannot be read or match no commune. Each gets a message naming the rows and what to
do, or a refusal with no output; inputs unchanged (hashed)."""
from __future__ import annotations

import pytest
from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsProcessingContext, QgsVectorLayer
from qgis.PyQt.QtCore import QVariant

from tests.qgis.test_alg_import_establishments import RecordingFeedback
from tests.qgis.test_outputs_safety import ZONES, establishments, refused, run, sha, write


@pytest.fixture
def flows(eit_provider, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    return run("eit:estimateflows", {"INPUT": establishments(folder / "est.gpkg"),
                                     "OUTPUT": str(folder / "flows.gpkg")})["OUTPUT"]


def _zones(path, null_geometry=(), idzone=None):
    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:2154", "zone_urba", "memory")
    layer.dataProvider().addAttributes([QgsField(n, QVariant.String) for n in (
        "IDURBA", "LIBELLE", "TYPEZONE", "DESTDOMI", "INSEE", "IDZONE")])
    layer.updateFields()
    for i, (label, typezone, dest, (x0, y0, x1, y1)) in enumerate(ZONES):
        feature = QgsFeature(layer.fields())
        feature.setAttributes(["73065_PLU_20200101", label, typezone, dest, "73065",
                               idzone[i] if idzone else None])
        if i not in null_geometry:
            feature.setGeometry(QgsGeometry.fromWkt("POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(
                x0, y0, x1, y1)))
        layer.dataProvider().addFeature(feature)
    return write(layer, path, "zone_urba")


def _run(params):
    import processing

    feedback = RecordingFeedback()
    processing.run("eit:zoneoverlay", params, context=QgsProcessingContext(), feedback=feedback)
    return " ".join(feedback.errors)


def test_zones_with_null_geometries_are_named_in_one_warning(flows, tmp_path):
    zones = _zones(tmp_path / "plu.gpkg", null_geometry=(1, 3))
    before = sha(tmp_path / "plu.gpkg")
    warnings = _run({"ZONES": zones, "FLOWS": flows, "OUTPUT": str(tmp_path / "z.gpkg")})
    assert "2 of the 4 zones have no geometry" in warnings and "UB" in warnings and "(fid 4)" in warnings, warnings
    assert sha(tmp_path / "plu.gpkg") == before


def test_zones_without_any_geometry_are_refused(flows, tmp_path):
    zones = _zones(tmp_path / "plu.gpkg", null_geometry=(0, 1, 2, 3))
    before = sha(tmp_path / "plu.gpkg")
    message = refused("eit:zoneoverlay", {"ZONES": zones, "FLOWS": flows, "OUTPUT": str(tmp_path / "z.gpkg")})
    assert "None of the 4 zones" in message and "has a geometry" in message, message
    assert not (tmp_path / "z.gpkg").exists()
    assert sha(tmp_path / "plu.gpkg") == before


def test_repeated_idzone_is_said_and_zones_keep_distinct_ids(flows, tmp_path):
    zones = _zones(tmp_path / "plu.gpkg", idzone=["Z1", "Z1", "Z2", None])
    warnings = _run({"ZONES": zones, "FLOWS": flows, "OUTPUT": str(tmp_path / "z.gpkg")})
    assert "IDZONE does not identify the zones" in warnings and "'Z1' × 2" in warnings, warnings
    assert "empty on 1 zones" in warnings
    out = QgsVectorLayer("{}|layername=zones".format(tmp_path / "z.gpkg"), "z", "ogr")
    if not out.isValid():
        out = QgsVectorLayer(str(tmp_path / "z.gpkg"), "z", "ogr")
    ids = [f["zone_id"] for f in out.getFeatures()]
    assert len(ids) == 4 and len(set(ids)) == 4, ids


def test_census_rows_that_cannot_be_used_are_named(flows, tmp_path):
    zones = _zones(tmp_path / "plu.gpkg")
    census = tmp_path / "census.csv"
    census.write_text("insee;dwellings\n73065;100\n73011;beaucoup\n73008;-5\n2A004;10\nABCDE;3\n", encoding="utf-8")
    before = sha(census)
    warnings = _run({"ZONES": zones, "FLOWS": flows, "CENSUS": str(census), "OUTPUT": str(tmp_path / "z.gpkg")})
    assert "2 rows ignored" in warnings and "3: 'beaucoup'" in warnings and "4: '-5'" in warnings, warnings
    assert "not INSEE codes" in warnings and "6: 'ABCDE'" in warnings, warnings
    assert "not among the zones' communes" in warnings and "2A004" in warnings, warnings
    assert sha(census) == before


def test_census_of_another_territory_is_warned_and_wrong_columns_refused(flows, tmp_path):
    zones = _zones(tmp_path / "plu.gpkg")
    census = tmp_path / "census.csv"
    census.write_text("insee;dwellings\n67124;1000\n67551;2000\n", encoding="utf-8")
    warnings = _run({"ZONES": zones, "FLOWS": flows, "CENSUS": str(census), "OUTPUT": str(tmp_path / "z.gpkg")})
    assert "none of its 2 communes is a commune of the zones" in warnings, warnings
    census.write_text("code;nb\n73065;100\n", encoding="utf-8")
    message = refused("eit:zoneoverlay", {"ZONES": zones, "FLOWS": flows, "CENSUS": str(census),
                                          "OUTPUT": str(tmp_path / "z2.gpkg")})
    assert "expected a commune code column" in message and "columns found: code, nb" in message, message
    assert not (tmp_path / "z2.gpkg").exists()


@pytest.mark.parametrize("name,content,expected", [
    ("layout.txt", "not a layout", "is not a .qpt file"),
    ("layout.qpt", "<Layout><PageCollection>", "has no map item with the id 'map'"),
    ("layout.qpt", '<Layout name="x" units="mm"><PageCollection/></Layout>', "has no map item with the id 'map'"),
    ("missing.qpt", None, "file not found"),
])
def test_a_bad_layout_template_is_refused_before_any_work(eit_provider, tmp_path, name, content, expected):
    template = tmp_path / name
    if content is not None:
        template.write_text(content, encoding="utf-8")
    stock = tmp_path / "stock.csv"
    stock.write_text("siret,activitePrincipaleEtablissement,trancheEffectifsEtablissement,codeCommuneEtablissement,"
                     "coordonneeLambertAbscisseEtablissement,coordonneeLambertOrdonneeEtablissement\n"
                     "12345678900015,10.51C,12,73065,925100.0,6504100.0\n", encoding="utf-8")
    zones = _zones(tmp_path / "plu.gpkg")
    message = refused("eit:fullanalysis", {"SIRENE_FILE": str(stock), "ZONES": zones, "LAYOUT_TEMPLATE": str(template),
                                           "OUTPUT_GPKG": str(tmp_path / "out" / "eit.gpkg"),
                                           "REPORT": str(tmp_path / "out" / "rapport.html")})
    assert "LAYOUT_TEMPLATE" in message and expected in message, message
    assert "Incorrect parameter value" not in message
    assert not (tmp_path / "out").exists()
