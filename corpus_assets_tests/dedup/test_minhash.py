"""MinHash signatures: the batch path equals datasketch, signatures store, estimates track true Jaccard."""

import numpy as np
import pytest

from corpus_assets.dedup import (
    EMPTY_SIGNATURE_VALUE,
    DedupConfig,
    datasketch_minhash,
    estimated_jaccard,
    fingerprint_texts,
    jaccard,
    minhash_signature,
    signature_from_bytes,
    signature_to_bytes,
)
from corpus_assets.dedup import minhash as minhash_module
from corpus_assets_tests.texts import ARTICLES, FRENCH_ARTICLE

LONG_TEXT = " ".join(sentence for article in ARTICLES.values() for sentence in article)
VARIED_TEXTS = [
    *(" ".join(article) for article in ARTICLES.values()),
    " ".join(FRENCH_ARTICLE),
    LONG_TEXT,
    "to be or not to be, to be or not to be",  # repeated shingles
    "Four words only here",  # fewer words than n: one shingle
    "one",
    "",  # no words: the empty signature
    "!!! ... ???",
]


def _edited(text: str, every: int) -> str:
    """The text with every `every`-th word replaced, a controlled amount of editing."""
    words = text.split()
    return " ".join(f"edit{i}" if i % every == 0 else word for i, word in enumerate(words))


@pytest.mark.parametrize("config", [
    DedupConfig(),
    DedupConfig(ngram_size=3, num_perm=64, bands=16, rows_per_band=4, seed=7, fold_numbers=False),
], ids=["default", "other-settings"])
def test_batch_signatures_equal_datasketch_minhash_hashvalues(config):
    fingerprints = fingerprint_texts(VARIED_TEXTS, config)
    assert fingerprints.signatures.dtype == np.uint64
    assert fingerprints.signatures.shape == (len(VARIED_TEXTS), config.num_perm)
    for text, signature in zip(VARIED_TEXTS, fingerprints.signatures):
        np.testing.assert_array_equal(signature, datasketch_minhash(text, config).hashvalues, err_msg=text[:40])


@pytest.mark.parametrize("limit", ["_SHINGLES_PER_BLOCK", "_WORDS_PER_GROUP"])
def test_blocks_and_groups_of_any_size_give_the_same_signatures(monkeypatch, limit):
    whole = fingerprint_texts(VARIED_TEXTS).signatures
    for size in (1, 7, 100):
        monkeypatch.setattr(minhash_module, limit, size)
        np.testing.assert_array_equal(fingerprint_texts(VARIED_TEXTS).signatures, whole)


def test_a_signature_does_not_depend_on_its_batch():
    batch = fingerprint_texts(VARIED_TEXTS).signatures
    for text, signature in zip(VARIED_TEXTS, batch):
        np.testing.assert_array_equal(minhash_signature(text), signature)


def test_fingerprints_give_content_hashes_and_word_counts():
    fingerprints = fingerprint_texts(["Hello, World!", "hello world", ""])
    assert fingerprints.content_hashes[0] == fingerprints.content_hashes[1] != fingerprints.content_hashes[2]
    assert fingerprints.word_counts.tolist() == [2, 2, 0]
    assert (fingerprints.signatures[2] == EMPTY_SIGNATURE_VALUE).all()
    assert fingerprint_texts([]).signatures.shape == (0, 112)


def test_signatures_round_trip_through_bytes():
    signature = minhash_signature(LONG_TEXT)
    stored = signature_to_bytes(signature)
    assert len(stored) == 8 * 112
    np.testing.assert_array_equal(signature_from_bytes(stored, num_perm=112), signature)
    with pytest.raises(ValueError):
        signature_from_bytes(stored[:-3])
    with pytest.raises(ValueError):
        signature_from_bytes(stored, num_perm=128)
    with pytest.raises(ValueError):
        signature_to_bytes(signature.astype(np.int64))


def test_estimated_jaccard_tracks_true_jaccard():
    edited = [_edited(LONG_TEXT, every) for every in (6, 8, 10, 13, 21, 40, 100)]
    signatures = fingerprint_texts([LONG_TEXT, *edited]).signatures
    errors = []
    for text, signature in zip(edited, signatures[1:]):
        true, estimate = jaccard(LONG_TEXT, text), estimated_jaccard(signatures[0], signature)
        # Standard error sqrt(J(1-J)/112) is at most 0.05: 3.5 of them is a loose, never-flaky bound.
        assert abs(estimate - true) < 0.17, (true, estimate)
        errors.append(abs(estimate - true))
    assert np.mean(errors) < 0.06
    assert estimated_jaccard(signatures[0], signatures[0]) == 1.0
    with pytest.raises(ValueError):
        estimated_jaccard(signatures[0], signatures[0][:10])
