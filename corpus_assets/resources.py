"""Resources: the pipeline config and the DuckDB warehouse."""

from __future__ import annotations

import functools
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from corpus_assets.config import CorpusConfig, load_config


@functools.lru_cache(maxsize=8)
def _load(path: str, modified_ns: int) -> CorpusConfig:
    return load_config(path)


class CorpusConfigResource(dg.ConfigurableResource):
    """The YAML file `CORPUS_CONFIG` names: sources, crawl limits, thresholds and gate ceilings."""

    path: str

    def load(self) -> CorpusConfig:
        # Cached per file version: a run reads the file once, an edited file is read again.
        path = Path(self.path)
        return _load(self.path, path.stat().st_mtime_ns if path.exists() else 0)


def warehouse_resource(config: CorpusConfig) -> DuckDBResource:
    """The DuckDB file of the config (created with its folder on first use)."""
    config.warehouse.parent.mkdir(parents=True, exist_ok=True)
    return DuckDBResource(database=str(config.warehouse))
