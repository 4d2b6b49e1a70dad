"""URL normalisation and crawl scope."""

from __future__ import annotations

import hashlib
import posixpath
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
TRACKING_PARAMETERS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "yclid", "_hsenc", "_hsmi")


def normalize_url(url: str, base: str | None = None) -> str | None:
    """The canonical form of an http(s) URL, or None for anything a crawler should not fetch.

    Lowercases scheme and host, drops default ports, fragments and tracking parameters, and resolves dot
    segments, so one page is fetched once however it is linked.
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
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith(TRACKING_PARAMETERS)],
        doseq=True,
    )
    return urlunsplit((scheme, netloc, resolved, query, ""))


def host_of(url: str) -> str:
    """`scheme://host[:port]`, the unit of politeness and robots.txt."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def page_id_for(crawl_date: str, url: str) -> str:
    """Stable id of a page: the same URL on the same crawl date is the same page in every run."""
    return hashlib.sha256(f"{crawl_date}\n{url}".encode()).hexdigest()[:32]
