"""One hand-made page per rule, built by a helper with a knob (copies, letters, lines...), at two adjacent knob
values: the page on the passing side passes every filter, the page one step over fails exactly that rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from corpus_assets.quality import RULES, QualityConfig, assess, failing_rules
from corpus_assets_tests.quality.pages import article, lines_of, page, sentence, word

DEFAULTS = QualityConfig()
SENTENCE_STOP_WORDS = {"to", "the", "of", "and"}


# ---- page builders: each returns the page for its knob ----


def with_ad_paragraphs(copies: int) -> str:
    """The article with a one-word paragraph "Advertisement" after each of its first `copies` paragraphs."""
    paragraphs = []
    for index, paragraph in enumerate(article()):
        paragraphs += [paragraph, ["Advertisement"]] if index < copies else [paragraph]
    return page(paragraphs)


def with_ad_lines(copies: int) -> str:
    """The article with a line "Advertisement" ending its paragraphs in turn, `copies` times: repeated lines in
    paragraphs that stay distinct."""
    paragraphs = article()
    for copy in range(copies):
        paragraphs[copy % len(paragraphs)].append("Advertisement")
    return page(paragraphs)


def padded_line(spaces: int) -> str:
    """A two-word line stretched by spaces: many characters, few words, and C4 removes it."""
    return "Read" + " " * spaces + "more"


def with_padded_paragraph_twice(spaces: int) -> str:
    """The article with the same padded one-line paragraph after paragraphs 1 and 4."""
    paragraphs = article()
    paragraphs.insert(4, [padded_line(spaces)])
    paragraphs.insert(1, [padded_line(spaces)])
    return page(paragraphs)


def with_padded_line_twice(spaces: int) -> str:
    """The article with the same padded line ending paragraphs 1 and 4, which stay distinct."""
    paragraphs = article()
    paragraphs[1].append(padded_line(spaces))
    paragraphs[4].append(padded_line(spaces))
    return page(paragraphs)


def phrase(size: int, letters: int = 12) -> str:
    """A phrase of `size` words whose first and last are made-up words of `letters` letters and the others single
    letters, so that its own shorter n-grams weigh little next to it."""
    return " ".join([word(10_000, letters), *"bcdfghjklm"[: size - 2], word(10_001, letters)])


def with_phrase(copies: int, size: int, letters: int = 12) -> str:
    """The article with `phrase(size, letters)` after the first word of its first `copies` sentences, so that
    each copy has other words around it."""
    lines = [line for paragraph in article() for line in paragraph]
    for index in range(copies):
        first, rest = lines[index].split(" ", 1)
        lines[index] = f"{first} {phrase(size, letters)} {rest}"
    return page([lines[start : start + 2] for start in range(0, len(lines), 2)])


def with_phrase_copies(size: int) -> Callable[[int], str]:
    """A builder of the article with `copies` copies of `phrase(size)`."""
    return lambda copies: with_phrase(copies, size)


def with_phrase_in_every_sentence(letters: int) -> str:
    """The article with a two-word phrase of `letters`-letter words in all 12 sentences: as frequent as "to the",
    and first seen, so the top 2-gram (the most frequent, the first seen of equals) is the phrase."""
    return with_phrase(12, 2, letters)


def sentences_of(word_counts: list[int]) -> str:
    """One line per sentence, of these word counts."""
    return page([[sentence(index, words) for index, words in enumerate(word_counts)]])


def with_words(total: int) -> str:
    """Five sentences of `total` words between them."""
    return sentences_of([total // 5 + (index < total % 5) for index in range(5)])


def with_word_lengths(length: int) -> Callable[[int], str]:
    """A builder of five 11-word sentences whose made-up words have `length` letters, the first `longer` of them
    one more."""

    def build(longer: int) -> str:
        made_up = iter(word(index, length + (index < longer)) for index in range(35))
        lines = []
        for _ in range(5):
            text = f"{next(made_up)} {next(made_up)} to the {next(made_up)} of {next(made_up)} and"
            lines.append(f"{text} {next(made_up)} {next(made_up)} {next(made_up)}.".capitalize())
        return page([lines])

    return build


def rewrite_made_up_words(text: str, count: int, rewrite: Callable[[str, int], str]) -> str:
    """`text` with its first `count` lowercase made-up words rewritten by `rewrite(word, number)`."""
    words = text.split(" ")
    made_up = [i for i, w in enumerate(words) if w.isalpha() and w.islower() and w not in SENTENCE_STOP_WORDS]
    for number, i in enumerate(made_up[:count]):
        words[i] = rewrite(words[i], number)
    return " ".join(words)


def with_marks(mark: str) -> Callable[[int], str]:
    """A builder of five 20-word sentences with `mark` glued before the first `count` made-up words."""
    return lambda count: rewrite_made_up_words(sentences_of([20] * 5), count, lambda made_up, _: mark + made_up)


def with_numbers(count: int) -> str:
    """Five 20-word sentences with a number after each of the first `count` made-up words."""
    return rewrite_made_up_words(sentences_of([20] * 5), count, lambda made_up, number: f"{made_up} {1900 + number}")


def with_bullets(bullets: int) -> str:
    """Twenty one-sentence lines, the first `bullets` of them starting with "- "."""
    lines = lines_of(0, 20, words=12)
    return page([[("- " if index < bullets else "") + line for index, line in enumerate(lines)]])


def with_trailing_ellipses(count: int) -> str:
    """Ten one-sentence lines, the first `count` of them ending in "..." instead of a full stop."""
    lines = lines_of(0, 10, words=12)
    return page([[line[:-1] + "..." if index < count else line for index, line in enumerate(lines)]])


def with_stop_words(distinct: int) -> str:
    """Five sentences of made-up words but for `distinct` of the stop words "the" and "and"."""
    stop_words = ["the", "and"][:distinct]
    lines = []
    for index in range(5):
        words = [word(index * 11 + offset) for offset in range(11)]
        words[3] = stop_words[index % len(stop_words)]
        lines.append(" ".join(words).capitalize() + ".")
    return page([lines])


def with_lines(extra: str) -> Callable[[int], str]:
    """A builder of the article with `count` more lines `extra`."""
    return lambda count: page([*article(), [extra] * count])


def with_sentences(count: int) -> str:
    """`count` lines of one 15-word sentence."""
    return page([lines_of(0, count, words=15)])


def with_lines_kept_by_c4(kept: int) -> str:
    """Twelve sentences, all but `kept` of them mentioning JavaScript, so C4 removes them."""
    lines = lines_of(0, 12)
    return page([[line if index < kept else "JavaScript " + line for index, line in enumerate(lines)]])


def with_punctuated_lines(count: int) -> str:
    """Twenty-five lines of 9 words, only the first `count` ending in a full stop."""
    lines = lines_of(0, 25, words=9)
    return page([[line if index < count else line[:-1] for index, line in enumerate(lines)]])


def with_short_lines(short: int) -> str:
    """Thirty lines, the first `short` of them three-word sentences of 21 characters."""
    lines = [f"{word(3 * index)} {word(3 * index + 1)} {word(3 * index + 2)}.".capitalize() for index in range(short)]
    return page([lines + lines_of(100, 30 - short)])


def with_repeated_short_line(sentences: int) -> str:
    """`sentences` lines of one sentence, then the same 21-character line twice."""
    repeated = f"{word(9_000)} {word(9_001)} {word(9_002)}.".capitalize()
    return page([[*lines_of(0, sentences), repeated, repeated]])


def with_three_word_lines(count: int) -> str:
    """`count` lines of three tokens over 30 characters ("Xxx and Yyy", no full stop) and three sentences of four
    tokens: many newlines per word, yet not short lines."""
    lines = [f"{word(2 * index, 13)} and {word(2 * index + 1, 13)}".capitalize() for index in range(count)]
    lines += [f"{word(500 + index, 13)} the {word(600 + index, 13)}.".capitalize() for index in range(3)]
    return page([lines])


# ---- the cases ----


@dataclass(frozen=True)
class ThresholdCase:
    """A rule, a page builder, and the adjacent knob values where the page passes and where it fails."""

    filter: str
    rule: str
    build: Callable[[int], str]
    passes_at: int
    fails_at: int
    config: QualityConfig = DEFAULTS
    # Rules that necessarily fail with this one (they come later in the pipeline, so the verdict is the same).
    also_failing: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        return f"{self.filter}.{self.rule}"


CASES = [
    ThresholdCase("gopher_repetition", "max_dup_para_frac", with_ad_paragraphs, passes_at=4, fails_at=5),
    # A repeated paragraph repeats its lines, so the line-characters rule fails with the paragraph one.
    ThresholdCase(
        "gopher_repetition",
        "max_dup_para_char_frac",
        with_padded_paragraph_twice,
        passes_at=250,
        fails_at=251,
        also_failing=("max_dup_line_char_frac",),
    ),
    ThresholdCase("gopher_repetition", "max_dup_line_frac", with_ad_lines, passes_at=6, fails_at=7),
    ThresholdCase("gopher_repetition", "max_dup_line_char_frac", with_padded_line_twice, passes_at=250, fails_at=251),
    ThresholdCase(
        "gopher_repetition", "max_top_2_gram_char_frac", with_phrase_in_every_sentence, passes_at=7, fails_at=8
    ),
    ThresholdCase("gopher_repetition", "max_top_3_gram_char_frac", with_phrase_copies(3), passes_at=6, fails_at=7),
    ThresholdCase("gopher_repetition", "max_top_4_gram_char_frac", with_phrase_copies(4), passes_at=5, fails_at=6),
    *(
        ThresholdCase(
            "gopher_repetition", f"max_dup_{n}_gram_char_frac", with_phrase_copies(n), passes_at=c, fails_at=c + 1
        )
        for n, c in [(5, 6), (6, 5), (7, 5), (8, 4), (9, 4), (10, 3)]
    ),
    ThresholdCase("gopher_quality", "min_words", with_words, passes_at=50, fails_at=49),
    # A 100,000-word page is no small test page: the rule is the same at a lower threshold.
    ThresholdCase(
        "gopher_quality",
        "max_words",
        with_words,
        passes_at=60,
        fails_at=61,
        config=QualityConfig(gopher_quality={"max_words": 60}),
    ),
    ThresholdCase("gopher_quality", "min_mean_word_length", with_word_lengths(3), passes_at=10, fails_at=9),
    ThresholdCase("gopher_quality", "max_mean_word_length", with_word_lengths(14), passes_at=10, fails_at=11),
    ThresholdCase("gopher_quality", "max_hash_word_ratio", with_marks("#"), passes_at=11, fails_at=12),
    ThresholdCase("gopher_quality", "max_ellipsis_word_ratio", with_marks("..."), passes_at=11, fails_at=12),
    ThresholdCase("gopher_quality", "max_bullet_line_frac", with_bullets, passes_at=18, fails_at=19),
    ThresholdCase("gopher_quality", "max_ellipsis_line_frac", with_trailing_ellipses, passes_at=3, fails_at=4),
    ThresholdCase("gopher_quality", "min_alpha_word_frac", with_numbers, passes_at=20, fails_at=21),
    ThresholdCase("gopher_quality", "min_stop_words", with_stop_words, passes_at=2, fails_at=1),
    ThresholdCase("c4", "filter_lorem_ipsum", with_lines("Lorem ipsum dolor sit amet."), passes_at=0, fails_at=1),
    ThresholdCase("c4", "filter_curly_bracket", with_lines("Set the {name} of the field."), passes_at=0, fails_at=1),
    ThresholdCase("c4", "min_sentences", with_sentences, passes_at=5, fails_at=4),
    # Only reachable when C4 keeps no line yet does not drop the page itself; no line of nothing ends in
    # punctuation, so the punctuation rule fails too.
    ThresholdCase(
        "fineweb",
        "non_empty",
        with_lines_kept_by_c4,
        passes_at=1,
        fails_at=0,
        config=QualityConfig(c4={"min_sentences": None}),
        also_failing=("min_line_punct_frac",),
    ),
    ThresholdCase("fineweb", "min_line_punct_frac", with_punctuated_lines, passes_at=3, fails_at=2),
    ThresholdCase("fineweb", "max_short_line_frac", with_short_lines, passes_at=20, fails_at=21),
    ThresholdCase("fineweb", "max_dup_line_char_frac", with_repeated_short_line, passes_at=33, fails_at=32),
    ThresholdCase("fineweb", "max_newline_word_ratio", with_three_word_lines, passes_at=16, fails_at=17),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_page_one_step_short_of_the_threshold_passes_every_filter(case: ThresholdCase) -> None:
    result = assess(case.build(case.passes_at), case.config)

    assert result.verdict is None, result.verdict


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_page_one_step_over_the_threshold_fails_that_rule_alone(case: ThresholdCase) -> None:
    result = assess(case.build(case.fails_at), case.config)

    assert (result.verdict.filter, result.verdict.rule) == (case.filter, case.rule)
    failing = [verdict.rule for verdict in failing_rules(result.signals, case.config)]
    assert failing == [case.rule, *case.also_failing]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_verdict_is_its_signal_against_its_threshold(case: ThresholdCase) -> None:
    verdict = assess(case.build(case.fails_at), case.config).verdict
    passing_value = assess(case.build(case.passes_at), case.config).signals[verdict_signal(case)]

    crossed_upwards = verdict.value > verdict.threshold >= passing_value
    crossed_downwards = verdict.value < verdict.threshold <= passing_value
    assert crossed_upwards or crossed_downwards, (passing_value, verdict)


def verdict_signal(case: ThresholdCase) -> str:
    """The signal name the case's rule compares."""
    return next(rule.signal for rule in RULES if (rule.filter, rule.name) == (case.filter, case.rule))
