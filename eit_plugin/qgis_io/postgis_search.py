"""Regional runs inside PostGIS: the two spatial searches of the method as SQL on GiST indexes.

- ``SqlPairFinder``: the candidate pairs of ``core.matching`` (for each rule and temperature
  group: each supply's k nearest demands within the radius, and each demand's k nearest
  supplies, united) computed by PostGIS (``ST_DWithin`` + the ``<->`` nearest-neighbour
  operator on GiST indexes) instead of the in-memory KD-tree. It is handed to
  ``params.pair_finder``; the pair set is the KD-tree's (strictly within the radius,
  ties broken by flow order), which ``tests/qgis/test_postgis_search.py`` checks.
- ``zone_assignment``: flows → zone inside the database (``ST_DWithin(zone, point, 1 mm)``,
  i.e. ``ST_Intersects`` with the 1 mm boundary tolerance of ``qgis_io.zones``): the first
  zone in ``zone_id`` order and the number of zones holding the point, as
  ``ZoneLayer.assign`` returns them, without reading the zone polygons into memory.

The positions of a group travel once as two float arrays (exact: ``repr`` round-trips) into
temporary tables that live for one statement batch (``ON COMMIT DROP``), indexed there.
"""
from __future__ import annotations

import time

import numpy as np

from ..core.errors import EitInputError
from ..i18n import tr
from .postgis import Database, quote_ident, quote_literal

SRID = 2154
BOUNDARY_TOLERANCE_M = 1e-3  # the tolerance of qgis_io.zones.ZoneLayer.assign


def _floats(values) -> str:
    return "'{" + ",".join(repr(float(v)) for v in values) + "}'::float8[]"


def _temp_points(name: str, xy: np.ndarray) -> list:
    return [
        "CREATE TEMP TABLE {n} ON COMMIT DROP AS SELECT (u.i - 1)::int AS i, "
        "ST_SetSRID(ST_MakePoint(u.x, u.y), {srid}) AS geom FROM unnest({xs}, {ys}) WITH ORDINALITY AS u(x, y, i)".format(
            n=name, srid=SRID, xs=_floats(xy[:, 0]), ys=_floats(xy[:, 1])),
        "CREATE INDEX ON {} USING gist (geom)".format(name),
        "ANALYZE {}".format(name),
    ]


def knn_union_sql(sxy: np.ndarray, dxy: np.ndarray, radius: float, k: int) -> str:
    """One batch: the two point sets as indexed temporary tables, then the union of the k
    nearest within ``radius`` both ways, as one text ``"s,d;s,d…"`` (positions, 0-based)."""
    r = repr(float(radius))

    def nearest(a, b):
        # Strictly within the radius, as cKDTree's distance_upper_bound; ties by position.
        return ("SELECT a.i AS a, n.i AS b FROM {a} a CROSS JOIN LATERAL (SELECT b.i FROM {b} b "
                "WHERE ST_DWithin(b.geom, a.geom, {r}) AND ST_Distance(b.geom, a.geom) < {r} "
                "ORDER BY b.geom <-> a.geom, b.i LIMIT {k}) n").format(a=a, b=b, r=r, k=int(k))

    statements = _temp_points("eit_s", sxy) + _temp_points("eit_d", dxy)
    statements.append(
        "SELECT coalesce(string_agg(p.s::text || ',' || p.d::text, ';'), '') FROM ("
        "SELECT q.a AS s, q.b AS d FROM ({sd}) q UNION SELECT q.b AS s, q.a AS d FROM ({ds}) q) p".format(
            sd=nearest("eit_s", "eit_d"), ds=nearest("eit_d", "eit_s")))
    return ";\n".join(statements)


def _parse_pairs(text, n_d: int) -> np.ndarray:
    if not text:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.array(str(text).replace(";", ",").split(","), dtype=np.int64).reshape(-1, 2)
    key = pairs[:, 0] * (n_d + 1) + pairs[:, 1]
    _, first = np.unique(key, return_index=True)
    return pairs[first]


class SqlPairFinder:
    """``MatchingParams.pair_finder`` running the candidate search in PostGIS.

    Set as ``params.pair_finder`` of a ``core.matching.MatchingParams`` (``_candidates`` uses
    it in place of ``_knn_pairs``): called with a group's supply and demand positions
    (EPSG:2154), the search radius and k; returns the ``(n, 2)`` array of (supply index,
    demand index), unique and sorted, as ``_knn_pairs`` does. ``seconds`` and ``queries`` say what the database did."""

    def __init__(self, value):
        self.db = value if isinstance(value, Database) else Database(value)
        self.db.require_postgis()
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, sxy: np.ndarray, dxy: np.ndarray, radius: float, k: int) -> np.ndarray:
        if not len(sxy) or not len(dxy) or radius <= 0:
            return np.zeros((0, 2), dtype=np.int64)
        start = time.perf_counter()
        text = self.db.value(knn_union_sql(sxy, dxy, radius, k))
        self.seconds += time.perf_counter() - start
        self.queries += 1
        return _parse_pairs(text, len(dxy))


def zone_assignment(value, flows_table: str, zones_table: str, flow_id: str = "flow_id", zone_id: str = "zone_id",
                    flows_geometry: str = "geom", zones_geometry: str = "geom") -> dict:
    """``{flow id: (first zone_id or None, number of zones holding the flow)}`` computed in the
    database from two tables (``schema.table``) in EPSG:2154 with GiST indexes (used by
    ``ST_DWithin``; a table without one is scanned). Same answer as ``ZoneLayer.assign``."""
    db = value if isinstance(value, Database) else Database(value)
    db.require_postgis()

    def qualified(name):
        schema, _, table = name.rpartition(".")
        return "{}.{}".format(quote_ident(schema), quote_ident(table)) if schema else quote_ident(table)

    sql = (
        "SELECT coalesce(string_agg(x.fid || chr(31) || coalesce(x.zid, '') || chr(31) || x.n::text, chr(30) "
        "ORDER BY x.fid), '') FROM (SELECT f.{fid}::text AS fid, min(z.{zid}::text COLLATE \"C\") AS zid, "
        "count(z.{zid}) AS n FROM {flows} f LEFT JOIN {zones} z ON ST_DWithin(z.{zg}, f.{fg}, {tol}) "
        "GROUP BY f.{fid}) x").format(
        fid=quote_ident(flow_id), zid=quote_ident(zone_id), flows=qualified(flows_table), zones=qualified(zones_table),
        zg=quote_ident(zones_geometry), fg=quote_ident(flows_geometry), tol=repr(BOUNDARY_TOLERANCE_M))
    text = db.value(sql)
    result = {}
    for record in (str(text).split(chr(30)) if text else []):
        fid, zid, n = record.split(chr(31))
        result[fid] = (zid or None, int(n))
    return result


def has_spatial_index(db: Database, table: str, geometry: str = "geom") -> bool:
    schema, _, name = table.rpartition(".")
    return bool(db.value(
        "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
        "JOIN pg_attribute t ON t.attrelid = i.indrelid AND t.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = to_regclass({}) AND a.amname = 'gist' AND t.attname = {}".format(
            quote_literal("{}.{}".format(quote_ident(schema), quote_ident(name)) if schema else quote_ident(name)),
            quote_literal(geometry))) not in (None, 0, "0"))


def ensure_spatial_index(db: Database, table: str, geometry: str = "geom") -> None:
    """A GiST index on ``table``'s geometry (created when missing and allowed)."""
    if has_spatial_index(db, table, geometry):
        return
    schema, _, name = table.rpartition(".")
    target = "{}.{}".format(quote_ident(schema), quote_ident(name)) if schema else quote_ident(name)
    try:
        db.sql("CREATE INDEX ON {} USING gist ({})".format(target, quote_ident(geometry)))
    except EitInputError as err:
        raise EitInputError(tr("The table {} has no spatial index and none could be created: {}").format(
            table, str(err))) from None
