"""Shared test helpers. Fixture projects are data: never collected, imported or run."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"

collect_ignore_glob = ["fixtures/*", "benchmarks/*", "mutation/*"]

_FILE_MARKER = re.compile(r"^# file: (?P<path>\S+)\s*$")
_ERROR_MARKER = re.compile(r"#\s*error:\s*(?P<codes>HEX\d{3}(?:\s*,\s*HEX\d{3})*)")


def write_project(root: Path, example: str) -> set[tuple[str, int, str]]:
    """Write a `# file:`-split example under `root`; return its `# error:` markers."""
    expected: set[tuple[str, int, str]] = set()
    current: Path | None = None
    lines: list[str] = []
    relative = ""

    def flush() -> None:
        if current is not None:
            current.parent.mkdir(parents=True, exist_ok=True)
            current.write_text("".join(lines), encoding="utf-8")

    for raw in example.splitlines(keepends=True):
        marker = _FILE_MARKER.match(raw)
        if marker:
            flush()
            relative = marker.group("path")
            current = root / relative
            lines = []
            continue
        if current is None:
            raise ValueError("an example must start with a '# file: path' line")
        lines.append(raw)
        error = _ERROR_MARKER.search(raw)
        if error:
            for code in re.split(r"\s*,\s*", error.group("codes")):
                expected.add((relative, len(lines), code))
    flush()
    return expected


def copy_fixture(source: Path, target: Path) -> None:
    """Copy a fixture project without the cache a run of the README's first command leaves
    in it (`fixtures/bookstore_violations/.hexcheck_cache`), which tests must not inherit."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".hexcheck_cache", "__pycache__"))


def read_expected(path: Path) -> set[tuple[str, int, str]]:
    """An `expected.txt`: `path:line: CODE   # comment` lines."""
    found: set[tuple[str, int, str]] = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"(?P<path>[^:]+):(?P<line>\d+):\s*(?P<code>HEX\d{3})", line)
        if match is None:
            raise ValueError(f"{path}: cannot read {raw!r}")
        found.add((match.group("path"), int(match.group("line")), match.group("code")))
    return found


@pytest.fixture(autouse=True, scope="session")
def private_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The user's cache home (where hexcheck keeps its signing key) is the suite's own,
    for this process and every hexcheck it starts."""
    home = tmp_path_factory.mktemp("cache-home")
    saved = {name: os.environ.get(name) for name in ("XDG_CACHE_HOME", "HEXCHECK_CACHE_KEY")}
    os.environ["XDG_CACHE_HOME"] = str(home)
    os.environ.pop("HEXCHECK_CACHE_KEY", None)
    yield home
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path
