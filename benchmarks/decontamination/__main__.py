"""Measure decontamination on the shared data: the per-benchmark table, loading time, n-gram throughput, and the
recall and false positives of the default overlap rule beside GPT-3's one-13-gram rule on a planted set.

    make benchmark-decontamination      (uv run --frozen python -m benchmarks.decontamination [../shared/data])

Loads every benchmark under `benchmarks/`, prints items, distinct 13-grams and short items per benchmark, then
times hashing the 181 article texts of `extraction/aeb/ground-truth.json` (each timing is the best of 3 runs, so
that a cold cache or a busy machine does not set the figure) and matching them against the full index, with each
rule. Then plants MMLU items into those articles (planted.py: verbatim, reformatted, 1 to 3 words edited, and
held-out controls of the same subjects), indexes every benchmark but the controls, and prints the recall of each
rule by edit and question length, and every control page it flags.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from benchmarks.decontamination.planted import planted_set, read_articles
from benchmarks.decontamination.recall import evaluate, recall_table
from corpus_assets.decontam.config import DecontamConfig
from corpus_assets.decontam.eval_sets import load_benchmarks
from corpus_assets.decontam.index import ContaminationIndex
from corpus_assets.decontam.ngrams import DEFAULT_NGRAM_SIZE, normalized_for_matching
from corpus_assets.decontam.rule import ANY_NGRAM
from corpus_assets.decontam.stats import benchmark_stats
from corpus_assets.decontam.tables import benchmark_ngram_table, document_ngram_table

T = TypeVar("T")
DEFAULT_SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
PLANTED_ITEMS = 400
SEED = 14


def best_of(runs: int, work: Callable[[], T]) -> tuple[float, T]:
    """The shortest wall time of `runs` calls of `work`, and the last call's result."""
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv: list[str] | None = None) -> None:
    """Print the benchmark table and the timings for the shared data folder given on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared_data", type=Path, nargs="?", default=DEFAULT_SHARED_DATA,
                        help="the shared data folder (default: ../shared/data beside the checkout)")
    parser.add_argument("--ngram-size", type=int, default=DEFAULT_NGRAM_SIZE,
                        help="the n of the per-benchmark table and of the plain any-n-gram rule (default 13)")
    parser.add_argument("--planted", type=int, default=PLANTED_ITEMS, help="MMLU items to plant (and controls)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if not (args.shared_data / "benchmarks").is_dir():
        parser.exit(2, f"no evaluation sets to index: {args.shared_data / 'benchmarks'} is missing (the shared data "
                       "folder ../shared/data beside the checkout holds them)\n")
    n = args.ngram_size

    load_seconds, items = best_of(3, lambda: load_benchmarks([args.shared_data / "benchmarks"]))
    stats = benchmark_stats(items, n)
    print(f"| benchmark | items | distinct {n}-grams | items < {n} words |\n|---|---:|---:|---:|")
    for row in stats:
        print(f"| {row.benchmark} | {row.items} | {row.ngrams} | {row.short_items} |")
    print(f"| all | {len(items)} | {sum(r.ngrams for r in stats)} | {sum(r.short_items for r in stats)} |\n")
    print(f"load {len(items)} items from {args.shared_data / 'benchmarks'}: {load_seconds:.2f} s")
    table_seconds, table = best_of(1, lambda: benchmark_ngram_table(items, n))
    print(f"benchmark_ngram_table: {table.num_rows} rows in {table_seconds:.1f} s")
    index_seconds, index = best_of(1, lambda: ContaminationIndex.from_items(items, n))
    print(f"ContaminationIndex.from_items: {len(index)} hashes in {index_seconds:.1f} s\n")

    articles = read_articles(args.shared_data / "extraction" / "aeb" / "ground-truth.json")
    ids, texts = [key for key, _ in articles], [text for _, text in articles]
    megabytes = sum(len(text.encode()) for text in texts) / 1e6
    words = sum(len(normalized_for_matching(text).split()) for text in texts)
    normalize_seconds, _ = best_of(3, lambda: [normalized_for_matching(text) for text in texts])
    print(f"{len(texts)} articles, {megabytes:.2f} MB, {words} words; normalising alone: {normalize_seconds:.3f} s")
    for include_text in (True, False):
        seconds, pages = best_of(3, lambda: document_ngram_table(ids, texts, (n,), include_text=include_text))
        print(f"document_ngram_table(include_text={include_text}): {pages.num_rows} n-grams in {seconds:.3f} s = "
              f"{pages.num_rows / seconds:,.0f} n-grams/s, {megabytes / seconds:.2f} MB/s")
    overlap = DecontamConfig()
    overlap_seconds, overlap_index = best_of(1, lambda: ContaminationIndex.from_items(
        items, overlap.ngram_size, overlap.short_ngram_min_words, overlap.rule))
    print(f"ContaminationIndex.from_items, n = {overlap.ngram_size}: {len(overlap_index)} hashes in "
          f"{overlap_seconds:.1f} s\n")
    match_seconds, found = best_of(3, lambda: [index.first_match(text) for text in texts])
    print(f"first_match against the full index: {len(texts) / match_seconds:,.0f} articles/s, "
          f"{words / match_seconds:,.0f} words/s; {sum(m is not None for m in found)} articles match")
    for key, match in zip(ids, found, strict=True):
        if match is not None:
            print(f"  {key}: {match}")
    rules = {f"any {n}-gram": index, f"overlap, n = {overlap.ngram_size} (default)": overlap_index}
    for name, rule_index in rules.items():
        seconds, verdicts = best_of(3, lambda i=rule_index: [i.contamination(text) for text in texts])
        print(f"contamination, {name}: {len(texts) / seconds:,.0f} articles/s, {words / seconds:,.0f} words/s; "
              f"{sum(v is not None for v in verdicts)} articles contaminated")
        for key, verdict in zip(ids, verdicts, strict=True):
            if verdict is not None:
                print(f"  {key}: {verdict.evidence()}")
    index = overlap_index = rules = None  # the planted set needs two indexes of its own: free these first
    print_planted(args, items, articles, n, overlap)


def print_planted(args: argparse.Namespace, items: list, articles: list[tuple[str, str]], n: int,
                  overlap: DecontamConfig) -> None:
    """Plant MMLU items and controls into the articles, index every benchmark but the controls, and print each
    rule's recall table and the controls it flags."""
    planted = planted_set(items, articles, args.planted, args.seed)
    indexed = [item for item in items if (item.benchmark, item.item_id) not in planted.held_out]
    print(f"\n## Planted set: {args.planted} MMLU items (seed {args.seed}) in {len(planted.targets)} pages, "
          f"{len(planted.controls)} controls held out of the index\n")
    for name, index in ((f"any {n}-gram (GPT-3)", ContaminationIndex.from_items(indexed, n, None, ANY_NGRAM)),
                        (f"overlap, n = {overlap.ngram_size}: {overlap.rule.describe()} (default)",
                         ContaminationIndex.from_items(indexed, overlap.ngram_size, overlap.short_ngram_min_words,
                                                       overlap.rule))):
        result = evaluate(index, planted)
        print(f"### {name}\n\nRecall (found and attributed to the planted item):\n\n{recall_table(result)}\n")
        print(f"False positives: {len(result.flagged_controls)} of {result.controls} controls flagged")
        for page, attributed in result.flagged_controls:
            print(f"  - control {page.item.benchmark} {page.item.item_id} in {page.article_id}: {attributed}")
        print()


if __name__ == "__main__":
    main()
