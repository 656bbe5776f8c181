"""The dock's tooltips: what each input is for and what it expects (widget name → text)."""
from __future__ import annotations

from ..i18n import tr


def tooltips() -> dict:
    return {
        "cboZones": tr("The PLU zones in the CNIG zone_urba standard (fields IDURBA, LIBELLE, TYPEZONE). "
                          "Indicators, EIT potential and recommendations are given per zone."),
        "radEstLayer": tr("Use a points layer of establishments already in the project (SIRENE points with "
                             "SIRET, NAF code and headcount band). Closed establishments (state F) are left out."),
        "cboEstablishments": tr("Points with a SIRET, a NAF code and a headcount band (or headcount). "
                                   "Closed establishments (state F) are left out, as in the SIRENE import."),
        "radEstFile": tr("Read the INSEE SIRENE files directly (StockEtablissement, and the geolocation file "
                            "when the coordinates are there). Closed establishments are left out."),
        "fileSirene": tr("The INSEE StockEtablissement file (CSV), whole or extracted for the territory."),
        "fileGeolocation": tr("The INSEE GeolocalisationEtablissement file (siret;x;y;epsg…), needed when the "
                                 "stock file has no coordinates."),
        "fileDeclared": tr("Flows declared by companies (survey, CSV or XLSX: siret, direction, resource, "
                              "quantity, unit…). They replace the estimates for those establishments."),
        "cboHousing": tr("Dwelling points or residential polygons with a number of dwellings: housing heat "
                            "demand that waste heat could serve."),
        "cboNetwork": tr("Road lines: distances for trucked wastes and materials are measured along them "
                            "(straight lines otherwise)."),
        "cboHeatNetwork": tr("An existing district heating network: a heat source only needs to reach it."),
        "cboArea": tr("Polygons of the territory to study: establishments outside are left out. "
                         "Empty: every establishment of the input."),
        "btnDetect": tr("Choose again the project's layers recognised by their fields."),
        "spinClusterDistance": tr("Two establishments closer than this can share a collection or a facility "
                                     "(pooling cluster)."),
        "spinMaxDistance": tr("Upper bound on the supplier–receiver distance of a synergy. "
                                 "'per resource': each resource's own distance (heat is not carried as far as "
                                 "wood)."),
        "spinMinMembers": tr("Fewest establishments for a pooling cluster to be proposed."),
        "cboMode": tr("Public document: the statistical secret is applied (each published figure covers at "
                         "least 3 establishments, none above 85 %); establishments and flows are not written. "
                         "Internal work: every figure, confidential."),
        "cboLanguage": tr("Language of the report (HTML and PDF)."),
        "fileOutputFolder": tr("Folder where each run writes its GeoPackage and report, named by date and "
                                  "time."),
        "btnRun": tr("Run the whole analysis (eit:fullanalysis) in the background; QGIS stays usable."),
        "btnCancel": tr("Stop the running analysis: nothing is written."),
        "btnExplain": tr("Then click a feature of an EIT layer on the map: its explanation is shown here."),
        "btnReport": tr("Open the HTML report of the last run in the web browser."),
        "btnLoad": tr("Load the result GeoPackage of an earlier run."),
        "treeSynergies": tr("Best synergies first; select one to zoom to it and read why it is proposed."),
        "treeClusters": tr("Largest clusters first; select one to zoom to it."),
        "treeRecommendations": tr("Most urgent first; select one to see the zones it is about."),
    }
