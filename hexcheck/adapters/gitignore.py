"""What git ignores: `.gitignore` files (nested ones too) and `.git/info/exclude`,
read and matched as git does, without running git.

Discovery skips what git ignores inside a git work tree, as ruff does. Reading the files
here, rather than asking `git check-ignore`, keeps a run free of subprocesses and the
same on every machine: the user's global excludes file (`core.excludesFile`) is not
read, so a developer's editor files never make CI and the laptop disagree.

Matching follows gitignore(5): blank lines and `#` comments are skipped; `!` re-includes;
a trailing `/` matches directories only; a pattern with a `/` at its start or middle is
relative to its file's directory, any other matches a name at any depth; `*`, `?` and
`[...]` never match `/`; `**/`, `/**/` and `/**` span directories; the last matching line
wins, a deeper file wins over the ones above it, and `info/exclude` comes last. A file
inside an ignored directory cannot be re-included, which the walk gets for free: it
never enters an ignored directory.
"""

from __future__ import annotations

import os
import re

GITIGNORE = ".gitignore"
_GLOB_CHARS = frozenset("*?[\\")


class _Rules:
    """One kind of pattern of one file (matched against names, or against paths below
    the file's directory): the highest line number that matches a text, or -1.

    Most lines are plain names (`__pycache__`, `build`), looked up in a dict; most of
    the rest are `*.ext` suffixes, rejected at once by one `str.endswith`; the other
    globs share one regex, alternatives in reverse line order, so the first alternative
    that matches is the last line that does. (Plain classes: a dataclass costs a
    millisecond of every run's start-up.)
    """

    __slots__ = ("any_suffix", "lines", "literals", "pattern", "suffixes")

    def __init__(self, entries: list[tuple[int, str, str]]) -> None:
        """`entries`: (line number, the pattern as written, its regex)."""
        self.literals: dict[str, int] = {}
        self.suffixes: dict[str, int] = {}
        globs: list[tuple[int, str]] = []
        for line, written, regex in entries:
            if _GLOB_CHARS.isdisjoint(written):
                self.literals[written] = max(line, self.literals.get(written, -1))
            elif written.startswith("*") and "/" not in written and _GLOB_CHARS.isdisjoint(written[1:]):
                self.suffixes[written[1:]] = max(line, self.suffixes.get(written[1:], -1))
            else:
                globs.append((line, regex))
        self.any_suffix = tuple(self.suffixes)
        globs.reverse()
        self.pattern = re.compile("|".join(f"({regex})" for _, regex in globs)) if globs else None
        self.lines = tuple(line for line, _ in globs)  # the line of each alternative

    def last(self, text: str) -> int:
        best = self.literals.get(text, -1)
        if self.any_suffix and text.endswith(self.any_suffix):
            best = max(best, *(line for suffix, line in self.suffixes.items() if text.endswith(suffix)))
        if self.pattern is not None:
            found = self.pattern.fullmatch(text)
            if found is not None and found.lastindex is not None:
                best = max(best, self.lines[found.lastindex - 1])
        return best

    def __bool__(self) -> bool:
        return bool(self.literals or self.suffixes) or self.pattern is not None


class IgnoreFile:
    """The patterns of one ignore file, relative to `directory` (absolute)."""

    __slots__ = ("directory", "names_of_dirs", "names_of_files", "negated", "paths_of_dirs", "paths_of_files")

    def __init__(
        self,
        directory: str,
        names_of_files: _Rules,
        names_of_dirs: _Rules,
        paths_of_files: _Rules,
        paths_of_dirs: _Rules,
        negated: frozenset[int],
    ) -> None:
        self.directory = directory.rstrip(os.sep)
        self.names_of_files = names_of_files
        self.names_of_dirs = names_of_dirs
        self.paths_of_files = paths_of_files
        self.paths_of_dirs = paths_of_dirs
        self.negated = negated

    def verdict(self, path: str, name: str, is_dir: bool) -> bool | None:
        """True if the file's last matching line ignores `path` (below `directory`),
        False if it re-includes it, None if no line matches."""
        if is_dir:
            names, paths = self.names_of_dirs, self.paths_of_dirs
        else:
            names, paths = self.names_of_files, self.paths_of_files
        best = names.last(name)
        if paths:
            relative = path[len(self.directory) + 1 :]
            if os.sep != "/":
                relative = relative.replace(os.sep, "/")
            best = max(best, paths.last(relative))
        if best < 0:
            return None
        return best not in self.negated


def parse(text: str, directory: str) -> IgnoreFile | None:
    """The ignore file with `text`, for paths below `directory`; None if it has no pattern."""
    names_of_files: list[tuple[int, str, str]] = []
    names_of_dirs: list[tuple[int, str, str]] = []
    paths_of_files: list[tuple[int, str, str]] = []
    paths_of_dirs: list[tuple[int, str, str]] = []
    negated: set[int] = set()
    for number, raw in enumerate(text.splitlines()):
        line = _strip_trailing_spaces(raw)
        if not line or line.startswith("#"):
            continue
        if line.startswith("!"):
            negated.add(number)
            line = line[1:]
        elif line.startswith(("\\!", "\\#")):
            line = line[1:]
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        line = line.lstrip("/") if anchored else line
        entry = (number, line, _translate(line))
        if anchored:
            paths_of_dirs.append(entry)
            if not dir_only:
                paths_of_files.append(entry)
        else:
            names_of_dirs.append(entry)
            if not dir_only:
                names_of_files.append(entry)
    if not (names_of_dirs or paths_of_dirs):
        return None
    return IgnoreFile(
        directory,
        _Rules(names_of_files),
        _Rules(names_of_dirs),
        _Rules(paths_of_files),
        _Rules(paths_of_dirs),
        frozenset(negated),
    )


def _strip_trailing_spaces(line: str) -> str:
    """Trailing spaces go, unless quoted with a backslash (`foo\\ ` keeps one)."""
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(line):
        # An odd number of backslashes before the space escapes it.
        backslashes = len(stripped) - len(stripped.rstrip("\\"))
        if backslashes % 2:
            return stripped + " "
    return stripped


def _translate(pattern: str) -> str:
    """The regex for a gitignore pattern (no leading `/`, no trailing `/`, no `!`)."""
    segments = pattern.split("/")
    pieces: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            pieces.append(".*" if last else "(?:[^/]*/)*")
            continue
        pieces.append(_segment(segment))
        if not last:
            pieces.append("/")
    return "".join(pieces)


def _segment(segment: str) -> str:
    """One path component of a pattern: `*`, `?`, `[...]` and `\\x` as fnmatch with
    FNM_PATHNAME (none of them matches `/`)."""
    out: list[str] = []
    index = 0
    while index < len(segment):
        char = segment[index]
        index += 1
        if char == "\\" and index < len(segment):
            out.append(re.escape(segment[index]))
            index += 1
        elif char == "*":
            while index < len(segment) and segment[index] == "*":
                index += 1  # `**` inside a component is an ordinary `*`
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = _class_end(segment, index)
            if end is None:
                out.append(re.escape(char))
                continue
            body = segment[index:end]
            index = end + 1
            negate = body[:1] in ("!", "^")
            if negate:
                body = body[1:]
            escaped = body.replace("\\", "\\\\").replace("[", "\\[")
            out.append(f"[^/{escaped}]" if negate else f"[{escaped}]")
        else:
            out.append(re.escape(char))
    return "".join(out)


def _class_end(segment: str, start: int) -> int | None:
    """The index of the `]` closing a `[` class opened just before `start`."""
    index = start
    if index < len(segment) and segment[index] in "!^":
        index += 1
    if index < len(segment) and segment[index] == "]":
        index += 1  # a `]` right after the opening is a member
    while index < len(segment):
        if segment[index] == "]":
            return index
        index += 1
    return None


def read(directory: str) -> IgnoreFile | None:
    """The `.gitignore` in `directory`, if there is one with patterns."""
    return _read_file(os.path.join(directory, GITIGNORE), directory)


def _read_file(path: str, directory: str) -> IgnoreFile | None:
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return None  # absent or unreadable: git ignores it too
    return parse(text, directory)


def work_tree(start: str) -> str | None:
    """The root of the git work tree holding the directory `start`, if any: the
    nearest directory, climbing, with a `.git` directory or file."""
    directory = os.path.abspath(start)
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _git_dir(root: str) -> str | None:
    """The git directory of the work tree at `root`; for a linked worktree or a
    submodule (`.git` is a file saying `gitdir: ...`), the common one, which holds
    `info/exclude`."""
    dot_git = os.path.join(root, ".git")
    if os.path.isdir(dot_git):
        return dot_git
    try:
        with open(dot_git, encoding="utf-8", errors="replace") as handle:
            first = handle.readline().strip()
    except OSError:
        return None
    if not first.startswith("gitdir:"):
        return None
    git_dir = os.path.normpath(os.path.join(root, first[len("gitdir:") :].strip()))
    try:
        with open(os.path.join(git_dir, "commondir"), encoding="utf-8", errors="replace") as handle:
            common = handle.readline().strip()
    except OSError:
        return git_dir
    return os.path.normpath(os.path.join(git_dir, common))


def inherited(directory: str) -> tuple[IgnoreFile, ...] | None:
    """The ignore files that apply below `directory` from outside it, weakest first:
    the work tree's `info/exclude`, then every `.gitignore` from the work tree's root
    down to `directory`'s parent. None when `directory` is in no git work tree."""
    root = work_tree(directory)
    if root is None:
        return None
    found: list[IgnoreFile] = []
    git_dir = _git_dir(root)
    if git_dir is not None:
        exclude = _read_file(os.path.join(git_dir, "info", "exclude"), root)
        if exclude is not None:
            found.append(exclude)
    relative = os.path.relpath(os.path.abspath(directory), root)
    current = root
    for part in [] if relative == os.curdir else relative.split(os.sep):
        ignore = read(current)
        if ignore is not None:
            found.append(ignore)
        current = os.path.join(current, part)
    return tuple(found)


def is_ignored(ignores: tuple[IgnoreFile, ...], path: str, name: str, is_dir: bool) -> bool:
    """Whether the strongest of `ignores` (weakest first) with a matching line ignores `path`."""
    for ignore in reversed(ignores):
        verdict = ignore.verdict(path, name, is_dir)
        if verdict is not None:
            return verdict
    return False
