"""The catalogue of the public contract is complete and consistent with what it names."""
from __future__ import annotations

from eit_plugin.core import catalogue, fields
from eit_plugin.paths import STYLES_DIR


def test_every_output_layer_has_a_style_a_schema_with_its_display_field_and_two_titles():
    for layer in catalogue.OUTPUT_LAYERS:
        assert (STYLES_DIR / "{}.qml".format(layer.style)).exists(), layer.name
        if layer.alternative_style:
            assert (STYLES_DIR / "{}.qml".format(layer.alternative_style)).exists(), layer.name
        assert layer.display_field in fields.names(layer.schema), layer.name
        assert layer.title("fr") and layer.title("en") and layer.title("fr") == layer.title_fr
        assert layer.legend, layer.name


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


def _catalogue_names() -> set:
    return {name for name, value in vars(catalogue).items() if name.isupper() and value == name}


def _literal_names(path, names) -> list:
    """``(line, name)`` of each string literal of ``path`` that is exactly one of ``names``."""
    import io
    import tokenize

    found = []
    with open(path, encoding="utf-8") as handle:
        for token in tokenize.generate_tokens(io.StringIO(handle.read()).readline):
            if token.type == tokenize.STRING and token.string[1:-1] in names and token.string[0] in "'\"":
                found.append((token.start[0], token.string))
    return found


def test_shared_parameter_names_are_written_through_the_catalogue():
    """A shared parameter name typed as a literal in an algorithm, the chain or the dock
    would drift from the catalogue on the next rename."""
    from pathlib import Path

    import eit_plugin

    root = Path(eit_plugin.__file__).parent
    names = _catalogue_names()
    assert {"OUTPUT", "ZONES", "FLOWS", "CLUSTER_DISTANCE_M", "REPORT"} <= names
    files = sorted((root / "processing").glob("*.py")) + sorted((root / "gui").glob("*.py"))
    literals = {str(path.relative_to(root)): _literal_names(path, names) for path in files}
    assert {path: found for path, found in literals.items() if found} == {}


def test_the_scan_finds_a_literal_name(tmp_path):
    sample = tmp_path / "alg.py"
    sample.write_text('x = parameters["OUTPUT"]\nhelp = "OUTPUT=clusters.gpkg"\ny = catalogue.ZONES\n', encoding="utf-8")
    assert _literal_names(sample, _catalogue_names()) == [(1, '"OUTPUT"')]
