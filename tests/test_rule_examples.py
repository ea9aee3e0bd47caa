"""Every VALID and INVALID example of every rule, as a test (Fixit's pattern)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hexcheck.rules.base import Rule
from hexcheck.rules.registry import all_rules
from tests.example_messages import example_findings, golden_lines, message_lines

CASES = [
    pytest.param(rule, kind, index, example, id=f"{rule.code}-{kind}-{index}")
    for rule in all_rules()
    for kind, examples in (("VALID", rule.valid), ("INVALID", rule.invalid))
    for index, example in enumerate(examples, start=1)
]


@pytest.mark.parametrize(("rule", "kind", "index", "example"), CASES)
def test_example(rule: type[Rule], kind: str, index: int, example: str, in_tmp: Path) -> None:
    expected, findings = example_findings(rule, example, in_tmp)
    found = {(f.location.path, f.location.line, f.code) for f in findings}
    if kind == "VALID":
        assert found == set(), f"{rule.code} VALID example {index} was reported"
    else:
        assert expected, f"{rule.code} INVALID example {index} has no '# error:' marker"
        assert found == expected
        # What it says there: `python -m tests.example_messages` rewrites the golden file.
        assert message_lines(rule.code, index, findings) == golden_lines(rule.code, index)


def test_every_rule_documents_itself() -> None:
    for rule in all_rules():
        assert rule.code.startswith("HEX") and len(rule.code) == 6
        assert rule.name and rule.name == rule.name.lower() and " " not in rule.name
        assert rule.summary.endswith(".")
        assert len(rule.why) > 100 and "Before" in rule.how_to_fix and "After" in rule.how_to_fix
        assert len(rule.valid) >= 2 and len(rule.invalid) >= 2, rule.code
