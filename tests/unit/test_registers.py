"""Géorisques IREP registers: files in the published layout (one year: etablissements.csv, waste
production by List-of-Waste code, water withdrawals, emissions), matched by SIRET, turned into
registered flows that replace the estimates of their family and yield to declared flows."""
import zipfile

import numpy as np
import pandas as pd
import pytest

from eit_plugin.core import estimation, registers
from eit_plugin.core.errors import EitInputError

SLAUGHTER = "50851378500271"
CEMENT = "11122233300017"
OUTSIDE = "99988877700011"

WASTE_HEADER = ("identifiant;nom_etablissement;dechet;annee;code_operation_eliminatio_valorisation;"
                "libelle_operation_eliminatio_valorisation;code_departement;pays;code_dechet;libelle_dechet;"
                "quantite;unite")


def write_recent_year(folder):
    """A recent year as published: lower-case headers, ';', CRLF, UTF-8 (BOM on emissions), WGS84."""
    folder.mkdir(parents=True, exist_ok=True)
    crlf = "\r\n"
    (folder / "etablissements.csv").write_bytes(crlf.join([
        "identifiant;nom_etablissement;numero_siret;adresse;code_postal;commune;departement;region;coordonnees_x;"
        "coordonnees_y;code_epsg;code_ape;libelle_ape;code_eprtr;libelle_eprtr",
        "0067001234;SOCOPA VIANDES;50851378500271;RUE DE L'ABATTOIR;67120;DUTTLENHEIM;BAS-RHIN;GRAND EST;7.5630;"
        "48.5240;4326;1011Z;Transformation et conservation de la viande de boucherie;;",
        "0067005678;CIMENTS DU RHIN;11122233300017;ZI;67000;STRASBOURG;BAS-RHIN;GRAND EST;7.7800;48.5600;4326;"
        "2351Z;Fabrication de ciment;3.c;Cement",
        "0067009999;USINE HORS TERRITOIRE;99988877700011;;68000;COLMAR;HAUT-RHIN;GRAND EST;7.35;48.08;4326;2410Z;;;",
    ]).encode("utf-8") + crlf.encode())
    (folder / "Prod_dechets_non_dangereux.csv").write_bytes(crlf.join([
        WASTE_HEADER,
        "0067001234;SOCOPA VIANDES;Matières impropres;2022;R3;Recyclage;67;;02 02 03;matières impropres à la "
        "consommation ou à la transformation;5 200,5;tonnes/an",
        "0067001234;SOCOPA VIANDES;Emballages;2022;R3;Recyclage;67;;15 01 02;emballages en matières plastiques;"
        "< seuil;tonnes/an",
        "0067001234;SOCOPA VIANDES;Boues;2022;R3;Recyclage;67;;02 02 04;boues provenant du traitement in situ des "
        "effluents;800;tonnes/an",
        "0067005678;CIMENTS DU RHIN;Poussières;2022;D5;Stockage;67;;10 13 06;particules et poussières;40;tonnes/an",
    ]).encode("utf-8") + crlf.encode())
    (folder / "Prod_dechets_dangereux.csv").write_bytes(crlf.join([
        WASTE_HEADER,
        "0067005678;CIMENTS DU RHIN;Huiles;2022;R9;Régénération;67;;13 02 05*;huiles moteur non chlorées;12,4;"
        "tonnes/an",
    ]).encode("utf-8") + crlf.encode())
    (folder / "Prelevements.csv").write_bytes(crlf.join([
        "identifiant;nom_etablissement;annee;prelevements_eaux_souterraines;prelevements_eaux_surface;"
        "prelevements_reseau_distribution;prelevements_mer",
        "0067001234;SOCOPA VIANDES;2022;150000;;35000;",
    ]).encode("utf-8") + crlf.encode())
    (folder / "emissions.csv").write_bytes("\ufeff".encode("utf-8") + crlf.join([
        "identifiant;nom_etablissement;annee_emission;milieu;polluant;quantite;unite",
        "0067005678;CIMENTS DU RHIN;2022;Air;CO2 Total (CO2 d'origine biogénique et non biogénique);412000000;kg/an",
        "0067001234;SOCOPA VIANDES;2022;Eau (indirect);Azote total (N);< seuil;kg/an",
    ]).encode("utf-8") + crlf.encode())
    return folder


def write_old_year(folder):
    """An early year: capitalised headers, Windows-1252, Lambert II étendu (EPSG:27572) coordinates."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "etablissements.csv").write_bytes("\r\n".join([
        "Identifiant;Nom_Etablissement;Numero_SIRET;Adresse;Code_Postal;Commune;Departement;Region;Coordonnees_X;"
        "Coordonnees_Y;Code_EPSG;Code_APE;Libelle_APE;code_eprtr;libelle_eprtr",
        "0067001234;SOCOPA VIANDES ABATTOIR DE LA VALLÉE;50851378500271;;67120;DUTTLENHEIM;67;42;984500;2397600;"
        "27572;151A;Production de viandes de boucherie;;",
    ]).encode("cp1252") + b"\r\n")
    (folder / "Prod_dechets_non_dangereux.csv").write_bytes("\r\n".join([
        "Identifiant;Nom_Etablissement;Dechet;Annee;Code_Operation_Eliminatio_Valorisation;"
        "Libelle_Operation_Eliminatio_Valorisation;Code_Departement;Pays;Code_Dechet;Libelle_Dechet;Quantite;Unite",
        "0067001234;SOCOPA VIANDES ABATTOIR DE LA VALLÉE;Matières;2008;R3;Recyclage;67;;020203;matières impropres;"
        "4100;tonnes/an",
    ]).encode("cp1252") + b"\r\n")
    return folder


def establishments():
    return pd.DataFrame({
        "siret": [SLAUGHTER, CEMENT], "name": ["SOCOPA VIANDES", "CIMENTS DU RHIN"], "naf": ["10.11Z", "23.51Z"],
        "headcount_band": ["22", "11"], "x": [1030000.0, 1050000.0], "y": [6830000.0, 6840000.0]})


def test_recent_year_is_read_as_published(tmp_path):
    regs = registers.read_registers(write_recent_year(tmp_path / "2022"))
    sites = regs["sites"].set_index("siret")
    assert sites.at[SLAUGHTER, "identifiant"] == "0067001234" and sites.at[CEMENT, "epsg"] == "4326"
    waste = regs["waste"].set_index("code")
    assert waste.at["020203", "quantity"] == pytest.approx(5200.5)  # '5 200,5'
    assert np.isnan(waste.at["150102", "quantity"]) and waste.at["150102", "below"]  # '< seuil' is unknown
    assert waste.at["130205", "hazardous"]
    assert regs["water"]["quantity"].iloc[0] == pytest.approx(185000.0)
    assert regs["emissions"].set_index("identifiant").at["0067005678", "co2_kg"] == pytest.approx(4.12e8)


def test_zip_and_old_capitalised_cp1252_year(tmp_path):
    folder = write_old_year(tmp_path / "2008")
    archive = tmp_path / "2008.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in folder.iterdir():
            z.write(path, "2008/" + path.name)
    regs = registers.read_registers(archive)
    site = regs["sites"].iloc[0]
    assert site["siret"] == SLAUGHTER and site["name"].endswith("VALLÉE")
    assert site["epsg"] == "27572" and site["x_reg"] == pytest.approx(984500.0)
    assert regs["waste"].iloc[0]["code"] == "020203" and regs["waste"].iloc[0]["quantity"] == 4100.0


def test_registered_flows_replace_estimates_of_their_family_and_yield_to_declared(tmp_path):
    regs = registers.read_registers(write_recent_year(tmp_path / "2022"))
    estimated, _ = estimation.build_flows(establishments())
    flows, report = estimation.build_flows(establishments(), registers=regs, registers_label="2022")
    f = flows.set_index("flow_id")
    abp = f.loc[SLAUGHTER + ":S:animal_byproducts"]
    # 02 02 03 is an animal by-product; the 02 02 04 sludge is a sewage_sludge supply
    assert abp["origin"] == "registered" and abp["quantity"] == pytest.approx(5200.5)
    assert abp["ewc_code"] == "02 02 03" and "IREP 2022" in abp["ratio_source"]
    # estimated paper of the slaughterhouse is replaced (registered waste family), not added
    assert SLAUGHTER + ":S:paper_cardboard" in set(estimated["flow_id"])
    assert SLAUGHTER + ":S:paper_cardboard" not in f.index
    # plastics were '< seuil': unknown, so the estimate stays
    assert f.loc[SLAUGHTER + ":S:plastic_waste", "origin"] == "estimated"
    # heat is another family: untouched
    assert f.loc[SLAUGHTER + ":S:waste_heat", "origin"] == "estimated"
    assert f.loc[SLAUGHTER + ":S:sewage_sludge", "quantity"] == pytest.approx(800.0)
    water = f.loc[SLAUGHTER + ":D:nonpotable_water"]
    assert water["origin"] == "registered" and water["quantity"] == pytest.approx(185000.0)
    # the site outside the territory is reported, the unmapped code too
    text = "\n".join(report.lines())
    assert "USINE HORS TERRITOIRE" in text and "10 13 06" in text and "< seuil" in text
    # declared beats registered
    declared = pd.DataFrame({"siret": [SLAUGHTER], "direction": ["supply"], "resource": ["animal_byproducts"],
                             "quantity": ["4000"], "unit": ["t"]})
    flows, _ = estimation.build_flows(establishments(), declared=declared, registers=regs)
    row = flows.set_index("flow_id").loc[SLAUGHTER + ":S:animal_byproducts"]
    assert row["origin"] == "declared" and row["quantity"] == 4000.0


def test_registered_co2_settles_a_small_cement_site_as_a_kiln(tmp_path):
    regs = registers.read_registers(write_recent_year(tmp_path / "2022"))
    plain, _ = estimation.build_flows(establishments())
    kiln = plain[plain["siret"] == CEMENT]
    # 10-19 workers: below a kiln plant's size, taken as a grinding station without kiln heat
    assert "waste_heat" not in set(kiln["resource"])
    flows, report = estimation.build_flows(establishments(), registers=regs)
    own = flows[flows["siret"] == CEMENT].set_index("resource")
    assert own.at["waste_heat", "quantity"] > 0 and "clinker_kiln (settled" in own.at["waste_heat", "ratio_source"]
    assert own.at["waste_heat", "confidence"] == pytest.approx(0.35)  # settled: no lowering
    assert own.at["waste_oil", "origin"] == "registered"
    assert report.profiles.get("settled") == 1


def test_a_folder_without_etablissements_is_refused(tmp_path):
    (tmp_path / "x").mkdir()
    with pytest.raises(EitInputError, match="etablissements.csv"):
        registers.read_registers(tmp_path / "x")
