"""Smoke test of the benchmark harness (bench/run.py, ``make bench``) at a tiny size.

Benchmarks are not tests: this only keeps the harness working — a 300-establishment
territory generated and cached, two algorithms run through qgis_process.bin from the
packaged plugin, the bare read, peak memory measured, results merged into JSON, the
Markdown table written into the README between its markers.
"""
from __future__ import annotations

import importlib.util
import json
import sys

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_measure_reports_the_peak_memory_and_exit_code_of_the_child(bench, tmp_path):
    code = "b = bytearray(150 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); raise SystemExit(3)"
    row = bench.measure([sys.executable, "-c", code], None, tmp_path / "child.log", timeout=60)
    assert row["returncode"] == 3
    assert row["peak_mb"] >= 150
    assert row["wall_s"] > 0 and not row["timed_out"]


def test_a_step_whose_input_is_missing_is_refused_with_the_step_to_run_first(bench, tmp_path):
    with pytest.raises(RuntimeError, match=r"run step import first"):
        bench.run_step("overlay", tmp_path, tmp_path, bench.QgisProcess(tmp_path / "profile"), 60)


def test_harness_runs_two_steps_at_300_establishments_and_writes_json_table_and_readme(bench, package_zip, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n\n## Benchmarks\n\n<!-- bench:begin -->\nold table\n<!-- bench:end -->\n\nAfter.\n",
                      encoding="utf-8")
    out = tmp_path / "results"
    argv = ["--package", str(package_zip), "--sizes", "300", "--steps", "import,flows,read",
            "--cache", str(tmp_path / "cache"), "--out", str(out), "--readme", str(readme), "--timeout", "300"]
    assert bench.main(argv) == 0

    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    steps = results["sizes"]["300"]["steps"]
    assert set(steps) == {"import", "flows", "read"}
    for row in steps.values():
        assert row["returncode"] == 0
        assert row["peak_mb"] > 50  # a QGIS process, measured on the child, not on pytest
    n_est = steps["import"]["features"]
    assert 250 <= n_est <= 300  # closed establishments are left out by ACTIVE_ONLY
    assert steps["flows"]["features"] > n_est  # several flows per establishment
    assert steps["read"]["detail"]["layers"]["establishments"]["features"] == n_est
    assert steps["read"]["detail"]["layers"]["flows"]["features"] == steps["flows"]["features"]
    assert results["sizes"]["300"]["ratios"]["import_vs_read"] > 0
    assert results["machine"]["nproc"] >= 1

    table = (out / "results.md").read_text(encoding="utf-8")
    assert "| eit:importestablishments |" in table and "eit:estimateflows ÷ bare read" in table
    text = readme.read_text(encoding="utf-8")
    assert "old table" not in text and "| eit:estimateflows |" in text
    assert text.startswith("# Title") and text.rstrip().endswith("After.")

    # A second run of one step keeps the other steps of that size (merge, not overwrite),
    # and reuses the cached territory.
    assert bench.main(argv[:4] + ["--steps", "read"] + argv[6:]) == 0
    again = json.loads((out / "results.json").read_text(encoding="utf-8"))["sizes"]["300"]["steps"]
    assert set(again) == {"import", "flows", "read"}
