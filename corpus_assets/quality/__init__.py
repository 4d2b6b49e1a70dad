"""The quality heuristics of `filtered_text`: Gopher repetition, Gopher quality, C4 and FineWeb's own rules, at
the thresholds FineWeb ran datatrove with, as plain functions over a page's text.

`assess(text, config, language)` returns every signal of the page (the columns of the warehouse's
`quality_signals`, named by `SIGNAL_NAMES`), the text C4 keeps, and the first rule the page fails. `RULES` says which
signal and threshold each rule compares, so a what-if on a threshold is one SQL query over the stored signals. Words
and sentences come from `word_tokenizer(language)`: the tokenizer datatrove assigns the language (words.py).
"""

from corpus_assets.quality.assess import SIGNAL_DESCRIPTIONS, SIGNAL_NAMES, QualityResult, assess
from corpus_assets.quality.config import (
    C4Config,
    FineWebConfig,
    GopherQualityConfig,
    GopherRepetitionConfig,
    QualityConfig,
)
from corpus_assets.quality.rules import RULES, FilterVerdict, Rule, failing_rules, verdict_from_signals
from corpus_assets.quality.words import split_into_words, word_tokenizer

__all__ = [
    "RULES",
    "SIGNAL_DESCRIPTIONS",
    "SIGNAL_NAMES",
    "C4Config",
    "FilterVerdict",
    "FineWebConfig",
    "GopherQualityConfig",
    "GopherRepetitionConfig",
    "QualityConfig",
    "QualityResult",
    "Rule",
    "assess",
    "failing_rules",
    "split_into_words",
    "verdict_from_signals",
    "word_tokenizer",
]
