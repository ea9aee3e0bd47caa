"""Every fixture project gives exactly the findings its expected.txt lists."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import hexcheck
from hexcheck.adapters.pyproject import find_config, load_config
from hexcheck.rules.registry import all_rules
from tests.conftest import FIXTURES, read_expected

PROJECTS = sorted(p.parent for p in FIXTURES.glob("*/expected.txt"))
IMPLEMENTED = {rule.code for rule in all_rules()}


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_fixture_findings_match_expected(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    config = load_config(find_config("."))
    from dataclasses import replace

    report = hexcheck.check(["."], replace(config, preset="strict"))
    found = {(f.location.path, f.location.line, f.code) for f in report.findings}
    expected = {e for e in read_expected(project / "expected.txt") if e[2] in IMPLEMENTED}
    assert sorted(found - expected) == [], "reported but not expected"
    assert sorted(expected - found) == [], "expected but not reported"


def test_the_readme_sample_fails_and_the_clean_sample_passes() -> None:
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "hexcheck",
            "check",
            "fixtures/bookstore_violations",
            "--no-cache",
            "--format",
            "concise",
        ],
        cwd=FIXTURES.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert bad.returncode == 1
    assert "fixtures/bookstore_violations/app/domain/loan.py:20:1: HEX101" in bad.stdout
    clean = subprocess.run(
        [
            sys.executable,
            "-m",
            "hexcheck",
            "check",
            "fixtures/bookstore_clean",
            "--no-cache",
            "--preset",
            "strict",
        ],
        cwd=FIXTURES.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (clean.returncode, clean.stdout) == (0, "")
