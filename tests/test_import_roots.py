"""Import roots from evidence, missing first-party modules, and partial runs (SPEC §1
"Project discovery"), on the layout fixtures under fixtures/layouts/.

Each layout holds the same small shop hexagon in a layout teams use, with a seeded layer
violation (the domain's `order.py` imports the infrastructure's clock, or a deleted web
DTO module) on line 7 and an entity without validation (`Order`) on line 11.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import hexcheck
from hexcheck.adapters import filesystem, flake8_plugin
from hexcheck.adapters.cache import decode_roots, encode_roots
from hexcheck.adapters.cli import app
from hexcheck.adapters.extraction import cache_for
from hexcheck.adapters.filesystem import Discovery, discover
from hexcheck.adapters.runner import RememberedRoots
from hexcheck.core.config import Config
from hexcheck.core.roots import Root, RootChoice, choose_roots, imported_names
from hexcheck.engine import Report
from tests.conftest import FIXTURES

LAYOUTS = FIXTURES / "layouts"

# layout -> (the folder holding the domain package, the domain package's module name,
#            the names of a few other modules, keyed by path)
CASES: dict[str, tuple[str, str, dict[str, str]]] = {
    "backend_app": (
        "backend/app/domain",
        "app.domain",
        {"backend/app/__init__.py": "app", "backend/app/web/routes.py": "app.web.routes"},
    ),
    "monorepo_parts": (
        "parts/shop-domain/src/domain",
        "domain",
        {
            "parts/shop-application/application/place_order.py": "application.place_order",
            "parts/shop-adapters/infrastructure/mongo_orders.py": "infrastructure.mongo_orders",
            "parts/shop-api/web/main.py": "web.main",
        },
    ),
    "src_package": (
        "src/domain",
        "domain",
        {"src/main.py": "main", "src/web/routes.py": "web.routes"},
    ),
    "unfamiliar_container": (
        "services/billing-api/billing/domain",
        "billing.domain",
        {"services/billing-api/billing/main.py": "billing.main"},
    ),
    "namespace_packages": (
        "python/acme/ordering/domain",
        "acme.ordering.domain",
        {"python/acme/ordering/web/schemas.py": "acme.ordering.web.schemas"},
    ),
    "deleted_module": (
        "app/domain",
        "app.domain",
        {"app/web/dtos/__init__.py": "app.web.dtos"},
    ),
    # `src/web/injector.py` (a FastAPI helper the code imports as `web.injector`) beside four
    # `from injector import ...` lines of the third-party container.
    "library_named_helper": (
        "src/domain",
        "domain",
        {"src/web/injector.py": "web.injector", "src/web/routes.py": "web.routes", "src/main.py": "main"},
    ),
    # No `__init__.py` anywhere, and the repositories in `app/repositories/sqlalchemy/`:
    # `from sqlalchemy import select` is the library, not that folder.
    "library_named_folder": (
        "app/domain",
        "app.domain",
        {
            "app/repositories/sqlalchemy/order_repository.py": "app.repositories.sqlalchemy.order_repository",
            "app/web/dependencies.py": "app.web.dependencies",
        },
    ),
}


def _check(layout: str, *paths: str, monkeypatch: pytest.MonkeyPatch) -> Report:
    monkeypatch.chdir(LAYOUTS / layout)
    return hexcheck.check(list(paths) or ["."])


def _found(report: Report) -> set[tuple[str, int, str]]:
    return {(f.location.path, f.location.line, f.code) for f in report.findings}


def _seeded(layout: str) -> set[tuple[str, int, str]]:
    folder = CASES[layout][0]
    return {(f"{folder}/order.py", 7, "HEX101"), (f"{folder}/order.py", 11, "HEX201")}


@pytest.mark.parametrize("layout", sorted(CASES))
def test_each_layout_names_modules_as_its_code_imports_them(layout: str) -> None:
    folder, package, others = CASES[layout]
    root = LAYOUTS / layout
    found = discover(["."], Config(), cwd=str(root))
    names = {file.display_path: file.module for file in found.files}
    assert names[f"{folder}/order.py"] == f"{package}.order"
    for path, module in others.items():
        assert names[path] == module


@pytest.mark.parametrize("layout", sorted(CASES))
def test_each_layout_reports_its_seeded_violation_and_entity(
    layout: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = _check(layout, monkeypatch=monkeypatch)
    assert _seeded(layout) <= _found(report)
    tops = {file.module.partition(".")[0] for file in discover(["."], Config()).files}
    external = [f.symbol for f in report.findings if f.code == "HEX102"]
    assert [symbol for symbol in external if symbol.rsplit(" -> ", 1)[-1].split(".")[0] in tops] == []


def test_the_monorepo_imports_between_distributions_are_first_party_edges(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    report = _check("monorepo_parts", monkeypatch=monkeypatch)
    violation = next(f for f in report.findings if f.code == "HEX101")
    assert violation.message.startswith(
        "domain module 'domain.order' imports 'infrastructure.clock' (infrastructure);"
    )


def test_a_deleted_first_party_module_is_a_dependency_placed_by_its_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    report = _check("deleted_module", monkeypatch=monkeypatch)
    violation = next(f for f in report.findings if f.code == "HEX101")
    assert (violation.location.path, violation.location.line) == ("app/domain/order.py", 7)
    assert violation.message.startswith(
        "domain module 'app.domain.order' imports 'app.web.dtos.order_dto' (web, not in the tree);"
    )
    result = CliRunner().invoke(app, ["graph", "--format", "json", "."])
    assert result.exit_code == 0, result.output
    graph = json.loads(result.stdout)
    assert graph["missing_modules"] == [{"name": "app.web.dtos.order_dto", "layer": "web"}]
    assert {
        "importer": "app.domain.order",
        "imported": "app.web.dtos.order_dto",
        "line": 7,
        "type_checking": False,
        "function_level": False,
        "missing": True,
    } in graph["edges"]
    assert "app.web.dtos.order_dto" not in {module["name"] for module in graph["modules"]}


@pytest.mark.parametrize("layout", ["backend_app", "deleted_module", "monorepo_parts"])
def test_a_partial_run_on_one_folder_reports_its_cross_file_findings_only(
    layout: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = CASES[layout][0]
    report = _check(layout, folder, monkeypatch=monkeypatch)
    found = _found(report)
    assert _seeded(layout) <= found
    assert all(path.startswith(f"{folder}/") for path, _, _ in found)
    whole = _found(_check(layout, monkeypatch=monkeypatch))
    assert found == {finding for finding in whole if finding[0].startswith(f"{folder}/")}


@pytest.mark.parametrize("layout", ["backend_app", "deleted_module"])
def test_a_partial_run_on_one_file_reports_its_cross_file_findings(
    layout: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = f"{CASES[layout][0]}/order.py"
    assert _found(_check(layout, path, monkeypatch=monkeypatch)) == _seeded(layout)


def test_the_cli_on_one_file_prints_the_cross_file_finding() -> None:
    root = LAYOUTS / "backend_app"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "hexcheck",
            "check",
            "--no-cache",
            "--format",
            "concise",
            "backend/app/domain/order.py",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "backend/app/domain/order.py:7:1: HEX101 domain module 'app.domain.order' imports "
        "'app.infrastructure.clock' (infrastructure); domain may depend only on domain",
        "backend/app/domain/order.py:11:1: HEX201 domain dataclass 'Order' has no __post_init__: "
        "nothing checks its fields 'order_id', 'customer_id' and 'total' when it is built",
    ]


def test_the_flake8_plugin_sees_the_cross_file_finding_of_a_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(LAYOUTS / "src_package")
    flake8_plugin._CACHE.clear()
    results = flake8_plugin.findings_for("src/domain/order.py")
    assert [(line, text.split()[0]) for line, _, text in results] == [(7, "HEX101"), (11, "HEX201")]
    flake8_plugin._CACHE.clear()


def test_a_path_named_explicitly_is_checked_even_when_excluded(tmp_path: Path) -> None:
    (tmp_path / "hexcheck.toml").write_text("", encoding="utf-8")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "check_app.py").write_text("import app\n", encoding="utf-8")
    found = discover(["tests/check_app.py"], Config(), cwd=str(tmp_path))
    assert {file.display_path: file.module for file in found.files} == {
        "app/__init__.py": "app",
        "tests/check_app.py": "tests.check_app",
    }
    assert found.requested == {"tests/check_app.py"}


def test_init_lists_the_chosen_roots_with_the_imports_each_resolves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(LAYOUTS / "monorepo_parts")
    result = CliRunner().invoke(app, ["init", "."])
    assert result.exit_code == 0, result.output
    assert (
        "\nImport roots, chosen by the imports they resolve:\n"
        "  parts/shop-adapters     2 imports\n"
        "  parts/shop-api          2 imports\n"
        "  parts/shop-application  4 imports\n"
        "  parts/shop-domain/src   3 imports\n"
    ) in result.stdout


# ---------------------------------------------------------------------- the evidence


def test_the_import_scan_reads_import_lines_without_parsing() -> None:
    source = (
        b"import a.b, c as d\nfrom e.f import (g,\n    h)\nfrom . import x\n    import k  # in a function\n"
    )
    assert imported_names(source) == [("a.b", ()), ("c", ()), ("e.f", ("g", "h")), ("k", ())]


def test_the_import_scan_keeps_what_a_from_line_takes() -> None:
    source = (
        b"from sqlalchemy import Column, String as Text  # columns\nfrom app import *\n"
        b"from app.api import (  # noqa: F401\n    users as u,  # the user routes\n    items,\n)\n"
    )
    assert imported_names(source) == [
        ("sqlalchemy", ("Column", "String")),
        ("app", ("*",)),
        ("app.api", ("users", "items")),
    ]


def test_a_namespace_folder_resolves_a_from_line_only_with_what_it_takes() -> None:
    # `repos/sqlalchemy/` has no `__init__.py`: it defines no `select`, so `from sqlalchemy
    # import select` is the library; `from app import users` finds `app/users.py`.
    files = [("app", "users.py"), ("app", "repos", "sqlalchemy", "users.py")]
    imports = {"sqlalchemy": 5, "app.repos.sqlalchemy.users": 2, "app": 1}
    taken = {"sqlalchemy": {"select": 3, "Column": 2}, "app": {"users": 1}}
    choice = choose_roots(files, imports, taken=taken)
    assert choice.folders == ((),)
    assert choice.unresolved == ()
    # Without what the lines take, the library's name wins the folder a root of its own.
    assert choose_roots(files, imports).folders == ((), ("app", "repos"))
    # A regular package may define any name: there the folder still resolves it.
    package = [*files, ("app", "repos", "sqlalchemy", "__init__.py")]
    assert ("app", "repos") in choose_roots(package, imports, taken=taken).folders


def test_what_a_from_line_takes_may_be_in_another_service_s_copy_of_the_namespace() -> None:
    # Three services, no `__init__.py`, each `app/infra/` holding its own repository: what
    # one service takes from `app.infra` is in the tree, so each service is still a root.
    files = [("services", name, "app", "infra", f"{name}_repo.py") for name in ("billing", "orders", "users")]
    imports = {"app.infra": 3}
    taken = {"app.infra": {"billing_repo": 1, "orders_repo": 1, "users_repo": 1}}
    assert choose_roots(files, imports, taken=taken).folders == (("services", "billing"),)


def test_the_roots_that_resolve_the_most_imports_are_chosen() -> None:
    files = [("backend", "app", "__init__.py"), ("backend", "app", "core.py"), ("scripts", "seed.py")]
    choice = choose_roots(files, {"app.core": 3, "app.gone": 1, "backend.app.core": 1, "requests": 2})
    assert choice.folders == (("backend",),)
    assert [(root.folder, root.resolved) for root in choice.roots] == [(("backend",), 3)]
    assert choice.unresolved == (("app.gone", 1),)


def test_a_folder_inside_a_regular_package_is_no_import_root() -> None:
    # `tools/semantics/fastapi.py` below `tools/__init__.py` is not what `import fastapi` means.
    files = [
        ("tools", "__init__.py"),
        ("tools", "semantics", "__init__.py"),
        ("tools", "semantics", "fastapi.py"),
        ("tools", "semantics", "types.py"),
        ("shop", "__init__.py"),
        ("shop", "web.py"),
    ]
    choice = choose_roots(files, {"fastapi": 3, "shop.web": 1, "tools.semantics.types": 1})
    assert choice.folders == ((),)


def test_a_folder_named_like_a_third_party_package_is_no_import_root() -> None:
    files = [
        ("shop", "__init__.py"),
        ("shop", "orders.py"),
        ("shop", "repository", "django", "__init__.py"),
        ("shop", "repository", "django", "orders.py"),
    ]
    imports = {"shop.orders": 2, "django": 1, "django.db.models": 3, "django.http": 2}
    choice = choose_roots(files, imports)
    assert choice.folders == ((),)
    assert choice.unresolved == ()


def test_a_module_imported_by_its_package_name_is_not_what_a_bare_import_of_its_name_means() -> None:
    # `from injector import Injector` is the third-party container, not `src/api/injector.py`,
    # which the code imports as `api.injector`: `src/api/` is no root, `api.app` stays `api.app`.
    files = [
        ("src", "api", "__init__.py"),
        ("src", "api", "app.py"),
        ("src", "api", "injector.py"),
        ("src", "base", "__init__.py"),
        ("src", "base", "module.py"),
    ]
    imports = {"injector": 5, "api.app": 1, "api.injector": 1, "base.module": 2}
    choice = choose_roots(files, imports)
    assert choice.folders == (("src",),)
    assert [(root.folder, root.resolved) for root in choice.roots] == [(("src",), 4)]
    assert choice.unresolved == ()


def test_a_bare_import_of_a_module_the_code_never_names_by_its_package_still_resolves() -> None:
    # Without an `api.settings` import, `import settings` can only mean `src/api/settings.py`.
    files = [("src", "api", "__init__.py"), ("src", "api", "settings.py"), ("src", "api", "app.py")]
    choice = choose_roots(files, {"settings": 3, "app": 1})
    assert choice.folders == (("src", "api"),)


def test_a_helper_named_like_a_library_leaves_the_application_importing_the_library(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    report = _check("library_named_helper", monkeypatch=monkeypatch)
    layered = [
        (f.location.path, f.location.line, f.code, f.message)
        for f in report.findings
        if f.code in {"HEX101", "HEX103"}
    ]
    assert layered == [
        (
            "src/domain/order.py",
            7,
            "HEX101",
            "domain module 'domain.order' imports 'infrastructure.clock' (infrastructure); "
            "domain may depend only on domain",
        )
    ]
    # Every `web.*` import resolves: no note names one below no import root.
    assert discover(["."], Config(), cwd=str(LAYOUTS / "library_named_helper")).notes == ()


# ---------------------------------------------------------------------- bad input


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _run(root: Path, *paths: str) -> Discovery:
    return discover(list(paths) or ["."], Config(), cwd=str(root))


def test_two_root_sets_that_tie_are_named_and_broken_the_same_way_every_time(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "hexcheck.toml": "",
            "one/shop/__init__.py": "",
            "one/shop/domain.py": "",
            "two/shop/__init__.py": "",
            "two/shop/domain.py": "",
            "main.py": "from shop.domain import Order\n",
        },
    )
    found = _run(tmp_path)
    assert found.notes == (
        "the import roots one and two each resolve the same 1 imports; one is used "
        "(the shallower, then the first by name); set `source-roots` in [tool.hexcheck] to choose",
    )
    names = {file.display_path: file.module for file in found.files}
    assert names["one/shop/domain.py"] == "shop.domain"
    assert names["two/shop/domain.py"] == "two.shop.domain"
    assert _run(tmp_path) == found


def test_a_setup_py_that_must_run_to_name_its_packages_is_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    _write(
        tmp_path,
        {
            "setup.py": f"from setuptools import setup\nopen({str(marker)!r}, 'w')\n"
            "setup(name='shop', packages=discover_packages())\n",
            "lib/shop/__init__.py": "",
            "lib/shop/domain.py": "",
            "lib/shop/web.py": "from shop.domain import Order\n",
        },
    )
    found = _run(tmp_path)
    assert not marker.exists()
    assert found.notes == (
        "setup.py: its packages can only be known by running it, which hexcheck never does; "
        "the import roots come from the imports instead",
    )
    assert {file.display_path: file.module for file in found.files}["lib/shop/web.py"] == "shop.web"


def test_broken_toml_in_a_sub_distribution_is_a_note_and_the_run_goes_on(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "shop"\n',
            "services/orders/pyproject.toml": "[project\nname = \n",
            "services/orders/orders/__init__.py": "",
            "services/orders/orders/domain.py": "",
            "services/orders/orders/web.py": "from orders.domain import Order\n",
        },
    )
    found = _run(tmp_path)
    assert len(found.notes) == 1
    assert found.notes[0].startswith("services/orders/pyproject.toml: not valid TOML (")
    assert found.notes[0].endswith("); its packaging settings are ignored")
    assert {file.module for file in found.files} == {"orders", "orders.domain", "orders.web"}


def test_a_symlink_loop_across_distributions_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "hexcheck.toml": "",
            "dists/billing/pyproject.toml": '[project]\nname = "billing"\n',
            "dists/orders/pyproject.toml": '[project]\nname = "orders"\n',
            "dists/billing/billing/__init__.py": "",
            "dists/billing/billing/domain.py": "from orders.domain import Order\n",
            "dists/orders/orders/__init__.py": "",
            "dists/orders/orders/domain.py": "",
        },
    )
    # Each distribution links to the other, and one of them to the folder holding both.
    os.symlink("../orders", tmp_path / "dists" / "billing" / "orders_link")
    os.symlink("../billing", tmp_path / "dists" / "orders" / "billing_link")
    os.symlink("../..", tmp_path / "dists" / "orders" / "orders" / "all_dists")
    found = _run(tmp_path)
    assert found.problems == (("dists/orders/orders/all_dists", "symlink loop; not followed"),)
    assert {file.module for file in found.files} == {"billing", "billing.domain", "orders", "orders.domain"}


def test_imports_that_resolve_nowhere_are_counted_and_named_once(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "hexcheck.toml": "",
            "app/__init__.py": "",
            "app/domain/__init__.py": "",
            "app/domain/order.py": "from app.domain.money import Money\nfrom app.web.dto import OrderDTO\n",
            "app/web/__init__.py": "import app.web.dto\n",
        },
    )
    assert _run(tmp_path).notes == (
        "3 imports of names found in the tree resolve below no import root: app.domain.money, app.web.dto",
    )


def test_a_path_outside_any_project_gets_a_note_and_is_checked(tmp_path: Path) -> None:
    _write(tmp_path, {"here/hexcheck.toml": "", "elsewhere/loose/seed.py": "import os\n"})
    found = _run(tmp_path / "here", str(tmp_path / "elsewhere" / "loose" / "seed.py"))
    outside = str(tmp_path / "elsewhere" / "loose" / "seed.py")
    assert [file.display_path for file in found.files] == [outside]
    assert found.notes[0] == (
        f"{outside} is in no project (no hexcheck configuration, version-control root or "
        f"packaging metadata above it); its project is taken to be {tmp_path / 'elsewhere' / 'loose'}"
    )
    assert found.requested == {outside}


def test_toml_nested_too_deeply_in_a_sub_distribution_is_a_note_not_a_crash(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "hexcheck.toml": "",
            "services/orders/pyproject.toml": "a = " + "[" * 5000 + "\n",
            "services/orders/orders/__init__.py": "",
            "services/orders/orders/domain.py": "",
        },
    )
    found = _run(tmp_path)
    assert found.notes == (
        "services/orders/pyproject.toml: nested too deeply to read as TOML; "
        "its packaging settings are ignored",
    )
    assert {file.module for file in found.files} >= {"orders", "orders.domain"}


_SYMLINKED = {
    "hexcheck.toml": "",
    "app/__init__.py": "",
    "app/domain/__init__.py": "",
    "app/domain/book.py": "import pydantic\n",
    "app/web/__init__.py": "",
    "app/web/routes.py": "",
}


def test_a_partial_run_through_a_symlinked_folder_reports_the_files_behind_it(tmp_path: Path) -> None:
    _write(tmp_path, _SYMLINKED)
    os.symlink("app/domain", tmp_path / "dom")
    through_link = _run(tmp_path, "dom")
    assert (
        through_link.requested
        == _run(tmp_path, "app/domain").requested
        == {
            "app/domain/__init__.py",
            "app/domain/book.py",
        }
    )
    os.symlink("app/domain/book.py", tmp_path / "book_link.py")
    assert _run(tmp_path, "book_link.py").requested == {"app/domain/book.py"}


def test_a_partial_run_counts_what_exclude_leaves_out_once(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {**_SYMLINKED, "app/build/generated.py": "", "hexcheck.toml": 'extend-exclude = ["build"]\n'},
    )
    config = Config(extend_exclude=("build",))
    whole = discover(["."], config, cwd=str(tmp_path))
    part = discover(["app"], config, cwd=str(tmp_path))
    assert whole.left_out == part.left_out == (1, 0)


# ---------------------------------------------------------------------- the roots in the cache


def _roots_project(root: Path) -> None:
    """No `source-roots`: `main.py`'s import decides whether `backend` is an import root."""
    _write(
        root,
        {
            "hexcheck.toml": "",
            "backend/app/__init__.py": "",
            "backend/app/domain/__init__.py": "",
            "backend/app/domain/order.py": (
                "from dataclasses import dataclass\n\n\n@dataclass\nclass Order:\n    total: int\n"
            ),
            "main.py": "from app.domain.order import Order\n\nprint(Order)\n",
        },
    )


def _cli_json(root: Path, monkeypatch: pytest.MonkeyPatch, *options: str) -> str:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(app, ["check", ".", "--format", "json", "--exit-zero", *options])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_warm_run_without_source_roots_reads_no_file_and_reports_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _roots_project(tmp_path)
    cold = _cli_json(tmp_path, monkeypatch, "--no-cache")
    first = _cli_json(tmp_path, monkeypatch)  # chooses the roots, and keeps the choice
    read: list[str] = []
    real_open = open

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file).endswith(".py"):
            read.append(str(file))
        return real_open(file, *args, **kwargs)

    # Discovery's import scan and extraction both read through the module's `open`.
    monkeypatch.setattr(filesystem, "open", spy, raising=False)
    warm = _cli_json(tmp_path, monkeypatch)
    assert read == []
    assert cold == first == warm
    # Named from the root `main.py`'s import chose (`backend`), not from the project root.
    assert '"symbol": "app.domain.order.Order"' in warm


def test_the_kept_roots_follow_an_edit_that_changes_them(tmp_path: Path) -> None:
    _roots_project(tmp_path)
    config = Config(root=str(tmp_path))
    cache = cache_for(config)
    assert cache is not None

    def names() -> dict[str, str]:
        found = discover(["."], config, cwd=str(tmp_path), memory=RememberedRoots(cache, config))
        return {file.display_path: file.module for file in found.files}

    assert names()["backend/app/domain/order.py"] == "app.domain.order"
    assert names()["backend/app/domain/order.py"] == "app.domain.order"  # from the cache
    (tmp_path / "main.py").write_text("from backend.app.domain.order import Order\n", encoding="utf-8")
    assert names()["backend/app/domain/order.py"] == "backend.app.domain.order"
    assert names() == {
        file.display_path: file.module for file in discover(["."], config, cwd=str(tmp_path)).files
    }
    cache.close()


def test_a_kept_root_choice_that_does_not_check_out_is_chosen_again(tmp_path: Path) -> None:
    _roots_project(tmp_path)
    config = Config(root=str(tmp_path))
    cache = cache_for(config)
    assert cache is not None
    memory = RememberedRoots(cache, config)
    discover(["."], config, cwd=str(tmp_path), memory=memory)
    database = tmp_path / ".hexcheck_cache" / "facts.sqlite3"
    db = sqlite3.connect(database)
    with db:
        (key,) = db.execute("SELECT key FROM roots").fetchone()
        # Another tree's roots, unsigned: a miss, never believed.
        planted = encode_roots(RootChoice((Root(("elsewhere",), 9),), (), ()))
        db.execute("UPDATE roots SET payload = ?", (planted,))
    db.close()
    assert cache.get_roots(key) is None
    found = discover(["."], config, cwd=str(tmp_path), memory=memory)
    assert [root.folder for root in found.roots] == [("backend",)]
    cache.close()


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[]",
        b'{"roots": [[["a"], "1"]], "unresolved": [], "ties": []}',
        b'{"roots": [[["a"], true]], "unresolved": [], "ties": []}',
        b'{"roots": [["a", 1]], "unresolved": [], "ties": []}',
        b'{"roots": [], "unresolved": [[1, 1]]}',
    ],
)
def test_a_kept_root_choice_of_another_shape_is_no_choice(payload: bytes) -> None:
    assert decode_roots(payload) is None


def test_a_kept_root_choice_reads_back_as_it_was_written() -> None:
    choice = RootChoice(
        (Root(("backend",), 12), Root((), 3)),
        (("app.web", 2),),
        ((("one",), ("two",), 1),),
    )
    assert decode_roots(encode_roots(choice)) == choice


# Two services side by side, each run from its own `src/`, both with `api/` and `domain/`:
# one module name, two files.
_TWO_SERVICES = {
    "pyproject.toml": '[project]\nname = "platform"\n',
    "src/orders/api/__init__.py": "",
    "src/orders/api/routes.py": (
        "from fastapi import APIRouter\n\nfrom domain.order import Order\n\nrouter = APIRouter()\n"
    ),
    "src/orders/domain/__init__.py": "",
    "src/orders/domain/order.py": (
        "from dataclasses import dataclass\n\n\n@dataclass(frozen=True)\nclass Order:\n    order_id: str\n"
    ),
    "src/billing/api/__init__.py": "",
    "src/billing/api/routes.py": (
        "from fastapi import APIRouter\n\nfrom domain.invoice import Invoice\n\nrouter = APIRouter()\n"
    ),
    "src/billing/domain/__init__.py": "",
    "src/billing/domain/invoice.py": "import requests\n\n\nclass Invoice:\n    def __init__(self) -> None:\n"
    "        self.total = 0\n",
}


def test_files_that_share_a_module_name_are_named_in_a_note(tmp_path: Path) -> None:
    _write(tmp_path, _TWO_SERVICES)
    found = _run(tmp_path)
    assert found.notes == (
        "3 file(s) take a module name another file has (src/billing/api/__init__.py and "
        "src/orders/api/__init__.py are both 'api'): only one of each is checked; "
        "give each part a `hexcheck.toml` of its own and check it from there, or leave the "
        "others out with `extend-exclude`",
    )


def test_a_module_beside_a_package_of_its_name_is_hidden_as_python_hides_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `models.py` was split into `models/` and left behind: `import app.domain.models`
    # reaches the package, so the package's import of the ORM is what gets reported, and
    # the stale file's import of Motor is not (hexcheck used to keep the `.py`, the smaller
    # path, and check the dead copy in the package's place).
    _write(
        tmp_path,
        {
            "hexcheck.toml": "",
            "app/__init__.py": "",
            "app/domain/__init__.py": "",
            "app/domain/models.py": "from motor.motor_asyncio import AsyncIOMotorClient\n",
            "app/domain/models/__init__.py": "from app.domain.models.order import Order\n",
            "app/domain/models/order.py": (
                "from sqlalchemy.orm import Session\n\n\ndef count(session: Session) -> int:\n    return 0\n"
            ),
        },
    )
    assert _run(tmp_path).notes == (
        "1 module(s) sit beside a package of the same name, which Python imports instead "
        "(app/domain/models.py is hidden by app/domain/models/__init__.py): they are not "
        "checked; remove or rename them",
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["check", ".", "--no-cache", "--format", "json", "--exit-zero"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["path"], f["line"]) for f in findings] == [
        ("HEX102", "app/domain/models/order.py", 1)
    ]


# A FastAPI service whose code lives in `app/` and imports by top names, its app in `app/app.py`.
_APP_IN_ITS_FOLDER = {
    "requirements.txt": "fastapi\n",
    "app/app.py": (
        "from fastapi import FastAPI\n\nfrom domain.order import Order\n"
        "from infrastructure.orders import SqlOrders\n\napp = FastAPI()\n"
    ),
    "app/domain/__init__.py": "",
    "app/domain/order.py": "class Order:\n    pass\n",
    "app/infrastructure/__init__.py": "",
    "app/infrastructure/orders.py": "from domain.order import Order\n\n\nclass SqlOrders:\n    pass\n",
}


def test_the_app_module_of_a_root_folder_is_checked_not_the_folder_s_own_init(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The code lives in `app/` and imports by top names (`from domain...`), run as
    # `uvicorn app:app` from inside it: `app` is `app/app.py`, where the handlers are, and
    # the folder's own `__init__.py` is named `app` only from the folder above, which no
    # import uses. The app module is checked, and a note says which file is not.
    _write(
        tmp_path,
        {
            **_APP_IN_ITS_FOLDER,
            "app/__init__.py": "",
        },
    )
    found = _run(tmp_path)
    assert found.notes == (
        "1 import root(s) hold an __init__.py that only the folder above could import, and a "
        "module inside takes its name: app/__init__.py is not checked ('app' is app/app.py)",
    )
    assert sorted((file.module, file.display_path) for file in found.files) == [
        ("app", "app/app.py"),
        ("domain", "app/domain/__init__.py"),
        ("domain.order", "app/domain/order.py"),
        ("infrastructure", "app/infrastructure/__init__.py"),
        ("infrastructure.orders", "app/infrastructure/orders.py"),
    ]
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["graph", "--format", "json"])
    assert result.exit_code == 0, result.output
    layers = {module["path"]: module["layer"] for module in json.loads(result.stdout)["modules"]}
    assert layers["app/app.py"] == "composition"


def test_a_root_folder_s_own_init_that_holds_code_stays(tmp_path: Path) -> None:
    # `wsgi.py` and `manage.py` at the top import `create_app` from the package `app`, while
    # the code inside `app/` imports by top names: the `__init__.py` holding `create_app` is
    # what the top-level scripts run, whichever roots are chosen, so it keeps the name `app`
    # as before, and `app/app.py`, sharing it, is named in the note.
    _write(
        tmp_path,
        {
            "wsgi.py": "from app import create_app\n\napplication = create_app()\n",
            "manage.py": "from app import create_app\n\ncreate_app()\n",
            "app/__init__.py": (
                "from infrastructure.orders import SqlOrders\n\n\ndef create_app():\n    return SqlOrders()\n"
            ),
            **_APP_IN_ITS_FOLDER,
        },
    )
    found = _run(tmp_path)
    assert ("app", "app/__init__.py") in {(file.module, file.display_path) for file in found.files}
    assert any("are both 'app'" in note for note in found.notes), found.notes


def test_a_service_with_a_configuration_of_its_own_is_checked_alone(tmp_path: Path) -> None:
    _write(tmp_path, {**_TWO_SERVICES, "src/orders/hexcheck.toml": ""})
    found = _run(tmp_path / "src" / "orders")
    assert found.notes == ()
    assert sorted(file.module for file in found.files) == [
        "api",
        "api.routes",
        "domain",
        "domain.order",
    ]


def test_a_scripts_folder_named_like_a_library_is_no_module_an_adapter_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `scripts/dishka/plot.py` makes `dishka` a namespace package of the tree, while the web
    # glue in `infrastructure/` imports the DI library of that name: the run reports instead
    # of an internal error, and `from dishka import FromDishka` (nothing `scripts/dishka/`
    # holds) is the library's, not an import of the tree that resolves below no root.
    _write(
        tmp_path,
        {
            "pyproject.toml": '[tool.poetry.dependencies]\nfastapi = "*"\ndishka = "*"\n',
            "scripts/dishka/plot.py": (
                "import dishka.plotter\nfrom dishka import AsyncContainer\n\nfrom main import container\n\n\n"
                "def plot(c: AsyncContainer) -> str:\n    return dishka.plotter.render_d2(c)\n"
            ),
            "src/infrastructure/__init__.py": "",
            "src/infrastructure/responses.py": (
                "from dishka import FromDishka\nfrom fastapi.responses import JSONResponse\n\n\n"
                "def ok(data: dict) -> JSONResponse:\n    return JSONResponse(data)\n\n\n"
                "Injected = FromDishka\n"
            ),
            "src/web/__init__.py": "",
            "src/web/routes.py": (
                "from fastapi import APIRouter\n\nfrom infrastructure.responses import ok\n\n"
                "router = APIRouter()\n\n\n"
                '@router.get("/health")\ndef health() -> dict:\n    return ok({"status": "up"})\n'
            ),
            "src/main.py": (
                "from dishka import make_async_container\nfrom fastapi import FastAPI\n\n"
                "from web.routes import router\n\ncontainer = make_async_container()\napp = FastAPI()\n"
                "app.include_router(router)\n"
            ),
        },
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["check", ".", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output
    assert "checked 6 files" in result.output
    assert "below no import root" not in result.output
