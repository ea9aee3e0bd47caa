"""Which files a project's pytest configuration names as test modules: read, never run.

hexcheck leaves test modules out by default (`test_*.py`, `*_test.py`, `tests.py`...), and
some teams name theirs otherwise, telling pytest so: `python_files = *_should.py`, or a
`testpaths` glob that picks the files themselves (`./**/*_spec.py`). Those modules import
every layer, as tests do, and checked as the domain module they sit beside they would each
be a finding about nothing.

A directory's configuration is the first of pytest's files there that holds pytest's
settings: `pytest.toml`, `.pytest.toml` (`[pytest]`), `pytest.ini`, `.pytest.ini` (these
four even when empty), `pyproject.toml` (`[tool.pytest.ini_options]`, or pytest 9's
`[tool.pytest]`), `tox.ini` (`[pytest]`), `setup.cfg` (`[tool:pytest]`). Its patterns hold
below that directory; a run that starts below it reads the nearest one above, as pytest
does. Where several directories of a tree hold one (services side by side), each holds
below its own.

What is taken:
- `testpaths` entries that end in `.py` below `**` or nothing (`./**/*_should.py`): files
  of that name anywhere below the configuration; an entry below a named folder is not read;
- `python_files` patterns: below the folders `testpaths` names, or anywhere below the
  configuration when it names none (pytest looks for its patterns only where it collects).
A pattern counts only when it has at least four characters of its own besides `*`, `?`,
`[...]` and `.py`, so that `*.py` or `*s.py` never leaves a service out. Values are split
as pytest splits them (shell words). A file that cannot be read or parsed stops the
search and gives nothing: pytest would refuse to run, and hexcheck does not guess.
"""

from __future__ import annotations

import configparser
import fnmatch
import os
import re
import shlex

from hexcheck.adapters.globs import glob_matcher
from hexcheck.adapters.toml import tomllib

# In pytest's order of precedence: the first that holds pytest's settings is the one read.
CONFIG_NAMES = (
    "pytest.toml", ".pytest.toml", "pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg",
)  # fmt: skip

# Files that are pytest's configuration whatever they hold, and their section.
_OWN_FILES = {
    "pytest.toml": "pytest",
    ".pytest.toml": "pytest",
    "pytest.ini": "pytest",
    ".pytest.ini": "pytest",
}
_SHARED_INI_SECTIONS = {"tox.ini": "pytest", "setup.cfg": "tool:pytest"}
_MAX_CONFIG_BYTES = 1024 * 1024
_MIN_LITERAL = 4
_WILDCARDS = re.compile(r"[*?]|\[[^\]]*\]")


class PytestPatterns:
    """The test modules one configuration names, below its `directory`."""

    __slots__ = ("_anywhere", "_in_folders", "directory", "folders")

    def __init__(
        self, directory: str, anywhere: list[str], in_folders: list[str], folders: list[str]
    ) -> None:
        self.directory = os.path.abspath(directory)
        self.folders = tuple(folders)  # below the directory, with `/`; globs allowed
        self._anywhere = glob_matcher(anywhere)
        self._in_folders = glob_matcher(in_folders)

    def names_a_test(self, path: str) -> bool:
        """Whether the file at `path` (below `directory`) is one of its test modules."""
        name = os.path.basename(path)
        if name == "__init__.py":
            return False
        if self._anywhere is not None and self._anywhere(name):
            return True
        if self._in_folders is None or self._in_folders(name) is None:
            return False
        if not self.folders:
            return True
        below = os.path.relpath(os.path.dirname(os.path.abspath(path)), self.directory)
        parts = below.replace(os.sep, "/").split("/")
        prefixes = ["/".join(parts[:depth]) for depth in range(1, len(parts) + 1)] if parts != ["."] else []
        return any(fnmatch.fnmatchcase(prefix, folder) for folder in self.folders for prefix in prefixes)


def read(directory: str, names: frozenset[str]) -> PytestPatterns | None:
    """The test-module patterns of the pytest configuration in `directory`, whose regular
    files are `names`; None when it holds none, or none that could be taken."""
    return _read(directory, names)[1]


def inherited(directory: str) -> tuple[PytestPatterns, ...]:
    """The configuration that holds in `directory` from above it: the nearest directory
    above that holds pytest's settings, as pytest finds its rootdir from where it runs."""
    current = os.path.dirname(os.path.abspath(directory))
    while True:
        try:
            with os.scandir(current) as scan:
                names = frozenset(e.name for e in scan if e.name in CONFIG_NAMES and e.is_file())
        except OSError:
            names = frozenset()
        found, patterns = _read(current, names)
        if found:
            return () if patterns is None else (patterns,)
        parent = os.path.dirname(current)
        if parent == current:
            return ()
        current = parent


def _read(directory: str, names: frozenset[str]) -> tuple[bool, PytestPatterns | None]:
    """Whether `directory` holds pytest's configuration, and its test-module patterns."""
    for name in CONFIG_NAMES:
        if name not in names:
            continue
        found = _options(os.path.join(directory, name), name)
        if found is None:
            continue  # no pytest settings here: pytest looks at the next file
        if isinstance(found, _Unreadable):
            return True, None
        python_files, testpaths = found
        anywhere = [p for p in map(_file_glob, testpaths) if p and _specific(p)]
        folders = [
            folder for p in testpaths if not p.endswith(".py") and (folder := _clean(p)) not in ("", ".")
        ]
        in_folders = [p for p in python_files if _specific(p)]
        if not anywhere and not in_folders:
            return True, None
        return True, PytestPatterns(directory, anywhere, in_folders, folders)
    return False, None


_Options = tuple[list[str], list[str]]


class _Unreadable:
    """A file that cannot be read or parsed: pytest would refuse to run."""


def _options(path: str, name: str) -> _Options | _Unreadable | None:
    """`python_files` and `testpaths` of the file's pytest settings; None when it holds
    none."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(_MAX_CONFIG_BYTES + 1)
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return _Unreadable()
    if len(raw) > _MAX_CONFIG_BYTES:
        return _Unreadable()
    if name.endswith(".toml"):
        return _toml_options(text, name)
    parser = configparser.ConfigParser(interpolation=None, strict=False, default_section="\x00")
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys as written, as pytest reads them
    try:
        parser.read_string(text)
    except (configparser.Error, RecursionError):
        return _Unreadable()
    section = _OWN_FILES.get(name) or _SHARED_INI_SECTIONS[name]
    if not parser.has_section(section):
        return ([], []) if name in _OWN_FILES else None
    return (
        _words(parser.get(section, "python_files", fallback="")),
        _words(parser.get(section, "testpaths", fallback="")),
    )


def _toml_options(text: str, name: str) -> _Options | _Unreadable | None:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return _Unreadable()
    if name in _OWN_FILES:
        table = data.get("pytest")
        if not isinstance(table, dict):
            return ([], [])
    else:
        tool = data.get("tool")
        pytest = tool.get("pytest") if isinstance(tool, dict) else None
        if not isinstance(pytest, dict):
            return None
        legacy = pytest.get("ini_options")
        table = legacy if isinstance(legacy, dict) else pytest
    return _strings(table.get("python_files")), _strings(table.get("testpaths"))


def _words(value: str) -> list[str]:
    """An ini value split as pytest splits a list of arguments: shell words."""
    try:
        return shlex.split(value)
    except ValueError:  # an unclosed quote
        return []


def _strings(value: object) -> list[str]:
    """An option given as a list of strings, or as one string of several (the ini form)."""
    if isinstance(value, str):
        return _words(value)
    if isinstance(value, list):
        return [each for each in value if isinstance(each, str)]
    return []


def _clean(entry: str) -> str:
    entry = entry.replace("\\", "/").rstrip("/")
    while entry.startswith("./"):
        entry = entry[2:]
    return entry


def _file_glob(testpath: str) -> str:
    """The file-name pattern of a `testpaths` entry that picks files anywhere below the
    configuration (`./**/*_should.py`, `*_spec.py`); '' for a folder or a longer path."""
    folder, _, file = _clean(testpath).rpartition("/")
    if not file.endswith(".py") or any(part not in ("", ".", "**") for part in folder.split("/")):
        return ""
    return file


def _specific(pattern: str) -> bool:
    """Whether a pattern names test modules, not every module: a `.py` pattern with at
    least four literal characters besides the suffix."""
    return pattern.endswith(".py") and len(_WILDCARDS.sub("", pattern[:-3])) >= _MIN_LITERAL
