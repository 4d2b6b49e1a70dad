"""Settings of the crawl and of the sources a crawl date reads (the `crawl` and `sources` sections of the config).

`WarcSource` also knows which of its files belong to which crawl date (`{date}` in the path, or a fixed date), which
is what both the `raw_pages` load and the WARC-arrivals sensor need.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import glob
import ipaddress
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from corpus_assets.crawl.urls import HTML_TYPES, TRACKING_PARAMETERS, is_url

DATE_PLACEHOLDER = "{date}"
ISO_DATE_GLOB = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _glob_as_regex(pattern: str) -> str:
    # fnmatch.translate gives "(?s:...)\\Z"; the inside is what may be joined with other parts.
    return re.fullmatch(r"\(\?s:(.*)\)\\Z", fnmatch.translate(pattern), re.S).group(1)


def _date_capturing_regex(path_pattern: str) -> str:
    """A regex matching the files of a `{date}` glob, capturing the date (every `{date}` must agree)."""
    first, *rest = (_glob_as_regex(part) for part in path_pattern.split(DATE_PLACEHOLDER))
    return "(?s:" + first + r"(?P<date>\d{4}-\d{2}-\d{2})" + "(?P=date)".join(rest) + r")\Z"


class WarcSource(_Section):
    """WARC files assigned to crawl dates: a local path, a glob or an http(s) URL, with `{date}` (YYYY-MM-DD) in
    it or with a fixed crawl date. A URL is streamed, never globbed: it names exactly one file."""

    path: str = Field(
        description="Local path, glob (`data/cc/{date}/*.warc.gz`) or http(s) URL of a WARC file; `{date}` is "
        "replaced by the partition's date, YYYY-MM-DD."
    )
    crawl_date: dt.date | None = Field(
        default=None, description="The crawl date of every matching file, for paths without `{date}`."
    )

    @model_validator(mode="after")
    def _date_is_known(self) -> WarcSource:
        if (DATE_PLACEHOLDER in self.path) == (self.crawl_date is not None):
            raise ValueError(
                f"WARC source {self.path!r}: give either a path with '{DATE_PLACEHOLDER}' in it, "
                "or a path and a crawl_date, so every file belongs to exactly one crawl date"
            )
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
        """Whether this source is an http(s) URL (streamed) rather than local files."""
        return is_url(self.path)

    def files_for(self, crawl_date: dt.date) -> list[str]:
        """The files (local paths or one URL) of this source that belong to `crawl_date`, sorted so the load
        order is stable. A URL is listed as it is, `{date}` filled in: whether it exists is known on reading."""
        if self.crawl_date is not None and self.crawl_date != crawl_date:
            return []
        location = self.path.replace(DATE_PLACEHOLDER, crawl_date.isoformat())
        if self.is_url:
            return [location]
        location = location.removeprefix("file://")
        return sorted(p for p in glob.glob(location, recursive=True) if Path(p).is_file())

    def dated_files(self) -> dict[Path, dt.date]:
        """Every local file this source holds now, each with the crawl date it belongs to (what the WARC sensor
        watches; a URL source has no folder to watch)."""
        if self.is_url:
            return {}
        local = self.path.removeprefix("file://")
        if self.crawl_date is not None:
            return {Path(p): self.crawl_date for p in glob.glob(local, recursive=True) if Path(p).is_file()}
        pattern = local.replace(DATE_PLACEHOLDER, ISO_DATE_GLOB)
        # The date is read back from the place `{date}` holds in the path, not from anywhere else in it.
        date_at = re.compile(_date_capturing_regex(local))
        files: dict[Path, dt.date] = {}
        for path in glob.glob(pattern, recursive=True):
            found = date_at.match(path) if Path(path).is_file() else None
            if found is None:
                continue
            try:
                files[Path(path)] = dt.date.fromisoformat(found.group("date"))
            except ValueError:  # 2026-13-45 matches the glob but is no date
                continue
        return files


class SourcesConfig(_Section):
    seeds: list[str] = Field(default_factory=list, description="Seed URLs; the crawl stays on their hosts.")
    warc: list[WarcSource] = Field(default_factory=list, description="WARC sources, each assigned to crawl dates.")
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


class CrawlConfig(_Section):
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
