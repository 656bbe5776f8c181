"""The positions the public geometry keeps away from: every located row of the geolocation
file, as two float columns (a rejected row, e.g. at 0;0, has no position)."""
from __future__ import annotations

import numpy as np
from qgis.core import QgsApplication, QgsProcessingContext

HEADER = "siret;x;y;qualite_xy;epsg\n"


def test_geolocated_positions_are_float_columns_of_the_located_rows(eit_provider, tmp_path):
    path = tmp_path / "geo.csv"
    path.write_text(HEADER + "".join([
        "78901234000012;925000.5;6504000.25;11;2154\n",
        "23456789000012;0;0;11;2154\n",             # zero coordinates: counted, no position
        "11111111111116;926250.0;6505500.0;21;2154\n",
        "11111111111116;926000.0;6505000.0;22;2154\n",  # duplicate SIRET: the first row is kept
        "45678901000018;[ND];[ND];;2154\n",
        "24680246000013;930000.0;6510000.0;11;2154\n",
    ]), encoding="utf-8")
    alg = QgsApplication.processingRegistry().createAlgorithmById("eit:fullanalysis")
    got = alg._geolocated({"GEOLOCATION": str(path)}, QgsProcessingContext())
    assert list(got.columns) == ["x", "y"]
    assert got.dtypes.tolist() == [np.dtype(float), np.dtype(float)]
    assert list(zip(got["x"], got["y"])) == [(925000.5, 6504000.25), (926250.0, 6505500.0), (930000.0, 6510000.0)]
    assert alg._geolocated({"GEOLOCATION": ""}, QgsProcessingContext()) is None
