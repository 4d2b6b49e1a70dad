"""Breadth-first crawl of the seeds' hosts into a per-date archive; replays or resumes from that archive."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from protego import Protego

from corpus_assets.config import CrawlConfig
from corpus_assets.crawl.archive import CrawlArchive
from corpus_assets.crawl.fetch import Fetcher, FetchResult
from corpus_assets.crawl.urls import host_of, normalize_url

PROGRESS_EVERY = 200
MAX_CRAWL_DELAY_SECONDS = 60.0
# Network failures of a seed say the crawl could not start, which a user must hear about plainly.
UNREACHABLE = frozenset({"dns_error", "connection_error", "timeout", "refused_address"})


def extract_links(body: bytes, base_url: str) -> list[str]:
    """Normalised absolute URLs of a page's `<a href>` links, in document order, honouring `<base>` and nofollow."""
    try:
        document = lxml.html.document_fromstring(body)
    except (ValueError, lxml.etree.ParserError):
        return []
    base = next((b.get("href") for b in document.iter("base") if b.get("href")), None)
    base_url = normalize_url(base, base=base_url) or base_url if base else base_url
    links = []
    for anchor in document.iter("a"):
        href = anchor.get("href")
        if not href or "nofollow" in (anchor.get("rel") or "").lower():
            continue
        url = normalize_url(href, base=base_url)
        if url:
            links.append(url)
    return links


@dataclass
class HostState:
    robots: Protego | None = None
    robots_failure: tuple[str, str] | None = None  # a network failure on robots.txt blocks the whole host
    delay: float = 0.0
    next_request_at: float = 0.0


@dataclass
class CrawlSummary:
    """What a crawl of one date did; `replayed` means the archive answered and nothing was fetched."""

    replayed: bool
    outcomes: Counter = field(default_factory=Counter)
    requests: int = 0
    unreachable_seeds: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "replayed": self.replayed,
            "outcomes": dict(self.outcomes),
            "requests": self.requests,
            "unreachable_seeds": self.unreachable_seeds,
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

    def run(self, seeds: Iterable[str]) -> CrawlSummary:
        if self.archive.is_complete():
            stored = self.archive.summary()
            return CrawlSummary(replayed=True, outcomes=Counter(stored["outcomes"]), requests=0,
                                unreachable_seeds=stored.get("unreachable_seeds", {}))
        # Outcomes already archived by an interrupted run: their URLs are answered from the archive.
        previous = {(o.get("kind", "page"), o["url"]): o for o in self.archive.outcomes()}
        summary = CrawlSummary(replayed=False)
        fetcher = Fetcher(self.config, sleep=self.sleep)
        seed_urls = [u for u in (normalize_url(s) for s in seeds) if u]
        scope = {host_of(u) for u in seed_urls}
        queue: deque[tuple[str, int]] = deque((u, 0) for u in dict.fromkeys(seed_urls))
        seen = set(seed_urls)
        fetched = 0
        with self.archive.writer(self.crawl_date) as writer:
            while queue and fetched < self.config.max_pages:
                url, depth = self._next_ready(queue)
                outcome = previous.get(("page", url))
                if outcome is None:
                    outcome = self._visit(url, depth, fetcher, writer, previous, summary)
                summary.outcomes[outcome["outcome"]] += 1
                if depth == 0 and outcome["outcome"] in UNREACHABLE:
                    summary.unreachable_seeds[url] = outcome["detail"]
                if outcome["outcome"] != "fetched":
                    continue
                fetched += 1
                if fetched % PROGRESS_EVERY == 0:
                    self.log(f"crawl {self.crawl_date}: {fetched} pages fetched, {len(queue)} queued")
                if depth >= self.config.max_depth:
                    continue
                response = self.archive.response(outcome)
                for link in extract_links(response.body, outcome.get("final_url") or url):
                    if link not in seen and host_of(link) in scope:
                        seen.add(link)
                        queue.append((link, depth + 1))
        fetcher.close()
        self.archive.mark_complete(summary.as_dict())
        return summary

    def _next_ready(self, queue: deque[tuple[str, int]]) -> tuple[str, int]:
        """The first queued URL whose host may be asked now; waits only when no host is ready."""
        now = self.clock()
        for index, (url, depth) in enumerate(queue):
            if self._host(host_of(url)).next_request_at <= now:
                del queue[index]
                return url, depth
        url, depth = queue.popleft()
        self.sleep(max(0.0, self._host(host_of(url)).next_request_at - now))
        return url, depth

    def _host(self, host: str) -> HostState:
        return self.hosts.setdefault(host, HostState(delay=self.config.delay_seconds))

    def _paced_fetch(self, url: str, fetcher: Fetcher, summary: CrawlSummary, **kwargs: Any) -> FetchResult:
        state = self._host(host_of(url))
        wait = state.next_request_at - self.clock()
        if wait > 0:
            self.sleep(wait)
        result = fetcher.fetch(url, **kwargs)
        summary.requests += max(result.attempts, 1)
        state.next_request_at = self.clock() + state.delay
        return result

    def _robots(self, host: str, fetcher: Fetcher, writer: Any, previous: dict, summary: CrawlSummary) -> Protego:
        """robots.txt of `host`, fetched once per crawl date (RFC 9309: 4xx allows all; 5xx or none disallows)."""
        state = self._host(host)
        if state.robots is not None:
            return state.robots
        robots_url = f"{host}/robots.txt"
        outcome = previous.get(("robots", robots_url))
        if outcome is None:
            result = self._paced_fetch(robots_url, fetcher, summary, html_only=False)
            outcome = writer.record(result, kind="robots")
        status = outcome.get("status")
        if outcome["outcome"] in UNREACHABLE:
            state.robots_failure = (outcome["outcome"], f"robots.txt: {outcome['detail']}")
        if outcome["outcome"] == "fetched" and outcome.get("warc_file"):
            body = self.archive.response(outcome).body.decode("utf-8", errors="replace")
        elif status is not None and 400 <= status < 500:
            body = ""
        else:
            body = "User-agent: *\nDisallow: /\n"
        state.robots = Protego.parse(body)
        crawl_delay = state.robots.crawl_delay(self.config.user_agent)
        if crawl_delay:
            state.delay = max(state.delay, min(float(crawl_delay), MAX_CRAWL_DELAY_SECONDS))
        return state.robots

    def _visit(self, url: str, depth: int, fetcher: Fetcher, writer: Any, previous: dict,
               summary: CrawlSummary) -> dict[str, Any]:
        robots = self._robots(host_of(url), fetcher, writer, previous, summary)
        failure = self._host(host_of(url)).robots_failure
        if failure or not robots.can_fetch(url, self.config.user_agent):
            reason, detail = failure or ("robots", "disallowed by robots.txt")
            return writer.record_outcome(
                {"url": url, "kind": "page", "outcome": reason, "detail": detail, "depth": depth,
                 "fetched_at": dt.datetime.now(dt.UTC).isoformat()}
            )
        result = self._paced_fetch(url, fetcher, summary)
        return writer.record(result, kind="page", depth=depth)
