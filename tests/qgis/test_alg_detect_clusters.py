"""eit:detectclusters through Processing, on memory layers built here."""
from __future__ import annotations

import pytest

A, B, C, D = "11111111100011", "22222222200022", "33333333300033", "44444444400044"
X0, Y0 = 925000.0, 6505000.0  # near Chambéry, EPSG:2154


def _flows_layer(rows, crs="EPSG:2154", drop=()):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    fields = [("flow_id", "string"), ("siret", "string"), ("direction", "string"), ("resource", "string"),
              ("family", "string"), ("quantity", "double"), ("unit", "string")]
    uri = "Point?crs={}&{}".format(crs, "&".join("field={}:{}".format(n, t) for n, t in fields if n not in drop))
    layer = QgsVectorLayer(uri, "flows", "memory")
    feats = []
    for siret, x, y, resource, q in rows:
        f = QgsFeature(layer.fields())
        values = {"flow_id": "{}:S:{}".format(siret, resource), "siret": siret, "direction": "supply",
                  "resource": resource, "family": "waste", "quantity": q, "unit": "t"}
        f.setAttributes([values[n] for n, _ in fields if n not in drop])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def _zones_layer(rects):
    from qgis.core import QgsFeature, QgsGeometry, QgsRectangle, QgsVectorLayer

    layer = QgsVectorLayer("Polygon?crs=EPSG:2154&field=IDURBA:string&field=LIBELLE:string&field=TYPEZONE:string"
                           "&field=DESTDOMI:string&field=INSEE:string", "zone_urba", "memory")
    feats = []
    for libelle, typezone, destdomi, x0, y0, x1, y1 in rects:
        f = QgsFeature(layer.fields())
        f.setAttributes(["73065_PLU_20200101", libelle, typezone, destdomi, "73065"])
        f.setGeometry(QgsGeometry.fromRect(QgsRectangle(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def _synergies_layer(rows):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    layer = QgsVectorLayer("LineString?crs=EPSG:2154&field=synergy_id:string&field=supplier_siret:string"
                           "&field=receiver_siret:string&field=receiver_zone:string&field=resource_supply:string"
                           "&field=resource_demand:string&field=quantity:double&field=unit:string"
                           "&field=co2_avoided_t:double", "synergies", "memory")
    feats = []
    for n, (u, v, q, p, r) in enumerate(rows):
        f = QgsFeature(layer.fields())
        f.setAttributes(["S{}".format(n), u, v, None, "wood_waste", "wood_raw_material", q, "t", q / 10])
        f.setGeometry(QgsGeometry.fromPolylineXY([QgsPointXY(X0 + p[0], Y0 + p[1]), QgsPointXY(X0 + r[0], Y0 + r[1])]))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


LINE = [(A, X0, Y0, "paper_cardboard", 10.0), (B, X0 + 400, Y0, "plastic_waste", 10.0),
        (C, X0 + 800, Y0, "paper_cardboard", 10.0)]
ZONES = [("UX", "U", "02", -200, -200, 100, 200), ("N", "N", "08", 100, -200, 600, 200),
         ("UA", "U", "01", 600, -200, 1000, 200)]


def _run(params):
    from qgis.core import QgsApplication, QgsProcessingAlgorithm, QgsProcessingContext, QgsProcessingFeedback

    # QgsProcessingAlgorithm.run (C++), as qgis_process does: EitAlgorithm.run shadows it in
    # Python, so processing.run() cannot be used (reported to the lead, base.py).
    alg = QgsApplication.processingRegistry().createAlgorithmById("eit:detectclusters")
    context = QgsProcessingContext()
    result, ok = QgsProcessingAlgorithm.run(alg, params, context, QgsProcessingFeedback(), {}, False)
    assert ok
    layer = context.getMapLayer(result["OUTPUT"]) if isinstance(result["OUTPUT"], str) else result["OUTPUT"]
    return result, layer, context


def test_pooling_cluster_with_site_moved_out_of_a_natural_zone(eit_provider):
    result, layer, context = _run({"FLOWS": _flows_layer(LINE), "ZONES": _zones_layer(ZONES), "DISTANCE_M": 500,
                                   "MIN_MEMBERS": 3, "OUTPUT": "memory:", "SITES": "memory:"})
    assert result["N_POOLING"] == 1 and result["N_EXCHANGE"] == 0
    assert layer.crs().authid() == "EPSG:2154"
    feats = list(layer.getFeatures())
    assert len(feats) == 1
    f = feats[0]
    assert f["cluster_id"] == "P-dry_packaging-1"
    assert f["members"] == ", ".join([A, B, C]) and f["n_members"] == 3 and f["total_quantity"] == 30
    assert f["resources"] == "paper_cardboard, plastic_waste"
    # the optimum (400 m east) is in the N zone: the site is the UX zone's nearest point
    assert f["site_x"] == pytest.approx(X0 + 100) and f["site_y"] == pytest.approx(Y0)
    assert f["site_zone"].startswith("73065_PLU_20200101:UX")
    assert "Z02" in f["site_reason"]
    geom = f.geometry()
    assert geom.area() == pytest.approx(800 * 100 + 3.14159 * 50**2, rel=0.01)  # 800 m line buffered by 50 m
    sites = context.getMapLayer(result["SITES"])
    site_feats = list(sites.getFeatures())
    assert [s["cluster_id"] for s in site_feats] == ["P-dry_packaging-1"]
    assert site_feats[0].geometry().asPoint().x() == pytest.approx(X0 + 100)


def test_threshold_min_members_and_determinism(eit_provider):
    far = [(A, X0, Y0, "paper_cardboard", 10.0), (B, X0 + 499, Y0, "paper_cardboard", 10.0),
           (C, X0 + 1000, Y0, "paper_cardboard", 10.0)]
    result, layer, _ = _run({"FLOWS": _flows_layer(far), "OUTPUT": "memory:"})
    assert result["N_CLUSTERS"] == 0 and layer.featureCount() == 0
    result, _, _ = _run({"FLOWS": _flows_layer(LINE), "MIN_MEMBERS": 4, "OUTPUT": "memory:"})
    assert result["N_CLUSTERS"] == 0
    runs = []
    for _ in range(2):
        _, layer, _ = _run({"FLOWS": _flows_layer(LINE), "OUTPUT": "memory:"})
        runs.append([(f["cluster_id"], f["members"], f["site_x"]) for f in layer.getFeatures()])
    assert runs[0] == runs[1] and len(runs[0]) == 1


def test_input_in_wgs84_is_reprojected(eit_provider):
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject

    tr = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:2154"), QgsCoordinateReferenceSystem("EPSG:4326"),
                                QgsProject.instance())
    rows = []
    for siret, x, y, r, q in LINE:
        p = tr.transform(QgsPointXY(x, y))
        rows.append((siret, p.x(), p.y(), r, q))
    result, layer, _ = _run({"FLOWS": _flows_layer(rows, crs="EPSG:4326"), "OUTPUT": "memory:"})
    f = next(layer.getFeatures())
    assert f["site_x"] == pytest.approx(X0 + 400, abs=0.5)


def test_exchange_clusters_from_synergies(eit_provider):
    syn = _synergies_layer([(A, B, 10.0, (0, 0), (100, 0)), (B, C, 20.0, (100, 0), (200, 0)),
                            (A, C, 30.0, (0, 0), (200, 0)), (C, D, 1.0, (200, 0), (300, 0))])
    result, layer, _ = _run({"FLOWS": _flows_layer(LINE[:1]), "SYNERGIES": syn, "OUTPUT": "memory:"})
    assert result["N_EXCHANGE"] == 1 and result["N_POOLING"] == 0
    f = next(layer.getFeatures())
    assert f["cluster_id"] == "E-1" and f["kind"] == "exchange"
    # a triangle plus a pendant has no community structure (modularity of any split <= 0): one cluster
    assert f["members"] == ", ".join([A, B, C, D]) and f["n_synergies"] == 4
    assert f["total_quantity"] == 61 and f["unit"] == "t" and f["co2_avoided_t"] == pytest.approx(6.1)


def test_empty_synergy_layer_gives_pooling_only(eit_provider):
    result, layer, _ = _run({"FLOWS": _flows_layer(LINE), "SYNERGIES": _synergies_layer([]), "OUTPUT": "memory:"})
    assert result["N_POOLING"] == 1 and result["N_EXCHANGE"] == 0


def test_missing_field_is_named(eit_provider):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="quantity"):
        _run({"FLOWS": _flows_layer(LINE, drop=("quantity",)), "OUTPUT": "memory:"})
