"""Layers from evidence (SPEC §1 "Layer detection", issue 18) on fixtures/message_bus: use
cases written as dataclasses handed their ports (functions taking one place nothing), and
launchers and DI modules of the composition root under web names or none."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES
from tests.test_layer_evidence import _graph_layers, _strict_findings

PROJECT = FIXTURES / "message_bus"


@pytest.fixture(scope="module")
def findings() -> list[tuple[str, int, str]]:
    return sorted(_strict_findings(PROJECT))


@pytest.fixture(scope="module")
def layers() -> dict[str, str | None]:
    return _graph_layers(PROJECT)


def test_functions_taking_the_unit_of_work_place_nothing_but_the_port_places_its_module(
    findings: list[tuple[str, int, str]], layers: dict[str, str | None]
) -> None:
    """A function that takes a port and calls it is a cosmic-python handler or a FastAPI
    dependency provider alike: its signature is no layer's evidence. The abstract unit of work
    beside the handlers is a port the SQL adapter implements: application."""
    service = {name: layer for name, layer in layers.items() if name.startswith("shop.service.")}
    assert service == {
        "shop.service.handlers": None,
        "shop.service.handlers.allocation": None,
        "shop.service.handlers.batches": None,
        "shop.service.messagebus": None,
        "shop.service.unit_of_work": "application",
    }
    assert [f for f in findings if f[0].startswith("shop/service/")] == []


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


def test_an_unnamed_package_of_use_cases_alone_is_the_application(
    findings: list[tuple[str, int, str]], layers: dict[str, str | None]
) -> None:
    """Use cases in two modules of `shop/fulfilment/` and nothing else: one kind of evidence,
    each read from a class's shape and the ports it is handed, so the package is the
    application's, its empty `__init__` included, and its handler's SQL default is reported."""
    assert {name: layer for name, layer in layers.items() if name.startswith("shop.fulfilment")} == {
        "shop.fulfilment": "application",
        "shop.fulfilment.release_stock": "application",
        "shop.fulfilment.reserve_stock": "application",
    }
    assert [f for f in findings if f[0].startswith("shop/fulfilment/")] == [
        ("shop/fulfilment/release_stock.py", 3, "HEX101")
    ]


def test_one_service_alone_or_a_shared_package_of_services_places_nothing(
    findings: list[tuple[str, int, str]], layers: dict[str, str | None]
) -> None:
    """`shop/mailer/smtp_service.py` is one module of use cases; `shop/common/tokens/` holds
    two, but in a shared package, whose services are a library's: neither is placed, so the
    SQL adapter `common/tokens/checking.py` imports is not reported."""
    assert {
        name: layer for name, layer in layers.items() if name.startswith(("shop.mailer", "shop.common"))
    } == dict.fromkeys(
        (
            "shop.mailer",
            "shop.mailer.smtp_service",
            "shop.common",
            "shop.common.tokens",
            "shop.common.tokens.checking",
            "shop.common.tokens.signing",
        ),
        None,
    )
    assert [f for f in findings if f[0].startswith(("shop/mailer/", "shop/common/"))] == []
