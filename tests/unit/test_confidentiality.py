"""Statistical secret: the 3-establishment and 85 % rules, secondary suppression, aggregation."""
import math

import numpy as np
import pandas as pd
import pytest

from eit_plugin.core import confidentiality as conf


def test_two_firms_are_never_published():
    ok, reason = conf.check_cell({"A": 100.0, "B": 100.0})
    assert not ok
    assert "moins de 3" in reason


def test_three_firms_with_one_at_90_percent_is_suppressed():
    ok, reason = conf.check_cell({"A": 90.0, "B": 5.0, "C": 5.0})
    assert not ok
    assert "90 %" in reason


def test_three_balanced_firms_are_published_and_85_percent_is_the_limit():
    assert conf.check_cell({"A": 40.0, "B": 30.0, "C": 30.0}) == (True, "")
    assert conf.check_cell({"A": 85.0, "B": 10.0, "C": 5.0})[0]  # exactly 85 %: allowed
    assert not conf.check_cell({"A": 86.0, "B": 9.0, "C": 5.0})[0]


def test_rows_of_the_same_firm_count_once():
    # three rows but two firms
    ok, _ = conf.check_cell(pd.Series([10.0, 10.0, 10.0], index=["A", "A", "B"]))
    assert not ok


def test_unknown_split_is_not_publishable():
    ok, reason = conf.check_cell(None)
    assert not ok and "85 %" in reason


def _micro(rows):
    return pd.DataFrame(rows, columns=["zone", "park", "siret", "q"])


def _cell(table, level, key, col="q"):
    row = table[(table["level"] == level) & (table["key"] == key)].iloc[0]
    return row


def test_secondary_suppression_when_one_cell_is_recoverable_by_subtraction():
    # park P = zones Z1 (4 balanced firms), Z2 (3 balanced firms), Z3 (2 firms: primary).
    # P's total is published (9 firms), so Z3 = P - Z1 - Z2 unless another cell is suppressed.
    rows = [("Z1", "P", s, 100.0) for s in "abcd"] + [("Z2", "P", s, 50.0) for s in "efg"] + \
           [("Z3", "P", "h", 30.0), ("Z3", "P", "i", 30.0)]
    t = conf.protect_table(_micro(rows), ["q"], ["zone"], "siret", ["park"])
    assert _cell(t, 0, "Z3")["q_suppressed"]
    assert "moins de 3" in _cell(t, 0, "Z3")["q_reason"]
    # the smallest published sibling (Z2 = 150 < Z1 = 400) is suppressed too
    assert _cell(t, 0, "Z2")["q_suppressed"]
    assert _cell(t, 0, "Z2")["q_reason"] == conf.REASON_SECONDARY
    assert not _cell(t, 0, "Z1")["q_suppressed"]
    assert _cell(t, 0, "Z1")["q"] == 400.0
    assert _cell(t, 1, "P")["q"] == 610.0
    # subtracting the published cells from the published total now gives Z2 + Z3 (210), not Z3 (60)
    published_children = t[(t["level"] == 0) & ~t["q_suppressed"]]["q"].sum()
    assert _cell(t, 1, "P")["q"] - published_children == 210.0
    assert math.isnan(_cell(t, 0, "Z2")["q"]) and math.isnan(_cell(t, 0, "Z3")["q"])


def test_suppressed_cell_is_aggregated_to_the_next_publishable_level():
    # zone Z1 has 2 firms -> park P1 has the same 2 firms (still secret) -> commune C has 5 firms
    df = pd.DataFrame(
        [("Z1", "P1", "73065", "a", 10.0), ("Z1", "P1", "73065", "b", 20.0),
         ("Z2", "P2", "73065", "c", 30.0), ("Z2", "P2", "73065", "d", 30.0), ("Z2", "P2", "73065", "e", 30.0)],
        columns=["zone", "park", "commune", "siret", "q"],
    )
    t = conf.protect_table(df, ["q"], ["zone"], "siret", ["park", "commune"])
    z1 = _cell(t, 0, "Z1")
    assert z1["q_suppressed"]
    assert z1["q_fallback_level"] == "commune" and z1["q_fallback_key"] == "73065"
    assert z1["q_fallback_value"] == 120.0
    # Z2 alone under P2 with 3 firms: published as is
    assert _cell(t, 0, "Z2")["q"] == 90.0 and _cell(t, 0, "Z2")["q_fallback_level"] == "zone"


def test_categories_are_protected_separately():
    df = pd.DataFrame(
        [("Z1", "heat", s, 10.0) for s in "abc"] + [("Z1", "waste", "a", 5.0)],
        columns=["zone", "family", "siret", "q"],
    ).assign(commune="C")
    t = conf.protect_table(df, ["q"], ["zone", "family"], "siret", ["commune"])
    heat = t[(t["level"] == 0) & (t["family"] == "heat")].iloc[0]
    waste = t[(t["level"] == 0) & (t["family"] == "waste")].iloc[0]
    assert not heat["q_suppressed"] and waste["q_suppressed"]


def test_public_label_is_generic_and_anonymise_removes_sirets():
    assert conf.public_label("10.51C") == "une entreprise agroalimentaire"
    assert conf.public_label("24.10Z") == "une entreprise de la métallurgie"
    assert conf.public_label(None) == "une entreprise"
    syn = pd.DataFrame([{
        "synergy_id": "S1", "kind": "heat_recovery", "supplier_siret": "12345678900011", "receiver_siret": "98765432100012",
        "supply_flow_id": "12345678900011:S:waste_heat", "resource_supply": "waste_heat",
        "resource_demand": "process_heat", "quantity": 1200.0, "distance_m": 340.0,
        "reason": "Fromagerie Dupont peut chauffer Laiterie Martin",
    }])
    out = conf.anonymise_synergies(syn, {"12345678900011": "10.51C", "98765432100012": "20.16Z"})
    text = " ".join(str(v) for v in out.iloc[0].values)
    assert "12345678900011" not in text and "Dupont" not in text and "Martin" not in text
    assert out.iloc[0]["reason"].startswith("Une entreprise agroalimentaire")
    assert math.isnan(out.iloc[0]["quantity"]) and out.iloc[0]["suppressed"]
    assert syn.iloc[0]["supplier_siret"] == "12345678900011"  # input untouched


@pytest.mark.parametrize("public,expected", [(True, conf.PUBLIC_MARK), (False, conf.CONFIDENTIAL_MARK)])
def test_mark(public, expected):
    assert conf.mark(pd.DataFrame({"a": [1]}), public)["diffusion"].iloc[0] == expected


def _plain_secondary(table, col, cats, n_levels):
    """Row-by-row reference of the secondary suppression (one record per cell)."""
    supp, total, reason = col + "_suppressed", col + "_total", col + "_reason"
    for k in range(n_levels - 1):
        published = {(r["key"], *[r[c] for c in cats]): not r[supp] for r in table[table["level"] == k + 1].to_dict("records")}
        groups = {}
        for i in table.index[table["level"] == k]:
            groups.setdefault((table.at[i, "parent_key"], *[table.at[i, c] for c in cats]), []).append(i)
        for gkey in sorted(groups, key=str):
            idx = groups[gkey]
            if not published.get(gkey, False) or sum(bool(table.at[i, supp]) for i in idx) != 1 or len(idx) < 2:
                continue
            cands = sorted((i for i in idx if not table.at[i, supp] and not pd.isna(table.at[i, total])),
                           key=lambda i: (abs(table.at[i, total]), str(table.at[i, "key"])))
            if cands:
                table.at[cands[0], supp] = True
                table.at[cands[0], reason] = conf.REASON_SECONDARY


def _plain_fallbacks(table, col, cats, levels):
    """Row-by-row reference of the fallbacks: walk up the records while suppressed."""
    lookup = {(r["level"], r["key"], *[r[c] for c in cats]): r for r in table.to_dict("records")}
    out = []
    for r in table.to_dict("records"):
        level, cur = r["level"], r
        while cur is not None and cur[col + "_suppressed"]:
            if cur["parent_key"] is None or level + 1 >= len(levels):
                cur = None
                break
            level = level + 1
            cur = lookup.get((level, cur["parent_key"], *[r[c] for c in cats]))
        out.append((None, None, float("nan")) if cur is None else (levels[cur["level"]], cur["key"], cur[col]))
    table[col + "_fallback_level"], table[col + "_fallback_key"], table[col + "_fallback_value"] = (
        [o[0] for o in out], [o[1] for o in out], [o[2] for o in out])


def test_secret_by_columns_equals_the_row_by_row_reference(monkeypatch):
    rng = np.random.default_rng(0)
    for t in range(30):
        n, nz = int(rng.integers(1, 300)), int(rng.integers(1, 30))
        z = rng.integers(0, nz, n)
        df = pd.DataFrame({"zone_id": ["z{}".format(v) for v in z], "park": ["p{}".format(v // 4) for v in z],
                           "commune": ["c{}".format(v // 9) for v in z], "family": rng.choice(["heat", "waste"], n),
                           "siret": ["s{}".format(v) for v in rng.integers(0, n // 2 + 2, n)],
                           "quantity": np.where(rng.random(n) < 0.1, np.nan, rng.exponential(10, n) * (rng.random(n) < 0.9))})
        cats = [["zone_id", "family"], ["zone_id"]][t % 2]
        fast = conf.protect_table(df, ["quantity"], cats, "siret", ["park", "commune"])
        with monkeypatch.context() as m:
            m.setattr(conf, "_secondary_suppression", _plain_secondary)
            m.setattr(conf, "_fallbacks", _plain_fallbacks)
            plain = conf.protect_table(df, ["quantity"], cats, "siret", ["park", "commune"])
        pd.testing.assert_frame_equal(fast, plain)
