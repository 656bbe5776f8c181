"""Synthetic "Métropole Savoie" territory: the embedded sample and benchmark territories.

    python -m tools.generate_sample --sample resources/sample          # the shipped sample
    python -m tools.generate_sample --size 100000 --out /tmp/t100k     # a benchmark territory
    python -m tools.generate_sample --size 2000 --out /tmp/t2k --seed 7

Everything here is SYNTHETIC: commune names and INSEE codes are real, commune boundaries,
PLU zones, establishments, SIRETs, names, flows, housing and networks are generated. The
files are written in the formats the plugin reads in real life:

- ``StockEtablissement_sample.csv``: INSEE SIRENE stock, comma-separated, INSEE headers;
- ``GeolocalisationEtablissement_sample.csv``: INSEE geolocation file, ``;``-separated;
- ``flux_declares_enquete.csv``: a company survey as a French spreadsheet exports it
  (``;``, Windows-1252, CRLF);
- ``metropole_savoie_sample.gpkg``: ``zone_urba`` (CNIG), ``communes``, ``housing``,
  ``heat_network``, ``roads``, ``establishments_sirene`` (EPSG:2154).

The same seed gives byte-identical CSV files; the GeoPackage is written with a fixed
timestamp (``OGR_CURRENT_DATE``) so that it is reproducible on one GDAL version.

Scaling: a territory of N establishments is made of ``ceil(N / 30000)`` tiles, each a copy of
the base territory (zones, networks, the "signal" establishments) shifted east/north, with
its own commune codes (another department number) and its own random establishments; rows
are generated with numpy and streamed to the CSV files tile by tile (memory bounded by one
tile).
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEED = 20240731
SAMPLE_SIZE = 3500  # random establishments in the shipped sample (+ the signal ones)
TILE_SIZE = 30000  # establishments per tile in benchmark territories
CELL_M = 500.0  # PLU zone grid (urban cells are split in four 250 m units)
GPKG_TIMESTAMP = "2025-01-01T00:00:00.000Z"
PLU_DATE = "20200101"

SIRENE_FILE = "StockEtablissement_sample.csv"
GEOLOC_FILE = "GeolocalisationEtablissement_sample.csv"
DECLARED_FILE = "flux_declares_enquete.csv"
GPKG_FILE = "metropole_savoie_sample.gpkg"

SYNTHETIC_NOTE = (
    "DONNÉES SYNTHÉTIQUES — territoire fictif « Métropole Savoie » généré par "
    "tools/generate_sample.py (noms et codes INSEE des communes réels ; limites communales, "
    "zones PLU, établissements, SIRET, flux, logements et réseaux inventés). "
    "SYNTHETIC DATA — not real companies, not real PLU zones."
)

# --------------------------------------------------------------------------------------------
# Projection: RGF93 / Lambert-93 (EPSG:2154), IGN formulas (NTG_71), vectorised.
# --------------------------------------------------------------------------------------------
_E = 0.0818191910428158  # GRS80 first eccentricity
_N = 0.7256077650532670
_C = 11754255.4261
_XS, _YS = 700000.0, 12655612.0499
_LON0 = math.radians(3.0)


def lonlat_to_l93(lon, lat):
    lon = np.radians(np.asarray(lon, dtype=float))
    lat = np.radians(np.asarray(lat, dtype=float))
    es = _E * np.sin(lat)
    lat_iso = np.log(np.tan(np.pi / 4 + lat / 2) * ((1 - es) / (1 + es)) ** (_E / 2))
    r = _C * np.exp(-_N * lat_iso)
    g = _N * (lon - _LON0)
    return _XS + r * np.sin(g), _YS - r * np.cos(g)


def l93_to_lonlat(x, y):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    dx, dy = x - _XS, y - _YS
    r = np.hypot(dx, dy)
    g = np.arctan(dx / -dy)
    lon = _LON0 + g / _N
    lat_iso = -np.log(np.abs(r / _C)) / _N
    lat = 2 * np.arctan(np.exp(lat_iso)) - np.pi / 2
    for _ in range(12):
        es = _E * np.sin(lat)
        lat = 2 * np.arctan(((1 + es) / (1 - es)) ** (_E / 2) * np.exp(lat_iso)) - np.pi / 2
    return np.degrees(lon), np.degrees(lat)


# --------------------------------------------------------------------------------------------
# The territory: communes (real names and INSEE codes, approximate centres), parks, lake.
# --------------------------------------------------------------------------------------------
# insee, name, epci key, lon, lat, urban radius (m), postcode, PLU approval date
COMMUNES = [
    ("73004", "Aillon-le-Jeune", "GC", 6.085, 45.615, 450, "73340", "20170608"),
    ("73029", "Barberaz", "GC", 5.937, 45.553, 700, "73000", "20191218"),
    ("73030", "Barby", "GC", 5.978, 45.567, 550, "73230", "20191218"),
    ("73031", "Bassens", "GC", 5.934, 45.586, 650, "73000", "20191218"),
    ("73064", "Challes-les-Eaux", "GC", 5.979, 45.544, 900, "73190", "20191218"),
    ("73065", "Chambéry", "GC", 5.918, 45.566, 2100, "73000", "20191218"),
    ("73087", "Cognin", "GC", 5.890, 45.559, 750, "73160", "20191218"),
    ("73097", "Curienne", "GC", 6.005, 45.575, 300, "73190", "20191218"),
    ("73137", "Jacob-Bellecombette", "GC", 5.913, 45.550, 550, "73000", "20191218"),
    ("73179", "La Motte-Servolex", "GC", 5.877, 45.596, 1300, "73290", "20191218"),
    ("73213", "La Ravoire", "GC", 5.958, 45.560, 900, "73490", "20191218"),
    ("73222", "Saint-Alban-Leysse", "GC", 5.956, 45.581, 800, "73230", "20191218"),
    ("73225", "Saint-Baldoph", "GC", 5.937, 45.530, 450, "73190", "20191218"),
    ("73248", "Saint-Jean-d'Arvey", "GC", 5.985, 45.587, 350, "73230", "20191218"),
    ("73249", "Saint-Jeoire-Prieuré", "GC", 5.990, 45.530, 450, "73190", "20191218"),
    ("73281", "Saint-Sulpice", "GC", 5.840, 45.563, 400, "73160", "20191218"),
    ("73288", "Sonnaz", "GC", 5.914, 45.617, 450, "73000", "20191218"),
    ("73310", "Vérel-Pragondran", "GC", 5.955, 45.607, 300, "73230", "20191218"),
    ("73326", "Vimines", "GC", 5.865, 45.545, 450, "73160", "20191218"),
    ("73008", "Aix-les-Bains", "GL", 5.912, 45.690, 1800, "73100", "20210923"),
    ("73010", "Entrelacs", "GL", 5.946, 45.786, 650, "73410", "20190627"),
    ("73041", "La Biolle", "GL", 5.930, 45.757, 450, "73410", "20180405"),
    ("73051", "Le Bourget-du-Lac", "GL", 5.858, 45.646, 700, "73370", "20200227"),
    ("73059", "Brison-Saint-Innocent", "GL", 5.893, 45.726, 500, "73100", "20160929"),
    ("73084", "Chindrieux", "GL", 5.850, 45.820, 400, "73310", "20170518"),
    ("73103", "Drumettaz-Clarafond", "GL", 5.922, 45.660, 650, "73420", "20190314"),
    ("73128", "Grésy-sur-Aix", "GL", 5.928, 45.722, 750, "73100", "20181108"),
    ("73155", "Méry", "GL", 5.937, 45.640, 450, "73420", "20200130"),
    ("73182", "Mouxy", "GL", 5.936, 45.684, 450, "73100", "20171012"),
    ("73300", "Tresserve", "GL", 5.897, 45.675, 550, "73100", "20190523"),
    ("73328", "Viviers-du-Lac", "GL", 5.897, 45.642, 550, "73420", "20180621"),
    ("73329", "Voglans", "GL", 5.888, 45.622, 500, "73420", "20191121"),
    ("73017", "Apremont", "CS", 5.935, 45.497, 350, "73190", "20161013"),
    ("73018", "Arbin", "CS", 6.070, 45.510, 400, "73800", "20180215"),
    ("73083", "Chignin", "CS", 6.012, 45.522, 400, "73800", "20170907"),
    ("73096", "Cruet", "CS", 6.100, 45.527, 400, "73800", "20160707"),
    ("73151", "Porte-de-Savoie", "CS", 6.025, 45.494, 600, "73800", "20210325"),
    ("73171", "Montmélian", "CS", 6.046, 45.503, 800, "73800", "20190912"),
    ("73183", "Myans", "CS", 5.982, 45.516, 400, "73800", "20180111"),
    ("73215", "Valgelon-La Rochette", "CS", 6.110, 45.456, 750, "73110", "20200709"),
    ("73240", "Sainte-Hélène-du-Lac", "CS", 6.066, 45.472, 400, "73800", "20170323"),
    ("73270", "Saint-Pierre-d'Albigny", "CS", 6.160, 45.563, 650, "73250", "20190404"),
]
EPCI = {
    "GC": ("200069110", "CA Grand Chambéry"),
    "GL": ("200068674", "CA Grand Lac"),
    "CS": ("200040111", "CC Cœur de Savoie"),
}

# Business parks and other named zones: key, LIBELLE, LIBELONG, TYPEZONE, DESTDOMI,
# centre lon/lat, half sizes (m) in x and y. Cells whose centre falls inside become one zone
# per commune (merged polygon).
SPECIAL_ZONES = [
    ("technolac", "UXt", "Zone d'activités Savoie Technolac (technopole)", "U", "02", 5.8745, 45.6415, 650, 420),
    ("hexapole", "UXh", "Parc d'activités Savoie Hexapole", "U", "02", 5.9170, 45.6460, 520, 380),
    ("alpespace", "UXa", "Parc d'activités Alpespace", "U", "02", 6.0480, 45.4805, 700, 480),
    ("bissy", "UXb", "Zone industrielle de Bissy", "U", "02", 5.8990, 45.5825, 520, 420),
    ("landiers", "UXl", "Zone commerciale Les Landiers", "U", "02", 5.9160, 45.5890, 420, 300),
    ("combaruches", "UXc", "Zone industrielle des Combaruches", "U", "02", 5.9265, 45.7010, 420, 320),
    ("albens_za", "UXe", "Zone d'activités de l'Albanais", "U", "02", 5.9440, 45.7800, 300, 260),
    ("gelon_zi", "UXg", "Zone industrielle du Gelon", "U", "02", 6.1075, 45.4600, 520, 450),
    ("cruet_za", "UXs", "Zone artisanale de Cruet (scierie)", "U", "02", 6.0980, 45.5255, 260, 220),
    ("myans_za", "UXm", "Zone artisanale de Myans (béton)", "U", "02", 5.9740, 45.5200, 260, 220),
    ("step", "UEp", "Station d'épuration (équipement)", "U", "05", 5.8890, 45.5930, 240, 220),
    ("bissy_1au", "1AUm", "Projet urbain mixte Bissy-Érier (OAP, logements et activités)", "AUc", "03",
     5.9065, 45.5775, 260, 220),
    ("thermes", "UT", "Secteur thermal et touristique", "U", "04", 5.9205, 45.6955, 300, 250),
    ("carriere", "Nc", "Secteur de carrière", "N", "10", 5.9420, 45.5220, 360, 280),
]
# Lake Le Bourget (approximate outline, lon/lat): its cells become an "Nl" zone.
LAKE = [(5.870, 45.655), (5.888, 45.668), (5.890, 45.700), (5.881, 45.740), (5.870, 45.780),
        (5.857, 45.800), (5.840, 45.792), (5.834, 45.750), (5.842, 45.700), (5.853, 45.666)]

# Existing district heating network from the Bissy waste-to-energy plant into Chambéry.
HEAT_NETWORK = [
    ("Réseau de chaleur de Chambéry — artère principale",
     [(5.8975, 45.5837), (5.9020, 45.5790), (5.9080, 45.5740), (5.9140, 45.5700), (5.9180, 45.5665)]),
    ("Réseau de chaleur de Chambéry — antenne hôpital",
     [(5.9140, 45.5700), (5.9205, 45.5712), (5.9250, 45.5706)]),
    ("Réseau de chaleur de Chambéry — antenne Biollay",
     [(5.9180, 45.5665), (5.9190, 45.5610), (5.9205, 45.5560)]),
    ("Réseau de chaleur de Chambéry — antenne Bissy",
     [(5.9020, 45.5790), (5.8985, 45.5760), (5.8950, 45.5735)]),
]

# --------------------------------------------------------------------------------------------
# The signal: named establishments placed on purpose (see README "What a correct analysis
# should find"). key, name, NAF, headcount band, lon, lat, declared flows
# (direction, resource, quantity, unit, temperature, EWC code, comment).
# --------------------------------------------------------------------------------------------
SIGNAL = [
    # Heat: the waste-to-energy plant and its neighbours
    ("uve", "UVE de Bissy (valorisation énergétique des déchets)", "38.21Z", "12", 5.8975, 45.5840, [
        ("ressource", "waste_heat", 90000, "MWh", 120, "", "Chaleur fatale non valorisée l'été et en surplus"),
        ("ressource", "incinerator_bottom_ash", 18000, "t", None, "19 01 12", "Mâchefers"),
        ("ressource", "metal_scrap", 900, "t", None, "19 01 02", "Métaux ferreux extraits des mâchefers"),
    ]),
    ("hopital", "Centre hospitalier de Chambéry (fictif)", "86.10Z", "41", 5.9250, 45.5704, [
        ("besoin", "space_heating", 24000, "MWh", 75, "", "Chauffage des bâtiments"),
        ("besoin", "domestic_hot_water", 5000000, "kWh", 60, "", "ECS, saisie en kWh"),
    ]),
    ("piscine_bissy", "Centre aquatique de Bissy", "93.11Z", "11", 5.9050, 45.5790, [
        ("besoin", "low_temp_heat", 3500, "MWh", 32, "", "Bassins"),
    ]),
    ("blanchisserie", "Blanchisserie industrielle des Hôpitaux de Savoie", "96.01A", "21", 5.8935, 45.5795, [
        ("besoin", "process_heat", 2500, "MWh", 85, "", "Tunnels de lavage"),
        ("besoin", "nonpotable_water", 60000, "m3", None, "", ""),
    ]),
    ("step", "Station d'épuration de Chambéry Métropole", "37.00Z", "11", 5.8890, 45.5930, [
        ("ressource", "treated_wastewater", 9000000, "m3", None, "", "Eaux traitées rejetées"),
        ("ressource", "sewage_sludge", 4200, "t", None, "19 08 05", "Boues"),
    ]),
    # Agri-food: cheese dairy → pig farm / methanisation
    ("fromagerie", "Fromagerie coopérative de l'Albanais", "10.51C", "21", 5.9450, 45.7805, [
        ("ressource", "agrifood_byproducts", 25000, "t", None, "02 05 01", "Lactosérum (petit-lait)"),
        ("besoin", "process_heat", 4000, "MWh", 85, "", "Pasteurisation, nettoyage"),
        ("ressource", "waste_heat", 1500, "MWh", 45, "", "Condenseurs des groupes froid"),
    ]),
    ("porcherie", "Élevage porcin du Sapenay", "01.46Z", "02", 5.9560, 45.7720, [
        ("besoin", "animal_feed", 1200, "t", None, "", "Lactosérum accepté en soupe"),
    ]),
    ("methanisation", "Méthanisation agricole de l'Albanais", "35.21Z", "01", 5.9515, 45.7760, [
        ("besoin", "methanisation_feedstock", 15000, "t", None, "", "Intrants recherchés"),
        ("ressource", "biogas", 9000, "MWh", None, "", ""),
    ]),
    # Wood: sawmills → wood boiler / panel maker
    ("scierie_gelon", "Scierie du Gelon", "16.10A", "12", 6.1050, 45.4625, [
        ("ressource", "wood_waste", 6000, "t", None, "03 01 05", "Sciures, copeaux, chutes"),
    ]),
    ("scierie_cruet", "Scierie de Cruet", "16.10A", "03", 6.0980, 45.5255, [
        ("ressource", "wood_waste", 1800000, "kg", None, "030105", "Plaquettes et écorces"),
    ]),
    ("scierie_bauges", "Scierie des Bauges", "16.10A", "03", 6.0830, 45.6120, []),
    ("chaufferie_bois", "Chaufferie bois de Montmélian (réseau de chaleur)", "35.30Z", "02", 6.0420, 45.5010, [
        ("besoin", "solid_biomass_fuel", 12000, "MWh", None, "", "Plaquettes forestières"),
    ]),
    ("panneaux", "Panneaux Bois Alpespace", "16.21Z", "21", 6.0520, 45.4830, [
        ("besoin", "wood_raw_material", 20000, "t", None, "", "Particules et sciures"),
    ]),
    # Paper/board and plastics: pooling in Alpespace and Technolac, board mill in La Rochette
    ("cartonnerie", "Cartonnerie du Gelon", "17.12Z", "22", 6.1100, 45.4580, [
        ("besoin", "recycled_fibre", 60000, "t", None, "", "Papiers-cartons à recycler"),
        ("besoin", "process_heat", 45000, "MWh", 140, "", "Vapeur de séchage"),
    ]),
    ("alp_logistique", "Alpes Logistique Distribution", "52.10B", "12", 6.0465, 45.4795, [
        ("ressource", "paper_cardboard", 240, "t", None, "15 01 01", "Cartons d'emballage"),
        ("ressource", "plastic_waste", 60, "t", None, "15 01 02", "Films étirables"),
    ]),
    ("alp_emballages", "Emballages Plastiques Savoyards", "22.22Z", "21", 6.0470, 45.4810, [
        ("ressource", "plastic_waste", 180, "t", None, "07 02 13", "Chutes de production"),
        ("ressource", "paper_cardboard", 90, "t", None, "15 01 01", ""),
        ("besoin", "process_heat", 3000, "MWh", 70, "", "Extrusion"),
    ]),
    ("alp_mecanique", "Mécanique de Précision Alpespace", "25.62B", "12", 6.0495, 45.4795, [
        ("ressource", "metal_scrap", 150, "t", None, "12 01 01", "Copeaux"),
        ("ressource", "paper_cardboard", 70, "t", None, "15 01 01", ""),
    ]),
    ("alp_grossiste", "Comptoir Savoyard de Gros", "46.90Z", "11", 6.0455, 45.4815, [
        ("ressource", "paper_cardboard", 160, "t", None, "15 01 01", ""),
        ("ressource", "plastic_waste", 40, "t", None, "15 01 02", ""),
    ]),
    ("alp_plats", "Plats Cuisinés des Alpes", "10.85Z", "21", 6.0490, 45.4815, [
        ("ressource", "food_waste", 300, "t", None, "02 03 04", ""),
        ("ressource", "paper_cardboard", 110, "t", None, "15 01 01", ""),
        ("besoin", "process_heat", 3500, "MWh", 90, "", "Cuisson, stérilisation"),
    ]),
    ("alp_salaisons", "Salaisons de Savoie", "10.13A", "12", 6.0510, 45.4800, [
        ("besoin", "process_heat", 2000, "MWh", 80, "", "Étuvage, séchage"),
        ("ressource", "animal_byproducts", 250, "t", None, "02 02 03", ""),
    ]),
    ("alp_chimie", "Chimie Fine du Granier", "20.59Z", "21", 6.0475, 45.4825, [
        ("besoin", "process_heat", 5000, "MWh", 90, "", ""),
        ("ressource", "solvents", 35, "t", None, "07 01 04*", "Solvants usés"),
    ]),
    ("tl_datacenter", "Salle informatique Savoie Technolac", "63.11Z", "11", 5.8720, 45.6420, [
        ("ressource", "waste_heat", 3000, "MWh", 35, "", "Air extrait des salles"),
    ]),
    ("tl_rd", "Laboratoire Énergies Solaires (fictif)", "72.19Z", "21", 5.8745, 45.6405, [
        ("ressource", "paper_cardboard", 45, "t", None, "20 01 01", ""),
    ]),
    ("tl_logiciel", "Logiciels du Lac", "62.01Z", "12", 5.8760, 45.6420, [
        ("ressource", "paper_cardboard", 20, "t", None, "20 01 01", ""),
    ]),
    ("tl_instruments", "Instruments de Mesure Technolac", "26.51B", "12", 5.8770, 45.6410, [
        ("ressource", "paper_cardboard", 60, "t", None, "15 01 01", ""),
        ("ressource", "plastic_waste", 25, "t", None, "15 01 02", ""),
    ]),
    ("tl_medical", "Dispositifs Médicaux du Bourget", "32.50A", "21", 5.8735, 45.6425, [
        ("ressource", "paper_cardboard", 80, "t", None, "15 01 01", ""),
        ("ressource", "plastic_waste", 70, "t", None, "15 01 02", ""),
    ]),
    ("piscine_bourget", "Centre aquatique du Bourget-du-Lac", "93.11Z", "03", 5.8690, 45.6445, [
        ("besoin", "low_temp_heat", 1800, "MWh", 26, "", "Eau des bassins"),
    ]),
    # Aix-les-Bains: foundry waste heat near the thermal baths and an aquatic centre
    ("fonderie", "Fonderie d'Aluminium des Combaruches", "24.53Z", "21", 5.9265, 45.7010, [
        ("ressource", "waste_heat", 16000, "MWh", 75, "", "Fumées des fours et eau de refroidissement"),
        ("besoin", "scrap_metal_feed", 3000, "t", None, "", "Aluminium de récupération"),
        ("ressource", "foundry_sand", 1200, "t", None, "10 10 08", ""),
    ]),
    ("thermes", "Thermes d'Aix (établissement thermal fictif)", "96.04Z", "22", 5.9215, 45.6960, [
        ("besoin", "space_heating", 4000, "MWh", 60, "", "Chauffage basse température"),
        ("besoin", "low_temp_heat", 3000, "MWh", 36, "", "Piscines thermales"),
    ]),
    ("aqualac", "Centre aquatique du Lac (Aix-les-Bains)", "93.11Z", "11", 5.9170, 45.6930, [
        ("besoin", "low_temp_heat", 2500, "MWh", 30, "", ""),
    ]),
    ("hotel_thermes", "Grand Hôtel des Thermes", "55.10Z", "12", 5.9195, 45.6968, []),
    # Building materials: quarry and concrete plant
    ("carriere", "Carrières de Saint-Baldoph", "08.12Z", "11", 5.9420, 45.5220, []),
    ("beton", "Béton Prêt à l'Emploi de Myans", "23.63Z", "03", 5.9740, 45.5200, [
        ("besoin", "aggregates", 40000, "t", None, "", ""),
        ("besoin", "nonpotable_water", 8000, "m3", None, "", "Lavage des toupies"),
    ]),
]

# --------------------------------------------------------------------------------------------
# The background population: NAF sub-class, weight, setting, band profile, short name.
# Settings: c = town centre, r = residential, x = activity zones, a = agricultural land.
# --------------------------------------------------------------------------------------------
NAF_MIX = [
    ("47.11B", 1.2, "c", "shop", "Épicerie"), ("47.11D", 0.8, "x", "mid", "Supermarché"),
    ("47.11F", 0.15, "x", "big", "Hypermarché"), ("10.71C", 1.3, "c", "shop", "Boulangerie"),
    ("47.71Z", 2.0, "c", "shop", "Boutique"), ("47.73Z", 0.8, "c", "shop", "Pharmacie"),
    ("47.30Z", 0.3, "x", "shop", "Station-service"), ("56.10A", 3.2, "c", "shop", "Restaurant"),
    ("56.10C", 1.2, "c", "shop", "Snack"), ("56.30Z", 1.0, "c", "shop", "Bar"),
    ("55.10Z", 0.8, "c", "mid", "Hôtel"), ("55.30Z", 0.2, "a", "shop", "Camping"),
    ("68.20A", 3.0, "r", "none", "SCI"), ("68.20B", 4.0, "r", "none", "SCI"),
    ("68.31Z", 1.5, "c", "shop", "Agence immobilière"), ("69.10Z", 1.2, "c", "shop", "Cabinet juridique"),
    ("69.20Z", 1.2, "c", "shop", "Cabinet comptable"), ("70.22Z", 3.0, "r", "none", "Conseil"),
    ("62.01Z", 1.2, "x", "office", "Informatique"), ("62.02A", 0.8, "c", "office", "Conseil informatique"),
    ("71.12B", 1.2, "c", "office", "Bureau d'études"), ("72.19Z", 0.3, "x", "office", "Laboratoire"),
    ("86.21Z", 1.5, "c", "shop", "Cabinet médical"), ("86.23Z", 0.8, "c", "shop", "Cabinet dentaire"),
    ("86.90E", 1.2, "c", "none", "Kinésithérapie"), ("96.02A", 1.3, "c", "shop", "Salon de coiffure"),
    ("96.02B", 0.9, "c", "shop", "Institut de beauté"), ("85.59A", 0.8, "c", "shop", "Formation"),
    ("94.99Z", 3.0, "r", "none", "Association"), ("84.11Z", 0.4, "c", "public", "Mairie"),
    ("85.20Z", 0.6, "r", "public", "École"), ("64.19Z", 0.5, "c", "mid", "Banque"),
    ("66.22Z", 0.6, "c", "shop", "Assurances"), ("45.20A", 1.0, "x", "shop", "Garage"),
    ("45.11Z", 0.4, "x", "mid", "Automobiles"), ("43.21A", 1.6, "r", "shop", "Électricité"),
    ("43.22A", 1.5, "r", "shop", "Plomberie chauffage"), ("43.32A", 1.0, "r", "shop", "Menuiserie"),
    ("43.34Z", 1.0, "r", "shop", "Peinture"), ("41.20A", 0.8, "r", "shop", "Construction"),
    ("43.99C", 1.0, "x", "shop", "Maçonnerie"), ("81.21Z", 0.8, "x", "mid", "Nettoyage"),
    ("88.10A", 0.5, "c", "mid", "Aide à domicile"), ("87.10A", 0.15, "r", "big", "EHPAD"),
    ("46.90Z", 0.6, "x", "mid", "Négoce"), ("46.73A", 0.25, "x", "mid", "Négoce bois et matériaux"),
    ("49.41A", 0.6, "x", "mid", "Transports"), ("52.10B", 0.25, "x", "mid", "Entrepôt"),
    ("25.62B", 0.5, "x", "ind", "Mécanique"), ("25.11Z", 0.25, "x", "ind", "Métallerie"),
    ("22.29A", 0.2, "x", "ind", "Plasturgie"), ("22.22Z", 0.1, "x", "ind", "Emballages"),
    ("10.13A", 0.1, "x", "ind", "Salaisons"), ("10.89Z", 0.15, "x", "ind", "Agroalimentaire"),
    ("10.51C", 0.1, "a", "ind", "Fromagerie"), ("11.07B", 0.05, "x", "ind", "Boissons"),
    ("16.23Z", 0.3, "x", "ind", "Charpente"), ("16.10A", 0.06, "a", "ind", "Scierie"),
    ("31.09B", 0.2, "x", "ind", "Ameublement"), ("18.12Z", 0.25, "x", "ind", "Imprimerie"),
    ("20.59Z", 0.05, "x", "ind", "Chimie"), ("23.61Z", 0.06, "x", "ind", "Préfabrication béton"),
    ("28.29B", 0.15, "x", "ind", "Machines"), ("33.12Z", 0.25, "x", "ind", "Maintenance industrielle"),
    ("26.51B", 0.08, "x", "ind", "Instrumentation"), ("27.90Z", 0.06, "x", "ind", "Matériel électrique"),
    ("38.11Z", 0.08, "x", "mid", "Collecte des déchets"), ("38.32Z", 0.06, "x", "mid", "Recyclage"),
    ("01.41Z", 0.7, "a", "farm", "GAEC laitier"), ("01.21Z", 0.5, "a", "farm", "Domaine viticole"),
    ("01.50Z", 0.3, "a", "farm", "Exploitation agricole"), ("01.46Z", 0.05, "a", "farm", "Élevage porcin"),
    ("02.20Z", 0.15, "a", "farm", "Exploitation forestière"), ("93.11Z", 0.12, "r", "mid", "Équipement sportif"),
    ("93.13Z", 0.4, "c", "shop", "Salle de sport"), ("96.01B", 0.2, "c", "shop", "Pressing"),
    ("96.04Z", 0.2, "c", "shop", "Spa"), ("63.11Z", 0.1, "x", "office", "Hébergement informatique"),
    ("86.10Z", 0.03, "c", "big", "Clinique"), ("35.30Z", 0.03, "x", "mid", "Chaufferie collective"),
    ("90.01Z", 0.5, "c", "none", "Compagnie artistique"), ("74.10Z", 0.8, "r", "none", "Design"),
]
BAND_PROFILES = {
    "none": (("NN", 0.55), ("00", 0.35), ("01", 0.08), ("02", 0.02)),
    "shop": (("NN", 0.12), ("00", 0.18), ("01", 0.28), ("02", 0.22), ("03", 0.12), ("11", 0.06), ("12", 0.02)),
    "office": (("00", 0.15), ("01", 0.2), ("02", 0.2), ("03", 0.15), ("11", 0.15), ("12", 0.1), ("21", 0.05)),
    "mid": (("01", 0.1), ("02", 0.15), ("03", 0.2), ("11", 0.25), ("12", 0.2), ("21", 0.08), ("22", 0.02)),
    "big": (("11", 0.1), ("12", 0.3), ("21", 0.3), ("22", 0.2), ("31", 0.05), ("32", 0.05)),
    "ind": (("02", 0.1), ("03", 0.15), ("11", 0.25), ("12", 0.27), ("21", 0.15), ("22", 0.06), ("31", 0.02)),
    "public": (("03", 0.2), ("11", 0.3), ("12", 0.3), ("21", 0.15), ("22", 0.05)),
    "farm": (("NN", 0.2), ("00", 0.3), ("01", 0.3), ("02", 0.15), ("03", 0.05)),
}
BAND_MID = {"NN": 0.0, "00": 0.0, "01": 1.5, "02": 4.0, "03": 7.5, "11": 15.0, "12": 35.0, "21": 75.0,
            "22": 150.0, "31": 225.0, "32": 375.0, "41": 750.0, "42": 1500.0}
PLACE_WORDS = ["du Lac", "des Alpes", "de la Leysse", "du Nivolet", "du Revard", "de l'Albanais",
               "du Granier", "des Bauges", "de la Chartreuse", "du Margériaz", "de la Combe",
               "du Verney", "de Mérande", "du Bourget", "de l'Hyères", "du Mont du Chat",
               "de la Dent du Chat", "du Gelon", "de l'Isère", "du Colombier", "Savoie", "73",
               "Alpin", "du Château", "des Vignes", "de la Gare", "du Centre", "des Marais"]
STREET_TYPES = ["RUE", "AV", "CHE", "RTE", "BD", "ALL", "IMP", "PL"]
STREET_NAMES = ["DE LA REPUBLIQUE", "DU COLONEL BURNET", "DES ALPES", "DU LAC", "DE BOIGNE",
                "JEAN JAURES", "DE LA GARE", "DES VIGNES", "DU NIVOLET", "DE LA LEYSSE",
                "DU MONT BLANC", "DES FONTAINES", "DU STADE", "DE LA MAIRIE", "DES ECOLES",
                "DU CHATEAU", "DES PRES", "DE LA CROIX ROUGE", "DU REVARD", "DE L INDUSTRIE"]

# Generic declared flows for surveyed establishments: NAF prefix → rows
# (direction, resource, per employee, unit, temperature, EWC).
SURVEY_PATTERNS = {
    "56": [("ressource", "food_waste", 0.6, "t", None, "20 01 08")],
    "10": [("ressource", "agrifood_byproducts", 4.0, "t", None, "02 03 04"),
           ("besoin", "process_heat", 8.0, "MWh", 80, "")],
    "47": [("ressource", "paper_cardboard", 0.9, "t", None, "15 01 01"),
           ("ressource", "plastic_waste", 0.2, "t", None, "15 01 02")],
    "25": [("ressource", "metal_scrap", 2.5, "t", None, "12 01 01")],
    "22": [("ressource", "plastic_waste", 1.6, "t", None, "07 02 13")],
    "16": [("ressource", "wood_waste", 3.0, "t", None, "03 01 05")],
    "31": [("ressource", "wood_waste", 1.5, "t", None, "03 01 05")],
    "18": [("ressource", "paper_cardboard", 3.0, "t", None, "03 03 08")],
    "43": [("ressource", "inert_construction", 12.0, "t", None, "17 01 07")],
    "41": [("ressource", "inert_construction", 15.0, "t", None, "17 09 04")],
    "45": [("ressource", "waste_oil", 0.3, "t", None, "13 02 05*")],
    "55": [("besoin", "space_heating", 9.0, "MWh", 70, ""), ("besoin", "domestic_hot_water", 5.0, "MWh", 60, "")],
    "86": [("besoin", "space_heating", 12.0, "MWh", 70, "")],
    "87": [("besoin", "space_heating", 10.0, "MWh", 70, "")],
    "62": [("ressource", "paper_cardboard", 0.1, "t", None, "20 01 01")],
    "69": [("ressource", "paper_cardboard", 0.1, "t", None, "20 01 01")],
    "71": [("ressource", "paper_cardboard", 0.1, "t", None, "20 01 01")],
    "28": [("ressource", "metal_scrap", 1.5, "t", None, "12 01 01")],
    "01": [("besoin", "organic_amendment", 20.0, "t", None, "")],
    "93": [("besoin", "low_temp_heat", 60.0, "MWh", 30, "")],
    "20": [("ressource", "solvents", 0.8, "t", None, "07 01 04*"), ("besoin", "process_heat", 40.0, "MWh", 90, "")],
}

SIRENE_COLUMNS = [
    "siren", "nic", "siret", "statutDiffusionEtablissement", "dateCreationEtablissement",
    "trancheEffectifsEtablissement", "anneeEffectifsEtablissement",
    "activitePrincipaleRegistreMetiersEtablissement", "dateDernierTraitementEtablissement",
    "etablissementSiege", "nombrePeriodesEtablissement", "complementAdresseEtablissement",
    "numeroVoieEtablissement", "indiceRepetitionEtablissement", "dernierNumeroVoieEtablissement",
    "indiceRepetitionDernierNumeroVoieEtablissement", "typeVoieEtablissement",
    "libelleVoieEtablissement", "codePostalEtablissement", "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement", "distributionSpecialeEtablissement",
    "codeCommuneEtablissement", "codeCedexEtablissement", "libelleCedexEtablissement",
    "codePaysEtrangerEtablissement", "libellePaysEtrangerEtablissement",
    "identifiantAdresseEtablissement", "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement", "complementAdresse2Etablissement",
    "numeroVoie2Etablissement", "indiceRepetition2Etablissement", "typeVoie2Etablissement",
    "libelleVoie2Etablissement", "codePostal2Etablissement", "libelleCommune2Etablissement",
    "libelleCommuneEtranger2Etablissement", "distributionSpeciale2Etablissement",
    "codeCommune2Etablissement", "codeCedex2Etablissement", "libelleCedex2Etablissement",
    "codePaysEtranger2Etablissement", "libellePaysEtranger2Etablissement", "dateDebut",
    "etatAdministratifEtablissement", "enseigne1Etablissement", "enseigne2Etablissement",
    "enseigne3Etablissement", "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement", "nomenclatureActivitePrincipaleEtablissement",
    "caractereEmployeurEtablissement", "activitePrincipaleNAF25Etablissement",
]
GEOLOC_COLUMNS = ["siret", "x", "y", "qualite_xy", "epsg", "plg_qp", "plg_iris", "plg_zus", "plg_qva",
                  "plg_code_commune", "distance_precision", "qualite_qp", "qualite_iris", "qualite_zus",
                  "qualite_qva", "y_latitude", "x_longitude"]
DECLARED_COLUMNS = ["siret", "direction", "resource", "quantity", "unit", "temperature_c", "ewc_code", "comment"]
# Department codes given to the communes of benchmark tiles > 0 (tile 0 is Savoie, 73).
TILE_DEPARTMENTS = [f"{d:02d}" for d in range(1, 96) if d not in (20, 73)]


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------
def luhn_key(payload: np.ndarray) -> np.ndarray:
    """Check digit making ``payload`` (n, k) digits + key Luhn-valid."""
    k = payload.shape[1]
    pos = k - np.arange(k) + 1  # position from the right once the key is appended
    d = payload.astype(np.int64).copy()
    dbl = pos % 2 == 0
    d[:, dbl] *= 2
    d[d > 9] -= 9
    return (10 - d.sum(axis=1) % 10) % 10


def luhn_valid(s: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(s)):
        v = int(ch)
        if i % 2 == 1:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return total % 10 == 0


def digits(values: np.ndarray, width: int) -> np.ndarray:
    values = np.asarray(values, dtype=np.int64)
    p = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // p[None, :]) % 10


def make_sirets(siren8: np.ndarray, nic4: np.ndarray):
    """SIREN (8 digits + key) and NIC (4 digits + key) → (siren, nic, siret) string arrays."""
    sd = digits(siren8, 8)
    siren9 = siren8.astype(np.int64) * 10 + luhn_key(sd)
    payload = np.concatenate([digits(siren9, 9), digits(nic4, 4)], axis=1)
    nic5 = nic4.astype(np.int64) * 10 + luhn_key(payload)
    siren_s = np.char.zfill(siren9.astype(str), 9)
    nic_s = np.char.zfill(nic5.astype(str), 5)
    return siren_s, nic_s, np.char.add(siren_s, nic_s)


def upper_ascii(s: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    return s.upper().replace("'", " ").replace("-", " ")


def points_in_polygon(px, py, poly) -> np.ndarray:
    px = np.asarray(px, dtype=float)
    py = np.asarray(py, dtype=float)
    inside = np.zeros(px.shape, dtype=bool)
    n = len(poly)
    for i in range(n):
        x1, y1 = poly[i]
        x2, y2 = poly[(i + 1) % n]
        cond = (y1 > py) != (y2 > py)
        with np.errstate(divide="ignore", invalid="ignore"):
            xin = (x2 - x1) * (py - y1) / (y2 - y1) + x1
        inside ^= cond & (px < xin)
    return inside


def fmt(v, nd=1) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.{nd}f}"


# --------------------------------------------------------------------------------------------
# Base territory: units (zone polygons), communes, roads, heat network
# --------------------------------------------------------------------------------------------
class Territory:
    """The base territory (tile 0). Geometry arrays in EPSG:2154 metres."""

    def __init__(self, seed: int):
        rng = np.random.default_rng([seed, 1])
        self.seed = seed
        lon = np.array([c[3] for c in COMMUNES])
        lat = np.array([c[4] for c in COMMUNES])
        self.cx, self.cy = lonlat_to_l93(lon, lat)
        self.radius = np.array([c[5] for c in COMMUNES], dtype=float)
        lx, ly = lonlat_to_l93([p[0] for p in LAKE], [p[1] for p in LAKE])
        self.lake = list(zip(lx.tolist(), ly.tolist()))
        self.specials = []
        for key, lib, libelong, tz, dd, slon, slat, hx, hy in SPECIAL_ZONES:
            sx, sy = lonlat_to_l93(slon, slat)
            self.specials.append((key, lib, libelong, tz, dd, float(sx), float(sy), hx, hy))
        # grid of nodes with a small deterministic jitter
        pad = 3500.0
        self.x0 = math.floor((self.cx.min() - pad) / CELL_M) * CELL_M
        self.y0 = math.floor((self.cy.min() - pad) / CELL_M) * CELL_M
        self.nx = int(math.ceil((self.cx.max() + pad - self.x0) / CELL_M))
        self.ny = int(math.ceil((self.cy.max() + pad - self.y0) / CELL_M))
        self.width = self.nx * CELL_M
        self.height = self.ny * CELL_M
        jit = rng.uniform(-0.12, 0.12, size=(self.nx + 1, self.ny + 1, 2)) * CELL_M
        gi, gj = np.meshgrid(np.arange(self.nx + 1), np.arange(self.ny + 1), indexing="ij")
        nodes = np.stack([self.x0 + gi * CELL_M, self.y0 + gj * CELL_M], axis=-1) + jit
        # multiples of 4 cm: split points (means of 2 or 4 nodes) stay exact at 1 cm precision,
        # so a split cell's extra vertices lie exactly on its unsplit neighbour's edge
        self.nodes = np.round(nodes / 0.04) * 0.04
        self._build_units(rng)
        self._build_roads()
        self._build_heat_network()

    # -- zones --------------------------------------------------------------------------------
    def _influence(self):
        return 2600.0 + 0.8 * self.radius

    def _nearest_commune(self, x, y):
        d = np.hypot(x[:, None] - self.cx[None, :], y[:, None] - self.cy[None, :])
        score = d / (1.0 + self.radius[None, :] / 2500.0)
        k = score.argmin(axis=1)
        return k, d[np.arange(len(x)), k]

    def _special_of(self, x, y):
        out = np.full(len(x), -1, dtype=int)
        for s, (_k, _l, _ll, _t, _d, sx, sy, hx, hy) in enumerate(self.specials):
            m = (np.abs(x - sx) <= hx) & (np.abs(y - sy) <= hy) & (out < 0)
            out[m] = s
        return out

    def _noise(self, x, y, rng_phase):
        v = np.zeros(len(x))
        for (fx, fy, ph) in rng_phase:
            v += np.sin(x * fx + y * fy + ph)
        return v / len(rng_phase)

    def _build_units(self, rng):
        # cells
        ci, cj = np.meshgrid(np.arange(self.nx), np.arange(self.ny), indexing="ij")
        ci, cj = ci.ravel(), cj.ravel()
        quads = np.stack([self.nodes[ci, cj], self.nodes[ci + 1, cj], self.nodes[ci + 1, cj + 1],
                          self.nodes[ci, cj + 1]], axis=1)  # (n,4,2) counter-clockwise
        ctr = quads.mean(axis=1)
        k, d = self._nearest_commune(ctr[:, 0], ctr[:, 1])
        keep = d <= self._influence()[k]
        quads, ctr, k, d = quads[keep], ctr[keep], k[keep], d[keep]
        sp = self._special_of(ctr[:, 0], ctr[:, 1])
        near_special = np.zeros(len(ctr), dtype=bool)
        for (_k, _l, _ll, _t, _d, sx, sy, hx, hy) in self.specials:
            near_special |= (np.abs(ctr[:, 0] - sx) <= hx + CELL_M) & (np.abs(ctr[:, 1] - sy) <= hy + CELL_M)
        split = ((d < 1.3 * self.radius[k]) | near_special) & (sp < 0)
        # split urban cells in four by bilinear interpolation (edges stay straight)
        units = [quads[~split]]
        q = quads[split]
        p00, p10, p11, p01 = q[:, 0], q[:, 1], q[:, 2], q[:, 3]

        def bil(u, v):
            return (1 - u) * (1 - v) * p00 + u * (1 - v) * p10 + u * v * p11 + (1 - u) * v * p01

        for (u0, v0) in ((0, 0), (0.5, 0), (0.5, 0.5), (0, 0.5)):
            units.append(np.stack([bil(u0, v0), bil(u0 + 0.5, v0), bil(u0 + 0.5, v0 + 0.5),
                                   bil(u0, v0 + 0.5)], axis=1))
        uq = np.concatenate(units, axis=0)
        uc = uq.mean(axis=1)
        # deterministic order: by row then column of the centre
        order = np.lexsort((np.round(uc[:, 0], 1), np.round(uc[:, 1], 1)))
        uq, uc = uq[order], uc[order]
        k, d = self._nearest_commune(uc[:, 0], uc[:, 1])
        sp = self._special_of(uc[:, 0], uc[:, 1])
        in_lake = points_in_polygon(uc[:, 0], uc[:, 1], self.lake)
        phases = [(rng.uniform(-1, 1) / 1400, rng.uniform(-1, 1) / 1400, rng.uniform(0, 6.3)) for _ in range(4)]
        nz = self._noise(uc[:, 0], uc[:, 1], phases)
        u = rng.uniform(size=len(uc))
        r = self.radius[k] * (1 + 0.15 * self._noise(uc[:, 0], uc[:, 1], phases[::-1]))
        lib = np.empty(len(uc), dtype=object)
        lib[:] = ""
        rel = d / r
        lib[rel < 0.3] = "UA"
        lib[(rel >= 0.3) & (rel < 0.7)] = "UB"
        lib[(rel >= 0.7) & (rel < 1.0)] = "UC"
        ring = (rel >= 1.0) & (rel < 1.3)
        lib[ring & (u < 0.30)] = "1AU"
        lib[ring & (u >= 0.30) & (u < 0.45)] = "2AU"
        lib[ring & (u >= 0.45)] = "UC"
        lib[(rel < 1.0) & (rel >= 0.2) & (u > 0.95)] = "UE"
        lib[(rel >= 0.6) & (rel < 1.3) & (u > 0.90) & (u <= 0.95)] = "UX"
        rural = rel >= 1.3
        lib[rural & (nz > 0.05)] = "N"
        lib[rural & (nz <= 0.05)] = "A"
        lib[rural & (nz <= 0.05) & (u < 0.06)] = "Ah"  # hamlets in farmland
        lib[in_lake] = "Nl"
        for s, (_key, slib, *_rest) in enumerate(self.specials):
            lib[(sp == s) & ~in_lake] = slib
        self.unit_quads = uq
        self.unit_ctr = uc
        self.unit_commune = k
        self.unit_lib = lib
        self.unit_special = np.where(in_lake, -1, sp)
        self.unit_lake = in_lake
        area = self._quad_area(uq)
        self.unit_area = area
        dens = {"UA": 55.0, "UB": 30.0, "UC": 12.0, "Ah": 4.0, "UT": 10.0, "UE": 2.0}
        dw = np.array([dens.get(v, 0.0) for v in lib]) * area / 10000.0
        dw = np.round(dw * rng.uniform(0.7, 1.3, size=len(lib)))
        self.unit_dwellings = dw.astype(int)
        planned = np.zeros(len(lib), dtype=int)
        planned[lib == "1AU"] = np.round(25.0 * area[lib == "1AU"] / 10000.0).astype(int)
        planned[lib == "1AUm"] = np.round(25.0 * area[lib == "1AUm"] / 10000.0).astype(int)
        self.unit_planned = planned

    @staticmethod
    def _quad_area(q):
        x, y = q[..., 0], q[..., 1]
        return 0.5 * np.abs(np.sum(x * np.roll(y, -1, axis=1) - np.roll(x, -1, axis=1) * y, axis=1))

    def zone_groups(self):
        """Zones as lists of unit indices: special zones and the lake merged per commune,
        other units one zone each. Returned sorted deterministically."""
        groups = {}
        for i in range(len(self.unit_lib)):
            lib = self.unit_lib[i]
            if self.unit_special[i] >= 0 or lib == "Nl":
                key = (int(self.unit_commune[i]), lib, -1)
            else:
                key = (int(self.unit_commune[i]), lib, i)
            groups.setdefault(key, []).append(i)
        return [groups[k] for k in sorted(groups)]

    # -- roads --------------------------------------------------------------------------------
    def _build_roads(self):
        from scipy.spatial import Delaunay

        pts = np.column_stack([self.cx, self.cy])
        tri = Delaunay(pts)
        edges = set()
        for s in tri.simplices:
            for a, b in ((s[0], s[1]), (s[1], s[2]), (s[0], s[2])):
                edges.add((min(a, b), max(a, b)))
        roads = []
        for a, b in sorted(edges):
            p, q = pts[a], pts[b]
            length = float(np.hypot(*(q - p)))
            if length > 9000:
                continue
            t = np.linspace(0, 1, 25)
            sx, sy = p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])
            if points_in_polygon(sx, sy, self.lake).any():
                continue
            kind = "route départementale"
            roads.append((f"RD {COMMUNES[a][1]} - {COMMUNES[b][1]}", kind, [tuple(p), tuple(q)]))
        # street grid inside urban areas and parks, on the zone grid nodes
        nodes = self.nodes.reshape(-1, 2)
        ni, nj = np.meshgrid(np.arange(self.nx + 1), np.arange(self.ny + 1), indexing="ij")
        ni, nj = ni.ravel(), nj.ravel()
        k, d = self._nearest_commune(nodes[:, 0], nodes[:, 1])
        urban = d < 1.05 * self.radius[k]
        sp = self._special_of(nodes[:, 0], nodes[:, 1])
        sp_near = np.zeros(len(nodes), dtype=bool)
        for (_k, _l, _ll, _t, _d, sx, sy, hx, hy) in self.specials:
            sp_near |= (np.abs(nodes[:, 0] - sx) <= hx + 0.6 * CELL_M) & (np.abs(nodes[:, 1] - sy) <= hy + 0.6 * CELL_M)
        ok = (urban | sp_near | (sp >= 0)) & ~points_in_polygon(nodes[:, 0], nodes[:, 1], self.lake)
        okg = ok.reshape(self.nx + 1, self.ny + 1)
        for i in range(self.nx + 1):
            for j in range(self.ny + 1):
                if not okg[i, j]:
                    continue
                if i + 1 <= self.nx and okg[i + 1, j]:
                    roads.append(("Voie communale", "rue", [tuple(self.nodes[i, j]), tuple(self.nodes[i + 1, j])]))
                if j + 1 <= self.ny and okg[i, j + 1]:
                    roads.append(("Voie communale", "rue", [tuple(self.nodes[i, j]), tuple(self.nodes[i, j + 1])]))
        # connect every street-grid component to the inter-commune network (nearest centre)
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        idx = np.flatnonzero(ok)
        pos = {int(v): n for n, v in enumerate(idx)}
        rows, cols = [], []
        for v in idx:
            i, j = ni[v], nj[v]
            for (a, b) in ((i + 1, j), (i, j + 1)):
                if a <= self.nx and b <= self.ny and okg[a, b]:
                    rows.append(pos[int(v)])
                    cols.append(pos[int(a * (self.ny + 1) + b)])
        g = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(idx), len(idx)))
        ncomp, lab = connected_components(g, directed=False)
        for c in range(ncomp):
            members = idx[lab == c]
            mp = nodes[members]
            dd = np.hypot(mp[:, 0, None] - self.cx[None, :], mp[:, 1, None] - self.cy[None, :])
            a, b = np.unravel_index(dd.argmin(), dd.shape)
            roads.append(("Voie de desserte", "route", [tuple(mp[a]), (float(self.cx[b]), float(self.cy[b]))]))
        self.roads = [(n, kind, [(float(x), float(y)) for x, y in line]) for n, kind, line in roads]

    def _build_heat_network(self):
        self.heat_network = []
        for name, pts in HEAT_NETWORK:
            x, y = lonlat_to_l93([p[0] for p in pts], [p[1] for p in pts])
            self.heat_network.append((name, list(zip(x.tolist(), y.tolist()))))

    # -- placement ----------------------------------------------------------------------------
    def setting_weights(self):
        lib = self.unit_lib
        park = self.unit_special >= 0
        w = {}
        base = np.zeros(len(lib))
        c = base.copy()
        c[lib == "UA"] = 8
        c[lib == "UB"] = 2
        c[lib == "UC"] = 0.5
        c[lib == "UT"] = 4
        c[np.isin(lib, ["UXl"])] = 3
        w["c"] = c
        r = base.copy()
        r[lib == "UA"] = 2
        r[lib == "UB"] = 3
        r[lib == "UC"] = 2
        r[lib == "Ah"] = 1
        w["r"] = r
        x = base.copy()
        x[lib == "UX"] = 4
        x[park & np.char.startswith(lib.astype(str), "UX")] = 6
        x[lib == "UE"] = 0.3
        x[lib == "UC"] = 0.05
        w["x"] = x
        a = base.copy()
        a[lib == "A"] = 1
        a[lib == "Ah"] = 2
        a[lib == "N"] = 0.1
        w["a"] = a
        for key in w:
            w[key] = w[key] * self.unit_area
            w[key] = w[key] / w[key].sum()
        return w

    def locate(self, x, y):
        """Unit index containing each point (nearest unit centre among candidates)."""
        from scipy.spatial import cKDTree

        tree = cKDTree(self.unit_ctr)
        _, cand = tree.query(np.column_stack([x, y]), k=8)
        out = np.empty(len(x), dtype=int)
        for n in range(len(x)):
            out[n] = cand[n, 0]
            for c in cand[n]:
                if points_in_polygon([x[n]], [y[n]], self.unit_quads[c].tolist())[0]:
                    out[n] = c
                    break
        return out


# --------------------------------------------------------------------------------------------
# Establishments of one tile
# --------------------------------------------------------------------------------------------
def tile_codes(tile: int):
    dept = "73" if tile == 0 else TILE_DEPARTMENTS[(tile - 1) % len(TILE_DEPARTMENTS)]
    return [dept + c[0][2:] for c in COMMUNES]


def tile_offset(terr: Territory, tile: int, ncols: int):
    ti, tj = tile % ncols, tile // ncols
    return ti * (terr.width + 2000.0), tj * (terr.height + 2000.0)


def generate_tile(terr: Territory, tile: int, n_random: int, seed: int, ncols: int, defects: bool):
    """One tile's establishments as a dict of numpy arrays (plus signal metadata)."""
    rng = np.random.default_rng([seed, 100 + tile])
    dx, dy = tile_offset(terr, tile, ncols)
    codes = tile_codes(tile)
    weights = terr.setting_weights()
    naf = np.array([m[0] for m in NAF_MIX])
    w = np.array([m[1] for m in NAF_MIX])
    pick = rng.choice(len(NAF_MIX), size=n_random, p=w / w.sum())
    setting = np.array([m[2] for m in NAF_MIX])[pick]
    unit = np.empty(n_random, dtype=int)
    for s in ("c", "r", "x", "a"):
        m = setting == s
        unit[m] = rng.choice(len(terr.unit_lib), size=int(m.sum()), p=weights[s])
    q = terr.unit_quads[unit]
    u, v = rng.uniform(0.05, 0.95, size=(2, n_random))
    pts = ((1 - u) * (1 - v))[:, None] * q[:, 0] + (u * (1 - v))[:, None] * q[:, 1] + \
        (u * v)[:, None] * q[:, 2] + ((1 - u) * v)[:, None] * q[:, 3]
    band = np.empty(n_random, dtype=object)
    profiles = np.array([m[3] for m in NAF_MIX])[pick]
    for prof, rows in BAND_PROFILES.items():
        m = profiles == prof
        if m.any():
            b = np.array([r[0] for r in rows])
            p = np.array([r[1] for r in rows])
            band[m] = rng.choice(b, size=int(m.sum()), p=p / p.sum())
    label = np.array([m[4] for m in NAF_MIX])[pick]
    place = np.array(PLACE_WORDS)[rng.integers(0, len(PLACE_WORDS), size=n_random)]
    names = np.char.add(np.char.add(label.astype(str), " "), place.astype(str))
    # signal establishments first, then the random ones
    sig_lon = np.array([s[4] for s in SIGNAL])
    sig_lat = np.array([s[5] for s in SIGNAL])
    sx, sy = lonlat_to_l93(sig_lon, sig_lat)
    sig_unit = terr.locate(sx, sy)
    n_sig = len(SIGNAL)
    x = np.concatenate([sx, pts[:, 0]]) + dx
    y = np.concatenate([sy, pts[:, 1]]) + dy
    units = np.concatenate([sig_unit, unit])
    comm = terr.unit_commune[units]
    n = n_sig + n_random
    out = {
        "naf": np.concatenate([np.array([s[2] for s in SIGNAL]), naf[pick]]).astype(object),
        "band": np.concatenate([np.array([s[3] for s in SIGNAL], dtype=object), band]),
        "name": np.concatenate([np.array([s[1] for s in SIGNAL], dtype=object), names.astype(object)]),
        "x": x, "y": y, "unit": units, "commune_idx": comm,
        "insee": np.array(codes, dtype=object)[comm],
        "is_signal": np.arange(n) < n_sig,
    }
    # SIRETs: signal ones from a reserved range (9xxxxxxx), random ones from a bijection
    sig_siren8 = 90000000 + tile * 1000 + np.arange(n_sig) * 7
    ridx = np.arange(n_random, dtype=np.int64) + tile * TILE_SIZE * 4
    rnd_siren8 = 30000000 + (ridx * 7919 + (seed % 1000003)) % 59999989
    rnd_nic4 = np.ones(n_random, dtype=np.int64)
    # about 12 % are secondary establishments of an earlier company (same SIREN, other NIC)
    sec = rng.uniform(size=n_random) < 0.12
    back = rng.integers(1, 8, size=n_random)
    src = np.arange(n_random) - back
    sec &= src >= 0
    rnd_siren8[sec] = 30000000 + ((ridx[sec] - back[sec]) * 7919 + (seed % 1000003)) % 59999989
    rnd_nic4[sec] = 1 + back[sec] * 10 + rng.integers(0, 9, size=int(sec.sum()))
    siren8 = np.concatenate([sig_siren8, rnd_siren8])
    nic4 = np.concatenate([np.ones(n_sig, dtype=np.int64), rnd_nic4])
    siren, nic, siret = make_sirets(siren8, nic4)
    out["siren"], out["nic"], out["siret"] = siren.astype(object), nic.astype(object), siret.astype(object)
    out["siege"] = np.where(nic4 == 1, "true", "false").astype(object)
    # administrative state and diffusion
    closed = rng.uniform(size=n) < 0.08
    closed[:n_sig] = False
    out["etat"] = np.where(closed, "F", "A").astype(object)
    partial = (rng.uniform(size=n) < 0.01) & ~out["is_signal"]
    out["statut"] = np.where(partial, "P", "O").astype(object)
    out["created"] = (np.datetime64("1965-01-01") + rng.integers(0, 21500, size=n).astype("timedelta64[D]")).astype(str)
    out["debut"] = np.where(closed, (np.datetime64("2015-01-01") + rng.integers(0, 3500, size=n)
                                     .astype("timedelta64[D]")).astype(str), out["created"]).astype(object)
    out["num"] = rng.integers(1, 180, size=n)
    out["street_type"] = np.array(STREET_TYPES, dtype=object)[rng.integers(0, len(STREET_TYPES), size=n)]
    out["street"] = np.array(STREET_NAMES, dtype=object)[rng.integers(0, len(STREET_NAMES), size=n)]
    out["enseigne_or_denom"] = rng.uniform(size=n) < 0.7
    out["qualite"] = rng.choice(np.array(["11", "12", "21", "22", "33"]), size=n, p=[0.72, 0.1, 0.1, 0.05, 0.03])
    out["dist_prec"] = np.round(rng.gamma(2.0, 8.0, size=n), 2)
    out["iris"] = rng.integers(101, 112, size=n)
    out["missing_xy"] = np.zeros(n, dtype=bool)
    out["epsg"] = np.full(n, 2154)
    out["defect"] = np.full(n, "", dtype=object)
    out["declared"] = []  # list of (row index, flow tuple)
    # declared flows: the signal establishments + ~5 % of the active random ones
    for i, s in enumerate(SIGNAL):
        for f in s[6]:
            out["declared"].append((i, f))
    surveyed = (~closed) & (rng.uniform(size=n) < 0.05) & ~out["is_signal"]
    for i in np.flatnonzero(surveyed):
        pats = SURVEY_PATTERNS.get(out["naf"][i][:2])
        emp = max(BAND_MID.get(out["band"][i], 0.0), 1.0)
        if not pats:
            pats = [("ressource", "paper_cardboard", 0.12, "t", None, "20 01 01")]
        for (direction, res, per_emp, unit_, temp, ewc) in pats:
            qty = round(per_emp * emp * float(rng.uniform(0.6, 1.4)), 1)
            unit_out = unit_
            r = rng.uniform()
            if unit_ == "t" and r < 0.25:
                qty, unit_out = round(qty * 1000), "kg"
            elif unit_ == "MWh" and r < 0.25:
                qty, unit_out = round(qty * 1000), "kWh"
            if direction == "ressource" and rng.uniform() < 0.3:
                direction = "supply"
            elif direction == "besoin" and rng.uniform() < 0.3:
                direction = "demand"
            if ewc and rng.uniform() < 0.3:
                ewc = ewc.replace(" ", "")
            out["declared"].append((int(i), (direction, res, qty, unit_out, temp, ewc, "")))
    if defects:
        _add_defects(out, rng, n_sig)
    return out


DEFECT_NOTES = {}


def _add_defects(out, rng, n_sig):
    """Deliberate defects (documented in README): indices chosen among random active rows."""
    n = len(out["siret"])
    cand = [i for i in range(n_sig, n) if out["etat"][i] == "A" and out["statut"][i] == "O"]
    picks = rng.choice(np.array(cand), size=13, replace=False)
    picks = [int(p) for p in picks]
    for i in picks[0:4]:
        out["missing_xy"][i] = True
        out["defect"][i] = "missing_coordinates"
    out["naf"][picks[4]] = "99.99Z"
    out["defect"][picks[4]] = "unknown_naf"
    out["naf"][picks[5]] = "00.00Z"
    out["defect"][picks[5]] = "unknown_naf"
    s = out["siret"][picks[6]]
    bad = s[:-1] + str((int(s[-1]) + 1) % 10)
    out["siret"][picks[6]] = bad
    out["nic"][picks[6]] = bad[9:]
    out["defect"][picks[6]] = "invalid_luhn"
    for i in picks[7:9]:
        out["epsg"][i] = 4326
        out["defect"][i] = "epsg_4326"
    out["defect"][picks[9]] = "duplicate_row"
    out["defect"][picks[10]] = "geoloc_orphan"  # an extra geolocation row for an unknown SIRET
    out["defect"][picks[11]] = "declared_unknown_siret"
    out["defect"][picks[12]] = "geocode_low_quality"
    out["qualite"][picks[12]] = "33"


# --------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------
def sirene_rows(t, commune_names, postcodes):
    """Stock rows of one tile (vectorised by column), as tuples in ``SIRENE_COLUMNS`` order."""
    n = len(t["siret"])
    partial = t["statut"] == "P"
    missing = t["missing_xy"] | (t["epsg"] != 2154)
    band = t["band"].astype(str)
    k = t["commune_idx"]

    def where(cond, a, b):
        return np.where(cond, a, b).astype(object)

    xs = where(partial, "[ND]", where(missing, "", np.char.mod("%.1f", t["x"])))
    ys = where(partial, "[ND]", where(missing, "", np.char.mod("%.1f", t["y"])))
    use_ens = t["enseigne_or_denom"] | t["is_signal"]
    ens = where(partial, "[ND]", where(use_ens, t["name"], ""))
    den = where(partial | use_ens, "", t["name"])
    nd_or = lambda values: where(partial, "[ND]", values)  # noqa: E731
    cols = {
        "siren": t["siren"], "nic": t["nic"], "siret": t["siret"],
        "statutDiffusionEtablissement": t["statut"],
        "dateCreationEtablissement": t["created"],
        "trancheEffectifsEtablissement": band,
        "anneeEffectifsEtablissement": where(band == "NN", "", "2022"),
        "dateDernierTraitementEtablissement": np.full(n, "2024-12-31T23:12:05", dtype=object),
        "etablissementSiege": t["siege"],
        "nombrePeriodesEtablissement": where(t["etat"] == "F", "2", "1"),
        "numeroVoieEtablissement": nd_or(t["num"].astype(str)),
        "typeVoieEtablissement": nd_or(t["street_type"]),
        "libelleVoieEtablissement": nd_or(t["street"]),
        "codePostalEtablissement": np.array(postcodes, dtype=object)[k],
        "libelleCommuneEtablissement": np.array(commune_names, dtype=object)[k],
        "codeCommuneEtablissement": t["insee"],
        "coordonneeLambertAbscisseEtablissement": xs,
        "coordonneeLambertOrdonneeEtablissement": ys,
        "dateDebut": t["debut"],
        "etatAdministratifEtablissement": t["etat"],
        "enseigne1Etablissement": ens,
        "denominationUsuelleEtablissement": den,
        "activitePrincipaleEtablissement": t["naf"],
        "nomenclatureActivitePrincipaleEtablissement": np.full(n, "NAFRev2", dtype=object),
        "caractereEmployeurEtablissement": where(np.isin(band, ["NN", "00"]), "N", "O"),
    }
    empty = np.full(n, "", dtype=object)
    return list(zip(*[cols.get(c, empty) for c in SIRENE_COLUMNS]))


def geoloc_rows(t):
    """Geolocation rows of one tile (establishments with coordinates), vectorised by column."""
    ok = ~t["missing_xy"]
    lon, lat = l93_to_lonlat(t["x"], t["y"])
    wgs = t["epsg"] == 4326
    lon_s = np.char.mod("%.7f", lon)
    lat_s = np.char.mod("%.7f", lat)
    xs = np.where(wgs, lon_s, np.char.mod("%.1f", t["x"]))
    ys = np.where(wgs, lat_s, np.char.mod("%.1f", t["y"]))
    ins = t["insee"].astype(str)
    iris = np.char.add(ins, np.char.zfill(t["iris"].astype(str), 4))
    n = len(ok)
    e = np.full(n, "", dtype=object)
    cols = [t["siret"], xs, ys, t["qualite"], t["epsg"].astype(str), e, iris, e, e, ins,
            np.char.mod("%.2f", t["dist_prec"]), e, np.full(n, "1", dtype=object), e, e, lat_s, lon_s]
    cols = [np.asarray(c, dtype=object)[ok] for c in cols]
    return list(zip(*cols))


def declared_rows(t, signal_keys):
    rows = []
    for i, (direction, res, qty, unit, temp, ewc, comment) in t["declared"]:
        qs = f"{qty:g}" if isinstance(qty, (int, float)) else str(qty)
        rows.append([t["siret"][i], direction, res, qs, unit, "" if temp is None else f"{temp:g}", ewc, comment])
    return rows


def add_declared_defects(rows, t):
    """Inconsistent survey entries (README): appended so that their position is stable."""
    sig = {s[0]: i for i, s in enumerate(SIGNAL)}
    unknown = [i for i in range(len(t["siret"])) if t["defect"][i] == "declared_unknown_siret"]
    s_chi = t["siret"][sig["alp_chimie"]]
    s_hop = t["siret"][sig["hopital"]]
    s_fro = t["siret"][sig["fromagerie"]]
    s_tl = t["siret"][sig["tl_logiciel"]]
    s_alp = t["siret"][sig["alp_grossiste"]]
    s_mec = t["siret"][sig["alp_mecanique"]]
    fake = "12345678901234" if not unknown else "9" + t["siret"][unknown[0]][1:]
    rows += [
        [s_chi, "Ressource", "waste_heat", "1500", "MWh", "", "", "Chaleur sans température renseignée"],
        [s_hop, "besoin", "chaleur", "1200", "MWh", "70", "", "Code ressource libre, hors nomenclature"],
        [s_fro, "ressource", "food_waste", "-40", "t", "", "02 05 01", "Quantité négative (erreur de saisie)"],
        [s_tl, "ressource", "plastic_waste", "12,5", "t", "", "15 01 02", "Virgule décimale (tableur français)"],
        [s_alp, "ressource", "paper_cardboard", "160", "t", "", "15 01 01", ""],  # duplicate of a declared row
        [fake, "ressource", "metal_scrap", "30", "t", "", "12 01 01", "SIRET inconnu du fichier SIRENE"],
        [s_alp, "ressource", "wood_waste", "", "t", "", "15 01 03", "Quantité non renseignée"],
        [s_fro, "besoin", "space_heating", "300", "tonnes", "70", "", "Unité incohérente pour de la chaleur"],
        [s_mec, "ressource", "plastic_waste", "20", "t", "", "15 01 0", "Code déchet tronqué"],
    ]
    return rows


def write_csv(path, header, rows, delimiter=",", encoding="utf-8", lineterminator="\n", mode="w"):
    with open(path, mode, encoding=encoding, newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter, lineterminator=lineterminator, quoting=csv.QUOTE_MINIMAL)
        if header is not None:
            w.writerow(header)
        w.writerows(rows)


# --------------------------------------------------------------------------------------------
# GeoPackage
# --------------------------------------------------------------------------------------------
def _ring_wkt(coords):
    pts = list(coords) + [coords[0]]
    return "(" + ",".join(f"{x:.2f} {y:.2f}" for x, y in pts) + ")"


def _merged_polygons(terr: Territory, idx):
    """Union of units ``idx`` as a list of polygons, each a list of (n, 2) rings (no closing point)."""
    from osgeo import ogr

    idx = list(idx)
    if len(idx) == 1:
        return [[terr.unit_quads[idx[0]]]]
    mp = ogr.CreateGeometryFromWkt("MULTIPOLYGON(" + ",".join(
        "(" + _ring_wkt(terr.unit_quads[i]) + ")" for i in idx) + ")")
    geom = ogr.ForceToMultiPolygon(mp.UnionCascaded())
    polys = []
    for p in range(geom.GetGeometryCount()):
        poly = geom.GetGeometryRef(p)
        rings = []
        for r in range(poly.GetGeometryCount()):
            pts = np.array(poly.GetGeometryRef(r).GetPoints())[:, :2]
            rings.append(pts[:-1])
        polys.append(rings)
    return polys


def _multipolygon_wkt(polys, dx, dy) -> str:
    return "MULTIPOLYGON(" + ",".join(
        "(" + ",".join(_ring_wkt(ring + [dx, dy]) for ring in rings) + ")" for rings in polys) + ")"


def write_gpkg(path, terr: Territory, tiles, ncols, tile_data=None, log=print):
    from osgeo import gdal, ogr, osr

    gdal.UseExceptions()
    gdal.SetConfigOption("OGR_CURRENT_DATE", GPKG_TIMESTAMP)
    if os.path.exists(path):
        os.remove(path)
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(2154)

    def layer(name, gtype, fields, description):
        lyr = ds.CreateLayer(name, srs, gtype, options=["DESCRIPTION=" + description, "SPATIAL_INDEX=NO",
                                                         "FID=fid", "GEOMETRY_NAME=geom"])
        for fname, ftype, width in fields:
            fd = ogr.FieldDefn(fname, ftype)
            if width:
                fd.SetWidth(width)
            lyr.CreateField(fd)
        return lyr

    S, INT, R = ogr.OFTString, ogr.OFTInteger, ogr.OFTReal
    zl = layer("zone_urba", ogr.wkbMultiPolygon, [
        ("IDURBA", S, 30), ("LIBELLE", S, 12), ("LIBELONG", S, 254), ("TYPEZONE", S, 3), ("DESTDOMI", S, 2),
        ("NOMFIC", S, 80), ("URLFIC", S, 254), ("INSEE", S, 5), ("DATAPPRO", S, 8), ("DATVALID", S, 8),
        ("nb_logements", INT, 0), ("nb_logements_prevus", INT, 0)],
        "Zones du PLU (standard CNIG zone_urba) — " + SYNTHETIC_NOTE)
    cl = layer("communes", ogr.wkbMultiPolygon, [("insee", S, 5), ("nom", S, 80), ("epci_siren", S, 9),
                                                  ("epci_nom", S, 80)],
               "Communes (noms et codes INSEE réels, limites synthétiques) — " + SYNTHETIC_NOTE)
    hl = layer("housing", ogr.wkbPoint, [("dwellings", INT, 0), ("status", S, 10), ("insee", S, 5),
                                         ("zone_libelle", S, 12)],
               "Logements agrégés par îlot (existants et projetés en zone 1AU) — " + SYNTHETIC_NOTE)
    nl = layer("heat_network", ogr.wkbLineString, [("name", S, 120), ("status", S, 20), ("operator", S, 80),
                                                   ("temperature_c", R, 0)],
               "Réseau de chaleur existant depuis l'UVE de Bissy — " + SYNTHETIC_NOTE)
    rl = layer("roads", ogr.wkbLineString, [("name", S, 120), ("category", S, 40)],
               "Réseau routier simplifié (graphe connexe) — " + SYNTHETIC_NOTE)
    groups = terr.zone_groups()
    meta = {}
    for c in COMMUNES:
        meta[c[0][2:]] = c
    # merged geometries are computed once (tile 0) and shifted for the other tiles
    zone_polys = [_merged_polygons(terr, g) for g in groups]
    commune_polys = [_merged_polygons(terr, np.flatnonzero(terr.unit_commune == k)) for k in range(len(COMMUNES))]
    ds.StartTransaction()
    for tile in range(tiles):
        dx, dy = tile_offset(terr, tile, ncols)
        codes = tile_codes(tile)
        # zones
        for gi, g in enumerate(groups):
            k = int(terr.unit_commune[g[0]])
            lib = terr.unit_lib[g[0]]
            insee = codes[k]
            date = COMMUNES[k][7]
            tz, dd, libelong = zone_type(lib, terr.unit_special[g[0]], terr)
            geom = ogr.CreateGeometryFromWkt(_multipolygon_wkt(zone_polys[gi], dx, dy))
            f = ogr.Feature(zl.GetLayerDefn())
            idurba = f"{insee}_PLU_{date}"
            for name, val in (("IDURBA", idurba), ("LIBELLE", lib), ("LIBELONG", libelong), ("TYPEZONE", tz),
                              ("DESTDOMI", dd), ("NOMFIC", f"{insee}_reglement_{date}.pdf"), ("URLFIC", ""),
                              ("INSEE", insee), ("DATAPPRO", date), ("DATVALID", "20250101"),
                              ("nb_logements", int(terr.unit_dwellings[g].sum())),
                              ("nb_logements_prevus", int(terr.unit_planned[g].sum()))):
                f.SetField(name, val)
            f.SetGeometry(geom)
            zl.CreateFeature(f)
        # communes
        for k, c in enumerate(COMMUNES):
            geom = ogr.CreateGeometryFromWkt(_multipolygon_wkt(commune_polys[k], dx, dy))
            f = ogr.Feature(cl.GetLayerDefn())
            f.SetField("insee", codes[k])
            f.SetField("nom", c[1] if tile == 0 else f"{c[1]} (tuile {tile})")
            f.SetField("epci_siren", EPCI[c[2]][0])
            f.SetField("epci_nom", EPCI[c[2]][1])
            f.SetGeometry(geom)
            cl.CreateFeature(f)
        # housing
        for i in np.flatnonzero((terr.unit_dwellings > 0) | (terr.unit_planned > 0)):
            k = int(terr.unit_commune[i])
            for status, val in (("existant", terr.unit_dwellings[i]), ("projet", terr.unit_planned[i])):
                if val <= 0:
                    continue
                f = ogr.Feature(hl.GetLayerDefn())
                f.SetField("dwellings", int(val))
                f.SetField("status", status)
                f.SetField("insee", codes[k])
                f.SetField("zone_libelle", terr.unit_lib[i])
                pt = ogr.Geometry(ogr.wkbPoint)
                pt.AddPoint_2D(round(float(terr.unit_ctr[i, 0] + dx), 2), round(float(terr.unit_ctr[i, 1] + dy), 2))
                f.SetGeometry(pt)
                hl.CreateFeature(f)
        for name, pts in terr.heat_network:
            f = ogr.Feature(nl.GetLayerDefn())
            f.SetField("name", name)
            f.SetField("status", "existant")
            f.SetField("operator", "Exploitant du réseau de chaleur (fictif)")
            f.SetField("temperature_c", 105.0)
            f.SetGeometry(ogr.CreateGeometryFromWkt(
                "LINESTRING(" + ",".join(f"{x + dx:.2f} {y + dy:.2f}" for x, y in pts) + ")"))
            nl.CreateFeature(f)
        for name, cat, pts in terr.roads:
            f = ogr.Feature(rl.GetLayerDefn())
            f.SetField("name", name)
            f.SetField("category", cat)
            f.SetGeometry(ogr.CreateGeometryFromWkt(
                "LINESTRING(" + ",".join(f"{x + dx:.2f} {y + dy:.2f}" for x, y in pts) + ")"))
            rl.CreateFeature(f)
        if tile > 0:
            # connect this tile's roads to the previous tile (Chambéry centre to Chambéry centre)
            k = [c[0] for c in COMMUNES].index("73065")
            px, py = tile_offset(terr, tile - 1, ncols)
            f = ogr.Feature(rl.GetLayerDefn())
            f.SetField("name", "Liaison inter-tuiles")
            f.SetField("category", "autoroute")
            f.SetGeometry(ogr.CreateGeometryFromWkt(
                f"LINESTRING({terr.cx[k] + px:.2f} {terr.cy[k] + py:.2f},{terr.cx[k] + dx:.2f} {terr.cy[k] + dy:.2f})"))
            rl.CreateFeature(f)
    ds.CommitTransaction()
    if tile_data is not None:
        el = layer("establishments_sirene", ogr.wkbPoint, [
            ("siret", S, 14), ("nom", S, 120), ("naf", S, 6), ("tranche_effectifs", S, 2), ("etat", S, 1),
            ("insee", S, 5)], "Établissements SIRENE géolocalisés (fictifs) — " + SYNTHETIC_NOTE)
        ds.StartTransaction()
        t = tile_data
        for i in range(len(t["siret"])):
            if t["missing_xy"][i]:
                continue
            f = ogr.Feature(el.GetLayerDefn())
            f.SetField("siret", t["siret"][i])
            f.SetField("nom", t["name"][i])
            f.SetField("naf", t["naf"][i])
            f.SetField("tranche_effectifs", t["band"][i])
            f.SetField("etat", t["etat"][i])
            f.SetField("insee", t["insee"][i])
            pt = ogr.Geometry(ogr.wkbPoint)
            pt.AddPoint_2D(round(float(t["x"][i]), 1), round(float(t["y"][i]), 1))
            f.SetGeometry(pt)
            el.CreateFeature(f)
        ds.CommitTransaction()
    # spatial indexes built once at the end (faster than row-by-row triggers)
    for i in range(ds.GetLayerCount()):
        ds.ExecuteSQL("SELECT CreateSpatialIndex('{}', 'geom')".format(ds.GetLayer(i).GetName()))
    ds = None
    gdal.SetConfigOption("OGR_CURRENT_DATE", None)


ZONE_TYPES = {
    "UA": ("U", "03", "Zone urbaine centrale (centre ancien, mixte)"),
    "UB": ("U", "01", "Zone urbaine d'habitat collectif"),
    "UC": ("U", "01", "Zone urbaine d'habitat pavillonnaire"),
    "UE": ("U", "05", "Zone d'équipements publics"),
    "UX": ("U", "02", "Zone d'activités artisanales"),
    "1AU": ("AUc", "03", "Zone à urbaniser ouverte (mixte, OAP)"),
    "2AU": ("AUs", "00", "Zone à urbaniser stricte (ouverture après modification du PLU)"),
    "A": ("A", "07", "Zone agricole"),
    "Ah": ("A", "01", "Hameau en zone agricole (STECAL)"),
    "N": ("N", "08", "Zone naturelle et forestière"),
    "Nl": ("N", "09", "Lac du Bourget (espace remarquable)"),
}


def zone_type(lib, special, terr):
    if special is not None and special >= 0:
        _key, _lib, libelong, tz, dd, *_ = terr.specials[special]
        return tz, dd, libelong
    return ZONE_TYPES[lib]


# --------------------------------------------------------------------------------------------
# Default styles of the sample's input layers (PyQGIS, written once, committed as QML)
# --------------------------------------------------------------------------------------------
# CNIG zone types (TYPEZONE): the colours of the Géoportail de l'urbanisme, as in
# tools/build_styles.py (U red, AUc orange, AUs light orange, A yellow, N green).
CNIG_TYPEZONE_COLOURS = [
    ("U", "#e60000", "U : zone urbaine"),
    ("AUc", "#ff7f00", "AUc : à urbaniser (ouverte)"),
    ("AUs", "#ffbf7f", "AUs : à urbaniser (stricte)"),
    ("A", "#ffff00", "A : agricole"),
    ("N", "#56aa02", "N : naturelle et forestière"),
]
STYLE_FILES = {
    "zone_urba": "zone_urba.qml",
    "communes": "sample_communes.qml",
    "housing": "sample_housing.qml",
    "heat_network": "sample_heat_network.qml",
    "roads": "sample_roads.qml",
    "establishments_sirene": "sample_establishments_sirene.qml",
}


def build_styles(styles_dir: Path, gpkg_path: Path):
    """Write the QML of every sample layer from the layers of ``gpkg_path`` (needs QGIS)."""
    from qgis.core import (
        QgsApplication,
        QgsCategorizedSymbolRenderer,
        QgsFillSymbol,
        QgsLineSymbol,
        QgsMapLayer,
        QgsMarkerSymbol,
        QgsPalLayerSettings,
        QgsRendererCategory,
        QgsSingleSymbolRenderer,
        QgsTextBufferSettings,
        QgsTextFormat,
        QgsVectorLayer,
        QgsVectorLayerSimpleLabeling,
    )
    from qgis.PyQt.QtGui import QColor

    app = QgsApplication.instance()
    own = app is None
    if own:
        app = QgsApplication([], False)
        app.initQgis()

    def fill(colour, alpha, outline="#666666", width="0.1", style="solid"):
        c = QColor(colour)
        return QgsFillSymbol.createSimple({"color": f"{c.red()},{c.green()},{c.blue()},{alpha}",
                                           "outline_color": outline, "outline_width": width, "style": style})

    def labels(layer, expression, size, max_scale_denominator):
        s = QgsPalLayerSettings()
        s.fieldName = expression
        s.isExpression = True
        fmt_ = QgsTextFormat()
        fmt_.setSize(size)
        buf = QgsTextBufferSettings()
        buf.setEnabled(True)
        buf.setSize(0.7)
        buf.setColor(QColor("#ffffff"))
        fmt_.setBuffer(buf)
        s.setFormat(fmt_)
        s.scaleVisibility = True
        s.minimumScale = max_scale_denominator
        s.maximumScale = 0
        layer.setLabeling(QgsVectorLayerSimpleLabeling(s))
        layer.setLabelsEnabled(True)

    styles_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, fname in STYLE_FILES.items():
        layer = QgsVectorLayer(f"{gpkg_path}|layername={name}", name, "ogr")
        if not layer.isValid():
            continue
        if name == "zone_urba":
            cats = [QgsRendererCategory(v, fill(c, 110, "#7f7f7f"), lab) for v, c, lab in CNIG_TYPEZONE_COLOURS]
            layer.setRenderer(QgsCategorizedSymbolRenderer("TYPEZONE", cats))
            labels(layer, '"LIBELLE"', 7, 25000)
        elif name == "communes":
            layer.setRenderer(QgsSingleSymbolRenderer(fill("#ffffff", 0, "#303030", "0.5", "no")))
            labels(layer, '"nom"', 9, 150000)
        elif name == "housing":
            cats = [QgsRendererCategory("existant", QgsMarkerSymbol.createSimple(
                        {"name": "square", "color": "#984ea3", "size": "1.4", "outline_style": "no"}), "Logements existants"),
                    QgsRendererCategory("projet", QgsMarkerSymbol.createSimple(
                        {"name": "square", "color": "#ff00ff", "size": "2.4", "outline_color": "#000000"}),
                        "Logements projetés (1AU)")]
            layer.setRenderer(QgsCategorizedSymbolRenderer("status", cats))
        elif name == "heat_network":
            layer.setRenderer(QgsSingleSymbolRenderer(QgsLineSymbol.createSimple(
                {"line_color": "#d7301f", "line_width": "1.2", "capstyle": "round"})))
        elif name == "roads":
            cats = [QgsRendererCategory("autoroute", QgsLineSymbol.createSimple(
                        {"line_color": "#e07b00", "line_width": "0.9"}), "Liaison principale"),
                    QgsRendererCategory("route départementale", QgsLineSymbol.createSimple(
                        {"line_color": "#8c8c8c", "line_width": "0.6"}), "Route départementale"),
                    QgsRendererCategory("route", QgsLineSymbol.createSimple(
                        {"line_color": "#a6a6a6", "line_width": "0.35"}), "Route de desserte"),
                    QgsRendererCategory("rue", QgsLineSymbol.createSimple(
                        {"line_color": "#c8c8c8", "line_width": "0.2"}), "Rue")]
            layer.setRenderer(QgsCategorizedSymbolRenderer("category", cats))
        elif name == "establishments_sirene":
            cats = [QgsRendererCategory("A", QgsMarkerSymbol.createSimple(
                        {"name": "circle", "color": "#4d4d4d", "size": "1.3", "outline_color": "#ffffff",
                         "outline_width": "0.1"}), "Établissement actif"),
                    QgsRendererCategory("F", QgsMarkerSymbol.createSimple(
                        {"name": "cross", "color": "#999999", "size": "1.3", "outline_color": "#999999"}),
                        "Établissement fermé")]
            layer.setRenderer(QgsCategorizedSymbolRenderer("etat", cats))
            labels(layer, '"nom"', 6.5, 8000)
        path = styles_dir / fname
        cat = QgsMapLayer.StyleCategories(QgsMapLayer.Symbology | QgsMapLayer.Labeling)
        msg, ok = layer.saveNamedStyle(str(path), cat)
        if not ok:
            raise RuntimeError(f"{path}: {msg}")
        written.append(path)
    return written


def embed_styles(gpkg_path: Path, styles_dir: Path):
    """Store the QML styles in the GeoPackage's ``layer_styles`` table as QGIS does, marked
    as default, so the layers open styled. Fixed timestamps keep the file reproducible."""
    from osgeo import gdal, ogr

    gdal.UseExceptions()
    gdal.SetConfigOption("OGR_CURRENT_DATE", GPKG_TIMESTAMP)
    ds = ogr.Open(str(gpkg_path), update=1)
    if ds.GetLayerByName("layer_styles") is not None:
        ds.DeleteLayer("layer_styles")
    lyr = ds.CreateLayer("layer_styles", geom_type=ogr.wkbNone, options=["FID=id"])
    for fname, width in (("f_table_catalog", 256), ("f_table_schema", 256), ("f_table_name", 256),
                         ("f_geometry_column", 256), ("styleName", 30), ("styleQML", 0), ("styleSLD", 0)):
        fd = ogr.FieldDefn(fname, ogr.OFTString)
        fd.SetWidth(width)
        lyr.CreateField(fd)
    fd = ogr.FieldDefn("useAsDefault", ogr.OFTInteger)
    fd.SetSubType(ogr.OFSTBoolean)
    lyr.CreateField(fd)
    for fname, width in (("description", 0), ("owner", 30), ("ui", 30)):
        fd = ogr.FieldDefn(fname, ogr.OFTString)
        fd.SetWidth(width)
        lyr.CreateField(fd)
    lyr.CreateField(ogr.FieldDefn("update_time", ogr.OFTDateTime))
    ds.StartTransaction()
    for name, fname in STYLE_FILES.items():
        path = styles_dir / fname
        if not path.exists() or ds.GetLayerByName(name) is None:
            continue
        f = ogr.Feature(lyr.GetLayerDefn())
        for k, v in (("f_table_catalog", ""), ("f_table_schema", ""), ("f_table_name", name),
                     ("f_geometry_column", "geom"), ("styleName", name), ("styleSLD", ""),
                     ("description", "Style par défaut (échantillon synthétique)"), ("owner", ""), ("ui", "")):
            f.SetField(k, v)
        f.SetField("styleQML", path.read_text(encoding="utf-8"))
        f.SetField("useAsDefault", 1)
        f.SetField("update_time", 2025, 1, 1, 0, 0, 0, 0)
        lyr.CreateFeature(f)
    ds.CommitTransaction()
    ds = None
    gdal.SetConfigOption("OGR_CURRENT_DATE", None)


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------
def generate(out_dir, size=None, seed=DEFAULT_SEED, sample=False, gpkg=True, log=print):
    """Write a territory into ``out_dir``. ``sample=True``: the shipped sample (defects,
    establishments layer in the GeoPackage, README facts). Returns a dict of facts."""
    t0 = time.time()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    terr = Territory(seed)
    if sample:
        tiles, per_tile = 1, SAMPLE_SIZE
    else:
        size = int(size or SAMPLE_SIZE)
        tiles = max(1, math.ceil(size / TILE_SIZE))
        per_tile = None
    ncols = max(1, math.ceil(math.sqrt(tiles)))
    commune_names = [upper_ascii(c[1]) for c in COMMUNES]
    postcodes = [c[6] for c in COMMUNES]
    sirene_path = out_dir / SIRENE_FILE
    geoloc_path = out_dir / GEOLOC_FILE
    declared_path = out_dir / DECLARED_FILE
    write_csv(sirene_path, SIRENE_COLUMNS, [])
    write_csv(geoloc_path, GEOLOC_COLUMNS, [], delimiter=";")
    with open(declared_path, "w", encoding="cp1252", newline="") as fh:
        fh.write(";".join(DECLARED_COLUMNS) + "\r\n")
    facts = {"tiles": tiles, "rows": 0, "establishments": 0}
    sample_tile = None
    total = 0
    for tile in range(tiles):
        if sample:
            n_random = per_tile
        else:
            remaining = size - total
            n_random = max(0, min(TILE_SIZE, remaining) - len(SIGNAL))
        t = generate_tile(terr, tile, n_random, seed, ncols, defects=(tile == 0))
        n = len(t["siret"])
        total += n
        srows = sirene_rows(t, commune_names, postcodes)
        for i in sorted(np.flatnonzero(t["defect"] == "duplicate_row"), reverse=True):
            srows.insert(int(i) + 1, srows[int(i)])
        write_csv(sirene_path, None, srows, mode="a")
        grows = geoloc_rows(t)
        if tile == 0:
            orphan = [i for i in range(n) if t["defect"][i] == "geoloc_orphan"]
            for i in orphan:
                r = list(grows[0])
                r[0] = "8" + t["siret"][i][1:]
                grows.append(r)
        write_csv(geoloc_path, None, grows, delimiter=";", mode="a")
        drows = declared_rows(t, None)
        if tile == 0:
            drows = add_declared_defects(drows, t)
        write_csv(declared_path, None, drows, delimiter=";", encoding="cp1252", lineterminator="\r\n", mode="a")
        facts["rows"] += len(srows)
        facts["establishments"] += n
        if tile == 0:
            sample_tile = t
            facts["declared_rows_tile0"] = len(drows)
        log(f"tile {tile + 1}/{tiles}: {n} establishments ({time.time() - t0:.1f} s)")
    if gpkg:
        write_gpkg(out_dir / GPKG_FILE, terr, tiles, ncols, tile_data=sample_tile if sample else None, log=log)
        embed_styles(out_dir / GPKG_FILE, ROOT / "resources" / "styles")
        log(f"GeoPackage written ({time.time() - t0:.1f} s)")
    facts["zones_per_tile"] = len(terr.zone_groups())
    facts["seconds"] = time.time() - t0
    facts["territory"] = terr
    facts["tile0"] = sample_tile
    return facts


def file_sha256(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sample", metavar="DIR", help="rebuild the shipped sample into DIR")
    ap.add_argument("--size", type=int, help="number of establishments of a benchmark territory")
    ap.add_argument("--out", metavar="DIR", help="output directory for --size")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--no-gpkg", action="store_true", help="CSV files only")
    ap.add_argument("--styles", action="store_true",
                    help="also rewrite the QML styles of the sample layers in resources/styles (needs QGIS)")
    args = ap.parse_args(argv)
    if args.styles:
        tmp = Path(args.sample or args.out or ".") / GPKG_FILE
        if not tmp.exists():
            generate(tmp.parent, size=2000, seed=args.seed, sample=bool(args.sample))
        for path in build_styles(ROOT / "resources" / "styles", tmp):
            print(path)
    if args.sample:
        facts = generate(args.sample, seed=args.seed, sample=True, gpkg=not args.no_gpkg)
        write_readme(Path(args.sample), facts, args.seed)
    elif args.size and args.out:
        facts = generate(args.out, size=args.size, seed=args.seed, gpkg=not args.no_gpkg)
    else:
        ap.error("give --sample DIR, or --size N --out DIR")
    print(f"{facts['establishments']} establishments, {facts['zones_per_tile']} zones per tile, "
          f"{facts['tiles']} tile(s), {facts['seconds']:.1f} s")
    return 0


EXPECTED_SYNERGIES = [
    # kind, supplier key, receiver key (or "zone:<LIBELLE>"), supplied resource, demand resource, why
    ("heat_recovery", "uve", "hopital", "waste_heat", "space_heating",
     "120 °C waste heat, 2.5 km, the hospital is on the existing heat network"),
    ("heat_recovery", "uve", "blanchisserie", "waste_heat", "process_heat", "120 °C for an 85 °C need, 500 m"),
    ("heat_recovery", "uve", "piscine_bissy", "waste_heat", "low_temp_heat", "pool water at 32 °C, 800 m"),
    ("housing_heat", "uve", "zone:1AUm", "waste_heat", "space_heating",
     "future mixed project Bissy-Érier (planned dwellings), crossed by the heat network"),
    ("heat_recovery", "fonderie", "thermes", "waste_heat", "low_temp_heat", "75 °C for 36 °C thermal pools, 700 m"),
    ("heat_recovery", "fonderie", "aqualac", "waste_heat", "low_temp_heat", "75 °C for a 30 °C pool"),
    ("heat_recovery", "tl_datacenter", "piscine_bourget", "waste_heat", "low_temp_heat",
     "35 °C data-room heat for a 26 °C pool (heat pump or direct pre-heating)"),
    ("substitution", "fromagerie", "porcherie", "agrifood_byproducts", "animal_feed", "whey fed to pigs"),
    ("substitution", "fromagerie", "methanisation", "agrifood_byproducts", "methanisation_feedstock",
     "whey left after animal feed (feed comes first in the hierarchy) as digester input"),
    ("substitution", "scierie_gelon", "panneaux", "wood_waste", "wood_raw_material", "sawdust to particle boards"),
    ("substitution", "scierie_cruet", "chaufferie_bois", "wood_waste", "solid_biomass_fuel",
     "chips and bark to the wood boiler"),
    ("substitution", "alp_logistique", "cartonnerie", "paper_cardboard", "recycled_fibre",
     "cardboard to the board mill (same for every Alpespace cardboard producer)"),
    ("substitution", "uve", "fonderie", "metal_scrap", "scrap_metal_feed", "metals from bottom ash"),
    ("substitution", "alp_mecanique", "fonderie", "metal_scrap", "scrap_metal_feed",
     "machining chips; long distance, found only if the taxonomy's max distance for metal allows it"),
    ("substitution", "step", "blanchisserie", "treated_wastewater", "nonpotable_water", "treated water for washing"),
    ("substitution", "uve", "beton", "incinerator_bottom_ash", "aggregates",
     "bottom ash as a substitute for aggregates (after maturation)"),
]
EXPECTED_POOLING = [
    ("paper_cardboard", "UXa Alpespace",
     ["alp_logistique", "alp_emballages", "alp_mecanique", "alp_grossiste", "alp_plats"]),
    ("plastic_waste", "UXa Alpespace", ["alp_logistique", "alp_emballages", "alp_grossiste"]),
    ("paper_cardboard", "UXt Savoie Technolac", ["tl_rd", "tl_logiciel", "tl_instruments", "tl_medical"]),
    ("process_heat (demand: shared heat loop / boiler)", "UXa Alpespace",
     ["alp_emballages", "alp_plats", "alp_salaisons", "alp_chimie"]),
]
EXPECTED_ZONES = [
    ("UXb", "Zone industrielle de Bissy", "waste heat (UVE) next to heat demand, housing and the network"),
    ("UXa", "Alpespace", "pooling of cardboard/plastics, shared process heat, wood panels"),
    ("UXt", "Savoie Technolac", "data-room heat and cardboard pooling"),
    ("UXc", "Zone industrielle des Combaruches", "foundry waste heat for the thermal area"),
    ("UXg", "Zone industrielle du Gelon", "sawmill and board mill (wood waste, recycled fibre)"),
]
DEFECT_TEXT = {
    "missing_coordinates": "no coordinates: empty Lambert columns in the stock, no row in the geolocation file",
    "unknown_naf": "NAF code that does not exist",
    "invalid_luhn": "SIRET whose Luhn key is wrong (last digit changed)",
    "epsg_4326": "geolocation row in EPSG:4326 (x = longitude, y = latitude); stock coordinates empty",
    "duplicate_row": "the whole stock row appears twice",
    "geoloc_orphan": "an extra geolocation row exists for SIRET 8 + the last 13 digits of this one (unknown SIRET)",
    "declared_unknown_siret": "a declared-flow row uses SIRET 9 + the last 13 digits of this one (unknown SIRET)",
    "geocode_low_quality": "qualite_xy = 33 (commune centroid quality)",
}


def write_readme(out_dir: Path, facts, seed):
    terr = facts["territory"]
    t = facts["tile0"]
    sig = {s[0]: i for i, s in enumerate(SIGNAL)}
    groups = terr.zone_groups()
    unit_zone = {}
    for g in groups:
        for i in g:
            unit_zone[i] = g

    def zone_of(i):
        u = int(t["unit"][i])
        k = int(terr.unit_commune[u])
        c = COMMUNES[k]
        return f"{c[1]} ({c[0]}), zone `{terr.unit_lib[u]}` (IDURBA `{c[0]}_PLU_{c[7]}`)"

    def dist(a, b):
        return float(np.hypot(t["x"][a] - t["x"][b], t["y"][a] - t["y"][b]))

    lines = []
    add = lines.append
    add("# Métropole Savoie — synthetic sample territory")
    add("")
    add("**Everything in this folder is SYNTHETIC.** Commune names and INSEE codes are real; commune")
    add("boundaries (union of grid cells around each commune centre), PLU zones, establishments, SIRET")
    add("numbers, company names, declared flows, dwellings and networks are invented. Business parks")
    add("carry the names of real ones (Savoie Technolac, Alpespace, Savoie Hexapole, ZI de Bissy, Les")
    add("Landiers, Les Combaruches) at roughly their real places, but nothing inside them is real. Named")
    add("facilities (UVE de Bissy, hospital, thermal baths…) are fictitious stand-ins. Every GeoPackage")
    add("layer says so in its description (`gpkg_contents.description`, shown as the layer abstract).")
    add("")
    add("Rebuild it (byte-identical CSV files; GeoPackage with a fixed timestamp):")
    add("")
    add("```")
    add("make sample                       # = python -m tools.generate_sample --sample resources/sample")
    add(f"python -m tools.generate_sample --sample DIR [--seed {DEFAULT_SEED}]")
    add("python -m tools.generate_sample --size 100000 --out /tmp/t100k   # benchmark territory")
    add("```")
    add("")
    add("Run it with `/usr/bin/python3` or the project `.venv` (it needs numpy, scipy and GDAL's")
    add("`osgeo` bindings, all from Debian). `--no-gpkg` writes the CSV files only.")
    add("")
    add("## Files")
    add("")
    add("| file | format | content |")
    add("|---|---|---|")
    add(f"| `{SIRENE_FILE}` | INSEE SIRENE `StockEtablissement`: UTF-8, `,`, INSEE column names (incl. "
        "`activitePrincipaleNAF25Etablissement`, empty) | "
        f"{facts['rows']} rows ({facts['establishments']} establishments + 1 duplicated row) |")
    add(f"| `{GEOLOC_FILE}` | INSEE geolocation file: UTF-8, `;`, `siret;x;y;qualite_xy;epsg;…;y_latitude;x_longitude` | "
        "one row per establishment with coordinates (+1 orphan row) |")
    add(f"| `{DECLARED_FILE}` | company survey: **Windows-1252**, `;`, CRLF, header "
        f"`{';'.join(DECLARED_COLUMNS)}` | {facts['declared_rows_tile0']} rows, ~5 % of active establishments |")
    add(f"| `{GPKG_FILE}` | GeoPackage, EPSG:2154, default styles embedded (`layer_styles`) | layers below |")
    add("")
    add("GeoPackage layers:")
    add("")
    add(f"- `zone_urba` — {facts['zones_per_tile']} PLU zones in the CNIG `zone_urba` schema (`IDURBA`, `LIBELLE`, `LIBELONG`,")
    add("  `TYPEZONE`, `DESTDOMI`, `NOMFIC`, `URLFIC`, `INSEE`, `DATAPPRO`, `DATVALID`) + two documented extension")
    add("  fields: `nb_logements` (existing dwellings in the zone) and `nb_logements_prevus` (planned dwellings,")
    add("  `1AU` zones only). One PLU per commune, `IDURBA = {INSEE}_PLU_{DATAPPRO}`. Zones are valid and do not")
    add("  overlap at all (a jittered 500 m grid, split into 250 m units in urban areas; business parks, the")
    add("  lake, the quarry, the thermal area and the Bissy project are merged into one polygon per commune).")
    add("  LIBELLE values: `UA` centre (mixte 03), `UB` collective housing (01), `UC` detached housing (01), `UE`")
    add("  public facilities (05), `UEp` wastewater plant (05), `UX` small craft zones (02), `UX?` named business")
    add("  parks and craft zones (02: `UXt` Technolac, `UXh` Hexapole, `UXa` Alpespace, `UXb` Bissy, `UXl` Landiers,")
    add("  `UXc` Combaruches, `UXe` Albanais, `UXg` Gelon, `UXs` Cruet, `UXm` Myans), `UT` thermal area")
    add("  (04), `1AU` (AUc, 03), `1AUm` Bissy-Érier project (AUc, 03), `2AU` (AUs, 00), `A` (07), `Ah` hamlets")
    add("  (A, 01), `N` (08), `Nl` Lac du Bourget (N, 09), `Nc` quarry (N, 10). No IDZONE: zone ids are built by")
    add("  the overlay (`{IDURBA}:{LIBELLE}:{n}`).")
    add("- `communes` — the 42 communes (`insee`, `nom`, `epci_siren`, `epci_nom`), synthetic boundaries; the list")
    add("  with EPCI is `resources/reference/communes_epci.csv`.")
    add("- `housing` — **housing is given as dwelling points**: one point per residential block (250/500 m unit)")
    add("  with `dwellings`, `status` (`existant`, or `projet` for planned dwellings in `1AU` zones), `insee`,")
    add("  `zone_libelle`. Use it as the `HOUSING` input. The same numbers are summed on the zones")
    add("  (`nb_logements`, `nb_logements_prevus`): use one or the other, not both.")
    add("- `heat_network` — existing district heating network (4 lines) from the Bissy waste-to-energy plant into")
    add("  Chambéry (hospital, Biollay, Bissy branches); supply temperature 105 °C.")
    add("- `roads` — simplified road network: inter-commune roads (Delaunay edges between commune centres that")
    add("  do not cross the lake) and street grids in urban areas and parks, all connected into one graph (the")
    add("  street grids are linked to the nearest commune centre). Segments share exact end coordinates.")
    add("- `establishments_sirene` — the SIRENE rows with coordinates as points (`siret`, `nom`, `naf`,")
    add("  `tranche_effectifs`, `etat`, `insee`), for display; the analysis reads the CSV files.")
    add("")
    add("## Signal establishments (fixed, always generated)")
    add("")
    add("| key | SIRET | name | NAF | band | where |")
    add("|---|---|---|---|---|---|")
    for key, i in sig.items():
        add(f"| {key} | {t['siret'][i]} | {t['name'][i]} | {t['naf'][i]} | {t['band'][i]} | {zone_of(i)} |")
    add("")
    add("Their declared flows are in the survey file (first rows). The other establishments are drawn at random")
    add("from a NAF mix where services, retail, real estate and construction dominate (see `NAF_MIX` in the")
    add("generator), placed by setting (town centres, residential zones, activity zones, farmland).")
    add("")
    add("## What a correct analysis should find")
    add("")
    add("These are built in on purpose, from activity codes, positions and the declared survey. An analysis")
    add("using only NAF-based estimates should find most of the same pairs (the NAF codes are chosen for it).")
    add("Each pair below must be a *candidate* (an allocated synergy or a kept alternative): when a supplier's")
    add("quantity is limited, the allocation may give it to closer or better-scored receivers first.")
    add("")
    add("### Synergies (supplier → receiver)")
    add("")
    add("| kind | supplier | receiver | resources | straight distance | why |")
    add("|---|---|---|---|---|---|")
    for kind, a, b, rs, rd, why in EXPECTED_SYNERGIES:
        ia = sig[a]
        if b.startswith("zone:"):
            lib = b[5:]
            idx = np.flatnonzero(terr.unit_lib == lib)
            zx, zy = terr.unit_ctr[idx].mean(axis=0)
            d = float(np.hypot(t["x"][ia] - zx, t["y"][ia] - zy))
            recv = f"zone `{lib}` ({int(terr.unit_planned[idx].sum())} planned dwellings)"
        else:
            ib = sig[b]
            d = dist(ia, ib)
            recv = f"{t['name'][ib]} ({t['siret'][ib]})"
        add(f"| {kind} | {t['name'][ia]} ({t['siret'][ia]}) | {recv} | {rs} → {rd} | {d:,.0f} m | {why} |")
    add("")
    add("### Pooling groups (≥ 3 members within 500 m)")
    add("")
    for res, where, keys in EXPECTED_POOLING:
        members = ", ".join(f"{t['name'][sig[k]]} ({t['siret'][sig[k]]})" for k in keys)
        idx = [sig[k] for k in keys]
        span = max(dist(a, b) for a in idx for b in idx)
        add(f"- **{res}** in {where}: {members} — largest distance between members {span:,.0f} m.")
    add("- Technolac plastics (2 declared producers) is *not* a group of 3 from the survey alone.")
    add("")
    add("### Zones that should get a high EIT potential")
    add("")
    for lib, name, why in EXPECTED_ZONES:
        idx = np.flatnonzero(terr.unit_lib == lib)
        comms = sorted({COMMUNES[int(k)][1] + " (" + COMMUNES[int(k)][0] + ")" for k in terr.unit_commune[idx]})
        add(f"- `{lib}` {name} — {', '.join(comms)}: {why}.")
    add("- Residential zones of Chambéry crossed by the `heat_network` (`UA`/`UB` around the Biollay and hospital")
    add("  branches) carry housing heat demand close to the network.")
    add("- `1AUm` Projet urbain mixte Bissy-Érier (Chambéry, AUc): a *future* zone with planned dwellings and no")
    add("  establishment, crossed by the heat network, 1 km from 90 GWh/yr of surplus waste heat. It must receive a")
    add("  `housing_heat` synergy from the UVE and a planning recommendation (connect the OAP to the network);")
    add("  its own EIT potential class depends on the overlay's rules (there are no flows inside it).")
    add("")
    add("## Deliberate defects (the importer must report them, not crash)")
    add("")
    add("SIRENE stock and geolocation file:")
    add("")
    for i in np.flatnonzero(t["defect"] != ""):
        add(f"- `{t['siret'][i]}` ({t['naf'][i]}, {t['name'][i]}): {DEFECT_TEXT[t['defect'][i]]}.")
    n_closed = int((t["etat"] == "F").sum())
    n_partial = int((t["statut"] == "P").sum())
    add(f"- {n_closed} closed establishments (`etatAdministratifEtablissement = F`), to drop with `ACTIVE_ONLY`.")
    add(f"- {n_partial} establishments with `statutDiffusionEtablissement = P`: address, coordinates and sign")
    add("  show `[ND]` in the stock (their geolocation row is present).")
    add("- Headcount band `NN` (unknown) on about a fifth of the rows; `anneeEffectifsEtablissement` empty there.")
    add("- The two EPSG:4326 rows test the per-row `epsg` of the geolocation file (the real file only has 2154")
    add("  for mainland France): an importer that cannot reproject must report them as rows without usable")
    add("  coordinates, naming the SIRET.")
    add("")
    add("Declared survey (`flux_declares_enquete.csv`, last 9 rows):")
    add("")
    add("- Chimie Fine du Granier `waste_heat` 1500 MWh with no temperature (direction written `Ressource`,")
    add("  capitalised);")
    add("- hospital resource `chaleur` (not a taxonomy code);")
    add("- cheese dairy `food_waste` with quantity `-40`;")
    add("- Logiciels du Lac `plastic_waste` quantity `12,5` (French decimal comma, as a spreadsheet exports it);")
    add("- Comptoir Savoyard de Gros `paper_cardboard` 160 t declared twice (exact duplicate row);")
    add("- a SIRET absent from the SIRENE file (`declared_unknown_siret` above);")
    add("- Comptoir Savoyard de Gros `wood_waste` with an empty quantity;")
    add("- cheese dairy `space_heating` in `tonnes` (unit inconsistent with heat);")
    add("- Mécanique de Précision Alpespace `plastic_waste` with a truncated EWC code `15 01 0`.")
    add("")
    add("Apart from the exact duplicate, each defective row is the only row for its SIRET × direction ×")
    add("resource, so that a reader reports it for its own defect.")
    add("")
    add("Variants that are *valid* and must be accepted: `ressource`/`besoin` and `supply`/`demand`; units `t`,")
    add("`kg`, `MWh`, `kWh`, `m3`; EWC codes `02 05 01`, `020501` and hazardous `07 01 04*`; accented comments")
    add("(Windows-1252).")
    add("")
    add("## Benchmark territories")
    add("")
    add(f"`--size N` builds `ceil(N / {TILE_SIZE})` tiles laid out on a square grid; each tile is a copy of this")
    add("territory (zones, housing, networks and the signal establishments), shifted east/north, whose")
    add("communes get another department number (INSEE `01xxx`, `02xxx`…; tile 0 keeps `73`). Tiles are linked by")
    add("a road between their Chambéry centres. Random establishments follow the same NAF mix, headcount bands,")
    add("placement and survey rate. Defects are only added to tile 0. Rows are written tile by tile.")
    add("")
    add("## Caveats")
    add("")
    add("- INSEE codes and EPCI SIREN numbers were transcribed without network access: check them against the")
    add("  INSEE Code officiel géographique before using `communes_epci.csv` for anything official.")
    add("- Commune centres are approximate; boundaries and areas are not the real ones.")
    add("- Quantities are plausible orders of magnitude chosen to make the signal visible, not measurements.")
    add("")
    add(f"Generated with seed {seed}.")
    (out_dir / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
