"""`raw_pages`: a date's crawl archive and WARC files loaded into the warehouse, one row per HTML response."""

import datetime as dt
from typing import Any

import dagster as dg
from dagster_duckdb import DuckDBResource

from corpus_assets import warehouse
from corpus_assets.assets.crawl_archive import archive_for, crawl_archive
from corpus_assets.assets.factory import stage_asset
from corpus_assets.assets.publish import publish_each_date
from corpus_assets.checks.gate import PartitionGate
from corpus_assets.crawl.load import crawl_archive_problem, iter_raw_page_batches, why_no_input
from corpus_assets.crawl.warc_source import WarcReadStats
from corpus_assets.resources import CorpusConfigResource
from corpus_assets.stages import RAW_PAGES


@stage_asset(RAW_PAGES, deps=[crawl_archive])
def raw_pages(context: dg.AssetExecutionContext, corpus: CorpusConfigResource, warehouse_db: DuckDBResource):
    """One fetched HTML response per page and crawl date, with its provenance.

    Loaded from the date's crawl archive and from the WARC sources whose path names the date (`{date}`):
    URL, final URL after redirects, HTTP status, headers, content type, body length and SHA-256, fetch time (a WARC
    record keeps its own WARC-Date), the WARC file, record offset and record ID it came from, and the robots.txt
    decision. The body itself stays in the WARC file unless `sources.copy_bodies` (or the record could only be
    read by the recovery reader, or came from a URL): extraction reads it from there and checks its hash.
    Failed fetches, robots refusals, non-HTML responses and a URL seen twice become `drop_log` rows.
    """
    config = corpus.load()

    def load(gate: PartitionGate, crawl_date: dt.date) -> dict[str, Any]:
        warehouse.execute(gate.conn, "raw_pages/stage_inputs")
        archive = archive_for(config, crawl_date)
        warc_files = [path for source in config.sources.warc for path in source.files_for(crawl_date)]
        crawl_problem = crawl_archive_problem(crawl_date, config.sources, archive)
        if crawl_problem and warc_files:
            context.log.warning(f"raw_pages {crawl_date}: only the WARC files are loaded, not the crawl: {crawl_problem}")
        stats, inputs, copied = WarcReadStats(), 0, 0
        for batch in iter_raw_page_batches(crawl_date, None if crawl_problem else archive, warc_files, stats,
                                           content_types=config.crawl.content_types,
                                           allow_private_networks=config.crawl.allow_private_networks,
                                           copy_bodies=config.sources.copy_bodies):
            warehouse.append_arrow(gate.conn, "staging.raw_pages_inputs", batch.inputs)
            gate.add_rows(batch.rows)
            gate.add_drops(batch.drops)
            warehouse.append_arrow(gate.conn, "staging.host_files", batch.host_files)
            inputs += batch.inputs.num_rows
            copied += batch.rows.num_rows - batch.rows.column("body").null_count
        if not inputs:
            # An empty partition would replace what is published for the date with nothing because an input
            # vanished (a moved folder, an unmounted disk, a backfill without the crawl): that is a failure.
            why = why_no_input(crawl_date, config.sources, archive, warc_files, stats)
            raise dg.Failure(description=f"raw_pages for {crawl_date} has no input, so nothing was published (what "
                             f"was published for the date stays): {why}",
                             metadata={"crawl_date": crawl_date.isoformat()}, allow_retries=False)
        warehouse.execute(gate.conn, "raw_pages/duplicate_urls", {"crawl_date": crawl_date})
        for broken in stats.broken[:20]:
            context.log.warning(f"WARC record skipped: {broken.describe()}")
        read = stats.as_metadata()
        return {
            "warc_files": dg.MetadataValue.json([str(p) for p in warc_files]),
            "crawl_archive": crawl_problem or (str(archive.folder) if config.sources.seeds else "no seeds configured"),
            "warc_responses_read": dg.MetadataValue.int(read["responses_read"]),
            "bodies_copied": dg.MetadataValue.int(copied),
            "warc_records_skipped": dg.MetadataValue.json(read["skipped_by_kind"]),
            "warc_records_broken": dg.MetadataValue.json(
                {"by_reason": read["broken_by_reason"], "first": read["broken"]}
            ),
        }

    yield from publish_each_date(context, warehouse_db, RAW_PAGES, config, load)
