"""One URL fetched politely and safely: manual redirects with an address check at every hop, bounded retries
with backoff, streamed bodies with size and time caps."""

from __future__ import annotations

import datetime as dt
import email.utils
import random
import socket
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
import requests.adapters
import urllib3
import urllib3.connection

from corpus_assets.crawl.config import CrawlConfig
from corpus_assets.crawl.netguard import AddressPolicy
from corpus_assets.crawl.urls import HTML_TYPES, MAX_URL_LENGTH, normalize_url, url_too_long

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_RETRY_AFTER_SECONDS = 60.0
# Common Crawl's convention: the archived body is decoded, and the headers that described the wire form are
# renamed so that WARC readers do not try to decode it again.
WIRE_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


@dataclass
class Exchange:
    """One HTTP request and its response, as archived."""

    url: str
    request_headers: list[tuple[str, str]]
    status: int
    reason_phrase: str
    http_version: str
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: dt.datetime
    truncated: bool = False  # the body is the first part of a longer one (archived with WARC-Truncated: length)


@dataclass
class FetchResult:
    """The outcome of fetching one URL: `outcome` is `fetched` or the drop reason."""

    url: str
    outcome: str
    detail: str = ""
    final_url: str | None = None
    exchanges: list[Exchange] = field(default_factory=list)
    attempts: int = 0

    @property
    def response(self) -> Exchange | None:
        return self.exchanges[-1] if self.exchanges else None


class _BodyTooLarge(Exception):
    pass


class _TooSlow(Exception):
    pass


def content_type_of(headers: list[tuple[str, str]]) -> str:
    for name, value in headers:
        if name.lower() == "content-type":
            return value
    return ""


def is_html(content_type: str, allowed: Collection[str] = HTML_TYPES) -> bool:
    """Whether a Content-Type is one of the page types kept (HTML and XHTML unless configured otherwise)."""
    return content_type.split(";", 1)[0].strip().lower() in allowed


def _archived_headers(raw_headers: list[tuple[str, str]], body_length: int) -> list[tuple[str, str]]:
    headers = []
    for name, value in raw_headers:
        if name.lower() in WIRE_HEADERS:
            headers.append((f"X-Crawler-{name}", value))
        else:
            headers.append((name, value))
    headers.append(("Content-Length", str(body_length)))
    return headers


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER_SECONDS)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, min((when - dt.datetime.now(dt.UTC)).total_seconds(), MAX_RETRY_AFTER_SECONDS))


class RefusedAddressError(urllib3.exceptions.NewConnectionError):
    """The address a connection was about to be opened to is not allowed."""


def _guarded_connection(base: type, policy: AddressPolicy) -> type:
    class GuardedConnection(base):
        def _new_conn(self) -> socket.socket:
            # Resolve once, check every answer, connect to exactly the address that was checked: a DNS answer that
            # changes between the URL's check and the connection (DNS rebinding) cannot slip a private address in.
            try:
                infos = socket.getaddrinfo(self._dns_host, self.port, type=socket.SOCK_STREAM)
            except socket.gaierror as error:
                raise urllib3.exceptions.NameResolutionError(self.host, self, error) from error
            for *_, sockaddr in infos:
                refusal = policy.address_refusal(self.host, sockaddr[0])
                if refusal:
                    raise RefusedAddressError(self, refusal)
            family, kind, proto, _, sockaddr = infos[0]
            sock = socket.socket(family, kind, proto)
            try:
                for option in self.socket_options or ():
                    sock.setsockopt(*option)
                if isinstance(self.timeout, (int, float)):
                    sock.settimeout(self.timeout)
                sock.connect(sockaddr)
            except TimeoutError as error:
                sock.close()
                raise urllib3.exceptions.ConnectTimeoutError(
                    self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})") from error
            except OSError as error:
                sock.close()
                raise urllib3.exceptions.NewConnectionError(
                    self, f"Failed to establish a new connection: {error}") from error
            return sock

    return GuardedConnection


class _GuardedAdapter(requests.adapters.HTTPAdapter):
    """requests' adapter whose connections check the address they connect to against the crawl's policy."""

    def __init__(self, policy: AddressPolicy):
        self._policy = policy
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": type("GuardedHTTPPool", (urllib3.HTTPConnectionPool,), {
                "ConnectionCls": _guarded_connection(urllib3.connection.HTTPConnection, self._policy)}),
            "https": type("GuardedHTTPSPool", (urllib3.HTTPSConnectionPool,), {
                "ConnectionCls": _guarded_connection(urllib3.connection.HTTPSConnection, self._policy)}),
        }


def guarded_session(policy: AddressPolicy) -> requests.Session:
    """A requests session that connects only to addresses `policy` accepts (checked on the address actually
    connected to) and ignores proxy settings in the environment. Redirect targets are checked only when they are
    connected to: callers get clearer errors by passing `allow_redirects=False` and checking each hop's URL."""
    session = requests.Session()
    session.trust_env = False  # a proxy from the environment would connect for us, out of the address check's sight
    adapter = _GuardedAdapter(policy)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _causes(error: BaseException) -> Iterator[BaseException]:
    """`error` and every exception it wraps, however deeply (requests and urllib3 nest them three levels down)."""
    pending, seen = [error], set()
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend([current.__cause__, current.__context__, getattr(current, "reason", None),
                        *(arg for arg in getattr(current, "args", ()) if isinstance(arg, BaseException))])


def refused_address(error: BaseException) -> str | None:
    """The refusal inside a requests/urllib3 error, however deeply it was wrapped."""
    refusal = next((e for e in _causes(error) if isinstance(e, RefusedAddressError)), None)
    return str(refusal).split(": ", 1)[-1] if refusal else None


_SOCKET_ERRORS: tuple[tuple[type[OSError], str], ...] = (
    (ConnectionRefusedError, "connection refused"),
    (ConnectionResetError, "connection reset by the server"),
    (ConnectionAbortedError, "connection aborted"),
    (socket.gaierror, "the host name does not resolve"),
)


def connection_error_detail(error: BaseException, url: str) -> str:
    """One readable line for a failed connection: where, and what the socket said (not urllib3's repr)."""
    where = urlsplit(url).netloc
    causes = list(_causes(error))
    for kind, said in _SOCKET_ERRORS:
        if any(isinstance(cause, kind) for cause in causes):
            return f"{where}: {said}"
    system = next((c for c in causes if isinstance(c, OSError) and c.strerror), None)
    if system is not None:
        return f"{where}: {system.strerror.lower()}"
    first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
    return f"{where}: {type(error).__name__}: {first_line[:200]}"


class Fetcher:
    """Fetches URLs under one `CrawlConfig`; never raises for a network or server problem."""

    def __init__(self, config: CrawlConfig, sleep: Callable[[float], None] = time.sleep,
                 wait_for_turn: Callable[[str], None] = lambda _url: None):
        """`wait_for_turn(url)` is called before every request of a fetch after its first (a redirect hop, a
        retry), so that the crawl's pace per host holds for them too."""
        self.config = config
        self.policy = AddressPolicy(config.allow_private_networks)
        self.session = guarded_session(self.policy)
        self.session.headers.update(
            {"User-Agent": config.user_agent, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"}
        )
        self._sleep = sleep
        self._wait_for_turn = wait_for_turn

    def close(self) -> None:
        self.session.close()

    def fetch(self, url: str, *, html_only: bool = True, keep_first: int | None = None) -> FetchResult:
        """Fetch `url`, following redirects itself so every hop's address is checked.

        `keep_first`: read at most that many bytes of the body and keep them, marked truncated, where a longer body
        would otherwise be dropped as too large (robots.txt, whose first 500 KiB must be obeyed however long it is).
        """
        result = FetchResult(url=url, outcome="fetched")
        current = url
        seen = {url}
        for _hop in range(self.config.max_redirects + 1):
            refusal = self.policy.refusal(current)
            if refusal:
                result.outcome, result.detail = refusal
                return result
            exchange = self._fetch_with_retries(current, result, html_only=html_only, keep_first=keep_first)
            if exchange is None:
                return result
            result.exchanges.append(exchange)
            result.final_url = current
            if exchange.status in REDIRECT_STATUSES:
                location = dict((k.lower(), v) for k, v in exchange.headers).get("location")
                target = normalize_url(location, base=current, tracking=self.config.tracking_parameters) if location else None
                if target is None:
                    result.outcome, result.detail = "bad_redirect", f"unusable Location {location!r}"
                    return result
                if url_too_long(target):  # not crawled however it is reached; the detail does not repeat it
                    result.outcome = "bad_redirect"
                    result.detail = f"Location of {len(target)} characters, over {MAX_URL_LENGTH}"
                    return result
                if target in seen:
                    result.outcome, result.detail = "redirect_loop", f"{current} redirects back to {target}"
                    return result
                seen.add(target)
                current = target
                continue
            if exchange.status >= 500:
                result.outcome, result.detail = "server_error", f"HTTP {exchange.status} after {result.attempts} attempts"
            elif not 200 <= exchange.status < 300:
                result.outcome, result.detail = "http_status", f"HTTP {exchange.status}"
            elif exchange.truncated:
                result.detail = f"truncated at {keep_first} bytes ({keep_first / 1024:g} KiB): the rest was not read"
            return result
        result.outcome, result.detail = "too_many_redirects", f"more than {self.config.max_redirects} redirects"
        return result

    def _fetch_with_retries(self, url: str, result: FetchResult, *, html_only: bool,
                            keep_first: int | None) -> Exchange | None:
        for attempt in range(self.config.max_retries + 1):
            if result.attempts:
                self._wait_for_turn(url)
            result.attempts += 1
            pause = self.config.backoff_seconds * (2**attempt) * (1 + random.random() / 2)
            try:
                exchange = self._fetch_once(url, html_only=html_only, keep_first=keep_first, result=result)
            except _TooSlow as error:
                # The URL spent its whole time budget (a body dripping in): asking again would spend it again.
                result.outcome, result.detail = "timeout", str(error)
                return None
            except (requests.Timeout, urllib3.exceptions.TimeoutError) as error:
                result.outcome, result.detail = "timeout", str(error) or type(error).__name__
            # The body is read from urllib3 directly, whose errors (a reset mid-body) are not requests' own.
            except (requests.RequestException, urllib3.exceptions.HTTPError) as error:
                refused = refused_address(error)
                if refused:
                    result.outcome, result.detail = "refused_address", refused
                    return None
                result.outcome, result.detail = "connection_error", connection_error_detail(error, url)
            else:
                if exchange is None:
                    return None
                if exchange.status not in RETRY_STATUSES or attempt == self.config.max_retries:
                    result.outcome, result.detail = "fetched", ""
                    return exchange
                result.exchanges.append(exchange)  # archived: the failed attempts are part of the record
                headers = {k.lower(): v for k, v in exchange.headers}
                pause = max(pause, _retry_after_seconds(headers.get("retry-after")) or 0.0)
            if attempt < self.config.max_retries:
                self._sleep(pause)
        return None

    def _fetch_once(self, url: str, *, html_only: bool, keep_first: int | None,
                    result: FetchResult) -> Exchange | None:
        timeout = (self.config.connect_timeout_seconds, self.config.read_timeout_seconds)
        started = time.monotonic()
        fetched_at = dt.datetime.now(dt.UTC)
        with self.session.get(url, stream=True, timeout=timeout, allow_redirects=False) as response:
            raw_headers = list(response.raw.headers.items())
            content_type = content_type_of(raw_headers)
            redirect = response.status_code in REDIRECT_STATUSES
            if html_only and not redirect and 200 <= response.status_code < 300 and not is_html(content_type, self.config.content_types):
                result.outcome, result.detail = "not_html", f"Content-Type {content_type or '(none)'}"
                return None
            try:
                body, truncated = self._read_body(response, started, keep_first)
            except _BodyTooLarge:
                result.outcome = "too_large"
                result.detail = f"body over {self.config.max_body_bytes} bytes (decoded)"
                return None
            return Exchange(
                url=url,
                request_headers=[("Host", urlsplit(url).netloc), *response.request.headers.items()],
                status=response.status_code,
                reason_phrase=response.reason or "",
                http_version="HTTP/1.1" if response.raw.version == 11 else "HTTP/1.0",
                headers=_archived_headers(raw_headers, len(body)),
                body=body,
                fetched_at=fetched_at,
                truncated=truncated,
            )

    def _read_body(self, response: requests.Response, started: float,
                   keep_first: int | None) -> tuple[bytes, bool]:
        """The body, and whether it was cut at `keep_first` bytes; over `max_body_bytes` without `keep_first`, it
        raises `_BodyTooLarge`."""
        declared = response.headers.get("Content-Length", "")
        if keep_first is None and declared.isdigit() and int(declared) > self.config.max_body_bytes \
                and "Content-Encoding" not in response.headers:
            raise _BodyTooLarge()
        limit = self.config.max_body_bytes if keep_first is None else keep_first
        chunks, size = [], 0
        # read1 returns what one read from the socket gave (at most 64 KiB), so the total-time limit is checked
        # after every arrival: read(n) would wait for n bytes, and a server dripping a byte at a time within the
        # read timeout would hold the worker for as long as it liked. decode_content=True counts decompressed
        # bytes, so a gzip bomb hits the cap instead of the memory.
        while True:
            chunk = response.raw.read1(64 * 1024, decode_content=True)
            if time.monotonic() - started > self.config.total_timeout_seconds:
                raise _TooSlow(f"response took over {self.config.total_timeout_seconds}s in all")
            if not chunk:  # read1 gives b"" only at the end of the body
                break
            size += len(chunk)
            if size > limit:
                if keep_first is None:
                    raise _BodyTooLarge()
                # the rest is never read: the connection is closed with the response, not drained
                chunks.append(chunk[: len(chunk) - (size - limit)])
                return b"".join(chunks), True
            chunks.append(chunk)
        return b"".join(chunks), False
