"""Making a release: write the shards into a folder of their own, describe them, audit them by another route, and
only then give the folder the release's name.

The version is `<tag>-<first 12 hex digits of the content sha256>` (every id, text, licence and duplicate cluster
size, in release order): the same documents under the same tag are the same release, and a release folder is never
written twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from corpus_assets import warehouse
from corpus_assets.checks import suites
from corpus_assets.checks.expectations import SuiteResult, validate_frame
from corpus_assets.config import CorpusConfig
from corpus_assets.release.card import CARD_FILE, ReleaseFacts, dataset_card, read_front_matter
from corpus_assets.release.plots import write_plots
from corpus_assets.release.writer import (
    DOLMA_DIR,
    EmptyRelease,
    ShardWriter,
    partial_folder,
    publish_folder,
)

MANIFEST_FILE = "release.json"
# Rows read from the warehouse at a time: the writer holds at most a row group of text besides.
READ_BATCH_ROWS = 2048
REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Release:
    """A release written and audited: published at `path` when `suite` passed, else left at `path` (a partial
    folder) for inspection."""

    version: str
    path: Path
    created: bool  # False: the same documents were released under this tag before; that folder is kept as it was
    documents: int
    shards: int
    bytes: int
    card: str
    suite: SuiteResult
    crawl_dates: list[dt.date]

    @property
    def card_path(self) -> Path:
        return self.path / CARD_FILE


def code_version() -> str:
    """The git commit of the code that made the release ("+changes" when the checkout had uncommitted ones)."""
    try:
        commit = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                                check=True, timeout=10).stdout.strip()
        changed = subprocess.run(["git", "-C", str(REPO_ROOT), "status", "--porcelain", "--untracked-files=no"],
                                 capture_output=True, text=True, check=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return f"{commit}+changes" if changed else commit


def config_sha256(config: CorpusConfig) -> str:
    """A hash of the validated configuration (comments and key order of the file do not change it)."""
    return hashlib.sha256(config.model_dump_json().encode()).hexdigest()


def _benchmarks(conn: duckdb.DuckDBPyConnection) -> list[dict]:
    record = warehouse.execute(conn, "eval_benchmarks/published_index").fetchone()
    return json.loads(record[5]) if record and record[5] else []


def _audit(folder: Path, published: dict[str, int], manifest: dict, dolma: bool) -> SuiteResult:
    """The release's gate: its files read back with a DuckDB of their own, beside `final_set`'s counts."""
    parquet = sorted(str(path) for path in (folder / "data").glob("*.parquet"))
    with duckdb.connect() as reader:
        recount = warehouse.execute(reader, "corpus_release/recount", {"files": parquet}).to_arrow_table().to_pandas()
        repeated, release_rows = warehouse.execute(reader, "corpus_release/recount_ids", {"files": parquet}).fetchone()
        dolma_rows = {}
        if dolma:
            documents = sorted(str(path) for path in (folder / DOLMA_DIR).glob("*.jsonl.gz"))
            recounted = warehouse.execute(reader, "corpus_release/recount_dolma", {"files": documents})
            dolma_rows = dict(recounted.fetchall())
    card_rows = read_front_matter((folder / CARD_FILE).read_text(encoding="utf-8"))["dataset_info"]["splits"][0][
        "num_examples"]
    # Every date final_set publishes in the range, and every date the shards hold: one missing from either side
    # shows as a count of 0 against the other's.
    frame = pd.DataFrame({"crawl_date": sorted(set(published) | set(recount["crawl_date"]))})
    frame = frame.merge(recount, on="crawl_date", how="left").fillna(
        {"shard_rows": 0, "distinct_ids": 0, "empty_texts": 0, "missing_provenance": 0})
    frame["final_set_rows"] = frame["crawl_date"].map(published).fillna(0)
    frame["manifest_rows"] = frame["crawl_date"].map(manifest["documents_by_date"]).fillna(0)
    if dolma:
        frame["dolma_rows"] = frame["crawl_date"].map(dolma_rows).fillna(0)
    frame["repeated_ids_in_release"] = repeated
    frame["release_rows"] = release_rows
    frame["card_rows"] = card_rows
    for column in frame.columns.drop("crawl_date"):
        frame[column] = frame[column].astype("int64")
    return validate_frame("corpus_release", suites.release_expectations(dolma), frame, ["crawl_date"])


def write_release(conn: duckdb.DuckDBPyConnection, config: CorpusConfig, *, now: dt.datetime | None = None) -> Release:
    """Writes the published `final_set` of the configured dates as a release and audits it (see the module
    docstring). Raises EmptyRelease, before writing anything, when there is no document to release."""
    settings = config.release
    released_range = {"first_date": settings.first_date or dt.date.min, "last_date": settings.last_date or dt.date.max}
    warehouse.execute(conn, "takedowns/matches", released_range, pages="main.final_set")
    takedowns = warehouse.records(warehouse.execute(conn, "takedowns/summary"))
    dates = warehouse.execute(conn, "corpus_release/dates", released_range).fetchall()
    if not dates:
        asked = f"from {settings.first_date or 'the first'} to {settings.last_date or 'the last'} crawl date"
        raise EmptyRelease(f"nothing to release: final_set has no published document {asked} "
                           "(materialize final_set for those dates first, or change release.first_date/last_date)")
    published = {date.isoformat(): documents for date, documents in dates}
    release_dir = settings.release_dir
    partial = partial_folder(release_dir)
    try:
        writer = ShardWriter(partial, settings.shard_text_bytes, settings.formats)
        for date, _ in dates:
            result = warehouse.execute(conn, "corpus_release/documents", {"crawl_date": date})
            for batch in result.to_arrow_reader(READ_BATCH_ROWS):
                writer.write(batch)
        shard_files = writer.close()
        version = f"{settings.tag}-{writer.digest[:12]}"
        final = release_dir / version
        first, last = dates[0][0], dates[-1][0]
        facts = ReleaseFacts(
            version=version, tag=settings.tag, digest=writer.digest,
            created_at=(now or dt.datetime.now(dt.UTC)).replace(microsecond=0), pretty_name=settings.pretty_name,
            license=settings.license, formats=list(settings.formats), first_date=first, last_date=last,
            stats=writer.stats, shards=[(path.name, path.stat().st_size) for path in shard_files],
            funnel=warehouse.records(
                warehouse.execute(conn, "report/funnel", {"first_date": first, "last_date": last})),
            benchmarks=_benchmarks(conn), takedowns=takedowns,
            rights_drops=warehouse.records(
                warehouse.execute(conn, "corpus_release/rights_drops", {"first_date": first, "last_date": last})),
            pii_redactions=warehouse.records(
                warehouse.execute(conn, "corpus_release/pii_redactions", {"first_date": first, "last_date": last})),
            settings={name: getattr(config, name).model_dump(mode="json")
                      for name in ("extract", "rights", "dedup", "quality", "safety", "privacy", "decontamination")},
            code_version=code_version(), config_sha256=config_sha256(config),
        )
        facts.plots = write_plots(partial, writer.stats, facts.funnel)
        card = dataset_card(facts, str(final))
        (partial / CARD_FILE).write_text(card, encoding="utf-8")
        manifest = {
            "version": version, "tag": settings.tag, "content_sha256": writer.digest,
            "created_at": facts.created_at.isoformat(), "code_version": facts.code_version,
            "config_sha256": facts.config_sha256, "documents": writer.stats.documents,
            "documents_by_date": dict(sorted(writer.stats.by_date.items())),
            "shards": [{"file": name, "bytes": size} for name, size in facts.shards], "formats": facts.formats,
            "takedowns_applied": len(takedowns),
            "documents_withheld_by_takedowns": sum(t["pages_withheld"] for t in takedowns),
        }
        (partial / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        suite = _audit(partial, published, manifest, "dolma" in settings.formats)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    size = sum(path.stat().st_size for path in partial.rglob("*") if path.is_file())
    created = publish_folder(partial, final) if suite.passed else False
    return Release(version=version, path=final if suite.passed else partial, created=created,
                   documents=writer.stats.documents, shards=len(shard_files), bytes=size,
                   card=(final if suite.passed else partial).joinpath(CARD_FILE).read_text(encoding="utf-8"),
                   suite=suite, crawl_dates=[date for date, _ in dates])
