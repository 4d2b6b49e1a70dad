"""Real documentation sites from Debian's packages, downloaded once into a cache folder for the tests.

Two versions of `postgresql-doc-15` are the same site with small edits: natural cross-date near duplicates.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CACHE = Path(os.environ.get("CORPUS_TEST_CACHE", Path.home() / ".cache" / "corpus_assets_tests"))
PACKAGE = "postgresql-doc-15"
HTML_DIR = "usr/share/doc/postgresql-doc-15/html"


def _versions() -> list[str]:
    listing = subprocess.run(["apt-cache", "madison", PACKAGE], capture_output=True, text=True, timeout=60)
    return [line.split("|")[1].strip() for line in listing.stdout.splitlines() if "|" in line]


def postgresql_doc_sites() -> tuple[Path, Path]:
    """The HTML folders of the two newest available versions (older first); skips when apt cannot get them."""
    if shutil.which("apt-get") is None:
        pytest.skip("needs apt-get to download Debian's postgresql-doc-15 packages")
    versions = _versions()
    if len(versions) < 2:
        subprocess.run(["apt-get", "update", "-qq"], capture_output=True, timeout=300)
        versions = _versions()
    if len(versions) < 2:
        pytest.skip(f"apt offers fewer than two versions of {PACKAGE}: {versions}")
    sites = []
    for version in sorted(versions[:2], key=lambda v: [int(p) if p.isdigit() else p for p in v.replace("-", ".").replace("+", ".").split(".")]):
        folder = CACHE / f"{PACKAGE}_{version}"
        if not (folder / HTML_DIR / "index.html").is_file():
            folder.mkdir(parents=True, exist_ok=True)
            download = subprocess.run(["apt-get", "download", f"{PACKAGE}={version}"], cwd=folder,
                                      capture_output=True, text=True, timeout=600)
            debs = list(folder.glob("*.deb"))
            if download.returncode != 0 or not debs:
                pytest.skip(f"could not download {PACKAGE}={version}: {download.stderr.strip()[-300:]}")
            subprocess.run(["dpkg-deb", "-x", str(debs[0]), str(folder)], check=True, timeout=300)
            debs[0].unlink()
        sites.append(folder / HTML_DIR)
    return sites[0], sites[1]
