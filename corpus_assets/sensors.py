"""Automation beyond the schedule: WARC files dropped into a source folder, and the freshness of `final_set`."""

from __future__ import annotations

import time
import warnings

import dagster as dg

from corpus_assets.assets.factory import RELEASE_GROUP
from corpus_assets.config import CorpusConfig
from corpus_assets.crawl.arrivals import arrival_key, settled_warc_files
from corpus_assets.history import INPUTS, REDONE, first_stale_date
from corpus_assets.partitions import crawl_date_partitions
from corpus_assets.resources import CorpusConfigResource

WARC_SENSOR_INTERVAL_SECONDS = 60
# Evaluated by its own sensor against the clock; a run of the stages has no business evaluating it.
FRESHNESS_CHECK_KEY = dg.AssetCheckKey(dg.AssetKey("final_set"), "freshness_check")

# A dropped WARC file needs no crawl: its date is loaded from `raw_pages` down to `final_set`.
warc_arrivals_job = dg.define_asset_job(
    name="warc_arrivals",
    selection=(dg.AssetSelection.assets("raw_pages").downstream() - dg.AssetSelection.groups(RELEASE_GROUP)
               - dg.AssetSelection.checks(FRESHNESS_CHECK_KEY)),
    partitions_def=crawl_date_partitions,
    description="Load the WARC files of one crawl date and run every stage after them.",
)


@dg.sensor(
    job=warc_arrivals_job,
    minimum_interval_seconds=WARC_SENSOR_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Materializes the crawl date of every new or changed file in the configured WARC sources "
    "(`sources.warc`), once per arrival, after it has settled for `sources.warc_settle_seconds`.",
)
def warc_arrivals_sensor(context: dg.SensorEvaluationContext, corpus: CorpusConfigResource):
    sources = corpus.load().sources
    requests, outside = [], []
    for crawl_date, files in settled_warc_files(sources, time.time()).items():
        partition_key = crawl_date.isoformat()
        if not crawl_date_partitions.has_partition_key(partition_key):
            outside.append(partition_key)
            continue
        requests.append(
            dg.RunRequest(
                run_key=arrival_key(crawl_date, files),
                partition_key=partition_key,
                tags={"corpus/trigger": "warc_arrival", "corpus/warc_files": str(len(files))},
            )
        )
    if outside:
        context.log.warning(f"WARC files for dates outside the crawl-date partitions, left alone: {sorted(outside)}")
    if not requests:
        return dg.SkipReason("no WARC files in the configured sources")
    return requests


def final_set_freshness(config: CorpusConfig) -> tuple[list[dg.AssetChecksDefinition], dg.SensorDefinition]:
    """A check that fails when yesterday's `final_set` partition is missing by the configured hour, and the
    sensor that evaluates it.

    It looks for that partition by name, so a backfill of an old date does not make the asset look fresh, as an
    asset-level freshness policy would.
    """
    with warnings.catch_warnings():
        # Superseded by asset-level FreshnessPolicy, which is exactly what cannot tell partitions apart.
        warnings.simplefilter("ignore")
        checks = dg.build_time_partition_freshness_checks(
            assets=["final_set"],
            deadline_cron=f"0 {config.freshness.final_set_deadline_hour_utc} * * *",
            timezone="UTC",
        )
        sensor = dg.build_sensor_for_freshness_checks(
            freshness_checks=checks, name="final_set_freshness_sensor", default_status=dg.DefaultSensorStatus.STOPPED
        )
    if {key for check in checks for key in check.check_keys} != {FRESHNESS_CHECK_KEY}:
        raise RuntimeError("Dagster named the freshness check differently; update FRESHNESS_CHECK_KEY")
    return list(checks), sensor


STALE_DATES_INTERVAL_SECONDS = 60
IN_PROGRESS = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
               dg.DagsterRunStatus.STARTED]


@dg.sensor(
    target=dg.AssetSelection.assets(*REDONE),
    minimum_interval_seconds=STALE_DATES_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Materializes again deduped_text, filtered_text and final_set of a published date whose inputs were "
    "published after it (an older date backfilled after later ones), the earliest date first, until no published "
    "date is stale: the rows are then those of an in-order run.",
)
def stale_dates_sensor(context: dg.SensorEvaluationContext):
    if context.instance.get_runs(dg.RunsFilter(statuses=IN_PROGRESS), limit=1):
        return dg.SkipReason("a run is in progress: stale dates are looked for once it is done")
    latest = {
        name: context.instance.get_latest_storage_id_by_partition(dg.AssetKey(name),
                                                                  dg.DagsterEventType.ASSET_MATERIALIZATION)
        for name in {*REDONE, *INPUTS.values()}
    }
    stale = first_stale_date(latest)
    if stale is None:
        return dg.SkipReason("no published date is older than its inputs")
    date, stages = stale
    newest = max(max(ids.values(), default=0) for ids in latest.values())
    return dg.RunRequest(
        run_key=f"redo-{date}-{newest}",  # one request per state of the warehouse: asked once, not every tick
        partition_key=date,
        asset_selection=[dg.AssetKey(stage) for stage in stages],
        tags={"corpus/trigger": "stale_date"},
    )
