"""Calibration of the shipped ratios against published national totals (docs/calibration.md).

Method: for every NAF division of manufacturing, the flows of one employee are the mean of the
per-employee ratios resolved (``core.estimation.resolve_ratios``, the rule of
eit:estimateflows, most likely activity profile) over the division's sub-classes; times the
division's salaried jobs (``tools/data/national_employment_assumption.csv``) this gives a
national estimate, compared with the published totals (``tools/data/national_totals.csv``).
Fixed quantities per site are left out (no national count of sites here).

    python -m tools.calibration            # prints the Markdown table
    python -m tools.calibration --write    # rewrites the table in docs/calibration.md
"""
from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tools" / "data"
DOC = ROOT / "docs" / "calibration.md"
MINERAL = {"inert_construction", "slag", "foundry_sand", "incinerator_bottom_ash", "fly_ash", "fgd_gypsum",
           "mill_scale", "lime_sludge", "reclaimed_asphalt", "wood_ash", "plasterboard_waste"}
HAZARDOUS = {"waste_oil", "solvents", "spent_pickling_acid"}


def per_employee() -> pd.DataFrame:
    """Mean per-employee supply of each resource over the sub-classes of each division."""
    from eit_plugin.core import estimation, reference
    from eit_plugin.core.profiles import load_profiles

    ratios = reference.load_ratios()
    profiles = load_profiles()
    labels = reference.load_naf_labels()
    codes = labels[labels["naf"].str[:2].astype(int).between(10, 33)]["naf"].tolist()
    best = profiles.sort_values(["naf", "prior"], ascending=[True, False]).drop_duplicates("naf").set_index("naf")["profile"]
    keys = []
    for code in codes:
        level = next((k for k in reference.naf_keys(code) if k in best.index), None)
        keys.append(code + "#" + best[level] if level else code)
    resolved = estimation.resolve_ratios(keys, ratios)
    resolved = resolved[(resolved["direction"] == "supply") & ~resolved["cancels"]]
    resolved["division"] = resolved["naf_norm"].str[:2]
    n_sub = pd.Series([k[:2] for k in keys]).value_counts()
    sums = resolved.groupby(["division", "resource"])["quantity_per_employee"].sum().unstack(fill_value=0.0)
    return sums.div(n_sub.reindex(sums.index), axis=0)


def table() -> list:
    jobs = pd.read_csv(DATA / "national_employment_assumption.csv", dtype={"division": str}).set_index("division")
    totals = {r["indicator"]: r for r in csv.DictReader(open(DATA / "national_totals.csv", encoding="utf-8"))}
    per = per_employee().reindex(jobs.index).fillna(0.0)
    national = per.mul(jobs["salaried_jobs"], axis=0)
    heat = national.get("waste_heat", pd.Series(0.0, index=national.index)) / 1e6  # MWh → TWh
    waste_cols = [c for c in national.columns if c not in MINERAL | HAZARDOUS | {"waste_heat"}
                  and c in _waste_resources()]
    waste = national[waste_cols].sum(axis=1) / 1e6  # t → Mt
    rows = ["| sector (NAF division) | salaried jobs (assumption) | waste heat estimated (TWh/yr) | "
            "non-hazardous non-mineral waste estimated (Mt/yr) |", "|---|---:|---:|---:|"]
    for div in jobs.index:
        rows.append("| {} {} | {} | {:.2f} | {:.2f} |".format(div, jobs.at[div, "label"], _int(jobs.at[div, "salaried_jobs"]),
                                                             heat[div], waste[div]))
    rows.append("| **manufacturing, estimated** | {} | **{:.1f}** | **{:.1f}** |".format(
        _int(jobs["salaried_jobs"].sum()), heat.sum(), waste.sum()))
    rows.append("| **published** | | **{}** ({}) | **{}** ({}) |".format(
        totals["waste_heat_total"]["value"], totals["waste_heat_total"]["source"],
        totals["nonhazardous_nonmineral_waste"]["value"], totals["nonhazardous_nonmineral_waste"]["source"]))
    rows.append("| **estimate / published** | | **{:.2f}** | **{:.2f}** |".format(
        heat.sum() / float(totals["waste_heat_total"]["value"]),
        waste.sum() / float(totals["nonhazardous_nonmineral_waste"]["value"])))
    return rows


def _int(value) -> str:
    return "{:,.0f}".format(value).replace(",", "\u202f")


def _waste_resources() -> set:
    from eit_plugin.core import reference

    tax = reference.load_taxonomy()
    return set(tax.loc[tax["family"] == "waste", "code"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the table in docs/calibration.md")
    args = parser.parse_args(argv)
    text = "\n".join(table())
    if not args.write:
        print(text)
        return 0
    doc = DOC.read_text(encoding="utf-8")
    doc = re.sub(r"(<!-- generated:calibration -->\n).*?(<!-- /generated:calibration -->)",
                 lambda m: m.group(1) + text + "\n" + m.group(2), doc, flags=re.S)
    DOC.write_text(doc, encoding="utf-8")
    print("docs/calibration.md: table rewritten")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
