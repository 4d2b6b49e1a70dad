"""Which pages a date's candidate pairs drop: "earlier wins", deterministically.

The wiring finds candidate pairs by SQL joins on band hashes (sql/deduped_text/*_pairs.sql) and hands them here as
dicts; nothing here depends on fetch order, so a re-run or a backfill drops the same pages. Exact duplicates are
found by SQL alone (sql/deduped_text/exact_duplicates.sql), under the reasons named here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from corpus_assets.dedup.clusters import near_duplicate_clusters
from corpus_assets.dedup.config import DedupConfig
from corpus_assets.dedup.minhash import estimated_jaccard, signature_from_bytes
from corpus_assets.dedup.shingles import jaccard
from corpus_assets.drop_log import DropReasons, drop_record, drops_table

STAGE = "deduped_text"
DROP_REASONS = DropReasons(
    # Repeating a page kept on an earlier date is the history doing its job, on every re-crawl of a site.
    expected=frozenset({"cross_date_duplicate", "cross_date_near_duplicate"}),
    unexpected=frozenset({"exact_duplicate", "near_duplicate"}),
)


@dataclass(frozen=True)
class DuplicateDrop:
    page_id: str
    url: str
    reason: str
    related_url: str
    similarity: float
    detail: str
    kept_page_id: str  # the page it repeats
    kept_crawl_date: dt.date | None = None  # that page's date; None: the date of the drop


def _similarity(pair: dict[str, Any], config: DedupConfig) -> tuple[float, float | None]:
    """Estimated Jaccard from the signatures, and the true one when the config asks to verify."""
    estimate = estimated_jaccard(signature_from_bytes(pair["signature"]), signature_from_bytes(pair["other_signature"]))
    true = jaccard(pair["text"], pair["other_text"], config.ngram_size, fold_numbers=config.fold_numbers) \
        if config.verify_with_jaccard else None
    return estimate, true


def _accepted(estimate: float, true: float | None, config: DedupConfig) -> bool:
    return true is None or true >= config.verify_jaccard_threshold


def _detail(estimate: float, true: float | None) -> str:
    verified = f", verified Jaccard {true:.3f}" if true is not None else ""
    return f"estimated Jaccard {estimate:.3f}{verified}"


def cross_date_drops(pairs: Iterable[dict[str, Any]], config: DedupConfig) -> list[DuplicateDrop]:
    """Pages of this date near-duplicating a page kept on an earlier date; each names its most similar
    earlier page (ties: the earliest date, then the smallest page_id)."""
    best: dict[str, tuple[tuple, DuplicateDrop]] = {}
    for pair in pairs:
        estimate, true = _similarity(pair, config)
        if not _accepted(estimate, true, config):
            continue
        rank = (-(true if true is not None else estimate), str(pair["other_date"]), pair["other_page_id"])
        drop = DuplicateDrop(pair["page_id"], pair["url"], "cross_date_near_duplicate", pair["other_url"],
                             true if true is not None else estimate,
                             f"{_detail(estimate, true)} with {pair['other_url']} of {pair['other_date']}",
                             pair["other_page_id"], pair["other_date"])
        if pair["page_id"] not in best or rank < best[pair["page_id"]][0]:
            best[pair["page_id"]] = (rank, drop)
    return [drop for _, drop in sorted(best.values(), key=lambda item: item[1].page_id)]


def same_date_drops(pairs: Iterable[dict[str, Any]], config: DedupConfig) -> list[DuplicateDrop]:
    """Within one date, every cluster of near duplicates keeps its smallest page_id and drops the rest."""
    accepted, urls, similarity = [], {}, {}
    for pair in pairs:
        estimate, true = _similarity(pair, config)
        if not _accepted(estimate, true, config):
            continue
        accepted.append((pair["page_id"], pair["other_page_id"]))
        urls[pair["page_id"]], urls[pair["other_page_id"]] = pair["url"], pair["other_url"]
        similarity[(pair["page_id"], pair["other_page_id"])] = (estimate, true)
    drops = []
    for page_id, kept in sorted(near_duplicate_clusters(accepted).items()):
        if page_id == kept:
            continue
        estimate, true = similarity.get((kept, page_id), (None, None))
        detail = (f"{_detail(estimate, true)} with {urls[kept]}" if estimate is not None
                  else f"in the near-duplicate cluster of {urls[kept]}")
        drops.append(DuplicateDrop(page_id, urls[page_id], "near_duplicate", urls[kept],
                                   (true if true is not None else estimate) if estimate is not None else None,
                                   detail, kept))
    return drops


DUPLICATE_LINKS_SCHEMA = pa.schema([("crawl_date", pa.date32()), ("page_id", pa.string()),
                                    ("kept_crawl_date", pa.date32()), ("kept_page_id", pa.string()),
                                    ("reason", pa.string())])


def duplicate_links_table(crawl_date: dt.date, drops: Iterable[DuplicateDrop]) -> pa.Table:
    """`duplicate_links` rows of the date's near-duplicate drops: each dropped page and the kept page it repeats."""
    return pa.Table.from_pylist([{"crawl_date": crawl_date, "page_id": d.page_id,
                                  "kept_crawl_date": d.kept_crawl_date or crawl_date, "kept_page_id": d.kept_page_id,
                                  "reason": d.reason} for d in drops], schema=DUPLICATE_LINKS_SCHEMA)


def duplicate_drops_table(crawl_date: dt.date, drops: Iterable[DuplicateDrop]) -> pa.Table:
    """`drop_log` rows of the date's near-duplicate drops, each naming the page it repeats."""
    return drops_table([drop_record(crawl_date, d.page_id, d.url, STAGE, d.reason, d.detail,
                                    related_url=d.related_url, similarity=d.similarity) for d in drops])
