"""Launching and following a backfill over the webserver's GraphQL API, for the end-to-end backfill tests."""

import time

from corpus_assets_tests.dagster_dev import DagsterDev

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
