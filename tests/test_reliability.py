"""Reliability: fuzzed and mutated input never breaks extraction, bad configuration
always names its key, and the output is byte-identical whatever the process count, the
cache state or the order the file system lists files in."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hexcheck.adapters.pool import extract_all
from hexcheck.adapters.pyproject import load_config
from hexcheck.core.errors import ConfigError
from tests.conftest import FIXTURES, copy_fixture

SAMPLE = FIXTURES / "bookstore_clean"


def _extract_in_workers(sources: list[bytes]) -> list[str]:
    """Problems of each source, parsed in killable workers (a crash must stay there)."""
    with tempfile.TemporaryDirectory() as directory:
        tasks = []
        for i, data in enumerate(sources):
            path = Path(directory, f"fuzz{i}.py")
            path.write_bytes(data)
            tasks.append((i, str(path), "app.domain.fuzz", "fuzz.py", False))
        results = extract_all(tasks, jobs=2, budget=20)
    return [results[i].problem.message if results[i].problem else "" for i in range(len(sources))]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(hypothesmith.from_grammar(), min_size=5, max_size=5))
def test_generated_programs_give_facts_or_a_parse_problem(sources: list[str]) -> None:
    for message in _extract_in_workers([s.encode("utf-8", "surrogatepass") for s in sources]):
        assert not message.startswith("hexcheck failed"), message


def _mutations(data: bytes, rng: random.Random) -> list[bytes]:
    lines = data.splitlines(keepends=True)
    flipped = bytearray(data)
    for _ in range(3):
        flipped[rng.randrange(len(flipped))] = rng.randrange(256)
    dropped = list(lines)
    if dropped:
        del dropped[rng.randrange(len(dropped))]
    return [data[: rng.randrange(len(data))], bytes(flipped), b"".join(dropped)]


def test_mutated_fixture_files_never_break_extraction() -> None:
    rng = random.Random(2026)
    sources: list[bytes] = []
    for path in sorted(FIXTURES.rglob("*.py")):
        data = path.read_bytes()
        if data:
            sources.extend(_mutations(data, rng))
    messages = _extract_in_workers(sources)
    assert len(messages) == len(sources)
    assert [m for m in messages if m.startswith(("hexcheck failed", "the parser crashed"))] == []


KEYS = [
    "source-roots",
    "exclude",
    "extend-exclude",
    "preset",
    "select",
    "ignore",
    "type-checking-imports",
    "allowed-edges",
    "cache-dir",
    "parse-timeout",
    "max-file-bytes",
    "max-port-methods",
    "max-handler-statements",
    "default-layers",
    "colour",
    "max_port_methods",
    "layers",
    "packages",
]
_values = st.one_of(
    st.integers(-5, 5),
    st.booleans(),
    st.text("abc -<>", max_size=6),
    st.lists(st.integers(0, 3), max_size=2),
    st.floats(allow_nan=False, allow_infinity=False),
)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    assert isinstance(value, list)
    return "[" + ", ".join(_toml(v) for v in value) + "]"


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), _values, min_size=1, max_size=4))
def test_generated_bad_configuration_names_the_key(
    tmp_path_factory: pytest.TempPathFactory, table: dict[str, object]
) -> None:
    path = tmp_path_factory.mktemp("config") / "pyproject.toml"
    path.write_text("[tool.hexcheck]\n" + "".join(f'"{k}" = {_toml(v)}\n' for k, v in table.items()))
    try:
        load_config(str(path))
    except ConfigError as error:
        assert error.problems
        assert all(p.startswith("tool.hexcheck") for p in error.problems), error.problems
        named = " ".join(error.problems)
        assert any(f"tool.hexcheck.{key}" in named for key in table)


def test_bad_configuration_exits_2_naming_the_key(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.hexcheck]\nmax-port-methods = "eight"\n')
    (tmp_path / "a.py").write_text("x = 1\n")
    result = _hexcheck(tmp_path, "check", ".")
    assert result.returncode == 2
    assert "tool.hexcheck.max-port-methods" in result.stderr and "Traceback" not in result.stderr


def _hexcheck(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hexcheck", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    target = tmp_path / "sample"
    copy_fixture(FIXTURES / "bookstore_violations", target)
    return target


def _report(cwd: Path, *extra: str) -> str:
    result = _hexcheck(cwd, "check", ".", "--format", "json", "--preset", "strict", *extra)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout


def test_same_output_for_every_process_count_and_cache_state(sample: Path) -> None:
    reference = _report(sample, "--no-cache", "--jobs", "1")
    assert reference
    for jobs in ("2", "4"):
        assert _report(sample, "--no-cache", "--jobs", jobs) == reference
    assert _report(sample) == reference  # cold cache
    assert _report(sample) == reference  # warm cache
    (sample / "app" / "domain" / "book.py").write_text(
        (sample / "app" / "domain" / "book.py").read_text() + "\n"
    )
    assert _report(sample) != ""  # incremental: one changed file re-parsed


def test_same_output_whatever_order_files_were_created(tmp_path: Path) -> None:
    sources = {
        p.relative_to(FIXTURES / "bookstore_violations"): p.read_bytes()
        for p in (FIXTURES / "bookstore_violations").rglob("*")
        if p.is_file()
    }
    outputs = []
    for name, order in (("forward", sorted(sources)), ("backward", sorted(sources, reverse=True))):
        root = tmp_path / name / "project"
        for relative in order:
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_bytes(sources[relative])
        outputs.append(_report(root, "--no-cache"))
    assert outputs[0] == outputs[1]


def test_corrupted_cache_is_ignored_and_rewritten(sample: Path) -> None:
    reference = _report(sample, "--no-cache")
    assert _report(sample) == reference
    database = sample / ".hexcheck_cache" / "facts.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("UPDATE facts SET payload = X'00FF00'")
        db.execute("UPDATE reports SET payload = X'00FF00'")
    assert _report(sample) == reference
    with sqlite3.connect(database) as db:
        broken = db.execute("SELECT count(*) FROM facts WHERE payload = X'00FF00'").fetchone()[0]
    assert broken == 0  # rewritten
    data = database.read_bytes()
    database.write_bytes(data[: len(data) // 3])  # truncated
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    assert _report(sample) == reference
    database.write_bytes(b"not a database at all")
    assert _report(sample) == reference


def test_concurrent_runs_share_the_cache(sample: Path) -> None:
    reference = _report(sample, "--no-cache")
    command = [sys.executable, "-m", "hexcheck", "check", ".", "--format", "json", "--preset", "strict"]
    runs = [
        subprocess.Popen(command, cwd=sample, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [out for out, _ in outputs] == [reference] * 3, [err for _, err in outputs]
    assert _report(sample) == reference


def test_a_run_killed_mid_write_leaves_a_usable_cache(sample: Path) -> None:
    reference = _report(sample, "--no-cache")
    for delay in (0.3, 0.6, 0.9):
        shutil.rmtree(sample / ".hexcheck_cache", ignore_errors=True)
        run = subprocess.Popen(
            [sys.executable, "-m", "hexcheck", "check", ".", "--format", "json", "--preset", "strict"],
            cwd=sample,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(delay)
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
        assert _report(sample) == reference


def test_an_internal_error_is_one_line_exit_3_and_debug_shows_the_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hexcheck.adapters.cli import _guard

    def broken() -> int:
        raise RuntimeError("boom")

    monkeypatch.delenv("HEXCHECK_DEBUG", raising=False)
    assert _guard(broken, debug=False) == 3
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "hexcheck: internal error: RuntimeError: boom"
    assert "--debug" in err and "Traceback" not in err
    assert _guard(broken, debug=True) == 3
    assert "Traceback" in capsys.readouterr().err
