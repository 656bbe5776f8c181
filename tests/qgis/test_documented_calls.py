"""Every algorithm runs through ``qgis_process.bin`` (the packaged zip, a private profile) with
only its mandatory parameters, as the contract and the README show them: a batch script that
copies the documented call must work as written."""
from __future__ import annotations

import shutil

import pytest
from qgis.core import (
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsProcessingContext,
    QgsProcessingParameterDefinition,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

from tests.conftest import ROOT
from tools.qgisproc import QgisProcess

DATA = ROOT / "tests" / "data"

# Parameters each call gives beyond the mandatory ones, because the documentation shows them
# as the way to call the algorithm (one of two alternatives, e.g. INPUT or INPUT_LAYER).
DOCUMENTED_ALTERNATIVES = {
    "eit:importestablishments": {"INPUT"},
    "eit:fullanalysis": {"SIRENE_FILE"},
    "eit:comparescenarios": set(),
}


def _zones(path):
    """Three CNIG zones around the small SIRENE file's Chambéry points (EPSG:2154)."""
    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:2154", "zone_urba", "memory")
    layer.dataProvider().addAttributes([QgsField(n, QVariant.String) for n in ("IDURBA", "LIBELLE", "TYPEZONE",
                                                                               "DESTDOMI", "INSEE")])
    layer.updateFields()
    for label, typezone, dest, (x0, y0, x1, y1) in (
            ("UX", "U", "02", (924500, 6503500, 925600, 6504600)),
            ("UB", "U", "01", (925600, 6503500, 927000, 6504600)),
            ("1AUx", "AUc", "02", (925600, 6504600, 927000, 6506000))):
        feature = QgsFeature(layer.fields())
        feature.setAttributes(["73065_PLU_20200101", label, typezone, dest, "73065"])
        feature.setGeometry(QgsGeometry.fromWkt("POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(
            x0, y0, x1, y1)))
        layer.dataProvider().addFeature(feature)
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = "zone_urba"
    QgsVectorFileWriter.writeAsVectorFormatV3(layer, str(path), QgsProcessingContext().transformContext(), options)
    return str(path)


@pytest.fixture(scope="module")
def qgis_cli(package_zip, tmp_path_factory):
    qgis = QgisProcess(tmp_path_factory.mktemp("profile"))
    qgis.install(package_zip)
    return qgis


def _mandatory(eit_provider, alg_id):
    algorithm = eit_provider.algorithm(alg_id.split(":")[1])
    # Non-optional parameters with a default need not be given; destinations always do.
    return {p.name() for p in algorithm.parameterDefinitions()
            if not p.flags() & QgsProcessingParameterDefinition.FlagOptional
            and (p.defaultValue() is None or p.isDestination())}


def test_every_algorithm_runs_with_its_documented_mandatory_parameters(eit_provider, qgis_cli, tmp_path):
    stock = tmp_path / "StockEtablissement.csv"
    shutil.copy(DATA / "sirene_stock_small.csv", stock)
    zones = _zones(tmp_path / "plu.gpkg")
    out = tmp_path / "out"
    out.mkdir()
    calls = [
        ("eit:importestablishments", {"INPUT": stock, "OUTPUT": out / "establishments.gpkg"}),
        ("eit:estimateflows", {"INPUT": out / "establishments.gpkg", "OUTPUT": out / "flows.gpkg"}),
        ("eit:zoneoverlay", {"ZONES": zones, "FLOWS": out / "flows.gpkg", "OUTPUT": out / "zones.gpkg"}),
        ("eit:detectsynergies", {"FLOWS": out / "flows.gpkg", "OUTPUT": out / "synergies.gpkg"}),
        ("eit:detectclusters", {"FLOWS": out / "flows.gpkg", "OUTPUT": out / "clusters.gpkg"}),
        ("eit:recommendations", {"ZONES": out / "zones.gpkg", "OUTPUT": out / "recommendations.gpkg"}),
        ("eit:comparescenarios", {"ZONES": zones, "SCENARIOS": zones, "FLOWS": out / "flows.gpkg",
                                  "OUTPUT": out / "comparison.gpkg"}),
        ("eit:fullanalysis", {"SIRENE_FILE": stock, "ZONES": zones, "OUTPUT_GPKG": out / "eit.gpkg",
                              "REPORT": out / "rapport.html"}),
    ]
    listed = set(qgis_cli.algorithms())
    assert listed == {alg for alg, _ in calls}, "a new algorithm needs its documented call here"
    for alg_id, params in calls:
        mandatory = _mandatory(eit_provider, alg_id)
        extra = set(params) - mandatory - DOCUMENTED_ALTERNATIVES.get(alg_id, set())
        assert set(params) >= mandatory, (alg_id, mandatory - set(params))
        # Outputs other than the first are all optional: a documented call names only these.
        assert not extra, "{}: {} are optional, leave them out of the minimal call".format(alg_id, extra)
        result = qgis_cli.run(alg_id, {k: str(v) for k, v in params.items()}, timeout=900)
        for key, value in params.items():
            if key.startswith("OUTPUT") or key == "REPORT":
                assert (out / value.name).exists(), (alg_id, key, result.get("log"))
