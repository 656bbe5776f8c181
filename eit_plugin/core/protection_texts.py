"""The auditor's text check (``core.protection_audit``): SIRET-like numbers, the SIRENs and
names of the run's establishments, and firm figures in every public text.

Linear in the total text size and in the number of establishments: each distinct text is
checked once, and names are found by looking the text's word sequences up in hash tables
instead of trying every name at every position of the text."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .protection_cells import _lower, _num, _text

# digits standing alone (a run of digits inside a SHA-256 or an id is not a SIRET)
SIRET_RE = re.compile(r"(?<![0-9A-Za-z])\d{3}[ \u00a0\u202f]?\d{3}[ \u00a0\u202f]?\d{3}[ \u00a0\u202f]?\d{5}(?![0-9A-Za-z])")
SIREN_RE = re.compile(r"(?<![0-9A-Za-z])\d{3}[ \u00a0\u202f]?\d{3}[ \u00a0\u202f]?\d{3}(?![0-9A-Za-z])")
NUMBER_UNIT_RE = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:([.,])(\d+))?\s*"
    r"(t|tonnes?|MWh|m3|m³|kg|€|EUR|t CO2|tCO2)(?![\w])(?!/(?!an\b|yr\b))")  # "40 €/t" is a rate, not a figure
_WORD_RE = re.compile(r"\w+")
_is_word = re.compile(r"\w").match


def _parse_number(integer: str, sep: str | None, decimals: str | None) -> set:
    """The values a written number may stand for ("10,620" is 10.62 in French, 10620 in English)."""
    digits = re.sub(r"[ \u00a0\u202f]", "", integer)
    if sep and decimals:
        values = {float("{}.{}".format(digits, decimals))}
        if len(decimals) == 3:
            values.add(float(digits + decimals))
        return values
    return {float(digits)}


def _secret_values(flows, internal: dict) -> dict:
    """Firm-level figures an attacker would look for in public texts: each establishment's
    quantity per resource and per family, and each synergy's figures (rounded)."""
    values = set()
    if flows is not None and len(flows):
        fl = _lower(flows)
        q = _num(flows[fl["quantity"]]).abs()
        f = pd.DataFrame({"siret": flows[fl["siret"]].astype(str), "resource": flows[fl["resource"]].astype(str),
                          "family": flows[fl["family"]].astype(str), "q": q})
        f = f[f["siret"].str.len() > 0]
        values.update(f.groupby(["siret", "resource"])["q"].sum().tolist())
        values.update(f.groupby(["siret", "family"])["q"].sum().tolist())
    syn = internal.get("synergies")
    if syn is not None and len(syn):
        sl = _lower(syn)
        for col in ("quantity", "quantity_demand", "co2_avoided_t", "mwh_recovered", "tonnes_diverted",
                    "value_eur", "net_benefit_eur", "transport_cost_eur", "pm10_avoided_kg", "nox_avoided_kg"):
            if col in sl:
                values.update(_num(syn[sl[col]]).abs().dropna().tolist())
    return {v for v in values if v >= 10}


def _published_values(public: dict) -> set:
    """Every number a public table shows (read back from a file, numbers may be text)."""
    out = set()
    for frame in public.values():
        if frame is None:
            continue
        for col in frame.columns:
            if str(col) == "geometry_wkt":
                continue
            if frame[col].dtype == bool:
                continue
            out.update(_num(frame[col]).astype("float64").abs().dropna().tolist())
    return out


_REFERENCE_VALUES: set = set()


def _reference_values() -> set:
    """Every number of the shipped reference and rule tables (thresholds, ratios, factors):
    a text quoting one of them quotes a public assumption, not a firm's figure."""
    if not _REFERENCE_VALUES:
        from ..paths import REFERENCE_DIR, RULES_DIR

        for folder in (REFERENCE_DIR, RULES_DIR):
            for path in sorted(folder.glob("*.csv")):
                text = path.read_text(encoding="utf-8", errors="replace")
                _REFERENCE_VALUES.update(float(x) for x in re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w])", text))
        _REFERENCE_VALUES.add(-1.0)  # never empty once loaded
    return _REFERENCE_VALUES


def _within(sorted_values: np.ndarray, value: float, half: float) -> bool:
    """Some value of the sorted array lies within ``value ± half`` (a rounded figure)."""
    if not len(sorted_values):
        return False
    i = int(np.searchsorted(sorted_values, value - half - 1e-9))
    return i < len(sorted_values) and sorted_values[i] <= value + half + 1e-9


# Names ------------------------------------------------------------------------------------------
def names_regex(names):
    """The plain matcher (one alternation of every name, tried at every position of a text:
    O(text length × names)): a name of several words in any case; a one-word name
    ("SYNERGIE", a real temp agency) only as registered, or every "synergie" of the report
    would be taken for it. ``NameFinder`` finds the same names in linear time."""
    several = "|".join(re.escape(n) for n in sorted((n for n in names if " " in n), key=len, reverse=True))
    single = "|".join(re.escape(n) for n in sorted((n for n in names if " " not in n), key=len, reverse=True))
    pattern = "|".join(p for p in ("(?i:{})".format(several) if several else "", single) if p)
    return re.compile(r"(?<!\w)(?:{})(?!\w)".format(pattern)) if pattern else None


def _case_classes() -> dict:
    """re's extra case equivalences beyond simple lower case (ſ/s, µ/μ, ı/i …)."""
    # private tables of re: a Python without them only loses these rare equivalences (the
    # audit stays case-insensitive through str.lower), it must not stop the plugin loading
    try:
        from re._casefix import _EXTRA_CASES  # Python 3.11+
        return _EXTRA_CASES
    except ImportError:  # pragma: no cover - Python 3.9/3.10 (QGIS 3.22 on older systems)
        pass
    try:  # pragma: no cover
        import sre_compile

        return dict(sre_compile._ignorecase_fixes)
    except (ImportError, AttributeError):  # pragma: no cover
        return {}


class _Fold(dict):
    """``str.translate`` table: each character to one representative of the characters re's
    IGNORECASE takes for it (its simple lower case, then re's extra equivalences); one
    character for one, so positions in the folded text are those of the original."""

    def __init__(self):
        super().__init__()
        self.classes = _case_classes()
        # a non-word character re takes for a word character (the Greek ypogegrammeni U+0345
        # for iota): folding would move a word boundary, so texts holding one go the plain way
        self.mixed = {chr(c) for lo, others in self.classes.items() for c in (lo,) + tuple(others)
                      if not _is_word(chr(c)) and any(_is_word(chr(x)) for x in (lo,) + tuple(others))}

    def __missing__(self, code):
        low = ord(chr(code).lower()[0])  # simple lower case ("İ" lowers to "i" + a combining dot)
        group = (low,) + tuple(self.classes.get(low, ()))
        words = [c for c in group if _is_word(chr(c))]
        rep = chr(min(words or group))
        self[code] = rep
        return rep


_FOLD = _Fold()


def fold(text: str) -> str:
    """``text`` with each character replaced by its IGNORECASE representative (same length)."""
    return text.lower() if text.isascii() else text.translate(_FOLD)


_TRAILING_RE = re.compile(r"\W*\Z")
_BARE = (("", ""),)  # the affixes of a name that starts and ends with a word character


def _split(name: str):
    """``(prefix, core, suffix, words, first word)``: the core runs from the first to the last
    word character; ``None`` for a name without any word character."""
    words = _WORD_RE.findall(name)
    if not words:
        return None
    if _is_word(name[0]) and _is_word(name[-1]):
        return "", name, "", len(words), words[0]
    a, b = _WORD_RE.search(name).start(), _TRAILING_RE.search(name).start()
    return name[:a], name[a:b], name[b:], len(words), words[0]


class NameFinder:
    """Whether a text holds the name of an establishment, exactly as ``names_regex`` would
    find it (several-word names in any case, one-word names only as registered, whole
    words). A name's core (first to last word character) starts and ends at word edges of
    the text and spans as many words as the name, so the text's word sequences are looked
    up in hash tables; only the prefix/suffix punctuation of a name is compared in place.

    Building: O(total length of the names). A text: O(its length + k × the words that begin
    some name), k the number of distinct word counts of names beginning with that word."""

    def __init__(self, names):
        self.names = set(names)
        self.tables = ({}, {})  # (any case, as registered): core → ((prefix, suffix), …)
        self.heads: dict = {}  # folded first word of a name → word counts of the names it begins
        odd = []
        for name in self.names:
            several = " " in name
            parts = _split(fold(name) if several else name)
            if parts is None or not _FOLD.mixed.isdisjoint(name):
                odd.append(name)
                continue
            prefix, core, suffix, words, head = parts
            table = self.tables[0 if several else 1]
            known = table.get(core)
            if known is None:
                table[core] = _BARE if not prefix and not suffix else ((prefix, suffix),)
            elif (prefix, suffix) not in known:
                table[core] = known + ((prefix, suffix),)
            head = head if several else fold(head)
            counts = self.heads.get(head)
            if counts is None:
                self.heads[head] = {words}
            else:
                counts.add(words)
        self.odd = names_regex(odd)
        self._plain = None

    def plain(self):
        """The plain matcher over every name (texts holding a character of a mixed case class)."""
        if self._plain is None:
            self._plain = names_regex(self.names)
        return self._plain

    def search(self, text: str) -> bool:
        if not self.names or not text:
            return False
        if not _FOLD.mixed.isdisjoint(text):
            return self.plain().search(text) is not None
        if self.odd is not None and self.odd.search(text):
            return True
        folded = fold(text)
        words = _WORD_RE.findall(folded)
        if self.heads.keys().isdisjoint(words):
            return False
        spans = [m.span() for m in _WORD_RE.finditer(folded)]
        for i, word in enumerate(words):
            for k in self.heads.get(word, ()):
                if i + k <= len(spans) and self._at(text, folded, spans[i][0], spans[i + k - 1][1]):
                    return True
        return False

    def _at(self, text: str, folded: str, a: int, b: int) -> bool:
        """Some name's core is ``text[a:b]`` (word edges) with its prefix and suffix around it."""
        for table, source in zip(self.tables, (folded, text)):
            for prefix, suffix in table.get(source[a:b], ()):
                if _fits(source, a, b, prefix, suffix):
                    return True
        return False


def _fits(source: str, a: int, b: int, prefix: str, suffix: str) -> bool:
    """``prefix`` ends at ``a`` and ``suffix`` starts at ``b``, with no word character
    just outside them (the core's own edges are word edges already)."""
    if prefix:
        a0 = a - len(prefix)
        if a0 < 0 or source[a0:a] != prefix or (a0 > 0 and _is_word(source[a0 - 1])):
            return False
    if suffix:
        b1 = b + len(suffix)
        if source[b:b1] != suffix or (b1 < len(source) and _is_word(source[b1])):
            return False
    return True


# The check --------------------------------------------------------------------------------------
class TextIndex:
    """What the text check looks for, from the internal run alone: the SIRENs and names of
    the establishments and the firm-level figures. It depends on no public table, so one run
    builds it once and its audits (tables, report) share it instead of building it again.
    O(establishments + flows) to build, read only afterwards."""

    def __init__(self, internal, flows, establishments):
        sirens, names = set(), set()
        if establishments is not None and len(establishments):
            el = _lower(establishments)
            sirens = {t[:9] for t in map(_text, pd.unique(establishments[el["siret"]])) if len(t) >= 9}
            if "name" in el:
                names = {t for t in map(_text, pd.unique(establishments[el["name"]])) if len(t) >= 6}
        self.sirens = frozenset(sirens)
        self.names = NameFinder(names)
        self.secret_values = np.array(sorted(_secret_values(flows, internal)))


class TextCheck:
    """SIRETs, SIRENs and names of the run's establishments, and firm figures, in a text.

    Each distinct text is checked once (a cache by text): O(total length of the distinct
    texts + number of establishments), plus O(log values) per figure written in a text.
    ``texts_checked`` still counts every text read, repeated or not. ``index``: the
    ``TextIndex`` of these same internal tables, flows and establishments (built here when
    not given)."""

    def __init__(self, public, internal, flows, establishments, result, index: TextIndex | None = None):
        self.result = result
        if index is None:
            index = TextIndex(internal, flows, establishments)
        # the EPCI's own SIREN is a public code, not a firm's
        public_codes = set()
        pc = public.get("communes")
        if pc is not None:
            cl = _lower(pc)
            for col in ("code", "epci_siren"):
                if col in cl:
                    public_codes.update(_text(v) for v in pc[cl[col]])
        self.sirens = index.sirens - public_codes
        self.names = index.names
        self.secret_values = index.secret_values
        self.allowed = np.array(sorted(_published_values(public) | _reference_values()))
        self.cache: dict = {}

    def __call__(self, where: str, text, strict: bool = True) -> None:
        """Check one text; ``where`` names it in messages."""
        text = _text(text)
        if not text:
            return
        self.result.texts_checked += 1
        self._report(where, self._found(text), strict)

    def column(self, name: str, col: str, series: pd.Series, strict: bool) -> None:
        """Check every text of a table column (``name[index].col`` in messages), each
        distinct value once: O(rows) hashing plus the distinct texts."""
        values = series.to_numpy(dtype=object)
        try:
            codes, uniques = pd.factorize(values)
        except TypeError:  # an unhashable cell (a list) is no text
            codes, uniques = pd.factorize(np.array([v if isinstance(v, str) else None for v in values], dtype=object))
        counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
        found = {}
        for j, value in enumerate(uniques):
            text = value.strip() if isinstance(value, str) else ""
            if text:
                self.result.texts_checked += int(counts[j])
                found[j] = self._found(text)
        hits = [j for j, f in found.items() if f]
        for row in np.flatnonzero(np.isin(codes, hits)) if hits else ():
            self._report("{}[{}].{}".format(name, series.index[row], col), found[codes[row]], strict)

    def _found(self, text: str) -> tuple:
        found = self.cache.get(text)
        if found is None:
            found = self.cache[text] = self._findings(text)
        return found

    def _report(self, where: str, found: tuple, strict: bool) -> None:
        if not found:
            return
        identifiers, figures = found
        self.result.violations.extend("{}: {}".format(where, m) for m in identifiers)
        # texts composed by the protection must only quote published figures; other texts
        # (recommendations, report) quote aggregates not rebuilt here: flagged for a reader
        (self.result.violations if strict else self.result.flagged).extend("{}: {}".format(where, m) for m in figures)

    def _findings(self, text: str) -> tuple:
        """``(identifier messages, figure messages)`` without the place; ``()`` if none."""
        identifiers = []
        found = SIRET_RE.search(text)
        if found:
            identifiers.append("a SIRET-like number ({}…)".format(found.group(0)[:3]))
        if self.sirens and any(re.sub(r"\D", "", m.group(0)) in self.sirens for m in SIREN_RE.finditer(text)):
            identifiers.append("the SIREN of an establishment of the run")
        if self.names.search(text):
            identifiers.append("the name of an establishment of the run")
        figures = [
            "the figure {} {} matches one firm's or one synergy's and no published figure".format(
                m.group(0).split()[0], m.group(4))
            for m in NUMBER_UNIT_RE.finditer(text) if self._firm_figure(m)]
        return (identifiers, figures) if identifiers or figures else ()

    def _firm_figure(self, m) -> bool:
        try:
            candidates = _parse_number(m.group(1), m.group(2), m.group(3))
        except ValueError:
            return False
        half = 0.5 * 10 ** -(len(m.group(3)) if m.group(3) else 0)
        if not any(v >= 10 and _within(self.secret_values, v, half) for v in candidates):
            return False
        return not any(_within(self.allowed, v, half) for v in candidates)
