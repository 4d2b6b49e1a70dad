"""Word n-grams of benchmark items and pages, and their hashes, the join key of contamination detection.

Items and pages both go through `corpus_assets.text.normalize_for_matching` (the words of `matching_words`), so
case, accents, punctuation and spacing never hide a match, but without folding numbers: a maths item with other
numbers is another item; list markers opening a line ("A." before a quiz's choice) are left out first.

An item's words are its fields' words in order, and its n-grams are every n-word window of them: windows may span
two fields, which matches a page that prints a question and its choices one after the other; a window no page
prints costs an index row and never a false match. An item with fewer than n words has no n-gram and cannot be
detected (GPT-3's filter and the lm-evaluation-harness both use 13-grams only). `short_ngram_min_words = k` adds,
as NeMo Curator does for texts of 8 to 12 words, every *field* of k to n-1 words as one n-gram of its own length
(a short question quoted verbatim), at the price of cutting pages into n-grams of each of those lengths too.

The hash of an n-gram is the first 8 bytes of the MD5 of its text (words joined by single spaces, UTF-8), read
little-endian as a signed 64-bit integer: a DuckDB BIGINT, the same in every process and on every machine, and
computable in SQL from the n-gram text (`ngram_hash_sql`).
"""

from __future__ import annotations

import hashlib
import itertools
import re
import struct
from collections.abc import Iterator, Sequence

from corpus_assets.decontam.eval_sets import BenchmarkItem
from corpus_assets.text import normalize_for_matching

DEFAULT_NGRAM_SIZE = 13


# A list marker opening a line: "A." to "D." before a quiz's choices, "a)", "(b)", "1." or "12)" before a list item.
_LIST_MARKER = re.compile(r"^[ \t]*(?:\(?[A-Za-z]\)|[A-Za-z]\.|\(?[0-9]{1,2}\)|[0-9]{1,2}\.)(?=[ \t])", re.MULTILINE)


def without_list_markers(text: str) -> str:
    """`text` without the list markers opening its lines ("A. 1830" is "1830").

    They are not words of what is quoted: a page printing an item as a quiz (each choice on a line of its own after
    "A." to "D.", as MMLU's prompts in the lm-evaluation-harness) puts a letter between every two choices that the
    item's fields do not have, and no n-gram across a question and its choices, or across two short choices, would
    be on the page. Those n-grams are what an item quoted with its question edited keeps.
    """
    return _LIST_MARKER.sub("", text)


def normalized_for_matching(text: str) -> str:
    """A text as n-grams see it, items and pages alike: without the list markers opening its lines, normalised for
    matching, numbers kept as they are, words split by single spaces."""
    return normalize_for_matching(without_list_markers(text), fold_numbers=False)


_SIGNED_LITTLE_ENDIAN_64 = struct.Struct("<q")


def _hash_bytes(data: bytes) -> int:
    return _SIGNED_LITTLE_ENDIAN_64.unpack_from(hashlib.md5(data, usedforsecurity=False).digest())[0]


def text_hash(ngram_text: str) -> int:
    """The signed 64-bit hash of an n-gram's text (its words joined by single spaces)."""
    return _hash_bytes(ngram_text.encode("utf-8"))


def ngram_hash(words: Sequence[str]) -> int:
    """The signed 64-bit hash of an n-gram given as its words; fits a DuckDB BIGINT, deterministic everywhere."""
    return text_hash(" ".join(words))


def ngram_hash_sql(text_expression: str) -> str:
    """A DuckDB SQL expression giving `text_hash` of a VARCHAR expression, for joins or checks done in SQL.

    DuckDB's `md5_number_upper` is the same first 8 bytes read little-endian, unsigned; this wraps it into BIGINT.
    """
    unsigned = f"md5_number_upper({text_expression})::HUGEINT"
    return f"(CASE WHEN {unsigned} >= {2**63} THEN {unsigned} - {2**64} ELSE {unsigned} END)::BIGINT"


class WordWindows:
    """The words of a normalised text, with the hash and text of any run of them.

    Hashing slices of the text encoded once, rather than joining and encoding every window's words, makes
    hashing a page about 1.5 times faster.
    """

    __slots__ = ("_char_starts", "_byte_starts", "_encoded", "_normalized", "word_count")

    def __init__(self, normalized: str) -> None:
        """`normalized` as `normalized_for_matching` returns it."""
        words = normalized.split(" ") if normalized else []
        self._normalized = normalized
        self._encoded = normalized.encode("utf-8")
        self.word_count = len(words)
        # Start of every word and one past the end of the text (+1 for the space after each word).
        self._char_starts = list(itertools.accumulate((len(word) + 1 for word in words), initial=0))
        self._byte_starts = (self._char_starts if len(self._encoded) == len(normalized) else
                             list(itertools.accumulate((len(word.encode("utf-8")) + 1 for word in words), initial=0)))

    @classmethod
    def of_text(cls, text: str) -> WordWindows:
        """The windows of a raw text (a page, a field), normalised here."""
        return cls(normalized_for_matching(text))

    def hash(self, offset: int, size: int) -> int:
        """`text_hash` of the `size` words from word `offset`."""
        return _hash_bytes(self._encoded[self._byte_starts[offset] : self._byte_starts[offset + size] - 1])

    def text(self, offset: int, size: int) -> str:
        """The `size` words from word `offset`, joined by single spaces."""
        return self._normalized[self._char_starts[offset] : self._char_starts[offset + size] - 1]

    def hashes(self, size: int) -> list[int]:
        """`hash(offset, size)` of every offset in `offsets(size)`."""
        encoded, starts = self._encoded, self._byte_starts
        return [_hash_bytes(encoded[starts[offset] : starts[offset + size] - 1]) for offset in self.offsets(size)]

    def texts(self, size: int) -> list[str]:
        """`text(offset, size)` of every offset in `offsets(size)`."""
        normalized, starts = self._normalized, self._char_starts
        return [normalized[starts[offset] : starts[offset + size] - 1] for offset in self.offsets(size)]

    def offsets(self, size: int) -> range:
        """The offsets of every window of `size` words (none if the text is shorter)."""
        return range(max(0, self.word_count - size + 1))


def item_windows(item: BenchmarkItem) -> WordWindows:
    """An item's words for matching: those of its fields, in order, as one sequence."""
    normalized = (normalized_for_matching(text) for _, text in item.fields)
    return WordWindows(" ".join(part for part in normalized if part))


def item_windows_and_ngrams(item: BenchmarkItem, n: int = DEFAULT_NGRAM_SIZE,
                            short_ngram_min_words: int | None = None) -> tuple[WordWindows, list[tuple[int, str]]]:
    """`item_windows(item)` and the list of `item_ngrams(item, n, short_ngram_min_words)`, each field normalised
    once: normalising is most of the cost of indexing, and the item table needs the word count too."""
    parts = [normalized_for_matching(text) for _, text in item.fields]
    windows = WordWindows(" ".join(part for part in parts if part))
    ngrams = list(zip(windows.hashes(n), windows.texts(n), strict=True))
    if short_ngram_min_words is not None:
        for part in parts:
            # A field's whole normalised text is its one window of its own length.
            if part and short_ngram_min_words <= part.count(" ") + 1 < n:
                ngrams.append((text_hash(part), part))
    seen: set[int] = set()
    distinct = []
    for hashed, text in ngrams:
        if hashed not in seen:
            seen.add(hashed)
            distinct.append((hashed, text))
    return windows, distinct


def item_ngrams(item: BenchmarkItem, n: int = DEFAULT_NGRAM_SIZE, short_ngram_min_words: int | None = None
                ) -> Iterator[tuple[int, str]]:
    """The distinct (hash, text) n-grams of an item, in order of first appearance.

    With `short_ngram_min_words`, each field of that many words up to n-1 is one more n-gram, of its own length.
    """
    yield from item_windows_and_ngrams(item, n, short_ngram_min_words)[1]


def document_ngrams(text: str, n: int = DEFAULT_NGRAM_SIZE) -> Iterator[tuple[int, str, int]]:
    """(hash, text, word offset) of every n-word window of a page's matching words, repeats included."""
    windows = WordWindows.of_text(text)
    yield from zip(windows.hashes(n), windows.texts(n), windows.offsets(n), strict=True)
