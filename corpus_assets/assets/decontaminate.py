"""Decontamination: `eval_benchmarks` (the evaluation items, unpartitioned) and `final_set`."""

import dataclasses
import datetime as dt
import time
from typing import Any

import dagster as dg
import pyarrow as pa
from dagster_duckdb import DuckDBResource

from corpus_assets import warehouse
from corpus_assets.assets.curate import filtered_text
from corpus_assets.assets.extract import BATCH_ROWS
from corpus_assets.assets.publishing import (
    GATE_CHECK,
    closing_connection,
    corpus_asset,
    markdown_table,
    publish_each_date,
    stage_spec,
)
from corpus_assets.checks import suites
from corpus_assets.checks.expectations import validate_frame
from corpus_assets.checks.gate import PartitionGate, StageSpec
from corpus_assets.config import CorpusConfig
from corpus_assets.crawl.load import drop_record, drops_table
from corpus_assets.decontam import (
    BenchmarkFormatError,
    BenchmarkItem,
    ContaminationIndex,
    benchmark_item_table,
    benchmark_ngram_table,
    benchmark_stats,
    document_ngram_table,
    load_benchmarks,
)
from corpus_assets.resources import CorpusConfigResource

CONTAMINATION = "contamination"


# Unpartitioned, yet with a single-run backfill policy like the others: the CLI's --partition-range refuses
# a selection in which any asset lacks one.
@corpus_asset(stage="decontaminate", kinds={"duckdb", "python"}, partitioned=False,
              gate="Every item named once, and indexed unless shorter than an n-gram.")
def eval_benchmarks(context: dg.AssetExecutionContext, corpus: CorpusConfigResource, warehouse_db: DuckDBResource):
    """The evaluation benchmarks the corpus must not contain, one row per item, with their word n-grams.

    Loaded from the JSONL, JSONL.gz and CSV files of `decontamination.benchmarks` (MMLU, HumanEval, the
    llm-foundry gauntlet shapes); a file that cannot be read is an error naming the file, line and field.
    N-grams are word 13-grams of normalised text (`eval_benchmark_ngrams`); items shorter than that are counted,
    not indexed. With no benchmark configured the tables are empty and `final_set` passes pages through.
    """
    config = corpus.load().decontamination
    started = time.perf_counter()
    try:
        items = load_benchmarks(config.benchmarks)
    except BenchmarkFormatError as error:
        raise dg.Failure(description=str(error), allow_retries=False) from None
    items_table = benchmark_item_table(items)
    ngrams_table = benchmark_ngram_table(items, config.ngram_size, config.short_ngram_min_words)
    stats = [dataclasses.asdict(s) for s in benchmark_stats(items, config.ngram_size, config.short_ngram_min_words)]
    with closing_connection(warehouse_db) as conn:
        warehouse.ensure_schema(conn)
        warehouse.execute(conn, "stage_benchmarks")
        warehouse.append_arrow(conn, "staging.eval_benchmark_items", items_table)
        warehouse.append_arrow(conn, "staging.eval_benchmark_ngrams", ngrams_table)
        audited = warehouse.execute(conn, "audit_benchmark_items", {"ngram_size": config.ngram_size})
        result = validate_frame("eval_benchmarks", suites.benchmark_item_expectations(),
                                audited.to_arrow_table().to_pandas(), ["benchmark", "item_id"])
        if result.passed:
            with warehouse.transaction(conn):
                warehouse.execute(conn, "publish_benchmarks")
    if not result.passed:
        failures = [f.as_dict() for f in result.failures]
        yield dg.AssetCheckResult(check_name=GATE_CHECK, passed=False,
                                  metadata={"failures": dg.MetadataValue.json(failures)})
        raise dg.Failure(description=f"eval_benchmarks failed its gate: {failures}", allow_retries=False)
    yield dg.MaterializeResult(
        metadata={
            "dagster/row_count": items_table.num_rows,
            "ngrams": ngrams_table.num_rows,
            "benchmarks": dg.MetadataValue.md(markdown_table(stats)) if stats else "no benchmark configured",
            "files": dg.MetadataValue.json([str(p) for p in config.benchmarks]),
            "seconds": round(time.perf_counter() - started, 3),
        },
        check_results=[dg.AssetCheckResult(check_name=GATE_CHECK, passed=True)],
    )


def final_set_spec(config: CorpusConfig) -> StageSpec:
    return stage_spec(
        config,
        "final_set",
        upstream="main.filtered_text",
        known_drop_reasons=frozenset({CONTAMINATION}),
        expected_drop_reasons=frozenset({CONTAMINATION}),
        row_expectations=suites.final_set_expectations,
    )


def _published_index(conn, ngram_size: int) -> tuple[ContaminationIndex, list[int]]:
    """The in-memory matcher over the published benchmark items, and the n-gram sizes to cut pages into."""
    items = [
        BenchmarkItem(row["benchmark"], row["item_id"], row["source_file"],
                      tuple(zip(row["field_names"], row["field_texts"], strict=True)))
        for row in warehouse.execute(conn, "benchmark_items").to_arrow_table().to_pylist()
    ]
    sizes = [size for (size,) in warehouse.execute(conn, "benchmark_ngram_sizes").fetchall()]
    short = min(sizes) if sizes and min(sizes) < ngram_size else None
    return ContaminationIndex.from_items(items, ngram_size, short), sizes


@corpus_asset(stage="decontaminate", deps=[filtered_text, eval_benchmarks], kinds={"duckdb", "python"},
              gate="A SQL join of the kept pages' n-grams against the benchmark index finds nothing, and the "
              "funnel adds up.")
def final_set(context: dg.AssetExecutionContext, corpus: CorpusConfigResource, warehouse_db: DuckDBResource):
    """The corpus: filtered pages that share no word 13-gram with any registered evaluation benchmark.

    A contaminated page is dropped naming the benchmark, the item and the matched n-gram. The gate does not
    trust the matcher: it joins the kept pages' n-grams against `eval_benchmark_ngrams` in SQL and must find
    nothing. With no benchmark configured, pages pass through and the metadata says so.
    """
    config = corpus.load()

    def decontaminate(gate: PartitionGate, crawl_date: dt.date) -> dict[str, Any]:
        index, sizes = _published_index(gate.conn, config.decontamination.ngram_size)
        warehouse.execute(gate.conn, "stage_final_set_ngrams")
        with gate.conn.cursor() as reader:
            pages = warehouse.execute(reader, "filtered_text_for_decontamination", {"crawl_date": crawl_date})
            for batch in pages.to_arrow_reader(BATCH_ROWS):
                rows, drops = [], []
                for page in batch.to_pylist():
                    match = index.first_match(page["text"]) if sizes else None
                    if match is None:
                        rows.append(page)
                        continue
                    drops.append(drop_record(
                        crawl_date, page["page_id"], page["url"], "final_set", CONTAMINATION,
                        f"shares the n-gram '{match.ngram}' with {match.benchmark} item {match.item_id}",
                        benchmark=match.benchmark, benchmark_item=match.item_id, matched_ngram=match.ngram))
                gate.add_rows(pa.Table.from_pylist(rows))
                gate.add_drops(drops_table(drops))
                if sizes and rows:
                    ngrams = document_ngram_table([r["page_id"] for r in rows], [r["text"] for r in rows],
                                                  sizes, include_text=False)
                    warehouse.append_arrow(gate.conn, "staging.final_set_ngrams",
                                           ngrams.select(["doc_id", "ngram_size", "word_offset", "ngram_hash"]))
        return {"benchmarks": "none configured: pages passed through" if not sizes
                else dg.MetadataValue.json({"indexed_ngrams": len(index), "ngram_sizes": sizes})}

    yield from publish_each_date(context, warehouse_db, lambda: final_set_spec(config), decontaminate)
