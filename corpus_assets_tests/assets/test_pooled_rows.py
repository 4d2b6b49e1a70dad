"""Per-document work on a process pool publishes the same rows, byte for byte, as the step's own process."""

from __future__ import annotations

import shutil

import yaml

from corpus_assets.decontam import load_benchmark_file
from corpus_assets_tests.pipeline import CHAIN, PUBLISHED_TABLES, materialize, query, table_checksum, write_config
from corpus_assets_tests.sites import SwitchableStaticSite

DATE = "2026-11-02"
# Enough pages for several batches of BATCH_ROWS (256), so that the pool really splits the work.
MAX_PAGES = 600


def test_a_pooled_run_publishes_the_rows_of_a_single_process_run(postgresql_docs, shared_data, tmp_path):
    """Real pages (PostgreSQL's documentation), one of them quoting an MMLU question: the single-process run
    crawls, the pooled run replays the same archive into a warehouse of its own."""
    older, _ = postgresql_docs
    site_root = tmp_path / "site"
    shutil.copytree(older, site_root)
    question = dict(load_benchmark_file(shared_data / "benchmarks/mmlu/high_school_geography_test.csv")[3].fields)[
        "question"]
    quoting = site_root / "tutorial-concepts.html"
    html = quoting.read_text(encoding="utf-8")
    quoting.write_text(html.replace("</p>", f"</p><p>A reader asked us: {question}</p>", 1), encoding="utf-8")
    site = SwitchableStaticSite(site_root)
    single, pooled = tmp_path / "single", tmp_path / "pooled"
    try:
        for folder in (single, pooled):
            folder.mkdir()
        sections = {"crawl": {"max_pages": MAX_PAGES, "max_depth": 50},
                    "decontamination": {"benchmarks": [str(shared_data / "benchmarks/mmlu")]}}
        single_config = write_config(single, seeds=[site.url("/index.html")], workers=1, **sections)
        assert materialize(CHAIN, single_config, DATE).success
    finally:
        site.stop()
    document = yaml.safe_load(single_config.read_text())
    document.update(archive_dir=str(single / "archive"), workers=2)
    pooled_config = pooled / "corpus.yaml"
    pooled_config.write_text(yaml.safe_dump(document))
    result = materialize(CHAIN, pooled_config, DATE)
    assert result.success
    workers = {event.asset_key.path[-1]: event.step_materialization_data.materialization.metadata["workers"].value
               for event in result.get_asset_materialization_events()
               if "workers" in event.step_materialization_data.materialization.metadata}
    assert workers == {"extracted_text": 2, "deduped_text": 2, "filtered_text": 2, "final_set": 2}

    (pages,) = query(single_config, "SELECT count(*) FROM raw_pages")[0]
    assert pages >= 2 * 256
    assert query(pooled_config, "SELECT reason, url FROM drop_log WHERE stage = 'final_set'") == [
        ("contamination", site.url("/tutorial-concepts.html"))]
    for table in [*PUBLISHED_TABLES, "quality_signals"]:
        assert table_checksum(pooled_config, table) == table_checksum(single_config, table), table
