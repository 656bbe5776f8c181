"""SIRENE establishments: SIRET/NAF validation, headcount bands, and a streaming reader.

INSEE's ``StockEtablissement`` file has tens of millions of rows (several GB): it is read
row by row with the ``csv`` module, never loaded whole. Rows are filtered as they stream
(closed, no coordinates, outside the study area...) and only kept rows are held, so memory
grows with the territory, not with the national file. Every row that is not kept is counted
under one reason in an :class:`ImportReport` (with example line numbers): nothing is dropped
silently.

This module does not import QGIS. Reprojection and the area test are passed in by the
caller as plain callables (``transformer(epsg) -> fn(x, y) -> (x, y)`` and
``keep(x, y) -> bool`` in EPSG:2154); the Processing algorithm builds them with
``QgsCoordinateTransform`` and a prepared geometry + spatial index.

Public helpers used by other modules: :data:`HEADCOUNT_BANDS`, :func:`headcount_estimate`,
:func:`normalise_band`, :func:`valid_siret`, :func:`normalise_siret`, :func:`valid_naf`,
:func:`normalise_naf`, :func:`naf_section`.
"""
from __future__ import annotations

import functools
import math
from pathlib import Path

from ..i18n import tr
from .errors import EitInputError
from .feedback import NULL_FEEDBACK
from .fields import ESTABLISHMENT_FIELDS

# The pieces, one idea each; re-exported here so that ``core.sirene`` stays the one entry.
from .sirene_codes import (  # noqa: F401
    HEADCOUNT_BANDS,
    HEADCOUNT_UNKNOWN,
    LA_POSTE_SIREN,
    NAF_SECTION_DIVISIONS,
    ND,
    WORKING_EPSG,
    _luhn_ok,
    _parse_epsg,
    epsg_for_commune,
    headcount_estimate,
    headcount_known,
    naf_section,
    normalise_band,
    normalise_naf,
    normalise_siret,
    valid_naf,
    valid_siret,
)
from .sirene_csv import (  # noqa: F401
    GEOLOCATION_COLUMNS,
    GEOLOCATION_REQUIRED,
    STOCK_COLUMNS,
    STOCK_REQUIRED,
    CsvRows,
    RecordRows,
    _rows,
    map_columns,
)
from .sirene_plausibility import (  # noqa: F401
    _FAR_FROM_COMMUNE_M,
    _FAR_FROM_STOCK_M,
    _check_communes,
    _commune_medians,
    _locate,
    _own_position,
    _Transforms,
    plausibility,
)
from .sirene_report import (  # noqa: F401
    CATEGORIES,
    CATEGORY_BY_KEY,
    SKIPPED_FIELDS,
    WARN_CATEGORIES,
    Category,
    ImportReport,
    rows_lost_to_quotes,
)


# --------------------------------------------------------------------------------------------
# NAF labels (optional: shipped by core.reference)
# --------------------------------------------------------------------------------------------
def naf_label_map(path=None):
    """``{naf sub-class: French label}`` from ``core.reference.load_naf_labels``; ``None``
    when the table is not available (then labels stay empty and codes are not checked
    against the list)."""
    try:
        from .reference import load_naf_labels

        frame = load_naf_labels(path)
    except (ImportError, OSError, EitInputError, ValueError, KeyError):
        return None
    if frame is None or "naf" not in frame.columns:
        return None
    labels = frame["label_fr"] if "label_fr" in frame.columns else [""] * len(frame)
    return {str(code).strip(): ("" if label is None or label != label else str(label)) for code, label in zip(frame["naf"], labels)}


# --------------------------------------------------------------------------------------------
# The reader
# --------------------------------------------------------------------------------------------
class _Rejected(str):
    """A geolocation SIRET whose point was not kept, with the stock category to count it under."""


_REJECTED = {key: _Rejected(key) for key in ("outside_area", "zero_coordinates", "degrees_as_metres", "out_of_extent")}
_STOCK_REASON = {"zero": "zero_coordinates", "degrees": "degrees_as_metres", "extent": "out_of_extent"}
_MAX_MARKERS = 500_000
_SWAP_PENDING = "axes_swapped_pending"
_MAX_PENDING_SWAPS = 100_000
_SWAP_MIN_NEIGHBOURS = 3  # other points of the commune needed to confirm an exchanged x/y


def load_geolocation(source, *, transformer=None, keep=None, report=None, feedback=None, label="") -> dict:
    """First pass over the geolocation file (``siret;x;y;qualite_xy;epsg;…``): each row is
    reprojected with its own ``epsg`` and kept only when ``keep(x, y)`` holds, so the
    dictionary returned — ``{siret: (x, y, qualite_xy, line)}`` in EPSG:2154 — grows with the
    study area only. Rows not kept are counted in ``report`` (``geo_*`` categories)."""
    feedback = feedback or NULL_FEEDBACK
    report = report if report is not None else ImportReport()
    rows = _rows(source, label)
    cols = map_columns(rows.header, GEOLOCATION_COLUMNS, GEOLOCATION_REQUIRED, rows.label)
    transforms = _Transforms(transformer)
    i_siret, i_x, i_y, i_epsg = cols["siret"], cols["x"], cols["y"], cols["epsg"]
    i_quality = cols.get("quality")
    ncols = len(rows.header)
    kept = {}
    n = 0
    status_category = {"nd": "geo_nd", "none": "geo_no_coordinates", "bad": "geo_bad_coordinates",
                       "epsg": "geo_unknown_epsg", "zero": "geo_implausible", "degrees": "geo_implausible",
                       "extent": "geo_implausible"}
    n_markers = 0
    for line, values in rows:
        n += 1
        if not n & 0x3FFF:
            feedback.check_cancelled()
            feedback.set_progress(100.0 * rows.progress())
        if len(values) != ncols:
            report.add("geo_malformed_row", line, values[i_siret].strip() if len(values) > i_siret else None)
            continue
        siret = values[i_siret].strip()
        status, x, y = _locate(values[i_x], values[i_y], _parse_epsg(values[i_epsg]), transforms)
        rejected = None
        if status not in ("ok", "swapped"):
            report.add(status_category[status], line, siret)
            rejected = _STOCK_REASON.get(status)
            if rejected is None:
                continue
        elif keep is not None and not keep(x, y):
            report.add("geo_outside_area", line, siret)
            rejected = "outside_area"
        elif siret in kept and not isinstance(kept[siret], _Rejected):
            report.add("geo_duplicate", line, siret)
            continue
        if rejected is not None:
            # Remembered (up to a bound) so that a stock row left without coordinates is
            # counted under this reason, not as "no coordinates".
            if siret not in kept and n_markers < _MAX_MARKERS:
                kept[siret] = _REJECTED[rejected]
                n_markers += 1
            continue
        kept[siret] = (x, y, values[i_quality].strip() if i_quality is not None else "", line, status == "swapped")
    report.geo_rows_read = n
    report.geo_rows_kept = len(kept) - n_markers
    feedback.set_progress(100.0)
    return kept


def iter_establishments(stock, *, geolocation=None, transformer=None, keep=None, active_only=True,
                        naf_labels=None, report=None, feedback=None, label=""):
    """Stream establishments from a SIRENE stock file (path to a CSV/ZIP, or a :class:`RecordRows`).

    Yields one dict per establishment kept: the fields of ``ESTABLISHMENT_FIELDS`` plus ``x``,
    ``y`` in EPSG:2154, in file order (rows whose x and y were exchanged come last, once
    their commune's other points can confirm the repair). Rows are tested in :data:`CATEGORIES` order and every
    row not kept is counted once in ``report`` (an :class:`ImportReport`).

    Coordinates come from, in order: the geolocation dictionary (see :func:`load_geolocation`;
    a path is loaded first), the file's own ``x``/``y`` (+ ``epsg``) columns (a joined file, or
    a layer), then the stock's ``coordonneeLambert*`` columns. Without an ``epsg`` column the
    EPSG is inferred from the commune code (:func:`epsg_for_commune`).

    ``transformer(epsg) -> fn(x, y) -> (x, y)`` (or ``None`` when the EPSG is unknown; ``fn``
    raises ``ValueError`` when a point cannot be transformed); ``keep(x, y) -> bool`` is the
    area test in EPSG:2154. ``naf_labels``: ``{naf: label}`` (see :func:`naf_label_map`) or
    ``None``.
    """
    feedback = feedback or NULL_FEEDBACK
    report = report if report is not None else ImportReport()
    # The stock's header is checked before the (long) geolocation pass.
    rows = _rows(stock, label)
    header = rows.header
    try:
        cols = map_columns(header, STOCK_COLUMNS, STOCK_REQUIRED, rows.label)
    except EitInputError:
        rows.close()
        raise
    coordinate_sets = _coordinate_sets(cols)
    if geolocation is None and not coordinate_sets:
        rows.close()
        raise EitInputError(
            tr("'{file}' has no coordinates: it needs the columns 'coordonneeLambertAbscisseEtablissement' and "
               "'coordonneeLambertOrdonneeEtablissement', or 'x', 'y' and 'epsg' (matched case-insensitively), "
               "or give the SIRENE geolocation file as GEOLOCATION. Its columns are: {found}.").format(
                file=rows.label, found=", ".join(header))
        )
    geolocation, progress_start, progress_span = _geolocation_first(geolocation, rows, transformer, keep, report,
                                                                    feedback)
    i_state = cols.get("state")
    if active_only and i_state is None:
        report.messages.append(
            tr("'{}' has no column 'etatAdministratifEtablissement': every row is taken as active.").format(rows.label))
    transforms = _Transforms(transformer)
    i_siret, i_naf, i_band = cols["siret"], cols["naf"], cols["band"]
    i_nomenclature = cols.get("naf_nomenclature")
    i_commune = cols.get("commune")
    i_quality = cols.get("quality")
    i_label = cols.get("naf_label")
    name_columns = [cols[k] for k in ("name_usual", "name_sign", "name_unit") if k in cols]
    ncols = len(header)
    seen = set()
    matched = set()  # geolocation SIRETs found in the stock (bounded by the geolocation rows kept)
    n = 0
    positions = []  # (commune, x, y, line, siret) of kept rows, for the commune check
    pending = []  # rows with x and y exchanged, waiting for their commune's other points
    quote_spans = []  # (first line, last line) of malformed records over several lines
    for line, values in rows:
        n += 1
        if not n & 0x3FFF:
            feedback.check_cancelled()
            feedback.set_progress(progress_start + progress_span * rows.progress())
        if len(values) != ncols:
            _count_malformed(rows, line, values, i_siret, report, quote_spans)
            continue
        siret = values[i_siret].strip()
        if geolocation and siret in geolocation:
            matched.add(siret)
        if active_only and i_state is not None and values[i_state].strip().upper() == "F":
            report.add("closed", line, siret)
            continue
        notes = []
        commune = values[i_commune].strip() if i_commune is not None else ""
        category, x, y, quality = _position(values, siret, commune, geolocation, coordinate_sets, transforms,
                                            keep, i_quality, notes)
        if category is None:
            category, siret, naf = _codes(values, siret, i_naf, i_nomenclature)
        if category is None and siret in seen:
            category = "duplicate_siret"
        if category is not None:
            report.add(category, line, siret)
            continue
        seen.add(siret)
        naf_label, band, name = _descriptors(values, naf, naf_labels, i_label, i_band, name_columns, notes)
        row = {
            "siret": siret,
            "name": name,
            "naf": naf,
            "naf_label": naf_label,
            "headcount_band": band,
            "headcount_est": HEADCOUNT_BANDS[band][2],
            "insee_commune": commune,
            "geocode_quality": quality,
            "x": x,
            "y": y,
        }
        if _keep_now(row, notes, line, report, positions, pending):
            yield row
    report.rows_read = n
    yield from _confirm_swaps(pending, positions, report)
    _check_communes(positions, report)
    report.quote_problems = rows_lost_to_quotes(quote_spans)
    if geolocation:
        _count_geo_unmatched(geolocation, matched, report)
    feedback.set_progress(100.0)


def _coordinate_sets(cols: dict) -> list:
    """``(x column, y column, epsg column, fixed epsg)`` of each coordinate pair the file carries,
    in the order they are tried: a joined file's own x/y first, then the stock's Lambert 93, then
    a BAN geocoding."""
    coordinate_sets = []
    if "x" in cols and "y" in cols:
        coordinate_sets.append((cols["x"], cols["y"], cols.get("epsg"), None))
    if "lambert_x" in cols and "lambert_y" in cols:
        coordinate_sets.append((cols["lambert_x"], cols["lambert_y"], None, None))
    if "longitude" in cols and "latitude" in cols:
        # A stock geocoded with the BAN (adresse.data.gouv.fr): WGS84 degrees.
        coordinate_sets.append((cols["longitude"], cols["latitude"], None, 4326))
    return coordinate_sets


def _geolocation_first(geolocation, rows, transformer, keep, report, feedback) -> tuple:
    """``(geolocation dictionary, progress start, progress span)``: a geolocation file is read
    before the stock (40 % of the progress bar); the stock is closed if that fails."""
    if not isinstance(geolocation, (str, Path, CsvRows, RecordRows)):
        return geolocation, 0.0, 100.0
    try:
        geolocation = load_geolocation(geolocation, transformer=transformer, keep=keep, report=report,
                                       feedback=_Scaled(feedback, 0.0, 40.0))
    except BaseException:
        rows.close()
        raise
    return geolocation, 40.0, 60.0


def _count_malformed(rows, line, values, i_siret, report, quote_spans) -> None:
    """Count a row with the wrong number of fields; a record spread over several lines (a stray
    quote) is remembered, to tell the user how many rows the quote swallowed."""
    report.add("malformed_row", line, values[i_siret].strip() if len(values) > i_siret else None)
    span = getattr(rows, "last_span", None)
    if span is not None and span[1] > span[0]:
        quote_spans.append(span)


def _count_geo_unmatched(geolocation: dict, matched: set, report) -> None:
    """Geolocation rows whose SIRET never appeared in the stock, in geolocation file order."""
    unmatched = sorted((entry[3] if len(entry) > 3 else 0, siret)
                       for siret, entry in geolocation.items()
                       if siret not in matched and not isinstance(entry, _Rejected))
    for line, siret in unmatched:
        report.add("geo_unmatched", line, siret)


_STATUS_CATEGORY = {"nd": "nd_value", "none": "no_coordinates", "bad": "bad_coordinates", "epsg": "unknown_epsg",
                    "zero": "zero_coordinates", "degrees": "degrees_as_metres", "extent": "out_of_extent"}
# When no coordinate set of a row is usable, the most telling failure names the reason.
_STATUS_RANK = {"none": 0, "nd": 1, "epsg": 2, "zero": 3, "degrees": 4, "extent": 5, "bad": 6}


def _stock_position(values, coordinate_sets, commune, transforms):
    """``(status, x, y)`` from the row's own coordinate columns (first usable set)."""
    status, x, y = "none", None, None
    for i_x, i_y, i_epsg, fixed_epsg in coordinate_sets:
        if fixed_epsg is not None:
            epsg = fixed_epsg
        elif i_epsg is not None and values[i_epsg].strip():
            epsg = _parse_epsg(values[i_epsg])
        else:
            epsg = epsg_for_commune(commune)
        found, fx, fy = _locate(values[i_x], values[i_y], epsg, transforms)
        if found in ("ok", "swapped"):
            return found, fx, fy
        if _STATUS_RANK[found] > _STATUS_RANK[status]:
            status = found
    return status, x, y


def _position(values, siret, commune, geolocation, coordinate_sets, transforms, keep, i_quality, notes):
    """``(skip category or None, x, y, quality)`` of a stock row: its geolocation point
    (cross-checked with the row's own position), else its own coordinates. Notes go to
    ``notes``."""
    location = geolocation.get(siret) if geolocation else None
    geo_reason = None
    if isinstance(location, _Rejected):
        geo_reason, location = str(location), None
    if location is not None:
        x, y = location[0], location[1]
        own = _own_position(values, coordinate_sets, commune, transforms)
        far = own is not None and math.hypot(own[0] - x, own[1] - y) > _FAR_FROM_STOCK_M
        if len(location) > 4 and location[4]:
            if own is None:
                notes.append(_SWAP_PENDING)  # decided by the commune's other points at the end
            elif far:
                # The stock's own position disagrees with the exchanged point: not repaired.
                notes.append("axes_swapped_unconfirmed")
                return _fallback(values, own, geolocation, keep, i_quality, notes)
            else:
                notes.append("axes_swapped")
        elif far:
            notes.append("geo_far_from_stock")
        return None, x, y, location[2]
    status, x, y = _stock_position(values, coordinate_sets, commune, transforms)
    if status == "none" and geo_reason is not None:
        return geo_reason, None, None, ""
    if status not in ("ok", "swapped"):
        return _STATUS_CATEGORY[status], None, None, ""
    if status == "swapped":
        notes.append(_SWAP_PENDING)  # no other source in the row: the commune decides at the end
    if keep is not None and not keep(x, y):
        return "outside_area", None, None, ""
    if geolocation is not None:
        notes.append("coordinates_from_stock")
    return None, x, y, values[i_quality].strip() if i_quality is not None else ""


def _fallback(values, own, geolocation, keep, i_quality, notes):
    """The stock row's own position when its geolocation point was not confirmed."""
    if keep is not None and not keep(own[0], own[1]):
        return "outside_area", None, None, ""
    if geolocation is not None:
        notes.append("coordinates_from_stock")
    return None, own[0], own[1], values[i_quality].strip() if i_quality is not None else ""


def _keep_now(row, notes, line, report, positions, pending) -> bool:
    """Counts a kept row (its notes, its position for the commune check) and says whether to
    yield it now; a row with x and y exchanged and nothing else to confirm it waits."""
    siret = row["siret"]
    if _SWAP_PENDING in notes:
        if len(pending) < _MAX_PENDING_SWAPS:
            pending.append((row, notes, line, siret))
        else:
            report.add("axes_swapped_unconfirmed", line, siret)
        return False
    for key in notes:
        report.add(key, line, siret)
    report.rows_kept += 1
    if row["insee_commune"]:
        positions.append((row["insee_commune"], row["x"], row["y"], line, siret))
    return True


def _confirm_swaps(pending, positions, report):
    """Rows whose x and y were exchanged with no other position in the row: kept (repaired)
    only when the exchanged point lies near the other establishments of the commune they
    claim; otherwise skipped as ``axes_swapped_unconfirmed``. Yields the rows kept."""
    medians = _commune_medians(positions, min_rows=_SWAP_MIN_NEIGHBOURS)
    for row, notes, line, siret in pending:
        centre = medians.get(row["insee_commune"])
        if centre is None or math.hypot(row["x"] - centre[0], row["y"] - centre[1]) > _FAR_FROM_COMMUNE_M:
            report.add("axes_swapped_unconfirmed", line, siret)
            continue
        for key in notes:
            report.add("axes_swapped" if key == _SWAP_PENDING else key, line, siret)
        report.rows_kept += 1
        yield row


# A stock repeats a few hundred NAF codes and headcount bands: each distinct text is
# normalised once (bounded, for files full of odd values).
_naf_of = functools.lru_cache(maxsize=8192)(normalise_naf)
_band_of = functools.lru_cache(maxsize=8192)(normalise_band)


def _codes(values, siret, i_naf, i_nomenclature):
    """``(skip category or None, siret, naf)``: SIRET and NAF checked and normalised."""
    if siret == ND:
        return "nd_value", siret, None
    if not valid_siret(siret):
        return "invalid_siret", siret, None
    siret = normalise_siret(siret)
    naf_text = values[i_naf].strip()
    if naf_text == ND:
        return "nd_value", siret, None
    naf = _naf_of(naf_text)
    if naf is None or (i_nomenclature is not None and values[i_nomenclature].strip() not in ("", "NAFRev2")):
        return "bad_naf", siret, None
    return None, siret, naf


def _descriptors(values, naf, naf_labels, i_label, i_band, name_columns, notes):
    """``(naf_label, band, name)`` of a kept row; what was hidden or unknown goes to ``notes``."""
    if naf_labels is not None:
        naf_label = naf_labels.get(naf)
        if naf_label is None:
            notes.append("unknown_naf")
            naf_label = ""
    else:
        naf_label = values[i_label].strip() if i_label is not None else ""
    band_text = values[i_band].strip()
    if band_text == ND:
        notes.append("nd_kept")
        band = HEADCOUNT_UNKNOWN
    else:
        band = _band_of(band_text)
        if band is None:
            notes.append("bad_headcount_band")
            band = HEADCOUNT_UNKNOWN
        elif band == HEADCOUNT_UNKNOWN:
            notes.append("headcount_unknown")
    name = ""
    for i_name in name_columns:
        text = values[i_name].strip()
        if text == ND:
            if "nd_kept" not in notes:
                notes.append("nd_kept")
            continue
        if text:
            name = text
            break
    return naf_label, band, name


class _Scaled:
    """A feedback mapping 0–100 onto [start, start + span] of a parent feedback."""

    def __init__(self, parent, start: float, span: float):
        self.parent = parent
        self.start = start
        self.span = span

    def set_progress(self, percent: float) -> None:
        self.parent.set_progress(self.start + self.span * percent / 100.0)

    def check_cancelled(self) -> None:
        self.parent.check_cancelled()

    def info(self, message: str) -> None:
        self.parent.info(message)

    def warning(self, message: str) -> None:
        self.parent.warning(message)


def read_establishments(stock, **kwargs):
    """:func:`iter_establishments` collected into a DataFrame (``ESTABLISHMENT_FIELDS`` +
    ``x``, ``y``) and the :class:`ImportReport`. For a territory-sized result; the Processing
    algorithm streams instead."""
    import pandas as pd

    report = kwargs.pop("report", None) or ImportReport()
    records = list(iter_establishments(stock, report=report, **kwargs))
    columns = [f.name for f in ESTABLISHMENT_FIELDS] + ["x", "y"]
    return pd.DataFrame.from_records(records, columns=columns), report


__all__ = [
    "CATEGORIES",
    "HEADCOUNT_BANDS",
    "SKIPPED_FIELDS",
    "CsvRows",
    "ImportReport",
    "RecordRows",
    "epsg_for_commune",
    "headcount_estimate",
    "headcount_known",
    "iter_establishments",
    "load_geolocation",
    "naf_label_map",
    "naf_section",
    "normalise_band",
    "normalise_naf",
    "normalise_siret",
    "read_establishments",
    "valid_naf",
    "valid_siret",
]
