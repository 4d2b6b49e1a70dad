"""Which URLs are on a blocklist: the UT1 list datatrove ships, plus a team's own additions.

The shipped list. No maintained UT1 (or other categorised adult/malware/phishing) domain list is published on
PyPI as data only; the one installable copy of UT1 is inside datatrove's wheel (datatrove 0.10.1, Apache-2.0,
17 MB wheel), `datatrove/assets/url_filterblacklistsv0_3_0.tar.gz`: the URL filter FineWeb ran. Its data come from
the blacklists of the Université Toulouse Capitole (UT1, https://dsi.ut-capitole.fr/blacklists/, maintained by
Fabrice Prigent, CC BY-SA 4.0: a corpus card must credit UT1 and say the list is shared alike). The archive
(files dated 2024-12-03) holds one merged `domains` file of 4,558,940 domains and one `urls` file of 19,586
URLs (host/path, no scheme), with no category column. Its size is UT1's adult category's (about 4.6 million),
with no gambling, dating or cryptojacking entries; 11 of 15 UT1 malware domains and 3 of 19 (newer) UT1
phishing domains sampled are in it too. It is named `adult` here, the category it is nearly all of; malware and
phishing lists come from the team's `extra_list` until a maintained one is installable.

Lookups. A listed domain covers its subdomains: a URL's host is looked up, then each parent down to its
registered domain (`m.a.example.com`, `a.example.com`, `example.com`), a few lookups per URL. The 4.6 million
shipped domains are held as sorted 64-bit hashes (37 MB) instead of a frozenset of strings (500 MB resident
per process, measured); a lookup is a binary search, and a false match needs a 64-bit collision (about 1 in
4e12 per lookup). The list is hashed once per datatrove version (6.7 s here) and the hashes kept in the cache
folder; a process reads them from there on first use.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import re
import tarfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from corpus_assets.crawl.urls import registered_domain
from corpus_assets.safety.config import BlocklistConfig

SHIPPED_CATEGORY = "adult"
_DATATROVE_ARCHIVE = "assets/url_filterblacklistsv0_3_0.tar.gz"
# A domain of the extra list: dot-separated labels of letters, digits, '-' and '_' (IDNs in their xn-- form).
_DOMAIN = re.compile(r"(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?\.)+[a-z0-9-]+")
_CATEGORY = re.compile(r"[a-z0-9_-]+")


def _hash(text: str) -> int:
    """A 64-bit hash of a domain, stable across processes (Python's `hash` of a str is salted per process)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


class HashedDomainSet:
    """A set of millions of domains in 8 bytes each: their sorted 64-bit hashes."""

    def __init__(self, hashes: np.ndarray):
        self._hashes = hashes

    @classmethod
    def of(cls, domains: Iterable[str]) -> HashedDomainSet:
        hashes = np.fromiter((_hash(domain) for domain in domains), dtype=np.uint64)
        hashes.sort()
        return cls(hashes)

    def __contains__(self, domain: object) -> bool:
        if not isinstance(domain, str):
            return False
        key = np.uint64(_hash(domain))
        index = int(np.searchsorted(self._hashes, key))
        return index < len(self._hashes) and self._hashes[index] == key

    def __len__(self) -> int:
        return len(self._hashes)


@dataclass(frozen=True)
class DomainList:
    """One list of one category: its domains (a subdomain of one is covered) and its URLs (host/path, no scheme)."""

    source: str
    category: str
    domains: frozenset[str] | HashedDomainSet
    urls: frozenset[str]


@dataclass(frozen=True)
class BlocklistMatch:
    """Why a URL is blocked: the category, the listed entry that covers it, and the list it came from."""

    category: str
    entry: str
    source: str


class BlocklistFileError(ValueError):
    """A line of a team's extra list that is neither a domain nor a URL (the message names the file and line)."""


def _datatrove_members() -> dict[str, Iterator[str]]:
    """The `domains` and `urls` lines of datatrove's archive, streamed (the archive is 124 MB uncompressed)."""
    archive = resources.files("datatrove").joinpath(_DATATROVE_ARCHIVE)
    tar = tarfile.open(str(archive), "r:gz")

    def lines(name: str) -> Iterator[str]:
        member = tar.extractfile(name)
        for raw in member:
            line = raw.decode("utf-8", "replace").strip()
            if line and not line.startswith("#"):
                yield line

    return {"domains": lines("domains"), "urls": lines("urls")}


def cache_folder() -> Path:
    """Where the shipped list is kept once hashed: $CORPUS_ASSETS_CACHE, else the user's cache folder."""
    configured = os.environ.get("CORPUS_ASSETS_CACHE")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "corpus_assets"


def _write_atomically(path: Path, data: bytes) -> None:
    """Concurrent first uses (the workers of a step, the test processes) each write their own file and rename it
    into place: a reader sees a whole file or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


@cache
def shipped_lists() -> tuple[DomainList, ...]:
    """The lists installed with the project, read once per process. Hashing the archive's 4.6 million domains
    takes about 7 s, and every worker process of every step would pay it: the hashes and URLs are kept in the
    cache folder under the datatrove version, and read back from there in milliseconds."""
    version = metadata.version("datatrove")
    source = f"datatrove {version} UT1"
    hashes_file = cache_folder() / f"ut1-datatrove-{version}.domains.u64"
    urls_file = cache_folder() / f"ut1-datatrove-{version}.urls.txt"
    try:
        hashes = np.fromfile(hashes_file, dtype=np.uint64)
        urls = frozenset(urls_file.read_text(encoding="utf-8").splitlines())
    except (OSError, ValueError):
        members = _datatrove_members()
        # Read in archive order: a gzip stream is read forward only.
        hashes = HashedDomainSet.of(members["domains"])._hashes
        urls = frozenset(members["urls"])
        try:
            _write_atomically(urls_file, "\n".join(sorted(urls)).encode("utf-8"))
            _write_atomically(hashes_file, hashes.tobytes())
        except OSError:
            pass  # a read-only home: every process hashes the archive itself, which is slower, not wrong
    return (DomainList(source, SHIPPED_CATEGORY, HashedDomainSet(hashes), urls),)


def _parse_entry(entry: str) -> tuple[str, str] | None:
    """('domain', host) or ('url', host/path) of an extra-list entry, or None if it is neither."""
    if "://" in entry:
        parts = urlsplit(entry)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return None
        key = _url_key(parts.hostname, parts.path, parts.query)
        return ("url", key) if "/" in key else ("domain", key)
    host, slash, path = entry.partition("/")
    host = host.lower().rstrip(".")
    if not (_DOMAIN.fullmatch(host) or _is_ip(host)):
        return None
    if slash and path.strip("/"):
        return "url", _url_key(host, "/" + path.partition("?")[0], path.partition("?")[2])
    return "domain", host


def parse_extra_list(lines: Iterable[str], path: Path | str) -> tuple[DomainList, ...]:
    """A team's list: `ENTRY [CATEGORY]` per line, where ENTRY is a domain (it covers its subdomains) or a URL
    (with or without its scheme), and a `#` starts a comment. A line without a category is `extra`."""
    by_category: dict[str, tuple[set[str], set[str]]] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        fields = line.split()
        parsed = _parse_entry(fields[0]) if len(fields) <= 2 else None
        category = fields[1].lower() if len(fields) == 2 else "extra"
        if parsed is None or not _CATEGORY.fullmatch(category):
            raise BlocklistFileError(
                f"{path}, line {number}: expected a domain or URL and an optional category, got {raw.strip()!r}"
            )
        kind, key = parsed
        domains, urls = by_category.setdefault(category, (set(), set()))
        (domains if kind == "domain" else urls).add(key)
    source = f"extra list {path}"
    return tuple(DomainList(source, category, frozenset(domains), frozenset(urls))
                 for category, (domains, urls) in sorted(by_category.items()))


@cache
def _extra_lists(path: Path, mtime_ns: int) -> tuple[DomainList, ...]:
    """The extra list as of its modification time: an edited file is read again."""
    with path.open(encoding="utf-8") as file:
        return parse_extra_list(file, path)


def extra_lists(path: Path | str) -> tuple[DomainList, ...]:
    """A team's extra list, read once per process while it is unchanged."""
    path = Path(path)
    return _extra_lists(path, path.stat().st_mtime_ns)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _url_key(host: str, path: str, query: str = "") -> str:
    """`host/path[?query]` as UT1 writes URLs: no scheme, no `www.`, no trailing slash."""
    host = host.lower().rstrip(".").removeprefix("www.")
    path = path.rstrip("/")
    return f"{host}{path}" + (f"?{query}" if query else "")


def host_suffixes(url: str) -> list[str]:
    """The URL's host and each parent domain down to its registered domain, most specific first.

    `https://m.a.example.co.uk/x` -> `m.a.example.co.uk`, `a.example.co.uk`, `example.co.uk`: a public suffix
    (`co.uk`) is never looked up, so a list cannot block a whole TLD by accident. An IP address is itself.
    """
    host = (urlsplit(url).hostname or "").rstrip(".")
    if not host or _is_ip(host):
        return [host] if host else []
    floor = registered_domain(url).lower()
    labels = host.split(".")
    suffixes = []
    for start in range(len(labels)):
        suffix = ".".join(labels[start:])
        suffixes.append(suffix)
        if suffix == floor or suffix.count(".") == 0:
            break
    return suffixes


def url_keys(url: str) -> list[str]:
    """The URL and each parent path of it as `host/path` keys, longest first: a listed URL covers what is under
    it (`example.com/videos` covers `example.com/videos/123`), as squidGuard reads UT1's url lists."""
    parts = urlsplit(url)
    if not parts.hostname:
        return []
    segments = [segment for segment in parts.path.split("/") if segment]
    keys = [_url_key(parts.hostname, parts.path, parts.query)] if parts.query else []
    keys += [_url_key(parts.hostname, "/" + "/".join(segments[:end])) for end in range(len(segments), 0, -1)]
    return keys


@dataclass(frozen=True)
class Blocklist:
    """The lists one configuration applies, in order: shipped lists first, then the team's."""

    lists: tuple[DomainList, ...]

    def match(self, url: str) -> BlocklistMatch | None:
        """The first listed domain or URL that covers `url`, or None."""
        suffixes = host_suffixes(url)
        keys: list[str] | None = None
        for listed in self.lists:
            for suffix in suffixes:
                if suffix in listed.domains:
                    return BlocklistMatch(listed.category, suffix, listed.source)
            if listed.urls:
                keys = url_keys(url) if keys is None else keys
                for key in keys:
                    if key in listed.urls:
                        return BlocklistMatch(listed.category, key, listed.source)
        return None


def blocklist_for(config: BlocklistConfig) -> Blocklist:
    """The lists `config` applies (none when the filter is off). Each list is read once per process."""
    if not config.enabled:
        return Blocklist(())
    lists = tuple(listed for listed in shipped_lists() if listed.category in config.categories)
    if config.extra_list is not None:
        lists += extra_lists(config.extra_list)
    return Blocklist(lists)


def blocklist_match(url: str, config: BlocklistConfig | None = None) -> BlocklistMatch | None:
    """Why `url` is blocked under `config` (default: the shipped lists of every default category), or None."""
    return blocklist_for(config or BlocklistConfig()).match(url)
