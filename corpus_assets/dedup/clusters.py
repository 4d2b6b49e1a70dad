"""From candidate pairs to the page each near duplicate defers to: earlier wins, deterministically.

Pages are named by stable, sortable keys such as (crawl_date, page_id). Candidate pairs (equal band hashes, found
by a SQL join or by `candidate_pairs` in memory) link pages into clusters by union-find; each cluster is
represented by its smallest key, which is kept, and every other page of the cluster is a near duplicate of it.
The outcome depends only on the set of pairs, never on their order. Clusters are transitive: if A ~ B and B ~ C,
C defers to A even when A and C are less alike, as in datatrove.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

from corpus_assets.dedup.config import DedupConfig
from corpus_assets.dedup.shingles import jaccard

Key = TypeVar("Key", bound=Hashable)


def candidate_pairs(band_hashes_by_key: Mapping[Key, Sequence[int]]) -> set[tuple[Key, Key]]:
    """Pairs (smallest key, other key) of pages sharing a band hash: the in-memory twin of the SQL join.

    A bucket of k pages gives k - 1 pairs, each linking a page to the bucket's smallest key, not the k(k-1)/2
    pairs of every page with every other: the clusters are the same and a page copied 10,000 times costs 10^4
    pairs, not 5 * 10^7. The SQL can do the same with `min(key) OVER (PARTITION BY band_hash)`.
    """
    smallest_by_hash: dict[int, Key] = {}
    for key in sorted(band_hashes_by_key):
        for band_hash in band_hashes_by_key[key]:
            smallest_by_hash.setdefault(band_hash, key)
    return {
        (smallest_by_hash[band_hash], key)
        for key, hashes in band_hashes_by_key.items()
        for band_hash in hashes
        if smallest_by_hash[band_hash] != key
    }


def verified_pairs(
    pairs: Iterable[tuple[Key, Key]], text_of: Mapping[Key, str] | Callable[[Key], str],
    config: DedupConfig = DedupConfig(),
) -> list[tuple[Key, Key]]:
    """The candidate pairs that count as near duplicates under `config`.

    All of them unless `config.verify_with_jaccard`; then only those whose texts' true shingle Jaccard reaches
    `config.verify_jaccard_threshold`. `text_of` gives a page's text by key (a mapping or a function, e.g. a
    lookup of earlier partitions for pages of the history).
    """
    pairs = list(pairs)
    if not config.verify_with_jaccard:
        return pairs
    lookup = text_of.__getitem__ if isinstance(text_of, Mapping) else text_of
    return [
        (key_a, key_b) for key_a, key_b in pairs
        if jaccard(lookup(key_a), lookup(key_b), config.ngram_size, fold_numbers=config.fold_numbers)
        >= config.verify_jaccard_threshold
    ]


def near_duplicate_clusters(pairs: Iterable[tuple[Key, Key]]) -> dict[Key, Key]:
    """Map every key of `pairs` to the smallest key of its cluster (itself for the page that is kept).

    Keys must be mutually comparable (e.g. all (date, str) tuples). Pages of no pair are unique and absent from
    the result; the pages to drop are those with `representative != key`.
    """
    parent: dict[Key, Key] = {}

    def root_of(key: Key) -> Key:
        root = parent.setdefault(key, key)
        while parent[root] != root:
            root = parent[root]
        # Path compression: later look-ups of this chain take one step.
        while parent[key] != root:
            parent[key], key = root, parent[key]
        return root

    for key_a, key_b in pairs:
        root_a, root_b = root_of(key_a), root_of(key_b)
        if root_a != root_b:
            # The smaller root becomes the parent, so every root is the smallest key of its cluster.
            smaller, larger = (root_a, root_b) if root_a < root_b else (root_b, root_a)
            parent[larger] = smaller
    return {key: root_of(key) for key in parent}
