"""Resources: the pipeline config and the warehouse (a DuckDB file, or DuckLake)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource
from pydantic import Field

from corpus_assets import warehouse
from corpus_assets.config import CorpusConfig, WarehouseBackendConfig, load_config


class CorpusConfigResource(dg.ConfigurableResource):
    """The YAML file `CORPUS_CONFIG` names: sources, crawl limits, thresholds and gate ceilings."""

    path: str

    def load(self) -> CorpusConfig:
        """The loaded config: read once per process and file version (`load_config`), shared with the code
        location that was loaded from the same file."""
        return load_config(self.path)


class WarehouseResource(DuckDBResource):
    """dagster_duckdb's resource, whose connections may be DuckLake's: every asset keeps calling `get_connection()`
    and runs the same SQL, whichever the config's `warehouse_backend` is."""

    backend: dict[str, Any] = Field(
        default={}, description="The config's warehouse_backend section; empty or kind duckdb: the `database` file."
    )

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        backend = WarehouseBackendConfig.model_validate(self.backend)
        if not backend.is_lake:
            with super().get_connection() as conn:
                yield conn
            return
        # A lake is attached per connection: the attach is what opens the catalog and storage, and a connection
        # is the unit every asset opens and closes.
        conn = warehouse.connect(backend, self.database, config={"custom_user_agent": "dagster",
                                                                 **self.connection_config})
        yield conn
        conn.close()


def warehouse_resource(config: CorpusConfig) -> WarehouseResource:
    """The warehouse of the config: its DuckDB file (created with its folder on first use), or its DuckLake."""
    config.warehouse.parent.mkdir(parents=True, exist_ok=True)
    return WarehouseResource(
        database=str(config.warehouse),
        # What does not fit goes to DuckDB's temp_directory, `<warehouse>.tmp` beside the file.
        connection_config={"memory_limit": config.warehouse_memory_limit},
        # Dagster's config maps hold no nulls: unset keys are left out and take their defaults again.
        backend=config.warehouse_backend.model_dump(exclude_none=True) if config.warehouse_backend.is_lake else {},
    )
