"""Roles (SPEC §1): which classes are entities, ports, use cases, adapters, DTOs...

Roles are read off the project model: a class's layer, its bases across modules, its
decorators and its name. They are computed once per model and shared by every rule.
"""

from __future__ import annotations

import builtins
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import CallContext, ClassFact, ExprKind, FunctionFact, ModuleFacts
from hexcheck.core.layers import Layer

# What an `except` clause or an exception handler catches when it names no specific error.
BROAD_EXCEPTIONS = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})
BUILTIN_EXCEPTIONS = frozenset(
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)
ABC_BASES = frozenset({"abc.ABC"})
ABC_METACLASSES = frozenset({"abc.ABCMeta"})
PROTOCOL_BASES = frozenset({"typing.Protocol", "typing_extensions.Protocol"})
ABSTRACT_DECORATORS = frozenset(
    {"abc.abstractmethod", "abc.abstractproperty", "abc.abstractclassmethod", "abc.abstractstaticmethod"}
)
DATACLASS_DECORATORS = frozenset({"dataclasses.dataclass"})
PYDANTIC_BASES = frozenset(
    {"pydantic.BaseModel", "pydantic.main.BaseModel", "pydantic_settings.BaseSettings", "sqlmodel.SQLModel"}
)
DATA_HOLDER_BASES = frozenset(
    {
        "typing.NamedTuple", "typing.TypedDict", "typing_extensions.TypedDict",
        "typing_extensions.NamedTuple", "collections.namedtuple",
        "enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag",
    }
) | PYDANTIC_BASES  # fmt: skip
ROUTER_FACTORIES = frozenset(
    {"fastapi.APIRouter", "fastapi.FastAPI", "fastapi.routing.APIRouter", "fastapi.applications.FastAPI"}
)
ROUTE_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "api_route", "websocket"}
)
PORT_PACKAGES = frozenset({"ports", "repositories", "gateways"})
PORT_SUFFIXES = ("Repository", "Port", "Gateway")
USE_CASE_SUFFIXES = ("UseCase", "Interactor")
USE_CASE_PACKAGES = frozenset({"use_cases", "usecases"})


@dataclass(frozen=True, slots=True)
class ClassRef:
    """A class and the module it lives in; `dotted` is its full name."""

    facts: ModuleFacts
    cls: ClassFact
    # Built once: rules look classes up by this name hundreds of thousands of times.
    dotted: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Interned: the hierarchy holds the same name for the same class.
        object.__setattr__(self, "dotted", sys.intern(f"{self.facts.module}.{self.cls.qualname}"))


# Method name -> (the class declaring it abstract, the method).
AbstractMethods = Mapping[str, tuple[ClassRef, FunctionFact]]


@dataclass(frozen=True, slots=True)
class RouteHandler:
    """A FastAPI route: the function, its route decorator and the HTTP method."""

    facts: ModuleFacts
    function: FunctionFact
    method: str
    router: str  # the dotted name of the APIRouter / FastAPI instance

    @property
    def dotted(self) -> str:
        return f"{self.facts.module}.{self.function.qualname}"


def is_abstract_method(method: FunctionFact) -> bool:
    return method.decorated_with(*ABSTRACT_DECORATORS)


def is_test_module(module: str) -> bool:
    """A test module (`tests/`, `test_x.py`, `x_test.py`, `conftest.py`, as pytest collects
    them): its classes exercise roles, they play none."""
    parts = module.split(".")
    last = parts[-1]
    return (
        bool({"tests", "test"} & set(parts))
        or last.startswith("test_")
        or last.endswith("_test")
        or last == "conftest"
    )


class Roles:
    """The roles of every class and function of one project model."""

    def __init__(self, model: ProjectModel) -> None:
        self.model = model
        # Every rule asks the same questions about the same classes (a call's receiver,
        # each role test walks the ancestry); the model never changes, so answers are
        # kept. Keys are dotted names, with `id(cls)` where the class definition matters
        # (the model's ClassFacts live as long as the model; hashing one would hash all
        # its contents).
        self._refs: dict[str, ClassRef | None] = {}
        self._ancestor_refs: dict[str, tuple[ClassRef, ...]] = {}
        self._bases_and_ancestors_of: dict[tuple[str, int], frozenset[str]] = {}
        self._ancestries: dict[frozenset[str], frozenset[str]] = {}
        self._abstract_methods_of: dict[int, tuple[ClassRef, AbstractMethods]] = {}

    # ------------------------------------------------------------------ classes

    @cached_property
    def classes(self) -> tuple[ClassRef, ...]:
        return tuple(
            ClassRef(facts, cls) for _, facts in sorted(self.model.modules.items()) for cls in facts.classes
        )

    @cached_property
    def _by_dotted(self) -> dict[str, ClassRef]:
        return {ref.dotted: ref for ref in self.classes}

    def ref(self, dotted: str) -> ClassRef | None:
        """The first-party class a (possibly re-exported) dotted name stands for."""
        try:
            return self._refs[dotted]
        except KeyError:
            found = self._refs[dotted] = self._find_ref(dotted)
            return found

    def _find_ref(self, dotted: str) -> ClassRef | None:
        found = self._by_dotted.get(dotted)
        if found is not None:
            return found
        located = self.model.find_class(dotted)
        if located is None:
            return None
        facts, cls = located
        return self._by_dotted.get(f"{facts.module}.{cls.qualname}")

    def layer(self, ref: ClassRef) -> Layer | None:
        return self.model.layer(ref.facts.module)

    def ancestors(self, ref: ClassRef) -> tuple[str, ...]:
        return self.model.ancestors(ref.dotted)

    def _bases_and_ancestors(self, ref: ClassRef) -> frozenset[str]:
        key = (ref.dotted, id(ref.cls))
        cached = self._bases_and_ancestors_of.get(key)
        if cached is None:
            names = {base.name for base in ref.cls.bases}
            names.update(self.ancestors(ref))
            found = frozenset(names)
            # Classes of one kind share their ancestry (every entity, every repository):
            # one set for each, not one per class.
            cached = self._bases_and_ancestors_of[key] = self._ancestries.setdefault(found, found)
        return cached

    def first_party_ancestors(self, ref: ClassRef) -> tuple[ClassRef, ...]:
        found = self._ancestor_refs.get(ref.dotted)
        if found is None:
            found = tuple(ancestor for ancestor in map(self.ref, self.ancestors(ref)) if ancestor is not None)
            self._ancestor_refs[ref.dotted] = found
        # Filtered per call: whether `ref` is among them depends on which object it is.
        if any(ancestor is ref for ancestor in found):
            return tuple(ancestor for ancestor in found if ancestor is not ref)
        return found

    # ------------------------------------------------------------------ kinds of class

    def is_dataclass(self, ref: ClassRef) -> bool:
        return any(decorator.name in DATACLASS_DECORATORS for decorator in ref.cls.decorators)

    def is_exception(self, ref: ClassRef) -> bool:
        return any(
            name in BUILTIN_EXCEPTIONS or name.removeprefix("builtins.") in BUILTIN_EXCEPTIONS
            for name in self._bases_and_ancestors(ref)
        )

    def is_pydantic_model(self, ref: ClassRef) -> bool:
        return bool(self._bases_and_ancestors(ref) & PYDANTIC_BASES)

    def is_data_holder(self, ref: ClassRef) -> bool:
        """Dataclasses, named tuples, typed dicts, enums, Pydantic models, exceptions."""
        return (
            self.is_dataclass(ref)
            or bool(self._bases_and_ancestors(ref) & DATA_HOLDER_BASES)
            or self.is_exception(ref)
        )

    def is_protocol(self, ref: ClassRef) -> bool:
        """A class that lists `Protocol` among its own bases (its subclasses implement it)."""
        return any(base.name in PROTOCOL_BASES for base in ref.cls.bases)

    def declares_abc(self, ref: ClassRef) -> bool:
        return ref.cls.metaclass in ABC_METACLASSES or any(base.name in ABC_BASES for base in ref.cls.bases)

    def abstract_methods(self, ref: ClassRef) -> AbstractMethods:
        """Abstract methods still unimplemented in `ref`, inherited ones included.

        A method's status comes from the first class defining it in `ref`'s
        ancestry (the class itself, then its bases breadth first, as the MRO would
        mostly have it).
        """
        # Keyed by the object (the answer holds `ref` itself); the entry keeps `ref`
        # alive, so that its id cannot be reused by another.
        cached = self._abstract_methods_of.get(id(ref))
        if cached is None:
            cached = self._abstract_methods_of[id(ref)] = (ref, self._abstract_methods(ref))
        return cached[1]

    def _abstract_methods(self, ref: ClassRef) -> AbstractMethods:
        remaining: dict[str, tuple[ClassRef, FunctionFact]] = {}
        seen: set[str] = set()
        for owner in (ref, *self.first_party_ancestors(ref)):
            for method in owner.cls.methods:
                if method.name in seen:
                    continue
                seen.add(method.name)
                if is_abstract_method(method):
                    remaining[method.name] = (owner, method)
        return MappingProxyType(remaining)

    def is_abstract(self, ref: ClassRef) -> bool:
        return self.is_protocol(ref) or self.declares_abc(ref) or bool(self.abstract_methods(ref))

    # ------------------------------------------------------------------ roles

    @cached_property
    def entities(self) -> tuple[ClassRef, ...]:
        """Dataclasses in the domain: entities and value objects."""
        return tuple(
            ref for ref in self.classes if self.layer(ref) is Layer.DOMAIN and self.is_dataclass(ref)
        )

    @cached_property
    def domain_exceptions(self) -> tuple[ClassRef, ...]:
        return tuple(
            ref
            for ref in self.classes
            if self.layer(ref) in (Layer.DOMAIN, Layer.APPLICATION) and self.is_exception(ref)
        )

    def _port_by_place_or_name(self, ref: ClassRef) -> bool:
        packages = set(ref.facts.module.split("."))
        if not (packages & PORT_PACKAGES or ref.cls.name.endswith(PORT_SUFFIXES)):
            return False
        return not self.specialises_other_kind(ref, lambda parent: parent.cls.name.endswith(PORT_SUFFIXES))

    def specialises_other_kind(self, ref: ClassRef, same_kind: Callable[[ClassRef], bool]) -> bool:
        """Whether `ref` specialises a concrete first-party class that is not `same_kind`.

        `class WidePort(Rule)` is a rule, whatever its name says: roles found by name or
        place do not apply to it; `DeleteBookUseCase(Service)` with a use-case base is
        still a use case.
        """
        for base in ref.cls.bases:
            parent = self.ref(base.name)
            if (
                parent is not None
                and parent is not ref
                and not self.is_abstract(parent)
                and not same_kind(parent)
            ):
                return True
        return False

    def _implements_a_port(self, ref: ClassRef) -> bool:
        """A concrete subclass of an abstract first-party class is an implementation."""
        if self.is_protocol(ref) or self.declares_abc(ref) or self.abstract_methods(ref):
            return False
        return any(
            self.is_protocol(a) or self.declares_abc(a) or bool(self.abstract_methods(a))
            for a in self.first_party_ancestors(ref)
        )

    def _wraps_a_port(self, ref: ClassRef) -> bool:
        """A concrete class whose `__init__` receives an abstract first-party class is a
        decorator or service built on a port (`TrackingUserRepository(repository:
        AbstractUserRepository)`), not a contract, whatever its name says."""
        init = ref.cls.method("__init__")
        if init is None:
            return False
        for param in init.params:
            names = param.annotation.names() if param.annotation is not None else ()
            for name in names:
                other = self.ref(name)
                if other is not None and other is not ref and self.is_abstract(other):
                    return True
        return False

    @cached_property
    def ports(self) -> tuple[ClassRef, ...]:
        found = []
        for ref in self.classes:
            if self.layer(ref) not in (Layer.DOMAIN, Layer.APPLICATION):
                continue
            if self.is_data_holder(ref) or self._implements_a_port(ref) or is_test_module(ref.facts.module):
                continue
            by_place_or_name = self._port_by_place_or_name(ref) and not self._wraps_a_port(ref)
            if self.is_abstract(ref) or by_place_or_name:
                found.append(ref)
        return tuple(found)

    @cached_property
    def _port_names(self) -> frozenset[str]:
        return frozenset(ref.dotted for ref in self.ports)

    def is_port(self, ref: ClassRef) -> bool:
        return ref.dotted in self._port_names

    @cached_property
    def use_cases(self) -> tuple[ClassRef, ...]:
        candidates = []
        for ref in self.classes:
            if self.layer(ref) is not Layer.APPLICATION or is_test_module(ref.facts.module):
                continue
            if self.is_data_holder(ref) or self.is_port(ref) or self.is_abstract(ref):
                continue
            if "." in ref.cls.qualname:
                continue
            init = ref.cls.method("__init__")
            collaborators = init is not None and len(init.params) > 1
            in_package = bool(set(ref.facts.module.split(".")[:-1]) & USE_CASE_PACKAGES) or (
                ref.facts.module.rpartition(".")[2] in USE_CASE_PACKAGES
            )
            if (
                ref.cls.name.endswith(USE_CASE_SUFFIXES)
                or ref.cls.method("execute") is not None
                or (in_package and collaborators)
            ):
                candidates.append(ref)
        # A class that specialises a concrete first-party class of another kind
        # (`class ControllerBypassesUseCase(Rule)`) is that kind of thing, whatever its
        # name says; one deriving from a use-case base (`DeleteBookUseCase(Service)`) stays.
        names = {ref.dotted for ref in candidates}
        return tuple(
            ref
            for ref in candidates
            if not self.specialises_other_kind(ref, lambda parent: parent.dotted in names)
        )

    def ports_of(self, ref: ClassRef) -> tuple[ClassRef, ...]:
        return tuple(a for a in self.first_party_ancestors(ref) if self.is_port(a))

    @cached_property
    def adapters(self) -> tuple[ClassRef, ...]:
        """Concrete infrastructure classes deriving, across modules, from a port."""
        return tuple(
            ref
            for ref in self.classes
            if self.layer(ref) is Layer.INFRASTRUCTURE and not self.is_abstract(ref) and self.ports_of(ref)
        )

    @cached_property
    def _adapter_names(self) -> frozenset[str]:
        return frozenset(ref.dotted for ref in self.adapters)

    def is_adapter(self, dotted: str) -> bool:
        ref = self.ref(dotted)
        return ref is not None and ref.dotted in self._adapter_names

    @cached_property
    def dtos(self) -> tuple[ClassRef, ...]:
        return tuple(
            ref for ref in self.classes if self.layer(ref) is Layer.WEB and self.is_pydantic_model(ref)
        )

    @cached_property
    def mappers(self) -> tuple[ClassRef, ...]:
        return tuple(
            ref
            for ref in self.classes
            if self.layer(ref) is Layer.WEB
            and ("mapper" in ref.cls.name.lower() or "mapper" in ref.facts.module.rpartition(".")[2])
        )

    # ------------------------------------------------------------------ functions

    def router_factory(self, dotted: str) -> str:
        """What built the module-level object `dotted` (`fastapi.APIRouter`...), or ''."""
        canonical = self.model.resolve_symbol(dotted)
        module, _, name = canonical.rpartition(".")
        facts = self.model.modules.get(module)
        if facts is None:
            return ""
        for assignment in facts.assignments:
            if assignment.name == name and assignment.value.kind is ExprKind.CALL:
                return assignment.value.name
        return ""

    @cached_property
    def route_handlers(self) -> tuple[RouteHandler, ...]:
        """Routes on module-level routers, and routes registered inside a function on an
        app or router it builds or receives (`def register(app: FastAPI)`, app factories)."""
        found: list[RouteHandler] = []
        for _, facts in sorted(self.model.modules.items()):
            for function in facts.functions:
                found.extend(self._routes_in(facts, function, None))
            for cls in facts.classes:
                for method in cls.methods:
                    found.extend(self._routes_in(facts, method, None))
        return tuple(found)

    def _routes_in(
        self, facts: ModuleFacts, function: FunctionFact, enclosing: FunctionFact | None
    ) -> Iterator[RouteHandler]:
        for decorator in function.decorators:
            if decorator.kind is not ExprKind.CALL:
                continue
            router, _, method = decorator.name.rpartition(".")
            if method not in ROUTE_METHODS:
                continue
            if self.makes_router(self.router_factory(router)) or (
                enclosing is not None and self._builds_or_receives_router(enclosing, router)
            ):
                yield RouteHandler(facts, function, method, router)
                break
        for inner in function.nested:
            yield from self._routes_in(facts, inner, function)

    def _builds_or_receives_router(self, function: FunctionFact, name: str) -> bool:
        """Whether the local `name` in `function` is an app or router: a parameter annotated
        `FastAPI`/`APIRouter`, or, for a local name, one the function builds."""
        if not name or "." in name:
            return False
        for param in function.params:
            if param.name == name:
                return param.annotation is not None and any(
                    self._is_router_class(each) for each in param.annotation.names()
                )
        return any(
            call.context is CallContext.ASSIGNED and self.makes_router(call.callee) for call in function.calls
        )

    def _is_router_class(self, dotted: str) -> bool:
        """`FastAPI`, `APIRouter`, or a first-party subclass of either."""
        if dotted in ROUTER_FACTORIES:
            return True
        ref = self.ref(dotted) if dotted and "?" not in dotted else None
        return ref is not None and bool(set(self.ancestors(ref)) & ROUTER_FACTORIES)

    def makes_router(self, callee: str) -> bool:
        """Whether calling `callee` gives an app or a router: the classes themselves, or a
        first-party factory function annotated to return one (`-> APIRouter`, or a router
        class of a FastAPI extension, `-> ErrorAwareRouter`)."""
        if not callee or "?" in callee:
            return False
        if self._is_router_class(callee):
            return True
        canonical = self.model.resolve_symbol(callee)
        module, _, name = canonical.rpartition(".")
        facts = self.model.modules.get(module)
        if facts is None:
            return False
        for function in facts.functions:
            if function.name == name and function.returns is not None:
                return any(
                    self._is_router_class(each) or each.rpartition(".")[2].endswith("Router")
                    for each in function.returns.names()
                )
        return False

    def functions(self) -> Iterator[tuple[ModuleFacts, ClassRef | None, FunctionFact]]:
        """Every module-level function and method, with its class if it has one."""
        for _, facts in sorted(self.model.modules.items()):
            for function in facts.functions:
                yield facts, None, function
            for cls in facts.classes:
                ref = ClassRef(facts, cls)
                for method in cls.methods:
                    yield facts, ref, method


def roles(model: ProjectModel) -> Roles:
    """The roles of a model, computed once and shared by every rule of a run."""
    return model.index(Roles)
