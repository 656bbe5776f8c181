"""Every avoided tonne, MWh and t CO₂ is counted once; every published figure adds up."""
import pandas as pd
import pytest

from eit_plugin.core import ledger


def _synergies():
    # Four suppliers; S1-S3 form an exchange cluster E-1 (their CO₂ restated by the cluster).
    return pd.DataFrame([
        {"synergy_id": "S1", "kind": "substitution", "supplier_siret": "A", "receiver_siret": "B",
         "resource_supply": "wood_waste", "resource_demand": "wood_raw_material", "quantity": 100.0, "unit": "t",
         "co2_avoided_t": 10.0, "tonnes_diverted": 100.0, "mwh_recovered": 0.0},
        {"synergy_id": "S2", "kind": "cascade", "supplier_siret": "B", "receiver_siret": "C",
         "resource_supply": "food_waste", "resource_demand": "organic_amendment", "quantity": 50.0, "unit": "t",
         "co2_avoided_t": 5.0, "tonnes_diverted": 50.0, "mwh_recovered": 0.0},
        {"synergy_id": "S3", "kind": "heat_recovery", "supplier_siret": "C", "receiver_siret": "A",
         "resource_supply": "waste_heat", "resource_demand": "space_heating", "quantity": 200.0, "unit": "MWh",
         "quantity_demand": 200.0, "co2_avoided_t": 40.0, "mwh_recovered": 200.0, "pm10_avoided_kg": 1.0,
         "nox_avoided_kg": 20.0},
        {"synergy_id": "S4", "kind": "substitution", "supplier_siret": "D", "receiver_siret": "E",
         "resource_supply": "treated_wastewater", "resource_demand": "nonpotable_water", "quantity": 1000.0,
         "unit": "m3", "co2_avoided_t": 1.0},
    ])


def _clusters():
    return pd.DataFrame([
        {"cluster_id": "E-1", "kind": "exchange", "group": "exchange", "members": "A, B, C",
         "resources": "wood_waste", "co2_avoided_t": 55.0, "land_need_m2": 0.0, "total_quantity": float("nan")},
        {"cluster_id": "P-dry-1", "kind": "pooling", "group": "dry_packaging", "action": "shared_collection",
         "members": "F, G, H", "resources": "paper_cardboard", "total_quantity": 30.0, "co2_avoided_t": 1.5,
         "truck_km_avoided": 1500.0, "cost_saving_eur": 900.0, "land_need_m2": 100.0},
        # A shared boiler whose member A already receives 200 MWh of recovered heat (S3).
        {"cluster_id": "P-heat-1", "kind": "pooling", "group": "low_temp_heat_demand", "action": "shared_heat",
         "members": "A, I, J", "resources": "space_heating", "total_quantity": 1000.0, "co2_avoided_t": 11.0,
         "truck_km_avoided": 0.0, "cost_saving_eur": 8000.0, "land_need_m2": 300.0},
    ])


def _figures(public=False, synergies=None, clusters=None):
    synergies = _synergies() if synergies is None else synergies
    clusters = _clusters() if clusters is None else clusters
    return ledger.figures(ledger.headline(synergies, clusters, None, {"establishments": 10}, public))


def test_headline_co2_is_the_sum_of_distinct_synergies_and_pooling_actions():
    fig = _figures()
    # 10 + 5 + 40 + 1 from synergies; pooling: 1.5 + (11 - 200 MWh x 11 kg/MWh already covered by S3).
    assert fig["co2_synergies_t"] == pytest.approx(56.0)
    assert fig["co2_pooling_t"] == pytest.approx(1.5 + 11.0 - 2.2)
    assert fig["co2_avoided_t"] == pytest.approx(56.0 + 10.3)
    # The exchange cluster shows its synergies' CO₂ but does not add it.
    assert fig["co2_in_exchange_clusters_t"] == pytest.approx(55.0)
    assert fig["co2_pooling_overlap_t"] == pytest.approx(2.2)


def test_units_are_never_summed_across():
    fig = _figures()
    assert fig["tonnes_diverted"] == 150.0
    assert fig["mwh_recovered"] == 200.0
    assert fig["water_reused_m3"] == 1000.0
    assert fig["quantity:substitution:t"] == 100.0 and fig["quantity:substitution:m3"] == 1000.0
    assert fig["quantity:cascade:t"] == 50.0 and fig["quantity:heat_recovery:MWh"] == 200.0
    # Land comes from the clusters' land need (land_need_m2), facilities only.
    assert fig["land_need_m2"] == 400.0
    assert fig["truck_km_avoided"] == 1500.0


def test_parts_add_up_to_totals():
    table = ledger.headline(_synergies(), _clusters(), None, {}, public=False)
    fig = ledger.figures(table)
    assert fig["co2_avoided_t"] == pytest.approx(fig["co2_synergies_t"] + fig["co2_pooling_t"])
    by_kind = [v for k, v in fig.items() if k.startswith("co2:")]
    assert sum(by_kind) == pytest.approx(fig["co2_synergies_t"])
    assert sum(v for k, v in fig.items() if k.startswith("count:")) == fig["count_synergies"]


def test_every_label_is_a_potential_unless_declared_existing():
    table = ledger.headline(_synergies(), _clusters(), None, {}, public=False)
    impacts = table[~table["indicator"].str.startswith("count")]
    assert all(("pourrai" in label or "dont" in label or "prévoir" in label or "non compté" in label
                or "produits" in label or "possibles" in label)
               for label in impacts["label_fr"]), list(impacts["label_fr"])
    running = _synergies().assign(existing=[True, False, False, False])
    fig = ledger.figures(ledger.headline(running, None, None, {}, public=False))
    assert fig["co2_avoided_t_existing"] == 10.0 and fig["co2_avoided_t"] == 46.0
    labels = dict(zip(*ledger.headline(running, None, None, {}).pipe(lambda t: (t["indicator"], t["label_fr"]))))
    assert "déjà" in labels["co2_avoided_t_existing"]


def test_public_summary_withholds_and_protects_by_difference():
    # Water: one supplier only → withheld; the m³ substitution CO₂ cannot be deduced from the
    # published synergy total minus the other kinds: the smallest other kind is withheld too.
    fig = _figures(public=True)
    assert fig["water_reused_m3"] is None
    assert fig["co2:substitution:m3"] is None
    withheld = [k for k, v in fig.items() if k.startswith("co2:") and v is None]
    assert len(withheld) >= 2 or fig["co2_synergies_t"] is None
    # Published totals equal the sum of their published parts when all parts are public.
    assert fig["truck_km_avoided"] == 1500.0


def test_rows_round_trip_through_the_geopackage_strings():
    table = ledger.headline(_synergies(), _clusters(), None, {"establishments": 10}, public=True)
    rows = ledger.summary_rows(table)
    assert dict((r[0], r[1]) for r in rows)["water_reused_m3"] == "n.d."  # withheld, written as such
    back = ledger.summary_from_rows(rows)
    assert ledger.figures(back) == {k: (None if v is None else round(v, 3)) for k, v in ledger.figures(table).items()}
    assert list(back["label_fr"]) == list(table["label_fr"])


def test_waste_produced_puts_the_diverted_tonnage_in_proportion():
    flows = pd.DataFrame({"siret": list("ABCD"), "direction": "supply", "family": "waste", "unit": "t",
                          "quantity": [100.0, 100.0, 100.0, 100.0]})
    fig = ledger.figures(ledger.headline(_synergies(), None, flows, {}, public=True))
    assert fig["waste_produced_t"] == 400.0


def test_rows_of_two_units_of_one_kind_read_different_labels():
    # Water (m³) and materials (t) substitutions: a reader must not take one row for the other.
    table = ledger.headline(_synergies(), _clusters(), None, {"establishments": 10}, False)
    for column in ("label_fr", "label_en"):
        labels = dict(zip(table["indicator"], table[column]))
        water, materials = labels["quantity:substitution:m3"], labels["quantity:substitution:t"]
        assert water != materials
        assert ("eau" in water) if column == "label_fr" else ("water" in water)
        assert ("matières" in materials) if column == "label_fr" else ("material" in materials)
        assert len(set(table[column])) == len(table)
