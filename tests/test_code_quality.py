"""hexcheck's own code stays `mypy --strict` and ruff clean."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True, timeout=600
    )


def test_mypy_strict_is_clean() -> None:
    result = _run("mypy", "hexcheck")
    assert result.returncode == 0, result.stdout


def test_ruff_is_clean() -> None:
    result = _run(
        "ruff", "check", "hexcheck", "tests", "--exclude", "tests/benchmarks", "--output-format", "concise"
    )
    assert result.returncode == 0, result.stdout
