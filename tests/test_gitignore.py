"""Inside a git work tree, discovery skips what git ignores (`.gitignore` files at every
level, `.git/info/exclude`), as ruff does; `respect-gitignore = false` turns it off, and
outside a work tree nothing changes.

The pattern table below was checked against `git check-ignore` (git 2.x): hexcheck reads
the files itself and never runs git, so these cases pin git's semantics down."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hexcheck.adapters import gitignore
from hexcheck.adapters.cli import app
from tests.conftest import write_project

runner = CliRunner()

# (.gitignore text, path below its directory, whether git ignores it)
GIT_VERDICTS = [
    ("*.pyc\n", "a.pyc", True),
    ("*.pyc\n", "d/a.pyc", True),
    ("*.pyc\n", "a.py", False),
    ("build/\n", "build/x.py", True),
    ("build/\n", "src/build/x.py", True),
    ("build/\n", "build.py", False),  # a trailing / matches directories only
    ("/build\n", "build/x.py", True),
    ("/build\n", "src/build/x.py", False),  # a leading / anchors
    ("docs/_build\n", "docs/_build/x.py", True),
    ("docs/_build\n", "src/docs/_build/x.py", False),  # so does a / in the middle
    ("**/gen\n", "a/b/gen/x.py", True),
    ("a/**/z.py\n", "a/z.py", True),
    ("a/**/z.py\n", "a/b/c/z.py", True),
    ("a/**/z.py\n", "b/a/z.py", False),
    ("legacy/**\n", "legacy/sub/y.py", True),
    ("legacy/**\n", "src/legacy/x.py", False),
    ("*.py\n!keep.py\n", "x.py", True),
    ("*.py\n!keep.py\n", "d/keep.py", False),  # the last matching line wins
    ("!keep.py\n*.py\n", "keep.py", True),
    ("test_?.py\n", "test_a.py", True),
    ("test_?.py\n", "test_ab.py", False),
    ("mod[0-9].py\n", "mod1.py", True),
    ("mod[!0-9].py\n", "mod1.py", False),
    ("mod[!0-9].py\n", "moda.py", True),
    ("\\#odd.py\n# comment.py\n", "#odd.py", True),
    ("\\#odd.py\n# comment.py\n", "comment.py", False),
    ("trail.py   \n", "trail.py", True),  # trailing spaces do not count
    ("gen\n", "a/gen/y.py", True),
    ("gen\n", "gen.py", False),
    ("*/models.py\n", "app/models.py", True),
    ("*/models.py\n", "app/sub/models.py", False),  # * never matches /
    ("vendor/*\n!vendor/ours\n", "vendor/theirs/x.py", True),
    ("vendor/*\n!vendor/ours\n", "vendor/ours/x.py", False),
    ("foo**bar.py\n", "fooxbar.py", True),
    ("foo**bar.py\n", "foo/bar.py", False),
]


def _ignored(text: str, path: str) -> bool:
    """Whether discovery would skip `path`: it, or a directory above it, is ignored."""
    rules = gitignore.parse(text, "/repo")
    assert rules is not None
    parts = path.split("/")
    return any(
        gitignore.is_ignored(
            (rules,), "/repo/" + "/".join(parts[:depth]), parts[depth - 1], depth < len(parts)
        )
        for depth in range(1, len(parts) + 1)
    )


@pytest.mark.parametrize(("text", "path", "ignored"), GIT_VERDICTS)
def test_patterns_match_as_git_matches_them(text: str, path: str, ignored: bool) -> None:
    assert _ignored(text, path) is ignored


PROJECT = """\
# file: app/__init__.py
# file: app/domain/__init__.py
# file: app/domain/book.py
from app.infrastructure.db import Database  # a true HEX101
# file: app/domain/scratch_notes.py
from app.infrastructure.db import Database  # ignored by app/domain/.gitignore
# file: app/domain/local_tweak.py
from app.infrastructure.db import Database  # ignored by .git/info/exclude
# file: app/domain/generated/__init__.py
# file: app/domain/generated/models.py
from app.infrastructure.db import Database  # under an ignored directory
# file: app/infrastructure/__init__.py
# file: app/infrastructure/db.py
class Database:
    pass
# file: app/infrastructure/scratch_keep.py
# file: .gitignore
# generated code and scratch files are never committed
app/domain/generated/
scratch_*.py
!scratch_keep.py
# file: app/domain/.gitignore
scratch_notes.py
"""


def _checked(*args: str) -> tuple[list[str], list[str]]:
    """(the paths of the HEX101 findings, every file checked) of `hexcheck check`."""
    result = runner.invoke(app, ["check", "--no-cache", "--format", "json", "--select", "HEX101", *args])
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    return sorted({finding["path"] for finding in report["findings"]}), report["summary"]


def _work_tree(root: Path, exclude: str = "") -> None:
    """What makes `root` a git work tree for hexcheck: its `.git` (no git run needed)."""
    (root / ".git" / "info").mkdir(parents=True)
    (root / ".git" / "info" / "exclude").write_text(exclude, encoding="utf-8")


def test_in_a_work_tree_files_git_ignores_are_not_checked(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    _work_tree(in_tmp, "# personal\nlocal_tweak.py\n")
    paths, summary = _checked()
    assert paths == ["app/domain/book.py"]
    assert summary["files"] == 6  # 3 packages, book, db, scratch_keep (re-included)


def test_respect_gitignore_false_checks_them(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    _work_tree(in_tmp, "local_tweak.py\n")
    (in_tmp / "pyproject.toml").write_text("[tool.hexcheck]\nrespect-gitignore = false\n", encoding="utf-8")
    paths, _ = _checked()
    assert paths == [
        "app/domain/book.py",
        "app/domain/generated/models.py",
        "app/domain/local_tweak.py",
        "app/domain/scratch_notes.py",
    ]


def test_outside_a_work_tree_gitignore_files_change_nothing(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    paths, _ = _checked()
    assert len(paths) == 4 and "app/domain/generated/models.py" in paths


def test_a_subdirectory_run_reads_the_gitignore_files_above_it(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    _work_tree(in_tmp)
    paths, _ = _checked("app")
    assert paths == ["app/domain/book.py", "app/domain/local_tweak.py"]


def test_a_file_named_on_the_command_line_is_checked_even_if_ignored(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    _work_tree(in_tmp)
    # The whole project is read for cross-file facts; only the named file is reported.
    paths, _ = _checked("app/domain/generated/models.py")
    assert paths == ["app/domain/generated/models.py"]


def test_a_linked_worktree_reads_the_common_info_exclude(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `git worktree add` leaves a `.git` file: `gitdir: <repo>/.git/worktrees/<name>`,
    # whose `commondir` leads back to the repository's .git, which holds info/exclude.
    main = tmp_path / "repo" / ".git"
    (main / "worktrees" / "wt").mkdir(parents=True)
    (main / "worktrees" / "wt" / "commondir").write_text("../..\n", encoding="utf-8")
    (main / "info").mkdir()
    (main / "info" / "exclude").write_text("local_tweak.py\n", encoding="utf-8")
    tree = tmp_path / "wt"
    write_project(tree, PROJECT)
    (tree / ".git").write_text(f"gitdir: {main / 'worktrees' / 'wt'}\n", encoding="utf-8")
    monkeypatch.chdir(tree)
    paths, _ = _checked()
    assert paths == ["app/domain/book.py"]


def test_respect_gitignore_is_validated_like_every_key(in_tmp: Path) -> None:
    write_project(in_tmp, PROJECT)
    (in_tmp / "pyproject.toml").write_text('[tool.hexcheck]\nrespect-gitignore = "no"\n', encoding="utf-8")
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2
    assert 'tool.hexcheck.respect-gitignore: expected true or false, got "no"' in result.stderr
