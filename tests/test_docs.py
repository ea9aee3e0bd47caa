"""The generated documentation is fresh: `docs/rules/` is what the rule classes say."""

from __future__ import annotations

from pathlib import Path

from hexcheck.report.rule_docs import is_rule_page, pages
from hexcheck.rules.registry import all_rules

DOCS = Path(__file__).resolve().parent.parent / "docs"
REGENERATE = "regenerate with `python -m hexcheck.report.rule_docs docs/rules`"


def test_rule_pages_are_fresh() -> None:
    wanted = pages()
    directory = DOCS / "rules"
    present = {p.name for p in directory.iterdir() if is_rule_page(p.name) or p.name == "index.md"}
    assert present == set(wanted), f"docs/rules/ has other pages than the rules; {REGENERATE}"
    stale = [
        name
        for name, text in sorted(wanted.items())
        if (directory / name).read_text(encoding="utf-8") != text
    ]
    assert not stale, f"stale pages {stale}; {REGENERATE}"


def test_every_rule_has_a_page_linked_from_the_index() -> None:
    index = (DOCS / "rules" / "index.md").read_text(encoding="utf-8")
    for rule in all_rules():
        assert f"[{rule.code}]({rule.code}.md)" in index


def test_configuration_documents_every_key() -> None:
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    keys = (
        "source-roots", "exclude", "extend-exclude", "preset", "select", "ignore",
        "per-file-ignores", "type-checking-imports", "allowed-edges", "cache-dir",
        "parse-timeout", "max-file-bytes", "max-port-methods", "max-handler-statements",
        "default-layers", "[tool.hexcheck.layers]", "extend-allow", "extend-forbid",
    )  # fmt: skip
    missing = [key for key in keys if f"`{key}" not in text and key not in text]
    assert not missing, f"docs/configuration.md does not document {missing}"
