"""The pipeline's configuration: one YAML file (`CORPUS_CONFIG`, default `corpus.yaml` at the repo root).

Every key has a stated default; an unknown key, a wrong type or a missing file is a `ConfigError` raised before
any work starts. Relative paths are resolved against the folder of the config file, so a config works the same
from any working directory.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import glob
import ipaddress
import os
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from corpus_assets.crawl.warc_source import is_url
from corpus_assets.crawl.urls import HTML_TYPES, TRACKING_PARAMETERS
from corpus_assets.decontam.config import DecontamConfig
from corpus_assets.dedup.config import DedupConfig
from corpus_assets.extract.config import ExtractConfig
from corpus_assets.quality.config import QualityConfig

DEFAULT_CONFIG_FILE = "corpus.yaml"
CONFIG_ENV_VAR = "CORPUS_CONFIG"
DATE_PLACEHOLDER = "{date}"
ISO_DATE_GLOB = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"


class ConfigError(ValueError):
    """The configuration cannot be used; the message says which file and key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _glob_as_regex(pattern: str) -> str:
    # fnmatch.translate gives "(?s:...)\\Z"; the inside is what may be joined with other parts.
    return re.fullmatch(r"\(\?s:(.*)\)\\Z", fnmatch.translate(pattern), re.S).group(1)


def _date_capturing_regex(path_pattern: str) -> str:
    """A regex matching the files of a `{date}` glob, capturing the date (every `{date}` must agree)."""
    first, *rest = (_glob_as_regex(part) for part in path_pattern.split(DATE_PLACEHOLDER))
    return "(?s:" + first + r"(?P<date>\d{4}-\d{2}-\d{2})" + "(?P=date)".join(rest) + r")\Z"


class WarcSource(_Strict):
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


class SourcesConfig(_Strict):
    seeds: list[str] = Field(default_factory=list, description="Seed URLs; the crawl stays on their hosts.")
    warc: list[WarcSource] = Field(default_factory=list, description="WARC sources, each assigned to crawl dates.")
    warc_settle_seconds: float = Field(
        default=60.0, ge=0,
        description="The WARC sensor leaves a file alone until it has not changed for this long (still being copied).",
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


class CrawlConfig(_Strict):
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
    connect_timeout_seconds: float = Field(default=5.0, gt=0, description="Time to open a connection.")
    read_timeout_seconds: float = Field(default=15.0, gt=0, description="Time to wait for the next bytes.")
    total_timeout_seconds: float = Field(default=60.0, gt=0, description="Time one response may take in all.")
    max_retries: int = Field(default=2, ge=0, description="Retries after a timeout, connection error, 429 or 5xx.")
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


class GateConfig(_Strict):
    max_unexpected_drop_rate: float = Field(
        ge=0, le=1, description="Share of a partition's pages a stage may drop for an unexpected reason."
    )


class GatesConfig(_Strict):
    raw_pages: GateConfig = Field(default=GateConfig(max_unexpected_drop_rate=0.5))
    extracted_text: GateConfig = Field(default=GateConfig(max_unexpected_drop_rate=0.2))
    deduped_text: GateConfig = Field(default=GateConfig(max_unexpected_drop_rate=0.5))
    filtered_text: GateConfig = Field(default=GateConfig(max_unexpected_drop_rate=0.9))
    final_set: GateConfig = Field(default=GateConfig(max_unexpected_drop_rate=1.0))


class FreshnessConfig(_Strict):
    final_set_deadline_hour_utc: int = Field(
        default=6, ge=0, le=23,
        description="By this hour (UTC) yesterday's final_set partition must exist, or its freshness check fails.",
    )


class CorpusConfig(_Strict):
    """The whole configuration file."""

    warehouse: Path = Field(default=Path("data/warehouse.duckdb"), description="The DuckDB file.")
    archive_dir: Path = Field(default=Path("data/archive"), description="Per-date WARC archives of the crawl.")
    start_date: dt.date = Field(default=dt.date(2026, 1, 1), description="First crawl-date partition.")
    sources: SourcesConfig = Field(default_factory=SourcesConfig)
    crawl: CrawlConfig = Field(default_factory=CrawlConfig)
    extract: ExtractConfig = Field(default_factory=ExtractConfig)
    dedup: DedupConfig = Field(default_factory=DedupConfig)
    quality: QualityConfig = Field(default_factory=QualityConfig)
    decontamination: DecontamConfig = Field(default_factory=DecontamConfig)
    gates: GatesConfig = Field(default_factory=GatesConfig)
    freshness: FreshnessConfig = Field(default_factory=FreshnessConfig)
    backfill_runs: Literal["single_run", "per_date"] = Field(
        default="single_run",
        description="single_run: a backfill is one run that works through its dates in order (what "
        "`dagster asset materialize --partition-range` needs); per_date: the daemon launches one run per date "
        "and starts dedup of a date only after the date before it.",
    )


def _resolve(base: Path, path: str | Path) -> str:
    expanded = os.path.expanduser(str(path))
    return os.path.normpath(expanded if os.path.isabs(expanded) else base / expanded)


def _resolved_paths(config: CorpusConfig, base: Path) -> CorpusConfig:
    """Relative paths are relative to the config file's folder."""
    missing = [str(p) for p in config.decontamination.benchmarks if not Path(_resolve(base, p)).exists()]
    if missing:
        raise ConfigError(f"decontamination.benchmarks: no such file or folder: {', '.join(missing)}")
    return config.model_copy(
        update={
            "warehouse": Path(_resolve(base, config.warehouse)),
            "archive_dir": Path(_resolve(base, config.archive_dir)),
            "sources": config.sources.model_copy(
                update={
                    "warc": [
                        source if source.is_url else source.model_copy(update={"path": _resolve(base, source.path)})
                        for source in config.sources.warc
                    ]
                }
            ),
            "decontamination": config.decontamination.model_copy(
                update={"benchmarks": [Path(_resolve(base, p)) for p in config.decontamination.benchmarks]}
            ),
        }
    )


def _describe(error: ValidationError) -> str:
    lines = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"]) or "(top level)"
        message = "unknown key" if problem["type"] == "extra_forbidden" else problem["msg"]
        lines.append(f"  {where}: {message}")
    return "\n".join(lines)


def config_path_from_env() -> Path:
    """The config file named by `CORPUS_CONFIG`, or `corpus.yaml` in the working directory."""
    return Path(os.environ.get(CONFIG_ENV_VAR) or DEFAULT_CONFIG_FILE).resolve()


def load_config(path: str | Path) -> CorpusConfig:
    """Read and validate a config file; raises `ConfigError` with every problem listed."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file {path} does not exist (set {CONFIG_ENV_VAR} to the file to use)")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ConfigError(f"config file {path} is not valid YAML: {error}") from error
    if not isinstance(raw, dict):
        raise ConfigError(f"config file {path} must hold a mapping of keys, not {type(raw).__name__}")
    try:
        config = CorpusConfig.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(f"config file {path} has problems:\n{_describe(error)}") from None
    return _resolved_paths(config, path.resolve().parent)
