"""`extracted_text`: the main text of each raw page, its language and its counts."""

import datetime as dt
from typing import Any

import dagster as dg
import duckdb
import pyarrow as pa
from dagster_duckdb import DuckDBResource

from corpus_assets import warehouse
from corpus_assets.assets.factory import stage_asset
from corpus_assets.assets.publish import per_document_pool, publish_each_date
from corpus_assets.assets.raw_pages import raw_pages
from corpus_assets.checks.gate import PartitionGate
from corpus_assets.crawl.robots import robots_text
from corpus_assets.crawl.urls import host_of
from corpus_assets.extract.batch import ExtractionWork, HostFiles, extract_batch
from corpus_assets.resources import CorpusConfigResource
from corpus_assets.stages import EXTRACTED_TEXT


def date_host_files(conn: duckdb.DuckDBPyConnection, crawl_date: dt.date) -> dict[str, HostFiles]:
    """The robots.txt and TDMRep file of every host of the date (a handful of small files: read once per date)."""
    files: dict[str, dict[str, Any]] = {}
    for host, kind, body, truncated in warehouse.execute(conn, "extracted_text/host_files",
                                                         {"crawl_date": crawl_date}).fetchall():
        found = files.setdefault(host, {})
        if kind == "robots":
            found["robots_text"] = robots_text(body, truncated=truncated)
        else:
            found["tdmrep_body"] = body
    return {host: HostFiles(**found) for host, found in files.items()}


def hosts_of(pages: pa.RecordBatch) -> set[str]:
    """The hosts a batch of pages was fetched from (after redirects)."""
    return {host_of(final or url) for url, final in zip(pages.column("url").to_pylist(),
                                                        pages.column("final_url").to_pylist())}


@stage_asset(EXTRACTED_TEXT, deps=[raw_pages])
def extracted_text(context: dg.AssetExecutionContext, corpus: CorpusConfigResource, warehouse_db: DuckDBResource):
    """The main text of each HTML page: title, text, language and its score, character and word counts.

    Boilerplate (navigation, menus, headers and footers, sidebars, cookie banners, scripts) is removed, each
    block of text is its own line, the encoding is detected (BOM, HTTP header, meta charset, then detection)
    and the text is normalised Unicode. Pages in a language outside `extract.languages`, or with fewer than
    `extract.min_words` words, are dropped with the reason in `drop_log`; so is a page that makes extraction raise
    (`extraction_error`, naming the exception), which counts against the gate's ceiling like `no_text`.

    First, every page's rights are read and stored in `page_rights`: text-and-data-mining opt-outs (robots.txt
    groups for AI crawlers, X-Robots-Tag and `<meta>` noai, the W3C TDMRep header, meta tag and the host's
    tdmrep.json), noindex, and its licence as SPDX. Under the `rights` policy an opted-out page is dropped as
    `tdm_opt_out` (the detail names the signal and where it was found), and with `rights.licence_allow_list` a page
    without an allowed licence as `licence`.
    """
    config = corpus.load()
    pool = per_document_pool(config, extract_batch, config.extract, config.rights)

    def extract(gate: PartitionGate, crawl_date: dt.date) -> dict[str, Any]:
        host_files = date_host_files(gate.conn, crawl_date)
        work = (ExtractionWork(pages, {host: host_files[host] for host in hosts_of(pages) if host in host_files})
                for pages in gate.read_batches("extracted_text/pages_in"))
        for rows, drops, rights in pool.map(work):
            gate.add_rows(rows)
            gate.add_drops(drops)
            warehouse.append_arrow(gate.conn, "staging.page_rights", rights)
        return {"extractor": config.extract.extractor, "workers": pool.workers,
                "hosts_with_robots_or_tdmrep": len(host_files)}

    with pool:
        yield from publish_each_date(context, warehouse_db, EXTRACTED_TEXT, config, extract)
