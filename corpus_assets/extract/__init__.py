"""Extraction: response bytes to the main text of a page, its language, and the decision to keep it.

Plain Python, no Dagster; `extracted_text` is a thin asset over `batch.extract_batch`.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_assets.extract.config import ExtractConfig
from corpus_assets.extract.decode import DecodedHtml, decode_html
from corpus_assets.extract.language import LanguageGuess, identify_language
from corpus_assets.extract.main_text import Extraction, extract_main_text


@dataclass(frozen=True)
class ExtractionVerdict:
    """Keep the page (drop_reason None) or drop it: `no_text` (too few words) or `language`."""

    drop_reason: str | None
    detail: str
    word_count: int
    char_count: int


def judge_extraction(extraction: Extraction, guess: LanguageGuess, config: ExtractConfig) -> ExtractionVerdict:
    """The one place that defines why extraction drops a page."""
    words = len(extraction.text.split())
    chars = len(extraction.text)
    if words < config.min_words:
        reason, detail = "no_text", f"{words} words, fewer than {config.min_words}"
    elif guess.language not in config.languages or guess.score < config.min_language_score:
        reason = "language"
        detail = (f"language {guess.language} (score {guess.score:.3f}); kept: {', '.join(config.languages)} "
                  f"at score >= {config.min_language_score}")
    else:
        return ExtractionVerdict(None, "", words, chars)
    # The words that would have kept a page cut short may have been past the cut.
    return ExtractionVerdict(reason, f"{detail}; {extraction.cut}" if extraction.cut else detail, words, chars)


__all__ = [
    "DecodedHtml",
    "ExtractConfig",
    "Extraction",
    "ExtractionVerdict",
    "LanguageGuess",
    "decode_html",
    "extract_main_text",
    "identify_language",
    "judge_extraction",
]
