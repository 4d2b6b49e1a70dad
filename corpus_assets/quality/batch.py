"""The quality stage over a batch of `deduped_text` rows: the safety blocklist, the quality filters, the obscenity
rule, then personal-data redaction of the kept text. Kept pages, every page's quality and safety signals, the
redaction counts and the drops, as Arrow tables for the staging tables of `filtered_text` and its companions."""

from __future__ import annotations

import pyarrow as pa

from corpus_assets.drop_log import DropReasons, drop_record, drops_table
from corpus_assets.privacy import PrivacyConfig, redact_pii
from corpus_assets.quality.assess import SIGNAL_NAMES, assess
from corpus_assets.quality.config import QualityConfig
from corpus_assets.quality.rules import DROP_REASONS as QUALITY_DROP_REASONS
from corpus_assets.quality.rules import FilterVerdict
from corpus_assets.safety import SafetyConfig, blocklist_for, obscenity_signals, obscenity_verdict
from corpus_assets.safety.config import DEFAULT_CATEGORIES as SHIPPED_CATEGORIES

STAGE = "filtered_text"
# A site on a blocklist is a fact about the site, however many of its pages a crawl meets: expected. The obscenity
# rule judges text, like the quality filters: a day on which it drops many pages is a list or threshold misfiring,
# so it counts against the gate's ceiling with them.
DROP_REASONS = DropReasons(expected=frozenset({"blocklist"}),
                           unexpected=QUALITY_DROP_REASONS.unexpected | {"obscene"})

SAFETY_SIGNALS_SCHEMA = pa.schema(
    [
        ("crawl_date", pa.date32()),
        ("page_id", pa.string()),
        ("url", pa.string()),
        ("blocklist_category", pa.string()),
        ("blocklist_entry", pa.string()),
        ("blocklist_source", pa.string()),
        ("obscene_flagged_words", pa.int32()),
        ("obscene_words", pa.int32()),
        ("obscene_ratio", pa.float64()),
        ("obscene_examples", pa.list_(pa.string())),
    ]
)
PII_REDACTIONS_SCHEMA = pa.schema(
    [("crawl_date", pa.date32()), ("page_id", pa.string()), ("url", pa.string()), ("pii_type", pa.string()),
     ("redactions", pa.int32())]
)


def _verdict_detail(verdict: FilterVerdict) -> str:
    return f"{verdict.rule}: measured {verdict.value:.4g}, threshold {verdict.threshold:.4g}"


def filter_batch(batch: pa.RecordBatch, config: QualityConfig, safety: SafetyConfig,
                 privacy: PrivacyConfig) -> tuple[pa.Table, pa.Table, pa.Table, pa.Table, pa.Table]:
    """(kept rows, quality signals of every page, safety signals of every page, PII redaction counts, drops) for a
    batch of (page_id, crawl_date, url, title, text, language) rows.

    A page is dropped by the first of: the blocklist (its URL), a quality rule, the obscenity rule (on the text C4
    keeps). A kept page's text is what C4 keeps of it with personal data replaced by typed placeholders (in its
    title too). Every
    signal is measured on every page, whatever drops it, so what a threshold would do is a query.
    """
    enforced = blocklist_for(safety.blocklist)
    # Signals come from every list, switched on or not: "what would the malware list have dropped" is a query.
    every_list = blocklist_for(safety.blocklist.model_copy(update={"enabled": True, "categories": SHIPPED_CATEGORIES}))
    rows, signals, safety_rows, redactions, drops = [], [], [], [], []
    for page in batch.to_pylist():
        crawl_date, page_id, url = page["crawl_date"], page["page_id"], page["url"]
        listed = every_list.match(url)
        blocked = listed and enforced.match(url)
        result = assess(page["text"], config, page["language"] or "unknown")
        obscenity = obscenity_signals(result.text, page["language"])
        signals.append({"crawl_date": crawl_date, "page_id": page_id, "url": url,
                        **{name: result.signals[name] for name in SIGNAL_NAMES}})
        safety_rows.append({
            "crawl_date": crawl_date, "page_id": page_id, "url": url,
            "blocklist_category": listed and listed.category, "blocklist_entry": listed and listed.entry,
            "blocklist_source": listed and listed.source, "obscene_flagged_words": obscenity.flagged_words,
            "obscene_words": obscenity.words, "obscene_ratio": obscenity.ratio,
            "obscene_examples": list(obscenity.examples),
        })
        verdict = result.verdict or obscenity_verdict(obscenity, page["language"], safety.obscene)
        if blocked:
            drops.append(drop_record(crawl_date, page_id, url, STAGE, "blocklist",
                                     f"{blocked.category}: {blocked.entry} is on {blocked.source}"))
        elif verdict is not None:
            drops.append(drop_record(crawl_date, page_id, url, STAGE, verdict.filter, _verdict_detail(verdict)))
        else:
            redacted = redact_pii(result.text, privacy)
            title = redact_pii(page["title"], privacy) if page["title"] else None  # the title reaches the release
            counts = {kind: count + (title.counts[kind] if title else 0) for kind, count in redacted.counts.items()}
            redactions += [{"crawl_date": crawl_date, "page_id": page_id, "url": url, "pii_type": kind,
                            "redactions": count} for kind, count in counts.items() if count]
            rows.append({"page_id": page_id, "crawl_date": crawl_date, "url": url, "title": title and title.text,
                         "text": redacted.text, "word_count": len(redacted.text.split())})
    return (pa.Table.from_pylist(rows), pa.Table.from_pylist(signals),
            pa.Table.from_pylist(safety_rows, schema=SAFETY_SIGNALS_SCHEMA),
            pa.Table.from_pylist(redactions, schema=PII_REDACTIONS_SCHEMA), drops_table(drops))
