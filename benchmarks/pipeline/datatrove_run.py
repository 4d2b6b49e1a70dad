"""datatrove's FineWeb pipeline over a list of WARC files: the reference `make benchmark-pipeline` compares with.

Run by the python of datatrove's own environment (never the project's: datatrove is no project dependency), so it
imports only datatrove and the standard library:

    <datatrove-venv>/bin/python benchmarks/pipeline/datatrove_run.py --work-dir DIR --json-out OUT FILE.warc.gz...

The steps and settings are those of datatrove's `examples/fineweb.py`, run with `LocalPipelineExecutor`:

1. WarcReader -> Trafilatura(favour_precision=True) -> GopherRepetitionFilter -> GopherQualityFilter ->
   C4QualityFilter(filter_no_terminal_punct=False) -> FineWebQualityFilter -> JsonlWriter
2. MinHash (5-grams, 14 buckets x 8 hashes, 64-bit xxhash): signatures, buckets, cluster, filter -> JsonlWriter

Trafilatura's timeout per page is 30 s instead of datatrove's 1 s: on a shared machine whose load is several
times its cores, a page that takes 50 ms of CPU can take over a second of wall time, and at 1 s most pages were
dropped as timeouts. Left out of FineWeb's list: URLFilter (a blocklist of adult domains; none here), LanguageFilter and TokensCounter
(their fastText model and tokenizer are downloaded from a hub at run time, which this machine cannot reach).
FineWeb filters before it deduplicates; corpus_assets deduplicates before it filters: the same work, in another
order.

Each stage runs `--tasks` tasks on `--workers` processes (fork, so every process is a descendant that is waited
for and its CPU time reaches this process's RUSAGE_CHILDREN). Writes a JSON object to `--json-out`: pages read,
pages out, and wall and CPU seconds of each stage.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup import MinhashDedupCluster, MinhashDedupFilter, MinhashDedupSignature
from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupBuckets
from datatrove.pipeline.extractors import Trafilatura
from datatrove.pipeline.filters import (
    C4QualityFilter,
    FineWebQualityFilter,
    GopherQualityFilter,
    GopherRepetitionFilter,
)
from datatrove.pipeline.readers import JsonlReader, WarcReader
from datatrove.pipeline.writers.jsonl import JsonlWriter
from datatrove.utils.hashing import HashConfig


def cpu_seconds() -> float:
    """User + system CPU of this process and of every descendant waited for so far."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def documents(stats_file: Path, step_prefix: str, key: str) -> int:
    """A document count from a stage's merged stats.json (`key` of the first step whose name starts so)."""
    for step in json.loads(stats_file.read_text()):
        if step["name"].startswith(step_prefix):
            value = step["stats"].get(key, 0)
            return int(value["total"] if isinstance(value, dict) else value)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warc_files", nargs="+", type=Path)
    parser.add_argument("--work-dir", type=Path, required=True, help="an empty folder for inputs, outputs, logs")
    parser.add_argument("--json-out", type=Path, required=True)
    parser.add_argument("--tasks", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--extract-timeout", type=float, default=30.0,
                        help="seconds per page before Trafilatura gives up (FineWeb: 1, on dedicated cores)")
    parser.add_argument("--limit", type=int, default=-1, help="documents read per task at most (-1: all)")
    args = parser.parse_args()

    work = args.work_dir.resolve()
    inputs = work / "input"
    inputs.mkdir(parents=True, exist_ok=False)
    for file in args.warc_files:  # WarcReader reads a folder: one link per file of this fraction
        os.symlink(file.resolve(), inputs / file.name)
    filtered, minhash, out, logs = work / "filtered", work / "minhash", work / "output", work / "logs"
    minhash_config = MinhashConfig(n_grams=5, num_buckets=14, hashes_per_bucket=8,
                                   hash_config=HashConfig(precision=64))
    local = {"start_method": "fork", "skip_completed": False}
    stages = {
        "extract+filter": LocalPipelineExecutor(
            pipeline=[
                WarcReader(str(inputs), glob_pattern="*.warc.gz", limit=args.limit),
                Trafilatura(favour_precision=True, timeout=args.extract_timeout),
                GopherRepetitionFilter(),
                GopherQualityFilter(),
                C4QualityFilter(filter_no_terminal_punct=False),
                FineWebQualityFilter(),
                JsonlWriter(str(filtered)),
            ],
            tasks=args.tasks, workers=args.workers, logging_dir=str(logs / "filter"), **local),
        "minhash signatures": LocalPipelineExecutor(
            pipeline=[JsonlReader(str(filtered)),
                      MinhashDedupSignature(output_folder=str(minhash / "signatures"), config=minhash_config)],
            tasks=args.tasks, workers=args.workers, logging_dir=str(logs / "signatures"), **local),
        "minhash buckets": LocalPipelineExecutor(
            pipeline=[MinhashDedupBuckets(input_folder=str(minhash / "signatures"),
                                          output_folder=str(minhash / "buckets"), config=minhash_config)],
            tasks=minhash_config.num_buckets, workers=args.workers, logging_dir=str(logs / "buckets"), **local),
        "minhash cluster": LocalPipelineExecutor(
            pipeline=[MinhashDedupCluster(input_folder=str(minhash / "buckets"),
                                          output_folder=str(minhash / "remove_ids"), config=minhash_config)],
            tasks=1, workers=1, logging_dir=str(logs / "cluster"), **local),
        "minhash filter": LocalPipelineExecutor(
            pipeline=[JsonlReader(str(filtered)), MinhashDedupFilter(input_folder=str(minhash / "remove_ids")),
                      JsonlWriter(str(out))],
            tasks=args.tasks, workers=args.workers, logging_dir=str(logs / "filter_dedup"), **local),
    }
    result: dict = {"stages": []}
    started_wall, started_cpu = time.perf_counter(), cpu_seconds()
    for name, executor in stages.items():
        wall, cpu = time.perf_counter(), cpu_seconds()
        executor.run()
        result["stages"].append({"stage": name, "wall_seconds": time.perf_counter() - wall,
                                 "cpu_seconds": cpu_seconds() - cpu})
    result["wall_seconds"] = time.perf_counter() - started_wall
    result["cpu_seconds"] = cpu_seconds() - started_cpu
    result["pages_in"] = documents(logs / "filter" / "stats.json", "📖 - READER", "documents")
    result["pages_extracted"] = documents(logs / "filter" / "stats.json", "🛢 - EXTRAC", "forwarded")
    result["pages_filtered"] = documents(logs / "filter" / "stats.json", "💽 - WRITER", "total")
    result["pages_out"] = documents(logs / "filter_dedup" / "stats.json", "💽 - WRITER", "total")
    result["stats_files"] = str(logs)
    args.json_out.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
