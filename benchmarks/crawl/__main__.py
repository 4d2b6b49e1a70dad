"""`uv run --frozen python -m benchmarks.crawl`: crawl Debian's PostgreSQL 15 documentation (about 1,170 pages)
served on 127.0.0.1 with politeness off, and wget's recursive crawl of the same site in the same run.

Ratios, not absolute times, are what carry from one machine to another. The crawler writes every request and
response to gzip WARC and parses every page for links; wget writes plain files and does the same parsing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.debian_docs import PackageUnavailable, postgresql_doc_sites
from benchmarks.loopback import serve

REPO_ROOT = Path(__file__).resolve().parents[2]


# Runs a command and reports its own CPU time and peak memory: RUSAGE_CHILDREN of this small parent covers that
# one command only, not everything the benchmark has run before it.
_MEASURED = """
import json, resource, subprocess, sys
subprocess.run(sys.argv[1:], check=False)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024}))
"""


def measure_wget(seed: str) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _MEASURED, "wget", "--recursive", "--level=inf", "--no-parent", "--quiet",
             "--no-host-directories", "-P", folder, seed], capture_output=True, text=True, check=True)
        elapsed = time.perf_counter() - started
        pages = sum(1 for _ in Path(folder).rglob("*.html"))
    return {"tool": "wget --recursive", "pages": pages, "seconds": elapsed, "archived_mb": None,
            **json.loads(done.stdout.strip().splitlines()[-1])}


def measure_crawler(seed: str, max_pages: int, workers: int) -> dict:
    done = subprocess.run([sys.executable, "-m", "benchmarks.crawl.measure_one", seed, str(max_pages), str(workers)],
                          cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an HTML folder to serve (default: postgresql-doc-15 from apt)")
    parser.add_argument("--max-pages", type=int, default=5000)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 8])
    args = parser.parse_args()
    folder = args.site
    if folder is None:
        try:
            _, folder = postgresql_doc_sites()
        except PackageUnavailable as error:
            print(f"no site to crawl: {error}", file=sys.stderr)
            return 2
    server = serve(folder)
    seed = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    results = [measure_crawler(seed, args.max_pages, workers) for workers in args.workers]
    if shutil.which("wget"):
        results.append(measure_wget(seed))
    server.shutdown()
    reference = results[-1] if len(results) > 1 else None
    print(f"\nCrawl of {folder} on 127.0.0.1, politeness off\n")
    print("| tool | pages | pages/s | CPU ms/page | peak RSS MB | WARC MB | pages/s vs wget |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        rate = r["pages"] / r["seconds"]
        ratio = f"{rate / (reference['pages'] / reference['seconds']):.2f}" if reference else "-"
        archived = f"{r['archived_mb']:.1f}" if r["archived_mb"] is not None else "-"
        print(f"| {r['tool']} | {r['pages']} | {rate:.0f} | {1000 * r['cpu_seconds'] / max(r['pages'], 1):.2f} | "
              f"{r['peak_rss_mb']:.0f} | {archived} | {ratio} |")
    print(f"\ncrawler outcomes: {results[0]['outcomes']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
