"""The write-audit-publish gate over a seeded DuckDB file: no crawl, no Dagster, one stage's table row."""

import datetime as dt

import duckdb
import pyarrow as pa
import pytest

from corpus_assets import warehouse
from corpus_assets.checks.gate import PartitionGate, wilson_lower_bound
from corpus_assets.config import CorpusConfig
from corpus_assets.crawl.load import RAW_PAGES_SCHEMA
from corpus_assets.drop_log import drop_record, drops_table
from corpus_assets.extract.batch import EXTRACTED_TEXT_SCHEMA
from corpus_assets.stages import EXTRACTED_TEXT

DATE = dt.date(2026, 11, 2)
URLS = [f"https://example.org/{name}.html" for name in ("rivers", "bread", "lighthouses")]
TEXT = "Rivers have shaped the places where people chose to live for as long as there have been settlements " * 2


def raw_page(url, crawl_date=DATE):
    return {"page_id": f"id-{url}-{crawl_date}", "crawl_date": crawl_date, "url": url, "final_url": url,
            "status": 200, "content_type": "text/html", "headers": "[]", "body": b"<p>page</p>", "body_bytes": 11,
            "body_sha256": "0" * 64, "fetched_at": None, "source": "crawl", "source_file": "crawl-0.warc.gz",
            "record_offset": 0, "record_id": f"<urn:uuid:{url}>", "robots_decision": "allowed"}


def extracted(page, **changes):
    row = {"page_id": page["page_id"], "crawl_date": page["crawl_date"], "url": page["url"], "title": "A page",
           "text": TEXT, "language": "en", "language_score": 0.95, "declared_language": "en",
           "canonical_url": None, "char_count": len(TEXT), "word_count": len(TEXT.split()),
           "extractor": "builtin", "encoding": "utf-8"}
    return {**row, **changes}


def dropped(page, reason):
    return drop_record(page["crawl_date"], page["page_id"], page["url"], "extracted_text", reason, "seeded")


@pytest.fixture
def conn(tmp_path):
    """A warehouse file whose raw_pages hold three pages of DATE and one of the day after."""
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
        warehouse.ensure_schema(connection)
        pages = [raw_page(url) for url in URLS] + [raw_page(URLS[0], DATE + dt.timedelta(days=1))]
        warehouse.append_arrow(connection, "main.raw_pages", pa.Table.from_pylist(pages, schema=RAW_PAGES_SCHEMA))
        yield connection


def pages_of(conn, crawl_date=DATE):
    rows = conn.execute("SELECT * FROM raw_pages WHERE crawl_date = ? ORDER BY url", [crawl_date])
    return rows.to_arrow_table().to_pylist()


def config(max_unexpected_drop_rate=0.2):
    return CorpusConfig.model_validate({"gates": {"extracted_text": {"max_unexpected_drop_rate": max_unexpected_drop_rate}}})


def staged_gate(conn, rows, drops, *, config=config()):
    gate = PartitionGate(conn, EXTRACTED_TEXT, config, DATE)
    gate.add_rows(pa.Table.from_pylist(rows, schema=EXTRACTED_TEXT_SCHEMA))
    gate.add_drops(drops_table(drops))
    return gate


def failed(verdict):
    return {(f["suite"], f["expectation"], f["arguments"].get("column")) for f in verdict.failures()}


def test_a_balanced_partition_passes_and_publishes_with_its_drops(conn):
    bread, lighthouses, rivers = pages_of(conn)
    gate = staged_gate(conn, [extracted(bread), extracted(rivers)], [dropped(lighthouses, "language")])
    verdict = gate.audit()
    assert verdict.passed, verdict.failures()
    assert verdict.funnel["pages_in"] == 3 and verdict.funnel["pages_out"] == 2
    assert verdict.drops_by_reason == {"language": 1}
    gate.publish()
    assert conn.execute("SELECT url FROM extracted_text ORDER BY url").fetchall() == [(URLS[1],), (URLS[0],)]
    assert conn.execute("SELECT url, reason FROM drop_log").fetchall() == [(URLS[2], "language")]


def test_publishing_again_replaces_the_date_exactly(conn):
    bread, lighthouses, rivers = pages_of(conn)
    staged_gate(conn, [extracted(bread), extracted(rivers)], [dropped(lighthouses, "language")]).publish()
    second = staged_gate(conn, [extracted(bread), extracted(rivers), extracted(lighthouses)], [])
    assert second.audit().passed
    second.publish()
    assert conn.execute("SELECT count(*) FROM extracted_text").fetchone() == (3,)
    assert conn.execute("SELECT count(*) FROM drop_log").fetchone() == (0,)


def test_a_page_neither_kept_nor_dropped_fails_the_funnel(conn):
    bread, _, rivers = pages_of(conn)
    verdict = staged_gate(conn, [extracted(bread), extracted(rivers)], []).audit()
    assert not verdict.passed
    assert ("extracted_text_funnel", "expect_column_pair_values_to_be_equal", None) in failed(verdict)


def test_a_row_of_another_date_and_a_duplicate_id_fail_with_the_offending_rows(conn):
    bread, lighthouses, rivers = pages_of(conn)
    tomorrow = pages_of(conn, DATE + dt.timedelta(days=1))[0]
    rows = [extracted(bread), extracted(rivers), extracted(lighthouses), extracted(bread), extracted(tomorrow)]
    verdict = staged_gate(conn, rows, []).audit()
    assert {("extracted_text_rows", "expect_column_values_to_be_unique", "page_id"),
            ("extracted_text_rows", "expect_column_values_to_be_in_set", "crawl_date"),
            ("extracted_text_funnel", "expect_column_values_to_be_between", "rows_of_other_dates")} <= failed(verdict)
    offending = [row for f in verdict.failures() for row in f["offending_rows"]]
    assert {"page_id": tomorrow["page_id"], "url": URLS[0], "crawl_date": "2026-11-03"} in offending


def test_a_reason_the_stage_does_not_give_fails_the_drop_suite(conn):
    bread, lighthouses, rivers = pages_of(conn)
    verdict = staged_gate(conn, [extracted(bread), extracted(rivers)], [dropped(lighthouses, "robots")],
                          config=config(max_unexpected_drop_rate=1.0)).audit()
    assert failed(verdict) == {("extracted_text_drops", "expect_column_values_to_be_in_set", "reason")}


def test_the_thresholds_of_the_suite_come_from_the_config(conn):
    bread, lighthouses, rivers = pages_of(conn)
    rows = [extracted(bread), extracted(rivers, language="fr"), extracted(lighthouses, word_count=5)]
    verdict = staged_gate(conn, rows, []).audit()
    assert {("extracted_text_rows", "expect_column_values_to_be_in_set", "language"),
            ("extracted_text_rows", "expect_column_values_to_be_between", "word_count")} == failed(verdict)


def many_pages(conn, count):
    """`count` raw pages of DATE instead of the three the fixture seeded."""
    conn.execute("DELETE FROM raw_pages WHERE crawl_date = ?", [DATE])
    pages = [raw_page(f"https://example.org/page-{i}.html") for i in range(count)]
    warehouse.append_arrow(conn, "main.raw_pages", pa.Table.from_pylist(pages, schema=RAW_PAGES_SCHEMA))
    return pages_of(conn)


def with_drops(conn, pages, dropped_count, reason, ceiling):
    """The gate of a date whose first `dropped_count` pages are dropped for `reason`, the rest kept."""
    drops = [dropped(page, reason) for page in pages[:dropped_count]]
    return staged_gate(conn, [extracted(page) for page in pages[dropped_count:]], drops, config=config(ceiling))


def test_only_unexpected_drops_count_against_the_ceiling(conn):
    pages = many_pages(conn, 40)
    assert with_drops(conn, pages, 30, "language", 0.2).audit().passed
    unexpected = with_drops(conn, pages, 30, "no_text", 0.2).audit()
    assert failed(unexpected) == {("extracted_text_funnel", "expect_column_values_to_be_between",
                                   "unexpected_drop_rate_at_least")}
    assert unexpected.funnel["unexpected_drops"] == 30
    assert with_drops(conn, pages, 30, "no_text", 0.8).audit().passed


def test_a_small_day_does_not_fail_the_ceiling_for_its_size_alone(conn):
    # A normal incremental day: 60 pages left after dedup, 58 dropped by the quality filters (0.967 > 0.9), which
    # 60 pages cannot show with confidence; the same share of 1,000 pages can.
    small = with_drops(conn, many_pages(conn, 60), 58, "no_text", 0.9).audit()
    assert small.passed and small.funnel["unexpected_drop_rate"] == pytest.approx(58 / 60, abs=1e-4)
    large = with_drops(conn, many_pages(conn, 1000), 967, "no_text", 0.9).audit()
    assert not large.passed
    (failure,) = large.failures()
    assert failure["config_key"] == "gates.extracted_text.max_unexpected_drop_rate"
    assert failure["description"].startswith("unexpected_drop_rate_at_least is 0.95")


def test_the_wilson_bound_is_the_share_a_sample_shows_with_confidence():
    assert wilson_lower_bound(0, 0) == 0.0 and wilson_lower_bound(0, 50) == 0.0
    assert wilson_lower_bound(58, 60) == pytest.approx(0.886, abs=0.001)
    assert wilson_lower_bound(967, 1000) == pytest.approx(0.954, abs=0.001)
    assert wilson_lower_bound(1, 9) > 0.0  # one unexpected drop is enough to fail a ceiling of 0


def test_a_page_extraction_raised_on_passes_but_a_day_of_them_fails(conn):
    pages = many_pages(conn, 40)
    assert with_drops(conn, pages, 1, "extraction_error", 0.2).audit().passed
    day = with_drops(conn, pages, 40, "extraction_error", 0.2).audit()
    assert failed(day) == {("extracted_text_funnel", "expect_column_values_to_be_between",
                            "unexpected_drop_rate_at_least")}


def test_a_failed_audit_leaves_the_published_tables_alone(conn):
    bread, lighthouses, rivers = pages_of(conn)
    staged_gate(conn, [extracted(bread), extracted(rivers)], [dropped(lighthouses, "language")]).publish()
    before = conn.execute("SELECT * FROM extracted_text ORDER BY page_id").fetchall()
    gate = staged_gate(conn, [extracted(bread)], [])
    assert not gate.audit().passed
    assert conn.execute("SELECT * FROM extracted_text ORDER BY page_id").fetchall() == before
    assert conn.execute("SELECT count(*) FROM drop_log").fetchone() == (1,)
