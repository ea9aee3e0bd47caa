"""HEX900 parse-error: A file cannot be read or parsed; the rest of the project is still
checked."""

from __future__ import annotations

from collections.abc import Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.findings import Finding, Location, Severity
from hexcheck.rules.base import Rule


class ParseError(Rule):
    code = "HEX900"
    name = "parse-error"
    severity = Severity.ERROR
    concern = "tool"
    summary = "A file cannot be read or parsed; the rest of the project is still checked."
    subject = "files parse"
    why = (
        "hexcheck reads code, it never imports it. A file it cannot parse is a file it "
        "cannot check: its imports are missing from the graph and its classes from the "
        "review, so violations in or through it go unseen. The message names the cause: a "
        "syntax error (including what only CPython rejects, such as a null byte), bytes "
        "that do not decode, nesting too deep to parse, a file over the size limit or over "
        "the per-file time budget, or a file that could not be read at all."
    )
    how_to_fix = (
        "Fix the syntax error, or, for generated or vendored files that are not part of "
        'the service, exclude them: `extend-exclude = ["generated"]` in '
        "`[tool.hexcheck]`. A file over the limits can be allowed with `max-file-bytes` "
        "or `parse-timeout`.\n\n"
        "Before:\n\n"
        "    def create(self, book:\n\n"
        "After:\n\n"
        "    def create(self, book: Book) -> None:"
    )
    valid = (
        """\
# file: app/domain/book.py
class Book:
    title: str
""",
        """\
# file: app/domain/money.py
AMOUNT = "\\N{EURO SIGN} 10"
""",
    )
    invalid = (
        """\
# file: app/domain/book.py
def create(self, book:  # error: HEX900
# file: app/domain/author.py
class Author: ...
""",
        """\
# file: app/domain/book.py
class Book:
    def f(self):
        return f(x for x in y, 1)  # error: HEX900
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return len(model.modules)

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for facts in model.modules.values():
            if facts.problem is not None:
                yield self.finding(
                    facts,
                    facts.problem.span,
                    f"cannot check this file: {facts.problem.message}",
                    facts.module,
                )

    def unreadable(self, display_path: str, message: str) -> Finding:
        """A HEX900 for a path that never became a module (a broken link, a loop)."""
        return Finding(
            self.code,
            self.name,
            self.severity,
            f"cannot check this path: {message}",
            Location(display_path, 1, 0, 1, 0),
            display_path,
        )
