"""Text normalisation shared by the stages that compare texts (dedup, decontamination).

Two pages (or a page and a benchmark item) that differ only in case, accents, punctuation or spacing should
compare equal, as in datatrove's and the GPT-3 paper's matching. Extraction keeps the readable text as it is;
only comparisons go through here.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w\s]|_", re.UNICODE)
_DIGITS = re.compile(r"\d")
_SPACES = re.compile(r"\s+", re.UNICODE)


def normalize_for_matching(text: str, *, fold_numbers: bool = False) -> str:
    """Lowercase, strip accents and punctuation, collapse whitespace; optionally map every digit to 0.

    Folding numbers suits dedup (a page whose only edit is a date is still a duplicate) but not
    decontamination (a maths item with other numbers is another item).
    """
    # ASCII has no compatibility decomposition and no combining mark: skipping the per-character pass for it
    # (most benchmark items, most English pages) halves the cost of normalising, for the same result.
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NON_WORD.sub(" ", text.lower())
    if fold_numbers:
        text = _DIGITS.sub("0", text)
    return _SPACES.sub(" ", text).strip()


def matching_words(text: str, *, fold_numbers: bool = False) -> list[str]:
    """The words of `normalize_for_matching(text)`, the unit of every shingle and n-gram."""
    normalized = normalize_for_matching(text, fold_numbers=fold_numbers)
    return normalized.split(" ") if normalized else []
