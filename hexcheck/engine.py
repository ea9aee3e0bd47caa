"""The application service: facts -> project model -> rules -> suppressions -> report.

The engine does no I/O of its own. It receives the files to check and a `FactsProvider`
(the driven port that reads and parses them, possibly in parallel and from a cache) and
returns a `Report`; adapters decide where files come from and where the report goes.
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from hexcheck.analysis.model import LayerGraph, ProjectModel
from hexcheck.core.config import Config
from hexcheck.core.facts import ModuleFacts
from hexcheck.core.findings import Finding
from hexcheck.core.layers import LAYERS
from hexcheck.core.sources import SourceFile
from hexcheck.rules.base import Rule
from hexcheck.rules.meta import ParseError
from hexcheck.rules.registry import check_codes, select_rules

# Reads and parses files: one ModuleFacts per SourceFile, in the same order.
FactsProvider = Callable[[Sequence[SourceFile]], Sequence[ModuleFacts]]


@dataclass(frozen=True, slots=True)
class Coverage:
    """What a run looked at, so that a silent pass can be told from an empty one."""

    files: int
    modules_per_layer: tuple[tuple[str, int], ...]
    unlayered: int
    unparsable: int

    @property
    def layered(self) -> int:
        return sum(count for _, count in self.modules_per_layer)


@dataclass(frozen=True, slots=True)
class Tally:
    """What one rule examined and how much of it conforms: a strength when `failing` is 0."""

    code: str
    subject: str
    checked: int
    failing: int

    @property
    def passing(self) -> int:
        return max(self.checked - self.failing, 0)


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of a run: sorted findings, what was checked, and how much conforms."""

    findings: tuple[Finding, ...]
    coverage: Coverage
    rules: tuple[type[Rule], ...]
    suppressed: int = 0
    tallies: tuple[Tally, ...] = ()
    layer_graph: LayerGraph | None = None


def active_rules(config: Config) -> tuple[type[Rule], ...]:
    check_codes(config.select, "select")
    check_codes(config.ignore, "ignore")
    for _, codes in config.per_file_ignores:
        check_codes(codes, "per-file-ignores")
    return select_rules(config.preset, config.select, config.ignore)


def build_model(files: Sequence[SourceFile], config: Config, provide: FactsProvider) -> ProjectModel:
    return ProjectModel(list(provide(files)), config)


def check(
    files: Sequence[SourceFile],
    config: Config,
    provide: FactsProvider,
    unreadable: Iterable[tuple[str, str]] = (),
) -> Report:
    """Check `files`; `unreadable` lists paths discovery could not turn into files."""
    rules = active_rules(config)
    model = build_model(files, config, provide)
    findings: list[Finding] = []
    examined: dict[str, int] = {}
    for rule in rules:
        instance = rule()
        findings.extend(instance.check(model))
        examined[rule.code] = instance.examined(model)
    if any(rule is ParseError for rule in rules):
        findings.extend(ParseError().unreadable(path, message) for path, message in unreadable)
    by_path = {facts.path: facts for facts in model.modules.values()}
    kept = [f for f in findings if not _suppressed(f, by_path.get(f.location.path), config)]
    kept.sort(key=lambda f: f.sort_key)
    unique = tuple(_unique(kept))
    return Report(
        unique,
        coverage(model),
        rules,
        len(findings) - len(kept),
        _tallies(rules, examined, unique),
        model.layer_graph(),
    )


def _tallies(
    rules: Sequence[type[Rule]], examined: dict[str, int], findings: Sequence[Finding]
) -> tuple[Tally, ...]:
    failing: dict[str, set[str]] = {}
    for finding in findings:
        failing.setdefault(finding.code, set()).add(finding.symbol)
    return tuple(
        Tally(rule.code, rule.subject, examined[rule.code], len(failing.get(rule.code, ())))
        for rule in rules
        if rule.subject
    )


def coverage(model: ProjectModel) -> Coverage:
    per_layer: Counter[str] = Counter()
    unlayered = 0
    for module in model.modules:
        layer = model.layer(module)
        if layer is None:
            unlayered += 1
        else:
            per_layer[layer.value] += 1
    unparsable = sum(1 for facts in model.modules.values() if facts.problem is not None)
    return Coverage(
        files=len(model.modules),
        modules_per_layer=tuple((layer.value, per_layer[layer.value]) for layer in LAYERS),
        unlayered=unlayered,
        unparsable=unparsable,
    )


def _suppressed(finding: Finding, facts: ModuleFacts | None, config: Config) -> bool:
    """Whether `per-file-ignores` or a `# noqa` on the reported line silences a finding."""
    path = finding.location.path
    for pattern, codes in config.per_file_ignores:
        if _path_matches(path, pattern) and finding.code.startswith(tuple(codes)):
            return True
    if facts is None:
        return False
    return any(
        suppression.line == finding.location.line
        and (not suppression.codes or finding.code.startswith(suppression.codes))
        for suppression in facts.suppressions
    )


def _path_matches(path: str, pattern: str) -> bool:
    return fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, f"*/{pattern}")


def _unique(findings: Iterable[Finding]) -> Iterable[Finding]:
    seen: set[tuple[object, ...]] = set()
    for finding in findings:
        key = (finding.sort_key, finding.symbol)
        if key not in seen:
            seen.add(key)
            yield finding
