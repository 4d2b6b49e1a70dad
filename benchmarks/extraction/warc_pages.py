"""`uv run --frozen python -m benchmarks.extraction.warc_pages`: the pipeline's extractors on pages the rules were
never tuned on, the HTML responses of ../shared/data/warc (a multilingual Common Crawl excerpt and a wget crawl of
personal and project sites).

These pages have no ground truth, so the table measures agreement with trafilatura, not accuracy: how much of
trafilatura's text (word 4-grams, the AEB metric) an extractor also returns, and how much it adds. Its use is to
catch a rule that empties pages unlike the AEB's news articles: "pages under 25%" counts pages where an
extractor returns less than a quarter of trafilatura's words, and names them.
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_WARC_FOLDERS = [REPO_ROOT.parent / "shared" / "data" / "warc" / name for name in ("commoncrawl", "wget")]
REFERENCE = "trafilatura"
COMPARED = ("builtin", "resiliparse")
SHORT_SHARE = 0.25


def _html_pages(folders: list[Path]) -> list[tuple[str, str]]:
    from corpus_assets.crawl.fetch import content_type_of, is_html
    from corpus_assets.crawl.warc_source import WarcReadStats, iter_warc_responses
    from corpus_assets.extract import decode_html

    pages = []
    for warc in sorted(path for folder in folders for path in folder.glob("*.warc.gz") if ".wet." not in path.name):
        for response in iter_warc_responses(warc, WarcReadStats()):
            content_type = content_type_of(response.headers)
            if response.status == 200 and is_html(content_type):
                pages.append((response.url, decode_html(response.body, content_type).text))
    return pages


@dataclass(frozen=True)
class Agreement:
    pages: int
    returned: float  # mean share of trafilatura's 4-grams the extractor also returns
    added: float  # mean share of the extractor's 4-grams that trafilatura does not have
    median_word_ratio: float
    short_pages: list[str]  # under SHORT_SHARE of trafilatura's words


def warc_agreement(folders: list[Path], extractors: tuple[str, ...] = COMPARED) -> dict[str, Agreement]:
    """Each extractor against trafilatura over the folders' HTML pages (empty if there are none)."""
    sys.path.insert(0, str(REPO_ROOT))
    from benchmarks.extraction.metric import page_counts, score
    from corpus_assets.extract import ExtractConfig, extract_main_text

    pages = _html_pages(folders)
    if not pages:
        return {}

    def texts(extractor: str) -> list[str]:
        config = ExtractConfig(extractor=extractor)
        return [extract_main_text(html, url, config).text for url, html in pages]

    reference = texts(REFERENCE)
    results = {}
    for extractor in extractors:
        candidate = texts(extractor)
        agreement = score(zip(reference, candidate))
        ratios = [len(c.split()) / len(r.split()) for r, c in zip(reference, candidate) if r.split()]
        short = [url for (url, _), r, c in zip(pages, reference, candidate)
                 if len(c.split()) < SHORT_SHARE * len(r.split()) and page_counts(r, c)[2] > 20]
        results[extractor] = Agreement(len(pages), agreement.recall, 1 - agreement.precision,
                                       statistics.median(ratios), short)
    return results


def warc_agreement_table(folders: list[Path] | None = None) -> list[str]:
    """Markdown lines: per extractor, agreement with trafilatura over the WARC folders' HTML pages."""
    folders = folders or DEFAULT_WARC_FOLDERS
    results = warc_agreement(folders)
    if not results:
        return [f"no WARC pages under {', '.join(str(f) for f in folders)}"]
    lines = [f"{next(iter(results.values())).pages} HTML pages; trafilatura's text taken as the reference\n",
             "| extractor | trafilatura's 4-grams it returns | share of its 4-grams not in trafilatura's "
             f"| median words / trafilatura's | pages under {SHORT_SHARE:.0%} |", "| --- | --- | --- | --- | --- |"]
    for extractor, result in results.items():
        lines.append(f"| {extractor} | {result.returned:.3f} | {result.added:.3f} | {result.median_word_ratio:.2f} | "
                     f"{len(result.short_pages)} {' '.join(result.short_pages)} |")
    return lines


if __name__ == "__main__":
    print("\n".join(warc_agreement_table()))
