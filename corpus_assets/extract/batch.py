"""Extraction over a batch of `raw_pages` rows: kept pages, drops and every page's rights, as Arrow tables for the
staging tables."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from corpus_assets.crawl.load import body_of
from corpus_assets.crawl.urls import host_of
from corpus_assets.drop_log import DropReasons, drop_record, drops_table, error_detail
from corpus_assets.extract import (
    ExtractConfig,
    decode_html,
    extract_main_text,
    identify_language,
    judge_extraction,
)
from corpus_assets.extract.main_text import parse_page
from corpus_assets.rights import RIGHTS_DROP_REASONS, HostRights, PageRights, RightsConfig, assess_page_rights

STAGE = "extracted_text"
# A foreign language is the web's doing, and so is a site's reservation of its pages (tdm_opt_out, noindex, licence:
# the rights policy); a page with no usable text may be a thin page, but a day of them is not, and a page the code
# raised on (extraction_error) is a bug to fix: one is dropped, a day of them fails the gate.
DROP_REASONS = DropReasons(expected=frozenset({"language", *RIGHTS_DROP_REASONS}),
                           unexpected=frozenset({"no_text", "extraction_error"}))

EXTRACTED_TEXT_SCHEMA = pa.schema(
    [
        ("page_id", pa.string()),
        ("crawl_date", pa.date32()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("language", pa.string()),
        ("language_score", pa.float64()),
        ("declared_language", pa.string()),
        ("canonical_url", pa.string()),
        ("char_count", pa.int32()),
        ("word_count", pa.int32()),
        ("extractor", pa.string()),
        ("encoding", pa.string()),
    ]
)
PAGE_RIGHTS_SCHEMA = pa.schema(
    [
        ("crawl_date", pa.date32()),
        ("page_id", pa.string()),
        ("url", pa.string()),
        ("licence", pa.string()),
        ("licence_source", pa.string()),
        ("licence_url", pa.string()),
        ("tdm_policy", pa.string()),
        ("opt_out", pa.bool_()),
        ("signals", pa.string()),
        ("rights_drop", pa.string()),
    ]
)


@dataclass(frozen=True)
class HostFiles:
    """What a host publishes about its whole site, as the date archived it: robots.txt's text, the TDMRep file."""

    robots_text: str | None = None
    tdmrep_body: bytes | None = None

    def rights(self) -> HostRights:
        return HostRights.from_files(self.robots_text, self.tdmrep_body)


@dataclass(frozen=True)
class ExtractionWork:
    """A batch of `raw_pages` rows (sql/extracted_text/pages_in.sql) and the files of the hosts they are on."""

    pages: pa.RecordBatch
    host_files: dict[str, HostFiles] = field(default_factory=dict)


def _rights_row(page: dict[str, Any], rights: PageRights | None) -> dict[str, Any]:
    signals = [dataclasses.asdict(signal) for signal in rights.signals] if rights else []
    return {
        "crawl_date": page["crawl_date"], "page_id": page["page_id"], "url": page["url"],
        "licence": rights and rights.licence, "licence_source": rights and rights.licence_source,
        "licence_url": rights and rights.licence_url, "tdm_policy": rights and rights.tdm_policy,
        "opt_out": any(signal["opt_out"] for signal in signals), "signals": json.dumps(signals),
        "rights_drop": rights and rights.drop_reason,
    }


def extract_batch(work: ExtractionWork, config: ExtractConfig,
                  rights_config: RightsConfig) -> tuple[pa.Table, pa.Table, pa.Table]:
    """Read the rights of every page of a batch and extract the pages they allow: (kept rows, drops, page_rights
    rows of every page).

    The rights are read on the whole parsed page (its head, its footer's licence link), before extraction removes
    the boilerplate, against the robots.txt and TDMRep file of the host the page was fetched from (after
    redirects). Never raises for a page: one that makes decoding, extraction or language identification raise is
    dropped as `extraction_error`, its detail naming the exception. A body that cannot be read back from its WARC
    file raises `BodyUnavailable`: that is the archive's fault, not the page's, and dropping it would lose it.
    """
    rows: list[dict[str, Any]] = []
    drops: list[dict[str, Any]] = []
    rights_rows: list[dict[str, Any]] = []
    for page in work.pages.to_pylist():
        body = body_of(page)
        rights = None
        try:
            decoded = decode_html(body, page["content_type"])
            parsed = parse_page(decoded.text)
            fetched_from = page["final_url"] or page["url"]
            host = work.host_files.get(host_of(fetched_from))
            rights = assess_page_rights(fetched_from, json.loads(page["headers"] or "[]"), parsed.document,
                                        host.rights() if host else None, rights_config)
            if rights.drop_reason:
                drops.append(drop_record(page["crawl_date"], page["page_id"], page["url"], STAGE, rights.drop_reason,
                                         rights.drop_detail))
                continue
            extraction = extract_main_text(parsed, page["url"], config)
            guess = identify_language(extraction.text)
            verdict = judge_extraction(extraction, guess, config)
        except Exception as error:  # the archive is replayed on every re-run: raising would fail the date forever
            drops.append(drop_record(page["crawl_date"], page["page_id"], page["url"], STAGE, "extraction_error",
                                     error_detail(error)))
            continue
        finally:
            rights_rows.append(_rights_row(page, rights))
        if verdict.drop_reason:
            drops.append(drop_record(page["crawl_date"], page["page_id"], page["url"], STAGE,
                                     verdict.drop_reason, verdict.detail))
            continue
        rows.append(
            {
                "page_id": page["page_id"],
                "crawl_date": page["crawl_date"],
                "url": page["url"],
                "title": extraction.title,
                "text": extraction.text,
                "language": guess.language,
                "language_score": guess.score,
                "declared_language": extraction.declared_language,
                "canonical_url": extraction.canonical_url,
                "char_count": verdict.char_count,
                "word_count": verdict.word_count,
                "extractor": extraction.extractor,
                "encoding": decoded.encoding,
            }
        )
    return (
        pa.Table.from_pylist(rows, schema=EXTRACTED_TEXT_SCHEMA),
        drops_table(drops),
        pa.Table.from_pylist(rights_rows, schema=PAGE_RIGHTS_SCHEMA),
    )
