"""docs/calibration.md: the table is the output of tools/calibration.py on the shipped ratios."""
from tools import calibration


def test_calibration_table_is_up_to_date():
    text = calibration.DOC.read_text(encoding="utf-8")
    assert "\n".join(calibration.table()) in text, "run: python -m tools.calibration --write"


def test_calibration_compares_with_the_published_totals():
    rows = calibration.table()
    assert any("109.5" in r and "CEREN" in r for r in rows)
    ratio = rows[-1].split("|")
    heat, waste = float(ratio[3].strip(" *")), float(ratio[4].strip(" *"))
    assert 0.1 < heat < 10 and 0.1 < waste < 10  # same order of magnitude as the published totals
