"""The Processing model (.model3) runs in qgis_process and gives the same figures as
eit:fullanalysis on the same inputs."""
from __future__ import annotations

import csv
import sqlite3

import pytest

from tests.conftest import ROOT
from tools.generate_sample import luhn_valid

MODEL = ROOT / "resources" / "models" / "eit_methode_complete.model3"

# siret, naf, band, x, y: a waste-to-energy plant beside housing, a dairy near a pig farm,
# four firms in one business park producing cardboard.
ROWS = [
    ("90000000100017", "38.21Z", "12", 1000, 1000),
    ("90000035700013", "10.51C", "21", 3000, 1200),
    ("90000042300013", "01.46Z", "02", 3400, 1300),
    ("90000098500011", "52.10B", "12", 1200, 2600),
    ("90000105800016", "22.22Z", "21", 1300, 2700),
    ("90000112400016", "25.62B", "12", 1400, 2650),
    ("90000119900018", "46.90Z", "11", 1250, 2800),
]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("model_inputs")
    stock = folder / "StockEtablissement.csv"
    with open(stock, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["siren", "nic", "siret", "etatAdministratifEtablissement", "activitePrincipaleEtablissement",
                         "trancheEffectifsEtablissement", "codeCommuneEtablissement",
                         "coordonneeLambertAbscisseEtablissement", "coordonneeLambertOrdonneeEtablissement",
                         "denominationUsuelleEtablissement"])
        for n, (siret, naf, band, x, y) in enumerate(ROWS):
            assert luhn_valid(siret)
            writer.writerow([siret[:9], siret[9:], siret, "A", naf, band, "73065", x + 925000, y + 6500000, "Firme {}".format(n)])
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(2154)
    zones = folder / "zones.gpkg"
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(zones))
    layer = dataset.CreateLayer("zone_urba", srs, ogr.wkbPolygon)
    for name in ("IDURBA", "LIBELLE", "TYPEZONE", "DESTDOMI", "INSEE"):
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    layer.CreateField(ogr.FieldDefn("nb_logements", ogr.OFTInteger))
    for label, typezone, dest, dwellings, (x0, y0, x1, y1) in [
        ("UXa", "U", "02", 0, (500, 500, 1500, 1500)), ("UB", "U", "01", 800, (1500, 500, 2500, 1500)),
        ("UXp", "U", "02", 0, (1000, 2400, 1700, 3000)), ("A", "A", "07", 0, (2500, 500, 4000, 2000)),
    ]:
        x0, x1, y0, y1 = x0 + 925000, x1 + 925000, y0 + 6500000, y1 + 6500000
        feature = ogr.Feature(layer.GetLayerDefn())
        for name, value in zip(("IDURBA", "LIBELLE", "TYPEZONE", "DESTDOMI", "INSEE"),
                               ("73065_PLU_20200101", label, typezone, dest, "73065")):
            feature.SetField(name, value)
        feature.SetField("nb_logements", dwellings)
        feature.SetGeometry(ogr.CreateGeometryFromWkt("POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(x0, y0, x1, y1)))
        layer.CreateFeature(feature)
    dataset = None
    uri = "{}|layername=zone_urba".format(zones)
    return {"SIRENE_FILE": str(stock), "ZONES": uri, "folder": folder}


def _rows(gpkg, sql, table=None):
    """Rows of ``sql``; ``{table}`` in it is replaced by ``table`` or by the file's only layer."""
    with sqlite3.connect(str(gpkg)) as db:
        if table is None:
            table = db.execute("SELECT table_name FROM gpkg_contents ORDER BY table_name LIMIT 1").fetchone()[0]
        return db.execute(sql.format(table='"{}"'.format(table))).fetchall()


@pytest.mark.slow
def test_model_gives_the_same_figures_as_fullanalysis(installed_qgis_process, inputs):
    folder = inputs["folder"]
    model_out = {name: str(folder / "model_{}.gpkg".format(name.split(":")[1])) for name in (
        "import:etablissements", "estimate:flux", "overlay:zones", "overlay:communes", "synergies:synergies",
        "synergies:synergies_alternatives", "clusters:groupements", "recommendations:recommandations")}
    model_params = {"SIRENE_FILE": inputs["SIRENE_FILE"], "ZONES": inputs["ZONES"], "PUBLIC": False,
                    "CLUSTER_DISTANCE_M": 500, "MIN_MEMBERS": 3, **model_out}
    installed_qgis_process.run(str(MODEL), model_params)
    full = installed_qgis_process.run("eit:fullanalysis", {
        "SIRENE_FILE": inputs["SIRENE_FILE"], "ZONES": inputs["ZONES"], "PUBLIC": False,
        "OUTPUT_GPKG": str(folder / "full.gpkg"), "REPORT": str(folder / "full.html")})["results"]
    sql = ("SELECT supplier_siret, receiver_siret, receiver_zone, resource_supply, resource_demand, "
           "round(quantity, 3) FROM {table} ORDER BY 1, 2, 3, 4, 5")
    from_model = _rows(model_out["synergies:synergies"], sql)
    from_full = _rows(full["OUTPUT_GPKG"], sql, "synergies")
    assert from_full, "the test territory must produce synergies"
    assert from_model == from_full
    assert any(r[0] == "90000000100017" and r[3] == "waste_heat" for r in from_full)
    cluster_sql = "SELECT cluster_id, n_members, round(total_quantity, 3) FROM {table} ORDER BY 1"
    assert _rows(model_out["clusters:groupements"], cluster_sql) == _rows(full["OUTPUT_GPKG"], cluster_sql, "clusters")
    rec_sql = "SELECT rec_id, text_fr FROM {table} ORDER BY 1"
    assert _rows(model_out["recommendations:recommandations"], rec_sql) == _rows(
        full["OUTPUT_GPKG"], rec_sql, "recommendations")
