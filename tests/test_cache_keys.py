"""A warm cache never changes what a run reports: everything that changes results is in
the keys. Each test warms the cache with one run, changes one thing, and asserts that
the warm rerun prints exactly what a cold run of the changed project prints."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hexcheck.adapters import cache, extraction, pool
from hexcheck.adapters.cli import app
from hexcheck.core.facts import ModuleFacts
from tests.conftest import write_project

runner = CliRunner()

PROJECT = """\
# file: pyproject.toml
[tool.hexcheck]
preset = "recommended"
# file: shop/__init__.py
# file: shop/domain/__init__.py
# file: shop/domain/order.py
from dataclasses import dataclass

from shop.infrastructure.db import Session


@dataclass
class Order:
    total: int
# file: shop/domain/customer.py
import requests


class Customer:
    def __init__(self, name: str) -> None:
        if not name:
            raise ValueError("a customer has a name")
        self.name = name
# file: shop/infrastructure/__init__.py
# file: shop/infrastructure/db.py
class Session: ...
# file: shop/web/__init__.py
# file: shop/web/routes.py
from fastapi import APIRouter

router = APIRouter()


@router.post("/orders")
def create_order(total: int) -> dict[str, int]:
    return {"total": total}
"""


def _run(*arguments: str, cache: bool = True) -> tuple[int, str]:
    options = [] if cache else ["--no-cache"]
    result = runner.invoke(app, ["check", ".", "--format", "json", *options, *arguments])
    return result.exit_code, result.stdout


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "warm"
    write_project(root, PROJECT)
    # Paths in the output are relative to the current directory: the same for both twins.
    monkeypatch.chdir(root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _assert_warm_equals_cold(
    first: list[str], second: list[str], change: Callable[[Path], None], project: Path
) -> None:
    before = _run(*first)
    assert before[0] == 1
    change(project)
    warm = _run(*second)
    cold = _run(*second, cache=False)  # reads and writes no cache
    assert warm == cold
    assert warm != before, "the change under test changes nothing: the test would prove nothing"


def _no_change(_: Path) -> None:
    return None


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (["--select", "HEX101"], ["--select", "HEX102"]),
        ([], ["--ignore", "HEX101"]),
        ([], ["--preset", "strict"]),
    ],
    ids=["select", "ignore", "preset"],
)
def test_a_warm_rerun_with_other_rule_options_reports_what_a_cold_run_does(
    project: Path, first: list[str], second: list[str]
) -> None:
    _assert_warm_equals_cold(first, second, _no_change, project)


def test_a_changed_configuration_is_not_answered_from_the_cache(project: Path) -> None:
    def allow_requests(root: Path) -> None:
        _edit(
            root / "pyproject.toml",
            'preset = "recommended"',
            'preset = "recommended"\nignore = ["HEX102"]',
        )

    _assert_warm_equals_cold([], [], allow_requests, project)


def test_an_edited_file_is_not_answered_from_the_cache(project: Path) -> None:
    def fix_order(root: Path) -> None:
        _edit(root / "shop/domain/order.py", "from shop.infrastructure.db import Session\n", "")

    _assert_warm_equals_cold([], [], fix_order, project)


def test_a_file_that_timed_out_is_parsed_again_next_run(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A loaded machine: one file runs over the per-file budget. That is a fact about the
    # machine, not the file; the next run must parse it again. The pool's answer for it
    # is made here, so the test does not depend on how fast this machine is.
    real = extraction.extract_all

    def order_times_out(tasks: list[pool.Task], *arguments: Any, **options: Any) -> dict[int, ModuleFacts]:
        slow = [task for task in tasks if task[3].endswith("order.py")]
        found = real([task for task in tasks if task not in slow], *arguments, **options)
        for task in slow:
            found[task[0]] = pool._problem(
                task, "too slow to parse: over the 10 s per-file budget (parse-timeout)"
            )
        return found

    monkeypatch.setattr(extraction, "extract_all", order_times_out)
    _, loaded = _run()
    assert "too slow to parse" in loaded
    monkeypatch.setattr(extraction, "extract_all", real)
    warm = _run()
    cold = _run(cache=False)
    assert "too slow" not in warm[1]
    assert warm == cold


def test_entries_of_records_laid_out_otherwise_are_not_read(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An upgrade, or a development build that added a field to a fact without bumping a
    # version number, over a warm cache: what it holds was pickled field by field in the
    # old order, and rebuilt in the new one it would be garbage. What extracted the facts
    # is in every key and every stat row, so the rerun parses every file again, unchanged
    # ones included, and reports what a cold run reports.
    _run()
    monkeypatch.setattr(cache, "record_layout", lambda: "another layout")
    monkeypatch.setattr(cache, "_extracted_by", lambda: "another hexcheck")
    monkeypatch.setattr(extraction, "record_layout", lambda: "another layout")
    parsed: list[str] = []
    real = extraction.extract_all

    def counting(tasks: list[pool.Task], *arguments: Any, **options: Any) -> dict[int, ModuleFacts]:
        parsed.extend(task[3] for task in tasks)
        return real(tasks, *arguments, **options)

    monkeypatch.setattr(extraction, "extract_all", counting)
    warm = _run()
    assert sorted(Path(path).name for path in parsed) == sorted(path.name for path in project.rglob("*.py"))
    assert warm == _run(cache=False)


# Run in a fresh interpreter, as the console script does: which heavy modules a run
# imports is the point, and the test process has imported them all already.
_WHAT_A_RUN_IMPORTS = """
import sys
from hexcheck.adapters.cli import run_command
try:
    run_command(sys.argv[1:])
except SystemExit:
    pass
heavy = ("networkx", "hexcheck.semantics", "hexcheck.rules.domain")
print("imported:", " ".join(name for name in heavy if name in sys.modules), file=sys.stderr)
"""


def _imported_by_a_run(*arguments: str) -> tuple[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", _WHAT_A_RUN_IMPORTS, "check", ".", "--exit-zero", *arguments],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = [line for line in done.stderr.splitlines() if line.startswith("imported:")]
    return done.stdout, imported[0]


def test_a_run_where_nothing_changed_imports_neither_the_graph_library_nor_rules(
    project: Path,
) -> None:
    cold, cold_imports = _imported_by_a_run("--format", "concise")
    # NetworkX is no longer imported at all: the model finds import cycles itself.
    assert cold_imports == "imported: hexcheck.semantics hexcheck.rules.domain"
    warm, warm_imports = _imported_by_a_run("--format", "concise")
    assert warm == cold
    assert warm_imports == "imported: "
    # The review shows each rule's texts: a cached report names its rules by code, and
    # they are looked up when a format needs them.
    review_cold, _ = _imported_by_a_run("--format", "review", "--no-cache")
    review_warm, _ = _imported_by_a_run("--format", "review")
    assert review_warm == review_cold
