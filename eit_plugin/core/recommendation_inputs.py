"""The inputs of the recommendation rules read and normalised: zones with their flags and
business parks, synergies, clusters, and what a cluster's action is for. Split from
``core.recommendation_scopes``."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..paths import REFERENCE_DIR
from . import confidentiality as conf
from .errors import EitInputError
from .recommendation_rules import MAX_PARK_COMMUNES, TERRITORY, _missing, _truthy
from .recommendation_texts import commune_name


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


def _lower_columns(df, names) -> pd.DataFrame:
    """``_lower(df)`` restricted to the columns whose lower-case name is in ``names`` (a
    copy of a few columns instead of the whole flows table)."""
    if df is None:
        return pd.DataFrame()
    wanted = {n.lower() for n in names}
    return _lower(df[[c for c in df.columns if str(c).lower() in wanted]])


def _col(df, name, default=None):
    if name in df.columns:
        return df[name]
    return pd.Series([default] * len(df), index=df.index, dtype=object if not isinstance(default, float) else "float64")


def _num(df, name):
    return pd.to_numeric(_col(df, name, np.nan), errors="coerce")


def _text(v) -> str:
    return "" if _missing(v) else str(v).strip()


def _texts(values) -> np.ndarray:
    """``[_text(v) for v in values]`` as an object array; a column of strings is cleaned
    one distinct value at a time: O(n + u)."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if len(series) and pd.api.types.infer_dtype(series, skipna=True) == "string":
        codes, uniq = pd.factorize(series)  # strings only: no 1 == 1.0 == True merging
        out = np.array([_text(u) for u in uniq] + [""], dtype=object)[codes]
        missing = codes < 0
        if missing.any():
            out[missing] = [_text(v) for v in series.to_numpy(dtype=object)[missing]]
        return out
    return np.array([_text(v) for v in series], dtype=object)


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


def _resource_labels(language: str = "fr") -> dict:
    try:
        table = pd.read_csv(REFERENCE_DIR / "taxonomy.csv", dtype=str, keep_default_na=False)
        return dict(zip(table["code"], table["label_" + language]))
    except (OSError, KeyError, pd.errors.ParserError):
        return {}


def _communes_by_park(parks, communes) -> dict:
    spread = {}
    for p, c in zip(parks, communes):
        spread.setdefault(p, set()).add(c)
    return spread


def _flag_zone_kinds(z: pd.DataFrame, dwell, hdem) -> None:
    """Set ``is_activity``, ``is_mixed``, ``is_housing`` and ``is_future`` from the PLU fields."""
    # DESTDOMI / FORMDOMI decide when present; the LIBELLE pattern (UX, UI, 1AUX...) only without them
    z["is_activity"] = [
        d == "02" or f.startswith("02") or (not d and not f and bool(_ACTIVITY_LABEL.match(lab)))
        for d, f, lab in zip(z["destdomi"], z["formdomi"], z["libelle"])
    ]
    z["is_mixed"] = [d == "03" or f.startswith("03") for d, f in zip(z["destdomi"], z["formdomi"])]
    # a zone where people live (or whose dwellings need heat) is a housing zone whatever its PLU type
    z["is_housing"] = [
        d in ("01", "03") or f.startswith("01") or f.startswith("03") or w > 0 or h > 0
        for d, f, w, h in zip(z["destdomi"], z["formdomi"], dwell, hdem)
    ]
    fut = _col(z, "is_future", None)
    z["is_future"] = [_bool(v) or t.upper().startswith("AU") for v, t in zip(fut, z["typezone"])]


def _park_keys(z: pd.DataFrame) -> list:
    """The business park of each zone: a park column when the user gives one, else the LIBELONG of
    an activity zone, else the zone itself (``zone:<id>``). Needs ``is_activity`` and ``commune``."""
    park_given = next((c for c in ("park", "parc", "zae", "nom_zae", "park_name") if c in z.columns), None)
    parks = []
    given = _col(z, park_given, "") if park_given else [""] * len(z)
    for g, act, lib, zid in zip(given, z["is_activity"], z["libelong"], z["zone_id"]):
        name = _text(g)
        if not name and act:
            name = lib
        parks.append(name if name else "zone:" + zid)
    # a LIBELONG shared across many communes is a generic label ("Zone d'activités artisanales"),
    # not a park name: such zones are grouped per commune
    spread = _communes_by_park(parks, z["commune"])
    return [p if p.startswith("zone:") or park_given or len(spread[p]) <= MAX_PARK_COMMUNES
            else "{} ({})".format(p, commune_name(c)) for p, c in zip(parks, z["commune"])]


def _commune_groups(parks: list, communes) -> list:
    """The level above the park in the secret hierarchy: its commune, or the communes it spans."""
    spans = _communes_by_park(parks, communes)
    return [c if p.startswith("zone:") else "+".join(sorted(spans[p])) for p, c in zip(parks, communes)]


def prepare_zones(zones: pd.DataFrame) -> pd.DataFrame:
    """Zones with the flags and hierarchy the rules and the secret use: ``is_activity``,
    ``is_housing``, ``is_mixed``, ``is_future``, ``park`` (business park key), ``commune``,
    ``epci``."""
    z = _lower(zones)
    if "zone_id" not in z.columns:
        raise EitInputError("The zones table has no 'zone_id' field: use the output of eit:zoneoverlay.")
    z["zone_id"] = z["zone_id"].astype(str)
    for c in ("libelle", "libelong", "typezone", "destdomi", "formdomi", "insee", "idurba"):
        z[c] = _texts(_col(z, c, ""))
    z["destdomi"] = [d.zfill(2) if d.isdigit() else d for d in z["destdomi"]]
    dwell = _num(z, "housing_dwellings").fillna(0)
    hdem = _num(z, "housing_heat_demand_mwh").fillna(0)
    z["housing_dwellings"] = dwell
    z["housing_heat_demand_mwh"] = hdem
    _flag_zone_kinds(z, dwell, hdem)
    z["commune"] = [c or "inconnue" for c in z["insee"]]
    parks = _park_keys(z)
    z["park"] = parks
    z["park_name"] = [p if not p.startswith("zone:") else "" for p in parks]
    z["commune_group"] = _commune_groups(parks, z["commune"])
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
    f = _lower_columns(flows, ("siret", "zone_id", "family", "direction", "quantity"))
    needed = [c for c in ("siret", "zone_id", "family", "direction", "quantity") if c not in f.columns]
    if needed:
        raise EitInputError("The flows table lacks {}: give flows with their zone (eit:zoneoverlay).".format(
            ", ".join(needed)))
    f = pd.DataFrame({"siret": _texts(f["siret"]), "zone_id": _texts(f["zone_id"]),
                      "family": _texts(f["family"]), "direction": _texts(f["direction"]),
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
    for c in ("quantity", "distance_m", "co2_avoided_t", "pm10_avoided_kg", "nox_avoided_kg", "mwh_recovered",
              "confidence"):
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
