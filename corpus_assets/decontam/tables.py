"""The warehouse's decontamination tables as Arrow tables, ready to insert into DuckDB.

`benchmark_items` and `benchmark_ngrams` come from the `eval_benchmarks` asset; `page_ngrams` from the pages of a
crawl date. A page is contaminated by the items whose `ngram_hash` it shares; see `index.py` for which match is
its first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyarrow as pa

from corpus_assets.decontam.eval_sets import BenchmarkItem
from corpus_assets.decontam.ngrams import (
    DEFAULT_NGRAM_SIZE,
    WordWindows,
    item_ngrams,
    item_windows,
    item_windows_and_ngrams,
)

BENCHMARK_ITEM_SCHEMA = pa.schema([
    ("benchmark", pa.string()), ("item_id", pa.string()), ("source_file", pa.string()),
    ("field_names", pa.list_(pa.string())), ("field_texts", pa.list_(pa.string())), ("word_count", pa.int32()),
])
BENCHMARK_NGRAM_SCHEMA = pa.schema([
    ("benchmark", pa.string()), ("item_id", pa.string()), ("ngram_size", pa.int16()),
    ("ngram_hash", pa.int64()), ("ngram", pa.string()),
])
DOCUMENT_NGRAM_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("ngram_size", pa.int16()), ("word_offset", pa.int32()),
    ("ngram_hash", pa.int64()), ("ngram", pa.string()),
])


def benchmark_item_table(items: Iterable[BenchmarkItem]) -> pa.Table:
    """One row per item: benchmark, item_id, source_file, its field names and texts, and its word count."""
    columns: dict[str, list] = {name: [] for name in BENCHMARK_ITEM_SCHEMA.names}
    for item in items:
        columns["benchmark"].append(item.benchmark)
        columns["item_id"].append(item.item_id)
        columns["source_file"].append(item.source_file)
        columns["field_names"].append([name for name, _ in item.fields])
        columns["field_texts"].append([text for _, text in item.fields])
        columns["word_count"].append(item_windows(item).word_count)
    return pa.table(columns, schema=BENCHMARK_ITEM_SCHEMA)


def benchmark_ngram_table(items: Iterable[BenchmarkItem], n: int = DEFAULT_NGRAM_SIZE,
                          short_ngram_min_words: int | None = None) -> pa.Table:
    """The n-gram index as a table to insert: benchmark, item_id, ngram_size, ngram_hash (int64), ngram.

    One row per distinct n-gram of an item; an n-gram shared by several items has a row for each.
    """
    columns: dict[str, list] = {name: [] for name in BENCHMARK_NGRAM_SCHEMA.names}
    for item in items:
        for hashed, text in item_ngrams(item, n, short_ngram_min_words):
            columns["benchmark"].append(item.benchmark)
            columns["item_id"].append(item.item_id)
            columns["ngram_size"].append(text.count(" ") + 1)
            columns["ngram_hash"].append(hashed)
            columns["ngram"].append(text)
    return pa.table(columns, schema=BENCHMARK_NGRAM_SCHEMA)


def benchmark_tables(items: Iterable[BenchmarkItem], n: int = DEFAULT_NGRAM_SIZE,
                     short_ngram_min_words: int | None = None) -> tuple[pa.Table, pa.Table]:
    """(`benchmark_item_table(items)`, `benchmark_ngram_table(items, n, short_ngram_min_words)`), the same rows in
    the same order, in one pass that normalises each item once rather than once per table."""
    item_columns: dict[str, list] = {name: [] for name in BENCHMARK_ITEM_SCHEMA.names}
    ngram_columns: dict[str, list] = {name: [] for name in BENCHMARK_NGRAM_SCHEMA.names}
    for item in items:
        windows, ngrams = item_windows_and_ngrams(item, n, short_ngram_min_words)
        item_columns["benchmark"].append(item.benchmark)
        item_columns["item_id"].append(item.item_id)
        item_columns["source_file"].append(item.source_file)
        item_columns["field_names"].append([name for name, _ in item.fields])
        item_columns["field_texts"].append([text for _, text in item.fields])
        item_columns["word_count"].append(windows.word_count)
        ngram_columns["benchmark"] += [item.benchmark] * len(ngrams)
        ngram_columns["item_id"] += [item.item_id] * len(ngrams)
        ngram_columns["ngram_size"] += [text.count(" ") + 1 for _, text in ngrams]
        ngram_columns["ngram_hash"] += [hashed for hashed, _ in ngrams]
        ngram_columns["ngram"] += [text for _, text in ngrams]
    return (pa.table(item_columns, schema=BENCHMARK_ITEM_SCHEMA),
            pa.table(ngram_columns, schema=BENCHMARK_NGRAM_SCHEMA))


def document_ngram_table(doc_ids: Sequence[str], texts: Sequence[str], sizes: Iterable[int] = (DEFAULT_NGRAM_SIZE,),
                         *, include_text: bool = True) -> pa.Table:
    """Every page's n-grams of each size as a table to insert: doc_id, ngram_size, word_offset, ngram_hash, ngram.

    `sizes` are those the index holds (`ContaminationIndex.ngram_sizes`, or the distinct `ngram_size` of the
    benchmark table). Without `include_text` the ngram column is null: the join needs only the hash, and every
    page word is in n windows' texts, so that column alone is about n times the size of the pages.
    """
    if len(doc_ids) != len(texts):
        raise ValueError(f"{len(doc_ids)} document ids for {len(texts)} texts")
    sizes = sorted(set(sizes))
    columns: dict[str, list] = {name: [] for name in DOCUMENT_NGRAM_SCHEMA.names}
    for doc_id, text in zip(doc_ids, texts, strict=True):
        windows = WordWindows.of_text(text)
        for size in sizes:
            offsets = windows.offsets(size)
            columns["doc_id"] += [doc_id] * len(offsets)
            columns["ngram_size"] += [size] * len(offsets)
            columns["word_offset"] += offsets
            columns["ngram_hash"] += windows.hashes(size)
            columns["ngram"] += windows.texts(size) if include_text else [None] * len(offsets)
    return pa.table(columns, schema=DOCUMENT_NGRAM_SCHEMA)
