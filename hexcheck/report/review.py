"""The review: the report a senior reviewer would write, for a terminal.

Findings are grouped by concern (in `CONCERNS` order), then by rule. Each rule block
says once what the rule finds, why it matters and how to fix it, then lists its findings
as `path:line:col  message`, import chains one hop per line. Then come the strengths
(what conforms, with counts, from the rules' tallies) and a summary.

The conformance score:

- overall: of everything the rules examined (import edges, entities, ports, use cases,
  handlers...: the `checked` of every tally), the share that conforms (`passing`),
  as a whole percentage rounded down, so 100% means nothing failed. A tally counts its
  failing subjects once however many findings they have.
- per layer: the share of the layer's modules (from the coverage counts) that have no
  finding at all, rounded down the same way. Layers without modules get no score.

Findings a baseline holds back still count: the score measures the code, not the report.

These are shown when there is something to measure; "n/a" otherwise.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from hexcheck.core.findings import Finding, Location, Severity
from hexcheck.engine import Report, Tally
from hexcheck.report.rule_docs import blocks, concern_title
from hexcheck.rules.base import CONCERNS, Rule

WIDTH = 88
_GLUE = "\xa0"  # holds words together while wrapping: textwrap never breaks at it
_OTHER = ("", "Other findings")


# ------------------------------------------------------------------ shared with markdown


@dataclass(frozen=True, slots=True)
class RuleGroup:
    """The findings of one rule; `rule` is None when the report does not list the rule."""

    code: str
    name: str
    severity: Severity
    rule: type[Rule] | None
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class Concern:
    """One section of a review: a concern and its rules with findings, by code."""

    key: str
    title: str
    groups: tuple[RuleGroup, ...]


def concerns(report: Report) -> tuple[Concern, ...]:
    """The findings grouped by concern (`CONCERNS` order) and rule (code order)."""
    rules = {rule.code: rule for rule in report.rules}
    by_code: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_code.setdefault(finding.code, []).append(finding)
    by_concern: dict[str, list[RuleGroup]] = {}
    for code in sorted(by_code):
        findings = by_code[code]
        rule = rules.get(code)
        group = RuleGroup(
            code,
            rule.name if rule else findings[0].name,
            rule.severity if rule else findings[0].severity,
            rule,
            tuple(findings),
        )
        by_concern.setdefault(rule.concern if rule else _OTHER[0], []).append(group)
    order = [key for key, _ in CONCERNS]
    order += [*sorted(set(by_concern) - set(order) - {_OTHER[0]}), _OTHER[0]]
    return tuple(
        Concern(key, _OTHER[1] if key == _OTHER[0] else concern_title(key), tuple(by_concern[key]))
        for key in order
        if key in by_concern
    )


def plural(count: int, word: str, many: str = "") -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def strength(tally: Tally) -> str:
    """`all 4 ports are abstract` or `9 of 11 entities validate their invariants`."""
    if tally.failing == 0 and tally.checked > 1:
        return f"all {tally.checked} {tally.subject}"
    return f"{tally.passing} of {tally.checked} {tally.subject}"


def strengths(report: Report) -> tuple[Tally, ...]:
    """The tallies worth showing (something was checked): wholly conforming ones first."""
    shown = [tally for tally in report.tallies if tally.checked > 0]
    return tuple(sorted(shown, key=lambda t: t.failing > 0))


def severity_counts(report: Report) -> tuple[int, int]:
    errors = sum(1 for f in report.findings if f.severity is Severity.ERROR)
    return errors, len(report.findings) - errors


def findings_text(report: Report) -> str:
    """`3 errors and 2 warnings`, `1 error`, `no findings`."""
    errors, warnings = severity_counts(report)
    parts = [plural(n, word) for n, word in ((errors, "error"), (warnings, "warning")) if n]
    return " and ".join(parts) or "no findings"


def percent(part: int, whole: int) -> int:
    """A whole percentage rounded down: 100 only when `part == whole`."""
    return part * 100 // whole


def overall_score(report: Report) -> int | None:
    """The share of examined subjects that conform, over every tally; None: nothing examined."""
    checked = sum(t.checked for t in report.tallies)
    if checked <= 0:
        return None
    return percent(min(sum(t.passing for t in report.tallies), checked), checked)


@dataclass(frozen=True, slots=True)
class LayerScore:
    """How many of a layer's modules have a finding, and the layer's conformance."""

    layer: str
    modules: int
    with_findings: int

    @property
    def score(self) -> int:
        return percent(max(self.modules - self.with_findings, 0), self.modules)


def layer_scores(report: Report) -> tuple[LayerScore, ...]:
    """One score per layer that has modules, inner to outer."""
    flagged: dict[str, set[str]] = {}
    known = report.baseline.known_findings if report.baseline is not None else ()
    for finding in (*report.findings, *known):
        if finding.layer:
            flagged.setdefault(finding.layer, set()).add(finding.location.path)
    return tuple(
        LayerScore(layer, count, min(len(flagged.get(layer, ())), count))
        for layer, count in report.coverage.modules_per_layer
        if count > 0
    )


def modules_text(report: Report) -> str:
    """`domain 8, application 12, ..., 3 unlayered`."""
    coverage = report.coverage
    parts = [f"{layer} {count}" for layer, count in coverage.modules_per_layer]
    parts.append(f"{coverage.unlayered} unlayered")
    return ", ".join(parts)


def baseline_text(report: Report) -> str:
    """`12 known findings not reported; 2 entries fixed, delete them`; "" without a baseline."""
    summary = report.baseline
    if summary is None:
        return ""
    text = f"{plural(summary.known, 'known finding')} not reported"
    if summary.fixed:
        text += (
            f"; {plural(summary.fixed_count, 'entry', 'entries')} fixed and can be deleted "
            "by rewriting the baseline file"
        )
    return text


def place(location: Location) -> str:
    """`path:line:col`, the column counted from one, as editors and terminals link it."""
    return f"{location.path}:{location.line}:{location.column + 1}"


# ------------------------------------------------------------------------- terminal


@dataclass(frozen=True, slots=True)
class _Palette:
    """ANSI styles, or none at all."""

    color: bool

    def paint(self, text: str, *codes: str) -> str:
        if not self.color or not codes:
            return text
        return f"\x1b[{';'.join(codes)}m{text}\x1b[0m"

    def bold(self, text: str) -> str:
        return self.paint(text, "1")

    def severity(self, text: str, severity: Severity, bold: bool = False) -> str:
        hue = "31" if severity is Severity.ERROR else "33"
        return self.paint(text, *(("1", hue) if bold else (hue,)))

    def green(self, text: str) -> str:
        return self.paint(text, "32")

    def dim(self, text: str) -> str:
        return self.paint(text, "2")


def _wrap(text: str, indent: str, hanging: str = "") -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=hanging or indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def _rule_text(text: str, indent: str) -> list[str]:
    """A rule's why or how-to-fix: prose wrapped, code kept as written and indented."""
    lines: list[str] = []
    for block in blocks(text):
        if lines:
            lines.append("")
        if block.code:
            lines.extend((indent + "    " + line).rstrip() for line in block.text.splitlines())
        else:
            lines.extend(_wrap(block.text, indent))
    return lines


def _heading(title: str, palette: _Palette) -> list[str]:
    return [palette.bold(title), palette.bold("-" * len(title))]


def _group(group: RuleGroup, palette: _Palette) -> list[str]:
    count = plural(len(group.findings), "finding")
    title = f"{group.code} {group.name}"
    lines = [f"{palette.severity(title, group.severity, bold=True)}  ({group.severity.value}, {count})"]
    rule = group.rule
    if rule is not None:
        lines.extend(_wrap(rule.summary, ""))
        lines.append("")
        lines.append(palette.bold("  Why it matters"))
        lines.extend(_rule_text(rule.why, "    "))
        lines.append("")
        lines.append(palette.bold("  How to fix"))
        lines.extend(_rule_text(rule.how_to_fix, "    "))
    lines.append("")
    for finding in group.findings:
        location = place(finding.location)
        wrapped = _wrap(f"{location}  {finding.message}", "  ", "      ")
        if wrapped[0].startswith(f"  {location} "):
            wrapped[0] = "  " + palette.severity(location, group.severity) + wrapped[0][2 + len(location) :]
        lines.extend(wrapped)
        lines.extend(
            f"      {step}. {place(hop.location)}  imports {hop.imported}"
            for step, hop in enumerate(finding.chain, start=1)
        )
    return lines


def _summary(report: Report, palette: _Palette) -> list[str]:
    coverage = report.coverage
    errors, warnings = severity_counts(report)
    checked = str(coverage.files)
    if coverage.unparsable:
        checked += f" ({coverage.unparsable} could not be parsed)"
    found = [
        palette.severity(plural(errors, "error"), Severity.ERROR) if errors else "0 errors",
        palette.severity(plural(warnings, "warning"), Severity.WARNING) if warnings else "0 warnings",
    ]
    findings = ", ".join(found)
    if report.suppressed:
        findings += f" ({report.suppressed} suppressed by noqa or per-file-ignores)"
    baseline = baseline_text(report)
    overall = overall_score(report)
    scores = [f"{s.layer} {s.score}%" for s in layer_scores(report)]
    conformance = f"{overall}% overall" if overall is not None else "n/a overall"
    if scores:
        conformance += "; " + ", ".join(scores)
    rows = (
        ("Files checked", checked),
        ("Modules", modules_text(report)),
        ("Findings", findings),
        *((("Baseline", baseline),) if baseline else ()),
        ("Conformance", conformance),
    )
    lines = _heading("Summary", palette)
    for label, value in rows:
        lines.extend(_wrap_row(label, value))
    lines.append("")
    lines.extend(
        palette.dim(line)
        for line in _wrap(
            "Conformance: overall, the share of everything the rules examined that conforms; "
            "per layer, the share of its modules without a finding.",
            "",
        )
    )
    return lines


def _wrap_row(label: str, value: str) -> list[str]:
    """A summary row; wrapped between list items (`domain 5, web 4`), never inside one."""
    if "\x1b" in value:  # colour codes would count as width
        return [f"  {label:<15}{value}"]
    items = value.replace(" ", _GLUE).replace(f",{_GLUE}", ", ").replace(f";{_GLUE}", "; ")
    return [line.replace(_GLUE, " ") for line in _wrap(items, f"  {label:<15}", " " * 17)]


def opening(report: Report, strong: Callable[[str], str] = str) -> str:
    """The first sentence: how much was reviewed and found; `strong` emphasises the count."""
    files = plural(report.coverage.files, "file")
    if not report.coverage.files:
        return "hexcheck found no Python files to review."
    known = report.baseline.known if report.baseline is not None else 0
    if not report.findings and known:
        held = plural(known, "known finding")
        return f"Reviewed {files}: nothing new to flag; the baseline holds back {held}."
    if not report.findings:
        return f"Reviewed {files}: nothing to flag. The hexagon holds - well done."
    paths = len({f.location.path for f in report.findings})
    return (
        f"Reviewed {files}: {strong(plural(len(report.findings), 'finding'))} in "
        f"{plural(paths, 'file')} ({findings_text(report)})."
    )


def render(report: Report, color: bool) -> str:
    """The review as text; ANSI colours only when `color` is set."""
    palette = _Palette(color)
    lines = [palette.bold(opening(report)), ""]
    for concern in concerns(report):
        lines.extend(_heading(concern.title, palette))
        lines.append("")
        for group in concern.groups:
            lines.extend(_group(group, palette))
            lines.append("")
    shown = strengths(report)
    if shown:
        lines.extend(_heading("Strengths", palette))
        for tally in shown:
            text = f"  + {strength(tally)}" if not tally.failing else f"  ~ {strength(tally)}"
            lines.append(palette.green(text) if not tally.failing else text)
        lines.append("")
    lines.extend(_summary(report, palette))
    return "\n".join(lines) + "\n"
