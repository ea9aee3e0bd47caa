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
processes and whatever order they finish in.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from hexcheck.core.facts import ModuleFacts, ParseProblem

# (index, source bytes, module, display path, is_package)
Task = tuple[int, bytes, str, str, bool]
Progress = Callable[[int, int], None]

_POLL_SECONDS = 0.05
_RECURSION_LIMIT = 4000


def _extract_safely(task: Task) -> ModuleFacts:
    from hexcheck.extract.extractor import extract

    _, data, module, path, is_package = task
    try:
        return extract(data, module, path, is_package)
    except Exception as error:  # a bug in the extractor must not lose the other files
        return ModuleFacts(
            module, path, is_package,
            problem=ParseProblem(
                f"hexcheck failed on this file ({type(error).__name__}: {error}); please report it"
            ),
        )  # fmt: skip


def _worker(conn: Connection) -> None:
    """Extract the chunks the parent sends, answering file by file, until told to stop."""
    sys.setrecursionlimit(_RECURSION_LIMIT)
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        for task in chunk:
            conn.send((task[0], _extract_safely(task)))


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
    # fork shares the parent's already-imported LibCST with the workers; spawn where
    # fork is unsafe or missing.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)  # type: ignore[return-value]


def extract_all(
    tasks: Sequence[Task],
    jobs: int,
    budget: float,
    progress: Progress | None = None,
) -> dict[int, ModuleFacts]:
    """Facts for every task, by index; files over `budget` seconds become problems."""
    if not tasks:
        return {}
    from hexcheck.extract import extractor  # noqa: F401 - import before forking

    context = _context()
    total = len(tasks)
    chunk_size = max(1, min(16, -(-total // (max(jobs, 1) * 4))))
    queue: deque[list[Task]] = deque(list(tasks[i : i + chunk_size]) for i in range(0, total, chunk_size))
    results: dict[int, ModuleFacts] = {}
    workers: list[_Worker] = []

    def start() -> _Worker:
        parent_end, child_end = context.Pipe()
        process = context.Process(target=_worker, args=(child_end,), daemon=True)
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

    def dispatch(worker: _Worker) -> None:
        if queue and not worker.assigned:
            chunk = queue.popleft()
            worker.assigned.extend(chunk)
            worker.since = time.monotonic()
            worker.conn.send(chunk)

    def fail(worker: _Worker, message: str) -> None:
        culprit = worker.assigned.popleft()
        results[culprit[0]] = ModuleFacts(culprit[2], culprit[3], culprit[4], problem=ParseProblem(message))
        if worker.assigned:
            queue.appendleft(list(worker.assigned))
        worker.assigned.clear()
        worker.kill()

    try:
        for _ in range(min(max(jobs, 1), len(queue))):
            worker = start()
            workers.append(worker)
            dispatch(worker)
        while len(results) < total:
            ready = wait([w.conn for w in workers if w.assigned], timeout=_POLL_SECONDS)
            now = time.monotonic()
            for index, worker in enumerate(workers):
                if not worker.assigned:
                    continue
                if worker.conn in ready:
                    try:
                        answered, facts = worker.conn.recv()
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
                    results[answered] = facts
                    if worker.assigned and worker.assigned[0][0] == answered:
                        worker.assigned.popleft()
                    worker.since = now
                    if progress is not None:
                        progress(len(results), total)
                    dispatch(worker)
                elif now - worker.since > budget:
                    fail(worker, f"too slow to parse: over the {budget:g} s per-file budget (parse-timeout)")
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


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
