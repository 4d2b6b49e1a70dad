import datetime as dt

import pytest

from corpus_assets.config import ConfigError, load_config


def write(tmp_path, text):
    path = tmp_path / "corpus.yaml"
    path.write_text(text)
    return path


def test_defaults_and_relative_paths(tmp_path):
    config = load_config(write(tmp_path, "sources:\n  seeds: [https://example.org/]\n"))
    assert config.warehouse == tmp_path / "data/warehouse.duckdb"
    assert config.crawl.allow_private_networks is False
    assert config.extract.languages == ["en"]
    assert config.sources.seeds == ["https://example.org/"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("crawl:\n  max_pagez: 3\n", "crawl.max_pagez: unknown key"),
        ("crawl:\n  max_pages: many\n", "crawl.max_pages"),
        ("crawl:\n  allow_private_networks: ['not-a-network']\n", "crawl.allow_private_networks"),
        ("sources:\n  seeds: [ftp://example.org/]\n", "is not an http(s) URL"),
        ("sources:\n  warc: [some/file.warc.gz]\n", "give either a path with '{date}'"),
        ("sources:\n  warc: ['s3://bucket/{date}.warc.gz']\n", "only local paths, globs and http(s) URLs"),
        ("sources:\n  warc: ['https://example.org/{date}/*.warc.gz']\n", "globs work on local paths only"),
        ("decontamination:\n  benchmarks: [missing/]\n", "no such file or folder"),
        ("warehouse_memory_limit: plenty\n", "warehouse_memory_limit"),
        ("execution:\n  workers: -1\n", "execution.workers"),
        ("execution:\n  engine: spark\n", "execution.engine"),
        ("- a list\n", "must hold a mapping"),
        ("crawl: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path, text, message):
    with pytest.raises(ConfigError, match=None) as raised:
        load_config(write(tmp_path, text))
    assert message in str(raised.value)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.yaml")


def test_warc_sources_are_assigned_to_dates_by_path(tmp_path):
    for day in ("2026-11-02", "2026-11-03"):
        (tmp_path / day).mkdir()
        (tmp_path / day / "a.warc.gz").write_bytes(b"")
    config = load_config(
        write(tmp_path, "sources:\n  warc:\n    - '{date}/*.warc.gz'\n"
                        "    - {path: '2026-11-03/*.warc.gz', crawl_date: 2026-11-09}\n")
    )
    by_date, fixed = config.sources.warc
    assert by_date.files_for(dt.date(2026, 11, 2)) == [str(tmp_path / "2026-11-02/a.warc.gz")]
    assert by_date.files_for(dt.date(2026, 11, 4)) == []
    assert fixed.files_for(dt.date(2026, 11, 9)) == [str(tmp_path / "2026-11-03/a.warc.gz")]
    assert fixed.files_for(dt.date(2026, 11, 3)) == []


@pytest.mark.parametrize("name", ["corpus.yaml", "examples/offline.yaml"])
def test_shipped_configs_are_valid(name):
    from corpus_assets_tests.paths import REPO_ROOT

    config = load_config(REPO_ROOT / name)
    assert config.sources.seeds and config.warehouse.is_absolute()


def test_warc_url_sources_keep_their_url_and_fill_the_date(tmp_path):
    config = load_config(
        write(tmp_path, "sources:\n  warc:\n    - 'https://data.example.org/cc/{date}/segment.warc.gz'\n"
                        "    - {path: 'http://127.0.0.1:8000/one.warc', crawl_date: 2026-11-09}\n")
    )
    by_date, fixed = config.sources.warc
    assert by_date.files_for(dt.date(2026, 11, 2)) == ["https://data.example.org/cc/2026-11-02/segment.warc.gz"]
    assert fixed.files_for(dt.date(2026, 11, 9)) == ["http://127.0.0.1:8000/one.warc"]
    assert fixed.files_for(dt.date(2026, 11, 2)) == []


def test_warc_glob_sources_match_many_files_relative_to_the_config(tmp_path):
    (tmp_path / "cc" / "2026-11-02").mkdir(parents=True)
    for name in ("b.warc.gz", "a.warc.gz", "notes.txt"):
        (tmp_path / "cc" / "2026-11-02" / name).write_bytes(b"")
    config = load_config(write(tmp_path, "sources:\n  warc: ['cc/{date}/*.warc.gz']\n"))
    (source,) = config.sources.warc
    assert source.files_for(dt.date(2026, 11, 2)) == [
        str(tmp_path / "cc/2026-11-02/a.warc.gz"), str(tmp_path / "cc/2026-11-02/b.warc.gz")
    ]


def test_the_warehouse_connections_get_the_configured_memory_limit(tmp_path):
    from corpus_assets.resources import warehouse_resource

    config = load_config(write(tmp_path, "warehouse_memory_limit: 300MB\n"))
    with warehouse_resource(config).get_connection() as conn:
        (limit,) = conn.execute("SELECT current_setting('memory_limit')").fetchone()
    assert limit == "286.1 MiB"  # 300 MB as DuckDB prints it
