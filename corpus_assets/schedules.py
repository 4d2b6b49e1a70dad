"""The daily run of the whole chain for yesterday's crawl date, and the release job (run when asked for)."""

from __future__ import annotations

import dagster as dg

from corpus_assets.assets.factory import CORPUS_GROUP, RELEASE_GROUP
from corpus_assets.partitions import crawl_date_partitions
from corpus_assets.sensors import FRESHNESS_CHECK_KEY

SCHEDULE_HOUR_UTC = 2

corpus_daily_job = dg.define_asset_job(
    name="corpus_daily",
    selection=dg.AssetSelection.groups(CORPUS_GROUP) - dg.AssetSelection.checks(FRESHNESS_CHECK_KEY),
    partitions_def=crawl_date_partitions,
    description="Every stage of the corpus for one crawl date.",
)

# At 02:00 UTC each day, the partition of the day that just ended (yesterday, UTC).
corpus_daily_schedule = dg.build_schedule_from_partitioned_job(
    corpus_daily_job,
    hour_of_day=SCHEDULE_HOUR_UTC,
    minute_of_hour=0,
    name="corpus_daily_schedule",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)

# Not scheduled: each release is a version a team decides to hand over (`make release`). A job may not share its
# name with an asset of the code location, hence not `corpus_release`.
RELEASE_JOB = "release_corpus"
corpus_release_job = dg.define_asset_job(
    name=RELEASE_JOB,
    selection=dg.AssetSelection.groups(RELEASE_GROUP),
    description="Write the published corpus of the configured crawl dates as a versioned release with its card.",
)
