"""A backfill of two crawl dates, one run per date, launched over GraphQL against the real `dagster dev` webserver
and daemon."""

import datetime as dt

import pytest

from corpus_assets_tests.dagster_dev import DagsterDev
from corpus_assets_tests.e2e.backfills import BACKFILL_SECONDS, DATES, LAUNCH, STAGES, wait_for_backfill
from corpus_assets_tests.pipeline import CHAIN, PUBLISHED_TABLES, materialize, published_rows, query, write_config
from corpus_assets_tests.sites import every_fate_site


def partition_of(run: dict) -> str:
    """The one date of a run: a partition tag, or a range tag whose start is its end."""
    tags = {tag["key"]: tag["value"] for tag in run["tags"]}
    if "dagster/partition" in tags:
        return tags["dagster/partition"]
    start, end = tags["dagster/asset_partition_range_start"], tags["dagster/asset_partition_range_end"]
    assert start == end, f"run {run['runId']} covers {start}...{end}, not one date"
    return start


@pytest.mark.timeout(BACKFILL_SECONDS + 300)
def test_graphql_backfill_runs_one_date_per_run_in_order_with_the_rows_of_single_days(serve, tmp_path):
    site = serve(every_fate_site())
    backfilled = write_config(tmp_path / "backfilled", seeds=[site.url("/")], backfill_runs="per_date")
    single = write_config(tmp_path / "single", seeds=[site.url("/")])

    with DagsterDev(tmp_path / "dagster_home", backfilled) as dev:
        launched = dev.graphql(LAUNCH, {"params": {
            "assetSelection": [{"path": [stage]} for stage in STAGES],
            "partitionNames": DATES,
        }})["launchPartitionBackfill"]
        assert launched["__typename"] == "LaunchBackfillSuccess", launched
        backfill = wait_for_backfill(dev, launched["backfillId"])

    assert backfill["status"] == "COMPLETED_SUCCESS", backfill
    runs = backfill["runs"]
    assert all(run["status"] == "SUCCESS" for run in runs)
    assert {partition_of(run) for run in runs} == set(DATES)  # one date per run, no ranges
    dedup_runs = sorted((run for run in runs if ["deduped_text"] in [a["path"] for a in run["assetSelection"]]),
                        key=lambda run: run["startTime"])
    assert [partition_of(run) for run in dedup_runs] == DATES  # each date deduped after the one before it

    for day in DATES:
        assert materialize(CHAIN, single, day).success
    for table in PUBLISHED_TABLES:
        assert published_rows(backfilled, table) == published_rows(single, table), table
    # The site does not change, so every page that reached dedup on a later date is a cross-date duplicate.
    assert query(backfilled, "SELECT DISTINCT crawl_date FROM final_set") == [(dt.date(2026, 11, 2),)]
