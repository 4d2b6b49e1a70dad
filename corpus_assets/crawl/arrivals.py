"""Which WARC files of the configured sources are ready to load, grouped by the crawl date they belong to."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from corpus_assets.crawl.config import SourcesConfig


@dataclass(frozen=True, order=True)
class WarcFileState:
    """A file as the sensor saw it: a changed size or modification time makes it a new arrival."""

    path: Path
    size: int
    mtime_ns: int


def settled_warc_files(sources: SourcesConfig, now: float) -> dict[dt.date, list[WarcFileState]]:
    """Files of every local WARC source untouched for `warc_settle_seconds`, by crawl date, oldest date first.

    A file still being copied keeps changing its modification time, so it waits for a later evaluation rather
    than being loaded half-written.
    """
    by_date: dict[dt.date, list[WarcFileState]] = {}
    for source in sources.warc:
        for path, crawl_date in source.dated_files().items():
            try:
                stat = path.stat()
            except FileNotFoundError:  # moved away between the listing and now
                continue
            if now - stat.st_mtime < sources.warc_settle_seconds:
                continue
            by_date.setdefault(crawl_date, []).append(WarcFileState(path, stat.st_size, stat.st_mtime_ns))
    return {date: sorted(set(files)) for date, files in sorted(by_date.items())}


def arrival_key(crawl_date: dt.date, files: list[WarcFileState]) -> str:
    """The same set of files for a date gives the same key, so each arrival is loaded once; a new or changed
    file gives a new key, and the date is loaded again with all of its files."""
    digest = hashlib.sha256("\n".join(f"{f.path}\t{f.size}\t{f.mtime_ns}" for f in files).encode()).hexdigest()
    return f"warc:{crawl_date.isoformat()}:{digest[:16]}"
