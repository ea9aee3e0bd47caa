"""Which files a project's pytest configuration names as test modules: read, never run.

hexcheck leaves test modules out by default (`test_*.py`, `*_test.py`, `tests.py`...), and
some teams name theirs otherwise, telling pytest so: `python_files = *_should.py`, or a
`testpaths` glob that picks the files themselves (`./**/*_spec.py`). Those modules import
every layer, as tests do, and checked as the domain module they sit beside they would each
be a finding about nothing.

The configuration is found as pytest finds it, per directory: the first of `pytest.ini`,
`.pytest.ini`, `pyproject.toml` (`[tool.pytest.ini_options]` or pytest 9's `[tool.pytest]`),
`tox.ini` (`[pytest]`) and `setup.cfg` (`[tool:pytest]`) that holds a pytest section. Its
patterns apply below its directory.

Only file-name patterns are taken (`python_files`, and a `testpaths` entry that ends in
`.py` below `**` or nothing: one below a named folder is not read), and only those that say something of their
own besides `*` and `.py`: at least four literal characters, so that a pattern such as
`*.py` or `*s.py` never leaves a whole source tree out. A file that cannot be read or
parsed is passed over: it is pytest's configuration, not hexcheck's, and the walk goes on.
"""

from __future__ import annotations

import configparser
import fnmatch
import os
import re
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

# In pytest's order of precedence: the first that holds a pytest section is the one read.
CONFIG_NAMES = ("pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")

_INI_SECTIONS = {
    "pytest.ini": "pytest",
    ".pytest.ini": "pytest",
    "tox.ini": "pytest",
    "setup.cfg": "tool:pytest",
}
_MAX_CONFIG_BYTES = 1024 * 1024
_MIN_LITERAL = 4
_WILDCARDS = re.compile(r"[*?]|\[[^\]]*\]")


class PytestPatterns:
    """The file-name patterns one configuration gives test modules (they hold below its
    directory: the walk hands them down)."""

    __slots__ = ("_match", "patterns")

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.patterns = patterns
        # Matched case-sensitively, as pytest does on POSIX.
        self._match = re.compile("|".join(fnmatch.translate(p) for p in patterns)).match

    def names_a_test(self, name: str) -> bool:
        return name != "__init__.py" and self._match(name) is not None


def read(directory: str, names: frozenset[str]) -> PytestPatterns | None:
    """The test-module patterns of the pytest configuration in `directory`, whose entries
    are `names`; None when it holds none, or none that could be taken."""
    for name in CONFIG_NAMES:
        if name not in names:
            continue
        found = _options(os.path.join(directory, name), name)
        if found is None:
            continue  # no pytest section here: pytest looks at the next file
        python_files, testpaths = found
        # A `python_files` entry with a `/` is matched by pytest against the whole path:
        # as a file-name pattern it matches nothing, which is what it then does here.
        patterns = [*python_files, *(p for p in map(_file_glob, testpaths) if p)]
        taken = tuple(dict.fromkeys(p for p in patterns if _specific(p)))
        return PytestPatterns(taken) if taken else None
    return None


def _options(path: str, name: str) -> tuple[list[str], list[str]] | None:
    """`python_files` and `testpaths` of the file's pytest section; None without one."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(_MAX_CONFIG_BYTES + 1)
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if len(raw) > _MAX_CONFIG_BYTES:
        return None
    if name == "pyproject.toml":
        return _toml_options(text)
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except (configparser.Error, RecursionError):
        return None
    section = _INI_SECTIONS[name]
    if not parser.has_section(section):
        # A `pytest.ini` is pytest's configuration even without a `[pytest]` section.
        return ([], []) if section == "pytest" and name != "tox.ini" else None
    return (
        parser.get(section, "python_files", fallback="").split(),
        parser.get(section, "testpaths", fallback="").split(),
    )


def _toml_options(text: str) -> tuple[list[str], list[str]] | None:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return None
    tool = data.get("tool")
    pytest = tool.get("pytest") if isinstance(tool, dict) else None
    if not isinstance(pytest, dict):
        return None
    legacy = pytest.get("ini_options")
    table = legacy if isinstance(legacy, dict) else pytest
    return _strings(table.get("python_files")), _strings(table.get("testpaths"))


def _strings(value: object) -> list[str]:
    """An option given as a list of strings, or as one string of several (the ini form)."""
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [each for each in value if isinstance(each, str)]
    return []


def _file_glob(testpath: str) -> str:
    """The file-name pattern of a `testpaths` entry that picks files anywhere below the
    configuration (`./**/*_should.py`, `*_spec.py`); '' for a folder or a longer path."""
    folder, _, file = testpath.replace("\\", "/").rpartition("/")
    if not file.endswith(".py") or any(part not in ("", ".", "**") for part in folder.split("/")):
        return ""
    return file


def _specific(pattern: str) -> bool:
    """Whether a pattern names test modules, not every module: a `.py` pattern with at
    least four literal characters besides the suffix."""
    return pattern.endswith(".py") and len(_WILDCARDS.sub("", pattern[:-3])) >= _MIN_LITERAL
