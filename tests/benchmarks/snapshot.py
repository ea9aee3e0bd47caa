"""Everything hexcheck prints, recorded for one checkout, so that a refactor can prove it
changed nothing: `take` writes one file per output, `compare` diffs two snapshots.

    # the trees (fixtures, a synthetic tree, real projects) are prepared once and shared,
    # so that both snapshots see the same paths
    python tests/benchmarks/snapshot.py take --source /tmp/base --trees /tmp/snap-trees \
        --out /tmp/snap-base --real /work/.mirror/cosmicpython+code/repo ...
    python tests/benchmarks/snapshot.py take --source . --trees /tmp/snap-trees --out /tmp/snap-new
    python tests/benchmarks/snapshot.py compare /tmp/snap-base /tmp/snap-new

What is recorded, stdout, stderr and exit code of each:
- `hexcheck check .` in every tree, every `--format`, both presets (`recommended`, `strict`);
- `hexcheck graph .` in every tree, every `--format`;
- `hexcheck rules`, `hexcheck explain CODE` for every code;
- the generated rule pages (`python -m hexcheck.report.rule_docs DIR`).

The trees: every project under `fixtures/`, the benchmark's synthetic tree
(`synthetic.py`, `--modules`, 2,000 by default) and each `--real` bare git repository
(its HEAD exported with `git archive`, read-only: the mirror is never written to). The
checkout under test runs from `--source`, first on `PYTHONPATH`, with the interpreter
that runs this script; each (tree, preset) gets a fresh cache directory under `--out`,
so the first format of a preset is computed by that checkout and the others reuse its
report, as a user's second run would.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tarfile
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECK_FORMATS = ("review", "concise", "json", "sarif", "github", "gitlab", "junit", "markdown")
GRAPH_FORMATS = ("json", "dot", "mermaid", "html")
PRESETS = ("recommended", "strict")


def prepare_trees(trees: Path, fixtures: Path, modules: int, real: list[Path]) -> list[Path]:
    """The trees to check, created under `trees` when missing (never changed once made)."""
    made: list[Path] = []
    for fixture in sorted(p for p in fixtures.iterdir() if p.is_dir()):
        target = trees / f"fixture-{fixture.name}"
        if not target.exists():
            shutil.copytree(fixture, target)
        made.append(target)
    synthetic = trees / f"synthetic-{modules}"
    if not synthetic.exists():
        sys.path.insert(0, str(HERE))
        from synthetic import generate

        generate(synthetic, modules)
    made.append(synthetic)
    for bare in real:
        name = bare.parent.name if bare.name == "repo" else bare.name
        target = trees / f"real-{name}"
        if not target.exists():
            archive = subprocess.run(
                ["git", "--git-dir", str(bare), "archive", "HEAD"], check=True, capture_output=True
            ).stdout
            target.mkdir(parents=True)
            with tarfile.open(fileobj=BytesIO(archive)) as tar:
                tar.extractall(target, filter="data")
            commit = subprocess.run(
                ["git", "--git-dir", str(bare), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
            ).stdout
            (trees / f"real-{name}.commit").write_text(commit)
        made.append(target)
    return made


def _run(source: Path, args: list[str], cwd: Path, out: Path, name: str) -> None:
    env = dict(os.environ, PYTHONPATH=str(source), NO_COLOR="1", COLUMNS="100", TERM="dumb")
    done = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True)
    (out / f"{name}.out").write_bytes(done.stdout)
    (out / f"{name}.err").write_bytes(done.stderr)
    (out / f"{name}.rc").write_text(f"{done.returncode}\n")


def _tree_tasks(source: Path, tree: Path, out: Path) -> list[tuple[str, object]]:
    target = out / tree.name
    target.mkdir(parents=True, exist_ok=True)
    cli = ["-m", "hexcheck"]

    def presets(preset: str) -> None:
        cache = out / "cache" / tree.name / preset
        for fmt in CHECK_FORMATS:
            args = [*cli, "check", ".", "--format", fmt, "--preset", preset, "--cache-dir", str(cache)]
            _run(source, args, tree, target, f"check-{preset}.{fmt}")

    def graphs() -> None:
        for fmt in GRAPH_FORMATS:
            _run(source, [*cli, "graph", ".", "--format", fmt], tree, target, f"graph.{fmt}")

    return [(f"{tree.name} {p}", lambda p=p: presets(p)) for p in PRESETS] + [(f"{tree.name} graph", graphs)]


def take(source: Path, trees: list[Path], out: Path, workers: int) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    env = dict(os.environ, PYTHONPATH=str(source))
    where = subprocess.run(
        [sys.executable, "-c", "import hexcheck.rules.registry as r; import hexcheck;"
         "print(hexcheck.__file__); print(' '.join(x.code for x in r.all_rules()))"],
        env=env, capture_output=True, text=True, check=True, cwd=out,
    ).stdout.splitlines()  # fmt: skip
    print(f"hexcheck from {where[0]}", flush=True)
    (out.parent / f"{out.name}.where").write_text(where[0] + "\n")  # not part of the comparison
    codes = where[1].split()
    tool = out / "tool"
    tool.mkdir()
    _run(source, ["-m", "hexcheck", "rules"], out, tool, "rules")
    for code in codes:
        _run(source, ["-m", "hexcheck", "explain", code], out, tool, f"explain-{code}")
    _run(source, ["-m", "hexcheck.report.rule_docs", "docs"], out, tool, "rule_docs")
    tasks = [task for tree in trees for task in _tree_tasks(source, tree, out)]
    with ThreadPoolExecutor(workers) as pool:
        for name, _ in zip([n for n, _ in tasks], pool.map(lambda t: t[1](), tasks), strict=True):
            print(f"  done {name}", flush=True)
    shutil.rmtree(out / "cache", ignore_errors=True)


def compare(before: Path, after: Path) -> int:
    """0 when both snapshots hold the same files with the same bytes; lists what differs."""
    differ: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        differ.extend(f"only in {before}: {prefix}{n}" for n in cmp.left_only)
        differ.extend(f"only in {after}: {prefix}{n}" for n in cmp.right_only)
        for name in cmp.common_files:
            if not filecmp.cmp(Path(cmp.left) / name, Path(cmp.right) / name, shallow=False):
                differ.append(f"differs: {prefix}{name}")
        for name, sub in sorted(cmp.subdirs.items()):
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(before, after), "")
    files = sum(1 for p in before.rglob("*") if p.is_file())
    for line in differ:
        print(line)
    print(f"{files} files compared, {len(differ)} differences")
    return 1 if differ else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    taking = sub.add_parser("take")
    taking.add_argument("--source", type=Path, required=True, help="the hexcheck checkout to run")
    taking.add_argument("--trees", type=Path, required=True, help="where the trees are (made if missing)")
    taking.add_argument("--out", type=Path, required=True, help="the snapshot directory (replaced)")
    taking.add_argument("--fixtures", type=Path, default=HERE.parent.parent / "fixtures")
    taking.add_argument("--modules", type=int, default=2000, help="size of the synthetic tree")
    taking.add_argument("--real", type=Path, nargs="*", default=[], help="bare git repositories")
    taking.add_argument("--workers", type=int, default=2, help="hexcheck runs at a time")
    comparing = sub.add_parser("compare")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "compare":
        return compare(args.before, args.after)
    trees = prepare_trees(args.trees, args.fixtures, args.modules, args.real)
    take(args.source.resolve(), trees, args.out, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
