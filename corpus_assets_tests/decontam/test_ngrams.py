"""N-gram hashing, item and page n-grams, their tables, per-benchmark stats and the config."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pyarrow as pa
import pytest
from pydantic import ValidationError

from corpus_assets.decontam import (
    ANY_NGRAM,
    BenchmarkItem,
    DecontamConfig,
    OverlapRule,
    WordWindows,
    benchmark_item_table,
    benchmark_ngram_table,
    benchmark_stats,
    document_ngram_table,
    document_ngrams,
    item_ngrams,
    ngram_hash,
    ngram_hash_sql,
    text_hash,
)

FOX = "the quick brown fox jumps over the lazy dog near the river bank".split()
FOX_HASH = -1918969199316912092  # pinned: a change here silently invalidates every stored n-gram table


def _item(*texts: str, benchmark: str = "toy/set", item_id: str = "1") -> BenchmarkItem:
    return BenchmarkItem(benchmark, item_id, "toy.jsonl", tuple((f"field{i}", t) for i, t in enumerate(texts)))


def test_ngram_hash_is_pinned_and_a_signed_64_bit_integer():
    assert ngram_hash(FOX) == FOX_HASH == text_hash(" ".join(FOX))
    assert all(-(2**63) <= ngram_hash([word] * 13) < 2**63 for word in ("a", "b", "zebra", "straße", "東京"))


def test_ngram_hash_is_the_same_in_another_process_with_another_string_hash_seed():
    code = "from corpus_assets.decontam import ngram_hash; print(ngram_hash(%r))" % (FOX,)
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    output = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert int(output.stdout) == FOX_HASH


def test_duckdb_computes_the_same_hash_from_the_ngram_text():
    texts = [" ".join(FOX), "a b c", "straße ωmega 東京 naive", "x" * 300, ""]
    expected = [text_hash(t) for t in texts]
    assert any(h < 0 for h in expected) and any(h > 0 for h in expected)  # both branches of the signed wrap
    ngrams = pa.table({"i": range(len(texts)), "t": texts})  # noqa: F841 (read by DuckDB by its name)
    rows = duckdb.sql(f"SELECT {ngram_hash_sql('t')} FROM ngrams ORDER BY i").fetchall()
    assert [h for (h,) in rows] == expected


def test_windows_of_non_ascii_text_hash_their_own_text():
    windows = WordWindows.of_text("Straße, Ωmega! Café 東京 naïve — CAFÉ")
    assert [windows.text(o, 2) for o in windows.offsets(2)] == [
        "straße ωmega", "ωmega cafe", "cafe 東京", "東京 naive", "naive cafe"
    ]
    assert all(windows.hash(o, 2) == text_hash(windows.text(o, 2)) for o in windows.offsets(2))


def test_document_ngrams_are_every_window_with_its_word_offset():
    page = "The quick, brown FOX jumps over the lazy dog near the river bank. Then it sleeps."
    ngrams = list(document_ngrams(page, 13))
    assert [(h, offset) for h, _, offset in ngrams[:1]] == [(FOX_HASH, 0)]
    assert [offset for _, _, offset in ngrams] == [0, 1, 2, 3]  # 16 words
    assert ngrams[2][1] == "brown fox jumps over the lazy dog near the river bank then it"
    assert list(document_ngrams("too short to have one", 13)) == []


def test_item_ngrams_span_fields_and_keep_numbers():
    item = _item("What is 12 plus 30 when counted by a", "careful student in year 2?")
    texts = [text for _, text in item_ngrams(item, 13)]
    assert texts[0] == "what is 12 plus 30 when counted by a careful student in year"
    assert texts[1] == "is 12 plus 30 when counted by a careful student in year 2"
    assert len(texts) == 2


def test_items_shorter_than_n_have_no_ngram_unless_short_fields_are_indexed_whole():
    question = "Brunswick, Lancastrian and Pearl Pickler are types of which vegetable?"  # 10 words
    item = _item(question, "Onion")
    assert list(item_ngrams(item, 13)) == []
    assert [text for _, text in item_ngrams(item, 13, short_ngram_min_words=8)] == [
        "brunswick lancastrian and pearl pickler are types of which vegetable"
    ]
    assert list(item_ngrams(item, 13, short_ngram_min_words=11)) == []


def test_a_quiz_pages_choice_letters_are_not_words_so_ngrams_span_the_question_and_its_choices():
    # 12 words in all: no 13-gram of the question alone; windows across the choices exist only without the letters.
    item = _item("Which planet is the largest of the", "Jupiter", "Mars", "Venus", "solar system")
    quiz = "Quiz!\nWhich planet is the largest of the\nA. Jupiter\n B) Mars\n(c) Venus\n4. solar system\nEnd"
    page = {text for _, text, _ in document_ngrams(quiz, 6)}
    assert {text for _, text in item_ngrams(item, 6)} <= page
    assert "the jupiter mars venus solar system" in page
    # Only a marker opening a line goes: letters and numbers inside a line, or without their mark, stay words.
    windows = WordWindows.of_text("A. B. Smith wrote 1. in a) line\nA 2. 10\n1.5 or 12) on")
    assert windows.text(0, windows.word_count) == "b smith wrote 1 in a line a 2 10 1 5 or 12 on"


def test_item_ngrams_are_distinct():
    item = _item(" ".join(FOX), " ".join(FOX))  # 26 words, 14 windows, the first and the last the same
    assert len(list(item_ngrams(item, 13))) == len(set(item_ngrams(item, 13))) == 13


def test_tables_have_warehouse_types_and_one_row_per_ngram():
    items = [_item(" ".join(FOX)), _item(" ".join(FOX) + " again", item_id="2"), _item("short one", item_id="3")]
    index_table = benchmark_ngram_table(items, 13)
    assert index_table.schema.field("ngram_hash").type == pa.int64()
    assert index_table.to_pydict()["item_id"] == ["1", "2", "2"]
    assert index_table.to_pydict()["ngram_hash"][0] == FOX_HASH

    pages = document_ngram_table(["p1", "p2"], [" ".join(FOX) + " again", "no"], sizes=[13, 12])
    assert pages.to_pydict()["ngram_size"] == [12, 12, 12, 13, 13]
    assert pages.to_pydict()["word_offset"] == [0, 1, 2, 0, 1]
    hashes_only = document_ngram_table(["p1"], [" ".join(FOX)], include_text=False)
    assert hashes_only.to_pydict()["ngram"] == [None]
    with pytest.raises(ValueError, match="2 document ids for 1 texts"):
        document_ngram_table(["a", "b"], ["x"])

    items_table = benchmark_item_table(items)
    assert items_table.to_pydict()["word_count"] == [13, 14, 2]
    assert items_table.to_pydict()["field_names"][0] == ["field0"]


def test_stats_count_items_distinct_ngrams_and_short_items_per_benchmark():
    items = [
        _item(" ".join(FOX), benchmark="a"),
        _item(" ".join(FOX), benchmark="a", item_id="2"),  # same n-gram: one distinct
        _item("eight words long is what this field is", benchmark="a", item_id="3"),
        _item(" ".join(FOX) + " again", benchmark="b"),
    ]
    assert [(s.benchmark, s.items, s.ngrams, s.short_items, s.unindexed_items)
            for s in benchmark_stats(items, 13)] == [("a", 3, 1, 1, 1), ("b", 1, 2, 0, 0)]
    with_short = benchmark_stats(items, 13, short_ngram_min_words=8)
    assert [(s.ngrams, s.short_items, s.unindexed_items) for s in with_short] == [(2, 1, 0), (2, 0, 0)]


def test_config_defaults_and_validation(tmp_path):
    config = DecontamConfig()
    assert (config.benchmarks, config.ngram_size, config.short_ngram_min_words) == ([], 6, None)
    assert config.rule == OverlapRule(template_min_items=3, min_shared_ngrams=4, min_shared_fraction=0.2)
    assert config.page_ngram_sizes == (6,)
    assert DecontamConfig(ngram_size=13, short_ngram_min_words=8).page_ngram_sizes == (13, 12, 11, 10, 9, 8)
    plain = DecontamConfig(ngram_size=13, template_min_items=None, min_shared_ngrams=1, min_shared_fraction=0)
    assert plain.rule == ANY_NGRAM
    assert DecontamConfig(benchmarks=[str(tmp_path)]).benchmarks == [tmp_path]
    assert all(field.description for field in DecontamConfig.model_fields.values())
    with pytest.raises(ValidationError, match="extra"):
        DecontamConfig(ngram_sise=13)
    with pytest.raises(ValidationError, match="must be below ngram_size"):
        DecontamConfig(short_ngram_min_words=6)
    for bad in ({"template_min_items": 1}, {"min_shared_ngrams": 0}, {"min_shared_fraction": 1.2}):
        with pytest.raises(ValidationError):
            DecontamConfig(**bad)
