"""eit:comparescenarios end to end on a hand-built territory: an activity zone next to a
waste-heat source turned into a mixed zone with 300 planned dwellings gains a housing_heat
synergy of 300 × 4 MWh = 1 200 MWh/yr delivered."""
from __future__ import annotations

import re

import pytest
from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsVectorLayer,
)

ZONE_FIELDS = ("IDURBA:string&field=LIBELLE:string&field=TYPEZONE:string&field=DESTDOMI:string&field=INSEE:string"
               "&field=nb_logements:integer&field=nb_logements_prevus:integer&field=activites_prevues:string")
FLOW_FIELDS = ("flow_id:string&field=siret:string&field=name:string&field=naf:string&field=direction:string"
               "&field=resource:string&field=family:string&field=quantity:double&field=unit:string"
               "&field=temperature_c:double&field=origin:string&field=confidence:double")
UVE = "90000000100017"
UX = "POLYGON((0 0,400 0,400 400,0 400,0 0))"
PROJECT = "POLYGON((400 0,800 0,800 400,400 400,400 0))"
PROJECT_WEST = "POLYGON((400 0,600 0,600 400,400 400,400 0))"
PROJECT_EAST = "POLYGON((600 0,800 0,800 400,600 400,600 0))"
FAR = "POLYGON((5000 5000,5400 5000,5400 5400,5000 5400,5000 5000))"


class Recorder(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.infos, self.warnings, self.errors = [], [], []

    def pushInfo(self, info):
        self.infos.append(info)

    def pushWarning(self, warning):
        self.warnings.append(warning)

    def reportError(self, error, fatalError=False):
        self.errors.append(error)


def layer(kind, fields, rows, name="in"):
    lyr = QgsVectorLayer("{}?crs=EPSG:2154&field={}".format(kind, fields), name, "memory")
    for geom, *attrs in rows:
        f = QgsFeature(lyr.fields())
        f.setAttributes(list(attrs))
        f.setGeometry(geom if isinstance(geom, QgsGeometry) else QgsGeometry.fromWkt(geom))
        assert lyr.dataProvider().addFeature(f)
    return lyr


def zones(project_rows, name):
    rows = [(UX, "73065_PLU", "UX", "U", "02", "73065", 0, 0, None),
            (FAR, "73065_PLU", "UA", "U", "03", "73065", 0, 0, None)]
    return layer("MultiPolygon", ZONE_FIELDS, rows + project_rows, name)


@pytest.fixture
def flows():
    # the plant's waste heat at 120 °C in the activity zone, 300 m from the project's edge
    return layer("Point", FLOW_FIELDS, [
        (QgsGeometry.fromPointXY(QgsPointXY(100, 200)), UVE + ":S:waste_heat", UVE, "UVE", "38.21Z", "supply",
         "waste_heat", "heat", 20000.0, "MWh", 120.0, "declared", 0.9),
    ])


def run(eit_provider, tmp_path, current, scenarios, flows, **extra):
    from qgis import processing

    params = {"ZONES": current, "SCENARIOS": scenarios, "FLOWS": flows,
              "OUTPUT": str(tmp_path / "cmp.gpkg"), "OUTPUT_ITEMS": str(tmp_path / "items.gpkg"),
              "OUTPUT_ZONES": str(tmp_path / "zones.gpkg"), "REPORT": str(tmp_path / "scen.html")}
    params.update(extra)
    feedback = Recorder()
    result = processing.run("eit:comparescenarios", params, context=QgsProcessingContext(), feedback=feedback)
    return result, feedback


def rows(path):
    lyr = QgsVectorLayer(str(path), "t", "ogr")
    assert lyr.isValid(), path
    return [dict(zip(lyr.fields().names(), f.attributes())) | {"_geom": f.geometry()} for f in lyr.getFeatures()]


def indicator(table, scenario, key):
    return next(r for r in table if r["scenario"] == scenario and r["indicator"] == key)


def test_mixed_zone_next_to_waste_heat_gains_housing_heat(eit_provider, tmp_path, flows):
    current = zones([(PROJECT, "73065_PLU", "1AUx", "AUc", "02", "73065", 0, 0, "52.10B:50")], "actuel")
    mixed = zones([(PROJECT, "73065_PLU", "1AUm", "AUc", "03", "73065", 0, 300, "62.01Z:20")], "mixte")
    result, fb = run(eit_provider, tmp_path, current, [mixed], flows, SCENARIO_NAMES="actuel;B")
    assert result["N_SCENARIOS"] == 1
    table = rows(tmp_path / "cmp.gpkg")
    assert {r["scenario"] for r in table} == {"actuel", "B"}
    housing = indicator(table, "B", "mwh_housing")
    assert housing["current_value"] == 0 and housing["value"] > 0 and housing["better"] == 1
    # 300 planned dwellings in an AU zone × 4 MWh/yr (RE2020 figure of housing_assumptions.csv)
    assert indicator(table, "B", "housing_heat_demand_mwh")["difference"] == pytest.approx(1200.0)
    assert indicator(table, "B", "combustion_avoided_mwh")["difference"] == pytest.approx(1200.0, abs=0.01)
    assert indicator(table, "B", "n_housing_heat")["difference"] == 1
    assert indicator(table, "B", "pm10_avoided_kg")["difference"] > 0
    assert indicator(table, "B", "nox_avoided_kg")["difference"] > 0
    assert indicator(table, "B", "housing_dwellings")["difference"] == 300
    # the warehouse planned next to... nothing (no dwellings in the current zone): no conflict either side
    assert indicator(table, "B", "n_conflicts")["value"] == 0

    items = rows(tmp_path / "items.gpkg")
    gained = [r for r in items if r["status"] == "gained" and r["item"] == "synergy"]
    assert [(r["kind"], r["label"].split(" → ")[1].split(" (")[0]) for r in gained] == [
        ("housing_heat", "logements de la zone 1AUm")]
    # same geometry as the current 1AUx zone: keyed by the current zone's id
    assert gained[0]["key"] == "{}|zone:73065_PLU:1AUx:1|waste_heat|space_heating".format(UVE)

    changed = {r["libelle"]: r for r in rows(tmp_path / "zones.gpkg")}
    assert changed["1AUm"]["change_kind"] == "zoning"
    assert changed["1AUm"]["housing_dwellings_diff"] == 300
    assert changed["1AUm"]["mwh_received_diff"] > 0
    assert changed["1AUm"]["_geom"].area() == pytest.approx(160000.0)
    assert "UA" not in changed  # the far zone does not change

    html = (tmp_path / "scen.html").read_text(encoding="utf-8")
    assert "Scénarios de zonage" in html and "logements de la zone 1AUm (Chambéry)" in html
    assert any("+300 logements" in m for m in fb.infos)


def test_split_zone_and_conflicts_are_reported(eit_provider, tmp_path, flows):
    current = zones([(PROJECT, "73065_PLU", "1AUx", "AUc", "02", "73065", 0, 0, None)], "actuel")
    split = zones([(PROJECT_WEST, "73065_PLU", "1AUm", "AUc", "03", "73065", 0, 150, "52.10B:40"),
                   (PROJECT_EAST, "73065_PLU", "1AUh", "AUc", "01", "73065", 0, 150, None)], "split")
    result, fb = run(eit_provider, tmp_path, current, [split], flows)
    table = rows(tmp_path / "cmp.gpkg")
    names = sorted({r["scenario"] for r in table})
    assert names == ["actuel", "split"]
    # a logistics warehouse (52.10, forbidden next to housing) planned among 150 dwellings
    assert indicator(table, "split", "n_conflicts")["difference"] == 1
    assert any("52.10B" in w and "1AUm (73065)" in w for w in fb.warnings + fb.errors + fb.infos)
    changed = {r["libelle"]: r for r in rows(tmp_path / "zones.gpkg")}
    assert {k: r["change_kind"] for k, r in changed.items() if k != "UX"} == {"1AUm": "new_zone", "1AUh": "new_zone"}
    project = indicator(table, "split", "project_dwellings")
    assert (project["current_value"], project["value"]) == (0, 300)
    assert indicator(table, "split", "project_zones")["value"] == 2
    # each half covers half of the current zone: half of its (zero) dwellings, +150 each
    assert changed["1AUh"]["housing_dwellings_diff"] == 150
    assert changed["1AUm"]["n_conflicts"] == 1


def test_bad_planned_activity_names_the_zone(eit_provider, tmp_path, flows):
    current = zones([(PROJECT, "73065_PLU", "1AUx", "AUc", "02", "73065", 0, 0, None)], "actuel")
    bad = zones([(PROJECT, "73065_PLU", "1AUx", "AUc", "02", "73065", 0, 0, "logistique:40")], "bad")
    with pytest.raises(QgsProcessingException, match="1AUx \\(73065\\)"):
        run(eit_provider, tmp_path, current, [bad], flows)


def test_public_comparison_discloses_no_single_firm(eit_provider, tmp_path, flows):
    """One plant is the only heat source: in public mode the heat it would deliver, and the
    difference between scenarios (its change alone), are withheld; items name no firm."""
    current = zones([(PROJECT, "73065_PLU", "1AUx", "AUc", "02", "73065", 0, 0, "52.10B:50")], "actuel")
    mixed = zones([(PROJECT, "73065_PLU", "1AUm", "AUc", "03", "73065", 0, 300, "62.01Z:20")], "mixte")
    result, fb = run(eit_provider, tmp_path, current, [mixed], flows, SCENARIO_NAMES="actuel;B", PUBLIC=True)
    table = rows(tmp_path / "cmp.gpkg")
    for key in ("mwh_housing", "combustion_avoided_mwh", "mwh_recovered"):
        row = indicator(table, "B", key)
        assert _null(row["value"]) and _null(row["difference"]), key
    # housing figures are not firm data: published
    assert indicator(table, "B", "housing_heat_demand_mwh")["difference"] == pytest.approx(1200.0)
    items = rows(tmp_path / "items.gpkg")
    assert items and all(UVE not in str(r["key"]) and not re.search(r"\bUVE\b", str(r["label"])) for r in items)
    assert all(_null(r["value_scenario"]) for r in items)
    text = (tmp_path / "scen.html").read_text(encoding="utf-8") + " ".join(fb.infos + fb.warnings)
    assert UVE not in text and not re.search(r"\bUVE\b", text)
    # the heat the plant would deliver is its own figure: "n.d." in the sentences (the dwellings'
    # heat demand, a public assumption, is still given)
    assert "livrée aux logements n.d." in text and "besoin de chaleur des logements +1" in text.replace("\u202f", " ")


def _null(value) -> bool:
    """NULL in a GeoPackage (QVariant NULL, None or NaN)."""
    return value is None or (hasattr(value, "isNull") and value.isNull()) or value != value
