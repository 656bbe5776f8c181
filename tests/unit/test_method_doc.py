"""docs/method.md, the method as planners read it, cannot drift from the shipped tables."""
from __future__ import annotations

import shutil

import pytest

from tools import method_doc

TEXT = method_doc.DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", method_doc.shipped_files())
def test_the_hand_written_text_names_every_reference_table_and_rule_file(name):
    # The generated "sources" table lists every file anyway: the prose must say what it is for.
    assert "resources/{}".format(name) in method_doc.hand_written(TEXT), (
        "docs/method.md does not explain resources/{}: say in the text what it is for".format(name))


def test_generated_sections_are_up_to_date():
    assert method_doc.render(TEXT) == TEXT, "docs/method.md is stale: run python -m tools.method_doc"


def test_a_changed_table_makes_the_document_stale(tmp_path, monkeypatch):
    resources = tmp_path / "resources"
    shutil.copytree(method_doc.ROOT / "resources" / "reference", resources / "reference")
    shutil.copytree(method_doc.ROOT / "resources" / "rules", resources / "rules")
    path = resources / "reference" / "emission_factors.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("heat_natural_gas,MWh heat,273,",
                                                             "heat_natural_gas,MWh heat,227,"), encoding="utf-8")
    monkeypatch.setattr(method_doc, "ROOT", tmp_path)
    monkeypatch.setattr(method_doc, "REFERENCE", resources / "reference")
    monkeypatch.setattr(method_doc, "RULES", resources / "rules")
    fresh = method_doc.render(TEXT)
    assert fresh != TEXT and "| `heat_natural_gas` | MWh heat | 227 |" in fresh


def test_an_undescribed_table_is_refused(tmp_path, monkeypatch):
    resources = tmp_path / "resources"
    shutil.copytree(method_doc.ROOT / "resources" / "reference", resources / "reference")
    shutil.copytree(method_doc.ROOT / "resources" / "rules", resources / "rules")
    (resources / "rules" / "new_rules.csv").write_text("id,source\nX,assumption\n", encoding="utf-8")
    monkeypatch.setattr(method_doc, "ROOT", tmp_path)
    monkeypatch.setattr(method_doc, "REFERENCE", resources / "reference")
    monkeypatch.setattr(method_doc, "RULES", resources / "rules")
    with pytest.raises(SystemExit, match="rules/new_rules.csv has no description"):
        method_doc.render(TEXT)
