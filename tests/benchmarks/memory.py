"""How much memory ten `hexcheck.check` calls in one process leave behind.

    PYTHONPATH=<checkout> python tests/benchmarks/memory.py TREE [--calls 10]

Runs `hexcheck.check([TREE])` (the tree's own configuration, `strict` so that every rule
and every per-run index runs) `--calls` times in this process, then collects garbage and
prints: how many `ProjectModel`s are still alive, the Python heap still allocated
(tracemalloc, against the heap before the first call) and the peak RSS. The Python API,
the test suite and the flake8 plugin in an editor all call `check` many times.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import tracemalloc
from dataclasses import replace


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("tree")
    parser.add_argument("--calls", type=int, default=10)
    args = parser.parse_args(argv)
    os.chdir(args.tree)

    import hexcheck
    from hexcheck.adapters.pyproject import find_config, load_config
    from hexcheck.analysis.model import ProjectModel

    config = replace(load_config(find_config(".")), preset="strict")
    hexcheck.check(["."], config)  # imports, the rule registry, first-use caches
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    findings = 0
    for _ in range(args.calls):
        findings = len(hexcheck.check(["."], config).findings)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    alive = sum(1 for o in gc.get_objects() if isinstance(o, ProjectModel))
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"hexcheck from {os.path.dirname(hexcheck.__file__)}")
    print(f"{args.calls} calls, {findings} findings each")
    print(f"models alive after gc: {alive}")
    print(f"heap left behind: {(after - before) / 2**20:.1f} MiB")
    print(f"peak RSS: {peak_rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
