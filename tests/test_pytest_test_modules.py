"""Test modules the project names in its pytest configuration are left out as the default
patterns leave out `test_*.py`: a `python_files` pattern, a `testpaths` glob that picks
files, in any of the files pytest reads, below the directory that holds it (and from the
nearest one above where the run starts). Django's `tests.py` is left out by default.
Patterns that would name every module are not taken, `python_files` holds only in the
folders `testpaths` names, and an `exclude` that keeps tests keeps these too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hexcheck.adapters.cli import app
from tests.conftest import write_project

runner = CliRunner()

# A delivery service whose tests sit beside the aggregates they test, named `*_should.py`
# and collected through pytest.ini's testpaths glob; a Django-style `tests.py` in the
# ordering package; and one real violation, so that the run shows what is checked.
PROJECT = """\
# file: delivery_core/__init__.py
# file: delivery_core/domain/__init__.py
# file: delivery_core/domain/model/__init__.py
# file: delivery_core/domain/model/courier_aggregate/__init__.py
# file: delivery_core/domain/model/courier_aggregate/courier.py
from dataclasses import dataclass

from delivery_core.infrastructure.orm import CourierRow  # a true HEX101


@dataclass
class Courier:
    name: str

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a courier has a name")
# file: delivery_core/domain/model/courier_aggregate/courier_should.py
import pytest

from delivery_core.domain.model.courier_aggregate.courier import Courier
from delivery_core.infrastructure.orm import CourierRow


class TestCourier:
    def test_needs_a_name(self) -> None:
        with pytest.raises(ValueError):
            Courier("")
# file: delivery_core/domain/ordering/__init__.py
# file: delivery_core/domain/ordering/order.py
ORDER_STATES = ("created", "assigned", "completed")
# file: delivery_core/domain/ordering/tests.py
import pytest

from delivery_core.infrastructure.orm import CourierRow
# file: delivery_core/domain/ordering/rules_should_hold.py
from delivery_core.infrastructure.orm import CourierRow  # not a test: `*_should.py` only
# file: delivery_core/infrastructure/__init__.py
# file: delivery_core/infrastructure/orm.py
class CourierRow:
    pass
"""

PYTEST_INI = """\
[pytest]
minversion = 6.0
addopts = -ra -q
testpaths =
    ./**/*_should.py
pythonpath = "."
"""


def _checked(*args: str) -> tuple[list[tuple[str, str]], dict[str, object]]:
    """((code, path) of every finding, the summary) of `hexcheck check`."""
    result = runner.invoke(app, ["check", "--no-cache", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    found = sorted({(f["code"], f["path"]) for f in report["findings"] if f["code"] in ("HEX101", "HEX102")})
    return found, report["summary"]


def test_a_testpaths_glob_leaves_the_files_it_picks_out(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    (in_tmp / "pytest.ini").write_text(PYTEST_INI, encoding="utf-8")
    found, _ = _checked()
    assert found == [
        ("HEX101", "delivery_core/domain/model/courier_aggregate/courier.py"),
        ("HEX101", "delivery_core/domain/ordering/rules_should_hold.py"),
    ]


def test_without_pytest_configuration_the_test_module_is_checked(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    found, _ = _checked()
    # Django's `tests.py` stays out by default; `courier_should.py` is a domain module.
    assert found == [
        ("HEX101", "delivery_core/domain/model/courier_aggregate/courier.py"),
        ("HEX101", "delivery_core/domain/model/courier_aggregate/courier_should.py"),
        ("HEX101", "delivery_core/domain/ordering/rules_should_hold.py"),
        ("HEX102", "delivery_core/domain/model/courier_aggregate/courier_should.py"),
    ]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("pyproject.toml", '[tool.pytest.ini_options]\npython_files = ["test_*.py", "*_should.py"]\n'),
        ("pyproject.toml", '[tool.pytest]\npython_files = ["*_should.py"]\n'),
        ("pyproject.toml", '[tool.pytest.ini_options]\npython_files = "test_*.py *_should.py"\n'),
        ("tox.ini", "[tox]\nenvlist = py312\n\n[pytest]\npython_files = test_*.py *_should.py\n"),
        ("setup.cfg", "[metadata]\nname = delivery\n\n[tool:pytest]\npython_files =\n    *_should.py\n"),
        ("pytest.ini", "[pytest]\npython_files = *_should.py\n"),
    ],
)
def test_python_files_is_read_from_every_file_pytest_reads(in_tmp: Path, name: str, text: str) -> None:
    write_project(in_tmp, PROJECT)
    (in_tmp / name).write_text(text, encoding="utf-8")
    found, _ = _checked()
    assert ("HEX102", "delivery_core/domain/model/courier_aggregate/courier_should.py") not in found
    assert ("HEX101", "delivery_core/domain/ordering/rules_should_hold.py") in found


@pytest.mark.parametrize(
    "pytest_ini",
    [
        "[pytest]\naddopts = -q\n",
        "# pytest runs from here\n",  # empty: still pytest's configuration
    ],
)
def test_the_first_pytest_file_wins_as_in_pytest(in_tmp: Path, pytest_ini: str) -> None:
    # pytest.ini holds the configuration, so pyproject's pytest table is not read.
    write_project(in_tmp, PROJECT)
    (in_tmp / "pytest.ini").write_text(pytest_ini, encoding="utf-8")
    (in_tmp / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\npython_files = ["*_should.py"]\n', encoding="utf-8"
    )
    found, _ = _checked()
    assert ("HEX102", "delivery_core/domain/model/courier_aggregate/courier_should.py") in found


def test_a_file_without_a_pytest_section_passes_to_the_next(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    (in_tmp / "pyproject.toml").write_text('[project]\nname = "delivery"\n', encoding="utf-8")
    (in_tmp / "setup.cfg").write_text("[tool:pytest]\npython_files = *_should.py\n", encoding="utf-8")
    found, _ = _checked()
    assert ("HEX102", "delivery_core/domain/model/courier_aggregate/courier_should.py") not in found


def test_a_configuration_holds_below_its_own_directory(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    (in_tmp / "delivery_core" / "domain" / "ordering" / "pytest.ini").write_text(
        "[pytest]\npython_files = *_should_hold.py\n", encoding="utf-8"
    )
    found, _ = _checked()
    assert ("HEX101", "delivery_core/domain/ordering/rules_should_hold.py") not in found
    assert ("HEX102", "delivery_core/domain/model/courier_aggregate/courier_should.py") in found


@pytest.mark.parametrize(
    "python_files",
    [
        "*.py",  # every module
        "*s.py",  # models.py, schemas.py...
        "*_*.py",
        "[a-z]*.py",
        "*.txt",  # not Python
        "delivery_core/**/*_should.py",  # a path, matched by pytest against the whole path
    ],
)
def test_patterns_that_do_not_name_tests_are_not_taken(in_tmp: Path, python_files: str) -> None:
    write_project(in_tmp, PROJECT)
    (in_tmp / "pytest.ini").write_text(f"[pytest]\npython_files = {python_files}\n", encoding="utf-8")
    found, _ = _checked()
    assert len(found) == 4


def test_a_testpaths_folder_is_not_taken(in_tmp: Path) -> None:
    # `testpaths = delivery_core` says where to look, not that the code there is tests; a
    # glob below a named folder holds only there.
    write_project(in_tmp, PROJECT)
    (in_tmp / "pytest.ini").write_text(
        "[pytest]\ntestpaths = delivery_core e2e/**/*_should.py\n", encoding="utf-8"
    )
    found, _ = _checked()
    assert len(found) == 4


def test_an_exclude_that_keeps_tests_keeps_the_pytest_patterns_too(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    (in_tmp / "pytest.ini").write_text(PYTEST_INI, encoding="utf-8")
    (in_tmp / "hexcheck.toml").write_text('exclude = [".git", "tests"]\n', encoding="utf-8")
    found, _ = _checked()
    assert ("HEX102", "delivery_core/domain/model/courier_aggregate/courier_should.py") in found
    assert ("HEX101", "delivery_core/domain/ordering/tests.py") in found


@pytest.mark.parametrize(
    "text",
    [
        "[pytest\npython_files = *_should.py\n",  # no closing bracket
        "\xff\xfe not utf-8",
        "[pytest]\npython_files = *_should.py\n# " + "x" * (1024 * 1024) + "\n",  # over 1 MiB
    ],
)
def test_an_unreadable_pytest_file_names_no_test_and_the_run_goes_on(in_tmp: Path, text: str) -> None:
    # pytest would refuse to run with it, so its patterns are not guessed, nor the next
    # file's read in its place.
    write_project(in_tmp, PROJECT)
    (in_tmp / "pytest.ini").write_bytes(text.encode("latin-1"))
    (in_tmp / "pyproject.toml").write_text('[tool.pytest.ini_options]\npython_files = ["*_should.py"]\n')
    found, _ = _checked()
    assert ("HEX102", "delivery_core/domain/model/courier_aggregate/courier_should.py") in found


def test_a_repeated_key_takes_its_last_value(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    (in_tmp / "tox.ini").write_text("[pytest]\npython_files = test_*.py\npython_files = *_should.py\n")
    found, _ = _checked()
    assert ("HEX102", "delivery_core/domain/model/courier_aggregate/courier_should.py") not in found


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("tox.ini", "[pytest]\nPython_Files = *_should.py\n"),  # pytest's keys are case-sensitive
        ("tox.ini", "[DEFAULT]\npython_files = *_should.py\n\n[pytest]\naddopts = -q\n"),
        ("tox.ini", "[tox]\nenvlist = py312\n"),  # no pytest section: nothing, and the run goes on
        ("pytest.toml", "[pytest]\npython_files = 3\n"),  # not a string
    ],
)
def test_what_pytest_does_not_read_names_no_test(in_tmp: Path, name: str, text: str) -> None:
    write_project(in_tmp, PROJECT)
    (in_tmp / name).write_text(text)
    found, _ = _checked()
    assert ("HEX102", "delivery_core/domain/model/courier_aggregate/courier_should.py") in found


def test_a_fifo_named_like_a_pytest_file_is_not_read(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    os.mkfifo(in_tmp / "tox.ini")  # reading it would block the run for ever
    (in_tmp / "setup.cfg").write_text("[tool:pytest]\npython_files = *_should.py\n")
    # In a process of its own, so that a blocked read fails the test instead of hanging it.
    result = subprocess.run(
        [sys.executable, "-m", "hexcheck", "check", "--no-cache", "--format", "json", "."],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    paths = {f["path"] for f in json.loads(result.stdout)["findings"]}
    assert "delivery_core/domain/model/courier_aggregate/courier_should.py" not in paths


def test_a_run_below_the_configuration_reads_it(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    (in_tmp / "pytest.ini").write_text(PYTEST_INI)
    found, _ = _checked("delivery_core/domain/model")
    assert found == [("HEX101", "delivery_core/domain/model/courier_aggregate/courier.py")]


def test_a_configuration_above_the_project_holds_in_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The service keeps its hexcheck.toml; pytest runs from the repository's root.
    service = tmp_path / "svc"
    write_project(service, PROJECT)
    (service / "hexcheck.toml").write_text("# the service's settings\n")
    (tmp_path / "pytest.ini").write_text(PYTEST_INI)
    monkeypatch.chdir(service)
    found, _ = _checked()
    assert ("HEX102", "delivery_core/domain/model/courier_aggregate/courier_should.py") not in found


def test_python_files_holds_only_in_the_folders_testpaths_names(in_tmp: Path) -> None:
    # pytest's own example: `check_*.py` beside `test_*.py`, collected from `tests/` only;
    # a domain module named `check_in.py` elsewhere is code.
    write_project(in_tmp, PROJECT)
    (in_tmp / "delivery_core" / "domain" / "ordering" / "check_in.py").write_text(
        "from delivery_core.infrastructure.orm import CourierRow\n"
    )
    (in_tmp / "pytest.ini").write_text(
        "[pytest]\ntestpaths = delivery_core/domain/model\npython_files = check_*.py *_should.py\n"
    )
    found, _ = _checked()
    assert ("HEX101", "delivery_core/domain/ordering/check_in.py") in found
    assert ("HEX101", "delivery_core/domain/ordering/rules_should_hold.py") in found
    assert ("HEX102", "delivery_core/domain/model/courier_aggregate/courier_should.py") not in found


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("pytest.ini", '[pytest]\npython_files = "*_should.py"\n'),  # quoted, as pytest splits it
        ("pytest.toml", "[pytest]\ntestpaths = ['.\\**\\*_should.py']\n"),  # Windows separators
        ("pytest.toml", '[pytest]\ntestpaths = ["./**/*_should.py"]\n'),  # pytest 9's own file
        (".pytest.toml", '[pytest]\npython_files = ["*_should.py"]\n'),
    ],
)
def test_more_ways_of_writing_the_patterns(in_tmp: Path, name: str, text: str) -> None:
    write_project(in_tmp, PROJECT)
    (in_tmp / name).write_text(text)
    found, _ = _checked()
    assert ("HEX102", "delivery_core/domain/model/courier_aggregate/courier_should.py") not in found


def test_an_empty_pytest_toml_is_the_configuration(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    (in_tmp / "pytest.toml").write_text("# pytest runs from here\n")
    (in_tmp / "pytest.ini").write_text("[pytest]\npython_files = *_should.py\n")
    found, _ = _checked()
    assert ("HEX102", "delivery_core/domain/model/courier_aggregate/courier_should.py") in found


def test_a_package_init_is_never_a_test_module(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    (in_tmp / "delivery_core" / "domain" / "ordering" / "__init__.py").write_text(
        "from delivery_core.infrastructure.orm import CourierRow\n"
    )
    (in_tmp / "pytest.ini").write_text("[pytest]\npython_files = __init__*.py\n")
    found, _ = _checked()
    assert ("HEX101", "delivery_core/domain/ordering/__init__.py") in found


def test_extend_exclude_keeping_the_test_pattern_keeps_the_pytest_patterns(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    (in_tmp / "pytest.ini").write_text(PYTEST_INI)
    (in_tmp / "hexcheck.toml").write_text('exclude = [".git"]\nextend-exclude = ["./test_*.py"]\n')
    found, _ = _checked()
    assert ("HEX102", "delivery_core/domain/model/courier_aggregate/courier_should.py") not in found


def test_a_number_among_the_strings_is_passed_over(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    (in_tmp / "pyproject.toml").write_text(
        '[tool.pytest]\npython_files = 3\ntestpaths = [1, "./**/*_should.py"]\n', encoding="utf-8"
    )
    found, _ = _checked()
    # the one string in testpaths is read; the number is passed over
    assert ("HEX102", "delivery_core/domain/model/courier_aggregate/courier_should.py") not in found
