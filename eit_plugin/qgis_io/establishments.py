"""The QGIS pieces the SIRENE import needs (``eit:importestablishments`` and the full
analysis): a per-EPSG reprojection to Lambert-93, the AREA test with prepared geometries and
a spatial index, and a point layer read as SIRENE records."""
from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsPoint,
    QgsPointXY,
    QgsRectangle,
    QgsSpatialIndex,
    QgsWkbTypes,
)

from ..core import sirene
from ..core.errors import EitInputError
from ..i18n import tr
from .layers import read_geometries, to_working_crs, transform_context, working_crs

# Layer fields that would be confused with the coordinates taken from the geometry.
_SHADOWED = {"x", "y", "epsg", "coordonneelambertabscisseetablissement", "coordonneelambertordonneeetablissement"}


def make_transformer(context=None):
    """``transformer(epsg) -> fn(x, y) -> (x, y)`` into EPSG:2154, one QgsCoordinateTransform
    per EPSG (``None`` when QGIS does not know the code; ``fn`` raises ``ValueError`` when a
    point cannot be transformed)."""
    target = working_crs()
    ctx = transform_context(context)

    def transformer(epsg):
        crs = QgsCoordinateReferenceSystem("EPSG:{}".format(int(epsg)))
        if not crs.isValid():
            return None
        transform = QgsCoordinateTransform(crs, target, ctx)
        if not transform.isValid():
            return None

        def fn(x, y):
            try:
                point = transform.transform(QgsPointXY(x, y))
            except QgsCsException:
                raise ValueError("cannot transform") from None
            return point.x(), point.y()

        return fn

    return transformer


class AreaFilter:
    """``keep(x, y)`` in EPSG:2154: true when the point lies in (or on the edge of) one of the
    AREA polygons. A bounding-box test first, then the spatial index narrows the candidates,
    then a prepared GEOS geometry answers: no loop over all polygons per point."""

    def __init__(self, source, context=None, feedback=None):
        frame = read_geometries(source, context, mapping={}, feedback=feedback)
        self.index = QgsSpatialIndex()
        self.engines = {}
        extent = None
        repaired = 0
        for geom in frame["geometry"]:
            if geom is None or geom.isNull() or geom.isEmpty():
                continue
            if geom.type() != QgsWkbTypes.GeometryType.PolygonGeometry:
                continue
            if not geom.isGeosValid():
                geom = geom.makeValid()
                repaired += 1
            engine = QgsGeometry.createGeometryEngine(geom.constGet())
            engine.prepareGeometry()
            key = len(self.engines)
            self.engines[key] = (engine, geom)
            feature = QgsFeature(key)
            feature.setGeometry(geom)
            self.index.addFeature(feature)
            box = geom.boundingBox()
            if extent is None:
                extent = QgsRectangle(box)
            else:
                extent.combineExtentWith(box)
        if extent is None:
            raise EitInputError(tr(
                "The study area (AREA) has no polygon with a geometry: choose a polygon layer, "
                "e.g. the communes of the territory."))
        self.repaired = repaired
        self.n_polygons = len(self.engines)
        self.xmin, self.ymin, self.xmax, self.ymax = extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()

    def __call__(self, x: float, y: float) -> bool:
        if x < self.xmin or x > self.xmax or y < self.ymin or y > self.ymax:
            return False
        candidates = self.index.intersects(QgsRectangle(x, y, x, y))
        if not candidates:
            return False
        point = QgsPoint(x, y)
        for key in sorted(candidates):
            if self.engines[key][0].intersects(point):
                return True
        return False


def layer_rows(source, context=None, label=""):
    """A point feature source as ``sirene.RecordRows``: its attributes, then ``x``, ``y``
    (EPSG:2154, from the geometry) and ``epsg``. SIRET stored as numbers get their leading
    zeros back."""
    fields = source.fields()
    names = [f.name() for f in fields]
    header = ["_layer_" + n if n.lower() in _SHADOWED else n for n in names] + ["x", "y", "epsg"]
    siret_index = next((i for i, n in enumerate(names) if n.lower() == "siret"), None)
    transform = to_working_crs(source.sourceCrs(), context)

    def records():
        for feature in source.getFeatures(QgsFeatureRequest()):
            values = [None if v is None or (hasattr(v, "isNull") and v.isNull()) else v for v in feature.attributes()]
            if siret_index is not None and values[siret_index] is not None:
                values[siret_index] = sirene.normalise_siret(values[siret_index])
            geom = feature.geometry()
            x = y = None
            if geom is not None and not geom.isNull() and not geom.isEmpty():
                geom = QgsGeometry(geom)
                try:
                    if transform is not None:
                        geom.transform(transform)
                    point = geom.asPoint() if not geom.isMultipart() else geom.asMultiPoint()[0]
                    x, y = repr(point.x()), repr(point.y())
                except (QgsCsException, IndexError, TypeError):
                    x, y = "not-a-number", "not-a-number"
            yield values + [x, y, sirene.WORKING_EPSG]

    return sirene.RecordRows(label or source.sourceName(), header, records(), source.featureCount() or 0)
