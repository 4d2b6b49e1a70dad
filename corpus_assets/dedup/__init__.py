"""Exact and near-duplicate detection for `deduped_text`: plain logic, no Dagster.

How the wiring is meant to use it, per crawl date, batch by batch of a polars frame:

1. `fingerprint_texts(texts, config)` gives each page its `content_hashes` (exact dedup: among equal hashes the
   smallest (crawl_date, page_id) wins) and its MinHash `signatures` (`signature_to_bytes` to store one).
2. `band_hash_matrix(signatures, config)` gives `bands` BIGINTs per page, column = band index (folded into the
   hash). They go to a DuckDB table of (band_index, band_hash, crawl_date, page_id) that keeps the history, so
   memory never grows with it; a join on band_hash gives candidate pairs (`candidate_pairs` does it in memory).
3. `verified_pairs(pairs, text_of, config)` keeps them all, or with `verify_with_jaccard` only those whose true
   shingle Jaccard reaches the threshold.
4. `near_duplicate_clusters(pairs)` maps each page of a pair to the smallest key of its cluster: the page kept.
"""

from corpus_assets.dedup.bands import band_hash_matrix, band_hashes
from corpus_assets.dedup.clusters import candidate_pairs, near_duplicate_clusters, verified_pairs
from corpus_assets.dedup.config import DedupConfig
from corpus_assets.dedup.hashing import shingle_hash
from corpus_assets.dedup.minhash import (
    EMPTY_SIGNATURE_VALUE,
    MINHASH_SCHEME,
    TextFingerprints,
    datasketch_minhash,
    estimated_jaccard,
    fingerprint_texts,
    minhash_signature,
    permutation_parameters,
    signature_from_bytes,
    signature_to_bytes,
    signatures_from_words,
)
from corpus_assets.dedup.shingles import (
    DEFAULT_NGRAM_SIZE,
    content_hash,
    jaccard,
    shingle_set_jaccard,
    shingles,
    word_shingles,
)

__all__ = [
    "DEFAULT_NGRAM_SIZE",
    "EMPTY_SIGNATURE_VALUE",
    "MINHASH_SCHEME",
    "DedupConfig",
    "TextFingerprints",
    "band_hash_matrix",
    "band_hashes",
    "candidate_pairs",
    "content_hash",
    "datasketch_minhash",
    "estimated_jaccard",
    "fingerprint_texts",
    "jaccard",
    "minhash_signature",
    "near_duplicate_clusters",
    "permutation_parameters",
    "shingle_hash",
    "shingle_set_jaccard",
    "shingles",
    "signature_from_bytes",
    "signature_to_bytes",
    "signatures_from_words",
    "verified_pairs",
    "word_shingles",
]
