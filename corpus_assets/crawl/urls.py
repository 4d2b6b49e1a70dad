"""URL normalisation and crawl scope."""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# The public suffix list ships inside the package: nothing is downloaded at run time.
from tld import get_fld

DEFAULT_PORTS = {"http": 80, "https": 443}
# The media types of web pages: what a crawl keeps unless crawl.content_types says otherwise.
HTML_TYPES = ("text/html", "application/xhtml+xml")
TRACKING_PARAMETERS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "yclid", "_hsenc", "_hsmi")
# Longer URLs are not crawled. sitemaps.org wants URLs under 2,048 characters (Heritrix's default limit is 2,083,
# the old Internet Explorer one): past that a URL is generated state (a session, a search, a trap) far more often
# than a page, and each one would be held whole in the frontier and written whole into the outcomes and warehouse.
MAX_URL_LENGTH = 2048


def is_url(location: str | Path) -> bool:
    """Whether a source location is an http(s) URL rather than a local path."""
    return str(location).lower().startswith(("http://", "https://"))


def normalize_url(url: str, base: str | None = None, tracking: Sequence[str] = TRACKING_PARAMETERS) -> str | None:
    """The canonical form of an http(s) URL, or None for anything a crawler should not fetch.

    Lowercases scheme and host, drops default ports, fragments and query parameters whose names start with one
    of `tracking`, and resolves dot segments, so one page is fetched once however it is linked.
    """
    try:
        absolute = urljoin(base, url.strip()) if base else url.strip()
        parts = urlsplit(absolute)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = parts.path or "/"
    resolved = posixpath.normpath(path)
    if path.endswith("/") and not resolved.endswith("/"):
        resolved += "/"
    resolved = "/" + resolved.lstrip("/")
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith(tuple(tracking))],
        doseq=True,
    )
    return urlunsplit((scheme, netloc, resolved, query, ""))


def url_too_long(url: str) -> bool:
    """Whether a (normalised) URL is over `MAX_URL_LENGTH` characters, and so is not crawled."""
    return len(url) > MAX_URL_LENGTH


def host_of(url: str) -> str:
    """`scheme://host[:port]`, the unit of politeness and robots.txt."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def page_id_for(crawl_date: str, url: str) -> str:
    """Stable id of a page: the same URL on the same crawl date is the same page in every run."""
    return hashlib.sha256(f"{crawl_date}\n{url}".encode()).hexdigest()[:32]


def registered_domain(url: str) -> str:
    """The registrable domain of a URL's host by the public suffix list (`docs.python.org` -> `python.org`,
    `a.example.co.uk` -> `example.co.uk`); an IP address or a single-label host is its own domain."""
    host = urlsplit(url).hostname or ""
    return get_fld(url, fail_silently=True) or host


@dataclass(frozen=True)
class CrawlScope:
    """Which URLs a crawl follows: the seeds' hosts (or registered domains), then allow and deny patterns."""

    sites: frozenset[str]
    by_registered_domain: bool = False
    allow: tuple[re.Pattern, ...] = ()
    deny: tuple[re.Pattern, ...] = ()

    @classmethod
    def around(cls, seeds: list[str], *, by_registered_domain: bool = False, allow: list[str] = (),
               deny: list[str] = ()) -> CrawlScope:
        key = registered_domain if by_registered_domain else host_of
        return cls(frozenset(key(seed) for seed in seeds), by_registered_domain,
                   tuple(re.compile(p) for p in allow), tuple(re.compile(p) for p in deny))

    def on_site(self, url: str) -> bool:
        """Whether the URL belongs to one of the seeds' sites (links elsewhere are not pages of this crawl)."""
        return (registered_domain(url) if self.by_registered_domain else host_of(url)) in self.sites

    def refusal(self, url: str) -> str | None:
        """Why the patterns rule out a URL of the site, or None when it may be fetched."""
        for pattern in self.deny:
            if pattern.search(url):
                return f"matches deny pattern {pattern.pattern!r}"
        if self.allow and not any(pattern.search(url) for pattern in self.allow):
            return "matches no allow pattern"
        return None
