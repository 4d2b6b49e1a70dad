"""The repetition measures against plain re-statements of datatrove's definitions."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from corpus_assets.quality.counting import count_duplicates
from corpus_assets.quality.fineweb import fineweb_signals
from corpus_assets.quality.gopher import DUPLICATE_NGRAM_SIZES, TOP_NGRAM_SIZES, ngram_chars
from corpus_assets.quality.words import split_into_words


def datatrove_ngram_chars(words: list[str]) -> dict[str, int]:
    """datatrove's `find_top_duplicate` and `find_all_duplicate`, written out over word tuples."""
    chars = {}
    for n in TOP_NGRAM_SIZES:
        ngrams = [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]
        top, count = Counter(ngrams).most_common(1)[0] if ngrams else ((), 0)
        chars[f"top_{n}"] = len(" ".join(top)) * count
    for n in DUPLICATE_NGRAM_SIZES:
        seen, repeated, start = set(), 0, 0
        while start < len(words) - n + 1:
            ngram = tuple(words[start : start + n])
            if ngram in seen:
                repeated += len("".join(ngram))
                start += n
            else:
                seen.add(ngram)
                start += 1
        chars[f"dup_{n}"] = repeated
    return chars


def random_words(rng: random.Random) -> list[str]:
    """Words drawn from a small vocabulary, often in repeated runs, so that n-grams repeat and overlap."""
    vocabulary = [rng.choice("abcdefgh") * rng.randint(1, 4) for _ in range(rng.randint(1, 12))]
    words: list[str] = []
    while len(words) < rng.randint(0, 120):
        run = [rng.choice(vocabulary) for _ in range(rng.randint(1, 12))]
        words += run * rng.randint(1, 3)
    return words


@pytest.mark.parametrize("seed", range(300))
def test_ngram_characters_follow_datatroves_definitions(seed: int) -> None:
    words = random_words(random.Random(seed))

    assert ngram_chars(words) == datatrove_ngram_chars(words)


@pytest.mark.parametrize("seed", range(100))
def test_ngram_characters_of_mostly_unique_words_follow_datatroves_definitions(seed: int) -> None:
    # Most words once, a few repeated runs: the n-grams that repeat are few, and none at all on some pages.
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(rng.randint(0, 80))]
    for _ in range(rng.randint(0, 3)):
        at, length = rng.randint(0, len(words)), rng.randint(1, 12)
        words[at:at] = words[max(0, at - length):at] if rng.random() < 0.5 else rng.sample(words, min(len(words), 3))

    assert ngram_chars(words) == datatrove_ngram_chars(words)


def test_ties_for_the_top_ngram_go_to_the_first_seen() -> None:
    words = ["bb", "bb", "a", "a", "bb", "bb", "a", "a"]  # "bb bb" and "a a" twice each: "bb bb" comes first

    assert ngram_chars(words)["top_2"] == len("bb bb") * 2


def test_duplicates_count_repeats_of_earlier_items_and_their_characters() -> None:
    assert count_duplicates(["ab", "c", "ab", "ab", "", ""]) == (3, 4)


def test_fineweb_reads_lines_as_they_are_and_characters_without_newlines() -> None:
    text = "One two three. \nOne two three. \n\nFour five six seven!"

    signals = fineweb_signals(text, split_into_words(text), short_line_length=15)

    assert signals["fineweb_lines"] == 3  # the blank line is left out
    assert signals["fineweb_line_punct_frac"] == 1 / 3  # a trailing space hides the full stop
    assert signals["fineweb_short_line_frac"] == 2 / 3  # 15 characters is short, 16 is not
    assert signals["fineweb_dup_line_char_frac"] == len("One two three. ") / (len(text) - 3)
    assert signals["fineweb_newline_word_ratio"] == 3 / 13
