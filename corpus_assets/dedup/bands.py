"""LSH band hashes of MinHash signatures: the join key of near-duplicate detection.

A signature of `bands * rows_per_band` values is cut into consecutive bands of `rows_per_band` values; each band is
hashed to one signed 64-bit integer (a DuckDB BIGINT). Two pages are candidate near duplicates when they have an
equal band hash.

The band index is folded into the hash (it salts the chain, see `hashing`): equal values in band 0 of one page and
band 3 of another give unrelated hashes, so a join on `band_hash` alone is already correct. The position of a hash
in what `band_hashes` returns (the column in `band_hash_matrix`) is its band index, worth storing beside it as a
SMALLINT: joining on (band_index, band_hash) also divides the chance of a false candidate, which needs a 64-bit
collision, by the number of bands (expected false pairs over 10^9 pages: about 0.4 with the index, 5 without;
`verify_with_jaccard` removes them).
"""

from __future__ import annotations

import numpy as np

from corpus_assets.dedup.config import DedupConfig
from corpus_assets.dedup.hashing import BAND_SALT, hash_sequences


def band_hash_matrix(signatures: np.ndarray, config: DedupConfig = DedupConfig()) -> np.ndarray:
    """The band hashes of many signatures: int64 array (signatures x bands), column = band index."""
    signatures = np.asarray(signatures)
    if signatures.ndim != 2 or signatures.shape[1] != config.num_perm or signatures.dtype != np.uint64:
        raise ValueError(
            f"expected uint64 signatures of shape (n, {config.num_perm}), got {signatures.dtype} {signatures.shape}"
        )
    count, rows = len(signatures), config.rows_per_band
    band_index = np.tile(np.arange(config.bands, dtype=np.int64), count)
    row_start = np.repeat(np.arange(count, dtype=np.int64) * config.num_perm, config.bands) + band_index * rows
    hashes = hash_sequences(
        signatures.reshape(-1), row_start, np.full(len(band_index), rows), BAND_SALT + band_index.astype(np.uint64)
    )
    # Reinterpret the bits: uint64 values at or above 2^63 become negative BIGINTs, none is lost.
    return hashes.view(np.int64).reshape(count, config.bands)


def band_hashes(signature: np.ndarray, config: DedupConfig = DedupConfig()) -> list[int]:
    """The band hashes of one signature as Python ints in BIGINT range, the i-th for band i (index folded in)."""
    return band_hash_matrix(np.asarray(signature)[np.newaxis, :], config)[0].tolist()
