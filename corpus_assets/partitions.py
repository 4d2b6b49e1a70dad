"""The one partitioning every stage shares: the crawl date, daily, UTC."""

from __future__ import annotations

import datetime as dt

import dagster as dg

from corpus_assets.config import active_config

# The partition set and the backfill policy are part of the code location, so they come from the config the code
# location is loaded with (the same object `definitions.py` and every asset use); a broken config fails the load
# with the config's own error message.
_config = active_config()

crawl_date_partitions = dg.DailyPartitionsDefinition(
    start_date=_config.start_date.isoformat(), timezone="UTC", end_offset=0
)


def backfill_policy(partitioned: bool) -> dg.BackfillPolicy:
    """How a backfill of many crawl dates is split into runs (`backfill_runs` in the config)."""
    if partitioned and _config.backfill_runs == "per_date":
        return dg.BackfillPolicy.multi_run(max_partitions_per_run=1)
    return dg.BackfillPolicy.single_run()


def partition_dates(context: dg.AssetExecutionContext) -> list[dt.date]:
    """The crawl dates of this run, oldest first (one for a normal run, several for a single-run backfill)."""
    return sorted(dt.date.fromisoformat(key) for key in context.partition_keys)
