"""The redactor on values planted in the real AEB article texts (../shared/data): recall, precision, near misses.

`make benchmark-pii` measures 1.000 recall and precision for every type and no near miss redacted (seeds
20261202 and 1-5, five values per type and kind; seed 11 here, one each, measures the same). The recall and
precision bars leave room for a generator change to plant a rarer format; a redacted near miss fails.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.pii.labelled_set import NEAR_MISS_KINDS, build_labelled_set
from benchmarks.pii.scoring import score
from corpus_assets.privacy import PII_TYPES, PrivacyConfig


@pytest.fixture(scope="module")
def aeb_texts(shared_data: Path) -> dict[str, str]:
    truth = json.loads((shared_data / "extraction" / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    return {page_id: page["articleBody"] for page_id, page in truth.items()}


def test_the_labelled_set_records_each_planted_value_where_it_is(aeb_texts):
    pages = build_labelled_set(dict(list(sorted(aeb_texts.items()))[:20]), seed=7)
    assert len(pages) == 20
    for page in pages:
        assert sorted(planted.label for planted in page.planted) == sorted((*PII_TYPES, *NEAR_MISS_KINDS))
        assert all(page.text[planted.start:planted.end] == planted.value for planted in page.planted)
        original = aeb_texts[page.page_id]
        assert "".join(page.text[start:end] for start, end in page.original_spans) == original
    assert build_labelled_set(aeb_texts, seed=7)[:20] == pages  # a seed always builds the same set


def test_every_type_is_found_and_no_near_miss_is_redacted(aeb_texts):
    scores = score(build_labelled_set(aeb_texts, seed=11), PrivacyConfig())
    for pii_type in PII_TYPES:
        assert scores.planted[pii_type] == len(aeb_texts)
        assert scores.recall(pii_type) >= 0.99, (pii_type, scores.misses)
        assert scores.precision(pii_type) >= 0.99, (pii_type, scores.false_positive_examples)
    assert sum(scores.near_misses.values()) == len(aeb_texts) * len(NEAR_MISS_KINDS)
    assert sum(scores.near_misses_redacted.values()) == 0, scores.false_positive_examples


def test_a_type_switched_off_is_never_found(aeb_texts):
    scores = score(build_labelled_set(aeb_texts, seed=11), PrivacyConfig(types=("email", "iban")))
    assert scores.recall("email") == scores.recall("iban") == 1.0
    assert scores.found["phone"] == scores.found["credit_card"] == scores.found["ip_address"] == 0
