"""Exact and near-duplicate detection for `deduped_text`: plain logic, no Dagster.

How `deduped_text` uses it, per crawl date, batch by batch of Arrow rows:

1. `fingerprint_texts(texts, config)` gives each page its `content_hashes` (exact dedup: among equal hashes the
   smallest (crawl_date, page_id) wins, found by SQL) and its MinHash `signatures` (`signature_to_bytes` to store
   one).
2. `band_hash_matrix(signatures, config)` gives `bands` BIGINTs per page, column = band index (folded into the
   hash). `fingerprint_batch` (batch.py) does both for a batch. The band hashes of kept pages go to the
   `near_duplicate_index` table (crawl_date, page_id, band_hash), the history, so memory never grows with it; a
   SQL join on band_hash gives candidate pairs (`candidate_pairs` does the same in memory).
3. `cross_date_drops` and `same_date_drops` (decisions.py) drop the later page of each pair, optionally only where
   the true shingle Jaccard reaches the threshold (`verify_with_jaccard`); within a date,
   `near_duplicate_clusters` keeps the smallest page_id of each cluster.
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
