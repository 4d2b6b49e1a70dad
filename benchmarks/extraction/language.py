"""`uv run --frozen python -m benchmarks.extraction.language`: page-level language identification on Debian's
debian-reference translations (the same chapters in eight languages), after the pipeline's own extraction."""

from __future__ import annotations

import time

from benchmarks.debian_docs import DEBIAN_REFERENCE_LANGUAGES, PackageUnavailable, debian_reference_pages
from corpus_assets.extract import ExtractConfig, decode_html, extract_main_text, identify_language


def language_table() -> list[str]:
    """Markdown lines: per language, pages, accuracy, mean score, pages kept at the threshold, time per page."""
    config = ExtractConfig()
    lines = [f"| package | expected | pages | accuracy | mean score | kept at {config.min_language_score} "
             "| mistaken for | identify ms/page | extract ms/page |", "|" + " --- |" * 9]
    for code, expected in DEBIAN_REFERENCE_LANGUAGES.items():
        try:
            pages = debian_reference_pages(code)
        except PackageUnavailable as error:
            lines.append(f"| debian-reference-{code} | {expected} | unavailable: {error} |")
            continue
        guesses, identify_seconds, extract_seconds = [], 0.0, 0.0
        for page in pages:
            started = time.perf_counter()
            text = extract_main_text(decode_html(page.read_bytes(), None).text, None, config).text
            extract_seconds += time.perf_counter() - started
            started = time.perf_counter()
            guesses.append(identify_language(text))
            identify_seconds += time.perf_counter() - started
        right = [g for g in guesses if g.language == expected]
        wrong = sorted({g.language for g in guesses if g.language != expected})
        kept = sum(g.score >= config.min_language_score for g in right)
        lines.append(
            f"| debian-reference-{code} | {expected} | {len(pages)} | {len(right) / len(pages):.3f} | "
            f"{sum(g.score for g in guesses) / len(pages):.3f} | {kept} | {', '.join(wrong) or '-'} | "
            f"{1000 * identify_seconds / len(pages):.1f} | {1000 * extract_seconds / len(pages):.1f} |")
    return lines


if __name__ == "__main__":
    print("\n".join(language_table()))
