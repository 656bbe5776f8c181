"""eit:estimateflows through Processing: fields of the contract, estimates, surveys (CSV/XLSX), errors."""
import pytest
from qgis.core import (
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

from eit_plugin.core.fields import FLOW_FIELDS, names

CHEESE = "11111111111111"
STEEL = "44444444444444"


def establishments_layer(field_names=("SIRET", "Name", "NAF", "headcount_band", "headcount_est")):
    layer = QgsVectorLayer("Point?crs=EPSG:2154", "establishments", "memory")
    provider = layer.dataProvider()
    provider.addAttributes([QgsField(n, QVariant.Double if n == "headcount_est" else QVariant.String)
                            for n in field_names])
    layer.updateFields()
    rows = [
        (CHEESE, "Coopérative laitière", "10.51C", "12", 34.5, 940000, 6500000),
        (STEEL, "Aciérie", "24.10Z", "42", 1499.5, 941000, 6501000),
        ("33333333333333", "Activité X", "99.00Z", "11", 14.5, 942000, 6502000),
    ]
    features = []
    for row in rows:
        feature = QgsFeature(layer.fields())
        feature.setAttributes(list(row[:len(field_names)]))
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(row[5], row[6])))
        features.append(feature)
    provider.addFeatures(features)
    return layer


def run(params):
    import processing

    context = QgsProcessingContext()
    feedback = QgsProcessingFeedback()
    result = processing.run("eit:estimateflows", {"OUTPUT": "memory:flows", **params}, context=context,
                            feedback=feedback)
    output = result["OUTPUT"]
    if isinstance(output, str):
        output = context.takeResultLayer(output)  # owned here: the context dies with this function
    return result, output


def features_by_id(layer):
    return {f["flow_id"]: f for f in layer.getFeatures()}


def test_estimate_writes_the_contract_fields(eit_provider):
    layer = establishments_layer()
    result, out = run({"INPUT": layer})
    assert [f.name() for f in out.fields()] == names(FLOW_FIELDS)
    assert out.crs().authid() == "EPSG:2154"
    flows = features_by_id(out)
    whey = flows[CHEESE + ":S:agrifood_byproducts"]
    assert whey["quantity"] == pytest.approx(13800.0)
    assert whey["unit"] == "t" and whey["origin"] == "estimated" and whey["ewc_code"] == "02 05 01"
    assert whey.geometry().asPoint() == QgsPointXY(940000, 6500000)
    assert flows[STEEL + ":S:waste_heat"]["temperature_c"] >= 100
    assert result["N_NO_RATIO"] == 1 and result["N_ESTABLISHMENTS_WITH_FLOWS"] == 2
    assert result["N_FLOWS"] == out.featureCount()
    # input untouched
    assert layer.featureCount() == 3 and [f.name() for f in layer.fields()][0] == "SIRET"


def test_declared_csv_overrides(eit_provider, tmp_path):
    path = tmp_path / "flows_declared.csv"
    path.write_bytes(("siret;sens;ressource;quantité;unité;température\r\n"
                      "{};ressource;agrifood_byproducts;9 500;t;\r\n"
                      "{};ressource;waste_heat;-3;MWh;120\r\n").format(CHEESE, STEEL).encode("cp1252"))
    result, out = run({"INPUT": establishments_layer(), "DECLARED": str(path)})
    whey = features_by_id(out)[CHEESE + ":S:agrifood_byproducts"]
    assert whey["quantity"] == 9500 and whey["origin"] == "declared" and whey["confidence"] == 1
    assert result["N_DECLARED_USED"] == 1 and result["N_DECLARED_REJECTED"] == 1


def test_declared_xlsx_read_through_ogr(eit_provider, tmp_path):
    from osgeo import ogr

    path = str(tmp_path / "flows_survey.xlsx")
    ds = ogr.GetDriverByName("XLSX").CreateDataSource(path)
    sheet = ds.CreateLayer("enquete", geom_type=ogr.wkbNone)
    for name, kind in (("siret", ogr.OFTString), ("direction", ogr.OFTString), ("resource", ogr.OFTString),
                       ("quantity", ogr.OFTReal), ("unit", ogr.OFTString), ("ewc_code", ogr.OFTString)):
        sheet.CreateField(ogr.FieldDefn(name, kind))
    feature = ogr.Feature(sheet.GetLayerDefn())
    for name, value in (("siret", STEEL), ("direction", "supply"), ("resource", "slag"), ("quantity", 250000.0),
                        ("unit", "tonnes"), ("ewc_code", "10 02 02")):
        feature.SetField(name, value)
    sheet.CreateFeature(feature)
    ds = None
    result, out = run({"INPUT": establishments_layer(), "DECLARED": path})
    slag = features_by_id(out)[STEEL + ":S:slag"]
    assert slag["quantity"] == 250000 and slag["origin"] == "declared" and slag["ewc_code"] == "10 02 02"


def test_missing_naf_field_is_explained(eit_provider):
    with pytest.raises(QgsProcessingException) as err:
        run({"INPUT": establishments_layer(("siret", "name"))})
    assert "has no field 'naf'" in str(err.value)


def test_survey_with_no_usable_row_fails_with_reasons(eit_provider, tmp_path):
    path = tmp_path / "flows_bad.csv"
    path.write_text("siret,direction,resource,quantity,unit\n{},supply,slag,0,t\n".format(STEEL), encoding="utf-8")
    with pytest.raises(QgsProcessingException) as err:
        run({"INPUT": establishments_layer(), "DECLARED": str(path)})
    assert str(err.value) == ("Declared flows 'flows_bad.csv': no usable row (1 rejected). First problems: Line 2: "
                              "quantity is zero: leave the row out when there is no flow.")


def test_user_ratios_file(eit_provider, tmp_path):
    path = tmp_path / "ratios_local.csv"
    path.write_text("naf,direction,resource,quantity_per_employee,quantity_fixed,unit,temperature_c,ewc_code,"
                    "confidence,source,rationale\n99.00Z,demand,space_heating,1000,0,kWh,60,,0.5,"
                    "audit 2025,\n", encoding="utf-8")
    result, out = run({"INPUT": establishments_layer(), "RATIOS": str(path)})
    assert list(features_by_id(out)) == ["33333333333333:D:space_heating"]
    assert features_by_id(out)["33333333333333:D:space_heating"]["quantity"] == pytest.approx(14.5)
    assert result["N_NO_RATIO"] == 2
