"""The Dagster side of write-audit-publish, shared by every warehouse stage.

For each crawl date of the run, oldest first: the stage fills the staging tables, the gate audits them, and a
passing date is published at once. A failing date stops the run there: the dates already published are reported
as materialized, the failed check is yielded with the failing expectations and offending rows, and the step
raises, so Dagster records no materialization for the failed date and runs nothing downstream.
"""

from __future__ import annotations

import datetime as dt
import time
from contextlib import contextmanager
from collections.abc import Callable, Iterator
from typing import Any

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from corpus_assets import warehouse
from corpus_assets.config import CorpusConfig
from corpus_assets.checks.gate import GateVerdict, PartitionGate, StageSpec
from corpus_assets.partitions import backfill_policy, crawl_date_partitions, partition_dates

GATE_CHECK = "gate"
PREVIEW_ROWS = 5

# A stage fills the gate for one date and returns extra metadata about what it read.
StageCompute = Callable[[PartitionGate, dt.date], dict[str, Any]]


OWNERS = ["team:data-engineering"]
WAREHOUSE_POOL = "warehouse"


def stage_spec(config: CorpusConfig, table: str, *, upstream: str, known_drop_reasons: frozenset[str],
               expected_drop_reasons: frozenset[str], row_expectations: Callable[[dt.date], list],
               companion_tables: tuple[str, ...] = ()) -> StageSpec:
    """The gate of a stage: its audit is `sql/audit_<table>.sql`, its drop ceiling `gates.<table>` of the config."""
    return StageSpec(
        table=table,
        upstream=upstream,
        audit_sql=f"audit_{table}",
        known_drop_reasons=known_drop_reasons,
        expected_drop_reasons=expected_drop_reasons,
        row_expectations=row_expectations,
        max_unexpected_drop_rate=getattr(config.gates, table).max_unexpected_drop_rate,
        companion_tables=companion_tables,
    )


def gate_check_spec(asset_name: str, description: str) -> dg.AssetCheckSpec:
    """The blocking Great Expectations gate of an asset."""
    return dg.AssetCheckSpec(name=GATE_CHECK, asset=asset_name, blocking=True, description=description)


def corpus_asset(*, stage: str, gate: str, kinds: set[str], deps: list | None = None, partitioned: bool = True,
                 uses_warehouse: bool = True):
    """`@dg.asset` as every corpus stage is declared: in the `corpus` group, with its blocking `gate` check,
    partitioned by crawl date with the configured backfill policy, and in the warehouse pool when it opens the
    DuckDB file (the crawl does not, so it never waits for, or holds, the warehouse)."""

    def decorate(compute):
        return dg.asset(
            name=compute.__name__,
            partitions_def=crawl_date_partitions if partitioned else None,
            backfill_policy=backfill_policy(partitioned),
            deps=deps,
            check_specs=[gate_check_spec(compute.__name__, gate)],
            pool=WAREHOUSE_POOL if uses_warehouse else None,
            group_name="corpus",
            owners=OWNERS,
            kinds=kinds,
            tags={"stage": stage},
        )(compute)

    return decorate


def markdown_table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "(no rows)"
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "| " + " | ".join("---" for _ in columns) + " |"]
    for row in rows:
        cells = [str(row[c]).replace("|", "\\|").replace("\n", " ")[:120] for c in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _funnel_row(verdict: GateVerdict) -> dict[str, Any]:
    funnel = verdict.funnel
    return {
        "crawl_date": verdict.crawl_date.isoformat(),
        "pages_in": funnel["pages_in"],
        "pages_out": funnel["pages_out"],
        "dropped": funnel["pages_dropped"],
        "unexpected_drops": funnel["unexpected_drops"],
        "drops_by_reason": ", ".join(f"{r}={n}" for r, n in verdict.drops_by_reason.items()) or "-",
    }


def _column_schema(conn, table: str) -> dg.TableSchema:
    described = conn.execute(f"DESCRIBE main.{table}").fetchall()
    return dg.TableSchema(columns=[dg.TableColumn(name=row[0], type=row[1]) for row in described])


def _date_metadata(conn, spec: StageSpec, verdict: GateVerdict, extra: dict[str, Any]) -> dict[str, Any]:
    preview = warehouse.execute(
        conn, f"preview_{spec.table}", {"crawl_date": verdict.crawl_date, "limit": PREVIEW_ROWS}
    ).to_arrow_table().to_pylist()
    return {
        "dagster/row_count": verdict.funnel["pages_out"],
        "dagster/column_schema": _column_schema(conn, spec.table),
        "crawl_date": verdict.crawl_date.isoformat(),
        "funnel": dg.MetadataValue.md(markdown_table([_funnel_row(verdict)])),
        "drops_by_reason": dg.MetadataValue.json(verdict.drops_by_reason),
        "preview": dg.MetadataValue.md(markdown_table(preview)),
        "seconds": dg.MetadataValue.json(verdict.seconds),
        **extra,
    }


def _failure_metadata(verdict: GateVerdict) -> dict[str, Any]:
    failures = verdict.failures()
    summary = [
        {
            "suite": f["suite"],
            "expectation": f["expectation"],
            "arguments": f["arguments"],
            "observed": f["observed"],
            "unexpected": f["unexpected_count"],
            "offending rows": f["offending_rows"],
        }
        for f in failures
    ]
    return {
        "crawl_date": verdict.crawl_date.isoformat(),
        "failed_expectations": dg.MetadataValue.md(markdown_table(summary)),
        "failures": dg.MetadataValue.json(failures),
        "funnel": dg.MetadataValue.json(verdict.funnel),
        "drops_by_reason": dg.MetadataValue.json(verdict.drops_by_reason),
    }


def _failure_description(spec: StageSpec, verdict: GateVerdict) -> str:
    named = "; ".join(
        f"{f['expectation']}({f['arguments']}): "
        + (f"{f['unexpected_count']} unexpected rows" if f["unexpected_count"] else f"observed {f['observed']}")
        for f in verdict.failures()
    )
    return (
        f"{spec.table} for crawl date {verdict.crawl_date} failed its gate, so nothing was published for that "
        f"date: {named}"
    )


@contextmanager
def closing_connection(warehouse_db: DuckDBResource) -> Iterator[duckdb.DuckDBPyConnection]:
    # DuckDBResource.get_connection does not close its connection when the body raises; a connection left
    # open would keep the file locked for every other process until garbage collection.
    with warehouse_db.get_connection() as conn:
        try:
            yield conn
        finally:
            conn.close()


def publish_each_date(
    context: dg.AssetExecutionContext,
    warehouse_db: DuckDBResource,
    spec_for: Callable[[], StageSpec],
    compute: StageCompute,
) -> Iterator[dg.AssetMaterialization | dg.AssetCheckResult | dg.MaterializeResult]:
    """Stage, audit and publish every crawl date of the run in date order (see the module docstring)."""
    spec = spec_for()
    published: list[tuple[dt.date, dict[str, Any]]] = []
    funnel_rows: list[dict[str, Any]] = []
    for crawl_date in partition_dates(context):
        with closing_connection(warehouse_db) as conn:
            started = time.perf_counter()
            gate = PartitionGate(conn, spec, crawl_date)
            extra = compute(gate, crawl_date)
            computed = round(time.perf_counter() - started, 3)
            verdict = gate.audit()
            verdict.seconds["compute"] = computed
            if verdict.passed:
                verdict.seconds["publish"] = gate.publish()
                metadata = _date_metadata(conn, spec, verdict, extra)
        if not verdict.passed:
            for date, metadata in published:
                yield dg.AssetMaterialization(asset_key=context.asset_key, partition=date.isoformat(), metadata=metadata)
            yield dg.AssetCheckResult(check_name=GATE_CHECK, passed=False, metadata=_failure_metadata(verdict))
            raise dg.Failure(
                description=_failure_description(spec, verdict),
                metadata={"crawl_date": crawl_date.isoformat()},
                allow_retries=False,
            )
        context.log.info(f"{spec.table} {crawl_date}: published {_funnel_row(verdict)}")
        published.append((crawl_date, metadata))
        funnel_rows.append(_funnel_row(verdict))
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
        check_results=[
            dg.AssetCheckResult(
                check_name=GATE_CHECK,
                passed=True,
                metadata={"crawl_dates": dg.MetadataValue.json([d.isoformat() for d, _ in published])},
            )
        ],
    )
