"""Collecting pages: the crawl into a per-date WARC archive, then `raw_pages`, its load into the warehouse."""


import datetime as dt
from collections import Counter
from typing import Any

import dagster as dg
import pandas as pd
from dagster_duckdb import DuckDBResource

from corpus_assets import warehouse
from corpus_assets.assets.publishing import GATE_CHECK, corpus_asset, publish_each_date, stage_spec
from corpus_assets.checks import suites
from corpus_assets.checks.expectations import validate_frame
from corpus_assets.checks.gate import PartitionGate, StageSpec
from corpus_assets.config import CorpusConfig
from corpus_assets.crawl.archive import CrawlArchive
from corpus_assets.crawl.crawler import Crawler
from corpus_assets.crawl.load import (
    EXPECTED_DROP_REASONS,
    KNOWN_DROP_REASONS,
    iter_raw_page_batches,
)
from corpus_assets.crawl.warc_source import WarcReadStats
from corpus_assets.partitions import partition_dates
from corpus_assets.resources import CorpusConfigResource

CRAWL_OUTCOMES = {"fetched", "robots"} | KNOWN_DROP_REASONS


def archive_for(config: CorpusConfig, crawl_date: dt.date) -> CrawlArchive:
    return CrawlArchive(config.archive_dir / crawl_date.isoformat())


def _audit_archive(archive: CrawlArchive, crawl_date: dt.date) -> list[dict[str, Any]]:
    """Every crawled URL has exactly one outcome, of a known kind (GX over the outcome log)."""
    outcomes = pd.DataFrame(
        [{"url": o["url"], "outcome": o["outcome"]} for o in archive.outcomes() if o.get("kind", "page") == "page"],
        columns=["url", "outcome"],
    )
    return [f.as_dict() for f in validate_frame("crawl_archive", suites.crawl_outcome_expectations(CRAWL_OUTCOMES), outcomes, ["url"]).failures]


@corpus_asset(stage="collect", gate="Every crawled URL has exactly one outcome of a known kind.",
              kinds={"python", "warc"}, uses_warehouse=False)
def crawl_archive(context: dg.AssetExecutionContext, corpus: CorpusConfigResource):
    """The crawl of one date as standard WARC files (every request and response) plus one outcome per URL.

    The first materialization of a date crawls the configured seeds live: breadth-first within the seeds'
    hosts, robots.txt obeyed, each host paced by `crawl.delay_seconds`, private networks refused unless
    allowed. Any later materialization replays the archive and fetches nothing, so re-runs and backfills are
    reproducible; an interrupted crawl resumes where it stopped. The archive lives outside DuckDB, so a long
    crawl never holds the warehouse.
    """
    config = corpus.load()
    totals: Counter = Counter()
    replayed, unreachable = [], {}
    for crawl_date in partition_dates(context):
        archive = archive_for(config, crawl_date)
        summary = Crawler(config.crawl, archive, crawl_date, log=context.log.info).run(config.sources.seeds)
        totals.update(summary.outcomes)
        if summary.replayed:
            replayed.append(crawl_date.isoformat())
        failures = _audit_archive(archive, crawl_date)
        if failures:
            yield dg.AssetCheckResult(check_name=GATE_CHECK, passed=False,
                                      metadata={"crawl_date": crawl_date.isoformat(),
                                                "failures": dg.MetadataValue.json(failures)})
            raise dg.Failure(description=f"crawl archive of {crawl_date} is inconsistent: {failures}",
                             allow_retries=False)
        seeds = config.sources.seeds
        if seeds and not summary.outcomes.get("fetched") and len(summary.unreachable_seeds) == len(set(seeds)):
            unreachable = summary.unreachable_seeds
            raise dg.Failure(
                description="No seed could be reached, so nothing was crawled for "
                f"{crawl_date}: " + "; ".join(f"{url}: {why}" for url, why in unreachable.items()),
                metadata={"unreachable_seeds": dg.MetadataValue.json(unreachable)},
                allow_retries=False,
            )
        context.log.info(f"crawl {crawl_date}: {dict(summary.outcomes)} (replayed: {summary.replayed})")
    yield dg.MaterializeResult(
        metadata={
            "outcomes": dg.MetadataValue.json(dict(totals)),
            "pages_fetched": totals.get("fetched", 0),
            "replayed_dates": dg.MetadataValue.json(replayed),
            "archive_dir": dg.MetadataValue.path(str(config.archive_dir)),
        },
        check_results=[dg.AssetCheckResult(check_name=GATE_CHECK, passed=True)],
    )


def raw_pages_spec(config: CorpusConfig) -> StageSpec:
    return stage_spec(
        config,
        "raw_pages",
        upstream="staging.raw_pages_inputs",
        known_drop_reasons=KNOWN_DROP_REASONS,
        expected_drop_reasons=EXPECTED_DROP_REASONS,
        row_expectations=lambda crawl_date: suites.raw_pages_expectations(crawl_date, config.crawl.content_types),
    )


@corpus_asset(stage="collect", deps=[crawl_archive], kinds={"duckdb", "warc"},
              gate="Unique page ids of this date, HTML 2xx bodies, a funnel that adds up and unexpected drops "
              "under the configured ceiling.")
def raw_pages(context: dg.AssetExecutionContext, corpus: CorpusConfigResource, warehouse_db: DuckDBResource):
    """One fetched HTML response per page and crawl date, with its provenance.

    Loaded from the date's crawl archive and from the WARC sources whose path names the date (`{date}`):
    URL, final URL after redirects, HTTP status, headers, content type, body, fetch time (a WARC record keeps
    its own WARC-Date), the WARC file, record offset and record ID it came from, and the robots.txt decision.
    Failed fetches, robots refusals, non-HTML responses and a URL seen twice become `drop_log` rows.
    """
    config = corpus.load()

    def load(gate: PartitionGate, crawl_date: dt.date) -> dict[str, Any]:
        warehouse.execute(gate.conn, "stage_raw_pages_inputs")
        warc_files = [path for source in config.sources.warc for path in source.files_for(crawl_date)]
        stats = WarcReadStats()
        for batch in iter_raw_page_batches(crawl_date, archive_for(config, crawl_date), warc_files, stats,
                                           content_types=config.crawl.content_types):
            warehouse.append_arrow(gate.conn, "staging.raw_pages_inputs", batch.inputs)
            gate.add_rows(batch.rows)
            gate.add_drops(batch.drops)
        warehouse.execute(gate.conn, "raw_pages_duplicate_urls", {"crawl_date": crawl_date})
        for broken in stats.broken[:20]:
            context.log.warning(f"WARC record skipped: {broken.describe()}")
        read = stats.as_metadata()
        return {
            "warc_files": dg.MetadataValue.json([str(p) for p in warc_files]),
            "warc_responses_read": dg.MetadataValue.int(read["responses_read"]),
            "warc_records_skipped": dg.MetadataValue.json(read["skipped_by_kind"]),
            "warc_records_broken": dg.MetadataValue.json(
                {"by_reason": read["broken_by_reason"], "first": read["broken"]}
            ),
        }

    yield from publish_each_date(context, warehouse_db, lambda: raw_pages_spec(config), load)
