"""Memory benchmark of the SIRENE streaming import (not a test).

Generates a StockEtablissement-like CSV (the 54 columns INSEE publishes, ~55 % closed rows,
some rows without coordinates or hidden as [ND]) and the matching geolocation file in /tmp,
then imports it in a fresh process with a study area (AREA) keeping ~1 % of the points and
records the resident memory (VmRSS) every ~16k rows, and the peak (ru_maxrss).

Modes:
  core  ``core.sirene.iter_establishments`` with a pure-Python circle test, results counted
        (as the algorithm streams them into its sink);
  qgis  the Processing algorithm ``eit:importestablishments`` itself (QgsSpatialIndex +
        prepared GEOS polygon, GeoPackage output), through the C++ run as qgis_process does.

Usage (from the repository root):
  /usr/bin/python3 bench/sirene_stream.py --rows 1000000 [--mode core|qgis|both] [--geolocation]
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = (
    "siren,nic,siret,statutDiffusionEtablissement,dateCreationEtablissement,trancheEffectifsEtablissement,"
    "anneeEffectifsEtablissement,activitePrincipaleRegistreMetiersEtablissement,dateDernierTraitementEtablissement,"
    "etablissementSiege,nombrePeriodesEtablissement,complementAdresseEtablissement,numeroVoieEtablissement,"
    "indiceRepetitionEtablissement,dernierNumeroVoieEtablissement,indiceRepetitionDernierNumeroVoieEtablissement,"
    "typeVoieEtablissement,libelleVoieEtablissement,codePostalEtablissement,libelleCommuneEtablissement,"
    "libelleCommuneEtrangerEtablissement,distributionSpecialeEtablissement,codeCommuneEtablissement,"
    "codeCedexEtablissement,libelleCedexEtablissement,codePaysEtrangerEtablissement,libellePaysEtrangerEtablissement,"
    "identifiantAdresseEtablissement,coordonneeLambertAbscisseEtablissement,coordonneeLambertOrdonneeEtablissement,"
    "complementAdresse2Etablissement,numeroVoie2Etablissement,indiceRepetition2Etablissement,typeVoie2Etablissement,"
    "libelleVoie2Etablissement,codePostal2Etablissement,libelleCommune2Etablissement,"
    "libelleCommuneEtranger2Etablissement,distributionSpeciale2Etablissement,codeCommune2Etablissement,"
    "codeCedex2Etablissement,libelleCedex2Etablissement,codePaysEtranger2Etablissement,"
    "libellePaysEtranger2Etablissement,dateDebut,etatAdministratifEtablissement,enseigne1Etablissement,"
    "enseigne2Etablissement,enseigne3Etablissement,denominationUsuelleEtablissement,activitePrincipaleEtablissement,"
    "nomenclatureActivitePrincipaleEtablissement,caractereEmployeurEtablissement,activitePrincipaleNAF25Etablissement"
).split(",")
# Points spread over a mainland-France-sized box; AREA = a circle covering 1 % of it.
XMIN, XMAX, YMIN, YMAX = 100000.0, 1200000.0, 6100000.0, 7100000.0
CENTRE = (940000.0, 6500000.0)
RADIUS = math.sqrt(0.01 * (XMAX - XMIN) * (YMAX - YMIN) / math.pi)
NAFS = ("10.51C", "10.71C", "16.10A", "25.62B", "41.20A", "43.21A", "46.90Z", "47.11F", "56.10A", "62.01Z",
        "68.20A", "70.22Z", "86.21Z", "35.11Z", "38.21Z")
BANDS = ("NN", "NN", "NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41")
STREETS = ("RUE DE LA REPUBLIQUE", "AVENUE DU GENERAL DE GAULLE", "CHEMIN DES VIGNES", "ZA DES ILES, BAT 3",
           "ROUTE DE LYON", "PLACE DU MARCHE")


def luhn_complete(prefix13: str) -> str:
    total = 0
    for i, char in enumerate(prefix13 + "0"):
        d = int(char)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return prefix13 + str((10 - total % 10) % 10)


def generate(path: Path, geoloc_path: Path, rows: int, seed: int = 42) -> dict:
    rng = random.Random(seed)
    inside = 0
    with open(path, "w", newline="", encoding="utf-8") as stock, open(geoloc_path, "w", newline="", encoding="utf-8") as geo:
        out = csv.writer(stock, lineterminator="\n")
        gout = csv.writer(geo, delimiter=";", lineterminator="\n")
        out.writerow(HEADER)
        gout.writerow(["siret", "x", "y", "qualite_xy", "epsg", "plg_qp", "plg_iris", "plg_zus", "plg_qva",
                       "plg_code_commune", "distance_precision", "qualite_qp", "qualite_iris", "qualite_zus",
                       "qualite_qva", "y_latitude", "x_longitude"])
        for n in range(rows):
            siren = "{:09d}".format(100000000 + n // 2)
            siret = luhn_complete(siren + "{:04d}".format(n % 2 * 10 + 1))
            closed = rng.random() < 0.55
            diffusion = "P" if rng.random() < 0.02 else "O"
            x = rng.uniform(XMIN, XMAX)
            y = rng.uniform(YMIN, YMAX)
            if math.hypot(x - CENTRE[0], y - CENTRE[1]) <= RADIUS:
                inside += 1
            if diffusion == "P":
                xs, ys = "[ND]", "[ND]"
            elif rng.random() < 0.01:
                xs, ys = "", ""
            else:
                xs, ys = "{:.1f}".format(x), "{:.1f}".format(y)
            commune = "{:02d}{:03d}".format(rng.randint(1, 95), rng.randint(1, 600))
            row = [""] * len(HEADER)
            row[0], row[1], row[2], row[3] = siren, siret[9:], siret, diffusion
            row[4] = "20{:02d}-0{}-1{}".format(rng.randint(0, 23), rng.randint(1, 9), rng.randint(0, 9))
            row[5] = rng.choice(BANDS)
            row[6] = "2021" if row[5] != "NN" else ""
            row[8] = "2024-03-11T04:12:33"
            row[9] = "true" if n % 2 == 0 else "false"
            row[10] = str(rng.randint(1, 4))
            row[12] = str(rng.randint(1, 120))
            row[16] = "RUE"
            row[17] = rng.choice(STREETS)
            row[18] = commune[:2] + "000"
            row[19] = "COMMUNE " + commune
            row[22] = commune
            row[27] = commune + "_B012_00042"
            row[28], row[29] = xs, ys
            row[44] = "2019-01-01"
            row[45] = "F" if closed else "A"
            row[46] = "ENSEIGNE {}".format(n) if rng.random() < 0.2 else ""
            row[49] = "DENOMINATION {}".format(n) if rng.random() < 0.1 else ""
            row[50] = rng.choice(NAFS)
            row[51] = "NAFRev2"
            row[52] = "O" if row[5] not in ("NN", "00") else "N"
            out.writerow(row)
            if not closed and diffusion == "O":
                gout.writerow([siret, "{:.1f}".format(x), "{:.1f}".format(y), "11", "2154", "", "", "", "",
                               commune, "12.5", "", "", "", "", "", ""])
    return {"rows": rows, "inside_area": inside, "bytes": path.stat().st_size, "geoloc_bytes": geoloc_path.stat().st_size}


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def child_core(stock: str, geoloc: str | None, area: bool) -> dict:
    sys.path.insert(0, str(ROOT))
    from eit_plugin.core import sirene
    from eit_plugin.core.feedback import Feedback

    trace = []

    class Tracing(Feedback):
        def set_progress(self, percent):
            super().set_progress(percent)
            trace.append((round(percent, 1), round(rss_mb(), 1)))

    def keep(x, y):
        return (x - CENTRE[0]) ** 2 + (y - CENTRE[1]) ** 2 <= RADIUS * RADIUS

    start_rss = rss_mb()
    started = time.time()
    report = sirene.ImportReport()
    kept = 0
    for _record in sirene.iter_establishments(stock, geolocation=geoloc, keep=keep if area else None,
                                              naf_labels=sirene.naf_label_map(), report=report, feedback=Tracing()):
        kept += 1
    return {"seconds": round(time.time() - started, 1), "kept": kept, "rows_read": report.rows_read,
            "counts": report.counts, "start_rss_mb": round(start_rss, 1), "peak_rss_mb": round(peak_mb(), 1),
            "trace": trace}


def child_qgis(stock: str, geoloc: str | None, area: bool, out_dir: str) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, "/usr/share/qgis/python/plugins")
    from qgis.core import (
        QgsApplication,
        QgsFeature,
        QgsGeometry,
        QgsPointXY,
        QgsProcessingAlgorithm,
        QgsProcessingContext,
        QgsProcessingFeedback,
        QgsVectorLayer,
    )

    app = QgsApplication([], False)
    app.initQgis()
    from eit_plugin.processing.provider import EitProvider

    provider = EitProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    trace = []

    class Tracing(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.progressChanged.connect(lambda p: trace.append((round(p, 1), round(rss_mb(), 1))))

    params = {"INPUT": stock, "OUTPUT": os.path.join(out_dir, "establishments.gpkg"),
              "SKIPPED": os.path.join(out_dir, "skipped.csv")}
    layer = None
    if area:
        layer = QgsVectorLayer("Polygon?crs=EPSG:2154", "area", "memory")
        circle = [QgsPointXY(CENTRE[0] + RADIUS * math.cos(2 * math.pi * k / 128),
                             CENTRE[1] + RADIUS * math.sin(2 * math.pi * k / 128)) for k in range(128)]
        feature = QgsFeature()
        feature.setGeometry(QgsGeometry.fromPolygonXY([circle]))
        layer.dataProvider().addFeatures([feature])
        params["AREA"] = layer
    if geoloc:
        params["GEOLOCATION"] = geoloc
    alg = QgsApplication.processingRegistry().createAlgorithmById("eit:importestablishments")
    start_rss = rss_mb()
    started = time.time()
    results, ok = QgsProcessingAlgorithm.run(alg, params, QgsProcessingContext(), Tracing(), {}, False)
    return {"seconds": round(time.time() - started, 1), "ok": ok, "kept": results.get("N_ESTABLISHMENTS"),
            "skipped": results.get("N_SKIPPED"), "start_rss_mb": round(start_rss, 1),
            "peak_rss_mb": round(peak_mb(), 1), "trace": trace}


def run_child(mode: str, stock: Path, geoloc: Path | None, area: bool, out_dir: Path) -> dict:
    args = [sys.executable, __file__, "--child", mode, "--stock", str(stock), "--out", str(out_dir)]
    if geoloc:
        args += ["--geoloc", str(geoloc)]
    if not area:
        args.append("--no-area")
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def summarise(label: str, result: dict) -> str:
    trace = result["trace"]
    deciles = []
    for target in range(10, 101, 10):
        sample = next((rss for pct, rss in trace if pct >= target), trace[-1][1] if trace else float("nan"))
        deciles.append("{:.0f}".format(sample))
    return ("{label}: {seconds} s, kept {kept}, RSS at start {start} MB, peak {peak} MB; "
            "RSS at 10 %, 20 % … 100 % of the file: {deciles} MB").format(
        label=label, seconds=result["seconds"], kept=result["kept"], start=result["start_rss_mb"],
        peak=result["peak_rss_mb"], deciles=" ".join(deciles))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--mode", choices=("core", "qgis", "both"), default="both")
    parser.add_argument("--geolocation", action="store_true", help="also join the generated geolocation file")
    parser.add_argument("--control", action="store_true", help="also run without AREA (memory then grows)")
    parser.add_argument("--dir", default="/tmp/eit_sirene_bench")
    parser.add_argument("--child")
    parser.add_argument("--stock")
    parser.add_argument("--geoloc")
    parser.add_argument("--out")
    parser.add_argument("--no-area", action="store_true")
    args = parser.parse_args()
    if args.child:
        if args.child == "core":
            result = child_core(args.stock, args.geoloc, not args.no_area)
        else:
            result = child_qgis(args.stock, args.geoloc, not args.no_area, args.out)
        print(json.dumps(result), flush=True)
        os._exit(0)  # skip QGIS teardown: the figures are out

    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    stock = folder / "StockEtablissement_{}.csv".format(args.rows)
    geoloc = folder / "Geolocalisation_{}.csv".format(args.rows)
    if not stock.exists() or not geoloc.exists():
        started = time.time()
        info = generate(stock, geoloc, args.rows)
        print("generated {rows} rows ({mb:.0f} MB, geolocation {gmb:.0f} MB) in {s:.0f} s; {inside} points inside "
              "AREA ({pct:.2f} %)".format(rows=info["rows"], mb=info["bytes"] / 1e6, gmb=info["geoloc_bytes"] / 1e6,
                                          s=time.time() - started, inside=info["inside_area"],
                                          pct=100.0 * info["inside_area"] / info["rows"]))
    modes = ("core", "qgis") if args.mode == "both" else (args.mode,)
    for mode in modes:
        variants = [(True, None)]
        if args.geolocation:
            variants.append((True, geoloc))
        if args.control:
            variants.append((False, None))
        for area, geo in variants:
            label = "{} {}{}".format(mode, "AREA 1 %" if area else "no AREA (control)",
                                     " + geolocation join" if geo else "")
            print(summarise(label, run_child(mode, stock, geo, area, folder)), flush=True)


if __name__ == "__main__":
    main()
