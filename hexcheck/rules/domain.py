"""The domain model: entities guard their invariants with domain exceptions (HEX201-HEX203).

What the rules read as an entity or value object is SPEC §1's: a `@dataclass` in the
domain layer. Three kinds of domain dataclass are left alone, because there is nothing a
constructor check could protect:

- messages: domain events and commands, that is classes deriving from a marker base
  (`Event`, `DomainEvent`, `Command`, `Message`, ... first-party or not) or living in a
  module named `events`/`commands`/`messages`. They record what happened or what is
  asked; the aggregate that raises an event and the handler that takes a command do the
  checking. A class's own name is not enough: a `CalendarEvent` entity has invariants.
- exceptions that happen to be dataclasses;
- dataclasses whose every field is `field(init=False)`, or built with `init=False`: no
  value reaches them through the generated constructor.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from hexcheck.analysis.model import ProjectModel
from hexcheck.core.facts import AttributeFact, BodyKind, Expr, ExprKind, FunctionFact, ModuleFacts, RaiseFact
from hexcheck.core.findings import Finding, Severity
from hexcheck.core.layers import Layer
from hexcheck.rules.base import Rule
from hexcheck.rules.messages import quoted_list
from hexcheck.rules.roles import (
    BUILTIN_EXCEPTIONS,
    ClassRef,
    Roles,
    is_abstract_method,
    is_test_module,
    roles,
)

_CLASS_VARS = frozenset({"typing.ClassVar", "typing_extensions.ClassVar", "ClassVar"})
_KW_ONLY = frozenset({"dataclasses.KW_ONLY", "KW_ONLY"})
_FIELD_FACTORIES = frozenset({"dataclasses.field", "field"})
_MESSAGE_BASES = frozenset(
    {"Event", "DomainEvent", "IntegrationEvent", "BaseEvent", "Command", "DomainCommand",
     "BaseCommand", "Message", "BaseMessage", "DomainMessage"}
)  # fmt: skip
_MESSAGE_MODULES = frozenset({"events", "commands", "messages"})
_VALIDATION_HOOKS = ("__post_init__", "__init__")
_TYPEVARS = frozenset({"typing.TypeVar", "typing_extensions.TypeVar"})
_CONSTRUCTION = ("__new__", "__init__", "__post_init__")
_ENUM_BASES = frozenset({"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"})
# Conversions that raise on malformed input: `UUID(self.id)` is the whole check an
# identifier needs, `Decimal(self.amount)` refuses "abc".
_REJECTING_CONVERSIONS = frozenset(
    {"int", "float", "complex", "decimal.Decimal", "uuid.UUID", "fractions.Fraction",
     "datetime.date.fromisoformat", "datetime.datetime.fromisoformat",
     "datetime.time.fromisoformat", "datetime.datetime.strptime", "ipaddress.ip_address",
     "ipaddress.ip_network", "ipaddress.IPv4Address", "ipaddress.IPv6Address",
     "zoneinfo.ZoneInfo"}
)  # fmt: skip

# Special methods whose exceptions Python's data model dictates: `__setattr__` raises
# AttributeError, `__getitem__` KeyError, `__add__` TypeError. A domain exception there
# would break `getattr(x, "a", default)`, `dict.get` and operator fallbacks.
_PROTOCOL_EXCEPTIONS = frozenset(
    {"TypeError", "AttributeError", "KeyError", "IndexError", "LookupError", "StopIteration",
     "StopAsyncIteration"}
)  # fmt: skip
# Special methods that are constructors or calls: the exceptions they raise are domain rules.
_NOT_PROTOCOL = frozenset({"__init__", "__post_init__", "__new__", "__call__"})
_ALWAYS_ALLOWED = frozenset({"NotImplementedError"})


def _keyword_false(expr: Expr, keyword: str) -> bool:
    return any(name == keyword and value.name == "False" for name, value in expr.keywords)


def _is_field(attribute: AttributeFact) -> bool:
    """A class-level annotated name the dataclass machinery turns into an `__init__` field."""
    annotation = attribute.annotation
    if annotation is None:
        return False
    if annotation.kind in (ExprKind.NAME, ExprKind.SUBSCRIPT) and (
        annotation.name in _CLASS_VARS or annotation.name in _KW_ONLY
    ):
        return False
    value = attribute.value
    if value is not None and value.kind is ExprKind.CALL and value.name in _FIELD_FACTORIES:
        return not _keyword_false(value, "init")
    return True


@dataclass(frozen=True, slots=True)
class _Entity:
    ref: ClassRef
    fields: tuple[str, ...]


def _is_enum(roles_: Roles, ref: ClassRef) -> bool:
    return bool(_ENUM_BASES & {*roles_.ancestors(ref), *(base.name for base in ref.cls.bases)})


def _is_message(roles_: Roles, ref: ClassRef) -> bool:
    if ref.facts.module.rpartition(".")[2] in _MESSAGE_MODULES:
        return True
    return any(name.rpartition(".")[2] in _MESSAGE_BASES for name in roles_.ancestors(ref))


def _builds_init(ref: ClassRef) -> bool:
    return not any(
        decorator.kind is ExprKind.CALL and _keyword_false(decorator, "init")
        for decorator in ref.cls.decorators
    )


def _fields(roles_: Roles, ref: ClassRef) -> tuple[str, ...]:
    """The class's own `__init__` fields; for a class that declares none, those of its
    first-party dataclass ancestors (`class Tag(Entity): pass` is built with `id`)."""
    own = tuple(a.name for a in ref.cls.attributes if _is_field(a))
    if own:
        return own
    inherited: dict[str, None] = {}
    for ancestor in roles_.first_party_ancestors(ref):
        if roles_.is_dataclass(ancestor):
            inherited.update((a.name, None) for a in ancestor.cls.attributes if _is_field(a))
    return tuple(inherited)


def entities(model: ProjectModel) -> tuple[_Entity, ...]:
    """Domain dataclasses that take values through their constructor (see the module doc)."""
    found = []
    roles_ = roles(model)
    for ref in roles_.entities:
        if roles_.is_exception(ref) or _is_message(roles_, ref) or not _builds_init(ref):
            continue
        if is_test_module(ref.facts.module) or roles_.is_protocol(ref) or roles_.abstract_methods(ref):
            continue  # test helpers, and classes that cannot be instantiated
        fields = _fields(roles_, ref)
        if fields:
            found.append(_Entity(ref, fields))
    return tuple(found)


def _typevar(model: ProjectModel, annotation: Expr | None) -> bool:
    """Whether an annotation is a bare type variable (`id: EntityId`)."""
    if annotation is None or annotation.kind is not ExprKind.NAME:
        return False
    module, _, name = model.resolve_symbol(annotation.name).rpartition(".")
    facts = model.modules.get(module)
    return facts is not None and any(
        a.name == name and a.value.kind is ExprKind.CALL and a.value.name in _TYPEVARS
        for a in facts.assignments
    )


def _generic_holder(model: ProjectModel, ref: ClassRef) -> bool:
    """A generic base whose every own field is typed by a type variable (`Entity(Generic[
    EntityId])` with `id: EntityId`): what to check depends on the type its subclasses bind."""
    fields = [a for a in ref.cls.attributes if _is_field(a)]
    return bool(fields) and all(_typevar(model, a.annotation) for a in fields)


def _is_base(roles_: Roles, ref: ClassRef) -> bool:
    """Whether other first-party dataclasses derive from the class (`Entity`,
    `AggregateRoot`): its fields are checked where the concrete classes are built."""
    return any(
        sub is not None and roles_.is_dataclass(sub)
        for sub in (roles_.ref(name) for name in roles_.model.subclasses(ref.dotted))
    )


# Types whose every value is a valid one, with no range left to check: an identifier
# (`UUID`, or a first-party subclass of it), a flag, an enumeration. `str`, numbers,
# `Decimal`, dates and collections are not among them: an empty title, a negative count,
# an end before its start are values of those types too.
_SETTLED_TYPES = frozenset({"uuid.UUID", "bool", "builtins.bool"})
_OPTIONAL = frozenset({"typing.Optional", "typing_extensions.Optional"})
_UNION = frozenset({"typing.Union", "typing_extensions.Union"})
_ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
_LITERAL = frozenset({"typing.Literal", "typing_extensions.Literal"})
_NEW_TYPES = frozenset({"typing.NewType", "typing_extensions.NewType"})


@dataclass(frozen=True, slots=True)
class _Settled:
    """A field type whose values are all valid: `state` for an enumeration or a flag (a
    value another field's validity may hang on), `optional` when it also admits `None`."""

    state: bool = False
    optional: bool = False


def _assigned(model: ProjectModel, dotted: str) -> Expr | None:
    """The value of the first-party module-level assignment a dotted name stands for."""
    module, _, name = model.resolve_symbol(dotted).rpartition(".")
    facts = model.modules.get(module)
    if facts is None:
        return None
    return next((a.value for a in facts.assignments if a.name == name), None)


def _settled_class(roles_: Roles, dotted: str, seen: frozenset[str]) -> _Settled | None:
    """A first-party enum, `UUID` subclass, or dataclass that validates or needs not."""
    ref = roles_.ref(dotted)
    if ref is None or ref.dotted in seen:
        return None
    if _is_enum(roles_, ref):
        return _Settled(state=True)
    if "uuid.UUID" in roles_.ancestors(ref):
        return _Settled()
    if roles_.is_dataclass(ref) and (
        _hook(roles_, ref) is not None or _settled_fields(roles_, ref, seen | {ref.dotted})
    ):
        return _Settled()
    return None


def _union(members: list[_Settled | None], optional: bool) -> _Settled | None:
    if not members or any(member is None for member in members):
        return None
    return _Settled(
        state=any(m.state for m in members if m is not None),
        optional=optional or any(m.optional for m in members if m is not None),
    )


def _settled(roles_: Roles, annotation: Expr, seen: frozenset[str]) -> _Settled | None:
    """Whether a field annotation admits only valid values (see `_SETTLED_TYPES`):
    `Optional[...]`/`X | None` and unions of such types, `Annotated[X, ...]`, `Literal[...]`,
    a `NewType` or alias of one, a type variable bound to one, a first-party class."""
    model = roles_.model
    kind, name = annotation.kind, annotation.name
    if kind is ExprKind.UNION or (kind is ExprKind.SUBSCRIPT and name in _OPTIONAL | _UNION):
        parts = [a for a in annotation.args if not (a.kind is ExprKind.LITERAL and a.name == "None")]
        optional = name in _OPTIONAL or len(parts) < len(annotation.args)
        return _union([_settled(roles_, part, seen) for part in parts], optional)
    if kind is ExprKind.SUBSCRIPT and name in _ANNOTATED and annotation.args:
        return _settled(roles_, annotation.args[0], seen)
    if kind is ExprKind.SUBSCRIPT and name in _LITERAL:
        return _Settled(state=True)
    if kind is not ExprKind.NAME or name in seen:
        return None
    if name in _SETTLED_TYPES:
        return _Settled(state=name != "uuid.UUID")
    if name in _ENUM_BASES:
        return _Settled(state=True)
    found = _settled_class(roles_, name, seen)
    if found is not None:
        return found
    value = _assigned(model, name)
    if value is None:
        return None
    seen = seen | {name}
    if value.kind is ExprKind.NAME:  # `UserId = GenericUUID`
        return _settled(roles_, value, seen)
    if value.kind is ExprKind.CALL and value.name in _NEW_TYPES and len(value.args) == 2:
        return _settled(roles_, value.args[1], seen)  # `UserId = NewType("UserId", UUID)`
    if value.kind is ExprKind.CALL and value.name in _TYPEVARS:
        bound = dict(value.keywords).get("bound")  # `EntityId = TypeVar(..., bound=UUID)`
        return None if bound is None else _settled(roles_, bound, seen)
    return None


def _init_annotations(roles_: Roles, ref: ClassRef) -> dict[str, Expr]:
    """Every `__init__` field of the class, inherited ones included, with its annotation."""
    found: dict[str, Expr] = {}
    for owner in (ref, *roles_.first_party_ancestors(ref)):
        if owner is ref or roles_.is_dataclass(owner):
            for attribute in owner.cls.attributes:
                if attribute.annotation is not None and _is_field(attribute):
                    found.setdefault(attribute.name, attribute.annotation)
    return found


def _settled_fields(roles_: Roles, ref: ClassRef, seen: frozenset[str] = frozenset()) -> bool:
    """Whether every `__init__` field of the class is typed by a type that admits only
    valid values, so that there is nothing for a `__post_init__` to check. `X | None`
    counts only while no other field is an enumeration or a flag: whether `closed_by`
    may be `None` usually depends on the `status` next to it."""
    annotations = _init_annotations(roles_, ref)
    settled = {name: _settled(roles_, annotation, seen) for name, annotation in annotations.items()}
    if not settled or any(kind is None for kind in settled.values()):
        return False
    return not any(
        kind is not None
        and kind.optional
        and any(other is not None and other.state for key, other in settled.items() if key != name)
        for name, kind in settled.items()
    )


def _hook(roles_: Roles, ref: ClassRef) -> tuple[ClassRef, FunctionFact] | None:
    """Where the class's construction-time check lives: its own or an inherited
    `__post_init__`, or an `__init__` it writes itself (the dataclass then keeps it)."""
    for owner in (ref, *roles_.first_party_ancestors(ref)):
        for name in _VALIDATION_HOOKS:
            method = owner.cls.method(name)
            if method is not None:
                return owner, method
    return None


class EntityWithoutValidation(Rule):
    code = "HEX201"
    name = "entity-without-validation"
    severity = Severity.WARNING
    concern = "domain"
    summary = "A domain dataclass with at least one field has no `__post_init__`."
    subject = "domain dataclasses validate their state in `__post_init__`"
    why = (
        "An entity or value object is the one place a business invariant can be enforced "
        'for good: if `Book(title="", copies=-3)` can be built, every use case, adapter '
        "and test has to remember to check it, and one of them will not. A dataclass "
        "generates a constructor that accepts anything its annotations merely suggest; "
        "`__post_init__` is where the object refuses a state the domain does not allow, "
        "so that every `Book` in memory is a valid book. Domain events and commands, "
        "exceptions, dataclasses whose fields are all `init=False` and test modules are "
        "not checked: no caller hands them state to validate. A base dataclass "
        "(`Entity`, `AggregateRoot`) is checked through the classes deriving from it, "
        "which inherit its `__post_init__` if it has one, and so is a generic base whose "
        "fields are all typed by type variables (`id: EntityId`). Nor is a dataclass "
        "whose every field has a type that admits only valid values: a `UUID` (or a "
        "subclass, a `NewType` or a type variable bound to one), a `bool`, an `Enum` or "
        "`Literal`, or a first-party dataclass that validates itself (`TodoId(value: "
        "UUID)`, `Todo(id: TodoId, title: TodoTitle)`): a `UUID` cannot be built from a "
        "malformed string, so there is no invariant left to check. `X | None` of such a "
        "type counts only while no other field is an enum or a flag, since whether "
        "`closed_by` may be `None` hangs on the `status` next to it. `str`, numbers, "
        "`Decimal`, dates and collections always need a check: an empty name, a negative "
        "count and an end before its start are values of those types too."
    )
    how_to_fix = (
        "Add a `__post_init__` that checks every field with a rule and raises a domain "
        "exception when one is broken; or type the field by a value object that validates "
        "itself, or by a type that admits only valid values (a `UUID`, an `Enum`): a class "
        "whose every field is so typed is not reported.\n\n"
        "Before:\n\n"
        "    @dataclass(frozen=True)\n"
        "    class Isbn:\n"
        "        value: str\n\n"
        "After:\n\n"
        "    @dataclass(frozen=True)\n"
        "    class Isbn:\n"
        "        value: str\n\n"
        "        def __post_init__(self) -> None:\n"
        '            if len(self.value.replace("-", "")) not in (10, 13):\n'
        "                raise InvalidIsbn(self.value)"
    )
    valid = (
        """\
# file: app/domain/book.py
from dataclasses import dataclass, field
from typing import ClassVar

from app.domain.exceptions import InvalidBook


@dataclass
class Entity:
    id: str

    def __post_init__(self) -> None:
        if not self.id:
            raise InvalidBook("an entity needs an id")


@dataclass
class Book(Entity):
    title: str = ""


@dataclass
class Shelf:
    MAX_BOOKS: ClassVar[int] = 40
    books: list[Book] = field(default_factory=list, init=False)


@dataclass(init=False)
class Isbn:
    value: str

    def __init__(self, value: str) -> None:
        self.value = value.replace("-", "")
# file: app/domain/specification.py
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Generic, TypeVar


EntityId = TypeVar("EntityId")


@dataclass
class Identified(Generic[EntityId]):
    id: EntityId


@dataclass
class Specification(ABC):
    name: str

    @abstractmethod
    def is_satisfied_by(self, candidate: object) -> bool: ...
# file: app/domain/exceptions.py
class InvalidBook(Exception):
    pass
""",
        """\
# file: app/domain/events.py
from dataclasses import dataclass


@dataclass(frozen=True)
class BookBorrowed:
    book_id: str
    member_id: str
# file: app/domain/loan.py
from dataclasses import dataclass

from app.domain.messages import DomainEvent


@dataclass(frozen=True)
class LoanExtended(DomainEvent):
    loan_id: str
    days: int


@dataclass(frozen=True)
class LoanError(Exception):
    loan_id: str
# file: app/domain/messages.py
class DomainEvent:
    pass
# file: app/application/commands.py
from dataclasses import dataclass


@dataclass
class CreateBookCommand:
    title: str
""",
        """\
# file: app/domain/seedwork.py
from dataclasses import dataclass, field
from typing import Generic, TypeVar

EntityId = TypeVar("EntityId")


@dataclass
class Entity(Generic[EntityId]):
    id: EntityId = field(hash=True)


@dataclass(kw_only=True)
class AggregateRoot(Entity[EntityId]):
    events: list = field(default_factory=list)
# file: app/domain/listing.py
from dataclasses import dataclass
from datetime import datetime

from app.domain.errors import ListingError
from app.domain.seedwork import AggregateRoot


@dataclass(kw_only=True)
class Listing(AggregateRoot[str]):
    starts_at: datetime
    ends_at: datetime

    def __post_init__(self) -> None:
        if self.ends_at <= self.starts_at:
            raise ListingError("a listing ends after it starts")
# file: app/domain/errors.py
class ListingError(Exception):
    pass
# file: app/domain/listing_test.py
from dataclasses import dataclass


@dataclass
class ListingBuilder:
    title: str = "a lamp"

    def test_builds(self) -> None:
        if not self.title:
            raise ValueError("a builder needs a title")
""",
        """\
# file: app/domain/todo/value_objects.py
from dataclasses import dataclass
from enum import Enum
from typing import NewType, Optional
from uuid import UUID

from app.domain.todo.errors import InvalidTitle

OwnerId = NewType("OwnerId", UUID)


class Priority(Enum):
    LOW = "low"
    HIGH = "high"


@dataclass(frozen=True)
class TodoId:
    value: UUID


@dataclass(frozen=True)
class TodoTitle:
    value: str

    def __post_init__(self) -> None:
        if not self.value or len(self.value) > 100:
            raise InvalidTitle(self.value)


@dataclass
class Todo:
    id: TodoId
    title: TodoTitle
    owner: OwnerId
    priority: Optional[Priority] = None
# file: app/domain/todo/errors.py
class InvalidTitle(Exception):
    pass
""",
    )
    invalid = (
        """\
# file: app/domain/book.py
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Isbn:  # error: HEX201
    value: str


@dataclass
class Book:  # error: HEX201
    isbn: Isbn
    title: str
    tags: list[str] = field(default_factory=list)

    def rename(self, title: str) -> None:
        self.title = title
""",
        """\
# file: app/domain/value_objects/money.py
from dataclasses import InitVar, dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Money:  # error: HEX201
    amount: Decimal
    currency: str = "EUR"


@dataclass
class Price:  # error: HEX201
    raw: InitVar[str]


@dataclass
class Entity:
    id: str


@dataclass
class Tag(Entity):  # error: HEX201
    pass
# file: app/domain/calendar.py
from dataclasses import dataclass
from datetime import datetime


@dataclass
class CalendarEvent:  # error: HEX201
    starts_at: datetime
    ends_at: datetime
""",
        """\
# file: app/domain/ticket.py
from dataclasses import dataclass
from enum import Enum
from uuid import UUID


class Status(Enum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Email:  # error: HEX201
    value: str


@dataclass
class Ticket:  # error: HEX201
    id: UUID
    status: Status
    closed_by: UUID | None = None


@dataclass
class Subscriber:  # error: HEX201
    id: UUID
    email: Email
""",
    )

    def _subjects(self, model: ProjectModel) -> tuple[_Entity, ...]:
        roles_ = roles(model)
        return tuple(
            e for e in entities(model) if not _is_base(roles_, e.ref) and not _generic_holder(model, e.ref)
        )

    def examined(self, model: ProjectModel) -> int:
        return len(self._subjects(model))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        roles_ = roles(model)
        for entity in self._subjects(model):
            if _hook(roles_, entity.ref) is not None or _settled_fields(roles_, entity.ref):
                continue
            ref = entity.ref
            message = (
                f"domain dataclass '{ref.cls.qualname}' has no __post_init__: nothing checks "
                f"its fields {quoted_list(list(entity.fields))} when it is built"
            )
            yield self.finding(ref.facts, ref.cls.span, message, ref.dotted, model)


# ---------------------------------------------------------------------- HEX202


@dataclass(frozen=True, slots=True)
class _Reached:
    """A function reached from `__post_init__`; `receiver` is the class `self` stands for."""

    facts: ModuleFacts
    function: FunctionFact
    receiver: ClassRef | None = None


class _Reach:
    """The functions a method may run: `self.m()` / `cls.m()` / `type(self).m()` (looked
    up in the class and its first-party ancestors), `super().m()` (every definition in
    them: the facts do not say which class `super()` starts from), first-party
    functions, `Class.m()`, and the constructors of first-party classes (`__new__`,
    `__init__`, `__post_init__`). Calls on anything else (`self.title.strip()`,
    third-party functions) are not followed."""

    def __init__(self, model: ProjectModel, roles_: Roles) -> None:
        self.model = model
        self.roles = roles_

    def _mro(self, ref: ClassRef) -> tuple[ClassRef, ...]:
        return (ref, *self.roles.first_party_ancestors(ref))

    def _method(self, receiver: ClassRef, name: str, every: bool = False) -> Iterator[_Reached]:
        for owner in self._mro(receiver):
            method = owner.cls.method(name)
            if method is not None:
                yield _Reached(owner.facts, method, receiver)
                if not every:
                    return

    def converts(self, function: FunctionFact) -> bool:
        """Whether `function` calls a conversion that refuses bad input: a parsing
        constructor of the standard library or a first-party `Enum` (`Status("x")`)."""
        for call in function.calls:
            callee = call.callee.removeprefix("builtins.")
            if callee in _REJECTING_CONVERSIONS:
                return True
            ref = self.roles.ref(callee) if self.model.is_first_party(callee) else None
            if ref is not None and _is_enum(self.roles, ref):
                return True
        return False

    def callees(self, reached: _Reached) -> Iterator[_Reached]:
        function, receiver = reached.function, reached.receiver
        self_name = function.params[0].name if receiver is not None and function.params else ""
        for call in function.calls:
            callee = call.callee
            head, _, attr = callee.partition(".")
            if receiver is not None and head == self_name:
                attr = attr.removeprefix("__class__.")
                if attr and "." not in attr:
                    yield from self._method(receiver, attr)
            elif receiver is not None and head == "?" and attr and "." not in attr:
                yield from self._method(receiver, attr, every=True)
            elif "?" not in callee and self.model.is_first_party(callee):
                yield from self._first_party(callee)

    def _first_party(self, callee: str) -> Iterator[_Reached]:
        ref = self.roles.ref(callee)
        if ref is not None:
            for name in _CONSTRUCTION:
                yield from self._method(ref, name)
            return
        owner_name, _, attr = callee.rpartition(".")
        owner = self.roles.ref(owner_name) if owner_name else None
        if owner is not None:
            yield from self._method(owner, attr)
            return
        module, _, name = self.model.resolve_symbol(callee).rpartition(".")
        facts = self.model.modules.get(module)
        if facts is not None:
            for function in facts.functions:
                if function.name == name:
                    yield _Reached(facts, function)


def can_reject(
    model: ProjectModel, roles_: Roles, ref: ClassRef, owner: ClassRef, start: FunctionFact
) -> bool:
    """Whether `start` (a method written in `owner`, run on an instance of `ref`) or
    anything it calls, transitively, raises or converts a value in a way that refuses
    bad input."""
    reach = _Reach(model, roles_)
    seen = {(owner.facts.module, start.qualname, ref.dotted)}
    stack = [_Reached(owner.facts, start, ref)]
    while stack:
        current = stack.pop()
        if current.function.raises or reach.converts(current.function):
            return True
        for callee in reach.callees(current):
            receiver = callee.receiver.dotted if callee.receiver is not None else ""
            key = (callee.facts.module, callee.function.qualname, receiver)
            if key not in seen:
                seen.add(key)
                stack.append(callee)
    return False


def _post_inits(model: ProjectModel) -> Iterator[tuple[ClassRef, ClassRef, FunctionFact]]:
    """(class, owner, `__post_init__`) for every domain dataclass built with a
    `__post_init__` of its own or inherited (owner is where it is written). Base classes
    are checked through the classes deriving from them: `self.validate()` in
    `ValueObject.__post_init__` runs the subclass's `validate`."""
    roles_ = roles(model)
    for entity in entities(model):
        ref = entity.ref
        if _is_base(roles_, ref):
            continue
        for owner in (ref, *roles_.first_party_ancestors(ref)):
            method = owner.cls.method("__post_init__")
            if method is not None:
                if not (owner is ref and _calls_own_hook(ref, method)):
                    yield ref, owner, method
                break


def _calls_own_hook(ref: ClassRef, method: FunctionFact) -> bool:
    """Whether `__post_init__` calls `self.m()` where `m` is an empty or abstract hook of
    the same class (`def validate(self) -> None: pass`): a template base whose subclasses
    are not in the scanned code. A subclass that inherits it and leaves the hook empty is
    reported."""
    self_name = method.params[0].name if method.params else ""
    for call in method.calls:
        head, _, attr = call.callee.partition(".")
        hook = ref.cls.method(attr) if head == self_name and attr else None
        if hook is not None and (hook.body is not BodyKind.CODE or is_abstract_method(hook)):
            return True
    return False


class ValidationWithoutCheck(Rule):
    code = "HEX202"
    name = "validation-without-check"
    severity = Severity.WARNING
    concern = "domain"
    summary = "A domain `__post_init__` can never reject a state: nothing it runs raises."
    subject = "domain `__post_init__` methods can reject an invalid state"
    why = (
        "A `__post_init__` that only converts, normalises or derives fields looks like "
        'validation but lets every state through: `Email("not an email")` is lower-cased '
        "and accepted. Validation means refusing, and in Python refusing means raising. "
        "hexcheck follows the calls `__post_init__` makes to methods of the class (its "
        "own and inherited), to `super().__post_init__()`, to first-party functions and to "
        "the constructors of first-party classes (a field wrapped in a validated value "
        "object), and looks for a `raise` anywhere along them. A conversion that refuses "
        "malformed input counts as a check too: a first-party `Enum(value)`, `UUID(...)`, "
        "`Decimal(...)`, `int(...)`, `date.fromisoformat(...)` and the like."
    )
    how_to_fix = (
        "Keep the normalisation, then check the result and raise a domain exception when "
        "it breaks a rule; or wrap the field in a value object that validates itself.\n\n"
        "Before:\n\n"
        "    def __post_init__(self) -> None:\n"
        '        object.__setattr__(self, "value", self.value.strip().lower())\n\n'
        "After:\n\n"
        "    def __post_init__(self) -> None:\n"
        '        object.__setattr__(self, "value", self.value.strip().lower())\n'
        '        if "@" not in self.value:\n'
        "            raise InvalidEmail(self.value)"
    )
    valid = (
        """\
# file: app/domain/member.py
from dataclasses import dataclass

from app.domain.exceptions import InvalidMember
from app.domain.rules import require_text


@dataclass
class Person:
    name: str

    def __post_init__(self) -> None:
        self._check()

    def _check(self) -> None:
        if not self.name:
            raise InvalidMember("a person needs a name")


@dataclass
class Member(Person):
    email: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.email = self.email.lower()


@dataclass
class Nickname:
    value: str

    def __post_init__(self) -> None:
        require_text(self.value, "nickname")
# file: app/domain/rules.py
from app.domain.exceptions import InvalidMember


def require_text(value: str, what: str) -> None:
    _non_empty(value, what)


def _non_empty(value: str, what: str) -> None:
    if not value.strip():
        raise InvalidMember(f"{what} must not be empty")
# file: app/domain/exceptions.py
class InvalidMember(Exception):
    pass
""",
        """\
# file: app/domain/book.py
from dataclasses import dataclass

from app.domain.exceptions import InvalidIsbn


@dataclass(frozen=True)
class Isbn:
    value: str

    def __post_init__(self) -> None:
        digits = self.value.replace("-", "")
        if len(digits) not in (10, 13):
            raise InvalidIsbn(self.value)
        object.__setattr__(self, "value", digits)


@dataclass
class Book:
    isbn: str
    title: str

    def __post_init__(self) -> None:
        self.isbn = Isbn(self.isbn).value
        self.title = self.title.strip()
# file: app/domain/exceptions.py
class InvalidIsbn(Exception):
    pass
""",
        """\
# file: app/domain/loan.py
from dataclasses import dataclass
from datetime import date
from enum import Enum
from uuid import UUID


class LoanStatus(str, Enum):
    OPEN = "open"
    RETURNED = "returned"


@dataclass
class LoanId:
    value: str

    def __post_init__(self) -> None:
        self.value = str(UUID(self.value))


@dataclass
class Loan:
    status: str
    due_on: str

    def __post_init__(self) -> None:
        self.status = LoanStatus(self.status).value
        self.due_on = date.fromisoformat(self.due_on).isoformat()
""",
        """\
# file: app/domain/common/value_object.py
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class ValueObject(Generic[T]):
    value: T

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        \"\"\"Subclasses raise a domain exception when `value` breaks a rule.\"\"\"
# file: app/domain/member/email.py
from dataclasses import dataclass

from app.domain.common.value_object import ValueObject
from app.domain.member.errors import InvalidEmail


@dataclass(frozen=True)
class Email(ValueObject[str]):
    def validate(self) -> None:
        if "@" not in self.value:
            raise InvalidEmail(self.value)
# file: app/domain/member/errors.py
class InvalidEmail(Exception):
    pass
# file: app/domain/common/quantity.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Quantity:
    value: int

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        \"\"\"Subclasses refuse the quantities their context forbids.\"\"\"
""",
    )
    invalid = (
        """\
# file: app/domain/member.py
from dataclasses import dataclass


@dataclass(frozen=True)
class Email:
    value: str

    def __post_init__(self) -> None:  # error: HEX202
        object.__setattr__(self, "value", self.value.strip().lower())
""",
        """\
# file: app/domain/loan.py
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass
class Loan:
    book_id: str
    borrowed_on: date
    due_on: date | None = None

    def __post_init__(self) -> None:  # error: HEX202
        if self.due_on is None:
            self.due_on = self._default_due()
        self._log()

    def _default_due(self) -> date:
        return self.borrowed_on + timedelta(days=21)

    def _log(self) -> None:
        print(f"loan of {self.book_id}")
# file: app/domain/common.py
from dataclasses import dataclass


@dataclass(frozen=True)
class ValueObject:
    value: str

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        pass


@dataclass(frozen=True)
class Nickname(ValueObject):  # error: HEX202
    pass
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return sum(1 for _ in _post_inits(model))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        roles_ = roles(model)
        for ref, owner, method in _post_inits(model):
            if can_reject(model, roles_, ref, owner, method):
                continue
            if owner is ref:
                subject, span = f"'{ref.cls.qualname}.__post_init__'", method.span
            else:
                subject = f"the '{owner.cls.qualname}.__post_init__' that '{ref.cls.qualname}' inherits"
                span = ref.cls.span
            message = (
                f"{subject} raises nothing, and neither does any first-party method or "
                "function it calls: it accepts every state"
            )
            yield self.finding(ref.facts, span, message, f"{ref.dotted}.__post_init__", model)


# ---------------------------------------------------------------------- HEX203


def _builtin(raised: RaiseFact) -> str:
    """The built-in exception a `raise` names, or ''."""
    name = raised.exception.removeprefix("builtins.")
    return name if name in BUILTIN_EXCEPTIONS else ""


def _exempt(function: FunctionFact, exception: str) -> bool:
    if exception in _ALWAYS_ALLOWED:
        return True
    name = function.name
    is_special = name.startswith("__") and name.endswith("__")
    return is_special and name not in _NOT_PROTOCOL and exception in _PROTOCOL_EXCEPTIONS


def _translates(model: ProjectModel, function: FunctionFact, raised: RaiseFact) -> bool:
    """Whether `raised` sits in an `except` clause that catches only first-party
    exceptions: the code turns a domain exception into what a framework expects
    (Pydantic validators must raise `ValueError`), deliberately."""
    span = raised.span
    return any(
        handler.types
        and all(model.is_first_party(name) for name in handler.types)
        and (handler.span.line, handler.span.column) <= (span.line, span.column)
        and (span.end_line, span.end_column) <= (handler.span.end_line, handler.span.end_column)
        for handler in function.handlers
    )


def _domain_raises(model: ProjectModel) -> Iterator[tuple[ModuleFacts, FunctionFact, RaiseFact, str]]:
    """Every explicit `raise` in a domain function or method, with the built-in it names."""
    for module, facts in sorted(model.modules.items()):
        if model.layer(module) is not Layer.DOMAIN or is_test_module(module):
            continue
        for function in (*facts.functions, *(m for cls in facts.classes for m in cls.methods)):
            for raised in function.raises:
                if not raised.exception:
                    continue
                builtin = _builtin(raised)
                if builtin and (_exempt(function, builtin) or _translates(model, function, raised)):
                    continue
                yield facts, function, raised, builtin


class BuiltinExceptionInDomain(Rule):
    code = "HEX203"
    name = "builtin-exception-in-domain"
    severity = Severity.WARNING
    concern = "domain"
    summary = "Domain code raises a built-in exception instead of a domain exception."
    subject = "raises in the domain use domain exceptions"
    why = (
        "A `ValueError` says that something was wrong, not what: the web layer cannot tell "
        "a title that is too long from a bug in a helper, so it either maps every "
        "`ValueError` to HTTP 422 (and hides bugs) or none of them (and answers 500 to a "
        "user's mistake). A domain exception such as `BookTitleTooLong` names the broken "
        "rule in the ubiquitous language, carries the data to explain it, and can be "
        "mapped to a response precisely. `NotImplementedError`, bare re-raises and the "
        "exceptions Python's data model requires from special methods (`TypeError` in "
        "`__add__`, `AttributeError` in `__setattr__`, `KeyError` in `__getitem__`) are "
        "not reported, nor is a built-in raised in an `except` clause that catches only "
        "first-party exceptions: that is a deliberate translation for a framework (a "
        "Pydantic validator must raise `ValueError`)."
    )
    how_to_fix = (
        "Define a small hierarchy in `domain/exceptions.py` rooted at one `DomainError` "
        "and raise its subclasses. To keep callers that catch `ValueError` working while "
        "they migrate, a domain exception may derive from both.\n\n"
        "Before:\n\n"
        "    if len(title) > 200:\n"
        '        raise ValueError("title too long")\n\n'
        "After:\n\n"
        "    class BookTitleTooLong(DomainError):\n"
        "        def __init__(self, length: int) -> None:\n"
        '            super().__init__(f"a title has at most 200 characters, not {length}")\n\n'
        "    if len(title) > 200:\n"
        "        raise BookTitleTooLong(len(title))"
    )
    valid = (
        """\
# file: app/domain/book.py
from dataclasses import dataclass

from app.domain.exceptions import BookTitleTooLong


@dataclass(frozen=True)
class Title:
    value: str

    def __post_init__(self) -> None:
        if len(self.value) > 200:
            raise BookTitleTooLong(len(self.value))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{name} is read-only")

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Title):
            raise TypeError("a title compares only with a title")
        return self.value < other.value

    def translate(self, language: str) -> "Title":
        raise NotImplementedError


def parse(text: str) -> Title:
    try:
        return Title(text.strip())
    except BookTitleTooLong:
        raise
# file: app/domain/exceptions.py
class DomainError(Exception):
    pass


class BookTitleTooLong(DomainError, ValueError):
    def __init__(self, length: int) -> None:
        super().__init__(f"a title has at most 200 characters, not {length}")
""",
        """\
# file: app/application/use_cases/create_book.py
class CreateBook:
    def execute(self, title: str) -> None:
        if not title:
            raise ValueError("title")
# file: app/domain/catalog.py
from app.domain.errors import ValueError


def check(title: str) -> None:
    if not title:
        raise ValueError(title)
# file: app/domain/errors.py
class ValueError(Exception):
    pass
""",
        """\
# file: app/domain/password_field.py
from typing import Any

from app.domain.password import InvalidPasswordError, Password


class PasswordAnnotation:
    @classmethod
    def validate(cls, value: Any) -> Password:
        try:
            return Password(value)
        except InvalidPasswordError as error:
            raise ValueError("invalid password") from error
# file: app/domain/password.py
class InvalidPasswordError(Exception):
    pass


class Password(str):
    def __new__(cls, value: str) -> "Password":
        if len(value) < 8:
            raise InvalidPasswordError("a password has at least 8 characters")
        return super().__new__(cls, value)
# file: app/domain/password_test.py
from app.domain.password import Password


class FakeHasher:
    def hash(self, password: Password) -> str:
        raise RuntimeError("not used in these tests")
""",
    )
    invalid = (
        """\
# file: app/domain/book.py
from dataclasses import dataclass


@dataclass
class Book:
    title: str
    copies: int

    def __post_init__(self) -> None:
        if not self.title:
            raise ValueError("a book needs a title")  # error: HEX203
        if self.copies < 0:
            raise Exception("negative copies")  # error: HEX203

    def lend(self) -> None:
        if self.copies == 0:
            raise RuntimeError  # error: HEX203
        self.copies -= 1
""",
        """\
# file: app/domain/money.py
from decimal import Decimal, InvalidOperation


def parse_amount(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise TypeError(f"not an amount: {text}") from error  # error: HEX203


class Money:
    def __new__(cls, amount: Decimal) -> "Money":
        if amount < 0:
            raise ValueError("negative money")  # error: HEX203
        return super().__new__(cls)

    def __getitem__(self, key: str) -> Decimal:
        raise KeyError(key)
""",
    )

    def examined(self, model: ProjectModel) -> int:
        return sum(1 for _ in _domain_raises(model))

    def check(self, model: ProjectModel) -> Iterator[Finding]:
        for facts, function, raised, builtin in _domain_raises(model):
            if not builtin:
                continue
            where = "function" if "." not in function.qualname else "method"
            message = (
                f"domain {where} '{function.qualname}' raises the built-in '{builtin}' "
                "instead of a domain exception"
            )
            symbol = f"{facts.module}.{function.qualname}:{builtin}"
            yield self.finding(facts, raised.span, message, symbol, model)


__all__ = ["BuiltinExceptionInDomain", "EntityWithoutValidation", "ValidationWithoutCheck"]
