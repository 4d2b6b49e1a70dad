"""The table of stages: what each warehouse stage reads, may drop, is audited by and publishes.

Every stage from `raw_pages` to `final_set` is published the same way (write, audit, publish: `checks/gate.py`); all
that differs between them is a row of this table. The asset factory (`assets/factory.py`) declares each stage's
asset and gate check from its row; the gate audits and publishes it from the same row. A stage's name is its asset,
its published table, its folder of SQL statements (`sql/<table>/`, with `audit.sql` and `preview.sql`) and its key
under `gates:` in the config.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from corpus_assets.checks import suites
from corpus_assets.crawl.load import DROP_REASONS as RAW_PAGES_DROPS
from corpus_assets.decontam.batch import DROP_REASONS as FINAL_SET_DROPS
from corpus_assets.dedup.decisions import DROP_REASONS as DEDUPED_TEXT_DROPS
from corpus_assets.drop_log import DropReasons
from corpus_assets.extract.batch import DROP_REASONS as EXTRACTED_TEXT_DROPS
from corpus_assets.quality.batch import DROP_REASONS as FILTERED_TEXT_DROPS

if TYPE_CHECKING:
    from corpus_assets.config import CorpusConfig


@dataclass(frozen=True)
class Stage:
    """One warehouse stage."""

    table: str
    upstream: str  # the table whose rows of a date are the stage's pages in
    drop_reasons: DropReasons  # every reason it may drop a page for; the expected ones never count against the gate
    suite: Callable[[dt.date, CorpusConfig], list]  # the expectations its staged rows must meet (checks/suites.py)
    gate: str  # what the gate checks, in words: the check's description in the UI
    step: str  # the `stage` tag of the asset: which part of the pipeline it belongs to
    kinds: frozenset[str]
    companion_tables: tuple[str, ...] = ()  # published with each partition, in the same transaction
    # The `$parameters` its audit statement takes from the config (final_set's overlap rule), if any.
    audit_parameters: Callable[[CorpusConfig], dict[str, Any]] | None = None

    @property
    def audit_sql(self) -> str:
        """The statement selecting the staged columns the suite checks."""
        return f"{self.table}/audit"

    @property
    def preview_sql(self) -> str:
        """The statement selecting a few published rows of a date for the UI."""
        return f"{self.table}/preview"

    def max_unexpected_drop_rate(self, config: CorpusConfig) -> float:
        """The gate's ceiling on unexpected drops, `gates.<table>.max_unexpected_drop_rate` in the config."""
        return getattr(config.gates, self.table).max_unexpected_drop_rate


RAW_PAGES = Stage(
    table="raw_pages",
    upstream="staging.raw_pages_inputs",
    drop_reasons=RAW_PAGES_DROPS,
    suite=suites.raw_pages_expectations,
    gate="Unique page ids of this date, HTML 2xx bodies, a funnel that adds up and unexpected drops under the "
    "configured ceiling.",
    step="collect",
    kinds=frozenset({"duckdb", "warc"}),
    companion_tables=("host_files",),
)
EXTRACTED_TEXT = Stage(
    table="extracted_text",
    upstream="main.raw_pages",
    drop_reasons=EXTRACTED_TEXT_DROPS,
    suite=suites.extracted_text_expectations,
    gate="Every page has text in a kept language, every raw page is kept or dropped with a reason, unexpected "
    "drops under the ceiling.",
    step="extract",
    kinds=frozenset({"duckdb", "python"}),
    companion_tables=("page_rights",),
)
LICENSED_DOCUMENTS = Stage(
    table="licensed_documents",
    # Every row read is kept, or the read fails: a licensed source is a contract, not a sample of the web.
    upstream="staging.licensed_documents",
    drop_reasons=DropReasons(expected=frozenset(), unexpected=frozenset()),
    suite=suites.licensed_documents_expectations,
    gate="Every document has text, a licence and an origin, and no source file gives one id twice.",
    step="collect",
    kinds=frozenset({"duckdb", "parquet"}),
)
DEDUPED_TEXT = Stage(
    table="deduped_text",
    upstream="main.dedup_inputs",  # extracted_text and licensed_documents (sql/schema/14_dedup_inputs.sql)
    drop_reasons=DEDUPED_TEXT_DROPS,
    suite=suites.deduped_text_expectations,
    gate="Unique normalised texts, none repeating an earlier date's, a funnel that adds up and unexpected "
    "(same-date) duplicates under the ceiling.",
    step="dedup",
    kinds=frozenset({"duckdb", "python"}),
    companion_tables=("page_fingerprints", "near_duplicate_index", "duplicate_links"),
)
FILTERED_TEXT = Stage(
    table="filtered_text",
    upstream="main.deduped_text",
    drop_reasons=FILTERED_TEXT_DROPS,
    suite=suites.filtered_text_expectations,
    gate="Non-empty texts, quality and safety signals stored for every page, no e-mail address or card number "
    "left in a kept text (a DuckDB regexp re-scan), a funnel that adds up and quality drops under the ceiling.",
    step="quality",
    kinds=frozenset({"duckdb", "python"}),
    companion_tables=("quality_signals", "safety_signals", "pii_redactions"),
)


def final_set_audit_parameters(config: CorpusConfig) -> dict[str, Any]:
    """The overlap rule of the config, which `sql/final_set/audit.sql` recounts as the matcher applies it."""
    return config.decontamination.rule.sql_parameters()


FINAL_SET = Stage(
    table="final_set",
    upstream="main.filtered_text",
    drop_reasons=FINAL_SET_DROPS,
    suite=suites.final_set_expectations,
    gate="A SQL recount of the kept pages' n-grams against the benchmark index finds no page sharing enough of an "
    "item (the overlap rule of the config), and the funnel adds up.",
    step="decontaminate",
    kinds=frozenset({"duckdb", "python"}),
    audit_parameters=final_set_audit_parameters,
)

STAGES: tuple[Stage, ...] = (RAW_PAGES, EXTRACTED_TEXT, LICENSED_DOCUMENTS, DEDUPED_TEXT, FILTERED_TEXT, FINAL_SET)
