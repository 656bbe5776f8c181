"""Timing of core.matching (candidates + distances + allocation) on generated flows.

Not a test. Generates a territory of N establishments at the density of the sample (about
30,000 establishments per 40 km x 40 km tile), with a flow mix like eit:estimateflows gives
(many small space-heating demands and office wastes, few waste-heat sources and few large
receivers), housing zones, and optionally a street grid as road network. Prints the time of
each step, the number of candidate pairs and synergies, and the peak memory.

    /usr/bin/python3 bench/synergies_scale.py --sizes 10000 100000 1000000 [--network] [--compare-nx]
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eit_plugin.core import matching, reference  # noqa: E402

# resource, direction, share of establishments, median quantity, temperature range (heat)
MIX = [
    ("space_heating", "demand", 0.60, 150, (60, 60)),
    ("paper_cardboard", "supply", 0.50, 8, None),
    ("mixed_waste", "supply", 0.40, 15, None),
    ("plastic_waste", "supply", 0.15, 5, None),
    ("metal_scrap", "supply", 0.05, 20, None),
    ("food_waste", "supply", 0.05, 20, None),
    ("waste_heat", "supply", 0.05, 2000, (35, 200)),
    ("process_heat", "demand", 0.05, 1500, (60, 120)),
    ("low_temp_heat", "demand", 0.01, 800, (30, 35)),
    ("wood_waste", "supply", 0.03, 100, None),
    ("nonpotable_water", "demand", 0.02, 5000, None),
    ("agrifood_byproducts", "supply", 0.01, 500, None),
    ("inert_construction", "supply", 0.03, 300, None),
    ("treated_wastewater", "supply", 0.0005, 500000, None),
    ("solid_biomass_fuel", "demand", 0.002, 10000, None),
    ("methanisation_feedstock", "demand", 0.001, 20000, None),
    ("animal_feed", "demand", 0.002, 1000, None),
    ("aggregates", "demand", 0.002, 50000, None),
    ("recycled_fibre", "demand", 0.0005, 100000, None),
    ("wood_raw_material", "demand", 0.0005, 50000, None),
    ("scrap_metal_feed", "demand", 0.0005, 20000, None),
    ("waste_fuel", "demand", 0.0002, 50000, None),
    ("recycled_plastic", "demand", 0.0005, 5000, None),
]


def generate(n: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    side = 40_000.0 * np.sqrt(n / 30_000.0)
    # establishments clustered around towns: 1 town per 300 establishments
    n_towns = max(1, n // 300)
    towns = rng.uniform(0, side, size=(n_towns, 2))
    home = rng.integers(0, n_towns, size=n)
    xy = towns[home] + rng.normal(0, 800, size=(n, 2))
    sirets = np.array(["{:09d}{:05d}".format(100_000_000 + i // 3, i % 3 + 1) for i in range(n)])
    names = np.array(["E{}".format(i) for i in range(n)])
    frames = []
    for res, direction, share, median, temps in MIX:
        take = np.flatnonzero(rng.random(n) < share)
        if not len(take):
            continue
        q = rng.lognormal(np.log(median), 0.8, size=len(take))
        t = rng.uniform(temps[0], temps[1], size=len(take)) if temps else np.full(len(take), np.nan)
        frames.append(pd.DataFrame({
            "flow_id": ["{}:{}:{}".format(s, "S" if direction == "supply" else "D", res) for s in sirets[take]],
            "siret": sirets[take], "name": names[take], "direction": direction, "resource": res,
            "quantity": q, "temperature_c": t, "confidence": rng.uniform(0.2, 0.9, size=len(take)),
            "x": xy[take, 0], "y": xy[take, 1]}))
    flows = pd.concat(frames, ignore_index=True)
    zones = pd.DataFrame({"zone_id": ["Z{}".format(i) for i in range(max(1, n // 20))]})
    zxy = towns[rng.integers(0, n_towns, size=len(zones))] + rng.normal(0, 1000, size=(len(zones), 2))
    zones["x"], zones["y"] = zxy[:, 0], zxy[:, 1]
    zones["housing_heat_demand_mwh"] = rng.lognormal(np.log(2000), 1.0, size=len(zones))
    zones["typezone"] = np.where(rng.random(len(zones)) < 0.1, "AUc", "U")
    return flows, zones, side, towns


def road_grid(side: float, towns: np.ndarray, step: float = 2000.0):
    """A coarse regional grid plus a 250 m street grid around each town (capped)."""
    from eit_plugin.core.network import LineNetwork

    lines = []
    for v in np.arange(0, side + step, step):
        lines.append(np.array([[v, 0], [v, side]]))
        lines.append(np.array([[0, v], [side, v]]))
    for tx, ty in towns[:2000]:
        for k in range(-4, 5):
            lines.append(np.array([[tx - 1000, ty + 250 * k], [tx + 1000, ty + 250 * k]]))
            lines.append(np.array([[tx + 250 * k, ty - 1000], [tx + 250 * k, ty + 1000]]))
    t = time.perf_counter()
    net = LineNetwork.from_polylines(lines, snap_m=1.0, densify_m=100.0, bridge_m=300.0)
    return net, time.perf_counter() - t


def compare_networkx(result_cand=None):
    """networkx min-cost flow vs HiGHS LP on a transportation problem of the same shape."""
    import networkx as nx

    rng = np.random.default_rng(0)
    out = {}
    for n_sup, n_dem, k in ((2000, 500, 10), (10000, 2500, 10)):
        s = np.repeat(np.arange(n_sup), k)
        d = rng.integers(0, n_dem, size=len(s))
        key = np.unique(s * n_dem + d)
        s, d = key // n_dem, key % n_dem
        gain = rng.uniform(1, 100, size=len(s))
        cap_s = rng.uniform(10, 1000, size=n_sup)
        cap_d = rng.uniform(10, 5000, size=n_dem)
        eff = np.ones(len(s))
        t = time.perf_counter()
        x = matching.allocate(s, d, eff, np.minimum(cap_s[s], cap_d[d]), gain, cap_s, cap_d)
        t_lp = time.perf_counter() - t
        # networkx: integer capacities (scale 1 unit) and integer costs (cents)
        t = time.perf_counter()
        g = nx.DiGraph()
        src, snk = "src", "snk"
        total = int(cap_s.sum())
        g.add_node(src, demand=-total)
        g.add_node(snk, demand=total)
        for i in range(n_sup):
            g.add_edge(src, ("s", i), capacity=int(cap_s[i]), weight=0)
        for j in range(n_dem):
            g.add_edge(("d", j), snk, capacity=int(cap_d[j]), weight=0)
        for a, b, w in zip(s, d, gain):
            g.add_edge(("s", int(a)), ("d", int(b)), weight=-int(round(w * 100)))
        g.add_edge(src, snk, weight=0)  # unallocated supply
        flow = nx.min_cost_flow(g)
        t_nx = time.perf_counter() - t
        x_nx = np.array([flow[("s", int(a))].get(("d", int(b)), 0) for a, b in zip(s, d)])
        out["{}x{} ({} edges)".format(n_sup, n_dem, len(s))] = {
            "highs_s": round(t_lp, 2), "networkx_s": round(t_nx, 2),
            "objective_highs": round(float((gain * x).sum())), "objective_networkx": round(float((gain * x_nx).sum()))}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--network", action="store_true")
    ap.add_argument("--compare-nx", action="store_true")
    args = ap.parse_args()
    taxonomy = reference.load_taxonomy()
    compatibility = reference.load_compatibility()
    emission = reference.load_emission_factors()
    report = {}
    for n in args.sizes:
        t = time.perf_counter()
        flows, zones, side, towns = generate(n)
        t_gen = time.perf_counter() - t
        road = None
        t_net = 0.0
        if args.network:
            road, t_net = road_grid(side, towns)
        t = time.perf_counter()
        res = matching.detect_synergies(flows, zones, matching.MatchingParams(min_quantity=10.0), taxonomy,
                                        compatibility, emission, road_network=road)
        total = time.perf_counter() - t
        row = {"establishments": n, "flows": len(flows), "candidates": res.stats.get("candidates"),
               "synergies": len(res.synergies), "alternatives": len(res.alternatives),
               "generate_s": round(t_gen, 1), "network_build_s": round(t_net, 1), "detect_s": round(total, 1),
               "steps_s": {k: round(v, 2) for k, v in res.stats.get("timings", {}).items()},
               "allocation_rounds": res.stats.get("allocation_rounds"),
               "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
        report[n] = row
        print(json.dumps(row), flush=True)
    if args.compare_nx:
        print(json.dumps({"allocation_comparison": compare_networkx()}), flush=True)


if __name__ == "__main__":
    main()
