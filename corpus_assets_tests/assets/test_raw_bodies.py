"""Where raw_pages keeps its bodies: in the WARC files (rows point at them by file and offset) unless told to copy,
or unless a record cannot be read again alone; extraction reads them back and checks them."""

import datetime as dt
import shutil

import duckdb
import pytest

from corpus_assets import warehouse
from corpus_assets.assets.crawl_archive import crawl_archive
from corpus_assets.assets.extracted_text import extracted_text
from corpus_assets.assets.raw_pages import raw_pages
from corpus_assets.crawl.load import BodyUnavailable, body_of, iter_raw_page_batches
from corpus_assets.crawl.warc_source import WarcReadStats
from corpus_assets_tests.pipeline import materialize, published_rows, query, write_config
from corpus_assets_tests.sites import three_page_site

DATE = "2026-11-02"
WGET = "warc/wget/wget-crawl-0000.warc.gz"


def load_rows(paths, **options) -> list[dict]:
    batches = iter_raw_page_batches(dt.date(2026, 11, 2), None, [str(p) for p in paths], WarcReadStats(), **options)
    return [row for batch in batches for row in batch.rows.to_pylist()]


def test_a_clean_warc_file_keeps_its_bodies_and_each_is_read_back_as_the_copy_would_be(shared_data):
    referenced = load_rows([shared_data / WGET])
    copied = load_rows([shared_data / WGET], copy_bodies=True)
    assert referenced and all(row["body"] is None for row in referenced)
    assert [row["body_bytes"] for row in copied] == [len(row["body"]) for row in copied]
    assert [body_of(row) for row in referenced] == [row["body"] for row in copied]


def test_records_only_the_recovery_reader_frames_are_copied(shared_data):
    # one gzip stream for the whole file: a record cannot be read again without every record before it
    (row,) = load_rows([shared_data / "warc/edge-cases/example-bad-non-chunked.warc.gz"])
    assert row["body"] is not None and len(row["body"]) == row["body_bytes"]
    assert body_of(row) == row["body"]


def test_a_moved_or_changed_warc_file_is_an_error_that_names_it(shared_data, tmp_path):
    path = tmp_path / "source.warc.gz"
    shutil.copyfile(shared_data / WGET, path)
    row = load_rows([path])[0]
    shutil.copyfile(shared_data / "warc/wget/wget-crawl-0001.warc.gz", path)  # other records at other offsets
    with pytest.raises(BodyUnavailable, match=f"{path} at byte {row['record_offset']}.*materialize raw_pages"):
        body_of(row)
    path.unlink()
    with pytest.raises(BodyUnavailable, match="cannot be read"):
        body_of(row)


def test_a_crawl_and_a_warc_source_extract_the_same_whether_bodies_are_copied_or_not(serve, shared_data, tmp_path):
    site = serve(three_page_site())
    sources = {"seeds": [site.url("/")], "warc": [{"path": str(shared_data / WGET), "crawl_date": DATE}]}
    referenced = write_config(tmp_path / "referenced", sources=sources)
    copied = write_config(tmp_path / "copied", sources={**sources, "copy_bodies": True})
    for config in (referenced, copied):
        assert materialize([crawl_archive, raw_pages, extracted_text], config, DATE).success
    ((copies, rows),) = query(referenced, "SELECT count(*) FILTER (body IS NOT NULL), count(*) FROM raw_pages")
    assert copies == 0 < rows
    assert query(copied, "SELECT bool_and(octet_length(body) = body_bytes) FROM raw_pages") == [(True,)]
    assert published_rows(referenced, "extracted_text") == published_rows(copied, "extracted_text")


def test_extraction_fails_and_publishes_nothing_when_a_body_is_gone(shared_data, tmp_path):
    source = tmp_path / "warc" / "source.warc.gz"
    source.parent.mkdir()
    shutil.copyfile(shared_data / WGET, source)
    config = write_config(tmp_path, warc=[{"path": str(source), "crawl_date": DATE}])
    assert materialize([crawl_archive, raw_pages], config, DATE).success
    source.unlink()
    result = materialize([extracted_text], config, DATE)
    assert not result.success
    failure = str(result.get_step_failure_events()[0].event_specific_data.error)
    assert str(source) in failure and f"materialize raw_pages for {DATE} again" in failure
    assert query(config, "SELECT count(*) FROM extracted_text") == [(0,)]


OLD_RAW_PAGES = """CREATE TABLE raw_pages (page_id VARCHAR NOT NULL, crawl_date DATE NOT NULL, url VARCHAR NOT NULL,
final_url VARCHAR, status SMALLINT NOT NULL, content_type VARCHAR, headers JSON, body BLOB NOT NULL,
body_sha256 VARCHAR NOT NULL, fetched_at TIMESTAMPTZ, source VARCHAR NOT NULL, source_file VARCHAR NOT NULL,
record_offset BIGINT NOT NULL, record_id VARCHAR NOT NULL, robots_decision VARCHAR NOT NULL)"""


def test_a_warehouse_made_before_bodies_stayed_in_warc_files_is_upgraded_in_place(tmp_path):
    with duckdb.connect(str(tmp_path / "old.duckdb")) as conn:
        conn.execute(OLD_RAW_PAGES)
        conn.execute("INSERT INTO raw_pages VALUES ('p', DATE '2026-11-02', 'http://a/', NULL, 200, 'text/html', "
                     "'[]', 'hello'::BLOB, 'h', NULL, 'warc', 'f.warc', 0, 'r', 'not_applicable')")
        for _ in range(2):  # the upgrade applies once; later connections find the column
            warehouse.ensure_schema(conn)
        assert conn.execute("SELECT body_bytes FROM raw_pages").fetchall() == [(5,)]
        conn.execute("INSERT INTO raw_pages BY NAME SELECT 'q' AS page_id, DATE '2026-11-02' AS crawl_date, "
                     "'http://b/' AS url, 200 AS status, NULL AS body, 7 AS body_bytes, 'h' AS body_sha256, "
                     "'warc' AS source, 'f.warc' AS source_file, 0 AS record_offset, 'r' AS record_id, "
                     "'not_applicable' AS robots_decision")
        assert conn.execute("SELECT count(*) FROM raw_pages").fetchall() == [(2,)]
