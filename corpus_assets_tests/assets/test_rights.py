"""Rights, first-party documents, safety and personal data through the whole chain, on loopback sites made to opt
out in each way, and document files written by the test (#13)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from warcio.warcwriter import WARCWriter

from corpus_assets.assets.corpus_release import corpus_release
from corpus_assets.assets.licensed_documents import licensed_documents
from corpus_assets.config import ConfigError, load_config
from corpus_assets.privacy import pii as pii_module
from corpus_assets_tests.pipeline import CHAIN, fates, materialize, query, write_config
from corpus_assets_tests.safety.texts import OBSCENE
from corpus_assets_tests.sites import html_page
from corpus_assets_tests.texts import ARTICLES

DATE = "2026-11-02"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
WITH_DOCUMENTS = [*CHAIN, licensed_documents]


def page_with_head(title: str, article: str, head: str = "", *, headers: dict | None = None):
    """An article page (kept by every filter on its own) with `head` added to its <head>."""
    status, page_headers, body = html_page(title, ARTICLES[article])
    return status, {**page_headers, **(headers or {})}, body.replace(b"<head>", f"<head>{head}".encode(), 1)


def opting_out_site() -> dict:
    pages = ["/ai-private/rivers.html", "/header.html", "/meta.html", "/reserved/bread.html", "/licensed.html",
             "/tdm-header.html"]
    return {
        "/robots.txt": (200, {"Content-Type": "text/plain"},
                        b"User-agent: GPTBot\nDisallow: /ai-private/\n\nUser-agent: *\nAllow: /\n"),
        "/.well-known/tdmrep.json": (200, {"Content-Type": "application/json"}, json.dumps(
            [{"location": "/reserved/*", "tdm-reservation": 1, "tdm-policy": "https://example.test/policy.json"}]
        ).encode()),
        "/": html_page("Index", ARTICLES["rivers"][:2], links=pages),
        "/ai-private/rivers.html": page_with_head("Rivers", "rivers"),
        "/header.html": page_with_head("Bread", "bread", headers={"X-Robots-Tag": "noai, noimageai"}),
        "/meta.html": page_with_head("Rivers again", "rivers", '<meta name="robots" content="noai">'),
        "/reserved/bread.html": page_with_head("Bread again", "bread"),
        "/tdm-header.html": page_with_head("Rivers third", "rivers", headers={"tdm-reservation": "1"}),
        "/licensed.html": page_with_head("Lighthouses", "lighthouses", f'<link rel="license" href="{CC_BY}">'),
    }


def test_opted_out_pages_are_dropped_with_their_signal_and_a_licensed_page_carries_its_licence(serve, tmp_path):
    site = serve(opting_out_site())
    config = write_config(tmp_path, seeds=[site.url("/")])
    assert materialize([*CHAIN, corpus_release], config, DATE).success
    by_path = {url.removeprefix(site.base_url): fate for url, fate in fates(config, DATE).items()}
    assert by_path["/licensed.html"] == "kept"
    for path in ("/ai-private/rivers.html", "/header.html", "/meta.html", "/reserved/bread.html", "/tdm-header.html"):
        assert by_path[path] == "extracted_text:tdm_opt_out", path
    details = dict(query(config, "SELECT url, detail FROM drop_log WHERE reason = 'tdm_opt_out'"))
    assert details[site.url("/ai-private/rivers.html")] == "GPTBot disallowed in robots.txt: User-agent GPTBot"
    assert details[site.url("/header.html")] == "noai in header X-Robots-Tag"
    assert details[site.url("/meta.html")] == "noai in meta name=robots"
    assert details[site.url("/tdm-header.html")] == "tdm-reservation: 1 in header tdm-reservation"
    assert details[site.url("/reserved/bread.html")].startswith(
        f"tdm-reservation: 1 in {site.url('/.well-known/tdmrep.json')}")
    # Every page extraction saw has its rights on record, the kept one too; the TDMRep file was archived.
    rights = dict(query(config, "SELECT url, licence FROM page_rights WHERE crawl_date = ?", [DATE]))
    assert rights[site.url("/licensed.html")] == "CC-BY-4.0" and len(rights) == 7
    assert query(config, "SELECT kind, status FROM host_files ORDER BY kind") == [("robots", 200), ("tdmrep", 200)]
    assert query(config, "SELECT licence FROM final_set WHERE url = ?", [site.url("/licensed.html")]) == [
        ("CC-BY-4.0",)]
    (release,) = (tmp_path / "data" / "releases").iterdir()
    rows = pa.concat_tables(pq.read_table(p) for p in sorted((release / "data").glob("*.parquet"))).to_pylist()
    assert {row["url"]: row["licence"] for row in rows}[site.url("/licensed.html")] == "CC-BY-4.0"
    card = (release / "README.md").read_text()
    assert "| CC-BY-4.0 |" in card and "| extracted_text | tdm_opt_out | 5 |" in card


def test_the_tdmrep_file_is_asked_for_only_where_robots_txt_allows_and_when_configured(serve, tmp_path):
    routes = {**opting_out_site(), "/robots.txt": (200, {"Content-Type": "text/plain"},
                                                   b"User-agent: *\nDisallow: /.well-known/\n")}
    site = serve(routes)
    assert materialize(CHAIN[:2], write_config(tmp_path / "a", seeds=[site.url("/")]), DATE).success
    other = serve(opting_out_site())
    config = write_config(tmp_path / "b", seeds=[other.url("/")], crawl={"fetch_tdmrep": False})
    assert materialize(CHAIN[:2], config, DATE).success
    for asked in (site, other):
        assert "/robots.txt" in asked.paths_requested() and "/.well-known/tdmrep.json" not in asked.paths_requested()
    assert query(config, "SELECT kind FROM host_files") == [("robots",)]


def test_the_record_policy_keeps_an_opted_out_page_and_its_signal(serve, tmp_path):
    site = serve(opting_out_site())
    config = write_config(tmp_path, seeds=[site.url("/")], rights={"robots_meta_noai": "record"})
    assert materialize(CHAIN[:3], config, DATE).success
    by_path = {url.removeprefix(site.base_url): fate for url, fate in fates(config, DATE).items()}
    assert "/header.html" not in by_path and "/meta.html" not in by_path  # extracted, not dropped
    (signals,) = query(config, "SELECT signals FROM page_rights WHERE url = ?", [site.url("/header.html")])[0:1]
    assert {"kind": "x_robots_tag", "value": "noai", "location": "header X-Robots-Tag", "opt_out": True} in \
        json.loads(signals[0])


def write_documents(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    jsonl = folder / "transcripts.jsonl"
    jsonl.write_text("\n".join(json.dumps({"id": f"t{i}", "text": " ".join(ARTICLES[name]), "title": name})
                               for i, name in enumerate(["rivers", "bread"])) + "\n")
    parquet = folder / "archive.parquet"
    pq.write_table(pa.table({"doc": ["n1"], "body": [" ".join(ARTICLES["lighthouses"])],
                             "link": ["https://news.example.test/lighthouses"]}), parquet)
    return jsonl, parquet


def test_first_party_documents_flow_to_the_release_with_their_licence_and_origin(tmp_path):
    jsonl, parquet = write_documents(tmp_path / "docs")
    config = write_config(tmp_path, sources={"documents": [
        {"path": str(jsonl), "crawl_date": DATE, "licence": "LicenseRef-support-terms", "origin": "support team",
         "title_field": "title"},
        {"path": str(parquet), "crawl_date": DATE, "licence": "CC-BY-4.0", "origin": "Example News archive",
         "id_field": "doc", "text_field": "body", "url_field": "link"},
    ]})
    later = [asset for asset in WITH_DOCUMENTS if asset.key.path[0] not in ("crawl_archive", "raw_pages",
                                                                              "extracted_text")]
    assert materialize([*later, corpus_release], config, DATE).success
    kept = dict(query(config, "SELECT url, licence FROM final_set WHERE crawl_date = ?", [DATE]))
    assert kept == {"urn:document:support-team:t0": "LicenseRef-support-terms",
                    "urn:document:support-team:t1": "LicenseRef-support-terms",
                    "https://news.example.test/lighthouses": "CC-BY-4.0"}
    (release,) = (tmp_path / "data" / "releases").iterdir()
    rows = {row["url"]: row for row in pq.read_table(next((release / "data").glob("*.parquet"))).to_pylist()}
    news = rows["https://news.example.test/lighthouses"]
    assert (news["source"], news["source_file"], news["record_offset"], news["licence"]) == (
        "documents", str(parquet), 1, "CC-BY-4.0")
    assert rows["urn:document:support-team:t1"]["record_offset"] == 2  # its line in the JSONL file
    card = (release / "README.md").read_text()
    assert "| licensed_documents | 3 | 3 | 0 |" in card and "| LicenseRef-support-terms | 2 |" in card


def test_a_document_source_without_a_licence_is_refused_before_any_work(tmp_path):
    jsonl, _ = write_documents(tmp_path / "docs")
    config = write_config(tmp_path, sources={"documents": [{"path": str(jsonl), "crawl_date": DATE,
                                                            "origin": "support team"}]})
    with pytest.raises(ConfigError, match="licence"):
        load_config(config)
    assert not (tmp_path / "warehouse.duckdb").exists()


def test_a_document_without_text_fails_its_date_naming_the_file_line_and_field(tmp_path):
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text(json.dumps({"id": "a", "text": "fine words here"}) + "\n" + json.dumps({"id": "b"}) + "\n")
    config = write_config(tmp_path, sources={"documents": [{"path": str(jsonl), "crawl_date": DATE,
                                                            "licence": "CC0-1.0", "origin": "us"}]})
    result = materialize([licensed_documents], config, DATE)
    assert not result.success
    (failure,) = [e for e in result.all_events if e.is_step_failure]
    assert f"{jsonl}, line 2: the document has no 'text' field" in failure.step_failure_data.error.message
    assert query(config, "SELECT count(*) FROM licensed_documents") == [(0,)]


def test_a_listed_url_and_an_obscene_page_are_dropped_and_the_controls_kept(serve, tmp_path):
    site = serve({
        "/": html_page("Index", ARTICLES["rivers"][:2], links=["/listed.html", "/obscene.html", "/control.html"]),
        "/listed.html": page_with_head("Bread", "bread"),
        # An article with two obscene paragraphs in it: the quality filters keep it, the obscenity rule does not.
        "/obscene.html": html_page("Words", [*ARTICLES["rivers"], OBSCENE["abusive rant"], OBSCENE["porn spam"]]),
        "/control.html": page_with_head("Lighthouses", "lighthouses"),
    })
    extra = tmp_path / "blocklist.txt"
    extra.write_text("# our own\n127.0.0.1/listed.html malware\n")
    config = write_config(tmp_path, seeds=[site.url("/")], safety={"blocklist": {"extra_list": str(extra)}})
    assert materialize(CHAIN, config, DATE).success
    by_path = {url.removeprefix(site.base_url): fate for url, fate in fates(config, DATE).items()}
    assert by_path["/listed.html"] == "filtered_text:blocklist"
    assert by_path["/obscene.html"] == "filtered_text:obscene"
    assert by_path["/control.html"] == "kept"
    ((category, ratio),) = query(config, "SELECT blocklist_category, obscene_ratio FROM safety_signals WHERE url = ?",
                                 [site.url("/listed.html")])
    assert category == "malware" and ratio == 0.0


def test_personal_data_is_replaced_and_a_surviving_e_mail_fails_the_gate(serve, tmp_path, monkeypatch):
    with_pii = [*ARTICLES["lighthouses"][:-1],
                ARTICLES["lighthouses"][-1] + " Write to keeper.jones@lighthouse.example.org or call +44 20 7946 0958."]
    status, headers, body = html_page("Lighthouses", with_pii)
    body = body.replace(b"<title>Lighthouses</title>", b"<title>Lighthouses by ann.lee@lighthouse.example.org</title>")
    site = serve({"/": (status, headers, body)})
    config = write_config(tmp_path, seeds=[site.url("/")])
    assert materialize(CHAIN[:4], config, DATE).success
    assert materialize([CHAIN[4]], config, DATE).success
    ((title, text),) = query(config, "SELECT title, text FROM filtered_text")
    assert "<EMAIL>" in text and "<PHONE>" in text and "keeper.jones" not in text
    assert title == "Lighthouses by <EMAIL>"  # the title reaches the release as well
    assert sorted(query(config, "SELECT pii_type, redactions FROM pii_redactions")) == [("email", 2), ("phone", 1)]
    # A redactor that misses the address: the gate's own re-scan finds it and nothing is published.
    monkeypatch.setitem(pii_module._FINDERS, "email", lambda text, config: iter(()))
    result = materialize([CHAIN[4]], config, DATE)
    assert not result.success
    (check,) = [e for e in result.get_asset_check_evaluations() if not e.passed]
    assert "surviving_emails" in json.dumps(check.metadata["failed_expectations"].value)
    assert query(config, "SELECT count(*) FROM filtered_text WHERE text LIKE '%<EMAIL>%'") == [(1,)]


def write_responses(path: Path, responses: list[tuple[str, dict, bytes]]) -> None:
    """A gzipped WARC file of HTTP 200 response records (URL, headers, body)."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, headers, body in responses:
            head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
            http = f"HTTP/1.1 200 OK\r\n{head}\r\n".encode() + body
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(http)))


def test_a_warc_source_obeys_the_robots_txt_and_tdmrep_file_it_archived_and_every_page_header(tmp_path):
    html = {"Content-Type": "text/html; charset=utf-8"}
    warc = tmp_path / "crawl.warc.gz"
    write_responses(warc, [
        ("http://warc.test/private/rivers.html", html, page_with_head("Rivers", "rivers")[2]),
        ("http://warc.test/robots.txt", {"Content-Type": "text/plain"}, b"User-agent: CCBot\nDisallow: /private/\n"),
        ("http://warc.test/.well-known/tdmrep.json", {"Content-Type": "application/json"},
         b'[{"location": "/reserved/*", "tdm-reservation": 1}]'),
        ("http://warc.test/reserved/bread.html", html, page_with_head("Bread", "bread")[2]),
        ("http://warc.test/header.html", {**html, "X-Robots-Tag": "CCBot: noai"},
         page_with_head("Bread again", "bread")[2]),
        ("http://warc.test/lighthouses.html", html, page_with_head("Lighthouses", "lighthouses")[2]),
        # Another host, whose robots.txt the WARC did not archive: only its page's own signals apply.
        ("http://elsewhere.test/private/rivers.html", html, page_with_head("Rivers elsewhere", "rivers")[2]),
    ])
    config = write_config(tmp_path, warc=[{"path": str(warc), "crawl_date": DATE}])
    assert materialize(CHAIN[1:3], config, DATE).success
    fate = fates(config, DATE)
    assert fate["http://warc.test/robots.txt"] == "raw_pages:not_html"  # an input like any other response
    assert {url: fate[url] for url in fate if url.endswith(".html")} == {
        "http://warc.test/private/rivers.html": "extracted_text:tdm_opt_out",
        "http://warc.test/reserved/bread.html": "extracted_text:tdm_opt_out",
        "http://warc.test/header.html": "extracted_text:tdm_opt_out",
    }
    assert sorted(query(config, "SELECT url FROM extracted_text")) == [
        ("http://elsewhere.test/private/rivers.html",), ("http://warc.test/lighthouses.html",)]
    details = dict(query(config, "SELECT url, detail FROM drop_log WHERE reason = 'tdm_opt_out'"))
    assert details["http://warc.test/header.html"] == "CCBot: noai in header X-Robots-Tag"
    assert sorted(query(config, "SELECT host, kind, source FROM host_files")) == [
        ("http://warc.test", "robots", "warc"), ("http://warc.test", "tdmrep", "warc")]
