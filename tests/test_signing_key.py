"""The cache's signing key: made once, kept private, never taken from the checked tree,
and when none can be had the run goes on without a cache and says so."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hexcheck.adapters.cli import app
from hexcheck.adapters.signing_key import NoSigningKey, signing_key
from tests.conftest import write_project


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache_home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    monkeypatch.delenv("HEXCHECK_CACHE_KEY", raising=False)
    return cache_home


def _key_file(home: Path) -> Path:
    return home / "hexcheck" / "cache-key"


def test_a_key_is_made_once_readable_by_its_owner_only(home: Path, tmp_path: Path) -> None:
    first = signing_key([str(tmp_path / "project")])
    assert len(first) == 64
    assert signing_key([str(tmp_path / "project")]) == first
    assert stat.S_IMODE(_key_file(home).stat().st_mode) == 0o600
    assert sorted(p.name for p in _key_file(home).parent.iterdir()) == ["cache-key"]  # nothing left aside


def test_a_truncated_key_is_made_anew(home: Path, tmp_path: Path) -> None:
    project = str(tmp_path / "project")
    signing_key([project])
    _key_file(home).write_text("0123\n")
    assert len(signing_key([project])) == 64


def test_a_key_others_can_read_is_refused(home: Path, tmp_path: Path) -> None:
    signing_key([str(tmp_path / "project")])
    _key_file(home).chmod(0o644)  # as git checks a committed file out
    with pytest.raises(NoSigningKey, match=r"can be read by others.*chmod 600"):
        signing_key([str(tmp_path / "project")])


def test_a_linked_key_is_refused(home: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("k" * 64)
    elsewhere.chmod(0o600)
    _key_file(home).parent.mkdir(parents=True)
    _key_file(home).symlink_to(elsewhere)
    with pytest.raises(NoSigningKey, match="cannot keep a signing key"):
        signing_key([str(tmp_path / "project")])


def test_a_key_inside_the_checked_tree_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / ".cache"))
    monkeypatch.delenv("HEXCHECK_CACHE_KEY", raising=False)
    with pytest.raises(NoSigningKey, match="inside the checked tree"):
        signing_key([str(project)])
    assert not (project / ".cache").exists()


def test_a_cache_home_that_is_a_file_gives_a_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    with pytest.raises(NoSigningKey, match="cannot keep a signing key in"):
        signing_key([str(tmp_path / "project")])


def test_no_home_at_all_gives_a_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("HEXCHECK_CACHE_KEY", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    with pytest.raises(NoSigningKey, match="no home directory"):
        signing_key([str(tmp_path)])


def test_a_shared_key_comes_from_the_environment_and_must_be_long(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = str(tmp_path / "project")
    monkeypatch.setenv("HEXCHECK_CACHE_KEY", "short")
    with pytest.raises(NoSigningKey, match="at least 32"):
        signing_key([project])
    monkeypatch.setenv("HEXCHECK_CACHE_KEY", "s" * 40)
    assert signing_key([project]) == b"s" * 40
    assert not _key_file(home).exists()


def test_without_a_key_the_check_runs_without_a_cache_and_says_so(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(
        in_tmp,
        "# file: shop/__init__.py\n# file: shop/domain/__init__.py\n"
        "# file: shop/domain/order.py\nimport requests\n",
    )
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    result = CliRunner().invoke(app, ["check", ".", "--format", "concise"])
    assert result.exit_code == 1
    assert "shop/domain/order.py:1:1: HEX102" in result.stdout
    assert "hexcheck: running without a cache: there is no home directory" in result.stderr
    assert not (in_tmp / ".hexcheck_cache").exists()
    assert os.listdir(in_tmp) == ["shop"]
