"""Reading pages from WARC files given as sources (Common Crawl, wget, other crawlers)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from corpus_assets.crawl.urls import normalize_url


@dataclass(frozen=True)
class WarcResponse:
    """One HTTP response record of a WARC file, with its place in the file."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    record_id: str
    fetched_at: dt.datetime | None
    warc_file: str
    offset: int


@dataclass
class WarcReadStats:
    """Records seen but not returned, by kind (request, metadata, revisit, broken...)."""

    skipped: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


def _warc_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def iter_warc_responses(path: Path, stats: WarcReadStats) -> Iterator[WarcResponse]:
    """HTTP response records of one WARC file (gzip or plain); everything else is counted in `stats`."""
    with open(path, "rb") as stream:
        records = ArchiveIterator(stream, arc2warc=True)
        try:
            for record in records:
                if record.rec_type != "response":
                    stats.skipped[record.rec_type or "unknown"] += 1
                    continue
                if record.http_headers is None or not str(record.rec_headers.get_header("Content-Type", "")).startswith("application/http"):
                    stats.skipped["non_http_response"] += 1
                    continue
                target = record.rec_headers.get_header("WARC-Target-URI") or ""
                url = normalize_url(target.strip().strip("<>"))
                if url is None:
                    stats.skipped["bad_target_uri"] += 1
                    continue
                try:
                    status = int(record.http_headers.get_statuscode())
                    body = record.content_stream().read()
                except Exception as error:  # a cut or mis-encoded payload loses this record, not the file
                    stats.skipped["broken"] += 1
                    stats.errors.append(f"{path}@{records.get_record_offset()}: {type(error).__name__}: {error}")
                    continue
                yield WarcResponse(
                    url=url,
                    status=status,
                    headers=list(record.http_headers.headers),
                    body=body,
                    record_id=record.rec_headers.get_header("WARC-Record-ID") or "",
                    fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
                    warc_file=str(path),
                    offset=records.get_record_offset(),
                )
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as error:
            stats.skipped["broken"] += 1
            stats.errors.append(f"{path}: {type(error).__name__}: {error}")
