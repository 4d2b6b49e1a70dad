"""The process pool of per-document work: results in batch order, settings installed once per worker."""

from __future__ import annotations

import os

import pytest

from corpus_assets.parallel import BatchPool, resolve_workers, usable_cores


def tag_batch(batch: list[int], prefix: str) -> tuple[str, list[str]]:
    """A batch function: which process did the work, and the batch tagged with the settings."""
    return str(os.getpid()), [f"{prefix}{value}" for value in batch]


def fail_on_three(batch: list[int]) -> list[int]:
    if 3 in batch:
        raise ValueError(f"cannot take {batch}")
    return batch


def batches(count: int) -> list[list[int]]:
    return [[index, index + 100] for index in range(count)]


def test_a_pool_returns_the_results_in_the_order_of_the_batches_from_other_processes():
    with BatchPool(tag_batch, ("page-",), workers=2) as pool:
        results = list(pool.map(batches(20)))
    assert [tagged for _, tagged in results] == [[f"page-{i}", f"page-{i + 100}"] for i in range(20)]
    workers = {pid for pid, _ in results}
    assert str(os.getpid()) not in workers and 1 <= len(workers) <= 2


def test_one_worker_or_one_batch_stays_in_the_step_process():
    with BatchPool(tag_batch, ("x",), workers=1) as pool:
        assert {pid for pid, _ in pool.map(batches(5))} == {str(os.getpid())}
    with BatchPool(tag_batch, ("x",), workers=2) as pool:
        assert [pid for pid, _ in pool.map(batches(1))] == [str(os.getpid())]
        assert pool._executor is None
        assert list(pool.map([])) == []


def test_a_failing_batch_raises_its_own_error_in_the_step():
    with BatchPool(fail_on_three, (), workers=2) as pool:
        results = pool.map(batches(10))
        assert next(results) == [0, 100]
        with pytest.raises(ValueError, match=r"cannot take \[3, 103\]"):
            list(results)


def test_the_pool_reads_ahead_only_a_few_batches():
    read = []

    def source():
        for batch in batches(40):
            read.append(batch)
            yield batch

    with BatchPool(tag_batch, ("",), workers=2) as pool:
        results = pool.map(source())
        next(results)
        # Two workers, two batches each in flight, and the one returned: memory is batches, not the partition.
        assert len(read) <= 5


def test_workers_zero_means_every_usable_core():
    assert resolve_workers(0) == usable_cores() >= 1
    assert resolve_workers(3) == 3


@pytest.fixture(scope="module")
def ray_cluster():
    """A local Ray cluster started by the test, as the README's `execution.engine: ray` runs on."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR")
    yield ray
    ray.shutdown()


def test_a_ray_pool_returns_the_results_of_the_local_pool_in_the_same_order(ray_cluster):
    from corpus_assets.parallel import ExecutionConfig, batch_pool

    pool = batch_pool(ExecutionConfig(engine="ray"), tag_batch, "page-")
    with pool:
        results = list(pool.map(batches(12)))
        assert pool.engine == "ray" and pool.workers == 2
    assert [tagged for _, tagged in results] == [[f"page-{i}", f"page-{i + 100}"] for i in range(12)]
    assert str(os.getpid()) not in {pid for pid, _ in results}
    assert ray_cluster.is_initialized()  # a cluster the step did not start is left running
