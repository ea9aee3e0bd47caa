"""Run a console script in this process and record the peak RSS of this process alone.

    python _measure.py OUT_FILE SCRIPT [ARGS...]

SCRIPT is a console-script file (`.venv/bin/hexcheck`) or any Python script; it runs as
`__main__` with `sys.argv = [SCRIPT, *ARGS]`, exactly as when started directly. At exit,
`OUT_FILE` receives `ru_maxrss` of RUSAGE_SELF in KiB: the peak resident memory of the
tool's main process, without its worker processes (the benchmark gets the whole process
tree's peak from `os.wait4` on this process). Only the standard library is imported here,
so the tool's own import time and memory are what is measured.
"""

from __future__ import annotations

import atexit
import os
import resource
import runpy
import sys
from typing import NoReturn

_PID = os.getpid()


def _record(path: str) -> None:
    if os.getpid() != _PID:  # a forked worker leaving: not the main process
        return
    with open(path, "w", encoding="ascii") as handle:
        handle.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


def main() -> None:
    out, script, *args = sys.argv[1:]
    atexit.register(_record, out)
    # hexcheck's console script leaves with `os._exit`, which skips atexit handlers.
    hard_exit = os._exit

    def recorded_exit(code: int) -> NoReturn:
        _record(out)
        hard_exit(code)

    os._exit = recorded_exit
    sys.argv = [script, *args]
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
