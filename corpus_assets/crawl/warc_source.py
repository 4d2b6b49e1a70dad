"""Reading pages from WARC files given as sources (Common Crawl, wget, other crawlers).

A source is a local file or an http(s) URL, gzip (one member per record, or one member for the whole file) or
plain. Records are framed here, not by warcio, so that a broken record costs that record only: a record that is
cut short, whose Content-Length does not match, whose block does not match its WARC-Block-Digest, or whose gzip
member is corrupt is counted with its offset and a reason, and reading resumes at the next `WARC/1.x` header
line (or the next gzip member). warcio then parses each well-framed record on its own (HTTP headers, chunked
transfer, content encodings).

That recovery reader is slow. A local file is read by FastWARC (C++ framing, gzip and digests) for as long as
every record is one the recovery reader would frame the same way, and by the recovery reader from the first
record in doubt on; the results are the same either way (corpus_assets_tests/crawl/test_warc_fast_path.py).

Provenance: `offset` is where the record can be read again in its file. For plain files and files with one
gzip member per record (Common Crawl, wget) it is the record's own offset, which `warcio` can seek to. For a
file gzipped as one stream it is the offset of the gzip member holding the record (0): decompress that member
and find the record by its WARC-Record-ID (`read_record_at` does either).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import contextlib
import dataclasses
import datetime as dt
import hashlib
import io
import os
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote, urljoin

import requests
from fastwarc.warc import ArchiveIterator as FastArchiveIterator
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader, ChunkedDataReader
from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser

from corpus_assets.crawl.fetch import REDIRECT_STATUSES, connection_error_detail, guarded_session, refused_address
from corpus_assets.crawl.netguard import AddressPolicy
from corpus_assets.crawl.urls import is_url, normalize_url

READ_CHUNK_BYTES = 64 * 1024
MAX_HEADER_BYTES = 64 * 1024
# A record longer than this is skipped without being held in memory (counted as too_large).
MAX_RECORD_BYTES = 64 * 1024 * 1024
DECODE_PIECE_BYTES = 4 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b\x08"
# A record starts at a line holding only the WARC version.
RECORD_START = re.compile(rb"(?:^|\n)(WARC/[01]\.\d+\r?\n)")
BLANK_RUN = re.compile(rb"[\r\n]*")
URL_CONNECT_TIMEOUT_SECONDS = 10.0
URL_READ_TIMEOUT_SECONDS = 60.0
MAX_URL_REDIRECTS = 5


class WarcSourceError(RuntimeError):
    """A source could not be read to its end (a URL that failed or was cut midway): the message names the
    source and the byte offset reached, so a partition is never published silently short."""


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
    # Read by FastWARC from a local file with one record per gzip member (or a plain file): `read_record_at` finds
    # it again at `offset` by reading that record alone, so a row may point at it instead of copying its body.
    # Not a difference in content: two reads of the same record compare equal whichever path read them.
    seekable: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class BrokenRecord:
    """A record that could not be read, where it starts and why."""

    warc_file: str
    offset: int
    reason: str
    detail: str = ""

    def describe(self) -> str:
        """One line for a log."""
        return f"{self.warc_file}@{self.offset}: {self.reason}" + (f" ({self.detail})" if self.detail else "")


@dataclass
class WarcReadStats:
    """Records seen but not returned: `skipped` by kind (request, metadata, revisit, conversion (WET text),
    non_http_response, bad_target_uri, broken...) and every broken record with its offset and reason."""

    skipped: Counter = field(default_factory=Counter)
    broken: list[BrokenRecord] = field(default_factory=list)
    responses: int = 0

    def add_broken(self, record: BrokenRecord) -> None:
        """Count a broken record under `broken` and keep where it was."""
        self.skipped["broken"] += 1
        self.broken.append(record)

    def as_metadata(self, max_broken: int = 100) -> dict:
        """What a load reports: responses returned, skipped records by kind, broken records by reason and the
        first `max_broken` of them with their offsets."""
        return {
            "responses_read": self.responses,
            "skipped_by_kind": dict(sorted(self.skipped.items())),
            "broken_by_reason": dict(sorted(Counter(b.reason for b in self.broken).items())),
            "broken": [b.__dict__ for b in self.broken[:max_broken]],
        }


def _warc_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def target_url(target: str) -> str | None:
    """The normalised http(s) URL of a WARC-Target-URI, or None. wget writes `<url>`; some writers leave spaces
    and other characters a URL may not hold, which are percent-encoded rather than losing the page."""
    cleaned = target.strip().removeprefix("<").removesuffix(">").strip()
    return normalize_url(quote(cleaned, safe=":/?#[]@!$&'()*+,;=%~"))


# ---------------------------------------------------------------------------------------------------- byte layer


@dataclass
class _Data:
    """Decompressed bytes; `member_offset` is the file offset of the gzip member they came from (None: plain)."""

    member_offset: int | None
    data: bytes


@dataclass
class _Gap:
    """Bytes were lost here (a corrupt or cut gzip member): a record open across it is broken."""

    offset: int
    reason: str


class _CountingReader:
    """Reads a binary stream chunk by chunk, knows how far it got, and names the source in any read error."""

    def __init__(self, stream: BinaryIO, name: str):
        self.stream, self.name, self.position = stream, name, 0

    def read(self) -> bytes:
        try:
            chunk = self.stream.read(READ_CHUNK_BYTES)
        except Exception as error:  # a socket or protocol error from a URL, an I/O error from a disk
            raise WarcSourceError(f"{self.name}: read failed at byte {self.position}: {error}") from error
        self.position += len(chunk)
        return chunk


def _gzip_events(reader: _CountingReader, head: bytes) -> Iterator[_Data | _Gap]:
    """Decompressed data of every gzip member in turn. A corrupt member is a gap, and decoding resumes at the
    next gzip header found after it; a member cut by the end of the file is a gap at its start."""
    pending, consumed = head, 0  # consumed: the file offset of pending[0]
    member_offset, decoder = 0, zlib.decompressobj(31)
    while True:
        if not pending:
            pending = reader.read()
            if not pending:
                if decoder is not None and not decoder.eof:
                    yield _Gap(member_offset, "truncated_gzip_member")
                return
        if decoder is None:  # resynchronising: look for the next member header
            found = pending.find(GZIP_MAGIC)
            if found < 0:
                keep = len(GZIP_MAGIC) - 1  # a header may straddle two reads
                more = reader.read()
                if not more:
                    return
                consumed += max(0, len(pending) - keep)
                pending = pending[-keep:] + more
                continue
            consumed += found
            pending = pending[found:]
            member_offset, decoder = consumed, zlib.decompressobj(31)
        try:
            # Bounded output per call: a member of compressed zeros (a gzip bomb) comes out in pieces the record
            # layer can count and skip, never as one gigabyte string.
            output = decoder.decompress(pending, DECODE_PIECE_BYTES)
        except zlib.error as error:
            yield _Gap(member_offset, f"bad_gzip_member: {error}")
            # the scan for the next member starts after this member's own header
            skip = 1 if consumed == member_offset else 0
            consumed, pending, decoder = consumed + skip, pending[skip:], None
            continue
        if output:
            yield _Data(member_offset, output)
        if decoder.unconsumed_tail and not decoder.eof:  # more output is waiting in this same input
            consumed += len(pending) - len(decoder.unconsumed_tail)
            pending = decoder.unconsumed_tail
            continue
        if not decoder.eof:
            consumed, pending = consumed + len(pending), b""
            continue
        consumed += len(pending) - len(decoder.unused_data)
        pending = decoder.unused_data or reader.read()
        if not pending:
            return
        if pending.startswith(GZIP_MAGIC[:1]):
            member_offset, decoder = consumed, zlib.decompressobj(31)
        else:
            yield _Gap(consumed, "not_gzip_data")  # bytes between members that are not a member
            decoder = None


def _plain_events(reader: _CountingReader, head: bytes) -> Iterator[_Data | _Gap]:
    yield _Data(None, head)
    while chunk := reader.read():
        yield _Data(None, chunk)


def _byte_events(stream: BinaryIO, name: str) -> Iterator[_Data | _Gap]:
    reader = _CountingReader(stream, name)
    head = reader.read()
    if head.startswith(GZIP_MAGIC[:2]):
        return _gzip_events(reader, head)
    return _plain_events(reader, head)


# --------------------------------------------------------------------------------------------------- record layer


@dataclass(frozen=True)
class _Frame:
    """One well-framed record: its WARC header block, content block and file offset."""

    offset: int
    header: bytes
    block: bytes
    fields: dict[str, str]


class _Framer:
    """Cuts decompressed bytes into records, resynchronising at the next record header after anything broken."""

    def __init__(self, events: Iterator[_Data | _Gap], name: str, stats: WarcReadStats, base: int = 0):
        self.events, self.name, self.stats = events, name, stats
        self.base = base  # the file offset reading started at: offsets below are counted from it
        self.buffer = bytearray()
        self.start = 0  # decompressed position of buffer[0]
        self.members: list[tuple[int, int]] = []  # (decompressed position, member offset), ascending
        self.gap: _Gap | None = None
        self.ended = False

    def _pull(self) -> bool:
        """Add the next data to the buffer; False at the end of the source or at a gap."""
        if self.gap is not None or self.ended:
            return False
        for event in self.events:
            if isinstance(event, _Gap):
                self.gap = event
                return False
            if event.member_offset is not None and (not self.members or self.members[-1][1] != event.member_offset):
                self.members.append((self.start + len(self.buffer), event.member_offset))
            self.buffer += event.data
            return True
        self.ended = True
        return False

    def _fill(self, size: int) -> bool:
        while len(self.buffer) < size:
            if not self._pull():
                return False
        return True

    def _drop(self, size: int) -> None:
        del self.buffer[:size]
        self.start += size
        # only the member holding the buffer's first byte and later ones are still needed for offsets
        while len(self.members) > 1 and self.members[1][0] <= self.start:
            self.members.pop(0)

    def _offset_of(self, position: int) -> int:
        """The file offset to read the record starting at decompressed `position` from."""
        if not self.members:
            return self.base + position
        index = bisect.bisect_right(self.members, (position, float("inf"))) - 1
        return self.base + self.members[max(index, 0)][1]

    def _broken(self, position: int, reason: str, detail: str = "") -> None:
        self.stats.add_broken(BrokenRecord(self.name, self._offset_of(position), reason, detail))

    def _skip_blank(self) -> None:
        while True:
            self._drop(BLANK_RUN.match(self.buffer).end())
            if self.buffer or not self._pull():
                return

    def _resync(self, reason: str) -> None:
        """Skip to the next line holding a WARC version, counting what was skipped as one broken record."""
        self._broken(self.start, reason)
        scan_from = 1
        while True:
            match = RECORD_START.search(self.buffer, scan_from)
            if match:
                self._drop(match.start(1))
                return
            keep = 16  # a header line may straddle two reads
            self._drop(max(0, len(self.buffer) - keep))
            scan_from = 0
            if not self._pull():
                self._drop(len(self.buffer))
                return

    def _after_gap(self) -> None:
        """Whatever is buffered before a gap is part of a record the gap broke; reading resumes after it. A gap
        with nothing before it is a member that gave no data at all (zlib keeps back the output of a call that
        fails its checksum): it is counted at its own offset."""
        assert self.gap is not None
        if self.buffer.strip(b"\r\n"):
            self._broken(self.start, self.gap.reason)
        else:
            self.stats.add_broken(BrokenRecord(self.name, self.base + self.gap.offset, self.gap.reason))
        self._drop(len(self.buffer))
        self.gap = None

    def frames(self) -> Iterator[_Frame]:
        """Every well-framed record; broken ones are counted in the stats."""
        while True:
            self._skip_blank()
            if not self.buffer:
                if self.gap is not None:
                    self._after_gap()
                    continue
                return
            self._fill(16)
            if RECORD_START.match(self.buffer) is None:
                if len(self.buffer) < 16 and self.gap is not None:
                    self._after_gap()
                else:
                    self._resync("no_record_header")
                continue
            frame = self._next_frame()
            if frame is not None:
                yield frame

    def _next_frame(self) -> _Frame | None:
        while (header_end := self.buffer.find(b"\r\n\r\n", 0, MAX_HEADER_BYTES)) < 0:
            if len(self.buffer) >= MAX_HEADER_BYTES:
                self._resync("header_too_long")
                return None
            if not self._pull():
                self._resync_truncated("truncated_header")
                return None
        header = bytes(self.buffer[: header_end + 4])
        fields = _header_fields(header)
        try:
            length = int(fields.get("content-length", ""))
            if length < 0:
                raise ValueError(length)
        except ValueError:
            self._resync("bad_content_length")
            return None
        end = header_end + 4 + length
        if length > MAX_RECORD_BYTES:
            self._skip_large(end)
            return None
        if not self._fill(end):
            self._resync_truncated("truncated")
            return None
        self._fill(end + 64)
        trailer = self.buffer[end : end + 64].lstrip(b"\r\n")
        if trailer and not RECORD_START.match(trailer):
            # the block is not followed by the next record: its Content-Length is wrong, so is its content
            self._resync("length_mismatch")
            return None
        frame = _Frame(self._offset_of(self.start), header, bytes(self.buffer[header_end + 4 : end]), fields)
        self._drop(end)
        return frame

    def _resync_truncated(self, reason: str) -> None:
        """A record cut by the end of the data (or a gap): anything after its header line may still hold later
        records (a Content-Length too large swallows them), so the scan restarts there."""
        self._broken(self.start, self.gap.reason if self.gap is not None else reason)
        match = RECORD_START.search(self.buffer, 1)
        if match:
            self._drop(match.start(1))
        else:  # the gap, if any, is accounted for by this record
            self._drop(len(self.buffer))
            self.gap = None

    def _skip_large(self, end: int) -> None:
        self._broken(self.start, "too_large", f"record of more than {MAX_RECORD_BYTES} bytes")
        while len(self.buffer) < end:
            end -= len(self.buffer)
            self._drop(len(self.buffer))
            if not self._pull():
                return
        self._drop(end)


def _header_fields(header: bytes) -> dict[str, str]:
    fields = {}
    for line in header.decode("utf-8", "replace").split("\r\n")[1:]:
        name, sep, value = line.partition(":")
        if sep:
            fields.setdefault(name.strip().lower(), value.strip())
    return fields


# ------------------------------------------------------------------------------------------------ response layer


def _response_url(frame: _Frame, name: str, stats: WarcReadStats) -> str | None:
    """The page URL of an HTTP response record, or None with the record counted as skipped or broken."""
    kind = frame.fields.get("warc-type", "").lower() or "unknown"
    if kind != "response":
        stats.skipped[kind] += 1
        return None
    if not frame.fields.get("content-type", "").lower().startswith("application/http"):
        stats.skipped["non_http_response"] += 1
        return None
    url = target_url(frame.fields.get("warc-target-uri", ""))
    if url is None:
        stats.skipped["bad_target_uri"] += 1
        return None
    if frame.fields.get("warc-truncated"):
        # the crawler kept only part of the payload (length limit, timeout): not a page to train on
        stats.add_broken(BrokenRecord(name, frame.offset, "warc_truncated", frame.fields["warc-truncated"]))
        return None
    return url


def _http_response(frame: _Frame, name: str, stats: WarcReadStats) -> WarcResponse | None:
    url = _response_url(frame, name, stats)
    return None if url is None else _warcio_response(frame, name, stats, url)


def _warcio_response(frame: _Frame, name: str, stats: WarcReadStats, url: str) -> WarcResponse | None:
    try:
        record = next(iter(ArchiveIterator(io.BytesIO(frame.header + frame.block + b"\r\n\r\n"))))
        status = int(record.http_headers.get_statuscode())
        headers = list(record.http_headers.headers)
        problem = _payload_problem(record, frame.block)
        body = record.content_stream().read()
    except Exception as error:  # a mis-encoded HTTP head or payload loses this record, not the file
        stats.add_broken(BrokenRecord(name, frame.offset, "bad_http", f"{type(error).__name__}: {error}"))
        return None
    return _checked_response(frame, name, stats, url, status, headers, problem, body, digest_verified=False)


def _checked_response(frame: _Frame, name: str, stats: WarcReadStats, url: str, status: int,
                      headers: list[tuple[str, str]], problem: str, body: bytes, *,
                      digest_verified: bool) -> WarcResponse | None:
    if problem:
        stats.add_broken(BrokenRecord(name, frame.offset, "truncated_payload", problem))
        return None
    mismatch = "" if digest_verified else _block_digest_mismatch(frame.fields.get("warc-block-digest", ""),
                                                                 frame.block)
    if mismatch:
        # bytes changed after the crawler wrote them (disk, transfer, an editor): the page is not what was served
        stats.add_broken(BrokenRecord(name, frame.offset, "block_digest_mismatch", mismatch))
        return None
    return WarcResponse(
        url=url,
        status=status,
        headers=headers,
        body=body,
        record_id=frame.fields.get("warc-record-id", ""),
        fetched_at=_warc_date(frame.fields.get("warc-date")),
        warc_file=name,
        offset=frame.offset,
    )


# warcio's own parser for HTTP heads, as its ArchiveIterator sets it up (verify_http=False), and the content
# encodings its content_stream() decodes.
_HTTP_HEAD_PARSER = StatusAndHeadersParser(ArcWarcRecordLoader.HTTP_TYPES, verify=False)
_WARCIO_DECODES = frozenset(BufferedReader.get_supported_decompressors())


def _warcio_reads_header_as_framed(header: bytes) -> bool:
    """True when warcio parses this WARC header into the same fields as `_header_fields`: ASCII, every line
    ending in CRLF, no line warcio would take as a continuation, a version line warcio accepts."""
    if not header.isascii() or header.count(b"\n") != header.count(b"\r\n") or b"\n " in header \
            or b"\n\t" in header:
        return False
    first_line = header[: header.find(b"\r\n")].decode()
    return bool(StatusAndHeadersParser.split_prefix(first_line, ArcWarcRecordLoader.WARC_TYPES))


def _direct_response(frame: _Frame, name: str, stats: WarcReadStats, *, digest_verified: bool) -> WarcResponse | None:
    """What `_http_response` gives, without a warcio ArchiveIterator per record: the HTTP head parsed as warcio
    parses it and the body decoded by warcio's own readers, as its content_stream() picks them. A record whose
    WARC header warcio could read otherwise, or whose head or body raises, goes to `_warcio_response` (the
    path before), so that the outcome and its message are warcio's. `digest_verified`: FastWARC found the
    block to match its digest."""
    url = _response_url(frame, name, stats)
    if url is None:
        return None
    uri = frame.fields.get("warc-target-uri", "")
    if uri.startswith("<") and uri.endswith(">"):  # as warcio's _ensure_target_uri_format
        uri = uri[1:-1]
    if (not frame.block or frame.fields.get("warc-type") != "response" or " " in uri
            or not uri.startswith(ArcWarcRecordLoader.HTTP_SCHEMES) or not _warcio_reads_header_as_framed(frame.header)):
        return _warcio_response(frame, name, stats, url)
    try:
        stream = io.BytesIO(frame.block)
        http = _simple_http_head(frame.block, stream) or _HTTP_HEAD_PARSER.parse(stream)
        status = int(http.get_statuscode())
        headers = list(http.headers)
        problem = _payload_problem(http, frame.block)
        body = _content_stream(http, stream).read()
    except Exception:  # warcio says how, with the message it gives
        return _warcio_response(frame, name, stats, url)
    return _checked_response(frame, name, stats, url, status, headers, problem, body,
                             digest_verified=digest_verified)


def _content_stream(http: StatusAndHeaders, stream: BinaryIO):
    """warcio's ArcWarcRecord.content_stream() over the payload left in `stream` (its readers fill every read
    whatever stream is under them, so they give the same bytes over this one as over warcio's own)."""
    if not http:
        return stream
    encoding = http.get_header("content-encoding")
    if encoding:
        encoding = encoding.lower()
        if encoding not in _WARCIO_DECODES:
            encoding = None
    if http.get_header("transfer-encoding") == "chunked":
        return ChunkedDataReader(stream, decomp_type=encoding)
    if encoding:
        return BufferedReader(stream, decomp_type=encoding)
    return stream


def _simple_http_head(block: bytes, stream: io.BytesIO) -> StatusAndHeaders | None:
    """What warcio's StatusAndHeadersParser(verify=False) makes of the HTTP head of `block`, for the heads
    nearly every writer writes (ASCII, CRLF line ends, no folded lines, no blank-looking line before the end),
    and `stream` moved past it as warcio moves its stream; None for any other head (warcio parses it then)."""
    end = block.find(b"\r\n\r\n")
    if end < 0:
        return None
    head = block[:end]
    if not head.isascii() or b"\n" in head.replace(b"\r\n", b"") or b"\n " in head or b"\n\t" in head:
        return None
    lines = head.decode().split("\r\n")
    statusline = lines[0].rstrip()
    if not statusline or any(not line.rstrip() for line in lines[1:]):
        return None
    headers = []
    for line in lines[1:]:
        name, sep, value = line.rstrip().partition(":")
        if sep:
            headers.append((name.rstrip(" \t"), value.lstrip()))
    protocol_status = statusline.split(" ", 1)
    stream.seek(end + 4)
    return StatusAndHeaders(statusline=protocol_status[1].strip() if len(protocol_status) > 1 else "",
                            headers=headers, protocol=protocol_status[0], total_len=end + 4)


def _payload_problem(record, block: bytes) -> str:
    """Why the stored payload is shorter than the HTTP Content-Length says, or "" when it is whole. Only
    checked without a transfer encoding, where the Content-Length is the payload's own length. `record` is a
    warcio record or its parsed HTTP head."""
    http_headers = getattr(record, "http_headers", record)
    declared = http_headers.get_header("Content-Length")
    if http_headers.get_header("Transfer-Encoding") or not declared or not declared.strip().isdigit():
        return ""
    # some writers (ClueWeb's Nutch) end HTTP header lines with a bare LF
    head_ends = [(at + len(mark)) for mark in (b"\r\n\r\n", b"\n\n") if (at := block.find(mark)) >= 0]
    payload = len(block) - min(head_ends) if head_ends else 0
    return f"payload of {payload} bytes, HTTP Content-Length {declared}" if payload < int(declared) else ""


def _block_digest_mismatch(declared: str, block: bytes) -> str:
    """"" when the block matches its declared `algorithm:value` digest (base32, as WARC writers use, or hex),
    or when there is nothing to check against (no digest, an algorithm hashlib does not know); else what differs."""
    algorithm, _, value = declared.partition(":")
    algorithm, value = algorithm.strip().lower().replace("-", ""), value.strip()
    if not value or algorithm not in hashlib.algorithms_available:
        return ""
    computed = hashlib.new(algorithm, block).digest()
    for decode in (lambda v: base64.b32decode(v.upper()), bytes.fromhex):
        try:
            if decode(value) == computed:
                return ""
        except (ValueError, binascii.Error):
            continue
    return f"{declared.strip()} declared, {algorithm}:{base64.b32encode(computed).decode()} computed"


@contextlib.contextmanager
def open_source(location: str | Path, *, allow_private_networks: bool | list[str] = False) -> Iterator[BinaryIO]:
    """A binary stream of a local file or of an http(s) URL. A URL is streamed as it arrives (never
    downloaded first), raw: a `.gz` is decompressed here, record by record, not by the HTTP client. It is read
    under the crawler's address guard (`allow_private_networks` as in the crawl config), without proxies."""
    if not is_url(location):
        with open(location, "rb") as stream:
            yield stream
        return
    policy = AddressPolicy(allow_private_networks)
    with guarded_session(policy) as session, _open_url(session, policy, str(location)) as response:
        response.raw.decode_content = False
        yield response.raw


def _open_url(session: requests.Session, policy: AddressPolicy, url: str) -> requests.Response:
    """The final response for `url`. Redirects are followed here, one hop at a time, so that each target is
    checked before anything connects to it; every failure is a one-line `WarcSourceError` naming `url`."""
    current = url
    for _hop in range(MAX_URL_REDIRECTS + 1):
        where = f"{url}:" if current == url else f"{url}: redirect to {current}"
        refusal = policy.refusal(current)
        if refusal:
            reason, detail = refusal
            verb = "refused" if reason == "refused_address" else "cannot be fetched"
            raise WarcSourceError(f"{where} {verb}: {detail}")
        try:
            response = session.get(current, stream=True, allow_redirects=False,
                                   timeout=(URL_CONNECT_TIMEOUT_SECONDS, URL_READ_TIMEOUT_SECONDS))
        except requests.RequestException as error:
            refused = refused_address(error)  # the name answered differently when connected to (DNS rebinding)
            if refused:
                raise WarcSourceError(f"{where} refused: {refused}") from error
            raise WarcSourceError(f"{where} cannot be fetched: {connection_error_detail(error, current)}") from error
        if response.status_code not in REDIRECT_STATUSES:
            if response.ok:
                return response
            response.close()
            raise WarcSourceError(f"{where} cannot be fetched: {response.status_code} {response.reason}")
        location = response.headers.get("Location", "").strip()
        response.close()
        current = urljoin(current, location)
        if not location or not is_url(current):
            raise WarcSourceError(f"{where} redirects to an unusable Location {location!r}")
    raise WarcSourceError(f"{url}: more than {MAX_URL_REDIRECTS} redirects")


def iter_warc_responses(location: str | Path, stats: WarcReadStats, *,
                        allow_private_networks: bool | list[str] = False) -> Iterator[WarcResponse]:
    """HTTP response records of one WARC source (a path or an http(s) URL, gzip or plain); everything else is
    counted in `stats` by kind, and broken records with their offset and reason. Raises `WarcSourceError` when
    the source itself cannot be read to its end (a URL that fails midway), after yielding what came before.
    `allow_private_networks` is the crawl's setting of that name: which addresses a URL may be read from.

    A local file is read by FastWARC (C++) as long as every record is one the recovery reader would read the
    same way; from the first record where that is in doubt (FastWARC raises, or a check below fails) to the end,
    the recovery reader takes over, so the results are those of `iter_recovered_responses`. A URL is a stream
    that cannot be read again from an earlier offset: it is read by the recovery reader as it arrives."""
    name = str(location)
    if is_url(location):
        yield from iter_recovered_responses(location, stats, allow_private_networks=allow_private_networks)
        return
    with open(location, "rb") as stream:  # opened once: FastWARC, the header checks and the recovery share it
        resume_at = yield from _fast_responses(stream, name, stats)
        if resume_at is not None:
            stream.seek(resume_at)
            yield from _recovered(stream, name, stats, base=resume_at)


def iter_recovered_responses(location: str | Path, stats: WarcReadStats, *,
                             allow_private_networks: bool | list[str] = False) -> Iterator[WarcResponse]:
    """`iter_warc_responses` with the recovery reader alone (records framed here, warcio per record): the
    reference the fast path is tested against, and what URLs are read with."""
    name = str(location)
    with open_source(location, allow_private_networks=allow_private_networks) as stream:
        yield from _recovered(stream, name, stats)


def _recovered(stream: BinaryIO, name: str, stats: WarcReadStats, base: int = 0) -> Iterator[WarcResponse]:
    for frame in _Framer(_byte_events(stream, name), name, stats, base).frames():
        response = _http_response(frame, name, stats)
        if response is not None:
            stats.responses += 1
            yield response


# ------------------------------------------------------------------------------------------------ FastWARC path

FAST_PEEK_BYTES = 1024
# How much of a response's block is compared with the bytes after the header as read here: FastWARC found the
# same header end (a shifted block would not start with the same bytes; a block starts with an HTTP status line).
BLOCK_CHECK_BYTES = 64
# A record's own trailer: the CRLF CRLF every writer puts after a block. In a gzip member it is checked by length
# (the member's size from its ISIZE field), as what it holds cannot be seen without decompressing the member.
RECORD_TRAILER = b"\r\n\r\n"


@dataclass
class _Pending:
    """A record FastWARC read that is not given out yet: it is only known to be framed as the recovery reader
    frames it once the next record (or the end of the file) is seen where it should be."""

    offset: int
    end: int  # plain: the file offset right after its block; gzip: its decompressed length before the trailer
    stats: WarcReadStats
    response: WarcResponse | None


class _Doubt(Exception):
    """The recovery reader might read this part of the file differently: it takes over."""


class _RawFile:
    """Reads a record's raw header again from the file, independently of FastWARC, so that its fields are
    exactly those the recovery reader would find."""

    def __init__(self, fd: int):
        self.fd, self.size = fd, os.fstat(fd).st_size
        self.gzipped = self.read(0, 2) == GZIP_MAGIC[:2]

    def read(self, offset: int, size: int) -> bytes:
        return os.pread(self.fd, size, offset)

    def header(self, offset: int) -> tuple[int, bytes, bytes]:
        """(leading blank bytes, header block up to its blank line, the first BLOCK_CHECK_BYTES of the block or
        fewer where the data ends) of the record at `offset` (a plain offset, or the start of the gzip member
        holding it). Only as much is decompressed as that needs."""
        data, compressed_at, want = b"", offset, FAST_PEEK_BYTES
        decoder = zlib.decompressobj(31) if self.gzipped else None
        while True:
            if decoder is None:
                chunk = self.read(compressed_at, want)
                compressed_at += len(chunk)
                ended = not chunk
            else:
                pending = decoder.unconsumed_tail or self.read(compressed_at, FAST_PEEK_BYTES)
                if not decoder.unconsumed_tail:
                    compressed_at += len(pending)
                try:
                    chunk = decoder.decompress(pending, want)
                except zlib.error as error:
                    raise _Doubt(f"gzip: {error}") from error
                ended = decoder.eof or not pending
            data += chunk
            lead = len(data) - len(data.lstrip(b"\r\n"))
            header_end = data.find(b"\r\n\r\n", lead, lead + MAX_HEADER_BYTES)
            if header_end >= 0 and (ended or len(data) >= header_end + 4 + BLOCK_CHECK_BYTES):
                return lead, data[lead : header_end + 4], data[header_end + 4 : header_end + 4 + BLOCK_CHECK_BYTES]
            if ended or (header_end < 0 and len(data) - lead >= MAX_HEADER_BYTES):
                raise _Doubt("no header end")
            want = min(want * 2, MAX_HEADER_BYTES)

    def gzip_member_size(self, member_end: int) -> int:
        """The decompressed size of the gzip member ending at `member_end` (its ISIZE field)."""
        return int.from_bytes(self.read(member_end - 4, 4), "little")

    def blank(self, start: int, end: int) -> bool:
        return 0 <= end - start <= MAX_HEADER_BYTES and not self.read(start, end - start).strip(b"\r\n")


def _fast_responses(stream: BinaryIO, name: str, stats: WarcReadStats) -> Iterator[WarcResponse]:
    """The responses FastWARC reads from a local file, given out in order as each is confirmed; returns None at
    the end of the file, or the offset the recovery reader must go on from (every record before it has been
    given out, none after)."""
    raw = _RawFile(stream.fileno())
    pending: _Pending | None = None
    try:
        records = FastArchiveIterator(stream, parse_http=False, stream_detect=raw.gzipped)
        for record in records:
            # The pending record is confirmed by the one after it, so that one is read first: the recovery
            # reader ends a record well only where a valid record header follows it.
            current = _fast_record(record, record.stream_pos, raw, name)
            _confirm(pending, record.stream_pos, raw)
            if pending is not None:
                yield from _give_out(pending, stats)
            pending = current
        _confirm(pending, None, raw)
    except Exception:
        # FastWARC raised (a bad header, a corrupt or cut gzip member...) or a record is not framed as the
        # recovery reader would frame it: it reads again from the last record not given out.
        return pending.offset if pending is not None else 0
    if pending is not None:
        yield from _give_out(pending, stats)
    return None


def _give_out(pending: _Pending, stats: WarcReadStats) -> Iterator[WarcResponse]:
    stats.skipped.update(pending.stats.skipped)
    stats.broken.extend(pending.stats.broken)
    if pending.response is not None:
        stats.responses += 1
        yield pending.response


def _confirm(pending: _Pending | None, next_offset: int | None, raw: _RawFile) -> None:
    """Raise _Doubt unless the pending record ends where the recovery reader would end it: the next record
    (None: the end of the file) starts right after it, past nothing but blank lines."""
    if pending is None:
        if next_offset is None:
            if raw.size:  # FastWARC found no record in it: whatever it holds, the recovery reader says
                raise _Doubt("no record")
        elif next_offset != 0 and (raw.gzipped or not raw.blank(0, next_offset)):
            raise _Doubt("the file does not start with a record")
        return
    next_start = raw.size if next_offset is None else next_offset
    if next_start <= pending.offset:
        raise _Doubt("more than one record in a gzip member")  # a file gzipped as one stream, for one
    if raw.gzipped:
        # one member for the record alone, its CRLF CRLF trailer and nothing else; members follow each other
        # with nothing between them (FastWARC raises on anything else there)
        if next_start - pending.offset < 20 or raw.gzip_member_size(next_start) != pending.end + len(RECORD_TRAILER):
            raise _Doubt("not one gzip member per record")
    elif not raw.blank(pending.end, next_start):
        raise _Doubt("not only blank lines after the block")


def _fast_record(record, offset: int, raw: _RawFile, name: str) -> _Pending:
    """Read one record from FastWARC into a _Pending, or raise _Doubt."""
    lead, header, block_start = raw.header(offset)
    if RECORD_START.match(header) is None:
        raise _Doubt("no record header")
    fields = _header_fields(header)
    text = fields.get("content-length", "")
    if not (text.isascii() and text.isdigit()) or int(text) != record.content_length:
        raise _Doubt("Content-Length")
    length = record.content_length
    if length > MAX_RECORD_BYTES:
        raise _Doubt("too large")
    stats = WarcReadStats()
    kind = fields.get("warc-type", "").lower() or "unknown"
    if kind != "response":
        if record.reader.consume() != length:
            raise _Doubt("cut block")
        stats.skipped[kind] += 1
        response = None
    else:
        declared = fields.get("warc-block-digest", "")
        algorithm, _, value = declared.partition(":")
        # only a digest both readers take the same way: SHA-1, base32 or hex
        verified = (algorithm.strip().lower() == "sha1" and len(value.strip()) in (32, 40)
                    and record.verify_block_digest(consume=False))
        block = record.reader.read()
        if len(block) != length or not block.startswith(block_start[:length]):
            raise _Doubt("cut block, or not the block after the header read here")
        # the recovery reader's offset: the gzip member, or in a plain file the record's first byte
        frame = _Frame(offset if raw.gzipped else offset + lead, header, block, fields)
        response = _direct_response(frame, name, stats, digest_verified=verified)
        if response is not None:
            response = dataclasses.replace(response, seekable=True)
    end = lead + len(header) + length if raw.gzipped else offset + lead + len(header) + length
    return _Pending(offset, end, stats, response)


def read_record_at(path: str | Path, offset: int, record_id: str) -> WarcResponse | None:
    """The response record `record_id` read again from `offset` of a local file: the provenance of a row.
    Only the record (or, in a file gzipped as one stream, the gzip member) starting at `offset` is looked at."""
    stats = WarcReadStats()
    with open(path, "rb") as stream:
        stream.seek(offset)
        # offsets below are counted from `offset`: a frame elsewhere than 0 is past the record or member asked for
        for frame in _Framer(_byte_events(stream, str(path)), str(path), stats).frames():
            if frame.offset != 0:
                return None
            if frame.fields.get("warc-record-id") == record_id:
                response = _http_response(frame, str(path), stats)
                return response and dataclasses.replace(response, offset=offset)
    return None
