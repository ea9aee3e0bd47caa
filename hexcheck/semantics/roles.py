"""Roles (SPEC §1): which classes are entities, ports, use cases, adapters, DTOs...

Roles are read off the project model: a class's layer, its bases across modules, its
decorators and its name. They are computed once per model and shared by every rule.
"""

from __future__ import annotations

import builtins
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from types import MappingProxyType

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import (
    AttributeFact,
    BodyKind,
    CallFact,
    ClassFact,
    Expr,
    ExprKind,
    FunctionFact,
    ModuleFacts,
    ParamKind,
)
from hexcheck.core.layers import Layer
from hexcheck.semantics.libraries import ORM_BASES
from hexcheck.semantics.routes import RouteFinder, RouteHandler
from hexcheck.semantics.walk import call_parts, every_call, functions_of, names_of_kind, values_handed_over

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
ATTRS_DECORATORS = frozenset(
    {
        "attr.s", "attr.attrs", "attr.define", "attr.frozen", "attr.mutable", "attr.dataclass",
        "attrs.define", "attrs.frozen", "attrs.mutable",
    }
)  # fmt: skip
# Abstract bases of the model itself: what entities, events and value objects derive from.
MODEL_BASE_NAMES = frozenset(
    {
        "AggregateRoot", "Aggregate", "AggregateBase", "BaseAggregate", "BaseAggregateRoot",
        "Entity", "BaseEntity", "DomainEntity", "AbstractEntity", "ValueObject",
        "BaseValueObject", "DomainEvent", "BaseDomainEvent", "Event", "BaseEvent",
        "DomainModel", "BaseModel",
    }
)  # fmt: skip
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
PORT_PACKAGES = frozenset({"ports", "repositories", "gateways"})
_SCHEMA_PACKAGES = frozenset({"pydantic", "pydantic_settings"})
PORT_SUFFIXES = ("Repository", "Port", "Gateway")
USE_CASE_SUFFIXES = ("UseCase", "Interactor")
USE_CASE_PACKAGES = frozenset({"use_cases", "usecases"})
_USE_CASE_NAMES = tuple(suffix.lower() for suffix in USE_CASE_SUFFIXES)
# What a use case's caller calls: `execute`, or the project's own single entry point;
# teams that come from .NET (MediatR's `Handle`) spell them as C# does.
ENTRY_POINTS = ("execute", "__call__", "handle", "Handle", "Execute")
# The entry points a project may make its own convention instead of `execute`.
_OWN_ENTRY_POINTS = ("__call__", "handle", "Handle", "Execute")
# The parameter that hands a link of a chain of responsibility the next one.
_NEXT_LINK = re.compile(r"next(_\w+)?|successor")
# Classes whose names say they are not entities: exceptions whose ancestry does not
# resolve, use cases and services kept in the domain, builders.
_NOT_ENTITY_SUFFIXES = (
    "Error", "Exception", "UseCase", "Usecase", "Interactor", "Service", "Handler", "Builder",
    "Factory", "Repository",
)  # fmt: skip
# Records named for what an error reports about its cause (`ImportIssue`, `FieldViolation`).
_ERROR_DETAIL_SUFFIXES = ("Issue", "Issues", "Detail", "Details", "Violation", "Violations", "Problem")
# The messages a use case is handed: what to do or what to look up, not the doing.
_MESSAGE_SUFFIXES = ("Command", "Query")
# Records named for what they carry across a boundary (`AlarmDetailDTO`, `CreateRoleData`,
# `OrderFactoryProps`, `UserPayload`, `LockSettings`): messages and settings, not the
# model's stateful classes, as long as they carry no behaviour (a `FriendRequest` that
# can be accepted is an aggregate). (`...Event` is not one: a `CalendarEvent` is an entity.)
_RECORD_SUFFIXES = (
    "DTO", "Dto", "Data", "Props", "Params", "Payload", "Request", "Response", "Settings",
)  # fmt: skip
# Records named for what a query or a computation gives back (`ImportResult`,
# `ProcessingRunSummary`, `DocumentStatusView`, `PendingRequestSnapshot`): read models and
# results when bare (`Roles._reads_like_a_result`). (`...Entry` and `...Record` are not
# among them: a ledger's entries and a run's persisted records are entities.)
_READ_MODEL_SUFFIXES = (
    "Result", "Results", "Summary", "View", "Info", "Snapshot", "Details", "Output", "Page",
    "Stats", "Statistics", "Totals", "Metric", "Metrics", "Projection", "ReadModel",
)  # fmt: skip
# What copies an instance with other values (`replace(CARE_PROFILES["betta"], ...)`).
COPIES = frozenset({"dataclasses.replace", "copy.replace", "attrs.evolve", "attr.evolve"})
_MODEL_PACKAGES = frozenset(
    {
        "entities", "entity", "value_objects", "value_object", "valueobjects", "aggregates",
        "aggregate", "vo", "vos",
    }
)  # fmt: skip
# The parameters of a query, handed to a repository's `find`/`list` (`ProductCriteria`,
# `PetSearchFilters`, `ById`, `BySchoolId`): what to look for, not the model's state.
_QUERY_SUFFIXES = ("Criteria", "Criterion", "Filter", "Filters")
_QUERY_PREFIX = re.compile(r"By(?:[A-Z]\w*?)?Ids?(?![a-z])")
# Data transfer objects by name: no use case is called so (`...Request`, `...Settings` are).
_DTO_SUFFIXES = ("DTO", "Dto")
# What a domain service is made of: its fields are all ports or services.
_SERVICE_SUFFIXES = ("Service", "Policy", "Calculator", "Provider", "Factory")


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


def is_abstract_method(method: FunctionFact) -> bool:
    return method.decorated_with(*ABSTRACT_DECORATORS)


def is_interface_by_convention(ref: ClassRef) -> bool:
    """A class whose every method beyond dunders raises `NotImplementedError`
    (`class IRepository: def find(self, id_): raise NotImplementedError`): an interface
    written without `ABC`, for subclasses to implement."""
    methods = [m for m in ref.cls.methods if not (m.name.startswith("__") and m.name.endswith("__"))]
    return bool(methods) and all(method.body is BodyKind.NOT_IMPLEMENTED for method in methods)


def is_frozen_dataclass(ref: ClassRef) -> bool:
    """A class decorated with `frozen=True` (`@dataclass(frozen=True)`): its state cannot
    change once built."""
    return any(
        decorator.kind is ExprKind.CALL
        and any(key == "frozen" and value.name == "True" for key, value in decorator.keywords)
        for decorator in ref.cls.decorators
    )


def filed_as_use_case(ref: ClassRef) -> bool:
    """Whether the team files a class as a use case: by its name (`...UseCase`,
    `...Interactor`) or its package (`use_cases/`, `usecases/`)."""
    return ref.cls.name.endswith(USE_CASE_SUFFIXES) or bool(
        set(ref.facts.module.split(".")) & USE_CASE_PACKAGES
    )


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


# Names of test doubles: they implement what one test needs, not the whole contract.
_TEST_DOUBLE_PREFIXES = ("Fake", "Stub", "Mock", "Dummy", "Spy")


def is_test_double(ref: ClassRef) -> bool:
    """A class in a test module, or named as a test double (`FakeBookRepository`)."""
    return is_test_module(ref.facts.module) or ref.cls.name.startswith(_TEST_DOUBLE_PREFIXES)


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
        self._model_bases: dict[tuple[str, int], bool] = {}

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

    def is_attrs_class(self, ref: ClassRef) -> bool:
        return any(decorator.name in ATTRS_DECORATORS for decorator in ref.cls.decorators)

    def sets_state_in_init(self, ref: ClassRef) -> bool:
        """A plain class whose own `__init__` assigns attributes of `self`."""
        init = ref.cls.method("__init__")
        return init is not None and bool(init.self_attributes)

    def is_stateful(self, ref: ClassRef) -> bool:
        """A class that holds state: a dataclass, an attrs class, a Pydantic model, or a
        plain class that sets its state in `__init__`."""
        return (
            self.is_dataclass(ref)
            or self.is_attrs_class(ref)
            or self.is_pydantic_model(ref)
            or self.sets_state_in_init(ref)
        )

    def _holds_data_only(self, ref: ClassRef) -> bool:
        """Named tuples, typed dicts, enums, Pydantic models, exceptions: never a port or an
        adapter. (A `@dataclass` may be either: the decorator does not take the role away.)"""
        return bool(self._bases_and_ancestors(ref) & DATA_HOLDER_BASES) or self.is_exception(ref)

    def is_exception(self, ref: ClassRef) -> bool:
        """A builtin exception among its ancestors, or a library's exception class
        (`fastapi.HTTPException`, `sqlalchemy.exc.SQLAlchemyError`): outside the project,
        a class named `...Error`/`...Exception` is one, as PEP 8 names them."""
        return any(
            name in BUILTIN_EXCEPTIONS
            or name.removeprefix("builtins.") in BUILTIN_EXCEPTIONS
            or (
                "." in name
                and "?" not in name
                and name.endswith(("Error", "Exception"))
                and not self.model.is_first_party(name)
            )
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

    def is_orm_model(self, ref: ClassRef) -> bool:
        """A row of an ORM: a declarative SQLAlchemy model (or one of a first-party base with
        a `__tablename__`), a Django model, a Beanie or MongoEngine document."""
        return bool(self._bases_and_ancestors(ref) & ORM_BASES) or any(
            attribute.name == "__tablename__"
            for owner in (ref, *self.first_party_ancestors(ref))
            for attribute in owner.cls.attributes
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
        return (
            self.is_protocol(ref)
            or (self.declares_abc(ref) and not self.completes_an_abstraction(ref))
            or bool(self.abstract_methods(ref))
        )

    def completes_an_abstraction(self, ref: ClassRef) -> bool:
        """A class that lists `ABC` among its bases yet leaves no abstract method of its
        first-party abstract ancestors unimplemented (`PayPalAdaptor(PayPalPlugin, ABC)`):
        a concrete implementation with a stray `ABC`, not another abstraction."""
        if self.is_protocol(ref) or self.abstract_methods(ref):
            return False
        return any(
            any(is_abstract_method(method) for method in ancestor.cls.methods)
            for ancestor in self.first_party_ancestors(ref)
        )

    # ------------------------------------------------------------------ roles

    @cached_property
    def entities(self) -> tuple[ClassRef, ...]:
        """The domain's stateful classes, entities and value objects: dataclasses, attrs
        classes and plain classes that set their state in `__init__`. Ports, exceptions,
        other data holders, domain services (see `is_domain_service`), the records a port
        of the same module exchanges and classes with coroutine methods are not."""
        found = []
        for ref in self.classes:
            if self.layer(ref) is not Layer.DOMAIN:
                continue
            if self.is_dataclass(ref) or self.is_attrs_class(ref):
                pass
            elif not self.sets_state_in_init(ref) or self.is_data_holder(ref) or self.is_pydantic_model(ref):
                continue
            if (
                self.is_port(ref)
                or self.is_domain_service(ref)
                or ref.cls.name.endswith(_NOT_ENTITY_SUFFIXES)
                or (ref.cls.name.endswith(_RECORD_SUFFIXES) and not _has_behaviour(ref))
                or self._reads_like_a_result(ref)
                or self._asks_a_query(ref)
                or self._exchanged_by_a_port(ref)
                or self._carried_by_an_error(ref)
                or _has_coroutines(ref)
                or _names_its_constants(ref)
            ):
                continue
            found.append(ref)
        return tuple(found)

    def _reads_like_a_result(self, ref: ClassRef) -> bool:
        """A record named for what a query or a computation gives back (`ImportResult`,
        `RunSummary`), bare (`_a_bare_record`) and handed to no port, or one only the
        domain's computations build (`_computed_records`): a read model or a result. An
        `ExamResult` with an `id` that its repository saves, or a `ContactInfo` a
        `Student` holds, is the model's; one held only by results it makes up (the
        `InvoiceLineResult`s of an `InvoiceTotals` named for a result too) is a result."""
        return ref.dotted in self._results

    @cached_property
    def _results(self) -> frozenset[str]:
        """The domain's result records: named and shaped as results, or built only by the
        domain's own computations (`_computed_records`), and held by nothing but results.
        A nested `TaxSummary` of an `Order`'s `OrderTotals` is the model's:
        what holds its holder counts too, so this is found as a fixpoint."""
        computed = self._computed_records
        results = {
            ref.dotted
            for ref in self.classes
            if self.layer(ref) is Layer.DOMAIN and (self._a_result_record(ref) or ref.dotted in computed)
        }
        changed = True
        while changed:
            held_elsewhere = {
                dotted
                for dotted in results
                if any(holder.dotted not in results for holder in self._holders.get(dotted, ()))
            }
            results -= held_elsewhere
            changed = bool(held_elsewhere)
        return frozenset(results)

    def _a_result_record(self, ref: ClassRef) -> bool:
        return (
            ref.cls.name.endswith(_READ_MODEL_SUFFIXES)
            and self._a_bare_record(ref, held=False)
            and ref.dotted not in self._handed_to_ports
        )

    @cached_property
    def _computed_records(self) -> frozenset[str]:
        """The domain's bare records that only the domain's own computations build: every
        instance outside tests is made in a `return` of a domain function or of another
        class's method (`compute_gst` ending in `return GstBreakup(taxable=..., cgst=...)`,
        `Cart.fill_level()`), mostly from values the computation works out (`_worked_out`),
        not from its parameters handed on, as a factory's `return Address(street, city)`
        does. No caller hands such a record a state to check: code the domain owns works
        its values out, as an `ImportResult`'s are by name. One filed with the model
        (`value_objects/`) needs a result's name too (`StockSummary`): there a bare value
        object may be built the same way.

        It is the model's when it has an identity of its own (`id`, `uuid`, `order_id` on an
        `Order`, inherited too), a port is handed it, it builds itself (`cls(...)`,
        `type(self)(...)`) or is copied (`replace(...)`), a method of its own or of a base
        builds it, it is built outside the domain, at a module's top level, from fewer
        arguments than it takes (`GstBreakup(**row)`), by a factory of its own
        (`GstBreakup.zero()`), beside another instance the function does not return (a
        lambda's or a nested function's among them), or handed on where it is returned
        (`self.outbox.send(notice); return notice`), or handed over as a value
        (`map(GstBreakup, rows)`). What holds one is judged in `_results`."""
        candidates = {
            ref.dotted: ref
            for ref in self.classes
            if self.layer(ref) is Layer.DOMAIN
            # Filed with the model (`value_objects/`), it takes a result's name as well.
            and self._a_bare_record(
                ref, identity=False, held=False, filed=not ref.cls.name.endswith(_READ_MODEL_SUFFIXES)
            )
            and not _named_identity(self, ref)
            and ref.dotted not in self._handed_to_ports
            and not self.builds_itself(ref)
        }
        if not candidates:
            return frozenset()
        modules = {ref.facts.module for ref in candidates.values()}
        # The names the candidates go by: their own, and those an import binds them to
        # (`from .tax import GstBreakup as Breakup`).
        names = {dotted.rpartition(".")[2] for dotted in candidates}
        for facts in self.model.modules.values():
            for fact in facts.imports:
                for name, bound in zip(fact.names, fact.bound_as, strict=False):
                    if name in names and bound:
                        names.add(bound)

        def wanted(name: str) -> str:
            if name.rpartition(".")[2] not in names:
                return ""
            found = self.ref(name)
            return found.dotted if found is not None and found.dotted in candidates else ""

        only_computed: dict[str, bool] = {}

        def seen(dotted: str, computed: bool) -> None:
            only_computed[dotted] = only_computed.get(dotted, True) and computed

        def handed_over(value: Expr) -> None:
            """A candidate handed over as a value, itself or a factory of it."""
            for name in names_of_kind(value, ExprKind.NAME):
                if dotted := wanted(name) or wanted(name.rpartition(".")[0]):
                    seen(dotted, False)

        for facts in self.model.modules.values():
            if is_test_module(facts.module) or not self._may_name(facts, names, modules):
                continue
            in_domain = self.model.layer(facts.module) is Layer.DOMAIN
            if any(call.callee in COPIES for call in every_call(facts)):
                for dotted in self._defined_or_imported(facts, candidates):
                    seen(dotted, False)  # a copy with other values: `replace(breakup, cgst=x)`
            for value in values_handed_over(facts):
                handed_over(value)
            for call in facts.calls:  # built, or a factory called, outside any computation
                for dotted in {wanted(call.callee), wanted(call.callee.rpartition(".")[0])} - {""}:
                    seen(dotted, False)
                for part in call_parts(call):
                    handed_over(part)
            for owner, function in functions_of(facts):
                for call in function.calls:
                    for part in call_parts(call):
                        handed_over(part)
                    if dotted := wanted(call.callee):
                        ref = candidates[dotted]
                        seen(
                            dotted,
                            in_domain
                            and not self._built_by_its_kin(ref, facts, owner)
                            and len(call_parts(call)) >= _required_arguments(self, ref)
                            and _only_returned(function, call.callee)
                            and _worked_out(function, owner, call),
                        )
                    elif dotted := wanted(call.callee.rpartition(".")[0]):
                        seen(dotted, False)  # `GstBreakup.zero()`: a factory of its own
        return frozenset(dotted for dotted, computed in only_computed.items() if computed)

    def _may_name(self, facts: ModuleFacts, names: set[str], modules: set[str]) -> bool:
        """Whether a module may name one of the candidates: it defines one, or imports one
        by a name it goes by, or imports a module that defines one (`from shop.domain
        import tax`, `import shop.domain.tax`)."""
        if facts.module in modules:
            return True
        return any(
            fact.target in modules
            or any(name in names or f"{fact.target}.{name}" in modules for name in fact.names)
            or any(bound in names for bound in fact.bound_as)
            for fact in facts.imports
        )

    def _defined_or_imported(self, facts: ModuleFacts, candidates: Mapping[str, ClassRef]) -> Iterator[str]:
        """The candidates a module defines, or imports from their modules or a package that
        re-exports them."""
        imported = {
            found.dotted
            for fact in facts.imports
            for name in fact.names
            if (found := self.ref(f"{fact.target}.{name}")) is not None
        }
        targets = {fact.target for fact in facts.imports}
        for dotted, ref in candidates.items():
            if ref.facts.module == facts.module or dotted in imported or ref.facts.module in targets:
                yield dotted

    def builds_itself(self, ref: ClassRef) -> bool:
        """Whether a method of the class or of a base builds an instance of it: a classmethod
        factory (`cls(...)`, whatever its first parameter is called), `self.__class__(...)` or
        `type(self)(...)` (`self` named as the method's first parameter). Callers of such a
        method hand the instance their values."""
        for method in (m for owner in (ref, *self.first_party_ancestors(ref)) for m in owner.cls.methods):
            first = method.params[0].name if method.params else ""
            own = {first} if method.decorated_with("classmethod") else {f"{first}.__class__"}
            callees = {call.callee for call in method.calls}
            if callees & own or (
                "?" in callees
                and any(
                    call.callee == "type" and call.args and call.args[0].name == first
                    for call in method.calls
                )
            ):
                return True
        return False

    def _built_by_its_kin(self, ref: ClassRef, facts: ModuleFacts, owner: ClassFact | None) -> bool:
        """Whether a method of the class itself or of a base builds it (`Money.add` returning
        a `Money`): its callers hand the values on."""
        if owner is None:
            return False
        builder = ClassRef(facts, owner)
        return builder.dotted == ref.dotted or builder.dotted in self.ancestors(ref)

    @cached_property
    def _holders(self) -> dict[str, list[ClassRef]]:
        """The domain classes that type a field with each class."""
        found: dict[str, list[ClassRef]] = {}
        for ref in self.classes:
            if self.layer(ref) is not Layer.DOMAIN:
                continue
            names = {
                name
                for attribute in _fields(ref)
                if attribute.annotation is not None
                for name in attribute.annotation.names()
            }
            for name in names:
                found.setdefault(name, []).append(ref)
        return found

    def _asks_a_query(self, ref: ClassRef) -> bool:
        """A record named for what a query looks for (`...Criteria`, `...Filters`, `ById`,
        `BySchoolId`), as bare as a result (`_a_bare_record`): a query's parameters, which a
        repository's `find` is handed. A `SearchCriteria` a `JobAlert` holds, or an
        `AirFilter` with an `id` in a shop's catalogue, is the model's."""
        name = ref.cls.name
        # `ById(id)` looks an entity up by its id: there the field is what is asked for.
        if _QUERY_PREFIX.match(name) is not None:
            return self._a_bare_record(ref, identity=False)
        return name.endswith(_QUERY_SUFFIXES) and self._a_bare_record(ref)

    def _a_bare_record(
        self, ref: ClassRef, identity: bool = True, held: bool = True, filed: bool = True
    ) -> bool:
        """No behaviour, no `__post_init__` of its own or inherited from a first-party base,
        no `id` field (when `identity`: an `id` is an entity's identity), kept outside the
        model's packages (when `filed`: a name alone does not take a class out of them), and
        (when `held`) held as a field by no domain class."""
        return (
            not _has_behaviour(ref)
            and all(
                ancestor.cls.method("__post_init__") is None
                for ancestor in (ref, *self.first_party_ancestors(ref))
            )
            and not (filed and _MODEL_PACKAGES.intersection(ref.facts.module.split(".")))
            and not (identity and any(attribute.name == "id" for attribute in _fields(ref)))
            and not (held and ref.dotted in self._holders)
        )

    @cached_property
    def _handed_to_ports(self) -> frozenset[str]:
        """The classes a port's method takes."""
        return frozenset(
            name
            for ref in self.classes
            if self.is_port(ref)
            for method in ref.cls.methods
            for param in method.params[1:]
            if param.annotation is not None
            for name in param.annotation.names()
        )

    def _exchanged_by_a_port(self, ref: ClassRef) -> bool:
        """A record declared beside a port that the port's methods take or answer
        (`ports/llm_client.py: LlmCompletion`, returned by `LlmClient.complete`): what
        the port exchanges, not part of the model."""
        return ref.dotted in self._exchanged_records

    @cached_property
    def _exchanged_records(self) -> frozenset[str]:
        """What each module's ports take or answer, among the classes declared beside them,
        and the bare records of that module (`_a_bare_record`) that a bare exchanged record
        holds (`CompanyRecord.other_activities: tuple[Activity, ...]`) or specialises
        (`ByIdentity(Query)` for a `find(query: Query)`): the port's vocabulary, not the
        model. An aggregate the port saves is exchanged, but what it holds is the model's:
        only records grow the exchange, and a record that a domain class outside it holds
        stays the model's."""
        found: set[str] = set()
        for ports in self._ports_by_module.values():
            named = {
                name
                for port in ports
                for method in port.cls.methods
                for annotation in (*(param.annotation for param in method.params), method.returns)
                if annotation is not None
                for name in annotation.names()
            }
            beside = [ClassRef(ports[0].facts, cls) for cls in ports[0].facts.classes]
            bare = {ref.dotted for ref in beside if self._a_bare_record(ref, held=False)}
            exchanged = {ref.dotted for ref in beside if ref.dotted in named}
            records = exchanged & bare
            joining = [ref for ref in beside if ref.dotted in bare - exchanged]
            while joined := [ref for ref in joining if self._joins_an_exchange(ref, records, beside)]:
                records.update(ref.dotted for ref in joined)
                joining = [ref for ref in joining if ref not in joined]
            found |= exchanged | records
        return frozenset(found)

    def _joins_an_exchange(self, ref: ClassRef, records: set[str], beside: list[ClassRef]) -> bool:
        """Whether a bare record belongs to the records a port exchanges (see
        `_exchanged_records`): held by one of them or specialising one, held by nothing
        else."""
        if any(holder.dotted not in records for holder in self._holders.get(ref.dotted, ())):
            return False
        specialises = any(
            base is not None and base.dotted in records
            for base in map(self.ref, (b.name for b in ref.cls.bases if b.name))
        )
        return specialises or any(
            annotation is not None and ref.dotted in annotation.names()
            for record in beside
            if record.dotted in records
            for _, annotation in self.state_types(record)
        )

    def _carried_by_an_error(self, ref: ClassRef) -> bool:
        """A record declared beside an exception whose `__init__` takes it
        (`QuestionQueueImportIssue`, the rows an `ImportInvalidError(issues=...)` reports):
        the details of an error, not part of the model: taken as a collection
        (`issues: list[ImportIssue]`) or named for details (`...Issue`, `...Detail`,
        `...Violation`). Bare (`_a_bare_record`) but for the error holding it. A `Money`
        that `CurrencyMismatch(left: Money, right: Money)` takes beside it, or an `Account`
        with its `id` and behaviour that `InsufficientFunds(account: Account)` takes, is
        still the model's."""
        details = ref.cls.name.endswith(_ERROR_DETAIL_SUFFIXES)
        # Held by the model too (`Account.balance: Money`), it is the model's.
        held_by_errors_only = all(self.is_exception(holder) for holder in self._holders.get(ref.dotted, ()))
        return (
            self._a_bare_record(ref, held=False)
            and held_by_errors_only
            and any(
                annotation is not None
                and ref.dotted in annotation.names()
                and (details or _a_collection_of(annotation, ref.dotted))
                for cls in ref.facts.classes
                if cls is not ref.cls and self.is_exception(error := ClassRef(ref.facts, cls))
                for _, annotation in self.state_types(error)
            )
        )

    @cached_property
    def _ports_by_module(self) -> dict[str, list[ClassRef]]:
        found: dict[str, list[ClassRef]] = {}
        for port in self.ports:
            found.setdefault(port.facts.module, []).append(port)
        return found

    def is_plain_entity(self, ref: ClassRef) -> bool:
        """An entity written as a plain class: its `__init__` is where validation belongs."""
        return not (self.is_dataclass(ref) or self.is_attrs_class(ref))

    def state_types(self, ref: ClassRef) -> tuple[tuple[str, Expr | None], ...]:
        """The fields of a stateful class with their annotations: class-level annotated
        names of a dataclass or attrs class, `__init__` parameters of a plain class."""
        if self.is_dataclass(ref) or self.is_attrs_class(ref):
            return tuple((a.name, a.annotation) for a in ref.cls.attributes if a.annotation is not None)
        init = ref.cls.method("__init__")
        if init is None:
            return ()
        return tuple((param.name, param.annotation) for param in init.params[1:])

    def is_domain_service(self, ref: ClassRef) -> bool:
        """A class whose fields are all ports or services (`@dataclass class LoanPolicy:
        loans: LoanRepository; clock: Clock`): behaviour over collaborators, not state. A
        plain class that receives a port next to its settings (`secret: str`) is one too:
        entities do not hold repositories."""
        fields = self.state_types(ref)
        if not fields:
            return False
        collaborators = [
            annotation is not None and self._is_collaborator_type(annotation) for _, annotation in fields
        ]
        if all(collaborators):
            return True
        return self.is_plain_entity(ref) and any(
            annotation is not None
            and any(
                (other := self.ref(name)) is not None and self.is_port(other)
                for name in annotation.names()
                if name and "?" not in name
            )
            for _, annotation in fields
        )

    def _is_collaborator_type(self, annotation: Expr) -> bool:
        names = [name for name in annotation.names() if name and "?" not in name]
        if not names:
            return False
        for name in names:
            other = self.ref(name)
            if other is None:
                return False
            if not (self.is_interface(other) or other.cls.name.endswith(_SERVICE_SUFFIXES)):
                return False
        return True

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

    def _shaped_as_interface(self, ref: ClassRef) -> bool:
        """Written for subclasses to fill in: a `Protocol`, an `ABC`, a class with abstract
        methods, or an interface by convention (see `is_interface_by_convention`)."""
        return (
            self.is_protocol(ref)
            or self.declares_abc(ref)
            or bool(self.abstract_methods(ref))
            or is_interface_by_convention(ref)
        )

    def is_interface(self, ref: ClassRef) -> bool:
        """A contract that something outside the model fulfils: abstract (see
        `is_abstract`) or an interface by convention, and not a base of the model.

        A class that entities, events or value objects derive from (`AggregateRoot(ABC)`,
        an `Identity` whose `text` raises `NotImplementedError`) is part of the model: a
        class deriving from it is a model class, not an adapter, and a field typed with
        it is state, not a collaborator. The one place both kinds of interface leave
        model bases out."""
        return (self.is_abstract(ref) or is_interface_by_convention(ref)) and not self.is_model_base(ref)

    def _implements_a_port(self, ref: ClassRef) -> bool:
        """A concrete subclass of a class shaped as an interface is an implementation, or
        (the interface being a model base) a class of the model: not a port either way. So
        is a concrete class beside a `Protocol` that defines every method the Protocol
        declares (`NullEventPublisher` beside `EventPublisher`): a Protocol is implemented
        by shape, not by inheritance, and a null object is kept next to its port."""
        if self.is_abstract(ref):
            return False
        if any(self._shaped_as_interface(a) for a in self.first_party_ancestors(ref)):
            return True
        own = {method.name for method in ref.cls.methods}
        for other in ref.facts.classes:
            if other is ref.cls or not any(base.name in PROTOCOL_BASES for base in other.bases):
                continue
            declared = {method.name for method in other.methods if not method.name.startswith("_")}
            if declared and declared <= own:
                return True
        return False

    def _wraps_a_port(self, ref: ClassRef) -> bool:
        """A concrete class whose `__init__` receives an abstract first-party class is a
        decorator or service built on a port (`TrackingUserRepository(repository:
        AbstractUserRepository)`), not a contract, whatever its name says; so is one that
        receives use cases, a driving facade (`TelegramFacade(register_uc:
        RegisterSubscriberUseCase)` in `ports/driving/`)."""
        init = ref.cls.method("__init__")
        if init is None or self.is_abstract(ref):
            return False
        for param in init.params:
            names = param.annotation.names() if param.annotation is not None else ()
            for name in names:
                other = self.ref(name)
                if other is None or other is ref:
                    continue
                if self.is_abstract(other) or self._looks_like_a_use_case(other):
                    return True
        return False

    def _looks_like_a_use_case(self, ref: ClassRef) -> bool:
        """Whether a collaborator is a use case: named like one, or an application class
        run through a use case's entry point (a `GetSubscriberQuery.__call__`); a
        `Database.execute` elsewhere is no use case."""
        return ref.cls.name.endswith(USE_CASE_SUFFIXES) or (
            self.layer(ref) is Layer.APPLICATION
            and any(ref.cls.method(name) is not None for name in ENTRY_POINTS)
        )

    @cached_property
    def ports(self) -> tuple[ClassRef, ...]:
        """Abstract contracts of the core, and classes named or placed as ports. A
        `@dataclass` port stays one; an abstract base of the model (`AggregateRoot`,
        `DomainEvent`) is not one."""
        found = []
        for ref in self.classes:
            if self.layer(ref) not in (Layer.DOMAIN, Layer.APPLICATION):
                continue
            if self._holds_data_only(ref) or self._implements_a_port(ref) or is_test_module(ref.facts.module):
                continue
            abstract = self.is_abstract(ref)
            if self.is_dataclass(ref) and not abstract:
                continue  # a record, whatever its name
            by_place_or_name = (
                self._port_by_place_or_name(ref)
                and not self._wraps_a_port(ref)
                and not (abstract and self._adapters_base(ref))
            )
            if by_place_or_name or (abstract and self.is_interface(ref) and not self.is_template_base(ref)):
                found.append(ref)
        return tuple(found)

    def is_template_base(self, ref: ClassRef) -> bool:
        """An abstract class of the core that carries shared behaviour for its subclasses
        rather than a contract for something outside: it has methods with code and
        either declares nothing abstract (an `ABC` only in name), implements abstract
        methods of a first-party ancestor (a partial implementation), or is implemented
        by nothing outside the core (nor refines a port named as one) while the core
        implements it or nothing receives it (no parameter or field is typed with it). A
        port is a contract the core depends on and something outside fulfils."""
        if self.is_protocol(ref):
            return False
        if not _own_code(ref.cls):
            return False
        if not self.abstract_methods(ref):
            return True
        if _shares_more_than_it_asks(
            ref, frozenset(self.abstract_methods(ref))
        ) and not self._given_to_a_use_case(ref):
            return True
        if self._implements_an_ancestors_contract(ref):
            return True
        ancestors = self.first_party_ancestors(ref)
        # A refinement of a port named or placed as one (`RepositoryUUID(Repository)`)
        # is still that contract, with a default the adapters inherit.
        if any(self._port_by_place_or_name(a) for a in ancestors):
            return False
        subclasses = [
            sub
            for name in self.model.subclasses(ref.dotted)
            if (sub := self.ref(name)) is not None and not is_test_module(sub.facts.module)
        ]
        layers = {self.layer(sub) for sub in subclasses}
        if layers & {Layer.INFRASTRUCTURE, Layer.WEB, Layer.COMPOSITION}:
            return False
        # Fulfilled only by the core itself (the agents of an agent base, the use cases of
        # a use-case base holding the session): a hierarchy of the core's own, whatever
        # receives it. Nothing derived from it, or something unplaced: a contract when
        # the project's code receives it.
        if (
            layers
            and layers <= {Layer.DOMAIN, Layer.APPLICATION}
            and not any(self._stands_in_for_an_adapter(sub) for sub in subclasses)
        ):
            return True
        return ref.dotted not in self._injected

    def _given_to_a_use_case(self, ref: ClassRef) -> bool:
        """Whether a use case's `__init__` takes it (by annotation): what the core is
        built on is its contract, whatever else the class carries. Use cases told by
        their look (`_looks_like_a_use_case`), not `use_cases`, which asks for the ports."""
        for other in self.classes:
            init = other.cls.method("__init__")
            if init is None or other is ref or not self._looks_like_a_use_case(other):
                continue
            for param in init.params[1:]:
                names = param.annotation.names() if param.annotation is not None else ()
                if any(
                    (named := self.ref(name)) is not None and named.dotted == ref.dotted for name in names
                ):
                    return True
        return False

    def _adapters_base(self, ref: ClassRef) -> bool:
        """A partial implementation of a port kept beside it (`InMemorySearchableRepository`
        in `repositories.py`, implementing `search` over its own `_apply_filter` hook): it
        implements an ancestor's contract, adds no public abstract method and nothing
        receives it. A refinement the use cases take (`UserRepository(Repository[User])`
        with a default `get` and its own `find_by_email`) is still their port."""
        return (
            ref.dotted not in self._injected
            and all(method.name.startswith("_") for method in ref.cls.methods if is_abstract_method(method))
            and self._implements_an_ancestors_contract(ref)
        )

    def _implements_an_ancestors_contract(self, ref: ClassRef) -> bool:
        """Whether methods with code of `ref` implement what a first-party ancestor
        declares abstract, or leaves raising `NotImplementedError` (`AbstractDao(IDao)`
        giving `filter` and `get` to the DAOs that derive from it): a partial
        implementation, whatever its module is named."""
        implemented = {method.name for method in _own_code(ref.cls)}
        return any(
            any(
                (is_abstract_method(m) or m.body is BodyKind.NOT_IMPLEMENTED) and m.name in implemented
                for m in a.cls.methods
            )
            for a in self.first_party_ancestors(ref)
        )

    def _stands_in_for_an_adapter(self, ref: ClassRef) -> bool:
        """Whether a class kept in the core fulfils a port from outside all the same: a
        test double or an in-memory store (`FakeUsers`, `InMemoryUsers`), or a class whose
        module imports a package the application may not use (an ORM, a driver; not
        Pydantic, which validates payloads in every layer), as an adapter kept beside its
        port (cosmicpython's `SqlAlchemyUnitOfWork` in `service_layer/unit_of_work.py`)."""
        if is_test_double(ref) or ref.cls.name.startswith("InMemory"):
            return True
        # A schema library's import (payload models validated with Pydantic) is no adapter's.
        return any(
            package not in _SCHEMA_PACKAGES
            for _, package in self.model.forbidden_imports(ref.facts, Layer.APPLICATION)
        )

    def is_injected(self, ref: ClassRef) -> bool:
        """Whether a parameter or a class field outside the class is typed with it: the
        project's code receives it as a collaborator."""
        return ref.dotted in self._injected

    @cached_property
    def _injected(self) -> frozenset[str]:
        """First-party classes that a parameter or a class field is typed with, outside
        the class's own methods: what the project's code receives as a collaborator."""
        found: set[str] = set()
        for _, owner, function in self.functions():
            for param in function.params:
                if param.annotation is None:
                    continue
                for name in param.annotation.names():
                    other = self.ref(name) if name and "?" not in name else None
                    if other is not None and (owner is None or other.dotted != owner.dotted):
                        found.add(other.dotted)
        for ref in self.classes:
            for attribute in ref.cls.attributes:
                if attribute.annotation is None:
                    continue
                for name in attribute.annotation.names():
                    other = self.ref(name) if name and "?" not in name else None
                    if other is not None and other.dotted != ref.dotted:
                        found.add(other.dotted)
        return frozenset(found)

    def is_model_base(self, ref: ClassRef) -> bool:
        """An abstract base of the model itself: named as one (`AggregateRoot`, `Entity`,
        `ValueObject`, `DomainEvent`...), deriving from one, or a base that stateful domain
        classes derive from and nothing outside the core implements."""
        key = (ref.dotted, id(ref.cls))  # two definitions of one name answer apart
        found = self._model_bases.get(key)
        if found is None:
            found = self._model_bases[key] = self._is_model_base(ref)
        return found

    def _is_model_base(self, ref: ClassRef) -> bool:
        if ref.cls.name in MODEL_BASE_NAMES or any(
            name.rpartition(".")[2] in MODEL_BASE_NAMES and self.ref(name) is not None
            for name in self.ancestors(ref)
        ):
            return True
        # Any subclass outside the core, even one that derives through a stateful domain
        # class, keeps the base a contract: a concrete unit of work kept in `domain/` is as
        # stateful as a value object, so "through a model class" cannot tell them apart.
        stateful_in_domain = False
        for name in self.model.subclasses(ref.dotted):
            sub = self.ref(name)
            if sub is None or is_test_module(sub.facts.module):
                continue
            if self.layer(sub) not in (Layer.DOMAIN, Layer.APPLICATION):
                return False
            if self.layer(sub) is Layer.DOMAIN and not self.is_abstract(sub) and self.is_stateful(sub):
                stateful_in_domain = True
        return stateful_in_domain

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
            if "." in ref.cls.qualname or self._plays_a_library_role(ref) or self._builds_use_cases(ref):
                continue
            # A factory builds what others run (`ModelFactory` handing out the models a
            # use case is given): no use case itself.
            if ref.cls.name.endswith("Factory"):
                continue
            # A module's private helper (`_PatientStrategySelector`) serves the use cases
            # beside it; one named as a use case (`_PlaceOrderUseCase` behind a factory) is one.
            private_helper = ref.cls.name.startswith("_") and not ref.cls.name.endswith(USE_CASE_SUFFIXES)
            if private_helper or self._links_a_chain(ref):
                continue
            init = ref.cls.method("__init__")
            collaborators = init is not None and len(init.params) > 1
            in_package = bool(set(ref.facts.module.split(".")[:-1]) & USE_CASE_PACKAGES) or (
                ref.facts.module.rpartition(".")[2] in USE_CASE_PACKAGES
            )
            if (
                ref.cls.name.endswith(USE_CASE_SUFFIXES)
                or ref.cls.method("execute") is not None
                or (in_package and collaborators and not (self._is_record(ref) or self._is_a_message(ref)))
                or (bool(self.entry_point) and ref.cls.method(self.entry_point) is not None)
                or self._is_application_service(ref)
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

    def _links_a_chain(self, ref: ClassRef) -> bool:
        """A link of a chain of responsibility (a command bus's middleware, a step of an
        approval chain): the nearest `__init__` of its family takes the next link (a
        parameter named `next`, `next_...` or `successor`), keeps it (`self._next = next_step
        or NoStep()`), and one of the family's methods passes the work on to it, calling it
        (`self._next_handler(command)`) or one of the family's own methods on it
        (`self.next_middleware.execute(command)`). The use cases are what the chain ends in;
        a class named as one stays one."""
        if ref.cls.name.endswith(USE_CASE_SUFFIXES):
            return False
        family = (ref, *self.first_party_ancestors(ref))
        init = next(filter(None, (owner.cls.method("__init__") for owner in family)), None)
        if init is None:
            return False
        links = {param.name for param in init.params[1:] if _NEXT_LINK.fullmatch(param.name)}
        kept = {
            f"self.{attribute.name}"
            for attribute in init.self_attributes
            # `self._next_step = next_step or NoStep()` keeps it under its own name.
            if attribute.name.lstrip("_") in links
            or (attribute.value is not None and links.intersection(attribute.value.names()))
        }
        operations = {method.name for owner in family for method in owner.cls.methods}
        for owner in family:
            for method in owner.cls.methods:
                for call in method.calls:
                    receiver, _, name = call.callee.rpartition(".")
                    if call.callee in kept or (receiver in kept and name in operations):
                        return True
        return False

    def _is_a_message(self, ref: ClassRef) -> bool:
        """A command or query kept beside its use case (`CreateCategoryCommand(dto:
        CreateCategoryDto)` whose one method checks its own fields): named as a message,
        no entry point of its own or its bases' to be run by, and an `__init__` that builds
        nothing (`super()` aside) and is handed values alone: every parameter annotated,
        none with a port, a service or a library's type (a `Session`). What it carries is
        the use case's input; the class that runs it is the use case. A `GetUserQuery(session)`
        that builds its repository, run by `run()`, is a use case."""
        if not ref.cls.name.endswith(_MESSAGE_SUFFIXES):
            return False
        family = (ref, *self.first_party_ancestors(ref))
        if any(owner.cls.method(name) is not None for owner in family for name in ENTRY_POINTS):
            return False
        init = ref.cls.method("__init__")
        if init is None or any(self._builds_a_collaborator(call.callee) for call in init.calls):
            return False
        return all(
            param.annotation is not None
            and not self._is_collaborator_type(param.annotation)
            and all(self._a_value_type(name) for name in param.annotation.names() if name)
            for param in init.params[1:]
        )

    def _builds_a_collaborator(self, callee: str) -> bool:
        """Whether a call in `__init__` builds what a use case works with: a library's
        object (`httpx.AsyncClient()`), or a first-party class outside the core
        (`SqlUserRepository(session)`). Values of the core (`FilteringCriterionQuery(...)`)
        and the language's own do not count."""
        if callee.startswith(("super", "self.", "?.")):
            return False
        if not self._a_value_type(callee):
            return True
        built = self.ref(callee)
        return built is not None and self.layer(built) not in (Layer.DOMAIN, Layer.APPLICATION)

    def _a_value_type(self, dotted: str) -> bool:
        """Whether a name in an annotation is the language's, the standard library's or the
        project's own: no library's type (`sqlalchemy.orm.Session`, `httpx.AsyncClient`)."""
        top = dotted.partition(".")[0]
        return "." not in dotted or self.model.is_stdlib(top) or self.model.is_first_party(dotted)

    def _is_record(self, ref: ClassRef) -> bool:
        """A plain class that only stores what `__init__` receives, none of it typed as a
        port or a service (`ReturnItem(inventory_unit_id: UUID, condition_grade: Grade)`
        beside the use case that takes it; `CreateTeamRequestData(name, leader_id)` with
        no annotations): the use case's input, not another use case, which would have a
        method to be run by."""
        init = ref.cls.method("__init__")
        if init is None or any(method is not init for method in ref.cls.methods):
            return False
        # It only stores: an `__init__` that builds a client or loops over a repository
        # does the use case's work there (`SyncCatalog(products)`).
        if any(not call.callee.startswith("super") for call in init.calls):
            return False
        return not any(
            param.annotation is not None and self._is_collaborator_type(param.annotation)
            for param in init.params[1:]
        )

    def _plays_a_library_role(self, ref: ClassRef) -> bool:
        """A class that specialises a library's class (Django's `BaseCommand` with its
        `handle`/`execute`, a Celery `Task`): the library calls it, in the library's role.
        The language's own bases (`ABC`, `Generic`, `Protocol`) and a name that says use
        case do not count."""
        if ref.cls.name.endswith(USE_CASE_SUFFIXES):
            return False
        for base in ref.cls.bases:
            name = base.name
            if not name or "?" in name or self.ref(name) is not None or self.model.is_first_party(name):
                continue
            if name in ("object", "builtins.object") or self.model.is_stdlib(name.partition(".")[0]):
                continue
            if name.partition(".")[0] in ("typing_extensions",):
                continue
            return True
        return False

    def _builds_use_cases(self, ref: ClassRef) -> bool:
        """A builder or factory of use cases: every public method is annotated to return
        another class that is a use case by its name or its entry point (`execute`,
        the project's own `__call__`/`handle`)
        (`construct_get_review_usecase(self) -> GetReviewByIdUsecase`)."""
        public = [m for m in ref.cls.methods if not m.name.startswith("_")]
        if not public:
            return False
        for method in public:
            if method.returns is None:
                return False
            built = [self.ref(name) for name in method.returns.names() if name and "?" not in name]
            if not any(
                other is not None
                and other is not ref
                and (
                    other.cls.name.lower().endswith(_USE_CASE_NAMES)
                    or any(
                        other.cls.method(name) is not None for name in ("execute", self.entry_point) if name
                    )
                )
                for other in built
            ):
                return False
        return True

    @cached_property
    def entry_point(self) -> str:
        """The project's own single entry point of use cases, `__call__`, `handle` (or
        `Handle`, `Execute` as .NET teams spell them): the
        one that application classes receiving collaborators in `__init__` define most
        (ties to `__call__`), when at least two do; '' otherwise."""
        counts = dict.fromkeys(_OWN_ENTRY_POINTS, 0)
        for ref in self.classes:
            if self.layer(ref) is not Layer.APPLICATION or is_test_module(ref.facts.module):
                continue
            init = ref.cls.method("__init__")
            if init is None or len(init.params) < 2 or self.is_data_holder(ref):
                continue
            for name in counts:
                if ref.cls.method(name) is not None:
                    counts[name] += 1
        best = max(counts, key=lambda name: counts[name])
        # One class is not a convention (a message bus's `handle`); two are.
        return best if counts[best] >= 2 else ""

    def _is_application_service(self, ref: ClassRef) -> bool:
        """An application class with public methods whose `__init__` receives collaborators:
        a parameter typed with a first-party class that is not a data holder (a port, a
        service), or an untyped one whose methods it calls (`self._books.get(...)`)."""
        init = ref.cls.method("__init__")
        if init is None or len(init.params) < 2:
            return False
        if not any(not method.name.startswith("_") for method in ref.cls.methods):
            return False
        # A data transfer object (`AdminApprovalDTO`) whose `to_dict` formats a field
        # (`self.created_at.isoformat()`): its fields are values, not collaborators. Only
        # that suffix: `UpdateNotificationSettings` or `ApproveLeaveRequest` is a use case.
        if ref.cls.name.endswith(_DTO_SUFFIXES) and not _has_behaviour(ref):
            return False
        used = {
            call.callee.split(".")[1]
            for method in ref.cls.methods
            for call in method.calls
            if call.callee.startswith("self.") and call.callee.count(".") >= 2
        }
        stored = {attribute.name: attribute for attribute in init.self_attributes}
        for param in init.params[1:]:
            if param.annotation is None:
                if any(
                    name in used and attribute.value is not None and attribute.value.name == param.name
                    for name, attribute in stored.items()
                ):
                    return True
                continue
            for name in param.annotation.names():
                other = self.ref(name) if name and "?" not in name else None
                if other is not None and other is not ref and not self.is_data_holder(other):
                    return True
        return False

    @cached_property
    def application_services(self) -> frozenset[str]:
        """The use cases that are use cases only as application services (several public
        methods, injected collaborators): HEX402 and HEX403 judge them, HEX401 only where
        the project's convention is one entry point."""
        return frozenset(
            ref.dotted
            for ref in self.use_cases
            if not (
                filed_as_use_case(ref)
                or any(
                    owner.cls.method(name) is not None
                    for owner in (ref, *self.first_party_ancestors(ref))
                    for name in ("execute", self.entry_point)
                    if name
                )
            )
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

    @cached_property
    def _routes(self) -> RouteFinder:
        return RouteFinder(self)

    def router_factory(self, dotted: str) -> str:
        """What built the module-level object `dotted` (`fastapi.APIRouter`...), or ''."""
        return self._routes.router_factory(dotted)

    def makes_router(self, callee: str) -> bool:
        """Whether calling `callee` gives an app or a router (`semantics.routes`)."""
        return self._routes.makes_router(callee)

    @cached_property
    def route_handlers(self) -> tuple[RouteHandler, ...]:
        """Every FastAPI route of the project (`semantics.routes`)."""
        return self._routes.handlers()

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


def _has_coroutines(ref: ClassRef) -> bool:
    """An `async def` method of its own: the class waits on I/O (a Redis lock's
    `acquire`, a client's `fetch`), a service or adapter; the model's classes compute in
    memory."""
    return any(method.is_async for method in ref.cls.methods)


def _fields(ref: ClassRef) -> list[AttributeFact]:
    """A class's fields: its class-level attributes (a dataclass's) and what its
    `__init__` sets on `self` (a plain class's)."""
    init = ref.cls.method("__init__")
    return [*ref.cls.attributes, *(init.self_attributes if init is not None else ())]


_COLLECTIONS = frozenset(
    {"list", "tuple", "set", "frozenset", "List", "Tuple", "Set", "FrozenSet", "Sequence",
     "Iterable", "Collection", "MutableSequence"}
)  # fmt: skip


def _a_collection_of(annotation: Expr, dotted: str) -> bool:
    """Whether an annotation is a collection of `dotted` (`list[ImportIssue]`,
    `Sequence[ImportIssue]`), not one of it (`ImportIssue | None`)."""
    return (
        annotation.kind is ExprKind.SUBSCRIPT
        and annotation.name.rpartition(".")[2] in _COLLECTIONS
        and any(dotted in arg.names() for arg in annotation.args)
    )


def _has_behaviour(ref: ClassRef) -> bool:
    """A method of its own beyond dunders that changes the object's state (`accept()` sets
    `self.status`); a query (`has_scope()`) leaves a record a record."""
    return any(
        method.self_attributes and not (method.name.startswith("__") and method.name.endswith("__"))
        for method in ref.cls.methods
    )


def _named_identity(r: Roles, ref: ClassRef) -> bool:
    """A field of its own or of a first-party base that names the record's identity: `id`,
    `uuid`, `pk`, `oid`, or the class's name with `_id` (`order_id` on an `Order`,
    `sku_item_id` on an `SKUItem`)."""
    own = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", ref.cls.name).lower() + "_id"
    return any(
        attribute.name in _IDENTITY_FIELDS or attribute.name == own
        for owner in (ref, *r.first_party_ancestors(ref))
        for attribute in _fields(owner)
    )


_IDENTITY_FIELDS = frozenset({"id", "uuid", "pk", "oid", "_id"})


def _required_arguments(r: Roles, ref: ClassRef) -> int:
    """How many arguments building the class takes at least: a dataclass's fields without
    a default (its bases' included), a plain class's `__init__` parameters without one."""
    if r.is_dataclass(ref) or r.is_attrs_class(ref):
        return sum(
            attribute.value is None
            and attribute.annotation is not None
            and attribute.annotation.name not in _CLASS_VARIABLES
            for owner in (ref, *r.first_party_ancestors(ref))
            for attribute in owner.cls.attributes
        )
    init = ref.cls.method("__init__")
    if init is None:
        return 0
    return sum(param.default is None and param.kind in _REQUIRED_PARAMETERS for param in init.params[1:])


_CLASS_VARIABLES = frozenset({"typing.ClassVar", "ClassVar"})
_REQUIRED_PARAMETERS = frozenset({ParamKind.POSITIONAL_ONLY, ParamKind.POSITIONAL, ParamKind.KEYWORD_ONLY})


class _Argument(Enum):
    """What an argument of a record's constructor is to the function building it
    (`_worked_out`)."""

    HANDED_ON = "handed on"  # the function's parameters, as they are or converted
    WORKED_OUT = "worked out"  # a local it computed, its object's state, an aggregate
    NEUTRAL = "neutral"  # a literal, a constant, the clock, or what cannot be read


def _worked_out(function: FunctionFact, owner: ClassFact | None, call: CallFact) -> bool:
    """Whether a call builds its record mostly from what the function works out: more of
    its arguments are locals the function computed (`half` in `GstBreakup(taxable=amount,
    cgst=half, sgst=half)`), its object's state (`self.capacity`) or aggregates (`sum(...)`,
    `len(...)`) than are its parameters handed on, as they are (`street`), converted
    (`str(city)`, `round(amount, 2)`) or through one of their methods (`street.strip()`).
    Literals, module constants, the clock and identifiers (`datetime.now()`, `uuid4()`)
    and expressions the facts do not open (`a * b`, f-strings) count for neither: a
    factory stamping `created_at` hands its caller's values on all the same."""
    params = [param.name for param in function.params]
    receiver = ""
    if owner is not None and params and not function.decorated_with("staticmethod"):
        receiver, params = params[0], params[1:]  # `self`, `cls`
    names = frozenset(params)

    def kind(expr: Expr) -> _Argument:
        if expr.kind is ExprKind.NAME:
            root = expr.name.partition(".")[0]
            if root in names:
                return _Argument.HANDED_ON
            if root == receiver or "." not in expr.name:
                return _Argument.WORKED_OUT  # `self.capacity`, a local
            return _Argument.NEUTRAL  # a module's constant
        if expr.kind is not ExprKind.CALL:
            return _Argument.NEUTRAL
        root = expr.name.partition(".")[0]
        if root in names:
            return _Argument.HANDED_ON  # `street.strip()`
        parts = [kind(part) for part in call_parts(expr)]
        if root == receiver or _Argument.WORKED_OUT in parts:
            return _Argument.WORKED_OUT  # `self.total()`, `max(half, floor)`
        if expr.name in _CONVERSIONS:
            return _Argument.HANDED_ON if _Argument.HANDED_ON in parts else _Argument.NEUTRAL
        if not parts or set(parts) == {_Argument.NEUTRAL}:
            return _Argument.NEUTRAL  # `datetime.now()`, `uuid4()`, `Decimal("0")`
        return _Argument.WORKED_OUT  # `len(items)`, `compute(amount, rate)`

    kinds = [kind(part) for part in call_parts(call)]
    return kinds.count(_Argument.WORKED_OUT) > kinds.count(_Argument.HANDED_ON)


def _only_returned(function: FunctionFact, callee: str) -> bool:
    """Whether every instance a function builds with `callee` is what it returns, directly
    or through a local name (`level = FillLevel(...)` ... `return level`), and no such local
    is handed to another call (`self.outbox.send(notice)`) or set on `self`."""
    built = sum(call.callee == callee for call in function.calls)
    if function.returned.count(callee) < built:
        return False
    locals_ = {name for name, bound in function.bound if bound == callee}
    if not locals_:
        return True
    return not any(
        name in locals_
        for call in function.calls
        for part in call_parts(call)
        for name in names_of_kind(part, ExprKind.NAME)
    ) and not any(
        attribute.value is not None
        and attribute.value.kind is ExprKind.NAME
        and attribute.value.name in locals_
        for attribute in function.self_attributes
    )


_CONVERSIONS = frozenset(
    {"str", "int", "float", "bool", "list", "tuple", "set", "frozenset", "dict", "decimal.Decimal",
     "round", "abs"}
)  # fmt: skip


def _names_its_constants(ref: ClassRef) -> bool:
    """A class without methods whose every field (two or more) defaults to a string that
    spells the field's own name (`approve: str = "approve"`, `CANCEL = "cancel"`): an
    enumeration written as a class, its values fixed, with no state for a caller to give."""
    if ref.cls.methods:
        return False
    fields = [a for a in ref.cls.attributes if a.annotation is not None or a.value is not None]
    return len(fields) >= 2 and all(
        a.value is not None
        and a.value.kind is ExprKind.LITERAL
        and a.value.name.strip("'\"").lower().replace("-", "_") == a.name.lower()
        for a in fields
    )


def _shares_more_than_it_asks(ref: ClassRef, abstract: frozenset[str]) -> bool:
    """A base that keeps what it is built with (`__init__` storing a parameter on `self`)
    and offers more public methods with code than it leaves abstract, not counting those
    that call its abstract methods (`send_welcome` over an abstract `send` is the
    contract's convenience, which HEX302 is about): a plugin base holding its metadata,
    with accessors and helpers around one abstract `execute`, shares behaviour with its
    subclasses rather than declaring a contract."""
    init = ref.cls.method("__init__")
    if init is None:
        return False
    params = {param.name for param in init.params[1:]}
    if not any(
        attribute.value is not None
        and any(name.partition(".")[0] in params for name in attribute.value.names())
        for attribute in init.self_attributes
    ):
        return False
    delegating = {f"self.{name}" for name in abstract}
    helpers = [
        method
        for method in _own_code(ref.cls)
        if not method.name.startswith("_") and not any(call.callee in delegating for call in method.calls)
    ]
    return len(helpers) > len(abstract)


def _own_code(cls: ClassFact) -> list[FunctionFact]:
    """A class's own methods with code: not abstract, not a stub, not a dunder."""
    return [
        method
        for method in cls.methods
        if method.body is BodyKind.CODE
        and not is_abstract_method(method)
        and not (method.name.startswith("__") and method.name.endswith("__"))
    ]
