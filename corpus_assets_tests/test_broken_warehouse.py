"""A warehouse that cannot be used is a one-line error before any work, and a failure mid-run says why.

The read-only and full-disk cases mount a small tmpfs (root only); they skip where mounting is not allowed.
"""

import contextlib
import os
import subprocess

import duckdb
import pytest

from corpus_assets_tests.pipeline import run_cli, table_checksum, write_config

DATE = "2026-11-02"


def warc_config(folder, shared_data, warehouse="warehouse.duckdb"):
    """A config loading the shared wget WARC files for DATE (no crawl, no server)."""
    return write_config(folder, warc=[{"path": str(shared_data / "warc/wget/*.warc.gz"), "crawl_date": DATE}],
                        warehouse=str(warehouse))


@contextlib.contextmanager
def tmpfs(mount_point, *options):
    mount_point.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"needs to mount a tmpfs (root): {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def assert_one_line_error(done, *fragments):
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout, done.stderr[-3000:]
    for fragment in fragments:
        assert fragment in done.stderr, done.stderr[-3000:]


def test_a_warehouse_path_that_is_a_directory_is_refused_before_any_work(shared_data, tmp_path):
    (tmp_path / "warehouse.duckdb").mkdir()
    done = run_cli(warc_config(tmp_path, shared_data), "run", "--date", DATE)
    assert done.returncode == 2
    assert_one_line_error(done, "warehouse.duckdb: is a directory")
    assert "Materializing" not in done.stdout


def test_a_file_that_is_no_duckdb_database_is_refused_before_any_work(shared_data, tmp_path):
    (tmp_path / "warehouse.duckdb").write_text("a spreadsheet saved under the wrong name\n" * 10)
    done = run_cli(warc_config(tmp_path, shared_data), "run", "--date", DATE)
    assert done.returncode == 2
    assert_one_line_error(done, "is not a DuckDB database file")


def test_a_truncated_duckdb_file_is_refused_before_any_work(shared_data, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as conn:  # a real warehouse file of some size, then cut in half
        conn.execute("CREATE TABLE filler AS SELECT range AS n, repeat('x', 100) AS text FROM range(200000)")
        conn.execute("CHECKPOINT")
    os.truncate(warehouse, warehouse.stat().st_size // 2)
    done = run_cli(warc_config(tmp_path, shared_data), "run", "--date", DATE)
    assert done.returncode == 2
    assert_one_line_error(done, "cannot be opened by DuckDB", "Could not read enough bytes")


def test_a_read_only_file_system_is_refused_before_any_work(shared_data, tmp_path):
    with tmpfs(tmp_path / "readonly", "ro", "size=1m") as folder:
        done = run_cli(warc_config(tmp_path, shared_data, folder / "warehouse.duckdb"), "run", "--date", DATE)
    assert done.returncode == 2
    assert_one_line_error(done, "cannot be created", "is not writable")


def test_a_full_disk_fails_the_run_in_one_line_and_loses_nothing_published(shared_data, tmp_path):
    home = tmp_path / "dagster_home"  # the run history on another disk: the warehouse's disk fills up
    with tmpfs(tmp_path / "small", "size=24m") as folder:
        config = warc_config(tmp_path, shared_data, folder / "warehouse.duckdb")
        first = run_cli(config, "run", "--date", DATE, dagster_home=home)
        assert first.returncode == 0, first.stderr[-3000:]
        before = table_checksum(config, "raw_pages")
        with open(folder / "filler", "wb") as filler:  # the rest of the disk
            with contextlib.suppress(OSError):
                while True:
                    filler.write(b"\0" * (1 << 20))
        config.write_text(config.read_text().replace("wget/*.warc.gz", "*/*.warc.gz"))  # a bigger date to write
        again = run_cli(config, "run", "--date", DATE, dagster_home=home)
        assert_one_line_error(again, "The run failed:", "No space left on device")
        assert "Error occurred while executing" not in again.stderr
        # The run history beside the warehouse, on the full disk, cannot even be created: one line too.
        history = run_cli(config, "run", "--date", DATE)
        assert history.returncode == 2
        assert_one_line_error(history, "the Dagster run history", "cannot be opened", "No space left on device")
        (folder / "filler").unlink()
        assert table_checksum(config, "raw_pages") == before
