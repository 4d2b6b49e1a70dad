"""Words, punctuation and sentences as datatrove splits English text for its quality filters.

datatrove (0.10) splits English into words with spaCy's rule-based English tokenizer (`spacy.blank("en")`) and
into sentences with spaCy's sentencizer. Neither is a dependency here: `split_into_words` re-states that
tokenizer's rules as precompiled patterns, for what moves the filters' signals: punctuation is split off words
and counts as a word, "n't" and "'s" are words of their own, "U.S.", "Mr.", "1,000.5", "10:30", "COVID-19" and
"example.com" stay whole, hyphens between letters are split off. On the 181 articles of the AEB benchmark it
gives 157,478 words where spaCy gives 157,237, the very same words for 145 articles; the rest differ in rare
cases (German "z.B.", emoticons, Japanese punctuation inside a run of text).
"""

from __future__ import annotations

import re
import string
import unicodedata

# Unicode's sentence terminals (Sentence_Terminal, as datatrove's TERMINAL_PUNCTUATION), all single characters.
TERMINAL_PUNCTUATION: frozenset[str] = frozenset(
    "!.?\u0589\u061d\u061e\u061f\u06d4\u0700\u0701\u0702\u07f9\u0837\u0839\u083d\u083e\u0964\u0965\u104a"
    "\u104b\u1362\u1367\u1368\u166e\u1735\u1736\u17d4\u17d5\u17d6\u17d9\u17da\u1803\u1809\u1944\u1945"
    "\u1aa8\u1aa9\u1aaa\u1aab\u1b5a\u1b5b\u1b5e\u1b5f\u1b7d\u1b7e\u1c3b\u1c3c\u1c7e\u1c7f\u203c\u203d"
    "\u2047\u2048\u2049\u2e2e\u2e3c\u2e53\u2e54\u3002\ua4ff\ua60e\ua60f\ua6f3\ua6f7\ua876\ua877\ua8ce"
    "\ua8cf\ua92f\ua9c8\ua9c9\uaa5d\uaa5e\uaa5f\uaaf0\uaaf1\uabeb\ufe52\ufe56\ufe57\uff01\uff0e\uff1f"
    "\uff61\U00010a56\U00010a57\U00010f55\U00010f56\U00010f57\U00010f58\U00010f59\U00010f86\U00010f87"
    "\U00010f88\U00010f89\U00011047\U00011048\U000110be\U000110bf\U000110c0\U000110c1\U00011141\U00011142"
    "\U00011143\U000111c5\U000111c6\U000111cd\U000111de\U000111df\U00011238\U00011239\U0001123b\U0001123c"
    "\U000112a9\U0001144b\U0001144c\U000115c2\U000115c3\U000115c9\U000115ca\U000115cb\U000115cc\U000115cd"
    "\U000115ce\U000115cf\U000115d0\U000115d1\U000115d2\U000115d3\U000115d4\U000115d5\U000115d6\U000115d7"
    "\U00011641\U00011642\U0001173c\U0001173d\U0001173e\U00011944\U00011946\U00011a42\U00011a43\U00011a9b"
    "\U00011a9c\U00011c41\U00011c42\U00011ef7\U00011ef8\U00011f43\U00011f44\U00016a6e\U00016a6f\U00016af5"
    "\U00016b37\U00016b38\U00016b44\U00016e98\U0001bc9f\U0001da88"
)

# datatrove's PUNCTUATION_SET: a token made only of these is a symbol, not a word, for the Gopher word counts.
PUNCTUATION_CHARS: str = (
    string.punctuation
    + "—”％１〈、━【「」，】；“《„’∶´．（–？！：～«〉》）。…►»"
    + "".join(chr(code) for code in (*range(0, 9), *range(11, 32), *range(127, 160)))
    + "".join(sorted(TERMINAL_PUNCTUATION))
)

# Abbreviations spaCy keeps whole with their period (its English exceptions that the initials pattern misses).
_ABBREVIATIONS = (
    "Adm Ak Ala Apr Ariz Ark Aug Bros Calif Co Colo Conn Corp Dec Del Dr Feb Fla Ga Gen Gov Ia Id Ill Inc Ind "
    "Jan Jr Jul Jun Kan Kans Ky La Ltd Mar Mass Md Messrs Mich Minn Miss Mo Mont Mr Mrs Ms Mt Neb Nebr Nev Nov "
    "Oct Okla Ore Pa Ph\\.D Prof Rep Rev Sen Sep Sept St Tenn Va Wash Wis co vs"
).split()
# Units spaCy splits off a number ("512GB" is "512" "GB").
_UNITS = "km m cm mm µm nm ha yd ft in kg g mg µg lb oz t mph kmh kb KB mb MB gb GB tb TB K M G T am pm".split()


def _combining_marks_class() -> str:
    """A regex class body of every combining mark (Unicode category M), which `\\w` leaves out: a vowel sign or an
    accent written as its own code point stays in its word, as in spaCy."""
    ranges: list[list[int]] = []
    for code in (*range(0x300, 0x1F000), *range(0xE0100, 0xE01F0)):  # no mark lies outside these
        if unicodedata.category(chr(code))[0] == "M":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(chr(start) if start == end else f"{chr(start)}-{chr(end)}" for start, end in ranges)


_WORD_CHAR = rf"[\w{_combining_marks_class()}]"
_NOT_ALNUM_AFTER = r"(?![^\W_])"
_NOT_ALNUM_BEFORE = r"(?<![^\W_])"
_CLITIC = r"(?:[nN]['’][tT]|['’](?:[sSdDmM]|[rR][eE]|[vV][eE]|[lL][lL]))" + _NOT_ALNUM_AFTER

_URL_END = r"""[^\s.,;:!?'"()\[\]{}<>“”‘’«»]"""  # a URL's last character: trailing punctuation is split off

# Words that need a full stop, an "@" or an apostrophe: tried first, and only in chunks that have one.
_DOTTED_OR_APOSTROPHE_WORDS = rf"""
    (?:https?://|www\.)\S*{_URL_END}                              # URL
  | (?:[^\W_](?:[\w-]{{0,61}}[^\W_])?\.)+[a-z]{{2,63}}             # host name: "example.com", "photo-1.jpg"
    (?::\d{{2,5}})?(?:[/?#]\S*{_URL_END})?{_NOT_ALNUM_AFTER}
  | [\w.+-]+@\w+(?:[.-]\w+)*\.\w+                                # e-mail address
  | {_NOT_ALNUM_BEFORE}(?:[A-Za-z]\.)+{_NOT_ALNUM_AFTER}           # initials and acronyms: J. U.S. e.g.
  | {_NOT_ALNUM_BEFORE}(?:{"|".join(_ABBREVIATIONS)})\.{_NOT_ALNUM_AFTER}
  | {_NOT_ALNUM_BEFORE}[^\W_]+?(?=[nN]['’][tT]{_NOT_ALNUM_AFTER})   # "do" of "don't"
  | (?<=\S){_CLITIC}                                              # n't 's 're 've 'll 'd 'm
"""
_OTHER_WORDS = rf"""
    \):(?!\S) | (?<!\S)8\)(?!\S) | (?<!\S)[:;]-?[()DPp](?!\S) | '' | ’’   # emoticons and doubled quotes
  | {_NOT_ALNUM_BEFORE}(?:[cC]an(?=not{_NOT_ALNUM_AFTER})|[gG]on(?=na{_NOT_ALNUM_AFTER})
      |[wW]an(?=na{_NOT_ALNUM_AFTER})|[gG]ot(?=ta{_NOT_ALNUM_AFTER})|[iI](?=m{_NOT_ALNUM_AFTER}))  # can|not
  | \d+(?:[.,]\d+)*(?=(?:{"|".join(_UNITS)}){_NOT_ALNUM_AFTER})     # the number of "512GB"
  | {_NOT_ALNUM_BEFORE}_(?=_*(?!\w))                              # a rule of underscores, one a token
  | (?:(?<!\S)(?:[-|.]|\+(?=\d)))?                                # "-12.99", "+972", ".DJI": not split off
    @?{_WORD_CHAR}+
    (?:
      (?: (?:(?<![a-z])\.|\.(?![A-Z]))                            # "v1.2", "3.5", not "end.Next"
        | (?<=\d), | ,(?=\d)                                      # "1,000", not "a,b"
        | (?<=[^\W\d_])-(?=\d)                                    # "COVID-19", not "well-known" nor "1-2"
        | [–—](?=\d) | [:/<>=](?=\d)                              # "2–3", "10:30", "24/7"
        | (?!{_CLITIC})['’]                                       # "O'Brien", "rock'n'roll"
        | [&@−($~|\\] | (?<=[^\W\d_])\+                          # "AT&T", "2−3", "401(k", "A+B"
      ){_WORD_CHAR}+
    )*
    (?:(?:(?<=[^\W\d_])[+$]|[-=~|^\\])+(?!\w))?                   # "Disney+", "US$", "fiber-", "EUR="
    (?:(?<=[^A-Z][A-Z])\.{_NOT_ALNUM_AFTER})?                     # "SpaceX.", "1B.", "AT&T."
  | \.{{2,}} | -{{2,}}                                            # "...", "--"
  | [^\w\s]                                                       # any other symbol, one a token
"""
_WORD_PATTERN = re.compile(_DOTTED_OR_APOSTROPHE_WORDS + "|" + _OTHER_WORDS, re.VERBOSE)
# The same words in a chunk without a full stop, "@" or apostrophe, where the first alternatives cannot match
# but would still be tried at every word.
_UNDOTTED_WORD_PATTERN = re.compile(_OTHER_WORDS, re.VERBOSE)
_DOTS_OR_APOSTROPHES = re.compile("[.@'’]")


# All-letter words that spaCy still splits in two ("can" "not"): the same words the pattern splits.
_SPLIT_LETTER_WORDS = frozenset("cannot Cannot gonna Gonna wanna Wanna gotta Gotta im Im".split())
# Marks that the pattern always splits off the end or the start of a word of letters.
_SPLIT_AFTER_LETTERS = frozenset(",;:!?)]}\"'”’")
_SPLIT_BEFORE_LETTERS = frozenset("([\"'“‘")
_LOWERCASE_ABBREVIATIONS = frozenset(("co", "vs"))


def _chunk_words(chunk: str) -> list[str]:
    """The words of a chunk without whitespace that is not all letters.

    Its commonest shapes, a word of letters before a comma or a full stop or after an opening bracket or quote,
    are split without the pattern, to the same words: that halves the time of splitting prose.
    """
    body, last = chunk[:-1], chunk[-1]
    if body.isalpha() and body not in _SPLIT_LETTER_WORDS:
        if last in _SPLIT_AFTER_LETTERS:
            return [body, last]
        # A lowercase word keeps its full stop only as an abbreviation (an uppercase one may be "U.S." or "Mr.").
        if last == "." and len(body) > 1 and body.islower() and body not in _LOWERCASE_ABBREVIATIONS:
            return [body, last]
    first, rest = chunk[0], chunk[1:]
    if first in _SPLIT_BEFORE_LETTERS and rest.isalpha() and rest not in _SPLIT_LETTER_WORDS:
        return [first, rest]
    pattern = _WORD_PATTERN if _DOTS_OR_APOSTROPHES.search(chunk) else _UNDOTTED_WORD_PATTERN
    return pattern.findall(chunk)


def split_into_words(text: str) -> list[str]:
    """The words of `text` as datatrove's English word tokenizer gives them: punctuation marks are words too."""
    words: list[str] = []
    # No word spans whitespace, so each whitespace-separated chunk is split alone, and most chunks, plain
    # words, need no pattern at all: this is several times faster than one pass of the pattern over the text.
    for chunk in text.split():
        if chunk.isalpha() and chunk not in _SPLIT_LETTER_WORDS:
            words.append(chunk)
        else:
            words += _chunk_words(chunk)
    return words


def is_punctuation(token: str) -> bool:
    """Whether every character of `token` is Unicode punctuation (spaCy's `is_punct`)."""
    return all(unicodedata.category(char)[0] == "P" for char in token)


def count_sentences(words: list[str]) -> int:
    """Sentences in one line's `words` as spaCy's sentencizer splits them: a new sentence starts at the first
    word that is not punctuation after a sentence terminal. An empty line counts one, as in datatrove."""
    sentences = 1
    after_terminal = False
    for word in words:
        if word in TERMINAL_PUNCTUATION:
            after_terminal = True
        elif after_terminal and not is_punctuation(word):
            sentences += 1
            after_terminal = False
    return sentences
