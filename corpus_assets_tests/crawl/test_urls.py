import pytest

from corpus_assets.crawl.netguard import AddressPolicy
from corpus_assets.crawl.urls import host_of, normalize_url, page_id_for


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://Example.COM:80/a/./b/../c?x=1#frag", "http://example.com/a/c?x=1"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/docs/", "https://example.com:8443/docs/"),
        ("https://example.com/p?utm_source=x&id=3&fbclid=y", "https://example.com/p?id=3"),
        ("mailto:someone@example.com", None),
        ("javascript:void(0)", None),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
        ("http://bad:port/", None),
    ],
)
def test_normalize_url(raw, expected):
    assert normalize_url(raw) == expected


def test_relative_links_resolve_against_the_page():
    assert normalize_url("../b.html", base="http://h.test/docs/a/index.html") == "http://h.test/docs/b.html"


def test_page_id_is_stable_and_date_scoped():
    first = page_id_for("2026-11-02", "http://h.test/")
    assert first == page_id_for("2026-11-02", "http://h.test/")
    assert first != page_id_for("2026-11-03", "http://h.test/")
    assert host_of("http://h.test:81/x/y") == "http://h.test:81"


def test_private_addresses_are_refused_unless_allowed():
    refused = AddressPolicy(False)
    assert refused.refusal("http://127.0.0.1:9/")[0] == "refused_address"
    assert refused.refusal("http://169.254.169.254/latest/meta-data/")[0] == "refused_address"
    assert refused.refusal("http://10.0.0.1/")[0] == "refused_address"
    only_loopback = AddressPolicy(["127.0.0.1/32"])
    assert only_loopback.refusal("http://127.0.0.1:9/") is None
    assert only_loopback.refusal("http://169.254.169.254/")[0] == "refused_address"
    assert only_loopback.refusal("http://10.0.0.1/")[0] == "refused_address"
    assert AddressPolicy(True).refusal("http://10.0.0.1/") is None
    assert refused.refusal("http://no-such-host.invalid/")[0] == "dns_error"


def test_tracking_parameters_are_a_list_the_config_can_change():
    from corpus_assets.crawl.urls import normalize_url

    url = "http://a.test/p?utm_source=x&ref=home&id=7"
    assert normalize_url(url) == "http://a.test/p?ref=home&id=7"
    assert normalize_url(url, tracking=["utm_", "ref"]) == "http://a.test/p?id=7"
    assert normalize_url(url, tracking=[]) == url
