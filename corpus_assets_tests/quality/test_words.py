"""Words and sentences as datatrove's English tokenizer (spaCy's rules) makes them."""

from __future__ import annotations

import pytest

from corpus_assets.quality.words import _WORD_PATTERN, count_sentences, split_into_words

# What spaCy's English tokenizer gives for each text, the tokenizer that datatrove's Gopher and FineWeb use.
SPACY_WORDS = [
    ("Hello, world.", ["Hello", ",", "world", "."]),
    ("I don't know; it's John's.", ["I", "do", "n't", "know", ";", "it", "'s", "John", "'s", "."]),
    ("We’d go, wouldn’t we?", ["We", "’d", "go", ",", "would", "n’t", "we", "?"]),
    ("Mr. Smith of the U.S. Army, e.g. here", ["Mr.", "Smith", "of", "the", "U.S.", "Army", ",", "e.g.", "here"]),
    ("J. K. Rowling at 10:30 a.m.", ["J.", "K.", "Rowling", "at", "10:30", "a.m."]),
    ("Her Ph.D. from Calif. in Jan. 2019", ["Her", "Ph.D.", "from", "Calif.", "in", "Jan.", "2019"]),
    ("It costs $100 (3.5% of 1,000).", ["It", "costs", "$", "100", "(", "3.5", "%", "of", "1,000", ")", "."]),
    ("well-known COVID-19 in 1990-2000", ["well", "-", "known", "COVID-19", "in", "1990", "-", "2000"]),
    ("24/7 and km/h", ["24/7", "and", "km", "/", "h"]),
    ("Wait... what?! -- #tag", ["Wait", "...", "what", "?", "!", "--", "#", "tag"]),
    ("“Yes,” she said.", ["“", "Yes", ",", "”", "she", "said", "."]),
    (
        "See https://example.com/a?b=1). Or www.test.org,",
        ["See", "https://example.com/a?b=1", ")", ".", "Or", "www.test.org", ","],
    ),
    ("Mail foo@bar.com or see photo-1.jpg now", ["Mail", "foo@bar.com", "or", "see", "photo-1.jpg", "now"]),
    ("It has 512GB and runs Disney+ at AT&T.", ["It", "has", "512", "GB", "and", "runs", "Disney+", "at", "AT&T."]),
    ("end.Next but Node.js", ["end", ".", "Next", "but", "Node.js"]),
    ("I cannot go, im sorry", ["I", "can", "not", "go", ",", "i", "m", "sorry"]),
    ("SpaceX. fiber- and -12.99", ["SpaceX.", "fiber-", "and", "-12.99"]),
    ("naïve café ___ end", ["naïve", "café", "_", "_", "_", "end"]),
    # combining marks stay in their word: a decomposed accent, Devanagari vowel signs
    ("cafe\u0301 \u0939\u093f\u0928\u094d\u0926\u0940", ["cafe\u0301", "\u0939\u093f\u0928\u094d\u0926\u0940"]),
]


@pytest.mark.parametrize(("text", "words"), SPACY_WORDS, ids=[text for text, _ in SPACY_WORDS])
def test_words_are_split_as_spacys_english_tokenizer_splits_them(text: str, words: list[str]) -> None:
    assert split_into_words(text) == words


def test_the_shortcuts_for_plain_words_give_what_the_pattern_gives() -> None:
    text = " ".join(
        f"{prefix}{body}{suffix}"
        for prefix in ("", "(", "“", "'")
        for body in ("word", "Word", "WORD", "I", "a", "co", "vs", "cannot", "Mr", "SpaceX", "naïve")
        for suffix in ("", ".", ",", "!", ")", "”", "'", "...", "'s")
    )

    assert split_into_words(text) == [word for chunk in text.split() for word in _WORD_PATTERN.findall(chunk)]


def test_no_word_spans_a_line_break() -> None:
    text = "A line ends here\nnext line, and U.S.\nArmy"

    by_line = [word for line in text.splitlines() for word in split_into_words(line)]

    assert split_into_words(text) == by_line


@pytest.mark.parametrize(
    ("line", "sentences"),
    [
        ("", 1),  # datatrove counts an empty line as one sentence
        ("One sentence without an end", 1),
        ("One. Two! Three? Four", 4),
        ("He said: “Stop.” Then he left.", 2),  # the closing quote stays with the first sentence
        ("Mr. Smith met Dr. Jones in the U.S. today.", 1),  # abbreviations end no sentence
        ("Wait... and see.", 1),  # nor does an ellipsis
        ("Prices rose 3.5% in 2019. They fell later.", 2),
    ],
)
def test_sentences_are_counted_as_spacys_sentencizer_counts_them(line: str, sentences: int) -> None:
    assert count_sentences(split_into_words(line)) == sentences
