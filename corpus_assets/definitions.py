"""The Dagster code location: assets, checks, jobs, schedule, sensors and resources. Nothing else lives here."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from corpus_assets.assets.corpus_release import corpus_release
from corpus_assets.assets.crawl_archive import crawl_archive
from corpus_assets.assets.deduped_text import deduped_text
from corpus_assets.assets.eval_benchmarks import eval_benchmarks
from corpus_assets.assets.extracted_text import extracted_text
from corpus_assets.assets.filtered_text import filtered_text
from corpus_assets.assets.final_set import final_set
from corpus_assets.assets.licensed_documents import licensed_documents
from corpus_assets.assets.raw_pages import raw_pages
from corpus_assets.config import config_path_from_env, load_config
from corpus_assets.resources import CorpusConfigResource, warehouse_resource
from corpus_assets.schedules import corpus_daily_job, corpus_daily_schedule, corpus_release_job
from corpus_assets.sensors import final_set_freshness, stale_dates_sensor, warc_arrivals_job, warc_arrivals_sensor

# A step of a daemon or UI run starts in its own process. Forked from a server that has already imported the code
# location and Great Expectations, a step starts in a fraction of a second instead of paying those imports (about
# 5 s on this machine) once per step; `spawn`, Dagster's default, re-imports everything in every step.
STEP_PRELOAD = ["corpus_assets.definitions", "great_expectations", "great_expectations.expectations"]
step_executor = dg.multiprocess_executor.configured(
    {"start_method": {"forkserver": {"preload_modules": STEP_PRELOAD}}}, name="forkserver_multiprocess_executor"
)


def build_definitions(config_path: str | Path) -> dg.Definitions:
    """The code location for one config file (the UI, the schedule and `make run` use `CORPUS_CONFIG`)."""
    config = load_config(config_path)
    freshness_checks, freshness_sensor = final_set_freshness(config)
    return dg.Definitions(
        assets=[crawl_archive, raw_pages, extracted_text, licensed_documents, deduped_text, filtered_text,
                eval_benchmarks, final_set, corpus_release],
        asset_checks=freshness_checks,
        jobs=[corpus_daily_job, warc_arrivals_job, corpus_release_job],
        schedules=[corpus_daily_schedule],
        sensors=[warc_arrivals_sensor, freshness_sensor, stale_dates_sensor],
        executor=step_executor,
        resources={
            "corpus": CorpusConfigResource(path=str(config_path)),
            "warehouse_db": warehouse_resource(config),
        },
    )


defs = build_definitions(config_path_from_env())
