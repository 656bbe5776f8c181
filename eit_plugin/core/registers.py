"""Public registers of industrial sites → ``registered`` flows (Géorisques IREP / GEREP).

Each year Géorisques publishes the declarations of the sites subject to the GEREP reporting
(large emitters, waste producers above the thresholds) as a zip of CSV files, read here as
published (folder or zip; ``;`` or ``,``; UTF-8 or Windows-1252; header case varying by year):

- ``etablissements.csv``: ``identifiant, nom_etablissement, numero_siret, coordonnees_x,
  coordonnees_y, code_epsg, code_ape…`` — matched to the establishments by SIRET;
- ``Prod_dechets_dangereux.csv`` / ``Prod_dechets_non_dangereux.csv``: ``identifiant,
  code_dechet`` (List of Waste, ``07 07 08*``), ``quantite`` (t/yr) → waste supplies, the
  resource found from the code through ``taxonomy.csv`` (``ewc_codes``);
- ``Prelevements.csv``: water withdrawn (m3/yr, groundwater + surface + network + sea) → a
  ``nonpotable_water`` demand (what reclaimed water could partly replace);
- ``emissions.csv``: CO2 emitted to air is evidence that the site burns fuel (it settles the
  activity profile, e.g. a cement kiln rather than a grinding station).

A quantity written ``< seuil`` (below the reporting threshold) is unknown, never zero: it
neither adds a flow nor removes the estimate of that resource.

Precedence (:func:`apply_registered`): declared beats registered beats estimated; the
estimated rows of a registered site in the same family and direction are replaced, not added
to. Cost: O(rows of the register files) with pandas joins.
"""
from __future__ import annotations

import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..i18n import tr
from . import reference
from .declared import DIRECTION_LETTER, FLOW_COLUMNS
from .errors import EitInputError
from .tables import read_table

ORIGIN_REGISTERED = "registered"
CONFIDENCE_REGISTERED = 0.9  # the operator's own yearly figure; the code → resource mapping is ours
FILES = {
    "sites": "etablissements",
    "waste_hazardous": "prod_dechets_dangereux",
    "waste_other": "prod_dechets_non_dangereux",
    "water": "prelevements",
    "emissions": "emissions",
}
WATER_COLUMNS = ("prelevements_eaux_souterraines", "prelevements_eaux_surface", "prelevements_reseau_distribution",
                 "prelevements_mer")


@dataclass
class RegisterReport:
    label: str = ""
    years: list = field(default_factory=list)
    n_sites: int = 0
    n_matched: int = 0
    unmatched: list = field(default_factory=list)  # (identifiant, name, siret)
    n_rows: int = 0
    n_below_threshold: int = 0
    unmapped_codes: dict = field(default_factory=dict)  # code -> tonnes
    n_used: int = 0
    n_replaced: int = 0
    n_combustion_sites: int = 0
    n_position_mismatch: int = 0

    def lines(self) -> list:
        out = [tr("Registers ({label}, year {years}): {sites} sites, {matched} matched to the establishments by SIRET; "
                  "{used} registered flows used, {replaced} estimated flows replaced.").format(
            label=self.label or "-", years=", ".join(str(y) for y in self.years) or "?", sites=self.n_sites,
            matched=self.n_matched, used=self.n_used, replaced=self.n_replaced)]
        if self.n_below_threshold:
            out.append(tr("{} register quantities are '< seuil' (below the reporting threshold): kept as unknown, "
                          "the estimate of that resource stays.").format(self.n_below_threshold))
        if self.unmapped_codes:
            codes = sorted(self.unmapped_codes.items(), key=lambda kv: (-kv[1], kv[0]))[:8]
            out.append(tr("Registered waste under List-of-Waste codes no resource of taxonomy.csv lists, left out: {}. "
                          "Add the codes to a resource's ewc_codes to use them.").format(
                ", ".join("{} ({:.0f} t)".format(c, q) for c, q in codes)))
        if self.unmatched:
            shown = ["{} ({})".format(name, siret or tr("no SIRET")) for _i, name, siret in self.unmatched[:8]]
            out.append(tr("{n} register sites have no SIRET among the establishments (outside the territory or "
                          "SIRET changed): {sites}.").format(n=len(self.unmatched), sites="; ".join(shown)))
        if self.n_position_mismatch:
            out.append(tr("{} matched sites lie more than 2 km from their register coordinates: the SIRENE position "
                          "was kept (register coordinates are often approximate).").format(self.n_position_mismatch))
        return out


def _key(text) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower().strip()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def _frame(path: Path) -> pd.DataFrame:
    frame = read_table(path)
    return frame.rename(columns={c: _key(c) for c in frame.columns})


def _files(folder: Path) -> dict:
    """``{kind: path}`` of the register files in a folder (searched recursively, names without case)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in (".csv", ".txt"):
            stem = _key(path.stem)
            for kind, name in FILES.items():
                if stem == name and kind not in found:
                    found[kind] = path
    return found


def _quantity(values: pd.Series) -> tuple:
    """``(numbers, below)``: '1 234,5' → 1234.5; '< seuil' and blanks → NaN, ``below`` marks '< seuil'."""
    text = values.fillna("").astype(str).str.strip()
    below = text.str.contains("seuil", case=False) | text.str.startswith("<")
    clean = text.str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False).str.replace(",", ".", regex=False)
    return pd.to_numeric(clean.where(~below & (clean != ""), None), errors="coerce"), below


def _siret(value) -> str | None:
    digits = re.sub(r"\D", "", "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value))
    return digits.zfill(14) if 9 < len(digits) <= 14 else None


def read_registers(path, label: str = "") -> dict:
    """Read one published year (folder or zip) → ``{"sites", "waste", "water", "emissions"}`` frames.

    ``sites``: ``identifiant, name, siret, x_reg, y_reg, epsg, naf``; ``waste``: ``identifiant,
    code`` (6 digits), ``hazardous``, ``quantity`` (t, NaN = unknown), ``below``, ``year``;
    ``water``: ``identifiant, quantity`` (m3), ``below``, ``year``; ``emissions``:
    ``identifiant, co2_kg``. Raises ``EitInputError`` when no ``etablissements.csv`` is found."""
    path = Path(path)
    if not path.exists():
        raise EitInputError(tr("Register file or folder not found: '{}'. Give the unzipped folder or the zip of one "
                               "year of the Géorisques IREP data.").format(path))
    if path.is_file() and zipfile.is_zipfile(path):
        with tempfile.TemporaryDirectory(prefix="eit_irep_") as tmp:
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.namelist() if m.lower().endswith((".csv", ".txt")) and ".." not in m]
                archive.extractall(tmp, members)
            return _read_folder(Path(tmp), label or path.name)
    return _read_folder(path if path.is_dir() else path.parent, label or path.name)


def _read_folder(folder: Path, label: str) -> dict:
    files = _files(folder)
    if "sites" not in files:
        raise EitInputError(tr("Registers '{}': no etablissements.csv found. Give the folder (or zip) of one year of "
                               "the Géorisques IREP data, as published.").format(label))
    raw = _frame(files["sites"])
    col = _column_finder(raw, label, "etablissements.csv")
    sites = pd.DataFrame({
        "identifiant": raw[col("identifiant")].astype(str).str.strip(),
        "name": raw[col("nom_etablissement", "nom")].fillna("").astype(str).str.strip(),
        "siret": raw[col("numero_siret", "siret")].map(_siret),
        "x_reg": pd.to_numeric(_optional(raw, "coordonnees_x").str.replace(",", ".", regex=False), errors="coerce"),
        "y_reg": pd.to_numeric(_optional(raw, "coordonnees_y").str.replace(",", ".", regex=False), errors="coerce"),
        "epsg": _optional(raw, "code_epsg", "epsg").str.strip(),
        "naf": _optional(raw, "code_ape", "ape").str.strip(),
    }).drop_duplicates("identifiant")
    out = {"sites": sites, "waste": _waste(files, label), "water": _water(files, label),
           "emissions": _emissions(files, label)}
    return out


def _optional(frame: pd.DataFrame, *names) -> pd.Series:
    """The first of ``names`` present, as text ('' where absent)."""
    for n in names:
        if n in frame.columns:
            return frame[n].fillna("").astype(str)
    return pd.Series("", index=frame.index, dtype=object)


def _column_finder(frame: pd.DataFrame, label: str, name: str):
    def col(*names, required=True):
        for n in names:
            if n in frame.columns:
                return n
        if required:
            raise EitInputError(tr("Registers '{label}': {file} has no column {col}; columns found: {found}.").format(
                label=label, file=name, col=" / ".join(names), found=", ".join(frame.columns)))
        return None
    return col


def _waste(files: dict, label: str) -> pd.DataFrame:
    parts = []
    for kind in ("waste_hazardous", "waste_other"):
        if kind not in files:
            continue
        raw = _frame(files[kind])
        col = _column_finder(raw, label, files[kind].name)
        qty, below = _quantity(raw[col("quantite", "quantite_t", "quantite_tonnes")])
        code = raw[col("code_dechet", "code_dechets")].fillna("").astype(str)
        year = _optional(raw, "annee").replace("", None)
        abroad = _optional(raw, "pays").str.strip() != ""
        parts.append(pd.DataFrame({
            "identifiant": raw[col("identifiant")].astype(str).str.strip(),
            "code": [reference.normalise_ewc(c)[0] or "" for c in code],
            "hazardous": code.str.contains(r"\*") | (kind == "waste_hazardous"),
            "quantity": qty, "below": below, "year": year, "abroad": abroad}))
    if not parts:
        return pd.DataFrame(columns=["identifiant", "code", "hazardous", "quantity", "below", "year", "abroad"])
    return pd.concat(parts, ignore_index=True)


def _water(files: dict, label: str) -> pd.DataFrame:
    if "water" not in files:
        return pd.DataFrame(columns=["identifiant", "quantity", "below", "year"])
    raw = _frame(files["water"])
    col = _column_finder(raw, label, files["water"].name)
    total = pd.Series(0.0, index=raw.index)
    any_known = pd.Series(False, index=raw.index)
    any_below = pd.Series(False, index=raw.index)
    for name in WATER_COLUMNS:
        if name in raw.columns:
            qty, below = _quantity(raw[name])
            total = total + qty.fillna(0.0)
            any_known |= qty.notna()
            any_below |= below
    return pd.DataFrame({"identifiant": raw[col("identifiant")].astype(str).str.strip(),
                         "quantity": total.where(any_known, np.nan), "below": any_below & ~any_known,
                         "year": _optional(raw, "annee").replace("", None)})


def _emissions(files: dict, label: str) -> pd.DataFrame:
    if "emissions" not in files:
        return pd.DataFrame(columns=["identifiant", "co2_kg"])
    raw = _frame(files["emissions"])
    col = _column_finder(raw, label, files["emissions"].name)
    milieu = _optional(raw, "milieu").str.strip().str.lower()
    pollutant = raw[col("polluant")].fillna("").astype(str)
    qty, _below = _quantity(raw[col("quantite")])
    co2 = pollutant.str.upper().str.contains("CO2") & (milieu.str.startswith("air") | (milieu == ""))
    frame = pd.DataFrame({"identifiant": raw[col("identifiant")].astype(str).str.strip(), "co2_kg": qty})[co2]
    return frame.groupby("identifiant", as_index=False)["co2_kg"].max()


def _ewc_resources(taxonomy: pd.DataFrame) -> dict:
    """``{6-digit code: resource}`` from ``taxonomy.csv`` (first resource listing the code)."""
    mapping = {}
    for code, listed in zip(taxonomy["code"], taxonomy["ewc_codes"]):
        for c in str(listed).split():
            norm = reference.normalise_ewc(c)[0]
            if norm:
                mapping.setdefault(norm, code)
    return mapping


def registered_flows(registers: dict, establishments: pd.DataFrame, taxonomy: pd.DataFrame | None = None,
                     report: RegisterReport | None = None) -> tuple:
    """Register rows of the sites matched by SIRET → ``(flows, combustion, report)``.

    ``flows``: ``FLOW_COLUMNS`` rows with ``origin = registered`` (quantity NaN for '< seuil':
    known to exist, amount unknown); ``combustion``: ``{siret: bool}`` for the matched sites
    (True when CO2 to air is declared) — evidence for the activity profile."""
    taxonomy = reference.load_taxonomy() if taxonomy is None else taxonomy
    report = report or RegisterReport()
    info = taxonomy.set_index("code")[["family", "unit"]].to_dict("index")
    places = establishments.drop_duplicates("siret").set_index("siret")
    sites = registers["sites"]
    report.n_sites = len(sites)
    matched = sites[sites["siret"].isin(places.index)]
    report.n_matched = len(matched)
    report.unmatched = [(i, n, s) for i, n, s in zip(sites["identifiant"], sites["name"], sites["siret"])
                        if s not in places.index]
    site_of = dict(zip(matched["identifiant"], matched["siret"]))
    rows = []
    waste = registers["waste"]
    waste = waste[waste["identifiant"].isin(site_of) & ~waste["abroad"].astype(bool)]
    ewc_map = _ewc_resources(taxonomy)
    report.n_rows += len(waste)
    report.n_below_threshold += int(waste["below"].sum())
    waste = waste.assign(resource=waste["code"].map(ewc_map), siret=waste["identifiant"].map(site_of))
    unmapped = waste[waste["resource"].isna()]
    for code, qty in unmapped.groupby("code")["quantity"].sum().items():
        report.unmapped_codes[reference.format_ewc(code, False) if code else "?"] = float(qty)
    years = sorted({str(y) for y in pd.concat([waste["year"], registers["water"]["year"]]).dropna().unique()})
    report.years = years
    for (siret, resource), g in waste[waste["resource"].notna()].groupby(["siret", "resource"], sort=True):
        known = g["quantity"].dropna()
        biggest = g.sort_values("quantity", ascending=False, na_position="last").iloc[0]
        rows.append((siret, "supply", resource, float(known.sum()) if len(known) else np.nan,
                     reference.format_ewc(biggest["code"], bool(biggest["hazardous"])) if biggest["code"] else "",
                     "IREP {} — {}".format("/".join(years) or "?", tr("waste production by List-of-Waste code"))))
    water = registers["water"]
    water = water[water["identifiant"].isin(site_of)]
    report.n_below_threshold += int(water["below"].sum())
    for ident, qty in zip(water["identifiant"], water["quantity"]):
        rows.append((site_of[ident], "demand", "nonpotable_water", qty, "",
                     "IREP {} — {}".format("/".join(years) or "?", tr("water withdrawals"))))
    frame = pd.DataFrame(rows, columns=["siret", "direction", "resource", "quantity", "ewc_code", "ratio_source"])
    frame = frame.groupby(["siret", "direction", "resource"], as_index=False, sort=True).agg(
        quantity=("quantity", lambda q: q.sum(min_count=1)), ewc_code=("ewc_code", "first"),
        ratio_source=("ratio_source", "first"))
    frame = frame.join(places[["name", "naf", "x", "y"]], on="siret")
    frame["family"] = frame["resource"].map(lambda r: info[r]["family"])
    frame["unit"] = frame["resource"].map(lambda r: info[r]["unit"])
    frame["flow_id"] = frame["siret"] + ":" + frame["direction"].map(DIRECTION_LETTER) + ":" + frame["resource"]
    frame["temperature_c"] = np.nan
    frame["origin"] = ORIGIN_REGISTERED
    frame["confidence"] = CONFIDENCE_REGISTERED
    emissions = registers["emissions"]
    co2 = set(emissions.loc[emissions["co2_kg"].fillna(0) > 0, "identifiant"])
    combustion = {siret: ident in co2 for ident, siret in site_of.items()}
    report.n_combustion_sites = sum(combustion.values())
    return frame[FLOW_COLUMNS].reset_index(drop=True), combustion, report


def apply_registered(flows: pd.DataFrame, registered: pd.DataFrame, report: RegisterReport) -> pd.DataFrame:
    """Registered rows replace the estimated rows of their site in the same family and
    direction; a '< seuil' row (unknown quantity) keeps the estimate of its resource."""
    known = registered[registered["quantity"].notna()]
    unknown_ids = set(registered.loc[registered["quantity"].isna(), "flow_id"])
    groups = set(zip(known["siret"], known["family"], known["direction"]))
    in_group = pd.Series([(s, f, d) in groups for s, f, d in zip(flows["siret"], flows["family"], flows["direction"])],
                         index=flows.index, dtype=bool)
    estimated = flows["origin"] != ORIGIN_REGISTERED
    drop = in_group & estimated & ~flows["flow_id"].isin(unknown_ids)
    report.n_replaced = int(drop.sum())
    report.n_used = len(known)
    combined = pd.concat([flows[~drop], known[FLOW_COLUMNS]], ignore_index=True)
    combined = combined.drop_duplicates("flow_id", keep="last")
    return combined.sort_values("flow_id", kind="mergesort").reset_index(drop=True)


def check_positions(sites: pd.DataFrame, establishments: pd.DataFrame, report: RegisterReport,
                    tolerance_m: float = 2000.0) -> int:
    """Count the matched sites whose register position (``x``, ``y`` in EPSG:2154, reprojected
    from the row's ``code_epsg``) lies more than ``tolerance_m`` from the establishment: the
    establishment's position is kept either way (register coordinates are often approximate)."""
    places = establishments.drop_duplicates("siret").set_index("siret")[["x", "y"]]
    both = sites[sites["siret"].isin(places.index) & sites["x"].notna()]
    here = places.loc[both["siret"]]
    gap = np.hypot(both["x"].to_numpy(dtype=float) - here["x"].to_numpy(dtype=float),
                   both["y"].to_numpy(dtype=float) - here["y"].to_numpy(dtype=float))
    report.n_position_mismatch = int(np.nansum(gap > tolerance_m))
    return report.n_position_mismatch
