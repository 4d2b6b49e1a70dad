"""The curation stages: `deduped_text` (exact and near duplicates, across dates) and `filtered_text` (quality)."""

import datetime as dt
from typing import Any

import dagster as dg
import pyarrow as pa
from dagster_duckdb import DuckDBResource

from corpus_assets import warehouse
from corpus_assets.assets.extract import BATCH_ROWS, extracted_text
from corpus_assets.assets.publishing import corpus_asset, publish_each_date, stage_spec
from corpus_assets.checks import suites
from corpus_assets.checks.gate import PartitionGate, StageSpec
from corpus_assets.config import CorpusConfig
from corpus_assets.crawl.load import drop_record, drops_table
from corpus_assets.dedup import band_hash_matrix, fingerprint_texts, signature_to_bytes
from corpus_assets.dedup.decisions import cross_date_drops, same_date_drops
from corpus_assets.quality import SIGNAL_NAMES, assess
from corpus_assets.resources import CorpusConfigResource

DEDUP_EXPECTED = frozenset({"cross_date_duplicate", "cross_date_near_duplicate"})
DEDUP_REASONS = DEDUP_EXPECTED | {"exact_duplicate", "near_duplicate"}
QUALITY_REASONS = frozenset({"gopher_repetition", "gopher_quality", "c4", "fineweb"})


def deduped_text_spec(config: CorpusConfig) -> StageSpec:
    return stage_spec(
        config,
        "deduped_text",
        upstream="main.extracted_text",
        known_drop_reasons=DEDUP_REASONS,
        expected_drop_reasons=DEDUP_EXPECTED,
        row_expectations=suites.deduped_text_expectations,
        companion_tables=("page_fingerprints", "near_duplicate_index"),
    )


def _stage_dedup_candidates(gate: PartitionGate, crawl_date: dt.date, config: CorpusConfig) -> None:
    warehouse.execute(gate.conn, "stage_dedup_candidates")
    with gate.conn.cursor() as reader:
        pages = warehouse.execute(reader, "extracted_text_for_dedup", {"crawl_date": crawl_date})
        for batch in pages.to_arrow_reader(BATCH_ROWS):
            texts = batch.column("text").to_pylist()
            fingerprints = fingerprint_texts(texts, config.dedup)
            bands = band_hash_matrix(fingerprints.signatures, config.dedup)
            candidates = pa.Table.from_batches([batch]).append_column(
                "content_hash", pa.array(fingerprints.content_hashes)
            ).append_column("signature", pa.array([signature_to_bytes(s) for s in fingerprints.signatures], pa.binary()))
            warehouse.append_arrow(gate.conn, "staging.dedup_candidates", candidates)
            page_ids = batch.column("page_id").to_pylist()
            warehouse.append_arrow(gate.conn, "staging.dedup_bands", pa.table({
                "page_id": [p for p in page_ids for _ in range(bands.shape[1])],
                "band_hash": pa.array(bands.reshape(-1), pa.int64()),
            }))


@corpus_asset(
    stage="dedup",
    kinds={"duckdb", "python"},
    deps=[
        extracted_text,
        # Date D is matched against the history of every earlier date: D needs D-1, so backfills run in order.
        dg.AssetDep(
            "deduped_text",
            partition_mapping=dg.TimeWindowPartitionMapping(
                start_offset=-1, end_offset=-1, allow_nonexistent_upstream_partitions=True
            ),
        ),
    ],
    gate="Unique normalised texts, none repeating an earlier date's, a funnel that adds up and unexpected "
    "(same-date) duplicates under the ceiling.",
)
def deduped_text(context: dg.AssetExecutionContext, corpus: CorpusConfigResource, warehouse_db: DuckDBResource):
    """Pages that are neither exact nor near duplicates of an earlier page.

    Exact: the same normalised text. Near: MinHash over word 5-grams, 112 permutations in 14 bands of 8 rows
    (pages above a Jaccard of about 0.72 collide; datatrove's defaults), optionally verified by true Jaccard.
    Earlier wins: the lowest (crawl date, page_id), never fetch order. A date is matched against the history
    of every earlier date (band hashes in `near_duplicate_index`, by SQL join), so it depends on the previous
    date's partition of this asset, and a backfill runs dates in order. Each drop names the kept page it
    repeats and the estimated similarity.
    """
    config = corpus.load()

    def deduplicate(gate: PartitionGate, crawl_date: dt.date) -> dict[str, Any]:
        _stage_dedup_candidates(gate, crawl_date, config)
        warehouse.execute(gate.conn, "dedup_exact_duplicates", {"crawl_date": crawl_date})
        parameters = {"crawl_date": crawl_date}
        cross = cross_date_drops(
            warehouse.execute(gate.conn, "dedup_cross_date_pairs", parameters).to_arrow_table().to_pylist(),
            config.dedup,
        )
        for drop in cross:
            gate.conn.execute("DELETE FROM staging.dedup_bands WHERE page_id = ?", [drop.page_id])
        same = same_date_drops(
            warehouse.execute(gate.conn, "dedup_same_date_pairs").to_arrow_table().to_pylist(), config.dedup
        )
        gate.add_drops(drops_table([
            drop_record(crawl_date, d.page_id, d.url, "deduped_text", d.reason, d.detail,
                        related_url=d.related_url, similarity=d.similarity)
            for d in [*cross, *same]
        ]))
        warehouse.execute(gate.conn, "dedup_publishable", parameters)
        return {"near_duplicates": dg.MetadataValue.json({"cross_date": len(cross), "same_date": len(same)})}

    yield from publish_each_date(context, warehouse_db, lambda: deduped_text_spec(config), deduplicate)


def filtered_text_spec(config: CorpusConfig) -> StageSpec:
    return stage_spec(
        config,
        "filtered_text",
        upstream="main.deduped_text",
        known_drop_reasons=QUALITY_REASONS,
        expected_drop_reasons=frozenset(),
        row_expectations=suites.filtered_text_expectations,
        companion_tables=("quality_signals",),
    )


@corpus_asset(stage="quality", deps=[deduped_text], kinds={"duckdb", "python"},
              gate="Non-empty texts, signals stored for every page, a funnel that adds up and quality drops "
              "under the ceiling.")
def filtered_text(context: dg.AssetExecutionContext, corpus: CorpusConfigResource, warehouse_db: DuckDBResource):
    """Pages that pass the quality heuristics of the reference pipelines, at FineWeb's (datatrove's) defaults.

    Gopher repetition, Gopher quality, C4 (which removes javascript, policy and over-long-word lines from the
    text) and FineWeb's own rules, in that order, every threshold a key of `quality` in the config. A dropped
    page names the filter, the rule and the measured value. Every signal of every page is stored in
    `quality_signals`, so "what if this threshold were 0.15" is one query, without a re-run.
    """
    config = corpus.load()

    def filter_quality(gate: PartitionGate, crawl_date: dt.date) -> dict[str, Any]:
        with gate.conn.cursor() as reader:
            pages = warehouse.execute(reader, "deduped_text_for_quality", {"crawl_date": crawl_date})
            for batch in pages.to_arrow_reader(BATCH_ROWS):
                rows, signals, drops = [], [], []
                for page in batch.to_pylist():
                    result = assess(page["text"], config.quality)
                    signals.append({"crawl_date": crawl_date, "page_id": page["page_id"], "url": page["url"],
                                    **{name: result.signals[name] for name in SIGNAL_NAMES}})
                    verdict = result.verdict
                    if verdict is not None:
                        drops.append(drop_record(
                            crawl_date, page["page_id"], page["url"], "filtered_text", verdict.filter,
                            f"{verdict.rule}: measured {verdict.value:.4g}, threshold {verdict.threshold:.4g}"))
                    else:
                        rows.append({"page_id": page["page_id"], "crawl_date": crawl_date, "url": page["url"],
                                     "title": page["title"], "text": result.text,
                                     "word_count": len(result.text.split())})
                gate.add_rows(pa.Table.from_pylist(rows))
                warehouse.append_arrow(gate.conn, "staging.quality_signals", pa.Table.from_pylist(signals))
                gate.add_drops(drops_table(drops))
        return {}

    yield from publish_each_date(context, warehouse_db, lambda: filtered_text_spec(config), filter_quality)
