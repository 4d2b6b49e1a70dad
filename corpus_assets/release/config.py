"""Settings of the corpus release (the `release` section of the config file)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# A tag names a folder: letters, digits, dots, dashes and underscores only.
TAG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


class ReleaseConfig(BaseModel):
    """Where and how `corpus_release` writes the published `final_set` as a dataset."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    release_dir: Path = Field(
        default=Path("data/releases"),
        description="The folder of releases: one immutable sub-folder per version, `<tag>-<content hash>`.",
    )
    tag: str = Field(default="v1", pattern=TAG_PATTERN, description="The human part of the version.")
    first_date: dt.date | None = Field(default=None, description="First crawl date released (default: the first).")
    last_date: dt.date | None = Field(default=None, description="Last crawl date released (default: the last).")
    shard_text_bytes: int = Field(
        default=500_000_000, ge=1,
        description="Target UTF-8 bytes of text per shard: a shard is closed before the document that would take it "
        "past this (a single larger document has a shard of its own).",
    )
    formats: list[Literal["parquet", "dolma"]] = Field(
        default=["parquet"],
        description="parquet: `data/train-*.parquet` (zstd), what Hugging Face `datasets` and the Hub read; dolma: "
        "also `documents/train-*.jsonl.gz` in Dolma's document shape, what Dolma and OLMo tooling read.",
    )
    license: str = Field(
        default="other",
        description="The card's `license` (an SPDX id or `other`): the licence the corpus as a whole is released "
        "under; each page's own rights stay with its owner.",
    )
    pretty_name: str = Field(default="corpus_assets web corpus", description="The card's title.")

    @model_validator(mode="after")
    def _dates_in_order(self) -> ReleaseConfig:
        if "parquet" not in self.formats:
            raise ValueError("formats must include parquet: the card, the gate and the loaders read it")
        if self.first_date and self.last_date and self.first_date > self.last_date:
            raise ValueError(f"first_date {self.first_date} is after last_date {self.last_date}")
        if len(set(self.formats)) != len(self.formats):
            raise ValueError("formats lists a format twice")
        return self

