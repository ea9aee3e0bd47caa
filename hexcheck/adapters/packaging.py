"""Packaging metadata as evidence for import roots: read, never run.

`pyproject.toml` (setuptools, poetry, hatch and pdm package settings), `setup.cfg` and
`setup.py` each say where a distribution's packages live. A `setup.py` is read as text:
a literal `package_dir={"": "src"}` or `where="src"` is taken; packages that only running
it would tell (a computed list) are left to the evidence of the imports, with a note.
Every file that cannot be read or parsed gives a note, and discovery goes on.
"""

from __future__ import annotations

import configparser
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from hexcheck.adapters.toml import tomllib

METADATA_NAMES = frozenset({"pyproject.toml", "setup.py", "setup.cfg"})

_SETUP_PACKAGE_DIR = re.compile(r"""package_dir\s*=\s*\{\s*(['"])\1\s*:\s*['"]([^'"]+)['"]""")
_SETUP_WHERE = re.compile(r"""where\s*=\s*\[?\s*['"]([^'"]+)['"]""")
_SETUP_PACKAGES = re.compile(r"""\bpackages\s*=\s*(\S)""")
_SETUP_STATIC_PACKAGES = re.compile(
    r"""\bpackages\s*=\s*(?:\[|\(|find_packages\(|find_namespace_packages\(|setuptools\.find)"""
)


@dataclass(frozen=True, slots=True)
class Distribution:
    """A directory holding packaging metadata, and the package roots it declares."""

    directory: str
    package_roots: tuple[str, ...]
    notes: tuple[str, ...]


# Packaging metadata is a few KiB; a larger file is not worth reading whole.
_MAX_METADATA_BYTES = 1024 * 1024


def read_distribution(directory: str, names: Iterable[str], shown: str) -> Distribution:
    """The package roots that the metadata files `names` in `directory` declare.

    `shown` is how notes name the directory.
    """
    roots: list[str] = []
    notes: list[str] = []
    for name in sorted(names):
        path = os.path.join(directory, name)
        prefix = f"{shown.rstrip('/')}/{name}" if shown not in ("", ".") else name
        try:
            with open(path, "rb") as handle:
                raw = handle.read(_MAX_METADATA_BYTES + 1)
        except OSError as error:
            notes.append(
                f"{prefix}: cannot read it ({error.strerror or error}); its packaging settings are ignored"
            )
            continue
        if len(raw) > _MAX_METADATA_BYTES:
            size = f"over {_MAX_METADATA_BYTES // 1024} KiB"
            notes.append(f"{prefix}: {size}; its packaging settings are ignored")
            continue
        if name == "pyproject.toml":
            found, note = _pyproject_roots(raw)
        elif name == "setup.cfg":
            found, note = _setup_cfg_roots(raw)
        else:
            found, note = _setup_py_roots(raw)
        if note:
            notes.append(f"{prefix}: {note}")
        roots.extend(os.path.normpath(os.path.join(directory, each)) for each in found)
    return Distribution(directory, tuple(sorted(set(roots))), tuple(notes))


def _pyproject_roots(raw: bytes) -> tuple[list[str], str]:
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return [], f"not valid TOML ({error}); its packaging settings are ignored"
    except RecursionError:  # arrays nested thousands deep: tomllib recurses once a level
        return [], "nested too deeply to read as TOML; its packaging settings are ignored"
    tool = data.get("tool")
    tool = tool if isinstance(tool, dict) else {}
    found: list[str] = []
    setuptools = tool.get("setuptools")
    if isinstance(setuptools, dict):
        package_dir = setuptools.get("package-dir")
        if isinstance(package_dir, dict) and isinstance(package_dir.get(""), str):
            found.append(package_dir[""])
        packages = setuptools.get("packages")
        if isinstance(packages, dict):
            find = packages.get("find")
            where = find.get("where") if isinstance(find, dict) else None
            if isinstance(where, list):
                found.extend(each for each in where if isinstance(each, str))
    poetry = tool.get("poetry")
    if isinstance(poetry, dict) and isinstance(poetry.get("packages"), list):
        for entry in poetry["packages"]:
            if isinstance(entry, dict) and isinstance(entry.get("from"), str):
                found.append(entry["from"])
    hatch = tool.get("hatch")
    wheel = _dig(hatch, "build", "targets", "wheel")
    if isinstance(wheel, dict) and isinstance(wheel.get("packages"), list):
        found.extend(os.path.dirname(each) or "." for each in wheel["packages"] if isinstance(each, str))
    pdm_dir = _dig(tool.get("pdm"), "build", "package-dir")
    if isinstance(pdm_dir, str):
        found.append(pdm_dir)
    return [each for each in found if _relative(each)], ""


def _setup_cfg_roots(raw: bytes) -> tuple[list[str], str]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(raw.decode("utf-8"))
    except (UnicodeDecodeError, configparser.Error, RecursionError) as error:
        return (
            [],
            f"cannot be read as an INI file ({str(error).splitlines()[0]}); "
            "its packaging settings are ignored",
        )
    found: list[str] = []
    package_dir = parser.get("options", "package_dir", fallback="")
    for line in package_dir.splitlines():
        key, _, value = line.partition("=")
        if value.strip() and not key.strip():
            found.append(value.strip())
    where = parser.get("options.packages.find", "where", fallback="").strip()
    if where:
        found.append(where)
    return [each for each in found if _relative(each)], ""


def _setup_py_roots(raw: bytes) -> tuple[list[str], str]:
    text = raw.decode("utf-8", "replace")
    found = [match.group(2) for match in _SETUP_PACKAGE_DIR.finditer(text)]
    found += [match.group(1) for match in _SETUP_WHERE.finditer(text)]
    note = ""
    if _SETUP_PACKAGES.search(text) and not _SETUP_STATIC_PACKAGES.search(text):
        note = (
            "its packages can only be known by running it, which hexcheck never does; "
            "the import roots come from the imports instead"
        )
    return [each for each in found if _relative(each)], note


def _dig(table: object, *keys: str) -> object:
    for key in keys:
        if not isinstance(table, dict):
            return None
        table = table.get(key)
    return table


def _relative(path: str) -> bool:
    # A package root outside the distribution (`..`, an absolute path) is no evidence here.
    return bool(path) and not os.path.isabs(path) and ".." not in path.replace("\\", "/").split("/")
