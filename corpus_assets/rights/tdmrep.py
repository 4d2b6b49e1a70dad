"""A host's `/.well-known/tdmrep.json`, as the W3C TDM Reservation Protocol final report (2024) defines it.

The file is a JSON array of rules `{"location": pattern, "tdm-reservation": 0|1, "tdm-policy": url}`. A pattern
matches a URL's path the way robots.txt patterns do (the report reuses draft-koster-rep's wording and points to
Google's robots.txt matching): a prefix of the path, `*` for any characters, `$` at the end to anchor it. "The most
specific match is the first in sequence": the first rule in file order whose pattern matches applies, and no match
leaves `tdm-reservation` unset.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

TDMREP_PATH = "/.well-known/tdmrep.json"

# RFC 3986 unreserved characters: their percent-encodings mean the same as the characters themselves, so both the
# pattern and the path are compared with them decoded (as the report asks); every other escape is compared as
# written, with its hex digits in upper case.
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")


class TdmRepError(ValueError):
    """A tdmrep.json that is not JSON, or not an array of rules."""


@dataclass(frozen=True)
class TdmRepRule:
    """One rule of a tdmrep.json, in file order (`index` counts from 0)."""

    location: str
    # 0 or 1; None when the file gives another value, which the report says leaves the reservation unset.
    reservation: int | None
    policy: str | None
    index: int

    def matches(self, path: str) -> bool:
        """Whether the rule's location pattern matches `path` (the URL's path and query)."""
        return _pattern(self.location).match(_normalise_escapes(path)) is not None


@dataclass(frozen=True)
class TdmRep:
    """The rules of one host's tdmrep.json, and what was wrong with the rules that were left out."""

    rules: tuple[TdmRepRule, ...]
    problems: tuple[str, ...] = ()

    def rule_for(self, url: str) -> TdmRepRule | None:
        """The rule that applies to `url`: the first in file order whose location matches, or None."""
        path = _path_of(url)
        if path is None:
            return None
        return next((rule for rule in self.rules if rule.matches(path)), None)


def parse_tdmrep(body: bytes) -> TdmRep:
    """The rules of a tdmrep.json body. Raises `TdmRepError` when the body is not JSON, or not an array (a lone
    rule object is read as a one-rule array, a slip the rightsholder's intent survives). A rule that is not an
    object or has no string `location` is left out, and said so in `problems`."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise TdmRepError(f"tdmrep.json is not UTF-8: {error}") from None
    except (ValueError, RecursionError) as error:
        raise TdmRepError(f"tdmrep.json is not JSON: {error}") from None
    problems = []
    if isinstance(data, dict):
        problems.append("the file is one rule object, not an array of rules; read as a one-rule array")
        data = [data]
    if not isinstance(data, list):
        raise TdmRepError(f"tdmrep.json must be a JSON array of rules, not {type(data).__name__}")
    rules = []
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            problems.append(f"rule {index} is {type(item).__name__}, not an object; left out")
            continue
        location = item.get("location")
        if not isinstance(location, str) or not location.strip():
            problems.append(f"rule {index} has no location; left out")
            continue
        reservation = _reservation(item.get("tdm-reservation"))
        if reservation is None:
            problems.append(f"rule {index} has tdm-reservation {item.get('tdm-reservation')!r}, not 0 or 1: unset")
        policy = item.get("tdm-policy")
        policy = policy.strip() or None if isinstance(policy, str) else None
        rules.append(TdmRepRule(_location(location), reservation, policy, index))
    return TdmRep(tuple(rules), tuple(problems))


def _reservation(value: object) -> int | None:
    """0 or 1 from an integer (or the string of one: an opt-out written "1" still says what it means)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value in (0, 1):
        return value
    if isinstance(value, str) and value.strip() in ("0", "1"):
        return int(value.strip())
    return None


def _location(location: str) -> str:
    """A location pattern as a path pattern: a full URL is cut to its path, and a pattern that starts with neither
    "/" nor "*" gets the leading "/" every path has (robots.txt parsers do the same)."""
    location = location.strip()
    if location.lower().startswith(("http://", "https://")):
        parts = urlsplit(location)
        location = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if not location.startswith(("/", "*")):
        location = "/" + location
    return location


def _path_of(url: str) -> str | None:
    """A URL's path and query, the part patterns are matched against; None for a URL that does not parse."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _normalise_escapes(text: str) -> str:
    """`text` with escapes of unreserved characters decoded and the other escapes' hex in upper case."""
    if "%" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        character = chr(int(match.group(1), 16))
        return character if character in _UNRESERVED else f"%{match.group(1).upper()}"

    return _ESCAPE.sub(replace, text)


@lru_cache(maxsize=4096)
def _pattern(location: str) -> re.Pattern[str]:
    """A location pattern as an anchored regular expression (compiled once: every page of a host tries them)."""
    anchored = location.endswith("$")
    body = _normalise_escapes(location[:-1] if anchored else location)
    regex = ".*".join(re.escape(piece) for piece in body.split("*"))
    return re.compile(regex + (r"\Z" if anchored else ""), re.DOTALL)
