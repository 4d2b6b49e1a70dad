"""Settings of the extraction stage (the `extract` section of the config file)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ExtractConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    extractor: Literal["builtin", "trafilatura", "resiliparse"] = Field(
        default="builtin",
        description="builtin (lxml, boilerplate removal by structure and link density), trafilatura, or "
        "resiliparse (fastest); recorded per row.",
    )
    languages: list[str] = Field(default=["en"], description="ISO 639-1 codes of the languages kept.")
    min_language_score: float = Field(
        default=0.65, ge=0, le=1, description="fastText (lid.176) confidence required, FineWeb's 0.65."
    )
    min_words: int = Field(default=20, ge=1, description="Below this many words a page has no usable text.")
