"""make demo: the whole method on the embedded Métropole Savoie sample, through qgis_process.

Installs the packaged plugin (the zip a user installs) into a private QGIS profile, runs
``eit:fullanalysis`` on the sample's raw files, and prints a short summary read back from
the GeoPackage it wrote.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.qgisproc import QgisProcess  # noqa: E402

SAMPLE = ROOT / "resources" / "sample"
GPKG_IN = SAMPLE / "metropole_savoie_sample.gpkg"


def sample_parameters(out: Path, public: bool = True, language: str = "fr") -> dict:
    suffix = "" if public else "_interne"
    return {
        "SIRENE_FILE": str(SAMPLE / "StockEtablissement_sample.csv"),
        "GEOLOCATION": str(SAMPLE / "GeolocalisationEtablissement_sample.csv"),
        "DECLARED": str(SAMPLE / "flux_declares_enquete.csv"),
        "ZONES": "{}|layername=zone_urba".format(GPKG_IN),
        "HOUSING": "{}|layername=housing".format(GPKG_IN),
        "NETWORK": "{}|layername=roads".format(GPKG_IN),
        "HEAT_NETWORK": "{}|layername=heat_network".format(GPKG_IN),
        "PUBLIC": public,
        "LANGUAGE": 0 if language == "fr" else 1,
        "TERRITORY": "Métropole Savoie (échantillon synthétique)",
        "NOTE": "Données entièrement synthétiques (établissements, flux, zones) : démonstration de la méthode, aucune entreprise réelle.",
        "OUTPUT_GPKG": str(out / "eit_metropole_savoie{}.gpkg".format(suffix)),
        "REPORT": str(out / "rapport_eit{}.html".format(suffix)),
    }


def _query(gpkg: Path, sql: str):
    with sqlite3.connect(str(gpkg)) as db:
        try:
            return db.execute(sql).fetchall()
        except sqlite3.OperationalError:
            return []


def summary(gpkg: Path, results: dict, language: str = "fr") -> str:
    """The run's summary table (the one the report's synthesis and the dock print), row by row."""
    from eit_plugin.core import ledger, report

    rows = _query(gpkg, "SELECT indicator, value, unit, label_fr, label_en FROM summary")
    table = ledger.summary_from_rows(rows)
    lines = ["{}: {}{}".format(row["label"], row["value"], " " + row["unit"] if row["unit"] else "")
             for row in report.synthesis_rows(table, language)]
    lines += ["  {} — {} : {} {} ; CO₂ : {} t/an".format(row["kind"], row["n"], row["quantity"], row["unit"], row["co2"])
              for row in report.kind_rows(table, language)]
    top = _query(gpkg, "SELECT reason FROM synergies ORDER BY score DESC, synergy_id LIMIT 3")
    if top:
        lines.append("Top synergies:")
        lines += ["  - {}".format(row[0]) for row in top]
    by_doc = _query(gpkg, "SELECT document, COUNT(*) FROM recommendations GROUP BY document ORDER BY document")
    if by_doc:
        lines.append("Recommendations by document: " + ", ".join("{} {}".format(d, n) for d, n in by_doc))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--package", type=Path, required=True, help="the plugin zip (make package)")
    parser.add_argument("--out", type=Path, default=ROOT / "out")
    parser.add_argument("--profile", type=Path, default=ROOT / "build" / "demo-profile")
    parser.add_argument("--internal", action="store_true", help="also write the internal (confidential) version")
    args = parser.parse_args()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    qgis = QgisProcess(args.profile)
    qgis.install(args.package)
    runs = [True] + ([False] if args.internal else [])
    for public in runs:
        params = sample_parameters(out, public=public)
        start = time.time()
        try:
            answer = qgis.run("eit:fullanalysis", params)
        except RuntimeError as error:
            print(error, file=sys.stderr)
            return 1
        results = answer.get("results", {})
        print("eit:fullanalysis ({}) on the Métropole Savoie sample: {:.1f} s".format(
            "public" if public else "internal", time.time() - start))
        print(summary(Path(results["OUTPUT_GPKG"]), results))
        print("Outputs: {}\n         {}\n         {}".format(results["OUTPUT_GPKG"], results["REPORT"], results.get("REPORT_PDF", "")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
