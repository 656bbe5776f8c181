"""The public contract in one place: parameter names, defaults and descriptions; output
layers with their titles, schemas, styles and whether they may be published.

Algorithms, the full-analysis chain, the dock, the model builder and the tests read names
and defaults from here, so that a default or a name changes in one place. Output schemas
stay in ``core.fields`` (one tuple per table); this module says which schema each output
layer has.

Descriptions are English sources for ``tr()``: ``tr(POOLING_DISTANCE.description)``.
``QT_TR_NOOP`` marks them so that ``make i18n`` (pylupdate5) keeps them in the .ts.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import fields


def QT_TR_NOOP(text: str) -> str:  # noqa: N802 - the name pylupdate5 looks for
    """Mark ``text`` for translation; translated where it is shown, through ``tr()``."""
    return text


# --- parameter names (Processing keys) shared by several algorithms, the chain and the GUI -----
# A name used by one algorithm only stays in that algorithm's file; a test fails when one of
# these is written as a literal in processing/ or gui/.
INPUT = "INPUT"
OUTPUT = "OUTPUT"
ESTABLISHMENTS = "ESTABLISHMENTS"
FLOWS = "FLOWS"
ZONES = "ZONES"
SYNERGIES = "SYNERGIES"
CLUSTERS = "CLUSTERS"
HOUSING = "HOUSING"
NETWORK = "NETWORK"
HEAT_NETWORK = "HEAT_NETWORK"
AREA = "AREA"
MAX_DISTANCE_M = "MAX_DISTANCE_M"
CLUSTER_DISTANCE_M = "CLUSTER_DISTANCE_M"  # eit:fullanalysis, eit:comparescenarios
DISTANCE_M = "DISTANCE_M"  # the same pooling distance, as eit:detectclusters names it
MIN_MEMBERS = "MIN_MEMBERS"
MIN_QUANTITY_FACTOR = "MIN_QUANTITY_FACTOR"
NEIGHBOUR_DISTANCE = "NEIGHBOUR_DISTANCE"
DETOUR_FACTOR = "DETOUR_FACTOR"
PUBLIC = "PUBLIC"
SIRENE_FILE = "SIRENE_FILE"
GEOLOCATION = "GEOLOCATION"
ACTIVE_ONLY = "ACTIVE_ONLY"
DECLARED = "DECLARED"
REGISTERS = "REGISTERS"
RATIOS = "RATIOS"
CENSUS = "CENSUS"
RULES = "RULES"
LANGUAGE = "LANGUAGE"
TERRITORY = "TERRITORY"
NOTE = "NOTE"
LAYOUT_TEMPLATE = "LAYOUT_TEMPLATE"
# Destinations besides OUTPUT.
OUTPUT_COMMUNES = "OUTPUT_COMMUNES"
ALTERNATIVES = "ALTERNATIVES"
SITES = "SITES"
SKIPPED = "SKIPPED"
OUTPUT_GPKG = "OUTPUT_GPKG"
REPORT = "REPORT"
# Counts returned by the algorithms and read by the chain or the dock.
N_FLOWS = "N_FLOWS"
N_SYNERGIES = "N_SYNERGIES"
N_CLUSTERS = "N_CLUSTERS"
N_RECOMMENDATIONS = "N_RECOMMENDATIONS"


@dataclass(frozen=True)
class Parameter:
    """One parameter of the public contract: its default and its description (English
    source, translated where shown)."""

    name: str
    default: object
    description: str
    minimum: float | None = None


# Pooling distance: neighbours closer than this (straight or along the network) may pool a flow.
POOLING_DISTANCE_M = 500.0
POOLING_DISTANCE = Parameter(CLUSTER_DISTANCE_M, POOLING_DISTANCE_M,
                             QT_TR_NOOP("Pooling distance between members (m)"), minimum=1)
MIN_CLUSTER_MEMBERS = 3
CLUSTER_MEMBERS = Parameter(MIN_MEMBERS, MIN_CLUSTER_MEMBERS, QT_TR_NOOP("Minimum members of a pooling cluster"),
                            minimum=2)
# 0 = the per-resource search radius of taxonomy.csv.
MAX_SYNERGY_DISTANCE = Parameter(MAX_DISTANCE_M, 0.0,
                                 QT_TR_NOOP("Maximum synergy distance override (m, 0 = per resource)"), minimum=0)
PUBLIC_DOCUMENT = Parameter(PUBLIC, True, QT_TR_NOOP("Public document: apply the statistical secret"))


# --- input layers shared by several algorithms --------------------------------------------------
@dataclass(frozen=True)
class InputLayer:
    """A vector input: its Processing name, the geometry it accepts (``point``, ``line``,
    ``polygon``, ``point_polygon``, ``any``, ``vector``), its usual description (English source)
    and whether it may be left empty. An algorithm may say more in its own description."""

    name: str
    geometry: str
    description: str
    optional: bool = False


FLOWS_INPUT = InputLayer(FLOWS, "point", QT_TR_NOOP("Flows (output of eit:estimateflows)"))
ZONES_INPUT = InputLayer(ZONES, "polygon", QT_TR_NOOP("PLU zones (CNIG zone_urba)"))
ESTABLISHMENTS_INPUT = InputLayer(ESTABLISHMENTS, "point",
                                  QT_TR_NOOP("Establishments (optional, for jobs and NAF diversity)"), optional=True)
HOUSING_INPUT = InputLayer(HOUSING, "any", QT_TR_NOOP("Housing (dwelling points or residential polygons)"),
                           optional=True)
NETWORK_INPUT = InputLayer(NETWORK, "line", QT_TR_NOOP("Network (roads or existing heat network lines)"),
                           optional=True)
HEAT_NETWORK_INPUT = InputLayer(HEAT_NETWORK, "line", QT_TR_NOOP("Existing heat network (in addition to a road NETWORK)"),
                                optional=True)
SYNERGIES_INPUT = InputLayer(SYNERGIES, "line", QT_TR_NOOP("Synergies (output of eit:detectsynergies)"), optional=True)
AREA_INPUT = InputLayer(AREA, "polygon", QT_TR_NOOP("Territory to keep (polygons)"), optional=True)
CLUSTERS_INPUT = InputLayer(CLUSTERS, "vector", QT_TR_NOOP("Clusters (output of eit:detectclusters)"), optional=True)


# --- output layers --------------------------------------------------------------------------------
@dataclass(frozen=True)
class OutputLayer:
    """One layer of the analysis GeoPackage.

    ``step``/``output``: the chain step and the Processing output it comes from; ``schema``:
    its ``core.fields`` tuple; ``style``: ``resources/styles/<style>.qml``; ``public``: may be
    written to a public GeoPackage (False: one row per establishment); ``legend_rank``: place
    in the legend, top first; ``visible``: checked when loaded; ``display_field``: the
    field QGIS shows for a feature; ``alternative_style``: a second style offered beside the
    default one (``qgis_io.styles``); ``legend``: its short name in the layers panel (English
    source, translated where shown; the titles above are the GeoPackage's)."""

    name: str
    step: str
    output: str
    title_fr: str
    title_en: str
    schema: tuple
    style: str
    public: bool
    legend_rank: int
    visible: bool
    display_field: str
    alternative_style: str = ""
    legend: str = ""

    def title(self, language: str = "fr") -> str:
        return self.title_fr if language == "fr" else self.title_en


# In GeoPackage order.
OUTPUT_LAYERS = (
    OutputLayer("zones", "zones", OUTPUT, "Zones du PLU et indicateurs EIT", "PLU zones and EIT indicators",
                fields.ZONE_FIELDS, "zones", True, 7, True, "zone_id", alternative_style="zones_cnig",
                legend=QT_TR_NOOP("PLU zones")),
    OutputLayer("communes", "zones", OUTPUT_COMMUNES, "Communes et EPCI", "Communes and EPCI",
                fields.ZONE_COMMUNE_FIELDS, "communes", True, 8, True, "name", legend=QT_TR_NOOP("Communes")),
    OutputLayer("synergies", "synergies", OUTPUT, "Synergies", "Synergies",
                fields.SYNERGY_FIELDS, "synergies", True, 1, True, "synergy_id", legend=QT_TR_NOOP("Synergies")),
    OutputLayer("synergy_alternatives", "synergies", ALTERNATIVES, "Synergies alternatives (non retenues)",
                "Alternative synergies (not allocated)", fields.SYNERGY_FIELDS, "synergy_alternatives", False, 2,
                False, "synergy_id", legend=QT_TR_NOOP("Alternative synergies")),
    OutputLayer("clusters", "clusters", OUTPUT, "Groupements de mutualisation", "Pooling clusters",
                fields.CLUSTER_FIELDS, "clusters", True, 3, True, "cluster_id", legend=QT_TR_NOOP("Pooling clusters")),
    OutputLayer("recommendations", "recommendations", OUTPUT, "Recommandations", "Recommendations",
                fields.RECOMMENDATION_FIELDS, "recommendations", True, 4, False, "rec_id",
                legend=QT_TR_NOOP("Recommendations")),
    OutputLayer("establishments", "establishments", OUTPUT, "Établissements", "Establishments",
                fields.ESTABLISHMENT_FIELDS, "establishments", False, 6, False, "name",
                legend=QT_TR_NOOP("Establishments")),
    OutputLayer("flows", "flows", OUTPUT, "Flux", "Flows", fields.FLOW_FIELDS, "flows", False, 5, True, "flow_id",
                legend=QT_TR_NOOP("Flows (supplies and demands)")),
)
_BY_NAME = {layer.name: layer for layer in OUTPUT_LAYERS}


def output_layer(name: str) -> OutputLayer:
    return _BY_NAME[name]


def layer_names() -> tuple:
    """Output layer names in GeoPackage order."""
    return tuple(layer.name for layer in OUTPUT_LAYERS)


def legend_order() -> tuple:
    """Output layer names, top of the legend first (lines over polygons, points over zones)."""
    return tuple(layer.name for layer in sorted(OUTPUT_LAYERS, key=lambda layer: layer.legend_rank))


def internal_only() -> frozenset:
    """Layers never written to a public GeoPackage (one row per establishment)."""
    return frozenset(layer.name for layer in OUTPUT_LAYERS if not layer.public)
