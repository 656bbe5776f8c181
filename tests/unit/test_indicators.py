"""Zone indicators on hand-built tables: totals, heat classes, housing, mixity, EIT potential."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from eit_plugin.core import indicators as ind
from eit_plugin.core.feedback import Feedback

RULES = pd.DataFrame(
    [
        # supply, demand, kind, efficiency, margin, min supply temp, heat pump, priority
        ("waste_heat", "process_heat", "heat_recovery", 0.9, 10.0, np.nan, 0, 1),
        ("waste_heat", "space_heating", "heat_recovery", 0.85, 5.0, np.nan, 1, 1),
        ("wood_waste", "wood_raw_material", "substitution", 0.9, np.nan, np.nan, 0, 1),
        ("paper_cardboard", "recycled_fibre", "substitution", 0.85, np.nan, np.nan, 0, 1),
    ],
    columns=["supply_resource", "demand_resource", "kind", "efficiency", "min_temp_margin_k",
             "min_supply_temp_c", "heat_pump", "priority"],
)

ZONES = pd.DataFrame(
    {
        "zone_id": ["Z1", "Z2", "Z3", "Z4", "Z5"],
        "typezone": ["U", "U", "AUc", None, "ZZ"],
        "destdomi": ["02", "01", "01", None, None],
        "area_m2": [50_000.0, 20_000.0, 10_000.0, 5_000.0, 1_000.0],
        "insee": ["73065", "73065", "73008", None, "73008"],
    }
)


def flow(siret, naf, direction, resource, family, qty, unit, temp=np.nan, zone="Z1", n_zones=1, ewc=None, jobs=np.nan):
    return {"siret": siret, "naf": naf, "direction": direction, "resource": resource, "family": family,
            "quantity": qty, "unit": unit, "temperature_c": temp, "zone_id": zone, "n_zones": n_zones,
            "ewc_code": ewc, "headcount_est": jobs}


@pytest.fixture
def flows():
    return pd.DataFrame([
        flow("A", "10.51C", "supply", "waste_heat", "heat", 1000, "MWh", 95.0, jobs=50),
        flow("A", "10.51C", "supply", "waste_heat", "heat", 200, "MWh", 45.0, jobs=50),
        flow("B", "25.11Z", "supply", "waste_heat", "heat", 300, "MWh", np.nan, jobs=10),
        flow("B", "25.11Z", "demand", "process_heat", "heat", 500, "MWh", 80.0, jobs=10),
        flow("C", "16.10A", "supply", "wood_waste", "waste", 400, "t", ewc="03 01 05", jobs=5),
        flow("C", "16.10A", "supply", "paper_cardboard", "waste", 2000, "kg", ewc="150101", jobs=5, n_zones=2),
        flow("D", "17.12Z", "demand", "recycled_fibre", "material", 7, "t", zone="Z2"),
        flow("E", "43.99C", "demand", "water", "water", 5, "m3", zone=None, n_zones=0),
    ])


def run(flows, **kw):
    kw.setdefault("rules", RULES)
    adjacency = kw.pop("adjacency", pd.DataFrame({"zone_a": ["Z1"], "zone_b": ["Z2"]}))
    return ind.compute_zone_indicators(ZONES, flows, adjacency, **kw).set_index("zone_id")


def test_family_totals_and_heat_classes_are_exact(flows):
    out = run(flows)
    z1 = out.loc["Z1"]
    assert z1["heat_supply_mwh"] == 1500.0
    assert z1["heat_demand_mwh"] == 500.0
    assert z1["heat_balance_mwh"] == 1000.0
    assert (z1["heat_supply_lt60_mwh"], z1["heat_supply_60_90_mwh"], z1["heat_supply_ge90_mwh"]) == (200.0, 0.0, 1000.0)
    assert z1["heat_supply_temp_unknown_mwh"] == 300.0
    assert z1["waste_supply_t"] == 402.0  # 2000 kg converted to 2 t
    assert z1["waste_by_chapter"] == "03: 400; 15: 2,0"
    assert out.loc["Z2", "material_demand_t"] == 7.0
    # Nothing of the unzoned flow is counted anywhere.
    assert out["water_demand_m3"].sum() == 0.0
    assert z1["n_flows"] == 6 and z1["n_flows_multi"] == 1
    assert z1["n_establishments"] == 3 and z1["jobs_est"] == 65.0 and z1["naf_sections"] == 1
    assert out.loc["Z3", "n_flows"] == 0 and math.isnan(out.loc["Z3", "jobs_est"])


def test_unzoned_flows_are_counted_on_the_nearest_zone(flows):
    nearest = pd.Series([None] * 7 + ["Z2"])
    out = run(flows, unzoned_nearest=nearest)
    assert out["n_flows_unzoned"].to_dict() == {"Z1": 0, "Z2": 1, "Z3": 0, "Z4": 0, "Z5": 0}


def test_housing_from_density_assumptions_and_future_zones(flows):
    out = run(flows)
    # Z2: U habitat 2 ha x 25 dwellings/ha x 12 MWh; Z3: AU habitat 1 ha x 30 x 4 MWh (future).
    assert out.loc["Z2", "housing_dwellings"] == pytest.approx(50.0)
    assert out.loc["Z2", "housing_heat_demand_mwh"] == pytest.approx(600.0)
    assert out.loc["Z3", "housing_dwellings"] == pytest.approx(30.0)
    assert out.loc["Z3", "housing_heat_demand_mwh"] == pytest.approx(120.0)
    assert out["is_future"].to_dict() == {"Z1": False, "Z2": False, "Z3": True, "Z4": False, "Z5": False}
    assert out.loc["Z1", "housing_dwellings"] == 0.0
    assert out.loc["Z3", "housing_source"] == "density_assumption"
    # NULL TYPEZONE and unknown 'ZZ' do not crash and get no invented housing.
    assert out.loc["Z4", "zone_function"] == "inconnu" and out.loc["Z4", "housing_dwellings"] == 0.0
    assert out.loc["Z4", "housing_source"] == "unknown_destination"
    assert out.loc["Z5", "eit_potential"] == "none"


def test_housing_layer_overrides_existing_zones_but_not_future_ones(flows):
    housing = pd.DataFrame({"zone_id": ["Z2", "Z2", "Z1"], "dwellings": [10.0, np.nan, 4.0],
                            "heated_area_m2": [np.nan, 750.0, np.nan]})
    out = run(flows, housing=housing)
    assert out.loc["Z2", "housing_dwellings"] == pytest.approx(20.0)  # 10 + 750 m2 / 75 m2
    assert out.loc["Z2", "housing_heat_demand_mwh"] == pytest.approx(10 * 12 + 750 * 160 / 1000)
    assert out.loc["Z1", "housing_dwellings"] == pytest.approx(4.0)
    assert out.loc["Z3", "housing_dwellings"] == pytest.approx(30.0)  # AU zone: still the assumption
    assert out.loc["Z2", "housing_source"] == "housing_layer"
    # Planned dwellings given in an AU zone: the layer's count, new-build heat per dwelling.
    planned = pd.concat([housing, pd.DataFrame({"zone_id": ["Z3"], "dwellings": [100.0]})], ignore_index=True)
    out = run(flows, housing=planned)
    assert out.loc["Z3", "housing_dwellings"] == pytest.approx(100.0)
    assert out.loc["Z3", "housing_heat_demand_mwh"] == pytest.approx(400.0)
    assert out.loc["Z3", "housing_source"] == "housing_layer"


def test_potential_internal_neighbour_and_temperature_rules(flows):
    out = run(flows)
    z1 = out.loc["Z1"]
    # Internal: waste heat 95 °C -> process heat 80 °C (margin 10 K ok); wood has no demand here.
    # Neighbour: Z1 supplies Z2 (paper -> recycled fibre; waste heat -> housing space heating).
    assert z1["n_internal_matches"] == 1
    assert z1["n_neighbour_matches"] == 2
    assert z1["eit_potential"] == "high"
    assert "chaleur fatale → chaleur de procédé : 500 MWh/an" in z1["eit_potential_reason"]
    assert z1["eit_potential_reason"].startswith("Potentiel élevé : 1 appariement(s) interne(s)")
    z2 = out.loc["Z2"]
    assert (z2["n_internal_matches"], z2["n_neighbour_matches"], z2["eit_potential"]) == (0, 2, "medium")
    # Z1's 1500 MWh of waste heat x 0.85 covers Z2's 600 MWh housing demand.
    assert "chaleur fatale → chauffage des locaux (ressource voisine) : 600 MWh/an" in z2["eit_potential_reason"]
    assert "chaleur fatale → chauffage des locaux (besoin voisin) : 600 MWh/an" in z1["eit_potential_reason"]
    assert out.loc["Z3", "eit_potential"] == "none"


def test_too_cold_waste_heat_does_not_match_process_heat():
    f = pd.DataFrame([
        flow("A", "10.51C", "supply", "waste_heat", "heat", 1000, "MWh", 60.0),
        flow("B", "25.11Z", "demand", "process_heat", "heat", 500, "MWh", 80.0),
    ])
    out = run(f, adjacency=pd.DataFrame(columns=["zone_a", "zone_b"]))
    assert out.loc["Z1", "eit_potential"] == "none"
    assert out.loc["Z1", "eit_potential_reason"].startswith("Potentiel nul : aucune correspondance")
    assert out.loc["Z3", "eit_potential_reason"] == ("Potentiel nul : aucune correspondance ressource/besoin compatible "
                                                     "dans la zone ni avec ses 0 zone(s) voisine(s) (0 flux de ressources, "
                                                     "0 flux de besoins dans la zone).")


def test_mixity_balance_and_evenness():
    f = pd.DataFrame([
        flow("A", "10.51C", "demand", "space_heating", "heat", 1, "MWh", zone="Z2", jobs=25),
        flow("B", "47.11F", "demand", "space_heating", "heat", 1, "MWh", zone="Z2", jobs=25),
        flow("C", "47.11F", "demand", "space_heating", "heat", 1, "MWh", zone="Z1", jobs=10),
    ])
    out = run(f)
    # Z2: 50 dwellings (density) vs 50 jobs -> balance 1; sections C and G, evenly -> evenness 1.
    assert out.loc["Z2", "activity_balance"] == pytest.approx(1.0)
    assert out.loc["Z2", "naf_evenness"] == pytest.approx(1.0)
    assert out.loc["Z2", "mixity_index"] == pytest.approx(1.0)
    # Z1: activity only, one section -> 0.
    assert out.loc["Z1", "mixity_index"] == pytest.approx(0.0)
    # Z5: nothing at all -> NULL.
    assert math.isnan(out.loc["Z5", "mixity_index"])


def test_unknown_units_are_left_out_with_a_warning():
    f = pd.DataFrame([flow("A", "10.51C", "supply", "waste_heat", "heat", 1000, "litres", 90.0),
                      flow("A", "10.51C", "supply", "waste_heat", "heat", 1000, "kWh", 90.0)])
    fb = Feedback()
    out = run(f, feedback=fb)
    assert out.loc["Z1", "heat_supply_mwh"] == pytest.approx(1.0)
    assert any("1 flows have a unit" in w for w in fb.warnings)


@pytest.mark.parametrize("args,expected", [
    (("01", None, None, "U"), "habitat"),
    ((None, "0201", None, "U"), "activite"),
    ((None, None, "21;22;31", "U"), "mixte"),
    ((None, None, "51 52 53", "U"), "activite"),
    ((None, None, None, "N"), "naturel"),
    ((None, None, None, None), "inconnu"),
    (("99", None, None, "ZZ"), "autre"),
])
def test_zone_function_v2017_and_v2024(args, expected):
    assert ind.zone_function(*args) == expected


def test_commune_and_epci_aggregate(flows):
    out = ind.compute_zone_indicators(ZONES, flows, pd.DataFrame({"zone_a": ["Z1"], "zone_b": ["Z2"]}), rules=RULES)
    out["insee"] = ZONES["insee"].to_numpy()
    est = ind.zone_establishments(flows)
    epci = pd.DataFrame({"insee": ["73065", "73008"], "commune": ["Chambéry", "Aix-les-Bains"],
                         "epci_siren": ["200069110", "200068674"], "epci_name": ["CA Grand Chambéry", "CA Grand Lac"]})
    agg = ind.aggregate_communes(out, est, epci).set_index(["level", "code"])
    cham = agg.loc[("commune", "73065")]
    assert cham["name"] == "Chambéry" and cham["n_zones"] == 2
    assert cham["heat_supply_mwh"] == 1500.0 and cham["material_demand_t"] == 7.0
    assert cham["n_establishments"] == 4 and cham["naf_sections"] == 1  # all four are manufacturing (C)
    assert cham["zone_ids"] == "Z1;Z2"
    assert agg.loc[("commune", ""), "n_zones"] == 1  # the zone without INSEE is not lost
    assert agg.loc[("epci", "200068674"), "housing_dwellings"] == pytest.approx(30.0)
    assert agg.loc[("epci", "200069110"), "n_zones_high"] == 1
    # Without the EPCI table: communes only.
    assert set(ind.aggregate_communes(out, est, None)["level"]) == {"commune"}


def test_naf_section():
    assert [ind.naf_section(c) for c in ("10.51C", "01.11Z", "4711F", None, "xx")] == ["C", "A", "G", None, None]


def test_shipped_housing_assumptions_are_documented():
    table = ind.load_housing_assumptions()
    assert set(table["parameter"]) >= {"dwellings_per_ha", "heat_mwh_per_dwelling", "floor_m2_per_dwelling", "heat_kwh_per_m2"}
    assert table["source"].notna().all() and table["rationale"].notna().all()
