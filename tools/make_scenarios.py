"""Build the sample zoning scenarios of the Bissy-Érier project (resources/sample/scenarios/).

Reads the ``zone_urba`` layer of ``resources/sample/metropole_savoie_sample.gpkg`` and writes
``resources/sample/scenarios/bissy_erier_scenarios.gpkg`` with two full copies of it in which only
the Bissy-Érier future urban project (zone ``1AUm`` of Chambéry, 73065, next to the Bissy
waste-to-energy plant and crossed by its heat network) differs:

- ``scenario_A_activites``: a monofunctional activity zone ``1AUx`` (DESTDOMI 02), no dwellings,
  planned activities = logistics, road haulage, machining and wholesale (``activites_prevues``).
- ``scenario_B_mixte``: the project split in two: ``1AUm`` mixed (03) with 450 planned dwellings
  plus offices, a laboratory and a bakery, and ``1AUh`` housing (01) with 650 planned dwellings —
  1 100 dwellings in all, to be served by a heat loop fed by the plant's heat network.

Fields added to the CNIG schema: ``activites_prevues`` (text, ``NAF:jobs; NAF:jobs``); the
sample's ``nb_logements`` / ``nb_logements_prevus`` are kept (planned dwellings per zone).

Run: ``/usr/bin/python3 -m tools.make_scenarios [--sample resources/sample]`` (needs GDAL's osgeo
bindings, from Debian). The output is deterministic (same input → same features).
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from osgeo import gdal, ogr, osr

GPKG_TIMESTAMP = "2024-07-31T00:00:00.000Z"  # fixed: same bytes on one GDAL version

PROJECT = {"INSEE": "73065", "LIBELLE": "1AUm"}
SCENARIOS = (
    ("scenario_A_activites", [
        {"part": "all", "LIBELLE": "1AUx", "DESTDOMI": "02",
         "LIBELONG": "Scénario A — zone d'activités monofonctionnelle Bissy-Érier",
         "nb_logements_prevus": 0,
         "activites_prevues": "52.10B:120; 49.41A:40; 25.62B:45; 46.90Z:30"},
    ]),
    ("scenario_B_mixte", [
        {"part": "west", "LIBELLE": "1AUm", "DESTDOMI": "03",
         "LIBELONG": "Scénario B — quartier mixte Bissy-Érier (logements, bureaux, boucle de chaleur)",
         "nb_logements_prevus": 450,
         "activites_prevues": "62.01Z:60; 72.19Z:40; 10.71C:8"},
        {"part": "east", "LIBELLE": "1AUh", "DESTDOMI": "01",
         "LIBELONG": "Scénario B — logements Bissy-Érier raccordés à la boucle de chaleur",
         "nb_logements_prevus": 650, "activites_prevues": ""},
    ]),
)


def _halves(geom):
    """West and east halves of a polygon, cut at the x of its centroid."""
    minx, maxx, miny, maxy = geom.GetEnvelope()
    cx = geom.Centroid().GetX()

    def box(x1, x2):
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for x, y in ((x1, miny - 1), (x2, miny - 1), (x2, maxy + 1), (x1, maxy + 1), (x1, miny - 1)):
            ring.AddPoint_2D(x, y)
        poly = ogr.Geometry(ogr.wkbPolygon)
        poly.AddGeometry(ring)
        return poly

    return {"west": geom.Intersection(box(minx - 1, cx)), "east": geom.Intersection(box(cx, maxx + 1))}


def build(sample: Path, out: Path) -> Path:
    src = ogr.Open(str(sample / "metropole_savoie_sample.gpkg"))
    layer = src.GetLayerByName("zone_urba")
    defn = layer.GetLayerDefn()
    out.mkdir(parents=True, exist_ok=True)
    path = out / "bissy_erier_scenarios.gpkg"
    if path.exists():
        os.remove(path)
    gdal.SetConfigOption("OGR_CURRENT_DATE", GPKG_TIMESTAMP)
    dst = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(2154)
    found = 0
    for name, changes in SCENARIOS:
        lyr = dst.CreateLayer(name, srs, ogr.wkbMultiPolygon, options=[
            "DESCRIPTION=SYNTHETIC zoning scenario of the Bissy-Érier project (tools/make_scenarios.py)"])
        for i in range(defn.GetFieldCount()):
            lyr.CreateField(defn.GetFieldDefn(i))
        field = ogr.FieldDefn("activites_prevues", ogr.OFTString)
        field.SetWidth(254)
        lyr.CreateField(field)
        out_defn = lyr.GetLayerDefn()
        layer.ResetReading()
        for feature in sorted(layer, key=lambda f: f.GetFID()):
            is_project = all(feature.GetField(k) == v for k, v in PROJECT.items())
            pieces = [{"part": "all"}] if not is_project else changes
            if is_project:
                found += 1
            geom = feature.GetGeometryRef()
            halves = _halves(geom) if is_project else {}
            for piece in pieces:
                new = ogr.Feature(out_defn)
                for i in range(defn.GetFieldCount()):
                    new.SetField(defn.GetFieldDefn(i).GetNameRef(), feature.GetField(i))
                for key, value in piece.items():
                    if key != "part":
                        new.SetField(key, value)
                part = geom if piece["part"] == "all" else halves[piece["part"]]
                new.SetGeometry(ogr.ForceToMultiPolygon(part.Clone()))
                lyr.CreateFeature(new)
    dst = None
    gdal.SetConfigOption("OGR_CURRENT_DATE", None)
    if found != len(SCENARIOS):
        raise SystemExit("zone {} not found exactly once in zone_urba".format(PROJECT))
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", default="resources/sample", type=Path)
    parser.add_argument("--out", default=None, type=Path)
    args = parser.parse_args(argv)
    path = build(args.sample, args.out or args.sample / "scenarios")
    print("Scenarios written:", path)


if __name__ == "__main__":
    main()
