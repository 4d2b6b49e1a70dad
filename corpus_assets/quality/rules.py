"""Every rule of the quality filters as one comparison of a stored signal with a configured threshold.

`RULES` is in pipeline order (Gopher repetition, Gopher quality, C4, FineWeb; within a filter, datatrove's order),
and the verdict is the first rule that fails, so a verdict can be recomputed from the `quality_signals` table
alone: `signal < threshold` for a `min` rule, `signal > threshold` for a `max` rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from pydantic import BaseModel

from corpus_assets.drop_log import DropReasons
from corpus_assets.quality.config import QualityConfig
from corpus_assets.quality.gopher import DUPLICATE_NGRAM_SIZES, TOP_NGRAM_SIZES

FilterName = Literal["gopher_repetition", "gopher_quality", "c4", "fineweb"]
# A page dropped by a filter is logged under the filter's name; none explains itself, so all count against the
# gate's ceiling.
DROP_REASONS = DropReasons(expected=frozenset(), unexpected=frozenset(get_args(FilterName)))


@dataclass(frozen=True)
class FilterVerdict:
    """Why a page is dropped: the filter and rule that failed, the page's signal value and the rule's threshold."""

    filter: str
    rule: str
    value: float
    threshold: float


@dataclass(frozen=True)
class Rule:
    """One rule: `signal` fails it when below (`min`) or above (`max`) the threshold that config key `name` sets.

    A rule without a config key has a `fixed_threshold`. A C4 switch (a bool key) is a `max` rule of 0 lines
    when true and no rule when false; a `None` threshold switches a rule off.
    """

    filter: FilterName
    name: str
    signal: str
    bound: Literal["min", "max"]
    fixed_threshold: float | None = None

    def threshold(self, config: QualityConfig) -> float | None:
        """The threshold this rule has under `config`; None when the rule or its filter is off."""
        filter_config: BaseModel = getattr(config, self.filter)
        if not filter_config.enabled:
            return None
        if self.fixed_threshold is not None:
            return self.fixed_threshold
        setting = getattr(filter_config, self.name)
        if isinstance(setting, bool):
            return 0.0 if setting else None
        return None if setting is None else float(setting)

    def fails(self, value: float, threshold: float) -> bool:
        """Whether a signal `value` fails this rule at `threshold`."""
        return value < threshold if self.bound == "min" else value > threshold


def _rules(filter_name: FilterName, bound: Literal["min", "max"], *measures: str) -> list[Rule]:
    """Rules `{bound}_{measure}` of the signals `{filter}_{measure}`, the naming every threshold follows."""
    return [Rule(filter_name, f"{bound}_{measure}", f"{filter_name}_{measure}", bound) for measure in measures]


RULES: tuple[Rule, ...] = (
    # datatrove fails an empty page before measuring it.
    Rule("gopher_repetition", "non_empty", "gopher_repetition_text_chars", "min", fixed_threshold=1.0),
    *_rules("gopher_repetition", "max", "dup_para_frac", "dup_para_char_frac", "dup_line_frac", "dup_line_char_frac"),
    *_rules("gopher_repetition", "max", *(f"top_{n}_gram_char_frac" for n in TOP_NGRAM_SIZES)),
    *_rules("gopher_repetition", "max", *(f"dup_{n}_gram_char_frac" for n in DUPLICATE_NGRAM_SIZES)),
    *_rules("gopher_quality", "min", "words"),
    *_rules("gopher_quality", "max", "words"),
    *_rules("gopher_quality", "min", "mean_word_length"),
    *_rules("gopher_quality", "max", "mean_word_length", "hash_word_ratio", "ellipsis_word_ratio"),
    *_rules("gopher_quality", "max", "bullet_line_frac", "ellipsis_line_frac"),
    *_rules("gopher_quality", "min", "alpha_word_frac", "stop_words"),
    Rule("c4", "filter_lorem_ipsum", "c4_lorem_ipsum_lines", "max"),
    Rule("c4", "filter_curly_bracket", "c4_curly_bracket_lines", "max"),
    *_rules("c4", "min", "sentences"),
    Rule("fineweb", "non_empty", "fineweb_lines", "min", fixed_threshold=1.0),
    *_rules("fineweb", "min", "line_punct_frac"),
    *_rules("fineweb", "max", "short_line_frac", "dup_line_char_frac", "newline_word_ratio"),
)


def failing_rules(signals: dict[str, float], config: QualityConfig) -> list[FilterVerdict]:
    """Every rule of `RULES` that `signals` fail under `config`, in pipeline order."""
    failing = []
    for rule in RULES:
        threshold = rule.threshold(config)
        if threshold is not None and rule.fails(signals[rule.signal], threshold):
            failing.append(FilterVerdict(rule.filter, rule.name, signals[rule.signal], threshold))
    return failing


def verdict_from_signals(signals: dict[str, float], config: QualityConfig) -> FilterVerdict | None:
    """The first rule of `RULES` that `signals` fail under `config`, or None if the page passes them all."""
    return next(iter(failing_rules(signals, config)), None)
