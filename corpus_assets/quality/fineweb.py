"""FineWeb's own signals (Penedo et al. 2024), as datatrove's FineWebQualityFilter measures them, on the text
that C4 keeps (the page's text when C4 is off). Lines are split on newlines, blank lines left out.
"""

from __future__ import annotations

from corpus_assets.quality.counting import count_duplicates, fraction
from corpus_assets.quality.words import TERMINAL_PUNCTUATION

FINEWEB_SIGNALS: dict[str, str] = {
    "fineweb_lines": "Non-blank lines of the kept text.",
    "fineweb_line_punct_frac": "Non-blank lines whose last character is a sentence terminal, over non-blank lines.",
    "fineweb_short_line_frac": "Non-blank lines of at most `short_line_length` characters, over non-blank lines.",
    "fineweb_dup_line_char_frac": "Characters of non-blank lines repeating an earlier one, over the kept text's "
    "characters other than newlines.",
    "fineweb_newline_word_ratio": "Newlines of the kept text per token of it.",
}


def fineweb_signals(text: str, words: list[str], short_line_length: int) -> dict[str, float]:
    """The signals of `FINEWEB_SIGNALS` for the kept `text` and its `words`; ratios of nothing are 0."""
    lines = [line for line in text.split("\n") if line.strip()]
    line_count = len(lines)
    newlines = text.count("\n")
    non_newline_chars = len(text) - newlines
    values = [
        float(line_count),
        fraction(sum(line[-1] in TERMINAL_PUNCTUATION for line in lines), line_count),
        fraction(sum(len(line) <= short_line_length for line in lines), line_count),
        fraction(count_duplicates(lines)[1], non_newline_chars),
        fraction(newlines, len(words)),
    ]
    return dict(zip(FINEWEB_SIGNALS, values, strict=True))
