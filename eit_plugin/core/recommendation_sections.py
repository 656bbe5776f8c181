"""Recommendations as a planner reads them: one item per place and purpose listing its
instruments, by document, then by commune.

The rules engine (``core.recommendations.evaluate``) finds one row per rule and scope: a
shared facility gives a règlement row for its zone, an OAP row and an emplacement-réservé row
for its cluster. A planner wants one item: "zone UE n° 2, Saint-Alban-Leysse — shared
facility: règlement …, OAP …, emplacement réservé …, with the figures and their sources".
``group`` makes those items once: they are the rows of the GeoPackage's ``recommendations``
layer. An item's instruments are one per line, in the same order, in ``instrument``,
``instrument_en``, ``text_fr``, ``text_en``, ``evidence``, ``evidence_en`` and ``sources``.
``build`` only lays the items out for the report (sections by document, headings by commune).
The texts are the rules' (``resources/rules/recommendations.csv``).
"""
from __future__ import annotations

import re

import pandas as pd

from . import confidentiality as conf
from .recommendation_texts import commune_name, zone_reference

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


ITEM_COLUMNS = [
    "rec_id", "document", "document_id", "commune", "scope_kind", "scope_id", "scope_label", "scope_label_en",
    "purpose", "purpose_label", "purpose_label_en", "theme", "theme_en", "priority", "priority_reason", "instrument",
    "instrument_en", "article", "text_fr", "text_en", "evidence", "evidence_en", "sources", "sources_en", "rule_id",
    "related_ids", "suppressed", "suppression_reason", "diffusion",
]
LINE_COLUMNS = ("instrument", "instrument_en", "text_fr", "text_en", "evidence", "evidence_en", "sources", "sources_en")
# An English line left empty (a rules file without the column) reads the French one.
_FRENCH = {"instrument_en": "instrument", "sources_en": "sources"}
TERRITORY_LABELS = {"fr": "Tout le territoire", "en": "Whole territory"}


def _place(row: dict, site_of_cluster: dict) -> str:
    """The zone (or park, or territory) where the recommendation acts."""
    kind, scope = str(row.get("scope_kind") or ""), str(row.get("scope_id") or "")
    if kind == "cluster":
        return site_of_cluster.get(scope) or scope
    if kind == "heat_link" and ">" in scope:
        supplier, receiver = scope.split(">", 1)
        return supplier if str(row.get("rule_id", "")).startswith("REG-MIX-02") else receiver
    return scope


def _one_line(value) -> str:
    """An instrument is one line of the item's multi-line fields."""
    return re.sub(r"\s*[\r\n]+\s*", " ", str(value if value is not None and value == value else "")).strip()


def _row(r: dict, zone_of: dict, site_of_cluster: dict) -> dict:
    """One rule row with the document, commune, place and purpose of its item."""
    place = _place(r, site_of_cluster)
    zone = zone_of.get(place)
    family = FAMILIES.get(str(r.get("document")), "charte")
    document, commune = "", ""
    kind = str(r.get("scope_kind") or "")
    label_fr = label_en = str(r.get("scope_label") or place) if kind in ("park", "cluster") else place
    if zone is not None:
        kind = "zone"
        label_fr, label_en = zone_reference(zone, "fr"), zone_reference(zone, "en")
        if family == "PLU":
            document, commune = str(zone.get("idurba") or ""), commune_name(str(zone.get("insee") or ""))
    elif kind == "territory":
        label_fr, label_en = TERRITORY_LABELS["fr"], TERRITORY_LABELS["en"]
    rank = INSTRUMENT_ORDER.index(r["document"]) if r.get("document") in INSTRUMENT_ORDER else 9
    return {"family": family, "document_id": document, "commune": commune, "place": place, "place_kind": kind,
            "label_fr": label_fr, "label_en": label_en, "purpose": purpose_of(r.get("rule_id")),
            "instrument_rank": rank, "priority": int(r.get("priority") or 3),
            "priority_reason": _one_line(r.get("priority_reason")), "rule_id": str(r.get("rule_id") or ""),
            "theme": _one_line(r.get("theme")), "theme_en": _one_line(r.get("theme_en") or r.get("theme")),
            "article": _one_line(r.get("article")),
            "related_ids": str(r.get("related_ids") or ""),
            "suppressed": str(r.get("suppressed")) in ("True", "1", "true"),
            "suppression_reason": _one_line(r.get("suppression_reason")),
            **{c: _one_line(r.get(c) or (r.get(_FRENCH.get(c, "")) or "")) for c in LINE_COLUMNS}}


def _joined(values, sep: str) -> str:
    return sep.join(dict.fromkeys(v for v in values if v))


def _item(key, group: pd.DataFrame) -> dict:
    family, document, commune, place, purpose = key
    group = group.sort_values(["instrument_rank", "priority", "text_fr"], kind="mergesort")
    group = group.drop_duplicates("text_fr")  # one instrument line per distinct text
    top = int(group["priority"].min())
    first = group.iloc[0]
    return {
        "family": family, "document": family, "document_id": document, "commune": commune,
        "scope_kind": first["place_kind"], "scope_id": place, "scope_label": first["label_fr"],
        "scope_label_en": first["label_en"], "purpose": purpose,
        "purpose_label": PURPOSE_LABELS["fr"].get(purpose, purpose),
        "purpose_label_en": PURPOSE_LABELS["en"].get(purpose, purpose),
        "theme": _joined(group["theme"], ", "), "theme_en": _joined(group["theme_en"], ", "), "priority": top,
        "priority_reason": _joined(group.loc[group["priority"] == top, "priority_reason"], " ; "),
        "article": _joined(" ; ".join(group["article"]).split(" ; "), " ; "),
        **{c: "\n".join(group[c]) for c in LINE_COLUMNS},
        "rule_id": _joined(",".join(group["rule_id"]).split(","), ","),
        "related_ids": _joined(",".join(group["related_ids"]).split(","), ","),
        "suppressed": bool(group["suppressed"].any()),
        "suppression_reason": _joined(" ; ".join(group["suppression_reason"]).split(" ; "), " ; "),
    }


def group(rule_rows, zones, clusters, public: bool = True) -> pd.DataFrame:
    """The rule rows of ``recommendations.evaluate`` as items, one per place and purpose, in
    the report's order (document family, document, commune, priority, place); columns
    ``ITEM_COLUMNS``."""
    recs = _lower(rule_rows)
    if recs is None or not len(recs):
        return pd.DataFrame(columns=ITEM_COLUMNS)
    c = _lower(clusters)
    site_of_cluster = {}
    if c is not None and "site_zone" in c.columns:
        site_of_cluster = {str(k): str(v) for k, v in zip(c["cluster_id"], c["site_zone"]) if isinstance(v, str) and v}
    rows = recs.to_dict("records")
    z = _lower(zones)
    zone_of = {}
    if z is not None and "zone_id" in z.columns:
        # only the zones the rows act on: a record per zone of the territory cost seconds
        places = {_place(r, site_of_cluster) for r in rows}
        ids = z["zone_id"].astype(str)
        zone_of = {str(r["zone_id"]): r for r in z[ids.isin(places).to_numpy()].to_dict("records")}
    frame = pd.DataFrame([_row(r, zone_of, site_of_cluster) for r in rows])
    keys = ["family", "document_id", "commune", "place", "purpose"]
    items = pd.DataFrame([_item(key, g) for key, g in frame.groupby(keys, sort=False)])
    items["_family"] = items["family"].map({f: i for i, f in enumerate(FAMILY_ORDER)})
    items = items.sort_values(["_family", "document_id", "commune", "priority", "scope_label", "purpose"],
                              kind="mergesort").reset_index(drop=True)
    items["rec_id"] = ["R{:04d}".format(i + 1) for i in range(len(items))]
    items["diffusion"] = conf.PUBLIC_MARK if public else conf.CONFIDENTIAL_MARK
    return items[ITEM_COLUMNS]


def instruments(item: dict, language: str = "fr") -> list:
    """The item's instruments: ``[{"label", "text", "evidence", "source"}]``, one per line."""
    en = language != "fr"
    columns = ("instrument_en" if en else "instrument", "text_en" if en else "text_fr",
               "evidence_en" if en else "evidence", "sources_en" if en and item.get("sources_en") else "sources")
    lines = [str(item.get(c) or "").split("\n") for c in columns]
    count = len(lines[1])
    lines = [part + [""] * (count - len(part)) for part in lines]
    return [{"label": a, "text": t, "evidence": e, "source": s} for a, t, e, s in zip(*lines)]


def build(items, language: str = "fr") -> list:
    """The report's recommendation chapter from the items of ``group`` (the GeoPackage's
    ``recommendations`` layer), in their order: ``[{"family", "title", "communes": [{"name",
    "items": [item]}], "single"}]``; an item is ``{"rec_id", "place", "place_label", "purpose",
    "purpose_label", "priority", "instruments", "suppressed"}``."""
    recs = _lower(items)
    if recs is None or not len(recs) or "purpose" not in recs.columns:
        return []
    en = language != "fr"
    sections = []
    for r in recs.to_dict("records"):
        family, document = str(r.get("document") or ""), _one_line(r.get("document_id"))
        if not sections or (sections[-1]["family"], sections[-1]["document_id"]) != (family, document):
            sections.append({"family": family, "document_id": document, "communes": []})
        communes = sections[-1]["communes"]
        commune = _one_line(r.get("commune"))
        if not communes or communes[-1]["name"] != commune:
            communes.append({"name": commune, "items": []})
        communes[-1]["items"].append({
            "rec_id": str(r.get("rec_id")), "place": str(r.get("scope_id")),
            "place_label": str(r.get("scope_label_en" if en else "scope_label") or r.get("scope_label")),
            "purpose": str(r.get("purpose")),
            "purpose_label": str(r.get("purpose_label_en" if en else "purpose_label")),
            "priority": int(r.get("priority") or 3), "instruments": instruments(r, language),
            "suppressed": str(r.get("suppressed")) in ("True", "1", "true")})
    for section in sections:
        communes, family = section["communes"], section["family"]
        key = "PLU1" if family == "PLU" and len(communes) == 1 and communes[0]["name"] else family
        section["title"] = FAMILY_TITLES[language if language in FAMILY_TITLES else "en"][key].format(
            doc=section["document_id"], commune=communes[0]["name"],
            de_commune=of_commune(communes[0]["name"])).strip()
        section["single"] = len(communes) == 1
    return sections
