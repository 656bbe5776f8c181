"""Legend texts of the output styles, in French and English, in one place.

The .qml files (``tools/build_styles.py``) and the styles stored in the GeoPackages carry the
French texts; :func:`translate_legend` shows the English ones when QGIS is not in French.
Map labels choose their language themselves (``@qgis_locale`` in the label expression).
"""
from __future__ import annotations

# key → (French, English)
LEGEND = {
    "family:heat": ("Chaleur", "Heat"),
    "family:energy": ("Énergie", "Energy"),
    "family:water": ("Eau", "Water"),
    "family:waste": ("Déchets", "Waste"),
    "family:material": ("Matières", "Materials"),
    "other": ("Autre", "Other"),
    "band:strong": ("Les 50 synergies les mieux classées : à toutes les échelles",
                    "The 50 best-ranked synergies: at every scale"),
    "band:medium": ("Rangs 51 à 200 : à partir du 1:100 000", "Ranks 51 to 200: from 1:100,000"),
    "band:weak": ("Au-delà du rang 200 : à partir du 1:25 000", "Beyond rank 200: from 1:25,000"),
    "potential:high": ("Potentiel EIT élevé", "High EIT potential"),
    "potential:medium": ("Potentiel EIT moyen", "Medium EIT potential"),
    "potential:low": ("Potentiel EIT faible", "Low EIT potential"),
    "potential:none": ("Pas de potentiel identifié", "No potential found"),
    "potential:other": ("Potentiel non calculé", "Potential not computed"),
    "cnig:U": ("U : zone urbaine", "U: urban zone"),
    "cnig:AUc": ("AUc : à urbaniser (ouverte)", "AUc: to be urbanised (open)"),
    "cnig:AUs": ("AUs : à urbaniser (stricte)", "AUs: to be urbanised (strict)"),
    "cnig:A": ("A : agricole", "A: agricultural"),
    "cnig:N": ("N : naturelle et forestière", "N: natural and forest"),
    "cnig:other": ("Autre type de zone", "Other zone type"),
    "cluster:pooling": ("Mutualisation (collecte ou équipement partagé) : à partir du 1:150 000",
                        "Pooling (shared collection or facility): from 1:150,000"),
    "cluster:exchange": ("Réseau d'échanges (à partir du 1:100 000)", "Exchange network (from 1:100,000)"),
    "communes:commune": ("Commune", "Commune"),
    "communes:epci": ("EPCI", "EPCI"),
    "flows:supply": ("Offre (disponible)", "Supply (available)"),
    "priority:1": ("Priorité 1 (haute)", "Priority 1 (high)"),
    "priority:2": ("Priorité 2", "Priority 2"),
    "priority:3": ("Priorité 3", "Priority 3"),
    "alternative": ("Synergie alternative", "Alternative synergy"),
    "establishment": ("Établissement", "Establishment"),
}


def fr(key: str) -> str:
    return LEGEND[key][0]


def _english() -> dict:
    return {french: english for french, english in LEGEND.values()}


def translate_legend(layer, french: bool) -> int:
    """Give ``layer``'s legend entries the user's language; return how many changed."""
    if french or layer is None or layer.renderer() is None:
        return 0
    english = _english()
    renderer = layer.renderer()
    changed = 0
    kind = renderer.type()
    if kind == "categorizedSymbol":
        for index, category in enumerate(renderer.categories()):
            if category.label() in english:
                renderer.updateCategoryLabel(index, english[category.label()])
                changed += 1
    elif kind == "RuleRenderer":
        for rule in renderer.rootRule().descendants():
            if rule.label() in english:
                rule.setLabel(english[rule.label()])
                changed += 1
    elif kind == "graduatedSymbol":
        for index, item in enumerate(renderer.ranges()):
            if item.label() in english:
                renderer.updateRangeLabel(index, english[item.label()])
                changed += 1
    return changed
