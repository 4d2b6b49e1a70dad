"""`make run` stopped by SIGTERM or SIGINT in the middle of a stage: it ends within seconds, says so, publishes
nothing, leaves the warehouse usable and the next run of the date succeeds."""

import signal
import subprocess
import sys
import time

import dagster as dg
import duckdb
import pytest

from corpus_assets.dagster_home import prepare_home
from corpus_assets_tests.paths import REPO_ROOT
from corpus_assets_tests.pipeline import CHAIN, PUBLISHED_TABLES, materialize, run_cli, table_checksum, write_config
from corpus_assets_tests.sites import many_pages_site

DATE = "2026-11-02"
# A liveness bound, not a measure of speed: before the fix a stopped run went on to its end.
STOP_SECONDS = 60


def start_run(config, home):
    env = {"CORPUS_CONFIG": str(config), "PATH": "/usr/bin:/bin", "DAGSTER_HOME": str(home)}
    return subprocess.Popen([sys.executable, "-m", "corpus_assets.cli", "run", "--date", DATE], cwd=REPO_ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_step(instance, process, known_runs, step_key, seconds=300):
    """Returns once the run that `process` started has begun `step_key` (its STEP_START event)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the run ended before {step_key}: {process.communicate()}")
        for run in instance.get_runs(limit=1):
            if run.run_id in known_runs:
                continue
            starts = instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.STEP_START).records
            if any(record.event_log_entry.step_key == step_key for record in starts):
                return run.run_id
        time.sleep(0.1)
    raise TimeoutError(f"the run never reached {step_key}")


@pytest.mark.timeout(900)
def test_sigterm_and_sigint_stop_a_run_in_extraction_and_the_date_reruns(serve, tmp_path):
    # More pages than one batch, so extraction starts its pool of workers and lasts seconds, not one in-process
    # batch the signal could miss: a run that finished before the signal arrived proves nothing.
    site = serve(many_pages_site(300, paragraphs=60))
    config = write_config(tmp_path, seeds=[site.url("/")],
                          crawl={"max_pages": 301, "max_depth": 1, "workers": 8, "per_host_concurrency": 8})
    home = prepare_home(tmp_path / "dagster_home")
    assert materialize(CHAIN, config, DATE).success
    before = {table: table_checksum(config, table) for table in PUBLISHED_TABLES}
    instance = dg.DagsterInstance.from_config(str(home))

    for signum in (signal.SIGTERM, signal.SIGINT):
        known = {run.run_id for run in instance.get_runs()}
        process = start_run(config, home)
        run_id = wait_for_step(instance, process, known, "extracted_text")
        time.sleep(1)  # inside the extraction of the pages, not at its first event
        sent = time.monotonic()
        process.send_signal(signum)
        try:
            _, stderr = process.communicate(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            raise AssertionError(f"{signum.name} did not stop the run within {STOP_SECONDS} s") from None
        print(f"{signum.name}: exited {time.monotonic() - sent:.1f} s after the signal")

        assert process.returncode == 128 + signum, stderr[-3000:]
        assert f"Stopped by {signum.name}" in stderr and f"make run DATE={DATE}" in stderr, stderr[-3000:]
        assert "Traceback" not in stderr
        assert instance.get_run_by_id(run_id).status in (dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED)
        duckdb.connect(str(tmp_path / "warehouse.duckdb")).close()  # consistent, and no lock left behind
        assert {table: table_checksum(config, table) for table in PUBLISHED_TABLES} == before

    done = run_cli(config, "run", "--date", DATE, dagster_home=home)
    assert done.returncode == 0, done.stderr[-3000:]
    assert {table: table_checksum(config, table)[0] for table in PUBLISHED_TABLES} == {
        table: rows for table, (rows, _) in before.items()}
