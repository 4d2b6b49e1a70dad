"""Backfills of two crawl dates launched over GraphQL against the real `dagster dev` webserver and daemon: per date
(one run per date, in order) and a job backfill of the whole chain in one run."""

import datetime as dt
import time

import pytest

from corpus_assets_tests.dagster_dev import DagsterDev
from corpus_assets_tests.pipeline import CHAIN, PUBLISHED_TABLES, materialize, published_rows, query, write_config
from corpus_assets_tests.sites import every_fate_site

DATES = ["2026-11-02", "2026-11-03"]
STAGES = ["crawl_archive", "raw_pages", "extracted_text", "deduped_text", "filtered_text", "final_set"]
BACKFILL_SECONDS = 600

LAUNCH = """
mutation Launch($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message stack }
    ... on Error { message }
  }
}"""

STATUS = """
query Backfill($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    ... on PartitionBackfill {
      status
      runs(limit: 100) { runId status startTime assetSelection { path } tags { key value } }
    }
  }
}"""

DONE = {"COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"}


def wait_for_backfill(dev: DagsterDev, backfill_id: str) -> dict:
    deadline = time.monotonic() + BACKFILL_SECONDS
    while time.monotonic() < deadline:
        backfill = dev.graphql(STATUS, {"id": backfill_id})["partitionBackfillOrError"]
        runs_done = all(run["status"] in {"SUCCESS", "FAILURE", "CANCELED"} for run in backfill["runs"])
        if backfill["status"] in DONE and runs_done:
            return backfill
        time.sleep(2)
    raise TimeoutError(f"backfill {backfill_id} still running after {BACKFILL_SECONDS}s:\n{dev.log()}")


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
    (tmp_path / "backfilled").mkdir()
    (tmp_path / "single").mkdir()
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


@pytest.mark.timeout(BACKFILL_SECONDS + 300)
def test_a_job_backfill_runs_the_whole_chain_for_a_range_in_one_run(serve, tmp_path):
    site = serve(every_fate_site())
    (tmp_path / "backfilled").mkdir()
    (tmp_path / "single").mkdir()
    backfilled = write_config(tmp_path / "backfilled", seeds=[site.url("/")])  # backfill_runs: single_run
    single = write_config(tmp_path / "single", seeds=[site.url("/")])

    with DagsterDev(tmp_path / "dagster_home", backfilled) as dev:
        launched = dev.graphql(LAUNCH, {"params": {
            "selector": {"partitionSetName": "corpus_daily_partition_set",
                         "repositorySelector": {"repositoryLocationName": "corpus_assets",
                                                "repositoryName": "__repository__"}},
            "partitionNames": DATES,
        }})["launchPartitionBackfill"]
        assert launched["__typename"] == "LaunchBackfillSuccess", launched
        backfill = wait_for_backfill(dev, launched["backfillId"])

    assert backfill["status"] == "COMPLETED_SUCCESS", backfill
    (run,) = backfill["runs"]  # every stage and both dates: one run
    tags = {tag["key"]: tag["value"] for tag in run["tags"]}
    assert (tags["dagster/asset_partition_range_start"], tags["dagster/asset_partition_range_end"]) == tuple(DATES)
    for day in DATES:
        assert materialize(CHAIN, single, day).success
    for table in PUBLISHED_TABLES:
        assert published_rows(backfilled, table) == published_rows(single, table), table
