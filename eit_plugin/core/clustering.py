"""Mutualisation clusters: who can pool what, and where a shared facility should go.

Two kinds of clusters:

- **pooling** (``P-<group>-<n>``): establishments with the same supply or demand of one
  resource group (``resources/reference/pooling_actions.csv``: e.g. cardboard and plastic
  film share one collection round; space heating, hot water and low-temperature heat share
  one boiler house) that lie within ``distance_m`` of each other, transitively (single
  linkage: the connected components of the neighbour graph). Components wider than the
  group's ``max_span_m`` (a collection round, a heat loop) are cut by recursive median
  bisection along their longer side, then re-split into connected parts. A cluster needs
  ``min_members`` establishments and the group's ``min_total_quantity`` (times
  ``min_quantity_factor``); a producer above the group's ``max_member_quantity`` has its own
  full-truck service and is left out (logged).
- **exchange** (``E-<n>``): communities of the synergy graph (one node per establishment or
  receiving zone, edges weighted by the number of synergies), Louvain with a fixed seed on
  each connected component, kept only when it raises the component's modularity; internal
  flows summed per unit.

Neighbour graph without pair loops: with straight distances, the components of "within d"
equal the components of the Delaunay edges no longer than d (the Euclidean minimum spanning
tree is a subgraph of the Delaunay triangulation), so the graph has fewer than 3n edges
however dense the territory: O(n log n). Along a ``network`` (``core.network.LineNetwork``),
candidate pairs come from a KD-tree (straight distance ≤ d, a lower bound of the network
distance) and are kept when the network distance is ≤ d: O(n log n + k) for k candidate pairs.
Components: ``scipy.sparse.csgraph`` (the same result as networkx's, without a Python
object per node, which matters at a million establishments).

Suggested site: the quantity-weighted geometric median of the members (Weiszfeld), then the
admissible candidate of least weighted distance among the median itself, the members'
positions near it and, for zones near the cluster, the point of each allowed zone nearest to
the median. Admissible = inside a zone whose rules (``resources/rules/facility_zones.csv``)
allow the group's facility; a ``forbid`` rule wins over an ``allow`` rule; no rule = not
allowed. When nothing is admissible, ``site_reason`` says why.

Zones are any object with ``frame`` (DataFrame: ``zone_id`` + lower-case CNIG columns
``libelle, typezone, destdomi, formdomi, destoui, destnon``...), ``assign(xs, ys) ->
(zone_ids, n_containing)`` and ``point_on_surface(zone_id)``; optionally ``bbox`` (n×4
array aligned with ``frame``) and ``nearest_point(zone_id, x, y)``. ``qgis_io.zones.ZoneLayer``
fits; tests pass rectangles.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..i18n import tr
from . import catalogue, formatting
from .cluster_geometry import (  # noqa: F401  (re-exported: public names of core.clustering)
    DEFAULT_BUFFER_M,
    _BatchedNetworkLengths,
    _components,
    _delaunay_edges,
    _unique_points,
    buffered_hull,
    convex_hull,
    neighbour_edges,
    network_candidates,
    ring_wkt,
    split_components,
    weiszfeld,
)
from .cluster_network import NetworkNeighbours, split_parts
from .cluster_network import supports as supports_nodes
from .cluster_site import (  # noqa: F401  (re-exported: public names of core.clustering)
    FACILITY_LABELS,
    MEMBER_CANDIDATES,
    NO_FACILITY,
    _join,
    _ZoneCandidates,
    facility_admissibility,
    suggest_site,
)
from .cluster_tables import (  # noqa: F401  (re-exported: public names of core.clustering)
    ACTION_COLUMNS,
    ACTION_NUMBERS,
    ACTIONS_FILE,
    FACILITY_RULES_FILE,
    RULE_COLUMNS,
    RULE_FIELDS,
    RULE_MATCHES,
    _load_actions_cached,
    _load_rules_cached,
    group_of_resources,
    load_facility_rules,
    load_pooling_actions,
)
from .errors import EitInputError
from .feedback import NULL_FEEDBACK

EXCHANGE_ACTION = ("exchange_network", "Animation d'un réseau d'échanges entre membres",
                   "Coordination of an exchange network between members")


# Pooling clusters ---------------------------------------------------------------------------
FLOW_REQUIRED = ("siret", "direction", "resource", "quantity", "unit", "x", "y")


def _codes(text: pd.Series, lower: bool = False) -> tuple:
    """``(codes, values)`` of ``text.str.strip()`` (and ``.str.lower()``): each row's rank
    among the sorted distinct cleaned values, each distinct string cleaned once. O(n + u log u)."""
    raw_codes, raw = pd.factorize(text)
    clean = pd.Series(raw, dtype=object).str.strip()
    clean = clean.str.lower() if lower else clean
    rank, values = pd.factorize(clean, sort=True)
    return rank[raw_codes], np.asarray(values, dtype=object)


def _prepare_flows(flows: pd.DataFrame, feedback) -> pd.DataFrame:
    """The firms' flows with a position and a positive quantity, cleaned, in a fixed order
    (SIRET, direction, resource, x, y: results never depend on the input's row order); the
    column ``_siret_rank`` orders the SIRETs. O(n log n), each distinct text cleaned once."""
    missing = [c for c in FLOW_REQUIRED if c not in flows.columns]
    if missing:
        raise EitInputError(tr("The flows table has no column {}: use the output of eit:estimateflows.").format(", ".join(missing)))
    # only the columns the clusters read: every later copy of the 1.8M rows of a 1M territory is smaller
    f = flows[[c for c in flows.columns if c in (*FLOW_REQUIRED, "family", "flow_id", "zone_id")]].copy()
    ranks = {}
    for col, lower in (("siret", False), ("direction", True), ("resource", False)):
        text = f[col].astype(object).where(f[col].notna(), "").astype(str) if col == "siret" else f[col].astype(str)
        ranks[col], values = _codes(text, lower)
        f[col] = values[ranks[col]]
        if col == "siret":
            sir = pd.Series(values, dtype=object)
            firm = pd.Series(((sir != "") & (sir.str.lower() != "nan") & ~sir.str.startswith("zone:")).to_numpy()[ranks[col]],
                             index=f.index)
    f["_siret_rank"] = ranks["siret"]
    f["unit"] = f["unit"].astype(object).where(f["unit"].notna(), "").astype(str)
    if "family" not in f.columns:
        f["family"] = ""
    f["family"] = f["family"].astype(object).where(f["family"].notna(), "").astype(str)
    f["quantity"] = pd.to_numeric(f["quantity"], errors="coerce")
    f["x"] = pd.to_numeric(f["x"], errors="coerce")
    f["y"] = pd.to_numeric(f["y"], errors="coerce")
    no_xy = firm & (f["x"].isna() | f["y"].isna())
    if no_xy.any():
        feedback.warning(tr("{} flow(s) without a position were left out of the clusters (first: {}).").format(
            int(no_xy.sum()), f.loc[no_xy, "flow_id"].iat[0] if "flow_id" in f.columns else f.loc[no_xy, "siret"].iat[0]))
    bad_q = firm & ~no_xy & f["quantity"].isna()
    if bad_q.any():
        feedback.warning(tr("{} flow(s) without a quantity were left out of the clusters (first: {}).").format(
            int(bad_q.sum()), f.loc[bad_q, "flow_id"].iat[0] if "flow_id" in f.columns else f.loc[bad_q, "siret"].iat[0]))
    keep = (firm & ~no_xy & ~bad_q & (f["quantity"] > 0) & f["direction"].isin(["supply", "demand"])).to_numpy()
    # one stable lexsort on the ranks = sort_values(["siret", "direction", "resource", "x", "y"], kind="mergesort")
    order = np.lexsort((f["y"].to_numpy()[keep], f["x"].to_numpy()[keep], ranks["resource"][keep],
                        ranks["direction"][keep], ranks["siret"][keep]))
    return f.iloc[np.flatnonzero(keep)[order]]


def _fmt(value: float) -> str:
    # Whole numbers from 100 up, 3 significant figures below (assumptions like 0,3 €/t).
    return formatting.number(value, 0, "fr") if value >= 100 else formatting.rounded(value, 3, "fr")


def _pooling_jobs(f, groups, actions, min_members, feedback) -> list:
    """One job per group, direction and unit: the establishments left after the full-truck cap."""
    jobs = []
    group_rows = f.groupby(["group", "direction"], sort=True).indices
    for (group, direction) in sorted(group_rows):
        feedback.check_cancelled()
        sub = f.iloc[np.sort(group_rows[(group, direction)])]
        act = actions.loc[groups[(direction, sub["resource"].iat[0])][1]].to_dict()
        units = sorted(set(sub["unit"]))
        if len(units) > 1:
            feedback.warning(tr("Group {} mixes units ({}): each unit is pooled separately.").format(group, ", ".join(units)))
        for unit in units:
            su = sub[sub["unit"] == unit]
            per = _per_establishment(su)
            cap = float(act["max_member_quantity"])
            if cap > 0 and (per["quantity"] > cap).any():
                big = per[per["quantity"] > cap]
                # no SIRET and no firm's quantity: this message reaches the log of public runs too
                feedback.info(tr("{group}: {n} establishment(s) above {cap} {unit}/yr have their own full-truck service "
                                 "and are left out of the pooling.").format(group=group, n=len(big), cap=cap, unit=unit))
                per = per[per["quantity"] <= cap].reset_index(drop=True)
                su = su[np.isin(su["_siret_rank"].to_numpy(), per["_rank"].to_numpy())]
            if len(per) >= min_members:
                jobs.append((group, direction, unit, act, su, per))
    return jobs


def _job_rows(job, batch, site_index, distance_m, network, min_members, min_quantity_factor, zone_of, zone_cands,
              buffer_m, feedback) -> list:
    """The clusters of one job: neighbour graph, components cut to the span, kept parts as rows."""
    group, direction, unit, act, su, per = job
    xy = per[["x", "y"]].to_numpy()
    span = float(act["max_span_m"]) or math.inf
    if isinstance(batch, NetworkNeighbours):
        parts = split_parts(xy, batch.rows_graph(xy, site_index[per["_rank"].to_numpy()]), span, feedback, min_members)
    else:
        pair_length = None
        if batch is not None:
            gidx = site_index[per["_rank"].to_numpy()]

            def pair_length(row_pairs, gidx=gidx):
                return batch.get(gidx[row_pairs])
        edges, _ = neighbour_edges(xy, distance_m, network, feedback, pair_length)
        parts = split_components(xy, edges, span, feedback)
    min_q = float(act["min_total_quantity"]) * float(min_quantity_factor)
    quantity = per["quantity"].to_numpy()
    sirets_all = per["siret"].to_numpy()
    kept = [idx for idx in parts if len(idx) >= min_members and float(quantity[idx].sum()) >= min_q]
    if not kept:
        return []
    # resources of each kept part, without a Python call per establishment
    label = np.full(len(per), -1, dtype=np.int64)
    for k, idx in enumerate(kept):
        label[idx] = k
    row_label = label[np.searchsorted(per["_rank"].to_numpy(), su["_siret_rank"].to_numpy())]  # ranks sorted
    pairs = pd.DataFrame({"k": row_label, "r": su["resource"].to_numpy(), "q": su["quantity"].to_numpy()})
    pairs = pairs[pairs["k"] >= 0].groupby(["k", "r"], sort=True)["q"].sum().reset_index()
    res_of = {}
    for k_, r_, q_ in zip(pairs["k"], pairs["r"], pairs["q"]):
        res_of.setdefault(int(k_), []).append((r_, float(q_)))
    rows = []
    for k, idx in enumerate(kept):
        feedback.check_cancelled()
        rows.append(_pooling_row(group, direction, unit, act, sirets_all[idx], xy[idx], quantity[idx],
                                 res_of.get(k, []), distance_m, network, zone_of, zone_cands, buffer_m))
    return rows


def pooling_clusters(flows: pd.DataFrame, distance_m: float = catalogue.POOLING_DISTANCE_M,
                     min_members: int = catalogue.MIN_CLUSTER_MEMBERS, min_quantity_factor: float = 1.0,
                     actions: pd.DataFrame | None = None, rules: pd.DataFrame | None = None, zones=None,
                     network=None, buffer_m: float = DEFAULT_BUFFER_M, feedback=NULL_FEEDBACK) -> pd.DataFrame:
    """Pooling clusters from a flows table (``FLOW_FIELDS`` + ``x``, ``y``; see the module
    docstring). One row per cluster with the ``CLUSTER_FIELDS`` columns and ``hull_wkt``."""
    if not distance_m or distance_m <= 0 or not math.isfinite(distance_m):
        raise EitInputError(tr("DISTANCE_M must be a positive number of metres, not {}.").format(distance_m))
    if min_members < 2:
        raise EitInputError(tr("MIN_MEMBERS must be at least 2, not {}.").format(min_members))
    actions = load_pooling_actions() if actions is None else actions
    rules = load_facility_rules() if rules is None else rules
    f = _prepare_flows(flows, feedback)
    if f.empty:
        return empty_clusters()
    keys = f[["direction", "resource", "family"]].drop_duplicates().itertuples(index=False, name=None)
    groups = group_of_resources(actions, sorted(keys))
    d_codes, d_uniq = pd.factorize(f["direction"])
    r_codes, r_uniq = pd.factorize(f["resource"])
    pair = d_codes.astype(np.int64) * len(r_uniq) + r_codes
    pair_codes, pair_uniq = pd.factorize(pair)  # the group of each distinct (direction, resource), once
    names = np.array([groups.get((d_uniq[p // len(r_uniq)], r_uniq[p % len(r_uniq)]), (None, None))[0]
                      for p in pair_uniq], dtype=object)
    f = f.assign(group=names[pair_codes])
    ungrouped = sorted(set(f.loc[f["group"].isna(), "resource"]))
    if ungrouped:
        feedback.info(tr("No pooling action for: {} (add a row to pooling_actions.csv to pool them).").format(", ".join(ungrouped)))
    f = f[f["group"].notna()]
    # Establishment positions and zones, once.
    sites = f[["siret", "_siret_rank", "x", "y"]].iloc[np.lexsort((f["y"].to_numpy(), f["x"].to_numpy(),
                                                               f["_siret_rank"].to_numpy()))]
    rank = sites["_siret_rank"].to_numpy()
    sites = sites.iloc[np.flatnonzero(np.r_[True, rank[1:] != rank[:-1]][:len(rank)])]  # by (siret, x, y), first
    zone_of = {}
    zone_cands = None
    if zones is not None:
        zone_cands = _ZoneCandidates(zones, rules)
        zs = zones.assign(sites["x"].to_numpy(), sites["y"].to_numpy())[0]
        zone_of = dict(zip(sites["siret"], zs))
    elif "zone_id" in f.columns:
        zone_of = dict(zip(f["siret"], f["zone_id"].where(f["zone_id"].notna(), None)))
    jobs = _pooling_jobs(f, groups, actions, min_members, feedback)
    batch = site_index = None
    if network is not None and jobs:
        site_index = np.full(int(f["_siret_rank"].max()) + 1, -1, dtype=np.int64)  # SIRET rank -> site row
        site_index[sites["_siret_rank"].to_numpy()] = np.arange(len(sites))
        if supports_nodes(network):  # a LineNetwork: node-to-node paths once, no pair of sites listed
            batch = NetworkNeighbours(network, sites[["x", "y"]].to_numpy(dtype=float), distance_m, feedback)
        else:
            batch = _BatchedNetworkLengths(network, sites[["x", "y"]].to_numpy(dtype=float), distance_m)
            for *_, per in jobs:
                gidx = site_index[per["_rank"].to_numpy()]
                batch.add(gidx[network_candidates(per[["x", "y"]].to_numpy(), distance_m)])
            batch.solve(feedback)
    rows = []
    for j_n, job in enumerate(jobs):
        feedback.check_cancelled()
        feedback.set_progress(100.0 * j_n / max(len(jobs), 1))
        rows.extend(_job_rows(job, batch, site_index, distance_m, network, min_members, min_quantity_factor,
                              zone_of, zone_cands, buffer_m, feedback))
    if not rows:
        return empty_clusters()
    out = pd.DataFrame(rows)
    out = out.sort_values(["group", "total_quantity", "min_siret"], ascending=[True, False, True], kind="mergesort")
    out["cluster_id"] = ["P-{}-{}".format(g, n) for g, n in zip(out["group"], out.groupby("group").cumcount() + 1)]
    return out.drop(columns=["min_siret"]).reset_index(drop=True)


def _per_establishment(su: pd.DataFrame) -> pd.DataFrame:
    """One row per SIRET (sorted): first position, summed quantity; on the SIRETs' integer
    ranks (``_prepare_flows``), no string sort: O(n log n)."""
    uniq, first, inverse = np.unique(su["_siret_rank"].to_numpy(), return_index=True, return_inverse=True)
    return pd.DataFrame({"siret": su["siret"].to_numpy(dtype=object)[first], "_rank": uniq,
                         "x": su["x"].to_numpy(dtype=float)[first],
                         "y": su["y"].to_numpy(dtype=float)[first],
                         "quantity": np.bincount(inverse.ravel(), weights=su["quantity"].to_numpy(dtype=float),
                                                 minlength=len(uniq))})


def _pooling_row(group, direction, unit, act, sirets, xy, quantity, resources, distance_m, network,
                 zone_of, zone_cands, buffer_m) -> dict:
    sirets = [str(v) for v in sirets]
    total = float(quantity.sum())
    n = len(sirets)
    member_zones = [zone_of.get(s) for s in sirets] if (zone_of or zone_cands is not None) else None
    site = suggest_site(xy, quantity, act["facility"], zone_cands, member_zones, distance_m)
    truck_km = float(act["truck_km_per_member_yr"]) * (n - 1)
    co2 = (truck_km * float(act["co2_kg_per_truck_km"]) + total * float(act["co2_kg_per_unit"])) / 1000.0
    eur = total * float(act["eur_per_unit"])
    basis = ("{n} membres ; {tk} km-camion évités par membre et par an au-delà du premier ; {eur} €/{u} économisés ; "
             "{co2k} kg CO2/km-camion ; {co2u} kg CO2/{u} ; source : {src}").format(
        n=n, tk=_fmt(float(act["truck_km_per_member_yr"])), eur=_fmt(float(act["eur_per_unit"])), u=unit,
        co2k=_fmt(float(act["co2_kg_per_truck_km"])), co2u=_fmt(float(act["co2_kg_per_unit"])), src=act["source"])
    zone_ids = _join([*(member_zones or []), site["site_zone"]])
    ext = xy.max(axis=0) - xy.min(axis=0)
    row = {
        "kind": "pooling", "group": group, "direction": direction,
        "resources": ", ".join(r for r, _ in resources), "n_members": n, "members": ", ".join(sirets),
        "total_quantity": round(total, 3), "unit": unit, "zone_ids": zone_ids,
        "action": act["action"], "action_fr": act["label_fr"], "action_en": act["label_en"],
        # land by member count (assumption; public, unlike quantities): x1.5 from 10 members, x2 from 25
        "facility": act["facility"], "land_need_m2": float(round(float(act["land_m2"]) * (2.0 if n >= 25 else 1.5 if n >= 10 else 1.0), -1)),
        "truck_km_avoided": round(truck_km, 1), "cost_saving_eur": round(eur, 0), "co2_avoided_t": round(co2, 3),
        "savings_basis": basis, "distance_kind": "network" if network is not None else "straight",
        "distance_m": float(distance_m), "span_m": round(float(max(ext)), 1),
        "n_synergies": 0, "quantities": "; ".join("{}={} {}".format(r, round(q, 3), unit) for r, q in resources),
        "hull_wkt": ring_wkt(buffered_hull(xy, buffer_m)), "min_siret": sirets[0],
    }
    row.update({k: site[k] for k in ("site_x", "site_y", "site_zone", "site_kind", "site_mean_distance_m",
                                     "median_x", "median_y", "site_reason")})
    return row


# Exchange clusters --------------------------------------------------------------------------
def _exchange_edges(synergies: pd.DataFrame, feedback) -> pd.DataFrame:
    """Synergy lines as node pairs ``u`` (supplier) → ``v`` (receiver SIRET or ``zone:<id>``), sorted."""
    s = synergies.copy()
    for col in ("supplier_siret", "receiver_siret", "receiver_zone", "resource_supply", "resource_demand", "unit", "synergy_id"):
        if col not in s.columns:
            s[col] = None
        s[col] = s[col].astype(object).where(s[col].notna(), "").astype(str).str.strip().replace({"nan": "", "None": ""})
    for col in ("quantity", "co2_avoided_t", "x1", "y1", "x2", "y2"):
        s[col] = pd.to_numeric(s[col], errors="coerce") if col in s.columns else np.nan
    s["u"] = s["supplier_siret"]
    s["v"] = np.where(s["receiver_siret"] != "", s["receiver_siret"], "zone:" + s["receiver_zone"])
    bad = (s["u"] == "") | (s["v"] == "zone:")
    if bad.any():
        feedback.warning(tr("{} synergy line(s) without supplier or receiver were ignored (first: {}).").format(
            int(bad.sum()), s.loc[bad, "synergy_id"].iat[0]))
    s = s[~bad & (s["u"] != s["v"])]
    s = s.sort_values(["u", "v", "synergy_id"], kind="mergesort")
    return s


def _communities(s: pd.DataFrame, min_members: int, seed: int, feedback) -> list:
    """Louvain communities per connected component of the synergy graph, as node names."""
    import networkx as nx
    from networkx.algorithms.community import louvain_communities, modularity

    # Nodes are integers (rank of the sorted SIRET / zone key): string hashing changes from one
    # Python process to the next, integer hashing does not, and networkx iterates sets.
    names_sorted = sorted(set(s["u"]) | set(s["v"]))
    rank = {name: i for i, name in enumerate(names_sorted)}
    weights = {}
    for u, v in zip(s["u"], s["v"]):
        a, b = sorted((rank[u], rank[v]))
        weights[(a, b)] = weights.get((a, b), 0) + 1
    graph = nx.Graph()
    graph.add_nodes_from(range(len(names_sorted)))
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weights.items()))
    feedback.check_cancelled()
    # Per connected component: Louvain's split is kept only when it strictly raises the
    # modularity of the component (on small graphs Louvain may return a split of modularity
    # equal to the whole, i.e. no community structure).
    communities = []
    for comp in sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: c[0]):
        if len(comp) < min_members:
            continue  # Louvain only splits: nothing of this component can reach min_members
        sub = nx.Graph()
        sub.add_nodes_from(comp)
        sub.add_weighted_edges_from(sorted((a, b, d["weight"]) for a, b, d in graph.edges(comp, data=True)))
        if sub.number_of_edges() < 2:
            communities.append(comp)
            continue
        split = louvain_communities(sub, weight="weight", seed=seed)
        if len(split) > 1 and modularity(sub, split, weight="weight") > 1e-9:
            communities.extend(sorted((sorted(c) for c in split), key=lambda c: c[0]))
        else:
            communities.append(comp)
    return [[names_sorted[i] for i in c] for c in communities]


def _exchange_row(members, idx, xy, zone_list, units_a, qty_a, co2_a, rs_a, rd_a, buffer_m) -> dict:
    """One exchange cluster: its members, internal flows summed per unit, hull."""
    firms = [m for m in members if not m.startswith("zone:")]
    zone_nodes = [m[5:] for m in members if m.startswith("zone:")]
    per_unit = {}
    for unit, q in zip(units_a[idx], qty_a[idx]):
        if unit and math.isfinite(q):
            per_unit[unit] = per_unit.get(unit, 0.0) + q
    units = sorted(per_unit)
    if len(units) == 1:
        total, unit = per_unit[units[0]], units[0]
    else:
        total, unit = math.nan, "mixed" if units else ""
    resources = sorted((set(rs_a[idx]) | set(rd_a[idx])) - {""})
    co2s = co2_a[idx][np.isfinite(co2_a[idx])]
    co2 = float(co2s.sum()) if len(co2s) else math.nan
    return {
        "kind": "exchange", "group": "exchange", "direction": "exchange",
        "resources": ", ".join(resources), "n_members": len(members),
        "members": ", ".join(firms + ["zone:" + z for z in zone_nodes]),
        "total_quantity": round(total, 3) if math.isfinite(total) else math.nan, "unit": unit,
        "zone_ids": _join([*zone_nodes, *zone_list]),
        "action": EXCHANGE_ACTION[0], "action_fr": EXCHANGE_ACTION[1], "action_en": EXCHANGE_ACTION[2],
        "facility": NO_FACILITY, "land_need_m2": 0.0,
        "truck_km_avoided": math.nan, "cost_saving_eur": math.nan,
        "co2_avoided_t": round(co2, 3) if math.isfinite(co2) else math.nan,
        "savings_basis": "CO₂ des {} synergies internes, déjà compté avec les synergies (non additionné).".format(len(idx)),
        "distance_kind": "", "distance_m": math.nan,
        "span_m": round(float(max(xy.max(axis=0) - xy.min(axis=0))), 1) if len(xy) else math.nan,
        "n_synergies": int(len(idx)),
        "quantities": "; ".join("{}={}".format(u, round(per_unit[u], 3)) for u in units),
        "hull_wkt": ring_wkt(buffered_hull(xy, buffer_m)) if len(xy) else "",
        "site_x": math.nan, "site_y": math.nan, "site_zone": None, "site_kind": None,
        "site_mean_distance_m": math.nan, "median_x": math.nan, "median_y": math.nan,
        "site_reason": "Échanges directs entre membres : pas d'équipement partagé à implanter.",
        "min_siret": members[0],
    }


def _community_positions(s: pd.DataFrame, communities: list, zones) -> tuple:
    """Positions of each community's nodes (first seen on a synergy line) and the zones they lie in."""
    node_xy = {}
    for u, v, x1, y1, x2, y2 in zip(s["u"], s["v"], s["x1"], s["y1"], s["x2"], s["y2"]):
        if math.isfinite(x1) and math.isfinite(y1):
            node_xy.setdefault(u, (x1, y1))
        if math.isfinite(x2) and math.isfinite(y2):
            node_xy.setdefault(v, (x2, y2))
    xys = [np.array([node_xy[m] for m in members if m in node_xy], dtype=float).reshape(-1, 2) for members in communities]
    zone_lists = [[] for _ in communities]
    if zones is not None:
        all_xy = np.concatenate(xys) if xys else np.zeros((0, 2))
        owner = np.repeat(np.arange(len(xys)), [len(x) for x in xys])
        if len(all_xy):
            for o, z in zip(owner, zones.assign(all_xy[:, 0], all_xy[:, 1])[0]):
                zone_lists[o].append(z)
    return xys, zone_lists


def exchange_clusters(synergies: pd.DataFrame, min_members: int = catalogue.MIN_CLUSTER_MEMBERS, zones=None,
                      buffer_m: float = DEFAULT_BUFFER_M, seed: int = 42, feedback=NULL_FEEDBACK) -> pd.DataFrame:
    """Communities of the synergy graph (Louvain, networkx, fixed seed, nodes and edges
    added in sorted order: deterministic), each connected component split only when that
    strictly raises its modularity. ``synergies``: ``SYNERGY_FIELDS`` + ``x1, y1, x2,
    y2``. A node is an establishment (SIRET) or a receiving zone (``zone:<id>``). Clusters
    with fewer than ``min_members`` nodes are dropped (a pair is already a synergy)."""
    if synergies is None or len(synergies) == 0:
        return empty_clusters()
    s = _exchange_edges(synergies, feedback)
    if s.empty:
        return empty_clusters()
    communities = _communities(s, min_members, seed, feedback)
    communities = [c for c in communities if len(c) >= min_members]
    if not communities:
        return empty_clusters()
    community_of = {m: c_n for c_n, members in enumerate(communities) for m in members}
    cu = s["u"].map(community_of)
    cv = s["v"].map(community_of)
    internal = s[cu.notna() & (cu == cv)].assign(c=cu[cu.notna() & (cu == cv)].astype(int))
    inner_rows = internal.groupby("c", sort=True).indices
    units_a, qty_a = internal["unit"].to_numpy(), internal["quantity"].to_numpy(dtype=float)
    co2_a = internal["co2_avoided_t"].to_numpy(dtype=float)
    rs_a, rd_a = internal["resource_supply"].to_numpy(), internal["resource_demand"].to_numpy()
    xys, zone_lists = _community_positions(s, communities, zones)
    rows = []
    for c_n, members in enumerate(communities):
        idx = inner_rows.get(c_n, np.zeros(0, dtype=np.int64))
        rows.append(_exchange_row(members, idx, xys[c_n], zone_lists[c_n], units_a, qty_a, co2_a, rs_a, rd_a, buffer_m))
    if not rows:
        return empty_clusters()
    out = pd.DataFrame(rows)
    out = out.sort_values(["n_members", "n_synergies", "min_siret"], ascending=[False, False, True], kind="mergesort")
    out["cluster_id"] = ["E-{}".format(n + 1) for n in range(len(out))]
    return out.drop(columns=["min_siret"]).reset_index(drop=True)


# Both -----------------------------------------------------------------------------------------
def output_columns() -> list:
    from .fields import CLUSTER_FIELDS
    return [f.name for f in CLUSTER_FIELDS] + ["hull_wkt"]


def empty_clusters() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in output_columns()})


def detect_clusters(flows: pd.DataFrame, synergies: pd.DataFrame | None = None,
                    distance_m: float = catalogue.POOLING_DISTANCE_M, min_members: int = catalogue.MIN_CLUSTER_MEMBERS,
                    min_quantity_factor: float = 1.0, actions=None, rules=None, zones=None, network=None,
                    buffer_m: float = DEFAULT_BUFFER_M, seed: int = 42, feedback=NULL_FEEDBACK) -> pd.DataFrame:
    """Pooling clusters, then exchange clusters (when ``synergies`` is given), in the
    ``CLUSTER_FIELDS`` column order plus ``hull_wkt`` (the polygon, EPSG:2154)."""
    pooled = pooling_clusters(flows, distance_m, min_members, min_quantity_factor, actions, rules, zones,
                              network, buffer_m, feedback)
    frames = [pooled]
    if synergies is not None and len(synergies):
        frames.append(exchange_clusters(synergies, min_members, zones, buffer_m, seed, feedback))
    frames = [fr for fr in frames if len(fr)]
    if not frames:
        return empty_clusters()
    out = pd.concat(frames, ignore_index=True)
    cols = output_columns()
    for c in cols:
        if c not in out.columns:
            out[c] = None
    return out[cols]
