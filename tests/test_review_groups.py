"""The review per design decision (SPEC §3, "Findings per design decision", "An honest
review"): groups, coverage, no claim over nothing, width, and the markdown budget.

The sample review is snapshot-tested at 80 and 120 columns (`tests/golden/
review_sample_80.txt`, `..._120.txt`; `HEXCHECK_UPDATE_GOLDEN=1` rewrites them) and
held to what a reader needs: every group, each "and N more", each rule's one-sentence
why, and the summary, in at most 340 lines at 80 columns.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import hexcheck
from hexcheck.adapters.cli import app
from hexcheck.report import github, gitlab, json_report, markdown, review, sarif
from hexcheck.rules.briefs import BRIEFS, brief
from hexcheck.rules.registry import all_rules
from tests.conftest import FIXTURES, write_project

GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLE = FIXTURES / "bookstore_violations"
runner = CliRunner()


def _review(columns: int, *extra: str) -> str:
    env = {"COLUMNS": str(columns)}
    cwd = os.getcwd()
    os.chdir(FIXTURES.parent)
    try:
        result = runner.invoke(
            app,
            ["check", "fixtures/bookstore_violations", "--no-cache", "--format", "review", *extra],
            env=env,
        )
    finally:
        os.chdir(cwd)
    assert result.exit_code == 1, result.output
    return result.stdout


def _json(root: Path, *extra: str) -> dict[str, object]:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = runner.invoke(app, ["check", ".", "--no-cache", "--format", "json", *extra])
    finally:
        os.chdir(cwd)
    data: dict[str, object] = json.loads(result.stdout)
    return data


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("HEXCHECK_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name}: HEXCHECK_UPDATE_GOLDEN=1 rewrites it"


@pytest.mark.parametrize("columns", [80, 120])
def test_the_sample_review_matches_its_golden_at_80_and_120_columns(columns: int) -> None:
    _golden(f"review_sample_{columns}.txt", _review(columns))


def test_the_sample_review_is_short_and_says_everything_once() -> None:
    text = _review(80)
    lines = text.splitlines()
    assert len(lines) <= 340, len(lines)
    # Prose fits the width; only a path or a dotted name, kept whole, may run over.
    for line in lines:
        if len(line) > 80:
            assert max(len(word) for word in line.split()) >= 60, line
    data = _json(SAMPLE)
    findings = data["findings"]
    assert isinstance(findings, list) and len(findings) == 46
    groups: dict[str, int] = {}
    for finding in findings:
        groups[finding["group"]] = groups.get(finding["group"], 0) + 1
    for group, count in groups.items():
        label = group.partition(" ")[2]
        assert label.split()[0] in text, group
        if count > review.SHOWN:
            assert f"and {count - review.SHOWN} more" in text, group
    for code in {f["code"] for f in findings}:
        why, _ = BRIEFS[code]
        assert " ".join(why.split()[:5]) in " ".join(text.split()), code
    assert "\nSummary\n" in text and "Conformance" in text and "Found" in text
    assert "Why it matters" not in text  # the full texts are for --explain


def test_explain_prints_the_full_texts_and_quiet_only_groups_and_summary() -> None:
    explained = _review(100, "--explain")
    assert "Why it matters" in explained and "How to fix" in explained
    quiet = _review(100, "--quiet")
    assert "Why:" not in quiet and "Strengths" not in quiet and "\nSummary\n" in quiet
    data = _json(SAMPLE)
    assert len(quiet.splitlines()) < 80
    assert all(str(f["group"]).split(" ")[0] in quiet for f in data["findings"])  # type: ignore[union-attr]


def test_every_rule_has_a_one_sentence_why_and_fix() -> None:
    codes = {rule.code for rule in all_rules()}
    assert set(BRIEFS) <= codes
    for rule in all_rules():
        why, fix = brief(rule)
        for sentence in (why, fix):
            assert len(sentence) <= 100, (rule.code, sentence)
            assert sentence.endswith("."), (rule.code, sentence)
            assert not re.search(r"[.!?] [A-Z]", sentence), (rule.code, sentence)
    assert codes <= set(BRIEFS), sorted(codes - set(BRIEFS))


THREE_DECISIONS = """\
# file: shop/__init__.py
# file: shop/domain/__init__.py
# file: shop/domain/order.py
class Order:
    pass
# file: shop/application/__init__.py
# file: shop/application/place_order.py
from shop.domain.order import Order


class PlaceOrderUseCase:
    def execute(self) -> Order:
        return Order()
# file: shop/infrastructure/__init__.py
# file: shop/infrastructure/errors/__init__.py
# file: shop/infrastructure/errors/db.py
class DbError(Exception):
    pass
# file: shop/infrastructure/errors/upstream.py
class UpstreamError(Exception):
    pass
# file: shop/infrastructure/errors/queue.py
class QueueError(Exception):
    pass
"""


def _three_decisions(root: Path) -> None:
    write_project(root, THREE_DECISIONS)
    imports = (
        "from shop.infrastructure.errors.db import DbError\n"
        "from shop.infrastructure.errors.upstream import UpstreamError\n"
        "from shop.infrastructure.errors.queue import QueueError\n"
    )
    # Two packages of the web layer, four modules each, all importing the same three.
    for package in ("orders", "payments"):
        base = root / "shop" / "web" / package
        base.mkdir(parents=True)
        (root / "shop" / "web" / "__init__.py").write_text("", encoding="utf-8")
        (base / "__init__.py").write_text("", encoding="utf-8")
        for index in range(4):
            (base / f"routes_{index}.py").write_text(
                imports + "\n\nERRORS = (DbError, UpstreamError, QueueError)\n"
            )


def test_modules_of_two_packages_importing_three_infrastructure_modules_give_three_groups(
    tmp_path: Path,
) -> None:
    _three_decisions(tmp_path)
    data = _json(tmp_path)
    findings = [f for f in data["findings"] if f["code"] == "HEX101"]  # type: ignore[union-attr]
    assert len(findings) == 24
    assert {f["group"] for f in findings} == {
        "HEX101 web -> shop.infrastructure.errors.db",
        "HEX101 web -> shop.infrastructure.errors.upstream",
        "HEX101 web -> shop.infrastructure.errors.queue",
    }
    report = hexcheck.check([str(tmp_path)])
    text = review.render(report, False, 80)
    assert text.count("(8 places)") == 3 and text.count("and 5 more") == 3
    # The formats editors read keep one result per location.
    assert len(json.loads(sarif.render(report, False))["runs"][0]["results"]) == len(report.findings)
    assert len(json.loads(gitlab.render(report, False))) == len(report.findings)
    assert len([line for line in github.render(report, False).splitlines() if line.startswith("::")]) == len(
        report.findings
    )


def test_a_group_key_survives_a_line_shift(tmp_path: Path) -> None:
    _three_decisions(tmp_path)
    before = {(f["path"], f["group"]) for f in _json(tmp_path)["findings"]}  # type: ignore[union-attr]
    shifted = tmp_path / "shop" / "web" / "orders" / "routes_0.py"
    shifted.write_text("\n\n\n" + shifted.read_text(encoding="utf-8"), encoding="utf-8")
    after = {(f["path"], f["group"]) for f in _json(tmp_path)["findings"]}  # type: ignore[union-attr]
    assert before == after


WEB_ONLY = """\
# file: svc/__init__.py
# file: svc/web/__init__.py
# file: svc/web/routes.py
from fastapi import APIRouter

router = APIRouter()


@router.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/items/{item_id}")
async def read_item(item_id: int) -> dict[str, int]:
    return {"id": item_id}
"""


def test_a_web_only_project_gets_no_score_and_no_claim_over_nothing(tmp_path: Path) -> None:
    write_project(tmp_path, WEB_ONLY)
    report = hexcheck.check([str(tmp_path)])
    text = review.render(report, False, 88)
    assert "hexagon holds" not in text and "well done" not in text
    assert "%" not in text  # no score of any kind
    assert "no domain and no application module" in text and "hexcheck init" in text
    assert "use cases" not in _strengths(text) and "DTOs" not in _strengths(text)
    assert "go through use cases" not in text and "use DTOs" not in text
    assert "no module in domain, application" in text
    assert review.overall_score(report) is None and review.layer_scores(report) == ()
    summary = json.loads(json_report.render(report))["summary"]
    coverage = summary["coverage"]
    assert coverage["conformance_basis"] is None
    assert coverage["roles"]["use cases"] == 0 and coverage["roles"]["routes"] == 2
    assert {"domain", "application"} <= set(coverage["empty_layers"])
    assert "use cases" in coverage["roles_not_seen"]
    md = markdown.render(report)
    assert "hexcheck init" in md and "%" not in md.split("### Layer graph")[0]


def _strengths(text: str) -> str:
    if "\nStrengths\n" not in text:
        return ""
    return text.split("\nStrengths\n", 1)[1].split("\nSummary\n", 1)[0]


def test_markdown_of_over_200_groups_stays_within_githubs_limit(tmp_path: Path) -> None:
    # 220 domain modules, each importing an infrastructure module of its own (220 groups)
    # and the framework (one group of 220 places).
    (tmp_path / "big").mkdir()
    for layer in ("domain", "infrastructure"):
        (tmp_path / "big" / layer).mkdir()
        (tmp_path / "big" / layer / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "big" / "__init__.py").write_text("", encoding="utf-8")
    for index in range(220):
        (tmp_path / "big" / "infrastructure" / f"store_{index:03}.py").write_text("X = 1\n", encoding="utf-8")
        (tmp_path / "big" / "domain" / f"entity_with_a_long_descriptive_name_{index:03}.py").write_text(
            f"import pydantic\nfrom big.infrastructure.store_{index:03} import X\n\nY = X\n", encoding="utf-8"
        )
    report = hexcheck.check([str(tmp_path)])
    groups = {f.group for f in report.findings}
    assert len(groups) >= 200
    text = markdown.render(report)
    assert len(text) <= markdown.LIMIT
    assert "### Summary" in text and text.index("### Summary") < text.index("#### HEX101")
    for group in groups:
        assert f"- `{group.partition(' ')[2]}`" in text, group
    assert "more: see the SARIF or JSON artifact" in text
    # What the budget left out is counted, never silently dropped.
    shown = text.count("\n  - `")
    more = sum(int(n) for n in re.findall(r"and (\d+) more: see the SARIF", text))
    assert shown + more == len(report.findings)


def test_markdown_of_more_group_headings_than_fit_counts_the_rest(tmp_path: Path) -> None:
    # 1,500 domain modules, each importing a third-party package of its own: 1,500
    # HEX102 decisions whose headings alone are more than a GitHub comment holds.
    domain = tmp_path / "shop" / "domain"
    domain.mkdir(parents=True)
    (tmp_path / "hexcheck.toml").write_text("", encoding="utf-8")
    (tmp_path / "shop" / "__init__.py").write_text("", encoding="utf-8")
    (domain / "__init__.py").write_text("", encoding="utf-8")
    for index in range(1500):
        (domain / f"rule_{index:04}.py").write_text(f"import vendor_package_{index:04}\n", encoding="utf-8")
    report = hexcheck.check([str(tmp_path)])
    groups = {f.group for f in report.findings if f.code == "HEX102"}
    assert len(groups) == 1500
    text = markdown.render(report)
    assert len(text) <= markdown.LIMIT
    assert "### Summary" in text
    shown = text.count("\n- `domain -> vendor_package_")
    counted = re.search(r"- and (\d+) more groups: see the SARIF or JSON artifact", text)
    assert counted is not None and 0 < shown < 1500
    assert shown + int(counted.group(1)) == len({f.group for f in report.findings})
