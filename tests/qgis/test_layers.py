"""qgis_io.layers.write_frame: what lands in the output layer (values, NULLs, geometries)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest


def _memory(geometry: str):
    from qgis.core import QgsField, QgsVectorLayer
    from qgis.PyQt.QtCore import QVariant

    layer = QgsVectorLayer("{}?crs=EPSG:2154".format(geometry), "out", "memory")
    provider = layer.dataProvider()
    provider.addAttributes([QgsField("n", QVariant.Int), QgsField("q", QVariant.Double),
                            QgsField("s", QVariant.String), QgsField("b", QVariant.Bool),
                            QgsField("absent", QVariant.String)])
    layer.updateFields()
    return layer


TYPES = {"n": "int", "q": "float", "s": "str", "b": "bool", "absent": "str"}


def _rows(layer):
    out = []
    for feature in layer.getFeatures():
        attrs = [None if (v is None or (hasattr(v, "isNull") and v.isNull())) else v for v in feature.attributes()]
        geom = feature.geometry()
        out.append((attrs, None if geom.isNull() else geom.asWkt(0)))
    return out


def test_values_nulls_and_points_are_written_as_python_values(qgis_app):
    from eit_plugin.qgis_io.layers import write_frame

    frame = pd.DataFrame({
        "n": pd.array([1, None, 3], dtype="Int64"),
        "q": [1.5, np.nan, np.float64(2.0)],
        "s": ["a", None, 12],  # a number in a text field is written as its text
        "b": [True, False, None],
        "x": [900000.0, np.nan, 900010.0],
        "y": [6500000.0, 6500005.0, None],
    })
    layer = _memory("Point")
    assert write_frame(layer.dataProvider(), frame, layer.fields(), TYPES, geometry="xy") == 3
    rows = _rows(layer)
    assert rows[0] == ([1, 1.5, "a", True, None], "Point (900000 6500000)")
    assert rows[1] == ([None, None, None, False, None], None)  # NaN x: no geometry, not (nan nan)
    assert rows[2][0] == [3, 2.0, "12", None, None] and rows[2][1] is None


def test_lines_and_geometry_columns(qgis_app):
    from qgis.core import QgsGeometry

    from eit_plugin.qgis_io.layers import write_frame

    lines = pd.DataFrame({"n": [7], "x1": [0], "y1": [0], "x2": [3], "y2": [4]})
    layer = _memory("LineString")
    write_frame(layer.dataProvider(), lines, layer.fields(), TYPES, geometry="line")
    assert _rows(layer) == [([7, None, None, None, None], "LineString (0 0, 3 4)")]
    assert math.isclose(next(layer.getFeatures()).geometry().length(), 5.0)

    polys = pd.DataFrame({"s": ["z1", "z2"],
                          "geometry": [QgsGeometry.fromWkt("Polygon ((0 0, 1 0, 1 1, 0 0))"), None]})
    layer = _memory("Polygon")
    write_frame(layer.dataProvider(), polys, layer.fields(), TYPES, geometry="geometry")
    rows = _rows(layer)
    assert rows[0] == ([None, None, "z1", None, None], "Polygon ((0 0, 1 0, 1 1, 0 0))")
    assert rows[1] == ([None, None, "z2", None, None], None)


def test_cancelled_feedback_stops_the_writing(qgis_app):
    from eit_plugin.core.errors import EitCancelled
    from eit_plugin.qgis_io.layers import write_frame

    class Cancelled:
        def is_cancelled(self):
            return True

        def set_progress(self, percent):
            pass

    layer = _memory("Point")
    with pytest.raises(EitCancelled):
        write_frame(layer.dataProvider(), pd.DataFrame({"n": [1], "x": [0.0], "y": [0.0]}), layer.fields(), TYPES,
                    feedback=Cancelled())
    assert layer.featureCount() == 0
