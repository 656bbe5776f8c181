"""Rules engine: zones, synergies and clusters → recommendations for planning documents.

The rules live in a CSV file a planner can read and edit (``resources/rules/recommendations.csv``,
one rule per row): ``id, document, instrument, theme, scope_kind, condition, priority,
text_fr, text_en, evidence_fr, evidence_en, source, rationale`` and, optionally,
``instrument_en`` (the instrument in English), ``article`` (the articles of the Code de
l'urbanisme it acts on), ``priority_up`` / ``priority_down`` (conditions that move the
priority one step up or down, read on published figures only in public mode).

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
scope are merged (highest priority, evidence joined). ``recommend`` then groups them into one
item per place and purpose (``core.recommendation_sections.group``): the rows of the
GeoPackage's ``recommendations`` layer, which the report prints as they are.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import confidentiality as conf
from . import recommendation_sections
from .feedback import NULL_FEEDBACK
from .recommendation_rules import (  # noqa: F401 - public names of this module before the split
    CORRIDOR_WIDTH_M,
    DEFAULT_RULES,
    DOCUMENTS,
    MAX_PARK_COMMUNES,
    RULE_COLUMNS,
    SCOPE_FIELDS,
    SECRET_FIELDS,
    TERRITORY,
    Rule,
    _missing,
    compile_condition,
    load_rules,
    template_fields,
)
from .recommendation_scopes import (  # noqa: F401
    action_group,
    build_scopes,
    prepare_zones,
    protected_zone_figures,
)
from .recommendation_texts import (  # noqa: F401
    _footnote,
    _render,
    commune_list,
    commune_name,
    format_number,
    resolve_plurals,
    zone_reference,
)

_ID_FIELD = {"zone": "zone_id", "park": "park_name", "heat_link": "link_id", "cluster": "cluster_id", "territory": "territory"}
_LABEL_FIELD = {"zone": "libelle", "park": "park_name", "heat_link": "link_id", "cluster": "cluster_id", "territory": "territory"}


def recommend(zones, synergies, clusters, rules=None, public=True, flows=None, feedback=None) -> pd.DataFrame:
    """Recommendations for planning documents, one row per place and purpose listing its
    instruments (columns of ``fields.RECOMMENDATION_FIELDS``): the table the GeoPackage's
    ``recommendations`` layer holds and the report prints.

    ``rules``: a list of ``Rule``, a path to a rules CSV, or None (shipped rules). ``flows``
    (optional): the flows table (``siret``, ``resource``, ``quantity``, ``family``,
    ``direction``, ``zone_id``); without it the shares of establishments in cluster and park
    totals are unknown and those totals are withheld in public mode.
    """
    rows = evaluate(zones, synergies, clusters, rules=rules, public=public, flows=flows, feedback=feedback)
    return recommendation_sections.group(rows, zones, clusters, public)


def evaluate(zones, synergies, clusters, rules=None, public=True, flows=None, feedback=None) -> pd.DataFrame:
    """What the rules find: one row per rule and scope (rows of one document, instrument,
    theme and scope merged), before ``recommend`` groups them by place and purpose."""
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
            row = _rule_row(rule, rec, secret)
            if row is None:
                dropped += 1
                continue
            rows.append(row)
    if dropped:
        feedback.info("{} recommendation(s) not written: every figure behind them is covered by the statistical "
                      "secret or missing.".format(dropped))
    return _finish(rows, public)


def _rule_row(rule, rec, secret):
    """One rule on one scope record, or None when none of its figures may be published."""
    scope_id = str(rec[_ID_FIELD[rule.scope_kind]])
    used = set(template_fields(rule.text_fr) + template_fields(rule.text_en) + template_fields(rule.evidence_fr))
    hidden = secret.hidden(rule.scope_kind, scope_id, used)
    published = [f for f in rule.evidence_fields if f not in hidden and not _missing(rec.get(f))]
    if not published:
        return None
    notes_fr = [_footnote(f, hidden[f], "fr") for f in sorted(hidden)]
    notes_en = [_footnote(f, hidden[f], "en") for f in sorted(hidden)]
    evidence_fr = _render(rule.evidence_fr, rec, "fr", set(hidden))
    evidence_en = _render(rule.evidence_en, rec, "en", set(hidden))
    if notes_fr:
        evidence_fr += " " + " ".join(notes_fr)
        evidence_en += " " + " ".join(notes_en)
    # the priority reads only what may be published: a withheld figure counts as missing
    masked = secret.hidden(rule.scope_kind, scope_id, SECRET_FIELDS.get(rule.scope_kind, ()))
    priority, reason = rule.priority_of({**rec, **{f: float("nan") for f in masked}})
    return {
        "document": rule.document, "instrument": rule.instrument, "instrument_en": rule.instrument_en,
        "article": rule.article, "theme": rule.theme, "theme_en": rule.theme_en, "scope_kind": rule.scope_kind, "scope_id": scope_id,
        "scope_label": str(rec.get(_LABEL_FIELD[rule.scope_kind]) or scope_id),
        "priority": priority, "priority_reason": reason, "rule_id": rule.id,
        "text_fr": _render(rule.text_fr, rec, "fr", set(hidden)),
        "text_en": _render(rule.text_en, rec, "en", set(hidden)),
        "evidence": evidence_fr, "evidence_en": evidence_en,
        "sources": rule.source, "sources_en": rule.source_en, "related_ids": rec.get("_related", scope_id),
        "suppressed": bool(hidden),
        "suppression_reason": " ; ".join(sorted({h["reason"] for h in hidden.values()})),
    }


RULE_ROW_COLUMNS = ["rec_id", "document", "instrument", "instrument_en", "article", "theme", "theme_en", "scope_kind",
                    "scope_id", "scope_label", "priority", "priority_reason", "rule_id", "text_fr", "text_en", "evidence",
                    "evidence_en", "sources", "sources_en", "related_ids", "suppressed", "suppression_reason", "diffusion"]


def _finish(rows, public) -> pd.DataFrame:
    columns = RULE_ROW_COLUMNS
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
            first["sources_en"] = " | ".join(dict.fromkeys(g["sources_en"]))
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
