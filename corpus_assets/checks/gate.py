"""Write, audit, publish: a stage computes a partition into staging tables, the gate audits the staged rows with
Great Expectations, and only a partition that passes replaces the published one, in one transaction together
with its `drop_log` rows. A failed audit leaves every published table as it was."""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from corpus_assets import warehouse
from corpus_assets.checks.expectations import SuiteResult, validate_frame
from corpus_assets.checks.suites import drop_row_expectations, funnel_expectations

if TYPE_CHECKING:
    from corpus_assets.config import CorpusConfig
    from corpus_assets.stages import Stage

ROW_INDEX_COLUMNS = ["page_id", "url"]
# The confidence with which a date must show an unexpected drop rate above its ceiling to fail (z of 95%).
CONFIDENCE_Z = 1.96
# Pages a stage holds in memory at once while it reads its upstream.
BATCH_ROWS = 256


def wilson_lower_bound(successes: int, trials: int, z: float = CONFIDENCE_Z) -> float:
    """The lower end of the Wilson score interval of a proportion: the rate a sample shows at least, with the
    confidence `z` stands for. 0 for an empty sample."""
    if trials <= 0:
        return 0.0
    share = successes / trials
    centre = share + z * z / (2 * trials)
    spread = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials))
    return max(0.0, (centre - spread) / (1 + z * z / trials))


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
        return [failure for suite in self.suites for failure in suite.failure_dicts()]


class PartitionGate:
    """Stages, audits and publishes one crawl date of one stage over an open warehouse connection.

    The stage's row of the table of stages says what to audit it with; `config` gives the thresholds its suite
    and its drop ceiling read.
    """

    def __init__(self, conn: duckdb.DuckDBPyConnection, stage: Stage, config: CorpusConfig, crawl_date: dt.date):
        self.conn = conn
        self.stage = stage
        self.config = config
        self.crawl_date = crawl_date
        warehouse.ensure_schema(conn)
        warehouse.execute(conn, "gate/stage_table", table=stage.table)
        for companion in stage.companion_tables:
            warehouse.execute(conn, "gate/stage_companion", table=companion)

    def read_batches(self, statement: str, batch_rows: int = BATCH_ROWS) -> Iterator[pa.RecordBatch]:
        """The rows of the date that `sql/<statement>.sql` selects, in Arrow batches, through a second cursor so
        that the stage can write its staging tables while it reads."""
        with warehouse.cursor(self.conn) as reader:
            yield from warehouse.execute(reader, statement, {"crawl_date": self.crawl_date}).to_arrow_reader(batch_rows)

    def add_rows(self, rows: pa.Table) -> None:
        warehouse.append_arrow(self.conn, f"staging.{self.stage.table}", rows)

    def add_drops(self, drops: pa.Table) -> None:
        warehouse.append_arrow(self.conn, f"staging.{self.stage.table}_drops", drops)

    def withhold_takedowns(self) -> int:
        """Turns the staged pages a takedown request covers into `takedown` drops (after the stage computed them,
        before the audit): a request recorded after a date was published applies when the date runs again.
        Returns how many pages were withheld."""
        if not warehouse.execute(self.conn, "takedowns/on_record").fetchone()[0]:
            return 0  # the usual case: no page to look at
        date = {"first_date": self.crawl_date, "last_date": self.crawl_date}
        (withheld,) = warehouse.execute(self.conn, "takedowns/matches", date,
                                        pages=f"staging.{self.stage.table}").fetchone()
        if withheld:
            warehouse.execute(self.conn, "gate/withhold_takedowns", {"stage": self.stage.table},
                              table=self.stage.table)
        return withheld

    def _parameters(self) -> dict[str, Any]:
        return {
            "crawl_date": self.crawl_date,
            "stage": self.stage.table,
            "expected_reasons": sorted(self.stage.drop_reasons.expected),
        }

    def audit(self) -> GateVerdict:
        started = time.perf_counter()
        stage, date = self.stage, self.crawl_date
        table = stage.table
        parameters = stage.audit_parameters(self.config) if stage.audit_parameters else None
        rows = warehouse.execute(self.conn, stage.audit_sql, parameters).to_arrow_table().to_pandas()
        drops = warehouse.execute(self.conn, "gate/staged_drop_rows", table=table).to_arrow_table().to_pandas()
        funnel = (
            warehouse.execute(self.conn, "gate/staged_funnel", self._parameters(), table=table,
                              upstream=stage.upstream)
            .to_arrow_table()
            .to_pandas()
        )
        funnel["pages_accounted_for"] = funnel["pages_out"] + funnel["pages_dropped"]
        funnel["unexpected_drop_rate"] = (funnel["unexpected_drops"] / funnel["pages_in"].clip(lower=1)).astype(float)
        funnel["unexpected_drop_rate_at_least"] = [
            wilson_lower_bound(int(k), int(n)) for k, n in zip(funnel["unexpected_drops"], funnel["pages_in"])]
        for frame in (rows, drops):
            if "crawl_date" in frame:
                frame["crawl_date"] = frame["crawl_date"].astype(str)
        suites = [
            validate_frame(f"{table}_rows", stage.suite(date, self.config), rows, ROW_INDEX_COLUMNS),
            validate_frame(
                f"{table}_drops", drop_row_expectations(date, table, stage.drop_reasons.known), drops,
                ROW_INDEX_COLUMNS,
            ),
            validate_frame(f"{table}_funnel", funnel_expectations(table, stage.max_unexpected_drop_rate(self.config)),
                           funnel, []),
        ]
        by_reason = warehouse.execute(self.conn, "gate/drops_by_reason", self._parameters(), table=table).fetchall()
        record = funnel.iloc[0].to_dict()
        return GateVerdict(
            crawl_date=date,
            suites=suites,
            funnel={k: (round(float(v), 4) if k.startswith("unexpected_drop_rate") else int(v))
                    for k, v in record.items()},
            drops_by_reason={reason: int(count) for reason, count in by_reason},
            seconds={"audit": round(time.perf_counter() - started, 3)},
        )

    def _reclaim_staging(self) -> None:
        """Empty this stage's staging tables once their rows are published, and checkpoint. A published date's
        staged copy (bodies and texts included) otherwise stayed in the file until the stage ran again, and each
        re-run of a date wrote its new copy beside the old one: the file grew with every re-run. The blocks freed
        here are reused by the next run once the checkpoint has written them off. A failed gate never gets here,
        so its staged rows stay for inspection."""
        warehouse.execute(self.conn, "gate/stage_table", table=self.stage.table)
        for companion in self.stage.companion_tables:
            warehouse.execute(self.conn, "gate/stage_companion", table=companion)
        try:
            warehouse.execute(self.conn, "gate/reclaim_space")
        except duckdb.Error:
            # The date is published: a checkpoint that cannot run now (another transaction open) only delays the
            # reuse of the freed blocks to the next one, and must not fail the step that published.
            pass

    def publish(self) -> float:
        """Replace the published partition and its drop rows atomically; returns the seconds it took."""
        started = time.perf_counter()
        with warehouse.transaction(self.conn):
            warehouse.execute(self.conn, "gate/publish_partition", self._parameters(), table=self.stage.table)
            for companion in self.stage.companion_tables:
                warehouse.execute(self.conn, "gate/publish_companion", self._parameters(), table=companion)
        self._reclaim_staging()
        return round(time.perf_counter() - started, 3)
