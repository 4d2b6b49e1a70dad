"""`corpus_release`: the published corpus as a versioned dataset on disk, with its card (unpartitioned)."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from corpus_assets import warehouse
from corpus_assets.assets.factory import RELEASE_GROUP, corpus_asset
from corpus_assets.assets.final_set import final_set
from corpus_assets.assets.publish import closing_connection, fail_gate, passed_gate
from corpus_assets.release.build import write_release
from corpus_assets.release.writer import EmptyRelease
from corpus_assets.resources import CorpusConfigResource

# The card is long; the UI shows its start, the folder has the rest.
CARD_PREVIEW_CHARS = 20_000


@corpus_asset(gate="The shards read back with DuckDB hold exactly final_set's documents of the released dates, each "
              "once, none empty, each with its provenance, as many as the card and the manifest say.",
              step="release", kinds={"parquet", "duckdb"}, deps=[final_set], partitioned=False, group=RELEASE_GROUP)
def corpus_release(context: dg.AssetExecutionContext, corpus: CorpusConfigResource, warehouse_db: DuckDBResource):
    """The corpus as a dataset a trainer loads in one line: the published `final_set` of the configured crawl dates
    (`release.first_date` to `release.last_date`, default all) as zstd Parquet shards in the Hugging Face layout,
    `<release_dir>/<version>/data/train-00000-of-000NN.parquet` (optionally Dolma JSONL under `documents/`), with a
    generated dataset card (`README.md`, the Hub's YAML front matter, funnel, sources, languages, domains, lengths,
    benchmarks, settings, code version; plots beside it) and a `release.json` manifest.

    Every row keeps its provenance (id, url, crawl_date, fetched_at, source, source_file, record_offset, language,
    language_score, word_count), its licence, and its duplicate cluster size to re-weight the corpus by. The
    version is `<release.tag>-<content hash>`; a release is never rewritten: the same documents under the same tag
    leave the existing folder as it was. Written in a `.partial-*` folder and renamed only once its gate passed,
    so a crash never leaves a half release that looks whole. Nothing to release
    (no published `final_set` row in the range) fails the run with that said; no empty release is made.
    """
    config = corpus.load()
    with closing_connection(warehouse_db) as conn:
        warehouse.ensure_schema(conn)
        try:
            release = write_release(conn, config)
        except EmptyRelease as error:
            raise dg.Failure(description=str(error), allow_retries=False) from None
    if not release.suite.passed:
        yield from fail_gate(f"corpus_release {release.version}", release.suite.failure_dicts(),
                             f"The files stay in {release.path} for inspection until the next release removes them.",
                             version=release.version, path=str(release.path))
    context.log.info(f"corpus_release {release.version}: {release.documents} documents in {release.shards} shards at "
                     f"{release.path}{'' if release.created else ' (released before: kept as it was)'}")
    card = release.card
    yield dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(release.path)),
            "version": release.version,
            "created": release.created,
            "dagster/row_count": release.documents,
            "bytes": release.bytes,
            "shards": release.shards,
            "crawl_dates": dg.MetadataValue.json([d.isoformat() for d in release.crawl_dates]),
            "card_path": dg.MetadataValue.path(str(release.card_path)),
            "card": dg.MetadataValue.md(card if len(card) <= CARD_PREVIEW_CHARS else
                                        card[:CARD_PREVIEW_CHARS] + f"\n\n(the rest in {release.card_path})"),
        },
        check_results=[passed_gate(version=release.version, documents=release.documents)],
    )
