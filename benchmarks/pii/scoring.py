"""Span-level scores of the PII redactor on a labelled set.

A planted value of type T is found when one redaction of type T covers it and takes nothing more than
punctuation or spaces beside it. A redaction that finds no planted value of its type is a false positive when it
touches a planted sentence (the value, its near miss or the words around it); redactions lying wholly in the
original text are counted apart, since no one labelled that text. A near miss is falsely redacted when any
redaction touches it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from benchmarks.pii.labelled_set import NEAR_MISS_KINDS, LabelledPage, Planted
from corpus_assets.privacy import PII_TYPES, PrivacyConfig, find_pii

Redaction = tuple[int, int, str]


@dataclass
class Scores:
    """Counts over a labelled set, per PII type and per near-miss kind."""

    planted: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    false_positives: Counter = field(default_factory=Counter)
    in_original_text: Counter = field(default_factory=Counter)
    near_misses: Counter = field(default_factory=Counter)
    near_misses_redacted: Counter = field(default_factory=Counter)
    misses: list[tuple[str, Planted]] = field(default_factory=list)
    false_positive_examples: list[tuple[str, str, str]] = field(default_factory=list)

    def recall(self, pii_type: str) -> float:
        return self.found[pii_type] / self.planted[pii_type] if self.planted[pii_type] else float("nan")

    def precision(self, pii_type: str) -> float:
        flagged = self.found[pii_type] + self.false_positives[pii_type]
        return self.found[pii_type] / flagged if flagged else float("nan")

    def near_miss_redaction_rate(self, kind: str | None = None) -> float:
        kinds = NEAR_MISS_KINDS if kind is None else (kind,)
        total = sum(self.near_misses[k] for k in kinds)
        return sum(self.near_misses_redacted[k] for k in kinds) / total if total else float("nan")


def _overlaps(start: int, end: int, other_start: int, other_end: int) -> bool:
    return start < other_end and other_start < end


def _finds(redaction: Redaction, planted: Planted, text: str) -> bool:
    start, end, pii_type = redaction
    if pii_type != planted.label or start > planted.start or end < planted.end:
        return False
    return not any(character.isalnum() for character in text[start:planted.start] + text[planted.end:end])


def _in_original_text(redaction: Redaction, page: LabelledPage) -> bool:
    start, end, _ = redaction
    return any(span_start <= start and end <= span_end for span_start, span_end in page.original_spans)


def score_page(page: LabelledPage, redactions: Iterable[Redaction], scores: Scores) -> None:
    """Add one page's redactions (`find_pii` of its text) to `scores`."""
    redactions = list(redactions)
    matched: set[Redaction] = set()
    for planted in page.planted:
        if planted.is_pii:
            scores.planted[planted.label] += 1
            finding = next((redaction for redaction in redactions if _finds(redaction, planted, page.text)), None)
            if finding is None:
                scores.misses.append((page.page_id, planted))
            else:
                scores.found[planted.label] += 1
                matched.add(finding)
        else:
            scores.near_misses[planted.label] += 1
            if any(_overlaps(start, end, planted.start, planted.end) for start, end, _ in redactions):
                scores.near_misses_redacted[planted.label] += 1
    for redaction in redactions:
        if redaction in matched:
            continue
        start, end, pii_type = redaction
        if _in_original_text(redaction, page):
            scores.in_original_text[pii_type] += 1
        else:
            scores.false_positives[pii_type] += 1
            scores.false_positive_examples.append((page.page_id, pii_type, page.text[max(0, start - 30):end + 10]))


def score(pages: Iterable[LabelledPage], config: PrivacyConfig) -> Scores:
    """Redact every labelled page with `config` and score the redactions."""
    scores = Scores()
    for page in pages:
        score_page(page, find_pii(page.text, config), scores)
    return scores


def markdown_table(scores: Scores) -> str:
    """Per-type precision and recall, then the near-miss false-redaction rate per kind, as markdown."""
    lines = ["| type | planted | found | false positives | precision | recall | found in original texts |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for pii_type in PII_TYPES:
        lines.append(f"| {pii_type} | {scores.planted[pii_type]} | {scores.found[pii_type]} | "
                     f"{scores.false_positives[pii_type]} | {scores.precision(pii_type):.3f} | "
                     f"{scores.recall(pii_type):.3f} | {scores.in_original_text[pii_type]} |")
    lines += ["", "| near miss | planted | redacted | false-redaction rate |", "|---|---:|---:|---:|"]
    for kind in (*NEAR_MISS_KINDS, None):
        name = kind or "**all**"
        planted = sum(scores.near_misses.values()) if kind is None else scores.near_misses[kind]
        redacted = sum(scores.near_misses_redacted.values()) if kind is None else scores.near_misses_redacted[kind]
        lines.append(f"| {name} | {planted} | {redacted} | {scores.near_miss_redaction_rate(kind):.3f} |")
    return "\n".join(lines)
