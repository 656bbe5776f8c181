"""Complexity gate for eit_plugin: no function above a cyclomatic complexity of 25 (radon),
no module over 600 lines — as a ratchet.

``tools/complexity_baseline.txt`` lists today's offenders with their figure. The gate fails
when a function or module not listed crosses a limit, when a listed one grows, and when a
listed one has shrunk or gone (lower or remove its line: the list may only shrink, so that
the room freed cannot be filled again).

    python -m tools.complexity            # check (make complexity; tests/unit/test_complexity.py)
    python -m tools.complexity --shrink   # rewrite the baseline with the lower figures (never adds or raises)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "eit_plugin"
BASELINE = Path(__file__).resolve().parent / "complexity_baseline.txt"
MAX_COMPLEXITY = 25
MAX_LINES = 600


def _blocks(blocks, prefix=""):
    """(qualified name, complexity) of every function, method (``Class.method``) and closure."""
    from radon.visitors import Function

    for block in blocks:
        # cc_visit lists each method both in its class and on its own (as Class.method): take the latter.
        if not isinstance(block, Function):
            continue
        name = prefix + block.fullname if prefix else block.fullname
        yield name, block.complexity
        yield from _blocks(block.closures, name + ".")


def measure(package: Path = PACKAGE) -> dict:
    """``{("function", "path::name"): complexity, ("module", "path"): lines}`` over the limits."""
    try:
        from radon.complexity import cc_visit
    except ImportError as exc:  # the venv predates radon in requirements-dev.txt
        raise SystemExit("radon is missing: run `make venv` (requirements-dev.txt)") from exc
    found = {}
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_LINES:
            found[("module", rel)] = lines
        for name, complexity in _blocks(cc_visit(text)):
            key = ("function", "{}::{}".format(rel, name))
            if complexity > MAX_COMPLEXITY:
                found[key] = max(complexity, found.get(key, 0))
    return found


def read_baseline(path: Path = BASELINE) -> dict:
    baseline = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 3 or parts[0] not in ("function", "module") or not parts[2].isdigit():
            raise SystemExit("{}:{}: expected 'function path::name N' or 'module path N'".format(path, number))
        baseline[(parts[0], parts[1])] = int(parts[2])
    return baseline


def compare(found: dict, baseline: dict) -> list:
    """Messages, one per breach of the ratchet (empty = pass)."""
    problems = []
    for (kind, name), figure in sorted(found.items()):
        allowed = baseline.get((kind, name))
        what = "cyclomatic complexity" if kind == "function" else "lines"
        limit = MAX_COMPLEXITY if kind == "function" else MAX_LINES
        if allowed is None:
            problems.append("{} {}: {} {} (limit {}): split it".format(kind, name, figure, what, limit))
        elif figure > allowed:
            problems.append("{} {}: {} {}, up from {}: it may only shrink".format(kind, name, figure, what, allowed))
        elif figure < allowed:
            problems.append("{} {}: now {} {} (baseline {}): lower its line in {} "
                            "(python -m tools.complexity --shrink)".format(kind, name, figure, what, allowed,
                                                                           BASELINE.name))
    for kind, name in sorted(baseline):
        if (kind, name) not in found:
            problems.append("{} {}: no longer over the limit (or gone): remove its line from {} "
                            "(python -m tools.complexity --shrink)".format(kind, name, BASELINE.name))
    return problems


def write_baseline(entries: dict, path: Path = BASELINE) -> None:
    header = ("# Offenders of the complexity gate (tools/complexity.py): functions above a cyclomatic\n"
              "# complexity of {} and modules over {} lines in eit_plugin, with their figure.\n"
              "# This list may only shrink: never add a line or raise a figure; split the code instead.\n"
              .format(MAX_COMPLEXITY, MAX_LINES))
    body = ["{} {} {}".format(kind, name, figure) for (kind, name), figure in sorted(entries.items())]
    path.write_text(header + "\n".join(body) + "\n", encoding="utf-8")


def shrink(found: dict, baseline: dict) -> dict:
    """The baseline with improved figures lowered and fixed entries dropped (never raised)."""
    return {key: min(figure, found[key]) for key, figure in baseline.items() if key in found}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shrink", action="store_true", help="lower the baseline to today's figures")
    args = parser.parse_args(argv)
    found, baseline = measure(), read_baseline()
    if args.shrink:
        write_baseline(shrink(found, baseline))
        baseline = read_baseline()
    problems = compare(found, baseline)
    for problem in problems:
        print(problem)
    if not problems:
        print("complexity: {} known offenders, none grew, no new one".format(len(baseline)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
