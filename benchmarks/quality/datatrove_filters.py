"""datatrove's four FineWeb quality filters over the quality test set, each filter on its own: the reference
`make benchmark-quality` compares with.

Run by the python of datatrove's own environment (never the project's: datatrove's code is no project dependency),
so it imports only datatrove and the standard library:

    <datatrove-venv>/bin/python benchmarks/quality/datatrove_filters.py PAGES.jsonl OUT.json

Each line of PAGES.jsonl is {"id", "text", "language"}, `language` being the name datatrove's filters take
("eng_Latn", "cmn_Hani"...). The filters are FineWeb's (`examples/fineweb.py`): GopherRepetitionFilter(),
GopherQualityFilter(), C4QualityFilter(filter_no_terminal_punct=False), FineWebQualityFilter(), made once per
language with `language=`. Gopher repetition, Gopher quality and C4 judge the page's text; FineWeb judges the text
C4 keeps, and only pages C4 keeps (C4 does not finish a page it drops). OUT.json maps each id to
{filter: null (kept) or the reason datatrove gives}, FineWeb's absent where C4 dropped the page, and "seconds": the
CPU time of the filters.
"""

from __future__ import annotations

import json
import sys
import time
from functools import cache

from datatrove.data import Document
from datatrove.pipeline.filters import (
    C4QualityFilter,
    FineWebQualityFilter,
    GopherQualityFilter,
    GopherRepetitionFilter,
)


@cache
def filters(language: str) -> dict:
    return {
        "gopher_repetition": GopherRepetitionFilter(language=language),
        "gopher_quality": GopherQualityFilter(language=language),
        "c4": C4QualityFilter(filter_no_terminal_punct=False, language=language),
        "fineweb": FineWebQualityFilter(language=language),
    }


def reason(result) -> str | None:
    """None for a kept page; datatrove's reason (or "dropped") for a dropped one."""
    if result is True:
        return None
    if isinstance(result, tuple):
        return result[1] if not result[0] else None
    return None if result else "dropped"


def main() -> int:
    pages_file, out_file = sys.argv[1:3]
    verdicts: dict[str, dict] = {}
    started = time.process_time()
    with open(pages_file, encoding="utf-8") as lines:
        for line in lines:
            page = json.loads(line)
            chosen = filters(page["language"])
            verdict = {}
            for name in ("gopher_repetition", "gopher_quality"):
                verdict[name] = reason(chosen[name].filter(Document(text=page["text"], id=page["id"])))
            document = Document(text=page["text"], id=page["id"])
            verdict["c4"] = reason(chosen["c4"].filter(document))  # leaves the kept lines in document.text
            if verdict["c4"] is None:
                verdict["fineweb"] = reason(chosen["fineweb"].filter(document))
            verdicts[page["id"]] = verdict
    with open(out_file, "w", encoding="utf-8") as out:
        json.dump({"seconds": time.process_time() - started, "verdicts": verdicts}, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
