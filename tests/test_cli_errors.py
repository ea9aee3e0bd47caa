"""What a user sees when a command line goes wrong: one message naming the problem, the
documented exit code, never a traceback. Run through the console script's entry point
in a subprocess, as a shell would."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, copy_fixture

SAMPLE = FIXTURES / "bookstore_violations"


def _hexcheck(cwd: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hexcheck", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("cli") / "project"
    copy_fixture(SAMPLE, project)
    return project


def _assert_one_clear_line(done: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr


def test_an_unknown_format_names_the_choices(sample: Path) -> None:
    done = _hexcheck(sample, "check", ".", "--format", "xml")
    _assert_one_clear_line(done, 2, "unknown format 'xml'", "json", "sarif")
    assert done.stdout == ""


def test_a_missing_config_file_is_named(sample: Path) -> None:
    done = _hexcheck(sample, "check", ".", "--config", "nowhere/pyproject.toml")
    _assert_one_clear_line(done, 2, "nowhere/pyproject.toml")
    assert done.stdout == ""


def test_an_unwritable_output_is_named_and_nothing_else_is_written(sample: Path) -> None:
    done = _hexcheck(sample, "check", ".", "--output", "no/such/dir/report.json", "--no-cache")
    _assert_one_clear_line(done, 2, "no/such/dir/report.json")
    assert not (sample / "no").exists()


def test_a_missing_path_is_named(sample: Path) -> None:
    done = _hexcheck(sample, "check", "app/domian")
    _assert_one_clear_line(done, 2, "app/domian")


def test_version_prints_the_version(sample: Path) -> None:
    from hexcheck.core.version import VERSION

    done = _hexcheck(sample, "version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"hexcheck {VERSION}\n", "")


# Ctrl-C as a terminal sends it: SIGINT to the whole foreground process group (hexcheck
# and its parsing workers), here at the moment the workers have their first files.
_INTERRUPTED_RUN = textwrap.dedent(
    """
    import os, signal, sys
    from hexcheck.adapters import extraction, cli

    # As in a terminal's foreground job: a suite started in the background of a
    # non-interactive shell (`pytest &`) passes SIGINT down ignored, and Python keeps it so.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    real = extraction.extract_all

    def extract_all(tasks, jobs, budget, progress=None, store=None, meanwhile=None):
        def ctrl_c():
            os.killpg(0, signal.SIGINT)
            if meanwhile is not None:
                meanwhile()
        return real(tasks, jobs, budget, progress, store, ctrl_c)

    extraction.extract_all = extract_all
    sys.argv = ["hexcheck", "check", ".", "--no-cache", "--jobs", "2"]
    cli.main()
    """
)


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")
def test_ctrl_c_exits_130_with_one_line_and_no_worker_left(sample: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", _INTERRUPTED_RUN],
        cwd=sample,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the signal reaches no one else
    )
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 130
    # The configuration line every run starts with, then one line: no worker's traceback.
    assert stderr.splitlines() == ["hexcheck: config: hexcheck.toml", "hexcheck: interrupted"]
    assert stdout == ""
    assert not _group_alive(process.pid), "a parsing worker outlived the interrupted run"


def _group_alive(group: int) -> bool:
    for _ in range(50):  # a worker already killed may take a moment to be reaped
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.1)
    return True


def test_a_reader_that_leaves_early_ends_the_run_quietly(tmp_path: Path) -> None:
    # `hexcheck check | head -1`: the reader is gone before the findings are written.
    project = tmp_path / "project"
    copy_fixture(SAMPLE, project)
    process = subprocess.Popen(
        [sys.executable, "-m", "hexcheck", "check", ".", "--format", "concise", "--no-cache"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    with process.stderr:  # closed here, not left to the garbage collector mid-suite
        stderr = process.stderr.read()
    assert process.wait(timeout=300) == 141
    assert stderr.splitlines() == ["hexcheck: config: hexcheck.toml"]  # and nothing about the pipe


def test_subprocess_runs_of_the_console_script_record_coverage(sample: Path, tmp_path: Path) -> None:
    # The console script leaves with os._exit; a coverage measurement must survive it.
    import coverage

    data_file = tmp_path / "coverage.data"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "coverage",
            "run",
            f"--data-file={data_file}",
            "--source=hexcheck",
            "-m",
            "hexcheck",
            "check",
            ".",
            "--no-cache",
            "--format",
            "json",
        ],
        cwd=sample,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    data = coverage.CoverageData(basename=str(data_file))
    data.read()
    measured = {Path(name).name for name in data.measured_files()}
    assert {"engine.py", "cli.py", "runner.py"} <= measured
