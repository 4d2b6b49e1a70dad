"""Per-benchmark counts of the n-gram index: what was indexed, and which items it cannot detect."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from corpus_assets.decontam.eval_sets import BenchmarkItem
from corpus_assets.decontam.ngrams import DEFAULT_NGRAM_SIZE, item_ngrams, item_windows


@dataclass(frozen=True, slots=True)
class BenchmarkStats:
    """One benchmark's share of the index.

    `short_items` have fewer words than the n-gram size; `unindexed_items` have no n-gram at all and can never
    match (the short items, less those with a field indexed whole under `short_ngram_min_words`).
    """

    benchmark: str
    items: int
    ngrams: int
    short_items: int
    unindexed_items: int


def benchmark_stats(items: Iterable[BenchmarkItem], n: int = DEFAULT_NGRAM_SIZE,
                    short_ngram_min_words: int | None = None) -> list[BenchmarkStats]:
    """Items, distinct n-grams, short and unindexed items of each benchmark, in order of first appearance."""
    counts: dict[str, list[int]] = {}  # benchmark -> [items, short, unindexed]
    hashes: dict[str, set[int]] = {}
    for item in items:
        count = counts.setdefault(item.benchmark, [0, 0, 0])
        item_hashes = {hashed for hashed, _ in item_ngrams(item, n, short_ngram_min_words)}
        count[0] += 1
        count[1] += item_windows(item).word_count < n
        count[2] += not item_hashes
        hashes.setdefault(item.benchmark, set()).update(item_hashes)
    return [BenchmarkStats(name, total, len(hashes[name]), short, unindexed)
            for name, (total, short, unindexed) in counts.items()]
