"""The CLI's rule documentation (`hexcheck rules`, `hexcheck explain`) and report options."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

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
