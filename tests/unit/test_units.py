"""core.units: the units people type → canonical t, MWh, m3."""
import math

import pandas as pd
import pytest

from eit_plugin.core.errors import EitInputError
from eit_plugin.core.units import convert_factor, factors, parse_unit, to_canonical


@pytest.mark.parametrize("unit, canonical, factor", [
    ("t", "t", 1.0), ("tonnes", "t", 1.0), ("Tonne", "t", 1.0), ("t/an", "t", 1.0), ("kg", "t", 1e-3),
    ("kt", "t", 1e3), ("MWh", "MWh", 1.0), ("kWh", "MWh", 1e-3), ("GWh", "MWh", 1e3), ("kWh/an", "MWh", 1e-3),
    ("MWh PCI", "MWh", 1.0), ("GJ", "MWh", 1 / 3.6), ("tep", "MWh", 11.63), ("m3", "m3", 1.0),
    ("m³", "m3", 1.0), ("l", "m3", 1e-3), ("litres", "m3", 1e-3), ("hl", "m3", 0.1),
])
def test_variants(unit, canonical, factor):
    found, value = parse_unit(unit)
    assert found == canonical
    assert math.isclose(value, factor)


def test_to_canonical():
    assert to_canonical(2500, "kg", "t") == 2.5
    assert math.isclose(to_canonical(36, "GJ", "MWh"), 10.0)
    assert to_canonical(4000, "litres", "m3") == 4.0


def test_unknown_unit_message():
    with pytest.raises(EitInputError) as err:
        convert_factor("barrels", "m3", "Line 4")
    assert str(err.value) == "Line 4: unknown unit 'barrels'. Use one of: m3, m³, l, hl."


def test_incompatible_unit_message():
    with pytest.raises(EitInputError) as err:
        convert_factor("tonnes", "MWh", "Line 7")
    assert str(err.value) == ("Line 7: unit 'tonnes' is a mass but this resource is counted in MWh (energy). "
                              "Use one of: MWh, kWh, GWh, GJ, MJ, tep.")


def test_megatonne_is_ambiguous_and_refused():
    assert parse_unit("Mt") == (None, None)


def test_vectorised_factors():
    out, problem = factors(pd.Series(["kg", None, "MWh", "furlong"]), pd.Series(["t", "t", "t", "t"]))
    assert out[0] == 1e-3 and out[1] == 1.0
    assert math.isnan(out[2]) and problem[2] == "dimension"
    assert problem[3] == "unknown"
