"""The Dagster side of write-audit-publish, shared by every asset with a gate.

For each crawl date of the run, oldest first: the stage fills the staging tables, the gate audits them, and a
passing date is published at once. A failing date stops the run there: the dates already published are reported
as materialized, the failed check is yielded with the failing expectations and offending rows, and the step
raises (`fail_gate`), so Dagster records no materialization for the failed date and runs nothing downstream.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from corpus_assets.assets.factory import GATE_CHECK
from corpus_assets.checks.gate import PartitionGate
from corpus_assets.checks.metadata import (
    failed_date_summary,
    failed_expectations_summary,
    failed_gate_metadata,
    funnel_row,
    markdown_table,
    published_date_metadata,
)
from corpus_assets.config import CorpusConfig
from corpus_assets.parallel import BatchPool, batch_pool
from corpus_assets.partitions import partition_dates
from corpus_assets.stages import Stage

# A stage fills the gate for one date and returns extra metadata about what it read.
StageCompute = Callable[[PartitionGate, dt.date], dict[str, Any]]


@contextmanager
def closing_connection(warehouse_db: DuckDBResource) -> Iterator[duckdb.DuckDBPyConnection]:
    # DuckDBResource.get_connection does not close its connection when the body raises; a connection left
    # open would keep the file locked for every other process until garbage collection.
    with warehouse_db.get_connection() as conn:
        try:
            yield conn
        finally:
            conn.close()


def per_document_pool(config: CorpusConfig, function: Callable[..., Any], *settings: Any) -> BatchPool:
    """The pool a stage runs its per-document `function(batch, *settings)` on (the config's `execution`). One per
    step, shared by its dates, so the workers start once."""
    return batch_pool(config.execution, function, *settings)


def fail_gate(subject: str, failures: list[dict[str, Any]], explanation: str = "",
              **context: Any) -> Iterator[dg.AssetCheckResult]:
    """Yield the failed `gate` check (the failing expectations, a few offending rows, `context`), then raise with a
    description naming what was measured, the limit, the config key that sets it, and `explanation`.

    Yielding the failed result and raising is what keeps Dagster from recording a materialization and from running
    anything downstream; a failed gate is not retried, since the same data would fail it again.
    """
    description = (f"{subject} failed its gate, so nothing of it was published: "
                   f"{failed_expectations_summary(failures)}.{' ' + explanation if explanation else ''}")
    metadata = failed_gate_metadata(failures, {**context, "explanation": description})
    yield dg.AssetCheckResult(check_name=GATE_CHECK, passed=False, metadata=metadata)
    raise dg.Failure(
        description=description,
        metadata={key: value for key, value in context.items() if isinstance(value, str)},
        allow_retries=False,
    )


def passed_gate(**metadata: Any) -> dg.AssetCheckResult:
    """The passed `gate` check."""
    return dg.AssetCheckResult(check_name=GATE_CHECK, passed=True, metadata=metadata)


def publish_each_date(
    context: dg.AssetExecutionContext,
    warehouse_db: DuckDBResource,
    stage: Stage,
    config: CorpusConfig,
    compute: StageCompute,
) -> Iterator[dg.AssetMaterialization | dg.AssetCheckResult | dg.MaterializeResult]:
    """Stage, audit and publish every crawl date of the run in date order (see the module docstring)."""
    published: list[tuple[dt.date, dict[str, Any]]] = []
    funnel_rows: list[dict[str, Any]] = []

    def report_published() -> Iterator[dg.AssetMaterialization]:
        # A run stopped by a later date still published the earlier ones: Dagster must hear of them.
        for date, date_metadata in published:
            yield dg.AssetMaterialization(asset_key=context.asset_key, partition=date.isoformat(),
                                          metadata=date_metadata)

    for crawl_date in partition_dates(context):
        try:
            with closing_connection(warehouse_db) as conn:
                started = time.perf_counter()
                gate = PartitionGate(conn, stage, config, crawl_date)
                extra = compute(gate, crawl_date)
                withheld = gate.withhold_takedowns()
                if withheld:
                    extra = {**extra, "withheld_by_takedowns": withheld}
                computed = round(time.perf_counter() - started, 3)
                verdict = gate.audit()
                verdict.seconds["compute"] = computed
                if verdict.passed:
                    verdict.seconds["publish"] = gate.publish()
                    metadata = published_date_metadata(conn, stage, verdict, extra)
        except Exception:
            yield from report_published()
            raise
        if not verdict.passed:
            yield from report_published()
            yield from fail_gate(f"{stage.table} for crawl date {crawl_date}", verdict.failures(),
                                 failed_date_summary(stage, verdict), crawl_date=crawl_date.isoformat(),
                                 funnel=verdict.funnel, drops_by_reason=verdict.drops_by_reason)
        context.log.info(f"{stage.table} {crawl_date}: published {funnel_row(verdict)}")
        published.append((crawl_date, metadata))
        funnel_rows.append(funnel_row(verdict))
    if len(published) == 1:
        metadata = published[0][1]
    else:
        metadata = {
            "dagster/row_count": sum(m["dagster/row_count"] for _, m in published),
            "dagster/column_schema": published[-1][1]["dagster/column_schema"] if published else None,
            "crawl_dates": dg.MetadataValue.json([d.isoformat() for d, _ in published]),
            "funnel": dg.MetadataValue.md(markdown_table(funnel_rows)),
        }
    yield dg.MaterializeResult(
        metadata={k: v for k, v in metadata.items() if v is not None},
        check_results=[passed_gate(crawl_dates=dg.MetadataValue.json([d.isoformat() for d, _ in published]))],
    )
