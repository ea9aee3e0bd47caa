"""The pre-commit hook, as a user gets it: `pre-commit try-repo` installs hexcheck from a
git checkout into its own virtual environment (from PyPI for the dependencies) and runs
the `hexcheck` hook of `.pre-commit-hooks.yaml` on a throwaway repository.

`try-repo` takes the repository's HEAD commit, plus the uncommitted changes to *tracked*
files when run on a local checkout (it commits them into a temporary shadow clone);
untracked files are left out. A working tree under development has new files that are
not committed yet, so the test commits a snapshot of the working tree as `git` would
see it after `git add -A` (tracked and untracked files, minus the ignored ones) into a
repository of its own and tries that: the hook is tested on exactly the code in the tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

VIOLATING = "from app.infrastructure.db import Database\n\n\nBOOKS: list[Database] = []\n"
FIXED = "BOOKS: list[str] = []\n"


def _env(tmp_path: Path) -> dict[str, str]:
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = hexcheck tests\n\temail = tests@hexcheck.invalid\n"
        "[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n",
        encoding="utf-8",
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM="1",
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        NO_COLOR="1",
    )
    env.pop("VIRTUAL_ENV", None)
    return env


def _git(cwd: Path, env: dict[str, str], *arguments: str) -> str:
    result = subprocess.run(
        ["git", *arguments], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, f"git {' '.join(arguments)}: {result.stderr}"
    return result.stdout


def _snapshot(target: Path, env: dict[str, str]) -> Path:
    """This repository's working tree, as `git add -A` would commit it, in a new repository."""
    listing = _git(REPO, env, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    target.mkdir()
    for relative in sorted(filter(None, listing.split("\0"))):
        source = REPO / relative
        if not source.is_file():  # deleted but not yet staged
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
    _git(target, env, "init", "-q")
    _git(target, env, "add", "-A")
    _git(target, env, "commit", "-q", "-m", "snapshot of the working tree")
    return target


def _try_repo(project: Path, hexcheck_repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable, "-m", "pre_commit", "try-repo", str(hexcheck_repo), "hexcheck",
            "--all-files", "--color", "never",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )  # fmt: skip


def test_hook_fails_on_a_violation_and_passes_once_fixed(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    env = _env(tmp_path)
    hexcheck_repo = _snapshot(tmp_path / "hexcheck", env)

    project = tmp_path / "service"
    for relative, text in {
        "app/__init__.py": "",
        "app/domain/__init__.py": "",
        "app/domain/catalog.py": VIOLATING,
        "app/infrastructure/__init__.py": "",
        "app/infrastructure/db.py": "class Database: ...\n",
        "README.md": "a throwaway service\n",
    }.items():
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    _git(project, env, "init", "-q")
    _git(project, env, "add", "-A")
    _git(project, env, "commit", "-q", "-m", "a layering mistake")

    failing = _try_repo(project, hexcheck_repo, env)
    output = failing.stdout + failing.stderr
    assert failing.returncode == 1, output
    assert "Failed" in output, output
    assert "app/domain/catalog.py:1:1: HEX101" in output, output

    (project / "app" / "domain" / "catalog.py").write_text(FIXED, encoding="utf-8")
    _git(project, env, "add", "-A")
    passing = _try_repo(project, hexcheck_repo, env)
    output = passing.stdout + passing.stderr
    assert passing.returncode == 0, output
    assert "hexcheck (hexagonal architecture review)" in output and "Passed" in output, output
    assert "HEX101" not in output, output
