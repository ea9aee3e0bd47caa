"""Layers: which layer a module belongs to, and which layers it may depend on."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache


class Layer(str, Enum):
    """The rings of a hexagonal service, inner to outer (SPEC §1)."""

    DOMAIN = "domain"
    APPLICATION = "application"
    INFRASTRUCTURE = "infrastructure"
    WEB = "web"
    COMPOSITION = "composition"


LAYERS: tuple[Layer, ...] = tuple(Layer)

DEFAULT_ALLOWED: Mapping[Layer, frozenset[Layer]] = {
    Layer.DOMAIN: frozenset({Layer.DOMAIN}),
    Layer.APPLICATION: frozenset({Layer.APPLICATION, Layer.DOMAIN}),
    Layer.INFRASTRUCTURE: frozenset(
        {Layer.INFRASTRUCTURE, Layer.APPLICATION, Layer.DOMAIN, Layer.COMPOSITION}
    ),
    Layer.WEB: frozenset({Layer.WEB, Layer.APPLICATION, Layer.DOMAIN, Layer.COMPOSITION}),
    Layer.COMPOSITION: frozenset(LAYERS),
}

# Package components that place a module in a layer when no configuration says otherwise.
# The web layer is the driving side: HTTP, but also CLIs and the `inbound`/`driving`
# adapters of teams that name their packages after the sides of the hexagon.
WEB_COMPONENTS = frozenset(
    {
        "web",
        "api",
        "rest",
        "http",
        "routers",
        "routes",
        "controllers",
        "entrypoints",
        "presentation",
        "inbound",
        "driving",
        "cli",
    }
)
# Web artefacts whose names are also used for persistence: `infrastructure/mappers.py`
# holding ORM mappings is not web code, so these count only outside infrastructure.
WEAK_WEB_COMPONENTS = frozenset({"dtos", "schemas", "mappers"})
COMPOSITION_NAMES = frozenset(
    {
        "main",
        "__main__",
        "container",
        "containers",
        "bootstrap",
        "dependencies",
        "deps",
        "di",
        "wiring",
        "settings",
        "config",
    }
)
DOMAIN_COMPONENTS = frozenset({"domain"})
# A shared kernel holds the domain building blocks every bounded context uses (base
# entities, value objects, domain events). It is domain unless a package inside it
# names another layer: `seedwork/infrastructure/database.py` is infrastructure.
SHARED_KERNEL_COMPONENTS = frozenset(
    {"shared_kernel", "sharedkernel", "seedwork", "building_blocks", "buildingblocks"}
)
# Generic helpers kept in a shared kernel (`seedwork/utils/functional.py`, a copy of
# Django's) are no domain code: a package named so takes the kernel's modules out of it.
KERNEL_UTILITY_COMPONENTS = frozenset({"utils", "util", "helpers", "tools"})
APPLICATION_COMPONENTS = frozenset(
    {"application", "use_cases", "usecases", "usecase", "service_layer", "logic", "ports"}
)
INFRASTRUCTURE_COMPONENTS = frozenset(
    {"infrastructure", "infra", "adapters", "persistence", "repositories", "outbound", "driven"}
)

_INNER = (Layer.DOMAIN, Layer.APPLICATION)


def detect_layer(module: str) -> Layer | None:
    """The layer SPEC §1's default patterns give a dotted module name, if any.

    The deepest matching package component wins (`app.infrastructure.web.x` is web), and
    a module's own name matching a composition name wins over every component. Below a
    `domain` or `application` package, only inner-layer names count: `domain/ports.py`,
    `domain/repositories.py` and `application/dtos.py` are where many teams keep their
    contracts, and calling them infrastructure or web would report the inner layers'
    own imports as violations. A shared kernel (`seedwork`, `shared_kernel`) is domain
    only until a package inside it names a layer, since shared kernels are often layered
    themselves, or names generic helpers (`seedwork/utils/`), which are unlayered. A
    package named like a composition root (`config/`, `di/`) makes its modules
    composition too.
    """
    parts = module.split(".")
    found: Layer | None = None
    strict = False  # whether `found` is an inner layer that outer names cannot override
    for part in parts[:-1]:
        found, strict = _component(part, found, strict)
    leaf = parts[-1]
    if leaf in COMPOSITION_NAMES and not strict:
        return Layer.COMPOSITION
    found, _ = _component(leaf, found, strict)
    return found


def _component(part: str, found: Layer | None, strict: bool) -> tuple[Layer | None, bool]:
    """The layer after reading one more package component of a module name."""
    if part in DOMAIN_COMPONENTS:
        return Layer.DOMAIN, True
    if part in APPLICATION_COMPONENTS and not (strict and found is Layer.DOMAIN):
        return Layer.APPLICATION, True
    if strict:
        return found, strict
    if part in SHARED_KERNEL_COMPONENTS:
        return Layer.DOMAIN, False
    if part in KERNEL_UTILITY_COMPONENTS and found is Layer.DOMAIN:  # in a shared kernel
        return None, False
    if part in WEB_COMPONENTS:
        return Layer.WEB, False
    if part in WEAK_WEB_COMPONENTS and found is not Layer.INFRASTRUCTURE:
        return Layer.WEB, False
    if part in INFRASTRUCTURE_COMPONENTS:
        return Layer.INFRASTRUCTURE, False
    if part in COMPOSITION_NAMES:
        return Layer.COMPOSITION, False
    return found, strict


@lru_cache(maxsize=512)
def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """`a.*.c` matches one component for `*`, any number for `**`; descendants match too."""
    pieces = []
    for part in pattern.split("."):
        if part == "**":
            pieces.append(r"[^.]+(?:\.[^.]+)*")
        else:
            pieces.append(re.escape(part).replace(r"\*", "[^.]*"))
    return re.compile(r"\.".join(pieces) + r"(?:\..+)?\Z")


def pattern_matches(pattern: str, module: str) -> bool:
    """Whether a module pattern from the configuration covers `module`."""
    return _pattern_regex(pattern).match(module) is not None


def specificity(pattern: str) -> tuple[int, int]:
    parts = pattern.split(".")
    return (sum(1 for p in parts if "*" not in p), len(parts))


@dataclass(frozen=True, slots=True)
class LayerMap:
    """Places modules in layers: configured patterns first, then the defaults.

    `patterns` maps each layer to module patterns; among configured patterns that match,
    the most specific wins (most literal components, then most components).
    `use_defaults` turns the built-in detection on or off.
    """

    patterns: tuple[tuple[Layer, tuple[str, ...]], ...] = ()
    use_defaults: bool = True

    @classmethod
    def from_mapping(cls, patterns: Mapping[Layer, Iterable[str]], use_defaults: bool = True) -> LayerMap:
        return cls(
            tuple((layer, tuple(patterns[layer])) for layer in LAYERS if layer in patterns),
            use_defaults,
        )

    def layer_of(self, module: str) -> Layer | None:
        best: tuple[tuple[int, int], Layer] | None = None
        for layer, layer_patterns in self.patterns:
            for pattern in layer_patterns:
                if pattern_matches(pattern, module):
                    rank = specificity(pattern)
                    if best is None or rank > best[0]:
                        best = (rank, layer)
        if best is not None:
            return best[1]
        return detect_layer(module) if self.use_defaults else None
