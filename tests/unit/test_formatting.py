"""Numbers and units as a French or English reader sees them."""
from __future__ import annotations

import math

import pytest

from eit_plugin.core import formatting as fmt

T = "\u202f"


@pytest.mark.parametrize("value, decimals, fr, en", [
    (1234.5, 1, "1{}234,5".format(T), "1,234.5"),
    (1234567, 0, "1{0}234{0}567".format(T), "1,234,567"),
    (-9876.54, 2, "-9{}876,54".format(T), "-9,876.54"),
    (0.5, 0, "0", "0"),
    (-0.001, 1, "0,0", "0.0"),
])
def test_thousands_and_decimal_separators(value, decimals, fr, en):
    assert fmt.number(value, decimals, "fr") == fr
    assert fmt.number(value, decimals, "en") == en


@pytest.mark.parametrize("bad", [None, float("nan"), math.inf, "abc", True])
def test_missing_values_never_show_as_a_number(bad):
    assert fmt.number(bad) == "–"
    assert fmt.number(bad, missing="n.d.") == "n.d."
    assert fmt.quantity(bad, "t") == "–"
    assert fmt.distance(bad) == "–"


@pytest.mark.parametrize("value, fr, en", [
    (12345.6, "12{}000".format(T), "12,000"),
    (0.0456, "0,046", "0.046"),
    (3.0, "3", "3"),
    (2.5, "2,5", "2.5"),
    (999.9, "1{}000".format(T), "1,000"),
    (0, "0", "0"),
])
def test_significant_figures(value, fr, en):
    assert fmt.rounded(value, 2, "fr") == fr
    assert fmt.rounded(value, 2, "en") == en


def test_quantities_with_units_per_year():
    assert fmt.quantity(11420, "MWh") == "11{}GWh/an".format(T)
    assert fmt.quantity(1234, "MWh", "en") == "1.2{}GWh/yr".format(T)
    assert fmt.quantity(850, "MWh") == "850{}MWh/an".format(T)
    assert fmt.quantity(3421, "m3") == "3{0}400{0}m³/an".format(T)
    assert fmt.quantity(12.34, "t", per_year=False) == "12{}t".format(T)
    assert fmt.co2(74312) == "74{0}000{0}t CO₂/an".format(T)


def test_distances_temperatures_and_shares():
    assert fmt.distance(846) == "850{}m".format(T)
    assert fmt.distance(3240) == "3,2{}km".format(T)
    assert fmt.distance(3240, "en") == "3.2{}km".format(T)
    assert fmt.distance(15400) == "15{}km".format(T)
    assert fmt.temperature(84.6) == "85{}°C".format(T)
    assert fmt.percent(0.85) == "85{}%".format(T)
    assert fmt.percent(0.855, 1, "en") == "85.5%"


def test_plain_form_quotes_what_the_user_typed():
    assert fmt.plain(-40.0) == "-40"
    assert fmt.plain(12.5) == "12.5"
    assert fmt.plain(2e10) == "2e+10"
    assert fmt.unit_label("m3") == "m³" and fmt.unit_label("kg CO2") == "kg CO₂" and fmt.unit_label("t") == "t"


def test_synergy_reasons_and_the_secret_use_the_same_numbers_with_a_no_break_space():
    from eit_plugin.core import synergy_texts

    assert fmt.number(1234567.25, 1, "fr", thousands=fmt.NBSP) == "1\u00a0234\u00a0567,2"
    assert synergy_texts.fr_number(12345.0) == "12\u00a0345" and synergy_texts.en_number(12345.0) == "12,345"
    assert synergy_texts.fr_number(float("nan")) == "?" and synergy_texts.fr_number(None) == "?"
    assert synergy_texts.fmt_quantities([12345.0, 2500.0], ["t", "MWh"], "fr") == [
        "12\u00a0000\u00a0t/an", "2,5\u00a0GWh/an"]
