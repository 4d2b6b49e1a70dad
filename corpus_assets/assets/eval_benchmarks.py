"""`eval_benchmarks`: the evaluation items the corpus must not contain, with their n-grams (unpartitioned)."""

import dataclasses
import time

import dagster as dg
from dagster_duckdb import DuckDBResource

from corpus_assets import warehouse
from corpus_assets.assets.factory import corpus_asset
from corpus_assets.assets.publish import closing_connection, fail_gate, passed_gate
from corpus_assets.checks import suites
from corpus_assets.checks.expectations import validate_frame
from corpus_assets.checks.metadata import markdown_table
from corpus_assets.decontam import (
    BenchmarkFormatError,
    benchmark_item_table,
    benchmark_ngram_table,
    benchmark_stats,
    load_benchmarks,
)
from corpus_assets.resources import CorpusConfigResource


# Unpartitioned, yet with a single-run backfill policy like the others: the CLI's --partition-range refuses
# a selection in which any asset lacks one.
@corpus_asset(gate="Every item named once, and indexed unless shorter than an n-gram.", step="decontaminate",
              kinds={"duckdb", "python"}, partitioned=False)
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
        warehouse.execute(conn, "eval_benchmarks/stage")
        warehouse.append_arrow(conn, "staging.eval_benchmark_items", items_table)
        warehouse.append_arrow(conn, "staging.eval_benchmark_ngrams", ngrams_table)
        audited = warehouse.execute(conn, "eval_benchmarks/audit", {"ngram_size": config.ngram_size})
        result = validate_frame("eval_benchmarks", suites.benchmark_item_expectations(),
                                audited.to_arrow_table().to_pandas(), ["benchmark", "item_id"])
        if result.passed:
            with warehouse.transaction(conn):
                warehouse.execute(conn, "eval_benchmarks/publish")
    if not result.passed:
        yield from fail_gate("eval_benchmarks", result.failure_dicts())
    yield dg.MaterializeResult(
        metadata={
            "dagster/row_count": items_table.num_rows,
            "ngrams": ngrams_table.num_rows,
            "benchmarks": dg.MetadataValue.md(markdown_table(stats)) if stats else "no benchmark configured",
            "files": dg.MetadataValue.json([str(p) for p in config.benchmarks]),
            "seconds": round(time.perf_counter() - started, 3),
        },
        check_results=[passed_gate()],
    )
