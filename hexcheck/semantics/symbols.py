"""Which definition a dotted name stands for, and walks over functions and calls.

The lookups of a dotted name, each in two modes: exact (the name, re-exports followed,
resolves to a definition in the project) and by suffix (also a name written from the
directory above the import root, `core.deps.get_db` for `app.core.deps.get_db`).
`definition_site` finds module-level names (functions, assignments), `class_sites`
classes; both build on the model's own resolution (`Roles.ref` is the exact class one).
"""

from __future__ import annotations

import builtins

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import AssignmentFact, Expr, ExprKind, FunctionFact, ModuleFacts
from hexcheck.semantics.roles import ClassRef, Roles, roles

# The names Python binds in every module (`str`, `isinstance`, `ValueError`).
BUILTIN_NAMES = frozenset(dir(builtins))

_OPTIONAL = frozenset({"typing.Optional", "typing_extensions.Optional"})
_UNION = frozenset({"typing.Union", "typing_extensions.Union"})


def union_members(annotation: Expr) -> tuple[tuple[Expr, ...], bool] | None:
    """The members of a union annotation but `None` (`X | Y`, `Union[X, Y]`,
    `Optional[X]`), and whether it admits `None`; None for an annotation of no union."""
    kind, name = annotation.kind, annotation.name
    if not (kind is ExprKind.UNION or (kind is ExprKind.SUBSCRIPT and name in _OPTIONAL | _UNION)):
        return None
    members = tuple(a for a in annotation.args if not (a.kind is ExprKind.LITERAL and a.name == "None"))
    return members, name in _OPTIONAL or len(members) < len(annotation.args)


def definition_site(
    model: ProjectModel, dotted: str, by_suffix: bool = False
) -> tuple[ModuleFacts, str] | None:
    """The first-party module a (possibly re-exported) dotted name is defined in, and the
    name there; `None` outside the project.

    `by_suffix`: a project run from the directory above its import root (`app/core/deps.py`
    imported as `core.deps`) names modules that hexcheck knows as `app.core.deps`, so a
    name whose module is unknown is looked up by suffix when only one module matches.
    """
    canonical = model.resolve_symbol(dotted)
    module, _, name = canonical.rpartition(".")
    facts = model.modules.get(module)
    if facts is None and by_suffix and module.count(".") >= 1 and not model.is_first_party(module):
        if model.is_stdlib(module.partition(".")[0]):
            return None
        matches = model.index(_modules_by_suffix).get(module, ())
        if len(matches) == 1:
            return definition_site(model, f"{matches[0]}.{name}", True) if matches[0] != module else None
        return None
    return (facts, name) if facts is not None else None


def _modules_by_suffix(model: ProjectModel) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for module in sorted(model.modules):
        parts = module.split(".")
        for cut in range(1, len(parts)):
            found.setdefault(".".join(parts[cut:]), []).append(module)
    return {suffix: tuple(modules) for suffix, modules in found.items()}


def module_function(facts: ModuleFacts, name: str) -> FunctionFact | None:
    """The module-level function `name` of a module (the first, if redefined)."""
    return next((function for function in facts.functions if function.name == name), None)


def module_assignment(facts: ModuleFacts, name: str) -> AssignmentFact | None:
    """The module-level assignment of `name` in a module (the first)."""
    return next((assignment for assignment in facts.assignments if assignment.name == name), None)


def _classes_by_name(model: ProjectModel) -> dict[str, list[ClassRef]]:
    """First-party classes by their own name: once per model, only when a lookup needs it."""
    roles_ = roles(model)
    found: dict[str, list[ClassRef]] = {}
    for ref in roles_.classes:
        found.setdefault(ref.dotted.rpartition(".")[2], []).append(ref)
    return found


def class_sites(roles_: Roles, dotted: str, by_suffix: bool = False) -> list[ClassRef]:
    """The first-party classes a (possibly re-exported) dotted name stands for: the one
    class it resolves to; `by_suffix`, when it resolves to none, every class whose dotted
    name ends with it (a module and a name at least: `ports.cache.Cache`)."""
    found = roles_.ref(dotted)
    if found is not None:
        return [found]
    return _classes_ending_with(roles_.model.index(_classes_by_name), dotted) if by_suffix else []


def _classes_ending_with(by_name: dict[str, list[ClassRef]], dotted: str) -> list[ClassRef]:
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


TYPE_VARIABLE_FACTORIES = frozenset({"typing.TypeVar", "typing_extensions.TypeVar"})


def is_type_variable(model: ProjectModel, expr: Expr | None) -> bool:
    """Whether an expression names a module-level type variable (`T = TypeVar("T")`)."""
    if expr is None or expr.kind is not ExprKind.NAME:
        return False
    module, _, name = model.resolve_symbol(expr.name).rpartition(".")
    facts = model.modules.get(module)
    return facts is not None and any(
        a.name == name and a.value.kind is ExprKind.CALL and a.value.name in TYPE_VARIABLE_FACTORIES
        for a in facts.assignments
    )
