"""Finds every rule class in this package's families and chooses the ones a run applies."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from functools import lru_cache

from hexcheck.core.errors import UsageError
from hexcheck.rules.base import Rule

# Modules of this package that hold no rule: what every rule builds on, and each family's
# `_private` helpers (any module whose name starts with an underscore).
_NOT_RULE_MODULES = frozenset({"base", "messages", "registry"})


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule, sorted by code; a rule is any `Rule` subclass with a `code`."""
    package = importlib.import_module("hexcheck.rules")
    # One rule per module, in family sub-packages (`rules/web/hex601_fat_controller.py`).
    for info in pkgutil.walk_packages(package.__path__, "hexcheck.rules."):
        if not info.ispkg and not _is_helper(info.name):
            importlib.import_module(info.name)
    found: dict[str, type[Rule]] = {}
    stack = list(Rule.__subclasses__())
    while stack:
        rule = stack.pop()
        stack.extend(rule.__subclasses__())
        if "code" in vars(rule):
            found[rule.code] = rule
    return tuple(found[code] for code in sorted(found))


def _is_helper(module: str) -> bool:
    name = module.rpartition(".")[2]
    return name in _NOT_RULE_MODULES or name.startswith("_")


def rule_for(code: str) -> type[Rule]:
    for rule in all_rules():
        if rule.code == code.upper():
            return rule
    raise UsageError(f"unknown rule code {code!r}; `hexcheck rules` lists them")


def check_codes(codes: Iterable[str], where: str) -> None:
    """Every code or prefix in `codes` must name at least one rule."""
    known = [rule.code for rule in all_rules()]
    for code in codes:
        if not any(k.startswith(code.upper()) for k in known):
            raise UsageError(f"{where}: {code!r} matches no rule code; `hexcheck rules` lists them")


def select_rules(
    preset: str, select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> tuple[type[Rule], ...]:
    """The rules of a preset, or those `select`ed, less those `ignore`d (codes or prefixes)."""
    chosen_prefixes = tuple(code.upper() for code in select)
    ignored = tuple(code.upper() for code in ignore)
    if chosen_prefixes:
        rules = [r for r in all_rules() if r.code.startswith(chosen_prefixes)]
    else:
        rules = [r for r in all_rules() if preset == "strict" or r.preset == "recommended"]
    return tuple(r for r in rules if not (ignored and r.code.startswith(ignored)))
