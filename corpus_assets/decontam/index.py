"""The in-memory n-gram index of benchmark items that `final_set` matches pages with; its gate does the same by SQL.

A page matches an item when one of the page's n-gram hashes is one of the item's (`benchmark_ngram_table` joined
with `document_ngram_table` on ngram_hash). The page's *first* match is at its smallest matching word offset (at one
offset, the longest n-gram). Items can share that n-gram: MMLU's 895 moral_scenarios items share a 33-word
instruction, ARC-Easy and ARC-Challenge share questions. Of those, the item sharing the most n-gram windows with
the page wins, which is the item the page quotes rather than one with the same template; then the smallest
(benchmark, item_id) in code point order. In SQL, over the join's rows (one per page window and item):

    ORDER BY word_offset, ngram_size DESC,
             count(*) OVER (PARTITION BY doc_id, benchmark, item_id) DESC, benchmark, item_id LIMIT 1

That first match is GPT-3's rule (any one shared n-gram). `contamination` applies the index's `OverlapRule`
(rule.py): the item of which the page shares enough specific n-grams, with the evidence; `sql/final_set/audit.sql`
recounts the same in SQL.

Like the SQL join, matching compares hashes only, so a false match needs a 64-bit collision: against the full
benchmark folder's 2.2 million n-grams, one expected per 8 * 10^12 page n-grams (a corpus of trillions of words).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from corpus_assets.decontam.eval_sets import BenchmarkItem
from corpus_assets.decontam.ngrams import DEFAULT_NGRAM_SIZE, WordWindows, item_ngrams
from corpus_assets.decontam.rule import ANY_NGRAM, OverlapRule


@dataclass(frozen=True, slots=True)
class Match:
    """A page n-gram that is also an n-gram of a benchmark item."""

    benchmark: str
    item_id: str
    ngram: str
    word_offset: int


@dataclass(frozen=True, slots=True)
class Contamination:
    """The item a page is contaminated by under an `OverlapRule`, and the evidence: `shared` of the item's
    `specific_ngrams` specific n-grams are on the page, the first of them (by page offset) being `first`."""

    benchmark: str
    item_id: str
    shared: int
    specific_ngrams: int
    first: Match

    def evidence(self) -> str:
        """The drop log's detail: the item, how much of it the page shares, and its first shared n-gram."""
        return (f"shares {self.shared} of the {self.specific_ngrams} specific n-grams of {self.benchmark} item "
                f"{self.item_id}, first: '{self.first.ngram}'")


ItemKey = tuple[str, str]  # (benchmark, item_id)


class ContaminationIndex:
    """Benchmark items' n-gram hashes, mapped to the items that have them."""

    def __init__(self, ngram_size: int, rule: OverlapRule = ANY_NGRAM) -> None:
        """An empty index of n-grams of `ngram_size` words, judging contamination by `rule`; `from_items` fills one."""
        self.ngram_size = ngram_size
        self._rule = rule  # fixed: the specific n-gram counts below depend on it
        # Per item, its specific n-grams (those of fewer items than a template): counted when first needed, as
        # `add` may still be adding items until then.
        self._specific_counts: dict[ItemKey, int] | None = None
        # Most hashes belong to one item: mapping each to its item's (shared) key tuple takes a third of the memory
        # of a collection per hash; the few hashes items share also have all their items in `_shared`.
        self._first: dict[int, ItemKey] = {}
        self._shared: dict[int, set[ItemKey]] = {}
        self._sizes: set[int] = set()

    @classmethod
    def from_items(cls, items: Iterable[BenchmarkItem], n: int = DEFAULT_NGRAM_SIZE,
                   short_ngram_min_words: int | None = None, rule: OverlapRule = ANY_NGRAM) -> ContaminationIndex:
        """Index the n-grams of `items` (see `item_ngrams` for `short_ngram_min_words`)."""
        index = cls(n, rule)
        for item in items:
            index.add(item, short_ngram_min_words)
        index._specific_ngram_counts()  # counted here, once, rather than in every worker the index is sent to
        return index

    @classmethod
    def from_ngram_table(cls, table: pa.Table, n: int = DEFAULT_NGRAM_SIZE,
                         rule: OverlapRule = ANY_NGRAM) -> ContaminationIndex:
        """The index of a `benchmark_ngram_table` (its benchmark, item_id, ngram_size and ngram_hash columns), as
        `from_items` builds it from the items: the same hashes, each with the same items. Reading the published
        table spares normalising and hashing every item again, which is most of the cost of `from_items`."""
        index = cls(n, rule)
        keys: dict[ItemKey, ItemKey] = {}
        first_of, shared = index._first, index._shared
        columns = (table.column(name).to_pylist() for name in ("benchmark", "item_id", "ngram_hash"))
        for benchmark, item_id, hashed in zip(*columns, strict=True):
            key = (benchmark, item_id)
            key = keys.setdefault(key, key)  # one tuple per item, as `add` shares it, not one per n-gram
            first = first_of.setdefault(hashed, key)
            if first != key:
                shared.setdefault(hashed, {first}).add(key)
        index._sizes.update(pc.unique(table.column("ngram_size")).to_pylist())
        index._specific_ngram_counts()  # counted here, once, rather than in every worker the index is sent to
        return index

    def add(self, item: BenchmarkItem, short_ngram_min_words: int | None = None) -> None:
        """Index one more item's n-grams."""
        key = (item.benchmark, item.item_id)
        self._specific_counts = None
        for hashed, text in item_ngrams(item, self.ngram_size, short_ngram_min_words):
            self._sizes.add(text.count(" ") + 1)
            first = self._first.setdefault(hashed, key)
            if first != key:
                self._shared.setdefault(hashed, {first}).add(key)

    @property
    def rule(self) -> OverlapRule:
        """The rule `contamination` applies (set when the index is made)."""
        return self._rule

    @property
    def ngram_sizes(self) -> tuple[int, ...]:
        """The n-gram lengths indexed, longest first: pages must be cut into n-grams of each."""
        return tuple(sorted(self._sizes, reverse=True))

    def __len__(self) -> int:
        """The number of distinct n-gram hashes."""
        return len(self._first)

    def _items_of(self, hashed: int) -> Collection[ItemKey]:
        """The items with an indexed hash."""
        shared = self._shared.get(hashed)
        return shared if shared is not None else (self._first[hashed],)

    def _page_hits(self, text: str) -> list[tuple[int, str, int]]:
        """(offset, n-gram, hash) of every indexed window of a page: by offset, then longest first."""
        windows = WordWindows.of_text(text)
        hashes = {size: windows.hashes(size) for size in self.ngram_sizes}
        hits = [(offset, size, hashed) for size, size_hashes in hashes.items()
                for offset, hashed in enumerate(size_hashes) if hashed in self._first]
        hits.sort(key=lambda hit: (hit[0], -hit[1]))
        return [(offset, windows.text(offset, size), hashed) for offset, size, hashed in hits]

    def first_match(self, text: str) -> Match | None:
        """The page's first match: earliest window, then the item sharing most windows, then benchmark and id."""
        hits = self._page_hits(text)
        if not hits:
            return None
        offset, ngram, hashed = hits[0]
        candidates = list(self._items_of(hashed))
        if len(candidates) > 1:
            shared_windows = Counter(key for _, _, hit in hits for key in self._items_of(hit))
            candidates.sort(key=lambda key: (-shared_windows[key], key))
        benchmark, item_id = candidates[0]
        return Match(benchmark, item_id, ngram, offset)

    def _specific_ngram_counts(self) -> dict[ItemKey, int]:
        """Every item's number of specific n-grams under the rule (an item with none cannot be found)."""
        if self._specific_counts is None:
            counts: Counter[ItemKey] = Counter()
            shared, is_template = self._shared, self._rule.is_template
            for hashed, first in self._first.items():
                holders = shared.get(hashed)
                if holders is None:
                    counts[first] += 1
                elif not is_template(len(holders)):
                    counts.update(holders)
            self._specific_counts = dict(counts)
        return self._specific_counts

    def contamination(self, text: str) -> Contamination | None:
        """The item the page is contaminated by under the index's rule, or None. Of several, the one sharing the
        most specific n-grams, then the largest share of its own, then the smallest (benchmark, item_id)."""
        specific_counts = self._specific_ngram_counts()
        shared: Counter[ItemKey] = Counter()
        first: dict[ItemKey, tuple[int, int]] = {}  # item -> (offset, size) of its earliest shared window
        seen: set[int] = set()
        windows = WordWindows.of_text(text)
        first_of, shared_by, is_template = self._first, self._shared, self._rule.is_template
        # Longest first, so that at one offset an item's first window is its longest, as in `first_match`.
        for size in self.ngram_sizes:
            for offset, hashed in enumerate(windows.hashes(size)):
                key = first_of.get(hashed)
                if key is None or hashed in seen:  # a page repeating an n-gram shares it once
                    continue
                seen.add(hashed)
                holders = shared_by.get(hashed)
                if holders is None:  # most n-grams are one item's: no set to go through
                    holders = (key,)
                elif is_template(len(holders)):
                    continue
                for key in holders:
                    shared[key] += 1
                    if key not in first or offset < first[key][0]:
                        first[key] = (offset, size)
        found = [(count, count / specific_counts[key], key) for key, count in shared.items()
                 if self._rule.contaminates(count, specific_counts[key])]
        if not found:
            return None
        count, _, key = min(found, key=lambda f: (-f[0], -f[1], f[2]))
        offset, size = first[key]
        return Contamination(key[0], key[1], count, specific_counts[key],
                             Match(key[0], key[1], windows.text(offset, size), offset))

    def matches(self, text: str) -> list[Match]:
        """Every (window, item) match of a page: by offset, longest n-gram first, then benchmark and item id."""
        return [Match(benchmark, item_id, ngram, offset)
                for offset, ngram, hashed in self._page_hits(text)
                for benchmark, item_id in sorted(self._items_of(hashed))]
