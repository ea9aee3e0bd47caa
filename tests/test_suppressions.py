"""What silences a finding (`# noqa`, `per-file-ignores`, `allowed-edges`), HEX901 on
suppressions that silence nothing, and what every run says it looked at."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

import hexcheck
from hexcheck.adapters.cli import app
from hexcheck.core.config import Config
from hexcheck.core.errors import UsageError
from hexcheck.core.layers import Layer
from hexcheck.engine import Report
from tests.conftest import write_project

runner = CliRunner()

CLOCK = "# file: app/infrastructure/clock.py\ndef now(): ...\nclass Clock: ...\n"


def _run(root: Path, example: str, **settings: object) -> Report:
    write_project(root, example + CLOCK)
    return hexcheck.check(["."], replace(Config(), **settings))  # type: ignore[arg-type]


def _found(report: Report) -> list[tuple[str, int, str]]:
    return [(f.location.path, f.location.line, f.code) for f in report.findings]


def test_noqa_with_a_code_and_bare_noqa_on_the_reported_line(in_tmp: Path) -> None:
    report = _run(
        in_tmp,
        """\
# file: app/domain/book.py
from app.infrastructure.clock import now  # noqa: HEX101
from app.infrastructure.clock import Clock  # noqa
import app.infrastructure.clock  # noqa: HEX102
import app.infrastructure  # noqa:HEX1
from app.infrastructure import clock
# noqa: HEX101
""",
    )
    assert _found(report) == [("app/domain/book.py", 3, "HEX101"), ("app/domain/book.py", 5, "HEX101")]
    assert report.suppressed == 3


def test_noqa_on_a_multi_line_import_goes_on_its_first_line(in_tmp: Path) -> None:
    report = _run(
        in_tmp,
        """\
# file: app/domain/book.py
from app.infrastructure.clock import (  # noqa: HEX101
    now,
)
from app.infrastructure.clock import (
    Clock,  # noqa: HEX101
)
""",
    )
    assert _found(report) == [("app/domain/book.py", 4, "HEX101")]


def test_per_file_ignores_match_globs_and_code_prefixes(in_tmp: Path) -> None:
    example = """\
# file: app/domain/book.py
from app.infrastructure.clock import now
# file: app/domain/legacy/old.py
from app.infrastructure.clock import now
import requests
"""
    report = _run(in_tmp, example, per_file_ignores=(("app/domain/legacy/*", ("HEX1",)),))
    assert _found(report) == [("app/domain/book.py", 1, "HEX101")]
    assert report.suppressed == 2
    report = hexcheck.check(["."], replace(Config(), per_file_ignores=(("legacy/old.py", ("HEX102",)),)))
    assert _found(report) == [
        ("app/domain/book.py", 1, "HEX101"),
        ("app/domain/legacy/old.py", 1, "HEX101"),
    ]


def test_allowed_edges_add_to_the_default_dependencies(in_tmp: Path) -> None:
    example = """\
# file: app/web/routes.py
from app.infrastructure.clock import now
# file: app/domain/book.py
from app.infrastructure.clock import now
"""
    report = _run(in_tmp, example)
    assert _found(report) == [("app/domain/book.py", 1, "HEX101"), ("app/web/routes.py", 1, "HEX101")]
    report = hexcheck.check(
        ["."], replace(Config(), allowed_edges=frozenset({(Layer.WEB, Layer.INFRASTRUCTURE)}))
    )
    assert _found(report) == [("app/domain/book.py", 1, "HEX101")]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"select": ("HEX7",)}, "select: 'HEX7' matches no rule code"),
        ({"ignore": ("HEX99",)}, "ignore: 'HEX99' matches no rule code"),
        ({"per_file_ignores": (("a.py", ("HEX8",)),)}, "per-file-ignores: 'HEX8' matches no rule code"),
    ],
)
def test_codes_that_match_no_rule_are_usage_errors(
    in_tmp: Path, settings: dict[str, object], message: str
) -> None:
    write_project(in_tmp, "# file: app/domain/book.py\n")
    with pytest.raises(UsageError, match=message):
        hexcheck.check(["."], replace(Config(), **settings))  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ HEX901

UNUSED = """\
# file: app/domain/book.py
from app.infrastructure.clock import now  # noqa: HEX101
from datetime import datetime  # noqa: HEX101, E501
import os  # noqa
import sys  # noqa: F401
from app.infrastructure.clock import Clock  # noqa: HEX101,HEX604
import json  # noqa: HEX1001
"""


def test_hex901_reports_the_hex_codes_that_silence_nothing(in_tmp: Path) -> None:
    report = _run(in_tmp, UNUSED, preset="strict")
    unused = [f for f in report.findings if f.code == "HEX901"]
    assert [(f.location.line, f.location.column, f.message) for f in unused] == [
        (2, 31, "unused suppression '# noqa: HEX101, E501': no HEX101 finding is reported on this line"),
        (5, 44, "unused suppression '# noqa: HEX101, HEX604': no HEX604 finding is reported on this line"),
        (6, 13, "unused suppression '# noqa: HEX1001': HEX1001 is not a hexcheck rule code"),
    ]
    assert [f.symbol for f in unused] == [
        "app.domain.book:noqa:HEX101",
        "app.domain.book:noqa:HEX604",
        "app.domain.book:noqa:HEX1001",
    ]
    assert {f.code for f in report.findings} == {"HEX901"}


def test_hex901_is_strict_and_judges_only_codes_whose_rules_ran(in_tmp: Path) -> None:
    assert "HEX901" not in {f.code for f in _run(in_tmp, UNUSED).findings}
    report = hexcheck.check(["."], replace(Config(), select=("HEX901", "HEX1")))
    # HEX604 did not run, so the HEX101,HEX604 comment can only be judged for HEX101 (used).
    assert [(f.location.line, f.code) for f in report.findings] == [(2, "HEX901"), (6, "HEX901")]
    report = hexcheck.check(["."], replace(Config(), select=("HEX901",)))
    assert [(f.location.line, f.code) for f in report.findings] == [(6, "HEX901")]


def test_hex901_counts_a_noqa_as_used_where_per_file_ignores_also_apply(in_tmp: Path) -> None:
    example = "# file: app/domain/book.py\nfrom app.infrastructure.clock import now  # noqa: HEX101\n"
    report = _run(in_tmp, example, preset="strict", per_file_ignores=(("app/domain/*", ("HEX101",)),))
    assert report.findings == ()


def test_hex901_can_itself_be_silenced(in_tmp: Path) -> None:
    example = "# file: app/domain/book.py\nimport os  # noqa: HEX101, HEX901\nimport sys  # noqa: HEX9\n"
    assert _run(in_tmp, example, preset="strict").findings == ()


def test_hex901_judges_comments_not_noqa_text_in_strings(in_tmp: Path) -> None:
    example = '# file: app/domain/book.py\nHELP = "write # noqa: HEX101 on the line"\nx = 1  # noqa: HEX101\n'
    report = _run(in_tmp, example, preset="strict")
    assert [(f.location.line, f.code) for f in report.findings] == [(2, "HEX901")]


def test_hex901_leaves_files_that_do_not_parse_alone(in_tmp: Path) -> None:
    example = "# file: app/domain/book.py\nimport os  # noqa: HEX101\ndef broken(:\n"
    assert [f.code for f in _run(in_tmp, example, preset="strict").findings] == ["HEX900"]


# ---------------------------------------------------------------------- completeness


def test_every_run_says_what_it_looked_at(in_tmp: Path) -> None:
    write_project(
        in_tmp, "# file: app/domain/book.py\n# file: app/shared/text.py\n# file: app/web/x.py\nx = (\n"
    )
    result = runner.invoke(app, ["check", "--no-cache", "--format", "concise"])
    assert result.stderr == (
        "hexcheck: no config: defaults\n"
        "hexcheck: checked 3 files: domain 1, application 0, infrastructure 0, web 1, "
        "composition 0, 1 unlayered; 1 could not be parsed; 1 finding (1 error)\n"
    )
    result = runner.invoke(app, ["check", "--no-cache", "--format", "concise", "--quiet"])
    assert result.stderr == ""
    result = runner.invoke(app, ["check", "--no-cache", "--format", "review"])
    assert result.stderr == "hexcheck: no config: defaults\n"
    assert "Modules        domain 1, application 0" in result.stdout


def test_nothing_in_any_layer_is_said_loudly(in_tmp: Path) -> None:
    write_project(in_tmp, "# file: shop/models.py\nimport requests\n# file: shop/views.py\n")
    result = runner.invoke(app, ["check", "--no-cache", "--format", "concise"])
    assert result.exit_code == 0 and result.stdout == ""
    assert (
        "hexcheck: warning: none of the 2 modules falls into a layer, so no dependency rule "
        "could apply; run `hexcheck init` to map your packages to layers"
    ) in result.stderr
    result = runner.invoke(app, ["check", "--no-cache", "--format", "review"])
    assert "none of the 2 modules falls into a layer" in result.stderr
