"""The baseline of target 1: `libcst.parse_module` over every file, nothing else.

    python bare_parse.py FILE_LIST [--jobs N]

FILE_LIST holds one path per line (the files hexcheck checks). Each worker of a
`multiprocessing.Pool(N)` (fork, LibCST imported before forking, as hexcheck does) reads
its files itself and parses them; the parent only hands out paths and counts. Prints
`parsed=<n> failed=<n>`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys

import libcst


def parse(path: str) -> bool:
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        libcst.parse_module(data)
    except Exception:  # a syntax error is a result, not a crash
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file_list")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with open(args.file_list, encoding="utf-8") as handle:
        paths = [line.rstrip("\n") for line in handle if line.strip()]
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with context.Pool(args.jobs) as pool:
        results = list(pool.imap_unordered(parse, paths, chunksize=16))
    print(f"parsed={sum(results)} failed={len(results) - sum(results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
