"""`make readme-figures`: the README's example run, done for real and written back into the README.

Serves Debian's PostgreSQL 15 documentation (the newer of the two versions apt offers; `benchmarks/debian_docs.py`)
on 127.0.0.1:8765, the seed of `examples/offline.yaml`, runs `python -m corpus_assets.cli run --date 2026-11-20`
with that config in a fresh folder (a first crawl, then a replay of its archive), and replaces the block between
`<!-- offline-run:begin -->` and `<!-- offline-run:end -->` in README.md with the command, the wall times and the
funnel the run printed. Nothing in that block is written by hand.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks.debian_docs import PackageUnavailable, postgresql_doc_sites
from benchmarks.loopback import serve

REPO_ROOT = Path(__file__).resolve().parents[2]
README = REPO_ROOT / "README.md"
EXAMPLE = REPO_ROOT / "examples" / "offline.yaml"
DATE = "2026-11-20"
PORT = 8765
BEGIN, END = "<!-- offline-run:begin -->", "<!-- offline-run:end -->"


def timed_run(config: Path, home: Path) -> tuple[float, str]:
    """Wall seconds and standard output of one `make run`-equivalent over `config`."""
    env = {**os.environ, "CORPUS_CONFIG": str(config), "DAGSTER_HOME": str(home)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "corpus_assets.cli", "run", "--date", DATE], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"the run failed:\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def funnel_of(stdout: str) -> str:
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("stage "))
    return "\n".join(line.rstrip() for line in lines[start:start + 7])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="print the block, do not write the README")
    args = parser.parse_args()
    try:
        _, site = postgresql_doc_sites()
    except PackageUnavailable as error:
        print(f"no site to run on: {error}", file=sys.stderr)
        return 2
    version = site.parents[4].name.split("_")[1]  # postgresql-doc-15_<version>/usr/share/doc/postgresql-doc-15/html
    server = serve(site, PORT)
    try:
        with tempfile.TemporaryDirectory() as folder:
            settings = yaml.safe_load(EXAMPLE.read_text())
            settings.update(warehouse=str(Path(folder) / "warehouse.duckdb"), archive_dir=str(Path(folder) / "archive"))
            config = Path(folder) / "offline.yaml"
            config.write_text(yaml.safe_dump(settings))
            home = Path(folder) / "dagster"
            crawl_seconds, _ = timed_run(config, home)
            replay_seconds, stdout = timed_run(config, home)
    finally:
        server.shutdown()
    block = (
        f"{BEGIN}\nThis is a real run over Debian's PostgreSQL documentation ({version}) served on loopback "
        f"(`CORPUS_CONFIG=examples/offline.yaml make run DATE={DATE}`: {crawl_seconds:.0f} s with the crawl, "
        f"{replay_seconds:.0f} s replaying its archive, on a 2-core machine; `make readme-figures` ran it and wrote "
        f"this paragraph):\n\n```\n{funnel_of(stdout)}\n```\n{END}"
    )
    if args.check:
        print(block)
        return 0
    text = README.read_text()
    if BEGIN not in text or END not in text:
        raise SystemExit(f"README.md has no {BEGIN} ... {END} block to replace")
    README.write_text(re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S))
    print(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
