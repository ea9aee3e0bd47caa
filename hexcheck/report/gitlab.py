"""GitLab Code Quality: the JSON array a `codequality` report artifact holds.

Each issue has what GitLab requires: `description`, `check_name`, `fingerprint`,
`severity` and `location.path` with `location.lines.begin`. Errors are `major`, warnings
`minor` (GitLab's scale: info, minor, major, critical, blocker). Fingerprints are the
SARIF ones: stable when lines move, so GitLab's merge-request widget tells new findings
from old ones.
"""

from __future__ import annotations

import json
from typing import Any

from hexcheck.core.findings import Finding, Severity
from hexcheck.engine import Report
from hexcheck.report.sarif import fingerprints


def issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    loc = finding.location
    return {
        "description": f"{finding.code} {finding.message}",
        "check_name": finding.code,
        "fingerprint": fingerprint,
        "severity": "major" if finding.severity is Severity.ERROR else "minor",
        "location": {"path": loc.path, "lines": {"begin": max(loc.line, 1)}},
    }


def render(report: Report, color: bool = False) -> str:
    """The Code Quality JSON array; `color` is ignored."""
    issues = [
        issue(finding, fingerprint)
        for finding, fingerprint in zip(report.findings, fingerprints(report.findings), strict=True)
    ]
    return json.dumps(issues, indent=2) + "\n"
