"""The fingerprint of a benchmark index: what the item and n-gram tables are a function of, in one digest.

The tables depend on the bytes and paths of the benchmark files (a path names the benchmark and is each item's
`source_file`), on `ngram_size` and `short_ngram_min_words`, and on the code that reads, normalises, cuts and
hashes items. The `eval_benchmarks` asset records the digest with the tables it publishes; while the digest it
computes equals the recorded one, the published tables are what indexing would give again, so it reuses them.

Hashing reads each file once, streamed (sha256): for MMLU's 57 files, 6 MB, about 15 ms against seconds of
indexing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from corpus_assets.decontam.config import DecontamConfig
from corpus_assets.decontam.eval_sets import benchmark_files

# Bump when reading items, normalising text, cutting n-grams or hashing them changes what the tables hold: the
# next run then re-indexes even though no file and no setting changed.
INDEX_VERSION = 2  # 2: list markers opening a line are not words (ngrams.normalized_for_matching)


@dataclass(frozen=True, slots=True)
class BenchmarkFileHash:
    """One benchmark file as the index sees it: its path and the sha256 of its bytes."""

    path: str
    sha256: str


@dataclass(frozen=True, slots=True)
class IndexFingerprint:
    """Everything the benchmark tables are computed from; `digest` is what the warehouse records."""

    version: int
    ngram_size: int
    short_ngram_min_words: int | None
    files: tuple[BenchmarkFileHash, ...]

    def as_dict(self) -> dict:
        return {
            "version": self.version,
            "ngram_size": self.ngram_size,
            "short_ngram_min_words": self.short_ngram_min_words,
            "files": [{"path": f.path, "sha256": f.sha256} for f in self.files],
        }

    @property
    def digest(self) -> str:
        """sha256 of the canonical JSON of `as_dict()`: equal digests, equal inputs (files in configured order)."""
        canonical = json.dumps(self.as_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, read in chunks (never the whole file in memory)."""
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def benchmark_file_hashes(paths: Iterable[Path]) -> tuple[BenchmarkFileHash, ...]:
    """Path and hash of every benchmark file the configured paths name, in the order `load_benchmarks` reads them.

    A path that names no benchmark file raises as `load_benchmarks` would (`BenchmarkFormatError`,
    `FileNotFoundError`): an index of it could not be built either.
    """
    return tuple(BenchmarkFileHash(str(file), file_sha256(file))
                 for path in paths for file in benchmark_files(Path(path)))


def index_fingerprint(config: DecontamConfig) -> IndexFingerprint:
    """The fingerprint of the index `config` would build now, from the files as they are on disk."""
    return IndexFingerprint(INDEX_VERSION, config.ngram_size, config.short_ngram_min_words,
                            benchmark_file_hashes(config.benchmarks))
