"""Reading a first-party document source: each file's rows as `licensed_documents` rows, in Arrow batches of bounded
size. A row without a required field stops the read with an error naming the file, the line and the field: a
licensed source is a contract, and a silently skipped row is a document the corpus says it has and has not."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpus_assets.crawl.urls import page_id_for
from corpus_assets.documents.config import DocumentSource
from corpus_assets.extract.language import identify_language

LICENSED_DOCUMENTS_SCHEMA = pa.schema(
    [
        ("page_id", pa.string()),
        ("crawl_date", pa.date32()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("language", pa.string()),
        ("language_score", pa.float64()),
        ("word_count", pa.int32()),
        ("document_id", pa.string()),
        ("licence", pa.string()),
        ("origin", pa.string()),
        ("source_file", pa.string()),
        ("row_number", pa.int64()),
    ]
)
BATCH_ROWS = 500
_NOT_IN_A_URN = re.compile(r"[^A-Za-z0-9._~-]+")


class DocumentSourceError(ValueError):
    """A document file that cannot be read as its source says, naming the file, the line and what is wrong."""


def _open_text(path: str) -> io.TextIOBase:
    return gzip.open(path, "rt", encoding="utf-8") if path.endswith(".gz") else open(path, encoding="utf-8")


def _jsonl_rows(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    with _open_text(path) as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise DocumentSourceError(f"{path}, line {number}: not JSON ({error.msg})") from None
            if not isinstance(row, dict):
                raise DocumentSourceError(f"{path}, line {number}: a JSON object is expected, not {type(row).__name__}")
            yield number, row


def _csv_rows(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    with _open_text(path) as text:
        reader = csv.DictReader(text)
        for row in reader:
            yield reader.line_num, row  # the line the row ends on: a quoted text may span several


def _parquet_rows(path: str, fields: list[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    file = pq.ParquetFile(path)
    missing = [name for name in fields if name not in file.schema_arrow.names]
    if missing:
        raise DocumentSourceError(f"{path}: no column {', '.join(repr(m) for m in missing)} "
                                  f"(columns: {', '.join(file.schema_arrow.names)})")
    number = 0
    for batch in file.iter_batches(batch_size=BATCH_ROWS, columns=fields):
        for row in batch.to_pylist():
            number += 1
            yield number, row


def _rows(source: DocumentSource, path: str, kind: str) -> Iterator[tuple[int, dict[str, Any]]]:
    if kind == "jsonl":
        return _jsonl_rows(path)
    if kind == "csv":
        return _csv_rows(path)
    fields = [f for f in (source.id_field, source.text_field, source.title_field, source.url_field) if f]
    return _parquet_rows(path, fields)


def _required(row: dict[str, Any], field: str, path: str, number: int, where: str) -> Any:
    value = row.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        problem = "has no" if field not in row else "has an empty"
        raise DocumentSourceError(f"{path}, {where} {number}: the document {problem} {field!r} field")
    return value


def document_url(source: DocumentSource, document_id: str) -> str:
    """A document's name where it has no URL of its own: urn:document:<origin>:<id>."""
    return f"urn:document:{_NOT_IN_A_URN.sub('-', source.origin).strip('-')}:{document_id}"


def iter_document_batches(source: DocumentSource, path: str, crawl_date: dt.date,
                          batch_rows: int = BATCH_ROWS) -> Iterator[pa.Table]:
    """The documents of one file of `source` as `licensed_documents` rows of `crawl_date`, at most `batch_rows`
    at a time. Raises `DocumentSourceError` at the first row without an id or a text (or a file that is not what
    its format says)."""
    kind = source.format_of(path)
    where = "row" if kind == "parquet" else "line"
    absolute = str(Path(path).resolve())
    rows: list[dict[str, Any]] = []
    try:
        for number, row in _rows(source, path, kind):
            document_id = str(_required(row, source.id_field, path, number, where))
            text = _required(row, source.text_field, path, number, where)
            if not isinstance(text, str):
                raise DocumentSourceError(f"{path}, {where} {number}: {source.text_field!r} is not text")
            url = (source.url_field and str(row.get(source.url_field) or "")) or document_url(source, document_id)
            guess = identify_language(text)
            rows.append({
                "page_id": page_id_for(crawl_date.isoformat(), url),
                "crawl_date": crawl_date,
                "url": url,
                "title": str(row.get(source.title_field) or "") or None if source.title_field else None,
                "text": text,
                "language": guess.language,
                "language_score": guess.score,
                "word_count": len(text.split()),
                "document_id": document_id,
                "licence": source.licence,
                "origin": source.origin,
                "source_file": absolute,
                "row_number": number,
            })
            if len(rows) >= batch_rows:
                yield pa.Table.from_pylist(rows, schema=LICENSED_DOCUMENTS_SCHEMA)
                rows = []
    except (OSError, EOFError, UnicodeDecodeError, csv.Error, pa.ArrowException) as error:
        raise DocumentSourceError(f"{path}: cannot be read as {kind} ({error})") from None
    if rows:
        yield pa.Table.from_pylist(rows, schema=LICENSED_DOCUMENTS_SCHEMA)
