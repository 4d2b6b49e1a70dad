"""Which published dates are stale: deduplicated against a history that changed after them.

Dedup of date D keeps what no earlier date kept, so `deduped_text` of D is only as good as the history it saw:
backfilling a date older than dates already deduplicated (or re-running one) leaves the later dates holding pages
the older date should win. A published partition is stale when something it was computed from was published
after it: `deduped_text` of D after `extracted_text` of D or `deduped_text` of D-1, `filtered_text` of D after
`deduped_text` of D, `final_set` of D after `filtered_text` of D. Which came after is told by the storage ids of
the latest materializations, which only grow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

# The stages redone, in chain order, each with the stages its partition of a date is computed from.
REDONE = ("deduped_text", "filtered_text", "final_set")
INPUTS = {"deduped_text": "extracted_text", "filtered_text": "deduped_text", "final_set": "filtered_text"}
HISTORY = "deduped_text"  # the stage whose date D is also computed from its own date D-1

# asset name -> crawl date (YYYY-MM-DD) -> storage id of the partition's latest materialization
Latest = Mapping[str, Mapping[str, int]]


def _previous(date: str) -> str:
    return (dt.date.fromisoformat(date) - dt.timedelta(days=1)).isoformat()


def _stale(latest: Latest, stage: str, date: str) -> bool:
    own = latest.get(stage, {}).get(date)
    if own is None:
        return False  # never published: a schedule or a backfill makes it, not a redo
    inputs = [latest.get(INPUTS[stage], {}).get(date)]
    if stage == HISTORY:
        inputs.append(latest.get(HISTORY, {}).get(_previous(date)))
    return any(input_id is not None and input_id > own for input_id in inputs)


def first_stale_date(latest: Latest) -> tuple[str, list[str]] | None:
    """The earliest date with a stale published stage, and the stages to redo for it (that one and every later
    stage of the chain); None when nothing is stale. Later dates wait: redoing this one may change them again."""
    dates = sorted({date for stage in REDONE for date in latest.get(stage, {})})
    for date in dates:
        for position, stage in enumerate(REDONE):
            if _stale(latest, stage, date):
                return date, list(REDONE[position:])
    return None
