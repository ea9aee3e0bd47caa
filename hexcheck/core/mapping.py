"""What `hexcheck init` proposes: each module's layer, and the fewest patterns that say so.

The layers come from the built-in detection (`detect_layer`). The patterns are the
smallest `[tool.hexcheck.layers]` table that places every module exactly as detected,
under the rules `LayerMap` applies (a pattern covers the modules below it; the most
specific matching pattern wins), and leaves the modules detection could not place out
of every pattern. Bounded contexts laid out alike then share one pattern
(`modules.*.domain`), so a context added later is placed too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from hexcheck.core.layers import LAYERS, Layer, LayerMap, detect_layer, pattern_matches, specificity

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


def propose(modules: Iterable[str], detect: Callable[[str], Layer | None] = detect_layer) -> LayerProposal:
    """The layer `detect` gives each of `modules` (by default their names' layer), and the
    patterns that reproduce them.

    Always possible: detection places every module below a placed one, so a pattern never
    has to cover a module that must stay unplaced.
    """
    layers = {module: detect(module) for module in sorted(set(modules))}
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


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A hand-written pattern that places `modules` in `layer`, where the built-in
    detection sees `detected`; `hexcheck init` reports it and keeps the pattern."""

    pattern: str
    layer: Layer
    detected: Layer
    modules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LayerMerge:
    """What `hexcheck init` adds to a hand-written layers table, and what it leaves alone."""

    additions: Patterns  # patterns to append, per layer, in the proposal's order
    disagreements: tuple[Disagreement, ...]
    unused: tuple[tuple[Layer, str], ...]  # hand-written patterns that match no module


def merge(written: Mapping[Layer, Sequence[str]], proposal: LayerProposal, use_defaults: bool) -> LayerMerge:
    """The proposal's patterns that can join the hand-written table `written`.

    A hand-written entry always stays and always wins: a proposed pattern is added only
    if, with it, every module the hand-written patterns place stays in its layer and
    every other module lands where detection puts it; a pattern already written (for
    any layer) or that changes nothing is left out. So after the merge `hexcheck check`
    places every module exactly as before (with `default-layers = false`, it also places
    the modules the detection places and no hand-written entry does), and the table says
    so explicitly.
    """
    detected = dict(proposal.modules)
    by_hand = LayerMap.from_mapping(written, use_defaults=False)
    expected = {module: by_hand.layer_of(module) or layer for module, layer in detected.items()}
    present = {pattern for patterns in written.values() for pattern in patterns}
    candidates = [
        (layer, pattern)
        for layer, patterns in proposal.patterns
        for pattern in patterns
        if pattern not in present
        and any(pattern_matches(pattern, module) and by_hand.layer_of(module) is None for module in detected)
    ]
    while True:
        merged = _with(written, candidates)
        mapping = LayerMap.from_mapping(merged, use_defaults)
        wrong = [module for module in detected if mapping.layer_of(module) is not expected[module]]
        culprits = {_deciding(candidates, module) for module in wrong} - {None}
        if not culprits:
            break
        candidates = [candidate for candidate in candidates if candidate not in culprits]
    additions = tuple(
        (layer, tuple(pattern for found, pattern in candidates if found is layer))
        for layer in LAYERS
        if any(found is layer for found, _ in candidates)
    )
    return LayerMerge(additions, _disagreements(written, detected), _unused(written, detected))


def _with(
    written: Mapping[Layer, Sequence[str]], added: Sequence[tuple[Layer, str]]
) -> dict[Layer, list[str]]:
    merged = {layer: list(patterns) for layer, patterns in written.items()}
    for layer, pattern in added:
        merged.setdefault(layer, []).append(pattern)
    return merged


def _deciding(candidates: Sequence[tuple[Layer, str]], module: str) -> tuple[Layer, str] | None:
    """The most specific of `candidates` that matches `module`, if any."""
    matching = [candidate for candidate in candidates if pattern_matches(candidate[1], module)]
    return max(matching, key=lambda candidate: specificity(candidate[1]), default=None)


def _disagreements(
    written: Mapping[Layer, Sequence[str]], detected: Mapping[str, Layer | None]
) -> tuple[Disagreement, ...]:
    by_pattern: dict[tuple[str, Layer, Layer], list[str]] = {}
    for module, layer in detected.items():
        placing = _deciding([(lay, p) for lay in LAYERS for p in written.get(lay, ())], module)
        if placing is not None and layer is not None and placing[0] is not layer:
            by_pattern.setdefault((placing[1], placing[0], layer), []).append(module)
    return tuple(
        Disagreement(pattern, layer, found, tuple(modules))
        for (pattern, layer, found), modules in sorted(by_pattern.items())
    )


def _unused(
    written: Mapping[Layer, Sequence[str]], detected: Mapping[str, Layer | None]
) -> tuple[tuple[Layer, str], ...]:
    return tuple(
        (layer, pattern)
        for layer in LAYERS
        for pattern in written.get(layer, ())
        if not any(pattern_matches(pattern, module) for module in detected)
    )
