"""Golden figures of eit:fullanalysis on the shipped sample: what a refactoring must not change.

``dump(gpkg)`` summarises every layer of a result GeoPackage as its row count, its ids and one
hash per column (rows sorted by the layer's id; floats rounded to 6 significant digits, so that
a different summation order does not count as a change; geometry as its rounded envelope and
area/length). ``python -m tests.qgis.golden`` rewrites ``tests/data/golden_sample.json``
from the current code: do it only when a change of the figures is intended, in its own
commit saying why.
"""
from __future__ import annotations

import hashlib
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden_sample.json"

# The id of each layer's rows (a tuple: communes and recommendations need two columns).
IDS = {
    "zones": ("zone_id",),
    "communes": ("level", "code"),
    "synergies": ("synergy_id",),
    "synergy_alternatives": ("synergy_id",),
    "clusters": ("cluster_id",),
    "recommendations": ("rec_id",),
    "establishments": ("siret",),
    "flows": ("flow_id",),
    "summary": ("indicator",),
    "provenance": ("key",),
}
# Columns that differ between two runs by design (dates, paths, versions).
VOLATILE = {"provenance"}


def sample_parameters(folder: Path, public: bool) -> dict:
    """The demo's parameters (tools/demo.py), under a fixed title and without its note."""
    from tools.demo import sample_parameters as demo_parameters

    params = demo_parameters(folder, public=public)
    del params["NOTE"]
    params.update(TERRITORY="Golden", OUTPUT_GPKG=str(folder / "eit.gpkg"), REPORT=str(folder / "rapport.html"))
    return params


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return "{:.6g}".format(value)
    return str(value)


def _geometry(geom) -> str:
    if geom is None or geom.IsEmpty():
        return ""
    from osgeo import ogr

    x0, x1, y0, y1 = geom.GetEnvelope()
    kind = ogr.GT_Flatten(geom.GetGeometryType())
    if kind in (ogr.wkbPolygon, ogr.wkbMultiPolygon):
        size = geom.GetArea()
    elif kind in (ogr.wkbLineString, ogr.wkbMultiLineString):
        size = geom.Length()
    else:
        size = 0.0
    return " ".join("{:.1f}".format(v) for v in (x0, y0, x1, y1, size))


def dump(gpkg) -> dict:
    """``{layer: {"rows": n, "ids": [...], "columns": {name: sha256[:16]}}}``."""
    from osgeo import ogr

    result = {}
    dataset = ogr.Open(str(gpkg))
    for index in range(dataset.GetLayerCount()):
        layer = dataset.GetLayerByIndex(index)
        name = layer.GetName()
        if name in VOLATILE or name.startswith("layer_styles"):
            continue
        definition = layer.GetLayerDefn()
        columns = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
        spatial = layer.GetGeomType() != ogr.wkbNone
        rows = []
        for feature in layer:
            values = [_text(feature.GetField(i)) for i in range(len(columns))]
            if spatial:
                values.append(_geometry(feature.GetGeometryRef()))
            rows.append(values)
        names = columns + (["<geometry>"] if spatial else [])
        id_columns = [names.index(c) for c in IDS.get(name, ()) if c in names]
        rows.sort(key=lambda r: ([r[i] for i in id_columns], r))
        hashes = {}
        for i, column in enumerate(names):
            digest = hashlib.sha256("\x1f".join(r[i] for r in rows).encode("utf-8")).hexdigest()[:16]
            hashes[column] = digest
        entry = {"rows": len(rows), "columns": hashes}
        if id_columns:
            ids = ["|".join(r[i] for i in id_columns) for r in rows]
            # Small layers list their ids (a readable diff); big ones keep a hash and a few.
            entry["ids"] = ids if len(ids) <= 400 else {"sha256": hashlib.sha256("\n".join(ids).encode()).hexdigest()[:16],
                                                       "first": ids[:5], "last": ids[-5:]}
        if name == "summary":
            entry["values"] = {r[0]: r[1] for r in rows}
        result[name] = entry
    return result


def differences(expected: dict, actual: dict) -> list:
    """Readable differences: missing/extra layers, row counts, ids, then columns."""
    out = []
    for layer in sorted(set(expected) | set(actual)):
        if layer not in actual:
            out.append("{}: missing".format(layer))
            continue
        if layer not in expected:
            out.append("{}: not in the golden file".format(layer))
            continue
        e, a = expected[layer], actual[layer]
        if e["rows"] != a["rows"]:
            out.append("{}: {} rows, expected {}".format(layer, a["rows"], e["rows"]))
        if e.get("ids") != a.get("ids"):
            if isinstance(e.get("ids"), list) and isinstance(a.get("ids"), list):
                gone = sorted(set(e["ids"]) - set(a["ids"]))[:5]
                new = sorted(set(a["ids"]) - set(e["ids"]))[:5]
                out.append("{}: ids differ (missing {}, new {})".format(layer, gone, new))
            else:
                out.append("{}: ids differ ({} … {})".format(layer, a.get("ids", {}).get("first"), a.get("ids", {}).get("last"))
                           if isinstance(a.get("ids"), dict) else "{}: ids differ".format(layer))
        for column in sorted(set(e["columns"]) | set(a["columns"])):
            if e["columns"].get(column) != a["columns"].get(column):
                out.append("{}.{}: {}".format(layer, column, "differs" if column in e["columns"] and column in a["columns"]
                                              else "missing" if column in e["columns"] else "new"))
        if e.get("values") != a.get("values"):
            for key in sorted(set(e.get("values", {})) | set(a.get("values", {}))):
                if e["values"].get(key) != a["values"].get(key):
                    out.append("summary {}: {} (expected {})".format(key, a["values"].get(key), e["values"].get(key)))
    return out


def run(folder: Path, public: bool) -> dict:
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    folder.mkdir(parents=True, exist_ok=True)
    result = processing.run("eit:fullanalysis", sample_parameters(folder, public),
                            context=QgsProcessingContext(), feedback=QgsProcessingFeedback())
    return dump(result["OUTPUT_GPKG"])


def main() -> int:
    """Rewrite the golden file from the current code (standalone QGIS)."""
    import tempfile

    sys.path.insert(0, "/usr/share/qgis/python/plugins")
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    import processing  # noqa: F401
    from processing.core.Processing import Processing

    Processing.initialize()
    import eit_plugin
    from eit_plugin.processing.provider import EitProvider

    del eit_plugin
    provider = EitProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    golden = {}
    with tempfile.TemporaryDirectory() as tmp:
        for mode, public in (("public", True), ("internal", False)):
            golden[mode] = run(Path(tmp) / mode, public)
    GOLDEN.write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print("written", GOLDEN)
    return 0


if __name__ == "__main__":
    sys.exit(main())
