"""Timing of ``core.clustering`` on generated flows at 10k / 100k / 1M establishments.

Not a test. Each size runs in its own subprocess (so that peak memory is measured per size):
establishments are placed at constant density (business parks as dense blobs, the rest
scattered), each with two or three flows drawn from a realistic resource mix; a synergy
graph of about n/5 edges links near neighbours; rectangular zones (about 1 per 60
establishments, one in five an activity zone) are used for the site search. Prints and
writes a JSON line per size with wall times per step and peak RSS.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=$PWD /usr/bin/python3 bench/clusters_scale.py \\
        --sizes 10000 100000 1000000 [--out bench/results/clusters_scale.json]
"""
from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DENSITY_PER_KM2 = 150.0  # establishments per km² over the whole generated square
WASTES = ["paper_cardboard", "plastic_waste", "glass_waste", "metal_scrap", "wood_waste", "food_waste",
          "mixed_waste", "waste_oil", "inert_construction", "textile_waste"]
WASTE_P = np.array([30, 15, 10, 8, 8, 10, 10, 3, 4, 2], dtype=float)
HEAT = ["space_heating", "domestic_hot_water", "process_heat", "cooling"]
HEAT_P = np.array([60, 20, 12, 8], dtype=float)


def make_flows(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    side = math.sqrt(n / DENSITY_PER_KM2) * 1000.0
    n_parks = max(1, n // 400)
    centres = rng.uniform(0, side, (n_parks, 2))
    in_park = rng.random(n) < 0.6
    which = rng.integers(0, n_parks, n)
    xy = np.where(in_park[:, None], centres[which] + rng.normal(0, 350, (n, 2)), rng.uniform(0, side, (n, 2)))
    xy += (900_000.0, 6_500_000.0)
    siret = np.char.zfill(np.arange(10**9, 10**9 + n).astype(str), 14)
    # waste supply for everyone, heat demand for 60 %, a second waste for 40 %
    parts = []
    w1 = rng.choice(len(WASTES), n, p=WASTE_P / WASTE_P.sum())
    parts.append(pd.DataFrame({"siret": siret, "direction": "supply", "resource": np.array(WASTES)[w1],
                               "family": "waste", "unit": "t", "quantity": rng.lognormal(1.5, 1.0, n),
                               "x": xy[:, 0], "y": xy[:, 1]}))
    sel = rng.random(n) < 0.4
    w2 = rng.choice(len(WASTES), sel.sum(), p=WASTE_P / WASTE_P.sum())
    parts.append(pd.DataFrame({"siret": siret[sel], "direction": "supply", "resource": np.array(WASTES)[w2],
                               "family": "waste", "unit": "t", "quantity": rng.lognormal(1.0, 1.0, sel.sum()),
                               "x": xy[sel, 0], "y": xy[sel, 1]}))
    sel = rng.random(n) < 0.6
    h = rng.choice(len(HEAT), sel.sum(), p=HEAT_P / HEAT_P.sum())
    parts.append(pd.DataFrame({"siret": siret[sel], "direction": "demand", "resource": np.array(HEAT)[h],
                               "family": "heat", "unit": "MWh", "quantity": rng.lognormal(5.0, 1.2, sel.sum()),
                               "x": xy[sel, 0], "y": xy[sel, 1]}))
    flows = pd.concat(parts, ignore_index=True).drop_duplicates(["siret", "direction", "resource"])
    flows["flow_id"] = flows["siret"] + ":" + flows["direction"].str[0].str.upper() + ":" + flows["resource"]
    return flows.reset_index(drop=True)


def make_synergies(flows: pd.DataFrame, seed: int = 2) -> pd.DataFrame:
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(seed)
    sites = flows.drop_duplicates("siret")
    xy = sites[["x", "y"]].to_numpy()
    k = max(1, len(sites) // 5)
    src = rng.choice(len(sites), k, replace=False)
    _, nn = cKDTree(xy).query(xy[src], k=4)
    dst = nn[np.arange(k), rng.integers(1, 4, k)]
    sir = sites["siret"].to_numpy()
    return pd.DataFrame({"synergy_id": ["S{}".format(i) for i in range(k)], "supplier_siret": sir[src],
                         "receiver_siret": sir[dst], "receiver_zone": "", "resource_supply": "wood_waste",
                         "resource_demand": "wood_raw_material", "quantity": rng.lognormal(2, 1, k), "unit": "t",
                         "co2_avoided_t": rng.random(k), "x1": xy[src, 0], "y1": xy[src, 1],
                         "x2": xy[dst, 0], "y2": xy[dst, 1]})


class GridZones:
    """Square zones on a grid (one in five an activity zone), with the ZoneLayer interface."""

    def __init__(self, flows: pd.DataFrame, cell: float):
        x0, y0 = flows["x"].min() - 1, flows["y"].min() - 1
        nx_ = int(math.ceil((flows["x"].max() + 1 - x0) / cell))
        ny_ = int(math.ceil((flows["y"].max() + 1 - y0) / cell))
        ii, jj = np.meshgrid(np.arange(nx_), np.arange(ny_), indexing="ij")
        ii, jj = ii.ravel(), jj.ravel()
        self.x0, self.y0, self.cell, self.ny = x0, y0, cell, ny_
        ids = np.char.add("Z", np.char.zfill((ii * ny_ + jj).astype(str), 8))
        kind = (ii * 7 + jj * 3) % 5
        self.frame = pd.DataFrame({"zone_id": ids, "libelle": np.where(kind == 0, "UX", np.where(kind == 1, "N", "UB")),
                                   "typezone": np.where(kind == 1, "N", "U"),
                                   "destdomi": np.where(kind == 0, "02", np.where(kind == 1, "08", "01"))})
        self.bbox = np.column_stack([x0 + ii * cell, y0 + jj * cell, x0 + (ii + 1) * cell, y0 + (jj + 1) * cell])
        self._ids = ids

    def assign(self, xs, ys):
        i = np.floor((np.asarray(xs) - self.x0) / self.cell).astype(int)
        j = np.floor((np.asarray(ys) - self.y0) / self.cell).astype(int)
        k = i * self.ny + j
        ok = (k >= 0) & (k < len(self._ids))
        return [self._ids[v] if o else None for v, o in zip(k, ok)], ok.astype(int)

    def point_on_surface(self, zone_id):
        b = self.bbox[int(zone_id[1:])]
        return ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)

    def nearest_point(self, zone_id, x, y):
        b = self.bbox[int(zone_id[1:])]
        return (min(max(x, b[0]), b[2]), min(max(y, b[1]), b[3]))


def run_one(n: int) -> dict:
    from eit_plugin.core import clustering

    out = {"establishments": n}
    t = time.perf_counter()
    flows = make_flows(n)
    synergies = make_synergies(flows)
    zones = GridZones(flows, cell=math.sqrt(60 / DENSITY_PER_KM2) * 1000.0)
    out["generate_s"] = round(time.perf_counter() - t, 2)
    out["flows"] = len(flows)
    out["zones"] = len(zones.frame)
    t = time.perf_counter()
    pooled = clustering.pooling_clusters(flows, distance_m=500, min_members=3)
    out["pooling_straight_s"] = round(time.perf_counter() - t, 2)
    out["pooling_clusters"] = len(pooled)
    t = time.perf_counter()
    pooled_z = clustering.pooling_clusters(flows, distance_m=500, min_members=3, zones=zones)
    out["pooling_with_zones_s"] = round(time.perf_counter() - t, 2)
    out["sites_found"] = int(pd.to_numeric(pooled_z["site_x"], errors="coerce").notna().sum())
    t = time.perf_counter()
    exch = clustering.exchange_clusters(synergies, min_members=3)
    out["exchange_s"] = round(time.perf_counter() - t, 2)
    out["synergies"] = len(synergies)
    out["exchange_clusters"] = len(exch)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 0)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one)))
        return 0
    results = []
    for n in args.sizes:
        proc = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            return proc.returncode
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        results.append(res)
        print(json.dumps(res), flush=True)
    keys = ("pooling_straight_s", "pooling_with_zones_s", "exchange_s")
    for a, b in zip(results, results[1:]):
        ratio = {k: round(b[k] / a[k], 1) if a[k] else None for k in keys}
        print("x{:.0f} establishments -> time ratios {}".format(b["establishments"] / a["establishments"], ratio))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
