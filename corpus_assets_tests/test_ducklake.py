"""The warehouse as DuckLake, for real: a PostgreSQL server from Debian's package holds the catalog, moto's S3
server on 127.0.0.1 holds the Parquet files, and the same chain and gates publish the same rows as the DuckDB file."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import corpus_assets.assets.raw_pages as raw_pages_module
from corpus_assets import cli, warehouse
from corpus_assets.assets.corpus_release import corpus_release
from corpus_assets.assets.crawl_archive import crawl_archive
from corpus_assets.assets.raw_pages import raw_pages
from corpus_assets.config import ConfigError, load_config
from corpus_assets_tests.assets.test_gate import with_planted_row
from corpus_assets_tests.pipeline import (
    CHAIN,
    PUBLISHED_TABLES,
    materialize,
    materialized_metadata,
    published_rows,
    query,
    run_cli,
    table_checksum,
    write_config,
)
from corpus_assets_tests.sites import every_fate_site, three_page_site

DATE = "2026-11-02"
BUCKET = "corpus-lake"
KEY_ENV, SECRET_ENV = "CORPUS_TEST_S3_KEY_ID", "CORPUS_TEST_S3_SECRET"


def _postgres_bin() -> Path:
    """The bin folder of the newest PostgreSQL from Debian's packages; installs `postgresql` with apt when it is
    absent and this is root (as `make postgresql` does), skips the test when that is not possible."""
    def newest() -> Path | None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
        return Path(found[-1]).parent if found else None

    if newest() is None and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "postgresql"]
        if subprocess.run(install, capture_output=True, env=env, timeout=900).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], capture_output=True, env=env, timeout=600)
            subprocess.run(install, capture_output=True, env=env, timeout=900)
    if newest() is None:
        pytest.skip("needs Debian's postgresql package (/usr/lib/postgresql/*/bin/initdb): `make postgresql` "
                    "installs it, and apt-get could not here")
    return newest()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """A throwaway PostgreSQL cluster on 127.0.0.1. PostgreSQL refuses to run as root, so under root the cluster
    belongs to Debian's `postgres` user, in a folder of its own (pytest's tmp_path is private to root)."""

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.port = _free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="corpus-postgres-"))
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.folder, user=self.user)

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run([str(self.bin_dir / program), *args], user=self.user, capture_output=True,
                                text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{program} failed: {result.stderr.strip()[-800:]}")

    def start(self) -> PostgresServer:
        data = self.folder / "data"
        self._run("initdb", "-D", str(data), "-A", "trust", "-U", "corpus", "-E", "UTF8", "--no-sync")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(self.folder / "server.log"), "-w", "start")
        return self

    def create_database(self, name: str) -> str:
        """A new database; returns DuckLake's `metadata` for it."""
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "corpus", name)
        return f"postgres:dbname={name} host=127.0.0.1 port={self.port} user=corpus"

    def stop(self) -> None:
        subprocess.run([str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop"],
                       user=self.user, capture_output=True, timeout=120)
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer(_postgres_bin()).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    """moto's S3 server on 127.0.0.1 (a real HTTP server in a thread); yields its host:port."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, monkeypatch):
    """A fresh bucket on the S3 server, its credentials in the environment variables the config names."""
    import boto3

    monkeypatch.setenv(KEY_ENV, "corpus-test-key")
    monkeypatch.setenv(SECRET_ENV, "corpus-test-secret")
    client = boto3.client("s3", endpoint_url=f"http://{s3_server}", region_name="us-east-1",
                          aws_access_key_id="corpus-test-key", aws_secret_access_key="corpus-test-secret")
    client.create_bucket(Bucket=BUCKET)
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def lake_section(metadata: str, s3_endpoint: str) -> dict:
    return {"kind": "ducklake", "metadata": metadata, "data_path": f"s3://{BUCKET}/corpus/",
            "s3": {"endpoint": s3_endpoint, "url_style": "path", "use_ssl": False,
                   "key_id_env": KEY_ENV, "secret_env": SECRET_ENV}}


def lake_config(folder: Path, postgres: PostgresServer, s3_endpoint: str, name: str, **kwargs) -> Path:
    return write_config(folder, warehouse_backend=lake_section(postgres.create_database(name), s3_endpoint), **kwargs)


def test_the_chain_publishes_the_same_rows_on_ducklake_as_in_the_duckdb_file(postgres, s3_server, s3, serve,
                                                                              tmp_path):
    site = serve(every_fate_site())
    lake = lake_config(tmp_path / "lake", postgres, s3_server, "same_rows", seeds=[site.url("/")])
    file = write_config(tmp_path / "file", seeds=[site.url("/")])
    assert materialize(CHAIN, lake, DATE).success
    assert materialize(CHAIN, file, DATE).success

    assert not (tmp_path / "lake" / "warehouse.duckdb").exists()
    tables = [*PUBLISHED_TABLES, "quality_signals"]
    for table in tables:
        rows = published_rows(lake, table)
        assert rows == published_rows(file, table), table
        assert rows or table == "final_set", f"{table} is empty: the comparison proves nothing"
    assert len(published_rows(lake, "final_set")) >= 3
    # The rows live in Parquet files in the bucket, the catalog in PostgreSQL: no table data in the catalog.
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET, Prefix="corpus/").get("Contents", [])]
    assert any(key.startswith("corpus/main/final_set/") and key.endswith(".parquet") for key in keys), keys
    (catalog_tables,) = query(lake, "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'lake' "
                                    "AND schema_name = 'main'")[0]
    assert catalog_tables >= len(PUBLISHED_TABLES)

    # A release reads the lake as it reads the file: the same documents, hence the same version.
    versions = [materialized_metadata(materialize([corpus_release], config))["version"] for config in (lake, file)]
    assert versions[0] == versions[1]
    # The same takedown in both, and the date again (the archive replayed): each partition is replaced in the
    # lake, not added to, so both hold the same rows again, and the page is withheld.
    (url,) = query(lake, "SELECT url FROM final_set ORDER BY page_id LIMIT 1")[0]
    for config in (lake, file):
        assert cli.forget(load_config(config), url=url, domain=None, reason="the owner asked",
                          requested_by=None) == 0
        assert materialize(CHAIN, config, DATE).success
    for table in tables:
        assert published_rows(lake, table) == published_rows(file, table), f"{table} after a second run"
    assert query(lake, "SELECT count(*) FROM final_set WHERE url = ?", [url]) == [(0,)]
    assert query(lake, "SELECT stage, reason FROM drop_log WHERE url = ?", [url]) == [("raw_pages", "takedown")]


def test_a_failing_gate_leaves_the_published_lake_tables_unchanged(postgres, s3_server, s3, serve, tmp_path,
                                                                   monkeypatch):
    site = serve(three_page_site())
    config = lake_config(tmp_path / "lake", postgres, s3_server, "gate_failure", seeds=[site.url("/")])
    assert materialize([crawl_archive, raw_pages], config, DATE).success
    before = {table: table_checksum(config, table) for table in ("raw_pages", "drop_log")}
    assert before["raw_pages"][0] == 3

    monkeypatch.setattr(raw_pages_module, "iter_raw_page_batches",
                        with_planted_row(raw_pages_module.iter_raw_page_batches))
    result = materialize([crawl_archive, raw_pages], config, DATE)
    assert not result.success
    (failed,) = [c for c in result.get_asset_check_evaluations() if c.asset_key.path[-1] == "raw_pages"]
    assert not failed.passed
    assert {table: table_checksum(config, table) for table in before} == before


def test_a_local_lake_needs_no_server(serve, tmp_path):
    """A DuckDB file as the catalog and a local folder for the Parquet files: DuckLake on one machine."""
    site = serve(three_page_site())
    config = write_config(tmp_path, seeds=[site.url("/")],
                          warehouse_backend={"kind": "ducklake", "metadata": "lake/catalog.ducklake",
                                             "data_path": "lake/files"})
    backend = load_config(config).warehouse_backend
    assert backend.metadata == str(tmp_path / "lake" / "catalog.ducklake")
    assert backend.data_path == str(tmp_path / "lake" / "files") + os.sep
    (tmp_path / "lake").mkdir()
    assert materialize([crawl_archive, raw_pages], config, DATE).success
    assert query(config, "SELECT count(*) FROM raw_pages") == [(3,)]
    assert list((tmp_path / "lake" / "files").rglob("*.parquet"))
    funnel = run_cli(config, "funnel", "--date", DATE)
    assert funnel.returncode == 0, funnel.stderr
    assert f"Funnel for crawl date {DATE} (DuckLake {backend.metadata}" in funnel.stdout
    assert "raw_pages" in funnel.stdout


def test_make_run_names_a_lake_it_cannot_attach_before_any_work(tmp_path):
    catalog = f"postgres:dbname=corpus host=127.0.0.1 port={_free_port()} user=corpus connect_timeout=5"
    config = write_config(tmp_path, warehouse_backend={"kind": "ducklake", "metadata": catalog,
                                                       "data_path": "lake/files"})
    result = run_cli(config, "run", "--date", DATE)
    assert result.returncode == 2
    assert f"warehouse_backend: DuckLake {catalog} cannot be attached:" in result.stderr
    assert "Connection refused" in result.stderr or "connection" in result.stderr.lower()
    assert not (tmp_path / "archive").exists()


def test_a_lake_config_names_what_is_missing(tmp_path, monkeypatch):
    with pytest.raises(ConfigError, match="kind ducklake needs both metadata"):
        load_config(write_config(tmp_path, warehouse_backend={"kind": "ducklake", "metadata": "lake.ducklake"}))
    config = load_config(write_config(tmp_path, warehouse_backend={
        "kind": "ducklake", "metadata": "lake.ducklake", "data_path": "s3://bucket/corpus/",
        "s3": {"key_id_env": KEY_ENV, "secret_env": SECRET_ENV}}))
    monkeypatch.delenv(KEY_ENV, raising=False)
    problem = warehouse.lake_unusable(config.warehouse_backend, config.warehouse)
    assert problem == (f"warehouse_backend.s3: the environment variable {KEY_ENV} is not set "
                       "(it holds the key id for s3://bucket/corpus/)")
