"""Thresholds of the quality filters, at the values FineWeb ran datatrove with.

Every rule is one key: the key's name is the rule's name in a `FilterVerdict`, and `None` switches that rule
off (a C4 switch set to false does the same). A filter that is not `enabled` drops no page, but its signals are
still computed, so the warehouse can tell what it would have dropped.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from corpus_assets.quality.tokenizer_assignment import tokenizer_assignment

GOPHER_STOP_WORDS = ("the", "be", "to", "of", "and", "that", "have", "with")


def _threshold(default: float, description: str):
    """A threshold field: non-negative; `None` switches its rule off."""
    return Field(default=default, ge=0.0, description=description)


class _FilterConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = Field(default=True, description="Whether the filter drops pages; its signals are computed anyway.")


class GopherRepetitionConfig(_FilterConfig):
    """Gopher's repetition rules (Rae et al. 2021, table A1): a page fails above any of these fractions."""

    max_dup_para_frac: float | None = _threshold(0.3, "Paragraphs that repeat an earlier paragraph, over paragraphs.")
    max_dup_para_char_frac: float | None = _threshold(0.2, "Characters in repeated paragraphs, over the page's.")
    max_dup_line_frac: float | None = _threshold(0.3, "Lines that repeat an earlier line, over lines.")
    max_dup_line_char_frac: float | None = _threshold(0.2, "Characters in repeated lines, over the page's.")
    max_top_2_gram_char_frac: float | None = _threshold(
        0.20, "Most frequent 2-gram's characters x its count, over the page's."
    )
    max_top_3_gram_char_frac: float | None = _threshold(
        0.18, "Most frequent 3-gram's characters x its count, over the page's."
    )
    max_top_4_gram_char_frac: float | None = _threshold(
        0.16, "Most frequent 4-gram's characters x its count, over the page's."
    )
    max_dup_5_gram_char_frac: float | None = _threshold(0.15, "Characters in repeated 5-grams, over the page's.")
    max_dup_6_gram_char_frac: float | None = _threshold(0.14, "Characters in repeated 6-grams, over the page's.")
    max_dup_7_gram_char_frac: float | None = _threshold(0.13, "Characters in repeated 7-grams, over the page's.")
    max_dup_8_gram_char_frac: float | None = _threshold(0.12, "Characters in repeated 8-grams, over the page's.")
    max_dup_9_gram_char_frac: float | None = _threshold(0.11, "Characters in repeated 9-grams, over the page's.")
    max_dup_10_gram_char_frac: float | None = _threshold(0.10, "Characters in repeated 10-grams, over the page's.")


class GopherQualityConfig(_FilterConfig):
    """Gopher's quality rules (Rae et al. 2021): length, word shape, symbols, list-likeness, stop words."""

    min_words: float | None = _threshold(50, "Fewest words (tokens with a character that is not punctuation).")
    max_words: float | None = _threshold(100_000, "Most words (tokens with a character that is not punctuation).")
    min_mean_word_length: float | None = _threshold(3, "Shortest mean word length, in characters.")
    max_mean_word_length: float | None = _threshold(10, "Longest mean word length, in characters.")
    max_hash_word_ratio: float | None = _threshold(0.1, "Most '#' per token.")
    max_ellipsis_word_ratio: float | None = _threshold(0.1, "Most ellipses ('...' or '…') per token.")
    max_bullet_line_frac: float | None = _threshold(
        0.9, "Largest fraction of lines starting with a bullet ('•' or '-')."
    )
    max_ellipsis_line_frac: float | None = _threshold(0.3, "Largest fraction of lines ending in an ellipsis.")
    min_alpha_word_frac: float | None = _threshold(0.8, "Smallest fraction of tokens with an alphabetic character.")
    min_stop_words: float | None = _threshold(2, "Fewest distinct stop words present (of `stop_words`).")
    stop_words: tuple[str, ...] = Field(
        default=GOPHER_STOP_WORDS, description="The stop words of `min_stop_words`, matched case-sensitively."
    )


class C4Config(_FilterConfig):
    """C4's rules as FineWeb runs datatrove's C4QualityFilter: some remove lines, the others drop the page."""

    remove_citations: bool = Field(default=True, description="Delete Wikipedia citations ('[1]', '[edit]').")
    filter_no_terminal_punct: bool = Field(
        default=False, description="Remove lines that do not end in . ? ! \" ' (or end in '...'); off in FineWeb."
    )
    max_word_length: int | None = Field(
        default=1000, ge=1, description="Remove lines with a whitespace-separated word longer than this."
    )
    min_words_per_line: int | None = Field(
        default=3, ge=1, description="Remove lines with fewer whitespace-separated words than this."
    )
    filter_javascript: bool = Field(default=True, description="Remove lines that mention 'javascript'.")
    filter_policy: bool = Field(
        default=True, description="Remove lines about cookies, terms of use or a privacy policy."
    )
    filter_lorem_ipsum: bool = Field(default=True, description="Drop the page if a kept line has 'lorem ipsum'.")
    filter_curly_bracket: bool = Field(default=True, description="Drop the page if a kept line has a '{'.")
    min_sentences: int | None = Field(
        default=5, ge=0, description="Drop the page if the kept lines hold fewer sentences than this."
    )


class FineWebConfig(_FilterConfig):
    """FineWeb's own rules (Penedo et al. 2024), measured on the text C4 keeps."""

    min_line_punct_frac: float | None = _threshold(0.12, "Smallest fraction of lines ending in terminal punctuation.")
    max_short_line_frac: float | None = _threshold(0.67, "Largest fraction of lines of at most `short_line_length`.")
    short_line_length: int = Field(default=30, ge=0, description="Characters of a line that is short.")
    max_dup_line_char_frac: float | None = _threshold(
        0.01, "Characters in repeated lines, over non-newline characters."
    )
    max_newline_word_ratio: float | None = _threshold(0.3, "Most newlines per token.")


class QualityConfig(BaseModel):
    """The quality filters of `filtered_text`, in the order they run."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tokenizer_language: str = Field(
        default="page",
        description="Whose word tokenizer splits every page into words and sentences: `page`, the page's identified "
        "language (as FineWeb-2 runs datatrove, each language with its own), or one ISO 639-1 code for every page "
        "(`en`: FineWeb's English run). Each language gets the tokenizer datatrove assigns it: spaCy's rules, "
        "jieba (zh), Sudachi (ja), pyvi (vi), Kiwi (ko).",
    )

    @field_validator("tokenizer_language")
    @classmethod
    def _known_language(cls, language: str) -> str:
        if language != "page" and tokenizer_assignment(language).datatrove_language is None:
            raise ValueError(f"{language!r} is no ISO 639 code of a language datatrove has a tokenizer for; "
                             "use `page` or a code such as `en`")
        return language

    gopher_repetition: GopherRepetitionConfig = Field(
        default_factory=GopherRepetitionConfig, description="Gopher repetition rules, on the page's text."
    )
    gopher_quality: GopherQualityConfig = Field(
        default_factory=GopherQualityConfig, description="Gopher quality rules, on the page's text."
    )
    c4: C4Config = Field(default_factory=C4Config, description="C4 rules; they remove lines from the text.")
    fineweb: FineWebConfig = Field(default_factory=FineWebConfig, description="FineWeb rules, on the text C4 keeps.")
