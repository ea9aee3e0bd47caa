"""Compare hexcheck's first-party import graph with grimp's, edge for edge, on any tree.

    python tests/grimp_compare.py PATH [--package NAME ...] [--limit N] [--grimp-discovery]

PATH is a directory holding top-level packages (a repository root, or its `src/`). With
no `--package`, every directory of PATH whose name is an identifier and that holds a
`.py` file somewhere is a top-level package (namespace packages included); single-file
top-level modules are left out on both sides (grimp cannot build a graph from one).

hexcheck's side: every `.py` file with an identifier name below each package, in
directories with identifier names, named by its path relative to PATH, turned into facts
by `extract()` and into edges by `ProjectModel` (with `--grimp-discovery`, exactly the
files grimp finds instead, to compare import resolution alone). grimp's side: `grimp.build_graph` in a
separate, isolated Python process, on a temporary copy of the packages' `.py` files (the
scanned code is never imported or run, and nothing leaks into this process). In the copy,
a file hexcheck cannot parse is emptied (grimp would stop the whole build at it; emptied,
it stays a module and imports nothing on both sides), and so is a relative import that
climbs above the top package (grimp's Rust scanner panics on it).

Differences fall into categories, each explained by a documented, deliberate difference:
- dynamic-import: hexcheck counts `importlib.import_module("x")`/`__import__("x")`.
- self-import: grimp records `a -> a` for `from . import x` in `a/__init__.py` when `x`
  is not a module, or `from a import b` in `a/b.py`; hexcheck has no self-edges.
- grimp-skips-module: grimp does not see the module: a directory without `__init__.py`
  inside a regular package (Python imports it as a namespace package; grimp skips such
  "orphans"), or a file grimp cannot parse.
- hexcheck-skips-module: a module grimp sees that hexcheck does not (a file whose name is
  not an identifier or is a keyword, such as `my-script.py`, which no import can name).
Anything else is `unexplained` and fails the parity test.
"""

from __future__ import annotations

import argparse
import json
import keyword
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hexcheck.analysis.model import Edge, ProjectModel
from hexcheck.core.config import Config
from hexcheck.core.facts import ImportKind, ModuleFacts
from hexcheck.extract.extractor import extract

Pair = tuple[str, str]

UNEXPLAINED = "unexplained"
CATEGORIES = {
    "dynamic-import": "hexcheck counts importlib.import_module()/__import__() with a literal name; "
    "grimp ignores dynamic imports",
    "self-import": "grimp records an import of the importing module itself; hexcheck drops self-edges",
    "grimp-skips-module": "grimp does not see one of the modules (a directory without __init__.py "
    "inside a regular package, or a file grimp cannot parse)",
    "hexcheck-skips-module": "hexcheck does not see one of the modules (its file name is not an identifier)",
    UNEXPLAINED: "no documented reason: a resolution difference to fix",
}

_GRIMP_SCRIPT = r"""
import importlib.util, json, os, sys
root, packages = sys.argv[1], sys.argv[2:]
sys.path.insert(0, root)
import grimp
from grimp.exceptions import SourceSyntaxError
for package in packages:
    spec = importlib.util.find_spec(package)
    locations = list(spec.submodule_search_locations or []) if spec else []
    real = os.path.realpath(root)
    if not locations or any(not os.path.realpath(l).startswith(real) for l in locations):
        print(json.dumps({"error": f"{package} resolves to {locations}, not below {root}"}))
        sys.exit(0)
try:
    graph = grimp.build_graph(*packages, cache_dir=None)
except SourceSyntaxError as error:
    print(json.dumps({"syntax_error": error.filename}))
    sys.exit(0)
edges = sorted(
    [importer, imported]
    for importer in graph.modules
    for imported in graph.find_modules_directly_imported_by(importer)
)
print(json.dumps({"modules": sorted(graph.modules), "edges": edges}))
"""


@dataclass(frozen=True)
class Difference:
    """An edge only one side has; `side` names the side that has it."""

    importer: str
    imported: str
    side: str
    category: str
    where: str  # `path:line: source` of one import statement behind the edge, if known


@dataclass(frozen=True)
class Comparison:
    root: str
    packages: tuple[str, ...]
    hexcheck_modules: frozenset[str]
    grimp_modules: frozenset[str]
    hexcheck_edges: frozenset[Pair]
    grimp_edges: frozenset[Pair]
    differences: tuple[Difference, ...]
    unparsable: tuple[str, ...]  # files hexcheck could not parse (emptied for grimp)
    grimp_unparsable: tuple[str, ...]  # files only grimp could not parse (emptied)

    @property
    def common(self) -> frozenset[Pair]:
        return self.hexcheck_edges & self.grimp_edges

    @property
    def agreement(self) -> float:
        """Edges both sides have, over the edges either side has."""
        union = self.hexcheck_edges | self.grimp_edges
        return len(self.common) / len(union) if union else 1.0

    def unexplained(self) -> tuple[Difference, ...]:
        return tuple(d for d in self.differences if d.category == UNEXPLAINED)

    def by_category(self) -> dict[str, tuple[Difference, ...]]:
        found: dict[str, list[Difference]] = {}
        for difference in self.differences:
            found.setdefault(difference.category, []).append(difference)
        return {category: tuple(found[category]) for category in sorted(found)}


# ---------------------------------------------------------------- discovery


def top_level_packages(root: Path) -> tuple[str, ...]:
    """Directories of `root` with identifier names holding a `.py` file somewhere."""
    found = []
    for entry in sorted(root.iterdir()):
        if entry.is_dir() and _importable(entry.name) and any(_python_files(entry)):
            found.append(entry.name)
    return tuple(found)


def _importable(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def _python_files(package_dir: Path, grimp_discovery: bool = False) -> list[Path]:
    """The `.py` files below a package directory, sorted.

    By default, what Python can import (and hexcheck's discovery finds): files and
    directories with identifier names, directories without `__init__.py` included (they
    are namespace packages, also inside a regular package). With `grimp_discovery`,
    exactly what grimp's ModuleFinder finds: inside a regular package it does not enter a
    directory without `__init__.py`, and it takes any `name.py` with one dot.
    """
    found: list[Path] = []
    portions: list[str] = []
    for directory, dirs, files in os.walk(package_dir):
        if grimp_discovery:
            if any(directory.startswith(portion) for portion in portions):  # grimp's own test
                if "__init__.py" not in files:
                    dirs[:] = []
                    continue
            elif "__init__.py" in files:
                portions.append(directory)
            dirs[:] = sorted(d for d in dirs if d.isidentifier())
            names = [n for n in files if not n.startswith(".") and n.endswith(".py") and n.count(".") == 1]
        else:
            dirs[:] = sorted(d for d in dirs if _importable(d))
            names = [n for n in files if n.endswith(".py") and _importable(n[:-3])]
        found.extend(Path(directory) / name for name in sorted(names))
    return found


def module_name(root: Path, path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(root).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def hexcheck_facts(root: Path, packages: Sequence[str], grimp_discovery: bool = False) -> list[ModuleFacts]:
    facts = []
    for package in packages:
        for path in _python_files(root / package, grimp_discovery):
            module, is_package = module_name(root, path)
            facts.append(extract(path.read_bytes(), module, str(path), is_package))
    return facts


# ---------------------------------------------------------------- grimp


def _copy_for_grimp(root: Path, packages: Sequence[str], target: Path, facts: Sequence[ModuleFacts]) -> None:
    """The packages' `.py` files (as grimp would find them) under `target`, made scannable."""
    for package in packages:
        for directory, dirs, files in os.walk(root / package):
            dirs[:] = [d for d in dirs if d.isidentifier()]
            for name in files:
                if name.endswith(".py"):
                    source = Path(directory) / name
                    destination = target / source.relative_to(root)
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source, destination)
    for each in facts:
        destination = target / Path(each.path).relative_to(root)
        if each.problem is not None:
            destination.write_bytes(b"")
            continue
        climbing = [fact for fact in each.imports if fact.level > 0 and not fact.target]
        if climbing:
            lines = destination.read_bytes().splitlines(keepends=True)
            for fact in climbing:
                first, last = fact.span.line - 1, fact.span.end_line - 1
                indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
                lines[first] = indent + b"pass\n"
                for number in range(first + 1, last + 1):
                    lines[number] = b"\n"
            destination.write_bytes(b"".join(lines))


def grimp_graph(
    root: Path, packages: Sequence[str], facts: Sequence[ModuleFacts]
) -> tuple[frozenset[str], frozenset[Pair], tuple[str, ...]]:
    """grimp's modules and edges, and the files only grimp could not parse."""
    grimp_unparsable: list[str] = []
    with tempfile.TemporaryDirectory(prefix="grimp-compare-") as temporary:
        copy = Path(temporary)
        _copy_for_grimp(root, packages, copy, facts)
        for _attempt in range(100):
            result = subprocess.run(
                [sys.executable, "-I", "-c", _GRIMP_SCRIPT, str(copy), *packages],
                capture_output=True,
                text=True,
                check=False,
                cwd=temporary,
                timeout=600,
            )
            if result.returncode != 0 or not result.stdout.strip():
                raise RuntimeError(f"grimp failed on {root}:\n{result.stderr[-3000:]}")
            answer = json.loads(result.stdout)
            if "error" in answer:
                raise RuntimeError(f"grimp on {root}: {answer['error']}")
            if "syntax_error" in answer:
                broken = Path(answer["syntax_error"])
                grimp_unparsable.append(str(root / broken.relative_to(copy)))
                broken.write_bytes(b"")
                continue
            modules = frozenset(answer["modules"])
            edges = frozenset((importer, imported) for importer, imported in answer["edges"])
            return modules, edges, tuple(sorted(grimp_unparsable))
    raise RuntimeError(f"grimp on {root}: too many files it cannot parse")


# ---------------------------------------------------------------- comparison


def _where(facts: ModuleFacts | None, line: int) -> str:
    if facts is None:
        return ""
    try:
        text = Path(facts.path).read_text(encoding="utf-8", errors="replace").splitlines()[line - 1]
    except (OSError, IndexError):
        text = ""
    return f"{facts.path}:{line}: {text.strip()}"


def _grimp_line(model: ProjectModel, importer: str, imported: str) -> int:
    """The line of an import in `importer` that grimp resolves to `imported` (self-imports)."""
    facts = model.modules.get(importer)
    if facts is None:
        return 0
    for fact in facts.imports:
        if fact.kind is not ImportKind.DYNAMIC and imported in model.targets(facts, fact):
            return fact.span.line
    return 0


def compare(
    root: Path | str, packages: Sequence[str] | None = None, grimp_discovery: bool = False
) -> Comparison:
    """Both graphs of the packages below `root` (all top-level packages by default).

    `grimp_discovery` gives hexcheck grimp's module set, to compare import resolution
    alone; by default hexcheck sees every module Python can import.
    """
    root = Path(root).resolve()
    chosen = tuple(packages) if packages else top_level_packages(root)
    facts = hexcheck_facts(root, chosen, grimp_discovery)
    model = ProjectModel(facts, Config())
    by_pair: dict[Pair, list[Edge]] = {}
    for edge in model.edges():
        by_pair.setdefault((edge.importer, edge.imported), []).append(edge)
    ours = frozenset(by_pair)
    grimp_modules, theirs, grimp_unparsable = grimp_graph(root, chosen, facts)
    skipped_by_grimp = set(grimp_unparsable)
    comparison_modules = frozenset(model.modules).union(model.namespace_packages)
    differences: list[Difference] = []
    for importer, imported in sorted(ours - theirs):
        edges = by_pair[(importer, imported)]
        importer_facts = model.modules[importer]
        if (
            importer not in grimp_modules
            or imported not in grimp_modules
            or importer_facts.path in skipped_by_grimp
        ):
            category = "grimp-skips-module"
        elif all(edge.fact.kind is ImportKind.DYNAMIC for edge in edges):
            category = "dynamic-import"
        else:
            category = UNEXPLAINED
        differences.append(
            Difference(importer, imported, "hexcheck", category, _where(importer_facts, edges[0].line))
        )
    for importer, imported in sorted(theirs - ours):
        if importer == imported:
            category = "self-import"
        elif importer not in model.modules or imported not in comparison_modules:
            category = "hexcheck-skips-module"
        else:
            category = UNEXPLAINED
        line = _grimp_line(model, importer, imported)
        differences.append(
            Difference(importer, imported, "grimp", category, _where(model.modules.get(importer), line))
        )
    return Comparison(
        root=str(root),
        packages=chosen,
        hexcheck_modules=frozenset(model.modules).union(model.namespace_packages),
        grimp_modules=grimp_modules,
        hexcheck_edges=ours,
        grimp_edges=theirs,
        differences=tuple(differences),
        unparsable=tuple(sorted(f.path for f in facts if f.problem is not None)),
        grimp_unparsable=grimp_unparsable,
    )


def report(comparison: Comparison, limit: int = 0) -> str:
    """A plain-text report: counts, agreement, then every difference by category."""
    ours, theirs = comparison.hexcheck_edges, comparison.grimp_edges
    explained = [d for d in comparison.differences if d.category != UNEXPLAINED]
    union = len(ours | theirs)
    lines = [
        f"root: {comparison.root}",
        f"packages: {', '.join(comparison.packages)}",
        f"modules (namespace packages included): hexcheck {len(comparison.hexcheck_modules)}, "
        f"grimp {len(comparison.grimp_modules)}",
        f"files hexcheck cannot parse (emptied for grimp): {len(comparison.unparsable)}",
        f"files only grimp cannot parse (emptied): {len(comparison.grimp_unparsable)}",
        f"edges: hexcheck {len(ours)}, grimp {len(theirs)}, both {len(comparison.common)}, "
        f"only hexcheck {len(ours - theirs)}, only grimp {len(theirs - ours)}",
        f"agreement (both / either): {comparison.agreement:.4%}",
        f"agreement with explained differences counted as agreeing: "
        f"{(len(comparison.common) + len(explained)) / union if union else 1.0:.4%}",
    ]
    for path in (*comparison.unparsable, *comparison.grimp_unparsable):
        lines.append(f"  unparsable: {path}")
    for category, differences in comparison.by_category().items():
        lines.append(f"{category} ({len(differences)}): {CATEGORIES[category]}")
        shown = differences[:limit] if limit else differences
        for d in shown:
            lines.append(f"  only {d.side}: {d.importer} -> {d.imported}    {d.where}")
        if len(shown) < len(differences):
            lines.append(f"  ... and {len(differences) - len(shown)} more")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path", type=Path)
    parser.add_argument("--package", action="append", default=[], help="a top-level package (repeatable)")
    parser.add_argument("--limit", type=int, default=0, help="show at most N differences per category")
    parser.add_argument(
        "--grimp-discovery",
        action="store_true",
        help="give hexcheck grimp's module set (skip directories without __init__.py inside packages)",
    )
    args = parser.parse_args(argv)
    comparison = compare(args.path, args.package or None, args.grimp_discovery)
    print(report(comparison, args.limit))
    return 1 if comparison.unexplained() else 0


if __name__ == "__main__":
    sys.exit(main())
