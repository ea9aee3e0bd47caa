"""The `hexcheck` command line (typer): the driving adapter most users meet.

Exit codes: 0 nothing found, 1 findings, 2 usage or configuration error, 3 internal
error, 130 interrupted, 141 stdout closed by its reader. Every error is one clear message
on stderr; `--debug` adds the traceback.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import shlex
import sys
import textwrap
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from hexcheck.adapters.baseline_file import DEFAULT_NAME as DEFAULT_BASELINE
from hexcheck.adapters.baseline_file import display_paths, read_baseline, write_baseline
from hexcheck.adapters.extraction import sequential
from hexcheck.adapters.filesystem import Discovery, discover, source_root
from hexcheck.adapters.pool import collect_rarely, default_jobs
from hexcheck.adapters.pyproject import InitPlan, find_config, load_config
from hexcheck.adapters.runner import ProgressBar, run_check
from hexcheck.core.baseline import Baseline
from hexcheck.core.config import Config
from hexcheck.core.errors import ConfigError, HexcheckError, UsageError
from hexcheck.core.layers import LAYERS, Layer
from hexcheck.core.mapping import LayerProposal
from hexcheck.core.sources import SourceFile
from hexcheck.core.version import VERSION
from hexcheck.engine import Report, build_model

if TYPE_CHECKING:
    from hexcheck.semantics.placement import Placement

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
# Ctrl-C and a reader of stdout that went away (`hexcheck check | head -1`): what a shell
# reports for a process ended by SIGINT and by SIGPIPE, as git and most Unix tools do.
EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 130, 141
BUG_HINT = "this is a bug in hexcheck; rerun with --debug for the traceback and report it"

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Review Python services built in hexagonal architecture, statically.",
    context_settings={"help_option_names": ["-h", "--help"]},
    # Plain help, as click prints it: rich markup would read `[tool.hexcheck]` in a help
    # string as a style tag and drop it.
    rich_markup_mode=None,
)


def _print_version(wanted: bool) -> None:
    if wanted:
        typer.echo(f"hexcheck {VERSION}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_print_version,
            is_eager=True,
            help="Print hexcheck's version and exit.",
        ),
    ] = False,
) -> None:
    """Review Python services built in hexagonal architecture, statically."""


def _formats() -> dict[str, Callable[[Report, bool], str]]:
    from hexcheck.report import FORMATS

    return FORMATS


def _split(values: Sequence[str] | None) -> tuple[str, ...]:
    """`--select HEX1,HEX2 --select HEX3` -> ("HEX1", "HEX2", "HEX3")."""
    found: list[str] = []
    for value in values or ():
        found.extend(part.strip().upper() for part in value.split(",") if part.strip())
    return tuple(found)


def _config(
    paths: Sequence[str], config_file: Path | None, overrides: dict[str, Any]
) -> tuple[Config, str | None]:
    """The settings of a run and the file they come from (None: no file, the defaults)."""
    path = str(config_file) if config_file is not None else find_config(paths[0] if paths else ".")
    if config_file is not None and not config_file.is_file():
        raise UsageError(f"config file not found: {config_file}")
    return load_config(path, overrides or None), path


def _discovery_note(note: str) -> None:
    sys.stderr.write(f"hexcheck: {note}\n")


def _shown(path: str) -> str:
    """`path` as the user would type it where hexcheck runs: relative when inside."""
    absolute = os.path.abspath(path)
    here = os.getcwd()
    if absolute == here:
        return "."
    if absolute.startswith(here.rstrip(os.sep) + os.sep):
        return os.path.relpath(absolute, here)
    return absolute


def _config_note(path: str | None) -> None:
    """Say on stderr which configuration file is in effect, if any."""
    sys.stderr.write(f"hexcheck: config: {_shown(path)}\n" if path else "hexcheck: no config: defaults\n")


def _command(*words: str) -> str:
    """A command line to paste into a shell, each word quoted as needed."""
    return " ".join(shlex.quote(word) for word in words)


class _Project:
    """What a printed hint needs to act on the same project with the same files: the
    paths and the options that choose files and rules, exactly as the user gave them.

    (A plain class: a dataclass costs a millisecond of every run's start-up.)
    """

    __slots__ = ("options", "paths")

    def __init__(
        self,
        paths: Sequence[str] | None,
        config_file: Path | None,
        select: Sequence[str] | None,
        ignore: Sequence[str] | None,
        preset: str | None,
    ) -> None:
        options: list[str] = []
        if config_file is not None:
            options += ["--config", str(config_file)]
        for value in select or ():
            options += ["--select", value]
        for value in ignore or ():
            options += ["--ignore", value]
        if preset:
            options += ["--preset", preset]
        self.paths = tuple(paths or ())
        self.options = tuple(options)

    def command(self, name: str, *extra: str) -> str:
        return _command("hexcheck", name, *self.paths, *self.options, *extra)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from error


# Arguments and options that several commands share; typer reads them from the annotations.
# Each value's metavar is the word its help text uses (typer's defaults are type names).
Paths = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Argument(metavar="PATHS", help="Files or directories (default: .)", show_default=False),
]
Select = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--select", metavar="CODES", help="Only these codes or prefixes (HEX1,HEX604)"),
]
Ignore = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--ignore", metavar="CODES", help="Leave out these codes or prefixes"),
]
Preset = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--preset", metavar="PRESET", help="recommended (default) or strict"),
]
ConfigFile = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--config", metavar="FILE", help="Read settings from FILE"),
]
Jobs = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--jobs", "-j", metavar="N", min=1, help="Parallel processes (default: CPUs)"),
]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache")]
CacheDir = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--cache-dir", metavar="DIR", help="Keep the cache in DIR, not the configured cache-dir"),
]
Debug = Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors")]


@app.command("check")
def check_command(
    paths: Paths = None,
    output_format: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="review, concise, json, sarif, github, gitlab, junit or markdown "
            "(default: review on a terminal, concise otherwise)",
        ),
    ] = None,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--output", "-o", metavar="FILE", help="Write the report to FILE"),
    ] = None,
    select: Select = None,
    ignore: Ignore = None,
    preset: Preset = None,
    config_file: ConfigFile = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even with findings")] = False,
    jobs: Jobs = None,
    no_cache: NoCache = False,
    cache_dir: CacheDir = None,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="Print findings only; the review: one line per group and the summary"
        ),
    ] = False,
    explain: Annotated[
        bool,
        typer.Option("--explain", help="The review: each rule's full why and how to fix, and every place"),
    ] = False,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="After the report, count the findings of each code")
    ] = False,
    baseline_file: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--baseline",
            metavar="FILE",
            help="Report only findings this baseline (from `hexcheck baseline`) lacks",
        ),
    ] = None,
    strict_baseline: Annotated[
        bool,
        typer.Option("--strict-baseline", help="Fail when the baseline holds entries that are fixed"),
    ] = False,
    color: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--color",
            metavar="WHEN",
            help="Colour the review: auto (default: when printing to a terminal, unless "
            "NO_COLOR is set; FORCE_COLOR forces it), always or never",
        ),
    ] = None,
    debug: Debug = False,
) -> None:
    """Check PATHS and report every finding."""

    def run() -> int:
        targets = list(paths or ["."])
        project = _Project(paths, config_file, select, ignore, preset)
        config, config_path = _config(
            targets, config_file, _rule_overrides(select, ignore, preset, cache_dir)
        )
        formats = _formats()
        terminal = output is None and sys.stdout.isatty()
        name = output_format or ("review" if terminal else "concise")
        if name not in formats:
            raise UsageError(f"unknown format {name!r}; choose one of {', '.join(sorted(formats))}")
        colored = _use_color(color, output is None and sys.stdout.isatty())
        if strict_baseline and baseline_file is None:
            raise UsageError("--strict-baseline needs --baseline FILE")
        rewrite = project.command("baseline", "--output", str(baseline_file))
        baseline = None
        if baseline_file is not None:
            baseline = read_baseline(str(baseline_file), rewrite=rewrite).within(display_paths(targets))
        if not quiet:
            _config_note(config_path)
        bar = ProgressBar() if ProgressBar.wanted(quiet) else None
        notes = None if quiet else _discovery_note
        report = run_check(targets, config, jobs or default_jobs(), not no_cache, bar, baseline, notes)
        _write(_render(name, report, colored, terminal, explain, quiet), output)
        if statistics:
            _statistics(report, to_stderr=output is None and name in _machine_formats())
        if not quiet:
            # The review and the markdown summary already say what was checked and found.
            said = output is None and name in ("review", "markdown")
            _baseline_note(report, baseline_file, rewrite, said)
            _layers_warning(report, config_path, targets)
            if not said:
                _closing_note(report)
        fixed = report.baseline.fixed_count if report.baseline is not None else 0
        if strict_baseline and fixed:
            entries = _plural(fixed, "entry", "entries")
            sys.stderr.write(
                f"hexcheck: error: --strict-baseline: {baseline_file} holds {entries} whose "
                f"findings are fixed; rewrite it with `{rewrite}` so that the baseline only shrinks\n"
            )
            return EXIT_FINDINGS
        return EXIT_OK if exit_zero or not report.findings else EXIT_FINDINGS

    raise typer.Exit(_guard(run, debug))


def _render(name: str, report: Report, colored: bool, terminal: bool, explain: bool, quiet: bool) -> str:
    """The report in format `name`; the review fits the terminal (`COLUMNS`, else 88)."""
    if name != "review":
        return _formats()[name](report, colored)
    from hexcheck.report import review

    return review.render(report, colored, review.terminal_width(terminal), explain, quiet)


_COLOR_CHOICES = ("auto", "always", "never")


def _use_color(choice: str | None, to_terminal: bool) -> bool:
    """Whether the review gets ANSI colours: `--color always|never` decides, else a
    non-empty FORCE_COLOR turns them on, else a non-empty NO_COLOR off (no-color.org,
    force-color.org), else they follow whether the report goes to a terminal."""
    if choice is not None and choice not in _COLOR_CHOICES:
        raise UsageError(f"unknown --color {choice!r}; choose one of {', '.join(_COLOR_CHOICES)}")
    if choice in ("always", "never"):
        return choice == "always"
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR"):
        return False
    return to_terminal


def _rule_overrides(
    select: Sequence[str] | None,
    ignore: Sequence[str] | None,
    preset: str | None,
    cache_dir: Path | None = None,
) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    if select:
        overrides["select"] = list(_split(select))
    if ignore:
        overrides["ignore"] = list(_split(ignore))
    if preset:
        overrides["preset"] = preset
    if cache_dir is not None:
        # Relative to where the command runs, as ruff's --cache-dir; the configured
        # `cache-dir` is relative to the configuration file's directory instead.
        overrides["cache-dir"] = os.path.abspath(cache_dir)
    return overrides


def _plural(count: int, word: str, many: str = "") -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


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


def _checked_text(report: Report) -> str:
    """`checked 12 files: domain 3, ..., 2 unlayered; 0 could not be parsed`."""
    coverage = report.coverage
    layers = ", ".join(f"{layer} {count}" for layer, count in coverage.modules_per_layer)
    return (
        f"checked {_plural(coverage.files, 'file')}: {layers}, {coverage.unlayered} unlayered; "
        f"{coverage.unparsable} could not be parsed"
    )


def _findings_text(report: Report) -> str:
    """`3 findings (2 errors, 1 warning)`, or `no findings`."""
    if not report.findings:
        return "no findings"
    severities = Counter(finding.severity.value for finding in report.findings)
    parts = [_plural(severities[name], name) for name in ("error", "warning") if severities[name]]
    parts += [_plural(n, name) for name, n in sorted(severities.items()) if name not in ("error", "warning")]
    return f"{_plural(len(report.findings), 'finding')} ({', '.join(parts)})"


def _closing_note(report: Report) -> None:
    """The last line on stderr: what was checked, and how many findings were reported."""
    sys.stderr.write(f"hexcheck: {_checked_text(report)}; {_findings_text(report)}\n")


def _layers_warning(report: Report, config_path: str | None, targets: Sequence[str]) -> None:
    """Say loudly on stderr when no module could be placed in a layer."""
    coverage = report.coverage
    if coverage.files and not coverage.layered:
        init = _command("hexcheck", "init", *_project_directory(config_path, targets))
        sys.stderr.write(
            f"hexcheck: warning: none of the {coverage.files} modules falls into a layer, so no "
            f"dependency rule could apply; run `{init}` to map your packages to layers\n"
        )


def _project_directory(config_path: str | None, targets: Sequence[str]) -> list[str]:
    """The directory `hexcheck init` should read for a run over `targets`, as a word to
    paste where hexcheck runs ([] for the current directory)."""
    if config_path is not None:
        directory = os.path.dirname(os.path.abspath(config_path))
    else:
        first = os.path.abspath(targets[0])
        directory = first if os.path.isdir(first) else os.path.dirname(first)
    shown = _shown(directory)
    return [] if shown == "." else [shown]


def _baseline_note(report: Report, baseline_file: Path | None, rewrite: str, said: bool) -> None:
    """Say on stderr what the baseline held back (unless the report `said` it) and, when
    entries are fixed, the command that rewrites it for the same project."""
    summary = report.baseline
    if summary is None:
        return
    fixed = ""
    if summary.fixed:
        entries = _plural(summary.fixed_count, "entry", "entries")
        fixed = f"{entries} fixed and can be deleted (`{rewrite}` rewrites it)"
    if said:
        if fixed:
            sys.stderr.write(f"hexcheck: baseline {baseline_file}: {fixed}\n")
        return
    text = f"hexcheck: baseline {baseline_file}: {_plural(summary.known, 'known finding')} not reported"
    sys.stderr.write(text + (f"; {fixed}" if fixed else "") + "\n")


@app.command("baseline")
def baseline_command(
    paths: Paths = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE", help="Write the baseline to FILE")
    ] = Path(DEFAULT_BASELINE),
    select: Select = None,
    ignore: Ignore = None,
    preset: Preset = None,
    config_file: ConfigFile = None,
    jobs: Jobs = None,
    no_cache: NoCache = False,
    cache_dir: CacheDir = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors")] = False,
    debug: Debug = False,
) -> None:
    """Record today's findings in a baseline file.

    `hexcheck check --baseline FILE` then reports only the findings the file lacks.
    """

    def run() -> int:
        targets = list(paths or ["."])
        project = _Project(paths, config_file, select, ignore, preset)
        config, config_path = _config(
            targets, config_file, _rule_overrides(select, ignore, preset, cache_dir)
        )
        if not quiet:
            _config_note(config_path)
        bar = ProgressBar() if ProgressBar.wanted(quiet) else None
        notes = None if quiet else _discovery_note
        report = run_check(targets, config, jobs or default_jobs(), not no_cache, bar, notes=notes)
        baseline = Baseline.of(report.findings)
        write_baseline(str(output), baseline)
        if not quiet:
            _layers_warning(report, config_path, targets)
            sys.stderr.write(
                f"hexcheck: {_checked_text(report)}; wrote {output}: {_plural(baseline.total, 'finding')} "
                f"in {_plural(len(baseline.entries), 'entry', 'entries')}; check against it with "
                f"`{project.command('check', '--baseline', str(output))}`\n"
            )
        return EXIT_OK

    raise typer.Exit(_guard(run, debug))


@app.command("init")
def init_command(
    path: Annotated[
        Path, typer.Argument(metavar="PATH", help="The project's directory (default: .)", show_default=False)
    ] = Path("."),
    write: Annotated[
        bool,
        typer.Option(
            "--write",
            help="Merge the mapping into [tool.hexcheck] of the project's pyproject.toml "
            "(hand-written entries stay)",
        ),
    ] = False,
    debug: Debug = False,
) -> None:
    """Detect each module's layer and propose [tool.hexcheck].

    Prints the mapping `hexcheck check` uses today, the detected one, and the change to
    pyproject.toml as a unified diff; --write applies it.
    """

    def run() -> int:
        from hexcheck.adapters.pyproject import apply_init, init_target, plan_init
        from hexcheck.core.mapping import propose

        if not path.is_dir():
            raise UsageError(f"not a directory: {path}")
        directory = os.path.abspath(path)
        config, config_path = _config([directory], None, {})
        found = discover([directory], config)
        files = found.files
        # Names and content (SPEC §1): the facts are read once, for the placement.
        facts = sequential(config)(files)
        model = build_model(files, config, lambda _: facts)
        from hexcheck.semantics.placement import placement  # only `init` reads the evidence

        placed = placement(model)
        proposal = propose((file.module for file in files), placed.detected)
        roots = sorted({source_root(file) for file in files})
        shown_roots = [os.path.relpath(root, directory).replace(os.sep, "/") for root in roots]
        source_roots = [] if shown_roots in ([], ["."]) else shown_roots
        packages = {file.module for file in files if file.is_package}
        typer.echo(_init_text(path, proposal, packages, shown_roots, config_path), nl=False)
        typer.echo(_import_roots_text(found, directory), nl=False)
        if not proposal.modules:
            return EXIT_OK
        typer.echo(_packages_text(placed), nl=False)
        typer.echo(_today_text(config, config_path, proposal, model.layer), nl=False)
        target = init_target(directory)
        shown_target = _shown(target)
        plan = plan_init(target, source_roots, proposal, config.layers.use_defaults)
        typer.echo(_kept_text(plan, shown_target), nl=False)
        here = [] if str(path) == "." else [str(path)]
        if not plan.changes:
            typer.echo(f"\n{shown_target} already holds this mapping; nothing to change.")
        else:
            typer.echo(f"\n{'Changes to' if write else 'Proposed changes to'} {shown_target}:\n")
            typer.echo(_diff(plan.before, plan.after, shown_target), nl=False)
            if not write:
                typer.echo(
                    f"\nReview them, then apply them with `{_command('hexcheck', 'init', *here, '--write')}`."
                )
                return EXIT_OK
            apply_init(plan)
            typer.echo(f"\nWrote {shown_target}.")
        baseline = os.path.join(*here, DEFAULT_BASELINE)
        record = _command("hexcheck", "baseline", *here, "--output", baseline)
        compare = _command("hexcheck", "check", *here, "--baseline", baseline)
        typer.echo(
            f"Next: `{record}` records today's findings, `{compare}` reports only new ones "
            "(see docs/adoption.md)."
        )
        return EXIT_OK

    raise typer.Exit(_guard(run, debug))


def _diff(before: str, after: str, shown: str) -> str:
    """A unified diff of the file, as `git diff` prints it (a new file from /dev/null)."""
    lines = difflib.unified_diff(
        before.replace("\r\n", "\n").splitlines(keepends=True),
        after.replace("\r\n", "\n").splitlines(keepends=True),
        fromfile=shown if before else "/dev/null",
        tofile=shown,
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _packages_text(placed: Placement) -> str:
    """One line a package: its layer, the evidence for it, and any contradiction."""
    from hexcheck.semantics.placement import MIN_KINDS  # as `init` does: only it reads evidence

    lines = ["", "Packages (layer: name, content evidence):"]
    for package, verdict in sorted(placed.packages.items()):
        content = verdict.content
        evidence = []
        if verdict.name.layer is not None:
            evidence.append(f"named {verdict.name.layer.value} (`{verdict.name.component}`)")
        if content is not None:
            evidence.append(
                f"{content.layer.value} content: {content.describe()} "
                f"({content.agreeing} of {content.evidenced} modules)"
            )
        else:
            evidence.append("no layer's content dominates (modules placed one by one)")
        if verdict.contradiction:
            evidence.append(f"contradicts its name: checked as {_layer_name(verdict.layer)} (HEX105)")
        elif verdict.moved and verdict.name.strong:
            evidence.append(
                f"ports filed under their concern's name, checked as {_layer_name(verdict.layer)}"
            )
        elif verdict.moved:
            evidence.append(f"weak name, checked as {_layer_name(verdict.layer)}")
        if verdict.name.layer is None and content is not None:
            # Content places an unnamed package's modules one by one, where they show it.
            if verdict.places_its_modules:
                evidence.append(f"its modules that show {content.layer.value} code are placed so")
            else:
                evidence.append(
                    f"too little to place it (it takes {MIN_KINDS} kinds of evidence and the "
                    "layer's anchor); each module is placed by its own evidence"
                )
            layer = "no name"
        else:
            layer = _layer_name(verdict.layer)
        # Say the layer the package's modules are checked as, not one none of them gets
        # (a `mappers/` named web whose mappers convert rows are infrastructure).
        checked = placed.module_layers(package)
        if checked and set(checked) != {verdict.layer} and layer != "no name":
            if len(checked) == 1:
                layer = _layer_name(next(iter(checked)))
                evidence.append(f"its modules are checked as {layer}, each by what it does")
            else:
                layer = "mixed"
                counts = ", ".join(
                    f"{checked[each]} {_layer_name(each)}"
                    for each in sorted(checked, key=lambda each: LAYERS.index(each) if each else len(LAYERS))
                )
                evidence.append(f"its modules are checked as {counts}, each by its own evidence")
        lines += textwrap.wrap(
            f"{package}: {layer}; {'; '.join(evidence)}",
            88,
            initial_indent="  ",
            subsequent_indent="      ",
            break_on_hyphens=False,
        )
    return "\n".join(lines) + "\n"


def _today_text(
    config: Config, config_path: str | None, proposal: LayerProposal, layer_of: Callable[[str], Layer | None]
) -> str:
    """The mapping `hexcheck check` uses today: the same as the detection, or its counts
    per layer and the modules it places elsewhere."""
    today = {module: layer_of(module) for module, _ in proposal.modules}
    moved: dict[tuple[str, str], list[str]] = {}
    for module, detected in proposal.modules:
        if today[module] is not detected:
            key = (_layer_name(today[module]), _layer_name(detected))
            moved.setdefault(key, []).append(module)
    if not moved:
        return "\n`hexcheck check` places every module so today.\n"
    source = f"{_shown(config_path)}'s [tool.hexcheck.layers]" if config_path else "the defaults"
    if config.layers.use_defaults:
        source += ", then the built-in detection"
    width = max(len(layer.value) for layer in LAYERS)
    lines = [""]
    lines += textwrap.wrap(f"`hexcheck check` places them so today ({source}):", 88)
    lines.append(f"  {'layer':<{width}}  {'modules':>7}")
    counts = Counter(today.values())
    lines += [f"  {layer.value:<{width}}  {counts[layer]:>7}" for layer in LAYERS]
    lines.append(f"  {'unplaced':<{width}}  {counts[None]:>7}")
    lines.append("Elsewhere than detected:")
    for (now, was), modules in sorted(moved.items()):
        lines += textwrap.wrap(
            f"{', '.join(modules)}: {now} (detected: {was})",
            88,
            initial_indent="  ",
            subsequent_indent="    ",
            break_on_hyphens=False,
        )
    return "\n".join(lines) + "\n"


def _layer_name(layer: Layer | None) -> str:
    return layer.value if layer is not None else "unplaced"


def _kept_text(plan: InitPlan, shown_target: str) -> str:
    """The hand-written entries `hexcheck init` keeps although the detection disagrees."""
    lines: list[str] = []
    for found in plan.merge.disagreements:
        modules = ", ".join(found.modules[:3]) + (
            f" and {len(found.modules) - 3} more" if len(found.modules) > 3 else ""
        )
        lines.append(
            f'  {found.layer.value} = "{found.pattern}" places {modules} (detected: {found.detected.value})'
        )
    for layer, pattern in plan.merge.unused:
        lines.append(f'  {layer.value} = "{pattern}" matches no module')
    if plan.kept_source_roots is not None:
        lines.append(f"  source-roots = {json.dumps(list(plan.kept_source_roots))} (detected: other roots)")
    if not lines:
        return ""
    header = f"Kept as written in {shown_target}, though the detection disagrees (edit them if it is right):"
    return "\n" + "\n".join([header, *lines]) + "\n"


def _import_roots_text(found: Discovery, directory: str) -> str:
    """The import roots chosen from the evidence, each with the imports it resolves."""
    if not found.roots:
        return ""
    shown = [
        (
            os.path.relpath(os.path.join(found.project_root, *root.folder), directory).replace(os.sep, "/"),
            root.resolved,
        )
        for root in found.roots
    ]
    width = max(len(name) for name, _ in shown)
    lines = ["Import roots, chosen by the imports they resolve:"]
    lines += [f"  {name:<{width}}  {_plural(count, 'import')}" for name, count in shown]
    lines += [f"  note: {note}" for note in found.notes]
    return "\n" + "\n".join(lines) + "\n"


def _init_text(
    path: Path, proposal: LayerProposal, packages: set[str], roots: Sequence[str], config_path: str | None
) -> str:
    """What `hexcheck init` found: modules per layer with their patterns, and the rest."""
    total = len(proposal.modules)
    lines = [
        f"hexcheck init: {_plural(total, 'module')} in {path} (source roots: {', '.join(roots) or '-'})",
        f"config: {_shown(config_path)}" if config_path else "no config: defaults",
        "",
    ]
    if not total:
        return "\n".join([*lines, "No Python module found; is this the project's directory?", ""])
    width = max(len(layer.value) for layer in LAYERS)
    lines.append("The built-in detection places them so:")
    lines.append(f"  {'layer':<{width}}  {'modules':>7}  patterns")
    for layer in LAYERS:
        patterns = ", ".join(proposal.patterns_of(layer)) or "-"
        row = f"  {layer.value:<{width}}  {proposal.count(layer):>7}  "
        lines += textwrap.wrap(patterns, 88, initial_indent=row, subsequent_indent=" " * len(row))
    unplaced = proposal.unplaced
    lines.append(f"  {'unplaced':<{width}}  {len(unplaced):>7}")
    if len(unplaced) == total:
        lines.append("")
        lines += textwrap.wrap(
            "No module falls into a layer: none of this project's package names is one hexcheck "
            "knows. Write the [tool.hexcheck.layers] table by hand (docs/configuration.md).",
            88,
        )
    if unplaced:
        lines.append("")
        lines += textwrap.wrap(
            "Not placed (unlayered: their own imports are not checked, chains through them are); "
            "give those that belong to a layer a pattern in [tool.hexcheck.layers]:",
            88,
        )
        lines += [f"  {module}{' (package)' if module in packages else ''}" for module in unplaced]
    return "\n".join(lines) + "\n"


def _source_lines(files: Sequence[SourceFile], report: Report, max_bytes: int) -> dict[str, list[str]]:
    """The lines of each file with a finding, for the HTML report; a file that cannot be
    read or decoded now, or is over `max-file-bytes`, simply shows no source lines."""
    wanted = {finding.location.path for finding in report.findings}
    lines: dict[str, list[str]] = {}
    for source in files:
        if source.display_path not in wanted:
            continue
        try:
            with open(source.path, "rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError:
            continue
        if len(data) <= max_bytes:
            lines[source.display_path] = data.decode("utf-8", errors="replace").splitlines()
    return lines


@app.command("graph")
def graph_command(
    paths: Paths = None,
    output_format: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help="json, dot, mermaid or html")
    ] = "json",
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--output", "-o", metavar="FILE", help="Write the graph to FILE"),
    ] = None,
    config_file: ConfigFile = None,
    debug: Debug = False,
) -> None:
    """Print the module import graph and the layer graph.

    The html format shows both with the review.
    """

    def run() -> int:
        from hexcheck.engine import check
        from hexcheck.report import graph

        targets = list(paths or ["."])
        config, config_path = _config(targets, config_file, {})
        renderers = graph.RENDERERS
        if output_format not in renderers:
            raise UsageError(f"unknown graph format {output_format!r}; choose one of {', '.join(renderers)}")
        _config_note(config_path)
        found = discover(targets, config)
        for note in found.notes:
            _discovery_note(note)
        facts = sequential(config)(found.files)  # parsed once, for the model and the findings
        model = build_model(found.files, config, lambda files: facts)
        report = check(
            found.files,
            config,
            lambda files: facts,
            found.problems,
            left_out=found.left_out,
            requested=found.requested,  # the layer graph is the whole project's; findings, those asked for
        )
        if output_format == "html":
            _write(
                graph.render_html(model, report, _source_lines(found.files, report, config.max_file_bytes)),
                output,
            )
        else:
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
    code: Annotated[str, typer.Argument(metavar="CODE", help="A rule code, like HEX101")],
) -> None:
    """Print a rule's documentation: why, how to fix, examples."""

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
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as error:  # the last line of defence: exit 3, never a traceback
        if debug or os.environ.get("HEXCHECK_DEBUG"):
            traceback.print_exc()
        sys.stderr.write(f"hexcheck: internal error: {type(error).__name__}: {error}\n{BUG_HINT}\n")
        return EXIT_INTERNAL


# `hexcheck check`'s options as `_plain_check` reads them: spelling -> (parameter, kind).
# A test holds this table to the options `check_command` declares.
_CHECK_OPTIONS: dict[str, tuple[str, str]] = {
    "--format": ("output_format", "text"),
    "--output": ("output", "path"),
    "-o": ("output", "path"),
    "--select": ("select", "texts"),
    "--ignore": ("ignore", "texts"),
    "--preset": ("preset", "text"),
    "--config": ("config_file", "path"),
    "--exit-zero": ("exit_zero", "flag"),
    "--jobs": ("jobs", "count"),
    "-j": ("jobs", "count"),
    "--no-cache": ("no_cache", "flag"),
    "--cache-dir": ("cache_dir", "path"),
    "--quiet": ("quiet", "flag"),
    "-q": ("quiet", "flag"),
    "--statistics": ("statistics", "flag"),
    "--explain": ("explain", "flag"),
    "--baseline": ("baseline_file", "path"),
    "--strict-baseline": ("strict_baseline", "flag"),
    "--color": ("color", "text"),
    "--debug": ("debug", "flag"),
}


def _plain_check(argv: Sequence[str]) -> dict[str, Any] | None:
    """The arguments typer would call `check_command` with for `argv`, if it is a plain
    `check` command line; None for anything else, which typer then parses.

    Why not always typer: recent typer (0.29 here) converts every parameter value that
    is not a flag through a pydantic TypeAdapter it builds while parsing, whatever the
    annotation (str, int, Path, list[str] alike), so any `check` command line imports
    pydantic and builds a dozen adapters: about 0.1 s of a 0.4 s run whose report comes
    from the cache. So `main` reads the common, unambiguous spellings itself: known
    options written out, each value as the next argument, values no conversion could
    reject. Everything else (--help, --opt=value, -qj2, `--`, repeated options, typos,
    values typer would refuse or treat specially) goes to typer, whose messages and
    behaviour thereby stay the only ones. A test compares the two on both kinds of lines.
    """
    if not argv or argv[0] != "check":
        return None
    if os.name == "nt" and any(char in arg for arg in argv for char in "*?[~$%"):
        return None  # click expands globs, `~` and variables on Windows
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return None  # a shell-completion request, which click answers
    found: dict[str, Any] = {}
    paths: list[str] = []
    tokens = iter(argv[1:])
    for token in tokens:
        if not token:
            return None
        if not token.startswith("-"):
            paths.append(token)
            continue
        known = _CHECK_OPTIONS.get(token)
        if known is None:
            return None
        name, kind = known
        if kind == "flag":
            if name in found:
                return None
            found[name] = True
            continue
        value = next(tokens, None)
        if not value or value.startswith("-"):
            return None  # a missing value, or one typer might read as an option
        if kind == "texts":
            found.setdefault(name, []).append(value)
            continue
        if name in found:
            return None
        if kind == "count":
            # What int() and `min=1` surely accept; "0", "+2", "2_0" and " 2" go to typer.
            if not (value.isascii() and value.isdigit() and value[0] != "0"):
                return None
            found[name] = int(value)
        elif kind == "path":
            if not _readable_or_absent(value):
                return None  # typer refuses an existing path it cannot read
            found[name] = Path(value)
        else:
            found[name] = value
    if paths:
        found["paths"] = paths
    return found


def _readable_or_absent(path: str) -> bool:
    """Whether typer would take `path` for a Path option as given (it checks only paths
    that exist, and by default wants them readable)."""
    try:
        os.stat(path)
    except OSError:
        return True
    except ValueError:
        return False  # a NUL byte: whatever typer does with it, let it do it
    return os.access(path, os.R_OK)


def run_command(argv: Sequence[str]) -> None:
    """Run one command line (without the program name); exits with its code."""
    arguments = _plain_check(list(argv))
    if arguments is None:
        app(list(argv))
        return
    try:
        check_command(**arguments)
    except typer.Exit as done:
        sys.exit(done.exit_code)


def main() -> None:
    """The console script's entry point: run the command, then leave at once.

    At exit the interpreter frees every fact of the run one object at a time and
    collects them once more: 1.2 s after a check of 2,000 modules, more than a whole warm
    run. By then the output is written and flushed, the cache closed and the workers
    joined, so, as mypy does, the process ends without that teardown.
    """
    collect_rarely()
    try:
        run_command(sys.argv[1:])
    except SystemExit as done:
        code = done.code
    else:
        code = 0
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)  # what the interpreter does with `sys.exit("text")`
        code = 1
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # `hexcheck check | head`
        code = EXIT_BROKEN_PIPE
    except OSError as error:  # a full disk behind a redirection, say
        sys.stderr.write(f"hexcheck: error: cannot write the output: {error.strerror or error}\n")
        code = EXIT_USAGE
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    with contextlib.suppress(Exception):  # measuring must never change the exit
        _save_coverage()
    os._exit(code or 0)


def _silence_stdout() -> None:
    """Point stdout at the null device: what is still buffered for a reader that left must
    not fail again when the interpreter flushes it."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _save_coverage() -> None:
    """Save a running coverage measurement, which `os._exit` would otherwise lose: the
    test suite measures the console script in subprocesses."""
    coverage = sys.modules.get("coverage")
    current = coverage.Coverage.current() if coverage is not None else None
    if current is not None:
        current.stop()
        current.save()
