"""Main-text extraction: the readable content of a page, one block per line, without the site's chrome."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import lxml.etree

from corpus_assets.extract.config import ExtractConfig

# Pages are parsed into plain lxml elements, not lxml.html's: its element classes are chosen by a Python callback
# for every element the code touches (7% of extraction's time), and nothing here uses their extra methods.
Element = lxml.etree._Element

# Elements that never hold main text.
_DROPPED_TAGS = {
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "form", "button", "select", "input",
    "textarea", "figcaption", "nav", "header", "footer", "aside", "menu", "dialog", "object", "embed", "head",
}
# Names (class / id tokens) that the web uses for chrome, not content; matched on whole tokens or prefixes.
_BOILERPLATE_NAME = re.compile(
    r"(^|[-_ ])(nav|navbar|navigation|menu|footer|sidebar|side-bar|cookie|cookies|consent|gdpr|banner|share|"
    r"sharing|social|comments?|related|breadcrumbs?|subscribe|subscription|newsletter|advert|ads?|promo|popup|"
    r"modal|skip-link|toolbar|pagination|pager|signup|login|widget|sponsored|outbrain|taboola|"
    r"gallery|slideshow|captions?|credits?|byline|trending|popular|most-read|"
    # What documentation generators name their navigation bars and tables: DocBook's navheader/navfooter,
    # Doxygen's navpath, Sphinx's sphinxsidebar, Javadoc's nav-list and legal-copy (since JDK 16).
    r"navheader|navfooter|navpath|navlist|sphinxsidebar|legal-copy)($|[-_ ])",
    re.I,
)
# Javadoc before JDK 16 writes them in camelCase: topNav, subNav, bottomNav, skipNav, navList, legalCopy. Only
# "nav" as a camelCase word counts: splitting every name (`deprecationComment`) would take content for chrome.
_CAMEL_CASE_CHROME = re.compile(r"(?<=[a-z])Nav(?![a-z])|(?<![A-Za-z])nav(?=[A-Z])|(?<![A-Za-z])legalCopy(?![a-z])")
# Sidebars and menus the author declared as such. Headers and footers are not here: site builders wrap
# whole articles in <header>, so those are judged by what they hold like any other chrome.
_DECLARED_CHROME_TAGS = {"nav", "aside", "menu"}
_DECLARED_CHROME_ROLES = {"navigation", "complementary"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
    "dd", "pre", "blockquote", "table", "tr", "thead", "tbody", "figure", "figcaption", "br", "hr",
    "address", "details", "summary", "caption", "body",
}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_MOJIBAKE = re.compile("[ÃÂâ][\u0080-\u00bf€™œ]")
_LINK_DENSE_MAX_CHARS = 120
# What separates the links of a navigation bar: bars, bullets, arrows, brackets. Not commas nor parentheses:
# "See also: a, b, c" is a sentence, and "Reader (Json)" an entry of an index.
_LINK_BAR_GLUE = re.compile(r"[\s|·•»«›‹/\-–—\[\]]*")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Extraction looks at no more of a page than this, so that no page costs more than a few seconds: the crawler
# fetches no body above 5 MB, but WARC records of up to 64 MB reach raw_pages, and a 60 MB page of paragraphs takes
# the builtin extractor 40 s, trafilatura 85 s and 2 GB, whole.
MAX_HTML_CHARS = 5_000_000
# Nor at more elements than this: the builtin extractor's work is linear in elements (about 35 µs of CPU each), and
# 5 MB of tiny ones (`<p>word` 700,000 times) took it 25 s. Of 6,374 real pages (the AEB's and the WARC excerpts'
# web pages, up to 1,600 elements; 30 Debian documentation packages), the largest has 75,000 (a 3.8 MB Doxygen page
# of libstdc++): this bound is a margin of more than 2.5 times over it and 100 times over a web page, and keeps any
# page under about 7 s.
MAX_ELEMENTS = 200_000


@dataclass(frozen=True)
class Extraction:
    title: str | None
    text: str
    canonical_url: str | None
    declared_language: str | None
    extractor: str
    cut: str | None = None  # what was left out of a page too large or too deep to look at whole, in words


def _is_boilerplate(element: Element) -> bool:
    tag = element.tag
    if tag in _DROPPED_TAGS:
        return True
    attributes = element.attrib
    if not attributes:  # most elements of a page
        return False
    if attributes.get("hidden") is not None or attributes.get("aria-hidden") == "true":
        return True
    if _HIDDEN_STYLE.search(attributes.get("style") or ""):
        return True
    if attributes.get("role") in {"navigation", "banner", "contentinfo", "complementary", "dialog"}:
        return True
    names = f"{attributes.get('class') or ''} {attributes.get('id') or ''}"
    return tag not in {"body", "html", "main", "article"} and _is_chrome_name(names)


@functools.lru_cache(maxsize=4096)
def _is_chrome_name(names: str) -> bool:
    """Class and id names of chrome; a page repeats the same few names on many elements, hence the cache."""
    return bool(names.strip()) and bool(_BOILERPLATE_NAME.search(names) or _CAMEL_CASE_CHROME.search(names))


# Tags whose content is never text, whatever else they hold; every other chrome rule can be wrong about a
# page and is checked against how much of the page it would take away.
_NEVER_TEXT_TAGS = {"script", "style", "noscript", "template", "svg", "canvas", "object", "embed", "head"}
_CHROME_MAX_SHARE = 0.4
_PROSE_MIN_CHARS = 400
_PROSE_TAGS = frozenset({"p", "pre"})


class _TextLengths:
    """The text lengths the rules weigh elements by, for every element of a tree at once: its text, stripped (as
    `"".join(element.itertext()).strip()`); its links' text; its paragraphs' prose (their text outside links, none
    for a paragraph inside a link: a teaser's summary is navigation); the prose of the paragraphs and <pre> below it;
    its headings' text. The rules ask them of elements inside one another, so joining each subtree's text when asked
    made extraction quadratic in a page's depth (a quarter of its time on large pages); one pass from the leaves up
    makes it linear. They hold for the tree as it was when counted: `recount` after removing elements."""

    def __init__(self, root: Element) -> None:
        # One pass over a page's elements, about a third of extraction's time: hence one record per element (not
        # one dict per quantity) and the span arithmetic written inline.
        elements = list(root.iter(lxml.etree.Element))
        # Whether an ancestor is a link, for each element: parents come before their children.
        under_link = {root: next(root.iterancestors("a"), None) is not None}
        for element in elements:
            inside = under_link[element] or element.tag == "a"
            for child in element:
                under_link[child] = inside
        self._root = root
        self._under_link = under_link
        self._record: dict[Element, tuple[int, int, int, int, int, int, int, int, int]] = {}
        for element in reversed(elements):  # children come before their parents
            self._count(element)

    def _count(self, element: Element) -> None:
        """Counts one element from its own text and tails and its children's records."""
        record = self._record
        # Per element: (length, leading, trailing) of its text, whitespace at its start and at its end (all of it
        # for a text of whitespace only), enough to know the stripped length of a concatenation of such texts:
        # two texts end to end, whitespace at the start runs into the second if the first is all whitespace, and
        # likewise at the end. Then its stripped text, links, paragraphs, prose below, headings, and own prose.
        tag = element.tag
        text = element.text
        if text:
            length = len(text)
            leading, trailing = length - len(text.lstrip()), length - len(text.rstrip())
        else:
            length = leading = trailing = 0
        links = paragraphs = below = headings = 0
        for child in element:
            # itertext() gives an element's text and its descendants' text and tails, but of comments and
            # processing instructions only their tails.
            if isinstance(child.tag, str):
                (child_length, child_leading, child_trailing, _, child_links, child_paragraphs, child_below,
                 child_headings, child_prose) = record[child]
                leading = leading if leading < length else length + child_leading
                trailing = child_trailing if child_trailing < child_length else child_length + trailing
                length += child_length
                links += child_links
                paragraphs += child_paragraphs
                headings += child_headings
                below += child_below + (child_prose if child.tag in _PROSE_TAGS else 0)
            tail = child.tail
            if tail:
                tail_length = len(tail)
                tail_leading, tail_trailing = tail_length - len(tail.lstrip()), tail_length - len(tail.rstrip())
                leading = leading if leading < length else length + tail_leading
                trailing = tail_trailing if tail_trailing < tail_length else tail_length + trailing
                length += tail_length
        stripped = length - leading - trailing if leading < length else 0
        if tag == "a":
            links += stripped
        prose = 0 if self._under_link[element] else stripped - links
        if tag == "p":
            paragraphs += prose
        if tag in _HEADINGS:
            headings += stripped
        record[element] = (length, leading, trailing, stripped, links, paragraphs, below, headings, prose)

    def recount(self, parents: Iterable[Element]) -> None:
        """Counts again after children of `parents` were removed (or their text changed): only those elements and
        their ancestors up to the root hold other text than before, so the page is not counted again whole."""
        depths: dict[Element, int] = {}
        for parent in parents:
            path = [parent, *parent.iterancestors()]
            for i, element in enumerate(path):
                if element in depths:  # and so are its ancestors
                    break
                depths[element] = len(path) - i
                if element is self._root:
                    break
        for element in sorted(depths, key=depths.__getitem__, reverse=True):  # the deepest first
            self._count(element)

    def text(self, element: Element) -> int:
        return self._record[element][3]

    def non_link(self, element: Element) -> int:
        """The element's text outside the links in it."""
        _, _, _, text, links, *_ = self._record[element]
        return text - links

    def prose(self, paragraph: Element) -> int:
        return self._record[paragraph][8]

    def paragraphs(self, element: Element) -> int:
        """The prose of the <p> in the element, itself included."""
        return self._record[element][5]

    def paragraphs_below(self, element: Element) -> int:
        """The prose of the <p> and <pre> below the element, itself not included."""
        return self._record[element][6]

    def headings(self, element: Element) -> int:
        """The text of the headings in the element, itself included."""
        return self._record[element][7]


def _holds_the_content(element: Element, lengths: _TextLengths, total_chars: int,
                       paragraph_chars: int) -> bool:
    """A wrapper named after chrome (`layout-with-sidebar`, `page has-ads`) that holds the article itself."""
    if element.tag in _NEVER_TEXT_TAGS:
        return False
    if next(element.iter("main", "h1"), None) is not None:
        return True
    # The page's author said this is a sidebar or a menu: however long it is, it is not the article.
    if element.tag in _DECLARED_CHROME_TAGS or element.get("role") in _DECLARED_CHROME_ROLES:
        return False
    if lengths.text(element) >= _CHROME_MAX_SHARE * total_chars:
        return True
    # Menus and sidebars hold links and headlines; the page's prose is in its paragraphs. A one-line
    # newsletter box can hold most of the paragraph text of a page written without <p>, hence the floor.
    element_paragraph_chars = lengths.paragraphs(element)
    return element_paragraph_chars >= _PROSE_MIN_CHARS and element_paragraph_chars > 0.5 * paragraph_chars


def _remove_boilerplate(root: Element) -> _TextLengths:
    """Removes the chrome and the comments; returns the text lengths of what is left."""
    lengths = _TextLengths(root)  # counted before anything is removed, as the rules below judge the whole page
    total_chars = lengths.text(root) or 1
    paragraph_chars = lengths.paragraphs(root)
    # Top down: what is inside a doomed element goes with it and is never looked at again.
    doomed, pending = [], list(root)
    while pending:
        element = pending.pop()
        if not isinstance(element.tag, str):
            continue
        if _is_boilerplate(element) and not _holds_the_content(element, lengths, total_chars, paragraph_chars):
            doomed.append(element)
        else:
            pending.extend(element)
    parents = [_drop_tree(element) for element in doomed]
    parents += [_drop_tree(node) for node in list(root.iter(lxml.etree.Comment, lxml.etree.ProcessingInstruction))]
    # What is left is weighed as it is now: only the ancestors of what was removed hold other text than before.
    lengths.recount(parent for parent in parents if parent is not None)
    return lengths


def _drop_tree(element: Element) -> Element | None:
    """Removes the element and what it holds, keeping the text that follows it (lxml.html's `drop_tree`); returns
    the element it was removed from."""
    parent = element.getparent()
    if parent is None:
        return None
    if element.tail:
        previous = element.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + element.tail
        else:
            previous.tail = (previous.tail or "") + element.tail
    parent.remove(element)
    return parent


_PARAGRAPH_SHARE = 0.7
_TEXT_SHARE = 0.3
_OPENING_MIN_CHARS = 150  # a sentence or two
_SENTENCE_MIN_CHARS = 50  # a short sentence


def _paragraph_home(body: Element, lengths: _TextLengths) -> Element:
    """The deepest element holding most of the page's paragraph text: where the article lives when the page does
    not say so with `<main>` or `<article>`, without the chrome around it."""
    total = lengths.paragraphs_below(body)
    if not total:
        return body
    home = body
    while True:
        inner = [child for child in home
                 if isinstance(child.tag, str) and lengths.paragraphs_below(child) >= _PARAGRAPH_SHARE * total]
        # An FAQ whose answers are plain <div>s but one: its <p> are not where its text is.
        if not inner or lengths.non_link(inner[0]) < _TEXT_SHARE * lengths.non_link(home):
            return home
        siblings = [sibling for sibling in home if sibling is not inner[0] and isinstance(sibling.tag, str)]
        # Tables and code beside the paragraphs are content too (documentation pages), and paragraphs right
        # beside the block are the article's opening (the rest behind a paywall or a "read more"): stop above.
        opening = sum(lengths.prose(sibling) for sibling in siblings if sibling.tag == "p")
        if opening >= min(0.1 * total, _OPENING_MIN_CHARS) or any(
                next(sibling.iter("table", "pre"), None) is not None for sibling in siblings):
            return home
        # A section beside sections of its own level is one part of a document (a manual's chapter, a reference
        # page): its siblings are the rest of it, not chrome around it. Not at the level of <h1>, the page's
        # title: blocks opening with one beside the article are the logo or the next articles of an endless page.
        level = _opening_heading(inner[0])
        if level not in {None, "h1"} and any(_is_section(sibling, level, lengths) for sibling in siblings):
            return home
        # A block that opens with its own title below <h1> and a sentence introducing its largest part (a list of
        # options, a glossary) is such a section too: going into that part would leave both behind. (A headline
        # over a story is not enough: news sites title with <h2> too, and the story's text does not include it.)
        if home is not body and opening and _opening_heading(home) not in {None, "h1"}:
            return home
        # Prose in the cells of a data table (catalogs, option lists): the table is the content, and going into
        # it would leave its header row and the text that introduces it behind.
        if _data_table_prose(inner[0], lengths) >= _PARAGRAPH_SHARE * lengths.paragraphs_below(inner[0]):
            return home
        home = inner[0]


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _opening_heading(element: Element) -> str | None:
    """The tag of the heading a block opens with (its first text is a heading's), else None."""
    for node in element.iter():
        if node.tag in _HEADINGS:
            return node.tag
        if isinstance(node.tag, str) and node.text and node.text.strip():
            return None
    return None


def _is_section(element: Element, level: str, lengths: _TextLengths) -> bool:
    """A block that opens with a heading of `level` and holds a sentence of its own beyond its headings: "Related
    articles" over a list of links and a "Back to top" button is not a section."""
    if _opening_heading(element) != level:
        return False
    own_text = lengths.non_link(element) - lengths.headings(element)
    return own_text >= _SENTENCE_MIN_CHARS


def _data_table_prose(element: Element, lengths: _TextLengths) -> int:
    """The prose of `element`'s paragraphs that sit in a table with header cells (a data table, not a layout)."""
    tables = [table for table in element.iter("table") if next(table.iter("th"), None) is not None]
    outermost = [table for table in tables if not any(other in tables for other in table.iterancestors("table"))]
    return sum(lengths.prose(paragraph) for table in outermost for paragraph in table.iter("p", "pre"))


def _is_listing(element: Element) -> bool:
    """An `<article>` made of `<article>` teasers ("you may also like") is a list of other pages."""
    return element.tag == "article" and sum(1 for _ in element.iterdescendants("article")) >= 2


def _content_root(body: Element, lengths: _TextLengths) -> Element:
    """The `<article>` under the page's title, else the `<main>` or `<article>` holding most of the page's text,
    else where its paragraphs live, weighed by the `lengths` of what is left once the chrome is removed."""
    title = next(body.iter("h1"), None)
    if title is not None:
        titled = [a for a in title.iterancestors("article") if not _is_listing(a)]
        if titled and lengths.paragraphs(titled[-1]) >= _PROSE_MIN_CHARS:
            return _paragraph_home(titled[-1], lengths)
    total = lengths.text(body) or 1
    candidates = [e for e in body.iter("main", "article") if lengths.text(e) >= 0.3 * total and not _is_listing(e)]
    if not candidates:
        candidates = [e for e in body.iter() if isinstance(e.tag, str) and e.get("role") == "main"]
    return _paragraph_home(max(candidates, key=lengths.text) if candidates else body, lengths)


class _Lines:
    """Collects inline text into lines; a block boundary ends the current line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        # Per line: "link bar" (links with nothing but separators between them), "paragraph" (<p>, <pre>) or "".
        self.kinds: list[str] = []
        self.current: list[str] = []
        self.link_chars = 0
        self.links = 0
        self.unlinked: list[str] = []

    def add(self, text: str | None, in_link: bool) -> None:
        if text:
            self.current.append(text)
            if in_link:
                self.link_chars += len(text.strip())
            else:
                self.unlinked.append(text)

    def end_block(self, preformatted: bool = False, paragraph: bool = False) -> None:
        if not self.current:  # most block boundaries follow another: nothing to end but the link count
            self.links = 0
            return
        raw = "".join(self.current)
        if preformatted:
            block_lines = [line.rstrip() for line in raw.split("\n")]
        else:
            block_lines = [_SPACES.sub(" ", raw.replace("\n", " ")).strip()]
        text_chars = sum(len(line.strip()) for line in block_lines)
        # A short block that is nearly all link text is a menu or a tag list that escaped the names above.
        link_dense = text_chars and self.link_chars / text_chars > 0.8 and text_chars < _LINK_DENSE_MAX_CHARS
        if not link_dense:
            kept = [line for line in block_lines if line.strip()]
            link_bar = not preformatted and self.links >= 2 and _LINK_BAR_GLUE.fullmatch("".join(self.unlinked))
            self.lines.extend(kept)
            self.kinds.extend(["link bar" if link_bar else "paragraph" if paragraph else ""] * len(kept))
        self.current, self.link_chars, self.links, self.unlinked = [], 0, 0, []

    def text(self) -> str:
        """The lines without the link bars at the top (above the first paragraph, or the first line of a page
        written without paragraphs) and as the last line: however long, a row of links there is the navigation of
        a generated page ("Classes | Functions | ... | List of all members" under a project's banner, "previous |
        next"). Between paragraphs such a row may be a list of references, and stays; so do the rows before a
        last one (an index is rows of links)."""
        top_end = next((i for i, kind in enumerate(self.kinds) if kind == "paragraph"), 1)
        last = len(self.lines) - 1
        return "\n".join(line for i, (line, kind) in enumerate(zip(self.lines, self.kinds))
                         if kind != "link bar" or top_end <= i < last)


def _walk(element: Element, lines: _Lines, in_link: bool) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    block = tag in _BLOCK_TAGS
    if tag == "pre":
        lines.end_block()
        lines.add("".join(element.itertext()), in_link)
        lines.end_block(preformatted=True, paragraph=True)
        lines.add(element.tail, in_link)
        return
    if block:
        lines.end_block()
    if tag in {"td", "th"}:  # cells of a row stay on the row's line
        lines.add(" ", in_link)
    if tag == "a" and not in_link:
        lines.links += 1
    lines.add(element.text, in_link or tag == "a")
    for child in element:
        _walk(child, lines, in_link or tag == "a")
    if block:
        lines.end_block(paragraph=tag == "p")
    lines.add(element.tail, in_link)


def _normalise(text: str) -> str:
    if _MOJIBAKE.search(text):
        import ftfy  # only where text looks like mojibake: ftfy costs more than the extraction itself

        text = ftfy.fix_text(text)
    return unicodedata.normalize("NFC", text)


def _metadata(document: Element) -> tuple[str | None, str | None, str | None]:
    title = document.findtext(".//title")
    if not (title and title.strip()):
        title = next((m.get("content") for m in document.iter("meta") if m.get("property") == "og:title"), None)
    canonical = next(
        (link.get("href") for link in document.iter("link") if (link.get("rel") or "").lower() == "canonical"), None
    )
    language = (document.get("lang") or document.get("xml:lang") or "").split("-")[0].strip().lower() or None
    title = _SPACES.sub(" ", title).strip() if title else None
    return (_normalise(title) if title else None), canonical, language


def _parse(html: str) -> tuple[Element | None, str | None]:
    """The parsed page, and why libxml2 stopped before its end if it did: past 256 levels of nesting or in a text
    of more than 10 MB, it keeps what it parsed up to there."""
    # lxml refuses a str that still carries an XML declaration (XHTML pages, DocBook output): the text is
    # already decoded, so the declaration has nothing left to say.
    html = _XML_DECLARATION.sub("", html, count=1)
    parser = lxml.etree.HTMLParser()
    try:
        document = lxml.etree.fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None, None
    if document is None:  # nothing but whitespace and comments
        return None, None
    # Every limit's message names the option that lifts it, whatever the libxml2 version calls the error.
    stop = next((error.message.strip() for error in parser.error_log
                 if error.type_name == "ERR_RESOURCE_LIMIT" or "XML_PARSE_HUGE" in error.message), None)
    return document, stop


def _keep_first_elements(document: Element, limit: int) -> int | None:
    """Removes every element after the first `limit` in document order, and the text after them; returns how many
    elements the page had when it had more."""
    count = int(document.xpath("count(//*)"))
    if count <= limit:
        return None
    first_left_out = next(element for i, element in enumerate(document.iter(lxml.etree.Element)) if i == limit)
    # Everything after it in document order: the siblings that follow it and each of its ancestors, and their
    # tails. lxml's remove() takes an element's tail with it.
    node = first_left_out
    while (parent := node.getparent()) is not None:
        for later in list(node.itersiblings()):
            parent.remove(later)
        node.tail = None
        node = parent
    first_left_out.getparent().remove(first_left_out)
    return count


def _builtin_text(document: Element) -> str:
    body = document.find("body")
    if body is None:
        return ""
    lengths = _remove_boilerplate(body)
    lines = _Lines()
    _walk(_content_root(body, lengths), lines, in_link=False)
    lines.end_block()
    return lines.text()


def _reference_text(html: str, url: str | None, extractor: str) -> str:
    if extractor == "trafilatura":
        import trafilatura

        return trafilatura.extract(html, url=url, include_comments=False, include_tables=True) or ""
    from resiliparse.extract.html2text import extract_plain_text

    return extract_plain_text(html, main_content=True, alt_texts=False, comments=False)


@dataclass(frozen=True)
class ParsedPage:
    """A page's HTML as extraction looks at it: the text (at most MAX_HTML_CHARS), the parsed document (None when
    there is nothing to parse) and `cut`, what was left out of a page too large or too deep, in words."""

    html: str
    document: Element | None
    cut: str | None
    elements_left_out: bool = False


def parse_page(html: str) -> ParsedPage:
    """Parse a page for `extract_main_text`. The document is whole here; other readers of the page (its rights)
    look at it before extraction removes its boilerplate.

    Never raises for malformed HTML. The work is bounded by size: only the first MAX_HTML_CHARS characters are
    parsed, libxml2 stops at 256 levels of nesting or a text of 10 MB, and elements past the first MAX_ELEMENTS are
    removed.
    """
    cuts = []
    if len(html) > MAX_HTML_CHARS:
        cuts.append(f"looked at the first {MAX_HTML_CHARS} of {len(html)} characters")
        html = html[:MAX_HTML_CHARS]
    document, stop = _parse(html.replace("\x00", "")) if html.strip() else (None, None)
    if stop:
        cuts.append(f"parsed up to where libxml2 stopped ({stop})")
    elements = _keep_first_elements(document, MAX_ELEMENTS) if document is not None else None
    if elements:
        cuts.append(f"looked at the first {MAX_ELEMENTS} of {elements} elements")
    return ParsedPage(html, document, "; ".join(cuts) or None, bool(stop or elements))


def extract_main_text(html: str | ParsedPage, url: str | None, config: ExtractConfig) -> Extraction:
    """The page's title, main text (one block per line), canonical URL and declared language, from its HTML or
    from `parse_page`'s result (which this changes: boilerplate is removed from the document).

    Never raises for malformed HTML: a page with nothing to parse gives empty text. No extractor looks past what
    `parse_page` kept; `cut` says what was left out.
    """
    page = html if isinstance(html, ParsedPage) else parse_page(html)
    document, cut = page.document, page.cut
    if document is None:
        return Extraction(None, "", None, None, config.extractor, cut)
    title, canonical, language = _metadata(document)
    if config.extractor == "builtin":
        # Lines are already collapsed, except inside <pre>, whose indentation is kept.
        lines = (line.rstrip() for line in _normalise(_builtin_text(document)).splitlines())
    else:
        # Past libxml2's stop or the element bound the reference extractors see what the builtin one does:
        # resiliparse's main-content pass is quadratic in nesting depth (16,000 levels of <div>: 12 s; 200,000:
        # unfinished after 29 minutes).
        looked_at = (lxml.etree.tostring(document, method="html", encoding="unicode") if page.elements_left_out
                     else page.html)
        text = _reference_text(looked_at, url, config.extractor)
        lines = (_SPACES.sub(" ", line).strip() for line in _normalise(text).splitlines())
    text = "\n".join(line for line in lines if line.strip())
    return Extraction(title, text, canonical, language, config.extractor, cut)
