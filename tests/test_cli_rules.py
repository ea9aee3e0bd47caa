"""The CLI's rule documentation (`hexcheck rules`, `hexcheck explain`) and report options."""

from __future__ import annotations

import functools
import inspect
import json
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from hexcheck.adapters import cli
from hexcheck.adapters.cli import app
from hexcheck.rules.registry import all_rules, rule_for
from tests.conftest import write_project

runner = CliRunner()

PROJECT = """\
# file: app/domain/book.py
from app.infrastructure.persistence.mongo import MongoClient
from app.infrastructure.persistence import mongo
# file: app/infrastructure/persistence/mongo.py
class MongoClient: ...
# file: app/infrastructure/persistence/__init__.py
"""


def test_rules_lists_every_rule() -> None:
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["CODE", "NAME", "SEVERITY", "PRESET", "FINDS"]
    listed = [line.split()[0] for line in lines[1:]]
    assert listed == [rule.code for rule in all_rules()]
    for rule in all_rules():
        row = next(line for line in lines if line.startswith(rule.code))
        assert rule.name in row and rule.severity.value in row and rule.preset in row
        assert row.endswith(rule.summary)


def test_explain_prints_the_whole_rule() -> None:
    result = runner.invoke(app, ["explain", "HEX101"])
    assert result.exit_code == 0, result.output
    rule = rule_for("HEX101")
    text = result.stdout
    assert text.startswith("# HEX101: layer-dependency\n")
    assert rule.summary in text
    assert "## Why is this bad?" in text and rule.why.split(".")[0] in text
    assert "## How to fix" in text and "Invert the dependency" in text
    assert "### Valid" in text and "### Invalid" in text
    assert "# error: HEX101" in text


def test_explain_accepts_lower_case() -> None:
    result = runner.invoke(app, ["explain", "hex104"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# HEX104: import-cycle")


def test_explain_unknown_code_is_a_usage_error() -> None:
    result = runner.invoke(app, ["explain", "HEX999"])
    assert result.exit_code == 2
    assert "unknown rule code 'HEX999'" in result.stderr
    assert result.stdout == ""


def test_default_format_off_a_terminal_is_concise(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    result = runner.invoke(app, ["check", "."])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith("app/domain/book.py:1:1: HEX101 ")
    assert "\x1b" not in result.stdout


def test_review_off_a_terminal_has_no_colour(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    result = runner.invoke(app, ["check", ".", "--format", "review"])
    assert result.exit_code == 1
    assert "Dependency direction" in result.stdout and "Strengths" in result.stdout
    assert "\x1b" not in result.stdout


def test_statistics_count_findings_per_code(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    result = runner.invoke(app, ["check", ".", "--statistics"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "2     HEX101 layer-dependency"


def test_statistics_keep_machine_output_parseable(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    result = runner.invoke(app, ["check", ".", "--format", "json", "--statistics"])
    assert result.exit_code == 1
    assert len(json.loads(result.stdout)["findings"]) == 2
    assert "2     HEX101 layer-dependency" in result.stderr


def test_output_file_gets_the_report(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    result = runner.invoke(app, ["check", ".", "--format", "sarif", "--output", "out.sarif"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads((in_tmp / "out.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_cache_dir_holds_the_cache_relative_to_the_working_directory(in_tmp: Path) -> None:
    project = in_tmp / "project"
    write_project(project, PROJECT)
    (project / "pyproject.toml").write_text("[tool.hexcheck]\n", encoding="utf-8")
    before = set(in_tmp.rglob("*"))
    arguments = ["check", "project", "--cache-dir", "cache", "--jobs", "1"]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 1, result.output
    cache = in_tmp / "cache"  # not project/cache: relative to where the command runs
    written = set(in_tmp.rglob("*")) - before
    assert cache in written and any(cache in path.parents for path in written)
    assert all(path == cache or cache in path.parents for path in written), sorted(written)
    again = runner.invoke(app, arguments)  # reads what the first run cached
    assert (again.exit_code, again.stdout) == (1, result.stdout)
    assert all(path == cache or cache in path.parents for path in set(in_tmp.rglob("*")) - before)


def _typer_check_arguments(argv: list[str]) -> dict[str, Any] | None:
    """What typer calls `check_command` with for `argv`; None if it refuses `argv`."""
    calls: list[dict[str, Any]] = []

    @functools.wraps(cli.check_command)
    def spy(**arguments: Any) -> None:
        calls.append(arguments)

    spy_app = typer.Typer()
    spy_app.command("check")(spy)
    spy_app.command("version")(cli.version_command)  # two commands: `check` stays a subcommand
    result = runner.invoke(spy_app, argv)
    return calls[0] if result.exit_code == 0 and calls else None


PLAIN_CHECKS = [
    ["check"],
    ["check", "src", "tests", "a b"],
    shlex.split("check src --jobs 2 --preset strict --format concise --exit-zero -q"),
    shlex.split("check --select HEX1 --select hex2,HEX3 --ignore HEX104 src"),
    shlex.split("check -o out.txt --config pyproject.toml --baseline b.json --strict-baseline"),
    shlex.split("check --output a/b/ --cache-dir ~/cache --no-cache --statistics --debug -j 12"),
    shlex.split("check src --format json src2 --quiet"),
    ["check", "--format", " json ", "--select", "hex1, hex2"],
]
OTHER_COMMAND_LINES = [
    [],
    ["version"],
    ["CHECK"],
    shlex.split("check --help"),
    shlex.split("check -h"),
    shlex.split("check --jobs=2"),
    shlex.split("check -j2"),
    shlex.split("check -qo x"),
    shlex.split("check -j 0"),
    shlex.split("check -j 007"),
    shlex.split("check -j -1"),
    shlex.split("check -j abc"),
    shlex.split("check --jobs +3"),
    shlex.split("check --jobs 1_0"),
    shlex.split("check -q -q"),
    shlex.split("check --preset x --preset y"),
    shlex.split("check --format"),
    shlex.split("check --format -q"),
    shlex.split("check --exit-zero=1"),
    shlex.split("check --"),
    shlex.split("check -- -x"),
    shlex.split("check -"),
    shlex.split("check --no-cach"),
    ["check", ""],
    ["check", "--format", ""],
]


@pytest.mark.parametrize("argv", PLAIN_CHECKS, ids=" ".join)
def test_plain_check_lines_get_the_arguments_typer_gives(argv: list[str]) -> None:
    read = cli._plain_check(argv)
    assert read is not None
    defaults = {name: p.default for name, p in inspect.signature(cli.check_command).parameters.items()}
    assert {**defaults, **read} == _typer_check_arguments(argv)


@pytest.mark.parametrize("argv", OTHER_COMMAND_LINES, ids=" ".join)
def test_other_command_lines_are_left_to_typer(argv: list[str]) -> None:
    assert cli._plain_check(argv) is None


def test_plain_check_knows_every_option_of_check() -> None:
    command = typer.main.get_command(app)
    assert isinstance(command, typer.core.TyperGroup)
    declared = {
        option: param.name
        for param in command.commands["check"].params
        for option in param.opts
        if option.startswith("-")
    }
    assert declared == {option: name for option, (name, _) in cli._CHECK_OPTIONS.items()}


def test_main_runs_a_plain_check_without_typer(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(in_tmp, PROJECT)
    arguments = ["check", ".", "--format", "concise", "--jobs", "1", "--no-cache"]
    expected = runner.invoke(app, arguments)

    def not_typer() -> None:
        raise AssertionError("typer parsed a plain check")

    monkeypatch.setattr(cli, "app", not_typer)
    with pytest.raises(SystemExit) as exited:
        cli.run_command(arguments)
    assert exited.value.code == expected.exit_code == 1
    assert capsys.readouterr().out == expected.stdout


@pytest.mark.parametrize(
    ("arguments", "code"),
    [(["check", ".", "--format", "json", "--no-cache"], 1), (["check", ".", "--jobs", "none"], 2)],
)
def test_the_console_script_keeps_its_exit_code_and_output_when_it_leaves_at_once(
    in_tmp: Path, arguments: list[str], code: int
) -> None:
    # `main` ends the process with `os._exit`: the code and every byte written must survive.
    write_project(in_tmp, PROJECT)
    done = subprocess.run(
        [sys.executable, "-m", "hexcheck", *arguments], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == code
    if code == 1:
        assert len(json.loads(done.stdout)["findings"]) == 2
    else:
        assert "--jobs" in done.stderr
