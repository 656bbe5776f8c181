"""The shipped reference data: complete, sourced, consistent, and user overrides validated."""
import pandas as pd
import pytest

from eit_plugin.core import reference
from eit_plugin.core.errors import EitInputError

# Resource codes promised in DEVELOPERS.md (other modules code against them).
CODES = {
    "heat": ["waste_heat", "process_heat", "space_heating", "domestic_hot_water", "low_temp_heat", "cooling"],
    "energy": ["biogas", "process_gas", "gas_fuel", "solid_biomass_fuel", "electricity"],
    "water": ["treated_wastewater", "reusable_process_water", "nonpotable_water"],
    "waste": ["wood_waste", "paper_cardboard", "plastic_waste", "metal_scrap", "glass_waste", "food_waste",
              "agrifood_byproducts", "animal_byproducts", "green_waste", "sewage_sludge", "inert_construction",
              "incinerator_bottom_ash", "slag", "foundry_sand", "waste_oil", "solvents", "textile_waste",
              "mixed_waste"],
    "material": ["aggregates", "clinker_substitute", "cement", "animal_feed", "organic_amendment",
                 "methanisation_feedstock", "wood_raw_material", "recycled_fibre", "recycled_plastic",
                 "scrap_metal_feed", "cullet", "waste_fuel"],
}


def test_taxonomy_has_every_promised_code_in_its_family_and_unit():
    tax = reference.load_taxonomy().set_index("code")
    for family, codes in CODES.items():
        for code in codes:
            assert tax.at[code, "family"] == family, code
            assert tax.at[code, "unit"] == reference.FAMILY_UNITS[family]
    assert tax.at["waste_heat", "role"] == "supply" and tax.at["cement", "role"] == "both"
    assert tax.at["waste_heat", "max_distance_m"] < tax.at["slag", "max_distance_m"]


def test_every_reference_row_is_sourced():
    for frame in (reference.load_taxonomy(), reference.load_ratios(), reference.load_compatibility(),
                  reference.load_emission_factors()):
        assert (frame["source"].str.len() > 0).all()
        assumption = frame["source"] == "assumption"
        assert (frame.loc[assumption, "rationale"].str.len() > 10).all()


def test_naf_labels_are_the_732_subclasses():
    naf = reference.load_naf_labels()
    assert len(naf) == 732
    assert naf["section"].nunique() == 21 and naf["division"].nunique() == 88
    labels = reference.naf_label_map()
    assert labels["10.51C"] == "Fabrication de fromage"
    assert labels["38.21Z"] == "Traitement et élimination des déchets non dangereux"
    assert labels["35.30Z"] == "Production et distribution de vapeur et d'air conditionné"
    assert labels["24.10Z"] == "Sidérurgie"


def test_shipped_list_of_waste_is_partial_but_has_every_chapter_and_subchapter():
    ewc = reference.load_ewc().set_index("code")
    assert (ewc["level"] == "chapter").sum() == 20
    assert (ewc["level"] == "subchapter").sum() == 111
    # partial: the entries the plugin uses and the common ones (the full list has 842)
    assert 300 < (ewc["level"] == "entry").sum() < 842
    assert ewc.at["020501", "label_fr"] == "matières impropres à la consommation ou à la transformation"
    assert not ewc.at["020501", "hazardous"]
    assert ewc.at["130205", "hazardous"] and ewc.at["070104", "hazardous"] and ewc.at["150110", "hazardous"]
    assert not ewc.at["170904", "hazardous"]
    assert ewc.at["0205", "level"] == "subchapter"
    subchapters = set(ewc.index[ewc["level"] == "subchapter"])
    assert {code[:4] for code in ewc.index[ewc["level"] == "entry"]} <= subchapters
    assert (ewc["source"].str.contains("liste partielle rédigée par l'équipe")).all()


def test_user_list_of_waste_replaces_the_shipped_one(tmp_path):
    path = tmp_path / "liste_dechets_complete.csv"
    path.write_text("code;label_fr;hazardous;source\n16 01 22;composants non spécifiés ailleurs;0;JO 2014\n"
                    "16 05 06*;produits chimiques de laboratoire;;JO 2014\n", encoding="utf-8")
    ewc = reference.load_ewc(path).set_index("code")
    assert list(ewc.index) == ["160122", "160506"]
    assert ewc.at["160506", "hazardous"] and not ewc.at["160122", "hazardous"]
    assert ewc.at["160122", "level"] == "entry" and ewc.at["160122", "chapter"] == "16"


@pytest.mark.parametrize("text, expected", [
    ("02 05 01", ("020501", False)), ("020501", ("020501", False)), ("02 05 01*", ("020501", True)),
    ("13.02.05*", ("130205", True)), ("", ("", False)), ("2 05 01", (None, False)), ("02*05 01", (None, False)),
])
def test_normalise_ewc(text, expected):
    assert reference.normalise_ewc(text) == expected


def test_format_ewc():
    assert reference.format_ewc("130205", True) == "13 02 05*"


def test_codes_referenced_by_taxonomy_and_ratios_exist_in_the_list_of_waste():
    known = set(reference.load_ewc()["code"])
    for codes in reference.load_taxonomy()["ewc_codes"]:
        assert set(codes.split()) <= known, codes
    for code in reference.load_ratios()["ewc_code"]:
        if code:
            assert reference.normalise_ewc(code)[0] in known, code


def test_ratio_naf_codes_exist_in_naf_rev2():
    subclasses = set(reference.load_naf_labels()["naf"])
    for code in reference.load_ratios()["naf"]:
        assert any(sub.startswith(code) for sub in subclasses), code


def test_ratio_rows_are_usable():
    ratios = reference.load_ratios()
    tax = reference.load_taxonomy().set_index("code")
    assert ratios["confidence"].between(0, 1).all()
    live = ratios[~ratios["cancels"]]
    assert live.loc[live["family"] == "heat", "temperature_c"].notna().all()
    for resource, direction in zip(ratios["resource"], ratios["direction"]):
        assert tax.at[resource, "role"] in (direction, "both")
    # the activities the issue lists are covered
    for naf in ("38.21Z", "10.51C", "11.05Z", "16.10A", "23.51Z", "23.63Z", "24.10Z", "35.30Z", "37.00Z",
                "86.10Z", "93.11Z", "96.01A", "63.11Z", "03.22Z", "01.41Z", "08.12Z"):
        assert naf in set(ratios["naf"]), naf


def test_compatibility_rules_cover_the_documented_exchanges():
    rules = reference.load_compatibility()
    pairs = set(zip(rules["supply_resource"], rules["demand_resource"]))
    expected = {
        ("waste_heat", "process_heat"), ("waste_heat", "space_heating"), ("waste_heat", "domestic_hot_water"),
        ("waste_heat", "low_temp_heat"), ("waste_heat", "cooling"), ("biogas", "gas_fuel"),
        ("process_gas", "gas_fuel"), ("wood_waste", "solid_biomass_fuel"), ("green_waste", "solid_biomass_fuel"),
        ("wood_waste", "wood_raw_material"), ("paper_cardboard", "recycled_fibre"),
        ("plastic_waste", "recycled_plastic"), ("metal_scrap", "scrap_metal_feed"), ("glass_waste", "cullet"),
        ("agrifood_byproducts", "animal_feed"), ("agrifood_byproducts", "methanisation_feedstock"),
        ("food_waste", "methanisation_feedstock"), ("animal_byproducts", "methanisation_feedstock"),
        ("sewage_sludge", "methanisation_feedstock"), ("green_waste", "methanisation_feedstock"),
        ("inert_construction", "aggregates"), ("incinerator_bottom_ash", "aggregates"), ("slag", "aggregates"),
        ("foundry_sand", "aggregates"), ("slag", "clinker_substitute"), ("cement", "cement"),
        ("mixed_waste", "waste_fuel"), ("solvents", "waste_fuel"), ("plastic_waste", "waste_fuel"),
        ("wood_waste", "waste_fuel"), ("treated_wastewater", "nonpotable_water"),
        ("reusable_process_water", "nonpotable_water"), ("sewage_sludge", "organic_amendment"),
        ("green_waste", "organic_amendment"),
    }
    assert expected <= pairs
    cooling = rules[(rules["supply_resource"] == "waste_heat") & (rules["demand_resource"] == "cooling")].iloc[0]
    assert cooling["min_supply_temp_c"] == 85
    heat = rules[rules["family_supply"] == "heat"]
    assert set(heat["kind"]) == {"heat_recovery"}
    assert set(rules["kind"]) <= set(reference.KINDS)


def test_emission_factors_for_heat_truck_and_electricity():
    ef = reference.load_emission_factors().set_index("code")
    assert ef.at["heat_natural_gas", "co2_kg"] > ef.at["heat_wood", "co2_kg"]
    assert ef.at["heat_wood", "pm10_g"] > ef.at["heat_natural_gas", "pm10_g"]
    assert {"heat_fuel_oil", "truck_tkm", "electricity_fr"} <= set(ef.index)


def test_naf_keys_from_most_to_least_specific():
    assert reference.naf_keys("1051c") == ["10.51C", "10.51", "10.5", "10"]
    assert reference.naf_keys("10.51") == ["10.51", "10.5", "10"]
    assert reference.naf_keys("nonsense") == []


def test_direction_aliases():
    assert reference.normalise_direction("Ressource") == "supply"
    assert reference.normalise_direction(" besoin ") == "demand"
    assert reference.normalise_direction("maybe") == ""


def test_loaders_return_copies():
    first = reference.load_ratios()
    first.loc[0, "quantity_per_employee"] = -1
    assert reference.load_ratios().loc[0, "quantity_per_employee"] >= 0


def _ratio_file(tmp_path, body, name="my_ratios.csv"):
    path = tmp_path / name
    path.write_text("naf,direction,resource,quantity_per_employee,quantity_fixed,unit,temperature_c,ewc_code,"
                    "confidence,source,rationale\n" + body, encoding="utf-8")
    return path


def test_user_ratio_file_converts_units_and_normalises_codes(tmp_path):
    path = _ratio_file(tmp_path, "1051C,ressource,agrifood_byproducts,500,0,kg,,020501,0.5,survey 2024,\n"
                                 "10.51C,besoin,process_heat,3.6,0,GJ,85,,0.4,assumption,measured boiler use\n")
    ratios = reference.load_ratios(path).set_index("resource")
    assert ratios.at["agrifood_byproducts", "quantity_per_employee"] == 0.5
    assert ratios.at["agrifood_byproducts", "unit"] == "t"
    assert ratios.at["agrifood_byproducts", "ewc_code"] == "02 05 01"
    assert ratios.at["agrifood_byproducts", "direction"] == "supply"
    assert abs(ratios.at["process_heat", "quantity_per_employee"] - 1.0) < 1e-9


@pytest.mark.parametrize("body, message", [
    ("10.51C,supply,whey,1,0,t,,,0.5,x,\n",
     "Reference file 'my_ratios.csv': line 2: unknown resource 'whey'. Use a code of taxonomy.csv."),
    ("10.5X1,supply,slag,1,0,t,,,0.5,x,\n",
     "Reference file 'my_ratios.csv': line 2: NAF code '10.5X1' is not a NAF rév. 2 sub-class (10.51C), class "
     "(10.51), group (10.5) or division (10)."),
    ("24.10Z,supply,slag,1,0,MWh,,,0.5,x,\n",
     "Reference file 'my_ratios.csv': line 2: unit 'MWh' cannot be used for 'slag', counted in t. "
     "Use one of: t, tonnes, kg, kt."),
    ("24.10Z,supply,slag,-1,0,t,,,0.5,x,\n",
     "Reference file 'my_ratios.csv': line 2, column 'quantity_per_employee': -1 is below the minimum 0."),
    ("24.10Z,supply,slag,1,0,t,,,1.5,x,\n",
     "Reference file 'my_ratios.csv': line 2, column 'confidence': 1.5 is above the maximum 1."),
    ("24.10Z,supply,waste_heat,1,0,MWh,,,0.5,x,\n",
     "Reference file 'my_ratios.csv': line 2: heat flow 'waste_heat' needs a temperature_c (°C)."),
    ("24.10Z,demand,slag,1,0,t,,,0.5,x,\n",
     "Reference file 'my_ratios.csv': line 2: resource 'slag' cannot be a demand (its role in taxonomy.csv is "
     "'supply')."),
    ("24.10Z,supply,slag,1,0,t,,,0.5,,\n",
     "Reference file 'my_ratios.csv': line 2: column 'source' is empty. Give the publication and year, or the "
     "word 'assumption' with a rationale."),
    ("24.10Z,supply,slag,1,0,t,,,0.5,assumption,\n",
     "Reference file 'my_ratios.csv': line 2: an 'assumption' needs a one-line 'rationale'."),
    ("24.10Z,supply,slag,1,0,t,,,0.5,x,\n24.10Z,supply,slag,2,0,t,,,0.5,x,\n",
     "Reference file 'my_ratios.csv': line 3: duplicate entry for 24.10Z / supply / slag. Keep one row per "
     "naf × profile × direction × resource."),
])
def test_bad_user_ratio_files(tmp_path, body, message):
    with pytest.raises(EitInputError) as err:
        reference.load_ratios(_ratio_file(tmp_path, body))
    assert str(err.value) == message


def test_missing_columns_named(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("naf,resource\n10.51C,slag\n", encoding="utf-8")
    with pytest.raises(EitInputError) as err:
        reference.load_ratios(path)
    assert str(err.value).startswith("Reference file 'short.csv': missing column(s) direction, confidence, source")


def test_user_file_reread_when_it_changes(tmp_path):
    path = _ratio_file(tmp_path, "24.10Z,supply,slag,1,0,t,,,0.5,x,\n")
    assert reference.load_ratios(path).at[0, "quantity_per_employee"] == 1
    path.write_text(path.read_text(encoding="utf-8").replace("slag,1,", "slag,7,"), encoding="utf-8")
    import os
    os.utime(path, ns=(1, 10**18))
    assert reference.load_ratios(path).at[0, "quantity_per_employee"] == 7


def test_bad_taxonomy_family(tmp_path):
    shipped = pd.read_csv(reference.shipped("taxonomy"), dtype=str)
    shipped.loc[3, "family"] = "vapour"
    path = tmp_path / "taxonomy.csv"
    shipped.to_csv(path, index=False)
    with pytest.raises(EitInputError) as err:
        reference.load_taxonomy(path)
    assert str(err.value) == ("Reference file 'taxonomy.csv': line 5: family 'vapour' is not one of heat, energy, "
                              "water, waste, material.")


def test_compatibility_rejects_unknown_resource(tmp_path):
    path = tmp_path / "compat.csv"
    path.write_text("supply_resource,demand_resource,kind,efficiency,source,rationale\n"
                    "steam,process_heat,heat_recovery,0.9,x,\n", encoding="utf-8")
    with pytest.raises(EitInputError) as err:
        reference.load_compatibility(path)
    assert str(err.value) == ("Reference file 'compat.csv': line 2, column 'supply_resource': unknown resource "
                              "'steam'. Add it to taxonomy.csv first.")


def test_emission_factors_are_published_figures_with_their_conversion():
    ef = reference.load_emission_factors().set_index("code")
    sourced = ef[ef["source"] != "assumption"]
    # CO2 of every factor the impacts use comes from a publication read, not a guess
    assert {"heat_natural_gas", "heat_default", "electricity_fr", "truck_tkm"} <= set(sourced.index)
    assert sourced["source"].str.contains(r"(?:19|20)\d\d").all()
    assert (sourced["rationale"].str.len() > 40).all()
    assert sourced["source_url"].str.startswith("http").all()
    assert "Base Carbone" in ef.at["heat_natural_gas", "source"]
    # a recovered MWh of heat displaces far more CO2 than a MWh of French electricity costs
    assert ef.at["heat_default", "co2_kg"] > 3 * ef.at["electricity_fr", "co2_kg"]


@pytest.mark.parametrize("source, rationale, message", [
    ("ADEME Base Carbone", "0.2 kg/kWh over 90 % efficiency", "names no year"),
    ("ADEME Base Carbone 2022", "", "needs a 'rationale'"),
])
def test_a_cited_emission_factor_without_year_or_conversion_is_refused(tmp_path, source, rationale, message):
    path = tmp_path / "facteurs.csv"
    path.write_text("code,unit,co2_kg,pm10_g,nox_g,source,rationale\n"
                    "heat_default,MWh heat,250,1,150,assumption,Gas boiler heat\n"
                    'truck_tkm,t.km,0.1,,,"{}","{}"\n'.format(source, rationale), encoding="utf-8")
    with pytest.raises(EitInputError, match=message) as err:
        reference.load_emission_factors(path)
    assert "line 3" in str(err.value)
