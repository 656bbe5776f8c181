"""Recommendation rules: the readable rules file (``resources/rules/recommendations.csv``),
its condition language and templates, validated with messages that name the row and column.
Split from ``core.recommendations`` (which re-exports these names)."""
from __future__ import annotations

import math
import re
import string
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..paths import RULES_DIR
from .errors import EitInputError

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
        "cluster_actions_sited", "zone_ref_en", "supplier_zones_in_en", "receiver_zones_out_en",
        "cluster_actions_sited_en",
    ),
    "park": (
        "park_name", "n_zones", "zone_ids", "zone_labels", "communes", "n_establishments", "n_high_zones",
        "eit_potential_best", "n_synergies", "n_clusters", "heat_supply_mwh", "waste_supply_t",
        "n_collection", "collection_members", "collection_clusters", "collection_resources_fr",
        "collection_quantity_t", "collection_truck_km", "n_utility", "utility_members", "utility_clusters",
        "utility_actions_fr", "utility_co2_t", "n_service", "service_members", "service_clusters",
        "service_actions_fr", "n_exchange", "exchange_members", "exchange_clusters", "exchange_actions_fr",
        "exchange_co2_t", "collection_resources_en", "utility_actions_en", "service_actions_en", "exchange_actions_en",
    ),
    "heat_link": (
        "link_id", "supplier_zone", "receiver_zone", "supplier_libelle", "receiver_libelle", "receiver_commune",
        "receiver_is_future", "receiver_is_housing", "supplier_is_activity", "n_suppliers", "n_synergies",
        "synergy_ids", "distance_m", "distance_max_m", "mwh_recovered", "co2_avoided_t", "pm10_avoided_kg",
        "nox_avoided_kg", "receiver_housing_heat_demand_mwh", "receiver_dwellings", "corridor_width_m",
        "corridor_land_m2", "confidence", "supplier_libelle_en", "receiver_libelle_en",
    ),
    "cluster": (
        "cluster_id", "kind", "action", "action_fr", "action_en", "facility", "action_group", "resources", "resources_fr", "n_members", "unit",
        "total_quantity", "truck_km_avoided", "co2_avoided_t", "land_m2", "site_zone", "site_libelle",
        "site_commune", "site_is_activity", "has_site", "site_reason", "zone_ids", "n_zones", "park_name",
        "resources_en", "site_libelle_en",
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
    # optional columns (a rules file without them still loads)
    instrument_en: str = ""
    theme_en: str = ""
    source_en: str = ""
    article: str = ""
    priority_up: str = ""
    priority_down: str = ""
    raise_if: object = None
    lower_if: object = None

    def priority_of(self, record) -> tuple:
        """``(priority, reason)``: the rule's priority, one step higher (1 = high) when its
        ``priority_up`` condition holds on the record, one step lower (at most 3) when its
        ``priority_down`` condition holds; the reason names the condition that moved it."""
        if self.raise_if is not None and self.raise_if(record):
            return max(1, self.priority - 1), "+ " + self.priority_up
        if self.lower_if is not None and self.lower_if(record):
            return min(3, self.priority + 1), "- " + self.priority_down
        return self.priority, ""


def _evidence_fields(row: dict, kind: str, bad) -> list:
    """The figures the French evidence quotes, after checking that every template of the rule
    only names fields its scope has (a typo would otherwise print a blank in the report)."""
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
    return evidence_fields


def _check_texts_and_source(row: dict, evidence_fields: list, bad) -> None:
    """A recommendation a planner can act on says what, shows a figure, and says where it comes from."""
    if not row["text_fr"].strip() or not row["evidence_fr"].strip():
        raise bad("text_fr/evidence_fr", "a rule needs a French text and an evidence template")
    if not evidence_fields:
        raise bad("evidence_fr", "the evidence must quote at least one figure ({field} of the scope)")
    if not row["source"].strip():
        raise bad("source", "say where the rule comes from (publication, year) or write 'assumption'")


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
        evidence_fields = _evidence_fields(row, kind, bad)
        _check_texts_and_source(row, evidence_fields, bad)
        rules.append(Rule(rid, row["document"].strip(), row["instrument"].strip(), row["theme"].strip(), kind,
                          row["condition"], priority, row["text_fr"], row["text_en"] or row["text_fr"],
                          row["evidence_fr"], row["evidence_en"] or row["evidence_fr"], row["source"],
                          row["rationale"], condition, tuple(evidence_fields), **_optional_columns(row, kind, bad)))
    return rules


def _optional_columns(row: dict, kind: str, bad) -> dict:
    """English instrument label, theme and source (the French ones when absent), article and
    the conditions that move the priority."""
    out = {"instrument_en": (row.get("instrument_en") or "").strip() or row["instrument"].strip(),
           "theme_en": (row.get("theme_en") or "").strip() or row["theme"].strip(),
           "source_en": (row.get("source_en") or "").strip() or row["source"],
           "article": (row.get("article") or "").strip()}
    for column, compiled in (("priority_up", "raise_if"), ("priority_down", "lower_if")):
        text = (row.get(column) or "").strip()
        out[column] = text
        if text:
            try:
                out[compiled] = compile_condition(text, SCOPE_FIELDS[kind])
            except ValueError as err:
                raise bad(column, str(err)) from None
    return out


