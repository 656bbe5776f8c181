"""qgis_io.columnar: a GeoPackage read column-wise gives the very frame of the feature iterator."""
from __future__ import annotations

from unittest import mock

import numpy as np
import pandas as pd
import pytest


def _gpkg(path, geometry="Point", crs=2154, rows=None, with_bool=False, delete=()):
    """A GeoPackage with text (NULL, empty, accented), integer, real (NULL) fields."""
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(crs)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    kind = {"Point": ogr.wkbPoint, "Polygon": ogr.wkbPolygon, "MultiPoint": ogr.wkbMultiPoint}[geometry]
    layer = ds.CreateLayer("t", srs, kind)
    for name, type_ in (("siret", ogr.OFTString), ("n", ogr.OFTInteger), ("big", ogr.OFTInteger64), ("q", ogr.OFTReal)):
        layer.CreateField(ogr.FieldDefn(name, type_))
    if with_bool:
        field = ogr.FieldDefn("flag", ogr.OFTInteger)
        field.SetSubType(ogr.OFSTBoolean)
        layer.CreateField(field)
    for siret, n, big, q, wkt in rows:
        feature = ogr.Feature(layer.GetLayerDefn())
        for name, value in (("siret", siret), ("n", n), ("big", big), ("q", q)):
            if value is None:
                feature.SetFieldNull(name)
            else:
                feature.SetField(name, value)
        if wkt is not None:
            feature.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        layer.CreateFeature(feature)
    for fid in delete:
        layer.DeleteFeature(fid)
    ds = None
    return str(path)


ROWS = [("30001227500016", 1, 10 ** 12, 1.5, "POINT (925710.2 6558359.1)"),
        (None, None, None, None, "POINT (925711 6558360)"),
        ("", 3, 7, 2.25, None),
        ("Électricité", 4, 8, None, "POINT (925712.5 6558361)")]


def _iterator(fn, *args):
    from eit_plugin.qgis_io import columnar

    with mock.patch.object(columnar, "_layer_of", lambda source: None):
        return fn(*args)


def test_points_read_column_wise_equal_the_feature_iterator(qgis_app, tmp_path):
    from qgis.core import QgsVectorLayer

    from eit_plugin.qgis_io import columnar, layers

    layer = QgsVectorLayer(_gpkg(tmp_path / "p.gpkg", rows=ROWS, delete=(2,)), "p", "ogr")
    for mapping in (None, {"siret": "siret", "q": "q"}, {"id": "fid", "n": "n"}):
        fast = columnar.read_points(layer, None, mapping)
        assert fast is not None
        pd.testing.assert_frame_equal(fast, _iterator(layers.read_points, layer, None, mapping), check_exact=True)
    fast = layers.read_points(layer)
    assert fast["siret"].tolist() == ["30001227500016", "", "Électricité"]
    assert fast["fid"].tolist() == [1, 3, 4]
    assert np.isnan(fast["x"].iloc[1]) and fast["x"].iloc[2] == 925712.5


def test_polygons_read_column_wise_equal_the_feature_iterator(qgis_app, tmp_path):
    from qgis.core import QgsVectorLayer

    from eit_plugin.qgis_io import columnar, layers

    rows = [("a", 1, 2, 3.0, "POLYGON ((0 0, 10 0, 10 10, 0 0))"), ("b", None, 2, None, None)]
    layer = QgsVectorLayer(_gpkg(tmp_path / "z.gpkg", "Polygon", rows=rows), "z", "ogr")
    fast = columnar.read_geometries(layer)
    slow = _iterator(layers.read_geometries, layer)
    assert fast is not None
    assert [g.asWkt(3) for g in fast.pop("geometry")] == [g.asWkt(3) for g in slow.pop("geometry")]
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)


def test_reprojected_wgs84_points_are_read_in_lambert93(qgis_app, tmp_path):
    from qgis.core import QgsVectorLayer

    from eit_plugin.qgis_io import columnar, layers

    rows = [("a", 1, 1, 1.0, "POINT (5.92 45.57)")]  # Chambéry, longitude first in a GeoPackage
    layer = QgsVectorLayer(_gpkg(tmp_path / "w.gpkg", crs=4326, rows=rows), "w", "ogr")
    assert columnar.read_points(layer) is None  # reprojection: the feature iterator does it
    frame = layers.read_points(layer)
    assert 900000 < frame["x"].iloc[0] < 950000


def test_boolean_fields_are_read_as_the_feature_iterator_reads_them(qgis_app, tmp_path):
    from osgeo import ogr
    from qgis.core import QgsVectorLayer

    from eit_plugin.qgis_io import columnar, layers

    path = _gpkg(tmp_path / "b.gpkg", rows=[(str(i), i, i, 1.0, "POINT (1 2)") for i in range(3000)], with_bool=True)
    ds = ogr.Open(path, 1)  # true at scattered rows, one NULL (GDAL 3.6.2's Arrow booleans misplace such bits)
    ds.ExecuteSQL("UPDATE t SET flag = CASE WHEN fid IN (2, 1319, 2900) THEN 1 WHEN fid = 7 THEN NULL ELSE 0 END")
    ds = None
    layer = QgsVectorLayer(path, "b", "ogr")
    fast = columnar.read_points(layer)
    assert fast is not None
    pd.testing.assert_frame_equal(fast, _iterator(layers.read_points, layer), check_exact=True)
    assert fast.loc[fast["flag"].eq(True), "fid"].tolist() == [2, 1319, 2900]
    assert fast.loc[fast["fid"] == 7, "flag"].isna().all()


@pytest.mark.parametrize("case", ["multipoint", "memory", "subset", "selection"])
def test_other_sources_go_through_the_feature_iterator(qgis_app, tmp_path, case):
    from qgis.core import (
        QgsFeatureRequest,
        QgsProcessingContext,
        QgsProcessingFeatureSource,
        QgsProcessingFeatureSourceDefinition,
        QgsVectorLayer,
    )

    from eit_plugin.qgis_io import columnar, layers

    path = _gpkg(tmp_path / "o.gpkg", "MultiPoint" if case == "multipoint" else "Point",
                 rows=[(s, n, b, q, w.replace("POINT (", "MULTIPOINT ((").replace(")", "))") if w and case == "multipoint"
                        else w) for s, n, b, q, w in ROWS])
    layer = QgsVectorLayer(path, "o", "ogr")
    expected = len(ROWS)
    source = layer
    if case == "memory":
        source = layer.materialize(QgsFeatureRequest())
    elif case == "subset":
        layer.setSubsetString("n = 1")
        expected = 1
    elif case == "selection":
        # A "selected features only" parameter: the source is not marked for column-wise reading.
        context = QgsProcessingContext()
        source = QgsProcessingFeatureSource(layer, context)
        columnar.mark_source(source, QgsProcessingFeatureSourceDefinition(path, True), context)
        assert getattr(source, columnar._MARK, None) is None
        columnar.mark_source(source, path, context)  # the whole layer: marked
        assert getattr(source, columnar._MARK, None) is not None
        delattr(source, columnar._MARK)
    assert columnar.read_points(source) is None
    frame = layers.read_points(source)
    assert len(frame) == expected
    if case == "multipoint":
        assert frame["x"].iloc[0] == 925710.2
