"""What several web rules share; nothing outside the family uses it."""

from __future__ import annotations

from hexcheck.core.facts import FunctionFact


def display_name(function: FunctionFact) -> str:
    return function.name
