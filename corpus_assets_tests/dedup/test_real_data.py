"""Dedup on real texts: Clough & Stevenson's labelled answers, and real news articles with small edits.

Run with `-s` to see the Clough recall table.
"""

from __future__ import annotations

import csv
import json
import statistics
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import pytest

from corpus_assets.dedup import (
    DedupConfig,
    band_hash_matrix,
    candidate_pairs,
    estimated_jaccard,
    fingerprint_texts,
    jaccard,
    near_duplicate_clusters,
)

ANSWER_CATEGORIES = ("cut", "light", "heavy", "non")


@dataclass(frozen=True)
class CloughFile:
    name: str
    task: str
    category: str  # cut, light, heavy, non, or orig for a source text
    text: str

    @property
    def key(self) -> tuple[int, str]:
        """Sources first, as if crawled before the answers: earlier wins."""
        return (0 if self.category == "orig" else 1, self.name)


def _read_text(path: Path) -> str:
    # Most files are UTF-8; some answers were saved as Windows-1252 (curly quotes, dashes).
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


@pytest.fixture(scope="module")
def clough(shared_data: Path) -> dict[tuple[int, str], CloughFile]:
    folder = shared_data / "neardup" / "clough"
    with (folder / "file_information.csv").open(newline="", encoding="utf-8") as listing:
        rows = list(csv.DictReader(listing))
    files = [CloughFile(row["File"], row["Task"], row["Category"], _read_text(folder / row["File"])) for row in rows]
    assert len(files) == 100 and sum(file.category == "orig" for file in files) == 5
    return {file.key: file for file in files}


@pytest.fixture(scope="module")
def clough_bands(clough) -> dict[tuple[int, str], set[int]]:
    keys = sorted(clough)
    matrix = band_hash_matrix(fingerprint_texts([clough[key].text for key in keys]).signatures)
    return {key: set(row) for key, row in zip(keys, matrix.tolist())}


def _source_key(answer: CloughFile) -> tuple[int, str]:
    return (0, f"orig_task{answer.task}.txt")


def test_no_independently_written_answer_collides_or_clusters(clough, clough_bands):
    non_answers = [key for key, file in clough.items() if file.category == "non"]
    assert len(non_answers) == 38
    for key_a, key_b in combinations(non_answers, 2):
        assert not clough_bands[key_a] & clough_bands[key_b], (key_a, key_b)
    for key in non_answers:
        assert not clough_bands[key] & clough_bands[_source_key(clough[key])], key
    clusters = near_duplicate_clusters(candidate_pairs(clough_bands))
    assert not set(non_answers) & set(clusters), "an independently written answer was merged"


def test_clusters_never_mix_tasks_and_are_led_by_the_source(clough, clough_bands):
    clusters = near_duplicate_clusters(candidate_pairs(clough_bands))
    for key, representative in clusters.items():
        assert clough[key].task == clough[representative].task
        if key != representative:
            assert clough[representative].category == "orig", (key, representative)


def test_recall_by_category_against_the_source(clough, clough_bands):
    """Reported, not tuned: cut and light answers are excerpts, mostly far below 0.72 against the whole source."""
    config = DedupConfig()
    keys = sorted(clough)
    signatures = dict(zip(keys, fingerprint_texts([clough[key].text for key in keys]).signatures))
    threshold = config.collision_threshold
    header = ("category", "answers", "collide", "recall", f"J>={threshold:.2f}", "expected", "median J", "max J",
              "median est")
    table = [header]
    recall = {}
    for category in ANSWER_CATEGORIES:
        answers = [key for key in keys if clough[key].category == category]
        sources = [_source_key(clough[key]) for key in answers]
        true_jaccards = [jaccard(clough[key].text, clough[source].text) for key, source in zip(answers, sources)]
        estimates = [estimated_jaccard(signatures[key], signatures[source]) for key, source in zip(answers, sources)]
        collided = sum(bool(clough_bands[key] & clough_bands[source]) for key, source in zip(answers, sources))
        recall[category] = collided / len(answers)
        # What the S-curve predicts from the true similarities: the check that LSH behaves as designed.
        expected = sum(config.collision_probability(value) for value in true_jaccards)
        table.append((category, len(answers), collided, f"{recall[category]:.2f}",
                      sum(value >= threshold for value in true_jaccards), f"{expected:.1f}",
                      f"{statistics.median(true_jaccards):.3f}", f"{max(true_jaccards):.3f}",
                      f"{statistics.median(estimates):.3f}"))
    print(f"\nClough & Stevenson: each answer against its whole source text; a band collision "
          f"({config.bands} bands x {config.rows_per_band} rows) makes it a near duplicate")
    for row in table:
        print(f"{row[0]:<9}" + "".join(f"{cell:>11}" for cell in row[1:]))
    assert recall["non"] == 0.0
    assert recall["cut"] >= recall["heavy"]  # loose: copying keeps more shingles than rewriting


@pytest.fixture(scope="module")
def aeb_articles(shared_data: Path) -> dict[str, str]:
    truth = json.loads((shared_data / "extraction" / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    return {page_id: page["articleBody"] for page_id, page in sorted(truth.items())}


def _republished(article: str) -> str:
    """The article as a second site might carry it: a typo fixed, a date changed, a line of boilerplate added."""
    words = article.split()
    words[len(words) // 3] = words[len(words) // 3].upper() + "s"
    words[len(words) // 2] = "2031"
    return "Home > News > World\n" + " ".join(words) + "\nShare this article: Facebook Twitter Email"


def test_a_republished_article_is_a_near_duplicate_of_the_original(aeb_articles):
    page_id, article = next((page_id, text) for page_id, text in aeb_articles.items() if len(text.split()) >= 400)
    copy = _republished(article)
    assert 0.85 < jaccard(article, copy) < 1.0
    fingerprints = fingerprint_texts([article, copy])
    assert fingerprints.content_hashes[0] != fingerprints.content_hashes[1]
    bands = band_hash_matrix(fingerprints.signatures).tolist()
    pairs = candidate_pairs({("2026-11-20", page_id): bands[0], ("2026-11-21", "copy"): bands[1]})
    assert near_duplicate_clusters(pairs) == {("2026-11-20", page_id): ("2026-11-20", page_id),
                                              ("2026-11-21", "copy"): ("2026-11-20", page_id)}


def test_distinct_real_articles_are_not_merged(aeb_articles):
    matrix = band_hash_matrix(fingerprint_texts(list(aeb_articles.values())).signatures)
    pairs = candidate_pairs(dict(zip(aeb_articles, matrix.tolist())))
    # Any candidate among 181 different articles would have to be a real near duplicate (a shared template).
    assert all(jaccard(aeb_articles[a], aeb_articles[b]) > 0.5 for a, b in pairs), pairs
