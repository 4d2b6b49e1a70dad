"""Takedown requests: what a request to be removed covers, checked before it is recorded.

A request covers one normalised URL (the form every table stores, `crawl/urls.py`), or a domain: that host and
every host below it (`example.org` covers `docs.example.org`). What it covers in the tables is decided in one SQL
statement (`sql/takedowns/matches.sql`); every stage withholds those pages (`checks/gate.py`) and no release
includes them (`release/build.py`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from corpus_assets.crawl.urls import normalize_url

SCOPES = ("url", "domain")
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class TakedownError(ValueError):
    """A request that cannot be recorded as given; the message says what to give instead."""


def takedown_target(*, url: str | None, domain: str | None, tracking: Sequence[str]) -> tuple[str, str]:
    """The (scope, target) a request is recorded with: the URL normalised as the crawler stores URLs (`tracking`:
    the config's `crawl.tracking_parameters`), or the domain lowercased in its ASCII (IDNA) form."""
    if (url is None) == (domain is None):
        raise TakedownError("give exactly one of --url and --domain")
    if url is not None:
        target = normalize_url(url, tracking=tracking)
        if target is None:
            raise TakedownError(f"--url {url!r} is not an http(s) URL")
        return "url", target
    host = domain.strip().lower().removeprefix("*.").strip(".")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise TakedownError(f"--domain {domain!r} is not a domain name") from None
    labels = host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels):
        raise TakedownError(f"--domain {domain!r} is not a domain name (e.g. example.org; it covers its subdomains)")
    return "domain", host
