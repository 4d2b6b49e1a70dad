"""Extraction over a batch of `raw_pages` rows: kept pages and drops as Arrow tables for the staging tables."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from corpus_assets.crawl.load import body_of
from corpus_assets.drop_log import DropReasons, drop_record, drops_table, error_detail
from corpus_assets.extract import (
    ExtractConfig,
    decode_html,
    extract_main_text,
    identify_language,
    judge_extraction,
)

STAGE = "extracted_text"
# A foreign language is the web's doing; a page with no usable text may be a thin page, but a day of them is not,
# and a page the code raised on (extraction_error) is a bug to fix: one is dropped, a day of them fails the gate.
DROP_REASONS = DropReasons(expected=frozenset({"language"}), unexpected=frozenset({"no_text", "extraction_error"}))

EXTRACTED_TEXT_SCHEMA = pa.schema(
    [
        ("page_id", pa.string()),
        ("crawl_date", pa.date32()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("language", pa.string()),
        ("language_score", pa.float64()),
        ("declared_language", pa.string()),
        ("canonical_url", pa.string()),
        ("char_count", pa.int32()),
        ("word_count", pa.int32()),
        ("extractor", pa.string()),
        ("encoding", pa.string()),
    ]
)


def extract_batch(batch: pa.RecordBatch, config: ExtractConfig) -> tuple[pa.Table, pa.Table]:
    """Extract every page of a batch of `raw_pages` rows (sql/extracted_text/pages_in.sql).

    Never raises for a page: one that makes decoding, extraction or language identification raise is dropped as
    `extraction_error`, its detail naming the exception. A body that cannot be read back from its WARC file
    raises `BodyUnavailable`: that is the archive's fault, not the page's, and dropping it would lose it.
    """
    rows: list[dict[str, Any]] = []
    drops: list[dict[str, Any]] = []
    for page in batch.to_pylist():
        body = body_of(page)
        try:
            decoded = decode_html(body, page["content_type"])
            extraction = extract_main_text(decoded.text, page["url"], config)
            guess = identify_language(extraction.text)
            verdict = judge_extraction(extraction, guess, config)
        except Exception as error:  # the archive is replayed on every re-run: raising would fail the date forever
            drops.append(drop_record(page["crawl_date"], page["page_id"], page["url"], STAGE, "extraction_error",
                                     error_detail(error)))
            continue
        if verdict.drop_reason:
            drops.append(drop_record(page["crawl_date"], page["page_id"], page["url"], STAGE,
                                     verdict.drop_reason, verdict.detail))
            continue
        rows.append(
            {
                "page_id": page["page_id"],
                "crawl_date": page["crawl_date"],
                "url": page["url"],
                "title": extraction.title,
                "text": extraction.text,
                "language": guess.language,
                "language_score": guess.score,
                "declared_language": extraction.declared_language,
                "canonical_url": extraction.canonical_url,
                "char_count": verdict.char_count,
                "word_count": verdict.word_count,
                "extractor": extraction.extractor,
                "encoding": decoded.encoding,
            }
        )
    return (
        pa.Table.from_pylist(rows, schema=EXTRACTED_TEXT_SCHEMA),
        drops_table(drops),
    )
