"""Column-wise reading of GeoPackage layers (GDAL's Arrow stream), same frames as the feature iterator.

QGIS's feature iterator builds one ``QgsFeature`` and one Python value per cell; for a
GeoPackage of a million flows that is most of the time of a step. GDAL ≥ 3.6 streams a
GeoPackage layer as column batches (``ogr.Layer.GetArrowStreamAsNumPy``): numbers arrive as
NumPy arrays, texts as byte arrays decoded once per column, point geometries as WKB parsed
in one vectorised pass.

:func:`read_points` and :func:`read_geometries` return exactly the frames of
``layers.read_points`` / ``layers.read_geometries`` (same columns, dtypes, ``None`` for NULL
texts, NaN for NULL numbers, the layer's feature ids, positions in EPSG:2154), or ``None``
when the source is not one they can read faithfully; the caller then uses the feature
iterator, which stays the path for every other source (PostGIS, memory layers, WFS,
shapefiles…), for a Processing source with a selection or a feature limit, for fields of
other types than text, integer, real and boolean (dates, JSON…), for geometries that are
not 2D points or need a reprojection (``read_points``).

Boolean fields come from a second, geometry-less feature iteration over those fields only:
GDAL 3.6.2's NumPy conversion of Arrow boolean columns misplaces the bits.

Cost: O(n · c) in C for n features and c fields read, plus one Python ``str`` per text
cell (the object columns the frames carry); no ``QgsFeature`` unless the layer has boolean
fields to read.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

# Where a Processing source remembers the plain GeoPackage layer behind it (see mark_source).
_MARK = "_eit_columnar_layer"
_TEXT, _NUMBER, _BOOL = "text", "number", "bool"
_BATCH = 200000


def _gdal_ok() -> bool:
    try:
        from osgeo import ogr
    except ImportError:  # pragma: no cover - GDAL's Python bindings ship with QGIS
        return False
    return hasattr(ogr.Layer, "GetArrowStreamAsNumPy")


def _plain_gpkg(layer):
    """(path, layer name or index) of a QgsVectorLayer that is a whole GeoPackage layer
    (OGR provider, no subset string), else ``None``."""
    from qgis.core import QgsProviderRegistry, QgsVectorLayer

    if not isinstance(layer, QgsVectorLayer) or not layer.isValid() or layer.providerType() != "ogr":
        return None
    if layer.subsetString() or layer.dataProvider().storageType() != "GPKG":
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path, name, index = parts.get("path"), parts.get("layerName"), parts.get("layerId")
    if not path:
        return None
    if isinstance(name, str) and name:
        return path, name
    return path, int(index) if isinstance(index, int) else 0


def mark_source(source, value, context) -> None:
    """Remember on a Processing feature source the plain GeoPackage layer it reads, when the
    parameter ``value`` is the whole layer (not selected features, no feature limit) and no
    invalid-geometry filter applies to it (points cannot be invalid)."""
    from qgis.core import QgsFeatureRequest, QgsProcessingFeatureSourceDefinition, QgsProcessingUtils, QgsWkbTypes

    if not _gdal_ok():
        return
    if isinstance(value, QgsProcessingFeatureSourceDefinition):
        if value.selectedFeaturesOnly or value.featureLimit != -1:
            return
        value = value.source.staticValue()
    layer = value if hasattr(value, "dataProvider") else (
        QgsProcessingUtils.mapLayerFromString(str(value), context) if value not in (None, "") else None)
    where = _plain_gpkg(layer)
    if where is None:
        return
    check = context.invalidGeometryCheck() if context is not None else QgsFeatureRequest.InvalidGeometryCheck.GeometryNoCheck
    kind = QgsWkbTypes.geometryType(layer.wkbType())
    if check != QgsFeatureRequest.InvalidGeometryCheck.GeometryNoCheck and kind not in (
            QgsWkbTypes.GeometryType.PointGeometry, QgsWkbTypes.GeometryType.NullGeometry):
        return
    setattr(source, _MARK, layer)


def _layer_of(source):
    """The plain GeoPackage QgsVectorLayer behind ``source`` (a layer or a marked Processing
    source), else ``None``."""
    layer = getattr(source, _MARK, None)
    if layer is None and _plain_gpkg(source) is not None:
        layer = source
    return layer if layer is not None and _gdal_ok() else None


def _kinds(fields, names):
    """Column kind of each field name (text or number), or ``None`` when one has another
    type (its values through the feature iterator are not plain texts or numbers)."""
    from qgis.PyQt.QtCore import QVariant

    kinds = {}
    for name in names:
        index = fields.indexFromName(name)
        if index < 0:
            return None
        field = fields.at(index)
        if field.type() == QVariant.Type.String and field.typeName().lower() in ("string", "text", "varchar"):
            kinds[name] = _TEXT
        elif field.type() in (QVariant.Type.Int, QVariant.Type.LongLong, QVariant.Type.Double):
            kinds[name] = _NUMBER
        elif field.type() == QVariant.Type.Bool:
            kinds[name] = _BOOL
        else:
            return None
    return kinds


def _texts(values) -> np.ndarray:
    """Byte strings (masked = NULL) → object array of ``str`` / ``None``. O(n)."""
    return np.array([None if v is None else v.decode("utf-8") for v in values.tolist()], dtype=object)


def _numbers(values) -> np.ndarray:
    """Masked numbers → what a DataFrame built from Python values holds: int64 when no NULL,
    float64 with NaN otherwise."""
    if values.dtype.kind in "iu":
        values = values.astype(np.int64)  # Python ints: int64 in a frame
    if np.ma.isMaskedArray(values):
        mask = np.ma.getmaskarray(values)
        if not mask.any():
            return np.ma.getdata(values)
        if mask.all():  # a column of NULLs only: None, as pandas keeps it from Python values
            return np.full(len(values), None, dtype=object)
        return values.astype(float).filled(np.nan)
    return values


def _point_xy(wkb) -> tuple:
    """x, y of each 2D point WKB (NaN for a NULL or empty one); ``None`` when one geometry
    is not a little-endian 2D point (multipoints, Z, curves…). O(n), vectorised."""
    if np.ma.isMaskedArray(wkb) or wkb.dtype == object:
        data = np.ma.getdata(wkb)
        mask = np.ma.getmaskarray(wkb)
        n = len(data)
        xs, ys = np.full(n, np.nan), np.full(n, np.nan)
        present = np.flatnonzero(~mask)
        blobs = [data[i] for i in present.tolist()]
        if any(len(b) != 21 for b in blobs):
            return None
        raw = np.frombuffer(b"".join(blobs), dtype=np.uint8).reshape(len(blobs), 21) if blobs else np.zeros((0, 21), np.uint8)
    else:
        if wkb.dtype.itemsize != 21:
            return None
        raw = np.frombuffer(np.ascontiguousarray(wkb).tobytes(), dtype=np.uint8).reshape(len(wkb), 21)
        present = None
    if len(raw) and not ((raw[:, 0] == 1).all() and (raw[:, 1:5].copy().view("<u4")[:, 0] == 1).all()):
        return None
    coords = raw[:, 5:21].copy().view("<f8")
    if present is None:
        return coords[:, 0].copy(), coords[:, 1].copy()
    xs[present], ys[present] = coords[:, 0], coords[:, 1]
    return xs, ys


def _batches(layer, names, feedback):
    """The layer's columns ``names``, its FIDs (``__fid__``) and WKB geometries
    (``__geometry__``) as NumPy arrays over the stream's batches, and the name of its FID
    column; ``None`` if GDAL cannot stream the layer."""
    from osgeo import gdal

    path, which = _plain_gpkg(layer)
    try:
        dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY, allowed_drivers=["GPKG"])
        ogr_layer = None if dataset is None else (
            dataset.GetLayerByName(which) if isinstance(which, str) else dataset.GetLayer(which))
        if ogr_layer is None:
            return None
        definition = ogr_layer.GetLayerDefn()
        ogr_layer.SetIgnoredFields([definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())
                                    if definition.GetFieldDefn(i).GetName() not in names])
        fid_name = ogr_layer.GetFIDColumn()
        geom_name = ogr_layer.GetGeometryColumn()
        parts = {}
        for batch in ogr_layer.GetArrowStreamAsNumPy(options=["MAX_FEATURES_IN_BATCH={}".format(_BATCH)]):
            if feedback is not None:
                feedback.check_cancelled()
            for key, values in batch.items():
                parts.setdefault(key, []).append(values)
    except RuntimeError:
        return None
    finally:
        ogr_layer = dataset = None
    if not fid_name or fid_name not in parts:
        return None
    out = {}
    for key, chunks in parts.items():
        out[key] = chunks[0] if len(chunks) == 1 else (
            np.ma.concatenate(chunks) if any(np.ma.isMaskedArray(c) for c in chunks) else np.concatenate(chunks))
    out["__fid__"] = out.pop(fid_name)
    out["__geometry__"] = out.pop(geom_name, None) if geom_name else None
    return out, fid_name


def _attributes(layer, mapping, feedback):
    """(dict of mapped columns, arrays from the stream) or ``None`` when not readable here."""
    fields = layer.fields()
    mapping = mapping or {f.name(): f.name() for f in fields}
    kinds = _kinds(fields, list(mapping.values()))
    if kinds is None or not layer.featureCount():
        return None
    read = _batches(layer, set(mapping.values()), feedback)
    if read is None:
        return None
    arrays, fid_name = read
    fid = arrays["__fid__"]
    if len(fid) != layer.featureCount():
        return None
    booleans = _booleans(layer, [n for n in set(mapping.values()) if kinds[n] == _BOOL], fid)
    if booleans is None:
        return None
    columns = {}
    for canonical, name in mapping.items():
        if name == fid_name:  # QGIS shows a GeoPackage's FID column as a field too
            columns[canonical] = np.asarray(fid, dtype=np.int64).copy()
        elif name in booleans:
            columns[canonical] = booleans[name]
        elif name not in arrays:
            return None
        else:
            columns[canonical] = _texts(arrays[name]) if kinds[name] == _TEXT else _numbers(arrays[name])
    return columns, arrays


def _booleans(layer, names, fid):
    """The boolean fields ``names`` through the feature iterator, without geometry nor other
    fields (GDAL 3.6.2's NumPy conversion of Arrow boolean columns misplaces the bits): the
    values a full read gives, or ``None`` when the features do not come in ``fid`` order."""
    from qgis.core import QgsFeatureRequest

    from .layers import clean_value

    if not names:
        return {}
    fields = layer.fields()
    indexes = [fields.indexFromName(n) for n in names]
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry).setSubsetOfAttributes(indexes)
    values = {n: [] for n in names}
    ids = []
    for feature in layer.getFeatures(request):
        ids.append(feature.id())
        attrs = feature.attributes()
        for n, i in zip(names, indexes):
            values[n].append(clean_value(attrs[i]))
    if not np.array_equal(np.asarray(ids, dtype=np.int64), np.asarray(fid, dtype=np.int64)):
        return None
    # As pandas builds a column from these Python values: bool, or object with None.
    return {n: pd.Series(v).to_numpy() for n, v in values.items()}


def read_points(source, context=None, mapping=None, feedback=None):
    """``layers.read_points``'s frame (mapped attributes, ``fid``, ``x``, ``y`` in EPSG:2154)
    read column-wise, or ``None`` when the feature iterator must be used. O(n · c)."""
    from .layers import to_working_crs

    layer = _layer_of(source)
    if layer is None or to_working_crs(layer.crs(), context) is not None:
        return None
    read = _attributes(layer, mapping, feedback)
    if read is None:
        return None
    columns, arrays = read
    n = len(arrays["__fid__"])
    wkb = arrays.get("__geometry__")
    xy = (np.full(n, np.nan), np.full(n, np.nan)) if wkb is None else _point_xy(wkb)
    if xy is None:
        return None
    frame = pd.DataFrame(columns) if columns else pd.DataFrame(index=pd.RangeIndex(n))
    frame["fid"] = arrays["__fid__"].astype(np.int64)
    frame["x"] = pd.array(xy[0], dtype="float64")
    frame["y"] = pd.array(xy[1], dtype="float64")
    return frame


def read_geometries(source, context=None, mapping=None, feedback=None):
    """``layers.read_geometries``'s frame (mapped attributes, ``fid``, ``geometry`` as
    ``QgsGeometry`` in EPSG:2154) read column-wise, or ``None`` when the feature iterator
    must be used. O(n · c) + one ``QgsGeometry`` built from WKB per feature."""
    from qgis.core import QgsGeometry

    from .layers import to_working_crs

    layer = _layer_of(source)
    if layer is None:
        return None
    read = _attributes(layer, mapping, feedback)
    if read is None:
        return None
    columns, arrays = read
    n = len(arrays["__fid__"])
    transform = to_working_crs(layer.crs(), context)
    wkb = arrays.get("__geometry__")
    blobs = [None] * n if wkb is None else (wkb.tolist() if wkb.dtype == object or np.ma.isMaskedArray(wkb)
                                            else [bytes(v) for v in wkb.tolist()])
    geoms = []
    for blob in blobs:
        geom = QgsGeometry()
        if blob is not None:
            geom.fromWkb(bytes(blob))
            if transform is not None and not geom.isNull():
                geom.transform(transform)
        geoms.append(geom)
    frame = pd.DataFrame(columns) if columns else pd.DataFrame(index=pd.RangeIndex(n))
    frame["fid"] = arrays["__fid__"].astype(np.int64)
    frame["geometry"] = geoms
    return frame
