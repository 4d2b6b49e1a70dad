"""`filtered_text`: pages that pass the safety and quality filters, with personal data replaced; and every page's signals
(`quality_signals`, `safety_signals`) and redaction counts (`pii_redactions`)."""

import datetime as dt
from collections import Counter
from typing import Any

import dagster as dg
from dagster_duckdb import DuckDBResource

from corpus_assets import warehouse
from corpus_assets.assets.deduped_text import deduped_text
from corpus_assets.assets.factory import stage_asset
from corpus_assets.assets.publish import per_document_pool, publish_each_date
from corpus_assets.checks.gate import PartitionGate
from corpus_assets.privacy import PII_TYPES
from corpus_assets.quality.batch import filter_batch
from corpus_assets.resources import CorpusConfigResource
from corpus_assets.stages import FILTERED_TEXT


@stage_asset(FILTERED_TEXT, deps=[deduped_text])
def filtered_text(context: dg.AssetExecutionContext, corpus: CorpusConfigResource, warehouse_db: DuckDBResource):
    """Pages that pass the quality heuristics of the reference pipelines, at FineWeb's (datatrove's) defaults.

    Gopher repetition, Gopher quality, C4 (which removes javascript, policy and over-long-word lines from the
    text) and FineWeb's own rules, in that order, every threshold a key of `quality` in the config. A dropped
    page names the filter, the rule and the measured value. Every signal of every page is stored in
    `quality_signals`, so "what if this threshold were 0.15" is one query, without a re-run. Words and sentences
    come from the tokenizer datatrove gives the page's language (spaCy's rules; jieba, Sudachi, pyvi, Kiwi where
    words are not spaced), or one language's for every page (`quality.tokenizer_language`).

    Safety first and last: a page whose URL is on a blocklist (UT1's adult list as datatrove ships it, and the
    team's `safety.blocklist.extra_list`) is dropped as `blocklist` (expected), and a text whose share of listed
    obscene words (LDNOOBW for its language) passes `safety.obscene` as `obscene`; both signals are in
    `safety_signals` for every page. Then personal data in the kept text (e-mail addresses, phone numbers, IP
    addresses, card numbers, IBANs) is replaced by typed placeholders (`<EMAIL>`...), counted per page and kind in
    `pii_redactions`, never stored. Redaction is done here, not in an asset of its own, so that no second copy of
    every kept text is written; the gate re-scans the redacted text by SQL regexps of its own.
    """
    config = corpus.load()
    pool = per_document_pool(config, filter_batch, config.quality, config.safety, config.privacy)

    def filter_quality(gate: PartitionGate, crawl_date: dt.date) -> dict[str, Any]:
        redacted: Counter[str] = Counter()
        for rows, signals, safety, redactions, drops in pool.map(gate.read_batches("filtered_text/pages_in")):
            gate.add_rows(rows)
            warehouse.append_arrow(gate.conn, "staging.quality_signals", signals)
            warehouse.append_arrow(gate.conn, "staging.safety_signals", safety)
            warehouse.append_arrow(gate.conn, "staging.pii_redactions", redactions)
            gate.add_drops(drops)
            for kind, count in zip(redactions.column("pii_type").to_pylist(),
                                   redactions.column("redactions").to_pylist(), strict=True):
                redacted[kind] += count
        return {"workers": pool.workers, "pii_redacted": dg.MetadataValue.json(
            {kind: redacted[kind] for kind in PII_TYPES})}

    with pool:
        yield from publish_each_date(context, warehouse_db, FILTERED_TEXT, config, filter_quality)
