"""SARIF 2.1.0, for GitHub code scanning and every other SARIF viewer.

Paths stay relative, resolved against `%SRCROOT%` (the directory hexcheck ran from, which
in CI is the repository root), so the file is the same on every machine. Each result
carries a `partialFingerprints` entry that does not change when lines move: a hash of
the rule code, the path and the finding's symbol, plus an occurrence index for findings
that share all three. GitLab's Code Quality report uses the same fingerprints.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from hexcheck.core.findings import Finding, Location, Severity
from hexcheck.core.version import VERSION
from hexcheck.engine import Report
from hexcheck.report.rule_docs import blocks, markdown
from hexcheck.rules.base import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
# Where users read about hexcheck and its rules; the pages live under docs/rules/.
INFORMATION_URI = "https://github.com/hexcheck/hexcheck"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "hexcheck/v1"


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """A fingerprint per finding, unique within the report and stable across line shifts.

    It hashes code, path and symbol; findings sharing all three are told apart by their
    rank among them (in report order, which follows the lines), so moving code up or
    down keeps every fingerprint.
    """
    seen: dict[tuple[str, str, str], int] = {}
    found: list[str] = []
    for finding in findings:
        key = (finding.code, finding.location.path, finding.symbol)
        index = seen.get(key, 0)
        seen[key] = index + 1
        text = "\0".join((*key, str(index)))
        found.append(hashlib.sha256(text.encode("utf-8")).hexdigest()[:32])
    return found


def uri(path: str) -> str:
    """A relative path as a URI reference: `,`, `:`, `%`, spaces and non-ASCII encoded."""
    return quote(path, safe="/")


def _level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


def _plain(text: str) -> str:
    """A rule text as plain text: prose paragraphs, code indented by four spaces."""
    return "\n\n".join(
        "\n".join(("    " + line).rstrip() for line in b.text.splitlines()) if b.code else b.text
        for b in blocks(text)
    )


def rule_descriptor(rule: type[Rule]) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _plain(rule.why)},
        "help": {
            "text": f"{_plain(rule.why)}\n\nHow to fix:\n\n{_plain(rule.how_to_fix)}",
            "markdown": f"{markdown(rule.why)}\n\n**How to fix**\n\n{markdown(rule.how_to_fix)}",
        },
        "defaultConfiguration": {"level": _level(rule.severity)},
        "properties": {"tags": [rule.concern, rule.preset]},
    }


def _physical(location: Location, with_end: bool = True) -> dict[str, Any]:
    line = max(location.line, 1)
    region: dict[str, Any] = {"startLine": line, "startColumn": location.column + 1}
    if with_end and (location.end_line, location.end_column) >= (line, location.column):
        region["endLine"] = location.end_line
        region["endColumn"] = location.end_column + 1
    return {
        "artifactLocation": {"uri": uri(location.path), "uriBaseId": SRCROOT},
        "region": region,
    }


def _result(finding: Finding, rule_index: int | None, fingerprint: str) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": finding.code}
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    result["level"] = _level(finding.severity)
    result["message"] = {"text": finding.message}
    result["locations"] = [{"physicalLocation": _physical(finding.location)}]
    result["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint}
    if finding.chain:
        result["relatedLocations"] = [
            {
                "id": index,
                "physicalLocation": _physical(hop.location, with_end=False),
                "message": {"text": f"{hop.importer} imports {hop.imported}"},
            }
            for index, hop in enumerate(finding.chain)
        ]
    return result


def document(report: Report) -> dict[str, Any]:
    """The SARIF log as JSON-ready data."""
    indices = {rule.code: index for index, rule in enumerate(report.rules)}
    results = [
        _result(finding, indices.get(finding.code), fingerprint)
        for finding, fingerprint in zip(report.findings, fingerprints(report.findings), strict=True)
    ]
    driver = {
        "name": "hexcheck",
        "version": VERSION,
        "semanticVersion": VERSION,
        "informationUri": INFORMATION_URI,
        "rules": [rule_descriptor(rule) for rule in report.rules],
    }
    run = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The directory hexcheck ran from: in CI, the repository root."}}
        },
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, color: bool = False) -> str:
    """SARIF 2.1.0 JSON; `color` is ignored."""
    return json.dumps(document(report), indent=2) + "\n"
