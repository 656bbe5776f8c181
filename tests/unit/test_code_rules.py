"""House rules of the source that a reviewer would otherwise have to remember."""
from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import eit_plugin

ISSUE = re.compile(r"\bissues?\s*#?\d+", re.IGNORECASE)


def _issue_comments(text: str) -> list:
    """``(line, comment)`` of the comments of ``text`` that cite an issue number."""
    return [(token.start[0], token.string) for token in tokenize.generate_tokens(io.StringIO(text).readline)
            if token.type == tokenize.COMMENT and ISSUE.search(token.string)]


def test_no_issue_number_in_code_comments():
    """An issue number in a comment goes stale (the tracker moves, the issue closes): a
    comment says why the code is as it is."""
    root = Path(eit_plugin.__file__).parent
    found = {}
    for path in sorted(root.rglob("*.py")):
        hits = _issue_comments(path.read_text(encoding="utf-8"))
        if hits:
            found[str(path.relative_to(root))] = hits
    assert found == {}


def test_the_check_sees_an_issue_number():
    code = "x = 1  # see issue 12\ny = '#3 is a string, not a comment'\nz = 2  # colour #222222\n"
    assert _issue_comments(code) == [(1, "# see issue 12")]


def _files_using(names: set) -> set:
    """Modules of the plugin whose code (not strings or comments) uses one of ``names``."""
    root = Path(eit_plugin.__file__).parent
    found = set()
    for path in sorted(root.rglob("*.py")):
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
        if any(token.type == tokenize.NAME and token.string in names for token in tokens):
            found.add(path.relative_to(root).as_posix())
    return found


def test_one_place_styles_layers_and_one_reads_line_networks():
    """What was written three times stays written once: applying a .qml file, building a
    line network from a layer, matching names case-insensitively."""
    assert _files_using({"importNamedStyle", "loadNamedStyle"}) == {"qgis_io/styles.py"}
    assert {f for f in _files_using({"from_polylines"}) if f.startswith("processing/")} == {"processing/inputs.py"}
    assert {"core/sirene_csv.py", "qgis_io/layers.py"} <= _files_using({"match_names"})
