"""The auditor's text check: what it finds in a public text (identifiers, names, firm figures)
and that its linear name finder finds exactly what the plain regex of every name finds."""
import random

import pandas as pd

from eit_plugin.core import protection
from eit_plugin.core.protection_texts import NameFinder, TextIndex, names_regex

PEOPLE = pd.DataFrame({
    "siret": ["43445209581935", "51234567800012", "61234567800013"],
    "name": ["SYNERGIE", "Scierie du Granier", "UVE de Bissy (valorisation)"],
    "x": [0.0, 10.0, 20.0], "y": [0.0, 0.0, 0.0]})


def _violations(*texts, public_extra=None):
    public = {"t": pd.DataFrame({"text": list(texts)})}
    public.update(public_extra or {})
    return protection.audit(public, {}, None, PEOPLE).violations


def test_a_several_word_name_is_found_in_any_case_inside_a_sentence():
    assert _violations("Le bois part chez la SCIERIE DU GRANIER chaque semaine.")
    assert _violations("scierie du granier")
    assert _violations("Scierie du Granier, à Chambéry")  # at the start, before a comma
    assert _violations("livré à (Scierie du Granier)")  # at the end, inside brackets
    assert not _violations("Scierie du Graniers voisine")  # not a whole word
    assert not _violations("Scierie du  Granier")  # other spacing: another string


def test_a_name_ending_with_punctuation_is_found_only_when_it_stands_alone():
    assert _violations("Chaleur de l'UVE de Bissy (valorisation).")
    assert _violations("uve de bissy (VALORISATION)")
    assert not _violations("UVE de Bissy (valorisation)x")  # a word character right after ")"


def test_a_one_word_name_is_found_only_as_registered_and_as_a_whole_word():
    assert _violations("Intérim : SYNERGIE.")
    assert _violations("SYNERGIE")
    assert not _violations("chaque synergie lie deux établissements", "Synergie n° 3", "SYNERGIES",
                           "RESYNERGIE", "SYNERGIE_2")


def test_identifiers_are_found_and_public_codes_and_hashes_are_not():
    one = _violations("SIRET 434 452 095 81935")
    assert any("SIRET-like" in v for v in one) and any("SIREN" in v for v in one)
    assert any("SIREN of an establishment" in v for v in _violations("entreprise 512 345 678"))
    assert any("SIREN of an establishment" in v for v in _violations("entreprise 512345678"))
    assert not _violations("SHA-256 348bb1148e62d660e4ae9043445209581935c3b4", "Unknown SIREN 999 999 999")
    # the EPCI's SIREN and a commune code are public codes, even when a firm shares them
    communes = pd.DataFrame({"level": ["epci"], "code": ["512345678"], "epci_siren": ["512345678"]})
    assert not _violations("CA Grand Chambéry (512345678), commune 73065", public_extra={"communes": communes})


def test_a_repeated_text_is_counted_each_time_and_reported_at_each_place():
    report = protection.audit({"t": pd.DataFrame({"text": ["SYNERGIE", "rien", "SYNERGIE", None]})}, {}, None,
                              PEOPLE)
    assert report.texts_checked == 3
    assert report.violations == ["t[0].text: the name of an establishment of the run",
                                 "t[2].text: the name of an establishment of the run"]


def test_a_firm_figure_in_a_text_is_found_once_per_place():
    flows = pd.DataFrame({"siret": ["51234567800012"], "family": ["waste"], "direction": ["supply"],
                          "resource": ["wood_waste"], "quantity": [6137.0], "zone_id": ["Z1"]})
    report = protection.audit({"synergies": pd.DataFrame({"reason": ["le plus gros : 6 137 t"] * 2})},
                              {}, flows, PEOPLE, texts=["rapport : 6137 t"])
    assert [v.split(":")[0] for v in report.violations] == ["synergies[0].reason", "synergies[1].reason"]
    assert report.flagged and report.flagged[0].startswith("text 1")


def test_one_index_shared_by_the_audits_of_a_run_finds_what_each_audit_finds_alone():
    flows = pd.DataFrame({"siret": ["51234567800012", "61234567800013"], "family": ["waste", "heat"],
                          "direction": ["supply", "supply"], "resource": ["wood_waste", "waste_heat"],
                          "quantity": [6137.0, 812.0], "zone_id": ["Z1", "Z1"]})
    internal = {"synergies": pd.DataFrame({"synergy_id": ["S1"], "mwh_recovered": [455.0]})}
    communes = pd.DataFrame({"level": ["epci"], "code": ["512345678"], "epci_siren": ["512345678"]})
    tables = {"synergies": pd.DataFrame({"reason": ["le plus gros : 6 137 t", "Scierie du Granier", "455 MWh"]}),
              "communes": communes}
    texts = ["rapport : 812 MWh, entreprise 512 345 678, SIRET 612 345 678 00013"]
    index = TextIndex(internal, flows, PEOPLE)
    for public, kw in ((tables, {}), ({}, {"texts": texts}), (tables, {"texts": texts})):
        alone = protection.audit(public, internal, flows, PEOPLE, **kw)
        shared = protection.audit(public, internal, flows, PEOPLE, index=index, **kw)
        assert shared.violations == alone.violations and shared.flagged == alone.flagged
        assert shared.texts_checked == alone.texts_checked
    # the EPCI's SIREN is public in the tables' audit, a firm's in the report's: the index keeps it
    assert not any("SIREN of an establishment" in v
                   for v in protection.audit(tables, internal, flows, PEOPLE, index=index).violations)
    assert any("SIREN of an establishment" in v
               for v in protection.audit({}, internal, flows, PEOPLE, index=index, texts=texts).violations)


# The linear finder against the plain regex ----------------------------------------------------
WORDS = ["scierie", "Scierie", "SCIERIE", "du", "de", "la", "Granier", "granier", "l'Isère", "l'ISÈRE",
         "ſcierie", "İsère", "µm", "μM", "ιota", "\u0345ota", "synergie", "SYNERGIE", "73", "x_y", "Bissy"]
SEPS = [" ", " ", " ", "  ", ", ", ". ", "(", ")", "-", "'", "\n", "", "_", "\u00a0"]


def _phrase(rng, n):
    return "".join(rng.choice(WORDS) + rng.choice(SEPS) for _ in range(n))


def test_the_name_finder_finds_what_the_plain_regex_finds():
    rng = random.Random(7)
    for _round in range(40):
        names = {_phrase(rng, rng.randint(1, 3)).strip() for _ in range(rng.randint(1, 12))}
        names = {n for n in names if len(n) >= 2}
        names |= {"(Bissy)", "SYNERGIE", "x_y du", "..--.."}
        plain, finder = names_regex(names), NameFinder(names)
        texts = [_phrase(rng, rng.randint(0, 12)) for _ in range(150)]
        texts += [rng.choice(sorted(names)) for _ in range(20)]
        texts += ["[{}]".format(rng.choice(sorted(names)).upper()) for _ in range(20)]
        for text in texts:
            assert finder.search(text) == (plain.search(text) is not None), (sorted(names), text)
    assert NameFinder(["SCIERIE DU LAC"]).search("à la ſcierie du lac") is True  # re's long s


def test_public_reasons_name_the_commune_of_a_zone_by_its_name():
    from eit_plugin.core.protection_geometry import _zone_labels

    zones = pd.DataFrame({"zone_id": ["z1", "z2", "z3"], "LIBELLE": ["UXb", "UB", "UA"],
                          "INSEE": ["73065", "99999", None]})
    # The name as in the internal reasons; the code only where no name is known.
    assert _zone_labels(zones) == {"z1": "UXb (Chambéry)", "z2": "UB (99999)", "z3": "UA"}
