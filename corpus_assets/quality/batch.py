"""The quality filters over a batch of `deduped_text` rows: kept pages, every page's signals and the drops, as Arrow
tables for the staging tables of `filtered_text` and `quality_signals`."""

from __future__ import annotations

import pyarrow as pa

from corpus_assets.drop_log import drop_record, drops_table
from corpus_assets.quality.assess import SIGNAL_NAMES, assess
from corpus_assets.quality.config import QualityConfig

STAGE = "filtered_text"


def filter_batch(batch: pa.RecordBatch, config: QualityConfig) -> tuple[pa.Table, pa.Table, pa.Table]:
    """(kept rows, signals of every page, drops) for a batch of (page_id, crawl_date, url, title, text) rows. A
    kept page's text is what C4 keeps of it; a dropped page names the filter, the rule and the measured value."""
    rows, signals, drops = [], [], []
    for page in batch.to_pylist():
        result = assess(page["text"], config)
        signals.append({"crawl_date": page["crawl_date"], "page_id": page["page_id"], "url": page["url"],
                        **{name: result.signals[name] for name in SIGNAL_NAMES}})
        verdict = result.verdict
        if verdict is not None:
            drops.append(drop_record(
                page["crawl_date"], page["page_id"], page["url"], STAGE, verdict.filter,
                f"{verdict.rule}: measured {verdict.value:.4g}, threshold {verdict.threshold:.4g}"))
        else:
            rows.append({"page_id": page["page_id"], "crawl_date": page["crawl_date"], "url": page["url"],
                         "title": page["title"], "text": result.text, "word_count": len(result.text.split())})
    return pa.Table.from_pylist(rows), pa.Table.from_pylist(signals), drops_table(drops)
