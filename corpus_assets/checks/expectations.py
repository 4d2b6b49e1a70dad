"""Running a Great Expectations 1.x suite over a pandas frame taken from DuckDB as Arrow.

GX's SQLAlchemy route does not work with DuckDB (every expectation fails with MetricResolutionError), so the
gate validates an in-memory frame of just the columns a suite needs.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

for _noisy in ("great_expectations", "great_expectations.core", "great_expectations.data_context"):
    logging.getLogger(_noisy).setLevel(logging.ERROR)

OFFENDING_ROWS_SHOWN = 5
VALUES_NAMED = 3
# An expectation whose limit is a config key says so in its meta, so that a failure names the key to change.
CONFIG_KEY = "config_key"


def _limit(expectation: str, arguments: dict[str, Any]) -> str:
    """What the expectation asked for, in words."""
    if expectation.endswith("_to_be_between"):
        low, high = arguments.get("min_value"), arguments.get("max_value")
        if low is not None and high is not None:
            return f"{low} to {high}" if low != high else f"{low}"
        return f"at least {low}" if low is not None else f"at most {high}"
    if expectation.endswith("_to_be_in_set"):
        values = list(arguments.get("value_set", []))
        return "one of " + ", ".join(map(str, values[:8])) + (", ..." if len(values) > 8 else "")
    if expectation.endswith("_to_match_regex"):
        return f"a match of {arguments.get('regex')}"
    if expectation.endswith("_to_be_unique"):
        return "no repeats"
    if expectation.endswith("_to_not_be_null"):
        return "a value"
    if expectation.endswith("_pair_values_to_be_equal"):
        return f"{arguments.get('column_A')} = {arguments.get('column_B')}"
    return str(arguments)


@dataclass(frozen=True)
class ExpectationFailure:
    """One failed expectation: what it expected, what it saw, and a few offending rows."""

    expectation: str
    arguments: dict[str, Any]
    observed: Any
    unexpected_count: int | None
    offending_rows: list[dict[str, Any]] = field(default_factory=list)
    unexpected_values: list[Any] = field(default_factory=list)  # a few distinct values that failed
    config_key: str | None = None  # the config key that sets the limit, where one does

    def describe(self) -> str:
        """One line: the column, what was measured, the limit and the key that sets it."""
        arguments = self.arguments
        column = arguments.get("column") or arguments.get("column_list") or (
            f"({arguments.get('column_A')}, {arguments.get('column_B')})")
        if self.unexpected_values:
            seen = ", ".join(f"{v:.4g}" if isinstance(v, float) else str(v) for v in self.unexpected_values)
            rows = f" in {self.unexpected_count} rows" if (self.unexpected_count or 0) > 1 else ""
            measured = f"{column} is {seen}{rows}"
        else:
            measured = f"{column}: observed {self.observed}"
        key = f" ({self.config_key})" if self.config_key else ""
        return f"{measured}, expected {_limit(self.expectation, arguments)}{key}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "expectation": self.expectation,
            "description": self.describe(),
            "config_key": self.config_key,
            "arguments": self.arguments,
            "observed": self.observed,
            "unexpected_count": self.unexpected_count,
            "unexpected_values": self.unexpected_values,
            "offending_rows": self.offending_rows,
        }


@dataclass(frozen=True)
class SuiteResult:
    suite: str
    evaluated: int
    failures: list[ExpectationFailure]

    @property
    def passed(self) -> bool:
        return not self.failures

    def failure_dicts(self) -> list[dict[str, Any]]:
        """Each failed expectation as a dict naming this suite (what the gate's check metadata shows)."""
        return [{"suite": self.suite, **failure.as_dict()} for failure in self.failures]


@functools.cache
def _context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


@functools.cache
def _batch_definition(suite_name: str):
    source = _context().data_sources.add_pandas(f"frames_{suite_name}")
    return source.add_dataframe_asset(suite_name).add_batch_definition_whole_dataframe("whole_frame")


def _plain(value: Any) -> Any:
    """JSON-friendly values for Dagster metadata (numpy scalars, NaN, timestamps)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def validate_frame(suite_name: str, expectations: list, frame: pd.DataFrame, index_columns: list[str]) -> SuiteResult:
    """Validate `frame` against `expectations`; failures name the expectation and show offending rows by
    `index_columns` (e.g. page_id, url)."""
    import great_expectations as gx

    batch_definition = _batch_definition(suite_name)  # creates the context the suite needs
    suite = gx.ExpectationSuite(name=suite_name)
    for expectation in expectations:
        suite.add_expectation(expectation)
    result_format = {
        "result_format": "COMPLETE",
        "unexpected_index_column_names": [c for c in index_columns if c in frame.columns],
        "partial_unexpected_count": OFFENDING_ROWS_SHOWN,
    }
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
    validation = batch.validate(suite, result_format=result_format)
    failures = []
    for outcome in validation.results:
        if outcome.success:
            continue
        config = outcome.expectation_config
        details = outcome.result or {}
        if outcome.exception_info and outcome.exception_info.get("raised_exception"):
            details = {"observed_value": outcome.exception_info.get("exception_message")}
        unexpected = list(dict.fromkeys(map(_hashable, _plain(details.get("partial_unexpected_list") or []))))
        failures.append(
            ExpectationFailure(
                expectation=config.type,
                arguments=_plain({k: v for k, v in config.kwargs.items() if k != "batch_id"}),
                observed=_plain(details.get("observed_value")),
                unexpected_count=details.get("unexpected_count"),
                offending_rows=_plain((details.get("unexpected_index_list") or [])[:OFFENDING_ROWS_SHOWN]),
                unexpected_values=unexpected[:VALUES_NAMED],
                config_key=(config.meta or {}).get(CONFIG_KEY),
            )
        )
    return SuiteResult(suite=suite_name, evaluated=len(validation.results), failures=failures)
