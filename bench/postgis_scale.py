"""The two spatial searches of a regional run, in memory and inside PostGIS, on a generated
territory (``tools.generate_sample --size N``, e.g. the ``bench/cache/t1000000`` of make bench).

Not a test. Starts a private PostgreSQL + PostGIS (``tests/qgis/pg_harness.py``), then:

1. establishments: the territory's SIRENE stock joined with its geolocation file (pandas:
   active establishments with coordinates; the SIRENE validation of eit:importestablishments
   is not what is measured here), flows by ``core.estimation.build_flows``;
2. loads the flows (psql COPY) and the PLU zones (ogr2ogr) into PostGIS, GiST indexes;
3. zone assignment: in memory = ``read_zones`` of the PostGIS zones + ``ZoneLayer.assign``;
   in PostGIS = ``postgis_search.zone_assignment`` (ST_DWithin 1 mm on GiST); the answers
   are compared;
4. candidate search of ``core.matching``: the groups ``_candidates`` searches (every rule and
   temperature group: points, radius, k) are recorded with the KD-tree's pairs, then each is
   asked of ``SqlPairFinder`` (within ``--sql-budget`` seconds); the pairs are compared group
   by group.

Prints and writes (``--out``, JSON) the wall times, the CPU time of this process and of the
PostgreSQL server (its processes, from /proc), the peak memory of this process and the counts.

    /usr/bin/python3 bench/postgis_scale.py --territory bench/cache/t1000000 --out bench/results/postgis_1m.json
"""
from __future__ import annotations

import argparse
import io
import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, "/usr/share/qgis/python/plugins")


def _clock():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return time.perf_counter(), usage.ru_utime + usage.ru_stime


SERVER = {"pid": None}


def server_cpu() -> float:
    """CPU seconds of the PostgreSQL server: the postmaster with its reaped children, plus its
    live children (the backends serving this process's connections)."""
    pid = SERVER["pid"]
    if pid is None:
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path("/proc/{}/stat".format(entry)).read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == pid:
            total += sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
        elif int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])
    return total / tick


class Timer:
    def __init__(self, results, key):
        self.results, self.key = results, key

    def __enter__(self):
        self.start = _clock()
        self.server = server_cpu()
        return self

    def __exit__(self, *exc):
        wall, cpu = (b - a for a, b in zip(self.start, _clock()))
        server = server_cpu() - self.server
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.results[self.key] = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "server_cpu_s": round(server, 2),
                                  "peak_rss_mb_so_far": round(peak)}
        print("{:<38} wall {:8.1f} s   cpu: this process {:8.1f} s, PostgreSQL {:8.1f} s   peak {:6.0f} MB".format(
            self.key, wall, cpu, server, peak), flush=True)
        return False


def establishments(territory: Path) -> pd.DataFrame:
    stock = pd.read_csv(territory / "StockEtablissement_sample.csv", dtype=str, usecols=[
        "siret", "trancheEffectifsEtablissement", "activitePrincipaleEtablissement", "etatAdministratifEtablissement",
        "denominationUsuelleEtablissement"])
    geo = pd.read_csv(territory / "GeolocalisationEtablissement_sample.csv", sep=";", dtype={"siret": str},
                      usecols=["siret", "x", "y", "epsg"])
    geo = geo[geo["epsg"] == 2154].drop_duplicates("siret")
    frame = stock[stock["etatAdministratifEtablissement"] == "A"].drop_duplicates("siret").merge(geo, on="siret")
    return pd.DataFrame({"siret": frame["siret"], "name": frame["denominationUsuelleEtablissement"],
                         "naf": frame["activitePrincipaleEtablissement"],
                         "headcount_band": frame["trancheEffectifsEtablissement"],
                         "x": frame["x"].astype(float), "y": frame["y"].astype(float)}).reset_index(drop=True)


def load_flows(server, flows: pd.DataFrame) -> None:
    server.psql("eit", "CREATE SCHEMA IF NOT EXISTS bench; DROP TABLE IF EXISTS bench.flows; "
                       "CREATE TABLE bench.flows (flow_id text PRIMARY KEY, x float8, y float8)")
    buffer = io.StringIO()
    flows[["flow_id", "x", "y"]].to_csv(buffer, index=False, header=False)
    import subprocess

    subprocess.run([str(server.bin_dir / "psql"), "-X", "-q", "-h", str(server.socket_dir), "-p", str(server.port),
                    "-U", "eit_admin", "-d", "eit", "-c", "\\copy bench.flows FROM STDIN WITH (FORMAT csv)"],
                   input=buffer.getvalue(), text=True, check=True, capture_output=True)
    server.psql("eit", "ALTER TABLE bench.flows ADD COLUMN geom geometry(Point, 2154); "
                       "UPDATE bench.flows SET geom = ST_SetSRID(ST_MakePoint(x, y), 2154); "
                       "CREATE INDEX ON bench.flows USING gist (geom); ANALYZE bench.flows")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--territory", required=True, type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--sql-budget", type=float, default=None,
                        help="stop the PostGIS candidate search after this many seconds (compare the groups done)")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication, QgsDataSourceUri, QgsVectorLayer

    app = QgsApplication([], False)
    app.initQgis()
    from eit_plugin.core import estimation, matching, reference
    from eit_plugin.core.feedback import NULL_FEEDBACK
    from eit_plugin.qgis_io.postgis_search import SqlPairFinder, zone_assignment
    from eit_plugin.qgis_io.zones import read_zones
    from tests.qgis import pg_harness

    results: dict = {"territory": str(args.territory), "timings": {}, "counts": {}, "load_start": os.getloadavg()}
    t = results["timings"]
    with Timer(t, "read establishments (pandas)"):
        est = establishments(args.territory)
    with Timer(t, "estimate flows (core)"):
        flows, _ = estimation.build_flows(est)
    flows = flows[np.isfinite(flows["x"]) & np.isfinite(flows["y"])].reset_index(drop=True)
    results["counts"].update(establishments=len(est), flows=len(flows))
    server = pg_harness.start_server()
    SERVER["pid"] = int((server.data / "postmaster.pid").read_text().split()[0])
    try:
        with Timer(t, "load flows into PostGIS (COPY+GiST)"):
            load_flows(server, flows)
        with Timer(t, "load zones into PostGIS (ogr2ogr)"):
            server.ogr2ogr(str(args.territory / "metropole_savoie_sample.gpkg"), "zone_urba", "zone_urba", schema="bench")
        uri = QgsDataSourceUri(server.uri())
        uri.setDataSource("bench", "zone_urba", "geom", "", "gid")
        with Timer(t, "zones: in memory (read + assign)"):
            zones = read_zones(QgsVectorLayer(uri.uri(False), "zone_urba", "postgres"))
            zone_ids, n_containing = zones.assign(flows["x"].to_numpy(), flows["y"].to_numpy())
        results["counts"]["zones"] = len(zones.frame)
        # The plugin's zone ids, stored beside the zones (gid → zone_id) for the SQL side.
        pairs = "\n".join("{}\t{}".format(g, z) for g, z in zip(zones.frame["gid"], zones.frame["zone_id"]))
        server.psql("eit", "CREATE TABLE bench.zone_ids (gid int PRIMARY KEY, zone_id text);\n"
                           "COPY bench.zone_ids FROM STDIN;\n{}\n\\.\n".format(pairs))
        server.psql("eit", "CREATE TABLE bench.zones AS SELECT i.zone_id, z.geom FROM bench.zone_urba z "
                           "JOIN bench.zone_ids i USING (gid); CREATE INDEX ON bench.zones USING gist (geom); "
                           "ANALYZE bench.zones")
        with Timer(t, "zones: in PostGIS (SQL)"):
            in_db = zone_assignment(server.uri(), "bench.flows", "bench.zones")
        memory = {fid: (z, int(n)) for fid, z, n in zip(flows["flow_id"], zone_ids, n_containing)}
        results["counts"]["zone_assignment_equal"] = in_db == memory
        results["counts"]["zone_assignment_differences"] = sum(1 for k, v in memory.items() if in_db.get(k) != v)

        taxonomy = reference.load_taxonomy()
        compatibility = reference.load_compatibility()
        tax = {row["code"]: row for row in taxonomy.to_dict("records")}
        stats: dict = {}
        params = matching.MatchingParams()
        f = matching._prepare_flows(flows, tax, params, stats)
        # The search alone, group by group: the groups (points, radius, k) that _candidates asks
        # for are recorded with the KD-tree's answer, and _candidates gets no pair back (at 1M
        # the candidate frame built after the search does not fit beside the rest); the same
        # groups are then asked of PostGIS, within a time budget.
        groups = []

        def kdtree(sxy, dxy, radius, k):
            start = time.perf_counter()
            pairs = matching._knn_pairs(sxy, dxy, radius, k)
            groups.append({"sxy": sxy, "dxy": dxy, "radius": radius, "k": k, "pairs": pairs,
                           "kdtree_s": time.perf_counter() - start})
            return pairs[:0]

        params.pair_finder = kdtree
        with Timer(t, "candidates: rules and groups (no pairs)"):
            matching._candidates(f, compatibility, tax, params, None, None, dict(stats), NULL_FEEDBACK)
        sql = SqlPairFinder(server.uri())
        done = []
        with Timer(t, "candidates: search in PostGIS (SQL)"):
            for g in groups:
                start = time.perf_counter()
                pairs = sql(g["sxy"], g["dxy"], g["radius"], g["k"])
                done.append({"equal": bool(np.array_equal(pairs, g["pairs"])), "postgis_s": time.perf_counter() - start})
                if args.sql_budget is not None and sum(d["postgis_s"] for d in done) > args.sql_budget:
                    print("PostGIS search stopped after the budget of {} s".format(args.sql_budget), flush=True)
                    break
        n = len(done)
        t["candidates: search alone, groups PostGIS did"] = {
            "groups": n, "of": len(groups), "kdtree_s": round(sum(g["kdtree_s"] for g in groups[:n]), 2),
            "postgis_s": round(sum(d["postgis_s"] for d in done), 2),
            "flows_searched": int(sum(len(g["sxy"]) + len(g["dxy"]) for g in groups[:n])),
            "pairs": int(sum(len(g["pairs"]) for g in groups[:n]))}
        t["candidates: search alone, KD-tree all groups"] = {
            "kdtree_s": round(sum(g["kdtree_s"] for g in groups), 2),
            "flows_searched": int(sum(len(g["sxy"]) + len(g["dxy"]) for g in groups)),
            "pairs": int(sum(len(g["pairs"]) for g in groups))}
        print(json.dumps(t["candidates: search alone, groups PostGIS did"]), flush=True)
        print(json.dumps(t["candidates: search alone, KD-tree all groups"]), flush=True)
        results["groups"] = [{"supplies": len(g["sxy"]), "demands": len(g["dxy"]), "radius": float(g["radius"]),
                              "pairs": len(g["pairs"]), "kdtree_s": round(g["kdtree_s"], 3),
                              "postgis_s": round(d["postgis_s"], 3) if d else None, "equal": d["equal"] if d else None}
                             for g, d in zip(groups, done + [None] * (len(groups) - n))]
        results["counts"].update(groups=len(groups), groups_compared=n,
                                 pairs_equal_in_groups_compared=all(d["equal"] for d in done))
    finally:
        pg_harness.stop_server(server)
    results["load_end"] = os.getloadavg()
    results["peak_rss_mb_this_process"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(results["counts"], indent=1))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
