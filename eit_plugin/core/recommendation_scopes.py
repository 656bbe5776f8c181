"""The records the recommendation rules are evaluated on (zones, business parks, heat links,
clusters, the territory), with the statistical secret applied to their figures. Split from
``core.recommendations``."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..paths import REFERENCE_DIR
from . import confidentiality as conf
from .errors import EitInputError
from .feedback import NULL_FEEDBACK
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


# Input normalisation -------------------------------------------------------------------------
def _lower(df) -> pd.DataFrame:
    if df is None:
        return pd.DataFrame()
    out = df.copy()
    seen, cols = set(), []
    for c in out.columns:
        low = str(c).lower()
        cols.append(low if low not in seen else str(c))
        seen.add(low)
    out.columns = cols
    return out


def _col(df, name, default=None):
    if name in df.columns:
        return df[name]
    return pd.Series([default] * len(df), index=df.index, dtype=object if not isinstance(default, float) else "float64")


def _num(df, name):
    return pd.to_numeric(_col(df, name, np.nan), errors="coerce")


def _text(v) -> str:
    return "" if _missing(v) else str(v).strip()


def _bool(v) -> bool:
    if isinstance(v, str):
        return v.strip().lower() in ("1", "true", "t", "yes", "oui", "vrai")
    return _truthy(v)


def _split(v) -> list:
    return [p for p in re.split(r"[,;|\s]+", _text(v)) if p]


_ACTIVITY_LABEL = re.compile(r"^\d*(AU|U)[EXIYZ]", re.IGNORECASE)


def _epci_table() -> dict:
    path = REFERENCE_DIR / "communes_epci.csv"
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        return dict(zip(table["insee"], table["epci_name"]))
    except (OSError, KeyError, pd.errors.ParserError):
        return {}


def _resource_labels() -> dict:
    try:
        table = pd.read_csv(REFERENCE_DIR / "taxonomy.csv", dtype=str, keep_default_na=False)
        return dict(zip(table["code"], table["label_fr"]))
    except (OSError, KeyError, pd.errors.ParserError):
        return {}


def prepare_zones(zones: pd.DataFrame) -> pd.DataFrame:
    """Zones with the flags and hierarchy the rules and the secret use: ``is_activity``,
    ``is_housing``, ``is_mixed``, ``is_future``, ``park`` (business park key), ``commune``,
    ``epci``."""
    z = _lower(zones)
    if "zone_id" not in z.columns:
        raise EitInputError("The zones table has no 'zone_id' field: use the output of eit:zoneoverlay.")
    z["zone_id"] = z["zone_id"].astype(str)
    for c in ("libelle", "libelong", "typezone", "destdomi", "formdomi", "insee", "idurba"):
        z[c] = [_text(v) for v in _col(z, c, "")]
    z["destdomi"] = [d.zfill(2) if d.isdigit() else d for d in z["destdomi"]]
    dwell = _num(z, "housing_dwellings").fillna(0)
    hdem = _num(z, "housing_heat_demand_mwh").fillna(0)
    z["housing_dwellings"] = dwell
    z["housing_heat_demand_mwh"] = hdem
    # DESTDOMI / FORMDOMI decide when present; the LIBELLE pattern (UX, UI, 1AUX...) only without them
    z["is_activity"] = [
        d == "02" or f.startswith("02") or (not d and not f and bool(_ACTIVITY_LABEL.match(lab)))
        for d, f, lab in zip(z["destdomi"], z["formdomi"], z["libelle"])
    ]
    z["is_mixed"] = [d == "03" or f.startswith("03") for d, f in zip(z["destdomi"], z["formdomi"])]
    z["is_housing"] = [
        d in ("01", "03") or f.startswith("01") or f.startswith("03") or w > 0 or h > 0
        for d, f, w, h in zip(z["destdomi"], z["formdomi"], dwell, hdem)
    ]
    fut = _col(z, "is_future", None)
    z["is_future"] = [_bool(v) or t.upper().startswith("AU") for v, t in zip(fut, z["typezone"])]
    park_given = next((c for c in ("park", "parc", "zae", "nom_zae", "park_name") if c in z.columns), None)
    parks = []
    given = _col(z, park_given, "") if park_given else [""] * len(z)
    for g, act, lib, zid in zip(given, z["is_activity"], z["libelong"], z["zone_id"]):
        name = _text(g)
        if not name and act:
            name = lib
        parks.append(name if name else "zone:" + zid)
    z["commune"] = [c or "inconnue" for c in z["insee"]]
    # a LIBELONG shared across many communes is a generic label ("Zone d'activités artisanales"),
    # not a park name: such zones are grouped per commune
    spread = {}
    for p, c in zip(parks, z["commune"]):
        spread.setdefault(p, set()).add(c)
    parks = [p if p.startswith("zone:") or park_given or len(spread[p]) <= MAX_PARK_COMMUNES
             else "{} ({})".format(p, commune_name(c)) for p, c in zip(parks, z["commune"])]
    z["park"] = parks
    z["park_name"] = [p if not p.startswith("zone:") else "" for p in parks]
    # the level above the park in the secret hierarchy: its commune, or the communes it spans
    spans = {}
    for p, c in zip(parks, z["commune"]):
        spans.setdefault(p, set()).add(c)
    z["commune_group"] = [c if p.startswith("zone:") else "+".join(sorted(spans[p])) for p, c in zip(parks, z["commune"])]
    epci = _epci_table()
    given_epci = _col(z, "epci", None)
    z["epci"] = [_text(g) or epci.get(c, TERRITORY) for g, c in zip(given_epci, z["insee"])]
    z["territory"] = TERRITORY
    z["eit_potential"] = [_text(v) or "none" for v in _col(z, "eit_potential", "")]
    z["n_establishments"] = _num(z, "n_establishments").fillna(0).astype(int)
    z["mixity_index"] = _num(z, "mixity_index")
    return z.sort_values("zone_id").reset_index(drop=True)


def protected_zone_figures(zones, flows, direction: str = "supply") -> pd.DataFrame:
    """Per zone and family, the total of ``flows`` (``siret``, ``zone_id``, ``family``,
    ``direction``, ``quantity``) with the statistical secret applied along zone → business
    park → commune(s) → EPCI: the long table of ``confidentiality.protect_table`` (use
    ``quantity`` when published, else ``quantity_fallback_*``). For the report's zone tables."""
    z = prepare_zones(zones)[["zone_id", "park", "commune_group", "epci"]]
    f = _lower(flows)
    needed = [c for c in ("siret", "zone_id", "family", "direction", "quantity") if c not in f.columns]
    if needed:
        raise EitInputError("The flows table lacks {}: give flows with their zone (eit:zoneoverlay).".format(
            ", ".join(needed)))
    f = pd.DataFrame({"siret": [_text(v) for v in f["siret"]], "zone_id": [_text(v) for v in f["zone_id"]],
                      "family": [_text(v) for v in f["family"]], "direction": [_text(v) for v in f["direction"]],
                      "quantity": _num(f, "quantity")})
    f = f[(f["direction"] == direction) & (f["zone_id"] != "")].merge(z, on="zone_id", how="inner")
    return conf.protect_table(f, ["quantity"], ["zone_id", "family"], "siret", ["park", "commune_group", "epci"])


def _prepare_synergies(synergies, zones_by_id) -> pd.DataFrame:
    s = _lower(synergies)
    if s.empty:
        return pd.DataFrame(columns=["synergy_id", "kind", "is_heat", "is_housing"])
    s["synergy_id"] = [_text(v) for v in _col(s, "synergy_id", "")]
    s["kind"] = [_text(v) for v in _col(s, "kind", "")]
    for c in ("supplier_siret", "receiver_siret", "receiver_zone", "supplier_zone", "family", "unit",
              "resource_supply", "supply_flow_id"):
        s[c] = [_text(v) for v in _col(s, c, "")]
    for c in ("quantity", "distance_m", "co2_avoided_t", "pm10_avoided_kg", "nox_avoided_kg", "mwh_recovered"):
        s[c] = _num(s, c)
    s["is_heat"] = [
        k in ("heat_recovery", "housing_heat") or f == "heat" or r == "waste_heat"
        for k, f, r in zip(s["kind"], s["family"], s["resource_supply"])
    ]
    s["is_housing"] = [k == "housing_heat" or (not rs and bool(rz)) for k, rs, rz in
                       zip(s["kind"], s["receiver_siret"], s["receiver_zone"])]
    s["mwh_recovered"] = np.where(s["mwh_recovered"].isna() & s["is_heat"] & (s["unit"].str.lower() == "mwh"),
                                  s["quantity"], s["mwh_recovered"])
    s["contributor"] = [sup or flow or sid for sup, flow, sid in
                        zip(s["supplier_siret"], s["supply_flow_id"], s["synergy_id"])]
    return s.sort_values("synergy_id").reset_index(drop=True)


def _prepare_clusters(clusters) -> pd.DataFrame:
    c = _lower(clusters)
    if c.empty:
        return pd.DataFrame(columns=["cluster_id"])
    c["cluster_id"] = [_text(v) for v in _col(c, "cluster_id", "")]
    for col in ("kind", "resources", "members", "unit", "zone_ids", "action", "action_fr", "action_en", "facility",
                "site_zone", "site_reason"):
        c[col] = [_text(v) for v in _col(c, col, "")]
    c["action_fr"] = [f or a.replace("_", " ") for f, a in zip(c["action_fr"], c["action"])]
    c["action_en"] = [e or a.replace("_", " ") for e, a in zip(c["action_en"], c["action"])]
    if "land_m2" not in c.columns and "land_need_m2" in c.columns:
        c["land_m2"] = c["land_need_m2"]
    for col in ("n_members", "total_quantity", "truck_km_avoided", "co2_avoided_t", "land_m2"):
        c[col] = _num(c, col)
    c["n_members"] = [int(n) if not _missing(n) else len(_split(m)) for n, m in zip(c["n_members"], c["members"])]
    return c.sort_values("cluster_id").reset_index(drop=True)


_ACTION_CODES = {  # codes of resources/reference/pooling_actions.csv and exchange clusters
    "shared_collection": "collection", "sorting_platform": "facility", "shared_heat": "utility",
    "shared_water_treatment": "utility", "grouped_purchasing": "service", "exchange": "exchange",
}


def action_group(action: str, resources: str = "", families: str = "") -> str:
    """``collection`` (shared collection round), ``facility`` (sorting/transfer platform,
    shared treatment), ``utility`` (shared boiler, heat loop, water) or ``service``
    (grouped purchasing, shared services) from a cluster's action text."""
    code = (action or "").strip().lower()
    if code in _ACTION_CODES:
        return _ACTION_CODES[code]
    text = " ".join([action, resources, families]).lower()
    if re.search(r"exchange|échange", text):
        return "exchange"
    if re.search(r"collect", text):
        return "collection"
    if re.search(r"sort|tri\b|platform|plateforme|transfer|transit|compost|méthani|methani|recycl", text):
        return "facility"
    if re.search(r"boiler|chauffer|heat|chaleur|loop|boucle|water|eau|steam|vapeur|utilit|energy|énergie", text):
        return "utility"
    if re.search(r"purchas|achat|buy|service", text):
        return "service"
    if re.search(r"waste|déchet|_waste|cardboard|scrap|glass|plastic|wood", text):
        return "collection"
    return "service"


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
    f = _lower(flows) if flows is not None else pd.DataFrame()
    if f.empty or "siret" not in f.columns or clusters.empty:
        return out
    f = pd.DataFrame({"siret": [_text(v) for v in f["siret"]], "resource": [_text(v) for v in _col(f, "resource", "")],
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


def build_scopes(zones, synergies, clusters, flows=None, public=True, feedback=None):
    """The records the rules are evaluated on: ``{kind: [record, ...]}`` and the secret."""
    feedback = feedback or NULL_FEEDBACK
    z = prepare_zones(zones)
    keep = ["zone_id", "idurba", "libelle", "libelong", "typezone", "destdomi", "insee", "commune", "epci", "park", "park_name",
            "commune_group", "is_activity", "is_housing", "is_mixed", "is_future", "eit_potential", "n_establishments",
            "mixity_index", "housing_dwellings", "housing_heat_demand_mwh"]
    z = z[keep]
    zby = {r["zone_id"]: r for r in z.to_dict("records")}
    s = _prepare_synergies(synergies, zby)
    c = _prepare_clusters(clusters)
    secret = _Secret(public)
    labels = _resource_labels()

    def zlabs(zids):
        """'1AU (73065) ×3, UA (73065)' — labels of several zones, counted."""
        counts = {}
        for x in sorted(set(zids)):
            if x:
                counts[zlab(x)] = counts.get(zlab(x), 0) + 1
        return ", ".join(k if n == 1 else "{} ×{}".format(k, n) for k, n in sorted(counts.items()))

    def zlab(zid):
        r = zby.get(zid)
        return zone_reference(r) if r is not None else (zid or "?")

    # heat links ----------------------------------------------------------------------------
    heat = s[s["is_heat"]].copy() if len(s) else s
    links = []
    if len(heat):
        heat["link_id"] = [
            ("{}>{}".format(sz or "?", rz) if h else "ent:{}".format(sz or "?"))
            for sz, rz, h in zip(heat["supplier_zone"], heat["receiver_zone"], heat["is_housing"])
        ]
        heat["commune"] = [
            (zby.get(rz) or zby.get(sz) or {}).get("commune", "inconnue") if h else (zby.get(sz) or {}).get("commune", "inconnue")
            for sz, rz, h in zip(heat["supplier_zone"], heat["receiver_zone"], heat["is_housing"])
        ]
        heat["territory"] = TERRITORY
        values = ["mwh_recovered", "co2_avoided_t", "pm10_avoided_kg", "nox_avoided_kg"]
        table = conf.protect_table(heat, values, ["link_id"], "contributor", ["commune", "territory"])
        units = {"mwh_recovered": "MWh/an", "co2_avoided_t": "t/an", "pm10_avoided_kg": "kg/an", "nox_avoided_kg": "kg/an"}
        secret.add_table("heat_link", table, 0, {v: v for v in values}, units)
        secret.add_table("territory", table, 2, {v: v for v in values}, units)
        for link_id, g in heat[heat["is_housing"]].groupby("link_id", sort=True):
            first = g.iloc[0]
            rz, sz = first["receiver_zone"], first["supplier_zone"]
            rzone, szone = zby.get(rz, {}), zby.get(sz, {})
            dmin = float(g["distance_m"].min()) if g["distance_m"].notna().any() else float("nan")
            links.append({
                "link_id": link_id, "supplier_zone": sz, "receiver_zone": rz,
                "supplier_libelle": zlab(sz), "receiver_libelle": zlab(rz),
                "receiver_commune": rzone.get("commune", ""),
                "receiver_is_future": bool(rzone.get("is_future", False)),
                "receiver_is_housing": bool(rzone.get("is_housing", True)),
                "supplier_is_activity": bool(szone.get("is_activity", False)),
                "n_suppliers": int(g["contributor"].nunique()), "n_synergies": int(len(g)),
                "synergy_ids": ",".join(sorted(g["synergy_id"])),
                "distance_m": dmin, "distance_max_m": float(g["distance_m"].max()),
                "mwh_recovered": float(g["mwh_recovered"].sum(min_count=1)),
                "co2_avoided_t": float(g["co2_avoided_t"].sum(min_count=1)),
                "pm10_avoided_kg": float(g["pm10_avoided_kg"].sum(min_count=1)),
                "nox_avoided_kg": float(g["nox_avoided_kg"].sum(min_count=1)),
                "receiver_housing_heat_demand_mwh": float(rzone.get("housing_heat_demand_mwh", float("nan"))),
                "receiver_dwellings": float(rzone.get("housing_dwellings", float("nan"))),
                "corridor_width_m": CORRIDOR_WIDTH_M,
                "corridor_land_m2": dmin * CORRIDOR_WIDTH_M if not _missing(dmin) else float("nan"),
                "_related": ",".join([x for x in [sz, rz] if x] + sorted(g["synergy_id"])),
            })

    # clusters ------------------------------------------------------------------------------
    cl = []
    shares = _member_shares(c, flows) if len(c) else {}
    values = ["total_quantity", "truck_km_avoided", "co2_avoided_t"]
    cunits = {"truck_km_avoided": "km/an", "co2_avoided_t": "t/an", "land_m2": "m²", "land_m2_total": "m²"}
    micro = []
    for r in c.to_dict("records"):
        sh = shares.get(r["cluster_id"])
        if sh is None:
            continue
        for siret, share in sh.items():
            row = {"cluster_id": r["cluster_id"], "unit_scope": "{}:{}".format(TERRITORY, r["unit"]),
                   "territory": TERRITORY, "siret": siret}
            for v in values:
                row[v] = share * r[v] if not _missing(r[v]) else np.nan
            micro.append(row)
    mdf = pd.DataFrame(micro)
    if micro:
        t1 = conf.protect_table(mdf, values, ["cluster_id"], "siret", ["unit_scope"])
        secret.add_table("cluster", t1, 0, {v: v for v in values}, cunits)
    unknown_clusters = [r["cluster_id"] for r in c.to_dict("records") if shares.get(r["cluster_id"]) is None]
    for cid in unknown_clusters:
        for v in values:
            secret.unknown("cluster", cid, v, cunits.get(v, ""))
    if len(c) and unknown_clusters:
        if public:
            feedback.warning(
                "{} cluster(s) without a per-member split (give the FLOWS layer): their quantities are withheld "
                "in public mode because the 85 % rule cannot be checked.".format(len(unknown_clusters)))
    for r in c.to_dict("records"):
        site = zby.get(r["site_zone"], {})
        zids = _split(r["zone_ids"])
        site_park = zby.get(r["site_zone"], {}).get("park_name", "")
        parks = sorted({zby[x]["park_name"] for x in zids if x in zby and zby[x]["park_name"]})
        park = site_park or (parks[0] if parks else "")
        res = _split(r["resources"])
        cunits_r = dict(cunits, total_quantity="{}/an".format(r["unit"]) if r["unit"] else "")
        for v in values:
            key = ("cluster", r["cluster_id"], v)
            if key in secret.cells:
                secret.cells[key]["unit"] = cunits_r.get(v, "")
        cl.append({
            "cluster_id": r["cluster_id"], "kind": r["kind"], "action": r["action"], "action_fr": r["action_fr"],
            "action_en": r["action_en"], "facility": r["facility"],
            "action_group": action_group(r["action"], r["resources"]),
            "resources": r["resources"], "resources_fr": ", ".join(labels.get(x, x) for x in res) or r["resources"],
            "n_members": int(r["n_members"]), "unit": r["unit"], "total_quantity": r["total_quantity"],
            "truck_km_avoided": r["truck_km_avoided"], "co2_avoided_t": r["co2_avoided_t"], "land_m2": r["land_m2"],
            "site_zone": r["site_zone"], "site_libelle": zlab(r["site_zone"]) if r["site_zone"] else "",
            "site_commune": site.get("commune", ""), "site_is_activity": bool(site.get("is_activity", False)),
            "has_site": bool(r["site_zone"]), "site_reason": r["site_reason"], "zone_ids": ",".join(zids),
            "n_zones": len(zids), "park_name": park,
            "_members": [m for m in re.split(r"[,;|\s]+", r["members"]) if m and not m.startswith("zone:")],
            "_related": ",".join([r["cluster_id"], *zids]),
        })

    # zones ---------------------------------------------------------------------------------
    housing_links = s[s["is_housing"] & s["is_heat"]] if len(s) else s
    empty = housing_links.iloc[0:0]
    by_receiver = dict(tuple(housing_links.groupby("receiver_zone"))) if len(housing_links) else {}
    by_supplier = dict(tuple(housing_links.groupby("supplier_zone"))) if len(housing_links) else {}
    by_site = dict(tuple(c.groupby("site_zone"))) if len(c) else {}
    zrecs = []
    for r in z.to_dict("records"):
        zid = r["zone_id"]
        inn = by_receiver.get(zid, empty)
        out = by_supplier.get(zid, empty)
        sited = by_site.get(zid, c.iloc[0:0])
        zrecs.append({
            **{k: r[k] for k in ("zone_id", "libelle", "libelong", "typezone", "destdomi", "insee", "commune", "epci",
                                 "park_name", "is_activity", "is_housing", "is_mixed", "is_future", "eit_potential",
                                 "n_establishments", "mixity_index", "housing_dwellings", "housing_heat_demand_mwh")},
            "zone_ref": zone_reference(r),
            "n_housing_links_in": int(len(inn)),
            "n_heat_suppliers_in": int(inn["contributor"].nunique()) if len(inn) else 0,
            "distance_min_in_m": float(inn["distance_m"].min()) if len(inn) else float("nan"),
            "supplier_zones_in": zlabs(inn["supplier_zone"]) if len(inn) else "",
            "n_housing_links_out": int(len(out)),
            "receiver_zones_out": zlabs(out["receiver_zone"]) if len(out) else "",
            "distance_min_out_m": float(out["distance_m"].min()) if len(out) else float("nan"),
            "n_clusters_sited": int(len(sited)),
            "cluster_ids_sited": ",".join(sorted(sited["cluster_id"])) if len(sited) else "",
            "cluster_actions_sited": ", ".join(sorted({x for x in sited["action_fr"] if x})) if len(sited) else "",
            "_related": zid,
        })

    # parks ---------------------------------------------------------------------------------
    prec = []
    f = _lower(flows) if flows is not None else pd.DataFrame()
    park_table = None
    if not f.empty and "zone_id" in f.columns and "siret" in f.columns:
        f = f.assign(zone_id=[_text(v) for v in f["zone_id"]], family=[_text(v) for v in _col(f, "family", "")],
                     direction=[_text(v) for v in _col(f, "direction", "")], quantity=_num(f, "quantity"),
                     siret=[_text(v) for v in f["siret"]])
        f = f[(f["direction"] == "supply") & f["family"].isin(["heat", "waste"]) & f["zone_id"].isin(zby)]
        if len(f):
            f = f.merge(z[["zone_id", "park", "commune_group", "epci"]], on="zone_id", how="left")
            park_table = conf.protect_table(f, ["quantity"], ["zone_id", "family"], "siret",
                                            ["park", "commune_group", "epci"])
    act = z[z["is_activity"] & (z["park_name"] != "")]
    park_of = dict(zip(act["zone_id"], act["park"]))
    syn_parks = {}
    for i, (sz, rz) in enumerate(zip(s["supplier_zone"], s["receiver_zone"])) if len(s) else []:
        for p in {park_of.get(sz), park_of.get(rz)} - {None}:
            syn_parks.setdefault(p, set()).add(i)
    cl_parks = {}
    for r in c.to_dict("records") if len(c) else []:
        for p in {park_of.get(x) for x in _split(r["zone_ids"]) + [r["site_zone"]]} - {None}:
            cl_parks.setdefault(p, set()).add(r["cluster_id"])
    cl_by_park = {}
    for r in cl:
        if r["park_name"]:
            cl_by_park.setdefault(r["park_name"], []).append(r)
    charter_table = None
    if len(mdf):
        group_of = {r["cluster_id"]: r["action_group"] for r in cl}
        park_of_cl = {r["cluster_id"]: r["park_name"] for r in cl}
        pm = mdf.assign(park=mdf["cluster_id"].map(park_of_cl), action_group=mdf["cluster_id"].map(group_of))
        pm = pm[pm["park"].fillna("") != ""]
        if len(pm):
            charter_table = conf.protect_table(pm, ["total_quantity", "truck_km_avoided", "co2_avoided_t"],
                                               ["park", "action_group"], "siret", ["territory"])
    for park, g in act.groupby("park", sort=True):
        zids = sorted(g["zone_id"])
        n_syn = len(syn_parks.get(park, ()))
        n_cl = len(cl_parks.get(park, ()))
        pot = list(g["eit_potential"])
        best = next((p for p in ("high", "medium", "low") if p in pot), "none")
        rec = {"park_name": park, "n_zones": len(zids), "zone_ids": ",".join(zids),
               "zone_labels": zlabs(zids), "communes": commune_list(g["commune"]),
               "n_establishments": int(g["n_establishments"].sum()), "n_high_zones": pot.count("high"),
               "eit_potential_best": best, "n_synergies": n_syn, "n_clusters": n_cl,
               "heat_supply_mwh": float("nan"), "waste_supply_t": float("nan"), "_related": ",".join(zids)}
        for fam, field, unit in (("heat", "heat_supply_mwh", "MWh/an"), ("waste", "waste_supply_t", "t/an")):
            cell = None
            if park_table is not None:
                hit = park_table[(park_table["level"] == 1) & (park_table["key"] == park) & (park_table["family"] == fam)]
                if len(hit):
                    cell = hit.iloc[0]
            if cell is None:
                if park_table is None:
                    secret.unknown("park", park, field, unit)
                continue
            rec[field] = float(cell["quantity_total"])
            secret.cells[("park", park, field)] = {
                "suppressed": bool(cell["quantity_suppressed"]), "reason": cell["quantity_reason"],
                "fb_level": cell["quantity_fallback_level"], "fb_key": cell["quantity_fallback_key"],
                "fb_value": cell["quantity_fallback_value"], "unit": unit}
        _charter_fields(rec, park, cl_by_park.get(park, []), charter_table, secret, labels,
                        set(mdf["cluster_id"]) if len(mdf) else set())
        rec["_related"] = ",".join([*zids, *(r["cluster_id"] for r in cl_by_park.get(park, []))])
        prec.append(rec)

    # territory -----------------------------------------------------------------------------
    fac = [r for r in cl if r["has_site"] and not _missing(r["land_m2"]) and r["land_m2"] > 0
           and r["facility"] not in ("collection_point", "none")]
    terr = {
        "territory": TERRITORY, "n_heat_links": len(links), "n_heat_synergies": int(len(heat)),
        "mwh_recovered": float(heat["mwh_recovered"].sum(min_count=1)) if len(heat) else float("nan"),
        "pm10_avoided_kg": float(heat["pm10_avoided_kg"].sum(min_count=1)) if len(heat) else float("nan"),
        "nox_avoided_kg": float(heat["nox_avoided_kg"].sum(min_count=1)) if len(heat) else float("nan"),
        "co2_avoided_t": float(heat["co2_avoided_t"].sum(min_count=1)) if len(heat) else float("nan"),
        "n_clusters": len(cl), "n_facilities": len(fac), "n_members_facilities": int(sum(r["n_members"] for r in fac)),
        "land_m2_total": float(sum(r["land_m2"] for r in fac)) if fac else float("nan"),
        "n_future_zones_linked": int(sum(1 for r in zrecs if r["is_future"] and r["n_housing_links_in"] > 0)),
        "_related": TERRITORY,
    }
    scopes = {"zone": zrecs, "park": prec, "heat_link": links, "cluster": cl, "territory": [terr]}
    return scopes, secret


# charter aggregates per park: (field prefix, action groups, secret figures {field: (column, unit)})
_CHARTER = (
    ("collection", ("collection",), {"collection_quantity_t": ("total_quantity", "t/an"),
                                     "collection_truck_km": ("truck_km_avoided", "km/an")}),
    ("utility", ("utility",), {"utility_co2_t": ("co2_avoided_t", "t/an")}),
    ("service", ("service", "facility"), {}),
    ("exchange", ("exchange",), {"exchange_co2_t": ("co2_avoided_t", "t/an")}),
)


def _charter_fields(rec, park, clusters, table, secret, labels, known):
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
            rec["collection_resources_fr"] = ", ".join(labels.get(x, x) for x in res)
        else:
            rec[prefix + "_actions_fr"] = ", ".join(sorted({r["action_fr"] for r in mine if r["action_fr"]}))
        for field, (column, unit) in figures.items():
            rec[field] = float(sum(r[column] for r in mine if not _missing(r[column]))) if mine else float("nan")
            if not mine:
                continue
            rows = table[(table["level"] == 0) & (table["key"] == park) & table["action_group"].isin(groups)] \
                if table is not None else None
            if rows is None or len(rows) != 1 or any(r["cluster_id"] not in known for r in mine):
                secret.unknown("park", park, field, unit)  # a member's share is unknown: cannot check
                continue
            row = rows.iloc[0]
            secret.cells[("park", park, field)] = {
                "suppressed": bool(row[column + "_suppressed"]), "reason": row[column + "_reason"],
                "fb_level": row[column + "_fallback_level"], "fb_key": row[column + "_fallback_key"],
                "fb_value": row[column + "_fallback_value"], "unit": unit}


