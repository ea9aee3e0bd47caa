"""The flake8 plugin: hexcheck's findings in every editor and CI job that runs flake8.

Registered as the `flake8.extension` entry point `HEX`, so `flake8 --select HEX` shows,
for each file flake8 lints, the findings `hexcheck check` reports for that file, the
cross-file ones (layer dependencies, chains through unlayered modules, import cycles,
adapters against their ports) included.

How a file's findings are found:

- The file's project is found as the CLI finds it (`filesystem.project_root`): the
  directory of the nearest hexcheck configuration (`.hexcheck.toml`, `hexcheck.toml`, or
  a `pyproject.toml` with `[tool.hexcheck]`), else the version-control root, else the
  topmost directory with packaging metadata, else the directory above the file's top
  package (climbing while `__init__.py` exists), which is where Python would import it from.
- The whole project is checked once per process by the CLI's own code path
  (`runner.run_check`: discovery, the facts cache in the configured cache directory,
  the engine), exactly as `hexcheck check <project>` would from the same working
  directory, so a flake8 run after `hexcheck check` reuses its parsed facts and the other
  way round. The findings are kept in a module-level cache keyed by project root,
  configuration file (and its mtime) and `--disable-noqa`; every later file of the same
  project is a dictionary lookup.
- flake8 runs plugins in several worker processes with `--jobs` (the default on more than
  one CPU): each worker checks the project once, so a run costs up to `jobs` project
  checks, most of them served by the facts cache. That is accepted: sharing results
  between flake8's workers would need state outside flake8's model. The workers are
  daemonic, so the check lifts that flag while it runs (see `_children_allowed`).
- A long-lived process (an editor's in-process linter) sees a file's edits: when the
  linted file changed on disk since the project was checked, the project is checked again.
- `per-file-ignores`, `select`, `ignore` and `preset` from `[tool.hexcheck]` apply,
  since the engine applies them. flake8's own `--select`/`--ignore`/`--per-file-ignores`
  apply on top, as for any plugin.
- `# noqa`: flake8 applies its own `# noqa` to whatever a plugin yields, so hexcheck's
  suppression is not needed for flake8's sake. The plugin keeps it anyway: the two
  parsers differ at the edges (hexcheck accepts `#noqa` without a space, flake8 does not),
  and results must be those of the CLI. The cost is a comparison per finding with the few
  `# noqa` comments of its file. With `flake8 --disable-noqa` both are off: the plugin
  drops hexcheck's suppressions too, so that flag shows everything.
- Column numbers are 0-based as flake8 expects (hexcheck's `Location.column` is 0-based;
  flake8 prints it plus one, as the concise format does).

Known differences from the CLI, all on flake8's side:
- flake8 runs no plugin on a file Python cannot parse; it reports `E999` there instead of
  hexcheck's `HEX900`.
- flake8 applies a `# noqa` at the end of a multi-line statement to every line of it;
  hexcheck only to the line it is on.
- Read from standard input (`flake8 -`), the plugin checks the files on disk: with
  `--stdin-display-name PATH` it reports PATH's findings as saved, without it nothing.

The plugin never crashes flake8: any error becomes one `HEX900` finding at line 1 of the
file being linted, describing it.
"""

from __future__ import annotations

import ast
import contextlib
import multiprocessing
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from hexcheck.core.version import VERSION

if TYPE_CHECKING:
    from hexcheck.adapters.filesystem import Discovery
    from hexcheck.core.config import Config
    from hexcheck.core.facts import ModuleFacts
    from hexcheck.core.sources import SourceFile
    from hexcheck.engine import FactsProvider, Report

# (line, 0-based column, "HEXnnn message") for one file.
_Result = tuple[int, int, str]
# (st_mtime_ns, st_size) of a file, or None when it cannot be stat'ed.
_Stamp = tuple[int, int] | None
# project root, configuration file, its stamp, whether noqa comments are ignored.
_Key = tuple[str, str | None, _Stamp, bool]

ERROR_CODE = "HEX900"
_STDIN_NAMES = frozenset({"stdin", "-", ""})


@dataclass(frozen=True, slots=True)
class _ProjectFindings:
    """One project's findings, by normalised absolute path, or why it could not be checked."""

    findings: Mapping[str, tuple[_Result, ...]] = field(default_factory=dict)
    stamps: Mapping[str, _Stamp] = field(default_factory=dict)
    error: str | None = None


# The module-level cache: one entry per project (and configuration) seen by this process.
_CACHE: dict[_Key, _ProjectFindings] = {}


class HexcheckPlugin:
    """flake8's entry point: yields hexcheck's findings for the file flake8 is linting."""

    name = "hexcheck"
    version = VERSION
    disable_noqa = False

    def __init__(self, tree: ast.AST, filename: str = "stdin") -> None:
        self.tree = tree  # unused: hexcheck reads the whole project itself
        self.filename = filename

    @classmethod
    def parse_options(cls, option_manager: object, options: Any, args: Sequence[str]) -> None:
        """flake8 hands every plugin the parsed options; only `--disable-noqa` matters here."""
        cls.disable_noqa = bool(getattr(options, "disable_noqa", False))

    def run(self) -> Iterator[tuple[int, int, str, type[HexcheckPlugin]]]:
        try:
            results = findings_for(self.filename, disable_noqa=self.disable_noqa)
        except Exception as error:  # never crash flake8: say what went wrong, in the file
            results = (_error_result(error),)
        for line, column, text in results:
            yield line, column, text, type(self)


def findings_for(filename: str, disable_noqa: bool = False) -> tuple[_Result, ...]:
    """hexcheck's findings for one file, from the (cached) check of its whole project."""
    if filename in _STDIN_NAMES:
        return ()
    path = os.path.abspath(filename)
    root, config_path = project_of(path)
    key: _Key = (root, config_path, _stamp(config_path), disable_noqa)
    project = _CACHE.get(key)
    target = _normal(path)
    if project is not None and target in project.stamps and project.stamps[target] != _stamp(path):
        project = None  # the file changed since its project was checked
    if project is None:
        project = _CACHE[key] = _check_project(root, config_path, disable_noqa)
    if project.error is not None:
        return ((1, 0, f"{ERROR_CODE} hexcheck could not check the project at {root}: {project.error}"),)
    return project.findings.get(target, ())


def project_of(path: str) -> tuple[str, str | None]:
    """(project root, configuration file or None) for the file at the absolute `path`."""
    from hexcheck.adapters.filesystem import project_root
    from hexcheck.adapters.pyproject import find_config

    # The CLI's own rule (`project_root`), so that both load the same project.
    return project_root(path)[0], find_config(path)


def _check_project(root: str, config_path: str | None, disable_noqa: bool) -> _ProjectFindings:
    """Check the project as `hexcheck check <root>` would; errors are kept, not raised."""
    from hexcheck.adapters.filesystem import discover
    from hexcheck.adapters.pyproject import load_config

    try:
        config = load_config(config_path)
        found = discover([root], config)
        report = _run(root, config, disable_noqa, found)
    except Exception as error:
        return _ProjectFindings(error=_describe(error))
    here = os.getcwd()
    by_path: dict[str, list[_Result]] = {}
    for finding in report.findings:
        location = finding.location
        target = _normal(os.path.join(here, location.path))
        by_path.setdefault(target, []).append(
            (location.line, location.column, f"{finding.code} {finding.message}")
        )
    return _ProjectFindings(
        {path: tuple(results) for path, results in by_path.items()},
        {_normal(file.path): _stamp(file.path) for file in found.files},
    )


def _run(root: str, config: Config, disable_noqa: bool, found: Discovery) -> Report:
    """The CLI's own run (`run_check`: discovery, facts cache, engine), one process per
    flake8 worker; with `--disable-noqa`, the engine on facts without their `# noqa`."""
    from hexcheck import engine
    from hexcheck.adapters.extraction import sequential
    from hexcheck.adapters.runner import run_check

    with _children_allowed():
        if not disable_noqa:
            return run_check([root], config, jobs=1)
        return engine.check(
            found.files,
            config,
            _without_suppressions(sequential(config)),
            found.problems,
            left_out=found.left_out,
        )


@contextlib.contextmanager
def _children_allowed() -> Iterator[None]:
    """Let a daemonic process start hexcheck's parser workers, for the time of one check.

    `flake8 --jobs N` runs plugins in a `multiprocessing` pool, whose workers are daemonic,
    and multiprocessing refuses to start children from a daemonic process (they could be
    orphaned when it is terminated). hexcheck parses every file in a worker process it
    can kill (the per-file time budget, crashes in LibCST's native parser), so the flag is
    lifted while the check runs and restored after. The workers cannot outlive the check:
    `extract_all` stops and joins them before returning, and a worker whose parent dies
    reads EOF on its pipe and exits.
    """
    current = multiprocessing.current_process()
    daemonic = current.daemon
    if daemonic:
        try:
            current.daemon = False
        except AssertionError:  # not settable here; the check reports why it fails
            daemonic = False
    try:
        yield
    finally:
        if daemonic:
            current.daemon = True


def _without_suppressions(provide: FactsProvider) -> FactsProvider:
    def without(files: Sequence[SourceFile]) -> list[ModuleFacts]:
        return [replace(facts, suppressions=()) for facts in provide(files)]

    return without


def clear_cache() -> None:
    """Forget every checked project (for tests and long-lived processes)."""
    _CACHE.clear()


def _normal(path: str) -> str:
    return os.path.normcase(os.path.normpath(os.path.abspath(path)))


def _stamp(path: str | None) -> _Stamp:
    if path is None:
        return None
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size)


def _describe(error: BaseException) -> str:
    from hexcheck.core.errors import ConfigError

    if isinstance(error, ConfigError):
        return f"invalid configuration in {error.source}: " + "; ".join(error.problems)
    text = str(error).replace("\n", " ").strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _error_result(error: BaseException) -> _Result:
    hint = "this is a bug in hexcheck; run `hexcheck check --debug` and report it"
    return (1, 0, f"{ERROR_CODE} hexcheck failed on this file: {_describe(error)}; {hint}")


__all__ = ["HexcheckPlugin", "clear_cache", "findings_for", "project_of"]
