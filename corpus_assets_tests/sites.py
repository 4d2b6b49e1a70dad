"""Websites made for the tests, served on 127.0.0.1 by a real HTTP server that logs every request."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from corpus_assets.crawl.robots import TDMREP_PATH
from corpus_assets_tests.texts import ARTICLES, FRENCH_ARTICLE

# A handler may return (status, headers, body) for a path; a plain page is (200, text/html, body). A body may
# also be an iterable of byte chunks, sent one at a time; its headers then give the Content-Length.
Response = tuple[int, dict[str, str], bytes | Iterable[bytes]]
# What a callable route returns when it wrote (or broke) the response on the socket itself.
ANSWERED = "answered"
# What a crawler asks each host for before its pages, in this order.
HOST_FILES = ("/robots.txt", TDMREP_PATH)
Route = Response | Callable[["SiteHandler"], Response | None]


@dataclass
class LoggedRequest:
    method: str
    path: str
    user_agent: str
    at: float


@dataclass
class TestSite:
    """A loopback HTTP server for a dict of routes; `requests` is its own log of what was asked."""

    routes: dict[str, Route]
    requests: list[LoggedRequest] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    host: str = "127.0.0.1"  # any of 127.0.0.0/8: a second loopback address the crawl's allow list leaves out

    @property
    def base_url(self) -> str:
        assert self.server is not None
        return f"http://{self.host}:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def paths_requested(self) -> list[str]:
        return [r.path for r in self.requests]

    def page_requests(self) -> list[LoggedRequest]:
        """The requests for pages: not for the files a crawler asks each host for first (robots.txt, TDMRep)."""
        return [r for r in self.requests if r.path not in HOST_FILES]

    def start(self, port: int = 0) -> TestSite:
        """Serve on `port` of this site's loopback address (0: any free port)."""
        site = self

        class Handler(SiteHandler):
            pass

        Handler.site = site
        self.server = ThreadingHTTPServer((self.host, port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()


class SiteHandler(BaseHTTPRequestHandler):
    site: TestSite
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self.site.requests.append(
            LoggedRequest("GET", self.path, self.headers.get("User-Agent", ""), time.monotonic())
        )
        route = self.site.routes.get(self.path)
        response = route(self) if callable(route) else route
        if response == ANSWERED:
            self.close_connection = True
            return
        if response is None:
            response = (404, {"Content-Type": "text/html"}, b"<html><body><h1>Not found</h1></body></html>")
        status, headers, body = response
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if isinstance(body, bytes):
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        # a body given as chunks is sent piece by piece under the Content-Length the route declared; one that
        # ends short closes the connection, as a server that fails midway does
        self.end_headers()
        sent = 0
        for chunk in body:
            self.wfile.write(chunk)
            self.wfile.flush()
            sent += len(chunk)
        if sent < int(headers["Content-Length"]):
            self.close_connection = True


def html_page(title: str, paragraphs: list[str], *, lang: str = "en", links: list[str] = (),
              boilerplate: bool = True) -> Response:
    """A page in the shape of a real site: header, nav, cookie banner and footer around an article."""
    nav = "".join(f'<li><a href="{href}">{href.strip("/").split("/")[-1] or "home"}</a></li>' for href in links)
    article = "".join(f"<p>{p}</p>" for p in paragraphs)
    chrome_top = (
        f'<header><div class="logo">Example Site</div><nav class="menu"><ul>{nav}</ul></nav></header>'
        '<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience. '
        '<button>Accept all cookies</button></div>'
        if boilerplate else f"<ul>{nav}</ul>"
    )
    chrome_bottom = (
        '<aside class="sidebar"><h3>Related articles</h3><ul><li>Ten tips</li><li>More news</li></ul></aside>'
        '<footer><p>Copyright 2026 Example Site. All rights reserved.</p><a href="/privacy">Privacy</a></footer>'
        if boilerplate else ""
    )
    body = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        "<script>var tracking = {id: 1};</script><style>body {color: black}</style></head>"
        f"<body>{chrome_top}<main><article><h1>{title}</h1>{article}</article></main>{chrome_bottom}"
        "</body></html>"
    )
    return 200, {"Content-Type": "text/html; charset=utf-8"}, body.encode("utf-8")


def three_page_site() -> dict[str, Route]:
    """Three linked articles, a page robots.txt forbids, a PDF and a missing page: what a crawler meets first."""
    links = ["/a.html", "/b.html", "/private/secret.html", "/missing.html", "/file.pdf"]
    return {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"),
        "/": html_page("Home", ARTICLES["rivers"], links=links),
        "/a.html": html_page("A", ARTICLES["bread"], links=["/", "/b.html"]),
        "/b.html": html_page("B", ARTICLES["lighthouses"], links=["/a.html"]),
        "/private/secret.html": html_page("Secret", ARTICLES["bread"]),
        "/file.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4 not a page"),
    }


def every_fate_site() -> dict[str, Route]:
    """A site whose pages each meet another fate in the chain: kept, too short for C4, no text, French, refused by
    robots.txt, gone, not HTML, an exact and a near duplicate."""
    links = ["/rivers.html", "/bread.html", "/lighthouses.html", "/thin.html", "/fr/rivieres.html",
             "/private/draft.html", "/gone.html", "/report.pdf", "/mirror/rivers.html", "/reprint/bread.html"]
    reprinted = [p.replace("great deal of patience", "great deal of time") for p in ARTICLES["bread"]]
    return {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"),
        "/": html_page("Welcome", ARTICLES["rivers"][:3], links=links),
        "/rivers.html": html_page("Rivers and cities", ARTICLES["rivers"], links=links),
        "/bread.html": html_page("Baking bread", ARTICLES["bread"], links=links),
        "/lighthouses.html": html_page("Lighthouses", ARTICLES["lighthouses"], links=links),
        "/thin.html": html_page("Coming soon", ["Coming soon."], links=links),
        "/fr/rivieres.html": html_page("Les rivières", FRENCH_ARTICLE, lang="fr", links=links),
        "/private/draft.html": html_page("Draft", ARTICLES["bread"], links=links),
        "/report.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7 binary"),
        "/privacy": html_page("Privacy policy", ARTICLES["lighthouses"][:2], links=[]),
        # The same article on another URL, and one with a single edit: an exact and a near duplicate.
        "/mirror/rivers.html": html_page("Rivers and cities", ARTICLES["rivers"], links=[], boilerplate=False),
        "/reprint/bread.html": html_page("Baking bread", reprinted, links=[]),
    }


class SwitchableStaticSite:
    """Serves a folder on 127.0.0.1 whose root can be switched, so one URL space shows two versions of a site."""

    def __init__(self, root: Path):
        from http.server import SimpleHTTPRequestHandler

        site = self
        self.root = root
        self.requests: list[str] = []

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(site.root), **kwargs)

            def log_message(self, *args: object) -> None:
                site.requests.append(self.path)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def many_pages_site(pages: int, paragraphs: int = 30, seed: int = 7) -> dict[str, Route]:
    """An index linking `pages` long articles of shuffled English words, no two alike (nothing for dedup to drop):
    a site whose extraction takes a while."""
    import random

    rng = random.Random(seed)
    words = sorted({word.strip(".,:;").lower() for article in ARTICLES.values() for text in article
                    for word in text.split()})
    paths = [f"/articles/{i}.html" for i in range(pages)]
    routes: dict[str, Route] = {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\n"),
        "/": html_page("Articles", ARTICLES["rivers"][:3], links=paths),
    }
    for i, path in enumerate(paths):
        text = [" ".join(rng.choice(words) for _ in range(rng.randint(12, 24))).capitalize() + "."
                for _ in range(paragraphs)]
        routes[path] = html_page(f"Article {i}", text, links=[])
    return routes
