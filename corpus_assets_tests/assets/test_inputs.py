"""What a date's inputs must be before anything is published: no silent empty partition, no sticky failed crawl."""

import shutil
from pathlib import Path

import dagster as dg

from corpus_assets.assets.crawl_archive import crawl_archive
from corpus_assets.assets.raw_pages import raw_pages
from corpus_assets_tests.crawling import unused_port
from corpus_assets_tests.pipeline import (
    CHAIN,
    PUBLISHED_TABLES,
    materialize,
    query,
    resources_for,
    table_checksum,
    write_config,
)
from corpus_assets_tests.sites import TestSite, html_page, three_page_site
from corpus_assets_tests.texts import ARTICLES

DATE = "2026-11-02"


def failure_of(result, step):
    (failure,) = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE" and e.step_key == step]
    return failure.step_failure_data.user_failure_data.description


def test_a_date_whose_crawl_was_never_run_fails_naming_crawl_archive(serve, tmp_path):
    site = serve(three_page_site())
    config = write_config(tmp_path, seeds=[site.url("/")])
    result = materialize([raw_pages], config, DATE)  # a backfill that left crawl_archive out
    assert not result.success
    description = failure_of(result, "raw_pages")
    assert description.startswith(f"raw_pages for {DATE} has no input, so nothing was published")
    assert f"materialize crawl_archive for {DATE} first" in description
    assert table_checksum(config, "raw_pages")[0] == 0 and site.requests == []


def test_no_source_at_all_is_a_failure_that_says_so(tmp_path):
    config = write_config(tmp_path)
    result = materialize([crawl_archive, raw_pages], config, DATE)
    assert not result.success
    assert "no source is configured" in failure_of(result, "raw_pages")


def test_a_published_date_whose_warc_folder_vanished_keeps_its_rows(shared_data, tmp_path):
    inbox = tmp_path / "inbox" / DATE
    inbox.mkdir(parents=True)
    for path in (shared_data / "warc" / "wget").glob("*.warc.gz"):
        shutil.copy(path, inbox)
    config = write_config(tmp_path, warc=[str(tmp_path / "inbox" / "{date}" / "*.warc.gz")],
                          gates={"extracted_text": {"max_unexpected_drop_rate": 1.0},
                                 "filtered_text": {"max_unexpected_drop_rate": 1.0}})
    assert materialize(CHAIN[1:], config, DATE).success
    before = {table: table_checksum(config, table) for table in PUBLISHED_TABLES}
    assert before["raw_pages"][0] > 0
    shutil.move(tmp_path / "inbox", tmp_path / "moved-away")
    result = materialize(CHAIN[1:], config, DATE)
    assert not result.success
    assert f"has no file for {DATE}" in failure_of(result, "raw_pages")
    assert {table: table_checksum(config, table) for table in PUBLISHED_TABLES} == before


def test_a_day_of_expected_drops_only_is_a_valid_empty_partition(serve, tmp_path):
    site = serve({"/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /\n")})
    config = write_config(tmp_path, seeds=[site.url("/")])
    assert materialize([crawl_archive, raw_pages], config, DATE).success
    assert query(config, "SELECT reason FROM drop_log") == [("robots",)]
    assert table_checksum(config, "raw_pages")[0] == 0


def test_a_crawl_that_reached_nothing_succeeds_on_the_next_run_once_the_site_is_up(tmp_path):
    port = unused_port()
    config = write_config(tmp_path, seeds=[f"http://127.0.0.1:{port}/"], crawl={"max_retries": 0})
    down = materialize([crawl_archive, raw_pages], config, DATE)
    assert not down.success
    description = failure_of(down, "crawl_archive")
    assert f"127.0.0.1:{port}: connection refused" in description
    assert f"the next run of {DATE} asks again" in description
    site = TestSite(three_page_site()).start(port)
    try:
        assert materialize([crawl_archive, raw_pages], config, DATE).success
    finally:
        site.stop()
    assert "/" in site.paths_requested()
    assert table_checksum(config, "raw_pages")[0] == 3


def recrawled(config_path, instance, *, by_tag):
    """crawl_archive asked to crawl the date afresh, by the run tag (a backfill, `make run RECRAWL=1`) or by its run
    config (the UI's launchpad)."""
    how = {"tags": {"corpus/recrawl": "true"}} if by_tag else {
        "run_config": {"ops": {"crawl_archive": {"config": {"recrawl": True}}}}}
    return dg.materialize([crawl_archive], partition_key=DATE, instance=instance, resources=resources_for(config_path),
                          **how)


def test_recrawl_discards_a_dates_archive_and_crawls_it_again(serve, tmp_path):
    site = serve({"/": html_page("First", ARTICLES["rivers"], boilerplate=False)})
    config = write_config(tmp_path, seeds=[site.url("/")])
    instance = dg.DagsterInstance.ephemeral()
    assert materialize([crawl_archive], config, DATE, instance=instance).success
    asked = len(site.requests)
    assert materialize([crawl_archive], config, DATE, instance=instance).success
    assert len(site.requests) == asked  # replayed
    for by_tag in (True, False):
        result = recrawled(config, instance, by_tag=by_tag)
        assert result.success and len(site.requests) > asked
        asked = len(site.requests)
        (materialization,) = result.asset_materializations_for_node("crawl_archive")
        (moved,) = materialization.metadata["discarded_archives"].value.values()
        assert Path(moved).parent == tmp_path / "archive" / ".discarded"
    assert len(list((tmp_path / "archive" / ".discarded").iterdir())) == 2
