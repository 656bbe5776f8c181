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
)

RECOMMENDATION_FIELDS = (
    F("rec_id", "str", "Identifiant", "Recommendation id"),
    F("document", "str", "Document de planification", "Planning document"),
    F("scope_id", "str", "Objet concerné", "Scope id"),
    F("theme", "str", "Thème", "Theme"),
    F("priority", "int", "Priorité (1 = haute)", "Priority (1 = high)"),
    F("text_fr", "str", "Recommandation", "Recommendation (French)"),
    F("text_en", "str", "Recommandation (anglais)", "Recommendation"),
    F("evidence", "str", "Éléments chiffrés", "Evidence"),
    F("suppressed", "bool", "Secret statistique appliqué", "Statistical secret applied"),
)


def names(fields) -> list:
    return [f.name for f in fields]


def by_name(fields) -> dict:
    return {f.name: f for f in fields}
