"""batch --jobs N: rows read, priced and written in worker processes, their output handed back in input order.

The reading process reads the input's lines, not their fields, and hands them
out in chunks of CHUNK, keeping at most IN_FLIGHT_PER_JOB chunks per worker
submitted, so memory stays flat whatever the input size. A worker does what
the one-process run does with a chunk's lines (rows.LineReader reads them,
rows.priced prices them, a writer of the run's format writes them) into text,
cut where a row is bad; so the reading process only reads lines and writes
text. It waits for the oldest chunk first, so the output comes in input order.

A run whose input fits in one chunk starts no worker: the reading process
runs the chunk itself. Workers ignore Ctrl-C (the terminal sends it to them
too): the reading process stops them, and on Linux the kernel kills them if it
dies, even by SIGKILL.
"""

from __future__ import annotations

import itertools
import signal
from collections import deque
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, NamedTuple, cast

from mmcost.errors import MmcostError
from mmcost.files import STOP_SIGNALS, signals_held, stop_if_taken
from mmcost.rows import Line, LineReader, RowError, RowPricer, Rows, priced

if TYPE_CHECKING:
    from concurrent.futures import Future

    from mmcost.model import Catalog
    from mmcost.render import RowEncoder

CHUNK = 1000
"""Lines sent to a worker at a time."""
IN_FLIGHT_PER_JOB = 2
"""Chunks submitted per worker beyond the one the reading process waits for."""


class Piece(NamedTuple):
    """Output in input order: text to write, then the bad row that cut it there (number and message), or None
    where a chunk ends."""

    text: str
    number: int
    problem: str | None


Written = tuple[list[Piece], str]
"""A chunk written: its pieces cut at each bad row, then the text after the last."""


class ChunkWriter:
    """What a worker does with a chunk of lines: its rows read, priced and written as the one-process run would
    read, price and write them, into text."""

    def __init__(self, pricer: RowPricer, reader: LineReader, encoder: RowEncoder) -> None:
        self.pricer, self.reader = pricer, reader
        self.written = _Pieces()
        self.writer = encoder.writer(cast("IO[str]", self.written))

    def __call__(self, first: int, lines: list[str | RowError]) -> Written:
        """The chunk whose first line is row first (the lines are numbered one after another, as rows.read_rows
        numbers them)."""
        pieces, write = [], self.writer.row
        rows = self.reader.rows(zip(itertools.count(first), lines))
        for number, row_id, result, problem in priced(rows, self.pricer):
            if result is None:
                pieces.append(Piece(self._taken(), number, problem))
            else:
                write({"row": number, "id": row_id or None}, result)
        return pieces, self._taken()

    def _taken(self) -> str:
        """What the writer wrote since last taken."""
        text = "".join(self.written)
        self.written.clear()
        return text


class _Pieces(list[str]):
    """A text stream that keeps what is written as its pieces, joined when taken: io.StringIO, once emptied for
    the next chunk, keeps its text as 4-byte characters and converts it back at each getvalue."""

    write = list.append


_WORKER: dict[str, ChunkWriter] = {}
"""In a worker process: its chunk writer, set once by _start_worker."""


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    import os

    getter = getattr(os, "sched_getaffinity", None)
    return max(1, len(getter(0)) if getter is not None else os.cpu_count() or 1)


def _start_worker(catalog: Catalog, encoder: RowEncoder, names: tuple[str, ...], reader: LineReader) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches every process; the reading one stops the rest
    for signum in STOP_SIGNALS[1:]:  # the reading process's handlers came along with fork
        if signal.getsignal(signum) not in (signal.SIG_IGN, None):
            signal.signal(signum, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # held while workers are made (signals_held)
    _WORKER["writer"] = ChunkWriter(RowPricer(catalog, encoder, names), reader, encoder)


PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this worker when the reading process dies, even by SIGKILL
    (the OOM killer): no worker outlives the run."""
    import ctypes
    import sys

    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _write_chunk(first: int, lines: list[str | RowError]) -> Written:
    return _WORKER["writer"](first, lines)


def written_in_order(rows: Rows, pricer: RowPricer, encoder: RowEncoder, jobs: int) -> Iterator[Piece]:
    """The rows read, priced (pricer) and written (encoder.writer), spread over jobs worker processes when there
    is more than a chunk: each chunk's pieces, in input order. The encoder goes to the workers, so it must pickle
    (render.RowEncoder does)."""
    chunks = _chunks(rows.lines)
    first = next(chunks, None)
    if first is None:
        return
    if len(first[1]) < CHUNK:
        yield from _pieces(ChunkWriter(pricer, rows.reader, encoder)(*first))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor  # imported here: a run in one process never needs it
    from concurrent.futures.process import BrokenProcessPool

    # fork where there is one (Linux): workers start at once with the catalog already loaded, and are this
    # process's own children, so _die_with_parent holds; spawn elsewhere.
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    start = (pricer.catalog, encoder, pricer.names, rows.reader)
    executor = ProcessPoolExecutor(jobs, context, initializer=_start_worker, initargs=start)
    pending: deque[Future[Written]] = deque()
    try:
        # The first submit makes every worker (with fork): the stop signals are held back meanwhile, so that
        # none reaches a worker before it has set its own handling; the reading process takes them after.
        with signals_held():
            pending.append(executor.submit(_write_chunk, *first))
        for chunk in chunks:
            pending.append(executor.submit(_write_chunk, *chunk))
            if len(pending) > jobs * IN_FLIGHT_PER_JOB:
                yield from _pieces(pending.popleft().result())
        while pending:
            yield from _pieces(pending.popleft().result())
    except BrokenProcessPool:
        stop_if_taken()  # a stop signal to the whole group ends the workers too: the signal is what to report
        raise WorkerLost(
            "a worker process ended before it had written its rows (killed by a signal, or out of memory?); "
            "run again, or with --jobs 1"
        ) from None
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


class WorkerLost(MmcostError):
    """A worker process ended before it had written its rows: something killed it."""


def _pieces(written: Written) -> Iterator[Piece]:
    pieces, tail = written
    yield from pieces
    yield Piece(tail, 0, None)


def _chunks(lines: Iterator[Line]) -> Iterator[tuple[int, list[str | RowError]]]:
    """The lines in chunks of CHUNK: the first one's row number, and the lines (the last may be the RowError that
    ends reading)."""
    while chunk := list(itertools.islice(lines, CHUNK)):
        yield chunk[0][0], [line for _, line in chunk]
