"""The crawler against a loopback server that misbehaves on purpose; every claim is read off the server's own
request log, the crawl's outcomes or the warehouse."""

import datetime as dt
import gzip
import hashlib
import socket
import struct
import time

import pytest

from corpus_assets.assets.crawl_archive import crawl_archive
from corpus_assets.assets.raw_pages import raw_pages
from corpus_assets.crawl.archive import CrawlArchive
from corpus_assets.crawl.config import CrawlConfig
from corpus_assets.crawl.crawler import Crawler
from corpus_assets.extract import ExtractConfig, decode_html, extract_main_text
from corpus_assets_tests.pipeline import materialize, query, write_config
from corpus_assets_tests.sites import ANSWERED, TestSite, html_page
from corpus_assets_tests.texts import ARTICLES

DATE = dt.date(2026, 11, 2)
HTML = {"Content-Type": "text/html; charset=utf-8"}
# No site chrome: its footer links would add pages of their own to every crawl.
GOOD = html_page("Good", ARTICLES["rivers"], boilerplate=False)


def page_linking(paths):
    return html_page("Home", ARTICLES["bread"], links=paths, boilerplate=False)


def slow_first_byte(handler):
    time.sleep(1.0)
    return GOOD


def dripping_body(_handler):
    body = GOOD[2]
    return 200, {**HTML, "Content-Length": str(len(body))}, (body[i:i + 1] for i in range(len(body)) if
                                                            time.sleep(0.05) is None)


def fails_then_works():
    calls = []

    def route(_handler):
        calls.append(1)
        return (500, HTML, b"<h1>busy</h1>") if len(calls) == 1 else GOOD

    return route


def rate_limited_then_works():
    calls = []

    def route(_handler):
        calls.append(1)
        return (429, {**HTML, "Retry-After": "1"}, b"slow down") if len(calls) == 1 else GOOD

    return route


def gzip_bomb():
    # 20 MB of zeros in about 20 KB: the decoded size is what the cap counts.
    return 200, {**HTML, "Content-Encoding": "gzip"}, gzip.compress(b"\0" * 20_000_000, compresslevel=9)


def fifty_megabytes(_handler):
    chunk = b"<p>" + b"x" * 65_533
    return 200, {**HTML, "Content-Length": str(50 * 1024 * 1024)}, (chunk for _ in range(800))


def reset_mid_body(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    handler.wfile.write(b"<html><body><p>" + b"half a page " * 100)
    handler.wfile.flush()
    # SO_LINGER 0: close with a TCP RST, as a crashing server or a middlebox does.
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()
    return ANSWERED


def invalid_utf8():
    body = GOOD[2].replace(b"<h1>Good</h1>", b"<h1>Good \xff\xfe\xc3\x28 bytes</h1>")
    return 200, HTML, body


def hostile_routes(other_port):
    paths = {
        "/slow-first-byte.html": slow_first_byte,
        "/dripping.html": dripping_body,
        "/flaky.html": fails_then_works(),
        "/rate-limited.html": rate_limited_then_works(),
        "/loop-a.html": (302, {"Location": "/loop-b.html"}, b""),
        "/loop-b.html": (302, {"Location": "/loop-a.html"}, b""),
        "/to-metadata.html": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
        "/to-private.html": (302, {"Location": "http://10.0.0.1/admin"}, b""),
        "/to-other-loopback.html": (302, {"Location": f"http://127.0.0.2:{other_port}/"}, b""),
        "/bomb.html": gzip_bomb(),
        "/huge.html": fifty_megabytes,
        "/binary.html": (200, {"Content-Type": "application/octet-stream"}, GOOD[2]),
        "/invalid-bytes.html": invalid_utf8(),
        "/reset.html": reset_mid_body,
        "/private/secret.html": GOOD,
        "/good.html": GOOD,
    }
    return {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"),
        "/": page_linking(list(paths)),
        **paths,
    }


EXPECTED = {
    "/": "fetched",
    "/slow-first-byte.html": "timeout",
    "/dripping.html": "timeout",
    "/flaky.html": "fetched",
    "/rate-limited.html": "fetched",
    "/loop-a.html": "redirect_loop",
    "/loop-b.html": "redirect_loop",
    "/to-metadata.html": "refused_address",
    "/to-private.html": "refused_address",
    "/to-other-loopback.html": "refused_address",
    "/bomb.html": "too_large",
    "/huge.html": "too_large",
    "/binary.html": "not_html",
    "/invalid-bytes.html": "fetched",
    "/reset.html": "connection_error",
    "/private/secret.html": "robots",
    "/good.html": "fetched",
}


def hostile_config(**overrides):
    settings = {
        "allow_private_networks": ["127.0.0.1/32"],  # the test server, and nothing else
        "delay_seconds": 0.0,
        "backoff_seconds": 0.01,
        "max_retries": 1,
        "read_timeout_seconds": 0.5,
        "total_timeout_seconds": 1.5,
        "max_body_bytes": 5_000_000,
        "max_pages": 100,
    }
    return CrawlConfig(**{**settings, **overrides})


@pytest.fixture(scope="module")
def hostile_site():
    other = TestSite({"/": GOOD}).start()
    site = TestSite(hostile_routes(other.server.server_address[1])).start()
    yield site, other
    site.stop()
    other.stop()


@pytest.fixture(scope="module")
def crawled(hostile_site, tmp_path_factory):
    """One crawl of the hostile site, shared by the tests that read its log and outcomes (it takes seconds:
    timeouts and Retry-After are waited out for real)."""
    site, other = hostile_site
    archive = CrawlArchive(tmp_path_factory.mktemp("hostile") / DATE.isoformat())
    summary = Crawler(hostile_config(), archive, DATE).run([site.url("/")])
    requests = list(site.requests)
    outcomes = {o["url"].removeprefix(site.base_url): o for o in archive.outcomes() if o["kind"] == "page"}
    return site, other, archive, summary, outcomes, requests


def requests_to(requests, path):
    return [r for r in requests if r.path == path]


def test_every_url_gets_the_outcome_its_misbehaviour_earns(crawled):
    site, _, _, _, outcomes, _ = crawled
    assert {path: o["outcome"] for path, o in outcomes.items()} == EXPECTED


def test_retries_stop_at_the_configured_count(crawled):
    *_, log = crawled
    attempts = hostile_config().max_retries + 1
    assert len(requests_to(log, "/slow-first-byte.html")) == attempts
    assert len(requests_to(log, "/reset.html")) == attempts
    assert len(requests_to(log, "/dripping.html")) == 1  # it spent its whole time budget: not asked again
    assert len(requests_to(log, "/flaky.html")) == 2  # 500, then the page
    # Each of the two URLs is followed round the loop once: a -> b -> (a seen: stop), b -> a -> (b seen: stop).
    assert len(requests_to(log, "/loop-a.html")) == 2 and len(requests_to(log, "/loop-b.html")) == 2


def test_retry_after_is_honoured(crawled):
    *_, log = crawled
    first, second = requests_to(log, "/rate-limited.html")
    assert second.at - first.at >= 1.0


def test_nothing_disallowed_and_nothing_private_is_requested(crawled):
    _, other, *_, log = crawled
    assert not requests_to(log, "/private/secret.html")
    assert other.requests == []  # 127.0.0.2 is loopback but not in the allowed list


def test_good_pages_are_archived_intact(crawled):
    site, _, archive, _, outcomes, _ = crawled
    for path in ("/good.html", "/flaky.html", "/rate-limited.html"):
        assert archive.response(outcomes[path]).body == GOOD[2], path


def test_invalid_bytes_for_the_declared_charset_do_not_crash_extraction(crawled):
    site, _, archive, _, outcomes, _ = crawled
    body = archive.response(outcomes["/invalid-bytes.html"]).body
    decoded = decode_html(body, "text/html; charset=utf-8")
    extraction = extract_main_text(decoded.text, site.url("/invalid-bytes.html"), ExtractConfig())
    assert "Good" in extraction.title or "Good" in extraction.text
    assert ARTICLES["rivers"][0][:40] in extraction.text


def test_robots_crawl_delay_spaces_requests_to_a_host(serve, tmp_path):
    pages = ["/a.html", "/b.html", "/c.html"]
    site = serve({
        "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nCrawl-delay: 0.5\nDisallow: /x/\n"),
        "/": page_linking([*pages, "/x/hidden.html"]),
        **{path: GOOD for path in pages},
        "/x/hidden.html": GOOD,
    })
    Crawler(hostile_config(), CrawlArchive(tmp_path / "a"), DATE).run([site.url("/")])
    pages_asked = site.page_requests()
    assert [r.path for r in pages_asked] == ["/", *pages]
    gaps = [later.at - earlier.at for earlier, later in zip(pages_asked, pages_asked[1:])]
    assert min(gaps) >= 0.5


def test_a_robots_txt_answering_500_keeps_the_crawler_off_the_host(serve, tmp_path):
    site = serve({"/robots.txt": (500, HTML, b"oops"), "/": page_linking(["/a.html"]), "/a.html": GOOD})
    archive = CrawlArchive(tmp_path / "a")
    Crawler(hostile_config(), archive, DATE).run([site.url("/")])
    assert site.paths_requested() == ["/robots.txt"] * (hostile_config().max_retries + 1)
    assert [o["outcome"] for o in archive.outcomes() if o["kind"] == "page"] == ["robots"]


def test_in_the_warehouse_every_url_has_exactly_one_outcome(serve, tmp_path):
    other = serve({"/": GOOD})
    site = serve(hostile_routes(other.server.server_address[1]))
    crawl = hostile_config().model_dump()
    config = write_config(tmp_path, seeds=[site.url("/")], crawl=crawl,
                          gates={"raw_pages": {"max_unexpected_drop_rate": 1.0}})
    assert materialize([crawl_archive, raw_pages], config, DATE.isoformat()).success
    kept = query(config, "SELECT url, body_sha256 FROM raw_pages")
    dropped = query(config, "SELECT url, reason FROM drop_log WHERE stage = 'raw_pages'")
    fates = [url.removeprefix(site.base_url) for url, _ in kept + dropped]
    assert sorted(fates) == sorted(EXPECTED)  # each URL once, none missing
    assert {url.removeprefix(site.base_url): reason for url, reason in dropped} == {
        path: outcome for path, outcome in EXPECTED.items() if outcome != "fetched"}
    bodies = dict(kept)
    assert bodies[site.url("/good.html")] == hashlib.sha256(GOOD[2]).hexdigest()


def test_dns_rebinding_cannot_reach_a_private_address(serve, monkeypatch):
    """The name answers a public address when the URL is checked and the loopback server's when it is connected
    to; the address that is connected to is checked again, so nothing reaches the server."""
    from corpus_assets.crawl.fetch import Fetcher

    site = serve({"/": GOOD})
    port = site.server.server_address[1]
    real_getaddrinfo = socket.getaddrinfo
    answers = []

    def rebinding_getaddrinfo(host, *args, **kwargs):
        if host != "rebind.test":
            return real_getaddrinfo(host, *args, **kwargs)
        answers.append(host)
        address = "93.184.216.34" if len(answers) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_getaddrinfo)
    result = Fetcher(hostile_config(allow_private_networks=False)).fetch(f"http://rebind.test:{port}/")
    assert result.outcome == "refused_address"
    assert "127.0.0.1" in result.detail
    assert len(answers) >= 2 and site.requests == []
