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
