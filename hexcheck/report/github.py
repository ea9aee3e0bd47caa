"""GitHub Actions workflow commands: one `::error` or `::warning` annotation per finding.

Escaping follows GitHub's toolkit (`@actions/core`, `command.ts`): in the message, `%`,
`\\r` and `\\n` become `%25`, `%0D`, `%0A`; in properties, `:` and `,` also become `%3A`
and `%2C`. Columns count from one. Import chains go on extra lines of the message.

GitHub shows at most 10 annotations of each kind per step (50 per job) on a pull
request; for more, upload the SARIF report to code scanning instead.
"""

from __future__ import annotations

from hexcheck.core.findings import Finding, Severity
from hexcheck.engine import Report
from hexcheck.report.review import place


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    loc = finding.location
    properties = [("file", loc.path), ("line", str(loc.line)), ("col", str(loc.column + 1))]
    if (loc.end_line, loc.end_column) >= (loc.line, loc.column):
        properties += [("endLine", str(loc.end_line)), ("endColumn", str(loc.end_column + 1))]
    properties.append(("title", f"{finding.code} {finding.name}"))
    message = finding.message
    for hop in finding.chain:
        message += f"\n  {place(hop.location)} imports {hop.imported}"
    command = "error" if finding.severity is Severity.ERROR else "warning"
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{command} {joined}::{escape_data(message)}"


def render(report: Report, color: bool = False) -> str:
    """One workflow command per line; `color` is ignored."""
    return "".join(annotation(finding) + "\n" for finding in report.findings)
