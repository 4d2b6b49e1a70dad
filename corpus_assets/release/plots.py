"""The card's figures, as PNG files beside it: document lengths, the funnel, the top domains."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corpus_assets.release.writer import WORD_COUNT_BINS, ReleaseStats

LENGTHS_PNG = "lengths.png"
FUNNEL_PNG = "funnel.png"
DOMAINS_PNG = "domains.png"
TOP_DOMAINS_PLOTTED = 15


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")  # files only: no display, whatever the environment says
    import matplotlib.pyplot as plt

    return plt


def _save(figure, path: Path) -> None:
    figure.tight_layout()
    # No timestamp or software version in the file: the same release draws the same bytes.
    figure.savefig(path, dpi=110, metadata={"Software": None})
    _pyplot().close(figure)


def write_plots(folder: Path, stats: ReleaseStats, funnel: list[dict[str, Any]]) -> dict[str, str]:
    """Draws the three figures into `folder`; returns their titles and file names."""
    plt = _pyplot()
    labels = [f"{low:,}+" for low in WORD_COUNT_BINS]
    figure, axes = plt.subplots(figsize=(8, 3.5))
    axes.bar(labels, stats.word_count_bins, color="#4c72b0")
    axes.set_xlabel("words per document (bin starts)")
    axes.set_ylabel("documents")
    axes.set_title("Document lengths")
    axes.tick_params(axis="x", labelrotation=45)
    _save(figure, folder / LENGTHS_PNG)

    figure, axes = plt.subplots(figsize=(8, 3.5))
    stages = [row["stage"] for row in funnel]
    axes.bar(stages, [row["pages_out"] for row in funnel], color="#55a868", label="kept")
    axes.bar(stages, [row["dropped"] for row in funnel], bottom=[row["pages_out"] for row in funnel],
             color="#c44e52", label="dropped")
    axes.set_ylabel("pages")
    axes.set_title("Pages kept and dropped by each stage")
    axes.legend()
    _save(figure, folder / FUNNEL_PNG)

    top = stats.by_domain.most_common(TOP_DOMAINS_PLOTTED)[::-1]
    figure, axes = plt.subplots(figsize=(8, 0.35 * len(top) + 1.2))
    axes.barh([domain for domain, _ in top], [count for _, count in top], color="#8172b2")
    axes.set_xlabel("documents")
    axes.set_title("Top registered domains")
    _save(figure, folder / DOMAINS_PNG)
    return {"Document lengths": LENGTHS_PNG, "Funnel": FUNNEL_PNG, "Top registered domains": DOMAINS_PNG}
