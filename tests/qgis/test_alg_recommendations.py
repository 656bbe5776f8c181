"""eit:recommendations through Processing: layers in, recommendation table out, secret applied."""
import re

import pytest
from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsPointXY, QgsProcessingException, QgsVectorLayer
from qgis.PyQt.QtCore import QVariant

SQUARE = "POLYGON(({x0} {y0}, {x1} {y0}, {x1} {y1}, {x0} {y1}, {x0} {y0}))"


def _layer(uri, fields, rows, name):
    layer = QgsVectorLayer(uri, name, "memory")
    layer.dataProvider().addAttributes([QgsField(n, t) for n, t in fields])
    layer.updateFields()
    feats = []
    for geom, attrs in rows:
        f = QgsFeature(layer.fields())
        f.setAttributes(attrs)
        if geom is not None:
            f.setGeometry(geom)
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def _square(x0, y0, size=1000):
    return QgsGeometry.fromWkt(SQUARE.format(x0=x0, y0=y0, x1=x0 + size, y1=y0 + size))


def zones(with_id=True):
    fields = [("zone_id", QVariant.String), ("LIBELLE", QVariant.String), ("LIBELONG", QVariant.String),
              ("TYPEZONE", QVariant.String), ("DESTDOMI", QVariant.String), ("INSEE", QVariant.String),
              ("n_establishments", QVariant.Int), ("eit_potential", QVariant.String),
              ("housing_dwellings", QVariant.Double), ("housing_heat_demand_mwh", QVariant.Double),
              ("is_future", QVariant.Bool)]
    rows = [
        (_square(925000, 6500000), ["Z_UE", "UE", "ZAE du Lac", "U", "02", "73008", 7, "high", 0.0, 0.0, False]),
        (_square(926000, 6500000), ["Z_AU", "1AU", "Les Prés", "AUc", "01", "73008", 0, "low", 150.0, 1234.5, True]),
    ]
    if not with_id:
        fields = fields[1:]
        rows = [(g, a[1:]) for g, a in rows]
    return _layer("Polygon?crs=EPSG:2154", fields, rows, "zones")


def synergies():
    fields = [("synergy_id", QVariant.String), ("kind", QVariant.String), ("supplier_siret", QVariant.String),
              ("receiver_siret", QVariant.String), ("receiver_zone", QVariant.String), ("supplier_zone", QVariant.String),
              ("resource_supply", QVariant.String), ("quantity", QVariant.Double), ("unit", QVariant.String),
              ("distance_m", QVariant.Double), ("mwh_recovered", QVariant.Double), ("pm10_avoided_kg", QVariant.Double),
              ("nox_avoided_kg", QVariant.Double), ("co2_avoided_t", QVariant.Double), ("family", QVariant.String),
              ("reason", QVariant.String)]
    rows = []
    for i, (siret, mwh) in enumerate([("11111111100011", 600.0), ("22222222200022", 500.0), ("33333333300033", 400.0)]):
        line = QgsGeometry.fromPolylineXY([QgsPointXY(925500, 6500500 + i), QgsPointXY(926500, 6500500)])
        rows.append((line, ["S{}".format(i + 1), "housing_heat", siret, None, "Z_AU", "Z_UE", "waste_heat", mwh, "MWh",
                            300.0 + i, mwh, mwh / 10, mwh / 5, mwh / 4, "heat", "Fonderie Martin"]))
    return _layer("LineString?crs=EPSG:2154", fields, rows, "synergies")


def clusters():
    fields = [("cluster_id", QVariant.String), ("kind", QVariant.String), ("resources", QVariant.String),
              ("n_members", QVariant.Int), ("members", QVariant.String), ("total_quantity", QVariant.Double),
              ("unit", QVariant.String), ("zone_ids", QVariant.String), ("action", QVariant.String),
              ("site_zone", QVariant.String), ("land_m2", QVariant.Double), ("truck_km_avoided", QVariant.Double),
              ("co2_avoided_t", QVariant.Double)]
    rows = [(_square(925100, 6500100, 300), ["C1", "pooling", "wood_waste", 3, "A1,A2,A3", 300.0, "t", "Z_UE",
                                             "shared collection and sorting platform", "Z_UE", 600.0, 1500.0, 2.0])]
    return _layer("Polygon?crs=EPSG:2154", fields, rows, "clusters")


def flows(shares=(100.0, 100.0, 100.0)):
    fields = [("flow_id", QVariant.String), ("siret", QVariant.String), ("direction", QVariant.String),
              ("resource", QVariant.String), ("family", QVariant.String), ("quantity", QVariant.Double),
              ("unit", QVariant.String)]
    rows = [(QgsGeometry.fromPointXY(QgsPointXY(925100 + 100 * i, 6500200)),
             ["A{}:S:wood_waste".format(i + 1), "A{}".format(i + 1), "supply", "wood_waste", "waste", q, "t"])
            for i, q in enumerate(shares)]
    return _layer("Point?crs=EPSG:2154", fields, rows, "flows")


def run(_processing, **params):
    from qgis.core import QgsApplication, QgsProcessingAlgorithm, QgsProcessingContext, QgsProcessingFeedback

    # QgsProcessingAlgorithm.run (C++), as qgis_process does: EitAlgorithm.run shadows it in Python.
    params.setdefault("OUTPUT", "memory:")
    alg = QgsApplication.processingRegistry().createAlgorithmById("eit:recommendations")
    context = QgsProcessingContext()
    result, ok = QgsProcessingAlgorithm.run(alg, params, context, QgsProcessingFeedback(), {}, False)
    assert ok
    layer = context.getMapLayer(result["OUTPUT"]) if isinstance(result["OUTPUT"], str) else result["OUTPUT"]
    return result, [f.attributes() for f in layer.getFeatures()], [f.name() for f in layer.fields()]


@pytest.fixture
def processing(eit_provider):
    return None


def test_public_run_writes_protected_recommendations(processing):
    z, s, c, f = zones(), synergies(), clusters(), flows()
    before = [ft.attributes() for ft in s.getFeatures()]
    result, rows, names = run(processing, ZONES=z, SYNERGIES=s, CLUSTERS=c, FLOWS=f, PUBLIC=True)
    recs = [dict(zip(names, r)) for r in rows]
    assert result["N_RECOMMENDATIONS"] == len(recs) > 0
    docs = {r["document"] for r in recs}
    assert {"PLU", "SCoT", "charte"} <= docs  # one row per place and purpose, its instruments one per line
    instruments = {line.split(" (")[0].split(" —")[0] for r in recs for line in r["instrument"].split("\n")}
    assert {"OAP sectorielle", "Emplacement réservé pour une installation d'intérêt général", "Règlement"} <= instruments

    def rule(rid):
        return next(r for r in recs if rid in r["rule_id"].split(","))

    oap = rule("OAP-HEAT-01")
    # 3 suppliers, none above 85 %: the figure is public, written the French way
    assert "1\u202f500 MWh/an" in oap["evidence"] and not oap["suppressed"]
    everything = " ".join(str(v) for r in recs for v in r.values())
    assert not re.search(r"\d{14}", everything) and "Martin" not in everything
    assert all(r["diffusion"].startswith("Diffusable") for r in recs)
    assert [ft.attributes() for ft in s.getFeatures()] == before  # input untouched
    er = rule("ER-FAC-01")
    assert "600 m²" in er["text_fr"] and "C1" in er["related_ids"].split(",") and "L.151-41 2°" in er["article"]


def test_dominant_member_is_withheld_and_internal_mode_marks_confidential(processing):
    _, rows, names = run(processing, ZONES=zones(), SYNERGIES=synergies(), CLUSTERS=clusters(),
                         FLOWS=flows((950.0, 25.0, 25.0)), PUBLIC=True)
    col = next(dict(zip(names, r)) for r in rows if "ZAE-COL-01" in dict(zip(names, r))["rule_id"].split(","))
    assert col["suppressed"] and "95 %" in col["evidence"] and "300 t/an" not in col["evidence"]
    _, rows, names = run(processing, ZONES=zones(), SYNERGIES=synergies(), CLUSTERS=clusters(),
                         FLOWS=flows((950.0, 25.0, 25.0)), PUBLIC=False)
    recs = [dict(zip(names, r)) for r in rows]
    assert {r["diffusion"] for r in recs} == {"CONFIDENTIEL — usage interne"}
    col = next(r for r in recs if "ZAE-COL-01" in r["rule_id"].split(","))
    assert "300 t/an" in col["evidence"] and not col["suppressed"]


def test_raw_zone_layer_is_refused_with_a_clear_message(processing):
    with pytest.raises(QgsProcessingException, match="zone_id.*eit:zoneoverlay"):
        run(processing, ZONES=zones(with_id=False), SYNERGIES=synergies())


def test_bad_rules_file_names_the_line(processing, tmp_path):
    path = tmp_path / "rules.csv"
    path.write_text("id,document,instrument,theme,scope_kind,condition,priority,text_fr,text_en,evidence_fr,"
                    "evidence_en,source,rationale\nX1,PLU_OAP,OAP,t,zone,n_establishments >>= 3,1,a,a,{n_establishments},"
                    ",assumption,r\n", encoding="utf-8")
    with pytest.raises(QgsProcessingException, match="line 2 .rule 'X1'.*condition"):
        run(processing, ZONES=zones(), RULES=str(path))
