"""The FastWARC path and the recovery reader give the same responses, offsets and counts: on every shared WARC
file, on files damaged here in every way the recovery reader knows, and on files written here with what a
crawl may hold (chunked transfer, content encodings, odd headers). Well-formed files are read by FastWARC to
their end; a damaged one hands over to the recovery reader where the doubt begins."""

from __future__ import annotations

import gzip
import io
import zlib

import pytest
from warcio.warcwriter import WARCWriter

from corpus_assets.crawl import warc_source
from corpus_assets.crawl.warc_source import WarcReadStats, iter_recovered_responses, iter_warc_responses
from corpus_assets_tests.paths import SHARED_DATA

SHARED_WARC = SHARED_DATA / "warc"


def shared_warc_files() -> list[str]:
    if not SHARED_WARC.is_dir():
        return []
    return sorted(str(p.relative_to(SHARED_WARC)) for p in SHARED_WARC.rglob("*")
                  if p.is_file() and "LICENSE" not in p.name)


def needs_shared_warc():
    if not SHARED_WARC.is_dir():
        pytest.skip(f"needs the shared WARC files in {SHARED_WARC} (../shared/data/warc beside the checkout)")


@pytest.fixture
def handovers(monkeypatch) -> list[int]:
    """The offsets the recovery reader was started at by `iter_warc_responses` (empty: FastWARC read it all)."""
    started: list[int] = []
    recovered = warc_source._recovered

    def watched(stream, name, stats, base=0):
        started.append(base)
        return recovered(stream, name, stats, base)

    monkeypatch.setattr(warc_source, "_recovered", watched)
    return started


def both_ways(path, handovers: list[int] | None = None) -> tuple[tuple, tuple]:
    """(responses, skipped, broken, responses counted) read by the pipeline's reader and by the recovery reader;
    `handovers` is left with those of the pipeline's reader only."""
    results = []
    for read in (iter_recovered_responses, iter_warc_responses):
        if handovers is not None:
            handovers.clear()
        stats = WarcReadStats()
        responses = list(read(path, stats))
        results.append((responses, dict(stats.skipped), stats.broken, stats.responses))
    return results[1], results[0]


def assert_same(path, handovers: list[int] | None = None):
    fast, recovered = both_ways(path, handovers)
    assert fast == recovered
    return fast


# Files the shared set holds that FastWARC reads to the end: anything else hands over at the offset given.
SHARED_HANDOVERS = {
    "edge-cases/clipped-record.warc.gz": [0],  # its only record's gzip member is cut
    "edge-cases/example-bad-non-chunked.warc.gz": [0],  # gzip as one stream: many records per member
    "edge-cases/example-bad.warc.gz.bad": [0],
    "edge-cases/example-trunc.warc": [1197],  # the response's Content-Length is short
    "edge-cases/example-wrong-chunks.warc.gz": [0],  # a record across three gzip members
}


@pytest.mark.parametrize("relative", shared_warc_files() or ["(none)"])
def test_every_shared_file_reads_the_same_both_ways(relative, handovers):
    needs_shared_warc()
    assert_same(SHARED_WARC / relative, handovers)
    assert handovers == SHARED_HANDOVERS.get(relative, [])


def http_record(writer, url, headers, body, status="200 OK"):
    head = f"HTTP/1.1 {status}\r\n".encode() + b"".join(f"{k}: {v}\r\n".encode() for k, v in headers) + b"\r\n"
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(head + body)))


def chunked(data: bytes, size: int = 7) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(data[i:i + size]), data[i:i + size]) for i in range(0, len(data), size)) \
        + b"0\r\n\r\n"


def write_varied_warc(path, *, gzipped: bool) -> None:
    """Responses the way crawls hold them, and the odd ones a reader may trip on."""
    page = b"<html><body>" + b"<p>words words</p>" * 200 + b"</body></html>"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record("varied.warc", {"software": "test"}))
        http_record(writer, "http://a.test/plain", [("Content-Type", "text/html"), ("Content-Length", len(page))], page)
        http_record(writer, "http://a.test/chunked", [("Transfer-Encoding", "chunked")], chunked(page))
        for encoding, body in (("gzip", gzip.compress(page)), ("deflate", zlib.compress(page)),
                               ("GZIP", gzip.compress(page)), ("br", page), ("identity", page)):
            http_record(writer, f"http://a.test/{encoding}", [("Content-Encoding", encoding)], body)
        http_record(writer, "http://a.test/gzip-chunked", [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
                    chunked(gzip.compress(page), 100))
        http_record(writer, "http://a.test/not-gzip", [("Content-Encoding", "gzip")], page)  # declared, not done
        http_record(writer, "http://a.test/bad-chunks", [("Transfer-Encoding", "chunked")], b"zz\r\n" + page)
        http_record(writer, "http://a.test/short", [("Content-Length", "99999")], page)  # truncated_payload
        http_record(writer, "http://a.test/redirect", [("Location", "/plain")], b"", status="301 Moved")
        http_record(writer, "http://a.test/no-reason", [], page, status="204")
        http_record(writer, "http://a.test/latin1", [("X-Name", "caf\u00e9")], page)
        http_record(writer, "http://a.test/folded", [("X-Long", "a\r\n  b")], page)
        http_record(writer, "http://a.test/bare-status", [], page, status="abc")  # bad_http
        http_record(writer, "http://a.test/a page", [], page)  # a space in the target URI
        http_record(writer, "<http://a.test/wget>", [], page)
        http_record(writer, "HTTP://A.TEST/upper", [], page)
        http_record(writer, "ftp://a.test/file", [], page)
        writer.write_record(writer.create_warc_record("http://a.test/resource", "resource",
                                                      payload=io.BytesIO(page), warc_content_type="text/html"))
        writer.write_record(writer.create_warc_record("http://a.test/plain", "request",
                                                      payload=io.BytesIO(b"GET /plain HTTP/1.1\r\n\r\n")))
        # an HTTP head with bare LF line ends, as some writers (ClueWeb's Nutch) leave them
        http = b"HTTP/1.1 200 OK\nContent-Type: text/html\n\n" + page
        writer.write_record(writer.create_warc_record("http://a.test/lf", "response", payload=io.BytesIO(http)))


@pytest.mark.parametrize("gzipped", [True, False])
def test_files_written_here_read_the_same_both_ways(tmp_path, handovers, gzipped):
    path = tmp_path / ("varied.warc.gz" if gzipped else "varied.warc")
    write_varied_warc(path, gzipped=gzipped)
    responses, skipped, broken, _ = assert_same(path, handovers)
    assert handovers == []  # well formed: FastWARC reads it to the end
    assert len(responses) > 10 and skipped["resource"] == 1 and broken


def shared_bytes(relative: str) -> bytes:
    needs_shared_warc()
    return (SHARED_WARC / relative).read_bytes()


def plain_edits() -> list[tuple[str, bytes, bytes]]:
    """(name, old, new) edits of example-iana.org-chunked.warc (warcinfo at 0, response at 405, request)."""
    request = b"\r\n\r\nWARC/1.0\r\nWARC-Type: request"
    return [
        ("content_length_long", b"Content-Length: 7566", b"Content-Length: 7900"),
        ("content_length_past_end", b"Content-Length: 7566", b"Content-Length: 90000"),
        ("content_length_short", b"Content-Length: 7566", b"Content-Length: 7500"),
        ("content_length_short_by_blank", b"Content-Length: 7566", b"Content-Length: 7565"),
        ("content_length_word", b"Content-Length: 7566", b"Content-Length: many"),
        ("content_length_plus", b"Content-Length: 7566", b"Content-Length: +7566"),
        ("warc_truncated", b"WARC-IP-Address: 192.0.32.8", b"WARC-Truncated: length"),
        ("digest_mismatch", b"<title>", b"<TITLE>"),
        ("digest_upper", b"sha1:a54fe86cc15cbb3c66f29596f26395bb2f7b5cc6", b"SHA1:A54FE86CC15CBB3C66F29596F26395BB2F7B5CC6"),
        ("digest_unknown_algorithm", b"sha1:a54fe86cc15cbb3c66f29596f26395bb2f7b5cc6", b"crc9:abc"),
        ("version_trailing_space", b"WARC/1.0\r\nWARC-Type: response", b"WARC/1.0 \r\nWARC-Type: response"),
        ("version_unknown", b"WARC/1.0\r\nWARC-Type: response", b"WARC/1.9\r\nWARC-Type: response"),
        ("version_018", b"WARC/1.0\r\nWARC-Type: response", b"WARC/0.18\r\nWARC-Type: response"),
        ("version_lf", b"WARC/1.0\r\nWARC-Type: response", b"WARC/1.0\nWARC-Type: response"),
        ("type_twice", b"WARC-Type: response", b"WARC-Type: response\r\nWARC-Type: request"),
        ("type_capitalised", b"WARC-Type: response", b"WARC-Type: Response"),
        ("type_spaced_name", b"WARC-Type: response", b"WARC-Type : response"),
        ("folded_header", b"WARC-Type: response", b"WARC-Type: response\r\nX-Folded: a\r\n  b"),
        ("lf_line_in_header", b"WARC-Type: response\r\n", b"WARC-Type: response\r\n\n"),
        ("lf_lf_in_header", b"WARC-Type: response\r\n", b"WARC-Type: response\n\n"),
        ("lf_lines_in_header", b"WARC-Type: response\r\n", b"WARC-Type: response\nX-Extra: y\n"),
        ("leading_space_header", b"WARC-Type: response", b"WARC-Type: response\r\n WARC-Target-URI: http://x.test/"),
        ("non_ascii_target", b"WARC-Target-URI: http://www.iana.org/", "WARC-Target-URI: http://www.iana.org/é".encode()),
        ("dns_target", b"WARC-Target-URI: http://www.iana.org/", b"WARC-Target-URI: dns:www.iana.org"),
        ("spaces_between_records", request, b"\r\n\r\n  \r\nWARC/1.0\r\nWARC-Type: request"),
        ("blank_lines_between_records", request, b"\r\n\r\n\r\n\r\n\n\nWARC/1.0\r\nWARC-Type: request"),
        ("no_blank_line_between_records", request, b"WARC/1.0\r\nWARC-Type: request"),
        ("garbage_between_records", request, b"\r\n\r\nnot a record\r\nWARC/1.0\r\nWARC-Type: request"),
    ]


@pytest.mark.parametrize(("name", "old", "new"), plain_edits(), ids=[e[0] for e in plain_edits()])
def test_a_damaged_plain_file_reads_the_same_both_ways(tmp_path, name, old, new):
    original = shared_bytes("edge-cases/example-iana.org-chunked.warc")
    assert old in original
    path = tmp_path / f"{name}.warc"
    path.write_bytes(original.replace(old, new, 1))
    assert_same(path)


@pytest.mark.parametrize("extra", [b"garbage", b"   ", b"\r\n\r\n", b"\0", b"WARC/1.0\r\n"], ids=repr)
@pytest.mark.parametrize("where", ["before", "after"])
def test_bytes_before_or_after_the_records_read_the_same_both_ways(tmp_path, extra, where):
    original = shared_bytes("edge-cases/example-iana.org-chunked.warc")
    path = tmp_path / "extra.warc"
    path.write_bytes(extra + original if where == "before" else original + extra)
    assert_same(path)


@pytest.mark.parametrize("relative", ["commoncrawl/cc-main-2020-34-excerpt.warc.gz", "wget/wget-crawl-0001.warc.gz",
                                      "edge-cases/example-iana.org-chunked.warc"])
def test_a_file_cut_anywhere_reads_the_same_both_ways(tmp_path, relative):
    data = shared_bytes(relative)
    for cut in sorted({*range(1, len(data), max(1, len(data) // 37)), len(data) - 1, len(data) - 4}):
        path = tmp_path / f"cut-{cut}"
        path.write_bytes(data[:cut])
        fast, recovered = both_ways(path)
        assert fast == recovered, f"cut at {cut}"


def gzip_member_starts(data: bytes) -> list[int]:
    """Where each gzip member of a file with one member per record starts."""
    starts, at = [], 0
    while at < len(data):
        starts.append(at)
        decoder = zlib.decompressobj(31)
        decoder.decompress(data[at:])
        at = len(data) - len(decoder.unused_data)
    return starts


def gzip_damages(data: bytes) -> list[tuple[str, bytes]]:
    starts = gzip_member_starts(data)
    third, fifth = starts[3], starts[5]
    flip = bytearray(data)
    flip[(third + fifth) // 2] ^= 0xFF
    zeros = bytearray(data)
    zeros[(third + fifth) // 2 : (third + fifth) // 2 + 40] = b"\0" * 40
    bad_crc = bytearray(data)
    bad_crc[starts[4] - 8] ^= 0x01  # the CRC-32 at the end of the fourth member
    bad_size = bytearray(data)
    bad_size[starts[4] - 2] ^= 0x01  # its ISIZE
    members = [data[a:b] for a, b in zip(starts, [*starts[1:], len(data)], strict=True)]
    plain = [gzip.decompress(m) for m in members]
    return [
        ("flipped_byte", bytes(flip)),
        ("zeroed_bytes", bytes(zeros)),
        ("bad_crc", bytes(bad_crc)),
        ("bad_isize", bytes(bad_size)),
        ("junk_between_members", data[:third] + b"junk" + data[third:]),
        ("spaces_between_members", data[:third] + b"  " + data[third:]),
        ("trailing_junk", data + b"junk"),
        ("trailing_zeros", data + b"\0" * 16),
        ("empty_member", data[:third] + gzip.compress(b"") + data[third:]),
        ("blank_member", data[:third] + gzip.compress(b"\r\n\r\n") + data[third:]),
        ("member_missing", data[:third] + data[starts[4]:]),
        ("two_records_one_member", b"".join(members[:3]) + gzip.compress(plain[3] + plain[4]) + b"".join(members[5:])),
        ("record_split_in_two", b"".join(members[:3]) + gzip.compress(plain[3][:300]) + gzip.compress(plain[3][300:])
         + b"".join(members[4:])),
        ("trailer_spaces", b"".join(members[:3]) + gzip.compress(plain[3].rstrip(b"\r\n") + b"\r\n  ")
         + b"".join(members[4:])),
        ("no_trailer", b"".join(members[:3]) + gzip.compress(plain[3].rstrip(b"\r\n")) + b"".join(members[4:])),
        ("leading_blank_in_member", b"".join(members[:3]) + gzip.compress(b"\r\n" + plain[3]) + b"".join(members[4:])),
        ("one_stream", gzip.compress(b"".join(plain))),
        ("garbage_record", b"".join(members[:3]) + gzip.compress(b"not a record\r\n\r\n") + b"".join(members[3:])),
    ]


@pytest.mark.parametrize("relative", ["wget/wget-crawl-0000.warc.gz", "commoncrawl/cc-main-2020-34-excerpt.warc.gz"])
def test_a_damaged_gzip_file_reads_the_same_both_ways(tmp_path, relative):
    for name, damaged in gzip_damages(shared_bytes(relative)):
        path = tmp_path / f"{name}.warc.gz"
        path.write_bytes(damaged)
        fast, recovered = both_ways(path)
        assert fast == recovered, name


def test_a_damaged_file_hands_over_at_the_last_record_given_out(tmp_path, handovers):
    data = shared_bytes("wget/wget-crawl-0000.warc.gz")
    starts = gzip_member_starts(data)
    path = tmp_path / "junk.warc.gz"
    path.write_bytes(data[: starts[6]] + b"junk" + data[starts[6]:])
    fast, recovered = both_ways(path, handovers)
    assert fast == recovered
    assert len(handovers) == 1 and 0 < handovers[0] <= starts[6]  # the records before it came from FastWARC


def test_an_empty_file_reads_the_same_both_ways(tmp_path):
    path = tmp_path / "empty.warc"
    path.write_bytes(b"")
    assert assert_same(path)[0] == []
