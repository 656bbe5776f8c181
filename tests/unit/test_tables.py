"""core.tables: the CSV files users really send (Excel on Windows, scripts, BOMs, quotes)."""
import pytest

from eit_plugin.core.errors import EitInputError
from eit_plugin.core.tables import read_table, sniff_csv


def write(tmp_path, name, text, encoding):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_windows_1252_semicolon_file_from_excel(tmp_path):
    path = write(tmp_path, "enquete.csv",
                 "SIRET;Ressource;Quantité;Unité\r\n01234567800011;chaleur;1 234,5;MWh\r\n"
                 "98765432100017;déchets de bois;12;tonnes\r\n", "cp1252")
    assert sniff_csv(path) == ("cp1252", ";")
    frame = read_table(path)
    assert list(frame.columns) == ["SIRET", "Ressource", "Quantité", "Unité"]
    assert frame["SIRET"].tolist() == ["01234567800011", "98765432100017"]  # leading zero kept
    assert frame.loc[1, "Ressource"] == "déchets de bois"
    assert frame.loc[0, "Quantité"] == "1 234,5"  # values stay text: numbers are parsed by the caller


def test_utf8_with_bom_and_commas(tmp_path):
    path = write(tmp_path, "bom.csv", "\ufeffsiret,resource,quantity\n12345678900012,waste_heat,10\n", "utf-8")
    assert sniff_csv(path) == ("utf-8-sig", ",")
    frame = read_table(path)
    assert list(frame.columns) == ["siret", "resource", "quantity"]


def test_utf8_bom_with_semicolons(tmp_path):
    path = write(tmp_path, "bom_sc.csv", "\ufeffsiret;commentaire\n12345678900012;Chaudière à 90 °C\n", "utf-8")
    assert sniff_csv(path) == ("utf-8-sig", ";")
    assert read_table(path).loc[0, "commentaire"] == "Chaudière à 90 °C"


def test_quoted_fields_with_separators_and_newlines(tmp_path):
    path = write(tmp_path, "quoted.csv",
                 'siret,comment\n12345678900012,"vapeur, 8 bar"\n12345678900020,"deux\nlignes"\n', "utf-8")
    frame = read_table(path)
    assert frame["comment"].tolist() == ["vapeur, 8 bar", "deux\nlignes"]


def test_quoted_header_with_semicolon_inside_is_not_the_delimiter(tmp_path):
    path = write(tmp_path, "q.csv", '"a;b",c\n1,2\n', "utf-8")
    assert sniff_csv(path)[1] == ","


def test_blank_cells_are_nan_and_spaces_stripped(tmp_path):
    frame = read_table(write(tmp_path, "blank.csv", "a,b\n x ,\n", "utf-8"))
    assert frame.loc[0, "a"] == "x"
    assert frame["b"].isna().all()


def test_utf8_start_then_cp1252_further_down_falls_back(tmp_path):
    head = "a,b\n" + "x,y\n" * 300000  # more than the sniffed MiB
    path = tmp_path / "mixed.csv"
    path.write_bytes(head.encode("utf-8") + "é,è\n".encode("cp1252"))
    frame = read_table(path)
    assert frame.iloc[-1].tolist() == ["é", "è"]


def test_empty_file_message(tmp_path):
    with pytest.raises(EitInputError) as err:
        read_table(write(tmp_path, "empty.csv", "\n", "utf-8"))
    assert str(err.value) == "The file 'empty.csv' is empty: it needs a header line and at least one row."


def test_missing_file_message(tmp_path):
    with pytest.raises(EitInputError, match="File not found"):
        read_table(tmp_path / "nope.csv")


def test_spreadsheet_is_refused_with_a_way_out(tmp_path):
    path = tmp_path / "survey.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(EitInputError) as err:
        read_table(path)
    assert "spreadsheet" in str(err.value) and "save it as CSV" in str(err.value)


def test_ragged_row_names_the_problem(tmp_path):
    path = write(tmp_path, "ragged.csv", "a,b\n1,2\n1,2,3,4\n", "utf-8")
    with pytest.raises(EitInputError) as err:
        read_table(path)
    assert "could not be read as a ','-separated table" in str(err.value)
    assert "line 3" in str(err.value)
