"""Breadth-first crawl of the seeds' hosts into a per-date archive; replays or resumes from that archive."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from protego import Protego

from corpus_assets.crawl.archive import CrawlArchive
from corpus_assets.crawl.config import CrawlConfig
from corpus_assets.crawl.fetch import Fetcher, FetchResult
from corpus_assets.crawl.robots import ROBOTS_MAX_BYTES, TDMREP_MAX_BYTES, TDMREP_PATH, robots_rules
from corpus_assets.crawl.sitemaps import MAX_SITEMAPS_PER_HOST, parse_sitemap
from corpus_assets.crawl.urls import TRACKING_PARAMETERS, CrawlScope, host_of, normalize_url, url_too_long

PROGRESS_EVERY = 200
MAX_CRAWL_DELAY_SECONDS = 60.0
# Network failures of a seed say the crawl could not start, which a user must hear about plainly.
UNREACHABLE = frozenset({"dns_error", "connection_error", "timeout", "refused_address"})
# Failures that may pass (an outage, a restart, an overloaded server): a crawl of the date left incomplete by them
# asks for these URLs again when it resumes, instead of replaying the failure.
RETRYABLE = frozenset({"dns_error", "connection_error", "timeout", "server_error"})


def extract_links(body: bytes, base_url: str, tracking: Sequence[str] = TRACKING_PARAMETERS) -> list[str]:
    """Normalised absolute URLs of a page's `<a href>` links, in document order, honouring `<base>` and nofollow."""
    try:
        document = lxml.html.document_fromstring(body)
    except (ValueError, lxml.etree.ParserError):
        return []
    base = next((b.get("href") for b in document.iter("base") if b.get("href")), None)
    base_url = normalize_url(base, base=base_url, tracking=tracking) or base_url if base else base_url
    links = []
    for anchor in document.iter("a"):
        href = anchor.get("href")
        if not href or "nofollow" in (anchor.get("rel") or "").lower():
            continue
        url = normalize_url(href, base=base_url, tracking=tracking)
        if url:
            links.append(url)
    return links


@dataclass
class HostState:
    robots: Protego | None = None
    robots_failure: tuple[str, str] | None = None  # a network failure on robots.txt blocks the whole host
    delay: float = 0.0
    next_request_at: float = 0.0
    active: int = 0  # requests in flight
    robots_in_flight: bool = False
    fetched: int = 0

    def has_room(self, per_host_concurrency: int) -> bool:
        """Whether another request to this host may start: under its concurrency, not waiting on robots.txt."""
        return self.active < per_host_concurrency and not self.robots_in_flight


@dataclass
class CrawlSummary:
    """What a crawl of one date did; `replayed` means the archive answered and nothing was fetched."""

    replayed: bool
    outcomes: Counter = field(default_factory=Counter)
    requests: int = 0
    unreachable_seeds: dict[str, str] = field(default_factory=dict)
    links_off_site: int = 0
    links_too_long: int = 0  # URLs over MAX_URL_LENGTH, counted and never queued
    incomplete: str | None = None  # why the archive was not marked complete (the next run resumes it)

    @property
    def retryable_failures(self) -> int:
        return sum(self.outcomes[reason] for reason in RETRYABLE)

    def as_dict(self) -> dict[str, Any]:
        return {
            "replayed": self.replayed,
            "outcomes": dict(self.outcomes),
            "requests": self.requests,
            "unreachable_seeds": self.unreachable_seeds,
            "links_off_site": self.links_off_site,
            "links_too_long": self.links_too_long,
        }


class Crawler:
    """Crawls one date: the seeds' hosts breadth-first, robots.txt obeyed, each host paced by its delay."""

    def __init__(
        self,
        config: CrawlConfig,
        archive: CrawlArchive,
        crawl_date: dt.date,
        log: Callable[[str], None] = lambda _message: None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.config = config
        self.archive = archive
        self.crawl_date = crawl_date
        self.log = log
        self.clock = clock
        self.sleep = sleep
        self.hosts: dict[str, HostState] = {}
        # Workers take their turn at a host (a redirect hop, a retry) while this thread schedules the next page.
        self._turns = threading.Lock()

    def run(self, seeds: Iterable[str]) -> CrawlSummary:
        """Crawl from `seeds` until the frontier is empty or `max_pages` pages are fetched.

        Up to `workers` requests are in flight, at most `per_host_concurrency` to one host, and the requests to
        a host start at least its delay apart (the configured one, or robots.txt's Crawl-delay). Workers only
        fetch; this thread decides what to fetch and writes every record and outcome, so the archive has one
        writer.
        """
        if self.archive.is_complete():
            stored = self.archive.summary()
            return CrawlSummary(replayed=True, outcomes=Counter(stored["outcomes"]), requests=0,
                                unreachable_seeds=stored.get("unreachable_seeds", {}))
        # Outcomes already archived by an interrupted or incomplete run answer their URLs from the archive, but for
        # failures that may have passed since: those URLs are asked again.
        previous = {(o.get("kind", "page"), o["url"]): o for o in self.archive.outcomes()
                    if o["outcome"] not in RETRYABLE}
        summary = CrawlSummary(replayed=False)
        frontier = _Frontier()
        tracking = self.config.tracking_parameters
        for url in dict.fromkeys(u for u in (normalize_url(s, tracking=tracking) for s in seeds) if u):
            frontier.add(url, 0)
        scope = CrawlScope.around([url for url, _ in frontier.pending()],
                                  by_registered_domain=self.config.scope == "registered_domain",
                                  allow=self.config.allow_patterns, deny=self.config.deny_patterns)
        fetchers = threading.local()
        started = self.clock()

        def fetch(url: str, html_only: bool, keep_first: int | None = None) -> FetchResult:
            if not hasattr(fetchers, "fetcher"):
                fetchers.fetcher = Fetcher(self.config, sleep=self.sleep, wait_for_turn=self._wait_for_turn)
            return fetchers.fetcher.fetch(url, html_only=html_only, keep_first=keep_first)

        def open_host(host_url: str) -> list[tuple[str, str, FetchResult]]:
            """robots.txt of a host, its TDMRep file (with fetch_tdmrep), then (with use_sitemaps) the sitemaps
            robots.txt names and /sitemap.xml, one after another and a delay apart: the first requests any host gets
            from this crawl."""
            robots_url = f"{host_url}/robots.txt"
            robots_result = fetch(robots_url, False, keep_first=ROBOTS_MAX_BYTES)
            files = [("robots", robots_url, robots_result)]
            response = robots_result.response
            if response is None or response.status >= 500:
                return files
            rules = robots_rules(response.body if response.status < 400 else b"", truncated=response.truncated)
            delay = max(self.config.delay_seconds,
                        min(float(rules.crawl_delay(self.config.user_agent) or 0), MAX_CRAWL_DELAY_SECONDS))
            tdmrep_url = f"{host_url}{TDMREP_PATH}"
            if self.config.fetch_tdmrep and rules.can_fetch(tdmrep_url, self.config.user_agent):
                self.sleep(delay)
                files.append(("tdmrep", tdmrep_url, fetch(tdmrep_url, False, keep_first=TDMREP_MAX_BYTES)))
            if not self.config.use_sitemaps:
                return files
            named = [normalize_url(u, base=robots_url, tracking=tracking) for u in rules.sitemaps]
            queue = deque(dict.fromkeys(u for u in [*named, f"{host_url}/sitemap.xml"] if u))
            asked: set[str] = set()
            while queue and len(asked) < MAX_SITEMAPS_PER_HOST:
                sitemap_url = queue.popleft()
                # Only this host's own sitemaps: another host is asked only when the crawl reaches it.
                if sitemap_url in asked or host_of(sitemap_url) != host_url or url_too_long(sitemap_url) or \
                        not rules.can_fetch(sitemap_url, self.config.user_agent):
                    continue
                asked.add(sitemap_url)
                self.sleep(delay)
                result = fetch(sitemap_url, False)
                files.append(("sitemap", sitemap_url, result))
                if result.outcome == "fetched" and result.response is not None:
                    queue.extend(parse_sitemap(result.response.body, sitemap_url, tracking)[1])
            return files

        fetched = 0
        in_flight: dict[Future, tuple[str, str, int]] = {}
        with self.archive.writer(self.crawl_date) as writer, \
                ThreadPoolExecutor(max_workers=self.config.workers, thread_name_prefix="crawl") as pool:
            while True:
                now = self.clock()
                for url, depth in frontier.take_ready(self, now, room=self.config.workers - len(in_flight),
                                                      budget=self.config.max_pages - fetched - len(in_flight)):
                    host = self._host(host_of(url))
                    if host.robots is None and ("robots", f"{host_of(url)}/robots.txt") in previous:
                        for kind, archived in previous.items():  # an interrupted run opened this host already
                            if kind[0] in ("robots", "sitemap") and host_of(kind[1]) == host_of(url):
                                self._host_file_read(kind[0], archived, frontier, scope)
                    if host.robots is None:  # its robots.txt (and sitemaps) go first; the page waits for them
                        frontier.put_back(url, depth)
                        if not host.robots_in_flight:
                            host.robots_in_flight = True
                            self._started(host, now)
                            in_flight[pool.submit(open_host, host_of(url))] = ("host", host_of(url), 0)
                        continue
                    outcome = previous.get(("page", url)) or self._refusal(url, depth, scope, writer)
                    if outcome is None:
                        self._started(host, now)
                        in_flight[pool.submit(fetch, url, True)] = ("page", url, depth)
                        continue
                    fetched += self._settle(outcome, url, depth, frontier, scope, summary)
                if not in_flight:
                    if not frontier.has_work() or fetched >= self.config.max_pages:
                        break
                    self.sleep(max(0.0, frontier.next_ready_at(self) - self.clock()))
                    continue
                timeout = max(0.0, frontier.next_ready_at(self) - self.clock()) if frontier.has_work() else None
                done, _ = wait(in_flight, timeout=timeout, return_when=FIRST_COMPLETED)
                for future in done:
                    kind, url, depth = in_flight.pop(future)
                    host = self._host(host_of(url))
                    with self._turns:
                        host.active -= 1
                        host.next_request_at = max(host.next_request_at, self.clock() + host.delay)
                    if kind == "host":
                        for file_kind, file_url, result in future.result():
                            summary.requests += max(result.attempts, 1)
                            self._host_file_read(file_kind, writer.record(result, kind=file_kind), frontier, scope)
                        with self._turns:  # robots.txt's Crawl-delay, now known, spaces its first page too
                            host.next_request_at = max(host.next_request_at, self.clock() + host.delay)
                        host.robots_in_flight = False
                        continue
                    result = future.result()
                    summary.requests += max(result.attempts, 1)
                    outcome = writer.record(result, kind=kind, depth=depth)
                    before = fetched
                    fetched += self._settle(outcome, url, depth, frontier, scope, summary)
                    if fetched != before and fetched % PROGRESS_EVERY == 0:
                        rate = fetched / max(self.clock() - started, 1e-9)
                        self.log(f"crawl {self.crawl_date}: {fetched} pages fetched ({rate:.1f}/s), "
                                 f"{frontier.size()} queued, {len(in_flight)} in flight, "
                                 f"outcomes so far {dict(summary.outcomes)}")
        summary.links_too_long = frontier.too_long
        summary.incomplete = self._why_incomplete(summary, fetched)
        if summary.incomplete is None:
            self.archive.mark_complete(summary.as_dict())
        return summary

    def _why_incomplete(self, summary: CrawlSummary, fetched: int) -> str | None:
        """Why this crawl must not be replayed as it is: it fetched nothing, or too many of its pages failed for
        reasons that may pass. None when the archive is complete."""
        failed, pages = summary.retryable_failures, sum(summary.outcomes.values())
        if not failed:
            return None
        if not fetched:
            return f"no page was fetched ({failed} of {pages} failed for reasons that may pass)"
        if failed / pages > self.config.max_failed_share:
            return (f"{failed} of {pages} pages failed for reasons that may pass (timeouts, connection errors, 5xx), "
                    f"over crawl.max_failed_share {self.config.max_failed_share}")
        return None

    def _at_page_limit(self, host: HostState) -> bool:
        return bool(self.config.max_pages_per_host) and host.fetched >= self.config.max_pages_per_host

    def _started(self, host: HostState, now: float) -> None:
        with self._turns:
            host.active += 1
            host.next_request_at = max(host.next_request_at, now + host.delay)

    def _wait_for_turn(self, url: str) -> None:
        """Hold a worker until `url`'s host may be asked again: a redirect hop or a retry is a request to the host
        like any other, and keeps the same distance from the one before."""
        with self._turns:
            host = self._host(host_of(url))
            now = self.clock()
            turn = max(now, host.next_request_at)
            host.next_request_at = turn + host.delay
        if turn > now:
            self.sleep(turn - now)

    def _refusal(self, url: str, depth: int, scope: CrawlScope, writer: Any) -> dict[str, Any] | None:
        """The outcome of a URL that the scope's patterns or robots.txt (or a host whose robots.txt could not be
        read) rule out."""
        host = self._host(host_of(url))
        pattern_refusal = scope.refusal(url)
        if pattern_refusal:
            reason, detail = "scope", pattern_refusal
        elif host.robots_failure is None and host.robots.can_fetch(url, self.config.user_agent):
            return None
        else:
            reason, detail = host.robots_failure or ("robots", "disallowed by robots.txt")
        return writer.record_outcome({"url": url, "kind": "page", "outcome": reason, "detail": detail,
                                      "depth": depth, "fetched_at": dt.datetime.now(dt.UTC).isoformat()})

    def _settle(self, outcome: dict[str, Any], url: str, depth: int, frontier: _Frontier, scope: CrawlScope,
                summary: CrawlSummary) -> int:
        """Count a page's outcome and queue its links; 1 if it was fetched."""
        summary.outcomes[outcome["outcome"]] += 1
        if depth == 0 and outcome["outcome"] in UNREACHABLE:
            summary.unreachable_seeds[url] = outcome["detail"]
        if outcome["outcome"] != "fetched":
            return 0
        host = self._host(host_of(url))
        host.fetched += 1
        if self._at_page_limit(host):
            frontier.drop_host(host_of(url))
        if depth < self.config.max_depth:
            response = self.archive.response(outcome)
            for link in extract_links(response.body, outcome.get("final_url") or url, self.config.tracking_parameters):
                # A link to another site is not a page of this crawl: counted, never queued or logged as a page.
                if not scope.on_site(link):
                    summary.links_off_site += 1
                elif not self._at_page_limit(self._host(host_of(link))):
                    frontier.add(link, depth + 1)
        return 1

    def _host(self, host: str) -> HostState:
        return self.hosts.setdefault(host, HostState(delay=self.config.delay_seconds))

    def _host_file_read(self, kind: str, outcome: dict[str, Any], frontier: _Frontier, scope: CrawlScope) -> None:
        """Take in a host's robots.txt or one of its sitemaps, whose pages join the frontier at depth 1. Its TDMRep
        file only needs to be in the archive: extraction reads it from there."""
        if kind == "robots":
            self._robots_from_outcome(host_of(outcome["url"]), outcome)
        elif kind == "sitemap" and outcome["outcome"] == "fetched" and outcome.get("warc_file"):
            pages, _ = parse_sitemap(self.archive.response(outcome).body, outcome["url"],
                                     self.config.tracking_parameters)
            for page in pages:
                if scope.on_site(page):
                    frontier.add(page, 1)

    def _robots_from_outcome(self, host: str, outcome: dict[str, Any]) -> Protego:
        """robots.txt of `host` from its fetch outcome (RFC 9309: 4xx allows all; 5xx or none disallows)."""
        state = self._host(host)
        status = outcome.get("status")
        if outcome["outcome"] in UNREACHABLE:
            state.robots_failure = (outcome["outcome"], f"robots.txt: {outcome['detail']}")
        truncated = False
        if outcome["outcome"] == "fetched" and outcome.get("warc_file"):
            archived = self.archive.response(outcome)
            body, truncated = archived.body, archived.truncated
            if truncated:
                self.log(f"{host}/robots.txt truncated at {ROBOTS_MAX_BYTES // 1024} KiB: the rules of that part "
                         "are obeyed (RFC 9309 asks for no more)")
        elif status is not None and 400 <= status < 500:
            body = b""
        else:
            body = b"User-agent: *\nDisallow: /\n"
        state.robots = robots_rules(body, truncated=truncated)
        crawl_delay = state.robots.crawl_delay(self.config.user_agent)
        if crawl_delay:
            state.delay = max(state.delay, min(float(crawl_delay), MAX_CRAWL_DELAY_SECONDS))
        return state.robots


class _Frontier:
    """URLs still to visit, one queue per host, each URL at most once per crawl (breadth-first per host)."""

    def __init__(self) -> None:
        self.queues: dict[str, deque[tuple[str, int]]] = {}
        self.seen: set[str] = set()
        self.too_long = 0

    def add(self, url: str, depth: int) -> None:
        """Queue `url` unless it was queued before. A URL over MAX_URL_LENGTH is only counted, never queued: it is
        skipped before the frontier rather than refused with a `scope` outcome line, because that line would hold
        the URL itself, and a page of ten thousand 100 KB links would fill the outcomes and the drop log."""
        if url_too_long(url):
            self.too_long += 1
        elif url not in self.seen:
            self.seen.add(url)
            self.queues.setdefault(host_of(url), deque()).append((url, depth))

    def drop_host(self, host: str) -> None:
        self.queues.pop(host, None)

    def put_back(self, url: str, depth: int) -> None:
        self.queues[host_of(url)].appendleft((url, depth))

    def pending(self) -> list[tuple[str, int]]:
        return [item for queue in self.queues.values() for item in queue]

    def size(self) -> int:
        return sum(len(queue) for queue in self.queues.values())

    def has_work(self) -> bool:
        return any(self.queues.values())

    def _ready_hosts(self, crawler: Crawler, now: float) -> list[str]:
        limit = crawler.config.per_host_concurrency
        per_host = crawler.config.max_pages_per_host
        waiting = {host: crawler._host(host) for host, queue in self.queues.items() if queue}
        return [host for host, state in waiting.items()
                if state.has_room(limit) and state.next_request_at <= now
                and not (per_host and state.fetched + state.active >= per_host)]

    def next_ready_at(self, crawler: Crawler) -> float:
        waiting = [crawler._host(host) for host, queue in self.queues.items() if queue]
        ready_at = [state.next_request_at for state in waiting if state.has_room(crawler.config.per_host_concurrency)]
        return min(ready_at) if ready_at else crawler.clock() + 0.05

    def take_ready(self, crawler: Crawler, now: float, room: int, budget: int) -> Iterator[tuple[str, int]]:
        """URLs whose host may be asked now, round-robin over hosts, at most `room` of them (free workers) and
        no more than the pages still allowed. A URL answered without a request does not use up `room`."""
        while room > 0 and budget > 0:
            hosts = self._ready_hosts(crawler, now)
            if not hosts:
                return
            for host in hosts:
                queue = self.queues.get(host)
                if not queue:  # emptied, or dropped at its page limit, while this round was being handed out
                    continue
                url, depth = queue.popleft()
                active = crawler._host(host).active
                yield url, depth
                budget -= 1
                if crawler._host(host).active > active or crawler._host(host).robots_in_flight:
                    room -= 1
                if room <= 0 or budget <= 0:
                    return
