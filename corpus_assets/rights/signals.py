"""A page's rights signals: AI opt-outs in robots.txt, X-Robots-Tag and <meta>, W3C TDMRep reservations, noindex,
and its licence; and whether `RightsConfig` drops the page for them.

`HostRights.from_files(robots_text, tdmrep_body)` reads a host's robots.txt and tdmrep.json once (and is cached
per pair of bodies), `assess_page_rights(url, headers, document, host, config)` is called for every page.

Decisions:

- robots.txt: a disallow is an AI opt-out only in a group that names the AI agent (as Protego picks groups: the
  group's product token at a token boundary of the agent's name). `User-agent: *` shuts out every crawler, ours
  first, so a page it disallows is never fetched; it says nothing about AI in particular.
- X-Robots-Tag: every header line counts; each may start with a user agent (`GPTBot: noai`) that applies to the
  directives after it. Directives for another named agent (`googlebot: noindex`) are not addressed to us and are
  ignored; unprefixed ones (and `robots:` ones) are generic and apply.
- `noimageai` is recorded but is not an opt-out: it reserves a page's images, and the corpus keeps only text.
- TDMRep: the final report has tdmrep.json read first, the HTTP header supersede it and HTML meta supersede both,
  so the reservation in effect is the meta's, else the header's, else the file's rule. Every declaration is
  recorded; one with value 1 that a later-read source overrides with 0 is recorded as superseded, not an opt-out.
- The drop decision takes the first opt-out signal (in the order robots.txt, header, meta, TDMRep) whose kind's
  policy is "drop"; then noindex if its policy is "drop"; then the licence allow list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from lxml.etree import _Element
from protego import Protego

from corpus_assets.crawl.urls import host_of
from corpus_assets.rights.config import Policy, RightsConfig
from corpus_assets.rights.licences import find_licence
from corpus_assets.rights.tdmrep import TDMREP_PATH, TdmRep, TdmRepError, parse_tdmrep

# X-Robots-Tag directives that carry a value after a colon: `unavailable_after: 25 Jun 2010` is not an agent prefix.
_VALUED_DIRECTIVES = frozenset({"unavailable_after", "max-snippet", "max-image-preview", "max-video-preview"})
# Agent prefixes that address every crawler.
_GENERIC_AGENTS = frozenset({"robots", "*"})
_AGENT_PREFIX = re.compile(r"^\s*([^\s:,]+)\s*:\s*(.*)$", re.DOTALL)
_USER_AGENT_LINE = re.compile(r"^[ \t]*user[-_ ]?agent[ \t]*:[ \t]*([^#\r\n]*)", re.IGNORECASE | re.MULTILINE)
_DIRECTIVE_SPLIT = re.compile(r"[,\s]+")
# Every `PageRights.drop_reason`: the site's reservation or the team's licence policy, never a fault of the page.
RIGHTS_DROP_REASONS = frozenset({"tdm_opt_out", "noindex", "licence"})


@dataclass(frozen=True)
class RightsSignal:
    """One rights signal a page carries.

    `kind`: robots_ai_agent, x_robots_tag, meta_robots, tdm_reservation or noindex. `value`: what it says
    ("GPTBot disallowed", "noai", "GPTBot: noai", "tdm-reservation: 1", "tdm-policy: https://..."). `location`:
    where it was found ("robots.txt: User-agent GPTBot", "header X-Robots-Tag", "meta name=robots",
    "https://host/.well-known/tdmrep.json (location /private/*)"). `opt_out`: whether it opts the page out of
    training (never for noindex, noimageai, tdm-policy or a superseded reservation).
    """

    kind: str
    value: str
    location: str
    opt_out: bool


@dataclass(frozen=True)
class PageRights:
    """A page's rights signals, its licence and, under a `RightsConfig`, why it is dropped (None: kept).

    `drop_reason` is "tdm_opt_out" (an opt-out signal whose policy is "drop"), "noindex" (with the noindex policy
    "drop") or "licence" (not in the allow list); `drop_detail` names the signal and where it was found.
    """

    signals: tuple[RightsSignal, ...]
    licence: str | None
    licence_source: str | None
    licence_url: str | None
    tdm_policy: str | None
    drop_reason: str | None
    drop_detail: str | None


class HostRights:
    """A host's robots.txt and tdmrep.json, read once for all its pages.

    Takes the robots.txt text rather than a `Protego`: Protego does not say which groups a file has, and an AI
    opt-out is a group naming the agent. A tdmrep.json that cannot be read gives no rules and a `problems` entry
    instead of an error: a broken file must not stop the host's pages (nor be read as an opt-out).
    """

    __slots__ = ("_agent_tokens", "_named", "problems", "robots", "tdmrep")

    def __init__(self, robots_text: str | None, tdmrep: TdmRep | None, problems: tuple[str, ...] = ()) -> None:
        self.robots = Protego.parse(robots_text) if robots_text else None
        # The product tokens of the file's groups, as Protego keys them (lower case, "*" removed from inside).
        tokens = set()
        for match in _USER_AGENT_LINE.finditer(robots_text or ""):
            token = match.group(1).strip().lower()
            if token and token != "*":
                tokens.add(token.replace("*", "") or token)
        self._agent_tokens = frozenset(tokens)
        self._named: dict[str, bool] = {}
        self.tdmrep = tdmrep
        self.problems = problems + (tdmrep.problems if tdmrep else ())

    @classmethod
    def from_files(cls, robots_text: str | None, tdmrep_body: bytes | None) -> HostRights:
        """The rights of a host from its robots.txt text (as read: for a truncated file, up to its last whole
        line) and tdmrep.json body; None for a file the host does not have. Cached per pair of bodies."""
        return _host_rights(robots_text, tdmrep_body)

    def names_agent(self, agent: str) -> bool:
        """Whether the robots.txt has a group for `agent` itself (not only `*`)."""
        named = self._named.get(agent)
        if named is None:
            named = self._named[agent] = any(_token_applies(token, agent.lower()) for token in self._agent_tokens)
        return named


@lru_cache(maxsize=256)
def _host_rights(robots_text: str | None, tdmrep_body: bytes | None) -> HostRights:
    tdmrep, problems = None, ()
    if tdmrep_body is not None:
        try:
            tdmrep = parse_tdmrep(tdmrep_body)
        except TdmRepError as error:
            problems = (f"{TDMREP_PATH}: {error}",)
    return HostRights(robots_text, tdmrep, problems)


def _token_applies(token: str, agent: str) -> bool:
    """Protego's rule: a group's product token applies to an agent name containing it at a token boundary."""
    index = agent.find(token)
    while index != -1:
        if index == 0 or not (agent[index - 1].isalnum() or agent[index - 1] in "-_"):
            return True
        index = agent.find(token, index + 1)
    return False


def assess_page_rights(
    url: str,
    headers: Sequence[tuple[str, str]],
    document: _Element | None,
    host: HostRights | None,
    config: RightsConfig,
) -> PageRights:
    """The rights signals and licence of a page fetched from `url` with response `headers`, its parsed HTML
    `document` (before any boilerplate removal; None when there is none) and its host's robots.txt and tdmrep.json
    (`host`, None when unknown), and whether `config` drops it. Never raises on malformed input."""
    agents = {agent.lower(): agent for agent in config.ai_user_agents}
    header_pairs = list(_headers(headers))
    signals: list[RightsSignal] = []
    if host is not None and host.robots is not None:
        signals.extend(_robots_signals(url, host, config.ai_user_agents))
    signals.extend(_x_robots_signals(header_pairs, agents))
    metas = _metas(document)
    signals.extend(_meta_robots_signals(metas, agents))
    tdm_signals, tdm_policy = _tdm_signals(url, header_pairs, metas, host.tdmrep if host else None)
    signals.extend(tdm_signals)
    licence = find_licence(document, url)
    drop_reason, drop_detail = _drop(signals, licence.spdx if licence else None, config)
    return PageRights(
        signals=tuple(signals),
        licence=licence.spdx if licence else None,
        licence_source=licence.source if licence else None,
        licence_url=licence.url if licence else None,
        tdm_policy=tdm_policy,
        drop_reason=drop_reason,
        drop_detail=drop_detail,
    )


def _headers(headers: Iterable[object]) -> Iterable[tuple[str, str]]:
    """(lower-cased name, value) of every well-formed header; anything else is skipped."""
    try:
        for item in headers or ():
            try:
                name, value = item  # type: ignore[misc]
            except (TypeError, ValueError):
                continue
            if isinstance(name, bytes):
                name = name.decode("latin-1")
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            if isinstance(name, str) and isinstance(value, str):
                yield name.strip().lower(), value
    except TypeError:
        return


def _robots_signals(url: str, host: HostRights, agents: Sequence[str]) -> Iterable[RightsSignal]:
    for agent in agents:
        if host.names_agent(agent) and not host.robots.can_fetch(url, agent):
            yield RightsSignal("robots_ai_agent", f"{agent} disallowed", f"robots.txt: User-agent {agent}", True)


def _robots_directives(
    kind: str, location: str, directives: Iterable[str], agent: str | None
) -> Iterable[RightsSignal]:
    """The signals of robots directives addressed to `agent` (None: every crawler)."""
    prefix = f"{agent}: " if agent else ""
    for directive in directives:
        if directive == "noai":
            yield RightsSignal(kind, prefix + directive, location, True)
        elif directive == "noimageai":
            # Reserves the page's images; the corpus takes only text, so recorded but not an opt-out.
            yield RightsSignal(kind, prefix + directive, location, False)
        elif directive in ("noindex", "none"):
            yield RightsSignal("noindex", prefix + directive, location, False)


def _x_robots_signals(headers: list[tuple[str, str]], agents: dict[str, str]) -> list[RightsSignal]:
    signals: list[RightsSignal] = []
    for name, value in headers:
        if name != "x-robots-tag":
            continue
        agent: str | None = None
        applies = True
        for part in value.split(","):
            prefixed = _AGENT_PREFIX.match(part)
            if prefixed and prefixed.group(1).lower() not in _VALUED_DIRECTIVES:
                named = prefixed.group(1).lower()
                agent = None if named in _GENERIC_AGENTS else agents.get(named)
                # Another crawler's directives (googlebot: noindex) are not addressed to us.
                applies = named in _GENERIC_AGENTS or named in agents
                part = prefixed.group(2)
            if applies:
                directives = part.lower().split()
                signals.extend(_robots_directives("x_robots_tag", "header X-Robots-Tag", directives, agent))
    return _unique(signals)


def _metas(document: _Element | None) -> list[tuple[str, str]]:
    """(lower-cased name, content) of the page's <meta name content> elements."""
    if document is None:
        return []
    metas = []
    for meta in document.iter("meta"):
        name, content = meta.get("name"), meta.get("content")
        if name and content is not None:
            metas.append((name.strip().lower(), content))
    return metas


def _meta_robots_signals(metas: list[tuple[str, str]], agents: dict[str, str]) -> list[RightsSignal]:
    signals: list[RightsSignal] = []
    for name, content in metas:
        if name == "robots" or name in agents:
            agent = agents.get(name)
            location = f"meta name={agent or name}"
            directives = [d for d in _DIRECTIVE_SPLIT.split(content.lower()) if d]
            signals.extend(_robots_directives("meta_robots", location, directives, None))
    return _unique(signals)


def _tdm_signals(
    url: str, headers: list[tuple[str, str]], metas: list[tuple[str, str]], tdmrep: TdmRep | None
) -> tuple[list[RightsSignal], str | None]:
    """The TDMRep declarations of the page, and the tdm-policy in effect. Sources are listed most authoritative
    first (meta, header, file); a reservation's `opt_out` holds unless a more authoritative source says 0."""
    # (location of its reservations, location of its policies, reservations, policies), most authoritative first.
    sources: list[tuple[str, str, list[str], list[str]]] = [
        ("meta name=tdm-reservation", "meta name=tdm-policy",
         [content for name, content in metas if name == "tdm-reservation"],
         [content for name, content in metas if name == "tdm-policy"]),
        ("header tdm-reservation", "header tdm-policy",
         [value for name, value in headers if name == "tdm-reservation"],
         [value for name, value in headers if name == "tdm-policy"]),
    ]
    rule = tdmrep.rule_for(url) if tdmrep is not None else None
    if rule is not None:
        try:
            origin = host_of(url)
        except ValueError:
            origin = ""
        location = f"{origin}{TDMREP_PATH} (location {rule.location})"
        reservation = "" if rule.reservation is None else str(rule.reservation)
        sources.append((location, location, [reservation], [rule.policy] if rule.policy else []))
    signals: list[RightsSignal] = []
    in_effect: tuple[int, str] | None = None  # the reservation of the most authoritative source that has one
    policy: str | None = None
    for location, policy_location, reservations, policies in sources:
        for raw in reservations:
            value = raw.strip()
            if value not in ("0", "1"):
                # The report: any other value is a protocol error and leaves the reservation unset.
                signals.append(RightsSignal("tdm_reservation", f"tdm-reservation: {value} (invalid)", location, False))
                continue
            superseded = in_effect is not None and in_effect[0] == 0
            shown = f"tdm-reservation: {value}"
            if superseded and value == "1":
                shown += f" (superseded by tdm-reservation: 0 in {in_effect[1]})"
            signals.append(RightsSignal("tdm_reservation", shown, location, value == "1" and not superseded))
            if in_effect is None:
                in_effect = (int(value), location)
        for raw in policies:
            if raw.strip():
                signals.append(RightsSignal("tdm_reservation", f"tdm-policy: {raw.strip()}", policy_location, False))
                policy = policy or raw.strip()
    # The report: a tdm-policy is not to be processed where TDM rights are not reserved.
    if in_effect is not None and in_effect[0] == 0:
        policy = None
    return _unique(signals), policy


def _unique(signals: list[RightsSignal]) -> list[RightsSignal]:
    """`signals` without repeats (a directive said twice is one signal), in order."""
    return list(dict.fromkeys(signals))


_POLICY_OF_KIND = {
    "robots_ai_agent": "robots_ai_agents",
    "x_robots_tag": "robots_meta_noai",
    "meta_robots": "robots_meta_noai",
    "tdm_reservation": "tdm_reservation",
    "noindex": "noindex",
}


def _drop(
    signals: list[RightsSignal], licence: str | None, config: RightsConfig
) -> tuple[str | None, str | None]:
    def policy(signal: RightsSignal) -> Policy:
        return getattr(config, _POLICY_OF_KIND[signal.kind])

    for signal in signals:
        if signal.opt_out and policy(signal) == "drop":
            return "tdm_opt_out", f"{signal.value} in {signal.location}"
    for signal in signals:
        if signal.kind == "noindex" and policy(signal) == "drop":
            return "noindex", f"{signal.value} in {signal.location}"
    allowed = config.licence_allow_list
    if allowed is not None and licence not in allowed:
        return "licence", f"licence {licence} not in the allow list" if licence else "no licence declared"
    return None, None
