"""The WARC corpus of `make benchmark-pipeline`: real HTML pages of Debian's documentation packages and of
../shared/data, written as Common Crawl-like gzip WARC files, built once into a cache folder outside the repo.

    uv run --frozen python -m benchmarks.pipeline.corpus            # build (or print) the corpus
    uv run --frozen python -m benchmarks.pipeline.corpus --rebuild  # throw it away and build it again

Folder: `$CORPUS_BENCH_CACHE/corpus` (default ~/.cache/corpus_assets_bench/corpus). The packages are downloaded
with apt and unpacked by `benchmarks/debian_docs.py` into its own cache (~/.cache/corpus_assets_tests). Every
regular `*.html` file of a package (symbolic links left out: apache2-doc links most languages to one file) is a
page, with a plausible http URL under the project's real documentation site; two versions of postgresql-doc-15
make natural near duplicates, debian-handbook, debian-reference and apache2-doc bring two dozen languages. The
AEB article pages and the HTML responses of ../shared/data/warc join them with their own URLs.

The pages are shuffled with a fixed seed and dealt round-robin into `FILES` files (`corpus-00.warc.gz` ...), so
every file holds a sample of every package; the fractions of the benchmark are the first 3, 6 and 12 files.
Each page is a `request` and a `response` record, one gzip member each, after one `warcinfo` record per file
(as Common Crawl writes them); the response has `WARC-Identified-Payload-Type: text/html`.

`manifest.json`, written last, is the marker that the corpus is complete: packages with their versions and page
counts, the files with theirs. A changed package list (`PACKAGES`) or `FILES` rebuilds it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from email.utils import format_datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from benchmarks.debian_docs import PackageUnavailable, unpacked_package

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
CACHE = Path(os.environ.get("CORPUS_BENCH_CACHE", Path.home() / ".cache" / "corpus_assets_bench"))
FILES = 12
SEED = 20261202
MIN_PAGES = 30_000
# Every record claims to be fetched at the benchmark's crawl date (one second apart).
FETCHED_FROM = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Package:
    name: str
    version: str | None  # None: the candidate apt offers
    html_root: str  # the folder inside the package whose tree is the site
    base_url: str  # the URL of html_root


PACKAGES = [
    Package("postgresql-doc-15", "15.18-0+deb12u1", "usr/share/doc/postgresql-doc-15/html",
            "https://www.postgresql.org/docs/15.18/"),
    Package("postgresql-doc-15", "15.20-0+deb12u1", "usr/share/doc/postgresql-doc-15/html",
            "https://www.postgresql.org/docs/15.20/"),
    Package("python3.11-doc", None, "usr/share/doc/python3.11/html", "https://docs.python.org/3.11/"),
    Package("debian-handbook", None, "usr/share/doc/debian-handbook/html", "https://debian-handbook.info/browse/"),
    Package("apache2-doc", None, "usr/share/doc/apache2-doc/manual", "https://httpd.apache.org/docs/2.4/"),
    Package("python-django-doc", None, "usr/share/doc/python-django-doc/html", "https://docs.djangoproject.com/en/3.2/"),
    Package("libstdc++-12-doc", None, "usr/share/doc/gcc-12-base/libstdc++",
            "https://gcc.gnu.org/onlinedocs/gcc-12.2.0/libstdc++/"),
    Package("libboost1.81-doc", None, "usr/share/doc/libboost1.81-doc", "https://www.boost.org/doc/libs/1_81_0/"),
    Package("python-scipy-doc", None, "usr/share/doc/python-scipy-doc/html", "https://docs.scipy.org/doc/scipy-1.10.1/"),
    Package("python-pandas-doc", None, "usr/share/doc/python-pandas-doc/html",
            "https://pandas.pydata.org/pandas-docs/version/1.5.3/"),
    Package("octave-doc", None, "usr/share/doc/octave", "https://docs.octave.org/v7.3.0/"),
    Package("gnuplot-doc", None, "usr/share/doc/gnuplot/htmldocs", "http://www.gnuplot.info/docs_5.4/"),
    Package("git-doc", None, "usr/share/doc/git-doc", "https://git-scm.com/docs/"),
    Package("libgtk-3-doc", None, "usr/share/gtk-doc/html", "https://developer-old.gnome.org/"),
    Package("libxerces-c-doc", None, "usr/share/doc/libxerces-c-doc", "https://xerces.apache.org/xerces-c/apiDocs-3/"),
    Package("libcommons-lang3-java-doc", None, "usr/share/doc/libcommons-lang3-java",
            "https://commons.apache.org/proper/commons-lang/apidocs/"),
    Package("libcommons-collections4-java-doc", None, "usr/share/doc/libcommons-collections4-java",
            "https://commons.apache.org/proper/commons-collections/apidocs/"),
    Package("libcommons-io-java-doc", None, "usr/share/doc/libcommons-io-java",
            "https://commons.apache.org/proper/commons-io/apidocs/"),
    Package("doxygen-doc", None, "usr/share/doc/doxygen", "https://www.doxygen.nl/manual/"),
    Package("libjsoncpp-doc", None, "usr/share/doc/libjsoncpp-doc", "https://open-source-parsers.github.io/jsoncpp-docs/"),
    Package("sphinx-doc", None, "usr/share/doc/sphinx-doc/html", "https://www.sphinx-doc.org/en/5.3.x/"),
    Package("python-requests-doc", None, "usr/share/doc/python-requests-doc/html", "https://requests.readthedocs.io/en/2.28/"),
    Package("debian-faq", None, "usr/share/doc/debian/FAQ", "https://www.debian.org/doc/manuals/debian-faq/"),
    *[Package(f"debian-reference-{code}", None, "usr/share/debian-reference",
              "https://www.debian.org/doc/manuals/debian-reference/")
      for code in ("de", "en", "es", "fr", "it", "ja", "pt", "zh-cn")],
]


@dataclass
class Page:
    url: str
    body: bytes
    content_type: str
    source: str  # package name or shared/data folder


def corpus_dir() -> Path:
    return CACHE / "corpus"


def _candidate_version(package: str) -> str:
    shown = subprocess.run(["apt-cache", "show", "--no-all-versions", package], capture_output=True, text=True,
                           timeout=60)
    return next((line.split(":", 1)[1].strip() for line in shown.stdout.splitlines() if line.startswith("Version:")),
                "unknown")


def _content_type(body: bytes) -> str:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "text/html"  # the page's own <meta charset> says, as on many real servers
    return "text/html; charset=utf-8"


def package_pages(package: Package) -> list[Page]:
    """Every regular .html file below the package's html_root, with its URL."""
    folder = unpacked_package(package.name, package.version, expect=package.html_root) / package.html_root
    pages = []
    for path in sorted(folder.rglob("*.html")):
        if path.is_symlink() or not path.is_file():
            continue
        if package.name.startswith("debian-reference-"):  # one package per language: its own chapters only
            code = package.name.removeprefix("debian-reference-")
            if not path.name.endswith(f".{code}.html"):
                continue
        body = path.read_bytes()
        pages.append(Page(package.base_url + path.relative_to(folder).as_posix(), body, _content_type(body),
                          package.name))
    return pages


def shared_pages() -> list[Page]:
    """The AEB article pages (their URLs from ground-truth.json) and the 200 HTML responses of ../shared/data/warc
    (commoncrawl and wget; the edge cases are left to the tests)."""
    pages = []
    aeb = SHARED_DATA / "extraction" / "aeb"
    truth = json.loads((aeb / "ground-truth.json").read_text())
    for page_id, item in sorted(truth.items()):
        body = gzip.decompress((aeb / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append(Page(item["url"], body, _content_type(body), "shared/extraction/aeb"))
    for warc in sorted((SHARED_DATA / "warc").glob("*/*.warc.gz")):
        if warc.parent.name == "edge-cases" or ".wet." in warc.name:
            continue
        with warc.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                if record.http_headers.get_statuscode() != "200" or "html" not in content_type:
                    continue
                url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<> ")
                pages.append(Page(url, record.content_stream().read(), content_type, f"shared/warc/{warc.parent.name}"))
    return pages


def _write_page(writer: WARCWriter, page: Page, fetched: dt.datetime) -> None:
    parsed = page.url.split("/", 3)
    host, path = parsed[2], "/" + (parsed[3] if len(parsed) > 3 else "")
    warc_date = fetched.strftime("%Y-%m-%dT%H:%M:%SZ")
    request = StatusAndHeaders(f"GET {path} HTTP/1.1", [
        ("Host", host), ("User-Agent", "corpus_assets-benchmark/1.0"), ("Accept", "text/html,*/*;q=0.8"),
        ("Accept-Encoding", "identity")], is_http_request=True)
    writer.write_record(writer.create_warc_record(page.url, "request", http_headers=request,
                                                  warc_headers_dict={"WARC-Date": warc_date}))
    response = StatusAndHeaders("200 OK", [
        ("Date", format_datetime(fetched, usegmt=True)), ("Server", "Apache"), ("Content-Type", page.content_type),
        ("Content-Length", str(len(page.body))), ("ETag", '"' + hashlib.md5(page.body).hexdigest()[:16] + '"')],
        protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        page.url, "response", payload=io.BytesIO(page.body), length=len(page.body), http_headers=response,
        warc_headers_dict={"WARC-Date": warc_date, "WARC-Identified-Payload-Type": "text/html"}))


def _package_key(package: Package) -> str:
    return f"{package.name}={package.version}" if package.version else package.name


def load_manifest() -> dict | None:
    """The manifest of a complete corpus that matches `PACKAGES` and `FILES`, or None."""
    marker = corpus_dir() / "manifest.json"
    if not marker.is_file():
        return None
    manifest = json.loads(marker.read_text())
    wanted = sorted(_package_key(p) for p in PACKAGES)
    if manifest.get("package_keys") != wanted or len(manifest.get("files", [])) != FILES:
        return None
    if not all((corpus_dir() / item["name"]).is_file() for item in manifest["files"]):
        return None
    return manifest


def build(*, rebuild: bool = False, log=print) -> dict:
    """The corpus's manifest, building the corpus first unless a complete one is in the cache."""
    if not rebuild and (manifest := load_manifest()) is not None:
        return manifest
    folder = corpus_dir()
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    pages: list[Page] = []
    packages = []
    for package in PACKAGES:
        try:
            found = package_pages(package)
        except PackageUnavailable as error:
            log(f"  {package.name}: left out ({error})")
            packages.append({"package": package.name, "version": package.version, "pages": 0, "error": str(error)})
            continue
        version = package.version or _candidate_version(package.name)
        log(f"  {package.name} {version}: {len(found)} pages")
        packages.append({"package": package.name, "version": version, "pages": len(found),
                         "bytes": sum(len(p.body) for p in found)})
        pages.extend(found)
    shared = shared_pages()
    for source in sorted({p.source for p in shared}):
        count = sum(p.source == source for p in shared)
        log(f"  {source}: {count} pages")
        packages.append({"package": source, "version": "../shared/data", "pages": count,
                         "bytes": sum(len(p.body) for p in shared if p.source == source)})
    pages.extend(shared)
    unique: dict[str, Page] = {}
    for page in pages:  # one page per URL: the pipeline would drop a second one as a duplicate URL anyway
        unique.setdefault(page.url, page)
    pages = list(unique.values())
    random.Random(SEED).shuffle(pages)
    files = []
    for index in range(FILES):
        name = f"corpus-{index:02d}.warc.gz"
        share = pages[index::FILES]
        with (folder / name).open("wb") as stream:
            writer = WARCWriter(stream, gzip=True, warc_version="1.1")
            writer.write_record(writer.create_warcinfo_record(name, {
                "software": "benchmarks/pipeline/corpus.py (warcio)", "format": "WARC File Format 1.1",
                "description": "Debian documentation packages and ../shared/data pages for make benchmark-pipeline"}))
            for number, page in enumerate(share):
                _write_page(writer, page, FETCHED_FROM + dt.timedelta(seconds=number * FILES + index))
        files.append({"name": name, "pages": len(share), "bytes": (folder / name).stat().st_size})
        log(f"  wrote {name}: {len(share)} pages")
    manifest = {
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "pages": len(pages), "seed": SEED, "packages": packages, "files": files,
        "package_keys": sorted(_package_key(p) for p in PACKAGES),
    }
    if len(pages) < MIN_PAGES:
        log(f"  warning: {len(pages)} pages, fewer than the {MIN_PAGES} wanted (packages left out?)")
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return manifest


def warc_files(manifest: dict, count: int) -> list[Path]:
    """The first `count` files of the corpus."""
    return [corpus_dir() / item["name"] for item in manifest["files"][:count]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="build the corpus again even if it is complete")
    args = parser.parse_args()
    manifest = build(rebuild=args.rebuild)
    print(f"{manifest['pages']} pages in {len(manifest['files'])} files under {corpus_dir()} "
          f"(built {manifest['built_at']})")
    for package in manifest["packages"]:
        print(f"  {package['package']} {package['version']}: {package['pages']} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
