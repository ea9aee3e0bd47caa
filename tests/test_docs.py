"""The generated documentation is fresh: `docs/rules/` is what the rule classes say."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer.main
from typer.testing import CliRunner

from hexcheck.adapters.cli import app
from hexcheck.report.rule_docs import is_rule_page, pages
from hexcheck.rules.registry import all_rules

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
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
        "respect-gitignore",
    )  # fmt: skip
    missing = [key for key in keys if f"`{key}" not in text and key not in text]
    assert not missing, f"docs/configuration.md does not document {missing}"


# ------------------------------------------------------------- docs and the CLI agree


def _commands() -> dict[str, Any]:
    """The commands of `hexcheck` (click commands, as typer builds them), by name."""
    return dict(getattr(typer.main.get_command(app), "commands", {}))


def _options(command: Any) -> set[str]:
    return {
        name
        for param in command.params
        if param.param_type_name == "option"
        for name in (*param.opts, *param.secondary_opts)
    }


def _user_docs() -> dict[str, str]:
    """README.md and every page of docs/, by path."""
    paths = [REPO / "README.md", *sorted(DOCS.rglob("*.md"))]
    return {path.relative_to(REPO).as_posix(): path.read_text(encoding="utf-8") for path in paths}


def _cli_sections() -> dict[str, str]:
    """docs/cli.md's sections, `## hexcheck NAME` (in backticks), by command name."""
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    parts = re.split(r"^## `hexcheck (\w+)`$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_command_and_option_of_the_help_is_documented() -> None:
    sections = _cli_sections()
    commands = _commands()
    assert set(sections) == set(commands), "docs/cli.md needs one section per command, no more"
    for name, command in commands.items():
        documented = set(re.findall(r"^\| `(-[^`]+)`(?:, `(-[^`]+)`)?", sections[name], flags=re.MULTILINE))
        spelled = {option.split()[0] for pair in documented for option in pair if option}
        assert spelled == _options(command) - {"-h", "--help"}, f"docs/cli.md, hexcheck {name}"
    top = typer.main.get_command(app)
    overview = (DOCS / "cli.md").read_text(encoding="utf-8").split("\n## ", 1)[0]
    for option in _options(top) - {"-h", "--help"}:
        assert f"`{option}`" in overview, f"docs/cli.md does not document hexcheck {option}"


_MENTION = re.compile(r"\bhexcheck (check|baseline|init|graph|rules|explain|version)\b([^`\n]*)")
_OPTION = re.compile(r"(?<![\w-])(--?[a-zA-Z][\w-]*)")


def test_every_option_the_docs_show_exists() -> None:
    commands = _commands()
    everywhere = {"-h", "--help", "-V", "--version"}
    wrong = []
    for path, text in _user_docs().items():
        for match in _MENTION.finditer(text):
            options = _options(commands[match.group(1)]) | everywhere
            for option in _OPTION.findall(match.group(2)):
                if option not in options:
                    wrong.append(f"{path}: hexcheck {match.group(1)} {option}")
    assert not wrong, wrong


def test_the_docs_stand_alone() -> None:
    """Users have neither SPEC.md nor a `hexcheck` on PyPI, nor an `<owner>` to fill in."""
    texts = {**_user_docs(), ".pre-commit-hooks.yaml": (REPO / ".pre-commit-hooks.yaml").read_text()}
    for path, text in texts.items():
        assert not re.search(r"\bSPEC\b", text), f"{path} cites SPEC"
        # Commands are in code blocks (`pip install hexcheck` in prose warns against it).
        code = "\n".join(re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL))
        if path.endswith(".yaml"):
            code = text
        assert not re.search(r"pip install (-\S+ )*(flake8 )?hexcheck\b", code), (
            f"{path}: pip install hexcheck"
        )
        assert "<owner>" not in text, f"{path} has an <owner> placeholder"
    for rule in all_rules():
        explained = CliRunner().invoke(app, ["explain", rule.code])
        assert explained.exit_code == 0 and not re.search(r"\bSPEC\b", explained.stdout), rule.code
