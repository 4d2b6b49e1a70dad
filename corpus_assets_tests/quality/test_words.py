"""Words and sentences as datatrove's tokenizer of each language makes them."""

from __future__ import annotations

import random
import string

import pytest
import spacy

from corpus_assets.quality import words as words_module
from corpus_assets.quality.tokenizer_assignment import tokenizer_assignment
from corpus_assets.quality.words import sentencizer_count, split_into_words, word_tokenizer

# The words that made the regex stand-in disagree with datatrove (issue 14), as spaCy's English tokenizer gives them.
TECHNICAL_WORDS = [
    ("Edit /etc/apt/sources.list and run ./configure --with-suexec-docroot=/var/www",
     ["Edit", "/etc", "/", "apt", "/", "sources.list", "and", "run", "./configure", "--with", "-", "suexec", "-",
      "docroot=/var", "/", "www"]),
    ("is_global()¶ Return True if the C++ code", ["is_global()¶", "Return", "True", "if", "the", "C++", "code"]),
    ("| a | b |\n|---|---|", ["|", "a", "|", "b", "|", "|---|---|"]),
    ("I don't know; it's John's.", ["I", "do", "n't", "know", ";", "it", "'s", "John", "'s", "."]),
    ("I cannot go", ["I", "can", "not", "go"]),
    # no space between words: one English "word" up to the final mark, which datatrove's English run counts so
    ("我们今天去北京、上海。明天回来！", ["我们今天去北京、上海。明天回来", "！"]),
]

OTHER_LANGUAGES = [
    ("zh", "我们今天去北京、上海。明天回来！",
     ["我们", "今天", "去", "北京", "、", "上海", "。", "明天", "回来", "！"]),
    ("ja", "東京都に行きました。今日は晴れ！",
     ["東京", "都", "に", "行き", "まし", "た", "。", "今日", "は", "晴れ", "！"]),
    ("vi", "Tôi là sinh viên. Hôm nay trời đẹp.", ["Tôi", "là", "sinh viên", ".", "Hôm nay", "trời", "đẹp", "."]),
    ("ko", "안녕하세요. 저는 학생입니다.", ["안녕", "하", "세요", ".", "저", "는", "학생", "입", "입니다", "."]),
    ("it", "L'uomo dell'anno c'è stato.", ["L'", "uomo", "dell'", "anno", "c'", "è", "stato", "."]),
    ("de", "Das ist z.B. ein Haus, d.h. gut.", ["Das", "ist", "z.B.", "ein", "Haus", ",", "d.h.", "gut", "."]),
]


@pytest.mark.parametrize(("text", "expected"), TECHNICAL_WORDS, ids=[text[:30] for text, _ in TECHNICAL_WORDS])
def test_english_words_are_spacys(text: str, expected: list[str]) -> None:
    assert split_into_words(text, "en") == expected


@pytest.mark.parametrize(("language", "text", "expected"), OTHER_LANGUAGES, ids=[lang for lang, *_ in OTHER_LANGUAGES])
def test_each_language_gets_its_own_tokenizer(language: str, text: str, expected: list[str]) -> None:
    assert split_into_words(text, language) == expected


def _spacy_whole_text(text: str, code: str) -> list[str]:
    """datatrove's word_tokenize: the whole text through spaCy's blank pipeline, stripped tokens, no empty ones."""
    return [token.text.strip() for token in spacy.blank(code)(text) if token.text.strip()]


def _messy_text(seed: int) -> str:
    """Words, numbers, URLs, code and punctuation joined by spaces, double spaces, tabs, no-break spaces and line
    breaks: what a chunk-by-chunk split could get wrong."""
    rng = random.Random(seed)
    pieces = ["the", "U.S.", "e.g.", "don't", "(see", "§3.2)", "https://example.com/a?b=1).", "foo@bar.org,", "C++",
              "--with-x", "|---|", "1,000.5", "10:30", "“quoted”", "can't", "Ph.D.", "...", "¶", "x=1;", "naïve",
              "cannot", "''", "--", "-12.99", "512GB", "AT&T.", "end.Next", "café", "dell'anno", "O'Brien", "z.B."]
    separators = [" ", " ", " ", "  ", "\t", "\u00a0", "\n", "\n\n", " \n "]
    words = [rng.choice(pieces) + rng.choice(["", "", ",", ".", ")", ";", ":"]) for _ in range(400)]
    words += ["".join(rng.choices(string.ascii_letters + string.digits + ".-/_", k=rng.randint(1, 12)))
              for _ in range(100)]
    rng.shuffle(words)
    return "".join(word + rng.choice(separators) for word in words)


@pytest.mark.parametrize("code", ["en", "de", "it", "xx"])
def test_chunk_by_chunk_gives_the_words_of_the_whole_text(code: str) -> None:
    language = "unknown" if code == "xx" else code
    for seed in range(5):
        text = _messy_text(seed)
        assert split_into_words(text, language) == _spacy_whole_text(text, code)


def test_a_chunk_is_split_as_it_is_on_its_own_whatever_came_before() -> None:
    # In a whole text spaCy matches the emoticon ":(" across the space of "loaded: (==)" and splits "(==)" otherwise
    # ("(", "=", "=)"); on its own, or after a line break, "(==)" is "(=", "=)". A chunk gets the latter everywhere.
    assert _spacy_whole_text("loaded:\n(==)", "en") == ["loaded", ":", "(=", "=)"]
    assert split_into_words("use it, loaded: (==) 0 1", "en") == ["use", "it", ",", "loaded", ":", "(=", "=)", "0",
                                                                     "1"]


def test_words_stay_right_when_the_chunk_cache_starts_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(words_module, "MAX_CACHED_CHUNKS", 20)
    tokenizer = words_module.RuleBasedWords("en")
    for seed in range(3):
        text = _messy_text(seed)
        assert tokenizer.split_into_words(text) == _spacy_whole_text(text, "en")
    assert len(tokenizer._recent) <= 10


def test_the_vocabulary_does_not_grow_with_the_text() -> None:
    tokenizer = words_module.RuleBasedWords("en")
    strings = tokenizer._nlp.vocab.strings
    tokenizer.split_into_words(" ".join(f"x{n}-{n}" for n in range(100)))
    before = len(strings)
    tokenizer.split_into_words(" ".join(f"y{n}-{n}" for n in range(10_000)))
    assert len(strings) == before


def test_lines_keep_their_own_words() -> None:
    text = "A line ends here\nnext line, and U.S.\nArmy\n\n \n我们今天去北京"
    for language in ("en", "zh", "ko", "unknown"):
        tokenizer = word_tokenizer(language)
        by_line = tokenizer.words_by_line(text)
        assert len(by_line) == len(text.splitlines())
        assert by_line == [tokenizer.split_into_words(line) for line in text.splitlines()]


def test_japanese_longer_than_sudachis_limit_is_split_into_pieces() -> None:
    line = "東京都に行きました。今日は晴れ！" * 300  # 13,500 characters, 40,500 bytes: over the limit alone
    text = "\n".join([line, "短い行です。", line])
    by_line = word_tokenizer("ja").words_by_line(text)
    assert [len(words) for words in by_line][1] == 4
    assert by_line[0][:11] == ["東京", "都", "に", "行き", "まし", "た", "。", "今日", "は", "晴れ", "！"]
    assert len(by_line[0]) == len(by_line[2]) > 3000


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("spacy", "en", "SpaCyTokenizer(en)", "eng_Latn", None)),
        ("zh", ("spacy", "zh", "SpaCyTokenizer(zh)", "cmn_Hani", None)),  # the Han script's row, not the Latin one
        ("no", ("spacy", "nb", "SpaCyTokenizer(nb)", "nor_Latn", None)),  # Norwegian: Bokmål's rules
        ("ko", ("korean", "ko", "KiwiTokenizer", "kor_Hang", None)),
        ("ur", ("multilingual", "xx", "IndicNLPTokenizer(ur)", "urd_Arab", "IndicNLPTokenizer(ur)")),
        ("unknown", ("multilingual", "xx", "none (datatrove refuses the language)", None, None)),
    ],
)
def test_languages_get_the_tokenizer_datatrove_assigns(language: str, expected: tuple) -> None:
    assignment = tokenizer_assignment(language)
    assert (assignment.kind, assignment.spacy_code, assignment.datatrove_tokenizer, assignment.datatrove_language,
            assignment.stand_in_for) == expected


@pytest.mark.parametrize(
    ("line", "sentences"),
    [
        ("", 1),  # datatrove counts a line without sentences as one
        ("One sentence without an end", 1),
        ("One. Two! Three? Four", 4),
        ("He said: “Stop.” Then he left.", 2),  # the closing quote stays with the first sentence
        ("Mr. Smith met Dr. Jones in the U.S. today.", 1),  # abbreviations end no sentence
        ("Wait... and see.", 1),  # nor does an ellipsis
        ("Prices rose 3.5% in 2019. They fell later.", 2),
    ],
)
def test_sentences_are_counted_as_spacys_sentencizer_counts_them(line: str, sentences: int) -> None:
    assert sentencizer_count(split_into_words(line)) == sentences
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    assert max(1, len(list(nlp(line).sents))) == sentences


def test_chinese_sentences_end_at_the_ideographic_full_stop() -> None:
    line = "我们今天去北京、上海。明天回来！好的"
    tokenizer = word_tokenizer("zh")
    assert tokenizer.count_sentences(line, tokenizer.split_into_words(line)) == 3
    english = word_tokenizer("en")  # one token for the whole line: the English run sees one sentence
    assert english.count_sentences(line, english.split_into_words(line)) == 1


def test_korean_and_multilingual_sentences_come_from_their_own_splitters() -> None:
    assert word_tokenizer("ko").count_sentences("안녕하세요. 저는 학생입니다.", []) == 2
    # datatrove's whitespace splitter needs a terminal or a line break: the unfinished last sentence is not one
    assert word_tokenizer("unknown").count_sentences("One. Two! Three", []) == 2
    assert word_tokenizer("unknown").count_sentences("no end at all", []) == 1


def test_korean_words_and_sentences_come_from_one_analysis_of_the_text(monkeypatch) -> None:
    tokenizer = word_tokenizer("ko")
    text = "안녕하세요. 저는 학생입니다.\n오늘은 날씨가 좋습니다.\n\n서울에 갑니다. 친구를 만납니다. 영화를 봅니다."
    # datatrove's word_tokenize: Kiwi's tokens of the whole text
    expected = [text[token.start:token.end] for token in tokenizer._kiwi.tokenize(text)]
    analyses = []
    split = tokenizer._kiwi.split_into_sents
    monkeypatch.setattr(tokenizer._kiwi, "split_into_sents", lambda *a, **k: analyses.append(a[0]) or split(*a, **k))

    by_line = tokenizer.words_by_line(text)
    counts = [tokenizer.count_sentences(line.strip(), words) for line, words in zip(text.splitlines(), by_line)]

    assert [word for line in by_line for word in line] == expected
    assert by_line[2] == [] and by_line[1][0] == "오늘"
    assert counts == [2, 1, 1, 3]
    assert analyses == [text]  # once, the whole text
    # A line that is not one of the text's (C4 deleted a citation from it) is read on its own.
    assert tokenizer.count_sentences("저는 학생입니다. 서울에 갑니다.", []) == 2
    assert len(analyses) == 2
