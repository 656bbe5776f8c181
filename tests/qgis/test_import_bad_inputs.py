"""eit:importestablishments on real rows geocoded with the BAN and on broken files: accepted,
repaired with a warning naming the rows, or refused with a reason, never silently; inputs
unchanged (hashed)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.qgis.test_alg_import_establishments import RecordingFeedback, run, run_error, skipped_counts

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
# Real INSEE rows of Lingolsheim (67551) and Entzheim (67124), 2021 stock joined with the
# legal units and geocoded with the BAN by gordesch/diag (Windows-1252, latitude/longitude).
BAN = REAL / "entzheim_sirene_ban_cp1252.csv"
STOCK_2021 = REAL / "entzheim_stock_2021.csv"  # the same rows, no coordinates
GEOLOC_BAN = REAL / "entzheim_geoloc_ban_epsg4326.csv"  # their BAN points, geolocation format, epsg 4326

HEADER = ("siret,activitePrincipaleEtablissement,trancheEffectifsEtablissement,codeCommuneEtablissement,"
          "coordonneeLambertAbscisseEtablissement,coordonneeLambertOrdonneeEtablissement")
# Valid SIRETs (Luhn) of the test files.
SIRETS = ["12345678900015", "23456789000012", "89012345000012", "48151623000010", "90000000100017",
          "90000035700013", "90000042300013", "11111111100018", "22222222200019", "33333333300010",
          "44444444400011"]

# Valid SIRETs of three more establishments of Chambéry (73065), to confirm a repaired point.
NEIGHBOURS = ["73200000000008", "73200000000016", "73200000000024"]


def sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def lingolsheim_area(tmp_path) -> str:
    """A WGS84 GeoJSON square around the Lingolsheim (67551) rows only."""
    ring = [[7.64, 48.55], [7.68, 48.55], [7.68, 48.60], [7.64, 48.60], [7.64, 48.55]]
    path = tmp_path / "lingolsheim.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]}))
    return str(path)


def test_ban_geocoded_stock_in_windows_1252_is_accepted(eit_provider, tmp_path):
    before = sha(BAN)
    results, out, skipped = run({"INPUT": str(BAN)})
    counts = skipped_counts(skipped)
    assert results["N_ESTABLISHMENTS"] == 30, counts  # 32 rows, 2 without a BAN point
    assert counts.get("no_coordinates") == 2
    names = {f["name"] for f in out.getFeatures()}
    assert "AEROPORT INTERNATIONAL DE STRASBOURG" in names, names  # a Windows-1252 file ("Allée") read
    xs = [f.geometry().asPoint().x() for f in out.getFeatures()]
    assert all(1_040_000 < x < 1_060_000 for x in xs), xs  # Lambert-93 around Strasbourg
    assert sha(BAN) == before


def test_rows_outside_area_are_counted_as_outside_not_as_without_coordinates(eit_provider, tmp_path):
    area = lingolsheim_area(tmp_path)
    _, out, skipped = run({"INPUT": str(BAN), "AREA": area})
    counts = skipped_counts(skipped)
    assert out.featureCount() == 20 and counts["outside_area"] == 10 and counts["no_coordinates"] == 2, counts
    # The same rows as a 2021 stock without coordinates + a geolocation file (epsg 4326 per row).
    _, out, skipped = run({"INPUT": str(STOCK_2021), "GEOLOCATION": str(GEOLOC_BAN), "AREA": area})
    counts = skipped_counts(skipped)
    assert out.featureCount() == 20, counts
    assert counts["outside_area"] == 10 and counts["no_coordinates"] == 2, counts


def _stock(tmp_path, rows, name="stock.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_implausible_coordinates_are_refused_by_reason(eit_provider, tmp_path):
    path = _stock(tmp_path, [
        "{},10.51C,12,73065,925100.0,6504100.0".format(SIRETS[0]),
        "{},10.51C,12,73065,0,0".format(SIRETS[1]),                      # (0, 0)
        "{},10.51C,12,73065,5.92,45.57".format(SIRETS[2]),               # degrees as Lambert-93
        "{},10.51C,12,73065,1e12,1e12".format(SIRETS[3]),                # 1e12
        "{},10.51C,12,73065,6504200.0,925200.0".format(SIRETS[4]),       # x and y swapped
        # Three more establishments of the commune: their points confirm the exchanged one.
        *("{},10.51C,12,73065,{:.1f},6504000.0".format(s, 925000.0 + 100 * i) for i, s in enumerate(NEIGHBOURS)),
    ])
    before = sha(path)
    feedback = RecordingFeedback()
    _, out, skipped = run({"INPUT": str(path)}, feedback)
    counts = skipped_counts(skipped)
    assert counts["zero_coordinates"] == 1 and counts["degrees_as_metres"] == 1 and counts["out_of_extent"] == 1
    assert counts["axes_swapped"] == 1, counts
    kept = {f["siret"]: f.geometry().asPoint() for f in out.getFeatures()}
    assert set(kept) == {SIRETS[0], SIRETS[4], *NEIGHBOURS}
    assert kept[SIRETS[4]].x() == pytest.approx(925200.0) and kept[SIRETS[4]].y() == pytest.approx(6504200.0)
    warnings = " ".join(feedback.errors)
    assert "swapped" in warnings and SIRETS[4] in warnings, warnings
    assert "(0, 0)" in warnings and "degrees" in warnings
    assert sha(path) == before


def test_swapped_axes_without_a_source_that_agrees_are_skipped_not_repaired(eit_provider, tmp_path):
    """x/y exchanged is repaired only when another source agrees: alone in its commune, or far
    from the commune's other establishments, the row is skipped with its own reason."""
    rows = ["{},10.51C,12,73065,{:.1f},6504000.0".format(s, 925000.0 + 100 * i) for i, s in enumerate(NEIGHBOURS)]
    rows += [
        "{},10.51C,12,73065,6504200.0,925200.0".format(SIRETS[4]),   # swapped, near its commune: repaired
        "{},10.51C,12,73065,6804200.0,725200.0".format(SIRETS[5]),   # swapped, 300 km from its commune
        "{},10.51C,12,38185,6458000.0,915000.0".format(SIRETS[6]),   # swapped, alone in its commune
    ]
    path = _stock(tmp_path, rows)
    before = sha(path)
    feedback = RecordingFeedback()
    _, out, skipped = run({"INPUT": str(path)}, feedback)
    counts = skipped_counts(skipped)
    assert counts["axes_swapped"] == 1 and counts["axes_swapped_unconfirmed"] == 2, counts
    kept = {f["siret"] for f in out.getFeatures()}
    assert kept == {SIRETS[4], *NEIGHBOURS}
    warnings = " ".join(feedback.errors)
    assert "not repaired" in warnings and SIRETS[5] in warnings and SIRETS[6] in warnings, warnings
    assert sha(path) == before


def test_swapped_geolocation_point_is_repaired_only_when_the_stock_agrees(eit_provider, tmp_path):
    rows = ["{},10.51C,12,73065,925000.0,6504000.0".format(SIRETS[0]),
            "{},10.51C,12,73065,925000.0,6504000.0".format(SIRETS[1])]
    path = _stock(tmp_path, rows)
    geoloc = tmp_path / "geoloc.csv"
    geoloc.write_text("siret;x;y;qualite_xy;epsg\n"
                      "{};6504100.0;925100.0;11;2154\n"   # swapped, 140 m from the stock's point: repaired
                      "{};6554000.0;905000.0;11;2154\n".format(SIRETS[0], SIRETS[1]),  # swapped, 54 km away
                      encoding="utf-8")
    before = sha(geoloc)
    feedback = RecordingFeedback()
    _, out, skipped = run({"INPUT": str(path), "GEOLOCATION": str(geoloc)}, feedback)
    counts = skipped_counts(skipped)
    assert counts["axes_swapped"] == 1 and counts["axes_swapped_unconfirmed"] == 1, counts
    kept = {f["siret"]: f.geometry().asPoint() for f in out.getFeatures()}
    assert kept[SIRETS[0]].x() == pytest.approx(925100.0)
    # Not repaired: the stock's own Lambert point is used instead of the doubtful geolocation one.
    assert kept[SIRETS[1]].x() == pytest.approx(925000.0) and kept[SIRETS[1]].y() == pytest.approx(6504000.0)
    assert SIRETS[1] in " ".join(feedback.errors)
    assert sha(geoloc) == before


def test_geolocation_point_far_from_its_commune_and_from_the_stock_is_flagged(eit_provider, tmp_path):
    rows = ["{},47.11F,12,73065,{:.1f},{:.1f}".format(s, 925000.0 + 50 * i, 6504000.0) for i, s in enumerate(SIRETS[:6])]
    rows.append("{},47.11F,12,73065,1000000.0,6504000.0".format(SIRETS[6]))  # 75 km east of Chambéry
    path = _stock(tmp_path, rows)
    geoloc = tmp_path / "geoloc.csv"
    geoloc.write_text("siret;x;y;qualite_xy;epsg\n{};960000.0;6504000.0;11;2154\n".format(SIRETS[0]), encoding="utf-8")
    feedback = RecordingFeedback()
    _, out, skipped = run({"INPUT": str(path), "GEOLOCATION": str(geoloc)}, feedback)
    counts = skipped_counts(skipped)
    assert counts["geo_far_from_stock"] == 1 and counts["far_from_commune"] == 2, counts
    warnings = " ".join(feedback.errors)
    assert SIRETS[6] in warnings and SIRETS[0] in warnings, warnings


def test_unclosed_quote_names_the_line_and_the_rows_lost(eit_provider, tmp_path):
    rows = ["{},47.11F,12,73065,925000.0,6504000.0".format(s) for s in SIRETS[:8]]
    rows[2] = '{},47.11F,12,"73065,925000.0,6504000.0'.format(SIRETS[2])  # the quote opens on line 4
    path = _stock(tmp_path, rows)
    feedback = RecordingFeedback()
    _, out, _ = run({"INPUT": str(path)}, feedback)
    warnings = " ".join(feedback.errors)
    assert "Line 4" in warnings and "6 rows are lost" in warnings, warnings
    assert out.featureCount() == 2


def test_no_area_hint_without_area_and_xlsx_is_told_to_be_saved_as_csv(eit_provider, tmp_path):
    path = _stock(tmp_path, ["{},47.11F,12,73065,0,0".format(SIRETS[0])])
    feedback = RecordingFeedback()
    run({"INPUT": str(path)}, feedback)
    assert "No establishment was kept" in " ".join(feedback.errors)
    assert "AREA" not in " ".join(feedback.errors)
    xlsx = tmp_path / "StockEtablissement.xlsx"
    xlsx.write_bytes(b"PK\x03\x04 not really a workbook")
    message = run_error({"INPUT": str(xlsx)})
    assert "save it as CSV" in message and "bug" not in message, message
