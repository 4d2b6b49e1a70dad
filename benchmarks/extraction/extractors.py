"""Every extractor the benchmark compares, as `html -> text` (None for a parse-only baseline)."""

from __future__ import annotations

from collections.abc import Callable


def _bs_get_text() -> Callable[[str], str]:
    from bs4 import BeautifulSoup

    return lambda html: BeautifulSoup(html, "lxml").get_text("\n")


def _bs_parse_only() -> Callable[[str], None]:
    from bs4 import BeautifulSoup

    def parse(html: str) -> None:
        BeautifulSoup(html, "lxml")

    return parse


def _trafilatura(fast: bool) -> Callable[[str], str]:
    import trafilatura

    return lambda html: trafilatura.extract(html, fast=fast) or ""


def _resiliparse() -> Callable[[str], str]:
    from resiliparse.extract.html2text import extract_plain_text

    return lambda html: extract_plain_text(html, main_content=True)


def _corpus_assets(extractor: str) -> Callable[[str], str]:
    from corpus_assets.extract import ExtractConfig, extract_main_text

    config = ExtractConfig(extractor=extractor)
    return lambda html: extract_main_text(html, None, config).text


# Name shown in the table -> factory; the order is the table's.
EXTRACTORS: dict[str, Callable[[], Callable[[str], str | None]]] = {
    "BeautifulSoup get_text()": _bs_get_text,
    "BeautifulSoup parse alone (lxml)": _bs_parse_only,
    "trafilatura": lambda: _trafilatura(fast=False),
    "trafilatura fast=True": lambda: _trafilatura(fast=True),
    "resiliparse main_content=True": _resiliparse,
    "corpus_assets builtin": lambda: _corpus_assets("builtin"),
    "corpus_assets trafilatura": lambda: _corpus_assets("trafilatura"),
    "corpus_assets resiliparse": lambda: _corpus_assets("resiliparse"),
}
