"""core.estimation: estimates pinned for known establishments, declared flows win, bad surveys explained."""
import numpy as np
import pandas as pd
import pytest

from eit_plugin.core import estimation, reference
from eit_plugin.core.errors import EitInputError
from eit_plugin.core.fields import FLOW_FIELDS, names
from eit_plugin.core.tables import read_table

CHEESE = "11111111111111"
BAKERY = "22222222222222"
UNKNOWN_NAF = "33333333333333"
STEEL = "44444444444444"
HEAT_NETWORK = "55555555555555"


def establishments():
    return pd.DataFrame({
        "siret": [CHEESE, BAKERY, UNKNOWN_NAF, STEEL, HEAT_NETWORK, "66666666666666", "77777777777777"],
        "name": ["Coopérative laitière", "Boulangerie du Centre", "Activité X", "Aciérie", "Réseau de chaleur",
                 "Cabinet", "Sans NAF"],
        "naf": ["10.51C", "1071C", "99.00Z", "24.10Z", "35.30Z", "69.10Z", None],
        "headcount_band": ["12", "02", "11", "42", "NN", "00", "03"],
        "x": [940000.0, 941000.0, 942000.0, 943000.0, 944000.0, 945000.0, 946000.0],
        "y": [6500000.0, 6501000.0, 6502000.0, 6503000.0, 6504000.0, 6505000.0, 6506000.0],
    })


def by_id(flows):
    return flows.set_index("flow_id")


def test_cheese_dairy_band_12_is_pinned():
    flows, _ = estimation.estimate_flows(establishments())
    f = by_id(flows)
    whey = f.loc[CHEESE + ":S:agrifood_byproducts"]
    # band 12 = 20-49 employees, estimate 34.5; 400 t of whey per employee (ratios.csv 10.51C)
    assert whey["quantity"] == pytest.approx(13800.0)
    assert whey["unit"] == "t" and whey["family"] == "waste" and whey["ewc_code"] == "02 05 01"
    assert whey["confidence"] == 0.35 and whey["origin"] == "estimated"
    assert whey["ratio_source"] == "ratios.csv:10.51C — assumption"
    heat = f.loc[CHEESE + ":D:process_heat"]
    assert heat["quantity"] == pytest.approx(3450.0) and heat["temperature_c"] == 80
    assert f.loc[CHEESE + ":S:waste_heat", "temperature_c"] == 35
    # inherited from division 10: packaging cardboard
    assert f.loc[CHEESE + ":S:paper_cardboard", "quantity"] == pytest.approx(17.25)
    assert f.loc[CHEESE + ":S:paper_cardboard", "ratio_source"] == "ratios.csv:10 — assumption"
    assert whey["x"] == 940000.0 and whey["naf"] == "10.51C" and whey["name"] == "Coopérative laitière"


def test_output_columns_and_order():
    flows, _ = estimation.estimate_flows(establishments())
    assert list(flows.columns) == [*names(FLOW_FIELDS), "x", "y"]
    assert flows["flow_id"].is_monotonic_increasing and flows["flow_id"].is_unique


def test_craft_bakery_cancels_industrial_defaults():
    flows, _ = estimation.estimate_flows(establishments())
    bakery = flows[flows["siret"] == BAKERY]
    assert set(bakery["resource"]) == {"food_waste", "paper_cardboard"}  # no process heat, no waste heat
    assert bakery.set_index("resource").at["food_waste", "quantity"] == pytest.approx(1.2)  # 0.3 t × 4
    assert bakery["naf"].iloc[0] == "10.71C"  # normalised from 1071C


def test_steelworks_flows_for_the_dunkirk_chain():
    flows, _ = estimation.estimate_flows(establishments())
    steel = flows[flows["siret"] == STEEL].set_index("resource")
    assert steel.at["slag", "quantity"] == pytest.approx(500 * 1499.5)
    assert steel.at["waste_heat", "temperature_c"] >= 100
    assert "process_gas" in steel.index


def test_unknown_headcount_keeps_only_the_fixed_part():
    flows, report = estimation.estimate_flows(establishments())
    network = flows[flows["siret"] == HEAT_NETWORK].set_index("resource")
    assert list(network.index) == ["space_heating"]  # biomass demand is per employee only
    assert network.at["space_heating", "quantity"] == 5000.0
    assert report.n_unknown_headcount == 1


def test_report_counts_what_got_no_flow():
    _, report = estimation.estimate_flows(establishments())
    assert report.n_establishments == 7
    assert report.n_no_ratio == 1 and report.no_ratio_by_division == {"99": 1}
    assert report.n_invalid_naf == 1
    assert report.n_zero_headcount == 1  # the band-00 accounting office
    assert report.n_with_flows == 4
    lines = report.lines()
    assert lines[0] == "7 establishments read; 4 have at least one flow."
    assert ("1 establishments have no ratio for their NAF code and got no estimated flow; by NAF division: 99 (1). "
            "Add rows to a ratio file (RATIOS) or declare their flows to cover them.") in lines


def test_headcount_est_wins_over_band():
    frame = establishments().iloc[:1].assign(headcount_est=[10.0])
    flows, _ = estimation.estimate_flows(frame)
    assert by_id(flows).loc[CHEESE + ":S:agrifood_byproducts", "quantity"] == pytest.approx(4000.0)


def test_duplicate_siret_used_once():
    frame = pd.concat([establishments().iloc[:1], establishments().iloc[:1]])
    flows, report = estimation.estimate_flows(frame)
    assert report.n_duplicate_sirets == 1 and flows["flow_id"].is_unique


def test_user_ratios_replace_the_shipped_table(tmp_path):
    path = tmp_path / "ratios_user.csv"
    path.write_text("naf,direction,resource,quantity_per_employee,quantity_fixed,unit,temperature_c,ewc_code,"
                    "confidence,source,rationale\n10.51C,supply,agrifood_byproducts,100,0,t,,02 05 01,0.8,"
                    "Enquête coopératives 2024,\n", encoding="utf-8")
    flows, report = estimation.estimate_flows(establishments(), ratios=reference.load_ratios(path),
                                              ratio_label="ratios_user.csv")
    assert list(flows["flow_id"]) == [CHEESE + ":S:agrifood_byproducts"]
    assert flows["quantity"].iloc[0] == pytest.approx(3450.0)
    assert flows["ratio_source"].iloc[0] == "ratios_user.csv:10.51C — Enquête coopératives 2024"
    assert report.n_no_ratio == 5  # no division-10, 24, 35, 69 or 99 row in this file


def test_many_establishments_vectorised():
    n = 50_000
    rng = np.random.default_rng(1)
    codes = reference.load_naf_labels()["naf"].to_numpy()
    frame = pd.DataFrame({
        "siret": [str(10**13 + i) for i in range(n)], "name": "x", "naf": rng.choice(codes, n),
        "headcount_band": rng.choice(["01", "02", "11", "12", "NN"], n), "x": 1.0, "y": 2.0})
    # activity profiles off: the naive lookup below knows only the rows common to every profile
    flows, report = estimation.estimate_flows(frame, profiles=estimation.load_profiles().iloc[0:0])
    assert report.n_establishments == n and flows["flow_id"].is_unique
    # same result as a naive per-establishment lookup, on a sample
    ratios = reference.load_ratios()
    ratios = ratios[ratios["profile"] == ""]
    heads = {"01": 1.5, "02": 4.0, "11": 14.5, "12": 34.5, "NN": 0.0}
    by_key = {key: list(group.itertuples()) for key, group in ratios.groupby("naf")}
    sample = frame.sample(300, random_state=2)
    got = flows[flows["siret"].isin(set(sample["siret"]))]
    got = {siret: dict(zip(g["flow_id"], g["quantity"])) for siret, g in got.groupby("siret")}
    for row in sample.itertuples():
        expected = {}
        for key in reversed(reference.naf_keys(row.naf)):  # least specific first, overwritten by more specific
            for r in by_key.get(key, []):
                expected[(r.direction, r.resource)] = r.quantity_per_employee * heads[row.headcount_band] + r.quantity_fixed
        expected = {"{}:{}:{}".format(row.siret, "S" if d == "supply" else "D", res): q
                    for (d, res), q in expected.items() if q > 0}
        actual = got.get(row.siret, {})
        assert actual == pytest.approx(expected), row.naf


# --- declared flows ------------------------------------------------------------------------------
def survey(rows, columns=("siret", "direction", "resource", "quantity", "unit", "temperature_c", "ewc_code")):
    return pd.DataFrame(rows, columns=list(columns), dtype=object)


def test_declared_overrides_estimated_for_the_same_resource_only():
    declared = survey([[CHEESE, "supply", "agrifood_byproducts", "9 500 000", "kg", None, "020501"],
                       [CHEESE, "ressource", "waste_heat", "2000", "MWh", "55", None],
                       [CHEESE, "besoin", "electricity", "3,5", "GWh", None, None]])
    flows, report = estimation.build_flows(establishments(), declared=declared, declared_label="enquete.csv")
    f = by_id(flows)
    whey = f.loc[CHEESE + ":S:agrifood_byproducts"]
    assert whey["quantity"] == pytest.approx(9500.0) and whey["unit"] == "t"
    assert whey["origin"] == "declared" and whey["confidence"] == 1.0
    assert whey["ratio_source"] == "declared (enquete.csv, line 2)"
    assert whey["ewc_code"] == "02 05 01"
    assert f.loc[CHEESE + ":S:waste_heat", "temperature_c"] == 55
    assert f.loc[CHEESE + ":D:electricity", "quantity"] == pytest.approx(3500.0)
    # estimates of other resources stay
    assert f.loc[CHEESE + ":D:process_heat", "origin"] == "estimated"
    assert report.declared.n_used == 3 and report.declared.n_replaced == 2 and report.declared.n_added == 1
    assert (flows["flow_id"].str.startswith(CHEESE) & (flows["origin"] == "declared")).sum() == 3


def test_declared_heat_without_temperature_takes_the_estimate():
    declared = survey([[CHEESE, "supply", "waste_heat", "800", "MWh", None, None]])
    flows, _ = estimation.build_flows(establishments(), declared=declared)
    assert by_id(flows).loc[CHEESE + ":S:waste_heat", "temperature_c"] == 35


def test_declared_hazardous_flag_comes_from_the_list():
    declared = survey([[STEEL, "supply", "waste_oil", "12", "t", None, "13 02 05"]])
    flows, _ = estimation.build_flows(establishments(), declared=declared)
    assert by_id(flows).loc[STEEL + ":S:waste_oil", "ewc_code"] == "13 02 05*"


def test_declared_unknown_siret_is_reported_not_placed():
    declared = survey([[STEEL, "supply", "slag", "10", "t", None, None],
                       ["12345678900012", "supply", "slag", "10", "t", None, None]])
    flows, report = estimation.build_flows(establishments(), declared=declared)
    assert report.declared.unknown_sirets == ["12345678900012"]
    assert not flows["siret"].eq("12345678900012").any()
    # the file line (header = 1) lets the user find the row even where the log hides SIRETs
    assert ("Declared rows skipped because their SIRET is not among the establishments (they cannot be placed on "
            "the map): line 3 (12345678900012). Check the SIRET or add the establishment.") in report.lines()


@pytest.mark.parametrize("row, message", [
    (["1234", "supply", "slag", "10", "t"], "Line 2: SIRET '1234' must be 14 digits."),
    ([STEEL, "output?", "slag", "10", "t"],
     "Line 2: direction 'output?' must be 'supply' or 'demand' (French: 'ressource' or 'besoin')."),
    ([STEEL, "supply", "wood_wast", "10", "t"],
     "Line 2: unknown resource 'wood_wast' (did you mean 'wood_waste'?). Use a code of taxonomy.csv (e.g. "
     "waste_heat, wood_waste, process_heat)."),
    ([STEEL, "demand", "slag", "10", "t"],
     "Line 2: resource 'slag' can only be a supply, not a demand. Declare what is needed with a demand code (e.g. "
     "solid_biomass_fuel, animal_feed) or what is given with a supply code."),
    ([STEEL, "supply", "slag", "", "t"], "Line 2: the quantity is missing."),
    ([STEEL, "supply", "slag", "beaucoup", "t"], "Line 2: quantity 'beaucoup' is not a number."),
    ([STEEL, "supply", "slag", "-5", "t"],
     "Line 2: quantity -5 is negative: give the yearly quantity as a positive number and the direction as supply or "
     "demand."),
    ([STEEL, "supply", "slag", "0", "t"], "Line 2: quantity is zero: leave the row out when there is no flow."),
    ([STEEL, "supply", "slag", "3e12", "tonnes"],
     "Line 2: 3e+12 tonnes a year is implausible for one establishment (more than 1e+09 t, beyond any single site "
     "in the world): check the quantity and the unit."),
    ([STEEL, "supply", "slag", "10", "MWh"],
     "Line 2: unit 'MWh' is a energy but this resource is counted in t (mass). Use one of: t, tonnes, kg, kt."),
    ([STEEL, "supply", "slag", "10", "brouettes"], "Line 2: unknown unit 'brouettes'. Use one of: t, tonnes, kg, kt."),
])
def test_each_bad_declared_row_is_rejected_with_its_line(row, message):
    good = [STEEL, "supply", "metal_scrap", "10", "t"]
    declared = survey([row, good], columns=("siret", "direction", "resource", "quantity", "unit"))
    rows, report = estimation.parse_declared(declared, label="s.csv")
    assert report.rejected == [(2, message)]
    assert list(rows["resource"]) == ["metal_scrap"]


def test_duplicates_reported():
    declared = survey([[STEEL, "supply", "slag", "10", "t"], [STEEL, "ressource", "slag", "12", "t"]],
                      columns=("siret", "direction", "resource", "quantity", "unit"))
    rows, report = estimation.parse_declared(declared)
    assert len(rows) == 1 and rows["quantity"].iloc[0] == 10
    assert report.n_duplicates == 1
    assert report.rejected == [(3, "Line 3: duplicate of line 2 (same SIRET, direction and resource): ignored. "
                                   "Merge the two rows into one if both are real.")]


def test_malformed_ewc_keeps_the_flow_without_code():
    declared = survey([[STEEL, "supply", "slag", "10", "t", None, "10-02"],
                       [STEEL, "supply", "metal_scrap", "10", "t", None, "99 99 99"]])
    rows, report = estimation.parse_declared(declared)
    assert list(rows["ewc_code"]) == ["", ""]
    assert report.notes == [
        (2, "Line 2: List-of-Waste code '10-02' is malformed (expected e.g. 02 05 01): the flow is kept without a "
            "code."),
        (3, "Line 3: '99 99 99' is not in the List of Waste: the flow is kept without a code."),
    ]


def test_well_formed_code_missing_from_the_partial_list_is_kept_with_a_warning():
    # real List-of-Waste entries that the shipped (partial) list does not carry
    declared = survey([[STEEL, "supply", "metal_scrap", "10", "t", None, "160122"],
                       [STEEL, "supply", "solvents", "2", "t", None, "16 05 06*"]])
    rows, report = estimation.parse_declared(declared)
    assert list(rows["ewc_code"]) == ["16 01 22", "16 05 06*"]
    assert report.rejected == []
    assert report.notes == [
        (2, "Line 2: List-of-Waste code '16 01 22' is not in the shipped partial list: check it. The code is kept as "
            "written."),
        (3, "Line 3: List-of-Waste code '16 05 06*' is not in the shipped partial list: check it. The code is kept as "
            "written."),
    ]
    assert any("16 01 22" in line for line in report.lines())


def test_a_full_list_supplied_by_the_user_silences_the_warning(tmp_path):
    path = tmp_path / "liste_complete.csv"
    path.write_text("code,label_fr,hazardous,source\n160122,composants non spécifiés ailleurs,0,JO 2014\n",
                    encoding="utf-8")
    declared = survey([[STEEL, "supply", "metal_scrap", "10", "t", None, "16 01 22"]])
    rows, report = estimation.parse_declared(declared, ewc=reference.load_ewc(path))
    assert list(rows["ewc_code"]) == ["16 01 22"] and report.notes == []


def test_missing_unit_is_noted_and_canonical_assumed():
    declared = survey([[STEEL, "supply", "slag", "10", None]], columns=("siret", "direction", "resource", "quantity",
                                                                        "unit"))
    rows, report = estimation.parse_declared(declared)
    assert rows["quantity"].iloc[0] == 10 and rows["unit"].iloc[0] == "t"
    assert report.notes == [(2, "Line 2: no unit given: the quantity is taken in t.")]


def test_missing_columns_message():
    with pytest.raises(EitInputError) as err:
        estimation.parse_declared(pd.DataFrame({"siret": [STEEL], "amount": ["3"]}), label="survey.csv")
    assert str(err.value) == (
        "Declared flows 'survey.csv': missing column(s) direction, resource, quantity. Expected: siret, direction "
        "(supply/demand or ressource/besoin), resource, quantity, unit, optional temperature_c, ewc_code, comment. "
        "Columns found: siret, amount.")


def test_all_rows_rejected_is_an_error():
    declared = survey([[STEEL, "supply", "slag", "-1", "t"]], columns=("siret", "direction", "resource", "quantity",
                                                                       "unit"))
    with pytest.raises(EitInputError) as err:
        estimation.parse_declared(declared, label="bad.csv")
    assert str(err.value) == ("Declared flows 'bad.csv': no usable row (1 rejected). First problems: Line 2: "
                              "quantity -1 is negative: give the yearly quantity as a positive number and the "
                              "direction as supply or demand.")


def test_french_windows_survey_file_end_to_end(tmp_path):
    text = ("\ufeffSIRET;Sens;Ressource;Quantité;Unité;Température;Code déchet;Commentaire\r\n"
            "{};ressource;agrifood_byproducts;1 234,5;tonnes;;02 05 01;lactosérum\r\n"
            "{};besoin;space_heating;25 000;MWh;65;;réseau de Chambéry\r\n").format(CHEESE, HEAT_NETWORK)
    path = tmp_path / "enquete.csv"
    path.write_bytes(text.encode("utf-8"))
    flows, report = estimation.build_flows(establishments(), declared=read_table(path), declared_label="enquete.csv")
    f = by_id(flows)
    assert f.loc[CHEESE + ":S:agrifood_byproducts", "quantity"] == pytest.approx(1234.5)
    assert f.loc[HEAT_NETWORK + ":D:space_heating", "quantity"] == 25000
    assert f.loc[HEAT_NETWORK + ":D:space_heating", "temperature_c"] == 65
    assert report.declared.n_rejected == 0


def test_cp1252_semicolon_survey(tmp_path):
    text = ("siret;direction;ressource;quantite;unite\r\n"
            "{};ressource;déchets;5;t\r\n{};ressource;metal_scrap;5;t\r\n").format(STEEL, STEEL)
    path = tmp_path / "enquete_1252.csv"
    path.write_bytes(text.encode("cp1252"))
    rows, report = estimation.parse_declared(read_table(path), label=path.name)
    assert report.rejected[0][1].startswith("Line 2: unknown resource 'déchets'")
    assert list(rows["resource"]) == ["metal_scrap"]


def test_decimal_formats():
    assert estimation._parse_number("1 234,5") == 1234.5
    assert estimation._parse_number("1,234.5") == 1234.5
    assert estimation._parse_number("1.234,5") == 1234.5
    assert estimation._parse_number("12") == 12.0


def test_dunkirk_symbiosis_is_findable_from_naf_codes_alone():
    """Steelworks gases → power plant; steelworks heat → heat network; slag → slag-cement plant;
    cement → concrete maker (documented ECOPAL case), with no case-specific tuning."""
    sites = pd.DataFrame({
        "siret": ["10000000000001", "10000000000002", "10000000000003", "10000000000004", "10000000000005"],
        "naf": ["24.10Z", "35.11Z", "35.30Z", "23.51Z", "23.63Z"],
        # 35.11Z covers solar farms as well as thermal plants: the name tells this one burns gas
        "name": ["Aciérie", "Centrale thermique à cycle combiné", "Réseau de chaleur", "Cimenterie", "Béton"],
        "headcount_band": ["51", "11", "11", "21", "11"], "x": 0.0, "y": 0.0})
    flows, _ = estimation.estimate_flows(sites)
    rules = reference.load_compatibility()
    supplies = flows[flows["direction"] == "supply"]
    demands = flows[flows["direction"] == "demand"]
    pairs = supplies.merge(rules, left_on="resource", right_on="supply_resource").merge(
        demands, left_on="demand_resource", right_on="resource", suffixes=("_s", "_d"))
    pairs = pairs[pairs["siret_s"] != pairs["siret_d"]]
    heat = pairs["family_supply"] == "heat"
    ok_temp = pairs["temperature_c_s"] >= pairs["temperature_c_d"] + pairs["min_temp_margin_k"].fillna(0)
    found = set(zip(pairs.loc[~heat | ok_temp, "naf_s"], pairs.loc[~heat | ok_temp, "resource_s"],
                    pairs.loc[~heat | ok_temp, "naf_d"], pairs.loc[~heat | ok_temp, "resource_d"]))
    assert ("24.10Z", "process_gas", "35.11Z", "gas_fuel") in found
    assert ("24.10Z", "waste_heat", "35.30Z", "space_heating") in found
    assert ("24.10Z", "slag", "23.51Z", "clinker_substitute") in found
    assert ("23.51Z", "cement", "23.63Z", "cement") in found


def test_well_formed_but_unknown_naf_is_reported_as_unknown():
    frame = pd.DataFrame({"siret": ["12345678900012", "12345678900020"], "naf": ["00.00Z", "99.99Z"],
                          "headcount_band": ["11", "11"]})
    flows, report = estimation.estimate_flows(frame)
    assert flows.empty and report.n_invalid_naf == 2 and report.n_no_ratio == 0
    assert ("2 establishments have a missing, malformed or unknown NAF code (not in NAF rév. 2, e.g. 00.00Z, "
            "99.99Z) and got no estimated flow.") in report.lines()


def test_declared_table_built_column_by_column_equals_the_concatenated_sort():
    from eit_plugin.core import declared as declared_mod

    rows = survey([[CHEESE, "supply", "agrifood_byproducts", "9 500 000", "kg", None, "020501"],
                   [CHEESE, "ressource", "waste_heat", "2000", "MWh", None, None],
                   [STEEL, "besoin", "electricity", "3,5", "GWh", None, None],
                   [BAKERY, "supply", "waste_oil", "12", "t", None, "13 02 05"],
                   ["99999999999999", "supply", "waste_oil", "1", "t", None, None]])
    parsed, _ = declared_mod.parse_declared(rows)
    prepared = estimation.prepare_establishments(establishments(), estimation.EstimationReport())
    flows, _ = estimation.estimate_flows(establishments())
    got = declared_mod.apply_declared(flows, parsed, prepared, declared_mod.DeclaredReport())
    # The general path (a table with another column) concatenates and sorts whole tables.
    reference = declared_mod.apply_declared(flows.assign(other=1), parsed, prepared, declared_mod.DeclaredReport())
    assert len(got) == len(flows) + 2 and (got["origin"] == "declared").sum() == 4  # 2 replaced, 2 added
    assert got["flow_id"].is_monotonic_increasing
    pd.testing.assert_frame_equal(got, reference.drop(columns="other"), check_exact=True)
