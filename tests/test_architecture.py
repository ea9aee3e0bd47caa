"""hexcheck's own package order, checked with grimp (the engine under import-linter):

    core < analysis < semantics < rules < engine < report < adapters

extract sits below adapters, beside analysis (only the adapters may run LibCST), and
`hexcheck/__init__` (the Python API) and `__main__` sit on top. A package may import the
ones below it, never one above: `analysis -> rules` or `semantics -> rules` is a bug that
the self-check, whose layers are coarser, would not see.

grimp builds the graph in a subprocess, on the package found first on its `PYTHONPATH`:
this checkout, or a copy with an upward import planted, to prove the check can fail.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytest.importorskip("grimp")

# Highest first, as import-linter writes layers; packages on one line are independent.
ORDER: tuple[tuple[str, ...], ...] = (
    ("adapters",),
    ("report",),
    ("engine",),
    ("rules",),
    ("semantics",),
    ("analysis", "extract"),
    ("core",),
)

_CHECK = """
import json, sys
import grimp

order = json.loads(sys.argv[1])
graph = grimp.build_graph("hexcheck", cache_dir=None)
layers = [grimp.Layer(*tails, independent=True) for tails in order]
found = []
for dependency in graph.find_illegal_dependencies_for_layers(layers=layers, containers={"hexcheck"}):
    for route in dependency.routes:
        found.append([dependency.importer, dependency.imported, list(route.heads), list(route.tails)])
users_of_extract = sorted(
    {
        importer
        for module in graph.modules
        if module == "hexcheck.extract" or module.startswith("hexcheck.extract.")
        for importer in graph.find_modules_that_directly_import(module)
        if not importer.startswith(("hexcheck.extract", "hexcheck.adapters"))
    }
)
print(json.dumps({"illegal": sorted(found), "extract_users": users_of_extract}))
"""


def _check(root: Path) -> dict[str, list[object]]:
    """Run grimp on the `hexcheck` package under `root`."""
    done = subprocess.run(
        [sys.executable, "-c", _CHECK, json.dumps(ORDER)],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, list[object]] = json.loads(done.stdout)
    return result


def test_every_package_imports_only_those_below_it() -> None:
    result = _check(REPO)
    assert result["illegal"] == [], "imports against the package order (importer, imported, route)"
    assert result["extract_users"] == [], "only the adapters may import hexcheck.extract"


def test_every_package_of_hexcheck_has_its_place() -> None:
    placed = {name for line in ORDER for name in line}
    packages = {p.name for p in (REPO / "hexcheck").iterdir() if (p / "__init__.py").is_file()}
    modules = {p.stem for p in (REPO / "hexcheck").glob("*.py")} - {"__init__", "__main__"}
    assert packages | modules == placed


@pytest.mark.parametrize(
    ("module", "planted", "importer", "imported"),
    [
        ("analysis/model.py", "import hexcheck.rules.base", "hexcheck.analysis", "hexcheck.rules"),
        ("semantics/roles.py", "from hexcheck.rules import messages", "hexcheck.semantics", "hexcheck.rules"),
        ("core/facts.py", "import hexcheck.engine", "hexcheck.core", "hexcheck.engine"),
        ("extract/extractor.py", "import hexcheck.analysis.model", "hexcheck.extract", "hexcheck.analysis"),
    ],
)
def test_a_planted_upward_import_fails_the_check(
    tmp_path: Path, module: str, planted: str, importer: str, imported: str
) -> None:
    shutil.copytree(REPO / "hexcheck", tmp_path / "hexcheck", ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / "hexcheck" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{planted}\n", encoding="utf-8")

    illegal = _check(tmp_path)["illegal"]

    assert [importer, imported] in [pair[:2] for pair in illegal]  # type: ignore[index]
