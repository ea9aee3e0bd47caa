"""What `hexcheck init` proposes: each module's layer, and the fewest patterns that say so.

The layers come from the built-in detection (`detect_layer`). The patterns are the
smallest `[tool.hexcheck.layers]` table that places every module exactly as detected,
under the rules `LayerMap` applies (a pattern covers the modules below it; the most
specific matching pattern wins), and leaves the modules detection could not place out
of every pattern. Bounded contexts laid out alike then share one pattern
(`modules.*.domain`), so a context added later is placed too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from hexcheck.core.layers import LAYERS, Layer, LayerMap, detect_layer, pattern_matches

Patterns = tuple[tuple[Layer, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class LayerProposal:
    """Every module with its detected layer (None: not placed), and the patterns."""

    modules: tuple[tuple[str, Layer | None], ...]
    patterns: Patterns

    def count(self, layer: Layer) -> int:
        return sum(1 for _, found in self.modules if found is layer)

    @property
    def unplaced(self) -> tuple[str, ...]:
        return tuple(module for module, found in self.modules if found is None)

    def patterns_of(self, layer: Layer) -> tuple[str, ...]:
        return dict(self.patterns).get(layer, ())


def propose(modules: Iterable[str]) -> LayerProposal:
    """The layer of each of `modules` and the patterns that reproduce them.

    Always possible: detection places every module below a placed one, so a pattern never
    has to cover a module that must stay unplaced.
    """
    layers = {module: detect_layer(module) for module in sorted(set(modules))}
    patterns = _generalise(_fewest_patterns(layers), layers)
    return LayerProposal(tuple(layers.items()), patterns)


@dataclass
class _Node:
    """A dotted-name prefix: a module (`layer` is its layer) or only a package of them."""

    is_module: bool = False
    layer: Layer | None = None
    children: dict[str, _Node] = field(default_factory=dict)


_NO_WAY = 1 << 30  # the cost of an impossible choice


def _fewest_patterns(layers: Mapping[str, Layer | None]) -> dict[str, Layer]:
    """Pattern -> layer: the fewest plain prefixes that give each module its layer.

    A tree dynamic programme: for every prefix and every layer it may inherit from the
    nearest pattern above (or none), the cheapest choice of patterns below it.
    """
    root = _Node()
    for module, layer in layers.items():
        node = root
        for part in module.split("."):
            node = node.children.setdefault(part, _Node())
        node.is_module, node.layer = True, layer
    choices: dict[tuple[int, Layer | None], tuple[int, Layer | None]] = {}

    def cost(node: _Node, inherited: Layer | None) -> int:
        key = (id(node), inherited)
        if key not in choices:
            best: tuple[int, Layer | None] = (_NO_WAY, inherited)
            # Patterns first: on a tie, a pattern here beats one further down, since it
            # also places the modules a package gains later.
            options: list[tuple[int, Layer | None]] = [
                (1, layer) for layer in LAYERS if layer is not inherited
            ]
            options.append((0, inherited))
            for own, effective in options:
                if node.is_module and effective is not node.layer:
                    continue
                total = own + sum(cost(child, effective) for child in node.children.values())
                if total < best[0]:
                    best = (total, effective)
            choices[key] = best
        return choices[key][0]

    found: dict[str, Layer] = {}

    def collect(node: _Node, prefix: str, inherited: Layer | None) -> None:
        _, effective = choices[(id(node), inherited)]
        if effective is not inherited and effective is not None:
            found[prefix] = effective
        for name in sorted(node.children):
            child = node.children[name]
            cost(child, effective)
            collect(child, f"{prefix}.{name}" if prefix else name, effective)

    for name in sorted(root.children):
        child = root.children[name]
        cost(child, None)
        collect(child, name, None)
    return found


def _generalise(patterns: dict[str, Layer], layers: Mapping[str, Layer | None]) -> Patterns:
    """Merge patterns of one layer that differ in one component into `a.*.c`, whenever
    every module is still placed as before."""
    current = dict(patterns)
    merged = True
    while merged:
        merged = False
        for wildcard, members in _merge_candidates(current):
            trial = {p: layer for p, layer in current.items() if p not in members}
            trial[wildcard] = current[members[0]]
            # Only the modules the wildcard covers can change layer.
            affected = {m: layer for m, layer in layers.items() if pattern_matches(wildcard, m)}
            if _places(trial, affected):
                current = trial
                merged = True
                break
    return tuple(
        (layer, tuple(sorted(p for p, found in current.items() if found is layer)))
        for layer in LAYERS
        if layer in current.values()
    )


def _merge_candidates(patterns: Mapping[str, Layer]) -> list[tuple[str, list[str]]]:
    """`(a.*.c, [a.b.c, a.d.c])`: patterns of one layer and length, one component apart."""
    groups: dict[tuple[Layer, str], list[str]] = {}
    for pattern, layer in patterns.items():
        parts = pattern.split(".")
        for index in range(len(parts)):
            if parts[index] == "*":
                continue
            wildcard = ".".join([*parts[:index], "*", *parts[index + 1 :]])
            groups.setdefault((layer, wildcard), []).append(pattern)
    candidates = [
        (wildcard, sorted(members)) for (_, wildcard), members in groups.items() if len(members) > 1
    ]
    # The largest merges first; ties in name order, so the result is deterministic.
    return sorted(candidates, key=lambda item: (-len(item[1]), item[0]))


def _places(patterns: Mapping[str, Layer], layers: Mapping[str, Layer | None]) -> bool:
    by_layer: dict[Layer, list[str]] = {}
    for pattern, layer in patterns.items():
        by_layer.setdefault(layer, []).append(pattern)
    mapping = LayerMap.from_mapping(by_layer, use_defaults=False)
    return all(mapping.layer_of(module) is layer for module, layer in layers.items())
