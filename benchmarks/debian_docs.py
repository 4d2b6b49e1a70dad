"""Real documentation sites from Debian's packages, downloaded once with apt into a cache folder, for the
benchmarks and the tests (`CORPUS_TEST_CACHE`, default ~/.cache/corpus_assets_tests).

Two versions of `postgresql-doc-15` are the same site with small edits: natural cross-date near duplicates.
Whatever apt cannot provide (no apt, no such version, no mirror) raises `PackageUnavailable`: a benchmark reports
it, a test skips.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

CACHE = Path(os.environ.get("CORPUS_TEST_CACHE", Path.home() / ".cache" / "corpus_assets_tests"))
PACKAGE = "postgresql-doc-15"
HTML_DIR = "usr/share/doc/postgresql-doc-15/html"


def _versions() -> list[str]:
    listing = subprocess.run(["apt-cache", "madison", PACKAGE], capture_output=True, text=True, timeout=60)
    return [line.split("|")[1].strip() for line in listing.stdout.splitlines() if "|" in line]


class PackageUnavailable(RuntimeError):
    """apt could not provide the package (no apt, no such version, no network to the mirror)."""


def unpacked_package(package: str, version: str | None = None, *, expect: str) -> Path:
    """The files of a Debian package, downloaded with apt and unpacked once into the cache; `expect` is a path
    inside the package that shows an earlier unpacking finished."""
    folder = CACHE / (f"{package}_{version}" if version else package)
    if (folder / expect).exists():
        return folder
    if shutil.which("apt-get") is None:
        raise PackageUnavailable(f"needs apt-get to download Debian's {package}")
    folder.mkdir(parents=True, exist_ok=True)
    wanted = f"{package}={version}" if version else package
    download = subprocess.run(["apt-get", "download", wanted], cwd=folder, capture_output=True, text=True,
                              timeout=600)
    debs = list(folder.glob("*.deb"))
    if download.returncode != 0 or not debs:
        raise PackageUnavailable(f"could not download {wanted}: {download.stderr.strip()[-300:]}")
    subprocess.run(["dpkg-deb", "-x", str(debs[0]), str(folder)], check=True, timeout=300)
    debs[0].unlink()
    return folder


def postgresql_doc_sites() -> tuple[Path, Path]:
    """The HTML folders of the two newest available versions (older first)."""
    if shutil.which("apt-get") is None:
        raise PackageUnavailable(f"needs apt-get to download Debian's {PACKAGE} packages")
    versions = _versions()
    if len(versions) < 2:
        subprocess.run(["apt-get", "update", "-qq"], capture_output=True, timeout=300)
        versions = _versions()
    if len(versions) < 2:
        raise PackageUnavailable(f"apt offers fewer than two versions of {PACKAGE}: {versions}")
    older, newer = sorted(versions[:2], key=lambda v: [int(p) if p.isdigit() else p
                                                       for p in v.replace("-", ".").replace("+", ".").split(".")])
    return tuple(unpacked_package(PACKAGE, version, expect=f"{HTML_DIR}/index.html") / HTML_DIR
                 for version in (older, newer))


# debian-reference-<code>: the same documentation translated; the codes and the ISO 639-1 language of each.
DEBIAN_REFERENCE_LANGUAGES = {"de": "de", "en": "en", "es": "es", "fr": "fr", "it": "it", "ja": "ja", "pt": "pt",
                              "zh-cn": "zh"}


def package_html_pages(package: str, under: str, pattern: str = "**/*.html", *,
                       expect: str | None = None) -> list[Path]:
    """The HTML files of a Debian package below its folder `under`, sorted; `expect` (default `under`) is the path
    that shows an earlier unpacking finished. Raises PackageUnavailable when apt cannot get the package."""
    folder = unpacked_package(package, expect=expect or under) / under
    return sorted(path for path in folder.glob(pattern) if path.is_file())


def debian_reference_pages(code: str) -> list[Path]:
    """The HTML chapters of debian-reference-<code> (raises PackageUnavailable when apt cannot get it)."""
    return package_html_pages(f"debian-reference-{code}", "usr/share/debian-reference", f"*.{code}.html",
                              expect=f"usr/share/debian-reference/index.{code}.html")
