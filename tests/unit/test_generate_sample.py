"""The shipped synthetic sample (resources/sample) and its generator (tools/generate_sample.py).

What a user of the sample relies on: the files are in the published formats, the documented
defects are there (and only them), the signal the README promises is in the data, and the
generator rebuilds the sample byte for byte.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import time
from pathlib import Path

import numpy as np
import pytest

from tools import generate_sample as gs

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample"
STOCK = SAMPLE / gs.SIRENE_FILE
GEOLOC = SAMPLE / gs.GEOLOC_FILE
DECLARED = SAMPLE / gs.DECLARED_FILE
GPKG = SAMPLE / gs.GPKG_FILE
README = SAMPLE / "README.md"

CONTRACT_SIRENE = ["siret", "activitePrincipaleEtablissement", "trancheEffectifsEtablissement",
                   "etatAdministratifEtablissement", "codeCommuneEtablissement",
                   "coordonneeLambertAbscisseEtablissement", "coordonneeLambertOrdonneeEtablissement",
                   "denominationUsuelleEtablissement", "enseigne1Etablissement"]
CONTRACT_GEOLOC = ["siret", "x", "y", "qualite_xy", "epsg"]
CONTRACT_DECLARED = ["siret", "direction", "resource", "quantity", "unit", "temperature_c", "ewc_code", "comment"]


def _stock():
    with open(STOCK, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _geoloc():
    with open(GEOLOC, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def _declared():
    raw = DECLARED.read_bytes()
    return raw, list(csv.DictReader(io.StringIO(raw.decode("cp1252"), newline=""), delimiter=";"))


def _resource_codes_from_developers():
    text = (ROOT / "DEVELOPERS.md").read_text(encoding="utf-8")
    start = text.index("Resource codes (families)")
    block = text[start:text.index("`reference.py` validates codes", start)]
    return set(re.findall(r"`([a-z_]+)`", block))


def _readme_defects():
    """SIRET → defect sentence, from the README's defect list."""
    out = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        m = re.match(r"- `(\d{14})` \(", line)
        if m:
            out[m.group(1)] = line
    return out


# -- formats -------------------------------------------------------------------------------------
def test_stock_has_the_insee_header_and_the_contract_columns():
    header = STOCK.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == gs.SIRENE_COLUMNS
    assert set(CONTRACT_SIRENE) <= set(header)
    assert "activitePrincipaleNAF25Etablissement" in header  # tolerated extra column, as INSEE now ships


def test_geolocation_file_is_semicolon_separated_with_insee_columns():
    first = GEOLOC.read_text(encoding="utf-8").splitlines()[0]
    assert first == ";".join(gs.GEOLOC_COLUMNS)
    assert set(CONTRACT_GEOLOC) <= set(first.split(";"))


def test_declared_file_is_a_french_spreadsheet_export():
    raw, rows = _declared()
    assert raw.split(b"\r\n")[0].decode("cp1252").split(";") == CONTRACT_DECLARED
    assert b"\r\n" in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # accented comments in Windows-1252, not UTF-8
    directions = {r["direction"] for r in rows}
    assert {"ressource", "besoin", "supply", "demand"} <= directions
    assert {"t", "kg", "MWh", "kWh", "m3"} <= {r["unit"] for r in rows}
    ewc = {r["ewc_code"] for r in rows if r["ewc_code"]}
    assert any(re.fullmatch(r"\d\d \d\d \d\d", c) for c in ewc)
    assert any(re.fullmatch(r"\d{6}", c) for c in ewc)
    assert any(c.endswith("*") for c in ewc)


def test_declared_resource_codes_are_developers_md_codes_except_the_documented_one():
    _, rows = _declared()
    known = _resource_codes_from_developers()
    assert {"waste_heat", "wood_waste", "animal_feed"} <= known  # the parser found the list
    unknown = {r["resource"] for r in rows} - known
    assert unknown == {"chaleur"}
    assert "`chaleur`" in README.read_text(encoding="utf-8")


# -- content -------------------------------------------------------------------------------------
def test_sirets_are_luhn_valid_except_the_documented_one():
    rows = _stock()
    bad = [r["siret"] for r in rows if not gs.luhn_valid(r["siret"])]
    assert len(bad) == 1
    assert "wrong" in _readme_defects()[bad[0]]
    assert all(len(r["siret"]) == 14 and r["siret"] == r["siren"] + r["nic"] for r in rows)
    assert all(gs.luhn_valid(r["siren"]) for r in rows)


def test_documented_defects_are_present():
    rows = _stock()
    geo = {r["siret"]: r for r in _geoloc()}
    defects = _readme_defects()
    by_kind = {}
    for siret, line in defects.items():
        by_kind.setdefault(next(k for k, v in gs.DEFECT_TEXT.items() if v in line), []).append(siret)
    stock = {}
    for r in rows:
        stock.setdefault(r["siret"], []).append(r)
    # missing coordinates: nothing in the stock, no geolocation row
    assert len(by_kind["missing_coordinates"]) == 4
    for s in by_kind["missing_coordinates"]:
        r = stock[s][0]
        assert r["coordonneeLambertAbscisseEtablissement"] == "" and s not in geo
    # unknown NAF codes
    nafs = {stock[s][0]["activitePrincipaleEtablissement"] for s in by_kind["unknown_naf"]}
    assert nafs == {"99.99Z", "00.00Z"}
    # exactly one duplicated row, identical
    dups = [s for s, rs in stock.items() if len(rs) > 1]
    assert dups == by_kind["duplicate_row"]
    assert stock[dups[0]][0] == stock[dups[0]][1]
    # EPSG:4326 rows: lon/lat in the geolocation file, empty in the stock
    for s in by_kind["epsg_4326"]:
        g = geo[s]
        assert g["epsg"] == "4326" and 5.7 < float(g["x"]) < 6.3 and 45.3 < float(g["y"]) < 45.9
        assert stock[s][0]["coordonneeLambertAbscisseEtablissement"] == ""
    assert sum(r["epsg"] != "2154" for r in geo.values()) == 2
    # orphan geolocation row
    assert sum(s not in stock for s in geo) == 1
    # closed and partially diffused rows
    closed = sum(r["etatAdministratifEtablissement"] == "F" for r in rows)
    assert 0.05 < closed / len(rows) < 0.12
    partial = [r for r in rows if r["statutDiffusionEtablissement"] == "P"]
    assert partial and all(r["coordonneeLambertAbscisseEtablissement"] == "[ND]" for r in partial)


def test_declared_flows_point_at_known_establishments_except_the_documented_one():
    _, rows = _declared()
    stock = {r["siret"] for r in _stock()}
    unknown = [r for r in rows if r["siret"] not in stock]
    assert len(unknown) == 1 and unknown[0]["comment"] == "SIRET inconnu du fichier SIRENE"
    active = {r["siret"] for r in _stock() if r["etatAdministratifEtablissement"] == "A"}
    surveyed = {r["siret"] for r in rows} & stock
    assert 0.04 < len(surveyed) / len(active) < 0.08  # "about 5 % of establishments"


def test_naf_mix_is_dominated_by_services_and_has_the_industries_the_issue_lists():
    rows = [r for r in _stock() if r["etatAdministratifEtablissement"] == "A"]
    nafs = [r["activitePrincipaleEtablissement"] for r in rows]
    services = sum(n[:2] in {"45", "46", "47", "55", "56", "62", "64", "66", "68", "69", "70", "71", "74",
                             "84", "85", "86", "88", "90", "93", "94", "96"} for n in nafs)
    assert services / len(nafs) > 0.6
    for code in ("10.51C", "16.10A", "25.62B", "22.29A", "38.21Z", "86.10Z", "93.11Z", "96.01A",
                 "55.10Z", "96.04Z", "08.12Z", "63.11Z", "35.30Z"):
        assert code in nafs, code


def test_signal_establishments_are_where_the_readme_says():
    rows = {r["siret"]: r for r in _stock()}
    text = README.read_text(encoding="utf-8")
    siren_of = {}
    for key, name, naf, *_ in gs.SIGNAL:
        m = re.search(r"\| " + key + r" \| (\d{14}) \| ([^|]+) \| ([^|]+) \|", text)
        assert m, key
        siret = m.group(1)
        assert rows[siret]["activitePrincipaleEtablissement"] == naf
        assert rows[siret]["enseigne1Etablissement"] == name
        siren_of[key] = siret
    xy = {k: (float(rows[s]["coordonneeLambertAbscisseEtablissement"]),
              float(rows[s]["coordonneeLambertOrdonneeEtablissement"])) for k, s in siren_of.items()}

    def d(a, b):
        return float(np.hypot(xy[a][0] - xy[b][0], xy[a][1] - xy[b][1]))

    assert d("uve", "blanchisserie") < 1000 and d("uve", "piscine_bissy") < 1000
    assert d("fromagerie", "porcherie") < 2000 and d("fromagerie", "methanisation") < 2500
    assert d("tl_datacenter", "piscine_bourget") < 500
    alpespace = ["alp_logistique", "alp_emballages", "alp_mecanique", "alp_grossiste", "alp_plats"]
    assert max(d(a, b) for a in alpespace for b in alpespace) < 500  # one pooling group at 500 m


# -- GeoPackage ----------------------------------------------------------------------------------
def test_gpkg_layers_zones_valid_and_not_overlapping_within_a_commune():
    ogr = pytest.importorskip("osgeo.ogr")
    ds = ogr.Open(str(GPKG))
    names = {ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())}
    assert {"zone_urba", "communes", "housing", "heat_network", "roads", "establishments_sirene"} <= names
    zl = ds.GetLayerByName("zone_urba")
    assert zl.GetSpatialRef().GetAuthorityCode(None) == "2154"
    fields = [zl.GetLayerDefn().GetFieldDefn(i).GetName() for i in range(zl.GetLayerDefn().GetFieldCount())]
    assert fields[:10] == ["IDURBA", "LIBELLE", "LIBELONG", "TYPEZONE", "DESTDOMI", "NOMFIC", "URLFIC",
                           "INSEE", "DATAPPRO", "DATVALID"]
    assert 2000 <= zl.GetFeatureCount() <= 6000
    per_commune = {}
    for f in zl:
        g = f.GetGeometryRef()
        assert g.IsValid(), f.GetFID()
        assert f.GetField("TYPEZONE") in {"U", "AUc", "AUs", "A", "N"}
        assert len(f.GetField("LIBELLE")) <= 12
        assert f.GetField("IDURBA") == "{}_PLU_{}".format(f.GetField("INSEE"), f.GetField("DATAPPRO"))
        per_commune.setdefault(f.GetField("INSEE"), []).append(g.Clone())
    for insee, geoms in per_commune.items():
        union = ogr.Geometry(ogr.wkbMultiPolygon)
        for g in geoms:
            for i in range(g.GetGeometryCount()):
                union.AddGeometry(g.GetGeometryRef(i))
        total = sum(g.GetArea() for g in geoms)
        assert abs(union.UnionCascaded().GetArea() - total) < 1.0, insee  # no overlap
    libelles = {f.GetField("LIBELLE") for f in ds.GetLayerByName("zone_urba")}
    assert {"UXt", "UXa", "UXh", "UXb", "UXl", "1AUm", "1AU", "2AU", "UA", "UB", "UC", "A", "N"} <= libelles


def test_gpkg_roads_form_one_connected_graph_and_heat_network_starts_at_the_uve():
    ogr = pytest.importorskip("osgeo.ogr")
    nx = pytest.importorskip("networkx")
    ds = ogr.Open(str(GPKG))
    graph = nx.Graph()
    for f in ds.GetLayerByName("roads"):
        pts = f.GetGeometryRef().GetPoints()
        for a, b in zip(pts[:-1], pts[1:]):
            graph.add_edge((round(a[0], 1), round(a[1], 1)), (round(b[0], 1), round(b[1], 1)))
    assert nx.number_connected_components(graph) == 1
    assert graph.number_of_edges() > 300
    rows = {r["enseigne1Etablissement"]: r for r in _stock()}
    uve = rows[gs.SIGNAL[0][1]]
    ux, uy = float(uve["coordonneeLambertAbscisseEtablissement"]), float(uve["coordonneeLambertOrdonneeEtablissement"])
    starts = [f.GetGeometryRef().GetPoint(0) for f in ds.GetLayerByName("heat_network")]
    assert min(np.hypot(p[0] - ux, p[1] - uy) for p in starts) < 100


def test_gpkg_housing_points_match_zone_dwellings_and_the_bissy_project_is_planned():
    ogr = pytest.importorskip("osgeo.ogr")
    ds = ogr.Open(str(GPKG))
    sums = ds.ExecuteSQL("SELECT sum(nb_logements), sum(nb_logements_prevus) FROM zone_urba")
    f = sums.GetNextFeature()
    zone_existing, zone_planned = f.GetField(0), f.GetField(1)
    ds.ReleaseResultSet(sums)
    pts = ds.ExecuteSQL("SELECT status, sum(dwellings) FROM housing GROUP BY status ORDER BY status")
    got = {f.GetField(0): f.GetField(1) for f in pts}
    ds.ReleaseResultSet(pts)
    assert got == {"existant": zone_existing, "projet": zone_planned}
    assert zone_existing > 50000
    q = ds.ExecuteSQL("SELECT nb_logements_prevus, TYPEZONE FROM zone_urba WHERE LIBELLE = '1AUm'")
    f = q.GetNextFeature()
    assert f.GetField(1) == "AUc" and f.GetField(0) > 300
    ds.ReleaseResultSet(q)


def test_gpkg_layers_say_they_are_synthetic():
    ogr = pytest.importorskip("osgeo.ogr")
    ds = ogr.Open(str(GPKG))
    res = ds.ExecuteSQL("SELECT table_name, description FROM gpkg_contents WHERE data_type = 'features'")
    descriptions = {f.GetField(0): f.GetField(1) for f in res}
    ds.ReleaseResultSet(res)
    assert len(descriptions) == 6
    assert all("SYNTH" in d for d in descriptions.values())


def test_communes_reference_matches_the_sample():
    ogr = pytest.importorskip("osgeo.ogr")
    with open(ROOT / "resources" / "reference" / "communes_epci.csv", encoding="utf-8", newline="") as fh:
        ref = list(csv.DictReader(fh))
    assert list(ref[0]) == ["insee", "commune", "epci_siren", "epci_name", "source", "rationale"]
    assert {r["epci_name"] for r in ref} == {"CA Grand Chambéry", "CA Grand Lac", "CC Cœur de Savoie"}
    assert all(r["source"] and r["rationale"] and re.fullmatch(r"73\d{3}", r["insee"]) for r in ref)
    ds = ogr.Open(str(GPKG))
    layer = {f.GetField("insee"): (f.GetField("nom"), f.GetField("epci_siren")) for f in ds.GetLayerByName("communes")}
    assert layer == {r["insee"]: (r["commune"], r["epci_siren"]) for r in ref}
    stock_codes = {r["codeCommuneEtablissement"] for r in _stock()}
    assert stock_codes <= set(layer)


# -- generator -----------------------------------------------------------------------------------
def _sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _gpkg_content_hash(path):
    """Features of every layer (attributes + WKB), independent of SQLite page layout."""
    from osgeo import ogr

    h = hashlib.sha256()
    ds = ogr.Open(str(path))
    for i in range(ds.GetLayerCount()):
        layer = ds.GetLayer(i)
        h.update(layer.GetName().encode())
        for f in layer:
            h.update(repr([f.GetField(j) for j in range(f.GetFieldCount())]).encode())
            g = f.GetGeometryRef()
            if g is not None:
                h.update(g.ExportToWkb())
    return h.hexdigest()


def test_generator_rebuilds_the_shipped_sample_exactly(tmp_path):
    pytest.importorskip("osgeo.ogr")
    facts = gs.generate(tmp_path, sample=True, log=lambda *_: None)
    gs.write_readme(tmp_path, facts, gs.DEFAULT_SEED)
    for name in (gs.SIRENE_FILE, gs.GEOLOC_FILE, gs.DECLARED_FILE, "README.md"):
        assert _sha(tmp_path / name) == _sha(SAMPLE / name), name
    assert _gpkg_content_hash(tmp_path / gs.GPKG_FILE) == _gpkg_content_hash(GPKG)


def test_generator_small_territory_is_fast_deterministic_and_seeded(tmp_path):
    t0 = time.time()
    gs.generate(tmp_path / "a", size=2000, gpkg=False, log=lambda *_: None)
    assert time.time() - t0 < 10
    gs.generate(tmp_path / "b", size=2000, gpkg=False, log=lambda *_: None)
    gs.generate(tmp_path / "c", size=2000, seed=7, gpkg=False, log=lambda *_: None)
    with open(tmp_path / "a" / gs.SIRENE_FILE, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len({r["siret"] for r in rows}) == 2000
    for name in (gs.SIRENE_FILE, gs.GEOLOC_FILE, gs.DECLARED_FILE):
        assert _sha(tmp_path / "a" / name) == _sha(tmp_path / "b" / name)
        assert _sha(tmp_path / "a" / name) != _sha(tmp_path / "c" / name)


def test_benchmark_tiles_get_distinct_communes_and_unique_sirets(tmp_path):
    gs.TILE_SIZE, old = 1500, gs.TILE_SIZE
    try:
        gs.generate(tmp_path, size=4000, gpkg=False, log=lambda *_: None)
    finally:
        gs.TILE_SIZE = old
    with open(tmp_path / gs.SIRENE_FILE, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    sirets = [r["siret"] for r in rows]
    assert len(set(sirets)) == 4000  # 3 tiles; the duplicated defect row is only in tile 0
    depts = {r["codeCommuneEtablissement"][:2] for r in rows}
    assert len(depts) == 3 and "73" in depts
    xs = [float(r["coordonneeLambertAbscisseEtablissement"]) for r in rows
          if r["coordonneeLambertAbscisseEtablissement"] not in ("", "[ND]")]
    assert max(xs) - min(xs) > 40000  # tiles side by side, not stacked


def test_luhn_helpers():
    assert gs.luhn_valid("73282932000074")  # a published example SIRET
    sirens, nics, sirets = gs.make_sirets(np.array([73282932]), np.array([7]))
    assert sirets[0] == "73282932000074"


def test_declared_survey_has_each_documented_inconsistency_once():
    _, rows = _declared()
    assert sum(r["quantity"] == "-40" for r in rows) == 1
    assert sum(r["quantity"] == "12,5" for r in rows) == 1
    assert sum(r["quantity"] == "" for r in rows) == 1
    assert sum(r["unit"] == "tonnes" for r in rows) == 1
    assert sum(r["ewc_code"] == "15 01 0" for r in rows) == 1
    heat_no_temp = [r for r in rows if r["resource"] == "waste_heat" and not r["temperature_c"]]
    assert len(heat_no_temp) == 1 and heat_no_temp[0]["direction"] == "Ressource"
    # one exact duplicate; every other row is alone for its SIRET x direction x resource
    as_tuples = [tuple(r.values()) for r in rows]
    assert len(as_tuples) - len(set(as_tuples)) == 1
    direction = {"ressource": "S", "supply": "S", "besoin": "D", "demand": "D"}
    keys = [(r["siret"], direction[r["direction"].lower()], r["resource"]) for r in rows]
    assert len(keys) - len(set(keys)) == 1
