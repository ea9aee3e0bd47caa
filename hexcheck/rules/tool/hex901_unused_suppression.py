"""HEX901 unused-suppression: A `# noqa: HEXnnn` comment suppresses nothing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import ModuleFacts, Span, Suppression
from hexcheck.core.findings import Finding, Severity
from hexcheck.rules.base import Rule

# (path, line, code as written in the comment) of each noqa code that silenced a finding.
UsedCodes = frozenset[tuple[str, int, str]]


class UnusedSuppression(Rule):
    code = "HEX901"
    name = "unused-suppression"
    severity = Severity.WARNING
    concern = "suppressions"
    preset = "strict"
    example_select = ("HEX101", "HEX203")
    summary = "A `# noqa: HEXnnn` comment suppresses nothing."
    subject = "noqa comments naming hexcheck codes suppress a finding"
    why = (
        "A suppression outlives the finding it was written for: the import is fixed, the "
        "code moves to another line, the rule is refined, and the `# noqa` stays behind. "
        "It then silences nothing today but will silently swallow the next finding of "
        "that code on the line, and it tells every reader that something is wrong here "
        "when nothing is. Only comments that name hexcheck codes are judged: a bare "
        "`# noqa`, or codes of other tools (`E501`, `F401`), may be there for flake8 or "
        "ruff. A code is judged only when every rule it names ran: with `--select HEX1`, "
        "a `# noqa: HEX604` cannot be told unused. Codes that cover HEX901 itself (`HEX9`, "
        "`HEX`) are never judged, nor is `# noqa` text inside a string."
    )
    how_to_fix = (
        "Delete the comment, or the codes in it that suppress nothing; keep the codes "
        "that still silence a finding on that line. A code that names no rule is a typo: "
        "`hexcheck rules` lists the codes.\n\n"
        "Before, in `app/domain/book.py` (the import of `app.infrastructure.clock` that "
        "needed it is gone):\n\n"
        "    from datetime import datetime  # noqa: HEX101\n\n"
        "After:\n\n"
        "    from datetime import datetime"
    )
    valid = (
        """\
# file: app/domain/book.py
from app.infrastructure.clock import now  # noqa: HEX101
# file: app/infrastructure/clock.py
def now(): ...
""",
        """\
# file: app/domain/book.py
import os  # noqa: F401
import sys  # noqa
from app.infrastructure.clock import now  # noqa: HEX101, E501
# file: app/infrastructure/clock.py
def now(): ...
""",
        """\
# file: app/domain/book.py
from dataclasses import dataclass  # noqa: HEX201 (HEX201 is not selected: not judged)


@dataclass
class Book:
    title: str
""",
    )
    invalid = (
        """\
# file: app/domain/book.py
from datetime import datetime  # noqa: HEX101  # error: HEX901
from app.infrastructure.clock import now  # noqa: HEX101
# file: app/infrastructure/clock.py
def now(): ...
""",
        """\
# file: app/domain/book.py
from app.infrastructure.clock import now  # noqa: HEX101, HEX203  # error: HEX901


def title(value):
    raise ValueError(value)  # noqa: HEX203
    raise KeyError(value)  # noqa: HEX230  # error: HEX901, HEX203
# file: app/infrastructure/clock.py
def now(): ...
""",
    )

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        # Whether a suppression is used is known only once the other rules' findings
        # are suppressed: the engine asks `review` then.
        return iter(())

    def review(
        self, model: ProjectModel, active: frozenset[str], known: Sequence[str], used: UsedCodes
    ) -> tuple[list[Finding], int]:
        """The unused `# noqa` codes of every module, and how many comments were judged.

        `active` are the codes of the rules that ran, `known` those of every rule, `used`
        the codes that silenced a finding.
        """
        findings: list[Finding] = []
        judged = 0
        for facts in model.modules.values():
            for suppression in facts.suppressions:
                if not suppression.in_comment:  # text in a string: not written to silence
                    continue
                named = [
                    c for c in suppression.codes if c.startswith("HEX") and self._judgeable(c, active, known)
                ]
                if not named:
                    continue
                judged += 1
                unused = [c for c in named if (facts.path, suppression.line, c) not in used]
                if unused:
                    findings.append(self._unused(model, facts, suppression, unused, known))
        return findings, judged

    def _judgeable(self, named: str, active: frozenset[str], known: Sequence[str]) -> bool:
        """Whether this run can tell if `# noqa: <named>` is used: every rule it covers ran.

        A code covering HEX901 itself is not judged: whether it silences an unused
        suppression depends on whether it is unused.
        """
        if self.code.startswith(named):
            return False
        return all(code in active for code in known if code.startswith(named))

    def _unused(
        self,
        model: ProjectModel,
        facts: ModuleFacts,
        suppression: Suppression,
        unused: Sequence[str],
        known: Sequence[str],
    ) -> Finding:
        rules = [c for c in unused if any(code.startswith(c) for code in known)]
        typos = [c for c in unused if c not in rules]
        details = []
        if rules:
            details.append(f"no {' or '.join(rules)} finding is reported on this line")
        if typos:
            details.append(
                f"{' and '.join(typos)} {'is' if len(typos) == 1 else 'are'} not a hexcheck rule code"
            )
        comment = f"# noqa: {', '.join(suppression.codes)}"
        span = Span(suppression.line, suppression.column, suppression.line, suppression.end_column)
        return self.finding(
            facts,
            span,
            f"unused suppression '{comment}': {'; '.join(details)}",
            f"{facts.module}:noqa:{','.join(unused)}",
            model,
        )
