"""`make run`, `make release` and `make ui`: validate the config, materialize every stage for one crawl date and
print the funnel; write the published corpus as a release; record a takedown request; or open the Dagster UI over
the config's own run history.

    python -m corpus_assets.cli run [--date YYYY-MM-DD] [--recrawl]
    python -m corpus_assets.cli release     (the published corpus as a versioned dataset: corpus_release)
    python -m corpus_assets.cli forget --url URL | --domain DOMAIN --reason TEXT [--requested-by TEXT]
    python -m corpus_assets.cli funnel [--date YYYY-MM-DD]
    python -m corpus_assets.cli ui [--port 3000]
    python -m corpus_assets.cli home        (prints the config's Dagster home, for the dagster CLI)
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

import duckdb

from corpus_assets import warehouse
from corpus_assets.config import ConfigError, CorpusConfig, config_path_from_env, load_config
from corpus_assets.dagster_home import resolve_home
from corpus_assets.processes import process_alive

WORKSPACE = Path(__file__).resolve().parents[1] / "workspace.yaml"
LAUNCHED_BY_TAG = "corpus/launched_by"
HOST_TAG = "corpus/host"
PID_TAG = "corpus/pid"
# After SIGTERM or SIGINT the run has this long to unwind through Dagster (failed step, failed run, closed
# warehouse connection); code that holds on to the signal longer (a C extension, a library that swallows the
# interrupt) is cut short: a second signal does so at once.
STOP_GRACE_SECONDS = 10.0


def yesterday_utc() -> dt.date:
    return dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)


def format_funnel(rows: list[tuple], columns: list[str]) -> str:
    """A plain-text table of the funnel rows."""
    cells = [columns, *[[str(value) for value in row] for row in rows]]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    lines = ["  ".join(value.ljust(width) for value, width in zip(line, widths, strict=True)) for line in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _warehouse_name(config: CorpusConfig) -> str:
    backend = config.warehouse_backend
    return f"DuckLake {backend.metadata} + {backend.data_path}" if backend.is_lake else str(config.warehouse)


def print_funnel(config: CorpusConfig, crawl_date: dt.date) -> None:
    database = _warehouse_name(config)
    try:
        with warehouse.connect(config.warehouse_backend, config.warehouse, read_only=True) as conn:
            result = warehouse.execute(conn, "report/funnel", {"first_date": crawl_date, "last_date": crawl_date})
            columns = [d[0] for d in result.description]
            rows = result.fetchall()
    except (duckdb.Error, warehouse.LakeUnavailable) as error:
        print(f"\nNo funnel for crawl date {crawl_date}: the warehouse {database} cannot be read: {error}",
              file=sys.stderr)
        return
    print(f"\nFunnel for crawl date {crawl_date} ({database}):\n")
    print(format_funnel(rows, columns))


def _innermost(error: BaseException) -> str:
    """The innermost cause of an exception, in one line."""
    while error.__cause__ or error.__context__:
        error = error.__cause__ or error.__context__
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"


def _root_cause(error) -> str:
    """The innermost error of a step failure, in one line: Dagster's own message ('Error occurred while executing
    op X') says where, not why."""
    while error.cause is not None or error.context is not None:
        error = error.cause or error.context
    first_line = (error.message or "").strip().splitlines()[0] if (error.message or "").strip() else ""
    return first_line if (error.cls_name or "") in first_line.split(":")[0] else f"{error.cls_name}: {first_line}"


def _failure_messages(result) -> list[str]:
    messages = []
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            error = event.step_failure_data.user_failure_data or None
            text = error.description if error and error.description else _root_cause(event.step_failure_data.error)
            messages.append(f"{event.step_key}: {text.strip()}")
    return messages


def unfinished_cli_runs(instance, statuses: list, tags: dict[str, str] | None = None) -> list:
    """The runs this command started on this machine (and with `tags`) that are in one of `statuses`."""
    import dagster as dg

    records = instance.get_run_records(dg.RunsFilter(
        statuses=statuses, tags={LAUNCHED_BY_TAG: "cli", HOST_TAG: socket.gethostname(), **(tags or {})}))
    return [record.dagster_run for record in records]


def fail_abandoned_runs(instance) -> list[str]:
    """Mark failed the runs this command started on this machine whose process is gone (killed, machine
    rebooted), and give back the warehouse pool slot they held: otherwise every later run would wait for it
    forever. Runs launched by the daemon are left to Dagster's run monitoring."""
    import dagster as dg

    abandoned = []
    for run in unfinished_cli_runs(instance, [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING]):
        if process_alive(int(run.tags.get(PID_TAG, "0"))):
            continue
        instance.report_run_failed(run, message=f"its process {run.tags.get(PID_TAG)} is gone; marked failed by "
                                                "the next corpus_assets run")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        abandoned.append(run.run_id)
    return abandoned


def open_instance(config: CorpusConfig):
    """The Dagster instance of the config's home (`dagster_home.resolve_home`).

    The first process to use a fresh home creates its SQLite storages; a second one starting at the same moment
    raced it on the schema ("table already exists"). Creation is serialized by a lock file in the home.
    """
    import dagster as dg

    from corpus_assets.assets.factory import WAREHOUSE_POOL

    home = resolve_home(config)
    home.mkdir(parents=True, exist_ok=True)
    with open(home / ".corpus_assets-storage.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        instance = dg.DagsterInstance.get()
        instance.get_runs(limit=1)
        instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL)
    return instance


def stopped_message(signum: int, crawl_date: dt.date) -> str:
    return (f"Stopped by {signal.Signals(signum).name}: nothing of this run was published past its last finished "
            f"step; `make run DATE={crawl_date}` resumes the date (it redoes what was not published).")


class StopWatch:
    """Sees SIGTERM and SIGINT whatever handler is installed, and makes sure they stop the run.

    `execute_in_process` replaces both handlers by Dagster's, which only raise inside a step's own code (or set a
    flag checked when the next step starts); a signal that lands in a long DuckDB statement, in a C extension or
    in code that catches the interrupt as an ordinary error is held or lost there, and `make run` went on. The C
    level signal handler also writes the signal number to the wakeup fd: a thread reading it learns of every
    signal, lets Dagster unwind for `STOP_GRACE_SECONDS`, and then (or at a second signal) marks the run canceled
    and ends the process. Ending it is safe for the warehouse: a publish commits in one DuckDB transaction, an
    uncommitted one is rolled back by the WAL, and the file lock goes with the process.
    """

    def __init__(self, instance, crawl_date: dt.date):
        self.instance = instance
        self.crawl_date = crawl_date
        self.signum: int | None = None
        self.done = threading.Event()
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)
        self._previous_fd = signal.set_wakeup_fd(self._write, warn_on_full_buffer=False)
        # Before Dagster installs its handlers (and after it restores them) a signal is a KeyboardInterrupt;
        # SIGTERM's default would kill the process without a word.
        self._previous_handlers = {sig: signal.signal(sig, signal.default_int_handler)
                                   for sig in (signal.SIGINT, signal.SIGTERM)}
        threading.Thread(target=self._watch, name="corpus-stop-watch", daemon=True).start()

    def exit_code(self) -> int:
        return 128 + (self.signum or signal.SIGINT)

    def _watch(self) -> None:
        while True:
            try:
                data = os.read(self._read, 64)
            except OSError:
                return
            if not data:
                return
            signals = [n for n in data if n in (signal.SIGINT, signal.SIGTERM)]
            if not signals:
                continue
            if self.signum is not None:
                self._force()  # a second signal: stop now
            self.signum = signals[0]
            threading.Thread(target=self._deadline, name="corpus-stop-deadline", daemon=True).start()

    def _deadline(self) -> None:
        if not self.done.wait(STOP_GRACE_SECONDS):
            self._force()

    def _force(self) -> None:
        if self.done.is_set():
            return
        try:
            cancel_own_runs(self.instance, f"stopped by {signal.Signals(self.signum).name}")
        finally:
            print(f"\n{stopped_message(self.signum, self.crawl_date)}", file=sys.stderr, flush=True)
            os._exit(self.exit_code())

    def close(self) -> None:
        """The run is over (a signal from now on is the default KeyboardInterrupt, or SIGTERM's exit)."""
        self.done.set()
        signal.set_wakeup_fd(self._previous_fd)
        for sig, handler in self._previous_handlers.items():
            signal.signal(sig, handler)
        os.close(self._write)


def cancel_own_runs(instance, message: str) -> None:
    """Mark canceled the runs of this process that are not finished, and give back their warehouse slot."""
    import dagster as dg

    statuses = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.CANCELING]
    for run in unfinished_cli_runs(instance, statuses, {PID_TAG: str(os.getpid())}):
        instance.report_run_canceled(run, message=message)
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)


# Dagster's console logger prints a stack trace with every failed step; the command line reports failures itself,
# in one line each, and the full events stay in the run's log (`make ui`).
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


def _cli_tags() -> dict[str, str]:
    return {LAUNCHED_BY_TAG: "cli", HOST_TAG: socket.gethostname(), PID_TAG: str(os.getpid())}


def _cli_instance(config: CorpusConfig):
    """The config's Dagster instance, with the runs of killed earlier commands marked failed."""
    try:
        instance = open_instance(config)
    except Exception as error:  # a full disk, a read-only home: one line, not alembic's traceback
        raise ConfigError(f"the Dagster run history ({os.environ.get('DAGSTER_HOME') or 'DAGSTER_HOME'}) cannot be "
                          f"opened: {_innermost(error)}") from None
    for run_id in fail_abandoned_runs(instance):
        print(f"Run {run_id} was killed before it finished: marked failed, its warehouse slot released. "
              "Nothing it staged was published.", flush=True)
    return instance


def _report_failures(result) -> None:
    print("\nThe run failed:", file=sys.stderr)
    for message in _failure_messages(result):
        print(f"  {message}", file=sys.stderr)


def release(config: CorpusConfig) -> int:
    """`make release`: materialize `corpus_release` and say where the release is and what it holds."""
    from corpus_assets.definitions import defs
    from corpus_assets.schedules import RELEASE_JOB

    instance = _cli_instance(config)
    print(f"Releasing the published corpus with {config_path_from_env()} ...", flush=True)
    result = defs.resolve_job_def(RELEASE_JOB).execute_in_process(
        instance=instance, raise_on_error=False, run_config=QUIET, tags=_cli_tags())
    if not result.success:
        _report_failures(result)
        return 1
    (event,) = result.get_asset_materialization_events()
    metadata = {key: value.value for key, value in event.step_materialization_data.materialization.metadata.items()}
    fate = "written" if metadata["created"] else "unchanged: the same documents were released under this tag before"
    print(f"\nRelease {metadata['version']} ({fate})\n"
          f"  path:      {metadata['path']}\n"
          f"  documents: {metadata['dagster/row_count']:,} in {metadata['shards']} Parquet shards\n"
          f"  size:      {metadata['bytes']:,} bytes\n"
          f"  card:      {metadata['card_path']}", flush=True)
    return 0


def forget(config: CorpusConfig, *, url: str | None, domain: str | None, reason: str, requested_by: str | None) -> int:
    """Record a takedown request and say what it covers now."""
    from corpus_assets.takedowns import TakedownError, takedown_target

    try:
        scope, target = takedown_target(url=url, domain=domain, tracking=config.crawl.tracking_parameters)
    except TakedownError as error:
        raise ConfigError(str(error)) from None
    if not reason.strip():
        raise ConfigError("--reason must say why the pages are removed (it is kept with the request)")
    try:
        with warehouse.connect(config.warehouse_backend, config.warehouse) as conn:
            warehouse.ensure_schema(conn)
            with warehouse.transaction(conn):
                takedown_id, requested_at = warehouse.execute(conn, "takedowns/record", {
                    "scope": scope, "target": target, "reason": reason.strip(),
                    "requested_by": requested_by}).fetchone()
            warehouse.execute(conn, "takedowns/matches", {"first_date": dt.date.min, "last_date": dt.date.max},
                              pages="main.final_set")
            covered = next(row["pages_withheld"] for row in warehouse.records(warehouse.execute(
                conn, "takedowns/summary")) if row["takedown_id"] == takedown_id)
    except (duckdb.Error, warehouse.LakeUnavailable) as error:
        raise ConfigError(f"the warehouse {_warehouse_name(config)} cannot record the request now (a run may "
                          f"hold it; try again when it ends): {_innermost(error)}") from None
    print(f"Takedown {takedown_id} recorded at {requested_at.isoformat(timespec='seconds')}: {scope} {target}.\n"
          f"It covers {covered:,} documents of the published final_set. Every stage withholds what it covers from "
          "now on (drop reason `takedown`, on every run, re-run and backfill); the next release (`make release`) "
          "leaves them out and counts them on its card. Published dates keep them until they run again "
          "(`make run DATE=...`).", flush=True)
    return 0


def run(config: CorpusConfig, crawl_date: dt.date, *, recrawl: bool = False) -> int:
    # Dagster and the stages load in seconds: only a run needs them, not `funnel` or a config error.
    from corpus_assets.assets.crawl_archive import RECRAWL_TAG
    from corpus_assets.definitions import defs

    instance = _cli_instance(config)
    print(f"Materializing every stage for crawl date {crawl_date} with {config_path_from_env()} ...", flush=True)
    job = defs.resolve_job_def("corpus_daily")
    watch = StopWatch(instance, crawl_date)
    try:
        result = job.execute_in_process(
            partition_key=crawl_date.isoformat(), instance=instance, raise_on_error=False, run_config=QUIET,
            tags={**_cli_tags(), **({RECRAWL_TAG: "true"} if recrawl else {})},
        )
    except KeyboardInterrupt:  # a signal before Dagster's handlers were in place or after they were gone
        result = None
        for _ in range(100):  # the watching thread reads the signal's number a moment after the handler ran
            if watch.signum is not None:
                break
            time.sleep(0.01)
        watch.signum = watch.signum or signal.SIGINT
    watch.close()
    if watch.signum is not None:
        # Dagster marked the run failed (or never started it); whatever a step made of the interrupt (a failed
        # step, "Query interrupted" from DuckDB), the run was stopped: say so once, with the signal's exit code.
        cancel_own_runs(instance, f"stopped by {signal.Signals(watch.signum).name}")
        print(f"\n{stopped_message(watch.signum, crawl_date)}", file=sys.stderr, flush=True)
        return watch.exit_code()
    for event in result.all_events:
        if event.event_type_value == "STEP_SUCCESS":
            print(f"  {event.step_key}: done", flush=True)
    if not result.success:
        _report_failures(result)
    if config.warehouse_backend.is_lake or config.warehouse.exists():
        print_funnel(config, crawl_date)
    return 0 if result.success else 1


def _published_benchmark_index(config: CorpusConfig) -> tuple | None:
    """The warehouse's record of its published benchmark index (fingerprint, published_at, intact, ...), or None
    when there is none to read: no warehouse yet, an older one without the table, or a run holding it."""
    if not config.warehouse_backend.is_lake and not config.warehouse.is_file():
        return None
    try:
        with warehouse.connect(config.warehouse_backend, config.warehouse, read_only=True) as conn:
            return warehouse.execute(conn, "eval_benchmarks/published_index").fetchone()
    except (duckdb.Error, warehouse.LakeUnavailable):
        return None


def check_benchmark_files(config: CorpusConfig) -> None:
    """Read every benchmark file now: a broken line would otherwise be reported by `eval_benchmarks` only once
    the crawl and the stages before decontamination had run (about a second for every shared benchmark).

    Files whose fingerprint is that of the published index were read, audited and published as they are:
    hashing them (milliseconds) is check enough, and `eval_benchmarks` will reuse the index.
    """
    from corpus_assets.decontam import BenchmarkFormatError, index_fingerprint, load_benchmarks

    try:
        fingerprint = index_fingerprint(config.decontamination)
        published = _published_benchmark_index(config)
        if published is not None and published[0] == fingerprint.digest and published[2]:
            return
        load_benchmarks(config.decontamination.benchmarks)
    except BenchmarkFormatError as error:
        raise ConfigError(f"decontamination.benchmarks: {error}") from None


def ui(config: CorpusConfig, port: int) -> int:
    """Replace this process with `dagster dev` on 127.0.0.1:`port`, over the config's Dagster home."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the webserver binds: TIME_WAIT is free
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            raise ConfigError(f"port {port} of 127.0.0.1 is taken ({error.strerror}): another `make ui`? "
                              f"Pick another port: make ui PORT={port + 1}") from None
    home = resolve_home(config)
    print(f"Dagster UI for {config_path_from_env()} on http://127.0.0.1:{port}, run history in {home}", flush=True)
    os.execv(sys.executable, [sys.executable, "-m", "dagster", "dev", "-w", str(WORKSPACE), "-h", "127.0.0.1",
                              "-p", str(port)])
    return 0  # not reached: exec replaced the process


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="corpus_assets", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["run", "release", "forget", "funnel", "ui", "home"])
    parser.add_argument("--port", type=int, default=3000, help="ui: the port of the Dagster UI on 127.0.0.1")
    parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="crawl date (default: yesterday, UTC)")
    parser.add_argument("--recrawl", action="store_true",
                        help="discard the date's crawl archive (moved under archive_dir/.discarded) and crawl again")
    parser.add_argument("--url", help="forget: the page to remove")
    parser.add_argument("--domain", help="forget: the domain to remove, with every host below it")
    parser.add_argument("--reason", help="forget: why (kept with the request)")
    parser.add_argument("--requested-by", help="forget: who asked, free text (kept with the request, not published)")
    args = parser.parse_args(argv)
    crawl_date = args.date or yesterday_utc()
    try:
        config = load_config(config_path_from_env())
        if args.command == "funnel":
            print_funnel(config, crawl_date)
            return 0
        if args.command == "home":
            print(resolve_home(config))
            return 0
        if args.command == "ui":
            return ui(config, args.port)
        if config.warehouse_backend.is_lake:
            problem = warehouse.lake_unusable(config.warehouse_backend, config.warehouse)
            if problem:
                raise ConfigError(f"warehouse_backend: DuckLake {config.warehouse_backend.metadata} cannot be "
                                  f"attached: {problem}")
        else:
            problem = warehouse.unusable(config.warehouse)
            if problem:
                raise ConfigError(f"warehouse {config.warehouse}: {problem}")
        if args.command == "release":
            return release(config)
        if args.command == "forget":
            return forget(config, url=args.url, domain=args.domain, reason=args.reason or "",
                          requested_by=args.requested_by)
        check_benchmark_files(config)
        if crawl_date < config.start_date or crawl_date > yesterday_utc():
            raise ConfigError(
                f"crawl date {crawl_date} is outside the partitions: from start_date {config.start_date} "
                f"to yesterday ({yesterday_utc()}, UTC)"
            )
        return run(config, crawl_date, recrawl=args.recrawl)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
