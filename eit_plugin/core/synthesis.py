"""The report's synthesis, in sentences, for elected officials and planners.

Five short sections — what the analysis shows, where sharing works, the best opportunities,
which documents to change and how, what is uncertain — written from the run's summary table
(``core.ledger``: the same figures as the key-figures table, the GeoPackage and the dock)
and from the published tables (zones, synergies, clusters, recommendations). Every figure is
a potential; a figure withheld by the statistical secret is said to be so.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import formatting as fmt
from . import ledger

CONFIDENCE_WORDS = {"fr": ((0.75, "bonne"), (0.55, "moyenne"), (0.0, "faible")),
                    "en": ((0.75, "good"), (0.55, "medium"), (0.0, "low"))}


def _value(figures, key):
    value = figures.get(key)
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _n(value, language, decimals=0) -> str:
    return fmt.number(value, decimals, language) if value is not None else ("n.d." if language == "fr" else "n/a")


def _q(value, language) -> str:
    """A headline quantity: two significant figures (an estimate, not an account)."""
    if value is None:
        return "n.d." if language == "fr" else "n/a"
    return fmt.number(fmt.significant(float(value), 2), 0, language)


def confidence_word(value, language="fr") -> str:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return "?"
    return next(word for floor, word in CONFIDENCE_WORDS[language] if value >= floor)


def best_first(frame, score: str, key: str, limit: int):
    """The first ``limit`` rows of ``frame`` sorted by ``score`` descending then ``key``, rows
    without a score last by ``key`` (a public layer withholds every score: its ids, numbered by
    score rank, keep the order). Same rows and order as the full stable sort, without sorting
    every row by both: the rows scoring at least the ``limit``-th best are picked in O(n) and
    sorted, O(limit log limit); rows without a score are needed, and sorted by ``key``, only
    when fewer than ``limit`` have one."""
    scores = pd.to_numeric(frame[score], errors="coerce").to_numpy(dtype=float)
    known = np.flatnonzero(~np.isnan(scores))
    if len(known) > limit:
        threshold = np.partition(scores[known], len(known) - limit)[len(known) - limit]
        known = known[scores[known] >= threshold]
    keys = frame[key].to_numpy()
    order = sorted(known.tolist(), key=lambda i: (-scores[i], keys[i]))[:limit]
    if len(order) < limit:
        missing = np.flatnonzero(np.isnan(scores))
        by_key = pd.Series(keys[missing]).sort_values(kind="mergesort").index.to_numpy()
        order += missing[by_key[:limit - len(order)]].tolist()
    return frame.iloc[order]


def _lower(frame):
    if frame is None:
        return None
    out = frame.rename(columns={c: c.lower() for c in frame.columns})
    return out.loc[:, ~out.columns.duplicated()]


def overview(figures: dict, territory: str, language: str = "fr") -> list:
    """What the analysis shows: the headline potentials, each counted once."""
    f = {k: _value(figures, k) for k in figures}
    co2, co2_s, co2_p = f.get("co2_avoided_t"), f.get("co2_synergies_t"), f.get("co2_pooling_t")
    waste, produced = f.get("tonnes_diverted"), f.get("waste_produced_t")
    share = (waste / produced) if waste is not None and produced else None
    n_syn = f.get("count_synergies") or 0
    if language == "fr":
        first = ("L'analyse porte sur {} établissements actifs{} et {} flux de ressources et de besoins, estimés "
                 "d'après l'activité et l'effectif ou déclarés par les entreprises ({} déclarés). Elle identifie {} "
                 "synergies possibles, entre entreprises et avec les logements, et {} groupements de mutualisation."
                 ).format(_n(f.get("count_establishments"), "fr"), " de " + territory if territory else "",
                          _n(f.get("count_flows"), "fr"), _n(f.get("count_flows_declared") or 0, "fr"),
                          _n(n_syn, "fr"), _n(f.get("count_pooling_clusters") or 0, "fr"))
        second = ("Si toutes ces pistes étaient mises en œuvre, elles pourraient éviter environ {} t de CO₂ par an "
                  "({} t par les synergies, {} t par la mutualisation ; chaque tonne n'est comptée qu'une fois), "
                  "récupérer {} MWh d'énergie par an et valoriser {} t de déchets par an{}."
                  ).format(_q(co2, "fr"), _q(co2_s, "fr"), _q(co2_p, "fr"), _q(f.get("mwh_recovered"), "fr"),
                           _q(waste, "fr"),
                           ", soit {} des {} t de déchets estimés sur le territoire".format(
                               fmt.percent(share, 0, "fr"), _q(produced, "fr")) if share is not None else "")
        third = ("Ce sont des potentiels, pas des résultats : chaque piste est à confirmer avec les entreprises "
                 "(quantités, qualité, calendrier, réglementation). Les équipements partagés demanderaient environ "
                 "{} m² de foncier.").format(_q(f.get("land_need_m2"), "fr"))
        if any(v is None for v in (co2, co2_s, co2_p, waste)):
            third += (" Certains totaux ne sont pas publiés (secret statistique : moins de 3 établissements "
                      "ou l'un d'eux au-delà de 85 %).")
        return [first, second, third]
    first = ("The analysis covers {} active establishments{} and {} supply and demand flows, estimated from activity "
             "and headcount or declared by firms ({} declared). It finds {} possible synergies, between firms and with "
             "housing, and {} pooling clusters.").format(
        _n(f.get("count_establishments"), "en"), " of " + territory if territory else "", _n(f.get("count_flows"), "en"),
        _n(f.get("count_flows_declared") or 0, "en"), _n(n_syn, "en"), _n(f.get("count_pooling_clusters") or 0, "en"))
    second = ("If all were implemented they could avoid about {} t of CO₂ a year ({} t by synergies, {} t by pooling; "
              "each tonne counted once), recover {} MWh of energy a year and recover {} t of waste a year{}.").format(
        _q(co2, "en"), _q(co2_s, "en"), _q(co2_p, "en"), _q(f.get("mwh_recovered"), "en"), _q(waste, "en"),
        ", i.e. {} of the {} t of waste estimated on the territory".format(fmt.percent(share, 0, "en"), _q(produced, "en"))
        if share is not None else "")
    third = ("These are potentials, not results: each lead must be confirmed with the firms (quantities, quality, "
             "timing, regulations). Shared facilities would need about {} m² of land.").format(
        _q(f.get("land_need_m2"), "en"))
    return [first, second, third]


def where_it_works(zones, commune_name, zone_reference, language: str = "fr") -> list:
    """The communes and zones where supplies and demands meet."""
    z = _lower(zones)
    if z is None or not len(z) or "eit_potential" not in z.columns:
        return []
    def column(name):
        return pd.to_numeric(z[name], errors="coerce").fillna(0) if name in z.columns else pd.Series(0.0, index=z.index)

    z = z.assign(_insee=z["insee"].astype(str) if "insee" in z.columns else "",
                 _matches=column("n_internal_matches") + column("n_neighbour_matches"))
    high = z[z["eit_potential"].astype(str) == "high"]
    by_commune = high.groupby("_insee").size().sort_values(ascending=False, kind="mergesort")
    top_communes = [(commune_name(c), int(n)) for c, n in by_commune.head(3).items()]
    best = z[z["eit_potential"].astype(str).isin(["high", "medium"])].sort_values(
        ["_matches", "zone_id"], ascending=[False, True], kind="mergesort").head(3)
    zones_text = [zone_reference(r, language) for r in best.to_dict("records")]
    if language == "fr":
        text = ("Le partage fonctionne d'abord dans les zones d'activités où producteurs et utilisateurs de ressources "
                "sont voisins : {} zones ont un potentiel élevé sur {}.").format(_n(len(high), "fr"), _n(len(z), "fr"))
        if top_communes:
            text += " Elles se trouvent surtout à " + ", ".join(
                "{} ({} zones)".format(name, n) if n > 1 else "{} (1 zone)".format(name) for name, n in top_communes) + "."
        if zones_text:
            text += " Les zones qui réunissent le plus de rapprochements possibles sont " + " ; ".join(zones_text) + "."
        return [text]
    text = ("Sharing works first in business zones where producers and users of resources are neighbours: {} of {} "
            "zones have a high potential.").format(_n(len(high), "en"), _n(len(z), "en"))
    if top_communes:
        text += " They are mostly in " + ", ".join("{} ({})".format(name, n) for name, n in top_communes) + "."
    if zones_text:
        text += " The zones with the most possible matches are " + "; ".join(zones_text) + "."
    return [text]


def best_opportunities(synergies, clusters, commune_of_zone, language: str = "fr", top: int = 5) -> list:
    """The best-scored synergies and the largest pooling actions, with figures and confidence."""
    items = []
    s = _lower(synergies)
    if s is not None and len(s):
        s = best_first(s, "score", "synergy_id", top)
        for r in s.to_dict("records"):
            # public tables hold reasons composed by the protection step in both languages
            reason = r.get("reason_en") if language == "en" and r.get("reason_en") else r.get("reason")
            reason = str(reason or "").rstrip(".")
            co2 = pd.to_numeric(pd.Series([r.get("co2_avoided_t")]), errors="coerce").iloc[0]
            if language == "fr":
                figure = ("CO₂ qui pourrait être évité : {} t/an".format(_q(co2, "fr")) if pd.notna(co2)
                          else "CO₂ non publié (secret statistique)")
                items.append("{} — {} ; confiance {} ({}).".format(
                    reason, figure, confidence_word(r.get("confidence"), "fr"), fmt.number(r.get("confidence"), 2, "fr")))
            else:
                figure = ("CO₂ that could be avoided: {} t/yr".format(_q(co2, "en")) if pd.notna(co2)
                          else "CO₂ withheld (statistical secret)")
                items.append("{} — {}; confidence {} ({}).".format(
                    reason, figure, confidence_word(r.get("confidence"), "en"), fmt.number(r.get("confidence"), 2, "en")))
    c = _lower(clusters)
    if c is not None and len(c) and "kind" in c.columns:
        pool = c[c["kind"].astype(str) == "pooling"].copy()
        pool["_tk"] = _numeric(pool, "truck_km_avoided").fillna(0)
        pool["_n"] = _numeric(pool, "n_members").fillna(0)
        pool = pool.sort_values(["_n", "_tk", "cluster_id"], ascending=[False, False, True], kind="mergesort").head(3)
        for r in pool.to_dict("records"):
            where = commune_of_zone(r.get("site_zone"))
            action = r.get("action_fr") if language == "fr" else r.get("action_en")
            co2 = _numeric(pd.DataFrame([r]), "co2_avoided_t").iloc[0]
            if language == "fr":
                gain = ("{} km de trajets de camion par an pourraient être évités".format(_q(r["_tk"], "fr")) if r["_tk"] > 0
                        else "{} t de CO₂ par an pourraient être évitées".format(_q(co2, "fr")) if pd.notna(co2)
                        else "gain non publié (secret statistique)")
                items.append("{} pour {} établissements{} : {}.".format(
                    action, _n(r["_n"], "fr"), " à " + where if where else "", gain))
            else:
                gain = ("{} truck-km a year could be avoided".format(_q(r["_tk"], "en")) if r["_tk"] > 0
                        else "{} t of CO₂ a year could be avoided".format(_q(co2, "en")) if pd.notna(co2)
                        else "gain withheld (statistical secret)")
                items.append("{} for {} establishments{}: {}.".format(
                    action, _n(r["_n"], "en"), " in " + where if where else "", gain))
    return items


def documents_to_change(sections: list, figures: dict, language: str = "fr") -> list:
    """One sentence per kind of document, from the consolidated recommendation sections."""
    out = []
    plu = [s for s in sections if s["family"] == "PLU"]
    scot = [s for s in sections if s["family"] == "SCoT"]
    charter = [s for s in sections if s["family"] == "charte"]

    def count(groups, purpose=None):
        return sum(1 for g in groups for c in g["communes"] for i in c["items"] if purpose is None or i["purpose"] == purpose)

    land = _value(figures, "land_need_m2")
    if plu:
        if language == "fr":
            out.append(("Les PLU de {} communes sont concernés ({} points) : autoriser dans le règlement les équipements "
                        "partagés et les ouvrages de chaleur là où ils sont proposés, les localiser par des OAP, réserver "
                        "leur foncier par des emplacements réservés lorsque la collectivité les porte ({} points sur des "
                        "équipements partagés), et prévoir les corridors de réseau de chaleur vers les logements ({} points)."
                        ).format(sum(len(g["communes"]) for g in plu), count(plu), count(plu, "facility"),
                                 count(plu, "heat")))
        else:
            out.append(("The local plans (PLU) of {} communes are concerned ({} points): allow shared facilities and heat "
                        "works in the zoning rules where they are proposed, locate them in OAPs, reserve their land where a "
                        "public body runs them ({} points on shared facilities), and plan heat-network corridors to "
                        "housing ({} points).").format(sum(len(g["communes"]) for g in plu), count(plu),
                                                       count(plu, "facility"), count(plu, "heat")))
    if scot:
        if language == "fr":
            out.append(("Le SCoT (document d'orientation et d'objectifs) pourrait désigner {} sites prioritaires "
                        "d'écologie industrielle et fixer des orientations sur la chaleur récupérée, la qualité de l'air "
                        "et le foncier des équipements partagés (environ {} m²).").format(
                count(scot, "park"), _q(land, "fr")))
        else:
            out.append(("The regional plan (SCoT, DOO) could designate {} priority industrial-ecology sites and set "
                        "orientations on recovered heat, air quality and land for shared facilities (about {} m²)."
                        ).format(count(scot, "park"), _q(land, "en")))
    if charter:
        if language == "fr":
            out.append(("Les chartes de {} parcs d'activités pourraient organiser la collecte mutualisée, les utilités "
                        "partagées et l'animation des échanges entre entreprises.").format(count(charter)))
        else:
            out.append(("The charters of {} business parks could organise pooled collection, shared utilities and the "
                        "coordination of exchanges between firms.").format(count(charter)))
    return out


def uncertainties(figures: dict, synergies, public: bool, language: str = "fr") -> list:
    """What a reader must keep in mind before quoting a figure."""
    f = figures
    flows, declared = _value(f, "count_flows") or 0, _value(f, "count_flows_declared") or 0
    share = declared / flows if flows else 0.0
    s = _lower(synergies)
    conf = _numeric(s, "confidence").mean() if s is not None and "confidence" in s.columns else None
    overlap = _value(f, "co2_pooling_overlap_t")
    withheld = [k for k, v in f.items() if v is None]
    if language == "fr":
        out = [("{} des flux seulement sont déclarés par les entreprises ; les autres sont estimés par des ratios par "
                "activité et effectif, souvent des hypothèses d'expert : les quantités sont des ordres de grandeur. "
                "La confiance moyenne des synergies est {} ({}).").format(
            fmt.percent(share, 0, "fr"), confidence_word(conf, "fr"), fmt.number(conf, 2, "fr"))]
        out.append("Les distances sont mesurées par la voirie quand elle est fournie, sinon à vol d'oiseau avec un facteur "
                   "de détour ; les facteurs d'émission et les économies de la mutualisation sont des hypothèses "
                   "documentées dans les tables de référence.")
        if overlap:
            out.append("Une partie du gain des chaufferies partagées ({} t de CO₂ par an) porte sur des besoins déjà "
                       "couverts par de la chaleur récupérée : elle n'est pas comptée.".format(_q(overlap, "fr")))
        if public and withheld:
            out.append("{} chiffres du tableau de synthèse ne sont pas publiés (secret statistique).".format(len(withheld)))
        return out
    out = [("Only {} of the flows are declared by firms; the others are estimated from ratios per activity and headcount, "
            "often expert assumptions: quantities are orders of magnitude. The mean confidence of the synergies is {} "
            "({}).").format(fmt.percent(share, 0, "en"), confidence_word(conf, "en"), fmt.number(conf, 2, "en"))]
    out.append("Distances follow the road network when given, else straight lines with a detour factor; emission factors "
               "and pooling savings are assumptions documented in the reference tables.")
    if overlap:
        out.append("Part of the saving of shared boilers ({} t CO₂/yr) is on demand already covered by recovered heat: "
                   "it is not counted.".format(_q(overlap, "en")))
    if public and withheld:
        out.append("{} figures of the summary table are withheld (statistical secret).".format(len(withheld)))
    return out


def build(summary, tables: dict, sections: list, territory: str, public: bool, language: str,
          commune_name, zone_reference, commune_of_zone) -> list:
    """The synthesis: ``[{"title", "paragraphs", "items"}]``."""
    figures = ledger.figures(summary)
    fr = language == "fr"
    return [
        {"title": "Ce que montre l'analyse" if fr else "What the analysis shows",
         "paragraphs": overview(figures, territory, language), "items": []},
        {"title": "Où le partage fonctionne" if fr else "Where sharing works",
         "paragraphs": where_it_works(tables.get("zones"), commune_name, zone_reference, language), "items": []},
        {"title": "Les meilleures pistes" if fr else "The best opportunities", "paragraphs": [],
         "items": best_opportunities(tables.get("synergies"), tables.get("clusters"), commune_of_zone, language)},
        {"title": "Les documents à faire évoluer" if fr else "Documents to change",
         "paragraphs": documents_to_change(sections, figures, language), "items": []},
        {"title": "Ce qui reste incertain" if fr else "What is uncertain",
         "paragraphs": uncertainties(figures, tables.get("synergies"), public, language), "items": []},
    ]


def _numeric(frame, column):
    """A numeric column (NaN where absent or not a number)."""
    if frame is None or column not in frame.columns:
        return pd.Series(float("nan"), index=getattr(frame, "index", None), dtype="float64")
    return pd.to_numeric(frame[column], errors="coerce")
