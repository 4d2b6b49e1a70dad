"""Bytes to text: the HTTP header's charset, a BOM, a meta charset, then detection; never raises."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Characters that say nothing in a text and that lxml refuses to set as one (XML 1.0 allows none of them): a page
# holding one raised in the builtin extractor once the comment or block before it was removed. Terminals' colour
# codes (CSI sequences, ECMA-48) go whole, so that no "[31m" is left of them.
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True)
class DecodedHtml:
    text: str
    encoding: str
    encoding_source: str  # "bom" | "http-header" | "meta" | "detected" | "fallback"


def _codec(name: str | None) -> str | None:
    """The codec of a character set's name, or None for a name that is not one.

    Python also names transforms of bytes to bytes (base64, hex, zlib, rot13, uu, bz2, quopri...) that `bytes.decode`
    refuses; a page declaring one of them has declared no character set we can use.
    """
    if not name:
        return None
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


def _decode(body: bytes, encoding: str | None, source: str) -> DecodedHtml | None:
    if not encoding:
        return None
    try:
        return DecodedHtml(body.decode(encoding, errors="replace"), encoding, source)
    except UnicodeError:
        # A few text codecs (idna, undefined) refuse errors="replace": as good as no character set at all.
        return None


def _text_only(text: str) -> str:
    """The text without the characters that are none: the one place that removes them, NUL included.

    Form feed is whitespace to HTML, and vertical tab is how Word writes a manual line break: both become a newline,
    which breaks a line as they did (man pages put a form feed between pages) and which libxml2, counting neither as
    whitespace, also sees as one between a tag's name and its attributes.
    """
    if "\x1b" in text:
        text = _ANSI_ESCAPE.sub("", text)
    return _NOT_TEXT.sub("", text).replace("\x0b", "\n").replace("\x0c", "\n")


def decode_html(body: bytes, content_type: str | None) -> DecodedHtml:
    """Decode a response body; bytes invalid for the chosen encoding become U+FFFD instead of an error, and control
    characters other than tab, newline and carriage return are removed (form feed and vertical tab become newlines).

    A declared charset that is unknown, or not a character set, gives way to the next source.
    """
    decoded = _decode_body(body, content_type)
    return DecodedHtml(_text_only(decoded.text), decoded.encoding, decoded.encoding_source)


def _decode_body(body: bytes, content_type: str | None) -> DecodedHtml:
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return DecodedHtml(body[len(bom):].decode(encoding, errors="replace"), encoding, "bom")
    header = _HEADER_CHARSET.search(content_type or "")
    meta = _META_CHARSET.search(body[:4096])
    declared = ((header.group(1) if header else None, "http-header"),
                (meta.group(1).decode("ascii", "ignore") if meta else None, "meta"))
    for name, source in declared:
        if decoded := _decode(body, _codec(name), source):
            return decoded
    best = charset_normalizer.from_bytes(body[:65536]).best()
    detected = _decode(body, _codec(best.encoding) if best else None, "detected")
    return detected or DecodedHtml(body.decode("utf-8", errors="replace"), "utf-8", "fallback")
