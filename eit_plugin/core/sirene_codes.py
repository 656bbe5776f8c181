"""SIRENE codes: headcount bands, SIRET (Luhn, La Poste), NAF rév. 2, the EPSG of a commune's
coordinates, and the parsing of coordinate texts. No QGIS import."""
from __future__ import annotations

import math
import re

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


# A doubled Luhn digit, 9 taken off above 9: 0→0, 1→2, 2→4, 3→6, 4→8, 5→1, 6→3, 7→5, 8→7, 9→9.
_LUHN_DOUBLE = str.maketrans("0123456789", "0246813579")


def _luhn_ok(digits: str) -> bool:
    """Luhn key check, O(length). ASCII digits are summed as bytes (the SIRET reader calls it
    once per stock row); anything else goes through the digit loop."""
    parity = len(digits) % 2
    if digits.isascii() and digits.isdigit():
        doubled = digits[parity::2].translate(_LUHN_DOUBLE)
        return (sum(doubled.encode()) + sum(digits[1 - parity::2].encode()) - 48 * len(digits)) % 10 == 0
    total = 0
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
