"""Discovery: which Python files a run checks, and which module each one holds.

This adapter only lists and names files; it never writes, never imports what it finds,
and reads file contents only through `read_source`. Everything odd it meets on the way
(unreadable directories, broken symlinks, symlink loops, symlinks leaving the walked
root) becomes a problem in the result instead of an exception, so one bad entry never
hides the rest of the tree.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from hexcheck.adapters import gitignore, pytest_config
from hexcheck.adapters.gitignore import IgnoreFile
from hexcheck.adapters.globs import glob_matcher
from hexcheck.adapters.packaging import METADATA_NAMES, read_distribution
from hexcheck.core.config import TEST_MODULE_PATTERN, Config
from hexcheck.core.errors import UsageError
from hexcheck.core.roots import (
    Folder,
    Root,
    RootChoice,
    choose_roots,
    imported_names,
    is_identifier,
)
from hexcheck.core.sources import SourceFile, claim_order

# How many unresolved in-tree imports a note names before it only counts them.
_NAMED_UNRESOLVED = 5
_VCS_MARKERS = (".git", ".hg", ".svn", ".jj")
_STDLIB = frozenset(sys.stdlib_module_names)


class RootMemory(Protocol):
    """Where discovery keeps the import roots it chose, for a later run over the same files.

    `key` stands for the evidence without reading it (every file's path and stat, the
    folders packaging metadata declares), or is None when it cannot; `recall` answers the
    choice made from that evidence, if kept.
    """

    def key(self, root: str, paths: Sequence[str], declared: Sequence[Folder]) -> str | None: ...

    def recall(self, key: str) -> RootChoice | None: ...

    def remember(self, key: str, choice: RootChoice) -> None: ...


@dataclass(frozen=True, slots=True)
class Discovery:
    """The files to check and the problems met while finding them.

    `files` is sorted by display path and holds each real file once: the whole project's,
    so that cross-file facts are complete. `requested` holds the display paths of the
    files below the paths asked for (None: all of them), the only ones whose findings a
    run reports. `problems` are `(display_path, message)` pairs, sorted. `roots` are the
    import roots chosen from the evidence, relative to `project_root`; `notes` say what a
    user should know about them (ties, imports that resolve nowhere, metadata that could
    not be read). `left_out` counts the Python files and visible directories the
    walk pruned: by `exclude`/`extend-exclude`, and as ignored by git.
    """

    files: tuple[SourceFile, ...]
    problems: tuple[tuple[str, str], ...]
    left_out: tuple[int, int] = (0, 0)
    roots: tuple[Root, ...] = ()
    notes: tuple[str, ...] = ()
    requested: frozenset[str] | None = None
    project_root: str = ""


def discover(
    paths: Sequence[str], config: Config, cwd: str | None = None, memory: RootMemory | None = None
) -> Discovery:
    """Find the `.py` files of the project holding `paths` and name their modules.

    The project root is the nearest directory above the first path holding a hexcheck
    configuration, else the version-control root, else the topmost directory with
    packaging metadata (`project_root`); the whole project is walked, so that the
    facts that span files are complete, and the files below `paths` are `requested`.
    A directory is walked in sorted order, `config.exclude` and `config.extend_exclude`
    pruning what the walk finds, and inside a git work tree what git ignores, unless
    `config.respect_gitignore` is off. A path named explicitly is checked even when
    `exclude` would skip it, as ruff does. A path that does not exist raises `UsageError`.
    Without `source-roots`, choosing the import roots reads every file's import lines,
    unless `memory` kept the choice made from the same files.
    """
    here = os.path.abspath(cwd if cwd is not None else os.getcwd())
    targets: list[str] = []
    for given in paths:
        target = os.path.abspath(os.path.join(here, given))
        if not os.path.exists(target):
            raise UsageError(f"path not found: {given}")
        targets.append(target)
    walker = _Walker(config, here, memory)
    root, evidence = project_root(targets[0]) if targets else (here, "")
    if not evidence and targets and _is_within(targets[0], here):
        root = here  # no project around it: the directory hexcheck runs in is the project
    elif not evidence and not any(os.path.isdir(target) and target == root for target in targets):
        walker.note(
            f"{walker.display(targets[0])} is in no project (no hexcheck configuration, "
            f"version-control root or packaging metadata above it); its project is taken "
            f"to be {walker.display(root) if root != here else '.'}"
        )
    whole = any(os.path.isdir(target) and _is_within(root, target) for target in targets)
    walked, names_from = root, None
    if not evidence and not whole and targets:
        # No evidence of a project: what can be one is the package around the first path
        # (`hexcheck check proj/app/x.py` from a home directory must not read all of it);
        # a file is still named from the directory hexcheck runs in, as before.
        first = targets[0]
        package = _package_root(first if os.path.isdir(first) else os.path.dirname(first))
        if _is_within(package, root):
            walked = package
            names_from = None if os.path.isdir(first) else root
    walker.walk(walked, 0, names_from)
    for order, target in enumerate(targets, start=1):
        if not _is_within(target, root):
            walker.note(
                f"{walker.display(target)} is outside the project at {walker.display(root)}; "
                "it is checked with the module names its own folders give"
            )
        if os.path.isdir(target):
            if not _is_within(walked, target):
                walker.walk(target, order)
        else:
            walker.add_given_file(target, order)
    return walker.result(root, None if whole else targets)


def project_root(target: str) -> tuple[str, str]:
    """The root of the project holding the absolute path `target`, and what shows it.

    The nearest directory at or above `target` with a hexcheck configuration; else the
    nearest version-control root; else the topmost directory with packaging metadata;
    else (evidence "") the directory above `target`'s top package, where Python would
    import it from.
    """
    from hexcheck.adapters.pyproject import find_config

    start = target if os.path.isdir(target) else os.path.dirname(target)
    config = find_config(start)
    if config is not None:
        return os.path.dirname(os.path.abspath(config)), "configuration"
    topmost_metadata: str | None = None
    directory = start
    while True:
        if any(os.path.exists(os.path.join(directory, marker)) for marker in _VCS_MARKERS):
            return directory, "version control"
        if any(os.path.isfile(os.path.join(directory, name)) for name in METADATA_NAMES):
            topmost_metadata = directory
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    if topmost_metadata is not None:
        return topmost_metadata, "packaging metadata"
    return _package_root(start), ""


def source_root(file: SourceFile) -> str:
    """The directory `file`'s module is named from: `src` for `src/app/domain/book.py`."""
    directory = os.path.dirname(os.path.abspath(file.path))
    for _ in range(file.module.count(".") + (1 if file.is_package else 0)):
        directory = os.path.dirname(directory)
    return directory


def read_source(file: SourceFile) -> bytes:
    """The bytes of `file`; raises `OSError`, which the engine reports as HEX900."""
    with open(file.path, "rb") as handle:
        return handle.read()


def _is_within(path: str, parent: str) -> bool:
    path, parent = os.path.normcase(path), os.path.normcase(parent)
    return path == parent or path.startswith(parent.rstrip(os.sep) + os.sep)


def _below(path: str, parent: str) -> str | None:
    """`os.path.relpath(path, parent)` if `path` is `parent` or inside it, else None.

    Both must be absolute and normalised, as every path discovery handles is (abspath'd
    roots joined with names from `os.scandir`); then the relative path is a slice.
    `relpath` would normalise both paths again (abspath, split, common prefix, join), and
    a walk needs two or three relative paths per entry: it was a third of discovery's time.
    """
    folded, parent_folded = os.path.normcase(path), os.path.normcase(parent)
    if folded == parent_folded:
        return os.curdir
    if folded.startswith(parent_folded.rstrip(os.sep) + os.sep):
        return path[len(parent.rstrip(os.sep)) + 1 :]
    return None


def _package_root(directory: str) -> str:
    """The first directory, climbing from `directory`, that is not a regular package.

    Names are relative to it, so checking `app/domain` inside the regular package `app`
    still names `app.domain.book`, as Python would.
    """
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    return directory


def _module_name(path: str, base: str) -> tuple[str, bool] | None:
    """`(module, is_package)` for the file `path` named relative to `base`, if importable."""
    relative = _below(path, base)
    if relative is None:
        return None
    parts = relative.split(os.sep)
    parts[-1] = parts[-1].removesuffix(".py")
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    if not parts or not all(is_identifier(part) for part in parts):
        return None
    return ".".join(parts), is_package


def _unreachable_root_inits(files: Sequence[SourceFile], chosen: Sequence[str]) -> dict[str, SourceFile]:
    """The empty `__init__.py` of each chosen import root whose name a module inside that
    same root also takes, by path, with the module that takes it.

    Below its root the `__init__.py` of `app/` has no name, so it is named from the
    folder above (`app`). With `app/` on `sys.path`, as the imports show it is, `import app`
    finds `app/app.py` (uvicorn's `app:app`); an empty `__init__.py` is reached only from the
    folder above, so it counts only when that folder is a chosen root as well. One that
    holds code (a `create_app` that a top-level `wsgi.py` imports) is kept.
    """
    folded_roots = {os.path.normcase(root) for root in chosen}
    roots_by_init = {
        os.path.normcase(os.path.join(root, "__init__.py")): root
        for root in chosen
        if os.path.normcase(os.path.dirname(root)) not in folded_roots
    }
    inits = [
        file for file in files if os.path.normcase(file.path) in roots_by_init and _holds_no_code(file.path)
    ]
    taken: dict[str, SourceFile] = {}
    for init in inits:
        root = roots_by_init[os.path.normcase(init.path)]
        for file in files:
            if file.module == init.module and file is not init and _is_within(file.path, root):
                taken[init.path] = file
                break
    return taken


def _holds_no_code(path: str) -> bool:
    """Whether a file holds nothing but blank lines and comments. One that cannot be read
    counts as holding code: it is kept, as any other file is."""
    try:
        with open(path, "rb") as handle:
            text = handle.read()
    except OSError:
        return False
    return all(not line.strip() or line.lstrip().startswith(b"#") for line in text.splitlines())


def _clean_pattern(pattern: str) -> str:
    # Users write `legacy/` and `./build` for directories; the walk's relative paths have
    # neither form.
    pattern = pattern.rstrip("/")
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern


@dataclass(frozen=True, slots=True)
class _Found:
    """A file found, before the import roots name its module.

    `base` is where the walk would name it from without evidence (the walked directory's
    package root), `src_root` a `src` folder outside any package above it, if any.
    """

    path: str
    display: str
    base: str
    src_root: str | None
    given: bool


@dataclass(frozen=True, slots=True)
class _Dir:
    """A directory waiting to be walked: where it is, and how the walk got there."""

    path: str  # absolute, as walked (through symlinks)
    real: str  # its real path
    relative: str  # relative to the walked root, with `/`; "" for the root itself
    ancestors: frozenset[str]  # real paths of the directories above it, itself included
    via_symlink: bool
    # The ignore files that apply to its entries, weakest first; None outside a git
    # work tree or with `respect-gitignore = false`.
    ignores: tuple[IgnoreFile, ...] | None
    # The pytest configurations that name test modules in it: the nearest above the walk's
    # root, then those the walk met on its way down (`pytest_config`).
    test_patterns: tuple[pytest_config.PytestPatterns, ...]


def _regular_file(entry: os.DirEntry[str]) -> bool:
    """Whether an entry is a regular file (a FIFO named `tox.ini` would block when read)."""
    try:
        return entry.is_file()
    except OSError:
        return False


def _counted(entry: os.DirEntry[str]) -> int:
    """1 for a left-out path worth telling: a Python file or a visible directory (not
    `.git`, not the cache directory a run itself creates, which would make a second run
    report differently from the first)."""
    if entry.name.endswith(".py"):
        return 1
    try:
        return int(not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False))
    except OSError:
        return 0


class _Walker:
    """Collects files and problems over all the paths of one `discover` call."""

    def __init__(self, config: Config, cwd: str, memory: RootMemory | None = None) -> None:
        self._cwd = cwd
        self._memory = memory
        self._respect_gitignore = config.respect_gitignore
        self._config_root = os.path.abspath(os.path.join(cwd, config.root))
        self._excludes = glob_matcher(
            [_clean_pattern(p) for p in (*config.exclude, *config.extend_exclude) if p.strip("/.")]
        )
        # Deepest first, so the first root containing a file is the one that names it.
        self._source_roots = tuple(
            sorted(
                {os.path.abspath(os.path.join(self._config_root, r)) for r in config.source_roots},
                key=lambda r: (-len(r), r),
            )
        )
        # Real path -> (preference, file): the same file reached twice (a symlink, two
        # overlapping paths) is kept once, preferring the path without symlinks, then
        # the path given first, then the smallest display path.
        self._found: dict[str, tuple[tuple[bool, int, str], _Found]] = {}
        self._problems: set[tuple[str, str]] = set()
        # Sets, not counts: a folder named on the command line is walked again inside the
        # project's walk, and what it leaves out must not count twice.
        self._excluded_paths: set[str] = set()
        self._ignored_paths: set[str] = set()
        self._notes: list[str] = []
        self._problem_paths: dict[str, str] = {}
        self._visited: set[str] = set()
        self._src_roots: dict[str, bool] = {}
        self._max_bytes = config.max_file_bytes
        # The project's pytest patterns leave test modules out as the default patterns
        # do, and only while those do: an `exclude` that keeps tests keeps these too.
        self._reads_pytest = TEST_MODULE_PATTERN in {
            _clean_pattern(p) for p in (*config.exclude, *config.extend_exclude)
        }
        # Directory -> the packaging metadata files it holds, as the walk met them.
        self._metadata: dict[str, list[str]] = {}

    def note(self, message: str) -> None:
        if message not in self._notes:
            self._notes.append(message)

    def result(self, root: str, targets: Sequence[str] | None) -> Discovery:
        """Name every file found from the import roots the evidence chooses."""
        found = sorted((each for _, each in self._found.values()), key=lambda f: f.display)
        fallback_roots: set[str] = set()
        declared: list[str] = []
        for directory, names in sorted(self._metadata.items()):
            distribution = read_distribution(directory, names, self.display(directory))
            for message in distribution.notes:
                self.note(message)
            fallback_roots.add(directory)
            fallback_roots.update(distribution.package_roots)
            declared.extend(distribution.package_roots)
        chosen: list[str] = []
        import_roots: tuple[Root, ...] = ()
        if not self._source_roots:
            choice = self._choose(root, found, declared)
            chosen = [os.path.join(root, *folder) for folder in choice.folders]
            import_roots = choice.roots
            self._explain(choice, root)
        by_depth = sorted(chosen, key=lambda r: (-len(r), r))
        fallbacks = sorted(fallback_roots, key=lambda r: (-len(r), r))
        files: list[SourceFile] = []
        for each in found:
            named = self._name(each, by_depth, fallbacks)
            if named is None:
                if each.given:
                    self._problem(each.path, "its module name would not be a dotted identifier; skipped")
                continue
            files.append(SourceFile(each.display, each.path, *named))
        unreachable = _unreachable_root_inits(files, chosen)
        if unreachable:
            init = min(unreachable)
            taker = unreachable[init]
            self.note(
                f"{len(unreachable)} import root(s) hold an __init__.py that only the folder above "
                f"could import, and a module inside takes its name: {self.display(init)} is not "
                f"checked ('{taker.module}' is {taker.display_path})"
            )
            files = [file for file in files if file.path not in unreachable]
        self._note_shared_module_names(files)
        requested = None
        if targets is not None:
            paths = [*((file.display_path, file.path) for file in files), *self._problem_paths.items()]
            # A target reached through a symlink (`check dom` with `dom -> app/domain`)
            # holds files the walk keeps under their real paths: compare those too.
            real_targets = [os.path.realpath(target) for target in targets]
            requested = frozenset(
                display
                for display, path in paths
                if any(_is_within(path, target) for target in targets)
                or any(_is_within(os.path.realpath(path), real) for real in real_targets)
            )
        return Discovery(
            tuple(files),
            tuple(sorted(self._problems)),
            (len(self._excluded_paths), len(self._ignored_paths)),
            import_roots,
            tuple(self._notes),
            requested,
            root,
        )

    def _note_shared_module_names(self, files: Sequence[SourceFile]) -> None:
        """Say when files take the same module name. A module beside a package of its name
        (`models.py` next to `models/`) is one Python never imports; files under different
        import roots (three services side by side, each with its own `src/` holding `api/`
        and `domain/`) are a limit of one run: the model holds one module per name
        (`claim_order`), and the others go unchecked."""
        by_module: dict[str, list[SourceFile]] = {}
        for file in files:
            by_module.setdefault(file.module, []).append(file)
        shadowed: list[tuple[SourceFile, SourceFile]] = []
        shared: list[tuple[str, list[str]]] = []
        for module, claimants in sorted(by_module.items()):
            if len(claimants) < 2:
                continue
            kept, *others = sorted(claimants, key=lambda f: claim_order(f.module, f.is_package, f.path))
            beside = os.path.dirname(kept.path) + ".py" if kept.is_package else None
            shadowed.extend((other, kept) for other in others if other.path == beside)
            rest = [kept, *(other for other in others if other.path != beside)]
            if len(rest) > 1:
                shared.append((module, sorted(file.display_path for file in rest)))
        if shadowed:
            module_file, package = shadowed[0]
            self.note(
                f"{len(shadowed)} module(s) sit beside a package of the same name, which Python "
                f"imports instead ({module_file.display_path} is hidden by "
                f"{package.display_path}): they are not checked; remove or rename them"
            )
        if shared:
            module, (first, second, *_) = shared[0]
            unchecked = sum(len(paths) - 1 for _, paths in shared)
            self.note(
                f"{unchecked} file(s) take a module name another file has ({first} and {second} "
                f"are both '{module}'): only one of each is checked; give each part a "
                "`hexcheck.toml` of its own and check it from there, or leave the others out "
                "with `extend-exclude`"
            )

    def _choose(self, root: str, found: Sequence[_Found], declared: Sequence[str]) -> RootChoice:
        """The evidence: each file's path below `root` and the absolute imports it makes."""
        folders = [
            tuple(relative.split(os.sep)) for d in declared if (relative := _below(d, root)) is not None
        ]
        folders = [() if f == (os.curdir,) else f for f in folders]
        evidence = [
            (each, relative)
            for each in found
            if (relative := _below(each.path, root)) is not None and relative != os.curdir
        ]
        key = (
            self._memory.key(root, [each.path for each, _ in evidence], folders)
            if self._memory is not None
            else None
        )
        if key is not None and self._memory is not None:
            remembered = self._memory.recall(key)
            if remembered is not None:
                return remembered
        files: list[Folder] = []
        imports: dict[str, int] = {}
        taken: dict[str, dict[str, int]] = {}
        for each, relative in evidence:
            files.append(tuple(relative.split(os.sep)))
            try:
                with open(each.path, "rb") as handle:
                    data = handle.read(self._max_bytes + 1)
            except OSError:
                continue  # extraction reports the file as unreadable
            for name, names in imported_names(data):
                imports[name] = imports.get(name, 0) + 1
                if names:
                    from_it = taken.setdefault(name, {})
                    for each_name in names:
                        from_it[each_name] = from_it.get(each_name, 0) + 1
        choice = choose_roots(files, imports, folders, taken)
        if key is not None and self._memory is not None:
            self._memory.remember(key, choice)
        return choice

    def _explain(self, choice: RootChoice, root: str) -> None:
        def shown(folder: Folder) -> str:
            return self.display(os.path.join(root, *folder)) if folder else self.display(root)

        for best, other, count in choice.ties:
            self.note(
                f"the import roots {shown(best)} and {shown(other)} each resolve the same "
                f"{count} imports; {shown(best)} is used (the shallower, then the first by name); "
                "set `source-roots` in [tool.hexcheck] to choose"
            )
        unresolved = [
            (name, count) for name, count in choice.unresolved if name.partition(".")[0] not in _STDLIB
        ]
        if unresolved:
            total = sum(count for _, count in unresolved)
            named = ", ".join(name for name, _ in unresolved[:_NAMED_UNRESOLVED])
            more = (
                f" and {len(unresolved) - _NAMED_UNRESOLVED} more"
                if len(unresolved) > _NAMED_UNRESOLVED
                else ""
            )
            self.note(
                f"{total} import{'s' if total != 1 else ''} of names found in the tree "
                f"resolve{'s' if total == 1 else ''} below no import root: {named}{more}"
            )

    def _name(self, each: _Found, chosen: Sequence[str], fallbacks: Sequence[str]) -> tuple[str, bool] | None:
        """The module name of a file: from the configured source root holding it, else
        the deepest chosen import root that names it validly, else the deepest root that
        packaging metadata declares (or a `src` folder outside any package), else the
        walk's own base."""
        configured = self._source_root_of(each.path)
        if configured is not None:
            return _module_name(each.path, configured)
        for root in chosen:
            if _is_within(each.path, root):
                named = _module_name(each.path, root)
                if named is not None:
                    return named
        bases = [root for root in fallbacks if _is_within(each.path, root)]
        if each.src_root is not None:
            bases.append(each.src_root)
        for base in sorted(bases, key=lambda r: -len(r)):
            named = _module_name(each.path, base)
            if named is not None:
                return named
        return _module_name(each.path, each.base)

    def display(self, path: str) -> str:
        shown = _below(path, self._cwd)
        return (path if shown is None else shown).replace(os.sep, "/")

    def add_given_file(self, path: str, order: int) -> None:
        name = os.path.basename(path)
        if not os.path.isfile(path):
            # A FIFO or a device named `x.py` would block or never end when read.
            self._problem(path, "not a regular file; skipped")
            return
        if not name.endswith(".py"):
            self._problem(path, "not a Python file (*.py); skipped")
            return
        self._add(
            path, os.path.realpath(path), _package_root(os.path.dirname(path)), None, order, False, True
        )

    def walk(self, root: str, order: int, names_from: str | None = None) -> None:
        """Walk `root`; files are named from above `names_from`'s top package (default:
        `root`'s) unless the import roots say otherwise."""
        real_root = os.path.realpath(root)
        base = _package_root(names_from or root)
        ignores = gitignore.inherited(root) if self._respect_gitignore else None
        test_patterns = pytest_config.inherited(root) if self._reads_pytest else ()
        pending = [_Dir(root, real_root, "", frozenset({real_root}), False, ignores, test_patterns)]
        self._visited.add(real_root)
        while pending:
            directory = pending.pop()
            subdirs = self._walk_one(directory, real_root, base, order)
            # Reversed so the stack pops them in sorted order.
            pending.extend(reversed(subdirs))

    def _walk_one(self, directory: _Dir, real_root: str, base: str, order: int) -> list[_Dir]:
        try:
            with os.scandir(directory.path) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            self._problem(directory.path, f"cannot read directory: {exc.strerror or exc}")
            return []
        subdirs: list[_Dir] = []
        ignores = directory.ignores
        if ignores is not None and any(entry.name == gitignore.GITIGNORE for entry in entries):
            own = gitignore.read(directory.path)
            if own is not None:
                ignores = (*ignores, own)
        test_patterns = directory.test_patterns
        if self._reads_pytest:
            configs = frozenset(
                e.name for e in entries if e.name in pytest_config.CONFIG_NAMES and _regular_file(e)
            )
            patterns = pytest_config.read(directory.path, configs) if configs else None
            if patterns is not None:
                test_patterns = (*test_patterns, patterns)
        for entry in entries:
            relative = f"{directory.relative}/{entry.name}" if directory.relative else entry.name
            if self._excluded(entry.name, relative, entry.path):
                if _counted(entry):
                    self._excluded_paths.add(entry.path)
                continue
            try:
                is_link = entry.is_symlink()
                # git never follows a symlink: one to a directory is matched as a file.
                if ignores and gitignore.is_ignored(
                    ignores, entry.path, entry.name, not is_link and entry.is_dir(follow_symlinks=False)
                ):
                    if _counted(entry):
                        self._ignored_paths.add(entry.path)
                    continue
                if is_link:
                    target = self._follow(entry.path, entry.name, real_root)
                    if target is None:
                        continue
                    real, is_dir, is_file = target
                else:
                    real = os.path.join(directory.real, entry.name)
                    is_dir = entry.is_dir(follow_symlinks=False)
                    is_file = entry.is_file(follow_symlinks=False)
            except OSError as exc:
                # The entry vanished or cannot be inspected between listing and stat.
                self._problem(entry.path, f"cannot read: {exc.strerror or exc}")
                continue
            via_symlink = directory.via_symlink or is_link
            if is_dir:
                if real in directory.ancestors:
                    self._problem(entry.path, "symlink loop; not followed")
                elif not (is_link and real in self._visited):
                    # A symlink to a directory already walked adds nothing but duplicates.
                    self._visited.add(real)
                    subdirs.append(
                        _Dir(
                            entry.path,
                            real,
                            relative,
                            directory.ancestors | {real},
                            via_symlink,
                            ignores,
                            test_patterns,
                        )
                    )
            elif is_file:
                if entry.name in METADATA_NAMES:
                    self._metadata.setdefault(directory.path, []).append(entry.name)
                if entry.name.endswith(".py"):
                    if any(each.names_a_test(entry.path) for each in test_patterns):
                        self._excluded_paths.add(entry.path)
                        continue
                    src_root = self._src_root_of(entry.path, relative)
                    self._add(entry.path, real, base, src_root, order, via_symlink, False)
        return subdirs

    def _follow(self, path: str, name: str, real_root: str) -> tuple[str, bool, bool] | None:
        """`(real path, is_dir, is_file)` of the symlink's target, or None if not followed."""
        # A name with another suffix can be neither a Python file nor, in practice, a
        # package directory; `README.md -> ../README.md` is not worth a problem.
        relevant = name.endswith(".py") or "." not in name.lstrip(".")
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            if not relevant:
                return None
            if exc.errno == errno.ELOOP:
                self._problem(path, "symlink loop; not followed")
            elif exc.errno in (errno.ENOENT, errno.ENOTDIR):
                self._problem(path, f"broken symlink (points to {os.readlink(path)})")
            else:
                self._problem(path, f"cannot follow symlink: {exc.strerror or exc}")
            return None
        real = os.path.realpath(path)
        is_dir, is_file = stat.S_ISDIR(mode), stat.S_ISREG(mode)
        if not _is_within(real, real_root):
            if is_dir or (is_file and name.endswith(".py")):
                self._problem(path, f"symlink leaves the checked directory (to {real}); not followed")
            return None
        return real, is_dir, is_file

    def _excluded(self, name: str, relative: str, path: str) -> bool:
        # Besides the basename and the path below the walked root, patterns match the
        # path below the configuration's root, so `extend-exclude = ["app/legacy"]`
        # holds whether the run starts at the project root or at `app`.
        matches = self._excludes
        if matches is None:
            return False
        if matches(name) or matches(relative):
            return True
        below_root = _below(path, self._config_root)
        return below_root is not None and matches(below_root.replace(os.sep, "/")) is not None

    def _source_root_of(self, path: str) -> str | None:
        return next((root for root in self._source_roots if _is_within(path, root)), None)

    def _src_root_of(self, path: str, relative: str) -> str | None:
        """The deepest `src` directory below the walked root holding `path`, if any.

        A `src` that is not itself a package and not inside one is a src-layout root
        (`D/src`, and in a monorepo `services/billing/src`): modules are named below it.
        """
        current = os.path.dirname(path)
        for name in reversed(relative.split("/")[:-1]):
            if name == "src" and self._is_src_root(current):
                return current
            current = os.path.dirname(current)
        return None

    def _is_src_root(self, directory: str) -> bool:
        known = self._src_roots.get(directory)
        if known is None:
            known = not os.path.isfile(os.path.join(directory, "__init__.py")) and not os.path.isfile(
                os.path.join(os.path.dirname(directory), "__init__.py")
            )
            self._src_roots[directory] = known
        return known

    def _add(
        self,
        path: str,
        real: str,
        base: str,
        src_root: str | None,
        order: int,
        via_symlink: bool,
        given: bool,
    ) -> None:
        display = self.display(path)
        preference = (via_symlink, order, display)
        kept = self._found.get(real)
        given = given or (kept is not None and kept[1].given)
        if kept is None or preference < kept[0]:
            self._found[real] = (preference, _Found(path, display, base, src_root, given))
        elif given and not kept[1].given:
            self._found[real] = (kept[0], replace(kept[1], given=True))

    def _problem(self, path: str, message: str) -> None:
        display = self.display(path)
        self._problems.add((display, message))
        self._problem_paths[display] = path
