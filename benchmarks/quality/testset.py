"""The quality filters' test set: real texts, extracted by the pipeline, in many languages and kinds of writing.

    uv run --frozen python -m benchmarks.quality.testset        (rebuild it; `make benchmark-quality` builds it once)

What it holds, one JSON line per page (`id`, `source`, `language`, `text`), and how it is made:

- the 181 news and article pages of the article-extraction benchmark (`../shared/data/extraction/aeb/html`);
- Debian's documentation packages, downloaded with apt (`benchmarks/debian_docs.py`, cached in
  ~/.cache/corpus_assets_tests): reference documentation in English (`python3.11-doc`, Sphinx;
  `postgresql-doc-15`, the newest version apt offers, DocBook), and the same documents translated:
  `debian-handbook` (26 languages, Publican), the Apache HTTP Server manual of `apache2-doc` (11 languages,
  untranslated pages in English) and `debian-reference` (8 languages).

Every page goes through the pipeline's own extraction (`extract_main_text`, default settings) and language
identification; a page whose text has fewer words than extraction's `min_words` is left out, as `extracted_text`
drops it before the filters see it. The language is the identified one, not the package's: that is what the quality
stage reads. The file is `~/.cache/corpus_assets_bench/quality-testset-<VERSION>.jsonl.gz`; a change to how it is
built bumps VERSION, so a stale file is never read.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.debian_docs import (
    DEBIAN_REFERENCE_LANGUAGES,
    PackageUnavailable,
    debian_reference_pages,
    package_html_pages,
    postgresql_doc_sites,
)
from benchmarks.pipeline.corpus import CACHE
from corpus_assets.extract import ExtractConfig, decode_html, extract_main_text, identify_language

VERSION = 1
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
AEB_HTML = SHARED_DATA / "extraction" / "aeb" / "html"


@dataclass(frozen=True)
class TestPage:
    """One text of the test set: a stable id (source and path), where it comes from, its language and text."""

    id: str
    source: str
    language: str
    text: str


def testset_path() -> Path:
    """Where the test set of this VERSION is kept."""
    return CACHE / f"quality-testset-v{VERSION}.jsonl.gz"


def _package_sources() -> Iterator[tuple[str, list[Path]]]:
    """(source name, HTML files) of every Debian package, in a fixed order."""
    yield "python3.11-doc", package_html_pages("python3.11-doc", "usr/share/doc/python3.11/html")
    yield "postgresql-doc-15", sorted(postgresql_doc_sites()[1].glob("*.html"))
    yield "debian-handbook", package_html_pages("debian-handbook", "usr/share/doc/debian-handbook/html")
    yield "apache2-doc", package_html_pages("apache2-doc", "usr/share/doc/apache2-doc/manual")
    for code in DEBIAN_REFERENCE_LANGUAGES:
        yield f"debian-reference-{code}", debian_reference_pages(code)


def _html_files() -> Iterator[tuple[str, str, bytes]]:
    """(source, id, HTML bytes) of every page, the shared AEB pages first; an id is the source and the page's path
    below the source's folder."""
    if not AEB_HTML.is_dir():
        sys.exit(f"the AEB pages are missing: {AEB_HTML} (the shared data folder ../shared/data beside the checkout)")
    for path in sorted(AEB_HTML.glob("*.html.gz")):
        yield "aeb", f"aeb/{path.name.removesuffix('.html.gz')}", gzip.decompress(path.read_bytes())
    for source, pages in _package_sources():
        root = Path(os.path.commonpath(pages)) if len(pages) > 1 else pages[0].parent
        for page in pages:
            yield source, f"{source}/{page.relative_to(root)}", page.read_bytes()


def build_testset(path: Path) -> Counter:
    """Extract every page and write the test set to `path`; the pages per (source, language)."""
    config = ExtractConfig()
    counts: Counter = Counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with gzip.open(partial, "wt", encoding="utf-8") as out:
        for source, page_id, html in _html_files():
            text = extract_main_text(decode_html(html, None).text, None, config).text
            if len(text.split()) < config.min_words:
                continue
            language = identify_language(text).language
            out.write(json.dumps({"id": page_id, "source": source, "language": language, "text": text},
                                 ensure_ascii=False) + "\n")
            counts[source, language] += 1
    partial.rename(path)
    return counts


def load_testset() -> list[TestPage]:
    """The test set, built first if this VERSION's file is missing (downloads Debian packages with apt)."""
    path = testset_path()
    if not path.exists():
        print(f"building the quality test set into {path} ...", flush=True)
        build_testset(path)
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [TestPage(**json.loads(line)) for line in lines]


def main() -> None:
    try:
        counts = build_testset(testset_path())
    except PackageUnavailable as error:
        sys.exit(f"cannot build the test set: {error}")
    by_source: Counter = Counter()
    for (source, _), count in counts.items():
        by_source[source] += count
    print(f"{sum(counts.values())} pages in {testset_path()}")
    for source, count in by_source.items():
        languages = ", ".join(f"{language} {n}" for (s, language), n in counts.most_common() if s == source)
        print(f"  {source}: {count} ({languages})")


if __name__ == "__main__":
    main()
