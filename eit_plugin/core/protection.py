"""The public version of a run: every table, text and geometry meant for a public document,
built from the internal frames, and the auditor that re-checks what was written.

Signature (pure pandas; no QGIS)::

    result = protect(tables, flows, establishments)
    result.tables     # {"zones", "communes", "synergies", "clusters", "summary"} → public frames
    result.audit      # Audit: published / suppressed / generalised counts
    audit(public_tables, flows, establishments, texts=...)  # → Audit with .violations

``tables``: the internal frames of the run (any subset), column names case-insensitive:

- ``zones``: the zone indicators (``zone_id``, ``insee``, the ``*_mwh``/``*_m3``/``*_t``
  figures, ``waste_by_resource``…) plus ``x``, ``y``: a point inside each zone (for
  housing ends of synergies). Other columns (geometry…) pass through untouched.
- ``communes``: rows ``level`` (``commune``/``epci``), ``code``, ``epci_siren`` + figures.
- ``synergies``, ``clusters``: the detection outputs (SIRETs, names, members…).
- ``summary``: rows ``indicator, value`` (counts and headline impacts).

``flows``: ``siret, family, direction, resource, quantity, temperature_c, ewc_code,
zone_id`` (the zone the flow lies in, assigned by the caller). ``establishments``:
``siret, name, x, y`` (EPSG:2154).

The rule (``core.confidentiality``): a figure is published when it covers at least 3
establishments and none above 85 % of it. On top of that primary rule:

- linked tables: zone → commune → EPCI totals, heat by temperature class → heat supply,
  waste by resource / by EWC chapter → waste supply, cluster figures → headline totals are
  *relations* (a published total = the sum of its parts). For every published total, the
  parts that are withheld, taken together, must themselves pass the rule; otherwise the
  smallest published part is withheld too (secondary suppression, as τ-ARGUS does with
  hierarchical tables), repeated until every relation is safe. A balance is published only
  when both the supply and the demand are.
- texts are composed here from the figures that passed (never from internal texts).
- geometry: an establishment is represented by the centre of a square cell of a grid
  (250 m, 500 m, 1 km … as INSEE's gridded data) that holds at least 3 establishments;
  the point drawn is moved inside the cell until it is at least ``clearance_m`` from every
  establishment. Synergies are lines between such points; clusters are rectangles covering
  their members' cells, widened until no corner is near an establishment.

Per-synergy figures (quantity, value, CO2 …) are one- or two-firm figures: never published.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .protection_cells import (  # noqa: F401 - CLEARANCE_M, flow_cells: public names of the step
    CLEARANCE_M,
    Cells,
    Rule,
    _lower,
    _num,
    _parts_texts,
    _public_territorial,
    _text,
    _texts,
    _zone_commune_cells,
    _zone_reasons,
    flow_cells,
)
from .protection_geometry import (
    Grid,
    _finish_clusters,
    _public_clusters,
    _public_synergies,
    _resource_labels,
    _zone_labels,
)


# Entry point -----------------------------------------------------------------------------------
@dataclass
class Audit:
    """Counts of a public output and the violations found (empty = the output may be used)."""

    published: int = 0
    suppressed: int = 0
    secondary: int = 0
    generalised: int = 0
    texts_checked: int = 0
    violations: list = field(default_factory=list)
    flagged: list = field(default_factory=list)  # figures in texts to check by hand (not proven leaks)

    @property
    def ok(self) -> bool:
        return not self.violations

    def rows(self, prefix: str = "audit") -> list:
        return [("{}.figures_published".format(prefix), str(self.published)),
                ("{}.figures_suppressed".format(prefix), str(self.suppressed)),
                ("{}.figures_secondary".format(prefix), str(self.secondary)),
                ("{}.geometries_generalised".format(prefix), str(self.generalised)),
                ("{}.texts_checked".format(prefix), str(self.texts_checked)),
                ("{}.text_figures_to_check".format(prefix), str(len(self.flagged))),
                ("{}.violations".format(prefix), str(len(self.violations)))]

    def message(self) -> str:
        return ("Statistical-secret audit: {} figures published, {} suppressed ({} secondary), {} geometries "
                "generalised, {} texts checked, {} violation(s).").format(
            self.published, self.suppressed, self.secondary, self.generalised, self.texts_checked, len(self.violations))


@dataclass
class Protected:
    tables: dict
    audit: Audit
    cells: Cells


def _xy(frame) -> np.ndarray:
    if frame is None or frame.empty:
        return np.zeros((0, 2))
    lower = _lower(frame)
    xy = np.column_stack([_num(frame[lower["x"]]), _num(frame[lower["y"]])]).astype(float)
    return xy[np.isfinite(xy).all(axis=1)]


def _est_xy(establishments) -> dict:
    """``{siret: (x, y)}`` of the establishments with a position. O(n)."""
    if establishments is None or establishments.empty:
        return {}
    el = _lower(establishments)
    x = establishments[el["x"]].to_numpy()
    y = establishments[el["y"]].to_numpy()
    keep = np.array([a == a and b == b for a, b in zip(x.tolist(), y.tolist())], dtype=bool)
    sirets = _texts(establishments[el["siret"]])[keep].tolist()
    return dict(zip(sirets, zip(x[keep].astype(float).tolist(), y[keep].astype(float).tolist())))


def protect(tables: dict, flows: pd.DataFrame | None, establishments: pd.DataFrame | None,
            rule: Rule | None = None, clearance_m: float = CLEARANCE_M, avoid: pd.DataFrame | None = None) -> Protected:
    """The public tables of a run (see the module docstring). ``avoid``: ``x, y`` of other
    establishment positions the drawn points must keep away from (rows the import skipped)."""
    rule = rule or Rule()
    cells_reg = Cells(rule)
    est_xy = _est_xy(establishments)
    grid = Grid(np.array(list(est_xy.values())) if est_xy else np.zeros((0, 2)), rule.min_contributors, clearance_m,
                _xy(avoid))
    labels = _resource_labels()
    zones, communes = tables.get("zones"), tables.get("communes")
    synergies, clusters = tables.get("synergies"), tables.get("clusters")
    if flows is None:
        flows = pd.DataFrame(columns=["siret", "zone_id", "family", "direction", "resource", "quantity"])
    if zones is not None:
        _zone_commune_cells(cells_reg, zones, communes, flows)
    zlab = _zone_labels(zones) if zones is not None else {}
    pre_clusters = None
    if clusters is not None:
        pre_clusters = _public_clusters(clusters, flows, synergies, est_xy, grid, cells_reg, zlab)
    n_secondary = cells_reg.secondary()  # over every relation at once: zones, communes, EPCI, parts

    out = _public_zone_tables(zones, communes, cells_reg)
    if synergies is not None:
        out["synergies"] = _public_synergies(synergies, zones, est_xy, _zone_xy(zones), grid, labels)
    if pre_clusters is not None:
        out["clusters"] = _finish_clusters(pre_clusters, cells_reg)
    generalised = sum(int(out[k]["geometry_wkt"].notna().sum()) for k in ("synergies", "clusters") if k in out)
    published, suppressed = cells_reg.counts()
    return Protected(out, Audit(published=published, suppressed=suppressed, secondary=n_secondary,
                                generalised=generalised), cells_reg)


def _public_zone_tables(zones, communes, cells_reg: Cells) -> dict:
    out = {}
    if zones is not None:
        zl = _lower(zones)
        zids = _texts(zones[zl["zone_id"]]).tolist()
        z = _public_territorial(zones, "zones", zids, cells_reg)
        for text, prefix in (("waste_by_resource", "waste_res:"), ("waste_by_chapter", "waste_ch:")):
            if text in zl:
                z[zl[text]] = _parts_texts(cells_reg, zids, prefix)
        if "eit_potential_reason" in zl:
            z[zl["eit_potential_reason"]] = _zone_reasons(zones, zl)
        out["zones"] = z
    if communes is not None:
        cl = _lower(communes)
        levels = [v or "commune" for v in _texts(communes[cl["level"]])] if "level" in cl else ["commune"] * len(communes)
        codes = _texts(communes[cl.get("code", cl.get("insee"))]).tolist()
        out["communes"] = _public_territorial(communes, "communes", list(zip(levels, codes)), cells_reg)
    return out


def _zone_xy(zones) -> dict:
    """A point inside each zone (``x``, ``y`` given by the caller): the housing end of a synergy."""
    if zones is None or "x" not in _lower(zones):
        return {}
    zl = _lower(zones)
    x, y = _num(zones[zl["x"]]).to_numpy(dtype=float), _num(zones[zl["y"]]).to_numpy(dtype=float)
    keep = ~(np.isnan(x) | np.isnan(y))
    return dict(zip(_texts(zones[zl["zone_id"]])[keep].tolist(), zip(x[keep].tolist(), y[keep].tolist())))


def audit(public: dict, internal: dict, flows, establishments, **options) -> Audit:
    """Re-check a written public output against the internal run (``core.protection_audit``)."""
    from .protection_audit import audit as run

    return run(public, internal, flows, establishments, **options)


def redact(text: str, names=()) -> str:
    """A log line without SIRET/SIREN numbers (and the given names)."""
    from .protection_audit import redact as run

    return run(text, names)
