"""The same-date pair queries over a real DuckDB: the bucket-star pairs give the clusters of all pairs."""

from __future__ import annotations

import random

import duckdb

from corpus_assets import warehouse
from corpus_assets.dedup.clusters import near_duplicate_clusters


def staged_bands(tmp_path, rows: list[tuple[str, int]]) -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    warehouse.ensure_schema(conn)
    warehouse.execute(conn, "deduped_text/stage_candidates")
    page_ids = sorted({page_id for page_id, _ in rows})
    conn.executemany("INSERT INTO staging.dedup_candidates VALUES (?, DATE '2026-11-02', ?, NULL, 'text', 'en', 1, "
                     "?, '\\x00'::BLOB)", [(p, f"https://example.org/{p}", p) for p in page_ids])
    conn.executemany("INSERT INTO staging.dedup_bands VALUES (?, ?)", rows)
    return conn


def pairs(conn: duckdb.DuckDBPyConnection, statement: str) -> list[tuple[str, str]]:
    return [(row["page_id"], row["other_page_id"])
            for row in warehouse.execute(conn, statement).to_arrow_table().to_pylist()]


def test_star_pairs_give_the_clusters_of_every_pair_at_a_fraction_of_the_rows(tmp_path):
    rng = random.Random(7)
    rows = [(f"p{page:04d}", band * 1000 + rng.randrange(12)) for page in range(300) for band in range(14)]
    rows += [(f"t{page:04d}", 99_999) for page in range(200)]  # a template copied on 200 pages
    conn = staged_bands(tmp_path, rows)
    star = pairs(conn, "deduped_text/same_date_pairs")
    every = pairs(conn, "deduped_text/same_date_pairs_verified")
    assert near_duplicate_clusters(star) == near_duplicate_clusters(every)
    assert all(a < b for a, b in star) and len(set(star)) == len(star)
    # The template bucket alone: 199 pairs instead of 19,900.
    assert sum(1 for a, _ in star if a.startswith("t")) == 199
    assert sum(1 for a, _ in every if a.startswith("t")) == 200 * 199 // 2


def test_star_pairs_carry_no_text_and_the_verified_ones_do(tmp_path):
    conn = staged_bands(tmp_path, [("a", 1), ("b", 1)])
    (star,) = warehouse.execute(conn, "deduped_text/same_date_pairs").to_arrow_table().to_pylist()
    (verified,) = warehouse.execute(conn, "deduped_text/same_date_pairs_verified").to_arrow_table().to_pylist()
    assert star["text"] is None and verified["text"] == "text" and verified["other_text"] == "text"
