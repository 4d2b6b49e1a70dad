"""C4's line rules and page rules (Raffel et al. 2020), as datatrove's C4QualityFilter applies them.

Each line (`str.splitlines`, stripped) goes through the checks in datatrove's order: a word over
`max_word_length` removes it; citations are deleted; no terminal punctuation removes it when
`filter_no_terminal_punct`; fewer than `min_words_per_line` words removes it; 'lorem ipsum' is counted;
'javascript' removes it when `filter_javascript`; '{' is counted; a cookie or policy phrase removes it when
`filter_policy`. The lines left are the kept text, joined by newlines, and their sentences are counted.

Unlike datatrove, the scan does not stop at the first 'lorem ipsum' or '{': those rules drop the whole page, so
their lines stay in the kept text and its sentences, which is what the page would be with the rule off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus_assets.quality.config import C4Config
from corpus_assets.quality.words import WordTokenizer

# Each line of the page's text meets the checks in this order; a line removed by one check meets no later one.
C4_SIGNALS: dict[str, str] = {
    "c4_lines": "Lines of the page's text (str.splitlines).",
    "c4_long_word_lines": "Lines with a word (between whitespace) over `max_word_length` characters; removed.",
    "c4_no_terminal_punct_lines": "Lines not ending in . ? ! \" ' (or ending in ...); removed only if "
    "`filter_no_terminal_punct`.",
    "c4_few_words_lines": "Lines of fewer than `min_words_per_line` words (between whitespace); removed.",
    "c4_lorem_ipsum_lines": "Lines with 'lorem ipsum'; kept, as the rule drops the page.",
    "c4_javascript_lines": "Lines with 'javascript'; removed if `filter_javascript`.",
    "c4_curly_bracket_lines": "Lines with '{'; kept, as the rule drops the page.",
    "c4_policy_lines": "Lines with a cookie, terms-of-use or privacy-policy phrase; removed if `filter_policy`.",
    "c4_kept_lines": "Lines left: the kept text, which FineWeb measures.",
    "c4_sentences": "Sentences of the kept lines, each line split by the page language's sentence splitter (Korean: "
    "the sentences of Kiwi's analysis of the whole page that each line holds part of).",
}

_CITATION = re.compile(r"\[\d*]|\[edit]|\[citation needed]")
_LINE_ENDINGS = (".", "?", "!", '"', "'")  # C4's terminal punctuation
_POLICY = re.compile("terms of use|privacy policy|cookie policy|uses cookies|use of cookies|use cookies")


@dataclass(frozen=True)
class C4Lines:
    """What C4 makes of a page: the kept text, its words and the C4 signals."""

    text: str
    words: list[str]
    signals: dict[str, float]


def _has_long_word(line: str, words: list[str], max_word_length: int | None) -> bool:
    # A line no longer than the limit cannot hold a word over it, which spares measuring every word.
    return max_word_length is not None and len(line) > max_word_length and max(map(len, words)) > max_word_length


def c4_lines(text: str, config: C4Config, tokenizer: WordTokenizer,
             words_by_line: list[list[str]] | None = None) -> C4Lines:
    """Apply C4's line rules to `text` and measure the signals of `C4_SIGNALS`, with the words and sentences of
    `tokenizer`; `words_by_line`, its words of each line of `text.splitlines()`, spares splitting them again.
    """
    lines = text.splitlines()
    if words_by_line is None:
        words_by_line = tokenizer.words_by_line(text)
    counts = dict.fromkeys(C4_SIGNALS, 0)
    counts["c4_lines"] = len(lines)
    kept: list[str] = []
    kept_words: list[str] = []
    for line, line_words in zip(lines, words_by_line, strict=True):
        line = line.strip()
        whitespace_words = line.split()  # before citations are deleted, as in datatrove
        if _has_long_word(line, whitespace_words, config.max_word_length):
            counts["c4_long_word_lines"] += 1
            continue
        if config.remove_citations and "[" in line:
            without_citations = _CITATION.sub("", line)
            if without_citations != line:
                line, line_words = without_citations, tokenizer.split_into_words(without_citations)
        if not line.endswith(_LINE_ENDINGS) or line.endswith("..."):
            counts["c4_no_terminal_punct_lines"] += 1
            if config.filter_no_terminal_punct:
                continue
        if config.min_words_per_line is not None and len(whitespace_words) < config.min_words_per_line:
            counts["c4_few_words_lines"] += 1
            continue
        lowered = line.lower()
        counts["c4_lorem_ipsum_lines"] += "lorem ipsum" in lowered
        if "javascript" in lowered:
            counts["c4_javascript_lines"] += 1
            if config.filter_javascript:
                continue
        counts["c4_curly_bracket_lines"] += "{" in line
        if _POLICY.search(lowered):
            counts["c4_policy_lines"] += 1
            if config.filter_policy:
                continue
        counts["c4_sentences"] += tokenizer.count_sentences(line, line_words)
        kept.append(line)
        kept_words += line_words
    counts["c4_kept_lines"] = len(kept)
    # Words never span a newline, so the kept lines' words are the kept text's words.
    return C4Lines(
        text="\n".join(kept).strip(),
        words=kept_words,
        signals={name: float(count) for name, count in counts.items()},
    )
