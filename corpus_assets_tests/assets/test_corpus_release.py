"""`corpus_release` over a real small run (the shared WARC files, two crawl dates): loaded back by the card's own
lines with `datasets`, polars and DuckDB, immutable, whole or absent after a kill, gated, and refused when empty."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from corpus_assets.assets.corpus_release import corpus_release
from corpus_assets.release import writer as release_writer
from corpus_assets.release.card import read_front_matter
from corpus_assets_tests.paths import REPO_ROOT
from corpus_assets_tests.pipeline import CHAIN, materialize, materialized_metadata, query, run_cli, write_config

DATES = ["2026-11-02", "2026-11-03"]
SHARD_TEXT_BYTES = 20_000


@pytest.fixture(scope="module")
def curated(shared_data, tmp_path_factory) -> Path:
    """A warehouse holding two published crawl dates of real pages (wget's crawl, then a Common Crawl excerpt)."""
    folder = tmp_path_factory.mktemp("curated")
    config = write_config(folder, warc=[
        {"path": str(shared_data / "warc/wget/*.warc.gz"), "crawl_date": DATES[0]},
        {"path": str(shared_data / "warc/commoncrawl/cc-main-2020-34-excerpt.warc.gz"), "crawl_date": DATES[1]}],
        # Most of the excerpt's pages are in other languages: an expected drop, but the default ceilings are for
        # a crawl of one site.
        gates={"extracted_text": {"max_unexpected_drop_rate": 1.0}, "filtered_text": {"max_unexpected_drop_rate": 1.0}})
    for date in DATES:
        assert materialize(CHAIN, config, date).success
    counts = dict(query(config, "SELECT crawl_date::VARCHAR, count(*) FROM final_set GROUP BY ALL"))
    assert set(counts) == set(DATES) and sum(counts.values()) > 15
    return config


def release_config(curated: Path, folder: Path, **release) -> Path:
    """The curated warehouse with releases written under `folder`."""
    document = yaml.safe_load(curated.read_text())
    document.update(warehouse=str(curated.parent / "warehouse.duckdb"), archive_dir=str(curated.parent / "archive"),
                    release={"release_dir": str(folder / "releases"), "shard_text_bytes": SHARD_TEXT_BYTES,
                             **release})
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "corpus.yaml"
    path.write_text(yaml.safe_dump(document))
    return path


def versions(releases: Path) -> list[str]:
    return sorted(p.name for p in releases.iterdir() if not p.name.startswith(".")) if releases.exists() else []


def files_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def test_a_release_loads_back_by_the_cards_own_lines_with_the_ids_and_texts_of_final_set(curated, tmp_path,
                                                                                       monkeypatch):
    config = release_config(curated, tmp_path, formats=["parquet", "dolma"])
    result = materialize([corpus_release], config)
    assert result.success
    metadata = materialized_metadata(result)
    path = Path(metadata["path"])
    assert versions(tmp_path / "releases") == [path.name] and re.fullmatch(r"v1-[0-9a-f]{12}", path.name)
    expected = query(config, "SELECT page_id, text FROM final_set ORDER BY crawl_date, page_id")
    assert metadata["dagster/row_count"] == len(expected) and metadata["created"] is True
    assert "## How the documents were chosen" in metadata["card"]

    # The card's loading lines, run as a reader would paste them (datasets offline: no hub is reachable here).
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    card = (path / "README.md").read_text()
    code = re.search(r"```python\n(.*?)```", card, re.S).group(1)
    loaded = {}
    for block in code.strip().split("\n\n"):
        scope: dict = {}
        exec(block, scope)  # noqa: S102 - the card's own code, the point of the test
        loaded[block.split()[1]] = scope["corpus"]
    rows = {
        "datasets": list(zip(loaded["datasets"]["id"], loaded["datasets"]["text"])),
        "polars": list(loaded["polars"].select("id", "text").collect().iter_rows()),
        "duckdb": loaded["duckdb"].select("id, text").fetchall(),
    }
    for reader, got in rows.items():
        assert got == expected, reader  # the release's stable order: crawl date, then page id

    shards = sorted((path / "data").glob("*.parquet"))
    assert len(shards) == metadata["shards"] > 1
    for shard in shards:
        texts = pq.read_table(shard, columns=["text"]).column("text").to_pylist()
        assert sum(len(t.encode()) for t in texts) <= SHARD_TEXT_BYTES or len(texts) == 1
    provenance = loaded["duckdb"].filter("source IS NULL OR source_file IS NULL OR fetched_at IS NULL").fetchall()
    assert provenance == []
    header = read_front_matter(card)
    assert header["dataset_info"]["splits"][0]["num_examples"] == len(expected)
    assert header["configs"][0]["data_files"][0]["path"] == "data/train-*.parquet"
    for plot in ("lengths.png", "funnel.png", "domains.png"):
        assert (path / plot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and f"]({plot})" in card
    assert len(list((path / "documents").glob("train-*-of-*.jsonl.gz"))) == len(shards)


def test_the_same_documents_under_the_same_tag_are_the_same_release_left_as_it_was(curated, tmp_path):
    config = release_config(curated, tmp_path)
    first = materialized_metadata(materialize([corpus_release], config))
    before = files_digest(Path(first["path"]))
    second = materialized_metadata(materialize([corpus_release], config))
    assert (second["version"], second["created"]) == (first["version"], False)
    assert files_digest(Path(first["path"])) == before and versions(tmp_path / "releases") == [first["version"]]
    # Another tag is another release; one date only is other content, so another version too.
    retagged = materialized_metadata(materialize([corpus_release], release_config(curated, tmp_path, tag="v2")))
    one_date = materialized_metadata(materialize([corpus_release],
                                                 release_config(curated, tmp_path, first_date=DATES[1])))
    assert retagged["version"] == "v2-" + first["version"].removeprefix("v1-")
    assert one_date["version"] not in (first["version"], retagged["version"])
    assert one_date["dagster/row_count"] == query(config, "SELECT count(*) FROM final_set WHERE crawl_date = ?",
                                                  [DATES[1]])[0][0]
    assert len(versions(tmp_path / "releases")) == 3


KILLED_WRITER = """
import sys, time
from corpus_assets import warehouse
from corpus_assets.config import load_config
from corpus_assets.release import writer
from corpus_assets.release.build import write_release

add = writer.ShardWriter._add
def slow_add(self, piece, text_bytes):
    add(self, piece, text_bytes)
    time.sleep(0.2)
writer.ShardWriter._add = slow_add
config = load_config(sys.argv[1])
with warehouse.connect(config.warehouse_backend, config.warehouse) as conn:
    write_release(conn, config)
"""


def test_a_release_killed_mid_write_leaves_no_version_and_the_next_run_completes_it(curated, tmp_path):
    config = release_config(curated, tmp_path, shard_text_bytes=2_000)
    releases = tmp_path / "releases"
    writing = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(config)], cwd=REPO_ROOT,
                               env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    deadline = time.monotonic() + 120
    while not list(releases.glob(".partial-*/data/*.parquet")):
        assert writing.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    writing.send_signal(signal.SIGKILL)
    writing.wait()
    assert versions(releases) == [] and len(list(releases.glob(".partial-*"))) == 1
    metadata = materialized_metadata(materialize([corpus_release], config))
    assert versions(releases) == [metadata["version"]] and list(releases.glob(".partial-*")) == []


def test_shards_that_disagree_with_final_set_fail_the_gate_and_release_nothing(curated, tmp_path, monkeypatch):
    config = release_config(curated, tmp_path)
    add = release_writer.ShardWriter._add

    def lose_the_first_document(self, piece, text_bytes):
        if not self.stats.documents:
            piece, text_bytes = piece.slice(1), text_bytes[1:]
        add(self, piece, text_bytes)

    monkeypatch.setattr(release_writer.ShardWriter, "_add", lose_the_first_document)
    result = materialize([corpus_release], config)
    assert not result.success and versions(tmp_path / "releases") == []
    (check,) = [e.asset_check_evaluation_data for e in result.all_events
                if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    assert not check.passed
    failed = str(check.metadata["failed_expectations"].value)
    assert "shard_rows" in failed and "final_set_rows" in failed and "manifest_rows" not in failed


def test_nothing_to_release_is_refused_with_the_dates_named(curated, tmp_path):
    config = release_config(curated, tmp_path, first_date="2026-11-20", last_date="2026-11-21")
    result = run_cli(config, "release", dagster_home=tmp_path / "home")
    assert result.returncode == 1
    assert "nothing to release" in result.stderr and "2026-11-20" in result.stderr
    assert versions(tmp_path / "releases") == []


def test_make_release_prints_where_the_release_is_and_what_it_holds(curated, tmp_path):
    config = release_config(curated, tmp_path)
    result = run_cli(config, "release", dagster_home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    (version,) = versions(tmp_path / "releases")
    (documents,) = query(config, "SELECT count(*) FROM final_set")[0]
    assert f"Release {version} (written)" in result.stdout
    assert f"documents: {documents:,} in" in result.stdout
    assert str(tmp_path / "releases" / version / "README.md") in result.stdout


def test_the_daily_job_and_the_warc_sensor_leave_releases_to_make_release():
    import dagster as dg

    from corpus_assets.definitions import defs
    from corpus_assets.schedules import RELEASE_JOB

    dg.Definitions.validate_loadable(defs)  # what a code server does: names of jobs and assets may not clash
    release_key = corpus_release.key
    for job in ("corpus_daily", "warc_arrivals"):
        assert release_key not in defs.resolve_job_def(job).asset_layer.executable_asset_keys
    assert defs.resolve_job_def(RELEASE_JOB).asset_layer.executable_asset_keys == {release_key}


def test_a_forgotten_page_leaves_the_next_release_and_drop_log_says_why(curated, tmp_path):
    shutil.copy(curated.parent / "warehouse.duckdb", tmp_path / "warehouse.duckdb")
    config = release_config(curated, tmp_path)
    document = yaml.safe_load(config.read_text())
    config.write_text(yaml.safe_dump({**document, "warehouse": str(tmp_path / "warehouse.duckdb")}))
    first = materialized_metadata(materialize([corpus_release], config))
    (url, date) = query(config, "SELECT url, crawl_date::VARCHAR FROM final_set ORDER BY page_id LIMIT 1")[0]
    home = tmp_path / "home"

    scheme, _, rest = url.partition("://")
    host, _, path = rest.partition("/")
    as_asked = f"{scheme.upper()}://{host.upper()}/{path}#top"  # the same page as a person may write it
    forgotten = run_cli(config, "forget", "--url", as_asked,
                        "--reason", "the site owner asked", "--requested-by", "owner@example.org",
                        dagster_home=home)
    assert forgotten.returncode == 0, forgotten.stderr
    assert "Takedown 1 recorded" in forgotten.stdout and "covers 1 documents" in forgotten.stdout
    refused = run_cli(config, "forget", "--url", url, "--domain", "example.org", "--reason", "x", dagster_home=home)
    assert refused.returncode == 2 and "exactly one of --url and --domain" in refused.stderr

    # The next release leaves the page out at once, and its card counts the request.
    second = materialized_metadata(materialize([corpus_release], config))
    assert second["version"] != first["version"] and second["dagster/row_count"] == first["dagster/row_count"] - 1
    urls = [u for (u,) in duckdb_rows(Path(second["path"]), "SELECT url FROM 'data/*.parquet'")]
    assert url not in urls and len(urls) == second["dagster/row_count"]
    assert "1 takedown requests applied; 1 documents" in (Path(second["path"]) / "README.md").read_text()
    assert "owner@example.org" not in (Path(second["path"]) / "README.md").read_text()

    # Its date run again: the first stage withholds it, drop_log says why, and the release is the same one.
    assert materialize(CHAIN[1:], config, date).success
    assert query(config, "SELECT stage, reason, detail FROM drop_log WHERE url = ?", [url]) == [
        ("raw_pages", "takedown", f"takedown 1 of {dt.date.today().isoformat()} (url {url}): the site owner asked")]
    assert query(config, "SELECT count(*) FROM final_set WHERE url = ?", [url]) == [(0,)]
    third = materialized_metadata(materialize([corpus_release], config))
    assert (third["version"], third["created"]) == (second["version"], False)


def test_a_domain_takedown_covers_its_subdomains_only():
    from corpus_assets.takedowns import TakedownError, takedown_target

    assert takedown_target(url=None, domain=" *.Example.ORG. ", tracking=[]) == ("domain", "example.org")
    assert takedown_target(url=None, domain="bücher.de", tracking=[]) == ("domain", "xn--bcher-kva.de")
    assert takedown_target(url="HTTPS://Example.org:443/a/../b?utm_source=x#f", domain=None,
                           tracking=["utm_"]) == ("url", "https://example.org/b")
    for bad in ("localhost", "exa mple.org", "-x.org"):
        with pytest.raises(TakedownError):
            takedown_target(url=None, domain=bad, tracking=[])
    with pytest.raises(TakedownError):
        takedown_target(url="ftp://example.org/", domain=None, tracking=[])


def duckdb_rows(folder: Path, statement: str) -> list[tuple]:
    import duckdb

    with duckdb.connect() as conn:
        conn.execute(f"SET file_search_path = '{folder}'")
        return conn.execute(statement).fetchall()
