"""Evaluation-benchmark contamination: load the evaluation sets, cut their items and pages into word n-grams, match.

Plain logic, no Dagster. The `eval_benchmarks` asset (unpartitioned) is, for a `DecontamConfig`:

    index_fingerprint(config).digest                            # fingerprint.py: files' sha256, settings, version;
                                                                # equal to the published one: nothing below runs
    items = load_benchmarks(config.benchmarks)                  # eval_sets.py; paths resolved by the caller
    benchmark_tables(items, config.ngram_size, config.short_ngram_min_words)   # in one pass, the two tables:
        benchmark_item_table(items)                             # benchmark, item_id, source_file, fields, word_count
        benchmark_ngram_table(items, config.ngram_size, config.short_ngram_min_words)
                                                                # benchmark, item_id, ngram_size, ngram_hash, ngram
    benchmark_stats(items, config.ngram_size, config.short_ngram_min_words)   # per-benchmark counts (the asset
                                                                # counts the same in SQL: sql/eval_benchmarks/stats)

`final_set` judges each page with `ContaminationIndex.from_ngram_table(table, n, config.rule)`, the in-memory index
of the published n-grams (`decontaminate_batch` in batch.py): a page is contaminated by an item when it shares
enough of the item's specific (non-template) n-grams (`OverlapRule`, rule.py). Its gate recounts the same rule in
SQL: a crawl date's kept pages become `document_ngram_table(page_ids, texts, sizes)` (doc_id, ngram_size,
word_offset, ngram_hash, ngram), `sizes` being the distinct ngram_size of the benchmark table, joined with the
benchmark n-grams on ngram_hash (sql/final_set/audit.sql). `make benchmark-decontamination` prints the
per-benchmark table, the timings, and each rule's recall and false positives on planted MMLU items.
"""

from corpus_assets.decontam.config import DecontamConfig
from corpus_assets.decontam.eval_sets import (
    BenchmarkFormatError,
    BenchmarkItem,
    benchmark_files,
    benchmark_name,
    load_benchmark_file,
    load_benchmarks,
)
from corpus_assets.decontam.fingerprint import (
    INDEX_VERSION,
    BenchmarkFileHash,
    IndexFingerprint,
    benchmark_file_hashes,
    file_sha256,
    index_fingerprint,
)
from corpus_assets.decontam.index import Contamination, ContaminationIndex, Match
from corpus_assets.decontam.ngrams import (
    DEFAULT_NGRAM_SIZE,
    WordWindows,
    document_ngrams,
    item_ngrams,
    item_windows,
    ngram_hash,
    ngram_hash_sql,
    normalized_for_matching,
    text_hash,
)
from corpus_assets.decontam.rule import ANY_NGRAM, OverlapRule
from corpus_assets.decontam.stats import BenchmarkStats, benchmark_stats
from corpus_assets.decontam.tables import (
    benchmark_item_table,
    benchmark_ngram_table,
    benchmark_tables,
    document_ngram_table,
)

__all__ = [
    "ANY_NGRAM",
    "DEFAULT_NGRAM_SIZE",
    "INDEX_VERSION",
    "BenchmarkFileHash",
    "BenchmarkFormatError",
    "BenchmarkItem",
    "BenchmarkStats",
    "Contamination",
    "ContaminationIndex",
    "DecontamConfig",
    "IndexFingerprint",
    "Match",
    "OverlapRule",
    "WordWindows",
    "benchmark_file_hashes",
    "benchmark_files",
    "benchmark_item_table",
    "benchmark_name",
    "benchmark_ngram_table",
    "benchmark_stats",
    "benchmark_tables",
    "document_ngram_table",
    "document_ngrams",
    "file_sha256",
    "index_fingerprint",
    "item_ngrams",
    "item_windows",
    "load_benchmark_file",
    "load_benchmarks",
    "ngram_hash",
    "ngram_hash_sql",
    "normalized_for_matching",
    "text_hash",
]
