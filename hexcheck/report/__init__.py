"""Reporters: each module renders a `Report` into one output format.

`FORMATS` maps a `--format` name to `render(report, color) -> str`. Renderers are pure:
same report, same text, no timestamps, paths as the report holds them. Only `review`
uses `color` (ANSI codes for a terminal); the others ignore it.
"""

from __future__ import annotations

from collections.abc import Callable

from hexcheck.engine import Report
from hexcheck.report import concise, github, gitlab, json_report, junit, markdown, review, sarif

Renderer = Callable[[Report, bool], str]

FORMATS: dict[str, Renderer] = {
    "review": review.render,
    "concise": lambda report, color: concise.render(report),
    "json": lambda report, color: json_report.render(report),
    "sarif": sarif.render,
    "github": github.render,
    "gitlab": gitlab.render,
    "junit": junit.render,
    "markdown": markdown.render,
}

# Formats read by programs: `--statistics` goes to stderr with them, so stdout stays valid.
MACHINE_FORMATS = frozenset({"json", "sarif", "gitlab", "junit"})
