"""A crawl killed with SIGKILL resumes where it stopped: no completed URL fetched twice, the same rows as a clean
crawl, and WARC files that warcio's own tools read end to end."""

import datetime as dt
import gzip
import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from corpus_assets.crawl.archive import CrawlArchive, complete_gzip_members_length
from corpus_assets.crawl.config import CrawlConfig
from corpus_assets.crawl.crawler import Crawler
from corpus_assets_tests.paths import REPO_ROOT
from corpus_assets_tests.sites import html_page
from corpus_assets_tests.texts import ARTICLES

DATE = dt.date(2026, 11, 2)
PAGES = 60
KILL_AFTER = 15

CRAWL_SCRIPT = """
import datetime as dt, json, sys
from pathlib import Path
from corpus_assets.crawl.config import CrawlConfig
from corpus_assets.crawl.archive import CrawlArchive
from corpus_assets.crawl.crawler import Crawler
settings, folder, seed = json.loads(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
Crawler(CrawlConfig(**settings), CrawlArchive(folder), dt.date(2026, 11, 2)).run([seed])
"""


def chain_site_routes():
    """Page i links to i+1 and i+2: a breadth-first crawl takes them in order, one at a time."""
    routes = {"/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n")}
    for i in range(PAGES):
        links = [f"/p{j}.html" for j in (i + 1, i + 2) if j < PAGES]
        paragraphs = [f"Page {i}. " + ARTICLES["rivers"][i % len(ARTICLES["rivers"])]]
        routes["/" if i == 0 else f"/p{i}.html"] = html_page(f"Page {i}", paragraphs, links=links,
                                                             boilerplate=False)
    return routes


def settings():
    return {"allow_private_networks": ["127.0.0.1/32"], "delay_seconds": 0.05, "max_pages": 1000, "max_depth": 100}


def start_crawl(folder, seed):
    return subprocess.Popen([sys.executable, "-c", CRAWL_SCRIPT, json.dumps(settings()), str(folder), seed],
                            cwd=REPO_ROOT, start_new_session=True, stderr=subprocess.PIPE, text=True)


def complete_outcomes(folder):
    return [o for o in CrawlArchive(folder).outcomes() if o["kind"] == "page"]


def rows(archive):
    """(url, status, body sha256) of every page outcome, read back through the archive."""
    found = set()
    for outcome in archive.outcomes():
        if outcome["kind"] != "page":
            continue
        body = archive.response(outcome).body if outcome.get("warc_file") and outcome["outcome"] == "fetched" else b""
        found.add((outcome["url"], outcome["status"], hashlib.sha256(body).hexdigest()))
    return found


def test_complete_gzip_members_length_stops_before_a_cut_member(tmp_path):
    members = [gzip.compress(f"record {i} ".encode() * 1000) for i in range(3)]
    path = tmp_path / "a.warc.gz"
    path.write_bytes(b"".join(members) + members[0][: len(members[0]) // 2])
    assert complete_gzip_members_length(path, chunk_size=100) == sum(map(len, members))
    path.write_bytes(b"".join(members))
    assert complete_gzip_members_length(path) == path.stat().st_size


@pytest.mark.timeout(240)
def test_a_crawl_killed_with_sigkill_resumes_without_refetching(serve, tmp_path):
    site = serve(chain_site_routes())
    folder = tmp_path / "killed"
    crawl = start_crawl(folder, site.url("/"))
    deadline = time.monotonic() + 120
    while len(complete_outcomes(folder)) < KILL_AFTER:
        assert crawl.poll() is None, crawl.stderr.read()
        assert time.monotonic() < deadline, "the crawl never got going"
        time.sleep(0.01)
    os.killpg(crawl.pid, signal.SIGKILL)
    crawl.wait(timeout=30)
    asked_before_kill = len(site.requests)
    completed = {o["url"].removeprefix(site.base_url) for o in complete_outcomes(folder)}
    assert KILL_AFTER <= len(completed) < PAGES

    resumed = start_crawl(folder, site.url("/"))
    _, errors = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, errors
    asked_after = [r.path for r in site.requests[asked_before_kill:]]
    assert not completed & set(asked_after), "a URL completed before the kill was fetched again"

    clean = CrawlArchive(tmp_path / "clean")
    Crawler(CrawlConfig(**settings()), clean, DATE).run([site.url("/")])
    assert rows(CrawlArchive(folder)) == rows(clean)
    assert len(rows(clean)) == PAGES

    for warc in sorted(folder.glob("crawl-*.warc.gz")):
        checked = subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v", str(warc)],
                                 capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout[-2000:] + checked.stderr[-2000:]
        indexed = subprocess.run([sys.executable, "-m", "warcio.cli", "index", str(warc)],
                                 capture_output=True, text=True)
        assert indexed.returncode == 0 and indexed.stdout.strip(), indexed.stderr[-2000:]


def test_a_resume_cuts_the_half_record_and_half_line_a_crash_left(serve, tmp_path):
    site = serve(chain_site_routes())
    archive = CrawlArchive(tmp_path / "archive")
    Crawler(CrawlConfig(**{**settings(), "max_pages": 5}), archive, DATE).run([site.url("/")])
    (archive.folder / "COMPLETE.json").unlink()  # as if the process had died before finishing
    [warc] = archive.warc_files()
    intact_warc, intact_lines = warc.read_bytes(), archive.outcomes_path.read_bytes()
    half_record = gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" + b"x" * 5000)
    warc.write_bytes(intact_warc + half_record[: len(half_record) // 2])
    archive.outcomes_path.write_bytes(intact_lines + b'{"url": "http://127.0.0.1/cut-sh')

    asked = len(site.requests)
    Crawler(CrawlConfig(**{**settings(), "max_pages": 5}), archive, DATE).run([site.url("/")])
    assert len(site.requests) == asked  # every page had its outcome already
    assert warc.read_bytes() == intact_warc
    assert archive.outcomes_path.read_bytes().startswith(intact_lines)
    assert all(line.endswith("}") for line in archive.outcomes_path.read_text().splitlines())
    checked = subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(warc)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
