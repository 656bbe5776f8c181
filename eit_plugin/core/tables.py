"""Robust reading of the tables users hand us (surveys, ratio overrides, reference CSVs).

Real files come from Excel on Windows (Windows-1252, ``;``), from scripts (UTF-8, ``,``),
with or without a byte-order mark, with quoted fields containing separators. This module
detects encoding and delimiter and returns every value as a string (leading zeros of SIRET
and List-of-Waste codes are kept; empty cells are NaN), column names as in the file (BOM
and surrounding spaces removed).

XLSX files are read by the QGIS layer (OGR) and handed to core as a DataFrame: pandas has no
``openpyxl`` on the target machines. ``read_table`` refuses them with a message saying so.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from ..i18n import tr
from .errors import EitInputError

SNIFF_BYTES = 1 << 20  # the first MiB decides the encoding and delimiter
DELIMITERS = (";", ",", "\t", "|")
SPREADSHEET_SUFFIXES = (".xlsx", ".xls", ".ods")


def _decode_sample(raw: bytes) -> str:
    """Encoding of a byte sample: ``utf-8-sig`` (BOM), ``utf-8`` or ``cp1252``."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as err:
        # A multi-byte character cut by the end of the sample is not an error.
        if err.start >= len(raw) - 3 and err.reason in ("unexpected end of data",):
            return "utf-8"
        return "cp1252"


def _count_outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == char and not quoted:
            count += 1
    return count


def _first_logical_line(text: str) -> str:
    """The header line (a quoted header may contain newlines: follow the quotes)."""
    out, quoted = [], False
    for c in text:
        if c == '"':
            quoted = not quoted
        if c in "\r\n" and not quoted:
            break
        out.append(c)
    return "".join(out)


def _delimiter_of(text: str) -> str:
    header = _first_logical_line(text.lstrip("\ufeff"))
    counts = {d: _count_outside_quotes(header, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] > 0 else ","


def sniff_csv(path) -> tuple:
    """``(encoding, delimiter)`` of a delimited text file from its first MiB.

    Encoding is ``utf-8-sig`` when the file starts with a BOM, ``utf-8`` when the sample
    decodes as UTF-8, else ``cp1252`` (Excel on Windows). Delimiter is the one of ``; , TAB |``
    found most often in the header line outside quotes (``,`` when none is found).
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(SNIFF_BYTES)
    except OSError as err:
        raise EitInputError(tr("Cannot read the file '{}': {}").format(path, err.strerror or err)) from None
    encoding = _decode_sample(raw)
    text = raw.decode("cp1252" if encoding == "cp1252" else "utf-8", errors="replace")
    return encoding, _delimiter_of(text)


def _decode_all(raw: bytes, encoding: str) -> str:
    if encoding == "cp1252":
        return raw.decode("cp1252", errors="replace")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        # UTF-8 at the start, something else further down: Windows-1252 is the only sane guess.
        return raw.decode("cp1252", errors="replace")


def read_table(path) -> pd.DataFrame:
    """A delimited text file → DataFrame of strings (empty cells NaN).

    Accepts ``,``/``;``/TAB/``|``, UTF-8 with or without BOM and Windows-1252, quoted fields
    (with separators or newlines inside). Column names are kept as in the file, stripped of
    spaces and BOM. Raises ``EitInputError`` for a missing/empty/unparsable file or a
    spreadsheet (read those through QGIS first).
    """
    path = Path(path)
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        raise EitInputError(
            tr("'{}' is a spreadsheet: open it as a layer in QGIS (or save it as CSV) "
               "— the core reader only reads CSV text files.").format(path.name)
        )
    if not path.is_file():
        raise EitInputError(tr("File not found: '{}'. Check the path.").format(path))
    raw = path.read_bytes()
    if not raw.strip(b" \t\r\n\xef\xbb\xbf"):
        raise EitInputError(tr("The file '{}' is empty: it needs a header line and at least one row.").format(path.name))
    encoding = _decode_sample(raw[:SNIFF_BYTES])
    text = _decode_all(raw, encoding).lstrip("\ufeff")
    delimiter = _delimiter_of(text)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            quotechar='"',
            skip_blank_lines=True,
            engine="c",
        )
    except pd.errors.ParserError as err:
        raise EitInputError(
            tr("The file '{}' could not be read as a '{}'-separated table: {}. "
               "Check that every row has as many separators as the header and that quotes are closed.").format(
                path.name, delimiter, err)
        ) from None
    except pd.errors.EmptyDataError:
        raise EitInputError(tr("The file '{}' is empty: it needs a header line and at least one row.").format(path.name)) from None
    frame.columns = [str(c).strip().lstrip("\ufeff").strip() for c in frame.columns]
    # Whitespace around values is never meaningful in these tables.
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    return frame.replace("", float("nan"))


def write_csv(frame: pd.DataFrame, path) -> None:
    """Write a reference-style CSV (UTF-8, ``,``, minimal quoting, ``\\n`` line ends)."""
    frame.to_csv(path, index=False, encoding="utf-8", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
