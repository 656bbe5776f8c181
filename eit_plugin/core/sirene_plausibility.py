"""Where a SIRENE row is: coordinate texts → a point in EPSG:2154 (one transform per EPSG), and
the plausibility checks — (0, 0), 1e12, degrees written in a projection, x and y swapped
(repaired), a point far from the rest of its commune or from the stock's own position."""
from __future__ import annotations

import math

from .sirene_codes import ND, WORKING_EPSG, _parse_epsg, _parse_float, epsg_for_commune

_FAR_FROM_STOCK_M = 5_000.0  # geolocation point vs the stock's own Lambert position
_FAR_FROM_COMMUNE_M = 20_000.0  # a French commune spans less than that, but a handful

class _Transforms:
    """Caches one transform per EPSG code; 2154 is the identity."""

    def __init__(self, transformer):
        self.transformer = transformer
        self.cache = {WORKING_EPSG: None}

    def get(self, epsg):
        """``(known, fn)``: ``fn`` None means identity; ``known`` False means unknown EPSG."""
        if epsg in self.cache:
            fn = self.cache[epsg]
            return fn is not False, (fn or None)
        fn = self.transformer(epsg) if self.transformer is not None else None
        self.cache[epsg] = fn if fn is not None else False
        return fn is not None, fn


# Plausible source coordinates, by EPSG: (xmin, ymin, xmax, ymax) of the CRS's area of use,
# generously rounded (EPSG registry). Lambert-93 and Lambert II étendu cover mainland France
# and Corsica; geographic codes are checked against the whole Earth.
_EXTENTS = {
    2154: (-400_000.0, 6_000_000.0, 1_400_000.0, 7_300_000.0),
    27572: (0.0, 1_600_000.0, 1_300_000.0, 2_800_000.0),
    5490: (400_000.0, 1_500_000.0, 800_000.0, 1_900_000.0),
    2972: (-100_000.0, 0.0, 600_000.0, 700_000.0),
    2975: (200_000.0, 7_500_000.0, 500_000.0, 7_800_000.0),
    4467: (500_000.0, 5_100_000.0, 600_000.0, 5_300_000.0),
    4471: (450_000.0, 8_550_000.0, 550_000.0, 8_650_000.0),
}
_GEOGRAPHIC = {4326, 4171, 4258, 4275, 4807, 4230}
_FRANCE_LONLAT = (-6.0, 41.0, 10.0, 51.5)
_LIMIT = 1e8  # no CRS of France has coordinates beyond 10,000 km


def _inside(x, y, box) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def plausibility(x: float, y: float, epsg):
    """``(status, x, y)`` for source coordinates: ``ok``, ``swapped`` (x and y exchanged,
    returned repaired), ``zero`` (0, 0), ``degrees`` (degrees in a projected CRS) or
    ``extent`` (outside the CRS's area)."""
    if x == 0.0 and y == 0.0:
        return "zero", x, y
    if abs(x) > _LIMIT or abs(y) > _LIMIT:
        return "extent", x, y
    if epsg in _GEOGRAPHIC:
        if abs(x) > 180.0 or abs(y) > 90.0:
            if abs(y) <= 180.0 and abs(x) <= 90.0:
                return "swapped", y, x
            return "extent", x, y
        if not _inside(x, y, _FRANCE_LONLAT) and _inside(y, x, _FRANCE_LONLAT):
            return "swapped", y, x
        return "ok", x, y
    if abs(x) <= 180.0 and abs(y) <= 90.0:
        return "degrees", x, y
    box = _EXTENTS.get(epsg)
    if box is None or _inside(x, y, box):
        return "ok", x, y
    if _inside(y, x, box):
        return "swapped", y, x
    return "extent", x, y


def _locate(x_text: str, y_text: str, epsg, transforms: _Transforms):
    """``(status, x, y)`` with status ``ok``, ``swapped`` (repaired), ``nd``, ``none``,
    ``bad``, ``epsg``, ``zero``, ``degrees`` or ``extent``."""
    x_text = x_text.strip()
    y_text = y_text.strip()
    if not x_text or not y_text:
        return ("nd" if ND in (x_text, y_text) else "none"), None, None
    if x_text == ND or y_text == ND:
        return "nd", None, None
    x = _parse_float(x_text)
    y = _parse_float(y_text)
    if x is None or y is None:
        return "bad", None, None
    if epsg is None:
        return "epsg", None, None
    status, x, y = plausibility(x, y, epsg)
    if status not in ("ok", "swapped"):
        return status, None, None
    if epsg == WORKING_EPSG:
        return status, x, y
    known, fn = transforms.get(epsg)
    if not known:
        return "epsg", None, None
    try:
        x, y = fn(x, y)
    except ValueError:
        return "bad", None, None
    if not (math.isfinite(x) and math.isfinite(y)):
        return "bad", None, None
    return status, x, y


def _own_position(values, coordinate_sets, commune, transforms):
    """The stock row's own position (EPSG:2154) when it has one, for the cross-check."""
    for i_x, i_y, i_epsg, fixed_epsg in coordinate_sets:
        epsg = fixed_epsg or (_parse_epsg(values[i_epsg]) if i_epsg is not None and values[i_epsg].strip()
                              else epsg_for_commune(commune))
        status, x, y = _locate(values[i_x], values[i_y], epsg, transforms)
        if status in ("ok", "swapped"):
            return x, y
    return None


def _commune_medians(positions, min_rows: int = 5) -> dict:
    """``{commune: (x, y)}``: the median position of the kept points of each commune with at
    least ``min_rows`` of them (it stands for the commune: no commune boundaries needed)."""
    by_commune = {}
    for row in positions:
        by_commune.setdefault(row[0], []).append(row)
    medians = {}
    for commune, rows in by_commune.items():
        if len(rows) >= min_rows:
            xs = sorted(r[1] for r in rows)
            ys = sorted(r[2] for r in rows)
            medians[commune] = (xs[len(xs) // 2], ys[len(ys) // 2])
    return medians


def _check_communes(positions, report, min_rows: int = 5) -> None:
    """Notes the kept points far from the other establishments of the commune they claim
    (a French commune spans less than 20 km but a handful)."""
    medians = _commune_medians(positions, min_rows)
    for _c, x, y, line, siret in positions:
        centre = medians.get(_c)
        if centre is not None:
            mx, my = centre
            if math.hypot(x - mx, y - my) > _FAR_FROM_COMMUNE_M:
                report.add("far_from_commune", line, siret)
