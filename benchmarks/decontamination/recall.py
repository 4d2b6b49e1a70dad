"""Recall and false positives of a contamination rule on the planted set (planted.py), as markdown tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.decontamination.planted import EDIT_VARIANTS, PlantedPage, PlantedSet, question_of
from corpus_assets.decontam.index import ContaminationIndex

# Buckets of the planted question's words (as written): under 13, no 13-gram of the question alone exists.
LENGTH_BUCKETS = ((1, 7), (8, 12), (13, 19), (20, 39), (40, None))
LONG_ENOUGH_FOR_13_GRAMS = 13


def bucket_of(words: int) -> str:
    """The label of the length bucket a question of `words` words falls in."""
    for low, high in LENGTH_BUCKETS:
        if words >= low and (high is None or words <= high):
            return f"{low}-{high}" if high is not None else f">= {low}"
    raise ValueError(f"no bucket for {words} words")


@dataclass(frozen=True, slots=True)
class RuleResult:
    """What one index found: per (variant, bucket) the targets found and planted, and the flagged controls."""

    found: Counter
    planted: Counter
    flagged_controls: list[tuple[PlantedPage, str]]  # the page and the item it was attributed to
    controls: int


def evaluate(index: ContaminationIndex, planted: PlantedSet) -> RuleResult:
    """Run `index.contamination` over every planted page: a target counts as found when the page is attributed to
    that very item; any contamination of a control page is a false positive."""
    found, planted_counts = Counter(), Counter()
    for page in planted.targets:
        key = (page.variant, bucket_of(len(question_of(page.item).split())))
        planted_counts[key] += 1
        match = index.contamination(page.text)
        found[key] += match is not None and (match.benchmark, match.item_id) == (page.item.benchmark,
                                                                                 page.item.item_id)
    flagged = []
    for page in planted.controls:
        match = index.contamination(page.text)
        if match is not None:
            flagged.append((page, f"{match.benchmark} {match.item_id}: {match.evidence()}"))
    return RuleResult(found, planted_counts, flagged, len(planted.controls))


def _cell(found: int, planted: int) -> str:
    return f"{found / planted:.2f} ({found}/{planted})" if planted else "-"


def recall_table(result: RuleResult) -> str:
    """Recall by question length (rows) and edit (columns), with totals over all and over questions of 13+ words."""
    buckets = [bucket_of(low) for low, _ in LENGTH_BUCKETS]
    lines = ["| question words | " + " | ".join(EDIT_VARIANTS) + " |", "|---|" + "---:|" * len(EDIT_VARIANTS)]

    def row(label: str, chosen: Sequence[str]) -> str:
        cells = [_cell(sum(result.found[(v, b)] for b in chosen), sum(result.planted[(v, b)] for b in chosen))
                 for v in EDIT_VARIANTS]
        return f"| {label} | " + " | ".join(cells) + " |"

    for bucket in buckets:
        lines.append(row(bucket, [bucket]))
    long_enough = [bucket_of(low) for low, _ in LENGTH_BUCKETS if low >= LONG_ENOUGH_FOR_13_GRAMS]
    lines.append(row(f"**>= {LONG_ENOUGH_FOR_13_GRAMS}**", long_enough))
    lines.append(row("**all**", buckets))
    return "\n".join(lines)
