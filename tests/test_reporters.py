"""Every output format, snapshot-tested against one shared report (ruff's emitter tests).

`REPORT` is built by hand: findings of several rules and concerns, errors and warnings,
import chains with hops, two findings sharing code, path and symbol (fingerprint
occurrence index), a path with a comma and a colon (GitHub escaping, SARIF URIs) and
messages with `%`, `|`, `<`, `&` and backticks (escaping in every format), tallies,
coverage and a layer graph with violating edges. Each format's output is compared byte
for byte with `tests/golden/<format>.<ext>`; `HEXCHECK_UPDATE_GOLDEN=1` rewrites them.

The rules in `REPORT` are stand-ins with frozen metadata, not the real rule classes, so
that editing a rule's "why" does not change these snapshots (the real texts are checked
by `test_docs.py`), and so that no stand-in joins the registry: they are plain classes
read through the same attributes as `Rule`, never `Rule` subclasses.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar, cast

import jsonschema
import pytest

import hexcheck
from hexcheck.analysis.model import LayerEdge, LayerGraph
from hexcheck.core.findings import Finding, Hop, Location, Severity
from hexcheck.core.layers import Layer
from hexcheck.engine import Coverage, Report, Tally
from hexcheck.report import FORMATS, github, gitlab, junit, markdown, review, sarif
from hexcheck.rules.base import Rule
from hexcheck.rules.registry import all_rules

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
SCHEMA_NAME = "sarif-schema-2.1.0.json"
SCHEMA_PLACES = (HERE.parents[1] / "shared" / "schemas" / SCHEMA_NAME, HERE / "schemas" / SCHEMA_NAME)
EXTENSIONS = {"json": "json", "sarif": "sarif", "gitlab": "json", "junit": "xml", "markdown": "md"}
WEIRD_PATH = "app/web/schemas/legacy,v1:books.py"


class _StandIn:
    """Rule metadata as the renderers read it; see the module docstring."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    concern: ClassVar[str]
    preset: ClassVar[str] = "recommended"
    summary: ClassVar[str]
    why: ClassVar[str]
    how_to_fix: ClassVar[str]
    valid: ClassVar[tuple[str, ...]] = ()
    invalid: ClassVar[tuple[str, ...]] = ()
    subject: ClassVar[str] = ""


class _LayerDependency(_StandIn):
    code = "HEX101"
    name = "layer-dependency"
    severity = Severity.ERROR
    concern = "dependencies"
    summary = "A module imports a first-party module of a layer its own layer may not depend on."
    subject = "imports between layers point inwards"
    why = (
        "Source code dependencies point inwards only: the domain knows nothing of use cases, "
        "the use cases know nothing of MongoDB or FastAPI. Once an inner layer imports an "
        "outer one, the business rules cannot be tested without the framework."
    )
    how_to_fix = (
        "Invert the dependency: declare a port in `application/ports` and implement it in "
        "`infrastructure`.\n\n"
        "Before:\n\n"
        "    from app.infrastructure.persistence.mongo import MongoBooks\n\n"
        "    class CreateBook:\n"
        "        def __init__(self) -> None:\n"
        "            self._books = MongoBooks()\n\n"
        "After:\n\n"
        "    class CreateBook:\n"
        "        def __init__(self, books: BookRepository) -> None:\n"
        "            self._books = books"
    )


class _IndirectLayerDependency(_StandIn):
    code = "HEX103"
    name = "indirect-layer-dependency"
    severity = Severity.ERROR
    concern = "dependencies"
    summary = "A layered module reaches a forbidden layer only through unlayered modules."
    subject = "imports of unlayered modules keep away from forbidden layers"
    why = "Each hop looks harmless; the chain is the violation."
    how_to_fix = "Cut the chain at the hop that should not be there."


class _ImportCycle(_StandIn):
    code = "HEX104"
    name = "import-cycle"
    severity = Severity.ERROR
    concern = "dependencies"
    summary = "First-party modules form a cycle of module-level runtime imports."
    subject = "modules stay out of import cycles"
    why = "A cycle means none of its modules can be loaded alone."
    how_to_fix = "Move the shared piece into a module both can import."


class _EntityWithoutValidation(_StandIn):
    code = "HEX201"
    name = "entity-without-validation"
    severity = Severity.WARNING
    concern = "domain"
    summary = "A domain dataclass with at least one field has no `__post_init__`."
    subject = "entities validate their invariants"
    why = "An entity that accepts any state pushes its rules into every caller."
    how_to_fix = (
        "Check the invariants in `__post_init__` and raise a domain exception:\n\n"
        "    def __post_init__(self) -> None:\n"
        "        if not self.title:\n"
        '            raise InvalidBook("a book needs a title")'
    )


class _ConcretePort(_StandIn):
    code = "HEX301"
    name = "concrete-port"
    severity = Severity.WARNING
    concern = "ports"
    summary = "A class that is a port by location or name is not abstract."
    subject = "ports are abstract"
    why = "A port is a contract; a concrete class is an implementation pretending to be one."
    how_to_fix = "Derive from `ABC` and mark the methods `@abstractmethod`, or use a `Protocol`."


class _IncompleteAdapter(_StandIn):
    code = "HEX501"
    name = "incomplete-adapter"
    severity = Severity.ERROR
    concern = "adapters"
    summary = "An adapter does not implement every abstract method of its ports."
    subject = "adapters implement their whole port"
    why = "A missing method fails at run time, on the first request that needs it."
    how_to_fix = "Implement every abstract method of the port."


class _WeakDto(_StandIn):
    code = "HEX604"
    name = "weak-dto"
    severity = Severity.WARNING
    concern = "web"
    summary = "A DTO field is annotated `Any`, `object`, or a bare collection."
    subject = "DTO fields are precisely typed"
    why = "A weak DTO type lets anything through the API boundary."
    how_to_fix = "Give the field a precise type: `list[str]`, `dict[str, int]`, a nested model."


class _ParseError(_StandIn):
    code = "HEX900"
    name = "parse-error"
    severity = Severity.ERROR
    concern = "tool"
    summary = "A file cannot be read or parsed; the rest of the project is still checked."
    subject = "files parse"
    why = "A file hexcheck cannot parse is a file it cannot check."
    how_to_fix = 'Fix the syntax error, or exclude the file: `extend-exclude = ["generated"]`.'


RULES = cast(
    "tuple[type[Rule], ...]",
    (
        _LayerDependency,
        _IndirectLayerDependency,
        _ImportCycle,
        _EntityWithoutValidation,
        _ConcretePort,
        _IncompleteAdapter,
        _WeakDto,
        _ParseError,
    ),
)


def _finding(
    rule: type[_StandIn],
    where: Location,
    message: str,
    symbol: str,
    layer: str,
    chain: tuple[Hop, ...] = (),
) -> Finding:
    return Finding(rule.code, rule.name, rule.severity, message, where, symbol, layer, chain)


_CHAIN = (
    Hop(
        "app.application.use_cases.list_books",
        "app.common.pagination",
        Location("app/application/use_cases/list_books.py", 6, 0, 6, 38),
    ),
    Hop(
        "app.common.pagination",
        "app.web.schemas.common",
        Location("app/common/pagination.py", 2, 0, 2, 44),
    ),
)

FINDINGS = (
    _finding(
        _LayerDependency,
        Location("app/application/use_cases/create_book.py", 3, 0, 3, 62),
        "application module 'app.application.use_cases.create_book' imports "
        "'app.infrastructure.persistence.mongo' (infrastructure); application may depend "
        "only on domain and application",
        "app.application.use_cases.create_book -> app.infrastructure.persistence.mongo",
        "application",
    ),
    _finding(
        _LayerDependency,
        Location("app/application/use_cases/create_book.py", 21, 8, 21, 51),
        "application module 'app.application.use_cases.create_book' imports "
        "'app.infrastructure.persistence.mongo' (infrastructure); application may depend "
        "only on domain and application",
        "app.application.use_cases.create_book -> app.infrastructure.persistence.mongo",
        "application",
    ),
    _finding(
        _IndirectLayerDependency,
        Location("app/application/use_cases/list_books.py", 6, 0, 6, 38),
        "application module 'app.application.use_cases.list_books' reaches "
        "'app.web.schemas.common' (web) through unlayered modules: "
        "app.application.use_cases.list_books -> app.common.pagination (l.6) -> "
        "app.web.schemas.common (l.2)",
        "app.application.use_cases.list_books -> app.common.pagination -> app.web.schemas.common",
        "application",
        _CHAIN,
    ),
    _finding(
        _EntityWithoutValidation,
        Location("app/domain/book.py", 12, 0, 18, 0),
        "entity 'Book' (app.domain.book) has fields but no __post_init__, so any state is accepted",
        "app.domain.book.Book",
        "domain",
    ),
    _finding(
        _EntityWithoutValidation,
        Location("app/domain/book.py", 31, 0, 35, 0),
        "entity 'Isbn' (app.domain.book) has fields but no __post_init__, so any state is accepted",
        "app.domain.book.Isbn",
        "domain",
    ),
    _finding(
        _ConcretePort,
        Location("app/domain/ports.py", 8, 0, 14, 0),
        "port 'Notifier' (app.domain.ports) is not abstract: no ABC, Protocol or "
        "@abstractmethod & it lives in a <ports> module",
        "app.domain.ports.Notifier",
        "domain",
    ),
    _finding(
        _ParseError,
        Location("app/legacy/report.py", 4, 10, 4, 11),
        "cannot check this file: syntax error: invalid decimal literal in '100%off'",
        "app.legacy.report",
        "",
    ),
    _finding(
        _WeakDto,
        Location(WEIRD_PATH, 9, 4, 9, 14),
        "DTO field 'BookOut.tags' is annotated `list` without type parameters; say list[str] | None",
        "app.web.schemas.legacy,v1:books.BookOut.tags",
        "web",
    ),
)

TALLIES = (
    Tally("HEX101", _LayerDependency.subject, 40, 1),
    Tally("HEX103", _IndirectLayerDependency.subject, 6, 1),
    Tally("HEX104", _ImportCycle.subject, 24, 0),
    Tally("HEX201", _EntityWithoutValidation.subject, 11, 2),
    Tally("HEX301", _ConcretePort.subject, 4, 1),
    Tally("HEX501", _IncompleteAdapter.subject, 0, 0),
    Tally("HEX604", _WeakDto.subject, 9, 1),
    Tally("HEX900", _ParseError.subject, 24, 1),
)

COVERAGE = Coverage(
    files=24,
    modules_per_layer=(
        ("domain", 5),
        ("application", 8),
        ("infrastructure", 4),
        ("web", 4),
        ("composition", 1),
    ),
    unlayered=2,
    unparsable=1,
)

LAYER_GRAPH = LayerGraph(
    modules=(
        (Layer.DOMAIN, 5),
        (Layer.APPLICATION, 8),
        (Layer.INFRASTRUCTURE, 4),
        (Layer.WEB, 4),
        (Layer.COMPOSITION, 1),
        (None, 2),
    ),
    edges=(
        LayerEdge(Layer.DOMAIN, Layer.DOMAIN, 4, 5, False),
        LayerEdge(Layer.APPLICATION, Layer.DOMAIN, 9, 12, False),
        LayerEdge(Layer.APPLICATION, Layer.INFRASTRUCTURE, 1, 2, True),
        LayerEdge(Layer.APPLICATION, None, 1, 1, False),
        LayerEdge(Layer.INFRASTRUCTURE, Layer.APPLICATION, 4, 6, False),
        LayerEdge(Layer.INFRASTRUCTURE, Layer.DOMAIN, 4, 5, False),
        LayerEdge(Layer.WEB, Layer.APPLICATION, 4, 8, False),
        LayerEdge(Layer.COMPOSITION, Layer.INFRASTRUCTURE, 1, 4, False),
        LayerEdge(Layer.COMPOSITION, Layer.WEB, 1, 4, False),
        LayerEdge(None, Layer.WEB, 1, 1, True),
    ),
)

REPORT = Report(
    findings=tuple(sorted(FINDINGS, key=lambda f: f.sort_key)),
    coverage=COVERAGE,
    rule_codes=tuple(rule.code for rule in RULES),
    rule_classes=RULES,
    suppressed=2,
    tallies=TALLIES,
    layer_graph=LAYER_GRAPH,
)

CLEAN = Report(
    findings=(),
    coverage=replace(COVERAGE, unparsable=0),
    rule_codes=tuple(rule.code for rule in RULES),
    rule_classes=RULES,
    tallies=tuple(replace(tally, failing=0) for tally in TALLIES),
    layer_graph=LAYER_GRAPH,
)


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("HEXCHECK_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.is_file(), f"{path} is missing; run with HEXCHECK_UPDATE_GOLDEN=1 to write it"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from its golden file; HEXCHECK_UPDATE_GOLDEN=1 rewrites it"


# ------------------------------------------------------------------------ snapshots


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_format_matches_golden(name: str) -> None:
    text = FORMATS[name](REPORT, False)
    assert text == FORMATS[name](REPORT, False)
    _golden(f"{name}.{EXTENSIONS.get(name, 'txt')}", text)


def test_review_in_colour_matches_golden() -> None:
    _golden("review_color.txt", review.render(REPORT, True))


def test_review_of_a_clean_project_matches_golden() -> None:
    _golden("review_clean.txt", review.render(CLEAN, False))


def test_markdown_of_a_clean_project_matches_golden() -> None:
    _golden("markdown_clean.md", markdown.render(CLEAN, False))


# ------------------------------------------------------------------------ review


def test_colour_codes_only_when_asked() -> None:
    assert "\x1b" not in review.render(REPORT, False)
    coloured = review.render(REPORT, True)
    assert "\x1b[31m" in coloured and "\x1b[33m" in coloured and "\x1b[32m" in coloured
    assert "\x1b[1m" in coloured


def test_review_follows_the_concern_order() -> None:
    text = review.render(REPORT, False)
    titles = [
        "Dependency direction",
        "Domain model",
        "Ports",
        "Web layer",
        "Files hexcheck could not read",
        "Strengths",
        "Summary",
    ]
    positions = [text.index(f"\n{title}\n") for title in titles]
    assert positions == sorted(positions)
    assert "Adapters and async" not in text  # no findings, no section
    assert text.count("\n  Why: ") == 6  # once per rule with findings, not per finding
    assert "Why it matters" not in text  # the full texts are for --explain


def test_review_strengths_and_scores() -> None:
    text = review.render(REPORT, False)
    assert "all 24 modules stay out of import cycles" in text
    assert "9 of 11 entities validate their invariants" not in text  # partly: no strength
    assert "adapters implement their whole port" not in text  # nothing checked
    # 151 of 158 examined subjects pass; domain: 2 of 5 modules have findings.
    assert review.overall_score(REPORT) == 94
    scores = {s.layer: s.score for s in review.layer_scores(REPORT)}
    assert scores == {"domain": 60, "application": 75, "infrastructure": 100, "web": 75, "composition": 100}


def test_review_of_a_clean_project_is_warm_and_still_summarises() -> None:
    text = review.render(CLEAN, False)
    assert "nothing to flag" in text
    assert "Strengths" in text and "Summary" in text
    assert "Conformance    100% (" in text


def test_empty_report_renders_in_every_format() -> None:
    empty = Report((), Coverage(0, (), 0, 0), ())
    for name, render in FORMATS.items():
        assert isinstance(render(empty, False), str), name
    assert "no Python files" in review.render(empty, False)
    assert json.loads(gitlab.render(empty)) == []
    _validate_sarif(json.loads(sarif.render(empty)))


# ------------------------------------------------------------------------ markdown


def test_markdown_marks_violating_edges_red() -> None:
    lines = markdown.mermaid(LAYER_GRAPH)
    edges = [line for line in lines if "-->" in line]
    assert "domain -->" not in "\n".join(edges)  # imports inside a layer are not drawn
    red = {int(line.split()[1]) for line in lines if line.strip().startswith("linkStyle")}
    assert {edges[i].split()[0] for i in red} == {"application", "unlayered"}
    assert all("infrastructure" in edges[i] or "web" in edges[i] for i in red)


def test_markdown_escapes_messages() -> None:
    assert markdown.escape("a | b <c> & `d` *e*") == r"a \| b \<c\> \& \`d\` \*e\*"
    assert markdown.code("x`y") == "``x`y``"


# ------------------------------------------------------------------------ sarif


def _schema() -> dict[str, Any]:
    for place in SCHEMA_PLACES:
        if place.is_file():
            return cast("dict[str, Any]", json.loads(place.read_text(encoding="utf-8")))
    raise AssertionError(f"the SARIF schema is in none of {SCHEMA_PLACES}")


def _validate_sarif(document: dict[str, Any]) -> None:
    jsonschema.Draft4Validator(_schema()).validate(document)


def test_sarif_is_valid() -> None:
    document = json.loads(sarif.render(REPORT))
    _validate_sarif(document)
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [rule.code for rule in RULES]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    chained = next(r for r in run["results"] if r["ruleId"] == "HEX103")
    hops = chained["relatedLocations"]
    assert [hop["physicalLocation"]["region"]["startLine"] for hop in hops] == [6, 2]
    weird = next(r for r in run["results"] if r["ruleId"] == "HEX604")
    assert weird["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "app/web/schemas/legacy%2Cv1%3Abooks.py",
        "uriBaseId": "%SRCROOT%",
    }


def test_sarif_of_a_real_run_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every real rule's metadata, and real findings, fit the schema."""
    monkeypatch.chdir(HERE.parent / "fixtures" / "bookstore_violations")
    report = hexcheck.check(["."])
    assert report.findings
    rules = all_rules()
    every_rule = replace(report, rule_codes=tuple(rule.code for rule in rules), rule_classes=rules)
    _validate_sarif(json.loads(sarif.render(every_rule)))


def test_schema_copy_matches_the_shared_schema() -> None:
    shared, copy = SCHEMA_PLACES
    if not shared.is_file():
        pytest.skip("no ../shared beside the repository")
    assert json.loads(copy.read_text(encoding="utf-8")) == json.loads(shared.read_text(encoding="utf-8"))


def test_fingerprints_survive_line_shifts_and_tell_twins_apart() -> None:
    prints = sarif.fingerprints(REPORT.findings)
    assert len(set(prints)) == len(prints)
    moved = tuple(
        replace(f, location=replace(f.location, line=f.location.line + 7, end_line=f.location.end_line + 7))
        for f in REPORT.findings
    )
    assert sarif.fingerprints(moved) == prints
    assert [issue["fingerprint"] for issue in json.loads(gitlab.render(REPORT))] == prints


# ------------------------------------------------------------------------ github


def test_github_escapes_exactly_as_the_toolkit() -> None:
    assert github.escape_data("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d"
    assert github.escape_property("100% a\r\nb: c, d") == "100%25 a%0D%0Ab%3A c%2C d"
    lines = github.render(REPORT).splitlines()
    weird = next(line for line in lines if "HEX604" in line)
    assert weird.startswith(
        "::warning file=app/web/schemas/legacy%2Cv1%3Abooks.py,line=9,col=5,endLine=9,endColumn=15,"
        "title=HEX604 weak-dto::"
    )
    assert any("'100%25off'" in line for line in lines)
    assert len(lines) == len(REPORT.findings)


# ------------------------------------------------------------------------ junit


def test_junit_is_well_formed_with_one_case_per_rule() -> None:
    root = ET.fromstring(junit.render(REPORT))
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert [case.get("name", "").split()[0] for case in cases] == [rule.code for rule in RULES]
    failed = [case for case in cases if case.find("failure") is not None]
    assert len(failed) == 6 == int(suite.get("failures", "0"))
    port = next(case for case in failed if case.get("name") == "HEX301 concrete-port")
    failure = port.find("failure")
    assert failure is not None and "& it lives in a <ports> module" in (failure.text or "")


def test_junit_drops_characters_xml_cannot_hold() -> None:
    odd = replace(FINDINGS[0], message="bad \x1b[31m byte \x00")
    root = ET.fromstring(junit.render(replace(REPORT, findings=(odd,))))
    assert root.get("failures") == "1"
