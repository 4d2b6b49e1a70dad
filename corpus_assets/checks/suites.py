"""The Great Expectations suites of each stage: what must hold before a partition is published.

They check what really goes wrong in such pipelines: null or duplicate page ids, rows of another date, empty
text that got through, unknown drop reasons, a funnel that does not add up and too many unexpected drops.

A stage's suite is `suite(crawl_date, config)`, as the table of stages (`corpus_assets/stages.py`) names it. GX is
imported when a suite is built, not with this module: it takes seconds, and only an audit needs it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corpus_assets.config import CorpusConfig


def _gxe():
    import great_expectations.expectations as gxe

    return gxe


def _set_by(config_key: str) -> dict:
    """The meta of an expectation whose limit is the config key `config_key`: a failure names the key."""
    from corpus_assets.checks.expectations import CONFIG_KEY

    return {"meta": {CONFIG_KEY: config_key}}


def content_type_regex(content_types: Sequence[str]) -> str:
    """A Content-Type header value whose media type is one of `content_types` (parameters may follow)."""
    return r"(?i)^\s*(?:" + "|".join(re.escape(t) for t in content_types) + r")\s*(?:;|$)"


def page_row_expectations(crawl_date: dt.date) -> list:
    """What every staged page row of every stage must satisfy."""
    gxe = _gxe()
    return [
        gxe.ExpectColumnValuesToNotBeNull(column="page_id"),
        gxe.ExpectColumnValuesToBeUnique(column="page_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="url"),
        gxe.ExpectColumnValuesToBeInSet(column="crawl_date", value_set=[crawl_date.isoformat()]),
    ]


def raw_pages_expectations(crawl_date: dt.date, config: CorpusConfig) -> list:
    gxe = _gxe()
    return [
        *page_row_expectations(crawl_date),
        gxe.ExpectColumnValuesToBeBetween(column="status", min_value=200, max_value=299),
        gxe.ExpectColumnValuesToBeBetween(column="body_bytes", min_value=1),
        gxe.ExpectColumnValuesToBeInSet(column="source", value_set=["crawl", "warc"]),
        gxe.ExpectColumnValuesToMatchRegex(column="content_type", regex=content_type_regex(config.crawl.content_types),
                                           **_set_by("crawl.content_types")),
    ]


def extracted_text_expectations(crawl_date: dt.date, config: CorpusConfig) -> list:
    gxe = _gxe()
    extract = config.extract
    return [
        *page_row_expectations(crawl_date),
        gxe.ExpectColumnValuesToBeBetween(column="text_chars", min_value=1),
        gxe.ExpectColumnValuesToBeBetween(column="word_count", min_value=extract.min_words,
                                          **_set_by("extract.min_words")),
        gxe.ExpectColumnValuesToBeInSet(column="language", value_set=list(extract.languages),
                                        **_set_by("extract.languages")),
        gxe.ExpectColumnValuesToBeBetween(column="language_score", min_value=extract.min_language_score,
                                          max_value=1.0, **_set_by("extract.min_language_score")),
    ]


def deduped_text_expectations(crawl_date: dt.date, config: CorpusConfig) -> list:
    """No two kept pages share a normalised text, and none repeats a text kept on an earlier date."""
    gxe = _gxe()
    return [
        *page_row_expectations(crawl_date),
        gxe.ExpectColumnValuesToBeUnique(column="content_hash"),
        gxe.ExpectColumnValuesToBeInSet(column="repeats_earlier_date", value_set=[False]),
    ]


def licensed_documents_expectations(crawl_date: dt.date, config: CorpusConfig) -> list:
    """Every document has text and a licence, and no source file gives one id twice."""
    gxe = _gxe()
    return [
        *page_row_expectations(crawl_date),
        gxe.ExpectColumnValuesToBeBetween(column="text_chars", min_value=1),
        gxe.ExpectColumnValuesToNotBeNull(column="licence"),
        gxe.ExpectColumnValuesToNotBeNull(column="origin"),
        gxe.ExpectColumnValuesToBeBetween(column="rows_with_this_id", min_value=1, max_value=1),
    ]


def filtered_text_expectations(crawl_date: dt.date, config: CorpusConfig) -> list:
    gxe = _gxe()
    return [
        *page_row_expectations(crawl_date),
        gxe.ExpectColumnValuesToBeBetween(column="text_chars", min_value=1),
        gxe.ExpectColumnValuesToBeBetween(column="word_count", min_value=1),
        gxe.ExpectColumnValuesToBeInSet(column="signals_complete", value_set=[True]),
        gxe.ExpectColumnValuesToBeBetween(column="surviving_emails", min_value=0, max_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="surviving_cards", min_value=0, max_value=0),
    ]


def final_set_expectations(crawl_date: dt.date, config: CorpusConfig) -> list:
    gxe = _gxe()
    return [
        *page_row_expectations(crawl_date),
        gxe.ExpectColumnValuesToBeBetween(column="text_chars", min_value=1),
        gxe.ExpectColumnValuesToBeInSet(column="overlaps_benchmark_item", value_set=[False]),
    ]


def drop_row_expectations(crawl_date: dt.date, stage: str, known_reasons: frozenset[str]) -> list:
    """Each drop row names a page of this date and stage, for a reason the stage is known to give."""
    gxe = _gxe()
    return [
        gxe.ExpectColumnValuesToNotBeNull(column="url"),
        gxe.ExpectColumnValuesToBeInSet(column="crawl_date", value_set=[crawl_date.isoformat()]),
        gxe.ExpectColumnValuesToBeInSet(column="stage", value_set=[stage]),
        gxe.ExpectColumnValuesToBeInSet(column="reason", value_set=sorted(known_reasons)),
    ]


def funnel_expectations(stage: str, max_unexpected_drop_rate: float) -> list:
    """Over the one-row recount of a stage's balance (sql/gate/staged_funnel.sql).

    The ceiling is on the unexpected drop rate the date shows with 95% confidence (`unexpected_drop_rate_at_least`,
    the lower end of its Wilson score interval), not on the raw share: 58 drops of 60 pages (0.967) say less than
    967 of 1,000 do, and a small day must not fail for its size alone.
    """
    gxe = _gxe()
    return [
        gxe.ExpectColumnPairValuesToBeEqual(column_A="pages_in", column_B="pages_accounted_for"),
        gxe.ExpectColumnValuesToBeBetween(column="kept_and_dropped", min_value=0, max_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="not_from_upstream", min_value=0, max_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="rows_of_other_dates", min_value=0, max_value=0),
        gxe.ExpectColumnValuesToBeBetween(
            column="unexpected_drop_rate_at_least", min_value=0, max_value=max_unexpected_drop_rate,
            **_set_by(f"gates.{stage}.max_unexpected_drop_rate"),
        ),
    ]


def crawl_outcome_expectations(known_outcomes: Sequence[str]) -> list:
    """Over a crawl archive's final outcome per URL: each URL once, with an outcome the crawler is known to give,
    superseding only failures that may pass (a retry)."""
    gxe = _gxe()
    return [
        gxe.ExpectColumnValuesToBeUnique(column="url"),
        gxe.ExpectColumnValuesToBeInSet(column="outcome", value_set=sorted(known_outcomes)),
        gxe.ExpectColumnValuesToBeInSet(column="retried_only_failures", value_set=[True]),
    ]


def benchmark_item_expectations() -> list:
    """Every item is named once and indexed by at least one n-gram unless it is too short to have one."""
    gxe = _gxe()
    return [
        gxe.ExpectColumnValuesToNotBeNull(column="benchmark"),
        gxe.ExpectColumnValuesToNotBeNull(column="item_id"),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["benchmark", "item_id"]),
        gxe.ExpectColumnValuesToBeInSet(column="indexed_or_short", value_set=[True]),
    ]


def release_expectations(dolma: bool) -> list:
    """Over a release's shards read back with DuckDB, one row per crawl date (sql/corpus_release/recount.sql) beside
    what `final_set` publishes for that date and what the release's card and manifest say: the same documents, each
    once, none empty, each with its provenance; with `dolma`, as many Dolma documents."""
    gxe = _gxe()
    return [
        gxe.ExpectColumnPairValuesToBeEqual(column_A="shard_rows", column_B="final_set_rows"),
        gxe.ExpectColumnPairValuesToBeEqual(column_A="shard_rows", column_B="manifest_rows"),
        gxe.ExpectColumnPairValuesToBeEqual(column_A="shard_rows", column_B="distinct_ids"),
        gxe.ExpectColumnValuesToBeBetween(column="empty_texts", min_value=0, max_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="missing_provenance", min_value=0, max_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="repeated_ids_in_release", min_value=0, max_value=0),
        gxe.ExpectColumnPairValuesToBeEqual(column_A="release_rows", column_B="card_rows"),
        *([gxe.ExpectColumnPairValuesToBeEqual(column_A="shard_rows", column_B="dolma_rows")] if dolma else []),
    ]
