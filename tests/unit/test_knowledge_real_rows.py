"""Flow knowledge pinned on the real SIRENE rows of Strasbourg-Entzheim (../shared/real-data)."""
import math
from pathlib import Path

import pandas as pd
import pytest

from eit_plugin.core import estimation
from eit_plugin.core import matching as m

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "real-data"
ROWS = REAL / "sirene" / "gordesch-diag" / "sirene-all.csv"
GEOLOC = REAL / "derived" / "entzheim_geoloc_from_ban_epsg4326.csv"

pytestmark = pytest.mark.skipif(not ROWS.exists(), reason="real-data folder not available")

COLD_STORE = "34326262213902"      # LIDL, 52.10A (cold storage), 250-499 workers
DRY_STORE = "33358346601514"       # KUEHNE+NAGEL, 52.10B (non-refrigerated storage)
FLAT_GLASS = "38094786100015"      # Saint-Gobain Glass Solutions, 23.12Z (flat-glass processing)
SMALL_HAZ = "37791706700342"       # EQIOM, 38.22Z, 10-19 workers
SLAUGHTER = "50851378500271"       # SOCOPA Viandes, 10.11Z
PETFOOD = "49488763100039"         # Mars PF France, 10.92Z


@pytest.fixture(scope="module")
def establishments():
    f = pd.read_csv(ROWS, dtype=str)
    geo = pd.read_csv(GEOLOC, sep=";", dtype=str)
    lat0 = 48.55
    geo["x"] = geo["x"].astype(float) * math.cos(math.radians(lat0)) * 111_320.0  # local metres, enough here
    geo["y"] = geo["y"].astype(float) * 110_540.0
    est = pd.DataFrame({"siret": f["siret"], "naf": f["activitePrincipaleEtablissement"],
                        "name": f["denominationUniteLegale"].fillna(f["enseigne1Etablissement"]),
                        "headcount_band": f["trancheEffectifsEtablissement"].fillna("NN")})
    return est.merge(geo[["siret", "x", "y"]], on="siret", how="left")


@pytest.fixture(scope="module")
def flows(establishments):
    out, _ = estimation.estimate_flows(establishments)
    return out


def heat(flows, siret):
    sel = flows[(flows["siret"] == siret) & (flows["resource"] == "waste_heat")]
    return float(sel["quantity"].sum())


def test_cold_store_has_condenser_heat_and_dry_warehouse_has_none(flows):
    assert heat(flows, COLD_STORE) > 5000
    assert heat(flows, DRY_STORE) == 0.0
    row = flows[(flows["siret"] == COLD_STORE) & (flows["resource"] == "waste_heat")].iloc[0]
    assert "52.10A[cold]" in row["ratio_source"] and "dry" in row["ratio_source"]
    assert row["confidence"] < 0.25  # the dry alternative lowers it


def test_flat_glass_processor_has_no_furnace(flows):
    assert heat(flows, FLAT_GLASS) == 0.0
    own = flows[flows["siret"] == FLAT_GLASS].set_index("resource")
    assert "cullet" not in own.index and own.at["glass_waste", "quantity"] > 0


def test_small_hazardous_waste_site_is_not_an_incinerator(flows):
    assert heat(flows, SMALL_HAZ) == 0.0
    own = flows[flows["siret"] == SMALL_HAZ]
    assert own["ratio_source"].str.contains("physico_chemical").all()


def test_slaughterhouse_by_products_are_offered_to_the_pet_food_plant(flows):
    sub = flows[flows["siret"].isin([SLAUGHTER, PETFOOD])]
    result = m.detect_synergies(sub)
    pairs = pd.concat([result.synergies, result.alternatives])
    hit = pairs[(pairs["supplier_siret"] == SLAUGHTER) & (pairs["receiver_siret"] == PETFOOD)]
    assert "petfood_raw_material" in set(hit["resource_demand"])
    link = hit[hit["resource_demand"] == "petfood_raw_material"].iloc[0]
    assert 5000 < link["straight_m"] < 8000  # the two plants are about 6.4 km apart


def test_property_developers_have_no_site_flows(flows, establishments):
    developers = establishments.loc[establishments["naf"].str.startswith("41.10", na=False), "siret"]
    assert len(developers) > 10  # ESPACE PROMOTION, TOPAZE PROMOTION… (41.10A)
    assert not flows["siret"].isin(set(developers)).any()


def test_food_by_products_are_not_offered_to_poultry_farms(flows, establishments):
    poultry = set(establishments.loc[establishments["naf"] == "01.47Z", "siret"])
    assert poultry
    result = m.detect_synergies(flows)
    pairs = pd.concat([result.synergies, result.alternatives])
    assert not (pairs["receiver_siret"].isin(poultry) & (pairs["resource_supply"] == "agrifood_byproducts")).any()


def test_recycled_plastic_demand_only_where_processors_take_recyclate(flows):
    # Conceptseal makes technical parts (22.29A): little recyclate use; Poly Cart makes packaging (22.22Z)
    demand = flows[(flows["resource"] == "recycled_plastic") & (flows["direction"] == "demand")]
    assert "39526236300025" not in set(demand["siret"])
    assert "80490307800017" in set(demand["siret"])
    assert demand["ratio_source"].str.contains("22.2").all()
