"""Writing a release: `final_set` rows, streamed in Arrow batches, into Parquet shards (and Dolma JSONL) in a folder
of its own that becomes the release only once it is complete and checked.

Plain Python, no Dagster. Memory is bounded by one row group (ROW_GROUP_TEXT_BYTES of text) and the statistics,
whose size does not grow with the documents (counters by date, source, language and registered domain).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus_assets.crawl.urls import registered_domain
from corpus_assets.processes import process_alive

# One row of a release: the text and where it came from.
RELEASE_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("text", pa.string()),
        ("title", pa.string()),
        ("url", pa.string()),
        ("crawl_date", pa.date32()),
        ("fetched_at", pa.timestamp("us", tz="UTC")),
        ("source", pa.string()),
        ("source_file", pa.string()),
        ("record_offset", pa.int64()),
        ("language", pa.string()),
        ("language_score", pa.float64()),
        ("word_count", pa.int32()),
        ("licence", pa.string()),  # SPDX id a page declares, or its document source's licence; null: none declared
        # The page and the pages dropped as its duplicates, on every published date: weights to re-weight
        # ("rehydrate") the corpus by, as FineWeb-2 does.
        ("duplicate_cluster_size", pa.int64()),
    ]
)
# The columns the release's version is the digest of: a document's identity, text, licence and weight.
DIGESTED_COLUMNS = ("id", "text", "licence", "duplicate_cluster_size")
DATA_DIR = "data"
DOLMA_DIR = "documents"
SPLIT = "train"
PARTIAL_PREFIX = ".partial-"
# Rows are written in row groups of about this much text: large enough for readers to scan well, small enough to
# hold in memory while they fill.
ROW_GROUP_TEXT_BYTES = 64 * 2**20
# Words per document, the bins of the card's length table and histogram.
WORD_COUNT_BINS = (0, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000)


class EmptyRelease(ValueError):
    """There is nothing to release: the published `final_set` has no row for the dates asked for."""


@dataclass
class ReleaseStats:
    """What the card says about the documents, counted as they are written."""

    documents: int = 0
    text_bytes: int = 0
    words: int = 0
    by_date: Counter = field(default_factory=Counter)
    by_source: Counter = field(default_factory=Counter)
    by_language: Counter = field(default_factory=Counter)
    by_licence: Counter = field(default_factory=Counter)
    by_domain: Counter = field(default_factory=Counter)
    word_count_bins: list[int] = field(default_factory=lambda: [0] * len(WORD_COUNT_BINS))
    longest_words: int = 0

    def add(self, batch: pa.RecordBatch, text_bytes: np.ndarray) -> None:
        self.documents += batch.num_rows
        self.text_bytes += int(text_bytes.sum())
        words = batch.column("word_count").to_numpy(zero_copy_only=False)
        self.words += int(words.sum())
        self.longest_words = max(self.longest_words, int(words.max()))
        for index, count in zip(*np.unique(np.searchsorted(WORD_COUNT_BINS, words, side="right") - 1,
                                           return_counts=True)):
            self.word_count_bins[int(index)] += int(count)
        self.by_date.update(d.isoformat() for d in batch.column("crawl_date").to_pylist())
        self.by_source.update(batch.column("source").to_pylist())
        self.by_language.update(batch.column("language").to_pylist())
        self.by_licence.update(licence or "none declared" for licence in batch.column("licence").to_pylist())
        self.by_domain.update(registered_domain(url) for url in batch.column("url").to_pylist())


def dolma_documents(batch: pa.RecordBatch) -> list[dict]:
    """Rows in Dolma's document shape: `id`, `text`, `source`, `added` (the crawl date the page entered the
    corpus), `created` (when it was fetched) and the rest of the provenance under `metadata`."""
    documents = []
    for row in batch.to_pylist():
        fetched = row["fetched_at"]
        documents.append({
            "id": row["id"],
            "text": row["text"],
            "source": f"corpus_assets/{row['source']}",
            "added": row["crawl_date"].isoformat(),
            "created": fetched.isoformat() if fetched else row["crawl_date"].isoformat(),
            "metadata": {key: (value.isoformat() if key == "crawl_date" else value) for key, value in row.items()
                         if key not in {"id", "text", "fetched_at"}},
        })
    return documents


def shard_name(index: int, count: int, suffix: str) -> str:
    """The Hub's shard naming: `train-00000-of-00003.parquet`."""
    return f"{SPLIT}-{index:05d}-of-{count:05d}{suffix}"


class ShardWriter:
    """Writes batches of RELEASE_SCHEMA rows, in the order given, into shards of at most `shard_text_bytes` of
    text (a document larger than that alone in its shard) under `folder`; `close` names them `-of-N` once N is
    known. Also keeps the content digest (SHA-256 of every id, text, licence and duplicate cluster size in order) and
    the card's statistics."""

    def __init__(self, folder: Path, shard_text_bytes: int, formats: list[str]):
        self.folder = folder
        self.target = shard_text_bytes
        self.dolma = "dolma" in formats
        self.stats = ReleaseStats()
        self._digest = hashlib.sha256()
        self._shards: list[tuple[Path, Path | None]] = []
        self._parquet: pq.ParquetWriter | None = None
        self._jsonl = None
        self._shard_bytes = 0
        self._pending: list[pa.RecordBatch] = []
        self._pending_bytes = 0
        (folder / DATA_DIR).mkdir(parents=True)
        if self.dolma:
            (folder / DOLMA_DIR).mkdir()

    @property
    def digest(self) -> str:
        return self._digest.hexdigest()

    def write(self, batch: pa.RecordBatch) -> None:
        batch = batch.select(RELEASE_SCHEMA.names).cast(RELEASE_SCHEMA) if batch.schema != RELEASE_SCHEMA else batch
        text_bytes = pc.binary_length(batch.column("text")).to_numpy(zero_copy_only=False).astype(np.int64)
        start = 0
        while start < batch.num_rows:
            if self._parquet is None:
                self._open_shard()
            # The rows that still fit in this shard; none when even the next one does not fit (unless the shard is
            # empty: a document larger than the target is a shard of its own).
            fitting = int(np.searchsorted(np.cumsum(text_bytes[start:]), self.target - self._shard_bytes,
                                          side="right"))
            if fitting == 0 and self._shard_bytes == 0:
                fitting = 1
            if fitting:
                self._add(batch.slice(start, fitting), text_bytes[start:start + fitting])
                start += fitting
            if start < batch.num_rows:
                self._close_shard()

    def _add(self, piece: pa.RecordBatch, text_bytes: np.ndarray) -> None:
        # What a user takes from a document: its text, and the licence and weight that come with it. A later date
        # that repeats a released page changes its weight, and so the release's version.
        for values in zip(*(piece.column(name).to_pylist() for name in DIGESTED_COLUMNS), strict=True):
            for value in values:
                self._digest.update(("" if value is None else str(value)).encode())
                self._digest.update(b"\0")
        self.stats.add(piece, text_bytes)
        size = int(text_bytes.sum())
        self._shard_bytes += size
        self._pending.append(piece)
        self._pending_bytes += size
        if self._pending_bytes >= ROW_GROUP_TEXT_BYTES:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        table = pa.Table.from_batches(self._pending, schema=RELEASE_SCHEMA)
        self._parquet.write_table(table, row_group_size=table.num_rows)
        if self._jsonl is not None:
            for batch in table.to_batches():
                for document in dolma_documents(batch):
                    self._jsonl.write(json.dumps(document, ensure_ascii=False) + "\n")
        self._pending, self._pending_bytes = [], 0

    def _open_shard(self) -> None:
        index = len(self._shards)
        parquet = self.folder / DATA_DIR / f"{SPLIT}-{index:05d}.parquet"
        jsonl = self.folder / DOLMA_DIR / f"{SPLIT}-{index:05d}.jsonl.gz" if self.dolma else None
        self._parquet = pq.ParquetWriter(parquet, RELEASE_SCHEMA, compression="zstd")
        # mtime 0: the same documents give the same bytes, whenever they are released.
        self._jsonl = io.TextIOWrapper(gzip.GzipFile(jsonl, "wb", mtime=0), encoding="utf-8") if jsonl else None
        self._shards.append((parquet, jsonl))
        self._shard_bytes = 0

    def _close_shard(self) -> None:
        self._flush()
        self._parquet.close()
        self._parquet = None
        if self._jsonl is not None:
            self._jsonl.close()
            self._jsonl = None

    def close(self) -> list[Path]:
        """Closes the last shard and names every shard `-of-N`; returns the Parquet shards. Raises EmptyRelease
        when nothing was written."""
        if self._parquet is not None:
            self._close_shard()
        if not self.stats.documents:
            raise EmptyRelease("no documents were written")
        count = len(self._shards)
        named = []
        for index, (parquet, jsonl) in enumerate(self._shards):
            final = parquet.with_name(shard_name(index, count, ".parquet"))
            os.replace(parquet, final)
            named.append(final)
            if jsonl is not None:
                os.replace(jsonl, jsonl.with_name(shard_name(index, count, ".jsonl.gz")))
        return named


def partial_folder(release_dir: Path) -> Path:
    """A new folder to write a release into, named after this process: `.partial-<pid>-<random>`. Folders of
    earlier writers whose process is gone (a crash, a kill) are removed first: they never became a release."""
    release_dir.mkdir(parents=True, exist_ok=True)
    for stale in release_dir.glob(f"{PARTIAL_PREFIX}*"):
        pid = stale.name.removeprefix(PARTIAL_PREFIX).split("-")[0]
        if pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    folder = release_dir / f"{PARTIAL_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    return folder


def publish_folder(partial: Path, final: Path) -> bool:
    """Renames the checked `partial` folder to the release's `final` name in one step, so that a reader sees a
    whole release or none. A release is never rewritten: when `final` exists (the same documents and tag were
    released before), `partial` is removed and False is returned."""
    if final.exists():
        shutil.rmtree(partial)
        return False
    try:
        os.rename(partial, final)
    except OSError:
        if not final.exists():
            raise
        shutil.rmtree(partial)  # another writer released the same version a moment before
        return False
    return True
