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

import codecs
import csv
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..i18n import tr
from .errors import EitInputError
from .feedback import NULL_FEEDBACK
from .fields import ESTABLISHMENT_FIELDS, F

# --------------------------------------------------------------------------------------------
# Headcount bands (trancheEffectifsEtablissement)
# --------------------------------------------------------------------------------------------
#: ``{band: (min, max, estimate)}``: salaried headcount bounds of each INSEE band and the
#: central value used as the estimated headcount. Estimate = arithmetic midpoint of the
#: band's integer bounds, ``(min + max) / 2`` (assumption: simple and unbiased for a uniform
#: spread inside the band; INSEE publishes bands only). Band ``53`` (10,000 or more) is open:
#: ``max`` is ``None`` and the estimate is its lower bound, 10,000 (conservative). ``NN``
#: (unknown or non-employer) and ``00`` (no employee at 31 December) estimate 0; ``NN`` is
#: the only band for which :func:`headcount_known` is false — that is its flag.
HEADCOUNT_BANDS = {
    "NN": (0, 0, 0.0),
    "00": (0, 0, 0.0),
    "01": (1, 2, 1.5),
    "02": (3, 5, 4.0),
    "03": (6, 9, 7.5),
    "11": (10, 19, 14.5),
    "12": (20, 49, 34.5),
    "21": (50, 99, 74.5),
    "22": (100, 199, 149.5),
    "31": (200, 249, 224.5),
    "32": (250, 499, 374.5),
    "41": (500, 999, 749.5),
    "42": (1000, 1999, 1499.5),
    "51": (2000, 4999, 3499.5),
    "52": (5000, 9999, 7499.5),
    "53": (10000, None, 10000.0),
}
HEADCOUNT_UNKNOWN = "NN"


def normalise_band(value):
    """A headcount band as INSEE writes it, or ``None`` when it is not a band.

    ``"01"``, ``" 01 "``, ``1`` and ``"1"`` (a band stored as a number by a spreadsheet) give
    ``"01"``; ``None``, ``""`` and ``"NN"`` give ``"NN"`` (unknown).
    """
    if value is None:
        return HEADCOUNT_UNKNOWN
    if isinstance(value, float):
        if math.isnan(value):
            return HEADCOUNT_UNKNOWN
        if not value.is_integer():
            return None
        value = int(value)
    text = str(value).strip().upper()
    if not text or text == HEADCOUNT_UNKNOWN:
        return HEADCOUNT_UNKNOWN
    if text.isdigit() and len(text) < 2:
        text = text.zfill(2)
    return text if text in HEADCOUNT_BANDS else None


def headcount_estimate(band) -> float:
    """Estimated headcount of a band (see :data:`HEADCOUNT_BANDS`); ``NN``/empty → 0.0.

    Raises ``ValueError`` for a value that is not a band (e.g. ``"99"``): an estimate is
    never invented.
    """
    code = normalise_band(band)
    if code is None:
        raise ValueError("not an INSEE headcount band: {!r}".format(band))
    return HEADCOUNT_BANDS[code][2]


def headcount_known(band) -> bool:
    """False for ``NN``/empty (unknown or non-employer), true for any other valid band."""
    code = normalise_band(band)
    return code is not None and code != HEADCOUNT_UNKNOWN


# --------------------------------------------------------------------------------------------
# SIRET
# --------------------------------------------------------------------------------------------
LA_POSTE_SIREN = "356000000"


def normalise_siret(value):
    """A SIRET as a 14-character string: surrounding and inner spaces removed; an integer
    (a spreadsheet stored it as a number) zero-padded back to 14 digits. ``None`` when
    empty."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value) or not value.is_integer():
            return None
        value = int(value)
    if isinstance(value, int):
        return str(value).zfill(14)
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    return text or None


def _luhn_ok(digits: str) -> bool:
    total = 0
    parity = len(digits) % 2
    for i, char in enumerate(digits):
        d = ord(char) - 48
        if i % 2 == parity:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def valid_siret(s) -> bool:
    """14 digits with a valid Luhn key. La Poste establishments (SIREN 356000000) instead
    have a digit sum that is a multiple of 5 (the head office 35600000000048 also passes
    Luhn, and is accepted)."""
    text = normalise_siret(s)
    if text is None or len(text) != 14 or not text.isdigit():
        return False
    if _luhn_ok(text):
        return True
    return text.startswith(LA_POSTE_SIREN) and sum(ord(c) - 48 for c in text) % 5 == 0


# --------------------------------------------------------------------------------------------
# NAF rév. 2
# --------------------------------------------------------------------------------------------
_NAF_RE = re.compile(r"^(\d{2})\.?(\d{2})([A-Za-z])$")

#: NAF rév. 2 sections and their divisions (INSEE, NAF rév. 2, 2008).
NAF_SECTION_DIVISIONS = {
    "A": (1, 3), "B": (5, 9), "C": (10, 33), "D": (35, 35), "E": (36, 39), "F": (41, 43),
    "G": (45, 47), "H": (49, 53), "I": (55, 56), "J": (58, 63), "K": (64, 66), "L": (68, 68),
    "M": (69, 75), "N": (77, 82), "O": (84, 84), "P": (85, 85), "Q": (86, 88), "R": (90, 93),
    "S": (94, 96), "T": (97, 98), "U": (99, 99),
}
# Divisions that do not exist in NAF rév. 2 although inside a section's range.
_MISSING_DIVISIONS = {4, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89}
_DIVISION_SECTION = {
    division: section
    for section, (first, last) in NAF_SECTION_DIVISIONS.items()
    for division in range(first, last + 1)
    if division not in _MISSING_DIVISIONS
}


def normalise_naf(code):
    """``"1051C"``, ``"10.51c"``, ``" 10.51C "`` → ``"10.51C"``; ``None`` when the value is
    not a NAF rév. 2 sub-class (``NN.NNL``) of an existing division."""
    if code is None:
        return None
    match = _NAF_RE.match(str(code).strip())
    if match is None or int(match.group(1)) not in _DIVISION_SECTION:
        return None
    return "{}.{}{}".format(match.group(1), match.group(2), match.group(3).upper())


def valid_naf(code) -> bool:
    """True for a NAF rév. 2 sub-class in ``NN.NNL`` form (``NNNNL`` accepted) whose division
    exists. Existence of the sub-class itself is checked against the NAF labels table."""
    return normalise_naf(code) is not None


def naf_section(code):
    """Section letter ``A``–``U`` of a NAF code at any level (``"10"``, ``"10.5"``,
    ``"10.51"``, ``"10.51C"``, ``"1051C"``); ``None`` when the division does not exist."""
    if code is None:
        return None
    text = str(code).strip()
    if len(text) < 2 or not text[:2].isdigit():
        return None
    return _DIVISION_SECTION.get(int(text[:2]))


# --------------------------------------------------------------------------------------------
# Coordinates
# --------------------------------------------------------------------------------------------
WORKING_EPSG = 2154
# Legal projections overseas (the SIRENE geolocation file uses them; the stock's Lambert
# columns have no EPSG, so it is inferred from the commune code).
_OVERSEAS_EPSG = {"971": 5490, "972": 5490, "977": 5490, "978": 5490, "973": 2972, "974": 2975,
                  "975": 4467, "976": 4471}


def epsg_for_commune(code):
    """EPSG of SIRENE coordinates for an INSEE commune code: 2154 in mainland France and
    Corsica, the legal projection overseas, ``None`` abroad (``99…``) or in ``98…``."""
    text = (code or "").strip()
    if not text:
        return WORKING_EPSG
    prefix = text[:3]
    if prefix in _OVERSEAS_EPSG:
        return _OVERSEAS_EPSG[prefix]
    if text[:2] in ("98", "99"):
        return None
    return WORKING_EPSG


ND = "[ND]"


def _parse_float(text: str):
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _parse_epsg(text: str):
    text = text.strip().upper()
    if text.startswith("EPSG:"):
        text = text[5:]
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() and value > 0 else None


# --------------------------------------------------------------------------------------------
# The report of what was skipped, and why
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Category:
    key: str
    action: str  # "skipped" (stock row not kept), "kept" (kept, with a note), "ignored" (geolocation row)
    label_fr: str
    label_en: str


#: Stock rows are tested in this order; a row that fails is counted under the first reason only.
CATEGORIES = (
    Category("malformed_row", "skipped",
             "Ligne mal formée (nombre de champs différent de l'en-tête)",
             "Malformed line (number of fields differs from the header)"),
    Category("closed", "skipped",
             "Établissement fermé (etatAdministratifEtablissement = F)",
             "Closed establishment (etatAdministratifEtablissement = F)"),
    Category("nd_value", "skipped",
             "Valeur masquée [ND] (diffusion partielle, statutDiffusionEtablissement = P) : coordonnées, SIRET ou NAF",
             "Value hidden as [ND] (partial diffusion, statutDiffusionEtablissement = P): coordinates, SIRET or NAF"),
    Category("no_coordinates", "skipped",
             "Sans coordonnées (ni dans le fichier, ni dans le fichier de géolocalisation retenu)",
             "No coordinates (neither in the file nor in the geolocation rows kept)"),
    Category("bad_coordinates", "skipped",
             "Coordonnées illisibles ou non reprojetables",
             "Unreadable coordinates, or coordinates that cannot be reprojected"),
    Category("zero_coordinates", "skipped",
             "Point en (0, 0) : une valeur manquante écrite 0",
             "Point at (0, 0): a missing value written as 0"),
    Category("degrees_as_metres", "skipped",
             "Coordonnées en degrés alors que l'EPSG annonce une projection en mètres (donner epsg 4326)",
             "Coordinates in degrees although the EPSG is a projection in metres (give epsg 4326)"),
    Category("out_of_extent", "skipped",
             "Coordonnées hors de l'emprise de leur système (ex. 1e12, ou hors de France)",
             "Coordinates outside the extent of their CRS (e.g. 1e12, or not in France)"),
    Category("unknown_epsg", "skipped",
             "Code EPSG absent, inconnu ou non transformable",
             "EPSG code missing, unknown or without a transformation"),
    Category("outside_area", "skipped",
             "Hors de la zone d'étude (AREA)",
             "Outside the study area (AREA)"),
    Category("invalid_siret", "skipped",
             "SIRET invalide (14 chiffres et clé de Luhn ; La Poste : somme des chiffres multiple de 5)",
             "Invalid SIRET (14 digits and Luhn key; La Poste: digit sum multiple of 5)"),
    Category("bad_naf", "skipped",
             "Code NAF absent ou hors format NAF rév. 2 (NN.NNL), ou autre nomenclature",
             "NAF code missing, not in NAF rév. 2 format (NN.NNL), or another nomenclature"),
    Category("duplicate_siret", "skipped",
             "SIRET en double (la première ligne est conservée)",
             "Duplicate SIRET (the first row is kept)"),
    Category("unknown_naf", "kept",
             "Code NAF au bon format mais absent de la liste des sous-classes NAF rév. 2 (conservé, sans libellé)",
             "NAF code well formed but not a NAF rév. 2 sub-class (kept, no label)"),
    Category("headcount_unknown", "kept",
             "Tranche d'effectifs NN ou vide (effectif inconnu ou non employeur : effectif estimé 0)",
             "Headcount band NN or empty (unknown or non-employer: estimated headcount 0)"),
    Category("bad_headcount_band", "kept",
             "Tranche d'effectifs non reconnue (traitée comme NN, effectif estimé 0)",
             "Unrecognised headcount band (treated as NN, estimated headcount 0)"),
    Category("nd_kept", "kept",
             "Nom ou tranche d'effectifs masqué [ND] (conservé avec une valeur vide)",
             "Name or headcount band hidden as [ND] (kept with an empty value)"),
    Category("axes_swapped", "kept",
             "X et Y inversés (réparé : coordonnées échangées)",
             "X and Y swapped (repaired: coordinates exchanged)"),
    Category("far_from_commune", "kept",
             "Point à plus de 20 km des autres établissements de sa commune (à vérifier)",
             "Point more than 20 km from the other establishments of its commune (to check)"),
    Category("geo_far_from_stock", "kept",
             "Point du fichier de géolocalisation à plus de 5 km des coordonnées Lambert du fichier établissements (à vérifier)",
             "Geolocation point more than 5 km from the establishment file's own Lambert coordinates (to check)"),
    Category("coordinates_from_stock", "kept",
             "Absent du fichier de géolocalisation : coordonnées du fichier établissements utilisées",
             "Not in the geolocation file: the establishment file's own coordinates were used"),
    Category("geo_nd", "ignored",
             "Fichier de géolocalisation : coordonnées masquées [ND]",
             "Geolocation file: coordinates hidden as [ND]"),
    Category("geo_no_coordinates", "ignored",
             "Fichier de géolocalisation : coordonnées vides",
             "Geolocation file: empty coordinates"),
    Category("geo_bad_coordinates", "ignored",
             "Fichier de géolocalisation : coordonnées illisibles ou non reprojetables",
             "Geolocation file: unreadable coordinates or coordinates that cannot be reprojected"),
    Category("geo_implausible", "ignored",
             "Fichier de géolocalisation : point en (0, 0), en degrés dans une projection, ou hors emprise",
             "Geolocation file: point at (0, 0), degrees in a projection, or outside the CRS extent"),
    Category("geo_unknown_epsg", "ignored",
             "Fichier de géolocalisation : code EPSG absent, inconnu ou non transformable",
             "Geolocation file: EPSG code missing, unknown or without a transformation"),
    Category("geo_outside_area", "ignored",
             "Fichier de géolocalisation : point hors de la zone d'étude (AREA)",
             "Geolocation file: point outside the study area (AREA)"),
    Category("geo_duplicate", "ignored",
             "Fichier de géolocalisation : SIRET en double (la première ligne est conservée)",
             "Geolocation file: duplicate SIRET (the first row is kept)"),
    Category("geo_unmatched", "ignored",
             "Fichier de géolocalisation : SIRET absent du fichier établissements",
             "Geolocation file: SIRET not in the establishment file"),
    Category("geo_malformed_row", "ignored",
             "Fichier de géolocalisation : ligne mal formée",
             "Geolocation file: malformed line"),
)
CATEGORY_BY_KEY = {c.key: c for c in CATEGORIES}

#: Schema of the ``SKIPPED`` summary table.
SKIPPED_FIELDS = (
    F("category", "str", "Catégorie", "Category"),
    F("action", "str", "Traitement (écarté/conservé/ignoré)", "Action (skipped/kept/ignored)"),
    F("count", "int", "Nombre de lignes", "Rows"),
    F("label_fr", "str", "Motif", "Reason (French)"),
    F("label_en", "str", "Motif (anglais)", "Reason"),
    F("examples", "str", "Exemples (ligne, SIRET)", "Examples (line, SIRET)"),
)


class ImportReport:
    """Counts per category, with the first few examples (file line number and SIRET)."""

    def __init__(self, max_examples: int = 5):
        self.max_examples = max_examples
        self.counts: dict = {}
        self.examples: dict = {}
        self.rows_read = 0
        self.rows_kept = 0
        self.geo_rows_read = 0
        self.geo_rows_kept = 0
        self.messages: list = []  # general remarks (missing optional columns...)
        self.quote_problems: list = []  # unclosed quotes: where they open, rows lost

    def add(self, key: str, line: int, siret) -> None:
        count = self.counts.get(key, 0)
        self.counts[key] = count + 1
        if count < self.max_examples:
            self.examples.setdefault(key, []).append("{} ({})".format(line, siret or "-"))

    def count(self, key: str) -> int:
        return self.counts.get(key, 0)

    def skipped(self) -> int:
        return sum(n for key, n in self.counts.items() if CATEGORY_BY_KEY[key].action == "skipped")

    def rows(self) -> list:
        """One dict per non-empty category, in :data:`CATEGORIES` order (the ``SKIPPED`` table)."""
        return [
            {
                "category": c.key,
                "action": c.action,
                "count": self.counts[c.key],
                "label_fr": c.label_fr,
                "label_en": c.label_en,
                "examples": ", ".join(self.examples.get(c.key, [])),
            }
            for c in CATEGORIES
            if self.counts.get(c.key)
        ]

    def summary_lines(self, french: bool = False) -> list:
        """The summary for the log: totals, then one line per category with examples."""
        if french:
            lines = ["Lignes lues : {} ; établissements retenus : {} ; lignes écartées : {}.".format(
                self.rows_read, self.rows_kept, self.skipped())]
            if self.geo_rows_read:
                lines.append("Fichier de géolocalisation : {} lignes lues, {} retenues.".format(
                    self.geo_rows_read, self.geo_rows_kept))
            action = {"skipped": "écartées", "kept": "conservées", "ignored": "ignorées"}
            template = "  {label} : {count} lignes {action} (ex. ligne (SIRET) : {examples})"
        else:
            lines = ["Rows read: {}; establishments kept: {}; rows skipped: {}.".format(
                self.rows_read, self.rows_kept, self.skipped())]
            if self.geo_rows_read:
                lines.append("Geolocation file: {} rows read, {} kept.".format(self.geo_rows_read, self.geo_rows_kept))
            action = {"skipped": "skipped", "kept": "kept", "ignored": "ignored"}
            template = "  {label}: {count} rows {action} (e.g. line (SIRET): {examples})"
        for row in self.rows():
            lines.append(template.format(
                label=row["label_fr"] if french else row["label_en"], count=row["count"],
                action=action[row["action"]], examples=row["examples"]))
        lines.extend(self.messages)
        return lines


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
    present = {}
    for index, name in enumerate(header):
        present.setdefault(name.lower(), index)
    mapping = {}
    for canonical, spellings in wanted.items():
        for spelling in spellings:
            if spelling.lower() in present:
                mapping[canonical] = present[spelling.lower()]
                break
    missing = [canonical for canonical in required if canonical not in mapping]
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


class _Rejected(str):
    """A geolocation SIRET whose point was not kept, with the stock category to count it under."""


_REJECTED = {key: _Rejected(key) for key in ("outside_area", "zero_coordinates", "degrees_as_metres", "out_of_extent")}
_STOCK_REASON = {"zero": "zero_coordinates", "degrees": "degrees_as_metres", "extent": "out_of_extent"}
_MAX_MARKERS = 500_000
_FAR_FROM_STOCK_M = 5_000.0
_FAR_FROM_COMMUNE_M = 20_000.0


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
    ``y`` in EPSG:2154, in file order. Rows are tested in :data:`CATEGORIES` order and every
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
    coordinate_sets = []  # (x column, y column, epsg column, fixed epsg)
    if "x" in cols and "y" in cols:
        coordinate_sets.append((cols["x"], cols["y"], cols.get("epsg"), None))
    if "lambert_x" in cols and "lambert_y" in cols:
        coordinate_sets.append((cols["lambert_x"], cols["lambert_y"], None, None))
    if "longitude" in cols and "latitude" in cols:
        # A stock geocoded with the BAN (adresse.data.gouv.fr): WGS84 degrees.
        coordinate_sets.append((cols["longitude"], cols["latitude"], None, 4326))
    if geolocation is None and not coordinate_sets:
        rows.close()
        raise EitInputError(
            tr("'{file}' has no coordinates: it needs the columns 'coordonneeLambertAbscisseEtablissement' and "
               "'coordonneeLambertOrdonneeEtablissement', or 'x', 'y' and 'epsg' (matched case-insensitively), "
               "or give the SIRENE geolocation file as GEOLOCATION. Its columns are: {found}.").format(
                file=rows.label, found=", ".join(header))
        )
    if isinstance(geolocation, (str, Path, CsvRows, RecordRows)):
        try:
            geolocation = load_geolocation(geolocation, transformer=transformer, keep=keep, report=report,
                                           feedback=_Scaled(feedback, 0.0, 40.0))
        except BaseException:
            rows.close()
            raise
        progress_start, progress_span = 40.0, 60.0
    else:
        progress_start, progress_span = 0.0, 100.0
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
    status_category = {"nd": "nd_value", "none": "no_coordinates", "bad": "bad_coordinates", "epsg": "unknown_epsg",
                       "zero": "zero_coordinates", "degrees": "degrees_as_metres", "extent": "out_of_extent"}
    status_rank = {"none": 0, "nd": 1, "epsg": 2, "zero": 3, "degrees": 4, "extent": 5, "bad": 6}
    positions = []  # (commune, x, y, line, siret) of kept rows, for the commune check
    quote_spans = []  # (first line, last line) of malformed records over several lines
    for line, values in rows:
        n += 1
        if not n & 0x3FFF:
            feedback.check_cancelled()
            feedback.set_progress(progress_start + progress_span * rows.progress())
        if len(values) != ncols:
            report.add("malformed_row", line, values[i_siret].strip() if len(values) > i_siret else None)
            span = getattr(rows, "last_span", None)
            if span is not None and span[1] > span[0]:
                quote_spans.append(span)
            continue
        siret = values[i_siret].strip()
        if geolocation and siret in geolocation:
            matched.add(siret)
        if active_only and i_state is not None and values[i_state].strip().upper() == "F":
            report.add("closed", line, siret)
            continue
        notes = []
        location = geolocation.get(siret) if geolocation else None
        geo_reason = None
        if isinstance(location, _Rejected):
            geo_reason, location = str(location), None
        commune = values[i_commune].strip() if i_commune is not None else ""
        if location is not None:
            x, y, quality = location[0], location[1], location[2]
            if len(location) > 4 and location[4]:
                notes.append("axes_swapped")
            own = _own_position(values, coordinate_sets, commune, transforms)
            if own is not None and math.hypot(own[0] - x, own[1] - y) > _FAR_FROM_STOCK_M:
                notes.append("geo_far_from_stock")
        else:
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
                    status, x, y = found, fx, fy
                    break
                if status_rank[found] > status_rank[status]:
                    status = found
            if status == "none" and geo_reason is not None:
                report.add(geo_reason, line, siret)
                continue
            if status not in ("ok", "swapped"):
                report.add(status_category[status], line, siret)
                continue
            if status == "swapped":
                notes.append("axes_swapped")
            if keep is not None and not keep(x, y):
                report.add("outside_area", line, siret)
                continue
            quality = values[i_quality].strip() if i_quality is not None else ""
            if geolocation is not None:
                notes.append("coordinates_from_stock")
        if siret == ND:
            report.add("nd_value", line, siret)
            continue
        if not valid_siret(siret):
            report.add("invalid_siret", line, siret)
            continue
        siret = normalise_siret(siret)
        naf_text = values[i_naf].strip()
        if naf_text == ND:
            report.add("nd_value", line, siret)
            continue
        naf = normalise_naf(naf_text)
        if naf is None or (i_nomenclature is not None and values[i_nomenclature].strip() not in ("", "NAFRev2")):
            report.add("bad_naf", line, siret)
            continue
        if siret in seen:
            report.add("duplicate_siret", line, siret)
            continue
        seen.add(siret)
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
            band = normalise_band(band_text)
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
        for key in notes:
            report.add(key, line, siret)
        report.rows_kept += 1
        if commune:
            positions.append((commune, x, y, line, siret))
        yield {
            "siret": siret,
            "name": name,
            "naf": naf,
            "naf_label": naf_label,
            "headcount_band": band,
            "headcount_est": HEADCOUNT_BANDS[band][2],
            "insee_commune": values[i_commune].strip() if i_commune is not None else "",
            "geocode_quality": quality,
            "x": x,
            "y": y,
        }
    report.rows_read = n
    _check_communes(positions, report)
    report.quote_problems = rows_lost_to_quotes(quote_spans)
    if geolocation:
        unmatched = sorted((entry[3] if len(entry) > 3 else 0, siret)
                           for siret, entry in geolocation.items()
                           if siret not in matched and not isinstance(entry, _Rejected))
        for line, siret in unmatched:
            report.add("geo_unmatched", line, siret)
    feedback.set_progress(100.0)


def _own_position(values, coordinate_sets, commune, transforms):
    """The stock row's own position (EPSG:2154) when it has one, for the cross-check."""
    for i_x, i_y, i_epsg, fixed_epsg in coordinate_sets:
        epsg = fixed_epsg or (_parse_epsg(values[i_epsg]) if i_epsg is not None and values[i_epsg].strip()
                              else epsg_for_commune(commune))
        status, x, y = _locate(values[i_x], values[i_y], epsg, transforms)
        if status in ("ok", "swapped"):
            return x, y
    return None


def _check_communes(positions, report, min_rows: int = 5) -> None:
    """Notes the kept points far from the other establishments of the commune they claim:
    the median position of a commune with at least ``min_rows`` points stands for the commune
    (no commune boundaries needed; a French commune spans less than 20 km but a handful)."""
    by_commune = {}
    for row in positions:
        by_commune.setdefault(row[0], []).append(row)
    for commune in sorted(by_commune):
        rows = by_commune[commune]
        if len(rows) < min_rows:
            continue
        xs = sorted(r[1] for r in rows)
        ys = sorted(r[2] for r in rows)
        mx, my = xs[len(xs) // 2], ys[len(ys) // 2]
        for _c, x, y, line, siret in rows:
            if math.hypot(x - mx, y - my) > _FAR_FROM_COMMUNE_M:
                report.add("far_from_commune", line, siret)


def rows_lost_to_quotes(spans) -> list:
    """Messages for the records of a CSV that ran over several lines because a quote opened
    and did not close: where it opens and how many lines were swallowed."""
    return [tr("Line {start}: a quote (\") opens and is not closed before line {end}: lines {start} to {end} were "
               "read as one row and {lost} rows are lost. Fix the quote on line {start} and run again.").format(
                start=start, end=end, lost=end - start + 1)
            for start, end in spans]


#: Categories worth a warning (not only a line of the summary): data that is probably wrong.
WARN_CATEGORIES = ("malformed_row", "zero_coordinates", "degrees_as_metres", "out_of_extent", "axes_swapped",
                   "far_from_commune", "geo_far_from_stock", "geo_implausible", "geo_malformed_row")


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
