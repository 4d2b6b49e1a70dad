"""Which word tokenizer a language gets: datatrove's own table, `tokenizer_assignment.csv`, read from its wheel.

The table has a row per language (ISO 639-3 code, script) with its ISO 639-1 code where there is one, the tokenizer
class and its argument. A code is looked up the way FineWeb-2 names its languages, by the language's default script
(`cmn_Hani` for "zh", `arb_Arab` for "ar"). datatrove's own lookup of a bare two-letter code can land on another
script's row (its "zh" is the Latin-script fallback, whitespace rules, not jieba): that row is not followed here.

Three kinds of tokenizer come out of the table: spaCy's (`spacy`, with spaCy's language code), Kiwi (`korean`), and
spaCy's multi-language rules with a sentence pattern (`multilingual`, datatrove's WhitespaceTokenizer). Languages
whose datatrove tokenizer is Stanza, IndicNLP, PyThaiNLP, botok, khmer-nltk, LaoNLP or pyidaungsu (models to download
or packages not maintained for current Python) get `multilingual` too; `stand_in_for` says which tokenizer datatrove
would have used.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

_TABLE = "assets/tokenizer_assignment.csv"


@dataclass(frozen=True)
class TokenizerAssignment:
    """The tokenizer of `language`: its `kind`, spaCy's language code (`xx` for the multi-language rules), the
    datatrove tokenizer of the language, which it stands in for when it is not the same, and the language name
    datatrove's filters take for it (`{code_3}_{script}`, None when datatrove has no tokenizer for it)."""

    language: str
    kind: Literal["spacy", "korean", "multilingual"]
    spacy_code: str
    datatrove_tokenizer: str
    datatrove_language: str | None
    stand_in_for: str | None = None


@cache
def _table() -> dict[str, dict[str, str]]:
    """The row of each ISO 639-1 and 639-3 code: its default script's row where the table marks one."""
    with resources.files("datatrove").joinpath(_TABLE).open(encoding="utf-8") as file:
        rows = [row for row in csv.DictReader(file) if row["type"]]
    by_code: dict[str, dict[str, str]] = {}
    # Rows marked as the code's default (script, and for two-letter codes the default language) win; then any.
    for row in sorted(rows, key=lambda r: (r["default_script"] != "TRUE", r["default_code_1"] != "TRUE")):
        by_code.setdefault(row["code_3"], row)
        if row["code_1"]:
            by_code.setdefault(row["code_1"], row)
    return by_code


def tokenizer_assignment(language: str) -> TokenizerAssignment:
    """The tokenizer of `language`, an ISO 639-1 or 639-3 code; an unknown code (or "unknown") gets the
    multi-language rules, as datatrove's WhitespaceTokenizer."""
    row = _table().get(language)
    if row is None:
        return TokenizerAssignment(language, "multilingual", "xx", "none (datatrove refuses the language)", None)
    kind, argument = row["type"], row["tok_code"]
    reference = f"{kind}({argument})" if argument else kind
    named = f"{row['code_3']}_{row['script']}"
    if kind == "SpaCyTokenizer":
        return TokenizerAssignment(language, "spacy", argument, reference, named)
    if kind == "KiwiTokenizer":
        return TokenizerAssignment(language, "korean", "ko", reference, named)
    if kind == "WhitespaceTokenizer":
        return TokenizerAssignment(language, "multilingual", "xx", reference, named)
    return TokenizerAssignment(language, "multilingual", "xx", reference, named, stand_in_for=reference)
