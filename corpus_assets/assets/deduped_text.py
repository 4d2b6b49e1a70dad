"""`deduped_text`: pages that repeat no page kept before them, on this date or an earlier one."""

import datetime as dt
from typing import Any

import dagster as dg
from dagster_duckdb import DuckDBResource

from corpus_assets import warehouse
from corpus_assets.assets.extracted_text import extracted_text
from corpus_assets.assets.factory import quiet_about_beta, stage_asset
from corpus_assets.assets.licensed_documents import licensed_documents
from corpus_assets.assets.publish import per_document_pool, publish_each_date
from corpus_assets.checks.gate import PartitionGate
from corpus_assets.dedup.batch import fingerprint_batch
from corpus_assets.dedup.decisions import (
    cross_date_drops,
    duplicate_drops_table,
    duplicate_links_table,
    same_date_drops,
)
from corpus_assets.resources import CorpusConfigResource
from corpus_assets.stages import DEDUPED_TEXT

# Date D is matched against the history of every earlier date: D needs D-1, so backfills run in order.
with quiet_about_beta():
    PREVIOUS_DATE = dg.AssetDep(
        "deduped_text",
        partition_mapping=dg.TimeWindowPartitionMapping(start_offset=-1, end_offset=-1,
                                                        allow_nonexistent_upstream_partitions=True),
    )


@stage_asset(DEDUPED_TEXT, deps=[extracted_text, licensed_documents, PREVIOUS_DATE])
def deduped_text(context: dg.AssetExecutionContext, corpus: CorpusConfigResource, warehouse_db: DuckDBResource):
    """Pages that are neither exact nor near duplicates of an earlier page: the extracted crawl and the date's
    first-party documents (`licensed_documents`), deduplicated together.

    Exact: the same normalised text. Near: MinHash over word 5-grams, 112 permutations in 14 bands of 8 rows
    (pages above a Jaccard of about 0.72 collide; datatrove's defaults), and every colliding pair verified by the
    true Jaccard of its shingles (`dedup.verify_with_jaccard`, 0.72), which datatrove does not do.
    Earlier wins: the lowest (crawl date, page_id), never fetch order. A date is matched against the history
    of every earlier date (band hashes in `near_duplicate_index`, by SQL join), so it depends on the previous
    date's partition of this asset, and a backfill runs dates in order. Each drop names the kept page it
    repeats and the similarity (the true Jaccard, or estimated where verification is off), and is linked to it
    in `duplicate_links`: the view `duplicate_cluster_sizes` gives each kept page's cluster size over all dates,
    which the release carries so a corpus can be re-weighted by it (FineWeb-2's "rehydration").
    """
    config = corpus.load()
    pool = per_document_pool(config, fingerprint_batch, config.dedup)

    def deduplicate(gate: PartitionGate, crawl_date: dt.date) -> dict[str, Any]:
        parameters = {"crawl_date": crawl_date}
        warehouse.execute(gate.conn, "deduped_text/stage_candidates")
        for candidates, bands in pool.map(gate.read_batches("deduped_text/pages_in")):
            warehouse.append_arrow(gate.conn, "staging.dedup_candidates", candidates)
            warehouse.append_arrow(gate.conn, "staging.dedup_bands", bands)
        warehouse.execute(gate.conn, "deduped_text/exact_duplicates", parameters)
        verify = config.dedup.verify_with_jaccard
        cross = cross_date_drops(
            warehouse.execute(gate.conn, "deduped_text/cross_date_pairs", {**parameters, "verify": verify})
            .to_arrow_table().to_pylist(),
            config.dedup,
        )
        warehouse.execute(gate.conn, "deduped_text/forget_cross_date_drops",
                          {"page_ids": [drop.page_id for drop in cross]})
        same = same_date_drops(
            warehouse.execute(gate.conn, "deduped_text/same_date_pairs_verified" if verify
                              else "deduped_text/same_date_pairs").to_arrow_table().to_pylist(),
            config.dedup,
        )
        gate.add_drops(duplicate_drops_table(crawl_date, [*cross, *same]))
        warehouse.append_arrow(gate.conn, "staging.duplicate_links", duplicate_links_table(crawl_date, [*cross, *same]))
        warehouse.execute(gate.conn, "deduped_text/publishable", parameters)
        return {"workers": pool.workers,
                "near_duplicates": dg.MetadataValue.json({"cross_date": len(cross), "same_date": len(same)})}

    with pool:
        yield from publish_each_date(context, warehouse_db, DEDUPED_TEXT, config, deduplicate)
