"""The two counts that several filters share: safe fractions and repeated items."""

from __future__ import annotations


def fraction(part: float, whole: float) -> float:
    """`part / whole`, 0 for an empty whole: an empty page or line list has none of what a ratio counts."""
    return part / whole if whole else 0.0


def count_duplicates(items: list[str]) -> tuple[int, int]:
    """How many of `items` repeat an earlier item, and how many characters those repeats hold."""
    unique = set(items)
    return len(items) - len(unique), sum(map(len, items)) - sum(map(len, unique))
