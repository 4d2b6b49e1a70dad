"""The dataset card of a release: `README.md` with the Hub's YAML front matter, then a datasheet generated from what
was written and from the warehouse's record of how it was made. Never edited by hand: a release is regenerated,
not patched."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import yaml

from corpus_assets.release.writer import DATA_DIR, DOLMA_DIR, RELEASE_SCHEMA, SPLIT, WORD_COUNT_BINS, ReleaseStats

CARD_FILE = "README.md"
TOP_DOMAINS = 15
# The Hub's size buckets, by number of documents.
_SIZE_CATEGORIES = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
                    (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B")]
_DESCRIPTIONS = {
    "id": "page_id: sha256 of the crawl date and the normalised URL, stable across runs",
    "text": "the main text, one block per line, exactly as published in final_set",
    "title": "the page's title",
    "url": "the normalised URL that was requested",
    "crawl_date": "the crawl date (partition) the page was collected in",
    "fetched_at": "the response time, or the WARC record's WARC-Date",
    "source": "crawl (fetched by the crawler) or warc (read from a WARC source)",
    "source_file": "the WARC file holding the HTTP response",
    "record_offset": "byte offset of the response record in source_file",
    "language": "fastText lid.176 language of the text",
    "language_score": "fastText's confidence in that language",
    "word_count": "whitespace-separated words of the text",
}


@dataclass
class ReleaseFacts:
    """Everything the card states, gathered by the asset."""

    version: str
    tag: str
    digest: str
    created_at: dt.datetime
    pretty_name: str
    license: str
    formats: list[str]
    first_date: dt.date
    last_date: dt.date
    stats: ReleaseStats
    shards: list[tuple[str, int]]  # file name, bytes
    funnel: list[dict[str, Any]]  # per stage: stage, pages_in, pages_out, dropped, drops_by_reason
    benchmarks: list[dict[str, Any]]  # per benchmark: benchmark, items, ngrams, short_items, unindexed_items
    takedowns: list[dict[str, Any]]  # per request: takedown_id, requested_at, scope, target, pages_withheld, ...
    rights_drops: list[dict[str, Any]]  # per stage and reason (opt-outs, licence, blocklist, obscene): pages
    pii_redactions: list[dict[str, Any]]  # per kind of personal data: values replaced, documents
    settings: dict[str, Any]  # config sections by name: extract, rights, dedup, quality, safety, privacy, decontam...
    code_version: str
    config_sha256: str
    plots: dict[str, str] = field(default_factory=dict)  # title -> PNG file name beside the card


def size_category(documents: int) -> str:
    return next((name for limit, name in _SIZE_CATEGORIES if documents < limit), "n>1B")


def _hub_dtype(data_type: pa.DataType) -> str:
    """The `datasets` name of an Arrow type (`date32[day]` is `date32` there, `double` is `float64`)."""
    if pa.types.is_date32(data_type):
        return "date32"
    if pa.types.is_float64(data_type):
        return "float64"
    return str(data_type)


def front_matter(facts: ReleaseFacts) -> dict[str, Any]:
    """The YAML header the Hub and `datasets` read: where the files are, their features and sizes."""
    parquet_bytes = sum(size for _, size in facts.shards)
    return {
        "pretty_name": facts.pretty_name,
        "license": facts.license,
        "language": sorted(facts.stats.by_language),
        "size_categories": [size_category(facts.stats.documents)],
        "task_categories": ["text-generation"],
        "configs": [{"config_name": "default", "default": True,
                     "data_files": [{"split": SPLIT, "path": f"{DATA_DIR}/{SPLIT}-*.parquet"}]}],
        "dataset_info": {
            "features": [{"name": f.name, "dtype": _hub_dtype(f.type)} for f in RELEASE_SCHEMA],
            "splits": [{"name": SPLIT, "num_bytes": facts.stats.text_bytes, "num_examples": facts.stats.documents}],
            "download_size": parquet_bytes,
            "dataset_size": facts.stats.text_bytes,
        },
    }


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.1f}%" if total else "-"


def _settings_rows(prefix: str, values: Any) -> list[list[Any]]:
    """Nested settings flattened to `section.key` rows."""
    if isinstance(values, dict):
        return [row for key, value in values.items() for row in _settings_rows(f"{prefix}.{key}", value)]
    return [[f"`{prefix}`", "off" if values is None else f"`{values}`"]]


def _length_rows(stats: ReleaseStats) -> list[list[Any]]:
    rows = []
    for index, low in enumerate(WORD_COUNT_BINS):
        high = WORD_COUNT_BINS[index + 1] - 1 if index + 1 < len(WORD_COUNT_BINS) else None
        count = stats.word_count_bins[index]
        if count:
            rows.append([f"{low:,}-{high:,}" if high is not None else f"{low:,}+", f"{count:,}",
                         _share(count, stats.documents)])
    return rows


def _takedowns_section(takedowns: list[dict[str, Any]]) -> str:
    """The requests applied, without who asked or why (theirs to share, not the card's)."""
    if not takedowns:
        return "No takedown request is on record."
    withheld = sum(t["pages_withheld"] for t in takedowns)
    return (f"{len(takedowns)} takedown requests applied; {withheld:,} documents of the released crawl dates "
            "withheld because of them:\n\n" + _table(
                ["request", "recorded", "scope", "target", "documents withheld"],
                [[t["takedown_id"], t["requested_at"].date().isoformat(), t["scope"], t["target"],
                  f"{t['pages_withheld']:,}"] for t in takedowns]))


def dataset_card(facts: ReleaseFacts, release_path: str) -> str:
    """The card's text: front matter, then the datasheet."""
    stats = facts.stats
    total = stats.documents
    parquet_bytes = sum(size for _, size in facts.shards)
    header = yaml.safe_dump(front_matter(facts), sort_keys=False, allow_unicode=True)
    loading = [
        "```python",
        "import datasets",
        f'corpus = datasets.load_dataset("parquet", data_dir="{release_path}/{DATA_DIR}", split="{SPLIT}")',
        "",
        "import polars",
        f'corpus = polars.scan_parquet("{release_path}/{DATA_DIR}/*.parquet")',
        "",
        "import duckdb",
        f"corpus = duckdb.sql(\"FROM '{release_path}/{DATA_DIR}/*.parquet'\")",
        "```",
    ]
    if "dolma" in facts.formats:
        loading.append(f"\nDolma documents (gzip JSONL, one document per line): `{release_path}/{DOLMA_DIR}/`.")
    sections = [
        f"---\n{header}---",
        f"# {facts.pretty_name} ({facts.version})",
        "Web pages turned into a deduplicated, quality-filtered text corpus, decontaminated against the evaluation "
        "benchmarks listed below, by the corpus_assets pipeline. Every document carries where it came from (URL, "
        "crawl date, fetch time, WARC file and offset). Generated with the release: do not edit.",
        _table(["", ""], [
            ["version", f"`{facts.version}` (tag `{facts.tag}`, content sha256 `{facts.digest}`)"],
            ["documents", f"{total:,}"],
            ["text", f"{stats.text_bytes:,} bytes of UTF-8, {stats.words:,} words"],
            ["shards", f"{len(facts.shards)} Parquet files (zstd), {parquet_bytes:,} bytes"],
            ["crawl dates", f"{facts.first_date} to {facts.last_date} ({len(stats.by_date)} with documents)"],
            ["created", facts.created_at.isoformat(timespec="seconds")],
            ["code version", f"`{facts.code_version}`"],
            ["config sha256", f"`{facts.config_sha256}`"],
        ]),
        "## Loading it\n\n" + "\n".join(loading),
        "## How the documents were chosen\n\nPages in, out and dropped by each stage over the released crawl dates "
        "(`drop_log` says why each page went: `SELECT * FROM drop_log WHERE url = ...`).\n\n" + _table(
            ["stage", "pages in", "pages out", "dropped", "drops by reason"],
            [[row["stage"], f"{row['pages_in']:,}", f"{row['pages_out']:,}", f"{row['dropped']:,}",
              row["drops_by_reason"] or "-"] for row in facts.funnel])
        + "\n\nEach document's `duplicate_cluster_size` counts it and the pages dropped as its exact or near "
        "duplicates on every published crawl date: sample by it to re-weight the corpus towards what the web "
        "repeats (FineWeb-2's rehydration), or ignore it for a deduplicated corpus.",
    ]
    for title, name in facts.plots.items():
        sections.append(f"![{title}]({name})")
    sections += [
        "## Sources\n\n" + _table(["source", "documents", "share"],
                                  [[s, f"{n:,}", _share(n, total)] for s, n in stats.by_source.most_common()]),
        "## Crawl dates\n\n" + _table(["crawl date", "documents"],
                                      [[d, f"{n:,}"] for d, n in sorted(stats.by_date.items())]),
        "## Languages\n\n" + _table(["language", "documents", "share"],
                                    [[language, f"{n:,}", _share(n, total)]
                                     for language, n in stats.by_language.most_common()]),
        f"## Top registered domains\n\n{len(stats.by_domain):,} registered domains in all; the first "
        f"{min(TOP_DOMAINS, len(stats.by_domain))}:\n\n" + _table(
            ["domain", "documents", "share"],
            [[d, f"{n:,}", _share(n, total)] for d, n in stats.by_domain.most_common(TOP_DOMAINS)]),
        f"## Document lengths\n\nWords per document: mean {stats.words / total:,.0f}, longest "
        f"{stats.longest_words:,}.\n\n" + _table(["words", "documents", "share"], _length_rows(stats)),
        "## Decontamination\n\nNo document shares enough of the word n-grams of any item of these benchmarks to be "
        "contaminated by it: at least `min_shared_ngrams` and `min_shared_fraction` of the item's n-grams that fewer "
        "than `template_min_items` items have (the decontamination settings below; checked again in SQL by "
        "`final_set`'s gate):\n\n" + (_table(
            ["benchmark", "items", "indexed n-grams", "items shorter than an n-gram", "items without n-grams"],
            [[b["benchmark"], f"{b['items']:,}", f"{b['ngrams']:,}", f"{b['short_items']:,}",
              f"{b['unindexed_items']:,}"] for b in facts.benchmarks])
            if facts.benchmarks else "**No benchmark was configured: this release is not decontaminated.**"),
        "## Settings\n\nThe extractor, rights policy, deduplication, quality and safety filters, personal-data "
        "redaction and decontamination as configured for this "
        "release (thresholds at FineWeb's values unless changed):\n\n" + _table(
            ["setting", "value"],
            [row for section, values in facts.settings.items() for row in _settings_rows(section, values)]),
        "## Takedowns\n\n" + _takedowns_section(facts.takedowns),
        "## Rights\n\nThe pages belong to their owners. The licence above is the one this compilation is released "
        "under; it grants nothing over the pages themselves. Lists the curation used: the UT1 blacklists of the "
        "Université Toulouse Capitole (CC BY-SA 4.0, as datatrove ships them) for the URL blocklist, and LDNOOBW "
        "(CC BY 4.0) for the obscenity rule. The licences the documents declare (a page's "
        "`<link rel=license>`, JSON-LD or Creative Commons link; a first-party source's stated licence) are in "
        "each row's `licence` column:\n\n" + _table(
            ["licence", "documents", "share"],
            [[licence, f"{n:,}", _share(n, total)] for licence, n in stats.by_licence.most_common()])
        + "\n\nPages left out of the released crawl dates for their rights or their content (opt-outs by "
        "robots.txt groups for AI crawlers, `noai`, TDMRep; the licence allow list; the blocklist; obscenity):\n\n"
        + (_table(["stage", "reason", "pages"], [[d["stage"], d["reason"], f"{d['pages']:,}"]
                                                 for d in facts.rights_drops])
           if facts.rights_drops else "None.")
        + "\n\n## Personal data\n\nE-mail addresses, phone numbers, IP addresses, card numbers and IBANs are "
        "replaced by typed placeholders (`<EMAIL>`, `<PHONE>`...) before decontamination; the values are never "
        "stored.\n\n" + (_table(["kind", "values replaced", "documents"],
                                  [[p["pii_type"], f"{p['redactions']:,}", f"{p['documents']:,}"]
                                   for p in facts.pii_redactions]) if facts.pii_redactions else "None found."),
    ]
    return "\n\n".join(sections) + "\n"


def read_front_matter(card: str) -> dict[str, Any]:
    """The YAML header of a card (what the Hub reads), parsed."""
    if not card.startswith("---\n"):
        raise ValueError("the card has no YAML front matter")
    return yaml.safe_load(card[4:card.index("\n---", 4)])
