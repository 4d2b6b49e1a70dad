import tarfile
from importlib import resources

import pytest

from corpus_assets.safety import (
    BlocklistConfig,
    BlocklistFileError,
    SafetyConfig,
    blocklist_for,
    blocklist_match,
    shipped_lists,
)
from corpus_assets.safety.blocklist import host_suffixes, url_keys


@pytest.fixture(scope="module")
def listed_domain() -> str:
    """A real entry of the shipped list: one whose registered domain is itself, so its subdomains are covered."""
    archive = resources.files("datatrove").joinpath("assets/url_filterblacklistsv0_3_0.tar.gz")
    with tarfile.open(str(archive), "r:gz") as tar:
        for raw in tar.extractfile("domains"):
            domain = raw.decode().strip()
            if domain.count(".") == 1 and domain.endswith(".com"):
                return domain
    raise AssertionError("no two-label .com domain in the shipped list")


def test_a_listed_domain_and_its_subdomains_are_blocked_as_adult(listed_domain):
    for url in (f"https://{listed_domain}/", f"http://www.{listed_domain}/a?b=1", f"https://m.{listed_domain}/x"):
        match = blocklist_match(url)
        assert match is not None, url
        assert (match.category, match.entry) == ("adult", listed_domain)
        assert match.source.startswith("datatrove ") and "UT1" in match.source


def test_a_control_domain_is_not_blocked():
    assert blocklist_match("https://docs.python.org/3/library/") is None
    assert blocklist_match("https://www.bbc.co.uk/news") is None


def test_the_shipped_list_is_the_ut1_one():
    (listed,) = shipped_lists()
    assert len(listed.domains) > 4_000_000
    assert len(listed.urls) > 10_000
    assert "docs.python.org" not in listed.domains


def test_a_listed_url_covers_the_pages_under_it():
    (listed,) = shipped_lists()
    entry = next(url for url in sorted(listed.urls) if "/" in url and "?" not in url and url[0].isalpha())
    host = entry.split("/")[0]
    if any(suffix in listed.domains for suffix in host_suffixes(f"http://{host}/")):
        pytest.skip(f"{host} is listed as a whole domain too")
    match = blocklist_match(f"https://www.{entry}/page-2")
    assert match is not None and match.entry == entry


def test_suffixes_stop_at_the_registered_domain():
    assert host_suffixes("https://m.a.example.co.uk/x") == ["m.a.example.co.uk", "a.example.co.uk", "example.co.uk"]
    assert host_suffixes("http://10.0.0.1/x") == ["10.0.0.1"]
    assert url_keys("https://www.example.com/a/b/?q=1") == ["example.com/a/b?q=1", "example.com/a/b", "example.com/a"]


def test_the_extra_list_adds_domains_and_urls_with_categories(tmp_path):
    extra = tmp_path / "blocklist.txt"
    extra.write_text(
        "# our own additions\n"
        "bad-example.org  malware   # seen serving an exploit kit\n"
        "\n"
        "phish.example.net phishing\n"
        "https://www.example.com/casino/\n"
    )
    config = BlocklistConfig(extra_list=extra)
    match = blocklist_match("https://cdn.bad-example.org/x.js", config)
    assert (match.category, match.entry, match.source) == ("malware", "bad-example.org", f"extra list {extra}")
    assert blocklist_match("http://phish.example.net/login", config).category == "phishing"
    assert blocklist_match("http://example.net/", config) is None
    assert blocklist_match("https://example.com/casino/poker", config).entry == "example.com/casino"
    assert blocklist_match("https://example.com/news", config) is None
    assert blocklist_match("https://bad-example.org/") is None  # not without the extra list


def test_a_malformed_line_names_the_file_and_line(tmp_path):
    extra = tmp_path / "blocklist.txt"
    extra.write_text("good.example.org\n# fine\nnot a domain at all\n")
    with pytest.raises(BlocklistFileError, match=rf"{extra}, line 3: .*'not a domain at all'"):
        blocklist_match("https://x.org/", BlocklistConfig(extra_list=extra))
    extra.write_text("good.example.org Bad/Category\n")
    with pytest.raises(BlocklistFileError, match="line 1"):
        blocklist_match("https://x.org/", BlocklistConfig(extra_list=extra))


def test_categories_and_enabled_select_the_lists(listed_domain, tmp_path):
    assert blocklist_match(f"https://{listed_domain}/", BlocklistConfig(categories=("malware",))) is None
    assert blocklist_for(BlocklistConfig(enabled=False)).lists == ()
    assert SafetyConfig().blocklist.categories == ("adult", "malware", "phishing")
