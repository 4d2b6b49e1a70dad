"""Sitemaps (sitemaps.org): the page URLs and nested sitemaps a sitemap or sitemap index lists."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Sequence

import lxml.etree

from corpus_assets.crawl.urls import TRACKING_PARAMETERS, normalize_url

# A site's sitemaps are followed this far: index files can fan out to thousands of files.
MAX_SITEMAPS_PER_HOST = 20
MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the protocol's own limit for one uncompressed file


def parse_sitemap(body: bytes, base_url: str,
                  tracking: Sequence[str] = TRACKING_PARAMETERS) -> tuple[list[str], list[str]]:
    """(page URLs, sitemap URLs) of one sitemap file, gzip or plain, normalised as links are (`tracking`: the
    crawl's tracking parameters); a broken file gives what could be read, a file declaring entities nothing."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = zlib.decompressobj(wbits=31).decompress(body, MAX_SITEMAP_BYTES)
        except (zlib.error, gzip.BadGzipFile):
            return [], []
    try:
        root = lxml.etree.fromstring(body, parser=lxml.etree.XMLParser(recover=True, resolve_entities=False,
                                                                         no_network=True, huge_tree=False))
    except lxml.etree.XMLSyntaxError:
        return [], []
    if root is None or _declares_entities(root):
        return [], []
    pages, sitemaps = [], []
    for element in root.iter():
        if not isinstance(element.tag, str) or lxml.etree.QName(element).localname != "loc" or not element.text:
            continue
        if len(element):  # an entity reference or markup inside <loc>: its text is only a piece of the URL
            continue
        parent = element.getparent()
        url = normalize_url(element.text.strip(), base=base_url, tracking=tracking)
        if url is None or parent is None:
            continue
        (sitemaps if lxml.etree.QName(parent).localname == "sitemap" else pages).append(url)
    return pages, sitemaps


def _declares_entities(root: lxml.etree._Element) -> bool:
    """Whether the document's own DTD declares entities. A sitemap has no use for any (sitemaps.org escapes with
    the five predefined ones): one that declares them is an entity bomb (billion laughs) or reaches for local
    files (XXE). They are never expanded here, but nothing else in such a file is trusted either."""
    dtd = root.getroottree().docinfo.internalDTD
    return dtd is not None and any(True for _ in dtd.iterentities())
