"""`make benchmark-pipeline`: the whole chain (raw_pages -> extracted_text -> deduped_text -> filtered_text ->
final_set) over a WARC corpus of 30,000+ real pages, at 1/4, 1/2 and all of it, beside datatrove's FineWeb pipeline
over the same files in the same run.

    uv run --frozen python -m benchmarks.pipeline [--fractions 0.25,0.5,1] [--skip-datatrove] [--pages-limit N]
                                                  [--copy-bodies] [--warehouse-memory-limit 512MB]

The corpus (`benchmarks/pipeline/corpus.py`: Debian documentation packages and ../shared/data pages, 12 gzip WARC
files) is built once into ~/.cache/corpus_assets_bench/corpus (`CORPUS_BENCH_CACHE` moves it; `python -m
benchmarks.pipeline.corpus --rebuild` builds it again). A fraction f takes the first round(12 f) files;
`--pages-limit N` takes only the first N pages of them (copied into two files), for a quick smoke run.

corpus_assets: for each fraction, a fresh warehouse and Dagster home in a temporary folder and a config whose
`sources.warc` lists the fraction's files for one crawl date (no seeds), extractor `builtin`, every language of the
corpus kept (datatrove's run has no language filter), MMLU (../shared/data/benchmarks/mmlu) as the decontamination
benchmark, and every gate's ceiling at 1.0 (the gates still run and cost what they cost; a quality gate must not
stop a throughput benchmark). It runs `python -m corpus_assets.cli run --date 2026-11-30` as a subprocess.
`--copy-bodies` runs it a second time with `sources.copy_bodies: true` (the HTML copied into raw_pages rather than
read from the WARC files), to show what pointing at the bodies saves.

datatrove: `benchmarks/pipeline/datatrove_run.py` (WarcReader, Trafilatura, Gopher repetition and quality, C4,
FineWeb quality, 4-stage MinHash, FineWeb's settings, 2 tasks on 2 worker processes) with the python of its own
environment, ~/.cache/corpus_assets_bench/datatrove-venv (created with uv on first use; never a project dependency).

Columns of the main table (one row per tool and fraction; the machine is shared, so wall times are noisy and CPU
seconds are the figure to trust):
- pages: HTML responses the tool read (corpus_assets: raw_pages rows of the date; datatrove: WarcReader documents)
- wall s, pages/s: the subprocess from start to exit (the Python start, Dagster's load and the funnel included)
- CPU s, CPU ms/page: user + system CPU of the subprocess and all its waited-for descendants (os.wait4)
- peak RSS MB: ru_maxrss of the subprocess tree, i.e. of its largest single process
- tree RSS MB: the peak of the resident memory of all its processes together (/proc, sampled every 0.2 s;
  datatrove runs 2 worker processes, each with its own Trafilatura sandbox process); a page shared by forked
  processes counts once in each
- tree PSS MB: the same peak of their proportional set size, where a shared page counts once in all: the memory
  the run takes from the machine
- warehouse B/page: the DuckDB file (and WAL) after the run, per page read (corpus_assets only)
- pages out: final_set rows (corpus_assets); documents after MinHash dedup (datatrove)
Ratio rows divide corpus_assets's figure by datatrove's for the same fraction: pages/s above 1 and CPU ms/page
under 1 mean corpus_assets is ahead.

The per-stage table: corpus_assets's step durations from the run's Dagster step stats, with pages/s over the
pages that came into the stage (the funnel's pages_in); datatrove's stages with wall and CPU seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from warcio.archiveiterator import ArchiveIterator

from benchmarks.pipeline import corpus

REPO_ROOT = Path(__file__).resolve().parents[2]
MMLU = REPO_ROOT.parent / "shared" / "data" / "benchmarks" / "mmlu"
CRAWL_DATE = "2026-11-30"
DATATROVE_SPEC = "datatrove[io,processing,multilingual]==0.10.1"  # io: WarcReader; multilingual: spacy
DATATROVE_VENV = corpus.CACHE / "datatrove-venv"
DATATROVE_SCRIPT = Path(__file__).resolve().parent / "datatrove_run.py"
# The languages of the corpus (debian-handbook, apache2-doc, debian-reference and the Common Crawl excerpt).
LANGUAGES = ["en", "de", "fr", "es", "it", "pt", "nl", "ja", "zh", "ko", "ru", "pl", "cs", "da", "el", "fa", "hr",
             "id", "nb", "no", "ro", "sv", "tr", "vi", "ar", "ca"]
STAGES = ["crawl_archive", "raw_pages", "extracted_text", "deduped_text", "filtered_text", "eval_benchmarks",
          "final_set"]


@dataclass
class Measured:
    tool: str
    fraction: str
    pages: int
    wall: float
    cpu: float
    max_rss_mb: float
    tree_rss_mb: float
    tree_pss_mb: float
    pages_out: int
    warehouse_bytes: int | None = None
    stages: list[tuple[str, float, float | None, int | None]] = field(default_factory=list)  # name, s, cpu s, in
    error: str | None = None


def _tree_memory_bytes(pid: int) -> tuple[int, int]:
    """Resident memory (RSS) and proportional set size (PSS) of a process and all its descendants now, from /proc
    ((0, 0) once it is gone). PSS counts a page shared by n processes (forked workers) as 1/n in each."""
    rss = pss = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm") as statm:
                rss += int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                pss += next(int(line.split()[1]) * 1024 for line in rollup if line.startswith("Pss:"))
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(child) for child in children.read().split())
        except (OSError, ValueError, StopIteration):
            continue
    return rss, pss


def timed(command: list[str], *, env: dict, cwd: Path, log: Path) -> tuple[int, float, float, float, float, float]:
    """Exit code, wall seconds, CPU seconds (user + system, descendants included), peak RSS of the largest process,
    and peak RSS and PSS of the whole process tree (sampled every 0.2 s), in MB, of a command; its output in
    `log`."""
    peak_rss = peak_pss = 0
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            rss, pss = _tree_memory_bytes(process.pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(0.2)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    largest = usage.ru_maxrss / 1024
    return (process.returncode, wall, usage.ru_utime + usage.ru_stime, largest, max(peak_rss / 2**20, largest),
            peak_pss / 2**20)


def limited_copy(files: list[Path], pages: int, folder: Path) -> list[Path]:
    """The first `pages` pages of `files` (each a request and a response record), copied gzip member by member
    into two files in `folder`: a smoke run's corpus."""
    groups: list[list[tuple[Path, int, int]]] = []  # the records (file, offset, length) of one page
    for path in files:
        with path.open("rb") as stream:
            records = ArchiveIterator(stream)
            found = [(record.rec_type, records.get_record_offset()) for record in records]
        ends = [offset for _, offset in found[1:]] + [path.stat().st_size]
        for (kind, offset), end in zip(found, ends, strict=True):
            if kind == "warcinfo":
                continue
            if kind == "request" or not groups:
                if len(groups) == pages:
                    break
                groups.append([])
            groups[-1].append((path, offset, end - offset))
        if len(groups) == pages:
            break
    folder.mkdir(parents=True, exist_ok=True)
    halves = [folder / "limited-00.warc.gz", folder / "limited-01.warc.gz"]
    middle = len(groups) // 2
    for target, part in zip(halves, (groups[:middle], groups[middle:]), strict=True):
        with target.open("wb") as out:
            for path, offset, length in (member for group in part for member in group):
                with path.open("rb") as stream:
                    stream.seek(offset)
                    out.write(stream.read(length))
    return halves


def _funnel(database: Path) -> dict[str, dict]:
    import duckdb

    from corpus_assets import warehouse

    with duckdb.connect(str(database), read_only=True) as conn:
        result = warehouse.execute(conn, "report/funnel", {"first_date": dt.date.fromisoformat(CRAWL_DATE),
                                                          "last_date": dt.date.fromisoformat(CRAWL_DATE)})
        return {row["stage"]: row for row in warehouse.records(result)}


def _step_seconds(home: Path) -> dict[str, float]:
    """Seconds of each step of the newest run recorded in the Dagster home."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(home)) as instance:
        run = instance.get_runs(limit=1)[0]
        return {stat.step_key: (stat.end_time or 0) - (stat.start_time or 0)
                for stat in instance.get_run_step_stats(run.run_id) if stat.start_time}


def run_corpus_assets(files: list[Path], fraction: str, work: Path, memory_limit: str | None = None, *,
                      copy_bodies: bool = False) -> Measured:
    from corpus_assets.dagster_home import prepare_home

    work.mkdir(parents=True)
    warc = work / "warc"
    warc.mkdir()
    for file in files:
        os.symlink(file, warc / file.name)
    config = {
        "warehouse": str(work / "warehouse.duckdb"),
        "archive_dir": str(work / "archive"),
        "start_date": "2026-11-01",
        "sources": {"seeds": [], "warc": [{"path": str(warc / "*.warc.gz"), "crawl_date": CRAWL_DATE}],
                    "copy_bodies": copy_bodies},
        "extract": {"extractor": "builtin", "languages": LANGUAGES},
        "decontamination": {"benchmarks": [str(MMLU)]},
        **({"warehouse_memory_limit": memory_limit} if memory_limit else {}),
        "gates": {stage: {"max_unexpected_drop_rate": 1.0}
                  for stage in ("raw_pages", "extracted_text", "deduped_text", "filtered_text", "final_set")},
    }
    config_file = work / "benchmark.yaml"
    config_file.write_text(yaml.safe_dump(config))
    home = prepare_home(work / "dagster")
    env = {**os.environ, "CORPUS_CONFIG": str(config_file), "DAGSTER_HOME": str(home)}
    log = work / "corpus_assets.log"
    code, wall, cpu, rss, tree, pss = timed(
        [sys.executable, "-m", "corpus_assets.cli", "run", "--date", CRAWL_DATE], env=env, cwd=REPO_ROOT, log=log)
    database = work / "warehouse.duckdb"
    size = sum(p.stat().st_size for p in (database, database.with_name(database.name + ".wal")) if p.exists())
    funnel = _funnel(database) if database.exists() else {}
    seconds = _step_seconds(home)
    stages = [(name, seconds[name], None, funnel.get(name, {}).get("pages_in")) for name in STAGES if name in seconds]
    stages += [(name, s, None, None) for name, s in seconds.items() if name not in STAGES]
    error = None if code == 0 else f"exit {code}: " + " | ".join(log.read_text(errors="replace").splitlines()[-12:])
    tool = "corpus_assets (bodies copied)" if copy_bodies else "corpus_assets"
    return Measured(tool, fraction, funnel.get("raw_pages", {}).get("pages_in", 0), wall, cpu, rss, tree, pss,
                    funnel.get("final_set", {}).get("pages_out", 0), size, stages, error)


def datatrove_python() -> Path:
    """The python of datatrove's own environment, created with uv on first use."""
    python = DATATROVE_VENV / "bin" / "python"
    if not python.exists():
        uv = shutil.which("uv") or "uv"
        subprocess.run([uv, "venv", "--python", "3.11", str(DATATROVE_VENV)], check=True)
        subprocess.run([uv, "pip", "install", "--python", str(python), DATATROVE_SPEC], check=True)
    return python


def run_datatrove(files: list[Path], fraction: str, work: Path) -> Measured:
    work.mkdir(parents=True)
    out = work / "datatrove.json"
    command = [str(datatrove_python()), str(DATATROVE_SCRIPT), "--work-dir", str(work / "run"), "--json-out",
               str(out), *map(str, files)]
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")}
    log = work / "datatrove.log"
    code, wall, cpu, rss, tree, pss = timed(command, env=env, cwd=work, log=log)
    if code != 0 or not out.exists():
        tail = " | ".join(log.read_text(errors="replace").splitlines()[-12:])
        return Measured("datatrove", fraction, 0, wall, cpu, rss, tree, pss, 0, error=f"exit {code}: {tail}")
    result = json.loads(out.read_text())
    stages = [(s["stage"], s["wall_seconds"], s["cpu_seconds"], result["pages_in"] if i == 0 else None)
              for i, s in enumerate(result["stages"])]
    return Measured("datatrove", fraction, result["pages_in"], wall, cpu, rss, tree, pss, result["pages_out"], None,
                    stages)


def _row(cells: list) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def tables(results: list[Measured]) -> str:
    lines = [_row(["tool", "fraction", "pages", "wall s", "pages/s", "CPU s", "CPU ms/page", "peak RSS MB",
                   "tree RSS MB", "tree PSS MB", "warehouse B/page", "pages out"]), _row(["---"] * 12)]
    for r in results:
        pages = max(r.pages, 1)
        lines.append(_row([r.tool, r.fraction, r.pages, f"{r.wall:.1f}", f"{r.pages / r.wall:.1f}", f"{r.cpu:.1f}",
                           f"{1000 * r.cpu / pages:.2f}", f"{r.max_rss_mb:.0f}", f"{r.tree_rss_mb:.0f}",
                           f"{r.tree_pss_mb:.0f}",
                           f"{r.warehouse_bytes / pages:.0f}" if r.warehouse_bytes is not None else "-",
                           r.pages_out]))
    for fraction in dict.fromkeys(r.fraction for r in results):
        ours = next((r for r in results if r.fraction == fraction and r.tool == "corpus_assets" and not r.error), None)
        theirs = next((r for r in results if r.fraction == fraction and r.tool == "datatrove" and not r.error), None)
        if ours and theirs and ours.pages and theirs.pages:
            speed = (ours.pages / ours.wall) / (theirs.pages / theirs.wall)
            cost = (ours.cpu / ours.pages) / (theirs.cpu / theirs.pages)
            lines.append(_row(["ratio corpus_assets / datatrove", fraction, "-", "-", f"{speed:.2f}", "-",
                               f"{cost:.2f}", "-", "-", "-", "-", "-"]))
    lines += ["", _row(["tool", "fraction", "stage", "seconds", "CPU s", "pages in", "pages/s"]), _row(["---"] * 7)]
    for r in results:
        for name, seconds, cpu, pages_in in r.stages:
            rate = f"{pages_in / seconds:.1f}" if pages_in and seconds > 0 else "-"
            lines.append(_row([r.tool, r.fraction, name, f"{seconds:.1f}", f"{cpu:.1f}" if cpu is not None else "-",
                               pages_in if pages_in is not None else "-", rate]))
    errors = [f"{r.tool} {r.fraction} failed: {r.error}" for r in results if r.error]
    return "\n".join(lines + ([""] + errors if errors else []))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fractions", default="0.25,0.5,1", help="shares of the corpus's files, comma-separated")
    parser.add_argument("--skip-datatrove", action="store_true", help="run corpus_assets only")
    parser.add_argument("--pages-limit", type=int, default=None, help="at most this many pages per fraction")
    parser.add_argument("--warehouse-memory-limit", default=None,
                        help="corpus_assets's warehouse_memory_limit (e.g. 512MB); the config's default otherwise")
    parser.add_argument("--copy-bodies", action="store_true",
                        help="also run corpus_assets with sources.copy_bodies (HTML copied into the warehouse)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders (logs, warehouses)")
    parser.add_argument("--json-out", type=Path, default=None, help="also write the measurements as JSON")
    args = parser.parse_args()
    fractions = [float(f) for f in args.fractions.split(",")]
    print("corpus:", flush=True)
    manifest = corpus.build(log=lambda line: print(line, flush=True))
    print(f"{manifest['pages']} pages in {len(manifest['files'])} files under {corpus.corpus_dir()}", flush=True)
    results: list[Measured] = []
    work = Path(tempfile.mkdtemp(prefix="benchmark-pipeline-"))
    try:
        for fraction in fractions:
            count = max(1, round(corpus.FILES * fraction))
            files = corpus.warc_files(manifest, count)
            label = f"{fraction:g} ({count} files)"
            if args.pages_limit:
                files = limited_copy(files, args.pages_limit, work / f"limited-{fraction:g}")
                label = f"{fraction:g} (first {args.pages_limit} pages)"
            print(f"\n{label}: corpus_assets ...", flush=True)
            results.append(run_corpus_assets(files, label, work / f"corpus_assets-{fraction:g}",
                                             args.warehouse_memory_limit))
            print(tables(results[-1:]), flush=True)
            if args.copy_bodies:
                print(f"{label}: corpus_assets, bodies copied ...", flush=True)
                results.append(run_corpus_assets(files, label, work / f"corpus_assets-copied-{fraction:g}",
                                                 args.warehouse_memory_limit, copy_bodies=True))
                print(tables(results[-1:]), flush=True)
            if not args.skip_datatrove:
                print(f"{label}: datatrove ...", flush=True)
                results.append(run_datatrove(files, label, work / f"datatrove-{fraction:g}"))
                print(tables(results[-1:]), flush=True)
    finally:
        if args.keep:
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\n## make benchmark-pipeline ({manifest['pages']} pages corpus, {os.cpu_count()} CPUs)\n")
    print(tables(results))
    if args.json_out:
        args.json_out.write_text(json.dumps([r.__dict__ for r in results], indent=1))
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
