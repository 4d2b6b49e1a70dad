"""A backfill of the `corpus_daily` job over GraphQL against the real `dagster dev`: the whole chain for a range of
crawl dates in one run (its own file, so that the two slow backfill tests can run on two workers)."""

import pytest

from corpus_assets_tests.dagster_dev import DagsterDev
from corpus_assets_tests.e2e.backfills import BACKFILL_SECONDS, DATES, LAUNCH, wait_for_backfill
from corpus_assets_tests.pipeline import CHAIN, PUBLISHED_TABLES, materialize, published_rows, write_config
from corpus_assets_tests.sites import every_fate_site


@pytest.mark.timeout(BACKFILL_SECONDS + 300)
def test_a_job_backfill_runs_the_whole_chain_for_a_range_in_one_run(serve, tmp_path):
    site = serve(every_fate_site())
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
