"""SIRENE import in core: SIRET/NAF validation, headcount bands, and the streaming reader's
decisions (which rows are kept, which are skipped and under which reason), without QGIS."""
from __future__ import annotations

import math
import zipfile
from pathlib import Path

import pytest

from eit_plugin.core import sirene
from eit_plugin.core.errors import EitInputError
from eit_plugin.core.feedback import Feedback

DATA = Path(__file__).resolve().parents[1] / "data"
STOCK = DATA / "sirene_stock_small.csv"
GEOLOC = DATA / "sirene_geoloc_small.csv"
CP1252 = DATA / "sirene_stock_cp1252.csv"

# Every NAF code of the small file that exists (10.51Q does not).
LABELS = {code: "label " + code for code in
          ("10.51C", "10.51A", "16.10A", "22.22Z", "25.62A", "25.62B", "46.90Z", "41.20B", "53.10Z",
           "10.51B", "56.10A", "35.11Z", "38.21Z", "25.11Z")}


def in_square(x, y):
    """The test study area: 920-930 km x 6500-6510 km in Lambert-93."""
    return 920000 <= x <= 930000 and 6500000 <= y <= 6510000


# --- SIRET ------------------------------------------------------------------------------------
@pytest.mark.parametrize("siret", ["12345678900015", "73282932000074", " 12345678900015 ", "123 456 789 00015"])
def test_valid_siret_accepts_luhn_keys(siret):
    assert sirene.valid_siret(siret)


@pytest.mark.parametrize("siret", ["12345678900016", "1234567890001", "123456789000150", "1234567890001A", "", None,
                                   "[ND]"])
def test_valid_siret_rejects_wrong_key_length_or_characters(siret):
    assert not sirene.valid_siret(siret)


def test_la_poste_establishments_use_the_digit_sum_rule():
    assert sirene.valid_siret("35600000049837")  # digit sum 45, Luhn key wrong
    assert not sirene._luhn_ok("35600000049837")
    assert sirene.valid_siret("35600000000048")  # the head office passes Luhn
    assert not sirene.valid_siret("35600000049838")  # digit sum 46
    # The digit-sum rule is La Poste's only: another SIREN with a multiple-of-5 sum fails.
    assert not sirene.valid_siret("12345678900010")


def test_siret_stored_as_a_number_gets_its_leading_zero_back():
    assert sirene.normalise_siret(5520135000011) == "05520135000011"
    assert sirene.normalise_siret(5520135000011.0) == "05520135000011"


# --- NAF --------------------------------------------------------------------------------------
def test_naf_format_and_normalisation():
    assert sirene.normalise_naf("1051C") == "10.51C"
    assert sirene.normalise_naf(" 10.51c ") == "10.51C"
    assert sirene.valid_naf("10.51C") and sirene.valid_naf("1051C")
    for bad in ("10.5", "10.51", "10.51CC", "A10.51", "", None, "[ND]", "04.11Z", "34.10Z"):
        assert not sirene.valid_naf(bad), bad


@pytest.mark.parametrize("code,section", [("01.11Z", "A"), ("08.11Z", "B"), ("10.51C", "C"), ("1051C", "C"),
                                          ("33.20A", "C"), ("35.11Z", "D"), ("38.21Z", "E"), ("41.20B", "F"),
                                          ("47.11F", "G"), ("53.10Z", "H"), ("56.10A", "I"), ("63.11Z", "J"),
                                          ("68.20A", "L"), ("84.11Z", "O"), ("86.10Z", "Q"), ("93.11Z", "R"),
                                          ("96.01A", "S"), ("97.00Z", "T"), ("99.00Z", "U"), ("10", "C"), ("10.5", "C")])
def test_naf_section(code, section):
    assert sirene.naf_section(code) == section


def test_naf_section_of_a_missing_division_is_none():
    assert sirene.naf_section("04.10Z") is None
    assert sirene.naf_section("xx") is None


# --- headcount bands --------------------------------------------------------------------------
def test_headcount_bands_cover_every_insee_band_with_an_estimate_inside_the_band():
    expected = ["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41", "42", "51", "52", "53"]
    assert list(sirene.HEADCOUNT_BANDS) == expected
    for band, (low, high, estimate) in sirene.HEADCOUNT_BANDS.items():
        assert low <= estimate <= (high if high is not None else math.inf), band


@pytest.mark.parametrize("band,estimate", [("NN", 0.0), ("", 0.0), (None, 0.0), ("00", 0.0), ("01", 1.5),
                                           ("1", 1.5), (1, 1.5), ("03", 7.5), ("12", 34.5), ("21", 74.5),
                                           ("32", 374.5), ("42", 1499.5), ("53", 10000.0)])
def test_headcount_estimate(band, estimate):
    assert sirene.headcount_estimate(band) == estimate


def test_headcount_nn_is_flagged_unknown_and_a_non_band_is_refused():
    assert not sirene.headcount_known("NN") and not sirene.headcount_known("")
    assert sirene.headcount_known("00") and sirene.headcount_known("12")
    with pytest.raises(ValueError):
        sirene.headcount_estimate("99")


def test_epsg_for_commune():
    assert sirene.epsg_for_commune("73065") == 2154
    assert sirene.epsg_for_commune("2A004") == 2154
    assert sirene.epsg_for_commune("97411") == 2975
    assert sirene.epsg_for_commune("97209") == 5490
    assert sirene.epsg_for_commune("97302") == 2972
    assert sirene.epsg_for_commune("99134") is None


# --- the reader -------------------------------------------------------------------------------
def run(stock=STOCK, **kwargs):
    kwargs.setdefault("naf_labels", LABELS)
    frame, report = sirene.read_establishments(stock, **kwargs)
    return frame, report


def test_small_file_each_skip_reason_counted_exactly_once():
    frame, report = run()
    assert report.rows_read == 17
    assert report.counts == {
        "malformed_row": 1, "closed": 1, "nd_value": 1, "no_coordinates": 1, "bad_coordinates": 1,
        "invalid_siret": 1, "bad_naf": 2, "duplicate_siret": 1,
        "unknown_naf": 1, "headcount_unknown": 1, "bad_headcount_band": 1, "nd_kept": 1,
    }
    assert report.rows_kept == len(frame) == 8
    assert report.skipped() == 9
    assert report.rows_read == report.rows_kept + report.skipped()
    assert list(frame["siret"]) == ["12345678900015", "23456789000012", "78901234000012", "35600000049837",
                                    "13579135000014", "24680246000013", "36925814000010", "48151623000010"]
    # Example rows name the file line and the SIRET, so the user can find them.
    assert report.examples["duplicate_siret"] == ["12 (12345678900015)"]
    assert report.examples["bad_naf"] == ["11 (90123456000018)", "17 (77788899000010)"]
    assert report.examples["malformed_row"] == ["18 (11122233000016)"]


def test_small_file_values_of_kept_establishments():
    frame, _ = run()
    rows = frame.set_index("siret")
    dairy = rows.loc["12345678900015"]
    assert dairy["name"] == "Laiterie de Chambéry"  # denominationUsuelle before enseigne
    assert dairy["naf"] == "10.51C" and dairy["naf_label"] == "label 10.51C"
    assert dairy["headcount_band"] == "12" and dairy["headcount_est"] == 34.5
    assert dairy["insee_commune"] == "73065"
    assert (dairy["x"], dairy["y"]) == (925100.0, 6504100.0)
    cheese = rows.loc["23456789000012"]
    assert cheese["name"] == "Fromagerie des Bauges"  # enseigne when no denominationUsuelle
    assert cheese["naf"] == "10.51A"  # written 1051A in the file
    assert rows.loc["35600000049837", "headcount_est"] == 74.5  # La Poste kept
    assert rows.loc["13579135000014", "naf_label"] == ""  # unknown sub-class: kept, no label
    assert rows.loc["24680246000013", ["headcount_band", "headcount_est"]].tolist() == ["NN", 0.0]
    assert rows.loc["36925814000010", ["headcount_band", "headcount_est"]].tolist() == ["NN", 0.0]
    assert rows.loc["48151623000010", "name"] == ""  # [ND] name not written out


def test_area_filter_and_inactive_rows():
    frame, report = run(keep=in_square)
    assert report.count("outside_area") == 1
    assert report.examples["outside_area"] == ["8 (78901234000012)"]
    assert len(frame) == 7
    frame, report = run(active_only=False)
    assert report.count("closed") == 0
    assert "34567890000019" in set(frame["siret"])


def test_without_labels_naf_codes_are_checked_for_format_only():
    frame, report = run(naf_labels=None)
    assert report.count("unknown_naf") == 0
    assert len(frame) == 8
    assert set(frame["naf_label"]) == {""}


def fake_transformer(epsg):
    """Stands in for QgsCoordinateTransform: the geolocation test's points, by EPSG."""
    known = {
        4326: {(5.903557742, 45.611582424): (926250.0, 6505500.0)},
        27572: {(876932.700694, 2072712.046169): (925000.0, 6504000.0)},
        3857: {(657181.041756, 5718322.019702): (926250.0, 6505500.0)},
    }
    if epsg not in known:
        return None
    return lambda x, y: known[epsg][(x, y)]


def test_geolocation_file_joined_with_per_row_epsg():
    calls = []

    def transformer(epsg):
        calls.append(epsg)
        return fake_transformer(epsg)

    frame, report = run(geolocation=GEOLOC, transformer=transformer, keep=in_square)
    assert report.geo_rows_read == 9 and report.geo_rows_kept == 5
    assert {k: v for k, v in report.counts.items() if k.startswith("geo_")} == {
        "geo_unknown_epsg": 1, "geo_nd": 1, "geo_outside_area": 1, "geo_duplicate": 1, "geo_unmatched": 1}
    assert report.examples["geo_unmatched"] == ["10 (11111111111116)"]
    # L6 has no coordinates in the stock but has them in the geolocation file (EPSG:4326).
    assert report.count("no_coordinates") == 0
    assert report.count("outside_area") == 1 and report.count("bad_coordinates") == 1
    assert report.count("coordinates_from_stock") == 4
    assert len(frame) == 8
    rows = frame.set_index("siret")
    assert rows.loc["56789012000015", ["x", "y", "geocode_quality"]].tolist() == [926250.0, 6505500.0, "11"]
    # The geolocation file wins over the stock's own columns (27572 there, 925100/6504100 in the stock).
    assert rows.loc["12345678900015", ["x", "y", "geocode_quality"]].tolist() == [925000.0, 6504000.0, "12"]
    assert rows.loc["23456789000012", "geocode_quality"] == "21"  # first of the duplicates
    assert rows.loc["24680246000013", ["x", "y"]].tolist() == [926250.0, 6505500.0]
    # One transform per EPSG code, not per row.
    assert sorted(calls) == [3857, 4326, 27572, 9999999]


def test_without_a_transformer_other_epsg_rows_are_reported_not_misplaced():
    frame, report = run(geolocation=GEOLOC)
    assert report.count("geo_unknown_epsg") == 4  # 4326, 27572, 9999999, 3857
    assert "56789012000015" not in set(frame["siret"])


def test_overseas_stock_coordinates_use_the_legal_projection(tmp_path):
    path = tmp_path / "reunion.csv"
    path.write_text(
        "siret,activitePrincipaleEtablissement,trancheEffectifsEtablissement,codeCommuneEtablissement,"
        "coordonneeLambertAbscisseEtablissement,coordonneeLambertOrdonneeEtablissement\n"
        "12345678900015,10.51C,12,97411,338000,7690000\n", encoding="utf-8")
    seen = []
    frame, _ = run(path, transformer=lambda epsg: seen.append(epsg) or (lambda x, y: (x + 1, y + 1)))
    assert seen == [2975]
    assert frame[["x", "y"]].values.tolist() == [[338001.0, 7690001.0]]


def test_windows_1252_semicolon_file():
    frame, report = run(CP1252)
    assert report.rows_read == 3 and len(frame) == 3
    assert list(frame["name"]) == ["Scierie Dupré & Fils", "Fromagerie « Beaufortain » — Hauteluce",
                                   "Chaudronnerie ; Métallerie"]
    assert frame.loc[0, "x"] == 925000.5  # decimal comma


def test_bom_and_a_late_windows_1252_accent_in_a_utf8_file(tmp_path):
    header = "siret,activitePrincipaleEtablissement,trancheEffectifsEtablissement,x,y,epsg,denominationUsuelleEtablissement\n"
    filler = "".join("12345678900015,10.51C,12,925000,6504000,2154,Ferme\n" for _ in range(30000))
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (header + filler).encode("utf-8") + "23456789000012,10.51C,12,925000,6504000,2154,Scierie Dupré\n".encode("cp1252"))
    frame, report = run(path)
    assert report.count("duplicate_siret") == 29999
    assert frame["siret"].tolist() == ["12345678900015", "23456789000012"]
    assert frame.loc[1, "name"] == "Scierie Dupré"


def test_zipped_stock_is_read_without_unpacking(tmp_path):
    archive = tmp_path / "StockEtablissement_utf8.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(STOCK, "StockEtablissement_utf8.csv")
    frame, report = run(archive)
    assert len(frame) == 8 and report.rows_read == 17


def test_missing_column_message_names_it_and_lists_the_columns(tmp_path):
    path = tmp_path / "no_naf.csv"
    path.write_text("siret,trancheEffectifsEtablissement,x,y\n12345678900015,12,925000,6504000\n", encoding="utf-8")
    with pytest.raises(EitInputError) as err:
        run(path)
    message = str(err.value)
    assert "'activitePrincipaleEtablissement'" in message
    assert "siret, trancheEffectifsEtablissement, x, y" in message
    assert "no_naf.csv" in message


def test_stock_header_is_checked_before_the_long_geolocation_pass(tmp_path):
    path = tmp_path / "no_naf.csv"
    path.write_text("siret,trancheEffectifsEtablissement\n12345678900015,12\n", encoding="utf-8")
    with pytest.raises(EitInputError, match="activitePrincipaleEtablissement"):
        run(path, geolocation=tmp_path / "not_read_yet.csv")


def test_no_coordinate_columns_and_no_geolocation_is_an_error(tmp_path):
    path = tmp_path / "no_xy.csv"
    path.write_text("siret,activitePrincipaleEtablissement,trancheEffectifsEtablissement\n12345678900015,10.51C,12\n",
                    encoding="utf-8")
    with pytest.raises(EitInputError, match="coordonneeLambertAbscisseEtablissement"):
        run(path)


def test_missing_geolocation_column(tmp_path):
    path = tmp_path / "geo.csv"
    path.write_text("siret;x;y\n12345678900015;925000;6504000\n", encoding="utf-8")
    with pytest.raises(EitInputError, match="'epsg'"):
        run(geolocation=path)


def test_missing_state_column_is_said_not_silent(tmp_path):
    path = tmp_path / "joined.csv"
    path.write_text("siret,naf,headcount_band,x,y,epsg\n12345678900015,10.51C,12,925000,6504000,2154\n",
                    encoding="utf-8")
    frame, report = run(path)
    assert len(frame) == 1
    assert any("etatAdministratifEtablissement" in m for m in report.messages)


def test_unbalanced_quote_error_names_the_line(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text("siret,activitePrincipaleEtablissement,trancheEffectifsEtablissement,x,y\n"
                    '12345678900015,10.51C,12,925000,6504000\n"23456789000012,10.51C,12,925000,6504000\n',
                    encoding="utf-8")
    frame, report = run(path)  # the open quote swallows the end of the file: one malformed row
    assert report.count("malformed_row") == 1 and len(frame) == 1


def test_report_table_and_summary():
    _, report = run(keep=in_square)
    rows = report.rows()
    assert [r["category"] for r in rows][:3] == ["malformed_row", "closed", "nd_value"]
    closed = next(r for r in rows if r["category"] == "closed")
    assert closed == {"category": "closed", "action": "skipped", "count": 1,
                      "label_fr": "Établissement fermé (etatAdministratifEtablissement = F)",
                      "label_en": "Closed establishment (etatAdministratifEtablissement = F)",
                      "examples": "4 (34567890000019)"}
    english = report.summary_lines(french=False)
    assert english[0] == "Rows read: 17; establishments kept: 7; rows skipped: 10."
    assert "  Outside the study area (AREA): 1 rows skipped (e.g. line (SIRET): 8 (78901234000012))" in english
    assert report.summary_lines(french=True)[0].startswith("Lignes lues : 17 ; établissements retenus : 7")


def test_progress_and_cancellation(tmp_path):
    header = "siret,activitePrincipaleEtablissement,trancheEffectifsEtablissement,x,y\n"
    path = tmp_path / "big.csv"
    path.write_text(header + "12345678900015,10.51C,12,925000,6504000\n" * 20000, encoding="utf-8")

    class Cancelling(Feedback):
        def is_cancelled(self):
            return True

    from eit_plugin.core.errors import EitCancelled

    with pytest.raises(EitCancelled):
        run(path, feedback=Cancelling())
    feedback = Feedback()
    run(path, feedback=feedback)
    assert feedback.progress == 100.0


def test_input_file_is_not_modified():
    before = STOCK.read_bytes()
    run(geolocation=GEOLOC, transformer=fake_transformer, keep=in_square)
    assert STOCK.read_bytes() == before


def test_utf16_file_is_refused_with_how_to_save_it(tmp_path):
    path = tmp_path / "stock.csv"
    path.write_bytes("siret,activitePrincipaleEtablissement,trancheEffectifsEtablissement\n".encode("utf-16"))
    with pytest.raises(EitInputError, match="UTF-16.*save it as CSV UTF-8"):
        sirene.CsvRows(path)


def _luhn_reference(digits):
    """The Luhn key, digit by digit."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = ord(char) - 48
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


def test_luhn_matches_digit_by_digit_reference():
    import random

    from eit_plugin.core.sirene_codes import _luhn_ok

    rng = random.Random(7)
    cases = ["".join(rng.choice("0123456789") for _ in range(rng.choice([9, 13, 14, 15]))) for _ in range(3000)]
    cases += ["35600000000048", "73282932000074", "00000000000000", "9" * 14]
    assert [_luhn_ok(c) for c in cases] == [_luhn_reference(c) for c in cases]
    assert sum(_luhn_ok(c) for c in cases) > 200  # valid keys are among the cases
    # Non-ASCII digits still take the digit loop (valid_siret rejects them before anyway).
    assert _luhn_ok("٣" + "0" * 13) == _luhn_reference("٣" + "0" * 13)
