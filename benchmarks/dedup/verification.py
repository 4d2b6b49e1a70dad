"""What verifying near-duplicate candidates by true Jaccard costs and changes, on two versions of Debian's
PostgreSQL 15 documentation (../shared/data/README.md, "Larger sites"). Prints, asserts nothing.

    make benchmark-dedup      (runs this after the MinHash table; alone: python -m benchmarks.dedup.verification)

Each version's HTML is written into a WARC file (version 1 on day 1, version 2 on day 2), loaded and extracted once;
then `deduped_text` runs on copies of that warehouse for both days, with `dedup.verify_with_jaccard` off and on,
timed from the outside. Verification reads both texts of every candidate pair that shares an LSH band and keeps
a pair only at a true word 5-gram Jaccard of `verify_jaccard_threshold` (0.72) or more.
"""

from __future__ import annotations

import argparse
import io
import shutil
import tempfile
import time
from pathlib import Path

import dagster as dg
import yaml
from warcio.warcwriter import WARCWriter

from benchmarks.debian_docs import PackageUnavailable, postgresql_doc_sites
from corpus_assets import warehouse
from corpus_assets.assets.deduped_text import deduped_text
from corpus_assets.assets.extracted_text import extracted_text
from corpus_assets.assets.raw_pages import raw_pages
from corpus_assets.config import load_config
from corpus_assets.resources import CorpusConfigResource, warehouse_resource

DAYS = ("2026-11-02", "2026-11-03")
HOST = "http://postgresql.test/"


def _warc_of(site: Path, path: Path) -> int:
    """Every HTML page of a documentation folder as a response record of `HOST`; returns how many."""
    pages = sorted(site.rglob("*.html"))
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for page in pages:
            http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + page.read_bytes()
            writer.write_record(writer.create_warc_record(HOST + page.relative_to(site).as_posix(), "response",
                                                          payload=io.BytesIO(http)))
    return len(pages)


def _config(folder: Path, warcs: list[Path], verify: bool) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "corpus.yaml"
    path.write_text(yaml.safe_dump({
        "warehouse": "warehouse.duckdb", "archive_dir": "archive", "start_date": DAYS[0],
        "sources": {"warc": [{"path": str(w), "crawl_date": day} for w, day in zip(warcs, DAYS, strict=True)]},
        "dedup": {"verify_with_jaccard": verify},
    }))
    return path


def _materialize(asset: dg.AssetsDefinition | list, config_path: Path, day: str) -> float:
    config = load_config(config_path)
    started = time.perf_counter()
    result = dg.materialize(asset if isinstance(asset, list) else [asset], partition_key=day,
                            resources={"corpus": CorpusConfigResource(path=str(config_path)),
                                       "warehouse_db": warehouse_resource(config)},
                            instance=dg.DagsterInstance.ephemeral())
    if not result.success:
        raise SystemExit(f"{asset} failed for {day}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="timed runs of each setting (best is reported)")
    args = parser.parse_args()
    try:
        sites = postgresql_doc_sites()
    except PackageUnavailable as error:
        raise SystemExit(f"skipped: {error}") from None
    with tempfile.TemporaryDirectory(prefix="benchmark-dedup-verify-") as tmp:
        tmp = Path(tmp)
        warcs = [tmp / f"v{i}.warc.gz" for i in (1, 2)]
        counts = [_warc_of(site, warc) for site, warc in zip(sites, warcs, strict=True)]
        base = _config(tmp / "base", warcs, verify=False)
        for day in DAYS:
            _materialize([raw_pages, extracted_text], base, day)
        rows = []
        for verify in (False, True):
            best, outcome = None, None
            for run in range(args.repeat):
                folder = tmp / f"verify-{verify}-{run}"
                folder.mkdir()
                shutil.copy(tmp / "base" / "warehouse.duckdb", folder / "warehouse.duckdb")
                config = _config(folder, warcs, verify)
                seconds = [_materialize(deduped_text, config, day) for day in DAYS]
                best = seconds if best is None or sum(seconds) < sum(best) else best
                settings = load_config(config)
                with warehouse.connect(settings.warehouse_backend, settings.warehouse, read_only=True) as conn:
                    outcome = conn.execute(
                        "SELECT reason, count(*), min(similarity) FROM drop_log WHERE stage = 'deduped_text' "
                        "GROUP BY reason ORDER BY reason").fetchall()
                    kept = conn.execute("SELECT count(*) FROM deduped_text").fetchone()[0]
            rows.append((verify, best, outcome, kept))
    print(f"\n## Near-duplicate verification, PostgreSQL docs {sites[0].parts[-6]} (day 1, {counts[0]} pages) -> "
          f"{sites[1].parts[-6]} (day 2, {counts[1]} pages); deduped_text step, best of {args.repeat}\n")
    print("| verify_with_jaccard | day 1 s | day 2 s | kept | drops by reason (lowest similarity) |")
    print("| --- | --- | --- | --- | --- |")
    for verify, seconds, outcome, kept in rows:
        reasons = ", ".join(f"{reason} {n} ({low:.3f})" for reason, n, low in outcome)
        print(f"| {str(verify).lower()} | {seconds[0]:.1f} | {seconds[1]:.1f} | {kept} | {reasons} |")


if __name__ == "__main__":
    main()
