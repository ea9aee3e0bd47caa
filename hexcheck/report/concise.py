"""flake8-style lines: `path:line:col: CODE message`, columns counted from one."""

from __future__ import annotations

from hexcheck.engine import Report


def render(report: Report) -> str:
    lines = [
        f"{f.location.path}:{f.location.line}:{f.location.column + 1}: {f.code} {f.message}"
        for f in report.findings
    ]
    return "".join(line + "\n" for line in lines)
