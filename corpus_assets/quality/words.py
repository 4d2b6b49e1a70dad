"""Words and sentences as datatrove splits them for its quality filters, one tokenizer per language.

datatrove (0.10) gives every language the word tokenizer its `tokenizer_assignment.csv` names
(`corpus_assets.quality.tokenizer_assignment`): spaCy's rule-based tokenizer of that language for most
(`spacy.blank(code)`, no model to download), a segmenter where words are not separated by spaces (Chinese: jieba;
Japanese: Sudachi; Vietnamese: pyvi; datatrove calls them through spaCy), Kiwi for Korean, and spaCy's
multi-language rules with a regular expression for sentences elsewhere. `word_tokenizer(language)` returns the same
here, and every filter reads its words and sentences from it.

datatrove tokenizes a whole text at a time. spaCy's rule-based tokenizers split text at whitespace before any rule
applies, so a whitespace-separated chunk gives the same tokens wherever it is (but for a rare special case matched
across a space, below): `RuleBasedWords` tokenizes each distinct chunk once per process and keeps the result, which
makes it several times faster than tokenizing every text (most chunks of a corpus are words met before).
Segmenters look across spaces, so `SegmentedWords` gives them the whole text, as datatrove does.
"""

from __future__ import annotations

import logging
import re
import string
import unicodedata
from abc import ABC, abstractmethod
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from itertools import accumulate
from typing import TYPE_CHECKING

from corpus_assets.quality.tokenizer_assignment import tokenizer_assignment

if TYPE_CHECKING:
    from spacy.language import Language

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

# A process keeps the tokens of this many distinct chunks at most (about 25 MB), in two generations of half each.
MAX_CACHED_CHUNKS = 100_000


def is_punctuation(token: str) -> bool:
    """Whether every character of `token` is Unicode punctuation (spaCy's `is_punct`)."""
    return all(unicodedata.category(char)[0] == "P" for char in token)


@cache
def _sentencizer_punctuation() -> frozenset[str]:
    from spacy.pipeline.sentencizer import Sentencizer

    return frozenset(Sentencizer.default_punct_chars)


def sentencizer_count(words: Iterable[str]) -> int:
    """Sentences in one line's `words` as spaCy's sentencizer splits them: a new sentence starts at the first word
    that is not punctuation after one of its sentence-ending characters. datatrove counts a line's sentences by
    their spans, and a line without any as one: so does this."""
    ends = _sentencizer_punctuation()
    sentences = 1
    after_end = False
    for word in words:
        if word in ends:
            after_end = True
        elif after_end and not is_punctuation(word):
            sentences += 1
            after_end = False
    return sentences


def _line_starts(text: str) -> list[int]:
    """Where each line of `text.splitlines()` starts."""
    return [0, *accumulate(map(len, text.splitlines(keepends=True)))]


class WordTokenizer(ABC):
    """Words (datatrove's word_tokenize: tokens without surrounding whitespace, whitespace tokens left out) and
    sentence counts of one language."""

    @abstractmethod
    def words_by_line(self, text: str) -> list[list[str]]:
        """The words of each line of `text.splitlines()`."""

    def count_sentences(self, line: str, words: list[str]) -> int:
        """Sentences in one `line` whose words are `words`, as datatrove's split_into_sentences counts them: at
        least one."""
        return sentencizer_count(words)

    def split_into_words(self, text: str) -> list[str]:
        """The words of `text`."""
        return [word for line in self.words_by_line(text) for word in line]


def _blank_spacy(code: str) -> Language:
    """spaCy's blank pipeline of `code`, its tokenizer only wanted. Making a token's vocabulary entry computes a dozen
    attributes (shape, number-likeness, stop word...) that splitting never reads: without them the tokenizer runs
    twice as fast, to the same tokens."""
    import spacy

    nlp = spacy.blank(code)
    nlp.vocab.lex_attr_getters = {}
    return nlp


class RuleBasedWords(WordTokenizer):
    """spaCy's rule-based tokenizer of a language, chunk by whitespace-separated chunk, each chunk's tokens kept.

    A chunk of letters only is its own single token unless it is one of the language's special cases ("cannot" is
    "can" "not"): no affix rule of any spaCy language splits letters from letters (checked on every such chunk of
    the quality test set, 24 languages), so those chunks, most of a text, skip the tokenizer and the cache.
    """

    def __init__(self, spacy_code: str) -> None:
        self._nlp = _blank_spacy(spacy_code)
        self._special_cases = frozenset(self._nlp.tokenizer.rules or ())
        # Two generations: when the recent chunks fill half the cache they become the older ones, and an older
        # chunk met again moves back to the recent ones. What a corpus keeps using stays; the rest goes.
        self._recent: dict[str, tuple[str, ...]] = {}
        self._older: dict[str, tuple[str, ...]] = {}

    def _remember(self, chunk: str, tokens: tuple[str, ...]) -> None:
        if len(self._recent) >= MAX_CACHED_CHUNKS // 2:
            self._older, self._recent = self._recent, {}
        self._recent[chunk] = tokens

    def _tokenize(self, chunks: list[str]) -> list[tuple[str, ...]]:
        """The tokens of each chunk, all of them in one call of the tokenizer."""
        starts = list(accumulate((len(chunk) + 1 for chunk in chunks), initial=0))
        tokens: list[list[str]] = [[] for _ in chunks]
        # Chunks are joined by line breaks, not spaces: spaCy's special cases can match across a space (the ":"
        # and "(" of "loaded: (==)" make the emoticon ":(", and "(==)" is then split differently), never across a
        # line break, so each chunk is split as it is on its own. The memory zone frees the strings spaCy adds to
        # its vocabulary for this call: without it, every number and URL of a corpus would stay in memory.
        with self._nlp.memory_zone():
            for token in self._nlp.tokenizer("\n".join(chunks)):
                text = token.text
                if text != "\n":
                    tokens[bisect_right(starts, token.idx) - 1].append(text)
        # A chunk that is one token ("1990", "C++") keeps its own string, not a copy: a third less memory.
        return [(chunk,) if chunk_tokens == [chunk] else tuple(chunk_tokens)
                for chunk, chunk_tokens in zip(chunks, tokens, strict=True)]

    def words_by_line(self, text: str) -> list[list[str]]:
        recent, older, special_cases = self._recent, self._older, self._special_cases
        by_line: list[list[str]] = []
        # Chunks met for the first time hold a place in their line until they are tokenized, all at once.
        new_chunks: dict[str, list[tuple[int, int]]] = {}
        for line in text.splitlines():
            words: list[str] = []
            for chunk in line.split():
                if chunk.isalpha() and chunk not in special_cases:
                    words.append(chunk)
                    continue
                tokens = recent.get(chunk)
                if tokens is None:
                    tokens = older.get(chunk)
                    if tokens is None:
                        new_chunks.setdefault(chunk, []).append((len(by_line), len(words)))
                        words.append(chunk)
                        continue
                    self._remember(chunk, tokens)
                words += tokens
            by_line.append(words)
        if new_chunks:
            self._put_in_place(by_line, new_chunks)
        return by_line

    def _put_in_place(self, by_line: list[list[str]], new_chunks: dict[str, list[tuple[int, int]]]) -> None:
        """Tokenize the new chunks, remember them, and put their tokens in the places they hold in `by_line`."""
        places: dict[int, list[tuple[int, tuple[str, ...]]]] = {}
        for chunk, tokens in zip(new_chunks, self._tokenize(list(new_chunks)), strict=True):
            self._remember(chunk, tokens)
            for line, position in new_chunks[chunk]:
                places.setdefault(line, []).append((position, tokens))
        for line, line_places in places.items():
            words = by_line[line]
            for position, tokens in sorted(line_places, reverse=True):  # from the right: positions stay valid
                words[position:position + 1] = tokens


Segmenter = Callable[[str], Iterable[tuple[int, str]]]  # a text to (offset, token) of each of its tokens


class SegmentedWords(WordTokenizer):
    """A language whose words are not separated by spaces, split by a segmenter over the whole text at once (a
    word can hold a space: Vietnamese "sinh viên"), each token given to the line it starts on."""

    def __init__(self, segment: Segmenter) -> None:
        self._segment = segment

    def words_by_line(self, text: str) -> list[list[str]]:
        return _words_on_lines(_line_starts(text), self._segment(text))


def _words_on_lines(starts: list[int], tokens: Iterable[tuple[int, str]]) -> list[list[str]]:
    """Each (offset, token) of a text given to the line it starts on (`starts`: `_line_starts` of the text),
    stripped, whitespace tokens left out."""
    by_line: list[list[str]] = [[] for _ in starts[:-1]]
    for offset, token in tokens:
        word = token.strip()
        if word:
            by_line[bisect_right(starts, offset) - 1].append(word)
    return by_line


def _spacy_segmenter(code: str) -> Segmenter:
    """spaCy's tokenizer of `code` (Vietnamese: pyvi)."""
    nlp = _blank_spacy(code)

    def segment(text: str) -> list[tuple[int, str]]:
        with nlp.memory_zone():
            return [(token.idx, token.text) for token in nlp.tokenizer(text)]

    return segment


def _jieba_segmenter() -> Segmenter:
    """jieba's default mode (precise, with its HMM for unknown words), which spaCy's Chinese tokenizer calls for
    datatrove: the same words, without building spaCy's document."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # not a line on every process start
    jieba.initialize()
    return lambda text: ((start, word) for word, start, _ in jieba.tokenize(text))


SUDACHI_MAX_BYTES = 40_000  # Sudachi takes at most 49,149 bytes at a time; datatrove cuts texts every 40,000


def _japanese_pieces(text: str) -> list[str]:
    """`text` in pieces of at most SUDACHI_MAX_BYTES bytes, cut at a line break where one is near."""
    pieces, piece, size = [], [], 0
    for line in text.splitlines(keepends=True):
        line_size = len(line.encode())
        if piece and size + line_size > SUDACHI_MAX_BYTES:
            pieces.append("".join(piece))
            piece, size = [], 0
        if line_size > SUDACHI_MAX_BYTES:  # a character is at most 4 bytes: a quarter of the limit always fits
            step = SUDACHI_MAX_BYTES // 4
            pieces += [line[start:start + step] for start in range(0, len(line), step)]
            continue
        piece.append(line)
        size += line_size
    return [*pieces, "".join(piece)] if piece else pieces


def _sudachi_segmenter() -> Segmenter:
    """Sudachi's shortest units (mode A), as spaCy's Japanese tokenizer calls it for datatrove: the same words (all
    202 Japanese pages of the test set), four times faster without spaCy's per-token readings and tags."""
    from sudachipy import Dictionary, SplitMode

    tokenizer = Dictionary().tokenizer(mode=SplitMode.A)

    def segment(text: str) -> Iterator[tuple[int, str]]:
        start = 0
        for piece in _japanese_pieces(text):
            for morpheme in tokenizer.tokenize(piece):
                yield start + morpheme.begin(), morpheme.surface()
            start += len(piece)

    return segment


_KIWI_UNREADABLE_NUMBERS = re.compile("[0-9,]{20,}")  # Kiwi fails on very long numbers


class KoreanWords(WordTokenizer):
    """Korean with Kiwi, as datatrove's KiwiTokenizer: its words, and its own sentence splitter.

    Kiwi's analysis is the cost of a Korean page (a quarter of a second), and datatrove runs it twice: over the
    whole text for words, and over each line for C4's sentences. Here one analysis of the whole text gives both:
    its words are the same, and each line counts the sentences of that analysis it holds part of. A line read on
    its own is occasionally split otherwise (82 of the 8,593 lines of the quality test set's Korean pages), which
    moves C4's sentence count by a few but has not changed its verdict on any of them (make benchmark-quality).
    """

    def __init__(self) -> None:
        from kiwipiepy import Kiwi

        self._kiwi = Kiwi(model_type="sbg")
        # The sentences of each line of the text analysed last, by the line's stripped text: C4 asks for them line
        # by line right after the words.
        self._sentences_of_line: dict[str, int] = {}

    def _readable(self, text: str) -> str:
        # datatrove removes long runs of digits and commas before Kiwi reads a text, and takes each token's
        # offsets in the text as it was: so does this.
        return _KIWI_UNREADABLE_NUMBERS.sub("", text)

    def words_by_line(self, text: str) -> list[list[str]]:
        starts = _line_starts(text)
        sentences = self._kiwi.split_into_sents(self._readable(text), return_tokens=True)
        by_line = _words_on_lines(starts, ((token.start, text[token.start:token.end])
                                           for sentence in sentences for token in sentence.tokens))
        sentences_by_line = [0] * len(by_line)
        for sentence in sentences:
            first, last = bisect_right(starts, sentence.start) - 1, bisect_right(starts, sentence.end - 1) - 1
            for line in range(first, min(last, len(by_line) - 1) + 1):
                sentences_by_line[line] += 1
        self._sentences_of_line = {line.strip(): count
                                   for line, count in zip(text.splitlines(), sentences_by_line, strict=True)}
        return by_line

    def count_sentences(self, line: str, words: list[str]) -> int:
        counted = self._sentences_of_line.get(line)
        if counted is None:  # a line not of the text analysed last (C4 removed a citation from it)
            counted = len(self._kiwi.split_into_sents(self._readable(line)))
        return max(1, counted)


class MultilingualWords(RuleBasedWords):
    """Where datatrove has no tokenizer of the language's own (its WhitespaceTokenizer, and here also languages
    whose tokenizer needs a model that cannot be installed): spaCy's multi-language rules for words, and sentences
    ending at a sentence terminal or a line break (an initial like "A." ends none)."""

    def __init__(self) -> None:
        super().__init__("xx")
        import regex

        terminals = regex.escape("".join(sorted(TERMINAL_PUNCTUATION)))
        self._sentence = regex.compile(rf"(?:(?:\p{{Lu}}\.)|.)+?[{terminals}\n]+[\"'”]?", regex.UNICODE)

    def count_sentences(self, line: str, words: list[str]) -> int:
        return max(1, sum(1 for sentence in self._sentence.findall(line) if sentence.strip()))


@cache
def word_tokenizer(language: str) -> WordTokenizer:
    """The tokenizer of `language` (an ISO 639-1 or 639-3 code), made once per process; an unknown or empty
    language gets the multi-language one."""
    assignment = tokenizer_assignment(language)
    if assignment.kind == "korean":
        return KoreanWords()
    if assignment.kind == "multilingual":
        return MultilingualWords()
    if assignment.spacy_code == "ja":
        return SegmentedWords(_sudachi_segmenter())
    if assignment.spacy_code == "zh":
        return SegmentedWords(_jieba_segmenter())
    if assignment.spacy_code == "vi":
        return SegmentedWords(_spacy_segmenter("vi"))
    return RuleBasedWords(assignment.spacy_code)


def split_into_words(text: str, language: str = "en") -> list[str]:
    """The words of `text` as datatrove's tokenizer for `language` gives them: punctuation marks are words too."""
    return word_tokenizer(language).split_into_words(text)
