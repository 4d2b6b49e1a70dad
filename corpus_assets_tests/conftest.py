"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """`../shared/data`, the real test data beside the checkout; skips the test where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"needs the shared test data folder {SHARED_DATA} (../shared/data beside the checkout)")
    return SHARED_DATA


@pytest.fixture
def serve():
    """Start a `TestSite` for a dict of routes; every site started is stopped after the test."""
    from corpus_assets_tests.sites import TestSite

    started = []

    def start(routes):
        site = TestSite(routes).start()
        started.append(site)
        return site

    yield start
    for site in started:
        site.stop()
