"""Band hashes: pinned, the same in every process, BIGINT-sized, shared by near duplicates only."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from corpus_assets.dedup import (
    DedupConfig,
    band_hash_matrix,
    band_hashes,
    fingerprint_texts,
    jaccard,
    minhash_signature,
    shingle_hash,
)
from corpus_assets_tests.texts import ARTICLES

GOLDEN_TEXT = (
    "On 12 March 2024 the harbour master reported that the old lighthouse on the northern cliff "
    "had been repaired, and its lamp would shine again from the first clear evening of spring."
)
# Computed once with datasketch 2.0.0 (affine64 permutations, seed 1) and pinned: if these change, every band
# hash in the warehouse is stale and the history must be rebuilt.
GOLDEN_CONTENT_HASH = "fc908d8fcc8c2a3d52ac4b8f431fbf69"
GOLDEN_SIGNATURE_HEAD = [125203423585147392, 177871700312654839, 854847733057174807, 455610882294793417]
GOLDEN_BAND_HASHES = [
    8447741792343636683, -2133048895252459061, -1649829734119759269, 4597318653204576836, 8395990396971602379,
    8616011656772801720, -5285301116562118974, -8973579391057347302, -5954721627752011081, 1536807065482958711,
    7263334538105117432, -6656086651876944960, 7124597213596892612, -2493151526198925107,
]
GOLDEN_SHINGLE_HASH = 17279740488467175210  # ("the", "quick", "brown", "fox", "jumps")

LONG_TEXT = " ".join(sentence for article in ARTICLES.values() for sentence in article)

_FRESH_PROCESS_SCRIPT = """
import json, sys
from corpus_assets.dedup import band_hashes, minhash_signature
print(json.dumps(band_hashes(minhash_signature(sys.argv[1]))))
"""


def test_golden_values_are_pinned():
    fingerprints = fingerprint_texts([GOLDEN_TEXT])
    assert fingerprints.content_hashes == [GOLDEN_CONTENT_HASH]
    assert fingerprints.signatures[0][:4].tolist() == GOLDEN_SIGNATURE_HEAD
    assert band_hashes(fingerprints.signatures[0]) == GOLDEN_BAND_HASHES
    assert shingle_hash(("the", "quick", "brown", "fox", "jumps")) == GOLDEN_SHINGLE_HASH


def test_band_hashes_are_the_same_in_a_fresh_process():
    # Another PYTHONHASHSEED than this process's: nothing may depend on Python's salted hash().
    result = subprocess.run(
        [sys.executable, "-c", _FRESH_PROCESS_SCRIPT, GOLDEN_TEXT],
        env={**os.environ, "PYTHONHASHSEED": "12345"}, capture_output=True, text=True, check=True, timeout=120,
    )
    assert json.loads(result.stdout) == GOLDEN_BAND_HASHES
    assert band_hashes(minhash_signature(GOLDEN_TEXT)) == GOLDEN_BAND_HASHES


def test_band_hashes_are_python_ints_in_bigint_range_one_per_band():
    hashes = band_hashes(minhash_signature(LONG_TEXT))
    assert len(hashes) == 14
    assert all(type(value) is int and -(2**63) <= value < 2**63 for value in hashes)
    assert len(set(hashes)) == 14


def test_the_band_index_is_folded_in():
    # The same eight values in every band still give a different hash per band.
    signature = np.tile(minhash_signature(LONG_TEXT)[:8], 14)
    assert len(set(band_hashes(signature))) == 14


def test_matrix_rows_equal_single_signature_band_hashes():
    signatures = fingerprint_texts([" ".join(article) for article in ARTICLES.values()]).signatures
    matrix = band_hash_matrix(signatures)
    assert matrix.dtype == np.int64 and matrix.shape == (3, 14)
    for row, signature in zip(matrix, signatures):
        assert row.tolist() == band_hashes(signature)
    with pytest.raises(ValueError):
        band_hash_matrix(signatures[:, :100])


def test_one_word_changed_in_a_long_text_shares_a_band():
    words = LONG_TEXT.split()
    edited = " ".join([*words[:250], "completely", *words[251:]])
    assert jaccard(LONG_TEXT, edited) > 0.95
    assert set(band_hashes(minhash_signature(LONG_TEXT))) & set(band_hashes(minhash_signature(edited)))


def test_unrelated_texts_share_no_band():
    signatures = fingerprint_texts([" ".join(article) for article in ARTICLES.values()]).signatures
    bands = [set(row) for row in band_hash_matrix(signatures).tolist()]
    assert not (bands[0] & bands[1]) and not (bands[0] & bands[2]) and not (bands[1] & bands[2])


def test_other_settings_give_other_band_counts():
    config = DedupConfig(num_perm=64, bands=16, rows_per_band=4)
    assert len(band_hashes(minhash_signature(LONG_TEXT, config), config)) == 16
