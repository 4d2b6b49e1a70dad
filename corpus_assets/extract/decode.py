"""Bytes to text: the HTTP header's charset, a BOM, a meta charset, then detection; never raises."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass(frozen=True)
class DecodedHtml:
    text: str
    encoding: str
    encoding_source: str  # "bom" | "http-header" | "meta" | "detected" | "fallback"


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(body: bytes, content_type: str | None) -> DecodedHtml:
    """Decode a response body; bytes invalid for the chosen encoding become U+FFFD instead of an error."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return DecodedHtml(body[len(bom):].decode(encoding, errors="replace"), encoding, "bom")
    header = _HEADER_CHARSET.search(content_type or "")
    candidates = [(_codec(header.group(1)) if header else None, "http-header")]
    meta = _META_CHARSET.search(body[:4096])
    candidates.append((_codec(meta.group(1).decode("ascii", "ignore")) if meta else None, "meta"))
    for encoding, source in candidates:
        if encoding:
            return DecodedHtml(body.decode(encoding, errors="replace"), encoding, source)
    best = charset_normalizer.from_bytes(body[:65536]).best()
    encoding = _codec(best.encoding) if best else None
    if encoding:
        return DecodedHtml(body.decode(encoding, errors="replace"), encoding, "detected")
    return DecodedHtml(body.decode("utf-8", errors="replace"), "utf-8", "fallback")
