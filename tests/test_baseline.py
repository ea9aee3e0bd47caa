"""The baseline: `hexcheck baseline` records today's findings, `check --baseline` reports
only new ones, whatever moved, and says which entries are fixed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hexcheck.adapters.baseline_file import read_baseline, render
from hexcheck.adapters.cli import app
from hexcheck.core.baseline import Baseline, BaselineEntry, apply_baseline
from hexcheck.core.findings import Finding, Location, Severity
from tests.conftest import write_project

runner = CliRunner()

LEGACY = """\
# file: app/__init__.py
# file: app/domain/__init__.py
# file: app/infrastructure/__init__.py
# file: app/domain/book.py
import sqlalchemy
from app.infrastructure.db import Session


class Book:
    def save(self):
        import sqlalchemy
        return Session()
# file: app/domain/author.py
from app.infrastructure.db import Session
# file: app/infrastructure/db.py
class Session: ...
"""


def _check(*arguments: str) -> tuple[int, list[str], str]:
    result = runner.invoke(app, ["check", "--format", "concise", "--no-cache", *arguments])
    return result.exit_code, result.stdout.splitlines(), result.stderr


def _baseline(*arguments: str) -> None:
    result = runner.invoke(app, ["baseline", "--no-cache", *arguments])
    assert result.exit_code == 0, result.output


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def legacy(in_tmp: Path) -> Path:
    write_project(in_tmp, LEGACY)
    code, found, _ = _check()
    assert code == 1 and len(found) == 4  # two HEX101 in two files, two HEX102 in book.py
    _baseline("--output", "baseline.json")
    return in_tmp


def test_the_baseline_silences_todays_findings(legacy: Path) -> None:
    code, found, stderr = _check("--baseline", "baseline.json")
    assert (code, found) == (0, [])
    assert "baseline.json: 4 known findings not reported" in stderr
    assert "fixed" not in stderr


def test_the_file_is_sorted_diff_friendly_json_without_line_numbers(legacy: Path) -> None:
    text = (legacy / "baseline.json").read_text(encoding="utf-8")
    assert text.endswith("}\n") and '\n  "findings": [\n    {\n      "path"' in text
    data = json.loads(text)
    assert data["version"] == 1
    rows = data["findings"]
    assert [list(row) for row in rows] == [["path", "code", "symbol", "count"]] * len(rows)
    assert rows == sorted(rows, key=lambda row: (row["path"], row["code"], row["symbol"]))
    assert {
        "path": "app/domain/book.py",
        "code": "HEX102",
        "symbol": "app.domain.book -> sqlalchemy",
        "count": 2,
    } in rows
    assert "line" not in text


def test_the_baseline_survives_inserted_lines(legacy: Path) -> None:
    book = legacy / "app/domain/book.py"
    _edit(book, "import sqlalchemy\n", '"""Books."""\n\n\nimport sqlalchemy\n')
    _edit(book, "    def save(self):\n", "    def title(self):\n        return 'x'\n\n    def save(self):\n")
    assert _check("--baseline", "baseline.json")[:2] == (0, [])


def test_a_new_violation_is_reported_alone(legacy: Path) -> None:
    _edit(
        legacy / "app/domain/book.py",
        "        return Session()\n",
        "        import sqlalchemy\n        return Session()\n",
    )
    write_project(legacy, "# file: app/domain/loan.py\nfrom app.infrastructure.db import Session\n")
    code, found, stderr = _check("--baseline", "baseline.json")
    assert code == 1
    assert [line.split(": ")[0] + " " + line.split()[1] for line in found] == [
        "app/domain/book.py:8:9 HEX102",  # a third import of sqlalchemy where two are known
        "app/domain/loan.py:1:1 HEX101",
    ]
    assert "4 known findings not reported" in stderr


def test_fixed_entries_are_counted_and_strict_baseline_fails_on_them(legacy: Path) -> None:
    (legacy / "app/domain/author.py").write_text("", encoding="utf-8")
    _edit(legacy / "app/domain/book.py", "        import sqlalchemy\n", "")
    code, found, stderr = _check("--baseline", "baseline.json")
    assert (code, found) == (0, [])
    assert "2 known findings not reported; 2 entries fixed and can be deleted" in stderr
    code, found, stderr = _check("--baseline", "baseline.json", "--strict-baseline")
    assert (code, found) == (1, [])
    assert "--strict-baseline: baseline.json holds 2 entries whose findings are fixed" in stderr
    _baseline("--output", "baseline.json")
    assert _check("--baseline", "baseline.json", "--strict-baseline")[:2] == (0, [])
    assert json.loads((legacy / "baseline.json").read_text(encoding="utf-8"))["findings"] == [
        {
            "path": "app/domain/book.py",
            "code": "HEX101",
            "symbol": "app.domain.book -> app.infrastructure.db",
            "count": 1,
        },
        {
            "path": "app/domain/book.py",
            "code": "HEX102",
            "symbol": "app.domain.book -> sqlalchemy",
            "count": 1,
        },
    ]


def test_strict_baseline_needs_a_baseline(legacy: Path) -> None:
    code, _, stderr = _check("--strict-baseline")
    assert code == 2 and "--strict-baseline needs --baseline FILE" in stderr


def test_a_file_renamed_within_its_package_keeps_its_entries(legacy: Path) -> None:
    (legacy / "app/domain/book.py").rename(legacy / "app/domain/books.py")
    code, found, stderr = _check("--baseline", "baseline.json", "--strict-baseline")
    assert (code, found) == (0, [])
    assert "4 known findings not reported" in stderr


def test_a_package_moved_under_src_keeps_its_entries(legacy: Path) -> None:
    (legacy / "src").mkdir()
    (legacy / "app").rename(legacy / "src/app")
    assert _check("--baseline", "baseline.json", "--strict-baseline")[:2] == (0, [])


def test_a_file_moved_to_another_package_is_new(legacy: Path) -> None:
    (legacy / "app/domain/model").mkdir()
    (legacy / "app/domain/author.py").rename(legacy / "app/domain/model/author.py")
    code, found, stderr = _check("--baseline", "baseline.json")
    assert code == 1 and len(found) == 1 and found[0].startswith("app/domain/model/author.py:1:1: HEX101")
    assert "1 entry fixed" in stderr


def test_the_baseline_holds_from_another_directory(legacy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(legacy / "app")
    assert _check(".", "--baseline", "../baseline.json", "--strict-baseline")[:2] == (0, [])


def test_a_partial_run_calls_nothing_outside_it_fixed(legacy: Path) -> None:
    code, found, stderr = _check(
        "app/domain/book.py", "--select", "HEX102", "--baseline", "baseline.json", "--strict-baseline"
    )
    assert (code, found) == (0, [])
    assert "2 known findings not reported" in stderr and "fixed" not in stderr
    code, found, stderr = _check("--select", "HEX101", "--baseline", "baseline.json", "--strict-baseline")
    assert (code, found) == (0, [])
    assert "2 known findings not reported" in stderr and "fixed" not in stderr


def test_the_review_and_json_say_what_the_baseline_did(legacy: Path) -> None:
    (legacy / "app/domain/author.py").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["check", "--no-cache", "--format", "json", "--baseline", "baseline.json"])
    assert json.loads(result.stdout)["summary"]["baseline"] == {"known": 3, "fixed": 1}
    result = runner.invoke(app, ["check", "--no-cache", "--format", "review", "--baseline", "baseline.json"])
    assert "  Baseline       3 known findings not reported;\n                 1 entry fixed" in result.stdout
    # The review said what the baseline held back; stderr has only the command that
    # rewrites the file for this very run (a hint in the review could not know it).
    assert result.stderr == (
        "hexcheck: no config: defaults\n"
        "hexcheck: baseline baseline.json: 1 entry fixed and can be deleted "
        "(`hexcheck baseline --output baseline.json` rewrites it)\n"
    )
    result = runner.invoke(app, ["check", "--no-cache", "--format", "json"])
    assert json.loads(result.stdout)["summary"]["baseline"] is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[", "baseline broken.json: not valid JSON"),
        ("[]", 'baseline broken.json: the top level: expected an object with a "findings" array'),
        ('{"version": 2, "findings": []}', "baseline broken.json: version: expected 1"),
        ('{"version": 1, "findings": [3]}', "baseline broken.json: findings[0]: expected an object"),
        (
            '{"version": 1, "findings": [{"path": "a.py", "code": "HEX101", "symbol": ""}]}',
            "baseline broken.json: findings[0].symbol: expected a non-empty string",
        ),
        (
            '{"version": 1, "findings": [{"path": "a.py", "code": "HEX101", "symbol": "a", "count": 0}]}',
            "baseline broken.json: findings[0].count: expected a positive integer",
        ),
        (
            '{"version": 1, "findings": [{"path": "a.py", "code": "HEX101", "symbol": "a", "line": 3}]}',
            "baseline broken.json: findings[0].line: expected no such key",
        ),
    ],
)
def test_a_broken_baseline_is_a_usage_error(in_tmp: Path, text: str, message: str) -> None:
    write_project(in_tmp, "# file: app/domain/book.py\n")
    (in_tmp / "broken.json").write_text(text, encoding="utf-8")
    code, found, stderr = _check("--baseline", "broken.json")
    assert (code, found) == (2, [])
    assert f"hexcheck: error: {message}" in stderr


def test_a_missing_baseline_says_how_to_make_one(in_tmp: Path) -> None:
    write_project(in_tmp, "# file: app/domain/book.py\n")
    code, _, stderr = _check("--baseline", "nope.json")
    message = "baseline file not found: nope.json; `hexcheck baseline --output nope.json` writes one"
    assert code == 2 and message in stderr


# ------------------------------------------------------------------ the pure matching


def _finding(path: str, code: str, symbol: str, line: int = 1) -> Finding:
    return Finding(code, "name", Severity.ERROR, "message", Location(path, line), symbol)


def test_matching_counts_each_key() -> None:
    old = [_finding("a.py", "HEX102", "a -> x", 1), _finding("a.py", "HEX102", "a -> x", 5)]
    baseline = Baseline.of(old)
    assert baseline.entries == (BaselineEntry("a.py", "HEX102", "a -> x", 2),)
    now = [*old, _finding("a.py", "HEX102", "a -> x", 9)]
    result = apply_baseline(baseline, now, {"a.py": "a"})
    assert (result.new, result.known, result.fixed) == ((now[2],), tuple(old), ())
    result = apply_baseline(baseline, now[:1], {"a.py": "a"})
    assert (result.new, result.known, result.fixed) == (
        (),
        (old[0],),
        (BaselineEntry("a.py", "HEX102", "a -> x", 1),),
    )


def test_renames_replace_the_module_name_as_a_whole_name() -> None:
    baseline = Baseline.of([_finding("p/book.py", "HEX101", "p.book -> p.bookings")])
    moved = _finding("p/books.py", "HEX101", "p.books -> p.bookings")
    assert apply_baseline(baseline, [moved], {"p/books.py": "p.books"}).known == (moved,)
    # A file still checked under its old path is no rename: its entry is fixed.
    result = apply_baseline(baseline, [moved], {"p/books.py": "p.books", "p/book.py": "p.book"})
    assert result.known == () and result.fixed_count == 1


def test_paths_in_the_file_are_relative_to_it(tmp_path: Path) -> None:
    baseline = Baseline((BaselineEntry("svc/app/a.py", "HEX101", "app.a -> app.b"),))
    text = render(baseline, str(tmp_path / "svc"), str(tmp_path))
    assert json.loads(text)["findings"][0]["path"] == "app/a.py"
    (tmp_path / "svc" / "b.json").parent.mkdir()
    (tmp_path / "svc" / "b.json").write_text(text, encoding="utf-8")
    assert read_baseline("svc/b.json", str(tmp_path)) == baseline
    assert read_baseline("b.json", str(tmp_path / "svc")).entries[0].path == "app/a.py"


def test_known_findings_still_count_against_conformance(legacy: Path) -> None:
    # A score needs a hexagon: an application layer next to the domain (with no finding).
    (legacy / "app" / "application").mkdir()
    (legacy / "app" / "application" / "__init__.py").write_text("", encoding="utf-8")
    (legacy / "app" / "application" / "list_books.py").write_text(
        "from app.domain import book\n", encoding="utf-8"
    )
    plain = runner.invoke(app, ["check", "--no-cache", "--format", "json"])
    held = runner.invoke(app, ["check", "--no-cache", "--format", "review", "--baseline", "baseline.json"])
    assert json.loads(plain.stdout)["summary"]["findings"] == 4
    assert held.stdout.startswith(
        "Reviewed 8 files: nothing new to flag; the baseline holds back 4 known findings.\n"
    )
    assert "imports between layers point inwards" not in held.stdout  # known findings still fail
    assert "domain 33%" in held.stdout  # two of its three modules have (known) findings
