"""Fingerprinting a batch of `extracted_text` rows for `deduped_text`: the candidates and their LSH band hashes, as
Arrow tables for the stage's working tables (`sql/deduped_text/stage_candidates.sql`)."""

from __future__ import annotations

import pyarrow as pa

from corpus_assets.dedup.bands import band_hash_matrix
from corpus_assets.dedup.config import DedupConfig
from corpus_assets.dedup.minhash import fingerprint_texts, signature_to_bytes


def fingerprint_batch(batch: pa.RecordBatch, config: DedupConfig) -> tuple[pa.Table, pa.Table]:
    """The batch's rows with their `content_hash` and MinHash `signature` columns, and one (page_id, band_hash)
    row per page and band."""
    fingerprints = fingerprint_texts(batch.column("text").to_pylist(), config)
    bands = band_hash_matrix(fingerprints.signatures, config)
    candidates = (
        pa.Table.from_batches([batch])
        .append_column("content_hash", pa.array(fingerprints.content_hashes))
        .append_column("signature", pa.array([signature_to_bytes(s) for s in fingerprints.signatures], pa.binary()))
    )
    page_ids = batch.column("page_id").to_pylist()
    band_rows = pa.table({
        "page_id": [page_id for page_id in page_ids for _ in range(bands.shape[1])],
        "band_hash": pa.array(bands.reshape(-1), pa.int64()),
    })
    return candidates, band_rows
