"""The review as a pull-request comment (GitHub / GitLab flavoured Markdown).

The summary first (what was found, what could not be checked, the conformance score
defined in `review`), then the findings by concern, rule and group (one item per design
decision, its places beneath), each rule's full "why" and "how to fix" folded in a
`<details>` block, the strengths, and a Mermaid diagram of the layer graph with
violating edges in red. The whole comment stays within GitHub's 65,536 characters
(`render`).
"""

from __future__ import annotations

import re

from hexcheck.analysis.model import LayerGraph
from hexcheck.core.findings import Finding, Severity
from hexcheck.core.layers import Layer
from hexcheck.engine import Report
from hexcheck.report.review import (
    SHOWN,
    Decision,
    RuleGroup,
    baseline_text,
    concerns,
    conformance_text,
    files_text,
    group_count,
    layer_scores,
    modules_text,
    opening,
    place,
    plural,
    roles_text,
    severity_counts,
    strength,
    strengths,
    unchecked,
)
from hexcheck.report.rule_docs import markdown
from hexcheck.rules.base import Rule
from hexcheck.rules.briefs import brief

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")
_UNLAYERED = "unlayered"


def escape(text: str) -> str:
    """Plain text (a message, a module name) that Markdown shows exactly as written."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def code(text: str) -> str:
    """An inline code span holding `text`, whatever backticks it contains."""
    runs = [len(run) for run in re.findall(r"`+", text)]
    ticks = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


LIMIT = 65_536  # GitHub's limit for a comment, `<details>` included
MORE = "see the SARIF or JSON artifact"


def _finding(finding: Finding) -> list[str]:
    lines = [f"  - {code(place(finding.location))} {escape(finding.message)}"]
    lines.extend(f"    - {code(place(hop.location))} imports {code(hop.imported)}" for hop in finding.chain)
    return lines


def _rule_heading(group: RuleGroup) -> list[str]:
    mark = "error" if group.severity is Severity.ERROR else "warning"
    decisions = len(group.decisions)
    counts = plural(len(group.findings), "finding")
    if decisions != len(group.findings):
        counts += f" in {plural(decisions, 'group')}"
    lines = [f"#### {group.code} {group.name} ({mark}, {counts})", ""]
    if group.rule is not None:
        why, fix = brief(group.rule)
        lines += [f"{group.rule.summary} *Why:* {why} *Fix:* {fix}", ""]
    return lines


def _details(rule: type[Rule]) -> list[str]:
    return [
        "<details>",
        "<summary>Why it matters and how to fix it</summary>",
        "",
        markdown(rule.why),
        "",
        "**How to fix**",
        "",
        markdown(rule.how_to_fix),
        "",
        "</details>",
        "",
    ]


def _decision_heading(decision: Decision) -> str:
    places = len(decision.findings)
    return f"- {code(decision.label)}" + (f" ({places} places)" if places > 1 else "")


class _Budget:
    """Characters left for locations: every group heading and the summary come first."""

    def __init__(self, left: int) -> None:
        self.left = left

    def take(self, lines: list[str]) -> bool:
        size = sum(len(line) + 1 for line in lines)
        if size > self.left:
            self.left = -1  # once one does not fit, the rest go to the artifact in order
            return False
        self.left -= size
        return True


def _findings_section(
    report: Report, details: bool, budget: _Budget | None, headings: _Budget | None = None
) -> list[str]:
    """The findings by concern, rule and group; with `headings`, only the groups whose
    headings fit it (a project with thousands of decisions), the rest counted at the end."""
    lines: list[str] = []
    left_out = 0
    for concern in concerns(report):
        title = [f"### {concern.title}", ""]
        if left_out or (headings is not None and not headings.take(title)):
            left_out += sum(len(group.decisions) for group in concern.groups)
            continue
        lines += title
        for group in concern.groups:
            heading = [*_rule_heading(group), ""]
            if left_out or (headings is not None and not headings.take(heading)):
                left_out += len(group.decisions)
                continue
            lines.extend(_rule_heading(group))
            if details and group.rule is not None:
                lines.extend(_details(group.rule))
            for decision in group.decisions:
                if left_out or (
                    headings is not None
                    and not headings.take(
                        [_decision_heading(decision), f"  - and {len(decision.findings)} more: {MORE}"]
                    )
                ):
                    left_out += 1
                    continue
                lines.append(_decision_heading(decision))
                shown = 0
                for finding in decision.findings[:SHOWN]:
                    if budget is not None and not budget.take(_finding(finding)):
                        break
                    lines.extend(_finding(finding))
                    shown += 1
                rest = len(decision.findings) - shown
                if rest:
                    lines.append(f"  - and {rest} more: {MORE}")
            lines.append("")
    if left_out:
        lines += [f"- and {plural(left_out, 'more group')}: {MORE}", ""]
    return lines


def _reserve(report: Report) -> int:
    """The characters of the text around the locations: headings, summary, graph, and
    one "and N more" line per group."""
    skeleton = _page(report, details=False, budget=_Budget(0))
    groups = sum(len(group.decisions) for concern in concerns(report) for group in concern.groups)
    return len(skeleton) + groups * len(f"  - and {len(report.findings)} more: {MORE}\n")


def _summary(report: Report) -> list[str]:
    errors, warnings = severity_counts(report)
    findings = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    if report.findings:
        findings += f" in {plural(group_count(report), 'group')}"
    rows = [
        ("Files checked", files_text(report)),
        ("Modules", modules_text(report)),
        *((("Found", roles_text(report)),) if report.coverage.roles else ()),
        ("Findings", findings),
        ("Suppressed", f"{report.suppressed} (noqa or per-file-ignores)"),
        *((("Baseline", baseline_text(report)),) if report.baseline is not None else ()),
        ("Conformance", conformance_text(report)),
    ]
    lines = ["### Summary", "", "| | |", "|---|---|"]
    lines.extend(f"| {label} | {escape(value)} |" for label, value in rows)
    scores = layer_scores(report)
    if scores:
        lines += ["", "| Layer | Modules | With findings | Conformance |", "|---|---:|---:|---:|"]
        lines.extend(f"| {s.layer} | {s.modules} | {s.with_findings} | {s.score}% |" for s in scores)
    gaps = unchecked(report)
    if gaps:
        lines += ["", "**Not checked**", ""]
        lines.extend(f"- {escape(gap)}" for gap in gaps)
    lines.append("")
    return lines


def _node(layer: Layer | None) -> str:
    return layer.value if layer is not None else _UNLAYERED


def mermaid(graph: LayerGraph) -> list[str]:
    """A Mermaid `graph LR` of the layers: module counts, import counts, red violations.

    Layers without modules are left out, and so are imports inside one layer, which the
    rules never judge.
    """
    lines = ["```mermaid", "graph LR"]
    shown = [(layer, count) for layer, count in graph.modules if count > 0]
    for layer, count in shown:
        lines.append(f'    {_node(layer)}["{_node(layer)} ({plural(count, "module")})"]')
    red: list[int] = []
    edges = [edge for edge in graph.edges if edge.importer is not edge.imported]
    for index, edge in enumerate(edges):
        label = plural(edge.imports, "import")
        lines.append(f'    {_node(edge.importer)} -->|"{label}"| {_node(edge.imported)}')
        if edge.violation:
            red.append(index)
    lines.extend(f"    linkStyle {index} stroke:red,stroke-width:2px" for index in red)
    lines.append("```")
    return lines


def _page(report: Report, details: bool, budget: _Budget | None, headings: _Budget | None = None) -> str:
    lines = ["## hexcheck review", "", opening(report, lambda text: f"**{text}**"), ""]
    lines.extend(_summary(report))
    lines.extend(_findings_section(report, details, budget, headings))
    shown = strengths(report)
    if shown:
        lines += ["### Strengths", ""]
        lines.extend(f"- {escape(strength(tally))}" for tally in shown)
        lines.append("")
    graph = report.layer_graph
    if headings is None and graph is not None and any(count for _, count in graph.modules):
        lines += ["### Layer graph", ""]
        lines.extend(mermaid(graph))
        lines.append("")
    return "\n".join(lines)


def render(report: Report, color: bool = False, limit: int = LIMIT) -> str:
    """The review as Markdown, at most `limit` characters (GitHub's comment limit);
    `color` is ignored (Markdown has its own styling).

    The whole review when it fits; otherwise without the rules' full texts, the summary
    and every group heading first, then the places in order until the budget ends, each
    group saying how many more the SARIF or JSON artifact holds.
    """
    whole = _page(report, details=True, budget=None)
    if len(whole) <= limit:
        return whole
    budgeted = _page(report, details=False, budget=_Budget(limit - _reserve(report)))
    if len(budgeted) <= limit:
        return budgeted
    # Even the group headings do not fit: as many as do, no places, no graph, and the
    # count of the others (room kept for that line and the strengths).
    bare = _page(report, details=False, budget=_Budget(0), headings=_Budget(0))
    room = limit - len(bare) - len(f"- and {plural(len(report.findings), 'more group')}: {MORE}\n\n")
    return _page(report, details=False, budget=_Budget(0), headings=_Budget(room))
