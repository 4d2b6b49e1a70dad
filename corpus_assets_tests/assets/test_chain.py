"""The chain crawl_archive -> raw_pages -> extracted_text end to end against a site made for the test."""

import duckdb

from corpus_assets import warehouse
from corpus_assets.assets.collect import crawl_archive, raw_pages
from corpus_assets.assets.extract import extracted_text
from corpus_assets_tests.pipeline import fates, materialize, query, table_checksum, write_config
from corpus_assets_tests.sites import html_page
from corpus_assets_tests.texts import ARTICLES, FRENCH_ARTICLE

DATE = "2026-11-02"
CHAIN = [crawl_archive, raw_pages, extracted_text]


def test_site_routes():
    links = ["/rivers.html", "/bread.html", "/lighthouses.html", "/thin.html", "/fr/rivieres.html",
             "/private/draft.html", "/gone.html", "/report.pdf"]
    return {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"),
        "/": html_page("Welcome", ARTICLES["rivers"][:3], links=links),
        "/rivers.html": html_page("Rivers and cities", ARTICLES["rivers"], links=links),
        "/bread.html": html_page("Baking bread", ARTICLES["bread"], links=links),
        "/lighthouses.html": html_page("Lighthouses", ARTICLES["lighthouses"], links=links),
        "/thin.html": html_page("Coming soon", ["Coming soon."], links=links),
        "/fr/rivieres.html": html_page("Les rivières", FRENCH_ARTICLE, lang="fr", links=links),
        "/private/draft.html": html_page("Draft", ARTICLES["bread"], links=links),
        "/report.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7 binary"),
        "/privacy": html_page("Privacy policy", ARTICLES["lighthouses"][:2], links=[]),
    }


test_site_routes.__test__ = False  # a helper, not a test


def test_each_page_has_its_fate(serve, tmp_path):
    site = serve(test_site_routes())
    config = write_config(tmp_path, seeds=[site.url("/")])
    result = materialize(CHAIN, config, DATE)
    assert result.success
    by_path = {url.removeprefix(site.base_url): fate for url, fate in fates(config, DATE).items()}
    assert by_path == {
        "/": "kept",
        "/rivers.html": "kept",
        "/bread.html": "kept",
        "/lighthouses.html": "kept",
        "/privacy": "kept",
        "/thin.html": "extracted_text:no_text",
        "/fr/rivieres.html": "extracted_text:language",
        "/private/draft.html": "raw_pages:robots",
        "/gone.html": "raw_pages:http_status",
        "/report.pdf": "raw_pages:not_html",
    }
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
    site = serve(test_site_routes())
    config = write_config(tmp_path, seeds=[site.url("/")])
    assert materialize(CHAIN, config, DATE).success
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as conn:
        funnel = warehouse.execute(conn, "funnel", {"crawl_date": DATE}).fetchall()
    by_stage = {row[0]: row[1:] for row in funnel}
    assert by_stage["raw_pages"][:3] == (10, 7, 3)
    assert by_stage["extracted_text"][:3] == (7, 5, 2)
    (raw_pages_count,) = query(config, "SELECT count(*) FROM raw_pages")[0]
    assert by_stage["extracted_text"][0] == raw_pages_count


def test_a_failed_upstream_gate_stops_downstream(serve, tmp_path):
    site = serve(test_site_routes())
    config = write_config(tmp_path, seeds=[site.url("/")],
                          gates={"raw_pages": {"max_unexpected_drop_rate": 0.0}})
    # A server error is an unexpected drop: with a zero ceiling the raw_pages gate must fail.
    site.routes["/gone.html"] = (500, {"Content-Type": "text/html"}, b"boom")
    result = materialize(CHAIN, config, DATE)
    assert not result.success
    assert not result.asset_materializations_for_node("extracted_text")
    assert table_checksum(config, "extracted_text")[0] == 0
    started = {e.step_key for e in result.all_events if e.event_type_value == "STEP_START"}
    assert started == {"crawl_archive", "raw_pages"}
