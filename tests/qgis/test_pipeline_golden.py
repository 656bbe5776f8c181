"""eit:fullanalysis on the shipped sample gives the ids and figures recorded in
tests/data/golden_sample.json (public and internal GeoPackages, layer by layer, column by
column): a change of the way the method runs must not change what it finds."""
from __future__ import annotations

import json

import pytest

from tests.qgis import golden


@pytest.fixture(scope="module")
def provider(eit_plugin_instance):
    from qgis.core import QgsApplication

    if QgsApplication.processingRegistry().providerById("eit") is None:
        eit_plugin_instance.provider = None
        eit_plugin_instance.initProcessing()
    return QgsApplication.processingRegistry().providerById("eit")


@pytest.mark.parametrize("mode", ["public", "internal"])
def test_full_analysis_reproduces_the_golden_sample(provider, tmp_path, mode):
    expected = json.loads(golden.GOLDEN.read_text(encoding="utf-8"))[mode]
    actual = golden.run(tmp_path / mode, public=(mode == "public"))
    assert golden.differences(expected, actual) == []
