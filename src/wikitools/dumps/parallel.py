"""An ordered, bounded parallel map over worker processes.

Results come back in submission order, so output written from them is identical whatever the
number of workers. At most ``max_pending`` jobs are in flight: a fast reader never runs ahead
of slow workers by more than that, which keeps memory flat on dumps of any size
(:meth:`multiprocessing.pool.Pool.imap` would read the whole input ahead).
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from wikitools.errors import WorkerError

C = TypeVar("C")
P = TypeVar("P")
R = TypeVar("R")


def _context() -> multiprocessing.context.BaseContext:
    """How to start workers: ``fork`` when safe, else ``forkserver`` (or ``spawn``).

    Forking copies this process with everything already imported, so workers start at once;
    it is only safe while this process runs a single thread (a thread holding a lock at fork
    time, such as a progress bar writing to the terminal, would leave that lock held forever
    in the child). With other threads alive, workers come from a fork server instead.
    """
    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if sys.platform != "win32" and "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def _result(future: Future[R]) -> R:
    return future.result()


def ordered_map(
    func: Callable[[P], R],
    jobs: Iterable[tuple[C, P]],
    *,
    workers: int = 1,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    max_pending: int | None = None,
) -> Iterator[tuple[C, R]]:
    """Apply ``func`` to each job's payload; yield ``(context, result)`` in job order.

    A job is ``(context, payload)``: only the payload goes to a worker, the context stays in
    this process (for example the pages a batch of texts came from). With ``workers <= 1``
    everything runs in this process, initializer included. ``func`` and ``initializer`` must
    be module-level functions when ``workers > 1``, and the program's main module must guard
    its entry point with ``if __name__ == "__main__":`` (workers start fresh and import it).
    A worker that dies raises :class:`~wikitools.errors.WorkerError`.
    """
    if workers <= 1:
        if initializer is not None:
            initializer(*initargs)
        for context, payload in jobs:
            yield context, func(payload)
        return
    limit = max_pending if max_pending is not None else 3 * workers
    pending: deque[tuple[C, Future[R]]] = deque()
    executor = ProcessPoolExecutor(
        max_workers=workers, mp_context=_context(), initializer=initializer, initargs=initargs
    )
    try:
        for context, payload in jobs:
            pending.append((context, executor.submit(func, payload)))
            while len(pending) >= limit:
                done_context, future = pending.popleft()
                yield done_context, _result(future)
        while pending:
            done_context, future = pending.popleft()
            yield done_context, _result(future)
    except BrokenProcessPool:
        raise WorkerError(
            "a worker process died unexpectedly (killed or out of memory?); "
            "retry with fewer --workers"
        ) from None
    finally:
        for _, future in pending:
            future.cancel()
        executor.shutdown(wait=True, cancel_futures=True)
