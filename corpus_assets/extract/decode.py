"""Bytes to text: a BOM, the HTTP header's charset, a meta charset, then detection, in the order of the HTML standard's
encoding sniffing; never raises."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# The labels of the WHATWG Encoding Standard (https://encoding.spec.whatwg.org/#names-and-labels), by the Python
# codec of their encoding: the names a page can declare and a browser honour. Python knows many more (unicode_escape,
# punycode, utf-7, utf-32, base64...) that no page is written in; a declaration of one is as good as none. As in
# browsers, latin1 and ascii mean windows-1252, gb2312 means GBK (read by the gb18030 decoder), shift_jis windows-31j,
# euc-kr windows-949, and big5 includes HKSCS. Left out: replacement and x-user-defined, which Python has no codec for.
_LABELS_BY_CODEC = {
    "utf-8": "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8",
    "cp866": "866 cp866 csibm866 ibm866",
    "iso8859-2": "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2",
    "iso8859-3": "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3",
    "iso8859-4": "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4",
    "iso8859-5": "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988",
    "iso8859-6": "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e "
                 "iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987",
    "iso8859-7": "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 iso_8859-7 "
                 "iso_8859-7:1987 sun_eu_greek",
    # ISO-8859-8 and ISO-8859-8-I differ in the direction of the text, not in its characters.
    "iso8859-8": "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 "
                 "iso_8859-8 iso_8859-8:1988 visual csiso88598i iso-8859-8-i logical",
    "iso8859-10": "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6",
    "iso8859-13": "iso-8859-13 iso8859-13 iso885913",
    "iso8859-14": "iso-8859-14 iso8859-14 iso885914",
    "iso8859-15": "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9",
    "iso8859-16": "iso-8859-16",
    "koi8-r": "cskoi8r koi koi8 koi8-r koi8_r",
    "koi8-u": "koi8-ru koi8-u",
    "mac-roman": "csmacintosh mac macintosh x-mac-roman",
    "cp874": "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874",
    "cp1250": "cp1250 windows-1250 x-cp1250",
    "cp1251": "cp1251 windows-1251 x-cp1251",
    "cp1252": "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 iso88591 "
              "iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252",
    "cp1253": "cp1253 windows-1253 x-cp1253",
    "cp1254": "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 latin5 "
              "windows-1254 x-cp1254",
    "cp1255": "cp1255 windows-1255 x-cp1255",
    "cp1256": "cp1256 windows-1256 x-cp1256",
    "cp1257": "cp1257 windows-1257 x-cp1257",
    "cp1258": "cp1258 windows-1258 x-cp1258",
    "mac-cyrillic": "x-mac-cyrillic x-mac-ukrainian",
    "gb18030": "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk gb18030",
    "big5hkscs": "big5 big5-hkscs cn-big5 csbig5 x-x-big5",
    "euc_jp": "cseucpkdfmtjapanese euc-jp x-euc-jp",
    "iso2022_jp": "csiso2022jp iso-2022-jp",
    "cp932": "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis",
    "cp949": "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 "
             "windows-949",
    "utf-16-be": "unicodefffe utf-16be",
    "utf-16-le": "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le",
}
_WHATWG_LABELS = {label: codec for codec, labels in _LABELS_BY_CODEC.items() for label in labels.split()}
_UTF16_HIGH_BYTE = {"utf-16-le": 1, "utf-16-be": 0}  # where in a code unit its high byte is
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


def _codec(label: str | None) -> str | None:
    """The Python codec of a declared charset, or None for a label the WHATWG Encoding Standard does not define."""
    return _WHATWG_LABELS.get(label.strip().lower()) if label else None


def _detected_codec(name: str | None) -> str | None:
    """The codec of a name charset_normalizer detected (a Python codec's, not a label), or None for no text codec."""
    if not name:
        return None
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


def _is_utf16(body: bytes, codec: str) -> bool:
    """Whether a body declared UTF-16 is: HTML's markup is ASCII, which UTF-16 writes with a zero high byte, so one
    code unit in eight of a UTF-16 page has one at the least, where ASCII or UTF-8 has next to no zero bytes (read as
    UTF-16, its pairs of letters become CJK ideographs)."""
    high_bytes = body[_UTF16_HIGH_BYTE[codec]:4096:2]
    return 8 * high_bytes.count(0) >= len(high_bytes) > 0


def _decode(body: bytes, encoding: str | None, source: str) -> DecodedHtml | None:
    if not encoding:
        return None
    try:
        return DecodedHtml(body.decode(encoding, errors="replace"), encoding, source)
    except UnicodeError:
        # A few text codecs (idna, undefined) refuse errors="replace", and detection may name one: no character set.
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
    characters but tab, newline and carriage return are removed, with terminals' colour codes (form feed and vertical
    tab become newlines).

    A declared charset that is not a label of the WHATWG Encoding Standard gives way to the next source.
    """
    decoded = _decode_body(body, content_type)
    return DecodedHtml(_text_only(decoded.text), decoded.encoding, decoded.encoding_source)


def _decode_body(body: bytes, content_type: str | None) -> DecodedHtml:
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return DecodedHtml(body[len(bom):].decode(encoding, errors="replace"), encoding, "bom")
    header = _HEADER_CHARSET.search(content_type or "")
    header_codec = _codec(header.group(1) if header else None)
    if header_codec in _UTF16_HIGH_BYTE and not _is_utf16(body, header_codec):
        header_codec = None
    meta = _META_CHARSET.search(body[:4096])
    meta_codec = _codec(meta.group(1).decode("ascii", "ignore") if meta else None)
    # The prescan reads a meta in ASCII bytes, which a UTF-16 page is not written in: HTML's encoding sniffing takes
    # a declaration of UTF-16 found there for UTF-8.
    if meta_codec in _UTF16_HIGH_BYTE:
        meta_codec = "utf-8"
    for codec, source in ((header_codec, "http-header"), (meta_codec, "meta")):
        if decoded := _decode(body, codec, source):
            return decoded
    best = charset_normalizer.from_bytes(body[:65536]).best()
    detected = _decode(body, _detected_codec(best.encoding) if best else None, "detected")
    return detected or DecodedHtml(body.decode("utf-8", errors="replace"), "utf-8", "fallback")
