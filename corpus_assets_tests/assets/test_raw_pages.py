"""raw_pages end to end: a crawl of a loopback site and WARC sources, through the gate into DuckDB."""

import datetime as dt

from warcio.archiveiterator import ArchiveIterator

from corpus_assets.assets.crawl_archive import crawl_archive
from corpus_assets.assets.raw_pages import raw_pages
from corpus_assets_tests.pipeline import materialize, query, write_config
from corpus_assets_tests.sites import three_page_site

DATE = "2026-11-02"


def test_crawl_then_load_with_provenance(serve, tmp_path):
    site = serve(three_page_site())
    config = write_config(tmp_path, seeds=[site.url("/")])
    result = materialize([crawl_archive, raw_pages], config, DATE)
    assert result.success
    rows = query(config, "SELECT url, status, source, record_offset >= 0, record_id LIKE '<urn:uuid:%', "
                         "robots_decision, body_sha256 FROM raw_pages ORDER BY url")
    assert [r[0].removeprefix(site.base_url) for r in rows] == ["/", "/a.html", "/b.html"]
    assert all(r[1] == 200 and r[2] == "crawl" and r[3] and r[4] and r[5] == "allowed" for r in rows)
    drops = dict(query(config, "SELECT url, reason FROM drop_log WHERE stage = 'raw_pages'"))
    assert {u.removeprefix(site.base_url): r for u, r in drops.items()} == {
        "/private/secret.html": "robots", "/missing.html": "http_status", "/file.pdf": "not_html",
        "/privacy": "http_status",
    }
    materialization = result.asset_materializations_for_node("raw_pages")[0]
    assert materialization.metadata["dagster/row_count"].value == 3
    checks = result.get_asset_check_evaluations()
    assert {(c.asset_key.path[-1], c.passed) for c in checks} == {("crawl_archive", True), ("raw_pages", True)}


def count_html_responses(path):
    """An independent count with warcio alone: 2xx HTML response records and their distinct URLs."""
    urls = []
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            content_type = record.http_headers.get_header("Content-Type") or ""
            if record.http_headers.get_statuscode().startswith("2") and "html" in content_type:
                urls.append(record.rec_headers.get_header("WARC-Target-URI"))
    return urls


def test_wget_warc_source_loads_every_good_record(shared_data, tmp_path):
    files = sorted((shared_data / "warc" / "wget").glob("*.warc.gz"))
    config = write_config(tmp_path, warc=[{"path": str(shared_data / "warc/wget/*.warc.gz"), "crawl_date": DATE}])
    assert materialize([crawl_archive, raw_pages], config, DATE).success
    expected = [url for path in files for url in count_html_responses(path)]
    (kept,) = query(config, "SELECT count(*) FROM raw_pages WHERE crawl_date = ?", [DATE])[0]
    (dropped,) = query(config, "SELECT count(*) FROM drop_log WHERE stage = 'raw_pages'")[0]
    assert kept == len(set(expected)) > 0
    assert kept + dropped == 37  # 22 + 15 response records
    (fetched_at_from_warc,) = query(config, "SELECT count(*) FROM raw_pages WHERE fetched_at < ?",
                                    [dt.datetime(2026, 1, 1, tzinfo=dt.UTC)])[0]
    assert fetched_at_from_warc == kept


def test_broken_warc_files_load_their_good_records_and_say_what_was_broken(shared_data, tmp_path):
    edge_cases = shared_data / "warc/edge-cases"
    config = write_config(tmp_path, warc=[{"path": str(edge_cases / "*"), "crawl_date": DATE}])
    result = materialize([crawl_archive, raw_pages], config, DATE)
    assert result.success
    metadata = result.asset_materializations_for_node("raw_pages")[0].metadata
    # good responses per file, as counted in corpus_assets_tests/crawl/test_warc_source.py
    assert metadata["warc_responses_read"].value == 29 + 1 + 2 + 1 + 1 + 1
    assert metadata["warc_records_broken"].value["by_reason"] == {
        "length_mismatch": 1, "truncated_gzip_member": 1, "truncated_payload": 1,
    }
    assert {(b["warc_file"].rsplit("/", 1)[-1], b["offset"]) for b in metadata["warc_records_broken"].value["first"]} == {
        ("clipped-record.warc.gz", 0), ("example-trunc.warc", 1197), ("example-wrong-chunks.warc.gz", 0),
    }
    assert metadata["warc_records_skipped"].value["resource"] == 1 + 1 + 2
    (kept, null_dates) = query(config, "SELECT count(*), count(*) FILTER (WHERE fetched_at IS NULL) FROM raw_pages")[0]
    (dropped,) = query(config, "SELECT count(*) FROM drop_log WHERE stage = 'raw_pages'")[0]
    assert kept + dropped == 35
    assert null_dates == 29  # ClueWeb's unparseable WARC-Dates


def test_a_warc_url_source_loads_like_the_file(shared_data, serve, tmp_path):
    path = shared_data / "warc/wget/wget-crawl-0000.warc.gz"
    site = serve({"/2026-11-02/crawl.warc.gz": (200, {"Content-Type": "application/warc"}, path.read_bytes())})
    config = write_config(tmp_path, warc=[site.url("/{date}/crawl.warc.gz")])
    assert materialize([crawl_archive, raw_pages], config, DATE).success
    rows = query(config, "SELECT DISTINCT source_file FROM raw_pages")
    assert rows == [(site.url("/2026-11-02/crawl.warc.gz"),)]
    (kept,) = query(config, "SELECT count(*) FROM raw_pages")[0]
    (dropped,) = query(config, "SELECT count(*) FROM drop_log WHERE stage = 'raw_pages'")[0]
    assert kept + dropped == 22
    assert site.paths_requested() == ["/2026-11-02/crawl.warc.gz"]


def test_a_warc_url_that_fails_midway_fails_the_date_naming_the_url(shared_data, serve, tmp_path):
    data = (shared_data / "warc/wget/wget-crawl-0000.warc.gz").read_bytes()
    site = serve({"/cut.warc.gz": lambda _: (200, {"Content-Length": str(len(data))}, iter([data[:100_000]]))})
    config = write_config(tmp_path, warc=[{"path": site.url("/cut.warc.gz"), "crawl_date": DATE}])
    result = materialize([crawl_archive, raw_pages], config, DATE)
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert f"{site.url('/cut.warc.gz')}: read failed at byte" in str(failure.event_specific_data.error)
    assert query(config, "SELECT count(*) FROM raw_pages")[0] == (0,)


def test_configured_content_types_reach_raw_pages_and_its_gate(serve, tmp_path):
    from corpus_assets_tests.sites import html_page
    from corpus_assets_tests.texts import ARTICLES

    feed = (200, {"Content-Type": "application/rss+xml; charset=utf-8"}, b"<rss><channel><title>N</title></channel></rss>")
    site = serve({"/": html_page("Home", ARTICLES["rivers"], links=["/feed.xml"], boilerplate=False), "/feed.xml": feed})
    config = write_config(tmp_path, seeds=[site.url("/")],
                          crawl={"content_types": ["text/html", "application/rss+xml"]})
    assert materialize([crawl_archive, raw_pages], config, DATE).success
    assert query(config, "SELECT url FROM raw_pages ORDER BY url") == [(site.url("/"),), (site.url("/feed.xml"),)]
