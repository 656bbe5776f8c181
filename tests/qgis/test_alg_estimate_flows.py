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


class RecordingFeedback(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.messages = []

    def pushInfo(self, info):  # noqa: N802
        self.messages.append(info)

    def reportError(self, error, fatalError=False):  # noqa: N802
        self.messages.append(error)


def test_registers_in_old_lambert_ii_become_registered_flows(eit_provider, tmp_path):
    """IREP files of an early year (capitalised headers, Windows-1252, EPSG:27572 coordinates):
    the steelworks is matched by SIRET, its registered slag replaces the estimated wastes and
    its register position is checked against the establishment after reprojection."""
    import processing
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject

    to_l2 = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:2154"), QgsCoordinateReferenceSystem("EPSG:27572"),
                                   QgsProject.instance())
    near = to_l2.transform(QgsPointXY(941000 + 300, 6501000 - 200))  # 360 m from the SIRENE point
    far = to_l2.transform(QgsPointXY(940000 + 9000, 6500000))         # the cheese dairy, 9 km off
    folder = tmp_path / "2009"
    folder.mkdir()
    (folder / "etablissements.csv").write_bytes("\r\n".join([
        "Identifiant;Nom_Etablissement;Numero_SIRET;Adresse;Code_Postal;Commune;Departement;Region;Coordonnees_X;"
        "Coordonnees_Y;Code_EPSG;Code_APE;Libelle_APE;code_eprtr;libelle_eprtr",
        "0001;ACIÉRIE;{};;73000;CHAMBÉRY;73;82;{:.0f};{:.0f};27572;271Y;Sidérurgie;2.b;".format(STEEL, near.x(), near.y()),
        "0002;LAITERIE;{};;73000;CHAMBÉRY;73;82;{:.0f};{:.0f};27572;155C;Fromages;;".format(CHEESE, far.x(), far.y()),
    ]).encode("cp1252") + b"\r\n")
    (folder / "Prod_dechets_non_dangereux.csv").write_bytes("\r\n".join([
        "Identifiant;Nom_Etablissement;Dechet;Annee;Code_Operation_Eliminatio_Valorisation;"
        "Libelle_Operation_Eliminatio_Valorisation;Code_Departement;Pays;Code_Dechet;Libelle_Dechet;Quantite;Unite",
        "0001;ACIÉRIE;Laitier;2009;R5;Recyclage;73;;10 02 02;laitiers non traités;350000;tonnes/an",
    ]).encode("cp1252") + b"\r\n")
    context = QgsProcessingContext()
    feedback = RecordingFeedback()
    result = processing.run("eit:estimateflows", {"INPUT": establishments_layer(), "OUTPUT": "memory:flows",
                                                  "REGISTERS": str(folder / "etablissements.csv")},
                            context=context, feedback=feedback)
    layer = result["OUTPUT"]
    if isinstance(layer, str):
        layer = context.takeResultLayer(layer)
    flows = features_by_id(layer)
    slag = flows[STEEL + ":S:slag"]
    assert slag["origin"] == "registered" and slag["quantity"] == pytest.approx(350000.0)
    assert STEEL + ":S:metal_scrap" not in flows  # estimated waste of the registered site replaced
    assert flows[CHEESE + ":S:agrifood_byproducts"]["origin"] == "estimated"
    assert result["N_REGISTERED_USED"] == 1
    text = "\n".join(feedback.messages)
    assert "2 sites, 2 matched" in text
    assert "1 matched sites lie more than 2 km from their register coordinates" in text
