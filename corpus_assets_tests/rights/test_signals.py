"""`assess_page_rights`: every kind of signal with its location, robots.txt groups for AI agents versus `*`,
X-Robots-Tag agent prefixes, TDMRep precedence, the "drop"/"record" policies and the licence allow list."""

from __future__ import annotations

import json

import lxml.etree
import pytest
from pydantic import ValidationError

from corpus_assets.rights import HostRights, PageRights, RightsConfig, RightsSignal, assess_page_rights

URL = "https://news.example/private/article.html"
RECORD_ALL = RightsConfig(robots_ai_agents="record", robots_meta_noai="record", tdm_reservation="record")


def parse(html: str) -> lxml.etree._Element:
    return lxml.etree.fromstring(html, lxml.etree.HTMLParser())


def assess(
    *,
    headers: list[tuple[str, str]] | None = None,
    html: str | None = None,
    robots: str | None = None,
    tdmrep: list[dict] | None = None,
    config: RightsConfig = RightsConfig(),
    url: str = URL,
) -> PageRights:
    host = HostRights.from_files(robots, json.dumps(tdmrep).encode() if tdmrep is not None else None)
    return assess_page_rights(url, headers or [], parse(html) if html else None, host, config)


def signal(kind: str, value: str, location: str, opt_out: bool = True) -> RightsSignal:
    return RightsSignal(kind, value, location, opt_out)


def test_a_page_without_signals_is_kept_with_nothing_recorded() -> None:
    rights = assess(headers=[("Content-Type", "text/html")], html="<p>Hello</p>", robots="User-agent: *\nDisallow: /x")

    assert rights == PageRights((), None, None, None, None, None, None)


# robots.txt


def test_a_group_naming_an_ai_agent_that_disallows_the_page_is_an_opt_out() -> None:
    robots = "User-agent: GPTBot\nUser-agent: CCBot\nDisallow: /private/\n\nUser-agent: *\nAllow: /\n"

    rights = assess(robots=robots)

    assert rights.signals == (
        signal("robots_ai_agent", "GPTBot disallowed", "robots.txt: User-agent GPTBot"),
        signal("robots_ai_agent", "CCBot disallowed", "robots.txt: User-agent CCBot"),
    )
    assert (rights.drop_reason, rights.drop_detail) == (
        "tdm_opt_out",
        "GPTBot disallowed in robots.txt: User-agent GPTBot",
    )


def test_a_star_group_is_not_an_ai_opt_out() -> None:
    rights = assess(robots="User-agent: *\nDisallow: /\n")

    assert rights.signals == ()
    assert rights.drop_reason is None


def test_an_ai_group_that_allows_the_page_is_no_signal_even_when_star_disallows_it() -> None:
    robots = "User-agent: ClaudeBot\nDisallow: /admin/\n\nUser-agent: *\nDisallow: /\n"

    assert assess(robots=robots).signals == ()


def test_ai_agent_groups_match_case_insensitively_and_only_their_agent() -> None:
    robots = "user-agent: google-extended # AI training\ndisallow: /\n\nUser-agent: Googlebot\nDisallow: /\n"

    assert assess(robots=robots).signals == (
        signal("robots_ai_agent", "Google-Extended disallowed", "robots.txt: User-agent Google-Extended"),
    )


def test_only_the_configured_agents_are_asked() -> None:
    robots = "User-agent: GPTBot\nDisallow: /\n\nUser-agent: MyBot\nDisallow: /\n"

    rights = assess(robots=robots, config=RightsConfig(ai_user_agents=("MyBot",)))

    assert [s.value for s in rights.signals] == ["MyBot disallowed"]


# X-Robots-Tag


@pytest.mark.parametrize(
    ("headers", "values"),
    [
        ([("X-Robots-Tag", "noai")], ["noai"]),
        ([("x-robots-tag", "NoAI, NoImageAI")], ["noai", "noimageai"]),
        ([("X-Robots-Tag", "noindex"), ("X-Robots-Tag", "noai")], ["noindex", "noai"]),
        ([("X-Robots-Tag", "GPTBot: noai")], ["GPTBot: noai"]),
        ([("X-Robots-Tag", "gptbot: noimageai, noai")], ["GPTBot: noimageai", "GPTBot: noai"]),
        ([("X-Robots-Tag", "robots: noai")], ["noai"]),
        ([("X-Robots-Tag", "unavailable_after: 25 Jun 2030 15:00:00 PST, noai")], ["noai"]),
        # Another crawler's directives are not addressed to us; a later agent prefix switches back.
        ([("X-Robots-Tag", "googlebot: noai, noindex")], []),
        ([("X-Robots-Tag", "googlebot: noindex, CCBot: noai")], ["CCBot: noai"]),
        ([("X-Robots-Tag", "googlebot: noindex"), ("X-Robots-Tag", "noai")], ["noai"]),
    ],
)
def test_x_robots_tag_directives_and_agent_prefixes(headers: list[tuple[str, str]], values: list[str]) -> None:
    rights = assess(headers=headers, config=RECORD_ALL)

    assert [s.value for s in rights.signals] == values
    assert all(s.location == "header X-Robots-Tag" for s in rights.signals)


def test_noai_in_x_robots_tag_drops_and_noimageai_is_recorded_but_not_an_opt_out() -> None:
    noai = assess(headers=[("X-Robots-Tag", "noimageai, noai")])
    noimageai = assess(headers=[("X-Robots-Tag", "noimageai")])

    assert noai.signals == (
        signal("x_robots_tag", "noimageai", "header X-Robots-Tag", False),
        signal("x_robots_tag", "noai", "header X-Robots-Tag"),
    )
    assert (noai.drop_reason, noai.drop_detail) == ("tdm_opt_out", "noai in header X-Robots-Tag")
    assert noimageai.signals == (signal("x_robots_tag", "noimageai", "header X-Robots-Tag", False),)
    assert noimageai.drop_reason is None


def test_malformed_headers_are_skipped() -> None:
    headers = [("X-Robots-Tag",), None, ("X-Robots-Tag", None), (b"X-Robots-Tag", b"noai"), 42, ("a", "b", "c")]

    rights = assess_page_rights(URL, headers, None, None, RightsConfig())  # type: ignore[arg-type]

    assert rights.signals == (signal("x_robots_tag", "noai", "header X-Robots-Tag"),)


def test_headers_that_are_not_a_sequence_do_not_raise() -> None:
    assert assess_page_rights(URL, None, None, None, RightsConfig()).signals == ()  # type: ignore[arg-type]


# <meta>


def test_meta_robots_and_ai_agent_names() -> None:
    html = (
        '<head><meta name="Robots" content="noai noimageai, nofollow">'
        '<meta name="gptbot" content="noai"><meta name="googlebot" content="noai"></head>'
    )

    assert assess(html=html).signals == (
        signal("meta_robots", "noai", "meta name=robots"),
        signal("meta_robots", "noimageai", "meta name=robots", False),
        signal("meta_robots", "noai", "meta name=GPTBot"),
    )


@pytest.mark.parametrize(
    ("headers", "html", "location"),
    [
        ([("X-Robots-Tag", "noindex, nofollow")], None, "header X-Robots-Tag"),
        ([], '<meta name="robots" content="noindex">', "meta name=robots"),
        ([], '<meta name="robots" content="none">', "meta name=robots"),
    ],
)
def test_noindex_is_recorded_and_kept_by_default_and_dropped_under_drop(
    headers: list[tuple[str, str]], html: str | None, location: str
) -> None:
    recorded = assess(headers=headers, html=html)
    dropped = assess(headers=headers, html=html, config=RightsConfig(noindex="drop"))

    assert [(s.kind, s.location, s.opt_out) for s in recorded.signals] == [("noindex", location, False)]
    assert recorded.drop_reason is None
    assert dropped.drop_reason == "noindex"
    assert dropped.drop_detail.endswith(f"in {location}")


# TDMRep


def test_tdm_meta_header_and_file_are_all_found_with_their_locations() -> None:
    html = (
        '<head><meta name="tdm-reservation" content="1"><meta name="tdm-policy" content="https://p.example/m"></head>'
    )
    headers = [("TDM-Reservation", "1"), ("tdm-policy", "https://p.example/h")]
    tdmrep = [{"location": "/private/*", "tdm-reservation": 1, "tdm-policy": "https://p.example/f"}]

    rights = assess(headers=headers, html=html, tdmrep=tdmrep)

    file = "https://news.example/.well-known/tdmrep.json (location /private/*)"
    assert rights.signals == (
        signal("tdm_reservation", "tdm-reservation: 1", "meta name=tdm-reservation"),
        signal("tdm_reservation", "tdm-policy: https://p.example/m", "meta name=tdm-policy", False),
        signal("tdm_reservation", "tdm-reservation: 1", "header tdm-reservation"),
        signal("tdm_reservation", "tdm-policy: https://p.example/h", "header tdm-policy", False),
        signal("tdm_reservation", "tdm-reservation: 1", file),
        signal("tdm_reservation", "tdm-policy: https://p.example/f", file, False),
    )
    # HTML meta supersedes the header, which supersedes the file.
    assert rights.tdm_policy == "https://p.example/m"
    assert rights.drop_detail == "tdm-reservation: 1 in meta name=tdm-reservation"


def test_a_tdmrep_file_rule_alone_drops_the_page_it_covers() -> None:
    tdmrep = [{"location": "/private/*", "tdm-reservation": 1}, {"location": "/", "tdm-reservation": 0}]

    covered = assess(tdmrep=tdmrep)
    other = assess(tdmrep=tdmrep, url="https://news.example/public/a.html")

    assert covered.drop_detail == (
        "tdm-reservation: 1 in https://news.example/.well-known/tdmrep.json (location /private/*)"
    )
    assert other.signals == (
        signal(
            "tdm_reservation", "tdm-reservation: 0", "https://news.example/.well-known/tdmrep.json (location /)", False
        ),
    )
    assert other.drop_reason is None


def test_a_header_zero_supersedes_the_file_and_a_meta_zero_supersedes_the_header() -> None:
    tdmrep = [{"location": "/", "tdm-reservation": 1, "tdm-policy": "https://p.example/f"}]

    header_zero = assess(headers=[("tdm-reservation", "0")], tdmrep=tdmrep)
    meta_zero = assess(headers=[("tdm-reservation", "1")], html='<meta name="tdm-reservation" content="0">')

    assert header_zero.drop_reason is None
    assert header_zero.tdm_policy is None  # not processed where rights are not reserved
    assert header_zero.signals[1] == signal(
        "tdm_reservation",
        "tdm-reservation: 1 (superseded by tdm-reservation: 0 in header tdm-reservation)",
        "https://news.example/.well-known/tdmrep.json (location /)",
        False,
    )
    assert meta_zero.drop_reason is None
    assert [s.opt_out for s in meta_zero.signals] == [False, False]


def test_an_invalid_reservation_is_recorded_and_leaves_it_unset() -> None:
    rights = assess(headers=[("tdm-reservation", "yes")], tdmrep=[{"location": "/", "tdm-reservation": 1}])

    assert rights.signals[0] == signal(
        "tdm_reservation", "tdm-reservation: yes (invalid)", "header tdm-reservation", False
    )
    # Unset in the header, so the file's reservation is in effect.
    assert rights.drop_reason == "tdm_opt_out"
    assert "tdmrep.json" in rights.drop_detail


def test_a_host_with_a_broken_tdmrep_file_drops_nothing() -> None:
    host = HostRights.from_files(None, b"{not json")

    assert assess_page_rights(URL, [], None, host, RightsConfig()).drop_reason is None


# Policies, order and licences


def test_record_policies_keep_the_page_but_record_every_signal() -> None:
    kwargs = dict(
        headers=[("X-Robots-Tag", "noai"), ("tdm-reservation", "1")],
        html='<meta name="robots" content="noai">',
        robots="User-agent: CCBot\nDisallow: /",
    )

    recorded = assess(**kwargs, config=RECORD_ALL)
    dropped = assess(**kwargs)

    assert recorded.signals == dropped.signals
    assert sum(s.opt_out for s in recorded.signals) == 4
    assert recorded.drop_reason is None
    # The first opt-out in order (robots.txt, header, meta, TDMRep) names the drop.
    assert dropped.drop_detail == "CCBot disallowed in robots.txt: User-agent CCBot"


@pytest.mark.parametrize(
    ("config", "detail"),
    [
        (RightsConfig(robots_ai_agents="record"), "noai in header X-Robots-Tag"),
        (
            RightsConfig(robots_ai_agents="record", robots_meta_noai="record"),
            "tdm-reservation: 1 in header tdm-reservation",
        ),
        (RECORD_ALL, None),
    ],
)
def test_each_policy_switches_its_own_kind(config: RightsConfig, detail: str | None) -> None:
    rights = assess(
        headers=[("X-Robots-Tag", "noai"), ("tdm-reservation", "1")],
        robots="User-agent: CCBot\nDisallow: /",
        config=config,
    )

    assert rights.drop_detail == detail


def test_allow_list_drops_pages_without_an_allowed_licence() -> None:
    config = RightsConfig(licence_allow_list=("cc-by-4.0", "CC0-1.0"))
    cc_by = '<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">'
    cc_nc = '<a rel="license" href="https://creativecommons.org/licenses/by-nc/4.0/">CC</a>'

    assert config.licence_allow_list == ("CC-BY-4.0", "CC0-1.0")
    allowed = assess(html=cc_by, config=config)
    assert (allowed.licence, allowed.licence_source, allowed.drop_reason) == ("CC-BY-4.0", "link rel=license", None)
    assert (assess(html=cc_nc, config=config).drop_reason, assess(html=cc_nc, config=config).drop_detail) == (
        "licence",
        "licence CC-BY-NC-4.0 not in the allow list",
    )
    assert assess(html="<p>x</p>", config=config).drop_detail == "no licence declared"
    assert assess(html=cc_nc).drop_reason is None


def test_an_opt_out_outranks_the_licence() -> None:
    config = RightsConfig(licence_allow_list=("CC-BY-4.0",))
    html = '<head><meta name="robots" content="noai"></head><body><a rel="license" href="/l">x</a></body>'

    assert assess(html=html, config=config).drop_reason == "tdm_opt_out"


def test_unknown_licence_keeps_its_url() -> None:
    rights = assess(html='<link rel="license" href="/terms-of-use">')

    assert (rights.licence, rights.licence_url) == ("LicenseRef-unknown", "https://news.example/terms-of-use")


@pytest.mark.parametrize("allow_list", [("not a licence",), ("CC-BY-9.0",)])
def test_the_allow_list_takes_only_spdx_ids(allow_list: tuple[str, ...]) -> None:
    with pytest.raises(ValidationError, match="SPDX"):
        RightsConfig(licence_allow_list=allow_list)


def test_the_config_is_strict_and_frozen() -> None:
    with pytest.raises(ValidationError):
        RightsConfig(noai="drop")  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        RightsConfig(noindex="maybe")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        RightsConfig(ai_user_agents=("GPT Bot",))
    with pytest.raises(ValidationError):
        RightsConfig().noindex = "drop"  # type: ignore[misc]
