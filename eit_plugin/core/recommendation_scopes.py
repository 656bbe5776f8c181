"""The records the recommendation rules are evaluated on (zones, business parks, heat links,
clusters, the territory), with the statistical secret applied to their figures. Split from
``core.recommendations``."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from . import confidentiality as conf
from .feedback import NULL_FEEDBACK
from .recommendation_inputs import (  # noqa: F401 - names of this module before the split
    _col,
    _lower,
    _lower_columns,
    _num,
    _prepare_clusters,
    _prepare_synergies,
    _resource_labels,
    _split,
    _text,
    _texts,
    action_group,
    prepare_zones,
    protected_zone_figures,
)
from .recommendation_rules import (  # noqa: F401 - names the scope builders use
    CORRIDOR_WIDTH_M,
    MAX_PARK_COMMUNES,
    SECRET_FIELDS,
    TERRITORY,
    _missing,
    _truthy,
)
from .recommendation_texts import (  # noqa: F401
    _COMMUNES,
    _FIELD_LABELS_EN,
    _FIELD_LABELS_FR,
    _commune_names,
    _place,
    commune_list,
    commune_name,
    format_number,
    zone_reference,
)


# Secret helpers ------------------------------------------------------------------------------
class _Secret:
    """Published value / suppression of each protected figure of each scope."""

    def __init__(self, public: bool):
        self.public = public
        self.cells = {}  # (kind, scope_id, field) -> dict(suppressed, reason, fb_level, fb_key, fb_value, unit)

    def add_table(self, kind, table, level, field_map, units, key_of=lambda k: k):
        if table is None or table.empty:
            return
        rows = table[table["level"] == level]
        for r in rows.to_dict("records"):
            for field, col in field_map.items():
                self.cells[(kind, key_of(r["key"]), field)] = {
                    "suppressed": bool(r[col + "_suppressed"]), "reason": r[col + "_reason"],
                    "fb_level": r[col + "_fallback_level"], "fb_key": r[col + "_fallback_key"],
                    "fb_value": r[col + "_fallback_value"], "unit": units.get(field, ""),
                }

    def unknown(self, kind, scope_id, field, unit=""):
        self.cells[(kind, scope_id, field)] = {"suppressed": True, "reason": conf.REASON_UNKNOWN, "fb_level": None,
                                               "fb_key": None, "fb_value": float("nan"), "unit": unit}

    def hidden(self, kind, scope_id, fields) -> dict:
        if not self.public:
            return {}
        out = {}
        for f in fields:
            cell = self.cells.get((kind, scope_id, f))
            if cell is not None and cell["suppressed"]:
                out[f] = cell
        return out


# Scopes --------------------------------------------------------------------------------------
def _member_shares(clusters, flows) -> dict:
    """cluster_id -> Series siret -> share of the cluster's quantity (from flows of the
    cluster's resources), or None when no member has a known quantity."""
    out = {cid: None for cid in clusters["cluster_id"]}
    f = _lower_columns(flows, ("siret", "resource", "quantity"))
    if f.empty or "siret" not in f.columns or clusters.empty:
        return out
    f = pd.DataFrame({"siret": _texts(f["siret"]), "resource": _texts(_col(f, "resource", "")),
                      "quantity": _num(f, "quantity").abs()})
    per = f.groupby(["siret", "resource"], sort=False)["quantity"].sum().reset_index()
    members = [(cid, m) for cid, ms in zip(clusters["cluster_id"], clusters["members"])
               for m in re.split(r"[,;|\s]+", ms) if m and not m.startswith("zone:")]
    resources = [(cid, r) for cid, rs in zip(clusters["cluster_id"], clusters["resources"]) for r in _split(rs)]
    if not members:
        return out
    mem = pd.DataFrame(members, columns=["cluster_id", "siret"]).drop_duplicates()
    res = pd.DataFrame(resources, columns=["cluster_id", "resource"]).drop_duplicates()
    joined = mem.merge(per, on="siret", how="inner").merge(res, on=["cluster_id", "resource"], how="inner")
    sums = joined.groupby(["cluster_id", "siret"], sort=True)["quantity"].sum()
    for cid, part in sums.groupby(level=0, sort=True):
        part = part.droplevel(0)
        total = float(part.sum())
        if total > 0:
            out[cid] = part / total
    return out


_ZONE_KEEP = ["zone_id", "idurba", "libelle", "libelong", "typezone", "destdomi", "insee", "commune", "epci", "park",
              "park_name", "commune_group", "is_activity", "is_housing", "is_mixed", "is_future", "eit_potential",
              "n_establishments", "mixity_index", "housing_dwellings", "housing_heat_demand_mwh"]
_HEAT_VALUES = ["mwh_recovered", "co2_avoided_t", "pm10_avoided_kg", "nox_avoided_kg"]
_HEAT_UNITS = {"mwh_recovered": "MWh/an", "co2_avoided_t": "t/an", "pm10_avoided_kg": "kg/an", "nox_avoided_kg": "kg/an"}
_CLUSTER_VALUES = ["total_quantity", "truck_km_avoided", "co2_avoided_t"]
_CLUSTER_UNITS = {"truck_km_avoided": "km/an", "co2_avoided_t": "t/an", "land_m2": "m²", "land_m2_total": "m²"}


class _Names:
    """How zones are named in texts, in French and in English."""

    def __init__(self, zby: dict):
        self.zby = zby
        self.labels = {"fr": _resource_labels("fr"), "en": _resource_labels("en")}

    def zone(self, zid, language="fr"):
        r = self.zby.get(zid)
        return zone_reference(r, language) if r is not None else (zid or "?")

    def zones(self, zids, language="fr"):
        """'1AU (73065) ×3, UA (73065)' — labels of several zones, counted."""
        counts = {}
        for x in sorted(set(zids)):
            if x:
                counts[self.zone(x, language)] = counts.get(self.zone(x, language), 0) + 1
        return ", ".join(k if n == 1 else "{} ×{}".format(k, n) for k, n in sorted(counts.items()))

    def resources(self, codes, language="fr"):
        return ", ".join(self.labels[language].get(x, x) for x in codes)


def build_scopes(zones, synergies, clusters, flows=None, public=True, feedback=None):
    """The records the rules are evaluated on: ``{kind: [record, ...]}`` and the secret."""
    feedback = feedback or NULL_FEEDBACK
    z = prepare_zones(zones)[_ZONE_KEEP]
    zone_rows = z.to_dict("records")
    zby = {r["zone_id"]: r for r in zone_rows}
    s = _prepare_synergies(synergies, zby)
    c = _prepare_clusters(clusters)
    secret = _Secret(public)
    names = _Names(zby)
    heat = s[s["is_heat"]].copy() if len(s) else s
    links = _heat_links(heat, zby, names, secret)
    mdf = _cluster_secret(c, flows, secret, public, feedback)
    cl = [_cluster_record(r, zby, names, secret) for r in c.to_dict("records")]
    zrecs = _zone_records(zone_rows, s, c, names)
    prec = _park_records(z, zby, s, c, cl, mdf, flows, names, secret)
    scopes = {"zone": zrecs, "park": prec, "heat_link": links, "cluster": cl,
              "territory": [_territory_record(heat, links, cl, zrecs)]}
    return scopes, secret


def _heat_links(heat, zby, names, secret) -> list:
    """Recovered heat from the firms of one zone to the dwellings of another, one record per
    pair of zones; the secret of each link's figures (and of the territory's totals)."""
    if not len(heat):
        return []
    heat["link_id"] = [
        ("{}>{}".format(sz or "?", rz) if h else "ent:{}".format(sz or "?"))
        for sz, rz, h in zip(heat["supplier_zone"], heat["receiver_zone"], heat["is_housing"])
    ]
    heat["commune"] = [
        (zby.get(rz) or zby.get(sz) or {}).get("commune", "inconnue") if h else (zby.get(sz) or {}).get("commune", "inconnue")
        for sz, rz, h in zip(heat["supplier_zone"], heat["receiver_zone"], heat["is_housing"])
    ]
    heat["territory"] = TERRITORY
    table = conf.protect_table(heat, _HEAT_VALUES, ["link_id"], "contributor", ["commune", "territory"])
    secret.add_table("heat_link", table, 0, {v: v for v in _HEAT_VALUES}, _HEAT_UNITS)
    secret.add_table("territory", table, 2, {v: v for v in _HEAT_VALUES}, _HEAT_UNITS)
    return [_heat_link(link_id, g, zby, names) for link_id, g in heat[heat["is_housing"]].groupby("link_id", sort=True)]


def _total(series) -> float:
    return float(series.sum(min_count=1))


def _heat_link(link_id, g, zby, names) -> dict:
    first = g.iloc[0]
    rz, sz = first["receiver_zone"], first["supplier_zone"]
    rzone, szone = zby.get(rz, {}), zby.get(sz, {})
    dmin = float(g["distance_m"].min()) if g["distance_m"].notna().any() else float("nan")
    return {
        "link_id": link_id, "supplier_zone": sz, "receiver_zone": rz,
        "supplier_libelle": names.zone(sz), "receiver_libelle": names.zone(rz),
        "supplier_libelle_en": names.zone(sz, "en"), "receiver_libelle_en": names.zone(rz, "en"),
        "receiver_commune": rzone.get("commune", ""),
        "receiver_is_future": bool(rzone.get("is_future", False)),
        "receiver_is_housing": bool(rzone.get("is_housing", True)),
        "supplier_is_activity": bool(szone.get("is_activity", False)),
        "n_suppliers": int(g["contributor"].nunique()), "n_synergies": int(len(g)),
        "synergy_ids": ",".join(sorted(g["synergy_id"])),
        "distance_m": dmin, "distance_max_m": float(g["distance_m"].max()),
        **{v: _total(g[v]) for v in _HEAT_VALUES},
        "receiver_housing_heat_demand_mwh": float(rzone.get("housing_heat_demand_mwh", float("nan"))),
        "receiver_dwellings": float(rzone.get("housing_dwellings", float("nan"))),
        "corridor_width_m": CORRIDOR_WIDTH_M, "confidence": float(g["confidence"].mean()),
        "corridor_land_m2": dmin * CORRIDOR_WIDTH_M if not _missing(dmin) else float("nan"),
        "_related": ",".join([x for x in [sz, rz] if x] + sorted(g["synergy_id"])),
    }


def _cluster_secret(c, flows, secret, public, feedback) -> pd.DataFrame:
    """Each cluster's figures split by member (from the flows) and checked against the secret;
    the per-member table (for the parks' charter totals)."""
    shares = _member_shares(c, flows) if len(c) else {}
    micro = []
    for r in c.to_dict("records"):
        sh = shares.get(r["cluster_id"])
        if sh is None:
            continue
        for siret, share in sh.items():
            row = {"cluster_id": r["cluster_id"], "unit_scope": "{}:{}".format(TERRITORY, r["unit"]),
                   "territory": TERRITORY, "siret": siret}
            row.update({v: share * r[v] if not _missing(r[v]) else np.nan for v in _CLUSTER_VALUES})
            micro.append(row)
    mdf = pd.DataFrame(micro)
    if micro:
        t1 = conf.protect_table(mdf, _CLUSTER_VALUES, ["cluster_id"], "siret", ["unit_scope"])
        secret.add_table("cluster", t1, 0, {v: v for v in _CLUSTER_VALUES}, _CLUSTER_UNITS)
    unknown = [cid for cid in c["cluster_id"] if shares.get(cid) is None] if len(c) else []
    for cid in unknown:
        for v in _CLUSTER_VALUES:
            secret.unknown("cluster", cid, v, _CLUSTER_UNITS.get(v, ""))
    if unknown and public:
        feedback.warning(
            "{} cluster(s) without a per-member split (give the FLOWS layer): their quantities are withheld "
            "in public mode because the 85 % rule cannot be checked.".format(len(unknown)))
    return mdf


def _cluster_record(r, zby, names, secret) -> dict:
    site = zby.get(r["site_zone"], {})
    zids = _split(r["zone_ids"])
    parks = sorted({zby[x]["park_name"] for x in zids if x in zby and zby[x]["park_name"]})
    park = site.get("park_name", "") or (parks[0] if parks else "")
    res = _split(r["resources"])
    units = dict(_CLUSTER_UNITS, total_quantity="{}/an".format(r["unit"]) if r["unit"] else "")
    for v in _CLUSTER_VALUES:
        key = ("cluster", r["cluster_id"], v)
        if key in secret.cells:
            secret.cells[key]["unit"] = units.get(v, "")
    has_site = bool(r["site_zone"])
    return {
        "cluster_id": r["cluster_id"], "kind": r["kind"], "action": r["action"], "action_fr": r["action_fr"],
        "action_en": r["action_en"], "facility": r["facility"],
        "action_group": action_group(r["action"], r["resources"]),
        "resources": r["resources"], "resources_fr": names.resources(res) or r["resources"],
        "resources_en": names.resources(res, "en") or r["resources"],
        "n_members": int(r["n_members"]), "unit": r["unit"], "total_quantity": r["total_quantity"],
        "truck_km_avoided": r["truck_km_avoided"], "co2_avoided_t": r["co2_avoided_t"], "land_m2": r["land_m2"],
        "site_zone": r["site_zone"], "site_libelle": names.zone(r["site_zone"]) if has_site else "",
        "site_libelle_en": names.zone(r["site_zone"], "en") if has_site else "",
        "site_commune": site.get("commune", ""), "site_is_activity": bool(site.get("is_activity", False)),
        "has_site": has_site, "site_reason": r["site_reason"], "zone_ids": ",".join(zids),
        "n_zones": len(zids), "park_name": park,
        "_members": [m for m in re.split(r"[,;|\s]+", r["members"]) if m and not m.startswith("zone:")],
        "_related": ",".join([r["cluster_id"], *zids]),
    }


_ZONE_COPY = ("zone_id", "libelle", "libelong", "typezone", "destdomi", "insee", "commune", "epci", "park_name",
              "is_activity", "is_housing", "is_mixed", "is_future", "eit_potential", "n_establishments", "mixity_index",
              "housing_dwellings", "housing_heat_demand_mwh")


def _grouped(frame, by: str, column: str) -> dict:
    """``{key: [values of column, in row order]}`` of the rows of each value of ``by`` (no
    NaN key, as ``groupby``). O(rows)."""
    out: dict = {}
    for key, value in zip(frame[by].tolist(), frame[column].tolist()):
        if key is not None and key == key:
            out.setdefault(key, []).append(value)
    return out


def _link_side(links, by: str, other: str) -> tuple:
    """Per zone of ``by``: number of links, distinct contributors, shortest distance, zones
    at the other end, column-wise. O(links)."""
    if not len(links):
        return {}, {}, {}, {}
    g = links.groupby(by)
    return (g.size().to_dict(), g["contributor"].nunique().to_dict(), g["distance_m"].min().to_dict(),
            _grouped(links, by, other))


def _zone_records(zone_rows, s, c, names) -> list:
    """One record per zone: its heat links in and out and the clusters sited there. The links
    and clusters are counted per zone column-wise (``groupby``), then each zone reads its
    figures: O(zones + links + clusters), no frame per zone."""
    housing_links = s[s["is_housing"] & s["is_heat"]] if len(s) else s
    n_in, sup_in, dmin_in, zones_in = _link_side(housing_links, "receiver_zone", "supplier_zone")
    n_out, _sup, dmin_out, zones_out = _link_side(housing_links, "supplier_zone", "receiver_zone")
    sited_ids = _grouped(c, "site_zone", "cluster_id") if len(c) else {}
    sited_fr = _grouped(c, "site_zone", "action_fr") if len(c) else {}
    sited_en = _grouped(c, "site_zone", "action_en") if len(c) else {}
    nan = float("nan")
    out = []
    for r in zone_rows:
        zid = r["zone_id"]
        inn, away, ids = zones_in.get(zid), zones_out.get(zid), sited_ids.get(zid)
        out.append({
            **{k: r[k] for k in _ZONE_COPY},
            "zone_ref": zone_reference(r), "zone_ref_en": zone_reference(r, "en"),
            "n_housing_links_in": int(n_in.get(zid, 0)),
            "n_heat_suppliers_in": int(sup_in[zid]) if inn else 0,
            "distance_min_in_m": float(dmin_in[zid]) if inn else nan,
            "supplier_zones_in": names.zones(inn) if inn else "",
            "supplier_zones_in_en": names.zones(inn, "en") if inn else "",
            "n_housing_links_out": int(n_out.get(zid, 0)),
            "receiver_zones_out": names.zones(away) if away else "",
            "receiver_zones_out_en": names.zones(away, "en") if away else "",
            "distance_min_out_m": float(dmin_out[zid]) if away else nan,
            "n_clusters_sited": len(ids) if ids else 0,
            "cluster_ids_sited": ",".join(sorted(ids)) if ids else "",
            "cluster_actions_sited": _actions(sited_fr.get(zid, [])),
            "cluster_actions_sited_en": _actions(sited_en.get(zid, [])),
            "_related": zid,
        })
    return out


def _actions(values) -> str:
    return ", ".join(sorted({x for x in values if x}))


def _park_flow_table(flows, z, zby):
    """Heat and waste supplies per zone and family, protected along park → communes → EPCI."""
    f = _lower_columns(flows, ("zone_id", "family", "direction", "quantity", "siret"))
    if f.empty or "zone_id" not in f.columns or "siret" not in f.columns:
        return None
    # the SIRETs are cleaned on the rows kept only (the heat and waste supplies in a zone)
    f = f.assign(zone_id=_texts(f["zone_id"]), family=_texts(_col(f, "family", "")),
                 direction=_texts(_col(f, "direction", "")), quantity=_num(f, "quantity"))
    f = f[(f["direction"] == "supply") & f["family"].isin(["heat", "waste"]) & f["zone_id"].isin(zby)]
    f = f.assign(siret=_texts(f["siret"]))
    if not len(f):
        return None
    f = f.merge(z[["zone_id", "park", "commune_group", "epci"]], on="zone_id", how="left")
    return conf.protect_table(f, ["quantity"], ["zone_id", "family"], "siret", ["park", "commune_group", "epci"])


def _charter_table(mdf, cl):
    """Per park and action group, the clusters' figures split by member, protected."""
    if not len(mdf):
        return None
    group_of = {r["cluster_id"]: r["action_group"] for r in cl}
    park_of_cl = {r["cluster_id"]: r["park_name"] for r in cl}
    pm = mdf.assign(park=mdf["cluster_id"].map(park_of_cl), action_group=mdf["cluster_id"].map(group_of))
    pm = pm[pm["park"].fillna("") != ""]
    if not len(pm):
        return None
    return conf.protect_table(pm, _CLUSTER_VALUES, ["park", "action_group"], "siret", ["territory"])


def _parks_of(s, c, park_of) -> tuple:
    """Per park, the synergies (row numbers) and clusters touching one of its zones."""
    syn_parks, cl_parks = {}, {}
    for i, (sz, rz) in enumerate(zip(s["supplier_zone"], s["receiver_zone"])) if len(s) else []:
        for p in {park_of.get(sz), park_of.get(rz)} - {None}:
            syn_parks.setdefault(p, set()).add(i)
    for r in c.to_dict("records") if len(c) else []:
        for p in {park_of.get(x) for x in _split(r["zone_ids"]) + [r["site_zone"]]} - {None}:
            cl_parks.setdefault(p, set()).add(r["cluster_id"])
    return syn_parks, cl_parks


def _park_records(z, zby, s, c, cl, mdf, flows, names, secret) -> list:
    park_cells = _park_cells(_park_flow_table(flows, z, zby))
    act = z[z["is_activity"] & (z["park_name"] != "")]
    syn_parks, cl_parks = _parks_of(s, c, dict(zip(act["zone_id"], act["park"])))
    cl_by_park = {}
    for r in cl:
        if r["park_name"]:
            cl_by_park.setdefault(r["park_name"], []).append(r)
    charter_table = _charter_table(mdf, cl)
    known = set(mdf["cluster_id"]) if len(mdf) else set()
    out = []
    for park, g in act.groupby("park", sort=True):
        zids = sorted(g["zone_id"])
        pot = list(g["eit_potential"])
        rec = {"park_name": park, "n_zones": len(zids), "zone_ids": ",".join(zids),
               "zone_labels": names.zones(zids), "communes": commune_list(g["commune"]),
               "n_establishments": int(g["n_establishments"].sum()), "n_high_zones": pot.count("high"),
               "eit_potential_best": next((p for p in ("high", "medium", "low") if p in pot), "none"),
               "n_synergies": len(syn_parks.get(park, ())), "n_clusters": len(cl_parks.get(park, ())),
               "heat_supply_mwh": float("nan"), "waste_supply_t": float("nan")}
        _park_supplies(rec, park, park_cells, secret)
        _charter_fields(rec, park, cl_by_park.get(park, []), charter_table, secret, names, known)
        rec["_related"] = ",".join([*zids, *(r["cluster_id"] for r in cl_by_park.get(park, []))])
        out.append(rec)
    return out


def _park_cells(park_table) -> dict:
    """``{(park, family): first row}`` of the park level of ``_park_flow_table``: one pass,
    instead of one scan of the table per park and family."""
    if park_table is None:
        return None
    rows = park_table[park_table["level"] == 1]
    first = {}
    for i, key in enumerate(zip(rows["key"], rows["family"])):
        first.setdefault(key, i)
    records = rows.iloc[sorted(first.values())].to_dict("records")
    return {key: records[rank] for rank, key in enumerate(sorted(first, key=first.get))}


def _park_supplies(rec, park, park_cells, secret) -> None:
    """The park's heat and waste supplies, with their secret."""
    for fam, field, unit in (("heat", "heat_supply_mwh", "MWh/an"), ("waste", "waste_supply_t", "t/an")):
        if park_cells is None:
            secret.unknown("park", park, field, unit)
            continue
        cell = park_cells.get((park, fam))
        if cell is None:
            continue
        rec[field] = float(cell["quantity_total"])
        secret.cells[("park", park, field)] = {
            "suppressed": bool(cell["quantity_suppressed"]), "reason": cell["quantity_reason"],
            "fb_level": cell["quantity_fallback_level"], "fb_key": cell["quantity_fallback_key"],
            "fb_value": cell["quantity_fallback_value"], "unit": unit}


def _territory_record(heat, links, cl, zrecs) -> dict:
    fac = [r for r in cl if r["has_site"] and not _missing(r["land_m2"]) and r["land_m2"] > 0
           and r["facility"] not in ("collection_point", "none")]
    some = bool(len(heat))
    return {
        "territory": TERRITORY, "n_heat_links": len(links), "n_heat_synergies": int(len(heat)),
        **{v: _total(heat[v]) if some else float("nan") for v in _HEAT_VALUES},
        "n_clusters": len(cl), "n_facilities": len(fac), "n_members_facilities": int(sum(r["n_members"] for r in fac)),
        "land_m2_total": float(sum(r["land_m2"] for r in fac)) if fac else float("nan"),
        "n_future_zones_linked": int(sum(1 for r in zrecs if r["is_future"] and r["n_housing_links_in"] > 0)),
        "_related": TERRITORY,
    }


# charter aggregates per park: (field prefix, action groups, secret figures {field: (column, unit)})
_CHARTER = (
    ("collection", ("collection",), {"collection_quantity_t": ("total_quantity", "t/an"),
                                     "collection_truck_km": ("truck_km_avoided", "km/an")}),
    ("utility", ("utility",), {"utility_co2_t": ("co2_avoided_t", "t/an")}),
    ("service", ("service", "facility"), {}),
    ("exchange", ("exchange",), {"exchange_co2_t": ("co2_avoided_t", "t/an")}),
)


def _charter_fields(rec, park, clusters, table, secret, names, known):
    """Per park: how many clusters of each action group, which resources/actions, how many
    distinct establishments, and the protected totals."""
    for prefix, groups, figures in _CHARTER:
        mine = [r for r in clusters if r["action_group"] in groups]
        members = sorted({m for r in mine for m in r["_members"]})
        rec["n_" + prefix] = len(mine)
        rec[prefix + "_members"] = len(members)
        rec[prefix + "_clusters"] = ",".join(r["cluster_id"] for r in mine)
        if prefix == "collection":
            res = sorted({x for r in mine for x in _split(r["resources"])})
            rec["collection_resources_fr"] = names.resources(res)
            rec["collection_resources_en"] = names.resources(res, "en")
        else:
            rec[prefix + "_actions_fr"] = ", ".join(sorted({r["action_fr"] for r in mine if r["action_fr"]}))
            rec[prefix + "_actions_en"] = ", ".join(sorted({r["action_en"] for r in mine if r["action_en"]}))
        for field, (column, unit) in figures.items():
            rec[field] = float(sum(r[column] for r in mine if not _missing(r[column]))) if mine else float("nan")
            if mine:
                _charter_secret(park, field, column, unit, groups, mine, table, secret, known)


def _charter_secret(park, field, column, unit, groups, mine, table, secret, known) -> None:
    rows = table[(table["level"] == 0) & (table["key"] == park) & table["action_group"].isin(groups)] \
        if table is not None else None
    if rows is None or len(rows) != 1 or any(r["cluster_id"] not in known for r in mine):
        secret.unknown("park", park, field, unit)  # a member's share is unknown: cannot check
        return
    row = rows.iloc[0]
    secret.cells[("park", park, field)] = {
        "suppressed": bool(row[column + "_suppressed"]), "reason": row[column + "_reason"],
        "fb_level": row[column + "_fallback_level"], "fb_key": row[column + "_fallback_key"],
        "fb_value": row[column + "_fallback_value"], "unit": unit}
