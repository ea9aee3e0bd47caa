"""The JSON report of SPEC §3; columns count from one, as in SARIF and ruff's JSON."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from hexcheck.core.findings import Finding, Severity
from hexcheck.core.version import VERSION
from hexcheck.engine import Report
from hexcheck.report.review import score_basis


def finding_dict(finding: Finding) -> dict[str, Any]:
    loc = finding.location
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "path": loc.path,
        "line": loc.line,
        "column": loc.column + 1,
        "end_line": loc.end_line or loc.line,
        "end_column": (loc.end_column or loc.column) + 1,
        "layer": finding.layer or None,
        "symbol": finding.symbol,
        "group": finding.group,
    }


def summary(report: Report) -> dict[str, Any]:
    codes = Counter(f.code for f in report.findings)
    coverage = report.coverage
    return {
        "files": coverage.files,
        "findings": len(report.findings),
        "errors": sum(1 for f in report.findings if f.severity is Severity.ERROR),
        "warnings": sum(1 for f in report.findings if f.severity is Severity.WARNING),
        "by_code": dict(sorted(codes.items())),
        "suppressed": report.suppressed,
        "modules_per_layer": dict(coverage.modules_per_layer),
        "unlayered_modules": coverage.unlayered,
        "unparsable_files": coverage.unparsable,
        "groups": len({f.group for f in report.findings}),
        "coverage": coverage_dict(report),
        "baseline": None
        if report.baseline is None
        else {"known": report.baseline.known, "fixed": report.baseline.fixed_count},
    }


def coverage_dict(report: Report) -> dict[str, Any]:
    """What was found and what could not be checked, as the review's summary says it."""
    coverage = report.coverage
    return {
        "modules_per_layer": dict(coverage.modules_per_layer),
        "unlayered_modules": coverage.unlayered,
        "roles": dict(coverage.roles),
        "empty_layers": [layer for layer, count in coverage.modules_per_layer if not count],
        "roles_not_seen": [role for role, count in coverage.roles if not count],
        "rules_with_nothing_to_examine": list(coverage.unexamined),
        "files_excluded": coverage.excluded,
        "files_ignored": coverage.ignored,
        "files_unparsable": coverage.unparsable,
        "routes_public_by_name": coverage.public_routes,
        "conformance_basis": score_basis(report),
    }


def render(report: Report) -> str:
    document = {
        "version": VERSION,
        "findings": [finding_dict(f) for f in report.findings],
        "summary": summary(report),
    }
    return json.dumps(document, indent=2, sort_keys=False) + "\n"
