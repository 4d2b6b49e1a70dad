"""Reading WARC sources: every shared file gives exactly its good HTTP responses, broken records cost only
themselves, every row can be found again in its archive, and URLs are streamed."""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import io
import sys
import threading
import zlib

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from corpus_assets.crawl.config import WarcSource
from corpus_assets.crawl.warc_source import (
    WarcReadStats,
    WarcSourceError,
    iter_warc_responses,
    read_record_at,
    target_url,
)

# The good HTTP response records of every file under ../shared/data/warc/. Counted independently with warcio's
# CLI: `warcio index -f warc-type <file> | grep -c response` (warcio 1.7, ArchiveIterator underneath), which
# gives the number below unless a comment says otherwise. Where the numbers differ, warcio either stops
# reading or returns a record whose content is not what its headers declare:
EXPECTED_GOOD_RECORDS = {
    "commoncrawl/cc-main-2020-34-excerpt.warc.gz": 16,
    "commoncrawl/whirlwind-one-page.warc.gz": 1,
    # WET: text conversions only (`conversion` records), no HTTP response.
    "commoncrawl/whirlwind-one-page.warc.wet.gz": 0,
    # warcio: 1 (it returns the record silently cut: 75,657 of the 88,275 bytes its Content-Length declares,
    # the gzip member ends early). A cut page is not a page: broken, `truncated_gzip_member`.
    "edge-cases/clipped-record.warc.gz": 1 - 1,
    # every WARC-Date is `2008-10-294T05:21:46-0700` (not a date): the records are good, fetched_at is NULL.
    "edge-cases/clueweb-bad-dates.warc.gz": 29,
    # warcio index: 0, it stops with "non-chunked gzip file detected" after the warcinfo record: the file is
    # one gzip stream for all records. `zcat file | warcio index -f warc-type /dev/stdin`: 1 response.
    "edge-cases/example-bad-non-chunked.warc.gz": 1,
    # as above, gzip as one stream; after zcat warcio sees 2 responses (a 200 and a 302).
    "edge-cases/example-bad.warc.gz.bad": 2,
    # HTTP chunked transfer encoding, decoded to the page.
    "edge-cases/example-iana.org-chunked.warc": 1,
    # a `resource` record holds a page without HTTP headers: skipped by kind.
    "edge-cases/example-resource.warc.gz": 0,
    # the record with the space in its target URI is a `resource` (file:///...): skipped by kind.
    "edge-cases/example-space-in-target-uri.warc.gz": 0,
    # warcio: 1 (with "block digest failed" from `warcio check`): the response's Content-Length is 2 bytes short,
    # so its block ends inside the page and is not followed by the next record: `length_mismatch`.
    "edge-cases/example-trunc.warc": 1 - 1,
    # wget's `<http://example.com/>` target URI: the angle brackets are dropped, the record is good.
    "edge-cases/example-wget-bad-target-uri.warc.gz": 1,
    # warcio: 1 then "Invalid WARC record, first line: <!doctype html>" (the record spans three gzip members).
    # Reading across members, the response's block still ends a byte before its page does (1,270 bytes of the
    # 1,271 its HTTP Content-Length declares): broken, `truncated_payload`. The request after it is found.
    "edge-cases/example-wrong-chunks.warc.gz": 1 - 1,
    # one response and a `revisit` (no body to train on): skipped by kind.
    "edge-cases/example.warc.gz": 1,
    "wget/wget-crawl-0000.warc.gz": 22,
    "wget/wget-crawl-0001.warc.gz": 15,
}
# Files gzipped as one stream: warcio cannot seek into them, a row's offset is that of the gzip member.
WHOLE_FILE_GZIP = {"edge-cases/example-bad-non-chunked.warc.gz", "edge-cases/example-bad.warc.gz.bad"}
# The test servers' address, as the pipeline's test config allows it; a URL source is refused otherwise.
LOOPBACK = ["127.0.0.1/32"]


def read_all(location) -> tuple[list, WarcReadStats]:
    stats = WarcReadStats()
    return list(iter_warc_responses(location, stats)), stats


def write_http_response(writer, target_uri, html=b"<p>ok</p>"):
    """Append an HTTP 200 response record for `target_uri` (written as it is, however odd) to a warcio writer."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + html
    writer.write_record(writer.create_warc_record(target_uri, "response", payload=io.BytesIO(http)))


# Lists being filled by `files_opened` blocks; the audit hook is added on first use (it cannot be removed).
_OPEN_WATCHERS: list[list[str]] = []
_HOOKED: list[bool] = []


def _watch_opens(event, args):
    if event == "open" and _OPEN_WATCHERS:
        _OPEN_WATCHERS[-1].append(str(args[0]))


@contextlib.contextmanager
def files_opened():
    """Every file opened in this process inside the block (Python's `open` audit event: builtins, io and os
    alike). The hook stays for the process's life, as audit hooks do, but records only inside a block."""
    if not _HOOKED:
        sys.addaudithook(_watch_opens)
        _HOOKED.append(True)
    _OPEN_WATCHERS.append([])
    try:
        yield _OPEN_WATCHERS[-1]
    finally:
        _OPEN_WATCHERS.pop()


def warc_files(shared_data):
    root = shared_data / "warc"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and "LICENSE" not in p.name)


def test_the_table_covers_every_shared_warc_file(shared_data):
    assert sorted(EXPECTED_GOOD_RECORDS) == warc_files(shared_data)


@pytest.mark.parametrize("relative", sorted(EXPECTED_GOOD_RECORDS))
def test_every_file_gives_exactly_its_good_records(shared_data, relative):
    responses, stats = read_all(shared_data / "warc" / relative)
    assert len(responses) == EXPECTED_GOOD_RECORDS[relative]
    assert stats.responses == len(responses)
    assert len({r.record_id for r in responses}) == len(responses)
    assert all(r.url.startswith(("http://", "https://")) and r.record_id.startswith("<urn:") for r in responses)


@pytest.mark.parametrize(
    ("relative", "reason", "offset"),
    [
        ("edge-cases/clipped-record.warc.gz", "truncated_gzip_member", 0),
        ("edge-cases/example-trunc.warc", "length_mismatch", 1197),
        ("edge-cases/example-wrong-chunks.warc.gz", "truncated_payload", 0),
    ],
)
def test_a_broken_record_is_counted_with_its_reason_and_offset(shared_data, relative, reason, offset):
    path = shared_data / "warc" / relative
    _, stats = read_all(path)
    assert [(b.warc_file, b.offset, b.reason) for b in stats.broken] == [(str(path), offset, reason)]
    assert stats.skipped["broken"] == 1


def test_records_after_a_broken_one_are_still_read(shared_data):
    _, stats = read_all(shared_data / "warc/edge-cases/example-trunc.warc")
    assert stats.skipped["request"] == 1  # the record after the broken response
    _, stats = read_all(shared_data / "warc/edge-cases/example-wrong-chunks.warc.gz")
    assert stats.skipped["request"] == 1


def test_skipped_records_are_counted_by_kind(shared_data):
    _, wet = read_all(shared_data / "warc/commoncrawl/whirlwind-one-page.warc.wet.gz")
    assert dict(wet.skipped) == {"warcinfo": 1, "conversion": 1}
    _, cc = read_all(shared_data / "warc/commoncrawl/cc-main-2020-34-excerpt.warc.gz")
    assert dict(cc.skipped) == {"warcinfo": 1, "request": 17, "metadata": 16}
    _, example = read_all(shared_data / "warc/edge-cases/example.warc.gz")
    assert dict(example.skipped) == {"warcinfo": 2, "request": 2, "revisit": 1}
    _, resource = read_all(shared_data / "warc/edge-cases/example-resource.warc.gz")
    assert dict(resource.skipped) == {"warcinfo": 2, "resource": 1}
    assert cc.as_metadata()["skipped_by_kind"] == {"metadata": 16, "request": 17, "warcinfo": 1}


def test_a_bad_warc_date_leaves_fetched_at_empty(shared_data):
    responses, _ = read_all(shared_data / "warc/edge-cases/clueweb-bad-dates.warc.gz")
    assert {r.fetched_at for r in responses} == {None}
    good, _ = read_all(shared_data / "warc/edge-cases/example.warc.gz")
    assert good[0].fetched_at == dt.datetime(2017, 3, 6, 4, 2, 6, tzinfo=dt.UTC)  # its WARC-Date


def test_target_uris_are_normalised():
    assert target_url("<http://example.com/>") == "http://example.com/"
    assert target_url("http://example.com/a page?q=x y") == "http://example.com/a%20page?q=x+y"
    assert target_url("file:///example with spaces.png") is None
    assert target_url("<metadata://gnu.org/software/wget/warc/MANIFEST.txt>") is None


NOT_WEB_TARGETS = ["file:///etc/passwd", "<file:///etc/passwd>", "FILE://localhost/etc/passwd", "../../etc/passwd",
                   "/etc/passwd", "//etc/passwd", "http:///etc/passwd", "\\\\server\\share\\passwd",
                   "javascript:alert(1)", "data:text/html,<p>x</p>", "ftp://ftp.example.com/passwd"]


@pytest.mark.parametrize("target", NOT_WEB_TARGETS)
def test_a_response_whose_target_is_no_web_url_is_no_page_and_nothing_local_is_read(tmp_path, target):
    path = tmp_path / "targets.warc.gz"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        write_http_response(writer, target, b"<p>root:x:0:0:root:/root:/bin/bash</p>")
        write_http_response(writer, "http://ok.test/")
    stats = WarcReadStats()
    with files_opened() as opened:
        responses = list(iter_warc_responses(path, stats))
    assert [r.url for r in responses] == ["http://ok.test/"]
    assert dict(stats.skipped) == {"bad_target_uri": 1}
    assert opened == [str(path)]  # the WARC file, and nothing its records name


def warcio_record_at(path, offset):
    """(record ID, payload) of the record warcio reads at `offset`, or None where it cannot."""
    with open(path, "rb") as stream:
        stream.seek(offset)
        try:
            record = next(iter(ArchiveIterator(stream)))
            return record.rec_headers.get_header("WARC-Record-ID"), record.content_stream().read()
        except Exception:
            return None


def warcio_record_in_gzip_member(path, offset, record_id):
    """(record ID, payload) of `record_id` read by warcio from the gzip member at `offset`, decompressed."""
    with open(path, "rb") as stream:
        stream.seek(offset)
        plain = zlib.decompressobj(31).decompress(stream.read())
    for record in ArchiveIterator(io.BytesIO(plain)):
        if record.rec_headers.get_header("WARC-Record-ID") == record_id:
            return record_id, record.content_stream().read()
    return None


@pytest.mark.parametrize("relative", sorted(name for name, n in EXPECTED_GOOD_RECORDS.items() if n))
def test_every_row_is_found_again_at_its_offset(shared_data, relative):
    path = shared_data / "warc" / relative
    responses, _ = read_all(path)
    for response in responses:
        if relative in WHOLE_FILE_GZIP:
            found = warcio_record_in_gzip_member(path, response.offset, response.record_id)
        else:
            found = warcio_record_at(path, response.offset)
        assert found == (response.record_id, response.body)
        assert read_record_at(path, response.offset, response.record_id) == response


def test_a_glob_source_reads_every_matching_file(shared_data):
    source = WarcSource(path=str(shared_data / "warc/wget/*.warc.gz"), crawl_date=dt.date(2026, 11, 2))
    files = source.files_for(dt.date(2026, 11, 2))
    assert [f.rsplit("/", 1)[-1] for f in files] == ["wget-crawl-0000.warc.gz", "wget-crawl-0001.warc.gz"]
    assert sum(len(read_all(f)[0]) for f in files) == 22 + 15


def test_a_url_source_is_streamed_and_equals_the_local_file(shared_data, serve):
    path = shared_data / "warc/commoncrawl/cc-main-2020-34-excerpt.warc.gz"
    data = path.read_bytes()
    first_part = 100_000  # more than one read (64 KiB) and the first records; less than the file
    sent = []
    first_record_read = threading.Event()

    def body():
        sent.append(first_part)
        yield data[:first_part]
        first_record_read.wait(timeout=30)  # the rest waits until the reader has given a record back
        sent.append(len(data) - first_part)
        yield data[first_part:]

    site = serve({"/cc.warc.gz": lambda _: (200, {"Content-Type": "application/warc", "Content-Length": str(len(data))}, body())})
    stats = WarcReadStats()
    responses = iter_warc_responses(site.url("/cc.warc.gz"), stats, allow_private_networks=LOOPBACK)
    first = next(responses)
    assert sum(sent) == first_part  # a record came back while the body was still incomplete
    first_record_read.set()
    streamed = [first, *responses]
    local, local_stats = read_all(path)
    assert [(r.record_id, r.offset, r.body, r.url) for r in streamed] == [
        (r.record_id, r.offset, r.body, r.url) for r in local
    ]
    assert stats.skipped == local_stats.skipped
    assert [(r.method, r.path) for r in site.requests] == [("GET", "/cc.warc.gz")]


def test_a_url_that_fails_midway_is_a_clear_error_after_the_records_before(shared_data, serve):
    data = (shared_data / "warc/wget/wget-crawl-0000.warc.gz").read_bytes()
    cut = 150_000

    def body():
        yield data[:cut]

    site = serve({"/w.warc.gz": lambda _: (200, {"Content-Length": str(len(data))}, body())})
    url = site.url("/w.warc.gz")
    read = []
    with pytest.raises(WarcSourceError, match=rf"{url}: read failed at byte \d+") as raised:
        for response in iter_warc_responses(url, WarcReadStats(), allow_private_networks=LOOPBACK):
            read.append(response)
    reached = int(str(raised.value).split("at byte ")[1].split(":")[0])
    assert reached <= cut
    full, _ = read_all(shared_data / "warc/wget/wget-crawl-0000.warc.gz")
    assert 0 < len(read) < len(full)
    assert [r.record_id for r in read] == [r.record_id for r in full[: len(read)]]


def test_a_missing_url_is_a_clear_error(serve):
    site = serve({})
    with pytest.raises(WarcSourceError, match="cannot be fetched: 404"):
        list(iter_warc_responses(site.url("/none.warc.gz"), WarcReadStats(), allow_private_networks=LOOPBACK))


def test_a_url_on_a_private_address_is_refused_unless_allowed(serve):
    site = serve({"/w.warc": (200, {}, b"")})
    url = site.url("/w.warc")
    with pytest.raises(WarcSourceError) as raised:
        list(iter_warc_responses(url, WarcReadStats(), allow_private_networks=False))
    assert str(raised.value) == f"{url}: refused: 127.0.0.1 resolves to non-public address 127.0.0.1"
    assert site.requests == []


def test_a_redirect_to_an_address_the_allow_list_leaves_out_is_refused_before_connecting(serve):
    elsewhere = serve({"/w.warc": (200, {}, b"")}, host="127.0.0.2")
    site = serve({"/w.warc": (302, {"Location": elsewhere.url("/w.warc")}, b"")})
    url = site.url("/w.warc")
    with pytest.raises(WarcSourceError) as raised:
        list(iter_warc_responses(url, WarcReadStats(), allow_private_networks=LOOPBACK))
    message = str(raised.value)
    assert message.startswith(f"{url}: redirect to {elsewhere.url('/w.warc')} refused: ")
    assert "non-public address 127.0.0.2" in message and "\n" not in message
    assert elsewhere.requests == []


def test_a_redirect_within_the_allowed_addresses_is_followed(shared_data, serve):
    data = (shared_data / "warc/commoncrawl/whirlwind-one-page.warc.gz").read_bytes()
    site = serve({"/old.warc.gz": (301, {"Location": "/new.warc.gz"}, b""), "/new.warc.gz": (200, {}, data)})
    responses = list(iter_warc_responses(site.url("/old.warc.gz"), WarcReadStats(), allow_private_networks=LOOPBACK))
    assert len(responses) == 1 and responses[0].warc_file == site.url("/old.warc.gz")
    assert site.paths_requested() == ["/old.warc.gz", "/new.warc.gz"]


def test_a_redirect_loop_is_a_clear_error(serve):
    site = serve({"/a": (302, {"Location": "/b"}, b""), "/b": (302, {"Location": "/a"}, b"")})
    with pytest.raises(WarcSourceError, match=r"more than \d+ redirects"):
        list(iter_warc_responses(site.url("/a"), WarcReadStats(), allow_private_networks=LOOPBACK))


def test_a_proxy_in_the_environment_is_not_used(shared_data, serve, monkeypatch):
    """A proxy would connect on the crawler's behalf, to addresses the guard never sees."""
    data = (shared_data / "warc/commoncrawl/whirlwind-one-page.warc.gz").read_bytes()
    proxy = serve({})
    site = serve({"/w.warc.gz": (200, {}, data)})
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, proxy.base_url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    responses = list(iter_warc_responses(site.url("/w.warc.gz"), WarcReadStats(), allow_private_networks=LOOPBACK))
    assert len(responses) == 1
    assert proxy.requests == [] and site.paths_requested() == ["/w.warc.gz"]


def response_spans(path):
    """(record ID, offset, end) of each HTTP response warcio reads in a whole file: the independent reference."""
    spans = []
    with open(path, "rb") as stream:
        records = ArchiveIterator(stream)
        for record in records:
            if record.rec_type == "response":
                record_id = record.rec_headers.get_header("WARC-Record-ID")
                record.content_stream().read()
                records.read_to_end()
                offset = records.get_record_offset()
                spans.append((record_id, offset, offset + records.get_record_length()))
    return spans


@pytest.mark.parametrize(
    "relative", ["commoncrawl/cc-main-2020-34-excerpt.warc.gz", "edge-cases/example-iana.org-chunked.warc",
                 "wget/wget-crawl-0001.warc.gz"]
)
def test_a_file_cut_anywhere_keeps_every_record_before_the_cut(shared_data, tmp_path, relative):
    data = (shared_data / "warc" / relative).read_bytes()
    spans = response_spans(shared_data / "warc" / relative)
    cuts = sorted({*range(1, len(data), max(1, len(data) // 23)), *(end - 1 for _, _, end in spans),
                   *(start + 1 for _, start, _ in spans)})
    for cut in cuts:
        clipped = tmp_path / f"cut-{cut}.warc"
        clipped.write_bytes(data[:cut])
        responses, _ = read_all(clipped)
        kept = {r.record_id for r in responses}
        assert {record_id for record_id, _, end in spans if end <= cut} <= kept, f"cut at {cut}"


def test_a_corrupt_gzip_member_costs_only_its_record(shared_data, tmp_path):
    path = shared_data / "warc/wget/wget-crawl-0000.warc.gz"
    spans = response_spans(path)
    victim_id, start, end = spans[5]
    data = bytearray(path.read_bytes())
    middle = (start + end) // 2
    data[middle : middle + 40] = b"\x00" * 40
    corrupt = tmp_path / "corrupt.warc.gz"
    corrupt.write_bytes(bytes(data))
    responses, stats = read_all(corrupt)
    assert [r.record_id for r in responses] == [record_id for record_id, _, _ in spans if record_id != victim_id]
    assert [(b.offset, b.reason.split(":")[0]) for b in stats.broken] == [(start, "bad_gzip_member")]


def test_garbage_between_plain_records_is_skipped_and_counted(shared_data, tmp_path):
    plain = gzip.decompress((shared_data / "warc/edge-cases/example.warc.gz").read_bytes())
    good, _ = read_all(shared_data / "warc/edge-cases/example.warc.gz")
    garbled = tmp_path / "garbled.warc"
    garbled.write_bytes(b"not a record\r\n" * 3 + plain)
    responses, stats = read_all(garbled)
    assert [(r.record_id, r.body) for r in responses] == [(r.record_id, r.body) for r in good]
    assert [(b.offset, b.reason) for b in stats.broken] == [(0, "no_record_header")]


@pytest.mark.parametrize(
    ("header_edit", "reason"),
    [
        ((b"Content-Length: 7566", b"Content-Length: 7900"), "length_mismatch"),  # swallows the next header
        ((b"Content-Length: 7566", b"Content-Length: 90000"), "truncated"),  # runs past the end of the file
        ((b"Content-Length: 7566", b"Content-Length: 7500"), "length_mismatch"),  # ends inside the page
        ((b"Content-Length: 7566", b"Content-Length: many"), "bad_content_length"),
        ((b"WARC-IP-Address: 192.0.32.8", b"WARC-Truncated: length"), "warc_truncated"),
        ((b"WARC-Target-URI: http://www.iana.org/", b"WARC-Target-URI: dns:www.iana.org"), None),
        ((b"<title>", b"<TITLE>"), "block_digest_mismatch"),  # the page changed after its digest was written
    ],
)
def test_a_record_with_a_lying_header_costs_only_itself(shared_data, tmp_path, header_edit, reason):
    original = (shared_data / "warc/edge-cases/example-iana.org-chunked.warc").read_bytes()
    edited = tmp_path / "edited.warc"
    edited.write_bytes(original.replace(*header_edit, 1))
    responses, stats = read_all(edited)
    assert responses == []
    assert stats.skipped["request"] == 1  # the record after the edited response is still read
    if reason is None:
        assert stats.skipped["bad_target_uri"] == 1 and not stats.broken
    else:
        assert [(b.offset, b.reason) for b in stats.broken] == [(405, reason)]


def test_block_digests_are_checked_in_base32_and_hex(shared_data):
    # Common Crawl and wget write base32 SHA-1, this file hex; every record of both kinds is read.
    for relative, responses in (("commoncrawl/cc-main-2020-34-excerpt.warc.gz", 16),
                                ("edge-cases/example-iana.org-chunked.warc", 1)):
        found, stats = read_all(shared_data / "warc" / relative)
        assert len(found) == responses and not stats.broken


def test_a_gzip_bomb_record_is_skipped_in_bounded_memory(tmp_path):
    import gzip as gz
    import tracemalloc

    from corpus_assets.crawl.warc_source import MAX_RECORD_BYTES

    path = tmp_path / "bomb.warc.gz"
    huge = MAX_RECORD_BYTES + 16 * 1024 * 1024
    with open(path, "wb") as out:
        # One gzip member holding a record far over the limit, then an ordinary page after it.
        header = (f"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:bomb>\r\n"
                  f"WARC-Target-URI: http://bomb.test/\r\nContent-Length: {huge}\r\n\r\n").encode()
        compressor = gz.GzipFile(fileobj=out, mode="wb", compresslevel=1)
        compressor.write(header)
        zeros = b"\0" * (1 << 20)
        for _ in range(huge // len(zeros)):
            compressor.write(zeros)
        compressor.write(b"\r\n\r\n")
        compressor.close()
        write_http_response(WARCWriter(out, gzip=True), "http://ok.test/")
    stats = WarcReadStats()
    tracemalloc.start()
    responses = list(iter_warc_responses(path, stats))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [r.url for r in responses] == ["http://ok.test/"]
    assert stats.as_metadata()["broken_by_reason"] == {"too_large": 1}  # the bomb is reported, not loaded
    assert peak < MAX_RECORD_BYTES // 2
