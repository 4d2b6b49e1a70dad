"""An older date backfilled after later ones: the stale-dates sensor redoes the later dates, date after date,
until the warehouse holds the rows of an in-order run."""

import dagster as dg
import pytest

from corpus_assets.history import first_stale_date
from corpus_assets.sensors import stale_dates_sensor
from corpus_assets_tests.pipeline import CHAIN, PUBLISHED_TABLES, materialize, published_rows, write_config
from corpus_assets_tests.sites import every_fate_site

DATES = ["2026-11-02", "2026-11-03", "2026-11-04"]


def run_sensor(config_path, instance, max_ticks=10):
    """Tick after tick, run what the sensor asks for, until it asks for nothing; the (date, stages) asked for."""
    assets = {asset.key.path[-1]: asset for asset in CHAIN}
    asked = []
    for _ in range(max_ticks):
        result = stale_dates_sensor(dg.build_sensor_context(instance=instance))
        if isinstance(result, dg.SkipReason):
            return asked
        stages = [key.path[-1] for key in result.asset_selection]
        asked.append((result.partition_key, stages))
        assert materialize([assets[stage] for stage in stages], config_path, result.partition_key,
                           instance=instance).success
    raise AssertionError(f"the sensor still asks after {max_ticks} ticks: {asked}")


def test_an_older_date_backfilled_after_later_ones_is_followed_by_redoing_them(serve, tmp_path):
    site = serve(every_fate_site())
    out_of_order = write_config(tmp_path / "out_of_order", seeds=[site.url("/")])
    in_order = write_config(tmp_path / "in_order", seeds=[site.url("/")])
    for day in DATES:
        assert materialize(CHAIN, in_order, day).success
    instance = dg.DagsterInstance.ephemeral()
    for day in DATES[1:]:
        assert materialize(CHAIN, out_of_order, day, instance=instance).success
    assert run_sensor(out_of_order, instance) == []  # dates run in order leave nothing stale

    assert materialize(CHAIN, out_of_order, DATES[0], instance=instance).success  # the older date, backfilled
    redone = ["deduped_text", "filtered_text", "final_set"]
    assert run_sensor(out_of_order, instance) == [(DATES[1], redone), (DATES[2], redone)]
    for table in PUBLISHED_TABLES:
        assert published_rows(out_of_order, table) == published_rows(in_order, table), table


def ids(**stages):
    """Storage ids by stage and date, from `stage=[(date, id), ...]`."""
    return {stage: dict(pairs) for stage, pairs in stages.items()}


@pytest.mark.parametrize(("latest", "expected"), [
    # in order, every stage after its inputs: nothing stale
    (ids(extracted_text=[("2026-11-02", 1), ("2026-11-03", 5)], deduped_text=[("2026-11-02", 2), ("2026-11-03", 6)],
         filtered_text=[("2026-11-02", 3), ("2026-11-03", 7)], final_set=[("2026-11-02", 4), ("2026-11-03", 8)]),
     None),
    # D-1 deduplicated after D: D is redone from deduped_text on
    (ids(extracted_text=[("2026-11-02", 5), ("2026-11-03", 1)], deduped_text=[("2026-11-02", 6), ("2026-11-03", 2)],
         filtered_text=[("2026-11-03", 3)], final_set=[("2026-11-03", 4)]),
     ("2026-11-03", ["deduped_text", "filtered_text", "final_set"])),
    # only the quality filters ran again for a date: decontamination of that date is redone
    (ids(deduped_text=[("2026-11-02", 1)], filtered_text=[("2026-11-02", 5)], final_set=[("2026-11-02", 3)]),
     ("2026-11-02", ["final_set"])),
    # a date never published is not a redo, even when its inputs are newer
    (ids(extracted_text=[("2026-11-02", 9)], deduped_text=[("2026-11-01", 1)]), None),
])
def test_a_date_is_stale_when_an_input_was_published_after_it(latest, expected):
    assert first_stale_date(latest) == expected


def test_the_sensor_waits_while_a_run_is_in_progress(tmp_path):
    instance = dg.DagsterInstance.ephemeral()
    instance.add_run(dg.DagsterRun(job_name="corpus_daily", run_id="running", status=dg.DagsterRunStatus.STARTED))
    result = stale_dates_sensor(dg.build_sensor_context(instance=instance))
    assert isinstance(result, dg.SkipReason) and "in progress" in result.skip_message
