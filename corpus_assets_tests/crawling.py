"""Crawling in tests: a config that reaches 127.0.0.1 only and does not wait, what a crawl recorded per path, and a
loopback port nothing listens on."""

import socket

from corpus_assets.crawl.archive import CrawlArchive
from corpus_assets.crawl.config import CrawlConfig


def crawl_config(**overrides) -> CrawlConfig:
    """The crawl settings of the tests: loopback allowed (and nothing else private), no politeness delay."""
    settings = {"allow_private_networks": ["127.0.0.1/32"], "delay_seconds": 0.0, "backoff_seconds": 0.01}
    return CrawlConfig(**{**settings, **overrides})


def outcomes_by_path(archive: CrawlArchive, site) -> dict[str, str]:
    """path -> outcome of every page the crawl of `site` recorded."""
    return {o["url"].removeprefix(site.base_url): o["outcome"] for o in archive.outcomes() if o["kind"] == "page"}


def unused_port() -> int:
    """A loopback port nothing listens on (until a test starts a server there)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
