"""The per-date crawl archive: standard WARC files of every request and response, plus one outcome line per URL.

The archive is the crawl's memory. A date's first materialization writes it; a later one replays it without any
network access; an interrupted crawl resumes from it, because an outcome line is written only after the WARC
records it points to are on disk.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpus_assets.crawl.fetch import Exchange, FetchResult

OUTCOMES_FILE = "outcomes.jsonl"
COMPLETE_FILE = "COMPLETE.json"


@dataclass(frozen=True)
class ArchivedResponse:
    """A response record read back from a WARC file, with where it was found."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    record_id: str
    warc_date: str
    warc_file: str
    offset: int
    truncated: bool = False  # WARC-Truncated: the body is the first part of a longer one


def read_response_record(path: Path, offset: int) -> ArchivedResponse:
    """The response record at `offset` of a WARC file."""
    with open(path, "rb") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)))
        return ArchivedResponse(
            url=record.rec_headers.get_header("WARC-Target-URI"),
            status=int(record.http_headers.get_statuscode()),
            headers=list(record.http_headers.headers),
            body=record.content_stream().read(),
            record_id=record.rec_headers.get_header("WARC-Record-ID"),
            warc_date=record.rec_headers.get_header("WARC-Date"),
            warc_file=str(path),
            offset=offset,
            truncated=bool(record.rec_headers.get_header("WARC-Truncated")),
        )


class CrawlArchive:
    """The archive folder of one crawl date."""

    def __init__(self, folder: Path):
        self.folder = folder

    @property
    def outcomes_path(self) -> Path:
        return self.folder / OUTCOMES_FILE

    def is_complete(self) -> bool:
        return (self.folder / COMPLETE_FILE).is_file()

    def summary(self) -> dict[str, Any]:
        return json.loads((self.folder / COMPLETE_FILE).read_text())

    def mark_complete(self, summary: dict[str, Any]) -> None:
        temporary = self.folder / f"{COMPLETE_FILE}.tmp"
        temporary.write_text(json.dumps(summary, indent=2, sort_keys=True))
        os.replace(temporary, self.folder / COMPLETE_FILE)

    def outcome_lines(self) -> Iterator[dict[str, Any]]:
        """Every complete outcome line in write order, retried URLs' earlier lines included; a line cut short by a
        crash is ignored."""
        if not self.outcomes_path.is_file():
            return
        with open(self.outcomes_path, encoding="utf-8") as lines:
            for line in lines:
                if not line.endswith("\n"):
                    return
                yield json.loads(line)

    def outcomes(self) -> list[dict[str, Any]]:
        """The outcome of every URL: its last line (a retry supersedes the failure before it), in the order of
        those last lines."""
        latest: dict[tuple[str, str], dict[str, Any]] = {}
        for outcome in self.outcome_lines():
            key = (outcome.get("kind", "page"), outcome["url"])
            latest.pop(key, None)  # re-inserted: a URL's place is that of its last line
            latest[key] = outcome
        return list(latest.values())

    def discard(self, into: Path) -> Path | None:
        """Move this archive aside, under `into`, so that the date is crawled afresh (nothing is deleted); returns
        where it went, None when there was no archive."""
        if not self.folder.exists():
            return None
        into.mkdir(parents=True, exist_ok=True)
        target = into / f"{self.folder.name}-discarded-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%fZ}"
        os.replace(self.folder, target)
        return target

    def warc_files(self) -> list[Path]:
        return sorted(self.folder.glob("crawl-*.warc.gz"))

    def response(self, outcome: dict[str, Any]) -> ArchivedResponse:
        return read_response_record(self.folder / outcome["warc_file"], outcome["offset"])

    def writer(self, crawl_date: dt.date) -> ArchiveWriter:
        """A writer on a new WARC file: a resumed crawl never appends to a file a crash may have cut."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._cut_what_a_crash_left()
        name = f"crawl-{crawl_date:%Y%m%d}-{len(self.warc_files()):05d}.warc.gz"
        return ArchiveWriter(self.folder / name, self.outcomes_path)


    def _cut_what_a_crash_left(self) -> None:
        """A process killed mid-write leaves half an outcome line (later lines appended to it would be lost) and
        half a WARC record at the end of its file (which any WARC reader would trip on). Both are cut back to the
        last complete line and record; nothing an outcome line points to is ever in the cut part, because the
        records are flushed before their outcome line is written."""
        if self.outcomes_path.is_file():
            text = self.outcomes_path.read_bytes()
            if text and not text.endswith(b"\n"):
                os.truncate(self.outcomes_path, text.rfind(b"\n") + 1)
        files = self.warc_files()
        if files:
            complete = complete_gzip_members_length(files[-1])
            if complete < files[-1].stat().st_size:
                os.truncate(files[-1], complete)


def complete_gzip_members_length(path: Path, chunk_size: int = 1 << 20) -> int:
    """The length of the leading run of complete gzip members of a file (one WARC record each)."""
    complete = consumed = 0
    member = zlib.decompressobj(wbits=31)
    with open(path, "rb") as stream:
        while chunk := stream.read(chunk_size):
            data = chunk
            while data:
                try:
                    member.decompress(data, 1 << 16)  # the output is not needed; bounded so a big member is cheap
                    while member.unconsumed_tail and not member.eof:
                        member.decompress(member.unconsumed_tail, 1 << 16)
                except zlib.error:
                    return complete
                if not member.eof:
                    consumed += len(data)
                    break
                consumed += len(data) - len(member.unused_data)
                complete = consumed
                data = member.unused_data
                member = zlib.decompressobj(wbits=31)
    return complete


class ArchiveWriter:
    """Appends WARC records and outcome lines; each outcome is flushed after the records it references."""

    def __init__(self, warc_path: Path, outcomes_path: Path):
        self.warc_path = warc_path
        self._warc = open(warc_path, "ab")
        self._writer = WARCWriter(self._warc, gzip=True)
        self._outcomes = open(outcomes_path, "a", encoding="utf-8")
        self._writer.write_record(
            self._writer.create_warcinfo_record(
                warc_path.name, {"software": "corpus_assets", "format": "WARC File Format 1.1"}
            )
        )

    def close(self) -> None:
        self._warc.close()
        self._outcomes.close()

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _write_exchange(self, exchange: Exchange) -> tuple[int, str]:
        stamp = exchange.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        parts = urlsplit(exchange.url)
        request_target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request = self._writer.create_warc_record(
            exchange.url,
            "request",
            payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(
                f"GET {request_target} {exchange.http_version}", exchange.request_headers, is_http_request=True
            ),
            warc_headers_dict={"WARC-Date": stamp},
        )
        response = self._writer.create_warc_record(
            exchange.url,
            "response",
            payload=io.BytesIO(exchange.body),
            length=len(exchange.body),
            http_headers=StatusAndHeaders(
                f"{exchange.status} {exchange.reason_phrase}".strip(), exchange.headers, protocol=exchange.http_version
            ),
            # WARC 1.1's own mark of a body cut short on purpose ("length": at a size limit)
            warc_headers_dict={"WARC-Date": stamp, **({"WARC-Truncated": "length"} if exchange.truncated else {})},
        )
        self._writer.write_record(request)
        offset = self._warc.tell()
        self._writer.write_record(response)
        return offset, response.rec_headers.get_header("WARC-Record-ID")

    def record(self, result: FetchResult, **fields: Any) -> dict[str, Any]:
        """Archive every exchange of `result`, then its outcome line; returns the outcome."""
        location: dict[str, Any] = {}
        for exchange in result.exchanges:
            offset, record_id = self._write_exchange(exchange)
            location = {"warc_file": self.warc_path.name, "offset": offset, "record_id": record_id}
        self._warc.flush()
        response = result.response
        outcome = {
            "url": result.url,
            "outcome": result.outcome,
            "detail": result.detail,
            "final_url": result.final_url,
            "status": response.status if response else None,
            "fetched_at": response.fetched_at.isoformat() if response else dt.datetime.now(dt.UTC).isoformat(),
            "attempts": result.attempts,
            **location,
            **fields,
        }
        return self.record_outcome(outcome)

    def record_outcome(self, outcome: dict[str, Any]) -> dict[str, Any]:
        self._outcomes.write(json.dumps(outcome, sort_keys=True) + "\n")
        self._outcomes.flush()
        return outcome
