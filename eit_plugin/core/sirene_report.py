"""What a SIRENE import skipped or noted, and why: the categories (a row is counted once, under
the first reason in :data:`CATEGORIES` order), the ``SKIPPED`` table schema and the
:class:`ImportReport` with example line numbers."""
from __future__ import annotations

from dataclasses import dataclass

from ..i18n import tr
from .fields import F


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
    Category("axes_swapped_unconfirmed", "skipped",
             "X et Y inversés, non réparé : aucune autre source (coordonnées Lambert du fichier établissements, "
             "autres établissements de la commune) ne confirme le point échangé",
             "X and Y swapped, not repaired: no other source (the establishment file's Lambert coordinates, the "
             "other establishments of the commune) confirms the exchanged point"),
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


def rows_lost_to_quotes(spans) -> list:
    """Messages for the records of a CSV that ran over several lines because a quote opened
    and did not close: where it opens and how many lines were swallowed."""
    return [tr("Line {start}: a quote (\") opens and is not closed before line {end}: lines {start} to {end} were "
               "read as one row and {lost} rows are lost. Fix the quote on line {start} and run again.").format(
                start=start, end=end, lost=end - start + 1)
            for start, end in spans]


#: Categories worth a warning (not only a line of the summary): data that is probably wrong.
WARN_CATEGORIES = ("malformed_row", "zero_coordinates", "degrees_as_metres", "out_of_extent", "axes_swapped",
                   "axes_swapped_unconfirmed",
                   "far_from_commune", "geo_far_from_stock", "geo_implausible", "geo_malformed_row")
