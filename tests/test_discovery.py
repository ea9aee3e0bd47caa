"""Discovery: which files a run checks, the module names it gives them, what it reports."""

from __future__ import annotations

import errno
import fnmatch
import itertools
import os
from pathlib import Path

import pytest

from hexcheck.adapters.filesystem import Discovery, _below, discover, read_source
from hexcheck.adapters.globs import glob_matcher
from hexcheck.core.config import Config
from hexcheck.core.errors import UsageError


def make(root: Path, *files: str) -> None:
    """Create empty files (and their directories) below `root`; never imported."""
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")


def run(root: Path, *paths: str, config: Config | None = None) -> Discovery:
    return discover(list(paths) or ["."], config or Config(), cwd=str(root))


def modules(found: Discovery) -> dict[str, str]:
    return {file.display_path: file.module for file in found.files}


def test_src_layout_names_modules_below_src(tmp_path: Path) -> None:
    make(
        tmp_path,
        "src/app/__init__.py",
        "src/app/domain/__init__.py",
        "src/app/domain/book.py",
        "manage.py",
    )
    found = run(tmp_path)
    assert modules(found) == {
        "manage.py": "manage",
        "src/app/__init__.py": "app",
        "src/app/domain/__init__.py": "app.domain",
        "src/app/domain/book.py": "app.domain.book",
    }
    assert found.problems == ()


def test_src_that_is_a_package_is_not_a_layout_root(tmp_path: Path) -> None:
    make(tmp_path, "src/__init__.py", "src/app/__init__.py", "src/app/book.py")
    assert modules(run(tmp_path))["src/app/book.py"] == "src.app.book"


def test_nested_src_layouts_of_a_monorepo(tmp_path: Path) -> None:
    make(
        tmp_path,
        "services/billing/src/billing/__init__.py",
        "services/billing/src/billing/domain/invoice.py",
        "services/shipping/src/shipping/__init__.py",
    )
    assert modules(run(tmp_path)) == {
        "services/billing/src/billing/__init__.py": "billing",
        "services/billing/src/billing/domain/invoice.py": "billing.domain.invoice",
        "services/shipping/src/shipping/__init__.py": "shipping",
    }


def test_regular_packages_and_is_package(tmp_path: Path) -> None:
    make(tmp_path, "app/__init__.py", "app/domain/__init__.py", "app/domain/book.py")
    found = run(tmp_path)
    assert [(f.module, f.is_package) for f in found.files] == [
        ("app", True),
        ("app.domain", True),
        ("app.domain.book", False),
    ]
    book = found.files[-1]
    assert book.path == str(tmp_path / "app" / "domain" / "book.py")


def test_namespace_packages_are_path_components(tmp_path: Path) -> None:
    make(tmp_path, "acme/billing/domain/invoice.py", "acme/billing/application/__init__.py")
    assert modules(run(tmp_path)) == {
        "acme/billing/application/__init__.py": "acme.billing.application",
        "acme/billing/domain/invoice.py": "acme.billing.domain.invoice",
    }


def test_several_top_level_packages(tmp_path: Path) -> None:
    make(tmp_path, "orders/__init__.py", "orders/domain.py", "catalog/__init__.py", "catalog/api.py")
    assert sorted(modules(run(tmp_path)).values()) == [
        "catalog",
        "catalog.api",
        "orders",
        "orders.domain",
    ]


def test_a_single_file_inside_a_package_loads_the_whole_project(tmp_path: Path) -> None:
    make(tmp_path, "app/__init__.py", "app/domain/__init__.py", "app/domain/book.py")
    found = run(tmp_path, "app/domain/book.py")
    assert modules(found) == {
        "app/__init__.py": "app",
        "app/domain/__init__.py": "app.domain",
        "app/domain/book.py": "app.domain.book",
    }
    assert found.requested == {"app/domain/book.py"}


def test_a_single_loose_file_is_named_from_the_project_root(tmp_path: Path) -> None:
    make(tmp_path, "scripts/seed.py")
    found = run(tmp_path, "scripts/seed.py")
    assert modules(found) == {"scripts/seed.py": "scripts.seed"}
    assert found.requested == {"scripts/seed.py"}


def test_a_subdirectory_of_a_package_keeps_full_names(tmp_path: Path) -> None:
    make(
        tmp_path,
        "app/__init__.py",
        "app/domain/__init__.py",
        "app/domain/book.py",
        "app/web/__init__.py",
    )
    found = run(tmp_path, "app/domain")
    assert modules(found) == {
        "app/__init__.py": "app",
        "app/domain/__init__.py": "app.domain",
        "app/domain/book.py": "app.domain.book",
        "app/web/__init__.py": "app.web",
    }
    assert found.requested == {"app/domain/__init__.py", "app/domain/book.py"}


def test_a_subdirectory_of_a_src_layout(tmp_path: Path) -> None:
    make(tmp_path, "src/app/__init__.py", "src/app/domain/__init__.py", "src/app/domain/book.py")
    found = run(tmp_path, "src/app/domain")
    assert modules(found)["src/app/domain/book.py"] == "app.domain.book"


def test_default_excludes(tmp_path: Path) -> None:
    make(
        tmp_path,
        "app/__init__.py",
        "tests/test_app.py",
        ".venv/lib/site.py",
        "build/lib/app.py",
        "fixtures/sample/app.py",
        "app/__pycache__/x.py",
        "app.egg-info/x.py",
        "app/migrations/m0001.py",
    )
    assert list(modules(run(tmp_path))) == ["app/__init__.py"]


def test_an_explicit_path_is_never_excluded(tmp_path: Path) -> None:
    make(tmp_path, "fixtures/sample/app/__init__.py", "fixtures/sample/app/main.py", "tests/test_x.py")
    assert modules(run(tmp_path, "fixtures/sample")) == {
        "fixtures/sample/app/__init__.py": "app",
        "fixtures/sample/app/main.py": "app.main",
    }
    assert modules(run(tmp_path, "tests/test_x.py")) == {"tests/test_x.py": "test_x"}


def test_extend_exclude_matches_basenames_and_relative_paths(tmp_path: Path) -> None:
    make(
        tmp_path,
        "app/__init__.py",
        "app/book_pb2.py",
        "app/legacy/old.py",
        "app/generated/client.py",
        "app/core.py",
    )
    config = Config(root=str(tmp_path), extend_exclude=("*_pb2.py", "legacy", "app/generated/"))
    assert list(modules(run(tmp_path, config=config))) == ["app/__init__.py", "app/core.py"]
    # Run from inside `app`: `app/generated` still matches, relative to the config root.
    assert list(modules(run(tmp_path, "app", config=config))) == ["app/__init__.py", "app/core.py"]


def test_exclude_replaces_the_defaults(tmp_path: Path) -> None:
    make(tmp_path, "app/__init__.py", "tests/test_app.py", "scratch/x.py")
    config = Config(exclude=("scratch",))
    assert list(modules(run(tmp_path, config=config))) == ["app/__init__.py", "tests/test_app.py"]


def test_symlink_loop_is_a_problem_and_walked_once(tmp_path: Path) -> None:
    make(tmp_path, "app/__init__.py", "app/book.py")
    (tmp_path / "app" / "again").symlink_to(tmp_path / "app")
    found = run(tmp_path)
    assert list(modules(found)) == ["app/__init__.py", "app/book.py"]
    assert found.problems == (("app/again", "symlink loop; not followed"),)


def test_symlink_cycle_between_links_is_a_problem(tmp_path: Path) -> None:
    make(tmp_path, "app/__init__.py")
    (tmp_path / "app" / "ping").symlink_to(tmp_path / "app" / "pong")
    (tmp_path / "app" / "pong").symlink_to(tmp_path / "app" / "ping")
    found = run(tmp_path)
    assert list(modules(found)) == ["app/__init__.py"]
    assert found.problems == (
        ("app/ping", "symlink loop; not followed"),
        ("app/pong", "symlink loop; not followed"),
    )


def test_broken_symlink_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    make(tmp_path, "app/__init__.py")
    (tmp_path / "app" / "gone.py").symlink_to(tmp_path / "app" / "missing.py")
    (tmp_path / "app" / "notes.md").symlink_to(tmp_path / "nowhere.md")
    found = run(tmp_path)
    assert list(modules(found)) == ["app/__init__.py"]
    target = tmp_path / "app" / "missing.py"
    assert found.problems == (("app/gone.py", f"broken symlink (points to {target})"),)


def test_symlink_leaving_the_root_is_not_followed(tmp_path: Path) -> None:
    project, outside = tmp_path / "project", tmp_path / "outside"
    make(project, "app/__init__.py")
    make(outside, "secret/leak.py", "other.py")
    (project / "app" / "vendored").symlink_to(outside / "secret")
    (project / "app" / "other.py").symlink_to(outside / "other.py")
    found = run(project)
    assert list(modules(found)) == ["app/__init__.py"]
    assert found.problems == (
        ("app/other.py", f"symlink leaves the checked directory (to {outside / 'other.py'}); not followed"),
        ("app/vendored", f"symlink leaves the checked directory (to {outside / 'secret'}); not followed"),
    )


def test_symlink_inside_the_root_gives_no_duplicate(tmp_path: Path) -> None:
    make(tmp_path, "app/__init__.py", "app/domain/__init__.py", "app/domain/book.py")
    (tmp_path / "app" / "alias").symlink_to(tmp_path / "app" / "domain")
    (tmp_path / "app" / "a_book.py").symlink_to(tmp_path / "app" / "domain" / "book.py")
    found = run(tmp_path)
    # The real path wins over the links, though `a_book.py` and `alias` sort first.
    assert modules(found) == {
        "app/__init__.py": "app",
        "app/domain/__init__.py": "app.domain",
        "app/domain/book.py": "app.domain.book",
    }
    assert found.problems == ()


def test_overlapping_paths_give_each_file_once(tmp_path: Path) -> None:
    make(tmp_path, "app/__init__.py", "app/book.py")
    found = run(tmp_path, "app", ".", "app/book.py")
    assert modules(found) == {"app/__init__.py": "app", "app/book.py": "app.book"}


def test_order_does_not_depend_on_creation_order(tmp_path: Path) -> None:
    names = ["b/__init__.py", "a/z.py", "a/__init__.py", "b/a.py", "c.py", "a/m/__init__.py"]
    make(tmp_path / "one", *names)
    make(tmp_path / "two", *reversed(names))
    one, two = run(tmp_path / "one"), run(tmp_path / "two")
    assert [f.display_path for f in one.files] == [f.display_path for f in two.files]
    assert [f.display_path for f in one.files] == sorted(f.display_path for f in one.files)
    assert [f.module for f in one.files] == ["a", "a.m", "a.z", "b", "b.a", "c"]


def test_non_identifier_names_are_skipped_silently(tmp_path: Path) -> None:
    make(
        tmp_path,
        "app/__init__.py",
        "my-scripts/tool.py",
        "app/01_intro.py",
        "app/class.py",
        "app/book.v2.py",
    )
    found = run(tmp_path)
    assert list(modules(found)) == ["app/__init__.py"]
    assert found.problems == ()


def test_an_explicit_non_identifier_file_is_reported(tmp_path: Path) -> None:
    make(tmp_path, "01_intro.py", "README.md")
    found = run(tmp_path, "01_intro.py", "README.md")
    assert found.files == ()
    assert found.problems == (
        ("01_intro.py", "its module name would not be a dotted identifier; skipped"),
        ("README.md", "not a Python file (*.py); skipped"),
    )


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="path not found: nope/app"):
        run(tmp_path, "nope/app")


def test_source_roots_name_files_below_the_deepest_root(tmp_path: Path) -> None:
    make(
        tmp_path,
        "components/orders/domain.py",
        "components/legacy/lib/shared/text.py",
        "tools/gen.py",
    )
    config = Config(root=str(tmp_path), source_roots=("components", "components/legacy/lib"))
    assert modules(run(tmp_path, config=config)) == {
        "components/legacy/lib/shared/text.py": "shared.text",
        "components/orders/domain.py": "orders.domain",
        "tools/gen.py": "tools.gen",
    }


def test_source_roots_are_relative_to_the_config_root(tmp_path: Path) -> None:
    make(tmp_path, "project/lib/orders/domain.py")
    config = Config(root="project", source_roots=("lib",))
    found = run(tmp_path, "project/lib/orders", config=config)
    assert modules(found) == {"project/lib/orders/domain.py": "orders.domain"}


def test_display_paths_are_relative_below_cwd_and_absolute_outside(tmp_path: Path) -> None:
    make(tmp_path, "project/app/__init__.py", "elsewhere/tool.py")
    found = discover(["app", str(tmp_path / "elsewhere")], Config(), cwd=str(tmp_path / "project"))
    assert sorted(f.display_path for f in found.files) == sorted(
        ["app/__init__.py", (tmp_path / "elsewhere" / "tool.py").as_posix()]
    )


def test_unreadable_directory_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, "app/__init__.py", "locked/x.py")
    real_scandir = os.scandir
    locked = str(tmp_path / "locked")

    def scandir(path: str) -> object:
        # Permission bits do not stop root, who runs some CI containers; fake the refusal.
        if path == locked:
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = run(tmp_path)
    assert list(modules(found)) == ["app/__init__.py"]
    assert found.problems == (("locked", "cannot read directory: Permission denied"),)


def test_read_source_returns_bytes_and_raises_oserror(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_bytes(b"x = 1\n\x00")
    (file,) = run(tmp_path).files
    assert read_source(file) == b"x = 1\n\x00"
    (tmp_path / "a.py").unlink()
    with pytest.raises(OSError):
        read_source(file)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_an_explicit_non_regular_file_is_reported_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    found = run(tmp_path, "pipe.py")
    assert found.files == ()
    assert found.problems == (("pipe.py", "not a regular file; skipped"),)


EXCLUDE_PATTERNS = (
    *Config().exclude, "*", "?", ".*", "[a-m]*", "[!a-m]*", "*[Tt]est*", "a*b*c", "app/*/legacy",
    "**/migrations", "*.PY", "[", "[]]", "a+b", "(x)", "a|b", "x{2}", "\\Z", "$", "^a",
)  # fmt: skip
EXCLUDE_NAMES = (
    "", ".", "a", "A", "tests", "Tests", "test_x.py", "x_test.py", "conftest.py", "pkg.egg-info",
    "app/legacy", "app/v1/legacy", "app/v1/v2/legacy", "abc", "axxbyyc", "ab", "a/b/c", "migrations",
    "src/migrations", "X.PY", "x.py", "[", "]", "a+b", "aab", "(x)", "x", "a|b", "xx", "\\Z", "$",
    "^a", "a\nb", "node_modules", "b", "z.txt",
)  # fmt: skip


def test_glob_matcher_is_fnmatchcase_over_every_pattern() -> None:
    # Pattern by pattern, and joined in every order, the one regex must agree with
    # `fnmatchcase` (case-sensitive, whole-name, regex characters taken literally).
    for patterns in [*((p,) for p in EXCLUDE_PATTERNS), EXCLUDE_PATTERNS, EXCLUDE_PATTERNS[::-1]]:
        matches = glob_matcher(patterns)
        assert matches is not None
        for name in EXCLUDE_NAMES:
            expected = any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)
            assert (matches(name) is not None) == expected, (patterns, name)
    assert glob_matcher(()) is None


def test_below_is_relpath_inside_and_none_outside(tmp_path: Path) -> None:
    root = str(tmp_path)
    inside = [root, os.path.join(root, "a"), os.path.join(root, "a", "b.py")]
    for path, parent in itertools.product(inside, [root, os.path.join(root, "a"), os.sep]):
        expected = os.path.relpath(path, parent)
        assert _below(path, parent) == (None if expected.startswith(os.pardir) else expected)
    assert _below(root + "x", root) is None  # a sibling sharing the prefix is not inside


def test_without_a_project_a_file_loads_its_package_not_the_whole_directory(tmp_path: Path) -> None:
    # No configuration, version control or packaging metadata anywhere: run from a
    # home-like directory, checking one file must not walk everything beside it.
    make(tmp_path, "proj/app/__init__.py", "proj/app/domain/__init__.py", "proj/app/domain/x.py")
    make(tmp_path, "other/deep/broken.py", "downloads/script.py")
    found = run(tmp_path, "proj/app/domain/x.py")
    assert modules(found) == {
        "proj/app/__init__.py": "proj.app",
        "proj/app/domain/__init__.py": "proj.app.domain",
        "proj/app/domain/x.py": "proj.app.domain.x",
    }
    assert found.requested == {"proj/app/domain/x.py"}
