"""Settings of the crawl and of the sources a crawl date reads (the `crawl` and `sources` sections of the config).

`WarcSource` also knows which of its files belong to which crawl date (`{date}` in the path, or a fixed date,
`corpus_assets/dated_files.py`), which is what both the `raw_pages` load and the WARC-arrivals sensor need.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from corpus_assets.crawl.urls import HTML_TYPES, TRACKING_PARAMETERS, is_url
from corpus_assets.dated_files import DatedFiles, FrozenSection
from corpus_assets.documents.config import DocumentSource


class WarcSource(DatedFiles):
    """WARC files assigned to crawl dates: a local path, a glob or an http(s) URL, with `{date}` (YYYY-MM-DD) in
    it or with a fixed crawl date. A URL is streamed, never globbed: it names exactly one file."""

    path: str = Field(
        description="Local path, glob (`data/cc/{date}/*.warc.gz`) or http(s) URL of a WARC file; `{date}` is "
        "replaced by the partition's date, YYYY-MM-DD."
    )

    label: ClassVar[str] = "WARC source"

    @model_validator(mode="after")
    def _readable_location(self) -> WarcSource:
        scheme, sep, _ = self.path.partition("://")
        if sep and scheme.lower() not in ("http", "https", "file") and "/" not in scheme:
            raise ValueError(
                f"WARC source {self.path!r}: only local paths, globs and http(s) URLs can be read, not {scheme}://"
            )
        if self.is_url and any(char in self.path for char in "*?["):
            raise ValueError(f"WARC source {self.path!r}: a URL names one file; globs work on local paths only")
        return self

    @property
    def is_url(self) -> bool:
        return is_url(self.path)


class SourcesConfig(FrozenSection):
    seeds: list[str] = Field(default_factory=list, description="Seed URLs; the crawl stays on their hosts.")
    warc: list[WarcSource] = Field(default_factory=list, description="WARC sources, each assigned to crawl dates.")
    documents: list[DocumentSource] = Field(
        default_factory=list,
        description="First-party or licensed documents (JSONL, Parquet, CSV), each source with its licence and "
        "origin; they join the chain at deduped_text (`licensed_documents`).",
    )
    warc_settle_seconds: float = Field(
        default=60.0, ge=0,
        description="The WARC sensor leaves a file alone until it has not changed for this long (still being copied).",
    )
    copy_bodies: bool = Field(
        default=False,
        description="Copy every HTML body into raw_pages. By default a body stays in its WARC file and raw_pages "
        "points at it (file and offset); copy when the machines that extract cannot read those files.",
    )

    @field_validator("warc", mode="before")
    @classmethod
    def _paths_as_sources(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"path": item} if isinstance(item, str) else item for item in value]
        return value

    @field_validator("seeds")
    @classmethod
    def _seeds_are_http(cls, seeds: list[str]) -> list[str]:
        for seed in seeds:
            if not seed.startswith(("http://", "https://")):
                raise ValueError(f"seed {seed!r} is not an http(s) URL")
        return seeds


class CrawlConfig(FrozenSection):
    user_agent: str = Field(
        default="corpus_assets/0.1 (research crawler; +https://github.com/corpus-assets/corpus_assets)",
        description="User-Agent sent with every request and matched against robots.txt groups.",
    )
    max_pages: int = Field(default=100, ge=0, description="Pages fetched per crawl date at most.")
    max_depth: int = Field(default=5, ge=0, description="Links followed away from a seed at most.")
    delay_seconds: float = Field(default=1.0, ge=0, description="Minimum pause between two requests to one host.")
    workers: int = Field(default=8, ge=1, description="Requests in flight at once, over all hosts.")
    per_host_concurrency: int = Field(default=1, ge=1, description="Requests in flight at once to one host.")
    scope: Literal["host", "registered_domain"] = Field(
        default="host", description="Follow links on the seeds' hosts, or anywhere in their registered domains."
    )
    allow_patterns: list[str] = Field(
        default_factory=list, description="Regexes; when given, a URL must match one to be fetched."
    )
    deny_patterns: list[str] = Field(default_factory=list, description="Regexes; a matching URL is not fetched.")
    max_pages_per_host: int | None = Field(default=None, ge=1, description="Pages fetched per host at most.")
    content_types: list[str] = Field(
        default_factory=lambda: list(HTML_TYPES),
        description="Content types kept as pages; any other 2xx response is dropped as not_html.",
    )
    tracking_parameters: list[str] = Field(
        default_factory=lambda: list(TRACKING_PARAMETERS),
        description="Query parameters removed from every URL: a name starting with one of these (utm_, fbclid...).",
    )
    use_sitemaps: bool = Field(
        default=False,
        description="Also seed each host from the sitemaps its robots.txt names and from /sitemap.xml.",
    )
    fetch_tdmrep: bool = Field(
        default=True,
        description="Ask each host for /.well-known/tdmrep.json (W3C TDM Reservation Protocol) after its robots.txt, "
        "archived like robots.txt: the site's text-and-data-mining reservations (rights.tdm_reservation).",
    )
    connect_timeout_seconds: float = Field(default=5.0, gt=0, description="Time to open a connection.")
    read_timeout_seconds: float = Field(default=15.0, gt=0, description="Time to wait for the next bytes.")
    total_timeout_seconds: float = Field(default=60.0, gt=0, description="Time one response may take in all.")
    max_retries: int = Field(default=2, ge=0, description="Retries after a timeout, connection error, 429 or 5xx.")
    max_failed_share: float = Field(
        default=0.5, ge=0, le=1,
        description="A crawl in which more than this share of pages failed for reasons that may pass (timeouts, "
        "connection errors, DNS, 5xx), or that fetched nothing because of them, is left incomplete: its step "
        "fails and the next run of the date asks for those pages again.",
    )
    backoff_seconds: float = Field(default=0.5, ge=0, description="First retry pause; doubles at each retry.")
    max_body_bytes: int = Field(default=5_000_000, gt=0, description="Bodies above this are dropped as too large.")
    max_redirects: int = Field(default=5, ge=0, description="Redirect hops followed per URL.")
    allow_private_networks: bool | list[str] = Field(
        default=False,
        description="false: refuse loopback/private/link-local addresses; true: allow all; "
        "a list of networks (e.g. ['127.0.0.1/32']) allows just those.",
    )

    @field_validator("content_types", "tracking_parameters")
    @classmethod
    def _lowercase(cls, names: list[str]) -> list[str]:
        return [name.strip().lower() for name in names]

    @field_validator("allow_patterns", "deny_patterns")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"{pattern!r} is not a regular expression: {error}") from None
        return patterns

    @field_validator("allow_private_networks")
    @classmethod
    def _networks_parse(cls, value: bool | list[str]) -> bool | list[str]:
        if isinstance(value, list):
            for network in value:
                ipaddress.ip_network(network, strict=False)
        return value
