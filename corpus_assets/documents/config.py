"""A first-party document source (`sources.documents` in the config): files, their crawl dates, their rights."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, field_validator

from corpus_assets.dated_files import DatedFiles

DocumentFormat = Literal["jsonl", "parquet", "csv"]
# File endings that say the format when `format` is not given.
FORMAT_BY_SUFFIX: dict[str, DocumentFormat] = {
    ".jsonl": "jsonl", ".jsonl.gz": "jsonl", ".json.gz": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet",
    ".csv": "csv", ".csv.gz": "csv",
}


class DocumentSource(DatedFiles):
    """Files of documents, one per row (JSON Lines, optionally gzipped, Parquet or CSV), assigned to crawl dates like
    a WARC source. `licence` and `origin` are required: a corpus must be able to say under what terms every document
    came, and from whom."""

    label: ClassVar[str] = "document source"

    licence: str = Field(
        min_length=1,
        description="The licence every document of the source is used under: an SPDX identifier (CC-BY-4.0) or "
        "LicenseRef-<name> for a contract.",
    )
    origin: str = Field(min_length=1, description="Who or what the documents come from (a team, a vendor, a deal).")
    format: DocumentFormat | None = Field(default=None, description="jsonl, parquet or csv; by default the ending.")
    id_field: str = Field(default="id", description="The field holding a document's id, unique in the source.")
    text_field: str = Field(default="text", description="The field holding a document's text.")
    title_field: str | None = Field(default=None, description="A field holding a document's title, if any.")
    url_field: str | None = Field(
        default=None,
        description="A field holding a document's URL; without one a document is named "
        "urn:document:<origin>:<id>.",
    )

    @field_validator("licence", "origin")
    @classmethod
    def _stated(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must be stated (it reaches every document's provenance and the release)")
        return value.strip()

    def format_of(self, path: str) -> DocumentFormat:
        """The format of one of the source's files: `format`, or the file's ending."""
        if self.format:
            return self.format
        lowered = path.lower()
        for suffix, kind in sorted(FORMAT_BY_SUFFIX.items(), key=lambda item: -len(item[0])):
            if lowered.endswith(suffix):
                return kind
        raise ValueError(f"document source {self.path!r}: cannot tell the format of {path} from its ending "
                         f"(one of {', '.join(FORMAT_BY_SUFFIX)}); set `format`")
