"""Recommendations as a planner reads them: by document, then by commune, one item per place
and purpose listing its instruments.

The rules engine (``core.recommendations``) writes one row per rule and scope: a shared
facility gives a règlement row for its zone, an OAP row and an emplacement-réservé row for
its cluster. A planner wants one item: "zone UE n° 2, Saint-Alban-Leysse — shared facility:
règlement …, OAP …, emplacement réservé …, with the figures and their sources". This module
groups the rows accordingly; the texts are the rules' (``resources/rules/recommendations.csv``).
"""
from __future__ import annotations

import pandas as pd

# rule id → purpose (what the item is for); the order of instruments inside an item
PURPOSES = {
    "FAC": "facility", "HEAT": "heat", "MIX": "heat", "AU": "heat", "PARK": "park", "AIR": "territory",
    "LAND": "territory", "COL": "park", "UTIL": "park", "SERV": "park", "EXCH": "park",
}
PURPOSE_LABELS = {
    "fr": {"facility": "équipement partagé entre entreprises", "heat": "chaleur récupérée pour les logements",
           "park": "parc d'activités", "territory": "orientations pour tout le territoire", "other": "autre"},
    "en": {"facility": "facility shared between firms", "heat": "recovered heat for housing",
           "park": "business park", "territory": "orientations for the whole territory", "other": "other"},
}
FAMILIES = {"PLU_reglement": "PLU", "PLU_OAP": "PLU", "PLU_emplacement_reserve": "PLU", "SCoT_DOO": "SCoT",
            "charte_ZAE": "charte"}
FAMILY_ORDER = ("PLU", "SCoT", "charte")
INSTRUMENT_ORDER = ("PLU_reglement", "PLU_OAP", "PLU_emplacement_reserve", "SCoT_DOO", "charte_ZAE")
FAMILY_TITLES = {
    "fr": {"PLU": "Plan local d'urbanisme {doc}", "PLU1": "Plan local d'urbanisme {de_commune} ({doc})", "SCoT": "SCoT — document d'orientation et d'objectifs (DOO)",
           "charte": "Chartes de parcs d'activités"},
    "en": {"PLU": "Local plan {doc}", "PLU1": "Local plan of {commune} ({doc})", "SCoT": "Regional plan (SCoT) — guidelines and objectives (DOO)",
           "charte": "Business-park charters"},
}


def of_commune(name: str) -> str:
    """'d'Aix-les-Bains', 'du Bourget-du-Lac', 'des Marches', 'de Chambéry' (French elision)."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    return ("d'" if name[:1].upper() in "AEIOUYÉÈÊÂÎÔH" else "de ") + name


def purpose_of(rule_id: str) -> str:
    for part in str(rule_id).split(",")[0].split("-"):
        if part in PURPOSES:
            return PURPOSES[part]
    return "other"


def _lower(frame):
    if frame is None:
        return None
    out = frame.rename(columns={c: c.lower() for c in frame.columns})
    return out.loc[:, ~out.columns.duplicated()]


def _place(row: dict, site_of_cluster: dict) -> str:
    """The zone (or park, or territory) where the recommendation acts."""
    kind, scope = str(row.get("scope_kind") or ""), str(row.get("scope_id") or "")
    if kind == "cluster":
        return site_of_cluster.get(scope) or scope
    if kind == "heat_link" and ">" in scope:
        supplier, receiver = scope.split(">", 1)
        return supplier if str(row.get("rule_id", "")).startswith("REG-MIX-02") else receiver
    return scope


def _row(r: dict, zone_of: dict, site_of_cluster: dict, zone_reference, commune_name, language: str,
         text_col: str, evidence_col: str) -> dict:
    """One recommendation row with its document, commune, place and purpose."""
    place = _place(r, site_of_cluster)
    zone = zone_of.get(place)
    family = FAMILIES.get(str(r.get("document")), "charte")
    document, commune, place_label = "", "", place
    if family == "PLU" and zone is not None:
        document = str(zone.get("idurba") or "")
        commune = commune_name(str(zone.get("insee") or ""))
        place_label = zone_reference(zone)
    elif place == "territoire":
        place_label = "Tout le territoire" if language == "fr" else "Whole territory"
    rank = INSTRUMENT_ORDER.index(r["document"]) if r.get("document") in INSTRUMENT_ORDER else 9
    return {"family": family, "document": document, "commune": commune, "place": place, "place_label": place_label,
            "purpose": purpose_of(r.get("rule_id")), "instrument_rank": rank, "priority": int(r.get("priority") or 3),
            "instrument": str(r.get("instrument") or ""), "text": str(r.get(text_col) or ""),
            "evidence": str(r.get(evidence_col) or ""), "source": str(r.get("sources") or ""),
            "suppressed": str(r.get("suppressed")) in ("True", "1", "true")}


def build(recommendations, zones, clusters, zone_reference, commune_name, language: str = "fr") -> list:
    """``[{"family", "title", "communes": [{"name", "items": [item]}]}]``; an item is
    ``{"place", "purpose", "purpose_label", "priority", "instruments": [{"label", "text",
    "evidence", "source"}], "suppressed"}``."""
    recs = _lower(recommendations)
    if recs is None or not len(recs):
        return []
    z = _lower(zones)
    zone_of = {str(r["zone_id"]): r for r in z.to_dict("records")} if z is not None and "zone_id" in z.columns else {}
    c = _lower(clusters)
    site_of_cluster = {}
    if c is not None and "site_zone" in c.columns:
        site_of_cluster = {str(k): str(v) for k, v in zip(c["cluster_id"], c["site_zone"]) if isinstance(v, str) and v}
    text_col = "text_fr" if language == "fr" else "text_en"
    evidence_col = "evidence" if language == "fr" or "evidence_en" not in recs.columns else "evidence_en"
    frame = pd.DataFrame([_row(r, zone_of, site_of_cluster, zone_reference, commune_name, language, text_col,
                               evidence_col) for r in recs.to_dict("records")])
    sections = []
    for family in FAMILY_ORDER:
        fam = frame[frame["family"] == family]
        for document, doc_rows in fam.groupby("document", sort=True):
            communes = [{"name": commune, "items": _items(rows, language)}
                        for commune, rows in doc_rows.groupby("commune", sort=True)]
            # A communal PLU is named by its commune; a PLUi lists its communes below.
            key = "PLU1" if family == "PLU" and len(communes) == 1 and communes[0]["name"] else family
            title = FAMILY_TITLES[language][key].format(doc=document, commune=communes[0]["name"],
                                                        de_commune=of_commune(communes[0]["name"])).strip()
            sections.append({"family": family, "title": title, "communes": communes,
                             "single": len(communes) == 1})
    return sections


def _items(rows: pd.DataFrame, language: str) -> list:
    items = []
    for (place, purpose), group in rows.groupby(["place", "purpose"], sort=False):
        group = group.sort_values(["instrument_rank", "priority", "text"], kind="mergesort")
        instruments, seen = [], set()
        for r in group.to_dict("records"):
            if r["text"] in seen:
                continue
            seen.add(r["text"])
            instruments.append({"label": r["instrument"], "text": r["text"], "evidence": r["evidence"],
                                "source": r["source"]})
        items.append({"place": place, "place_label": group["place_label"].iat[0], "purpose": purpose,
                      "purpose_label": PURPOSE_LABELS[language].get(purpose, purpose),
                      "priority": int(group["priority"].min()), "instruments": instruments,
                      "suppressed": bool(group["suppressed"].any())})
    items.sort(key=lambda i: (i["priority"], i["place_label"], i["purpose"]))
    return items
