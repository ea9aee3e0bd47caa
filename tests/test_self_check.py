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


@pytest.mark.parametrize("library", sorted(BOUNDARIES))
def test_third_party_libraries_stay_in_their_package(library: str) -> None:
    config = load_config(find_config(str(REPO)))
    files = [f for f in discover([str(REPO / "hexcheck")], config).files]
    model = build_model(files, config, sequential(config))
    users = sorted(
        facts.module
        for facts in model.modules.values()
        if any(i.target.split(".")[0] == library for i in facts.imports)
    )
    allowed = BOUNDARIES[library]
    assert [m for m in users if not m.startswith(allowed)] == []
