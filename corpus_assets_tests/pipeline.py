"""Running the real assets in tests: a config file per test, a real DuckDB file, a real Dagster instance."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import dagster as dg
import yaml

from corpus_assets import warehouse
from corpus_assets.assets.crawl_archive import crawl_archive
from corpus_assets.assets.deduped_text import deduped_text
from corpus_assets.assets.eval_benchmarks import eval_benchmarks
from corpus_assets.assets.extracted_text import extracted_text
from corpus_assets.assets.filtered_text import filtered_text
from corpus_assets.assets.final_set import final_set
from corpus_assets.assets.raw_pages import raw_pages
from corpus_assets.config import load_config
from corpus_assets.resources import CorpusConfigResource, warehouse_resource
from corpus_assets_tests.paths import REPO_ROOT

# Every asset of the corpus, in the order of the chain.
CHAIN = [crawl_archive, raw_pages, extracted_text, deduped_text, filtered_text, eval_benchmarks, final_set]


def write_config(folder: Path, *, seeds: list[str] = (), warc: list[Any] = (), **sections: Any) -> Path:
    """A config file under `folder` (made if missing) whose warehouse and archive live there too (loopback crawling
    allowed)."""
    crawl = {"delay_seconds": 0.0, "allow_private_networks": ["127.0.0.1/32"], "backoff_seconds": 0.01,
             **sections.pop("crawl", {})}
    document = {
        "warehouse": "warehouse.duckdb",
        "archive_dir": "archive",
        "start_date": "2026-11-01",
        "sources": {"seeds": list(seeds), "warc": list(warc)},
        "crawl": crawl,
        **sections,
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "corpus.yaml"
    path.write_text(yaml.safe_dump(document))
    return path


def resources_for(config_path: Path) -> dict[str, Any]:
    return {
        "corpus": CorpusConfigResource(path=str(config_path)),
        "warehouse_db": warehouse_resource(load_config(config_path)),
    }


def materialize(assets: list, config_path: Path, partition: str | None = None, *,
                partition_range: tuple[str, str] | None = None, instance: dg.DagsterInstance | None = None,
                raise_on_error: bool = False) -> dg.ExecuteInProcessResult:
    """Materialize `assets` for one crawl date, or for a range in one run (as a single-run backfill does)."""
    tags = {}
    if partition_range:
        tags = {"dagster/asset_partition_range_start": partition_range[0],
                "dagster/asset_partition_range_end": partition_range[1]}
    return dg.materialize(
        assets,
        partition_key=partition,
        resources=resources_for(config_path),
        instance=instance or dg.DagsterInstance.ephemeral(),
        tags=tags,
        raise_on_error=raise_on_error,
    )


def materialized_metadata(result: dg.ExecuteInProcessResult) -> dict[str, Any]:
    """The metadata values of the one materialization of a run."""
    (event,) = result.get_asset_materialization_events()
    return {key: value.value for key, value in event.step_materialization_data.materialization.metadata.items()}


def run_cli(config_path: Path, *args: str, dagster_home: Path | None = None) -> subprocess.CompletedProcess:
    """`make run`'s entry point (`python -m corpus_assets.cli ...`) in a process of its own, as a shell starts it:
    the config from CORPUS_CONFIG, no other environment but PATH (and DAGSTER_HOME when given)."""
    env = {"CORPUS_CONFIG": str(config_path), "PATH": "/usr/bin:/bin"}
    if dagster_home:
        env["DAGSTER_HOME"] = str(dagster_home)
    return subprocess.run([sys.executable, "-m", "corpus_assets.cli", *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def query(config_path: Path, statement: str, parameters: list | None = None) -> list[tuple]:
    """Rows of a statement over the config's warehouse, read only: its DuckDB file or its DuckLake."""
    config = load_config(config_path)
    with warehouse.connect(config.warehouse_backend, config.warehouse, read_only=True) as conn:
        return conn.execute(statement, parameters).fetchall()


def table_checksum(config_path: Path, table: str) -> tuple[int, str]:
    """Row count and a digest of every row, to prove a table did not change by one byte."""
    return query(
        config_path,
        f"SELECT count(*), coalesce(md5(string_agg(CAST(t AS VARCHAR), '|' ORDER BY CAST(t AS VARCHAR))), '') "
        f"FROM {table} t",
    )[0]


def fates(config_path: Path, crawl_date: dt.date | str) -> dict[str, str]:
    """url -> 'kept' or 'stage:reason' for every page of a date, from the published tables."""
    outcome = {url: "kept" for (url,) in query(config_path, "SELECT url FROM final_set WHERE crawl_date = ?",
                                                [crawl_date])}
    for url, stage, reason in query(
        config_path, "SELECT url, stage, reason FROM drop_log WHERE crawl_date = ?", [crawl_date]
    ):
        outcome[url] = f"{stage}:{reason}"
    return outcome


PUBLISHED_TABLES = ["raw_pages", "extracted_text", "deduped_text", "filtered_text", "final_set", "drop_log"]


def published_rows(config_path: Path, table: str) -> list[tuple]:
    """The rows of a published table that two warehouses fed the same site must share, sorted: fetch times and
    archive paths differ between two crawls, their content must not."""
    if table == "raw_pages":
        statement = "SELECT crawl_date, page_id, url, status, body_sha256, source_file LIKE '%crawl-%' FROM raw_pages"
    elif table == "drop_log":
        statement = "SELECT * EXCLUDE (detail) FROM drop_log"  # details may name archive files
    else:
        statement = f"SELECT * FROM {table}"
    return sorted(query(config_path, statement), key=lambda row: [(value is None, str(value)) for value in row])
