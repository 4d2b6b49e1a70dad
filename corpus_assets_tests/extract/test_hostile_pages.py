"""Pages made to hurt the extraction stage, through `extract_batch`: each is kept or dropped with a reason the
stage's gate knows, and none of them raises, with every extractor.

The crawl archive is replayed on every re-run of a date, so a page that raised would fail that date forever.
"""

import datetime as dt
import random

import pyarrow as pa
import pytest

from corpus_assets.drop_log import ERROR_DETAIL_MAX_CHARS
from corpus_assets.extract import DecodedHtml, ExtractConfig
from corpus_assets.extract import batch as extract_batch_module
from corpus_assets.extract.batch import DROP_REASONS, ExtractionWork, extract_batch
from corpus_assets.extract.main_text import MAX_ELEMENTS, MAX_HTML_CHARS
from corpus_assets.rights import RightsConfig

DATE = dt.date(2026, 11, 2)
EXTRACTORS = ["builtin", "trafilatura", "resiliparse"]
SENTENCE = "The river carried boats and goods to the city for hundreds of years, and people settled on its banks. "
ARTICLE = (f"<html><head><title>Rivers</title></head><body><article><p>{SENTENCE * 4}</p><p>{SENTENCE * 3}</p>"
           "</article></body></html>")
# A PNG signature, then noise, full of the control characters that lxml keeps in text it then refuses to set
# (drop_tree).
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(20261102).randbytes(200_000)


def page(body: bytes, content_type: str | None = "text/html", name: str = "page") -> dict:
    return {"page_id": f"id-{name}", "crawl_date": DATE, "url": f"https://hostile.test/{name}", "final_url": None,
            "content_type": content_type, "headers": None, "body": body}


def fates(pages: list[dict], extractor: str = "builtin") -> dict[str, dict]:
    """Each page's kept row, or its drop record, by URL; checks that every page got exactly one of them."""
    rows, drops, rights = extract_batch(ExtractionWork(pa.RecordBatch.from_pylist(pages)),
                                        ExtractConfig(extractor=extractor), RightsConfig())
    assert sorted(rights.column("url").to_pylist()) == sorted(p["url"] for p in pages)  # every page's rights
    by_url = {row["url"]: {"fate": "kept", **row} for row in rows.to_pylist()}
    by_url |= {drop["url"]: {"fate": drop["reason"], **drop} for drop in drops.to_pylist()}
    assert sorted(by_url) == sorted(p["url"] for p in pages) and rows.num_rows + drops.num_rows == len(pages)
    assert {fate["fate"] for fate in by_url.values()} <= {"kept"} | DROP_REASONS.known
    return by_url


def fate_of(body: bytes, content_type: str | None, extractor: str) -> dict:
    (fate,) = fates([page(body, content_type)], extractor).values()
    return fate


def test_a_page_that_raises_is_dropped_and_the_batch_goes_on(monkeypatch):
    extract_main_text = extract_batch_module.extract_main_text

    def raising_for_one_url(html, url, config):
        if url.endswith("/raises"):
            raise RuntimeError("an extractor bug\nwith a second line " + "and a long tail " * 100)
        return extract_main_text(html, url, config)

    monkeypatch.setattr(extract_batch_module, "extract_main_text", raising_for_one_url)
    by_url = fates([page(ARTICLE.encode(), name="before"), page(ARTICLE.encode(), name="raises"),
                    page(ARTICLE.encode(), name="after")])
    assert [by_url[f"https://hostile.test/{name}"]["fate"] for name in ("before", "raises", "after")] == [
        "kept", "extraction_error", "kept"]
    detail = by_url["https://hostile.test/raises"]["detail"]
    assert detail.startswith("RuntimeError: an extractor bug with a second line and a long tail")
    assert "\n" not in detail and len(detail) <= ERROR_DETAIL_MAX_CHARS


def test_a_text_that_makes_lxml_raise_is_an_extraction_error(monkeypatch):
    # decode_html removes the control characters lxml refuses; a text that still held them (as every decoded text
    # did before) makes lxml raise in the builtin extractor, a real error of the kind a page may still find.
    monkeypatch.setattr(extract_batch_module, "decode_html",
                        lambda body, content_type: DecodedHtml(body.decode("latin-1"), "iso8859-1", "fallback"))
    by_url = fates([page(PNG, name="png"), page(ARTICLE.encode(), name="article")])
    assert by_url["https://hostile.test/article"]["fate"] == "kept"
    png = by_url["https://hostile.test/png"]
    assert (png["fate"], png["stage"]) == ("extraction_error", "extracted_text")
    assert png["detail"].startswith("ValueError: All strings must be XML compatible")


@pytest.fixture(scope="module")
def sixty_megabytes_on_one_line() -> bytes:
    """60 MB of paragraphs and no newline: a shape of page that takes the builtin extractor 40 s, trafilatura 85 s
    and 2 GB, whole. Built once for the module."""
    paragraph = f"<p>{SENTENCE}</p>".encode()
    return b"<html><body>" + paragraph * (60_000_000 // len(paragraph)) + b"</body></html>"


@pytest.fixture(scope="module")
def sixty_megabytes_of_one_text() -> bytes:
    """One text node of 60 MB, more than libxml2 parses (10 MB) without XML_PARSE_HUGE."""
    return b"<html><body><p>" + SENTENCE.encode() * (60_000_000 // len(SENTENCE)) + b"</p></body></html>"


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_a_page_nested_two_hundred_thousand_levels_deep(extractor):
    fate = fate_of(b"<html><body>" + b"<div>" * 200_000 + SENTENCE.encode() * 3, "text/html", extractor)
    # libxml2 stops at 256 levels, before the text; every extractor sees what it parsed.
    assert fate["fate"] == "no_text" and "256" in fate["detail"]


def test_a_deep_page_of_more_elements_than_the_bound_is_looked_at_up_to_it():
    # Blocks nested 250 deep, near where libxml2 stops, and more of them than MAX_ELEMENTS: the article after them
    # is left out, and the drop says why the page has no text.
    blocks = ("<div>" * 250 + "</div>" * 250) * (MAX_ELEMENTS // 250 + 4)
    fate = fate_of(ARTICLE.replace("<body>", f"<body>{blocks}").encode(), "text/html", "builtin")
    assert fate["fate"] == "no_text" and f"looked at the first {MAX_ELEMENTS} of " in fate["detail"]


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("shape", ["sixty_megabytes_on_one_line", "sixty_megabytes_of_one_text"])
def test_a_sixty_megabyte_page_on_one_line_is_kept_from_its_first_characters(extractor, shape, request):
    fate = fate_of(request.getfixturevalue(shape), "text/html; charset=utf-8", extractor)
    assert fate["fate"] == "kept" and fate["text"].startswith(SENTENCE.strip())
    assert 0.9 * MAX_HTML_CHARS < fate["char_count"] <= MAX_HTML_CHARS


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize(("encoding", "content_type"), [
    ("utf-16-le", "text/html; charset=utf-16le"),
    ("utf-16-le", "text/html; charset=utf-16"),
    ("utf-16-be", "text/html; charset=utf-16be"),
    ("utf-16-le", "text/html"),
    ("utf-16-be", None),
])
def test_utf16_without_a_bom_declared_or_not(extractor, encoding, content_type):
    fate = fate_of(ARTICLE.encode(encoding), content_type, extractor)
    assert fate["fate"] == "kept" and SENTENCE.strip() in fate["text"]


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize(("body", "content_type"), [
    (ARTICLE.replace("city", "café").encode("utf-8"), "text/html; charset=iso-8859-1"),
    (ARTICLE.replace("city", "“café”").encode("cp1252"), "text/html; charset=utf-8"),
    (ARTICLE.replace("city", "“café”").encode("cp1252"), "text/html; charset=base64"),
])
def test_a_wrong_declared_charset_keeps_the_page(extractor, body, content_type):
    fate = fate_of(body, content_type, extractor)
    assert fate["fate"] == "kept" and "The river carried boats and goods to the" in fate["text"]


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_nul_bytes_inside_the_text(extractor):
    fate = fate_of(ARTICLE.replace(" goods ", " goods\x00 ").replace("<p>", "<p>\x00").encode(), "text/html",
                   extractor)
    assert fate["fate"] == "kept" and "\x00" not in fate["text"]


# A manual page as groff -Thtml and man2html write it, a form feed between its pages; and a CI log page that kept
# the ANSI colour codes of its terminal. libxml2 keeps those control characters in the text it parses, and lxml
# refuses to set such a text again when it removes the comment or block before it.
MAN_PAGE = ("<!-- Creator     : groff version 1.22.4 -->\n<html><head><title>LS</title></head><body>\n"
            '<h1 align="center">LS</h1>\n<hr>\n<h2>NAME</h2>\n<p>ls - list directory contents</p>\n'
            "<h2>DESCRIPTION</h2>\n<p>List information about the files in the current directory by default, and sort "
            "the entries alphabetically when no other order is asked for on the command line.</p>\n"
            "<!-- page 2 -->\x0c\n<h2>AUTHOR</h2>\n<p>Written by Richard Stallman and David MacKenzie, who kept "
            "the program working on every system that the project supported for many years.</p>\n"
            "</body></html>").encode()
ANSI_LOG = ("<html><head><title>Build #1234</title><script>window.log = true;</script></head><body><h1>Build log</h1>"
            "<pre>\x1b[32m[INFO]\x1b[0m Downloading the dependencies of the project from the package mirror.\n"
            "\x1b[32m[INFO]\x1b[0m Compiling the sources of every module with the release profile.\n"
            "\x1b[31m[ERROR]\x1b[0m The tests of the parser module failed because the sample file was missing.\n"
            "</pre><script>scrollToEnd();</script>\x1b[0m<p>The build failed after four minutes, and the team was "
            "told about the error by mail.</p></body></html>").encode()


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize(("body", "words"), [
    (MAN_PAGE, ["sort the entries alphabetically", "Written by Richard Stallman"]),
    (ANSI_LOG, ["Downloading the dependencies", "the sample file was missing", "The build failed"]),
], ids=["form-feed-man-page", "ansi-coloured-log"])
def test_control_characters_of_terminals_and_printers_keep_the_page(extractor, body, words):
    fate = fate_of(body, "text/html; charset=utf-8", extractor)
    assert fate["fate"] == "kept" and all(word in fate["text"] for word in words)
    assert not set(fate["text"]) & {"\x0c", "\x1b"}


@pytest.mark.parametrize("extractor", EXTRACTORS)
@pytest.mark.parametrize("body", [b"\x00" * 100_000, b""], ids=["only-nul", "empty"])
def test_a_body_with_no_text_at_all(extractor, body):
    assert fate_of(body, "text/html", extractor)["fate"] == "no_text"


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_a_body_that_is_not_html(extractor):
    # Resiliparse finds words in the noise, in no language kept.
    assert fate_of(PNG, "text/html", extractor)["fate"] in {"no_text", "language"}
