"""tdmrep.json as the W3C TDMRep final report reads it: robots-style location patterns, first match in file order,
and bad files that fail clearly (or, through `HostRights`, leave no rules and a recorded problem)."""

from __future__ import annotations

import json

import pytest

from corpus_assets.rights import HostRights, TdmRepError, parse_tdmrep

SPEC_EXAMPLE = [
    {"location": "/directory-a/", "tdm-reservation": 1},
    {"location": "/directory-b/html/", "tdm-reservation": 1, "tdm-policy": "https://provider.com/policies/policy.json"},
    {"location": "/directory-b/images/*.jpg", "tdm-reservation": 0},
]


def rules(*items: object) -> bytes:
    return json.dumps(list(items)).encode()


@pytest.mark.parametrize(
    ("path", "reservation", "policy"),
    [
        ("/directory-a/report.pdf", 1, None),
        ("/directory-a/", 1, None),
        ("/directory-b/html/page.html", 1, "https://provider.com/policies/policy.json"),
        ("/directory-b/images/cat.jpg", 0, None),
        ("/directory-b/images/sub/dog.jpg?size=2", 0, None),
    ],
)
def test_the_spec_example_applies_its_rules(path: str, reservation: int, policy: str | None) -> None:
    rule = parse_tdmrep(json.dumps(SPEC_EXAMPLE).encode()).rule_for(f"https://provider.com{path}")

    assert rule is not None
    assert (rule.reservation, rule.policy) == (reservation, policy)


@pytest.mark.parametrize("path", ["/directory-c/x", "/directory-b/images/cat.png", "/Directory-a/x", "/"])
def test_no_matching_rule_leaves_the_reservation_unset(path: str) -> None:
    assert parse_tdmrep(json.dumps(SPEC_EXAMPLE).encode()).rule_for(f"https://provider.com{path}") is None


def test_the_first_matching_rule_in_file_order_applies_even_when_a_later_one_is_longer() -> None:
    tdmrep = parse_tdmrep(
        rules({"location": "/", "tdm-reservation": 0}, {"location": "/private/", "tdm-reservation": 1})
    )

    rule = tdmrep.rule_for("https://h.org/private/page")

    assert (rule.location, rule.reservation, rule.index) == ("/", 0, 0)


def test_dollar_anchors_the_end_and_star_matches_anything() -> None:
    tdmrep = parse_tdmrep(
        rules({"location": "/exact$", "tdm-reservation": 1}, {"location": "/*/x*.html$", "tdm-reservation": 1})
    )

    assert tdmrep.rule_for("https://h.org/exact") is not None
    assert tdmrep.rule_for("https://h.org/exactly") is None
    assert tdmrep.rule_for("https://h.org/a/b/xyz.html") is not None
    assert tdmrep.rule_for("https://h.org/a/b/xyz.html5") is None


def test_percent_encoded_unreserved_characters_match_their_characters() -> None:
    tdmrep = parse_tdmrep(
        rules({"location": "/caf%7Ee/", "tdm-reservation": 1}, {"location": "/path/foo-%24", "tdm-reservation": 1})
    )

    assert tdmrep.rule_for("https://h.org/caf~e/menu") is not None
    assert tdmrep.rule_for("https://h.org/caf%7ee/menu") is not None
    # "$" is reserved: the pattern's %24 matches an escaped "$" in the URL, not an end anchor.
    assert tdmrep.rule_for("https://h.org/path/foo-%24") is not None
    assert tdmrep.rule_for("https://h.org/path/foo-") is None


def test_a_location_without_leading_slash_or_given_as_a_url_is_a_path_pattern() -> None:
    tdmrep = parse_tdmrep(
        rules({"location": "news/", "tdm-reservation": 1}, {"location": "https://h.org/blog/", "tdm-reservation": 1})
    )

    assert tdmrep.rule_for("https://h.org/news/1").location == "/news/"
    assert tdmrep.rule_for("https://h.org/blog/1").location == "/blog/"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>not json</html>", "not JSON"),
        (b"", "not JSON"),
        (b"\xff\xfe[]", "not UTF-8"),
        (b'"a string"', "must be a JSON array"),
        (b"42", "must be a JSON array"),
    ],
)
def test_a_body_that_is_not_an_array_of_rules_raises_a_clear_error(body: bytes, message: str) -> None:
    with pytest.raises(TdmRepError, match=message):
        parse_tdmrep(body)


def test_malformed_rules_are_left_out_or_unset_and_said_so() -> None:
    tdmrep = parse_tdmrep(
        rules(
            "not a rule",
            {"tdm-reservation": 1},
            {"location": "/two/", "tdm-reservation": 2},
            {"location": "/text/", "tdm-reservation": "1", "tdm-policy": "  "},
            {"location": "/", "tdm-reservation": 0},
        )
    )

    assert [rule.location for rule in tdmrep.rules] == ["/two/", "/text/", "/"]
    # Another value than 0 or 1 is a protocol error: the rule matches, its reservation is unset.
    assert tdmrep.rule_for("https://h.org/two/x").reservation is None
    assert tdmrep.rule_for("https://h.org/text/x").reservation == 1
    assert tdmrep.rule_for("https://h.org/text/x").policy is None
    assert len(tdmrep.problems) == 3
    assert "rule 0 is str" in tdmrep.problems[0]


def test_a_lone_rule_object_is_read_as_a_one_rule_array() -> None:
    tdmrep = parse_tdmrep(b'\xef\xbb\xbf{"location": "/", "tdm-reservation": 1}')

    assert tdmrep.rule_for("https://h.org/any").reservation == 1
    assert tdmrep.problems


def test_host_rights_turn_a_bad_file_into_no_rules_and_a_problem() -> None:
    host = HostRights.from_files(None, b"<!doctype html><title>404</title>")

    assert host.tdmrep is None
    assert len(host.problems) == 1 and "/.well-known/tdmrep.json: tdmrep.json is not JSON" in host.problems[0]


def test_host_rights_are_built_once_per_pair_of_files() -> None:
    body = rules({"location": "/", "tdm-reservation": 1})

    assert HostRights.from_files("User-agent: *\nDisallow:", body) is HostRights.from_files(
        "User-agent: *\nDisallow:", body
    )
