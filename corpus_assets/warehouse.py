"""The DuckDB warehouse: SQL statements loaded by name from `sql/`, schema creation, transactions, Arrow loads.

Where a statement lives in `sql/`, by what it serves (its name is its path without `.sql`):

- `schema/NN_<table>.sql`: the tables, created in file order by `ensure_schema`;
- `schema/upgrades/<table>.<column>.sql`: brings a warehouse made by an earlier version up to date, applied by
  `ensure_schema` when `<table>` lacks `<column>` (which the upgrade adds);
- `gate/<statement>.sql`: write-audit-publish, shared by every stage (`{table}` is the stage's table);
- `<asset>/<statement>.sql`: one asset's own statements. Every gated stage has `audit.sql` (the staged columns its
  suite checks) and `preview.sql` (a few published rows for the UI); `pages_in.sql` reads its upstream's
  published rows of a date;
- `report/<statement>.sql`: what the command line prints (the funnel).

The warehouse is the DuckDB file of the config, or DuckLake (`warehouse_backend.kind: ducklake`): an in-memory
DuckDB that attaches the lake and makes it the default database, so `main.x`, `staging.x` and bare names resolve
to the lake's tables and every statement runs unchanged on both (`connect`).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from corpus_assets.config import WarehouseBackendConfig

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


# The lake's name in the connection; `USE lake` makes it the default, so no statement names it.
LAKE = "lake"

# DuckDB's extension repository may be out of reach, and its extensions are binaries for one DuckDB version: the
# `ducklake` extra installs them as PyPI packages (`duckdb-extension-<name>`) built for the locked DuckDB.
_EXTENSION_PACKAGES = {
    "ducklake": "duckdb_extension_ducklake",
    "postgres_scanner": "duckdb_extension_postgres_scanner",
    "httpfs": "duckdb_extension_httpfs",
}


class LakeUnavailable(RuntimeError):
    """DuckLake cannot be used here: an extension is missing or built for another DuckDB, or a secret is unset."""


def extension_file(name: str) -> Path:
    """The `.duckdb_extension` file that the PyPI package of extension `name` ships for this DuckDB version."""
    package = _EXTENSION_PACKAGES[name]
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise LakeUnavailable(f"the DuckDB extension {name!r} is not installed: install corpus_assets[ducklake] "
                              f"(the package {package.replace('_', '-')})")
    shipped = Path(spec.origin).parent / "extensions"
    path = shipped / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not path.is_file():
        versions = sorted(p.name for p in shipped.glob("v*")) if shipped.is_dir() else []
        raise LakeUnavailable(f"the package {package.replace('_', '-')} has no {name} extension for DuckDB "
                              f"{duckdb.__version__} (it ships {', '.join(versions) or 'none'})")
    return path


def _literal(value: str) -> str:
    """A SQL string literal: ATTACH, LOAD and CREATE SECRET take no `$parameters`."""
    return "'" + value.replace("'", "''") + "'"


def _s3_secret(backend: WarehouseBackendConfig) -> str:
    s3 = backend.s3
    credentials = {}
    for option, variable in (("KEY_ID", s3.key_id_env), ("SECRET", s3.secret_env)):
        if not os.environ.get(variable):
            raise LakeUnavailable(f"warehouse_backend.s3: the environment variable {variable} is not set "
                                  f"(it holds the {option.lower().replace('_', ' ')} for {backend.data_path})")
        credentials[option] = os.environ[variable]
    options = {**credentials, "REGION": s3.region, "URL_STYLE": s3.url_style, **(
        {"ENDPOINT": s3.endpoint} if s3.endpoint else {})}
    settings = ", ".join(f"{key} {_literal(value)}" for key, value in options.items())
    # Scoped to the data path: another S3 URL the pipeline reads (a WARC source) keeps its own credentials.
    return (f"CREATE OR REPLACE SECRET corpus_lake_s3 (TYPE s3, {settings}, USE_SSL {str(s3.use_ssl).lower()}, "
            f"SCOPE {_literal(backend.data_path)})")


def attach_lake(conn: duckdb.DuckDBPyConnection, backend: WarehouseBackendConfig, *, read_only: bool = False) -> None:
    """Load the extensions the lake needs, attach it as `lake` and make it the connection's default database."""
    needed = ["ducklake"]
    if backend.metadata.startswith("postgres:"):
        needed.append("postgres_scanner")
    if backend.data_path.startswith("s3://"):
        needed.append("httpfs")
    for name in needed:
        conn.execute(f"LOAD {_literal(str(extension_file(name)))}")
    if "httpfs" in needed:
        conn.execute(_s3_secret(backend))
    options = (f"DATA_PATH {_literal(backend.data_path)}, DATA_INLINING_ROW_LIMIT {backend.inline_row_limit}"
               + (", READ_ONLY" if read_only else ""))
    conn.execute(f"ATTACH {_literal('ducklake:' + backend.metadata)} AS {LAKE} ({options})")
    conn.execute(f"USE {LAKE}")


def connect(backend: WarehouseBackendConfig, database: Path, *, read_only: bool = False,
            config: dict[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse: the DuckDB file `database`, or the lake of `backend` (then `database` only
    places the folder DuckDB spills to, `<database>.tmp`, as it does beside the file)."""
    config = dict(config or {})
    if not backend.is_lake:
        return duckdb.connect(str(database), read_only=read_only, config=config)
    config.setdefault("temp_directory", f"{database}.tmp")
    conn = duckdb.connect(":memory:", config=config)
    try:
        attach_lake(conn, backend, read_only=read_only)
    except BaseException:
        conn.close()
        raise
    return conn


def lake_unusable(backend: WarehouseBackendConfig, database: Path) -> str | None:
    """Why the lake cannot be attached (an extension missing, a secret unset, the catalog or storage out of
    reach), seen before any work starts; None when it attaches. The first attach creates the catalog."""
    try:
        connect(backend, database).close()
    except (LakeUnavailable, duckdb.Error) as error:
        return str(error).strip().splitlines()[0]
    return None


def cursor(conn: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A second connection to the same database, with the same default database: DuckDB's `cursor()` shares the
    attached databases but starts in the in-memory one, where a lake's tables are not found by `main.x`."""
    (database,) = conn.execute("SELECT current_database()").fetchone()
    reader = conn.cursor()
    reader.execute(f"USE {_literal_identifier(database)}")
    return reader


def _literal_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def ensure_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create every table of `sql/schema/` that does not exist yet (idempotent, in file order), then apply the
    upgrades a warehouse made by an earlier version needs (each in one transaction)."""
    for path in sorted((SQL_DIR / "schema").glob("*.sql")):
        conn.execute(path.read_text(encoding="utf-8"))
    for path in sorted((SQL_DIR / "schema" / "upgrades").glob("*.sql")):
        table, column = path.stem.split(".")
        present = conn.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_catalog = current_database() "
            "AND table_schema = 'main' AND table_name = ? AND column_name = ?", [table, column]
        ).fetchone()[0]
        if not present:
            with transaction(conn):
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


def records(result: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The rows of a statement's result (`execute`'s return) as dicts keyed by column name."""
    columns = [column[0] for column in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
