"""The review: the report a senior reviewer would write, for a terminal.

Findings are grouped by concern (in `CONCERNS` order), then by rule (errors before
warnings), then by design decision: one item per `group` (the one change that fixes
it), its places beneath, the first few shown and the rest counted. Each rule says once,
in one sentence each, why it matters and how to fix it (`explain=True` prints the full
texts). Then come the strengths (what conforms, with counts, only over what exists) and
a summary: what was found, what could not be checked and why, and the score.

The conformance score, given only when the domain and the application both have
modules (without them there is no hexagon to conform to):

- overall: of everything the rules examined (import edges, entities, ports, use cases,
  handlers...: the `checked` of every tally), the share that conforms (`passing`),
  as a whole percentage rounded down, so 100% means nothing failed. A tally counts its
  failing subjects once however many findings they have.
- per layer: the share of the layer's modules (from the coverage counts) that have no
  finding at all, rounded down the same way. Layers without modules get no score.

Findings a baseline holds back still count: the score measures the code, not the report.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from hexcheck.core.findings import Finding, Location, Severity
from hexcheck.engine import Report, Tally
from hexcheck.report.rule_docs import blocks, concern_title
from hexcheck.rules.base import CONCERNS, Rule
from hexcheck.rules.briefs import brief

WIDTH = 88  # when the output is no terminal and COLUMNS is not set
SHOWN = 3  # places listed under a group before "and N more"
_GLUE = "\xa0"  # holds words together while wrapping: textwrap never breaks at it
_OTHER = ("", "Other findings")
# The layers a conformance score needs: without both there is no hexagon to measure.
CORE_LAYERS = ("domain", "application")
# A strength about these rules speaks of a role: it is a claim only when the role exists.
_EVIDENCE = {"HEX602": "use cases", "HEX603": "DTOs", "HEX609": "mappers"}


def terminal_width(is_terminal: bool, environ: dict[str, str] | None = None) -> int:
    """`COLUMNS` when set, else the terminal's width, else 88."""
    env = os.environ if environ is None else environ
    columns = env.get("COLUMNS", "")
    if columns.isdigit() and int(columns) >= 40:
        return int(columns)
    if is_terminal:
        try:
            return max(os.get_terminal_size().columns, 40)
        except OSError:
            pass
    return WIDTH


# ------------------------------------------------------------------ shared with markdown


@dataclass(frozen=True, slots=True)
class Decision:
    """One group: the findings one change would fix, in report order."""

    key: str
    findings: tuple[Finding, ...]

    @property
    def label(self) -> str:
        """The group without its code: `web -> app.infrastructure.errors`."""
        return self.key.partition(" ")[2] or self.key


@dataclass(frozen=True, slots=True)
class RuleGroup:
    """The findings of one rule; `rule` is None when the report does not list the rule."""

    code: str
    name: str
    severity: Severity
    rule: type[Rule] | None
    findings: tuple[Finding, ...]

    @property
    def decisions(self) -> tuple[Decision, ...]:
        """The rule's groups, most places first, then by name."""
        by_key: dict[str, list[Finding]] = {}
        for finding in self.findings:
            by_key.setdefault(finding.group or f"{finding.code} {finding.symbol}", []).append(finding)
        ordered = sorted(by_key.items(), key=lambda item: (-len(item[1]), item[0]))
        return tuple(Decision(key, tuple(found)) for key, found in ordered)


@dataclass(frozen=True, slots=True)
class Concern:
    """One section of a review: a concern and its rules with findings."""

    key: str
    title: str
    groups: tuple[RuleGroup, ...]


def concerns(report: Report) -> tuple[Concern, ...]:
    """The findings grouped by concern (`CONCERNS` order) and rule (errors first, then code)."""
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
        Concern(
            key,
            _OTHER[1] if key == _OTHER[0] else concern_title(key),
            tuple(sorted(by_concern[key], key=lambda g: (g.severity is not Severity.ERROR, g.code))),
        )
        for key in order
        if key in by_concern
    )


def group_count(report: Report) -> int:
    return len({f.group or f"{f.code} {f.symbol}" for f in report.findings})


def plural(count: int, word: str, many: str = "") -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def strength(tally: Tally) -> str:
    """`all 4 ports are abstract` or `9 of 11 entities validate their invariants`."""
    if tally.failing == 0 and tally.checked > 1:
        return f"all {tally.checked} {tally.subject}"
    return f"{tally.passing} of {tally.checked} {tally.subject}"


def strengths(report: Report) -> tuple[Tally, ...]:
    """What wholly conforms, over something that exists: a rule examined at least one
    subject and found none failing, and what its claim speaks of was found (no "all
    handlers go through use cases" without a use case). A partly conforming tally is
    no strength: its findings say the rest."""
    roles = dict(report.coverage.roles)
    return tuple(
        tally
        for tally in report.tallies
        if tally.checked > 0
        and not tally.failing
        and (tally.code not in _EVIDENCE or roles.get(_EVIDENCE[tally.code], 1) > 0)
    )


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


def missing_layers(report: Report) -> tuple[str, ...]:
    """The core layers without a module: while any is missing, nothing is scored."""
    modules = dict(report.coverage.modules_per_layer)
    return tuple(layer for layer in CORE_LAYERS if not modules.get(layer))


def overall_score(report: Report) -> int | None:
    """The share of examined subjects that conform, over every tally; None: nothing
    examined, or no domain or no application to measure."""
    checked = sum(t.checked for t in report.tallies)
    if checked <= 0 or missing_layers(report):
        return None
    return percent(min(sum(t.passing for t in report.tallies), checked), checked)


def score_basis(report: Report) -> str | None:
    """What the overall score is a share of; None when there is no score."""
    if overall_score(report) is None:
        return None
    checked = sum(t.checked for t in report.tallies)
    passing = min(sum(t.passing for t in report.tallies), checked)
    return f"{passing} of {checked} things the rules examined conform"


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
    """One score per layer that has modules, inner to outer; none without a hexagon."""
    if missing_layers(report):
        return ()
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


def roles_text(report: Report) -> str:
    """`4 ports, 3 adapters, 0 use cases, ...`; "" when the report counted no roles."""
    return ", ".join(f"{count} {role}" for role, count in report.coverage.roles)


def files_text(report: Report) -> str:
    """`72 (1 could not be parsed; 3 paths excluded, 2 ignored by git)`."""
    coverage = report.coverage
    notes = []
    if coverage.unparsable:
        notes.append(f"{coverage.unparsable} could not be parsed")
    left = []
    if coverage.excluded:
        left.append(f"{plural(coverage.excluded, 'path')} excluded by configuration")
    if coverage.ignored:
        left.append(f"{plural(coverage.ignored, 'path')} ignored by git")
    if left:
        notes.append(", ".join(left))
    return f"{coverage.files} ({'; '.join(notes)})" if notes else str(coverage.files)


def unchecked(report: Report) -> tuple[str, ...]:
    """What could not be checked, and why, one item each."""
    coverage = report.coverage
    items = []
    empty = [layer for layer, count in coverage.modules_per_layer if not count]
    if empty:
        items.append(
            f"no module in {', '.join(empty)}, so nothing about {'it' if len(empty) == 1 else 'them'}"
        )
    unseen = [role for role, count in coverage.roles if not count]
    if unseen:
        items.append(f"no {', '.join(unseen)} found, so no rule about them had anything to judge")
    if coverage.unexamined:
        items.append(f"nothing to examine for {', '.join(coverage.unexamined)}")
    if coverage.unparsable:
        items.append(f"{plural(coverage.unparsable, 'file')} could not be parsed (see HEX900)")
    if coverage.public_routes:
        items.append(
            f"{plural(coverage.public_routes, 'write route')} taken as public by name "
            "(login, token, webhook...), security not judged"
        )
    return tuple(items)


def conformance_text(report: Report) -> str:
    """The score with its basis, or why there is none."""
    missing = missing_layers(report)
    if missing:
        return (
            f"not scored: no {' and no '.join(missing)} module, so there is no hexagon to "
            "measure; run `hexcheck init` to map the layers"
        )
    overall = overall_score(report)
    if overall is None:
        return "not scored: the rules had nothing to examine"
    text = f"{overall}% ({score_basis(report)})"
    scores = [f"{s.layer} {s.score}%" for s in layer_scores(report)]
    if scores:
        text += "; modules without a finding: " + ", ".join(scores)
    return text


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
        missing = missing_layers(report)
        if missing:
            return (
                f"Reviewed {files}: nothing to flag, but with no {' and no '.join(missing)} "
                "module there is no hexagon to judge."
            )
        return f"Reviewed {files}: nothing to flag. The hexagon holds - well done."
    paths = len({f.location.path for f in report.findings})
    return (
        f"Reviewed {files}: {strong(plural(len(report.findings), 'finding'))} in "
        f"{plural(paths, 'file')} ({findings_text(report)}), "
        f"{plural(group_count(report), 'design decision')} to revisit."
    )


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


@dataclass(frozen=True, slots=True)
class _Page:
    """How the review is laid out: width, palette, and how much it says."""

    width: int
    palette: _Palette
    explain: bool

    def wrap(self, text: str, indent: str, hanging: str = "") -> list[str]:
        return textwrap.wrap(
            text,
            self.width,
            initial_indent=indent,
            subsequent_indent=hanging or indent,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [indent.rstrip()]

    def whole(self, text: str) -> str:
        """`text` held together while wrapping: a path, a chain, a module name."""
        return text.replace(" ", _GLUE)


def _unglue(lines: list[str]) -> list[str]:
    return [line.replace(_GLUE, " ") for line in lines]


def _rule_text(page: _Page, text: str, indent: str) -> list[str]:
    """A rule's full why or how-to-fix: prose wrapped, code kept as written and indented."""
    lines: list[str] = []
    for block in blocks(text):
        if lines:
            lines.append("")
        if block.code:
            lines.extend((indent + "    " + line).rstrip() for line in block.text.splitlines())
        else:
            lines.extend(page.wrap(block.text, indent))
    return lines


def _heading(title: str, palette: _Palette) -> list[str]:
    return [palette.bold(title), palette.bold("-" * len(title))]


def _rule_heading(group: RuleGroup, palette: _Palette) -> str:
    decisions = len(group.decisions)
    counts = plural(len(group.findings), "finding")
    if decisions != len(group.findings):
        counts += f" in {plural(decisions, 'group')}"
    title = f"{group.code} {group.name}"
    return f"{palette.severity(title, group.severity, bold=True)}  ({group.severity.value}, {counts})"


def _rule_texts(page: _Page, rule: type[Rule]) -> list[str]:
    if page.explain:
        lines = page.wrap(rule.summary, "")
        lines += ["", page.palette.bold("  Why it matters"), *_rule_text(page, rule.why, "    ")]
        lines += ["", page.palette.bold("  How to fix"), *_rule_text(page, rule.how_to_fix, "    ")]
        return lines
    why, fix = brief(rule)
    return [*page.wrap(f"Why: {why}", "  ", "       "), *page.wrap(f"Fix: {fix}", "  ", "       ")]


def _place_lines(page: _Page, finding: Finding, severity: Severity) -> list[str]:
    location = place(finding.location)
    lines = _unglue(page.wrap(f"{page.whole(location)}  {finding.message}", "    ", "      "))
    if lines[0].startswith(f"    {location}"):
        lines[0] = "    " + page.palette.severity(location, severity) + lines[0][4 + len(location) :]
    # The message already names the chain; each hop's place is for `--explain`.
    for step, hop in enumerate(finding.chain if page.explain else (), start=1):
        hop_text = page.whole(f"{step}. {place(hop.location)}") + f"  imports {hop.imported}"
        lines.extend(_unglue(page.wrap(hop_text, "      ", "         ")))
    return lines


def _decision(page: _Page, decision: Decision, severity: Severity) -> list[str]:
    places = len(decision.findings)
    heading = f"* {decision.label}" + (f"  ({places}{_GLUE}places)" if places > 1 else "")
    lines = _unglue(page.wrap(heading, "  ", "      "))
    shown = decision.findings if page.explain else decision.findings[:SHOWN]
    if page.explain:
        for finding in shown:
            lines.extend(_place_lines(page, finding, severity))
    else:
        # One decision, one message: the places after the first differ only in where they
        # are, so they are listed by location (`--explain` prints each in full).
        first, *others = shown
        lines.extend(_place_lines(page, first, severity))
        if others:
            also = "also " + ", ".join(page.whole(place(f.location)) for f in others)
            lines.extend(_unglue(page.wrap(also, "    ", "      ")))
    if len(shown) < places:
        lines.append(f"    and {places - len(shown)} more")
    return lines


def _flatten(chunks: list[list[str]]) -> list[str]:
    return [line for chunk in chunks for line in chunk]


def _group(page: _Page, group: RuleGroup) -> list[str]:
    lines = [_rule_heading(group, page.palette)]
    if group.rule is not None:
        lines.extend(_rule_texts(page, group.rule))
    lines.extend(_flatten([_decision(page, decision, group.severity) for decision in group.decisions]))
    return lines


def _quiet_group(page: _Page, group: RuleGroup) -> list[str]:
    lines: list[str] = []
    for decision in group.decisions:
        places = len(decision.findings)
        text = f"{group.code} {decision.label}" + (f"  ({places}{_GLUE}places)" if places > 1 else "")
        lines.extend(_unglue(page.wrap(text, "", "       ")))
    return lines


def _summary(report: Report, page: _Page) -> list[str]:
    palette = page.palette
    errors, warnings = severity_counts(report)
    found = [
        palette.severity(plural(errors, "error"), Severity.ERROR) if errors else "0 errors",
        palette.severity(plural(warnings, "warning"), Severity.WARNING) if warnings else "0 warnings",
    ]
    findings = ", ".join(found)
    if report.findings:
        findings += f" in {plural(group_count(report), 'group')}"
    if report.suppressed:
        findings += f" ({report.suppressed} suppressed by noqa or per-file-ignores)"
    baseline = baseline_text(report)
    roles = roles_text(report)
    rows = [
        ("Files checked", files_text(report)),
        ("Modules", modules_text(report)),
        *((("Found", roles),) if roles else ()),
        ("Findings", findings),
        *((("Baseline", baseline),) if baseline else ()),
        ("Conformance", conformance_text(report)),
    ]
    lines = _heading("Summary", palette)
    for label, value in rows:
        lines.extend(_wrap_row(page, label, value))
    gaps = unchecked(report)
    if gaps:
        lines.append("")
        lines.append(palette.bold("Not checked"))
        for gap in gaps:
            lines.extend(page.wrap(gap, "  - ", "    "))
    return lines


def _wrap_row(page: _Page, label: str, value: str) -> list[str]:
    """A summary row; wrapped between list items (`domain 5, web 4`), never inside one."""
    if "\x1b" in value:  # colour codes would count as width
        return [f"  {label:<15}{value}"]
    if "`" in value or "(" in value:  # a sentence: wrap between words
        return page.wrap(value, f"  {label:<15}", " " * 17)
    items = value.replace(" ", _GLUE).replace(f",{_GLUE}", ", ").replace(f";{_GLUE}", "; ")
    return _unglue(page.wrap(items, f"  {label:<15}", " " * 17))


def render(
    report: Report, color: bool, width: int = WIDTH, explain: bool = False, quiet: bool = False
) -> str:
    """The review as text; ANSI colours only when `color` is set.

    `width` is the terminal's; `explain` prints each rule's full why and how-to-fix and
    every place; `quiet` prints one line per group and the summary.
    """
    page = _Page(max(width, 40), _Palette(color), explain)
    palette = page.palette
    lines = [*_unglue(page.wrap(palette.bold(opening(report)) if color else opening(report), "")), ""]
    for concern in concerns(report):
        if quiet:
            lines.extend(_flatten([_quiet_group(page, group) for group in concern.groups]))
            continue
        lines.extend(_heading(concern.title, palette))
        for group in concern.groups:
            lines.extend(_group(page, group))
            lines.append("")
    if quiet and report.findings:
        lines.append("")
    shown = strengths(report)
    if shown and not quiet:
        lines.extend(_heading("Strengths", palette))
        for tally in shown:
            lines.extend(palette.green(line) for line in page.wrap("  + " + strength(tally), "", "    "))
        lines.append("")
    lines.extend(_summary(report, page))
    return "\n".join(lines) + "\n"
