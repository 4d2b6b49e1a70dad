"""`eval_benchmarks`: the evaluation items the corpus must not contain, with their n-grams (unpartitioned)."""

import json
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
    IndexFingerprint,
    benchmark_tables,
    index_fingerprint,
    load_benchmarks,
)
from corpus_assets.decontam.config import DecontamConfig
from corpus_assets.resources import CorpusConfigResource


def _benchmark_failure(error: Exception) -> dg.Failure:
    # A broken or missing file fails the same way on every retry.
    return dg.Failure(description=str(error), allow_retries=False)


def _stage_and_publish(conn, config: DecontamConfig, fingerprint: IndexFingerprint, items_table, ngrams_table):
    """Stage and audit the benchmark tables; publish them with their fingerprint if the audit passes."""
    warehouse.execute(conn, "eval_benchmarks/stage")
    warehouse.append_arrow(conn, "staging.eval_benchmark_items", items_table)
    warehouse.append_arrow(conn, "staging.eval_benchmark_ngrams", ngrams_table)
    audited = warehouse.execute(conn, "eval_benchmarks/audit", {"ngram_size": config.ngram_size})
    result = validate_frame("eval_benchmarks", suites.benchmark_item_expectations(),
                            audited.to_arrow_table().to_pandas(), ["benchmark", "item_id"])
    if result.passed:
        with warehouse.transaction(conn):
            warehouse.execute(conn, "eval_benchmarks/publish")
            # Counted once here, from the published rows: a reusing run reads them from the record.
            stats = warehouse.execute(conn, "eval_benchmarks/stats", {"ngram_size": config.ngram_size})
            warehouse.execute(conn, "eval_benchmarks/record_index", {
                "fingerprint": fingerprint.digest, "index_version": fingerprint.version,
                "inputs": json.dumps(fingerprint.as_dict()),
                "benchmarks": json.dumps(stats.to_arrow_table().to_pylist())})
    return result


# Unpartitioned, yet with a single-run backfill policy like the others: the CLI's --partition-range refuses
# a selection in which any asset lacks one.
@corpus_asset(gate="Every item named once, and indexed unless shorter than an n-gram.", step="decontaminate",
              kinds={"duckdb", "python"}, partitioned=False)
def eval_benchmarks(context: dg.AssetExecutionContext, corpus: CorpusConfigResource, warehouse_db: DuckDBResource):
    """The evaluation benchmarks the corpus must not contain, one row per item, with their word n-grams.

    Loaded from the JSONL, JSONL.gz and CSV files of `decontamination.benchmarks` (MMLU, HumanEval, the
    llm-foundry gauntlet shapes); a file that cannot be read is an error naming the file, line and field.
    N-grams are word n-grams of normalised text (`decontamination.ngram_size`, 6 by default;
    `eval_benchmark_ngrams`); items shorter than that are counted, not indexed. Which n-grams are templates, and how
    many of an item's a page must share, is decided by `final_set` from these rows (decontam/rule.py). With no
    benchmark configured the tables are empty and `final_set` passes pages through.

    Indexed once: the published tables are recorded with a fingerprint of what they were computed from (the sha256
    and path of every benchmark file, `ngram_size`, `short_ngram_min_words`, the indexing code's version) in
    `eval_benchmark_index`. A run whose fingerprint equals the recorded one only hashes the files and reuses the
    published tables (metadata `reused`: true; their gate passed when they were published); a changed, added or
    removed file or setting indexes again.
    """
    config = corpus.load().decontamination
    started = time.perf_counter()
    try:
        fingerprint = index_fingerprint(config)
    except (BenchmarkFormatError, FileNotFoundError) as error:
        raise _benchmark_failure(error) from None
    fingerprint_seconds = time.perf_counter() - started
    with closing_connection(warehouse_db) as conn:
        warehouse.ensure_schema(conn)
        record = warehouse.execute(conn, "eval_benchmarks/published_index").fetchone()
    # Rows added or deleted since publishing (by hand) make the record stale: index again rather than trust it.
    reused = record is not None and record[0] == fingerprint.digest and bool(record[2])
    if not reused:
        # Indexed with no connection open, as before: other runs can use the warehouse meanwhile.
        try:
            items = load_benchmarks(config.benchmarks)
        except BenchmarkFormatError as error:
            raise _benchmark_failure(error) from None
        tables = benchmark_tables(items, config.ngram_size, config.short_ngram_min_words)
        with closing_connection(warehouse_db) as conn:
            warehouse.ensure_schema(conn)
            result = _stage_and_publish(conn, config, fingerprint, *tables)
            if result.passed:
                record = warehouse.execute(conn, "eval_benchmarks/published_index").fetchone()
        if not result.passed:
            yield from fail_gate("eval_benchmarks", result.failure_dicts())
    _, published_at, _, items_count, ngrams_count, stats = record
    stats = json.loads(stats)
    yield dg.MaterializeResult(
        metadata={
            "reused": reused,
            "fingerprint": fingerprint.digest,
            "published_at": published_at.isoformat(),
            "dagster/row_count": items_count,
            "ngrams": ngrams_count,
            "benchmarks": dg.MetadataValue.md(markdown_table(stats)) if stats else "no benchmark configured",
            "files": dg.MetadataValue.json([f.path for f in fingerprint.files]),
            "fingerprint_seconds": round(fingerprint_seconds, 3),
            "seconds": round(time.perf_counter() - started, 3),
        },
        check_results=[passed_gate(reused=reused)],
    )
