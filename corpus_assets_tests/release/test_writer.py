"""The release writer: shards that respect their target, a digest of the documents alone, Dolma documents, and
folders that become a release only whole."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import random
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus_assets.release.card import front_matter, read_front_matter, size_category
from corpus_assets.release.writer import (
    RELEASE_SCHEMA,
    EmptyRelease,
    ShardWriter,
    partial_folder,
    publish_folder,
)

WORDS = "river boat city harbour bridge lantern market winter".split()


def documents(count: int, seed: int = 0, longest: int = 400) -> pa.Table:
    rng = random.Random(seed)
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, longest))) + " é" for _ in range(count)]
    ids = [f"{i:064x}" for i in range(count)]
    return pa.Table.from_pydict({
        "id": ids, "text": texts, "title": [f"Page {i}" for i in range(count)],
        "url": [f"https://www.site{i % 7}.org/page/{i}" for i in range(count)],
        "crawl_date": [dt.date(2026, 11, 2 + i % 2) for i in range(count)],
        "fetched_at": [dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC)] * count,
        "source": ["warc"] * count, "source_file": ["/data/a.warc.gz"] * count,
        "record_offset": list(range(count)), "language": ["en"] * count, "language_score": [0.9] * count,
        "word_count": [len(text.split()) for text in texts],
        "licence": [("CC-BY-4.0", None)[i % 2] for i in range(count)],
        "duplicate_cluster_size": [1 + i % 3 for i in range(count)],
    }, schema=RELEASE_SCHEMA)


def write(folder, table: pa.Table, target: int, batch_rows: int, formats=("parquet",)) -> ShardWriter:
    writer = ShardWriter(folder, target, list(formats))
    for batch in table.to_batches(max_chunksize=batch_rows):
        writer.write(batch)
    writer.shard_files = writer.close()
    return writer


def text_bytes(path) -> list[int]:
    return [len(text.encode()) for text in pq.read_table(path, columns=["text"]).column("text").to_pylist()]


@pytest.mark.parametrize("batch_rows", [1, 7, 1000])
def test_shards_hold_at_most_their_target_of_text_in_order_and_are_named_of_n(tmp_path, batch_rows):
    table = documents(300)
    target = 20_000
    writer = write(tmp_path / "release", table, target, batch_rows)
    shards = writer.shard_files
    assert len(shards) > 5
    assert [path.name for path in shards] == [f"train-{i:05d}-of-{len(shards):05d}.parquet" for i in range(len(shards))]
    for path in shards:
        assert sum(text_bytes(path)) <= target
    # Closed only when the next document would not fit: each shard and the next document are over the target.
    read_back = [pq.read_table(path) for path in shards]
    for shard, following in zip(read_back, read_back[1:]):
        assert sum(len(t.encode()) for t in shard.column("text").to_pylist()) + len(
            following.column("text")[0].as_py().encode()) > target
    assert pa.concat_tables(read_back).equals(table)
    assert writer.stats.documents == 300 and writer.stats.by_date == {"2026-11-02": 150, "2026-11-03": 150}
    assert sum(writer.stats.word_count_bins) == 300 and len(writer.stats.by_domain) == 7


def test_a_document_larger_than_the_target_is_a_shard_of_its_own(tmp_path):
    table = documents(20, longest=50)
    large = documents(1, seed=9, longest=5000).column("text")[0].as_py()
    table = table.set_column(1, "text", pa.array([*table.column("text").to_pylist()[:10], large,
                                                  *table.column("text").to_pylist()[11:]]))
    writer = write(tmp_path / "release", table, 2_000, 4)
    alone = [path for path in writer.shard_files if large in pq.read_table(path).column("text").to_pylist()]
    assert len(alone) == 1 and pq.read_table(alone[0]).num_rows == 1


def test_the_digest_is_that_of_the_documents_and_their_weights_whatever_the_batches_and_shards(tmp_path):
    table = documents(120)
    one = write(tmp_path / "one", table, 10**9, 1000)
    other = write(tmp_path / "other", table, 5_000, 3)
    assert one.digest == other.digest and len(one.shard_files) == 1 < len(other.shard_files)
    changed = table.set_column(1, "text", pa.array(["x" + t for t in table.column("text").to_pylist()]))
    assert write(tmp_path / "changed", changed, 10**9, 1000).digest != one.digest
    sizes = table.column("duplicate_cluster_size").to_pylist()
    reweighted = table.set_column(table.schema.get_field_index("duplicate_cluster_size"), "duplicate_cluster_size",
                                  pa.array([sizes[0] + 1, *sizes[1:]], pa.int64()))
    assert write(tmp_path / "reweighted", reweighted, 10**9, 1000).digest != one.digest


def test_dolma_documents_hold_the_same_rows_in_the_same_shards(tmp_path):
    table = documents(50)
    writer = write(tmp_path / "release", table, 8_000, 9, formats=("parquet", "dolma"))
    jsonl = sorted((tmp_path / "release" / "documents").glob("*.jsonl.gz"))
    assert [p.name.removesuffix(".jsonl.gz") for p in jsonl] == [p.name.removesuffix(".parquet")
                                                                 for p in writer.shard_files]
    for parquet, dolma in zip(writer.shard_files, jsonl):
        with gzip.open(dolma, "rt", encoding="utf-8") as lines:
            rows = [json.loads(line) for line in lines]
        assert [row["id"] for row in rows] == pq.read_table(parquet).column("id").to_pylist()
    first = json.loads(gzip.open(jsonl[0], "rt").readline())
    assert set(first) == {"id", "text", "source", "added", "created", "metadata"}
    assert (first["source"], first["added"], first["created"]) == ("corpus_assets/warc", "2026-11-02",
                                                                  "2026-11-02T12:00:00+00:00")
    assert first["metadata"]["url"] == "https://www.site0.org/page/0" and first["metadata"]["record_offset"] == 0


def test_nothing_written_is_an_empty_release(tmp_path):
    writer = ShardWriter(tmp_path / "release", 1000, ["parquet"])
    with pytest.raises(EmptyRelease):
        writer.close()


def test_partial_folders_of_dead_writers_are_removed_and_a_release_is_never_rewritten(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".partial-{int(dead.stdout)}-abcd1234"
    alive = tmp_path / f".partial-{os.getppid()}-abcd1234"
    for folder in (stale, alive):
        (folder / "data").mkdir(parents=True)
    partial = partial_folder(tmp_path)
    assert not stale.exists() and alive.exists() and partial.name.startswith(f".partial-{os.getpid()}-")
    (partial / "README.md").write_text("first")
    assert publish_folder(partial, tmp_path / "v1-abc") is True
    again = partial_folder(tmp_path)
    (again / "README.md").write_text("second")
    assert publish_folder(again, tmp_path / "v1-abc") is False
    assert not again.exists() and (tmp_path / "v1-abc" / "README.md").read_text() == "first"


def test_size_categories_are_the_hubs():
    assert [size_category(n) for n in (0, 999, 1_000, 54_321, 2_000_000)] == [
        "n<1K", "n<1K", "1K<n<10K", "10K<n<100K", "1M<n<10M"]


def test_the_front_matter_round_trips_through_the_card_header():
    from corpus_assets.release.card import ReleaseFacts, dataset_card
    from corpus_assets.release.writer import ReleaseStats

    stats = ReleaseStats(documents=3, text_bytes=30, words=9)
    stats.by_language.update(["en", "en", "de"])
    stats.by_date.update(["2026-11-02"] * 3)
    facts = ReleaseFacts(version="v1-0123456789ab", tag="v1", digest="0" * 64,
                         created_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC), pretty_name="Test", license="cc-by-4.0",
                         formats=["parquet"], first_date=dt.date(2026, 11, 2), last_date=dt.date(2026, 11, 2),
                         stats=stats, shards=[("train-00000-of-00001.parquet", 123)], funnel=[], benchmarks=[],
                         takedowns=[], rights_drops=[], pii_redactions=[], settings={"extract": {"min_words": 20}}, code_version="abc",
                         config_sha256="f" * 64)
    card = dataset_card(facts, "/data/releases/v1-0123456789ab")
    assert read_front_matter(card) == front_matter(facts)
    header = read_front_matter(card)
    assert header["language"] == ["de", "en"] and header["dataset_info"]["splits"][0]["num_examples"] == 3
    assert "not decontaminated" in card and "`extract.min_words` | `20`" in card
