"""Run dump lint and fix on Dask: a LocalCluster on this machine, or an existing cluster.

Install with ``pip install 'wikitools[dask]'``. The driver (this process) plans the
partitions (:func:`~wikitools.dumps.partitions.plan_partitions`), ships each worker only a
:class:`~wikitools.dumps.partitions.Partition` (a path and a byte range: workers read the dump
themselves, so the dump must be at the same path on every worker), and gets back one result
per partition. At most ``window`` partitions are in flight or waiting to be put in order, so
the driver holds only a few partitions' results whatever the dump's size; results come back
in dump order, equal to the default engine's.

Worker processes run one thread each: linting is pure Python and holds the GIL.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

from wikitools.config import Config
from wikitools.dumps.partitioned import (
    FixOptions,
    PartFix,
    PartitionedFixSummary,
    collect_parts,
    fix_partition,
    lint_partition,
    warm_up,
)
from wikitools.dumps.partitions import Partition
from wikitools.dumps.process import PageFindings, SiteSource, portable_config
from wikitools.errors import ConfigError, InputError

if TYPE_CHECKING:
    from distributed import Client

logger = logging.getLogger(__name__)

R = TypeVar("R")

Progress = Callable[[int, int], None]
"""Called as ``progress(partitions done, partitions in all)``."""

INSTALL_HINT = "--engine dask needs Dask: pip install 'wikitools[dask]'"


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ConfigError(INSTALL_HINT) from None
    return distributed


@contextlib.contextmanager
def dask_client(workers: int = 0, scheduler: str | None = None) -> Iterator[Client]:
    """A Dask client: on the cluster at ``scheduler``, else on a new LocalCluster of
    ``workers`` single-threaded processes (0: one per CPU), closed on exit."""
    distributed = _distributed()
    if scheduler:
        try:
            client = distributed.Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(
                f"cannot reach the Dask scheduler at {scheduler} ({exc}); "
                "is `dask scheduler` running there?"
            ) from None
        try:
            yield client
        finally:
            client.close()
        return
    count = workers if workers > 0 else (os.cpu_count() or 1)
    cluster = distributed.LocalCluster(
        n_workers=count,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",  # a local cluster listens on loopback only, on free ports
        dashboard_address="127.0.0.1:0",
        scheduler_port=0,
        silence_logs=logging.CRITICAL,  # a failed task is raised here, as one error line
    )
    try:
        client = distributed.Client(cluster)
        try:
            client.run(warm_up)
            yield client
        finally:
            client.close()
    finally:
        cluster.close()


def cluster_slots(client: Client) -> int:
    """How many tasks the cluster runs at once (its worker threads; at least 1)."""
    threads: dict[str, int] = cast(Any, client).nthreads()
    return max(1, sum(threads.values()) if threads else 1)


def map_ordered(
    client: Client,
    func: Callable[..., R],
    parts: Sequence[Partition],
    *args: Any,
    window: int | None = None,
    progress: Progress | None = None,
    **kwargs: Any,
) -> Iterator[R]:
    """``func(part, *args, **kwargs)`` for each partition on the cluster, yielded in order.

    At most ``window`` partitions (default: twice the cluster's threads) are running or
    finished but waiting for an earlier one, so results never pile up in this process.
    Arguments are sent to the workers once (scattered), not with every task.
    """
    distributed = _distributed()
    limit = window if window is not None else 2 * cluster_slots(client)
    limit = max(1, limit)
    cluster: Any = client
    shared = [cluster.scatter(arg, broadcast=True) if arg is not None else None for arg in args]
    shared_kwargs = {
        key: cluster.scatter(value, broadcast=True) if value is not None else None
        for key, value in kwargs.items()
    }
    pending = distributed.as_completed()
    numbers: dict[Any, int] = {}
    finished: dict[int, R] = {}
    submitted = next_out = done = 0

    def fill() -> None:
        nonlocal submitted
        while submitted < len(parts) and (submitted - next_out) < limit:
            part = parts[submitted]
            future = client.submit(func, part, *shared, pure=False, **shared_kwargs)
            numbers[future.key] = submitted
            pending.add(future)
            submitted += 1

    fill()
    try:
        for future in pending:
            number = numbers.pop(future.key)
            finished[number] = future.result()
            future.release()
            done += 1
            if progress is not None:
                progress(done, len(parts))
            while next_out in finished:
                yield finished.pop(next_out)
                next_out += 1
            fill()
    finally:
        for future in pending.futures:
            future.cancel()


def lint_dask(
    client: Client,
    parts: Sequence[Partition],
    *,
    config: Config | None = None,
    site: SiteSource = None,
    records: bool = False,
    window: int | None = None,
    progress: Progress | None = None,
) -> Iterator[PageFindings]:
    """The findings of every wikitext page, in dump order, linted on the cluster."""
    portable = portable_config(config or Config())
    for findings in map_ordered(
        client,
        lint_partition,
        parts,
        portable,
        window=window,
        progress=progress,
        site=site,
        records=records,
    ):
        yield from findings


def fix_dask(
    client: Client,
    parts: Sequence[Partition],
    output: str | os.PathLike[str],
    parts_dir: str | os.PathLike[str],
    *,
    config: Config | None = None,
    site: SiteSource = None,
    options: FixOptions | None = None,
    window: int | None = None,
    progress: Progress | None = None,
    report: Callable[[PartFix], None] | None = None,
    keep_parts: bool = False,
) -> PartitionedFixSummary:
    """Fix every partition into a part file in ``parts_dir``, then join them into ``output``.

    ``parts_dir`` must be reachable by every worker at the same path. Part files of an
    earlier, interrupted run that are complete are kept (see
    :func:`~wikitools.dumps.partitioned.completed_part`). ``report`` sees each partition's
    outcome in dump order. Once ``output`` is written (atomically), the part files are
    removed unless ``keep_parts``.
    """
    portable = portable_config(config or Config())
    os.makedirs(parts_dir, exist_ok=True)
    results = map_ordered(
        client,
        fix_partition,
        parts,
        portable,
        os.fspath(parts_dir),
        window=window,
        progress=progress,
        site=site,
        options=options or FixOptions(),
    )
    return collect_parts(parts, results, output, parts_dir, report=report, keep_parts=keep_parts)
