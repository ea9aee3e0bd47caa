"""The `hexcheck` command line (typer): the driving adapter most users meet.

Exit codes: 0 nothing found, 1 findings, 2 usage or configuration error, 3 internal
error. Every error is one clear message on stderr; `--debug` adds the traceback.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from hexcheck.adapters.extraction import sequential
from hexcheck.adapters.filesystem import discover
from hexcheck.adapters.pool import default_jobs
from hexcheck.adapters.pyproject import find_config, load_config
from hexcheck.adapters.runner import ProgressBar, run_check
from hexcheck.core.config import Config
from hexcheck.core.errors import ConfigError, HexcheckError, UsageError
from hexcheck.core.version import VERSION
from hexcheck.engine import Report, build_model

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
BUG_HINT = "this is a bug in hexcheck; rerun with --debug for the traceback and report it"

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Review Python services built in hexagonal architecture, statically.",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _formats() -> dict[str, Callable[[Report, bool], str]]:
    from hexcheck.report import FORMATS

    return FORMATS


def _split(values: Sequence[str] | None) -> tuple[str, ...]:
    """`--select HEX1,HEX2 --select HEX3` -> ("HEX1", "HEX2", "HEX3")."""
    found: list[str] = []
    for value in values or ():
        found.extend(part.strip().upper() for part in value.split(",") if part.strip())
    return tuple(found)


def _config(paths: Sequence[str], config_file: Path | None, overrides: dict[str, Any]) -> Config:
    path = str(config_file) if config_file is not None else find_config(paths[0] if paths else ".")
    if config_file is not None and not config_file.is_file():
        raise UsageError(f"config file not found: {config_file}")
    return load_config(path, overrides or None)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from error


@app.command("check")
def check_command(
    paths: Annotated[Optional[list[str]], typer.Argument(help="Files or directories (default: .)")] = None,  # noqa: UP045
    output_format: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--format",
            help="review, concise, json, sarif, github, gitlab, junit or markdown "
            "(default: review on a terminal, concise otherwise)",
        ),
    ] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to FILE")] = None,  # noqa: UP045
    select: Annotated[
        Optional[list[str]], typer.Option(help="Only these codes or prefixes (HEX1,HEX604)")  # noqa: UP045
    ] = None,
    ignore: Annotated[Optional[list[str]], typer.Option(help="Leave out these codes or prefixes")] = None,  # noqa: UP045
    preset: Annotated[Optional[str], typer.Option(help="recommended (default) or strict")] = None,  # noqa: UP045
    config_file: Annotated[Optional[Path], typer.Option("--config", help="Read settings from FILE")] = None,  # noqa: UP045
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even with findings")] = False,
    jobs: Annotated[
        Optional[int], typer.Option("--jobs", "-j", min=1, help="Parallel processes (default: CPUs)")  # noqa: UP045
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print findings only")] = False,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="After the report, count the findings of each code")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors")] = False,
) -> None:
    """Check PATHS and report every finding."""

    def run() -> int:
        targets = list(paths or ["."])
        overrides: dict[str, Any] = {}
        if select:
            overrides["select"] = list(_split(select))
        if ignore:
            overrides["ignore"] = list(_split(ignore))
        if preset:
            overrides["preset"] = preset
        config = _config(targets, config_file, overrides)
        formats = _formats()
        terminal = output is None and sys.stdout.isatty()
        name = output_format or ("review" if terminal else "concise")
        if name not in formats:
            raise UsageError(f"unknown format {name!r}; choose one of {', '.join(sorted(formats))}")
        bar = ProgressBar() if ProgressBar.wanted(quiet) else None
        report = run_check(targets, config, jobs or default_jobs(), not no_cache, bar)
        color = terminal and not os.environ.get("NO_COLOR")
        _write(formats[name](report, color), output)
        if statistics:
            _statistics(report, to_stderr=output is None and name in _machine_formats())
        if not quiet:
            _coverage_note(report)
        return EXIT_OK if exit_zero or not report.findings else EXIT_FINDINGS

    raise typer.Exit(_guard(run, debug))


def _machine_formats() -> frozenset[str]:
    from hexcheck.report import MACHINE_FORMATS

    return MACHINE_FORMATS


def _statistics(report: Report, to_stderr: bool) -> None:
    """flake8's `--statistics`: `count code name` per code, by code.

    On stdout after the report, except when stdout carries a format read by programs
    (json, sarif, gitlab, junit), which extra lines would break: then on stderr.
    """
    counts = Counter(finding.code for finding in report.findings)
    names = {finding.code: finding.name for finding in report.findings}
    text = "".join(f"{counts[code]:<5} {code} {names[code]}\n" for code in sorted(counts))
    stream = sys.stderr if to_stderr else sys.stdout
    stream.write(text)
    stream.flush()


def _coverage_note(report: Report) -> None:
    """Say on stderr what was checked, loudly when nothing could be placed in a layer."""
    coverage = report.coverage
    if coverage.files and not coverage.layered:
        sys.stderr.write(
            f"hexcheck: warning: none of the {coverage.files} modules falls into a layer, so no "
            "dependency rule could apply; run `hexcheck init` to map your packages to layers\n"
        )


@app.command("graph")
def graph_command(
    paths: Annotated[Optional[list[str]], typer.Argument(help="Files or directories (default: .)")] = None,  # noqa: UP045
    output_format: Annotated[str, typer.Option("--format", help="json, dot, mermaid or html")] = "json",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the graph to FILE")] = None,  # noqa: UP045
    config_file: Annotated[Optional[Path], typer.Option("--config", help="Read settings from FILE")] = None,  # noqa: UP045
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors")] = False,
) -> None:
    """Print the module import graph and the layer graph (html: with the review)."""

    def run() -> int:
        from hexcheck.engine import check
        from hexcheck.report import graph

        targets = list(paths or ["."])
        config = _config(targets, config_file, {})
        renderers = graph.RENDERERS
        if output_format not in renderers:
            raise UsageError(f"unknown graph format {output_format!r}; choose one of {', '.join(renderers)}")
        found = discover(targets, config)
        facts = sequential(config)(found.files)  # parsed once, for the model and the findings
        model = build_model(found.files, config, lambda files: facts)
        report = check(found.files, config, lambda files: facts, found.problems)
        _write(renderers[output_format](model, report), output)
        return EXIT_OK

    raise typer.Exit(_guard(run, debug))


@app.command("rules")
def rules_command() -> None:
    """List every rule: code, name, severity, preset and what it finds."""
    from hexcheck.rules.registry import all_rules

    rows = [("CODE", "NAME", "SEVERITY", "PRESET", "FINDS")]
    rows += [(r.code, r.name, r.severity.value, r.preset, r.summary) for r in all_rules()]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)]
        typer.echo("  ".join([*cells, row[4]]))


@app.command("explain")
def explain_command(
    code: Annotated[str, typer.Argument(help="A rule code, like HEX101")],
) -> None:
    """Print a rule's documentation: what it finds, why, how to fix, examples."""

    def run() -> int:
        from hexcheck.report.rule_docs import rule_page
        from hexcheck.rules.registry import rule_for

        typer.echo(rule_page(rule_for(code)), nl=False)
        return EXIT_OK

    raise typer.Exit(_guard(run, debug=False))


@app.command("version")
def version_command() -> None:
    """Print hexcheck's version."""
    typer.echo(f"hexcheck {VERSION}")


def _guard(run: Callable[[], int], debug: bool) -> int:
    """Run a command; turn every error into a message and an exit code, never a traceback."""
    try:
        return run()
    except ConfigError as error:
        sys.stderr.write(f"hexcheck: error: invalid configuration in {error.source}:\n")
        for problem in error.problems:
            sys.stderr.write(f"  - {problem}\n")
        return EXIT_USAGE
    except (UsageError, HexcheckError) as error:
        sys.stderr.write(f"hexcheck: error: {error}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("hexcheck: interrupted\n")
        return 130
    except Exception as error:  # the last line of defence: exit 3, never a traceback
        if debug or os.environ.get("HEXCHECK_DEBUG"):
            traceback.print_exc()
        sys.stderr.write(f"hexcheck: internal error: {type(error).__name__}: {error}\n{BUG_HINT}\n")
        return EXIT_INTERNAL


def main() -> None:
    """The console script's entry point."""
    app()
