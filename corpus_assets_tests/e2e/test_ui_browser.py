"""The Dagster UI in headless Chromium: the lineage of every stage with its checks, and a failed gate explained."""

import shutil
from pathlib import Path

import dagster as dg
import pytest

from corpus_assets.dagster_home import prepare_home
from corpus_assets_tests.dagster_dev import DagsterDev
from corpus_assets_tests.paths import REPO_ROOT
from corpus_assets_tests.pipeline import CHAIN, materialize, write_config
from corpus_assets_tests.sites import every_fate_site

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO_ROOT / "test-artifacts"
ASSETS = ["crawl_archive", "raw_pages", "extracted_text", "licensed_documents", "deduped_text", "filtered_text", "eval_benchmarks",
          "final_set"]
WAIT_MS = 60_000


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package (make browser)")
    with sync_api.sync_playwright() as playwright:
        # Debian's Chromium, not a browser downloaded by Playwright: nothing is fetched at test time.
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield browser
        browser.close()


def dismiss_welcome_dialog(page):
    """A fresh instance greets its first visitor with a newsletter dialog over the page; it is asked once."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.get_by_role("button", name="Skip").click(timeout=5_000)
    except PlaywrightTimeout:
        pass


@pytest.mark.timeout(600)
def test_lineage_shows_every_stage_with_its_checks_and_a_failed_gate_names_its_expectation(browser, serve, tmp_path):
    site = serve(every_fate_site())
    # No unexpected drop allowed: the thin page's `no_text` drop fails the extracted_text gate.
    config = write_config(tmp_path, seeds=[site.url("/")], gates={"extracted_text": {"max_unexpected_drop_rate": 0.0}})
    home = prepare_home(tmp_path / "dagster_home")
    instance = dg.DagsterInstance.from_config(str(home))
    assert not materialize(CHAIN, config, "2026-11-02", instance=instance).success
    instance.dispose()

    ARTIFACTS.mkdir(exist_ok=True)
    with DagsterDev(home, config) as dev:
        page = browser.new_page(viewport={"width": 2400, "height": 1300})
        page.set_default_timeout(WAIT_MS)
        try:
            page.goto(f"{dev.url}/locations/corpus_assets/asset-groups/corpus")
            page.get_by_text("final_set").first.wait_for()
            dismiss_welcome_dialog(page)
            # At this size the graph shows each node's details, its asset checks among them.
            page.get_by_text("Asset checks").nth(len(ASSETS) - 1).wait_for()
            graph = page.inner_text("body")
            page.screenshot(path=str(ARTIFACTS / "lineage.png"))
            for asset in ASSETS:
                assert asset in graph
            assert graph.count("Asset checks") == len(ASSETS)

            page.goto(f"{dev.url}/assets/extracted_text?view=checks")
            page.get_by_text("failed_expectations").wait_for()
            dismiss_welcome_dialog(page)
            page.get_by_text("[Show Markdown]").first.click()
            page.get_by_text("expect_column_values_to_be_between").wait_for()
            explained = page.inner_text("body")
            page.screenshot(path=str(ARTIFACTS / "failed_gate.png"))
            assert "unexpected_drop_rate" in explained
            assert "Failed" in explained
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "ui_failure.png"))
            shutil.copyfile(dev.log_path, ARTIFACTS / "dagster-dev.log")
            raise
