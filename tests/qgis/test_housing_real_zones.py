"""Housing on real PLU documents (../shared/real-data/zone_urba): only U/AU zones are estimated,
the label gives the function when DESTDOMI is absent, and a census count calibrates a commune."""
from pathlib import Path

import pandas as pd
import pytest

from eit_plugin.core import indicators as ind

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "real-data" / "zone_urba" / "ignf-validator"
PEZOU = REAL / "41175_PLU_20140603" / "ZONE_URBA.shp"
GARD = REAL / "30014_PLU_20171013" / "30014_ZONE_URBA_20171013.shp"

pytestmark = pytest.mark.skipif(not PEZOU.exists(), reason="real-data folder not available")


def read_zones(path):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(str(path), "zones", "ogr")
    assert layer.isValid()
    names = [f.name().lower() for f in layer.fields()]
    rows = []
    for i, feature in enumerate(layer.getFeatures()):
        row = dict(zip(names, [None if v is None or str(v) == "NULL" else v for v in feature.attributes()]))
        row["area_m2"] = feature.geometry().area()  # both files are in Lambert-93 metres
        row["zone_id"] = "{:03d}".format(i)
        rows.append(row)
    return pd.DataFrame(rows)


def no_flows():
    return pd.DataFrame(columns=["flow_id", "siret", "direction", "resource", "family", "quantity", "unit",
                                 "zone_id", "x", "y", "temperature_c", "ewc_code", "naf"])


def indicators(zones, **kw):
    out = ind.compute_zone_indicators(zones, no_flows(), **kw)
    out["typezone"] = zones["typezone"].to_numpy()
    out["libelong"] = zones["libelong"].to_numpy()
    return out


def test_pezou_hamlets_in_a_and_nh_zones_get_no_estimated_dwellings():
    zones = read_zones(PEZOU)
    out = indicators(zones)
    rural = out[out["typezone"].str[:1].isin(["A", "N"]) & ~out["typezone"].str.startswith("AU")]
    # 29 Nh and 28 A zones carry DESTDOMI 01 (habitat): without a HOUSING layer they hold nothing.
    assert (zones["typezone"] == "Nh").sum() == 29
    assert rural["housing_dwellings"].sum() == 0.0
    urban = out[out["typezone"].isin(["U", "AUc", "AUs"])]
    assert urban["housing_dwellings"].sum() > 0
    # « Zone urbanisée dédiée au développement économique » is coded 01 but is an activity zone.
    eco = out[out["libelong"] == "Zone urbanisée dédiée au développement économique"]
    assert len(eco) == 2 and set(eco["zone_function"]) == {"activite"}
    assert eco["housing_dwellings"].sum() == 0.0


def test_pezou_hamlets_count_when_a_housing_layer_gives_them():
    zones = read_zones(PEZOU)
    nh = zones.index[zones["typezone"] == "Nh"][0]
    housing = pd.DataFrame({"zone_id": [zones.at[nh, "zone_id"]], "dwellings": [7.0]})
    out = indicators(zones, housing=housing).set_index("zone_id")
    assert out.loc[zones.at[nh, "zone_id"], "housing_dwellings"] == pytest.approx(7.0)


def test_zones_without_destdomi_take_their_function_from_the_label():
    zones = read_zones(GARD)
    assert "destdomi" not in zones.columns
    out = indicators(zones)
    habitat = out[out["libelong"].str.contains("vocation d.habitat", regex=True, na=False)
                  & (out["typezone"] == "U")]
    assert len(habitat) >= 10
    assert (habitat["zone_function"] == "habitat").all()
    assert (habitat["housing_dwellings"] > 0).all()
    # a U zone whose label states no use stays unknown and gets nothing
    vague = out[out["libelong"] == "Zone urbaine soumise à des règles particulières d implantation"]
    assert set(vague["zone_function"]) == {"inconnu"} and vague["housing_dwellings"].sum() == 0.0


@pytest.mark.parametrize("label, expected", [
    ("Zone urbaine à vocation d'habitat", "habitat"),
    ("Zone à urbaniser à vocation d’activités économiques", "activite"),
    ("Zone urbaine à vocation mixte d'habitat et d'activités artisanales", "mixte"),
    ("Secteur réservé aux équipements publics", "equipement"),
    ("Zone naturelle et forestière", None),
])
def test_label_function(label, expected):
    assert ind.label_function(label) == expected


def test_census_count_calibrates_existing_zones_of_the_commune_only():
    zones = read_zones(PEZOU)
    raw = indicators(zones)
    census = ind.read_census(pd.DataFrame({"CODGEO": ["41175"], "P21_LOG": ["560"]}))
    out = indicators(zones, census=census)
    existing = out[out["typezone"] == "U"]
    assert existing["housing_dwellings"].sum() == pytest.approx(560.0)
    assert set(existing.loc[existing["housing_dwellings"] > 0, "housing_source"]) == {"census_calibrated"}
    # heat scales with the dwellings; AU (planned) zones are left as estimated
    ratio = existing["housing_heat_demand_mwh"].sum() / raw[raw["typezone"] == "U"]["housing_heat_demand_mwh"].sum()
    assert ratio == pytest.approx(560.0 / raw[raw["typezone"] == "U"]["housing_dwellings"].sum())
    future = out["typezone"].str.startswith("AU")
    assert out.loc[future, "housing_dwellings"].sum() == pytest.approx(raw.loc[future, "housing_dwellings"].sum())


def test_census_table_with_unknown_columns_is_refused():
    from eit_plugin.core.errors import EitInputError

    with pytest.raises(EitInputError, match="CODGEO"):
        ind.read_census(pd.DataFrame({"commune": ["x"], "n": [1]}))
