"""Extraction in worker processes that the parent can kill.

Why not `concurrent.futures`: LibCST's native parser can crash the process on deeply
nested code (10,000 nested parentheses overflow its stack) and can spend minutes in
native code on long operator chains, where no signal reaches Python. So every file is
parsed in a worker process, under a deadline the parent enforces by killing the worker:

- each worker has its own pipe; the parent sends it a chunk of files and receives one
  result per file, so it always knows which file a worker is on (the first one it has
  not answered yet) and since when;
- a worker over the per-file budget is killed and replaced: that file becomes a
  "too slow to parse" problem, the rest of its chunk is handed out again;
- a worker that dies (a crash, the OOM killer) is replaced the same way: its file
  becomes a "the parser crashed" problem;
- killing a worker only ever breaks its own pipe, never a queue shared with the others.

Results are returned by index, so the outcome is the same whatever the number of
processes and whatever order they finish in. A worker answers with the cache's payload
(`encode_facts`), handed to `store` as it arrives: the parent, the one process every
result goes through, writes it as it is instead of pickling the facts once more, and
does not hold every payload until the end.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from hexcheck.adapters.cache import content_key, decode_facts, encode_facts
from hexcheck.adapters.filesystem import read_source
from hexcheck.core.facts import ModuleFacts, ParseProblem
from hexcheck.core.sources import SourceFile
from hexcheck.extract.version import EXTRACTOR_VERSION

# (index, path to read, module, display path, is_package). The worker reads the file: the
# parent never holds the bytes of every file at once (34 MB at 10,000 modules).
Task = tuple[int, str, str, str, bool]
Progress = Callable[[int, int], None]
# Called with (index, facts, cache payload, content key) for each file a worker answered;
# the key is that of the bytes the worker read ("" if it could not read them), which an
# edit during the run may have made differ from what the parent read.
Store = Callable[[int, ModuleFacts, bytes, str], None]


_POLL_SECONDS = 0.05
_RECURSION_LIMIT = 4000


# Facts and syntax trees are hundreds of thousands of small objects without reference
# cycles; with the default thresholds, full collections keep traversing all of them
# for nothing (measured: loading 2,000 modules' cached facts 1.2 s instead of 2.5 s,
# extraction 10% faster). Cycles are still collected, just rarely.
_RARE_COLLECTIONS = (100_000, 20, 100)


@contextlib.contextmanager
def rare_collections() -> Iterator[None]:
    """Run the block with the cyclic garbage collector triggered rarely.

    Restoring the usual thresholds afterwards starts a full collection over everything
    still alive (0.3 s after a check of 2,000 modules): the command line, which exits
    right after, calls `collect_rarely` for good instead.
    """
    previous = gc.get_threshold()
    collect_rarely()
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def collect_rarely() -> None:
    """Trigger the cyclic garbage collector rarely from now on."""
    gc.set_threshold(*_RARE_COLLECTIONS)


def _problem(task: Task, message: str) -> ModuleFacts:
    _, _, module, path, is_package = task
    return ModuleFacts(module, path, is_package, problem=ParseProblem(message))


def _failed(task: Task, why: str) -> ModuleFacts:
    """A bug in hexcheck loses the file, never the run."""
    return _problem(task, f"hexcheck failed on this file ({why}); please report it")


def _extract_safely(task: Task) -> tuple[ModuleFacts, str]:
    """The facts of a task's file and the content key of the bytes they come from."""
    from hexcheck.extract.extractor import extract

    _, path, module, display_path, is_package = task
    try:
        data = read_source(SourceFile(display_path, path, module, is_package))
    except OSError as error:
        return _problem(task, f"cannot read the file: {error.strerror or error}"), ""
    key = content_key(data, module, is_package, EXTRACTOR_VERSION)
    try:
        return extract(data, module, display_path, is_package), key
    except Exception as error:  # a bug in the extractor must not lose the other files
        return _failed(task, f"{type(error).__name__}: {error}"), key


@contextlib.contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Start workers that ignore SIGINT from their first instruction (a spawned worker
    takes a while to import): Ctrl-C reaches the whole process group, the parent answers
    it (one line, exit 130) and stops the workers, and a worker's own traceback would only
    bury that line. Only the main thread may change signal handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _worker(conn: Connection) -> None:
    """Extract the chunks the parent sends, answering file by file, until told to stop."""
    sys.setrecursionlimit(_RECURSION_LIMIT)
    collect_rarely()
    # LibCST is imported here, not in the parent: the workers import it in parallel,
    # while the parent goes on (loading the cached facts of the other files), and the
    # parent never holds it. (The first file's budget includes these 0.2 s.)
    from hexcheck.extract import extractor  # noqa: F401

    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        for task in chunk:
            facts, key = _extract_safely(task)
            conn.send((task[0], encode_facts(facts), key))


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    assigned: deque[Task] = field(default_factory=deque)
    since: float = 0.0

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


def _context() -> multiprocessing.context.DefaultContext:
    # fork starts a worker at once; spawn where fork is unsafe or missing.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)  # type: ignore[return-value]


def extract_all(
    tasks: Sequence[Task],
    jobs: int,
    budget: float,
    progress: Progress | None = None,
    store: Store | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> dict[int, ModuleFacts]:
    """Facts for every task, by index; files over `budget` seconds become problems.

    `meanwhile` runs in this process once the workers have their first files, before
    their answers are read (once, even with no tasks).
    """
    if not tasks:
        if meanwhile is not None:
            meanwhile()
        return {}
    context = _context()
    total = len(tasks)
    chunk_size = max(1, min(16, -(-total // (max(jobs, 1) * 4))))
    queue: deque[list[Task]] = deque(list(tasks[i : i + chunk_size]) for i in range(0, total, chunk_size))
    results: dict[int, ModuleFacts] = {}
    by_index = {task[0]: task for task in tasks}
    workers: list[_Worker] = []

    def start() -> _Worker:
        parent_end, child_end = context.Pipe()
        process = context.Process(target=_worker, args=(child_end,), daemon=True)
        with _workers_ignore_ctrl_c():
            process.start()
        child_end.close()
        return _Worker(process, parent_end)

    def hand(worker: _Worker) -> None:
        chunk = queue.popleft()
        if not worker.assigned:
            worker.since = time.monotonic()
        worker.assigned.extend(chunk)
        worker.conn.send(chunk)

    def dispatch(worker: _Worker) -> None:
        # Up to two chunks ahead: the next one waits in the pipe, so that a worker never
        # idles until the parent (busy with the answers of the others, on as many CPUs
        # as workers) wakes up to hand it more. The first file not yet answered is still
        # the one being parsed, and the budget counts from the previous answer.
        while queue and len(worker.assigned) <= chunk_size:
            hand(worker)

    def fail(worker: _Worker, message: str) -> None:
        culprit = worker.assigned.popleft()
        results[culprit[0]] = _problem(culprit, message)
        if worker.assigned:
            queue.appendleft(list(worker.assigned))
        worker.assigned.clear()
        worker.kill()

    try:
        for _ in range(min(max(jobs, 1), len(queue))):
            worker = start()
            workers.append(worker)
            hand(worker)  # one chunk each first: a small run still uses every worker
        for worker in workers:
            dispatch(worker)
        if meanwhile is not None:
            meanwhile()
        while len(results) < total:
            ready = wait([w.conn for w in workers if w.assigned], timeout=_POLL_SECONDS)
            now = time.monotonic()
            for index, worker in enumerate(workers):
                if not worker.assigned:
                    continue
                if worker.conn in ready:
                    try:
                        answered, payload, key = worker.conn.recv()
                    except (EOFError, OSError):
                        code = worker.process.exitcode
                        worker.process.join(timeout=5)
                        code = worker.process.exitcode if code is None else code
                        fail(
                            worker,
                            f"the parser crashed on this file (worker exit code {code}); nesting too deep?",
                        )
                        workers[index] = worker = start()
                        dispatch(worker)
                        continue
                    task = by_index[answered]
                    facts = decode_facts(payload, task[3])
                    if facts is None:
                        results[answered] = _failed(task, "undecodable facts")
                    else:
                        results[answered] = facts
                        if store is not None:
                            store(answered, facts, payload, key)
                    if worker.assigned and worker.assigned[0][0] == answered:
                        worker.assigned.popleft()
                    worker.since = now
                    if progress is not None:
                        progress(len(results), total)
                    dispatch(worker)
                elif now - worker.since > budget:
                    fail(worker, over_budget(budget))
                    workers[index] = worker = start()
                    dispatch(worker)
            for worker in workers:
                dispatch(worker)
    finally:
        for worker in workers:
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
        for worker in workers:
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.kill()
    return results


def over_budget(budget: float) -> str:
    """The problem of a file that ran over the per-file budget (a fact about the machine's
    load as much as the file: never cached)."""
    return f"too slow to parse: over the {budget:g} s per-file budget (parse-timeout)"


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
