"""The pipeline's configuration: one YAML file (`CORPUS_CONFIG`, default `corpus.yaml` at the repo root).

Each section has its home beside the code it configures (`crawl/config.py` for `crawl` and `sources`,
`extract/config.py`, `dedup/config.py`, `quality/config.py`, `decontam/config.py`, `release/config.py`); this module
holds the top-level keys, the gate ceilings and the loading. Every key has a stated default; an unknown key, a wrong
type or a missing file is a `ConfigError` raised before any work starts. Relative paths are resolved against the
folder of the config file, so a config works the same from any working directory.

A file is read and validated once per process (`load_config` keeps it until the file changes): the partitions,
the code location, every asset and the command line share the one loaded object.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from corpus_assets.crawl.config import CrawlConfig, SourcesConfig
from corpus_assets.decontam.config import DecontamConfig
from corpus_assets.dedup.config import DedupConfig
from corpus_assets.extract.config import ExtractConfig
from corpus_assets.parallel import ExecutionConfig
from corpus_assets.privacy.config import PrivacyConfig
from corpus_assets.quality.config import QualityConfig
from corpus_assets.release.config import ReleaseConfig
from corpus_assets.rights.config import RightsConfig
from corpus_assets.safety.config import SafetyConfig

DEFAULT_CONFIG_FILE = "corpus.yaml"
CONFIG_ENV_VAR = "CORPUS_CONFIG"


class ConfigError(ValueError):
    """The configuration cannot be used; the message says which file and key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GateConfig(_Strict):
    max_unexpected_drop_rate: float = Field(
        ge=0, le=1, description="Share of a partition's pages a stage may drop for an unexpected reason."
    )


class GatesConfig(_Strict):
    raw_pages: GateConfig = Field(default=GateConfig(max_unexpected_drop_rate=0.5))
    extracted_text: GateConfig = Field(default=GateConfig(max_unexpected_drop_rate=0.2))
    licensed_documents: GateConfig = Field(default=GateConfig(max_unexpected_drop_rate=0.0))
    deduped_text: GateConfig = Field(default=GateConfig(max_unexpected_drop_rate=0.5))
    filtered_text: GateConfig = Field(default=GateConfig(max_unexpected_drop_rate=0.9))
    final_set: GateConfig = Field(default=GateConfig(max_unexpected_drop_rate=1.0))


class FreshnessConfig(_Strict):
    final_set_deadline_hour_utc: int = Field(
        default=6, ge=0, le=23,
        description="By this hour (UTC) yesterday's final_set partition must exist, or its freshness check fails.",
    )


class S3Config(_Strict):
    """Where DuckLake's Parquet files live when `data_path` is an `s3://` URL, and how to reach it. The key id and
    secret are read from the environment variables named here, so a config file never holds a secret."""

    endpoint: str | None = Field(
        default=None, description="host:port of an S3-compatible server (MinIO, Ceph, moto); empty: AWS S3 itself."
    )
    region: str = Field(default="us-east-1", description="The bucket's region.")
    url_style: Literal["vhost", "path"] = Field(
        default="vhost", description="path: `endpoint/bucket/key`, what most S3-compatible servers need."
    )
    use_ssl: bool = Field(default=True, description="false for a plain-HTTP server (a local test server).")
    key_id_env: str = Field(default="AWS_ACCESS_KEY_ID", description="The environment variable holding the key id.")
    secret_env: str = Field(
        default="AWS_SECRET_ACCESS_KEY", description="The environment variable holding the secret access key."
    )


class WarehouseBackendConfig(_Strict):
    """What the warehouse is: the embedded DuckDB file (`warehouse`), or DuckLake: a catalog database holding the
    tables' metadata and Parquet data files under `data_path`. The same SQL runs on both."""

    kind: Literal["duckdb", "ducklake"] = Field(
        default="duckdb", description="duckdb: the `warehouse` file; ducklake: `metadata` + `data_path`."
    )
    metadata: str | None = Field(
        default=None,
        description="DuckLake's catalog: `postgres:dbname=... host=... port=... user=...` (a password comes from "
        "PGPASSWORD or ~/.pgpass, as libpq reads them), or a local DuckDB file (`lake.ducklake`) for one machine.",
    )
    data_path: str | None = Field(
        default=None, description="Where the Parquet files go: `s3://bucket/prefix/` or a local folder."
    )
    inline_row_limit: int = Field(
        default=0, ge=0,
        description="DuckLake keeps a write of at most this many rows in the catalog database instead of a Parquet "
        "file (its own default is 10); 0: every row is in Parquet, the catalog holds only metadata.",
    )
    s3: S3Config = Field(default_factory=S3Config)

    @model_validator(mode="after")
    def _lake_is_complete(self) -> WarehouseBackendConfig:
        if self.kind == "ducklake" and not (self.metadata and self.data_path):
            raise ValueError("kind ducklake needs both metadata (the catalog) and data_path (the Parquet files)")
        return self

    @property
    def is_lake(self) -> bool:
        return self.kind == "ducklake"


class CorpusConfig(_Strict):
    """The whole configuration file."""

    warehouse: Path = Field(
        default=Path("data/warehouse.duckdb"),
        description="The DuckDB file; with a DuckLake backend it only places the spill folder and the run history.",
    )
    warehouse_backend: WarehouseBackendConfig = Field(default_factory=WarehouseBackendConfig)
    warehouse_memory_limit: str = Field(
        default="400MB", pattern=r"^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$",
        description="DuckDB's memory_limit for the pipeline's connections: past it DuckDB spills sorts, joins and "
        "large transactions to a temporary folder beside the warehouse, so a date's size does not set the memory "
        "a step needs. DuckDB's own default is 80% of the machine's memory.",
    )
    archive_dir: Path = Field(default=Path("data/archive"), description="Per-date WARC archives of the crawl.")
    start_date: dt.date = Field(default=dt.date(2026, 1, 1), description="First crawl-date partition.")
    sources: SourcesConfig = Field(default_factory=SourcesConfig)
    crawl: CrawlConfig = Field(default_factory=CrawlConfig)
    extract: ExtractConfig = Field(default_factory=ExtractConfig)
    rights: RightsConfig = Field(default_factory=RightsConfig)
    dedup: DedupConfig = Field(default_factory=DedupConfig)
    quality: QualityConfig = Field(default_factory=QualityConfig)
    safety: SafetyConfig = Field(default_factory=SafetyConfig)
    privacy: PrivacyConfig = Field(default_factory=PrivacyConfig)
    decontamination: DecontamConfig = Field(default_factory=DecontamConfig)
    gates: GatesConfig = Field(default_factory=GatesConfig)
    freshness: FreshnessConfig = Field(default_factory=FreshnessConfig)
    execution: ExecutionConfig = Field(default_factory=ExecutionConfig)
    release: ReleaseConfig = Field(default_factory=ReleaseConfig)
    backfill_runs: Literal["single_run", "per_date"] = Field(
        default="single_run",
        description="single_run: a backfill is one run that works through its dates in order (what "
        "`dagster asset materialize --partition-range` needs); per_date: the daemon launches one run per date "
        "and starts dedup of a date only after the date before it.",
    )


def _resolve(base: Path, path: str | Path) -> str:
    expanded = os.path.expanduser(str(path))
    return os.path.normpath(expanded if os.path.isabs(expanded) else base / expanded)


# A DuckLake catalog that lives in a server; any other `metadata` is a DuckDB file on this machine.
_SERVER_CATALOGS = ("postgres:",)


def _resolved_backend(backend: WarehouseBackendConfig, base: Path) -> WarehouseBackendConfig:
    """A local catalog file and a local data folder are relative to the config file's folder, like `warehouse`."""
    if not backend.is_lake:
        return backend
    metadata = backend.metadata
    if not metadata.startswith(_SERVER_CATALOGS):
        metadata = _resolve(base, metadata)
    data_path = backend.data_path
    if "://" not in data_path:
        data_path = _resolve(base, data_path) + os.sep
    return backend.model_copy(update={"metadata": metadata, "data_path": data_path})


def _resolved_paths(config: CorpusConfig, base: Path) -> CorpusConfig:
    """Relative paths are relative to the config file's folder."""
    missing = [str(p) for p in config.decontamination.benchmarks if not Path(_resolve(base, p)).exists()]
    if missing:
        raise ConfigError(f"decontamination.benchmarks: no such file or folder: {', '.join(missing)}")
    return config.model_copy(
        update={
            "warehouse": Path(_resolve(base, config.warehouse)),
            "warehouse_backend": _resolved_backend(config.warehouse_backend, base),
            "archive_dir": Path(_resolve(base, config.archive_dir)),
            "release": config.release.model_copy(
                update={"release_dir": Path(_resolve(base, config.release.release_dir))}),
            "sources": config.sources.model_copy(
                update={
                    "warc": [
                        source if source.is_url else source.model_copy(update={"path": _resolve(base, source.path)})
                        for source in config.sources.warc
                    ],
                    "documents": [source.model_copy(update={"path": _resolve(base, source.path)})
                                  for source in config.sources.documents],
                }
            ),
            "safety": config.safety.model_copy(update={"blocklist": config.safety.blocklist.model_copy(
                update={"extra_list": config.safety.blocklist.extra_list
                        and Path(_resolve(base, config.safety.blocklist.extra_list))})}),
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
    """Read and validate a config file; raises `ConfigError` with every problem listed.

    The file is parsed once per version: a second call returns the same object until the file changes.
    """
    path = Path(path).resolve()
    if not path.is_file():
        raise ConfigError(f"config file {path} does not exist (set {CONFIG_ENV_VAR} to the file to use)")
    version = path.stat()
    return _parsed(path, version.st_mtime_ns, version.st_size)


def active_config() -> CorpusConfig:
    """The config of this process: the file `CORPUS_CONFIG` names."""
    return load_config(config_path_from_env())


@functools.lru_cache(maxsize=16)
def _parsed(path: Path, modified_ns: int, size: int) -> CorpusConfig:
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
