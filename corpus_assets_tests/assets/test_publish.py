"""The Dagster side of the gate: one stage materialized alone over a seeded warehouse (no crawl), and `fail_gate`,
the one way a gate fails.

(Dagster 1.13's direct invocation with `build_asset_context` does not take a check result inside a
`MaterializeResult`, so the stage runs in `dg.materialize`, against a real ephemeral instance.)"""

import dagster as dg
import duckdb
import pyarrow as pa
import pytest

from corpus_assets import warehouse
from corpus_assets.assets.final_set import final_set
from corpus_assets.assets.publish import fail_gate
from corpus_assets.checks.expectations import ExpectationFailure
from corpus_assets_tests.pipeline import materialize, table_checksum, write_config

DATE = "2026-11-02"
TEXT = "Lighthouses guided ships along dangerous coasts for centuries before radio beacons replaced them."


def seed_filtered_text(config_path, texts):
    """`filtered_text` rows of DATE, one per text, in the config's warehouse (benchmark tables empty)."""
    rows = [{"page_id": f"p{i}", "crawl_date": DATE, "url": f"https://example.org/{i}", "title": "t", "text": text,
             "word_count": len(text.split())} for i, text in enumerate(texts)]
    with duckdb.connect(str(config_path.parent / "warehouse.duckdb")) as conn:
        warehouse.ensure_schema(conn)
        conn.execute("DELETE FROM filtered_text")
        warehouse.append_arrow(conn, "main.filtered_text", pa.Table.from_pylist(rows).cast(
            pa.schema([("page_id", pa.string()), ("crawl_date", pa.date32()), ("url", pa.string()),
                       ("title", pa.string()), ("text", pa.string()), ("word_count", pa.int32())])))


def test_a_stage_publishes_a_seeded_partition_and_passes_its_gate(tmp_path):
    config_path = write_config(tmp_path)
    seed_filtered_text(config_path, [TEXT, TEXT + " Most are automatic now."])
    result = materialize([final_set], config_path, DATE)
    assert result.success
    (check,) = result.get_asset_check_evaluations()
    assert check.passed and check.check_name == "gate"
    (materialization,) = result.asset_materializations_for_node("final_set")
    assert materialization.metadata["dagster/row_count"].value == 2
    assert table_checksum(config_path, "final_set")[0] == 2


def test_a_stage_that_fails_its_gate_records_the_failed_check_and_no_materialization(tmp_path):
    config_path = write_config(tmp_path)
    seed_filtered_text(config_path, [TEXT])
    assert materialize([final_set], config_path, DATE).success
    before = table_checksum(config_path, "final_set")
    seed_filtered_text(config_path, [TEXT, ""])  # a page with no text got through the stage before
    result = materialize([final_set], config_path, DATE)
    assert not result.success
    assert not result.asset_materializations_for_node("final_set")
    (check,) = result.get_asset_check_evaluations()
    assert not check.passed
    assert "text_chars" in check.metadata["failed_expectations"].value
    (failure,) = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    description = failure.step_failure_data.user_failure_data.description
    assert description.startswith("final_set for crawl date 2026-11-02 failed its gate, so nothing of it was published: "
                                  "text_chars is 0, expected at least 1.")
    assert "2 pages in, 2 kept, 0 dropped" in description
    assert "FROM staging.final_set_drops WHERE crawl_date = '2026-11-02'" in description
    assert table_checksum(config_path, "final_set") == before


def test_fail_gate_names_what_was_measured_the_limit_and_the_key_and_is_not_retried():
    failure = ExpectationFailure(
        expectation="expect_column_values_to_be_between",
        arguments={"column": "word_count", "min_value": 20, "max_value": None},
        observed=None, unexpected_count=2, offending_rows=[{"url": "u"}], unexpected_values=[3, 7],
        config_key="extract.min_words",
    )
    failures = [{"suite": "extracted_text_rows", **failure.as_dict()}]
    events = fail_gate("extracted_text for crawl date 2026-11-02", failures, "12 pages in.", crawl_date="2026-11-02")
    check = next(events)
    assert not check.passed and check.check_name == "gate"
    assert check.metadata["failures"].value == failures
    with pytest.raises(dg.Failure) as raised:
        next(events)
    assert raised.value.description == (
        "extracted_text for crawl date 2026-11-02 failed its gate, so nothing of it was published: "
        "word_count is 3, 7 in 2 rows, expected at least 20 (extract.min_words). 12 pages in.")
    assert check.metadata["explanation"].value == raised.value.description
    assert raised.value.allow_retries is False
    assert raised.value.metadata["crawl_date"].value == "2026-11-02"
