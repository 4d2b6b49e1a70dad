"""How users run it: re-runs replay the archive, ranges run in date order, the schedule asks for yesterday."""

import datetime as dt

import dagster as dg

from corpus_assets.assets.crawl_archive import crawl_archive
from corpus_assets.assets.raw_pages import raw_pages
from corpus_assets.schedules import corpus_daily_schedule
from corpus_assets_tests.pipeline import (
    CHAIN,
    PUBLISHED_TABLES,
    materialize,
    published_rows,
    query,
    table_checksum,
    write_config,
)
from corpus_assets_tests.sites import every_fate_site, three_page_site


def test_a_rerun_replays_the_archive_and_yields_identical_rows(serve, tmp_path):
    site = serve(three_page_site())
    config = write_config(tmp_path, seeds=[site.url("/")])
    assert materialize([crawl_archive, raw_pages], config, "2026-11-02").success
    first, asked = table_checksum(config, "raw_pages"), len(site.requests)
    result = materialize([crawl_archive, raw_pages], config, "2026-11-02")
    assert result.success and len(site.requests) == asked
    assert table_checksum(config, "raw_pages") == first
    crawl = result.asset_materializations_for_node("crawl_archive")[0]
    assert crawl.metadata["replayed_dates"].value == ["2026-11-02"]


def test_a_date_range_runs_in_order_with_the_rows_of_single_runs(serve, tmp_path):
    site = serve(every_fate_site())
    ranged = write_config(tmp_path / "ranged", seeds=[site.url("/")])
    single = write_config(tmp_path / "single", seeds=[site.url("/")])
    instance = dg.DagsterInstance.ephemeral()
    result = materialize(CHAIN, ranged, partition_range=("2026-11-02", "2026-11-04"), instance=instance)
    assert result.success
    for day in ("2026-11-02", "2026-11-03", "2026-11-04"):
        assert materialize(CHAIN, single, day).success
    for table in PUBLISHED_TABLES:
        assert published_rows(ranged, table) == published_rows(single, table), table
    # Day 2 and 3 repeat day 1's site: everything that reached dedup is a cross-date duplicate.
    assert query(ranged, "SELECT DISTINCT crawl_date FROM final_set") == [(dt.date(2026, 11, 2),)]
    published_order = [
        record.user_message.split(" ")[1].rstrip(":")
        for record in instance.all_logs(result.run_id)
        if record.step_key == "deduped_text" and record.user_message.startswith("deduped_text 2026-")
    ]
    assert published_order == ["2026-11-02", "2026-11-03", "2026-11-04"]
    materialized = {m.partition for m in result.asset_materializations_for_node("final_set")}
    assert materialized == {"2026-11-02", "2026-11-03", "2026-11-04"}


def test_the_schedule_asks_for_yesterday():
    tick = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)
    context = dg.build_schedule_context(scheduled_execution_time=tick)
    requests = list(corpus_daily_schedule.evaluate_tick(context).run_requests)
    assert [r.partition_key for r in requests] == ["2026-11-22"]
