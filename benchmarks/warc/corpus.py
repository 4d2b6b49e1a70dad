"""The benchmark's large WARC file: Debian's PostgreSQL documentation (both versions, about 2,300 pages) written
once with warcio's WARCWriter as Common Crawl writes its files (one gzip member per record, a request before
each response, block and payload digests), into a cache folder outside the repository."""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from benchmarks.debian_docs import postgresql_doc_sites

CACHE = Path(os.environ.get("CORPUS_BENCH_CACHE", Path.home() / ".cache" / "corpus_assets_bench"))
# Bumped when what is written changes, so that an older file is not measured as if it were this one.
VERSION = 1


def _http_response(page: bytes, number: int) -> tuple[list[tuple[str, str]], bytes]:
    """Headers and body as served: most pages plain, some gzip-encoded and some chunked, as real crawls hold
    both and the reader decodes them (the slower path)."""
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Server", "nginx")]
    if number % 10 == 3:
        body = gzip.compress(page, mtime=0)
        headers += [("Content-Encoding", "gzip"), ("Content-Length", str(len(body)))]
    elif number % 10 == 7:
        body = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in
                        (page[i:i + 4096] for i in range(0, len(page), 4096))) + b"0\r\n\r\n"
        headers += [("Transfer-Encoding", "chunked")]
    else:
        body = page
        headers += [("Content-Length", str(len(body)))]
    return headers, body


def postgresql_docs_warc() -> Path:
    """The gzip WARC of both PostgreSQL documentation versions, written on first use."""
    path = CACHE / f"postgresql-docs-v{VERSION}.warc.gz"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    number = 0
    with open(partial, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for site, version in zip(postgresql_doc_sites(), ("15-old", "15-new"), strict=True):
            for page_path in sorted(site.glob("*.html")):
                url = f"https://www.postgresql.org/docs/{version}/{page_path.name}"
                request = StatusAndHeaders(f"GET /docs/{version}/{page_path.name} HTTP/1.1",
                                           [("Host", "www.postgresql.org"), ("User-Agent", "bench")],
                                           is_http_request=True)
                writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
                headers, body = _http_response(page_path.read_bytes(), number)
                http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                              http_headers=http))
                number += 1
    partial.rename(path)
    return path


