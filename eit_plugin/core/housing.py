"""Housing helpers of the zone overlay: the function a zone's long label states, the commune
of a zone, and the calibration of estimated dwellings to a census count per commune."""
from __future__ import annotations

import math
import re
import unicodedata

import pandas as pd

from ..i18n import tr


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _codes(value) -> list:
    if _blank(value):
        return []
    text = str(value)
    for sep in (";", ",", "|", "/"):
        text = text.replace(sep, " ")
    return [c.strip() for c in text.split() if c.strip()]


DESTDOMI_FUNCTION = {"01": "habitat", "02": "activite", "03": "mixte", "04": "loisirs", "05": "equipement",
                     "07": "agricole", "08": "naturel", "09": "naturel", "10": "carriere", "00": "autre", "99": "autre"}


def typezone_class(value) -> str:
    """CNIG TYPEZONE → ``U``, ``AU``, ``A``, ``N``, ``other`` (ZZ, legacy) or ``unknown`` (NULL)."""
    if _blank(value):
        return "unknown"
    code = str(value).strip().upper()
    if code.startswith("AU"):
        return "AU"
    if code in ("U", "A", "N"):
        return code
    return "other"


def zone_function(destdomi=None, formdomi=None, destoui=None, typezone=None, libelong=None) -> str:
    """Dominant function: ``habitat``, ``activite``, ``mixte``, ``loisirs``, ``equipement``,
    ``agricole``, ``naturel``, ``carriere``, ``autre`` or ``inconnu``.

    From DESTDOMI (CNIG 2017); else FORMDOMI (2024; first two digits read like DESTDOMI
    for 01 habitat, 02 activité, 03 mixte); else DESTOUI (allowed destinations: 2x
    habitation with 3x/5x activities → mixte, 2x only → habitat, 3x/5x only → activité);
    else the long label (LIBELONG « à vocation d'habitat », « dédiée aux activités »…);
    else TYPEZONE A → agricole, N → naturel. A DESTDOMI of 01 (habitat) whose label
    dedicates the zone to something else (activities, public facilities, gardens) takes the
    label's function: 01 is often left as the default value of the field."""
    stated = label_function(libelong)
    if not _blank(destdomi):
        code = str(destdomi).strip().zfill(2)[:2]
        if code in DESTDOMI_FUNCTION:
            if code == "01" and stated in ("activite", "equipement", "loisirs"):
                return stated
            return DESTDOMI_FUNCTION[code]
    if not _blank(formdomi):
        prefix = str(formdomi).strip().zfill(4)[:2]
        if prefix in ("01", "02", "03"):
            return DESTDOMI_FUNCTION[prefix]
    allowed = _codes(destoui)
    if allowed:
        housing = any(c.startswith("2") for c in allowed)
        activity = any(c[:1] in ("3", "5") for c in allowed)
        if housing and activity:
            return "mixte"
        if housing:
            return "habitat"
        if activity:
            return "activite"
    if stated is not None:
        return stated
    tz = typezone_class(typezone)
    if tz == "A":
        return "agricole"
    if tz == "N":
        return "naturel"
    return "inconnu"


def _fold(text) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[\s'’_-]+", " ", text)


# What a zone's long label says about its function (CNIG LIBELONG, free text written by the
# planner). Read as « à vocation / dédiée / réservée / destinée … » followed by the use; a
# label naming both housing and activities is mixed.
_LABEL_PURPOSE = re.compile(r"(vocation|dedie|reserve|destine|affecte|accueil|caractere)\w*\s+(.{0,80})")
_LABEL_USES = (
    ("habitat", re.compile(r"habitat|habitation|logement|residentiel|pavillon")),
    ("activite", re.compile(r"activite|economi|industri|artisan|commerc|tertiaire|logisti")),
    ("equipement", re.compile(r"equipement|service public|interet collectif")),
    ("loisirs", re.compile(r"loisir|touris|sport|jardin|camping|hebergement leger")),
)


def label_function(libelong) -> str | None:
    """Function a zone's long label states (« à vocation d'habitat » → ``habitat``,
    « dédiée au développement économique » → ``activite``, both → ``mixte``), else None."""
    if _blank(libelong):
        return None
    text = _fold(libelong)
    found = []
    for match in _LABEL_PURPOSE.finditer(text):
        for name, pattern in _LABEL_USES:
            if pattern.search(match.group(2)) and name not in found:
                found.append(name)
    if not found:
        return None
    if "habitat" in found and "activite" in found:
        return "mixte"
    return found[0]


CENSUS_INSEE = ("insee", "codgeo", "code_insee", "com", "code_commune", "depcom", "insee_com")
CENSUS_DWELLINGS = ("dwellings", "logements", "nb_logements", "log", "p21_log", "p20_log", "p19_log", "p18_log",
                    "p17_log", "p16_log", "p15_log")


def read_census(frame: pd.DataFrame, label: str = "") -> pd.DataFrame:
    """A census table (one row per commune) → ``insee, dwellings``. Columns matched without
    case: the commune code (``insee``, ``CODGEO``…) and the dwelling count (``dwellings``,
    ``logements``, INSEE's ``P21_LOG``…)."""
    from .errors import EitInputError

    cols = {str(c).strip().lower(): c for c in frame.columns}
    code = next((cols[c] for c in CENSUS_INSEE if c in cols), None)
    count = next((cols[c] for c in CENSUS_DWELLINGS if c in cols), None)
    if code is None or count is None:
        raise EitInputError(tr("Census table '{label}': expected a commune code column (insee or CODGEO) and a "
                               "dwelling count column (dwellings, logements or P21_LOG); columns found: {cols}.").format(
            label=label, cols=", ".join(map(str, frame.columns))))
    out = pd.DataFrame({"insee": frame[code].astype(str).str.strip().str.zfill(5),
                        "dwellings": pd.to_numeric(frame[count].astype(str).str.replace(",", ".").str.replace(" ", ""),
                                                   errors="coerce")})
    return out[out["dwellings"].notna() & (out["dwellings"] >= 0)].drop_duplicates("insee")


def census_problems(frame: pd.DataFrame, census: pd.DataFrame, zone_codes, label: str = "") -> list:
    """Warnings about a census table read by :func:`read_census` (``frame``: the table as read,
    line 2 = its first row): counts that are not a positive number and commune codes that are
    not INSEE codes (rows ignored, lines named), codes that match no zone's commune."""
    cols = {str(c).strip().lower(): c for c in frame.columns}
    code = next(cols[c] for c in CENSUS_INSEE if c in cols)
    count = next(cols[c] for c in CENSUS_DWELLINGS if c in cols)
    values = pd.to_numeric(frame[count].astype(str).str.replace(",", ".").str.replace(" ", ""), errors="coerce")
    problems = []
    bad = [(i + 2, v) for i, (v, n) in enumerate(zip(frame[count], values)) if pd.isna(n) or n < 0]
    if bad:
        problems.append(tr("Census table '{label}': {n} rows ignored, their dwelling count is not a positive number "
                           "(line: value): {rows}.").format(
            label=label, n=len(bad), rows=", ".join("{}: '{}'".format(line, v) for line, v in bad[:5])))
    codes = frame[code].astype(str).str.strip()
    malformed = [(i + 2, c) for i, c in enumerate(codes) if not re.match(r"^\d[\dAB]\d{2,3}$", c)]
    if malformed:
        problems.append(tr("Census table '{label}': {n} commune codes are not INSEE codes (5 characters, e.g. 73065) "
                           "(line: code): {rows}.").format(
            label=label, n=len(malformed), rows=", ".join("{}: '{}'".format(line, c) for line, c in malformed[:5])))
    known = {c for c in zone_codes if c}
    unknown = sorted(set(census["insee"]) - known)
    if unknown and len(unknown) == len(census):
        problems.append(tr("Census table '{label}': none of its {n} communes is a commune of the zones (e.g. {codes}): "
                           "no housing was scaled. Check the codes (INSEE, with the leading 0) and that the zones "
                           "have an INSEE field.").format(label=label, n=len(census), codes=", ".join(unknown[:5])))
    elif unknown:
        problems.append(tr("Census table '{label}': {n} communes are not among the zones' communes and are not used: "
                           "{codes}.").format(label=label, n=len(unknown), codes=", ".join(unknown[:10])))
    return problems


def zone_communes(zones: pd.DataFrame) -> list:
    """Commune code of each zone: its INSEE field, else the commune prefix of IDURBA
    (``41175_PLU_20140603`` → ``41175``; an EPCI's SIREN prefix gives nothing)."""
    insee = zones["insee"] if "insee" in zones.columns else pd.Series([None] * len(zones), index=zones.index)
    idurba = zones["idurba"] if "idurba" in zones.columns else pd.Series([None] * len(zones), index=zones.index)
    out = []
    for a, b in zip(insee, idurba):
        if not _blank(a):
            out.append(str(a).strip().zfill(5))
            continue
        match = re.match(r"^(\d[\dAB]\d{3})_", "" if _blank(b) else str(b).strip())
        out.append(match.group(1) if match else None)
    return out


def calibrate_housing(hz: pd.DataFrame, z: pd.DataFrame, census: pd.DataFrame) -> pd.DataFrame:
    """Scale the density estimate of existing zones so that each commune's dwellings (layer +
    estimate) match the census count; future (AU) zones are planned dwellings and stay as
    estimated. Zones scaled get ``housing_source = census_calibrated``."""
    hz = hz.copy()
    target = dict(zip(census["insee"], census["dwellings"]))
    commune = pd.Series(z["insee"].to_numpy(), index=hz.index)
    existing = ~z["is_future"].to_numpy(dtype=bool)
    estimated = (hz["housing_source"] == "density_assumption").to_numpy() & existing
    dw = hz["housing_dwellings"].to_numpy(dtype=float)
    for code in sorted({c for c in commune if c in target}):
        in_c = (commune == code).to_numpy() & existing
        est_total = dw[in_c & estimated].sum()
        if est_total <= 0:
            continue
        factor = max(float(target[code]) - dw[in_c & ~estimated].sum(), 0.0) / est_total
        sel = in_c & estimated
        hz.loc[sel, "housing_dwellings"] = dw[sel] * factor
        hz.loc[sel, "housing_heat_demand_mwh"] = hz.loc[sel, "housing_heat_demand_mwh"].to_numpy(dtype=float) * factor
        hz.loc[sel, "housing_source"] = "census_calibrated"
    return hz


