"""Write-audit-publish: a bad staged partition fails its gate and leaves every published table as it was."""

import dataclasses
import datetime as dt

import pyarrow as pa

import corpus_assets.assets.raw_pages as raw_pages_module
from corpus_assets.assets.crawl_archive import crawl_archive
from corpus_assets.assets.raw_pages import raw_pages
from corpus_assets_tests.pipeline import materialize, query, table_checksum, write_config
from corpus_assets_tests.sites import three_page_site

DATE = "2026-11-02"


def with_planted_row(real_batches, on_date=None):
    """Wraps the loader so its first batch (of `on_date` only, if given) also carries a row of another date
    (a bug in a stage)."""

    def batches(crawl_date, *args, **kwargs):
        for index, batch in enumerate(real_batches(crawl_date, *args, **kwargs)):
            if index == 0 and batch.rows.num_rows and on_date in (None, crawl_date):
                planted = batch.rows.slice(0, 1).to_pylist()[0]
                planted.update(crawl_date=crawl_date + dt.timedelta(days=1), page_id="planted", url="http://planted.test/")
                rows = pa.concat_tables([batch.rows, pa.Table.from_pylist([planted], schema=batch.rows.schema)])
                batch = dataclasses.replace(batch, rows=rows)
            yield batch

    return batches


def test_a_failing_gate_publishes_nothing_and_names_the_expectation(serve, tmp_path, monkeypatch):
    site = serve(three_page_site())
    config = write_config(tmp_path, seeds=[site.url("/")])
    assert materialize([crawl_archive, raw_pages], config, DATE).success
    before = {t: table_checksum(config, t) for t in ("raw_pages", "drop_log")}
    assert before["raw_pages"][0] == 3

    monkeypatch.setattr(raw_pages_module, "iter_raw_page_batches", with_planted_row(raw_pages_module.iter_raw_page_batches))
    result = materialize([crawl_archive, raw_pages], config, DATE)

    assert not result.success
    assert {t: table_checksum(config, t) for t in before} == before
    assert not result.asset_materializations_for_node("raw_pages")
    (failed,) = [c for c in result.get_asset_check_evaluations() if c.asset_key.path[-1] == "raw_pages"]
    assert not failed.passed
    failures = failed.metadata["failures"].value
    named = {(f["expectation"], f["arguments"].get("column")) for f in failures}
    assert ("expect_column_values_to_be_in_set", "crawl_date") in named
    assert ("expect_column_values_to_be_between", "rows_of_other_dates") in named
    offending = [row for f in failures for row in f["offending_rows"]]
    assert {"page_id": "planted", "url": "http://planted.test/", "crawl_date": "2026-11-03"} in offending


def test_a_gate_failure_stops_a_range_and_keeps_the_earlier_dates(serve, tmp_path, monkeypatch):
    site = serve(three_page_site())
    config = write_config(tmp_path, seeds=[site.url("/")])
    monkeypatch.setattr(raw_pages_module, "iter_raw_page_batches",
                        with_planted_row(raw_pages_module.iter_raw_page_batches, on_date=dt.date(2026, 11, 3)))
    result = materialize([crawl_archive, raw_pages], config, partition_range=("2026-11-02", "2026-11-04"))
    assert not result.success
    assert query(config, "SELECT DISTINCT crawl_date FROM raw_pages") == [(dt.date(2026, 11, 2),)]
    assert {m.partition for m in result.asset_materializations_for_node("raw_pages")} == {"2026-11-02"}
