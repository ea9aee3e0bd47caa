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
        "dtos",
        "schemas",
        "mappers",
    }
)
COMPOSITION_NAMES = frozenset(
    {
        "main",
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
APPLICATION_COMPONENTS = frozenset({"application", "use_cases", "usecases", "service_layer", "ports"})
INFRASTRUCTURE_COMPONENTS = frozenset({"infrastructure", "infra", "adapters", "persistence", "repositories"})

_INNER = (Layer.DOMAIN, Layer.APPLICATION)


def detect_layer(module: str) -> Layer | None:
    """The layer SPEC §1's default patterns give a dotted module name, if any.

    The deepest matching package component wins (`app.infrastructure.web.x` is web), and
    a module's own name matching a composition name wins over every component. Below a
    `domain` or `application` package, only inner-layer names count: `domain/ports.py`,
    `domain/repositories.py` and `application/dtos.py` are where many teams keep their
    contracts, and calling them infrastructure or web would report the inner layers'
    own imports as violations.
    """
    parts = module.split(".")
    found: Layer | None = None
    for part in parts:
        if part in DOMAIN_COMPONENTS:
            found = Layer.DOMAIN
        elif part in APPLICATION_COMPONENTS and found is not Layer.DOMAIN:
            found = Layer.APPLICATION
        elif found in _INNER:
            continue
        elif part in WEB_COMPONENTS:
            found = Layer.WEB
        elif part in INFRASTRUCTURE_COMPONENTS:
            found = Layer.INFRASTRUCTURE
    if parts[-1] in COMPOSITION_NAMES and found not in _INNER:
        return Layer.COMPOSITION
    return found


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


def _specificity(pattern: str) -> tuple[int, int]:
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
                    rank = _specificity(pattern)
                    if best is None or rank > best[0]:
                        best = (rank, layer)
        if best is not None:
            return best[1]
        return detect_layer(module) if self.use_defaults else None
