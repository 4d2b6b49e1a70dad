"""Hand-made pages for the quality tests: made-up words in plain sentences, so each test page moves exactly the
signal it is about and nothing else."""

from __future__ import annotations

from collections.abc import Iterable

_CONSONANTS = "bcdfghjklmnprstvz"
_VOWELS = "aeiou"


def word(index: int, length: int = 6) -> str:
    """A made-up word of `length` letters, a different one for each `index` (up to the letters' combinations).

    Letters alternate consonant and vowel and the word ends in 'x', so it is never a stop word nor one that the
    tokenizer splits.
    """
    letters = []
    index *= 7919  # a prime stride, so that consecutive words differ in more than their first letter
    for position in range(length - 1):
        alphabet = _CONSONANTS if position % 2 == 0 else _VOWELS
        index, digit = divmod(index, len(alphabet))
        letters.append(alphabet[digit])
    return "".join(letters) + "x"


def sentence(index: int, words: int = 11) -> str:
    """A sentence of `words` words ending in a full stop: made-up words around the stop words "to the", "of",
    "and", each sentence with its own made-up words."""
    made_up = iter(word(index * words + offset) for offset in range(words))
    stop_words = {2: "to", 3: "the", 5: "of", 7: "and"}
    text = " ".join(stop_words.get(position, next(made_up)) for position in range(words))
    return text[0].upper() + text[1:] + "."


def lines_of(first: int, count: int, words: int = 11) -> list[str]:
    """`count` lines of one sentence each, sentences `first`, `first + 1`, ..."""
    return [sentence(first + offset, words) for offset in range(count)]


def page(paragraphs: Iterable[Iterable[str]]) -> str:
    """A page of paragraphs (each a list of lines): lines joined by a newline, paragraphs by a blank line."""
    return "\n\n".join("\n".join(lines) for lines in paragraphs)


def article(paragraphs: int = 6, lines_per_paragraph: int = 2, first: int = 0) -> list[list[str]]:
    """The paragraphs of a clean page that passes every rule with room to spare: 12 sentences, 132 words."""
    return [lines_of(first + p * lines_per_paragraph, lines_per_paragraph) for p in range(paragraphs)]
