"""The application service: facts -> project model -> rules -> suppressions -> baseline
-> report.

The engine does no I/O of its own. It receives the files to check and a `FactsProvider`
(the driven port that reads and parses them, possibly in parallel and from a cache) and
returns a `Report`; adapters decide where files come from and where the report goes
(and read the baseline file, if any).
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from hexcheck.analysis.model import LayerGraph, ProjectModel
from hexcheck.core.baseline import Baseline, BaselineEntry, apply_baseline
from hexcheck.core.config import Config
from hexcheck.core.facts import ModuleFacts
from hexcheck.core.findings import Finding
from hexcheck.core.layers import LAYERS
from hexcheck.core.sources import SourceFile
from hexcheck.rules.base import Rule
from hexcheck.rules.registry import all_rules, check_codes, select_rules
from hexcheck.rules.tool.hex900_parse_error import ParseError
from hexcheck.rules.tool.hex901_unused_suppression import UnusedSuppression
from hexcheck.semantics.placement import placement

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
class BaselineSummary:
    """What a baseline did in a run: the findings it knew (not reported), fixed entries."""

    known_findings: tuple[Finding, ...]
    fixed: tuple[BaselineEntry, ...]

    @property
    def known(self) -> int:
        return len(self.known_findings)

    @property
    def fixed_count(self) -> int:
        return sum(entry.count for entry in self.fixed)


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of a run: sorted findings, what was checked, and how much conforms.

    `suppressed` counts findings silenced by `# noqa` or `per-file-ignores`; `baseline`
    is None when the run used no baseline.
    """

    findings: tuple[Finding, ...]
    coverage: Coverage
    rules: tuple[type[Rule], ...]
    suppressed: int = 0
    tallies: tuple[Tally, ...] = ()
    layer_graph: LayerGraph | None = None
    baseline: BaselineSummary | None = None


def active_rules(config: Config) -> tuple[type[Rule], ...]:
    check_codes(config.select, "select")
    check_codes(config.ignore, "ignore")
    for _, codes in config.per_file_ignores:
        check_codes(codes, "per-file-ignores")
    return select_rules(config.preset, config.select, config.ignore)


def build_model(files: Sequence[SourceFile], config: Config, provide: FactsProvider) -> ProjectModel:
    return ProjectModel(list(provide(files)), config, placement)


def check(
    files: Sequence[SourceFile],
    config: Config,
    provide: FactsProvider,
    unreadable: Iterable[tuple[str, str]] = (),
    baseline: Baseline | None = None,
) -> Report:
    """Check `files`; `unreadable` lists paths discovery could not turn into files.

    With a `baseline`, the findings it holds are not reported; only its entries for the
    rules that ran are considered (the caller leaves out those of paths it did not ask
    to check).
    """
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
    suppression = _Suppression(model, config)
    kept = [f for f in findings if not suppression.silences(f)]
    reported = len(findings)
    if any(rule is UnusedSuppression for rule in rules):
        unused, judged = UnusedSuppression().review(
            model,
            frozenset(rule.code for rule in rules),
            [rule.code for rule in all_rules()],
            suppression.used,
        )
        examined[UnusedSuppression.code] = judged
        reported += len(unused)
        kept.extend(f for f in unused if not suppression.silences(f))
    kept.sort(key=lambda f: f.sort_key)
    unique = tuple(_unique(kept))
    # What conforms is a fact about the code: findings a baseline knows still fail.
    tallies = _tallies(rules, examined, unique)
    summary: BaselineSummary | None = None
    if baseline is not None:
        modules = {facts.path: facts.module for facts in model.modules.values()}
        result = apply_baseline(baseline.of_codes({rule.code for rule in rules}), unique, modules)
        unique = result.new
        summary = BaselineSummary(result.known, result.fixed)
    return Report(
        unique,
        coverage(model),
        rules,
        reported - len(kept),
        tallies,
        model.layer_graph(),
        summary,
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


class _Suppression:
    """Applies `# noqa` and `per-file-ignores`, remembering which `# noqa` codes were used."""

    def __init__(self, model: ProjectModel, config: Config) -> None:
        self._config = config
        self._by_path = {facts.path: facts for facts in model.modules.values()}
        self._used: set[tuple[str, int, str]] = set()

    @property
    def used(self) -> frozenset[tuple[str, int, str]]:
        """(path, line, code as written) of each `# noqa` code that silenced a finding."""
        return frozenset(self._used)

    def silences(self, finding: Finding) -> bool:
        """Whether a `# noqa` on the reported line or `per-file-ignores` silences a finding.

        `# noqa` is looked at first, so that a comment matching a finding counts as used
        even where `per-file-ignores` also covers it.
        """
        path = finding.location.path
        facts = self._by_path.get(path)
        silenced = False
        for suppression in facts.suppressions if facts is not None else ():
            if suppression.line != finding.location.line:
                continue
            if not suppression.codes:
                silenced = True
                continue
            for named in suppression.codes:
                if finding.code.startswith(named):
                    self._used.add((path, suppression.line, named))
                    silenced = True
        if silenced:
            return True
        return any(
            _path_matches(path, pattern) and finding.code.startswith(tuple(codes))
            for pattern, codes in self._config.per_file_ignores
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
