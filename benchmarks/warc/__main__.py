"""Reading WARC files: the pipeline's reader (FastWARC, the recovery reader where FastWARC is in doubt) against
the recovery reader alone (what the pipeline used before), warcio and FastWARC, on the same files in one run.

    make benchmark-warc      (uv run --frozen python -m benchmarks.warc [--repeat 3] [--no-large])

Two corpora: every WARC file under ../shared/data/warc (small, many of them damaged on purpose) and a larger gzip
WARC of Debian's PostgreSQL documentation written once into ~/.cache/corpus_assets_bench (benchmarks/warc/
corpus.py). Records are HTTP response records given back (the pipeline's readers) or read with their bodies
(warcio: content_stream().read(), decoded; FastWARC: parse_http, reader.read(), auto_decode="all"); MB is the
size of the files as stored. Each reader's best of `--repeat` runs is reported, in CPU seconds of one core;
ratios, not absolute times, are what carry from one machine to another.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from fastwarc.warc import ArchiveIterator as FastArchiveIterator
from fastwarc.warc import WarcRecordType
from warcio.archiveiterator import ArchiveIterator

from benchmarks.debian_docs import PackageUnavailable
from benchmarks.warc.corpus import postgresql_docs_warc
from corpus_assets.crawl.warc_source import WarcReadStats, iter_recovered_responses, iter_warc_responses

SHARED_WARC = Path(__file__).resolve().parents[2].parent / "shared/data/warc"


def pipeline_reader(path: Path) -> int:
    return sum(1 for _ in iter_warc_responses(path, WarcReadStats()))


def recovery_reader(path: Path) -> int:
    return sum(1 for _ in iter_recovered_responses(path, WarcReadStats()))


def warcio_reader(path: Path) -> int:
    count = 0
    with open(path, "rb") as stream:
        try:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    record.content_stream().read()
                    count += 1
        except Exception:  # warcio stops at the first record it cannot read (a damaged file): so be it
            pass
    return count


def fastwarc_reader(path: Path) -> int:
    count = 0
    try:
        for record in FastArchiveIterator(str(path), record_types=WarcRecordType.response, parse_http=True,
                                          auto_decode="all"):
            record.reader.read()
            count += 1
    except Exception:  # as warcio: FastWARC raises at the first damage and reads no further
        pass
    return count


READERS: list[tuple[str, Callable[[Path], int]]] = [
    ("pipeline (FastWARC, recovery where in doubt)", pipeline_reader),
    ("recovery reader alone (before)", recovery_reader),
    ("warcio ArchiveIterator, bodies read", warcio_reader),
    ("FastWARC alone, bodies read", fastwarc_reader),
]


def measure(files: list[Path], repeat: int) -> list[tuple[str, int, float]]:
    """(reader, records, best seconds) for each reader over all `files`. Seconds are this process's CPU time,
    not the wall clock: on a shared machine other processes' load would otherwise decide the ranking (every
    reader here runs on one thread). Runs are interleaved (reader after reader, `repeat` rounds)."""
    best = {name: float("inf") for name, _ in READERS}
    records = {}
    for _ in range(repeat):
        for name, reader in READERS:
            started = time.process_time()
            records[name] = sum(reader(path) for path in files)
            best[name] = min(best[name], time.process_time() - started)
    return [(name, records[name], best[name]) for name, _ in READERS]


def table(title: str, files: list[Path], repeat: int) -> str:
    megabytes = sum(path.stat().st_size for path in files) / 1e6
    rows = measure(files, repeat)
    warcio_rate = next(records / seconds for name, records, seconds in rows if name.startswith("warcio"))
    lines = [f"### {title}: {len(files)} file(s), {megabytes:.1f} MB", "",
             "| reader | records | MB | records/s | MB/s | x warcio |", "|---|---:|---:|---:|---:|---:|"]
    for name, records, seconds in rows:
        lines.append(f"| {name} | {records:,} | {megabytes:.1f} | {records / seconds:,.0f} | "
                     f"{megabytes / seconds:.1f} | {records / seconds / warcio_rate:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-large", action="store_true", help="only the small files under ../shared/data/warc")
    args = parser.parse_args()
    if SHARED_WARC.is_dir():
        shared = sorted(p for p in SHARED_WARC.rglob("*") if p.is_file() and "LICENSE" not in p.name)
        print(table(f"{SHARED_WARC}", shared, args.repeat), end="\n\n")
    else:
        print(f"{SHARED_WARC} is absent: the shared WARC files are not measured\n")
    if not args.no_large:
        try:
            large = postgresql_docs_warc()
        except PackageUnavailable as error:
            print(f"The PostgreSQL documentation WARC cannot be built: {error}")
            return
        print(table(f"PostgreSQL documentation ({large})", [large], args.repeat))


if __name__ == "__main__":
    main()
