"""Per-document work on every core, and past one machine on a Ray cluster: a stage's batch function run by worker
processes, results in the order of the batches, so that a pooled run publishes the same rows as a single-process
one.

The step stays the only reader and writer of the warehouse; only batches of pages and their results travel. Two
engines, both existing ones: `processes` is `concurrent.futures.ProcessPoolExecutor` on this machine; `ray` sends
each batch as a Ray task to a cluster (a running one at `ray_address`, or one started for the step on this
machine), so extraction and the signals scale with the cluster's cores while DuckDB stays where it is. Either way
the function's settings (a config section, a contamination index) reach each worker once, not with every batch,
and at most a few batches per worker are in flight, so memory stays a handful of batches however large the
partition.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# Batches waiting per worker: one computing and one queued keeps every worker busy while the step writes results.
IN_FLIGHT_PER_WORKER = 2
_END = object()

_worker_function: Callable[..., Any] | None = None
_worker_settings: tuple[Any, ...] = ()


class ExecutionConfig(BaseModel):
    """Where per-document work runs (the `execution` section of the config file)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    workers: int = Field(
        default=0, ge=0,
        description="Processes for per-document work (extraction, quality signals, fingerprints, n-grams) on this "
        "machine: 0 means every core the process may use, 1 keeps it in the step's own process. With the ray "
        "engine and no ray_address, the CPUs of the local cluster. The rows are the same whatever the number.",
    )
    engine: Literal["processes", "ray"] = Field(
        default="processes",
        description="processes: a process pool on this machine; ray: Ray tasks on a cluster (`pip install ray`).",
    )
    ray_address: str | None = Field(
        default=None,
        description="The Ray cluster to use (e.g. ray://head:10001, or auto); none starts a local one per step.",
    )


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


class BatchPool:
    """`function(batch, *settings)` over batches on `workers` local processes (in this process when `workers` is 1).

    `function` must be importable by name (a module-level function) and `settings` picklable. Use as a context
    manager: leaving it stops the workers, also when the step fails or is interrupted.
    """

    engine = "processes"

    def __init__(self, function: Callable[..., Any], settings: tuple[Any, ...], workers: int):
        self.function = function
        self.settings = settings
        self.workers = max(1, workers)
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> BatchPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _start(self) -> None:
        # spawn, not fork: the step's process runs DuckDB's and Dagster's threads, and a forked child may
        # inherit a lock one of them held.
        self._executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_install, initargs=(self.function, self.settings))

    def _submit(self, batch: Any) -> Any:
        if self._executor is None:
            self._start()
        return self._executor.submit(_run, batch)

    def _result(self, pending: Any) -> Any:
        return pending.result()

    def _cancel(self, pending: Any) -> None:
        pending.cancel()

    def map(self, batches: Iterable[Any]) -> Iterator[Any]:
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
        pending: deque[Any] = deque()
        try:
            for batch in itertools.chain((first, second), batches):
                pending.append(self._submit(batch))
                if len(pending) >= self.workers * IN_FLIGHT_PER_WORKER:
                    yield self._result(pending.popleft())
            while pending:
                yield self._result(pending.popleft())
        finally:
            for submitted in pending:
                self._cancel(submitted)


class _RayWorker:
    """One worker of a Ray pool: an actor holding the function and its settings, so they cross the network once."""

    def __init__(self, function: Callable[..., Any], settings: tuple[Any, ...]):
        self.function, self.settings = function, settings

    def run(self, batch: Any) -> Any:
        return self.function(batch, *self.settings)


class RayBatchPool(BatchPool):
    """The same over a Ray cluster: one actor per CPU of the cluster, batches dealt to them in turn."""

    engine = "ray"

    def __init__(self, function: Callable[..., Any], settings: tuple[Any, ...], workers: int,
                 address: str | None = None):
        super().__init__(function, settings, workers)
        self.address = address
        self._ray: Any = None
        self._started_cluster = False
        self._actors: list[Any] = []
        self._turn = itertools.count()

    def _start(self) -> None:
        try:
            import ray
        except ImportError:
            raise RuntimeError("execution.engine is ray, but Ray is not installed: pip install ray") from None
        self._ray = ray
        if not ray.is_initialized():
            if self.address:
                ray.init(address=self.address, logging_level="ERROR")
            else:
                ray.init(num_cpus=self.workers, include_dashboard=False, logging_level="ERROR")
            self._started_cluster = True
        self.workers = max(1, int(ray.cluster_resources().get("CPU", self.workers)))
        settings = ray.put(self.settings)
        worker = ray.remote(num_cpus=1)(_RayWorker)
        self._actors = [worker.remote(self.function, settings) for _ in range(self.workers)]

    def _submit(self, batch: Any) -> Any:
        if not self._actors:
            self._start()
        # An actor runs its calls in order; dealing batches in turn keeps every actor as busy as the others.
        return self._actors[next(self._turn) % len(self._actors)].run.remote(batch)

    def _result(self, pending: Any) -> Any:
        return self._ray.get(pending)

    def _cancel(self, pending: Any) -> None:
        pass  # the actors are killed on close, with whatever they still hold

    def close(self) -> None:
        for actor in self._actors:
            self._ray.kill(actor)
        self._actors = []
        if self._started_cluster:
            self._ray.shutdown()
            self._started_cluster = False


def batch_pool(execution: ExecutionConfig, function: Callable[..., Any], *settings: Any) -> BatchPool:
    """The pool of the configured engine for `function(batch, *settings)`."""
    workers = resolve_workers(execution.workers)
    if execution.engine == "ray":
        return RayBatchPool(function, settings, workers, execution.ray_address)
    return BatchPool(function, settings, workers)
