"""The DuckDB warehouse under two runs at once and under a run killed in the middle of writing."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest

from corpus_assets.dagster_home import prepare_home
from corpus_assets_tests.paths import REPO_ROOT
from corpus_assets_tests.pipeline import (
    CHAIN,
    PUBLISHED_TABLES,
    materialize,
    published_rows,
    query,
    table_checksum,
    write_config,
)

RUN_SECONDS = 300
# Several pages of the second wget crawl are script-built and extract to nothing, more than the default
# ceiling allows; this test is about the warehouse, not that gate.
LENIENT_GATES = {"extracted_text": {"max_unexpected_drop_rate": 0.6}}


def wget_sources(shared_data):
    """Two crawls of different sites as two crawl dates: no page of one is a duplicate of the other, so the
    published rows do not depend on which date finishes first."""
    files = sorted((shared_data / "warc" / "wget").glob("*.warc.gz"))
    return [{"path": str(files[0]), "crawl_date": "2026-11-02"}, {"path": str(files[1]), "crawl_date": "2026-11-03"}]


def make_run(home, config, date):
    """`make run DATE=...` (its entry point), against one Dagster instance, in its own process group."""
    env = {**os.environ, "DAGSTER_HOME": str(home), "CORPUS_CONFIG": str(config)}
    return subprocess.Popen([sys.executable, "-m", "corpus_assets.cli", "run", "--date", date], cwd=REPO_ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)


def finish(process):
    output, _ = process.communicate(timeout=RUN_SECONDS)
    return process.returncode, output


@pytest.mark.timeout(2 * RUN_SECONDS)
def test_two_runs_for_different_dates_at_once_both_publish_their_rows(shared_data, tmp_path):
    concurrent = write_config(tmp_path / "concurrent", warc=wget_sources(shared_data), gates=LENIENT_GATES)
    sequential = write_config(tmp_path / "sequential", warc=wget_sources(shared_data), gates=LENIENT_GATES)
    # A fresh home, as on first use: both runs create the Dagster storage at the same moment.
    home = prepare_home(tmp_path / "dagster_home")

    runs = [make_run(home, concurrent, date) for date in ("2026-11-03", "2026-11-02")]
    for returncode, output in map(finish, runs):
        assert returncode == 0, output[-4000:]

    for date in ("2026-11-02", "2026-11-03"):
        assert materialize(CHAIN, sequential, date).success
    for table in PUBLISHED_TABLES:
        assert published_rows(concurrent, table) == published_rows(sequential, table), table
    assert query(concurrent, "SELECT count(DISTINCT crawl_date) FROM raw_pages") == [(2,)]


def wait_until_writing(process, warehouse, seconds=RUN_SECONDS):
    """Returns once the run has written to the warehouse file (DuckDB's write-ahead log exists)."""
    wal = warehouse.with_name(warehouse.name + ".wal")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the run ended before it wrote: {process.communicate()[0][-3000:]}")
        if wal.exists() and wal.stat().st_size > 0:
            return
        time.sleep(0.01)
    raise TimeoutError("the run never wrote to the warehouse")


@pytest.mark.timeout(3 * RUN_SECONDS)
def test_a_run_killed_while_writing_leaves_published_tables_as_they_were(shared_data, tmp_path):
    config = write_config(tmp_path, warc=wget_sources(shared_data), gates=LENIENT_GATES)
    home = prepare_home(tmp_path / "dagster_home")
    returncode, output = finish(make_run(home, config, "2026-11-02"))
    assert returncode == 0, output[-4000:]
    warehouse = tmp_path / "warehouse.duckdb"
    before = {table: table_checksum(config, table) for table in PUBLISHED_TABLES}

    victim = make_run(home, config, "2026-11-03")
    wait_until_writing(victim, warehouse)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.communicate(timeout=30)

    assert {table: table_checksum(config, table) for table in PUBLISHED_TABLES} == before
    returncode, output = finish(make_run(home, config, "2026-11-03"))
    assert returncode == 0, output[-4000:]
    assert "was killed before it finished: marked failed, its warehouse slot released" in output
    assert query(config, "SELECT DISTINCT crawl_date FROM raw_pages ORDER BY 1") == [
        (dt.date(2026, 11, 2),), (dt.date(2026, 11, 3),)]
