"""The catalogue of the public contract is complete and consistent with what it names."""
from __future__ import annotations

from eit_plugin.core import catalogue, fields
from eit_plugin.paths import STYLES_DIR


def test_every_output_layer_has_a_style_a_schema_with_its_display_field_and_two_titles():
    for layer in catalogue.OUTPUT_LAYERS:
        assert (STYLES_DIR / "{}.qml".format(layer.style)).exists(), layer.name
        assert layer.display_field in fields.names(layer.schema), layer.name
        assert layer.title("fr") and layer.title("en") and layer.title("fr") == layer.title_fr


def test_layer_names_are_unique_and_the_legend_shows_each_once():
    names = catalogue.layer_names()
    assert len(set(names)) == len(names)
    assert sorted(catalogue.legend_order()) == sorted(names)
    assert catalogue.legend_order()[0] == "synergies"


def test_per_establishment_layers_are_never_public():
    assert catalogue.internal_only() == {"establishments", "flows", "synergy_alternatives"}
    for name in catalogue.internal_only():
        assert "siret" in fields.names(catalogue.output_layer(name).schema) or name == "synergy_alternatives"


def test_pooling_distance_has_one_default():
    assert catalogue.POOLING_DISTANCE.default == catalogue.POOLING_DISTANCE_M == 500.0
    assert catalogue.POOLING_DISTANCE.name == catalogue.CLUSTER_DISTANCE_M
