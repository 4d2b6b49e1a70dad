"""`eval_benchmarks` indexes once: a run whose benchmark files and settings are those of the published index reuses
it; any change to them indexes again, into the tables a fresh warehouse would get."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from corpus_assets import decontam
from corpus_assets.assets.eval_benchmarks import eval_benchmarks
from corpus_assets.cli import check_benchmark_files
from corpus_assets.config import ConfigError, load_config
from corpus_assets_tests.pipeline import materialize, query, table_checksum, write_config

QUIZ = ("question,choice0,choice1,choice2,answer\n"
        "Which of the rivers that cross the old town of the valley floods first in the spring?,north,south,east,A\n"
        "What is the name of the stone bridge that the monks built across the river in the year of the flood?,"
        "St Anne,St Paul,St Mark,B\n")
TRIVIA = ('{"question": "Who built the first lighthouse on the northern cape of the island, and in which year was '
          'its lamp first lit?", "answer": "the harbour board"}\n'
          '{"question": "How tall?", "answer": "forty feet"}\n')
TABLES = ["eval_benchmark_items", "eval_benchmark_ngrams"]


def _setup(tmp_path: Path, **decontamination) -> tuple[Path, Path]:
    folder = tmp_path / "benchmarks" / "local"
    folder.mkdir(parents=True)
    (folder / "quiz_test.csv").write_text(QUIZ)
    (folder / "trivia.jsonl").write_text(TRIVIA)
    work = tmp_path / "run"
    return write_config(work, decontamination={"benchmarks": [str(folder)], **decontamination}), folder


def _materialize(config: Path) -> dict:
    result = materialize([eval_benchmarks], config)
    assert result.success
    metadata = result.asset_materializations_for_node("eval_benchmarks")[0].metadata
    check = result.get_asset_check_evaluations()[0]
    assert check.passed
    return {key: value.value for key, value in metadata.items()}


def _published(config: Path) -> tuple:
    """Everything a reusing run must leave as it was: the index record and every row of both tables."""
    return (query(config, "SELECT fingerprint, published_at, items, ngrams FROM eval_benchmark_index"),
            *[table_checksum(config, table) for table in TABLES])


def _fresh_index(tmp_path: Path, config: Path, name: str) -> list:
    """The tables a new warehouse gets from the same config: what the published ones must equal."""
    fresh = tmp_path / name
    fresh.mkdir()
    fresh_config = fresh / "corpus.yaml"
    fresh_config.write_text(config.read_text())  # the benchmark paths are absolute; the warehouse is fresh's own
    assert _materialize(fresh_config)["reused"] is False
    return [table_checksum(fresh_config, table) for table in TABLES]


def test_the_second_materialization_with_unchanged_files_reuses_the_index(tmp_path):
    config, _ = _setup(tmp_path)
    first = _materialize(config)
    published = _published(config)
    assert first["reused"] is False and first["dagster/row_count"] == 4 and first["ngrams"] > 0

    second = _materialize(config)
    assert second["reused"] is True
    assert _published(config) == published  # not republished: the same record, published_at included
    assert (second["fingerprint"], second["dagster/row_count"], second["ngrams"], second["benchmarks"]) == (
        first["fingerprint"], first["dagster/row_count"], first["ngrams"], first["benchmarks"])
    assert [table_checksum(config, table) for table in TABLES] == _fresh_index(tmp_path, config, "fresh")


def test_a_changed_byte_reindexes_into_the_tables_of_a_fresh_index(tmp_path):
    config, folder = _setup(tmp_path)
    first = _materialize(config)
    before = _published(config)
    (folder / "quiz_test.csv").write_text(QUIZ.replace("floods first", "floods firsT"))
    changed = _materialize(config)
    assert changed["reused"] is False and changed["fingerprint"] != first["fingerprint"]
    after = _published(config)
    assert after[0][0][1] > before[0][0][1]  # published again
    assert after[1:] != before[1:]
    assert list(after[1:]) == _fresh_index(tmp_path, config, "fresh")
    assert _materialize(config)["reused"] is True


def test_a_changed_ngram_size_reindexes(tmp_path):
    config, _ = _setup(tmp_path)
    _materialize(config)
    (before,) = query(config, "SELECT DISTINCT ngram_size FROM eval_benchmark_ngrams")
    config.write_text(config.read_text().replace("decontamination:\n", "decontamination:\n  ngram_size: 8\n"))
    assert load_config(config).decontamination.ngram_size == 8
    assert _materialize(config)["reused"] is False
    assert query(config, "SELECT DISTINCT ngram_size FROM eval_benchmark_ngrams") == [(8,)] != [before]
    assert [table_checksum(config, table) for table in TABLES] == _fresh_index(tmp_path, config, "fresh")


def test_a_deleted_or_added_benchmark_file_reindexes(tmp_path):
    config, folder = _setup(tmp_path)
    _materialize(config)
    (folder / "trivia.jsonl").unlink()
    assert _materialize(config)["reused"] is False
    assert query(config, "SELECT DISTINCT benchmark FROM eval_benchmark_items") == [("local/quiz",)]

    (folder / "more.jsonl").write_text(TRIVIA)
    assert _materialize(config)["reused"] is False
    assert sorted(query(config, "SELECT DISTINCT benchmark FROM eval_benchmark_items")) == [
        ("local/more",), ("local/quiz",)]
    assert [table_checksum(config, table) for table in TABLES] == _fresh_index(tmp_path, config, "fresh")


def test_rows_removed_from_the_published_tables_by_hand_are_indexed_again(tmp_path):
    config, _ = _setup(tmp_path)
    _materialize(config)
    expected = [table_checksum(config, table) for table in TABLES]
    with duckdb.connect(str(load_config(config).warehouse)) as conn:
        conn.execute("DELETE FROM eval_benchmark_ngrams WHERE item_id = '1'")
    assert _materialize(config)["reused"] is False
    assert [table_checksum(config, table) for table in TABLES] == expected


def test_the_cli_check_reads_benchmark_files_only_when_they_differ_from_the_published_index(tmp_path, monkeypatch):
    config, folder = _setup(tmp_path)
    loaded = []
    load_benchmarks = decontam.load_benchmarks
    monkeypatch.setattr(decontam, "load_benchmarks", lambda paths: loaded.append(paths) or load_benchmarks(paths))
    check_benchmark_files(load_config(config))  # nothing published yet: read them
    assert len(loaded) == 1
    _materialize(config)
    check_benchmark_files(load_config(config))  # as published: hashed, not read
    assert len(loaded) == 1
    (folder / "quiz_test.csv").write_text(QUIZ + '"unclosed,quote\n')
    with pytest.raises(ConfigError, match="quiz_test.csv"):
        check_benchmark_files(load_config(config))
    assert len(loaded) == 2
