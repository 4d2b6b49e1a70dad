"""The drop log: one row for every page a stage removed, and why (`sql/schema/09_drop_log.sql`).

Every stage writes its drops through `drop_record` and `drops_table`, so the fate of any URL is one query over one
table. Each stage's pure package states the reasons it drops pages for, once, as `DropReasons`; the gate of the
stage accepts only those, and counts only the unexpected ones against its ceiling.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

DROPS_SCHEMA = pa.schema(
    [
        ("crawl_date", pa.date32()),
        ("page_id", pa.string()),
        ("url", pa.string()),
        ("stage", pa.string()),
        ("reason", pa.string()),
        ("detail", pa.string()),
        ("related_url", pa.string()),
        ("similarity", pa.float64()),
        ("benchmark", pa.string()),
        ("benchmark_item", pa.string()),
        ("matched_ngram", pa.string()),
    ]
)


# The reason of a page withheld because a takedown request covers it (`python -m corpus_assets.cli forget`).
TAKEDOWN = "takedown"


@dataclass(frozen=True)
class DropReasons:
    """The reasons one stage drops pages for.

    `expected` reasons say something about the web or the user's own choices (a robots refusal, a foreign language,
    a page already kept on an earlier date): they never count against the gate's ceiling, so a day whose every
    page is an expected drop publishes an empty partition. `unexpected` ones (a timeout, a page with no text) do.
    """

    expected: frozenset[str]
    unexpected: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # Every stage withholds the pages a takedown request covers (checks/gate.py), whatever else it drops for.
        object.__setattr__(self, "expected", frozenset(self.expected | {TAKEDOWN}))

    @property
    def known(self) -> frozenset[str]:
        """Every reason the stage may give; any other fails its gate."""
        return self.expected | self.unexpected


def drop_record(crawl_date: dt.date, page_id: str | None, url: str, stage: str, reason: str, detail: str = "",
                **extra: Any) -> dict[str, Any]:
    """One `drop_log` row; `extra` fills the optional columns (related_url, similarity, benchmark...)."""
    return {"crawl_date": crawl_date, "page_id": page_id, "url": url, "stage": stage, "reason": reason,
            "detail": detail, **extra}


ERROR_DETAIL_MAX_CHARS = 200


def error_detail(error: BaseException) -> str:
    """The detail of a drop for an exception: its type and message on one line, at most ERROR_DETAIL_MAX_CHARS.

    A drop log row says what happened to a page; replaying the page is how to see the traceback.
    """
    detail = " ".join(f"{type(error).__name__}: {error}".split())
    return detail if len(detail) <= ERROR_DETAIL_MAX_CHARS else detail[:ERROR_DETAIL_MAX_CHARS - 1] + "…"


def drops_table(drops: list[dict[str, Any]]) -> pa.Table:
    """`drop_log` rows made by `drop_record` as one Arrow table of the drop log's schema."""
    return pa.Table.from_pylist(drops, schema=DROPS_SCHEMA)
