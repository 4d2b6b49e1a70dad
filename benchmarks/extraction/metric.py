"""The article-extraction-benchmark metric, as ../shared/data/README.md describes it.

Both texts are cut into words; each page is scored on the counts of its word 4-gram shingles: TP is the overlap,
FP what the prediction adds, FN what it misses. Precision and recall are averaged over pages (a page with
TP + FP = 0 is left out of precision, with TP + FN = 0 out of recall; FP = FN = 0 scores 1 for both), and F1 is
computed from the two means.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SHINGLE = 4
# Fixed once, before any tuning: the development half is what rules may be tuned on, the test half is not.
SPLIT_SEED = 20261123
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class AebPage:
    page_id: str
    url: str | None
    html: bytes
    truth: str


@dataclass(frozen=True)
class Score:
    f1: float
    precision: float
    recall: float
    pages: int


def load_aeb(folder: Path) -> list[AebPage]:
    """The AEB pages, sorted by id."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        AebPage(page_id, entry.get("url"), gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes()),
                entry["articleBody"])
        for page_id, entry in sorted(truth.items())
    ]


def split_dev_test(pages: list[AebPage]) -> tuple[list[AebPage], list[AebPage]]:
    """Half the pages to tune on, half to report on: the same halves on every machine."""
    shuffled = list(pages)
    random.Random(SPLIT_SEED).shuffle(shuffled)
    half = len(shuffled) // 2
    return sorted(shuffled[:half], key=lambda p: p.page_id), sorted(shuffled[half:], key=lambda p: p.page_id)


def _shingles(text: str) -> Counter:
    words = _WORD.findall(text.lower())
    return Counter(tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))


def page_counts(truth: str, prediction: str) -> tuple[int, int, int]:
    """(TP, FP, FN) of one page."""
    expected, predicted = _shingles(truth), _shingles(prediction)
    tp = sum((expected & predicted).values())
    return tp, sum(predicted.values()) - tp, sum(expected.values()) - tp


def score(pairs: Iterable[tuple[str, str]]) -> Score:
    """The metric over (truth, prediction) pairs."""
    precisions, recalls, pages = [], [], 0
    for truth, prediction in pairs:
        pages += 1
        tp, fp, fn = page_counts(truth, prediction)
        if fp == 0 and fn == 0:
            precisions.append(1.0)
            recalls.append(1.0)
            continue
        if tp + fp:
            precisions.append(tp / (tp + fp))
        if tp + fn:
            recalls.append(tp / (tp + fn))
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(f1, precision, recall, pages)
