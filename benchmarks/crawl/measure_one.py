"""One crawl of the site at a URL, in a process of its own so its CPU time and peak memory are its own."""

from __future__ import annotations

import datetime as dt
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from corpus_assets.crawl.archive import CrawlArchive
from corpus_assets.crawl.config import CrawlConfig
from corpus_assets.crawl.crawler import Crawler


def crawl(seed: str, max_pages: int, workers: int) -> dict:
    # Politeness off (no delay, as many requests to the one host as there are workers): the point is what the
    # crawler itself costs, not the delays it would keep.
    config = CrawlConfig(allow_private_networks=["127.0.0.1/32"], delay_seconds=0.0, max_pages=max_pages,
                         max_depth=100, workers=workers,
                         per_host_concurrency=workers)
    with tempfile.TemporaryDirectory() as folder:
        archive = CrawlArchive(Path(folder) / "archive")
        started_cpu, started = time.process_time(), time.perf_counter()
        summary = Crawler(config, archive, dt.date(2026, 11, 20)).run([seed])
        elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        archived_mb = sum(p.stat().st_size for p in archive.warc_files()) / 2**20
    pages = summary.outcomes.get("fetched", 0)
    tool = f"corpus_assets crawler, {workers} worker{'s' if workers > 1 else ''}"
    return {"tool": tool, "pages": pages, "seconds": elapsed, "cpu_seconds": cpu,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "archived_mb": archived_mb,
            "outcomes": dict(summary.outcomes)}


if __name__ == "__main__":
    print(json.dumps(crawl(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
