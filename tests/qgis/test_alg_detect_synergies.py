"""eit:detectsynergies through Processing, on memory layers built here."""
from __future__ import annotations

import pytest

UVE, HOSP, LAUNDRY, SAW, BOARD = ("90000000100017", "90000007600019", "90000021700019", "90000056300016",
                                  "90000084500017")
X0, Y0 = 925000.0, 6505000.0  # near Chambéry, EPSG:2154
NB = "\u00a0"

FLOWS = [
    # siret, name, direction, resource, quantity, temperature, dx, dy
    (UVE, "UVE de Bissy", "supply", "waste_heat", 90000.0, 120.0, 0, 0),
    (HOSP, "Centre hospitalier", "demand", "space_heating", 12000.0, 60.0, 2600, 300),
    (LAUNDRY, "Blanchisserie", "demand", "process_heat", 3000.0, 85.0, -400, -300),
    (SAW, "Scierie du Gelon", "supply", "wood_waste", 5000.0, None, 0, 20000),
    (BOARD, "Panneaux Bois", "demand", "wood_raw_material", 4000.0, None, 4000, 22000),
    (BOARD, "Panneaux Bois", "demand", "unknown_thing", 10.0, None, 4000, 22000),
]


def _flows_layer(rows, drop=()):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    fields = [("flow_id", "string"), ("siret", "string"), ("name", "string"), ("direction", "string"),
              ("resource", "string"), ("quantity", "double"), ("unit", "string"), ("temperature_c", "double"),
              ("confidence", "double")]
    fields = [f for f in fields if f[0] not in drop]
    layer = QgsVectorLayer("Point?crs=EPSG:2154&" + "&".join("field={}:{}".format(n, t) for n, t in fields),
                           "flows", "memory")
    feats = []
    for siret, name, direction, resource, q, t, dx, dy in rows:
        values = {"flow_id": "{}:{}:{}".format(siret, direction[0].upper(), resource), "siret": siret, "name": name,
                  "direction": direction, "resource": resource, "quantity": q, "unit": "", "temperature_c": t,
                  "confidence": 0.8}
        f = QgsFeature(layer.fields())
        f.setAttributes([values[n] for n, _ in fields])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(X0 + dx, Y0 + dy)))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def _zones_layer():
    """Two zones of the eit:zoneoverlay output: a future housing project near the network, and a
    business park without housing."""
    from qgis.core import QgsFeature, QgsGeometry, QgsRectangle, QgsVectorLayer

    layer = QgsVectorLayer("Polygon?crs=EPSG:2154&field=zone_id:string&field=LIBELLE:string&field=TYPEZONE:string"
                           "&field=INSEE:string&field=housing_heat_demand_mwh:double&field=is_future:boolean",
                           "zones", "memory")
    feats = []
    for zid, lib, typ, q, fut, rect in (("73065_PLU:1AUm:1", "1AUm", "AUc", 8000.0, True, (900, 800, 1300, 1200)),
                                        ("73065_PLU:UXb:1", "UXb", "U", 0.0, False, (-500, -500, 700, 300))):
        f = QgsFeature(layer.fields())
        f.setAttributes([zid, lib, typ, "73065", q, fut])
        f.setGeometry(QgsGeometry.fromRect(QgsRectangle(X0 + rect[0], Y0 + rect[1], X0 + rect[2], Y0 + rect[3])))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def _heat_network_layer(name="reseau_chaleur"):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    layer = QgsVectorLayer("LineString?crs=EPSG:2154&field=nom:string", name, "memory")
    f = QgsFeature(layer.fields())
    f.setAttributes(["branche hôpital"])
    f.setGeometry(QgsGeometry.fromPolylineXY([QgsPointXY(X0 + 50, Y0), QgsPointXY(X0 + 1000, Y0 + 1000),
                                              QgsPointXY(X0 + 2600, Y0 + 250)]))
    layer.dataProvider().addFeatures([f])
    return layer


def _run(params):
    from qgis.core import QgsApplication, QgsProcessingAlgorithm, QgsProcessingContext, QgsProcessingFeedback

    # QgsProcessingAlgorithm.run (C++), as qgis_process does (EitAlgorithm.run shadows it in Python).
    alg = QgsApplication.processingRegistry().createAlgorithmById("eit:detectsynergies")
    context = QgsProcessingContext()
    feedback = QgsProcessingFeedback()
    result, ok = QgsProcessingAlgorithm.run(alg, params, context, feedback, {}, False)
    assert ok
    layer = context.getMapLayer(result["OUTPUT"])
    alternatives = context.getMapLayer(result["ALTERNATIVES"]) if result.get("ALTERNATIVES") else None
    _KEEP.append(context)  # the output layers live as long as their context
    return result, layer, alternatives


_KEEP: list = []


def _by_receiver(layer):
    return {(f["receiver_siret"] or f["receiver_zone"], f["resource_demand"]): f for f in layer.getFeatures()}


def test_synergies_along_an_existing_heat_network_with_housing_zones(eit_provider):
    result, layer, alternatives = _run({"FLOWS": _flows_layer(FLOWS), "ZONES": _zones_layer(),
                                        "NETWORK": _heat_network_layer(), "OUTPUT": "memory:",
                                        "ALTERNATIVES": "memory:"})
    assert layer.crs().authid() == "EPSG:2154"
    syn = _by_receiver(layer)
    assert set(syn) == {(HOSP, "space_heating"), (LAUNDRY, "process_heat"), ("73065_PLU:1AUm:1", "space_heating"),
                        (BOARD, "wood_raw_material")}
    assert result["N_SYNERGIES"] == 4 and result["CO2_AVOIDED_T"] > 0
    hosp = syn[(HOSP, "space_heating")]
    assert hosp["distance_kind"] == "heat_network"  # both ends attached to the network: connections only
    assert hosp["distance_m"] < 500 and hosp["route_length_m"] > 2500
    assert "par le réseau de chaleur existant" in hosp["reason"]
    assert hosp["supplier_zone"] == "73065_PLU:UXb:1"  # flows placed in the zones
    housing = syn[("73065_PLU:1AUm:1", "space_heating")]
    assert housing["kind"] == "housing_heat" and housing["is_future"] and housing["receiver_siret"] in (None, "")
    assert housing["reason"].endswith("zone à urbaniser (projet futur)")
    laundry = syn[(LAUNDRY, "process_heat")]
    assert laundry["kind"] == "heat_recovery" and laundry["distance_kind"] == "straight"
    assert laundry["reason"].startswith("Chaleur fatale à 120{nb}°C d'UVE de Bissy".format(nb=NB))
    wood = syn[(BOARD, "wood_raw_material")]
    assert wood["quantity_demand"] == pytest.approx(4000) and wood["tonnes_diverted"] == pytest.approx(4000 / 0.9)
    # line from supplier to receiver
    line = wood.geometry().asPolyline()
    assert (line[0].x(), line[0].y(), line[1].x(), line[1].y()) == (X0, Y0 + 20000, X0 + 4000, Y0 + 22000)
    assert [f["rank"] for f in layer.getFeatures()] == [1, 2, 3, 4]
    assert alternatives is not None and alternatives.fields().names() == layer.fields().names()


def _roads_layer():
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    layer = QgsVectorLayer("LineString?crs=EPSG:2154&field=nom:string", "routes", "memory")
    f = QgsFeature(layer.fields())
    f.setAttributes(["D 1006"])
    # sawmill (0, 20000) → north to (0, 24000) → east to the board maker (4000, 22000): 4000 + 4472 m
    f.setGeometry(QgsGeometry.fromPolylineXY([QgsPointXY(X0, Y0 + 20000), QgsPointXY(X0, Y0 + 24000),
                                              QgsPointXY(X0 + 4000, Y0 + 22000)]))
    layer.dataProvider().addFeatures([f])
    return layer


def test_roads_carry_trucked_wastes_while_heat_pipes_stay_straight(eit_provider):
    result, layer, _ = _run({"FLOWS": _flows_layer(FLOWS), "NETWORK": _roads_layer(), "NETWORK_KIND": 0,
                             "OUTPUT": "memory:"})
    syn = _by_receiver(layer)
    wood = syn[(BOARD, "wood_raw_material")]
    assert wood["distance_kind"] == "network"
    assert wood["distance_m"] == pytest.approx(4000 + (4000 ** 2 + 2000 ** 2) ** 0.5, abs=1)
    assert "par la voirie" in wood["reason"]
    assert syn[(LAUNDRY, "process_heat")]["distance_kind"] == "straight"


def test_empty_output_when_no_demand(eit_provider):
    result, layer, alternatives = _run({"FLOWS": _flows_layer(FLOWS[:1]), "OUTPUT": "memory:",
                                        "ALTERNATIVES": "memory:"})
    assert result["N_SYNERGIES"] == 0 and layer.featureCount() == 0 and alternatives.featureCount() == 0


def test_missing_field_is_named(eit_provider):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="resource"):
        _run({"FLOWS": _flows_layer(FLOWS, drop=("resource",)), "OUTPUT": "memory:"})
