"""What a rule is: a class that checks the project model and describes itself.

A rule's class attributes are its documentation (`hexcheck explain`, `docs/rules/`,
SARIF help, the review's "why" and "how to fix"), and its VALID / INVALID examples are
its tests: small multi-file projects split by `# file: path` lines, with `# error: HEXnnn`
at the end of each line that must be reported. Adding a rule is adding one file to its
family, `rules/<family>/hexNNN_rule_name.py`; `registry.all_rules()` finds it.

Rules are stateless: `check(model)` yields findings; suppressions, selection and sorting
happen once, in the engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import ModuleFacts, Span
from hexcheck.core.findings import Finding, Hop, Location, Severity

# The concerns a review groups findings by, in the order it shows them.
CONCERNS: tuple[tuple[str, str], ...] = (
    ("dependencies", "Dependency direction"),
    ("domain", "Domain model"),
    ("ports", "Ports"),
    ("use-cases", "Use cases"),
    ("adapters", "Adapters and async"),
    ("web", "Web layer"),
    ("tool", "Files hexcheck could not read"),
    ("suppressions", "Suppressions"),
)


class Rule:
    """The base of every rule; subclasses fill in the class attributes and `check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    concern: ClassVar[str]
    preset: ClassVar[str] = "recommended"  # or "strict"
    summary: ClassVar[str]  # one line: what the rule finds
    why: ClassVar[str]  # the rationale, a paragraph
    how_to_fix: ClassVar[str]  # the remedy, with a before/after example
    valid: ClassVar[tuple[str, ...]] = ()
    invalid: ClassVar[tuple[str, ...]] = ()
    # Other rules the examples run with, for a rule that judges theirs (HEX901).
    example_select: ClassVar[tuple[str, ...]] = ()
    # What the rule examines, for the review's strengths: "{passing} of {checked} <subject>".
    subject: ClassVar[str] = ""

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        raise NotImplementedError

    def examined(self, model: ProjectModel) -> int:
        """How many subjects (entities, ports, import edges...) the rule looked at."""
        return 0

    def public_by_name(self, model: ProjectModel) -> int:
        """How many of its subjects the rule let pass on their name alone (a `/register`
        route): not judged, so the review's coverage says so."""
        return 0

    def finding(
        self,
        facts: ModuleFacts,
        span: Span,
        message: str,
        symbol: str,
        model: ProjectModel | None = None,
        hops: tuple[Hop, ...] = (),
    ) -> Finding:
        """A finding of this rule in `facts`' file; `symbol` must not depend on line numbers."""
        layer = model.layer(facts.module) if model is not None else None
        return Finding(
            code=self.code,
            name=self.name,
            severity=self.severity,
            message=message,
            location=location(facts, span),
            symbol=symbol,
            layer=layer.value if layer is not None else "",
            chain=hops,
        )


def location(facts: ModuleFacts, span: Span) -> Location:
    return Location(facts.path, span.line, span.column, span.end_line, span.end_column)
