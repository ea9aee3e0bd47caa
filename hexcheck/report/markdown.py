"""The review as a pull-request comment (GitHub / GitLab flavoured Markdown).

The same sections as the terminal review: findings by concern and rule, each rule's
"why" and "how to fix" folded in a `<details>` block so the comment stays short, then the
strengths, a summary table with the conformance scores (defined in `review`), and a
Mermaid diagram of the layer graph with violating edges in red.
"""

from __future__ import annotations

import re

from hexcheck.analysis.model import LayerGraph
from hexcheck.core.findings import Finding, Severity
from hexcheck.core.layers import Layer
from hexcheck.engine import Report
from hexcheck.report.review import (
    RuleGroup,
    baseline_text,
    concerns,
    layer_scores,
    modules_text,
    opening,
    overall_score,
    place,
    plural,
    severity_counts,
    strength,
    strengths,
)
from hexcheck.report.rule_docs import markdown

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


def _finding(finding: Finding) -> list[str]:
    lines = [f"- {code(place(finding.location))} {escape(finding.message)}"]
    lines.extend(f"  - {code(place(hop.location))} imports {code(hop.imported)}" for hop in finding.chain)
    return lines


def _group(group: RuleGroup) -> list[str]:
    mark = "error" if group.severity is Severity.ERROR else "warning"
    lines = [
        f"#### {group.code} {group.name} ({mark}, {plural(len(group.findings), 'finding')})",
        "",
    ]
    rule = group.rule
    if rule is not None:
        lines += [
            rule.summary,
            "",
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
    for finding in group.findings:
        lines.extend(_finding(finding))
    lines.append("")
    return lines


def _summary(report: Report) -> list[str]:
    coverage = report.coverage
    errors, warnings = severity_counts(report)
    files = str(coverage.files)
    if coverage.unparsable:
        files += f" ({coverage.unparsable} could not be parsed)"
    overall = overall_score(report)
    rows = [
        ("Files checked", files),
        ("Modules", modules_text(report)),
        ("Findings", f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"),
        ("Suppressed", f"{report.suppressed} (noqa or per-file-ignores)"),
        *((("Baseline", baseline_text(report)),) if report.baseline is not None else ()),
        ("Conformance", f"{overall}%" if overall is not None else "n/a"),
    ]
    lines = ["### Summary", "", "| | |", "|---|---|"]
    lines.extend(f"| {label} | {value} |" for label, value in rows)
    scores = layer_scores(report)
    if scores:
        lines += ["", "| Layer | Modules | With findings | Conformance |", "|---|---:|---:|---:|"]
        lines.extend(f"| {s.layer} | {s.modules} | {s.with_findings} | {s.score}% |" for s in scores)
    lines += [
        "",
        "Conformance: overall, the share of everything the rules examined that conforms; "
        "per layer, the share of its modules without a finding.",
        "",
    ]
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


def render(report: Report, color: bool = False) -> str:
    """The review as Markdown; `color` is ignored (Markdown has its own styling)."""
    lines = ["## hexcheck review", "", opening(report, lambda text: f"**{text}**"), ""]
    for concern in concerns(report):
        lines += [f"### {concern.title}", ""]
        for group in concern.groups:
            lines.extend(_group(group))
    shown = strengths(report)
    if shown:
        lines += ["### Strengths", ""]
        lines.extend(f"- {escape(strength(tally))}" for tally in shown)
        lines.append("")
    lines.extend(_summary(report))
    graph = report.layer_graph
    if graph is not None and any(count for _, count in graph.modules):
        lines += ["### Layer graph", ""]
        lines.extend(mermaid(graph))
        lines.append("")
    return "\n".join(lines)
