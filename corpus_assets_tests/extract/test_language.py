"""Language identification on real translated pages (Debian's debian-reference in eight languages)."""

import pytest

from benchmarks.debian_docs import DEBIAN_REFERENCE_LANGUAGES, PackageUnavailable, debian_reference_pages
from corpus_assets.extract import (
    ExtractConfig,
    decode_html,
    extract_main_text,
    identify_language,
    judge_extraction,
)

# Chapters that are prose in every translation (the appendices and the index are partly English in some).
CHAPTERS = ("ch01", "ch03", "ch09")


def chapters(code):
    try:
        pages = debian_reference_pages(code)
    except PackageUnavailable as error:
        pytest.skip(f"debian-reference-{code}: {error}")
    return [page for page in pages if page.name.split(".")[0] in CHAPTERS]


def extracted(page):
    return extract_main_text(decode_html(page.read_bytes(), None).text, None, ExtractConfig())


@pytest.mark.parametrize("code", list(DEBIAN_REFERENCE_LANGUAGES))
def test_translated_chapters_are_identified_with_confidence(code):
    pages = chapters(code)
    assert len(pages) == len(CHAPTERS)
    for page in pages:
        guess = identify_language(extracted(page).text)
        assert guess.language == DEBIAN_REFERENCE_LANGUAGES[code], (page.name, guess)
        assert guess.score >= ExtractConfig().min_language_score, (page.name, guess)


@pytest.mark.parametrize("code", ["de", "fr", "ja", "zh-cn"])
def test_pages_outside_the_kept_languages_are_dropped_naming_language_and_score(code):
    page = chapters(code)[0]
    extraction = extracted(page)
    guess = identify_language(extraction.text)
    verdict = judge_extraction(extraction, guess, ExtractConfig())
    assert verdict.drop_reason == "language"
    assert f"language {DEBIAN_REFERENCE_LANGUAGES[code]} (score {guess.score:.3f})" in verdict.detail


def test_the_english_original_is_kept():
    page = chapters("en")[0]
    extraction = extracted(page)
    assert judge_extraction(extraction, identify_language(extraction.text), ExtractConfig()).drop_reason is None


def test_text_with_no_letters_has_no_language():
    assert identify_language("   \n\t ").language == "unknown"
    assert identify_language("").score == 0.0
