"""Settings of benchmark decontamination: which benchmarks, and how items and pages are cut into n-grams."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from corpus_assets.decontam.ngrams import DEFAULT_NGRAM_SIZE


class DecontamConfig(BaseModel):
    """Where the evaluation benchmarks are and how a page is matched against them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    benchmarks: list[Path] = Field(
        default=[],
        description="Benchmark files (.jsonl, .jsonl.gz, .csv) or folders searched recursively; the caller resolves "
        "relative paths.",
    )
    ngram_size: int = Field(
        default=DEFAULT_NGRAM_SIZE, ge=1,
        description="Words per n-gram; a page sharing one n-gram with an item is contaminated by it (GPT-3: 13).",
    )
    short_ngram_min_words: int | None = Field(
        default=None, ge=1,
        description=(
            "If set, every item field of this many words up to ngram_size - 1 is also indexed whole (NeMo Curator "
            "uses 8), and pages are cut into n-grams of each of those lengths too; if null, items shorter than "
            "ngram_size words cannot be detected."
        ),
    )

    @model_validator(mode="after")
    def _short_below_ngram_size(self) -> DecontamConfig:
        if self.short_ngram_min_words is not None and self.short_ngram_min_words >= self.ngram_size:
            raise ValueError(
                f"short_ngram_min_words ({self.short_ngram_min_words}) must be below ngram_size ({self.ngram_size})"
            )
        return self

    @property
    def page_ngram_sizes(self) -> tuple[int, ...]:
        """Every n-gram length a page may have to be cut into, longest first (the index may use fewer)."""
        shortest = self.ngram_size if self.short_ngram_min_words is None else self.short_ngram_min_words
        return tuple(range(self.ngram_size, shortest - 1, -1))
