"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_assets_tests.paths import SHARED_DATA


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """`../shared/data`, the real test data beside the checkout; skips the test where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"needs the shared test data folder {SHARED_DATA} (../shared/data beside the checkout)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def postgresql_docs() -> tuple[Path, Path]:
    """Two versions of Debian's PostgreSQL 15 documentation (older, newer); skips the test where apt cannot get
    them."""
    from benchmarks.debian_docs import PackageUnavailable, postgresql_doc_sites

    try:
        return postgresql_doc_sites()
    except PackageUnavailable as error:
        pytest.skip(str(error))


@pytest.fixture
def serve():
    """Start a `TestSite` for a dict of routes; every site started is stopped after the test."""
    from corpus_assets_tests.sites import TestSite

    started = []

    def start(routes, host="127.0.0.1"):
        site = TestSite(routes, host=host).start()
        started.append(site)
        return site

    yield start
    for site in started:
        site.stop()
