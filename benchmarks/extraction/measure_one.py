"""Measure one extractor in a process of its own, so its peak memory is its own: prints one JSON line."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from benchmarks.extraction.extractors import EXTRACTORS
from benchmarks.extraction.metric import load_aeb, score, split_dev_test
from corpus_assets.extract import decode_html


def measure(name: str, aeb_folder: Path) -> dict:
    pages = load_aeb(aeb_folder)
    # Every extractor gets the same text: bytes are decoded once, outside the timed part.
    html = {page.page_id: decode_html(page.html, None).text for page in pages}
    extract = EXTRACTORS[name]()
    extract(html[pages[0].page_id])  # warm-up: lazy imports and model loads are not per-page costs
    started_cpu, started = time.process_time(), time.perf_counter()
    predictions = {page.page_id: extract(html[page.page_id]) for page in pages}
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    result = {"name": name, "pages": len(pages), "pages_per_second": len(pages) / elapsed,
              "cpu_ms_per_page": 1000 * cpu / len(pages),
              "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if next(iter(predictions.values())) is not None:
        dev, test = split_dev_test(pages)
        for label, subset in (("all", pages), ("dev", dev), ("test", test)):
            measured = score((page.truth, predictions[page.page_id]) for page in subset)
            result[label] = {"f1": measured.f1, "precision": measured.precision, "recall": measured.recall}
    return result


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], Path(sys.argv[2]))))
