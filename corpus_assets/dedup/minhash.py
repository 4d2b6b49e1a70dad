"""MinHash signatures of texts, a whole batch at a time, equal to datasketch's.

A signature is datasketch's `MinHash(num_perm, seed, scheme="affine64", hashfunc=shingle_hash)` fed with the
text's shingles: for each permutation k, the minimum over shingles s of `a_k * fmix64(shingle_hash(s)) + b_k`
(mod 2^64), with datasketch's own `a_k, b_k`. A text without words keeps datasketch's empty value, 2^64 - 1, in
every position (all such texts are exact duplicates of each other anyway: their normalised text is "").

Why not datasketch object by object: its per-document cost is Python (one SHA-1 and one string per shingle, one
`MinHash` per page). Here each distinct word of the batch is hashed once, shingle hashes are combined from word
hashes by numpy (`hashing.hash_sequences`), and each permutation is applied to the shingles of many texts at once,
in cache-sized blocks, with a segmented minimum (`np.minimum.reduceat`): 112 numpy passes per block of 65,536
shingles, instead of a (shingles x 112) matrix per text. `datasketch_minhash` is the per-document
reference the tests compare against.
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from corpus_assets.dedup.config import DedupConfig
from corpus_assets.dedup.hashing import SHINGLE_SALT, fmix64, hash_sequences, shingle_hash, word_hashes
from corpus_assets.dedup.shingles import normalized_text_hash, word_shingles
from corpus_assets.text import matching_words

if TYPE_CHECKING:
    from datasketch import MinHash

# datasketch's 64-bit scheme: uint64 signatures, no 32-bit input-hash saturation, and a bijective permutation.
MINHASH_SCHEME = "affine64"
EMPTY_SIGNATURE_VALUE = np.uint64(2**64 - 1)

# Shingles per block of the permutation step: one uint64 array of this length, 512 KiB, stays in the CPU's cache.
_SHINGLES_PER_BLOCK = 65536
# Words per group of texts hashed together: bounds the per-shingle index arrays to tens of MB.
_WORDS_PER_GROUP = 1 << 20


@dataclass(frozen=True)
class TextFingerprints:
    """Exact and near-duplicate keys of a batch of texts, in the order of the texts."""

    content_hashes: list[str]
    """Hex MD5 of each normalised text (`shingles.content_hash`)."""
    signatures: np.ndarray
    """uint64 array of shape (texts, num_perm): one MinHash signature per row."""
    word_counts: np.ndarray
    """int64 words per normalised text; a text with 0 words has the empty signature."""


@functools.lru_cache(maxsize=16)
def permutation_parameters(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's (a, b) permutation parameters for this size and seed, as read-only uint64 arrays."""
    # datasketch (and SciPy, which it imports) costs half a second to import: only a dedup step pays for it.
    from datasketch import MinHash

    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=MINHASH_SCHEME).permutations
    a, b = np.array(a, dtype=np.uint64), np.array(b, dtype=np.uint64)
    a.flags.writeable = b.flags.writeable = False
    return a, b


def datasketch_minhash(text: str, config: DedupConfig = DedupConfig()) -> MinHash:
    """The MinHash of one text computed by datasketch itself, the reference `fingerprint_texts` must equal."""
    from datasketch import MinHash

    words = matching_words(text, fold_numbers=config.fold_numbers)
    minhash = MinHash(num_perm=config.num_perm, seed=config.seed, scheme=MINHASH_SCHEME, hashfunc=shingle_hash)
    minhash.update_batch(word_shingles(words, config.ngram_size))
    return minhash


def _token_hashes(words_per_text: Sequence[Sequence[str]]) -> np.ndarray:
    """The hash of every word of every text, concatenated; each distinct word is hashed once."""
    # Word frequencies are Zipfian: a batch has far fewer distinct words than tokens, and MD5 is the costly part.
    word_ids: defaultdict[str, int] = defaultdict(itertools.count().__next__)
    token_count = sum(len(words) for words in words_per_text)
    token_ids = np.fromiter(
        map(word_ids.__getitem__, itertools.chain.from_iterable(words_per_text)), dtype=np.int64, count=token_count
    )
    return word_hashes(word_ids)[token_ids]  # dicts iterate in insertion order, which is id order


def _shingle_hashes(words_per_text: Sequence[Sequence[str]], ngram_size: int) -> tuple[np.ndarray, np.ndarray]:
    """(hash of every shingle occurrence, index of its text), grouped by text in text order."""
    word_counts = np.fromiter((len(words) for words in words_per_text), dtype=np.int64, count=len(words_per_text))
    token_hashes = _token_hashes(words_per_text)
    first_token = np.cumsum(word_counts) - word_counts
    # The same windows as `word_shingles`: n-word windows, or one window of all words when there are fewer.
    windows = np.where(word_counts >= ngram_size, word_counts - ngram_size + 1, np.minimum(word_counts, 1))
    widths = np.minimum(word_counts, ngram_size)
    text_of_shingle = np.repeat(np.arange(len(words_per_text)), windows)
    first_shingle = np.cumsum(windows) - windows
    offset_in_text = np.arange(len(text_of_shingle)) - first_shingle[text_of_shingle]
    shingle_widths = widths[text_of_shingle]
    hashes = hash_sequences(
        token_hashes, first_token[text_of_shingle] + offset_in_text, shingle_widths,
        SHINGLE_SALT + shingle_widths.astype(np.uint64),
    )
    return hashes, text_of_shingle


def _signatures_of_group(words_per_text: Sequence[Sequence[str]], config: DedupConfig) -> np.ndarray:
    """Signatures of a group of texts, transposed: (num_perm, texts), filled one permutation at a time."""
    signatures_by_permutation = np.full(
        (config.num_perm, len(words_per_text)), EMPTY_SIGNATURE_VALUE, dtype=np.uint64
    )
    hashes, text_of_shingle = _shingle_hashes(words_per_text, config.ngram_size)
    a, b = permutation_parameters(config.num_perm, config.seed)
    premixed = fmix64(hashes)  # datasketch's affine schemes pre-mix every input hash once
    permuted = np.empty(min(len(premixed), _SHINGLES_PER_BLOCK), dtype=np.uint64)
    for block_start in range(0, len(premixed), _SHINGLES_PER_BLOCK):
        block_hashes = premixed[block_start : block_start + _SHINGLES_PER_BLOCK]
        block_permuted = permuted[: len(block_hashes)]
        owners = text_of_shingle[block_start : block_start + _SHINGLES_PER_BLOCK]
        segment_starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        texts = owners[segment_starts]
        for permutation, (a_k, b_k) in enumerate(zip(a, b)):
            np.multiply(block_hashes, a_k, out=block_permuted)  # wraps around: the intended mod 2^64
            block_permuted += b_k
            minima = signatures_by_permutation[permutation]
            # A text can span two blocks: fold in what earlier blocks found.
            minima[texts] = np.minimum(minima[texts], np.minimum.reduceat(block_permuted, segment_starts))
    return signatures_by_permutation


def signatures_from_words(words_per_text: Sequence[Sequence[str]], config: DedupConfig = DedupConfig()) -> np.ndarray:
    """MinHash signatures (uint64, texts x num_perm) of texts given as their normalised words.

    Any number of texts: they are taken in groups of about a million words, which bounds the working memory
    (some ten arrays of one uint64 per word) whatever the size of the batch.
    """
    signatures = np.empty((len(words_per_text), config.num_perm), dtype=np.uint64)
    group_start, group_words = 0, 0
    for index, words in enumerate(words_per_text):
        group_words += len(words)
        if group_words >= _WORDS_PER_GROUP or index == len(words_per_text) - 1:
            group = slice(group_start, index + 1)
            signatures[group] = _signatures_of_group(words_per_text[group], config).T
            group_start, group_words = index + 1, 0
    return signatures


def fingerprint_texts(texts: Sequence[str], config: DedupConfig = DedupConfig()) -> TextFingerprints:
    """Content hashes and MinHash signatures of a batch of texts (e.g. a polars column's values).

    Texts are normalised once: the content hash is that of the words joined by single spaces, which is exactly
    `normalize_for_matching(text)`.
    """
    words_per_text = [matching_words(text, fold_numbers=config.fold_numbers) for text in texts]
    return TextFingerprints(
        content_hashes=[normalized_text_hash(" ".join(words)) for words in words_per_text],
        signatures=signatures_from_words(words_per_text, config),
        word_counts=np.fromiter((len(words) for words in words_per_text), dtype=np.int64, count=len(texts)),
    )


def minhash_signature(text: str, config: DedupConfig = DedupConfig()) -> np.ndarray:
    """The MinHash signature (uint64, num_perm values) of one text; prefer `fingerprint_texts` for many."""
    return fingerprint_texts([text], config).signatures[0]


def signature_to_bytes(signature: np.ndarray) -> bytes:
    """A signature as bytes for storage (a DuckDB BLOB): its uint64 values, little-endian, 8 bytes each."""
    signature = np.asarray(signature)
    if signature.ndim != 1 or signature.dtype != np.uint64:
        raise ValueError(f"a signature is a 1-D uint64 array, not {signature.ndim}-D {signature.dtype}")
    return signature.astype("<u8", copy=False).tobytes()


def signature_from_bytes(data: bytes, num_perm: int | None = None) -> np.ndarray:
    """The signature stored by `signature_to_bytes`; with `num_perm`, checks its length too."""
    if len(data) % 8 or not data:
        raise ValueError(f"a stored signature is a non-empty multiple of 8 bytes, not {len(data)} bytes")
    signature = np.frombuffer(data, dtype="<u8").astype(np.uint64)
    if num_perm is not None and len(signature) != num_perm:
        raise ValueError(f"stored signature has {len(signature)} values, expected num_perm={num_perm}")
    return signature


def estimated_jaccard(signature_a: np.ndarray, signature_b: np.ndarray) -> float:
    """The MinHash estimate of the two texts' shingle Jaccard: the share of equal signature positions."""
    signature_a, signature_b = np.asarray(signature_a), np.asarray(signature_b)
    if signature_a.shape != signature_b.shape or signature_a.ndim != 1:
        raise ValueError(f"signatures of different shapes: {signature_a.shape} and {signature_b.shape}")
    return float(np.count_nonzero(signature_a == signature_b)) / len(signature_a)
