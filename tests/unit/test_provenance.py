"""Provenance: input hashes and a run key that only depends on inputs and parameters."""
from datetime import datetime, timezone

from eit_plugin.core import provenance


def test_same_inputs_same_key_different_date(tmp_path):
    data = tmp_path / "stock.csv"
    data.write_text("siret\n12345678900011\n", encoding="utf-8")
    hashes = provenance.input_hashes({"SIRENE_FILE": str(data), "ZONES": "not-a-file", "EMPTY": None})
    assert list(hashes) == ["SIRENE_FILE"]
    assert hashes["SIRENE_FILE"] == provenance.file_sha256(data)
    one = provenance.build("0.1.0", "3.22", {"PUBLIC": True}, hashes, now=datetime(2026, 1, 1, tzinfo=timezone.utc))
    two = provenance.build("0.1.0", "3.22", {"PUBLIC": True}, hashes, now=datetime(2026, 6, 1, tzinfo=timezone.utc))
    assert one["run_key"] == two["run_key"]
    assert one["run_date_utc"] == "2026-01-01T00:00:00Z"


def test_changed_input_changes_key(tmp_path):
    data = tmp_path / "stock.csv"
    data.write_text("a\n", encoding="utf-8")
    first = provenance.build("0.1.0", "3.22", {}, provenance.input_hashes({"F": str(data)}))
    data.write_text("b\n", encoding="utf-8")
    second = provenance.build("0.1.0", "3.22", {}, provenance.input_hashes({"F": str(data)}))
    assert first["run_key"] != second["run_key"]
    assert ("input_sha256.F", second["input_sha256"]["F"]) in provenance.as_rows(second)


def test_passwords_in_connection_strings_never_reach_the_record():
    from eit_plugin.core import provenance as prov

    # QgsDataSourceUri escapes a quote inside a value with a backslash.
    record = prov.build("1.0", "3.22", {
        "ZONES": "postgres://dbname='sig' host=db user='urba' password='s3cr\\'et x' table=\"urba\".\"zone_urba\" (geom)",
        "HOUSING": "PG:host=db dbname=sig user=urba password=plain123 tables=bati",
        "ROADS": ["postgresql://urba:hunter2@db/sig"],
        "OUTPUT_DB": "dbname='sig' host=db authcfg=a1b2c3d",
    }, {})
    text = prov.as_text(record)
    for leaked in ("s3cr", "et x", "plain123", "hunter2"):
        assert leaked not in text
    assert "authcfg=a1b2c3d" in text and 'table="urba"."zone_urba"' in text and "user=urba" in text
