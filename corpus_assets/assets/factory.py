"""How every corpus asset is declared: in the `corpus` group (a release in `release`) with its blocking `gate` check,
partitioned by crawl date with the configured backfill policy, and in the `warehouse` pool when it opens the DuckDB
file.

`stage_asset` declares a warehouse stage from its row of the table of stages (`corpus_assets/stages.py`);
`corpus_asset` declares the two assets outside that table (the crawl, and the evaluation benchmarks).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import dagster as dg

from corpus_assets.partitions import backfill_policy, crawl_date_partitions
from corpus_assets.stages import Stage

GATE_CHECK = "gate"
# The chain the daily schedule materializes; releases are made when asked for (`make release`), in their own group.
CORPUS_GROUP = "corpus"
RELEASE_GROUP = "release"
OWNERS = ["team:data-engineering"]
# A DuckDB file has one writer process at a time: every step that opens it shares this pool (limit 1 in
# dagster.yaml). The crawl never opens it, so it neither waits for nor holds the warehouse.
WAREHOUSE_POOL = "warehouse"


@contextmanager
def quiet_about_beta() -> Iterator[None]:
    """Declarations that use Dagster's beta parameters on purpose (backfill_policy, a partition mapping that allows
    a missing first date) would print a warning at every start of every process; they are known and chosen."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.BetaWarning)
        yield


def corpus_asset(*, gate: str, step: str, kinds: set[str] | frozenset[str], deps: Sequence | None = None,
                 partitioned: bool = True, uses_warehouse: bool = True, group: str = CORPUS_GROUP) -> Callable:
    """`@dg.asset` as every corpus asset is declared; `gate` describes its blocking `gate` check in the UI and
    `step` is its `stage` tag."""

    def decorate(compute: Callable) -> dg.AssetsDefinition:
        with quiet_about_beta():
            return dg.asset(
                name=compute.__name__,
                partitions_def=crawl_date_partitions if partitioned else None,
                backfill_policy=backfill_policy(partitioned),
                deps=deps,
                check_specs=[dg.AssetCheckSpec(name=GATE_CHECK, asset=compute.__name__, blocking=True,
                                               description=gate)],
                pool=WAREHOUSE_POOL if uses_warehouse else None,
                group_name=group,
                owners=OWNERS,
                kinds=set(kinds),
                tags={"stage": step},
            )(compute)

    return decorate


def stage_asset(stage: Stage, *, deps: Sequence) -> Callable:
    """`corpus_asset` for a warehouse stage, declared from its row of the table of stages; the decorated function
    must be named after the stage."""

    def decorate(compute: Callable) -> dg.AssetsDefinition:
        if compute.__name__ != stage.table:
            raise ValueError(f"the asset of stage {stage.table} is named {compute.__name__}")
        return corpus_asset(gate=stage.gate, step=stage.step, kinds=stage.kinds, deps=deps)(compute)

    return decorate
