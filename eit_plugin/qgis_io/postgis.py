"""PostGIS: the metropole's shared database as an output (and the checks that go with it).

A result is written as a whole *schema*: the same tables and fields as the GeoPackage of the
same run (copied from it, so the data are the same by construction), with primary keys,
spatial indexes, the default styles in ``layer_styles`` (the layers open styled in QGIS),
the ``provenance`` and ``summary`` tables, and French comments on tables and columns.

Atomic: everything is written into a new temporary schema; one SQL batch (one transaction)
then swaps it in place of the target schema and moves the style rows. A failure before the
swap drops the temporary schema: the target is never half-written. An existing result is
replaced only when asked; a schema holding anything else than an EIT result, or a result of
the other mode (public / internal), is refused.

Connections are named QGIS connections (Browser > PostgreSQL) or data source URIs; a QGIS
authentication configuration (``authcfg``) keeps the password out of the project, the logs
and the outputs. Every message passes through ``redact``.
"""
from __future__ import annotations

import re
import sqlite3
import uuid

from qgis.core import (
    QgsApplication,
    QgsDataSourceUri,
    QgsProviderRegistry,
    QgsVectorLayer,
)

from ..core import catalogue
from ..core.errors import EitInputError
from ..core.provenance import redact
from ..i18n import tr

PROVIDER = "postgres"
GEOMETRY_COLUMN = "geom"
KEY_COLUMN = "fid"
# First line of the comment of a result schema: how the plugin recognises its own schemas
# (and their mode) before replacing one.
MARKER = "EIT Savoie"
MODE_LABEL = {True: "résultat public", False: "résultat interne (confidentiel)"}
RESERVED_SCHEMAS = {"public", "information_schema", "topology", "tiger", "tiger_data"}
SCHEMA_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,50}$")

# Field aliases of each output table, from core.fields (the French alias becomes the comment).
TABLE_FIELDS = {layer.name: layer.schema for layer in catalogue.OUTPUT_LAYERS}
TABLE_COMMENTS = {
    "provenance": "Provenance du résultat : versions, paramètres, empreintes SHA-256 des fichiers d'entrée, date",
    "summary": "Chiffres de synthèse du résultat (comptes et impacts ; n.d. = couvert par le secret statistique)",
}
# The CNIG zone_urba fields kept as read (standard CNIG PLU/PLUi, 2017), any case.
CNIG_COMMENTS = {
    "idurba": "Identifiant du document d'urbanisme (CNIG)",
    "libelle": "Nom court de la zone (CNIG)",
    "libelong": "Nom long de la zone (CNIG)",
    "typezone": "Type de zone : U, AUc, AUs, A, N (CNIG)",
    "destdomi": "Destination dominante de la zone (CNIG)",
    "nomfic": "Nom du fichier du règlement (CNIG)",
    "urlfic": "Adresse du fichier du règlement (CNIG)",
    "insee": "Code INSEE de la commune (CNIG)",
    "datappro": "Date d'approbation du document (CNIG)",
    "datvalid": "Date de validation de la donnée (CNIG)",
    "secret_fields": "Champs masqués par le secret statistique",
}
COLUMN_COMMENTS = {
    "provenance": {"key": "Élément de provenance", "value": "Valeur"},
    "summary": {"indicator": "Indicateur", "value": "Valeur", "unit": "Unité", "label_fr": "Libellé",
                "label_en": "Libellé en anglais"},
}


def quote_ident(name: str) -> str:
    return '"{}"'.format(str(name).replace('"', '""'))


def quote_literal(text: str) -> str:
    return "'{}'".format(str(text).replace("'", "''"))


# Connections ---------------------------------------------------------------------------------
def _metadata():
    metadata = QgsProviderRegistry.instance().providerMetadata(PROVIDER)
    if metadata is None:
        raise EitInputError(tr("The PostgreSQL provider of QGIS is not available in this installation."))
    return metadata


def connection_names() -> list:
    return sorted(_metadata().connections().keys())


def resolve_uri(value) -> tuple:
    """``(QgsDataSourceUri, label)`` of a saved connection name or a data source URI. The label
    names the server for messages, without any password."""
    text = "" if value is None else str(value).strip()
    if not text:
        raise EitInputError(tr("No PostgreSQL connection given."))
    metadata = _metadata()
    connections = metadata.connections()
    if text in connections:
        uri = QgsDataSourceUri(connections[text].uri())
        return uri, tr("connection '{}'").format(text)
    if "=" not in text:
        raise EitInputError(tr(
            "No saved PostgreSQL connection named '{name}'. Saved connections: {names}. Create it in the "
            "Browser (PostgreSQL > New Connection) or give a data source URI (host=… dbname=… authcfg=…).").format(
            name=text, names=", ".join(sorted(connections)) or tr("(none)")))
    uri = QgsDataSourceUri(text)
    if not uri.database() and not uri.service():
        raise EitInputError(tr("The PostgreSQL data source '{}' names no database (dbname=…).").format(redact(text)))
    return uri, describe(uri)


def describe(uri: QgsDataSourceUri) -> str:
    """``user@host:port/database`` (or the service), never the password."""
    if uri.service():
        place = "service={}".format(uri.service())
    else:
        place = "{}:{}/{}".format(uri.host() or "localhost", uri.port() or "5432", uri.database())
    return "{}@{}".format(uri.username(), place) if uri.username() else place


class _LogCapture:
    """Collects what the PostgreSQL provider logs while a connection is attempted: the server's
    own reason (refused, password authentication failed, database does not exist…)."""

    def __init__(self):
        self.messages = []

    def _receive(self, message, tag, _level):
        if tag in ("PostGIS", "PostgreSQL"):
            self.messages.append(str(message))

    def __enter__(self):
        QgsApplication.messageLog().messageReceived.connect(self._receive)
        return self

    def __exit__(self, *exc):
        try:
            QgsApplication.messageLog().messageReceived.disconnect(self._receive)
        except TypeError:
            pass
        return False

    def reason(self) -> str:
        lines = [line.strip() for m in self.messages for line in m.splitlines() if line.strip()]
        lines = [line for line in lines if line != "Connection to database failed"]
        return redact(" ".join(lines[-2:]))


class Database:
    """An open PostGIS database (a QGIS provider connection) for the plugin's SQL."""

    def __init__(self, value):
        self.uri, self.label = resolve_uri(value)
        try:
            self.conn = _metadata().createConnection(self.uri.uri(False), {})
        except Exception as err:  # noqa: BLE001 - QgsProviderConnectionException carries the URI
            raise EitInputError(tr("Cannot open the PostgreSQL connection {}: {}").format(
                self.label, redact(str(err)))) from None
        self.user, self.database, self.postgis = self._probe()

    def _probe(self):
        with _LogCapture() as log:
            try:
                row = self.conn.executeSql(
                    "SELECT current_user, current_database(), "
                    "(SELECT extversion FROM pg_extension WHERE extname = 'postgis')")[0]
            except Exception as err:  # noqa: BLE001 - QgsException: its text holds the URI
                raise EitInputError(self._connection_message(log.reason() or redact(str(err)))) from None
        return str(row[0]), str(row[1]), (None if row[2] in (None, "") or str(row[2]) == "NULL" else str(row[2]))

    def _connection_message(self, reason: str) -> str:
        lowered = reason.lower()
        if "password authentication failed" in lowered or "no password supplied" in lowered or "authentication" in lowered:
            return tr("PostgreSQL refused the credentials for {place}: {reason}. Check the user and password of the "
                      "connection, or its authentication configuration (Settings > Options > Authentication).").format(
                place=self.label, reason=reason)
        if "does not exist" in lowered:
            return tr("PostgreSQL ({place}): {reason}. Check the database name of the connection.").format(
                place=self.label, reason=reason)
        return tr("Cannot reach the PostgreSQL server of {place}: {reason}. Check the host, the port and that the "
                  "server accepts connections from this computer (VPN, firewall).").format(place=self.label, reason=reason)

    def sql(self, statement: str) -> list:
        try:
            return self.conn.executeSql(statement)
        except Exception as err:  # noqa: BLE001 - QgsProviderConnectionException
            raise EitInputError(tr("PostgreSQL error on {place}: {error}").format(
                place=self.label, error=redact(str(err)))) from None

    def value(self, statement: str):
        rows = self.sql(statement)
        if not rows or not rows[0]:
            return None
        value = rows[0][0]
        return None if value is None or str(value) == "NULL" else value

    def require_postgis(self) -> None:
        if not self.postgis:
            raise EitInputError(tr(
                "The database {db} of {place} has no PostGIS extension. Ask its administrator to run "
                "CREATE EXTENSION postgis; in that database.").format(db=self.database, place=self.label))

    def ogr_dsn(self) -> str:
        """The GDAL data source of this database: a libpq connection string with the
        authentication configuration expanded (in memory only, never logged)."""
        return "PG:" + self.uri.connectionInfo(True)

    def table_uri(self, schema: str, table: str, geometry: str | None, key: str | None = KEY_COLUMN) -> str:
        uri = QgsDataSourceUri(self.uri.uri(False))
        uri.setDataSource(schema, table, geometry or "", "", key or "")
        return uri.uri(False)

    def layer(self, schema: str, table: str, geometry: str | None = GEOMETRY_COLUMN) -> QgsVectorLayer:
        return QgsVectorLayer(self.table_uri(schema, table, geometry), table, PROVIDER)


# Target checks ---------------------------------------------------------------------------------
def schema_state(db: Database, schema: str) -> dict | None:
    """``None`` when the schema does not exist; else its owner, comment, tables and whether the
    current role owns it."""
    rows = db.sql(
        "SELECT pg_get_userbyid(n.nspowner), coalesce(obj_description(n.oid, 'pg_namespace'), ''), "
        "pg_has_role(current_user, n.nspowner, 'USAGE') FROM pg_namespace n WHERE n.nspname = {}".format(
            quote_literal(schema)))
    if not rows:
        return None
    tables = [str(r[0]) for r in db.sql(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = {} AND c.relkind IN ('r', 'v', 'm', 'f', 'p') ORDER BY c.relname".format(quote_literal(schema)))]
    owner, comment, mine = rows[0]
    return {"owner": str(owner), "comment": str(comment) if comment not in (None, "NULL") else "",
            "owned": str(mine).lower() in ("true", "t", "1"), "tables": tables}


def result_mode(comment: str):
    """``True`` (public) / ``False`` (internal) for an EIT result schema's comment, else ``None``."""
    first = (comment or "").splitlines()[0] if comment else ""
    if not first.startswith(MARKER):
        return None
    return MODE_LABEL[True] in first


def check_target(value, schema: str, replace: bool, public: bool) -> Database:
    """Everything that can be checked before a run: the server answers, the credentials, the
    PostGIS extension, the schema name, the right to create a schema, an existing schema
    (replaced only when asked, only if it is an EIT result of the same mode and ours)."""
    schema = (schema or "").strip()
    if not SCHEMA_NAME_RE.match(schema):
        raise EitInputError(tr(
            "'{}' is not a usable schema name for a result: lower-case letters, digits and _ (up to 51 characters, "
            "not starting with a digit), e.g. eit_public_2026.").format(schema))
    if schema in RESERVED_SCHEMAS or schema.startswith("pg_"):
        raise EitInputError(tr(
            "The schema '{}' is shared with other data: a result takes a schema of its own (e.g. eit_public).").format(schema))
    db = Database(value)
    db.require_postgis()
    if str(db.value("SELECT has_database_privilege(current_database(), 'CREATE')")).lower() not in ("true", "t", "1"):
        raise EitInputError(tr(
            "The role {user} may not create schemas in the database {db} ({place}): the result is written into a "
            "new schema, then switched in. Ask the administrator: GRANT CREATE ON DATABASE {db} TO {user};").format(
            user=db.user, db=db.database, place=db.label))
    styles_ok = db.value(
        "SELECT CASE WHEN to_regclass('layer_styles') IS NULL THEN has_schema_privilege('public', 'CREATE') "
        "ELSE has_table_privilege(to_regclass('layer_styles'), 'INSERT, UPDATE, DELETE') END")
    if str(styles_ok).lower() not in ("true", "t", "1"):
        raise EitInputError(tr(
            "The role {user} may not store the default styles of the layers in layer_styles ({place}). Ask the "
            "administrator to create that table (QGIS does it on the first style saved by a role allowed to) and to "
            "grant INSERT, UPDATE, DELETE on it to {user}.").format(user=db.user, place=db.label))
    state = schema_state(db, schema)
    if state is None:
        return db
    mode = result_mode(state["comment"])
    if state["tables"] and mode is None:
        raise EitInputError(tr(
            "The schema '{schema}' already exists and holds tables that are not an EIT result ({tables}): they are "
            "never replaced. Choose another schema name.").format(schema=schema, tables=", ".join(state["tables"][:10])))
    if mode is not None and mode != public:
        held = (tr("The schema '{}' holds a public EIT result") if mode else
                tr("The schema '{}' holds an internal (confidential) EIT result")).format(schema)
        raise EitInputError(tr("{}: public and internal results never share a schema. Choose another schema "
                               "name.").format(held))
    if state["tables"] and not replace:
        raise EitInputError(tr(
            "The schema '{schema}' already holds an EIT result ({n} tables: {tables}). Set REPLACE to replace it "
            "or choose another schema name.").format(schema=schema, n=len(state["tables"]),
                                                    tables=", ".join(state["tables"][:10])))
    if not state["owned"]:
        raise EitInputError(tr(
            "The schema '{schema}' belongs to the role {owner}, not to {user}: a result replaces its whole schema. "
            "Choose another schema name or ask the administrator: ALTER SCHEMA {schema} OWNER TO {user};").format(
            schema=schema, owner=state["owner"], user=db.user))
    return db


# Writing --------------------------------------------------------------------------------------
def _gpkg_styles(gpkg_path: str) -> dict:
    """``{table: QML}`` of the default styles stored in the GeoPackage."""
    try:
        with sqlite3.connect("file:{}?mode=ro".format(gpkg_path), uri=True) as con:
            rows = con.execute("SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault ORDER BY id").fetchall()
    except sqlite3.Error:
        return {}
    return {name: qml for name, qml in rows if qml}


def _column_comments(table: str, names: list) -> dict:
    specs = {f.name: f.alias_fr for f in TABLE_FIELDS.get(table, ())}
    if table in COLUMN_COMMENTS:
        specs.update(COLUMN_COMMENTS[table])
    if table not in TABLE_FIELDS and table not in COLUMN_COMMENTS:
        return {}
    # Extension columns of a table (not in its schema) take the alias another table gives them.
    every = {}
    for fields in TABLE_FIELDS.values():
        for f in fields:
            every.setdefault(f.name, f.alias_fr)
    for name in names:
        every.setdefault(name, CNIG_COMMENTS.get(name.lower()))
    return {name: specs.get(name) or every.get(name) for name in names if specs.get(name) or every.get(name)}


def _export(db: Database, gpkg_path: str, schema: str, table: str) -> None:
    """Copy one GeoPackage table into ``schema.table`` with GDAL (COPY; the GeoPackage fid as
    primary key, GiST index on the geometry, field names and NULLs as they are).

    Not ``QgsVectorLayerExporter``: in QGIS 3.22 its PostgreSQL batch insert turns the NULLs of
    a column into 0 (or '' / false) when the other values of a batch are all 0."""
    from osgeo import gdal

    gdal.PushErrorHandler("CPLQuietErrorHandler")
    gdal.ErrorReset()
    try:
        source = gdal.OpenEx(gpkg_path, gdal.OF_VECTOR | gdal.OF_READONLY)
        target = gdal.OpenEx(db.ogr_dsn(), gdal.OF_VECTOR | gdal.OF_UPDATE) if source is not None else None
        ok = target is not None and gdal.VectorTranslate(target, source, options=gdal.VectorTranslateOptions(
            options=["-preserve_fid"], layers=[table], layerName=table,
            layerCreationOptions=["SCHEMA={}".format(schema), "GEOMETRY_NAME={}".format(GEOMETRY_COLUMN),
                                  "FID={}".format(KEY_COLUMN), "SPATIAL_INDEX=GIST", "LAUNDER=NO", "PRECISION=NO"])) is not None
        message = gdal.GetLastErrorMsg()
        target = source = None  # closing flushes the COPY
        message = message or gdal.GetLastErrorMsg()
    finally:
        gdal.PopErrorHandler()
    if not ok:
        raise EitInputError(tr("Could not copy the layer '{table}' into PostgreSQL ({place}): {error}").format(
            table=table, place=db.label, error=redact(message) or tr("unknown GDAL error")))


def write_result(gpkg_path: str, tables: list, value, schema: str, replace: bool, public: bool,
                 provenance_text: str, titles: dict, feedback=None) -> dict:
    """Copy the finished GeoPackage's ``tables`` (layers, then ``provenance``/``summary``) into
    ``schema`` of the connection ``value``, atomically. Returns ``{"schema", "tables",
    "styles", "place"}``. ``titles``: ``{table: title}`` for the comments."""
    db = check_target(value, schema, replace, public)
    token = uuid.uuid4().hex[:10]
    work = "{}_eit_tmp_{}".format(schema, token)[:63]
    old = "{}_eit_old_{}".format(schema, token)[:63]
    styles = _gpkg_styles(gpkg_path)
    styled = []
    db.sql("CREATE SCHEMA {}".format(quote_ident(work)))
    try:
        for n, table in enumerate(tables):
            if feedback is not None:
                if feedback.isCanceled():
                    raise EitInputError(tr("Cancelled by the user: nothing was written into PostgreSQL."))
                feedback.pushInfo(tr("PostgreSQL: copying {} ({}/{})").format(table, n + 1, len(tables)))
            source = QgsVectorLayer("{}|layername={}".format(gpkg_path, table), table, "ogr")
            if not source.isValid():
                raise EitInputError(tr("Layer '{}' could not be opened in {}.").format(table, gpkg_path))
            spatial = source.isSpatial()
            _export(db, gpkg_path, work, table)
            target = "{}.{}".format(quote_ident(work), quote_ident(table))
            comment = titles.get(table) or TABLE_COMMENTS.get(table, table)
            if table in titles:
                comment = "{}\n\n{}".format(comment, provenance_text)
            names = [f.name() for f in source.fields()]
            statements = ["COMMENT ON TABLE {} IS {}".format(target, quote_literal(comment))]
            statements += ["COMMENT ON COLUMN {}.{} IS {}".format(target, quote_ident(c), quote_literal(text))
                           for c, text in sorted(_column_comments(table, names).items())]
            db.sql(";\n".join(statements))
            if spatial and table in styles:
                styled.append(table)
        saved = _save_styles(db, work, styled, styles)
        _switch(db, schema, work, old, public, provenance_text, saved)
    except BaseException:
        _drop_quietly(db, work)
        raise
    return {"schema": schema, "tables": list(tables), "styles": saved, "place": db.label}


def _layer_styles_table(db: Database):
    """The ``layer_styles`` table QGIS reads default styles from (first on the search path)."""
    return db.value("SELECT to_regclass('layer_styles')::text")


def _save_styles(db: Database, work: str, styled: list, styles: dict) -> list:
    """Store the GeoPackage's default styles for the layers of the work schema (QGIS creates
    ``layer_styles`` when it may); the switch moves the rows to the final schema."""
    from .styles import apply_qml_text

    saved = []
    for table in styled:
        layer = db.layer(work, table)
        if not layer.isValid() or not apply_qml_text(layer, styles[table]):
            continue
        error = layer.saveStyleToDatabase(table, tr("EIT default style"), True, "")
        if error:
            raise EitInputError(tr(
                "The default style of '{table}' could not be stored in layer_styles ({place}): {error}. Ask the "
                "administrator to create the layer_styles table (QGIS creates it on the first style saved by a role "
                "allowed to) and to grant INSERT, UPDATE, DELETE on it.").format(
                table=table, place=db.label, error=redact(error)))
        saved.append(table)
    return saved


def _switch(db: Database, schema: str, work: str, old: str, public: bool, provenance_text: str, styled: list) -> None:
    """One batch, one transaction: the previous result (if any) out, the new one in, the style
    rows moved with it."""
    first_line = "{} — {}".format(MARKER, MODE_LABEL[public])
    comment = "{}\n\n{}".format(first_line, provenance_text)
    statements = []
    exists = schema_state(db, schema) is not None
    if exists:
        statements.append("ALTER SCHEMA {} RENAME TO {}".format(quote_ident(schema), quote_ident(old)))
    statements.append("ALTER SCHEMA {} RENAME TO {}".format(quote_ident(work), quote_ident(schema)))
    statements.append("COMMENT ON SCHEMA {} IS {}".format(quote_ident(schema), quote_literal(comment)))
    styles_table = _layer_styles_table(db) if styled or exists else None
    if styles_table:
        catalog = quote_literal(db.database)
        statements.append("DELETE FROM {} WHERE f_table_catalog = {} AND f_table_schema = {}".format(
            styles_table, catalog, quote_literal(schema)))
        statements.append("UPDATE {} SET f_table_schema = {} WHERE f_table_catalog = {} AND f_table_schema = {}".format(
            styles_table, quote_literal(schema), catalog, quote_literal(work)))
    if exists:
        statements.append("DROP SCHEMA {} CASCADE".format(quote_ident(old)))
    db.sql(";\n".join(statements))


def _drop_quietly(db: Database, work: str) -> None:
    try:
        statements = ["DROP SCHEMA IF EXISTS {} CASCADE".format(quote_ident(work))]
        styles_table = _layer_styles_table(db)
        if styles_table:
            statements.append("DELETE FROM {} WHERE f_table_catalog = {} AND f_table_schema = {}".format(
                styles_table, quote_literal(db.database), quote_literal(work)))
        db.sql(";\n".join(statements))
    except EitInputError:
        pass
