"""PostGIS in and out, against a real PostgreSQL + PostGIS started by the tests (pg_harness).

The sample's reference layers are loaded with ogr2ogr as a GIS team loads them (lower-case
CNIG fields, ``geom``, ``gid``) into a ``ref`` schema; the full analysis runs from them
through a saved connection that uses a QGIS authentication configuration, writes its result
into a schema, and the schema is checked against the GeoPackage of the same run and against
a run from the files.
"""
from __future__ import annotations

import math
import sqlite3

import pytest
from qgis.core import (
    QgsApplication,
    QgsAuthMethodConfig,
    QgsDataSourceUri,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProviderRegistry,
    QgsVectorLayer,
)

from eit_plugin.core.errors import EitInputError
from tests.conftest import ROOT

SAMPLE = ROOT / "resources" / "sample"
SAMPLE_GPKG = SAMPLE / "metropole_savoie_sample.gpkg"
CONNECTION = "metropole"
REFERENCE_LAYERS = ("zone_urba", "housing", "heat_network", "roads", "establishments_sirene")


@pytest.fixture(scope="module")
def provider(eit_plugin_instance):
    if QgsApplication.processingRegistry().providerById("eit") is None:
        eit_plugin_instance.provider = None
        eit_plugin_instance.initProcessing()
    return QgsApplication.processingRegistry().providerById("eit")


@pytest.fixture(scope="module")
def database(pg_server):
    """The sample's layers loaded into schema ``ref``; a saved connection ``metropole`` whose
    password is in a QGIS authentication configuration."""
    from tests.qgis import pg_harness

    pg_server.psql(pg_harness.DATABASE, "CREATE SCHEMA IF NOT EXISTS ref")
    for layer in REFERENCE_LAYERS:
        pg_server.ogr2ogr(str(SAMPLE_GPKG), layer, layer, schema="ref")
    manager = QgsApplication.authManager()
    if not manager.masterPasswordIsSet():
        assert manager.setMasterPassword("eit-tests-master", True)
    config = QgsAuthMethodConfig("Basic")
    config.setName("metropole (tests)")
    config.setConfig("username", pg_harness.ADMIN)
    config.setConfig("password", pg_harness.ADMIN_PASSWORD)
    ok, config = manager.storeAuthenticationConfig(config)
    assert ok
    uri = QgsDataSourceUri()
    uri.setConnection("127.0.0.1", str(pg_server.port), pg_harness.DATABASE, "", "", QgsDataSourceUri.SslMode.SslDisable,
                      config.id())
    metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
    metadata.saveConnection(metadata.createConnection(uri.uri(False), {}), CONNECTION)
    yield {"server": pg_server, "authcfg": config.id(), "uri": uri}
    metadata.deleteConnection(CONNECTION)
    manager.removeAuthenticationConfig(config.id())


def _pg_layer(database, table, schema="ref", key="gid"):
    uri = QgsDataSourceUri(database["uri"])
    uri.setDataSource(schema, table, "geom", "", key)
    return "postgres://" + uri.uri(False)


def _run(alg, params):
    import processing

    return processing.run(alg, params, context=QgsProcessingContext(), feedback=QgsProcessingFeedback())


def _files_params(folder):
    return {"SIRENE_FILE": str(SAMPLE / "StockEtablissement_sample.csv"),
            "GEOLOCATION": str(SAMPLE / "GeolocalisationEtablissement_sample.csv"),
            "OUTPUT_GPKG": str(folder / "eit.gpkg"), "REPORT": str(folder / "rapport.html")}


@pytest.fixture(scope="module")
def runs(provider, database, tmp_path_factory):
    """The same public analysis from the sample files and from the PostGIS layers, the second
    also written into schema ``eit_public``."""
    from_files = _files_params(tmp_path_factory.mktemp("files"))
    from_files.update({k: "{}|layername={}".format(SAMPLE_GPKG, layer) for k, layer in (
        ("ZONES", "zone_urba"), ("HOUSING", "housing"), ("HEAT_NETWORK", "heat_network"), ("NETWORK", "roads"))})
    from_db = _files_params(tmp_path_factory.mktemp("db"))
    from_db.update({k: _pg_layer(database, layer) for k, layer in (
        ("ZONES", "zone_urba"), ("HOUSING", "housing"), ("HEAT_NETWORK", "heat_network"), ("NETWORK", "roads"))})
    from_db.update({"OUTPUT_DB": CONNECTION, "OUTPUT_SCHEMA": "eit_public"})
    return _run("eit:fullanalysis", from_files), _run("eit:fullanalysis", from_db)


def _rows(gpkg, sql):
    with sqlite3.connect(str(gpkg)) as db:
        return db.execute(sql).fetchall()


def _value(v):
    if v is None or (hasattr(v, "isNull") and v.isNull()):
        return None
    return v


def _sort_key(row):
    return repr(tuple(float("{:.9g}".format(v)) if isinstance(v, float) else v for v in (*row[0], row[1])))


def _features(layer):
    names = [f.name() for f in layer.fields() if f.name() != "fid"]
    rows = []
    for feature in layer.getFeatures():
        values = tuple(_value(v) for v in (feature[n] for n in names))
        geom = feature.geometry()
        rows.append((values, None if geom.isNull() else round(geom.area() + geom.length(), 3)))
    return names, sorted(rows, key=_sort_key)


def _first_difference(a, b):
    """``None`` when the two ``_features`` are equal, else (field, value a, value b) of the first difference."""
    if a[0] != b[0]:
        return ("fields", a[0], b[0])
    for row_a, row_b in zip(a[1], b[1]):
        if row_a != row_b:
            for name, x, y in zip(a[0] + ["geometry"], list(row_a[0]) + [row_a[1]], list(row_b[0]) + [row_b[1]]):
                # GDAL's PostgreSQL driver writes doubles with 15 significant digits.
                close = isinstance(x, float) and isinstance(y, float) and math.isclose(x, y, rel_tol=1e-13)
                if x != y and not close:
                    return (name, x, y)
    return None if len(a[1]) == len(b[1]) else ("rows", len(a[1]), len(b[1]))


def test_full_analysis_from_postgis_inputs_writes_the_same_tables_as_its_geopackage(runs, database):
    _, result = runs
    server = database["server"]
    assert result["OUTPUT_PG"] == "eit_public"
    gpkg = result["OUTPUT_GPKG"]
    gpkg_tables = {r[0] for r in _rows(gpkg, "SELECT table_name FROM gpkg_contents")} - {"layer_styles"}
    pg_tables = set(server.psql("eit", "SELECT table_name FROM information_schema.tables "
                                       "WHERE table_schema = 'eit_public'").split())
    assert pg_tables == gpkg_tables
    assert {"zones", "synergies", "clusters", "recommendations", "provenance", "summary"} <= pg_tables
    db = QgsProviderRegistry.instance().providerMetadata("postgres").createConnection(CONNECTION)
    for table in sorted(gpkg_tables):
        uri = QgsDataSourceUri(db.uri())
        spatial = bool(_rows(gpkg, "SELECT 1 FROM gpkg_geometry_columns WHERE table_name = '{}'".format(table)))
        uri.setDataSource("eit_public", table, "geom" if spatial else "", "", "fid")
        pg_layer = QgsVectorLayer(uri.uri(False), table, "postgres")
        gpkg_layer = QgsVectorLayer("{}|layername={}".format(gpkg, table), table, "ogr")
        assert pg_layer.isValid() and gpkg_layer.isValid(), table
        assert pg_layer.featureCount() == gpkg_layer.featureCount() > 0, table
        assert _first_difference(_features(pg_layer), _features(gpkg_layer)) is None, table


def test_result_schema_has_keys_spatial_indexes_comments_and_opens_styled(runs, database):
    server = database["server"]
    keys = server.psql("eit", "SELECT c.relname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
                              "JOIN pg_namespace n ON n.oid = c.relnamespace "
                              "WHERE n.nspname = 'eit_public' AND k.contype = 'p'").split()
    assert {"zones", "synergies", "clusters", "recommendations", "provenance", "summary"} <= set(keys)
    gist = server.psql("eit", "SELECT tablename FROM pg_indexes WHERE schemaname = 'eit_public' "
                              "AND indexdef LIKE '%USING gist%'").split()
    assert {"zones", "communes", "synergies", "clusters"} <= set(gist)
    assert server.psql("eit", "SELECT col_description('eit_public.zones'::regclass, a.attnum) FROM pg_attribute a "
                              "WHERE a.attrelid = 'eit_public.zones'::regclass AND a.attname = 'eit_potential'") == "Potentiel EIT"
    assert server.psql("eit", "SELECT col_description('eit_public.zones'::regclass, a.attnum) FROM pg_attribute a "
                              "WHERE a.attrelid = 'eit_public.zones'::regclass AND a.attname = 'typezone'").startswith("Type de zone")
    table_comment = server.psql("eit", "SELECT obj_description('eit_public.synergies'::regclass)")
    assert table_comment.startswith("Synergies") and "run_key" in table_comment
    assert server.psql("eit", "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace "
                              "WHERE nspname = 'eit_public'").startswith("EIT Savoie — résultat public")
    # Opened as a GIS officer opens it (Browser > PostgreSQL > metropole): the default style applies.
    db = QgsProviderRegistry.instance().providerMetadata("postgres").createConnection(CONNECTION)
    gpkg = runs[1]["OUTPUT_GPKG"]
    for table in ("zones", "synergies", "clusters"):
        uri = QgsDataSourceUri(db.uri())
        uri.setDataSource("eit_public", table, "geom", "", "fid")
        pg_layer = QgsVectorLayer(uri.uri(False), table, "postgres")
        gpkg_layer = QgsVectorLayer("{}|layername={}".format(gpkg, table), table, "ogr")
        assert pg_layer.renderer().type() == gpkg_layer.renderer().type() != "singleSymbol", table
        assert pg_layer.renderer().dump() == gpkg_layer.renderer().dump(), table
    assert server.psql("eit", "SELECT count(*) FROM public.layer_styles WHERE f_table_schema = 'eit_public' "
                              "AND useasdefault") == "4"


def test_postgis_inputs_give_the_figures_of_the_files(runs):
    from_files, from_db = runs
    for table in ("zones", "synergies", "clusters", "recommendations"):
        a = _features(QgsVectorLayer("{}|layername={}".format(from_files["OUTPUT_GPKG"], table), table, "ogr"))
        b = _features(QgsVectorLayer("{}|layername={}".format(from_db["OUTPUT_GPKG"], table), table, "ogr"))
        # The zones read from PostGIS carry the lower-case CNIG fields and the loader's gid.
        lower = [n.lower() for n in a[0]]
        keep = [b[0].index(n) for n in lower if n in b[0]]
        assert len(keep) == len(a[0]), (table, a[0], b[0])
        assert [row[0] for row in a[1]] != []
        picked = (a[0], sorted(((tuple(r[0][i] for i in keep), r[1]) for r in b[1]), key=_sort_key))
        assert _first_difference(a, picked) is None, table
    assert from_files["N_SYNERGIES"] == from_db["N_SYNERGIES"] > 0


def test_no_password_in_provenance_report_or_comments(runs, database):
    from tests.qgis import pg_harness

    _, result = runs
    server = database["server"]
    texts = [open(result["REPORT"], encoding="utf-8").read(),
             "\n".join(v for _, v in _rows(result["OUTPUT_GPKG"], "SELECT key, value FROM provenance")),
             server.psql("eit", "SELECT string_agg(value, ' ') FROM eit_public.provenance"),
             server.psql("eit", "SELECT obj_description('eit_public.zones'::regclass)")]
    assert any(database["authcfg"] in t for t in texts)
    for text in texts:
        assert pg_harness.ADMIN_PASSWORD not in text


def test_sirene_point_table_in_postgis_imports_like_the_file(provider, database, tmp_path):
    """A SIRENE extract kept as a point table by the GIS team (lower-case columns)."""
    from_db = _run("eit:importestablishments", {"INPUT_LAYER": _pg_layer(database, "establishments_sirene"),
                                                "OUTPUT": str(tmp_path / "db.gpkg"), "SKIPPED": str(tmp_path / "db.csv")})
    from_file = _run("eit:importestablishments", {"INPUT_LAYER": "{}|layername=establishments_sirene".format(SAMPLE_GPKG),
                                                  "OUTPUT": str(tmp_path / "f.gpkg"), "SKIPPED": str(tmp_path / "f.csv")})
    kept = _features(QgsVectorLayer(from_db["OUTPUT"], "db", "ogr"))
    assert "siret" in kept[0] and len(kept[1]) > 3000
    assert kept == _features(QgsVectorLayer(from_file["OUTPUT"], "file", "ogr"))


# Bad cases ------------------------------------------------------------------------------------
def _check(uri_or_name, schema="eit_new", replace=False, public=True):
    from eit_plugin.qgis_io import postgis

    return postgis.check_target(uri_or_name, schema, replace, public)


def test_unreachable_server_wrong_password_and_missing_postgis_are_clear(database):
    from tests.qgis import pg_harness

    server = database["server"]
    closed = server.uri().replace("port={}".format(server.port), "port=1")
    with pytest.raises(EitInputError, match="Cannot reach the PostgreSQL server") as err:
        _check(closed)
    assert pg_harness.ADMIN_PASSWORD not in str(err.value)
    with pytest.raises(EitInputError, match="refused the credentials") as err:
        _check(server.uri(password="not-the-password"))
    assert "not-the-password" not in str(err.value) and "password authentication failed" in str(err.value)
    with pytest.raises(EitInputError, match="no PostGIS extension"):
        _check(server.uri(database=pg_harness.NO_POSTGIS_DATABASE))
    with pytest.raises(EitInputError, match="No saved PostgreSQL connection named 'nowhere'"):
        _check("nowhere")


def test_role_without_create_right_is_refused_before_any_work(provider, database, tmp_path):
    from tests.qgis import pg_harness

    reader = database["server"].uri(user=pg_harness.READER, password=pg_harness.READER_PASSWORD)
    with pytest.raises(EitInputError, match="may not create schemas"):
        _check(reader)
    params = _files_params(tmp_path)
    params.update({"ZONES": "{}|layername=zone_urba".format(SAMPLE_GPKG), "OUTPUT_DB": reader, "OUTPUT_SCHEMA": "eit_x"})
    with pytest.raises(QgsProcessingException, match="GRANT CREATE ON DATABASE") as err:
        _run("eit:fullanalysis", params)
    assert pg_harness.READER_PASSWORD not in str(err.value)
    assert not (tmp_path / "eit.gpkg").exists() and not (tmp_path / "rapport.html").exists()


def test_existing_schemas_replaced_only_when_asked_and_never_across_modes(runs, database):
    from eit_plugin.qgis_io import postgis

    server = database["server"]
    with pytest.raises(EitInputError, match="Set REPLACE"):
        _check(CONNECTION, "eit_public")
    with pytest.raises(EitInputError, match="never share a schema"):
        _check(CONNECTION, "eit_public", replace=True, public=False)
    server.psql("eit", "CREATE SCHEMA IF NOT EXISTS urba; CREATE TABLE IF NOT EXISTS urba.zones (id int)")
    with pytest.raises(EitInputError, match="not an EIT result"):
        _check(CONNECTION, "urba", replace=True)
    for reserved in ("public", "Bad-Name"):
        with pytest.raises(EitInputError, match="schema"):
            _check(CONNECTION, reserved, replace=True)
    assert server.psql("eit", "SELECT count(*) FROM urba.zones") == "0"
    # Replacing: the new result is switched in whole, with one default style per layer.
    gpkg = runs[1]["OUTPUT_GPKG"]
    before = server.psql("eit", "SELECT count(*) FROM eit_public.synergies")
    written = postgis.write_result(gpkg, ["zones", "synergies", "provenance"], CONNECTION, "eit_public", True, True,
                                   "run_key: test", {"zones": "Zones", "synergies": "Synergies"})
    assert written["styles"] == ["zones", "synergies"]
    assert set(server.psql("eit", "SELECT table_name FROM information_schema.tables "
                                  "WHERE table_schema = 'eit_public'").split()) == {"zones", "synergies", "provenance"}
    assert server.psql("eit", "SELECT count(*) FROM eit_public.synergies") == before
    assert server.psql("eit", "SELECT count(*) FROM public.layer_styles WHERE f_table_schema = 'eit_public'") == "2"
    assert server.psql("eit", "SELECT count(*) FROM pg_namespace WHERE nspname LIKE '%eit_tmp%' "
                              "OR nspname LIKE '%eit_old%'") == "0"


def test_a_failure_while_writing_leaves_the_previous_result_untouched(runs, database, monkeypatch):
    from eit_plugin.qgis_io import postgis

    server = database["server"]
    gpkg = runs[1]["OUTPUT_GPKG"]
    postgis.write_result(gpkg, ["zones", "summary"], CONNECTION, "eit_keep", False, True, "run_key: first", {})
    state = server.psql("eit", "SELECT count(*) FROM eit_keep.zones")

    def broken(*args, **kwargs):
        raise EitInputError("disk full (simulated)")

    monkeypatch.setattr(postgis, "_save_styles", broken)
    with pytest.raises(EitInputError, match="disk full"):
        postgis.write_result(gpkg, ["zones", "synergies", "summary"], CONNECTION, "eit_keep", True, True, "x", {})
    assert server.psql("eit", "SELECT table_name FROM information_schema.tables WHERE table_schema = 'eit_keep' "
                              "ORDER BY 1").split() == ["summary", "zones"]
    assert server.psql("eit", "SELECT count(*) FROM eit_keep.zones") == state
    assert server.psql("eit", "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'eit_keep_eit_%'") == "0"
    assert server.psql("eit", "SELECT count(*) FROM public.layer_styles WHERE f_table_schema LIKE '%eit_tmp%'") == "0"
    # A new schema that fails is not created at all.
    with pytest.raises(EitInputError, match="disk full"):
        postgis.write_result(gpkg, ["zones"], CONNECTION, "eit_never", False, True, "x", {})
    assert server.psql("eit", "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'eit_never%'") == "0"


def test_a_step_writes_its_layer_straight_into_postgis(provider, database):
    """Each step's output is a Processing sink: a PostGIS table is a valid destination."""
    server = database["server"]
    server.psql("eit", "CREATE SCHEMA IF NOT EXISTS eit_steps")
    uri = QgsDataSourceUri(database["uri"])
    uri.setDataSource("eit_steps", "establishments", "geom", "", "")
    result = _run("eit:importestablishments", {"INPUT_LAYER": _pg_layer(database, "establishments_sirene"),
                                               "OUTPUT": "postgres://" + uri.uri(False)})
    assert "eit_steps" in result["OUTPUT"]
    count = int(server.psql("eit", "SELECT count(*) FROM eit_steps.establishments WHERE siret IS NOT NULL"))
    assert count > 3000


def test_every_step_reads_its_inputs_from_postgis_and_writes_into_it(provider, database, tmp_path):
    """The toolbox chain (the very parameters eit:fullanalysis gives its steps) with every input
    and output a PostGIS table, against the same chain on files."""
    from qgis.core import QgsProcessingMultiStepFeedback

    from eit_plugin.processing import chain

    server = database["server"]
    server.psql("eit", "DROP SCHEMA IF EXISTS chain CASCADE; CREATE SCHEMA chain")
    files = {"SIRENE_FILE": str(SAMPLE / "StockEtablissement_sample.csv"),
             "GEOLOCATION": str(SAMPLE / "GeolocalisationEtablissement_sample.csv")}
    from_files = dict(files, **{k: "{}|layername={}".format(SAMPLE_GPKG, layer) for k, layer in (
        ("ZONES", "zone_urba"), ("HOUSING", "housing"), ("NETWORK", "roads"))})
    from_db = dict(files, **{k: _pg_layer(database, layer) for k, layer in (
        ("ZONES", "zone_urba"), ("HOUSING", "housing"), ("NETWORK", "roads"))})
    base_feedback = QgsProcessingFeedback()  # kept referenced: the multi-step feedback does not own it
    feedback = QgsProcessingMultiStepFeedback(len(chain.STEPS), base_feedback)
    reference = chain.run_chain(from_files, QgsProcessingContext(), feedback, str(tmp_path), False)
    outputs = {}
    for key, alg_id, _ in chain.STEPS:
        params = chain.step_parameters(key, from_db, outputs, str(tmp_path / "unused"), False)
        tables = {}
        for name, value in params.items():
            if isinstance(value, str) and value.endswith(".gpkg") and "unused" in value and name != "SKIPPED":
                table = "{}_{}".format(key, name.lower())
                uri = QgsDataSourceUri(database["uri"])
                uri.setDataSource("chain", table, "" if key == "recommendations" else "geom", "", "")
                params[name] = tables[name] = "postgres://" + uri.uri(False)
        params["SKIPPED"] = str(tmp_path / "skipped_db.csv") if key == "establishments" else None
        _run(alg_id, {k: v for k, v in params.items() if v is not None})
        outputs[key] = tables
    for key in ("flows", "zones", "synergies", "clusters", "recommendations"):
        in_db = int(server.psql("eit", "SELECT count(*) FROM chain.{}_output".format(key)))
        on_files = QgsVectorLayer(reference[key]["OUTPUT"], key, "ogr").featureCount()
        assert in_db == on_files > 0, key
    sql = "SELECT count(*), round(sum(quantity)::numeric, 3) FROM chain.synergies_output"
    layer = QgsVectorLayer(reference["synergies"]["OUTPUT"], "s", "ogr")
    total = round(sum(f["quantity"] for f in layer.getFeatures()), 3)
    assert server.psql("eit", sql) == "{}|{:.3f}".format(layer.featureCount(), total)
