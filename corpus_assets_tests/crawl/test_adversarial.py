"""The crawler against inputs built to hurt it: an oversized robots.txt, sitemap bombs and loops, links it must
never follow, an endless calendar. Every test is bounded by page counts and sizes; claims are read off the
server's own request log and the crawl's outcomes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import tracemalloc
import zlib

import pytest

from corpus_assets.crawl.archive import CrawlArchive
from corpus_assets.crawl.crawler import Crawler, extract_links
from corpus_assets.crawl.robots import ROBOTS_MAX_BYTES, robots_rules
from corpus_assets.crawl.sitemaps import MAX_SITEMAP_BYTES, parse_sitemap
from corpus_assets.crawl.urls import MAX_URL_LENGTH
from corpus_assets_tests.crawling import crawl_config, outcomes_by_path
from corpus_assets_tests.sites import HOST_FILES, html_page
from corpus_assets_tests.texts import ARTICLES

DATE = dt.date(2026, 11, 2)
TEXT = {"Content-Type": "text/plain"}
XML = {"Content-Type": "application/xml"}
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def page(title, links=()):
    # No site chrome: its footer links would add pages of their own to every crawl.
    return html_page(title, ARTICLES["rivers"], links=list(links), boilerplate=False)


def adversarial_config(**overrides):
    """Small and quick: few pages, no politeness delay, one short retry."""
    return crawl_config(**{"max_pages": 20, "max_depth": 3, "max_retries": 1, "backoff_seconds": 0.01,
                           **overrides})


def crawl(site, tmp_path, name="d", log=lambda _message: None, **overrides):
    archive = CrawlArchive(tmp_path / name)
    summary = Crawler(adversarial_config(**overrides), archive, DATE, log=log).run([site.url("/")])
    return archive, summary


def outcome_of(archive, kind, url):
    return next(o for o in archive.outcomes() if o["kind"] == kind and o["url"] == url)


# ------------------------------------------------------------------------------------------------- robots.txt


def oversized_robots_txt(size=10_000_000):
    """Rules first, then `size` bytes of comments: RFC 9309 asks a crawler to parse at least the first 500 KiB."""
    rules = b"User-agent: *\nDisallow: /private/\n"
    comment = b"# " + b"filler " * 14 + b"\n"
    return rules + comment * (size // len(comment))


def test_an_oversized_robots_txt_is_obeyed_for_its_first_500_kib(serve, tmp_path):
    site = serve({"/robots.txt": (200, TEXT, oversized_robots_txt()),
                  "/": page("Home", ["/a.html", "/private/secret.html"]),
                  "/a.html": page("A"), "/private/secret.html": page("Secret")})
    said = []
    archive, _ = crawl(site, tmp_path, log=said.append)
    assert outcomes_by_path(archive, site) == {"/": "fetched", "/a.html": "fetched", "/private/secret.html": "robots"}
    assert "/private/secret.html" not in site.paths_requested()
    assert said == [f"{site.base_url}/robots.txt truncated at 500 KiB: the rules of that part are obeyed "
                    "(RFC 9309 asks for no more)"]
    assert site.paths_requested().count("/robots.txt") == 1
    robots = outcome_of(archive, "robots", site.url("/robots.txt"))
    assert robots["outcome"] == "fetched" and "truncated at 512000 bytes (500 KiB)" in robots["detail"]
    archived = archive.response(robots)  # only the part that is obeyed is archived, marked WARC-Truncated
    assert len(archived.body) == ROBOTS_MAX_BYTES and archived.truncated


def test_a_resumed_crawl_reads_the_cut_robots_txt_back_from_the_archive(serve, tmp_path):
    site = serve({"/robots.txt": (200, TEXT, oversized_robots_txt()),
                  "/": page("Home", ["/a.html", "/private/secret.html"]),
                  "/a.html": page("A"), "/private/secret.html": page("Secret")})
    archive, _ = crawl(site, tmp_path, max_pages=1)
    (archive.folder / "COMPLETE.json").unlink()  # as if the process had died before finishing
    crawl(site, tmp_path)
    assert outcomes_by_path(archive, site) == {"/": "fetched", "/a.html": "fetched", "/private/secret.html": "robots"}
    assert site.paths_requested().count("/robots.txt") == 1


def test_a_cut_robots_txt_is_read_to_its_last_complete_line():
    # The cut falls inside `Disallow: /private/`: read as it is, its first half would say `Disallow: /`.
    cut = b"User-agent: *\nDisallow: /private/\nDisallow: /"
    assert robots_rules(cut, truncated=True).can_fetch("http://h.test/a.html", "bot")
    assert not robots_rules(cut, truncated=True).can_fetch("http://h.test/private/x", "bot")
    assert not robots_rules(cut, truncated=False).can_fetch("http://h.test/a.html", "bot")  # a whole file is whole


# --------------------------------------------------------------------------------------------------- sitemaps


def urlset(*locs):
    return f'<urlset xmlns="{SITEMAP_NS}">{"".join(f"<url><loc>{u}</loc></url>" for u in locs)}</urlset>'.encode()


def sitemap_index(*locs):
    entries = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in locs)
    return f'<sitemapindex xmlns="{SITEMAP_NS}">{entries}</sitemapindex>'.encode()


def billion_laughs(loc):
    """The classic XML bomb: ten levels of ten references each, a gigabyte of `lol` if expanded."""
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    return f'<?xml version="1.0"?><!DOCTYPE urlset [{"".join(levels)}]>'.encode() + urlset(loc)


def test_a_billion_laughs_sitemap_gives_no_urls():
    assert parse_sitemap(billion_laughs("http://h.test/orphan&lol9;.html"), "http://h.test/") == ([], [])
    assert parse_sitemap(billion_laughs("&lol9;"), "http://h.test/") == ([], [])
    external = (b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                + urlset("http://h.test/&x;"))
    assert parse_sitemap(external, "http://h.test/") == ([], [])
    # an entity nobody declared is kept as a reference, not text: the text before it is not the URL
    assert parse_sitemap(urlset("http://h.test/a&undeclared;b.html", "/ok.html"), "http://h.test/") == (
        ["http://h.test/ok.html"], [])


def test_a_billion_laughs_sitemap_is_parsed_in_bounded_memory():
    """In a process of its own, whose peak resident size is its own: libxml2's memory is not Python's, so
    tracemalloc would not see an expansion. The address-space limit makes a regression fail, not swap. The peak is
    VmHWM, which a new program starts afresh; getrusage's ru_maxrss carries the forking test worker's over exec."""
    script = textwrap.dedent(f"""
        import re, resource
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
        from corpus_assets.crawl.sitemaps import parse_sitemap
        print(parse_sitemap({billion_laughs("&lol9;")!r}, "http://h.test/"))
        with open("/proc/self/status") as status:
            print(re.search(r"VmHWM:\\s*(\\d+) kB", status.read()).group(1))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    result, peak_kib = done.stdout.split("\n")[:2]
    assert result == "([], [])"
    assert int(peak_kib) < 256 * 1024  # the expansion alone would be a gigabyte


def test_a_billion_laughs_sitemap_seeds_nothing(serve, tmp_path):
    site = serve({"/": page("Home")})
    site.routes.update({"/robots.txt": (200, TEXT, b"User-agent: *\nSitemap: /bomb.xml\n"),
                        "/bomb.xml": (200, XML, billion_laughs(site.url("/orphan&lol9;.html")))})
    archive, _ = crawl(site, tmp_path, use_sitemaps=True)
    assert outcomes_by_path(archive, site) == {"/": "fetched"}
    assert site.paths_requested().count("/bomb.xml") == 1


def test_sitemap_indexes_that_list_themselves_or_each_other_are_each_fetched_once(serve, tmp_path):
    site = serve({"/": page("Home")})
    site.routes.update({
        "/robots.txt": (200, TEXT, b"User-agent: *\nSitemap: /self.xml\nSitemap: /a.xml\n"),
        "/self.xml": (200, XML, sitemap_index(site.url("/self.xml"))),
        "/a.xml": (200, XML, sitemap_index(site.url("/b.xml"), site.url("/a.xml"))),
        "/b.xml": (200, XML, sitemap_index(site.url("/a.xml"), site.url("/b.xml"))),
    })
    archive, summary = crawl(site, tmp_path, use_sitemaps=True)
    assert [p for p in site.paths_requested() if p.endswith(".xml")] == [
        "/self.xml", "/a.xml", "/sitemap.xml", "/b.xml"]
    assert outcomes_by_path(archive, site) == {"/": "fetched"} and summary.incomplete is None


def gzip_of(head, spaces, tail=b"", piece=1 << 24):
    """A valid gzip file of `head`, `spaces` spaces and `tail`, made in well under a second however large: after
    a full flush deflate starts afresh, so every piece of spaces compresses to the same bytes, which are repeated
    instead of compressed again."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    blank = b" " * piece
    start = deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH)
    repeated = deflate.compress(blank) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.compress(tail) + deflate.flush()
    crc = zlib.crc32(head)
    for _ in range(spaces // piece):
        crc = zlib.crc32(blank, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + spaces // piece * piece + len(tail)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + start + repeated * (spaces // piece) + end + (crc).to_bytes(4, "little") + \
        (size & 0xFFFFFFFF).to_bytes(4, "little")


GIGABYTE = 1 << 30


def test_the_gzip_helper_makes_what_gzip_reads():
    data = gzip_of(b"<a>", 3 * 1024, b"</a>", piece=1024)
    assert zlib.decompress(data, wbits=31) == b"<a>" + b" " * 3 * 1024 + b"</a>"


def test_a_gzip_bomb_sitemap_is_read_no_further_than_max_sitemap_bytes():
    bomb = gzip_of(f'<urlset xmlns="{SITEMAP_NS}"><url><loc>/a.html</loc></url>'.encode(), GIGABYTE,
                   b"<url><loc>/b.html</loc></url></urlset>")
    assert len(bomb) < 2_000_000
    tracemalloc.start()
    try:
        pages, nested = parse_sitemap(bomb, "http://h.test/")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (pages, nested) == (["http://h.test/a.html"], [])  # what came before the cap; nothing after it
    assert peak < 3 * MAX_SITEMAP_BYTES  # the capped output, and zlib's pieces of it while it joins them


def test_a_gzip_bomb_sitemap_leaves_the_crawl_to_finish(serve, tmp_path):
    site = serve({"/": page("Home"), "/a.html": page("A")})
    site.routes["/sitemap.xml"] = (200, {"Content-Type": "application/gzip"},
                                   gzip_of(urlset(site.url("/a.html"))[:-len(b"</urlset>")], GIGABYTE))
    archive, summary = crawl(site, tmp_path, use_sitemaps=True)
    assert outcomes_by_path(archive, site) == {"/": "fetched", "/a.html": "fetched"}
    assert outcome_of(archive, "sitemap", site.url("/sitemap.xml"))["outcome"] == "fetched"
    assert summary.incomplete is None


# ------------------------------------------------------------------------------------------------------ links

NOT_WEB = ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "&#106;avascript:alert(1)",
           "vbscript:msgbox(1)", "data:text/html,<p>hi</p>", "file:///etc/passwd", "file://localhost/etc/passwd",
           "mailto:someone@example.com", "ftp://127.0.0.1/pub/file.html", "tel:+15550100", "about:blank"]


def test_links_to_anything_but_http_are_not_links():
    body = "".join(f'<a href="{href}">x</a>' for href in NOT_WEB).encode()
    assert extract_links(body + b'<a href="/ok.html">ok</a>', "http://h.test/") == ["http://h.test/ok.html"]


def test_links_to_other_schemes_are_never_fetched_or_logged(serve, tmp_path):
    site = serve({"/": (200, {"Content-Type": "text/html"},
                        page("Home", ["/ok.html"])[2].replace(b"</ul>", "".join(
                            f'<li><a href="{href}">x</a></li>' for href in NOT_WEB).encode() + b"</ul>")),
                  "/ok.html": page("OK")})
    archive, summary = crawl(site, tmp_path)
    assert site.paths_requested() == [*HOST_FILES, "/", "/ok.html"]
    assert [o["url"] for o in archive.outcomes()] == [site.url(p) for p in (*HOST_FILES, "/", "/ok.html")]
    assert summary.outcomes == {"fetched": 2} and summary.links_off_site == 0


def test_a_link_of_100_000_characters_is_not_fetched(serve, tmp_path):
    huge = "/search?q=" + "a" * 100_000
    site = serve({"/": page("Home", [huge, "/ok.html", "/search?q=" + "b" * (MAX_URL_LENGTH // 2)]),
                  "/ok.html": page("OK"), huge: page("Huge")})
    archive, summary = crawl(site, tmp_path)
    assert sorted(r.path[:12] for r in site.page_requests()) == ["/", "/ok.html", "/search?q=bb"]
    assert len(archive.outcomes()) == 5  # robots.txt, TDMRep and three pages: the long URL is not one of them
    assert summary.links_too_long == 1 and summary.as_dict()["links_too_long"] == 1


def test_a_redirect_to_a_url_over_the_length_limit_is_not_followed(serve, tmp_path):
    # 10,000 characters: a Location header of 100,000 is already refused by http.client (64 KiB header lines)
    huge = "/search?q=" + "a" * 10_000
    site = serve({"/": (302, {"Location": huge}, b""), huge: page("Huge")})
    archive, _ = crawl(site, tmp_path)
    assert site.paths_requested() == [*HOST_FILES, "/"]
    outcome = outcome_of(archive, "page", site.url("/"))
    assert outcome["outcome"] == "bad_redirect" and f"over {MAX_URL_LENGTH}" in outcome["detail"]
    assert len(outcome["detail"]) < 200  # the line says how long, without holding the URL itself


class InfiniteCalendar(dict):
    """A site whose /calendar?month=N pages go on forever, each linking to the next month, to itself and to the
    first month: the crawler trap only the crawl's own limits can end."""

    def get(self, path, default=None):
        if not path.startswith("/calendar?month="):
            return super().get(path, default)
        month = int(path.rsplit("=", 1)[1])
        return page(f"Month {month}", [f"/calendar?month={m}" for m in (month + 1, month, 0)])


@pytest.mark.parametrize(("limits", "pages"), [
    ({"max_pages": 7, "max_depth": 1000}, 7),
    ({"max_pages": 1000, "max_depth": 4}, 5),  # months 0 to 4: the links of month 4 are not followed
    ({"max_pages": 1000, "max_depth": 1000, "max_pages_per_host": 6}, 6),
])
def test_an_infinite_calendar_stops_at_the_crawls_limits_each_month_asked_once(serve, tmp_path, limits, pages):
    site = serve(InfiniteCalendar({"/": (302, {"Location": "/calendar?month=0"}, b"")}))
    archive = CrawlArchive(tmp_path / "d")
    summary = Crawler(adversarial_config(**limits), archive, DATE).run([site.url("/calendar?month=0")])
    asked = [r.path for r in site.page_requests()]
    assert asked == [f"/calendar?month={m}" for m in range(pages)]  # each once, breadth first, none past the limit
    assert summary.outcomes == {"fetched": pages} and archive.is_complete()
