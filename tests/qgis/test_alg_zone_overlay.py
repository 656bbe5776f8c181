"""eit:zoneoverlay end to end on hand-built zones and flows: exact totals, counts, messages."""
from __future__ import annotations

import pytest
from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsVectorLayer,
)

from eit_plugin.processing.alg_zone_overlay import ZoneOverlayAlgorithm

ZONE_FIELDS = "IDURBA:string&field=LIBELLE:string&field=TYPEZONE:string&field=DESTDOMI:string&field=INSEE:string"
FLOW_FIELDS = ("flow_id:string&field=siret:string&field=naf:string&field=direction:string&field=resource:string"
               "&field=family:string&field=quantity:double&field=unit:string&field=temperature_c:double")


class Recorder(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.infos, self.errors = [], []

    def pushInfo(self, info):
        self.infos.append(info)

    def reportError(self, error, fatalError=False):
        self.errors.append(error)


# The hand-drawn coordinates below are metres from this origin in Chambéry (EPSG:2154): a
# layer whose coordinates would fit in degrees is refused as a CRS mistake.
ORIGIN = (925_000.0, 6_504_000.0)


def layer(kind, fields, rows):
    lyr = QgsVectorLayer("{}?crs=EPSG:2154&field={}".format(kind, fields), "in", "memory")
    for geom, *attrs in rows:
        f = QgsFeature(lyr.fields())
        f.setAttributes(list(attrs))
        geom = QgsGeometry(geom) if isinstance(geom, QgsGeometry) else QgsGeometry.fromWkt(geom)
        geom.translate(*ORIGIN)
        f.setGeometry(geom)
        assert lyr.dataProvider().addFeature(f)
    return lyr


def pt(x, y):
    return QgsGeometry.fromPointXY(QgsPointXY(x, y))


@pytest.fixture
def zones():
    return layer("MultiPolygon", ZONE_FIELDS, [
        ("POLYGON((0 0,100 0,100 100,0 100,0 0))", "73065_PLU", "Ux", "U", "02", "73065"),       # activity
        ("POLYGON((100 0,200 0,200 100,100 100,100 0))", "73065_PLU", "Ub", "U", "01", "73065"),  # housing 1 ha
        ("POLYGON((0 100,200 100,200 150,0 150,0 100))", "73065_PLU", "AUc", "AUc", "01", "73065"),  # future, 1 ha
        ("POLYGON((150 20,300 20,300 80,150 80,150 20))", "73008_PLU", "Nx", None, None, "73008"),  # NULL TYPEZONE, overlaps Ub
        ("POLYGON((400 0,500 100,500 0,400 100,400 0))", "73008_PLU", "Bow", "A", "07", "73008"),  # invalid bow-tie
    ])


@pytest.fixture
def flows():
    return layer("Point", FLOW_FIELDS, [
        (pt(50, 50), "1:S:waste_heat", "1", "10.51C", "supply", "waste_heat", "heat", 1000.0, "MWh", 95.0),
        (pt(50, 50), "1:S:wood_waste", "1", "10.51C", "supply", "wood_waste", "waste", 40.0, "t", None),
        (pt(20, 80), "2:D:process_heat", "2", "25.11Z", "demand", "process_heat", "heat", 300.0, "MWh", 70.0),
        (pt(100, 40), "3:S:waste_heat", "3", "47.11F", "supply", "waste_heat", "heat", 50.0, "MWh", 40.0),   # shared boundary
        (pt(175, 50), "4:D:nonpotable_water", "4", "55.10Z", "demand", "nonpotable_water", "water", 800.0, "m3", None),  # overlap
        (pt(900, 900), "5:S:metal_scrap", "5", "25.62A", "supply", "metal_scrap", "waste", 9.0, "t", None),  # outside
    ])


def run(params, feedback=None):
    # QgsProcessingAlgorithm.run (C++), as qgis_process does, on a fresh instance.
    alg = ZoneOverlayAlgorithm().create()
    results, ok = QgsProcessingAlgorithm.run(alg, params, QgsProcessingContext(), feedback or Recorder(), {}, False)
    assert ok
    return results


def features(path, layer_name=None):
    lyr = QgsVectorLayer(path if layer_name is None else "{}|layername={}".format(path, layer_name), "out", "ogr")
    assert lyr.isValid(), path
    return {f["zone_id"] if "zone_id" in lyr.fields().names() else (f["level"], f["code"]): f for f in lyr.getFeatures()}


def test_overlay_totals_counts_and_messages(qgis_processing, zones, flows, tmp_path):
    fb = Recorder()
    out = run({"ZONES": zones, "FLOWS": flows, "OUTPUT": str(tmp_path / "zones.gpkg"),
               "OUTPUT_COMMUNES": str(tmp_path / "communes.gpkg")}, fb)
    assert (out["N_ZONES"], out["N_FLOWS"], out["N_FLOWS_ZONED"], out["N_FLOWS_UNZONED"], out["N_FLOWS_MULTI"]) == (5, 6, 5, 1, 2)
    assert out["N_ZONES_REPAIRED"] == 1
    z = features(out["OUTPUT"])
    ux, ub, au, nx, bow = (z["73065_PLU:Ux:1"], z["73065_PLU:Ub:1"], z["73065_PLU:AUc:1"], z["73008_PLU:Nx:1"],
                           z["73008_PLU:Bow:1"])
    # CNIG fields kept as read, NULL TYPEZONE kept NULL.
    assert (ux["LIBELLE"], ux["TYPEZONE"], ux["DESTDOMI"], ux["INSEE"]) == ("Ux", "U", "02", "73065")
    assert nx["TYPEZONE"] is None or nx["TYPEZONE"] == "" or str(nx["TYPEZONE"]) == "NULL"
    # Exact totals: the boundary flow (50 MWh at 40 °C) between Ux and Ub goes to Ub, the
    # first zone by zone_id ("...:Ub:1" < "...:Ux:1").
    assert ux["heat_supply_mwh"] == 1000.0 and ux["heat_demand_mwh"] == 300.0 and ux["heat_balance_mwh"] == 700.0
    assert (ux["heat_supply_lt60_mwh"], ux["heat_supply_60_90_mwh"], ux["heat_supply_ge90_mwh"]) == (0.0, 0.0, 1000.0)
    assert ux["waste_supply_t"] == 40.0 and ux["n_establishments"] == 2 and ux["n_flows"] == 3
    assert ux["n_flows_multi"] == 0
    assert ub["heat_supply_lt60_mwh"] == 50.0 and ub["n_flows"] == 1 and ub["n_flows_multi"] == 1
    # The flow where Ub and Nx overlap: Nx sorts first ("73008..." < "73065...").
    assert nx["water_demand_m3"] == 800.0 and nx["n_flows_multi"] == 1 and ub["water_demand_m3"] == 0.0
    # Zone with no flows; sum over zones = flows in a zone (nothing counted twice, nothing lost).
    assert au["n_flows"] == 0 and au["heat_supply_mwh"] == 0.0
    assert sum(f["n_flows"] for f in z.values()) == 5
    assert sum(f["heat_supply_mwh"] for f in z.values()) == 1050.0
    assert sum(f["n_flows_unzoned"] for f in z.values()) == 1 and bow["n_flows_unzoned"] == 1
    # Housing from the density assumption; AU zone flagged as future demand.
    assert ub["housing_dwellings"] == pytest.approx(25.0) and ub["housing_heat_demand_mwh"] == pytest.approx(300.0)
    assert au["is_future"] and au["housing_dwellings"] == pytest.approx(30.0)
    # Potential. Ux: waste heat 95 °C -> process heat 70 °C inside (1 internal) and heat for
    # the neighbouring housing (1 neighbour pair): score 3, medium. Ub: its 40 °C waste heat
    # -> its housing through a heat pump (internal), Ux's heat -> its housing, its heat ->
    # the AU zone: score 4, high. The 40 °C heat is too cold for Ux's 70 °C process.
    assert (ux["n_internal_matches"], ux["n_neighbour_matches"], ux["eit_potential"]) == (1, 1, "medium")
    assert "chaleur fatale → chaleur de procédé : 300 MWh/an" in ux["eit_potential_reason"]
    assert (ub["n_internal_matches"], ub["n_neighbour_matches"], ub["eit_potential"]) == (1, 2, "high")
    assert bow["eit_potential"] == "none"
    # Messages.
    assert any("6 flows: 5 in a zone, 1 outside every zone, 2 in several zones" in m for m in fb.infos)
    assert any("Zone Bow / 73008 (fid 5) had an invalid geometry" in e for e in fb.errors)
    # Inputs untouched.
    assert zones.featureCount() == 5 and flows.featureCount() == 6
    assert not zones.getFeature(5).geometry().isGeosValid()
    # Commune / EPCI aggregate.
    c = features(out["OUTPUT_COMMUNES"])
    cham = c[("commune", "73065")]
    assert cham["name"] == "Chambéry" and cham["epci_name"] == "CA Grand Chambéry"
    assert cham["n_zones"] == 3 and cham["heat_supply_mwh"] == 1050.0 and cham["n_zones_high"] == 1
    assert cham["area_ha"] == pytest.approx(3.0) and cham.geometry().area() == pytest.approx(30_000.0)
    assert c[("commune", "73008")]["water_demand_m3"] == 800.0
    assert c[("epci", "200069110")]["heat_supply_mwh"] == 1050.0


def test_housing_layer_and_establishments(qgis_processing, zones, flows, tmp_path):
    housing = layer("Point", "nb_logts:integer", [(pt(120, 60), 40), (pt(150, 90), 10), (pt(50, 50), 2)])
    est = layer("Point", "siret:string&field=naf:string&field=headcount_est:double",
                [(pt(50, 50), "1", "10.51C", 120.0), (pt(20, 80), "2", "25.11Z", 30.0), (pt(120, 50), "9", "62.01Z", 50.0)])
    out = run({"ZONES": zones, "FLOWS": flows, "HOUSING": housing, "ESTABLISHMENTS": est,
               "OUTPUT": str(tmp_path / "z.gpkg")})
    z = features(out["OUTPUT"])
    ub, ux = z["73065_PLU:Ub:1"], z["73065_PLU:Ux:1"]
    assert ub["housing_dwellings"] == 50.0 and ub["housing_heat_demand_mwh"] == 600.0
    assert ub["housing_source"] == "housing_layer"
    assert ux["housing_dwellings"] == 2.0 and ux["jobs_est"] == 150.0 and ux["n_establishments"] == 2
    assert ub["jobs_est"] == 50.0 and ub["naf_sections"] == 1
    # Ub: 50 dwellings, 50 jobs -> balanced; one NAF section -> no diversity: mixity 0.5.
    assert ub["mixity_index"] == pytest.approx(0.5)
    assert z["73065_PLU:AUc:1"]["housing_source"] == "density_assumption"


def test_zones_without_typezone_are_refused(qgis_processing, flows, tmp_path):
    bad = layer("Polygon", "LIBELLE:string", [("POLYGON((0 0,1 0,1 1,0 0))", "Ua")])
    with pytest.raises(QgsProcessingException, match="has no field TYPEZONE"):
        run({"ZONES": bad, "FLOWS": flows, "OUTPUT": str(tmp_path / "z.gpkg")})


def test_output_loaded_with_cnig_style_and_eit_potential_style(qgis_processing, zones, flows, tmp_path):
    from qgis.core import QgsProject

    from eit_plugin.processing.alg_zone_overlay import _POST_PROCESSORS

    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    alg = ZoneOverlayAlgorithm().create()
    dest = str(tmp_path / "z.gpkg")
    context.addLayerToLoadOnCompletion(dest, QgsProcessingContext.LayerDetails("z", QgsProject.instance()))
    results, ok = QgsProcessingAlgorithm.run(alg, {"ZONES": zones, "FLOWS": flows, "OUTPUT": dest}, context, Recorder(), {}, False)
    assert ok
    out = QgsVectorLayer(results["OUTPUT"], "z", "ogr")
    _POST_PROCESSORS[-1].postProcessLayer(out, context, Recorder())
    assert out.renderer().classAttribute() == "eit_potential"  # the plugin's key indicator first
    manager = out.styleManager()
    assert len(manager.styles()) == 2
    manager.setCurrentStyle([s for s in manager.styles() if s != manager.currentStyle()][0])
    assert out.renderer().classAttribute() == "TYPEZONE"  # CNIG colours by zone type
