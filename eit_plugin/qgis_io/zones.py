"""CNIG ``zone_urba`` reading, geometry repair, point → zone assignment and zone adjacency.

``read_zones(source)`` turns any QGIS polygon source (GeoPackage, Shapefile, PostGIS...) in
the CNIG ``zone_urba`` schema (v2017 with ``DESTDOMI`` or v2024 with ``FORMDOMI`` /
``DESTOUI``...; field names matched case-insensitively) into a :class:`ZoneLayer`:

- ``frame``: one row per zone, sorted by ``zone_id``: ``zone_id``, the canonical lower-case
  CNIG columns (NULL when absent), every original attribute under its own name, ``geometry``
  (``QgsGeometry`` in EPSG:2154, repaired when invalid, with a warning naming the zone) and
  ``area_m2``;
- ``assign(xs, ys)``: for each point, the first zone (in ``zone_id`` order) whose polygon
  contains it or whose boundary is within 1 mm of it, and how many zones do;
- ``adjacency(distance_m)``: zone pairs that touch, overlap, or lie within a distance.

Point-in-polygon is vectorised with numpy (no Python call per point): candidate (point, zone)
pairs come from a uniform grid over the zone bounding boxes; each zone's edges are bucketed
in horizontal bands, so a point is only tested (crossing number + distance to the boundary)
against the edges of its band. Cost ~ O(P·k + Z·E) for P points, k candidate zones per
point, Z zones of E edges. The input layer is never modified (geometries are copied).
"""
from __future__ import annotations

import math
import struct

import numpy as np
import pandas as pd
from qgis.core import Qgis, QgsGeometry, QgsRectangle, QgsSpatialIndex, QgsWkbTypes

from ..core.errors import EitInputError
from ..i18n import tr
from .layers import clean_value, to_working_crs

CNIG_COLUMNS = ("idurba", "libelle", "libelong", "typezone", "destdomi", "formdomi",
                "destoui", "destcdt", "destnon", "insee", "idzone")

# Accepted spellings besides the canonical name (matched case-insensitively).
CNIG_SPELLINGS = {
    "idurba": ["id_urba"],
    "libelle": ["lib_zone", "nom_zone"],
    "libelong": ["lib_long"],
    "typezone": ["type_zone", "typ_zone"],
    "destdomi": ["dest_domi"],
    "formdomi": ["form_domi"],
    "destoui": ["dest_oui"],
    "destcdt": ["dest_cdt"],
    "destnon": ["dest_non"],
    "insee": ["code_insee", "insee_com", "codeinsee"],
    "idzone": ["id_zone", "lib_idzone"],
}

BOUNDARY_TOLERANCE_M = 1e-3
_POINT_CHUNK = 200_000  # points assigned per pass: bounds the candidate-pair arrays


def _text(value):
    value = clean_value(value)
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    text = str(value).strip()
    return text or None


def _polygon_parts(geom: QgsGeometry) -> QgsGeometry:
    """Keep only the polygonal parts of a (repaired) geometry."""
    if geom.type() == QgsWkbTypes.GeometryType.PolygonGeometry and not QgsWkbTypes.isCurvedType(geom.wkbType()):
        return geom
    if QgsWkbTypes.isCurvedType(geom.wkbType()):
        geom = QgsGeometry(geom.constGet().segmentize())
        if geom.type() == QgsWkbTypes.GeometryType.PolygonGeometry:
            return geom
    parts = [g for g in geom.asGeometryCollection() if g.type() == QgsWkbTypes.GeometryType.PolygonGeometry]
    if not parts:
        return QgsGeometry()
    return QgsGeometry.collectGeometry(parts) if len(parts) > 1 else parts[0]


def _ring_area(points) -> float:
    return abs(sum(a.x() * b.y() - b.x() * a.y() for a, b in zip(points, points[1:]))) / 2.0


def without_slivers(geom: QgsGeometry, min_area_m2: float = 1.0) -> QgsGeometry:
    """The union of adjacent zones without the zero-width rings it leaves where their common
    edges do not share vertices (a hole of 3 collinear points: GEOS refuses such a ring when
    the map is drawn). Holes and parts under ``min_area_m2`` go; the result is a multipolygon."""
    if geom.isNull() or geom.type() != QgsWkbTypes.GeometryType.PolygonGeometry:
        return geom
    polygons = geom.asMultiPolygon() if geom.isMultipart() else [geom.asPolygon()]
    kept = []
    for rings in polygons:
        if not rings or len(set((p.x(), p.y()) for p in rings[0])) < 3 or _ring_area(rings[0]) < min_area_m2:
            continue
        holes = [r for r in rings[1:] if len(set((p.x(), p.y()) for p in r)) >= 3 and _ring_area(r) >= min_area_m2]
        kept.append([rings[0], *holes])
    if len(kept) == len(polygons) and all(len(k) == len(p) for k, p in zip(kept, polygons)):
        return geom
    return QgsGeometry.fromMultiPolygonXY(kept) if kept else QgsGeometry()


def _rings(geom: QgsGeometry) -> list:
    """Rings of a polygon/multipolygon as (n, 2) float arrays, from its WKB (fast, 2D)."""
    if geom is None or geom.isNull() or geom.isEmpty():
        return []
    g = QgsGeometry(geom)
    if QgsWkbTypes.isCurvedType(g.wkbType()):
        g = QgsGeometry(g.constGet().segmentize())
    if QgsWkbTypes.hasZ(g.wkbType()) or QgsWkbTypes.hasM(g.wkbType()):
        abstract = g.get()
        abstract.dropZValue()
        abstract.dropMValue()
    data = bytes(g.asWkb())
    rings = []

    def polygon(offset):
        order = "<" if data[offset] == 1 else ">"
        (n_rings,) = struct.unpack_from(order + "I", data, offset + 5)
        offset += 9
        for _ in range(n_rings):
            (n_points,) = struct.unpack_from(order + "I", data, offset)
            offset += 4
            coords = np.frombuffer(data, dtype=order + "f8", count=2 * n_points, offset=offset)
            rings.append(coords.reshape(-1, 2).astype("float64"))
            offset += 16 * n_points
        return offset

    order = "<" if data[0] == 1 else ">"
    (wkb_type,) = struct.unpack_from(order + "I", data, 1)
    if wkb_type == 3:
        polygon(0)
    elif wkb_type == 6:
        (n_parts,) = struct.unpack_from(order + "I", data, 5)
        offset = 9
        for _ in range(n_parts):
            offset = polygon(offset)
    return rings


class ZoneLayer:
    """Zones read from a CNIG ``zone_urba`` source (see the module docstring)."""

    def __init__(self, frame: pd.DataFrame, original_fields: list, warnings: list | None = None, source_fields=None,
                 repaired: list | None = None):
        self.frame = frame.reset_index(drop=True)
        #: labels of the zones whose geometry was repaired
        self.repaired = list(repaired or [])
        self.original_fields = list(original_fields)
        #: the source's QgsField objects (names and types as read), to write the CNIG fields back
        self.source_fields = list(source_fields) if source_fields is not None else []
        self.warnings = list(warnings or [])
        self._index = {zid: i for i, zid in enumerate(self.frame["zone_id"])}
        self._build_edges()

    # Geometry tables ------------------------------------------------------------------------
    def _build_edges(self) -> None:
        n = len(self.frame)
        zone_of_edge, x1s, y1s, x2s, y2s = [], [], [], [], []
        bbox = np.full((n, 4), np.nan)
        for i, geom in enumerate(self.frame["geometry"]):
            for ring in _rings(geom):
                if len(ring) < 2:
                    continue
                a, b = ring[:-1], ring[1:]
                zone_of_edge.append(np.full(len(a), i, dtype=np.int64))
                x1s.append(a[:, 0])
                y1s.append(a[:, 1])
                x2s.append(b[:, 0])
                y2s.append(b[:, 1])
                lo, hi = ring.min(axis=0), ring.max(axis=0)
                if np.isnan(bbox[i, 0]):
                    bbox[i] = (lo[0], lo[1], hi[0], hi[1])
                else:
                    bbox[i] = (min(bbox[i, 0], lo[0]), min(bbox[i, 1], lo[1]), max(bbox[i, 2], hi[0]), max(bbox[i, 3], hi[1]))
        self.bbox = bbox
        if not zone_of_edge:
            self._edges = None
            self._edge_zone = np.empty(0, np.int64)
            return
        ez = np.concatenate(zone_of_edge)
        self._edge_zone = ez
        ex1, ey1, ex2, ey2 = (np.concatenate(v) for v in (x1s, y1s, x2s, y2s))
        tol = BOUNDARY_TOLERANCE_M
        # Horizontal bands per zone: about 8 edges per band, at most 4096 bands.
        n_edges = np.bincount(ez, minlength=n)
        n_bands = np.clip(np.ceil(n_edges / 8.0), 1, 4096).astype(np.int64)
        height = np.where(np.isnan(bbox[:, 1]), 1.0, (bbox[:, 3] - bbox[:, 1]) + 2 * tol) / n_bands
        height = np.where(height > 0, height, 1.0)
        y0 = np.where(np.isnan(bbox[:, 1]), 0.0, bbox[:, 1] - tol)
        lo = np.floor((np.minimum(ey1, ey2) - tol - y0[ez]) / height[ez]).astype(np.int64)
        hi = np.floor((np.maximum(ey1, ey2) + tol - y0[ez]) / height[ez]).astype(np.int64)
        lo = np.clip(lo, 0, n_bands[ez] - 1)
        hi = np.clip(hi, 0, n_bands[ez] - 1)
        span = hi - lo + 1
        edge_rep = np.repeat(np.arange(len(ez)), span)
        within = np.arange(len(edge_rep)) - np.repeat(np.cumsum(span) - span, span)
        band_of = lo[edge_rep] + within
        band_base = np.concatenate([[0], np.cumsum(n_bands)[:-1]])
        global_band = band_base[ez[edge_rep]] + band_of
        order = np.argsort(global_band, kind="stable")
        self._band_edges = edge_rep[order]
        counts = np.bincount(global_band, minlength=int(n_bands.sum()))
        self._band_start = np.concatenate([[0], np.cumsum(counts)])
        self._band_base = band_base
        self._n_bands = n_bands
        self._band_y0 = y0
        self._band_h = height
        self._edges = (ex1, ey1, ex2, ey2)

    def _zone_grid(self):
        """The grid of zone bounding boxes used by ``_candidate_pairs``, built once: the zones
        never change after reading, and callers such as the cluster site search assign a few
        points at a time (rebuilding it per call made them O(calls × zones log zones))."""
        grid = getattr(self, "_grid_cache", None)
        if grid is not None:
            return grid
        valid_zone = ~np.isnan(self.bbox[:, 0])
        zones = np.nonzero(valid_zone)[0]
        if len(zones) == 0:
            self._grid_cache = (zones,)
            return self._grid_cache
        tol = BOUNDARY_TOLERANCE_M
        bb = self.bbox[zones]
        x0, y0 = bb[:, 0].min() - tol, bb[:, 1].min() - tol
        x1, y1 = bb[:, 2].max() + tol, bb[:, 3].max() + tol
        widths = np.maximum(bb[:, 2] - bb[:, 0], bb[:, 3] - bb[:, 1])
        cell = max(float(np.median(widths)) if len(widths) else 1.0, 1.0)
        nx = max(1, min(int(math.ceil((x1 - x0) / cell)), 4096))
        ny = max(1, min(int(math.ceil((y1 - y0) / cell)), 4096))
        cw, ch = max((x1 - x0) / nx, 1e-9), max((y1 - y0) / ny, 1e-9)
        cx0 = np.clip(((bb[:, 0] - tol - x0) / cw).astype(np.int64), 0, nx - 1)
        cx1 = np.clip(((bb[:, 2] + tol - x0) / cw).astype(np.int64), 0, nx - 1)
        cy0 = np.clip(((bb[:, 1] - tol - y0) / ch).astype(np.int64), 0, ny - 1)
        cy1 = np.clip(((bb[:, 3] + tol - y0) / ch).astype(np.int64), 0, ny - 1)
        ncx, ncy = cx1 - cx0 + 1, cy1 - cy0 + 1
        n_cells = ncx * ncy
        z_rep = np.repeat(np.arange(len(zones)), n_cells)
        k = np.arange(len(z_rep)) - np.repeat(np.cumsum(n_cells) - n_cells, n_cells)
        cell_x = cx0[z_rep] + k % ncx[z_rep]
        cell_y = cy0[z_rep] + k // ncx[z_rep]
        cell_id = cell_y * nx + cell_x
        order = np.argsort(cell_id, kind="stable")
        cell_zones = zones[z_rep[order]]
        cell_start = np.concatenate([[0], np.cumsum(np.bincount(cell_id, minlength=nx * ny))])
        self._grid_cache = (zones, x0, y0, x1, y1, nx, ny, cw, ch, cell_zones, cell_start)
        return self._grid_cache

    def _candidate_pairs(self, xs: np.ndarray, ys: np.ndarray):
        """(point index, zone index) pairs whose zone bbox (grown by the tolerance) holds the point."""
        grid = self._zone_grid()
        ok = ~(np.isnan(xs) | np.isnan(ys))
        if len(grid[0]) == 0 or not ok.any():
            return np.empty(0, np.int64), np.empty(0, np.int64)
        _, x0, y0, x1, y1, nx, ny, cw, ch, cell_zones, cell_start = grid
        tol = BOUNDARY_TOLERANCE_M
        pts = np.nonzero(ok)[0]
        px, py = xs[pts], ys[pts]
        inside_grid = (px >= x0) & (px <= x1) & (py >= y0) & (py <= y1)
        pts, px, py = pts[inside_grid], px[inside_grid], py[inside_grid]
        pcell = np.clip(((py - y0) / ch).astype(np.int64), 0, ny - 1) * nx + np.clip(((px - x0) / cw).astype(np.int64), 0, nx - 1)
        starts, stops = cell_start[pcell], cell_start[pcell + 1]
        cnt = stops - starts
        p_rep = np.repeat(np.arange(len(pts)), cnt)
        offs = np.arange(len(p_rep)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        z_cand = cell_zones[starts[p_rep] + offs]
        b = self.bbox[z_cand]
        keep = (px[p_rep] >= b[:, 0] - tol) & (px[p_rep] <= b[:, 2] + tol) & (py[p_rep] >= b[:, 1] - tol) & (py[p_rep] <= b[:, 3] + tol)
        return pts[p_rep[keep]], z_cand[keep]

    def _contains(self, xs, ys, pi, zi) -> np.ndarray:
        """For candidate pairs, True when the point is inside the zone or within the tolerance
        of its boundary (crossing number over the edges of the point's band)."""
        result = np.zeros(len(pi), dtype=bool)
        if self._edges is None or len(pi) == 0:
            return result
        ex1, ey1, ex2, ey2 = self._edges
        tol2 = BOUNDARY_TOLERANCE_M ** 2
        band = np.floor((ys[pi] - self._band_y0[zi]) / self._band_h[zi]).astype(np.int64)
        band = np.clip(band, 0, self._n_bands[zi] - 1) + self._band_base[zi]
        starts, stops = self._band_start[band], self._band_start[band + 1]
        counts = stops - starts
        chunk = 1_000_000  # point × edge pairs per pass: ~20 arrays of this length live at once
        cum = np.cumsum(counts)
        begin = 0
        while begin < len(pi):
            base = cum[begin - 1] if begin > 0 else 0
            end = max(int(np.searchsorted(cum, base + chunk, side="right")), begin + 1)
            sl = slice(begin, end)
            c = counts[sl]
            rep = np.repeat(np.arange(begin, end), c)
            offs = np.arange(len(rep)) - np.repeat(np.cumsum(c) - c, c)
            e = self._band_edges[starts[rep] + offs]
            px, py = xs[pi[rep]], ys[pi[rep]]
            ax, ay, bx, by = ex1[e], ey1[e], ex2[e], ey2[e]
            straddle = (ay > py) != (by > py)
            with np.errstate(divide="ignore", invalid="ignore"):
                xcross = ax + (py - ay) * (bx - ax) / (by - ay)
            crossing = straddle & (px < xcross)
            dx, dy = bx - ax, by - ay
            len2 = dx * dx + dy * dy
            with np.errstate(divide="ignore", invalid="ignore"):
                t = np.where(len2 > 0, ((px - ax) * dx + (py - ay) * dy) / len2, 0.0)
            t = np.clip(t, 0.0, 1.0)
            qx, qy = ax + t * dx - px, ay + t * dy - py
            near = (qx * qx + qy * qy) <= tol2
            parity = np.bincount(rep - begin, weights=crossing, minlength=end - begin).astype(np.int64) % 2 == 1
            on_edge = np.bincount(rep - begin, weights=near, minlength=end - begin) > 0
            result[sl] = parity | on_edge
            begin = end
        return result

    # Public API ------------------------------------------------------------------------------
    def assign(self, xs, ys):
        """Point → zone. Returns ``(zone_ids, n_containing)``: for each point the ``zone_id``
        of the first zone (in ``zone_id`` order) containing it — a point on a boundary (within
        1 mm) belongs to every zone it touches — or ``None``; and the number of zones
        containing it (0 outside every zone, ≥ 2 on a shared boundary or where zones overlap)."""
        xs = np.asarray(xs, dtype="float64")
        ys = np.asarray(ys, dtype="float64")
        n = len(xs)
        first = np.full(n, -1, dtype=np.int64)
        n_containing = np.zeros(n, dtype=np.int64)
        # O(n · k) for k candidate zones per point, in chunks of points (bounded memory).
        for start in range(0, n, _POINT_CHUNK):
            sl = slice(start, min(n, start + _POINT_CHUNK))
            pi, zi = self._candidate_pairs(xs[sl], ys[sl])
            inside = self._contains(xs[sl], ys[sl], pi, zi)
            pi, zi = pi[inside], zi[inside]
            if len(pi):
                n_containing[sl] = np.bincount(pi, minlength=sl.stop - sl.start)
                best = np.full(sl.stop - sl.start, np.iinfo(np.int64).max, dtype=np.int64)
                np.minimum.at(best, pi, zi)
                first[sl] = np.where(best == np.iinfo(np.int64).max, -1, best)
        ids = self.frame["zone_id"].to_numpy(dtype=object)
        zone_ids = [ids[k] if k >= 0 else None for k in first]
        return zone_ids, n_containing

    def containing_pairs(self, xs, ys):
        """Every (point index, zone_id) containment pair, for callers that need all zones."""
        xs = np.asarray(xs, dtype="float64")
        ys = np.asarray(ys, dtype="float64")
        pi, zi = self._candidate_pairs(xs, ys)
        inside = self._contains(xs, ys, pi, zi)
        ids = self.frame["zone_id"].to_numpy(dtype=object)
        return pi[inside], ids[zi[inside]]

    def nearest_zone(self, xs, ys) -> list:
        """For each point, the ``zone_id`` of the zone with the nearest boundary vertex (an
        approximation of the nearest zone, for points outside every zone); KD-tree."""
        from scipy.spatial import cKDTree

        xs = np.asarray(xs, dtype="float64")
        ys = np.asarray(ys, dtype="float64")
        if self._edges is None or len(xs) == 0:
            return [None] * len(xs)
        ex1, ey1, _ex2, _ey2 = self._edges
        tree = cKDTree(np.column_stack([ex1, ey1]))
        ok = ~(np.isnan(xs) | np.isnan(ys))
        out = [None] * len(xs)
        if ok.any():
            _d, idx = tree.query(np.column_stack([xs[ok], ys[ok]]))
            ids = self.frame["zone_id"].to_numpy(dtype=object)
            for k, j in zip(np.nonzero(ok)[0], idx):
                out[k] = ids[self._edge_zone[j]]
        return out

    def distance_to_zones(self, xs, ys) -> float:
        """Median distance (m) from the points to the nearest zone boundary vertex; NaN without
        points or zones. Says whether points outside every zone are just off the edge or on
        another territory."""
        from scipy.spatial import cKDTree

        xs = np.asarray(xs, dtype="float64")
        ys = np.asarray(ys, dtype="float64")
        ok = ~(np.isnan(xs) | np.isnan(ys))
        if self._edges is None or not ok.any():
            return math.nan
        ex1, ey1, _ex2, _ey2 = self._edges
        distances, _idx = cKDTree(np.column_stack([ex1, ey1])).query(np.column_stack([xs[ok], ys[ok]]))
        return float(np.median(distances))

    def point_on_surface(self, zone_id):
        """A point guaranteed inside the zone, ``(x, y)`` in EPSG:2154 (NaN for an empty zone)."""
        geom = self.frame.at[self._index[zone_id], "geometry"]
        if geom is None or geom.isNull() or geom.isEmpty():
            return (math.nan, math.nan)
        point = geom.pointOnSurface().asPoint()
        return (point.x(), point.y())

    def geometry(self, zone_id) -> QgsGeometry:
        return self.frame.at[self._index[zone_id], "geometry"]

    def adjacency(self, distance_m: float = 0.0, feedback=None) -> pd.DataFrame:
        """Zone pairs (``zone_a`` < ``zone_b``) that touch, overlap or lie within
        ``distance_m`` of each other, with ``distance_m`` (0 when touching). Candidate pairs
        come from a spatial index on the bounding boxes; GEOS measures the distance."""
        index = QgsSpatialIndex()
        geoms = list(self.frame["geometry"])
        ids = list(self.frame["zone_id"])
        engines = {}
        for i, geom in enumerate(geoms):
            if geom is not None and not geom.isNull() and not geom.isEmpty():
                index.addFeature(i, geom.boundingBox())
        rows = []
        pad = max(float(distance_m), 0.0) + BOUNDARY_TOLERANCE_M
        for i, geom in enumerate(geoms):
            if feedback is not None and i % 500 == 0:
                feedback.check_cancelled()
            if geom is None or geom.isNull() or geom.isEmpty():
                continue
            box = QgsRectangle(geom.boundingBox())
            box.grow(pad)
            for j in sorted(index.intersects(box)):
                if j <= i:
                    continue
                other = geoms[j]
                if i not in engines:
                    engines[i] = QgsGeometry.createGeometryEngine(geom.constGet())
                    engines[i].prepareGeometry()
                if engines[i].intersects(other.constGet()):
                    dist = 0.0
                else:
                    dist = geom.distance(other)
                if dist <= pad:
                    a, b = sorted((ids[i], ids[j]))
                    rows.append((a, b, dist))
        frame = pd.DataFrame(rows, columns=["zone_a", "zone_b", "distance_m"])
        return frame.sort_values(["zone_a", "zone_b"]).reset_index(drop=True)


def _zone_label(row) -> str:
    parts = [row.get("libelle") or "?"]
    if row.get("insee"):
        parts.append(row["insee"])
    if row.get("idzone"):
        parts.append("IDZONE {}".format(row["idzone"]))
    return " / ".join(parts)


def _invalidity(geom) -> str:
    """Why GEOS finds a geometry invalid, in words (never empty)."""
    errors = geom.validateGeometry() or geom.validateGeometry(Qgis.GeometryValidationEngine.Geos)
    reasons = sorted({e.what() for e in errors if e.what()})
    return "; ".join(reasons) if reasons else tr("not valid for GEOS (e.g. a ring that crosses itself)")


def _cnig_mapping(original: list) -> dict:
    """``{CNIG column: layer field}``, case-insensitive, through the known spellings (first found wins)."""
    present = {name.lower(): name for name in original}
    mapping = {}
    for canonical in CNIG_COLUMNS:
        for spelling in [canonical, *CNIG_SPELLINGS.get(canonical, [])]:
            if spelling.lower() in present:
                mapping[canonical] = present[spelling.lower()]
                break
    return mapping


def _working_geometry(geom: QgsGeometry, transform, label: str, repaired_labels: list, warn) -> QgsGeometry:
    """A zone's geometry in EPSG:2154, polygon parts only. An invalid one is repaired and reported
    with its area before and after (make valid can drop a part), or the run stops naming the zone."""
    if transform is not None:
        geom.transform(transform)
    if geom.isGeosValid():
        return _polygon_parts(geom)
    why = _invalidity(geom)
    repaired = _polygon_parts(geom.makeValid())
    if repaired.isNull() or repaired.isEmpty() or not repaired.isGeosValid():
        raise EitInputError(tr("Zone {zone} has an invalid geometry ({why}) that could not be repaired. Fix it in "
                               "QGIS (Vector > Geometry Tools > Check Validity / Fix Geometries) and run again.").format(
            zone=label, why=why))
    repaired_labels.append(label)
    warn(tr("Zone {zone} had an invalid geometry ({why}); it was repaired (make valid), "
            "area {before:.0f} m² → {after:.0f} m².").format(
        zone=label, why=why, before=geom.area(), after=repaired.area()))
    return repaired


def read_zones(source, context=None, feedback=None, layer_name: str = "") -> ZoneLayer:
    """Read a CNIG ``zone_urba`` polygon source into a :class:`ZoneLayer` (EPSG:2154).

    Invalid geometries are repaired (make valid) with a warning naming the zone; a geometry
    that cannot be repaired stops the run with a message naming the zone. Zones without a
    geometry are kept (they contain nothing) with a warning. The source is never modified.
    """
    layer_name = layer_name or tr("zones")
    if QgsWkbTypes.geometryType(source.wkbType()) != QgsWkbTypes.GeometryType.PolygonGeometry:
        raise EitInputError(
            tr("Layer '{}' is not a polygon layer: the zones must be the PLU zone_urba polygons.").format(layer_name)
        )
    fields = source.fields()
    original = [f.name() for f in fields]
    mapping = _cnig_mapping(original)
    if "typezone" not in mapping:
        raise EitInputError(
            tr("Layer '{layer}' has no field TYPEZONE (matched case-insensitively). Its fields are: {present}. "
               "The zones must follow the CNIG zone_urba standard (TYPEZONE, LIBELLE, INSEE...).").format(
                layer=layer_name, present=", ".join(original) or tr("(none)"))
        )
    transform = to_working_crs(source.sourceCrs(), context)
    if transform is not None and feedback is not None:
        feedback.info(tr("Zones reprojected from {} to EPSG:2154.").format(source.sourceCrs().authid()))
    index_of = {name: fields.indexFromName(name) for name in original}
    records, warnings, repaired_labels, no_geometry = [], [], [], []
    total = source.featureCount() or 0

    def warn(message):
        warnings.append(message)
        if feedback is not None:
            feedback.warning(message)

    for n, feature in enumerate(source.getFeatures()):
        if feedback is not None and n % 500 == 0:
            feedback.check_cancelled()
            if total:
                feedback.set_progress(100.0 * n / total)
        attrs = feature.attributes()
        row = {name: clean_value(attrs[index_of[name]]) for name in original}
        for canonical in CNIG_COLUMNS:
            row[canonical] = _text(attrs[index_of[mapping[canonical]]]) if canonical in mapping else None
        row["_fid"] = feature.id()
        label = "{} (fid {})".format(_zone_label(row), feature.id())
        geom = QgsGeometry(feature.geometry())
        if geom.isNull() or geom.isEmpty():
            no_geometry.append(label)
            geom = QgsGeometry()
        else:
            geom = _working_geometry(geom, transform, label, repaired_labels, warn)
        row["geometry"] = geom
        row["area_m2"] = geom.area() if not geom.isNull() else 0.0
        records.append(row)
    _check_geometries(layer_name, len(records), no_geometry, warn)
    frame = pd.DataFrame(records, columns=[*original, *[c for c in CNIG_COLUMNS if c not in original], "_fid", "geometry", "area_m2"])
    _check_idzone(frame, mapping.get("idzone"), warn)
    frame = _assign_zone_ids(frame)
    frame = frame.drop(columns=["_fid"])
    return ZoneLayer(frame, original, warnings, source_fields=[fields.at(i) for i in range(fields.count())],
                     repaired=repaired_labels)


def _check_geometries(layer_name: str, total: int, no_geometry: list, warn) -> None:
    """Zones without a geometry: one warning naming them (the first 10), or a refusal when
    no zone has one (nothing could be placed in them)."""
    if not no_geometry:
        return
    if len(no_geometry) == total:
        raise EitInputError(
            tr("None of the {n} zones of '{layer}' has a geometry (NULL or empty geometries): nothing can be placed "
               "in them. Check that the right layer was given, or repair its geometries, and run again.").format(
                n=total, layer=layer_name))
    shown = ", ".join(no_geometry[:10]) + (" …" if len(no_geometry) > 10 else "")
    warn(tr("{n} of the {total} zones have no geometry (NULL or empty): they are kept in the output but contain no "
            "flow: {zones}.").format(n=len(no_geometry), total=total, zones=shown))


def _check_idzone(frame: pd.DataFrame, field: str, warn) -> None:
    """An IDZONE that is missing on some zones or repeated cannot identify them: said, with
    the zones concerned, before the identifiers are built from IDURBA/LIBELLE instead."""
    if field is None:
        return
    idzone = frame["idzone"]
    missing = int(idzone.isna().sum())
    repeated = idzone[idzone.notna() & idzone.duplicated(keep=False)]
    if missing == len(frame) or (not missing and repeated.empty):
        return
    parts = []
    if missing:
        parts.append(tr("empty on {} zones").format(missing))
    if not repeated.empty:
        counts = repeated.value_counts()
        examples = ", ".join("'{}' × {}".format(v, c) for v, c in counts.head(5).items())
        parts.append(tr("repeated on {n} zones ({examples})").format(n=len(repeated), examples=examples))
    warn(tr("{field} does not identify the zones ({parts}): each zone is identified by IDURBA:LIBELLE:n instead. "
            "Give each zone its own {field} to keep your identifiers.").format(field=field, parts="; ".join(parts)))


def _assign_zone_ids(frame: pd.DataFrame) -> pd.DataFrame:
    """``zone_id``: IDZONE when present on every zone and unique, else
    ``"{IDURBA}:{LIBELLE}:{n}"`` with n the 1-based rank within the same IDURBA/LIBELLE in a
    deterministic sort (INSEE, position of a point inside the zone, area); rows sorted by it."""
    if len(frame) == 0:
        frame["zone_id"] = pd.Series(dtype=object)
        return frame
    idzone = frame["idzone"]
    if idzone.notna().all() and idzone.is_unique:
        frame["zone_id"] = idzone.astype(str)
    else:
        keys = frame[["idurba", "libelle", "insee"]].fillna("").astype(str)
        pos = [g.pointOnSurface().asPoint() if not g.isNull() else None for g in frame["geometry"]]
        keys["_x"] = [round(p.x(), 2) if p is not None else math.inf for p in pos]
        keys["_y"] = [round(p.y(), 2) if p is not None else math.inf for p in pos]
        keys["_a"] = frame["area_m2"].round(2)
        keys["_fid"] = frame["_fid"]
        keys = keys.sort_values(["idurba", "libelle", "insee", "_x", "_y", "_a", "_fid"], kind="mergesort")
        rank = keys.groupby(["idurba", "libelle"], sort=False).cumcount() + 1
        zone_id = keys["idurba"] + ":" + keys["libelle"] + ":" + rank.astype(str)
        frame["zone_id"] = zone_id.reindex(frame.index)
    frame = frame.sort_values("zone_id", kind="mergesort").reset_index(drop=True)
    cols = ["zone_id", *[c for c in frame.columns if c != "zone_id"]]
    return frame[cols]
