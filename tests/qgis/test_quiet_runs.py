"""A successful run says nothing alarming: the full analysis of the shipped sample, through
``qgis_process.bin`` with the packaged plugin, prints no GDAL or GEOS error text; and the
commune outlines (the union of their zones) hold no zero-width ring that GEOS refuses when a
map is drawn."""
from __future__ import annotations

import hashlib
import re
import subprocess

from qgis.core import QgsGeometry

from eit_plugin.qgis_io.zones import without_slivers
from tests.conftest import ROOT

SAMPLE = ROOT / "resources" / "sample"
NOISE = re.compile(r"GEOS exception|IllegalArgumentException|LinearRing|^ERROR \d|^Warning \d|Traceback",
                   re.MULTILINE)


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_union_of_zones_with_unshared_vertices_leaves_no_zero_width_ring():
    # The union of the sample's zones left such holes in its communes: three collinear points
    # (zero area), 300 of them; GEOS refused them when the report's maps were drawn.
    union = QgsGeometry.fromWkt("MULTIPOLYGON(((0 0, 200 0, 200 100, 0 100, 0 0), "
                                "(100 10, 100 50, 100 30, 100 10)))")
    cleaned = without_slivers(union)
    rings = [ring for polygon in cleaned.asMultiPolygon() for ring in polygon]
    assert all(len({(p.x(), p.y()) for p in ring}) >= 3 for ring in rings)
    assert len(rings) == 1  # the outline only
    assert abs(cleaned.area() - 20_000.0) < 1.0
    # A real hole (a courtyard) stays.
    courtyard = QgsGeometry.fromWkt("POLYGON((0 0, 100 0, 100 100, 0 100, 0 0), (40 40, 60 40, 60 60, 40 60, 40 40))")
    assert abs(without_slivers(courtyard).area() - courtyard.area()) < 1e-6


def test_sample_full_analysis_prints_no_gdal_or_geos_error(installed_qgis_process, tmp_path):
    gpkg = SAMPLE / "metropole_savoie_sample.gpkg"
    inputs = [gpkg, SAMPLE / "StockEtablissement_sample.csv", SAMPLE / "GeolocalisationEtablissement_sample.csv",
              SAMPLE / "flux_declares_enquete.csv"]
    before = {p: sha(p) for p in inputs}
    args = ["run", "eit:fullanalysis", "--",
            "SIRENE_FILE={}".format(inputs[1]), "GEOLOCATION={}".format(inputs[2]),
            "ZONES={}|layername=zone_urba".format(gpkg), "DECLARED={}".format(inputs[3]),
            "HOUSING={}|layername=housing".format(gpkg), "NETWORK={}|layername=heat_network".format(gpkg),
            "OUTPUT_GPKG={}".format(tmp_path / "eit.gpkg"), "REPORT={}".format(tmp_path / "rapport.html")]
    result: subprocess.CompletedProcess = installed_qgis_process.call(args, timeout=900)
    text = result.stdout + result.stderr
    assert result.returncode == 0, text[-3000:]
    assert (tmp_path / "eit.gpkg").exists() and (tmp_path / "rapport.pdf").exists()
    noise = NOISE.findall(text)
    assert not noise, [line for line in text.splitlines() if NOISE.search(line)]
    assert {p: sha(p) for p in inputs} == before
