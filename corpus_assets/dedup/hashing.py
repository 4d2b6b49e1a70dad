"""Deterministic 64-bit hashing of words, word sequences and signature bands, vectorised with numpy.

Everything here is integer arithmetic mod 2^64 (wrapping uint64 numpy arrays; Python ints masked to 64 bits in
`shingle_hash`, the scalar twin) seeded by fixed constants and MD5: the same values in every process, on every
machine, in every Python version. Python's `hash()` is salted per process and is never used.

A sequence of uint64 values is hashed by a chain: the state starts as `fmix64(salt)` and absorbs each value as
`state = fmix64(state ^ value)`. fmix64, MurmurHash3's finalizer, is a bijection that spreads every input bit, so
two sequences that differ collide only by a 2^-64 accident. The salt separates the uses (shingles of each length,
each band index) so that equal inputs hashed for different purposes give unrelated values.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import numpy as np

# MurmurHash3 fmix64 constants; the same as datasketch's "affine64" pre-mix.
_FMIX_SHIFT = np.uint64(33)
_FMIX_MULTIPLIER_1 = np.uint64(0xFF51AFD7ED558CCD)
_FMIX_MULTIPLIER_2 = np.uint64(0xC4CEB9FE1A85EC53)
_UINT64_MASK = 2**64 - 1

SHINGLE_SALT = 0x5348_494E_474C_4500  # b"SHINGLE\0"; plus the shingle's word count
BAND_SALT = 0x4241_4E44_0000_0000  # b"BAND\0\0\0\0"; plus the band index


def _fmix64_in_place(values: np.ndarray) -> np.ndarray:
    """fmix64 over a uint64 array the caller owns, without copying it."""
    values ^= values >> _FMIX_SHIFT
    values *= _FMIX_MULTIPLIER_1
    values ^= values >> _FMIX_SHIFT
    values *= _FMIX_MULTIPLIER_2
    values ^= values >> _FMIX_SHIFT
    return values


def fmix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer applied to every element of a uint64 array (a new array is returned)."""
    return _fmix64_in_place(np.array(values, dtype=np.uint64, copy=True))


def _fmix64_int(value: int) -> int:
    """fmix64 of one Python int: the scalar twin of `fmix64`, kept independent of numpy on purpose."""
    value ^= value >> 33
    value = (value * 0xFF51AFD7ED558CCD) & _UINT64_MASK
    value ^= value >> 33
    value = (value * 0xC4CEB9FE1A85EC53) & _UINT64_MASK
    return value ^ (value >> 33)


def _word_digest(word: str) -> bytes:
    """The 8 bytes a word hash is read from."""
    return hashlib.md5(word.encode("utf-8", "surrogatepass"), usedforsecurity=False).digest()[:8]


def word_hashes(words: Iterable[str]) -> np.ndarray:
    """The uint64 hash of each word: the first 8 bytes of the MD5 of its UTF-8, read little-endian."""
    return np.frombuffer(b"".join(map(_word_digest, words)), dtype="<u8").astype(np.uint64)


def hash_sequences(values: np.ndarray, starts: np.ndarray, lengths: np.ndarray, salts: np.ndarray) -> np.ndarray:
    """The chain hash of each slice `values[start : start + length]`, started from its own salt.

    `values` is a 1-D uint64 array; `starts`, `lengths` and `salts` have one element per slice, and every slice
    lies inside `values` (a length may be 0: the hash is then `fmix64(salt)`). Slices are gathered column by
    column, so the cost is a few numpy passes per position, whatever the number of slices.
    """
    starts = np.asarray(starts, dtype=np.int64)
    lengths = np.asarray(lengths, dtype=np.int64)
    state = fmix64(np.asarray(salts, dtype=np.uint64))
    if state.size == 0:
        return state
    uniform_length = bool((lengths == lengths[0]).all())
    last_index = len(values) - 1
    for position in range(int(lengths.max())):
        # Shorter slices stop absorbing; clipping keeps their (ignored) gather inside the array.
        absorbed = _fmix64_in_place(state ^ values[np.minimum(starts + position, last_index)])
        state = absorbed if uniform_length else np.where(position < lengths, absorbed, state)
    return state


def shingle_hash(shingle: Sequence[str]) -> int:
    """The uint64 hash of one shingle (a tuple of words): the chain of its word hashes, salted by its length.

    Plain Python, independent of the numpy path that hashes a whole batch (`minhash`), and usable as datasketch's
    `hashfunc`: `MinHash(hashfunc=shingle_hash, scheme="affine64")` fed with a text's shingles gives the
    signature the batch path gives, which the tests check.
    """
    state = _fmix64_int(SHINGLE_SALT + len(shingle))
    for word in shingle:
        state = _fmix64_int(state ^ int.from_bytes(_word_digest(word), "little"))
    return state
