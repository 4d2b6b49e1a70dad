"""`make run`'s entry point: one crawl date through every stage, a funnel at the end, clear errors."""

import datetime as dt
import os
import socket
import subprocess

import dagster as dg

from corpus_assets.config import load_config
from corpus_assets.dagster_home import prepare_home, resolve_home
from corpus_assets_tests.paths import REPO_ROOT
from corpus_assets_tests.pipeline import CHAIN, materialize, query, run_cli, write_config
from corpus_assets_tests.sites import every_fate_site


def test_run_prints_the_funnel_of_the_date(serve, tmp_path):
    site = serve(every_fate_site())
    config = write_config(tmp_path, seeds=[site.url("/")])
    done = run_cli(config, "run", "--date", "2026-11-02")
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("stage"))
    assert lines[header].split() == ["stage", "pages_in", "pages_out", "dropped", "drops_by_reason"]
    assert [line.split()[:4] for line in lines[header + 2:header + 7]] == [
        ["raw_pages", "12", "9", "3"],
        ["extracted_text", "9", "7", "2"],
        ["deduped_text", "7", "5", "2"],
        ["filtered_text", "5", "3", "2"],
        ["final_set", "3", "3", "0"],
    ]
    # The run is recorded in the config's own Dagster home, beside its warehouse, under the repo's settings.
    home = tmp_path / "dagster"
    assert (home / "dagster.yaml").read_text() == (REPO_ROOT / "dagster.yaml").read_text()
    with dg.DagsterInstance.from_config(str(home)) as instance:
        (record,) = instance.get_run_records()
        assert record.dagster_run.tags["dagster/partition"] == "2026-11-02"


def test_two_configs_keep_two_run_histories_unless_dagster_home_is_set(tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    configs = []
    for name in ("a", "b"):
        configs.append(load_config(write_config(tmp_path / name)))
    first, second = configs
    assert resolve_home(first) == tmp_path / "a" / "dagster"
    assert os.environ["DAGSTER_HOME"] == str(tmp_path / "a" / "dagster")
    monkeypatch.delenv("DAGSTER_HOME")
    assert resolve_home(second) == tmp_path / "b" / "dagster"
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "mine"))
    assert resolve_home(second) == tmp_path / "mine" and not (tmp_path / "mine").exists()


def test_ui_on_a_taken_port_is_a_clear_error(tmp_path):
    config = write_config(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_cli(config, "ui", "--port", str(port))
    assert done.returncode == 2
    assert f"port {port} of 127.0.0.1 is taken" in done.stderr and f"make ui PORT={port + 1}" in done.stderr
    assert "Traceback" not in done.stderr


def test_unreachable_seeds_end_in_a_clear_message(tmp_path):
    config = write_config(tmp_path, seeds=["http://127.0.0.1:9/"], crawl={"max_retries": 0})
    done = run_cli(config, "run", "--date", "2026-11-02")
    assert done.returncode == 1
    assert "No seed could be reached" in done.stderr and "http://127.0.0.1:9/" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_recrawl_crawls_a_replayed_date_again_and_keeps_the_old_archive(serve, tmp_path):
    site = serve(every_fate_site())
    config = write_config(tmp_path, seeds=[site.url("/")])
    assert materialize(CHAIN, config, "2026-11-02").success  # the date is published: its archive is replayed
    asked = len(site.requests)
    done = run_cli(config, "run", "--date", "2026-11-02", "--recrawl")
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(site.requests) > asked
    (kept,) = (tmp_path / "archive" / ".discarded").iterdir()
    assert kept.name.startswith("2026-11-02-discarded-") and (kept / "outcomes.jsonl").is_file()


def test_a_broken_benchmark_file_is_reported_before_any_work(serve, tmp_path):
    site = serve(every_fate_site())
    benchmarks = tmp_path / "benchmarks"
    benchmarks.mkdir()
    (benchmarks / "quiz_test.csv").write_text("question,choice0,choice1,choice2,choice3,answer\n"
                                              "What is a river?,water,sand,rock,air,A\n\"unclosed,quote\n")
    config = write_config(tmp_path, seeds=[site.url("/")], decontamination={"benchmarks": [str(benchmarks)]})
    done = run_cli(config, "run", "--date", "2026-11-02")
    assert done.returncode == 2, done.stderr[-3000:]
    assert "decontamination.benchmarks:" in done.stderr and "quiz_test.csv" in done.stderr
    assert "Traceback" not in done.stderr and site.requests == []


def test_a_bad_config_is_reported_before_any_work(tmp_path):
    config = tmp_path / "corpus.yaml"
    config.write_text("crawl:\n  max_pagez: 3\n")
    done = run_cli(config, "run", "--date", "2026-11-02")
    assert done.returncode == 2
    assert "crawl.max_pagez: unknown key" in done.stderr and "Traceback" not in done.stderr


def test_dagster_cli_materializes_a_partition_range(serve, tmp_path):
    from corpus_assets_tests.dagster_dev import dagster_command

    site = serve(every_fate_site())
    config = write_config(tmp_path, seeds=[site.url("/")])
    home = prepare_home(tmp_path / "dagster_home")
    materialize = dagster_command(home, config, "asset", "materialize", "-m", "corpus_assets.definitions",
                                  "--select", "group:corpus", "--partition-range", "2026-11-02...2026-11-03",
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, stderr = materialize.communicate(timeout=600)
    assert materialize.returncode == 0, stderr[-3000:]
    assert query(config, "SELECT crawl_date, count(*) FROM raw_pages GROUP BY ALL ORDER BY 1") == [
        (dt.date(2026, 11, 2), 9), (dt.date(2026, 11, 3), 9)]
    assert query(config, "SELECT count(*) FROM final_set WHERE crawl_date = '2026-11-03'") == [(0,)]
