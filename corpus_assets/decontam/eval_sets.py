"""Evaluation benchmarks as items of text, read from JSONL, JSONL.gz and CSV files.

A benchmark item is contaminated when a web page reproduces it, so an item keeps the text a model is evaluated on,
as the benchmark's authors wrote it: the question, passage or context, the choices, the reference answer or
continuation (for HumanEval the prompt and the canonical solution), but not metadata (categories, gold indices,
answer aliases, unit tests). Each text is one *field*, in reading order (`ngrams.py` cuts them into n-grams).

The evaluation harness's prompt scaffolding is not the benchmark's text: llm-foundry's files wrap items in
"Passage: ... Question: ... Choices: A. ... Answer:", words no page quoting the original item contains. Those
labels split a text into fields and are dropped; choices that are only labels (A/B/C/D, yes/no) are dropped too.

The shape of a JSONL file is decided by its first record; every later record must have that shape's fields. A
record no shape fits, a missing or mistyped field, bad JSON or a malformed CSV row is a `BenchmarkFormatError`
naming the file, the line (or row) and the field.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
CSV_SUFFIXES = (".csv", ".csv.gz")
SUPPORTED_SUFFIXES = JSONL_SUFFIXES + CSV_SUFFIXES

# The split everyone means by "the benchmark"; other splits keep their suffix so that they never share a name.
_TEST_SPLIT_SUFFIX = "_test"

# llm-foundry's prompt labels, at the start of a line; "Questions to win" in a passage is text, not a label.
_PROMPT_LABEL = re.compile(r"^(Passage|Context|Question|Choices|Answer):[ \t]*")
_CHOICE_LETTER = re.compile(r"^[A-Z]\.[ \t]+")
_LABEL_ONLY_CHOICES = frozenset({"a", "b", "c", "d", "e", "f", "yes", "no", "true", "false"})


class BenchmarkFormatError(ValueError):
    """A benchmark file cannot be read as items; the message names the file, the line or row, and the field."""


@dataclass(frozen=True, slots=True)
class BenchmarkItem:
    """One evaluation item: where it comes from and the texts a page could reproduce.

    `fields` are (name, text) pairs in reading order; `item_id` is the file's own id where it has one
    (HumanEval's task_id), otherwise the 1-based line number (JSONL) or data row number (CSV).
    """

    benchmark: str
    item_id: str
    source_file: str
    fields: tuple[tuple[str, str], ...]


Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Where:
    """The place in a file a record comes from, for error messages."""

    path: Path
    place: str  # "line 12", "row 3 (line 4)"

    def error(self, message: str) -> BenchmarkFormatError:
        return BenchmarkFormatError(f"{self.path}: {self.place}: {message}")


def _string(record: Record, field: str, where: _Where) -> str:
    value = record[field]
    if not isinstance(value, str):
        raise where.error(f"field {field!r} should be a string, found {type(value).__name__}")
    return value


def _strings(record: Record, field: str, where: _Where) -> list[str]:
    value = record[field]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise where.error(f"field {field!r} should be a list of strings, found {value!r:.80}")
    return value


def _text_or_texts(record: Record, field: str, where: _Where) -> list[str]:
    """A free-text answer field that may hold one answer or several; numbers and booleans are labels, not text."""
    value = record[field]
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    if isinstance(value, (int, float, bool)):
        return []
    raise where.error(f"field {field!r} should be a string or a list of strings, found {value!r:.80}")


def _prompt_sections(text: str, default_name: str) -> list[tuple[str, str]]:
    """Split an llm-foundry prompt into its labelled sections, without the labels and the choice letters.

    "Passage: P\\nQuestion: Q\\nChoices:\\nA. x\\nB. y\\nAnswer:" gives passage P, question Q, choice A x and
    choice B y. Text before any label (or a text with no labels) is one section named `default_name`.
    """
    sections: list[tuple[str, list[str]]] = [(default_name, [])]
    in_choices = False
    for line in text.split("\n"):
        label = _PROMPT_LABEL.match(line)
        if label:
            name = label.group(1).lower()
            in_choices = name == "choices"
            sections.append((name, [line[label.end() :]]))
        elif in_choices and (letter := _CHOICE_LETTER.match(line)):
            sections.append((f"choice {letter.group(0).strip().rstrip('.')}", [line[letter.end() :]]))
        else:
            sections[-1][1].append(line)
    joined = ((name, "\n".join(lines).strip()) for name, lines in sections)
    return [(name, body) for name, body in joined if body]


def _choice_fields(choices: list[str]) -> list[tuple[str, str]]:
    """The choices as fields, unless they are only labels (letters pointing into the prompt, yes/no)."""
    if all(choice.strip().lower() in _LABEL_ONLY_CHOICES for choice in choices):
        return []
    return [(f"choice{i}", choice) for i, choice in enumerate(choices)]


def _common_word_prefix(texts: list[str]) -> str:
    """The words all texts begin with, joined by single spaces."""
    split = [text.split() for text in texts]
    prefix: list[str] = []
    for words in zip(*split, strict=False):
        if any(word != words[0] for word in words):
            break
        prefix.append(words[0])
    return " ".join(prefix)


def _humaneval_fields(record: Record, where: _Where) -> list[tuple[str, str]]:
    # The canonical solution is the body that follows the prompt's signature and docstring: one function.
    function = _string(record, "prompt", where) + _string(record, "canonical_solution", where)
    return [("prompt+canonical_solution", function)]


def _query_choices_fields(record: Record, where: _Where) -> list[tuple[str, str]]:
    return _prompt_sections(_string(record, "query", where), "query") + _choice_fields(
        _strings(record, "choices", where)
    )


def _winograd_fields(record: Record, where: _Where) -> list[tuple[str, str]]:
    # The options are the sentence up to the blank, filled with each candidate; the original item is the sentence
    # with a blank ("_"), and pages show it that way or filled in.
    options = _strings(record, "context_options", where)
    continuation = _string(record, "continuation", where)
    blanked = f"{_common_word_prefix(options)} _ {continuation}"
    return [("sentence", blanked)] + [(f"option{i}", f"{opt} {continuation}") for i, opt in enumerate(options)]


def _context_continuation_fields(record: Record, where: _Where) -> list[tuple[str, str]]:
    # LAMBADA's continuation is the passage's last word and Jeopardy's the response; both read on from the context.
    return [("context+continuation", f"{_string(record, 'context', where)} {_string(record, 'continuation', where)}")]


def _context_answer_fields(record: Record, where: _Where) -> list[tuple[str, str]]:
    fields = _prompt_sections(_string(record, "context", where), "context")
    if "chain_of_thought" in record:
        fields.append(("chain_of_thought", _string(record, "chain_of_thought", where)))
    fields += [("answer", answer) for answer in _text_or_texts(record, "answer", where)]
    return fields


def _question_fields(record: Record, where: _Where) -> list[tuple[str, str]]:
    fields = _prompt_sections(_string(record, "question", where), "question")
    if "choices" in record:
        fields += _choice_fields(_strings(record, "choices", where))
    for name in ("answer", "answers"):
        if name in record:
            fields += [(name, answer) for answer in _text_or_texts(record, name, where)]
    return fields


@dataclass(frozen=True, slots=True)
class _RecordShape:
    """A kind of JSONL record: the fields that identify it and how its texts are read."""

    description: str
    required: tuple[str, ...]
    fields: Callable[[Record, _Where], list[tuple[str, str]]]
    id_field: str | None = None


# Most specific first: the first shape whose required fields a record has is the file's shape.
RECORD_SHAPES: tuple[_RecordShape, ...] = (
    _RecordShape("HumanEval (task_id/prompt/canonical_solution)", ("task_id", "prompt", "canonical_solution"),
                 _humaneval_fields, id_field="task_id"),
    _RecordShape("multiple choice (query/choices/gold)", ("query", "choices"), _query_choices_fields),
    _RecordShape("Winograd (context_options/continuation)", ("context_options", "continuation"), _winograd_fields),
    _RecordShape("completion (context/continuation)", ("context", "continuation"), _context_continuation_fields),
    _RecordShape("question answering (context/answer)", ("context", "answer"), _context_answer_fields),
    _RecordShape("question/answer(s)", ("question",), _question_fields),
)


def _shape_of(record: Record, where: _Where) -> _RecordShape:
    """The first shape `record` has all the fields of, or an error naming what the closest shape lacks."""
    for shape in RECORD_SHAPES:
        if all(field in record for field in shape.required):
            return shape

    def missing(shape: _RecordShape) -> list[str]:
        return [field for field in shape.required if field not in record]

    # Closest: most of its fields present, then fewest missing (a record with none of them lacks only 'question').
    closest = min(RECORD_SHAPES, key=lambda shape: (len(missing(shape)) - len(shape.required), len(missing(shape))))
    raise where.error(
        f"no known benchmark shape fits fields {sorted(record)}; closest is {closest.description}, "
        f"which needs field(s) {missing(closest)}; known shapes: {'; '.join(s.description for s in RECORD_SHAPES)}"
    )


def benchmark_name(path: Path) -> str:
    """The benchmark's stable name: its folder and file stem, without the `_test` split suffix.

    `.../mmlu/abstract_algebra_test.csv` is `mmlu/abstract_algebra`, `.../gauntlet/arc_easy.jsonl` is
    `gauntlet/arc_easy`, whether the caller named the file or a folder above it.
    """
    stem = path.name
    for suffix in sorted(SUPPORTED_SUFFIXES, key=len, reverse=True):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    stem = stem.removesuffix(_TEST_SPLIT_SUFFIX) or stem
    return f"{path.parent.name}/{stem}" if path.parent.name else stem


def _is_supported(path: Path) -> bool:
    return path.name.endswith(SUPPORTED_SUFFIXES) and not path.name.startswith(".")


def _unsupported(path: Path) -> BenchmarkFormatError:
    return BenchmarkFormatError(f"{path}: not a benchmark file (expected one of {', '.join(SUPPORTED_SUFFIXES)})")


def benchmark_files(path: Path) -> list[Path]:
    """The benchmark files `path` names: itself if it is a file, else every supported file below it, sorted."""
    if path.is_file():
        if not _is_supported(path):
            raise _unsupported(path)
        return [path]
    if path.is_dir():
        files = sorted((p for p in path.rglob("*") if p.is_file() and _is_supported(p)),
                       key=lambda p: p.relative_to(path).as_posix())
        if not files:
            raise BenchmarkFormatError(f"{path}: no benchmark files ({', '.join(SUPPORTED_SUFFIXES)}) below it")
        return files
    raise FileNotFoundError(f"benchmark path {path} does not exist")


def _read_text(path: Path) -> str:
    try:
        raw = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
        return raw.decode("utf-8-sig")
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise BenchmarkFormatError(f"{path}: cannot be read as (gzipped) UTF-8 text: {error}") from error


def _jsonl_items(path: Path, benchmark: str, text: str) -> Iterator[BenchmarkItem]:
    shape: _RecordShape | None = None
    # Only "\n" ends a JSONL line: str.splitlines() would also split at U+0085 or U+2028 inside a JSON string
    # (TriviaQA has one), breaking the record and shifting every later line number.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = _Where(path, f"line {number}")
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise where.error(f"not valid JSON ({error.msg} at column {error.colno})") from error
        if not isinstance(record, dict):
            raise where.error(f"expected a JSON object, found {type(record).__name__}")
        if shape is None:
            shape = _shape_of(record, where)
        else:
            missing = [field for field in shape.required if field not in record]
            if missing:
                raise where.error(f"missing field {missing[0]!r} of the file's shape, {shape.description}")
        item_id = str(record[shape.id_field]) if shape.id_field else str(number)
        yield BenchmarkItem(benchmark, item_id, str(path), tuple(shape.fields(record, where)))


def _csv_items(path: Path, benchmark: str, text: str) -> Iterator[BenchmarkItem]:
    """MMLU's layout: question, choice0..choiceK, answer; with a header row, or headerless as MMLU's own files."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise BenchmarkFormatError(f"{path}: line {reader.line_num}: not valid CSV ({error})") from error
    if not rows:
        return
    first = [cell.strip().lower() for cell in rows[0][1]]
    has_header = bool(first) and first[0] == "question"
    if has_header:
        choice_columns = [i for i, name in enumerate(first) if re.fullmatch(r"choice\d+", name)]
        if not choice_columns:
            raise BenchmarkFormatError(f"{path}: header row: no field 'choice0' (columns: {rows[0][1]})")
        width, rows = len(first), rows[1:]
    else:
        # Headerless rows are positional: question, the choices, the answer label last.
        width = len(rows[0][1])
        choice_columns = list(range(1, width - 1))
    for number, (line, row) in enumerate(rows, start=1):
        where = _Where(path, f"row {number} (line {line})")
        if len(row) < width and has_header:
            raise where.error(f"missing field {first[len(row)]!r} ({len(row)} of the header's {width} fields)")
        if len(row) != width:
            raise where.error(f"expected {width} fields, found {len(row)}")
        if not has_header and (width < 3 or not re.fullmatch(r"[A-Za-z]|\d+", row[-1].strip())):
            raise where.error(
                "headerless CSV needs question, choices and an answer label (A-Z or a number) last, "
                f"found {row!r:.80}; a header row must start with field 'question'"
            )
        fields = [("question", row[0])] + [(f"choice{k}", row[i]) for k, i in enumerate(choice_columns)]
        yield BenchmarkItem(benchmark, str(number), str(path), tuple(fields))


def load_benchmark_file(path: Path) -> list[BenchmarkItem]:
    """The items of one benchmark file, in file order; a `BenchmarkFormatError` if any record cannot be read.

    A file without items (a truncated download?) and two items with one id (the warehouse's key) are errors too.
    """
    if path.name.endswith(CSV_SUFFIXES):
        read_items = _csv_items
    elif path.name.endswith(JSONL_SUFFIXES):
        read_items = _jsonl_items
    else:
        raise _unsupported(path)
    items = list(read_items(path, benchmark_name(path), _read_text(path)))
    if not items:
        raise BenchmarkFormatError(f"{path}: no items")
    ids: set[str] = set()
    for item in items:
        if item.item_id in ids:
            raise BenchmarkFormatError(f"{path}: item id {item.item_id!r} appears twice")
        ids.add(item.item_id)
    return items


def load_benchmarks(paths: Iterable[Path]) -> list[BenchmarkItem]:
    """The items of every benchmark file the paths name (files, or folders searched recursively), in order.

    Two files that would give the same benchmark name are an error: their item ids would collide.
    """
    items: list[BenchmarkItem] = []
    seen: dict[str, Path] = {}
    for path in paths:
        for file in benchmark_files(Path(path)):
            name = benchmark_name(file)
            if name in seen:
                raise BenchmarkFormatError(f"{file}: benchmark name {name!r} is also that of {seen[name]}")
            seen[name] = file
            items.extend(load_benchmark_file(file))
    return items
