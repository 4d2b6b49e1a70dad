"""The DuckDB warehouse: SQL statements loaded by name from `sql/`, schema creation, transactions, Arrow loads.

Where a statement lives in `sql/`, by what it serves (its name is its path without `.sql`):

- `schema/NN_<table>.sql`: the tables, created in file order by `ensure_schema`;
- `gate/<statement>.sql`: write-audit-publish, shared by every stage (`{table}` is the stage's table);
- `<asset>/<statement>.sql`: one asset's own statements. Every gated stage has `audit.sql` (the staged columns its
  suite checks) and `preview.sql` (a few published rows for the UI); `pages_in.sql` reads its upstream's
  published rows of a date;
- `report/<statement>.sql`: what the command line prints (the funnel).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

SQL_DIR = Path(__file__).resolve().parents[1] / "sql"
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$")


@functools.cache
def _sql_text(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def sql(name: str, **identifiers: str) -> str:
    """The statement in `sql/<name>.sql` (e.g. `gate/publish_partition`) with `{placeholders}` filled by table names (identifiers only:
    values always travel as `$parameters`)."""
    for value in identifiers.values():
        if not _IDENTIFIER.match(value):
            raise ValueError(f"{value!r} is not a table name")
    return _sql_text(name).format(**identifiers)


# A DuckDB database file carries this at byte 8 of its header.
_DUCKDB_MAGIC = (8, b"DUCK")


def unusable(path: Path) -> str | None:
    """Why the warehouse file cannot be written, seen before any work starts (a directory, a folder that cannot be
    written, a file that is no DuckDB database or that DuckDB cannot open); None when it looks usable. Another run
    holding the file is no problem."""
    if path.is_dir():
        return "is a directory, not a DuckDB file"
    folder = next((p for p in [path.parent, *path.parent.parents] if p.exists()), None)
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            return "cannot be read and written by this user"
        with open(path, "rb") as stream:
            header = stream.read(_DUCKDB_MAGIC[0] + len(_DUCKDB_MAGIC[1]))
        if header and header[_DUCKDB_MAGIC[0]:] != _DUCKDB_MAGIC[1]:
            return "is not a DuckDB database file (its header is not DuckDB's)"
        if header:
            return _open_problem(path)
    elif folder is None or not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot be created: {folder} is not writable"
    return None


def _open_problem(path: Path) -> str | None:
    """Why DuckDB cannot open the file (cut short, a corrupt block in its header or catalog); None when it can, or
    when another process holds it (a run under way: its lock says nothing about the file). The runs would find out
    too, but only after the Dagster resource's retries: minutes per step."""
    try:
        duckdb.connect(str(path), read_only=True).close()
    except duckdb.Error as error:
        message = str(error).splitlines()[0]
        return None if "lock" in message.lower() else f"cannot be opened by DuckDB: {message}"
    return None


def ensure_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create every table of `sql/schema/` that does not exist yet (idempotent, in file order)."""
    for path in sorted((SQL_DIR / "schema").glob("*.sql")):
        conn.execute(path.read_text(encoding="utf-8"))


@contextmanager
def transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All statements inside commit together or not at all (a crash before COMMIT leaves nothing behind)."""
    conn.execute("BEGIN TRANSACTION")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def append_arrow(conn: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    """Append Arrow rows to `table`, matching columns by name."""
    if rows.num_rows == 0:
        return
    if not _IDENTIFIER.match(table):
        raise ValueError(f"{table!r} is not a table name")
    conn.register("_arrow_batch", rows)
    try:
        conn.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _arrow_batch")
    finally:
        conn.unregister("_arrow_batch")


_PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")
_STATEMENT_END = re.compile(r";[ \t]*(?:\n|$)")


def _statements(text: str) -> list[str]:
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    # A statement ends with a semicolon at the end of a line, so a semicolon inside a string literal is safe.
    return [statement.strip() for statement in _STATEMENT_END.split(body) if statement.strip()]


def execute(
    conn: duckdb.DuckDBPyConnection, name: str, parameters: dict | None = None, **identifiers: str
) -> duckdb.DuckDBPyConnection:
    """Run every statement of `sql/<name>.sql`, each given the `$parameters` it names; returns the connection
    holding the last statement's result."""
    parameters = parameters or {}
    for statement in _statements(sql(name, **identifiers)):
        used = {key: parameters[key] for key in _PARAMETER.findall(statement)}
        conn.execute(statement, used or None)
    return conn
