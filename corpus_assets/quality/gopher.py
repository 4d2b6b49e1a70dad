"""Gopher's repetition and quality signals (Rae et al. 2021), as datatrove's GopherRepetitionFilter and
GopherQualityFilter measure them. Both read the page's text as it comes in, and its words from
`split_into_words`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import filterfalse

import numpy as np

from corpus_assets.quality.counting import count_duplicates, fraction
from corpus_assets.quality.words import PUNCTUATION_CHARS

TOP_NGRAM_SIZES = (2, 3, 4)
DUPLICATE_NGRAM_SIZES = (5, 6, 7, 8, 9, 10)

GOPHER_REPETITION_SIGNALS: dict[str, str] = {
    "gopher_repetition_text_chars": "Characters of the page's text.",
    "gopher_repetition_dup_para_frac": "Paragraphs (split on 2+ newlines) repeating an earlier one, over paragraphs.",
    "gopher_repetition_dup_para_char_frac": "Characters of repeated paragraphs, over the text's characters.",
    "gopher_repetition_dup_line_frac": "Lines (split on newlines) repeating an earlier one, over lines.",
    "gopher_repetition_dup_line_char_frac": "Characters of repeated lines, over the text's characters.",
    **{
        f"gopher_repetition_top_{n}_gram_char_frac": f"Characters of the most frequent word {n}-gram (words joined "
        "by a space) times its count, over the text's characters."
        for n in TOP_NGRAM_SIZES
    },
    **{
        f"gopher_repetition_dup_{n}_gram_char_frac": f"Characters of the words of repeated {n}-grams, each repeat "
        "counted once and not overlapping the previous one, over the text's characters."
        for n in DUPLICATE_NGRAM_SIZES
    },
}

GOPHER_QUALITY_SIGNALS: dict[str, str] = {
    "gopher_quality_words": "Words: tokens with at least one character that is not punctuation.",
    "gopher_quality_mean_word_length": "Mean characters per word (tokens that are not all punctuation).",
    "gopher_quality_hash_word_ratio": "'#' characters in the text, per token (punctuation tokens included).",
    "gopher_quality_ellipsis_word_ratio": "'...' and '…' in the text, per token (punctuation tokens included).",
    "gopher_quality_bullet_line_frac": "Lines (str.splitlines) starting, after spaces, with '•' or '-'.",
    "gopher_quality_ellipsis_line_frac": "Lines (str.splitlines) ending, before spaces, with '...' or '…'.",
    "gopher_quality_alpha_word_frac": "Tokens with an alphabetic character, over all tokens.",
    "gopher_quality_stop_words": "Distinct stop words among the tokens (case-sensitive).",
}

_PARAGRAPH_BREAK = re.compile(r"\n{2,}")
_LINE_BREAKS = re.compile(r"\n+")
_BULLETS = ("•", "-")
_ELLIPSES = ("...", "…")


@dataclass(frozen=True)
class _NgramGroups:
    """The word n-grams of a page for one n that occur more than once, grouped: equal n-grams share a group number.
    Every n-gram starting elsewhere occurs once."""

    n: int
    starts: np.ndarray  # where each repeated n-gram starts, in order
    groups: np.ndarray  # the group of the n-gram at each of `starts`
    counts: np.ndarray  # occurrences of each group


def _ngram_groups(words: list[str], largest: int) -> Iterator[_NgramGroups]:
    """The repeated n-grams of `words` for n = 2, 3, ... `largest`, as long as there are n words.

    Each n-gram is numbered from the (n-1)-gram it starts with and its last word, and `np.unique` renumbers
    those pairs densely, so no n-gram string is ever built and every step is a sort of integers. An n-gram whose
    first n-1 words occur once occurs once too: only the starts of repeated (n-1)-grams are sorted again, a few of
    a page's words by n = 5 on most pages.
    """
    vocabulary: dict[str, int] = {}
    word_ids = np.array([vocabulary.setdefault(word, len(vocabulary)) for word in words], dtype=np.int64)
    counts = np.bincount(word_ids)
    starts = np.flatnonzero(counts[word_ids] > 1)
    groups = word_ids[starts]
    for n in range(2, largest + 1):
        if len(words) < n:
            return
        inside = starts <= len(words) - n
        starts, groups = starts[inside], groups[inside]
        # Below len(words) * len(vocabulary): fits in int64 for any page that fits in memory.
        pairs = groups * len(vocabulary) + word_ids[starts + n - 1]
        _, groups, counts = np.unique(pairs, return_inverse=True, return_counts=True)
        repeated = counts[groups] > 1
        starts, groups = starts[repeated], groups[repeated]
        yield _NgramGroups(n, starts, groups, counts)


def _top_ngram_chars(ngrams: _NgramGroups, word_ends: np.ndarray) -> int:
    """Characters of the most frequent n-gram, its words joined by a space, times its count; of equally frequent
    n-grams the first to occur counts (as datatrove's `Counter.most_common`): the page's first n-gram when none
    repeats."""
    if len(ngrams.starts):
        counts = ngrams.counts[ngrams.groups]
        top_count = int(counts.max())
        start = int(ngrams.starts[np.argmax(counts == top_count)])  # where the first of them occurs
    else:
        top_count, start = 1, 0
    n = ngrams.n
    return int(word_ends[start + n] - word_ends[start] + n - 1) * top_count


def _duplicated_ngram_chars(ngrams: _NgramGroups, word_ends: np.ndarray) -> int:
    """Characters of the words of n-grams that repeat one seen before, scanning left to right and skipping the n
    words of a repeat (datatrove's `find_all_duplicate`), so overlapping repeats are not counted twice."""
    n = ngrams.n
    # An n-gram that occurs once is never a repeat, so the scan only visits the others.
    seen: set[int] = set()
    repeated_chars = next_start = 0
    for start, group in zip(ngrams.starts.tolist(), ngrams.groups.tolist(), strict=True):
        if start < next_start:
            continue
        if group in seen:
            repeated_chars += int(word_ends[start + n] - word_ends[start])
            next_start = start + n
        else:
            seen.add(group)
            next_start = start + 1
    return repeated_chars


def ngram_chars(words: list[str]) -> dict[str, int]:
    """For each n of `TOP_NGRAM_SIZES`, `top_{n}`: the characters of the most frequent n-gram times its count;
    for each n of `DUPLICATE_NGRAM_SIZES`, `dup_{n}`: the characters of repeated n-grams. 0 without n words."""
    chars = dict.fromkeys([*(f"top_{n}" for n in TOP_NGRAM_SIZES), *(f"dup_{n}" for n in DUPLICATE_NGRAM_SIZES)], 0)
    word_ends = np.concatenate(([0], np.cumsum(np.fromiter(map(len, words), dtype=np.int64, count=len(words)))))
    for ngrams in _ngram_groups(words, max(DUPLICATE_NGRAM_SIZES)):
        if ngrams.n in TOP_NGRAM_SIZES:
            chars[f"top_{ngrams.n}"] = _top_ngram_chars(ngrams, word_ends)
        if ngrams.n in DUPLICATE_NGRAM_SIZES:
            # A repeated n-gram starts with a repeated shorter one: once none repeats, no longer one does.
            if not len(ngrams.starts):
                break
            chars[f"dup_{ngrams.n}"] = _duplicated_ngram_chars(ngrams, word_ends)
    return chars


def gopher_repetition_signals(text: str, words: list[str]) -> dict[str, float]:
    """The signals of `GOPHER_REPETITION_SIGNALS` for `text` and its `words`."""
    text_chars = len(text)
    paragraphs = _PARAGRAPH_BREAK.split(text.strip())
    duplicate_paragraphs, duplicate_paragraph_chars = count_duplicates(paragraphs)
    lines = _LINE_BREAKS.split(text)
    duplicate_lines, duplicate_line_chars = count_duplicates(lines)
    values = [
        float(text_chars),
        fraction(duplicate_paragraphs, len(paragraphs)),
        fraction(duplicate_paragraph_chars, text_chars),
        fraction(duplicate_lines, len(lines)),
        fraction(duplicate_line_chars, text_chars),
        *(fraction(chars, text_chars) for chars in ngram_chars(words).values()),
    ]
    return dict(zip(GOPHER_REPETITION_SIGNALS, values, strict=True))


def _count_with_a_letter(words: list[str]) -> int:
    """How many `words` have an alphabetic character; all-letter words are counted without a look at each one."""
    without_letters = sum(not any(map(str.isalpha, word)) for word in filterfalse(str.isalpha, words))
    return len(words) - without_letters


def gopher_quality_signals(text: str, words: list[str], stop_words: Iterable[str]) -> dict[str, float]:
    """The signals of `GOPHER_QUALITY_SIGNALS` for `text` and its `words`."""
    tokens = len(words)
    # A token of letters or digits only is no symbol: only the others need a look.
    symbols = [word for word in filterfalse(str.isalnum, words) if not word.strip(PUNCTUATION_CHARS)]
    real_words = tokens - len(symbols)
    lines = text.splitlines()
    values = [
        float(real_words),
        fraction(sum(map(len, words)) - sum(map(len, symbols)), real_words),
        fraction(text.count("#"), tokens),
        fraction(text.count("...") + text.count("…"), tokens),
        fraction(sum(line.lstrip().startswith(_BULLETS) for line in lines), len(lines)),
        fraction(sum(line.rstrip().endswith(_ELLIPSES) for line in lines), len(lines)),
        fraction(_count_with_a_letter(words), tokens),
        float(len(set(stop_words).intersection(words))),
    ]
    return dict(zip(GOPHER_QUALITY_SIGNALS, values, strict=True))
