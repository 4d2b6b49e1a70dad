"""Words, shingles, exact content hashes and true Jaccard similarity of texts, for dedup.

Texts are compared through `corpus_assets.text.matching_words` (lowercase, no accents, no punctuation, and by
default digits folded to 0), the normalisation decontamination uses too. A shingle is a window of n consecutive
words; a text with fewer than n words (but at least one) has one shingle, all its words, so that it still has a
signature, one that only a text with the same words can share; a text without words has no shingle.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from corpus_assets.text import matching_words, normalize_for_matching

DEFAULT_NGRAM_SIZE = 5

Shingle = tuple[str, ...]


def normalized_text_hash(normalized: str) -> str:
    """The hex MD5 of an already normalised text: what DuckDB's `md5(normalized)` gives too."""
    return hashlib.md5(normalized.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()


def content_hash(text: str, *, fold_numbers: bool = True) -> str:
    """The exact-duplicate key of a text: the hex MD5 (32 characters) of `normalize_for_matching(text)`.

    128 bits, so a false exact match needs an MD5 collision, not a birthday accident among billions of pages.
    """
    return normalized_text_hash(normalize_for_matching(text, fold_numbers=fold_numbers))


def word_shingles(words: Sequence[str], n: int = DEFAULT_NGRAM_SIZE) -> list[Shingle]:
    """Every window of n consecutive words, in order (repeats kept); all the words as one if there are fewer."""
    if n < 1:
        raise ValueError(f"shingle size must be at least 1, not {n}")
    if len(words) < n:
        return [tuple(words)] if words else []
    return [tuple(words[start : start + n]) for start in range(len(words) - n + 1)]


def shingles(text: str, n: int = DEFAULT_NGRAM_SIZE, *, fold_numbers: bool = True) -> set[Shingle]:
    """The set of word n-gram shingles of a text, words normalised for matching."""
    return set(word_shingles(matching_words(text, fold_numbers=fold_numbers), n))


def shingle_set_jaccard(shingles_a: set[Shingle], shingles_b: set[Shingle]) -> float:
    """|A ∩ B| / |A ∪ B|; two empty sets are identical (1.0)."""
    union = len(shingles_a | shingles_b)
    return len(shingles_a & shingles_b) / union if union else 1.0


def jaccard(text_a: str, text_b: str, n: int = DEFAULT_NGRAM_SIZE, *, fold_numbers: bool = True) -> float:
    """The true Jaccard similarity of two texts' word n-gram shingle sets."""
    return shingle_set_jaccard(
        shingles(text_a, n, fold_numbers=fold_numbers), shingles(text_b, n, fold_numbers=fold_numbers)
    )
