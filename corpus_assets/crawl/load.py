"""Turning a date's sources (the crawl archive and WARC files) into `raw_pages` rows, input records and drops,
as Arrow batches of bounded size."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa

from corpus_assets.crawl.archive import CrawlArchive
from corpus_assets.crawl.config import SourcesConfig
from corpus_assets.crawl.fetch import content_type_of, is_html
from corpus_assets.crawl.robots import TDMREP_PATH
from corpus_assets.crawl.urls import HTML_TYPES, host_of, page_id_for
from corpus_assets.crawl.warc_source import WarcReadStats, WarcSourceError, iter_warc_responses, read_record_at
from corpus_assets.drop_log import DropReasons, drop_record, drops_table

STAGE = "raw_pages"
DROP_REASONS = DropReasons(
    # What the web did, or the user chose (`scope`: a URL that crawl.allow_patterns / deny_patterns rule out).
    expected=frozenset({"robots", "scope", "not_html", "http_status", "duplicate_url", "refused_address"}),
    unexpected=frozenset({"timeout", "connection_error", "dns_error", "server_error", "too_large", "redirect_loop",
                          "too_many_redirects", "bad_redirect", "empty_body"}),
)

RAW_PAGES_SCHEMA = pa.schema(
    [
        ("page_id", pa.string()),
        ("crawl_date", pa.date32()),
        ("url", pa.string()),
        ("final_url", pa.string()),
        ("status", pa.int16()),
        ("content_type", pa.string()),
        ("headers", pa.string()),
        ("body", pa.binary()),
        ("body_bytes", pa.int64()),
        ("body_sha256", pa.string()),
        ("fetched_at", pa.timestamp("us", tz="UTC")),
        ("source", pa.string()),
        ("source_file", pa.string()),
        ("record_offset", pa.int64()),
        ("record_id", pa.string()),
        ("robots_decision", pa.string()),
    ]
)
HOST_FILES_SCHEMA = pa.schema(
    [
        ("crawl_date", pa.date32()),
        ("host", pa.string()),
        ("kind", pa.string()),
        ("url", pa.string()),
        ("status", pa.int16()),
        ("body", pa.binary()),
        ("truncated", pa.bool_()),
        ("fetched_at", pa.timestamp("us", tz="UTC")),
        ("source", pa.string()),
        ("source_file", pa.string()),
        ("record_offset", pa.int64()),
        ("record_id", pa.string()),
    ]
)
# Where a host publishes a file about its whole site, by the kind of file (a WARC source archives them as
# responses like any other: they are recognised by their URL).
HOST_FILE_PATHS = {"/robots.txt": "robots", TDMREP_PATH: "tdmrep"}
INPUTS_SCHEMA = pa.schema(
    [("crawl_date", pa.date32()), ("page_id", pa.string()), ("url", pa.string()), ("source", pa.string())]
)


@dataclass
class RawPagesBatch:
    rows: pa.Table
    inputs: pa.Table
    drops: pa.Table
    host_files: pa.Table


@dataclass
class _Accumulator:
    crawl_date: dt.date
    max_rows: int
    max_bytes: int
    rows: list[dict[str, Any]] = field(default_factory=list)
    inputs: list[dict[str, Any]] = field(default_factory=list)
    drops: list[dict[str, Any]] = field(default_factory=list)
    host_files: list[dict[str, Any]] = field(default_factory=list)
    copied_bytes: int = 0  # of the bodies the rows hold (not those left in their WARC files)

    def add_input(self, url: str, source: str) -> str:
        page_id = page_id_for(self.crawl_date.isoformat(), url)
        self.inputs.append({"crawl_date": self.crawl_date, "page_id": page_id, "url": url, "source": source})
        return page_id

    def add_host_file(self, kind: str, url: str, status: int, body: bytes, truncated: bool,
                      fetched_at: dt.datetime | None, source: str, source_file: str, offset: int,
                      record_id: str) -> None:
        """A host's robots.txt or TDMRep file; the body is kept only for a 2xx answer (anything else says
        the file is not there)."""
        self.host_files.append({
            "crawl_date": self.crawl_date, "host": host_of(url), "kind": kind, "url": url, "status": status,
            "body": body if 200 <= status < 300 else None, "truncated": truncated, "fetched_at": fetched_at,
            "source": source, "source_file": source_file, "record_offset": offset, "record_id": record_id,
        })

    def add_row(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        self.copied_bytes += len(row["body"] or b"")

    def full(self) -> bool:
        return len(self.inputs) >= self.max_rows or self.copied_bytes >= self.max_bytes

    def flush(self) -> RawPagesBatch:
        batch = RawPagesBatch(
            rows=pa.Table.from_pylist(self.rows, schema=RAW_PAGES_SCHEMA),
            inputs=pa.Table.from_pylist(self.inputs, schema=INPUTS_SCHEMA),
            drops=drops_table(self.drops),
            host_files=pa.Table.from_pylist(self.host_files, schema=HOST_FILES_SCHEMA),
        )
        self.rows, self.inputs, self.drops, self.host_files, self.copied_bytes = [], [], [], [], 0
        return batch


def _page_row(page_id: str, crawl_date: dt.date, url: str, final_url: str, status: int,
              headers: list[tuple[str, str]], body: bytes, fetched_at: dt.datetime | None, source: str,
              source_file: str, offset: int, record_id: str, robots_decision: str, *,
              copy_body: bool) -> dict[str, Any]:
    """A `raw_pages` row; without `copy_body` its body stays in the WARC file (NULL here: `body_of` reads it)."""
    return {
        "page_id": page_id,
        "crawl_date": crawl_date,
        "url": url,
        "final_url": final_url,
        "status": status,
        "content_type": content_type_of(headers),
        "headers": json.dumps(headers),
        "body": body if copy_body else None,
        "body_bytes": len(body),
        "body_sha256": hashlib.sha256(body).hexdigest(),
        "fetched_at": fetched_at,
        "source": source,
        "source_file": source_file,
        "record_offset": offset,
        "record_id": record_id,
        "robots_decision": robots_decision,
    }


def _host_file_kind(url: str) -> str | None:
    """'robots' or 'tdmrep' when `url` is where a host publishes that file, else None."""
    parts = urlsplit(url)
    return None if parts.query else HOST_FILE_PATHS.get(parts.path)


class BodyUnavailable(RuntimeError):
    """A raw page's body, kept in its WARC file, cannot be read back as it was loaded (the file moved or changed)."""


def body_of(page: Mapping[str, Any]) -> bytes:
    """The body of a `raw_pages` row (url, crawl_date, body, body_sha256, source_file, record_offset, record_id):
    its copy, or the record read again from its WARC file and checked against `body_sha256`. A file that is gone
    or changed raises `BodyUnavailable`, naming it: the page must not silently go missing from the next stage."""
    if page["body"] is not None:
        return page["body"]
    try:
        response = read_record_at(page["source_file"], page["record_offset"], page["record_id"])
    except (OSError, WarcSourceError) as error:
        problem = f"cannot be read ({error})"
    else:
        if response is None:
            problem = f"no longer holds record {page['record_id']} there"
        elif hashlib.sha256(response.body).hexdigest() != page["body_sha256"]:
            problem = "holds another body there than when raw_pages was loaded"
        else:
            return response.body
    raise BodyUnavailable(
        f"the body of {page['url']} ({page['crawl_date']}) is kept in {page['source_file']} at byte "
        f"{page['record_offset']}, which {problem}: put the file back, or materialize raw_pages for "
        f"{page['crawl_date']} again"
    )


def crawl_archive_problem(crawl_date: dt.date, sources: SourcesConfig, archive: CrawlArchive) -> str | None:
    """Why the date's crawl cannot be loaded, saying how to make it; None when there is none to load (no seeds)
    or it is complete. A crawl that is missing or unfinished is never loaded: its partition would look whole."""
    if not sources.seeds:
        return None
    if not archive.folder.exists():
        return (f"its crawl archive {archive.folder} does not exist: materialize crawl_archive for {crawl_date} first "
                f"(make run DATE={crawl_date} runs the whole chain; a backfill must select crawl_archive too)")
    if not archive.is_complete():
        return (f"the crawl of {crawl_date} in {archive.folder} is not complete: materialize crawl_archive for "
                f"{crawl_date} to finish it")
    return None


def why_no_input(crawl_date: dt.date, sources: SourcesConfig, archive: CrawlArchive, warc_files: list[str | Path],
                 warc_stats: WarcReadStats) -> str:
    """What is missing when a date's sources gave `raw_pages` nothing at all, and how to give it something."""
    if not sources.seeds and not sources.warc:
        return "no source is configured: add seed URLs (sources.seeds) or WARC files (sources.warc) to the config"
    reasons = [crawl_archive_problem(crawl_date, sources, archive) or
               f"its crawl archive {archive.folder} holds no page"] if sources.seeds else []
    for source in sources.warc:
        if not source.files_for(crawl_date):
            reasons.append(f"the WARC source {source.path} has no file for {crawl_date} (is its folder there?)")
    if warc_files:
        skipped = ", ".join(f"{kind}={n}" for kind, n in sorted(warc_stats.skipped.items())) or "none"
        reasons.append(f"its {len(warc_files)} WARC files hold no HTTP response record (skipped: {skipped})")
    return "; ".join(reasons)


def iter_raw_page_batches(
    crawl_date: dt.date,
    archive: CrawlArchive | None,
    warc_files: list[str | Path],
    warc_stats: WarcReadStats,
    *,
    max_rows: int = 500,
    max_bytes: int = 64 * 1024 * 1024,
    content_types: Collection[str] = HTML_TYPES,
    allow_private_networks: bool | list[str] = False,
    copy_bodies: bool = False,
) -> Iterator[RawPagesBatch]:
    """Every input of the date, the crawl archive first (if any), then WARC files (paths or URLs) in order; memory
    is bounded by one batch. A WARC source that cannot be read to its end, or whose URL is on an address
    `allow_private_networks` (the crawl setting) does not allow, raises `WarcSourceError`. A URL seen twice
    in one date is resolved later, in SQL (sql/raw_pages/duplicate_urls.sql).

    A row points at its body in the WARC file (source_file, record_offset) rather than copying it, when that
    record can be read again alone: every record of the crawl archive, and every record of a local WARC file that
    FastWARC read. A record only the recovery reader could frame, and every record of a URL source, is copied, as
    is every body with `copy_bodies`."""
    acc = _Accumulator(crawl_date, max_rows, max_bytes)
    for outcome in archive.outcomes() if archive is not None else []:
        kind = outcome.get("kind", "page")
        if kind in HOST_FILE_PATHS.values() and outcome["outcome"] == "fetched" and outcome.get("warc_file"):
            response = archive.response(outcome)
            acc.add_host_file(kind, outcome["url"], response.status, response.body, response.truncated,
                              dt.datetime.fromisoformat(outcome["fetched_at"]), "crawl", response.warc_file,
                              response.offset, response.record_id)
        if kind != "page":
            continue
        url = outcome["url"]
        page_id = acc.add_input(url, "crawl")
        if outcome["outcome"] != "fetched":
            acc.drops.append(drop_record(crawl_date, page_id, url, STAGE, outcome["outcome"], outcome.get("detail", "")))
        else:
            response = archive.response(outcome)
            if not response.body:
                acc.drops.append(drop_record(crawl_date, page_id, url, STAGE, "empty_body", "the response had no body"))
            else:
                acc.add_row(
                    _page_row(page_id, crawl_date, url, outcome.get("final_url") or url, response.status,
                              response.headers, response.body, dt.datetime.fromisoformat(outcome["fetched_at"]),
                              "crawl", response.warc_file, response.offset, response.record_id, "allowed",
                              copy_body=copy_bodies)
                )
        if acc.full():
            yield acc.flush()
    for path in warc_files:
        for response in iter_warc_responses(path, warc_stats, allow_private_networks=allow_private_networks):
            host_file = _host_file_kind(response.url)
            if host_file:
                acc.add_host_file(host_file, response.url, response.status, response.body, False,
                                  response.fetched_at, "warc", response.warc_file, response.offset,
                                  response.record_id)
            page_id = acc.add_input(response.url, "warc")
            content_type = content_type_of(response.headers)
            if not 200 <= response.status < 300:
                acc.drops.append(drop_record(crawl_date, page_id, response.url, STAGE, "http_status", f"HTTP {response.status}"))
            elif not is_html(content_type, content_types):
                acc.drops.append(drop_record(crawl_date, page_id, response.url, STAGE, "not_html", f"Content-Type {content_type or '(none)'}"))
            elif not response.body:
                acc.drops.append(drop_record(crawl_date, page_id, response.url, STAGE, "empty_body", "the record had no payload"))
            else:
                acc.add_row(
                    _page_row(page_id, crawl_date, response.url, response.url, response.status, response.headers,
                              response.body, response.fetched_at, "warc", response.warc_file, response.offset,
                              response.record_id, "not_applicable", copy_body=copy_bodies or not response.seekable)
                )
            if acc.full():
                yield acc.flush()
    yield acc.flush()
