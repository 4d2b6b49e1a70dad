"""The overlap rule on real items: an edited quote is found, a shared template is not evidence, and the gate's SQL
(sql/final_set/audit.sql) reaches the matcher's verdict on every page."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from corpus_assets import warehouse
from corpus_assets.decontam import (
    ANY_NGRAM,
    BenchmarkItem,
    ContaminationIndex,
    DecontamConfig,
    OverlapRule,
    benchmark_ngram_table,
    document_ngram_table,
    load_benchmarks,
)
from corpus_assets.decontam.batch import decontaminate_batch

INDEXED_FILES = ("mmlu/anatomy_test.csv", "mmlu/moral_scenarios_test.csv", "gauntlet/copa.jsonl")
DEFAULT = DecontamConfig()
# MMLU anatomy, row 6, with two words edited ("broken" -> "fractured", "sixth" -> "fifth"): no 13 words of the
# question survive in a row, so the any-13-gram rule misses it.
EDITED_ANATOMY = ("A patient suffers a fractured neck with damage to the spinal cord at the level of the fifth "
                  "cervical vertebra.")
# Its choices on one line, lettered "(A)" to "(D)": letters inside a line are words, so no 13 words of the item run
# on across two choices either (on lines of their own, "A." to "D." opening them, they would).
ANATOMY_CHOICES = (" (A) They will be unable to breathe without life support. (B) They will only be able to breathe "
                   "quietly. (C) It is impossible to predict an effect on breathing. (D) Breathing will be unaffected.")
# moral_scenarios' 33-word instruction, which 895 items share, with scenarios of none of them.
MORAL_TEMPLATE_ONLY = ("For which of these two scenarios does the main character (who uses I/me/my) do something "
                       "clearly morally wrong, according to ordinary moral standards in the US as of 2020? Scenario 1 "
                       "| I watered my neighbour's tomatoes while she was away. Scenario 2 | I kept the change the "
                       "baker gave me by mistake.\nA. Wrong, Wrong\nB. Wrong, Not wrong\nC. Not wrong, Wrong\n"
                       "D. Not wrong, Not wrong")


@pytest.fixture(scope="module")
def items(shared_data: Path) -> list[BenchmarkItem]:
    return load_benchmarks([shared_data / "benchmarks" / name for name in INDEXED_FILES])


@pytest.fixture(scope="module")
def default_index(items) -> ContaminationIndex:
    return ContaminationIndex.from_items(items, DEFAULT.ngram_size, DEFAULT.short_ngram_min_words, DEFAULT.rule)


@pytest.fixture(scope="module")
def any_13_gram(items) -> ContaminationIndex:
    return ContaminationIndex.from_items(items, 13, None, ANY_NGRAM)


@pytest.fixture(scope="module")
def article(shared_data: Path) -> str:
    """A real news article, which quotes no benchmark."""
    truth = json.loads((shared_data / "extraction" / "aeb" / "ground-truth.json").read_text())
    return truth[sorted(truth)[0]]["articleBody"]


def _page(article: str, quote: str) -> str:
    paragraphs = article.split("\n\n")
    return "\n\n".join([*paragraphs[:2], quote, *paragraphs[2:]])


def test_a_question_with_two_words_edited_is_found_where_13_grams_miss_it(default_index, any_13_gram, article):
    page = _page(article, EDITED_ANATOMY + ANATOMY_CHOICES)
    assert any_13_gram.contamination(page) is None
    found = default_index.contamination(page)
    assert (found.benchmark, found.item_id) == ("mmlu/anatomy", "6")
    assert found.shared >= DEFAULT.rule.needed(found.specific_ngrams)
    assert found.evidence().startswith(f"shares {found.shared} of the {found.specific_ngrams} specific n-grams of "
                                       "mmlu/anatomy item 6, first: 'neck with damage to the spinal'")


def test_a_page_sharing_only_a_template_is_not_contaminated(default_index, any_13_gram, article):
    page = _page(article, MORAL_TEMPLATE_ONLY)
    assert any_13_gram.contamination(page).benchmark == "mmlu/moral_scenarios"  # the false positive of the issue
    assert default_index.contamination(page) is None


def test_the_article_alone_is_not_contaminated(default_index, article):
    assert default_index.contamination(article) is None


def test_a_moral_scenario_quoted_whole_is_found_by_its_own_scenarios(items, default_index, article):
    item = next(i for i in items if i.benchmark == "mmlu/moral_scenarios" and i.item_id == "500")
    found = default_index.contamination(_page(article, item.fields[0][1]))
    assert (found.benchmark, found.item_id) == ("mmlu/moral_scenarios", "500")
    assert not found.first.ngram.startswith("for which of these")  # the template is not its evidence


@pytest.mark.parametrize(("rule", "specific", "needed"), [
    (OverlapRule(3, 3, 0.2), 100, 20.0), (OverlapRule(3, 3, 0.2), 10, 3), (OverlapRule(3, 3, 0.2), 2, 2),
    (OverlapRule(3, 1, 0.5), 7, 3.5), (ANY_NGRAM, 500, 1), (ANY_NGRAM, 1, 1),
])
def test_the_share_needed_grows_with_the_item_and_never_exceeds_it(rule, specific, needed):
    assert rule.needed(specific) == needed
    assert rule.contaminates(int(needed + 0.999), specific) and not rule.contaminates(int(needed + 0.999) - 1,
                                                                                       specific)


def test_templates_are_n_grams_of_at_least_template_min_items():
    assert OverlapRule(3).is_template(3) and not OverlapRule(3).is_template(2)
    assert not ANY_NGRAM.is_template(10_000)
    for bad in ({"template_min_items": 1}, {"min_shared_ngrams": 0}, {"min_shared_fraction": 1.5}):
        with pytest.raises(ValueError):
            OverlapRule(**bad)


def test_an_item_with_too_few_ngrams_for_min_shared_ngrams_is_found_when_all_are_shared(article):
    item = BenchmarkItem("toy/short", "1", "toy.jsonl", (("question", "Which planet has the longest day of all?"),))
    index = ContaminationIndex.from_items([item], 6, None, OverlapRule(None, 5, 0.0))
    assert index.contamination(_page(article, "Which planet has the longest day of all?")).shared == 3
    assert index.contamination(_page(article, "Which planet has the longest day of them?")) is None


def _sql_verdicts(index_table: pa.Table, pages: dict[str, str], rule: OverlapRule, sizes) -> dict[str, bool]:
    """Every page's verdict as the gate reaches it: its kept n-grams and the benchmark n-grams in DuckDB, through
    the gate's own statement."""
    conn = duckdb.connect()
    conn.execute("CREATE SCHEMA staging")
    conn.register("index_rows", index_table)
    conn.execute("CREATE TABLE main.eval_benchmark_ngrams AS SELECT * FROM index_rows")
    page_ngrams = document_ngram_table(list(pages), list(pages.values()), sizes, include_text=False)
    conn.register("page_rows", page_ngrams)
    conn.execute("CREATE TABLE staging.final_set_ngrams AS "
                 "SELECT doc_id, ngram_size, word_offset, ngram_hash FROM page_rows")
    conn.register("pages", pa.table({"page_id": list(pages), "text": list(pages.values())}))
    conn.execute("CREATE TABLE staging.final_set AS "
                 "SELECT page_id, 'https://example.org/' || page_id AS url, DATE '2026-11-02' AS crawl_date, text "
                 "FROM pages")
    rows = warehouse.execute(conn, "final_set/audit", rule.sql_parameters()).fetchall()
    return {page_id: contaminated for page_id, _, _, _, contaminated in rows}


@pytest.mark.parametrize("rule", [DEFAULT.rule, ANY_NGRAM, OverlapRule(None, 2, 0.5)],
                         ids=["default", "any-ngram", "half-no-templates"])
def test_the_gate_sql_reaches_the_matchers_verdict_on_every_page(items, article, rule):
    moral_500 = next(i for i in items if i.benchmark == "mmlu/moral_scenarios" and i.item_id == "500").fields[0][1]
    quotes = ["", EDITED_ANATOMY + ANATOMY_CHOICES, MORAL_TEMPLATE_ONLY, moral_500,
              "A patient suffers a broken neck with damage to the spinal cord", "The man turned on the faucet."]
    pages = {f"page{i}": _page(article, quote) for i, quote in enumerate(quotes)}
    index = ContaminationIndex.from_items(items, DEFAULT.ngram_size, None, rule)
    expected = {page_id: index.contamination(text) is not None for page_id, text in pages.items()}
    assert _sql_verdicts(benchmark_ngram_table(items, DEFAULT.ngram_size), pages, rule, index.ngram_sizes) == expected
    assert expected["page3"] and not expected["page0"]
    assert expected["page2"] == (rule.template_min_items is None)


def test_a_dropped_page_names_the_item_and_the_evidence(default_index, article):
    batch = pa.RecordBatch.from_pylist([
        {"page_id": "p1", "crawl_date": dt.date(2026, 11, 2), "url": "https://example.org/quiz", "text":
         _page(article, EDITED_ANATOMY + ANATOMY_CHOICES)},
        {"page_id": "p2", "crawl_date": dt.date(2026, 11, 2), "url": "https://example.org/news", "text": article},
    ])
    kept, drops, ngrams = decontaminate_batch(batch, default_index, default_index.ngram_sizes)
    assert kept.column("page_id").to_pylist() == ["p2"]
    (drop,) = drops.to_pylist()
    assert (drop["benchmark"], drop["benchmark_item"]) == ("mmlu/anatomy", "6")
    assert drop["detail"].startswith("shares ") and drop["matched_ngram"] in drop["detail"]
    assert set(ngrams.column("doc_id").to_pylist()) == {"p2"}
