"""Layer names spelled in camelCase (`useCases/`) and a `repos/` package of ports whose
implementations sit in its own subpackage (fixtures/camel_case_layout)."""

from __future__ import annotations

import pytest

import hexcheck
from hexcheck.core.config import Config
from hexcheck.core.layers import name_layer
from tests.conftest import FIXTURES

PROJECT = FIXTURES / "camel_case_layout"
GROUP = "expenses/modules/group/"


def test_every_seeded_finding_is_reported_in_a_camel_case_project() -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(PROJECT)
        report = hexcheck.check(["."], Config(preset="strict"))
    assert sorted((f.code, f.location.path, f.location.line) for f in report.findings) == [
        ("HEX101", GROUP + "repos/IGroupRepo.py", 5),
        ("HEX101", GROUP + "useCases/createGroup/CreateGroupUseCase.py", 6),
        ("HEX101", GROUP + "useCases/createGroup/CreateGroupUseCase.py", 7),
        ("HEX302", GROUP + "repos/IGroupRepo.py", 17),
        ("HEX402", GROUP + "useCases/createGroup/CreateGroupUseCase.py", 13),
        ("HEX403", GROUP + "useCases/createGroup/CreateGroupUseCase.py", 11),
    ]


@pytest.mark.parametrize(
    ("module", "layer", "component", "strong"),
    [
        ("shop.useCases.placeOrder", "application", "useCases", True),
        ("shop.UseCases.PlaceOrder", "application", "UseCases", True),
        ("shop.Domain.Order", "domain", "Domain", True),
        ("shop.Infrastructure.MongoOrders", "infrastructure", "Infrastructure", True),
        ("shop.DTOs.OrderDTO", "web", "DTOs", False),
        ("shop.helpers.formatMoney", None, "", False),
    ],
)
def test_a_component_in_camel_case_names_its_layer(
    module: str, layer: str | None, component: str, strong: bool
) -> None:
    found = name_layer(module)
    assert (found.layer.value if found.layer else None, found.component, found.strong) == (
        layer,
        component,
        strong,
    )


@pytest.mark.parametrize(
    ("module", "package_index", "layer"),
    [
        # A package named for a layer places its own `__init__` as its modules, in another
        # language...
        ("src.contratos.seedwork.infraestructura", True, "infrastructure"),
        ("app.presentacion", True, "web"),
        # ...as a package named in English does below another layer's name.
        ("app.domain.presentation", True, "web"),
        ("app.domains.users.infrastructure", True, "infrastructure"),
        ("app.domain.application", True, "application"),
        # ...while a module so named is an everyday noun (a product's presentation).
        ("app.catalogo.presentacion", False, None),
    ],
)
def test_a_package_named_for_a_layer_places_its_init(
    module: str, package_index: bool, layer: str | None
) -> None:
    found = name_layer(module, package_index=package_index)
    assert (found.layer.value if found.layer else None) == layer
