"""JUnit XML, for CI test-report views (GitLab, Jenkins, Azure Pipelines, CircleCI).

One test suite, "hexcheck", with one test case per rule that ran: a rule with findings
is a failed test whose text lists them, a rule without is a passed one. A rule is the
unit a reader of a test report can act on ("HEX101 layer-dependency failed: 3
findings"), the passed rules show what the project conforms to, and the report knows
every rule that ran but not every file that was checked (a test case per file could
only list the failing files, never the passing ones).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from hexcheck.core.findings import Finding, Severity
from hexcheck.engine import Report
from hexcheck.report.review import concerns, place, plural

# Characters XML 1.0 cannot hold at all, not even escaped.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _line(finding: Finding) -> str:
    lines = [f"{place(finding.location)}: {finding.message}"]
    lines.extend(f"    {place(hop.location)}: imports {hop.imported}" for hop in finding.chain)
    return "\n".join(lines)


def render(report: Report, color: bool = False) -> str:
    """The JUnit XML document; `color` is ignored."""
    by_code = {group.code: group for concern in concerns(report) for group in concern.groups}
    cases: list[ET.Element] = []
    names = {rule.code: (rule.name, rule.concern) for rule in report.rules}
    for group in by_code.values():
        names.setdefault(group.code, (group.name, ""))
    for code in sorted(names):
        name, concern = names[code]
        classname = f"hexcheck.{concern}" if concern else "hexcheck"
        case = ET.Element("testcase", {"classname": classname, "name": f"{code} {name}", "time": "0"})
        if code in by_code:
            group = by_code[code]
            errors = sum(1 for f in group.findings if f.severity is Severity.ERROR)
            about = group.rule.summary if group.rule is not None else group.findings[0].message
            failure = ET.SubElement(
                case,
                "failure",
                {
                    "message": _clean(f"{plural(len(group.findings), 'finding')}: {about}"),
                    "type": "error" if errors else "warning",
                },
            )
            failure.text = _clean("\n".join(_line(f) for f in group.findings))
        cases.append(case)
    failures = len(by_code)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0", "skipped": "0", "time": "0"}
    root = ET.Element("testsuites", {"name": "hexcheck", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "hexcheck", **counts})
    suite.extend(cases)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
