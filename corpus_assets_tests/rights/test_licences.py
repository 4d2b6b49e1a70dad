"""Licences as SPDX ids: Creative Commons URL variants, GNU and SPDX-named licences, the order of the page's
declarations, JSON-LD shapes and broken JSON-LD."""

from __future__ import annotations

import lxml.etree
import pytest

from corpus_assets.rights import UNKNOWN_LICENCE, find_licence, spdx_for_text, spdx_for_url


def parse(html: str) -> lxml.etree._Element:
    return lxml.etree.fromstring(html, lxml.etree.HTMLParser())


@pytest.mark.parametrize(
    ("url", "spdx"),
    [
        ("https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
        ("http://creativecommons.org/licenses/by/4.0", "CC-BY-4.0"),
        ("https://www.creativecommons.org/licenses/by/4.0/legalcode", "CC-BY-4.0"),
        ("//creativecommons.org/licenses/by-sa/4.0/deed.de", "CC-BY-SA-4.0"),
        ("https://creativecommons.org/licenses/by-sa/4.0/legalcode.fr", "CC-BY-SA-4.0"),
        ("https://creativecommons.org/licenses/BY-NC-ND/4.0/", "CC-BY-NC-ND-4.0"),
        ("https://creativecommons.org/licenses/by-nc-sa/3.0/", "CC-BY-NC-SA-3.0"),
        ("https://creativecommons.org/licenses/by-nd/2.5/", "CC-BY-ND-2.5"),
        ("https://creativecommons.org/licenses/by-nc/2.0/", "CC-BY-NC-2.0"),
        ("https://creativecommons.org/licenses/by/1.0/", "CC-BY-1.0"),
        ("https://creativecommons.org/licenses/by-nd-nc/1.0/", "CC-BY-NC-ND-1.0"),
        ("https://creativecommons.org/licenses/by-sa/3.0/de/", "CC-BY-SA-3.0-DE"),
        ("http://creativecommons.org/licenses/by-sa/3.0/de/deed.de", "CC-BY-SA-3.0-DE"),
        ("https://creativecommons.org/licenses/by/3.0/igo/", "CC-BY-3.0-IGO"),
        ("https://creativecommons.org/licenses/by-sa/2.1/jp/", "CC-BY-SA-2.1-JP"),
        # A port SPDX does not list is named, not folded into the unported licence.
        ("https://creativecommons.org/licenses/by/3.0/es/", "LicenseRef-CC-BY-3.0-ES"),
        ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),
        ("http://creativecommons.org/publicdomain/zero/1.0/legalcode.en", "CC0-1.0"),
        ("https://creativecommons.org/publicdomain/mark/1.0/", "CC-PDM-1.0"),
        ("https://www.gnu.org/licenses/gpl-3.0.html", "GPL-3.0"),
        ("https://www.gnu.org/licenses/old-licenses/lgpl-2.1.en.html", "LGPL-2.1"),
        ("http://www.gnu.org/copyleft/fdl.html", None),
        ("https://www.gnu.org/licenses/fdl-1.3.html", "GFDL-1.3"),
        ("https://www.gnu.org/licenses/agpl-3.0.txt", "AGPL-3.0"),
        ("https://opensource.org/licenses/MIT", "MIT"),
        ("https://opensource.org/license/mit", "MIT"),
        ("https://opensource.org/licenses/mit-license.php", "MIT"),
        ("https://opensource.org/licenses/Apache-2.0", "Apache-2.0"),
        ("https://www.apache.org/licenses/LICENSE-2.0", "Apache-2.0"),
        ("https://www.apache.org/licenses/LICENSE-2.0.txt", "Apache-2.0"),
        ("https://spdx.org/licenses/BSD-3-Clause.html", "BSD-3-Clause"),
        ("https://choosealicense.com/licenses/mpl-2.0/", "MPL-2.0"),
    ],
)
def test_licence_urls_map_to_spdx_ids(url: str, spdx: str | None) -> None:
    assert spdx_for_url(url) == spdx


@pytest.mark.parametrize(
    "url",
    [
        "https://www.gnu.org/licenses/gpl.html",  # no version: which GPL is not said
        "https://creativecommons.org/licenses/by/9.0/",
        "https://creativecommons.org/licenses/",
        "https://creativecommons.org/",
        "https://example.org/licenses/by/4.0/",
        "https://spdx.org/licenses/",
        "https://opensource.org/licenses/not-a-licence",
        "http://[::1",
    ],
)
def test_urls_that_do_not_name_one_licence_map_to_none(url: str) -> None:
    assert spdx_for_url(url) is None


@pytest.mark.parametrize(
    ("text", "spdx"),
    [
        ("CC-BY-4.0", "CC-BY-4.0"),
        ("cc-by-sa-4.0", "CC-BY-SA-4.0"),
        ("CC BY-SA 4.0", "CC-BY-SA-4.0"),
        ("Creative Commons BY-NC 3.0 DE", "CC-BY-NC-3.0-DE"),
        ("CC0", "CC0-1.0"),
        ("MIT", "MIT"),
        ("All rights reserved", None),
        ("© 2024 Example GmbH", None),
    ],
)
def test_licence_names_map_to_spdx_ids(text: str, spdx: str | None) -> None:
    assert spdx_for_text(text) == spdx


def test_link_rel_license_is_found_and_resolved_against_the_page() -> None:
    licence = find_licence(parse('<html><head><link rel="License" href="/terms"></head></html>'), "https://h.org/a/b")

    assert (licence.spdx, licence.source, licence.url) == (UNKNOWN_LICENCE, "link rel=license", "https://h.org/terms")


def test_a_rel_license_among_other_rel_tokens_is_found() -> None:
    html = '<p><a rel="nofollow noopener license" href="//creativecommons.org/licenses/by-sa/4.0/">CC</a></p>'

    licence = find_licence(parse(html), "https://h.org/")

    assert (licence.spdx, licence.source) == ("CC-BY-SA-4.0", "a rel=license")
    assert licence.url == "https://creativecommons.org/licenses/by-sa/4.0/"


def test_an_anchor_whose_rel_only_contains_the_word_is_not_a_licence() -> None:
    assert find_licence(parse('<a rel="licensed" href="https://creativecommons.org/licenses/by/4.0/">x</a>')) is None


@pytest.mark.parametrize(
    ("name", "content", "spdx"),
    [
        ("dcterms.license", "https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
        ("DC.rights", "https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),
        ("dcterms.rights", "CC BY 4.0", "CC-BY-4.0"),
    ],
)
def test_dublin_core_meta_declares_a_licence(name: str, content: str, spdx: str) -> None:
    licence = find_licence(parse(f'<head><meta name="{name}" content="{content}"></head>'))

    assert (licence.spdx, licence.source) == (spdx, f"meta name={name.lower()}")


def test_dublin_core_free_text_is_not_a_licence() -> None:
    assert (
        find_licence(parse('<head><meta name="dc.rights" content="Copyright 2024, all rights reserved"></head>'))
        is None
    )


@pytest.mark.parametrize(
    "data",
    [
        '{"@type": "Article", "license": "https://creativecommons.org/licenses/by/4.0/"}',
        '{"@type": "Article", "license": {"@type": "CreativeWork", "url": "https://creativecommons.org/licenses/by/4.0/"}}',
        '{"@type": "Article", "license": {"@id": "https://creativecommons.org/licenses/by/4.0/"}}',
        '{"@context": "https://schema.org", "@graph": [{"@type": "WebSite"}, {"@type": "WebPage", '
        '"license": "https://creativecommons.org/licenses/by/4.0/"}]}',
        '[{"@type": "Organization"}, {"@type": "Article", "license": ["https://creativecommons.org/licenses/by/4.0/"]}]',
        '<!-- {"license": "https://creativecommons.org/licenses/by/4.0/"} -->',
        '{"mainEntity": {"@type": "Dataset", "license": "CC-BY-4.0"}}',
    ],
)
def test_json_ld_licences_in_every_shape(data: str) -> None:
    licence = find_licence(parse(f'<head><script type="application/ld+json">{data}</script></head>'))

    assert (licence.spdx, licence.source) == ("CC-BY-4.0", "JSON-LD license")


@pytest.mark.parametrize(
    "data",
    ['{"license": ', "not json at all", "[" * 100_000, '{"license": 42}', '{"license": null}', "", '"just a string"'],
)
def test_broken_or_empty_json_ld_finds_nothing_and_does_not_raise(data: str) -> None:
    html = f'<head><script type="application/ld+json">{data}</script></head><body><p>text</p></body>'

    assert find_licence(parse(html)) is None


def test_broken_json_ld_does_not_hide_a_licence_elsewhere() -> None:
    html = (
        '<head><script type="application/ld+json">{"license": </script></head>'
        '<body><a rel="license" href="https://creativecommons.org/licenses/by-nc/4.0/">CC</a></body>'
    )

    assert find_licence(parse(html)).spdx == "CC-BY-NC-4.0"


def test_link_beats_json_ld_beats_anchor_when_they_disagree() -> None:
    link = '<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">'
    json_ld = (
        '<script type="application/ld+json">{"license": "https://creativecommons.org/licenses/by-sa/4.0/"}</script>'
    )
    anchor = '<a rel="license" href="https://creativecommons.org/licenses/by-nd/4.0/">CC</a>'

    assert find_licence(parse(f"<head>{json_ld}{link}</head><body>{anchor}</body>")).spdx == "CC-BY-4.0"
    assert find_licence(parse(f"<head>{json_ld}</head><body>{anchor}</body>")).spdx == "CC-BY-SA-4.0"
    assert find_licence(parse(f"<body>{anchor}</body>")).spdx == "CC-BY-ND-4.0"


def test_an_identified_licence_beats_an_unknown_one_from_a_stronger_source() -> None:
    html = (
        '<head><link rel="license" href="/about/licence"></head>'
        '<body><a rel="license" href="https://creativecommons.org/licenses/by/3.0/">CC</a></body>'
    )

    licence = find_licence(parse(html), "https://h.org/")

    assert (licence.spdx, licence.source) == ("CC-BY-3.0", "a rel=license")


def test_no_document_no_licence() -> None:
    assert find_licence(None, "https://h.org/") is None
