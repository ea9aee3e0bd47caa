"""The baseline file: JSON that a team commits and reviews like code.

    {
      "version": 1,
      "findings": [
        {
          "path": "app/domain/book.py",
          "code": "HEX101",
          "symbol": "app.domain.book -> app.infrastructure.db",
          "count": 1
        }
      ]
    }

Entries are sorted by path, code and symbol, indented by two spaces, and the file ends
with a newline, so that fixing a finding deletes its entry's lines from the diff and
nothing else moves. No line numbers and no messages: they change when code moves, and
the file must not. Paths are relative to the file's own directory, with `/`, so the
baseline holds wherever hexcheck is run from.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

from hexcheck.core.baseline import Baseline, BaselineEntry
from hexcheck.core.errors import UsageError

VERSION = 1
DEFAULT_NAME = "hexcheck-baseline.json"
_FIELDS = ("path", "code", "symbol", "count")


def render(baseline: Baseline, directory: str, cwd: str) -> str:
    """The file's text, with paths made relative to `directory` (the file's own)."""
    rows = [
        {
            "path": _relative(entry.path, cwd, directory),
            "code": entry.code,
            "symbol": entry.symbol,
            "count": entry.count,
        }
        for entry in baseline.entries
    ]
    rows.sort(key=lambda row: (row["path"], row["code"], row["symbol"]))
    return json.dumps({"version": VERSION, "findings": rows}, indent=2, ensure_ascii=False) + "\n"


def write_baseline(path: str, baseline: Baseline, cwd: str | None = None) -> None:
    here = os.path.abspath(cwd if cwd is not None else os.getcwd())
    target = os.path.abspath(os.path.join(here, path))
    text = render(baseline, os.path.dirname(target), here)
    try:
        with open(target, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as error:
        raise UsageError(f"cannot write the baseline {path}: {error.strerror or error}") from error


def read_baseline(path: str, cwd: str | None = None, rewrite: str = "hexcheck baseline") -> Baseline:
    """The baseline in the file at `path`, its paths relative to `cwd` as reports show them.

    Raises `UsageError` naming the file and what is wrong with it; `rewrite` is the
    command the message offers to write the file anew (the CLI gives the one for the
    same project, so that pasting it cannot record another one's findings).
    """
    here = os.path.abspath(cwd if cwd is not None else os.getcwd())
    target = os.path.abspath(os.path.join(here, path))
    try:
        with open(target, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError as error:
        raise UsageError(f"baseline file not found: {path}; `{rewrite}` writes one") from error
    except OSError as error:
        raise UsageError(f"cannot read the baseline {path}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise UsageError(f"baseline {path}: not valid UTF-8") from error
    except json.JSONDecodeError as error:
        raise UsageError(f"baseline {path}: not valid JSON: {error}") from error
    return _parse(data, path, os.path.dirname(target), here, rewrite)


def _parse(data: Any, path: str, directory: str, cwd: str, rewrite: str) -> Baseline:
    def wrong(where: str, expected: str) -> UsageError:
        return UsageError(f"baseline {path}: {where}: expected {expected}")

    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise wrong("the top level", 'an object with a "findings" array, as `hexcheck baseline` writes')
    if data.get("version") != VERSION:
        raise wrong("version", f"{VERSION}; rewrite the file with `{rewrite}`")
    counts: dict[tuple[str, str, str], int] = {}
    for index, row in enumerate(data["findings"]):
        where = f"findings[{index}]"
        if not isinstance(row, dict):
            raise wrong(where, "an object")
        unknown = sorted(set(row) - set(_FIELDS))
        if unknown:
            raise wrong(f"{where}.{unknown[0]}", "no such key; entries have path, code, symbol and count")
        for name in ("path", "code", "symbol"):
            if not isinstance(row.get(name), str) or not row[name]:
                raise wrong(f"{where}.{name}", "a non-empty string")
        count = row.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise wrong(f"{where}.count", "a positive integer")
        key = (_display(row["path"], directory, cwd), row["code"], row["symbol"])
        counts[key] = counts.get(key, 0) + count
    return Baseline.from_counts(counts)


def display_paths(paths: Sequence[str], cwd: str | None = None) -> tuple[str, ...]:
    """The checked `paths` as reports show paths: relative to `cwd` with `/`, "" for `cwd`."""
    here = os.path.abspath(cwd if cwd is not None else os.getcwd())
    shown = []
    for path in paths:
        absolute = os.path.normpath(os.path.join(here, path))
        shown.append("" if absolute == here else _display(absolute, here, here))
    return tuple(shown)


def _relative(display: str, cwd: str, directory: str) -> str:
    absolute = os.path.normpath(os.path.join(cwd, display))
    return os.path.relpath(absolute, directory).replace(os.sep, "/")


def _display(path: str, directory: str, cwd: str) -> str:
    """A path of the file (relative to `directory`) as reports show it (see filesystem)."""
    absolute = os.path.normpath(os.path.join(directory, path))
    inside = absolute == cwd or absolute.startswith(cwd.rstrip(os.sep) + os.sep)
    return (os.path.relpath(absolute, cwd) if inside else absolute).replace(os.sep, "/")


__all__ = ["DEFAULT_NAME", "BaselineEntry", "display_paths", "read_baseline", "render", "write_baseline"]
