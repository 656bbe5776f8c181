"""Activity profiles: one NAF code, several kinds of plants (35.11Z by fuel, 23.51Z kiln or
grinding, 38.21Z by process…). ``resources/reference/profiles.csv`` lists them with their prior
share; ratio rows carrying a ``profile`` apply only to it. Declared or registered data settle
the profile; else the name, then the size, then the prior choose it.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from ..i18n import tr
from . import reference
from .reference import _cached, _check_sources, _check_unique, _fail, _line, _numbers, _prepare, _text
from .tables import read_table

PROFILE_COLUMNS = ("naf", "profile", "label_fr", "label_en", "prior", "min_headcount", "combustion", "name_keywords",
                   "source", "rationale")
_OPTIONAL = {"min_headcount": 0.0, "combustion": 0, "name_keywords": "", "label_en": None}

# How much more likely a profile becomes when the site's known headcount reaches the profile's
# minimum (a 1,500-worker steelworks is more likely integrated than the national mix of sites).
SIZE_EVIDENCE = 3.0


def _fold_name(text) -> str:
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").upper()
    return " " + re.sub(r"[^A-Z0-9]+", " ", text).strip() + " "


def _weights(every: list, head: float, known: bool) -> tuple:
    """Candidates (sorted, most likely first), their weights and the weights' total."""
    cands = [p for p in every if not known or head >= p["min_headcount"]] or every[-1:]
    # A known headcount reaching a profile's minimum is evidence for that (large-plant) profile.
    weight = {p["profile"]: p["prior"] * (SIZE_EVIDENCE if known and 0 < p["min_headcount"] <= head else 1.0)
              for p in cands}
    cands = sorted(cands, key=lambda p: (-weight[p["profile"]], p["profile"]))
    return cands, weight, sum(weight.values()) or 1.0


def _by_name(cands: list, name) -> dict | None:
    folded = _fold_name(name)
    if not folded.strip():
        return None
    for p in cands:
        words = [w.strip() for w in p["name_keywords"].split("|") if w.strip()]
        if any(" " + w in folded for w in words):
            return p
    return None


def _choose(every: list, name, head: float, known: bool, settled) -> tuple:
    """``(profile, share, basis, alternatives)`` of one establishment."""
    cands, weight, total = _weights(every, head, known)
    chosen = next((p for p in every if p["profile"] == settled), None) if settled is not None else None
    if chosen is not None:
        basis, share = "settled", 1.0
    else:
        chosen = _by_name(cands, name)
        if chosen is not None:
            basis, share = "name", max(0.8, weight[chosen["profile"]] / total)
        else:
            chosen, basis = cands[0], "prior"
            share = weight[chosen["profile"]] / total
    others = [p for p in cands if p["profile"] != chosen["profile"]]
    alt = ", ".join("{} {:.0f} %".format(p["profile"], 100 * weight[p["profile"]] / total) for p in others)
    return chosen["profile"], float(min(share, 1.0)), basis, alt


def choose_profiles(est: pd.DataFrame, profiles: pd.DataFrame | None, evidence: dict | None = None) -> pd.DataFrame:
    """The likely profile of each establishment whose NAF code covers different plants.

    ``est``: prepared establishments (``siret, name, naf_norm, headcount, headcount_known``).
    Candidates: the profiles of the most specific NAF level present in ``profiles``, minus
    those whose ``min_headcount`` exceeds a known headcount. The choice, in order:
    ``evidence[siret]`` (a profile settled by declared or registered data: share 1); a
    profile whose name keywords appear in the establishment's name (share at least 0.8);
    the highest weight = prior × ``SIZE_EVIDENCE`` when a known headcount reaches the
    profile's ``min_headcount`` (else × 1). ``profile_share`` = the chosen profile's prior over the candidates'
    priors: the confidence of the profile's own rows is multiplied by it. Returns ``siret,
    profile, profile_share, profile_basis`` (``settled``/``name``/``prior``) and
    ``profile_alternatives`` (the other candidates with their shares, as text).
    """
    evidence = evidence or {}
    cols = ["siret", "profile", "profile_share", "profile_basis", "profile_alternatives"]
    if profiles is None or profiles.empty or est.empty:
        return pd.DataFrame(columns=cols)
    keys = set(profiles["naf"])
    by_key = {k: g.sort_values(["prior", "profile"], ascending=[False, True]).to_dict("records")
              for k, g in profiles.groupby("naf", sort=True)}
    level_of = {code: next((k for k in reference.naf_keys(code) if k in keys), None)
                for code in est["naf_norm"].unique()}
    names = est["name"] if "name" in est.columns else pd.Series([None] * len(est), index=est.index)
    rows = []
    for siret, name, code, head, known in zip(est["siret"], names, est["naf_norm"], est["headcount"],
                                               est["headcount_known"]):
        key = level_of.get(code)
        if key is not None:
            rows.append((siret, *_choose(by_key[key], name, head, known, evidence.get(siret))))
    return pd.DataFrame(rows, columns=cols)




def _load_profiles(path: Path, _extra) -> pd.DataFrame:
    frame = _prepare(read_table(path), path, PROFILE_COLUMNS, _OPTIONAL)
    raw = frame["naf"]
    frame["naf"] = raw.map(reference.normalise_naf)
    bad = frame["naf"] == ""
    if bad.any():
        i = bad.idxmax()
        _fail(path, tr("line {line}: NAF code '{code}' is not a NAF rév. 2 code.").format(line=_line(i), code=raw[i]))
    frame["profile"] = _text(frame, "profile").str.lower()
    bad = ~frame["profile"].str.fullmatch(r"[a-z][a-z0-9_]*")
    if bad.any():
        i = bad.idxmax()
        _fail(path, tr("line {line}: profile '{code}' must be lower-case letters, digits and '_'.").format(
            line=_line(i), code=frame.at[i, "profile"]))
    _check_unique(frame, ["naf", "profile"], path)
    frame["label_fr"] = _text(frame, "label_fr")
    label_en = _text(frame, "label_en")
    frame["label_en"] = label_en.where(label_en != "", frame["label_fr"])
    frame["prior"] = _numbers(frame, "prior", path, minimum=0, maximum=1)
    frame["min_headcount"] = _numbers(frame, "min_headcount", path, required=False, minimum=0).fillna(0.0)
    frame["combustion"] = _numbers(frame, "combustion", path, required=False, minimum=0, maximum=1).fillna(0).astype(bool)
    frame["name_keywords"] = _text(frame, "name_keywords").str.upper()
    frame["source"] = _text(frame, "source")
    frame["rationale"] = _text(frame, "rationale")
    _check_sources(frame, path)
    return frame[list(PROFILE_COLUMNS)].sort_values(["naf", "profile"]).reset_index(drop=True)


_profiles_loader = _cached(_load_profiles)


def load_profiles(path=None) -> pd.DataFrame:
    """Alternative plants behind one NAF code: ``naf, profile, label_fr, label_en, prior`` (share
    of the code's establishments thought to be of this kind), ``min_headcount`` (smaller sites
    cannot be of this kind), ``combustion`` (burns fuel: settled by registered CO2 emissions),
    ``name_keywords`` (``|``-separated words of the establishment's name that point to it),
    ``source, rationale``. Ratio rows with the same ``profile`` apply only to it."""
    return _profiles_loader(path, "profiles")


def settle_profiles(est: pd.DataFrame, profiles: pd.DataFrame, ratios: pd.DataFrame, facts: pd.DataFrame | None = None,
                    combustion: dict | None = None) -> dict:
    """``{siret: profile}`` settled by declared or registered data.

    ``facts``: ``siret, direction, resource`` of declared or registered rows; the profile whose
    own ratio rows (``profile`` column) contain the most of the site's facts wins when it is the
    only one. ``combustion``: ``{siret: bool}`` from the registers (CO2 declared to air or not):
    the most likely profile that burns fuel, or that does not, wins when facts do not decide."""
    combustion = combustion or {}
    facts = facts if facts is not None else pd.DataFrame(columns=["siret", "direction", "resource"])
    if profiles is None or profiles.empty:
        return {}
    own = ratios[ratios["profile"] != ""] if "profile" in ratios.columns else ratios.iloc[0:0]
    keys = set(profiles["naf"])
    by_site = {s: set(zip(g["direction"], g["resource"])) for s, g in facts.groupby("siret")}
    settled = {}
    sites = est[est["siret"].isin(set(by_site) | set(combustion))]
    for siret, code in zip(sites["siret"], sites["naf_norm"]):
        key = next((k for k in reference.naf_keys(code) if k in keys), None)
        if key is None:
            continue
        cands = profiles[profiles["naf"] == key].sort_values(["prior", "profile"], ascending=[False, True])
        levels = set(reference.naf_keys(code))
        scores = {}
        for prof in cands["profile"]:
            rows = own[(own["profile"] == prof) & own["naf"].isin(levels)]
            scores[prof] = len(by_site.get(siret, set()) & set(zip(rows["direction"], rows["resource"])))
        best = max(scores.values()) if scores else 0
        winners = [p for p, v in scores.items() if v == best]
        if best > 0 and len(winners) == 1:
            settled[siret] = winners[0]
        elif siret in combustion:
            fit = cands[cands["combustion"] == bool(combustion[siret])]
            if len(fit):
                settled[siret] = fit["profile"].iloc[0]
    return settled
