"""Regenerate the tables of docs/method.md from the reference CSVs and rule files.

docs/method.md is written by hand, except the sections between
``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->``: those are rebuilt here from
``resources/reference/*.csv``, ``resources/rules/*.csv`` and the method's constants, so that
the document a planner reads cannot drift from the tables the plugin uses.

    python -m tools.method_doc            # rewrite the generated sections
    python -m tools.method_doc --check    # exit 1 when a section is stale (the test does this)

A new CSV in resources/reference or resources/rules must get a description in ``FILES``
below (and a mention in the hand-written text: the test checks it).
"""
from __future__ import annotations

import argparse
import collections
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eit_plugin.core import formatting, reference  # noqa: E402

DOC = ROOT / "docs" / "method.md"
REFERENCE = ROOT / "resources" / "reference"
RULES = ROOT / "resources" / "rules"

# What each shipped table is for, in French (the "sources" table of the document).
FILES = {
    "reference/taxonomy.csv": "les ressources : famille, unité, rôle, rayon de recherche, valeur, CO₂ évité",
    "reference/ratios.csv": "les ratios de flux par code NAF (par salarié et fixes), avec leur confiance",
    "reference/naf_labels.csv": "les libellés de la nomenclature NAF rév. 2 (sous-classes, sections, divisions)",
    "reference/ewc.csv": "la liste des déchets (codes déchets européens), liste partielle",
    "reference/profiles.csv": "les profils d'activité d'un même code NAF (four ou broyage, combustible…) et leur part",
    "reference/compatibility.csv": "les règles de compatibilité ressource → besoin (rendement, température, pompe à chaleur, priorité)",
    "reference/emission_factors.csv": "les facteurs d'émission (CO₂, PM10, NOx) des énergies remplacées et du transport",
    "reference/housing_assumptions.csv": "les hypothèses sur les logements (densité, besoin de chaleur)",
    "reference/pooling_actions.csv": "les actions de mutualisation (regroupement des ressources, seuils, économies)",
    "reference/communes_epci.csv": "les communes et leur EPCI (agrégation et repli du secret statistique)",
    "rules/recommendations.csv": "les règles de recommandation pour les documents d'urbanisme",
    "rules/facility_zones.csv": "les zones où un équipement mutualisé peut s'implanter",
    "rules/zone_compatibility.csv": "la compatibilité des activités avec le voisinage des logements (scénarios de zonage)",
}

ASSUMPTION = "assumption"
MARK = re.compile(r"(<!-- generated:(?P<name>[a-z_]+) -->\n)(?P<body>.*?)(<!-- /generated:(?P=name) -->)", re.S)


# --- reading --------------------------------------------------------------------------------------
def rows(name: str) -> list:
    with open(ROOT / "resources" / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def shipped_files() -> list:
    """``reference/x.csv`` and ``rules/y.csv`` names of every shipped table, sorted."""
    return sorted("{}/{}".format(folder.name, p.name) for folder in (REFERENCE, RULES) for p in folder.glob("*.csv"))


# --- cells ----------------------------------------------------------------------------------------
def cell(value) -> str:
    text = "" if value is None else str(value).strip()
    return text.replace("|", "\\|").replace("\n", " ")


def num(value) -> str:
    """A number from a CSV, in French; blank stays blank."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    try:
        number = float(text)
    except ValueError:
        return cell(text)
    return formatting.number(number, 0 if number == int(number) else 3, "fr", strip_zeros=True)


def source(value) -> str:
    text = cell(value)
    return "hypothèse" if text == ASSUMPTION else text


def table(header, body) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


def labels() -> dict:
    return {r["code"]: r["label_fr"] for r in rows("reference/taxonomy.csv")}


# --- sections -------------------------------------------------------------------------------------
FAMILIES_FR = {"heat": "chaleur", "energy": "énergie", "water": "eau", "waste": "déchets", "material": "matières"}
ROLES_FR = {"supply": "ressource", "demand": "besoin", "both": "les deux"}
DIRECTIONS_FR = {"supply": "ressource", "demand": "besoin"}
NAF_LEVELS_FR = {"subclass": "sous-classe", "class": "classe", "group": "groupe", "division": "division"}


def section_taxonomy() -> str:
    body = []
    for r in sorted(rows("reference/taxonomy.csv"), key=lambda r: (list(FAMILIES_FR).index(r["family"]), r["code"])):
        radius = float(r["max_distance_m"] or 0) / 1000.0
        body.append([cell(r["label_fr"]), "`{}`".format(r["code"]), FAMILIES_FR.get(r["family"], r["family"]),
                     ROLES_FR.get(r["role"], r["role"]), formatting.unit_label(r["unit"]),
                     formatting.number(radius, 1, "fr", strip_zeros=True), num(r["value_eur_per_unit"]),
                     num(r["co2_kg_per_unit_substituted"]), source(r["source"])])
    return table(["ressource", "code", "famille", "rôle", "unité", "rayon (km)", "valeur (€/unité)",
                  "CO₂ évité (kg/unité)", "source"], body)


def section_ratios() -> str:
    data = rows("reference/ratios.csv")
    family = {r["code"]: r["family"] for r in rows("reference/taxonomy.csv")}
    groups = collections.defaultdict(list)
    for r in data:
        groups[(family.get(r["resource"], "?"), r["direction"])].append(r)
    body = []
    for (fam, direction), items in sorted(groups.items(), key=lambda kv: (list(FAMILIES_FR).index(kv[0][0])
                                                                          if kv[0][0] in FAMILIES_FR else 9, kv[0][1])):
        cancels = [float(r["quantity_per_employee"] or 0) == 0 and float(r["quantity_fixed"] or 0) == 0
                   for r in items]
        cancelling = sum(cancels)
        # A cancelling row's confidence is about the absence of a flow, not a quantity.
        conf = sorted(float(r["confidence"]) for r, c in zip(items, cancels) if not c) or [float("nan")]
        body.append([FAMILIES_FR.get(fam, fam), DIRECTIONS_FR.get(direction, direction), str(len(items)),
                     str(len({r["naf"] for r in items})), str(cancelling),
                     "{} – {}".format(num(conf[0]), num(conf[-1])),
                     str(sum(1 for r in items if r["source"] != ASSUMPTION))])
    levels = collections.Counter(NAF_LEVELS_FR.get(reference.naf_level(reference.normalise_naf(r["naf"]) or ""), "?")
                                 for r in data)
    cited = collections.Counter(r["source"] for r in data if r["source"] != ASSUMPTION)
    text = [table(["famille", "sens", "lignes", "codes NAF", "lignes d'annulation", "confiance des estimations",
                   "lignes sourcées"], body), "",
            "Niveaux NAF des {} lignes : {}.".format(len(data), ", ".join(
                "{} : {}".format(k, levels[k]) for k in ("sous-classe", "classe", "groupe", "division") if levels[k])),
            "Lignes marquées « hypothèse » : {} ; sources publiées citées :".format(
                sum(1 for r in data if r["source"] == ASSUMPTION)), ""]
    text += ["- {} ({} ligne{})".format(cell(s), n, "s" if n > 1 else "") for s, n in sorted(cited.items())]
    return "\n".join(text)


def section_compatibility() -> str:
    lab = labels()
    kinds = {"substitution": "substitution", "heat_recovery": "récupération de chaleur", "cascade": "cascade"}
    body = []
    for r in sorted(rows("reference/compatibility.csv"), key=lambda r: (int(r["priority"]), r["supply_resource"],
                                                                         r["demand_resource"])):
        body.append(["{} → {}".format(cell(lab.get(r["supply_resource"], r["supply_resource"])),
                                      cell(lab.get(r["demand_resource"], r["demand_resource"]))),
                     kinds.get(r["kind"], r["kind"]), num(r["efficiency"]), num(r["min_temp_margin_k"]),
                     num(r["min_supply_temp_c"]), "oui" if r["heat_pump"].strip() == "1" else "non",
                     r["priority"], source(r["source"])])
    return table(["ressource → besoin", "type", "rendement", "marge de température (K)", "température mini (°C)",
                  "pompe à chaleur", "priorité", "source"], body)


def section_emission_factors() -> str:
    body = [["`{}`".format(r["code"]), cell(r["unit"]), num(r["co2_kg"]), num(r["pm10_g"]), num(r["nox_g"]),
             source(r["source"])] for r in rows("reference/emission_factors.csv")]
    return table(["facteur", "par", "CO₂ (kg)", "PM10 (g)", "NOx (g)", "source"], body)


def section_housing() -> str:
    body = [[cell(r["parameter"]), cell(r["zone_class"]), cell(r["period"]), num(r["value"]), cell(r["unit"]),
             source(r["source"])] for r in rows("reference/housing_assumptions.csv")]
    return table(["paramètre", "classe de zone", "période", "valeur", "unité", "source"], body)


def section_pooling() -> str:
    lab = labels()
    body = []
    for r in rows("reference/pooling_actions.csv"):
        resources = ", ".join(lab.get(c, c) for c in r["resources"].split())
        body.append([cell(r["label_fr"]), DIRECTIONS_FR.get(r["direction"], r["direction"]), cell(resources),
                     num(r["min_total_quantity"]), num(float(r["max_span_m"] or 0) / 1000.0),
                     num(r["max_member_quantity"]), num(r["land_m2"]), num(r["truck_km_per_member_yr"]),
                     num(r["eur_per_unit"]), source(r["source"])])
    return table(["action", "sens", "ressources regroupées", "total minimal", "étendue maxi (km)",
                  "plafond par membre", "foncier (m²)", "km-camion évités/membre/an", "€ économisés/unité",
                  "source"], body)


def section_facility_zones() -> str:
    decisions = {"allow": "autorise", "forbid": "interdit"}
    body = [[r["rule_id"], cell(r["facility"]).replace("*", "tous"), "{} {} `{}`".format(r["field"], r["match"],
                                                                                           cell(r["value"])),
             decisions.get(r["decision"], r["decision"]), cell(r["label_fr"]), source(r["source"])]
            for r in rows("rules/facility_zones.csv")]
    return table(["règle", "équipement", "condition sur la zone", "décision", "libellé", "source"], body)


def section_recommendations() -> str:
    def moves(r):
        up, down = r.get("priority_up", ""), r.get("priority_down", "")
        return "<br>".join(x for x in ("1 cran plus haute si `{}`".format(cell(up)) if up else "",
                                       "1 cran plus basse si `{}`".format(cell(down)) if down else "") if x) or "—"

    body = [[r["id"], cell(r["document"]), cell(r["instrument"]), cell(r["theme"]), cell(r["scope_kind"]),
             r["priority"], moves(r), "`{}`".format(cell(r["condition"])), source(r["source"])]
            for r in rows("rules/recommendations.csv")]
    return table(["règle", "document", "outil", "thème", "portée", "priorité", "priorité modulée", "condition",
                  "source"], body)


def section_zone_compatibility() -> str:
    verdict = {"allowed": "admise", "conditional": "sous conditions", "forbidden": "interdite"}
    body = [[cell(r["code"]), cell(r["level"]), cell(r["label_fr"]), verdict.get(r["next_to_housing"],
                                                                                  r["next_to_housing"]),
             num(r["buffer_m"]), source(r["source"])] for r in rows("rules/zone_compatibility.csv")]
    return table(["code NAF", "niveau", "activité", "à côté de logements", "distance (m)", "source"], body)


def section_constants() -> str:
    from eit_plugin.core import clustering, confidentiality, matching, protection_cells

    pipe = matching.PIPE_COST_EUR_PER_M
    winter = matching.DEMAND_WINTER_SHARE
    body = [
        ["secret statistique : établissements minimum par chiffre publié",
         str(confidentiality.MIN_CONTRIBUTORS)],
        ["secret statistique : part maximale d'un établissement", formatting.percent(confidentiality.MAX_SHARE)],
        ["détour (distance par la route ÷ distance à vol d'oiseau, sans réseau)",
         formatting.number(matching.DETOUR_FACTOR, 1, "fr")],
        ["coût d'une canalisation neuve, chaleur / énergie / eau (€/m)",
         " / ".join(formatting.number(pipe[k], 0, "fr") for k in ("heat", "energy", "water"))],
        ["part hivernale (octobre–avril) d'une source de chaleur constante",
         formatting.percent(matching.FLAT_SUPPLY_WINTER_SHARE)],
        ["part hivernale du besoin de chauffage des locaux", formatting.percent(winter["space_heating"])],
        ["pompe à chaleur : rendement par rapport à Carnot ; COP minimal",
         "{} ; {}".format(formatting.number(matching.HP_CARNOT_EFFICIENCY, 2, "fr", strip_zeros=True),
                          formatting.number(matching.HP_MIN_COP, 1, "fr", strip_zeros=True))],
        ["température du chauffage des logements (°C)", formatting.number(matching.HOUSING_TEMPERATURE_C, 0, "fr")],
        ["synergies : partenaires les plus proches gardés par flux et par règle", str(matching.MAX_CANDIDATES)],
        ["zone tampon autour d'un groupement (m)", formatting.number(clustering.DEFAULT_BUFFER_M, 0, "fr")],
        ["géométrie publique : rayon où un sommet doit voir 0 ou au moins 3 établissements ; écart minimal (m)",
         "{} ; {}".format(formatting.number(protection_cells.CLEARANCE_M, 0, "fr"),
                          formatting.number(protection_cells.MIN_GAP_M, 0, "fr"))],
    ]
    return table(["paramètre de la méthode", "valeur"], body)


def section_sources() -> str:
    body = []
    for name in shipped_files():
        if name not in FILES:
            raise SystemExit("{} has no description: add it to FILES in tools/method_doc.py".format(name))
        data = rows(name)
        sourced = sum(1 for r in data if r.get("source", "").strip() not in ("", ASSUMPTION))
        assumed = sum(1 for r in data if r.get("source", "").strip() == ASSUMPTION)
        body.append(["`resources/{}`".format(name), FILES[name], str(len(data)), str(sourced), str(assumed)])
    missing = sorted(set(FILES) - set(shipped_files()))
    if missing:
        raise SystemExit("described but not shipped: {}".format(", ".join(missing)))
    return table(["fichier", "contenu", "lignes", "lignes sourcées", "hypothèses"], body)


SECTIONS = {
    "taxonomy": section_taxonomy,
    "ratios": section_ratios,
    "compatibility": section_compatibility,
    "emission_factors": section_emission_factors,
    "housing": section_housing,
    "pooling": section_pooling,
    "facility_zones": section_facility_zones,
    "recommendations": section_recommendations,
    "zone_compatibility": section_zone_compatibility,
    "constants": section_constants,
    "sources": section_sources,
}


# --- the document ---------------------------------------------------------------------------------
def render(text: str) -> str:
    """``text`` with every generated section rebuilt; unknown or missing sections are errors."""
    found = set()

    def replace(match):
        name = match.group("name")
        if name not in SECTIONS:
            raise SystemExit("docs/method.md: unknown generated section '{}'".format(name))
        found.add(name)
        return "{}{}\n{}".format(match.group(1), SECTIONS[name](), match.group(4))

    out = MARK.sub(replace, text)
    missing = sorted(set(SECTIONS) - found)
    if missing:
        raise SystemExit("docs/method.md lacks the generated section(s): {}".format(", ".join(missing)))
    return out


def hand_written(text: str) -> str:
    """The document without its generated sections."""
    return MARK.sub(lambda m: m.group(1) + m.group(4), text)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/method.md is stale")
    args = parser.parse_args(argv)
    current = DOC.read_text(encoding="utf-8")
    fresh = render(current)
    if args.check:
        if fresh != current:
            print("docs/method.md is stale: run python -m tools.method_doc")
            return 1
        return 0
    if fresh != current:
        DOC.write_text(fresh, encoding="utf-8")
        print("docs/method.md: generated sections rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
