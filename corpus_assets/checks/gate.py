"""Write, audit, publish: a stage computes a partition into staging tables, the gate audits the staged rows with
Great Expectations, and only a partition that passes replaces the published one, in one transaction together
with its `drop_log` rows. A failed audit leaves every published table as it was."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from corpus_assets import warehouse
from corpus_assets.checks.expectations import SuiteResult, validate_frame
from corpus_assets.checks.suites import drop_row_expectations, funnel_expectations

ROW_INDEX_COLUMNS = ["page_id", "url"]


@dataclass(frozen=True)
class StageSpec:
    """How one stage is audited and published."""

    table: str
    upstream: str  # fully qualified table whose rows of the date are the stage's pages in
    audit_sql: str  # sql/ file selecting the audited columns of the staged rows
    known_drop_reasons: frozenset[str]
    expected_drop_reasons: frozenset[str]  # explain themselves: not counted against the ceiling
    row_expectations: Callable[[dt.date], list]
    max_unexpected_drop_rate: float
    companion_tables: tuple[str, ...] = ()  # published with the partition, in the same transaction


@dataclass
class GateVerdict:
    """The audit of one staged partition."""

    crawl_date: dt.date
    suites: list[SuiteResult]
    funnel: dict[str, Any]
    drops_by_reason: dict[str, int]
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return all(s.passed for s in self.suites)

    def failures(self) -> list[dict[str, Any]]:
        return [{"suite": s.suite, **f.as_dict()} for s in self.suites for f in s.failures]


class PartitionGate:
    """Stages, audits and publishes one crawl date of one stage over an open warehouse connection."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, spec: StageSpec, crawl_date: dt.date):
        self.conn = conn
        self.spec = spec
        self.crawl_date = crawl_date
        warehouse.ensure_schema(conn)
        warehouse.execute(conn, "stage_table", table=spec.table)
        for companion in spec.companion_tables:
            warehouse.execute(conn, "stage_companion", table=companion)

    def add_rows(self, rows: pa.Table) -> None:
        warehouse.append_arrow(self.conn, f"staging.{self.spec.table}", rows)

    def add_drops(self, drops: pa.Table) -> None:
        warehouse.append_arrow(self.conn, f"staging.{self.spec.table}_drops", drops)

    def _parameters(self) -> dict[str, Any]:
        return {
            "crawl_date": self.crawl_date,
            "stage": self.spec.table,
            "expected_reasons": sorted(self.spec.expected_drop_reasons),
        }

    def audit(self) -> GateVerdict:
        started = time.perf_counter()
        table, date = self.spec.table, self.crawl_date
        rows = warehouse.execute(self.conn, self.spec.audit_sql).to_arrow_table().to_pandas()
        drops = warehouse.execute(self.conn, "staged_drop_rows", table=table).to_arrow_table().to_pandas()
        funnel = (
            warehouse.execute(self.conn, "staged_funnel", self._parameters(), table=table, upstream=self.spec.upstream)
            .to_arrow_table()
            .to_pandas()
        )
        funnel["pages_accounted_for"] = funnel["pages_out"] + funnel["pages_dropped"]
        funnel["unexpected_drop_rate"] = (funnel["unexpected_drops"] / funnel["pages_in"].clip(lower=1)).astype(float)
        for frame in (rows, drops):
            if "crawl_date" in frame:
                frame["crawl_date"] = frame["crawl_date"].astype(str)
        suites = [
            validate_frame(f"{table}_rows", self.spec.row_expectations(date), rows, ROW_INDEX_COLUMNS),
            validate_frame(
                f"{table}_drops", drop_row_expectations(date, table, self.spec.known_drop_reasons), drops,
                ROW_INDEX_COLUMNS,
            ),
            validate_frame(f"{table}_funnel", funnel_expectations(self.spec.max_unexpected_drop_rate), funnel, []),
        ]
        by_reason = warehouse.execute(self.conn, "drops_by_reason", self._parameters(), table=table).fetchall()
        record = funnel.iloc[0].to_dict()
        return GateVerdict(
            crawl_date=date,
            suites=suites,
            funnel={k: (float(v) if k == "unexpected_drop_rate" else int(v)) for k, v in record.items()},
            drops_by_reason={reason: int(count) for reason, count in by_reason},
            seconds={"audit": round(time.perf_counter() - started, 3)},
        )

    def publish(self) -> float:
        """Replace the published partition and its drop rows atomically; returns the seconds it took."""
        started = time.perf_counter()
        with warehouse.transaction(self.conn):
            warehouse.execute(self.conn, "publish_partition", self._parameters(), table=self.spec.table)
            for companion in self.spec.companion_tables:
                warehouse.execute(self.conn, "publish_companion", self._parameters(), table=companion)
        return round(time.perf_counter() - started, 3)
