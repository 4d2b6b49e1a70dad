"""Loading evaluation benchmarks: every shared file, and clear errors for files that cannot be read."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import polars as pl
import pytest

from corpus_assets.decontam import (
    BenchmarkFormatError,
    benchmark_files,
    benchmark_name,
    load_benchmark_file,
    load_benchmarks,
)

# Items per JSONL file, counted with `wc -l` (every file ends in a newline and has no blank line), and HumanEval's
# 164 problems as the shared data README states them.
JSONL_LINE_COUNTS = {
    "gauntlet/arc_challenge": 1172,
    "gauntlet/arc_easy": 2376,
    "gauntlet/boolq": 3270,
    "gauntlet/commonsense_qa": 1221,
    "gauntlet/copa": 100,
    "gauntlet/jeopardy_all": 2117,
    "gauntlet/lambada_openai": 5153,
    "gauntlet/math": 5000,
    "gauntlet/openbook_qa": 500,
    "gauntlet/piqa": 1838,
    "gauntlet/siqa": 1954,
    "gauntlet/triviaqa_sm_sub": 3000,
    "gauntlet/winogrande": 1267,
    "humaneval/HumanEval": 164,
}
MMLU_TEST_QUESTIONS = 14042  # the published size of MMLU's test split, 57 subjects


@pytest.fixture(scope="module")
def benchmarks_dir(shared_data: Path) -> Path:
    return shared_data / "benchmarks"


@pytest.fixture(scope="module")
def all_items(benchmarks_dir: Path):
    return load_benchmarks([benchmarks_dir])


def _counts(items) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item.benchmark] = counts.get(item.benchmark, 0) + 1
    return counts


def test_every_shared_file_loads_with_its_independently_counted_items(benchmarks_dir, all_items):
    counts = _counts(all_items)
    files = benchmark_files(benchmarks_dir)
    assert sorted(counts) == sorted(benchmark_name(file) for file in files)
    assert all(count > 0 for count in counts.values())
    assert {name: counts[name] for name in JSONL_LINE_COUNTS} == JSONL_LINE_COUNTS

    mmlu_files = sorted((benchmarks_dir / "mmlu").glob("*_test.csv"))
    assert len(mmlu_files) == 57
    # polars' CSV reader, not the loader's, counts the rows (questions span lines inside quotes).
    assert {benchmark_name(f): counts[benchmark_name(f)] for f in mmlu_files} == {
        benchmark_name(f): pl.read_csv(f).height for f in mmlu_files
    }
    assert sum(counts[benchmark_name(f)] for f in mmlu_files) == MMLU_TEST_QUESTIONS


def test_items_keep_the_evaluated_text_without_prompt_scaffolding(all_items):
    by_key = {(item.benchmark, item.item_id): item for item in all_items}

    mmlu = by_key["mmlu/abstract_algebra", "1"]  # the header row is not an item
    question = "Find the degree for the given field extension Q(sqrt(2), sqrt(3), sqrt(18)) over Q."
    assert mmlu.fields[0] == ("question", question)
    assert [name for name, _ in mmlu.fields] == ["question", "choice0", "choice1", "choice2", "choice3"]
    assert mmlu.source_file.endswith("mmlu/abstract_algebra_test.csv")

    humaneval = by_key["humaneval/HumanEval", "HumanEval/0"]
    assert [name for name, _ in humaneval.fields] == ["prompt+canonical_solution"]
    assert "def has_close_elements" in humaneval.fields[0][1] and "return False" in humaneval.fields[0][1]

    commonsense = dict(by_key["gauntlet/commonsense_qa", "1"].fields)
    assert commonsense == {
        "question": "A revolving door is convenient for two direction travel, but it also serves as a security "
                    "measure at a what?",
        "choice A": "bank", "choice B": "department store", "choice C": "mall", "choice D": "new york",
    }
    boolq = dict(by_key["gauntlet/boolq", "1"].fields)
    assert set(boolq) == {"passage", "question"}  # the yes/no choices are labels, not text

    winogrande = dict(by_key["gauntlet/winogrande", "1"].fields)
    assert winogrande["sentence"] == "Sarah was a much better surgeon than Maria so _ always got the easier cases."

    trivia = dict(by_key["gauntlet/triviaqa_sm_sub", "1"].fields)
    assert trivia == {"question": "Brunswick, Lancastrian and Pearl Pickler are types of which vegetable?",
                      "answer": "Onion"}
    lambada = by_key["gauntlet/lambada_openai", "1"].fields[0][1]
    assert lambada.endswith("I don't care about signs")


def test_a_next_line_character_inside_a_json_string_does_not_split_the_line(all_items):
    # triviaqa_sm_sub.jsonl line 1781 holds a raw U+0085, which str.splitlines() takes for a line break.
    item = next(i for i in all_items if i.benchmark == "gauntlet/triviaqa_sm_sub" and i.item_id == "1781")
    assert any("\x85" in text for _, text in item.fields)


def test_benchmark_names_are_stable_whatever_path_names_the_file(benchmarks_dir):
    abstract_algebra = benchmarks_dir / "mmlu" / "abstract_algebra_test.csv"
    assert benchmark_name(abstract_algebra) == "mmlu/abstract_algebra"
    assert benchmark_name(benchmarks_dir / "humaneval" / "HumanEval.jsonl.gz") == "humaneval/HumanEval"
    assert benchmark_name(Path("gauntlet/arc_easy.jsonl")) == "gauntlet/arc_easy"
    assert benchmark_name(Path("mmlu/anatomy_dev.csv")) == "mmlu/anatomy_dev"  # other splits keep their suffix
    assert {i.benchmark for i in load_benchmark_file(abstract_algebra)} == {"mmlu/abstract_algebra"}


# ---- formats and errors, on small files written here -------------------------------------------------------------


def _write_jsonl(path: Path, records: list, *, gz: bool = False) -> Path:
    text = "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(text.encode()) if gz else text.encode())
    return path


def test_supported_shapes_load_from_jsonl_and_gzipped_jsonl(tmp_path):
    records = [
        {"question": "What is the boiling point of water at sea level?", "answers": ["100 C", "212 F"]},
        {"question": "Name a prime.", "answer": "7", "choices": ["4", "7"]},
    ]
    items = load_benchmark_file(_write_jsonl(tmp_path / "qa" / "simple.jsonl.gz", records, gz=True))
    assert [(i.benchmark, i.item_id) for i in items] == [("qa/simple", "1"), ("qa/simple", "2")]
    assert items[0].fields == (("question", records[0]["question"]), ("answers", "100 C"), ("answers", "212 F"))
    assert items[1].fields == (("question", "Name a prime."), ("choice0", "4"), ("choice1", "7"), ("answer", "7"))


def test_a_folder_loads_every_supported_file_below_it_in_sorted_order(tmp_path):
    _write_jsonl(tmp_path / "b" / "two.jsonl", [{"context": "c", "continuation": "d"}])
    _write_jsonl(tmp_path / "a" / "one.jsonl", [{"query": "q", "choices": ["x", "y"], "gold": 0}])
    (tmp_path / "a" / "LICENSE").write_text("not a benchmark")
    assert [i.benchmark for i in load_benchmarks([tmp_path])] == ["a/one", "b/two"]


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ([{"query": "q", "choices": ["a"]}, '{"query": "q", "choices": [', {}], ["line 2", "not valid JSON"]),
        ([{"query": "q", "choices": ["x"]}, {"query": "q2", "gold": 1}], ["line 2", "missing field 'choices'"]),
        ([{"prompt_text": "p", "label": 1}], ["line 1", "no known benchmark shape", "'question'"]),
        ([{"query": "only a query", "gold": 0}], ["line 1", "no known benchmark shape", "['choices']"]),
        ([{"query": "q", "choices": "x y"}], ["line 1", "field 'choices' should be a list of strings"]),
        ([{"context": 3, "continuation": "c"}], ["line 1", "field 'context' should be a string"]),
        (["[1, 2]"], ["line 1", "expected a JSON object"]),
    ],
    ids=["bad-json", "missing-field", "unknown-shape", "closest-shape", "choices-not-list", "context-not-str", "array"],
)
def test_unreadable_jsonl_records_name_the_file_line_and_field(tmp_path, records, expected):
    path = _write_jsonl(tmp_path / "bench" / "broken.jsonl", records)
    with pytest.raises(BenchmarkFormatError) as raised:
        load_benchmark_file(path)
    message = str(raised.value)
    assert str(path) in message
    for fragment in expected:
        assert fragment in message


def test_csv_with_a_header_row_or_headerless_as_mmlu_ships_it(tmp_path):
    with_header = tmp_path / "mmlu" / "toy_test.csv"
    with_header.parent.mkdir()
    with_header.write_text('question,choice0,choice1,answer\n"Which is\na colour?",red,seven,0\n')
    headerless = tmp_path / "mmlu_original" / "toy_test.csv"
    headerless.parent.mkdir()
    headerless.write_text('"Which is a colour?",red,seven,A\n"Which is a number?",red,seven,B\n')

    items = load_benchmark_file(with_header)
    assert [(i.item_id, i.fields) for i in items] == [
        ("1", (("question", "Which is\na colour?"), ("choice0", "red"), ("choice1", "seven")))
    ]
    assert [i.fields[0][1] for i in load_benchmark_file(headerless)] == ["Which is a colour?", "Which is a number?"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("question,choice0,choice1,answer\nq1,a,b,0\nq2,a\n", ["row 2 (line 3)", "missing field 'choice1'"]),
        ("question,answer\nq1,0\n", ["header row", "'choice0'"]),
        ("prompt,choice0,choice1,answer\nq1,a,b,0\n", ["row 1 (line 1)", "'question'"]),
    ],
    ids=["short-row", "no-choice-columns", "unknown-header"],
)
def test_unreadable_csv_rows_name_the_file_row_and_field(tmp_path, text, expected):
    path = tmp_path / "mmlu" / "broken_test.csv"
    path.parent.mkdir()
    path.write_text(text)
    with pytest.raises(BenchmarkFormatError) as raised:
        load_benchmark_file(path)
    assert str(path) in str(raised.value)
    for fragment in expected:
        assert fragment in str(raised.value)


def test_paths_that_name_no_benchmark_are_errors(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(BenchmarkFormatError, match="no benchmark files"):
        load_benchmarks([tmp_path / "empty"])
    with pytest.raises(FileNotFoundError):
        load_benchmarks([tmp_path / "missing"])
    notes = tmp_path / "notes.txt"
    notes.write_text("x")
    with pytest.raises(BenchmarkFormatError, match="not a benchmark file"):
        load_benchmarks([notes])


def test_two_files_with_one_benchmark_name_are_an_error(tmp_path):
    record = [{"context": "c", "continuation": "d"}]
    _write_jsonl(tmp_path / "set" / "same.jsonl", record)
    _write_jsonl(tmp_path / "set" / "same.jsonl.gz", record, gz=True)
    with pytest.raises(BenchmarkFormatError, match="'set/same' is also that of"):
        load_benchmarks([tmp_path])


def test_a_file_without_items_or_with_a_repeated_item_id_is_an_error(tmp_path):
    with pytest.raises(BenchmarkFormatError, match="no items"):
        load_benchmark_file(_write_jsonl(tmp_path / "set" / "empty.jsonl", []))
    record = {"task_id": "T/1", "prompt": "def f():\n", "canonical_solution": "    return 1\n"}
    with pytest.raises(BenchmarkFormatError, match="item id 'T/1' appears twice"):
        load_benchmark_file(_write_jsonl(tmp_path / "set" / "twice.jsonl", [record, record]))
