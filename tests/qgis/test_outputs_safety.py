"""Inputs are never written and outputs are all or nothing, for every algorithm (the check
lives in EitAlgorithm): an output naming an input is refused before any work, whatever the
spelling of its path; a run that fails leaves no new file and says which output and why."""
from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess

import pytest
from qgis.core import (
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

ESTABLISHMENTS = [
    ("UVE test", "90000000100017", "38.21Z", "12", 1000, 1000),
    ("Fromagerie test", "90000035700013", "10.51C", "21", 3000, 1200),
    ("Porcherie test", "90000042300013", "01.46Z", "02", 3400, 1300),
    ("Bureau A", "11111111100018", "70.22Z", "12", 1200, 2600),
    ("Bureau B", "22222222200019", "69.20Z", "12", 1300, 2700),
    ("Commerce C", "33333333300010", "47.11F", "21", 1400, 2650),
]
ZONES = [("UXa", "U", "02", (500, 500, 1500, 1500)), ("UB", "U", "01", (1500, 500, 2500, 1500)),
         ("UXp", "U", "02", (1000, 2400, 1700, 3000)), ("A", "A", "07", (2500, 500, 4000, 2000))]


def sha(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def write(layer, path, name):
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = name
    options.actionOnExistingFile = (QgsVectorFileWriter.CreateOrOverwriteLayer if os.path.exists(path)
                                    else QgsVectorFileWriter.CreateOrOverwriteFile)
    error = QgsVectorFileWriter.writeAsVectorFormatV3(layer, str(path), QgsProcessingContext().transformContext(),
                                                      options)
    assert error[0] == QgsVectorFileWriter.NoError, error
    return "{}|layername={}".format(path, name)


def establishments(path, name="establishments"):
    points = QgsVectorLayer("Point?crs=EPSG:2154", name, "memory")
    points.dataProvider().addAttributes([QgsField(n, QVariant.String) for n in (
        "siret", "name", "naf", "headcount_band", "insee_commune")])
    points.updateFields()
    for label, siret, naf, band, x, y in ESTABLISHMENTS:
        feature = QgsFeature(points.fields())
        feature.setAttributes([siret, label, naf, band, "73065"])
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        points.dataProvider().addFeature(feature)
    return write(points, path, name)


def zones(path, name="zone_urba"):
    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:2154", name, "memory")
    layer.dataProvider().addAttributes([QgsField(n, QVariant.String) for n in (
        "IDURBA", "LIBELLE", "TYPEZONE", "DESTDOMI", "INSEE")])
    layer.updateFields()
    for label, typezone, dest, (x0, y0, x1, y1) in ZONES:
        feature = QgsFeature(layer.fields())
        feature.setAttributes(["73065_PLU_20200101", label, typezone, dest, "73065"])
        feature.setGeometry(QgsGeometry.fromWkt("POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(
            x0, y0, x1, y1)))
        layer.dataProvider().addFeature(feature)
    return write(layer, path, name)


def run(alg, params):
    import processing

    return processing.run(alg, params, context=QgsProcessingContext(), feedback=QgsProcessingFeedback())


def refused(alg, params) -> str:
    with pytest.raises(QgsProcessingException) as info:
        run(alg, params)
    return str(info.value)


@contextlib.contextmanager
def read_only(folder):
    """A folder nobody can write into, root included (chattr +i where root ignores modes)."""
    os.chmod(folder, 0o555)
    immutable = os.geteuid() == 0 and subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
    if os.geteuid() == 0 and not immutable:
        os.chmod(folder, 0o755)
        pytest.skip("cannot make a folder read-only for root here")
    try:
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        os.chmod(folder, 0o755)


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    return {"establishments": establishments(folder / "inputs.gpkg"), "zones": zones(folder / "zones.gpkg"),
            "folder": folder}


@pytest.mark.parametrize("spelling", ["plain", "layername", "dotdot", "symlink", "ogr_uri"])
def test_estimateflows_refuses_to_write_over_its_input_whatever_the_spelling(eit_provider, inputs, spelling):
    path = inputs["establishments"].split("|")[0]
    before = sha(path)
    folder = inputs["folder"]
    if spelling == "symlink":
        os.symlink(path, folder / "alias.gpkg")
    output = {
        "plain": path,
        "layername": path + "|layername=flows",
        "dotdot": str(folder / ".." / "in" / "inputs.gpkg"),
        "symlink": str(folder / "alias.gpkg"),
        "ogr_uri": "ogr:dbname='{}' table=\"flows\" (geom)".format(path),
    }[spelling]
    message = refused("eit:estimateflows", {"INPUT": inputs["establishments"], "OUTPUT": output})
    assert "OUTPUT" in message and "INPUT" in message and "never written" in message, message
    assert sha(path) == before
    assert sorted(os.listdir(folder)) == sorted(["inputs.gpkg", "zones.gpkg"] + (["alias.gpkg"] if spelling == "symlink" else []))


def test_zoneoverlay_and_fullanalysis_refuse_the_zones_file_as_output(eit_provider, inputs, tmp_path):
    zones_file = inputs["zones"].split("|")[0]
    before = sha(zones_file)
    flows = run("eit:estimateflows", {"INPUT": inputs["establishments"], "OUTPUT": str(tmp_path / "flows.gpkg")})
    message = refused("eit:zoneoverlay", {"ZONES": inputs["zones"], "FLOWS": flows["OUTPUT"], "OUTPUT": zones_file})
    assert "OUTPUT" in message and "ZONES" in message, message
    message = refused("eit:fullanalysis", {"ESTABLISHMENTS": inputs["establishments"], "ZONES": inputs["zones"],
                                           "OUTPUT_GPKG": zones_file, "REPORT": str(tmp_path / "r.html")})
    assert "OUTPUT_GPKG" in message and "ZONES" in message, message
    assert sha(zones_file) == before
    assert not (tmp_path / "r.html").exists()


def test_fullanalysis_with_report_in_a_read_only_folder_leaves_no_geopackage(eit_provider, inputs, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    locked = tmp_path / "locked"
    locked.mkdir()
    with read_only(locked):
        message = refused("eit:fullanalysis", {
            "ESTABLISHMENTS": inputs["establishments"], "ZONES": inputs["zones"],
            "OUTPUT_GPKG": str(out / "eit.gpkg"), "REPORT": str(locked / "rapport.html")})
    assert "REPORT" in message and "no write permission" in message, message
    assert "bug" not in message
    assert os.listdir(out) == [] and os.listdir(locked) == []


def test_a_failed_run_leaves_no_output_and_keeps_the_previous_file(eit_provider, inputs, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    previous = out / "flows.gpkg"
    shutil.copy(inputs["zones"].split("|")[0], previous)
    before = sha(previous)
    bad = tmp_path / "ratios.csv"
    bad.write_text("this is not a ratios table\n1,2\n", encoding="utf-8")
    refused("eit:estimateflows", {"INPUT": inputs["establishments"], "RATIOS": str(bad), "OUTPUT": str(previous)})
    assert sha(previous) == before
    assert sorted(os.listdir(out)) == ["flows.gpkg"]


def test_missing_folder_is_created_and_output_without_extension_gets_one(eit_provider, inputs, tmp_path):
    target = tmp_path / "new" / "deeper" / "flows"
    result = run("eit:estimateflows", {"INPUT": inputs["establishments"], "OUTPUT": str(target)})
    assert result["OUTPUT"].startswith(str(target) + ".gpkg"), result
    assert QgsVectorLayer(result["OUTPUT"], "f", "ogr").featureCount() > 0
    assert sorted(os.listdir(target.parent)) == ["flows.gpkg"]


def test_unwritable_folder_is_refused_before_any_work(eit_provider, inputs, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    with read_only(locked):
        message = refused("eit:estimateflows", {"INPUT": inputs["establishments"],
                                                "OUTPUT": str(locked / "sub" / "flows.gpkg")})
    assert "OUTPUT" in message and "cannot be created" in message, message
    assert os.listdir(locked) == []


def test_adding_a_layer_to_an_existing_geopackage_keeps_its_other_layers(eit_provider, inputs, tmp_path):
    package = tmp_path / "results.gpkg"
    zones(package, "kept_layer")
    run("eit:estimateflows", {"INPUT": inputs["establishments"],
                              "OUTPUT": "ogr:dbname='{}' table=\"flows\" (geom)".format(package)})
    assert QgsVectorLayer("{}|layername=kept_layer".format(package), "k", "ogr").featureCount() == len(ZONES)
    assert QgsVectorLayer("{}|layername=flows".format(package), "f", "ogr").featureCount() > 0
    assert sorted(os.listdir(tmp_path)) == sorted(["in", "results.gpkg"])


def test_the_log_names_the_final_paths_not_the_work_folder(eit_provider, inputs, tmp_path):
    import processing
    from qgis.core import QgsProcessingContext

    from tests.qgis.test_alg_import_establishments import RecordingFeedback

    feedback = RecordingFeedback()
    processing.run("eit:fullanalysis", {"ESTABLISHMENTS": inputs["establishments"], "ZONES": inputs["zones"],
                                        "OUTPUT_GPKG": str(tmp_path / "eit.gpkg"), "REPORT": str(tmp_path / "r.html")},
                   context=QgsProcessingContext(), feedback=feedback)
    log = " ".join(feedback.infos + feedback.errors)
    assert str(tmp_path / "eit.gpkg") in log and ".eit-part" not in log, log[-500:]


def test_cancelling_a_run_leaves_no_file(eit_provider, inputs, tmp_path):
    import processing
    from qgis.core import QgsProcessingContext

    feedback = QgsProcessingFeedback()
    feedback.progressChanged.connect(lambda _p: feedback.cancel())
    with pytest.raises(QgsProcessingException, match="Cancelled"):
        processing.run("eit:fullanalysis", {"ESTABLISHMENTS": inputs["establishments"], "ZONES": inputs["zones"],
                                            "OUTPUT_GPKG": str(tmp_path / "out" / "eit.gpkg"),
                                            "REPORT": str(tmp_path / "out" / "r.html")},
                       context=QgsProcessingContext(), feedback=feedback)
    assert not (tmp_path / "out").exists()
