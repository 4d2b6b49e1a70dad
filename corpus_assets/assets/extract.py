"""`extracted_text`: the readable main text of each HTML page in `raw_pages`."""


import datetime as dt
from typing import Any

import dagster as dg
from dagster_duckdb import DuckDBResource

from corpus_assets import warehouse
from corpus_assets.assets.collect import raw_pages
from corpus_assets.assets.publishing import corpus_asset, publish_each_date, stage_spec
from corpus_assets.checks import suites
from corpus_assets.checks.gate import PartitionGate, StageSpec
from corpus_assets.config import CorpusConfig
from corpus_assets.extract.batch import EXPECTED_DROP_REASONS, KNOWN_DROP_REASONS, extract_batch
from corpus_assets.resources import CorpusConfigResource

BATCH_ROWS = 256


def extracted_text_spec(config: CorpusConfig) -> StageSpec:
    extract = config.extract

    def expectations(crawl_date: dt.date) -> list:
        return suites.extracted_text_expectations(
            crawl_date,
            languages=extract.languages,
            min_language_score=extract.min_language_score,
            min_words=extract.min_words,
        )

    return stage_spec(
        config,
        "extracted_text",
        upstream="main.raw_pages",
        known_drop_reasons=KNOWN_DROP_REASONS,
        expected_drop_reasons=EXPECTED_DROP_REASONS,
        row_expectations=expectations,
    )


@corpus_asset(stage="extract", deps=[raw_pages], kinds={"duckdb", "python"},
              gate="Every page has text in a kept language, every raw page is kept or dropped with a reason, "
              "unexpected drops under the ceiling.")
def extracted_text(context: dg.AssetExecutionContext, corpus: CorpusConfigResource, warehouse_db: DuckDBResource):
    """The main text of each HTML page: title, text, language and its score, character and word counts.

    Boilerplate (navigation, menus, headers and footers, sidebars, cookie banners, scripts) is removed, each
    block of text is its own line, the encoding is detected (HTTP header, BOM, meta charset, then detection)
    and the text is normalised Unicode. Pages in a language outside `extract.languages`, or with fewer than
    `extract.min_words` words, are dropped with the reason in `drop_log`.
    """
    config = corpus.load()

    def extract(gate: PartitionGate, crawl_date: dt.date) -> dict[str, Any]:
        # A second connection streams raw_pages while the first writes staging: memory stays one batch.
        with gate.conn.cursor() as reader:
            batches = warehouse.execute(reader, "raw_pages_for_extraction", {"crawl_date": crawl_date})
            for record_batch in batches.to_arrow_reader(BATCH_ROWS):
                rows, drops = extract_batch(record_batch, config.extract)
                gate.add_rows(rows)
                gate.add_drops(drops)
        return {"extractor": config.extract.extractor}

    yield from publish_each_date(context, warehouse_db, lambda: extracted_text_spec(config), extract)
