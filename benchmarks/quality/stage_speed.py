"""CPU pages/s of the quality stage's work (`filter_batch`: blocklist, filters, obscenity, redaction) on the quality
test set, in one process.

It imports nothing of the benchmarks, so it can measure another checkout of the project on the same pages, which
is how a change to the stage is compared with the commit before it:

    git worktree add /tmp/before <commit>
    cd /tmp/before && PYTHONPATH=. <venv>/bin/python /path/to/benchmarks/quality/stage_speed.py TESTSET.jsonl.gz

(`make benchmark-quality` builds the test set and prints the same figures for the working tree.) Each language's
tokenizer is loaded before the clock starts and its loading timed apart: a process pays it once, whatever the
number of pages.
"""

from __future__ import annotations

import datetime
import gzip
import json
import sys
import time
from pathlib import Path

import pyarrow as pa

from corpus_assets.privacy import PrivacyConfig
from corpus_assets.quality import QualityConfig
from corpus_assets.quality.batch import filter_batch
from corpus_assets.safety import SafetyConfig, shipped_lists


def load_tokenizers(languages: set[str]) -> float:
    """Load every language's tokenizer; the CPU seconds it took (0 for a checkout without them)."""
    try:
        from corpus_assets.quality.words import word_tokenizer
    except ImportError:
        return 0.0
    started = time.process_time()
    for language in languages:
        word_tokenizer(language).split_into_words("Warm up.")
    return time.process_time() - started


def stage_pages_per_second(pages: list[dict]) -> float:
    """CPU pages/s of `filter_batch` over `pages` ({id, text, language}) in batches of 1,000."""
    day = datetime.date(2026, 1, 1)
    shipped_lists()  # the blocklist is read once per process, before the clock
    started = time.process_time()
    for start in range(0, len(pages), 1000):
        rows = [{"page_id": page["id"], "crawl_date": day, "url": f"https://example.org/{page['id']}",
                 "title": None, "text": page["text"], "language": page["language"]}
                for page in pages[start:start + 1000]]
        filter_batch(pa.RecordBatch.from_pylist(rows), QualityConfig(), SafetyConfig(), PrivacyConfig())
    return len(pages) / (time.process_time() - started)


def speed_lines(pages: list[dict]) -> list[str]:
    """The loading time and the pages/s over the English pages and over all of them."""
    loading = load_tokenizers({page["language"] for page in pages})
    english = [page for page in pages if page["language"] == "en"]
    return [f"tokenizers of {len({page['language'] for page in pages})} languages loaded in {loading:.1f} CPU s",
            f"quality stage, {len(english)} English pages: {stage_pages_per_second(english):,.1f} pages/s (CPU)",
            f"quality stage, all {len(pages)} pages: {stage_pages_per_second(pages):,.1f} pages/s (CPU)"]


def main() -> None:
    with gzip.open(Path(sys.argv[1]), "rt", encoding="utf-8") as lines:
        pages = [json.loads(line) for line in lines]
    print("\n".join(speed_lines(pages)))


if __name__ == "__main__":
    main()
