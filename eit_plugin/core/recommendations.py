"""Rules engine: zones, synergies and clusters → recommendations for planning documents.

The rules live in a CSV file a planner can read and edit (``resources/rules/recommendations.csv``,
one rule per row): ``id, document, instrument, theme, scope_kind, condition, priority,
text_fr, text_en, evidence_fr, evidence_en, source, rationale``.

* ``scope_kind`` says what a rule is about: ``zone`` (a PLU zone), ``park`` (a business
  park: activity zones sharing a name), ``heat_link`` (recovered heat from the firms of one
  zone to the dwellings of another), ``cluster`` (a pooling or exchange cluster) or
  ``territory`` (the whole study area). ``SCOPE_FIELDS`` lists the fields of each.
* ``condition`` is a small expression over those fields, parsed here (never ``eval``):
  comparisons ``== != >= <= > <``, ``and``, ``or``, ``not``, parentheses, numbers,
  ``'text'``, ``true``/``false``, ``field in ('a', 'b')`` and ``not in``. Example:
  ``n_housing_links_in >= 1 and is_future``.
* Texts and evidence are templates with ``{field}`` placeholders; numbers are written the
  French way in French (``1 234,5``) and the English way in English.

Every figure that comes from firms' data is checked with ``core.confidentiality`` when
``public`` is true: a figure covering fewer than 3 establishments or dominated by one (> 85 %)
is shown as ``n.d.*`` with a footnote giving the reason and, where publishable, the total at
the next level (business park, commune, EPCI, territory). A recommendation needs evidence:
at least one published figure; recommendations with the same document, instrument, theme and
scope are merged (highest priority, evidence joined).
"""
from __future__ import annotations

import math
import re
import string
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..paths import REFERENCE_DIR, RULES_DIR
from . import confidentiality as conf
from .errors import EitInputError
from .feedback import NULL_FEEDBACK

DEFAULT_RULES = RULES_DIR / "recommendations.csv"
DOCUMENTS = ("PLU_reglement", "PLU_OAP", "PLU_emplacement_reserve", "SCoT_DOO", "charte_ZAE")
RULE_COLUMNS = ("id", "document", "instrument", "theme", "scope_kind", "condition", "priority",
                "text_fr", "text_en", "evidence_fr", "evidence_en", "source", "rationale")
# assumption: a buried pair of pre-insulated district-heating pipes needs a strip of about
# 4 m (trench + working/maintenance easement) — order of magnitude used to size a reserved strip.
CORRIDOR_WIDTH_M = 4.0
TERRITORY = "territoire"
# a LIBELONG found in more communes than this is a generic label, not a business park name
MAX_PARK_COMMUNES = 3

# fields each scope exposes to conditions and templates; (*) = figure from firms' data,
# protected by the statistical secret in public mode
SCOPE_FIELDS = {
    "zone": (
        "zone_id", "zone_ref", "libelle", "libelong", "typezone", "destdomi", "insee", "commune", "epci", "park_name",
        "is_activity", "is_housing", "is_mixed", "is_future", "eit_potential", "n_establishments",
        "mixity_index", "housing_dwellings", "housing_heat_demand_mwh", "n_housing_links_in",
        "n_heat_suppliers_in", "distance_min_in_m", "supplier_zones_in", "n_housing_links_out",
        "receiver_zones_out", "distance_min_out_m", "n_clusters_sited", "cluster_ids_sited",
        "cluster_actions_sited",
    ),
    "park": (
        "park_name", "n_zones", "zone_ids", "zone_labels", "communes", "n_establishments", "n_high_zones",
        "eit_potential_best", "n_synergies", "n_clusters", "heat_supply_mwh", "waste_supply_t",
        "n_collection", "collection_members", "collection_clusters", "collection_resources_fr",
        "collection_quantity_t", "collection_truck_km", "n_utility", "utility_members", "utility_clusters",
        "utility_actions_fr", "utility_co2_t", "n_service", "service_members", "service_clusters",
        "service_actions_fr", "n_exchange", "exchange_members", "exchange_clusters", "exchange_actions_fr",
        "exchange_co2_t",
    ),
    "heat_link": (
        "link_id", "supplier_zone", "receiver_zone", "supplier_libelle", "receiver_libelle", "receiver_commune",
        "receiver_is_future", "receiver_is_housing", "supplier_is_activity", "n_suppliers", "n_synergies",
        "synergy_ids", "distance_m", "distance_max_m", "mwh_recovered", "co2_avoided_t", "pm10_avoided_kg",
        "nox_avoided_kg", "receiver_housing_heat_demand_mwh", "receiver_dwellings", "corridor_width_m",
        "corridor_land_m2",
    ),
    "cluster": (
        "cluster_id", "kind", "action", "action_fr", "action_en", "facility", "action_group", "resources", "resources_fr", "n_members", "unit",
        "total_quantity", "truck_km_avoided", "co2_avoided_t", "land_m2", "site_zone", "site_libelle",
        "site_commune", "site_is_activity", "has_site", "site_reason", "zone_ids", "n_zones", "park_name",
    ),
    "territory": (
        "territory", "n_heat_links", "n_heat_synergies", "mwh_recovered", "pm10_avoided_kg", "nox_avoided_kg",
        "co2_avoided_t", "n_clusters", "n_facilities", "n_members_facilities", "land_m2_total",
        "n_future_zones_linked",
    ),
}
SECRET_FIELDS = {
    "park": ("heat_supply_mwh", "waste_supply_t", "collection_quantity_t", "collection_truck_km", "utility_co2_t",
             "exchange_co2_t"),
    "heat_link": ("mwh_recovered", "co2_avoided_t", "pm10_avoided_kg", "nox_avoided_kg"),
    # land_m2 is not firm data: eit:detectclusters sizes it from the action (pooling_actions.csv)
    "cluster": ("total_quantity", "truck_km_avoided", "co2_avoided_t"),
    "territory": ("mwh_recovered", "pm10_avoided_kg", "nox_avoided_kg", "co2_avoided_t"),
}
# identifiers and labels: not evidence on their own
_NOT_EVIDENCE = {"zone_id", "zone_ref", "libelle", "libelong", "typezone", "destdomi", "insee", "commune", "epci", "park_name",
                 "link_id", "supplier_zone", "receiver_zone", "supplier_libelle", "receiver_libelle",
                 "receiver_commune", "synergy_ids", "cluster_id", "kind", "action", "action_fr", "action_en",
                 "facility", "action_group", "resources",
                 "resources_fr", "unit", "site_zone", "site_libelle", "site_commune", "zone_ids", "zone_labels",
                 "communes", "territory", "corridor_width_m", "cluster_ids_sited", "cluster_actions_sited",
                 "supplier_zones_in", "receiver_zones_out", "site_reason", "collection_clusters", "utility_clusters",
                 "service_clusters", "exchange_clusters", "collection_resources_fr", "utility_actions_fr",
                 "service_actions_fr", "exchange_actions_fr"}
_LEVEL_FR = {"park": "du parc d'activités", "commune": "de la commune", "commune_group": "de la commune", "epci": "de l'EPCI",
             "territory": "du territoire", "unit_scope": "de l'ensemble des groupements", "link_id": "du lien"}
_LEVEL_EN = {"park": "business park", "commune": "commune", "commune_group": "commune", "epci": "EPCI", "territory": "territory",
             "unit_scope": "all clusters", "link_id": "link"}


# Number formatting ---------------------------------------------------------------------------
NBSP = "\u00a0"


def format_number(value, language: str = "fr", decimals: int | None = None) -> str:
    """``1234.5`` → ``1 234,5`` (French, no-break space) or ``1,234.5`` (English).

    Default precision: 1 decimal below 10 000, none above; a trailing ``,0`` is dropped."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n.d."
    if isinstance(value, (bool, np.bool_)):
        return ("oui" if value else "non") if language == "fr" else ("yes" if value else "no")
    value = float(value)
    if decimals is None:
        decimals = 0 if abs(value) >= 10000 else 1
    text = "{:,.{}f}".format(value, decimals)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if language == "fr":
        text = text.replace(",", NBSP).replace(".", ",")
    return text


# Condition language --------------------------------------------------------------------------
_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>'[^']*'|\"[^\"]*\")|(?P<op>==|!=|>=|<=|>|<|\(|\)|,)"
                    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*))")
_KEYWORDS = {"and", "or", "not", "in", "true", "false"}


def _tokenize(text: str):
    pos, tokens = 0, []
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ValueError("unexpected character {!r} at position {}".format(text[pos:pos + 1], pos + 1))
        pos = match.end()
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "name" and value.lower() in _KEYWORDS:
            kind, value = "kw", value.lower()
        tokens.append((kind, value))
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return tokens


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _truthy(v) -> bool:
    if _missing(v):
        return False
    if isinstance(v, str):
        return v.strip() not in ("", "0", "false", "False")
    return bool(v)


def _compare(op, a, b) -> bool:
    if _missing(a) or _missing(b):
        return op == "!=" and not (_missing(a) and _missing(b))
    if isinstance(a, (bool, np.bool_)) or isinstance(b, (bool, np.bool_)):
        a, b = _truthy(a), _truthy(b)
    elif isinstance(a, str) or isinstance(b, str):
        a, b = str(a), str(b)
        if op not in ("==", "!="):
            return False
    return {"==": a == b, "!=": a != b, ">=": a >= b, "<=": a <= b, ">": a > b, "<": a < b}[op]


class _Parser:
    def __init__(self, text: str, fields):
        self.tokens = _tokenize(text)
        self.i = 0
        self.fields = set(fields)
        self.used = set()

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self, kind=None, value=None):
        tok = self.peek()
        if tok[0] is None or (kind and tok[0] != kind) or (value and tok[1] != value):
            raise ValueError("expected {} but found {!r}".format(value or kind, tok[1] if tok[1] else "end of text"))
        self.i += 1
        return tok

    def parse(self):
        node = self.or_expr()
        if self.i != len(self.tokens):
            raise ValueError("unexpected {!r}".format(self.peek()[1]))
        return node

    def or_expr(self):
        left = self.and_expr()
        while self.peek() == ("kw", "or"):
            self.take()
            right = self.and_expr()
            left = (lambda a, b: lambda r: a(r) or b(r))(left, right)
        return left

    def and_expr(self):
        left = self.not_expr()
        while self.peek() == ("kw", "and"):
            self.take()
            right = self.not_expr()
            left = (lambda a, b: lambda r: a(r) and b(r))(left, right)
        return left

    def not_expr(self):
        if self.peek() == ("kw", "not"):
            self.take()
            inner = self.not_expr()
            return lambda r: not inner(r)
        return self.comparison()

    def comparison(self):
        left = self.atom()
        kind, value = self.peek()
        if kind == "op" and value in ("==", "!=", ">=", "<=", ">", "<"):
            self.take()
            right = self.atom()
            return lambda r: _compare(value, left(r), right(r))
        negate = False
        if (kind, value) == ("kw", "not") and self.i + 1 < len(self.tokens) and self.tokens[self.i + 1] == ("kw", "in"):
            self.take()
            negate, (kind, value) = True, self.peek()
        if (kind, value) == ("kw", "in"):
            self.take()
            self.take("op", "(")
            options = [self.atom()]
            while self.peek() == ("op", ","):
                self.take()
                options.append(self.atom())
            self.take("op", ")")
            return lambda r: negate != any(_compare("==", left(r), o(r)) for o in options)
        return lambda r: _truthy(left(r))

    def atom(self):
        kind, value = self.peek()
        if kind == "num":
            self.take()
            number = float(value)
            return lambda r: number
        if kind == "str":
            self.take()
            text = value[1:-1]
            return lambda r: text
        if kind == "kw" and value in ("true", "false"):
            self.take()
            flag = value == "true"
            return lambda r: flag
        if kind == "name":
            self.take()
            if value not in self.fields:
                raise ValueError("unknown field '{}' (known: {})".format(value, ", ".join(sorted(self.fields))))
            self.used.add(value)
            return lambda r: r.get(value)
        if (kind, value) == ("op", "("):
            self.take()
            node = self.or_expr()
            self.take("op", ")")
            return node
        raise ValueError("expected a value but found {!r}".format(value if value else "end of text"))


def compile_condition(text: str, fields):
    """Parse a condition into a function ``record -> bool``; ``ValueError`` says what is wrong.
    An empty condition is always true."""
    if text is None or not str(text).strip():
        return lambda r: True
    return _Parser(str(text), fields).parse()


# Templates -----------------------------------------------------------------------------------
def template_fields(template: str) -> list:
    """The ``{field}`` names of a template; attribute access, indexing and formats refused."""
    names = []
    for _literal, name, spec, conv in string.Formatter().parse(template or ""):
        if name is None:
            continue
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or spec or conv:
            raise ValueError("placeholder {{{}}} is not a plain field name".format(name))
        names.append(name)
    return names


def _render(template: str, record: dict, language: str, hidden: set) -> str:
    out = []
    for literal, name, _spec, _conv in string.Formatter().parse(template or ""):
        out.append(literal)
        if name is None:
            continue
        if name in hidden:
            out.append("n.d.*")
            continue
        value = record.get(name)
        if name.startswith("eit_potential") and value in _POTENTIAL:
            value = _POTENTIAL[value][0 if language == "fr" else 1]
        if isinstance(value, (bool, np.bool_)) or isinstance(value, (int, float, np.integer, np.floating)):
            if (name.endswith("_m") or name.endswith("_m2")) and not _missing(value) and abs(value) >= 100:
                value = round(float(value), -1)  # distances and areas: to 10 m / 10 m²
            out.append(format_number(value, language))
        elif _missing(value):
            out.append("n.d.")
        else:
            out.append(str(value))
    text = re.sub(r"\s*\(\s*\)", "", "".join(out))  # "()" left by an empty field
    return resolve_plurals(re.sub(r"[ ]{2,}", " ", text))


_POTENTIAL = {"high": ("élevé", "high"), "medium": ("moyen", "medium"), "low": ("faible", "low"), "none": ("nul", "none")}


# Rules ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    id: str
    document: str
    instrument: str
    theme: str
    scope_kind: str
    condition_text: str
    priority: int
    text_fr: str
    text_en: str
    evidence_fr: str
    evidence_en: str
    source: str
    rationale: str
    condition: object
    evidence_fields: tuple


def load_rules(path=None) -> list:
    """Read and validate a rules CSV (the shipped one when ``path`` is None).

    Errors name the row, the rule id and the column, and say how to fix it."""
    path = Path(path) if path else DEFAULT_RULES
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as err:
        raise EitInputError("Cannot read the rules file {}: {}".format(path, err)) from None
    table.columns = [c.strip().lower() for c in table.columns]
    missing = [c for c in RULE_COLUMNS if c not in table.columns]
    if missing:
        raise EitInputError("Rules file {}: missing column(s) {}. Expected columns: {}.".format(
            path, ", ".join(missing), ", ".join(RULE_COLUMNS)))
    rules, seen = [], set()
    for n, row in enumerate(table.to_dict("records"), start=2):
        rid = row["id"].strip()

        def bad(column, message, n=n, rid=rid):
            return EitInputError("Rules file {}, line {} (rule '{}'), column '{}': {}".format(path, n, rid, column, message))

        if not rid:
            raise bad("id", "empty id; give every rule a unique id")
        if rid in seen:
            raise bad("id", "duplicate id; ids must be unique")
        seen.add(rid)
        kind = row["scope_kind"].strip()
        if kind not in SCOPE_FIELDS:
            raise bad("scope_kind", "'{}' is not one of {}".format(kind, ", ".join(SCOPE_FIELDS)))
        if row["document"].strip() not in DOCUMENTS:
            raise bad("document", "'{}' is not one of {}".format(row["document"], ", ".join(DOCUMENTS)))
        try:
            priority = int(row["priority"])
        except ValueError:
            raise bad("priority", "'{}' is not a whole number (1 = high)".format(row["priority"])) from None
        try:
            condition = compile_condition(row["condition"], SCOPE_FIELDS[kind])
        except ValueError as err:
            raise bad("condition", str(err)) from None
        evidence_fields = []
        for column in ("text_fr", "text_en", "evidence_fr", "evidence_en"):
            try:
                names = template_fields(row[column])
            except ValueError as err:
                raise bad(column, str(err)) from None
            unknown = [x for x in names if x not in SCOPE_FIELDS[kind]]
            if unknown:
                raise bad(column, "unknown field(s) {} for scope '{}'".format(", ".join(unknown), kind))
            if column == "evidence_fr":
                evidence_fields = [x for x in names if x not in _NOT_EVIDENCE]
        if not row["text_fr"].strip() or not row["evidence_fr"].strip():
            raise bad("text_fr/evidence_fr", "a rule needs a French text and an evidence template")
        if not evidence_fields:
            raise bad("evidence_fr", "the evidence must quote at least one figure ({field} of the scope)")
        if not row["source"].strip():
            raise bad("source", "say where the rule comes from (publication, year) or write 'assumption'")
        rules.append(Rule(rid, row["document"].strip(), row["instrument"].strip(), row["theme"].strip(), kind,
                          row["condition"], priority, row["text_fr"], row["text_en"] or row["text_fr"],
                          row["evidence_fr"], row["evidence_en"] or row["evidence_fr"], row["source"],
                          row["rationale"], condition, tuple(evidence_fields)))
    return rules


# Input normalisation -------------------------------------------------------------------------
def _lower(df) -> pd.DataFrame:
    if df is None:
        return pd.DataFrame()
    out = df.copy()
    seen, cols = set(), []
    for c in out.columns:
        low = str(c).lower()
        cols.append(low if low not in seen else str(c))
        seen.add(low)
    out.columns = cols
    return out


def _col(df, name, default=None):
    if name in df.columns:
        return df[name]
    return pd.Series([default] * len(df), index=df.index, dtype=object if not isinstance(default, float) else "float64")


def _num(df, name):
    return pd.to_numeric(_col(df, name, np.nan), errors="coerce")


def _text(v) -> str:
    return "" if _missing(v) else str(v).strip()


def _bool(v) -> bool:
    if isinstance(v, str):
        return v.strip().lower() in ("1", "true", "t", "yes", "oui", "vrai")
    return _truthy(v)


def _split(v) -> list:
    return [p for p in re.split(r"[,;|\s]+", _text(v)) if p]


_ACTIVITY_LABEL = re.compile(r"^\d*(AU|U)[EXIYZ]", re.IGNORECASE)


def _epci_table() -> dict:
    path = REFERENCE_DIR / "communes_epci.csv"
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        return dict(zip(table["insee"], table["epci_name"]))
    except (OSError, KeyError, pd.errors.ParserError):
        return {}


def _resource_labels() -> dict:
    try:
        table = pd.read_csv(REFERENCE_DIR / "taxonomy.csv", dtype=str, keep_default_na=False)
        return dict(zip(table["code"], table["label_fr"]))
    except (OSError, KeyError, pd.errors.ParserError):
        return {}


def prepare_zones(zones: pd.DataFrame) -> pd.DataFrame:
    """Zones with the flags and hierarchy the rules and the secret use: ``is_activity``,
    ``is_housing``, ``is_mixed``, ``is_future``, ``park`` (business park key), ``commune``,
    ``epci``."""
    z = _lower(zones)
    if "zone_id" not in z.columns:
        raise EitInputError("The zones table has no 'zone_id' field: use the output of eit:zoneoverlay.")
    z["zone_id"] = z["zone_id"].astype(str)
    for c in ("libelle", "libelong", "typezone", "destdomi", "formdomi", "insee", "idurba"):
        z[c] = [_text(v) for v in _col(z, c, "")]
    z["destdomi"] = [d.zfill(2) if d.isdigit() else d for d in z["destdomi"]]
    dwell = _num(z, "housing_dwellings").fillna(0)
    hdem = _num(z, "housing_heat_demand_mwh").fillna(0)
    z["housing_dwellings"] = dwell
    z["housing_heat_demand_mwh"] = hdem
    # DESTDOMI / FORMDOMI decide when present; the LIBELLE pattern (UX, UI, 1AUX...) only without them
    z["is_activity"] = [
        d == "02" or f.startswith("02") or (not d and not f and bool(_ACTIVITY_LABEL.match(lab)))
        for d, f, lab in zip(z["destdomi"], z["formdomi"], z["libelle"])
    ]
    z["is_mixed"] = [d == "03" or f.startswith("03") for d, f in zip(z["destdomi"], z["formdomi"])]
    z["is_housing"] = [
        d in ("01", "03") or f.startswith("01") or f.startswith("03") or w > 0 or h > 0
        for d, f, w, h in zip(z["destdomi"], z["formdomi"], dwell, hdem)
    ]
    fut = _col(z, "is_future", None)
    z["is_future"] = [_bool(v) or t.upper().startswith("AU") for v, t in zip(fut, z["typezone"])]
    park_given = next((c for c in ("park", "parc", "zae", "nom_zae", "park_name") if c in z.columns), None)
    parks = []
    given = _col(z, park_given, "") if park_given else [""] * len(z)
    for g, act, lib, zid in zip(given, z["is_activity"], z["libelong"], z["zone_id"]):
        name = _text(g)
        if not name and act:
            name = lib
        parks.append(name if name else "zone:" + zid)
    z["commune"] = [c or "inconnue" for c in z["insee"]]
    # a LIBELONG shared across many communes is a generic label ("Zone d'activités artisanales"),
    # not a park name: such zones are grouped per commune
    spread = {}
    for p, c in zip(parks, z["commune"]):
        spread.setdefault(p, set()).add(c)
    parks = [p if p.startswith("zone:") or park_given or len(spread[p]) <= MAX_PARK_COMMUNES
             else "{} ({})".format(p, c) for p, c in zip(parks, z["commune"])]
    z["park"] = parks
    z["park_name"] = [p if not p.startswith("zone:") else "" for p in parks]
    # the level above the park in the secret hierarchy: its commune, or the communes it spans
    spans = {}
    for p, c in zip(parks, z["commune"]):
        spans.setdefault(p, set()).add(c)
    z["commune_group"] = [c if p.startswith("zone:") else "+".join(sorted(spans[p])) for p, c in zip(parks, z["commune"])]
    epci = _epci_table()
    given_epci = _col(z, "epci", None)
    z["epci"] = [_text(g) or epci.get(c, TERRITORY) for g, c in zip(given_epci, z["insee"])]
    z["territory"] = TERRITORY
    z["eit_potential"] = [_text(v) or "none" for v in _col(z, "eit_potential", "")]
    z["n_establishments"] = _num(z, "n_establishments").fillna(0).astype(int)
    z["mixity_index"] = _num(z, "mixity_index")
    return z.sort_values("zone_id").reset_index(drop=True)


def protected_zone_figures(zones, flows, direction: str = "supply") -> pd.DataFrame:
    """Per zone and family, the total of ``flows`` (``siret``, ``zone_id``, ``family``,
    ``direction``, ``quantity``) with the statistical secret applied along zone → business
    park → commune(s) → EPCI: the long table of ``confidentiality.protect_table`` (use
    ``quantity`` when published, else ``quantity_fallback_*``). For the report's zone tables."""
    z = prepare_zones(zones)[["zone_id", "park", "commune_group", "epci"]]
    f = _lower(flows)
    needed = [c for c in ("siret", "zone_id", "family", "direction", "quantity") if c not in f.columns]
    if needed:
        raise EitInputError("The flows table lacks {}: give flows with their zone (eit:zoneoverlay).".format(
            ", ".join(needed)))
    f = pd.DataFrame({"siret": [_text(v) for v in f["siret"]], "zone_id": [_text(v) for v in f["zone_id"]],
                      "family": [_text(v) for v in f["family"]], "direction": [_text(v) for v in f["direction"]],
                      "quantity": _num(f, "quantity")})
    f = f[(f["direction"] == direction) & (f["zone_id"] != "")].merge(z, on="zone_id", how="inner")
    return conf.protect_table(f, ["quantity"], ["zone_id", "family"], "siret", ["park", "commune_group", "epci"])


def _prepare_synergies(synergies, zones_by_id) -> pd.DataFrame:
    s = _lower(synergies)
    if s.empty:
        return pd.DataFrame(columns=["synergy_id", "kind", "is_heat", "is_housing"])
    s["synergy_id"] = [_text(v) for v in _col(s, "synergy_id", "")]
    s["kind"] = [_text(v) for v in _col(s, "kind", "")]
    for c in ("supplier_siret", "receiver_siret", "receiver_zone", "supplier_zone", "family", "unit",
              "resource_supply", "supply_flow_id"):
        s[c] = [_text(v) for v in _col(s, c, "")]
    for c in ("quantity", "distance_m", "co2_avoided_t", "pm10_avoided_kg", "nox_avoided_kg", "mwh_recovered"):
        s[c] = _num(s, c)
    s["is_heat"] = [
        k in ("heat_recovery", "housing_heat") or f == "heat" or r == "waste_heat"
        for k, f, r in zip(s["kind"], s["family"], s["resource_supply"])
    ]
    s["is_housing"] = [k == "housing_heat" or (not rs and bool(rz)) for k, rs, rz in
                       zip(s["kind"], s["receiver_siret"], s["receiver_zone"])]
    s["mwh_recovered"] = np.where(s["mwh_recovered"].isna() & s["is_heat"] & (s["unit"].str.lower() == "mwh"),
                                  s["quantity"], s["mwh_recovered"])
    s["contributor"] = [sup or flow or sid for sup, flow, sid in
                        zip(s["supplier_siret"], s["supply_flow_id"], s["synergy_id"])]
    return s.sort_values("synergy_id").reset_index(drop=True)


def _prepare_clusters(clusters) -> pd.DataFrame:
    c = _lower(clusters)
    if c.empty:
        return pd.DataFrame(columns=["cluster_id"])
    c["cluster_id"] = [_text(v) for v in _col(c, "cluster_id", "")]
    for col in ("kind", "resources", "members", "unit", "zone_ids", "action", "action_fr", "action_en", "facility",
                "site_zone", "site_reason"):
        c[col] = [_text(v) for v in _col(c, col, "")]
    c["action_fr"] = [f or a.replace("_", " ") for f, a in zip(c["action_fr"], c["action"])]
    c["action_en"] = [e or a.replace("_", " ") for e, a in zip(c["action_en"], c["action"])]
    if "land_m2" not in c.columns and "land_need_m2" in c.columns:
        c["land_m2"] = c["land_need_m2"]
    for col in ("n_members", "total_quantity", "truck_km_avoided", "co2_avoided_t", "land_m2"):
        c[col] = _num(c, col)
    c["n_members"] = [int(n) if not _missing(n) else len(_split(m)) for n, m in zip(c["n_members"], c["members"])]
    return c.sort_values("cluster_id").reset_index(drop=True)


_ACTION_CODES = {  # codes of resources/reference/pooling_actions.csv and exchange clusters
    "shared_collection": "collection", "sorting_platform": "facility", "shared_heat": "utility",
    "shared_water_treatment": "utility", "grouped_purchasing": "service", "exchange": "exchange",
}


def action_group(action: str, resources: str = "", families: str = "") -> str:
    """``collection`` (shared collection round), ``facility`` (sorting/transfer platform,
    shared treatment), ``utility`` (shared boiler, heat loop, water) or ``service``
    (grouped purchasing, shared services) from a cluster's action text."""
    code = (action or "").strip().lower()
    if code in _ACTION_CODES:
        return _ACTION_CODES[code]
    text = " ".join([action, resources, families]).lower()
    if re.search(r"exchange|échange", text):
        return "exchange"
    if re.search(r"collect", text):
        return "collection"
    if re.search(r"sort|tri\b|platform|plateforme|transfer|transit|compost|méthani|methani|recycl", text):
        return "facility"
    if re.search(r"boiler|chauffer|heat|chaleur|loop|boucle|water|eau|steam|vapeur|utilit|energy|énergie", text):
        return "utility"
    if re.search(r"purchas|achat|buy|service", text):
        return "service"
    if re.search(r"waste|déchet|_waste|cardboard|scrap|glass|plastic|wood", text):
        return "collection"
    return "service"


# Secret helpers ------------------------------------------------------------------------------
class _Secret:
    """Published value / suppression of each protected figure of each scope."""

    def __init__(self, public: bool):
        self.public = public
        self.cells = {}  # (kind, scope_id, field) -> dict(suppressed, reason, fb_level, fb_key, fb_value, unit)

    def add_table(self, kind, table, level, field_map, units, key_of=lambda k: k):
        if table is None or table.empty:
            return
        rows = table[table["level"] == level]
        for r in rows.to_dict("records"):
            for field, col in field_map.items():
                self.cells[(kind, key_of(r["key"]), field)] = {
                    "suppressed": bool(r[col + "_suppressed"]), "reason": r[col + "_reason"],
                    "fb_level": r[col + "_fallback_level"], "fb_key": r[col + "_fallback_key"],
                    "fb_value": r[col + "_fallback_value"], "unit": units.get(field, ""),
                }

    def unknown(self, kind, scope_id, field, unit=""):
        self.cells[(kind, scope_id, field)] = {"suppressed": True, "reason": conf.REASON_UNKNOWN, "fb_level": None,
                                               "fb_key": None, "fb_value": float("nan"), "unit": unit}

    def hidden(self, kind, scope_id, fields) -> dict:
        if not self.public:
            return {}
        out = {}
        for f in fields:
            cell = self.cells.get((kind, scope_id, f))
            if cell is not None and cell["suppressed"]:
                out[f] = cell
        return out


_FIELD_LABELS_FR = {
    "mwh_recovered": "chaleur récupérable", "co2_avoided_t": "CO₂ évité", "pm10_avoided_kg": "PM10 évitées",
    "nox_avoided_kg": "NOx évités", "total_quantity": "quantité du groupement", "truck_km_avoided": "km de camion évités",
    "land_m2": "emprise foncière", "land_m2_total": "emprise foncière totale", "heat_supply_mwh": "chaleur fatale disponible",
    "waste_supply_t": "déchets produits", "collection_quantity_t": "déchets à collecter en commun",
    "collection_truck_km": "km de camion évités", "utility_co2_t": "CO₂ évité", "exchange_co2_t": "CO₂ évité",
}
_FIELD_LABELS_EN = {
    "mwh_recovered": "recoverable heat", "co2_avoided_t": "CO₂ avoided", "pm10_avoided_kg": "PM10 avoided",
    "nox_avoided_kg": "NOx avoided", "total_quantity": "cluster quantity", "truck_km_avoided": "truck-km avoided",
    "land_m2": "land take", "land_m2_total": "total land take", "heat_supply_mwh": "waste heat available",
    "waste_supply_t": "waste produced", "collection_quantity_t": "waste for pooled collection",
    "collection_truck_km": "truck-km avoided", "utility_co2_t": "CO₂ avoided", "exchange_co2_t": "CO₂ avoided",
}
_REASON_EN = {
    conf.REASON_SECONDARY: "secondary suppression (would be recoverable by subtraction)",
    conf.REASON_UNKNOWN: "split by establishment unknown, 85 % rule not checkable",
}


def _commune_names() -> dict:
    try:
        table = pd.read_csv(REFERENCE_DIR / "communes_epci.csv", dtype=str, keep_default_na=False)
        return dict(zip(table["insee"], table["commune"]))
    except (OSError, KeyError, pd.errors.ParserError):
        return {}


_COMMUNES = {}


def _place(level, key, language) -> str:
    """'de la commune Chambéry (73065)', 'des communes A (…) et B (…)', 'du territoire'…"""
    if not _COMMUNES:
        _COMMUNES.update(_commune_names() or {"": ""})
    if level in ("commune", "commune_group"):
        codes = str(key).split("+")
        names = ["{} ({})".format(_COMMUNES[c], c) if c in _COMMUNES else c for c in codes]
        if language == "fr":
            return ("de la commune " if len(names) == 1 else "des communes ") + " et ".join(names)
        return ("commune " if len(names) == 1 else "communes ") + " and ".join(names)
    if level in ("territory", "unit_scope"):
        return "du territoire d'étude" if language == "fr" else "study area"
    if language == "fr":
        return "{} {}".format(_LEVEL_FR.get(level, level), key)
    return "{} {}".format(_LEVEL_EN.get(level, level), key)


def _footnote(field, cell, language) -> str:
    unit = cell.get("unit", "")
    if language == "fr":
        text = "* {} : {}".format(_FIELD_LABELS_FR.get(field, field), cell["reason"])
        if cell["fb_level"] is not None and not _missing(cell["fb_value"]):
            text += " ; à l'échelle {} : {} {}".format(
                _place(cell["fb_level"], cell["fb_key"], "fr"), format_number(cell["fb_value"], "fr"), unit).rstrip()
        return text
    reason = _REASON_EN.get(cell["reason"])
    if reason is None:
        reason = "statistical secret (fewer than 3 establishments or one above 85 %)"
    text = "* {}: {}".format(_FIELD_LABELS_EN.get(field, field), reason)
    if cell["fb_level"] is not None and not _missing(cell["fb_value"]):
        text += "; {} total: {} {}".format(_place(cell["fb_level"], cell["fb_key"], "en"),
                                          format_number(cell["fb_value"], "en"), unit).rstrip()
    return text


def commune_name(insee: str) -> str:
    """The commune's name (resources/reference/communes_epci.csv), else its INSEE code."""
    if not _COMMUNES:
        _COMMUNES.update(_commune_names() or {"": ""})
    return _COMMUNES.get(str(insee), str(insee))


def zone_reference(zone: dict) -> str:
    """How a planner finds a zone without ambiguity, even in a PLUi with many zones of the
    same label: 'UB n° 46, Aix-les-Bains (73008_PLU_20210923)' — label, rank of the zone
    among the document's zones of that label (the ``zone_id`` suffix), commune, document id."""
    zid = str(zone.get("zone_id") or "")
    label = zone.get("libelle") or zid
    parts = zid.split(":")
    number = parts[-1] if len(parts) >= 3 and parts[-1].isdigit() else ""
    document = zone.get("idurba") or (parts[0] if len(parts) >= 3 else "")
    text = "{} n° {}".format(label, number) if number else label
    if zone.get("insee"):
        text += ", {}".format(commune_name(zone["insee"]))
    return "{} ({})".format(text, document) if document else text


_PLURAL = re.compile(r"(?P<word>[A-Za-zÀ-ÿ'’-]+)\((?P<suffix>s|es|ies|x)\)")
_NUMBER = re.compile(r"\d[\d\u202f\u00a0 ]*(?:[.,]\d+)?")


def resolve_plurals(text: str) -> str:
    """'1 établissement(s) fournisseur(s)' → '1 établissement fournisseur'; '3 synergy(ies)'
    → '3 synergies': the number is known, so is the plural (the nearest number before)."""
    out, last = [], 0
    for match in _PLURAL.finditer(text):
        before = text[last:match.start()]
        numbers = _NUMBER.findall(text[:match.start()])
        value = 2.0
        if numbers:
            try:
                value = float(numbers[-1].replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", "."))
            except ValueError:
                value = 2.0
        word, suffix = match.group("word"), match.group("suffix")
        plural = value >= 2
        if suffix == "ies":
            word = word[:-1] + "ies" if plural and word.endswith("y") else word
        elif plural:
            word += suffix
        out.append(before + word)
        last = match.end()
    out.append(text[last:])
    return "".join(out)


# Scopes --------------------------------------------------------------------------------------
def _member_shares(clusters, flows) -> dict:
    """cluster_id -> Series siret -> share of the cluster's quantity (from flows of the
    cluster's resources), or None when no member has a known quantity."""
    out = {cid: None for cid in clusters["cluster_id"]}
    f = _lower(flows) if flows is not None else pd.DataFrame()
    if f.empty or "siret" not in f.columns or clusters.empty:
        return out
    f = pd.DataFrame({"siret": [_text(v) for v in f["siret"]], "resource": [_text(v) for v in _col(f, "resource", "")],
                      "quantity": _num(f, "quantity").abs()})
    per = f.groupby(["siret", "resource"], sort=False)["quantity"].sum().reset_index()
    members = [(cid, m) for cid, ms in zip(clusters["cluster_id"], clusters["members"])
               for m in re.split(r"[,;|\s]+", ms) if m and not m.startswith("zone:")]
    resources = [(cid, r) for cid, rs in zip(clusters["cluster_id"], clusters["resources"]) for r in _split(rs)]
    if not members:
        return out
    mem = pd.DataFrame(members, columns=["cluster_id", "siret"]).drop_duplicates()
    res = pd.DataFrame(resources, columns=["cluster_id", "resource"]).drop_duplicates()
    joined = mem.merge(per, on="siret", how="inner").merge(res, on=["cluster_id", "resource"], how="inner")
    sums = joined.groupby(["cluster_id", "siret"], sort=True)["quantity"].sum()
    for cid, part in sums.groupby(level=0, sort=True):
        part = part.droplevel(0)
        total = float(part.sum())
        if total > 0:
            out[cid] = part / total
    return out


def build_scopes(zones, synergies, clusters, flows=None, public=True, feedback=None):
    """The records the rules are evaluated on: ``{kind: [record, ...]}`` and the secret."""
    feedback = feedback or NULL_FEEDBACK
    z = prepare_zones(zones)
    keep = ["zone_id", "idurba", "libelle", "libelong", "typezone", "destdomi", "insee", "commune", "epci", "park", "park_name",
            "commune_group", "is_activity", "is_housing", "is_mixed", "is_future", "eit_potential", "n_establishments",
            "mixity_index", "housing_dwellings", "housing_heat_demand_mwh"]
    z = z[keep]
    zby = {r["zone_id"]: r for r in z.to_dict("records")}
    s = _prepare_synergies(synergies, zby)
    c = _prepare_clusters(clusters)
    secret = _Secret(public)
    labels = _resource_labels()

    def zlabs(zids):
        """'1AU (73065) ×3, UA (73065)' — labels of several zones, counted."""
        counts = {}
        for x in sorted(set(zids)):
            if x:
                counts[zlab(x)] = counts.get(zlab(x), 0) + 1
        return ", ".join(k if n == 1 else "{} ×{}".format(k, n) for k, n in sorted(counts.items()))

    def zlab(zid):
        r = zby.get(zid)
        return zone_reference(r) if r is not None else (zid or "?")

    # heat links ----------------------------------------------------------------------------
    heat = s[s["is_heat"]].copy() if len(s) else s
    links = []
    if len(heat):
        heat["link_id"] = [
            ("{}>{}".format(sz or "?", rz) if h else "ent:{}".format(sz or "?"))
            for sz, rz, h in zip(heat["supplier_zone"], heat["receiver_zone"], heat["is_housing"])
        ]
        heat["commune"] = [
            (zby.get(rz) or zby.get(sz) or {}).get("commune", "inconnue") if h else (zby.get(sz) or {}).get("commune", "inconnue")
            for sz, rz, h in zip(heat["supplier_zone"], heat["receiver_zone"], heat["is_housing"])
        ]
        heat["territory"] = TERRITORY
        values = ["mwh_recovered", "co2_avoided_t", "pm10_avoided_kg", "nox_avoided_kg"]
        table = conf.protect_table(heat, values, ["link_id"], "contributor", ["commune", "territory"])
        units = {"mwh_recovered": "MWh/an", "co2_avoided_t": "t/an", "pm10_avoided_kg": "kg/an", "nox_avoided_kg": "kg/an"}
        secret.add_table("heat_link", table, 0, {v: v for v in values}, units)
        secret.add_table("territory", table, 2, {v: v for v in values}, units)
        for link_id, g in heat[heat["is_housing"]].groupby("link_id", sort=True):
            first = g.iloc[0]
            rz, sz = first["receiver_zone"], first["supplier_zone"]
            rzone, szone = zby.get(rz, {}), zby.get(sz, {})
            dmin = float(g["distance_m"].min()) if g["distance_m"].notna().any() else float("nan")
            links.append({
                "link_id": link_id, "supplier_zone": sz, "receiver_zone": rz,
                "supplier_libelle": zlab(sz), "receiver_libelle": zlab(rz),
                "receiver_commune": rzone.get("commune", ""),
                "receiver_is_future": bool(rzone.get("is_future", False)),
                "receiver_is_housing": bool(rzone.get("is_housing", True)),
                "supplier_is_activity": bool(szone.get("is_activity", False)),
                "n_suppliers": int(g["contributor"].nunique()), "n_synergies": int(len(g)),
                "synergy_ids": ",".join(sorted(g["synergy_id"])),
                "distance_m": dmin, "distance_max_m": float(g["distance_m"].max()),
                "mwh_recovered": float(g["mwh_recovered"].sum(min_count=1)),
                "co2_avoided_t": float(g["co2_avoided_t"].sum(min_count=1)),
                "pm10_avoided_kg": float(g["pm10_avoided_kg"].sum(min_count=1)),
                "nox_avoided_kg": float(g["nox_avoided_kg"].sum(min_count=1)),
                "receiver_housing_heat_demand_mwh": float(rzone.get("housing_heat_demand_mwh", float("nan"))),
                "receiver_dwellings": float(rzone.get("housing_dwellings", float("nan"))),
                "corridor_width_m": CORRIDOR_WIDTH_M,
                "corridor_land_m2": dmin * CORRIDOR_WIDTH_M if not _missing(dmin) else float("nan"),
                "_related": ",".join([x for x in [sz, rz] if x] + sorted(g["synergy_id"])),
            })

    # clusters ------------------------------------------------------------------------------
    cl = []
    shares = _member_shares(c, flows) if len(c) else {}
    values = ["total_quantity", "truck_km_avoided", "co2_avoided_t"]
    cunits = {"truck_km_avoided": "km/an", "co2_avoided_t": "t/an", "land_m2": "m²", "land_m2_total": "m²"}
    micro = []
    for r in c.to_dict("records"):
        sh = shares.get(r["cluster_id"])
        if sh is None:
            continue
        for siret, share in sh.items():
            row = {"cluster_id": r["cluster_id"], "unit_scope": "{}:{}".format(TERRITORY, r["unit"]),
                   "territory": TERRITORY, "siret": siret}
            for v in values:
                row[v] = share * r[v] if not _missing(r[v]) else np.nan
            micro.append(row)
    mdf = pd.DataFrame(micro)
    if micro:
        t1 = conf.protect_table(mdf, values, ["cluster_id"], "siret", ["unit_scope"])
        secret.add_table("cluster", t1, 0, {v: v for v in values}, cunits)
    unknown_clusters = [r["cluster_id"] for r in c.to_dict("records") if shares.get(r["cluster_id"]) is None]
    for cid in unknown_clusters:
        for v in values:
            secret.unknown("cluster", cid, v, cunits.get(v, ""))
    if len(c) and unknown_clusters:
        if public:
            feedback.warning(
                "{} cluster(s) without a per-member split (give the FLOWS layer): their quantities are withheld "
                "in public mode because the 85 % rule cannot be checked.".format(len(unknown_clusters)))
    for r in c.to_dict("records"):
        site = zby.get(r["site_zone"], {})
        zids = _split(r["zone_ids"])
        site_park = zby.get(r["site_zone"], {}).get("park_name", "")
        parks = sorted({zby[x]["park_name"] for x in zids if x in zby and zby[x]["park_name"]})
        park = site_park or (parks[0] if parks else "")
        res = _split(r["resources"])
        cunits_r = dict(cunits, total_quantity="{}/an".format(r["unit"]) if r["unit"] else "")
        for v in values:
            key = ("cluster", r["cluster_id"], v)
            if key in secret.cells:
                secret.cells[key]["unit"] = cunits_r.get(v, "")
        cl.append({
            "cluster_id": r["cluster_id"], "kind": r["kind"], "action": r["action"], "action_fr": r["action_fr"],
            "action_en": r["action_en"], "facility": r["facility"],
            "action_group": action_group(r["action"], r["resources"]),
            "resources": r["resources"], "resources_fr": ", ".join(labels.get(x, x) for x in res) or r["resources"],
            "n_members": int(r["n_members"]), "unit": r["unit"], "total_quantity": r["total_quantity"],
            "truck_km_avoided": r["truck_km_avoided"], "co2_avoided_t": r["co2_avoided_t"], "land_m2": r["land_m2"],
            "site_zone": r["site_zone"], "site_libelle": zlab(r["site_zone"]) if r["site_zone"] else "",
            "site_commune": site.get("commune", ""), "site_is_activity": bool(site.get("is_activity", False)),
            "has_site": bool(r["site_zone"]), "site_reason": r["site_reason"], "zone_ids": ",".join(zids),
            "n_zones": len(zids), "park_name": park,
            "_members": [m for m in re.split(r"[,;|\s]+", r["members"]) if m and not m.startswith("zone:")],
            "_related": ",".join([r["cluster_id"], *zids]),
        })

    # zones ---------------------------------------------------------------------------------
    housing_links = s[s["is_housing"] & s["is_heat"]] if len(s) else s
    empty = housing_links.iloc[0:0]
    by_receiver = dict(tuple(housing_links.groupby("receiver_zone"))) if len(housing_links) else {}
    by_supplier = dict(tuple(housing_links.groupby("supplier_zone"))) if len(housing_links) else {}
    by_site = dict(tuple(c.groupby("site_zone"))) if len(c) else {}
    zrecs = []
    for r in z.to_dict("records"):
        zid = r["zone_id"]
        inn = by_receiver.get(zid, empty)
        out = by_supplier.get(zid, empty)
        sited = by_site.get(zid, c.iloc[0:0])
        zrecs.append({
            **{k: r[k] for k in ("zone_id", "libelle", "libelong", "typezone", "destdomi", "insee", "commune", "epci",
                                 "park_name", "is_activity", "is_housing", "is_mixed", "is_future", "eit_potential",
                                 "n_establishments", "mixity_index", "housing_dwellings", "housing_heat_demand_mwh")},
            "zone_ref": zone_reference(r),
            "n_housing_links_in": int(len(inn)),
            "n_heat_suppliers_in": int(inn["contributor"].nunique()) if len(inn) else 0,
            "distance_min_in_m": float(inn["distance_m"].min()) if len(inn) else float("nan"),
            "supplier_zones_in": zlabs(inn["supplier_zone"]) if len(inn) else "",
            "n_housing_links_out": int(len(out)),
            "receiver_zones_out": zlabs(out["receiver_zone"]) if len(out) else "",
            "distance_min_out_m": float(out["distance_m"].min()) if len(out) else float("nan"),
            "n_clusters_sited": int(len(sited)),
            "cluster_ids_sited": ",".join(sorted(sited["cluster_id"])) if len(sited) else "",
            "cluster_actions_sited": ", ".join(sorted({x for x in sited["action_fr"] if x})) if len(sited) else "",
            "_related": zid,
        })

    # parks ---------------------------------------------------------------------------------
    prec = []
    f = _lower(flows) if flows is not None else pd.DataFrame()
    park_table = None
    if not f.empty and "zone_id" in f.columns and "siret" in f.columns:
        f = f.assign(zone_id=[_text(v) for v in f["zone_id"]], family=[_text(v) for v in _col(f, "family", "")],
                     direction=[_text(v) for v in _col(f, "direction", "")], quantity=_num(f, "quantity"),
                     siret=[_text(v) for v in f["siret"]])
        f = f[(f["direction"] == "supply") & f["family"].isin(["heat", "waste"]) & f["zone_id"].isin(zby)]
        if len(f):
            f = f.merge(z[["zone_id", "park", "commune_group", "epci"]], on="zone_id", how="left")
            park_table = conf.protect_table(f, ["quantity"], ["zone_id", "family"], "siret",
                                            ["park", "commune_group", "epci"])
    act = z[z["is_activity"] & (z["park_name"] != "")]
    park_of = dict(zip(act["zone_id"], act["park"]))
    syn_parks = {}
    for i, (sz, rz) in enumerate(zip(s["supplier_zone"], s["receiver_zone"])) if len(s) else []:
        for p in {park_of.get(sz), park_of.get(rz)} - {None}:
            syn_parks.setdefault(p, set()).add(i)
    cl_parks = {}
    for r in c.to_dict("records") if len(c) else []:
        for p in {park_of.get(x) for x in _split(r["zone_ids"]) + [r["site_zone"]]} - {None}:
            cl_parks.setdefault(p, set()).add(r["cluster_id"])
    cl_by_park = {}
    for r in cl:
        if r["park_name"]:
            cl_by_park.setdefault(r["park_name"], []).append(r)
    charter_table = None
    if len(mdf):
        group_of = {r["cluster_id"]: r["action_group"] for r in cl}
        park_of_cl = {r["cluster_id"]: r["park_name"] for r in cl}
        pm = mdf.assign(park=mdf["cluster_id"].map(park_of_cl), action_group=mdf["cluster_id"].map(group_of))
        pm = pm[pm["park"].fillna("") != ""]
        if len(pm):
            charter_table = conf.protect_table(pm, ["total_quantity", "truck_km_avoided", "co2_avoided_t"],
                                               ["park", "action_group"], "siret", ["territory"])
    for park, g in act.groupby("park", sort=True):
        zids = sorted(g["zone_id"])
        n_syn = len(syn_parks.get(park, ()))
        n_cl = len(cl_parks.get(park, ()))
        pot = list(g["eit_potential"])
        best = next((p for p in ("high", "medium", "low") if p in pot), "none")
        rec = {"park_name": park, "n_zones": len(zids), "zone_ids": ",".join(zids),
               "zone_labels": zlabs(zids), "communes": ", ".join(sorted({commune_name(x) for x in g["commune"]})),
               "n_establishments": int(g["n_establishments"].sum()), "n_high_zones": pot.count("high"),
               "eit_potential_best": best, "n_synergies": n_syn, "n_clusters": n_cl,
               "heat_supply_mwh": float("nan"), "waste_supply_t": float("nan"), "_related": ",".join(zids)}
        for fam, field, unit in (("heat", "heat_supply_mwh", "MWh/an"), ("waste", "waste_supply_t", "t/an")):
            cell = None
            if park_table is not None:
                hit = park_table[(park_table["level"] == 1) & (park_table["key"] == park) & (park_table["family"] == fam)]
                if len(hit):
                    cell = hit.iloc[0]
            if cell is None:
                if park_table is None:
                    secret.unknown("park", park, field, unit)
                continue
            rec[field] = float(cell["quantity_total"])
            secret.cells[("park", park, field)] = {
                "suppressed": bool(cell["quantity_suppressed"]), "reason": cell["quantity_reason"],
                "fb_level": cell["quantity_fallback_level"], "fb_key": cell["quantity_fallback_key"],
                "fb_value": cell["quantity_fallback_value"], "unit": unit}
        _charter_fields(rec, park, cl_by_park.get(park, []), charter_table, secret, labels,
                        set(mdf["cluster_id"]) if len(mdf) else set())
        rec["_related"] = ",".join([*zids, *(r["cluster_id"] for r in cl_by_park.get(park, []))])
        prec.append(rec)

    # territory -----------------------------------------------------------------------------
    fac = [r for r in cl if r["has_site"] and not _missing(r["land_m2"]) and r["land_m2"] > 0
           and r["facility"] not in ("collection_point", "none")]
    terr = {
        "territory": TERRITORY, "n_heat_links": len(links), "n_heat_synergies": int(len(heat)),
        "mwh_recovered": float(heat["mwh_recovered"].sum(min_count=1)) if len(heat) else float("nan"),
        "pm10_avoided_kg": float(heat["pm10_avoided_kg"].sum(min_count=1)) if len(heat) else float("nan"),
        "nox_avoided_kg": float(heat["nox_avoided_kg"].sum(min_count=1)) if len(heat) else float("nan"),
        "co2_avoided_t": float(heat["co2_avoided_t"].sum(min_count=1)) if len(heat) else float("nan"),
        "n_clusters": len(cl), "n_facilities": len(fac), "n_members_facilities": int(sum(r["n_members"] for r in fac)),
        "land_m2_total": float(sum(r["land_m2"] for r in fac)) if fac else float("nan"),
        "n_future_zones_linked": int(sum(1 for r in zrecs if r["is_future"] and r["n_housing_links_in"] > 0)),
        "_related": TERRITORY,
    }
    scopes = {"zone": zrecs, "park": prec, "heat_link": links, "cluster": cl, "territory": [terr]}
    return scopes, secret


# charter aggregates per park: (field prefix, action groups, secret figures {field: (column, unit)})
_CHARTER = (
    ("collection", ("collection",), {"collection_quantity_t": ("total_quantity", "t/an"),
                                     "collection_truck_km": ("truck_km_avoided", "km/an")}),
    ("utility", ("utility",), {"utility_co2_t": ("co2_avoided_t", "t/an")}),
    ("service", ("service", "facility"), {}),
    ("exchange", ("exchange",), {"exchange_co2_t": ("co2_avoided_t", "t/an")}),
)


def _charter_fields(rec, park, clusters, table, secret, labels, known):
    """Per park: how many clusters of each action group, which resources/actions, how many
    distinct establishments, and the protected totals."""
    for prefix, groups, figures in _CHARTER:
        mine = [r for r in clusters if r["action_group"] in groups]
        members = sorted({m for r in mine for m in r["_members"]})
        rec["n_" + prefix] = len(mine)
        rec[prefix + "_members"] = len(members)
        rec[prefix + "_clusters"] = ",".join(r["cluster_id"] for r in mine)
        if prefix == "collection":
            res = sorted({x for r in mine for x in _split(r["resources"])})
            rec["collection_resources_fr"] = ", ".join(labels.get(x, x) for x in res)
        else:
            rec[prefix + "_actions_fr"] = ", ".join(sorted({r["action_fr"] for r in mine if r["action_fr"]}))
        for field, (column, unit) in figures.items():
            rec[field] = float(sum(r[column] for r in mine if not _missing(r[column]))) if mine else float("nan")
            if not mine:
                continue
            rows = table[(table["level"] == 0) & (table["key"] == park) & table["action_group"].isin(groups)] \
                if table is not None else None
            if rows is None or len(rows) != 1 or any(r["cluster_id"] not in known for r in mine):
                secret.unknown("park", park, field, unit)  # a member's share is unknown: cannot check
                continue
            row = rows.iloc[0]
            secret.cells[("park", park, field)] = {
                "suppressed": bool(row[column + "_suppressed"]), "reason": row[column + "_reason"],
                "fb_level": row[column + "_fallback_level"], "fb_key": row[column + "_fallback_key"],
                "fb_value": row[column + "_fallback_value"], "unit": unit}


_ID_FIELD = {"zone": "zone_id", "park": "park_name", "heat_link": "link_id", "cluster": "cluster_id", "territory": "territory"}
_LABEL_FIELD = {"zone": "libelle", "park": "park_name", "heat_link": "link_id", "cluster": "cluster_id", "territory": "territory"}


def recommend(zones, synergies, clusters, rules=None, public=True, flows=None, feedback=None) -> pd.DataFrame:
    """Recommendations for planning documents (columns of ``fields.RECOMMENDATION_FIELDS``).

    ``rules``: a list of ``Rule``, a path to a rules CSV, or None (shipped rules). ``flows``
    (optional): the flows table (``siret``, ``resource``, ``quantity``, ``family``,
    ``direction``, ``zone_id``); without it the shares of establishments in cluster and park
    totals are unknown and those totals are withheld in public mode.
    """
    feedback = feedback or NULL_FEEDBACK
    if rules is None or isinstance(rules, (str, Path)):
        rules = load_rules(rules)
    scopes, secret = build_scopes(zones, synergies, clusters, flows=flows, public=public, feedback=feedback)
    rows = []
    dropped = 0
    for n, rule in enumerate(sorted(rules, key=lambda r: r.id)):
        feedback.check_cancelled()
        feedback.set_progress(100.0 * n / max(1, len(rules)))
        for rec in scopes.get(rule.scope_kind, []):
            if not rule.condition(rec):
                continue
            scope_id = str(rec[_ID_FIELD[rule.scope_kind]])
            used = set(template_fields(rule.text_fr) + template_fields(rule.text_en) + template_fields(rule.evidence_fr))
            hidden = secret.hidden(rule.scope_kind, scope_id, used)
            published = [f for f in rule.evidence_fields if f not in hidden and not _missing(rec.get(f))]
            if not published:
                dropped += 1
                continue
            notes_fr = [_footnote(f, hidden[f], "fr") for f in sorted(hidden)]
            notes_en = [_footnote(f, hidden[f], "en") for f in sorted(hidden)]
            evidence_fr = _render(rule.evidence_fr, rec, "fr", set(hidden))
            evidence_en = _render(rule.evidence_en, rec, "en", set(hidden))
            if notes_fr:
                evidence_fr += " " + " ".join(notes_fr)
                evidence_en += " " + " ".join(notes_en)
            rows.append({
                "document": rule.document, "instrument": rule.instrument, "theme": rule.theme,
                "scope_kind": rule.scope_kind, "scope_id": scope_id,
                "scope_label": str(rec.get(_LABEL_FIELD[rule.scope_kind]) or scope_id),
                "priority": rule.priority, "rule_id": rule.id,
                "text_fr": _render(rule.text_fr, rec, "fr", set(hidden)),
                "text_en": _render(rule.text_en, rec, "en", set(hidden)),
                "evidence": evidence_fr, "evidence_en": evidence_en,
                "sources": rule.source, "related_ids": rec.get("_related", scope_id),
                "suppressed": bool(hidden),
                "suppression_reason": " ; ".join(sorted({h["reason"] for h in hidden.values()})),
            })
    if dropped:
        feedback.info("{} recommendation(s) not written: every figure behind them is covered by the statistical "
                      "secret or missing.".format(dropped))
    return _finish(rows, public)


def _finish(rows, public) -> pd.DataFrame:
    columns = ["rec_id", "document", "instrument", "theme", "scope_kind", "scope_id", "scope_label", "priority",
               "rule_id", "text_fr", "text_en", "evidence", "evidence_en", "sources", "related_ids", "suppressed",
               "suppression_reason", "diffusion"]
    if not rows:
        return pd.DataFrame(columns=columns)
    df = pd.DataFrame(rows)
    df = df.sort_values(["document", "instrument", "theme", "scope_kind", "scope_id", "priority", "rule_id"])
    merged = []
    for _key, g in df.groupby(["document", "instrument", "theme", "scope_kind", "scope_id"], sort=True):
        first = g.iloc[0].to_dict()  # highest priority (lowest number) first
        if len(g) > 1:
            first["rule_id"] = ",".join(g["rule_id"])
            first["evidence"] = " | ".join(dict.fromkeys(g["evidence"]))
            first["evidence_en"] = " | ".join(dict.fromkeys(g["evidence_en"]))
            first["sources"] = " | ".join(dict.fromkeys(g["sources"]))
            first["related_ids"] = ",".join(dict.fromkeys(",".join(g["related_ids"]).split(",")))
            first["suppressed"] = bool(g["suppressed"].any())
            first["suppression_reason"] = " ; ".join(sorted({x for x in g["suppression_reason"] if x}))
        merged.append(first)
    out = pd.DataFrame(merged)
    order = {d: i for i, d in enumerate(DOCUMENTS)}
    out["_doc"] = out["document"].map(order)
    out = out.sort_values(["_doc", "priority", "theme", "scope_id", "rule_id"]).drop(columns="_doc").reset_index(drop=True)
    out["rec_id"] = ["R{:04d}".format(i + 1) for i in range(len(out))]
    out["diffusion"] = conf.PUBLIC_MARK if public else conf.CONFIDENTIAL_MARK
    return out[columns]
