"""When a page is contaminated by a benchmark item: the overlap rule, shared by the matcher and the gate's SQL.

A page is contaminated by an item when it shares enough of the item's *specific* n-grams. An n-gram is specific
unless it is a *template*: one that `template_min_items` or more distinct items have (MMLU's 895 moral_scenarios
items open with one 33-word instruction; "which of the following is not a" opens hundreds of questions). A
template says nothing about which item a page quotes, so it is never evidence, and it does not count in the
item's own n-grams either.

Of an item with `t` specific n-grams, a page must share at least

    needed(t) = min(t, max(min_shared_ngrams, min_shared_fraction * t))

distinct ones: a share of the item (an item quoted with a few words edited keeps most of its n-grams; an unrelated
page that happens to share a phrase with a long item shares a small part of it), at least `min_shared_ngrams` of
them (two items of a subject often share a phrase or two), and never more than the item has (an item of few
n-grams is found when all of them are). The comparison is in floating point, the same in Python and in SQL
(`sql/final_set/audit.sql`, which gets `sql_parameters()`).

`ANY_NGRAM` is the rule of GPT-3 and of this pipeline before it: one shared n-gram, templates included.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class OverlapRule:
    """How many of an item's specific n-grams a page must share to be contaminated by it (see the module doc)."""

    template_min_items: int | None = None  # None: no n-gram is a template
    min_shared_ngrams: int = 1
    min_shared_fraction: float = 0.0

    def __post_init__(self) -> None:
        if self.template_min_items is not None and self.template_min_items < 2:
            raise ValueError(f"template_min_items must be at least 2, not {self.template_min_items}")
        if self.min_shared_ngrams < 1:
            raise ValueError(f"min_shared_ngrams must be at least 1, not {self.min_shared_ngrams}")
        if not 0.0 <= self.min_shared_fraction <= 1.0:
            raise ValueError(f"min_shared_fraction must be between 0 and 1, not {self.min_shared_fraction}")

    def is_template(self, items: int) -> bool:
        """Whether an n-gram that `items` distinct items have is a template (never evidence)."""
        return self.template_min_items is not None and items >= self.template_min_items

    def needed(self, specific_ngrams: int) -> float:
        """How many distinct specific n-grams of an item with `specific_ngrams` of them a page must share."""
        return min(specific_ngrams, max(self.min_shared_ngrams, self.min_shared_fraction * specific_ngrams))

    def contaminates(self, shared: int, specific_ngrams: int) -> bool:
        """Whether sharing `shared` of an item's `specific_ngrams` specific n-grams is contamination."""
        return shared > 0 and shared >= self.needed(specific_ngrams)

    def sql_parameters(self) -> dict[str, Any]:
        """The rule as the `$parameters` of `sql/final_set/audit.sql` (a null template_min_items: no template)."""
        return {"template_min_items": self.template_min_items, "min_shared_ngrams": self.min_shared_ngrams,
                "min_shared_fraction": float(self.min_shared_fraction)}

    def describe(self) -> str:
        """The rule in words, for metadata and benchmark tables."""
        templates = ("no template" if self.template_min_items is None
                     else f"n-grams of >= {self.template_min_items} items ignored")
        return (f"shares >= max({self.min_shared_ngrams}, {self.min_shared_fraction:g} x) of an item's specific "
                f"n-grams; {templates}")


ANY_NGRAM = OverlapRule()
