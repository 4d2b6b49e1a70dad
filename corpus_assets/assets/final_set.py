"""`final_set`: the corpus, the filtered pages that share too little of any evaluation-benchmark item to be
contaminated by it (the overlap rule of `decontamination`)."""

import datetime as dt
from typing import Any

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from corpus_assets import warehouse
from corpus_assets.assets.eval_benchmarks import eval_benchmarks
from corpus_assets.assets.factory import stage_asset
from corpus_assets.assets.filtered_text import filtered_text
from corpus_assets.assets.publish import closing_connection, per_document_pool, publish_each_date
from corpus_assets.checks.gate import PartitionGate
from corpus_assets.decontam import ContaminationIndex
from corpus_assets.decontam.batch import decontaminate_batch
from corpus_assets.decontam.config import DecontamConfig
from corpus_assets.resources import CorpusConfigResource
from corpus_assets.stages import FINAL_SET


def _published_index(conn: duckdb.DuckDBPyConnection, config: DecontamConfig) -> tuple[ContaminationIndex, list[int]]:
    """The in-memory matcher over the published benchmark n-grams, with the config's overlap rule, and the n-gram
    sizes to cut pages into.

    Built from the n-gram table `eval_benchmarks` published rather than from its items: normalising and hashing
    every item again, for every date of every run, cost as much as indexing them had.
    """
    ngrams = warehouse.execute(conn, "final_set/benchmark_ngrams").to_arrow_table()
    sizes = [size for (size,) in warehouse.execute(conn, "final_set/benchmark_ngram_sizes").fetchall()]
    return ContaminationIndex.from_ngram_table(ngrams, config.ngram_size, config.rule), sizes


@stage_asset(FINAL_SET, deps=[filtered_text, eval_benchmarks])
def final_set(context: dg.AssetExecutionContext, corpus: CorpusConfigResource, warehouse_db: DuckDBResource):
    """The corpus: filtered pages not contaminated by any registered evaluation benchmark item.

    A page is contaminated by an item when it shares enough of the item's specific word n-grams (n-grams of
    fewer items than a template; `decontamination.min_shared_ngrams` and `min_shared_fraction`). It is dropped
    naming the benchmark, the item, how many of its n-grams the page shares and the first of them. The gate does
    not trust the matcher: it recounts the same rule in SQL over the kept pages' n-grams and
    `eval_benchmark_ngrams`, and must find no contaminated page. With no benchmark configured, pages pass through
    and the metadata says so.
    """
    config = corpus.load()
    # The benchmarks are the same for every date of the run: the index is built once and reaches each worker once.
    with closing_connection(warehouse_db) as conn:
        warehouse.ensure_schema(conn)
        index, sizes = _published_index(conn, config.decontamination)
    pool = per_document_pool(config, decontaminate_batch, index, sizes)

    def decontaminate(gate: PartitionGate, crawl_date: dt.date) -> dict[str, Any]:
        warehouse.execute(gate.conn, "final_set/stage_ngrams")
        for rows, drops, ngrams in pool.map(gate.read_batches("final_set/pages_in")):
            gate.add_rows(rows)
            gate.add_drops(drops)
            if ngrams is not None:
                warehouse.append_arrow(gate.conn, "staging.final_set_ngrams", ngrams)
        return {"workers": pool.workers,
                "benchmarks": "none configured: pages passed through" if not sizes
                else dg.MetadataValue.json({"indexed_ngrams": len(index), "ngram_sizes": sizes,
                                            "rule": index.rule.describe()})}

    with pool:
        yield from publish_each_date(context, warehouse_db, FINAL_SET, config, decontaminate)
