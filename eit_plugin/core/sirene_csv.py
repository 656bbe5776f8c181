"""Streaming reading of SIRENE files: a CSV (or the CSV inside a .zip) row by row in its own
encoding and delimiter, the features of a layer with the same interface, and the mapping of
columns by name (case-insensitive)."""
from __future__ import annotations

import codecs
import csv
import zipfile
from pathlib import Path

from ..i18n import tr
from .errors import EitInputError
from .fields import match_names


# --------------------------------------------------------------------------------------------
# Streaming CSV reading
# --------------------------------------------------------------------------------------------
def _cp1252_fallback(error):
    """Decode bytes that are not UTF-8 as Windows-1252: a file that starts in UTF-8 and has a
    stray Windows-1252 accent further down (after the sniffed sample) still reads right."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start:error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error("eit_cp1252_fallback", _cp1252_fallback)

_SNIFF_BYTES = 1 << 20


def _sniff_bytes(raw: bytes) -> tuple:
    """(encoding, delimiter) from a byte sample (used for zipped CSVs; plain files go through
    ``core.tables.sniff_csv``)."""
    if raw.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        try:
            raw.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as err:
            encoding = "utf-8" if err.start >= len(raw) - 3 else "cp1252"
    text = raw.decode("cp1252" if encoding == "cp1252" else "utf-8", errors="replace").lstrip("\ufeff")
    header = text.splitlines()[0] if text else ""
    counts = {d: header.count(d) for d in (";", ",", "\t", "|")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return encoding, (best if counts[best] else ",")


class CsvRows:
    """A delimited text file (or the single CSV inside a ``.zip``) read row by row.

    Iterating yields ``(line_number, values)``, ``line_number`` being the file's line
    (header = line 1). ``header`` holds the column names (BOM and spaces stripped);
    ``progress()`` the fraction of the file read so far. Nothing but the current row is
    held in memory.
    """

    def __init__(self, path, label: str = ""):
        self.path = Path(path)
        self.label = label or self.path.name
        if not self.path.is_file():
            raise EitInputError(tr("File not found: '{}'. Check the path.").format(self.path))
        self._zip = None
        self._member = None
        self.total_bytes = self.path.stat().st_size
        if zipfile.is_zipfile(self.path):
            self._zip = zipfile.ZipFile(self.path)
            members = sorted(
                (i for i in self._zip.infolist() if not i.is_dir() and i.filename.lower().endswith((".csv", ".txt"))),
                key=lambda i: i.filename,
            )
            if not members:
                raise EitInputError(tr("The archive '{}' contains no .csv file.").format(self.path.name))
            self._member = members[0]
            self.total_bytes = self._member.file_size
            with self._zip.open(self._member) as handle:
                self.encoding, self.delimiter = _sniff_bytes(handle.read(_SNIFF_BYTES))
        else:
            from .tables import sniff_csv

            with open(self.path, "rb") as handle:
                start = handle.read(4)
            if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                raise EitInputError(tr(
                    "'{}' is encoded in UTF-16 (Excel's \"Unicode text\"): save it as CSV UTF-8 (or Windows-1252) "
                    "and run again.").format(self.path.name))
            self.encoding, self.delimiter = sniff_csv(self.path)
        self.bytes_read = 0
        self._handle = None
        self._reader = None
        self.header = self._open()

    def _open_binary(self):
        if self._zip is not None:
            return self._zip.open(self._member)
        return open(self.path, "rb")

    def _lines(self):
        errors = "replace" if self.encoding == "cp1252" else "eit_cp1252_fallback"
        encoding = "cp1252" if self.encoding == "cp1252" else "utf-8"
        first = True
        for raw in self._handle:
            self.bytes_read += len(raw)
            if first:
                first = False
                if raw.startswith(codecs.BOM_UTF8):
                    raw = raw[3:]
            yield raw.decode(encoding, errors)

    def _open(self) -> list:
        self._handle = self._open_binary()
        self._reader = csv.reader(self._lines(), delimiter=self.delimiter, quotechar='"')
        try:
            header = next(self._reader)
        except StopIteration:
            self.close()
            raise EitInputError(
                tr("The file '{}' is empty: it needs a header line and at least one row.").format(self.label)
            ) from None
        return [h.strip().lstrip("\ufeff").strip() for h in header]

    def __iter__(self):
        reader = self._reader
        start = reader.line_num + 1
        try:
            for values in reader:
                # A record may run over several lines (a quoted value with line breaks, or a
                # quote that never closes): it is numbered by the line where it starts.
                self.last_span = (start, reader.line_num)
                if values:
                    yield start, values
                start = reader.line_num + 1
        except csv.Error as err:
            raise EitInputError(
                tr("The file '{}' cannot be read from line {} (a quote that opens there may not be closed): {}. "
                   "Check the quotes on that line.").format(self.label, start, err)
            ) from None
        finally:
            self.close()

    def progress(self) -> float:
        return min(1.0, self.bytes_read / self.total_bytes) if self.total_bytes else 0.0

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class RecordRows:
    """Rows from anything else (e.g. the features of a QGIS layer), with the same interface as
    :class:`CsvRows`: ``header``, iteration of ``(row_number, values)`` where values are
    strings, ``progress()``. ``records`` yields value lists (``None`` allowed)."""

    def __init__(self, label: str, header, records, total: int = 0):
        self.label = label
        self.header = list(header)
        self._records = records
        self.total = total
        self.done = 0

    def __iter__(self):
        for n, values in enumerate(self._records, start=1):
            self.done = n
            yield n, ["" if v is None else str(v) for v in values]

    def progress(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 0.0

    def close(self) -> None:
        pass


def _rows(source, label: str):
    if isinstance(source, (str, Path)):
        return CsvRows(source, label)
    return source


# --------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------
#: canonical name → accepted column names (matched case-insensitively, first found wins).
STOCK_COLUMNS = {
    "siret": ("siret",),
    "naf": ("activitePrincipaleEtablissement", "naf", "code_naf", "ape", "code_ape", "apet700"),
    "naf_nomenclature": ("nomenclatureActivitePrincipaleEtablissement",),
    "band": ("trancheEffectifsEtablissement", "headcount_band", "tranche_effectifs"),
    "state": ("etatAdministratifEtablissement", "etat"),
    "commune": ("codeCommuneEtablissement", "insee_commune", "code_commune", "insee", "depcom", "plg_code_commune"),
    "name_usual": ("denominationUsuelleEtablissement",),
    "name_sign": ("enseigne1Etablissement",),
    "name_unit": ("denominationUniteLegale", "name", "nom"),
    "lambert_x": ("coordonneeLambertAbscisseEtablissement",),
    "lambert_y": ("coordonneeLambertOrdonneeEtablissement",),
    "x": ("x",),
    "y": ("y",),
    "epsg": ("epsg",),
    "quality": ("qualite_xy", "geocode_quality"),
    "naf_label": ("naf_label",),
    "longitude": ("longitude", "lon", "x_longitude"),
    "latitude": ("latitude", "lat", "y_latitude"),
}
STOCK_REQUIRED = ("siret", "naf", "band")
GEOLOCATION_COLUMNS = {
    "siret": ("siret",),
    "x": ("x",),
    "y": ("y",),
    "epsg": ("epsg",),
    "quality": ("qualite_xy", "geocode_quality"),
}
GEOLOCATION_REQUIRED = ("siret", "x", "y", "epsg")


def map_columns(header, wanted: dict, required, label: str) -> dict:
    """``{canonical: column index}`` for the columns found (case-insensitive). A missing
    required column raises ``EitInputError`` naming it and the columns the file has."""
    mapping, missing = match_names(header, wanted, required)
    if missing:
        raise EitInputError(
            tr("'{file}' has no column {columns} (matched case-insensitively). Its columns are: {found}. "
               "Check that it is the right file and that its header line is intact.").format(
                file=label,
                columns=", ".join("'{}'".format(wanted[m][0]) for m in missing),
                found=", ".join(header) or tr("(none)"),
            )
        )
    return mapping
