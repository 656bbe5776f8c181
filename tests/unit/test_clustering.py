"""Pooling and exchange clusters on hand-built territories (core only, no QGIS)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.spatial import cKDTree

from eit_plugin.core import clustering as cl
from eit_plugin.core.errors import EitInputError
from eit_plugin.core.feedback import Feedback
from eit_plugin.core.fields import CLUSTER_FIELDS, names

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]

SIRETS = ["11111111100011", "22222222200022", "33333333300033", "44444444400044", "55555555500055",
          "66666666600066", "77777777700077", "88888888800088"]


def flows(rows):
    """rows: (siret, x, y, resource, quantity[, direction])."""
    records = []
    for r in rows:
        siret, x, y, resource, quantity = r[:5]
        direction = r[5] if len(r) > 5 else "supply"
        family = {"space_heating": "heat", "domestic_hot_water": "heat", "paper_cardboard": "waste",
                  "plastic_waste": "waste", "glass_waste": "waste", "textile_waste": "waste"}.get(resource, "waste")
        unit = "MWh" if family == "heat" else "t"
        records.append({"flow_id": "{}:{}:{}".format(siret, direction[0].upper(), resource), "siret": siret,
                        "direction": direction, "resource": resource, "family": family, "quantity": quantity,
                        "unit": unit, "x": float(x), "y": float(y)})
    return pd.DataFrame(records)


class RectZones:
    """Rectangular zones with the ZoneLayer interface (frame, assign, point_on_surface,
    bbox, nearest_point)."""

    def __init__(self, rects):
        rows = []
        for zone_id, _x0, _y0, _x1, _y1, attrs in rects:
            row = {"zone_id": zone_id, "libelle": None, "typezone": None, "destdomi": None, "formdomi": None,
                   "destoui": None, "destnon": None}
            row.update(attrs)
            rows.append(row)
        self.frame = pd.DataFrame(rows).sort_values("zone_id").reset_index(drop=True)
        order = {r[0]: r for r in rects}
        self.bbox = np.array([order[z][1:5] for z in self.frame["zone_id"]], dtype=float)

    def assign(self, xs, ys):
        ids, counts = [], []
        for x, y in zip(xs, ys):
            inside = [z for z, b in zip(self.frame["zone_id"], self.bbox) if b[0] <= x <= b[2] and b[1] <= y <= b[3]]
            ids.append(inside[0] if inside else None)
            counts.append(len(inside))
        return ids, np.array(counts)

    def point_on_surface(self, zone_id):
        b = self.bbox[list(self.frame["zone_id"]).index(zone_id)]
        return ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)

    def nearest_point(self, zone_id, x, y):
        b = self.bbox[list(self.frame["zone_id"]).index(zone_id)]
        return (min(max(x, b[0]), b[2]), min(max(y, b[1]), b[3]))


def ids_and_members(frame):
    return list(zip(frame["cluster_id"], frame["members"]))


# Membership ---------------------------------------------------------------------------------
def test_member_at_499_m_joins_and_at_501_m_does_not():
    near = flows([(SIRETS[0], 0, 0, "paper_cardboard", 10), (SIRETS[1], 499, 0, "paper_cardboard", 10),
                  (SIRETS[2], 998, 0, "paper_cardboard", 10)])
    out = cl.pooling_clusters(near, distance_m=500, min_members=3)
    assert ids_and_members(out) == [("P-dry_packaging-1", ", ".join(SIRETS[:3]))]
    far = flows([(SIRETS[0], 0, 0, "paper_cardboard", 10), (SIRETS[1], 499, 0, "paper_cardboard", 10),
                 (SIRETS[2], 1000, 0, "paper_cardboard", 10)])
    assert cl.pooling_clusters(far, distance_m=500, min_members=3).empty
    exactly = flows([(SIRETS[0], 0, 0, "paper_cardboard", 10), (SIRETS[1], 500, 0, "paper_cardboard", 10),
                     (SIRETS[2], 1000, 0, "paper_cardboard", 10)])
    assert len(cl.pooling_clusters(exactly, distance_m=500, min_members=3)) == 1  # "within" includes the threshold


def test_min_members_and_min_quantity():
    three = flows([(SIRETS[i], 100 * i, 50 * i, "paper_cardboard", 10) for i in range(3)])
    assert len(cl.pooling_clusters(three, min_members=3)) == 1
    assert cl.pooling_clusters(three, min_members=4).empty
    small = flows([(SIRETS[i], 100 * i, 0, "paper_cardboard", 5) for i in range(3)])  # 15 t < 20 t for the group
    assert cl.pooling_clusters(small, min_members=3).empty
    assert len(cl.pooling_clusters(small, min_members=3, min_quantity_factor=0.5)) == 1


def test_group_pools_cardboard_and_plastic_but_not_supply_with_demand():
    rows = [(SIRETS[0], 0, 0, "paper_cardboard", 10), (SIRETS[1], 200, 0, "plastic_waste", 10),
            (SIRETS[2], 400, 0, "paper_cardboard", 10), (SIRETS[3], 300, 100, "glass_waste", 30),
            (SIRETS[4], 100, 100, "space_heating", 900, "demand"), (SIRETS[5], 150, 50, "space_heating", 900, "demand")]
    out = cl.pooling_clusters(flows(rows), min_members=3)
    assert list(out["cluster_id"]) == ["P-dry_packaging-1"]
    row = out.iloc[0]
    assert row["resources"] == "paper_cardboard, plastic_waste"
    assert row["quantities"] == "paper_cardboard=20.0 t; plastic_waste=10.0 t"
    assert row["total_quantity"] == 30 and row["unit"] == "t" and row["n_members"] == 3
    assert row["action"] == "shared_collection" and row["facility"] == "collection_point"


def test_a_bulk_producer_is_left_out_of_the_round():
    rows = [(SIRETS[i], 100 * i, 0, "paper_cardboard", 10) for i in range(3)] + [(SIRETS[3], 150, 50, "paper_cardboard", 5000)]
    fb = Feedback()
    out = cl.pooling_clusters(flows(rows), feedback=fb)  # dry_packaging: at most 1000 t per member
    assert list(out["members"]) == [", ".join(SIRETS[:3])] and list(out["total_quantity"]) == [30]
    # the log says how many, never which establishment nor its tonnage (public runs log it too)
    assert any("1 establishment(s)" in m and "full-truck" in m for m in fb.infos)
    assert not any(SIRETS[3] in m or "5000" in m for m in fb.infos)


def test_savings_follow_the_actions_table():
    out = cl.pooling_clusters(flows([(SIRETS[i], 100 * i, 0, "paper_cardboard", 10) for i in range(3)]))
    row = out.iloc[0]
    # dry_packaging: 500 truck-km per extra member, 30 EUR/t, 1 kg CO2 per truck-km
    assert row["truck_km_avoided"] == 1000
    assert row["cost_saving_eur"] == 900
    assert row["co2_avoided_t"] == pytest.approx(1.0)
    assert "500 km-camion" in row["savings_basis"] and "assumption" in row["savings_basis"]


def test_components_equal_those_of_all_pairs_within_distance():
    rng = np.random.default_rng(7)
    for _ in range(10):
        xy = rng.uniform(0, 4000, (400, 2)).round(0)
        xy[:20] = xy[20:40]  # duplicates
        d = float(rng.uniform(100, 400))
        edges, lengths = cl.neighbour_edges(xy, d)
        assert len(edges) < 3 * len(xy) and (lengths <= d).all()
        mine = cl._components(len(xy), edges)
        ref = cl._components(len(xy), cKDTree(xy).query_pairs(d, output_type="ndarray"))
        assert len(set(zip(mine, ref))) == len(set(mine)) == len(set(ref))


def test_long_chain_is_cut_to_the_group_span():
    chain = flows([("{:014d}".format(i), 100 * i, 0, "paper_cardboard", 10) for i in range(101)])  # 10 km
    out = cl.pooling_clusters(chain, min_members=3)
    assert len(out) == 4  # 10 km halved twice: four rounds of about 2.5 km (max span 3 km)
    assert (out["span_m"] <= 3000).all()
    members = sorted(m for ms in out["members"] for m in ms.split(", "))
    assert members == ["{:014d}".format(i) for i in range(101)]


def test_network_distance_decides_membership():
    class DoubleNetwork:  # along the network, every trip is twice the straight line
        def distances(self, source_xy, target_xy, pairs, cutoff_m, **kwargs):
            d = 2 * np.hypot(*(source_xy[pairs[:, 0]] - target_xy[pairs[:, 1]]).T)
            return np.where(d <= cutoff_m, d, np.nan)

    three = flows([(SIRETS[i], 300 * i, 0, "paper_cardboard", 10) for i in range(3)])
    assert len(cl.pooling_clusters(three, distance_m=500)) == 1
    assert cl.pooling_clusters(three, distance_m=500, network=DoubleNetwork()).empty
    out = cl.pooling_clusters(three, distance_m=700, network=DoubleNetwork())
    assert list(out["distance_kind"]) == ["network"]


def test_real_line_network_detour_splits_a_straight_line_cluster():
    from eit_plugin.core.network import LineNetwork

    # a river between y=+100 and y=-100, crossed by a bridge 1 km east
    road = LineNetwork.from_polylines([np.array([[0, 100], [1000, 100], [1000, -100], [0, -100]], dtype=float)])
    rows = [(SIRETS[0], 0, 100, "paper_cardboard", 10), (SIRETS[1], 300, 100, "paper_cardboard", 10),
            (SIRETS[2], 0, -100, "paper_cardboard", 10), (SIRETS[3], 300, -100, "paper_cardboard", 10),
            (SIRETS[4], 150, 100, "paper_cardboard", 10), (SIRETS[5], 150, -100, "paper_cardboard", 10)]
    straight = cl.pooling_clusters(flows(rows))
    assert list(straight["n_members"]) == [6]
    along = cl.pooling_clusters(flows(rows), network=road)
    assert sorted(along["members"]) == [", ".join(SIRETS[:2] + SIRETS[4:5]), ", ".join(SIRETS[2:4] + SIRETS[5:6])]
    assert set(along["distance_kind"]) == {"network"}


# Facility site --------------------------------------------------------------------------------
ZONES = [
    ("Z1", -200, -200, 100, 200, {"libelle": "UX", "typezone": "U", "destdomi": "02"}),
    ("Z2", 100, -200, 600, 200, {"libelle": "N", "typezone": "N", "destdomi": "08"}),
    ("Z3", 600, -200, 1000, 200, {"libelle": "UA", "typezone": "U", "destdomi": "01"}),
]
LINE = [(SIRETS[0], 0, 0, "paper_cardboard", 10), (SIRETS[1], 400, 0, "paper_cardboard", 10),
        (SIRETS[2], 800, 0, "paper_cardboard", 10)]


def test_site_is_the_weighted_median_without_zones():
    row = cl.pooling_clusters(flows(LINE)).iloc[0]
    assert (row["site_x"], row["site_y"]) == pytest.approx((400, 0), abs=0.5)
    assert row["site_kind"] == "median" and "aucune couche de zonage" in row["site_reason"]


def test_best_site_excluded_when_its_zone_forbids_the_facility():
    row = cl.pooling_clusters(flows(LINE), zones=RectZones(ZONES)).iloc[0]
    # The optimum (400, 0) is in a natural zone (forbidden), UA housing allows no collection
    # area: the site is the point of the UX zone nearest to the optimum.
    assert row["site_zone"] == "Z1" and row["site_kind"] == "zone"
    assert (row["site_x"], row["site_y"]) == pytest.approx((100, 0))
    assert row["site_mean_distance_m"] == pytest.approx(1100 / 3)
    assert "exclu" in row["site_reason"] and "Z02" in row["site_reason"]
    assert row["zone_ids"] == "Z1, Z2, Z3"


def test_no_allowed_zone_gives_a_reason_and_no_site():
    zones = [z if z[0] != "Z1" else ("Z1", -200, -200, 100, 200, {"libelle": "A", "typezone": "A"}) for z in ZONES]
    row = cl.pooling_clusters(flows(LINE), zones=RectZones(zones)).iloc[0]
    assert math.isnan(row["site_x"]) and row["site_zone"] is None
    assert "Aucune zone autorisant" in row["site_reason"]
    assert "interdit par la règle Z01" in row["site_reason"]  # the A zone, named with its rule


def test_forbid_rule_wins_over_allow_rule():
    frame = pd.DataFrame([
        {"zone_id": "a", "libelle": "UX", "typezone": "N", "destdomi": None},
        {"zone_id": "b", "libelle": "UX", "typezone": "U", "destdomi": None},
        {"zone_id": "c", "libelle": "UB", "typezone": "U", "destdomi": "03"},
        {"zone_id": "d", "libelle": "UZ", "typezone": "U", "destdomi": None, "destoui": "51;53"},
    ])
    rules = cl.load_facility_rules()
    allowed, reasons = cl.facility_admissibility(frame, "sorting_platform", rules)
    assert list(allowed) == [False, True, False, True]
    assert "Z02" in reasons[0] and "Z06" in reasons[1] and "Z18" in reasons[2] and "Z11" in reasons[3]
    allowed, _ = cl.facility_admissibility(frame, "collection_point", rules)
    assert list(allowed) == [False, True, True, True]  # a bin store fits in a mixed zone


def test_weiszfeld():
    tri = np.array([[0, 0], [1000, 0], [500, 866.0254]])
    assert cl.weiszfeld(tri, np.ones(3)) == pytest.approx((500, 288.675), abs=0.05)
    assert cl.weiszfeld(tri, np.array([10, 1, 1])) == pytest.approx((0, 0))  # a dominant member attracts the site


# Determinism and ids ------------------------------------------------------------------------
def _territory():
    rng = np.random.default_rng(3)
    rows = []
    for i in range(300):
        x, y = rng.uniform(0, 6000, 2)
        rows.append(("{:014d}".format(10**9 + i), x, y, ["paper_cardboard", "glass_waste", "textile_waste"][i % 3],
                     float(rng.uniform(1, 40))))
    return flows(rows)


def test_same_inputs_same_clusters_whatever_the_row_order():
    f = _territory()
    a = cl.pooling_clusters(f, distance_m=400)
    b = cl.pooling_clusters(f.sample(frac=1.0, random_state=11), distance_m=400)
    assert len(a) >= 5
    pd.testing.assert_frame_equal(a, b)
    # ids rank clusters of a group by total quantity (descending)
    for group, sub in a.groupby("group"):
        assert list(sub["cluster_id"]) == ["P-{}-{}".format(group, n + 1) for n in range(len(sub))]
        assert list(sub["total_quantity"]) == sorted(sub["total_quantity"], reverse=True)


def test_polygon_is_a_buffered_hull():
    row = cl.pooling_clusters(flows(LINE)).iloc[0]
    assert row["hull_wkt"].startswith("POLYGON((")
    coords = np.array([[float(v) for v in p.split()] for p in row["hull_wkt"][9:-2].split(", ")])
    assert coords[:, 0].min() == pytest.approx(-50, abs=0.01) and coords[:, 0].max() == pytest.approx(850, abs=0.01)
    def area(ring):
        return 0.5 * abs(np.dot(ring[:-1, 0], ring[1:, 1]) - np.dot(ring[1:, 0], ring[:-1, 1]))

    assert area(cl.buffered_hull(np.array([[0.0, 0.0]]), 50)) == pytest.approx(math.pi * 50**2, rel=0.03)
    pts = np.random.default_rng(5).uniform(0, 1000, (200, 2))
    square = np.array([[0, 0], [1000, 0], [1000, 1000], [0, 1000.0]])
    grown = area(cl.buffered_hull(np.vstack([pts, square]), 50))
    assert grown == pytest.approx(1000**2 + 4 * 1000 * 50 + math.pi * 50**2, rel=0.005)


# Exchange clusters ----------------------------------------------------------------------------
def synergies(edges):
    rows = []
    for n, (u, v, q, unit, pos_u, pos_v) in enumerate(edges):
        zone = v[5:] if v.startswith("zone:") else ""
        rows.append({"synergy_id": "S{:03d}".format(n), "supplier_siret": u, "receiver_siret": "" if zone else v,
                     "receiver_zone": zone, "resource_supply": "wood_waste" if unit == "t" else "waste_heat",
                     "resource_demand": "wood_raw_material" if unit == "t" else "space_heating",
                     "quantity": q, "unit": unit, "co2_avoided_t": q / 10, "x1": pos_u[0], "y1": pos_u[1],
                     "x2": pos_v[0], "y2": pos_v[1]})
    return pd.DataFrame(rows)


def test_exchange_communities_on_a_small_synergy_graph():
    s = SIRETS
    p = {k: (100.0 * i, 0.0) for i, k in enumerate(s)}
    p["zone:AU1"] = (5000.0, 0.0)
    edges = [  # two dense triangles linked by one synergy, plus a lone pair
        (s[0], s[1], 10, "t", p[s[0]], p[s[1]]), (s[1], s[2], 20, "t", p[s[1]], p[s[2]]),
        (s[0], s[2], 30, "t", p[s[0]], p[s[2]]),
        (s[3], s[4], 100, "MWh", p[s[3]], p[s[4]]), (s[4], "zone:AU1", 200, "MWh", p[s[4]], p["zone:AU1"]),
        (s[3], "zone:AU1", 300, "MWh", p[s[3]], p["zone:AU1"]), (s[3], s[5], 50, "MWh", p[s[3]], p[s[5]]),
        (s[2], s[3], 5, "t", p[s[2]], p[s[3]]),
        (s[6], s[7], 1, "t", p[s[6]], p[s[7]]),
    ]
    out = cl.exchange_clusters(synergies(edges), min_members=3)
    assert list(out["cluster_id"]) == ["E-1", "E-2"]
    first, second = out.iloc[0], out.iloc[1]
    assert first["members"] == ", ".join([s[3], s[4], s[5], "zone:AU1"]) and first["n_members"] == 4
    assert first["total_quantity"] == 650 and first["unit"] == "MWh" and first["n_synergies"] == 4
    assert first["zone_ids"] == "AU1"
    assert second["members"] == ", ".join(s[:3]) and second["total_quantity"] == 60 and second["n_synergies"] == 3
    assert second["co2_avoided_t"] == pytest.approx(6.0)
    again = cl.exchange_clusters(synergies(edges[::-1]), min_members=3)
    pd.testing.assert_frame_equal(out, again)


def test_component_without_community_structure_stays_whole():
    s = SIRETS
    edges = [(s[0], s[1], 1, "t", (0, 0), (1, 0)), (s[1], s[2], 1, "t", (1, 0), (2, 0)),
             (s[0], s[2], 1, "t", (0, 0), (2, 0)), (s[2], s[3], 1, "t", (2, 0), (3, 0))]
    out = cl.exchange_clusters(synergies(edges), min_members=3)
    assert list(out["members"]) == [", ".join(s[:4])]


def test_detect_clusters_columns_and_errors():
    out = cl.detect_clusters(flows(LINE), synergies=None)
    assert list(out.columns) == names(CLUSTER_FIELDS) + ["hull_wkt"]
    assert cl.detect_clusters(flows(LINE[:1])).empty
    with pytest.raises(EitInputError, match="quantity"):
        cl.pooling_clusters(flows(LINE).drop(columns=["quantity"]))
    with pytest.raises(EitInputError, match="MIN_MEMBERS"):
        cl.pooling_clusters(flows(LINE), min_members=1)


def test_flows_without_position_are_reported():
    f = flows(LINE + [(SIRETS[3], 0, 0, "paper_cardboard", 10)])
    f.loc[3, "x"] = np.nan
    fb = Feedback()
    out = cl.pooling_clusters(f, feedback=fb)
    assert out.iloc[0]["n_members"] == 3
    assert any("without a position" in w for w in fb.warnings)


def test_reference_files_have_sources():
    actions = cl.load_pooling_actions()
    assert actions["source"].str.len().gt(0).all() and actions["rationale"].str.len().gt(0).all()
    facilities = set(actions["facility"]) - {"none"}
    rules = cl.load_facility_rules()
    named = {f for spec in rules["facility"] for f in spec.split()} - {"*"}
    assert named <= facilities and facilities <= set(cl.FACILITY_LABELS)


def test_user_tables_override_and_bad_rows_are_named(tmp_path):
    actions = cl.load_pooling_actions()
    custom = actions.copy()
    custom.loc[custom["group"] == "dry_packaging", "min_total_quantity"] = 100.0
    path = tmp_path / "actions.csv"
    custom.to_csv(path, index=False)
    line = flows([(SIRETS[i], 100 * i, 0, "paper_cardboard", 10) for i in range(3)])
    assert cl.pooling_clusters(line, actions=cl.load_pooling_actions(path)).empty  # 30 t < 100 t
    custom.loc[custom["group"] == "glass", "source"] = ""
    custom.to_csv(path, index=False)
    cl._load_actions_cached.cache_clear()
    with pytest.raises(EitInputError, match=r"Line 3 \(glass\).*no source"):
        cl.load_pooling_actions(path)
    rules = tmp_path / "rules.csv"
    rules.write_text("rule_id,facility,field,match,value,decision,label_fr,source,rationale\n"
                     "R1,*,zonetype,equals,U,allow,x,assumption,y\n", encoding="utf-8")
    with pytest.raises(EitInputError, match="Line 2 \\(rule R1\\).*field must be one of"):
        cl.load_facility_rules(rules)


def test_exchange_clusters_do_not_depend_on_string_hashing():
    """networkx iterates sets: the result must not change with the process's hash seed."""
    import subprocess
    import sys

    code = (
        "import numpy as np, pandas as pd\n"
        "from eit_plugin.core import clustering as cl\n"
        "rng = np.random.default_rng(4)\n"
        "xy = rng.uniform(0, 3000, (300, 2))\n"
        "src = rng.integers(0, 300, 400); dst = (src + rng.integers(1, 6, 400)) % 300\n"
        "sir = ['{:014d}'.format(10**9 + i) for i in range(300)]\n"
        "s = pd.DataFrame({'synergy_id': ['S%d' % i for i in range(400)], 'supplier_siret': [sir[i] for i in src],\n"
        "                  'receiver_siret': [sir[i] for i in dst], 'quantity': 1.0, 'unit': 't',\n"
        "                  'x1': xy[src, 0], 'y1': xy[src, 1], 'x2': xy[dst, 0], 'y2': xy[dst, 1]})\n"
        "out = cl.exchange_clusters(s)\n"
        "print(len(out), '|'.join(out['members']))\n"
    )
    results = set()
    for seed in ("1", "2", "3"):
        env = {"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}
        done = subprocess.run([sys.executable, "-c", code], cwd=str(ROOT), env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        results.add(done.stdout)
    assert len(results) == 1 and int(next(iter(results)).split()[0]) > 0


def test_rule_mask_per_distinct_text_equals_a_plain_row_by_row_test():
    from eit_plugin.core.cluster_site import _rule_mask, _tokens

    column = pd.Series(["UX", " ux", None, "1AUX", float("nan"), "51;53", 2.0, "UX", "53"], dtype=object)
    for match, value in (("equals", "UX"), ("prefix", "1AU"), ("token", "53"), ("equals", "2.0"), ("equals", "")):
        text = column.fillna("").astype(str).str.strip().str.upper()
        wanted = value.upper()
        plain = {"equals": lambda t, w=wanted: t == w, "prefix": lambda t, w=wanted: t.startswith(w),
                 "token": lambda t, w=wanted: w in _tokens(t)}[match]
        assert list(_rule_mask(column, match, value)) == [plain(t) for t in text]


def test_prepared_flows_keep_the_order_of_a_plain_pandas_sort():
    from eit_plugin.core.clustering import _prepare_flows

    rng = np.random.default_rng(1)
    n = 300
    frame = pd.DataFrame({
        "siret": rng.choice([" 222", "111", "111 ", "zone:Z1", None, "333"], n),
        "direction": rng.choice(["Supply", "demand ", "other"], n),
        "resource": rng.choice(["paper_cardboard", " wood", "wood"], n), "unit": "t", "family": "waste",
        "quantity": rng.choice([1.0, 0.0, np.nan, 5.0], n), "x": rng.choice([0.0, 1.0, np.nan], n), "y": rng.integers(0, 3, n)})
    got = _prepare_flows(frame, Feedback())
    f = frame.copy()
    f["siret"] = f["siret"].astype(object).where(f["siret"].notna(), "").astype(str).str.strip()
    f["direction"] = f["direction"].astype(str).str.strip().str.lower()
    f["resource"] = f["resource"].astype(str).str.strip()
    firm = (f["siret"] != "") & (f["siret"].str.lower() != "nan") & ~f["siret"].str.startswith("zone:")
    keep = firm & f["x"].notna() & (f["quantity"] > 0) & f["direction"].isin(["supply", "demand"])
    plain = f[keep].sort_values(["siret", "direction", "resource", "x", "y"], kind="mergesort")
    assert len(plain) > 20
    assert list(got.index) == list(plain.index)
    assert list(got["siret"]) == list(plain["siret"]) and list(got["resource"]) == list(plain["resource"])
