"""Per-document work on every core of the machine: a stage's batch function run by a pool of worker processes,
results in the order of the batches, so that a pooled run publishes the same rows as a single-process one.

This is `concurrent.futures.ProcessPoolExecutor` with two additions a stage needs: the function's settings (a
config section, a contamination index) reach each worker once, when it starts, not with every batch; and at most
a few batches are in flight, so memory stays a handful of batches however large the partition is. Past one
machine the answer is not this module but an engine: Dagster's executors over finer partitions (README, "Scaling
out").
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Generic, TypeVar

Batch = TypeVar("Batch")
Result = TypeVar("Result")
# Batches waiting per worker: one computing and one queued keeps every worker busy while the step writes results.
IN_FLIGHT_PER_WORKER = 2

_END = object()
_worker_function: Callable[..., Any] | None = None
_worker_settings: tuple[Any, ...] = ()


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, which containers and `taskset` narrow)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def resolve_workers(configured: int) -> int:
    """`workers` of the config: 0 means every usable core."""
    return configured if configured > 0 else usable_cores()


def _install(function: Callable[..., Any], settings: tuple[Any, ...]) -> None:
    global _worker_function, _worker_settings
    _worker_function, _worker_settings = function, settings


def _run(batch: Any) -> Any:
    assert _worker_function is not None, "worker started without its function"
    return _worker_function(batch, *_worker_settings)


class BatchPool(Generic[Batch, Result]):
    """`function(batch, *settings)` over batches, on `workers` processes (in this process when `workers` is 1).

    `function` must be importable by name (a module-level function) and `settings` picklable. Use as a context
    manager: leaving it stops the workers, also when the step fails or is interrupted.
    """

    def __init__(self, function: Callable[..., Result], settings: tuple[Any, ...], workers: int):
        self.function = function
        self.settings = settings
        self.workers = max(1, workers)
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> BatchPool[Batch, Result]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # spawn, not fork: the step's process runs DuckDB's and Dagster's threads, and a forked child may
            # inherit a lock one of them held.
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_install,
                initargs=(self.function, self.settings),
            )
        return self._executor

    def map(self, batches: Iterable[Batch]) -> Iterator[Result]:
        """The function's result for each batch, in the order of `batches`, reading ahead only as far as the
        workers can take. A single batch is computed here: starting workers would cost more than it saves."""
        batches = iter(batches)
        first = next(batches, _END)
        if first is _END:
            return
        second = next(batches, _END) if self.workers > 1 else _END
        if second is _END:
            yield self.function(first, *self.settings)
            yield from (self.function(batch, *self.settings) for batch in batches)
            return
        pool = self._pool()
        pending: deque[Future[Result]] = deque()
        try:
            for batch in itertools.chain((first, second), batches):
                pending.append(pool.submit(_run, batch))
                if len(pending) >= self.workers * IN_FLIGHT_PER_WORKER:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
