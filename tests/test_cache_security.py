"""A checked repository cannot run code on the machine that checks it.

The cache directory lies inside the checked tree, so a pull request can ship one. Each
test plants, in a copy of the sample project, cache files of every kind hexcheck writes
(facts, stat rows, whole reports) whose payloads would create a marker file if anything
unpickled them, with the checksums an attacker can compute; then runs hexcheck twice, as
CI and a reviewer would, and asserts that the marker was never made and that the findings
are exactly those of a cold run.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import pickle
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, copy_fixture

SAMPLE = FIXTURES / "bookstore_violations"


class _Payload:
    """Pickles into "open(marker, 'w')": the smallest proof that unpickling ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.marker), "w")


def hostile_payload(marker: Path) -> bytes:
    return pickle.dumps(_Payload(marker), protocol=pickle.HIGHEST_PROTOCOL)


def test_the_planted_payload_is_live(tmp_path: Path) -> None:
    # The control: the bytes these tests plant do run code when unpickled.
    control = tmp_path / "control"
    opened = pickle.loads(hostile_payload(control))
    opened.close()  # the payload's `open(...)` result, closed so no ResourceWarning follows
    assert control.exists()


def _hexcheck(
    project: Path, *arguments: str, environment: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **(environment or {})}
    return subprocess.run(
        [sys.executable, "-m", "hexcheck", "check", ".", "--format", "json", *arguments],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


@pytest.fixture(scope="module")
def cold_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    project = tmp_path_factory.mktemp("cold") / "project"
    copy_fixture(SAMPLE, project)
    done = _hexcheck(project, "--no-cache")
    assert done.returncode == 1, done.stderr
    return done.stdout


def _copy_with_a_real_cache(tmp_path: Path, environment: dict[str, str] | None = None) -> Path:
    """A copy of the sample whose cache a real run wrote: every key, stat row and run key
    then matches, the strongest position a planted cache can be in."""
    project = tmp_path / "project"
    copy_fixture(SAMPLE, project)
    done = _hexcheck(project, environment=environment)
    assert done.returncode == 1, done.stderr
    return project


def _replace_every_payload(project: Path, payload: bytes, sign: object) -> int:
    """Put `payload` in every facts and report entry, with `sign(payload)` as its check."""
    database = project / ".hexcheck_cache" / "facts.sqlite3"
    db = sqlite3.connect(database)
    planted = 0
    with db:
        for table in ("facts", "reports"):
            keys = [key for (key,) in db.execute(f"SELECT key FROM {table}")]
            for key in keys:
                db.execute(
                    f"UPDATE {table} SET checksum = ?, payload = ? WHERE key = ?",
                    (sign(payload), payload, key),  # type: ignore[operator]
                )
            planted += len(keys)
    db.close()
    return planted


def _sha256(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def _hmac_with(key: bytes) -> object:
    return lambda payload: hmac.new(key, payload, hashlib.sha256).hexdigest()


def _assert_two_runs_stay_clean(
    project: Path, marker: Path, cold: str, environment: dict[str, str] | None = None
) -> None:
    for _ in range(2):
        done = _hexcheck(project, environment=environment)
        assert not marker.exists(), "a cache entry from the checked tree ran code"
        assert done.returncode == 1, done.stderr
        assert done.stdout == cold


def test_a_planted_cache_with_checksums_anyone_can_compute_runs_nothing(
    tmp_path: Path, cold_output: str
) -> None:
    project = _copy_with_a_real_cache(tmp_path)
    marker = tmp_path / "marker"
    assert _replace_every_payload(project, hostile_payload(marker), _sha256) > 70
    _assert_two_runs_stay_clean(project, marker, cold_output)


def test_a_cache_signed_by_another_machine_is_a_miss_not_a_payload(tmp_path: Path, cold_output: str) -> None:
    # Signed with a key the attacker chose: not the key of the user running hexcheck.
    project = _copy_with_a_real_cache(tmp_path)
    marker = tmp_path / "marker"
    _replace_every_payload(project, hostile_payload(marker), _hmac_with(b"k" * 32))
    _assert_two_runs_stay_clean(project, marker, cold_output)


def test_a_signing_key_inside_the_checked_tree_is_not_trusted(tmp_path: Path, cold_output: str) -> None:
    # A CI job that points the cache home into the work tree, and a pull request that
    # ships both the key and entries signed with it.
    home = tmp_path / "project" / ".cache"
    environment = {"XDG_CACHE_HOME": str(home)}
    project = _copy_with_a_real_cache(tmp_path)
    planted_key = b"0123456789abcdef" * 4
    (home / "hexcheck").mkdir(parents=True, exist_ok=True)
    (home / "hexcheck" / "cache-key").write_bytes(planted_key)
    marker = tmp_path / "marker"
    _replace_every_payload(project, hostile_payload(marker), _hmac_with(planted_key))
    _assert_two_runs_stay_clean(project, marker, cold_output, environment)
    done = _hexcheck(project, environment=environment)
    assert "running without a cache: the key file" in done.stderr
    assert "inside the checked tree" in done.stderr


def test_even_a_leaked_key_does_not_let_a_cache_entry_run_code(tmp_path: Path, cold_output: str) -> None:
    # Defence in depth: entries that pass the signature are still only ever built into
    # hexcheck's own records.
    environment = {"HEXCHECK_CACHE_KEY": "a team's shared key of 32 characters or more, leaked"}
    project = _copy_with_a_real_cache(tmp_path, environment)
    marker = tmp_path / "marker"
    _replace_every_payload(
        project, hostile_payload(marker), _hmac_with(environment["HEXCHECK_CACHE_KEY"].encode())
    )
    _assert_two_runs_stay_clean(project, marker, cold_output, environment)


def test_the_real_cache_is_used_and_signed_with_the_users_key(tmp_path: Path, cold_output: str) -> None:
    # The same machine, nothing planted: the warm runs read the cache (the report entry
    # is found), and the key sits in the user's cache home, readable by the user only.
    project = _copy_with_a_real_cache(tmp_path)
    db = sqlite3.connect(project / ".hexcheck_cache" / "facts.sqlite3")
    (run_key, signature, payload), *_ = db.execute("SELECT key, checksum, payload FROM reports").fetchall()
    db.close()
    key_file = Path(os.environ["XDG_CACHE_HOME"]) / "hexcheck" / "cache-key"
    signed = f"reports\0{run_key}\0".encode() + payload  # the table and the row's key, then its payload
    assert signature == _hmac_with(key_file.read_bytes().strip())(signed)  # type: ignore[operator]
    assert key_file.stat().st_mode & 0o077 == 0
    warm = _hexcheck(project)
    assert warm.stdout == cold_output


def test_a_planted_baseline_is_data_never_code(tmp_path: Path) -> None:
    project = tmp_path / "project"
    copy_fixture(SAMPLE, project)
    marker = tmp_path / "marker"
    (project / "hexcheck-baseline.json").write_bytes(hostile_payload(marker))
    done = _hexcheck(project, "--baseline", "hexcheck-baseline.json")
    assert not marker.exists()
    assert done.returncode == 2
    assert "baseline hexcheck-baseline.json: not valid" in done.stderr
    # A well-formed baseline can only hold findings back, by path, code and symbol.
    (project / "hexcheck-baseline.json").write_text(
        json.dumps({"version": 1, "findings": [{"path": "x", "code": "HEX101", "symbol": "__reduce__"}]})
    )
    done = _hexcheck(project, "--baseline", "hexcheck-baseline.json")
    assert done.returncode == 1
    assert not marker.exists()


def _donor_key(db: sqlite3.Connection, path_end: str) -> str:
    (key,) = db.execute("SELECT key FROM stats WHERE path LIKE ?", (f"%{path_end}",)).fetchone()
    return str(key)


def test_a_planted_trigger_cannot_point_files_at_other_facts(tmp_path: Path, cold_output: str) -> None:
    # A database shipped with a trigger that, whenever hexcheck records a file, points the
    # files with findings at the facts of a file without any: its own honest, signed rows.
    project = _copy_with_a_real_cache(tmp_path)
    db = sqlite3.connect(project / ".hexcheck_cache" / "facts.sqlite3")
    donor = _donor_key(db, "app/domain/__init__.py")
    with db:
        db.execute(
            "CREATE TRIGGER hide AFTER INSERT ON stats BEGIN "
            f"UPDATE stats SET key = '{donor}' WHERE path LIKE '%value_objects.py' "
            "OR path LIKE '%routers/books.py'; END"
        )
        db.execute("DELETE FROM reports")
    db.close()
    (project / "app" / "domain" / "value_objects.py").touch()  # so that its stat row is written again
    for _ in range(3):
        assert _hexcheck(project).stdout == cold_output


def test_stat_rows_pointed_at_other_facts_are_not_trusted(tmp_path: Path, cold_output: str) -> None:
    project = _copy_with_a_real_cache(tmp_path)
    db = sqlite3.connect(project / ".hexcheck_cache" / "facts.sqlite3")
    donor = _donor_key(db, "app/domain/__init__.py")
    with db:
        db.execute("UPDATE stats SET key = ? WHERE path NOT LIKE '%__init__.py'", (donor,))
        db.execute("DELETE FROM reports")
    db.close()
    for _ in range(2):
        assert _hexcheck(project).stdout == cold_output


def test_links_in_a_planted_cache_lead_nowhere(tmp_path: Path, cold_output: str) -> None:
    # A shipped cache directory whose files are links out of the tree: hexcheck must not
    # write through them (it runs without a cache instead).
    project = tmp_path / "project"
    copy_fixture(SAMPLE, project)
    outside = tmp_path / "outside"
    outside.mkdir()
    cache = project / ".hexcheck_cache"
    cache.mkdir()
    (cache / ".gitignore").symlink_to(outside / "written-through-gitignore")
    (cache / "facts.sqlite3").symlink_to(outside / "written-through-database")
    for _ in range(2):
        done = _hexcheck(project)
        assert done.stdout == cold_output
    assert sorted(p.name for p in outside.iterdir()) == []


def test_a_linked_cache_directory_is_not_written_through(tmp_path: Path, cold_output: str) -> None:
    project = tmp_path / "project"
    copy_fixture(SAMPLE, project)
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / ".hexcheck_cache").symlink_to(outside, target_is_directory=True)
    assert _hexcheck(project).stdout == cold_output
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("builtins", "open"),
        ("os", "system"),
        ("hexcheck.core.facts", "ModuleFacts.__init__"),  # a dotted walk out of a class
        ("hexcheck.adapters.cache", "FactsCache"),  # hexcheck's, but no record
        ("hexcheck.rules.no_such_module", "Rule"),  # a module name is never imported
    ],
)
def test_the_cache_unpickler_builds_only_hexcheck_records(module: str, name: str) -> None:
    from hexcheck.adapters.cache import _CacheUnpickler

    payload = b"c" + f"{module}\n{name}\n".encode() + b")R."  # GLOBAL, (), REDUCE, STOP
    with pytest.raises(pickle.UnpicklingError, match="not hexcheck's data"):
        _CacheUnpickler(io.BytesIO(payload)).load()


def test_the_cache_unpickler_builds_facts() -> None:
    from hexcheck.adapters.cache import decode_facts, encode_facts
    from hexcheck.core.facts import ModuleFacts

    facts = ModuleFacts("app.domain.book", "app/domain/book.py", False)
    assert decode_facts(encode_facts(facts), "elsewhere.py") == ModuleFacts(
        "app.domain.book", "elsewhere.py", False
    )
