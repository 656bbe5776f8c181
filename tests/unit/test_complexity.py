"""The complexity ratchet: no new function above 25, no new module over 600 lines, and the
known offenders in tools/complexity_baseline.txt may only shrink."""
from __future__ import annotations

from tools import complexity


def test_no_new_offender_and_no_known_offender_grew():
    problems = complexity.compare(complexity.measure(), complexity.read_baseline())
    assert not problems, "\n".join(problems)


def _tangled(n):
    body = "".join("    if x == {}:\n        x += 1\n".format(i) for i in range(n))
    return "def tangled(x):\n{}    return x\n".format(body)


def test_the_gate_catches_a_new_complex_function_a_grown_one_and_a_long_module(tmp_path, monkeypatch):
    package = tmp_path / "eit_plugin"
    package.mkdir()
    (package / "a.py").write_text(_tangled(25), encoding="utf-8")            # complexity 26
    (package / "b.py").write_text("x = 1\n" * 601, encoding="utf-8")
    (package / "c.py").write_text(_tangled(30), encoding="utf-8")            # complexity 31
    monkeypatch.setattr(complexity, "ROOT", tmp_path)
    found = complexity.measure(package)
    assert found == {("function", "eit_plugin/a.py::tangled"): 26, ("module", "eit_plugin/b.py"): 601,
                     ("function", "eit_plugin/c.py::tangled"): 31}
    baseline = {("function", "eit_plugin/c.py::tangled"): 28, ("module", "eit_plugin/gone.py"): 700}
    problems = complexity.compare(found, baseline)
    assert any("a.py::tangled: 26" in p and "split it" in p for p in problems)
    assert any("b.py: 601 lines" in p for p in problems)
    assert any("c.py::tangled: 31" in p and "up from 28" in p for p in problems)
    assert any("gone.py" in p and "remove its line" in p for p in problems)


def test_shrinking_lowers_and_drops_but_never_raises():
    found = {("function", "m.py::f"): 30, ("function", "m.py::g"): 40}
    baseline = {("function", "m.py::f"): 35, ("function", "m.py::g"): 33, ("module", "old.py"): 900}
    assert complexity.shrink(found, baseline) == {("function", "m.py::f"): 30, ("function", "m.py::g"): 33}
