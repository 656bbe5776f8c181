"""The public contract: algorithm ids, groups, help strings with an example and a complexity."""
from __future__ import annotations

CONTRACT_IDS = {
    "eit:importestablishments", "eit:estimateflows", "eit:zoneoverlay", "eit:detectsynergies",
    "eit:detectclusters", "eit:recommendations", "eit:fullanalysis", "eit:comparescenarios",
}


def test_every_contract_algorithm_is_registered_with_help_example_and_complexity(eit_provider):
    algorithms = {alg.id(): alg for alg in eit_provider.algorithms()}
    assert CONTRACT_IDS <= set(algorithms)
    for alg_id, alg in algorithms.items():
        assert alg.displayName() and alg.group()[0].isdigit(), alg_id
        help_text = alg.shortHelpString()
        assert "qgis_process" in help_text or "Example" in help_text or "Exemple" in help_text, alg_id
        assert "omplexit" in help_text, alg_id  # Complexity / Complexité


def test_contract_parameter_names(eit_provider):
    expected = {
        "eit:importestablishments": {"INPUT", "GEOLOCATION", "AREA", "ACTIVE_ONLY", "OUTPUT"},
        "eit:estimateflows": {"INPUT", "DECLARED", "RATIOS", "OUTPUT"},
        "eit:zoneoverlay": {"ZONES", "FLOWS", "HOUSING", "OUTPUT"},
        "eit:detectsynergies": {"FLOWS", "ZONES", "NETWORK", "MAX_DISTANCE_M", "OUTPUT"},
        "eit:detectclusters": {"FLOWS", "SYNERGIES", "DISTANCE_M", "MIN_MEMBERS", "OUTPUT"},
        "eit:recommendations": {"ZONES", "SYNERGIES", "CLUSTERS", "PUBLIC", "OUTPUT"},
    }
    for alg_id, names in expected.items():
        alg = eit_provider.algorithm(alg_id.split(":")[1])
        assert names <= {p.name() for p in alg.parameterDefinitions()}, alg_id
