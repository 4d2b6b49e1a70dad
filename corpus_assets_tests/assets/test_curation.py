"""The curation stages on real and made-up data: cross-date dedup, decontamination and its gate."""

import datetime as dt

import corpus_assets.assets.final_set as final_set_module
from corpus_assets.decontam import load_benchmark_file
from corpus_assets.decontam.rule import ANY_NGRAM
from corpus_assets.quality import SIGNAL_NAMES
from corpus_assets_tests.pipeline import CHAIN, fates, materialize, query, table_checksum, write_config
from corpus_assets_tests.sites import html_page
from corpus_assets_tests.texts import ARTICLES


def test_a_page_seen_on_an_earlier_date_is_a_cross_date_duplicate(serve, tmp_path):
    site = serve({"/": html_page("Lighthouses", ARTICLES["lighthouses"], links=["/new.html"], boilerplate=False)})
    config = write_config(tmp_path, seeds=[site.url("/")])
    assert materialize(CHAIN, config, "2026-11-02").success
    edited = [p.replace("twenty miles", "twenty-five miles") for p in ARTICLES["lighthouses"]]
    site.routes["/"] = html_page("Lighthouses", edited, links=["/new.html"], boilerplate=False)
    site.routes["/new.html"] = html_page("Bread", ARTICLES["bread"], boilerplate=False)
    assert materialize(CHAIN, config, "2026-11-03").success
    day_two = {u.removeprefix(site.base_url): f for u, f in fates(config, "2026-11-03").items()}
    assert day_two == {"/": "deduped_text:cross_date_near_duplicate", "/new.html": "kept"}
    site.routes["/"] = html_page("Lighthouses", ARTICLES["lighthouses"], boilerplate=False)
    assert materialize(CHAIN, config, "2026-11-04").success
    assert fates(config, "2026-11-04") == {site.url("/"): "deduped_text:cross_date_duplicate"}
    (related, day) = query(config, "SELECT related_url, crawl_date FROM drop_log WHERE reason = 'cross_date_duplicate'")[0]
    assert related == site.url("/") and day == dt.date(2026, 11, 4)


def test_signals_table_matches_the_quality_module(serve, tmp_path):
    site = serve({"/": html_page("Bread", ARTICLES["bread"], boilerplate=False)})
    config = write_config(tmp_path, seeds=[site.url("/")])
    assert materialize(CHAIN, config, "2026-11-02").success
    columns = [c for (c,) in query(config, "SELECT column_name FROM information_schema.columns "
                                           "WHERE table_schema = 'main' AND table_name = 'quality_signals' ORDER BY ordinal_position")]
    assert columns == ["crawl_date", "page_id", "url", *SIGNAL_NAMES]
    (words,) = query(config, "SELECT gopher_quality_words FROM quality_signals")[0]
    assert words > 50


def mmlu_question(shared_data):
    item = load_benchmark_file(shared_data / "benchmarks/mmlu/high_school_geography_test.csv")[3]
    return item, dict(item.fields)["question"]


def edited_question(question: str) -> str:
    """The MMLU question with two words edited: no 13 words of it in a row are left, 6 of its 6-grams are."""
    edited = question.replace("ethnic ghettos", "ethnic enclaves").replace("general deterioration", "general decline")
    assert edited != question
    return edited


def test_a_page_quoting_a_benchmark_item_with_two_words_edited_is_removed(shared_data, serve, tmp_path):
    item, question = mmlu_question(shared_data)
    question = edited_question(question)
    quoting = ARTICLES["rivers"][:3] + [f"A reader asked us: {question}"] + ARTICLES["rivers"][3:]
    site = serve({"/": html_page("Rivers", ARTICLES["lighthouses"], links=["/quote.html"], boilerplate=False),
                  "/quote.html": html_page("Rivers", quoting, boilerplate=False)})
    config = write_config(tmp_path, seeds=[site.url("/")],
                          decontamination={"benchmarks": [str(shared_data / "benchmarks/mmlu")]})
    assert materialize(CHAIN, config, "2026-11-02").success
    assert fates(config, "2026-11-02") == {site.url("/"): "kept", site.url("/quote.html"): "final_set:contamination"}
    benchmark, item_id, detail, ngram = query(
        config, "SELECT benchmark, benchmark_item, detail, matched_ngram FROM drop_log WHERE stage = 'final_set'")[0]
    assert (benchmark, item_id) == (item.benchmark, item.item_id)
    assert detail == (f"shares 6 of the 19 specific n-grams of {item.benchmark} item {item.item_id}, "
                      "first: 'which zone contains low income slums'") and ngram == "which zone contains low income slums"
    (items,) = query(config, "SELECT count(*) FROM eval_benchmark_items")[0]
    assert items == 14042


def test_a_planted_contaminated_row_fails_the_final_set_gate(shared_data, serve, tmp_path, monkeypatch):
    item, question = mmlu_question(shared_data)
    site = serve({"/": html_page("Lighthouses", ARTICLES["lighthouses"], boilerplate=False)})
    config = write_config(tmp_path, seeds=[site.url("/")],
                          decontamination={"benchmarks": [str(shared_data / "benchmarks/mmlu/high_school_geography_test.csv")]})
    assert materialize(CHAIN, config, "2026-11-02").success
    before = table_checksum(config, "final_set")

    class BlindIndex:
        """A matcher with a bug: it sees no contamination at all."""

        rule = ANY_NGRAM

        def contamination(self, text):
            return None

        def __len__(self):
            return 0

    real_index = final_set_module._published_index
    monkeypatch.setattr(final_set_module, "_published_index",
                        lambda conn, config: (BlindIndex(), real_index(conn, config)[1]))
    # Edited, so that only the overlap rule finds it: the gate must recount that rule, not look for one long n-gram.
    site.routes["/"] = html_page("Lighthouses", ARTICLES["lighthouses"] + [edited_question(question)],
                                 boilerplate=False)
    tmp_archive = tmp_path / "archive" / "2026-11-02"
    for path in tmp_archive.iterdir():
        path.unlink()
    result = materialize(CHAIN, config, "2026-11-02")
    assert not result.success
    assert table_checksum(config, "final_set") == before
    (failed,) = [c for c in result.get_asset_check_evaluations() if c.asset_key.path[-1] == "final_set"]
    columns = {f["arguments"].get("column") for f in failed.metadata["failures"].value}
    assert "overlaps_benchmark_item" in columns


def test_postgresql_docs_two_versions_on_two_days(postgresql_docs, tmp_path):
    """Real data: 15.x docs crawled on day 1, the next version on day 2 (../shared/data/README.md)."""
    from corpus_assets.dedup import jaccard
    from corpus_assets_tests.sites import SwitchableStaticSite

    older, newer = postgresql_docs
    site = SwitchableStaticSite(older)
    try:
        config = write_config(tmp_path, seeds=[site.url("/index.html")],
                              crawl={"max_pages": 5000, "max_depth": 50})
        assert materialize(CHAIN, config, "2026-11-02").success
        site.root = newer
        assert materialize(CHAIN, config, "2026-11-03").success
    finally:
        site.stop()
    texts = {}
    for url, day, text in query(config, "SELECT url, crawl_date, text FROM extracted_text"):
        texts.setdefault(url, {})[day.isoformat()] = text
    day_two = {url: fate for url, fate in fates(config, "2026-11-03").items()}
    day_one_kept = {u for (u,) in query(config, "SELECT url FROM deduped_text WHERE crawl_date = '2026-11-02'")}
    identical = near = new = 0
    for url, by_day in texts.items():
        if "2026-11-03" not in by_day:
            continue
        if "2026-11-02" not in by_day:
            new += 1
            assert not day_two[url].startswith("deduped_text:cross_date"), url
            continue
        if url not in day_one_kept:
            continue  # a same-date duplicate on day 1: its twin carries the history
        similarity = jaccard(by_day["2026-11-02"], by_day["2026-11-03"])
        if similarity == 1.0:
            identical += 1
            assert day_two[url] == "deduped_text:cross_date_duplicate", url
        elif similarity >= 0.9:
            near += 1
            assert day_two[url] == "deduped_text:cross_date_near_duplicate", (url, similarity)
    print(f"\npostgresql docs day 2: {identical} identical, {near} near (J>=0.9), {new} new pages")
    # Measured with 15.18 -> 15.20: 1016 identical, 34 near, 3 new; the floors leave room for other versions.
    # (1021, 39 and 2 while DocBook's navigation bars were kept in the text: without them, 18 table-of-contents
    # pages per version have under 20 words and are dropped as no_text.)
    assert identical > 900 and near > 30 and new >= 1
