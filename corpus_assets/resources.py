"""Resources: the pipeline config and the DuckDB warehouse."""

from __future__ import annotations

import dagster as dg
from dagster_duckdb import DuckDBResource

from corpus_assets.config import CorpusConfig, load_config


class CorpusConfigResource(dg.ConfigurableResource):
    """The YAML file `CORPUS_CONFIG` names: sources, crawl limits, thresholds and gate ceilings."""

    path: str

    def load(self) -> CorpusConfig:
        """The loaded config: read once per process and file version (`load_config`), shared with the code
        location that was loaded from the same file."""
        return load_config(self.path)


def warehouse_resource(config: CorpusConfig) -> DuckDBResource:
    """The DuckDB file of the config (created with its folder on first use)."""
    config.warehouse.parent.mkdir(parents=True, exist_ok=True)
    return DuckDBResource(
        database=str(config.warehouse),
        # What does not fit goes to DuckDB's temp_directory, `<warehouse>.tmp` beside the file.
        connection_config={"memory_limit": config.warehouse_memory_limit},
    )
