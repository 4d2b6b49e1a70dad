"""Per-document work on a process pool, or on a Ray cluster, publishes the same rows, byte for byte, as the step's
own process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from corpus_assets.decontam import load_benchmark_file
from corpus_assets_tests.pipeline import CHAIN, PUBLISHED_TABLES, materialize, query, table_checksum, write_config
from corpus_assets_tests.sites import SwitchableStaticSite

DATE = "2026-11-02"
# Enough pages for several batches of BATCH_ROWS (256), so that the pool really splits the work.
MAX_PAGES = 540
QUOTING_PAGE = "/tutorial-concepts.html"
# One MMLU file, the one holding the question planted: indexing all of MMLU again in each warehouse adds nothing.
BENCHMARK_FILE = "benchmarks/mmlu/high_school_geography_test.csv"


@pytest.fixture(scope="module")
def single_process_run(postgresql_docs, shared_data, tmp_path_factory) -> Path:
    """Real pages (PostgreSQL's documentation), one of them quoting an MMLU question, crawled and curated with
    every stage in its step's own process; returns its config."""
    older, _ = postgresql_docs
    folder = tmp_path_factory.mktemp("single")
    site_root = folder / "site"
    shutil.copytree(older, site_root)
    question = dict(load_benchmark_file(shared_data / BENCHMARK_FILE)[3].fields)["question"]
    quoting = site_root / QUOTING_PAGE.lstrip("/")
    html = quoting.read_text(encoding="utf-8")
    quoting.write_text(html.replace("</p>", f"</p><p>A reader asked us: {question}</p>", 1), encoding="utf-8")
    site = SwitchableStaticSite(site_root)
    try:
        config = write_config(folder, seeds=[site.url("/index.html")], execution={"workers": 1},
                              crawl={"max_pages": MAX_PAGES, "max_depth": 50},
                              decontamination={"benchmarks": [str(shared_data / BENCHMARK_FILE)]})
        assert materialize(CHAIN, config, DATE).success
    finally:
        site.stop()
    (pages,) = query(config, "SELECT count(*) FROM raw_pages")[0]
    assert pages >= 2 * 256
    (contaminated,) = query(config, "SELECT url FROM drop_log WHERE stage = 'final_set'")
    assert contaminated[0].endswith(QUOTING_PAGE)
    return config


def replay(single_config: Path, folder: Path, execution: dict) -> tuple[Path, dict[str, object]]:
    """The same archive curated into a warehouse of its own with `execution`; the workers each stage reported."""
    document = yaml.safe_load(single_config.read_text())
    document.update(archive_dir=str(single_config.parent / "archive"), execution=execution)
    config = folder / "corpus.yaml"
    config.write_text(yaml.safe_dump(document))
    result = materialize(CHAIN, config, DATE)
    assert result.success
    workers = {event.asset_key.path[-1]: event.step_materialization_data.materialization.metadata["workers"].value
               for event in result.get_asset_materialization_events()
               if "workers" in event.step_materialization_data.materialization.metadata}
    return config, workers


def assert_same_tables(config: Path, reference: Path) -> None:
    for table in [*PUBLISHED_TABLES, "quality_signals"]:
        assert table_checksum(config, table) == table_checksum(reference, table), table


def test_a_process_pool_publishes_the_rows_of_a_single_process_run(single_process_run, tmp_path):
    config, workers = replay(single_process_run, tmp_path, {"workers": 2})
    assert workers == {"extracted_text": 2, "deduped_text": 2, "filtered_text": 2, "final_set": 2}
    assert_same_tables(config, single_process_run)


def test_a_ray_cluster_publishes_the_rows_of_a_single_process_run(single_process_run, tmp_path):
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR")  # the cluster the steps find running
    try:
        config, workers = replay(single_process_run, tmp_path, {"engine": "ray"})
    finally:
        ray.shutdown()
    assert workers == {"extracted_text": 2, "deduped_text": 2, "filtered_text": 2, "final_set": 2}
    assert_same_tables(config, single_process_run)
