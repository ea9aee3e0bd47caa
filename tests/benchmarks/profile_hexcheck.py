"""Where hexcheck spends its time on a tree: imports, each phase of a run, each rule, and
the per-file extraction against the bare LibCST parse.

    python tests/benchmarks/profile_hexcheck.py TARGET [--config FILE] [--sample 400]

TARGET is what `hexcheck check` is given (the synthetic tree's `src`, a real tree). The
phases are timed in this process, one after the other, with the real code (imports done
first, so they are not counted twice); the import cost is measured apart, in a fresh
process started with `-X importtime`, on the command a warm run executes. Times are CPU
seconds of this process (`time.process_time`), so that other load on the machine
distorts them less than wall-clock times; the extraction section runs sequentially, in
this process, on a sample of the files.

To profile a snapshot of hexcheck rather than the working tree, put the snapshot first
on PYTHONPATH (the benchmark leaves one in `<tree>/.bench-hexcheck`).
"""

from __future__ import annotations

import argparse
import ast
import os
import pickle
import subprocess
import sys
import time
import warnings
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def rss_mb() -> float:
    """Current resident memory of this process (Linux), MB."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return 0.0


MEMORY: list[tuple[str, float]] = []


def timed(label: str, action: Callable[[], T], rows: list[tuple[str, float]]) -> T:
    start = time.process_time()
    value = action()
    rows.append((label, time.process_time() - start))
    MEMORY.append((label, rss_mb()))
    return value


def print_rows(title: str, rows: list[tuple[str, float]], total: float | None = None) -> None:
    print(f"\n{title}")
    total = total if total is not None else sum(seconds for _, seconds in rows)
    for label, seconds in rows:
        share = f"{100 * seconds / total:5.1f}%" if total else ""
        print(f"  {label:<58} {seconds:8.3f} s  {share}")


def import_costs(target: str, config: str | None) -> None:
    """Self time of every imported module, summed by package, for one warm run."""
    command = [sys.executable, "-X", "importtime", "-m", "hexcheck", "check", target, "--jobs", "2"]
    command += ["--preset", "strict", "--format", "concise", "--exit-zero", "-q"]
    if config:
        command += ["--config", config]
    for _ in range(2):  # the first run may fill the cache; the second is the warm run
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
    by_package: dict[str, int] = defaultdict(int)
    hexcheck_modules: dict[str, int] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        first, _, name = (part.strip() for part in line.split("|"))
        self_us = first.removeprefix("import time:").strip()
        if not self_us.isdigit():
            continue
        name = name.strip()
        top = name.split(".")[0]
        by_package[top] += int(self_us)
        if top == "hexcheck":
            hexcheck_modules[name] = int(self_us)
    total = sum(by_package.values()) / 1e6
    rows = [(name, us / 1e6) for name, us in sorted(by_package.items(), key=lambda kv: -kv[1])[:12]]
    print_rows(
        f"imports of one warm run (wall {wall:.2f} s; imports {total:.2f} s of it), by package", rows, total
    )
    heavy = sorted(hexcheck_modules.items(), key=lambda kv: -kv[1])[:6]
    print("  heaviest hexcheck modules (self): " + ", ".join(f"{n} {us / 1e3:.0f} ms" for n, us in heavy))


def phases(target: str, config_path: str | None, jobs: int) -> None:
    from hexcheck.adapters.extraction import Extraction, cache_for
    from hexcheck.adapters.filesystem import discover
    from hexcheck.adapters.pyproject import find_config, load_config
    from hexcheck.adapters.runner import run_check
    from hexcheck.analysis.model import ProjectModel
    from hexcheck.engine import active_rules, check
    from hexcheck.report import FORMATS

    config = load_config(config_path or find_config(target), {"preset": "strict"})  # as the benchmark
    rows: list[tuple[str, float]] = []
    found = timed("discover (walk, exclude, name modules)", lambda: discover([target], config), rows)
    files = found.files
    cache = cache_for(config, True)
    assert cache is not None
    run_check([target], config, jobs, use_cache=True)  # fill the cache if needed
    probe = Extraction(config, jobs, cache)
    signatures = timed("warm: stat every file", lambda: probe._signatures(files), rows)
    timed("warm: read the stats table", lambda: cache.keys_by_stat(signatures), rows)
    timed(
        "warm: run_check end to end (discover, stat, cached report)",
        lambda: run_check([target], config, jobs),
        rows,
    )
    print_rows(f"warm run, {len(files)} files (CPU of this process)", rows)

    rows = []
    fresh = Extraction(config, jobs, cache)
    facts = timed("incremental: facts of every file from the cache", lambda: list(fresh(files)), rows)
    signatures = timed("  of which: stat every file", lambda: fresh._signatures(files), rows)
    known = timed("  of which: read the stats table", lambda: cache.keys_by_stat(signatures), rows)
    timed("  of which: read + unpickle every facts entry", lambda: cache.get_facts(known.values()), rows)
    model = timed("model: ProjectModel(facts)", lambda: ProjectModel(facts, config), rows)
    rules = active_rules(config)
    per_rule: list[tuple[str, float]] = []
    for rule in rules:
        instance = rule()
        timed(f"rule {rule.code} {rule.name}: check", lambda i=instance: list(i.check(model)), per_rule)
        timed(f"rule {rule.code} {rule.name}: examined", lambda i=instance: i.examined(model), per_rule)
    rules_total = sum(s for _, s in per_rule)
    rows.append((f"rules: all {len(rules)} (check + examined)", rules_total))
    report = timed(
        "engine.check again (model + rules + report), facts given",
        lambda: check(files, config, lambda _: facts, found.problems),
        rows,
    )
    timed("render --format concise", lambda: FORMATS["concise"](report, False), rows)
    payload = timed("pickle the report (cache write)", lambda: pickle.dumps(report, protocol=5), rows)
    entries = [(f.path, "sig", "key", replace(x, path="")) for f, x in zip(files, facts, strict=True)]
    blobs = timed(
        "pickle every facts entry (cache write)",
        lambda: [pickle.dumps(e[3], protocol=5) for e in entries],
        rows,
    )
    timed(
        "unpickle every facts entry (what the parent does per file)",
        lambda: [pickle.loads(b) for b in blobs],
        rows,
    )
    print_rows("incremental / cold main-process work (CPU of this process)", rows, total=None)
    print(f"  report pickle {len(payload) / 1e6:.1f} MB; facts pickles {sum(map(len, blobs)) / 1e6:.1f} MB")
    per_rule.sort(key=lambda row: -row[1])
    print_rows("rules, slowest first", per_rule[:12], total=rules_total)
    print("\nresident memory of this process after each step (MB; facts, model and report still held)")
    for label, mb in MEMORY:
        if not label.startswith("rule "):
            print(f"  {label:<58} {mb:8.0f} MB")


def extraction_costs(target: str, config_path: str | None, sample: int) -> None:
    """Sequentially, per file: the bare parse, and each step of hexcheck's extraction."""
    import libcst

    from hexcheck.adapters.filesystem import discover
    from hexcheck.adapters.pyproject import find_config, load_config
    from hexcheck.extract import extractor, positions

    config = load_config(config_path or find_config(target))
    files = list(discover([target], config).files)
    step = max(1, len(files) // sample)
    chosen = files[::step][:sample]
    datas = [(f, Path(f.path).read_bytes()) for f in chosen]
    totals: dict[str, float] = defaultdict(float)
    for file, data in datas:
        start = time.process_time()
        tree = libcst.parse_module(data)
        totals["libcst.parse_module (the bare parse)"] += time.process_time() - start
        start = time.process_time()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast_tree = ast.parse(data)
        totals["ast.parse (for positions)"] += time.process_time() - start
        start = time.process_time()
        try:
            spans = positions.ast_spans(tree, ast_tree, source=data)
        except positions.PositionMismatch:
            spans = positions.provider_spans(tree)
        totals["positions.ast_spans (pair the trees, calls)"] += time.process_time() - start
        start = time.process_time()
        facts = extractor._Extractor(
            extractor.ModuleFacts(module=file.module, path=file.display_path, is_package=file.is_package),
            spans,
            tree,
        ).run(data)
        totals["_Extractor.run (walk the tree into facts)"] += time.process_time() - start
        start = time.process_time()
        pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL)
        totals["pickle the facts (sent to the parent)"] += time.process_time() - start
    start = time.process_time()
    for file, data in datas:
        extractor.extract(data, file.module, file.display_path, file.is_package)
    whole = time.process_time() - start
    parse = totals["libcst.parse_module (the bare parse)"]
    rows = [*totals.items(), ("extractor.extract, end to end", whole)]
    print_rows(
        f"extraction of {len(datas)} sampled files, sequential (share of the bare parse)", rows, total=parse
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("target")
    parser.add_argument("--config", help="hexcheck config file (as `hexcheck check --config`)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sample", type=int, default=400, help="files for the extraction section")
    parser.add_argument("--skip-imports", action="store_true")
    args = parser.parse_args()
    target = os.path.abspath(args.target)
    import hexcheck

    print(f"hexcheck from {os.path.dirname(hexcheck.__file__)}; target {target}")
    if not args.skip_imports:
        import_costs(target, args.config)
    phases(target, args.config, args.jobs)
    extraction_costs(target, args.config, args.sample)
    return 0


if __name__ == "__main__":
    sys.exit(main())
