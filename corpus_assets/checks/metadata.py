"""How a gate's outcome is shown in the Dagster UI: the materialization metadata of a published date (funnel, drops
by reason, a preview, the schema) and the check metadata of a failed gate (the failing expectations with a few
offending rows)."""

from __future__ import annotations

from typing import Any

import dagster as dg
import duckdb

from corpus_assets import warehouse
from corpus_assets.checks.gate import GateVerdict
from corpus_assets.stages import Stage

PREVIEW_ROWS = 5


def markdown_table(rows: list[dict[str, Any]]) -> str:
    """Rows of equal keys as a Markdown table, cells cut to 120 characters (what the UI shows in metadata)."""
    if not rows:
        return "(no rows)"
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "| " + " | ".join("---" for _ in columns) + " |"]
    for row in rows:
        cells = [str(row[c]).replace("|", "\\|").replace("\n", " ")[:120] for c in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def funnel_row(verdict: GateVerdict) -> dict[str, Any]:
    """One date's balance: pages in, out, dropped, and the drops by reason."""
    funnel = verdict.funnel
    return {
        "crawl_date": verdict.crawl_date.isoformat(),
        "pages_in": funnel["pages_in"],
        "pages_out": funnel["pages_out"],
        "dropped": funnel["pages_dropped"],
        "unexpected_drops": funnel["unexpected_drops"],
        "drops_by_reason": ", ".join(f"{r}={n}" for r, n in verdict.drops_by_reason.items()) or "-",
    }


def _column_schema(conn: duckdb.DuckDBPyConnection, table: str) -> dg.TableSchema:
    described = conn.execute(f"DESCRIBE main.{table}").fetchall()
    return dg.TableSchema(columns=[dg.TableColumn(name=row[0], type=row[1]) for row in described])


def published_date_metadata(conn: duckdb.DuckDBPyConnection, stage: Stage, verdict: GateVerdict,
                            extra: dict[str, Any]) -> dict[str, Any]:
    """The metadata of one published date: row count, schema, funnel, drops by reason, preview, timings."""
    preview = warehouse.execute(
        conn, stage.preview_sql, {"crawl_date": verdict.crawl_date, "limit": PREVIEW_ROWS}
    ).to_arrow_table().to_pylist()
    return {
        "dagster/row_count": verdict.funnel["pages_out"],
        "dagster/column_schema": _column_schema(conn, stage.table),
        "crawl_date": verdict.crawl_date.isoformat(),
        "funnel": dg.MetadataValue.md(markdown_table([funnel_row(verdict)])),
        "drops_by_reason": dg.MetadataValue.json(verdict.drops_by_reason),
        "preview": dg.MetadataValue.md(markdown_table(preview)),
        "seconds": dg.MetadataValue.json(verdict.seconds),
        **extra,
    }


def failed_gate_metadata(failures: list[dict[str, Any]], context: dict[str, Any]) -> dict[str, Any]:
    """The check metadata of a failed gate: the failing expectations as a table and as JSON, and `context`
    (the crawl date, the funnel...)."""
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
        "failed_expectations": dg.MetadataValue.md(markdown_table(summary)),
        "failures": dg.MetadataValue.json(failures),
        **{key: value if isinstance(value, str) else dg.MetadataValue.json(value) for key, value in context.items()},
    }


def failed_expectations_summary(failures: list[dict[str, Any]]) -> str:
    """One line naming each failed expectation: what it measured, its limit and the config key setting it."""
    return "; ".join(f["description"] for f in failures)


def failed_date_summary(stage: Stage, verdict: GateVerdict, top_reasons: int = 5) -> str:
    """What a user needs beside the failed expectations: the date's balance, its top drop reasons, and where its
    staged rows can be read (they stay in staging until the stage runs again)."""
    funnel = verdict.funnel
    reasons = ", ".join(f"{r}={n}" for r, n in list(verdict.drops_by_reason.items())[:top_reasons]) or "none"
    return (
        f"{funnel['pages_in']} pages in, {funnel['pages_out']} kept, {funnel['pages_dropped']} dropped "
        f"({funnel['unexpected_drops']} for unexpected reasons: {funnel['unexpected_drop_rate']:.3f}); top drop "
        f"reasons: {reasons}. Its staged drops: SELECT url, reason, detail FROM staging.{stage.table}_drops "
        f"WHERE crawl_date = '{verdict.crawl_date}'"
    )
