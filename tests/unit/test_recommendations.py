"""Recommendation rules on a hand-built territory: which rule fires where, evidence, secret."""
import re

import pandas as pd
import pytest

from eit_plugin.core import confidentiality as conf
from eit_plugin.core.errors import EitInputError
from eit_plugin.core.recommendations import (
    DEFAULT_RULES,
    RULE_COLUMNS,
    compile_condition,
    evaluate,
    format_number,
    load_rules,
    recommend,
)

NBSP = "\u202f"  # French thousands separator (core.formatting.THIN)


def zones():
    return pd.DataFrame([
        {"zone_id": "Z_UE1", "LIBELLE": "UE", "LIBELONG": "ZAE des Landiers", "TYPEZONE": "U", "DESTDOMI": "02",
         "INSEE": "73065", "n_establishments": 6, "eit_potential": "high"},
        {"zone_id": "Z_UE2", "LIBELLE": "UX", "LIBELONG": "ZAE des Landiers", "TYPEZONE": "U", "DESTDOMI": "02",
         "INSEE": "73065", "n_establishments": 3, "eit_potential": "medium"},
        {"zone_id": "Z_UB", "LIBELLE": "UB", "LIBELONG": "Zone résidentielle", "TYPEZONE": "U", "DESTDOMI": "01",
         "INSEE": "73065", "housing_dwellings": 400, "housing_heat_demand_mwh": 2000.0, "eit_potential": "low"},
        {"zone_id": "Z_AU", "LIBELLE": "1AU", "LIBELONG": "Les Prés", "TYPEZONE": "AUc", "DESTDOMI": "01",
         "INSEE": "73065", "housing_dwellings": 200, "housing_heat_demand_mwh": 1234.5, "is_future": True},
    ])


def synergies():
    def s(i, sup, sz, rz, mwh, dist):
        return {"synergy_id": "S{}".format(i), "kind": "housing_heat", "supplier_siret": sup, "receiver_siret": None,
                "receiver_zone": rz, "supplier_zone": sz, "resource_supply": "waste_heat",
                "resource_demand": "space_heating", "quantity": mwh, "unit": "MWh", "distance_m": dist,
                "mwh_recovered": mwh, "pm10_avoided_kg": mwh / 10, "nox_avoided_kg": mwh / 5, "co2_avoided_t": mwh / 4,
                "family": "heat", "reason": "Fromagerie Dupont {}".format(sup)}
    return pd.DataFrame([
        s(1, "11111111100011", "Z_UE1", "Z_AU", 500.0, 250.0),
        s(2, "22222222200022", "Z_UE1", "Z_AU", 400.0, 300.0),
        s(3, "33333333300033", "Z_UE1", "Z_AU", 300.5, 320.0),
        s(4, "44444444400044", "Z_UE2", "Z_UB", 800.0, 180.0),
    ])


def clusters():
    # columns as eit:detectclusters writes them (action codes of pooling_actions.csv, land_need_m2)
    return pd.DataFrame([
        {"cluster_id": "C1", "kind": "pooling", "resources": "paper_cardboard", "members": "A1, A2, A3, A4",
         "n_members": 4, "total_quantity": 120.0, "unit": "t", "zone_ids": "Z_UE1, Z_UE2",
         "action": "shared_collection", "action_fr": "Collecte mutualisée des cartons", "action_en": "Shared collection",
         "facility": "collection_point", "land_need_m2": 0.0, "site_zone": "Z_UE1", "truck_km_avoided": 900.0,
         "co2_avoided_t": 1.2},
        {"cluster_id": "C2", "kind": "pooling", "resources": "process_heat", "members": "B1, B2, B3", "n_members": 3,
         "total_quantity": 3000.0, "unit": "MWh", "zone_ids": "Z_UE2", "action": "shared_heat",
         "action_fr": "Chaufferie vapeur mutualisée", "action_en": "Shared steam boiler", "facility": "heat_plant",
         "site_zone": "Z_UE2", "land_need_m2": 800.0, "co2_avoided_t": 200.0},
        {"cluster_id": "X1", "kind": "exchange", "resources": "wood_waste, waste_heat", "members": "A1, B1, zone:Z_UB",
         "n_members": 3, "total_quantity": 50.0, "unit": "t", "zone_ids": "Z_UE1", "action": "exchange",
         "action_fr": "Échanges directs", "action_en": "Direct exchanges", "facility": "none", "land_need_m2": 0.0,
         "site_zone": None, "co2_avoided_t": 3.0},
    ])


def flows():
    rows = [(s, "paper_cardboard", "waste", "supply", 30.0, "Z_UE1") for s in ("A1", "A2", "A3", "A4")]
    rows += [("B1", "process_heat", "heat", "demand", 2700.0, "Z_UE2"), ("B2", "process_heat", "heat", "demand", 200.0, "Z_UE2"),
             ("B3", "process_heat", "heat", "demand", 100.0, "Z_UE2")]
    return pd.DataFrame(rows, columns=["siret", "resource", "family", "direction", "quantity", "zone_id"])


def run(public=True, **kw):
    return evaluate(zones(), synergies(), clusters(), public=public, flows=flows(), **kw)


def fired(recs):
    return {(r, s) for rids, s in zip(recs["rule_id"], recs["scope_id"]) for r in rids.split(",")}


def test_each_shipped_rule_fires_where_expected():
    recs = run(public=False)
    assert fired(recs) == {
        ("REG-MIX-01", "Z_UB"), ("REG-MIX-01", "Z_AU"),
        ("REG-MIX-02", "Z_UE1"), ("REG-MIX-02", "Z_UE2"),
        ("REG-FAC-01", "Z_UE1"), ("REG-FAC-01", "Z_UE2"),
        ("OAP-HEAT-01", "Z_UE1>Z_AU"), ("OAP-HEAT-02", "Z_UE2>Z_UB"),
        ("OAP-FAC-01", "C2"), ("ER-FAC-01", "C2"),  # C1 (a collection point) is for the charter, not the PLU
        ("ER-HEAT-01", "Z_UE1>Z_AU"), ("ER-HEAT-01", "Z_UE2>Z_UB"),
        ("DOO-PARK-01", "ZAE des Landiers"),
        ("DOO-AU-01", "Z_AU"),
        ("DOO-AIR-01", "territoire"), ("DOO-LAND-01", "territoire"),
        # charter: one recommendation per park and kind of pooling
        ("ZAE-COL-01", "ZAE des Landiers"), ("ZAE-UTIL-01", "ZAE des Landiers"), ("ZAE-EXCH-01", "ZAE des Landiers"),
    }
    assert list(recs["rec_id"]) == ["R{:04d}".format(i + 1) for i in range(len(recs))]
    assert set(recs["diffusion"]) == {conf.CONFIDENTIAL_MARK}
    assert recs["evidence"].str.len().min() > 20


def test_internal_mode_keeps_figures_written_the_french_way():
    recs = run(public=False)
    oap = recs[recs["rule_id"] == "OAP-HEAT-01"].iloc[0]
    assert "1{}200,5 MWh/an".format(NBSP) in oap["evidence"]  # 500 + 400 + 300.5
    assert "1{}234,5 MWh/an".format(NBSP) in oap["evidence"]  # demand of the AU area
    assert "1,200.5 MWh/yr" in oap["evidence_en"]
    assert not oap["suppressed"]
    assert oap["priority"] == 1 and oap["document"] == "PLU_OAP"


def test_public_mode_applies_the_secret_everywhere():
    recs = run(public=True)
    text = " ".join(recs[["text_fr", "text_en", "evidence", "evidence_en", "related_ids"]].astype(str).agg(" ".join, axis=1))
    assert not re.search(r"\d{14}", text), "a SIRET leaked"
    assert "Dupont" not in text
    assert set(recs["diffusion"]) == {conf.PUBLIC_MARK}
    # one supplier behind Z_UE2 > Z_UB: suppressed, the commune total (4 suppliers, 2 000,5 MWh) is shown instead
    link = recs[recs["rule_id"] == "OAP-HEAT-02"].iloc[0]
    assert link["suppressed"]
    assert "n.d.* MWh/an" in link["evidence"]
    assert "moins de 3 établissements (1)" in link["evidence"]
    assert "de la commune Chambéry (73065) : 2{}000,5 MWh/an".format(NBSP) in link["evidence"]
    # the other link (3 balanced suppliers) would give it back by subtraction: secondary suppression
    other = recs[recs["rule_id"] == "OAP-HEAT-01"].iloc[0]
    assert other["suppressed"] and conf.REASON_SECONDARY in other["evidence"]
    assert "1{}200,5".format(NBSP) not in other["evidence"]
    # C2: one member holds 90 % of the heat demand -> its figures withheld, recommendations kept (3 members)
    util = recs[recs["rule_id"] == "ZAE-UTIL-01"].iloc[0]
    assert util["suppressed"] and "90 %" in util["evidence"] and "CO₂ qui pourrait être évité n.d.* t/an" in util["evidence"]
    fac = recs[recs["rule_id"] == "OAP-FAC-01"].iloc[0]
    assert fac["suppressed"] and "3{}000".format(NBSP) not in fac["evidence"] and "3 établissements" in fac["evidence"]
    # C1: 4 members at 25 % each -> published
    col = recs[recs["rule_id"] == "ZAE-COL-01"].iloc[0]
    assert not col["suppressed"] and "120 t/an" in col["evidence"]


def test_without_flows_cluster_quantities_are_withheld_in_public_mode():
    recs = evaluate(zones(), synergies(), clusters(), public=True)
    col = recs[recs["rule_id"] == "ZAE-COL-01"].iloc[0]
    assert col["suppressed"] and "répartition par établissement inconnue" in col["evidence"]
    assert "120 t/an" not in col["evidence"]


def test_exchange_cluster_members_that_are_housing_zones_are_not_establishments():
    # X1 = A1 (30 t of cardboard, no wood) + B1 + housing zone: no known split -> withheld, never divided by 3
    recs = run(public=True)
    exch = recs[recs["rule_id"] == "ZAE-EXCH-01"].iloc[0]
    assert exch["suppressed"] and "CO₂ des synergies de ces groupements n.d.* t/an" in exch["evidence"]
    assert "2 établissements" in exch["evidence"]  # A1 and B1; the housing zone is not counted


def _rules(tmp_path, rows):
    path = tmp_path / "rules.csv"
    table = pd.DataFrame([dict(zip(RULE_COLUMNS, r)) for r in rows], columns=RULE_COLUMNS)
    table.to_csv(path, index=False)
    return path


BASE = dict(document="PLU_OAP", instrument="OAP", theme="corridor", scope_kind="heat_link", priority="2",
            text_fr="Corridor {link_id}", text_en="Corridor {link_id}", source="assumption", rationale="test")


def rule(**kw):
    d = dict(BASE, **kw)
    return [d.get(c, "") for c in RULE_COLUMNS]


def test_no_recommendation_without_a_published_figure(tmp_path):
    path = _rules(tmp_path, [rule(id="T1", condition="mwh_recovered > 0", evidence_fr="{mwh_recovered} MWh")])
    public = evaluate(zones(), synergies(), clusters(), rules=path, public=True, flows=flows())
    internal = evaluate(zones(), synergies(), clusters(), rules=path, public=False, flows=flows())
    assert len(internal) == 2  # both links have a figure
    assert len(public) == 0  # both figures are secret (primary + secondary): nothing to show, nothing written


def test_rules_without_evidence_figure_are_refused(tmp_path):
    path = _rules(tmp_path, [rule(id="T1", condition="", evidence_fr="Corridor {link_id}")])
    with pytest.raises(EitInputError, match="line 2 .rule 'T1'.*evidence_fr"):
        load_rules(path)


def test_same_document_instrument_theme_scope_gives_one_recommendation(tmp_path):
    path = _rules(tmp_path, [
        rule(id="T1", condition="n_suppliers >= 1", evidence_fr="{n_suppliers} fournisseurs", priority="3"),
        rule(id="T2", condition="distance_m > 0", evidence_fr="distance {distance_m} m", priority="1"),
    ])
    recs = evaluate(zones(), synergies(), clusters(), rules=path, public=False, flows=flows())
    assert len(recs) == 2  # two links, each with both rules merged
    first = recs[recs["scope_id"] == "Z_UE1>Z_AU"].iloc[0]
    assert first["rule_id"] == "T2,T1" and first["priority"] == 1  # highest priority first
    assert "3 fournisseurs" in first["evidence"] and "distance 250 m" in first["evidence"]


def test_condition_language_is_safe_and_errors_name_the_rule(tmp_path):
    f = compile_condition("a >= 2 and (b == 'x' or not c) and d in ('p', 'q')", ["a", "b", "c", "d"])
    assert f({"a": 3, "b": "y", "c": False, "d": "q"})
    assert not f({"a": 3, "b": "y", "c": True, "d": "q"})
    assert not f({"a": None, "b": "x", "c": False, "d": "p"})  # missing value never passes a comparison
    for bad in ("__import__('os').system('x')", "a.b > 1", "a >= ", "open('x')"):
        with pytest.raises(ValueError):
            compile_condition(bad, ["a"])
    path = _rules(tmp_path, [rule(id="T9", condition="mwh >= 5", evidence_fr="{n_suppliers}")])
    with pytest.raises(EitInputError, match="rule 'T9'.*condition.*unknown field 'mwh'"):
        load_rules(path)
    path = _rules(tmp_path, [rule(id="T8", condition="", evidence_fr="{n_suppliers.__class__}")])
    with pytest.raises(EitInputError, match="T8"):
        load_rules(path)


def test_format_number_french_and_english():
    assert format_number(1234.5) == "1{}234,5".format(NBSP)
    assert format_number(1200.0) == "1{}200".format(NBSP)
    assert format_number(123456.7) == "123{}457".format(NBSP)
    assert format_number(1234.5, "en") == "1,234.5"
    assert format_number(float("nan")) == "n.d."


def test_shipped_rules_cover_every_document():
    rules = load_rules()
    assert {r.document for r in rules} == {"PLU_reglement", "PLU_OAP", "PLU_emplacement_reserve", "SCoT_DOO", "charte_ZAE"}
    assert all(r.source for r in rules)


def test_deterministic():
    a, b = run(), run()
    pd.testing.assert_frame_equal(a, b)


def test_business_parks_from_libelong_and_their_place_in_the_secret_hierarchy():
    from eit_plugin.core.recommendations import prepare_zones

    rows = [{"zone_id": "G{}".format(i), "LIBELLE": "UX", "LIBELONG": "Zone d'activités artisanales", "DESTDOMI": "02",
             "INSEE": insee} for i, insee in enumerate(["73008", "73065", "73179", "73051"])]
    rows += [{"zone_id": "A1", "LIBELLE": "UXa", "LIBELONG": "Parc d'activités Alpespace", "DESTDOMI": "02", "INSEE": "73240"},
             {"zone_id": "A2", "LIBELLE": "UXa", "LIBELONG": "Parc d'activités Alpespace", "DESTDOMI": "02", "INSEE": "73151"},
             {"zone_id": "E1", "LIBELLE": "UE", "LIBELONG": "Zone d'équipements publics", "DESTDOMI": "05", "INSEE": "73065"}]
    z = prepare_zones(pd.DataFrame(rows)).set_index("zone_id")
    # a label used in 4 communes is generic: one group per commune
    assert z.loc["G1", "park"] == "Zone d'activités artisanales (Chambéry)"
    # a named park spanning two communes is one park, above it the two communes together
    assert z.loc["A1", "park"] == z.loc["A2", "park"] == "Parc d'activités Alpespace"
    assert z.loc["A1", "commune_group"] == "73151+73240"
    # UE with DESTDOMI 05 (public facilities) is not an activity zone despite its label
    assert not z.loc["E1", "is_activity"] and z.loc["E1", "park_name"] == ""
    # zone -> park -> communes -> EPCI: a 2-firm zone falls back to the two-commune total
    fl = pd.DataFrame([("s1", "A1", 10.0), ("s2", "A1", 10.0), ("s3", "A2", 10.0), ("s4", "A2", 10.0)],
                      columns=["siret", "zone_id", "quantity"]).assign(family="heat", direction="supply")
    recs = evaluate(z.reset_index().assign(eit_potential="high", n_establishments=4), None, None, public=True, flows=fl)
    park = recs[(recs["rule_id"] == "DOO-PARK-01") & (recs["scope_id"] == "Parc d'activités Alpespace")].iloc[0]
    assert "chaleur fatale disponible 40 MWh/an" in park["evidence"]  # 4 firms, 25 % each: published


def test_protected_zone_figures_for_the_report():
    from eit_plugin.core.recommendations import protected_zone_figures

    t = protected_zone_figures(zones(), flows(), direction="demand")
    heat = t[(t["level"] == 0) & (t["key"] == "Z_UE2") & (t["family"] == "heat")].iloc[0]
    assert heat["quantity_suppressed"] and "90 %" in heat["quantity_reason"]  # B1 holds 2 700 of 3 000


def test_plurals_follow_the_number_and_zones_are_named_without_ambiguity():
    from eit_plugin.core.recommendations import resolve_plurals, zone_reference

    assert resolve_plurals("1 établissement(s) fournisseur(s) de chaleur") == "1 établissement fournisseur de chaleur"
    assert resolve_plurals("3 groupement(s) ; 2 synergy(ies)") == "3 groupements ; 2 synergies"
    assert resolve_plurals("1\u202f200 établissement(s)") == "1\u202f200 établissements"
    # In a PLUi with many zones labelled A, the rank and the document id tell them apart.
    assert zone_reference({"zone_id": "200069110_PLUi_20230101:A:18", "libelle": "A", "insee": "73065"}) == (
        "A n° 18, Chambéry (200069110_PLUi_20230101)")


def test_the_layer_rows_are_the_report_items_one_per_place_and_purpose():
    from eit_plugin.core import recommendation_sections, report

    rules = evaluate(zones(), synergies(), clusters(), public=False, flows=flows())
    items = recommend(zones(), synergies(), clusters(), public=False, flows=flows())
    assert 0 < len(items) < len(rules)
    assert len(items.drop_duplicates(["document", "document_id", "scope_id", "purpose"])) == len(items)
    # every rule row is a line of an item (a text repeated within one item is written once)
    lines = [t for texts in items["text_fr"] for t in texts.split("\n")]
    assert set(rules["text_fr"]) == set(lines) and len(lines) <= len(rules)
    shed = items[items["scope_id"] == "Z_UE2"]  # the shared facility sited in UX: règlement, OAP and ER together
    facility = shed[shed["purpose"] == "facility"].iloc[0]
    assert facility["instrument"].split("\n")[0].startswith("Règlement") and len(facility["text_fr"].split("\n")) == 3
    assert "L.151-41 2°" in facility["article"]
    for language in ("fr", "en"):
        context = report.build_context({"recommendations": items, "zones": zones(), "clusters": clusters()}, [], {},
                                       {"plugin_version": "0", "qgis_version": "3.22", "run_date_utc": "x",
                                        "run_key": "k", "input_sha256": {}}, public=False, language=language)
        shown = [(i["rec_id"], i["purpose"], tuple(t["text"] for t in i["instruments"]))
                 for s in context["recommendation_sections"] for c in s["communes"] for i in c["items"]]
        column = "text_fr" if language == "fr" else "text_en"
        assert shown == [(r, p, tuple(t.split("\n"))) for r, p, t in zip(items["rec_id"], items["purpose"], items[column])]
    assert recommendation_sections.group(rules.iloc[0:0], zones(), clusters()).columns.tolist() == \
        recommendation_sections.ITEM_COLUMNS


def test_english_report_names_instruments_actions_and_resources_in_english():
    from eit_plugin.core import report
    from eit_plugin.core.recommendation_scopes import _resource_labels

    items = recommend(zones(), synergies(), clusters(), public=False, flows=flows())
    context = report.build_context({"recommendations": items, "zones": zones(), "clusters": clusters()}, [], {},
                                   {"plugin_version": "0", "qgis_version": "3.22", "run_date_utc": "x",
                                    "run_key": "k", "input_sha256": {}}, public=False, language="en")
    body = report.render_html(context).split('name="annexes"')[0]
    assert "Business-park charter — collection" in body and "Sector OAP" in body
    for rule in load_rules():
        assert rule.instrument not in body, rule.id
    french = [_resource_labels("fr")["paper_cardboard"], "Chaufferie vapeur mutualisée", "Collecte mutualisée", " n° "]
    assert not [w for w in french if w in body]
    assert _resource_labels("en")["paper_cardboard"] in body and "Shared steam boiler" in body
    assert "Figures: " in body and "Figures :" not in body  # English punctuation


def _rules_with(tmp_path, changes: dict):
    table = pd.read_csv(DEFAULT_RULES, dtype=str, keep_default_na=False)
    for (rid, column), value in changes.items():
        table.loc[table["id"] == rid, column] = value
    path = tmp_path / "rules.csv"
    table.to_csv(path, index=False)
    return path


def test_priority_moves_with_the_evidence_named_in_the_rules_file(tmp_path):
    path = _rules_with(tmp_path, {("OAP-FAC-01", "priority_up"): "n_members >= 3",
                                  ("ER-FAC-01", "priority_up"): "", ("ER-FAC-01", "priority_down"): "n_members < 5",
                                  ("ZAE-COL-01", "priority_down"): "collection_members < 10",
                                  ("ZAE-UTIL-01", "priority_up"): "utility_co2_t > 100",
                                  ("ZAE-UTIL-01", "priority_down"): ""})
    internal = evaluate(zones(), synergies(), clusters(), rules=path, public=False, flows=flows()).set_index("rule_id")
    assert internal.loc["OAP-FAC-01", "priority"] == 1 and internal.loc["OAP-FAC-01", "priority_reason"] == "+ n_members >= 3"
    assert internal.loc["ER-FAC-01", "priority"] == 3  # 3 members: lowered
    assert internal.loc["ZAE-COL-01", "priority"] == 3 and internal.loc["ZAE-UTIL-01", "priority"] == 1
    # public: the boiler's CO2 is withheld (one member above 85 %), so it cannot raise the priority
    public = evaluate(zones(), synergies(), clusters(), rules=path, public=True, flows=flows()).set_index("rule_id")
    assert public.loc["ZAE-UTIL-01", "priority"] == 2 and public.loc["ZAE-UTIL-01", "priority_reason"] == ""
    # an item takes the highest priority of its instruments and says which condition set it
    items = recommend(zones(), synergies(), clusters(), rules=path, public=False, flows=flows())
    facility = items[(items["scope_id"] == "Z_UE2") & (items["purpose"] == "facility")].iloc[0]
    assert facility["priority"] == 1 and facility["priority_reason"] == "+ n_members >= 3"
    # the shipped rules: a small shared facility is not priority 1
    shipped = evaluate(zones(), synergies(), clusters(), public=False, flows=flows()).set_index("rule_id")
    assert shipped.loc["OAP-FAC-01", "priority"] == 3 and shipped.loc["ER-FAC-01", "priority"] == 3


def test_a_wrong_priority_condition_names_its_column(tmp_path):
    path = _rules_with(tmp_path, {("OAP-FAC-01", "priority_up"): "n_members >= "})
    with pytest.raises(EitInputError, match="priority_up"):
        load_rules(path)


def test_english_synthesis_names_zones_the_english_way():
    from eit_plugin.core import report

    z = zones().assign(zone_id=lambda f: "73065_PLU_20200101:" + f["LIBELLE"] + ":1", IDURBA="73065_PLU_20200101")
    context = report.build_context({"zones": z}, [], {}, {"plugin_version": "0", "qgis_version": "3.22",
                                   "run_date_utc": "x", "run_key": "k", "input_sha256": {}}, public=False,
                                   language="en")
    html = report.render_html(context)
    assert "UE no. 1, Chambéry" in html and " n° " not in html


def test_texts_cleans_each_distinct_value_as_text_does():
    from eit_plugin.core.recommendation_inputs import _text, _texts

    strings = pd.Series([" 73065 ", "73065", None, "UX ", float("nan"), "", "UX "], dtype=object)
    mixed = pd.Series([1, 1.0, True, " a ", None, float("nan")], dtype=object)  # 1 == 1.0 == True in a hash table
    for values in (strings, mixed, pd.Series([], dtype=object), ["x ", None]):
        assert list(_texts(values)) == [_text(v) for v in values]
    assert list(_texts(mixed)) == ["1", "1.0", "True", "a", "", ""]
