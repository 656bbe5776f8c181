"""core.matching: candidates, heat rules, distances, allocation, impacts and reasons.

Small reference tables are built here (values as in the shipped files) so that an edit of
the shipped CSVs does not move these tests; the Dunkirk-like case uses the shipped tables.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from eit_plugin.core import matching as m
from eit_plugin.core.fields import SYNERGY_FIELDS, names
from eit_plugin.core.network import LineNetwork

NB = "\u00a0"

TAXONOMY = pd.DataFrame([
    # code, family, role, label_fr, label_en, unit, max_distance_m, value, transport, co2
    ("waste_heat", "heat", "supply", "Chaleur fatale", "Waste heat", "MWh", 3000, 50, 2, 0),
    ("space_heating", "heat", "demand", "Chauffage des locaux", "Space heating", "MWh", 3000, 60, 2, 250),
    ("process_heat", "heat", "demand", "Chaleur de procédé", "Process heat", "MWh", 3000, 60, 2, 250),
    ("cooling", "heat", "demand", "Froid (absorption)", "Cooling (absorption)", "MWh", 2000, 40, 2, 20),
    ("wood_waste", "waste", "supply", "Déchets de bois", "Wood waste", "t", 50000, 40, 0.1, 0),
    ("wood_raw_material", "material", "demand", "Bois matière (panneaux, palettes)", "Wood raw material", "t",
     80000, 60, 0.1, 50),
    ("solid_biomass_fuel", "energy", "demand", "Combustible biomasse solide", "Solid biomass fuel", "MWh", 50000,
     30, 0.03, 20),
    ("slag", "waste", "supply", "Laitiers et scories", "Slag", "t", 100000, 10, 0.08, 0),
    ("clinker_substitute", "material", "demand", "Substitut de clinker", "Clinker substitute", "t", 100000, 40,
     0.08, 800),
    ("process_gas", "energy", "supply", "Gaz de procédé", "Process gas", "MWh", 5000, 0, 1, 0),
    ("gas_fuel", "energy", "demand", "Combustible gazeux", "Gaseous fuel", "MWh", 5000, 50, 1, 200),
    ("electricity", "energy", "demand", "Électricité", "Electricity", "MWh", 1000, 150, 0, 55),
], columns=["code", "family", "role", "label_fr", "label_en", "unit", "max_distance_m", "value_eur_per_unit",
            "transport_eur_per_unit_km", "co2_kg_per_unit_substituted"])

COMPATIBILITY = pd.DataFrame([
    # supply, demand, kind, efficiency, margin, min supply temp, heat pump, priority
    ("waste_heat", "space_heating", "heat_recovery", 0.85, 5, np.nan, 1, 1),
    ("waste_heat", "process_heat", "heat_recovery", 0.9, 10, np.nan, 0, 1),
    ("waste_heat", "cooling", "heat_recovery", 0.7, np.nan, 85, 0, 2),
    ("wood_waste", "wood_raw_material", "substitution", 0.9, np.nan, np.nan, 0, 1),
    ("wood_waste", "solid_biomass_fuel", "substitution", 3.5, np.nan, np.nan, 0, 3),
    ("slag", "clinker_substitute", "substitution", 0.9, np.nan, np.nan, 0, 1),
    ("process_gas", "gas_fuel", "substitution", 1.0, np.nan, np.nan, 0, 1),
], columns=["supply_resource", "demand_resource", "kind", "efficiency", "min_temp_margin_k", "min_supply_temp_c",
            "heat_pump", "priority"])

EMISSIONS = pd.DataFrame([
    ("heat_default", "MWh heat", 250.0, 1.0, 150.0),
    ("electricity_fr", "MWh electricity", 55.0, 2.0, 60.0),
    ("truck_tkm", "t.km", 0.1, 0.01, 0.3),
], columns=["code", "unit", "co2_kg", "pm10_g", "nox_g"])


def flow(siret, name, direction, resource, quantity, x, y, temperature=None, confidence=0.8):
    return {"flow_id": "{}:{}:{}".format(siret, "S" if direction == "supply" else "D", resource), "siret": siret,
            "name": name, "direction": direction, "resource": resource, "quantity": quantity,
            "temperature_c": np.nan if temperature is None else temperature, "confidence": confidence,
            "x": float(x), "y": float(y)}


def run(flows, zones=None, **params):
    frame = pd.DataFrame(flows) if isinstance(flows, list) else flows
    return m.detect_synergies(frame, zones, m.MatchingParams(**params), taxonomy=TAXONOMY,
                              compatibility=COMPATIBILITY, emission_factors=EMISSIONS)


def pairs(result):
    return sorted(zip(result.synergies["supplier_siret"], result.synergies["receiver_siret"].fillna(
        result.synergies["receiver_zone"]), result.synergies["resource_demand"]))


A, B, C, D, E = ("11111111100011", "22222222200011", "33333333300011", "44444444400011", "55555555500011")


# --- Heat temperature rules -----------------------------------------------------------------------
@pytest.mark.parametrize("supply_t, demand, demand_t, params, found", [
    (65, "space_heating", 60, {}, True),   # rule margin 5 K: 65 >= 60 + 5
    (64, "space_heating", 60, {}, False),
    (100, "process_heat", 90, {}, True),   # rule margin 10 K
    (99, "process_heat", 90, {}, False),
    (99, "process_heat", 90, {"temp_margin_k": 5.0}, True),  # the parameter overrides the rule
    (62, "space_heating", 60, {"temp_margin_k": 5.0}, False),
    (90, "cooling", 7, {}, True),          # absorption cooling needs >= 85 °C
    (80, "cooling", 7, {}, False),
])
def test_heat_is_used_directly_only_above_demand_temperature_plus_margin(supply_t, demand, demand_t, params, found):
    result = run([flow(A, "Fonderie A", "supply", "waste_heat", 5000, 0, 0, supply_t),
                  flow(B, "Client B", "demand", demand, 3000, 400, 0, demand_t)], **params)
    assert (len(result.synergies) == 1) is found
    if found:
        row = result.synergies.iloc[0]
        assert not row["heat_pump_used"] and math.isnan(row["cop"])
        assert row["supply_temperature_c"] == supply_t and row["demand_temperature_c"] == demand_t


def test_heat_pump_lifts_a_cold_source_and_reports_cop_and_electricity():
    flows = [flow(A, "Salle informatique A", "supply", "waste_heat", 2000, 0, 0, 30),
             flow(B, "Résidence B", "demand", "space_heating", 5000, 300, 0, 60)]
    assert run(flows).synergies.empty  # heat pumps are off by default
    row = run(flows, heat_pump=True).synergies.iloc[0]
    # COP = 0.5 x 338.15 K / (338.15 - 298.15) K
    assert row["cop"] == pytest.approx(0.5 * 338.15 / 40.0, abs=0.01)
    assert row["heat_pump_used"]
    # a flat source gives space heating its heating-season heat only: 7/12 of it over 90 % of the need
    assert row["quantity"] == pytest.approx(2000 * (7 / 12) / 0.9, rel=1e-4)
    cop = 0.5 * 338.15 / 40.0
    assert row["quantity_demand"] == pytest.approx(row["quantity"] * 0.85 * cop / (cop - 1), rel=1e-3)
    assert row["hp_electricity_mwh"] == pytest.approx(row["quantity_demand"] / cop, rel=1e-3)
    assert "pompe à chaleur (COP 4,2" in row["reason"]
    # the rule forbids a heat pump for process heat
    assert run([flows[0], flow(C, "Usine C", "demand", "process_heat", 5000, 300, 0, 60)], heat_pump=True).synergies.empty


# --- Distance limit ------------------------------------------------------------------------------
def test_search_radius_is_the_supply_resource_max_distance_and_can_be_overridden():
    def at(x):
        return [flow(A, "Four A", "supply", "wood_waste", 1000, 0, 0),
                flow(B, "Panneaux B", "demand", "wood_raw_material", 900, x, 0)]
    assert len(run(at(49_900)).synergies) == 1  # wood waste: 50 km straight-line radius
    assert run(at(50_100)).synergies.empty
    assert run(at(20_000), max_distance_m=10_000).synergies.empty  # global override
    assert len(run(at(20_000), max_distance_m=10_000, family_max_distance_m={"waste": 30_000}).synergies) == 1
    row = run(at(10_000)).synergies.iloc[0]
    assert row["distance_kind"] == "straight" and row["distance_m"] == pytest.approx(13_000)  # x 1.3 detour


# --- Allocation --------------------------------------------------------------------------------------
def test_two_demands_compete_for_one_supply_the_nearest_is_served_first():
    flows = [flow(A, "Scierie A", "supply", "wood_waste", 1000, 0, 0),
             flow(B, "Panneaux B (1 km)", "demand", "wood_raw_material", 800, 1000, 0),
             flow(C, "Panneaux C (20 km)", "demand", "wood_raw_material", 800, 20000, 0)]
    syn = run(flows).synergies.set_index("receiver_siret")
    assert syn.loc[B, "quantity_demand"] == pytest.approx(800)  # fully served (efficiency 0.9)
    assert syn.loc[B, "quantity"] == pytest.approx(800 / 0.9, rel=1e-6)
    assert syn.loc[C, "quantity"] == pytest.approx(1000 - 800 / 0.9, rel=1e-6)  # what is left, no more
    assert syn["quantity"].sum() == pytest.approx(1000)  # a supply is never promised twice


def test_a_pipe_too_long_for_what_is_left_goes_to_the_alternatives_with_the_reason():
    flows = [flow(A, "Usine A", "supply", "waste_heat", 1000, 0, 0, 90),
             flow(B, "Atelier B", "demand", "process_heat", 850, 300, 0, 60),
             flow(C, "Atelier C", "demand", "process_heat", 850, 900, 0, 60)]
    result = run(flows)
    assert pairs(result) == [(A, B, "process_heat")]
    assert result.synergies.iloc[0]["quantity"] == pytest.approx(850 / 0.9)
    alt = result.alternatives.iloc[0]
    assert alt["receiver_siret"] == C and alt["status"] == "alternative"
    # what is left (56 MWh) cannot pay for 1.2 km of pipe
    assert alt["note"].startswith("Part de la ressource encore disponible trop faible")


def test_summer_heat_of_a_flat_source_goes_to_year_round_uses_not_to_space_heating():
    flows = [flow(A, "UVE A", "supply", "waste_heat", 10_000, 0, 0, 120),
             flow(B, "Quartier B", "demand", "space_heating", 20_000, 300, 0, 60),
             flow(C, "Blanchisserie C", "demand", "process_heat", 3000, 1500, 0, 85)]
    syn = run(flows).synergies.set_index("receiver_siret")
    # space heating takes the heating-season heat only (7/12 of the year's heat, 90 % of its need)
    assert syn.loc[B, "quantity"] <= 10_000 * (7 / 12) / 0.9 + 0.01
    # the laundry, further away, uses heat all year round: it gets served
    assert syn.loc[C, "quantity_demand"] == pytest.approx(3000)
    winter = 0.9 * syn.loc[B, "quantity"] + (7 / 12) * syn.loc[C, "quantity"]
    assert winter <= 10_000 * 7 / 12 + 0.01 and syn["quantity"].sum() <= 10_000 + 0.01  # outputs rounded to 1e-3


def test_one_demand_cannot_be_over_served_by_two_supplies():
    flows = [flow(A, "Aciérie A", "supply", "slag", 100_000, 0, 0),
             flow(B, "Aciérie B", "supply", "slag", 100_000, 0, 5000),
             flow(C, "Cimenterie C", "demand", "clinker_substitute", 90_000, 1000, 0)]
    syn = run(flows).synergies
    assert syn["quantity_demand"].sum() == pytest.approx(90_000)
    assert list(syn["supplier_siret"]) == [A]  # the nearer one


def test_very_large_groups_are_allocated_greedily_under_the_same_constraints():
    # two flat heat sources (100 each), three demands: space heating (winter 0.9), process (7/12)
    s, d = np.array([0, 0, 1, 1]), np.array([0, 1, 1, 2])
    eff = np.ones(4)
    gain = np.array([10.0, 5.0, 8.0, 1.0])
    cap_s, cap_d = np.array([100.0, 100.0]), np.array([200.0, 100.0, 50.0])
    sigma = np.array([0.9, 7 / 12, 7 / 12, 7 / 12])
    w = np.full(2, 7 / 12)
    lp = m.allocate(s, d, eff, np.full(4, 1e9), gain, cap_s, cap_d, winter_edge=sigma, winter_supply=w)
    greedy = m.allocate(s, d, eff, np.full(4, 1e9), gain, cap_s, cap_d, max_lp_size=1, winter_edge=sigma,
                        winter_supply=w)
    for x in (lp, greedy):
        assert x[0] + x[1] <= 100 + 1e-6 and x[2] + x[3] <= 100 + 1e-6  # supplies
        assert 0.9 * x[0] + (7 / 12) * x[1] <= 100 * 7 / 12 + 1e-6  # heating season of source 0
        assert x[1] + x[2] <= 100 + 1e-6  # demand 1
    np.testing.assert_allclose(greedy, lp, atol=1e-6)  # greedy is optimal on this small case
    assert greedy[0] == pytest.approx(100 * (7 / 12) / 0.9)


def test_waste_hierarchy_material_reuse_before_energy_recovery():
    flows = [flow(A, "Scierie A", "supply", "wood_waste", 1000, 0, 0),
             flow(B, "Panneaux B", "demand", "wood_raw_material", 900, 10_000, 0),
             flow(C, "Chaufferie C", "demand", "solid_biomass_fuel", 5000, 1000, 0)]
    result = run(flows)
    assert pairs(result) == [(A, B, "wood_raw_material")]
    assert list(result.alternatives["receiver_siret"]) == [C]


# --- Networks -----------------------------------------------------------------------------------------
def detour_road():
    # from (0,0) up to (0,2000), east to (1000,2000), down to (1000,0): 5 km between two points 1 km apart
    return LineNetwork.from_polylines([np.array([[0, 0], [0, 2000], [1000, 2000], [1000, 0]], dtype=float)])


def wood_pair():
    return [flow(A, "Scierie A", "supply", "wood_waste", 1000, 0, 0),
            flow(B, "Panneaux B", "demand", "wood_raw_material", 900, 1000, 0)]


def test_distance_along_the_road_network_instead_of_straight_line():
    straight = run(wood_pair()).synergies.iloc[0]
    assert straight["distance_kind"] == "straight" and straight["distance_m"] == pytest.approx(1300)
    result = m.detect_synergies(pd.DataFrame(wood_pair()), None, m.MatchingParams(), TAXONOMY, COMPATIBILITY,
                                EMISSIONS, road_network=detour_road())
    row = result.synergies.iloc[0]
    assert row["distance_kind"] == "network" and row["distance_m"] == pytest.approx(5000, abs=1)
    assert "à 5,0{}km par la voirie".format(NB) in row["reason"]
    # too far along the road for a 3 km radius (x 1.3 = 3.9 km of road), though 1 km as the crow flies
    result = m.detect_synergies(pd.DataFrame(wood_pair()), None, m.MatchingParams(family_max_distance_m={"waste": 3000}),
                                TAXONOMY, COMPATIBILITY, EMISSIONS, road_network=detour_road())
    assert result.synergies.empty and result.stats["network_beyond_radius"] == 1


def test_disconnected_road_network_falls_back_to_straight_line_with_a_flag():
    roads = LineNetwork.from_polylines([np.array([[0, 0], [0, 500]], dtype=float),
                                        np.array([[1000, 0], [1000, 500]], dtype=float)])
    result = m.detect_synergies(pd.DataFrame(wood_pair()), None, m.MatchingParams(), TAXONOMY, COMPATIBILITY,
                                EMISSIONS, road_network=roads)
    row = result.synergies.iloc[0]
    assert row["distance_kind"] == "straight_fallback" and row["distance_m"] == pytest.approx(1300)
    assert "réseau non relié" in row["reason"]
    assert result.stats["straight_fallback"] == 1


def test_existing_heat_network_only_the_connections_count():
    heat_net = LineNetwork.from_polylines([np.array([[0, 0], [10_000, 0]], dtype=float)])
    flows = [flow(A, "UVE A", "supply", "waste_heat", 20_000, 0, 50, 120)]
    zones = pd.DataFrame([{"zone_id": "Z1", "x": 10_000.0, "y": 80.0, "housing_heat_demand_mwh": 3000.0,
                           "typezone": "AUc", "libelle": "1AUm", "insee": "73065"}])
    # 10 km away: out of reach without the network
    assert run(flows, zones).synergies.empty
    result = m.detect_synergies(pd.DataFrame(flows), zones, m.MatchingParams(), TAXONOMY, COMPATIBILITY, EMISSIONS,
                                heat_network=heat_net)
    row = result.synergies.iloc[0]
    assert row["distance_kind"] == "heat_network"
    assert row["distance_m"] == pytest.approx((50 + 80) * 1.3)  # new connections only
    assert row["route_length_m"] == pytest.approx(10_000 + (50 + 80) * 1.3)
    assert row["kind"] == "housing_heat" and row["receiver_zone"] == "Z1" and row["is_future"]
    assert row["receiver_siret"] is None or pd.isna(row["receiver_siret"])
    assert row["reason"] == (
        "Chaleur fatale à 120{nb}°C d'UVE A (3,5{nb}GWh/an) → chauffage à 60{nb}°C des logements de la zone "
        "1AUm (Chambéry) à 10{nb}km par le réseau de chaleur existant (170{nb}m de raccordement à créer) — zone à "
        "urbaniser (projet futur)").format(nb=NB)


# --- Exclusions ------------------------------------------------------------------------------------------
def test_same_company_exchanges_are_excluded_unless_asked():
    same_siren = "11111111100029"
    flows = [flow(A, "Usine A", "supply", "wood_waste", 1000, 0, 0),
             flow(same_siren, "Usine A bis", "demand", "wood_raw_material", 900, 1000, 0)]
    result = run(flows)
    assert result.synergies.empty and result.stats["excluded_same_company"] == 1
    assert pairs(run(flows, exclude_same_company=False)) == [(A, same_siren, "wood_raw_material")]
    # one establishment never exchanges with itself
    own = [flow(A, "Usine A", "supply", "wood_waste", 1000, 0, 0),
           flow(A, "Usine A", "demand", "wood_raw_material", 900, 0, 0)]
    assert run(own, exclude_same_company=False).synergies.empty


# --- Outputs: impacts, reason, schema ----------------------------------------------------------------------
def test_reason_impacts_and_score_of_a_heat_synergy():
    flows = [flow(A, "Fromagerie A", "supply", "waste_heat", 1200, 0, 0, 85, confidence=0.8),
             flow(B, "Piscine B", "demand", "space_heating", 800, 650, 0, 60, confidence=0.7)]
    row = run(flows).synergies.iloc[0]
    q = 1200 * (7 / 12) / 0.9  # the source's heating-season heat, for a need 90 % in that season
    assert row["reason"] == ("Chaleur fatale à 85{nb}°C de Fromagerie A (780{nb}MWh/an) → chauffage à 60{nb}°C "
                             "de Piscine B à 850{nb}m (vol d'oiseau × 1,3)").format(nb=NB)
    assert row["reason_en"].startswith("Waste heat at 85")
    assert row["quantity"] == pytest.approx(q, rel=1e-5) and row["mwh_recovered"] == pytest.approx(q, rel=1e-5)
    delivered = q * 0.85
    assert row["quantity_demand"] == pytest.approx(delivered, rel=1e-5)
    assert row["co2_avoided_t"] == pytest.approx(delivered * 250 / 1000, rel=1e-5)  # heat pipes: no transport CO2
    assert row["nox_avoided_kg"] == pytest.approx(delivered * 150 / 1000, rel=1e-5)
    assert row["pm10_avoided_kg"] == pytest.approx(delivered * 1 / 1000, abs=1e-3)
    assert row["tonnes_diverted"] == 0
    assert 0 < row["score"] <= 1 and 0 < row["confidence"] < math.sqrt(0.8 * 0.7)
    assert row["kind"] == "heat_recovery" and row["status"] == "allocated" and row["rank"] == 1


def test_truck_transport_is_deducted_from_the_co2_of_a_material_synergy():
    flows = [flow(A, "Aciérie A", "supply", "slag", 10_000, 0, 0),
             flow(B, "Cimenterie B", "demand", "clinker_substitute", 9000, 10_000, 0)]
    row = run(flows).synergies.iloc[0]
    # 9,000 t of clinker x 0.8 t CO2, minus 10,000 t x 13 km x 0.1 kg/t.km
    assert row["co2_avoided_t"] == pytest.approx(9000 * 0.8 - 10_000 * 13 * 0.1 / 1000)
    assert row["tonnes_diverted"] == pytest.approx(10_000)
    assert row["reason"] == ("Laitiers et scories d'Aciérie A (10{nb}000{nb}t/an) → substitut de clinker pour "
                             "Cimenterie B à 13{nb}km (vol d'oiseau × 1,3)").format(nb=NB)
    assert list(run(flows).synergies.columns) == [*names(SYNERGY_FIELDS), "x1", "y1", "x2", "y2"]
    assert (row["x1"], row["y1"], row["x2"], row["y2"]) == (0, 0, 10_000, 0)


def test_french_number_formatting():
    assert m.fmt_quantity(1234.0, "MWh") == "1,2{}GWh/an".format(NB)
    assert m.fmt_quantity(250_000, "t") == "250{0}000{0}t/an".format(NB)
    assert m.fmt_quantity(8.46, "t") == "8,5{}t/an".format(NB)
    assert m.fmt_quantity(3400, "m3") == "3{0}400{0}m³/an".format(NB)
    assert m.fmt_distance(845) == "850{}m".format(NB)
    assert m.fmt_distance(3240) == "3,2{}km".format(NB)
    assert m.fmt_distance(26_401) == "26{}km".format(NB)


# --- Robustness ---------------------------------------------------------------------------------------------
def test_no_demand_gives_an_empty_result_with_a_message_not_an_error():
    result = run([flow(A, "Usine A", "supply", "waste_heat", 1000, 0, 0, 90)])
    assert result.synergies.empty and result.alternatives.empty
    assert list(result.synergies.columns) == [*names(SYNERGY_FIELDS), "x1", "y1", "x2", "y2"]
    assert any("0 demands" in msg for msg in result.messages)
    assert run(pd.DataFrame(columns=["flow_id", "direction", "resource", "quantity", "x", "y"])).synergies.empty


def test_null_quantities_unknown_resources_and_missing_positions_are_skipped_and_counted():
    flows = [flow(A, "Scierie A", "supply", "wood_waste", 1000, 0, 0),
             flow(B, "Panneaux B", "demand", "wood_raw_material", 900, 1000, 0),
             flow(C, "X", "supply", "wood_waste", None, 0, 0),
             flow(D, "Y", "supply", "unobtainium", 50, 0, 0),
             dict(flow(E, "Z", "demand", "wood_raw_material", 10, 0, 0), x=np.nan)]
    result = run(flows)
    assert len(result.synergies) == 1
    st = result.stats
    assert (st["skipped_no_quantity"], st["skipped_unknown_resource"], st["skipped_no_position"]) == (1, 1, 1)
    assert st["unknown_resources"] == ["unobtainium"]
    assert any("3 flows skipped" in msg for msg in result.messages)


def test_outputs_do_not_depend_on_input_order():
    rng = np.random.default_rng(1)
    flows = []
    for i in range(60):
        siret = "{:09d}00011".format(100_000_000 + i)
        res, dirn = [("wood_waste", "supply"), ("wood_raw_material", "demand"), ("waste_heat", "supply"),
                     ("space_heating", "demand")][i % 4]
        flows.append(flow(siret, "E{}".format(i), dirn, res, float(rng.integers(100, 5000)),
                          rng.uniform(0, 5000), rng.uniform(0, 5000), 90 if res == "waste_heat" else None))
    a = run(flows)
    b = run(list(reversed(flows)))
    assert len(a.synergies) > 5
    pd.testing.assert_frame_equal(a.synergies, b.synergies)
    pd.testing.assert_frame_equal(a.alternatives, b.alternatives)


# --- A Dunkirk-like territory from activity codes ----------------------------------------------------------
def naf_flows(sites) -> pd.DataFrame:
    """Flows of establishments from their NAF code, name and headcount through the shipped
    ratios and activity profiles (``core.estimation``, the rule of eit:estimateflows), so that
    the case depends on activity codes, names and positions only."""
    from eit_plugin.core import estimation

    est = pd.DataFrame([{"siret": siret, "name": name, "naf": naf, "headcount_est": float(headcount), "x": float(x),
                         "y": float(y)} for siret, name, naf, headcount, x, y in sites])
    flows, _ = estimation.estimate_flows(est)
    return flows


def test_dunkirk_like_symbiosis_from_naf_codes_with_the_shipped_reference_tables():
    """ECOPAL (Dunkirk): the steelworks' gases fuel a neighbouring power plant, its slag goes to a
    slag-cement plant, its waste heat feeds the town's heat network through a pipe to the network.
    Sites from NAF codes, rough headcounts and relative positions (metres, steelworks at the
    origin); nothing in the method is tuned to them."""
    steel, power, cement, dh = "10000000100011", "20000000200011", "30000000300011", "40000000400011"
    flows = naf_flows([
        (steel, "Aciérie intégrée", "24.10Z", 3000, 0, 0),
        (power, "Centrale thermique", "35.11Z", 50, 1500, 800),
        (cement, "Cimenterie de laitier", "23.51Z", 30, 4000, -2500),
        (dh, "Réseau de chaleur urbain", "35.30Z", 40, 7000, 2000),
    ])
    heat_net = LineNetwork.from_polylines([np.array([[300, 100], [3000, 1000], [7000, 2000]], dtype=float)])
    result = m.detect_synergies(flows, heat_network=heat_net)
    found = {(r["receiver_siret"], r["resource_supply"], r["resource_demand"]): r
             for _, r in result.synergies.iterrows()}
    assert (power, "process_gas", "gas_fuel") in found
    assert (cement, "slag", "clinker_substitute") in found
    heat = found[(dh, "waste_heat", "space_heating")]
    assert heat["distance_kind"] == "heat_network"  # the existing pipe is shorter to connect to
    assert (result.synergies["co2_avoided_t"] > 0).all()
    assert set(result.synergies["supplier_siret"]) == {steel}
    # without the network pipe: 7.3 km is within the reach of a source of several GWh a year (the
    # radius grows with the supply), found as a direct pipe, longer to build and scored lower
    direct = {(r["receiver_siret"], r["resource_supply"], r["resource_demand"]): r
              for _, r in m.detect_synergies(flows).synergies.iterrows()}[(dh, "waste_heat", "space_heating")]
    assert direct["distance_kind"] == "straight" and direct["distance_m"] > heat["distance_m"]
    assert direct["score"] < heat["score"]


def test_heat_reach_grows_with_the_source():
    """A large source reaches a heat demand 6 km away; a small one at the same distance does not
    (the pipe would cost more than the heat is worth)."""
    def case(mwh):
        flows = pd.DataFrame([
            flow("10000000000001", "Source", "supply", "waste_heat", mwh, 0.0, 0.0, 120.0, 1.0),
            flow("20000000000001", "Réseau", "demand", "space_heating", 50000.0, 6000.0, 0.0, 60.0, 1.0),
        ])
        return m.detect_synergies(flows).synergies
    assert len(case(40000.0)) == 1
    assert case(2000.0).empty


def test_future_zone_candidates_are_always_kept_as_alternatives():
    """A supply fully taken by nearer existing housing still shows the future project it could
    serve (what a planner tests), even beyond the alternatives cap."""
    import pandas as pd

    from eit_plugin.core import matching

    flows = pd.DataFrame([
        {"flow_id": "S", "siret": "90000000100017", "name": "UVE", "naf": "38.21Z", "direction": "supply",
         "resource": "waste_heat", "family": "heat", "quantity": 1000.0, "unit": "MWh", "temperature_c": 120.0,
         "ewc_code": None, "origin": "declared", "confidence": 1.0, "ratio_source": "", "x": 0.0, "y": 0.0},
    ])
    zones = pd.DataFrame([
        {"zone_id": "Z{}".format(i), "x": 100.0 * (i + 1), "y": 0.0, "housing_heat_demand_mwh": 2000.0,
         "is_future": False, "typezone": "U", "libelle": "UA", "insee": "73065", "area_m2": 10000.0}
        for i in range(5)
    ] + [{"zone_id": "FUT", "x": 600.0, "y": 0.0, "housing_heat_demand_mwh": 2000.0, "is_future": True,
          "typezone": "AUc", "libelle": "1AU", "insee": "73065", "area_m2": 10000.0}])
    params = matching.MatchingParams(max_alternatives=1)
    result = matching.detect_synergies(flows, zones=zones, params=params)
    assert "FUT" not in set(result.synergies["receiver_zone"])
    future = result.alternatives[result.alternatives["receiver_zone"] == "FUT"]
    assert len(future) == 1 and bool(future["is_future"].iloc[0])


# --- Waste hierarchy before distance; same position ---------------------------------------------------
def shipped_run(flows):
    return m.detect_synergies(pd.DataFrame(flows))


def test_glass_goes_to_a_distant_remelter_before_nearby_aggregates_and_downcycling_is_flagged():
    offcuts = flow(A, "Miroiterie A", "supply", "glass_waste", 500, 0, 0)
    aggregates = flow(B, "Centrale à béton B", "demand", "aggregates", 5000, 300, 0)
    remelter = flow(C, "Verrerie C", "demand", "cullet", 20000, 60_000, 0)
    result = shipped_run([offcuts, aggregates, remelter])
    assert pairs(result) == [(A, C, "cullet")]
    assert not result.synergies.iloc[0]["reason"].count("hiérarchie")
    # no remelter within reach: the aggregates route is kept, named as downcycling, less confident
    alone = shipped_run([offcuts, aggregates])
    row = alone.synergies.iloc[0]
    assert row["resource_demand"] == "aggregates"
    assert "débouché bas dans la hiérarchie des déchets" in row["reason"] and "calcin" in row["reason"]
    assert "waste hierarchy" in row["reason_en"]
    assert alone.stats["downcycling_synergies"] == 1
    assert any("waste hierarchy" in msg for msg in alone.messages)
    # a remelter beyond the reach of glass waste does not count as found
    far = shipped_run([offcuts, aggregates, flow(C, "Verrerie C", "demand", "cullet", 20000, 500_000, 0)])
    assert pairs(far) == [(A, B, "aggregates")] and far.stats["downcycling_synergies"] == 1


def test_two_firms_at_the_same_position_are_flagged_as_a_possible_internal_exchange():
    same = run([flow(A, "Scierie A", "supply", "wood_waste", 1000, 0, 0),
                flow(B, "Panneaux B", "demand", "wood_raw_material", 900, 0, 0)])
    apart = run([flow(A, "Scierie A", "supply", "wood_waste", 1000, 0, 0),
                 flow(B, "Panneaux B", "demand", "wood_raw_material", 900, 0.0, 50)])
    s_row, a_row = same.synergies.iloc[0], apart.synergies.iloc[0]
    assert "même position que le fournisseur" in s_row["reason"] and "internal exchange" in s_row["reason_en"]
    assert "même position" not in a_row["reason"]
    assert s_row["confidence"] == pytest.approx(0.7 * a_row["confidence"], rel=0.02)
    assert same.stats["same_point_synergies"] == 1 and apart.stats["same_point_synergies"] == 0
