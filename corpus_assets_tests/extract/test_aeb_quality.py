"""The built-in extractor against AEB's ground truth, and against trafilatura on pages it was never tuned on:
floors under its measured quality (no timing here)."""

import pytest

from benchmarks.extraction.metric import load_aeb, page_counts, score, split_dev_test
from benchmarks.extraction.warc_pages import warc_agreement
from corpus_assets.extract import ExtractConfig, decode_html, extract_main_text

# Measured 0.970 (P 0.957, R 0.983; dev half 0.968, test half 0.972) with `python -m benchmarks.extraction`;
# the goal is 0.955, and a drop below this floor is a regression.
BUILTIN_F1_FLOOR = 0.96
# Measured 0.885 on the 54 HTML pages of ../shared/data/warc; one spam page is under 25% for every extractor.
WARC_RETURNED_FLOOR = 0.86


def test_metric_counts_shingles_of_words():
    assert page_counts("one two three four five", "one two three four five") == (2, 0, 0)
    assert page_counts("one two three four five", "One, two; three four!") == (1, 0, 1)
    perfect = score([("a b c d e", "a b c d e"), ("", "")])
    assert (perfect.f1, perfect.pages) == (1.0, 2)
    missed = score([("one two three four", "")])
    assert (missed.precision, missed.recall) == (0.0, 0.0)  # the page counts for recall only


def test_split_is_fixed_and_disjoint(shared_data):
    pages = load_aeb(shared_data / "extraction" / "aeb")
    dev, test = split_dev_test(pages)
    assert len(dev) + len(test) == len(pages) == 181
    assert not {p.page_id for p in dev} & {p.page_id for p in test}
    assert split_dev_test(pages) == (dev, test)


@pytest.mark.timeout(300)
def test_builtin_extractor_stays_above_its_aeb_floor(shared_data):
    pages = load_aeb(shared_data / "extraction" / "aeb")
    config = ExtractConfig(extractor="builtin")
    measured = score(
        (page.truth, extract_main_text(decode_html(page.html, None).text, page.url, config).text) for page in pages
    )
    assert measured.f1 >= BUILTIN_F1_FLOOR, measured


@pytest.mark.timeout(300)
def test_builtin_extractor_keeps_what_trafilatura_finds_on_pages_it_was_not_tuned_on(shared_data):
    folders = [shared_data / "warc" / "commoncrawl", shared_data / "warc" / "wget"]
    builtin = warc_agreement(folders, extractors=("builtin",))["builtin"]
    assert builtin.pages == 54
    assert builtin.returned >= WARC_RETURNED_FLOOR, builtin
    # An FAQ written half without <p> and blog posts wrapped in <header> once lost nearly all their text.
    assert not {"https://commoncrawl.org/faq", "https://commoncrawl.org/blog/march-april-2024-newsletter"} & set(
        builtin.short_pages)
