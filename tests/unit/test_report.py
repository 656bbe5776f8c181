"""The report reads well: French numbers, documents grouped, public/confidential banners."""
from html import unescape

import pandas as pd

from eit_plugin.core import recommendation_sections, report


def _tables():
    recommendations = pd.DataFrame([
        {"rec_id": "R2", "document": "SCoT_DOO", "priority": 2, "theme": "chaleur", "scope_id": "EPCI",
         "text_fr": "Relier les futures zones AU à la chaleur récupérée.", "text_en": "Link AU zones to recovered heat.",
         "evidence": "12 400 MWh/an", "suppressed": False},
        {"rec_id": "R1", "document": "PLU_OAP", "priority": 1, "theme": "chaleur", "scope_id": "Z1",
         "text_fr": "Prévoir un corridor de réseau de chaleur.", "text_en": "Plan a heat-pipe corridor.",
         "evidence": "secret", "suppressed": True},
    ])
    synergies = pd.DataFrame([
        {"synergy_id": "S1", "kind": "housing_heat", "reason": "Chaleur fatale à 120 °C …", "quantity": 12400.0,
         "unit": "MWh", "distance_m": 850.0, "distance_kind": "network", "co2_avoided_t": 2500.0, "score": 0.9,
         "mwh_recovered": 12400.0, "tonnes_diverted": 0.0, "pm10_avoided_kg": 10.0, "nox_avoided_kg": 300.0},
    ])
    items = recommendation_sections.group(recommendations, None, None)
    return {"recommendations": items, "synergies": synergies, "zones": None, "clusters": None}


def test_french_number_format():
    assert report.format_number(1234.5, 1) == "1\u202f234,5"
    assert report.format_number(1234.5, 1, "en") == "1,234.5"
    assert report.format_number(float("nan")) == "–"
    assert report.format_number(None) == "–"


def test_public_report_groups_by_document_in_planning_order():
    context = report.build_context(_tables(), [], {"PUBLIC": True}, {"plugin_version": "0.1.0", "qgis_version": "3.22",
                                   "run_date_utc": "x", "run_key": "k", "input_sha256": {}}, public=True)
    html = report.render_html(context)
    assert "Version publique" in html and "CONFIDENTIEL" not in html
    # OAP (PLU) comes before the SCoT DOO, whatever the input order.
    assert unescape(html).index("Plan local d'urbanisme") < unescape(html).index("SCoT — document")
    assert "secret statistique" in html
    assert "12\u202f400" in html  # MWh recovered in the summary


def test_internal_report_is_marked_confidential_and_english_works():
    context = report.build_context(_tables(), [], {}, {"plugin_version": "0.1.0", "qgis_version": "3.22",
                                   "run_date_utc": "x", "run_key": "k", "input_sha256": {}}, public=False, language="en")
    html = report.render_html(context)
    assert "CONFIDENTIAL" in html
    assert "Plan a heat-pipe corridor." in html
    assert "12,400" in html


def test_synthesis_is_the_ledger_summary():
    from eit_plugin.core import ledger

    tables = _tables()
    table = ledger.headline(tables["synergies"], None, None, {"establishments": 7})
    context = report.build_context(tables, [], {}, {"plugin_version": "0.1.0", "qgis_version": "3.22",
                                   "run_date_utc": "x", "run_key": "k", "input_sha256": {}}, public=False,
                                   summary=table)
    shown = {row["indicator"]: row["value"] for row in context["synthesis"]}
    assert shown["co2_avoided_t"] == "2 500" and shown["count_establishments"] == "7"
    html = report.render_html(context)
    assert "CO₂ qui pourraient être évitées" in html or "qui pourraient être évitées" in html
    assert "cascade thermique" not in html


def test_one_recommendation_per_place_and_purpose_by_document_then_commune():
    zones = pd.DataFrame([{"zone_id": "73065_PLU_20200101:UE:2", "IDURBA": "73065_PLU_20200101", "LIBELLE": "UE",
                           "INSEE": "73065", "eit_potential": "high"}])
    clusters = pd.DataFrame([{"cluster_id": "P-wood-1", "kind": "pooling", "site_zone": "73065_PLU_20200101:UE:2"}])
    common = {"theme": "t", "evidence": "3 établissements", "evidence_en": "3 establishments", "suppressed": False,
              "sources": "Code de l'urbanisme"}
    recommendations = pd.DataFrame([
        {**common, "rec_id": "R1", "document": "PLU_reglement", "instrument": "Règlement (art. R.151-28 5°)",
         "scope_kind": "zone", "scope_id": "73065_PLU_20200101:UE:2", "rule_id": "REG-FAC-01", "priority": 2,
         "text_fr": "Autoriser la plateforme.", "text_en": "Allow the platform."},
        {**common, "rec_id": "R2", "document": "PLU_OAP", "instrument": "OAP (art. L.151-7)", "scope_kind": "cluster",
         "scope_id": "P-wood-1", "rule_id": "OAP-FAC-01", "priority": 2, "text_fr": "Localiser la plateforme.",
         "text_en": "Locate it."},
        {**common, "rec_id": "R3", "document": "PLU_emplacement_reserve", "instrument": "ER (art. L.151-41 2°)",
         "scope_kind": "cluster", "scope_id": "P-wood-1", "rule_id": "ER-FAC-01", "priority": 1,
         "text_fr": "Réserver 1 000 m².", "text_en": "Reserve 1,000 m²."},
    ])
    items = recommendation_sections.group(recommendations, zones, clusters)
    tables = {"zones": zones, "clusters": clusters, "recommendations": items, "synergies": None}
    context = report.build_context(tables, [], {}, {"plugin_version": "0.1.0", "qgis_version": "3.22",
                                   "run_date_utc": "x", "run_key": "k", "input_sha256": {}}, public=True)
    [section] = context["recommendation_sections"]
    assert section["title"] == "Plan local d'urbanisme de Chambéry (73065_PLU_20200101)"
    [commune] = section["communes"]
    assert commune["name"] == "Chambéry"
    [item] = commune["items"]
    assert item["place_label"] == "UE n° 2, Chambéry (73065_PLU_20200101)" and item["priority"] == 1
    assert [tool["label"] for tool in item["instruments"]] == [
        "Règlement (art. R.151-28 5°)", "OAP (art. L.151-7)", "ER (art. L.151-41 2°)"]
    html = report.render_html(context)
    assert "P-wood-1" not in html and "R0001" not in html and "REG-FAC" not in html


PROVENANCE = {"plugin_version": "0.1.0", "qgis_version": "3.22", "run_date_utc": "2026-01-01", "run_key": "k",
              "input_sha256": {}}


def _many_synergies(n: int) -> pd.DataFrame:
    return pd.DataFrame({
        "synergy_id": ["S{:05d}".format(i) for i in range(n)],
        "kind": "substitution", "resource_supply": ["wood_waste", "waste_heat"] * (n // 2) + ["wood_waste"] * (n % 2),
        "resource_demand": "wood_waste", "quantity": None, "unit": "t", "distance_m": 500.0, "co2_avoided_t": None,
        "confidence": 0.5, "score": [float(i % 97) for i in range(n)]})


def test_synergy_annex_lists_the_best_scored_first_rows_and_says_where_the_rest_is():
    from eit_plugin.core import ledger

    limit = report.ANNEX_ROWS["synergies"]
    synergies = _many_synergies(limit + 250)
    rows = report.synergy_rows(synergies, "fr")
    assert len(rows) == limit
    # the same order as the full list, cut: score descending, then id
    best = synergies.sort_values(["score", "synergy_id"], ascending=[False, True], kind="mergesort").head(limit)
    assert [r["from"] for r in rows] == report._labelled(best["resource_supply"], report.resource_labels("fr"))
    tables = {"recommendations": None, "synergies": synergies, "zones": None, "clusters": None}
    summary = ledger.headline(synergies, None, None, {"establishments": 9})
    for language, sentence, layer, title in (
            ("fr", "1\u202f000 premières lignes sur 1\u202f250 ; la liste complète est dans la couche", "« synergies »",
             "Les synergies possibles au meilleur score"),
            ("en", "First 1,000 rows of 1,250; the complete list is in the GeoPackage's", "“synergies”",
             "The best-scored possible synergies")):
        context = report.build_context(tables, [], {}, PROVENANCE, True, language, summary=summary)
        html = unescape(report.render_html(context))
        assert sentence in html and layer in html and title in html
        assert html.count("<tr><td>") >= limit
        # the synthesis still counts every synergy (it comes from the summary table)
        synthesis = html[html.index('name="synthese"'):html.index('name="annexes"')]
        assert ("1\u202f250" if language == "fr" else "1,250") in synthesis


def test_short_annexes_are_whole_and_say_nothing_about_a_cut():
    tables = {"recommendations": None, "synergies": _many_synergies(30), "zones": None, "clusters": None}
    html = unescape(report.render_html(report.build_context(tables, [], {}, PROVENANCE, True, "fr")))
    assert "premières lignes" not in html and "Toutes les synergies possibles" in html
    assert len(report.synergy_rows(tables["synergies"], "fr")) == 30


def test_labels_per_code_are_the_labels_row_by_row():
    labels = report.resource_labels("fr")
    codes = pd.Series(["wood_waste, waste_heat", "waste_heat", None, "unknown_code", "wood_waste, waste_heat"])
    plain = [", ".join(labels.get(c.strip(), c.strip()) for c in str(v or "").split(",") if c.strip()) for v in codes]
    assert report._labelled(codes, labels) == plain
    assert plain[0] != "wood_waste, waste_heat" and plain[3] == "unknown_code"


def test_best_first_is_the_full_sort_cut():
    from eit_plugin.core.synthesis import best_first

    frame = pd.DataFrame({"synergy_id": ["S{}".format(i) for i in range(40)][::-1],
                          "score": [float(i % 7) if i % 11 else float("nan") for i in range(40)]})
    # a public layer: every score withheld (NULL), the ids alone give the order
    public = pd.DataFrame({"synergy_id": frame["synergy_id"], "score": [None] * len(frame)})
    for table in (frame, public):
        for limit in (1, 5, 6, 17, 36, 37, 40, 60):
            plain = table.sort_values(["score", "synergy_id"], ascending=[False, True], kind="mergesort").head(limit)
            assert best_first(table, "score", "synergy_id", limit)["synergy_id"].tolist() == plain["synergy_id"].tolist()


def test_english_annex_g_gives_the_rules_sources_and_themes_in_english():
    from eit_plugin.core.recommendation_rules import load_rules

    rules = load_rules()
    # Every shipped rule has its English theme and source (not a copy of the French).
    assert all(r.theme_en and r.theme_en != r.theme and r.source_en != r.source for r in rules)
    rows = pd.DataFrame([
        {"rec_id": "R1", "document": r.document, "priority": r.priority, "scope_id": "Z{}".format(i),
         "scope_kind": "zone", "rule_id": r.id, "instrument": r.instrument, "instrument_en": r.instrument_en,
         "theme": r.theme, "theme_en": r.theme_en, "text_fr": "texte {}".format(i), "text_en": "text {}".format(i),
         "evidence": "1", "evidence_en": "1", "sources": r.source, "sources_en": r.source_en, "suppressed": False}
        for i, r in enumerate(rules)])
    items = recommendation_sections.group(rows, None, None)
    english = report.rule_sources(items, "en")
    assert {row["source"] for row in english} == {r.source_en for r in rules}
    assert not any("Code de l'urbanisme art." in row["source"] and "Town planning code" not in row["source"]
                   for row in english)
    assert {row["source"] for row in report.rule_sources(items, "fr")} == {r.source for r in rules}
    assert set(", ".join(items["theme_en"]).split(", ")) == {r.theme_en for r in rules}


def test_an_english_public_report_quotes_the_english_public_reason():
    from eit_plugin.core.synthesis import best_opportunities

    synergies = pd.DataFrame({"synergy_id": ["SYN-0001"], "score": [None], "co2_avoided_t": [None],
                              "confidence": [0.9],
                              "reason": ["« chaleur fatale » disponible dans la zone UXb (Chambéry) → « chauffage des locaux »"],
                              "reason_en": ["“waste heat” available in zone UXb (Chambéry) → “space heating”"]})
    english = best_opportunities(synergies, None, lambda z: "", language="en")
    french = best_opportunities(synergies, None, lambda z: "", language="fr")
    assert english[0].startswith("“waste heat” available in zone UXb (Chambéry)")
    assert "CO₂ withheld (statistical secret)" in english[0]
    assert french[0].startswith("« chaleur fatale » disponible")
