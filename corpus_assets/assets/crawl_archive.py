"""`crawl_archive`: the crawl of one date into a per-date WARC archive (it never opens the warehouse)."""

import datetime as dt
from collections import Counter
from typing import Any

import dagster as dg
import pyarrow as pa

from corpus_assets.assets.factory import corpus_asset
from corpus_assets.assets.publish import fail_gate, passed_gate
from corpus_assets.checks import suites
from corpus_assets.checks.expectations import validate_frame
from corpus_assets.config import CorpusConfig
from corpus_assets.crawl.archive import CrawlArchive
from corpus_assets.crawl.crawler import Crawler
from corpus_assets.crawl.load import DROP_REASONS
from corpus_assets.partitions import partition_dates
from corpus_assets.resources import CorpusConfigResource

# What the crawler may record for a URL: fetched, or one of the drops raw_pages loads from the archive.
CRAWL_OUTCOMES = frozenset({"fetched"}) | DROP_REASONS.known


def archive_for(config: CorpusConfig, crawl_date: dt.date) -> CrawlArchive:
    """The folder of `crawl_date`'s WARC files and outcome log."""
    return CrawlArchive(config.archive_dir / crawl_date.isoformat())


def _audit_archive(archive: CrawlArchive) -> list[dict[str, Any]]:
    """Every crawled URL has exactly one outcome, of a known kind (GX over the outcome log)."""
    pages = [o for o in archive.outcomes() if o.get("kind", "page") == "page"]
    outcomes = pa.table({"url": [o["url"] for o in pages], "outcome": [o["outcome"] for o in pages]}).to_pandas()
    suite = suites.crawl_outcome_expectations(sorted(CRAWL_OUTCOMES))
    return validate_frame("crawl_archive", suite, outcomes, ["url"]).failure_dicts()


@corpus_asset(gate="Every crawled URL has exactly one outcome of a known kind.", step="collect",
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
    replayed = []
    for crawl_date in partition_dates(context):
        archive = archive_for(config, crawl_date)
        summary = Crawler(config.crawl, archive, crawl_date, log=context.log.info).run(config.sources.seeds)
        totals.update(summary.outcomes)
        if summary.replayed:
            replayed.append(crawl_date.isoformat())
        failures = _audit_archive(archive)
        if failures:
            yield from fail_gate(f"crawl_archive for crawl date {crawl_date}", failures,
                                 crawl_date=crawl_date.isoformat())
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
        check_results=[passed_gate()],
    )
