"""Decontamination over a batch of `filtered_text` rows: the pages kept for `final_set`, the contaminated ones (by
the index's `OverlapRule`) as drops naming the benchmark item, how much of it the page shares and its first shared
n-gram, and the kept pages' n-grams for the gate's SQL recount."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from corpus_assets.decontam.index import ContaminationIndex
from corpus_assets.decontam.tables import document_ngram_table
from corpus_assets.drop_log import DropReasons, drop_record, drops_table

STAGE = "final_set"
CONTAMINATION = "contamination"
# Contamination is what the stage exists to find: however many pages it removes, none is a fault of the pipeline.
DROP_REASONS = DropReasons(expected=frozenset({CONTAMINATION}))
KEPT_NGRAM_COLUMNS = ["doc_id", "ngram_size", "word_offset", "ngram_hash"]


def decontaminate_batch(batch: pa.RecordBatch, index: ContaminationIndex,
                        sizes: Sequence[int]) -> tuple[pa.Table, pa.Table, pa.Table | None]:
    """(kept rows, drops, the kept pages' n-grams of every size in `sizes`) for a batch of `filtered_text` rows.
    With no benchmark n-gram size (`sizes` empty, nothing indexed) every page is kept and there are no n-grams."""
    rows, drops = [], []
    for page in batch.to_pylist():
        found = index.contamination(page["text"]) if sizes else None
        if found is None:
            rows.append(page)
            continue
        drops.append(drop_record(
            page["crawl_date"], page["page_id"], page["url"], STAGE, CONTAMINATION, found.evidence(),
            benchmark=found.benchmark, benchmark_item=found.item_id, matched_ngram=found.first.ngram))
    ngrams = None
    if sizes and rows:
        ngrams = document_ngram_table([r["page_id"] for r in rows], [r["text"] for r in rows], sizes,
                                      include_text=False).select(KEPT_NGRAM_COLUMNS)
    return pa.Table.from_pylist(rows), drops_table(drops), ngrams
