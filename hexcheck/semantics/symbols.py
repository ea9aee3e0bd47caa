"""Finding definitions and functions: classes by the end of their dotted name, every
function of the project with its class and `self` name, walks over a module's functions
and calls."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import CallFact, ClassFact, Expr, FunctionFact, ModuleFacts
from hexcheck.semantics.roles import ClassRef, Roles, roles


def by_own_name(roles_: Roles) -> dict[str, list[ClassRef]]:
    """First-party classes by their own name: once per model, only when a rule needs it."""
    return roles_.model.index(_classes_by_name)


def _classes_by_name(model: ProjectModel) -> dict[str, list[ClassRef]]:
    roles_ = roles(model)
    found: dict[str, list[ClassRef]] = {}
    for ref in roles_.classes:
        found.setdefault(ref.dotted.rpartition(".")[2], []).append(ref)
    return found


def classes_ending_with(by_name: dict[str, list[ClassRef]], dotted: str) -> list[ClassRef]:
    """The first-party classes whose dotted name ends with `dotted`, a module and a name
    at least (`ports.cache.Cache`, `cache.Cache`)."""
    if "." not in dotted:
        return []
    tail = "." + dotted
    return [ref for ref in by_name.get(dotted.rpartition(".")[2], ()) if ref.dotted.endswith(tail)]


def last_name(dotted: str) -> str:
    return dotted.rpartition(".")[2]


def names_in(expr: Expr | None) -> tuple[str, ...]:
    return expr.names() if expr is not None else ()


def all_functions(functions: Iterable[FunctionFact]) -> Iterator[FunctionFact]:
    for function in functions:
        yield function
        yield from all_functions(function.nested)


def every_call(facts: ModuleFacts) -> Iterator[CallFact]:
    """Module-level calls and the calls of every function and method (nested included once)."""
    yield from facts.calls
    for function in facts.functions:
        yield from function.calls
    for cls in facts.classes:
        for method in cls.methods:
            yield from method.calls


def functions_of(facts: ModuleFacts) -> Iterator[tuple[ClassFact | None, FunctionFact]]:
    for function in facts.functions:
        yield None, function
    for cls in facts.classes:
        for method in cls.methods:
            yield cls, method
