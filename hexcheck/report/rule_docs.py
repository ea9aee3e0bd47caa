"""A rule's documentation page, from the rule class: one source for every place it shows.

`hexcheck explain CODE` prints `rule_page(rule)`; `docs/rules/HEXnnn.md` holds the same
text (checked fresh by the test-suite); SARIF's `help.markdown` and the review's "why"
and "how to fix" read the same class attributes through `blocks` and `markdown`.

Rule texts are written as plain paragraphs separated by blank lines, with code as
blocks indented by four spaces (`Before:` / `After:` examples). `blocks` splits them, so
each format can wrap the prose and keep the code as it is.

Developer tool, never run by hexcheck itself: `python -m hexcheck.report.rule_docs
docs/rules` rewrites the pages (and deletes pages of rules that no longer exist).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from hexcheck.rules.base import CONCERNS, Rule
from hexcheck.rules.briefs import brief
from hexcheck.rules.registry import all_rules

CODE_INDENT = "    "
_CONCERN_TITLES = dict(CONCERNS)
_PAGE_NAME = re.compile(r"HEX[0-9]{3}\.md")


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph of a rule text: prose (one line, unwrapped) or code (dedented lines)."""

    text: str
    code: bool


def blocks(text: str) -> tuple[Block, ...]:
    """The paragraphs of a rule text; lines indented by four spaces are code.

    Consecutive code paragraphs make one block (a blank line inside one example), and a
    prose line directly above indented lines (`Before:` without a blank line) still
    starts a block of its own.
    """
    found: list[Block] = []
    for paragraph in re.split(r"\n[ \t]*\n", text.strip("\n")):
        lines = [line.rstrip() for line in paragraph.splitlines() if line.strip()]
        start = 0
        while start < len(lines):
            code = lines[start].startswith(CODE_INDENT)
            end = start
            while end < len(lines) and lines[end].startswith(CODE_INDENT) == code:
                end += 1
            run = lines[start:end]
            if not code:
                found.append(Block(" ".join(line.strip() for line in run), False))
            else:
                code_text = "\n".join(line[len(CODE_INDENT) :] for line in run)
                if found and found[-1].code and start == 0:
                    code_text = f"{found.pop().text}\n\n{code_text}"
                found.append(Block(code_text, True))
            start = end
    return tuple(found)


def fence(code: str, language: str = "python") -> str:
    """A fenced Markdown code block that survives backticks inside `code`."""
    runs = [len(run) for run in re.findall(r"`+", code)]
    marks = "`" * max(3, max(runs, default=0) + 1)
    return f"{marks}{language}\n{code.rstrip()}\n{marks}"


def markdown(text: str) -> str:
    """A rule text as Markdown: prose paragraphs as they are, code as fenced blocks."""
    return "\n\n".join(fence(b.text) if b.code else b.text for b in blocks(text))


def concern_title(concern: str) -> str:
    return _CONCERN_TITLES.get(concern, concern)


def _preset_text(rule: type[Rule]) -> str:
    if rule.preset == "recommended":
        return "recommended (on by default)"
    return f'{rule.preset} (opt in with `preset = "{rule.preset}"` or `--select {rule.code}`)'


def rule_page(rule: type[Rule]) -> str:
    """The whole documentation of a rule, as a Markdown page (ends with one newline)."""
    why, fix = brief(rule)
    parts = [
        f"# {rule.code}: {rule.name}",
        rule.summary,
        "\n".join(
            (
                f"- Severity: {rule.severity.value}",
                f"- Preset: {_preset_text(rule)}",
                f"- Concern: {concern_title(rule.concern)}",
            )
        ),
        f"**In short:** {why} **Fix:** {fix}",
        "## Why is this bad?",
        markdown(rule.why),
        "## How to fix",
        markdown(rule.how_to_fix),
    ]
    if rule.valid or rule.invalid:
        parts.append("## Examples")
        parts.append(
            "Each example is a small project; `# file:` lines split it into files. "
            f"In the invalid ones, `# error: {rule.code}` marks each line that is reported. "
            "The test-suite runs every example"
            + (
                f" with `--select {','.join((rule.code, *rule.example_select))}`."
                if rule.example_select
                else "."
            )
        )
    for title, examples in (("Valid", rule.valid), ("Invalid", rule.invalid)):
        for index, example in enumerate(examples, start=1):
            suffix = f" {index}" if len(examples) > 1 else ""
            parts.append(f"### {title}{suffix}")
            parts.append(fence(example))
    return "\n\n".join(parts) + "\n"


def index_page(rules: Sequence[type[Rule]]) -> str:
    """`docs/rules/index.md`: every rule, grouped by concern, linked to its page."""
    parts = [
        "# Rules",
        "Generated from the rule classes by `python -m hexcheck.report.rule_docs docs/rules`; "
        "do not edit by hand. `hexcheck rules` prints the same list and "
        "`hexcheck explain CODE` prints a page.",
        "The `recommended` preset is the default; `strict` adds the rules marked strict "
        '(`preset = "strict"` in `[tool.hexcheck]`, or `--preset strict`).',
    ]
    known = [concern for concern, _ in CONCERNS]
    concerns = known + sorted({rule.concern for rule in rules} - set(known))
    for concern in concerns:
        members = [rule for rule in rules if rule.concern == concern]
        if not members:
            continue
        parts.append(f"## {concern_title(concern)}")
        rows = ["| Code | Name | Severity | Preset | Finds |", "|---|---|---|---|---|"]
        rows.extend(
            f"| [{r.code}]({r.code}.md) | {r.name} | {r.severity.value} | {r.preset} | "
            f"{r.summary.replace('|', chr(92) + '|')} |"
            for r in members
        )
        parts.append("\n".join(rows))
    return "\n\n".join(parts) + "\n"


def pages(rules: Iterable[type[Rule]] | None = None) -> dict[str, str]:
    """File name -> content of every page of `docs/rules/` (default: every rule)."""
    chosen = tuple(all_rules() if rules is None else rules)
    found = {f"{rule.code}.md": rule_page(rule) for rule in chosen}
    found["index.md"] = index_page(chosen)
    return found


def is_rule_page(name: str) -> bool:
    """Whether a file name in `docs/rules/` is a generated rule page."""
    return _PAGE_NAME.fullmatch(name) is not None


def main(argv: Sequence[str]) -> int:
    """Rewrite the rule pages in the directory `argv[0]`; remove pages of removed rules."""
    if len(argv) != 1:
        sys.stderr.write("usage: python -m hexcheck.report.rule_docs DIRECTORY\n")
        return 2
    directory = Path(argv[0])
    directory.mkdir(parents=True, exist_ok=True)
    wanted = pages()
    for stale in sorted(directory.iterdir()):
        if is_rule_page(stale.name) and stale.name not in wanted:
            stale.unlink()
            sys.stdout.write(f"removed {stale}\n")
    for name, text in sorted(wanted.items()):
        target = directory / name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8", newline="\n")
            sys.stdout.write(f"wrote {target}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
