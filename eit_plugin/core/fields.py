"""Output schemas: English snake_case names, French and English aliases, types.

One place for every table the plugin writes, so that Processing outputs, the GeoPackage,
styles, the report and the GUI agree. ``type`` is one of ``str``, ``int``, ``float``,
``bool``. Geometry is not a field: point tables carry ``x``/``y`` columns in core, which the
QGIS layer (``eit_plugin.qgis_io``) turns into geometries.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    alias_fr: str
    alias_en: str


def F(name, type_, alias_fr, alias_en=None):  # noqa: N802 - short constructor for tables
    return Field(name, type_, alias_fr, alias_en or name.replace("_", " ").capitalize())


# Accepted spellings of the housing fields, of a housing layer or of the zones (the first found
# wins): one list each, for every reader.
DWELLING_SPELLINGS = ("dwellings", "logements", "nb_logements", "nb_logts", "nb_log", "nblog", "nombre_de_logements",
                      "nombre_logements", "log")
PLANNED_DWELLING_SPELLINGS = ("nb_logements_prevus", "logements_prevus", "planned_dwellings", "nb_logts_prevus")
HEATED_AREA_SPELLINGS = ("heated_area_m2", "surface_chauffee", "surf_chauf", "shab", "surface_habitable", "surf_hab",
                         "floor_area_m2")
HOUSING_HEAT_SPELLINGS = ("housing_heat_demand_mwh", "heat_demand_mwh", "besoin_chaleur_mwh", "heat_mwh", "chaleur_mwh")


def match_names(names, wanted: dict, required=()) -> tuple:
    """Find the columns of a file or the fields of a layer, case-insensitively.

    ``names``: the names present, in order; ``wanted``: ``{canonical: accepted spellings}``.
    Returns ``({canonical: index in names}, [required canonical names not found])``; the first
    accepted spelling present wins, and the first of two names equal but for case. O(n + s)."""
    present = {}
    for index, name in enumerate(names):
        present.setdefault(str(name).lower(), index)
    mapping = {}
    for canonical, spellings in wanted.items():
        for spelling in spellings:
            index = present.get(spelling.lower())
            if index is not None:
                mapping[canonical] = index
                break
    return mapping, [name for name in required if name not in mapping]


ESTABLISHMENT_FIELDS = (
    F("siret", "str", "SIRET", "SIRET"),
    F("name", "str", "Nom", "Name"),
    F("naf", "str", "Code NAF", "NAF code"),
    F("naf_label", "str", "Libellé NAF", "NAF label"),
    F("headcount_band", "str", "Tranche d'effectifs", "Headcount band"),
    F("headcount_est", "float", "Effectif estimé", "Estimated headcount"),
    F("insee_commune", "str", "Code commune INSEE", "INSEE commune code"),
    F("geocode_quality", "str", "Qualité de géolocalisation", "Geocoding quality"),
)

FLOW_FIELDS = (
    F("flow_id", "str", "Identifiant du flux", "Flow id"),
    F("siret", "str", "SIRET", "SIRET"),
    F("name", "str", "Nom de l'établissement", "Establishment name"),
    F("naf", "str", "Code NAF", "NAF code"),
    F("direction", "str", "Sens (ressource/besoin)", "Direction (supply/demand)"),
    F("resource", "str", "Ressource", "Resource"),
    F("family", "str", "Famille", "Family"),
    F("quantity", "float", "Quantité annuelle", "Annual quantity"),
    F("unit", "str", "Unité", "Unit"),
    F("temperature_c", "float", "Température (°C)", "Temperature (°C)"),
    F("ewc_code", "str", "Code déchet (nomenclature européenne)", "List of Waste code"),
    F("origin", "str", "Origine (déclaré/estimé)", "Origin (declared/estimated)"),
    F("confidence", "float", "Indice de confiance (0-1)", "Confidence (0-1)"),
    F("ratio_source", "str", "Source du ratio", "Ratio source"),
)

# The contract's minimum for zones; eit_plugin.core.indicators may add to it.
ZONE_FIELDS = (
    F("n_establishments", "int", "Nombre d'établissements", "Establishments"),
    F("jobs_est", "float", "Emplois estimés", "Estimated jobs"),
    F("heat_demand_mwh", "float", "Besoin de chaleur (MWh/an)", "Heat demand (MWh/yr)"),
    F("heat_supply_mwh", "float", "Chaleur disponible (MWh/an)", "Heat supply (MWh/yr)"),
    F("mixity_index", "float", "Indice de mixité (0-1)", "Mixity index (0-1)"),
    F("eit_potential", "str", "Potentiel EIT", "EIT potential"),
    # Extensions of eit:zoneoverlay (definitions in eit_plugin/core/indicators.py).
    F("zone_id", "str", "Identifiant de zone", "Zone id"),
    F("zone_function", "str", "Fonction dominante", "Dominant function"),
    F("is_future", "bool", "Zone à urbaniser (besoin futur)", "Future zone (AU)"),
    F("area_ha", "float", "Surface (ha)", "Area (ha)"),
    F("n_flows", "int", "Nombre de flux", "Flows"),
    F("n_flows_multi", "int", "Flux situés dans plusieurs zones", "Flows in several zones"),
    F("n_flows_unzoned", "int", "Flux hors zone les plus proches", "Nearest flows outside every zone"),
    F("naf_sections", "int", "Sections NAF distinctes", "Distinct NAF sections"),
    F("activity_balance", "float", "Équilibre habitat/emploi (0-1)", "Housing/jobs balance (0-1)"),
    F("naf_evenness", "float", "Diversité des activités (0-1)", "Activity diversity (0-1)"),
    F("heat_balance_mwh", "float", "Solde chaleur (MWh/an)", "Heat balance (MWh/yr)"),
    F("heat_supply_lt60_mwh", "float", "Chaleur disponible < 60 °C (MWh/an)", "Heat supply < 60 °C (MWh/yr)"),
    F("heat_supply_60_90_mwh", "float", "Chaleur disponible 60-90 °C (MWh/an)", "Heat supply 60-90 °C (MWh/yr)"),
    F("heat_supply_ge90_mwh", "float", "Chaleur disponible ≥ 90 °C (MWh/an)", "Heat supply ≥ 90 °C (MWh/yr)"),
    F("heat_supply_temp_unknown_mwh", "float", "Chaleur disponible, température inconnue (MWh/an)",
      "Heat supply, unknown temperature (MWh/yr)"),
    F("energy_supply_mwh", "float", "Énergie disponible (MWh/an)", "Energy supply (MWh/yr)"),
    F("energy_demand_mwh", "float", "Besoin d'énergie (MWh/an)", "Energy demand (MWh/yr)"),
    F("energy_balance_mwh", "float", "Solde énergie (MWh/an)", "Energy balance (MWh/yr)"),
    F("water_supply_m3", "float", "Eau disponible (m³/an)", "Water supply (m³/yr)"),
    F("water_demand_m3", "float", "Besoin en eau (m³/an)", "Water demand (m³/yr)"),
    F("water_balance_m3", "float", "Solde eau (m³/an)", "Water balance (m³/yr)"),
    F("waste_supply_t", "float", "Déchets produits (t/an)", "Waste supply (t/yr)"),
    F("waste_demand_t", "float", "Déchets recherchés (t/an)", "Waste demand (t/yr)"),
    F("waste_balance_t", "float", "Solde déchets (t/an)", "Waste balance (t/yr)"),
    F("material_supply_t", "float", "Matières disponibles (t/an)", "Material supply (t/yr)"),
    F("material_demand_t", "float", "Besoin en matières (t/an)", "Material demand (t/yr)"),
    F("material_balance_t", "float", "Solde matières (t/an)", "Material balance (t/yr)"),
    F("waste_by_resource", "str", "Déchets par type (t/an)", "Waste by type (t/yr)"),
    F("waste_by_chapter", "str", "Déchets par chapitre de la nomenclature (t/an)", "Waste by List-of-Waste chapter (t/yr)"),
    F("housing_dwellings", "float", "Logements", "Dwellings"),
    F("housing_heat_demand_mwh", "float", "Besoin de chaleur des logements (MWh/an)", "Housing heat demand (MWh/yr)"),
    F("housing_source", "str", "Origine des logements", "Housing source"),
    F("n_internal_matches", "int", "Appariements internes", "Internal matches"),
    F("n_neighbour_matches", "int", "Appariements avec les zones voisines", "Matches with neighbouring zones"),
    F("eit_potential_reason", "str", "Justification du potentiel EIT", "EIT potential reason"),
)

# Commune / EPCI aggregate of the zone overlay (second output of eit:zoneoverlay).
ZONE_COMMUNE_FIELDS = (
    F("level", "str", "Niveau (commune/EPCI)", "Level (commune/EPCI)"),
    F("code", "str", "Code INSEE ou SIREN", "INSEE or SIREN code"),
    F("name", "str", "Nom", "Name"),
    F("epci_siren", "str", "SIREN de l'EPCI", "EPCI SIREN"),
    F("epci_name", "str", "EPCI", "EPCI"),
    F("n_zones", "int", "Nombre de zones", "Zones"),
    *(f for f in ZONE_FIELDS if f.name in (
        "area_ha", "n_flows", "n_flows_multi", "n_flows_unzoned", "n_establishments", "jobs_est", "naf_sections",
        "heat_supply_mwh", "heat_demand_mwh", "heat_balance_mwh", "heat_supply_lt60_mwh", "heat_supply_60_90_mwh",
        "heat_supply_ge90_mwh", "heat_supply_temp_unknown_mwh", "energy_supply_mwh", "energy_demand_mwh",
        "energy_balance_mwh", "water_supply_m3", "water_demand_m3", "water_balance_m3", "waste_supply_t",
        "waste_demand_t", "waste_balance_t", "material_supply_t", "material_demand_t", "material_balance_t",
        "housing_dwellings", "housing_heat_demand_mwh", "mixity_index")),
    F("n_zones_high", "int", "Zones à potentiel EIT élevé", "Zones with high EIT potential"),
    F("n_zones_medium", "int", "Zones à potentiel EIT moyen", "Zones with medium EIT potential"),
    F("n_zones_low", "int", "Zones à potentiel EIT faible", "Zones with low EIT potential"),
    F("zone_ids", "str", "Zones", "Zones"),
)

SYNERGY_FIELDS = (
    F("synergy_id", "str", "Identifiant de la synergie", "Synergy id"),
    F("kind", "str", "Type de synergie", "Synergy kind"),
    F("supply_flow_id", "str", "Flux ressource", "Supply flow id"),
    F("demand_flow_id", "str", "Flux besoin", "Demand flow id"),
    F("supplier_siret", "str", "SIRET fournisseur", "Supplier SIRET"),
    F("receiver_siret", "str", "SIRET receveur", "Receiver SIRET"),
    F("receiver_zone", "str", "Zone receveuse", "Receiver zone"),
    F("resource_supply", "str", "Ressource fournie", "Supplied resource"),
    F("resource_demand", "str", "Besoin couvert", "Demand covered"),
    F("quantity", "float", "Quantité échangée (par an)", "Quantity exchanged (per year)"),
    F("unit", "str", "Unité", "Unit"),
    F("distance_m", "float", "Distance (m)", "Distance (m)"),
    F("distance_kind", "str", "Type de distance", "Distance kind"),
    F("score", "float", "Score", "Score"),
    F("co2_avoided_t", "float", "CO2 évité (t/an)", "CO2 avoided (t/yr)"),
    F("reason", "str", "Justification", "Reason"),
    # Extensions (eit_plugin.core.matching)
    F("family", "str", "Famille de ressource", "Resource family"),
    F("status", "str", "Statut (retenue/alternative)", "Status (allocated/alternative)"),
    F("rank", "int", "Rang (1 = meilleure)", "Rank (1 = best)"),
    F("confidence", "float", "Indice de confiance (0-1)", "Confidence (0-1)"),
    F("is_future", "bool", "Zone à urbaniser (projet futur)", "Future zone (to be urbanised)"),
    F("supplier_name", "str", "Fournisseur", "Supplier"),
    F("receiver_name", "str", "Receveur", "Receiver"),
    F("supplier_zone", "str", "Zone du fournisseur", "Supplier zone"),
    F("quantity_demand", "float", "Besoin couvert (par an, unité du besoin)", "Demand covered (per year, demand unit)"),
    F("unit_demand", "str", "Unité du besoin", "Demand unit"),
    F("supply_temperature_c", "float", "Température de la ressource (°C)", "Supply temperature (°C)"),
    F("demand_temperature_c", "float", "Température du besoin (°C)", "Demand temperature (°C)"),
    F("route_length_m", "float", "Longueur du trajet (m)", "Route length (m)"),
    F("straight_m", "float", "Distance à vol d'oiseau (m)", "Straight-line distance (m)"),
    F("efficiency", "float", "Rendement (unités de besoin par unité de ressource)", "Efficiency (demand units per supply unit)"),
    F("heat_pump_used", "bool", "Pompe à chaleur nécessaire", "Heat pump needed"),
    F("cop", "float", "COP de la pompe à chaleur", "Heat pump COP"),
    F("hp_electricity_mwh", "float", "Électricité de la pompe à chaleur (MWh/an)", "Heat pump electricity (MWh/yr)"),
    F("mwh_recovered", "float", "Énergie récupérée (MWh/an)", "Energy recovered (MWh/yr)"),
    F("tonnes_diverted", "float", "Déchets détournés de l'élimination (t/an)", "Waste diverted from disposal (t/yr)"),
    F("pm10_avoided_kg", "float", "PM10 évitées (kg/an)", "PM10 avoided (kg/yr)"),
    F("nox_avoided_kg", "float", "NOx évités (kg/an)", "NOx avoided (kg/yr)"),
    F("value_eur", "float", "Valeur de la ressource substituée (€/an)", "Value of the resource displaced (EUR/yr)"),
    F("transport_cost_eur", "float", "Coût de transport et de raccordement (€/an)", "Transport and connection cost (EUR/yr)"),
    F("net_benefit_eur", "float", "Bénéfice net (€/an)", "Net benefit (EUR/yr)"),
    F("priority", "int", "Priorité de la règle (1 = réemploi/recyclage)", "Rule priority (1 = reuse/recycling)"),
    F("note", "str", "Remarque", "Note"),
    F("reason_en", "str", "Justification (anglais)", "Reason (English)"),
)

CLUSTER_FIELDS = (
    F("cluster_id", "str", "Identifiant du groupement", "Cluster id"),
    F("kind", "str", "Type (mutualisation/échange)", "Kind (pooling/exchange)"),
    F("resources", "str", "Ressources", "Resources"),
    F("n_members", "int", "Nombre de membres", "Members"),
    F("members", "str", "Membres (SIRET)", "Members (SIRET)"),
    F("total_quantity", "float", "Quantité totale (par an)", "Total quantity (per year)"),
    F("unit", "str", "Unité", "Unit"),
    F("zone_ids", "str", "Zones du PLU concernées", "PLU zones touched"),
    # Extensions (eit_plugin.core.clustering)
    F("group", "str", "Groupe de ressources", "Resource group"),
    F("direction", "str", "Sens (ressource/besoin/échange)", "Direction (supply/demand/exchange)"),
    F("action", "str", "Action de mutualisation (code)", "Pooling action (code)"),
    F("action_fr", "str", "Action de mutualisation", "Pooling action (French)"),
    F("action_en", "str", "Action de mutualisation (anglais)", "Pooling action"),
    F("facility", "str", "Équipement partagé", "Shared facility"),
    F("land_need_m2", "float", "Foncier nécessaire (m²)", "Land needed (m²)"),
    F("truck_km_avoided", "float", "Km-camion évités (par an)", "Truck-km avoided (per year)"),
    F("cost_saving_eur", "float", "Économie estimée (€/an)", "Estimated saving (EUR/yr)"),
    F("co2_avoided_t", "float", "CO2 évité (t/an)", "CO2 avoided (t/yr)"),
    F("savings_basis", "str", "Hypothèses des économies", "Savings assumptions"),
    F("distance_kind", "str", "Type de distance", "Distance kind"),
    F("distance_m", "float", "Distance de voisinage (m)", "Neighbour distance (m)"),
    F("span_m", "float", "Étendue (m)", "Extent (m)"),
    F("n_synergies", "int", "Synergies internes", "Internal synergies"),
    F("quantities", "str", "Quantités par unité", "Quantities per unit"),
    F("site_x", "float", "Site proposé X (L93)", "Suggested site X (L93)"),
    F("site_y", "float", "Site proposé Y (L93)", "Suggested site Y (L93)"),
    F("site_zone", "str", "Zone du site proposé", "Suggested site zone"),
    F("site_kind", "str", "Origine du site proposé", "Suggested site origin"),
    F("site_mean_distance_m", "float", "Distance moyenne pondérée au site (m)", "Weighted mean distance to site (m)"),
    F("median_x", "float", "Point médian X (L93)", "Weighted median X (L93)"),
    F("median_y", "float", "Point médian Y (L93)", "Weighted median Y (L93)"),
    F("site_reason", "str", "Justification du site", "Site reason"),
)

# One row per place and purpose (core.recommendation_sections.group): an item's instruments are
# one per line, in the same order, in instrument(_en), text_fr/_en, evidence(_en) and sources.
RECOMMENDATION_FIELDS = (
    F("rec_id", "str", "Identifiant", "Recommendation id"),
    F("document", "str", "Document de planification (PLU, SCoT, charte)", "Planning document (PLU, SCoT, charter)"),
    F("document_id", "str", "Identifiant du document (IDURBA)", "Document id (IDURBA)"),
    F("commune", "str", "Commune", "Municipality"),
    F("scope_kind", "str", "Type de lieu (zone, parc, groupement, territoire)", "Place kind"),
    F("scope_id", "str", "Lieu concerné", "Place id"),
    F("scope_label", "str", "Lieu concerné (libellé)", "Place (French label)"),
    F("scope_label_en", "str", "Lieu concerné (libellé anglais)", "Place"),
    F("purpose", "str", "Objet (code)", "Purpose code"),
    F("purpose_label", "str", "Objet", "Purpose (French)"),
    F("purpose_label_en", "str", "Objet (anglais)", "Purpose"),
    F("theme", "str", "Thème", "Theme (French)"),
    F("theme_en", "str", "Thème (anglais)", "Theme"),
    F("priority", "int", "Priorité (1 = haute)", "Priority (1 = high)"),
    F("priority_reason", "str", "Condition qui a modifié la priorité", "Condition that moved the priority"),
    F("instrument", "str", "Outils du document (un par ligne)", "Instruments (French, one per line)"),
    F("instrument_en", "str", "Outils du document (anglais)", "Instruments (one per line)"),
    F("article", "str", "Articles du code de l'urbanisme", "Articles of the Code de l'urbanisme"),
    F("text_fr", "str", "Recommandation (une ligne par outil)", "Recommendation (French)"),
    F("text_en", "str", "Recommandation (anglais)", "Recommendation (one line per instrument)"),
    F("evidence", "str", "Éléments chiffrés", "Evidence (French)"),
    F("evidence_en", "str", "Éléments chiffrés (anglais)", "Evidence"),
    F("sources", "str", "Sources des règles", "Rule sources (French)"),
    F("sources_en", "str", "Sources des règles (anglais)", "Rule sources"),
    F("rule_id", "str", "Règle(s) appliquée(s)", "Rule id(s)"),
    F("related_ids", "str", "Identifiants liés (zones, synergies, groupements)", "Related ids"),
    F("suppressed", "bool", "Secret statistique appliqué", "Statistical secret applied"),
    F("suppression_reason", "str", "Motif du secret statistique", "Statistical secret reason"),
    F("diffusion", "str", "Diffusion", "Distribution"),
)


# eit:comparescenarios: indicators per scenario, synergies/clusters gained or lost, changed zones.
# Zone figures compared between the current zoning and a scenario: (column, extensive). A redrawn
# zone takes the share-weighted sum of an extensive figure over the zones it overlaps, else their mean.
ZONE_COMPARED = (
    ("housing_dwellings", True),
    ("housing_heat_demand_mwh", True),
    ("jobs_est", True),
    ("heat_demand_mwh", True),
    ("heat_supply_mwh", True),
    ("mwh_received", True),
    ("heat_delivered_mwh", True),
    ("pm10_avoided_kg", True),
    ("nox_avoided_kg", True),
    ("mixity_index", False),
)

COMPARISON_FIELDS = (
    F("scenario", "str", "Scénario", "Scenario"),
    F("indicator", "str", "Indicateur (code)", "Indicator (code)"),
    F("label_fr", "str", "Indicateur", "Indicator (French)"),
    F("label_en", "str", "Indicateur (anglais)", "Indicator"),
    F("unit", "str", "Unité", "Unit"),
    F("value", "float", "Valeur", "Value"),
    F("current_value", "float", "Valeur du zonage actuel", "Current zoning value"),
    F("difference", "float", "Écart avec le zonage actuel", "Difference with the current zoning"),
    F("difference_pct", "float", "Écart (%)", "Difference (%)"),
    F("better", "int", "Sens de l'écart (1 favorable, -1 défavorable)", "Direction (1 better, -1 worse)"),
)
ITEM_FIELDS = (
    F("scenario", "str", "Scénario", "Scenario"),
    F("item", "str", "Objet (synergie/groupement)", "Item (synergy/cluster)"),
    F("status", "str", "Statut (gagné/perdu/modifié)", "Status (gained/lost/changed)"),
    F("key", "str", "Clé stable", "Stable key"),
    F("label", "str", "Libellé", "Label"),
    F("kind", "str", "Type", "Kind"),
    F("value_current", "float", "Quantité actuelle", "Current quantity"),
    F("value_scenario", "float", "Quantité du scénario", "Scenario quantity"),
    F("difference", "float", "Écart", "Difference"),
)
ZONE_CHANGE_FIELDS = (
    F("scenario", "str", "Scénario", "Scenario"),
    F("zone_id", "str", "Identifiant de zone (scénario)", "Zone id (scenario)"),
    F("libelle", "str", "Libellé", "Label"),
    F("typezone", "str", "Type de zone", "Zone type"),
    F("destdomi", "str", "Destination dominante", "Main use"),
    F("insee", "str", "Commune (INSEE)", "Municipality (INSEE)"),
    F("change_kind", "str", "Nature du changement", "Kind of change"),
    *(F("{}_{}".format(c, s), "float", "{} ({})".format(c, {"current": "actuel", "scenario": "scénario", "diff": "écart"}[s]),
        "{} ({})".format(c, s)) for c, _ in ZONE_COMPARED for s in ("current", "scenario", "diff")),
    F("eit_potential_current", "str", "Potentiel EIT actuel", "Current EIT potential"),
    F("eit_potential_scenario", "str", "Potentiel EIT du scénario", "Scenario EIT potential"),
    F("n_conflicts", "int", "Points de vigilance habitat/activités", "Housing/activity issues"),
    F("conflicts", "str", "Vigilance habitat/activités", "Housing/activity issues (French)"),
    F("summary_fr", "str", "Résumé", "Summary (French)"),
    F("summary_en", "str", "Résumé (anglais)", "Summary"),
)


def names(fields) -> list:
    return [f.name for f in fields]


def by_name(fields) -> dict:
    return {f.name: f for f in fields}
