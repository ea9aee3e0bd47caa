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
from dataclasses import dataclass, field, fields, replace

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

# Reads and parses files: one ModuleFacts per SourceFile, in the same order.
FactsProvider = Callable[[Sequence[SourceFile]], Sequence[ModuleFacts]]


@dataclass(frozen=True, slots=True)
class Coverage:
    """What a run looked at, so that a silent pass can be told from an empty one.

    `roles` counts what the rules found to examine: ports, adapters, use cases, routes,
    DTOs, mappers. `unexamined` names the rules that ran with nothing to examine, so a
    silence of theirs is no verdict. `excluded` and `ignored` count the paths discovery
    left out by `exclude` and by git's ignore files; `public_routes` the write routes
    taken as public by their name (login, webhook...), whose security is not judged.
    """

    files: int
    modules_per_layer: tuple[tuple[str, int], ...]
    unlayered: int
    unparsable: int
    roles: tuple[tuple[str, int], ...] = ()
    unexamined: tuple[str, ...] = ()
    excluded: int = 0
    ignored: int = 0
    public_routes: int = 0

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
    rule_codes: tuple[str, ...]
    suppressed: int = 0
    tallies: tuple[Tally, ...] = ()
    layer_graph: LayerGraph | None = None
    baseline: BaselineSummary | None = None
    # The classes of `rule_codes`, when the run had them at hand (a fresh run; a test's
    # stand-ins). A cached report names its rules by code only, so that loading it imports
    # no rule module: importing them was a fifth of a run where nothing changed.
    rule_classes: tuple[type[Rule], ...] = field(default=(), compare=False, repr=False)

    @property
    def rules(self) -> tuple[type[Rule], ...]:
        """The rules that ran, in the order they ran."""
        if self.rule_classes:
            return self.rule_classes
        by_code = {rule.code: rule for rule in all_rules()}
        return tuple(by_code[code] for code in self.rule_codes)

    def __reduce__(self) -> tuple[type[Report], tuple[object, ...]]:
        kept = (f.name for f in fields(self) if f.name != "rule_classes")
        return (Report, tuple(getattr(self, name) for name in kept))


def active_rules(config: Config) -> tuple[type[Rule], ...]:
    check_codes(config.select, "select")
    check_codes(config.ignore, "ignore")
    for _, codes in config.per_file_ignores:
        check_codes(codes, "per-file-ignores")
    return select_rules(config.preset, config.select, config.ignore)


def build_model(files: Sequence[SourceFile], config: Config, provide: FactsProvider) -> ProjectModel:
    # Imported here: a run answered from the cache builds no model (see `check`).
    from hexcheck.semantics.placement import placement

    return ProjectModel(list(provide(files)), config, placement)


def check(
    files: Sequence[SourceFile],
    config: Config,
    provide: FactsProvider,
    unreadable: Iterable[tuple[str, str]] = (),
    baseline: Baseline | None = None,
    left_out: tuple[int, int] = (0, 0),
    requested: frozenset[str] | None = None,
) -> Report:
    """Check `files`; `unreadable` lists paths discovery could not turn into files,
    `left_out` how many paths it excluded by configuration and by git's ignore files.

    `requested` holds the paths whose findings are reported (None: every file's): the
    whole project is read for the facts that span files, as mypy and pyright do, and only
    what is located in the paths asked for is reported. With a `baseline`, the findings
    it holds are not reported; only its entries for the rules that ran are considered
    (the caller leaves out those of paths it did not ask to check).
    """
    rules = active_rules(config)
    model = build_model(files, config, provide)
    findings: list[Finding] = []
    examined: dict[str, int] = {}
    public_routes = 0
    for rule in rules:
        instance = rule()
        findings.extend(instance.check(model))
        examined[rule.code] = instance.examined(model)
        public_routes += instance.public_by_name(model)
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
    # Imported here, not at the top: a run answered from the cache never checks, and must
    # not pay for importing the semantic model (tests/test_cache_keys.py).
    from hexcheck.rules.grouping import grouped

    unique = tuple(grouped(_unique(kept), model))
    # What conforms is a fact about the code: findings a baseline knows still fail.
    tallies = _tallies(rules, examined, unique)
    summary: BaselineSummary | None = None
    if baseline is not None:
        modules = {facts.path: facts.module for facts in model.modules.values()}
        result = apply_baseline(baseline.of_codes({rule.code for rule in rules}), unique, modules)
        unique = result.new
        summary = BaselineSummary(result.known, result.fixed)
    unexamined = tuple(rule.code for rule in rules if rule.subject and not examined.get(rule.code))
    report = Report(
        unique,
        replace(
            coverage(model),
            roles=_roles(model),
            unexamined=unexamined,
            excluded=left_out[0],
            ignored=left_out[1],
            public_routes=public_routes,
        ),
        tuple(rule.code for rule in rules),
        reported - len(kept),
        tallies,
        model.layer_graph(),
        summary,
        rules,
    )
    return report if requested is None else restrict(report, requested)


def restrict(report: Report, requested: frozenset[str]) -> Report:
    """`report` with only the findings located in the `requested` paths.

    What the run looked at (coverage, tallies, the layer graph) stays the whole
    project's: it was all read, and a partial run's summary should say so.
    """
    summary = report.baseline
    if summary is not None:
        summary = replace(
            summary, known_findings=tuple(f for f in summary.known_findings if f.location.path in requested)
        )
    kept = tuple(f for f in report.findings if f.location.path in requested)
    return replace(report, findings=kept, baseline=summary)


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


def _roles(model: ProjectModel) -> tuple[tuple[str, int], ...]:
    """How many ports, adapters, use cases, routes, DTOs and mappers the model holds."""
    from hexcheck.semantics.roles import roles  # see `check`

    found = roles(model)
    return (
        ("ports", len(found.ports)),
        ("adapters", len(found.adapters)),
        ("use cases", len(found.use_cases)),
        ("routes", len(found.route_handlers)),
        ("DTOs", len(found.dtos)),
        ("mappers", len(found.mappers)),
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
