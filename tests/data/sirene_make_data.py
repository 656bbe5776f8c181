"""Regenerate the small SIRENE test files of this folder (development tool, needs pyproj).

    /usr/bin/python3 tests/data/sirene_make_data.py

- sirene_stock_small.csv: 17 data rows, one per case the import must handle (see the comment
  at the end of each row below: kept, or the reason it is skipped), UTF-8, comma-separated.
- sirene_geoloc_small.csv: the matching geolocation file (';'), rows in EPSG 4326, 27572,
  3857, an unknown EPSG, [ND], outside the area, a duplicate and a SIRET absent from the stock.
- sirene_area_small.geojson: the 920-930 km x 6500-6510 km Lambert-93 square around
  Chambéry, written in WGS84 (so the AREA is reprojected on reading).
- sirene_stock_cp1252.csv: Windows-1252, ';', decimal commas, as saved by Excel.
The geolocation coordinates are the Lambert-93 points P1 = (925000, 6504000) and
P2 = (926250, 6505500) converted by PROJ (with the ntf_r93.gsb grid for 27572).
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

from pyproj import Transformer

HERE = Path(__file__).resolve().parent
HEADER = ["siren", "nic", "siret", "statutDiffusionEtablissement", "trancheEffectifsEtablissement",
          "etablissementSiege", "libelleVoieEtablissement", "codeCommuneEtablissement",
          "coordonneeLambertAbscisseEtablissement", "coordonneeLambertOrdonneeEtablissement",
          "etatAdministratifEtablissement", "enseigne1Etablissement", "denominationUsuelleEtablissement",
          "activitePrincipaleEtablissement", "nomenclatureActivitePrincipaleEtablissement",
          "activitePrincipaleNAF25Etablissement"]
P1, P2 = (925000.0, 6504000.0), (926250.0, 6505500.0)


def row(siret, statut="O", band="12", voie="RUE DE LA REPUBLIQUE", commune="73065", x="925000.0", y="6504000.0",
        etat="A", enseigne="", denom="", naf="10.51C", nomenc="NAFRev2"):
    return [siret[:9], siret[9:], siret, statut, band, "true", voie, commune, x, y, etat, enseigne, denom, naf, nomenc, ""]


STOCK_ROWS = [
    row("12345678900015", denom="Laiterie de Chambéry", enseigne="LDC", x="925100.0", y="6504100.0"),  # L2 kept
    row("23456789000012", band="03", naf="1051A", enseigne="Fromagerie des Bauges", voie="RUE DU LAC, BAT B",
        x="926250.0", y="6505500.0"),  # L3 kept, NAF written without the dot
    row("34567890000019", etat="F", band="11", naf="16.10A"),  # L4 closed
    row("45678901000018", statut="P", x="[ND]", y="[ND]", naf="22.22Z", denom="[ND]"),  # L5 [ND] coordinates
    row("56789012000015", x="", y="", naf="25.62A", denom="Mécanique de Bissy"),  # L6 no coordinates
    row("67890123000014", x="abc", y="6504000.0", naf="25.62B"),  # L7 bad coordinates
    row("78901234000012", x="800000.0", y="6600000.0", naf="46.90Z", commune="69123"),  # L8 outside AREA
    row("89012345000012", naf="41.20B"),  # L9 invalid SIRET (Luhn)
    row("35600000049837", band="21", naf="53.10Z", denom="La Poste Chambéry Centre"),  # L10 kept (La Poste rule)
    row("90123456000018", naf="10.5"),  # L11 bad NAF
    row("12345678900015", naf="10.51C", denom="Laiterie (doublon)"),  # L12 duplicate SIRET
    row("13579135000014", band="01", naf="10.51Q"),  # L13 kept, NAF sub-class that does not exist
    row("24680246000013", band="NN", naf="56.10A", denom="Brasserie des Alpes"),  # L14 kept, band NN
    row("36925814000010", band="99", naf="35.11Z", denom="Centrale du Bourget"),  # L15 kept, band not INSEE's
    row("48151623000010", statut="P", band="22", naf="38.21Z", denom="[ND]", enseigne="[ND]"),  # L16 kept, [ND] name
    row("77788899000010", naf="15.5A", nomenc="NAFRev1"),  # L17 bad NAF (NAF rév. 1)
]
MALFORMED = "111222330,00016,11122233000016,O,12\n"  # L18 too few fields


def to(epsg, point):
    return Transformer.from_crs(2154, epsg, always_xy=True).transform(*point)


def projected(epsg, point, digits):
    """The point converted to ``epsg``, as two strings with ``digits`` decimals."""
    return ["{:.{}f}".format(v, digits) for v in to(epsg, point)]


def geo(siret, x, y, quality, epsg):
    return [siret, x, y, quality, epsg, "", "", "", "", "73065", "", "", "", "", "", "", ""]


def main():
    with open(HERE / "sirene_stock_small.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(STOCK_ROWS)
        handle.write(MALFORMED)

    geo_header = ("siret;x;y;qualite_xy;epsg;plg_qp;plg_iris;plg_zus;plg_qva;plg_code_commune;distance_precision;"
                  "qualite_qp;qualite_iris;qualite_zus;qualite_qva;y_latitude;x_longitude").split(";")
    rows = [
        geo("56789012000015", *projected(4326, P2, 9), "11", "4326"),
        geo("12345678900015", *projected(27572, P1, 6), "12", "27572"),
        geo("67890123000014", "925000.0", "6504000.0", "11", "9999999"),
        geo("45678901000018", "[ND]", "[ND]", "", "2154"),
        geo("78901234000012", "800000.0", "6600000.0", "11", "2154"),
        geo("23456789000012", "926250.0", "6505500.0", "21", "2154"),
        geo("23456789000012", "926000.0", "6505000.0", "22", "2154"),
        geo("24680246000013", *projected(3857, P2, 6), "33", "3857"),
        geo("11111111111116", "925500.0", "6504500.0", "11", "2154"),  # no such SIRET in the stock
    ]
    with open(HERE / "sirene_geoloc_small.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(geo_header)
        writer.writerows(rows)

    steps = [1000 * i for i in range(11)]
    ring = [(920000 + s, 6500000) for s in steps] + [(930000, 6500000 + s) for s in steps[1:]]
    ring += [(930000 - s, 6510000) for s in steps[1:]] + [(920000, 6510000 - s) for s in steps[1:]]
    wgs84 = Transformer.from_crs(2154, 4326, always_xy=True)
    coords = [[round(v, 8) for v in wgs84.transform(*p)] for p in ring]
    area = {"type": "FeatureCollection", "name": "sirene_area_small",
            "features": [{"type": "Feature", "properties": {"name": "Chambéry test square"},
                          "geometry": {"type": "Polygon", "coordinates": [coords]}}]}
    with open(HERE / "sirene_area_small.geojson", "w", encoding="utf-8") as handle:
        json.dump(area, handle, ensure_ascii=False)

    lines = [
        "SIRET;activitePrincipaleEtablissement;trancheEffectifsEtablissement;etatAdministratifEtablissement;"
        "codeCommuneEtablissement;coordonneeLambertAbscisseEtablissement;coordonneeLambertOrdonneeEtablissement;"
        "denominationUsuelleEtablissement;enseigne1Etablissement",
        "12345678900015;16.10A;12;A;73065;925000,5;6504000,5;Scierie Dupré & Fils;",
        "23456789000012;10.51C;03;A;73065;926250;6505500;;Fromagerie « Beaufortain » — Hauteluce",
        '34567890000019;25.11Z;11;A;73065;925500;6504500;"Chaudronnerie ; Métallerie";',
    ]
    with open(HERE / "sirene_stock_cp1252.csv", "wb") as handle:
        handle.write(("\r\n".join(lines) + "\r\n").encode("cp1252"))


if __name__ == "__main__":
    main()
