"""`assess`: every quality signal of a page, its text after C4, and the first rule it fails."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

from corpus_assets.quality.c4 import C4_SIGNALS, c4_lines
from corpus_assets.quality.config import QualityConfig
from corpus_assets.quality.fineweb import FINEWEB_SIGNALS, fineweb_signals
from corpus_assets.quality.gopher import (
    GOPHER_QUALITY_SIGNALS,
    GOPHER_REPETITION_SIGNALS,
    gopher_quality_signals,
    gopher_repetition_signals,
)
from corpus_assets.quality.rules import FilterVerdict, verdict_from_signals
from corpus_assets.quality.words import word_tokenizer

# Every signal with what it measures and on which text, in the order `assess` returns them.
SIGNAL_DESCRIPTIONS: dict[str, str] = {
    **GOPHER_REPETITION_SIGNALS,
    **GOPHER_QUALITY_SIGNALS,
    **C4_SIGNALS,
    **FINEWEB_SIGNALS,
}
SIGNAL_NAMES: tuple[str, ...] = tuple(SIGNAL_DESCRIPTIONS)

_DEFAULT_CONFIG = QualityConfig()


@dataclass(frozen=True)
class QualityResult:
    """A page after the quality filters.

    `text` is the page's text after C4's line removal (unchanged when C4 is off), `signals` has every name of
    `SIGNAL_NAMES` in that order, and `verdict` is the first rule the page fails in pipeline order, None if it
    passes.
    """

    text: str
    signals: dict[str, float]
    verdict: FilterVerdict | None


def assess(text: str, config: QualityConfig = _DEFAULT_CONFIG, language: str = "en") -> QualityResult:
    """Measure every signal of `text`, whatever fails, and judge it by the enabled filters of `config`.

    Words and sentences are those of the tokenizer of `config.tokenizer_language`, or of `language` (the page's)
    when that is `page`. Gopher repetition and Gopher quality measure the page's text; C4 removes lines from it;
    FineWeb measures what C4 keeps (the page's text when C4 is disabled), as in FineWeb's pipeline.
    """
    tokenizer = word_tokenizer(language if config.tokenizer_language == "page" else config.tokenizer_language)
    # Words never span a line break, so splitting line by line gives the page's words and C4's at once.
    words_by_line = tokenizer.words_by_line(text)
    words = list(chain.from_iterable(words_by_line))
    after_c4 = c4_lines(text, config.c4, tokenizer, words_by_line)
    kept_text, kept_words = (after_c4.text, after_c4.words) if config.c4.enabled else (text, words)
    signals = {
        **gopher_repetition_signals(text, words),
        **gopher_quality_signals(text, words, config.gopher_quality.stop_words),
        **after_c4.signals,
        **fineweb_signals(kept_text, kept_words, config.fineweb.short_line_length),
    }
    return QualityResult(text=kept_text, signals=signals, verdict=verdict_from_signals(signals, config))
