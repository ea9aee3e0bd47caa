"""The golden file of what every rule says on its INVALID examples.

`tests/test_rule_examples.py` asserts where each rule reports and, against this file,
what it says there: a message that loses a name, names the wrong side or reads wrong
shows up as a diff. After a deliberate change, rewrite the file and read the diff:

    python -m tests.example_messages
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from pathlib import Path

import hexcheck
from hexcheck.core.config import Config
from hexcheck.core.findings import Finding
from hexcheck.rules.base import Rule
from hexcheck.rules.registry import all_rules
from tests.conftest import REPO, write_project

GOLDEN = REPO / "tests" / "golden" / "example_messages.txt"


def example_findings(
    rule: type[Rule], example: str, root: Path
) -> tuple[set[tuple[str, int, str]], list[Finding]]:
    """Write `example` under `root` (the current directory) and check it as its rule's tests do."""
    expected = write_project(root, example)
    config = replace(Config(), select=(rule.code, *rule.example_select))
    return expected, list(hexcheck.check(["."], config).findings)


def message_lines(code: str, index: int, findings: list[Finding]) -> list[str]:
    return [
        f"{code} INVALID {index} {f.location.path}:{f.location.line} {f.code}: {f.message}" for f in findings
    ]


def golden_lines(code: str, index: int) -> list[str]:
    prefix = f"{code} INVALID {index} "
    return [line for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.startswith(prefix)]


def main() -> None:
    lines: list[str] = []
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as scratch:
        for rule in all_rules():
            for index, example in enumerate(rule.invalid, start=1):
                project = Path(scratch) / f"{rule.code}-{index}"
                project.mkdir()
                os.chdir(project)
                _, findings = example_findings(rule, example, project)
                lines.extend(message_lines(rule.code, index, findings))
    os.chdir(here)
    GOLDEN.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
