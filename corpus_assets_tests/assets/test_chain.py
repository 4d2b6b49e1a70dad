"""The whole chain, crawl_archive -> ... -> final_set, end to end against a site made for the test."""

import duckdb
import pyarrow.parquet as pq

from corpus_assets import warehouse
from corpus_assets.assets.corpus_release import corpus_release
from corpus_assets.crawl.urls import page_id_for
from corpus_assets_tests.pipeline import CHAIN, fates, materialize, query, table_checksum, write_config
from corpus_assets_tests.sites import every_fate_site
from corpus_assets_tests.texts import ARTICLES

DATE = "2026-11-02"


def test_each_page_has_its_fate(serve, tmp_path):
    site = serve(every_fate_site())
    config = write_config(tmp_path, seeds=[site.url("/")])
    result = materialize(CHAIN, config, DATE)
    assert result.success
    by_path = {url.removeprefix(site.base_url): fate for url, fate in fates(config, DATE).items()}
    duplicates = {path: by_path.pop(path) for path in ["/rivers.html", "/mirror/rivers.html", "/bread.html",
                                                      "/reprint/bread.html"]}
    assert by_path == {
        "/lighthouses.html": "kept",
        "/": "filtered_text:c4",  # three sentences, C4 wants five
        "/privacy": "filtered_text:c4",
        "/thin.html": "extracted_text:no_text",
        "/fr/rivieres.html": "extracted_text:language",
        "/private/draft.html": "raw_pages:robots",
        "/gone.html": "raw_pages:http_status",
        "/report.pdf": "raw_pages:not_html",
    }
    # Of each pair, the page with the smaller page_id is kept and the other names it.
    for pair, reason in ((["/rivers.html", "/mirror/rivers.html"], "exact_duplicate"),
                         (["/bread.html", "/reprint/bread.html"], "near_duplicate")):
        kept = min(pair, key=lambda path: page_id_for(DATE, site.url(path)))
        dropped = next(path for path in pair if path != kept)
        assert (duplicates[kept], duplicates[dropped]) == ("kept", f"deduped_text:{reason}")
        related, similarity = query(config, "SELECT related_url, similarity FROM drop_log WHERE url = ?",
                                    [site.url(dropped)])[0]
        assert related == site.url(kept) and similarity > 0.8
    assert "/private/draft.html" not in site.paths_requested()
    (text, title, language) = query(
        config, "SELECT text, title, language FROM extracted_text WHERE url = ?", [site.url("/bread.html")]
    )[0]
    assert title == "Baking bread" and language == "en"
    assert ARTICLES["bread"][2] in text.splitlines()
    for boilerplate in ("cookies", "Copyright", "Related articles", "tracking", "color: black"):
        assert boilerplate not in text
    (detail,) = query(config, "SELECT detail FROM drop_log WHERE reason = 'language'")[0]
    assert "fr" in detail


def test_funnel_adds_up_per_stage(serve, tmp_path):
    site = serve(every_fate_site())
    config = write_config(tmp_path, seeds=[site.url("/")])
    assert materialize(CHAIN, config, DATE).success
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as conn:
        funnel = warehouse.execute(conn, "report/funnel", {"first_date": DATE, "last_date": DATE}).fetchall()
    by_stage = {row[0]: row[1:4] for row in funnel}
    assert by_stage == {
        "raw_pages": (12, 9, 3),
        "extracted_text": (9, 7, 2),
        "deduped_text": (7, 5, 2),
        "filtered_text": (5, 3, 2),
        "final_set": (3, 3, 0),
    }
    for stage, upstream in (("extracted_text", "raw_pages"), ("deduped_text", "extracted_text"),
                            ("filtered_text", "deduped_text"), ("final_set", "filtered_text")):
        (upstream_rows,) = query(config, f"SELECT count(*) FROM {upstream}")[0]
        assert by_stage[stage][0] == upstream_rows


def test_a_failed_upstream_gate_stops_downstream(serve, tmp_path):
    site = serve(every_fate_site())
    config = write_config(tmp_path, seeds=[site.url("/")],
                          gates={"raw_pages": {"max_unexpected_drop_rate": 0.0}})
    # A server error is an unexpected drop: with a zero ceiling the raw_pages gate must fail.
    site.routes["/gone.html"] = (500, {"Content-Type": "text/html"}, b"boom")
    result = materialize(CHAIN, config, DATE)
    assert not result.success
    assert not result.asset_materializations_for_node("extracted_text")
    assert table_checksum(config, "extracted_text")[0] == 0
    started = {e.step_key for e in result.all_events if e.event_type_value == "STEP_START"}
    assert started == {"crawl_archive", "eval_benchmarks", "raw_pages"}  # nothing downstream of raw_pages


def test_each_kept_page_counts_its_duplicates_on_every_date_and_the_release_carries_the_count(serve, tmp_path):
    """FineWeb-2's rehydration weights: a kept page's cluster is itself and every page dropped as its duplicate."""
    site = serve(every_fate_site())
    config = write_config(tmp_path, seeds=[site.url("/")])
    for day in (DATE, "2026-11-03"):  # the same site again: every page of day 2 repeats one kept on day 1
        assert materialize([*CHAIN, corpus_release], config, day).success
    sizes = dict(query(config, "SELECT k.url, s.cluster_size FROM duplicate_cluster_sizes s "
                               "JOIN deduped_text k USING (crawl_date, page_id)"))
    kept_rivers = min(["/rivers.html", "/mirror/rivers.html"], key=lambda path: page_id_for(DATE, site.url(path)))
    kept_bread = min(["/bread.html", "/reprint/bread.html"], key=lambda path: page_id_for(DATE, site.url(path)))
    # Day 1: its mirror (exact) or reprint (near) twin; day 2: both copies again.
    assert sizes[site.url(kept_rivers)] == 4 and sizes[site.url(kept_bread)] == 4
    assert sizes[site.url("/lighthouses.html")] == 2
    assert query(config, "SELECT count(*) FROM duplicate_links WHERE kept_crawl_date = '2026-11-03'") == [(0,)]
    # The second release holds the same documents with new weights: a new version beside the first.
    releases = sorted((tmp_path / "data" / "releases").iterdir(), key=lambda folder: folder.stat().st_mtime)
    assert len(releases) == 2
    rows = pq.read_table(next((releases[-1] / "data").glob("*.parquet"))).to_pylist()
    assert {row["url"]: row["duplicate_cluster_size"] for row in rows} == {
        site.url(path): size for path, size in ((kept_rivers, 4), (kept_bread, 4), ("/lighthouses.html", 2))}
