"""hexcheck is a small hexagon and checks itself: no finding, and each third-party
library stays in the one package that may use it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hexcheck.adapters.extraction import sequential
from hexcheck.adapters.filesystem import discover
from hexcheck.adapters.pyproject import find_config, load_config
from hexcheck.engine import build_model
from tests.conftest import REPO

# library -> the only packages of hexcheck that may import it
BOUNDARIES = {
    "libcst": ("hexcheck.extract",),
    "networkx": ("hexcheck.analysis",),
    "typer": ("hexcheck.adapters",),
    "tomli": ("hexcheck.adapters",),
    "tomllib": ("hexcheck.adapters",),
    "tomlkit": ("hexcheck.adapters",),
    "flake8": ("hexcheck.adapters",),
    "sqlite3": ("hexcheck.adapters",),
    "configparser": ("hexcheck.adapters",),
}


def test_hexcheck_finds_nothing_in_itself() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hexcheck", "check", ".", "--no-cache", "--format", "concise"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.stdout == ""
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def imported_libraries() -> dict[str, set[str]]:
    """hexcheck's modules -> the top-level packages each imports (one extraction for all cases)."""
    config = load_config(find_config(str(REPO)))
    files = [f for f in discover([str(REPO / "hexcheck")], config).files]
    model = build_model(files, config, sequential(config))
    return {facts.module: {i.target.split(".")[0] for i in facts.imports} for facts in model.modules.values()}


@pytest.mark.parametrize("library", sorted(BOUNDARIES))
def test_third_party_libraries_stay_in_their_package(
    library: str, imported_libraries: dict[str, set[str]]
) -> None:
    users = sorted(module for module, libraries in imported_libraries.items() if library in libraries)
    allowed = BOUNDARIES[library]
    assert [m for m in users if not m.startswith(allowed)] == []
