"""hexcheck's ecosystem check (after mypy_primer and ruff's ecosystem check).

    python tests/corpus/primer.py [--mirror DIR] [--workdir DIR] [--project REPO ...]
                                  [--split held-out|tuning|all] [--base REV] [--measures]
                                  [--mutate] [--to-label FILE] [--jobs N]

For every project of `tests/corpus/manifest.toml` whose bare git directory is in the mirror
folder (default /work/.mirror, one `owner+name/` folder a project, however it was brought),
the pinned commit is exported with `git archive` into the work folder (default
/tmp/hexcheck-primer, never inside the repository) and `hexcheck check --format json` runs
on it from the project's root with no configuration and no cache. Projects missing from the
mirror are listed first. The table prints findings per rule and, for held-out projects,
the labelled precision with its Wilson 95% interval and the findings still unlabelled.

--base REV      also run hexcheck at commit REV (exported to a temporary folder, run with
                PYTHONPATH) and print the per-project diff of findings, grouped by rule:
                added (+), removed (-), moved (~, same project/path/code/symbol, other line).
--measures      mechanical measures: share of in-tree absolute imports that resolve to a
                scanned module (unresolved ones listed), edge parity with grimp on hexcheck's
                roots, HEX900 against compile() under the newest CPython (pyenv's 3.13),
                HEX102 findings that name an in-tree top-level name, modules-per-layer
                agreement with the manifest's package-level labels.
--mutate        plant the seeded mutations of `mutations.py` in a copy of each held-out
                project and report which ones hexcheck (strict preset) finds.
--to-label FILE write the held-out findings that need a label (all of a rule's findings
                up to 20 a project, else a seeded sample of 20; and the finding that stands
                for each of up to 20 design decisions, SPEC §3 groups) and lack one, as JSON
                lines with the code around them, for a labeller. Precision is printed over
                both samples: findings, and design decisions (the issues' bar).

Output is deterministic: projects in manifest order, findings sorted, no timings.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # run as a script: make `tests.corpus` importable
    sys.path.insert(0, str(REPO))

from tests.corpus.corpus import (  # noqa: E402
    Finding,
    Key,
    Label,
    ManifestError,
    Precision,
    Project,
    diff_findings,
    format_diff,
    layer_agreement,
    load_manifest,
    parse_labels,
    percent,
    precision,
    sample_for_labelling,
    sample_groups_for_labelling,
)

CORPUS = REPO / "tests" / "corpus"
MANIFEST = CORPUS / "manifest.toml"
LABELS = CORPUS / "labels.jsonl"
RESERVED = (Path("/work/shared/reserved-repos.txt"), REPO.parent / "shared" / "reserved-repos.txt")
DEFAULT_MIRROR = Path("/work/.mirror")
DEFAULT_WORKDIR = Path(tempfile.gettempdir()) / "hexcheck-primer"


# --- the mirror and the exports ------------------------------------------------------------


def git_dir(mirror: Path, project: Project) -> Path | None:
    """The project's bare git directory in the mirror, if it holds the pinned commit."""
    base = mirror / project.slug
    for candidate in (base / "repo" / ".git", base / "repo", base / ".git", base):
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            found = subprocess.run(
                ["git", "--git-dir", str(candidate), "cat-file", "-e", f"{project.commit}^{{commit}}"],
                capture_output=True,
            )
            return candidate if found.returncode == 0 else None
    return None


def export(git: Path, commit: str, destination: Path) -> Path:
    """`git archive` of the commit into `destination` (reused when it already holds it)."""
    stamp = destination / ".primer-commit"
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == commit:
        return destination
    if destination.exists():
        shutil.rmtree(destination)
    destination.mkdir(parents=True)
    paths = present_paths(git, commit)
    # a snapshot can lack its largest blobs (data files); archive the paths whose blobs are here
    for start in range(0, len(paths), 2000):
        _archive(git, commit, paths[start : start + 2000], destination)
    stamp.write_text(commit + "\n", encoding="utf-8")
    return destination


def _archive(git: Path, commit: str, paths: Sequence[str], destination: Path) -> None:
    """Extract `paths` of the commit; a blob the snapshot holds but cannot read is left out."""
    remaining = list(paths)
    for _attempt in range(100):
        result = subprocess.run(
            ["git", "--git-dir", str(git), "archive", commit, "--", *remaining], capture_output=True
        )
        if result.returncode == 0:
            subprocess.run(["tar", "-x", "-C", str(destination)], input=result.stdout, check=True)
            return
        unreadable = set(re.findall(r"for '([^']+)'", result.stderr.decode("utf-8", "replace")))
        if not unreadable:
            raise RuntimeError(f"git archive {commit} failed in {git}: {result.stderr.decode()[-500:]}")
        remaining = [p for p in remaining if p.removeprefix(":(literal)") not in unreadable]
    raise RuntimeError(f"git archive {commit} in {git}: too many unreadable blobs")


def present_paths(git: Path, commit: str) -> list[str]:
    """The commit's file paths whose blobs the git directory holds (as literal pathspecs)."""
    listing = subprocess.run(
        ["git", "--git-dir", str(git), "ls-tree", "-r", "-z", "--full-tree", commit],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8", "surrogateescape")
    entries = []
    for record in listing.split("\0"):
        if record:
            meta, path = record.split("\t", 1)
            _mode, kind, sha = meta.split()
            if kind == "blob":
                entries.append((sha, path))
    checked = (
        subprocess.run(
            ["git", "--git-dir", str(git), "cat-file", "--batch-check=%(objectname) %(objecttype)"],
            input="".join(f"{sha}\n" for sha, _ in entries).encode(),
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .splitlines()
    )
    return [
        f":(literal){path}"
        for (sha, path), line in zip(entries, checked, strict=True)
        if line.endswith(" blob")
    ]


def copy_tree(source: Path, destination: Path) -> Path:
    if destination.exists():
        shutil.rmtree(destination)
    shutil.copytree(source, destination, symlinks=True)
    return destination


def pinned_tree(
    repo: str, mirror: Path | None = None, workdir: Path | None = None
) -> tuple[Path | None, str]:
    """The manifest's pinned commit of `repo`, exported (reused when already exported), or
    None and a message saying how to bring it. For tests that need a real project."""
    mirror = mirror or Path(os.environ.get("HEXCHECK_MIRROR", DEFAULT_MIRROR))
    project = next((p for p in load_manifest(MANIFEST, RESERVED) if p.repo == repo), None)
    if project is None:
        return None, f"{repo} is not in {MANIFEST.relative_to(REPO)}"
    git = git_dir(mirror, project)
    if git is None:
        return None, (
            f"{repo} @ {project.commit[:12]} is not in the mirror {mirror}: bring it with the fetch tool "
            f"(github:{repo}) or `git clone --bare` into {mirror / project.slug / 'repo'} "
            "(HEXCHECK_MIRROR names another mirror folder)"
        )
    return export(git, project.commit, (workdir or DEFAULT_WORKDIR) / "projects" / project.slug), ""


# --- running hexcheck ------------------------------------------------------------------------


@dataclass(frozen=True)
class Hexcheck:
    """One hexcheck to run: the worktree's, or a commit's exported into a temporary folder."""

    name: str
    source: Path  # a folder holding the `hexcheck` package

    def run(self, arguments: Sequence[str], cwd: Path) -> str:
        environment = dict(os.environ)
        environment["PYTHONPATH"] = str(self.source)
        environment.pop("HEXCHECK_CONFIG", None)
        result = subprocess.run(
            [sys.executable, "-m", "hexcheck", *arguments],
            cwd=cwd,
            env=environment,
            capture_output=True,
            text=True,
        )
        if result.returncode not in (0, 1):
            raise RuntimeError(f"hexcheck {self.name} failed in {cwd}: {result.stderr.strip()[-2000:]}")
        return result.stdout

    def check(
        self, root: Path, jobs: int, preset: str = "recommended"
    ) -> tuple[list[Finding], dict[str, object]]:
        output = self.run(
            [
                "check",
                "--format",
                "json",
                "--no-cache",
                "--exit-zero",
                "--jobs",
                str(jobs),
                "--preset",
                preset,
                ".",
            ],
            root,
        )
        data = json.loads(output)
        project = root.name.replace("+", "/", 1)
        return sorted(Finding.from_json(project, raw) for raw in data["findings"]), dict(data["summary"])

    def graph(self, root: Path) -> dict[str, list[dict[str, object]]]:
        data: dict[str, list[dict[str, object]]] = json.loads(
            self.run(["graph", "--format", "json", "."], root)
        )
        return data


def hexcheck_at(revision: str, workdir: Path) -> Hexcheck:
    """hexcheck as it was at `revision` of this repository, exported once into the work folder."""
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--verify", f"{revision}^{{commit}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    destination = workdir / "hexcheck" / commit
    if not (destination / ".primer-commit").is_file():
        if destination.exists():
            shutil.rmtree(destination)
        destination.mkdir(parents=True)
        archive = subprocess.Popen(
            ["git", "-C", str(REPO), "archive", commit, "hexcheck"], stdout=subprocess.PIPE
        )
        subprocess.run(["tar", "-x", "-C", str(destination)], stdin=archive.stdout, check=True)
        archive.wait()
        (destination / ".primer-commit").write_text(commit + "\n", encoding="utf-8")
    return Hexcheck(f"{revision} ({commit[:10]})", destination)


WORKTREE = Hexcheck("worktree", REPO)


# --- mechanical measures ----------------------------------------------------------------------

# Runs under the newest CPython on the machine: compile() of every file, and its absolute imports.
_PROBE = r"""
import ast, json, sys
result = {}
for path in json.load(sys.stdin):
    entry = {"compiles": True, "error": "", "imports": []}
    try:
        source = open(path, "rb").read()
        compile(source, path, "exec", dont_inherit=True)
        tree = ast.parse(source)
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError, MemoryError, RecursionError) as error:
        entry["compiles"] = False
        entry["error"] = f"{type(error).__name__}: {error}"[:200]
        result[path] = entry
        continue
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            entry["imports"].extend([node.lineno, alias.name, ""] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            entry["imports"].extend([node.lineno, node.module, alias.name] for alias in node.names)
    result[path] = entry
json.dump({"python": sys.version.split()[0], "files": result}, sys.stdout)
"""


def newest_python() -> str:
    """pyenv's newest CPython 3.13 (the newest on this machine), else python3.13 on PATH."""
    found = subprocess.run(["pyenv", "which", "python3.13"], capture_output=True, text=True)
    if found.returncode == 0 and found.stdout.strip():
        return found.stdout.strip()
    candidates = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.13*/bin/python3.13")))
    if candidates:
        return candidates[-1]
    return shutil.which("python3.13") or sys.executable


def probe(root: Path, paths: Sequence[str]) -> dict[str, object]:
    result = subprocess.run(
        [newest_python(), "-I", "-c", _PROBE],
        input=json.dumps([str(root / p) for p in paths]),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"the compile() probe failed on {root}: {result.stderr[-2000:]}")
    data: dict[str, object] = json.loads(result.stdout)
    files = data["files"]
    assert isinstance(files, dict)
    data["files"] = {str(Path(k).relative_to(root)): v for k, v in files.items()}
    return data


def in_tree_names(root: Path, module_names: Iterable[str]) -> frozenset[str]:
    """Top-level names the tree defines: the first part of every module hexcheck named, and
    every module or folder holding Python code directly in the repository root or beside a
    packaging file (pyproject.toml, setup.py, setup.cfg), where the project's own imports start
    (`src` counts when the code imports `src.x`)."""
    names = {name.split(".")[0] for name in module_names}
    bases = {root} | {
        marker.parent
        for pattern in ("pyproject.toml", "setup.py", "setup.cfg")
        for marker in root.rglob(pattern)
        if not any(part.startswith(".") for part in marker.relative_to(root).parts)
    }
    for base in sorted(bases):
        for entry in base.iterdir():
            if entry.suffix == ".py" and entry.is_file():
                names.add(entry.stem)
            elif entry.is_dir() and not entry.name.startswith(".") and any(entry.rglob("*.py")):
                names.add(entry.name)
    return frozenset(n for n in names if n.isidentifier())


def namespace_folders(root: Path, modules: Iterable[Mapping[str, object]]) -> dict[str, list[Path]]:
    """Top-level names the tree holds only as namespace folders (no `__init__.py`, no
    `name.py`), with those folders: from where hexcheck found modules under them."""
    folders: dict[str, set[Path]] = {}
    regular: set[str] = set()
    for module in modules:
        name, path = str(module["name"]), Path(str(module["path"]))
        parts = path.with_suffix("").parts
        depth = len(name.split("."))
        if parts and parts[-1] == "__init__":
            parts = parts[:-1]
        if len(parts) < depth:
            continue
        if depth == 1:
            regular.add(name)
            continue
        folders.setdefault(name.split(".")[0], set()).add(root.joinpath(*parts[: len(parts) - depth + 1]))
    return {top: sorted(found) for top, found in folders.items() if top not in regular}


def shadowed_by_installed(dotted: str, folders: Mapping[str, Sequence[Path]]) -> bool:
    """Whether an import names a top-level package the tree holds only as namespace folders,
    and a module none of them holds: at run time an installed regular package of that name
    wins over namespace portions (PEP 420), so this is the third-party package (`alembic/`
    of migrations beside `from alembic import context`)."""
    parts = dotted.split(".")
    if parts[0] not in folders or len(parts) == 1:
        return False
    for folder in folders[parts[0]]:
        for depth in range(len(parts), 1, -1):
            place = folder.joinpath(*parts[1:depth])
            if place.with_suffix(".py").is_file() or place.is_dir():
                return False
    return True


def _resolves(dotted: str, modules: frozenset[str]) -> bool:
    parts = dotted.split(".")
    if any(".".join(parts[:i]) in modules for i in range(len(parts), 0, -1)):
        return True
    return any(m.startswith(dotted + ".") for m in modules)


@dataclass
class Measures:
    imports: int = 0
    resolved: int = 0
    unresolved: tuple[str, ...] = ()
    grimp: str = "-"
    grimp_unexplained: tuple[str, ...] = ()
    compile_python: str = ""
    hex900: int = 0
    compile_errors: int = 0
    hex900_disagreements: tuple[str, ...] = ()
    hex102_in_tree: tuple[str, ...] = ()
    layer_covered: int = 0
    layer_agreeing: int = 0
    layer_disagreements: tuple[tuple[str, str, str], ...] = ()
    modules_per_layer: str = ""


def roots_of(modules: Iterable[Mapping[str, object]]) -> dict[str, set[str]]:
    """hexcheck's chosen import roots (folder -> top-level packages), read off the graph."""
    roots: dict[str, set[str]] = {}
    for module in modules:
        name, path = str(module["name"]), str(module["path"])
        parts = Path(path).with_suffix("").parts
        if parts and parts[-1] == "__init__":
            parts = parts[:-1]
        depth = len(name.split("."))
        if len(parts) < depth or ".".join(parts[len(parts) - depth :]) != name:
            continue
        root = "/".join(parts[: len(parts) - depth]) or "."
        is_package = path.endswith("__init__.py") or depth > 1
        if is_package:
            roots.setdefault(root, set()).add(name.split(".")[0])
    return roots


def measure(
    project: Project, root: Path, findings: Sequence[Finding], graph: Mapping[str, object]
) -> Measures:
    modules = graph["modules"]
    assert isinstance(modules, list)
    names = frozenset(str(m["name"]) for m in modules)
    paths = sorted({str(m["path"]) for m in modules} | {f.path for f in findings if f.code == "HEX900"})
    probed = probe(root, paths)
    files = probed["files"]
    assert isinstance(files, dict)
    tree_names = in_tree_names(root, names) - (
        frozenset(sys.stdlib_module_names) - {n.split(".")[0] for n in names}
    )
    result = Measures(compile_python=str(probed["python"]))

    namespaces = namespace_folders(root, modules)
    unresolved: list[str] = []
    for path in sorted(files):
        for line, module, name in files[path]["imports"]:
            dotted = f"{module}.{name}" if name and name != "*" else module
            if module.split(".")[0] not in tree_names or shadowed_by_installed(dotted, namespaces):
                continue
            result.imports += 1
            if _resolves(dotted, names):
                result.resolved += 1
            else:
                unresolved.append(f"{path}:{line}: {module}{'.' + name if name else ''}")
    result.unresolved = tuple(unresolved)

    hex900 = {f.path for f in findings if f.code == "HEX900"}
    failing = {p for p, entry in files.items() if not entry["compiles"]}
    result.hex900, result.compile_errors = len(hex900), len(failing)
    result.hex900_disagreements = tuple(
        [f"HEX900 but compiles: {p}" for p in sorted(hex900 - failing)]
        + [f"no HEX900 but compile() fails: {p}: {files[p]['error']}" for p in sorted(failing - hex900)]
    )
    result.hex102_in_tree = tuple(
        f"{f.path}:{f.line}: {f.symbol}"
        for f in findings
        if f.code == "HEX102" and f.symbol.rsplit(" -> ", 1)[-1].split(".")[0] in tree_names
    )

    agreement = layer_agreement(modules, project.layers)
    result.layer_covered, result.layer_agreeing = agreement.covered, agreement.agreeing
    result.layer_disagreements = agreement.disagreements
    per_layer = Counter(str(m.get("layer") or "unlayered") for m in modules)
    result.modules_per_layer = " ".join(f"{layer}={per_layer[layer]}" for layer in sorted(per_layer))

    try:
        from tests.grimp_compare import compare

        common = union = 0
        unexplained: list[str] = []
        for folder, packages in sorted(roots_of(modules).items()):
            comparison = compare(root / folder, sorted(packages), grimp_discovery=True)
            common += len(comparison.common)
            union += len(comparison.hexcheck_edges | comparison.grimp_edges)
            unexplained.extend(
                f"{d.side}: {d.importer} -> {d.imported} ({d.where})" for d in comparison.unexplained()
            )
        result.grimp = f"{common}/{union}" if union else "no edges"
        result.grimp_unexplained = tuple(sorted(unexplained))
    except Exception as error:  # grimp missing or a grimp failure: reported, never fatal
        result.grimp = f"not measured ({type(error).__name__}: {str(error)[:80]})"
    return result


# --- labels --------------------------------------------------------------------------------


def read_labels(path: Path) -> dict[Key, Label]:
    if not path.is_file():
        return {}
    return parse_labels(path.read_text(encoding="utf-8").splitlines())


def context(root: Path, finding: Finding, around: int = 4) -> str:
    try:
        lines = (root / finding.path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    start = max(0, finding.line - 1 - around)
    shown = lines[start : finding.line + around]
    return "\n".join(
        f"{start + i + 1:5}{'>' if start + i + 1 == finding.line else ' '} {text}"
        for i, text in enumerate(shown)
    )


# --- the command ----------------------------------------------------------------------------


def _table(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]


def _summed(per_project: Sequence[tuple[str, Precision]]) -> Precision:
    return Precision(
        sum(p.n for _, p in per_project),
        sum(p.true for _, p in per_project),
        sum(p.accepted for _, p in per_project),
        sum(p.false for _, p in per_project),
    )


def _precision_cell(value: Precision) -> str:
    if not value.n:
        return "-"
    low, high = value.interval
    return f"{percent(value.value)} [{percent(low)}, {percent(high)}]"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR, help="folder of bare git directories")
    parser.add_argument(
        "--workdir", type=Path, default=DEFAULT_WORKDIR, help="exports go here (outside the repo)"
    )
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--project", action="append", default=[], help="only this repository (repeatable)")
    parser.add_argument("--split", choices=("all", "held-out", "tuning"), default="all")
    parser.add_argument("--base", help="also run hexcheck at this commit and print the finding diff")
    parser.add_argument("--head", help="run hexcheck at this commit instead of the worktree's")
    parser.add_argument("--measures", action="store_true")
    parser.add_argument("--mutate", action="store_true")
    parser.add_argument("--to-label", type=Path, help="write held-out findings lacking a label here")
    parser.add_argument(
        "--jobs", "-j", type=int, default=2, help="hexcheck's --jobs (projects run in sequence)"
    )
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="list unresolved imports and disagreements"
    )
    options = parser.parse_args(argv)

    workdir: Path = options.workdir.resolve()
    if workdir == REPO or REPO in workdir.parents:
        parser.error(f"the work folder {workdir} is inside the repository; exports stay outside it")
    try:
        projects = load_manifest(options.manifest, RESERVED)
    except ManifestError as error:
        print(error, file=sys.stderr)
        return 2
    if options.project:
        wanted = {p.lower() for p in options.project}
        projects = [p for p in projects if p.repo.lower() in wanted]
    if options.split != "all":
        projects = [p for p in projects if p.split == options.split]

    present: list[tuple[Project, Path]] = []
    missing: list[Project] = []
    for project in projects:
        git = git_dir(options.mirror, project)
        if git is None:
            missing.append(project)
        else:
            present.append((project, git))
    if missing:
        print(
            f"# {len(missing)} project(s) missing from {options.mirror}"
            " (bring them, e.g. with the fetch tool):"
        )
        for project in missing:
            print(f"#   {project.repo} @ {project.commit}")
        print()

    head = hexcheck_at(options.head, workdir) if options.head else WORKTREE
    base = hexcheck_at(options.base, workdir) if options.base else None
    labels = read_labels(options.labels)
    to_label: list[dict[str, object]] = []
    rows = [
        [
            "project",
            "split",
            "files",
            "findings",
            "groups",
            "by rule",
            "sampled",
            "unlabelled",
            "precision [95% CI]",
        ]
    ]
    diffs: list[str] = []
    measure_rows = [
        [
            "project",
            "resolved imports",
            "grimp edges",
            "HEX900/compile()",
            "HEX102 in-tree",
            "layer agreement",
            "modules per layer",
        ]
    ]
    measure_details: list[str] = []
    mutation_rows = [["project", "planted", "found", "recall", "missed"]]
    mutation_details: list[str] = []
    totals = Counter[str]()
    overall: list[Finding] = []
    held_precision: list[tuple[str, Precision]] = []
    group_precision: list[tuple[str, Precision]] = []
    totals_mutation = Counter[str]()

    for project, git in present:
        root = export(git, project.commit, workdir / "projects" / project.slug)
        findings, summary = head.check(root, options.jobs)
        by_rule = Counter(f.code for f in findings)
        cell = " ".join(f"{code}:{count}" for code, count in sorted(by_rule.items()))
        sampled: list[Finding] = []
        unlabelled = "-"
        precision_cell = "-"
        if project.split == "held-out":
            sampled = sample_for_labelling(findings)
            value, lacking = precision(sampled, labels)
            held_precision.append((project.repo, value))
            overall.extend(sampled)
            precision_cell = _precision_cell(value)
            # The issues' bar is set over design decisions (SPEC §3 groups), what the
            # review shows as one item each, each labelled by the finding standing for it.
            by_group, lacking_group = precision(sample_groups_for_labelling(findings), labels)
            group_precision.append((project.repo, by_group))
            lacking.extend(finding for finding in lacking_group if finding not in lacking)
            unlabelled = str(len(lacking))
            group_sizes = Counter(f.group for f in findings if f.group)
            for finding in lacking:
                entry = finding.as_json()
                if finding.group:
                    entry["group_findings"] = group_sizes[finding.group]
                entry["context"] = context(root, finding)
                to_label.append(entry)
        rows.append(
            [
                project.repo,
                project.split,
                str(summary.get("files", "")),
                str(len(findings)),
                # Design decisions (SPEC §3 groups); "-" from a hexcheck without them.
                str(summary.get("groups", "-")),
                cell or "-",
                str(len(sampled)) if sampled else "-",
                unlabelled,
                precision_cell,
            ]
        )
        totals["findings"] += len(findings)

        if base is not None:
            before, _ = base.check(root, options.jobs)
            diff = diff_findings(before, findings)
            totals["added"] += len(diff.added)
            totals["removed"] += len(diff.removed)
            totals["moved"] += len(diff.moved)
            diffs.extend(format_diff(project.repo, diff))

        graph: dict[str, list[dict[str, object]]] | None = None
        if options.measures or options.mutate:
            graph = head.graph(root)
        if options.measures and graph is not None:
            m = measure(project, root, findings, graph)
            measure_rows.append(
                [
                    project.repo,
                    f"{m.resolved}/{m.imports} {percent(m.resolved / m.imports if m.imports else None)}",
                    m.grimp + (f" ({len(m.grimp_unexplained)} unexplained)" if m.grimp_unexplained else ""),
                    f"{m.hex900}/{m.compile_errors}"
                    + (f" ({len(m.hex900_disagreements)} differ)" if m.hex900_disagreements else ""),
                    str(len(m.hex102_in_tree)),
                    f"{m.layer_agreeing}/{m.layer_covered} "
                    + percent(m.layer_agreeing / m.layer_covered if m.layer_covered else None),
                    m.modules_per_layer,
                ]
            )
            totals["imports"] += m.imports
            totals["resolved"] += m.resolved
            totals["layer_covered"] += m.layer_covered
            totals["layer_agreeing"] += m.layer_agreeing
            if options.verbose:
                details = (
                    [f"unresolved import: {u}" for u in m.unresolved]
                    + [f"grimp: {u}" for u in m.grimp_unexplained]
                    + list(m.hex900_disagreements)
                    + [f"HEX102 names an in-tree name: {u}" for u in m.hex102_in_tree]
                    + [
                        f"layer: {p}: labelled {want}, hexcheck {got}"
                        for p, want, got in m.layer_disagreements
                    ]
                )
                if details:
                    measure_details.append(f"## {project.repo} (compile() under Python {m.compile_python})")
                    measure_details.extend(f"  {d}" for d in details)

        if options.mutate and project.split == "held-out" and graph is not None:
            from tests.corpus.mutations import plant

            copy = copy_tree(root, workdir / "mutants" / project.slug)
            module_names = {str(m["path"]): str(m["name"]) for m in graph["modules"]}
            mutations = plant(copy, project.layers, module_names, seed=f"14:{project.repo}")
            before, _ = head.check(root, options.jobs, preset="strict")
            after, _ = head.check(copy, options.jobs, preset="strict")
            counted_before = Counter((f.path, f.code) for f in before)
            counted_after = Counter((f.path, f.code) for f in after)
            planted = [m for m in mutations if m.path]
            found = [m for m in planted if counted_after[(m.path, m.code)] > counted_before[(m.path, m.code)]]
            missed = [m for m in planted if m not in found]
            totals_mutation["planted"] += len(planted)
            totals_mutation["found"] += len(found)
            mutation_rows.append(
                [
                    project.repo,
                    str(len(planted)),
                    str(len(found)),
                    percent(len(found) / len(planted) if planted else None),
                    " ".join(m.kind for m in missed) or "-",
                ]
            )
            mutation_details.append(f"## {project.repo}")
            for mutation in mutations:
                status = (
                    "not applicable" if not mutation.path else ("found" if mutation in found else "MISSED")
                )
                where = f" {mutation.path}" if mutation.path else ""
                mutation_details.append(
                    f"  {status:14} {mutation.code} {mutation.kind}:{where} ({mutation.note})"
                )

    if len(rows) > 1:
        print("\n".join(_table(rows)))
        if held_precision:
            total = _summed(held_precision)
            print(
                f"\nheld-out precision: {total.correct}/{total.n} = {_precision_cell(total)}"
                f" (true {total.true}, true-but-accepted {total.accepted}, false {total.false});"
                f" {len(to_label)} sampled finding(s) lack a label"
            )
            groups = _summed(group_precision)
            print(
                f"held-out precision by design decision (up to 20 groups a project, a group"
                f" labelled by its first finding): {groups.correct}/{groups.n} = {_precision_cell(groups)}"
                f" (true {groups.true}, true-but-accepted {groups.accepted}, false {groups.false})"
            )
        print(f"findings: {totals['findings']} in {len(present)} project(s)")
    if base is not None:
        print(
            f"\n# diff {base.name} -> {head.name}: +{totals['added']} -{totals['removed']} ~{totals['moved']}"
        )
        print("\n".join(diffs) if diffs else "no finding changed")
    if options.measures and len(measure_rows) > 1:
        print("\n# mechanical measures")
        print("\n".join(_table(measure_rows)))
        share = totals["resolved"] / totals["imports"] if totals["imports"] else None
        agreement = totals["layer_agreeing"] / totals["layer_covered"] if totals["layer_covered"] else None
        print(
            f"overall: resolved imports {totals['resolved']}/{totals['imports']} {percent(share)};"
            f" layer agreement {totals['layer_agreeing']}/{totals['layer_covered']} {percent(agreement)}"
        )
        if measure_details:
            print("\n".join(measure_details))
    if options.mutate and len(mutation_rows) > 1:
        print("\n# seeded mutations (strict preset)")
        print("\n".join(_table(mutation_rows)))
        recall = totals_mutation["found"] / totals_mutation["planted"] if totals_mutation["planted"] else None
        print(f"overall recall: {totals_mutation['found']}/{totals_mutation['planted']} {percent(recall)}")
        print("\n".join(mutation_details))
    if options.to_label is not None:
        options.to_label.write_text("".join(json.dumps(e) + "\n" for e in to_label), encoding="utf-8")
        print(f"\nwrote {len(to_label)} finding(s) to label to {options.to_label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
