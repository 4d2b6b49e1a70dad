"""The quality filters beside datatrove's, filter by filter, on the same extracted texts; and their speed.

    make benchmark-quality      (uv run --frozen python -m benchmarks.quality [--limit N])

The texts are the quality test set (`benchmarks/quality/testset.py`: the AEB pages of ../shared/data and Debian's
documentation packages in 27 languages, extracted by the pipeline; built once into the cache). datatrove 0.10.1
runs in its own environment (`~/.cache/corpus_assets_bench/datatrove-venv`, the one `make benchmark-pipeline`
uses, created with uv on first use; never a project dependency), with FineWeb's filters and settings
(`benchmarks/quality/datatrove_filters.py`); it takes about 20 CPU minutes a run, so its verdicts are kept in the
cache and read again while the test set, datatrove and that script stay the same (`--fresh-datatrove`: run it).

Two runs, each with both tools set the same way:
- `en`: every page split with the English tokenizer, as FineWeb (English only) ran datatrove
  (`quality.tokenizer_language: en`);
- `page`: every page split with its own language's tokenizer, as FineWeb-2 runs datatrove with `language=` per
  language (`quality.tokenizer_language: page`, the default). Pages whose language datatrove has no tokenizer for
  are left out of this run's comparison.

Each filter is judged on its own: Gopher repetition, Gopher quality and C4 on the page's text, FineWeb on what C4
keeps, over the pages both tools' C4 keep. Then the disagreements by rule (ours) and reason (datatrove's), with a
page of each, and the speed: CPU pages/s of the four filters in each tool, and of the whole quality stage
(`benchmarks/quality/stage_speed.py`, which also measures another checkout on the same pages).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from benchmarks.pipeline.__main__ import DATATROVE_SPEC, datatrove_python
from benchmarks.pipeline.corpus import CACHE
from benchmarks.quality.testset import VERSION, TestPage, load_testset
from corpus_assets.quality import QualityConfig, assess, failing_rules
from corpus_assets.quality.tokenizer_assignment import tokenizer_assignment

FILTERS = ("gopher_repetition", "gopher_quality", "c4", "fineweb")
SCRIPT = Path(__file__).resolve().parent / "datatrove_filters.py"
STAGE_SPEED = Path(__file__).resolve().parent / "stage_speed.py"
MODES = {"en": "English tokenizer for every page (FineWeb)", "page": "each page's language (FineWeb-2)"}


def our_verdicts(pages: list[TestPage], config: QualityConfig) -> tuple[dict[str, dict], float]:
    """{page id: {filter: None or the first rule of that filter the page fails}} and the CPU seconds it took."""
    verdicts = {}
    started = time.process_time()
    for page in pages:
        result = assess(page.text, config, page.language)
        failing: dict[str, str | None] = dict.fromkeys(FILTERS)
        for verdict in failing_rules(result.signals, config):
            failing[verdict.filter] = failing[verdict.filter] or verdict.rule
        verdicts[page.id] = failing
    return verdicts, time.process_time() - started


class DatatroveRun:
    """datatrove's filters over the pages it has a tokenizer for in `mode`, started in its own process at once so
    that it runs while corpus_assets does its part. Its verdicts are kept in the cache (they depend on the test
    set, datatrove's version and the script, all in the file's name): a later run reads them, unless `fresh`."""

    def __init__(self, pages: list[TestPage], mode: str, folder: Path, fresh: bool) -> None:
        self.left_out = 0
        script = hashlib.sha256(SCRIPT.read_bytes() + DATATROVE_SPEC.encode()).hexdigest()[:12]
        self._kept = CACHE / f"quality-datatrove-v{VERSION}-{len(pages)}-{mode}-{script}.json"
        pages_file, self._out_file = folder / f"pages-{mode}.jsonl", folder / f"verdicts-{mode}.json"
        with pages_file.open("w", encoding="utf-8") as out:
            for page in pages:
                language = "eng_Latn" if mode == "en" else tokenizer_assignment(page.language).datatrove_language
                if language is None:
                    self.left_out += 1
                    continue
                out.write(json.dumps({"id": page.id, "text": page.text, "language": language}) + "\n")
        self._process = None
        if fresh or not self._kept.exists():
            self._process = subprocess.Popen(
                [str(datatrove_python()), str(SCRIPT), str(pages_file), str(self._out_file)], stderr=subprocess.DEVNULL)

    def verdicts(self) -> tuple[dict[str, dict], float]:
        """{page id: {filter: None or datatrove's reason}} and datatrove's CPU seconds, once it has finished."""
        if self._process is None:
            result = json.loads(self._kept.read_text())
        else:
            if self._process.wait() != 0:
                raise RuntimeError(f"datatrove's filters failed (exit {self._process.returncode}); run {SCRIPT}")
            result = json.loads(self._out_file.read_text())
            self._kept.write_text(json.dumps(result))
        return result["verdicts"], result["seconds"]


def agreement_rows(ours: dict[str, dict], theirs: dict[str, dict]) -> tuple[list[str], dict]:
    """Markdown rows of the per-filter agreement, and the disagreements: (filter, side, rule) -> page ids."""
    rows, disagreements = [], defaultdict(list)
    for name in FILTERS:
        compared = [key for key in theirs if name in theirs[key] and (name != "fineweb" or ours[key]["c4"] is None)]
        both = extra_here = extra_there = 0
        for key in compared:
            mine, reference = ours[key][name], theirs[key][name]
            both += mine is not None and reference is not None
            if mine is not None and reference is None:
                extra_here += 1
                disagreements[name, "here", mine].append(key)
            elif mine is None and reference is not None:
                extra_there += 1
                disagreements[name, "datatrove", reference].append(key)
        agree = 1 - (extra_here + extra_there) / len(compared) if compared else 1.0
        rows.append(f"| {name} | {len(compared)} | {agree:.2%} | {both} | {extra_here} | {extra_there} |")
    return rows, disagreements


def print_comparison(mode: str, pages: list[TestPage], ours: dict[str, dict], theirs: dict[str, dict],
                     left_out: int) -> None:
    """The agreement table of one run and its disagreements by rule or reason."""
    rows, disagreements = agreement_rows(ours, theirs)
    note = f" ({left_out} pages datatrove has no tokenizer for)" if left_out else ""
    print(f"## {mode}: {MODES[mode]}{note}\n")
    print("| filter | pages | agreement | both drop | extra drops here | extra drops in datatrove |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(rows) + "\n")
    if not disagreements:
        return
    print("| filter | dropped only by | rule or reason | pages | languages | e.g. |")
    print("| --- | --- | --- | ---: | --- | --- |")
    by_id = {page.id: page for page in pages}
    for (name, side, rule), keys in sorted(disagreements.items(), key=lambda item: -len(item[1])):
        languages = Counter(by_id[key].language for key in keys)
        print(f"| {name} | {side} | {rule} | {len(keys)} | "
              f"{', '.join(f'{language} {n}' for language, n in languages.most_common(4))} | {keys[0]} |")
    print()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="the first N pages of the test set only")
    parser.add_argument("--modes", default="en,page", help="which runs: en, page or both (default)")
    parser.add_argument("--fresh-datatrove", action="store_true",
                        help="run datatrove again even if its verdicts on these pages are in the cache")
    args = parser.parse_args(argv)
    pages = load_testset()[: args.limit]
    languages = Counter(page.language for page in pages)
    print(f"{len(pages)} pages, {len(languages)} languages: "
          + ", ".join(f"{language} {count}" for language, count in languages.most_common()) + "\n")

    speed_rows = []
    modes = args.modes.split(",")
    with tempfile.TemporaryDirectory() as folder:
        runs = {mode: DatatroveRun(pages, mode, Path(folder), args.fresh_datatrove) for mode in modes}
        ours = {mode: our_verdicts(pages, QualityConfig(tokenizer_language=mode)) for mode in modes}
        for mode in modes:
            (verdicts, our_seconds), run = ours[mode], runs[mode]
            theirs, their_seconds = run.verdicts()
            print_comparison(mode, pages, verdicts, theirs, run.left_out)
            our_speed, their_speed = len(pages) / our_seconds, len(theirs) / their_seconds
            speed_rows.append(f"| four filters, {mode} | {our_speed:,.0f} | {their_speed:,.0f} | "
                              f"{our_speed / their_speed:.2f} |")
        print("| CPU speed, pages/s | corpus_assets | datatrove | ratio |\n| --- | ---: | ---: | ---: |")
        print("\n".join(speed_rows) + "\n", flush=True)
        # The stage's speed in a process of its own: this one's tokenizers have met every page already, and would
        # make the stage look faster than it is for a process that meets them for the first time.
        speed_pages = Path(folder) / "pages.jsonl.gz"
        with gzip.open(speed_pages, "wt", encoding="utf-8") as out:
            out.writelines(json.dumps({"id": page.id, "text": page.text, "language": page.language}) + "\n"
                           for page in pages)
        subprocess.run([sys.executable, str(STAGE_SPEED), str(speed_pages)], check=True)


if __name__ == "__main__":
    main()
