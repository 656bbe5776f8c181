"""Regional runs inside PostGIS give the in-memory answers: the same candidate pairs (hence the
same synergies) and the same flow → zone assignment, on the sample's flows and PLU zones
loaded into a real PostGIS (pg_harness)."""
from __future__ import annotations

import numpy as np
import pytest
from qgis.core import QgsApplication, QgsDataSourceUri, QgsProcessingContext, QgsProcessingFeedback, QgsVectorLayer

from tests.conftest import ROOT

SAMPLE_GPKG = ROOT / "resources" / "sample" / "metropole_savoie_sample.gpkg"


@pytest.fixture(scope="module")
def loaded(eit_plugin_instance, pg_server, tmp_path_factory):
    """The sample's flows (import + estimation, as the toolbox computes them) and PLU zones in
    schema ``search``, loaded with ogr2ogr; the zones also with the plugin's zone_id."""
    import processing

    from eit_plugin.qgis_io.zones import read_zones

    if QgsApplication.processingRegistry().providerById("eit") is None:
        eit_plugin_instance.provider = None
        eit_plugin_instance.initProcessing()
    folder = tmp_path_factory.mktemp("search")
    context, feedback = QgsProcessingContext(), QgsProcessingFeedback()
    est = processing.run("eit:importestablishments", {
        "INPUT_LAYER": "{}|layername=establishments_sirene".format(SAMPLE_GPKG),
        "OUTPUT": str(folder / "establishments.gpkg"), "SKIPPED": str(folder / "skipped.csv")},
        context=context, feedback=feedback)
    flows = processing.run("eit:estimateflows", {"INPUT": est["OUTPUT"], "OUTPUT": str(folder / "flows.gpkg")},
                           context=context, feedback=feedback)
    pg_server.psql("eit", "CREATE SCHEMA IF NOT EXISTS search")
    pg_server.ogr2ogr(flows["OUTPUT"].split("|")[0], None, "flows", schema="search")
    pg_server.ogr2ogr(str(SAMPLE_GPKG), "zone_urba", "zone_urba", schema="search")
    uri = QgsDataSourceUri(pg_server.uri())
    uri.setDataSource("search", "zone_urba", "geom", "", "gid")
    zones = read_zones(QgsVectorLayer(uri.uri(False), "zone_urba", "postgres"))
    rows = ",".join("({}, ST_GeomFromText({}, 2154))".format(
        "'{}'".format(z.replace("'", "''")), "'{}'".format(g.asWkt(6))) for z, g in zip(zones.frame["zone_id"], zones.frame["geometry"]))
    pg_server.psql("eit", "CREATE TABLE search.zones AS SELECT * FROM (VALUES {}) v(zone_id, geom); "
                          "CREATE INDEX ON search.zones USING gist (geom)".format(rows))
    uri.setDataSource("search", "flows", "geom", "", "gid")
    return {"flows": QgsVectorLayer(uri.uri(False), "flows", "postgres"), "zones": zones, "uri": pg_server.uri(),
            "flows_file": flows["OUTPUT"]}


def _flows_frame(layer):
    from eit_plugin.qgis_io.layers import read_points

    frame = read_points(layer)
    return frame.drop(columns=["fid", "gid"], errors="ignore")


def test_candidate_search_in_postgis_finds_the_kdtree_pairs_and_the_same_synergies(loaded):
    from eit_plugin.core import matching
    from eit_plugin.qgis_io.postgis_search import SqlPairFinder

    flows = _flows_frame(loaded["flows"])
    recorded = {"memory": set(), "postgis": set()}

    def params(name, finder):
        def find(sxy, dxy, radius, k):
            pairs = finder(sxy, dxy, radius, k)
            recorded[name].update((tuple(sxy[i]), tuple(dxy[j]), radius) for i, j in pairs.tolist())
            return pairs

        result = matching.MatchingParams()
        result.pair_finder = find
        return result

    sql = SqlPairFinder(loaded["uri"])
    memory = matching.detect_synergies(flows, params=params("memory", matching._knn_pairs))
    postgis = matching.detect_synergies(flows, params=params("postgis", sql))
    plain = matching.detect_synergies(flows)
    assert sql.queries > 10
    assert len(recorded["memory"]) > 1000
    assert recorded["postgis"] == recorded["memory"]
    assert postgis.stats["candidates"] == memory.stats["candidates"] == plain.stats["candidates"]
    columns = ["synergy_id", "supply_flow_id", "demand_flow_id", "quantity", "distance_m", "net_benefit_eur"]
    assert len(plain.synergies) > 100
    assert postgis.synergies[columns].equals(plain.synergies[columns])
    assert postgis.alternatives[columns].equals(plain.alternatives[columns])


def test_zone_assignment_in_postgis_matches_the_in_memory_overlay(loaded):
    from eit_plugin.qgis_io.postgis_search import zone_assignment

    flows = _flows_frame(loaded["flows"])
    zone_ids, n_containing = loaded["zones"].assign(flows["x"].to_numpy(), flows["y"].to_numpy())
    memory = {fid: (zid, int(n)) for fid, zid, n in zip(flows["flow_id"], zone_ids, n_containing)}
    in_db = zone_assignment(loaded["uri"], "search.flows", "search.zones")
    assert len(in_db) == len(memory) > 3000
    assert in_db == memory
    counts = np.array([n for _, n in memory.values()])
    assert (counts >= 1).mean() > 0.9  # the sample's establishments are almost all inside a zone


def test_detect_synergies_algorithm_searches_in_the_database_with_the_same_result(loaded, tmp_path):
    import processing

    def run(in_db, name):
        return processing.run("eit:detectsynergies", {
            "FLOWS": "postgres://" + loaded["flows"].source(),
            "SEARCH_IN_DATABASE": in_db, "OUTPUT": str(tmp_path / "{}.gpkg".format(name)),
            "ALTERNATIVES": str(tmp_path / "{}_alt.gpkg".format(name))},
            context=QgsProcessingContext(), feedback=QgsProcessingFeedback())

    def rows(result):
        layer = QgsVectorLayer(result["OUTPUT"], "s", "ogr")
        return sorted((f["synergy_id"], f["supply_flow_id"], f["demand_flow_id"], round(f["quantity"], 6))
                      for f in layer.getFeatures())

    in_memory, in_db = rows(run(False, "memory")), rows(run(True, "db"))
    assert len(in_memory) > 100 and in_db == in_memory
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="SEARCH_IN_DATABASE needs FLOWS from a PostGIS"):
        processing.run("eit:detectsynergies", {"FLOWS": loaded["flows_file"], "SEARCH_IN_DATABASE": True,
                                               "OUTPUT": "TEMPORARY_OUTPUT", "ALTERNATIVES": "TEMPORARY_OUTPUT"})
