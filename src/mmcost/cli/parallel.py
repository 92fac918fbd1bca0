"""batch --jobs N: rows priced in worker processes, results handed back in input order.

The reading process cuts the input into chunks of CHUNK rows and keeps at most
IN_FLIGHT_PER_JOB chunks per worker submitted, so memory stays flat whatever
the input size; it waits for the oldest chunk first, so results come back in
input order. Each worker prices with the same loop as the one-process path
(rows.priced) and its own bounded result cache. A run whose input fits in one
chunk never starts a worker. Workers ignore Ctrl-C (the terminal sends it to
them too): the reading process stops them, and on Linux the kernel kills them
if it dies, even by SIGKILL.
"""

from __future__ import annotations

import itertools
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from mmcost.files import STOP_SIGNALS, signals_held
from mmcost.render import make_prepared
from mmcost.rows import Encode, Priced, RowError, RowPricer, priced

if TYPE_CHECKING:
    from concurrent.futures import Future

    from mmcost.model import Catalog

CHUNK = 1000
"""Rows sent to a worker at a time."""
IN_FLIGHT_PER_JOB = 2
"""Chunks submitted per worker beyond the one the reading process waits for."""

Row = tuple[int, str, "tuple[str, ...] | RowError"]

_WORKER: dict[str, RowPricer] = {}
"""In a worker process: its pricer, set once by _start_worker."""


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    import os

    getter = getattr(os, "sched_getaffinity", None)
    return max(1, len(getter(0)) if getter is not None else os.cpu_count() or 1)


def _start_worker(catalog: Catalog, encode: Encode, names: tuple[str, ...]) -> None:

    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches every process; the reading one stops the rest
    for signum in STOP_SIGNALS[1:]:  # the reading process's handlers came along with fork
        if signal.getsignal(signum) not in (signal.SIG_IGN, None):
            signal.signal(signum, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # held while workers are made (signals_held)
    _WORKER["pricer"] = RowPricer(catalog, encode, names)


PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this worker when the reading process dies, even by SIGKILL
    (the OOM killer): no worker outlives the run."""
    import ctypes
    import sys

    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _price_chunk(chunk: list[Row]) -> list[Priced]:
    """A chunk's rows priced, each result sent as its Prepared's payload (_prepared makes it again): a plain
    tuple pickles and unpickles in about a third of the time of a NamedTuple."""
    return [
        (number, row_id, None if result is None else result.encoded, problem)
        for number, row_id, result, problem in priced(chunk, _WORKER["pricer"])
    ]


def _prepared(results: list[Priced]) -> Iterator[Priced]:
    """A worker's results (_price_chunk) with their Prepared again."""
    for number, row_id, encoded, problem in results:
        yield number, row_id, None if encoded is None else make_prepared((encoded,)), problem


def priced_in_order(rows: Iterable[Row], pricer: RowPricer, jobs: int) -> Iterator[Priced]:
    """rows.priced(rows, pricer), spread over jobs worker processes when jobs > 1 and there is more than a chunk.

    The pricer's encode goes to the workers, so it must pickle, and it must make render.Prepared results
    (render.RowEncoder does both)."""
    chunks = _chunks(rows)
    first = next(chunks, [])
    if jobs <= 1 or len(first) < CHUNK:
        yield from priced(itertools.chain(first, itertools.chain.from_iterable(chunks)), pricer)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor  # imported here: a run in one process never needs it

    # fork where there is one (Linux): workers start at once with the catalog already loaded, and are this
    # process's own children, so _die_with_parent holds; spawn elsewhere.
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    start = (pricer.catalog, pricer.encode, pricer.names)
    executor = ProcessPoolExecutor(jobs, context, initializer=_start_worker, initargs=start)
    pending: deque[Future[list[Priced]]] = deque()
    try:
        # The first submit makes every worker (with fork): the stop signals are held back meanwhile, so that
        # none reaches a worker before it has set its own handling; the reading process takes them after.
        with signals_held():
            pending.append(executor.submit(_price_chunk, first))
        for chunk in chunks:
            pending.append(executor.submit(_price_chunk, chunk))
            if len(pending) > jobs * IN_FLIGHT_PER_JOB:
                yield from _prepared(pending.popleft().result())
        while pending:
            yield from _prepared(pending.popleft().result())
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _chunks(rows: Iterable[Row]) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, CHUNK)):
        yield chunk
