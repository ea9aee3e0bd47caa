"""The flake8 plugin: `flake8 --select HEX` reports what `hexcheck check` reports."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hexcheck.adapters import flake8_plugin
from hexcheck.adapters.flake8_plugin import HexcheckPlugin
from tests.conftest import FIXTURES, copy_fixture, write_project

Key = tuple[str, int, str]

VIOLATIONS = FIXTURES / "bookstore_violations"
FORMAT = "%(path)s|%(row)d|%(col)d|%(code)s|%(text)s"

SMALL = """\
# file: app/__init__.py
# file: app/domain/__init__.py
# file: app/domain/book.py
from app.infrastructure.db import Database
# file: app/infrastructure/__init__.py
# file: app/infrastructure/db.py
class Database: ...
"""


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    flake8_plugin.clear_cache()
    yield
    flake8_plugin.clear_cache()


def _flake8(cwd: Path, *arguments: str) -> tuple[set[Key], list[str], subprocess.CompletedProcess[str]]:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", f"--format={FORMAT}", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    found: set[Key] = set()
    lines = result.stdout.splitlines()
    for line in lines:
        path, row, _, code, _ = line.split("|", 4)
        found.add((os.path.normpath(path).replace(os.sep, "/"), int(row), code))
    return found, lines, result


def _hexcheck(cwd: Path, *arguments: str) -> list[dict[str, object]]:
    result = subprocess.run(
        [sys.executable, "-m", "hexcheck", "check", "--format", "json", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr
    findings: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return findings


def _keys(findings: list[dict[str, object]]) -> set[Key]:
    return {(str(f["path"]), int(str(f["line"])), str(f["code"])) for f in findings}


def test_plugin_is_registered() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--version"], capture_output=True, text=True, timeout=60
    )
    assert "hexcheck: " in result.stdout


def test_parity_with_the_cli_on_bookstore_violations(tmp_path: Path) -> None:
    project = tmp_path / "bookstore"
    copy_fixture(VIOLATIONS, project)
    # flake8 first, on a cold cache, so that it computes the findings itself.
    serial, lines, _ = _flake8(project, "--select", "HEX,E999", "--jobs", "1", ".")
    cli = _hexcheck(project, ".")
    expected = _keys(cli)
    assert expected, "the fixture must have findings"
    shutil.rmtree(project / ".hexcheck_cache", ignore_errors=True)
    parallel, _, _ = _flake8(project, "--select", "HEX,E999", "--jobs", "4", ".")
    assert parallel == serial

    # flake8 runs no plugin on a file Python cannot parse: it says E999 where hexcheck
    # says HEX900. Every other finding must be the same.
    unparsable = {path for path, _, code in serial if code == "E999"}
    for path in unparsable:
        assert (path, "HEX900") in {(p, c) for p, _, c in expected}, path
    hex_from_flake8 = {key for key in serial if key[2].startswith("HEX")}
    assert hex_from_flake8 == {key for key in expected if not (key[2] == "HEX900" and key[0] in unparsable)}
    # Cross-file findings are there, with the CLI's messages and columns.
    codes = {code for _, _, code in hex_from_flake8}
    assert {"HEX101", "HEX103", "HEX104"} <= codes
    by_key = {(str(f["path"]), int(str(f["line"])), str(f["code"])): f for f in cli}
    for line in lines:
        path, row, col, code, text = line.split("|", 4)
        if code.startswith("HEX"):
            finding = by_key[(os.path.normpath(path), int(row), code)]
            assert int(col) == finding["column"]
            assert text == finding["message"]


def test_one_file_gets_its_cross_file_findings(tmp_path: Path) -> None:
    project = tmp_path / "bookstore"
    copy_fixture(VIOLATIONS, project)
    cli = _keys(_hexcheck(project, "."))
    cycle_files = sorted({path for path, _, code in cli if code == "HEX104"})
    assert cycle_files
    target = cycle_files[0]
    found, _, _ = _flake8(project, "--select", "HEX", target)
    assert found == {key for key in cli if key[0] == target}


def test_noqa_is_flake8s_and_disable_noqa_shows_everything(tmp_path: Path) -> None:
    write_project(tmp_path, SMALL.replace("import Database\n", "import Database  # noqa: HEX101\n"))
    assert _hexcheck(tmp_path, ".") == []
    found, _, _ = _flake8(tmp_path, "--select", "HEX", ".")
    assert found == set()
    shown, _, _ = _flake8(tmp_path, "--select", "HEX", "--disable-noqa", ".")
    assert shown == {("app/domain/book.py", 1, "HEX101")}


def test_tool_hexcheck_settings_apply(tmp_path: Path) -> None:
    write_project(tmp_path, SMALL)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.hexcheck]\nper-file-ignores = { "app/domain/*" = ["HEX101"] }\n', encoding="utf-8"
    )
    assert _hexcheck(tmp_path, ".") == []
    found, _, _ = _flake8(tmp_path, "--select", "HEX", ".")
    assert found == set()
    # Run from elsewhere, the project is still found by its configuration.
    found, _, _ = _flake8(tmp_path.parent, "--select", "HEX", str(tmp_path / "app" / "domain" / "book.py"))
    assert found == set()


def test_project_without_configuration_is_its_top_package(tmp_path: Path) -> None:
    write_project(tmp_path / "service", SMALL)
    book = tmp_path / "service" / "app" / "domain" / "book.py"
    assert flake8_plugin.project_of(str(book)) == (str(tmp_path / "service"), None)


def test_bad_configuration_is_one_finding_not_a_crash(tmp_path: Path) -> None:
    write_project(tmp_path, SMALL)
    (tmp_path / "pyproject.toml").write_text("[tool.hexcheck]\nmax-port-methods = 'many'\n", encoding="utf-8")
    found, lines, result = _flake8(tmp_path, "--select", "HEX", ".")
    assert result.returncode == 1
    assert {code for _, _, code in found} == {"HEX900"}
    assert {line for _, line, _ in found} == {1}
    assert all("max-port-methods" in line for line in lines)


def _run(path: Path) -> list[tuple[int, int, str, type[object]]]:
    source = path.read_text(encoding="utf-8")
    return list(HexcheckPlugin(ast.parse(source), str(path)).run())


def test_plugin_in_process_checks_the_project_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(tmp_path, SMALL)
    monkeypatch.chdir(tmp_path)
    calls: list[str] = []
    real = flake8_plugin._check_project

    def counting(root: str, config_path: str | None, disable_noqa: bool) -> object:
        calls.append(root)
        return real(root, config_path, disable_noqa)

    monkeypatch.setattr(flake8_plugin, "_check_project", counting)
    book = tmp_path / "app" / "domain" / "book.py"
    results = _run(book)
    assert [(line, col, text.split()[0]) for line, col, text, _ in results] == [(1, 0, "HEX101")]
    assert results[0][3] is HexcheckPlugin
    for path in sorted(tmp_path.rglob("*.py")):
        _run(path)
    assert calls == [str(tmp_path)]
    # A long-lived process sees an edit of the file it lints.
    book.write_text("import dataclasses\n\n\n", encoding="utf-8")
    assert _run(book) == []
    assert len(calls) == 2


def test_internal_errors_become_one_hex900(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(tmp_path, SMALL)
    monkeypatch.chdir(tmp_path)
    book = tmp_path / "app" / "domain" / "book.py"

    def broken_engine(*args: object, **kwargs: object) -> object:
        raise RuntimeError("the engine broke")

    monkeypatch.setattr("hexcheck.adapters.runner.run_check", broken_engine)
    results = _run(book)
    assert len(results) == 1
    line, col, text, _ = results[0]
    assert (line, col) == (1, 0) and text.startswith("HEX900 ") and "the engine broke" in text

    def broken_lookup(*args: object, **kwargs: object) -> object:
        raise ValueError("lookup broke")

    monkeypatch.setattr(flake8_plugin, "findings_for", broken_lookup)
    results = _run(book)
    assert [(r[0], r[1]) for r in results] == [(1, 0)]
    assert results[0][2].startswith("HEX900 ") and "ValueError: lookup broke" in results[0][2]


def test_stdin_without_a_display_name_reports_nothing() -> None:
    assert list(HexcheckPlugin(ast.parse(""), "stdin").run()) == []
