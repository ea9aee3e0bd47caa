"""What attributes, parameters and module-level names hold; what a call's receiver is.

What a call's receiver is comes from annotations and assignments only: `self._books`
assigned from an `__init__` parameter annotated `BookRepository` (or annotated itself, or
declared at class level), a parameter annotated `httpx.AsyncClient`, a module-level
`client = MongoClient(...)`. Local variables are not followed; a call whose receiver is
not known is not judged, except for the Motor/PyMongo method names, which are specific
enough to be recognised in a module that imports the driver.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import CallFact, Expr, ExprKind, FunctionFact, ModuleFacts, ParamKind
from hexcheck.semantics.coroutines import coroutine_method, is_coroutine_function
from hexcheck.semantics.libraries import (
    DRIVER_CONSTRUCTORS,
    DRIVER_COROUTINE_NAMES,
    DRIVER_PACKAGES,
    DRIVERS,
    MONGO_SPECIFIC,
    PYMONGO_ASYNC_COROUTINES,
    PYMONGO_ASYNC_SPECIFIC,
    Driver,
    driver_of,
    is_driver_name,
    top_package,
    untyped_mongo_driver,
    uses_sync_pymongo,
)
from hexcheck.semantics.roles import ClassRef, Roles, roles
from hexcheck.semantics.symbols import definition_site, module_assignment, module_function, names_in

PROPERTIES = frozenset({"property", "functools.cached_property", "abc.abstractproperty"})
_STATIC = frozenset({"staticmethod", "abc.abstractstaticmethod"})


_TYPING_MODULES = ("typing.", "typing_extensions.", "collections.abc.")


def _type_names(expr: Expr | None) -> tuple[str, ...]:
    """The classes an annotation names, `Optional`/`Annotated`/`Union` and the like aside."""
    return tuple(name for name in names_in(expr) if not name.startswith(_TYPING_MODULES))


def is_static(function: FunctionFact) -> bool:
    return function.decorated_with(*_STATIC)


def self_name_of(function: FunctionFact, in_class: bool) -> str:
    if not in_class or is_static(function) or not function.params:
        return ""
    first = function.params[0]
    if first.kind in (ParamKind.POSITIONAL, ParamKind.POSITIONAL_ONLY):
        return first.name
    return ""


class TypeIndex:
    """What attributes, parameters and module-level names hold, as resolved type names.

    Built once per model and shared by the rules of this family.
    """

    def __init__(self, model: ProjectModel) -> None:
        self.model = model
        self.roles = roles(model)
        # By (dotted name, `id(cls)`): the model's ClassFacts live as long as the model.
        self._attributes: dict[tuple[str, int], dict[str, tuple[str, ...]]] = {}
        self._variables: dict[str, tuple[str, ...]] = {}
        # HEX503 types every call of every function: the same callees and module paths
        # come up again and again, and the answers depend on the name only.
        self._functions: dict[str, tuple[ModuleFacts, FunctionFact] | None] = {}
        self._async_functions: dict[str, str] = {}
        self._module_receivers: dict[str, tuple[tuple[str, ...], int]] = {}
        self._could_be_coroutine: dict[str, bool] = {}
        self._coroutine_methods: dict[tuple[tuple[str, ...], str], str] = {}
        # By `id(function)`, the function kept in the entry so that its id stays its own
        # (hashing a FunctionFact would hash all its contents).
        self._params: dict[int, tuple[FunctionFact, dict[str, tuple[str, ...]]]] = {}

    def _expr_types(
        self,
        expr: Expr | None,
        params: dict[str, tuple[str, ...]],
        self_name: str,
        attribute: Callable[[str], tuple[str, ...]],
    ) -> tuple[str, ...]:
        """The types an assigned value stands for.

        A name passes its type on (a parameter, `self.other`, a module-level variable);
        a call of a first-party class or a driver constructor gives that class; a call
        of a first-party function gives its return annotation. A subscript or a method
        call on a typed object gives a driver type only: `database["books"]` of a Motor
        database is a Motor collection, `factory.create()` is not a factory.
        """
        if expr is None:
            return ()
        name = expr.name
        head, _, rest = name.partition(".")
        if expr.kind is ExprKind.NAME:
            if name in params:
                return params[name]
            if self_name and head == self_name and rest and "." not in rest:
                return attribute(rest)
            return self.module_variable(name) if "." in name else ()
        if expr.kind not in (ExprKind.CALL, ExprKind.SUBSCRIPT) or not name or "?" in name:
            return ()
        if expr.kind is ExprKind.CALL:
            if name in DRIVER_CONSTRUCTORS or is_driver_name(name) or self.roles.ref(name) is not None:
                return (name,)
            located = self.function(name)
            if located is not None:
                return _type_names(located[1].returns)
        if head in params and head != self_name:
            base = params[head]
        elif self_name and head == self_name and rest:
            base = attribute(rest.partition(".")[0])
        elif "." in name:
            base = self.module_variable(name.rpartition(".")[0] if expr.kind is ExprKind.CALL else name)
        else:
            base = ()
        return tuple(t for t in base if is_driver_name(t))

    def attributes(self, ref: ClassRef) -> dict[str, tuple[str, ...]]:
        """`self.<name>` -> type names, for `ref` and its first-party ancestors (the class
        itself wins): class-level annotations and assignments, properties' return
        annotations, `self.x: T = ...`, and `self.x = param` / `self.x = Driver(...)` /
        `self.x = database["books"]` / `self.x = self.y` in methods."""
        # By class definition, not by name alone: a module may define a class twice (`if
        # ...: class Secret` / `else: class Secret`), each definition with its attributes.
        cached = self._attributes.get((ref.dotted, id(ref.cls)))
        if cached is not None:
            return cached
        # name -> how it is bound, in order of precedence: (annotation, value, params, self)
        bindings: dict[str, list[tuple[Expr | None, Expr | None, dict[str, tuple[str, ...]], str]]] = {}
        for owner in (ref, *self.roles.first_party_ancestors(ref)):
            own: dict[str, list[tuple[Expr | None, Expr | None, dict[str, tuple[str, ...]], str]]] = {}
            for attribute in owner.cls.attributes:
                own.setdefault(attribute.name, []).append((attribute.annotation, attribute.value, {}, ""))
            for method in owner.cls.methods:
                if method.decorated_with(*PROPERTIES) and method.returns is not None:
                    own.setdefault(method.name, []).append((method.returns, None, {}, ""))
                if not method.self_attributes:
                    continue
                self_name = self_name_of(method, True)
                params = self.params_of(method)
                for attribute in method.self_attributes:
                    own.setdefault(attribute.name, []).append(
                        (attribute.annotation, attribute.value, params, self_name)
                    )
            for name, ways in own.items():
                bindings.setdefault(name, ways)
        found: dict[str, tuple[str, ...]] = {}
        resolving: set[str] = set()

        def resolve(name: str) -> tuple[str, ...]:
            if name in found:
                return found[name]
            if name in resolving:
                return ()
            resolving.add(name)
            types: tuple[str, ...] = ()
            for annotation, value, params, self_name in bindings.get(name, ()):
                types = _type_names(annotation) or self._expr_types(value, params, self_name, resolve)
                if types:
                    break
            resolving.discard(name)
            found[name] = types
            return types

        for name in bindings:
            resolve(name)
        result = {name: types for name, types in found.items() if types}
        self._attributes[(ref.dotted, id(ref.cls))] = result
        return result

    def params_of(self, function: FunctionFact) -> dict[str, tuple[str, ...]]:
        """Parameter name -> annotated type names (the caller must not change the dict)."""
        cached = self._params.get(id(function))
        if cached is None:
            cached = self._params[id(function)] = (function, self.param_types(function))
        return cached[1]

    @staticmethod
    def param_types(function: FunctionFact) -> dict[str, tuple[str, ...]]:
        return {
            param.name: _type_names(param.annotation)
            for param in function.params
            if param.annotation is not None
        }

    def module_variable(self, dotted: str) -> tuple[str, ...]:
        """The types of a module-level variable (`client = MongoClient(...)`)."""
        canonical = self.model.resolve_symbol(dotted)
        cached = self._variables.get(canonical)
        if cached is not None:
            return cached
        self._variables[canonical] = ()  # a cycle of aliases types nothing
        located = definition_site(self.model, canonical)
        assignment = module_assignment(*located) if located is not None else None
        types: tuple[str, ...] = ()
        if assignment is not None:
            types = _type_names(assignment.annotation) or self._expr_types(
                assignment.value, {}, "", lambda _: ()
            )
        self._variables[canonical] = types
        return types

    def receiver(self, call: CallFact, where: Where) -> tuple[tuple[str, ...], int]:
        """The types of the object a method call is made on, and how many attribute hops
        lie between that typed object and the method (`self._db.books.insert_one`: 1).

        `((), 0)` when the receiver is not known.
        """
        parts = call.callee.split(".")
        if len(parts) < 2 or "?" in parts[:-1]:
            return (), 0
        head = parts[0]
        if where.self_name and head == where.self_name and where.cls is not None:
            if len(parts) < 3:
                return (), 0
            return self._walk(self.attributes(where.cls).get(parts[1], ()), parts[2:-1])
        params = self.params_of(where.function)
        if head in params:
            return self._walk(params[head], parts[1:-1])
        # What follows depends on the callee alone, and the same module paths
        # (`client.db.books.insert_one`, `logger.info`) are called all over the project.
        found = self._module_receivers.get(call.callee)
        if found is None:
            found = self._module_receivers[call.callee] = self._module_receiver(parts)
        return found

    def _module_receiver(self, parts: list[str]) -> tuple[tuple[str, ...], int]:
        """`receiver` for a callee rooted at a module-level variable (`client.db.insert_one`)."""
        for cut in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:cut])
            if "." not in prefix:
                break
            types = self.module_variable(prefix)
            if types:
                return self._walk(types, parts[cut:-1])
        return (), 0

    def _walk(self, types: tuple[str, ...], hops: list[str]) -> tuple[tuple[str, ...], int]:
        """Follow attribute hops through first-party classes (`uow.books` where the unit
        of work declares `books: BookRepository`); the hops left are returned."""
        for index, hop in enumerate(hops):
            found: list[str] = []
            for type_name in types:
                ref = self.roles.ref(type_name)
                if ref is not None:
                    found.extend(self.attributes(ref).get(hop, ()))
            if not found:
                return types, len(hops) - index
            types = tuple(dict.fromkeys(found))
        return types, 0

    # ------------------------------------------------------------------ coroutines

    def method_of(self, type_names: tuple[str, ...], name: str) -> list[tuple[ClassRef, FunctionFact]]:
        """The definitions of method `name` on the first-party classes among `type_names`."""
        found: list[tuple[ClassRef, FunctionFact]] = []
        for type_name in type_names:
            ref = self.roles.ref(type_name)
            if ref is None:
                continue
            for owner in (ref, *self.roles.first_party_ancestors(ref)):
                method = owner.cls.method(name)
                if method is not None:
                    found.append((owner, method))
                    break
        return found

    def function(self, dotted: str) -> tuple[ModuleFacts, FunctionFact] | None:
        """The first-party module-level function a resolved name stands for."""
        try:
            return self._functions[dotted]
        except KeyError:
            found = self._functions[dotted] = self._find_function(dotted)
            return found

    def _find_function(self, dotted: str) -> tuple[ModuleFacts, FunctionFact] | None:
        located = definition_site(self.model, dotted)
        if located is None:
            return None
        function = module_function(*located)
        return (located[0], function) if function is not None else None

    def async_function(self, dotted: str) -> str:
        """`dotted` if it names a first-party coroutine function (module-level, or a static
        or class method called on its class), else ''."""
        try:
            return self._async_functions[dotted]
        except KeyError:
            found = self._async_functions[dotted] = self._async_function(dotted)
            return found

    def _async_function(self, dotted: str) -> str:
        located = self.function(dotted)
        if located is not None:
            return dotted if is_coroutine_function(located[1]) else ""
        owner_name, _, name = dotted.rpartition(".")
        owner = self.roles.ref(owner_name) if owner_name else None
        if owner is None:
            return ""
        method = owner.cls.method(name)
        if method is None or not (is_static(method) or method.decorated_with("classmethod")):
            return ""
        return f"{owner.cls.name}.{name}" if is_coroutine_function(method) else ""

    @cached_property
    def wheres(self) -> tuple[Where, ...]:
        """`functions(roles)`: every module-level function and method."""
        return tuple(Where(facts, cls, function) for facts, cls, function in self.roles.functions())

    @cached_property
    def _coroutine_names(self) -> frozenset[str]:
        """The names of every first-party `async def` function and method."""
        return frozenset(
            function.name
            for facts in self.model.modules.values()
            for function in (*facts.functions, *(method for cls in facts.classes for method in cls.methods))
            if function.is_async
        )

    @cached_property
    def may_return_coroutines(self) -> frozenset[str]:
        """The callees of the project that `_names_a_coroutine`."""
        callees = {call.callee for where in self.wheres for call in where.function.calls}
        callees.update(call.callee for facts in self.model.modules.values() for call in facts.calls)
        return frozenset(callee for callee in callees if self._names_a_coroutine(callee))

    def _names_a_coroutine(self, callee: str) -> bool:
        """Whether calling `callee` may return a coroutine, wherever it is called: it ends
        with the name of a first-party `async def` or of a Motor method (a method found
        through the receiver's type has the name it is called by), or it names, through
        re-exports, a first-party coroutine function (`async_function`)."""
        # The answer depends on the callee alone, and the same callees recur.
        could = self._could_be_coroutine.get(callee)
        if could is None:
            name = callee.rpartition(".")[2]
            could = self._could_be_coroutine[callee] = (
                (name in DRIVER_COROUTINE_NAMES and "." in callee)
                or name in self._coroutine_names
                or bool(self.async_function(callee))
            )
        return could

    def _coroutine_method(self, type_names: tuple[str, ...], name: str) -> str:
        """`_coroutine_method(self.method_of(type_names, name))`, kept: the same methods
        are called on the same types from many functions."""
        key = (type_names, name)
        found = self._coroutine_methods.get(key)
        if found is None:
            found = self._coroutine_methods[key] = coroutine_method(self.method_of(type_names, name))
        return found

    def _inherited_driver_method(self, type_names: tuple[str, ...], name: str) -> str:
        for type_name in type_names:
            ref = self.roles.ref(type_name)
            if ref is None or self.method_of((type_name,), name):
                continue
            for ancestor in self.roles.ancestors(ref):
                driver = driver_of(ancestor)
                if driver is not None and name in driver.coroutines:
                    return _driver_message(driver, name)
        return ""

    def coroutine_source(self, call: CallFact, where: Where) -> str:
        """Why `call` returns a coroutine, for the message; '' if nothing known says so.

        Known: an `async def` method of a first-party class reached through `self` or a
        typed attribute or parameter, a first-party `async def` function, a Motor method
        (in a module importing `motor`) on an object not typed as something else.
        """
        # Most calls name neither an `async def` of the project nor a Motor method: what
        # follows could only answer '' for them, and typing their receiver is the costly part.
        if not self._names_a_coroutine(call.callee):
            return ""
        parts = call.callee.split(".")
        name = parts[-1]
        # The module's driver last: it reads the module's imports, the name test is cheap.
        untyped = where.mongo_driver if name in PYMONGO_ASYNC_COROUTINES and len(parts) > 1 else None
        maybe_mongo = untyped is not None and name in untyped.coroutines
        specific = PYMONGO_ASYNC_SPECIFIC if untyped is DRIVERS[1] else MONGO_SPECIFIC
        guessed = _driver_message(untyped, name) if maybe_mongo and name in specific else ""
        if "?" in parts[:-1]:  # `db["books"].insert_one(...)`, `self._client()[...]...`
            return guessed
        head = parts[0]
        if where.cls is not None and where.self_name and head == where.self_name and len(parts) == 2:
            return self._coroutine_method((where.cls.dotted,), name)
        # A class-level coroutine of a document class (Beanie's `Book.get(book_id)`).
        if len(parts) > 2 and head != where.self_name and not where.is_parameter(head):
            owner = self.roles.ref(".".join(parts[:-1]))
            inherited = self._inherited_driver_method((owner.dotted,), name) if owner is not None else ""
            if inherited:
                return inherited
        # A name only some other driver makes a coroutine (`execute`, `get`): judged only
        # on a receiver typed as that driver's, in a module importing a driver.
        if (
            name not in PYMONGO_ASYNC_COROUTINES
            and name not in self._coroutine_names
            and not any(top_package(fact.target) in _ASYNC_DRIVER_PACKAGES for fact in where.facts.imports)
        ):
            return ""
        types, hops = self.receiver(call, where)
        if types:
            first_party = tuple(t for t in types if self.roles.ref(t) is not None)
            if first_party:
                if hops != 0:
                    return ""
                # A Beanie/ODMantic document: its persistence methods are the driver's.
                return self._coroutine_method(first_party, name) or self._inherited_driver_method(
                    first_party, name
                )
            for type_name in types:
                driver = driver_of(type_name)
                if driver is not None and (hops == 0 or driver.name in _MONGO_DRIVERS):
                    return _driver_message(driver, name) if name in driver.coroutines else ""
            return ""
        if head != where.self_name and not where.is_parameter(head):
            target = self.async_function(call.callee)
            if target:
                return f"'{target}' is a coroutine function"
        return guessed


_MONGO_DRIVERS = frozenset({"Motor's", "PyMongo's async"})
_ASYNC_DRIVER_PACKAGES = DRIVER_PACKAGES | {"sqlalchemy", "beanie", "odmantic"}


def _driver_message(driver: Driver | None, name: str) -> str:
    if driver is None:
        return ""
    return f"{driver.name} '{name}' returns an awaitable"


def type_index(model: ProjectModel) -> TypeIndex:
    return model.index(TypeIndex)


@dataclass(frozen=True, slots=True)
class Where:
    """A function being judged: its module, its class (if a method) and its `self` name.

    Slotted, with nothing cached on it: there is one per function of the project
    (77,000 on a 10,000-module tree), and what a rule asks of one it asks rarely."""

    facts: ModuleFacts
    cls: ClassRef | None
    function: FunctionFact
    self_name: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "self_name", self_name_of(self.function, self.cls is not None))

    @property
    def mongo_driver(self) -> Driver | None:
        """The async Mongo driver the module imports (`untyped_mongo_driver`)."""
        return untyped_mongo_driver(self.facts)

    @property
    def uses_sync_pymongo(self) -> bool:
        return uses_sync_pymongo(self.facts)

    def is_parameter(self, head: str) -> bool:
        """Whether `head` names a parameter but `self`: `books.save` with a parameter
        `books` is no module path."""
        return head != self.self_name and any(param.name == head for param in self.function.params)

    @property
    def qualname(self) -> str:
        return self.function.qualname

    @property
    def dotted(self) -> str:
        return f"{self.facts.module}.{self.function.qualname}"


def function_sites(r: Roles) -> tuple[Where, ...]:
    """Every module-level function and method, built once per model: HEX503 and HEX505
    walk them all, and each `Where` keeps what it worked out (`self_name`...)."""
    return type_index(r.model).wheres
