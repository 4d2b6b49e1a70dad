"""`crawl_archive`: the crawl of one date into a per-date WARC archive (it never opens the warehouse)."""

import datetime as dt
from collections import Counter
from typing import Any

import dagster as dg
import pyarrow as pa
from pydantic import Field

from corpus_assets.assets.factory import corpus_asset
from corpus_assets.assets.publish import fail_gate, passed_gate
from corpus_assets.checks import suites
from corpus_assets.checks.expectations import validate_frame
from corpus_assets.config import CorpusConfig
from corpus_assets.crawl.archive import CrawlArchive
from corpus_assets.crawl.crawler import RETRYABLE, Crawler, CrawlSummary
from corpus_assets.crawl.load import DROP_REASONS
from corpus_assets.partitions import partition_dates
from corpus_assets.resources import CorpusConfigResource

# What the crawler may record for a URL: fetched, or one of the drops raw_pages loads from the archive.
CRAWL_OUTCOMES = frozenset({"fetched"}) | DROP_REASONS.known
RECRAWL_TAG = "corpus/recrawl"
DISCARDED_ARCHIVES = ".discarded"  # under archive_dir: where a recrawl moves a date's old archive


def archive_for(config: CorpusConfig, crawl_date: dt.date) -> CrawlArchive:
    """The folder of `crawl_date`'s WARC files and outcome log."""
    return CrawlArchive(config.archive_dir / crawl_date.isoformat())


def _audit_archive(archive: CrawlArchive) -> list[dict[str, Any]]:
    """Every crawled URL has one outcome of a known kind, and any earlier line for it was a failure that may pass
    (a retry supersedes only those). GX over the outcome log."""
    lines = [o for o in archive.outcome_lines() if o.get("kind", "page") == "page"]
    final = {o["url"]: o for o in lines}
    retried_only_failures = {url: True for url in final}
    for outcome in lines:
        if final[outcome["url"]] is not outcome and outcome["outcome"] not in RETRYABLE:
            retried_only_failures[outcome["url"]] = False
    frame = pa.table({
        "url": list(final),
        "outcome": [o["outcome"] for o in final.values()],
        "retried_only_failures": [retried_only_failures[url] for url in final],
    }).to_pandas()
    suite = suites.crawl_outcome_expectations(sorted(CRAWL_OUTCOMES))
    return validate_frame("crawl_archive", suite, frame, ["url"]).failure_dicts()


class CrawlArchiveConfig(dg.Config):
    """Run config of `crawl_archive` (the launchpad in the UI; `make run RECRAWL=1` sets it with a run tag)."""

    recrawl: bool = Field(
        default=False,
        description="Discard each date's archive (moved under <archive_dir>/.discarded, never deleted) and crawl "
        "the date again; also set by the run tag corpus/recrawl=true.",
    )


def _unreachable(summary: CrawlSummary) -> str:
    return "; ".join(f"{url}: {why}" for url, why in summary.unreachable_seeds.items())


def _crawl_failure(crawl_date: dt.date, summary: CrawlSummary, seeds: list[str], archive: CrawlArchive) -> str | None:
    """Why the crawl of a date must not go on to raw_pages, saying what a re-run will do; None when it may."""
    reached_none = bool(seeds) and not summary.outcomes.get("fetched") and \
        len(summary.unreachable_seeds) == len(set(seeds))
    what = (f"No seed could be reached, so nothing was crawled for {crawl_date}: {_unreachable(summary)}"
            if reached_none else f"The crawl of {crawl_date} is incomplete: {summary.incomplete}")
    if summary.incomplete:
        return (f"{what}. Its archive ({archive.folder}) is kept incomplete: the next run of {crawl_date} asks "
                "again for the pages that failed and replays the rest.")
    if reached_none:
        return (f"{what}. The archive of {crawl_date} is complete and every run replays it; to crawl the date "
                f"again, discard it: make run DATE={crawl_date} RECRAWL=1 (in the UI, the run tag "
                f"{RECRAWL_TAG}=true or crawl_archive's config recrawl: true).")
    return None


@corpus_asset(gate="Every crawled URL has exactly one outcome of a known kind.", step="collect",
              kinds={"python", "warc"}, uses_warehouse=False)
def crawl_archive(context: dg.AssetExecutionContext, corpus: CorpusConfigResource, config: CrawlArchiveConfig):
    """The crawl of one date as standard WARC files (every request and response) plus one outcome per URL.

    The first materialization of a date crawls the configured seeds live: breadth-first within the seeds'
    hosts, robots.txt obeyed, each host paced by `crawl.delay_seconds`, private networks refused unless
    allowed. Any later materialization replays the archive and fetches nothing, so re-runs and backfills are
    reproducible; an interrupted crawl resumes where it stopped, and a crawl left incomplete by failures that may
    pass (nothing reached, or more than `crawl.max_failed_share` of the pages) asks for those pages again. The
    run tag `corpus/recrawl=true` (or the config `recrawl: true`) discards a date's archive and crawls it anew.
    The archive lives outside DuckDB, so a long crawl never holds the warehouse.
    """
    settings = corpus.load()
    recrawl = config.recrawl or context.run.tags.get(RECRAWL_TAG, "").lower() == "true"
    totals: Counter = Counter()
    replayed, discarded = [], {}
    for crawl_date in partition_dates(context):
        archive = archive_for(settings, crawl_date)
        if recrawl:
            moved = archive.discard(settings.archive_dir / DISCARDED_ARCHIVES)
            if moved is not None:
                discarded[crawl_date.isoformat()] = str(moved)
                context.log.info(f"crawl {crawl_date}: the archive was moved to {moved}; crawling again")
        summary = Crawler(settings.crawl, archive, crawl_date, log=context.log.info).run(settings.sources.seeds)
        totals.update(summary.outcomes)
        if summary.replayed:
            replayed.append(crawl_date.isoformat())
        failures = _audit_archive(archive)
        if failures:
            yield from fail_gate(f"crawl_archive for crawl date {crawl_date}", failures,
                                 crawl_date=crawl_date.isoformat())
        failure = _crawl_failure(crawl_date, summary, settings.sources.seeds, archive)
        if failure:
            raise dg.Failure(description=failure, allow_retries=False, metadata={
                "crawl_date": crawl_date.isoformat(), "outcomes": dg.MetadataValue.json(dict(summary.outcomes)),
                "unreachable_seeds": dg.MetadataValue.json(summary.unreachable_seeds)})
        context.log.info(f"crawl {crawl_date}: {dict(summary.outcomes)} (replayed: {summary.replayed})")
    yield dg.MaterializeResult(
        metadata={
            "outcomes": dg.MetadataValue.json(dict(totals)),
            "pages_fetched": totals.get("fetched", 0),
            "replayed_dates": dg.MetadataValue.json(replayed),
            "discarded_archives": dg.MetadataValue.json(discarded),
            "archive_dir": dg.MetadataValue.path(str(settings.archive_dir)),
        },
        check_results=[passed_gate()],
    )
