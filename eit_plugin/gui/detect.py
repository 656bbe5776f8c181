"""Recognise the project's layers by their fields: which one is SIRENE, zone_urba, flows…

Plain Python on (name, geometry kind, field names) so that it is testable without QGIS.
Geometry kinds: ``point``, ``line``, ``polygon``, ``none``.
"""
from __future__ import annotations

import re

# The territory to keep (AREA) is never guessed: a filter must be the user's choice.
ROLES = ("establishments", "zones", "flows", "network", "heat_network", "housing")

_ROAD_WORDS = re.compile(r"route|road|voie|voirie|troncon|tronçon|street|rue", re.I)
_NETWORK_WORDS = re.compile(r"r[ée]seau|network", re.I)
_HEAT_WORDS = re.compile(r"chaleur|heat|chauffage|rcu|district", re.I)
_HOUSING_WORDS = re.compile(r"logement|housing|dwelling|habitat|r[ée]sidentiel|iris", re.I)
_HOUSING_FIELDS = ("dwellings", "logements", "nb_logts", "nb_log", "nombre_de_logements", "housing_dwellings", "log")


def _lower(fields) -> set:
    return {str(f).lower() for f in fields}


def _establishments_score(f: set) -> int:
    """How surely a point layer with a SIRET is an establishments layer: a raw SIRENE stock, one
    of our outputs, or just something with a NAF code (0: not one)."""
    if "activiteprincipaleetablissement" in f:
        return 10
    if {"naf", "headcount_band"} <= f or {"naf", "headcount_est"} <= f:
        return 9
    return 5 if "naf" in f else 0


def _line_score(name: str, f: set) -> dict:
    """A line layer is either a district heating network or a network to measure distances on."""
    heat = bool(_HEAT_WORDS.search(name or "")) or bool(f & {"supply_temperature_c", "temperature_c", "temp_depart"})
    if heat:  # an existing district heating network: its own input
        return {"heat_network": 5}
    # roads: distances along them cover every pair
    return {"network": 5 if _ROAD_WORDS.search(name or "") else 3 if _NETWORK_WORDS.search(name or "") else 1}


def role_scores(name: str, geometry: str, fields) -> dict:
    """role → score (> 0 when the layer looks like it; higher is surer)."""
    f = _lower(fields)
    scores = {}
    if geometry == "point" and "siret" in f:
        establishments = _establishments_score(f)
        if establishments:
            scores["establishments"] = establishments
    if geometry == "polygon" and "typezone" in f and ({"libelle", "idurba"} & f):
        scores["zones"] = 10 + len({"libelle", "idurba", "libelong", "destdomi", "insee"} & f)
    if {"flow_id", "direction", "resource"} <= f or {"siret", "direction", "resource", "quantity"} <= f:
        scores["flows"] = 10
    if geometry == "line":
        scores.update(_line_score(name, f))
    if geometry in ("point", "polygon") and "typezone" not in f and "siret" not in f:
        if f & set(_HOUSING_FIELDS) or _HOUSING_WORDS.search(name or ""):
            scores["housing"] = 5 if f & set(_HOUSING_FIELDS) else 3
    return scores


def detect(layers) -> dict:
    """Best layer per role. ``layers``: iterable of ``(key, name, geometry, fields)``;
    returns role → key (only roles with a candidate). Ties: the first in the given order."""
    best: dict = {}
    for key, name, geometry, fields in layers:
        for role, score in role_scores(name, geometry, fields).items():
            if role not in best or score > best[role][0]:
                best[role] = (score, key)
    return {role: value[1] for role, value in best.items()}
