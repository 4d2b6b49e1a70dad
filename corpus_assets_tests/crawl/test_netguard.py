"""The address guard on its own: which resolved addresses a crawl may reach, and the URL spellings of loopback.

Only `getaddrinfo` is called on numeric hosts and localhost, which resolve offline; nothing is sent anywhere,
except in the one loopback test, which blocks every connection but the one to its own server.
"""

from __future__ import annotations

import ipaddress
import socket

import pytest

from corpus_assets.crawl.config import CrawlConfig
from corpus_assets.crawl.fetch import Fetcher
from corpus_assets.crawl.netguard import AddressPolicy

PUBLIC_ONLY = AddressPolicy(False)


@pytest.mark.parametrize(
    ("address", "embedded"),
    [
        ("64:ff9b::7f00:1", "127.0.0.1"),  # NAT64 well-known prefix (RFC 6052)
        ("64:ff9b::a9fe:a9fe", "169.254.169.254"),
        ("64:ff9b:1::7f00:1", "127.0.0.1"),  # NAT64 local-use prefix (RFC 8215)
        ("2002:7f00:1::", "127.0.0.1"),  # 6to4
        ("2002:a9fe:a9fe::", "169.254.169.254"),
        ("::127.0.0.1", "127.0.0.1"),  # IPv4-compatible
        ("::ffff:0:127.0.0.1", "127.0.0.1"),  # IPv4-translated (RFC 2765)
        ("::ffff:127.0.0.1", "127.0.0.1"),  # IPv4-mapped
        ("::ffff:7f00:1", "127.0.0.1"),
        ("64:ff9b::e000:1", "224.0.0.1"),
    ],
)
def test_an_ipv6_address_embedding_a_private_ipv4_one_is_refused_and_says_so(address, embedded):
    detail = PUBLIC_ONLY.address_refusal("h.test", address)
    assert detail is not None
    assert f"which embeds {embedded}" in detail
    assert str(ipaddress.ip_address(address)) in detail


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "0.0.0.0", "169.254.169.254", "100.64.0.1", "10.0.0.1", "::1", "::", "fe80::1%eth0",
     "224.0.0.1", "239.255.255.250", "ff02::1", "ff0e::1"],
)
def test_non_public_and_multicast_addresses_are_refused(address):
    assert PUBLIC_ONLY.address_refusal("h.test", address) is not None


@pytest.mark.parametrize("address", ["224.0.0.1", "ff0e::1"])
def test_multicast_is_refused_by_name(address):
    assert "multicast" in PUBLIC_ONLY.address_refusal("h.test", address)


@pytest.mark.parametrize("address", ["8.8.8.8", "2606:4700::1111", "64:ff9b::808:808", "2002:808:808::"])
def test_public_addresses_are_accepted(address):
    assert PUBLIC_ONLY.address_refusal("h.test", address) is None


def test_the_allow_list_admits_the_addresses_it_names_not_those_embedding_them():
    """64:ff9b::7f00:1 is a translator's loopback, not this machine's: allowing 127.0.0.1 does not admit it."""
    only_loopback = AddressPolicy(["127.0.0.1/32"])
    assert only_loopback.address_refusal("h.test", "127.0.0.1") is None
    assert only_loopback.address_refusal("h.test", "64:ff9b::7f00:1") is not None
    assert only_loopback.address_refusal("h.test", "2002:7f00:1::") is not None
    assert AddressPolicy(["64:ff9b::/96"]).address_refusal("h.test", "64:ff9b::7f00:1") is None
    assert only_loopback.address_refusal("h.test", "224.0.0.1") is not None
    assert AddressPolicy(["224.0.0.0/4"]).address_refusal("h.test", "224.0.0.1") is None
    assert AddressPolicy(True).address_refusal("h.test", "ff02::1") is None


def test_an_address_that_is_not_one_is_refused_not_raised():
    assert PUBLIC_ONLY.address_refusal("h.test", "not-an-address") is not None


@pytest.mark.parametrize(
    "url",
    ["http://127.1/", "http://0/", "http://2130706433/", "http://0x7f000001/", "http://017700000001/",
     "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://user@127.0.0.1/",
     "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/", "http://[::127.0.0.1]/", "http://[ff02::1]/"],
)
def test_loopback_spellings_in_urls_are_refused(url):
    reason, detail = PUBLIC_ONLY.refusal(url)
    assert reason == "refused_address", detail


@pytest.mark.parametrize(
    "url",
    # localhost. resolves or not depending on the resolver; the userinfo trick's host is example.invalid
    ["http://localhost./", "http://localhost/", "http://127.0.0.1:80@example.invalid/",
     # spellings that do not parse
     "http://[::1/", "http://[::1]x/", "http://[not-v6]/", "http:///", "http://a\x00b/", "http://%31%32%37.0.0.1/"],
)
def test_every_other_spelling_is_refused_never_raised(url):
    reason, _ = PUBLIC_ONLY.refusal(url)
    assert reason in ("refused_address", "dns_error")


def test_an_allowed_server_cannot_redirect_the_fetcher_to_another_private_address(serve, monkeypatch):
    """The hop check refuses each target before any connection; connections to anything but the allowed server
    are blocked here as well, so a failing guard shows up as a recorded attempt, not as traffic."""
    targets = {
        "/v6": "http://[::1]:{port}/",
        "/hex": "http://0x7f000002:{port}/",
        "/metadata": "http://169.254.169.254/latest/meta-data/",
        "/nat64": "http://[64:ff9b::7f00:1]:{port}/",
    }
    site = serve({})
    port = site.server.server_address[1]
    site.routes.update({path: (302, {"Location": target.format(port=port)}, b"") for path, target in targets.items()})
    attempted = []
    real_connect = socket.socket.connect

    def guarded_connect(sock, address):
        if address[0] != "127.0.0.1":
            attempted.append(address)
            raise ConnectionRefusedError(f"blocked by the test: {address}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    fetcher = Fetcher(CrawlConfig(allow_private_networks=["127.0.0.1/32"], delay_seconds=0.0, max_retries=0))
    assert fetcher.policy.address_refusal("h.test", "127.0.0.1") is None  # the server itself is allowed
    for path in targets:
        result = fetcher.fetch(site.url(path))
        assert (result.outcome, len(result.exchanges)) == ("refused_address", 1), (path, result.detail)
    assert attempted == []
    assert sorted(site.paths_requested()) == sorted(targets)
