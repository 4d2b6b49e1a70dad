"""Shingles, true Jaccard and the exact-duplicate content hash, through the shared normalisation."""

import pytest

from corpus_assets.dedup import content_hash, jaccard, shingles, word_shingles
from corpus_assets.text import normalize_for_matching
from corpus_assets_tests.texts import ARTICLES

RIVERS = " ".join(ARTICLES["rivers"])
BREAD = " ".join(ARTICLES["bread"])


def test_texts_equal_after_normalisation_have_the_same_content_hash():
    original = "Crème brûlée: the recipe (2024 edition)."
    reformatted = "  CREME   brulee -- the RECIPE\n2025 edition!! "
    assert content_hash(original) == content_hash(reformatted)
    assert content_hash(original, fold_numbers=False) != content_hash(reformatted, fold_numbers=False)
    assert content_hash(original) != content_hash("Creme brulee: the recipe, second edition.")


def test_content_hash_is_the_md5_of_the_normalised_text():
    normalized = normalize_for_matching(RIVERS, fold_numbers=True)
    assert len(content_hash(RIVERS)) == 32
    assert content_hash(RIVERS) == content_hash(normalized)


def test_shingles_are_word_n_grams_of_the_normalised_words():
    assert shingles("The cat, the CAT sat.", 2) == {("the", "cat"), ("cat", "the"), ("cat", "sat")}
    assert shingles("Born in 1984", 3) == {("born", "in", "0000")}
    assert shingles("Born in 1984", 3, fold_numbers=False) == {("born", "in", "1984")}


def test_a_text_shorter_than_n_is_one_shingle_and_an_empty_text_none():
    assert shingles("Hello, world!") == {("hello", "world")}
    assert shingles(" ... ") == set()
    assert word_shingles(["a", "b", "c"], 2) == [("a", "b"), ("b", "c")]
    with pytest.raises(ValueError):
        word_shingles(["a"], 0)


def test_jaccard_of_word_shingles():
    assert jaccard(RIVERS, RIVERS.upper()) == 1.0
    assert jaccard(RIVERS, BREAD) == 0.0
    assert jaccard("", "") == 1.0 and jaccard("", RIVERS) == 0.0
    # a b c d / a b c e with 2-grams: {ab, bc, cd} vs {ab, bc, ce}: 2 shared of 4.
    assert jaccard("a b c d", "a b c e", 2) == pytest.approx(0.5)
