"""Layers from evidence (SPEC §1 "Layer detection", issue 18) on fixtures/message_bus: use
cases written as functions or as dataclasses handed their ports, and launchers and DI
modules of the composition root under web names or none."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import hexcheck
from hexcheck.core.config import Config
from tests.conftest import FIXTURES

PROJECT = FIXTURES / "message_bus"


@pytest.fixture(scope="module")
def findings() -> list[tuple[str, int, str]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(PROJECT)
        report = hexcheck.check(["."], Config(preset="strict"))
    return sorted((f.location.path, f.location.line, f.code) for f in report.findings)


@pytest.fixture(scope="module")
def layers() -> dict[str, str | None]:
    out = subprocess.run(
        [sys.executable, "-m", "hexcheck", "graph", "--format", "json", str(PROJECT)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {module["name"]: module.get("layer") for module in json.loads(out)["modules"]}


def test_command_handlers_written_as_functions_taking_the_unit_of_work_are_application(
    findings: list[tuple[str, int, str]], layers: dict[str, str | None]
) -> None:
    service = {name: layer for name, layer in layers.items() if name.startswith("shop.service.")}
    assert service == {
        "shop.service.handlers": None,  # an empty __init__
        # Placed through `shop.service`, whose unit of work adds two kinds to their use cases.
        "shop.service.handlers.allocation": "application",
        "shop.service.handlers.batches": "application",
        "shop.service.messagebus": None,  # it only passes the unit of work on
        "shop.service.unit_of_work": "application",
    }
    assert [f for f in findings if f[0] == "shop/service/handlers/batches.py"] == [
        ("shop/service/handlers/batches.py", 1, "HEX102"),
        ("shop/service/handlers/batches.py", 9, "HEX605"),
    ]


def test_a_dataclass_handed_a_port_is_a_use_case_and_one_of_plain_values_is_not(
    findings: list[tuple[str, int, str]], layers: dict[str, str | None]
) -> None:
    assert layers["shop.notifications.listeners"] == "application"
    assert layers["shop.notifications.retry"] is None  # `RetryPolicy(attempts, delay)`
    assert [f for f in findings if f[0].startswith("shop/notifications/")] == [
        ("shop/notifications/listeners.py", 3, "HEX101")
    ]


def test_launchers_of_the_app_factory_and_injector_modules_are_the_composition_root(
    findings: list[tuple[str, int, str]], layers: dict[str, str | None]
) -> None:
    assert {
        name: layers[name]
        for name in (
            "shop.entrypoint",
            "shop.api.cli",
            "shop.base",
            "shop.base.module",
            "shop.notifications.module",
        )
    } == dict.fromkeys(
        ("shop.entrypoint", "shop.api.cli", "shop.base", "shop.base.module", "shop.notifications.module"),
        "composition",
    )
    assert layers["shop.api.batches"] == "web"
    # Web modules reaching the SQL adapter through the container would be HEX103s.
    assert not [
        f for f in findings if f[0] in ("shop/entrypoint.py", "shop/api/cli.py", "shop/base/__init__.py")
    ]
