"""The licence a page declares, as an SPDX identifier.

Where a page says it: `<link rel="license">`, `<meta name="dcterms.license" | "dc.rights" | "dcterms.rights">`,
JSON-LD `license` (a string, or an object with `url`/`@id`, anywhere in the data: `@graph`, lists, nested
entities), and `<a rel="license">` (the footer badge of Creative Commons sites). When they disagree the first
identified licence in that order wins: `link` and `meta` speak for the document itself, JSON-LD usually does but
may describe an embedded entity, and an anchor may sit next to an image it licenses. A licence that is identified
beats one that is not, whatever its source.

Only URLs (and names) that say one licence unambiguously are mapped: Creative Commons licences of every version and
port, CC0, the Public Domain Mark, versioned GNU licences, and licences named by their SPDX id on spdx.org,
opensource.org or choosealicense.com. Anything else declared as a licence is `LicenseRef-unknown`, with its URL
kept, so "declares a licence we cannot name" stays apart from "declares none" (and an allow list never admits it
unless it lists `LicenseRef-unknown`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml.etree import _Element
from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

UNKNOWN_LICENCE = "LicenseRef-unknown"

# Creative Commons licence elements in their URL spelling -> SPDX spelling. `by-nd-nc` is how 1.0 spelt BY-NC-ND.
_CC_TYPES = {
    "by": "BY",
    "by-sa": "BY-SA",
    "by-nd": "BY-ND",
    "by-nc": "BY-NC",
    "by-nc-sa": "BY-NC-SA",
    "by-nc-nd": "BY-NC-ND",
    "by-nd-nc": "BY-NC-ND",
    "sa": "SA",
}
_VERSION = re.compile(r"^\d\.\d$")
# The versions Creative Commons published (2.1 only as ports); a port of another "version" is not a licence.
_CC_VERSIONS = ("1.0", "2.0", "2.1", "2.5", "3.0", "4.0")
# A port's jurisdiction: a country code, `igo`, `scotland`; never the `legalcode`/`deed` pages of a licence.
_JURISDICTION = re.compile(r"^[a-z]{2,9}$")
_LICENCE_PAGES = ("legalcode", "deed", "rdf", "index")
_SPDX_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")
# GNU licence pages that name one version: gpl-3.0.html, old-licenses/lgpl-2.1.en.html, fdl-1.3.txt...
_GNU_PAGE = re.compile(r"^(a?gpl|lgpl|fdl)-(\d\.\d)(?:\.[a-z-]+)*$")
_GNU_IDS = {"gpl": "GPL", "agpl": "AGPL", "lgpl": "LGPL", "fdl": "GFDL"}
# "CC BY-SA 4.0", "Creative Commons BY 3.0 DE", "cc-by-nc-nd-4.0": licences named in text (JSON-LD, meta).
_CC_NAME = re.compile(
    r"^(?:cc|creative\s+commons)[\s-]+(?:licen[sc]e[\s-]+)?(by(?:[\s-](?:nc|sa|nd))*)[\s-]+(\d\.\d)"
    r"(?:[\s-]+([a-z]{2,9}))?$"
)
_CC0_NAME = re.compile(r"^cc[\s-]?0(?:[\s-]+1\.0)?$|^cc[\s-]?zero(?:[\s-]+1\.0)?$")
_JSON_LD_MAX_NODES = 10_000
_DC_META_NAMES = ("dcterms.license", "dc.rights", "dcterms.rights", "dc.license")


@dataclass(frozen=True)
class Licence:
    """A licence declaration: its SPDX id (or `LicenseRef-unknown`), where on the page, and the URL it gave."""

    spdx: str
    source: str
    url: str | None


def spdx_for_url(url: str) -> str | None:
    """The SPDX identifier a licence URL names unambiguously, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    segments = [segment for segment in parts.path.lower().split("/") if segment]
    if host == "creativecommons.org":
        return _creative_commons(segments)
    if host == "gnu.org" and segments[:1] == ["licenses"]:
        match = _GNU_PAGE.match(segments[-1]) if len(segments) > 1 else None
        return _spdx(f"{_GNU_IDS[match.group(1)]}-{match.group(2)}") if match else None
    if host == "apache.org" and segments[:1] == ["licenses"] and len(segments) > 1:
        return "Apache-2.0" if re.match(r"^license-2\.0(?:\.html|\.txt)?$", segments[1]) else None
    if host in ("spdx.org", "opensource.org", "choosealicense.com") and segments[:1] in (["licenses"], ["license"]):
        if len(segments) != 2:
            return None
        # The path's own case: spdx.org ids are case-sensitive in URLs, and canonicalising restores it anyway.
        token = [segment for segment in parts.path.split("/") if segment][1]
        token = re.sub(r"(?:\.html|\.json|\.php|\.txt)$", "", token)
        token = re.sub(r"-license$", "", token, flags=re.IGNORECASE)
        return _spdx(token)
    return None


def spdx_for_text(text: str) -> str | None:
    """The SPDX identifier a licence's name or id says unambiguously ("CC-BY-4.0", "CC BY-SA 3.0", "MIT"), or
    None (free text such as "All rights reserved")."""
    text = text.strip()
    if _SPDX_TOKEN.match(text) and (identifier := _spdx(text)):
        return identifier
    name = " ".join(text.lower().split())
    if _CC0_NAME.match(name):
        return "CC0-1.0"
    match = _CC_NAME.match(name)
    if match:
        kind = "-".join(match.group(1).replace(" ", "-").split("-"))
        return _creative_commons(["licenses", kind, match.group(2), *filter(None, [match.group(3)])])
    return None


def licence_for(value: str, base_url: str | None = None) -> tuple[str, str | None] | None:
    """(SPDX id or `LicenseRef-unknown`, URL) for a declared licence value: a URL (relative ones resolved against
    `base_url`) or a licence's name. None for text that is neither a URL nor a licence name."""
    value = value.strip()
    if not value:
        return None
    looks_like_url = value.lower().startswith(("http://", "https://", "//", "/")) or "://" in value
    if looks_like_url:
        try:
            url = urljoin(base_url, value) if base_url else value
        except ValueError:
            url = value
        return spdx_for_url(url) or UNKNOWN_LICENCE, url
    identifier = spdx_for_text(value)
    return (identifier, None) if identifier else None


def find_licence(document: _Element | None, base_url: str | None = None) -> Licence | None:
    """The licence a page declares: the first identified one in the order of the module's docstring, else the
    first one declared, else None. Never raises on a malformed page."""
    if document is None:
        return None
    first_unknown = None
    for licence in _declarations(document, base_url):
        if licence.spdx != UNKNOWN_LICENCE:
            return licence
        first_unknown = first_unknown or licence
    return first_unknown


def _declarations(document: _Element, base_url: str | None) -> Iterator[Licence]:
    """Every licence declaration of the page, in order of precedence (lazily: the first identified one ends it)."""
    links, anchors, metas, scripts = [], [], [], []
    # One pass over the tree for the four kinds of element; lxml filters the tags in C.
    for element in document.iter("link", "a", "meta", "script"):
        tag = element.tag
        if tag == "meta":
            metas.append(element)
        elif tag == "script":
            scripts.append(element)
        elif "license" in (element.get("rel") or "").lower().split():
            (links if tag == "link" else anchors).append(element)
    yield from _from_elements(links, "href", "link rel=license", base_url)
    for meta in metas:
        name = (meta.get("name") or "").strip().lower()
        if name in _DC_META_NAMES:
            yield from _from_value(meta.get("content"), f"meta name={name}", base_url)
    for script in scripts:
        if (script.get("type") or "").split(";")[0].strip().lower() == "application/ld+json":
            for value in _json_ld_licences(script.text or ""):
                yield from _from_value(value, "JSON-LD license", base_url)
    yield from _from_elements(anchors, "href", "a rel=license", base_url)


def _from_elements(elements: list[_Element], attribute: str, source: str, base_url: str | None) -> Iterator[Licence]:
    for element in elements:
        yield from _from_value(element.get(attribute), source, base_url)


def _from_value(value: str | None, source: str, base_url: str | None) -> Iterator[Licence]:
    found = licence_for(value, base_url) if value else None
    if found:
        yield Licence(found[0], source, found[1])


def _json_ld_licences(text: str) -> Iterator[str]:
    """The `license` values of a JSON-LD block, in document order; nothing for a block that is not JSON."""
    text = text.strip()
    # CMSs wrap scripts in HTML comments or CDATA sections for browsers that predate <script>.
    for wrapper in ("<!--", "-->", "//<![CDATA[", "//]]>", "<![CDATA[", "]]>"):
        text = text.replace(wrapper, "")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return
    stack: list[object] = [data]
    visited = 0
    while stack and visited < _JSON_LD_MAX_NODES:
        node = stack.pop()
        visited += 1
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            for key, value in node.items():
                if key in ("license", "schema:license", "http://schema.org/license", "https://schema.org/license"):
                    yield from _json_ld_values(value)
            stack.extend(reversed([value for value in node.values() if isinstance(value, (dict, list))]))


def _json_ld_values(value: object) -> Iterator[str]:
    """A `license` value's URLs or names: a string, an object's `url`/`@id`/`name`, or a list of those."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key in ("url", "@id", "name"):
            if isinstance(value.get(key), str):
                yield value[key]
                return
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (str, dict)):
                yield from _json_ld_values(item)


def _creative_commons(segments: list[str]) -> str | None:
    """The SPDX id of a creativecommons.org path (lower-cased, split on "/"). A port SPDX does not list (by/3.0/es)
    is `LicenseRef-CC-BY-3.0-ES`: ports are distinct licences, so mapping it to the unported one would not be
    faithful, yet the id still says which licence it is."""
    if segments[:3] == ["publicdomain", "zero", "1.0"]:
        return "CC0-1.0"
    if segments[:3] == ["publicdomain", "mark", "1.0"]:
        return "CC-PDM-1.0"
    if segments[:2] == ["licenses", "publicdomain"]:
        return "CC-PDDC"
    if len(segments) < 3 or segments[0] != "licenses" or segments[1] not in _CC_TYPES:
        return None
    kind, version = _CC_TYPES[segments[1]], segments[2]
    if not _VERSION.match(version):
        return None
    port = segments[3] if len(segments) > 3 else None
    if port and (port.startswith(_LICENCE_PAGES) or not _JURISDICTION.match(port)):
        port = None
    candidate = f"CC-{kind}-{version}" + (f"-{port.upper()}" if port else "")
    identifier = _spdx(candidate)
    if identifier:
        return identifier
    return f"LicenseRef-{candidate}" if port and version in _CC_VERSIONS else None


@lru_cache(maxsize=4096)
def _spdx(token: str) -> str | None:
    """`token` as a canonical SPDX licence id, or None when SPDX does not list it."""
    if not _SPDX_TOKEN.match(token) or token.lower().startswith(("licenseref", "documentref")):
        return None
    try:
        canonical = canonicalize_license_expression(token)
    except InvalidLicenseExpression:
        return None
    # A single id, not an expression the token happened to spell ("GPL-2.0+" canonicalises to one id as well).
    return canonical if " " not in canonical else None
