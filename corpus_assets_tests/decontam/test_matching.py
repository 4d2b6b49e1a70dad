"""Pages against real benchmark items: what matches, what does not, and the SQL route agreeing with the index."""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from pathlib import Path

import duckdb
import pytest

from corpus_assets import warehouse
from corpus_assets.decontam import (
    BenchmarkItem,
    ContaminationIndex,
    Match,
    benchmark_item_table,
    benchmark_ngram_table,
    benchmark_stats,
    benchmark_tables,
    document_ngram_table,
    load_benchmarks,
    ngram_hash,
    normalized_for_matching,
)
from corpus_assets.decontam.ngrams import without_list_markers
from corpus_assets.text import normalize_for_matching

# A few real benchmarks of different shapes, small enough to index in well under a second.
INDEXED_FILES = (
    "mmlu/anatomy_test.csv",
    "mmlu/moral_scenarios_test.csv",
    "humaneval/HumanEval.jsonl.gz",
    "gauntlet/winogrande.jsonl",
    "gauntlet/copa.jsonl",
)
# MMLU anatomy, row 6: a 19-word question.
ANATOMY_QUESTION = ("A patient suffers a broken neck with damage to the spinal cord at the level of the sixth cervical "
                    "vertebra.")
OTHER_TEXT = "Meanwhile, the committee published its quarterly report on Tuesday."

# The first 13 words of `ANATOMY_QUESTION`, normalised.
ANATOMY_FIRST_NGRAM = "a patient suffers a broken neck with damage to the spinal cord at"


@pytest.fixture(scope="module")
def items(shared_data: Path) -> list[BenchmarkItem]:
    return load_benchmarks([shared_data / "benchmarks" / name for name in INDEXED_FILES])


@pytest.fixture(scope="module")
def index(items) -> ContaminationIndex:
    return ContaminationIndex.from_items(items, 13)


@pytest.fixture(scope="module")
def articles(shared_data: Path) -> list[str]:
    """Real news articles (paragraphs of text that quote no benchmark), to embed items in."""
    truth = json.loads((shared_data / "extraction" / "aeb" / "ground-truth.json").read_text())
    return [truth[key]["articleBody"] for key in sorted(truth)[:2]]


def _page(articles: list[str], quote: str) -> str:
    """A page of two articles' paragraphs with `quote` as a paragraph between them."""
    return f"{articles[0]}\n\n{OTHER_TEXT} {quote}\n\n{articles[1]}"


def _words_before(page: str, quote: str) -> int:
    """The word offset of `quote` in `page`, as n-grams count words."""
    return len(normalized_for_matching(page[: page.index(quote)]).split())


def test_the_articles_alone_match_nothing(index, articles):
    assert index.first_match(_page(articles, "")) is None


def test_a_page_quoting_an_mmlu_question_matches_that_item(index, items, articles):
    assert next(i for i in items if i.benchmark == "mmlu/anatomy" and i.item_id == "6").fields[0][1] == ANATOMY_QUESTION
    page = _page(articles, ANATOMY_QUESTION)
    offset = _words_before(page, ANATOMY_QUESTION)
    assert index.first_match(page) == Match("mmlu/anatomy", "6", ANATOMY_FIRST_NGRAM, offset)


def test_case_punctuation_accents_and_line_breaks_do_not_hide_a_quote(index, articles):
    mangled = ("A PATIENT suffers—a broken-neck, with “damage” to the\nSpinal   Cord at the level of the sixth "
               "cervical vértebra!!!")
    assert index.first_match(_page(articles, mangled)).item_id == "6"


def test_twelve_shared_words_or_a_paraphrase_do_not_match(index, articles):
    words = ANATOMY_QUESTION.split()
    assert index.first_match(_page(articles, " ".join(words[:12]) + ".")) is None
    assert index.first_match(_page(articles, " ".join(words[:13]) + ".")).item_id == "6"
    paraphrase = "A patient has a fractured neck that damaged the spinal cord at the sixth cervical vertebra level."
    assert index.first_match(_page(articles, paraphrase)) is None


def test_numbers_are_not_folded(articles):
    fields = (("question", "If 3 apples cost 45 cents, what do 7 apples cost?"), ("answer", "105 cents"))
    item = BenchmarkItem("toy/maths", "1", "toy.jsonl", fields)
    index = ContaminationIndex.from_items([item], 13)
    assert index.first_match(_page(articles, "If 3 apples cost 45 cents, what do 7 apples cost? 105 cents")) is not None
    assert index.first_match(_page(articles, "If 3 apples cost 45 cents, what do 8 apples cost? 120 cents")) is None


def test_an_item_sharing_its_template_with_others_is_told_apart_by_its_own_words(index, items, articles):
    # All 895 moral_scenarios questions open with the same 33-word instruction; the page quotes item 500.
    item = next(i for i in items if i.benchmark == "mmlu/moral_scenarios" and i.item_id == "500")
    match = index.first_match(_page(articles, item.fields[0][1]))
    assert (match.benchmark, match.item_id) == ("mmlu/moral_scenarios", "500")
    assert match.ngram.startswith("for which of these two scenarios")  # the first window is the shared one
    shared = [m for m in index.matches(_page(articles, item.fields[0][1])) if m.word_offset == match.word_offset]
    assert len(shared) == 895


def test_humaneval_code_reformatted_on_a_page_matches(index, items, articles):
    function = next(i for i in items if i.item_id == "HumanEval/0").fields[0][1]
    blog_snippet = "```python\n" + function.replace("    ", "\t").replace("List[float]", "List[ float ]") + "\n```"
    match = index.first_match(_page(articles, blog_snippet))
    assert (match.benchmark, match.item_id) == ("humaneval/HumanEval", "HumanEval/0")


def test_winogrande_sentences_match_blank_or_filled_in(index, articles):
    for sentence in ("Sarah was a much better surgeon than Maria so _ always got the easier cases.",
                     "Sarah was a much better surgeon than Maria so Maria always got the easier cases."):
        match = index.first_match(_page(articles, sentence))
        assert (match.benchmark, match.item_id) == ("gauntlet/winogrande", "1")


def _copa_choice(items, word_count: int) -> str:
    """A real COPA choice of `word_count` words (COPA's items are mostly shorter than 13 words)."""
    return next(text for item in items if item.benchmark == "gauntlet/copa"
                for name, text in item.fields if name.startswith("choice") and len(text.split()) == word_count)


def test_short_fields_match_only_when_indexed_whole(items, articles):
    copa = [item for item in items if item.benchmark == "gauntlet/copa"]
    default = ContaminationIndex.from_items(copa, 13)
    short = ContaminationIndex.from_items(copa, 13, short_ngram_min_words=8)
    assert default.ngram_sizes == (13,) and 8 in short.ngram_sizes
    eight_words, seven_words = _copa_choice(items, 8), _copa_choice(items, 7)
    assert default.first_match(_page(articles, eight_words)) is None
    assert short.first_match(_page(articles, eight_words)).benchmark == "gauntlet/copa"
    assert short.first_match(_page(articles, seven_words)) is None


def _sql_first_matches(index_table, page_table) -> dict[str, Match]:
    """The first match of every page as the warehouse would find it: a join on ngram_hash, ordered as documented."""
    rows = duckdb.sql(
        """
        WITH hits AS (
            SELECT p.doc_id, p.word_offset, p.ngram_size, p.ngram, b.benchmark, b.item_id,
                   count(*) OVER (PARTITION BY p.doc_id, b.benchmark, b.item_id) AS shared_windows
            FROM page_table AS p JOIN index_table AS b USING (ngram_hash)
        )
        SELECT doc_id, benchmark, item_id, ngram, word_offset FROM hits
        QUALIFY row_number() OVER (PARTITION BY doc_id ORDER BY word_offset, ngram_size DESC, shared_windows DESC,
                                                                   benchmark, item_id) = 1
        """
    ).fetchall()
    return {doc_id: Match(benchmark, item_id, ngram, offset) for doc_id, benchmark, item_id, ngram, offset in rows}


@pytest.mark.parametrize("short_ngram_min_words", [None, 8])
def test_the_sql_join_finds_the_same_first_match_as_the_index(items, articles, short_ngram_min_words):
    moral_500 = next(i for i in items if i.benchmark == "mmlu/moral_scenarios" and i.item_id == "500").fields[0][1]
    quotes = ["", ANATOMY_QUESTION, moral_500, _copa_choice(items, 8), ANATOMY_QUESTION + " " + moral_500,
              "Sarah was a much better surgeon than Maria so _ always got the easier cases."]
    pages = {f"page{i}": _page(articles, quote) for i, quote in enumerate(quotes)}

    index = ContaminationIndex.from_items(items, 13, short_ngram_min_words)
    index_table = benchmark_ngram_table(items, 13, short_ngram_min_words)
    page_table = document_ngram_table(list(pages), list(pages.values()), index.ngram_sizes)

    expected = {doc_id: index.first_match(text) for doc_id, text in pages.items()}
    assert _sql_first_matches(index_table, page_table) == {k: v for k, v in expected.items() if v is not None}
    assert expected["page0"] is None and expected["page1"].item_id == "6" and expected["page4"].item_id == "6"
    assert (expected["page3"] is not None) == (short_ngram_min_words is not None)


def _slow_normalized(text: str) -> str:
    """`normalize_for_matching` without its ASCII shortcut: every text decomposed and stripped of combining marks."""
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]|_", " ", text.lower())).strip()


def test_the_ascii_shortcut_normalises_real_items_as_the_full_decomposition_does(items):
    texts = [text for item in items for _, text in item.fields] + ["Café naïve ﬁle Ｆｕｌｌ", "tabs\tand_under-scores"]
    assert sum(not text.isascii() for text in texts) > 2  # both routes are taken
    assert [normalize_for_matching(text) for text in texts] == [_slow_normalized(text) for text in texts]


def _reference_tables(items: list[BenchmarkItem], n: int, short: int | None) -> tuple[list, list]:
    """The item and n-gram rows as the docstrings define them, word by word, with none of the indexing shortcuts."""
    item_rows, ngram_rows = [], []
    for item in items:
        field_words = [_slow_normalized(without_list_markers(text)).split() for _, text in item.fields]
        words = [word for field in field_words for word in field]
        item_rows.append((item.benchmark, item.item_id, item.source_file, [name for name, _ in item.fields],
                          [text for _, text in item.fields], len(words)))
        ngrams = [words[i : i + n] for i in range(len(words) - n + 1)]
        ngrams += [field for field in field_words if short is not None and short <= len(field) < n]
        seen = set()
        for ngram in ngrams:
            if ngram_hash(ngram) not in seen:
                seen.add(ngram_hash(ngram))
                ngram_rows.append((item.benchmark, item.item_id, len(ngram), ngram_hash(ngram), " ".join(ngram)))
    return item_rows, ngram_rows


def _rows(table) -> list[tuple]:
    return list(zip(*table.to_pydict().values(), strict=True))


@pytest.mark.parametrize("short_ngram_min_words", [None, 8])
def test_the_one_pass_tables_are_the_word_by_word_index(items, short_ngram_min_words):
    items_table, ngrams_table = benchmark_tables(items, 13, short_ngram_min_words)
    expected_items, expected_ngrams = _reference_tables(items, 13, short_ngram_min_words)
    assert _rows(items_table) == expected_items
    assert _rows(ngrams_table) == expected_ngrams
    assert items_table.equals(benchmark_item_table(items))
    assert ngrams_table.equals(benchmark_ngram_table(items, 13, short_ngram_min_words))


@pytest.mark.parametrize("short_ngram_min_words", [None, 8])
def test_the_published_stats_sql_counts_as_benchmark_stats(items, short_ngram_min_words):
    items_table, ngrams_table = benchmark_tables(items, 13, short_ngram_min_words)
    with duckdb.connect() as conn:
        warehouse.ensure_schema(conn)
        warehouse.append_arrow(conn, "main.eval_benchmark_items", items_table)
        warehouse.append_arrow(conn, "main.eval_benchmark_ngrams", ngrams_table)
        counted = warehouse.execute(conn, "eval_benchmarks/stats", {"ngram_size": 13}).fetchall()
    expected = sorted(dataclasses.astuple(s) for s in benchmark_stats(items, 13, short_ngram_min_words))
    assert counted == expected
    assert any(unindexed for *_, unindexed in counted)  # short items are there to count


@pytest.mark.parametrize("short_ngram_min_words", [None, 8])
def test_the_index_read_from_the_ngram_table_is_the_index_of_the_items(items, articles, short_ngram_min_words):
    from_items = ContaminationIndex.from_items(items, 13, short_ngram_min_words)
    table = benchmark_ngram_table(items, 13, short_ngram_min_words).select(
        ["benchmark", "item_id", "ngram_size", "ngram_hash"])
    from_table = ContaminationIndex.from_ngram_table(table.sort_by("ngram_hash"), 13)  # any row order
    assert (len(from_table), from_table.ngram_sizes) == (len(from_items), from_items.ngram_sizes)
    assert {h: sorted(from_table._items_of(h)) for h in from_table._first} == {
        h: sorted(from_items._items_of(h)) for h in from_items._first}
    moral_500 = next(i for i in items if i.benchmark == "mmlu/moral_scenarios" and i.item_id == "500").fields[0][1]
    for quote in ["", ANATOMY_QUESTION, moral_500, _copa_choice(items, 8), ANATOMY_QUESTION + " " + moral_500]:
        page = _page(articles, quote)
        assert from_table.matches(page) == from_items.matches(page)
        assert from_table.first_match(page) == from_items.first_match(page)
