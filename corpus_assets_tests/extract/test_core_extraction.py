"""The extraction rules on small hand-made pages, and the decisions to keep or drop."""

import codecs
import random

import lxml.html
import pytest

from corpus_assets.extract import (
    ExtractConfig,
    decode_html,
    extract_main_text,
    identify_language,
    judge_extraction,
    main_text,
)

CONFIG = ExtractConfig()


def paragraphs(sentence: str, count: int, repeat: int = 3) -> str:
    """`count` numbered <p>, each the sentence `repeat` times: an article's body in a hand-made page."""
    return "".join(f"<p>{sentence * repeat}{i}</p>" for i in range(count))


def text_of(body: str) -> str:
    return extract_main_text(f"<html><body>{body}</body></html>", None, CONFIG).text


def test_navigation_footer_and_cookie_banner_go():
    text = text_of(
        '<nav><a href="/">Home</a><a href="/news">News</a></nav>'
        '<div class="cookie-banner">We use cookies.</div>'
        "<main><p>The article itself stays.</p></main>"
        '<footer>Copyright notice</footer><div id="sidebar">Popular posts</div>'
    )
    assert text == "The article itself stays."


def test_inline_tags_stay_on_one_line_and_blocks_split():
    text = text_of("<h2>Heading</h2><p>One <b>bold</b> and <a href='#'>linked</a> sentence.</p><ul><li>a item"
                   "</li><li>b item</li></ul>")
    assert text.splitlines() == ["Heading", "One bold and linked sentence.", "a item", "b item"]


def test_tables_and_code_keep_their_text():
    text = text_of("<table><tr><th>Name</th><th>Value</th></tr><tr><td>pi</td><td>3.14</td></tr></table>"
                   "<pre>def f(x):\n    return x</pre>")
    assert "Name Value" in text and "pi 3.14" in text
    assert "def f(x):\n    return x" in text


def test_hidden_elements_scripts_and_styles_go():
    text = text_of('<p hidden>secret</p><p style="display: none">also secret</p><script>var x;</script>'
                   "<style>p{}</style><p>visible</p>")
    assert text == "visible"


def test_title_canonical_and_declared_language():
    html = ('<html lang="de-AT"><head><title> Der  Titel </title><link rel="canonical" href="https://x.test/a">'
            "</head><body><p>Inhalt</p></body></html>")
    extraction = extract_main_text(html, None, CONFIG)
    assert (extraction.title, extraction.canonical_url, extraction.declared_language) == (
        "Der Titel", "https://x.test/a", "de")


@pytest.mark.parametrize("html", ["", "   ", "\x00\x01binary", "<html><body>" + "<div>" * 5000 + "deep",
                                  "<<<>>>not html at all", "<html><body></body></html>"])
def test_malformed_html_never_raises(html):
    assert isinstance(extract_main_text(html, None, CONFIG).text, str)


def deep_irregular_page(seed: int, elements: int, max_depth: int) -> str:
    """Random nesting down to `max_depth` of the tags the length rules weigh (links in paragraphs and paragraphs in
    links, headings, <pre>), with texts and tails of whitespace only, non-breaking spaces and comments."""
    rng = random.Random(seed)
    texts = ["", " ", "\n  ", "word", " two words ", "\u00a0x\u00a0", "\t", "<!-- a comment -->", "end. "]
    parts, open_tags = ["<html><body>"], []
    for _ in range(elements):
        if open_tags and (len(open_tags) >= max_depth or rng.random() < 0.45):
            parts.append(f"</{open_tags.pop()}>{rng.choice(texts)}")
        tag = rng.choice(["div", "p", "a", "span", "h2", "pre", "section", "b"])
        open_tags.append(tag)
        parts.append(f"<{tag}>{rng.choice(texts)}")
    return "".join(parts + [f"</{tag}>" for tag in reversed(open_tags)] + ["</body></html>"])


@pytest.mark.parametrize("seed", range(3))
def test_lengths_counted_once_per_tree_are_those_of_each_element_on_a_deep_page(seed):
    body = lxml.html.document_fromstring(deep_irregular_page(seed, 3000, 240)).find("body")
    elements = list(body.iter(lxml.etree.Element))
    assert len(elements) > 2000 and max(sum(1 for _ in e.iterancestors()) for e in elements) > 150
    # What the rules weighed elements by before: each element's own text joined and stripped.
    length = {element: len("".join(element.itertext()).strip()) for element in elements}
    unlinked = {element: length[element] - sum(length[link] for link in element.iter("a")) for element in elements}
    prose = {element: 0 if next(element.iterancestors("a"), None) is not None else unlinked[element]
             for element in elements}
    lengths = main_text._TextLengths(body)
    for element in elements:
        assert lengths.text(element) == length[element]
        assert lengths.non_link(element) == unlinked[element]
        assert lengths.prose(element) == prose[element]
        assert lengths.paragraphs(element) == sum(prose[paragraph] for paragraph in element.iter("p"))
        assert lengths.paragraphs_below(element) == sum(prose[paragraph] for paragraph in element.iter("p", "pre")
                                                        if paragraph is not element)
        assert lengths.headings(element) == sum(length[heading] for heading in element.iter(*main_text._HEADINGS))


@pytest.mark.parametrize("seed", range(3))
def test_lengths_counted_again_after_removals_are_those_of_the_tree_counted_afresh(seed):
    rng = random.Random(seed)
    body = lxml.etree.fromstring(deep_irregular_page(seed, 3000, 240), lxml.etree.HTMLParser()).find("body")
    lengths = main_text._TextLengths(body)
    # Subtrees at every depth, some inside others (removed first: their parents are then gone from the page), and
    # elements with text after them, which moves to their previous sibling or their parent.
    small = [element for element in body.iterdescendants() if sum(1 for _ in element.iter()) < 100]
    removed = rng.sample(small, 150)
    parents = [main_text._drop_tree(element) for element in removed]
    assert sum(parent is None for parent in parents) < 50
    lengths.recount(parent for parent in parents if parent is not None)
    afresh = main_text._TextLengths(body)
    remaining = list(body.iter(lxml.etree.Element))
    assert len(remaining) > 500
    for measure in ("text", "non_link", "prose", "paragraphs", "paragraphs_below", "headings"):
        assert [getattr(lengths, measure)(e) for e in remaining] == [getattr(afresh, measure)(e) for e in remaining]


@pytest.mark.parametrize("extractor", ["builtin", "trafilatura", "resiliparse"])
def test_a_page_of_more_elements_than_the_bound_is_looked_at_up_to_it_and_says_so(extractor, monkeypatch):
    monkeypatch.setattr(main_text, "MAX_ELEMENTS", 500)
    sentence = "The river carried boats and goods to the city for hundreds of years. "

    def page(count, end="<p>The end.</p>"):
        return f"<html><head><title>Rivers</title></head><body>{paragraphs(sentence, count, 2)}{end}</body></html>"

    config = ExtractConfig(extractor=extractor)
    cut = extract_main_text(page(2000), None, config)
    # <html>, <head>, <title> and <body>, then the first 496 paragraphs; the text after them goes too.
    first_elements = extract_main_text(page(496, end=""), None, config)
    assert cut.cut == "looked at the first 500 of 2005 elements" and first_elements.cut is None
    assert (cut.title, cut.text) == ("Rivers", first_elements.text) and "years. 495" in cut.text


def test_encodings_header_meta_bom_and_invalid_bytes():
    latin = "<p>café</p>".encode("latin-1")
    assert decode_html(latin, "text/html; charset=ISO-8859-1").text == "<p>café</p>"
    meta = b'<meta charset="windows-1252"><p>caf\xe9</p>'
    decoded = decode_html(meta, "text/html")
    assert (decoded.encoding_source, "café" in decoded.text) == ("meta", True)
    assert decode_html(b"\xef\xbb\xbf<p>x</p>", None).encoding_source == "bom"
    broken = decode_html(b"<p>ok \xff\xfe\xfd</p>", "text/html; charset=utf-8")
    assert broken.text.startswith("<p>ok ") and "\ufffd" in broken.text


def test_decoded_text_has_no_control_characters_but_whitespace():
    # Form feed and vertical tab break lines (pages, Word's manual line break); ANSI colour codes and the other C0
    # controls, DEL and the noncharacters U+FFFE and U+FFFF mean nothing in a text, and lxml refuses them.
    body = "a\x0cb\x0bc\x00d\x01e\x1b[1;31mf\x1b[0mg\x1f\x7fh\ufffe\uffffi\tj\nk\r\nl".encode()
    assert decode_html(body, "text/html; charset=utf-8").text == "a\nb\ncdefghi\tj\nk\r\nl"


# Python codecs that are not character sets (bytes.decode refuses them), text codecs that refuse errors="replace",
# and text codecs that no browser decodes a page with (the WHATWG Encoding Standard has no label for them); a page
# may declare any of them.
NOT_CHARSETS = ["base64", "hex", "rot13", "zlib", "uu", "bz2", "quopri", "idna", "undefined", "unicode_escape",
                "raw_unicode_escape", "punycode", "utf-7", "utf-32"]
CAFE = "<html><body><p>Le café est ouvert tous les jours, même le dimanche matin.</p></body></html>"


@pytest.mark.parametrize("name", NOT_CHARSETS)
def test_a_header_charset_that_is_not_a_character_set_falls_back_to_the_meta(name):
    body = f'<meta charset="utf-8">{CAFE}'.encode()
    decoded = decode_html(body, f"text/html; charset={name}")
    assert (decoded.encoding_source, decoded.encoding, "café" in decoded.text) == ("meta", "utf-8", True)


@pytest.mark.parametrize("meta", ['<meta charset="{}">',
                                  '<meta http-equiv="Content-Type" content="text/html; charset={}">'])
@pytest.mark.parametrize("name", NOT_CHARSETS)
def test_a_meta_charset_that_is_not_a_character_set_falls_back_to_detection(name, meta):
    decoded = decode_html((meta.format(name) + CAFE).encode(), "text/html")
    assert (decoded.encoding_source, "café" in decoded.text) == ("detected", True)


@pytest.mark.parametrize("name", ["utf-16", "UTF-16LE", "utf-16be", "unicodeFFFE"])
def test_a_meta_charset_of_utf16_means_utf8(name):
    # The prescan reads a meta in ASCII bytes, so the page is not in UTF-16: the HTML standard's encoding sniffing
    # takes such a declaration for UTF-8.
    decoded = decode_html(f'<meta charset="{name}">{CAFE}'.encode(), "text/html")
    assert (decoded.encoding_source, decoded.encoding, "café" in decoded.text) == ("meta", "utf-8", True)


def test_utf16_is_believed_of_a_bom_and_of_a_header_on_bytes_that_are_utf16():
    page = f'<meta charset="utf-16">{CAFE}'
    decoded = [decode_html(codecs.BOM_UTF16_LE + page.encode("utf-16-le"), "text/html; charset=utf-8"),
               decode_html(page.encode("utf-16-be"), "text/html; charset=utf-16be"),
               decode_html(page.encode(), "text/html; charset=utf-16"),
               decode_html(CAFE.encode(), "text/html; charset=utf-16le")]
    assert [(d.encoding_source, d.encoding, "café" in d.text) for d in decoded] == [
        ("bom", "utf-16-le", True), ("http-header", "utf-16-be", True), ("meta", "utf-8", True),
        ("detected", "utf-8", True)]


@pytest.mark.parametrize(("content_type", "meta"), [("text/html; charset=latin1", ""),
                                                    ("text/html", '<meta charset="ISO-8859-1">'),
                                                    ("text/html; charset=us-ascii", "")])
def test_latin1_and_ascii_mean_windows_1252_as_in_browsers(content_type, meta):
    decoded = decode_html(f"{meta}<p>".encode() + b"\x93quoted\x94 caf\xe9</p>", content_type)
    assert (decoded.encoding, decoded.text.endswith("<p>“quoted” café</p>")) == ("cp1252", True)


def test_mojibake_is_repaired():
    assert "café" in text_of("<p>The cafÃ© opened early and served good coffee.</p>")


def test_language_and_the_keep_or_drop_decision():
    english = "The river carried boats and goods to the city for hundreds of years, and people settled there."
    french = "La rivière portait des bateaux et des marchandises vers la ville depuis des siècles, dit-on."
    assert identify_language(english).language == "en"
    assert identify_language(french).language == "fr"
    page = extract_main_text(f"<p>{english}</p><p>{english}</p>", None, CONFIG)
    assert judge_extraction(page, identify_language(page.text), CONFIG).drop_reason is None
    foreign = extract_main_text(f"<p>{french} {french}</p>", None, CONFIG)
    verdict = judge_extraction(foreign, identify_language(foreign.text), CONFIG)
    assert verdict.drop_reason == "language" and "fr" in verdict.detail
    thin = extract_main_text("<p>Coming soon.</p>", None, CONFIG)
    assert judge_extraction(thin, identify_language(thin.text), CONFIG).drop_reason == "no_text"


@pytest.mark.parametrize("extractor", ["trafilatura", "resiliparse"])
def test_reference_extractors_are_selectable(extractor):
    body = "".join(f"<p>Paragraph {i} of a long enough article about rivers and the boats on them.</p>"
                   for i in range(8))
    html = f"<html><body><nav><a href='/'>Home</a></nav><article>{body}</article></body></html>"
    extraction = extract_main_text(html, "http://x.test/", ExtractConfig(extractor=extractor))
    assert extraction.extractor == extractor and "Paragraph 3 of a long enough article" in extraction.text


def test_xhtml_with_an_xml_declaration():
    html = ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 '
            'Transitional//EN" "x.dtd"><html xmlns="http://www.w3.org/1999/xhtml"><head><title>T</title></head>'
            "<body><p>Docbook pages start like this one.</p></body></html>")
    assert extract_main_text(html, None, CONFIG).text == "Docbook pages start like this one."


def test_a_wrapper_named_after_chrome_keeps_the_article_it_holds():
    article = "<p>" + "The river carried silt from the mountains to the delta every spring. " * 5 + "</p>"
    text = text_of(f'<div class="layout has-sidebar"><h1>Rivers</h1>{article}</div>'
                   '<div class="sidebar"><p>Popular: ten tips</p></div>')
    assert "river carried silt" in text and "Rivers" in text
    assert "ten tips" not in text  # the real sidebar still goes


def test_comment_and_related_sections_go():
    text = text_of("<article><h1>Bread</h1><p>" + "Knead the dough until it is smooth and elastic. " * 4 + "</p>"
                   '<section class="comments"><p>Great recipe, thanks!</p></section>'
                   '<div class="related-articles"><p>Ten more breads</p></div></article>')
    assert "Knead the dough" in text
    assert "Great recipe" not in text and "Ten more breads" not in text


def test_chrome_around_the_paragraphs_goes_even_without_telling_names():
    story = paragraphs("The harbour lights were lit at dusk by the keeper. ", 4)
    text = text_of(f'<div class="x1"><div class="x2"><a href="/">Home</a> <a href="/about">About us</a> '
                   f'<span>Subscribe today for more</span></div><div class="x3">{story}</div></div>')
    assert "harbour lights" in text and "Subscribe today" not in text


def test_a_table_beside_the_paragraphs_is_kept():
    prose = paragraphs("Replication keeps a copy of the data on another server. ", 5)
    text = text_of(f'<div><div class="sect">{prose}</div>'
                   "<div><table><tr><td>Feature</td><td>Shared disk</td></tr></table></div></div>")
    assert "Feature Shared disk" in text and "Replication keeps" in text


def test_a_chrome_named_block_holding_most_of_the_prose_is_kept():
    # The article is a small share of a page heavy with menus, but it holds the page's paragraphs.
    menu = "<ul>" + "".join(f'<li><a href="/s{i}">Section number {i} of the site</a></li>' for i in range(60)) + "</ul>"
    story = paragraphs("The council voted to rebuild the old bridge next year. ", 5, repeat=2)
    text = text_of(f'<div class="top">{menu}</div><div class="content-with-sidebar">{story}</div>'
                   '<div class="sidebar"><p>Subscribe to our newsletter</p></div>')
    assert "rebuild the old bridge" in text and "Subscribe" not in text


def test_the_article_under_the_title_wins_over_a_longer_list_of_teasers():
    story = "<p>" + "Seeds sprout faster in warm, moist soil. " * 12 + "</p>"
    teasers = "".join(f"<article><h2>Other story {i}</h2><p>{'A summary of another page on this site. ' * 6}</p>"
                      "</article>" for i in range(6))
    text = text_of(f"<div><article><h1>Gardening</h1>{story}</article>"
                   f"<article><h3>You may also like</h3>{teasers}</article></div>")
    assert text.splitlines()[:2] == ["Gardening", ("Seeds sprout faster in warm, moist soil. " * 12).strip()]
    assert "another page" not in text


def test_teaser_summaries_inside_links_do_not_count_as_prose():
    story = paragraphs("Firefighters contained the blaze before dawn. ", 3)
    teasers = "".join(f'<div><a href="/p{i}"><h3>Story {i}</h3><p>{"What happened elsewhere that day. " * 4}</p>'
                      "</a></div>" for i in range(12))
    text = text_of(f"<div><div>{story}</div><div>{teasers}</div></div>")
    assert "contained the blaze" in text and "elsewhere" not in text


def test_a_declared_sidebar_goes_even_when_it_is_longer_than_the_article():
    story = paragraphs("The lake froze early this winter, said the ranger. ", 3)
    deals = "".join(f"<article><h4>Deal {i}</h4><p>{'A discount on a gadget you did not know you needed. ' * 4}</p>"
                    "</article>" for i in range(6))
    text = text_of(f'<div><div class="entry">{story}</div><aside role="complementary">{deals}</aside></div>')
    assert "lake froze early" in text and "discount" not in text


def test_the_opening_paragraphs_beside_a_paywalled_block_are_kept():
    rest = paragraphs("Analysts expect the chain to recover next quarter. ", 6)
    text = text_of("<div><div class='body'><p>" + "Shares fell sharply in early trading on Tuesday. " * 3 + "</p>"
                   f"<div class='rest'>{rest}</div></div></div>")
    assert text.startswith("Shares fell sharply") and "recover next quarter" in text


def test_teaser_blocks_around_the_article_are_left_out():
    story = paragraphs("The new convertible folds its roof in sixteen seconds. ", 5)
    recent = "".join(f"<div><h4>Recent {i}</h4><p>{'Another car story from this week. ' * 3}</p></div>"
                     for i in range(3))
    text = text_of(f"<div><div class='row'><div class='cell'>{story}</div></div><div class='row'>{recent}</div></div>")
    assert "sixteen seconds" in text and "Another car story" not in text


def test_captions_credits_galleries_and_bylines_go():
    story = paragraphs("The mayor opened the new library on Saturday morning. ", 3)
    text = text_of('<article><h1>Library opens</h1><p class="byline">By A. Writer, Staff</p>'
                   '<figure><img src="a.jpg"><figcaption>Crowds outside the library</figcaption></figure>'
                   f'<div class="photo-gallery"><p>Photo 1 of 12: the reading room</p></div>{story}'
                   '<span class="image-credit">Photo: Agency</span></article>')
    assert "opened the new library" in text
    for gone in ("A. Writer", "Crowds outside", "reading room", "Photo: Agency"):
        assert gone not in text


def test_an_article_wrapped_in_a_header_element_is_kept():
    # Site builders (Webflow) wrap the whole blog post in <header>; only the title sits in the outer one.
    post = paragraphs("We released a new index of the crawl this month. ", 4)
    text = text_of(f"<nav><a href='/'>Home</a></nav><header><h1>Newsletter</h1></header>"
                   f"<header class='post-wrapper'>{post}</header><footer>© Foundation</footer>")
    assert "new index of the crawl" in text and "Foundation" not in text


def test_answers_written_without_paragraphs_are_kept_beside_one_written_with_them():
    answers = "".join(f"<div class='item'><div class='q'>Question {i}?</div><div class='a'>"
                      f"{'The crawler follows the robots rules of every site it visits. ' * 3}</div></div>"
                      for i in range(5))
    with_paragraphs = ("<div class='item'><div class='q'>How do I block it?</div><div class='a'><p>"
                       + "Add two lines to your robots file and the crawler stops. " * 3 + "</p></div></div>")
    text = text_of(f"<div class='faq'><h2>FAQ</h2>{answers}{with_paragraphs}</div>")
    assert "Question 3?" in text and "crawler stops" in text and text.count("robots rules") == 15


def test_a_short_opening_paragraph_is_kept_beside_a_long_body():
    rest = paragraphs("The committee will publish its findings in the spring. ", 30)
    opening = ("In short: the report is late. The committee blames the floods that closed its offices for most of "
               "October, and asks the council for two more months to finish it.")  # 3% of the prose
    text = text_of(f"<div><div><p>{opening}</p><div class='rest'>{rest}</div></div>"
                   "<div><a href='/'>Home</a></div></div>")
    assert text.startswith(opening)


def test_the_sections_of_a_manual_page_stay_together():
    # Reference pages are sections side by side; the largest holding most of the prose is not the whole page.
    text = text_of('<div class="refentry"><div class="refsect1"><h2>Description</h2><p>pg_amcheck checks for '
                   'corruption in one or more databases.</p></div><div class="refsect1"><h2>Options</h2>'
                   f'{paragraphs("The option selects which schemas, tables and indexes to check. ", 6)}</div>'
                   '<div class="refsect1"><h2>Notes</h2><p>pg_amcheck is designed to work with PostgreSQL 14.0 and '
                   "later.</p></div></div>")
    assert text.startswith("Description\npg_amcheck checks") and text.endswith("PostgreSQL 14.0 and later.")


def test_a_titled_section_keeps_its_title_and_the_sentence_introducing_its_list():
    keys = "".join(f"<dt>Key{i}</dt><dd><p>{'The value of one key of the backup manifest document. ' * 2}</p></dd>"
                   for i in range(6))
    text = text_of('<div class="sect1"><div class="titlepage"><h2>Backup Manifest Top-level Object</h2></div>'
                   f'<p>The backup manifest JSON document contains the following keys.</p><div class="variablelist">'
                   f"<dl>{keys}</dl></div></div>")
    assert text.splitlines()[:3] == ["Backup Manifest Top-level Object",
                                     "The backup manifest JSON document contains the following keys.", "Key0"]


def test_a_data_table_holding_the_prose_keeps_its_header_and_introduction():
    rows = "".join(f"<tr><td><code>column{i}</code></td><td><p>{'Name of one column of the catalog. ' * 3}</p></td>"
                   "</tr>" for i in range(8))
    text = text_of('<div class="sect1"><h2>pg_operator</h2><p>The catalog stores information about operators.</p>'
                   '<div class="table"><p class="title"><b>Table 53.34. pg_operator Columns</b></p><table><thead><tr>'
                   f"<th>Column</th><th>Description</th></tr></thead><tbody>{rows}</tbody></table></div></div>")
    assert text.splitlines()[:4] == ["pg_operator", "The catalog stores information about operators.",
                                     "Table 53.34. pg_operator Columns", "Column Description"]


# Navigation of generated documentation, as each generator writes it (trimmed to what the rules see).
DOCBOOK_PAGE = (
    '<div class="navheader"><table width="100%" summary="Navigation header"><tr><th colspan="5">E.10. Release 15.11'
    '</th></tr><tr><td><a accesskey="p" href="release-15-12.html">Prev</a></td><td><a href="release.html">Up</a>'
    '</td><th>Appendix E. Release Notes</th><td><a href="index.html">Home</a></td><td><a href="release-15-10.html">'
    "Next</a></td></tr></table><hr></div>"
    '<div class="sect1"><div class="titlepage"><h2 class="title">E.10. Release 15.11</h2></div>'
    "<p>This release contains a variety of fixes from 15.10.</p>"
    '<div class="sect2"><div class="titlepage"><h3 class="title">E.10.1. Migration to Version 15.11</h3></div>'
    "<p>A dump/restore is not required for those running 15.X.</p></div>"
    '<div class="sect2"><div class="titlepage"><h3 class="title">E.10.2. Changes</h3></div>'
    + paragraphs("Harden the quoting functions against invalidly-encoded input strings. ", 6) + "</div></div>"
    '<div class="navfooter"><hr><table width="100%" summary="Navigation footer"><tr><td><a href="release-15-12.html">'
    'Prev</a></td><td><a href="release.html">Up</a></td><td><a href="release-15-10.html">Next</a></td></tr><tr>'
    '<td>E.9. Release 15.12</td><td><a href="index.html">Home</a></td><td>E.11. Release 15.10</td></tr></table></div>'
)


def test_docbook_navigation_tables_go_and_every_section_stays():
    lines = text_of(DOCBOOK_PAGE).splitlines()
    assert lines[:3] == ["E.10. Release 15.11", "This release contains a variety of fixes from 15.10.",
                         "E.10.1. Migration to Version 15.11"]
    assert lines[-1].startswith("Harden the quoting functions") and lines[-1].endswith("5")
    assert not {"Prev", "Next", "Home", "Up"} & {word for line in lines for word in line.split()}


def test_sphinx_related_bars_sidebar_and_footer_go():
    # Sphinx before 1.3 wrote no navigation role on its bars and sidebar.
    related = ('<div class="related"><h3>Navigation</h3><ul><li><a href="genindex.html">index</a></li><li>'
               '<a href="next.html">next</a> |</li><li><a href="prev.html">previous</a> |</li></ul></div>')
    text = text_of(f'{related}<div class="document"><div class="documentwrapper"><div class="bodywrapper">'
                   '<div class="body"><div class="section"><h1>Installing</h1>'
                   "<p>Install the package with pip, then check its version.</p></div></div></div></div>"
                   '<div class="sphinxsidebar"><div class="sphinxsidebarwrapper"><h3>Table of contents</h3><ul><li>'
                   '<a href="#">Installing</a></li></ul><h4>About</h4><p>A library for the parsing of configuration '
                   'files.</p><h3>Quick search</h3></div></div></div>'
                   f'{related}<div class="footer">© Copyright 2010, the authors. Created using Sphinx 1.0.</div>')
    assert text == "Installing\nInstall the package with pip, then check its version."


def test_javadoc_navbars_and_copyright_line_go():
    # Javadoc before JDK 9 wrote its navigation bars as camelCase-named divs, with no <nav> or <header>, and its
    # descriptions as <div class="block"> rather than paragraphs.
    navbar = ('<div class="{0}Nav"><a name="navbar.{0}"></a><div class="skipNav"><a href="#skip">Skip navigation '
              'links</a></div><ul class="navList" title="Navigation"><li><a href="overview-summary.html">Overview</a>'
              '</li><li><a href="package-summary.html">Package</a></li><li class="navBarCell1Rev">Class</li><li>'
              '<a href="help-doc.html">Help</a></li></ul></div><div class="subNav"><ul class="navList"><li>'
              '<a href="Prev.html">Prev Class</a></li><li><a href="Next.html">Next Class</a></li></ul><ul '
              'class="subNavList"><li>Summary:&nbsp;</li><li><a href="#field.summary">Field</a>&nbsp;|&nbsp;</li>'
              '<li><a href="#method.summary">Method</a></li></ul></div>')
    text = text_of(f'{navbar.format("top")}<div class="header"><div class="subTitle">org.example.text</div>'
                   '<h2 title="Class WordUtils" class="title">Class WordUtils</h2></div><div class="contentContainer">'
                   '<div class="description"><div class="block">Operations on Strings that contain words.</div></div>'
                   '<div class="details"><h3>wrap</h3><div class="block">Wraps a single line of text, identifying '
                   f'words by spaces.</div></div></div>{navbar.format("bottom")}'
                   '<p class="legalCopy"><small>Copyright © 2001-2016. All rights reserved.</small></p>')
    assert text.splitlines() == ["org.example.text", "Class WordUtils", "Operations on Strings that contain words.",
                                 "wrap", "Wraps a single line of text, identifying words by spaces."]


def test_doxygen_navpath_summary_bar_and_footer_go():
    summary = " | ".join(f'<a href="#{anchor}">{name}</a>' for anchor, name in (
        ("nested-classes", "Classes"), ("pub-types", "Public Types"), ("pub-methods", "Public Member Functions"),
        ("pub-static-methods", "Static Public Member Functions"), ("pub-attribs", "Public Attributes"),
        ("friends", "Friends"), ("members", "List of all members")))
    text = text_of('<div id="top"><div id="titlearea"><table><tr><td><div id="projectname">JsonCpp 1.9.5</div>'
                   '<div id="projectbrief">JSON data format manipulation library</div></td></tr></table></div>'
                   '<div class="navpath"><ul><li class="navelem"><a href="namespace_json.html">Json</a></li>'
                   '<li class="navelem"><a href="class_json_features.html">Features</a></li></ul></div></div>'
                   f'<div class="header"><div class="summary">{summary}</div><div class="headertitle"><div '
                   'class="title">Json::Features Class Reference</div></div></div><div class="contents">'
                   f'{paragraphs("Configuration passed to the reader and the writer of values. ", 4)}</div>'
                   '<hr class="footer"/><address class="footer"><small>Generated by <a href="http://www.doxygen.org">'
                   '<img src="doxygen.svg" alt="doxygen"/></a> 1.9.4</small></address>')
    # The title area (the project's name above every page) is left: a banner line, not navigation.
    assert "Json::Features Class Reference\nConfiguration passed to the reader" in text
    for gone in ("Features\n", "Public Member Functions", "List of all members", "Generated by"):
        assert gone not in text


def test_a_row_of_links_between_paragraphs_and_index_entries_stay():
    links = " | ".join(f'<a href="/r{i}">Reference number {i} of the study</a>' for i in range(4))
    story = paragraphs("The study followed two thousand patients for a decade. ", 2)
    entries = "".join(f'<dd><a href="c{i}.html">Reader{i}</a> (<a href="ns.html">Json</a>)</dd>' for i in range(3))
    text = text_of(f"<div>{story}<p>{links}</p>{story}<dl><dt>R</dt>{entries}</dl></div>")
    assert "Reference number 3 of the study" in text and text.endswith("Reader2 (Json)")


def test_postgresql_documentation_pages_lose_their_navigation_and_keep_their_body(postgresql_docs):
    site = postgresql_docs[1]
    texts = {page.name: extract_main_text(decode_html(page.read_bytes(), None).text, None, CONFIG).text
             for page in sorted(site.glob("*.html"))}
    assert len(texts) > 1000
    assert not [name for name, text in texts.items() if text.startswith("Prev Up") or "\nPrev Up " in text]
    release = texts["release-15-11.html"]
    assert release.startswith("E.10. Release 15.11\nRelease date: 2025-02-13\nThis release contains a variety of")
    assert "E.10.1. Migration to Version 15.11" in release and "Update time zone data files" in release
    catalog = texts["catalog-pg-operator.html"]
    assert catalog.startswith("53.34. pg_operator\nThe catalog pg_operator stores information about operators.")
    assert "Table 53.34. pg_operator Columns" in catalog and catalog.endswith(
        "Join selectivity estimation function for this operator (zero if none)")
