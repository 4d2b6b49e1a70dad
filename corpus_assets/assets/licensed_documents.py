"""`licensed_documents`: the first-party and licensed documents of a date (`sources.documents`)."""

import datetime as dt
from typing import Any

import dagster as dg
from dagster_duckdb import DuckDBResource

from corpus_assets.assets.factory import stage_asset
from corpus_assets.assets.publish import publish_each_date
from corpus_assets.checks.gate import PartitionGate
from corpus_assets.documents.read import DocumentSourceError, iter_document_batches
from corpus_assets.resources import CorpusConfigResource
from corpus_assets.stages import LICENSED_DOCUMENTS


@stage_asset(LICENSED_DOCUMENTS, deps=[])
def licensed_documents(context: dg.AssetExecutionContext, corpus: CorpusConfigResource,
                       warehouse_db: DuckDBResource):
    """Documents a team owns or licenses (support transcripts, a licensed archive), read from the JSONL, Parquet or
    CSV files of `sources.documents` whose path names the date (`{date}`) or whose source has that crawl date.

    Every source states its licence and origin; each document keeps them with the file and row it came from, and
    they reach the release. The documents have no HTML: they join the crawl at `deduped_text` and go through
    dedup, quality, personal-data redaction and decontamination like any page. A row without an id or a text
    fails the date, naming the file, line and field; the gate fails an id given twice in one file.
    """
    config = corpus.load()

    def read(gate: PartitionGate, crawl_date: dt.date) -> dict[str, Any]:
        files: dict[str, int] = {}
        for source in config.sources.documents:
            for path in source.files_for(crawl_date):
                files[path] = 0
                try:
                    for rows in iter_document_batches(source, path, crawl_date):
                        gate.add_rows(rows)
                        files[path] += rows.num_rows
                except DocumentSourceError as error:
                    raise dg.Failure(description=f"licensed_documents for {crawl_date}: {error}; nothing of the "
                                     "date was published", allow_retries=False) from None
        return {"document_files": dg.MetadataValue.json(files)}

    yield from publish_each_date(context, warehouse_db, LICENSED_DOCUMENTS, config, read)
