"""Settings of benchmark decontamination: which benchmarks, how items and pages are cut into n-grams, and how much
of an item a page must share to be contaminated by it (rule.py)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from corpus_assets.decontam.rule import OverlapRule

# Measured by `make benchmark-decontamination` on MMLU items planted into real articles (README, Decontamination).
DEFAULT_MATCHING_NGRAM_SIZE = 6
DEFAULT_TEMPLATE_MIN_ITEMS = 3
DEFAULT_MIN_SHARED_NGRAMS = 4
DEFAULT_MIN_SHARED_FRACTION = 0.2


class DecontamConfig(BaseModel):
    """Where the evaluation benchmarks are and how a page is matched against them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    benchmarks: list[Path] = Field(
        default=[],
        description="Benchmark files (.jsonl, .jsonl.gz, .csv) or folders searched recursively; the caller resolves "
        "relative paths.",
    )
    ngram_size: int = Field(
        default=DEFAULT_MATCHING_NGRAM_SIZE, ge=1,
        description="Words per n-gram, for items and pages (GPT-3 and the lm-evaluation-harness use 13, one shared "
        "n-gram being enough). Shorter n-grams survive a few edited words, so an item quoted with edits still shares "
        "most of them; the overlap settings below keep them from flagging a page that shares a phrase or a template.",
    )
    short_ngram_min_words: int | None = Field(
        default=None, ge=1,
        description=(
            "If set, every item field of this many words up to ngram_size - 1 is also indexed whole (NeMo Curator "
            "uses 8), and pages are cut into n-grams of each of those lengths too; if null, items shorter than "
            "ngram_size words cannot be detected."
        ),
    )
    template_min_items: int | None = Field(
        default=DEFAULT_TEMPLATE_MIN_ITEMS, ge=2,
        description="An n-gram that this many distinct benchmark items have, or more, is a template (an instruction, "
        "a stock phrase) and never evidence of contamination; null: every n-gram is evidence.",
    )
    min_shared_ngrams: int = Field(
        default=DEFAULT_MIN_SHARED_NGRAMS, ge=1,
        description="A page must share at least this many distinct specific n-grams of an item (or all of them, if "
        "the item has fewer) to be contaminated by it.",
    )
    min_shared_fraction: float = Field(
        default=DEFAULT_MIN_SHARED_FRACTION, ge=0.0, le=1.0,
        description="A page must also share at least this fraction of the item's specific n-grams (or all of them). "
        "0, with min_shared_ngrams 1 and template_min_items null, is the any-single-n-gram rule of GPT-3.",
    )

    @model_validator(mode="after")
    def _short_below_ngram_size(self) -> DecontamConfig:
        if self.short_ngram_min_words is not None and self.short_ngram_min_words >= self.ngram_size:
            raise ValueError(
                f"short_ngram_min_words ({self.short_ngram_min_words}) must be below ngram_size ({self.ngram_size})"
            )
        return self

    @property
    def rule(self) -> OverlapRule:
        """The overlap rule of these settings, as the matcher and the gate apply it."""
        return OverlapRule(self.template_min_items, self.min_shared_ngrams, self.min_shared_fraction)

    @property
    def page_ngram_sizes(self) -> tuple[int, ...]:
        """Every n-gram length a page may have to be cut into, longest first (the index may use fewer)."""
        shortest = self.ngram_size if self.short_ngram_min_words is None else self.short_ngram_min_words
        return tuple(range(self.ngram_size, shortest - 1, -1))
