"""The one partitioning every stage shares: the crawl date, daily, UTC."""

from __future__ import annotations

import datetime as dt

import dagster as dg

from corpus_assets.config import config_path_from_env, load_config


def _configured_start_date() -> dt.date:
    # The partition set is part of the code location, so it is read when Dagster loads the definitions;
    # a broken config fails the load with the config's own error message.
    return load_config(config_path_from_env()).start_date


crawl_date_partitions = dg.DailyPartitionsDefinition(
    start_date=_configured_start_date().isoformat(), timezone="UTC", end_offset=0
)


def partition_dates(context: dg.AssetExecutionContext) -> list[dt.date]:
    """The crawl dates of this run, oldest first (one for a normal run, several for a single-run backfill)."""
    return sorted(dt.date.fromisoformat(key) for key in context.partition_keys)
