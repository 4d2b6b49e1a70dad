"""The benchmark index's fingerprint: it changes with every input of the index, and only with those."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path

import pytest

from corpus_assets.decontam import INDEX_VERSION, DecontamConfig, file_sha256, index_fingerprint

QUIZ = "question,choice0,choice1,answer\nWhich river flows through the old town of the valley?,north,south,A\n"


def _benchmarks(folder: Path) -> Path:
    (folder / "bench").mkdir(parents=True)
    (folder / "bench" / "quiz_test.csv").write_text(QUIZ)
    (folder / "bench" / "trivia.jsonl").write_text('{"question": "Who built the first lighthouse?", "answer": "x"}\n')
    return folder / "bench"


def test_a_file_hash_is_the_sha256_of_its_bytes_read_in_chunks(tmp_path):
    big = tmp_path / "big.jsonl"
    big.write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    assert file_sha256(big) == hashlib.sha256(big.read_bytes()).hexdigest()


def test_the_fingerprint_is_stable_while_nothing_changes(tmp_path):
    folder = _benchmarks(tmp_path)
    first = index_fingerprint(DecontamConfig(benchmarks=[folder]))
    (folder / "quiz_test.csv").touch()  # a new modification time is no new content
    again = index_fingerprint(DecontamConfig(benchmarks=[folder]))
    assert first == again and first.digest == again.digest
    assert first.version == INDEX_VERSION
    assert [Path(f.path).name for f in first.files] == ["quiz_test.csv", "trivia.jsonl"]


def test_every_input_of_the_index_changes_the_fingerprint(tmp_path):
    folder = _benchmarks(tmp_path)
    base = DecontamConfig(benchmarks=[folder])
    digests = {"base": index_fingerprint(base).digest}
    digests["ngram_size"] = index_fingerprint(base.model_copy(update={"ngram_size": 12})).digest
    digests["short"] = index_fingerprint(base.model_copy(update={"short_ngram_min_words": 8})).digest
    digests["version"] = dataclasses.replace(index_fingerprint(base), version=INDEX_VERSION + 1).digest

    quiz = folder / "quiz_test.csv"
    quiz.write_text(QUIZ.replace("river", "rivet"))  # one byte
    digests["one byte"] = index_fingerprint(base).digest
    quiz.write_text(QUIZ)
    assert index_fingerprint(base).digest == digests["base"]

    (folder / "extra.jsonl").write_text('{"question": "Another one?", "answer": "y"}\n')
    digests["added file"] = index_fingerprint(base).digest
    (folder / "extra.jsonl").unlink()
    (folder / "trivia.jsonl").unlink()
    digests["deleted file"] = index_fingerprint(base).digest

    moved = tmp_path / "elsewhere" / "bench"
    moved.parent.mkdir()
    folder.rename(moved)  # the same bytes under another path: another source_file in every item row
    digests["moved"] = index_fingerprint(DecontamConfig(benchmarks=[moved])).digest
    assert len(set(digests.values())) == len(digests), digests


def test_a_missing_benchmark_path_cannot_be_fingerprinted(tmp_path):
    with pytest.raises(FileNotFoundError):
        index_fingerprint(DecontamConfig(benchmarks=[tmp_path / "gone.csv"]))
