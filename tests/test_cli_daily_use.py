"""A new user's trips (issue 13), each reproduced: hints pasted where hexcheck ran act on
the same project, `--version`, help text intact, colour precedence, and what stderr says
about the configuration and the findings."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from hexcheck.adapters.cli import _use_color, app
from hexcheck.core.errors import UsageError
from hexcheck.core.version import VERSION
from hexcheck.report import FORMATS
from tests.conftest import FIXTURES, write_project

runner = CliRunner()

# Two projects: the one in the current directory, and `proj` below it. A hint that
# drops `proj` would act on the first one.
HERE = """\
# file: shop/__init__.py
# file: shop/domain/__init__.py
# file: shop/domain/order.py
from shop.infrastructure.db import Database
# file: shop/infrastructure/__init__.py
# file: shop/infrastructure/db.py
class Database:
    pass
"""

PROJ = """\
# file: proj/app/__init__.py
# file: proj/app/domain/__init__.py
# file: proj/app/domain/book.py
from app.infrastructure.db import Database
from app.web.routes import router
# file: proj/app/domain/author.py
from app.infrastructure.db import Database
# file: proj/app/infrastructure/__init__.py
# file: proj/app/infrastructure/db.py
class Database:
    pass
# file: proj/app/web/__init__.py
# file: proj/app/web/routes.py
router = None
"""


def _hint(text: str, command: str) -> list[str]:
    """The arguments of the `hexcheck COMMAND ...` hint in backticks in `text`."""
    found = re.findall(rf"`(hexcheck {command}\b[^`]*)`", text)
    assert found, f"no `hexcheck {command}` hint in {text!r}"
    words = shlex.split(found[-1])
    assert words[0] == "hexcheck"
    return words[1:]


@pytest.fixture
def two_projects(in_tmp: Path) -> Path:
    write_project(in_tmp, HERE)
    write_project(in_tmp, PROJ)
    return in_tmp


def test_the_baseline_hint_checks_the_same_project(two_projects: Path) -> None:
    written = runner.invoke(app, ["baseline", "proj", "-o", "proj/b.json", "--select", "HEX1"])
    assert written.exit_code == 0, written.output
    hint = _hint(written.stderr, "check")
    assert hint == ["check", "proj", "--select", "HEX1", "--baseline", "proj/b.json"]
    pasted = runner.invoke(app, hint)
    assert pasted.exit_code == 0, pasted.output
    assert "hexcheck: baseline proj/b.json: 3 known findings not reported\n" in pasted.stderr


def test_the_rewrite_hint_rewrites_the_baseline_with_the_same_projects_findings(two_projects: Path) -> None:
    assert runner.invoke(app, ["baseline", "proj", "-o", "proj/b.json"]).exit_code == 0
    (two_projects / "proj/app/domain/author.py").write_text("", encoding="utf-8")  # one fixed
    strict = runner.invoke(app, ["check", "proj", "--baseline", "proj/b.json", "--strict-baseline"])
    assert strict.exit_code == 1
    hint = _hint(strict.stderr, "baseline")
    assert hint == ["baseline", "proj", "--output", "proj/b.json"]
    assert runner.invoke(app, hint).exit_code == 0
    again = runner.invoke(app, ["check", "proj", "--baseline", "proj/b.json", "--strict-baseline"])
    assert again.exit_code == 0, again.output  # proj's findings, not those of shop/
    assert "shop/" not in (two_projects / "proj/b.json").read_text(encoding="utf-8")


def test_the_missing_baseline_hint_writes_it_for_the_same_project(two_projects: Path) -> None:
    missing = runner.invoke(app, ["check", "proj", "--baseline", "proj/new.json"])
    assert missing.exit_code == 2
    assert runner.invoke(app, _hint(missing.stderr, "baseline")).exit_code == 0
    pasted = runner.invoke(app, ["check", "proj", "--baseline", "proj/new.json"])
    assert pasted.exit_code == 0, pasted.output


def test_the_init_hints_act_on_the_same_project(two_projects: Path) -> None:
    shown = runner.invoke(app, ["init", "proj"])
    assert shown.exit_code == 0, shown.output
    apply = _hint(shown.stdout, "init")
    assert apply == ["init", "proj", "--write"]
    written = runner.invoke(app, apply)
    assert written.exit_code == 0 and (two_projects / "proj/pyproject.toml").is_file()
    assert not (two_projects / "pyproject.toml").exists()
    record = _hint(written.stdout, "baseline")
    assert record == ["baseline", "proj", "--output", "proj/hexcheck-baseline.json"]
    assert runner.invoke(app, record).exit_code == 0
    compare = runner.invoke(app, _hint(written.stdout, "check"))
    assert compare.exit_code == 0, compare.output
    assert "3 known findings not reported" in compare.stderr


def test_the_init_hint_of_an_unlayered_project_names_its_directory(in_tmp: Path) -> None:
    write_project(in_tmp, "# file: other/shop/models.py\nimport os\n")
    result = runner.invoke(app, ["check", "other"])
    assert _hint(result.stderr, "init") == ["init", "other"]


# ------------------------------------------------------------------------ --version


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_flag(flag: str) -> None:
    result = runner.invoke(app, [flag])
    assert result.exit_code == 0 and result.stdout == f"hexcheck {VERSION}\n"


def test_version_flag_of_the_console_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hexcheck", "--version"], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"hexcheck {VERSION}\n", "")


# ------------------------------------------------------------------------ help text


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_help_string_is_printed_intact() -> None:
    """Rich markup once ate `[tool.hexcheck]` ("...and propose ."); every help string
    and docstring must come out of `--help` as written."""
    group = typer.main.get_command(app)
    top = runner.invoke(app, ["--help"]).stdout
    assert "Detect each module's layer and propose [tool.hexcheck]." in top
    for name, command in getattr(group, "commands", {}).items():
        shown = runner.invoke(app, [name, "--help"])
        assert shown.exit_code == 0
        text = _flat(shown.stdout)
        assert _flat(command.help or "") in text, name
        first = (command.help or "").split("\n")[0]
        assert f"{name} {first}" in _flat(top), f"{name}'s summary is cut in `hexcheck --help`"
        for param in command.params:
            assert _flat(param.help or "") in text, f"{name} {param.name}"
    assert "[tool.hexcheck] of the project's pyproject.toml" in _flat(
        runner.invoke(app, ["init", "-h"]).stdout
    )


# --------------------------------------------------------------------------- colour


@pytest.mark.parametrize(
    ("choice", "force", "no_color", "terminal", "colored"),
    [
        (None, "", "", True, True),  # a terminal
        (None, "", "", False, False),  # a pipe
        (None, "", "1", True, False),  # NO_COLOR beats the terminal
        (None, "1", "1", False, True),  # FORCE_COLOR beats NO_COLOR and the pipe
        ("auto", "1", "", False, True),
        ("always", "", "1", False, True),  # --color beats both variables
        ("never", "1", "", True, False),
    ],
)
def test_colour_precedence(
    monkeypatch: pytest.MonkeyPatch,
    choice: str | None,
    force: str,
    no_color: str,
    terminal: bool,
    colored: bool,
) -> None:
    monkeypatch.setenv("FORCE_COLOR", force)
    monkeypatch.setenv("NO_COLOR", no_color)
    assert _use_color(choice, terminal) is colored


VIOLATIONS = str(FIXTURES / "bookstore_violations")


@pytest.mark.parametrize(
    ("args", "env", "colored"),
    [
        (["--color", "always"], {"NO_COLOR": "1"}, True),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {}, False),  # CliRunner's stdout is no terminal
    ],
)
def test_colour_in_the_review(in_tmp: Path, args: list[str], env: dict[str, str], colored: bool) -> None:
    base = {"FORCE_COLOR": "", "NO_COLOR": ""}
    result = runner.invoke(
        app, ["check", VIOLATIONS, "--no-cache", "--format", "review", *args], env=base | env
    )
    assert result.exit_code == 1
    assert ("\x1b[" in result.stdout) is colored


def test_an_unknown_colour_choice_is_a_usage_error(in_tmp: Path) -> None:
    result = runner.invoke(app, ["check", VIOLATIONS, "--color", "sometimes"])
    assert result.exit_code == 2
    assert "unknown --color 'sometimes'; choose one of auto, always, never" in result.stderr
    with pytest.raises(UsageError):
        _use_color("yes", True)


@pytest.mark.parametrize(("env", "colored"), [({}, True), ({"NO_COLOR": "1"}, False)])
def test_a_real_terminal_gets_colour_unless_no_color(
    tmp_path: Path, env: dict[str, str], colored: bool
) -> None:
    leader, follower = os.openpty()
    clean = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
    process = subprocess.Popen(
        [sys.executable, "-m", "hexcheck", "check", VIOLATIONS, "--no-cache", "-q"],
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env=clean | env,
        cwd=tmp_path,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=120) == 1
    output = b"".join(chunks).decode("utf-8", errors="replace")
    assert "Summary" in output  # the review, the default on a terminal
    assert ("\x1b[" in output) is colored


# ------------------------------------------------------------------- what stderr says

PROJ_CONFIG = '[tool.hexcheck]\npreset = "recommended"\n'


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_stderr_names_the_config_and_ends_with_the_number_of_findings(two_projects: Path, name: str) -> None:
    (two_projects / "proj/pyproject.toml").write_text(PROJ_CONFIG, encoding="utf-8")
    result = runner.invoke(app, ["check", "proj", "--no-cache", "--format", name])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "hexcheck: config: proj/pyproject.toml"
    if name in ("review", "markdown"):  # their summary says it, on stdout
        assert len(lines) == 1 and "3 errors" in result.stdout
    else:
        assert lines[-1] == (
            "hexcheck: checked 8 files: domain 3, application 0, infrastructure 2, web 2, composition 0, "
            "1 unlayered; 0 could not be parsed; 3 findings (3 errors)"
        )


def test_stderr_says_when_no_config_applies_and_counts_an_output_file(two_projects: Path) -> None:
    result = runner.invoke(app, ["check", "--no-cache", "--format", "review", "--output", "report.txt"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "hexcheck: no config: defaults"
    assert result.stderr.splitlines()[-1].endswith("; 4 findings (4 errors)")
    quiet = runner.invoke(app, ["check", "--no-cache", "-q"])
    assert quiet.stderr == ""
