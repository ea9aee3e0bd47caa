"""Every switch a user can turn is shown to change the findings, end to end: `ignore` in
the configuration and `--ignore`, `type-checking-imports = "allow"`, the `recommended`
preset, `--exit-zero`, and rule thresholds at their exact boundary."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from hexcheck.adapters.cli import app
from tests.conftest import FIXTURES, read_expected, write_project

runner = CliRunner()

# SPEC: the strict preset adds these to the recommended one.
STRICT_ONLY = {"HEX607", "HEX608", "HEX609", "HEX901"}

SHOP = """\
# file: shop/__init__.py
# file: shop/domain/__init__.py
# file: shop/domain/order.py
from __future__ import annotations

from typing import TYPE_CHECKING

import requests

from shop.infrastructure.db import Session

if TYPE_CHECKING:
    from shop.infrastructure.audit import AuditLog


class Order:
    def __init__(self, total: int, log: AuditLog) -> None:
        if total < 0:
            raise ValueError("negative total")
        self.total = total
# file: shop/infrastructure/__init__.py
# file: shop/infrastructure/db.py
class Session: ...
# file: shop/infrastructure/audit.py
class AuditLog: ...
"""

RUNTIME_IMPORT = ("shop/domain/order.py", 7, "HEX101")
TYPE_CHECKING_IMPORT = ("shop/domain/order.py", 10, "HEX101")
REQUESTS_IMPORT = ("shop/domain/order.py", 5, "HEX102")


def _findings(*arguments: str) -> tuple[int, set[tuple[str, int, str]]]:
    result = runner.invoke(app, ["check", ".", "--format", "concise", "--no-cache", *arguments])
    assert result.exit_code in (0, 1), result.output
    found = set()
    for line in result.stdout.splitlines():
        path, line_number, _, rest = line.split(":", 3)
        found.add((path, int(line_number), rest.split()[0]))
    return result.exit_code, found


@pytest.fixture
def shop(in_tmp: Path) -> Path:
    write_project(in_tmp, SHOP)
    return in_tmp


def _configure(root: Path, body: str) -> None:
    (root / "pyproject.toml").write_text(f"[tool.hexcheck]\n{body}\n", encoding="utf-8")


def test_the_shop_reports_both_imports_and_the_package(shop: Path) -> None:
    _, found = _findings()
    assert {RUNTIME_IMPORT, TYPE_CHECKING_IMPORT, REQUESTS_IMPORT} <= found


def test_ignore_in_the_configuration_drops_the_code(shop: Path) -> None:
    _configure(shop, 'ignore = ["HEX102"]')
    _, found = _findings()
    assert REQUESTS_IMPORT not in found
    assert {RUNTIME_IMPORT, TYPE_CHECKING_IMPORT} <= found


def test_ignore_on_the_command_line_drops_the_code(shop: Path) -> None:
    _, found = _findings("--ignore", "HEX101")
    assert not any(code == "HEX101" for _, _, code in found)
    assert REQUESTS_IMPORT in found


def test_type_checking_imports_allowed_drops_only_those(shop: Path) -> None:
    _configure(shop, 'type-checking-imports = "allow"')
    _, found = _findings()
    assert TYPE_CHECKING_IMPORT not in found
    assert RUNTIME_IMPORT in found


def test_exit_zero_keeps_the_findings_and_exits_0(shop: Path) -> None:
    code, found = _findings("--exit-zero")
    assert code == 0
    assert RUNTIME_IMPORT in found
    assert _findings()[0] == 1


PROJECTS = sorted(p.parent for p in FIXTURES.glob("*/expected.txt"))


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_the_recommended_preset_on_the_fixtures_leaves_out_only_the_strict_rules(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    _, found = _findings("--preset", "recommended")
    expected = {e for e in read_expected(project / "expected.txt") if e[2] not in STRICT_ONLY}
    assert found == expected


HANDLER = """\
# file: api/__init__.py
# file: api/routes.py
from fastapi import APIRouter

router = APIRouter()


@router.get("/totals")
def totals(a: int, b: int) -> dict[str, int]:
    \"\"\"A docstring is not a statement.\"\"\"
{statements}
    return {{"total": s11}}
"""


def _handler_with(statements: int) -> str:
    # `statements - 1` assignments and the return.
    body = ["    s0 = a + b"] + [f"    s{i} = s{i - 1} + 1" for i in range(1, statements - 1)]
    return HANDLER.format(statements="\n".join(body)).replace("s11", f"s{statements - 2}")


@pytest.mark.parametrize(("statements", "reported"), [(12, False), (13, True)])
def test_fat_controller_counts_up_to_the_limit(in_tmp: Path, statements: int, reported: bool) -> None:
    write_project(in_tmp, _handler_with(statements))
    _, found = _findings("--select", "HEX601")
    assert found == ({("api/routes.py", 7, "HEX601")} if reported else set())


def test_fat_controller_limit_follows_the_configuration(in_tmp: Path) -> None:
    write_project(in_tmp, _handler_with(12))
    _configure(in_tmp, "max-handler-statements = 11")
    assert _findings("--select", "HEX601")[1] == {("api/routes.py", 7, "HEX601")}


def test_a_domain_constructor_raising_type_error_is_reported(in_tmp: Path) -> None:
    write_project(
        in_tmp,
        """\
# file: bank/__init__.py
# file: bank/domain/__init__.py
# file: bank/domain/account.py
class Account:
    def __init__(self, owner: str) -> None:
        if not isinstance(owner, str):
            raise TypeError("owner must be text")
        self.owner = owner
""",
    )
    assert _findings("--select", "HEX203")[1] == {("bank/domain/account.py", 4, "HEX203")}
