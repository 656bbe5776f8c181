"""core.scenarios: planned activities and dwellings, zone rules, comparison of scenarios."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eit_plugin.core import scenario_report as scr
from eit_plugin.core import scenarios as sc
from eit_plugin.core.errors import EitInputError


# Planned activities -------------------------------------------------------------------------------
def test_parse_planned_activities_reads_naf_and_jobs():
    assert sc.parse_planned_activities("52.10B:80; 2562b = 30 |62.01Z:12,5") == [
        ("52.10B", 80.0), ("25.62B", 30.0), ("62.01Z", 12.5)]
    assert sc.parse_planned_activities(None) == []
    assert sc.parse_planned_activities("  ") == []


@pytest.mark.parametrize("text, word", [("52.10B", "NAF:emplois"), ("XX:10", "NAF"), ("52.10B:-3", "négatif")])
def test_parse_planned_activities_names_zone_and_item(text, word):
    with pytest.raises(EitInputError) as err:
        sc.parse_planned_activities(text, "1AUx (73065)")
    assert "1AUx (73065)" in str(err.value) and word in str(err.value)


def _zones(**extra):
    base = {"zone_id": ["z1", "z2"], "libelle": ["1AUx", "UA"], "insee": ["73065", "73065"],
            "x": [1000.0, 5000.0], "y": [1000.0, 5000.0]}
    base.update(extra)
    return pd.DataFrame(base)


def test_planned_establishments_have_stable_digit_free_ids_and_flows():
    zones = _zones(activites_prevues=["52.10B:80; 25.62B:30", None])
    est = sc.planned_establishments(zones)
    assert list(est["naf"]) == ["52.10B", "25.62B"]
    assert list(est["headcount_est"]) == [80.0, 30.0]
    assert all(s.startswith("prevu_") and not any(c.isdigit() for c in s) for s in est["siret"])
    # same zone label / commune / NAF in another layer (other zone id) → same key
    again = sc.planned_establishments(_zones(zone_id=["other", "z2"], activites_prevues=["52.10B:80; 25.62B:30", ""]))
    assert list(again["siret"]) == list(est["siret"])
    flows = sc.planned_flows(est)
    assert len(flows) and set(flows["siret"]) <= set(est["siret"])
    assert (flows["x"] == 1000.0).all()
    assert flows["ratio_source"].str.startswith("activité prévue").all()
    assert set(flows["headcount_est"]) <= {80.0, 30.0}


def test_housing_points_from_zone_fields_and_from_housing_layer():
    zones = _zones(nb_logements=[0, 120], nb_logements_prevus=[300, 0])
    pts = sc.housing_points(zones)
    assert sorted(zip(pts["zone_id"], pts["status"], pts["dwellings"])) == [
        ("z1", "projet", 300.0), ("z2", "existant", 120.0)]
    existing = pd.DataFrame({"x": [5000.0], "y": [5000.0], "dwellings": [100.0], "heated_area_m2": [np.nan]})
    pts = sc.housing_points(zones, existing=existing)
    # the HOUSING layer replaces nb_logements; planned dwellings still come from the zones
    assert sorted(zip(pts["status"], pts["dwellings"])) == [("existant", 100.0), ("projet", 300.0)]
    with pytest.raises(EitInputError, match="1AUx"):
        sc.housing_points(_zones(nb_logements_prevus=[-5, 0]))


# Rules ----------------------------------------------------------------------------------------------
def test_shipped_zone_rules_are_documented_and_most_specific_wins():
    rules = sc.load_zone_rules()
    assert (rules["source"].str.strip() != "").all() and (rules["rationale"].str.strip() != "").all()
    got = sc.rule_columns(["38.21Z", "10.71C", "10.51C", "62.01Z", "01.46Z", "00.00Z"], rules).set_index("naf")
    assert got.loc["38.21Z", "rule_code"] == "38.21" and got.loc["38.21Z", "next_to_housing"] == "forbidden"
    assert got.loc["10.71C", "next_to_housing"] == "allowed"          # class beats division 10
    assert got.loc["10.51C", "rule_code"] == "10"
    assert got.loc["62.01Z", "next_to_housing"] == "allowed"          # section J
    assert got.loc["01.46Z", "buffer_m"] == 100.0                      # livestock group 01.4
    assert got.loc["00.00Z", "next_to_housing"] == "allowed" and got.loc["00.00Z", "rule_code"] is None


def test_bad_rules_file_names_the_line(tmp_path):
    path = tmp_path / "rules.csv"
    path.write_text("code,level,next_to_housing,buffer_m,source,rationale\n"
                    "38.21,class,forbidden,300,assumption,incinerator\n"
                    "52.10,class,maybe,50,assumption,warehouses\n", encoding="utf-8")
    with pytest.raises(EitInputError, match="ligne 3"):
        sc.load_zone_rules(path)


def test_conflicts_for_planned_activities_and_dwellings_in_buffers():
    rules = sc.load_zone_rules()
    zones = pd.DataFrame({"zone_id": ["m", "h"], "libelle": ["1AUm", "1AUh"], "insee": ["73065", "73065"],
                          "housing_dwellings": [200.0, 300.0], "planned_dwellings": [200.0, 300.0]})
    planned = pd.DataFrame({"zone_id": ["m", "m", "m"], "naf": ["52.10B", "62.01Z", "25.62B"],
                            "name": ["entrepôt", "bureaux", "mécanique"], "siret": ["a", "b", "c"]})
    near = pd.DataFrame({"zone_id": ["h", "h"], "siret": ["u", "v"], "name": ["UVE", "Boulangerie"],
                         "naf": ["38.21Z", "10.71C"], "distance_m": [120.0, 10.0]})
    out = sc.compatibility_conflicts(planned, zones, near, rules)
    got = sorted(zip(out["zone_id"], out["kind"], out["severity"], out["naf"]))
    assert got == [("h", "dwellings_in_buffer", "conflict", "38.21Z"),
                   ("m", "activity_next_to_housing", "conflict", "52.10B"),
                   ("m", "activity_next_to_housing", "warning", "25.62B")]
    text = out.loc[out["naf"] == "38.21Z", "text_fr"].iloc[0]
    assert "300 logements prévus à 120 m de UVE" in text and "300 m" in text
    # the same activities in a zone without dwellings: nothing to say
    zones["housing_dwellings"] = 0.0
    assert sc.compatibility_conflicts(planned, zones, None, rules).empty


# Comparison -------------------------------------------------------------------------------------------
def _syn(rows):
    cols = ["kind", "supplier_siret", "supplier_name", "receiver_siret", "receiver_name", "receiver_zone",
            "resource_supply", "resource_demand", "quantity", "quantity_demand", "family", "mwh_recovered",
            "tonnes_diverted", "co2_avoided_t", "pm10_avoided_kg", "nox_avoided_kg", "synergy_id"]
    return pd.DataFrame(rows, columns=cols)


UVE = "90000000100017"


def _scenario_tables():
    # current: UVE heat → hospital (1000 MWh); the activity zone has no housing.
    cur_syn = _syn([
        ["heat_recovery", UVE, "UVE", "90000007600019", "Hôpital", "zU", "waste_heat", "space_heating",
         1000.0, 850.0, "heat", 1000.0, 0.0, 214.2, 4.08, 173.4, "S0001"],
    ])
    # scenario: the activity zone becomes mixed with 300 dwellings × 4 MWh = 1200 MWh served by the UVE.
    scen_syn = _syn([
        ["heat_recovery", UVE, "UVE", "90000007600019", "Hôpital", "zU", "waste_heat", "space_heating",
         1000.0, 850.0, "heat", 1000.0, 0.0, 214.2, 4.08, 173.4, "S0002"],
        ["housing_heat", UVE, "UVE", None, "logements de la zone 1AUm (73065)", "z9", "waste_heat", "space_heating",
         1411.765, 1200.0, "heat", 1411.765, 0.0, 302.4, 5.76, 244.8, "S0001"],
    ])
    cur_zones = pd.DataFrame({"zone_id": ["zA", "zU"], "housing_dwellings": [0.0, 50.0],
                              "housing_heat_demand_mwh": [0.0, 600.0], "jobs_est": [40.0, 10.0],
                              "mixity_index": [0.1, 0.5], "area_ha": [10.0, 10.0], "eit_potential": ["low", "high"]})
    scen_zones = pd.DataFrame({"zone_id": ["z9", "zU"], "housing_dwellings": [300.0, 50.0],
                               "housing_heat_demand_mwh": [1200.0, 600.0], "jobs_est": [40.0, 10.0],
                               "mixity_index": [0.6, 0.5], "area_ha": [10.0, 10.0], "eit_potential": ["high", "high"]})
    clusters = pd.DataFrame({"kind": ["pooling"], "resources": ["paper_cardboard"], "direction": ["supply"],
                             "members": ["b;a;c"], "total_quantity": [30.0], "truck_km_avoided": [500.0],
                             "land_need_m2": [200.0], "co2_avoided_t": [1.0], "n_members": [3]})
    return cur_syn, scen_syn, cur_zones, scen_zones, clusters


def test_mixed_zone_next_to_waste_heat_gains_a_housing_heat_synergy():
    cur_syn, scen_syn, cur_zones, scen_zones, clusters = _scenario_tables()
    ind = {"actuel": sc.scenario_indicators(cur_zones, cur_syn, clusters),
           "B": sc.scenario_indicators(scen_zones, scen_syn, clusters)}
    table = sc.comparison_table(ind)
    b = table[table["scenario"] == "B"].set_index("indicator")
    assert b.loc["mwh_housing", "difference"] == pytest.approx(1411.765)
    assert b.loc["mwh_housing", "better"] == 1
    assert b.loc["n_housing_heat", "value"] == 1 and b.loc["n_housing_heat", "current_value"] == 0
    assert b.loc["combustion_avoided_mwh", "difference"] == pytest.approx(1200.0)
    assert b.loc["pm10_avoided_kg", "difference"] == pytest.approx(5.76)
    assert b.loc["nox_avoided_kg", "difference"] == pytest.approx(244.8)
    assert b.loc["housing_dwellings", "difference"] == 300
    assert b.loc["mixity_mean", "difference"] == pytest.approx(0.25)
    # synergies matched by supplier/receiver/resources, not by synergy_id (ids swapped here)
    diff = sc.compare_items(cur_syn, scen_syn, "synergy")
    assert sorted(zip(diff["status"], diff["kind"])) == [("gained", "housing_heat"), ("kept", "heat_recovery")]
    text = scr.explain("B", table, diff, sc.compare_items(clusters, clusters, "cluster"), "fr")
    assert "+1\u202f412 MWh/an" in text and "1 synergie(s) gagnée(s), 0 perdue(s)" in text
    assert "+300 logements" in text


def test_clusters_matched_by_members_whatever_their_order():
    clusters = pd.DataFrame({"kind": ["pooling"], "resources": ["paper_cardboard"], "direction": ["supply"],
                             "members": ["b;a;c"], "total_quantity": [30.0], "n_members": [3]})
    other = clusters.assign(members=["c; a; b"], total_quantity=[45.0])
    diff = sc.compare_items(clusters, other, "cluster")
    assert list(diff["status"]) == ["changed"] and diff["difference"].iloc[0] == 15.0
    lost = sc.compare_items(clusters, clusters.iloc[0:0], "cluster")
    assert list(lost["status"]) == ["lost"]


def test_zone_changes_identical_redrawn_and_unchanged_zones():
    cur_syn, scen_syn, cur_zones, scen_zones, _ = _scenario_tables()
    cur_zones = cur_zones.assign(typezone=["AUc", "U"], destdomi=["02", "03"], libelle=["1AUx", "UA"], insee="73065")
    scen_zones = scen_zones.assign(typezone=["AUc", "U"], destdomi=["03", "03"], libelle=["1AUm", "UA"], insee="73065")
    cur_zones = pd.concat([cur_zones, scr.zone_synergy_totals(cur_zones, cur_syn)], axis=1)
    scen_zones = pd.concat([scen_zones, scr.zone_synergy_totals(scen_zones, scen_syn)], axis=1)
    # z9 is zA redrawn (covers all of it); zU is unchanged
    overlaps = pd.DataFrame({"scenario_zone": ["z9", "zU"], "current_zone": ["zA", "zU"], "share": [1.0, 1.0],
                             "identical": [False, True]})
    out = scr.zone_changes(cur_zones, scen_zones, overlaps)
    assert list(out["zone_id"]) == ["z9"]
    row = out.iloc[0]
    assert row["change_kind"] == "new_zone"
    assert row["housing_dwellings_diff"] == 300 and row["mwh_received_diff"] == pytest.approx(1411.765)
    assert row["heat_delivered_mwh_diff"] == pytest.approx(1200.0) and row["pm10_avoided_kg_diff"] == pytest.approx(5.76)
    project = sc.project_rows("B", out).set_index("indicator")
    assert project.loc["project_combustion_avoided_mwh", "difference"] == pytest.approx(1200.0)
    assert project.loc["project_nox_avoided_kg", "value"] == pytest.approx(244.8)
    assert "1AUm (73065)" in row["summary_fr"] and "logements +300" in row["summary_fr"]
    # same geometry, zoning changed → "zoning"
    overlaps2 = overlaps.assign(identical=[True, True])
    out2 = scr.zone_changes(cur_zones, scen_zones, overlaps2)
    assert list(out2["change_kind"]) == ["zoning"]


def test_section_renders_the_comparison():
    cur_syn, scen_syn, cur_zones, scen_zones, clusters = _scenario_tables()
    ind = {"actuel": sc.scenario_indicators(cur_zones, cur_syn, clusters),
           "B": sc.scenario_indicators(scen_zones, scen_syn, clusters)}
    table = sc.comparison_table(ind)
    syn = sc.compare_items(cur_syn, scen_syn, "synergy")
    clu = sc.compare_items(clusters, clusters, "cluster")
    ctx = scr.section_context(table, {"B": "phrase"}, {"B": (syn, clu)}, {}, "fr")
    html = scr.render_section(ctx)
    assert "<h2>Scénarios de zonage</h2>" in html and "phrase" in html
    assert "gagnée" in html and "logements de la zone 1AUm (73065)" in html
    assert "<b>+1\u202f412</b>" in html  # favourable difference in bold


def test_housing_receivers_are_matched_by_place_not_by_zone_id():
    row = ["housing_heat", UVE, "UVE", None, "logements de la zone UA (73179)", "73179_PLU:UA:3", "waste_heat",
           "space_heating", 100.0, 85.0, "heat", 100.0, 0.0, 20.0, 0.1, 17.0, "S1"]
    other = list(row)
    other[4:6] = ["logements de la zone UA (73179)", "73179_PLU:UA:4"]  # same label, another zone
    current = _syn([row, other])
    # the scenario renumbered the zones: UA:3 is now UA:7 (same geometry), UA:4 is gone
    moved = list(row)
    moved[5] = "73179_PLU:UA:7"
    diff = sc.compare_items(current, _syn([moved]), "synergy", zone_alias={"73179_PLU:UA:7": "73179_PLU:UA:3"})
    assert sorted(zip(diff["status"], diff["key"])) == [
        ("kept", UVE + "|zone:73179_PLU:UA:3|waste_heat|space_heating"),
        ("lost", UVE + "|zone:73179_PLU:UA:4|waste_heat|space_heating")]
