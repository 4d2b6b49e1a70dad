"""PII redaction on real text: precision and recall per type on a planted labelled set, near misses, pages/s.

    make benchmark-pii      (uv run --frozen python -m benchmarks.pii [ground-truth.json] [--seed N] [--repeat 5])

Texts are the `articleBody` fields of the article-extraction-benchmark's ground truth (181 news articles,
../shared/data/extraction/aeb/ground-truth.json by default). `build_labelled_set` plants values of every PII type
and near misses in them; the redactor is scored span by span (see `benchmarks.pii.scoring`). What it redacts in
the original, unplanted texts is listed on its own for inspection. Throughput is `redact_pii` over the original
texts, best of `--repeat` runs, on one core.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.pii.labelled_set import build_labelled_set
from benchmarks.pii.scoring import markdown_table, score
from corpus_assets.privacy import PrivacyConfig, find_pii, redact_pii

DEFAULT_TEXTS = Path(__file__).resolve().parents[2].parent / "shared/data/extraction/aeb/ground-truth.json"


def _pages_per_second(texts: Sequence[str], config: PrivacyConfig, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for text in texts:
            redact_pii(text, config)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best


def main(argv: Sequence[str] | None = None) -> None:
    """Build the labelled set, score the redactor on it, list its findings in the original texts, time it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("texts", nargs="?", type=Path, default=DEFAULT_TEXTS, help="ground-truth.json of AEB")
    parser.add_argument("--seed", type=int, default=20261202, help="seed of the planted values")
    parser.add_argument("--per-type", type=int, default=2, help="values planted per PII type and per near-miss kind")
    parser.add_argument("--repeat", type=int, default=5, help="timing runs; the fastest is reported")
    args = parser.parse_args(argv)
    if not args.texts.is_file():
        parser.exit(2, f"no texts to plant PII in: {args.texts} is missing (the shared data folder ../shared/data "
                       "beside the checkout holds it)\n")
    texts = {page_id: page["articleBody"] for page_id, page in
             json.loads(args.texts.read_text(encoding="utf-8")).items()}
    config = PrivacyConfig()
    pages = build_labelled_set(texts, seed=args.seed, pii_per_type=args.per_type, near_misses_per_kind=args.per_type)
    scores = score(pages, config)
    print(f"{len(pages)} AEB texts, {args.per_type} values of each PII type and near-miss kind planted in each "
          f"(seed {args.seed}), default PrivacyConfig\n")
    print(markdown_table(scores))
    for page_id, planted in scores.misses:
        print(f"missed {planted.label}: {planted.value!r} ({page_id[:12]})")
    for page_id, pii_type, context in scores.false_positive_examples:
        print(f"false positive {pii_type}: {context!r} ({page_id[:12]})")

    print("\nRedactions in the original, unplanted texts (unlabelled: judge each):")
    for page_id in sorted(texts):
        text = texts[page_id]
        for start, end, pii_type in find_pii(text, config):
            print(f"  {pii_type:<12} {text[start:end]!r:<32} ...{text[max(0, start - 40):start]!r} ({page_id[:12]})")

    original = [texts[page_id] for page_id in sorted(texts)]
    # The largest pages the pipeline keeps are around 50 kB: ten AEB texts end to end stand in for them.
    joined = ["\n\n".join(original[start:start + 10]) for start in range(0, len(original), 10)]
    print()
    for name, pages_timed in (("original texts", original), ("texts joined ten by ten", joined)):
        rate = _pages_per_second(pages_timed, config, args.repeat)
        megabytes = sum(len(text.encode()) for text in pages_timed) / 1e6
        print(f"redact_pii over the {len(pages_timed)} {name} ({megabytes / len(pages_timed) * 1e3:.1f} kB each on "
              f"average): {rate:,.0f} pages/s, {rate * megabytes / len(pages_timed):.2f} MB/s, best of {args.repeat}, "
              "one core")


if __name__ == "__main__":
    main()
