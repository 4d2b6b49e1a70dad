"""robots.txt as RFC 9309 reads it: the rules of its first 500 KiB, however long the file is."""

from __future__ import annotations

from protego import Protego

from corpus_assets.rights.tdmrep import TDMREP_PATH

__all__ = ["ROBOTS_MAX_BYTES", "TDMREP_MAX_BYTES", "TDMREP_PATH", "robots_rules", "robots_text"]

# RFC 9309 section 2.5: a crawler must parse at least the first 500 KiB. A longer file is read that far and no
# further (never dropped as too large, which would shut the crawl out of the whole host).
ROBOTS_MAX_BYTES = 500 * 1024
# The W3C TDM Reservation Protocol's site-wide file (TDMREP_PATH) holds a host's text-and-data-mining reservations
# per path. Fetched once per host after robots.txt and archived with it; a real one is a few hundred bytes.
TDMREP_MAX_BYTES = 500 * 1024


def robots_text(body: bytes, *, truncated: bool) -> str:
    """The text of a robots.txt body. A body cut at `ROBOTS_MAX_BYTES` (`truncated`) is read up to its last
    complete line: the half line at the cut could say something the whole line does not (`Disallow: /` is the
    first half of `Disallow: /private/`)."""
    if truncated:
        body = body[: max(body.rfind(b"\n"), body.rfind(b"\r")) + 1]
    return body.decode("utf-8", errors="replace")


def robots_rules(body: bytes, *, truncated: bool) -> Protego:
    """The rules of a robots.txt body (`robots_text`)."""
    return Protego.parse(robots_text(body, truncated=truncated))
