"""Files assigned to crawl dates, by `{date}` in their path or a fixed date: what a WARC source and a first-party
document source share (`sources.warc`, `sources.documents`)."""

from __future__ import annotations

import datetime as dt
import fnmatch
import glob
import re
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator


class FrozenSection(BaseModel):
    """A config section: unknown keys are errors, values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


DATE_PLACEHOLDER = "{date}"
ISO_DATE_GLOB = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"


def _glob_as_regex(pattern: str) -> str:
    # fnmatch.translate gives "(?s:...)\\Z"; the inside is what may be joined with other parts.
    return re.fullmatch(r"\(\?s:(.*)\)\\Z", fnmatch.translate(pattern), re.S).group(1)


def _date_capturing_regex(path_pattern: str) -> str:
    """A regex matching the files of a `{date}` glob, capturing the date (every `{date}` must agree)."""
    first, *rest = (_glob_as_regex(part) for part in path_pattern.split(DATE_PLACEHOLDER))
    return "(?s:" + first + r"(?P<date>\d{4}-\d{2}-\d{2})" + "(?P=date)".join(rest) + r")\Z"


class DatedFiles(FrozenSection):
    """Files assigned to crawl dates: a path or glob with `{date}` (YYYY-MM-DD) in it, or with a fixed crawl date.
    What a WARC source and a first-party document source share."""

    path: str = Field(
        description="Local path or glob (`data/cc/{date}/*.warc.gz`); `{date}` is replaced by the partition's "
        "date, YYYY-MM-DD."
    )
    crawl_date: dt.date | None = Field(
        default=None, description="The crawl date of every matching file, for paths without `{date}`."
    )

    label: ClassVar[str] = "source"  # what an error calls it

    @property
    def is_url(self) -> bool:
        """Whether this source is an http(s) URL (streamed) rather than local files."""
        return False

    @model_validator(mode="after")
    def _date_is_known(self) -> DatedFiles:
        if (DATE_PLACEHOLDER in self.path) == (self.crawl_date is not None):
            raise ValueError(
                f"{self.label} {self.path!r}: give either a path with '{DATE_PLACEHOLDER}' in it, "
                "or a path and a crawl_date, so every file belongs to exactly one crawl date"
            )
        return self

    def files_for(self, crawl_date: dt.date) -> list[str]:
        """The files (local paths or one URL) of this source that belong to `crawl_date`, sorted so the load
        order is stable. A URL is listed as it is, `{date}` filled in: whether it exists is known on reading."""
        if self.crawl_date is not None and self.crawl_date != crawl_date:
            return []
        location = self.path.replace(DATE_PLACEHOLDER, crawl_date.isoformat())
        if self.is_url:
            return [location]
        location = location.removeprefix("file://")
        return sorted(p for p in glob.glob(location, recursive=True) if Path(p).is_file())

    def dated_files(self) -> dict[Path, dt.date]:
        """Every local file this source holds now, each with the crawl date it belongs to (what the WARC sensor
        watches; a URL source has no folder to watch)."""
        if self.is_url:
            return {}
        local = self.path.removeprefix("file://")
        if self.crawl_date is not None:
            return {Path(p): self.crawl_date for p in glob.glob(local, recursive=True) if Path(p).is_file()}
        pattern = local.replace(DATE_PLACEHOLDER, ISO_DATE_GLOB)
        # The date is read back from the place `{date}` holds in the path, not from anywhere else in it.
        date_at = re.compile(_date_capturing_regex(local))
        files: dict[Path, dt.date] = {}
        for path in glob.glob(pattern, recursive=True):
            found = date_at.match(path) if Path(path).is_file() else None
            if found is None:
                continue
            try:
                files[Path(path)] = dt.date.fromisoformat(found.group("date"))
            except ValueError:  # 2026-13-45 matches the glob but is no date
                continue
        return files
