"""Reporters: each module renders a `Report` into one output format.

`FORMATS` maps a `--format` name to `render(report, color) -> str`. Renderers are pure:
same report, same text, no timestamps, paths as the report holds them. Only `review`
uses `color` (ANSI codes for a terminal); the others ignore it.

A renderer's module is imported when it is first used: a run loads only the format it
prints, and `python -m hexcheck.report.rule_docs` runs without the package having
imported that module first.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from hexcheck.engine import Report

Renderer = Callable[[Report, bool], str]


def _renderer(module: str, takes_color: bool = True) -> Renderer:
    def render(report: Report, color: bool) -> str:
        found = importlib.import_module(f"{__name__}.{module}")
        text: str = found.render(report, color) if takes_color else found.render(report)
        return text

    render.__doc__ = f"`hexcheck.report.{module}.render`"
    return render


FORMATS: dict[str, Renderer] = {
    "review": _renderer("review"),
    "concise": _renderer("concise", takes_color=False),
    "json": _renderer("json_report", takes_color=False),
    "sarif": _renderer("sarif"),
    "github": _renderer("github"),
    "gitlab": _renderer("gitlab"),
    "junit": _renderer("junit"),
    "markdown": _renderer("markdown"),
}

# Formats read by programs: `--statistics` goes to stderr with them, so stdout stays valid.
MACHINE_FORMATS = frozenset({"json", "sarif", "gitlab", "junit"})
