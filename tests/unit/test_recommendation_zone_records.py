"""The zone records of the recommendations, counted per zone column-wise, are those of the
plain reference (one frame of links and one of clusters per zone)."""
from __future__ import annotations

import pandas as pd

from eit_plugin.core import recommendation_scopes as rs


def _plain_zone_records(zone_rows, s, c, names) -> list:
    """The reference: each zone reads its own frames of links in, out and sited clusters."""
    housing_links = s[s["is_housing"] & s["is_heat"]] if len(s) else s
    empty = housing_links.iloc[0:0]
    by_receiver = dict(tuple(housing_links.groupby("receiver_zone"))) if len(housing_links) else {}
    by_supplier = dict(tuple(housing_links.groupby("supplier_zone"))) if len(housing_links) else {}
    by_site = dict(tuple(c.groupby("site_zone"))) if len(c) else {}
    out = []
    for r in zone_rows:
        inn = by_receiver.get(r["zone_id"], empty)
        away = by_supplier.get(r["zone_id"], empty)
        sited = by_site.get(r["zone_id"], c.iloc[0:0])
        out.append({
            **{k: r[k] for k in rs._ZONE_COPY},
            "zone_ref": rs.zone_reference(r), "zone_ref_en": rs.zone_reference(r, "en"),
            "n_housing_links_in": int(len(inn)),
            "n_heat_suppliers_in": int(inn["contributor"].nunique()) if len(inn) else 0,
            "distance_min_in_m": float(inn["distance_m"].min()) if len(inn) else float("nan"),
            "supplier_zones_in": names.zones(inn["supplier_zone"]) if len(inn) else "",
            "supplier_zones_in_en": names.zones(inn["supplier_zone"], "en") if len(inn) else "",
            "n_housing_links_out": int(len(away)),
            "receiver_zones_out": names.zones(away["receiver_zone"]) if len(away) else "",
            "receiver_zones_out_en": names.zones(away["receiver_zone"], "en") if len(away) else "",
            "distance_min_out_m": float(away["distance_m"].min()) if len(away) else float("nan"),
            "n_clusters_sited": int(len(sited)),
            "cluster_ids_sited": ",".join(sorted(sited["cluster_id"])) if len(sited) else "",
            "cluster_actions_sited": ", ".join(sorted({x for x in sited["action_fr"] if x})) if len(sited) else "",
            "cluster_actions_sited_en": ", ".join(sorted({x for x in sited["action_en"] if x})) if len(sited) else "",
            "_related": r["zone_id"],
        })
    return out


def _territory():
    zones = pd.DataFrame([
        {"zone_id": zid, "LIBELLE": lib, "LIBELONG": "ZAE des Landiers" if lib.startswith("U") else "Les Prés",
         "TYPEZONE": "AUc" if lib == "1AU" else "U", "DESTDOMI": dest, "INSEE": insee, "n_establishments": n,
         "housing_dwellings": dw, "housing_heat_demand_mwh": hd}
        for zid, lib, dest, insee, n, dw, hd in [
            ("Z1", "UE", "02", "73065", 6, None, None), ("Z2", "UX", "02", "73065", 3, None, None),
            ("Z3", "UB", "01", "73065", 0, 400, 2000.0), ("Z4", "1AU", "01", "73008", 0, 200, 1234.5),
            ("Z5", "UB", "01", "73008", 0, 50, 100.0), ("Z6", "UE", "02", "73008", 2, None, None)]])

    def syn(i, sup, sz, rz, dist, kind="housing_heat"):
        return {"synergy_id": "S{}".format(i), "kind": kind, "supplier_siret": sup,
                "receiver_siret": None if kind == "housing_heat" else "99999999900099", "receiver_zone": rz,
                "supplier_zone": sz, "resource_supply": "waste_heat", "resource_demand": "space_heating",
                "quantity": 100.0 + i, "unit": "MWh", "distance_m": dist, "mwh_recovered": 100.0 + i,
                "family": "heat", "co2_avoided_t": 1.0, "pm10_avoided_kg": 1.0, "nox_avoided_kg": 1.0}
    synergies = pd.DataFrame([
        syn(1, "11111111100011", "Z1", "Z4", 250.0), syn(2, "22222222200022", "Z1", "Z4", None),
        syn(3, "11111111100011", "Z1", "Z3", 320.0), syn(4, "44444444400044", "Z2", "Z3", 180.0),
        syn(5, "55555555500055", "Z6", "Z5", None), syn(6, "66666666600066", "Z2", "Z6", 90.0, kind="exchange"),
        syn(7, "22222222200022", "Z1", "Z4", 260.0)])
    clusters = pd.DataFrame([
        {"cluster_id": cid, "kind": "pooling", "resources": "paper_cardboard", "members": "A1, A2, A3",
         "n_members": 3, "total_quantity": 10.0, "unit": "t", "zone_ids": "Z1", "action": "shared_collection",
         "action_fr": fr, "action_en": en, "facility": "collection_point", "site_zone": site}
        for cid, site, fr, en in [("C2", "Z1", "Collecte", "Collection"), ("C1", "Z1", "Chaufferie", ""),
                                  ("C3", "Z2", "Collecte", "Collection"), ("C4", None, "Échanges", "Exchanges")]])
    return zones, synergies, clusters


def test_zone_records_counted_column_wise_are_the_plain_ones():
    zones, synergies, clusters = _territory()
    z = rs.prepare_zones(zones)[rs._ZONE_KEEP]
    zone_rows = z.to_dict("records")
    zby = {r["zone_id"]: r for r in zone_rows}
    s = rs._prepare_synergies(synergies, zby)
    c = rs._prepare_clusters(clusters)
    names = rs._Names(zby)
    got = rs._zone_records(zone_rows, s, c, names)
    want = _plain_zone_records(zone_rows, s, c, names)
    assert pd.DataFrame(got).equals(pd.DataFrame(want))
    assert [type(v) for r in got for v in r.values()] == [type(v) for r in want for v in r.values()]
    by_zone = {r["zone_id"]: r for r in got}
    assert by_zone["Z4"]["n_housing_links_in"] == 3 and by_zone["Z4"]["n_heat_suppliers_in"] == 2
    assert by_zone["Z4"]["distance_min_in_m"] == 250.0
    assert by_zone["Z1"]["n_clusters_sited"] == 2 and by_zone["Z1"]["cluster_ids_sited"] == "C1,C2"
    assert by_zone["Z6"]["n_housing_links_in"] == 0  # an exchange between firms is no housing link
    # no frames at all: every zone still has its record
    empty = rs._zone_records(zone_rows, s.iloc[0:0], c.iloc[0:0], names)
    assert pd.DataFrame(empty).equals(pd.DataFrame(_plain_zone_records(zone_rows, s.iloc[0:0], c.iloc[0:0], names)))
