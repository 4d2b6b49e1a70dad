"""The WARC-arrivals sensor and the freshness check of `final_set`, evaluated against a real Dagster instance."""

import datetime as dt
import os
import shutil
import time

import dagster as dg
import pytest

from corpus_assets.assets.final_set import final_set
from corpus_assets.config import load_config
from corpus_assets.crawl.arrivals import settled_warc_files
from corpus_assets.definitions import build_definitions
from corpus_assets.resources import CorpusConfigResource
from corpus_assets.sensors import FRESHNESS_CHECK_KEY, warc_arrivals_sensor
from corpus_assets_tests.pipeline import query, resources_for, write_config

LONG_AGO = time.time() - 3600


def drop_file(path, content=b"x", settled=True):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content) if isinstance(content, bytes) else shutil.copyfile(content, path)
    if settled:
        os.utime(path, (LONG_AGO, LONG_AGO))
    return path


def inbox_config(tmp_path, extra_sources=(), **sections):
    return write_config(tmp_path, warc=[str(tmp_path / "inbox" / "{date}" / "*.warc.gz"),
                                        str(tmp_path / "cc" / "cc-{date}-*.warc.gz"),
                                        {"path": str(tmp_path / "fixed" / "*.warc"), "crawl_date": "2026-11-07"},
                                        *extra_sources],
                        **sections)


def evaluate(config_path):
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance, resources={"corpus": CorpusConfigResource(
            path=str(config_path))})
        result = warc_arrivals_sensor(context)
    return result


def test_files_are_dated_by_the_place_of_date_in_their_source(tmp_path):
    # A URL source is streamed when its date runs; there is no folder of it to watch.
    config_path = inbox_config(tmp_path, extra_sources=["http://127.0.0.1:9/cc-{date}.warc.gz"])
    drop_file(tmp_path / "inbox" / "2026-11-03" / "a.warc.gz")
    drop_file(tmp_path / "inbox" / "2026-11-03" / "b.warc.gz")
    drop_file(tmp_path / "cc" / "cc-2026-11-05-00001.warc.gz")
    drop_file(tmp_path / "fixed" / "wget.warc")
    drop_file(tmp_path / "inbox" / "2026-13-45" / "not-a-date.warc.gz")
    drop_file(tmp_path / "inbox" / "2026-11-03" / "notes.txt")
    files = settled_warc_files(load_config(config_path).sources, time.time())
    assert {date: [f.path.name for f in found] for date, found in files.items()} == {
        dt.date(2026, 11, 3): ["a.warc.gz", "b.warc.gz"],
        dt.date(2026, 11, 5): ["cc-2026-11-05-00001.warc.gz"],
        dt.date(2026, 11, 7): ["wget.warc"],
    }


def test_sensor_requests_each_date_once_per_arrival(tmp_path):
    config_path = inbox_config(tmp_path)
    assert isinstance(evaluate(config_path), dg.SkipReason)

    drop_file(tmp_path / "inbox" / "2026-11-03" / "a.warc.gz")
    drop_file(tmp_path / "inbox" / "2026-11-04" / "a.warc.gz", settled=False)  # still being copied
    first = evaluate(config_path)
    assert [(r.partition_key, r.tags["corpus/trigger"]) for r in first] == [("2026-11-03", "warc_arrival")]

    # Nothing new: the same run key, which Dagster will not launch twice.
    assert [r.run_key for r in evaluate(config_path)] == [r.run_key for r in first]

    os.utime(tmp_path / "inbox" / "2026-11-04" / "a.warc.gz", (LONG_AGO, LONG_AGO))
    drop_file(tmp_path / "inbox" / "2026-11-03" / "b.warc.gz")
    second = {r.partition_key: r.run_key for r in evaluate(config_path)}
    assert set(second) == {"2026-11-03", "2026-11-04"}
    assert second["2026-11-03"] != first[0].run_key  # a new file for a loaded date loads the date again


def test_sensor_leaves_dates_outside_the_partitions_alone(tmp_path):
    config_path = inbox_config(tmp_path)
    drop_file(tmp_path / "inbox" / "2020-01-01" / "old.warc.gz")  # before start_date 2026-11-01
    assert isinstance(evaluate(config_path), dg.SkipReason)


def test_sensor_run_loads_the_dropped_file_through_every_stage(shared_data, tmp_path):
    config_path = inbox_config(tmp_path)
    warc = sorted((shared_data / "warc" / "wget").glob("*.warc.gz"))[0]
    drop_file(tmp_path / "inbox" / "2026-11-03" / warc.name, warc)
    [request] = evaluate(config_path)
    defs = build_definitions(str(config_path))
    with dg.instance_for_test() as instance:
        result = defs.resolve_job_def("warc_arrivals").execute_in_process(
            partition_key=request.partition_key, tags=request.tags, instance=instance)
    assert result.success
    [(files,)] = query(config_path, "SELECT list(DISTINCT source_file) FROM raw_pages WHERE crawl_date = '2026-11-03'")
    assert files == [str(tmp_path / "inbox" / "2026-11-03" / warc.name)]
    [(funnel_rows,)] = query(config_path, "SELECT count(*) FROM drop_log WHERE crawl_date = '2026-11-03'")
    [(kept,)] = query(config_path, "SELECT count(*) FROM final_set WHERE crawl_date = '2026-11-03'")
    [(loaded,)] = query(config_path, "SELECT count(*) FROM raw_pages WHERE crawl_date = '2026-11-03'")
    assert loaded > 0 and kept + funnel_rows >= loaded


def run_freshness_check(config_path, materialized_dates):
    defs = build_definitions(str(config_path))
    with dg.instance_for_test() as instance:
        for date in materialized_dates:
            instance.report_runless_asset_event(
                dg.AssetMaterialization(asset_key="final_set", partition=date.isoformat()))
        result = dg.materialize([final_set, *defs.asset_checks], selection=dg.AssetSelection.checks(
            FRESHNESS_CHECK_KEY), instance=instance, resources=resources_for(config_path))
    [evaluation] = result.get_asset_check_evaluations()
    return evaluation


@pytest.fixture
def recent_config(tmp_path):
    return write_config(tmp_path, start_date=(dt.date.today() - dt.timedelta(days=30)).isoformat())


def test_freshness_passes_when_the_latest_due_partition_exists(recent_config):
    today = dt.datetime.now(dt.UTC).date()
    # Before the deadline hour the day before yesterday is due, after it yesterday: having both passes either way.
    evaluation = run_freshness_check(recent_config, [today - dt.timedelta(days=1), today - dt.timedelta(days=2)])
    assert evaluation.passed


def test_freshness_fails_when_only_an_old_date_was_backfilled(recent_config):
    today = dt.datetime.now(dt.UTC).date()
    evaluation = run_freshness_check(recent_config, [today - dt.timedelta(days=10)])
    assert not evaluation.passed
    due = {(today - dt.timedelta(days=days)).isoformat() for days in (1, 2)}
    assert any(f"expected partition {date}" in evaluation.description for date in due), evaluation.description
