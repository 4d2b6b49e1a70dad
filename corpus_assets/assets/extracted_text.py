"""`extracted_text`: the main text of each raw page, its language and its counts."""

import datetime as dt
from typing import Any

import dagster as dg
from dagster_duckdb import DuckDBResource

from corpus_assets.assets.factory import stage_asset
from corpus_assets.assets.publish import per_document_pool, publish_each_date
from corpus_assets.assets.raw_pages import raw_pages
from corpus_assets.checks.gate import PartitionGate
from corpus_assets.extract.batch import extract_batch
from corpus_assets.resources import CorpusConfigResource
from corpus_assets.stages import EXTRACTED_TEXT


@stage_asset(EXTRACTED_TEXT, deps=[raw_pages])
def extracted_text(context: dg.AssetExecutionContext, corpus: CorpusConfigResource, warehouse_db: DuckDBResource):
    """The main text of each HTML page: title, text, language and its score, character and word counts.

    Boilerplate (navigation, menus, headers and footers, sidebars, cookie banners, scripts) is removed, each
    block of text is its own line, the encoding is detected (BOM, HTTP header, meta charset, then detection)
    and the text is normalised Unicode. Pages in a language outside `extract.languages`, or with fewer than
    `extract.min_words` words, are dropped with the reason in `drop_log`; so is a page that makes extraction raise
    (`extraction_error`, naming the exception), which counts against the gate's ceiling like `no_text`.
    """
    config = corpus.load()
    pool = per_document_pool(config, extract_batch, config.extract)

    def extract(gate: PartitionGate, crawl_date: dt.date) -> dict[str, Any]:
        for rows, drops in pool.map(gate.read_batches("extracted_text/pages_in")):
            gate.add_rows(rows)
            gate.add_drops(drops)
        return {"extractor": config.extract.extractor, "workers": pool.workers}

    with pool:
        yield from publish_each_date(context, warehouse_db, EXTRACTED_TEXT, config, extract)
