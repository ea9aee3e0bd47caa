"""Walking a module's facts: its functions, its calls and what expressions hand over.

Below `roles` and `symbols`, which both walk facts this way (`symbols` builds on `roles`,
so what `roles` needs lives here)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from hexcheck.core.facts import CallFact, ClassFact, Expr, ExprKind, FunctionFact, ModuleFacts


def all_functions(functions: Iterable[FunctionFact]) -> Iterator[FunctionFact]:
    for function in functions:
        yield function
        yield from all_functions(function.nested)


def functions_of(facts: ModuleFacts) -> Iterator[tuple[ClassFact | None, FunctionFact]]:
    """A module's functions, and its classes' methods with their class."""
    for function in facts.functions:
        yield None, function
    for cls in facts.classes:
        for method in cls.methods:
            yield cls, method


def every_function(facts: ModuleFacts) -> Iterator[FunctionFact]:
    """Every function of a module: module-level ones, methods, and those nested in either."""
    return all_functions(function for _, function in functions_of(facts))


def every_call(facts: ModuleFacts) -> Iterator[CallFact]:
    """Module-level calls and the calls of every function and method (nested included once)."""
    yield from facts.calls
    for _, function in functions_of(facts):
        yield from function.calls


def call_parts(expr: Expr | CallFact) -> tuple[Expr, ...]:
    """The arguments of a call, or the parts of an expression, positional then keyword."""
    return (*expr.args, *(value for _, value in expr.keywords))


def names_of_kind(expr: Expr, kind: ExprKind) -> Iterator[str]:
    """The names of one kind an expression holds: `NAME` for what it hands over as a value
    (`starmap(CareProfile, rows)`), `CALL` for what it calls (`{"a": CareProfile(...)}`).
    A type (`dict[str, CareProfile]`, `CareProfile | None`) hands nothing over."""
    if kind is ExprKind.NAME and expr.kind in (ExprKind.SUBSCRIPT, ExprKind.UNION):
        return
    if expr.kind is kind:
        yield expr.name
    for part in call_parts(expr):
        yield from names_of_kind(part, kind)


def values_handed_over(facts: ModuleFacts) -> Iterator[Expr]:
    """What a module hands over as values outside its calls' arguments: module constants,
    class attributes (`entity = CareProfile` of a generic repository), attributes set on
    `self` and parameters' defaults, in every function, nested ones included."""
    yield from (assignment.value for assignment in facts.assignments)
    for cls in facts.classes:
        yield from (attribute.value for attribute in cls.attributes if attribute.value is not None)
    for function in every_function(facts):
        yield from (attribute.value for attribute in function.self_attributes if attribute.value is not None)
        yield from (param.default for param in function.params if param.default is not None)
