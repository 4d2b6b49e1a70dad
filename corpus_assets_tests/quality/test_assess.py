"""`assess` as the pipeline uses it: C4's line removal, options and switches, every signal on every page, and
verdicts that the stored signals reproduce."""

from __future__ import annotations

import json
import re

import pytest

from corpus_assets.quality import (
    RULES,
    SIGNAL_NAMES,
    QualityConfig,
    assess,
    failing_rules,
    verdict_from_signals,
)
from corpus_assets_tests.quality.pages import article, lines_of, page

REALISTIC_ARTICLE = """\
City council approves plan to expand the riverside park

The city council voted on Tuesday to expand the riverside park by nearly twelve acres, ending a debate that \
had lasted more than two years. The plan turns a disused rail yard into meadows, a playground and a path that \
links the park with the old market district.

Supporters said the expansion would give families in the eastern neighbourhoods a green space within walking \
distance of their homes. "This is the most important thing we have done for the east side in a decade," said \
one council member, who first proposed the idea in a public meeting.

Critics worried about the cost, which the city estimates at fourteen million dollars over five years. Some \
residents also asked whether the new paths would bring more traffic to quiet streets near the water. The \
council answered that most of the money would come from a state grant and that parking would stay limited.

Work on the first section is expected to begin next spring. The city will hold three open meetings this \
winter so that residents can comment on the design of the playground and the choice of trees.
"""


DEFAULTS = QualityConfig()


def signals_of(text: str, config: QualityConfig = DEFAULTS) -> dict[str, float]:
    """The signals `assess` gives for `text`."""
    return assess(text, config).signals


def test_a_realistic_article_passes_every_filter_untouched() -> None:
    result = assess(REALISTIC_ARTICLE, QualityConfig())

    assert result.verdict is None
    # Every line has 3 words or more and no boilerplate: C4 only drops the blank lines.
    assert result.text == "\n".join(line for line in REALISTIC_ARTICLE.splitlines() if line)


def test_c4_removes_javascript_policy_and_long_word_lines_and_deletes_citations() -> None:
    kept = lines_of(0, 6)
    text = page(
        [
            kept[:2],
            ["Please enable JavaScript to view the comments."],
            ["This site uses cookies to improve your experience."],
            ["Read our privacy policy and terms of use here."],
            ["A line with " + "x" * 1001 + " in it."],
            ["Share"],
            [kept[2] + "[1]", kept[3] + "[citation needed]", kept[4] + "[edit]", kept[5]],
        ]
    )

    result = assess(text, QualityConfig())

    assert result.text == "\n".join(kept)
    signals = result.signals
    assert (signals["c4_javascript_lines"], signals["c4_policy_lines"], signals["c4_long_word_lines"]) == (1, 2, 1)
    assert signals["c4_few_words_lines"] == 1 + 6  # "Share" and the six blank lines between paragraphs
    assert signals["c4_kept_lines"] == signals["fineweb_lines"] == 6


def test_c4_counts_a_lines_words_before_deleting_its_citations() -> None:
    lines = lines_of(0, 6)
    text = page([[*lines, "Two words [1]"]])

    result = assess(text, QualityConfig())

    assert result.text == "\n".join([*lines, "Two words"])  # the kept text is stripped as a whole
    assert result.signals["c4_few_words_lines"] == 0


def test_c4_keeps_lines_without_terminal_punctuation_unless_the_option_is_on() -> None:
    lines = lines_of(0, 8)
    text = page([[*lines[:6], lines[6][:-1], lines[7][:-1] + "..."]])
    strict = QualityConfig(c4={"filter_no_terminal_punct": True})

    by_default, with_option = assess(text, QualityConfig()), assess(text, strict)

    assert by_default.text == text
    assert with_option.text == "\n".join(lines[:6])
    assert by_default.signals["c4_no_terminal_punct_lines"] == with_option.signals["c4_no_terminal_punct_lines"] == 2


@pytest.mark.parametrize(
    ("line", "verdict"),
    [
        ("Lorem ipsum.", None),  # under 3 words: removed before the lorem ipsum check
        ("Lorem ipsum dolor sit amet.", "filter_lorem_ipsum"),
        ("Enable JavaScript to see {more} here.", None),  # removed as JavaScript before the bracket check
        ("See the {terms of use} of the site.", "filter_curly_bracket"),  # the bracket drops it before policy
    ],
)
def test_c4_checks_a_line_in_datatroves_order(line: str, verdict: str | None) -> None:
    result = assess(page([*article(), [line]]), QualityConfig())

    assert (result.verdict and result.verdict.rule) == verdict


def test_fineweb_measures_the_text_c4_keeps() -> None:
    menu = ["Home", "News", "Sport", "Contact us"]  # short lines C4 removes: fewer than 3 words
    text = page([menu * 5, *article()])

    with_c4 = signals_of(text)
    without_c4 = signals_of(text, QualityConfig(c4={"enabled": False}))

    assert with_c4["fineweb_short_line_frac"] == 0
    assert with_c4["fineweb_newline_word_ratio"] == 11 / (12 * 12)  # 12 kept lines of 11 words and a full stop
    assert without_c4["fineweb_short_line_frac"] == 20 / 32
    assert assess(text, QualityConfig(c4={"enabled": False})).text == text


def test_a_disabled_filter_drops_nothing_but_still_measures() -> None:
    short_page = page([lines_of(0, 5, words=8)])  # 40 words: under Gopher's 50
    config = QualityConfig(gopher_quality={"enabled": False})

    assert assess(short_page, QualityConfig()).verdict.rule == "min_words"
    assert assess(short_page, config).verdict is None
    assert signals_of(short_page, config) == signals_of(short_page)


def test_a_threshold_of_none_switches_only_that_rule_off() -> None:
    short_page = page([lines_of(0, 5, words=8)])
    config = QualityConfig(gopher_quality={"min_words": None})

    assert assess(short_page, config).verdict is None
    assert [rule.name for rule in RULES if rule.threshold(config) is None] == ["min_words"]


def test_a_page_failing_the_first_filter_still_has_every_signal_of_the_later_ones() -> None:
    repeated = page([lines_of(0, 6)] * 4)  # every paragraph four times

    result = assess(repeated, QualityConfig())

    assert (result.verdict.filter, result.verdict.rule) == ("gopher_repetition", "max_dup_para_frac")
    assert tuple(result.signals) == SIGNAL_NAMES
    assert all(type(value) is float for value in result.signals.values())
    assert result.signals["gopher_quality_words"] == 4 * 6 * 11
    assert result.signals["c4_sentences"] == 24
    assert result.signals["fineweb_dup_line_char_frac"] > 0.5


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("", "non_empty"),
        (" ", "min_words"),
        ("\n\n\n", "max_dup_line_frac"),  # as in datatrove: the two empty lines around the newlines are equal
        ("...", "min_words"),
        ("#", "min_words"),
    ],
)
def test_empty_or_wordless_text_is_measured_without_dividing_by_zero(text: str, rule: str) -> None:
    result = assess(text, QualityConfig())

    assert tuple(result.signals) == SIGNAL_NAMES
    assert result.verdict.rule == rule


def test_the_empty_page_fails_as_datatrove_fails_it_first() -> None:
    verdict = assess("", QualityConfig()).verdict

    assert (verdict.filter, verdict.rule, verdict.value, verdict.threshold) == (
        "gopher_repetition",
        "non_empty",
        0.0,
        1.0,
    )


def test_a_what_if_on_stored_signals_gives_the_verdict_of_rerunning() -> None:
    text = page(article())
    stricter = QualityConfig(gopher_quality={"min_words": 200}, fineweb={"max_newline_word_ratio": 0.05})
    stored = assess(text, QualityConfig()).signals

    rerun = assess(text, stricter)

    assert verdict_from_signals(stored, stricter) == rerun.verdict
    assert [v.rule for v in failing_rules(stored, stricter)] == ["min_words", "max_newline_word_ratio"]


def test_signal_names_are_warehouse_columns_and_every_rule_compares_one() -> None:
    assert len(set(SIGNAL_NAMES)) == len(SIGNAL_NAMES)
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", name) for name in SIGNAL_NAMES)
    assert {rule.signal for rule in RULES} <= set(SIGNAL_NAMES)
    assert all(name.startswith(("gopher_repetition_", "gopher_quality_", "c4_", "fineweb_")) for name in SIGNAL_NAMES)


def test_real_articles_are_judged_by_the_signals_stored_for_them(shared_data) -> None:
    articles = json.loads((shared_data / "extraction" / "aeb" / "ground-truth.json").read_text())
    config = QualityConfig()

    results = [assess(item["articleBody"], config) for item in articles.values()]

    assert all(tuple(result.signals) == SIGNAL_NAMES for result in results)
    assert all(verdict_from_signals(result.signals, config) == result.verdict for result in results)
    # 140 of these 181 news articles pass; most of the others are not English (no English stop words).
    assert sum(result.verdict is None for result in results) == 140


CHINESE_PAGE = "\n".join(["我们今天去北京、上海和广州参观了很多有名的博物馆和公园。明天我们还要去长城看看！"] * 3)


def test_the_page_language_chooses_the_tokenizer_unless_one_is_configured() -> None:
    own = assess(CHINESE_PAGE, QualityConfig(), "zh").signals
    english = assess(CHINESE_PAGE, QualityConfig(tokenizer_language="en"), "zh").signals

    # jieba finds 21 words a line; the English rules see each line as one word and its final mark
    assert own["gopher_quality_words"] == 3 * 21
    assert english["gopher_quality_words"] == 3
    assert own["gopher_quality_mean_word_length"] < 2 < english["gopher_quality_mean_word_length"]
